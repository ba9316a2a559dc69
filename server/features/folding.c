/*
 * folding.c: folding ranges (see folding.h).
 *
 * The node array is in pre-order, so nodes come sorted by start offset and
 * an ancestor comes before its descendants: start lines never decrease, and
 * the first range met on a line is the outermost one on it. Keeping the
 * first range per start line is then all the deduplication there is.
 */
#include "server/features/folding.h"

#include "grammar/alloc.h"

const char *ft_fold_kind_name(ft_fold_kind kind) {
  return kind == FT_FOLD_COMMENT ? "comment" : "region";
}

static int ft_folding__foldable(uint8_t kind, ft_fold_kind *fk) {
  switch (kind) {
    case GR_SECTION:
    case GR_REPEAT:
    case GR_CONDITION:
    case GR_EXAMPLE:
    case GR_CRITICAL_RULE:
    case GR_FENCE:
    case GR_FRONT_MATTER: *fk = FT_FOLD_REGION; return 1;
    case GR_INSTRUCTION:
    case GR_HTML_COMMENT: *fk = FT_FOLD_COMMENT; return 1;
    default: return 0;
  }
}

ft_folds *ft_folding_new(const gr_tree *tree, const gr_lines *lines) {
  ft_folds *out = gr_calloc(1, sizeof *out);
  GR_ARRAY(ft_fold) list = {0};
  uint32_t count = gr_tree_count(tree);
  int have_last = 0;
  uint32_t last_start = 0;
  for (uint32_t i = 1; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    ft_fold_kind fk;
    if (!ft_folding__foldable(n->kind, &fk) || n->span.end <= n->span.start) continue;
    /* The line of the last byte: a span that ends at a line start (a
     * section before the next heading) ends on the line before it. */
    uint32_t start = gr_lines_line_of(lines, n->span.start);
    uint32_t end = gr_lines_line_of(lines, n->span.end - 1);
    if (end <= start) continue;
    if (have_last && start == last_start) continue; /* an ancestor already folds here */
    ft_fold f = {start, end, fk, i};
    gr_array_push(&list, f);
    have_last = 1;
    last_start = start;
  }
  out->items = list.items;
  out->len = list.len;
  return out;
}

void ft_folding_free(ft_folds *folds) {
  if (!folds) return;
  gr_free(folds->items);
  gr_free(folds);
}
