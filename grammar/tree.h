/*
 * tree.h: the body of gr_tree, private to grammar/. parse.c builds it,
 * tree.c reads it. Nothing outside grammar/ includes this file.
 */
#ifndef TMPL_GRAMMAR_TREE_H
#define TMPL_GRAMMAR_TREE_H

#include "grammar/alloc.h"
#include "grammar/grammar.h"

typedef struct gr_diag_rec {
  gr_diag diag;
  size_t msg_off; /* into gr_tree.msgs until the parse finishes */
} gr_diag_rec;

struct gr_tree {
  const char *text;
  uint32_t len;
  GR_ARRAY(gr_node) nodes;
  GR_ARRAY(gr_diag) diags;
  GR_ARRAY(char) msgs; /* NUL-separated diagnostic messages */
};

/** Append a node as the last child of `parent`; returns its index. */
uint32_t gr_tree__add(gr_tree *t, gr_kind kind, uint32_t parent, uint32_t start);

/** Append a diagnostic with a printf-style message. */
void gr_tree__diag(gr_tree *t, gr_diag_code code, uint32_t start, uint32_t end, uint32_t node,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/** Fix message pointers and sort diagnostics by position, once parsing is done. */
void gr_tree__finish(gr_tree *t);

#endif
