/*
 * frame.h: the LSP base protocol framer. Bytes go in, in chunks of any size;
 * complete message bodies and framing errors come out, in stream order.
 *
 * A frame is a header block ("Name: value" lines ended by CRLF, or LF, then
 * a blank line) and a body of exactly Content-Length bytes. Header names are
 * case-insensitive; Content-Length is required, Content-Type is accepted and
 * other headers are ignored.
 *
 * Bad input never loses the stream where the frame boundary is still known:
 * - a body longer than the limit is skipped byte for byte, never buffered;
 * - a header block with a malformed line but a valid Content-Length has its
 *   body skipped;
 * - a header block without a usable Content-Length is dropped up to its
 *   blank line;
 * - a header block longer than the header limit is dropped up to the next
 *   blank line, whatever its size;
 * - garbage glued in front of a "Content-Length:" line (the tail of a frame
 *   whose Content-Length was too small) is dropped and the frame is kept;
 * - a body the caller rejects (not JSON: the frame before it was truncated,
 *   so its Content-Length swallowed the next frame) is searched for an
 *   embedded "Content-Length:" and the stream resumes there.
 * Each case is reported as an error event. The framer never holds more than
 * one header block plus one body (both capped) plus the bytes replayed from
 * one rejected body.
 *
 * Decisions depend only on the bytes, never on how they were chunked: the
 * same stream gives the same events in any chunking (fuzz/fuzz_frame.c).
 */
#ifndef TMPL_PROTOCOL_FRAME_H
#define TMPL_PROTOCOL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define RPC_FRAME_DEFAULT_MAX_BODY ((size_t)64 << 20) /* 64 MiB */
#define RPC_FRAME_DEFAULT_MAX_HEADER ((size_t)8192)    /* a header block, blank line included */

/* Framing errors: negative ints, with stable names. */
#define RPC_FRAME_ERRORS(XX)                                                        \
  XX(HEADER_TOO_LARGE, -1, "header-too-large", "header block over the size limit")  \
  XX(NO_LENGTH, -2, "no-content-length", "header block without Content-Length")     \
  XX(BAD_LENGTH, -3, "bad-content-length", "Content-Length is not a valid number")  \
  XX(BAD_HEADER, -4, "bad-header", "malformed header line")                         \
  XX(BODY_TOO_LARGE, -5, "body-too-large", "Content-Length over the body limit")    \
  XX(GARBAGE, -6, "garbage", "bytes before a header dropped")                       \
  XX(TRUNCATED, -7, "truncated", "input ended inside a frame")

typedef enum rpc_frame_error {
#define RPC_FRAME__XX(id, val, name, text) RPC_FRAME_E_##id = (val),
  RPC_FRAME_ERRORS(RPC_FRAME__XX)
#undef RPC_FRAME__XX
} rpc_frame_error;

/** Stable short name ("body-too-large") and a sentence for an error code; "unknown" otherwise. */
const char *rpc_frame_error_name(int err);
const char *rpc_frame_strerror(int err);

typedef enum rpc_frame_event_kind {
  RPC_FRAME_BODY = 1, /* a complete body: body/len */
  RPC_FRAME_ERROR = 2 /* a framing error: error, and len = bytes dropped or skipped so far */
} rpc_frame_event_kind;

typedef struct rpc_frame_event {
  rpc_frame_event_kind kind;
  int error;        /* RPC_FRAME_E_* for RPC_FRAME_ERROR, else 0 */
  const char *body; /* RPC_FRAME_BODY: borrowed, valid during the callback only */
  size_t len;       /* body length; for errors, a size that helps the log (may be 0) */
  uint64_t offset;  /* stream offset where the frame (or the dropped bytes) started */
} rpc_frame_event;

/* What a callback returns for a body. */
enum {
  RPC_FRAME_ACCEPT = 0, /* the body was a message (valid or not, it is consumed) */
  RPC_FRAME_REJECT = 1  /* not a message at all: look inside it for the next frame */
};

/**
 * Called once per event, in stream order. For RPC_FRAME_BODY, return
 * RPC_FRAME_ACCEPT or RPC_FRAME_REJECT; the return value of error events is
 * ignored. The callback must not call rpc_frame_feed on the same framer.
 */
typedef int (*rpc_frame_cb)(void *ud, const rpc_frame_event *ev);

typedef struct rpc_frame_limits {
  size_t max_body;   /* 0 means RPC_FRAME_DEFAULT_MAX_BODY */
  size_t max_header; /* 0 means RPC_FRAME_DEFAULT_MAX_HEADER; at least 32 */
} rpc_frame_limits;

typedef struct rpc_frame rpc_frame;

/** New framer (rpc_frame_free). limits may be NULL for the defaults. */
rpc_frame *rpc_frame_new(const rpc_frame_limits *limits);
void rpc_frame_free(rpc_frame *f);

/**
 * Feed data[0..len) (borrowed: copied only as far as a frame is incomplete)
 * and report every event it completes through cb. Never fails.
 */
void rpc_frame_feed(rpc_frame *f, const char *data, size_t len, rpc_frame_cb cb, void *ud);

/**
 * End of input: reports RPC_FRAME_E_TRUNCATED if a frame was started and
 * not finished (blank lines between frames do not count). The framer is
 * then empty and may be fed again.
 */
void rpc_frame_finish(rpc_frame *f, rpc_frame_cb cb, void *ud);

/** Bytes currently held (header block, partial body, replay): for tests of the bounds. */
size_t rpc_frame_buffered(const rpc_frame *f);

#endif
