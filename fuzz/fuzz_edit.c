/*
 * fuzz_edit: libFuzzer target for incremental edits (style.md's
 * fuzz_edit). A document in server/lsp/docs.h takes a sequence of LSP
 * range edits through the path didChange uses (protocol/position against
 * the document's line index, then tl_doc_edit); a plain buffer takes the
 * same edits with positions resolved by a naive walk written here from
 * LSP's rules. After every edit:
 *   - the document's text equals the naive text;
 *   - when asked (some edits parse, most do not, so stale trees and line
 *     indexes are dropped in every order), the document's tree dumps the
 *     same as a fresh gr_parse of the naive text and passes gr_tree_check;
 *   - an undo (the inverse edit) brings back the previous text and tree.
 *
 * Inert edits (grammar.h: gr_edit_inert) keep the tree, moved: the same
 * comparison checks that rule, in both modes; prose fragments and block
 * prefixes in the table below make such edits common. And a session
 * (server/lsp/session.h) takes the same edits as didChange; whenever the
 * trees are compared, its outline and folding ranges (kept across inert
 * edits: handlers_features.c) must be, byte for byte, what a fresh
 * session answers for the naive text.
 *
 * A YAML template (option bit 4) keeps its tree across edits inside a
 * block sequence's item or a block mapping's entry (yaml/ytree.h:
 * yt_tree_edit): its tree must be,
 * node for node, a fresh yt_parse of the naive text, and the session's
 * outline and folding ranges a fresh session's. It starts from a valid
 * template (one of two, bit 5) and takes YAML fragments, so that most
 * edits leave it valid and the next ones go the incremental way.
 *
 * Input: one option byte (bit 0: utf-8 positions, else utf-16; bit 1:
 * allow invalid UTF-8, which LSP never sends but the line index must
 * count totally; bit 2: convert through the document's position memo;
 * bit 3: a document, parsed as CommonMark renders it, else a template;
 * bit 4: a YAML template, bit 5: which), the initial text (Markdown),
 * then edits. Texts are fragments from a small table (surrogate pairs,
 * CRLF, lone CR, markup; YAML's own for YAML) mixed with raw bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "protocol/position.h"
#include "protocol/frame.h"
#include "protocol/jsonrpc.h"
#include "server/lsp/docs.h"
#include "server/lsp/session.h"
#include "yaml/ytmpl.h"
#include "fuzz/fuzz_input.h"

static const char *const fz_frags[] = {
    "\n", "\r\n", "\r", "\n\n", "\xF0\x9F\x98\x80", "\xF0\x9D\x84\x9E", "\xC3\xA9", "\xE2\x82\xAC", "a", "bc",
    " ", "{{", "}}", "{{name}}", "[[LLM: ", "]]", "<<REPEAT: r>>", "<</REPEAT>>", "^^CONDITION: c^^",
    "^^/CONDITION: c^^", "^^/CONDITION^^", "@{example: e}", "@{/example}", "<critical_rule>", "</critical_rule>",
    "```", "```text", "# ", "\n## S\n", "<!--", "-->", "`", "|", "\0",
    /* prose and block prefixes, for inert edits */
    "word", "x y", ".", ",", "Two words. ", "- ", "> ", "1. ", "    ", "\t", "=", "-", ":", "(", "'", "===\n",
};
#define FZ_NFRAGS (sizeof fz_frags / sizeof *fz_frags)

static const char *const fz_yfrags[] = {
    "\n", "\r\n", "\n\n", " ", "  ", "    ", "a", "word", "x y", "\xC3\xA9", "\xF0\x9F\x98\x80", "- ", "-", ": ",
    ":", "#", " # c", "|", ">", "|-", "'", "\"", "[", "]", "{", "}", ",", "&a ", "*a", "!t ", "? ", "---", "...",
    "\t", "{{v}}", "{{", "}}", "\n  - id: n\n    title: N", "\n    - id: m", "\n    type: table", "\n      x",
    "title: T", "\n#c\n", "\n\ty", "\\", "%", "\n  name: N", "\nworkflow: w", "\nk:\n- v",
};
#define FZ_NYFRAGS (sizeof fz_yfrags / sizeof *fz_yfrags)

static const char *const fz_ybases[2] = {
    "template:\n  id: t\n  output:\n    filename: t.md\nsections:\n  - id: a\n    title: A\n"
    "    instruction: |\n      Say it.\n      Short.\n    sections:\n      - id: a1\n        title: A1\n"
    "      - id: a2\n        title: \"A2: {{x}}\"\n  # between\n  - id: b\n    title: B\n"
    "    choices: [p, q]\n\n  - id: c\n    title: C\n    examples:\n      - one\n      - two\n",
    "template:\n  id: u\nsections:\n- id: a\n  title: 'A'\n  template: >\n    folded\n    text\n"
    "- id: b\n  repeatable: true\n  sections:\n  - id: b1\n    item_template: '{{i}}'\n- c\n",
};

static bool fz_yaml; /* this input's document is a YAML template */

static void fz_text(fz_in *in, fz_str *s, unsigned max_pieces, bool raw_ok) {
  if (fz_yaml) fz_text_from(in, s, fz_yfrags, FZ_NYFRAGS, max_pieces, 4, raw_ok);
  else fz_text_from(in, s, fz_frags, FZ_NFRAGS, max_pieces, 4, raw_ok);
}

/* ---- the naive model ---------------------------------------------------- */

/* Byte offset of (line, col) by LSP's rules, walking the text from the top:
 * lines end at \n, \r\n or \r; a line past the end is the end of the text;
 * a column past the line's end is the line's end; a column inside a
 * character is the next character's start. Invalid bytes are one U+FFFD. */
static size_t fz_naive_offset(const char *t, size_t len, uint32_t line, uint32_t col, bool utf8) {
  size_t i = 0;
  for (uint32_t l = 0; l < line; l++) {
    while (i < len && t[i] != '\n' && t[i] != '\r') i++;
    if (i == len) return len;
    i += (t[i] == '\r' && i + 1 < len && t[i + 1] == '\n') ? 2 : 1;
  }
  size_t e = i;
  while (e < len && t[e] != '\n' && t[e] != '\r') e++;
  uint64_t units = 0;
  while (i < e && units < col) {
    uint32_t cp;
    size_t n = gr_utf8_decode(t, e, i, &cp);
    units += utf8 ? n : (cp >= 0x10000 ? 2 : 1);
    i += n;
  }
  return i;
}

/* ---- the run ------------------------------------------------------------ */

static char *fz_dump(const gr_tree *t, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  if (!f) abort();
  gr_tree_dump(t, f);
  fclose(f);
  return buf;
}

/* A YAML document's tree (kept across edits) against a fresh yt_parse. */
static void fz_compare_yaml(tl_doc *doc, const fz_str *naive) {
  const yt_tree *t = yt_tmpl_tree(tl_doc_yaml(doc));
  yt_tree *fresh = yt_parse(naive->items, naive->len);
  if (yt_tree_check(t, stderr) != 0 || yt_tree_same(t, fresh, stderr) != 0) {
    fprintf(stderr, "fuzz_edit: the edited YAML tree differs from a fresh parse of:\n%.*s\n", (int)naive->len,
            naive->items);
    yt_tree_dump(t, stderr);
    fputs("--- fresh:\n", stderr);
    yt_tree_dump(fresh, stderr);
    abort();
  }
  yt_tree_free(fresh);
}

/* The document's tree against a fresh parse of the naive text. */
static void fz_compare_trees(tl_doc *doc, const fz_str *naive, bool document) {
  if (fz_yaml) {
    fz_compare_yaml(doc, naive);
    return;
  }
  const gr_tree *t = tl_doc_tree(doc);
  if (gr_tree_check(t, stderr) != 0) abort();
  gr_options o = {0, 0, document ? GR_MODE_DOCUMENT : GR_MODE_TEMPLATE};
  gr_tree *fresh = gr_parse(naive->items, naive->len, &o);
  size_t la, lb;
  char *a = fz_dump(t, &la), *b = fz_dump(fresh, &lb);
  if (la != lb || memcmp(a, b, la) != 0) {
    fprintf(stderr, "fuzz_edit: the edited tree differs from a fresh parse:\n%s\n--- fresh:\n%s\n", a, b);
    abort();
  }
  free(a);
  free(b);
  gr_tree_free(fresh);
}

static void fz_compare_text(tl_doc *doc, const fz_str *naive) {
  size_t len;
  const char *t = tl_doc_text(doc, &len);
  if (len != naive->len || memcmp(t, naive->items, len) != 0 || t[len] != '\0') {
    fprintf(stderr, "fuzz_edit: text differs:\n  doc   [%zu] %.*s\n  naive [%zu] %.*s\n", len, (int)len, t,
            naive->len, (int)naive->len, naive->items);
    abort();
  }
}

static void fz_naive_edit(fz_str *s, size_t a, size_t b, const char *text, size_t len) {
  fz_str out = {0};
  fz_put(&out, s->items, a);
  fz_put(&out, text, len);
  fz_put(&out, s->items + b, s->len - b);
  gr_array_free(s);
  *s = out;
}

/* ---- the session ---------------------------------------------------------- */

static void fz_send(tl_session *s, json_t *msg) { /* stolen */
  rpc_buf b = {0};
  if (rpc_encode(msg, &b) != 0) abort();
  tl_session_feed(s, b.items, b.len);
  gr_array_free(&b);
  json_decref(msg);
}

typedef struct fz_answers {
  char *json[3]; /* the results of ids 1..2 as compact JSON */
} fz_answers;

static int fz_on_answer(void *ud, const rpc_frame_event *ev) {
  fz_answers *a = ud;
  if (ev->kind != RPC_FRAME_BODY) abort();
  json_t *m = json_loadb(ev->body, ev->len, 0, NULL);
  json_t *id = json_object_get(m, "id");
  if (json_is_integer(id) && json_integer_value(id) >= 100 && json_integer_value(id) < 103 && !json_object_get(m, "method")) {
    json_t *r = json_object_get(m, "result");
    if (!r) r = json_object_get(m, "error");
    free(a->json[json_integer_value(id) - 100]);
    a->json[json_integer_value(id) - 100] = json_dumps(r, JSON_COMPACT | JSON_ENCODE_ANY);
  }
  json_decref(m);
  return RPC_FRAME_ACCEPT;
}

static void fz_turn(tl_session *s, fz_answers *a) {
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  rpc_frame *f = rpc_frame_new(NULL);
  rpc_frame_feed(f, out.items, out.len, fz_on_answer, a);
  rpc_frame_free(f);
  gr_array_free(&out);
}

static tl_session *fz_session(bool utf8, const char *uri, const fz_str *text) {
  tl_session_options o = {TL_LOG_ERROR, 0, 0, 0, 0, 0};
  tl_session *s = tl_session_new(&o);
  fz_send(s, json_pack("{s:s,s:i,s:s,s:{s:n,s:{s:{s:{s:b}},s:{s:[s]}}}}", "jsonrpc", "2.0", "id", 1, "method",
                       "initialize", "params", "processId", "capabilities", "textDocument", "documentSymbol",
                       "hierarchicalDocumentSymbolSupport", 1, "general", "positionEncodings",
                       utf8 ? "utf-8" : "utf-16"));
  fz_send(s, json_pack("{s:s,s:s,s:{}}", "jsonrpc", "2.0", "method", "initialized", "params"));
  fz_send(s, json_pack("{s:s,s:s,s:{s:{s:s,s:s,s:i,s:s%}}}", "jsonrpc", "2.0", "method", "textDocument/didOpen",
                       "params", "textDocument", "uri", uri, "languageId", "markdown", "version", 1, "text",
                       text->items, text->len));
  fz_answers a = {{0}};
  fz_turn(s, &a);
  return s;
}

/* Ask for the outline and the folding ranges; their results into a. */
static void fz_ask(tl_session *s, const char *uri, fz_answers *a) {
  fz_send(s, json_pack("{s:s,s:i,s:s,s:{s:{s:s}}}", "jsonrpc", "2.0", "id", 100, "method",
                       "textDocument/documentSymbol", "params", "textDocument", "uri", uri));
  fz_send(s, json_pack("{s:s,s:i,s:s,s:{s:{s:s}}}", "jsonrpc", "2.0", "id", 101, "method",
                       "textDocument/foldingRange", "params", "textDocument", "uri", uri));
  fz_turn(s, a);
}

static void fz_compare_session(tl_session *s, bool utf8, const char *uri, const fz_str *naive) {
  fz_answers got = {{0}}, want = {{0}};
  fz_ask(s, uri, &got);
  tl_session *fresh = fz_session(utf8, uri, naive);
  fz_ask(fresh, uri, &want);
  tl_session_free(fresh);
  for (int i = 0; i < 2; i++) {
    if (!got.json[i] || !want.json[i] || strcmp(got.json[i], want.json[i]) != 0) {
      fprintf(stderr, "fuzz_edit: the session's %s differs from a fresh one's:\n%s\n--- fresh:\n%s\n",
              i ? "folding ranges" : "outline", got.json[i] ? got.json[i] : "(none)",
              want.json[i] ? want.json[i] : "(none)");
      abort();
    }
    free(got.json[i]);
    free(want.json[i]);
  }
}

static void fz_change(tl_session *s, const char *uri, int version, uint32_t l0, uint32_t c0, uint32_t l1, uint32_t c1,
                      const fz_str *text) {
  fz_send(s, json_pack("{s:s,s:s,s:{s:{s:s,s:i},s:[{s:{s:{s:I,s:I},s:{s:I,s:I}},s:s%}]}}", "jsonrpc", "2.0",
                       "method", "textDocument/didChange", "params", "textDocument", "uri", uri, "version", version,
                       "contentChanges", "range", "start", "line", (json_int_t)l0, "character", (json_int_t)c0,
                       "end", "line", (json_int_t)l1, "character", (json_int_t)c1, "text", text->items,
                       text->len));
}

/* The same byte edit for the session, as a range in the document's
 * positions. A byte offset LSP cannot name (between the CR and LF of a
 * line end) ends the session's part: it returns NULL (freed). */
static tl_session *fz_change_bytes(tl_session *s, const char *uri, int version, tl_doc *doc, bool utf8, size_t a,
                                   size_t b, const fz_str *text) {
  if (!s) return NULL;
  lsp_text t;
  memset(&t, 0, sizeof t);
  t.text = tl_doc_text(doc, &t.len);
  t.lines = tl_doc_lines(doc);
  t.enc = utf8 ? LSP_POS_UTF8 : LSP_POS_UTF16;
  gr_pos pa = lsp_pos_at(&t, a), pb = lsp_pos_at(&t, b);
  if (lsp_pos_offset(&t, pa.line, pa.col) != a || lsp_pos_offset(&t, pb.line, pb.col) != b) {
    tl_session_free(s);
    return NULL;
  }
  fz_change(s, uri, version, pa.line, pa.col, pb.line, pb.col, text);
  return s;
}

static uint32_t fz_coord(fz_in *in) {
  uint8_t b = fz_byte(in);
  if (b == 0xFF) return UINT32_MAX;
  if (b == 0xFE) return 1u << 20;
  return b & 0x7F;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  fz_in in = {data, size};
  uint8_t opts = fz_byte(&in);
  bool utf8 = opts & 1, raw = (opts & 2) != 0, document = (opts & 8) != 0;
  fz_str naive = {0}, ins = {0};
  fz_yaml = (opts & 16) != 0;
  if (fz_yaml) fz_put(&naive, fz_ybases[(opts >> 5) & 1], strlen(fz_ybases[(opts >> 5) & 1]));
  else fz_text(&in, &naive, 64, raw);

  const char *uri = fz_yaml ? "file:///fuzz-tmpl.yaml" : document ? "file:///fuzz.md" : "file:///fuzz-tmpl.md";
  tl_docs *docs = tl_docs_new();
  tl_doc *doc = tl_docs_open(docs, uri, naive.items, naive.len, 1);
  /* JSON carries no invalid UTF-8: the session follows valid texts only */
  tl_session *s = raw ? NULL : fz_session(utf8, uri, &naive);
  int version = 1;
  while (in.n) {
    uint8_t how = fz_byte(&in);
    uint32_t l0 = fz_coord(&in), c0 = fz_coord(&in), l1 = fz_coord(&in), c1 = fz_coord(&in);
    fz_text(&in, &ins, how & 0x40 ? 16 : 3, raw);

    /* The server's path: positions against the document's line index. */
    size_t len;
    lsp_text t;
    memset(&t, 0, sizeof t);
    if (opts & 4) t.memo = tl_doc_pos_memo(doc); /* as the server converts: from the last position */
    t.text = tl_doc_text(doc, &len);
    t.len = len;
    t.lines = tl_doc_lines(doc);
    t.enc = utf8 ? LSP_POS_UTF8 : LSP_POS_UTF16;
    size_t a = lsp_pos_offset(&t, l0, c0), b = lsp_pos_offset(&t, l1, c1);
    if (b < a) b = a; /* lsp_range_from_json's rule */

    size_t na = fz_naive_offset(naive.items, naive.len, l0, c0, utf8);
    size_t nb = fz_naive_offset(naive.items, naive.len, l1, c1, utf8);
    if (nb < na) nb = na;
    if (a != na || b != nb) {
      fprintf(stderr, "fuzz_edit: (%u,%u)-(%u,%u) in %s: offsets %zu-%zu, naive %zu-%zu\n", l0, c0, l1, c1,
              utf8 ? "utf-8" : "utf-16", a, b, na, nb);
      abort();
    }
    /* Both offsets are character starts: they survive a round trip. */
    gr_pos pa = lsp_pos_at(&t, a), pb = lsp_pos_at(&t, b);
    if (lsp_pos_offset(&t, pa.line, pa.col) != a || lsp_pos_offset(&t, pb.line, pb.col) != b) {
      fprintf(stderr, "fuzz_edit: offsets %zu-%zu do not survive a round trip\n", a, b);
      abort();
    }
    /* The removed bytes, for the undo. */
    fz_str removed = {0};
    fz_put(&removed, naive.items + na, nb - na);

    s = fz_change_bytes(s, uri, ++version, doc, utf8, a, b, &ins); /* (coordinates past 2^31 are not LSP's) */
    tl_doc_edit(doc, a, b, ins.items, ins.len);
    fz_naive_edit(&naive, na, nb, ins.items, ins.len);
    fz_compare_text(doc, &naive);
    if (s) {
      if (how & 1) fz_compare_session(s, utf8, uri, &naive);
    }
    if (how & 1) fz_compare_trees(doc, &naive, document);
    if (how & 2) (void)tl_doc_lines(doc); /* a line index that the next edit must drop */

    if (how & 4) { /* undo: the inverse byte edit, then redo */
      s = fz_change_bytes(s, uri, ++version, doc, utf8, na, na + ins.len, &removed);
      tl_doc_edit(doc, na, na + ins.len, removed.items, removed.len);
      fz_naive_edit(&naive, na, na + ins.len, removed.items, removed.len);
      fz_compare_text(doc, &naive);
      if (how & 8) fz_compare_trees(doc, &naive, document);
      if (s && (how & 8)) fz_compare_session(s, utf8, uri, &naive);
      s = fz_change_bytes(s, uri, ++version, doc, utf8, na, na + removed.len, &ins);
      tl_doc_edit(doc, na, na + removed.len, ins.items, ins.len);
      fz_naive_edit(&naive, na, na + removed.len, ins.items, ins.len);
      fz_compare_text(doc, &naive);
    }
    gr_array_free(&removed);
  }
  fz_compare_trees(doc, &naive, document);
  if (s) fz_compare_session(s, utf8, uri, &naive);
  tl_session_free(s);
  tl_docs_free(docs);
  gr_array_free(&naive);
  gr_array_free(&ins);
  return 0;
}
