/*
 * lines.h: a line index over a text, and conversion between byte offsets
 * and (line, column) pairs in UTF-8 bytes, UTF-16 code units or code points.
 *
 * Lines end at "\n", "\r\n" or a lone "\r" (as LSP defines them). Columns
 * are counted from the line start; a line's end is before its terminator.
 * Invalid UTF-8 is decoded as U+FFFD one byte at a time, so every byte
 * offset maps to a column and back: counting is total, never failing.
 *
 * The index borrows nothing: it stores only line start offsets, and the
 * conversion functions take the same text again.
 */
#ifndef TMPL_GRAMMAR_LINES_H
#define TMPL_GRAMMAR_LINES_H

#include <stddef.h>
#include <stdint.h>

typedef enum gr_unit {
  GR_UNIT_UTF8 = 0,  /* bytes */
  GR_UNIT_UTF16 = 1, /* UTF-16 code units (LSP's default) */
  GR_UNIT_CODEPOINT = 2
} gr_unit;

typedef struct gr_lines gr_lines;

typedef struct gr_pos {
  uint32_t line; /* 0-based */
  uint32_t col;  /* 0-based, in the requested unit */
} gr_pos;

/** Index the lines of text[0..len). Returns a new index (gr_lines_free). */
gr_lines *gr_lines_new(const char *text, size_t len);
void gr_lines_free(gr_lines *lines);

/**
 * Bring the index up to date after text[start..old_end) was replaced by
 * new_len bytes; text[0..len) is the text after the edit. Only the edit and
 * one byte on each side are read again; the lines after it are shifted.
 * Gives the same index as gr_lines_new on the new text.
 */
void gr_lines_edit(gr_lines *lines, const char *text, size_t len, size_t start, size_t old_end,
                   size_t new_len);

/** Number of lines (at least 1; a final terminator starts an empty line). */
uint32_t gr_lines_count(const gr_lines *lines);
/** Byte offset where `line` starts; line >= count gives the text length. */
size_t gr_lines_start(const gr_lines *lines, uint32_t line);
/** Byte offset where `line`'s content ends (before its terminator). */
size_t gr_lines_end(const gr_lines *lines, const char *text, uint32_t line);
/** The line holding byte `offset` (offsets past the end give the last line). */
uint32_t gr_lines_line_of(const gr_lines *lines, size_t offset);

/**
 * Position of byte `offset` in `unit`. An offset past the end is clamped to
 * the end; an offset inside a multi-byte character or inside "\r\n" counts
 * as the start of that character or terminator.
 */
gr_pos gr_lines_pos(const gr_lines *lines, const char *text, size_t offset, gr_unit unit);

/**
 * Byte offset of `pos` in `unit`, clamped as LSP requires: a line past the
 * end gives the text length, a column past the line's end gives the line's
 * end, and a column inside a character (half a surrogate pair) gives the
 * start of the next whole character.
 */
size_t gr_lines_offset(const gr_lines *lines, const char *text, gr_pos pos, gr_unit unit);

/**
 * Decode one UTF-8 character at text[i..len). Sets *cp (U+FFFD for an
 * invalid sequence) and returns its length in bytes (1 for invalid bytes).
 */
size_t gr_utf8_decode(const char *text, size_t len, size_t i, uint32_t *cp);
/** Code point cp (at most U+10FFFF) as UTF-8 into out; returns its length (1 to 4). */
size_t gr_utf8_encode(uint32_t cp, char out[4]);

/**
 * A NUL-terminated copy of s[0..n) that is valid UTF-8: each invalid
 * sequence becomes U+FFFD. A new string (gr_free).
 */
char *gr_utf8_clean(const char *s, size_t n);

#endif
