/*
 * edit.h: text edits as byte spans, and the text building that completion
 * and code actions share (ft_edit_*; strings are ft_buf, buf.h).
 *
 * Everything new is built with "\n" line ends and converted to the edited
 * file's own line ending (ft_edit_eol) at the end, so a CRLF file stays CRLF.
 * Line helpers treat "\n", "\r\n" and a lone "\r" as line ends, as LSP does.
 * Offsets are bytes into the caller's text; nothing here keeps the text.
 */
#ifndef TMPL_SERVER_FEATURES_EDIT_H
#define TMPL_SERVER_FEATURES_EDIT_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "server/features/buf.h"

/* ---- edits -------------------------------------------------------------- */

/* Replace bytes [span.start, span.end) with text[0..len). */
typedef struct ft_edit {
  gr_span span;
  char *text; /* owned, NUL-terminated */
  size_t len;
} ft_edit;

typedef struct ft_edits {
  ft_edit *items; /* in the order added; ft_edit_sort puts them in text order */
  size_t len, cap;
} ft_edits;

/** Append an edit; text[0..len) is copied. */
void ft_edit_add(ft_edits *e, uint32_t start, uint32_t end, const char *text, size_t len);
/** Sort by span (stable: inserts at one offset keep the order they were added in). */
void ft_edit_sort(ft_edits *e);
/** Free the edits' texts and the array (the struct itself is the caller's). */
void ft_edit_free(ft_edits *e);

/**
 * Apply the edits to text[0..len) as LSP applies a TextEdit[]: spans refer
 * to the original text, must not overlap (inserts at one offset go in
 * order). Returns a new text (gr_free) with *out_len set, or NULL when two
 * edits overlap or a span lies outside the text.
 */
char *ft_edit_apply(const char *text, size_t len, const ft_edits *e, size_t *out_len);

/* ---- line endings and lines --------------------------------------------- */

/** The text's line ending: its first terminator ("\r\n", "\r" or "\n"); "\n" when it has none. */
const char *ft_edit_eol(const char *text, size_t len);

/** s[0..n) with every "\n" written as `eol`: a new string (gr_free), *out_len set when non-NULL. */
char *ft_edit_convert(const char *s, size_t n, const char *eol, size_t *out_len);

/** Start of the line holding `off`; end of its content (before the terminator); start of the next line (or len). */
uint32_t ft_edit_line_start(const char *text, size_t len, uint32_t off);
uint32_t ft_edit_line_end(const char *text, size_t len, uint32_t off);
uint32_t ft_edit_line_next(const char *text, size_t len, uint32_t off);
/** 1 when the line holding `off` holds only spaces and tabs. */
int ft_edit_line_blank(const char *text, size_t len, uint32_t off);

/* ---- edits built for the caller (all in the text's own line ending) ----- */

/**
 * Insert the lines `block` ("\n"-terminated) at `at`, a line start or the
 * end of the text, as a Markdown block: separated from the text before and
 * after it by one blank line, adding one only where there is none.
 */
void ft_edit_insert_block(ft_edits *out, const char *text, size_t len, uint32_t at,
                          const char *block);

/**
 * Delete bytes `span`. When nothing else but blanks stands on its first and
 * last lines, whole lines go, and a blank line left doubled (or at the start
 * of the text) goes too.
 */
void ft_edit_delete(ft_edits *out, const char *text, size_t len, gr_span span);

/**
 * Where a block goes "after the paragraph at `off`": the start of the first
 * blank line or heading line from the line holding `off` on (the end of the
 * text when none).
 */
uint32_t ft_edit_paragraph_end(const char *text, size_t len, uint32_t off);

/**
 * A block name made from heading text[0..len) ("{{environment_name}}
 * Environment" -> "environment"): placeholders and markup dropped, ASCII
 * letters and digits lowercased, every other run of bytes one '_', no '_'
 * at either end, at most 40 bytes; `fallback` when nothing is left.
 * A new string (gr_free).
 */
char *ft_edit_slug(const char *text, size_t len, const char *fallback);

#endif
