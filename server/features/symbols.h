/*
 * symbols.h: the document outline of a template (ft_symbols_*).
 *
 * Sections (headings) with REPEAT, CONDITION and example blocks as
 * children where they stand, nested exactly as in the grammar tree: a
 * heading inside a REPEAT is a child of that REPEAT, a block under a heading
 * is a child of that section. Other nodes (placeholders, instructions,
 * fences, ...) are not symbols: an outline with every placeholder in it is
 * noise, and the instructions are what the sections are for.
 *
 * The list is flat and in pre-order (the order of the text), linked by
 * indices like the grammar's nodes, so the protocol glue can build LSP
 * DocumentSymbol[] without recursion: every symbol's parent comes before it.
 * Spans are bytes in the tree's text.
 */
#ifndef TMPL_SERVER_FEATURES_SYMBOLS_H
#define TMPL_SERVER_FEATURES_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"

/*
 * What a symbol is, and the LSP SymbolKind it is shown as
 * (ft_symbol_kind_lsp). The choices:
 * - section -> String (15): what VS Code's own Markdown outline uses for
 *   headings, so a template's outline looks like any Markdown outline.
 * - REPEAT -> Array (18): the block is written once per instance, a list.
 * - CONDITION -> Boolean (17): the block is switched on or off.
 * - example -> Object (19): a sample value to start from, not structure.
 */
typedef enum ft_symbol_kind {
  FT_SYMBOL_SECTION = 0,
  FT_SYMBOL_REPEAT,
  FT_SYMBOL_CONDITION,
  FT_SYMBOL_EXAMPLE,
  FT_SYMBOL_KIND_COUNT
} ft_symbol_kind;

/** The LSP SymbolKind number for `kind` (15, 18, 17, 19; 15 if out of range). */
int ft_symbol_kind_lsp(ft_symbol_kind kind);

typedef struct ft_symbol {
  ft_symbol_kind kind;
  uint8_t level;         /* section: heading level 1..6; 0 for blocks */
  uint8_t unclosed;      /* 1 when the block has no closer (GR_FLAG_UNCLOSED) */
  uint32_t node;         /* the node in the tree */
  uint32_t parent;       /* index of the enclosing symbol, or GR_NONE */
  uint32_t first_child;  /* index, or GR_NONE */
  uint32_t next_sibling; /* index, or GR_NONE (top-level symbols are siblings too) */
  uint32_t child_count;
  gr_span range;         /* the whole element: heading through section end, opener through closer */
  gr_span selection;     /* inside `range`: the heading text, or the block's name
                            (its opener if unnamed, or the heading line if empty) */
  char *name;            /* never empty, valid UTF-8: "Environment Configuration",
                            "REPEAT environment", "CONDITION uses_kubernetes",
                            "example responsibility_matrix", "example"; whitespace runs
                            (setext line breaks) become one space, invalid UTF-8 becomes
                            U+FFFD, text past 200 bytes becomes "…"; an empty heading is
                            "(empty heading)". Owned by the list. */
  char *detail;          /* "unclosed" for an unclosed block, else NULL. Owned by the list. */
} ft_symbol;

typedef struct ft_symbols {
  ft_symbol *items; /* pre-order; read-only */
  uint32_t len;
} ft_symbols;

/**
 * The outline of `tree`. The tree and its text are only read during the
 * call. Never fails (aborts on OOM); returns a new list, possibly empty
 * (ft_symbols_free). No recursion: any nesting depth is fine.
 */
ft_symbols *ft_symbols_new(const gr_tree *tree);
/** Free the list and its strings. NULL is fine. */
void ft_symbols_free(ft_symbols *symbols);

/**
 * A name as symbols are named: "prefix text[name]" with blank runs as one
 * space, invalid UTF-8 as U+FFFD, past 200 bytes of text cut at a
 * character with "…"; `empty` when both are empty. A new string (gr_free).
 */
char *ft_symbols_name(const char *prefix, const char *text, gr_span name, const char *empty);

#endif
