/*
 * test_corpus_yaml.c: every real YAML template in
 * ../shared/corpus/bmad-method-yaml/ parses with its tree and view
 * invariants intact and gives exactly the diagnostics recorded (and read
 * through by hand) in tests/corpus/bmad-method-yaml.expected. The files
 * that are not valid YAML each get a yaml-syntax diagnostic, and a template
 * with an error still has its sections read (recovery). Run from the
 * repository root.
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
#include "grammar/lines.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

#define CORPUS "../shared/corpus/bmad-method-yaml"
#define EXPECTED "tests/corpus/bmad-method-yaml.expected"

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

typedef GR_ARRAY(char *) names_t;

static names_t corpus_names(void) {
  names_t names = {0};
  DIR *d = opendir(CORPUS);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0)
      gr_array_push(&names, gr_strndup(e->d_name, n));
  }
  closedir(d);
  qsort(names.items, names.len, sizeof(char *), cmp_names);
  return names;
}

static void free_names(names_t *names) {
  for (size_t i = 0; i < names->len; i++) gr_free(names->items[i]);
  gr_array_free(names);
}

static void test_corpus_yaml_matches_expected(void **state) {
  (void)state;
  names_t names = corpus_names();
  assert_int_equal(names.len, 299);
  char *got = NULL;
  size_t got_len = 0;
  FILE *out = open_memstream(&got, &got_len);
  size_t broken = 0, templates = 0, sections = 0;
  for (size_t i = 0; i < names.len; i++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, names.items[i]);
    size_t len;
    char *text = ts_slurp(path, &len);
    assert_non_null(text);
    yt_tmpl *tm = yt_tmpl_parse(text, len);
    if (yt_tmpl_check(tm, stderr) != 0) fail_msg("%s: invariants broken", path);
    gr_lines *lines = gr_lines_new(text, len);
    for (uint32_t k = 0; k < yt_tmpl_diag_count(tm); k++) {
      const yt_diag *d = yt_tmpl_diag(tm, k);
      gr_pos p = gr_lines_pos(lines, text, d->span.start, GR_UNIT_CODEPOINT);
      fprintf(out, "%s:%u:%u: %s: %s\n", names.items[i], p.line + 1, p.col + 1,
              yt_diag_code_name(d->code), d->message);
    }
    gr_lines_free(lines);
    broken += yt_tree_has_error(yt_tmpl_tree(tm)) ? 1 : 0;
    templates += yt_tmpl_is_template(tm) ? 1 : 0;
    sections += yt_tmpl_is_template(tm) ? yt_tmpl_section_count(tm) : 0;
    yt_tmpl_free(tm);
    gr_free(text);
  }
  fclose(out);
  free_names(&names);
  /* the corpus's own counts (../shared/docs/yaml-templates.md): 37 broken;
   * 233 valid files have template: and sections:, and recovery finds more
   * among the broken ones */
  assert_int_equal(broken, 37);
  assert_true(templates >= 233);
  assert_true(sections >= 8271);
  char *want = expected_text();
  if (strcmp(got, want) != 0) {
    FILE *f = fopen("build/corpus-yaml.got", "w");
    if (f) fputs(got, f), fclose(f);
    fail_msg("corpus diagnostics differ from %s (got: build/corpus-yaml.got)", EXPECTED);
  }
  free(got);
  gr_free(want);
}

/* Recovery: the fullstack template broken in its Testing Pyramid still has
 * the sections that follow the error. */
static void test_corpus_yaml_reads_past_an_error(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp(CORPUS "/fullstack-architecture-tmpl.1a50e9d9.yaml", &len);
  assert_non_null(text);
  yt_tmpl *tm = yt_tmpl_parse(text, len);
  assert_int_equal(yt_tree_has_error(yt_tmpl_tree(tm)), 1);
  int after = 0;
  const yt_diag *d = yt_tmpl_diag(tm, 0);
  for (uint32_t i = 0; i < yt_tmpl_section_count(tm); i++) {
    uint32_t id = yt_tmpl_section(tm, i)->keys[YT_SKEY_ID];
    const char *s = yt_tmpl_str(tm, id, NULL);
    if (s && strcmp(s, "checklist-results") == 0 &&
        yt_tree_node(yt_tmpl_tree(tm), id)->span.start > d->span.start)
      after = 1;
  }
  assert_true(after);
  yt_tmpl_free(tm);
  gr_free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus_yaml_matches_expected),
      cmocka_unit_test(test_corpus_yaml_reads_past_an_error),
  };
  return cmocka_run_group_tests_name("corpus-yaml", tests, NULL, NULL);
}
