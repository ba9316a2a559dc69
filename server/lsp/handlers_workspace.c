/*
 * handlers_workspace.c: the workspace index in the session (folders from
 * initialize, scans handed out as jobs, re-publication when a template
 * changes) and the JSON glue of the document features that need it:
 * hover on a document, definition, documentLink, codeLens
 * (server/features/dochelp.h).
 */
#include <string.h>

#include "server/features/blockpair.h"
#include "server/features/dochelp.h"
#include "server/features/inlay.h"
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

/* Begun and the index has no job left: end it. */
static void tl_ws__progress_settle(tl_session *s) {
  if (s->progress != TL_PROGRESS_SHOWN || tl_wsi_busy(s->wsi)) return;
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
}

tl_wsi_job *tl_session_take_job(tl_session *s) {
  if (s->state == TL_STATE_DONE) return NULL;
  tl_wsi_job *job = tl_wsi_take_job(s->wsi);
  if (job) tl_ws__progress_start(s);
  return job;
}

void tl_session_job_run(tl_wsi_job *job) { tl_wsi_job_run(job); }

void tl_session_job_drop(tl_wsi_job *job) { tl_wsi_job_free(job); }

void tl_session_job_done(tl_session *s, tl_wsi_job *job) {
  char root[512];
  snprintf(root, sizeof root, "%s", tl_wsi_job_root(job));
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
  uint64_t gen = tl_wsi_generation(s->wsi);
  if (gen == s->wsi_gen && !s->wsi_dirty) return;
  s->wsi_gen = gen;
  s->wsi_dirty = false;
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
  gr_span origin, target;
  if (ft_blockpair_at(tl_doc_tree(c->doc), (uint32_t)offset, &origin, &target)) {
    lsp_text t = tl_doc_lsp_text(c->s, c->doc);
    tl__definition_result(c, tl_doc_uri(c->doc), &t, origin, &t, target);
    return;
  }
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  ft_dochelp_target tg;
  if (v.is_template || !v.document || !v.tmpl_uri || !ft_dochelp_definition(v.document, (uint32_t)offset, &tg))
    return; /* null */
  lsp_text from = tl_doc_lsp_text(c->s, c->doc);
  lsp_text to = tl_wsi_folder_text(v.folder, v.tmpl, c->s->enc);
  tl__definition_result(c, v.tmpl_uri, &from, tg.from, &to, tg.to);
}

/* ---- textDocument/documentLink ------------------------------------------ */

void tl_h_document_link(tl_call *c) {
  tl_wsi_view v;
  tl_wsi_view_of(c->s->wsi, c->doc, &v);
  json_t *out = json_array();
  c->result = out;
  if (!v.tmpl_model) return;
  /* A template's own mentions; a document's where the names reappear.
   * Names resolve from where the template lies. */
  ft_doclinks *links = ft_dochelp_links(v.tmpl_model, v.is_template ? NULL : tl_doc_tree(c->doc));
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  const char *last_name = NULL;
  char *last_uri = NULL;
  GR_ARRAY(const char *) names = {0};
  GR_ARRAY(char *) uris = {0};
  for (size_t i = 0; i < links->len; i++) {
    const ft_doclink *l = &links->items[i];
    const char *uri = NULL;
    if (l->name == last_name) {
      uri = last_uri;
    } else {
      size_t k = 0;
      while (k < names.len && names.items[k] != l->name) k++;
      if (k == names.len) {
        gr_array_push(&names, l->name);
        gr_array_push(&uris, tl_wsi_resolve_file(c->s->wsi, v.folder, v.tmpl_path, l->name));
      }
      uri = uris.items[k];
      last_name = l->name;
      last_uri = uris.items[k];
    }
    if (!uri) continue;
    json_array_append_new(out, json_pack("{s:o,s:s}", "range", lsp_range_to_json(&t, l->span.start, l->span.end),
                                         "target", uri));
  }
  for (size_t k = 0; k < uris.len; k++) gr_free(uris.items[k]);
  gr_array_free(&uris);
  gr_array_free(&names);
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
    json_t *o = json_pack("{s:o,s:s,s:b}", "position", lsp_pos_to_json(&t, x->offset), "label",
                          x->kind == FT_INLAY_INSTANCE ? x->label : "", "paddingLeft", 1);
    if (x->kind == FT_INLAY_PATTERN) { /* the template's heading, said to be one */
      size_t n = strlen(x->label) + 16;
      char *label = gr_malloc(n);
      snprintf(label, n, "template: %s", x->label);
      json_object_set_new(o, "label", json_string(label));
      gr_free(label);
    }
    json_array_append_new(out, o);
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
