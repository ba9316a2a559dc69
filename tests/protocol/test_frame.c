/*
 * test_frame.c: protocol/frame.c. Every case is run whole, byte by byte and
 * in several chunk sizes, and must give the same events each time.
 *
 * Events are rendered one per line: "B <body>" for a body (CR and LF shown
 * as \r and \n, "(rejected)" appended when the test callback rejected it)
 * and "E <error-name> <len> @<offset>" for an error. The callback rejects a
 * body that jansson cannot parse, as the server does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "grammar/alloc.h"
#include "protocol/frame.h"

typedef struct events {
  GR_ARRAY(char) text;
  size_t max_buffered;
  rpc_frame *f;
} events;

static void ev_append(events *e, const char *s, size_t n) {
  gr_array_reserve(&e->text, n + 1);
  memcpy(e->text.items + e->text.len, s, n);
  e->text.len += n;
  e->text.items[e->text.len] = '\0';
}

static int ev_cb(void *ud, const rpc_frame_event *ev) {
  events *e = ud;
  char buf[96];
  int verdict = RPC_FRAME_ACCEPT;
  if (ev->kind == RPC_FRAME_BODY) {
    ev_append(e, "B ", 2);
    for (size_t i = 0; i < ev->len; i++) {
      char c = ev->body[i];
      if (c == '\r') ev_append(e, "\\r", 2);
      else if (c == '\n') ev_append(e, "\\n", 2);
      else ev_append(e, &c, 1);
    }
    json_t *j = json_loadb(ev->body, ev->len, 0, NULL);
    if (!j) {
      verdict = RPC_FRAME_REJECT;
      ev_append(e, " (rejected)", 11);
    }
    json_decref(j);
    ev_append(e, "\n", 1);
  } else {
    int n = snprintf(buf, sizeof buf, "E %s %zu @%llu\n", rpc_frame_error_name(ev->error), ev->len,
                     (unsigned long long)ev->offset);
    ev_append(e, buf, (size_t)n);
  }
  return verdict;
}

/* Feed `in` in chunks of `chunk` bytes (0: all at once), then finish. Caller frees the result. */
static char *run(const char *in, size_t len, size_t chunk, const rpc_frame_limits *lim, size_t *max_buffered) {
  events e = {0};
  e.f = rpc_frame_new(lim);
  ev_append(&e, "", 0);
  size_t step = chunk ? chunk : (len ? len : 1);
  for (size_t i = 0; i < len; i += step) {
    size_t n = len - i < step ? len - i : step;
    rpc_frame_feed(e.f, in + i, n, ev_cb, &e);
    size_t b = rpc_frame_buffered(e.f);
    if (b > e.max_buffered) e.max_buffered = b;
  }
  rpc_frame_finish(e.f, ev_cb, &e);
  if (max_buffered) *max_buffered = e.max_buffered;
  rpc_frame_free(e.f);
  return e.text.items;
}

typedef struct frame_case {
  const char *name;
  const char *in;
  const char *want;
  size_t max_body, max_header; /* 0: defaults */
} frame_case;

static void run_cases(const frame_case *cases, size_t n) {
  static const size_t chunks[] = {0, 1, 2, 3, 5, 7, 13, 64};
  for (size_t i = 0; i < n; i++) {
    const frame_case *c = &cases[i];
    rpc_frame_limits lim = {c->max_body, c->max_header};
    for (size_t k = 0; k < sizeof chunks / sizeof *chunks; k++) {
      char *got = run(c->in, strlen(c->in), chunks[k], &lim, NULL);
      if (strcmp(got, c->want) != 0) {
        print_error("case '%s', chunk %zu:\n--- want\n%s--- got\n%s", c->name, chunks[k], c->want, got);
        gr_free(got);
        fail();
      }
      gr_free(got);
    }
  }
}

#define MSG(body) "Content-Length: " #body "\r\n\r\n"

static void test_frame_splits_messages(void **state) {
  (void)state;
  static const frame_case cases[] = {
      {"one", "Content-Length: 2\r\n\r\n{}", "B {}\n", 0, 0},
      {"two in a row", "Content-Length: 2\r\n\r\n{}Content-Length: 7\r\n\r\n{\"a\":1}",
       "B {}\nB {\"a\":1}\n", 0, 0},
      {"names in any case, Content-Type accepted",
       "content-LENGTH: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n[]", "B []\n", 0, 0},
      {"unknown header ignored", "X-Thing: 1\r\nContent-Length: 3\r\n\r\n[7]", "B [7]\n", 0, 0},
      {"bare LF line ends", "Content-Length: 2\n\n{}", "B {}\n", 0, 0},
      {"blank lines between frames", "\r\n\r\nContent-Length: 2\r\n\r\n{}\r\nContent-Length: 2\r\n\r\n[]",
       "B {}\nB []\n", 0, 0},
      {"spaces around the length", "Content-Length:   2 \t\r\n\r\n{}", "B {}\n", 0, 0},
      {"repeated equal length", "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", "B {}\n", 0, 0},
      {"empty body", "Content-Length: 0\r\n\r\nContent-Length: 2\r\n\r\n{}", "B  (rejected)\nB {}\n", 0, 0},
      {"body with CRLF inside", "Content-Length: 7\r\n\r\n[\r\n1\r\n]", "B [\\r\\n1\\r\\n]\n", 0, 0},
  };
  run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_frame_recovers_from_bad_headers(void **state) {
  (void)state;
  static const frame_case cases[] = {
      {"no length: dropped to the blank line",
       "Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}", "E no-content-length 19 @0\nB {}\n", 0, 0},
      {"garbage line without a colon and no length", "garbage\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E no-content-length 11 @0\nB {}\n", 0, 0},
      {"non-numeric length", "Content-Length: abc\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E bad-content-length 23 @0\nB {}\n", 0, 0},
      {"negative length", "Content-Length: -3\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E bad-content-length 22 @0\nB {}\n", 0, 0},
      {"length too big for any integer", "Content-Length: 99999999999999999999999\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E bad-content-length 43 @0\nB {}\n", 0, 0},
      {"two different lengths", "Content-Length: 2\r\nContent-Length: 3\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E bad-content-length 40 @0\nB {}\n", 0, 0},
      {"malformed line after the length: body skipped",
       "Content-Length: 2\r\nbogus line\r\n\r\n{}Content-Length: 2\r\n\r\n[]", "E bad-header 2 @0\nB []\n", 0, 0},
      {"malformed header name after the length",
       "Content-Length: 2\r\nbad name: x\r\n\r\n{}Content-Length: 2\r\n\r\n[]", "E bad-header 2 @0\nB []\n", 0, 0},
      {"garbage glued before the header", "1}Content-Length: 2\r\n\r\n{}", "E garbage 2 @0\nB {}\n", 0, 0},
      {"garbage lines before the header", "\"x\": 1\r\n}\r\nContent-Length: 2\r\n\r\n{}",
       "E garbage 11 @0\nB {}\n", 0, 0},
      {"header block too long: dropped to the blank line",
       "X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\nX: y\r\n\r\nContent-Length: 2\r\n\r\n{}",
       "E header-too-large 32 @0\nB {}\n", 0, 32},
      {"header block of exactly the limit", "X-Pad: aaaa\r\nContent-Length: 2\r\n\r\n{}", "B {}\n", 0, 34},
      {"header block one byte over the limit", "X-Pad: aaaaa\r\nContent-Length: 2\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
       "E header-too-large 34 @0\nE garbage 2 @35\nB []\n", 0, 34},
  };
  run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_frame_skips_oversized_bodies(void **state) {
  (void)state;
  static const frame_case cases[] = {
      {"skipped exactly", "Content-Length: 12\r\n\r\n{\"a\":\"....\"}Content-Length: 2\r\n\r\n{}",
       "E body-too-large 12 @0\nB {}\n", 10, 0},
      {"at the limit is fine", "Content-Length: 10\r\n\r\n[1,2,3,45]", "B [1,2,3,45]\n", 10, 0},
      {"skipped body may hold anything",
       "Content-Length: 30\r\n\r\nContent-Length: 2\r\n\r\n{}.......Content-Length: 2\r\n\r\n[]",
       "E body-too-large 30 @0\nB []\n", 10, 0},
  };
  run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_frame_resyncs_after_truncation(void **state) {
  (void)state;
  static const frame_case cases[] = {
      /* The first frame says 30 bytes but holds 4: its body swallows the
       * next frame and 3 bytes of the one after. */
      {"length too large swallows the next frame",
       "Content-Length: 30\r\n\r\n{\"a\"Content-Length: 2\r\n\r\n{}Content-Length: 2\r\n\r\n[]",
       "B {\"a\"Content-Length: 2\\r\\n\\r\\n{}Con (rejected)\nB {}\nB []\n", 0, 0},
      /* The first frame says 4 bytes but holds 9: its tail is garbage glued
       * before the next header. */
      {"length too small leaves garbage",
       "Content-Length: 4\r\n\r\n{\"a\":1}\r\nContent-Length: 2\r\n\r\n{}",
       "B {\"a\" (rejected)\nE garbage 5 @25\nB {}\n", 0, 0},
      {"a rejected body without a header inside is just dropped",
       "Content-Length: 3\r\n\r\nabcContent-Length: 2\r\n\r\n{}", "B abc (rejected)\nB {}\n", 0, 0},
      /* Replayed bytes are not replayed twice: the second rejected body
       * holds a header too, but it is dropped, and "1]" is garbage. */
      {"no second replay",
       "Content-Length: 50\r\n\r\nxContent-Length: 25\r\n\r\nyContent-Length: 2\r\n\r\n{}[1]"
       "Content-Length: 2\r\n\r\n[]",
       "B xContent-Length: 25\\r\\n\\r\\nyContent-Length: 2\\r\\n\\r\\n{}[1] (rejected)\n"
       "B yContent-Length: 2\\r\\n\\r\\n{}[ (rejected)\nE garbage 2 @70\nB []\n",
       0, 0},
  };
  run_cases(cases, sizeof cases / sizeof *cases);
}

static void test_frame_finish_reports_truncation(void **state) {
  (void)state;
  static const frame_case cases[] = {
      {"inside a body", "Content-Length: 5\r\n\r\n{}", "E truncated 23 @0\n", 0, 0},
      {"inside a header", "Content-Length: 2\r\n{}", "E truncated 21 @0\n", 0, 0},
      {"inside a skipped body", "Content-Length: 50\r\n\r\nabc", "E body-too-large 50 @0\nE truncated 25 @0\n", 10, 0},
      {"after a whole frame", "Content-Length: 2\r\n\r\n{}", "B {}\n", 0, 0},
      {"blank lines only", "\r\n\r\n\n", "", 0, 0},
      {"nothing", "", "", 0, 0},
  };
  run_cases(cases, sizeof cases / sizeof *cases);
}

/* A byte stream built from frame fragments by a fixed PRNG, so that odd
 * combinations meet every chunking; whole and chunked runs must agree. */
static uint32_t rng_next(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

static void test_frame_same_events_in_any_chunking(void **state) {
  (void)state;
  static const char *pieces[] = {
      MSG(2) "{}", MSG(7) "{\"a\":1}", "Content-Length: 30\r\n\r\n{", "Content-Length: 1\r\n\r\n{\"b\":2}",
      "garbage\r\n", "\r\n", "\n", "content-length: 3\r\n", "X: y\r\n\r\n", "Content-Length: 9999\r\n\r\n",
      "Content-Length: x\r\n\r\n", "}", "\r", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  };
  const size_t npieces = sizeof pieces / sizeof *pieces;
  uint32_t seed = 0x9e3779b9u;
  for (int round = 0; round < 300; round++) {
    GR_ARRAY(char) in = {0};
    int count = 1 + (int)(rng_next(&seed) % 12);
    for (int k = 0; k < count; k++) {
      const char *p = pieces[rng_next(&seed) % npieces];
      size_t n = strlen(p);
      gr_array_reserve(&in, n);
      memcpy(in.items + in.len, p, n);
      in.len += n;
    }
    rpc_frame_limits lim = {64, 48};
    size_t max_buffered = 0;
    char *whole = run(in.items, in.len, 0, &lim, NULL);
    for (size_t chunk = 1; chunk <= 17; chunk += 4) {
      char *got = run(in.items, in.len, chunk, &lim, &max_buffered);
      if (strcmp(whole, got) != 0) {
        print_error("round %d, chunk %zu:\n--- whole\n%s--- chunked\n%s", round, chunk, whole, got);
        fail();
      }
      /* one header block + one body + one replayed body at most */
      assert_true(max_buffered <= 48 + 2 * 64);
      gr_free(got);
    }
    gr_free(whole);
    gr_array_free(&in);
  }
}

static void test_frame_error_names_are_stable(void **state) {
  (void)state;
  static const struct {
    int err;
    const char *name;
  } cases[] = {
      {RPC_FRAME_E_HEADER_TOO_LARGE, "header-too-large"}, {RPC_FRAME_E_NO_LENGTH, "no-content-length"},
      {RPC_FRAME_E_BAD_LENGTH, "bad-content-length"},    {RPC_FRAME_E_BAD_HEADER, "bad-header"},
      {RPC_FRAME_E_BODY_TOO_LARGE, "body-too-large"},    {RPC_FRAME_E_GARBAGE, "garbage"},
      {RPC_FRAME_E_TRUNCATED, "truncated"},              {0, "unknown"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
    assert_string_equal(rpc_frame_error_name(cases[i].err), cases[i].name);
  assert_string_equal(rpc_frame_strerror(RPC_FRAME_E_BODY_TOO_LARGE), "Content-Length over the body limit");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_frame_splits_messages),
      cmocka_unit_test(test_frame_recovers_from_bad_headers),
      cmocka_unit_test(test_frame_skips_oversized_bodies),
      cmocka_unit_test(test_frame_resyncs_after_truncation),
      cmocka_unit_test(test_frame_finish_reports_truncation),
      cmocka_unit_test(test_frame_same_events_in_any_chunking),
      cmocka_unit_test(test_frame_error_names_are_stable),
  };
  return cmocka_run_group_tests_name("frame", tests, NULL, NULL);
}
