/*
 * names.h: the names of the DSL, across files (ft_names_*): what
 * references, rename and linked editing are computed from.
 *
 * Three kinds of name:
 *   CONDITION   ^^CONDITION: name^^ ... ^^/CONDITION: name^^: the opener's
 *               name and the closer's. A bare closer (^^/CONDITION^^)
 *               carries none. Across templates.
 *   REPEAT      <<REPEAT: name>>, <<REPEAT section="name" ...>>,
 *               <<REPEAT for each name>>: the opener's name (the closer
 *               never carries one). Across templates.
 *   placeholder {{name}}: within one template, every terminated {{...}}
 *               of that name, inside instructions, examples and code too
 *               (in a template these are the same markup). In a document,
 *               the placeholders left unfilled (see ft_names_unfilled).
 * Names compare byte for byte after trimming, as the parser gives them.
 * Every span is a byte offset into the tree's text; a span holds its end
 * too, so a cursor just after a name is still on it.
 *
 * Declarations: a block opener's name declares the block; closers and
 * placeholders are references only (a placeholder has no declaring
 * occurrence: each use is as much the name as any other).
 *
 * A YAML template has no Markdown tree: ynames.h finds its names (its
 * {{vars}} and section ids) with these same types.
 */
#ifndef TMPL_SERVER_FEATURES_NAMES_H
#define TMPL_SERVER_FEATURES_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/document.h"

/* Errors: negative ints, with a sentence each (ft_names_strerror). */
#define FT_NAMES_ERRNO_MAP(XX)                                                                    \
  XX(ENONAME, -1, "there is no CONDITION, REPEAT or placeholder name here")                       \
  XX(ENOCLOSERNAME, -2, "this closer carries no name: rename the block at its opener")            \
  XX(EEMPTY, -3, "this placeholder is empty: there is no name to rename")                         \
  XX(ENOTUNFILLED, -4,                                                                            \
     "this {{...}} is not a placeholder left to fill: it is inside an instruction or an example, " \
     "or is code or another language's syntax")                                                  \
  XX(EDOCMARKUP, -5, "in a document only unfilled placeholders can be renamed (filled)")          \
  XX(ENOYNAME, -6, "there is no {{placeholder}} or section id here") /* YAML templates: ynames.h */

typedef enum ft_names_err {
#define FT_NAMES__XX(id, val, msg) FT_NAMES_##id = val,
  FT_NAMES_ERRNO_MAP(FT_NAMES__XX)
#undef FT_NAMES__XX
  FT_NAMES_OK = 0
} ft_names_err;

/** A static sentence for an error code ("unknown error" for others). */
const char *ft_names_strerror(int err);

typedef enum ft_name_kind {
  FT_NAME_NONE = 0,
  FT_NAME_CONDITION,
  FT_NAME_REPEAT,
  FT_NAME_PLACEHOLDER,
  FT_NAME_SECTION /* a YAML template's section id (ynames.h) */
} ft_name_kind;

typedef enum ft_name_role {
  FT_NAME_OPENER = 0, /* a block opener's name: the declaration */
  FT_NAME_CLOSER,     /* a block closer */
  FT_NAME_USE         /* a placeholder */
} ft_name_role;

/* One occurrence of a name. */
typedef struct ft_name_ref {
  gr_span name;  /* the name only */
  gr_span token; /* what holds it: the opener, the closer, or the whole {{...}} */
  uint32_t node; /* the block or placeholder node */
  uint8_t role;  /* ft_name_role */
  uint8_t form;  /* REPEAT: gr_repeat_form of the opener; YAML: ft_ysite (ynames.h); 0 otherwise */
} ft_name_ref;

typedef struct ft_name_refs {
  ft_name_ref *items; /* in text order; no two overlap */
  size_t len, cap;
} ft_name_refs;

/** Free the items (the struct itself is the caller's). */
void ft_name_refs_free(ft_name_refs *refs);

/* The name under a cursor. */
typedef struct ft_name_at {
  ft_name_kind kind;
  ft_name_ref ref; /* the occurrence under the cursor: opener, closer or placeholder.
                      ref.name is empty (at ref.token.start) on a closer that carries
                      no name (REPEAT closers, bare CONDITION closers) */
  gr_span key;     /* the name to look for: ref.name, or on a closer without a name,
                      its block's opener's name */
} ft_name_at;

/**
 * The name at byte `offset` of `tree`: on a placeholder (braces included),
 * or on a REPEAT / CONDITION opener or closer (the whole marker). The
 * innermost wins: a placeholder inside a CONDITION's name is the
 * placeholder. Returns 0 and fills *out; FT_NAMES_ENONAME elsewhere (plain
 * text, headings, fences, instructions, an unterminated {{).
 */
int ft_names_at(const gr_tree *tree, uint32_t offset, ft_name_at *out);

/**
 * Whether the name at `at` can be renamed in a template: 0, or
 * FT_NAMES_ENOCLOSERNAME (a closer without a name), FT_NAMES_EEMPTY ({{}}).
 */
int ft_names_renamable(const ft_name_at *at);

/**
 * Append to *out every occurrence in `tree` of the `kind` name equal to
 * name[0..len) (bytes; the text they come from may be another tree's), in
 * text order: CONDITION openers and named closers, REPEAT openers, every
 * terminated placeholder. An empty name finds nothing.
 */
void ft_names_find(const gr_tree *tree, ft_name_kind kind, const char *name, size_t len,
                   ft_name_refs *out);

/**
 * The CONDITION names to edit together at `offset` (linked editing): when
 * the cursor is on the name of a CONDITION opener or of its closer (ends
 * included), and both carry the same name, sets *opener and *closer to the
 * two name spans and returns 0. Otherwise FT_NAMES_ENONAME: a bare closer
 * (^^/CONDITION^^) or an unclosed block links nothing, and neither does a
 * mismatched closer (linked ranges must hold the same text).
 */
int ft_names_linked(const gr_tree *tree, uint32_t offset, gr_span *opener, gr_span *closer);

/**
 * A new name for `kind`, as the client sends it. Blanks (space, tab) around
 * it are ignored: *trimmed (may be NULL) gets the span of name[0..len) to
 * use. CONDITION and REPEAT names must not be empty nor hold "^^", ">>" or
 * a line end; a REPEAT name used in a section="..." attribute must not hold
 * '"'; a placeholder name must not be empty nor hold "}}" or a line end.
 * Finally the name must read back unchanged where it goes (no stray
 * "{{", no trailing '^', ...). `repeat_forms` is the set of REPEAT opener
 * forms the name is written in (1u << gr_repeat_form; 0 means the colon
 * form). Returns NULL when the name is good, else a static sentence.
 */
const char *ft_names_check(ft_name_kind kind, const char *name, size_t len, unsigned repeat_forms,
                           gr_span *trimmed);

/**
 * Placeholders in a document: those tl_docdiag reports as unfilled (so
 * neither the ones inside a leftover instruction, example or comment, nor
 * other languages' {{ }} in code). ft_names_unfilled_at: the unfilled
 * placeholder at `offset` (braces included) of the document; returns 0 and
 * fills *out (ref.token the whole {{...}}), or FT_NAMES_ENONAME (no
 * placeholder there; CONDITION / REPEAT markup gives FT_NAMES_EDOCMARKUP),
 * FT_NAMES_ENOTUNFILLED, FT_NAMES_EEMPTY. ft_names_unfilled: every unfilled
 * placeholder named name[0..len), appended to *out in text order. Unfilled
 * means reported: unfilled-placeholder or unknown-placeholder.
 * `doc` is borrowed for the call.
 */
int ft_names_unfilled_at(const tl_document *doc, uint32_t offset, ft_name_at *out);
void ft_names_unfilled(const tl_document *doc, const char *name, size_t len, ft_name_refs *out);
/**
 * The same for a template's placeholder name[0..len): the unfilled
 * placeholders of `doc` that stand for it, compared as the diagnostics
 * compare a document's names with the template's (tl_foreign_name_key:
 * case, blanks, '_' and '-' aside, and a trailing number on the
 * document's side: {{Environment Name 2}} is {{environment_name}}).
 */
void ft_names_unfilled_of_template(const tl_document *doc, const char *name, size_t len, ft_name_refs *out);

/**
 * Text to fill a document's placeholder with: NULL when good, else a
 * static sentence (it must not be empty, nor hold a line end: it replaces
 * the placeholder in headings and prose alike).
 */
const char *ft_names_check_fill(const char *text, size_t len);

#endif
