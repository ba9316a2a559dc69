/*
 * test_scan.c: the directory walker (server/model/scan.c) over a temporary
 * tree: template and document classification, skipped folders, links to
 * folders, the depth and file limits, errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/model/scan.h"
#include "server/model/source.h"
#include "tests/support/features_util.h"

typedef struct tmpdir {
  char root[64];
} tmpdir;

static void mkpath(const tmpdir *t, const char *rel, int is_dir) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", t->root, rel);
  /* create the parents */
  for (char *p = path + strlen(t->root) + 1; *p; p++) {
    if (*p != '/') continue;
    *p = 0;
    mkdir(path, 0700);
    *p = '/';
  }
  if (is_dir) {
    mkdir(path, 0700);
  } else {
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# x\n", f);
    fclose(f);
  }
}

static void rmtree(const char *root) {
  /* the tests make only what is listed here, so removing it is bounded */
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  assert_int_equal(system(cmd), 0);
}

static int setup(void **state) {
  tmpdir *t = gr_malloc(sizeof *t);
  snprintf(t->root, sizeof t->root, "/tmp/tmpl-ls-scan-XXXXXX");
  if (!mkdtemp(t->root)) return -1;
  static const char *files[] = {
      ".bmad-core/templates/prd-tmpl.md",
      ".bmad-core/templates/memory-bank/progress.md", /* under templates/: a template */
      ".bmad-core/templates/notes.txt",               /* not Markdown */
      "templates/brief.md",
      "mytemplates/not-a-template.md", /* "templates" must be the whole folder name */
      "docs/prd.md",
      "docs/stories/1.1.login.md",
      "docs/agent.tmpl.md",
      "README.md",
      "README.markdown",
      ".git/templates/x-tmpl.md",
      "node_modules/pkg/README.md",
      "build/out.md",
      "src/build/nested.md", /* every folder named build is skipped */
      "a/b/c/d/deep.md",
  };
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) mkpath(t, files[i], 0);
  /* a link to a folder (never entered: no cycles) and a link to a file (followed) */
  char target[512], link[512];
  snprintf(target, sizeof target, "%s/docs", t->root);
  snprintf(link, sizeof link, "%s/docs/loop", t->root);
  assert_int_equal(symlink(target, link), 0);
  snprintf(target, sizeof target, "%s/README.md", t->root);
  snprintf(link, sizeof link, "%s/docs/linked.md", t->root);
  assert_int_equal(symlink(target, link), 0);
  snprintf(link, sizeof link, "%s/docs/dangling.md", t->root);
  assert_int_equal(symlink("/nonexistent/tmpl-ls", link), 0);
  *state = t;
  return 0;
}

static int teardown(void **state) {
  tmpdir *t = *state;
  rmtree(t->root);
  gr_free(t);
  return 0;
}

static char *render(const tl_scan_result *r) {
  fts_str b = {0};
  for (size_t i = 0; i < r->len; i++)
    fts_cat(&b, "%s %s\n", r->items[i].kind == TL_SCAN_TEMPLATE ? "template" : "document",
            r->items[i].path);
  if (r->truncated) fts_cat(&b, "truncated\n");
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

static void test_scan_finds_templates_and_documents(void **state) {
  tmpdir *t = *state;
  tl_scan_result *r = NULL;
  assert_int_equal(tl_scan(t->root, NULL, &r), 0);
  char *got = render(r);
  fts_expect("scan", got,
             "template .bmad-core/templates/memory-bank/progress.md\n"
             "template .bmad-core/templates/prd-tmpl.md\n"
             "document README.md\n"
             "document a/b/c/d/deep.md\n"
             "template docs/agent.tmpl.md\n"
             "document docs/linked.md\n"
             "document docs/prd.md\n"
             "document docs/stories/1.1.login.md\n"
             "document mytemplates/not-a-template.md\n"
             "template templates/brief.md\n");
  gr_free(got);
  tl_scan_free(r);
}

static void test_scan_limits(void **state) {
  tmpdir *t = *state;
  tl_scan_result *r = NULL;
  /* depth 3: a/b/c is entered, a/b/c/d is not */
  tl_scan_options depth = {3, 0};
  assert_int_equal(tl_scan(t->root, &depth, &r), 0);
  assert_true(r->truncated);
  for (size_t i = 0; i < r->len; i++) assert_null(strstr(r->items[i].path, "deep.md"));
  assert_int_equal(r->len, 9);
  tl_scan_free(r);
  /* depth 4 reaches it */
  depth.max_depth = 4;
  assert_int_equal(tl_scan(t->root, &depth, &r), 0);
  assert_false(r->truncated);
  assert_int_equal(r->len, 10);
  tl_scan_free(r);
  /* max files: past the limit the walk goes on for templates alone, so
   * all four are found whatever order the folders are read in */
  tl_scan_options few = {0, 4};
  assert_int_equal(tl_scan(t->root, &few, &r), 0);
  assert_true(r->truncated);
  size_t templates = 0;
  for (size_t i = 0; i < r->len; i++) templates += r->items[i].kind == TL_SCAN_TEMPLATE;
  assert_int_equal(templates, 4);
  assert_true(r->len >= 4 && r->len <= 8);
  for (size_t i = 1; i < r->len; i++) assert_true(strcmp(r->items[i - 1].path, r->items[i].path) < 0);
  tl_scan_free(r);
  /* ... up to max_files templates of them, then it stops */
  tl_scan_options two = {0, 2};
  assert_int_equal(tl_scan(t->root, &two, &r), 0);
  assert_true(r->truncated);
  templates = 0;
  for (size_t i = 0; i < r->len; i++) templates += r->items[i].kind == TL_SCAN_TEMPLATE;
  assert_int_equal(templates, 2);
  assert_true(r->len <= 4);
  tl_scan_free(r);
}

/* Links to files are followed only inside the root, whichever way they
 * point: absolute, relative, through ".."; a link out is named. */
static void test_scan_links(void **state) {
  tmpdir *t = *state;
  char outside[128], link[512];
  snprintf(outside, sizeof outside, "%s-outside-tmpl.md", t->root);
  FILE *f = fopen(outside, "w");
  assert_non_null(f);
  fputs("# elsewhere\n", f);
  fclose(f);
  snprintf(link, sizeof link, "%s/templates/abs-tmpl.md", t->root);
  assert_int_equal(symlink(outside, link), 0);
  snprintf(link, sizeof link, "%s/templates/rel-tmpl.md", t->root);
  char rel[160];
  snprintf(rel, sizeof rel, "../../%s", strrchr(outside, '/') + 1);
  assert_int_equal(symlink(rel, link), 0);
  snprintf(link, sizeof link, "%s/templates/in-tmpl.md", t->root);
  assert_int_equal(symlink("../docs/prd.md", link), 0);
  tl_scan_result *r = NULL;
  assert_int_equal(tl_scan(t->root, NULL, &r), 0);
  int in = 0;
  for (size_t i = 0; i < r->len; i++) {
    assert_null(strstr(r->items[i].path, "abs-tmpl"));
    assert_null(strstr(r->items[i].path, "rel-tmpl"));
    in += strcmp(r->items[i].path, "templates/in-tmpl.md") == 0;
  }
  assert_int_equal(in, 1);
  assert_int_equal(r->nlinks, 2);
  int abs = 0, relf = 0;
  for (size_t i = 0; i < r->nlinks; i++) {
    abs += strcmp(r->links[i], "templates/abs-tmpl.md") == 0;
    relf += strcmp(r->links[i], "templates/rel-tmpl.md") == 0;
  }
  assert_int_equal(abs + relf, 2);
  tl_scan_free(r);
  unlink(outside);
}

static void test_scan_errors(void **state) {
  tmpdir *t = *state;
  tl_scan_result *r = (tl_scan_result *)1;
  char path[512];
  snprintf(path, sizeof path, "%s/README.md", t->root);
  assert_int_equal(tl_scan(path, NULL, &r), TL_ENOTDIR);
  assert_null(r);
  snprintf(path, sizeof path, "%s/missing", t->root);
  assert_int_equal(tl_scan(path, NULL, &r), TL_EIO);
  assert_null(r);
  tl_scan_free(NULL);
  /* a root given with a trailing slash gives the same relative paths; the
   * link to ../README.md leads out of this root: skipped, and named */
  snprintf(path, sizeof path, "%s/docs/", t->root);
  assert_int_equal(tl_scan(path, NULL, &r), 0);
  char *got = render(r);
  fts_expect("docs/", got,
             "template agent.tmpl.md\n"
             "document prd.md\n"
             "document stories/1.1.login.md\n");
  gr_free(got);
  assert_int_equal(r->nlinks, 1);
  assert_int_equal(r->links_skipped, 1);
  assert_string_equal(r->links[0], "linked.md");
  tl_scan_free(r);
}

static void test_scan_classify(void **state) {
  (void)state;
  static const struct {
    const char *path;
    tl_scan_kind kind;
  } cases[] = {
      {"prd-tmpl.md", TL_SCAN_TEMPLATE},
      {"x/agent.tmpl.md", TL_SCAN_TEMPLATE},
      {"templates/a.md", TL_SCAN_TEMPLATE},
      {".bmad-core/templates/a.md", TL_SCAN_TEMPLATE},
      {"a/templates/b/c.md", TL_SCAN_TEMPLATE},
      {"mytemplates/a.md", TL_SCAN_DOCUMENT},
      {"templates.md", TL_SCAN_DOCUMENT},
      {"docs/tmpl.md", TL_SCAN_DOCUMENT},
      {"docs/prd.md", TL_SCAN_DOCUMENT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (tl_scan_classify(cases[i].path) != cases[i].kind) fail_msg("%s", cases[i].path);
}

/* The one rule (server/model/source.c): names, a templates/ folder, and for
 * YAML there the text's top level. */
static void test_scan_source_kinds(void **state) {
  (void)state;
  static const struct {
    const char *path;
    int in_root;
    const char *text;
    tl_source_kind kind;
  } cases[] = {
      {"prd-tmpl.yaml", 1, NULL, TL_SOURCE_YAML_TEMPLATE},
      {"/abs/x/story.tmpl.yaml", 0, NULL, TL_SOURCE_YAML_TEMPLATE},
      {"a-tmpl.yml", 1, NULL, TL_SOURCE_YAML_TEMPLATE},
      {"templates/prd.yaml", 1, "template:\n  id: p\nsections:\n  - id: a\n", TL_SOURCE_YAML_TEMPLATE},
      {"templates/prd.yaml", 1, "template:\n  id: p\n", TL_SOURCE_OTHER},
      {"templates/prd.yaml", 1, "x:\n  template: 1\n  sections: 2\n", TL_SOURCE_OTHER}, /* not the top level */
      {"templates/prd.yaml", 1, NULL, TL_SOURCE_OTHER},
      {"templates/prd.yaml", 0, "template:\nsections:\n", TL_SOURCE_OTHER}, /* outside a root: the name alone */
      {"docs/config.yaml", 1, "template:\nsections:\n", TL_SOURCE_OTHER},
      {".github/workflows/ci.yml", 1, "on: push\n", TL_SOURCE_OTHER},
      {"prd-tmpl.md", 1, NULL, TL_SOURCE_MD_TEMPLATE},
      {"templates/a.md", 1, NULL, TL_SOURCE_MD_TEMPLATE},
      {"templates/a.md", 0, NULL, TL_SOURCE_DOCUMENT},
      {"docs/prd.md", 1, NULL, TL_SOURCE_DOCUMENT},
      {"notes.txt", 1, NULL, TL_SOURCE_OTHER},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *t = cases[i].text;
    tl_source_kind got = tl_source_kind_of(cases[i].path, cases[i].in_root, t, t ? strlen(t) : 0);
    if (got != cases[i].kind) fail_msg("%s (%d): got %d, want %d", cases[i].path, (int)i, got, cases[i].kind);
  }
  assert_int_equal(tl_scan_classify("templates/prd.yaml"), TL_SCAN_TEMPLATE); /* listed; its text decides */
  assert_int_equal(tl_scan_lists("templates/prd.yaml", NULL), 1);
  assert_int_equal(tl_scan_lists("docs/config.yaml", NULL), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_scan_finds_templates_and_documents, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_limits, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_errors, setup, teardown),
      cmocka_unit_test(test_scan_source_kinds),
      cmocka_unit_test_setup_teardown(test_scan_links, setup, teardown),
      cmocka_unit_test(test_scan_classify),
  };
  return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
