/*
 * main.c: the tmpl-ls binary. `tmpl-ls [--stdio] [--log-level L]` serves
 * LSP on stdio; `tmpl-ls check ...` checks files; `tmpl-ls migrate ...`
 * writes a Markdown template as a YAML one; --version, --help.
 */
#include <stdio.h>
#include <string.h>

#include "server/cli/check.h"
#include "server/cli/migrate.h"
#include "server/lsp/server.h"

static const char usage[] =
    "usage: tmpl-ls [--stdio] [--log-level error|warn|info|debug]\n"
    "       tmpl-ls check [--format text|json|sarif] [--as template|document]\n"
    "                     [--fail-on error|warning|information|hint]\n"
    "                     [--root DIR] [--template FILE] [-j N] [PATH...]\n"
    "       tmpl-ls migrate [-o FILE] TEMPLATE\n"
    "       tmpl-ls --version | --help\n";

/* Every command and option with an example each (tests/cli/test_main.c
 * runs the examples, and checks that every option the commands' own
 * --help lists is here). */
static const char help[] =
    "\n"
    "The language server (no command): LSP over standard input and output, as\n"
    "an editor starts it.\n"
    "  --stdio                 the transport (the only one; accepted for VS Code)\n"
    "                            tmpl-ls --stdio\n"
    "  --log-level LEVEL       what goes to standard error: error, warn (default),\n"
    "                          info or debug\n"
    "                            tmpl-ls --log-level debug 2>tmpl-ls.log\n"
    "\n"
    "check [PATH...]: problems in templates (*-tmpl.md, *.tmpl.md, *-tmpl.yaml)\n"
    "and in the documents written from them, for CI; a directory is searched,\n"
    "no PATH is the current directory, '-' reads standard input.\n"
    "                            tmpl-ls check docs/prd.md\n"
    "  --format text|json|sarif  output format (default text)\n"
    "                            tmpl-ls check --format sarif . > tmpl-ls.sarif\n"
    "  --as template|document  read every file as this kind\n"
    "                            tmpl-ls check --as template - < draft.md\n"
    "  --fail-on SEVERITY      lowest severity that fails the run: error (default),\n"
    "                          warning, information or hint\n"
    "                            tmpl-ls check --fail-on warning docs\n"
    "  --root DIR              the workspace: templates and .tmpl-ls.json\n"
    "                          (default .)\n"
    "                            tmpl-ls check --root . docs/stories\n"
    "  --template FILE         check documents against this template\n"
    "                            tmpl-ls check --template templates/prd-tmpl.yaml docs/prd.md\n"
    "  -j, --jobs N            files checked at a time (default: one per core)\n"
    "                            tmpl-ls check -j 2 .\n"
    "  Exit status 0: nothing reached --fail-on; 1: something did; 2: a usage\n"
    "  or I/O error, or a file not read. More: tmpl-ls check --help.\n"
    "\n"
    "migrate TEMPLATE: a Markdown template written as a YAML template.\n"
    "                            tmpl-ls migrate templates/prd-tmpl.md\n"
    "  -o, --output FILE       write the YAML to FILE (default standard output)\n"
    "                            tmpl-ls migrate -o prd-tmpl.yaml prd-tmpl.md\n"
    "  More: tmpl-ls migrate --help.\n"
    "\n"
    "  --version               the version\n"
    "                            tmpl-ls --version\n"
    "  -h, --help              this text (each command has its own --help too)\n"
    "                            tmpl-ls check --help\n";

static int parse_level(const char *s, tl_log_level *out) {
  static const char *names[] = {"error", "warn", "info", "debug"};
  for (int i = 0; i < 4; i++) {
    if (strcmp(s, names[i]) == 0) {
      *out = (tl_log_level)i;
      return 0;
    }
  }
  return -1;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "check") == 0) return tl_check_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "migrate") == 0) return tl_migrate_main(argc - 1, argv + 1);

  tl_server_options opts = {TL_LOG_WARN};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--version") == 0) {
      printf("tmpl-ls %s\n", TMPL_LS_VERSION);
      return 0;
    } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(usage, stdout);
      fputs(help, stdout);
      return 0;
    } else if (strcmp(a, "--stdio") == 0) {
      /* VS Code passes --stdio; stdio is the only transport. */
    } else if (strcmp(a, "--log-level") == 0 && i + 1 < argc) {
      if (parse_level(argv[++i], &opts.log_level) != 0) {
        fprintf(stderr, "tmpl-ls: unknown log level '%s'\n%s", argv[i], usage);
        return 2;
      }
    } else if (strncmp(a, "--log-level=", 12) == 0) {
      if (parse_level(a + 12, &opts.log_level) != 0) {
        fprintf(stderr, "tmpl-ls: unknown log level '%s'\n%s", a + 12, usage);
        return 2;
      }
    } else {
      fprintf(stderr, "tmpl-ls: unknown argument '%s'\n%s", a, usage);
      return 2;
    }
  }
  return tl_server_run(&opts);
}
