/*
 * scan.h: find templates and Markdown documents under a root (tl_scan_*).
 *
 * Blocking: for the CLI, and for the server off its loop. Bounded: at most
 * max_depth folders deep and max_files results (past max_files the walk
 * goes on for templates alone, up to max_files of them, so that a big
 * folder of documents cannot hide its templates); folders named .git,
 * node_modules and build are skipped; symbolic links to folders are not
 * followed (no cycles), and links to files only when they resolve to a
 * file inside the root (a workspace never reads a file elsewhere). Which
 * files are listed, and which are templates, is source.h's answer
 * (tl_source_kind_of_name): ".md" files (templates by name or under a
 * "templates" folder, documents otherwise) and YAML templates; a ".yaml" /
 * ".yml" under a "templates" folder is listed as a template that only its
 * text can confirm (tl_source_kind_of, when read).
 */
#ifndef TMPL_SERVER_MODEL_SCAN_H
#define TMPL_SERVER_MODEL_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "server/model/model.h"

typedef enum tl_scan_kind { TL_SCAN_TEMPLATE = 1, TL_SCAN_DOCUMENT = 2 } tl_scan_kind;

typedef struct tl_scan_entry {
  char *path;        /* relative to the root, '/'-separated (owned) */
  tl_scan_kind kind;
} tl_scan_entry;

typedef struct tl_scan_options {
  uint32_t max_depth; /* folders below the root; 0 means 16 */
  uint32_t max_files; /* results; 0 means 10000 */
} tl_scan_options;

typedef struct tl_scan_result {
  tl_scan_entry *items; /* sorted by path (bytewise) */
  size_t len;
  uint8_t truncated;    /* 1 when a limit stopped the walk */
  char **links;         /* links to files outside the root, skipped: their paths
                           below the root, in the walk's order (the first 64) */
  size_t nlinks;
  size_t links_skipped; /* all of them (nlinks or more) */
} tl_scan_result;

/**
 * Walk `root`. On success returns 0 and sets *out to a new result
 * (tl_scan_free); unreadable subfolders are skipped. Returns TL_ENOTDIR
 * when root is not a folder, TL_EIO when it cannot be opened (*out NULL).
 */
int tl_scan(const char *root, const tl_scan_options *opts, tl_scan_result **out);
void tl_scan_free(tl_scan_result *r);

/**
 * Would a walk with `opts` (may be NULL) list the file at `relpath` (a
 * path below the root)? A listed name, no skipped folder on the way, not
 * too deep. For files that change after a walk (watched files).
 */
int tl_scan_lists(const char *relpath, const tl_scan_options *opts);

/** Is `relpath` a folder the walk skips (.git, node_modules, build), or inside one? */
int tl_scan_skips(const char *relpath);

/** The kind `relpath` would get (templates by the rules above), from its name alone. */
tl_scan_kind tl_scan_classify(const char *relpath);

#endif
