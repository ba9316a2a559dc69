/*
 * fuzz_yaml: libFuzzer target for the YAML front-end. Any bytes must give
 * a tree that passes yt_tree_check and a template view that passes
 * yt_tmpl_check (which checks the tree again), node_at must answer inside
 * the node it names, every diagnostic must lie on the text, and the same
 * bytes must give the same tree twice (no state kept between parses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml/ytmpl.h"

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
