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
 *
 * A YAML template (ft_symbols_new_yaml) gives the same list from its
 * template view: the `template:` header first, then every item of the
 * `sections` lists, nested as they nest, each named by its title with its
 * id as detail (see ft_symbols_new_yaml for sections without a title).
 * What the tree read of a broken file is there: the sections before the
 * error and those the parse resumed at after it.
 */
#ifndef TMPL_SERVER_FEATURES_SYMBOLS_H
#define TMPL_SERVER_FEATURES_SYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "yaml/ytmpl.h"

/*
 * What a symbol is, and the LSP SymbolKind it is shown as
 * (ft_symbol_kind_lsp). The choices:
 * - section -> String (15): what VS Code's own Markdown outline uses for
 *   headings, so a template's outline looks like any Markdown outline.
 * - REPEAT -> Array (18): the block is written once per instance, a list.
 * - CONDITION -> Boolean (17): the block is switched on or off.
 * - example -> Object (19): a sample value to start from, not structure.
 * - template (a YAML template's `template:` header) -> Module (2): it
 *   names the file's unit (id, name, version, output), as a module
 *   declaration does.
 */
typedef enum ft_symbol_kind {
  FT_SYMBOL_SECTION = 0,
  FT_SYMBOL_REPEAT,
  FT_SYMBOL_CONDITION,
  FT_SYMBOL_EXAMPLE,
  FT_SYMBOL_TEMPLATE,
  FT_SYMBOL_KIND_COUNT
} ft_symbol_kind;

/** The LSP SymbolKind number for `kind` (15, 18, 17, 19, 2; 15 if out of range). */
int ft_symbol_kind_lsp(ft_symbol_kind kind);

typedef struct ft_symbol {
  ft_symbol_kind kind;
  uint8_t level;         /* section: heading level 1..6 (a YAML section: depth + 2, the level
                            the document writes it at, up to 255); 0 for blocks */
  uint8_t unclosed;      /* 1 when the block has no closer (GR_FLAG_UNCLOSED) */
  uint32_t node;         /* the node in the tree (the YAML tree's for a YAML template) */
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
  char *detail;          /* "unclosed" for an unclosed block, else NULL; in a YAML template
                            the id (see ft_symbols_new_yaml). Owned by the list. */
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
/**
 * The outline of a YAML template's view `tm` (only read during the call):
 * - the header, when there is a `template:` key: range from that key to the
 *   end of its value; named by template.name (selection: its value), else
 *   template.id, else "template" (selection: the key); detail: template.id
 *   when the name is template.name;
 * - each section, in document order, a child of its parent section: range
 *   the item's node (a mapping: its first key to its last value); level
 *   depth + 2; named by its title (selection: the title's value, quotes
 *   included), detail its id; without a title, named by its id (selection:
 *   the id's value), detail "no title" or "no title, <type>"; without either,
 *   named by its type or "(untitled)", selecting the item's first line.
 * Names get the same clean-up as headings'. Never fails; returns a new list
 * (ft_symbols_free). No recursion.
 */
ft_symbols *ft_symbols_new_yaml(const yt_tmpl *tm);

/** Free the list and its strings. NULL is fine. */
void ft_symbols_free(ft_symbols *symbols);

/**
 * A name as symbols are named: "prefix text[name]" with blank runs as one
 * space, invalid UTF-8 as U+FFFD, past 200 bytes of text cut at a
 * character with "…"; `empty` when both are empty. A new string (gr_free).
 */
char *ft_symbols_name(const char *prefix, const char *text, gr_span name, const char *empty);

#endif
