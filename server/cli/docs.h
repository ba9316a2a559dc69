/*
 * docs.h: how `tmpl-ls check` checks documents: it finds the workspace's
 * templates under --root (or takes --template), finds each document's
 * template, and gathers the document's diagnostics from the model.
 */
#ifndef TMPL_SERVER_CLI_DOCS_H
#define TMPL_SERVER_CLI_DOCS_H

#include <stddef.h>

#include "grammar/grammar.h"
#include "server/model/source.h"
#include "server/features/diagnostics.h"
#include "server/features/settings.h"
#include "server/model/scan.h"

typedef struct tl_check_docs {
  void *impl; /* owned */
} tl_check_docs;

/**
 * Load the templates under `root` (and `template_path`, when given, which is
 * then every document's template), and root's .tmpl-ls.json when there is
 * one. Returns 0, or -1 after printing why to stderr (what could be loaded
 * is kept: a wrong setting is left out, a file that is not JSON ignored).
 */
int tl_check_docs_init(tl_check_docs *docs, const char *root, const char *template_path);

/**
 * Append the diagnostics of document `path` (text and tree borrowed) to
 * `out`; *note gets a new sentence saying which template it was checked
 * against and why (caller frees), or NULL.
 */
void tl_check_docs_diagnose(tl_check_docs *docs, const char *path, const char *text, size_t len,
                            const gr_tree *tree, tl_diags *out, char **note);

/**
 * What the file at `path` is (server/model/source.h): the server's rule on
 * its path relative to --root, as the server judges it within a workspace
 * folder, a file outside the root by its name alone; text[0..len) (may be
 * NULL) decides for YAML under a "templates" folder.
 */
tl_source_kind tl_check_docs_kind(const tl_check_docs *docs, const char *path, const char *text, size_t len);

/** tl_check_docs_kind without the text: 1 for a template. */
int tl_check_docs_is_template(const tl_check_docs *docs, const char *path);

/** The settings of root's .tmpl-ls.json (defaults without one). */
const tl_settings *tl_check_docs_settings(const tl_check_docs *docs);

void tl_check_docs_free(tl_check_docs *docs);

/* ---- shared by check.c and docs.c --------------------------------------- */

/** `path` for a line of text (stderr, the text format): control characters as \xHH. New string. */
char *tl_check_name(const char *path);

/** Say on stderr which links a walk of `dir` skipped (they lead out of it). */
void tl_check_say_links(const tl_scan_result *found, const char *dir);

#endif
