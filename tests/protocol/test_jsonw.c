/*
 * test_jsonw.c: protocol/jsonw.c, JSON text written into a buffer: the
 * exact bytes of strings (escapes, invalid UTF-8), integers and ranges,
 * that every string it writes parses back (jansson) to what it should, and
 * the framing of a raw result (protocol/jsonrpc.c rpc_encode_raw_result),
 * and jw_utf8_valid against jansson's idea of UTF-8.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/lines.h"
#include "protocol/jsonw.h"

static void expect_str(const char *in, size_t n, const char *want) {
  rpc_buf b = {0};
  jw_str(&b, in, n);
  gr_array_push(&b, '\0');
  assert_string_equal(b.items, want);
  /* and it is JSON: a string jansson reads */
  json_error_t err;
  json_t *j = json_loads(b.items, JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
  assert_non_null(j);
  assert_true(json_is_string(j));
  json_decref(j);
  gr_array_free(&b);
}

static void test_jsonw_strings(void **state) {
  (void)state;
  expect_str("plain", 5, "\"plain\"");
  expect_str("", 0, "\"\"");
  expect_str("a\"b\\c", 5, "\"a\\\"b\\\\c\"");
  expect_str("l1\nl2\r\t\b\f", 9, "\"l1\\nl2\\r\\t\\b\\f\"");
  expect_str("\x01\x1f", 2, "\"\\u0001\\u001f\"");
  expect_str("a\0b", 3, "\"a\\u0000b\"");
  expect_str("é 𝄞 €", strlen("é 𝄞 €"), "\"é 𝄞 €\"");          /* valid UTF-8 as it is */
  expect_str("x\xff y", 4, "\"x\xEF\xBF\xBD y\"");                    /* a stray byte: U+FFFD */
  expect_str("\xC3", 1, "\"\xEF\xBF\xBD\"");                          /* cut short */
  expect_str("\xC0\xAF", 2, "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");          /* overlong: each byte */
  expect_str("\xED\xA0\x80", 3, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""); /* a surrogate */
  expect_str("/", 1, "\"/\"");
}

static void test_jsonw_ints_and_ranges(void **state) {
  (void)state;
  rpc_buf b = {0};
  jw_int(&b, 0);
  jw_lit(&b, ",");
  jw_int(&b, -42);
  jw_lit(&b, ",");
  jw_int(&b, 4294967295LL);
  jw_lit(&b, ",");
  jw_int(&b, -9223372036854775807LL - 1);
  const char text[] = "ab\n\xF0\x9D\x84\x9E" "c\n";
  gr_lines *lines = gr_lines_new(text, sizeof text - 1);
  lsp_text t = {text, sizeof text - 1, lines, LSP_POS_UTF16, NULL};
  jw_lit(&b, ",");
  jw_range(&b, &t, 1, 8); /* "b" .. after "c": the astral character is two UTF-16 units */
  jw_lit(&b, ",");
  jw_range(&b, &t, 4, 2); /* an end before the start is the start */
  gr_array_push(&b, '\0');
  assert_string_equal(b.items, "0,-42,4294967295,-9223372036854775808,"
                               "{\"start\":{\"line\":0,\"character\":1},\"end\":{\"line\":1,\"character\":3}},"
                               "{\"start\":{\"line\":1,\"character\":0},\"end\":{\"line\":1,\"character\":0}}");
  gr_lines_free(lines);
  /* jw_range_pos writes in place: the widest numbers, zeros, after text
   * that fills the buffer to its capacity */
  for (size_t fill = 0; fill < 40; fill++) {
    b.len = 0;
    for (size_t i = 0; i < fill; i++) gr_array_push(&b, 'x');
    jw_range_pos(&b, (gr_pos){4294967295u, 0}, (gr_pos){10, 4294967295u});
    jw_range_pos(&b, (gr_pos){0, 9}, (gr_pos){100, 1000000000});
    gr_array_push(&b, '\0');
    assert_memory_equal(b.items, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", fill);
    assert_string_equal(b.items + fill,
                        "{\"start\":{\"line\":4294967295,\"character\":0},"
                        "\"end\":{\"line\":10,\"character\":4294967295}}"
                        "{\"start\":{\"line\":0,\"character\":9},\"end\":{\"line\":100,\"character\":1000000000}}");
  }
  gr_array_free(&b);
}

static void test_jsonw_raw_result(void **state) {
  (void)state;
  rpc_buf out = {0};
  json_t *id = json_integer(7);
  assert_int_equal(rpc_encode_raw_result(id, "[1,2]", 5, &out), 0);
  json_t *sid = json_string("a\"b");
  assert_int_equal(rpc_encode_raw_result(sid, "null", 4, &out), 0);
  assert_int_equal(rpc_encode_raw_result(NULL, "{}", 2, &out), 0); /* no id: null */
  gr_array_push(&out, '\0');
  assert_string_equal(out.items, "Content-Length: 39\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":[1,2]}"
                                 "Content-Length: 43\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"result\":null}"
                                 "Content-Length: 39\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":{}}");
  json_decref(id);
  json_decref(sid);
  gr_array_free(&out);
}

/* jw_utf8_valid agrees with jansson's json_stringn on what is UTF-8. */
static void expect_valid(const char *in, size_t n, bool want) {
  assert_int_equal(jw_utf8_valid(in, n), want);
  json_t *j = json_stringn(in, n);
  assert_int_equal(j != NULL, want);
  json_decref(j);
}

static void test_jsonw_utf8_valid(void **state) {
  (void)state;
  expect_valid("", 0, true);
  expect_valid("plain", 5, true);
  expect_valid("é 𝄞 €", strlen("é 𝄞 €"), true);
  expect_valid("\xF4\x8F\xBF\xBF", 4, true);  /* U+10FFFF */
  expect_valid("x\xff y", 4, false);          /* a stray byte */
  expect_valid("\xC3", 1, false);             /* cut short */
  expect_valid("ab\xE2\x82", 4, false);       /* cut short at the end */
  expect_valid("\xC0\xAF", 2, false);         /* overlong */
  expect_valid("\xE0\x80\xAF", 3, false);     /* overlong */
  expect_valid("\xED\xA0\x80", 3, false);     /* a surrogate */
  expect_valid("\xF4\x90\x80\x80", 4, false); /* past U+10FFFF */
  expect_valid("\x80", 1, false);             /* a lone continuation byte */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jsonw_strings),
      cmocka_unit_test(test_jsonw_ints_and_ranges),
      cmocka_unit_test(test_jsonw_raw_result),
      cmocka_unit_test(test_jsonw_utf8_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
