/*
 * fuzz_parse: libFuzzer target for the grammar. Any bytes must parse into
 * a tree that passes gr_tree_check, with node_at answering for every
 * offset, and the same bytes must give the same tree twice, in both modes
 * (template and document). The first byte picks the limits, so small depth
 * and node budgets are exercised too.
 * Every byte classifier the CPU has must give the byte loop's bitmaps.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/bitmap.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"

static void check_classifiers(const char *text, uint32_t len) {
  gr_bitmap ref, got;
  size_t bytes = (((size_t)len + 63) / 64 + 1) * sizeof(uint64_t);
  gr_bitmap_build(&ref, text, len, GR_BITMAP_SCALAR);
  for (int impl = GR_BITMAP_SSE2; impl <= GR_BITMAP_AVX512; impl++) {
    gr_bitmap_build(&got, text, len, (gr_bitmap_impl)impl);
    if (memcmp(ref.nl, got.nl, bytes) || memcmp(ref.pair, got.pair, bytes) ||
        memcmp(ref.mark, got.mark, bytes) || memcmp(ref.line, got.line, bytes))
      abort();
    gr_bitmap_free(&got);
  }
  gr_bitmap_free(&ref);
}

static void check_mode(const char *text, size_t size, gr_options opts);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  gr_options opts = {0, 0, GR_MODE_TEMPLATE};
  if (size > 0) {
    if (data[0] & 1) opts.max_depth = 2 + (data[0] >> 4);
    if (data[0] & 2) opts.max_nodes = 1 + (data[0] >> 2);
    data++, size--;
  }
  const char *text = (const char *)data;
  check_classifiers(text, (uint32_t)size);
  check_mode(text, size, opts);
  opts.mode = GR_MODE_DOCUMENT;
  check_mode(text, size, opts);
  return 0;
}

static void check_mode(const char *text, size_t size, gr_options opts) {
  gr_tree *t = gr_parse(text, size, &opts);
  if (gr_tree_mode(t) != opts.mode) abort();
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
}
