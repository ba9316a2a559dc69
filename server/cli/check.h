/*
 * check.h: `tmpl-ls check`, the command-line checker. It uses the same
 * grammar, model and features as the server, without the event loop.
 */
#ifndef TMPL_SERVER_CLI_CHECK_H
#define TMPL_SERVER_CLI_CHECK_H

/**
 * Run `tmpl-ls check` with argv[0] = "check". Returns the exit status:
 * 0 when nothing reaches --fail-on, 1 when something does, 2 on a usage
 * or I/O error, or a file that is not read (not a regular file, over the
 * size limit); the other files are still checked.
 */
int tl_check_main(int argc, char **argv);

#endif
