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

/* ---- YAML templates ------------------------------------------------------ */

/*
 * The YAML tree is in pre-order too, and a range starts on its key's line
 * (`sections:`, `instruction: |`), which comes before the value and after
 * whatever the node's previous sibling holds: start lines never decrease,
 * and the outermost range on a line comes first, as above.
 */
ft_folds *ft_folding_new_yaml(const yt_tmpl *tm, const gr_lines *lines) {
  ft_folds *out = gr_calloc(1, sizeof *out);
  const yt_tree *tree = yt_tmpl_tree(tm);
  uint32_t count = yt_tree_count(tree);
  /* A section's instruction folds as a comment, as an LLM instruction does
   * in a Markdown template: guidance that never reaches the document. */
  uint8_t *instruction = gr_calloc(count, 1);
  for (uint32_t i = 0; i < yt_tmpl_section_count(tm); i++) {
    uint32_t v = yt_tmpl_section(tm, i)->keys[YT_SKEY_INSTRUCTION];
    if (v < count) instruction[v] = 1;
  }
  GR_ARRAY(ft_fold) list = {0};
  int have_last = 0;
  uint32_t last_start = 0;
  /* Node 0, the whole file, is not worth a fold (nor in Markdown). */
  for (uint32_t i = 1; i < count; i++) {
    const yt_node *n = yt_tree_node(tree, i);
    /* Collections, and scalars written over several lines: block scalars,
     * and plain or quoted ones continued on the next lines (an instruction
     * written so is as long as one written with `|`). */
    if (n->kind == YT_ALIAS || n->span.end <= n->span.start) continue;
    uint32_t from = n->key_text ? n->key.start : n->span.start;
    uint32_t start = gr_lines_line_of(lines, from);
    uint32_t end = gr_lines_line_of(lines, n->span.end - 1);
    if (end <= start) continue;
    if (have_last && start == last_start) continue; /* an ancestor already folds here */
    ft_fold f = {start, end, instruction[i] ? FT_FOLD_COMMENT : FT_FOLD_REGION, i};
    gr_array_push(&list, f);
    have_last = 1;
    last_start = start;
  }
  gr_free(instruction);
  out->items = list.items;
  out->len = list.len;
  return out;
}

void ft_folding_free(ft_folds *folds) {
  if (!folds) return;
  gr_free(folds->items);
  gr_free(folds);
}
