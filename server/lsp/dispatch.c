/*
 * dispatch.c: the method table, the lifecycle (initialize, shutdown, exit)
 * and the rules every message goes through before its handler:
 *
 *   before initialize   requests -> ServerNotInitialized (-32002),
 *                       notifications dropped, except exit
 *   after shutdown      requests -> InvalidRequest (-32600),
 *                       notifications dropped, except exit
 *   unknown method      request -> MethodNotFound (-32601); notification
 *                       (and every "$/..." one) ignored
 *   cancelled request   RequestCancelled (-32800)
 *   bad params          InvalidParams (-32602), also for a URI not open
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/lsp/session_impl.h"

#ifndef TMPL_LS_VERSION
#define TMPL_LS_VERSION "0.0.0"
#endif

/* ---- lifecycle handlers ------------------------------------------------- */

static json_t *tl__capabilities(const tl_session *s) {
  json_t *caps = json_object();
  json_object_set_new(caps, "positionEncoding", json_string(lsp_pos_encoding_name(s->enc)));
  json_object_set_new(caps, "textDocumentSync",
                      json_pack("{s:b,s:i,s:{s:b}}", "openClose", 1, "change", 2 /* incremental */, "save",
                                "includeText", 0));
  if (s->pull_diagnostics)
    /* interFileDependencies: a document's diagnostics depend on its template. */
    json_object_set_new(caps, "diagnosticProvider",
                        json_pack("{s:s,s:b,s:b}", "identifier", "tmpl-ls", "interFileDependencies", 1,
                                  "workspaceDiagnostics", 1));
  tl_features_capabilities(caps);
  tl_ws_capabilities(s, caps);
  tl_names_capabilities(s, caps);
  tl_edit_capabilities(s, caps);
  return caps;
}

static void h_initialize(tl_call *c) {
  tl_session *s = c->s;
  if (s->state != TL_STATE_UNINITIALIZED) {
    tl_fail(c, RPC_E_INVALID_REQUEST, "initialize was already received");
    return;
  }
  if (!json_is_object(c->params)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "initialize needs InitializeParams");
    return;
  }
  json_t *caps = json_object_get(c->params, "capabilities");
  if (caps && !json_is_object(caps)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "capabilities must be an object");
    return;
  }
  json_t *general = tl_json_object(caps, "general");
  s->enc = lsp_pos_negotiate(json_object_get(general, "positionEncodings"));
  s->pull_diagnostics = tl_json_object(tl_json_object(caps, "textDocument"), "diagnostic") != NULL;
  s->client_caps = caps ? json_incref(caps) : json_object();
  s->state = TL_STATE_RUNNING;
  tl_ws_initialize(s, c->params);

  const char *client = tl_json_string(tl_json_object(c->params, "clientInfo"), "name");
  tl_log(s, TL_LOG_INFO, "initialize from %s: positions in %s, diagnostics %s", client ? client : "a client",
         lsp_pos_encoding_name(s->enc), s->pull_diagnostics ? "pulled" : "pushed");
  c->result = json_pack("{s:o,s:{s:s,s:s}}", "capabilities", tl__capabilities(s), "serverInfo", "name",
                        "tmpl-ls", "version", TMPL_LS_VERSION);
}

static void h_initialized(tl_call *c) {
  tl_log(c->s, TL_LOG_DEBUG, "client initialized");
  tl_ws_initialized(c->s);
}

static void h_shutdown(tl_call *c) {
  /* Work this turn still owes goes out first: the client may stop
   * listening once shutdown is answered. The state moves first so that
   * nothing waits any longer for a workspace scan (tl_ws_defer). */
  c->s->state = TL_STATE_SHUTDOWN;
  tl_session_release_held(c->s);
  tl_session_settle(c->s);
  tl_ws_shutdown(c->s);
  tl_wsd_shutdown(c->s);
  tl_log(c->s, TL_LOG_INFO, "shutdown");
}

static void h_exit(tl_call *c) {
  tl_session *s = c->s;
  s->exit_status = s->state == TL_STATE_SHUTDOWN ? 0 : 1;
  s->state = TL_STATE_DONE;
  tl_log(s, TL_LOG_INFO, "exit (status %d)", s->exit_status);
}

/* ---- the table ---------------------------------------------------------- */

static const tl_method tl__methods[] = {
    {"initialize", TL_REQUEST, 0, h_initialize},
    {"initialized", TL_NOTIFICATION, 0, h_initialized},
    {"shutdown", TL_REQUEST, 0, h_shutdown},
    {"exit", TL_NOTIFICATION, 0, h_exit},
    {"textDocument/didOpen", TL_NOTIFICATION, 0, tl_h_did_open},
    {"textDocument/didChange", TL_NOTIFICATION, TL_M_DOC, tl_h_did_change},
    {"textDocument/didClose", TL_NOTIFICATION, TL_M_DOC, tl_h_did_close},
    {"textDocument/didSave", TL_NOTIFICATION, TL_M_DOC, tl_h_did_save},
    {"textDocument/diagnostic", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_diagnostic},
    {"textDocument/documentSymbol", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_document_symbol},
    {"textDocument/foldingRange", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_folding_range},
    {"textDocument/semanticTokens/full", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_semantic_tokens_full},
    {"textDocument/semanticTokens/full/delta", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_semantic_tokens_delta},
    {"textDocument/semanticTokens/range", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_semantic_tokens_range},
    {"textDocument/hover", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_hover},
    {"textDocument/selectionRange", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_selection_range},
    {"textDocument/references", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_references},
    {"textDocument/prepareRename", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_prepare_rename},
    {"textDocument/rename", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_rename},
    {"textDocument/linkedEditingRange", TL_REQUEST, TL_M_DOC | TL_M_TREE, tl_h_linked_editing_range},
    {"textDocument/definition", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_definition},
    {"textDocument/documentLink", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_document_link},
    {"textDocument/codeLens", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_code_lens},
    {"textDocument/inlayHint", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_inlay_hint},
    {"workspace/didChangeWorkspaceFolders", TL_NOTIFICATION, 0, tl_h_did_change_folders},
    {"workspace/didChangeWatchedFiles", TL_NOTIFICATION, 0, tl_h_did_change_watched_files},
    {"workspace/didChangeConfiguration", TL_NOTIFICATION, 0, tl_h_did_change_configuration},
    {"workspace/symbol", TL_REQUEST, 0, tl_h_workspace_symbol},
    {"workspace/willRenameFiles", TL_REQUEST, 0, tl_h_will_rename_files},
    {"workspace/didRenameFiles", TL_NOTIFICATION, 0, tl_h_did_rename_files},
    {"workspace/didDeleteFiles", TL_NOTIFICATION, 0, tl_h_did_delete_files},
    {"textDocument/completion", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_completion},
    {"textDocument/codeAction", TL_REQUEST, TL_M_DOC | TL_M_TREE | TL_M_WS, tl_h_code_action},
    {"workspace/executeCommand", TL_REQUEST, 0, tl_h_execute_command},
    {"workspace/diagnostic", TL_REQUEST, 0, tl_h_workspace_diagnostic},
};

const tl_method *tl_method_find(const char *name) {
  for (size_t i = 0; i < sizeof tl__methods / sizeof *tl__methods; i++)
    if (strcmp(tl__methods[i].name, name) == 0) return &tl__methods[i];
  return NULL;
}

/* ---- dispatch ----------------------------------------------------------- */

int tl_fail(tl_call *call, int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(call->message, sizeof call->message, fmt, ap);
  va_end(ap);
  call->error = code;
  return code;
}

int tl_call_position(tl_call *c, size_t *offset) {
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  if (lsp_pos_from_json(&t, json_object_get(c->params, "position"), offset) != 0)
    return tl_fail(c, RPC_E_INVALID_PARAMS, "params.position must be a Position");
  return 0;
}

/* params.textDocument.uri as an open document; -32602 otherwise. */
static int tl__resolve_doc(tl_call *c) {
  const char *uri = tl_json_string(tl_json_object(c->params, "textDocument"), "uri");
  if (!uri) return tl_fail(c, RPC_E_INVALID_PARAMS, "params.textDocument.uri must be a string");
  c->doc = tl_docs_get(c->s->docs, uri);
  if (!c->doc) return tl_fail(c, RPC_E_INVALID_PARAMS, "document not open: %s", uri);
  return 0;
}

static void tl__finish(tl_session *s, const tl_method *m, tl_call *c) {
  if (m->kind == TL_NOTIFICATION) {
    if (c->error) tl_log_client(s, TL_MSG_WARNING, "%s: %s", m->name, c->message);
    json_decref(c->result);
  } else if (c->error) {
    json_decref(c->result);
    tl_reply_error(s, c->id, c->error, c->message);
  } else if (c->deferred) {
    json_decref(c->result); /* the handler answers later */
  } else {
    size_t at = tl_session_pending_output(s);
    const rpc_buf *raw = c->raw_kept ? c->raw_kept : &c->raw;
    if (raw->items) {
      json_decref(c->result);
      tl_reply_raw(s, c->id, raw->items, raw->len);
    } else {
      tl_reply(s, c->id, c->result);
    }
    tl_session_unsent(s, c->doc, c->id, at);
  }
  gr_array_free(&c->raw);
}

void tl_dispatch_call(tl_session *s, const tl_method *m, rpc_msg *msg, tl_doc *doc) {
  tl_call c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.id = msg->kind == RPC_REQUEST ? msg->id : NULL;
  c.params = msg->params;
  c.doc = doc;
  m->handler(&c);
  tl__finish(s, m, &c);
}

static void tl__frame_error(tl_session *s, const tl_inbox_item *it) {
  if (it->frame_error == RPC_FRAME_E_GARBAGE)
    tl_log_client(s, TL_MSG_WARNING, "skipped %zu bytes of garbage at input offset %llu", it->frame_len,
                  (unsigned long long)it->frame_offset);
  else
    tl_log_client(s, TL_MSG_WARNING, "dropped a message at input offset %llu: %s (%zu bytes)",
                  (unsigned long long)it->frame_offset, rpc_frame_strerror(it->frame_error), it->frame_len);
}

void tl_dispatch(tl_session *s, tl_inbox_item *it) {
  rpc_msg *msg = &it->msg;
  if (it->frame_error) {
    tl__frame_error(s, it);
    return;
  }
  switch (msg->kind) {
    case RPC_INVALID:
      tl_reply_error(s, msg->id, msg->error_code, msg->error_message);
      return;
    case RPC_RESPONSE:
      tl_session_answer(s, msg);
      return;
    case RPC_NOTIFICATION:
    case RPC_REQUEST:
      break;
  }

  const tl_method *m = tl_method_find(msg->method);
  tl_call c;
  memset(&c, 0, sizeof c);
  c.s = s;
  c.params = msg->params;

  if (msg->kind == RPC_NOTIFICATION) {
    if (!m || m->kind != TL_NOTIFICATION) {
      tl_log(s, TL_LOG_DEBUG, "ignoring notification %s", msg->method);
      return;
    }
    if (s->state != TL_STATE_RUNNING && m->handler != h_exit) {
      tl_log(s, TL_LOG_DEBUG, "dropping %s: %s", msg->method,
             s->state == TL_STATE_UNINITIALIZED ? "not initialized" : "shut down");
      return;
    }
    if (!(m->flags & TL_M_DOC) || tl__resolve_doc(&c) == 0) m->handler(&c);
    tl__finish(s, m, &c);
    return;
  }

  c.id = msg->id;
  if (s->state == TL_STATE_UNINITIALIZED && !(m && m->handler == h_initialize)) {
    tl_reply_error(s, msg->id, RPC_E_SERVER_NOT_INITIALIZED, "the server is not initialized");
    return;
  }
  if (s->state == TL_STATE_SHUTDOWN) {
    tl_reply_error(s, msg->id, RPC_E_INVALID_REQUEST, "the server is shut down");
    return;
  }
  if (!m || m->kind != TL_REQUEST) {
    char buf[300];
    snprintf(buf, sizeof buf, "method not found: %s", msg->method);
    tl_reply_error(s, msg->id, RPC_E_METHOD_NOT_FOUND, buf);
    return;
  }
  if (it->cancelled) {
    tl_reply_error(s, msg->id, RPC_E_REQUEST_CANCELLED, "the request was cancelled");
    return;
  }
  if ((m->flags & TL_M_DOC) && tl__resolve_doc(&c) != 0) {
    tl__finish(s, m, &c);
    return;
  }
  if (((m->flags & TL_M_TREE) && tl_doc_stale(c.doc)) || ((m->flags & TL_M_WS) && tl_ws_defer(s, c.doc))) {
    /* Wait for the end of the turn: the document is parsed once there,
     * after every edit this turn brings; or for the workspace scan. */
    tl_parked p;
    p.msg = *msg;
    p.method = m;
    p.doc = c.doc;
    p.cancelled = false;
    memset(msg, 0, sizeof *msg);
    gr_array_push(&s->parked, p);
    return;
  }
  m->handler(&c);
  tl__finish(s, m, &c);
}
