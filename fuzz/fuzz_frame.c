/*
 * fuzz_frame.c: libFuzzer target for protocol/frame.c.
 *
 * Input: 4 option bytes, then the byte stream. The option bytes seed the
 * chunk sizes (a xorshift sequence, 1..max_chunk bytes each) and pick the
 * limits (small ones, so oversized bodies and header blocks are reached).
 * The stream is framed twice, all at once and in chunks; the invariants:
 *   - the same events (bodies, errors, offsets) in the same order whatever
 *     the chunking: the framer decides on bytes, never on chunk ends;
 *   - no body longer than the body limit, every error a known code;
 *   - never more buffered than one header block, one body and one replay.
 * A body is "rejected" (as the server rejects non-JSON) when it does not
 * start with '{', so the replay path is fuzzed too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "protocol/frame.h"

typedef struct fz_log {
  GR_ARRAY(unsigned char) bytes; /* the events, serialised */
  size_t max_body;
  size_t events;
} fz_log;

static void fz_put(fz_log *l, const void *p, size_t n) {
  gr_array_reserve(&l->bytes, n);
  memcpy(l->bytes.items + l->bytes.len, p, n);
  l->bytes.len += n;
}

static int fz_cb(void *ud, const rpc_frame_event *ev) {
  fz_log *l = ud;
  l->events++;
  unsigned char kind = (unsigned char)ev->kind;
  fz_put(l, &kind, 1);
  fz_put(l, &ev->error, sizeof ev->error);
  fz_put(l, &ev->len, sizeof ev->len);
  fz_put(l, &ev->offset, sizeof ev->offset);
  if (ev->kind == RPC_FRAME_BODY) {
    if (ev->len > l->max_body) abort();
    fz_put(l, ev->body, ev->len);
    return ev->len && ev->body[0] == '{' ? RPC_FRAME_ACCEPT : RPC_FRAME_REJECT;
  }
  if (ev->kind != RPC_FRAME_ERROR || ev->error < RPC_FRAME_E_TRUNCATED || ev->error > RPC_FRAME_E_HEADER_TOO_LARGE)
    abort();
  return RPC_FRAME_ACCEPT;
}

static uint32_t fz_next(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/* Frame data[0..n) in chunks (chunk == 0: all at once) into l. */
static void fz_run(const uint8_t *data, size_t n, const rpc_frame_limits *lim, uint32_t seed, uint32_t max_chunk,
                   fz_log *l) {
  rpc_frame *f = rpc_frame_new(lim);
  size_t bound = lim->max_header + 2 * lim->max_body;
  for (size_t i = 0; i < n;) {
    size_t k = max_chunk ? 1 + fz_next(&seed) % max_chunk : n;
    if (k > n - i) k = n - i;
    rpc_frame_feed(f, (const char *)data + i, k, fz_cb, l);
    if (rpc_frame_buffered(f) > bound) abort();
    i += k;
  }
  rpc_frame_finish(f, fz_cb, l);
  rpc_frame_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4) return 0;
  uint32_t seed = (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 | (uint32_t)data[3] << 24;
  data += 4;
  size -= 4;
  rpc_frame_limits lim;
  lim.max_body = (seed & 1) ? 64 + (seed >> 1 & 0xFF) : 1 << 16;
  lim.max_header = (seed & 2) ? 32 + (seed >> 9 & 0x3F) : 1024;
  uint32_t max_chunk = 1 + (seed >> 16 & 0x3F);
  if (seed == 0) seed = 1; /* xorshift needs a non-zero state */

  fz_log whole = {0}, chunked = {0};
  whole.max_body = chunked.max_body = lim.max_body;
  fz_run(data, size, &lim, seed, 0, &whole);
  fz_run(data, size, &lim, seed, max_chunk, &chunked);
  if (whole.bytes.len != chunked.bytes.len || whole.events != chunked.events ||
      (whole.bytes.len && memcmp(whole.bytes.items, chunked.bytes.items, whole.bytes.len) != 0))
    abort();
  gr_array_free(&whole.bytes);
  gr_array_free(&chunked.bytes);
  return 0;
}
