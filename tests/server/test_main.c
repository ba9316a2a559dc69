/*
 * test_main.c: server/main.c, the command line's top level. `tmpl-ls
 * --help` names every option of every command (those the commands' own
 * --help lists) and gives an example of each; every example runs (in a
 * small workspace made here) and ends with status 0 or 1, never a usage
 * error (2) or a crash.
 */
#define _DEFAULT_SOURCE /* realpath, mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "tests/support/support.h"

static char *binary;

static char *run_help(const char *command) {
  char *argv[] = {binary, (char *)command, "--help", NULL};
  if (!command) argv[1] = "--help", argv[2] = NULL;
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 0);
  gr_free(err);
  return out;
}

/* `opt` as a whole word of `text`: "-o" is not found in "--output". */
static int has_option(const char *text, const char *opt) {
  size_t n = strlen(opt);
  for (const char *p = strstr(text, opt); p; p = strstr(p + 1, opt))
    if ((p == text || p[-1] == ' ' || p[-1] == '\n' || p[-1] == '[' || p[-1] == '|') &&
        (p[n] == ' ' || p[n] == ',' || p[n] == '\n' || p[n] == ']' || p[n] == '=' || p[n] == '|'))
      return 1;
  return 0;
}

/* Every "--long" / "-x" option a command's --help lists at the start of a line. */
static void test_main_help_names_every_option(void **state) {
  (void)state;
  char *top = run_help(NULL);
  const char *commands[] = {"check", "migrate"};
  unsigned seen = 0;
  for (size_t c = 0; c < 2; c++) {
    char *sub = run_help(commands[c]);
    for (char *line = sub; line && *line;) {
      char *nl = strchr(line, '\n');
      if (strncmp(line, "  -", 3) == 0) {
        for (char *p = line + 2; p < (nl ? nl : line + strlen(line)) && *p == '-';) {
          size_t n = strcspn(p, " ,\n");
          char opt[64];
          snprintf(opt, sizeof opt, "%.*s", (int)n, p);
          if (!has_option(top, opt)) fail_msg("`tmpl-ls --help` lacks %s %s", commands[c], opt);
          seen++;
          p += n;
          while (*p == ',' || *p == ' ') p++;
        }
      }
      line = nl ? nl + 1 : NULL;
    }
    gr_free(sub);
  }
  assert_true(seen >= 9); /* the commands' own lists were read */
  gr_free(top);
}

static void put(const char *dir, const char *path, const char *text) {
  char full[512];
  snprintf(full, sizeof full, "%s/%s", dir, path);
  FILE *f = fopen(full, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Each example (a line indented 28 spaces that starts "tmpl-ls "), run
 * by the shell in a workspace holding the files the examples name. */
static void test_main_help_examples_run(void **state) {
  (void)state;
  char dir[] = "/tmp/tl-help-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char sub[600];
  const char *dirs[] = {"docs", "docs/stories", "templates"};
  for (size_t i = 0; i < 3; i++) {
    snprintf(sub, sizeof sub, "%s/%s", dir, dirs[i]);
    assert_int_equal(mkdir(sub, 0700), 0);
  }
  put(dir, "templates/prd-tmpl.yaml",
      "template:\n  id: prd\n  name: PRD\n  output:\n    filename: docs/prd.md\n    title: PRD\n"
      "sections:\n  - id: goals\n    title: Goals\n");
  put(dir, "templates/prd-tmpl.md", "# PRD\n\n## Goals\n\n{{goals}}\n");
  put(dir, "prd-tmpl.md", "# PRD\n\n## Goals\n\n{{goals}}\n");
  put(dir, "draft.md", "# Draft\n\n{{owner}}\n");
  put(dir, "docs/prd.md", "# PRD\n\n## Goals\n\nShip.\n");
  put(dir, "docs/stories/1.1.md", "# Story 1.1\n");
  char *top = run_help(NULL);
  char bindir[4096];
  assert_non_null(realpath(binary, bindir)); /* the examples run in another folder */
  *strrchr(bindir, '/') = '\0';
  unsigned ran = 0;
  for (char *line = top; line && *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n > 36 && strncmp(line, "                            tmpl-ls ", 36) == 0) {
      char cmd[8192];
      snprintf(cmd, sizeof cmd, "cd '%s' && PATH='%s':\"$PATH\" timeout 20 sh -c '%.*s' </dev/null >/dev/null 2>&1", dir,
               bindir, (int)(n - 28), line + 28);
      int st = system(cmd);
      int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
      if (code != 0 && code != 1) fail_msg("example `%.*s` ended with %d", (int)(n - 28), line + 28, code);
      ran++;
    }
    line = nl ? nl + 1 : NULL;
  }
  assert_true(ran >= 12);
  gr_free(top);
  snprintf(sub, sizeof sub, "rm -rf '%s'", dir);
  assert_int_equal(system(sub), 0);
}

int main(int argc, char **argv) {
  (void)argc;
  binary = ts_binary_beside(argv[0]);
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_main_help_names_every_option),
      cmocka_unit_test(test_main_help_examples_run),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
