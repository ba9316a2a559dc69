/*
 * bitmap.h: where the tokens the parser looks for start, one bit per byte.
 *
 * gr_parse first classifies the whole text, 64 bytes at a time, into four
 * bitmaps, and every later pass walks set bits instead of bytes, so plain
 * text is read once, by the widest vector unit the machine has (AVX-512,
 * AVX2, SSE2, else a byte loop; all give the same bits, which
 * tests/grammar/test_bitmap.c checks). Private to grammar/.
 *
 *   nl    '\n' or '\r': line ends (pass 1)
 *   pair  "{{" "}}" "<<" "^^" "@{": what the pairing reads (pass 2)
 *   mark  "{{" "[[" "^^" "@{", any '<' and any '`': what may start
 *         markup in the main scan (pass 3)
 *   line  line starts (never offset 0) whose first byte may begin a
 *         heading, a fence or a setext underline, or indent one:
 *         '#' '`' '~' '-' '=' ' ' '\t' (pass 1)
 *
 * A bit marks the first byte of the pair, so a run "{{{" sets two bits;
 * the passes read runs from the left as before. The four take len / 2
 * bytes while the parse runs.
 */
#ifndef TMPL_GRAMMAR_BITMAP_H
#define TMPL_GRAMMAR_BITMAP_H

#include <stdint.h>

typedef struct gr_bitmap {
  uint64_t *nl;
  uint64_t *pair;
  uint64_t *mark;
  uint64_t *line;
  uint32_t len; /* bytes covered; bits at and past len are 0 */
} gr_bitmap;

typedef enum gr_bitmap_impl {
  GR_BITMAP_BEST,   /* the widest the CPU supports */
  GR_BITMAP_SCALAR, /* a byte loop: the reference */
  GR_BITMAP_SSE2,
  GR_BITMAP_AVX2,
  GR_BITMAP_AVX512
} gr_bitmap_impl;

/**
 * Classify text[0..len) into b (allocated here; gr_bitmap_free). `impl`
 * picks the classifier for tests; an implementation the CPU or compiler
 * lacks falls back to the next narrower one. Returns the one used.
 */
gr_bitmap_impl gr_bitmap_build(gr_bitmap *b, const char *text, uint32_t len, gr_bitmap_impl impl);
void gr_bitmap_free(gr_bitmap *b);

/** Last set bit of m in [start, i), or GR_BITMAP_NONE. */
#define GR_BITMAP_NONE UINT32_MAX
static inline uint32_t gr_bitmap_prev(const uint64_t *m, uint32_t start, uint32_t i) {
  if (i <= start) return GR_BITMAP_NONE;
  uint32_t w = (i - 1) >> 6, first = start >> 6;
  uint64_t x = m[w] & (~(uint64_t)0 >> (63 - ((i - 1) & 63)));
  while (!x) {
    if (w-- == first) return GR_BITMAP_NONE;
    x = m[w];
  }
  uint32_t at = (w << 6) + 63 - (uint32_t)__builtin_clzll(x);
  return at >= start ? at : GR_BITMAP_NONE;
}

/**
 * First set bit of m in [i, end), or end. end <= the bitmap's len. The
 * next word is looked at without a branch (the spare word makes it safe),
 * so only a gap of more than 64 bytes takes the loop.
 */
static inline uint32_t gr_bitmap_next(const uint64_t *m, uint32_t i, uint32_t end) {
  if (i >= end) return end;
  uint32_t w = i >> 6;
  uint64_t x = m[w] & (~(uint64_t)0 << (i & 63)), y = m[w + 1];
  uint64_t z = x ? x : y;
  w = x ? w : w + 1;
  if (!z) {
    uint32_t last = (end - 1) >> 6;
    do {
      if (++w > last) return end;
      z = m[w];
    } while (!z);
  }
  uint32_t at = (w << 6) + (uint32_t)__builtin_ctzll(z);
  return at < end ? at : end;
}

#endif
