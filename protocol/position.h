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

/* A character start and its UTF-16 column within its line. */
typedef struct lsp_pos_mark {
  size_t offset;
  uint32_t col;
} lsp_pos_mark;

/* Checkpoints every LSP_POS_STRIDE bytes: see lsp_pos_memo.marks. */
#define LSP_POS_STRIDE 1024

/*
 * What UTF-16 conversions on one text remember. First, the last
 * conversion: the next one on the same line at or after it counts from
 * there, so converting the many positions of one long line in order (a 1 MB
 * line's diagnostics or tokens) walks the line once, not once per position.
 * Second, for positions out of order on a long line (nested ranges:
 * document symbols, folding, selection), checkpoints made the first time a
 * conversion would otherwise walk more than 4 strides: for every multiple
 * of LSP_POS_STRIDE, the first character start at or after it and its
 * column (16 bytes per KiB of text). Its owner calls lsp_pos_memo_reset
 * whenever the text changes and before freeing it; zeroed is empty.
 */
typedef struct lsp_pos_memo {
  bool valid;
  const char *text; /* what it was computed on */
  const gr_lines *lines;
  uint32_t line;
  size_t offset;
  uint32_t col;
  lsp_pos_mark *marks; /* NULL until needed; marks[k] for offset k * LSP_POS_STRIDE */
  size_t nmarks;
} lsp_pos_memo;

/** Forget everything (the text changed) and free the checkpoints. */
void lsp_pos_memo_reset(lsp_pos_memo *memo);

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

/*
 * Converting the many positions of one response in text order (semantic
 * tokens, the starts of document symbols): a cursor that walks the text forward, one
 * line step and one character step at a time, with no line search per
 * position. lsp_pos_cursor_at gives what lsp_pos_at gives for any offset;
 * an offset before the previous one is converted by lsp_pos_at (with its
 * memo, so never slower than it), and the cursor stays where it was.
 */
typedef struct lsp_pos_cursor {
  const lsp_text *t;
  bool valid;
  uint32_t line;  /* the line the cursor is on: [ls, le) its content */
  size_t ls, le;
  size_t offset;  /* a character start on that line, at or before the last offset asked */
  uint32_t col;   /* its column */
  size_t asked;   /* the last offset asked */
} lsp_pos_cursor;

/** A cursor at the start of `t` (borrowed while the cursor is used). */
void lsp_pos_cursor_init(lsp_pos_cursor *c, const lsp_text *t);
/** {line, character} of byte `offset`, as lsp_pos_at. */
gr_pos lsp_pos_cursor_at(lsp_pos_cursor *c, size_t offset);

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

/**
 * New JSON Range on one line of a text that is not at hand (a file on
 * disk, read once): `line` (0-based) and head[0..end), the line's bytes
 * from its start to the range's end at least; start and end are byte
 * columns in it (end before start reads as start, past head_len as
 * head_len). Columns are counted as lsp_pos_at counts them.
 */
json_t *lsp_line_range_to_json(uint32_t line, const char *head, size_t head_len, size_t start, size_t end,
                               lsp_pos_encoding enc);

#endif
