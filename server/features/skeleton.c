/*
 * skeleton.c: the features' names for the model's skeleton (see skeleton.h).
 */
#include "server/features/skeleton.h"

char *ft_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len) {
  return tl_skeleton_new(tree, span, flags, len);
}

char *ft_skeleton_snippet_escape(const char *s, size_t n) { return tl_skeleton_snippet_escape(s, n); }
