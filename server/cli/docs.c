/*
 * docs.c: documents in `tmpl-ls check`. The templates under --root are
 * found with tl_scan and read once into a tl_workspace; each document is
 * matched to its template with tl_assoc (the rules in assoc.h) and checked
 * with tl_docdiag, the same model the server uses.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "server/cli/docs.h"

#include "server/model/source.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/assoc.h"
#include "server/model/document.h"
#include "server/model/fileio.h"
#include "server/model/scan.h"
#include "server/model/workspace.h"

#define TL_CHECK_MAX_TEMPLATE_BYTES TL_FILE_MAX_TEMPLATE_BYTES /* the server's limit */
#define TL_CHECK_ROOT_FILES 100000u /* files the walk of --root lists (then templates only) */
#define TL_CHECK_ROOT_DEPTH 64u

typedef struct tl__docs {
  tl_workspace *ws;
  char *root_real;     /* realpath of --root, or NULL */
  char *forced;        /* workspace path of --template, or NULL */
  tl_settings settings; /* from --root's .tmpl-ls.json */
} tl__docs;

/* A file of the workspace: a regular file inside --root when it is under it. */
static char *tl__read_file(const tl__docs *d, const char *path, size_t *len, int *err) {
  char *text = NULL;
  tl_file_opts opts = {TL_CHECK_MAX_TEMPLATE_BYTES, d->root_real};
  *err = tl_file_read(path, &opts, &text, len);
  return text;
}

void tl_check_say_links(const tl_scan_result *found, const char *dir) {
  char *d = tl_check_name(dir);
  for (size_t i = 0; i < found->nlinks; i++) {
    char *l = tl_check_name(found->links[i]);
    fprintf(stderr, "tmpl-ls: '%s' in '%s' is a link to a file outside it; skipped\n", l, d);
    gr_free(l);
  }
  if (found->links_skipped > found->nlinks)
    fprintf(stderr, "tmpl-ls: and %zu more links out of '%s'; skipped\n", found->links_skipped - found->nlinks, d);
  gr_free(d);
}

/*
 * `path` relative to the root when it lies under it (*under = 1), else as
 * given (*under = 0). A new string.
 */
static char *tl__relative_to_root(const tl__docs *d, const char *path, int *under) {
  char real[PATH_MAX];
  *under = 0;
  if (d->root_real && realpath(path, real)) {
    size_t n = strlen(d->root_real);
    if (strncmp(real, d->root_real, n) == 0 && real[n] == '/') {
      *under = 1;
      return gr_strndup(real + n + 1, strlen(real + n + 1));
    }
  }
  while (path[0] == '.' && path[1] == '/') path += 2;
  return gr_strndup(path, strlen(path));
}

static char *tl__relative(const tl__docs *d, const char *path) {
  int under;
  return tl__relative_to_root(d, path, &under);
}

tl_source_kind tl_check_docs_kind(const tl_check_docs *docs, const char *path, const char *text, size_t len) {
  const tl__docs *d = docs->impl;
  int under;
  char *rel = tl__relative_to_root(d, path, &under);
  tl_source_kind kind = tl_source_kind_of(under ? rel : path, under, text, len);
  gr_free(rel);
  return kind;
}

int tl_check_docs_is_template(const tl_check_docs *docs, const char *path) {
  return tl_source_is_template(tl_check_docs_kind(docs, path, NULL, 0));
}

static int tl__add_template(tl__docs *d, const char *file, const char *as, int inside) {
  size_t len;
  int err = 0;
  char *text = NULL;
  if (inside) text = tl__read_file(d, file, &len, &err);
  else err = tl_file_read(file, &(tl_file_opts){TL_CHECK_MAX_TEMPLATE_BYTES, NULL}, &text, &len);
  if (!text) {
    char *shown = tl_check_name(file);
    fprintf(stderr, "tmpl-ls: cannot read template '%s': %s%s\n", shown, tl_file_strerror(err),
            err == TL_ETOOBIG ? " (4 MiB)" : "");
    gr_free(shown);
    return -1;
  }
  if (tl_source_is_yaml_name(as) && !tl_source_is_template(tl_source_kind_of(as, 1, text, len))) {
    gr_free(text); /* YAML of another kind under templates/: left alone */
    return 0;
  }
  tl_workspace_put(d->ws, as, text, len);
  gr_free(text);
  return 0;
}

/* --root's .tmpl-ls.json, when there is one. Returns 0, or -1 after saying what is wrong. */
static int tl__load_settings(tl__docs *d, const char *root) {
  size_t n = strlen(root) + sizeof "/" TL_SETTINGS_FILE;
  char *path = gr_malloc(n);
  snprintf(path, n, "%s/%s", root, TL_SETTINGS_FILE);
  int status = 0, err = 0;
  size_t len;
  char *text = tl__read_file(d, path, &len, &err);
  if (!text && err != -ENOENT) {
    char *shown = tl_check_name(path);
    fprintf(stderr, "tmpl-ls: cannot read '%s': %s\n", shown, tl_file_strerror(err));
    gr_free(shown);
    status = -1;
  } else if (text) {
    tl_settings_problems problems = {0};
    tl_settings_load(&d->settings, text, len, path, &problems);
    for (size_t i = 0; i < problems.len; i++) fprintf(stderr, "tmpl-ls: %s\n", problems.items[i]);
    if (problems.len) status = -1;
    tl_settings_problems_free(&problems);
  }
  gr_free(text);
  gr_free(path);
  return status;
}

const tl_settings *tl_check_docs_settings(const tl_check_docs *docs) {
  return &((const tl__docs *)docs->impl)->settings;
}

int tl_check_docs_init(tl_check_docs *docs, const char *root, const char *template_path) {
  tl__docs *d = gr_calloc(1, sizeof *d);
  docs->impl = d;
  d->ws = tl_workspace_new();
  tl_settings_init(&d->settings);
  char real[PATH_MAX];
  if (realpath(root, real)) d->root_real = gr_strndup(real, strlen(real));
  int status = tl__load_settings(d, root);
  tl_scan_result *found = NULL;
  /* Past its file limit the walk goes on for templates (tl_scan), so a
   * root of many documents still finds them; a cut is said, not hidden. */
  tl_scan_options opts = {TL_CHECK_ROOT_DEPTH, TL_CHECK_ROOT_FILES};
  int err = tl_scan(root, &opts, &found);
  char *shown = tl_check_name(root);
  if (err != 0) {
    fprintf(stderr, "tmpl-ls: cannot search --root '%s' for templates: %s\n", shown,
            tl_model_strerror(err));
    status = -1;
  } else {
    if (found->truncated)
      fprintf(stderr, "tmpl-ls: --root '%s': the search for templates stopped after %u files or %u folders "
              "deep; some templates may be missing\n", shown, TL_CHECK_ROOT_FILES, TL_CHECK_ROOT_DEPTH);
    for (size_t i = 0; i < found->nlinks; i++) {
      if (tl_scan_classify(found->links[i]) != TL_SCAN_TEMPLATE) continue;
      char *l = tl_check_name(found->links[i]);
      fprintf(stderr, "tmpl-ls: template '%s' under --root '%s' is a link to a file outside it; not used\n", l,
              shown);
      gr_free(l);
    }
    for (size_t i = 0; i < found->len; i++) {
      if (found->items[i].kind != TL_SCAN_TEMPLATE) continue;
      size_t n = strlen(root) + strlen(found->items[i].path) + 2;
      char *file = gr_malloc(n);
      snprintf(file, n, "%s/%s", root, found->items[i].path);
      if (tl__add_template(d, file, found->items[i].path, 1) != 0) status = -1;
      gr_free(file);
    }
    tl_scan_free(found);
  }
  gr_free(shown);
  if (template_path) {
    d->forced = tl__relative(d, template_path);
    if (tl__add_template(d, template_path, d->forced, 0) != 0) status = -1;
  }
  return status;
}

void tl_check_docs_diagnose(tl_check_docs *docs, const char *path, const char *text, size_t len,
                            const gr_tree *tree, tl_diags *out, char **note) {
  (void)text, (void)len;
  tl__docs *d = docs->impl;
  char *rel = tl__relative(d, path);
  tl_assoc_options opts = tl_settings_assoc(&d->settings);
  opts.forced = d->forced;
  tl_assoc *a = tl_assoc_find(d->ws, rel, tree, &opts);
  const tl_template *tmpl =
      a->template != TL_NONE ? tl_workspace_template(d->ws, a->template) : NULL;
  tl_document *doc = tl_document_new(tree, tmpl);
  tl_diags_from_document(out, doc);
  tl_diags_from_association(out, doc, a);
  *note = a->reason ? gr_strndup(a->reason, strlen(a->reason)) : NULL;
  tl_document_free(doc);
  tl_assoc_free(a);
  gr_free(rel);
}

void tl_check_docs_free(tl_check_docs *docs) {
  tl__docs *d = docs->impl;
  if (!d) return;
  tl_workspace_free(d->ws);
  tl_settings_free(&d->settings);
  gr_free(d->root_real);
  gr_free(d->forced);
  gr_free(d);
  docs->impl = NULL;
}
