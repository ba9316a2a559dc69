/*
 * wsymbols.h: what workspace/symbol offers (ft_wsyms_*): for each file,
 * the names a user jumps to; and the search over many files' lists.
 *
 * What a file offers:
 *   a document: its headings (sections), each in the heading above it;
 *   a template (the model, whichever front-end built it): its sections,
 *     its CONDITION blocks and REPEAT names, and a YAML template's
 *     section ids, each in the section that holds it. A REPEAT that only
 *     repeats a YAML section (its name the section's title or id, its span
 *     the section's) is that section's symbol already and is not listed
 *     twice.
 *
 * A list is built once from a tree or a model, then kept without the
 * file's text (the workspace index keeps one for every document on disk):
 * each symbol holds its name, its line and that line's bytes from its
 * start to the symbol's end, which is all that converting its range into
 * any position encoding needs (protocol/position's lsp_line_range_to_json).
 * A range is the symbol's name where it is written (a heading's text, a
 * YAML title or id, a block's opener), cut at the end of its first line.
 * Strings live in one pool per list: a file of a few hundred headings
 * costs a few KiB.
 */
#ifndef TMPL_SERVER_FEATURES_WSYMBOLS_H
#define TMPL_SERVER_FEATURES_WSYMBOLS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/template.h"

/*
 * What a symbol is, and the LSP SymbolKind it is shown as: sections as
 * String (15), as the document outline shows them; CONDITION as Boolean
 * (17) and REPEAT as Array (18), as there too; a YAML id as Key (20).
 */
typedef enum ft_wsym_kind { FT_WSYM_SECTION = 0, FT_WSYM_CONDITION, FT_WSYM_REPEAT, FT_WSYM_ID } ft_wsym_kind;

/** The LSP SymbolKind number for `kind`. */
int ft_wsym_kind_lsp(ft_wsym_kind kind);

#define FT_WSYM_NONE UINT32_MAX
#define FT_WSYMS_MAX_PER_FILE 2000 /* symbols one file offers; the rest of a bigger file are left out */

typedef struct ft_wsym {
  uint8_t kind;            /* ft_wsym_kind */
  uint32_t container;      /* the enclosing section's symbol in the list, or FT_WSYM_NONE */
  uint32_t line;           /* 0-based */
  uint32_t start, end;     /* the range: byte columns in the head */
  uint32_t name, name_len; /* in the pool: the name (valid UTF-8, never empty) */
  uint32_t head, head_len; /* in the pool: the line's bytes from its start to the range's end */
} ft_wsym;

typedef struct ft_wsyms {
  ft_wsym *items; /* in text order (templates: sections, then blocks, then ids) */
  uint32_t len;
  char *pool;
  uint32_t pool_len;
} ft_wsyms;

/**
 * The headings of a document's tree (its text is read during the call
 * only). Never fails; a new list (ft_wsyms_free), possibly empty.
 */
ft_wsyms *ft_wsyms_document(const gr_tree *tree);

/**
 * The symbols of template model t over its text[0..len) (read during the
 * call only). Never fails; a new list (ft_wsyms_free).
 */
ft_wsyms *ft_wsyms_template(const tl_template *t, const char *text, size_t len);

void ft_wsyms_free(ft_wsyms *list);

/** The heap bytes a list holds (for measuring the index). */
size_t ft_wsyms_bytes(const ft_wsyms *list);

/** Symbol i's name and head (borrowed; *len set). */
const char *ft_wsyms_name(const ft_wsyms *list, uint32_t i, size_t *len);
const char *ft_wsyms_head(const ft_wsyms *list, uint32_t i, size_t *len);

/* A symbol found: files[file]->items[sym]. */
typedef struct ft_wsym_hit {
  uint32_t file, sym;
  int32_t score;
} ft_wsym_hit;

/**
 * Search files[0..n) (NULL entries are skipped) for `query` (fuzzy.h),
 * best first: by score, then the shorter name, then the files' order,
 * then the symbols' order. An empty query gives every symbol in the files'
 * order. At most `cap` hits; *total (may be NULL) gets how many matched.
 * Returns the number of hits in *out (a new array, gr_free; NULL when 0).
 */
size_t ft_wsyms_search(const ft_wsyms *const *files, size_t n, const char *query, size_t query_len, size_t cap,
                       ft_wsym_hit **out, size_t *total);

#endif
