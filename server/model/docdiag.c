/*
 * docdiag.c: document diagnostics. One walk over the document's tree for
 * the markup left behind, then the section alignment for missing and
 * out-of-order sections. The rule that keeps other languages' {{ }}, prose
 * about syntax and names the template lacks out of unfilled-placeholder is
 * tl_foreign_* (foreign.c): a false positive in a real document is a bug.
 */
#include "server/model/docdiag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/foreign.h"
#include "server/model/pattern.h"

typedef GR_ARRAY(tl_docdiag) tl_docdiag__array;

static const struct {
  const char *name;
  gr_severity severity;
} tl_docdiag__codes[] = {
#define TL__XX(id, str, sev) {str, sev},
    TL_DOCDIAG_CODES(TL__XX)
#undef TL__XX
};

const char *tl_docdiag_code_name(tl_docdiag_code code) {
  return (unsigned)code < TL_DD_CODE_COUNT ? tl_docdiag__codes[code].name : "unknown";
}

gr_severity tl_docdiag_code_severity(tl_docdiag_code code) {
  return (unsigned)code < TL_DD_CODE_COUNT ? tl_docdiag__codes[code].severity : GR_SEV_HINT;
}

static char *tl_docdiag__fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *tl_docdiag__fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = gr_malloc((size_t)(n < 0 ? 0 : n) + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
  va_end(ap);
  if (n < 0) s[0] = 0;
  return s;
}

/* Length of the valid UTF-8 sequence at s[i..n), or 0 (overlongs, surrogates
 * and code points past U+10FFFF are invalid, as for JSON). */
static size_t tl_docdiag__utf8_len(const unsigned char *s, size_t n, size_t i) {
  unsigned c = s[i];
  size_t len;
  uint32_t cp, min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/* Messages and names reach JSON: steal `s`, return it as valid UTF-8, each
 * invalid byte replaced by U+FFFD. */
static char *tl_docdiag__utf8(char *s) {
  if (!s) return NULL;
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), bad = 0;
  for (size_t i = 0; i < n;) {
    size_t k = tl_docdiag__utf8_len(u, n, i);
    if (k == 0) bad++, k = 1;
    i += k;
  }
  if (!bad) return s;
  char *out = gr_malloc(n + 2 * bad + 1), *o = out;
  for (size_t i = 0; i < n;) {
    size_t k = tl_docdiag__utf8_len(u, n, i);
    if (k == 0) {
      memcpy(o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else {
      memcpy(o, s + i, k);
      o += k;
      i += k;
    }
  }
  *o = 0;
  gr_free(s);
  return out;
}

static void tl_docdiag__add(tl_docdiag__array *a, tl_docdiag_code code, gr_span span, gr_span extra,
                            uint32_t node, uint32_t tsection, char *name, char *message) {
  tl_docdiag d = {code,     tl_docdiag_code_severity(code), span, extra, node, tsection,
                  tl_docdiag__utf8(name), tl_docdiag__utf8(message)};
  gr_array_push(a, d);
}

/* A short quotable copy of text[s, e): first line, at most 60 bytes, cut on
 * a UTF-8 character boundary. */
static char *tl_docdiag__excerpt(const char *text, uint32_t s, uint32_t e) {
  while (s < e && isspace((unsigned char)text[s])) s++;
  uint32_t x = s;
  while (x < e && text[x] != '\n' && text[x] != '\r' && x - s < 60) x++;
  int cut = x < e && text[x] != '\n' && text[x] != '\r';
  while (cut && x > s && ((unsigned char)text[x] & 0xC0) == 0x80) x--;
  while (x > s && isspace((unsigned char)text[x - 1])) x--;
  char *out = gr_malloc(x - s + 4);
  memcpy(out, text + s, x - s);
  if (cut) memcpy(out + (x - s), "...", 4);
  else out[x - s] = 0;
  return out;
}

/* ---- the walk ----------------------------------------------------------- */

static int tl_docdiag__within(const gr_tree *tree, uint32_t i, gr_kind kind) {
  return gr_tree_ancestor(tree, i, kind) != GR_NONE;
}

/* What is another language's {{ }}, prose about syntax, or a name the
 * template lacks: one rule, tl_foreign_classify (foreign.h), which the
 * semantic tokens and completion follow too. */
static void tl_docdiag__placeholder(tl_docdiag__array *out, const tl_document *d, uint32_t i) {
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, i);
  if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
  if (tl_docdiag__within(tree, i, GR_HTML_COMMENT)) return;
  tl_ph_kind kind = tl_foreign_classify(d, i);
  if (kind == TL_PH_FOREIGN) return;
  char *name = gr_strndup(text + n->name.start, n->name.end - n->name.start);
  gr_span none = {n->span.start, n->span.start};
  if (kind == TL_PH_UNKNOWN) {
    /* Not the template's placeholder (it has no such name in its title,
     * sections, instructions or examples), so not a sure leftover: a
     * placeholder the writer invented, a name the template has since
     * renamed, or some syntax the foreign rules do not know. A hint says
     * so without counting as a warning. */
    char *msg = tl_docdiag__fmt(
        "The template has no placeholder {{%s}}: if it was left to fill in, replace it with the document's content",
        name);
    tl_docdiag__add(out, TL_DD_UNKNOWN_PLACEHOLDER, n->span, none, i, TL_NONE, name, msg);
    return;
  }
  char *msg = tl_docdiag__fmt("Unfilled placeholder {{%s}}: replace it with the document's content", name);
  tl_docdiag__add(out, TL_DD_UNFILLED_PLACEHOLDER, n->span, none, i, TL_NONE, name, msg);
}

static void tl_docdiag__markup(tl_docdiag__array *out, const tl_document *d, uint32_t i) {
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, i);
  gr_span none = {n->span.start, n->span.start};
  if (n->flags & GR_FLAG_IN_CODE) return; /* quoted markup, e.g. in a document about templates */
  switch ((gr_kind)n->kind) {
    case GR_INSTRUCTION: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *ex = tl_docdiag__excerpt(text, n->body.start, n->body.end);
      char *msg = tl_docdiag__fmt("LLM instruction left in the document: \"%s\"", ex);
      gr_free(ex);
      tl_docdiag__add(out, TL_DD_LEFTOVER_INSTRUCTION, n->span, none, i, TL_NONE, NULL, msg);
      return;
    }
    case GR_EXAMPLE:
    case GR_EXAMPLE_INLINE: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *nm = tl_docdiag__excerpt(text, n->name.start, n->name.end);
      char *msg = n->kind == GR_EXAMPLE_INLINE
                      ? tl_docdiag__fmt("Inline example left in the document: \"%s\"", nm)
                  : nm[0] ? tl_docdiag__fmt("Example '%s' left in the document: examples are guidance, never output", nm)
                          : tl_docdiag__fmt("Example block left in the document: examples are guidance, never output");
      gr_free(nm);
      tl_docdiag__add(out, TL_DD_LEFTOVER_EXAMPLE, n->span, none, i, TL_NONE, NULL, msg);
      return;
    }
    case GR_REPEAT:
    case GR_CONDITION:
    case GR_CRITICAL_RULE: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *nm = tl_docdiag__excerpt(text, n->name.start, n->name.end);
      char *msg = n->kind == GR_REPEAT
                      ? tl_docdiag__fmt("REPEAT markers left in the document (%s): keep the content, remove the markers", nm)
                  : n->kind == GR_CONDITION
                      ? tl_docdiag__fmt("CONDITION markers left in the document (%s): keep the content if it applies, remove the markers", nm)
                      : tl_docdiag__fmt("<critical_rule> tags left in the document");
      gr_free(nm);
      gr_span closer = n->close.end > n->close.start ? n->close : (gr_span){n->span.end, n->span.end};
      tl_docdiag__add(out, TL_DD_LEFTOVER_MARKUP, n->open, closer, i, TL_NONE, NULL, msg);
      return;
    }
    default:
      return;
  }
}

/* What a rename replaces in heading text `title`: after its numbering, and
 * inside the emphasis marks around the rest ("**1\\. Goals**",
 * "1. **Goals**"). */
static gr_span tl_docdiag__rename_span(const char *text, gr_span title) {
  uint32_t a = title.start, e = title.end;
  uint32_t s = a + (uint32_t)tl_pattern_numbering(text + a, e - a);
  uint32_t k = 0, m = 0, cut = 0;
  while (a + k < e && (text[a + k] == '*' || text[a + k] == '_')) k++;
  while (s - m > a && (text[s - 1 - m] == '*' || text[s - 1 - m] == '_')) m++;
  uint32_t want = m + (s - m > a ? k : 0); /* marks before the text, and at the start before numbering */
  while (cut < want && e > s && (text[e - 1] == '*' || text[e - 1] == '_')) e--, cut++;
  while (s < e && text[s] == ' ') s++;
  while (e > s && text[e - 1] == ' ') e--;
  return (gr_span){s, e};
}

static void tl_docdiag__sections(tl_docdiag__array *out, const tl_document *d) {
  const tl_template *t = tl_document_template(d);
  if (!t) return;
  static const char hashes[] = "######";
  for (uint32_t k = 0; k < tl_document_missing_count(d); k++) {
    const tl_doc_missing *m = tl_document_missing(d, k);
    const tl_tsection *s = tl_template_section(t, m->tsection);
    const char *h = hashes + 6 - (s->level > 6 ? 6 : s->level);
    char *msg;
    if (s->repeat != TL_NONE)
      msg = tl_docdiag__fmt("Missing section \"%s %s\" (repeated block '%s': add at least one)", h,
                            s->text, tl_template_repeat(t, s->repeat)->name);
    else
      msg = tl_docdiag__fmt("Missing section \"%s %s\" from the template", h, s->text);
    tl_docdiag__add(out, TL_DD_MISSING_SECTION, (gr_span){m->offset, m->offset},
                    (gr_span){m->offset, m->offset}, TL_NONE, m->tsection,
                    gr_strndup(s->text, strlen(s->text)), msg);
  }
  const char *text = gr_tree_text(tl_document_tree(d));
  for (uint32_t k = 0; k < tl_document_section_count(d); k++) {
    const tl_dsection *s = tl_document_section(d, k);
    if (s->tsection == TL_NONE) continue;
    char *title = gr_strndup(text + s->title.start, s->title.end - s->title.start);
    if (s->differs) {
      const char *want = tl_template_section(t, s->tsection)->text;
      char *msg = tl_docdiag__fmt("Heading \"%s\" differs from the template's \"%s\"", title, want);
      tl_docdiag__add(out, TL_DD_HEADING_DIFFERS, s->title, tl_docdiag__rename_span(text, s->title), s->node,
                      s->tsection, gr_strndup(want, strlen(want)), msg);
    }
    if (!s->in_order) {
      int after;
      uint32_t at = tl_document_order_anchor(d, k, &after);
      char *msg, *name = NULL;
      gr_span to = {s->heading.start, s->heading.start};
      if (at != TL_NONE) {
        const tl_dsection *o = tl_document_section(d, at);
        name = gr_strndup(text + o->title.start, o->title.end - o->title.start);
        uint32_t off = after ? o->span.end : o->span.start;
        to = (gr_span){off, off};
        msg = tl_docdiag__fmt("Section \"%s\" is out of the template's order: it belongs %s \"%s\"", title,
                              after ? "after" : "before", name);
      } else {
        msg = tl_docdiag__fmt("Section \"%s\" is out of the template's order", title);
      }
      tl_docdiag__add(out, TL_DD_SECTION_ORDER, s->heading, to, s->node, s->tsection, name, msg);
    }
    gr_free(title);
  }
}

/* ---- guidance pasted without markup ------------------------------------ */

/*
 * A template whose instructions or examples are written without markup
 * (bare: a YAML template's `instruction` and `examples`) leaves nothing
 * for the walk above to see when an agent pastes them: only their words.
 * A document line that is, whole, one line of such a text is a leftover,
 * when the line is long enough not to be a phrase anyone writes
 * (TL_DOCDIAG__MIN_WORDS words and TL_DOCDIAG__MIN_BYTES bytes): "Monorepo"
 * or "Use bullet points" in a document is its author's. Lines compare with
 * list markers and emphasis markers at their ends set aside and whitespace
 * runs as one space; consecutive such lines from one text are one report.
 * A word holds a letter or a digit; table rows are never compared.
 */
#define TL_DOCDIAG__MIN_WORDS 6
#define TL_DOCDIAG__MIN_BYTES 30

typedef struct tl_docdiag__gline {
  char *norm;       /* normalised line (owned) */
  uint32_t source;  /* instruction or example index */
  uint8_t example;  /* 1: from an example */
} tl_docdiag__gline;

typedef GR_ARRAY(tl_docdiag__gline) tl_docdiag__glines;

/* Normalise s[0..n) into a new string: see above. Returns NULL when too short to count. */
static char *tl_docdiag__norm_line(const char *s, size_t n) {
  size_t a = 0, b = n;
  while (a < b && isspace((unsigned char)s[a])) a++;
  while (b > a && isspace((unsigned char)s[b - 1])) b--;
  /* A list marker: "- ", "* ", "+ ", "1. ", "1) ". */
  if (a + 1 < b && (s[a] == '-' || s[a] == '*' || s[a] == '+') && s[a + 1] == ' ') a += 2;
  else {
    size_t k = a;
    while (k < b && k - a < 4 && isdigit((unsigned char)s[k])) k++;
    if (k > a && k + 1 < b && (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ') a = k + 2;
  }
  while (a + 1 < b && ((s[a] == '*' && s[b - 1] == '*') || (s[a] == '_' && s[b - 1] == '_'))) a++, b--;
  while (a < b && isspace((unsigned char)s[a])) a++;
  while (b > a && isspace((unsigned char)s[b - 1])) b--;
  char *out = gr_malloc(b - a + 1);
  size_t o = 0, words = 0;
  int space = 1;
  for (size_t i = a; i < b; i++) {
    if (isspace((unsigned char)s[i])) {
      if (!space) out[o++] = ' ';
      space = 1;
      continue;
    }
    /* A word holds a letter or digit: table pipes and dashes are not words. */
    if (space) {
      size_t k = i;
      while (k < b && !isspace((unsigned char)s[k]) && !isalnum((unsigned char)s[k]) && !((unsigned char)s[k] & 0x80)) k++;
      if (k < b && !isspace((unsigned char)s[k])) words++;
    }
    space = 0;
    out[o++] = s[i];
  }
  out[o] = 0;
  if (words < TL_DOCDIAG__MIN_WORDS || o < TL_DOCDIAG__MIN_BYTES) {
    gr_free(out);
    return NULL;
  }
  return out;
}

static int tl_docdiag__gline_cmp(const void *a, const void *b) {
  return strcmp(((const tl_docdiag__gline *)a)->norm, ((const tl_docdiag__gline *)b)->norm);
}

static void tl_docdiag__glines_of(tl_docdiag__glines *out, const char *text, uint32_t source,
                                  int example) {
  const char *line = text;
  while (*line) {
    const char *e = strchr(line, '\n');
    if (!e) e = line + strlen(line);
    char *norm = tl_docdiag__norm_line(line, (size_t)(e - line));
    if (norm) {
      tl_docdiag__gline g = {norm, source, (uint8_t)example};
      gr_array_push(out, g);
    }
    line = *e ? e + 1 : e;
  }
}

static int tl_docdiag__in_guidance(const gr_tree *tree, uint32_t at) {
  for (uint32_t n = gr_tree_node_at(tree, at); n != GR_NONE && n != 0; n = gr_tree_node(tree, n)->parent) {
    gr_kind k = (gr_kind)gr_tree_node(tree, n)->kind;
    if (k == GR_INSTRUCTION || k == GR_EXAMPLE || k == GR_EXAMPLE_INLINE || k == GR_HTML_COMMENT) return 1;
  }
  return 0;
}

static void tl_docdiag__bare(tl_docdiag__array *out, const tl_document *d) {
  const tl_template *t = tl_document_template(d);
  if (!t) return;
  tl_docdiag__glines gl = {0};
  for (uint32_t i = 0; i < tl_template_instruction_count(t); i++) {
    const tl_tinstruction *x = tl_template_instruction(t, i);
    if (x->bare) tl_docdiag__glines_of(&gl, x->text, i, 0);
  }
  for (uint32_t i = 0; i < tl_template_example_count(t); i++) {
    const tl_texample *x = tl_template_example(t, i);
    if (x->bare && x->text) tl_docdiag__glines_of(&gl, x->text, i, 1);
  }
  if (!gl.len) return;
  qsort(gl.items, gl.len, sizeof *gl.items, tl_docdiag__gline_cmp);
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree), i = 0;
  int open = 0; /* the previous line made or extended out->items[open_at] */
  size_t open_at = 0;
  const tl_docdiag__gline *prev = NULL;
  while (i < len) {
    uint32_t e = i;
    while (e < len && text[e] != '\n') e++;
    uint32_t le = e > i && text[e - 1] == '\r' ? e - 1 : e;
    uint32_t s0 = i;
    while (s0 < le && (text[s0] == ' ' || text[s0] == '\t')) s0++;
    /* Not table rows (a template's example table shows the header a
     * document should reuse), nor lines inside markup the walk reported
     * already or inside a comment the author keeps out of sight. */
    char *norm = s0 < le && text[s0] != '|' && !tl_docdiag__in_guidance(tree, s0)
                     ? tl_docdiag__norm_line(text + i, le - i)
                     : NULL;
    const tl_docdiag__gline *hit = NULL;
    if (norm) {
      tl_docdiag__gline key = {norm, 0, 0};
      hit = bsearch(&key, gl.items, gl.len, sizeof *gl.items, tl_docdiag__gline_cmp);
      gr_free(norm);
    }
    uint32_t s = i;
    while (s < le && (text[s] == ' ' || text[s] == '\t')) s++;
    if (hit && open && prev && prev->source == hit->source && prev->example == hit->example) {
      out->items[open_at].span.end = le; /* the next line of the same text */
    } else if (hit) {
      tl_docdiag_code code = hit->example ? TL_DD_LEFTOVER_EXAMPLE : TL_DD_LEFTOVER_INSTRUCTION;
      char *ex = tl_docdiag__excerpt(text, s, le);
      char *msg = hit->example ? tl_docdiag__fmt("The template's example left in the document: \"%s\"", ex)
                               : tl_docdiag__fmt("The template's instruction left in the document: \"%s\"", ex);
      gr_free(ex);
      tl_docdiag__add(out, code, (gr_span){s, le}, (gr_span){s, s}, TL_NONE, TL_NONE, NULL, msg);
      open_at = out->len - 1;
      open = 1;
    } else {
      open = 0;
    }
    prev = hit;
    i = e < len ? e + 1 : e;
  }
  for (size_t k = 0; k < gl.len; k++) gr_free(gl.items[k].norm);
  gr_array_free(&gl);
}

static int tl_docdiag__cmp(const void *a, const void *b) {
  const tl_docdiag *x = a, *y = b;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  if (x->code != y->code) return x->code < y->code ? -1 : 1;
  if (x->tsection != y->tsection) return x->tsection < y->tsection ? -1 : 1;
  return x->span.end < y->span.end ? -1 : x->span.end > y->span.end;
}

tl_docdiag_list *tl_docdiag_run(const tl_document *d) {
  tl_docdiag__array a = {0};
  const gr_tree *tree = tl_document_tree(d);
  for (uint32_t i = gr_tree_next(tree, 0); i != GR_NONE; i = gr_tree_next(tree, i)) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->kind == GR_PLACEHOLDER) tl_docdiag__placeholder(&a, d, i);
    else tl_docdiag__markup(&a, d, i);
  }
  tl_docdiag__sections(&a, d);
  tl_docdiag__bare(&a, d);
  if (a.len > 1) qsort(a.items, a.len, sizeof a.items[0], tl_docdiag__cmp);
  tl_docdiag_list *list = gr_malloc(sizeof *list);
  list->items = a.items;
  list->len = a.len;
  return list;
}

/* ---- the association --------------------------------------------------- */

static gr_span tl_docdiag__first_line(const tl_document *d) {
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree), e = 0;
  while (e < len && text[e] != '\n' && text[e] != '\r') e++;
  return (gr_span){0, e};
}

tl_docdiag_list *tl_docdiag_assoc(const tl_document *d, const tl_assoc *a) {
  tl_docdiag__array out = {0};
  gr_span first = tl_docdiag__first_line(d);
  gr_span none = {first.start, first.start};
  if (a && a->marker_unresolved && a->marker_path) {
    char *msg = tl_docdiag__fmt("The marker names the template %s, which is not found or cannot be read (tried %s)",
                                a->marker_path, a->marker_tried ? a->marker_tried : a->marker_path);
    tl_docdiag__add(&out, TL_DD_UNKNOWN_TEMPLATE, a->marker, (gr_span){a->marker.start, a->marker.start}, TL_NONE,
                    TL_NONE, gr_strndup(a->marker_path, strlen(a->marker_path)), msg);
  } else if (a && a->rule == TL_ASSOC_NONE && a->best != TL_NONE && a->best_marker &&
             a->best_matched >= TL_DOCDIAG_NEAR_MATCHED &&
             a->best_score * 100 >= (uint64_t)a->threshold * TL_DOCDIAG_NEAR_PERCENT) {
    uint32_t sc = a->best_score, th = a->threshold;
    char *msg = sc >= th
                    ? tl_docdiag__fmt("No template matches this document; the closest is %s (score %u.%02u, needs "
                                      "%u.%02u with 3 sections in order; %u match)",
                                      a->best_path, sc / 1000, sc % 1000 / 10, th / 1000, th % 1000 / 10,
                                      a->best_matched)
                    : tl_docdiag__fmt("No template matches this document; the closest is %s (score %u.%02u, needs "
                                      "%u.%02u)",
                                      a->best_path, sc / 1000, sc % 1000 / 10, th / 1000, th % 1000 / 10);
    tl_docdiag__add(&out, TL_DD_NO_TEMPLATE, first, none, TL_NONE, TL_NONE,
                    gr_strndup(a->best_marker, strlen(a->best_marker)), msg);
  }
  uint32_t aligned, total;
  if (a && a->template_path && tl_document_template(d) && tl_document_mismatch(d, &aligned, &total)) {
    char *msg = tl_docdiag__fmt("This document does not seem to follow %s: %u of its %u sections are here, "
                                "so missing sections are not listed",
                                a->template_path, aligned, total);
    tl_docdiag__add(&out, TL_DD_TEMPLATE_MISMATCH, first, none, TL_NONE, TL_NONE, NULL, msg);
  }
  if (out.len > 1) qsort(out.items, out.len, sizeof out.items[0], tl_docdiag__cmp);
  tl_docdiag_list *list = gr_malloc(sizeof *list);
  list->items = out.items;
  list->len = out.len;
  return list;
}

void tl_docdiag_free(tl_docdiag_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->len; i++) {
    gr_free(list->items[i].name);
    gr_free(list->items[i].message);
  }
  gr_free(list->items);
  gr_free(list);
}
