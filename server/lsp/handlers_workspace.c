/*
 * handlers_workspace.c: the workspace index in the session (folders from
 * initialize, scans handed out as jobs, re-publication when a template
 * changes) and the JSON glue of the document features that need it:
 * hover on a document, definition, documentLink, codeLens
 * (server/features/dochelp.h); workspace/symbol (wsymbols.h) and the file
 * operations (willRenameFiles: fileops.h; didRenameFiles, didDeleteFiles).
 */
#include <stdlib.h>
#include <string.h>

#include "server/features/blockpair.h"
#include "server/features/dochelp.h"
#include "server/features/fileops.h"
#include "server/features/inlay.h"
#include "server/features/wsymbols.h"
#include "server/lsp/diagnostics.h"
#include "server/lsp/session_impl.h"

/* ---- settings ----------------------------------------------------------- */

/* Tell the user what is wrong in the settings, once. */
static void tl_ws__problems(tl_session *s) {
  tl_settings_problems p = {0};
  tl_wsi_take_problems(s->wsi, &p);
  for (size_t i = 0; i < p.len && s->state != TL_STATE_DONE; i++) tl_log_client(s, TL_MSG_WARNING, "%s", p.items[i]);
  tl_settings_problems_free(&p);
}

/*
 * The editor's "tmpl-ls" section (borrowed). A client with nothing to say
 * answers null (Neovim does, for a section it has no settings for): then
 * the settings given with initialize stand.
 */
static void tl_ws__editor_settings(tl_session *s, const json_t *section) {
  if (!json_is_object(section)) section = s->init_settings;
  tl_settings set;
  tl_settings_init(&set);
  tl_settings_problems p = {0};
  tl_settings_read(&set, section, "the editor's tmpl-ls settings", 0, &p);
  for (size_t i = 0; i < p.len; i++) tl_log_client(s, TL_MSG_WARNING, "%s", p.items[i]);
  tl_settings_problems_free(&p);
  tl_wsi_set_editor_settings(s->wsi, &set);
  tl_settings_free(&set);
  s->wsi_dirty = true;
}

/* Ask the client for the "tmpl-ls" section, when it can answer. */
static void tl_ws__ask_settings(tl_session *s) {
  if (!json_is_true(tl_client_cap(s, "workspace.configuration"))) return;
  tl_request(s, "workspace/configuration", json_pack("{s:[{s:s}]}", "items", "section", "tmpl-ls"),
             TL_OUT_CONFIGURATION);
}

/* ---- folders and scans -------------------------------------------------- */

static void tl_ws__add(tl_session *s, const char *uri_or_path) {
  int rc = tl_wsi_add_folder(s->wsi, uri_or_path);
  if (rc == TL_ENOENT)
    tl_log_client(s, TL_MSG_WARNING, "%s: more than %d workspace folders; this one is not indexed", uri_or_path,
                  TL_WSI_MAX_FOLDERS);
  else if (rc != 0)
    tl_log(s, TL_LOG_INFO, "not a workspace folder tmpl-ls can index: %s", uri_or_path);
  else
    tl_log(s, TL_LOG_DEBUG, "workspace folder %s", uri_or_path);
}

void tl_ws_initialize(tl_session *s, const json_t *params) {
  /* Settings may come with initialize (initializationOptions), before any pull. */
  json_t *init = json_object_get(params, "initializationOptions");
  if (json_is_object(init)) {
    s->init_settings = json_deep_copy(init);
    tl_ws__editor_settings(s, init);
  }
  /* workspaceFolders wins over rootUri, which wins over rootPath (LSP 3.17). */
  json_t *folders = json_object_get(params, "workspaceFolders");
  const char *root;
  if (json_is_array(folders) && json_array_size(folders) > 0) {
    size_t i;
    json_t *f;
    json_array_foreach(folders, i, f) {
      const char *uri = tl_json_string(f, "uri");
      if (uri) tl_ws__add(s, uri);
    }
  } else if ((root = tl_json_string(params, "rootUri")) != NULL) {
    tl_ws__add(s, root);
  } else if ((root = tl_json_string(params, "rootPath")) != NULL) {
    tl_ws__add(s, root);
  }
}

void tl_h_did_change_folders(tl_call *c) {
  json_t *event = tl_json_object(c->params, "event");
  json_t *added = json_object_get(event, "added"), *removed = json_object_get(event, "removed");
  if (!json_is_array(added) || !json_is_array(removed)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "needs event.added and event.removed");
    return;
  }
  size_t i;
  json_t *f;
  json_array_foreach(removed, i, f) {
    const char *uri = tl_json_string(f, "uri");
    if (uri && tl_wsi_remove_folder(c->s->wsi, uri) == 0) {
      tl_log(c->s, TL_LOG_DEBUG, "workspace folder %s removed", uri);
      c->s->wsi_dirty = true; /* its documents' diagnostics change */
    }
  }
  json_array_foreach(added, i, f) {
    const char *uri = tl_json_string(f, "uri");
    if (uri) tl_ws__add(c->s, uri);
  }
}

/* ---- watched files ------------------------------------------------------ */

void tl_ws_initialized(tl_session *s) {
  tl_ws__ask_settings(s);
  if (json_is_true(tl_client_cap(s, "workspace.didChangeConfiguration.dynamicRegistration")))
    tl_request(s, "client/registerCapability",
               json_pack("{s:[{s:s,s:s,s:{s:s}}]}", "registrations", "id", "tmpl-ls/configuration", "method",
                         "workspace/didChangeConfiguration", "registerOptions", "section", "tmpl-ls"),
               TL_OUT_REGISTER);
  /* Markdown files and settings files anywhere, and anything deleted (a
   * deleted folder is one event, for the folder alone: its templates go). */
  if (!json_is_true(tl_client_cap(s, "workspace.didChangeWatchedFiles.dynamicRegistration"))) return;
  json_t *params = json_pack(
      "{s:[{s:s,s:s,s:{s:[{s:s},{s:s},{s:s},{s:s},{s:s,s:i}]}}]}", "registrations", "id", "tmpl-ls/watch",
      "method", "workspace/didChangeWatchedFiles", "registerOptions", "watchers", "globPattern", "**/*.md",
      "globPattern", "**/*.yaml", "globPattern", "**/*.yml", /* YAML templates (source.h) */
      "globPattern", "**/" TL_SETTINGS_FILE, "globPattern", "**/*", "kind", 4);
  tl_request(s, "client/registerCapability", params, TL_OUT_REGISTER);
}

void tl_h_did_change_watched_files(tl_call *c) {
  json_t *changes = json_object_get(c->params, "changes");
  if (!json_is_array(changes)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "needs changes");
    return;
  }
  size_t i;
  json_t *ev;
  json_array_foreach(changes, i, ev) {
    const char *uri = tl_json_string(ev, "uri");
    json_int_t type = json_integer_value(json_object_get(ev, "type"));
    if (!uri || type < TL_WSI_CREATED || type > TL_WSI_DELETED) continue;
    if (tl_wsi_file_event(c->s->wsi, uri, (tl_wsi_file_change)type)) c->s->wsi_dirty = true;
  }
}

/* ---- progress ----------------------------------------------------------- */

static void tl_ws__progress(tl_session *s, json_t *value) {
  char token[48];
  snprintf(token, sizeof token, "tmpl-ls/index/%u", s->progress_token);
  tl_notify(s, "$/progress", json_pack("{s:s,s:o}", "token", token, "value", value));
}

/* Begun and the index has no job left, documents' included: end it. */
static void tl_ws__progress_settle(tl_session *s) {
  if (s->progress != TL_PROGRESS_SHOWN || tl_wsi_busy(s->wsi) || tl_wsi_indexing(s->wsi)) return;
  char msg[64];
  snprintf(msg, sizeof msg, "%u template%s read", s->progress_templates, s->progress_templates == 1 ? "" : "s");
  tl_ws__progress(s, json_pack("{s:s,s:s}", "kind", "end", "message", msg));
  s->progress = TL_PROGRESS_IDLE;
}

/* A job goes out: show it, when the client can show work done. */
static void tl_ws__progress_start(tl_session *s) {
  if (s->progress != TL_PROGRESS_IDLE || s->state != TL_STATE_RUNNING || s->progress_refused) return;
  if (!json_is_true(tl_client_cap(s, "window.workDoneProgress"))) return;
  s->progress = TL_PROGRESS_ASKED;
  s->progress_templates = 0;
  char token[48];
  snprintf(token, sizeof token, "tmpl-ls/index/%u", ++s->progress_token);
  tl_request(s, "window/workDoneProgress/create", json_pack("{s:s}", "token", token), TL_OUT_PROGRESS_CREATE);
}

void tl_ws_unanswered(tl_session *s, tl_out_kind kind) {
  if (kind == TL_OUT_PROGRESS_CREATE && s->progress == TL_PROGRESS_ASKED) s->progress = TL_PROGRESS_IDLE;
}

void tl_ws_shutdown(tl_session *s) {
  if (s->progress != TL_PROGRESS_SHOWN) return;
  tl_ws__progress(s, json_pack("{s:s,s:s}", "kind", "end", "message", "shutting down"));
  s->progress = TL_PROGRESS_IDLE;
}

void tl_ws_answer(tl_session *s, tl_out_kind kind, const rpc_msg *msg) {
  const char *what = kind == TL_OUT_REFRESH           ? "workspace/diagnostic/refresh"
                     : kind == TL_OUT_PROGRESS_CREATE ? "window/workDoneProgress/create"
                     : kind == TL_OUT_CONFIGURATION   ? "workspace/configuration"
                     : kind == TL_OUT_SHOW_DOCUMENT   ? "window/showDocument"
                                                      : "client/registerCapability";
  if (msg->error) {
    const char *text = tl_json_string(msg->error, "message");
    tl_log(s, TL_LOG_INFO, "the client refused %s: %s", what, text ? text : "no reason given");
    if (kind == TL_OUT_PROGRESS_CREATE) {
      s->progress = TL_PROGRESS_IDLE;
      s->progress_refused = true;
    }
    return;
  }
  if (kind == TL_OUT_CONFIGURATION) {
    if (!json_is_array(msg->result))
      tl_log_client(s, TL_MSG_WARNING, "workspace/configuration: the answer is not an array; settings unchanged");
    else tl_ws__editor_settings(s, json_array_get(msg->result, 0));
    return;
  }
  if (kind != TL_OUT_PROGRESS_CREATE || s->progress != TL_PROGRESS_ASKED) return;
  tl_ws__progress(s, json_pack("{s:s,s:s,s:b}", "kind", "begin", "title", "Indexing templates", "cancellable", 0));
  s->progress = TL_PROGRESS_SHOWN;
  tl_ws__progress_settle(s); /* done already */
}

void tl_ws_capabilities(const tl_session *s, json_t *caps) {
  json_object_set_new(caps, "definitionProvider", json_true());
  /* Only for a client that asks for them (textDocument.inlayHint). */
  if (json_is_object(tl_client_cap(s, "textDocument.inlayHint")))
    json_object_set_new(caps, "inlayHintProvider", json_pack("{s:b}", "resolveProvider", 0));
  json_object_set_new(caps, "documentLinkProvider", json_pack("{s:b}", "resolveProvider", 0));
  json_object_set_new(caps, "codeLensProvider", json_pack("{s:b}", "resolveProvider", 0));
  json_object_set_new(caps, "executeCommandProvider",
                      json_pack("{s:[s,s]}", "commands", "tmpl-ls.select", "tmpl-ls.showPlaceholders"));
  json_t *ws = json_object_get(caps, "workspace");
  if (!json_is_object(ws)) {
    ws = json_object();
    json_object_set_new(caps, "workspace", ws);
  }
  json_object_set_new(ws, "workspaceFolders", json_pack("{s:b,s:b}", "supported", 1, "changeNotifications", 1));
  json_object_set_new(caps, "workspaceSymbolProvider", json_true());
  /* Moves and deletions of what may be (or hold) templates and documents. */
  const char *globs[] = {"**/*.md", "**/*.yaml", "**/*.yml"};
  json_t *filters = json_array();
  for (size_t i = 0; i < sizeof globs / sizeof *globs; i++)
    json_array_append_new(filters, json_pack("{s:s,s:{s:s,s:s}}", "scheme", "file", "pattern", "glob", globs[i],
                                             "matches", "file"));
  json_array_append_new(filters,
                        json_pack("{s:s,s:{s:s,s:s}}", "scheme", "file", "pattern", "glob", "**/*", "matches", "folder"));
  json_object_set_new(ws, "fileOperations",
                      json_pack("{s:{s:O},s:{s:O},s:{s:O}}", "willRename", "filters", filters, "didRename", "filters",
                                filters, "didDelete", "filters", filters));
  json_decref(filters);
}

tl_wsi_job *tl_session_take_job(tl_session *s) {
  if (s->state == TL_STATE_DONE) return NULL;
  tl_wsi_job *job = tl_wsi_take_job(s->wsi);
  if (job) tl_ws__progress_start(s);
  else job = tl_wsi_take_doc_job(s->wsi); /* documents' headings: shown within a scan's progress, never alone */
  return job;
}

void tl_session_job_run(tl_wsi_job *job) { tl_wsi_job_run(job); }

void tl_session_job_drop(tl_wsi_job *job) { tl_wsi_job_free(job); }

void tl_session_job_done(tl_session *s, tl_wsi_job *job) {
  char root[512];
  snprintf(root, sizeof root, "%s", tl_wsi_job_root(job));
  if (tl_wsi_job_is_docs(job)) { /* no diagnostics depend on it */
    tl_wsi_job_done(s->wsi, job, NULL);
    size_t bytes = 0;
    for (size_t i = 0; i < tl_wsi_folder_count(s->wsi); i++) bytes += tl_wsi_folder_doc_bytes(tl_wsi_folder_at(s->wsi, i));
    tl_log(s, TL_LOG_DEBUG, "%s: documents read (the index keeps %zu KiB of them)", root, bytes / 1024);
    tl_ws__progress_settle(s);
    return;
  }
  char *note = NULL;
  uint32_t n = tl_wsi_job_done(s->wsi, job, &note);
  tl_log(s, TL_LOG_INFO, "%s: %u templates read", root, n);
  if (note && s->state != TL_STATE_DONE) tl_log_client(s, TL_MSG_WARNING, "%s: %s", root, note);
  gr_free(note);
  s->wsi_dirty = true;
  s->progress_templates += n;
  tl_ws__progress_settle(s);
}

void tl_h_did_change_configuration(tl_call *c) {
  /* Settings pushed in the notification (older clients), else pulled. */
  json_t *settings = json_object_get(c->params, "settings");
  json_t *section = json_object_get(settings, "tmpl-ls");
  if (section) tl_ws__editor_settings(c->s, section);
  else tl_ws__ask_settings(c->s);
}

/* ---- re-publication ----------------------------------------------------- */

bool tl_ws_defer(const tl_session *s, tl_doc *doc) {
  return s->state == TL_STATE_RUNNING && !s->eof && tl_wsi_busy(s->wsi) && !tl_doc_is_template(doc);
}

static void tl_ws__due(tl_session *s, tl_doc *doc) {
  for (size_t i = 0; i < s->publish.len; i++)
    if (s->publish.items[i] == doc) return;
  gr_array_push(&s->publish, doc);
}

void tl_ws_settle(tl_session *s) {
  /* With no document open the index leaves an open template's edits for
   * later (tl_wsi_generation); the files that are not open read them too
   * when their diagnostics are given (wsdiag.h): take them in now. */
  if (tl_wsd_follows_templates(s)) tl_wsi_sync(s->wsi);
  uint64_t gen = tl_wsi_generation(s->wsi);
  if (gen == s->wsi_gen && !s->wsi_dirty) return;
  s->wsi_gen = gen;
  s->wsi_dirty = false;
  tl_wsd_touch(s); /* files on disk or their templates may read differently */
  /* New settings: every file, templates too, may read differently. */
  bool all = tl_wsi_settings_generation(s->wsi) != s->settings_gen;
  s->settings_gen = tl_wsi_settings_generation(s->wsi);
  tl_ws__problems(s);
  bool any = false;
  for (size_t i = 0; i < tl_docs_count(s->docs); i++) {
    tl_doc *d = tl_docs_at(s->docs, i);
    if (!all && (tl_doc_is_template(d) || !tl_wsi_doc_outdated(s->wsi, d))) continue;
    any = true;
    if (!s->pull_diagnostics) tl_ws__due(s, d);
    else tl_wsi_mark(s->wsi, d); /* one refresh per change, not one per turn */
  }
  /* A client that pulls is told to pull again, when it says it can be. */
  json_t *refresh = tl_client_cap(s, "workspace.diagnostics.refreshSupport");
  if (any && s->pull_diagnostics && json_is_true(refresh)) {
    tl_request(s, "workspace/diagnostic/refresh", NULL, TL_OUT_REFRESH);
    tl_wsd_refreshed(s); /* one refresh covers the workspace report too */
  }
  /* Inlay hints follow the templates and the settings as diagnostics do. */
  if (any && json_is_true(tl_client_cap(s, "workspace.inlayHint.refreshSupport")))
    tl_request(s, "workspace/inlayHint/refresh", NULL, TL_OUT_REFRESH);
}

/* ---- shared by the handlers --------------------------------------------- */

/* params.position as a byte offset of the call's document; -32602 otherwise. */

/* ---- textDocument/hover on a document ----------------------------------- */

bool tl_ws_hover(tl_call *c, size_t offset) {
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  if (v.is_template || !v.document) return false;
  ft_dochelp_hover *h = ft_dochelp_hover_at(v.document, v.assoc, v.tmpl_path, (uint32_t)offset);
  if (!h) return false;
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  c->result = json_pack("{s:{s:s,s:s}}", "contents", "kind", "markdown", "value", h->markdown);
  if (c->result && h->has_span)
    json_object_set_new(c->result, "range", lsp_range_to_json(&t, h->span.start, h->span.end));
  ft_dochelp_hover_free(h);
  if (!c->result) tl_fail(c, RPC_E_INTERNAL_ERROR, "the hover text is not valid UTF-8");
  return true;
}

/* ---- textDocument/definition -------------------------------------------- */

/* A block's opener and its closer, in the same file: a Location or a
 * LocationLink as the client takes them. */
static void tl__definition_result(tl_call *c, const char *uri, const lsp_text *from, gr_span origin, const lsp_text *to,
                                  gr_span target) {
  json_t *link_support = tl_client_cap(c->s, "textDocument.definition.linkSupport");
  json_t *range = lsp_range_to_json(to, target.start, target.end);
  if (json_is_true(link_support)) {
    /* LocationLink: the client can underline what was clicked. */
    c->result = json_pack("[{s:o,s:s,s:o,s:O}]", "originSelectionRange", lsp_range_to_json(from, origin.start, origin.end),
                          "targetUri", uri, "targetRange", range, "targetSelectionRange", range);
  } else {
    c->result = json_pack("{s:s,s:o}", "uri", uri, "range", range);
  }
}

void tl_h_definition(tl_call *c) {
  size_t offset;
  if (tl_call_position(c, &offset) != 0) return;
  /* A document's heading or placeholder goes to its template first; then a
   * block's opener to its closer and back, in any file. */
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  ft_dochelp_target tg;
  lsp_text here = tl_doc_lsp_text(c->s, c->doc);
  if (!v.is_template && v.document && v.tmpl_uri && ft_dochelp_definition(v.document, (uint32_t)offset, &tg)) {
    lsp_text to = tl_wsi_folder_text(v.folder, v.tmpl, c->s->enc);
    tl__definition_result(c, v.tmpl_uri, &here, tg.from, &to, tg.to);
    return;
  }
  gr_span origin, target;
  if (ft_blockpair_at(tl_doc_tree(c->doc), (uint32_t)offset, &origin, &target))
    tl__definition_result(c, tl_doc_uri(c->doc), &here, origin, &here, target);
}

/* ---- textDocument/documentLink ------------------------------------------ */

/* Where a document's marker comment names the template it was matched
 * to by that marker (the path in it), or false. */
static bool tl__marker_path(const tl_wsi_view *v, const lsp_text *t, gr_span *out) {
  const tl_assoc *a = v->assoc;
  if (v->is_template || !a || a->rule != TL_ASSOC_MARKER || !a->marker_path || !v->tmpl_uri) return false;
  size_t n = strlen(a->marker_path);
  for (uint32_t at = a->marker.start; n && at + n <= a->marker.end && at + n <= t->len; at++) {
    if (memcmp(t->text + at, a->marker_path, n) != 0) continue;
    *out = (gr_span){at, at + (uint32_t)n};
    return true;
  }
  return false;
}

void tl_h_document_link(tl_call *c) {
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  json_t *out = json_array();
  c->result = out;
  if (!v.tmpl_model && v.is_template) return;
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  gr_span marker = {0, 0}; /* the marker's path links to the template, before what comes after it */
  bool has_marker = tl__marker_path(&v, &t, &marker);
  /* A template's own mentions; in a document, where the template's names
   * reappear (resolved from where the template lies) and the files it
   * names itself (from where it lies): only those that exist. */
  ft_doclinks *links = ft_dochelp_links(v.tmpl_model, v.is_template ? NULL : tl_doc_tree(c->doc));
  typedef struct {
    const char *name;
    bool own;
    char *uri;
  } tl__resolved;
  GR_ARRAY(tl__resolved) seen = {0};
  for (size_t i = 0; i < links->len; i++) {
    const ft_doclink *l = &links->items[i];
    if (has_marker && l->span.start >= marker.end) {
      json_array_append_new(out, json_pack("{s:o,s:s}", "range", lsp_range_to_json(&t, marker.start, marker.end),
                                           "target", v.tmpl_uri));
      has_marker = false;
    }
    if (has_marker && l->span.end > marker.start) continue; /* the marker's own path */
    bool own = l->own != NULL;
    size_t k = 0;
    while (k < seen.len && !(seen.items[k].own == own && strcmp(seen.items[k].name, l->name) == 0)) k++;
    if (k == seen.len) {
      const char *from = own || !v.tmpl_path ? v.path : v.tmpl_path;
      tl__resolved r = {l->name, own, tl_wsi_resolve_file(c->s->wsi, v.folder, from, l->name)};
      gr_array_push(&seen, r);
    }
    const char *uri = seen.items[k].uri;
    if (!uri || strcmp(uri, tl_doc_uri(c->doc)) == 0) continue; /* not in the workspace, or this file */
    json_array_append_new(out, json_pack("{s:o,s:s}", "range", lsp_range_to_json(&t, l->span.start, l->span.end),
                                         "target", uri));
  }
  if (has_marker)
    json_array_append_new(out, json_pack("{s:o,s:s}", "range", lsp_range_to_json(&t, marker.start, marker.end),
                                         "target", v.tmpl_uri));
  for (size_t k = 0; k < seen.len; k++) gr_free(seen.items[k].uri);
  gr_array_free(&seen);
  ft_doclinks_free(links);
}

/* ---- textDocument/inlayHint --------------------------------------------- */

void tl_h_inlay_hint(tl_call *c) {
  size_t start = 0, end = 0;
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  if (lsp_range_from_json(&t, tl_json_object(c->params, "range"), &start, &end) != 0) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.range must be a Range");
    return;
  }
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  json_t *out = json_array();
  c->result = out;
  if (v.is_template || !v.document || !tl_settings_inlay_hints(v.settings)) return;
  ft_inlays *h = ft_inlay_hints(v.document, (uint32_t)start, (uint32_t)end);
  for (size_t i = 0; i < h->len; i++) {
    const ft_inlay *x = &h->items[i];
    json_array_append_new(out, json_pack("{s:o,s:s,s:b}", "position", lsp_pos_to_json(&t, x->offset), "label",
                                         x->label, "paddingLeft", 1));
  }
  ft_inlays_free(h);
}

/* ---- textDocument/codeLens ---------------------------------------------- */

void tl_h_code_lens(tl_call *c) {
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  json_t *out = json_array();
  c->result = out;
  if (v.is_template || !v.document) return;
  tl_diags published = {0};
  tl_diagnostics_compute(c->doc, c->s->wsi, &published);
  ft_doclens lens = ft_dochelp_lens(v.document, &published);
  /* A Markdown file with no template and nothing left to fill gets none. */
  if (!lens.has_template && lens.unfilled == 0) {
    tl_diags_free(&published);
    return;
  }
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  /* Clicked, it selects the first unfilled placeholder and answers them
   * all as locations, where the client can show a document
   * (window/showDocument); elsewhere it is a label, a command the client
   * runs as nothing. */
  json_t *ranges = json_array();
  for (size_t i = 0; i < published.len; i++)
    if (strcmp(published.items[i].code, "unfilled-placeholder") == 0)
      json_array_append_new(ranges, lsp_range_to_json(&t, published.items[i].span.start, published.items[i].span.end));
  bool show = json_is_true(tl_client_cap(c->s, "window.showDocument.support")) && json_array_size(ranges) > 0;
  json_t *cmd = show ? json_pack("{s:s,s:s,s:[s,o]}", "title", lens.title, "command", "tmpl-ls.showPlaceholders",
                                 "arguments", tl_doc_uri(c->doc), ranges)
                     : json_pack("{s:s,s:s}", "title", lens.title, "command", "");
  if (!show) json_decref(ranges);
  json_array_append_new(out, json_pack("{s:o,s:o}", "range", lsp_range_to_json(&t, lens.span.start, lens.span.end),
                                       "command", cmd));
  tl_diags_free(&published);
}

/* ---- workspace/symbol --------------------------------------------------- */

/*
 * Sections of every template and document of the workspace, open or not,
 * with templates' CONDITION and REPEAT names and YAML ids (wsymbols.h),
 * fuzzy-matched (fuzzy.h). Never waits for a scan: what the index has read
 * so far is what is searched. Documents on disk come as the index last
 * read them (line and the line's head, converted here); open files with
 * their current text.
 */

#define TL_WS__MAX_SYMBOLS 1000 /* symbols in one answer, as completion caps its items */

/* A file whose symbols are searched, and how to name it in a Location. */
typedef struct tl_ws__symfile {
  tl_wsi_folder *folder;
  uint32_t tmpl;   /* a template of the folder, or TL_NONE */
  const char *key; /* a document on disk (borrowed from the index), or NULL */
  tl_doc *doc;     /* an open document, or NULL */
} tl_ws__symfile;

/* An open document's place in the index, to leave its disk copy out. */
typedef struct tl_ws__open {
  size_t folder;
  char *key;
} tl_ws__open;

static int tl_ws__open_cmp(const void *a, const void *b) {
  const tl_ws__open *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->folder > y->folder) - (x->folder < y->folder);
}

/* Index of folder f among the index's folders. */
static size_t tl_ws__folder_index(tl_wsi *wsi, const tl_wsi_folder *f) {
  size_t n = tl_wsi_folder_count(wsi), i = 0;
  while (i < n && tl_wsi_folder_at(wsi, i) != f) i++;
  return i;
}

/*
 * Every file's symbols in the order ties are shown: the templates (folder
 * by folder, each folder's in its order), the open documents, then the
 * documents on disk that are not open (by key). Parallel arrays.
 */
typedef GR_ARRAY(const ft_wsyms *) tl_ws__lists;
typedef GR_ARRAY(tl_ws__symfile) tl_ws__symfiles;

static void tl_ws__symbol_files(tl_session *s, tl_ws__lists *lists, tl_ws__symfiles *files) {
  tl_wsi *wsi = s->wsi;
  tl_wsi_generation(wsi); /* the open templates in */
  size_t nf = tl_wsi_folder_count(wsi);
  for (size_t k = 0; k < nf; k++) {
    tl_wsi_folder *f = tl_wsi_folder_at(wsi, k);
    uint32_t nt = tl_workspace_count(tl_wsi_folder_workspace(f));
    for (uint32_t i = 0; i < nt; i++) {
      tl_ws__symfile sf = {f, i, NULL, NULL};
      gr_array_push(lists, tl_wsi_folder_symbols(f, i));
      gr_array_push(files, sf);
    }
  }
  GR_ARRAY(tl_ws__open) open = {0};
  for (size_t d = 0; d < tl_docs_count(s->docs); d++) {
    tl_doc *doc = tl_docs_at(s->docs, d);
    if (tl_doc_is_template(doc) || tl_doc_kind(doc) != TL_SOURCE_DOCUMENT) continue;
    tl_ws__open o;
    tl_wsi_folder *f = tl_wsi_locate(wsi, tl_doc_uri(doc), &o.key);
    o.folder = tl_ws__folder_index(wsi, f);
    gr_array_push(&open, o);
    tl_ws__symfile sf = {f, TL_NONE, NULL, doc};
    gr_array_push(lists, tl_wsi_doc_symbols(wsi, doc));
    gr_array_push(files, sf);
  }
  if (open.len > 1) qsort(open.items, open.len, sizeof *open.items, tl_ws__open_cmp);
  for (size_t k = 0; k < nf; k++) {
    tl_wsi_folder *f = tl_wsi_folder_at(wsi, k);
    for (size_t i = 0; i < tl_wsi_folder_file_count(f); i++) {
      const ft_wsyms *syms = tl_wsi_folder_file_symbols(f, i);
      if (!syms || !syms->len) continue;
      tl_ws__open o = {k, (char *)tl_wsi_folder_file(f, i)};
      if (open.len && bsearch(&o, open.items, open.len, sizeof *open.items, tl_ws__open_cmp)) continue;
      tl_ws__symfile sf = {f, TL_NONE, o.key, NULL};
      gr_array_push(lists, syms);
      gr_array_push(files, sf);
    }
  }
  for (size_t i = 0; i < open.len; i++) gr_free(open.items[i].key);
  gr_array_free(&open);
}

void tl_h_workspace_symbol(tl_call *c) {
  json_t *q = json_object_get(c->params, "query");
  if (!json_is_string(q)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.query must be a string");
    return;
  }
  tl_wsi_sync(c->s->wsi); /* the open templates' current texts */
  tl_ws__lists lists = {0};
  tl_ws__symfiles files = {0};
  tl_ws__symbol_files(c->s, &lists, &files);
  ft_wsym_hit *hits = NULL;
  size_t total = 0;
  size_t n = ft_wsyms_search(lists.items, lists.len, json_string_value(q), json_string_length(q), TL_WS__MAX_SYMBOLS,
                             &hits, &total);
  json_t *out = json_array();
  for (size_t i = 0; i < n; i++) {
    const tl_ws__symfile *sf = &files.items[hits[i].file];
    const ft_wsyms *list = lists.items[hits[i].file];
    const ft_wsym *y = &list->items[hits[i].sym];
    char *owned = NULL;
    const char *uri = sf->doc ? tl_doc_uri(sf->doc)
                      : sf->key ? (owned = tl_wsi_folder_key_uri(sf->folder, sf->key))
                                : tl_wsi_folder_uri(sf->folder, sf->tmpl);
    size_t nl, hl;
    const char *name = ft_wsyms_name(list, hits[i].sym, &nl), *head = ft_wsyms_head(list, hits[i].sym, &hl);
    json_t *sym = json_pack("{s:s%,s:i,s:{s:s,s:o}}", "name", name, nl, "kind", ft_wsym_kind_lsp(y->kind),
                            "location", "uri", uri, "range",
                            lsp_line_range_to_json(y->line, head, hl, y->start, y->end, c->s->enc));
    if (sym && y->container != FT_WSYM_NONE) {
      const char *cn = ft_wsyms_name(list, y->container, &nl);
      json_object_set_new(sym, "containerName", json_stringn(cn, nl));
    }
    if (sym) json_array_append_new(out, sym);
    gr_free(owned);
  }
  tl_log(c->s, TL_LOG_DEBUG, "workspace/symbol: %zu symbols of %zu files match, %zu answered", total, lists.len, n);
  gr_free(hits);
  gr_array_free(&lists);
  gr_array_free(&files);
  c->result = out;
}

/* ---- workspace/willRenameFiles ------------------------------------------ */

/*
 * Before the editor moves files: the edits that keep naming the templates
 * they move, in every document of the folder (open: its text; on disk: as
 * the index last read it) and the folder's .tmpl-ls.json (fileops.h). A
 * move across folders, or outside them, edits nothing (markers name keys
 * of one folder). Answers null when nothing needs an edit; otherwise a
 * WorkspaceEdit, `documentChanges` with versions (null on disk) when the
 * client supports it, else `changes`.
 */

#define TL_WS__MAX_RENAMES 1000 /* files one willRenameFiles edits for; each costs a look at every document */

/* The renames of one folder (keys, owned). */
typedef struct tl_ws__renames {
  tl_wsi_folder *folder;
  GR_ARRAY(ft_rename) items;
} tl_ws__renames;

/* One file's edits for the WorkspaceEdit. */
typedef struct tl_ws__file_edits {
  char *uri;
  bool open;
  int64_t version;
  json_t *edits; /* TextEdit[] (owned) */
} tl_ws__file_edits;

static int tl_ws__known(const char *key, void *ctx) {
  return tl_workspace_find(tl_wsi_folder_workspace(ctx), key) != TL_NONE;
}

/* The marker edit of a document at `key` whose marker is m, if the renames move what it names. */
static json_t *tl_ws__marker_edit(tl_session *s, const tl_ws__renames *r, const char *key, const ft_marker *m) {
  char *value = ft_fileops_marker(key, m->value, m->quoted, r->items.items, r->items.len, tl_ws__known, r->folder);
  if (!value) return NULL;
  json_t *edit = json_pack("{s:o,s:s}", "range",
                           lsp_line_range_to_json(m->line, m->head, m->head_len, m->start, m->end, s->enc), "newText",
                           value);
  gr_free(value);
  return edit;
}

typedef GR_ARRAY(tl_ws__file_edits) tl_ws__edits;

static void tl_ws__add_edits(tl_ws__edits *out, char *uri, tl_doc *open, json_t *edits) {
  tl_ws__file_edits fe = {uri, open != NULL, open ? tl_doc_version(open) : 0, edits};
  gr_array_push(out, fe);
}

/* The edits in folder r->folder: its documents' markers (open: their text; else as last read), its settings. */
static void tl_ws__rename_edits(tl_session *s, const tl_ws__renames *r, tl_ws__edits *out) {
  tl_wsi *wsi = s->wsi;
  tl_wsi_folder *f = r->folder;
  GR_ARRAY(char *) open_keys = {0};
  for (size_t d = 0; d < tl_docs_count(s->docs); d++) {
    tl_doc *doc = tl_docs_at(s->docs, d);
    if (tl_doc_is_template(doc) || tl_doc_kind(doc) != TL_SOURCE_DOCUMENT) continue;
    char *key;
    if (tl_wsi_locate(wsi, tl_doc_uri(doc), &key) != f) {
      gr_free(key);
      continue;
    }
    gr_array_push(&open_keys, key);
    ft_marker *m = ft_marker_of(tl_doc_tree(doc));
    json_t *edit = m ? tl_ws__marker_edit(s, r, key, m) : NULL;
    ft_marker_free(m);
    if (edit) tl_ws__add_edits(out, gr_strndup(tl_doc_uri(doc), strlen(tl_doc_uri(doc))), doc, json_pack("[o]", edit));
  }
  for (size_t i = 0; i < tl_wsi_folder_file_count(f); i++) {
    const ft_marker *m = tl_wsi_folder_file_marker(f, i);
    const char *key = tl_wsi_folder_file(f, i);
    if (!m) continue;
    size_t k = 0;
    while (k < open_keys.len && strcmp(open_keys.items[k], key) != 0) k++;
    if (k < open_keys.len) continue; /* open: its text counted */
    json_t *edit = tl_ws__marker_edit(s, r, key, m);
    if (edit) tl_ws__add_edits(out, tl_wsi_folder_key_uri(f, key), NULL, json_pack("[o]", edit));
  }
  for (size_t k = 0; k < open_keys.len; k++) gr_free(open_keys.items[k]);
  gr_array_free(&open_keys);

  /* .tmpl-ls.json: its open text if the editor has it open, else as last read. */
  char *uri = tl_wsi_folder_key_uri(f, TL_SETTINGS_FILE);
  tl_doc *open = tl_docs_get(s->docs, uri);
  size_t len = 0;
  const char *text = open ? tl_doc_text(open, &len) : tl_wsi_folder_settings_text(f, &len);
  ft_fileop_edits e = {0};
  if (text) ft_fileops_settings(text, len, r->items.items, r->items.len, &e);
  if (!e.len) {
    gr_free(uri);
    return;
  }
  gr_lines *lines = open ? NULL : gr_lines_new(text, len);
  lsp_text t = open ? tl_doc_lsp_text(s, open) : (lsp_text){text, len, lines, s->enc, NULL};
  json_t *edits = json_array();
  for (size_t i = 0; i < e.len; i++)
    json_array_append_new(edits, json_pack("{s:o,s:s}", "range",
                                           lsp_range_to_json(&t, e.items[i].span.start, e.items[i].span.end),
                                           "newText", e.items[i].text));
  gr_lines_free(lines);
  ft_fileop_edits_free(&e);
  tl_ws__add_edits(out, uri, open, edits);
}

void tl_h_will_rename_files(tl_call *c) {
  json_t *files = json_object_get(c->params, "files");
  if (!json_is_array(files)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.files must be an array of FileRename");
    return;
  }
  tl_wsi *wsi = c->s->wsi;
  tl_wsi_sync(wsi);
  tl_wsi_generation(wsi);
  GR_ARRAY(tl_ws__renames) by_folder = {0};
  size_t i;
  json_t *fr;
  json_array_foreach(files, i, fr) {
    const char *from = tl_json_string(fr, "oldUri"), *to = tl_json_string(fr, "newUri");
    if (!from || !to) {
      tl_fail(c, RPC_E_INVALID_PARAMS, "params.files[%zu] needs oldUri and newUri", i);
      break;
    }
    if (i == TL_WS__MAX_RENAMES) {
      tl_log_client(c->s, TL_MSG_WARNING,
                    "workspace/willRenameFiles: more than %d files at once; markers naming the others are not edited",
                    TL_WS__MAX_RENAMES);
      break;
    }
    char *okey, *nkey;
    tl_wsi_folder *f = tl_wsi_locate(wsi, from, &okey), *g = tl_wsi_locate(wsi, to, &nkey);
    if (f != g || tl_wsi_folder_is_loose(f)) { /* across folders, or outside them: markers name keys of one folder */
      gr_free(okey);
      gr_free(nkey);
      continue;
    }
    size_t k = 0;
    while (k < by_folder.len && by_folder.items[k].folder != f) k++;
    if (k == by_folder.len) {
      tl_ws__renames r;
      memset(&r, 0, sizeof r);
      r.folder = f;
      gr_array_push(&by_folder, r);
    }
    ft_rename rn = {okey, nkey};
    gr_array_push(&by_folder.items[k].items, rn);
  }
  tl_ws__edits edits = {0};
  for (size_t k = 0; !c->error && k < by_folder.len; k++) tl_ws__rename_edits(c->s, &by_folder.items[k], &edits);
  if (!c->error && edits.len) {
    bool doc_changes = json_is_true(tl_client_cap(c->s, "workspace.workspaceEdit.documentChanges"));
    json_t *all = doc_changes ? json_array() : json_object();
    for (size_t k = 0; k < edits.len; k++) {
      tl_ws__file_edits *fe = &edits.items[k];
      if (doc_changes) {
        json_t *id = json_pack("{s:s,s:o}", "uri", fe->uri, "version", fe->open ? json_integer(fe->version) : json_null());
        json_array_append_new(all, json_pack("{s:o,s:o}", "textDocument", id, "edits", fe->edits));
      } else {
        json_object_set_new(all, fe->uri, fe->edits);
      }
      fe->edits = NULL;
    }
    c->result = json_pack("{s:o}", doc_changes ? "documentChanges" : "changes", all);
  }
  for (size_t k = 0; k < edits.len; k++) {
    gr_free(edits.items[k].uri);
    json_decref(edits.items[k].edits);
  }
  gr_array_free(&edits);
  for (size_t k = 0; k < by_folder.len; k++) {
    for (size_t j = 0; j < by_folder.items[k].items.len; j++) {
      gr_free((char *)by_folder.items[k].items.items[j].from);
      gr_free((char *)by_folder.items[k].items.items[j].to);
    }
    gr_array_free(&by_folder.items[k].items);
  }
  gr_array_free(&by_folder);
}

/* ---- workspace/didRenameFiles, didDeleteFiles --------------------------- */

void tl_h_did_rename_files(tl_call *c) {
  json_t *files = json_object_get(c->params, "files");
  if (!json_is_array(files)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.files must be an array of FileRename");
    return;
  }
  size_t i;
  json_t *fr;
  json_array_foreach(files, i, fr) {
    const char *from = tl_json_string(fr, "oldUri"), *to = tl_json_string(fr, "newUri");
    if (from && to && tl_wsi_path_renamed(c->s->wsi, from, to)) c->s->wsi_dirty = true;
  }
}

void tl_h_did_delete_files(tl_call *c) {
  json_t *files = json_object_get(c->params, "files");
  if (!json_is_array(files)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.files must be an array of FileDelete");
    return;
  }
  size_t i;
  json_t *fd;
  json_array_foreach(files, i, fd) {
    const char *uri = tl_json_string(fd, "uri");
    if (uri && tl_wsi_path_deleted(c->s->wsi, uri)) c->s->wsi_dirty = true;
  }
}
