/*
 * wsindex.c: the workspace index (see wsindex.h).
 *
 * Each folder keeps a tl_workspace and, in the same order, one tl_wsi__tmpl
 * per entry with what the workspace does not know: where its text came
 * from (disk or an open document), the disk copy to come back to while an
 * open document overrides it, its URI, its line index, and its stamp (the
 * generation at which its text last changed).
 *
 * One counter, `gen`, moves on every change; `set_gen` records the last
 * change to the set of templates. Views are cached per open document and
 * are valid while the document's revision and `gen` are those they were
 * computed for.
 *
 * Documents on disk: beside the sorted keys of a folder's Markdown files,
 * `docs` (parallel to `files`) keeps for each document what
 * workspace/symbol and willRenameFiles need of it without its text: its
 * headings (ft_wsyms) and its marker (ft_marker), with the size and mtime
 * they were read at. They are read by document jobs, queued after each
 * scan and for watched documents, one out per folder at a time and apart
 * from the template jobs: nothing waits for them (tl_wsi_busy does not
 * count them), and a file whose size and mtime did not change is not read
 * again.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "server/lsp/wsindex.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h> /* malloc_trim */
#endif
#include <sys/stat.h>

#include "grammar/alloc.h"
#include "server/model/fileio.h"
#include "server/model/scan.h"
#include "server/model/source.h"
#include "server/features/diagnostics.h"
#include "server/features/settings.h"

#define TL_WSI__NO_STAT INT64_MIN /* a document never read: its size and mtime are unknown */

/* ---- structures --------------------------------------------------------- */

typedef struct tl_wsi__tmpl {
  char *path;       /* key, as in the workspace */
  char *uri;        /* the disk URI, built on demand (NULL until then) */
  char *open_uri;   /* the open document overriding the disk copy, or NULL */
  uint64_t open_rev;
  bool on_disk;     /* the last scan found it (or it was saved) */
  bool seen_open;   /* scratch for tl_wsi__sync */
  char *disk;       /* while open and on disk: the disk copy; NULL otherwise */
  size_t disk_len;
  gr_lines *lines;  /* of the current text; NULL until asked for */
  lsp_pos_memo *memo; /* its position memo (long lines), with the lines */
  ft_wsyms *syms;   /* its symbols (workspace/symbol); NULL until asked for */
  uint64_t stamp;
} tl_wsi__tmpl;

/* Drop what was derived from the entry's text. */
static void tl_wsi__drop_lines(tl_wsi__tmpl *t) {
  gr_lines_free(t->lines);
  t->lines = NULL;
  if (t->memo) lsp_pos_memo_reset(t->memo);
  gr_free(t->memo);
  t->memo = NULL;
  ft_wsyms_free(t->syms);
  t->syms = NULL;
}

/* What the index knows of a document on disk without its text. */
typedef struct tl_wsi__doc {
  ft_wsyms *syms;     /* its headings as last read, or NULL (not read yet, a template, not readable) */
  ft_marker *marker;  /* its marker as last read, or NULL */
  int64_t size, mtime; /* when they were read (mtime in ns), or TL_WSI__NO_STAT */
} tl_wsi__doc;

static const tl_wsi__doc tl_wsi__no_doc = {NULL, NULL, TL_WSI__NO_STAT, TL_WSI__NO_STAT};

static void tl_wsi__doc_clear(tl_wsi__doc *d) {
  ft_wsyms_free(d->syms);
  ft_marker_free(d->marker);
  *d = tl_wsi__no_doc;
}

struct tl_wsi_folder {
  char *root;       /* absolute, no trailing '/'; "" for the loose folder */
  bool loose;
  tl_workspace *ws;
  GR_ARRAY(tl_wsi__tmpl) tmpls; /* parallel to the workspace's entries */
  GR_ARRAY(char *) files;       /* keys of the Markdown files of the last scan, sorted */
  GR_ARRAY(tl_wsi__doc) docs;   /* parallel to files: documents on disk as last read */
  uint64_t id;                  /* unique in the index: jobs name their folder by it */
  bool scanning;                /* a job for it is out: the next one waits */
  bool reading_docs;            /* a document job for it is out: the next one waits */
  char *settings_text;          /* its .tmpl-ls.json as last read, or NULL */
  size_t settings_len;
  tl_settings file_settings;    /* read from settings_text */
  tl_settings effective;        /* the editor's with file_settings on top */
  char *real;                   /* the root's real path, once tl_wsi_folder_read asked (or NULL) */
  tl_settings_problems problems; /* not yet taken (tl_wsi_take_problems) */
  GR_ARRAY(char *) unreadable;  /* keys already reported as not read, sorted: said once */
};

/* A template file a scan read, parsed and modelled on the scan's thread so
 * that the loop only links it in (tl_wsi_job_done). */
typedef struct tl_wsi__file {
  char *path;
  char *text;
  size_t len;
  tl_template *model; /* of text (borrowed: tl_source_template keep_text), or NULL once handed over */
  ft_wsyms *syms;     /* of model */
} tl_wsi__file;

/* A document a document job reads (or finds unchanged, or gone). */
typedef enum tl_wsi__read_state { TL_WSI__UNCHANGED = 0, TL_WSI__READ, TL_WSI__GONE } tl_wsi__read_state;

typedef struct tl_wsi__docread {
  char *key;
  int64_t size, mtime; /* known when taken; what was read after the run */
  tl_wsi__read_state state;
  ft_wsyms *syms;
  ft_marker *marker;
} tl_wsi__docread;

/* A file the job could not read (or would not: a link out of the folder). */
typedef struct tl_wsi__skip {
  char *key;
  int err; /* tl_file_read's */
} tl_wsi__skip;

struct tl_wsi_job {
  char *root;
  char *root_real;                  /* the root resolved (tl_wsi_job_run), or NULL */
  uint64_t folder;                  /* the folder's id: a folder removed and added again is another */
  GR_ARRAY(char *) only;            /* keys to read again (watched files); empty: the whole folder */
  GR_ARRAY(tl_wsi__file) templates; /* sorted by path (the scan's order) */
  GR_ARRAY(char *) files;
  char *settings_text; /* the root's .tmpl-ls.json (whole-folder jobs), or NULL */
  size_t settings_len;
  const char *note;     /* a limit that cut the job (static), or NULL */
  GR_ARRAY(tl_wsi__skip) skipped; /* files not read, in the scan's order */
  bool docs;                        /* a document job: reads[] alone */
  GR_ARRAY(tl_wsi__docread) reads;
  bool ran;
};

typedef struct tl_wsi__cache {
  char *uri;
  bool valid;
  uint64_t doc_rev, gen;
  tl_wsi_folder *folder;
  char *path;
  bool is_template;
  uint32_t tmpl;
  tl_assoc *assoc;
  tl_document *document;
  /* what the published diagnostics were computed against (tl_wsi_mark) */
  bool marked;
  tl_wsi_folder *mark_folder;
  char *mark_tmpl;
  uint64_t mark_stamp, mark_set_gen;
  /* the document's symbols (workspace/symbol) and the revision they are of */
  ft_wsyms *syms;
  uint64_t syms_rev;
} tl_wsi__cache;

struct tl_wsi {
  tl_docs *docs;
  GR_ARRAY(tl_wsi_folder *) folders; /* [0] is the loose folder */
  GR_ARRAY(tl_wsi_job *) queued;
  size_t jobs_out;                   /* taken, not yet handed back */
  GR_ARRAY(tl_wsi_job *) doc_queued; /* document jobs */
  size_t doc_jobs_out;
  GR_ARRAY(tl_wsi__cache) caches;
  uint64_t gen, set_gen;
  tl_settings editor; /* the editor's settings (tl_wsi_set_editor_settings) */
  uint64_t settings_gen; /* gen when any folder's settings last changed */
  uint64_t next_folder_id;
};

/* ---- strings, paths and URIs -------------------------------------------- */

static char *tl_wsi__dup(const char *s) { return gr_strndup(s, strlen(s)); }

static int tl_wsi__hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/*
 * The path of a file: URI ("file:///a/b%20c.md?x#y" -> "/a/b c.md"), the
 * authority ignored. A new string, or NULL when `uri` is not a file: URI.
 */
static char *tl_wsi__uri_path(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0) return NULL;
  const char *p = uri + 7;
  p += strcspn(p, "/?#"); /* authority */
  size_t n = strcspn(p, "?#");
  char *out = gr_malloc(n + 1);
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    int h, l;
    if (p[i] == '%' && i + 2 < n && (h = tl_wsi__hex(p[i + 1])) >= 0 && (l = tl_wsi__hex(p[i + 2])) >= 0) {
      char c = (char)(h * 16 + l);
      if (c == '\0') c = '_'; /* no NUL inside a path */
      out[k++] = c;
      i += 2;
    } else {
      out[k++] = p[i];
    }
  }
  out[k] = '\0';
  if (k == 0) {
    gr_free(out);
    return NULL;
  }
  return out;
}

/* "file://" + the absolute path, percent-encoding all but unreserved bytes and '/'. */
static char *tl_wsi__path_uri(const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(path);
  char *out = gr_malloc(7 + 3 * n + 1);
  memcpy(out, "file://", 7);
  size_t k = 7;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)path[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out[k++] = (char)c;
    } else {
      out[k++] = '%';
      out[k++] = hex[c >> 4];
      out[k++] = hex[c & 15];
    }
  }
  out[k] = '\0';
  return out;
}

/* Fold "." and ".." segments and repeated '/' of a '/'-separated path (new string). */
static char *tl_wsi__fold(const char *path) {
  size_t n = strlen(path);
  char *out = gr_malloc(n + 1);
  size_t k = 0;
  bool abs = path[0] == '/';
  const char *p = path;
  while (*p) {
    while (*p == '/') p++;
    size_t len = strcspn(p, "/");
    if (len == 0) break;
    if (len == 1 && p[0] == '.') {
      /* nothing */
    } else if (len == 2 && p[0] == '.' && p[1] == '.') {
      while (k > 0 && out[k - 1] != '/') k--;
      if (k > 0) k--;
    } else {
      if (k > 0 || abs) out[k++] = '/';
      memcpy(out + k, p, len);
      k += len;
    }
    p += len;
  }
  if (k == 0 && abs) out[k++] = '/';
  out[k] = '\0';
  return out;
}

/* ---- folders ------------------------------------------------------------ */

static tl_wsi_folder *tl_wsi__folder_new(const char *root, bool loose) {
  tl_wsi_folder *f = gr_calloc(1, sizeof *f);
  f->root = tl_wsi__dup(root);
  f->loose = loose;
  f->ws = tl_workspace_new();
  tl_settings_init(&f->file_settings);
  tl_settings_init(&f->effective);
  return f;
}

static void tl_wsi__tmpl_clear(tl_wsi__tmpl *t) {
  gr_free(t->path);
  gr_free(t->uri);
  gr_free(t->open_uri);
  gr_free(t->disk);
  tl_wsi__drop_lines(t);
}

static void tl_wsi__files_free(char **files, size_t n) {
  for (size_t i = 0; i < n; i++) gr_free(files[i]);
}

static void tl_wsi__folder_free(tl_wsi_folder *f) {
  for (size_t i = 0; i < f->tmpls.len; i++) tl_wsi__tmpl_clear(&f->tmpls.items[i]);
  gr_array_free(&f->tmpls);
  tl_wsi__files_free(f->files.items, f->files.len);
  gr_array_free(&f->files);
  for (size_t i = 0; i < f->docs.len; i++) tl_wsi__doc_clear(&f->docs.items[i]);
  gr_array_free(&f->docs);
  tl_workspace_free(f->ws);
  gr_free(f->settings_text);
  tl_settings_free(&f->file_settings);
  tl_settings_free(&f->effective);
  gr_free(f->real);
  tl_settings_problems_free(&f->problems);
  tl_wsi__files_free(f->unreadable.items, f->unreadable.len);
  gr_array_free(&f->unreadable);
  gr_free(f->root);
  gr_free(f);
}

/*
 * The folder and key of a URI: the folder with the longest root holding
 * the path, the key relative to it; else the loose folder with the
 * absolute path, or the URI itself when it is not a file: URI. *key new.
 */
static tl_wsi_folder *tl_wsi__locate(const tl_wsi *wsi, const char *uri, char **key);

bool tl_wsi_is_template(const tl_wsi *wsi, const char *uri, const char *text, size_t len) {
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, uri, &key);
  /* The loose folder's keys are absolute paths: judge those by name alone. */
  bool yes = tl_source_is_template(tl_source_kind_of(key, f != wsi->folders.items[0], text, len));
  gr_free(key);
  return yes;
}

static tl_wsi_folder *tl_wsi__locate(const tl_wsi *wsi, const char *uri, char **key) {
  char *path = tl_wsi__uri_path(uri);
  if (!path) {
    *key = tl_wsi__dup(uri);
    return wsi->folders.items[0];
  }
  tl_wsi_folder *best = NULL;
  size_t best_len = 0;
  for (size_t i = 1; i < wsi->folders.len; i++) {
    tl_wsi_folder *f = wsi->folders.items[i];
    size_t n = strlen(f->root);
    if (strncmp(path, f->root, n) == 0 && path[n] == '/' && path[n + 1] && (!best || n > best_len)) {
      best = f;
      best_len = n;
    }
  }
  if (!best) {
    *key = path;
    return wsi->folders.items[0];
  }
  *key = tl_wsi__dup(path + best_len + 1);
  gr_free(path);
  return best;
}

/* The absolute path of key `key` of folder f (new), or NULL for a non-file key. */
static char *tl_wsi__abs(const tl_wsi_folder *f, const char *key) {
  if (f->loose) return key[0] == '/' ? tl_wsi__dup(key) : NULL;
  size_t a = strlen(f->root), b = strlen(key);
  char *s = gr_malloc(a + b + 2);
  memcpy(s, f->root, a);
  s[a] = '/';
  memcpy(s + a + 1, key, b + 1);
  return s;
}

/* The URI of key `key` of folder f (new). */
static char *tl_wsi__key_uri(const tl_wsi_folder *f, const char *key) {
  char *abs = tl_wsi__abs(f, key);
  if (!abs) return tl_wsi__dup(key);
  char *uri = tl_wsi__path_uri(abs);
  gr_free(abs);
  return uri;
}

/* ---- templates of a folder ---------------------------------------------- */

static uint32_t tl_wsi__track_tmpl(tl_wsi *wsi, tl_wsi_folder *f, const char *key, uint32_t i);

/*
 * Hand the pages of freed memory back to the system. A shed tree lies in
 * the middle of the heap, where free() keeps its pages: a 10 MB template's
 * stayed resident through the typing that followed (bench/lsp, 10 MB: peak
 * RSS 87 -> 75 MB with this, once per sync that shed; malloc_trim reads
 * the free lists, about a millisecond here).
 */
static void tl_wsi__give_back(void) {
#ifdef __GLIBC__
  malloc_trim(0);
#endif
}

/* The tree the entry of an open template can copy (tl_workspace_put_copy):
 * the document's, which its checks parse anyway; NULL for a disk text. */
static const gr_tree *tl_wsi__doc_tree(tl_doc *doc) {
  return doc && tl_doc_kind(doc) == TL_SOURCE_MD_TEMPLATE ? tl_doc_tree(doc) : NULL;
}

/* Add key with text[0..len), the text of `doc` (NULL: of the disk). */
static uint32_t tl_wsi__add_tmpl(tl_wsi *wsi, tl_wsi_folder *f, const char *key, const char *text, size_t len,
                                 tl_doc *doc) {
  uint32_t i = tl_workspace_put_copy(f->ws, key, text, len, tl_wsi__doc_tree(doc));
  return tl_wsi__track_tmpl(wsi, f, key, i);
}

/* A scanned file, parsed on the scan's thread: its text and model (with its tree) move in. */
static uint32_t tl_wsi__add_file(tl_wsi *wsi, tl_wsi_folder *f, tl_wsi__file *file) {
  uint32_t i = tl_workspace_put_parsed(f->ws, file->path, file->text, file->len, file->model);
  file->text = NULL, file->model = NULL;
  i = tl_wsi__track_tmpl(wsi, f, file->path, i);
  f->tmpls.items[i].syms = file->syms;
  file->syms = NULL;
  return i;
}

static uint32_t tl_wsi__track_tmpl(tl_wsi *wsi, tl_wsi_folder *f, const char *key, uint32_t i) {
  tl_wsi__tmpl t;
  memset(&t, 0, sizeof t);
  t.path = tl_wsi__dup(key);
  t.stamp = ++wsi->gen;
  wsi->set_gen = wsi->gen;
  gr_array_push(&f->tmpls, t);
  return i;
}

static void tl_wsi__remove_tmpl(tl_wsi *wsi, tl_wsi_folder *f, uint32_t i) {
  tl_workspace_remove(f->ws, f->tmpls.items[i].path);
  tl_wsi__tmpl_clear(&f->tmpls.items[i]);
  memmove(&f->tmpls.items[i], &f->tmpls.items[i + 1], (f->tmpls.len - i - 1) * sizeof *f->tmpls.items);
  f->tmpls.len--;
  wsi->set_gen = ++wsi->gen;
}

/* Does entry i hold text[0..len) already? */
static bool tl_wsi__same_text(tl_wsi_folder *f, uint32_t i, const char *text, size_t len) {
  size_t cur_len = 0;
  const char *cur = tl_workspace_text(f->ws, i, &cur_len);
  return cur && cur_len == len && memcmp(cur, text, len) == 0;
}

/* Entry i's text changed: what was derived from it goes. */
static void tl_wsi__changed(tl_wsi *wsi, tl_wsi_folder *f, uint32_t i) {
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  tl_wsi__drop_lines(t);
  t->stamp = ++wsi->gen;
}

/* Give entry i the text[0..len), that of `doc` (NULL: of the disk), unless it has it already. */
static void tl_wsi__set_text(tl_wsi *wsi, tl_wsi_folder *f, uint32_t i, const char *text, size_t len, tl_doc *doc) {
  if (tl_wsi__same_text(f, i, text, len)) return;
  tl_workspace_put_copy(f->ws, f->tmpls.items[i].path, text, len, tl_wsi__doc_tree(doc));
  tl_wsi__changed(wsi, f, i);
}

/*
 * Bring the open templates into their folders, and the closed ones back
 * to their disk copies. Cheap when nothing changed: no text is compared
 * unless a revision moved.
 */
static void tl_wsi__sync_ex(tl_wsi *wsi, bool defer_edits);
static void tl_wsi__sync(tl_wsi *wsi) { tl_wsi__sync_ex(wsi, false); }

/* defer_edits: an open template whose text changed keeps its model until
 * a later sync without it (a view, a feature, a document opening): see
 * tl_wsi_generation. Opening and closing are never deferred. */
static void tl_wsi__sync_ex(tl_wsi *wsi, bool defer_edits) {
  for (size_t k = 0; k < wsi->folders.len; k++) {
    tl_wsi_folder *f = wsi->folders.items[k];
    for (size_t i = 0; i < f->tmpls.len; i++) f->tmpls.items[i].seen_open = false;
  }
  size_t n = tl_docs_count(wsi->docs);
  bool shed = false;
  for (size_t d = 0; d < n; d++) {
    tl_doc *doc = tl_docs_at(wsi->docs, d);
    if (!tl_doc_is_template(doc)) continue;
    const char *uri = tl_doc_uri(doc);
    char *key;
    tl_wsi_folder *f = tl_wsi__locate(wsi, uri, &key);
    uint32_t i = tl_workspace_find(f->ws, key);
    size_t len;
    const char *text = tl_doc_text(doc, &len);
    if (i == TL_NONE) i = tl_wsi__add_tmpl(wsi, f, key, text, len, doc);
    gr_free(key);
    tl_wsi__tmpl *t = &f->tmpls.items[i];
    if (t->seen_open) continue; /* two URIs for one file (a query): the first wins */
    t->seen_open = true;
    if (t->open_uri && strcmp(t->open_uri, uri) == 0 && t->open_rev == tl_doc_revision(doc)) continue;
    if (t->open_uri && strcmp(t->open_uri, uri) == 0 && defer_edits) {
      /* The editor's text runs ahead of the entry: its model stays for
       * the readers of this time (a document's checks, workspace
       * symbols), its tree goes until one asks for it (a 10 MB
       * template's is 7 MB; the document holds its own of the new text). */
      shed |= tl_workspace_shed_tree(f->ws, i);
      continue;
    }
    if (!t->open_uri && t->on_disk && !t->disk) {
      /* Keep the disk copy to come back to. */
      size_t dl;
      const char *dt = tl_workspace_text(f->ws, i, &dl);
      t->disk = gr_strndup(dt, dl);
      t->disk_len = dl;
    }
    gr_free(t->open_uri);
    t->open_uri = tl_wsi__dup(uri);
    t->open_rev = tl_doc_revision(doc);
    tl_wsi__set_text(wsi, f, i, text, len, doc);
  }
  if (shed) tl_wsi__give_back(); /* once, however many were shed */
  /* Closed since the last sync. */
  for (size_t k = 0; k < wsi->folders.len; k++) {
    tl_wsi_folder *f = wsi->folders.items[k];
    for (size_t i = f->tmpls.len; i-- > 0;) {
      tl_wsi__tmpl *t = &f->tmpls.items[i];
      if (!t->open_uri || t->seen_open) continue;
      gr_free(t->open_uri);
      t->open_uri = NULL;
      if (!t->on_disk) {
        tl_wsi__remove_tmpl(wsi, f, (uint32_t)i);
        continue;
      }
      if (t->disk) {
        tl_wsi__set_text(wsi, f, (uint32_t)i, t->disk, t->disk_len, NULL);
        t = &f->tmpls.items[i];
        gr_free(t->disk);
        t->disk = NULL;
      }
    }
  }
}

/* ---- lifetime ----------------------------------------------------------- */

tl_wsi *tl_wsi_new(tl_docs *docs) {
  tl_wsi *wsi = gr_calloc(1, sizeof *wsi);
  wsi->docs = docs;
  tl_settings_init(&wsi->editor);
  tl_wsi_folder *loose = tl_wsi__folder_new("", true);
  gr_array_push(&wsi->folders, loose);
  return wsi;
}

/* ---- settings ----------------------------------------------------------- */

/* f's settings as they apply: the editor's, its file's on top. Everything
 * may match or read differently now. */
static void tl_wsi__settle_settings(tl_wsi *wsi, tl_wsi_folder *f) {
  tl_settings_free(&f->effective);
  tl_settings_merge(&f->effective, &wsi->editor, &f->file_settings);
  wsi->set_gen = ++wsi->gen;
  wsi->settings_gen = wsi->gen;
}

uint64_t tl_wsi_settings_generation(const tl_wsi *wsi) { return wsi->settings_gen; }

void tl_wsi_set_editor_settings(tl_wsi *wsi, const tl_settings *s) {
  tl_settings none;
  tl_settings_init(&none);
  tl_settings_free(&wsi->editor);
  tl_settings_merge(&wsi->editor, &none, s);
  for (size_t i = 0; i < wsi->folders.len; i++) tl_wsi__settle_settings(wsi, wsi->folders.items[i]);
}

/* A folder's .tmpl-ls.json as a scan read it (NULL: there is none). */
static void tl_wsi__settings_file(tl_wsi *wsi, tl_wsi_folder *f, char *text, size_t len) {
  if (text ? f->settings_text && f->settings_len == len && memcmp(text, f->settings_text, len) == 0
           : !f->settings_text) {
    gr_free(text);
    return;
  }
  gr_free(f->settings_text);
  f->settings_text = text;
  f->settings_len = len;
  tl_settings_free(&f->file_settings);
  if (text) {
    size_t n = strlen(f->root) + sizeof "/" TL_SETTINGS_FILE;
    char *where = gr_malloc(n);
    snprintf(where, n, "%s/%s", f->root, TL_SETTINGS_FILE);
    tl_settings_load(&f->file_settings, text, len, where, &f->problems);
    gr_free(where);
  }
  tl_wsi__settle_settings(wsi, f);
}

size_t tl_wsi_take_problems(tl_wsi *wsi, tl_settings_problems *out) {
  size_t n = 0;
  for (size_t i = 0; i < wsi->folders.len; i++) {
    tl_settings_problems *p = &wsi->folders.items[i]->problems;
    for (size_t k = 0; k < p->len; k++) {
      if (out->len == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->items = gr_realloc(out->items, out->cap * sizeof *out->items);
      }
      out->items[out->len++] = p->items[k];
      n++;
    }
    p->len = 0;
  }
  return n;
}

static void tl_wsi__cache_drop(tl_wsi__cache *c) {
  tl_document_free(c->document);
  tl_assoc_free(c->assoc);
  gr_free(c->path);
  c->document = NULL;
  c->assoc = NULL;
  c->path = NULL;
  c->valid = false;
}

static void tl_wsi__cache_free(tl_wsi__cache *c) {
  tl_wsi__cache_drop(c);
  ft_wsyms_free(c->syms);
  gr_free(c->uri);
  gr_free(c->mark_tmpl);
}

void tl_wsi_free(tl_wsi *wsi) {
  if (!wsi) return;
  for (size_t i = 0; i < wsi->caches.len; i++) tl_wsi__cache_free(&wsi->caches.items[i]);
  gr_array_free(&wsi->caches);
  for (size_t i = 0; i < wsi->queued.len; i++) tl_wsi_job_free(wsi->queued.items[i]);
  gr_array_free(&wsi->queued);
  for (size_t i = 0; i < wsi->doc_queued.len; i++) tl_wsi_job_free(wsi->doc_queued.items[i]);
  gr_array_free(&wsi->doc_queued);
  for (size_t i = 0; i < wsi->folders.len; i++) tl_wsi__folder_free(wsi->folders.items[i]);
  gr_array_free(&wsi->folders);
  tl_settings_free(&wsi->editor);
  gr_free(wsi);
}

/* ---- folders and scans -------------------------------------------------- */

/* The folder whose root is `root` (not the loose one), or NULL. */
static tl_wsi_folder *tl_wsi__folder_at(const tl_wsi *wsi, const char *root) {
  for (size_t i = 1; i < wsi->folders.len; i++)
    if (strcmp(wsi->folders.items[i]->root, root) == 0) return wsi->folders.items[i];
  return NULL;
}

/* The folder with id `id`, or NULL (it was removed). */
static tl_wsi_folder *tl_wsi__folder_by_id(const tl_wsi *wsi, uint64_t id) {
  for (size_t i = 1; i < wsi->folders.len; i++)
    if (wsi->folders.items[i]->id == id) return wsi->folders.items[i];
  return NULL;
}

/* The queued job for folder f not taken yet, or NULL. */
static tl_wsi_job *tl_wsi__queued_for(const tl_wsi *wsi, const tl_wsi_folder *f) {
  for (size_t i = 0; i < wsi->queued.len; i++)
    if (wsi->queued.items[i]->folder == f->id) return wsi->queued.items[i];
  return NULL;
}

/* A new job for folder f, queued. */
static tl_wsi_job *tl_wsi__job_new(tl_wsi *wsi, const tl_wsi_folder *f) {
  tl_wsi_job *job = gr_calloc(1, sizeof *job);
  job->root = tl_wsi__dup(f->root);
  job->folder = f->id;
  gr_array_push(&wsi->queued, job);
  return job;
}

/* The root of a folder given by URI or absolute path (new), or NULL. */
static char *tl_wsi__root_of(const char *uri_or_path) {
  if (!uri_or_path) return NULL;
  char *path = strncmp(uri_or_path, "file:", 5) == 0 ? tl_wsi__uri_path(uri_or_path)
               : uri_or_path[0] == '/'              ? tl_wsi__dup(uri_or_path)
                                                    : NULL;
  if (!path || path[0] != '/') {
    gr_free(path);
    return NULL;
  }
  char *root = tl_wsi__fold(path);
  gr_free(path);
  if (strcmp(root, "/") == 0) root[0] = '\0'; /* keys relative to "/" */
  return root;
}

int tl_wsi_add_folder(tl_wsi *wsi, const char *uri_or_path) {
  char *root = tl_wsi__root_of(uri_or_path);
  if (!root) return TL_EINVAL;
  if (tl_wsi__folder_at(wsi, root)) {
    gr_free(root);
    return TL_EINVAL;
  }
  if (wsi->folders.len - 1 >= TL_WSI_MAX_FOLDERS) {
    gr_free(root);
    return TL_ENOENT;
  }
  tl_wsi_folder *f = tl_wsi__folder_new(root, false);
  f->id = ++wsi->next_folder_id;
  gr_array_push(&wsi->folders, f);
  tl_wsi__settle_settings(wsi, f);
  /* Open templates that were loose may belong here now: move them. */
  tl_wsi_folder *loose = wsi->folders.items[0];
  for (size_t i = loose->tmpls.len; i-- > 0;) {
    size_t n = strlen(root);
    const char *key = loose->tmpls.items[i].path;
    if (strncmp(key, root, n) == 0 && key[n] == '/') tl_wsi__remove_tmpl(wsi, loose, (uint32_t)i);
  }
  tl_wsi__job_new(wsi, f);
  gr_free(root);
  wsi->gen++;
  return 0;
}

tl_wsi_job *tl_wsi_take_job(tl_wsi *wsi) {
  /* One job per folder at a time: a later read must not be overtaken by
   * an earlier scan of the same files. */
  for (size_t k = 0; k < wsi->queued.len; k++) {
    tl_wsi_job *job = wsi->queued.items[k];
    tl_wsi_folder *f = tl_wsi__folder_by_id(wsi, job->folder);
    if (f && f->scanning) continue;
    if (f) f->scanning = true;
    memmove(wsi->queued.items + k, wsi->queued.items + k + 1,
            (wsi->queued.len - k - 1) * sizeof *wsi->queued.items);
    wsi->queued.len--;
    wsi->jobs_out++;
    return job;
  }
  return NULL;
}

bool tl_wsi_busy(const tl_wsi *wsi) { return wsi->queued.len > 0 || wsi->jobs_out > 0; }

/* ---- documents on disk -------------------------------------------------- */

static size_t tl_wsi__file_slot(const tl_wsi_folder *f, const char *key, bool *found);

/* Folder f's document job not taken yet, made when there is none. */
static tl_wsi_job *tl_wsi__doc_job(tl_wsi *wsi, const tl_wsi_folder *f) {
  for (size_t i = 0; i < wsi->doc_queued.len; i++)
    if (wsi->doc_queued.items[i]->folder == f->id) return wsi->doc_queued.items[i];
  tl_wsi_job *job = gr_calloc(1, sizeof *job);
  job->root = tl_wsi__dup(f->root);
  job->folder = f->id;
  job->docs = true;
  gr_array_push(&wsi->doc_queued, job);
  return job;
}

static void tl_wsi__doc_read_add(tl_wsi_job *job, const char *key) {
  tl_wsi__docread r;
  memset(&r, 0, sizeof r);
  r.key = tl_wsi__dup(key);
  r.size = r.mtime = TL_WSI__NO_STAT;
  gr_array_push(&job->reads, r);
}

/* Read document `key` of folder f (again). */
static void tl_wsi__queue_doc(tl_wsi *wsi, tl_wsi_folder *f, const char *key) {
  if (f->loose || tl_scan_classify(key) != TL_SCAN_DOCUMENT) return;
  tl_wsi_job *job = tl_wsi__doc_job(wsi, f);
  for (size_t i = 0; i < job->reads.len; i++)
    if (strcmp(job->reads.items[i].key, key) == 0) return;
  tl_wsi__doc_read_add(job, key);
}

/* Look at every document of f's files (after a scan): those unchanged are not read again. */
static void tl_wsi__queue_docs(tl_wsi *wsi, tl_wsi_folder *f) {
  if (f->loose) return;
  tl_wsi_job *job = tl_wsi__doc_job(wsi, f);
  for (size_t i = 0; i < job->reads.len; i++) gr_free(job->reads.items[i].key);
  job->reads.len = 0;
  for (size_t i = 0; i < f->files.len; i++)
    if (tl_scan_classify(f->files.items[i]) == TL_SCAN_DOCUMENT) tl_wsi__doc_read_add(job, f->files.items[i]);
}

tl_wsi_job *tl_wsi_take_doc_job(tl_wsi *wsi) {
  for (size_t k = 0; k < wsi->doc_queued.len;) {
    tl_wsi_job *job = wsi->doc_queued.items[k];
    tl_wsi_folder *f = tl_wsi__folder_by_id(wsi, job->folder);
    if (f && f->reading_docs) { /* one at a time: a later read is not overtaken */
      k++;
      continue;
    }
    memmove(wsi->doc_queued.items + k, wsi->doc_queued.items + k + 1,
            (wsi->doc_queued.len - k - 1) * sizeof *wsi->doc_queued.items);
    wsi->doc_queued.len--;
    if (!f) { /* its folder went away */
      tl_wsi_job_free(job);
      continue;
    }
    f->reading_docs = true;
    /* What was read before, so that the job skips what did not change. */
    for (size_t i = 0; i < job->reads.len; i++) {
      bool found;
      size_t at = tl_wsi__file_slot(f, job->reads.items[i].key, &found);
      if (!found) continue;
      job->reads.items[i].size = f->docs.items[at].size;
      job->reads.items[i].mtime = f->docs.items[at].mtime;
    }
    wsi->doc_jobs_out++;
    return job;
  }
  return NULL;
}

bool tl_wsi_indexing(const tl_wsi *wsi) { return wsi->doc_queued.len > 0 || wsi->doc_jobs_out > 0; }

bool tl_wsi_job_is_docs(const tl_wsi_job *job) { return job->docs; }

/* A document job back: what it read joins the folder's files (still listed ones only). */
static void tl_wsi__docs_done(tl_wsi *wsi, tl_wsi_job *job) {
  if (wsi->doc_jobs_out) wsi->doc_jobs_out--;
  tl_wsi_folder *f = tl_wsi__folder_by_id(wsi, job->folder);
  if (f) f->reading_docs = false;
  for (size_t i = 0; f && job->ran && i < job->reads.len; i++) {
    tl_wsi__docread *r = &job->reads.items[i];
    bool found;
    size_t at = tl_wsi__file_slot(f, r->key, &found);
    if (!found || r->state == TL_WSI__UNCHANGED) continue;
    tl_wsi__doc *d = &f->docs.items[at];
    tl_wsi__doc_clear(d);
    if (r->state != TL_WSI__READ) continue;
    d->syms = r->syms;
    d->marker = r->marker;
    d->size = r->size;
    d->mtime = r->mtime;
    r->syms = NULL;
    r->marker = NULL;
  }
  tl_wsi_job_free(job);
}

const char *tl_wsi_job_root(const tl_wsi_job *job) { return job->root[0] ? job->root : "/"; }

/*
 * Read a file of the job's folder (tl_file_read: regular files only, at
 * most max bytes, never through a link out of the folder). The text, or
 * NULL with *err set (-ENOENT: not there).
 */
static char *tl_wsi__read(const tl_wsi_job *job, const char *path, size_t max, size_t *len, int *err) {
  tl_file_opts opts = {max, job->root_real};
  char *text = NULL;
  *err = job->root_real ? tl_file_read(path, &opts, &text, len) : -ENOENT;
  return text;
}

static void tl_wsi__skip_file(tl_wsi_job *job, const char *key, int err) {
  tl_wsi__skip k = {tl_wsi__dup(key), err};
  gr_array_push(&job->skipped, k);
}

/* Read and parse template `key` of the job's folder into job->templates; false if it cannot be read. */
static bool tl_wsi__read_template(tl_wsi_job *job, const char *key) {
  size_t n = strlen(job->root) + strlen(key) + 2;
  char *abs = gr_malloc(n);
  snprintf(abs, n, "%s/%s", job->root, key);
  tl_wsi__file file = {NULL, NULL, 0, NULL, NULL};
  int err = 0;
  file.text = tl_wsi__read(job, abs, TL_WSI_MAX_FILE_BYTES, &file.len, &err);
  gr_free(abs);
  if (!file.text) {
    if (err != -ENOENT) tl_wsi__skip_file(job, key, err);
    return false;
  }
  tl_source_kind kind = tl_source_kind_of(key, 1, file.text, file.len);
  if (!tl_source_is_template(kind)) { /* a YAML file of another kind: left alone */
    gr_free(file.text);
    return true;
  }
  file.path = tl_wsi__dup(key);
  file.model = tl_source_template(kind, file.text, file.len, true);
  file.syms = ft_wsyms_template(file.model, file.text, file.len);
  gr_array_push(&job->templates, file);
  return true;
}

static int tl_wsi__str_cmp(const void *a, const void *b);

/* A document job: each document's headings and marker, unless its size and mtime say it is unchanged. */
static void tl_wsi__read_docs(tl_wsi_job *job) {
  gr_options opts = {0, 0, GR_MODE_DOCUMENT};
  for (size_t i = 0; i < job->reads.len; i++) {
    tl_wsi__docread *r = &job->reads.items[i];
    size_t n = strlen(job->root) + strlen(r->key) + 2;
    char *abs = gr_malloc(n);
    snprintf(abs, n, "%s/%s", job->root, r->key);
    struct stat st;
    r->state = TL_WSI__GONE;
    if (stat(abs, &st) == 0 && S_ISREG(st.st_mode)) {
      int64_t mtime = (int64_t)st.st_mtim.tv_sec * 1000000000 + (int64_t)st.st_mtim.tv_nsec;
      size_t len = 0;
      int err = 0;
      char *text = NULL;
      if (r->size == (int64_t)st.st_size && r->mtime == mtime) {
        r->state = TL_WSI__UNCHANGED;
      } else if ((text = tl_wsi__read(job, abs, TL_WSI_MAX_FILE_BYTES, &len, &err)) != NULL) {
        gr_tree *tree = gr_parse(text, len, &opts);
        r->syms = ft_wsyms_document(tree);
        r->marker = ft_marker_of(tree);
        gr_tree_free(tree);
        gr_free(text);
        r->size = (int64_t)st.st_size;
        r->mtime = mtime;
        r->state = TL_WSI__READ;
      }
    }
    gr_free(abs);
  }
}

void tl_wsi_job_run(tl_wsi_job *job) {
  if (job->ran) return;
  job->ran = true;
  char real[PATH_MAX];
  const char *root = tl_wsi_job_root(job);
  if (realpath(root, real)) job->root_real = tl_wsi__dup(real);
  if (job->docs) {
    tl_wsi__read_docs(job);
    return;
  }
  if (job->only.len) { /* watched files: just these */
    qsort(job->only.items, job->only.len, sizeof *job->only.items, tl_wsi__str_cmp);
    for (size_t i = 0; i < job->only.len; i++) tl_wsi__read_template(job, job->only.items[i]);
    return;
  }
  tl_scan_options opts = {TL_WSI_MAX_SCAN_DEPTH, TL_WSI_MAX_SCAN_FILES};
  tl_scan_result *found = NULL;
  if (tl_scan(root, &opts, &found) != 0) {
    job->note = "the folder cannot be read";
    return;
  }
  size_t n = strlen(job->root) + sizeof "/" TL_SETTINGS_FILE;
  char *settings = gr_malloc(n);
  snprintf(settings, n, "%s/%s", job->root, TL_SETTINGS_FILE);
  int err = 0;
  job->settings_text = tl_wsi__read(job, settings, TL_WSI_MAX_FILE_BYTES, &job->settings_len, &err);
  if (!job->settings_text && err != -ENOENT) tl_wsi__skip_file(job, TL_SETTINGS_FILE, err);
  gr_free(settings);
  for (size_t i = 0; i < found->nlinks; i++) tl_wsi__skip_file(job, found->links[i], TL_EOUTSIDE);
  bool too_many = false;
  for (size_t i = 0; i < found->len; i++) {
    const tl_scan_entry *e = &found->items[i];
    gr_array_push(&job->files, tl_wsi__dup(e->path));
    if (e->kind != TL_SCAN_TEMPLATE) continue;
    if (job->templates.len >= TL_WSI_MAX_TEMPLATES) {
      too_many = true;
      continue;
    }
    tl_wsi__read_template(job, e->path);
  }
  if (found->truncated)
    job->note = "the scan stopped at a limit (20000 files or 16 folders deep); some files are not indexed";
  else if (too_many) job->note = "too many templates; the rest are not indexed";
  tl_scan_free(found);
}

void tl_wsi_job_free(tl_wsi_job *job) {
  if (!job) return;
  for (size_t i = 0; i < job->templates.len; i++) {
    gr_free(job->templates.items[i].path);
    tl_template_free(job->templates.items[i].model); /* before the text it borrows */
    gr_free(job->templates.items[i].text);
    ft_wsyms_free(job->templates.items[i].syms);
  }
  gr_array_free(&job->templates);
  for (size_t i = 0; i < job->reads.len; i++) {
    gr_free(job->reads.items[i].key);
    ft_wsyms_free(job->reads.items[i].syms);
    ft_marker_free(job->reads.items[i].marker);
  }
  gr_array_free(&job->reads);
  tl_wsi__files_free(job->files.items, job->files.len);
  gr_array_free(&job->files);
  tl_wsi__files_free(job->only.items, job->only.len);
  gr_array_free(&job->only);
  for (size_t i = 0; i < job->skipped.len; i++) gr_free(job->skipped.items[i].key);
  gr_array_free(&job->skipped);
  gr_free(job->settings_text);
  gr_free(job->root_real);
  gr_free(job->root);
  gr_free(job);
}

static int tl_wsi__file_cmp(const void *key, const void *item) {
  return strcmp(key, ((const tl_wsi__file *)item)->path);
}

static int tl_wsi__str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entry i is no longer on disk: it goes, unless it is open (then its open text stays). */
static void tl_wsi__gone(tl_wsi *wsi, tl_wsi_folder *f, uint32_t i) {
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  if (!t->open_uri) {
    tl_wsi__remove_tmpl(wsi, f, i);
    return;
  }
  t->on_disk = false;
  gr_free(t->disk);
  t->disk = NULL;
}

/* A template file read from disk: new, or the entry's new disk copy. */
static void tl_wsi__merge_file(tl_wsi *wsi, tl_wsi_folder *f, tl_wsi__file *file) {
  uint32_t i = tl_workspace_find(f->ws, file->path);
  if (i == TL_NONE) {
    i = tl_wsi__add_file(wsi, f, file);
    f->tmpls.items[i].on_disk = true;
    return;
  }
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  t->on_disk = true;
  if (t->open_uri) { /* the open text wins; keep the disk copy for later */
    gr_free(t->disk);
    tl_template_free(file->model); /* it borrows the text */
    file->model = NULL;
    t->disk = file->text;
    t->disk_len = file->len;
    file->text = NULL;
  } else if (!tl_wsi__same_text(f, i, file->text, file->len)) { /* parsed on the scan's thread */
    tl_workspace_put_parsed(f->ws, t->path, file->text, file->len, file->model);
    file->text = NULL, file->model = NULL;
    tl_wsi__changed(wsi, f, i);
    f->tmpls.items[i].syms = file->syms;
    file->syms = NULL;
  }
}

/* Templates on disk in f (open ones never saved do not count). */
static size_t tl_wsi__on_disk(const tl_wsi_folder *f) {
  size_t n = 0;
  for (size_t i = 0; i < f->tmpls.len; i++) n += f->tmpls.items[i].on_disk;
  return n;
}

/* A job for some files (watched files): each was read again, or is gone. */
static void tl_wsi__merge_some(tl_wsi *wsi, tl_wsi_folder *f, tl_wsi_job *job) {
  for (size_t k = 0; k < job->only.len; k++) {
    const char *key = job->only.items[k];
    tl_wsi__file *file = job->templates.len ? bsearch(key, job->templates.items, job->templates.len,
                                                      sizeof *job->templates.items, tl_wsi__file_cmp)
                                            : NULL;
    uint32_t i = tl_workspace_find(f->ws, key);
    if (!file) {
      if (i != TL_NONE) tl_wsi__gone(wsi, f, i);
    } else if (i == TL_NONE && tl_wsi__on_disk(f) >= TL_WSI_MAX_TEMPLATES) {
      job->note = "too many templates; the rest are not indexed";
    } else {
      tl_wsi__merge_file(wsi, f, file);
    }
  }
}

/* Is `key` in the sorted strings a[0..n)? Its index, or where it would go (~index). */
static long tl_wsi__find_key(char *const *a, size_t n, const char *key) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(a[mid], key);
    if (c == 0) return (long)mid;
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return ~(long)lo;
}

#define TL_WSI__NOTE_NAMES 8 /* files named in one note; the rest are counted */

/*
 * The job's note for the client: the limit that cut it, and the files it
 * could not read that were not reported before (each is said once, until
 * it is read again). A new string, or NULL when there is nothing to say.
 */
static char *tl_wsi__note(tl_wsi_folder *f, tl_wsi_job *job) {
  GR_ARRAY(char) out = {0};
  char buf[600];
  if (job->note) {
    gr_array_reserve(&out, strlen(job->note) + 1);
    memcpy(out.items, job->note, strlen(job->note));
    out.len = strlen(job->note);
  }
  /* Keys read now are readable again: a later failure is news. */
  for (size_t k = 0; f && k < job->templates.len; k++) {
    long at = tl_wsi__find_key(f->unreadable.items, f->unreadable.len, job->templates.items[k].path);
    if (at < 0) continue;
    gr_free(f->unreadable.items[at]);
    memmove(f->unreadable.items + at, f->unreadable.items + at + 1,
            (f->unreadable.len - (size_t)at - 1) * sizeof *f->unreadable.items);
    f->unreadable.len--;
  }
  size_t named = 0, more = 0;
  for (size_t k = 0; k < job->skipped.len; k++) {
    const tl_wsi__skip *sk = &job->skipped.items[k];
    if (f) {
      long at = tl_wsi__find_key(f->unreadable.items, f->unreadable.len, sk->key);
      if (at >= 0) continue; /* said before */
      if (f->unreadable.len < 4 * TL_WSI_MAX_TEMPLATES) {
        char *key = tl_wsi__dup(sk->key);
        gr_array_reserve(&f->unreadable, 1);
        memmove(f->unreadable.items + ~at + 1, f->unreadable.items + ~at,
                (f->unreadable.len - (size_t)~at) * sizeof *f->unreadable.items);
        f->unreadable.items[~at] = key;
        f->unreadable.len++;
      }
    }
    if (named == TL_WSI__NOTE_NAMES) {
      more++;
      continue;
    }
    int w = snprintf(buf, sizeof buf, "%s%s%s (%s)", out.len ? (named ? ", " : "; ") : "",
                     named ? "" : "not read: ", sk->key, tl_file_strerror(sk->err));
    if (w < 0) continue;
    size_t wn = (size_t)w < sizeof buf ? (size_t)w : sizeof buf - 1;
    gr_array_reserve(&out, wn + 1);
    memcpy(out.items + out.len, buf, wn);
    out.len += wn;
    named++;
  }
  if (more) {
    int w = snprintf(buf, sizeof buf, " and %zu more", more);
    gr_array_reserve(&out, (size_t)w + 1);
    memcpy(out.items + out.len, buf, (size_t)w);
    out.len += (size_t)w;
  }
  if (!out.len) {
    gr_array_free(&out);
    return NULL;
  }
  out.items[out.len] = '\0';
  return out.items;
}

uint32_t tl_wsi_job_done(tl_wsi *wsi, tl_wsi_job *job, char **note) {
  if (note) *note = NULL;
  if (job->docs) {
    tl_wsi__docs_done(wsi, job);
    return 0;
  }
  if (wsi->jobs_out) wsi->jobs_out--;
  tl_wsi_folder *f = tl_wsi__folder_by_id(wsi, job->folder);
  if (f) f->scanning = false;
  uint32_t count = (uint32_t)job->templates.len;
  if (!f || !job->ran) { /* the folder went away, or the job never ran */
    tl_wsi_job_free(job);
    return 0;
  }
  tl_wsi__sync(wsi);
  if (job->only.len) {
    tl_wsi__merge_some(wsi, f, job);
    if (note) *note = tl_wsi__note(f, job);
    wsi->gen++;
    tl_wsi_job_free(job);
    return count;
  }
  tl_wsi__settings_file(wsi, f, job->settings_text, job->settings_len);
  job->settings_text = NULL;
  /* Entries the disk no longer has. */
  for (size_t i = f->tmpls.len; i-- > 0;) {
    if (job->templates.len && bsearch(f->tmpls.items[i].path, job->templates.items, job->templates.len,
                                      sizeof *job->templates.items, tl_wsi__file_cmp))
      continue;
    tl_wsi__gone(wsi, f, (uint32_t)i);
  }
  /* New and changed ones. */
  for (size_t k = 0; k < job->templates.len; k++) tl_wsi__merge_file(wsi, f, &job->templates.items[k]);
  /* The files: a document known before keeps what was read of it. */
  if (job->files.len > 1) qsort(job->files.items, job->files.len, sizeof *job->files.items, tl_wsi__str_cmp);
  GR_ARRAY(tl_wsi__doc) docs = {0};
  for (size_t k = 0; k < job->files.len; k++) {
    bool found;
    size_t at = tl_wsi__file_slot(f, job->files.items[k], &found);
    tl_wsi__doc d = tl_wsi__no_doc;
    if (found) {
      d = f->docs.items[at];
      f->docs.items[at] = tl_wsi__no_doc;
    }
    gr_array_push(&docs, d);
  }
  for (size_t k = 0; k < f->docs.len; k++) tl_wsi__doc_clear(&f->docs.items[k]);
  gr_array_free(&f->docs);
  f->docs.items = docs.items;
  f->docs.len = docs.len;
  f->docs.cap = docs.cap;
  tl_wsi__files_free(f->files.items, f->files.len);
  f->files.len = 0;
  for (size_t k = 0; k < job->files.len; k++) gr_array_push(&f->files, job->files.items[k]);
  job->files.len = 0;
  tl_wsi__queue_docs(wsi, f);
  if (note) *note = tl_wsi__note(f, job);
  wsi->gen++;
  tl_wsi_job_free(job);
  return count;
}

/* ---- folders removed, files changed ------------------------------------- */

/* Queue a job for f: the whole folder (key NULL) or one more file. */
static void tl_wsi__queue(tl_wsi *wsi, tl_wsi_folder *f, const char *key) {
  tl_wsi_job *job = tl_wsi__queued_for(wsi, f);
  if (job && !job->only.len) return; /* the whole folder is queued already */
  if (!job) job = tl_wsi__job_new(wsi, f);
  if (!key) {
    tl_wsi__files_free(job->only.items, job->only.len);
    job->only.len = 0;
    return;
  }
  for (size_t i = 0; i < job->only.len; i++)
    if (strcmp(job->only.items[i], key) == 0) return;
  gr_array_push(&job->only, tl_wsi__dup(key));
}

int tl_wsi_remove_folder(tl_wsi *wsi, const char *uri_or_path) {
  char *root = tl_wsi__root_of(uri_or_path);
  if (!root) return TL_EINVAL;
  tl_wsi_folder *f = tl_wsi__folder_at(wsi, root);
  size_t k = 1;
  while (k < wsi->folders.len && wsi->folders.items[k] != f) k++;
  if (!f) {
    gr_free(root);
    return TL_ENOENT;
  }
  for (size_t i = wsi->queued.len; i-- > 0;)
    if (wsi->queued.items[i]->folder == f->id) {
      tl_wsi_job_free(wsi->queued.items[i]);
      memmove(wsi->queued.items + i, wsi->queued.items + i + 1, (wsi->queued.len - i - 1) * sizeof *wsi->queued.items);
      wsi->queued.len--;
    }
  for (size_t i = wsi->doc_queued.len; i-- > 0;)
    if (wsi->doc_queued.items[i]->folder == f->id) {
      tl_wsi_job_free(wsi->doc_queued.items[i]);
      memmove(wsi->doc_queued.items + i, wsi->doc_queued.items + i + 1,
              (wsi->doc_queued.len - i - 1) * sizeof *wsi->doc_queued.items);
      wsi->doc_queued.len--;
    }
  gr_free(root);
  /* Views and marks point at the folder: forget them (re-published after). */
  for (size_t i = 0; i < wsi->caches.len; i++) {
    tl_wsi__cache *c = &wsi->caches.items[i];
    if (c->folder == f) tl_wsi__cache_drop(c);
    if (c->mark_folder == f) {
      c->mark_folder = NULL;
      c->mark_set_gen = 0; /* outdated */
    }
  }
  memmove(wsi->folders.items + k, wsi->folders.items + k + 1, (wsi->folders.len - k - 1) * sizeof *wsi->folders.items);
  wsi->folders.len--;
  tl_wsi__folder_free(f);
  wsi->set_gen = ++wsi->gen;
  wsi->settings_gen = wsi->gen; /* its open templates lose its settings */
  return 0;
}

/* Index of key in the sorted list files, or where it would go (*found says which). */
static size_t tl_wsi__file_slot(const tl_wsi_folder *f, const char *key, bool *found) {
  size_t lo = 0, hi = f->files.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(f->files.items[mid], key);
    if (c == 0) {
      *found = true;
      return mid;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  *found = false;
  return lo;
}

/* Take files[at .. end) (and what was read of them) out of f's files. */
static void tl_wsi__files_remove(tl_wsi_folder *f, size_t at, size_t end) {
  for (size_t i = at; i < end; i++) {
    gr_free(f->files.items[i]);
    tl_wsi__doc_clear(&f->docs.items[i]);
  }
  memmove(f->files.items + at, f->files.items + end, (f->files.len - end) * sizeof *f->files.items);
  memmove(f->docs.items + at, f->docs.items + end, (f->docs.len - end) * sizeof *f->docs.items);
  f->files.len -= end - at;
  f->docs.len -= end - at;
}

/* Put `key` in f's files at `at` (its sorted place), nothing read of it yet. */
static void tl_wsi__file_insert(tl_wsi_folder *f, size_t at, const char *key) {
  gr_array_push(&f->files, NULL);
  memmove(f->files.items + at + 1, f->files.items + at, (f->files.len - at - 1) * sizeof *f->files.items);
  f->files.items[at] = tl_wsi__dup(key);
  gr_array_push(&f->docs, tl_wsi__no_doc);
  memmove(f->docs.items + at + 1, f->docs.items + at, (f->docs.len - at - 1) * sizeof *f->docs.items);
  f->docs.items[at] = tl_wsi__no_doc;
}

bool tl_wsi_file_event(tl_wsi *wsi, const char *uri, tl_wsi_file_change change) {
  if (!uri) return false;
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, uri, &key);
  bool changed = false;
  tl_scan_options opts = {TL_WSI_MAX_SCAN_DEPTH, TL_WSI_MAX_SCAN_FILES};
  bool markdown = tl_source_kind_of_name(key, 1, NULL) != TL_SOURCE_OTHER; /* a file the scan lists */
  if (!f->loose && strcmp(key, TL_SETTINGS_FILE) == 0) {
    tl_wsi__queue(wsi, f, NULL); /* read with the folder's scan */
    changed = true;
  } else if (f->loose || tl_scan_skips(key) || (markdown && !tl_scan_lists(key, &opts))) {
    /* Outside every folder the open documents are what counts; .git and
     * the like, and files deeper than a scan goes, are never read. */
  } else if (!markdown) {
    /* A folder created, deleted or renamed may hold Markdown files: look at
     * the whole folder again. A deleted folder is one event, for the folder
     * alone, which cannot be told from a file any more: a name with no
     * extension is taken for a folder (".bmad-core", "templates"), so that
     * an editor's backup and swap files do not rescan on every save. */
    const char *base = strrchr(key, '/');
    base = base ? base + 1 : key;
    if (change != TL_WSI_CHANGED && !strchr(base + 1, '.')) {
      tl_wsi__queue(wsi, f, NULL);
      changed = true;
    }
  } else {
    bool found;
    size_t at = tl_wsi__file_slot(f, key, &found);
    if (change == TL_WSI_DELETED && found) {
      tl_wsi__files_remove(f, at, at + 1);
      changed = true;
    } else if (change != TL_WSI_DELETED && !found && f->files.len < TL_WSI_MAX_SCAN_FILES) {
      tl_wsi__file_insert(f, at, key);
      changed = true;
    }
    if (change != TL_WSI_DELETED && (found || changed)) tl_wsi__queue_doc(wsi, f, key); /* documents only */
    if (tl_scan_classify(key) == TL_SCAN_TEMPLATE) {
      uint32_t i = tl_workspace_find(f->ws, key);
      if (change == TL_WSI_DELETED) {
        if (i != TL_NONE) tl_wsi__gone(wsi, f, i), changed = true;
      } else {
        tl_wsi__queue(wsi, f, key); /* read it again, off the loop */
        changed = true;
      }
    }
    if (changed) wsi->gen++;
  }
  /* A job out may have read the folder before this change and would undo
   * it when it comes back: look again after it. */
  if (changed && f->scanning) tl_wsi__queue(wsi, f, NULL);
  gr_free(key);
  return changed;
}

void tl_wsi_saved(tl_wsi *wsi, tl_doc *doc) {
  if (!doc || !tl_doc_is_template(doc)) return;
  tl_wsi__sync(wsi);
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, tl_doc_uri(doc), &key);
  uint32_t i = tl_workspace_find(f->ws, key);
  gr_free(key);
  if (i == TL_NONE) return;
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  char *abs = tl_wsi__abs(f, t->path);
  if (!abs) return; /* not a file: no disk copy */
  gr_free(abs);
  gr_free(t->disk);
  t->disk = NULL;
  size_t len;
  const char *text = tl_doc_text(doc, &len);
  t->disk = gr_strndup(text, len);
  t->disk_len = len;
  if (!t->on_disk) {
    t->on_disk = true;
    wsi->gen++;
  }
}

/* ---- views -------------------------------------------------------------- */

static tl_wsi__cache *tl_wsi__cache_get(tl_wsi *wsi, const char *uri, bool create) {
  for (size_t i = 0; i < wsi->caches.len; i++)
    if (strcmp(wsi->caches.items[i].uri, uri) == 0) return &wsi->caches.items[i];
  if (!create) return NULL;
  /* Drop the caches of closed documents now and then. */
  if (wsi->caches.len >= tl_docs_count(wsi->docs)) {
    size_t keep = 0;
    for (size_t i = 0; i < wsi->caches.len; i++) {
      if (tl_docs_get(wsi->docs, wsi->caches.items[i].uri)) wsi->caches.items[keep++] = wsi->caches.items[i];
      else tl_wsi__cache_free(&wsi->caches.items[i]);
    }
    wsi->caches.len = keep;
  }
  tl_wsi__cache c;
  memset(&c, 0, sizeof c);
  c.uri = tl_wsi__dup(uri);
  c.tmpl = TL_NONE;
  gr_array_push(&wsi->caches, c);
  return &wsi->caches.items[wsi->caches.len - 1];
}

static tl_wsi__cache *tl_wsi__view(tl_wsi *wsi, tl_doc *doc) {
  tl_wsi__sync(wsi);
  tl_wsi__cache *c = tl_wsi__cache_get(wsi, tl_doc_uri(doc), true);
  if (c->valid && c->doc_rev == tl_doc_revision(doc) && c->gen == wsi->gen) return c;
  tl_wsi__cache_drop(c);
  c->folder = tl_wsi__locate(wsi, tl_doc_uri(doc), &c->path);
  c->is_template = tl_doc_is_template(doc);
  c->tmpl = TL_NONE;
  if (c->is_template) {
    c->tmpl = tl_workspace_find(c->folder->ws, c->path);
  } else {
    const gr_tree *tree = tl_doc_tree(doc);
    tl_assoc_options opts = tl_settings_assoc(&c->folder->effective);
    c->assoc = tl_assoc_find(c->folder->ws, c->path, tree, &opts);
    c->tmpl = c->assoc->template;
    c->document = tl_document_new(tree, tl_workspace_template(c->folder->ws, c->tmpl));
  }
  c->doc_rev = tl_doc_revision(doc);
  c->gen = wsi->gen;
  c->valid = true;
  return c;
}

const tl_settings *tl_wsi_settings_of(tl_wsi *wsi, const tl_doc *doc) {
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, tl_doc_uri(doc), &key);
  gr_free(key);
  return &f->effective;
}

int tl_wsi_view_of(tl_wsi *wsi, tl_doc *doc, tl_wsi_view *out) {
  memset(out, 0, sizeof *out);
  out->tmpl = TL_NONE;
  if (!doc) return TL_EINVAL;
  tl_wsi__cache *c = tl_wsi__view(wsi, doc);
  out->folder = c->folder;
  out->ws = c->folder->ws;
  out->path = c->path;
  out->is_template = c->is_template;
  out->tmpl = c->tmpl;
  if (c->tmpl != TL_NONE) {
    out->tmpl_model = tl_workspace_template(out->ws, c->tmpl);
    out->tmpl_path = tl_workspace_path(out->ws, c->tmpl);
    out->tmpl_uri = tl_wsi_folder_uri(c->folder, c->tmpl);
  }
  out->assoc = c->assoc;
  out->document = c->document;
  out->settings = &c->folder->effective;
  return 0;
}

void tl_wsi_mark(tl_wsi *wsi, tl_doc *doc) {
  if (!doc) return;
  tl_wsi__cache *c = tl_wsi__view(wsi, doc);
  gr_free(c->mark_tmpl);
  c->mark_tmpl = NULL;
  c->marked = !c->is_template;
  c->mark_folder = c->folder;
  c->mark_set_gen = wsi->set_gen;
  c->mark_stamp = 0;
  if (c->tmpl != TL_NONE) {
    c->mark_tmpl = tl_wsi__dup(tl_workspace_path(c->folder->ws, c->tmpl));
    c->mark_stamp = c->folder->tmpls.items[c->tmpl].stamp;
  }
}

bool tl_wsi_doc_outdated(tl_wsi *wsi, tl_doc *doc) {
  if (!doc) return false;
  tl_wsi__sync(wsi);
  tl_wsi__cache *c = tl_wsi__cache_get(wsi, tl_doc_uri(doc), false);
  if (!c || !c->marked) return false;
  if (c->mark_set_gen != wsi->set_gen) return true;
  if (!c->mark_tmpl) return false;
  tl_wsi_folder *f = c->mark_folder;
  uint32_t i = tl_workspace_find(f->ws, c->mark_tmpl);
  return i == TL_NONE || f->tmpls.items[i].stamp != c->mark_stamp;
}

void tl_wsi_sync(tl_wsi *wsi) { tl_wsi__sync(wsi); }

uint64_t tl_wsi_generation(tl_wsi *wsi) {
  /* Asked after every turn. With no document open, an open template's
   * edits change no one's diagnostics: its model is rebuilt when something
   * asks for it (a view, a feature, a document opening), not on every
   * keystroke (a 1 MB template: 40 ms a keystroke of inserts and
   * skeletons). Templates opened and closed are taken in at once. */
  size_t n = tl_docs_count(wsi->docs), d = 0;
  while (d < n && tl_doc_is_template(tl_docs_at(wsi->docs, d))) d++;
  tl_wsi__sync_ex(wsi, d == n);
  return wsi->gen;
}

/* ---- folders, read side ------------------------------------------------- */

const char *tl_wsi_folder_root(const tl_wsi_folder *f) { return f->root; }
const tl_workspace *tl_wsi_folder_workspace(const tl_wsi_folder *f) { return f->ws; }
const tl_settings *tl_wsi_folder_settings(const tl_wsi_folder *f) { return &f->effective; }

char *tl_wsi_folder_path(const tl_wsi_folder *f, const char *key) {
  if (f->loose) return NULL;
  size_t rl = strlen(f->root), kl = strlen(key);
  char *path = gr_malloc(rl + kl + 2);
  memcpy(path, f->root, rl);
  path[rl] = '/';
  memcpy(path + rl + 1, key, kl + 1);
  return path;
}

int tl_wsi_folder_read(tl_wsi_folder *f, const char *key, char **text, size_t *len) {
  if (f->loose) return -ENOENT;
  if (!f->real) {
    char real[PATH_MAX];
    if (!realpath(f->root, real)) return -ENOENT;
    f->real = tl_wsi__dup(real);
  }
  char *path = tl_wsi_folder_path(f, key);
  int err = tl_file_read(path, &(tl_file_opts){TL_FILE_MAX_DOCUMENT_BYTES, f->real}, text, len);
  gr_free(path);
  return err;
}

const char *tl_wsi_folder_uri(tl_wsi_folder *f, uint32_t i) {
  if (i >= f->tmpls.len) return NULL;
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  if (t->open_uri) return t->open_uri;
  if (!t->uri) t->uri = tl_wsi__key_uri(f, t->path);
  return t->uri;
}

lsp_text tl_wsi_folder_text(tl_wsi_folder *f, uint32_t i, lsp_pos_encoding enc) {
  lsp_text t;
  memset(&t, 0, sizeof t);
  t.enc = enc;
  t.text = "";
  if (i >= f->tmpls.len) {
    /* An empty text needs an index too; a static one is not possible
     * (gr_lines is opaque), so the caller gets no lines: out of range is
     * the caller's bug, and position.c clamps on an empty text. */
    return t;
  }
  tl_wsi__tmpl *e = &f->tmpls.items[i];
  t.text = tl_workspace_text(f->ws, i, &t.len);
  if (!e->lines) {
    e->lines = gr_lines_new(t.text, t.len);
    e->memo = gr_calloc(1, sizeof *e->memo);
  }
  t.lines = e->lines;
  t.memo = e->memo;
  return t;
}

bool tl_wsi_folder_is_open(const tl_wsi_folder *f, uint32_t i) {
  return i < f->tmpls.len && f->tmpls.items[i].open_uri != NULL;
}

/* ---- files -------------------------------------------------------------- */

/* The URI of key `key` in folder f if such a file is known, else NULL (new). */
static char *tl_wsi__known(tl_wsi *wsi, const tl_wsi_folder *f, const char *key) {
  /* bsearch wants a non-NULL base even for no elements: before the first
   * scan the list is not allocated yet. */
  if ((f->files.len && bsearch(&key, f->files.items, f->files.len, sizeof *f->files.items, tl_wsi__str_cmp)) ||
      tl_workspace_find(f->ws, key) != TL_NONE) {
    uint32_t i = tl_workspace_find(f->ws, key);
    if (i != TL_NONE && f->tmpls.items[i].open_uri) return tl_wsi__dup(f->tmpls.items[i].open_uri);
    return tl_wsi__key_uri(f, key);
  }
  size_t n = tl_docs_count(wsi->docs);
  for (size_t d = 0; d < n; d++) {
    const char *uri = tl_doc_uri(tl_docs_at(wsi->docs, d));
    char *k;
    tl_wsi_folder *g = tl_wsi__locate(wsi, uri, &k);
    bool same = g == f && strcmp(k, key) == 0;
    gr_free(k);
    if (same) return tl_wsi__dup(uri);
  }
  return NULL;
}

/* 1 when `path` is `name` or ends in "/" + name. */
static bool tl_wsi__ends_with(const char *path, const char *name) {
  size_t a = strlen(path), b = strlen(name);
  if (a < b || strcmp(path + a - b, name) != 0) return false;
  return a == b || path[a - b - 1] == '/';
}

char *tl_wsi_resolve_file(tl_wsi *wsi, const tl_wsi_folder *f, const char *from, const char *name) {
  if (!f || !name || !name[0]) return NULL;
  tl_wsi__sync(wsi);
  char *clean = tl_wsi__fold(name);
  char *uri = NULL;
  if (!clean[0] || strcmp(clean, "/") == 0) goto out;
  /* 1. next to `from` */
  if (from && clean[0] != '/') {
    const char *slash = strrchr(from, '/');
    size_t dir = slash ? (size_t)(slash - from) : 0;
    size_t n = dir + 1 + strlen(clean) + 1;
    char *joined = gr_malloc(n);
    snprintf(joined, n, "%.*s%s%s", (int)dir, from, dir ? "/" : "", clean);
    char *key = tl_wsi__fold(joined);
    gr_free(joined);
    uri = tl_wsi__known(wsi, f, key);
    gr_free(key);
    if (uri) goto out;
  }
  if (clean[0] == '/') goto out; /* an absolute name: only where it says */
  /* 2. from the root */
  if ((uri = tl_wsi__known(wsi, f, clean)) != NULL) goto out;
  /* 3. anywhere in the folder: the shortest path ending in it */
  const char *best = NULL;
  for (size_t i = 0; i < f->files.len; i++) {
    const char *p = f->files.items[i];
    if (!tl_wsi__ends_with(p, clean)) continue;
    if (!best || strlen(p) < strlen(best)) best = p; /* files are sorted: ties keep the first */
  }
  if (best) uri = tl_wsi__known(wsi, f, best);
out:
  gr_free(clean);
  return uri;
}

/* ---- workspace-wide features -------------------------------------------- */

size_t tl_wsi_folder_count(const tl_wsi *wsi) { return wsi->folders.len; }

tl_wsi_folder *tl_wsi_folder_at(tl_wsi *wsi, size_t i) { return i < wsi->folders.len ? wsi->folders.items[i] : NULL; }

bool tl_wsi_folder_is_loose(const tl_wsi_folder *f) { return f->loose; }

tl_wsi_folder *tl_wsi_locate(tl_wsi *wsi, const char *uri, char **key) { return tl_wsi__locate(wsi, uri, key); }

char *tl_wsi_folder_key_uri(const tl_wsi_folder *f, const char *key) { return tl_wsi__key_uri(f, key); }

const ft_wsyms *tl_wsi_folder_symbols(tl_wsi_folder *f, uint32_t i) {
  if (i >= f->tmpls.len) return NULL;
  tl_wsi__tmpl *t = &f->tmpls.items[i];
  if (!t->syms) {
    size_t len;
    const char *text = tl_workspace_text(f->ws, i, &len);
    t->syms = ft_wsyms_template(tl_workspace_template(f->ws, i), text, len);
  }
  return t->syms;
}

size_t tl_wsi_folder_file_count(const tl_wsi_folder *f) { return f->files.len; }

const char *tl_wsi_folder_file(const tl_wsi_folder *f, size_t k) { return k < f->files.len ? f->files.items[k] : NULL; }

const ft_wsyms *tl_wsi_folder_file_symbols(const tl_wsi_folder *f, size_t k) {
  return k < f->docs.len ? f->docs.items[k].syms : NULL;
}

const ft_marker *tl_wsi_folder_file_marker(const tl_wsi_folder *f, size_t k) {
  return k < f->docs.len ? f->docs.items[k].marker : NULL;
}

size_t tl_wsi_folder_doc_bytes(const tl_wsi_folder *f) {
  size_t n = f->docs.cap * sizeof *f->docs.items;
  for (size_t k = 0; k < f->docs.len; k++) {
    const tl_wsi__doc *d = &f->docs.items[k];
    n += ft_wsyms_bytes(d->syms);
    if (d->marker) n += sizeof *d->marker + strlen(d->marker->value) + 1 + d->marker->head_len + 1;
  }
  return n;
}

const char *tl_wsi_folder_settings_text(const tl_wsi_folder *f, size_t *len) {
  *len = f->settings_len;
  return f->settings_text;
}

const ft_wsyms *tl_wsi_doc_symbols(tl_wsi *wsi, tl_doc *doc) {
  tl_wsi__cache *c = tl_wsi__cache_get(wsi, tl_doc_uri(doc), true);
  if (c->syms && c->syms_rev == tl_doc_revision(doc)) return c->syms;
  ft_wsyms_free(c->syms);
  c->syms = ft_wsyms_document(tl_doc_tree(doc));
  c->syms_rev = tl_doc_revision(doc);
  return c->syms;
}

/* ---- files renamed or deleted by the editor ----------------------------- */

/* Is `path` below the folder key `dir` ("dir/...")? */
static bool tl_wsi__below(const char *path, const char *dir) {
  size_t n = strlen(dir);
  return n && strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* The files below folder key `dir`: files[*first .. end) (sorted: they are contiguous). */
static size_t tl_wsi__files_below(const tl_wsi_folder *f, const char *dir, size_t *first) {
  size_t n = strlen(dir);
  char *prefix = gr_malloc(n + 2);
  memcpy(prefix, dir, n);
  memcpy(prefix + n, "/", 2);
  bool found;
  size_t at = tl_wsi__file_slot(f, prefix, &found), end = at;
  while (end < f->files.len && strncmp(f->files.items[end], prefix, n + 1) == 0) end++;
  gr_free(prefix);
  *first = at;
  return end;
}

/* Does f know a template or a file below `key` (then `key` is a folder)? */
static bool tl_wsi__has_below(const tl_wsi_folder *f, const char *key) {
  for (size_t i = 0; i < f->tmpls.len; i++)
    if (tl_wsi__below(f->tmpls.items[i].path, key)) return true;
  size_t first, end = tl_wsi__files_below(f, key, &first);
  return key[0] && end > first;
}

bool tl_wsi_path_deleted(tl_wsi *wsi, const char *uri) {
  if (!uri) return false;
  tl_wsi__sync(wsi);
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, uri, &key);
  if (f->loose) {
    gr_free(key);
    return false;
  }
  bool changed = tl_wsi_file_event(wsi, uri, TL_WSI_DELETED); /* a file */
  bool below = false;                                         /* a folder: everything below it */
  for (size_t i = f->tmpls.len; i-- > 0;)
    if (tl_wsi__below(f->tmpls.items[i].path, key)) tl_wsi__gone(wsi, f, (uint32_t)i), below = true;
  size_t first = 0, end = key[0] ? tl_wsi__files_below(f, key, &first) : 0;
  if (end > first) {
    tl_wsi__files_remove(f, first, end);
    below = true;
  }
  if (below) {
    wsi->gen++;
    if (f->scanning) tl_wsi__queue(wsi, f, NULL); /* a scan out may bring them back */
  }
  gr_free(key);
  return changed || below;
}

bool tl_wsi_path_renamed(tl_wsi *wsi, const char *old_uri, const char *new_uri) {
  if (!old_uri || !new_uri) return false;
  tl_wsi__sync(wsi);
  char *key;
  tl_wsi_folder *f = tl_wsi__locate(wsi, old_uri, &key);
  bool folder = !f->loose && tl_wsi__has_below(f, key);
  gr_free(key);
  bool changed = tl_wsi_path_deleted(wsi, old_uri);
  tl_wsi_folder *to = tl_wsi__locate(wsi, new_uri, &key);
  gr_free(key);
  if (folder && !to->loose) {
    tl_wsi__queue(wsi, to, NULL); /* what moved in is found by a scan of the folder */
    changed = true;
  } else {
    changed |= tl_wsi_file_event(wsi, new_uri, TL_WSI_CREATED);
  }
  return changed;
}
