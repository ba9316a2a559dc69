/*
 * selection.c: selection ranges (see selection.h).
 *
 * Candidates are gathered innermost first, then filtered so that each kept
 * span strictly contains the one kept before it: a candidate that does not
 * (an opener beside the cursor's line, a body that does not hold the
 * cursor's element) is simply skipped. The climb to the root is a loop over
 * parent links, bounded by the parser's nesting limit.
 */
#include "server/features/selection.h"

#include "grammar/alloc.h"

typedef GR_ARRAY(gr_span) ft_selection__spans;

static int ft_selection__holds(gr_span s, uint32_t off) { return s.start <= off && off <= s.end; }

static int ft_selection__leaf(uint8_t kind) {
  return kind == GR_PLACEHOLDER || kind == GR_CODE_SPAN || kind == GR_EXAMPLE_INLINE;
}

static int ft_selection__block(uint8_t kind) {
  switch (kind) {
    case GR_REPEAT:
    case GR_CONDITION:
    case GR_EXAMPLE:
    case GR_CRITICAL_RULE:
    case GR_INSTRUCTION:
    case GR_FENCE:
    case GR_HTML_COMMENT:
    case GR_FRONT_MATTER: return 1;
    default: return 0;
  }
}

static int ft_selection__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Trim blanks and line ends, but never past `off` (the cursor stays inside:
 * a cursor in a line's indentation selects from there). */
static gr_span ft_selection__trim(const char *t, gr_span s, uint32_t off) {
  while (s.start < s.end && s.start < off && ft_selection__blank(t[s.start])) s.start++;
  while (s.end > s.start && s.end > off && ft_selection__blank(t[s.end - 1])) s.end--;
  return s;
}

/* Keep `s` when it holds the cursor and strictly grows the chain. */
static void ft_selection__offer(ft_selection__spans *out, gr_span s, uint32_t off) {
  if (s.end <= s.start || !ft_selection__holds(s, off)) return;
  if (out->len) {
    gr_span p = out->items[out->len - 1];
    if (!(s.start <= p.start && s.end >= p.end && s.end - s.start > p.end - p.start)) return;
  }
  gr_array_push(out, s);
}

ft_selection *ft_selection_at(const gr_tree *tree, const gr_lines *lines, uint32_t offset) {
  const char *t = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree);
  if (offset > len) offset = len;
  ft_selection__spans out = {0};

  /* The innermost inline elements (a placeholder may sit in a code span). */
  uint32_t c = gr_tree_node_at(tree, offset);
  while (c != 0 && ft_selection__leaf(gr_tree_node(tree, c)->kind)) {
    const gr_node *n = gr_tree_node(tree, c);
    if (ft_selection__holds(n->name, offset))
      ft_selection__offer(&out, ft_selection__trim(t, n->name, offset), offset);
    ft_selection__offer(&out, n->span, offset);
    c = n->parent;
  }

  /* The marker under the cursor, when the innermost container's is. */
  const gr_node *cn = gr_tree_node(tree, c);
  int on_marker = 0;
  if (c != 0 && (ft_selection__block(cn->kind) || cn->kind == GR_SECTION)) {
    int on_open = ft_selection__holds(cn->open, offset);
    int on_close = cn->close.end > cn->close.start && ft_selection__holds(cn->close, offset);
    on_marker = on_open || on_close;
    if (on_open) {
      if (ft_selection__holds(cn->name, offset) && cn->name.end <= cn->open.end)
        ft_selection__offer(&out, cn->name, offset);
      ft_selection__offer(&out, cn->open, offset);
    } else if (on_close) {
      if (ft_selection__holds(cn->close_name, offset) && cn->close_name.start >= cn->close.start)
        ft_selection__offer(&out, cn->close_name, offset);
      ft_selection__offer(&out, cn->close, offset);
    }
  }

  /* The line, trimmed, clipped to the container (to its body when the
   * cursor is in it, so that the body, next, holds the line). */
  uint32_t first = out.len ? out.items[0].start : offset;
  uint32_t ln = gr_lines_line_of(lines, first);
  gr_span line = {(uint32_t)gr_lines_start(lines, ln), (uint32_t)gr_lines_end(lines, t, ln)};
  if (c != 0) {
    int in_body = !on_marker && ft_selection__block(cn->kind) &&
                  ft_selection__holds(cn->body, offset);
    gr_span box = in_body ? cn->body : cn->span;
    if (line.start < box.start) line.start = box.start;
    if (line.end > box.end) line.end = box.end;
  }
  if (line.start < line.end)
    ft_selection__offer(&out, ft_selection__trim(t, line, offset), offset);

  /* The containers, outwards. */
  for (uint32_t a = c; a != 0 && a != GR_NONE; a = gr_tree_node(tree, a)->parent) {
    const gr_node *n = gr_tree_node(tree, a);
    if (ft_selection__block(n->kind) && ft_selection__holds(n->body, offset))
      ft_selection__offer(&out, ft_selection__trim(t, n->body, offset), offset);
    ft_selection__offer(&out, n->span, offset);
  }
  ft_selection__offer(&out, (gr_span){0, len}, offset);
  if (!out.len) gr_array_push(&out, ((gr_span){offset, offset})); /* an empty document */

  ft_selection *sel = gr_calloc(1, sizeof *sel);
  sel->spans = out.items;
  sel->len = out.len;
  return sel;
}

/* ---- YAML templates ------------------------------------------------------ */

/* The innermost section whose item is `node` or holds it: the first
 * ancestor that is a section's node. Sections are in document order, as
 * tree nodes are, so their nodes increase: a binary search per ancestor. */
static uint32_t ft_selection__yaml_section(const yt_tmpl *tm, uint32_t node) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  uint32_t count = yt_tmpl_section_count(tm);
  for (uint32_t a = node; a != YT_NONE; a = yt_tree_node(tree, a)->parent) {
    uint32_t lo = 0, hi = count;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      uint32_t m = yt_tmpl_section(tm, mid)->node;
      if (m == a) return mid;
      if (m < a) lo = mid + 1;
      else hi = mid;
    }
  }
  return YT_NONE;
}

/* The {{var}} of scalar `node` whose span holds `off`, or NULL. A section's
 * own vars (and those outside sections, which come first) are a run in
 * text order: a binary search in the run. */
static const yt_var *ft_selection__yaml_var(const yt_tmpl *tm, uint32_t node, uint32_t off) {
  uint32_t total = yt_tmpl_var_count(tm);
  if (!total) return NULL;
  uint32_t sec = ft_selection__yaml_section(tm, node);
  uint32_t first = 0, n = 0;
  if (sec != YT_NONE) {
    const yt_section *s = yt_tmpl_section(tm, sec);
    first = s->first_var;
    n = s->var_count;
  } else { /* the leading run of vars with no section */
    uint32_t lo = 0, hi = total;
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      if (yt_tmpl_var(tm, mid)->section == YT_NONE) lo = mid + 1;
      else hi = mid;
    }
    n = lo;
  }
  if (first > total || n > total - first) return NULL;
  /* the last var of the run starting at or before `off` */
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (yt_tmpl_var(tm, first + mid)->span.start <= off) lo = mid + 1;
    else hi = mid;
  }
  if (!lo) return NULL;
  const yt_var *v = yt_tmpl_var(tm, first + lo - 1);
  return v->node == node && ft_selection__holds(v->span, off) ? v : NULL;
}

/* The `-` before a block sequence's item, when there is one on its line
 * (only blanks between): the item from its dash. */
static uint32_t ft_selection__yaml_dash(const char *t, uint32_t start) {
  uint32_t p = start;
  while (p > 0 && (t[p - 1] == ' ' || t[p - 1] == '\t')) p--;
  return p > 0 && t[p - 1] == '-' ? p - 1 : start;
}

ft_selection *ft_selection_yaml_at(const yt_tmpl *tm, uint32_t offset) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  const char *t = yt_tree_text(tree);
  uint32_t len = yt_tree_len(tree);
  if (offset > len) offset = len;
  ft_selection__spans out = {0};

  uint32_t c = yt_tree_node_at(tree, offset);
  /* Between a key and its value (`title: |`, on the ": "), the entry is
   * meant: the mapping's child whose key..value holds the cursor. */
  if (c != YT_NONE && yt_tree_node(tree, c)->kind == YT_MAPPING) {
    for (uint32_t k = yt_tree_node(tree, c)->first_child; k != YT_NONE;
         k = yt_tree_node(tree, k)->next_sibling) {
      const yt_node *kn = yt_tree_node(tree, k);
      if (kn->key.start > offset) break;
      if (kn->key_text && offset <= kn->span.end) c = k;
    }
  }
  if (c != YT_NONE) {
    const yt_node *n = yt_tree_node(tree, c);
    if (n->key_text && ft_selection__holds(n->key, offset)) {
      ft_selection__offer(&out, n->key, offset);
    } else if (n->kind == YT_SCALAR && ft_selection__holds(n->span, offset)) {
      const yt_var *v = ft_selection__yaml_var(tm, c, offset);
      if (v) {
        if (ft_selection__holds(v->name, offset)) ft_selection__offer(&out, v->name, offset);
        ft_selection__offer(&out, v->span, offset);
      }
      /* a line of a scalar written over several lines, trimmed */
      uint32_t ls = offset, le = offset;
      while (ls > n->span.start && t[ls - 1] != '\n' && t[ls - 1] != '\r') ls--;
      while (le < n->span.end && t[le] != '\n' && t[le] != '\r') le++;
      if (ls > n->span.start || le < n->span.end)
        ft_selection__offer(&out, ft_selection__trim(t, (gr_span){ls, le}, offset), offset);
      /* a quoted string's text, then with its quotes */
      if ((n->style == YT_STYLE_SINGLE || n->style == YT_STYLE_DOUBLE) &&
          n->span.end - n->span.start >= 2 && t[n->span.end - 1] == t[n->span.start])
        ft_selection__offer(&out, (gr_span){n->span.start + 1, n->span.end - 1}, offset);
    }
  }
  /* Each node outwards: its value, its `key: value` entry, or the list
   * item from its `-` (a section's item). */
  for (uint32_t a = c; a != YT_NONE; a = yt_tree_node(tree, a)->parent) {
    const yt_node *n = yt_tree_node(tree, a);
    ft_selection__offer(&out, n->span, offset);
    if (n->key_text) {
      gr_span e = {n->key.start, n->span.end > n->key.end ? n->span.end : n->key.end};
      ft_selection__offer(&out, e, offset);
    } else if (n->parent != YT_NONE) {
      const yt_node *p = yt_tree_node(tree, n->parent);
      if (p->kind == YT_SEQUENCE && p->style == YT_STYLE_BLOCK) {
        uint32_t d = ft_selection__yaml_dash(t, n->span.start);
        if (d >= p->span.start) ft_selection__offer(&out, (gr_span){d, n->span.end}, offset);
      }
    }
  }
  ft_selection__offer(&out, (gr_span){0, len}, offset);
  if (!out.len) gr_array_push(&out, ((gr_span){offset, offset})); /* an empty file */

  ft_selection *sel = gr_calloc(1, sizeof *sel);
  sel->spans = out.items;
  sel->len = out.len;
  return sel;
}

void ft_selection_free(ft_selection *selection) {
  if (!selection) return;
  gr_free(selection->spans);
  gr_free(selection);
}
