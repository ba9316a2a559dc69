/*
 * test_migrate.c: `tmpl-ls migrate`, run as the real binary beside this
 * test program, over tests/cli/data/migrate/. Every case asserts the exact
 * output and exit status. Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "tests/support/support.h"

static char *binary;

#define PLAN "tests/cli/data/migrate/plan-tmpl.md"

/* The YAML for PLAN: a CONDITION's "## Risks" beside "## Goals", the
 * opening instruction a first section without a title, the inline example
 * the section's examples. */
#define PLAN_YAML_BODY                          \
  "  version: 2.0\n"                            \
  "  output:\n"                                 \
  "    format: markdown\n"                      \
  "    filename: docs/plan.md\n"                \
  "    title: \"{{Project}} Plan\"\n"           \
  "\n"                                          \
  "sections:\n"                                 \
  "  - id: introduction\n"                      \
  "    instruction: \"Output file location: `docs/plan.md`\"\n" \
  "\n"                                          \
  "  - id: goals\n"                             \
  "    title: Goals\n"                          \
  "    template: \"- {{goal}}\"\n"              \
  "    examples:\n"                             \
  "      - Ship v1\n"                           \
  "\n"                                          \
  "  - id: risks\n"                             \
  "    title: Risks\n"                          \
  "    condition: has_risks\n"                  \
  "    template: \"- {{risk}}\"\n"
#define PLAN_YAML "template:\n  id: plan-template-v2\n  name: Plan\n" PLAN_YAML_BODY

typedef struct migrate_case {
  const char *name;
  const char *args[6];
  const char *input; /* stdin, or NULL */
  int status;
  const char *out;     /* exact stdout */
  const char *err_has; /* a substring stderr must hold ("" for empty stderr) */
} migrate_case;

static const migrate_case cases[] = {
    {"a_file_to_stdout", {PLAN}, NULL, 0, PLAN_YAML, ""},
    {"stdin_names_no_file", {"-"}, "# Plan\n\n## A\n", 0,
     "template:\n  id: template-template-v2\n  name: Plan\n  version: 2.0\n  output:\n    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n    filename: docs/template.md\n"
     "    title: Plan\n\nsections:\n  - id: a\n    title: A\n",
     ""},
    {"missing_file_exits_2_naming_it", {"tests/cli/data/migrate/nope-tmpl.md"}, NULL, 2, "",
     "tmpl-ls migrate: tests/cli/data/migrate/nope-tmpl.md: No such file or directory"},
    {"unwritable_output_exits_2_naming_it", {"-o", "tests/cli/data/migrate/no/such/dir.yaml", PLAN}, NULL, 2, "",
     "tmpl-ls migrate: tests/cli/data/migrate/no/such/dir.yaml: No such file or directory"},
    {"no_template_is_a_usage_error", {NULL}, NULL, 2, "", "which template?"},
    {"two_templates_are_a_usage_error", {PLAN, PLAN}, NULL, 2, "", "one template at a time"},
    {"unknown_option", {"--yolo", PLAN}, NULL, 2, "", "unknown option '--yolo'"},
    {"o_needs_a_file", {PLAN, "-o"}, NULL, 2, "", "-o needs a file"},
    {"a_yaml_template_is_refused", {"x/prd-tmpl.yaml"}, NULL, 2, "",
     "'x/prd-tmpl.yaml' is YAML already: migrate reads a Markdown template"},
    {"help", {"--help"}, NULL, 0, NULL, ""},
};

static void test_migrate_case(void **state) {
  const migrate_case *c = *state;
  char *argv[10];
  int n = 0;
  argv[n++] = binary;
  argv[n++] = "migrate";
  for (int i = 0; i < 6 && c->args[i]; i++) argv[n++] = (char *)c->args[i];
  argv[n] = NULL;
  char *out, *err;
  int status = ts_run(argv, c->input, &out, &err);
  if (status != c->status) fail_msg("%s: exit %d, want %d; stderr: %s", c->name, status, c->status, err);
  if (c->out && strcmp(out, c->out) != 0) fail_msg("%s: stdout\n%s\nwant\n%s", c->name, out, c->out);
  if (!c->out && !strstr(out, "usage: tmpl-ls migrate [-o FILE] TEMPLATE\n")) fail_msg("%s: stdout\n%s", c->name, out);
  if (c->err_has[0] ? !strstr(err, c->err_has) : err[0] != '\0')
    fail_msg("%s: stderr lacks '%s':\n%s", c->name, c->err_has, err);
  gr_free(out);
  gr_free(err);
}

/* -o writes the same YAML to the file and nothing to stdout. */
static void test_migrate_output_file(void **state) {
  (void)state;
  char dir[] = "/tmp/tmpl-ls-migrate-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[64];
  snprintf(path, sizeof path, "%s/plan-tmpl.yaml", dir);
  char *argv[] = {binary, "migrate", "-o", path, PLAN, NULL};
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 0);
  assert_string_equal(out, "");
  assert_string_equal(err, "");
  size_t len = 0;
  char *got = ts_slurp(path, &len);
  assert_non_null(got);
  assert_string_equal(got, PLAN_YAML);
  gr_free(got), gr_free(out), gr_free(err);
  unlink(path);
  rmdir(dir);
}

/* The top-level usage names the command. */
static void test_migrate_in_main_usage(void **state) {
  (void)state;
  char *argv[] = {binary, "--help", NULL};
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 0);
  assert_non_null(strstr(out, "       tmpl-ls migrate [-o FILE] TEMPLATE\n"));
  gr_free(out), gr_free(err);
}

int main(int argc, char **argv) {
  (void)argc;
  binary = ts_binary_beside(argv[0]);
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[N + 2];
  for (size_t i = 0; i < N; i++) {
    struct CMUnitTest t = {cases[i].name, test_migrate_case, NULL, NULL, (void *)&cases[i]};
    tests[i] = t;
  }
  struct CMUnitTest o = {"output_file", test_migrate_output_file, NULL, NULL, NULL};
  struct CMUnitTest u = {"main_usage", test_migrate_in_main_usage, NULL, NULL, NULL};
  tests[N] = o;
  tests[N + 1] = u;
  int rc = _cmocka_run_group_tests("migrate", tests, N + 2, NULL, NULL);
  gr_free(binary);
  return rc;
}
