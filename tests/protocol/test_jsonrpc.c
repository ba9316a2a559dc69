/*
 * test_jsonrpc.c: protocol/jsonrpc.c: parsing bodies into messages, and the
 * exact bytes of the replies it builds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "protocol/jsonrpc.h"

static char *dump(const json_t *j) {
  return j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
}

static void assert_dump(const json_t *j, const char *want) {
  char *got = dump(j);
  if (!want) {
    assert_null(got);
    return;
  }
  assert_non_null(got);
  assert_string_equal(got, want);
  free(got);
}

static void test_jsonrpc_parses_messages(void **state) {
  (void)state;
  static const struct {
    const char *body;
    rpc_kind kind;
    const char *method; /* NULL: none */
    const char *id;     /* the id as compact JSON, NULL: none */
    const char *params; /* NULL: none */
    int error_code;     /* RPC_INVALID only */
  } cases[] = {
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{}}", RPC_REQUEST, "initialize", "1", "{}", 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"shutdown\"}", RPC_REQUEST, "shutdown", "\"a-1\"", NULL, 0},
      {"{\"method\":\"x\",\"params\":[1],\"id\":-7,\"jsonrpc\":\"2.0\"}", RPC_REQUEST, "x", "-7", "[1]", 0},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}", RPC_NOTIFICATION, "initialized", NULL, "{}", 0},
      /* eglot 1.9 sends "params": null with shutdown and exit: read as absent */
      {"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"shutdown\",\"params\":null}", RPC_REQUEST, "shutdown", "9", NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"exit\",\"params\":null}", RPC_NOTIFICATION, "exit", NULL, NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}", RPC_NOTIFICATION, "exit", NULL, NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":null}", RPC_RESPONSE, NULL, "3", NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-1,\"message\":\"no\"}}", RPC_RESPONSE, NULL, "3", NULL, 0},
      /* invalid ones */
      {"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":", RPC_INVALID, NULL, NULL, NULL, RPC_E_PARSE_ERROR},
      {"", RPC_INVALID, NULL, NULL, NULL, RPC_E_PARSE_ERROR},
      {"{} {}", RPC_INVALID, NULL, NULL, NULL, RPC_E_PARSE_ERROR},
      {"[{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}]", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"{\"id\":4,\"method\":\"x\"}", RPC_INVALID, NULL, "4", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"1.0\",\"id\":4,\"method\":\"x\"}", RPC_INVALID, NULL, "4", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"x\"}", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":7}", RPC_INVALID, NULL, "5", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"x\",\"params\":3}", RPC_INVALID, NULL, "5", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":6}", RPC_INVALID, NULL, "6", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":6,\"result\":1,\"error\":{\"code\":1}}", RPC_INVALID, NULL, "6", NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"result\":1}", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"{\"jsonrpc\":\"2.0\",\"id\":6,\"error\":\"bad\"}", RPC_INVALID, NULL, "6", NULL, RPC_E_INVALID_REQUEST},
      /* JSON that is not an object: an invalid request, not a parse error */
      {"\"just a string\"", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"42", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      {"null", RPC_INVALID, NULL, NULL, NULL, RPC_E_INVALID_REQUEST},
      /* a lone surrogate escape is JSON: read (as U+FFFD), the id kept */
      {"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"x\\ud83d\"}", RPC_REQUEST, "x\xEF\xBF\xBD", "8", NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"\\ude00y\"}", RPC_REQUEST, "\xEF\xBF\xBDy", "8", NULL, 0},
      {"{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"\\ud83d\\ud83d\\ude00\"}", RPC_REQUEST,
       "\xEF\xBF\xBD\xF0\x9F\x98\x80", "8", NULL, 0},
      /* bytes that are not UTF-8 likewise */
      {"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"a\xC3(\xFF\"}", RPC_REQUEST, "a\xEF\xBF\xBD(\xEF\xBF\xBD", "9", NULL, 0},
      /* an escaped backslash before a "u" is not an escape */
      {"{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"\\\\ud83d\"}", RPC_REQUEST, "\\ud83d", "9", NULL, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    rpc_msg m;
    rpc_parse(cases[i].body, strlen(cases[i].body), &m);
    print_message("case %zu: %s\n", i, cases[i].body);
    assert_int_equal(m.kind, cases[i].kind);
    if (cases[i].method) assert_string_equal(m.method, cases[i].method);
    else assert_null(m.method);
    assert_dump(m.id, cases[i].id);
    assert_dump(m.params, cases[i].params);
    assert_int_equal(m.error_code, cases[i].error_code);
    if (m.kind == RPC_INVALID) assert_true(strlen(m.error_message) > 0);
    rpc_msg_clear(&m);
  }
}

static void test_jsonrpc_keeps_nul_in_strings(void **state) {
  (void)state;
  static const char body[] = "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"a\\u0000b\"}}";
  rpc_msg m;
  rpc_parse(body, sizeof body - 1, &m);
  assert_int_equal(m.kind, RPC_NOTIFICATION);
  json_t *t = json_object_get(m.params, "t");
  assert_int_equal(json_string_length(t), 3);
  assert_memory_equal(json_string_value(t), "a\0b", 3);
  rpc_msg_clear(&m);
}

/* A didOpen whose text was cut inside an emoji: opened, the half a U+FFFD. */
static void test_jsonrpc_lone_surrogate_in_params(void **state) {
  (void)state;
  static const char body[] =
      "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"a\\ud83d\\u00e9\\ud83d\\ude00\\udfff\"}}";
  rpc_msg m;
  rpc_parse(body, sizeof body - 1, &m);
  assert_int_equal(m.kind, RPC_NOTIFICATION);
  json_t *t = json_object_get(m.params, "t");
  assert_string_equal(json_string_value(t), "a\xEF\xBF\xBD\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD");
  rpc_msg_clear(&m);
}

/* A message with `piece` repeated `times` as the value of params.t (and a
 * key of 5000 bytes); returns params.t's text and length (borrowed from m). */
static const char *long_text(rpc_msg *m, const char *piece, size_t times, size_t *n) {
  size_t pn = strlen(piece), cap = pn * times + 6000;
  char *body = malloc(cap);
  size_t at = (size_t)sprintf(body, "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"");
  memset(body + at, 'k', 5000);
  at += 5000;
  at += (size_t)sprintf(body + at, "\": 1, \"t\" :\"");
  for (size_t i = 0; i < times; i++) memcpy(body + at, piece, pn), at += pn;
  at += (size_t)sprintf(body + at, "\"}}");
  rpc_parse(body, at, m);
  free(body);
  if (m->kind != RPC_NOTIFICATION) return NULL;
  json_t *t = json_object_get(m->params, "t");
  char key[5001];
  memset(key, 'k', 5000);
  key[5000] = '\0';
  assert_int_equal(json_integer_value(json_object_get(m->params, key)), 1); /* a long key: jansson's */
  *n = json_string_length(t);
  return json_string_value(t);
}

/* Long strings (a didOpen's text) are decoded outside jansson: the same
 * bytes as jansson's path gives, for every escape, a surrogate pair, a lone
 * half, U+0000, raw UTF-8 and bytes that are not UTF-8; keys stay jansson's;
 * what jansson refuses is still refused with jansson's error. */
static void test_jsonrpc_long_strings(void **state) {
  (void)state;
  static const char piece[] = "a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\ud83d x\\u0000\xC3\xA9\xFF.";
  static const char want[] = "a\"\\/\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD x\0\xC3\xA9\xEF\xBF\xBD.";
  size_t wn = sizeof want - 1;
  rpc_msg m;
  size_t n;
  /* short: jansson's path */
  const char *t = long_text(&m, piece, 1, &n);
  assert_non_null(t);
  assert_int_equal(n, wn);
  assert_memory_equal(t, want, wn);
  rpc_msg_clear(&m);
  /* long: decoded here, the same bytes 300 times */
  t = long_text(&m, piece, 300, &n);
  assert_non_null(t);
  assert_int_equal(n, wn * 300);
  for (size_t i = 0; i < 300; i++) assert_memory_equal(t + i * wn, want, wn);
  rpc_msg_clear(&m);
  /* a raw control character or a bad escape in a long string: jansson's error */
  assert_null(long_text(&m, "aaaaaaaa\x01", 1000, &n));
  assert_int_equal(m.kind, RPC_INVALID);
  assert_int_equal(m.error_code, RPC_E_PARSE_ERROR);
  assert_non_null(strstr(m.error_message, "control character 0x1"));
  rpc_msg_clear(&m);
  assert_null(long_text(&m, "aaaaaaaa\\x", 1000, &n));
  assert_int_equal(m.error_code, RPC_E_PARSE_ERROR);
  rpc_msg_clear(&m);
  /* a long string made of what placeholders look like is only a string */
  t = long_text(&m, "\\u00000000000000000000:0 ", 400, &n);
  assert_non_null(t);
  assert_int_equal(n, 400 * 20);
  assert_memory_equal(t, "\0" "0000000000000000:0 ", 20);
  rpc_msg_clear(&m);
  /* a body that is one long string: an invalid request, as before */
  char *body = malloc(6002);
  body[0] = '"';
  memset(body + 1, 'x', 6000);
  body[6001] = '"';
  rpc_parse(body, 6002, &m);
  assert_int_equal(m.kind, RPC_INVALID);
  assert_int_equal(m.error_code, RPC_E_INVALID_REQUEST);
  rpc_msg_clear(&m);
  free(body);
}

/* Random long texts: the value (decoded here) must be the key's bytes
 * (keys are jansson's to decode), fragment for fragment. */
static void test_jsonrpc_long_strings_as_jansson(void **state) {
  (void)state;
  static const char *const frags[] = {"a", "xyz ", "\\n", "\\\"", "\\\\", "\\/", "\\t", "\\u00e9", "\\u20AC",
                                      "\\ud83d\\ude00", "\\ud83d", "\\udfff", "\\ud83d\\u0041", "\xC3\xA9",
                                      "\xFF", "\xE2\x82", "\xF0\x9F\x98\x80", "\xED\xA0\x80", "\\\\\\\""};
  srand(7);
  for (int round = 0; round < 50; round++) {
    char *text = malloc(64 * 1024);
    size_t tn = 0;
    while (tn < 5000 + (size_t)(rand() % 20000)) {
      const char *f = frags[rand() % (int)(sizeof frags / sizeof *frags)];
      memcpy(text + tn, f, strlen(f));
      tn += strlen(f);
    }
    char *body = malloc(2 * tn + 100);
    int n = sprintf(body, "{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"%.*s\":\"%.*s\"}}", (int)tn, text,
                    (int)tn, text);
    rpc_msg m;
    rpc_parse(body, (size_t)n, &m);
    assert_int_equal(m.kind, RPC_NOTIFICATION);
    void *it = json_object_iter(m.params);
    const char *key = json_object_iter_key(it);
    json_t *v = json_object_iter_value(it);
    assert_int_equal(json_string_length(v), strlen(key));
    assert_memory_equal(json_string_value(v), key, strlen(key));
    rpc_msg_clear(&m);
    free(body);
    free(text);
  }
}

static void test_jsonrpc_builds_replies(void **state) {
  (void)state;
  json_t *n7 = json_integer(7), *sx = json_string("x");
  struct {
    json_t *msg;
    const char *want;
  } cases[] = {
      {rpc_result(n7, json_pack("{s:b}", "ok", 1)), "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"ok\":true}}"},
      {rpc_result(sx, NULL), "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"result\":null}"},
      {rpc_error(NULL, RPC_E_PARSE_ERROR, "Parse error", NULL),
       "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}"},
      {rpc_error(n7, RPC_E_METHOD_NOT_FOUND, NULL, json_string("d")),
       "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,\"message\":\"MethodNotFound\",\"data\":\"d\"}}"},
      {rpc_notification("window/logMessage", json_pack("{s:i,s:s}", "type", 3, "message", "hi")),
       "{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\",\"params\":{\"type\":3,\"message\":\"hi\"}}"},
      {rpc_notification("exit", NULL), "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"},
      {rpc_request(n7, "shutdown", NULL), "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"shutdown\"}"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    assert_dump(cases[i].msg, cases[i].want);
    json_decref(cases[i].msg);
  }
  json_decref(n7);
  json_decref(sx);
}

static void test_jsonrpc_encodes_frames(void **state) {
  (void)state;
  rpc_buf out = {0};
  json_t *a = rpc_notification("exit", NULL);
  json_t *b = json_pack("{s:s}", "t", "\xF0\x9D\x84\x9E"); /* U+1D11E: 4 bytes, sent as UTF-8 */
  assert_int_equal(rpc_encode(a, &out), 0);
  assert_int_equal(rpc_encode(b, &out), 0);
  static const char want[] =
      "Content-Length: 33\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"
      "Content-Length: 12\r\n\r\n{\"t\":\"\xF0\x9D\x84\x9E\"}";
  assert_int_equal(out.len, sizeof want - 1);
  assert_memory_equal(out.items, want, out.len);
  json_decref(a);
  json_decref(b);
  gr_array_free(&out);
}

static void test_jsonrpc_error_names(void **state) {
  (void)state;
  static const struct {
    int code;
    const char *name;
  } cases[] = {
      {-32700, "ParseError"},       {-32600, "InvalidRequest"},       {-32601, "MethodNotFound"},
      {-32602, "InvalidParams"},    {-32603, "InternalError"},        {-32002, "ServerNotInitialized"},
      {-32800, "RequestCancelled"}, {-32801, "ContentModified"},      {-32802, "ServerCancelled"},
      {-1, "UnknownErrorCode"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_string_equal(rpc_error_name(cases[i].code), cases[i].name);
  assert_int_equal(RPC_E_REQUEST_CANCELLED, -32800);
  assert_int_equal(RPC_E_SERVER_NOT_INITIALIZED, -32002);
}

static void test_jsonrpc_compares_ids(void **state) {
  (void)state;
  json_t *i1 = json_integer(1), *i1b = json_integer(1), *i2 = json_integer(2);
  json_t *s1 = json_string("1"), *s1b = json_string("1"), *null = json_null();
  assert_true(rpc_id_equal(i1, i1b));
  assert_false(rpc_id_equal(i1, i2));
  assert_false(rpc_id_equal(i1, s1));
  assert_true(rpc_id_equal(s1, s1b));
  assert_false(rpc_id_equal(null, null));
  assert_false(rpc_id_equal(NULL, i1));
  json_decref(i1), json_decref(i1b), json_decref(i2), json_decref(s1), json_decref(s1b), json_decref(null);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jsonrpc_parses_messages), cmocka_unit_test(test_jsonrpc_keeps_nul_in_strings),
      cmocka_unit_test(test_jsonrpc_lone_surrogate_in_params), cmocka_unit_test(test_jsonrpc_long_strings),
      cmocka_unit_test(test_jsonrpc_long_strings_as_jansson),
      cmocka_unit_test(test_jsonrpc_builds_replies),  cmocka_unit_test(test_jsonrpc_encodes_frames),
      cmocka_unit_test(test_jsonrpc_error_names),     cmocka_unit_test(test_jsonrpc_compares_ids),
  };
  return cmocka_run_group_tests_name("jsonrpc", tests, NULL, NULL);
}
