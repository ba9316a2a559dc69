/*
 * fuzz_yaml: libFuzzer target for the YAML front-end. Any bytes must give
 * a tree that passes yt_tree_check and a template view that passes
 * yt_tmpl_check (which checks the tree again), node_at must answer inside
 * the node it names, every diagnostic must lie on the text, and the same
 * bytes must give the same tree twice (no state kept between parses).
 * The features that edit a YAML template read the view too: the outline's
 * links and spans, folds in line order, selection chains that hold the
 * offset and grow strictly to the whole text, tokens sorted, non-empty and
 * on one line. Hover, completion (each trigger, with and without
 * snippets), the cursor's YAML place and the names (references, rename
 * checks) answer at sampled offsets with spans on the text: a hover's
 * span holds its offset, an edit lies on the cursor's line and holds it,
 * and every label is non-empty.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/lines.h"
#include "server/features/completion.h"
#include "server/features/folding.h"
#include "server/features/hover.h"
#include "server/features/selection.h"
#include "server/features/semtokens.h"
#include "server/features/symbols.h"
#include "server/features/ykeys.h"
#include "server/features/ynames.h"
#include "yaml/ytmpl.h"

static void fuzz_yaml__features(const yt_tmpl *tm, const char *text, size_t size) {
  ft_symbols *sy = ft_symbols_new_yaml(tm);
  for (uint32_t i = 0; i < sy->len; i++) {
    const ft_symbol *y = &sy->items[i];
    if (!y->name || !y->name[0] || y->selection.start < y->range.start ||
        y->selection.end > y->range.end || y->range.end > size)
      abort();
    if (y->parent != GR_NONE && (y->parent >= i || sy->items[y->parent].range.start > y->range.start ||
                                 sy->items[y->parent].range.end < y->range.end))
      abort();
  }
  ft_symbols_free(sy);
  gr_lines *lines = gr_lines_new(text, size);
  ft_folds *fo = ft_folding_new_yaml(tm, lines);
  for (size_t i = 0; i < fo->len; i++)
    if (fo->items[i].end_line <= fo->items[i].start_line ||
        fo->items[i].end_line >= gr_lines_count(lines) ||
        (i && fo->items[i].start_line <= fo->items[i - 1].start_line))
      abort();
  ft_folding_free(fo);
  gr_lines_free(lines);
  for (size_t off = 0; off <= size; off += 1 + size / 32) {
    ft_selection *se = ft_selection_yaml_at(tm, (uint32_t)off);
    for (size_t k = 0; k < se->len; k++) {
      gr_span x = se->spans[k];
      if (x.start > off || x.end < off || x.end > size) abort();
      if (k && !(x.start <= se->spans[k - 1].start && x.end >= se->spans[k - 1].end &&
                 x.end - x.start > se->spans[k - 1].end - se->spans[k - 1].start))
        abort();
    }
    if (!se->len || se->spans[se->len - 1].start != 0 || se->spans[se->len - 1].end != size) abort();
    ft_selection_free(se);
  }
  ft_semtoks *to = ft_semtok_yaml_full(tm);
  for (size_t i = 0; i < to->len; i++) {
    const ft_semtok *k = &to->items[i];
    if (k->start >= k->end || k->end > size || (i && k->start < to->items[i - 1].end)) abort();
    if (memchr(text + k->start, '\n', k->end - k->start) || memchr(text + k->start, '\r', k->end - k->start))
      abort();
  }
  ft_semtok_free(to);
}

/* The features that answer at a cursor, at up to 48 offsets. */
static void fuzz_yaml__at(const yt_tmpl *tm, const char *text, size_t size) {
  static const char triggers[] = {0, ' ', '{', ':'};
  for (size_t off = 0; off <= size; off += 1 + size / 48) {
    uint32_t o = (uint32_t)off;
    ft_hover *h = ft_hover_yaml(tm, o);
    if (h && (h->span.end > size || h->span.start > h->span.end || !h->markdown || !h->markdown[0])) abort();
    ft_hover_free(h);
    uint32_t ls = o, le;
    while (ls > 0 && text[ls - 1] != '\n' && text[ls - 1] != '\r') ls--;
    for (le = ls; le < size && text[le] != '\n' && text[le] != '\r';) le++;
    /* between a CR and its LF no client can put the cursor: not asked */
    int inside_crlf = o > 0 && o < size && text[o - 1] == '\r' && text[o] == '\n';
    for (int k = 0; k < 8 && !inside_crlf; k++) {
      ft_completions *c = ft_completion_yaml(tm, o, k & 1, triggers[k / 2]);
      for (size_t i = 0; i < c->len; i++) {
        const ft_comp_item *x = &c->items[i];
        if (!x->label || !x->label[0] || !x->text || x->edit.start > o || x->edit.end < o ||
            x->edit.start < ls || x->edit.end > le || (x->snippet && !(k & 1)))
          abort();
      }
      if (c->len > FT_COMP_MAX_ITEMS) abort();
      ft_completion_free(c);
    }
    ft_yctx cx;
    ft_yctx_at(text, (uint32_t)size, o, &cx);
    if (cx.key.end > size || cx.value.end > size || cx.key.start > cx.key.end) abort();
    ft_yctx_free(&cx);
    ft_name_at at;
    if (ft_ynames_at(tm, o, &at) != 0) continue;
    if (at.key.end > size || at.key.start > at.key.end) abort();
    ft_name_refs refs = {0};
    ft_ynames_find(tm, at.kind, text + at.key.start, at.key.end - at.key.start, &refs);
    for (size_t i = 0; i < refs.len; i++)
      if (refs.items[i].token.end > size || refs.items[i].name.end > refs.items[i].token.end) abort();
    gr_span where;
    ft_ynames_check(tm, at.kind, &refs, "new_name", 8, &where);
    ft_ynames_check(tm, at.kind, &refs, "a: b", 4, &where);
    ft_name_refs_free(&refs);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *text = (const char *)data;
  yt_tmpl *tm = yt_tmpl_parse(text, size);
  if (yt_tmpl_check(tm, stderr) != 0) abort();
  const yt_tree *t = yt_tmpl_tree(tm);
  for (size_t off = 0; off <= size; off += 1 + size / 64) {
    uint32_t i = yt_tree_node_at(t, (uint32_t)off);
    if (i == YT_NONE) continue;
    const yt_node *n = yt_tree_node(t, i);
    if (!n) abort();
    int in_span = n->span.start <= off && off <= n->span.end;
    int in_key = n->key_text && n->key.start <= off && off <= n->key.end;
    if (!in_span && !in_key) abort();
  }
  for (uint32_t k = 0; k < yt_tmpl_diag_count(tm); k++) {
    const yt_diag *d = yt_tmpl_diag(tm, k);
    if (d->span.end > size || !d->message[0]) abort();
  }
  if (size < UINT32_MAX) fuzz_yaml__features(tm, text, size);
  if (size < UINT32_MAX) fuzz_yaml__at(tm, text, size);
  yt_tree *u = yt_parse(text, size);
  if (yt_tree_count(u) != yt_tree_count(t) || yt_tree_diag_count(u) != yt_tree_diag_count(t))
    abort();
  for (uint32_t i = 0; i < yt_tree_count(t); i++) {
    const yt_node *a = yt_tree_node(t, i), *b = yt_tree_node(u, i);
    if (a->kind != b->kind || a->span.start != b->span.start || a->span.end != b->span.end ||
        a->parent != b->parent || a->value_len != b->value_len ||
        (a->value && memcmp(a->value, b->value, a->value_len) != 0))
      abort();
  }
  yt_tree_free(u);
  yt_tmpl_free(tm);
  return 0;
}
