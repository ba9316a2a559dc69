/*
 * skeleton.h: what part of a template becomes in a document
 * (tl_skeleton_*): the text with LLM instructions, examples (blocks and
 * inline), critical rules and REPEAT / CONDITION markers taken out, as a
 * person starts a section from it: headings, bullets, tables, code and
 * placeholders stay.
 *
 * Lines that held only removed markup go; runs of blank lines become one;
 * blank lines at the start and the end go; every line ends with "\n"
 * (convert with ft_edit_convert). Empty when nothing is left.
 */
#ifndef TMPL_SERVER_MODEL_SKELETON_H
#define TMPL_SERVER_MODEL_SKELETON_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"

/* The template model computes these when it is built from a Markdown tree
 * (tl_template_section_insert ...); features ask the model, not the tree. */

enum {
  /* Leave CONDITION blocks out whole (their content is written only when
   * the condition holds; a person adds it on purpose). Default: keep the
   * content, drop the markers. */
  TL_SKELETON_DROP_CONDITIONS = 1u << 0,
  /* An LSP snippet: each distinct placeholder a tab stop whose default is
   * the placeholder ("${1:{{name\}\}}"; one name, one number, so repeats
   * are mirrored), and '$', '}' and '\' escaped elsewhere. */
  TL_SKELETON_SNIPPET = 1u << 1
};

/**
 * The skeleton of bytes `span` of a template's text (tree = gr_parse of it;
 * borrowed for the call). Returns a new string (gr_free), *len set when
 * non-NULL. Nodes that cross the span's edges are cut at them.
 */
char *tl_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len);

/** `s` with '$', '}' and '\' escaped for an LSP snippet: a new string (gr_free). */
char *tl_skeleton_snippet_escape(const char *s, size_t n);

#endif
