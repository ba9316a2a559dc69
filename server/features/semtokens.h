/*
 * semtokens.h: semantic tokens for templates (ft_semtok_*).
 *
 * The token types are standard LSP names, because standard names are what
 * editors colour with no grammar or extension installed: Neovim links
 * @lsp.type.<name> to its treesitter groups (@comment, @keyword, ...), and
 * Emacs lsp-mode / eglot map them to font-lock faces. The mapping:
 *
 *   index  name        DSL element
 *   0      parameter   {{placeholder}}, braces included: a template's
 *                      placeholders are its parameters (parameter, not
 *                      variable: most colour schemes leave @variable plain)
 *   1      comment     [[LLM: instruction]] (opener to closer), HTML
 *                      comments, and the text of a <critical_rule>: text for
 *                      the agent that never reaches the document
 *   2      keyword     block markers: <<REPEAT ...>>, <</REPEAT>>,
 *                      ^^CONDITION: ^^, ^^/CONDITION: ^^, @{example...},
 *                      @{/example}, <critical_rule>, </critical_rule>
 *   3      macro       CONDITION names, in opener and closer: switches, as
 *                      the names of an #ifdef are macros
 *   4      type        REPEAT names and example block names: the kind of
 *                      thing each instance or sample is ("environment")
 *   5      string      example content: block bodies and inline example
 *                      text, sample text to start from, never output
 *   6      property    in a YAML template (ft_semtok_yaml_*), the keys the
 *                      template view reads (template:, id:, title:,
 *                      instruction:, ...): what YAML modes and treesitter's
 *                      YAML grammar colour keys as (@property); added last
 *                      so the indices above stay as they were
 *
 * A YAML template's tokens: those keys (a key the view does not know, a
 * misspelt one, gets none), {{vars}} in strings as parameter (unclosed
 * for a "{{" with no "}}", documentation inside an instruction or an
 * examples item), a section's instruction value as comment and its
 * condition value as macro, as their Markdown spellings are.
 *
 * In a document (a tl_document given), a {{…}} that is not a placeholder
 * by tl_foreign_classify (another language's syntax, prose about syntax,
 * {{}}; see server/model/foreign.h) gets no token: what is coloured is what
 * the diagnostics can report.
 *
 * Headings get no token: every editor's Markdown mode already colours
 * them, and a token would replace that colour with one meant for code.
 * Fences and code spans get none either; markup inside them does.
 *
 * Modifiers (bits, in legend order):
 *   bit 0  unclosed       a block or instruction with no closer
 *   bit 1  inCode         inside a fence or code span
 *   bit 2  documentation  standard: a placeholder or marker mentioned inside
 *                         an LLM instruction or an example, not a slot
 *   bit 3  critical       the text of a <critical_rule>
 *
 * Tokens are byte spans in the tree's text, in text order, never
 * overlapping, never empty, and never crossing a line end: a multi-line
 * element is one token per line, trimmed of leading and trailing blanks
 * (LSP clients other than VS Code need single-line tokens). Where elements
 * nest, the innermost one colours its bytes. The protocol glue turns them
 * into LSP's relative (deltaLine, deltaStart, length) form in the
 * negotiated position encoding.
 */
#ifndef TMPL_SERVER_FEATURES_SEMTOKENS_H
#define TMPL_SERVER_FEATURES_SEMTOKENS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/document.h"
#include "yaml/ytmpl.h"

typedef enum ft_semtok_type {
  FT_SEMTOK_PLACEHOLDER = 0, /* "parameter" */
  FT_SEMTOK_INSTRUCTION,     /* "comment" */
  FT_SEMTOK_MARKER,          /* "keyword" */
  FT_SEMTOK_CONDITION_NAME,  /* "macro" */
  FT_SEMTOK_BLOCK_NAME,      /* "type" */
  FT_SEMTOK_EXAMPLE,         /* "string" */
  FT_SEMTOK_PROPERTY,        /* "property" (YAML templates only) */
  FT_SEMTOK_TYPE_COUNT
} ft_semtok_type;

enum {
  FT_SEMTOK_MOD_UNCLOSED = 1u << 0,      /* "unclosed" */
  FT_SEMTOK_MOD_IN_CODE = 1u << 1,       /* "inCode" */
  FT_SEMTOK_MOD_DOCUMENTATION = 1u << 2, /* "documentation" */
  FT_SEMTOK_MOD_CRITICAL = 1u << 3,      /* "critical" */
  FT_SEMTOK_MOD_COUNT = 4
};

/** The legend's token type names, indexed by ft_semtok_type (static storage). */
const char *const *ft_semtok_type_names(size_t *count);
/** The legend's modifier names, bit i = name i (static storage). */
const char *const *ft_semtok_modifier_names(size_t *count);

typedef struct ft_semtok {
  uint32_t start, end; /* bytes, on one line, start < end */
  uint16_t type;       /* ft_semtok_type */
  uint16_t mods;       /* FT_SEMTOK_MOD_* bits */
} ft_semtok;

typedef struct ft_semtoks {
  ft_semtok *items; /* in text order; read-only */
  size_t len;
} ft_semtoks;

/**
 * Tokens of the whole text of `tree` (read during the call only); `doc` is
 * the document model of that tree when the file is a document, NULL for a
 * template. Never fails; returns a new list (ft_semtok_free). Linear in the
 * text, no recursion.
 */
ft_semtoks *ft_semtok_full(const gr_tree *tree, const tl_document *doc);

/**
 * Tokens of the lines that `range` touches: every token on those lines,
 * whole (a token is never cut, so a range that starts mid-token still gets
 * it). An empty range gives the tokens of its line. Offsets past the end are
 * clamped. Returns a new list (ft_semtok_free).
 */
ft_semtoks *ft_semtok_range(const gr_tree *tree, const tl_document *doc, gr_span range);

/**
 * The same for a YAML template's view `tm` (read during the call only):
 * the tokens of the whole text, or of the lines `range` touches. Same
 * guarantees (text order, one line, trimmed, innermost wins). Linear in
 * the view plus a sort. Return a new list (ft_semtok_free).
 */
ft_semtoks *ft_semtok_yaml_full(const yt_tmpl *tm);
ft_semtoks *ft_semtok_yaml_range(const yt_tmpl *tm, gr_span range);

/** Free the list. NULL is fine. */
void ft_semtok_free(ft_semtoks *tokens);

/* One edit of LSP's encoded token array (SemanticTokensEdit), in integers. */
typedef struct ft_semtok_edit {
  size_t start;        /* where in the old array */
  size_t delete_count; /* integers of the old array replaced */
  size_t data_start;   /* the new integers are new[data_start, data_start + data_count) */
  size_t data_count;
} ft_semtok_edit;

/**
 * What turns the encoded tokens old[0..on) into new[0..nn) (both whole
 * tokens of 5 integers): one edit over what lies between their common
 * prefix and their common suffix, in whole tokens (a suffix never reaches
 * into the prefix). Returns 0 when they are the same (no edit), 1 with *e
 * set otherwise.
 */
int ft_semtok_delta(const uint32_t *old, size_t on, const uint32_t *new_, size_t nn, ft_semtok_edit *e);

#endif
