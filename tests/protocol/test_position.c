/*
 * test_position.c: protocol/position.c: byte offsets <-> LSP positions in
 * utf-16 and utf-8, with astral-plane characters, CRLF and clamping.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/position.h"

/*
 * The text, byte by byte:
 *   0 'a', 1..4 U+1D11E (G clef: 4 bytes, 2 UTF-16 units), 5 'b', 6..7 CRLF,
 *   8 'x', 9 'y', 10 LF, 11 LF, 12..15 U+1F600 (emoji), 16 'z'; length 17.
 * Lines: 0 = [0,6), 1 = [8,10), 2 = [11,11), 3 = [12,17).
 */
static const char TEXT[] = "a\xF0\x9D\x84\x9E" "b\r\nxy\n\n\xF0\x9F\x98\x80z";
#define TEXT_LEN (sizeof TEXT - 1)

typedef struct fixture {
  gr_lines *lines;
  lsp_text u16, u8;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->lines = gr_lines_new(TEXT, TEXT_LEN);
  f->u16 = (lsp_text){TEXT, TEXT_LEN, f->lines, LSP_POS_UTF16, NULL};
  f->u8 = (lsp_text){TEXT, TEXT_LEN, f->lines, LSP_POS_UTF8, NULL};
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  gr_lines_free(f->lines);
  free(f);
  return 0;
}

static void test_position_offset_to_position(void **state) {
  fixture *f = *state;
  static const struct {
    size_t offset;
    uint32_t line, u16, u8;
  } cases[] = {
      {0, 0, 0, 0},   {1, 0, 1, 1},   {2, 0, 1, 1}, /* inside the G clef: its start */
      {5, 0, 3, 5},   {6, 0, 4, 6},   {7, 0, 4, 6}, /* inside CRLF: the line's end */
      {8, 1, 0, 0},   {10, 1, 2, 2},  {11, 2, 0, 0},  {12, 3, 0, 0},
      {16, 3, 2, 4},  {17, 3, 3, 5},  {1000, 3, 3, 5}, /* past the end: clamped */
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    gr_pos a = lsp_pos_at(&f->u16, cases[i].offset);
    gr_pos b = lsp_pos_at(&f->u8, cases[i].offset);
    print_message("offset %zu\n", cases[i].offset);
    assert_int_equal(a.line, cases[i].line);
    assert_int_equal(a.col, cases[i].u16);
    assert_int_equal(b.line, cases[i].line);
    assert_int_equal(b.col, cases[i].u8);
  }
}

static void test_position_position_to_offset(void **state) {
  fixture *f = *state;
  static const struct {
    lsp_pos_encoding enc;
    uint32_t line, character;
    size_t offset;
  } cases[] = {
      {LSP_POS_UTF16, 0, 0, 0},   {LSP_POS_UTF16, 0, 1, 1},
      {LSP_POS_UTF16, 0, 2, 5},   /* between the surrogates: the next whole character */
      {LSP_POS_UTF16, 0, 3, 5},   {LSP_POS_UTF16, 0, 4, 6},
      {LSP_POS_UTF16, 0, 99, 6},  /* past the line's end: the line's end, not the next line */
      {LSP_POS_UTF16, 1, 1, 9},   {LSP_POS_UTF16, 2, 5, 11},
      {LSP_POS_UTF16, 3, 1, 16},  {LSP_POS_UTF16, 3, 2, 16},
      {LSP_POS_UTF16, 3, 3, 17},  {LSP_POS_UTF16, 9, 0, 17}, /* past the last line: the end */
      {LSP_POS_UTF8, 0, 1, 1},    {LSP_POS_UTF8, 0, 2, 5},   /* inside the G clef's bytes */
      {LSP_POS_UTF8, 0, 5, 5},    {LSP_POS_UTF8, 0, 6, 6},
      {LSP_POS_UTF8, 0, 7, 6},    {LSP_POS_UTF8, 3, 4, 16},
      {LSP_POS_UTF8, 3, 5, 17},   {LSP_POS_UTF8, 3, UINT32_MAX, 17},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const lsp_text *t = cases[i].enc == LSP_POS_UTF8 ? &f->u8 : &f->u16;
    print_message("case %zu\n", i);
    assert_int_equal(lsp_pos_offset(t, cases[i].line, cases[i].character), cases[i].offset);
  }
}

static void test_position_reads_json(void **state) {
  fixture *f = *state;
  static const struct {
    const char *json;
    int rc;
    size_t offset;
  } cases[] = {
      {"{\"line\":0,\"character\":3}", 0, 5},
      {"{\"character\":1,\"line\":3}", 0, 16},
      {"{\"line\":5000000000,\"character\":0}", 0, 17}, /* too big for uint32: clamped */
      {"{\"line\":0,\"character\":5000000000}", 0, 6},
      {"{\"line\":-1,\"character\":0}", -1, 0},
      {"{\"line\":0,\"character\":1.5}", -1, 0},
      {"{\"line\":\"0\",\"character\":0}", -1, 0},
      {"{\"line\":0}", -1, 0},
      {"[0,0]", -1, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    json_t *j = json_loads(cases[i].json, 0, NULL);
    size_t off = 12345;
    print_message("%s\n", cases[i].json);
    assert_int_equal(lsp_pos_from_json(&f->u16, j, &off), cases[i].rc);
    assert_int_equal(off, cases[i].rc == 0 ? cases[i].offset : 12345);
    json_decref(j);
  }
  assert_int_equal(lsp_pos_from_json(&f->u16, NULL, &(size_t){0}), -1);
}

static void test_position_reads_ranges(void **state) {
  fixture *f = *state;
  static const struct {
    const char *json;
    int rc;
    size_t start, end;
  } cases[] = {
      {"{\"start\":{\"line\":0,\"character\":1},\"end\":{\"line\":0,\"character\":3}}", 0, 1, 5},
      {"{\"start\":{\"line\":0,\"character\":4},\"end\":{\"line\":1,\"character\":0}}", 0, 6, 8},
      {"{\"start\":{\"line\":3,\"character\":2},\"end\":{\"line\":0,\"character\":0}}", 0, 16, 16}, /* reversed */
      {"{\"start\":{\"line\":0,\"character\":0}}", -1, 0, 0},
      {"{\"start\":{\"line\":0,\"character\":0},\"end\":null}", -1, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    json_t *j = json_loads(cases[i].json, 0, NULL);
    size_t s = 99, e = 99;
    assert_int_equal(lsp_range_from_json(&f->u16, j, &s, &e), cases[i].rc);
    if (cases[i].rc == 0) {
      assert_int_equal(s, cases[i].start);
      assert_int_equal(e, cases[i].end);
    }
    json_decref(j);
  }
}

static void test_position_writes_json(void **state) {
  fixture *f = *state;
  static const struct {
    lsp_pos_encoding enc;
    size_t start, end;
    const char *want;
  } cases[] = {
      {LSP_POS_UTF16, 5, 17, "{\"start\":{\"line\":0,\"character\":3},\"end\":{\"line\":3,\"character\":3}}"},
      {LSP_POS_UTF8, 5, 17, "{\"start\":{\"line\":0,\"character\":5},\"end\":{\"line\":3,\"character\":5}}"},
      {LSP_POS_UTF16, 16, 12, "{\"start\":{\"line\":3,\"character\":2},\"end\":{\"line\":3,\"character\":2}}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const lsp_text *t = cases[i].enc == LSP_POS_UTF8 ? &f->u8 : &f->u16;
    json_t *r = lsp_range_to_json(t, cases[i].start, cases[i].end);
    char *got = json_dumps(r, JSON_COMPACT);
    assert_string_equal(got, cases[i].want);
    free(got);
    json_decref(r);
  }
}

static void test_position_negotiates_encoding(void **state) {
  (void)state;
  static const struct {
    const char *offered; /* JSON, or NULL for absent */
    lsp_pos_encoding want;
  } cases[] = {
      {"[\"utf-32\",\"utf-8\",\"utf-16\"]", LSP_POS_UTF8},
      {"[\"utf-16\"]", LSP_POS_UTF16},
      {"[\"utf-32\"]", LSP_POS_UTF16},
      {"[]", LSP_POS_UTF16},
      {"\"utf-8\"", LSP_POS_UTF16},
      {NULL, LSP_POS_UTF16},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    json_t *j = cases[i].offered ? json_loads(cases[i].offered, JSON_DECODE_ANY, NULL) : NULL;
    assert_int_equal(lsp_pos_negotiate(j), cases[i].want);
    json_decref(j);
  }
  assert_string_equal(lsp_pos_encoding_name(LSP_POS_UTF8), "utf-8");
  assert_string_equal(lsp_pos_encoding_name(LSP_POS_UTF16), "utf-16");
}

/* With a memo, every conversion in every order gives what it gives without. */
static void test_position_memo_changes_nothing(void **state) {
  fixture *f = *state;
  lsp_pos_memo memo = {0};
  lsp_text m = f->u16;
  m.memo = &memo;
  for (size_t round = 0; round < 3; round++)
    for (size_t k = 0; k <= TEXT_LEN + 1; k++) {
      size_t off = round == 1 ? TEXT_LEN + 1 - k : (k * 7 * (round + 1)) % (TEXT_LEN + 2);
      gr_pos a = lsp_pos_at(&f->u16, off), b = lsp_pos_at(&m, off);
      assert_int_equal(a.line, b.line);
      assert_int_equal(a.col, b.col);
      uint32_t line = (uint32_t)(off % 5), col = (uint32_t)((off * 3) % 6);
      assert_int_equal(lsp_pos_offset(&f->u16, line, col), lsp_pos_offset(&m, line, col));
    }
}

/*
 * Long lines, converted out of order (as nested ranges are): the memo's
 * checkpoints give what the plain line index gives, in both directions,
 * through every kind of UTF-8 sequence and line terminator.
 */
static void test_position_long_lines_out_of_order(void **state) {
  (void)state;
  /* "a€𝄞" is 8 bytes and 4 UTF-16 units; then invalid and cut sequences */
  static const char unit[] = "a\xE2\x82\xAC\xF0\x9D\x84\x9E";
  static const char odd[] = "\xFF\xE2\x82x\xC3\xA9";
  static const char *const ends[] = {"\r\n", "\n", "\r", ""};
  size_t cap = 4 * (3000 * 8 + 64), len = 0;
  char *text = malloc(cap);
  for (int l = 0; l < 4; l++) {
    for (int k = 0; k < 3000; k++) {
      memcpy(text + len, unit, 8), len += 8;
      if (k % 997 == 0) memcpy(text + len, odd, 6), len += 6;
    }
    memcpy(text + len, ends[l], strlen(ends[l])), len += strlen(ends[l]);
  }
  gr_lines *lines = gr_lines_new(text, len);
  lsp_pos_memo memo = {0};
  lsp_text plain = {text, len, lines, LSP_POS_UTF16, NULL};
  lsp_text fast = {text, len, lines, LSP_POS_UTF16, &memo};

  /* by hand: line 1 starts after line 0 and its CRLF; unit 2500 of it
   * (after the odd bytes at units 0, 997 and 1994: 5 units each) */
  size_t line1 = 3000 * 8 + 4 * 6 + 2;
  gr_pos p = lsp_pos_at(&fast, line1 + 2500 * 8 + 3 * 6 + 4);
  assert_int_equal(p.line, 1);
  assert_int_equal(p.col, 2500 * 4 + 3 * 5 + 2);
  assert_int_equal(lsp_pos_offset(&fast, 1, 2500 * 4 + 3 * 5 + 2), line1 + 2500 * 8 + 3 * 6 + 4);
  assert_non_null(memo.marks);

  for (size_t k = 0; k < 20000; k++) {
    size_t off = (k * 7919) % (len + 2);
    gr_pos a = lsp_pos_at(&plain, off), b = lsp_pos_at(&fast, off);
    assert_int_equal(a.line, b.line);
    assert_int_equal(a.col, b.col);
    uint32_t line = (uint32_t)(k % 5), col = (uint32_t)((k * 104729) % 13000);
    assert_int_equal(lsp_pos_offset(&plain, line, col), lsp_pos_offset(&fast, line, col));
  }
  lsp_pos_memo_reset(&memo);
  assert_null(memo.marks);
  assert_false(memo.valid);
  gr_lines_free(lines);
  free(text);
}

/* A range on one line from its head alone agrees with lsp_range_to_json over the whole text. */
static void test_position_line_range_from_head(void **state) {
  fixture *f = *state;
  /* line 3: U+1F600 then 'z'; line 0: 'a', U+1D11E, 'b' */
  static const struct {
    uint32_t line;
    size_t start, end; /* offsets in TEXT */
  } cases[] = {{3, 12, 17}, {3, 16, 17}, {3, 13, 17}, {0, 0, 6}, {0, 1, 5}, {0, 5, 1}, {0, 2, 3}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    size_t ls = cases[k].line == 3 ? 12 : 0, le = cases[k].line == 3 ? 17 : 6;
    for (int e = 0; e < 2; e++) {
      lsp_text *t = e ? &f->u8 : &f->u16;
      json_t *want = lsp_range_to_json(t, cases[k].start, cases[k].end);
      json_t *got = lsp_line_range_to_json(cases[k].line, TEXT + ls, le - ls, cases[k].start - ls,
                                           cases[k].end - ls, t->enc);
      assert_true(json_equal(want, got));
      json_decref(want);
      json_decref(got);
    }
  }
  /* past the head: its end */
  json_t *got = lsp_line_range_to_json(7, "ab", 2, 1, 9, LSP_POS_UTF16);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "end"), "character")), 2);
  assert_int_equal(json_integer_value(json_object_get(json_object_get(got, "start"), "line")), 7);
  json_decref(got);
}

/* The cursor gives lsp_pos_at's answer for every offset: in order (each
 * offset, and every third), backwards and in a scrambled order, in both
 * encodings, on a text with astral characters, CRLF, a lone CR, invalid
 * UTF-8 (a stray continuation byte, a cut sequence, an overlong form) and
 * lines long and short. */
static void cursor_matches(const char *text, size_t len) {
  gr_lines *lines = gr_lines_new(text, len);
  for (int e = 0; e < 2; e++) {
    lsp_text t = {text, len, lines, e ? LSP_POS_UTF8 : LSP_POS_UTF16, NULL};
    for (size_t step = 1; step <= 3; step += 2) {
      lsp_pos_cursor c;
      lsp_pos_cursor_init(&c, &t);
      for (size_t o = 0; o <= len + 2; o += step) {
        gr_pos want = lsp_pos_at(&t, o), got = lsp_pos_cursor_at(&c, o);
        assert_int_equal(got.line, want.line);
        assert_int_equal(got.col, want.col);
      }
    }
    lsp_pos_cursor c;
    lsp_pos_cursor_init(&c, &t);
    for (size_t o = len + 1; o-- > 0;) {
      gr_pos want = lsp_pos_at(&t, o), got = lsp_pos_cursor_at(&c, o);
      assert_int_equal(got.line, want.line);
      assert_int_equal(got.col, want.col);
    }
    lsp_pos_cursor_init(&c, &t);
    for (size_t k = 0; k < 4 * len; k++) {
      size_t o = (k * 7919u + (k & 1 ? 0 : k / 3)) % (len + 1);
      gr_pos want = lsp_pos_at(&t, o), got = lsp_pos_cursor_at(&c, o);
      assert_int_equal(got.line, want.line);
      assert_int_equal(got.col, want.col);
    }
  }
  gr_lines_free(lines);
}

static void test_position_cursor_matches_pos_at(void **state) {
  (void)state;
  cursor_matches(TEXT, TEXT_LEN);
  static const char odd[] = "\x80x\xE2\x82\n\xC0\xAFy\rz\xF0\x9F\x98\x80\xE2\x82\xAC\r\n\n\xF0\x9F\x98";
  cursor_matches(odd, sizeof odd - 1);
  /* lines of every length up to 40, one of 5,000 bytes, many empty ones */
  size_t cap = 20000, n = 0;
  char *big = malloc(cap);
  for (int l = 0; l < 40; l++) {
    for (int k = 0; k < l; k++) big[n++] = k % 5 == 0 ? '\xC3' : k % 5 == 1 ? '\xA9' : 'a';
    big[n++] = '\n';
  }
  for (int k = 0; k < 5000; k++) big[n++] = "ab\xE2\x82\xAC"[k % 5];
  for (int k = 0; k < 30; k++) big[n++] = '\n';
  big[n++] = 'q';
  cursor_matches(big, n);
  free(big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_position_line_range_from_head, setup, teardown),
      cmocka_unit_test_setup_teardown(test_position_offset_to_position, setup, teardown),
      cmocka_unit_test_setup_teardown(test_position_position_to_offset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_position_reads_json, setup, teardown),
      cmocka_unit_test_setup_teardown(test_position_reads_ranges, setup, teardown),
      cmocka_unit_test_setup_teardown(test_position_writes_json, setup, teardown),
      cmocka_unit_test(test_position_negotiates_encoding),
      cmocka_unit_test_setup_teardown(test_position_memo_changes_nothing, setup, teardown),
      cmocka_unit_test(test_position_long_lines_out_of_order),
      cmocka_unit_test(test_position_cursor_matches_pos_at),
  };
  return cmocka_run_group_tests_name("position", tests, NULL, NULL);
}
