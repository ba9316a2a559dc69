/*
 * test_lines.c: the line index and offset <-> position conversion in UTF-8
 * bytes, UTF-16 code units and code points, with LSP's clamping rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

/* "a𝄞b\r\nβ\rz": 𝄞 is U+1D11E (4 bytes, 2 UTF-16 units), β is U+03B2 (2 bytes). */
static const char text[] = "a\xF0\x9D\x84\x9E" "b\r\n\xCE\xB2\rz";
#define TEXT_LEN (sizeof text - 1)

static void test_lines_count_and_starts(void **state) {
  (void)state;
  gr_lines *l = gr_lines_new(text, TEXT_LEN);
  assert_int_equal(gr_lines_count(l), 3);
  assert_int_equal(gr_lines_start(l, 0), 0);
  assert_int_equal(gr_lines_start(l, 1), 8);  /* after "\r\n" */
  assert_int_equal(gr_lines_start(l, 2), 11); /* after the lone "\r" */
  assert_int_equal(gr_lines_start(l, 3), TEXT_LEN);
  assert_int_equal(gr_lines_end(l, text, 0), 6);
  assert_int_equal(gr_lines_end(l, text, 1), 10);
  assert_int_equal(gr_lines_end(l, text, 2), 12);
  assert_int_equal(gr_lines_line_of(l, 7), 0); /* the "\n" of "\r\n" */
  assert_int_equal(gr_lines_line_of(l, 8), 1);
  assert_int_equal(gr_lines_line_of(l, 999), 2);
  gr_lines_free(l);
}

static void test_lines_empty_and_trailing_newline(void **state) {
  (void)state;
  gr_lines *l = gr_lines_new("", 0);
  assert_int_equal(gr_lines_count(l), 1);
  gr_pos p = gr_lines_pos(l, "", 0, GR_UNIT_UTF16);
  assert_int_equal(p.line, 0);
  assert_int_equal(p.col, 0);
  gr_lines_free(l);
  l = gr_lines_new("x\n", 2);
  assert_int_equal(gr_lines_count(l), 2);
  p = gr_lines_pos(l, "x\n", 2, GR_UNIT_UTF8);
  assert_int_equal(p.line, 1);
  assert_int_equal(p.col, 0);
  gr_lines_free(l);
}

typedef struct pos_case {
  size_t offset;
  gr_unit unit;
  uint32_t line, col;
} pos_case;

static void test_lines_offset_to_pos(void **state) {
  (void)state;
  static const pos_case cases[] = {
      {0, GR_UNIT_UTF8, 0, 0},      {1, GR_UNIT_UTF8, 0, 1},      {5, GR_UNIT_UTF8, 0, 5},
      {1, GR_UNIT_UTF16, 0, 1},     {5, GR_UNIT_UTF16, 0, 3},     {6, GR_UNIT_UTF16, 0, 4},
      {5, GR_UNIT_CODEPOINT, 0, 2}, {6, GR_UNIT_CODEPOINT, 0, 3},
      /* inside 𝄞: counts as its start */
      {3, GR_UNIT_UTF16, 0, 1},     {3, GR_UNIT_CODEPOINT, 0, 1},
      {3, GR_UNIT_UTF8, 0, 1},      {4, GR_UNIT_UTF8, 0, 1},      {9, GR_UNIT_UTF8, 1, 0},
      /* inside "\r\n": the line's end */
      {7, GR_UNIT_UTF16, 0, 4},
      {10, GR_UNIT_UTF16, 1, 1},    {10, GR_UNIT_UTF8, 1, 2},     {12, GR_UNIT_UTF16, 2, 1},
      /* past the end: clamped */
      {500, GR_UNIT_UTF16, 2, 1},
  };
  gr_lines *l = gr_lines_new(text, TEXT_LEN);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gr_pos p = gr_lines_pos(l, text, cases[i].offset, cases[i].unit);
    if (p.line != cases[i].line || p.col != cases[i].col)
      fail_msg("case %zu: offset %zu unit %d: got %u:%u, want %u:%u", i, cases[i].offset,
               cases[i].unit, p.line, p.col, cases[i].line, cases[i].col);
  }
  gr_lines_free(l);
}

typedef struct off_case {
  uint32_t line, col;
  gr_unit unit;
  size_t offset;
} off_case;

static void test_lines_pos_to_offset_clamps(void **state) {
  (void)state;
  static const off_case cases[] = {
      {0, 0, GR_UNIT_UTF16, 0},
      {0, 3, GR_UNIT_UTF16, 5},     /* after 𝄞 */
      {0, 2, GR_UNIT_UTF16, 5},     /* half a surrogate pair: the next whole character */
      {0, 4, GR_UNIT_UTF16, 6},
      {0, 99, GR_UNIT_UTF16, 6},    /* past the line's end: the line's end */
      {0, 99, GR_UNIT_UTF8, 6},
      {0, 3, GR_UNIT_UTF8, 5},      /* inside 𝄞 in bytes: the next boundary */
      {0, 2, GR_UNIT_CODEPOINT, 5},
      {1, 1, GR_UNIT_UTF16, 10},
      {1, 1, GR_UNIT_UTF8, 10},     /* inside β: the next boundary */
      {2, 1, GR_UNIT_UTF16, 12},
      {9, 0, GR_UNIT_UTF16, TEXT_LEN}, /* past the last line: the end */
  };
  gr_lines *l = gr_lines_new(text, TEXT_LEN);
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gr_pos p = {cases[i].line, cases[i].col};
    size_t o = gr_lines_offset(l, text, p, cases[i].unit);
    if (o != cases[i].offset)
      fail_msg("case %zu: %u:%u unit %d: got %zu, want %zu", i, cases[i].line, cases[i].col,
               cases[i].unit, o, cases[i].offset);
  }
  gr_lines_free(l);
}

static void test_lines_invalid_utf8_counts_bytes(void **state) {
  (void)state;
  /* 0xFF, a truncated 3-byte sequence, an overlong "/" and a surrogate. */
  static const char bad[] = "\xFF" "\xE2\x82" "\xC0\xAF" "\xED\xA0\x80" "x";
  size_t len = sizeof bad - 1;
  gr_lines *l = gr_lines_new(bad, len);
  gr_pos p = gr_lines_pos(l, bad, len - 1, GR_UNIT_UTF16);
  assert_int_equal(p.col, 8); /* each invalid byte is one U+FFFD */
  assert_int_equal(gr_lines_offset(l, bad, p, GR_UNIT_UTF16), len - 1);
  uint32_t cp;
  assert_int_equal(gr_utf8_decode(bad, len, 0, &cp), 1);
  assert_int_equal(cp, 0xFFFD);
  assert_int_equal(gr_utf8_decode(text, TEXT_LEN, 1, &cp), 4);
  assert_int_equal(cp, 0x1D11E);
  gr_lines_free(l);
}

static void test_lines_utf8_clean(void **state) {
  (void)state;
  static const char bad[] = "a\xFF" "b\xE2\x82" "\xEF\xBF\xBD" "\xF0\x9D\x84\x9E";
  char *c = gr_utf8_clean(bad, sizeof bad - 1);
  assert_string_equal(c, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD" "\xEF\xBF\xBD" "\xF0\x9D\x84\x9E");
  gr_free(c);
  c = gr_utf8_clean("", 0);
  assert_string_equal(c, "");
  gr_free(c);
}

/* gr_lines_edit gives what gr_lines_new gives on the edited text, for
 * random edits of texts made of line ends and a few other bytes. */
static void test_lines_edit_matches_a_fresh_index(void **state) {
  (void)state;
  static const char alphabet[] = "ab\r\n\n\xCE\xB2";
  unsigned seed = 12345;
#define RND() (seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff)
  for (int round = 0; round < 400; round++) {
    char buf[256];
    size_t len = RND() % 40;
    for (size_t i = 0; i < len; i++) buf[i] = alphabet[RND() % (sizeof alphabet - 1)];
    gr_lines *l = gr_lines_new(buf, len);
    for (int e = 0; e < 8; e++) {
      size_t start = len ? RND() % (len + 1) : 0;
      size_t old_end = start + (len - start ? RND() % (len - start + 1) : 0);
      char ins[16];
      size_t nl = RND() % 6;
      for (size_t i = 0; i < nl; i++) ins[i] = alphabet[RND() % (sizeof alphabet - 1)];
      if (len - (old_end - start) + nl >= sizeof buf) break;
      memmove(buf + start + nl, buf + old_end, len - old_end);
      memcpy(buf + start, ins, nl);
      len = len - (old_end - start) + nl;
      gr_lines_edit(l, buf, len, start, old_end, nl);
      gr_lines *fresh = gr_lines_new(buf, len);
      assert_int_equal(gr_lines_count(l), gr_lines_count(fresh));
      for (uint32_t k = 0; k <= gr_lines_count(fresh); k++)
        if (gr_lines_start(l, k) != gr_lines_start(fresh, k))
          fail_msg("round %d edit %d: line %u starts at %zu, want %zu", round, e, k,
                   gr_lines_start(l, k), gr_lines_start(fresh, k));
      gr_lines_free(fresh);
    }
    gr_lines_free(l);
  }
#undef RND
}

static void test_lines_round_trip_every_offset(void **state) {
  (void)state;
  gr_lines *l = gr_lines_new(text, TEXT_LEN);
  /* Offsets on character boundaries (not inside "\r\n") survive a round trip. */
  static const size_t boundaries[] = {0, 1, 5, 6, 8, 10, 11, 12};
  for (int u = 0; u < 3; u++)
    for (size_t i = 0; i < sizeof boundaries / sizeof boundaries[0]; i++) {
      gr_pos p = gr_lines_pos(l, text, boundaries[i], (gr_unit)u);
      assert_int_equal(gr_lines_offset(l, text, p, (gr_unit)u), boundaries[i]);
    }
  gr_lines_free(l);
}

static void test_lines_utf8_stray_byte_at_line_start(void **state) {
  (void)state;
  /* A continuation byte with no lead is a character of its own (U+FFFD),
   * also as a line's first byte: column 0 is its start, and offset 0 of
   * the text is read without looking before the text. */
  static const char bad[] = "\x9D\x9Dx\n\x80y";
  size_t len = sizeof bad - 1;
  gr_lines *l = gr_lines_new(bad, len);
  gr_pos first = {0, 0}, second = {1, 0}, one = {0, 1};
  assert_int_equal(gr_lines_offset(l, bad, first, GR_UNIT_UTF8), 0);
  assert_int_equal(gr_lines_offset(l, bad, one, GR_UNIT_UTF8), 1);
  assert_int_equal(gr_lines_offset(l, bad, second, GR_UNIT_UTF8), 4);
  for (size_t off = 0; off <= len; off++) {
    if (off == 3) continue; /* the terminator */
    gr_pos p = gr_lines_pos(l, bad, off, GR_UNIT_UTF8);
    assert_int_equal(gr_lines_offset(l, bad, p, GR_UNIT_UTF8), off);
  }
  gr_lines_free(l);
}

/* gr_utf8_encode: each length's bounds, and back through gr_utf8_decode. */
static void test_lines_utf8_encode(void **state) {
  (void)state;
  static const struct {
    uint32_t cp;
    const char *want;
  } cases[] = {{0x41, "A"},           {0x7F, "\x7F"},         {0x80, "\xC2\x80"},         {0x7FF, "\xDF\xBF"},
               {0x800, "\xE0\xA0\x80"}, {0xFFFD, "\xEF\xBF\xBD"}, {0x10000, "\xF0\x90\x80\x80"},
               {0x1F600, "\xF0\x9F\x98\x80"}, {0x10FFFF, "\xF4\x8F\xBF\xBF"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char out[4];
    size_t n = gr_utf8_encode(cases[i].cp, out);
    assert_int_equal(n, strlen(cases[i].want));
    assert_memory_equal(out, cases[i].want, n);
    uint32_t back;
    assert_int_equal(gr_utf8_decode(out, n, 0, &back), n);
    assert_int_equal(back, cases[i].cp);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lines_count_and_starts),
      cmocka_unit_test(test_lines_utf8_encode),
      cmocka_unit_test(test_lines_empty_and_trailing_newline),
      cmocka_unit_test(test_lines_offset_to_pos),
      cmocka_unit_test(test_lines_pos_to_offset_clamps),
      cmocka_unit_test(test_lines_invalid_utf8_counts_bytes),
      cmocka_unit_test(test_lines_utf8_clean),
      cmocka_unit_test(test_lines_edit_matches_a_fresh_index),
      cmocka_unit_test(test_lines_round_trip_every_offset),
      cmocka_unit_test(test_lines_utf8_stray_byte_at_line_start),
  };
  return cmocka_run_group_tests_name("lines", tests, NULL, NULL);
}
