/*
 * test_corpus.c: every real template in ../shared/corpus/bmad-method/ parses
 * with its tree invariants intact and gives exactly the diagnostics recorded
 * (and read through by hand) in tests/corpus/bmad-method.expected; the seed
 * template gives none. Run from the repository root.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "tests/support/support.h"

#define CORPUS "../shared/corpus/bmad-method"
#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"
#define EXPECTED "tests/corpus/bmad-method.expected"

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The expected file without comments and blank lines. */
static char *expected_text(void) {
  size_t len;
  char *raw = ts_slurp(EXPECTED, &len);
  assert_non_null(raw);
  char *out = gr_malloc(len + 1), *o = out;
  for (char *line = raw; *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n > 0 && line[0] != '#') {
      memcpy(o, line, n);
      o += n;
      *o++ = '\n';
    }
    line += n + (nl ? 1 : 0);
  }
  *o = '\0';
  gr_free(raw);
  return out;
}

static void test_corpus_matches_expected(void **state) {
  (void)state;
  DIR *d = opendir(CORPUS);
  assert_non_null(d);
  GR_ARRAY(char *) names = {0};
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0)
      gr_array_push(&names, gr_strndup(e->d_name, n));
  }
  closedir(d);
  assert_true(names.len >= 140);
  qsort(names.items, names.len, sizeof(char *), cmp_names);

  char *got = NULL;
  size_t got_len = 0;
  FILE *out = open_memstream(&got, &got_len);
  for (size_t i = 0; i < names.len; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, names.items[i]);
    size_t len;
    char *text = ts_slurp(path, &len);
    assert_non_null(text);
    gr_tree *tree = gr_parse(text, len, NULL);
    if (gr_tree_check(tree, stderr) != 0) fail_msg("%s: tree invariants broken", path);
    ts_print_diags(out, names.items[i], text, len, tree);
    gr_tree_free(tree);
    gr_free(text);
    gr_free(names.items[i]);
  }
  fclose(out);
  gr_array_free(&names);
  char *want = expected_text();
  if (strcmp(got, want) != 0) {
    FILE *f = fopen("build/corpus.got", "w");
    if (f) fputs(got, f), fclose(f);
    fail_msg("corpus diagnostics differ from %s (got: build/corpus.got)", EXPECTED);
  }
  free(got);
  gr_free(want);
}

static void test_corpus_seed_is_clean(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp(SEED, &len);
  assert_non_null(text);
  char *diags = ts_diags_string("seed", text, len);
  assert_string_equal(diags, "");
  gr_free(diags);
  gr_free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus_matches_expected),
      cmocka_unit_test(test_corpus_seed_is_clean),
  };
  return cmocka_run_group_tests_name("corpus", tests, NULL, NULL);
}
