/*
 * selection.h: selection ranges, "expand selection" (ft_selection_*).
 *
 * For one byte offset, the chain of spans a client grows the selection
 * through, innermost first:
 *   the name inside a placeholder / code span / inline example, when the
 *     cursor is on it, then the whole element;
 *   the line (without its terminator and surrounding blanks), clipped to
 *     the element that holds it, to its body when the cursor is in the body
 *     (a line inside an instruction starts no earlier than its text);
 *   for each enclosing element, outwards: its body (trimmed of surrounding
 *     blanks and line ends) when the cursor is inside it, then the element;
 *     for a section: its heading text when the cursor is on it, the heading
 *     line, then the section (heading through its end, subsections included);
 *   the whole document.
 * Each span holds the offset (ends included) and strictly contains the one
 * before (no duplicates, no empty span unless the document is empty), so
 * the glue can link them as LSP SelectionRange.parent without further
 * checks. Trimming never moves a span's edge past the offset: a cursor in a
 * line's indentation selects from the cursor to the end of the line's text.
 */
#ifndef TMPL_SERVER_FEATURES_SELECTION_H
#define TMPL_SERVER_FEATURES_SELECTION_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "grammar/lines.h"

typedef struct ft_selection {
  gr_span *spans; /* innermost first; read-only */
  size_t len;     /* >= 1: the last span is the whole document */
} ft_selection;

/**
 * The selection chain at byte `offset` (clamped to the text's length) of
 * `tree`; `lines` must index the tree's text. Both are only read during
 * the call. Never fails; returns a new chain (ft_selection_free).
 */
ft_selection *ft_selection_at(const gr_tree *tree, const gr_lines *lines, uint32_t offset);

/** Free a chain. NULL is fine. */
void ft_selection_free(ft_selection *selection);

#endif
