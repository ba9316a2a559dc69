/*
 * handlers_features.c: the JSON glue of the template features. Each
 * handler reads its params, asks server/features/ for plain C results in
 * byte spans, and turns them into LSP JSON; positions and ranges go through
 * protocol/position only. The documents are parsed (TL_M_TREE): c->doc's
 * tree and line index belong to the same, current text. A YAML template's
 * Markdown tree is empty: outline, folding, selection and tokens read its
 * YAML view instead (tl__yaml), through each feature's YAML constructor,
 * which gives the same results.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/features/folding.h"
#include "server/features/hover.h"
#include "server/features/selection.h"
#include "server/features/semtokens.h"
#include "server/features/symbols.h"
#include "protocol/jsonw.h"
#include "server/lsp/session_impl.h"

void tl_features_capabilities(json_t *caps) {
  size_t nt, nm;
  const char *const *types = ft_semtok_type_names(&nt);
  const char *const *mods = ft_semtok_modifier_names(&nm);
  json_t *jt = json_array(), *jm = json_array();
  for (size_t i = 0; i < nt; i++) json_array_append_new(jt, json_string(types[i]));
  for (size_t i = 0; i < nm; i++) json_array_append_new(jm, json_string(mods[i]));
  json_object_set_new(caps, "documentSymbolProvider", json_true());
  json_object_set_new(caps, "foldingRangeProvider", json_true());
  json_object_set_new(caps, "semanticTokensProvider",
                      json_pack("{s:{s:o,s:o},s:b,s:{s:b}}", "legend", "tokenTypes", jt, "tokenModifiers", jm, "range", 1,
                                "full", "delta", 1));
  json_object_set_new(caps, "hoverProvider", json_true());
  json_object_set_new(caps, "selectionRangeProvider", json_true());
}

/* The YAML view of an open YAML template, NULL for any other file (a
 * stranger's YAML keeps its empty Markdown tree: nothing). */
static const yt_tmpl *tl__yaml(tl_call *c) {
  return tl_doc_kind(c->doc) == TL_SOURCE_YAML_TEMPLATE ? tl_doc_yaml(c->doc) : NULL;
}

/* ---- replies kept across inert edits ------------------------------------ */

/*
 * The last outline and folding ranges written for each open document, as
 * JSON text, kept while every edit since was inert (docs.h: tl_doc_shape)
 * and touched no line the reply depends on. Typing into a paragraph of a
 * 1 MB template then costs the outline a copy of 627 KB instead of a walk
 * of the tree, 2,838 names and 11,352 positions. Folding ranges depend on
 * no such line (an inert edit moves no node to another line); an outline
 * depends on the lines of its symbols' ends and of their selection ranges
 * (the names are read there). Entries go when the document closes
 * (tl_features_forget).
 */
typedef enum { TL_KEPT_SYMBOLS, TL_KEPT_FOLDING, TL_KEPT_KINDS } tl__kept_kind;

typedef GR_ARRAY(uint32_t) tl__line_list;

typedef struct tl__kept {
  tl_doc *doc;
  bool valid[TL_KEPT_KINDS];
  uint64_t shape[TL_KEPT_KINDS];  /* tl_doc_shape when written */
  size_t inert_seen[TL_KEPT_KINDS]; /* inert edits checked so far */
  rpc_buf json[TL_KEPT_KINDS];
  tl__line_list symbol_lines; /* sorted, unique: the lines the outline depends on */
} tl__kept;

struct tl_kept_cache {
  GR_ARRAY(tl__kept) docs;
};

static tl__kept *tl__kept_entry(tl_session *s, tl_doc *doc) {
  if (!s->kept) s->kept = gr_calloc(1, sizeof *s->kept);
  for (size_t i = 0; i < s->kept->docs.len; i++)
    if (s->kept->docs.items[i].doc == doc) return &s->kept->docs.items[i];
  tl__kept k;
  memset(&k, 0, sizeof k);
  k.doc = doc;
  gr_array_push(&s->kept->docs, k);
  return &s->kept->docs.items[s->kept->docs.len - 1];
}

static void tl__kept_clear(tl__kept *k) {
  for (int i = 0; i < TL_KEPT_KINDS; i++) gr_array_free(&k->json[i]);
  gr_array_free(&k->symbol_lines);
}

static bool tl__kept_has_line(const tl__kept *k, uint32_t line) {
  size_t lo = 0, hi = k->symbol_lines.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (k->symbol_lines.items[mid] < line) lo = mid + 1;
    else hi = mid;
  }
  return lo < k->symbol_lines.len && k->symbol_lines.items[lo] == line;
}

/* The kept reply of `kind`, if it still holds for the document's text. */
static const rpc_buf *tl__kept_get(tl_call *c, tl__kept_kind kind) {
  tl__kept *k = tl__kept_entry(c->s, c->doc);
  if (!k->valid[kind] || k->shape[kind] != tl_doc_shape(c->doc)) return NULL;
  size_t n;
  const uint32_t *lines = tl_doc_inert_lines(c->doc, &n);
  if (kind == TL_KEPT_SYMBOLS)
    for (size_t i = k->inert_seen[kind]; i < n; i++)
      if (tl__kept_has_line(k, lines[i])) {
        k->valid[kind] = false;
        return NULL;
      }
  k->inert_seen[kind] = n;
  return &k->json[kind];
}

/* A miss: the kept reply of `kind` no longer holds; its room goes before
 * the new one is written (an outline of a 10 MB template is 6.4 MB).
 * Returns its length, the size to expect. */
static size_t tl__kept_drop(tl_call *c, tl__kept_kind kind) {
  tl__kept *k = tl__kept_entry(c->s, c->doc);
  size_t n = k->json[kind].len;
  k->valid[kind] = false;
  gr_array_free(&k->json[kind]);
  return n;
}

/* Keep c->raw as the reply of `kind` for the document's current text, and
 * send it from there (tl_call.raw_kept): the reply is not copied. */
static void tl__kept_put(tl_call *c, tl__kept_kind kind) {
  tl__kept *k = tl__kept_entry(c->s, c->doc);
  gr_array_free(&k->json[kind]);
  k->json[kind] = c->raw;
  memset(&c->raw, 0, sizeof c->raw);
  rpc_buf *j = &k->json[kind];
  if (j->cap > 2 * j->len + 4096) { /* the room was a guess (tl__symbols_write): keep what is used */
    j->items = gr_realloc(j->items, j->len ? j->len : 1);
    j->cap = j->len ? j->len : 1;
  }
  c->raw_kept = &k->json[kind];
  k->valid[kind] = true;
  k->shape[kind] = tl_doc_shape(c->doc);
  tl_doc_inert_lines(c->doc, &k->inert_seen[kind]);
}

static int tl__u32_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/*
 * Sort and make unique the line numbers in *a, each below `count` (the
 * text's lines), for tl__kept_has_line: through a bitmap of the lines when
 * there are more numbers than a 64th of the lines (an outline gives four
 * or more per symbol; sorting them was a tenth of a 1 MB template's), else
 * by qsort. Either way the same list.
 */
static void tl__lines_sort_unique(tl__line_list *a, uint32_t count) {
  size_t u = 0;
  bool dense = a->len > 1 && a->len >= count / 64;
  for (size_t i = 0; dense && i < a->len; i++) dense = a->items[i] < count;
  if (dense) {
    size_t words = ((size_t)count + 63) / 64;
    uint64_t *bits = gr_calloc(words, sizeof *bits);
    for (size_t i = 0; i < a->len; i++) bits[a->items[i] / 64] |= 1ull << (a->items[i] % 64);
    for (size_t w = 0; w < words; w++)
      for (uint64_t x = bits[w]; x; x &= x - 1) a->items[u++] = (uint32_t)(w * 64 + (size_t)__builtin_ctzll(x));
    gr_free(bits);
    a->len = u;
    return;
  }
  if (a->len > 1) qsort(a->items, a->len, sizeof *a->items, tl__u32_cmp);
  for (size_t i = 0; i < a->len; i++)
    if (!u || a->items[u - 1] != a->items[i]) a->items[u++] = a->items[i];
  a->len = u;
}

/* ---- textDocument/documentSymbol ---------------------------------------- */

/* The outline as JSON text (protocol/jsonw.h): an outline of thousands of
 * symbols is the largest reply of an edit-and-look loop, and building it
 * as a jansson tree and dumping that cost four times the outline itself
 * (1 MB document, 2,838 symbols). */
static void tl__symbols_write(tl_call *c, const ft_symbols *syms, const lsp_text *t, bool hierarchical,
                              tl__kept *k, size_t last_len) {
  rpc_buf *b = &c->raw;
  /* Room for about the last outline at once, or for 256 bytes a symbol
   * (a 10 MB template's: 226) and the URI of each when flat: growing there
   * held the old and the new room at once (6.4 MB of outline, 12 MB held). */
  size_t guess = (size_t)syms->len * (256 + (hierarchical ? 0 : strlen(tl_doc_uri(c->doc))));
  gr_array_reserve(b, (last_len > guess ? last_len : guess) + 4096);
  k->symbol_lines.len = 0;
  /* Symbols come in pre-order: their starts are in text order, converted
   * in one pass (lsp_pos_cursor), their ends by lsp_pos_at: the line searches
   * were a fifth of an outline of 2,838 symbols (1 MB template); about
   * 2.8 -> 2.5 ms (release build, medians of 100 requests, noisy). */
  lsp_pos_cursor cur;
  lsp_pos_cursor_init(&cur, t);
  jw_raw(b, "[", 1);
  if (hierarchical) {
    /* DocumentSymbol[]: the list is in pre-order, every parent before its
     * children; open[] holds the symbols whose "children" are still being
     * written, each with how many it has written. */
    GR_ARRAY(uint32_t) open = {0}, written = {0};
    uint32_t top_written = 0;
    for (uint32_t i = 0; i < syms->len; i++) {
      const ft_symbol *y = &syms->items[i];
      while (open.len && open.items[open.len - 1] != y->parent) { /* a list cut short: close it */
        jw_raw(b, "]}", 2);
        open.len--, written.len--;
      }
      uint32_t *n = open.len ? &written.items[written.len - 1] : &top_written;
      if ((*n)++) jw_raw(b, ",", 1);
      jw_lit(b, "{\"name\":");
      jw_str(b, y->name, strlen(y->name));
      if (y->detail) {
        jw_lit(b, ",\"detail\":");
        jw_str(b, y->detail, strlen(y->detail));
      }
      jw_lit(b, ",\"kind\":");
      jw_int(b, ft_symbol_kind_lsp(y->kind));
      /* the starts through the cursor, in text order; the range's end
       * (a parent's comes after its children's) by lsp_pos_at */
      gr_pos rs = lsp_pos_cursor_at(&cur, y->range.start), ss = lsp_pos_cursor_at(&cur, y->selection.start);
      gr_pos se = lsp_pos_cursor_at(&cur, y->selection.end < y->selection.start ? y->selection.start : y->selection.end);
      gr_pos re = lsp_pos_at(t, y->range.end < y->range.start ? y->range.start : y->range.end);
      jw_lit(b, ",\"range\":");
      jw_range_pos(b, rs, re);
      jw_lit(b, ",\"selectionRange\":");
      jw_range_pos(b, ss, se);
      gr_array_push(&k->symbol_lines, rs.line);
      gr_array_push(&k->symbol_lines, re.line);
      for (uint32_t l = ss.line; l <= se.line; l++) gr_array_push(&k->symbol_lines, l);
      if (y->child_count) {
        jw_lit(b, ",\"children\":[");
        gr_array_push(&open, i);
        gr_array_push(&written, 0);
        continue;
      }
      jw_raw(b, "}", 1);
      /* close the lists this symbol was the last of */
      while (open.len && written.items[written.len - 1] == syms->items[open.items[open.len - 1]].child_count) {
        jw_raw(b, "]}", 2);
        open.len--, written.len--;
      }
    }
    for (; open.len; open.len--) jw_raw(b, "]}", 2);
    gr_array_free(&open);
    gr_array_free(&written);
  } else {
    /* SymbolInformation[] for clients without hierarchy: flat, with the
     * enclosing symbol's name as containerName. */
    const char *uri = tl_doc_uri(c->doc);
    for (uint32_t i = 0; i < syms->len; i++) {
      const ft_symbol *y = &syms->items[i];
      jw_lit(b, i ? ",{\"name\":" : "{\"name\":");
      jw_str(b, y->name, strlen(y->name));
      jw_lit(b, ",\"kind\":");
      jw_int(b, ft_symbol_kind_lsp(y->kind));
      jw_lit(b, ",\"location\":{\"uri\":");
      jw_str(b, uri, strlen(uri));
      gr_pos rs = lsp_pos_cursor_at(&cur, y->range.start);
      gr_pos re = lsp_pos_at(t, y->range.end < y->range.start ? y->range.start : y->range.end);
      jw_lit(b, ",\"range\":");
      jw_range_pos(b, rs, re);
      gr_array_push(&k->symbol_lines, rs.line);
      gr_array_push(&k->symbol_lines, re.line);
      /* the name is read from the selection span (not sent here) */
      uint32_t sl = gr_lines_line_of(t->lines, y->selection.start);
      uint32_t el = gr_lines_line_of(t->lines, y->selection.end < y->selection.start ? y->selection.start : y->selection.end);
      for (uint32_t l = sl; l <= el; l++) gr_array_push(&k->symbol_lines, l);
      jw_raw(b, "}", 1);
      if (y->parent != GR_NONE) {
        jw_lit(b, ",\"containerName\":");
        jw_str(b, syms->items[y->parent].name, strlen(syms->items[y->parent].name));
      }
      jw_raw(b, "}", 1);
    }
  }
  jw_raw(b, "]", 1);
  tl__lines_sort_unique(&k->symbol_lines, gr_lines_count(t->lines));
}

void tl_h_document_symbol(tl_call *c) {
  const rpc_buf *kept = tl__kept_get(c, TL_KEPT_SYMBOLS);
  if (kept) {
    c->raw_kept = kept;
    return;
  }
  size_t last_len = tl__kept_drop(c, TL_KEPT_SYMBOLS);
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  const yt_tmpl *ym = tl__yaml(c);
  ft_symbols *syms = ym ? ft_symbols_new_yaml(ym) : ft_symbols_new(tl_doc_tree(c->doc));
  bool hierarchical = json_is_true(tl_client_cap(c->s, "textDocument.documentSymbol.hierarchicalDocumentSymbolSupport"));
  tl__symbols_write(c, syms, &t, hierarchical, tl__kept_entry(c->s, c->doc), last_len);
  ft_symbols_free(syms);
  tl__kept_put(c, TL_KEPT_SYMBOLS);
}

/* ---- textDocument/foldingRange ------------------------------------------ */

void tl_h_folding_range(tl_call *c) {
  const rpc_buf *kept = tl__kept_get(c, TL_KEPT_FOLDING);
  if (kept) {
    c->raw_kept = kept;
    return;
  }
  tl__kept_drop(c, TL_KEPT_FOLDING);
  const yt_tmpl *ym = tl__yaml(c);
  const gr_lines *lines = tl_doc_lines(c->doc);
  ft_folds *folds = ym ? ft_folding_new_yaml(ym, lines) : ft_folding_new(tl_doc_tree(c->doc), lines);
  /* The client may cap how many ranges it wants; the outer ones (first in
   * line order) are kept. */
  json_t *limit = tl_client_cap(c->s, "textDocument.foldingRange.rangeLimit");
  size_t n = folds->len;
  if (json_is_integer(limit) && json_integer_value(limit) >= 0 && (size_t)json_integer_value(limit) < n)
    n = (size_t)json_integer_value(limit);
  /* As JSON text (protocol/jsonw.h): the jansson tree of the ranges and
   * its dump were most of the response on a 1 MB template: 4.1 -> 0.65 ms
   * (release build, the median of 100 requests). */
  rpc_buf *b = &c->raw;
  jw_raw(b, "[", 1);
  for (size_t i = 0; i < n; i++) {
    const ft_fold *f = &folds->items[i];
    jw_lit(b, i ? ",{\"startLine\":" : "{\"startLine\":");
    jw_int(b, f->start_line);
    jw_lit(b, ",\"endLine\":");
    jw_int(b, f->end_line);
    jw_lit(b, f->kind == FT_FOLD_COMMENT ? ",\"kind\":\"comment\"}" : ",\"kind\":\"region\"}");
  }
  jw_raw(b, "]", 1);
  ft_folding_free(folds);
  tl__kept_put(c, TL_KEPT_FOLDING);
}

/* ---- textDocument/semanticTokens/full, /full/delta and /range ---------- */

typedef GR_ARRAY(uint32_t) tl__u32s;

/* LSP's relative encoding: (deltaLine, deltaStart, length, type, modifiers),
 * columns and lengths in the negotiated encoding. Tokens are on one line.
 * The positions come in text order: one cursor walks them (lsp_pos_cursor),
 * no line search per token. */
static void tl__tokens_encode(const lsp_text *t, const ft_semtoks *toks, tl__u32s *data) {
  lsp_pos_cursor cur;
  lsp_pos_cursor_init(&cur, t);
  uint32_t prev_line = 0, prev_col = 0;
  gr_array_reserve(data, toks->len * 5);
  for (size_t i = 0; i < toks->len; i++) {
    const ft_semtok *k = &toks->items[i];
    gr_pos a = lsp_pos_cursor_at(&cur, k->start), b = lsp_pos_cursor_at(&cur, k->end);
    if (b.line != a.line || b.col <= a.col) continue; /* not a one-line token: cannot be sent */
    uint32_t v[5] = {a.line - prev_line, a.line == prev_line ? a.col - prev_col : a.col, b.col - a.col, k->type,
                     k->mods};
    for (int j = 0; j < 5; j++) data->items[data->len++] = v[j];
    prev_line = a.line;
    prev_col = a.col;
  }
}

/* v[0..n) as a JSON array. */
static void tl__u32s_write(rpc_buf *b, const uint32_t *v, size_t n) {
  jw_raw(b, "[", 1);
  for (size_t i = 0; i < n; i++) {
    if (i) jw_raw(b, ",", 1);
    jw_int(b, v[i]);
  }
  jw_raw(b, "]", 1);
}

/*
 * The last tokens sent for each open document (as /full or /full/delta),
 * under a resultId: what a delta is computed against. One entry per
 * document; it goes when the document closes (tl_features_forget).
 */
typedef struct tl__semtok_last {
  tl_doc *doc;
  uint64_t id;
  tl__u32s data;
} tl__semtok_last;

struct tl_semtok_cache {
  GR_ARRAY(tl__semtok_last) docs;
  uint64_t next_id; /* resultIds "1", "2", ...: never repeated in a session */
};

static tl__semtok_last *tl__semtok_entry(tl_session *s, tl_doc *doc, bool make) {
  if (!s->semtoks) {
    if (!make) return NULL;
    s->semtoks = gr_calloc(1, sizeof *s->semtoks);
  }
  for (size_t i = 0; i < s->semtoks->docs.len; i++)
    if (s->semtoks->docs.items[i].doc == doc) return &s->semtoks->docs.items[i];
  if (!make) return NULL;
  tl__semtok_last e = {doc, 0, {0}};
  gr_array_push(&s->semtoks->docs, e);
  return &s->semtoks->docs.items[s->semtoks->docs.len - 1];
}

void tl_features_forget(tl_session *s, tl_doc *doc) {
  for (size_t i = 0; s->kept && i < s->kept->docs.len; i++) {
    if (s->kept->docs.items[i].doc != doc) continue;
    tl__kept_clear(&s->kept->docs.items[i]);
    s->kept->docs.items[i] = s->kept->docs.items[--s->kept->docs.len];
    break;
  }
  if (!s->semtoks) return;
  for (size_t i = 0; i < s->semtoks->docs.len; i++) {
    if (s->semtoks->docs.items[i].doc != doc) continue;
    gr_array_free(&s->semtoks->docs.items[i].data);
    s->semtoks->docs.items[i] = s->semtoks->docs.items[--s->semtoks->docs.len];
    return;
  }
}

void tl_features_free(tl_session *s) {
  if (s->kept) {
    for (size_t i = 0; i < s->kept->docs.len; i++) tl__kept_clear(&s->kept->docs.items[i]);
    gr_array_free(&s->kept->docs);
    gr_free(s->kept);
    s->kept = NULL;
  }
  if (!s->semtoks) return;
  for (size_t i = 0; i < s->semtoks->docs.len; i++) gr_array_free(&s->semtoks->docs.items[i].data);
  gr_array_free(&s->semtoks->docs);
  gr_free(s->semtoks);
  s->semtoks = NULL;
}

/* Keep `data` (taken) as the document's last tokens, under a new resultId, and write "resultId":"N". */
static void tl__semtok_keep(tl_call *c, tl__u32s *data) {
  tl__semtok_last *e = tl__semtok_entry(c->s, c->doc, true);
  gr_array_free(&e->data);
  e->data = *data;
  memset(data, 0, sizeof *data);
  e->id = ++c->s->semtoks->next_id;
  jw_lit(&c->raw, "\"resultId\":\"");
  jw_int(&c->raw, (long long)e->id);
  jw_raw(&c->raw, "\"", 1);
}

static const tl_document *tl__semtok_document(tl_call *c); /* below */

/* The tokens of the whole document, encoded. */
static void tl__semtok_full_data(tl_call *c, const lsp_text *t, tl__u32s *data) {
  const yt_tmpl *ym = tl__yaml(c);
  ft_semtoks *toks = ym ? ft_semtok_yaml_full(ym) : ft_semtok_full(tl_doc_tree(c->doc), tl__semtok_document(c));
  tl__tokens_encode(t, toks, data);
  ft_semtok_free(toks);
}

/* {"data":[...],"resultId":"N"}, keeping the tokens (taken). */
static void tl__semtok_write_full(tl_call *c, tl__u32s *data) {
  jw_lit(&c->raw, "{\"data\":");
  tl__u32s_write(&c->raw, data->items, data->len);
  jw_raw(&c->raw, ",", 1);
  tl__semtok_keep(c, data);
  jw_raw(&c->raw, "}", 1);
}

/* A document's model (against its template), for the placeholder rule; NULL for a template. */
static const tl_document *tl__semtok_document(tl_call *c) {
  if (tl_doc_is_template(c->doc) || !c->s->wsi) return NULL;
  tl_wsi_view v;
  if (tl_wsi_view_of(c->s->wsi, c->doc, &v) != 0) return NULL;
  return v.is_template ? NULL : v.document;
}

/*
 * SemanticTokens as JSON text (protocol/jsonw.h), the positions in one
 * pass. On a 1 MB template (24,000 tokens) the jansson array of 120,000
 * integers and its dump were two thirds of the response: 7.3 -> 2.3 ms
 * (release build, the median of 100 requests).
 */
void tl_h_semantic_tokens_full(tl_call *c) {
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  tl__u32s data = {0};
  tl__semtok_full_data(c, &t, &data);
  tl__semtok_write_full(c, &data);
}

/*
 * The tokens against the ones last sent under params.previousResultId: one
 * edit replacing what lies between their common prefix and their common
 * suffix, in whole tokens (ft_semtok_delta), as the best servers answer (a
 * keystroke changes the tokens of one place, and the tokens after it keep
 * their relative encoding); no edit when nothing changed. A resultId that
 * is not the document's last (never sent, or an older one) gets the full
 * tokens, as LSP allows. On a 1 MB template the answer with no change is
 * 65 bytes instead of 118 KB (1.4 ms, the tokens' computation; /full 2.3).
 */
void tl_h_semantic_tokens_delta(tl_call *c) {
  const char *prev = tl_json_string(c->params, "previousResultId");
  if (!prev) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.previousResultId must be a string");
    return;
  }
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  tl__u32s data = {0};
  tl__semtok_full_data(c, &t, &data);
  tl__semtok_last *e = tl__semtok_entry(c->s, c->doc, false);
  char id[24];
  if (e) snprintf(id, sizeof id, "%llu", (unsigned long long)e->id);
  if (!e || strcmp(prev, id) != 0) {
    tl__semtok_write_full(c, &data);
    return;
  }
  ft_semtok_edit ed;
  int changed = ft_semtok_delta(e->data.items, e->data.len, data.items, data.len, &ed);
  jw_lit(&c->raw, "{");
  tl__semtok_keep(c, &data); /* e->data is now the new tokens */
  jw_lit(&c->raw, ",\"edits\":[");
  if (changed) {
    jw_lit(&c->raw, "{\"start\":");
    jw_int(&c->raw, (long long)ed.start);
    jw_lit(&c->raw, ",\"deleteCount\":");
    jw_int(&c->raw, (long long)ed.delete_count);
    jw_lit(&c->raw, ",\"data\":");
    tl__u32s_write(&c->raw, e->data.items + ed.data_start, ed.data_count);
    jw_raw(&c->raw, "}", 1);
  }
  jw_lit(&c->raw, "]}");
}

void tl_h_semantic_tokens_range(tl_call *c) {
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  size_t start, end;
  if (lsp_range_from_json(&t, json_object_get(c->params, "range"), &start, &end) != 0) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.range must be a Range");
    return;
  }
  gr_span span = {(uint32_t)start, (uint32_t)end};
  const yt_tmpl *ym = tl__yaml(c);
  ft_semtoks *toks =
      ym ? ft_semtok_yaml_range(ym, span) : ft_semtok_range(tl_doc_tree(c->doc), tl__semtok_document(c), span);
  tl__u32s data = {0};
  tl__tokens_encode(&t, toks, &data);
  ft_semtok_free(toks);
  jw_lit(&c->raw, "{\"data\":");
  tl__u32s_write(&c->raw, data.items, data.len);
  jw_raw(&c->raw, "}", 1);
  gr_array_free(&data);
}

/* ---- textDocument/hover ------------------------------------------------- */

/* The last segment of a URI's path: how another template is named in a hover. */
static const char *tl__uri_name(const char *uri) {
  const char *slash = strrchr(uri, '/');
  return slash && slash[1] ? slash + 1 : uri;
}

void tl_h_hover(tl_call *c) {
  tl_session *s = c->s;
  size_t offset;
  if (tl_call_position(c, &offset) != 0) return;
  lsp_text t = tl_doc_lsp_text(s, c->doc);
  ft_hover *h = NULL;
  if (tl_doc_kind(c->doc) == TL_SOURCE_YAML_TEMPLATE) {
    /* The YAML file itself: its keys, values and {{vars}} (its Markdown tree is empty). */
    h = ft_hover_yaml(tl_doc_yaml(c->doc), (uint32_t)offset);
  } else {
    /* A document: its template's guidance for the section (handlers_workspace.c). */
    if (!tl_doc_is_template(c->doc) && tl_ws_hover(c, offset)) return;
    /* The other open templates, for "where else is this name used". */
    GR_ARRAY(ft_hover_source) others = {0};
    for (size_t i = 0; i < tl_docs_count(s->docs); i++) {
      tl_doc *d = tl_docs_at(s->docs, i);
      if (d == c->doc || !tl_doc_is_template(d)) continue;
      ft_hover_source src = {tl__uri_name(tl_doc_uri(d)), tl_doc_tree(d), tl_doc_lines(d)};
      gr_array_push(&others, src);
    }
    h = ft_hover_at(tl_doc_tree(c->doc), tl_doc_lines(c->doc), (uint32_t)offset, others.items, others.len);
    gr_array_free(&others);
  }
  if (!h) return; /* null: nothing to say here */
  c->result = json_pack("{s:{s:s,s:s},s:o}", "contents", "kind", "markdown", "value", h->markdown, "range",
                        lsp_range_to_json(&t, h->span.start, h->span.end));
  ft_hover_free(h);
  if (!c->result) tl_fail(c, RPC_E_INTERNAL_ERROR, "the hover text is not valid UTF-8");
}

/* ---- textDocument/selectionRange ---------------------------------------- */

void tl_h_selection_range(tl_call *c) {
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  json_t *positions = json_object_get(c->params, "positions");
  size_t i;
  json_t *p;
  if (!json_is_array(positions)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.positions must be an array of Position");
    return;
  }
  /* Each position's chain is as deep as the parser's nesting: bounded
   * work per position, so a bounded number of positions (editors send
   * one per cursor). */
  if (json_array_size(positions) > TL_MAX_POSITIONS) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.positions holds %zu positions; at most %d are answered",
            json_array_size(positions), TL_MAX_POSITIONS);
    return;
  }
  json_array_foreach(positions, i, p) {
    size_t off;
    if (lsp_pos_from_json(&t, p, &off) != 0) {
      tl_fail(c, RPC_E_INVALID_PARAMS, "params.positions[%zu] must be a Position", i);
      return;
    }
  }
  const yt_tmpl *ym = tl__yaml(c);
  const gr_tree *tree = ym ? NULL : tl_doc_tree(c->doc);
  json_t *out = json_array();
  json_array_foreach(positions, i, p) {
    size_t off = 0;
    lsp_pos_from_json(&t, p, &off);
    ft_selection *sel =
        ym ? ft_selection_yaml_at(ym, (uint32_t)off) : ft_selection_at(tree, tl_doc_lines(c->doc), (uint32_t)off);
    /* Innermost first in the chain; LSP nests outward through "parent". */
    json_t *node = NULL;
    for (size_t k = sel->len; k-- > 0;) {
      json_t *o = json_object();
      json_object_set_new(o, "range", lsp_range_to_json(&t, sel->spans[k].start, sel->spans[k].end));
      if (node) json_object_set_new(o, "parent", node);
      node = o;
    }
    json_array_append_new(out, node);
    ft_selection_free(sel);
  }
  c->result = out;
}
