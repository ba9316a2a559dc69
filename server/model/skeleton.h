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
 *
 * The template model computes these when it is built from a Markdown tree
 * (tl_template_section_insert ...); features ask the model, not the tree,
 * and move an insert's headings with tl_skeleton_relevel.
 */
#ifndef TMPL_SERVER_MODEL_SKELETON_H
#define TMPL_SERVER_MODEL_SKELETON_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/template.h"

enum {
  /* Leave CONDITION blocks out whole (their content is written only when
   * the condition holds; a person adds it on purpose). Default: keep the
   * content, drop the markers. */
  TL_SKELETON_DROP_CONDITIONS = 1u << 0,
  /* An LSP snippet: each distinct placeholder a tab stop whose default is
   * the placeholder ("${1:{{name\}\}}"; one name, one number, so repeats
   * are mirrored), and '$', '}' and '\' escaped elsewhere. A placeholder
   * right after '$' ("${{ secrets.TOKEN }}") is another language's and
   * gets no tab stop. */
  TL_SKELETON_SNIPPET = 1u << 1
};

/* A snippet's tab stops: one per distinct placeholder, at most this many
 * (the rest are written as they are). */
#define TL_SKELETON_MAX_STOPS 100

/**
 * The skeleton of bytes `span` of a template's text (tree = gr_parse of it;
 * borrowed for the call). Returns a new string (gr_free), *len set when
 * non-NULL. Nodes that cross the span's edges are cut at them. Costs the
 * nodes that meet the span (and a binary search), not the whole tree.
 */
char *tl_skeleton_new(const gr_tree *tree, gr_span span, unsigned flags, size_t *len);

/**
 * The skeleton of template section `si` of `tmpl` (built from `tree`),
 * without the template's closing matter (tail.h) and without a later
 * section that is not its own (a sibling heading inside a REPEAT or
 * CONDITION block that opens in its span, the block's opener with it),
 * its top heading written at `level` (1..6; others keep the template's
 * levels) and every heading inside moved by as much. Returns a new string
 * (gr_free), empty when si is out of range; *len set when non-NULL.
 */
char *tl_skeleton_section_new(const gr_tree *tree, const tl_template *tmpl, uint32_t si, unsigned flags, int level,
                              size_t *len);

/**
 * A skeleton text s[0..n) (an insert of the model, plain or snippet) with
 * every ATX heading outside code moved by `shift` levels (kept in 1..6).
 * Returns a new string (gr_free); *len set when non-NULL.
 */
char *tl_skeleton_relevel(const char *s, size_t n, int shift, size_t *len);

/** `s` with '$', '}' and '\' escaped for an LSP snippet: a new string (gr_free). */
char *tl_skeleton_snippet_escape(const char *s, size_t n);

#endif
