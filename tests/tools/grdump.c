/*
 * grdump: parse files with the grammar and print what it sees.
 *   grdump FILE...        the tree (S-expressions) and diagnostics
 *   grdump -d FILE...     diagnostics only, as "file:line:col: code: message"
 * Every tree is checked with gr_tree_check; a broken invariant exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"

static char *slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = gr_malloc(cap);
  while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = gr_realloc(buf, cap *= 2);
  }
  if (f != stdin) fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  int diags_only = 0, status = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-d") == 0) {
      diags_only = 1;
      continue;
    }
    size_t len;
    char *text = slurp(argv[i], &len);
    if (!text) {
      fprintf(stderr, "grdump: cannot read %s\n", argv[i]);
      status = 2;
      continue;
    }
    gr_tree *tree = gr_parse(text, len, NULL);
    if (gr_tree_check(tree, stderr) != 0) {
      fprintf(stderr, "grdump: %s: tree invariants broken\n", argv[i]);
      status = 1;
    }
    if (diags_only) {
      gr_lines *lines = gr_lines_new(text, len);
      for (uint32_t k = 0; k < gr_tree_diag_count(tree); k++) {
        const gr_diag *d = gr_tree_diag(tree, k);
        gr_pos p = gr_lines_pos(lines, text, d->span.start, GR_UNIT_CODEPOINT);
        const char *base = strrchr(argv[i], '/');
        printf("%s:%u:%u: %s: %s\n", base ? base + 1 : argv[i], p.line + 1, p.col + 1,
               gr_diag_code_name(d->code), d->message);
      }
      gr_lines_free(lines);
    } else {
      gr_tree_dump(tree, stdout);
    }
    gr_tree_free(tree);
    gr_free(text);
  }
  return status;
}
