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
#include "yaml/ytmpl.h"

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

/**
 * The selection chain at byte `offset` (clamped) of a YAML template's view
 * `tm` (only read during the call), with the same guarantees as above:
 *   on a {{var}}: its name (when the cursor is on it), then the {{var}};
 *   in a scalar over several lines: the line, trimmed;
 *   in a quoted string: its text inside the quotes;
 *   on a key: the key; in a value: the value (quotes, `|` included);
 *   for each node outwards: its value, then its `key: value` entry, or for
 *     an item of a block list (a section) the item from its `-`;
 *   the whole file.
 * The cursor between a key and its value (on ": ") starts at the entry.
 * Work: the tree's depth times a binary search, plus yt_tree_node_at.
 * Returns a new chain (ft_selection_free).
 */
ft_selection *ft_selection_yaml_at(const yt_tmpl *tm, uint32_t offset);

/** Free a chain. NULL is fine. */
void ft_selection_free(ft_selection *selection);

#endif
