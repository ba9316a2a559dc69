/*
 * grdump: parse files with the grammar and print what it sees.
 *   grdump FILE...        the tree (S-expressions) and diagnostics
 *   grdump -d FILE...     diagnostics only, as "file:line:col: code: message"
 *   grdump -q FILE...     parse and check only
 * Every tree is checked with gr_tree_check; a broken invariant exits 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "tests/support/support.h"

int main(int argc, char **argv) {
  int diags_only = 0, quiet = 0, status = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-d") == 0 || strcmp(argv[i], "-q") == 0) {
      diags_only = argv[i][1] == 'd';
      quiet = argv[i][1] == 'q';
      continue;
    }
    size_t len;
    char *text = ts_slurp(argv[i], &len);
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
    if (quiet) {
      /* parse and check only */
    } else if (diags_only) {
      const char *base = strrchr(argv[i], '/');
      ts_print_diags(stdout, base ? base + 1 : argv[i], text, len, tree);
    } else {
      gr_tree_dump(tree, stdout);
    }
    gr_tree_free(tree);
    gr_free(text);
  }
  return status;
}
