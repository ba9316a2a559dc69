/*
 * wsindex.h: the workspace index of the server (tl_wsi_*): the templates of
 * the workspace folders, kept current with the open documents, and for
 * every open file what it is against them.
 *
 * Folders. Each workspace folder (rootUri / rootPath / workspaceFolders) is
 * one tl_wsi_folder: a root path and a tl_workspace of its templates, keyed
 * by their path relative to that root ('/'-separated, as tl_assoc expects).
 * Files outside every folder (and URIs that are not file: URIs) belong to
 * one extra "loose" folder whose root is "" and whose keys are absolute
 * paths (or the URI itself). A document is only associated with templates
 * of its own folder.
 *
 * Sources of a template's text, the newest wins:
 *   1. the scan: a folder's files found by tl_scan and read off the event
 *      loop (tl_wsi_take_job / tl_wsi_job_run / tl_wsi_job_done);
 *   2. an open template document (*-tmpl.md, *.tmpl.md): its current text
 *      overrides the disk copy while it is open. Open templates are picked
 *      up lazily: every call below that reads the index first syncs it with
 *      the open documents (cheap when nothing changed);
 *   3. on save the open text becomes the disk copy (tl_wsi_saved); once
 *      closed, the disk copy comes back (or the entry goes, when the file
 *      was never on disk).
 *
 * Bounded: TL_WSI_MAX_* below. No JSON and no libuv here; the reading of
 * files happens only in tl_wsi_job_run.
 *
 * Lifetimes: everything a view points to is owned by the index and stays
 * valid until the next change to any open document or template, or the
 * next tl_wsi_* call that changes the index (job done, saved): in
 * practice, for the duration of one handler call. Handlers reach the index
 * as c->s->wsi.
 */
#ifndef TMPL_SERVER_LSP_WSINDEX_H
#define TMPL_SERVER_LSP_WSINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/position.h"
#include "server/features/fileops.h"
#include "server/features/settings.h"
#include "server/features/wsymbols.h"
#include "server/lsp/docs.h"
#include "server/model/assoc.h"
#include "server/model/document.h"
#include "server/model/fileio.h"
#include "server/model/template.h"
#include "server/model/workspace.h"

/* ---- limits ------------------------------------------------------------- */

#define TL_WSI_MAX_FOLDERS 16                   /* workspace folders indexed; more are ignored */
#define TL_WSI_MAX_TEMPLATES 1000               /* templates read from disk per folder */
#define TL_WSI_MAX_FILE_BYTES TL_FILE_MAX_TEMPLATE_BYTES /* one template file read from disk (bigger: skipped) */
#define TL_WSI_MAX_SCAN_FILES 20000             /* files tl_scan may list per folder */
#define TL_WSI_MAX_SCAN_DEPTH 16                /* folders below a root */

typedef struct tl_wsi tl_wsi;
typedef struct tl_wsi_folder tl_wsi_folder;
typedef struct tl_wsi_job tl_wsi_job;

/* ---- for handlers ------------------------------------------------------- */

/* What an open file is against the workspace (all borrowed, see Lifetimes). */
typedef struct tl_wsi_view {
  tl_wsi_folder *folder;     /* the folder the file belongs to (never NULL) */
  const tl_workspace *ws;    /* that folder's templates, open ones included (never NULL) */
  const char *path;          /* the file's key in the folder */
  bool is_template;          /* the file is a template (by its name) */

  /* Documents: their template, or TL_NONE/NULL. Templates: themselves. */
  uint32_t tmpl;             /* index in ws */
  const tl_template *tmpl_model;
  const char *tmpl_path;     /* key in ws */
  const char *tmpl_uri;      /* the template file's URI (an open one's own URI) */

  /* Documents only (NULL for templates). */
  const tl_assoc *assoc;     /* rule, reason sentence, marker (never NULL for a document) */
  const tl_document *document; /* aligned against tmpl_model (NULL template: nothing matched);
                                  its tree is tl_doc_tree(doc) */
  const tl_settings *settings; /* the folder's: the editor's with its .tmpl-ls.json on top */
} tl_wsi_view;

/**
 * Fill *out for the open document `doc` (parsing it if stale). Returns 0;
 * TL_EINVAL when doc is NULL (then *out is zeroed).
 */
int tl_wsi_view_of(tl_wsi *wsi, tl_doc *doc, tl_wsi_view *out);

/**
 * The settings of the folder `doc` belongs to (borrowed), without a view:
 * no open template is brought in, no document aligned (a template's own
 * diagnostics need nothing else).
 */
const tl_settings *tl_wsi_settings_of(tl_wsi *wsi, const tl_doc *doc);

/** The folder's root (absolute path, no trailing '/'; "" for the loose folder). */
const char *tl_wsi_folder_root(const tl_wsi_folder *f);
/** The folder's templates (borrowed). */
const tl_workspace *tl_wsi_folder_workspace(const tl_wsi_folder *f);
/** The URI of template i of the folder (borrowed), or NULL when out of range. */
const char *tl_wsi_folder_uri(tl_wsi_folder *f, uint32_t i);
/**
 * Template i's text with its line index, in `enc`, for Locations in the
 * template file (borrowed parts). Out of range: an empty text.
 */
lsp_text tl_wsi_folder_text(tl_wsi_folder *f, uint32_t i, lsp_pos_encoding enc);
/** True when template i's text is that of an open document (not the disk copy). */
bool tl_wsi_folder_is_open(const tl_wsi_folder *f, uint32_t i);

/**
 * A file name `name` as a template mentions it ("infrastructure-checklist.md",
 * "docs/prd.md"), seen from the file `from` (a key of folder f): the URI of
 * a file of the folder at that path relative to from's folder, else
 * relative to the root, else with that base name anywhere in the folder
 * (shortest path wins, then bytewise order), among the Markdown files the
 * last scan found and the open documents. A new string (gr_free), or NULL.
 */
char *tl_wsi_resolve_file(tl_wsi *wsi, const tl_wsi_folder *f, const char *from, const char *name);

/**
 * Is the file at `uri` a template? One rule with the scan and `tmpl-ls
 * check` (server/model/source.h): by its path relative to its workspace
 * folder (a name ending in -tmpl.md, .tmpl.md, -tmpl.yaml or .tmpl.yaml, or
 * Markdown under a "templates" folder), and for YAML under a "templates"
 * folder by text[0..len) (NULL: not a template); a file outside every
 * folder by its name alone.
 */
bool tl_wsi_is_template(const tl_wsi *wsi, const char *uri, const char *text, size_t len);

/**
 * Changes whenever any template's text, or the set of templates or files,
 * changes (syncing first; with no document open, an open template's edits
 * wait for the next view or tl_wsi_sync). For caches and pull
 * diagnostics' resultIds.
 */
uint64_t tl_wsi_generation(tl_wsi *wsi);

/** Bring the open templates' texts into the index now (the views do it themselves). */
void tl_wsi_sync(tl_wsi *wsi);

/* ---- for workspace-wide features (workspace/symbol, file operations) ---- */

/*
 * Every folder, the loose one first (index 0), each with its templates
 * (tl_wsi_folder_workspace; call tl_wsi_generation first to sync the open
 * ones) and the Markdown files of its last scan, documents and templates,
 * sorted by key. Of a document on disk the index keeps what its last read
 * found (document jobs, below): its headings and its marker; NULL when it
 * was not read yet, has none, could not be read, or is a template. An
 * open document's own text is the caller's to prefer (tl_wsi_doc_symbols).
 */
size_t tl_wsi_folder_count(const tl_wsi *wsi);
tl_wsi_folder *tl_wsi_folder_at(tl_wsi *wsi, size_t i);
bool tl_wsi_folder_is_loose(const tl_wsi_folder *f);
/** The folder and key of a URI (as the index files it); *key a new string. */
tl_wsi_folder *tl_wsi_locate(tl_wsi *wsi, const char *uri, char **key);
/** The URI of a key of folder f (new string). Templates: tl_wsi_folder_uri (an open one's own URI). */
char *tl_wsi_folder_key_uri(const tl_wsi_folder *f, const char *key);
/** Template i's symbols (borrowed; built from its current text on first ask), NULL out of range. */
const ft_wsyms *tl_wsi_folder_symbols(tl_wsi_folder *f, uint32_t i);
size_t tl_wsi_folder_file_count(const tl_wsi_folder *f);
const char *tl_wsi_folder_file(const tl_wsi_folder *f, size_t k);
const ft_wsyms *tl_wsi_folder_file_symbols(const tl_wsi_folder *f, size_t k);
const ft_marker *tl_wsi_folder_file_marker(const tl_wsi_folder *f, size_t k);
/** The heap bytes the folder's documents on disk take (for measuring). */
size_t tl_wsi_folder_doc_bytes(const tl_wsi_folder *f);
/** The absolute path of key `key` of folder f (new string); NULL for the loose folder. */
char *tl_wsi_folder_path(const tl_wsi_folder *f, const char *key);
/**
 * Read file `key` of folder f now (tl_file_read: a regular file that
 * resolves inside the folder, at most TL_FILE_MAX_DOCUMENT_BYTES): 0 and
 * *text (gr_free) and *len, or tl_file_read's error (-ENOENT for the
 * loose folder).
 */
int tl_wsi_folder_read(tl_wsi_folder *f, const char *key, char **text, size_t *len);
/** The folder's settings: the editor's under its .tmpl-ls.json (borrowed). */
const tl_settings *tl_wsi_folder_settings(const tl_wsi_folder *f);
/** The folder's .tmpl-ls.json as last read (borrowed), or NULL (then *len is 0). */
const char *tl_wsi_folder_settings_text(const tl_wsi_folder *f, size_t *len);
/** The headings of the open document `doc` (borrowed; rebuilt when its text changed). */
const ft_wsyms *tl_wsi_doc_symbols(tl_wsi *wsi, tl_doc *doc);

/* ---- for the session ---------------------------------------------------- */

/** A new index over the open documents `docs` (borrowed; must outlive it). tl_wsi_free. */
tl_wsi *tl_wsi_new(tl_docs *docs);
void tl_wsi_free(tl_wsi *wsi);

/**
 * Add a workspace folder by URI ("file:///w/project"; percent-decoded) or,
 * for rootPath, by absolute path. Queues its scan. Returns 0; TL_EINVAL
 * when it is neither a file: URI nor an absolute path, or is already
 * there; TL_ENOENT past TL_WSI_MAX_FOLDERS.
 */
int tl_wsi_add_folder(tl_wsi *wsi, const char *uri_or_path);

/**
 * Remove a workspace folder (as given to tl_wsi_add_folder). Its templates
 * leave the index (open ones join the loose folder), its queued jobs are
 * dropped, and a job still out is dropped when it comes back. Returns 0;
 * TL_EINVAL for a name that is no folder, TL_ENOENT when it is not there.
 */
int tl_wsi_remove_folder(tl_wsi *wsi, const char *uri_or_path);

/**
 * The editor's settings (copied), under every folder's .tmpl-ls.json. A
 * folder's file is read with its scan (whole-folder jobs), and again when
 * a watched-file event names it. Everything is re-matched after a change.
 */
void tl_wsi_set_editor_settings(tl_wsi *wsi, const tl_settings *s);

/** Changes whenever a folder's settings change (every file may read differently). */
uint64_t tl_wsi_settings_generation(const tl_wsi *wsi);

/**
 * Move the problems found in folders' .tmpl-ls.json files since the last
 * call to out (appended; the sentences are out's now). Returns how many.
 */
size_t tl_wsi_take_problems(tl_wsi *wsi, tl_settings_problems *out);

/* What happened to a watched file (numbered as LSP's FileChangeType). */
typedef enum tl_wsi_file_change {
  TL_WSI_CREATED = 1,
  TL_WSI_CHANGED = 2,
  TL_WSI_DELETED = 3
} tl_wsi_file_change;

/**
 * A file of a folder changed on disk (workspace/didChangeWatchedFiles).
 * A Markdown file a scan would list joins or leaves the folder's files; a
 * template among them is queued to be read again (a job, as scans are) or,
 * deleted, leaves the index (an open one keeps its open text). A name
 * with no extension created or deleted in a folder (a folder, perhaps full
 * of templates) queues a scan of the whole folder, and so does the
 * folder's .tmpl-ls.json changing. Files outside every folder are ignored.
 * An event while a job of the folder is out queues a scan after it (the
 * job may have read the files before the change). Returns true when the
 * index changed or a job was queued.
 */
bool tl_wsi_file_event(tl_wsi *wsi, const char *uri, tl_wsi_file_change change);

/**
 * The editor deleted, or renamed, a file or a folder
 * (workspace/didDeleteFiles, didRenameFiles): unlike a watched-file event
 * the name may be a folder's, whatever it looks like, so both readings
 * hold: the file at that key (as tl_wsi_file_event), and every template
 * and file below it, which leave the index at once (open templates keep
 * their open text). A rename then reads the new name: the file (queued,
 * as a created watched file), or, when the old name held files, the whole
 * folder it lands in (queued scan). Returns true when the index changed
 * or a job was queued.
 */
bool tl_wsi_path_deleted(tl_wsi *wsi, const char *uri);
bool tl_wsi_path_renamed(tl_wsi *wsi, const char *old_uri, const char *new_uri);

/**
 * The next queued job (a folder's scan, or files to read again), or NULL;
 * never a second job for a folder while one is out. The caller runs it
 * (tl_wsi_job_run, on any thread: it touches only the job) and hands it
 * back with tl_wsi_job_done on the index's thread; tl_wsi_job_free is for
 * when the index is going away (the folder would wait for it forever).
 * While a job is out, the index works with what it has.
 */
tl_wsi_job *tl_wsi_take_job(tl_wsi *wsi);
/**
 * Blocking: walk the folder (tl_scan) and read its templates, within the
 * limits; or, for a job of watched files, read just those.
 */
void tl_wsi_job_run(tl_wsi_job *job);
/**
 * Merge a run job into the index (steals the job). Returns the number of
 * templates read; *note (may be NULL) gets a new sentence (caller frees)
 * when a limit cut the scan, the root could not be read, or files could
 * not be read (each such file is named once, until it is read again),
 * else NULL.
 */
uint32_t tl_wsi_job_done(tl_wsi *wsi, tl_wsi_job *job, char **note);
void tl_wsi_job_free(tl_wsi_job *job);
/** True while a scan is queued or out (taken and not handed back); document jobs do not count. */
bool tl_wsi_busy(const tl_wsi *wsi);

/**
 * Document jobs: after each scan of a folder, and for a watched document
 * created or changed, a job reads the folder's documents (those whose size
 * and mtime changed) for their headings and markers. They are taken apart
 * from the scans (tl_wsi_take_doc_job; one out per folder at a time), run
 * and handed back like them (tl_wsi_job_run, tl_wsi_job_done: 0 templates,
 * no note), and nothing waits for them: until one is back, what it reads
 * is what the last one read. tl_wsi_indexing is true while one is queued
 * or out.
 */
tl_wsi_job *tl_wsi_take_doc_job(tl_wsi *wsi);
bool tl_wsi_indexing(const tl_wsi *wsi);
bool tl_wsi_job_is_docs(const tl_wsi_job *job);
/** The root a job scans (borrowed from the job). */
const char *tl_wsi_job_root(const tl_wsi_job *job);

/** An open template was saved: its text is now its disk copy. Others: ignored. */
void tl_wsi_saved(tl_wsi *wsi, tl_doc *doc);
/**
 * Diagnostics of documents depend on templates. tl_wsi_mark records what
 * the open document `doc`'s diagnostics were just computed against (its
 * template's text and the set of templates); tl_wsi_doc_outdated is true
 * when that changed since: its template was edited, opened, closed or went
 * away, or templates came or went (one may claim it now). False for
 * templates and for documents never marked. Closing a template needs no
 * call: the next read of the index notices, and its disk copy comes back
 * (the entry goes when it was never on disk).
 */
void tl_wsi_mark(tl_wsi *wsi, tl_doc *doc);
bool tl_wsi_doc_outdated(tl_wsi *wsi, tl_doc *doc);

#endif
