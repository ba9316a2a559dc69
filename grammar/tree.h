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
  uint32_t mode; /* gr_mode */
  GR_ARRAY(gr_node) nodes;
  GR_ARRAY(gr_diag) diags;
  GR_ARRAY(char) msgs; /* NUL-separated diagnostic messages */
};

/**
 * Append a node as the last child of `parent` (GR_NONE for the root), all
 * its spans empty at `start`; returns its index. Inline: the parser calls
 * it once per node, half a million times for 50 MB of templates.
 */
static inline uint32_t gr_tree__add(gr_tree *t, gr_kind kind, uint32_t parent, uint32_t start) {
  gr_array_reserve(&t->nodes, 1);
  uint32_t i = (uint32_t)t->nodes.len++;
  gr_node *n = &t->nodes.items[i];
  gr_span at = {start, start};
  n->kind = (uint8_t)kind;
  n->level = 0;
  n->flags = 0;
  n->parent = parent;
  n->first_child = n->last_child = n->next_sibling = n->prev_sibling = GR_NONE;
  n->span = n->open = n->close = n->name = n->close_name = n->body = at;
  if (parent != GR_NONE) {
    gr_node *p = &t->nodes.items[parent];
    if (p->last_child == GR_NONE) {
      p->first_child = i;
    } else {
      t->nodes.items[p->last_child].next_sibling = i;
      n->prev_sibling = p->last_child;
    }
    p->last_child = i;
  }
  return i;
}

/** Append a diagnostic with a printf-style message. */
void gr_tree__diag(gr_tree *t, gr_diag_code code, uint32_t start, uint32_t end, uint32_t node,
                   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

/** Give the diagnostic added last a related span; `message` is static. */
static inline void gr_tree__related(gr_tree *t, gr_span related, const char *message) {
  if (!t->diags.len) return;
  t->diags.items[t->diags.len - 1].related = related;
  t->diags.items[t->diags.len - 1].related_message = message;
}

/** Fix message pointers and sort diagnostics by position, once parsing is done. */
void gr_tree__finish(gr_tree *t);

#endif
