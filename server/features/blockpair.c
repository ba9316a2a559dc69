/*
 * blockpair.c: a block's opener and closer (see blockpair.h).
 */
#include "server/features/blockpair.h"

static int ft_bp__paired_kind(uint8_t kind) {
  switch (kind) {
    case GR_REPEAT:
    case GR_CONDITION:
    case GR_EXAMPLE:
    case GR_CRITICAL_RULE:
    case GR_INSTRUCTION:
    case GR_FENCE: return 1;
    default: return 0;
  }
}

static int ft_bp__on(gr_span s, uint32_t offset) { return s.end > s.start && s.start <= offset && offset <= s.end; }

int ft_blockpair_at(const gr_tree *tree, uint32_t offset, gr_span *from, gr_span *to) {
  /* The node at the offset (a span holds its end), then its ancestors: the
   * innermost block whose token holds the offset. */
  for (uint32_t i = gr_tree_node_at(tree, offset); i != GR_NONE; i = gr_tree_node(tree, i)->parent) {
    const gr_node *n = gr_tree_node(tree, i);
    if (!ft_bp__paired_kind(n->kind) || n->close.end <= n->close.start || n->open.end <= n->open.start) continue;
    if (ft_bp__on(n->close, offset)) {
      *from = n->close, *to = n->open;
      return 1;
    }
    if (ft_bp__on(n->open, offset)) {
      *from = n->open, *to = n->close;
      return 1;
    }
  }
  return 0;
}
