/*
 * skeleton.h: what part of a template becomes in a document
 * (ft_skeleton_*): the features' names for server/model/skeleton.h, which
 * says what the text is. The template model computes the inserts it needs
 * (tl_template_section_insert, tl_template_repeat_insert); these stay for
 * callers that hold a tree of their own.
 */
#ifndef TMPL_SERVER_FEATURES_SKELETON_H
#define TMPL_SERVER_FEATURES_SKELETON_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/skeleton.h"

enum {
  FT_SKELETON_DROP_CONDITIONS = TL_SKELETON_DROP_CONDITIONS,
  FT_SKELETON_SNIPPET = TL_SKELETON_SNIPPET
};

/** tl_skeleton_new: a new string (gr_free), *len set when non-NULL. */
char *ft_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len);

/** tl_skeleton_snippet_escape: a new string (gr_free). */
char *ft_skeleton_snippet_escape(const char *s, size_t n);

#endif
