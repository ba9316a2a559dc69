/*
 * assoc.c: document -> template association, rule by rule (see assoc.h).
 */
#include "server/model/assoc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/document.h"

#define TL_ASSOC__DEFAULT_THRESHOLD 500
#define TL_ASSOC__MIN_MATCHED 3
#define TL_ASSOC__MAX_GLOB 4096

const char *tl_assoc_rule_name(tl_assoc_rule rule) {
  static const char *names[] = {"none", "forced", "marker", "mapping", "output-path", "skeleton"};
  return (unsigned)rule < sizeof names / sizeof names[0] ? names[rule] : "none";
}

static char *tl_assoc__fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *tl_assoc__fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  char *s = gr_malloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return s;
}

/* ---- paths and globs ---------------------------------------------------- */

/* Fold "", "." and ".." segments of dir + "/" + rel (dir may be NULL or "").
 * A ".." with nothing left to pop is kept. New string. */
static char *tl_assoc__join(const char *dir, const char *rel);
char *tl_assoc_join(const char *dir, const char *rel) { return tl_assoc__join(dir, rel); }

static char *tl_assoc__join(const char *dir, const char *rel) {
  size_t dl = dir ? strlen(dir) : 0, rl = strlen(rel);
  char *out = gr_malloc(dl + rl + 2);
  GR_ARRAY(size_t) starts = {0}; /* where each kept segment starts in out */
  size_t o = 0;
  for (int part = 0; part < 2; part++) {
    const char *p = part == 0 ? (dir ? dir : "") : rel;
    while (*p) {
      const char *e = strchr(p, '/');
      size_t k = e ? (size_t)(e - p) : strlen(p);
      int up = k == 2 && p[0] == '.' && p[1] == '.';
      if (k == 0 || (k == 1 && p[0] == '.')) {
        /* nothing */
      } else if (up && starts.len > 0 && !(out[starts.items[starts.len - 1]] == '.' &&
                                           o - starts.items[starts.len - 1] == 2)) {
        o = starts.items[--starts.len];
        if (o > 0) o--; /* the '/' before it */
      } else {
        if (o) out[o++] = '/';
        gr_array_push(&starts, o);
        memcpy(out + o, p, k);
        o += k;
      }
      p += k;
      if (*p == '/') p++;
    }
  }
  out[o] = 0;
  gr_array_free(&starts);
  return out;
}

static uint32_t tl_assoc__find(const tl_workspace *ws, const char *path) {
  char *want = tl_assoc__join(NULL, path);
  uint32_t found = TL_NONE;
  for (uint32_t i = 0; i < tl_workspace_count(ws) && found == TL_NONE; i++) {
    char *have = tl_assoc__join(NULL, tl_workspace_path(ws, i));
    if (strcmp(have, want) == 0) found = i;
    gr_free(have);
  }
  gr_free(want);
  return found;
}

typedef struct tl_assoc__glob {
  const char *g, *p;
  size_t gl, pl;
  uint8_t *memo; /* 0 unknown, 1 no, 2 yes */
} tl_assoc__glob;

static int tl_assoc__gm(tl_assoc__glob *G, size_t gi, size_t pi) {
  uint8_t *m = &G->memo[gi * (G->pl + 1) + pi];
  if (*m) return *m == 2;
  int r;
  const char *g = G->g, *p = G->p;
  if (gi == G->gl) {
    r = pi == G->pl;
  } else if (g[gi] == '*' && gi + 1 < G->gl && g[gi + 1] == '*') {
    if (gi + 2 < G->gl && g[gi + 2] == '/')
      r = ((pi == 0 || p[pi - 1] == '/') && tl_assoc__gm(G, gi + 3, pi)) ||
          (pi < G->pl && tl_assoc__gm(G, gi, pi + 1));
    else
      r = tl_assoc__gm(G, gi + 2, pi) || (pi < G->pl && tl_assoc__gm(G, gi, pi + 1));
  } else if (g[gi] == '*') {
    r = tl_assoc__gm(G, gi + 1, pi) || (pi < G->pl && p[pi] != '/' && tl_assoc__gm(G, gi, pi + 1));
  } else if (g[gi] == '?') {
    r = pi < G->pl && p[pi] != '/' && tl_assoc__gm(G, gi + 1, pi + 1);
  } else {
    r = pi < G->pl && g[gi] == p[pi] && tl_assoc__gm(G, gi + 1, pi + 1);
  }
  *m = r ? 2 : 1;
  return r;
}

int tl_glob_match(const char *glob, const char *path) {
  while (glob[0] == '.' && glob[1] == '/') glob += 2;
  while (path[0] == '.' && path[1] == '/') path += 2;
  tl_assoc__glob G = {glob, path, strlen(glob), strlen(path), NULL};
  if (G.gl > TL_ASSOC__MAX_GLOB || G.pl > TL_ASSOC__MAX_GLOB) return 0;
  G.memo = gr_calloc((G.gl + 1) * (G.pl + 1), 1);
  int r = tl_assoc__gm(&G, 0, 0);
  gr_free(G.memo);
  return r;
}

/* ---- the marker --------------------------------------------------------- */

char *tl_assoc_marker(const gr_tree *doc, gr_span *span) { return tl_assoc_marker_at(doc, span, NULL, NULL); }

char *tl_assoc_marker_at(const gr_tree *doc, gr_span *span, gr_span *value, int *quoted) {
  const char *text = gr_tree_text(doc);
  for (uint32_t i = 0; i < gr_tree_count(doc); i++) {
    const gr_node *n = gr_tree_node(doc, i);
    if (n->kind != GR_HTML_COMMENT || (n->flags & GR_FLAG_IN_CODE)) continue;
    uint32_t s = n->open.end, e = n->close.end > n->close.start ? n->close.start : n->span.end;
    while (s < e && isspace((unsigned char)text[s])) s++;
    static const char lead[] = "tmpl-ls:";
    if (e - s < sizeof lead - 1 || memcmp(text + s, lead, sizeof lead - 1) != 0) continue;
    s += (uint32_t)(sizeof lead - 1);
    while (s < e) {
      while (s < e && isspace((unsigned char)text[s])) s++;
      uint32_t k = s;
      while (k < e && text[k] != '=' && !isspace((unsigned char)text[k])) k++;
      int is_template = k - s == 8 && memcmp(text + s, "template", 8) == 0;
      if (k >= e || text[k] != '=') {
        s = k;
        continue;
      }
      uint32_t v = k + 1, ve;
      int q = v < e && text[v] == '"';
      if (q) {
        v++;
        ve = v;
        while (ve < e && text[ve] != '"') ve++;
        s = ve + 1;
      } else {
        ve = v;
        while (ve < e && !isspace((unsigned char)text[ve])) ve++;
        s = ve;
      }
      if (is_template && ve > v) {
        if (span) *span = n->span;
        if (value) *value = (gr_span){v, ve};
        if (quoted) *quoted = q;
        return gr_strndup(text + v, ve - v);
      }
    }
  }
  return NULL;
}

/* ---- scoring ------------------------------------------------------------ */

static uint32_t tl_assoc__score(const tl_doc_score *sc) {
  if (sc->doc_sections == 0 || sc->template_sections == 0) return 0;
  uint32_t matched = sc->matched > sc->template_sections ? sc->template_sections : sc->matched;
  return 200u * sc->title + (500u * sc->matched_doc) / sc->doc_sections +
         (300u * matched) / sc->template_sections;
}

typedef struct tl_assoc__best {
  uint32_t index, score;
  tl_doc_score sc;
} tl_assoc__best;

/* Best skeleton among templates accepted by `only` (NULL: all). */
static tl_assoc__best tl_assoc__skeleton(const tl_workspace *ws, const char *doc_path,
                                         const gr_tree *doc, const uint8_t *only) {
  tl_assoc__best best = {TL_NONE, 0, {0, 0, 0, 0, 0}};
  uint32_t self = doc_path ? tl_assoc__find(ws, doc_path) : TL_NONE;
  for (uint32_t i = 0; i < tl_workspace_count(ws); i++) {
    if (i == self || (only && !only[i])) continue;
    tl_document *d = tl_document_new_for_score(doc, tl_workspace_template(ws, i));
    tl_doc_score sc = tl_document_score(d);
    tl_document_free(d);
    uint32_t s = tl_assoc__score(&sc);
    if (best.index == TL_NONE || s > best.score || (s == best.score && sc.matched > best.sc.matched)) {
      best.index = i;
      best.score = s;
      best.sc = sc;
    }
  }
  return best;
}

/* ---- the rules ---------------------------------------------------------- */

static char *tl_assoc__dirname(const char *path);

/* The marker value that names template i from the document at doc_path:
 * the root-relative path, which rule 1 tries second, unless the
 * document-relative reading of it finds another template first or the
 * paths are absolute (files outside any workspace folder): then the path
 * relative to the document's folder ("../templates/x-tmpl.md"). */
static char *tl_assoc__marker_for(const tl_workspace *ws, const char *doc_path, uint32_t i) {
  const char *p = tl_workspace_path(ws, i);
  char *dir = tl_assoc__dirname(doc_path);
  char *rel = tl_assoc__join(dir, p);
  uint32_t hit = tl_assoc__find(ws, rel);
  gr_free(rel);
  if (p[0] != '/' && (hit == TL_NONE || hit == i)) {
    gr_free(dir);
    return tl_assoc__join(NULL, p);
  }
  /* common leading folders of dir and p, then one "../" per folder left in dir */
  char *d = tl_assoc__join(NULL, dir), *t = tl_assoc__join(NULL, p);
  gr_free(dir);
  size_t k = 0, cut = 0;
  while (d[k] && t[k] && d[k] == t[k]) {
    k++;
    if (t[k] == '/' && (d[k] == '/' || d[k] == 0)) cut = k + 1;
  }
  if (d[k] == 0 && t[k] == '/') cut = k + 1;
  size_t up = 0;
  if (cut < strlen(d)) {
    up = 1;
    for (const char *c = d + cut; *c; c++) up += *c == '/';
  }
  size_t tl = strlen(t + cut);
  char *out = gr_malloc(3 * up + tl + 1);
  for (size_t q = 0; q < up; q++) memcpy(out + 3 * q, "../", 3);
  memcpy(out + 3 * up, t + cut, tl + 1);
  gr_free(d);
  gr_free(t);
  return out;
}

static void tl_assoc__choose(tl_assoc *a, const tl_workspace *ws, tl_assoc_rule rule, uint32_t i,
                             char *reason) {
  a->rule = rule;
  a->template = i;
  a->template_path = gr_strndup(tl_workspace_path(ws, i), strlen(tl_workspace_path(ws, i)));
  a->reason = reason;
}

static char *tl_assoc__dirname(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? gr_strndup(path, (size_t)(slash - path)) : gr_strndup("", 0);
}

tl_assoc *tl_assoc_find(const tl_workspace *ws, const char *doc_path, const gr_tree *doc,
                        const tl_assoc_options *opts) {
  static const tl_assoc_options none = {NULL, NULL, 0, 0};
  if (!opts) opts = &none;
  if (!doc_path) doc_path = "";
  tl_assoc *a = gr_calloc(1, sizeof *a);
  a->template = TL_NONE;
  a->best = TL_NONE;
  uint32_t threshold = opts->threshold ? opts->threshold : TL_ASSOC__DEFAULT_THRESHOLD;
  a->threshold = threshold;

  /* 1. marker */
  a->marker_path = tl_assoc_marker(doc, &a->marker);
  if (a->marker_path) {
    char *dir = tl_assoc__dirname(doc_path);
    char *rel = tl_assoc__join(dir, a->marker_path);
    uint32_t i = tl_assoc__find(ws, rel);
    if (i == TL_NONE) i = tl_assoc__find(ws, a->marker_path);
    if (i == TL_NONE) {
      char *root = tl_assoc__join(NULL, a->marker_path);
      /* folding drops the leading '/' of a file outside any workspace folder */
      const char *lead = doc_path[0] == '/' ? "/" : "";
      a->marker_tried = strcmp(rel, root) == 0 ? tl_assoc__fmt("%s%s", lead, rel)
                                               : tl_assoc__fmt("%s%s, %s", lead, rel, root);
      gr_free(root);
    }
    gr_free(rel);
    gr_free(dir);
    if (i != TL_NONE) {
      tl_assoc__choose(a, ws, TL_ASSOC_MARKER, i,
                       tl_assoc__fmt("the document's tmpl-ls marker names %s", tl_workspace_path(ws, i)));
      return a;
    }
    a->marker_unresolved = 1;
  }

  /* 2a. forced: the caller's choice (--template) */
  if (opts->forced) {
    uint32_t i = tl_assoc__find(ws, opts->forced);
    if (i == TL_NONE) {
      a->reason = tl_assoc__fmt("the forced template %s is not in the workspace", opts->forced);
    } else {
      tl_assoc__choose(a, ws, TL_ASSOC_FORCED, i,
                       tl_assoc__fmt("%s was given as the template to use", tl_workspace_path(ws, i)));
    }
    return a;
  }

  /* 2b. configured mappings */
  for (size_t k = 0; k < opts->mapping_count; k++) {
    const tl_assoc_mapping *m = &opts->mappings[k];
    if (!m->glob || !m->template || !tl_glob_match(m->glob, doc_path)) continue;
    uint32_t i = tl_assoc__find(ws, m->template);
    if (i == TL_NONE) {
      a->reason = tl_assoc__fmt("the pattern '%s' maps %s to %s, which is not in the workspace",
                                m->glob, doc_path, m->template);
      return a;
    }
    tl_assoc__choose(a, ws, TL_ASSOC_MAPPING, i,
                     tl_assoc__fmt("the pattern '%s' maps %s to %s", m->glob, doc_path,
                                   tl_workspace_path(ws, i)));
    return a;
  }

  /* 3. output path */
  uint32_t count = tl_workspace_count(ws);
  uint8_t *announce = gr_calloc((size_t)count + 1, 1);
  uint32_t announcing = 0;
  for (uint32_t i = 0; i < count; i++)
    if (tl_template_output_match(tl_workspace_template(ws, i), doc_path)) {
      announce[i] = 1;
      announcing++;
    }
  if (announcing) {
    tl_assoc__best b = tl_assoc__skeleton(ws, doc_path, doc, announce);
    if (b.index != TL_NONE) {
      gr_free(announce);
      const char *out = tl_template_output(tl_workspace_template(ws, b.index), NULL, NULL);
      char *reason =
          announcing == 1
              ? tl_assoc__fmt("%s announces %s as its output path", tl_workspace_path(ws, b.index), out)
              : tl_assoc__fmt("%s announces %s as its output path (best section match of %u "
                              "templates that do)",
                              tl_workspace_path(ws, b.index), out, announcing);
      tl_assoc__choose(a, ws, TL_ASSOC_OUTPUT_PATH, b.index, reason);
      a->score = b.score;
      return a;
    }
  }
  gr_free(announce);

  /* 4. skeleton */
  tl_assoc__best b = tl_assoc__skeleton(ws, doc_path, doc, NULL);
  if (b.index != TL_NONE) {
    const char *bp = tl_workspace_path(ws, b.index);
    a->best = b.index;
    a->best_path = gr_strndup(bp, strlen(bp));
    a->best_marker = tl_assoc__marker_for(ws, doc_path, b.index);
    a->best_score = b.score;
    a->best_matched = b.sc.matched;
  }
  if (b.index != TL_NONE && b.score >= threshold && b.sc.matched >= TL_ASSOC__MIN_MATCHED) {
    tl_assoc__choose(a, ws, TL_ASSOC_SKELETON, b.index,
                     tl_assoc__fmt("the document's headings match the sections of %s "
                                   "(score %u/1000: %u of %u sections in order%s)",
                                   tl_workspace_path(ws, b.index), b.score, b.sc.matched,
                                   b.sc.template_sections, b.sc.title ? ", title matches" : ""));
    a->score = b.score;
    return a;
  }

  /* 5. none */
  if (b.index == TL_NONE)
    a->reason = tl_assoc__fmt("no template in the workspace");
  else
    a->reason = tl_assoc__fmt("no marker, mapping or announced output path names a template, and "
                              "no template's sections match well enough (best: %s, score %u/1000, "
                              "%u section%s in order)",
                              tl_workspace_path(ws, b.index), b.score, b.sc.matched,
                              b.sc.matched == 1 ? "" : "s");
  if (a->marker_unresolved) {
    char *r = tl_assoc__fmt("the marker names %s, which is not in the workspace; %s",
                            a->marker_path, a->reason);
    gr_free(a->reason);
    a->reason = r;
  }
  return a;
}

void tl_assoc_free(tl_assoc *a) {
  if (!a) return;
  gr_free(a->template_path);
  gr_free(a->marker_path);
  gr_free(a->reason);
  gr_free(a->marker_tried);
  gr_free(a->best_path);
  gr_free(a->best_marker);
  gr_free(a);
}
