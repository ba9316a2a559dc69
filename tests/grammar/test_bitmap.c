/*
 * test_bitmap.c: the parser's byte classifier. Exact bits for a crafted
 * text, then every vector implementation against the byte loop on texts
 * of every length around the 64-byte block edges, and on random bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/bitmap.h"

/* The offsets set in m over [0, len), as a string "1 5 9". */
static void bits_of(const uint64_t *m, uint32_t len, char *out, size_t cap) {
  size_t n = 0;
  out[0] = '\0';
  for (uint32_t i = 0; i < len && n + 12 < cap; i++)
    if (m[i >> 6] >> (i & 63) & 1) n += (size_t)snprintf(out + n, cap - n, n ? " %u" : "%u", i);
}

static void test_bitmap_exact_bits(void **state) {
  (void)state;
  /*                    0         1         2         3
   *                    0123456789012345678901234567890123456789 */
  static const char t[] = "{{a}} [[b <c ^^d @{e `f\n# h\r\n- i\r{x}@x^y[z";
  uint32_t len = (uint32_t)strlen(t);
  gr_bitmap b;
  gr_bitmap_build(&b, t, len, GR_BITMAP_SCALAR);
  char got[512];
  bits_of(b.nl, len, got, sizeof got);
  assert_string_equal(got, "23 27 28 32");
  bits_of(b.pair, len, got, sizeof got);
  assert_string_equal(got, "0 3 13 17");
  bits_of(b.mark, len, got, sizeof got);
  assert_string_equal(got, "0 6 10 13 17 21");
  bits_of(b.line, len, got, sizeof got);
  assert_string_equal(got, "24 29");
  gr_bitmap_free(&b);
}

/* Every implementation gives the scalar one's bits for text[0..len). */
static void expect_same_bits(const char *text, uint32_t len) {
  gr_bitmap ref, got;
  gr_bitmap_build(&ref, text, len, GR_BITMAP_SCALAR);
  const gr_bitmap_impl impls[] = {GR_BITMAP_SSE2, GR_BITMAP_AVX2, GR_BITMAP_AVX512,
                                      GR_BITMAP_BEST};
  size_t words = ((size_t)len + 63) / 64 + 1;
  for (size_t k = 0; k < sizeof impls / sizeof impls[0]; k++) {
    gr_bitmap_build(&got, text, len, impls[k]);
    assert_memory_equal(ref.nl, got.nl, words * sizeof(uint64_t));
    assert_memory_equal(ref.pair, got.pair, words * sizeof(uint64_t));
    assert_memory_equal(ref.mark, got.mark, words * sizeof(uint64_t));
    assert_memory_equal(ref.line, got.line, words * sizeof(uint64_t));
    gr_bitmap_free(&got);
  }
  gr_bitmap_free(&ref);
}

static void test_bitmap_implementations_agree_at_block_edges(void **state) {
  (void)state;
  /* The markup bytes, the line leads and their neighbours in ASCII, with
   * every pair across a block edge: lengths 0..200 of a repeating text. */
  static const char unit[] = "{{}}[[<<^^@{`\n#-= \t~\r\n}{[]^@<>`a\x80\xFF\x0B\x7E\x5D";
  char text[256];
  for (size_t i = 0; i < sizeof text; i++) text[i] = unit[i % (sizeof unit - 1)];
  for (uint32_t len = 0; len <= 200; len++) expect_same_bits(text, len);
  for (uint32_t off = 1; off < 40; off++) expect_same_bits(text + off, 200);
}

static void test_bitmap_implementations_agree_on_random_bytes(void **state) {
  (void)state;
  static const char alphabet[] = "{}[]<>^@`\n\r#-= \t~a";
  char *text = malloc(70000);
  srand(7);
  for (int round = 0; round < 40; round++) {
    uint32_t len = (uint32_t)(rand() % 70000);
    for (uint32_t i = 0; i < len; i++)
      text[i] = round % 2 ? (char)(rand() & 0xFF) : alphabet[rand() % (sizeof alphabet - 1)];
    expect_same_bits(text, len);
  }
  free(text);
}

/* The widest classifier the CPU has is the one used. */
static void test_bitmap_dispatch(void **state) {
  (void)state;
  gr_bitmap b;
  gr_bitmap_impl want = GR_BITMAP_SCALAR;
#if defined(__x86_64__) || defined(__i386__)
  want = __builtin_cpu_supports("avx512bw") ? GR_BITMAP_AVX512
         : __builtin_cpu_supports("avx2")   ? GR_BITMAP_AVX2
                                            : GR_BITMAP_SSE2;
#endif
  assert_int_equal(gr_bitmap_build(&b, "x", 1, GR_BITMAP_BEST), want);
  gr_bitmap_free(&b);
  assert_int_equal(gr_bitmap_build(&b, "x", 1, GR_BITMAP_SCALAR), GR_BITMAP_SCALAR);
  gr_bitmap_free(&b);
}

static void test_bitmap_next_and_prev(void **state) {
  (void)state;
  uint64_t m[5] = {0}; /* 256 bits and the spare word gr_bitmap_build adds */
  m[0] = (uint64_t)1 << 5;
  m[2] = (uint64_t)1 << 63; /* offset 191 */
  assert_int_equal(gr_bitmap_next(m, 0, 256), 5);
  assert_int_equal(gr_bitmap_next(m, 5, 256), 5);
  assert_int_equal(gr_bitmap_next(m, 6, 256), 191);
  assert_int_equal(gr_bitmap_next(m, 6, 100), 100); /* not before end */
  assert_int_equal(gr_bitmap_next(m, 192, 256), 256);
  assert_int_equal(gr_bitmap_next(m, 300, 256), 256);
  assert_int_equal(gr_bitmap_prev(m, 0, 256), 191);
  assert_int_equal(gr_bitmap_prev(m, 0, 191), 5);
  assert_int_equal(gr_bitmap_prev(m, 0, 6), 5);
  assert_int_equal(gr_bitmap_prev(m, 0, 5), GR_BITMAP_NONE);
  assert_int_equal(gr_bitmap_prev(m, 6, 191), GR_BITMAP_NONE); /* not before start */
  assert_int_equal(gr_bitmap_prev(m, 5, 5), GR_BITMAP_NONE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bitmap_exact_bits),
      cmocka_unit_test(test_bitmap_implementations_agree_at_block_edges),
      cmocka_unit_test(test_bitmap_implementations_agree_on_random_bytes),
      cmocka_unit_test(test_bitmap_dispatch),
      cmocka_unit_test(test_bitmap_next_and_prev),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
