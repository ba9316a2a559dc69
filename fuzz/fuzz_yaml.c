/*
 * fuzz_yaml: libFuzzer target for the YAML front-end. Any bytes must give
 * a tree that passes yt_tree_check and a template view that passes
 * yt_tmpl_check (which checks the tree again), node_at must answer inside
 * the node it names, every diagnostic must lie on the text, and the same
 * bytes must give the same tree twice (no state kept between parses).
 * The features that edit a YAML template read the view too: the outline's
 * links and spans, folds in line order, selection chains that hold the
 * offset and grow strictly to the whole text, tokens sorted, non-empty and
 * on one line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/lines.h"
#include "server/features/folding.h"
#include "server/features/selection.h"
#include "server/features/semtokens.h"
#include "server/features/symbols.h"
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
