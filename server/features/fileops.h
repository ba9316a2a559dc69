/*
 * fileops.h: keeping what names a template right when files move
 * (ft_fileops_*, ft_marker_*), for workspace/willRenameFiles: the marker
 * comments of documents (<!-- tmpl-ls: template=PATH -->, assoc.h) and the
 * "templates" values of a .tmpl-ls.json (settings.h).
 *
 * Paths are keys of one workspace folder: relative to its root and
 * '/'-separated, as the index and tl_assoc name files. A rename moves a
 * file, or a folder with every key below it.
 */
#ifndef TMPL_SERVER_FEATURES_FILEOPS_H
#define TMPL_SERVER_FEATURES_FILEOPS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"

/* One file or folder moving from `from` to `to` (keys). */
typedef struct ft_rename {
  const char *from, *to;
} ft_rename;

/** Where `key` goes under renames[0..n) (the first that moves it): a new string, or NULL when it stays. */
char *ft_fileops_moved(const char *key, const ft_rename *renames, size_t n);

/** Does the folder have a template at `key`? (The marker rule's lookups.) */
typedef int (*ft_fileops_known)(const char *key, void *ctx);

/**
 * The new value of the marker of the document at `doc_key` whose path
 * reads `value` (as written, without its quotes), when renames[0..n)
 * happen; NULL when it needs no change (or cannot be written: a path with
 * '"' or "-->"). The marker names what tl_assoc resolves: the path read
 * from the document's folder if `known` has a template there, else from
 * the root if it has one there, else the first of the two that a rename
 * moves. The new value keeps the form written: read from the document's
 * folder, it stays relative to it (to its new folder when the document
 * moves too), "./" kept; read from the root, it stays so, a leading "./"
 * or "/" kept. `quoted`: the value is between quotes and the result goes
 * between them; otherwise a result holding a blank comes with quotes.
 * A new string.
 */
char *ft_fileops_marker(const char *doc_key, const char *value, int quoted, const ft_rename *renames, size_t n,
                        ft_fileops_known known, void *ctx);

/* A document's marker, where it is written: what an edit of it needs without the text. */
typedef struct ft_marker {
  char *value; /* the path as written (without quotes) */
  uint8_t quoted;
  uint32_t line;       /* 0-based */
  uint32_t start, end; /* the path's byte columns in head */
  char *head;          /* the line's bytes from its start to the path's end */
  uint32_t head_len;
} ft_marker;

/**
 * The marker of a document's tree (tl_assoc_marker_at; the tree's text is
 * read during the call only): a new ft_marker (ft_marker_free), or NULL
 * when the document has none or its path runs over a line end.
 */
ft_marker *ft_marker_of(const gr_tree *tree);
void ft_marker_free(ft_marker *m);

/* Replace bytes `span` of a text by `text` (owned). */
typedef struct ft_fileop_edit {
  gr_span span;
  char *text;
} ft_fileop_edit;

typedef struct ft_fileop_edits {
  ft_fileop_edit *items;
  size_t len, cap;
} ft_fileop_edits;

/**
 * The edits of a .tmpl-ls.json text[0..len) that keep its "templates"
 * values naming the templates renames[0..n) move (a value is a path from
 * the root; a leading "./" is kept). Appended to *out, in text order.
 * The JSON is read by a small scanner, which knows where each value is
 * written (jansson does not say): a text that is not a JSON object, or
 * whose "templates" is not an object, gives no edit, and so does a value
 * after a syntax error. Each edit replaces a whole string, quotes
 * included, by the new path as a JSON string.
 */
void ft_fileops_settings(const char *text, size_t len, const ft_rename *renames, size_t n, ft_fileop_edits *out);
void ft_fileop_edits_free(ft_fileop_edits *edits);

#endif
