/*
 * wsdiag.c: the diagnostics of the whole workspace (see wsdiag.h):
 * workspace/diagnostic for a client that pulls, and the
 * `workspaceDiagnostics` setting's pushes for one that does not.
 *
 * A run goes over a list of files made when it starts (every folder's
 * Markdown files of the last scan and its templates, Markdown and YAML,
 * sorted by key; then, for a pull, the open documents no scan found), a
 * slice of them per turn (TL_WSD_SLICE_NS), so that requests and edits are
 * answered in between; a run waits while a scan is out (the list would
 * miss what it finds).
 *
 * Result ids. An open file's is the one textDocument/diagnostic gives
 * (tl_diagnostics_result_id). A file on disk's is made from what stat
 * says, without reading it: "<size>.<mtime s>.<mtime ns>" then, for a
 * document, ".<tl_wsi_generation>" (its template's text and the set of
 * templates), then ".s<settings generation>". The same id again means the
 * same diagnostics, so the file is not read and the report says
 * "unchanged". A file the client knew (previousResultIds) that the run no
 * longer lists (deleted, moved, its folder's setting now false) gets an
 * empty full report once, with the result id "-"; after that it is not
 * mentioned.
 *
 * Pushes. The session remembers, per file on disk, the result id it last
 * computed and whether it published a non-empty list; a push run
 * publishes only what changed, and an empty list for what it published
 * before that is now gone. Open files are the open documents' own pushes:
 * opening one forgets it here; closing it makes a run due.
 */
#define _XOPEN_SOURCE 700 /* st_mtim */
#include "server/lsp/wsdiag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "server/lsp/session_impl.h"
#include "server/model/fileio.h"

#define TL_WSD_SLICE_NS 8000000ull /* work per turn: 8 ms, then the loop reads again */
#define TL_WSD_BATCH 100           /* files per partial result and per progress report */

/* A file a client or the push memory knows, by URI (sorted). */
typedef struct tl_wsd_known {
  char *uri;
  char *rid;
  bool nonempty; /* push memory: a non-empty list was published */
  uint64_t hash; /* push memory: of that list's JSON (the same list is not sent again) */
  bool seen;     /* scratch: listed by the current run */
} tl_wsd_known;

typedef GR_ARRAY(tl_wsd_known) tl_wsd_knowns;

/* One file of a run. */
typedef struct tl_wsd_file {
  char *uri;
  char *path; /* on disk (absolute), NULL for an open document no scan found */
  bool is_template;
} tl_wsd_file;

typedef struct tl_wsd_run {
  bool push;
  bool started; /* the list is made */
  json_t *id;   /* the request (owned); NULL for a push run */
  json_t *partial;
  json_t *work;
  bool cancelled;
  tl_wsd_knowns prev; /* a pull's previousResultIds (owned); a push run uses the memory */
  GR_ARRAY(tl_wsd_file) files;
  size_t next;
  json_t *items;   /* report items not sent yet (pull) */
  size_t in_batch; /* files since the last progress report */
  size_t full, unchanged, published;
  uint64_t gen, sgen; /* the index's generations when the list was made */
} tl_wsd_run;

struct tl_wsd {
  tl_wsd_run *pull;
  tl_wsd_run *push;
  bool push_due;
  bool answered;           /* a workspace/diagnostic was answered: template changes ask for a refresh */
  uint64_t answered_gen;   /* tl_wsi_generation when the last one's list was made (or refreshed since) */
  uint64_t answered_sgen;  /* and the settings' generation */
  tl_wsd_knowns memory;
  uint32_t progress_token;
};

/* ---- known files -------------------------------------------------------- */

static int tl_wsd__known_cmp(const void *a, const void *b) {
  return strcmp(((const tl_wsd_known *)a)->uri, ((const tl_wsd_known *)b)->uri);
}

static tl_wsd_known *tl_wsd__find(tl_wsd_knowns *k, const char *uri) {
  tl_wsd_known key = {(char *)uri, NULL, false, 0, false};
  return k->len ? bsearch(&key, k->items, k->len, sizeof *k->items, tl_wsd__known_cmp) : NULL;
}

static void tl_wsd__knowns_free(tl_wsd_knowns *k) {
  for (size_t i = 0; i < k->len; i++) {
    gr_free(k->items[i].uri);
    gr_free(k->items[i].rid);
  }
  gr_array_free(k);
}

static char *tl_wsd__dup(const char *s) { return gr_strndup(s, strlen(s)); }

static const tl_wsd_known *tl_wsd__sort_base; /* qsort has no context argument */

static int tl_wsd__order_cmp(const void *a, const void *b) {
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int c = strcmp(tl_wsd__sort_base[x].uri, tl_wsd__sort_base[y].uri);
  return c ? c : (x > y) - (x < y);
}

/* Set uri's entry (inserted in order when new). */
static tl_wsd_known *tl_wsd__remember(tl_wsd_knowns *k, const char *uri, const char *rid) {
  tl_wsd_known *e = tl_wsd__find(k, uri);
  if (!e) {
    size_t at = 0, hi = k->len;
    while (at < hi) {
      size_t mid = (at + hi) / 2;
      if (strcmp(k->items[mid].uri, uri) < 0) at = mid + 1;
      else hi = mid;
    }
    tl_wsd_known n = {tl_wsd__dup(uri), NULL, false, 0, false};
    gr_array_push(k, n);
    memmove(k->items + at + 1, k->items + at, (k->len - 1 - at) * sizeof *k->items);
    k->items[at] = n;
    e = &k->items[at];
  }
  gr_free(e->rid);
  e->rid = tl_wsd__dup(rid);
  return e;
}

/* Sort entries given in any order; of one URI given twice, the last wins. */
static void tl_wsd__knowns_sort(tl_wsd_knowns *k) {
  if (k->len < 2) return;
  /* indexes sorted by (uri, position): stable, so the last of a URI is known */
  size_t *order = gr_malloc(k->len * sizeof *order);
  for (size_t i = 0; i < k->len; i++) order[i] = i;
  tl_wsd__sort_base = k->items;
  qsort(order, k->len, sizeof *order, tl_wsd__order_cmp);
  tl_wsd_known *sorted = gr_malloc(k->len * sizeof *sorted);
  size_t n = 0;
  for (size_t i = 0; i < k->len; i++) {
    tl_wsd_known *e = &k->items[order[i]];
    if (n && strcmp(sorted[n - 1].uri, e->uri) == 0) { /* a later one of the same URI */
      gr_free(sorted[n - 1].uri);
      gr_free(sorted[n - 1].rid);
      n--;
    }
    sorted[n++] = *e;
  }
  memcpy(k->items, sorted, n * sizeof *sorted);
  k->len = n;
  gr_free(sorted);
  gr_free(order);
}

static void tl_wsd__forget_known(tl_wsd_knowns *k, const char *uri) {
  tl_wsd_known *e = tl_wsd__find(k, uri);
  if (!e) return;
  size_t at = (size_t)(e - k->items);
  gr_free(e->uri);
  gr_free(e->rid);
  memmove(k->items + at, k->items + at + 1, (k->len - at - 1) * sizeof *k->items);
  k->len--;
}

/* ---- runs --------------------------------------------------------------- */

static void tl_wsd__run_free(tl_wsd_run *r) {
  if (!r) return;
  json_decref(r->id);
  json_decref(r->partial);
  json_decref(r->work);
  tl_wsd__knowns_free(&r->prev);
  for (size_t i = 0; i < r->files.len; i++) {
    gr_free(r->files.items[i].uri);
    gr_free(r->files.items[i].path);
  }
  gr_array_free(&r->files);
  json_decref(r->items);
  gr_free(r);
}

tl_wsd *tl_wsd_new(void) { return gr_calloc(1, sizeof(tl_wsd)); }

void tl_wsd_free(tl_wsd *w) {
  if (!w) return;
  tl_wsd__run_free(w->pull);
  tl_wsd__run_free(w->push);
  tl_wsd__knowns_free(&w->memory);
  gr_free(w);
}

static int tl_wsd__str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is folder f's setting on for this kind of run? */
static bool tl_wsd__wanted(const tl_wsi_folder *f, bool push) {
  return !tl_wsi_folder_is_loose(f) && tl_settings_workspace_diagnostics(tl_wsi_folder_settings(f), !push);
}

/* Make the run's list of files (see the top of the file). */
static void tl_wsd__list(tl_session *s, tl_wsd_run *r) {
  tl_wsi_sync(s->wsi); /* an open template's text, even with no document open */
  /* The open documents, by folder and key, to tell them from disk copies. */
  size_t nopen = tl_docs_count(s->docs);
  bool *matched = gr_calloc(nopen ? nopen : 1, sizeof *matched);
  char **open_keys = gr_calloc(nopen ? nopen : 1, sizeof *open_keys);
  tl_wsi_folder **open_folders = gr_calloc(nopen ? nopen : 1, sizeof *open_folders);
  for (size_t d = 0; d < nopen; d++)
    open_folders[d] = tl_wsi_locate(s->wsi, tl_doc_uri(tl_docs_at(s->docs, d)), &open_keys[d]);
  for (size_t k = 0; k < tl_wsi_folder_count(s->wsi); k++) {
    tl_wsi_folder *f = tl_wsi_folder_at(s->wsi, k);
    if (!tl_wsd__wanted(f, r->push)) continue;
    /* The scan's Markdown files and the templates (YAML ones are not among
     * the files), each once, by key. */
    GR_ARRAY(char *) keys = {0};
    for (size_t i = 0; i < tl_wsi_folder_file_count(f); i++) gr_array_push(&keys, (char *)tl_wsi_folder_file(f, i));
    const tl_workspace *ws = tl_wsi_folder_workspace(f);
    for (uint32_t i = 0; i < tl_workspace_count(ws); i++) gr_array_push(&keys, (char *)tl_workspace_path(ws, i));
    if (keys.len) qsort(keys.items, keys.len, sizeof *keys.items, tl_wsd__str_cmp);
    for (size_t i = 0; i < keys.len; i++) {
      if (i && strcmp(keys.items[i], keys.items[i - 1]) == 0) continue;
      const char *key = keys.items[i];
      size_t d = 0;
      while (d < nopen && !(open_folders[d] == f && strcmp(open_keys[d], key) == 0)) d++;
      tl_wsd_file file = {0};
      if (d < nopen) { /* open: its own URI (and text, while it stays open) */
        matched[d] = true;
        file.uri = tl_wsd__dup(tl_doc_uri(tl_docs_at(s->docs, d)));
      } else {
        file.uri = tl_wsi_folder_key_uri(f, key);
      }
      file.path = tl_wsi_folder_path(f, key);
      file.is_template = tl_workspace_find(ws, key) != TL_NONE;
      gr_array_push(&r->files, file);
    }
    gr_array_free(&keys);
  }
  /* A pull lists the open documents no scan found too (new files, files
   * outside every folder), when their folder's setting allows it. */
  for (size_t d = 0; d < nopen && !r->push; d++) {
    if (matched[d]) continue;
    tl_wsi_folder *f = open_folders[d];
    if (!tl_settings_workspace_diagnostics(tl_wsi_folder_settings(f), 1)) continue;
    tl_wsd_file file = {0};
    file.uri = tl_wsd__dup(tl_doc_uri(tl_docs_at(s->docs, d)));
    gr_array_push(&r->files, file);
  }
  for (size_t d = 0; d < nopen; d++) gr_free(open_keys[d]);
  gr_free(open_keys);
  gr_free(open_folders);
  gr_free(matched);
  r->started = true;
  r->gen = tl_wsi_generation(s->wsi);
  r->sgen = tl_wsi_settings_generation(s->wsi);
}

/* A file on disk's result id (see the top), or false when it cannot be stat'ed. */
static bool tl_wsd__disk_rid(tl_session *s, const tl_wsd_file *f, char *rid, size_t n) {
  struct stat st;
  if (stat(f->path, &st) != 0 || !S_ISREG(st.st_mode)) return false;
  int k = snprintf(rid, n, "%lld.%lld.%ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                   (long)st.st_mtim.tv_nsec);
  if (!f->is_template)
    k += snprintf(rid + k, n - (size_t)k, ".%llu", (unsigned long long)tl_wsi_generation(s->wsi));
  snprintf(rid + k, n - (size_t)k, ".s%llu", (unsigned long long)tl_wsi_settings_generation(s->wsi));
  return true;
}

/* The Diagnostic[] of a file on disk (read now; an unreadable one has none, logged). */
static json_t *tl_wsd__disk_items(tl_session *s, const tl_wsd_file *f) {
  char *text = NULL, *key = NULL;
  size_t len = 0;
  tl_wsi_folder *folder = tl_wsi_locate(s->wsi, f->uri, &key);
  int err = tl_wsi_folder_read(folder, key, &text, &len);
  if (err) {
    tl_log(s, TL_LOG_INFO, "%s: not checked: %s", f->path, tl_file_strerror(err));
    gr_free(key);
    return json_array();
  }
  json_t *items = tl_diagnostics_json_of_text(s, folder, key, f->uri, text, len);
  gr_free(key);
  gr_free(text);
  return items;
}

static uint64_t tl_wsd__now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- pull --------------------------------------------------------------- */

static void tl_wsd__progress(tl_session *s, const tl_wsd_run *r, json_t *value) {
  if (!r->work) {
    json_decref(value);
    return;
  }
  tl_notify(s, "$/progress", json_pack("{s:O,s:o}", "token", r->work, "value", value));
}

/* Send the items gathered as a partial result, when the client asked for them. */
static void tl_wsd__flush(tl_session *s, tl_wsd_run *r) {
  if (!r->partial || !json_array_size(r->items)) return;
  tl_notify(s, "$/progress", json_pack("{s:O,s:{s:o}}", "token", r->partial, "value", "items", r->items));
  r->items = json_array();
}

static void tl_wsd__report_file(tl_session *s, tl_wsd_run *r, const tl_wsd_file *f) {
  char rid[96];
  json_t *item = NULL;
  tl_doc *open = tl_docs_get(s->docs, f->uri);
  if (!open && !f->path) return; /* closed since the list was made, and never on disk */
  if (open) {
    tl_diagnostics_result_id(s, open, rid, sizeof rid);
    tl_wsd_known *p = tl_wsd__find(&r->prev, f->uri);
    if (p) p->seen = true;
    json_t *version = json_integer(tl_doc_version(open));
    if (p && strcmp(p->rid, rid) == 0)
      item = json_pack("{s:s,s:s,s:o,s:s}", "kind", "unchanged", "uri", f->uri, "version", version, "resultId", rid);
    else
      item = json_pack("{s:s,s:s,s:o,s:s,s:o}", "kind", "full", "uri", f->uri, "version", version, "resultId", rid,
                       "items", tl_diagnostics_json(s, open));
  } else {
    if (!tl_wsd__disk_rid(s, f, rid, sizeof rid)) return; /* gone: reported at the end if the client knew it */
    tl_wsd_known *p = tl_wsd__find(&r->prev, f->uri);
    if (p) p->seen = true;
    if (p && strcmp(p->rid, rid) == 0)
      item = json_pack("{s:s,s:s,s:n,s:s}", "kind", "unchanged", "uri", f->uri, "version", "resultId", rid);
    else
      item = json_pack("{s:s,s:s,s:n,s:s,s:o}", "kind", "full", "uri", f->uri, "version", "resultId", rid, "items",
                       tl_wsd__disk_items(s, f));
  }
  if (!item) return;
  if (strcmp(json_string_value(json_object_get(item, "kind")), "full") == 0) r->full++;
  else r->unchanged++;
  json_array_append_new(r->items, item);
}

/* Reply ServerCancelled (the one error workspace/diagnostic has for this). */
static void tl_wsd__server_cancelled(tl_session *s, json_t *id, const char *why, bool retrigger) {
  json_t *err = json_pack("{s:i,s:s,s:{s:b}}", "code", RPC_E_SERVER_CANCELLED, "message", why, "data",
                          "retriggerRequest", retrigger);
  json_t *msg = json_pack("{s:s,s:O,s:o}", "jsonrpc", "2.0", "id", id, "error", err);
  tl_send(s, msg);
  json_decref(msg);
}

/* The running pull ends without its report: its progress ends (before
 * the answer, as the spec orders), then the error `code` answers it. */
static void tl_wsd__end_pull(tl_session *s, const char *how, int code, const char *why) {
  tl_wsd_run *r = s->wsd->pull;
  if (r->started) tl_wsd__progress(s, r, json_pack("{s:s,s:s}", "kind", "end", "message", how));
  if (code == RPC_E_SERVER_CANCELLED) tl_wsd__server_cancelled(s, r->id, why, false);
  else tl_reply_error(s, r->id, code, why);
  tl_wsd__run_free(r);
  s->wsd->pull = NULL;
}

void tl_h_workspace_diagnostic(tl_call *c) {
  tl_session *s = c->s;
  json_t *prev = json_object_get(c->params, "previousResultIds");
  if (!json_is_array(prev)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.previousResultIds must be an array");
    return;
  }
  tl_wsd_run *r = gr_calloc(1, sizeof *r);
  size_t i;
  json_t *p;
  json_array_foreach(prev, i, p) {
    const char *uri = tl_json_string(p, "uri"), *value = tl_json_string(p, "value");
    if (!uri || !value) {
      tl_wsd__run_free(r);
      tl_fail(c, RPC_E_INVALID_PARAMS, "params.previousResultIds[%zu] must have a uri and a value", i);
      return;
    }
    tl_wsd_known k = {tl_wsd__dup(uri), tl_wsd__dup(value), false, 0, false};
    gr_array_push(&r->prev, k);
  }
  tl_wsd__knowns_sort(&r->prev);
  /* One at a time: a newer request replaces the one still running. */
  if (s->wsd->pull) {
    tl_wsd__end_pull(s, "replaced", RPC_E_SERVER_CANCELLED, "a newer workspace/diagnostic replaced this one");
  }
  r->id = json_incref(c->id);
  r->partial = json_incref(json_object_get(c->params, "partialResultToken"));
  r->work = json_incref(json_object_get(c->params, "workDoneToken"));
  r->items = json_array();
  s->wsd->pull = r;
  c->deferred = true; /* answered by tl_wsd_step */
}

/* The end of a pull: what the client knew and the run did not list. */
static void tl_wsd__finish_pull(tl_session *s, tl_wsd_run *r) {
  for (size_t i = 0; i < r->prev.len; i++) {
    const tl_wsd_known *p = &r->prev.items[i];
    if (p->seen || strcmp(p->rid, "-") == 0) continue;
    json_array_append_new(r->items, json_pack("{s:s,s:s,s:n,s:s,s:[]}", "kind", "full", "uri", p->uri, "version",
                                              "resultId", "-", "items"));
    r->full++;
  }
  tl_wsd__flush(s, r);
  char how[96];
  snprintf(how, sizeof how, "%zu file%s: %zu changed, %zu unchanged", r->full + r->unchanged,
           r->full + r->unchanged == 1 ? "" : "s", r->full, r->unchanged);
  tl_wsd__progress(s, r, json_pack("{s:s,s:s}", "kind", "end", "message", how)); /* ended before the answer */
  tl_reply(s, r->id, json_pack("{s:O}", "items", r->items));
  s->wsd->answered = true;
  s->wsd->answered_gen = r->gen;
  s->wsd->answered_sgen = r->sgen;
  tl_wsd__run_free(r);
  s->wsd->pull = NULL;
}

static void tl_wsd__begin(tl_session *s, tl_wsd_run *r) {
  tl_wsd__list(s, r);
  tl_log(s, TL_LOG_DEBUG, "workspace diagnostics: %zu files (%s)", r->files.len, r->push ? "push" : "pull");
  char msg[64];
  snprintf(msg, sizeof msg, "%zu file%s", r->files.len, r->files.len == 1 ? "" : "s");
  if (!r->push)
    tl_wsd__progress(s, r, json_pack("{s:s,s:s,s:b,s:s,s:i}", "kind", "begin", "title", "Checking the workspace",
                                     "cancellable", 0, "message", msg, "percentage", 0));
}

/* After each batch: the partial result and the progress. */
static void tl_wsd__batch(tl_session *s, tl_wsd_run *r) {
  if (++r->in_batch < TL_WSD_BATCH || r->next == r->files.len) return;
  r->in_batch = 0;
  tl_wsd__flush(s, r);
  char msg[64];
  snprintf(msg, sizeof msg, "%zu of %zu files", r->next, r->files.len);
  tl_wsd__progress(s, r, json_pack("{s:s,s:s,s:i}", "kind", "report", "message", msg, "percentage",
                                   (int)(r->next * 100 / r->files.len)));
}

/* ---- push --------------------------------------------------------------- */

static void tl_wsd__push_file(tl_session *s, tl_wsd_run *r, const tl_wsd_file *f) {
  tl_wsd_knowns *mem = &s->wsd->memory;
  tl_wsd_known *m = tl_wsd__find(mem, f->uri);
  char rid[96];
  bool open = tl_docs_get(s->docs, f->uri) != NULL; /* open since: its own pushes */
  if (!open && !tl_wsd__disk_rid(s, f, rid, sizeof rid)) return; /* gone: cleared at the end */
  if (m) m->seen = true;
  if (open || (m && strcmp(m->rid, rid) == 0)) return;
  json_t *items = tl_wsd__disk_items(s, f);
  bool nonempty = json_array_size(items) > 0;
  /* A template's edit changes every document's result id; most lists stay
   * what they were, and are not sent again. */
  uint64_t hash = 1469598103934665603ull; /* FNV-1a */
  char *dump = nonempty ? json_dumps(items, JSON_COMPACT) : NULL;
  for (const char *p = dump ? dump : ""; *p; p++) hash = (hash ^ (unsigned char)*p) * 1099511628211ull;
  free(dump);
  if ((nonempty || (m && m->nonempty)) && !(m && m->nonempty == nonempty && m->hash == hash)) {
    tl_notify(s, "textDocument/publishDiagnostics", json_pack("{s:s,s:o}", "uri", f->uri, "diagnostics", items));
    r->published++;
  } else {
    json_decref(items);
  }
  m = tl_wsd__remember(mem, f->uri, rid);
  m->nonempty = nonempty;
  m->hash = hash;
  m->seen = true;
}

static void tl_wsd__finish_push(tl_session *s, tl_wsd_run *r) {
  tl_wsd_knowns *mem = &s->wsd->memory;
  size_t keep = 0;
  for (size_t i = 0; i < mem->len; i++) {
    tl_wsd_known *m = &mem->items[i];
    if (m->seen) {
      m->seen = false;
      mem->items[keep++] = *m;
      continue;
    }
    if (m->nonempty && !tl_docs_get(s->docs, m->uri)) {
      tl_diagnostics_clear(s, m->uri);
      r->published++;
    }
    gr_free(m->uri);
    gr_free(m->rid);
  }
  mem->len = keep;
  tl_log(s, TL_LOG_DEBUG, "workspace diagnostics pushed: %zu files listed, %zu published", r->files.len,
         r->published);
  tl_wsd__run_free(r);
  s->wsd->push = NULL;
}

void tl_wsd_touch(tl_session *s) { s->wsd->push_due = true; }

void tl_wsd_opened(tl_session *s, const char *uri) { tl_wsd__forget_known(&s->wsd->memory, uri); }

/* ---- the turn ----------------------------------------------------------- */

/* Is any folder's push setting on? */
static bool tl_wsd__push_wanted(tl_session *s) {
  if (s->pull_diagnostics) return false;
  for (size_t k = 0; k < tl_wsi_folder_count(s->wsi); k++)
    if (tl_wsd__wanted(tl_wsi_folder_at(s->wsi, k), true)) return true;
  return false;
}

bool tl_wsd_busy(const tl_session *s) {
  const tl_wsd *w = s->wsd;
  if (tl_wsi_busy(s->wsi)) return false; /* waits for the scan: the loop wakes for it */
  if (tl_session_output_full(s)) return false; /* waits for the client to read: a write done wakes the loop */
  return w->pull || w->push || (w->push_due && s->state == TL_STATE_RUNNING);
}

void tl_wsd_step(tl_session *s) {
  tl_wsd *w = s->wsd;
  if (w->pull && w->pull->cancelled) {
    tl_wsd__end_pull(s, "cancelled", RPC_E_REQUEST_CANCELLED, "the request was cancelled");
  }
  if (tl_wsi_busy(s->wsi) || s->state != TL_STATE_RUNNING || tl_session_output_full(s)) return;
  if (w->push_due && !w->push) {
    w->push_due = false;
    /* The memory holds what was pushed, also when the setting went off:
     * a run with nothing listed clears it. */
    if (tl_wsd__push_wanted(s) || w->memory.len) {
      w->push = gr_calloc(1, sizeof *w->push);
      w->push->push = true;
    }
  }
  uint64_t until = tl_wsd__now_ns() + TL_WSD_SLICE_NS;
  tl_wsd_run *runs[2] = {w->pull, w->push};
  for (int k = 0; k < 2; k++) {
    tl_wsd_run *r = runs[k];
    if (!r) continue;
    if (!r->started) tl_wsd__begin(s, r);
    while (r->next < r->files.len) {
      const tl_wsd_file *f = &r->files.items[r->next++];
      if (r->push) {
        tl_wsd__push_file(s, r, f);
      } else {
        tl_wsd__report_file(s, r, f);
        tl_wsd__batch(s, r);
      }
      /* the rest next turn; or once the client reads what waits for it */
      if (tl_wsd__now_ns() >= until || tl_session_output_full(s)) return;
    }
    if (r->push) tl_wsd__finish_push(s, r);
    else tl_wsd__finish_pull(s, r);
  }
  /* A template or the settings changed since the last report: the files
   * that are not open read them too (tl_ws_settle asks for the open ones). */
  if (tl_wsd_refresh_due(s) && s->pull_diagnostics &&
      json_is_true(tl_client_cap(s, "workspace.diagnostics.refreshSupport"))) {
    tl_request(s, "workspace/diagnostic/refresh", NULL, TL_OUT_REFRESH);
    tl_wsd_refreshed(s);
  }
}

void tl_wsd_cancel(tl_session *s, const json_t *id) {
  if (s->wsd->pull && rpc_id_equal(s->wsd->pull->id, id)) s->wsd->pull->cancelled = true;
}

void tl_wsd_shutdown(tl_session *s) {
  if (s->wsd->pull) {
    tl_wsd__end_pull(s, "shutting down", RPC_E_SERVER_CANCELLED, "the server is shutting down");
  }
  tl_wsd__run_free(s->wsd->push);
  s->wsd->push = NULL;
}

bool tl_wsd_refresh_due(tl_session *s) {
  tl_wsd *w = s->wsd;
  return w->answered && !w->pull &&
         (tl_wsi_generation(s->wsi) != w->answered_gen || tl_wsi_settings_generation(s->wsi) != w->answered_sgen);
}

bool tl_wsd_follows_templates(tl_session *s) {
  return s->wsd->answered || s->wsd->memory.len || tl_wsd__push_wanted(s);
}

void tl_wsd_refreshed(tl_session *s) {
  s->wsd->answered_gen = tl_wsi_generation(s->wsi);
  s->wsd->answered_sgen = tl_wsi_settings_generation(s->wsi);
}
