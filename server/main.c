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
    "                     [--root DIR] [--template FILE] [PATH...]\n"
    "       tmpl-ls migrate [-o FILE] TEMPLATE\n"
    "       tmpl-ls --version | --help\n"
    "\n"
    "Without a command, tmpl-ls is a language server speaking LSP on stdin and\n"
    "stdout. `check` reports problems in templates (*-tmpl.md, *.tmpl.md) and in\n"
    "documents written from them; see `tmpl-ls check --help`. `migrate` writes a\n"
    "Markdown template as a YAML template; see `tmpl-ls migrate --help`.\n";

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
