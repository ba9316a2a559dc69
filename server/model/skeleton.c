/*
 * skeleton.c (model): a template's text without its guidance (see skeleton.h).
 *
 * Two steps: collect the byte ranges to take out (and the placeholders, for
 * snippets) from the tree, sorted and merged; then copy the span line by
 * line, skipping those ranges, and drop the lines that held only markup.
 */
#include "server/model/skeleton.h"

#include <stdlib.h>
#include <string.h>

#include <stdio.h>

#include "grammar/alloc.h"

/* A growable string (the model's own: ft_buf belongs to the features). */
typedef GR_ARRAY(char) tl_skel__buf;

static void tl_skel__putn(tl_skel__buf *b, const char *s, size_t n) {
  gr_array_reserve(b, n + 1);
  if (n) memcpy(b->items + b->len, s, n);
  b->len += n;
  b->items[b->len] = '\0';
}

static void tl_skel__puts(tl_skel__buf *b, const char *s) { tl_skel__putn(b, s, strlen(s)); }

static char *tl_skel__take(tl_skel__buf *b) {
  if (!b->items) return gr_strndup("", 0);
  char *s = b->items;
  b->items = NULL;
  b->len = b->cap = 0;
  return s;
}

typedef GR_ARRAY(gr_span) tl_skeleton__spans;

static void tl_skeleton__cut(tl_skeleton__spans *a, gr_span s, gr_span within) {
  if (s.start < within.start) s.start = within.start;
  if (s.end > within.end) s.end = within.end;
  if (s.end <= s.start) return;
  gr_array_push(a, s);
}

static int tl_skeleton__cmp(const void *a, const void *b) {
  const gr_span *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

char *tl_skeleton_snippet_escape(const char *s, size_t n) {
  tl_skel__buf b = {0};
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '$' || s[i] == '}' || s[i] == '\\') tl_skel__putn(&b, "\\", 1);
    tl_skel__putn(&b, s + i, 1);
  }
  return tl_skel__take(&b);
}

/* The line being built, and whether markup was taken out of it. */
typedef struct tl_skeleton__out {
  tl_skel__buf all;
  tl_skel__buf line;
  int had_removal;
  size_t pending_blank;
} tl_skeleton__out;

static void tl_skeleton__end_line(tl_skeleton__out *o) {
  if (o->had_removal)
    while (o->line.len && (o->line.items[o->line.len - 1] == ' ' || o->line.items[o->line.len - 1] == '\t'))
      o->line.items[--o->line.len] = '\0';
  int blank = 1;
  for (size_t i = 0; i < o->line.len; i++)
    if (o->line.items[i] != ' ' && o->line.items[i] != '\t') blank = 0;
  if (blank) {
    /* A line that only held markup goes; a blank line is kept, one per run,
     * and written only when something follows it. */
    if (!o->had_removal && o->all.len) o->pending_blank = 1;
  } else {
    if (o->pending_blank) tl_skel__putn(&o->all, "\n", 1);
    o->pending_blank = 0;
    tl_skel__putn(&o->all, o->line.items, o->line.len);
    tl_skel__putn(&o->all, "\n", 1);
  }
  o->line.len = 0;
  if (o->line.items) o->line.items[0] = '\0';
  o->had_removal = 0;
}

char *tl_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len) {
  const char *text = gr_tree_text(tree);
  uint32_t tlen = gr_tree_len(tree);
  if (span.end > tlen) span.end = tlen;
  if (span.start > span.end) span.start = span.end;
  int snippet = (flags & TL_SKELETON_SNIPPET) != 0;

  tl_skeleton__spans cut = {0};
  GR_ARRAY(uint32_t) ph = {0}; /* placeholder nodes, in text order */
  for (uint32_t i = gr_tree_next(tree, 0); i != GR_NONE; i = gr_tree_next(tree, i)) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->span.end <= span.start && n->span.start < span.start) continue;
    if (n->span.start >= span.end) break; /* pre-order: nothing later starts before */
    switch ((gr_kind)n->kind) {
      case GR_INSTRUCTION:
      case GR_EXAMPLE:
      case GR_EXAMPLE_INLINE:
      case GR_CRITICAL_RULE:
        tl_skeleton__cut(&cut, n->span, span);
        break;
      case GR_CONDITION:
        /* A block around the whole span is the span's own condition: only
         * the blocks inside it are left out. */
        if ((flags & TL_SKELETON_DROP_CONDITIONS) && n->span.start >= span.start) {
          tl_skeleton__cut(&cut, n->span, span);
          break;
        }
        /* fall through - drop the markers, keep the content */
      case GR_REPEAT:
        tl_skeleton__cut(&cut, n->open, span);
        tl_skeleton__cut(&cut, n->close, span);
        break;
      case GR_PLACEHOLDER:
        if (n->span.start >= span.start && n->span.end <= span.end) gr_array_push(&ph, i);
        break;
      default:
        break;
    }
  }
  if (cut.len > 1) qsort(cut.items, cut.len, sizeof *cut.items, tl_skeleton__cmp);

  /* Tab stops: one number per distinct placeholder name, by first use. */
  GR_ARRAY(gr_span) names = {0};

  tl_skeleton__out o;
  memset(&o, 0, sizeof o);
  size_t ci = 0, pi = 0;
  uint32_t pos = span.start;
  while (pos < span.end) {
    while (ci < cut.len && cut.items[ci].end <= pos) ci++;
    if (ci < cut.len && cut.items[ci].start <= pos) {
      o.had_removal = 1;
      pos = cut.items[ci].end;
      continue;
    }
    while (pi < ph.len && gr_tree_node(tree, ph.items[pi])->span.start < pos) pi++;
    char c = text[pos];
    if (c == '\n' || c == '\r') {
      tl_skeleton__end_line(&o);
      pos += (c == '\r' && pos + 1 < span.end && text[pos + 1] == '\n') ? 2 : 1;
      continue;
    }
    if (snippet && pi < ph.len && gr_tree_node(tree, ph.items[pi])->span.start == pos) {
      const gr_node *n = gr_tree_node(tree, ph.items[pi]);
      gr_span p = n->span, nm = n->name;
      size_t k = 0;
      while (k < names.len && !(names.items[k].end - names.items[k].start == nm.end - nm.start &&
                                memcmp(text + names.items[k].start, text + nm.start, nm.end - nm.start) == 0))
        k++;
      if (k == names.len) gr_array_push(&names, nm);
      char *esc = tl_skeleton_snippet_escape(text + p.start, p.end - p.start);
      char num[32];
      snprintf(num, sizeof num, "${%zu:", k + 1);
      tl_skel__puts(&o.line, num);
      tl_skel__puts(&o.line, esc);
      tl_skel__puts(&o.line, "}");
      gr_free(esc);
      pos = p.end;
      continue;
    }
    /* Copy a run up to the next line end, cut, or placeholder. */
    uint32_t stop = span.end;
    if (ci < cut.len && cut.items[ci].start < stop) stop = cut.items[ci].start;
    if (snippet && pi < ph.len && gr_tree_node(tree, ph.items[pi])->span.start < stop)
      stop = gr_tree_node(tree, ph.items[pi])->span.start;
    uint32_t e = pos;
    while (e < stop && text[e] != '\n' && text[e] != '\r') e++;
    if (snippet) {
      char *esc = tl_skeleton_snippet_escape(text + pos, e - pos);
      tl_skel__puts(&o.line, esc);
      gr_free(esc);
    } else {
      tl_skel__putn(&o.line, text + pos, e - pos);
    }
    pos = e;
  }
  if (o.line.len || o.had_removal) tl_skeleton__end_line(&o);
  gr_array_free(&o.line);
  gr_array_free(&cut);
  gr_array_free(&ph);
  gr_array_free(&names);
  if (len) *len = o.all.len;
  return tl_skel__take(&o.all);
}
