/*
 * document.c: a document's sections matched against its template's.
 *
 * Three steps: collect the document's heading sections (pre-order, so a
 * parent is matched before its children and can steer their match); order
 * the matches with a longest non-decreasing subsequence; list the template
 * sections that are missing, each with its insertion offset.
 */
#include "server/model/document.h"

#include <string.h>

#include "grammar/alloc.h"
#include "server/model/pattern.h"
#include "server/model/tail.h"

struct tl_document {
  const gr_tree *tree;
  const tl_template *tmpl;
  uint32_t len;
  GR_ARRAY(tl_dsection) sections;
  GR_ARRAY(tl_doc_missing) missing;
  uint32_t *occurrences; /* per template section */
  uint32_t *last;        /* per template section: last document section matching it */
};

/* ---- matching ----------------------------------------------------------- */

/* Order key: every section of one outermost REPEAT body shares the key of
 * that body's first section, so instances repeat without going "back". */
static uint32_t *tl_document__keys(const tl_template *t) {
  uint32_t n = tl_template_section_count(t);
  uint32_t *key = gr_malloc(((size_t)n + 1) * sizeof *key);
  for (uint32_t i = 0; i < n; i++) {
    const tl_tsection *s = tl_template_section(t, i);
    key[i] = i;
    if (s->repeat == TL_NONE) continue;
    uint32_t r = s->repeat;
    while (tl_template_repeat(t, r)->parent != TL_NONE) r = tl_template_repeat(t, r)->parent;
    for (uint32_t j = 0; j < i; j++) {
      const tl_tsection *o = tl_template_section(t, j);
      uint32_t q = o->repeat;
      while (q != TL_NONE && tl_template_repeat(t, q)->parent != TL_NONE)
        q = tl_template_repeat(t, q)->parent;
      if (q == r) {
        key[i] = j;
        break;
      }
    }
  }
  return key;
}

/* Pick the template section for document section `di`. */
static void tl_document__match(tl_document *d, uint32_t di, uint32_t last_match,
                               const char *norm, size_t nlen) {
  const tl_template *t = d->tmpl;
  tl_dsection *ds = &d->sections.items[di];
  uint32_t tparent =
      ds->parent == TL_NONE ? TL_NONE : d->sections.items[ds->parent].tsection;
  uint32_t best = TL_NONE;
  int best_lit = -1, best_parent = 0, best_after = 0;
  uint32_t best_dist = 0;
  uint32_t n = tl_template_section_count(t);
  for (uint32_t c = 0; c < n; c++) {
    const tl_tsection *ts = tl_template_section(t, c);
    if (ts->level != ds->level) continue;
    if (!ts->repeats && d->occurrences[c] > 0) continue;
    int lit = tl_template_heading_match(t, c, norm, nlen);
    if (lit < 0) continue;
    int parent_ok = ts->parent == tparent;
    if (lit == 0 && !parent_ok) continue;
    int after = last_match == TL_NONE || c > last_match || (c == last_match && ts->repeats);
    uint32_t dist = last_match == TL_NONE ? c : after ? c - last_match : last_match - c;
    int better;
    if (best == TL_NONE) better = 1;
    else if (parent_ok != best_parent) better = parent_ok > best_parent;
    else if (lit != best_lit) better = lit > best_lit;
    else if (after != best_after) better = after > best_after;
    else better = dist < best_dist;
    if (better) {
      best = c;
      best_lit = lit;
      best_parent = parent_ok;
      best_after = after;
      best_dist = dist;
    }
  }
  if (best != TL_NONE) {
    ds->tsection = best;
    ds->literal = best_lit;
    d->occurrences[best]++;
    d->last[best] = di;
  }
}

/* Longest non-decreasing subsequence of the matched sections' keys; the
 * others are marked out of order. Patience sorting with back links. */
static void tl_document__order(tl_document *d, const uint32_t *key) {
  size_t n = d->sections.len;
  uint32_t *idx = gr_malloc((n + 1) * sizeof *idx);  /* matched doc sections */
  uint32_t *tail = gr_malloc((n + 1) * sizeof *tail); /* pile tops (into idx) */
  uint32_t *prev = gr_malloc((n + 1) * sizeof *prev);
  size_t m = 0, piles = 0;
  for (size_t i = 0; i < n; i++)
    if (d->sections.items[i].tsection != TL_NONE) idx[m++] = (uint32_t)i;
  for (size_t k = 0; k < m; k++) {
    uint32_t v = key[d->sections.items[idx[k]].tsection];
    /* first pile whose top key is greater than v (non-decreasing) */
    size_t lo = 0, hi = piles;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (key[d->sections.items[idx[tail[mid]]].tsection] <= v) lo = mid + 1;
      else hi = mid;
    }
    prev[k] = lo > 0 ? tail[lo - 1] : TL_NONE;
    tail[lo] = (uint32_t)k;
    if (lo == piles) piles++;
  }
  for (size_t k = 0; k < m; k++) d->sections.items[idx[k]].in_order = 0;
  for (uint32_t k = piles ? tail[piles - 1] : TL_NONE; k != TL_NONE; k = prev[k])
    d->sections.items[idx[k]].in_order = 1;
  gr_free(idx);
  gr_free(tail);
  gr_free(prev);
}

/* ---- missing sections --------------------------------------------------- */

/* ---- insertion offsets --------------------------------------------------- */

/* Where an insert after document section `di` goes: the end of its span
 * (after its subsections), before the document's closing matter when the
 * section runs to the end of the text. */
static uint32_t tl_document__after(const tl_document *d, uint32_t di) {
  return tl_tail_start(d->tree, d->sections.items[di].span);
}

/* The first in-order document section matching template section k, or TL_NONE. */
static uint32_t tl_document__first(const tl_document *d, uint32_t k) {
  for (size_t i = 0; i < d->sections.len; i++)
    if (d->sections.items[i].tsection == k && d->sections.items[i].in_order) return (uint32_t)i;
  return TL_NONE;
}

/* Where missing template section c goes: after the nearest preceding
 * sibling (same template parent) that the document has in order, at the
 * end of its content; else before the nearest following one; else at the
 * end of the parent's content; else before the first matched heading; else
 * at the end of the text. Never after the closing matter (tail.h). */
static uint32_t tl_document__insert_at(const tl_document *d, uint32_t c) {
  const tl_template *t = d->tmpl;
  uint32_t n = tl_template_section_count(t);
  uint32_t parent = tl_template_section(t, c)->parent;
  for (uint32_t k = c; k-- > 0;) {
    if (tl_template_section(t, k)->parent != parent || d->occurrences[k] == 0) continue;
    if (d->sections.items[d->last[k]].in_order) return tl_document__after(d, d->last[k]);
  }
  for (uint32_t k = c + 1; k < n; k++) {
    if (tl_template_section(t, k)->parent != parent || d->occurrences[k] == 0) continue;
    uint32_t di = tl_document__first(d, k);
    if (di != TL_NONE) return d->sections.items[di].span.start;
  }
  if (parent != TL_NONE && d->occurrences[parent] > 0) return tl_document__after(d, d->last[parent]);
  for (size_t i = 0; i < d->sections.len; i++)
    if (d->sections.items[i].tsection != TL_NONE) return d->sections.items[i].span.start;
  gr_span all = {0, d->len};
  return tl_tail_start(d->tree, all);
}

static void tl_document__missing(tl_document *d) {
  const tl_template *t = d->tmpl;
  uint32_t n = tl_template_section_count(t);
  uint32_t title = tl_template_title(t);
  for (uint32_t c = 0; c < n; c++) {
    const tl_tsection *s = tl_template_section(t, c);
    if (d->occurrences[c] > 0 || s->optional) continue;
    /* One report per missing subtree; the title is the exception, since a
     * document without the template's title still has its sections. */
    if (s->parent != TL_NONE && s->parent != title && d->occurrences[s->parent] == 0) continue;
    tl_doc_missing m = {c, tl_document__insert_at(d, c)};
    gr_array_push(&d->missing, m);
  }
}

/* ---- building ----------------------------------------------------------- */

tl_document *tl_document_new(const gr_tree *tree, const tl_template *tmpl) {
  tl_document *d = gr_calloc(1, sizeof *d);
  d->tree = tree;
  d->tmpl = tmpl;
  d->len = gr_tree_len(tree);
  const char *text = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  uint32_t *sec = gr_malloc((size_t)count * sizeof *sec);
  uint32_t tn = tmpl ? tl_template_section_count(tmpl) : 0;
  d->occurrences = gr_calloc((size_t)tn + 1, sizeof *d->occurrences);
  d->last = gr_calloc((size_t)tn + 1, sizeof *d->last);
  uint32_t last_match = TL_NONE;

  for (uint32_t i = 0; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    sec[i] = n->parent == GR_NONE ? TL_NONE : sec[n->parent];
    if (n->kind != GR_SECTION) continue;
    if (n->flags & (GR_FLAG_IN_CODE | GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) continue;
    tl_dsection ds;
    memset(&ds, 0, sizeof ds);
    ds.node = i;
    ds.level = n->level;
    ds.in_order = 1;
    /* as in the template model: the nearest enclosing section of a higher level */
    uint32_t up = sec[i];
    while (up != TL_NONE && d->sections.items[up].level >= n->level) up = d->sections.items[up].parent;
    ds.parent = up;
    ds.tsection = TL_NONE;
    ds.literal = -1;
    ds.span = n->span;
    ds.heading = n->open;
    ds.title = n->name;
    uint32_t di = (uint32_t)d->sections.len;
    sec[i] = di;
    gr_array_push(&d->sections, ds);
    if (tmpl) {
      size_t nlen;
      char *norm = tl_pattern_normalize(text + n->name.start, n->name.end - n->name.start, &nlen);
      tl_document__match(d, di, last_match, norm, nlen);
      gr_free(norm);
      if (d->sections.items[di].tsection != TL_NONE) last_match = d->sections.items[di].tsection;
    }
  }
  gr_free(sec);
  if (tmpl) {
    uint32_t *key = tl_document__keys(tmpl);
    tl_document__order(d, key);
    gr_free(key);
    tl_document__missing(d);
  }
  return d;
}

void tl_document_free(tl_document *d) {
  if (!d) return;
  gr_array_free(&d->sections);
  gr_array_free(&d->missing);
  gr_free(d->occurrences);
  gr_free(d->last);
  gr_free(d);
}

/* ---- reading ------------------------------------------------------------ */

const gr_tree *tl_document_tree(const tl_document *d) { return d->tree; }
const tl_template *tl_document_template(const tl_document *d) { return d->tmpl; }

uint32_t tl_document_section_count(const tl_document *d) { return (uint32_t)d->sections.len; }

const tl_dsection *tl_document_section(const tl_document *d, uint32_t i) {
  return i < d->sections.len ? &d->sections.items[i] : NULL;
}

uint32_t tl_document_missing_count(const tl_document *d) { return (uint32_t)d->missing.len; }

const tl_doc_missing *tl_document_missing(const tl_document *d, uint32_t i) {
  return i < d->missing.len ? &d->missing.items[i] : NULL;
}

uint32_t tl_document_section_at(const tl_document *d, uint32_t offset) {
  /* As tl_template_section_at: binary search, then climb to the holder. */
  size_t lo = 0, hi = d->sections.len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d->sections.items[mid].span.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo ? (uint32_t)(lo - 1) : TL_NONE; i != TL_NONE; i = d->sections.items[i].parent) {
    gr_span s = d->sections.items[i].span;
    if (offset < s.end || (offset == s.end && s.end == d->len)) return i;
  }
  return TL_NONE;
}

uint32_t tl_document_tsection_at(const tl_document *d, uint32_t offset) {
  for (uint32_t i = tl_document_section_at(d, offset); i != TL_NONE;
       i = d->sections.items[i].parent)
    if (d->sections.items[i].tsection != TL_NONE) return d->sections.items[i].tsection;
  return TL_NONE;
}

uint32_t tl_document_occurrences(const tl_document *d, uint32_t ts) {
  if (!d->tmpl || ts >= tl_template_section_count(d->tmpl)) return 0;
  return d->occurrences[ts];
}

tl_doc_score tl_document_score(const tl_document *d) {
  tl_doc_score sc;
  memset(&sc, 0, sizeof sc);
  if (!d->tmpl) {
    sc.doc_sections = (uint32_t)d->sections.len;
    return sc;
  }
  const tl_template *t = d->tmpl;
  uint32_t tn = tl_template_section_count(t);
  uint8_t deepest = 0;
  for (uint32_t c = 0; c < tn; c++) {
    const tl_tsection *s = tl_template_section(t, c);
    if (s->level > deepest) deepest = s->level;
    if (!s->optional) sc.template_sections++;
  }
  uint8_t *seen = gr_calloc((size_t)tn + 1, 1);
  for (size_t i = 0; i < d->sections.len; i++) {
    const tl_dsection *s = &d->sections.items[i];
    if (s->level > deepest) continue;
    sc.doc_sections++;
    if (s->tsection == TL_NONE || !s->in_order || s->literal <= 0) continue;
    sc.matched_doc++;
    if (!seen[s->tsection] && !tl_template_section(t, s->tsection)->optional) {
      seen[s->tsection] = 1;
      sc.matched++;
    }
  }
  gr_free(seen);
  uint32_t title = tl_template_title(t);
  if (d->sections.len > 0 && title != TL_NONE && d->sections.items[0].tsection == title &&
      d->sections.items[0].literal > 0)
    sc.title = 1;
  return sc;
}
