/*
 * jsonw.h: JSON text written straight into a buffer (jw_*), for the large
 * responses (an outline of thousands of symbols) where building a jansson
 * tree and then dumping it costs more than the work itself: each value is
 * appended as it is known, with no tree and one allocation per buffer
 * growth. The caller writes the structure ('{', ',', ':', ...) with jw_raw;
 * jw_str and jw_int write values; jw_range a Range at the protocol edge.
 */
#ifndef TMPL_PROTOCOL_JSONW_H
#define TMPL_PROTOCOL_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol/jsonrpc.h"
#include "protocol/position.h"

/** Append s[0..n) as it is (JSON text the caller vouches for). */
void jw_raw(rpc_buf *b, const char *s, size_t n);
/** Append the NUL-terminated JSON text s as it is. */
void jw_lit(rpc_buf *b, const char *s);

/**
 * Append s[0..n) as a JSON string: quoted; '"', '\\' and control characters
 * escaped; a byte that is not part of valid UTF-8 written as U+FFFD (as
 * the server's other strings are made valid before they reach jansson).
 */
void jw_str(rpc_buf *b, const char *s, size_t n);

/**
 * Is s[0..n) valid UTF-8 (as jansson's json_string wants it)? For callers
 * that leave out what jansson would have refused rather than send U+FFFD.
 */
bool jw_utf8_valid(const char *s, size_t n);

/** Append a decimal integer. */
void jw_int(rpc_buf *b, long long v);

/** Append the Range from `start` to `end`, positions already converted. */
void jw_range_pos(rpc_buf *b, gr_pos start, gr_pos end);

/** Append the Range of bytes [start, end) of t: {"start":{...},"end":{...}}. */
void jw_range(rpc_buf *b, const lsp_text *t, size_t start, size_t end);

#endif
