/*
 * support.h: helpers shared by the test programs and test tools.
 */
#ifndef TMPL_TESTS_SUPPORT_H
#define TMPL_TESTS_SUPPORT_H

#include <stddef.h>
#include <stdio.h>

#include "grammar/grammar.h"

/** Read a whole file; NULL if it cannot be read. The result is NUL-terminated (gr_free). */
char *ts_slurp(const char *path, size_t *len);

/* gr_parse options that read a document as CommonMark renders it. */
extern const gr_options ts_document;

/**
 * Print a tree's diagnostics as "name:line:col: code: message" lines
 * (1-based, columns in code points): the corpus test's format.
 */
void ts_print_diags(FILE *out, const char *name, const char *text, size_t len,
                    const gr_tree *tree);

/** The diagnostics of `text` in that format, as a new string (gr_free). */
char *ts_diags_string(const char *name, const char *text, size_t len);

/** The dump (gr_tree_dump) of `text` as a new string (gr_free). */
char *ts_dump_string(const char *text, size_t len);

/** The dump (gr_tree_dump) of `tree` as a new string (gr_free). */
char *ts_tree_string(const gr_tree *tree);

/**
 * Run argv[0] with argv (NULL-terminated), feeding `input` (may be NULL) on
 * stdin; *out and *err get what it printed (new strings, gr_free). Returns
 * the exit status, or 128 + the signal that ended it, or -1 if it could
 * not be started.
 */
int ts_run(char *const argv[], const char *input, char **out, char **err);

/** The tmpl-ls binary beside the test program (argv0: build/VARIANT/tests/AREA/test_x). */
char *ts_binary_beside(const char *argv0);

#endif
