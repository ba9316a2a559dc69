/*
 * test_session.c: server/lsp/session.c driven in process (no libuv): the
 * limits, the end of input, exit statuses, and one publish per turn.
 * Each case feeds framed messages, runs turns, and compares every message
 * the session sent, as compact JSON, with the expected list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "protocol/frame.h"
#include "protocol/jsonrpc.h"
#include "server/features/buf.h"
#include "server/lsp/session.h"

#define INIT "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"capabilities\":{}}}"
#define OPEN(uri, text)                                                                                        \
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"" uri \
  "\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"" text "\"}}}"
#define CHANGE(uri, version, text)                                                                      \
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"" uri \
  "\",\"version\":" #version "},\"contentChanges\":[{\"text\":\"" text "\"}]}}"
#define PUBLISH(uri, version, diags)                                                                         \
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":\"" uri "\"," \
  "\"version\":" #version ",\"diagnostics\":" diags "}}"
#define CLEAR(uri) \
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":\"" uri "\",\"diagnostics\":[]}}"
#define LOG(type, text) \
  "{\"jsonrpc\":\"2.0\",\"method\":\"window/logMessage\",\"params\":{\"type\":" #type ",\"message\":\"" text "\"}}"

/* ---- driving ------------------------------------------------------------ */

static void feed(tl_session *s, const char *json) {
  char head[64];
  int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(json));
  tl_session_feed(s, head, (size_t)n);
  tl_session_feed(s, json, strlen(json));
}

typedef struct outputs {
  GR_ARRAY(char *) items;
} outputs;

static int collect(void *ud, const rpc_frame_event *ev) {
  outputs *o = ud;
  assert_int_equal(ev->kind, RPC_FRAME_BODY);
  gr_array_push(&o->items, gr_strndup(ev->body, ev->len));
  return RPC_FRAME_ACCEPT;
}

/* Run a turn and check the messages it sent against want[0..n). */
static void turn_expect(tl_session *s, const char *const *want, size_t n) {
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  assert_int_equal(tl_session_pending_output(s), 0);
  outputs o = {0};
  rpc_frame *f = rpc_frame_new(NULL);
  rpc_frame_feed(f, out.items, out.len, collect, &o);
  rpc_frame_free(f);
  for (size_t i = 0; i < o.items.len || i < n; i++) {
    const char *got = i < o.items.len ? o.items.items[i] : "(nothing)";
    const char *exp = i < n ? want[i] : "(nothing)";
    if (strcmp(got, exp) != 0) {
      print_error("message %zu:\n  want %s\n  got  %s\n", i, exp, got);
      fail();
    }
  }
  for (size_t i = 0; i < o.items.len; i++) gr_free(o.items.items[i]);
  gr_array_free(&o.items);
  gr_array_free(&out);
}

#define EXPECT(s, ...)                                         \
  do {                                                         \
    static const char *const want__[] = {__VA_ARGS__};         \
    turn_expect((s), want__, sizeof want__ / sizeof *want__);  \
  } while (0)
#define EXPECT_NOTHING(s) turn_expect((s), NULL, 0)

static tl_session *started(const tl_session_options *opts) {
  tl_session *s = tl_session_new(opts);
  feed(s, INIT);
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out); /* the initialize result: lifecycle.txt checks it */
  assert_true(out.len > 0);
  gr_array_free(&out);
  return s;
}

/* ---- tests -------------------------------------------------------------- */

static void test_session_limits_document_size(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 0, 0, 16, 0, 0};
  tl_session *s = started(&opts);

  feed(s, OPEN("file:///big-tmpl.md", "0123456789abcdefg")); /* 17 bytes */
  EXPECT(s, LOG(1, "file:///big-tmpl.md: 17 bytes is over the limit of 16; the document is not checked"));

  feed(s, OPEN("file:///a-tmpl.md", "0123456789abcdef")); /* 16: fine */
  EXPECT(s, PUBLISH("file:///a-tmpl.md", 1, "[]"));

  /* Growing past the limit drops the document, and its diagnostics. */
  feed(s, CHANGE("file:///a-tmpl.md", 2, "0123456789abcdefXY"));
  EXPECT(s, LOG(1, "file:///a-tmpl.md: the text grew over the size limit; the document is no longer checked"),
         CLEAR("file:///a-tmpl.md"));
  feed(s, CHANGE("file:///a-tmpl.md", 3, "x"));
  EXPECT(s, LOG(2, "textDocument/didChange: document not open: file:///a-tmpl.md"));
  tl_session_free(s);
}

static void test_session_limits_open_documents(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 0, 2, 0, 0, 0};
  tl_session *s = started(&opts);
  feed(s, OPEN("file:///a-tmpl.md", ""));
  feed(s, OPEN("file:///b-tmpl.md", ""));
  feed(s, OPEN("file:///c-tmpl.md", ""));
  feed(s, OPEN("file:///a-tmpl.md", "# again"));
  EXPECT(s, LOG(1, "file:///c-tmpl.md: 2 documents are open already; the document is not checked"),
         PUBLISH("file:///a-tmpl.md", 1, "[]"), PUBLISH("file:///b-tmpl.md", 1, "[]"));
  tl_session_free(s);
}

static void test_session_limits_message_size(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 100, 0, 0, 0, 0};
  tl_session *s = started(&opts);
  feed(s, OPEN("file:///a-tmpl.md", "a text long enough to make the message go over one hundred bytes"));
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
  EXPECT(s, LOG(2, "dropped a message at input offset 97: Content-Length over the body limit (213 bytes)"),
         "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}");
  tl_session_free(s);
}

/* Past the output cap the rest of the queued requests wait, and are
 * answered in order once the client has read what was queued (the cap is
 * checked as each reply is queued, not once a turn). */
static void test_session_output_cap(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 0, 0, 0, 100, 0};
  tl_session *s = started(&opts);
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"no/such\"}");
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"no/such\"}");
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"no/such\"}");
  /* Each error reply is over 100 bytes with its header: one a turn. */
#define NOT_FOUND(id) \
  "{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"error\":{\"code\":-32601,\"message\":\"method not found: no/such\"}}"
  EXPECT(s, NOT_FOUND(2));
  assert_true(tl_session_has_work(s));
  /* Output taken but not yet written counts too. */
  tl_session_hold_output(s, 100);
  EXPECT_NOTHING(s);
  tl_session_hold_output(s, 0);
  EXPECT(s, NOT_FOUND(3));
  EXPECT(s, NOT_FOUND(4));
  assert_false(tl_session_has_work(s));
#undef NOT_FOUND
  tl_session_free(s);
}

static void test_session_publishes_once_per_turn(void **state) {
  (void)state;
  tl_session *s = started(NULL);
  feed(s, OPEN("file:///a-tmpl.md", "# A"));
  feed(s, CHANGE("file:///a-tmpl.md", 2, "{{}}"));
  feed(s, CHANGE("file:///a-tmpl.md", 3, "[[LLM: x"));
  feed(s, CHANGE("file:///a-tmpl.md", 4, "# D"));
  feed(s, OPEN("file:///b.md", "# B")); /* a document: its own diagnostics, none here */
  EXPECT(s, PUBLISH("file:///a-tmpl.md", 4, "[]"), PUBLISH("file:///b.md", 1, "[]"));
  EXPECT_NOTHING(s);
  assert_false(tl_session_has_work(s));
  tl_session_free(s);
}

/* A 256 KB line of 52,000 empty placeholders in UTF-16: every warning's
 * range is converted in one walk of the line, not one walk each. */
static void test_session_long_line_diagnostics(void **state) {
  (void)state;
  tl_session *s = started(NULL);
  static const char head[] = "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                             "{\"uri\":\"file:///long-tmpl.md\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"";
  static const char tail[] = "\"}}}";
  size_t reps = 52000, n = sizeof head - 1 + 6 * reps + sizeof tail - 1;
  char *msg = malloc(n + 1), *p = msg;
  memcpy(p, head, sizeof head - 1), p += sizeof head - 1;
  for (size_t i = 0; i < reps; i++) memcpy(p, "\xC3\xA9{{}}", 6), p += 6; /* not ASCII: UTF-16 columns are counted */
  memcpy(p, tail, sizeof tail), p += sizeof tail - 1;
  assert_int_equal((size_t)(p - msg), n);
  clock_t t0 = clock();
  feed(s, msg);
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
  /* The last warning: after 51,999 times "é{{}}" (5 UTF-16 units) and an "é". */
  static const char last[] = "\"range\":{\"start\":{\"line\":0,\"character\":259996},\"end\":{\"line\":0,\"character\":260000}}";
  gr_array_push(&out, '\0');
  assert_non_null(strstr(out.items, last));
  assert_true(secs < 5.0);
  gr_array_free(&out);
  free(msg);
  tl_session_free(s);
}

static void test_session_exit_statuses(void **state) {
  (void)state;
  static const struct {
    const char *msgs[3];
    int status;
    bool eof;
  } cases[] = {
      {{INIT, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}", "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}"}, 0, false},
      {{INIT, "{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}", NULL}, 1, false},
      {{"{\"jsonrpc\":\"2.0\",\"method\":\"exit\"}", NULL, NULL}, 1, false},
      {{INIT, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}", NULL}, 1, true}, /* EOF without exit */
      {{NULL, NULL, NULL}, 1, true},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_session_options quiet = {TL_LOG_ERROR, 0, 0, 0, 0, 0};
    tl_session *s = tl_session_new(&quiet);
    for (int k = 0; k < 3 && cases[i].msgs[k]; k++) feed(s, cases[i].msgs[k]);
    if (cases[i].eof) tl_session_eof(s);
    tl_session_turn(s);
    assert_true(tl_session_done(s));
    assert_int_equal(tl_session_exit_status(s), cases[i].status);
    /* Done: input is ignored from now on. */
    feed(s, INIT);
    tl_session_turn(s);
    assert_false(tl_session_has_work(s));
    tl_session_free(s);
  }
}

static void test_session_answers_before_eof(void **state) {
  (void)state;
  tl_session_options quiet = {TL_LOG_ERROR, 0, 0, 0, 0, 0};
  tl_session *s = tl_session_new(&quiet);
  feed(s, INIT);
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"shutdown\"}");
  tl_session_feed(s, "Content-Length: 10\r\n\r\n{", 23); /* a truncated frame, then EOF */
  tl_session_eof(s);
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  static const char tail[] = "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":null}";
  assert_true(out.len > sizeof tail);
  assert_memory_equal(out.items + out.len - (sizeof tail - 1), tail, sizeof tail - 1);
  assert_true(tl_session_done(s));
  assert_int_equal(tl_session_exit_status(s), 1);
  gr_array_free(&out);
  tl_session_free(s);
}

/* A request parked behind the workspace scan can be cancelled: it answers
 * RequestCancelled at the next turn, and nothing when the scan comes in. */
static void test_session_cancels_a_parked_request(void **state) {
  (void)state;
  tl_session_options quiet = {TL_LOG_ERROR, 0, 0, 0, 0, 0};
  tl_session *s = tl_session_new(&quiet);
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
          "\"rootUri\":\"file:///nonexistent-tmpl-ls-root\",\"capabilities\":{}}}");
  feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"initialized\",\"params\":{}}");
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  gr_array_free(&out);
  tl_wsi_job *job = tl_session_take_job(s); /* the scan is out: not run yet */
  assert_non_null(job);
  feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{"
          "\"uri\":\"file:///nonexistent-tmpl-ls-root/a.md\",\"languageId\":\"markdown\","
          "\"version\":1,\"text\":\"# A\\n\"}}}");
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"textDocument/codeLens\",\"params\":{"
          "\"textDocument\":{\"uri\":\"file:///nonexistent-tmpl-ls-root/a.md\"}}}");
  EXPECT_NOTHING(s); /* parked: the document waits for the scan */
  feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":7}}");
  EXPECT(s, "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32800,"
            "\"message\":\"the request was cancelled\"}}");
  tl_session_job_drop(job);
  tl_session_free(s);
}

/* A large reply still in the output when its document changes or closes is
 * replaced by ContentModified, in place (session.h:
 * TL_SESSION_STALE_REPLY_BYTES); one the writer took, or a small one, is not. */
#define URI_T "file:///w/t-tmpl.md"
#define SYMBOLS(id) \
  "{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"method\":\"textDocument/documentSymbol\",\"params\":{\"textDocument\":{\"uri\":\"" URI_T "\"}}}"
#define SYMBOLS_AB(id)                                                                                              \
  "{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"result\":[{\"name\":\"A\",\"kind\":15,\"location\":{\"uri\":\"" URI_T \
  "\",\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":2,\"character\":0}}}},"             \
  "{\"name\":\"B\",\"kind\":15,\"location\":{\"uri\":\"" URI_T "\",\"range\":{\"start\":{\"line\":1,"         \
  "\"character\":0},\"end\":{\"line\":2,\"character\":0}}},\"containerName\":\"A\"}]}"
#define MODIFIED(id, why) "{\"jsonrpc\":\"2.0\",\"id\":" #id ",\"error\":{\"code\":-32801,\"message\":\"" why "\"}}"
#define CLOSE_T \
  "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didClose\",\"params\":{\"textDocument\":{\"uri\":\"" URI_T "\"}}}"
/* An outline asked for and answered (not taken), then a change */
#define ANSWERED_THEN_CHANGED(s, id, version, text) \
  do {                                              \
    feed((s), SYMBOLS(id));                         \
    tl_session_turn(s);                             \
    feed((s), CHANGE(URI_T, version, text));        \
  } while (0)

static void test_session_withdraws_stale_replies(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 0, 0, 0, 0, 1}; /* every reply counts as large */
  tl_session *s = started(&opts);
  feed(s, OPEN(URI_T, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 1, "[]"));
  /* answered, not yet taken by the writer: the change withdraws it */
  ANSWERED_THEN_CHANGED(s, 2, 2, "# A\\n## B\\n");
  EXPECT(s, MODIFIED(2, "the document changed before the answer was read"), PUBLISH(URI_T, 2, "[]"));
  /* taken: it is the client's */
  feed(s, SYMBOLS(3));
  EXPECT(s, SYMBOLS_AB(3));
  feed(s, CHANGE(URI_T, 3, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 3, "[]"));
  /* closed under it */
  feed(s, SYMBOLS(4));
  tl_session_turn(s);
  feed(s, CLOSE_T);
  EXPECT(s, MODIFIED(4, "the document was closed before the answer was read"), CLEAR(URI_T));
  /* a reply shorter than the error that replaces it: the output grows */
  feed(s, OPEN(URI_T, ""));
  EXPECT(s, PUBLISH(URI_T, 1, "[]"));
  ANSWERED_THEN_CHANGED(s, 6, 2, "");
  EXPECT(s, MODIFIED(6, "the document changed before the answer was read"), PUBLISH(URI_T, 2, "[]"));
  tl_session_free(s);

  /* at the default size a small reply stays what it was */
  tl_session_options quiet = {TL_LOG_ERROR, 0, 0, 0, 0, 0};
  s = started(&quiet);
  feed(s, OPEN(URI_T, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 1, "[]"));
  ANSWERED_THEN_CHANGED(s, 5, 2, "# A\\n## B\\n");
  EXPECT(s, SYMBOLS_AB(5), PUBLISH(URI_T, 2, "[]"));
  tl_session_free(s);
}

/* A large reply about a document the client changes faster than it reads
 * such replies waits for the next change, which withdraws it (session.h:
 * TL_SESSION_HOLD_GAP_MS); a client that reads each one first never waits. */
/* A keystroke and an outline request, `writing` bytes of output still being written, at `clock` */
#define TYPE(s, writing, clock, version, id)                  \
  do {                                                        \
    tl_session_hold_output((s), (writing));                   \
    tl_session_set_clock((s), (clock));                       \
    feed((s), CHANGE(URI_T, version, "# A\\n## B\\n"));       \
    feed((s), SYMBOLS(id));                                   \
  } while (0)
#define TYPED "the document changed before the answer was read"

static void test_session_holds_replies_while_the_client_is_behind(void **state) {
  (void)state;
  tl_session_options opts = {TL_LOG_ERROR, 0, 0, 0, 0, 1}; /* every reply counts as large */
  tl_session *s = started(&opts);
  tl_session_set_clock(s, 1000);
  feed(s, OPEN(URI_T, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 1, "[]"));
  /* each answer written before the next change: nothing waits */
  feed(s, SYMBOLS(2));
  EXPECT(s, SYMBOLS_AB(2));
  TYPE(s, 0, 1020, 2, 3);
  EXPECT(s, SYMBOLS_AB(3), PUBLISH(URI_T, 2, "[]"));
  assert_int_equal(tl_session_held_until(s), 0);
  /* the change comes while that answer is still being written: the next
   * answer waits until 25 ms after the change after it is due */
  TYPE(s, 100, 1040, 3, 4);
  EXPECT(s, PUBLISH(URI_T, 3, "[]"));
  assert_int_equal(tl_session_held_until(s), 1040 + 20 + 25);
  /* that change comes: the held answer is withdrawn, the next one waits */
  TYPE(s, 0, 1060, 4, 5);
  EXPECT(s, MODIFIED(4, TYPED), PUBLISH(URI_T, 4, "[]"));
  assert_int_equal(tl_session_held_until(s), 1105);
  /* none comes: it goes out when due, not before */
  tl_session_set_clock(s, 1104);
  EXPECT_NOTHING(s);
  tl_session_set_clock(s, 1105);
  EXPECT(s, SYMBOLS_AB(5));
  assert_int_equal(tl_session_held_until(s), 0);
  /* after a pause under a second the client is still behind; two changes in
   * one read: at the second, the request between them is unanswered */
  TYPE(s, 0, 1300, 5, 6);
  feed(s, CHANGE(URI_T, 6, "# A\\n## B\\n"));
  feed(s, SYMBOLS(7));
  EXPECT(s, MODIFIED(6, "the document changed before the request could be answered"), PUBLISH(URI_T, 6, "[]"));
  assert_int_equal(tl_session_held_until(s), 1300 + 20 + 25); /* the pace: 240 ms is a pause, 0 no gap */
  /* closed under it */
  feed(s, CLOSE_T);
  EXPECT(s, MODIFIED(7, "the document was closed before the answer was read"), CLEAR(URI_T));
  assert_int_equal(tl_session_held_until(s), 0);
  /* changes over 50 ms apart are no fast typing: an unread answer is
   * withdrawn, the next is not held (the pace is 51: the smaller of the
   * last two gaps, 700 ms counted as 100, and 51) */
  feed(s, OPEN(URI_T, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 1, "[]"));
  tl_session_set_clock(s, 2000);
  feed(s, CHANGE(URI_T, 2, "# A\\n## B\\n"));
  EXPECT(s, PUBLISH(URI_T, 2, "[]"));
  feed(s, SYMBOLS(8));
  tl_session_turn(s);
  TYPE(s, 0, 2051, 3, 9);
  EXPECT(s, MODIFIED(8, TYPED), SYMBOLS_AB(9), PUBLISH(URI_T, 3, "[]"));
  /* 20 ms later: fast again */
  TYPE(s, 100, 2071, 4, 10);
  EXPECT(s, PUBLISH(URI_T, 4, "[]"));
  assert_int_equal(tl_session_held_until(s), 2071 + 20 + 25);
  /* cancelled while held: the answer is the error, at once */
  feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"$/cancelRequest\",\"params\":{\"id\":10}}");
  EXPECT(s, "{\"jsonrpc\":\"2.0\",\"id\":10,\"error\":{\"code\":-32800,\"message\":\"the request was cancelled\"}}");
  assert_int_equal(tl_session_held_until(s), 0);
  /* asked for once the next change is overdue (the typing stopped): not held, though behind */
  tl_session_set_clock(s, 2071 + 20 + 25);
  feed(s, SYMBOLS(12));
  EXPECT(s, SYMBOLS_AB(12));
  /* held at shutdown: it goes out before the shutdown's answer */
  TYPE(s, 100, 2200, 5, 13);
  tl_session_turn(s);
  /* held (the pace is still 20: then one pause), until answer 12 is written */
  assert_int_equal(tl_session_held_until(s), UINT64_MAX);
  TYPE(s, 100, 2220, 6, 14);
  EXPECT(s, PUBLISH(URI_T, 5, "[]"), MODIFIED(13, TYPED), PUBLISH(URI_T, 6, "[]"));
  assert_int_equal(tl_session_held_until(s), 2220 + 20 + 25); /* taking the output: answer 12 was written */
  feed(s, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"shutdown\"}");
  EXPECT(s, SYMBOLS_AB(14), "{\"jsonrpc\":\"2.0\",\"id\":11,\"result\":null}");
  assert_int_equal(tl_session_held_until(s), 0);
  tl_session_free(s);
}

/* A held reply also waits while the client may still be reading the last
 * large reply written about its document, and parsing it: 200 ms per MiB. */
static void test_session_holds_while_the_client_parses(void **state) {
  (void)state;
  tl_session *s = started(NULL); /* the default size: 64 KiB is large */
  /* an outline of about 300 KB: 3000 headings */
  ft_buf open = {0};
  ft_buf_puts(&open, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":"
                        "{\"uri\":\"" URI_T "\",\"languageId\":\"markdown\",\"version\":1,\"text\":\"");
  for (int i = 0; i < 3000; i++) ft_buf_printf(&open, "# Heading %d\\n", i);
  ft_buf_puts(&open, "\"}}}");
  tl_session_set_clock(s, 1000);
  feed(s, open.items);
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  tl_session_hold_output(s, 0);
  out.len = 0;
  /* answer 2 is being written when the document changes 20 ms later */
  feed(s, SYMBOLS(2));
  tl_session_turn(s);
  size_t big = tl_session_take_output(s, &out);
  assert_true(big > (size_t)200 << 10);
  out.len = 0;
  tl_session_hold_output(s, big);
  tl_session_set_clock(s, 1020);
  feed(s, "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didChange\",\"params\":{\"textDocument\":{\"uri\":\"" URI_T
          "\",\"version\":2},\"contentChanges\":[{\"range\":{\"start\":{\"line\":0,\"character\":2},"
          "\"end\":{\"line\":0,\"character\":2}},\"text\":\"x\"}]}}");
  feed(s, SYMBOLS(3));
  tl_session_turn(s);
  assert_int_equal(tl_session_held_until(s), UINT64_MAX); /* not while answer 2 is still being written */
  size_t published = tl_session_pending_output(s); /* the diagnostics, not taken: the write is still out */
  assert_true(published > 0 && published < 1000);
  tl_session_set_clock(s, 1070); /* its own time (1065) passes while answer 2 is out */
  assert_int_equal(tl_session_pending_output(s), published);
  assert_true(tl_session_held_output(s) > (size_t)200 << 10);
  /* written at 1070: the client parses it until 1070 + 200 ms per MiB;
   * hearing so releases nothing (that waits for the clock, after the input) */
  tl_session_written(s, 1070);
  assert_int_equal(tl_session_pending_output(s), published);
  uint64_t busy = 1070 + (uint64_t)big * 200 / ((size_t)1 << 20);
  assert_true(busy > 1070);
  assert_int_equal(tl_session_held_until(s), busy);
  tl_session_set_clock(s, busy - 1);
  assert_int_equal(tl_session_pending_output(s), published);
  tl_session_set_clock(s, busy);
  assert_true(tl_session_pending_output(s) > published + ((size_t)200 << 10));
  assert_int_equal(tl_session_held_until(s), 0);
  assert_int_equal(tl_session_held_output(s), 0);
  gr_array_free(&out);
  gr_array_free(&open);
  tl_session_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_session_cancels_a_parked_request),
      cmocka_unit_test(test_session_limits_document_size),
      cmocka_unit_test(test_session_limits_open_documents),
      cmocka_unit_test(test_session_limits_message_size),
      cmocka_unit_test(test_session_publishes_once_per_turn),
      cmocka_unit_test(test_session_output_cap),
      cmocka_unit_test(test_session_long_line_diagnostics),
      cmocka_unit_test(test_session_exit_statuses),
      cmocka_unit_test(test_session_answers_before_eof),
      cmocka_unit_test(test_session_withdraws_stale_replies),
      cmocka_unit_test(test_session_holds_replies_while_the_client_is_behind),
      cmocka_unit_test(test_session_holds_while_the_client_parses),
  };
  return cmocka_run_group_tests_name("session", tests, NULL, NULL);
}
