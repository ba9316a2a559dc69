/*
 * migrate.h: `tmpl-ls migrate`, a Markdown template written as a YAML
 * template (server/features/migrate.h), without the event loop.
 */
#ifndef TMPL_SERVER_CLI_MIGRATE_H
#define TMPL_SERVER_CLI_MIGRATE_H

/**
 * Run `tmpl-ls migrate` with argv[0] = "migrate". Returns the exit status:
 * 0 when the YAML was written, 2 on a usage or I/O error (the path named
 * on standard error).
 */
int tl_migrate_main(int argc, char **argv);

#endif
