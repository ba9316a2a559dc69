/*
 * fuzz_input.h: reading a fuzzer's bytes, shared by the fuzz targets that
 * build texts from them (fz_*). Header-only: each target is its own program.
 */
#ifndef TMPL_FUZZ_INPUT_H
#define TMPL_FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

typedef struct fz_in {
  const uint8_t *p;
  size_t n;
} fz_in;

/* The next byte, 0 once the input is used up. */
static inline uint8_t fz_byte(fz_in *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}

typedef GR_ARRAY(char) fz_str;

static inline void fz_put(fz_str *s, const char *p, size_t n) {
  gr_array_reserve(s, n + 1);
  if (n) memcpy(s->items + s->len, p, n);
  s->len += n;
  s->items[s->len] = '\0';
}

/*
 * A text of at most max_pieces pieces, each a fragment of frags[] (an empty
 * fragment stands for one NUL byte) or a run of 1..raw_max raw bytes. Unless
 * raw_ok, invalid UTF-8 bytes become '?' (what a JSON string can carry).
 */
static inline void fz_text_from(fz_in *in, fz_str *s, const char *const *frags, size_t nfrags,
                                unsigned max_pieces, unsigned raw_max, bool raw_ok) {
  s->len = 0;
  fz_put(s, "", 0);
  unsigned pieces = fz_byte(in) % (max_pieces + 1);
  for (unsigned i = 0; i < pieces && in->n; i++) {
    uint8_t b = fz_byte(in);
    if (b < 0xC0) {
      const char *f = frags[b % nfrags];
      fz_put(s, f, *f ? strlen(f) : 1);
    } else {
      unsigned k = 1 + (b & (raw_max - 1));
      for (unsigned j = 0; j < k && in->n; j++) {
        char c = (char)fz_byte(in);
        fz_put(s, &c, 1);
      }
    }
  }
  if (raw_ok) return;
  for (size_t i = 0; i < s->len;) {
    uint32_t cp;
    size_t n = gr_utf8_decode(s->items, s->len, i, &cp);
    if (cp == 0xFFFD && n == 1) s->items[i] = '?';
    i += n;
  }
}

#endif
