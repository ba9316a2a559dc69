/*
 * fuzz_parse: libFuzzer target for the grammar. Any bytes must parse into
 * a tree that passes gr_tree_check, with node_at answering for every
 * offset, and the same bytes must give the same tree twice. The first byte
 * picks the limits, so small depth and node budgets are exercised too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/grammar.h"
#include "grammar/lines.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gr_options opts = {0, 0};
  if (size > 0) {
    if (data[0] & 1) opts.max_depth = 2 + (data[0] >> 4);
    if (data[0] & 2) opts.max_nodes = 1 + (data[0] >> 2);
    data++, size--;
  }
  const char *text = (const char *)data;
  gr_tree *t = gr_parse(text, size, &opts);
  if (gr_tree_check(t, stderr) != 0) abort();
  for (size_t off = 0; off <= size; off += 1 + size / 64) {
    uint32_t i = gr_tree_node_at(t, (uint32_t)off);
    const gr_node *n = gr_tree_node(t, i);
    if (!n || (i != 0 && (n->span.start > off || off > n->span.end))) abort();
  }
  gr_tree *u = gr_parse(text, size, &opts);
  if (gr_tree_count(t) != gr_tree_count(u) || gr_tree_diag_count(t) != gr_tree_diag_count(u))
    abort();
  for (uint32_t i = 0; i < gr_tree_count(t); i++)
    if (memcmp(gr_tree_node(t, i), gr_tree_node(u, i), sizeof(gr_node)) != 0) abort();
  /* Positions round-trip through the line index on character boundaries. */
  gr_lines *l = gr_lines_new(text, size);
  for (uint32_t k = 0; k < gr_tree_diag_count(t); k++) {
    size_t off = gr_tree_diag(t, k)->span.start;
    gr_pos p = gr_lines_pos(l, text, off, GR_UNIT_UTF16);
    size_t back = gr_lines_offset(l, text, p, GR_UNIT_UTF16);
    if (back > size) abort();
  }
  gr_lines_free(l);
  gr_tree_free(u);
  gr_tree_free(t);
  return 0;
}
