/*
 * skeleton.c: a template's text without its guidance (see skeleton.h).
 *
 * Two steps: collect the byte ranges to take out (and the placeholders, for
 * snippets) from the tree, sorted and merged; then copy the span line by
 * line, skipping those ranges, and drop the lines that held only markup.
 */
#include "server/features/skeleton.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/features/edit.h"
#include "server/model/tail.h"

typedef GR_ARRAY(gr_span) ft_skeleton__spans;

static void ft_skeleton__cut(ft_skeleton__spans *a, gr_span s, gr_span within) {
  if (s.start < within.start) s.start = within.start;
  if (s.end > within.end) s.end = within.end;
  if (s.end <= s.start) return;
  gr_array_push(a, s);
}

static int ft_skeleton__cmp(const void *a, const void *b) {
  const gr_span *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

char *ft_skeleton_snippet_escape(const char *s, size_t n) {
  ft_buf b = {0};
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '$' || s[i] == '}' || s[i] == '\\') ft_buf_putn(&b, "\\", 1);
    ft_buf_putn(&b, s + i, 1);
  }
  return ft_buf_take(&b);
}

/* The line being built, and whether markup was taken out of it. */
typedef struct ft_skeleton__out {
  ft_buf all;
  ft_buf line;
  int had_removal;
  size_t pending_blank;
} ft_skeleton__out;

static void ft_skeleton__end_line(ft_skeleton__out *o) {
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
    if (o->pending_blank) ft_buf_putn(&o->all, "\n", 1);
    o->pending_blank = 0;
    ft_buf_putn(&o->all, o->line.items, o->line.len);
    ft_buf_putn(&o->all, "\n", 1);
  }
  o->line.len = 0;
  if (o->line.items) o->line.items[0] = '\0';
  o->had_removal = 0;
}

/* The skeleton, with every ATX heading's level moved by `shift` (kept in 1..6). */
static char *ft_skeleton__build(const gr_tree *tree, gr_span span, unsigned flags, int shift, size_t *len) {
  const char *text = gr_tree_text(tree);
  uint32_t tlen = gr_tree_len(tree);
  if (span.end > tlen) span.end = tlen;
  if (span.start > span.end) span.start = span.end;
  int snippet = (flags & FT_SKELETON_SNIPPET) != 0;

  ft_skeleton__spans cut = {0};
  GR_ARRAY(uint32_t) ph = {0}; /* placeholder nodes, in text order */
  GR_ARRAY(uint32_t) heads = {0}; /* ATX heading starts, in text order, when shifting */
  for (uint32_t i = gr_tree_next(tree, 0); i != GR_NONE; i = gr_tree_next(tree, i)) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->span.end <= span.start && n->span.start < span.start) continue;
    if (n->span.start >= span.end) break; /* pre-order: nothing later starts before */
    switch ((gr_kind)n->kind) {
      case GR_INSTRUCTION:
      case GR_EXAMPLE:
      case GR_EXAMPLE_INLINE:
      case GR_CRITICAL_RULE:
        ft_skeleton__cut(&cut, n->span, span);
        break;
      case GR_CONDITION:
        /* A block around the whole span is the span's own condition: only
         * the blocks inside it are left out. */
        if ((flags & FT_SKELETON_DROP_CONDITIONS) && n->span.start >= span.start) {
          ft_skeleton__cut(&cut, n->span, span);
          break;
        }
        /* fall through - drop the markers, keep the content */
      case GR_REPEAT:
        ft_skeleton__cut(&cut, n->open, span);
        ft_skeleton__cut(&cut, n->close, span);
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
  if (cut.len > 1) qsort(cut.items, cut.len, sizeof *cut.items, ft_skeleton__cmp);

  /* Tab stops: one number per distinct placeholder name, by first use. */
  GR_ARRAY(gr_span) names = {0};

  ft_skeleton__out o;
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
      ft_skeleton__end_line(&o);
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
      ft_buf_putn(&o.line, "######", (size_t)level);
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
      if (k == names.len) gr_array_push(&names, nm);
      char *esc = ft_skeleton_snippet_escape(text + p.start, p.end - p.start);
      ft_buf_printf(&o.line, "${%zu:%s}", k + 1, esc);
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
      char *esc = ft_skeleton_snippet_escape(text + pos, e - pos);
      ft_buf_puts(&o.line, esc);
      gr_free(esc);
    } else {
      ft_buf_putn(&o.line, text + pos, e - pos);
    }
    pos = e;
  }
  if (o.line.len || o.had_removal) ft_skeleton__end_line(&o);
  gr_array_free(&o.line);
  gr_array_free(&cut);
  gr_array_free(&ph);
  gr_array_free(&heads);
  gr_array_free(&names);
  if (len) *len = o.all.len;
  return ft_buf_take(&o.all);
}

char *ft_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len) {
  return ft_skeleton__build(tree, span, flags, 0, len);
}

char *ft_skeleton_section_new(const gr_tree *tree, const tl_template *tmpl, uint32_t si, unsigned flags, int level,
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
  return ft_skeleton__build(tree, span, flags, shift, len);
}
