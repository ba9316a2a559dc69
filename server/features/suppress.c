/*
 * suppress.c: inline suppression comments (see suppress.h).
 *
 * The comments are the tree's html-comment nodes (so never ones inside
 * code). Codes become bits of a mask by their index in the registry. The
 * diagnostics, sorted by position, are swept once against the disable and
 * enable comments in text order; line comments cover whole lines, found
 * through a line index made only when there is such a comment.
 */
#include "server/features/suppress.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

typedef enum tl__verb { TL__DISABLE, TL__ENABLE, TL__LINE, TL__NEXT_LINE, TL__FILE } tl__verb;

/* Longest first: "tmpl-ls-disable" is a prefix of the others. */
static const struct {
  const char *word;
  tl__verb verb;
} tl__verbs[] = {
    {TL_SUPPRESS_NEXT_LINE, TL__NEXT_LINE}, {TL_SUPPRESS_LINE, TL__LINE},
    {TL_SUPPRESS_FILE, TL__FILE},           {"tmpl-ls-disable", TL__DISABLE},
    {"tmpl-ls-enable", TL__ENABLE},
};

typedef struct tl__directive {
  tl__verb verb;
  uint64_t codes; /* registry bits; every bit for "every code" */
  gr_span where;  /* disable/enable: from where.start on; line ones: the lines covered */
} tl__directive;

typedef GR_ARRAY(tl__directive) tl__directives;

static int tl__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The registry bit of code t[s..e), or 0 (and an unknown-suppression warning in unknown). */
static uint64_t tl__code_bit(const char *t, uint32_t s, uint32_t e, tl_diags *unknown) {
  size_t count;
  const tl_code_info *codes = tl_codes(&count);
  for (size_t i = 0; i < count; i++)
    if (strlen(codes[i].code) == e - s && memcmp(codes[i].code, t + s, e - s) == 0)
      return (uint64_t)1 << i;
  char msg[200];
  snprintf(msg, sizeof msg, "'%.*s' is not a tmpl-ls diagnostic code: this comment turns nothing off for it",
           (int)(e - s < 80 ? e - s : 80), t + s);
  tl_diags_add(unknown, "unknown-suppression", GR_SEV_WARNING, (gr_span){s, e}, msg, UINT32_MAX);
  return 0;
}

/* Read comment node n as a directive into *out; 0 when it is none. */
static int tl__read(const char *t, const gr_node *n, tl__directive *out, tl_diags *unknown) {
  uint32_t s = n->body.start, e = n->body.end;
  while (s < e && tl__blank(t[s])) s++;
  size_t k = 0, nverbs = sizeof tl__verbs / sizeof tl__verbs[0];
  for (; k < nverbs; k++) {
    size_t w = strlen(tl__verbs[k].word);
    if (e - s >= w && memcmp(t + s, tl__verbs[k].word, w) == 0 && (s + w == e || tl__blank(t[s + w])))
      break;
  }
  if (k == nverbs) return 0;
  out->verb = tl__verbs[k].verb;
  out->codes = 0;
  bool any = false;
  for (uint32_t i = s + (uint32_t)strlen(tl__verbs[k].word); i < e;) {
    while (i < e && (tl__blank(t[i]) || t[i] == ',')) i++;
    uint32_t c = i;
    while (i < e && !tl__blank(t[i]) && t[i] != ',') i++;
    if (c == i) break;
    any = true;
    out->codes |= tl__code_bit(t, c, i, unknown);
  }
  if (!any) out->codes = ~(uint64_t)0;
  out->where = n->span;
  return 1;
}

/* The whole lines holding [s, e), terminators excluded. */
static gr_span tl__lines_of(const gr_lines *l, const char *t, uint32_t s, uint32_t e) {
  uint32_t first = gr_lines_line_of(l, s), last = gr_lines_line_of(l, e);
  return (gr_span){(uint32_t)gr_lines_start(l, first), (uint32_t)gr_lines_end(l, t, last)};
}

/* The line after the one holding e (empty at the end of the text, len). */
static gr_span tl__next_line(const gr_lines *l, const char *t, uint32_t len, uint32_t e) {
  uint32_t line = gr_lines_line_of(l, e) + 1;
  if (line >= gr_lines_count(l)) return (gr_span){len, len};
  return (gr_span){(uint32_t)gr_lines_start(l, line), (uint32_t)gr_lines_end(l, t, line)};
}

static int tl__by_start(const void *a, const void *b) {
  uint32_t x = ((const tl__directive *)a)->where.start, y = ((const tl__directive *)b)->where.start;
  return x < y ? -1 : x > y;
}

void tl_suppress(tl_diags *d, const gr_tree *tree) {
  const char *t = gr_tree_text(tree);
  tl__directives regions = {0}, lines = {0};
  uint64_t file = 0;
  gr_lines *index = NULL;
  for (uint32_t i = 1; i < gr_tree_count(tree); i++) {
    const gr_node *n = gr_tree_node(tree, i);
    tl__directive x;
    if (n->kind != GR_HTML_COMMENT || !tl__read(t, n, &x, d)) continue; /* unknown codes go to d */
    if (x.verb == TL__FILE) {
      file |= x.codes;
    } else if (x.verb == TL__DISABLE || x.verb == TL__ENABLE) {
      gr_array_push(&regions, x);
    } else {
      if (!index) index = gr_lines_new(t, gr_tree_len(tree));
      x.where = x.verb == TL__LINE ? tl__lines_of(index, t, n->span.start, n->span.end)
                                   : tl__next_line(index, t, gr_tree_len(tree), n->span.end);
      gr_array_push(&lines, x);
    }
  }
  gr_lines_free(index);
  tl_diags_sort(d);
  if (lines.len > 1) qsort(lines.items, lines.len, sizeof *lines.items, tl__by_start);
  if (file || regions.len || lines.len) {
    size_t ncodes, keep = 0, r = 0, lo = 0;
    const tl_code_info *codes = tl_codes(&ncodes);
    uint64_t region = 0;
    for (size_t k = 0; k < d->len; k++) {
      tl_diag *x = &d->items[k];
      uint32_t at = x->span.start;
      for (; r < regions.len && regions.items[r].where.start <= at; r++)
        region = regions.items[r].verb == TL__DISABLE ? region | regions.items[r].codes
                                                      : region & ~regions.items[r].codes;
      uint64_t off = file | region;
      while (lo < lines.len && lines.items[lo].where.end < at) lo++;
      for (size_t j = lo; j < lines.len && lines.items[j].where.start <= at; j++)
        if (lines.items[j].where.end >= at) off |= lines.items[j].codes;
      const tl_code_info *info = tl_code_find(x->code);
      uint64_t bit = info ? (uint64_t)1 << (info - codes) : 0;
      if (off & bit) gr_free(x->message);
      else d->items[keep++] = *x;
    }
    d->len = keep;
  }
  gr_array_free(&regions);
  gr_array_free(&lines);
}
