/*
 * position.h: the one place where byte offsets meet LSP positions.
 *
 * Inside tmpl-ls every position is a byte offset; on the wire a position is
 * {line, character} with character counted in the negotiated encoding
 * (UTF-16 code units unless the client offered utf-8). These functions
 * convert both ways through the line index of grammar/lines.h. Positions
 * from the client are never trusted: a line past the end gives the end of
 * the text, a character past the end of its line gives the line's end, and
 * a character inside a surrogate pair or a UTF-8 sequence moves to the next
 * whole character.
 */
#ifndef TMPL_PROTOCOL_POSITION_H
#define TMPL_PROTOCOL_POSITION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grammar/lines.h"

typedef enum lsp_pos_encoding {
  LSP_POS_UTF16 = 0, /* LSP's default, always supported */
  LSP_POS_UTF8 = 1
} lsp_pos_encoding;

/** The wire name: "utf-16" or "utf-8". */
const char *lsp_pos_encoding_name(lsp_pos_encoding enc);

/**
 * Pick the encoding from the client's capabilities.general.positionEncodings
 * (borrowed; may be NULL or not an array): utf-8 when offered, else utf-16.
 */
lsp_pos_encoding lsp_pos_negotiate(const json_t *offered);

/*
 * The last UTF-16 conversion on a line: a character start and its column.
 * The next conversion on the same line at or after it counts from there,
 * so converting the many positions of one long line in order (a 1 MB
 * line's diagnostics or tokens) walks the line once, not once per
 * position. Its owner clears `valid` whenever the text changes.
 */
typedef struct lsp_pos_memo {
  bool valid;
  const char *text; /* what it was computed on */
  const gr_lines *lines;
  uint32_t line;
  size_t offset;
  uint32_t col;
} lsp_pos_memo;

/** A text with its line index, as positions are converted against it. Borrowed parts. */
typedef struct lsp_text {
  const char *text;
  size_t len;
  const gr_lines *lines; /* the index of text[0..len) */
  lsp_pos_encoding enc;
  lsp_pos_memo *memo;    /* may be NULL; written by the conversions */
} lsp_text;

/** {line, character} of byte `offset` (clamped to the text). */
gr_pos lsp_pos_at(const lsp_text *t, size_t offset);

/** Byte offset of (line, character), clamped as described above. */
size_t lsp_pos_offset(const lsp_text *t, uint32_t line, uint32_t character);

/**
 * Read a JSON Position (borrowed) into a byte offset. Returns 0, or -1 when
 * `pos` is not an object with non-negative integer "line" and "character"
 * (then *out is untouched). Values too big for uint32 are clamped.
 */
int lsp_pos_from_json(const lsp_text *t, const json_t *pos, size_t *out);

/**
 * Read a JSON Range (borrowed) into byte offsets [*start, *end). Returns 0,
 * or -1 when it is not a range of two positions. An end before the start is
 * read as the start (an empty range), never as a negative length.
 */
int lsp_range_from_json(const lsp_text *t, const json_t *range, size_t *start, size_t *end);

/** New JSON Position for byte `offset`. */
json_t *lsp_pos_to_json(const lsp_text *t, size_t offset);

/** New JSON Range for bytes [start, end). */
json_t *lsp_range_to_json(const lsp_text *t, size_t start, size_t end);

#endif
