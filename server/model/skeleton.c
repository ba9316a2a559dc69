/*
 * skeleton.c (model): a template's text without its guidance (see skeleton.h).
 *
 * Two steps: collect the byte ranges to take out (and the placeholders, for
 * snippets) from the tree, sorted and merged; then copy the span line by
 * line, skipping those ranges, and drop the lines that held only markup.
 */
#include "server/model/skeleton.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/tail.h"

/* A growable string (the model's own: tl_skel__buf belongs to the features). */
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

/* The skeleton, with every ATX heading's level moved by `shift` (kept in 1..6). */
static char *tl_skeleton__build(const gr_tree *tree, gr_span span, unsigned flags, int shift, size_t *len) {
  const char *text = gr_tree_text(tree);
  uint32_t tlen = gr_tree_len(tree);
  if (span.end > tlen) span.end = tlen;
  if (span.start > span.end) span.start = span.end;
  int snippet = (flags & TL_SKELETON_SNIPPET) != 0;

  tl_skeleton__spans cut = {0};
  GR_ARRAY(uint32_t) ph = {0}; /* placeholder nodes, in text order */
  GR_ARRAY(uint32_t) heads = {0}; /* ATX heading starts, in text order, when shifting */
  /* The nodes that meet the span: those that hold its start (the chain of
   * ancestors of the deepest one there), then, in pre-order, every node
   * that starts inside it. The node array is in pre-order, so starts never
   * decrease: a binary search finds the first node inside, and the model
   * builds each section's skeleton without walking the whole tree. */
  GR_ARRAY(uint32_t) meet = {0};
  for (uint32_t i = gr_tree_node_at(tree, span.start); i != GR_NONE && i != 0; i = gr_tree_node(tree, i)->parent)
    if (gr_tree_node(tree, i)->span.start < span.start) gr_array_push(&meet, i);
  for (size_t a = 0, b = meet.len; a + 1 < b; a++, b--) { /* outermost first, as pre-order has them */
    uint32_t tmp = meet.items[a];
    meet.items[a] = meet.items[b - 1];
    meet.items[b - 1] = tmp;
  }
  uint32_t lo = 1, up = gr_tree_count(tree);
  while (lo < up) {
    uint32_t mid = lo + (up - lo) / 2;
    if (gr_tree_node(tree, mid)->span.start < span.start) lo = mid + 1;
    else up = mid;
  }
  size_t held = meet.len;
  for (uint32_t i = lo; i < gr_tree_count(tree) && gr_tree_node(tree, i)->span.start < span.end; i++)
    gr_array_push(&meet, i);
  for (size_t m = 0; m < meet.len; m++) {
    uint32_t i = meet.items[m];
    const gr_node *n = gr_tree_node(tree, i);
    if (m < held && n->span.end <= span.start) continue;
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
        /* "${{ secrets.TOKEN }}" is another language's expression, written
         * as it stands: no tab stop in it. */
        if (n->span.start >= span.start && n->span.end <= span.end &&
            !(n->span.start > 0 && text[n->span.start - 1] == '$'))
          gr_array_push(&ph, i);
        break;
      case GR_SECTION:
        if (shift && !(n->flags & (GR_FLAG_SETEXT | GR_FLAG_IN_CODE | GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) &&
            n->open.start >= span.start && n->open.start < span.end)
          gr_array_push(&heads, n->open.start);
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
  size_t ci = 0, pi = 0, hi = 0;
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
    while (hi < heads.len && heads.items[hi] < pos) hi++;
    if (hi < heads.len && heads.items[hi] == pos) {
      uint32_t h = pos;
      while (h < span.end && text[h] == ' ') h++;
      int level = 0;
      while (h < span.end && text[h] == '#') h++, level++;
      level += shift;
      if (level < 1) level = 1;
      if (level > 6) level = 6;
      tl_skel__putn(&o.line, "######", (size_t)level);
      pos = h;
      hi++;
      continue;
    }
    if (snippet && pi < ph.len && gr_tree_node(tree, ph.items[pi])->span.start == pos) {
      const gr_node *n = gr_tree_node(tree, ph.items[pi]);
      gr_span p = n->span, nm = n->name;
      size_t k = 0;
      while (k < names.len && !(names.items[k].end - names.items[k].start == nm.end - nm.start &&
                                memcmp(text + names.items[k].start, text + nm.start, nm.end - nm.start) == 0))
        k++;
      char *esc = tl_skeleton_snippet_escape(text + p.start, p.end - p.start);
      if (k == names.len && names.len >= TL_SKELETON_MAX_STOPS) {
        /* Past the tab stops a person can tab through: written as it is
         * (and the name lookup stays bounded). */
        tl_skel__puts(&o.line, esc);
        gr_free(esc);
        pos = p.end;
        continue;
      }
      if (k == names.len) gr_array_push(&names, nm);
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
    if (hi < heads.len && heads.items[hi] < stop) stop = heads.items[hi];
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
  gr_array_free(&heads);
  gr_array_free(&names);
  gr_array_free(&meet);
  if (len) *len = o.all.len;
  return tl_skel__take(&o.all);
}

char *tl_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len) {
  return tl_skeleton__build(tree, span, flags, 0, len);
}

char *tl_skeleton_section_new(const gr_tree *tree, const tl_template *tmpl, uint32_t si, unsigned flags, int level,
                              size_t *len) {
  const tl_tsection *s = tl_template_section(tmpl, si);
  if (!s) {
    if (len) *len = 0;
    return gr_strndup("", 0);
  }
  int shift = level >= 1 && level <= 6 ? level - (int)s->level : 0;
  /* The template's closing matter lies in its last section's span, but is
   * no part of that section. */
  gr_span span = {s->span.start, tl_tail_start(tree, s->span)};
  /* A later section that is not this one's (a sibling in a REPEAT or
   * CONDITION block that opens inside this span: "### Firewall" then
   * "<<REPEAT: zone>>" "### Zone {{n}}") ends it, with the blocks holding
   * it that open here. */
  for (uint32_t k = si + 1; k < tl_template_section_count(tmpl); k++) {
    const tl_tsection *o = tl_template_section(tmpl, k);
    if (o->span.start >= span.end) break;
    if (tl_template_section_within(tmpl, k, si)) continue;
    uint32_t end = o->span.start;
    for (uint32_t r = o->repeat; r != TL_NONE; r = tl_template_repeat(tmpl, r)->parent) {
      gr_span b = tl_template_repeat(tmpl, r)->span;
      if (b.start > s->span.start && b.start < end) end = b.start;
    }
    for (uint32_t c = o->condition; c != TL_NONE; c = tl_template_condition(tmpl, c)->parent) {
      gr_span b = tl_template_condition(tmpl, c)->span;
      if (b.start > s->span.start && b.start < end) end = b.start;
    }
    span.end = end;
    break;
  }
  return tl_skeleton__build(tree, span, flags, shift, len);
}

char *tl_skeleton_relevel(const char *s, size_t n, int shift, size_t *len) {
  if (!shift) {
    if (len) *len = n;
    return gr_strndup(s, n);
  }
  /* The text is a skeleton already: rebuilding it changes nothing but the
   * headings (it holds no markup to take out, and its blank lines are
   * already one per run). */
  gr_tree *tree = gr_parse(s, n, NULL);
  char *out = tl_skeleton__build(tree, (gr_span){0, gr_tree_len(tree)}, 0, shift, len);
  gr_tree_free(tree);
  return out;
}
