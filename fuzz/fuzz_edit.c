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
 * Input: one option byte (bit 0: utf-8 positions, else utf-16; bit 1:
 * allow invalid UTF-8, which LSP never sends but the line index must
 * count totally; bit 2: convert through the document's position memo), the initial text, then edits. Texts are fragments from
 * a small table (surrogate pairs, CRLF, lone CR, markup) mixed with raw
 * bytes.
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
#include "server/lsp/docs.h"
#include "fuzz/fuzz_input.h"

static const char *const fz_frags[] = {
    "\n", "\r\n", "\r", "\n\n", "\xF0\x9F\x98\x80", "\xF0\x9D\x84\x9E", "\xC3\xA9", "\xE2\x82\xAC", "a", "bc",
    " ", "{{", "}}", "{{name}}", "[[LLM: ", "]]", "<<REPEAT: r>>", "<</REPEAT>>", "^^CONDITION: c^^",
    "^^/CONDITION: c^^", "^^/CONDITION^^", "@{example: e}", "@{/example}", "<critical_rule>", "</critical_rule>",
    "```", "```text", "# ", "\n## S\n", "<!--", "-->", "`", "|", "\0",
};
#define FZ_NFRAGS (sizeof fz_frags / sizeof *fz_frags)

static void fz_text(fz_in *in, fz_str *s, unsigned max_pieces, bool raw_ok) {
  fz_text_from(in, s, fz_frags, FZ_NFRAGS, max_pieces, 4, raw_ok);
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

/* The document's tree against a fresh parse of the naive text. */
static void fz_compare_trees(tl_doc *doc, const fz_str *naive) {
  const gr_tree *t = tl_doc_tree(doc);
  if (gr_tree_check(t, stderr) != 0) abort();
  gr_tree *fresh = gr_parse(naive->items, naive->len, NULL);
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
  bool utf8 = opts & 1, raw = (opts & 2) != 0;
  fz_str naive = {0}, ins = {0};
  fz_text(&in, &naive, 64, raw);

  tl_docs *docs = tl_docs_new();
  tl_doc *doc = tl_docs_open(docs, "file:///fuzz-tmpl.md", naive.items, naive.len, 1);
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

    tl_doc_edit(doc, a, b, ins.items, ins.len);
    fz_naive_edit(&naive, na, nb, ins.items, ins.len);
    fz_compare_text(doc, &naive);
    if (how & 1) fz_compare_trees(doc, &naive);
    if (how & 2) (void)tl_doc_lines(doc); /* a line index that the next edit must drop */

    if (how & 4) { /* undo: the inverse byte edit, then redo */
      tl_doc_edit(doc, na, na + ins.len, removed.items, removed.len);
      fz_naive_edit(&naive, na, na + ins.len, removed.items, removed.len);
      fz_compare_text(doc, &naive);
      if (how & 8) fz_compare_trees(doc, &naive);
      tl_doc_edit(doc, na, na + removed.len, ins.items, ins.len);
      fz_naive_edit(&naive, na, na + removed.len, ins.items, ins.len);
      fz_compare_text(doc, &naive);
    }
    gr_array_free(&removed);
  }
  fz_compare_trees(doc, &naive);
  tl_docs_free(docs);
  gr_array_free(&naive);
  gr_array_free(&ins);
  return 0;
}
