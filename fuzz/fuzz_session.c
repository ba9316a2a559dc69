/*
 * fuzz_session: libFuzzer target for the whole LSP session
 * (server/lsp/session.h), driven in process with no libuv.
 *
 * Input: one option byte, then operations until the bytes run out.
 *
 *   option bit 0  utf-8 positions offered (else utf-16)
 *          bit 1  completion snippets
 *          bit 2  workspaceEdit.documentChanges
 *          bit 3  pull diagnostics (textDocument.diagnostic)
 *          bit 4  a workspace root (a temporary folder with templates on
 *                 disk; its scan runs when an operation says so)
 *          bit 5  codeActionLiteralSupport, hierarchical symbols, Markdown
 *          bit 6  rename prepareSupport, definition linkSupport
 *          bit 7  feed messages in random chunks
 *
 * Each operation is one byte (the low 5 bits pick it, bit 7 holds the turn
 * back so that several messages land in one turn) and its own bytes:
 * didOpen of a template or a document (URIs from a small fixed set, texts
 * from DSL fragments mixed with raw bytes), incremental and full changes at
 * fuzzed positions (past the end, inside surrogate pairs and CRLF), close,
 * save, every request the server answers, $/cancelRequest, garbage frames,
 * a second initialize, shutdown and exit, running the scan jobs, and big
 * texts of a few pieces repeated (up to FZ_BIG_TEXT bytes; a runaway
 * meets libFuzzer's -timeout).
 *
 * The invariants, checked on everything the session writes:
 *   - every frame is a JSON-RPC 2.0 message: a response with an id and
 *     exactly one of result or error (an error with an integer code and a
 *     string message), a notification, or a request with an integer id;
 *   - every request gets exactly one response: never two, never one for an
 *     id that was not sent, and after `shutdown` is answered none is still
 *     owed (garbage frames may swallow requests: then only "never two");
 *   - every Range has its start at or before its end, a WorkspaceEdit's
 *     edits of one document never overlap, a completion edits one line;
 *   - and whatever ASan, UBSan and LeakSanitizer see.
 * Request ids are strings "q<n>"; garbage never holds a '"', so it cannot
 * forge one. FUZZ_SESSION_TRACE=1 prints the conversation, to read a crash.
 * libFuzzer's entropic schedule costs more than the target here (tens of
 * thousands of features): -entropic=0 runs it several times faster.
 */
#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "protocol/frame.h"
#include "protocol/jsonrpc.h"
#include "server/lsp/session.h"
#include "fuzz/fuzz_input.h"

/* ---- the input ---------------------------------------------------------- */

/*
 * The big texts' size. An execution's time is the session's own work on
 * its texts (diagnostics published, their JSON, the checks on it), not the
 * tiny folder's scan (a profile shows no time in it): at 60 KB a big text
 * made a run about 5 executions a second. 16 KB still takes every text
 * past the small-input paths; work that grows with the square of a file
 * is what bench/hostile and the 5-second pathological tests measure, and
 * a runaway still meets fuzz_session.flags' -timeout.
 */
#define FZ_BIG_TEXT 16384

/* ---- the workspace ------------------------------------------------------ */

static char fz_root[256]; /* a temporary folder, made once */
static bool fz_trace;      /* FUZZ_SESSION_TRACE=1: print every message, to read a crash */

static void fz_write(const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", fz_root, rel);
  FILE *f = fopen(path, "wb");
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

/* The workspace goes when the fuzzer exits normally (a crash leaves it, to replay). */
static void fz_remove_root(void) {
  static const char *const rel[] = {"templates/prd-tmpl.md", "templates/brief-tmpl.md", "docs/prd.md",
                                    "templates", "docs", ""};
  char path[512];
  for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
    snprintf(path, sizeof path, "%s/%s", fz_root, rel[i]);
    remove(path);
  }
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  fz_trace = getenv("FUZZ_SESSION_TRACE") != NULL;
  const char *tmp = getenv("TMPDIR");
  snprintf(fz_root, sizeof fz_root, "%s/fuzz_session.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(fz_root)) abort();
  char path[512];
  snprintf(path, sizeof path, "%s/templates", fz_root);
  mkdir(path, 0755);
  snprintf(path, sizeof path, "%s/docs", fz_root);
  mkdir(path, 0755);
  fz_write("templates/prd-tmpl.md",
           "# {{project_name}} Product Requirements\n\n[[LLM: Output file location: `docs/prd.md`]]\n\n"
           "## Goals\n\n{{goals}}\n\n@{example: goals}\n- ship it\n@{/example}\n\n"
           "<<REPEAT: epic>>\n### Epic {{epic_number}}: {{epic_title}}\n\n{{epic_goal}}\n<</REPEAT>>\n\n"
           "^^CONDITION: has_ui^^\n## UI Goals\n\n{{ui_goals}}\n^^/CONDITION: has_ui^^\n\n"
           "## Risks\n\n<critical_rule>Name every risk</critical_rule>\n\n| Risk | Owner |\n|---|---|\n"
           "| {{risk}} | {{owner}} |\n");
  fz_write("templates/brief-tmpl.md",
           "---\ndefaultOutput: docs/brief.md\n---\n# Project Brief: {{name}}\n\n## Summary\n\n"
           "^^CONDITION: has_ui^^\n{{summary}}\n^^/CONDITION^^\n\n## See also\n\nSee `ops.md` and "
           "[the PRD](prd.md).\n");
  fz_write("docs/prd.md", "# Acme Product Requirements\n\n## Goals\n\n{{goals}}\n");
  atexit(fz_remove_root);
  return 0;
}

/* ---- texts -------------------------------------------------------------- */

static const char *const fz_frags[] = {
    "{{", "}}", "{{name}}", "{{Project Name}}", "{{}}", "{{ .Values.x }}", "${{ x }}",
    "[[LLM: ", "[[LLM: Reference the Goals section]]", "]]", "<<REPEAT: epic>>", "<<REPEAT: ",
    "<<REPEAT section=\"s\" count=\"2-3\">>", "<<REPEAT for each x>>", "<</REPEAT>>", ">>", "<<",
    "^^CONDITION: has_ui^^", "^^CONDITION: ", "^^/CONDITION: has_ui^^", "^^/CONDITION^^", "^^",
    "@{example: goals}", "@{example}", "@{/example}", "@{example: inline text}", "@{",
    "<critical_rule>", "</critical_rule>", "<!-- tmpl-ls: template=../templates/prd-tmpl.md -->",
    "<!-- tmpl-ls: template=templates/brief-tmpl.md -->", "<!--", "-->", "```", "```text", "~~~",
    "`", "\n", "\n", "\n", "\r\n", "\r", "\n\n", "# ", "## ", "### ", "\n# Title\n", "\n## Goals\n",
    "\n## Risks\n", "\n## UI Goals\n", "\n### Epic 1: Start\n", "Product Requirements", "has_ui", "epic",
    "goals", "name", " ", "  ", "\t", "- ", "| a | b |\n|---|---|\n", "Output file location: `docs/prd.md`",
    "\xF0\x9F\x98\x80" /* U+1F600: a surrogate pair */, "\xF0\x9D\x84\x9E" /* U+1D11E */, "\xC3\xA9",
    "\xE2\x82\xAC", "\xEF\xBB\xBF", "---\n", "\n---\n", "===", "x", "0", "\\", "\"", ":", "[", "]", "{", "}",
};
#define FZ_NFRAGS (sizeof fz_frags / sizeof *fz_frags)

/* A text: pieces that are fragments or raw bytes, made valid UTF-8 (JSON
 * strings must be); U+0000 stays. */
static void fz_text(fz_in *in, fz_str *s, unsigned max_pieces) {
  fz_text_from(in, s, fz_frags, FZ_NFRAGS, max_pieces, 8, false);
}

/* ---- the session and what it owes --------------------------------------- */

typedef struct fz_state {
  tl_session *s;
  uint8_t opts;
  bool chunked;
  uint32_t seed;
  bool tainted;   /* garbage went in: a request may have been swallowed */
  bool shut_down; /* shutdown was sent */
  GR_ARRAY(uint8_t) owed; /* per request id: 0 not sent, 1 owed, 2 answered */
  GR_ARRAY(const char *) methods; /* per request id: its method (static strings) */
  GR_ARRAY(tl_wsi_job *) jobs;
  rpc_buf out;
  int64_t version;
  fz_str text, name;
} fz_state;

static uint32_t fz_next(fz_state *st) {
  st->seed ^= st->seed << 13;
  st->seed ^= st->seed >> 17;
  st->seed ^= st->seed << 5;
  return st->seed;
}

static void fz_feed(fz_state *st, const char *p, size_t n) {
  if (!st->chunked) {
    tl_session_feed(st->s, p, n);
    return;
  }
  for (size_t i = 0; i < n;) {
    size_t k = 1 + fz_next(st) % 64;
    if (k > n - i) k = n - i;
    tl_session_feed(st->s, p + i, k);
    i += k;
  }
}

static void fz_send(fz_state *st, json_t *msg) {
  char *body = json_dumps(msg, JSON_COMPACT);
  json_decref(msg);
  if (!body) abort(); /* the fuzzer built something jansson cannot write */
  char head[64];
  size_t len = strlen(body);
  if (fz_trace) fprintf(stderr, "--> %s\n", body);
  int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", len);
  fz_feed(st, head, (size_t)n);
  fz_feed(st, body, len);
  free(body);
}

/* A request: its id is owed an answer from now on. */
static void fz_request(fz_state *st, const char *method, json_t *params) {
  char id[16];
  snprintf(id, sizeof id, "q%zu", st->owed.len);
  uint8_t one = 1;
  gr_array_push(&st->owed, one);
  gr_array_push(&st->methods, method);
  json_t *m = json_pack("{s:s,s:s,s:s}", "jsonrpc", "2.0", "id", id, "method", method);
  if (params) json_object_set_new(m, "params", params);
  fz_send(st, m);
}

static void fz_notify(fz_state *st, const char *method, json_t *params) {
  json_t *m = json_pack("{s:s,s:s}", "jsonrpc", "2.0", "method", method);
  if (params) json_object_set_new(m, "params", params);
  fz_send(st, m);
}

/* ---- checking the output ------------------------------------------------ */

static bool fz_pos_le(json_t *a, json_t *b) {
  json_int_t al = json_integer_value(json_object_get(a, "line")), bl = json_integer_value(json_object_get(b, "line"));
  json_int_t ac = json_integer_value(json_object_get(a, "character"));
  json_int_t bc = json_integer_value(json_object_get(b, "character"));
  return al < bl || (al == bl && ac <= bc);
}

static bool fz_is_pos(json_t *p) {
  return json_is_object(p) && json_is_integer(json_object_get(p, "line")) &&
         json_is_integer(json_object_get(p, "character")) && json_integer_value(json_object_get(p, "line")) >= 0 &&
         json_integer_value(json_object_get(p, "character")) >= 0;
}

/* Every {start, end} range, anywhere in v: positions in order. */
static void fz_check_ranges(json_t *v, int depth) {
  if (depth > 200) return;
  if (json_is_object(v)) {
    json_t *a = json_object_get(v, "start"), *b = json_object_get(v, "end");
    if (a && b && json_object_size(v) == 2) {
      if (!fz_is_pos(a) || !fz_is_pos(b) || !fz_pos_le(a, b)) {
        fprintf(stderr, "fuzz_session: a bad range\n");
        abort();
      }
    }
    const char *k;
    json_t *x;
    json_object_foreach(v, k, x) fz_check_ranges(x, depth + 1);
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) fz_check_ranges(x, depth + 1);
  }
}

/* A TextEdit array must not overlap (LSP: "text edits must never overlap"):
 * sorted by start, none starts before an earlier one ends (touching is fine). */
typedef struct fz_span {
  json_int_t sl, sc, el, ec;
} fz_span;

static int fz_span_cmp(const void *a, const void *b) {
  const fz_span *x = a, *y = b;
  if (x->sl != y->sl) return x->sl < y->sl ? -1 : 1;
  if (x->sc != y->sc) return x->sc < y->sc ? -1 : 1;
  if (x->el != y->el) return x->el < y->el ? -1 : 1;
  return x->ec < y->ec ? -1 : x->ec > y->ec;
}

static json_int_t fz_get(json_t *range, const char *pos, const char *key) {
  return json_integer_value(json_object_get(json_object_get(range, pos), key));
}

static bool fz_edits_overlap(json_t *edits) {
  size_t n = json_array_size(edits);
  if (n < 2) return false;
  fz_span *sp = malloc(n * sizeof *sp);
  for (size_t i = 0; i < n; i++) {
    json_t *r = json_object_get(json_array_get(edits, i), "range");
    sp[i] = (fz_span){fz_get(r, "start", "line"), fz_get(r, "start", "character"), fz_get(r, "end", "line"),
                      fz_get(r, "end", "character")};
  }
  qsort(sp, n, sizeof *sp, fz_span_cmp);
  bool overlap = false;
  json_int_t ml = sp[0].el, mc = sp[0].ec; /* the furthest end so far */
  for (size_t i = 1; i < n && !overlap; i++) {
    if (sp[i].sl < ml || (sp[i].sl == ml && sp[i].sc < mc)) overlap = true;
    if (sp[i].el > ml || (sp[i].el == ml && sp[i].ec > mc)) ml = sp[i].el, mc = sp[i].ec;
  }
  free(sp);
  return overlap;
}

/* Every WorkspaceEdit in v: its edits per document do not overlap. */
static bool fz_check_edits(json_t *v, int depth) {
  if (depth > 200) return true;
  if (json_is_object(v)) {
    json_t *changes = json_object_get(v, "changes"), *dc = json_object_get(v, "documentChanges");
    const char *k;
    json_t *x;
    size_t i;
    if (json_is_object(changes)) json_object_foreach(changes, k, x) if (fz_edits_overlap(x)) return false;
    if (json_is_array(dc)) json_array_foreach(dc, i, x) if (fz_edits_overlap(json_object_get(x, "edits"))) return false;
    json_object_foreach(v, k, x) if (!fz_check_edits(x, depth + 1)) return false;
  } else if (json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) if (!fz_check_edits(x, depth + 1)) return false;
  }
  return true;
}

static void fz_fail(const char *why, const char *body, size_t len) {
  fprintf(stderr, "fuzz_session: %s: %.*s\n", why, (int)(len > 2000 ? 2000 : len), body);
  abort();
}

static int fz_on_output(void *ud, const rpc_frame_event *ev) {
  fz_state *st = ud;
  if (fz_trace && ev->kind == RPC_FRAME_BODY) fprintf(stderr, "<-- %.*s\n", (int)ev->len, ev->body);
  if (ev->kind != RPC_FRAME_BODY) fz_fail("the session wrote a bad frame", "", 0);
  json_error_t err;
  json_t *m = json_loadb(ev->body, ev->len, JSON_ALLOW_NUL, &err);
  if (!json_is_object(m)) fz_fail("not a JSON object", ev->body, ev->len);
  json_t *v = json_object_get(m, "jsonrpc");
  if (!json_is_string(v) || strcmp(json_string_value(v), "2.0") != 0) fz_fail("no jsonrpc 2.0", ev->body, ev->len);
  json_t *id = json_object_get(m, "id"), *method = json_object_get(m, "method");
  json_t *result = json_object_get(m, "result"), *error = json_object_get(m, "error");
  if (method) {
    if (!json_is_string(method) || result || error) fz_fail("a bad notification or request", ev->body, ev->len);
    if (id && !json_is_integer(id)) fz_fail("a server request without an integer id", ev->body, ev->len);
  } else {
    if (!id || (!result) == (!error)) fz_fail("a response without an id, or not one of result/error", ev->body, ev->len);
    if (error && (!json_is_integer(json_object_get(error, "code")) ||
                  !json_is_string(json_object_get(error, "message"))))
      fz_fail("a bad error object", ev->body, ev->len);
    if (json_is_string(id)) {
      const char *s = json_string_value(id);
      char *end;
      unsigned long n = s[0] == 'q' ? strtoul(s + 1, &end, 10) : 0;
      if (s[0] != 'q' || *end || n >= st->owed.len || st->owed.items[n] == 0)
        fz_fail("a response to a request never sent", ev->body, ev->len);
      if (st->owed.items[n] == 2) fz_fail("a second response", ev->body, ev->len);
      st->owed.items[n] = 2;
      if (result && !fz_check_edits(result, 0)) fz_fail("a WorkspaceEdit with overlapping edits", ev->body, ev->len);
      if (result && strcmp(st->methods.items[n], "textDocument/completion") == 0) {
        size_t i;
        json_t *it;
        json_array_foreach(json_object_get(result, "items"), i, it) {
          json_t *r = json_object_get(json_object_get(it, "textEdit"), "range");
          if (!json_equal(json_object_get(json_object_get(r, "start"), "line"),
                          json_object_get(json_object_get(r, "end"), "line")))
            fz_fail("a completion edit over more than one line", ev->body, ev->len);
        }
      }
    } else if (!json_is_null(id) && !st->tainted) {
      fz_fail("a response to a request never sent", ev->body, ev->len);
    }
  }
  fz_check_ranges(m, 0);
  json_decref(m);
  return RPC_FRAME_ACCEPT;
}

static void fz_drain(fz_state *st) {
  tl_session_take_output(st->s, &st->out);
  rpc_frame *f = rpc_frame_new(NULL);
  rpc_frame_feed(f, st->out.items, st->out.len, fz_on_output, st);
  rpc_frame_finish(f, fz_on_output, st); /* a truncated frame is an error too */
  rpc_frame_free(f);
  st->out.len = 0;
}

static void fz_turn(fz_state *st) {
  if (fz_trace) fprintf(stderr, "(turn)\n");
  tl_session_turn(st->s);
  if (fz_trace && tl_session_done(st->s)) fprintf(stderr, "(done: exit status %d)\n", tl_session_exit_status(st->s));
  fz_drain(st);
  tl_wsi_job *job;
  while ((job = tl_session_take_job(st->s)) != NULL) gr_array_push(&st->jobs, job);
}

static void fz_run_jobs(fz_state *st) {
  if (fz_trace && st->jobs.len) fprintf(stderr, "(%zu scan jobs run)\n", st->jobs.len);
  for (size_t i = 0; i < st->jobs.len; i++) {
    tl_session_job_run(st->jobs.items[i]);
    tl_session_job_done(st->s, st->jobs.items[i]);
  }
  st->jobs.len = 0;
}

/* Nothing owed: every request sent has its answer. */
static void fz_check_all_answered(fz_state *st) {
  if (st->tainted) return;
  for (size_t i = 0; i < st->owed.len; i++)
    if (st->owed.items[i] == 1) {
      fprintf(stderr, "fuzz_session: request q%zu was never answered\n", i);
      abort();
    }
}

/* ---- building params ---------------------------------------------------- */

static const char *const fz_paths[] = {
    "/templates/prd-tmpl.md", "/templates/new-tmpl.md", "/notes.tmpl.md", "/docs/prd.md",
    "/docs/brief.md", "/notes.md", "/templates/guide.md", "/a%20b-tmpl.md?x#y",
};
#define FZ_NPATHS (sizeof fz_paths / sizeof *fz_paths)

static json_t *fz_uri(fz_state *st, uint8_t b) {
  char uri[600];
  const char *base = (st->opts & 0x10) ? fz_root : "/ws";
  if (b % (FZ_NPATHS + 1) == FZ_NPATHS) return json_string("file:///never/opened.md");
  snprintf(uri, sizeof uri, "file://%s%s", base, fz_paths[b % (FZ_NPATHS + 1)]);
  return json_string(uri);
}

static json_t *fz_td(fz_state *st, fz_in *in) { return json_pack("{s:o}", "uri", fz_uri(st, fz_byte(in))); }

/* A Position: small values mostly; past the end, huge and (rarely) negative too. */
static json_t *fz_pos(fz_in *in) {
  uint8_t b = fz_byte(in);
  json_int_t line = b & 0x0F, ch = fz_byte(in);
  if (b & 0x10) ch &= 7;
  if ((b & 0xE0) == 0x20) line = 1000000;
  if ((b & 0xE0) == 0x40) ch = (json_int_t)1 << 32;
  if ((b & 0xE0) == 0x60) line = (json_int_t)UINT32_MAX + 7;
  if (b == 0xFF) ch = -1;
  return json_pack("{s:I,s:I}", "line", line, "character", ch);
}

static json_t *fz_range(fz_in *in) {
  json_t *a = fz_pos(in), *b = fz_pos(in);
  return json_pack("{s:o,s:o}", "start", a, "end", b);
}

/* A client's diagnostic's range: in order, as the server echoes it back. */
static json_t *fz_range_ordered(fz_in *in) {
  json_t *r = fz_range(in);
  json_t *a = json_object_get(r, "start"), *b = json_object_get(r, "end");
  if (!fz_pos_le(a, b)) {
    json_incref(a);
    json_object_set(r, "start", b);
    json_object_set_new(r, "end", a);
  }
  return r;
}

static json_t *fz_doc_pos(fz_state *st, fz_in *in) {
  json_t *td = fz_td(st, in);
  return json_pack("{s:o,s:o}", "textDocument", td, "position", fz_pos(in));
}

static json_t *fz_capabilities(uint8_t o) {
  json_t *caps = json_object();
  if (o & 1) json_object_set_new(caps, "general", json_pack("{s:[s,s]}", "positionEncodings", "utf-8", "utf-16"));
  json_t *td = json_object();
  json_t *item = json_pack("{s:b}", "snippetSupport", (o & 2) != 0);
  if (o & 0x20) json_object_set_new(item, "documentationFormat", json_pack("[s,s]", "markdown", "plaintext"));
  json_object_set_new(td, "completion", json_pack("{s:o}", "completionItem", item));
  if (o & 8) json_object_set_new(td, "diagnostic", json_object());
  if (o & 0x20) {
    json_object_set_new(td, "codeAction",
                        json_pack("{s:{s:{s:[s,s]}}}", "codeActionLiteralSupport", "codeActionKind", "valueSet",
                                  "quickfix", "refactor"));
    json_object_set_new(td, "documentSymbol", json_pack("{s:b}", "hierarchicalDocumentSymbolSupport", 1));
    json_object_set_new(td, "hover", json_pack("{s:[s]}", "contentFormat", "markdown"));
  }
  if (o & 0x40) {
    json_object_set_new(td, "rename", json_pack("{s:b}", "prepareSupport", 1));
    json_object_set_new(td, "definition", json_pack("{s:b}", "linkSupport", 1));
  }
  json_object_set_new(caps, "textDocument", td);
  json_object_set_new(caps, "workspace",
                      json_pack("{s:{s:b},s:{s:b},s:{s:b},s:b}", "workspaceEdit", "documentChanges", (o & 4) != 0,
                                "diagnostics", "refreshSupport", 1, "didChangeWatchedFiles",
                                "dynamicRegistration", 1, "configuration", 1));
  json_object_set_new(caps, "window", json_pack("{s:b}", "workDoneProgress", 1));
  return caps;
}

static void fz_initialize(fz_state *st) {
  json_t *params = json_pack("{s:o}", "capabilities", fz_capabilities(st->opts));
  if (st->opts & 0x10) {
    char uri[300];
    snprintf(uri, sizeof uri, "file://%s", fz_root);
    json_object_set_new(params, "rootUri", json_string(uri));
  }
  fz_request(st, "initialize", params);
}

/* ---- operations --------------------------------------------------------- */

static void fz_op(fz_state *st, fz_in *in, uint8_t op) {
  switch (op % 32) {
    case 0:
    case 1: { /* didOpen */
      json_t *uri = fz_uri(st, fz_byte(in));
      fz_text(in, &st->text, 48);
      fz_notify(st, "textDocument/didOpen",
                json_pack("{s:{s:o,s:s,s:I,s:s%}}", "textDocument", "uri", uri, "languageId", "markdown", "version",
                          (json_int_t)++st->version, "text", st->text.items, st->text.len));
      break;
    }
    case 2:
    case 3:
    case 4: { /* didChange: 1-4 changes, incremental or whole */
      json_t *td = fz_td(st, in);
      json_object_set_new(td, "version", json_integer(++st->version));
      json_t *changes = json_array();
      unsigned n = 1 + fz_byte(in) % 4;
      for (unsigned i = 0; i < n; i++) {
        uint8_t kind = fz_byte(in);
        fz_text(in, &st->text, kind & 0x80 ? 24 : 4);
        json_t *ch = json_pack("{s:s%}", "text", st->text.items, st->text.len);
        if ((kind & 7) != 0) json_object_set_new(ch, "range", fz_range(in));
        if ((kind & 0x7F) == 0x7F) json_object_set_new(ch, "range", json_string("bad")); /* refused whole */
        json_array_append_new(changes, ch);
      }
      fz_notify(st, "textDocument/didChange", json_pack("{s:o,s:o}", "textDocument", td, "contentChanges", changes));
      break;
    }
    case 5: /* didClose */
      fz_notify(st, "textDocument/didClose", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 6: /* didSave */
      fz_notify(st, "textDocument/didSave", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 7: { /* completion */
      json_t *p = fz_doc_pos(st, in);
      uint8_t b = fz_byte(in);
      static const char trig[] = "{^<@[#: x";
      if (b & 1) {
        char t[2] = {trig[(b >> 1) % (sizeof trig - 1)], 0};
        json_object_set_new(p, "context", json_pack("{s:i,s:s}", "triggerKind", 2, "triggerCharacter", t));
      }
      fz_request(st, "textDocument/completion", p);
      break;
    }
    case 8: { /* codeAction, with the client's diagnostics and context.only */
      json_t *td = fz_td(st, in);
      json_t *range = fz_range(in);
      json_t *diags = json_array();
      static const char *const codes[] = {"unclosed-block", "stray-closer", "mismatched-closer", "empty-placeholder",
                                          "unterminated-placeholder", "malformed-fence", "unfilled-placeholder",
                                          "leftover-instruction", "leftover-example", "leftover-markup",
                                          "missing-section", "section-order", "limit-exceeded", "broken-fence"};
      unsigned n = fz_byte(in) % 4;
      for (unsigned i = 0; i < n; i++)
        json_array_append_new(diags, json_pack("{s:o,s:s,s:s,s:i}", "range", fz_range_ordered(in), "code",
                                               codes[fz_byte(in) % (sizeof codes / sizeof *codes)], "message", "m",
                                               "severity", 1));
      json_t *ctx = json_pack("{s:o}", "diagnostics", diags);
      uint8_t b = fz_byte(in);
      if (b & 1) json_object_set_new(ctx, "only", json_pack("[s]", (b & 2) ? "quickfix" : "refactor"));
      if ((b & 0xFC) == 0xFC) {
        json_decref(ctx);
        ctx = json_integer(3); /* not a CodeActionContext */
      }
      fz_request(st, "textDocument/codeAction",
                 json_pack("{s:o,s:o,s:o}", "textDocument", td, "range", range, "context", ctx));
      break;
    }
    case 9:
      fz_request(st, "textDocument/hover", fz_doc_pos(st, in));
      break;
    case 10:
      fz_request(st, "textDocument/definition", fz_doc_pos(st, in));
      break;
    case 11: {
      json_t *p = fz_doc_pos(st, in);
      uint8_t b = fz_byte(in);
      if (b != 0xFF) json_object_set_new(p, "context", json_pack("{s:b}", "includeDeclaration", b & 1));
      fz_request(st, "textDocument/references", p);
      break;
    }
    case 12:
      fz_request(st, "textDocument/prepareRename", fz_doc_pos(st, in));
      break;
    case 13: { /* rename with a fuzzed name */
      json_t *p = fz_doc_pos(st, in);
      fz_text(in, &st->name, 3);
      json_object_set_new(p, "newName", json_stringn(st->name.items, st->name.len));
      fz_request(st, "textDocument/rename", p);
      break;
    }
    case 14:
      fz_request(st, "textDocument/linkedEditingRange", fz_doc_pos(st, in));
      break;
    case 15:
      fz_request(st, "textDocument/documentSymbol", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 16:
      fz_request(st, "textDocument/foldingRange", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 17:
      fz_request(st, "textDocument/semanticTokens/full", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 18: {
      json_t *td = fz_td(st, in);
      fz_request(st, "textDocument/semanticTokens/range",
                 json_pack("{s:o,s:o}", "textDocument", td, "range", fz_range(in)));
      break;
    }
    case 19: {
      json_t *td = fz_td(st, in);
      json_t *ps = json_array();
      unsigned n = fz_byte(in) % 4;
      for (unsigned i = 0; i < n; i++) json_array_append_new(ps, fz_pos(in));
      fz_request(st, "textDocument/selectionRange", json_pack("{s:o,s:o}", "textDocument", td, "positions", ps));
      break;
    }
    case 20:
      fz_request(st, "textDocument/documentLink", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 21:
      fz_request(st, "textDocument/codeLens", json_pack("{s:o}", "textDocument", fz_td(st, in)));
      break;
    case 22: { /* pulled diagnostics, sometimes with a previous result id; or the workspace's */
      uint8_t w = fz_byte(in);
      if (w & 1) { /* workspace/diagnostic: known ids (fuzzed), tokens for partial results and progress */
        json_t *prev = json_array();
        for (unsigned i = 0; i < (unsigned)(w >> 1) % 4; i++) {
          char rid[32];
          unsigned rev = fz_byte(in) % 4, gen = fz_byte(in) % 4;
          snprintf(rid, sizeof rid, "%u.%u", rev, gen);
          json_t *uri = fz_uri(st, fz_byte(in));
          json_array_append_new(prev, json_pack("{s:o,s:s}", "uri", uri, "value", (w & 8) ? "-" : rid));
        }
        json_t *p = json_pack("{s:o}", "previousResultIds", prev);
        if (w & 16) json_object_set_new(p, "partialResultToken", json_string("pr"));
        if (w & 32) json_object_set_new(p, "workDoneToken", json_integer(7));
        fz_request(st, "workspace/diagnostic", p);
        break;
      }
      json_t *p = json_pack("{s:o}", "textDocument", fz_td(st, in));
      uint8_t b = fz_byte(in);
      if (b & 1) {
        char rid[32];
        snprintf(rid, sizeof rid, (b & 2) ? "%u" : "%u.%u", b >> 2, b >> 5);
        json_object_set_new(p, "previousResultId", json_string(rid));
      }
      fz_request(st, "textDocument/diagnostic", p);
      break;
    }
    case 23: { /* $/cancelRequest for a recent request (or one never sent) */
      char id[16];
      size_t back = fz_byte(in) % 8;
      snprintf(id, sizeof id, "q%zu", st->owed.len > back ? st->owed.len - 1 - back : 99999);
      fz_notify(st, "$/cancelRequest", json_pack("{s:s}", "id", id));
      break;
    }
    case 24: { /* garbage: raw bytes with no '"' (so no string id) */
      st->tainted = true;
      uint8_t k = fz_byte(in) % 32;
      char buf[40];
      for (uint8_t i = 0; i < k; i++) {
        char c = (char)fz_byte(in);
        buf[i] = c == '"' ? '\'' : c;
      }
      if (fz_byte(in) & 1) {
        static const char head[] = "Content-Length: 5\r\n\r\n";
        tl_session_feed(st->s, head, sizeof head - 1);
      }
      tl_session_feed(st->s, buf, k);
      break;
    }
    case 25: /* the scan comes back */
      fz_run_jobs(st);
      break;
    case 26: { /* an unknown request, a request with bad params, a response */
      uint8_t b = fz_byte(in);
      if (b % 3 == 0) fz_request(st, "textDocument/unknown", NULL);
      else if (b % 3 == 1) fz_request(st, (b & 4) ? "textDocument/hover" : "textDocument/rename", json_pack("[i]", 1));
      else if (b & 8) /* an answer to a request tmpl-ls sent (progress, watchers, refresh), or not */
        fz_send(st, json_pack("{s:s,s:i,s:n}", "jsonrpc", "2.0", "id", 1 + (b >> 4) % 5, "result"));
      else
        fz_send(st, json_pack("{s:s,s:i,s:{s:i,s:s}}", "jsonrpc", "2.0", "id", 1 + (b >> 4) % 5, "error", "code",
                              -32603, "message", "no"));
      break;
    }
    case 27: /* a second initialize: -32600 */
      fz_initialize(st);
      break;
    case 28: { /* the workspace changes: a folder added or removed, a watched file, settings */
      uint8_t b = fz_byte(in);
      char uri[300];
      if ((b & 0xC0) == 0xC0) {
        json_t *set = (b & 1) ? json_null()
                              : json_pack("{s:{s:{s:s,s:s},s:{s:s},s:f,s:b}}", "tmpl-ls", "diagnostics", "missing-section",
                                          (b & 2) ? "off" : "error", "empty-placeholder", (b & 8) ? "hint" : "x",
                                          "templates", "**/*.md", "templates/prd-tmpl.md", "matchThreshold",
                                          (b & 16) ? 0.2 : 0.9, "workspaceDiagnostics", (b & 32) != 0);
        fz_notify(st, "workspace/didChangeConfiguration", json_pack("{s:o}", "settings", set));
        break;
      }
      if (b & 4) {
        static const char *const rel[] = {"templates/prd-tmpl.md", "templates", "docs/prd.md", ".git/x-tmpl.md",
                                          "templates/new-tmpl.md", ""};
        snprintf(uri, sizeof uri, "file://%s/%s", fz_root, rel[(b >> 3) % 6]);
        fz_notify(st, "workspace/didChangeWatchedFiles",
                  json_pack("{s:[{s:s,s:i}]}", "changes", "uri", uri, "type", 1 + (b >> 6) % 3));
        break;
      }
      snprintf(uri, sizeof uri, "file://%s%s", fz_root, (b & 1) ? "" : "/missing");
      json_t *f = json_pack("[{s:s,s:s}]", "uri", uri, "name", "w");
      bool rm = (b & 2) != 0;
      fz_notify(st, "workspace/didChangeWorkspaceFolders",
                json_pack("{s:{s:o,s:o}}", "event", "added", rm ? json_array() : f, "removed", rm ? f : json_array()));
      break;
    }
    case 29: /* shutdown */
      if (!(fz_byte(in) & 7)) {
        fz_request(st, "shutdown", NULL);
        st->shut_down = true;
      }
      break;
    case 30: /* exit (rarely: it ends the session) */
      if (fz_byte(in) == 0xEE) fz_notify(st, "exit", NULL);
      break;
    case 31: { /* a big text: a few pieces repeated up to FZ_BIG_TEXT bytes (quadratic work shows as a timeout) */
      json_t *uri = fz_uri(st, fz_byte(in));
      unsigned reps = 1 + fz_byte(in) * 64u;
      fz_text(in, &st->name, 4);
      st->text.len = 0;
      for (unsigned i = 0; i < reps && st->text.len + st->name.len < FZ_BIG_TEXT; i++)
        fz_put(&st->text, st->name.items, st->name.len);
      fz_put(&st->text, "", 0);
      fz_notify(st, "textDocument/didOpen",
                json_pack("{s:{s:o,s:s,s:I,s:s%}}", "textDocument", "uri", uri, "languageId", "markdown", "version",
                          (json_int_t)++st->version, "text", st->text.items, st->text.len));
      break;
    }
    default: /* a turn on its own */
      break;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  fz_in in = {data, size};
  fz_state st;
  memset(&st, 0, sizeof st);
  st.opts = fz_byte(&in);
  st.chunked = (st.opts & 0x80) != 0;
  st.seed = 0x9E3779B9u ^ (uint32_t)size;
  tl_session_options o = {TL_LOG_ERROR, 0, 64, 1 << 16, 0, 0};
  st.s = tl_session_new(&o);

  fz_initialize(&st);
  fz_notify(&st, "initialized", json_object());
  fz_turn(&st);
  while (in.n && !tl_session_done(st.s)) {
    uint8_t op = fz_byte(&in);
    fz_op(&st, &in, op);
    if (!(op & 0x80)) fz_turn(&st);
    /* Once shutdown is answered nothing may be owed; later requests get -32600. */
    if (st.shut_down && !tl_session_done(st.s) && !tl_session_has_work(st.s)) fz_check_all_answered(&st);
  }
  if (!tl_session_done(st.s)) fz_turn(&st); /* what the last operation held back */
  if (!tl_session_done(st.s)) {
    fz_request(&st, "shutdown", NULL);
    fz_turn(&st);
    fz_check_all_answered(&st);
    fz_run_jobs(&st);
    fz_turn(&st);
    fz_notify(&st, "exit", NULL);
    fz_turn(&st);
    if (!st.tainted && (!tl_session_done(st.s) || tl_session_exit_status(st.s) != 0)) abort();
  }
  for (size_t i = 0; i < st.jobs.len; i++) tl_session_job_drop(st.jobs.items[i]);
  gr_array_free(&st.jobs);
  tl_session_free(st.s);
  gr_array_free(&st.out);
  gr_array_free(&st.owed);
  gr_array_free(&st.methods);
  gr_array_free(&st.text);
  gr_array_free(&st.name);
  return 0;
}
