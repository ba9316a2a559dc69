/*
 * handlers_text.c: text synchronisation: didOpen, didChange (incremental
 * ranges and whole-text changes), didClose, didSave. Positions become byte
 * offsets through protocol/position only; the parse and the diagnostics
 * wait for the end of the turn (tl_doc_changed).
 */
#include <string.h>

#include "server/lsp/session_impl.h"

/* Drop a document the server cannot keep (over a limit) and say so. */
static void tl__drop(tl_session *s, tl_doc *doc, const char *why) {
  tl_log_client(s, TL_MSG_ERROR, "%s: %s; the document is no longer checked", tl_doc_uri(doc), why);
  tl_doc_forget(s, doc);
  if (!s->pull_diagnostics) tl_diagnostics_clear(s, tl_doc_uri(doc));
  tl_docs_close(s->docs, doc);
}

void tl_h_did_open(tl_call *c) {
  tl_session *s = c->s;
  json_t *td = tl_json_object(c->params, "textDocument");
  const char *uri = tl_json_string(td, "uri");
  json_t *text = json_object_get(td, "text");
  int64_t version;
  if (!uri || !json_is_string(text) || tl_json_int(td, "version", &version) != 0) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "needs textDocument.uri, .version and .text");
    return;
  }
  size_t len = json_string_length(text);
  if (len > s->opts.max_doc_bytes) {
    tl_log_client(s, TL_MSG_ERROR, "%s: %zu bytes is over the limit of %zu; the document is not checked", uri, len,
                  s->opts.max_doc_bytes);
    return;
  }
  if (!tl_docs_get(s->docs, uri) && tl_docs_count(s->docs) >= s->opts.max_open_docs) {
    tl_log_client(s, TL_MSG_ERROR, "%s: %zu documents are open already; the document is not checked", uri,
                  tl_docs_count(s->docs));
    return;
  }
  tl_doc *doc = tl_docs_open(s->docs, uri, json_string_value(text), len, version);
  tl_wsd_opened(s, uri); /* its own pushes from now on */
  tl_doc_set_template(doc, tl_wsi_is_template(s->wsi, uri, json_string_value(text), len));
  tl_doc_changed(s, doc);
}

void tl_h_did_change(tl_call *c) {
  tl_session *s = c->s;
  tl_doc *doc = c->doc;
  int64_t version;
  json_t *changes = json_object_get(c->params, "contentChanges");
  if (tl_json_int(tl_json_object(c->params, "textDocument"), "version", &version) != 0 ||
      !json_is_array(changes)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "needs textDocument.version and contentChanges");
    return;
  }
  /* Check every change before applying any, so a bad one leaves the text as it was. */
  size_t i;
  json_t *ch;
  json_array_foreach(changes, i, ch) {
    json_t *range = json_object_get(ch, "range");
    size_t a, b;
    lsp_text t = tl_doc_lsp_text(s, doc);
    if (!json_is_object(ch) || !json_is_string(json_object_get(ch, "text")) ||
        (range && lsp_range_from_json(&t, range, &a, &b) != 0)) {
      tl_fail(c, RPC_E_INVALID_PARAMS, "contentChanges[%zu] needs a string text and, if any, a valid range", i);
      return;
    }
  }
  json_array_foreach(changes, i, ch) {
    json_t *text = json_object_get(ch, "text");
    size_t len = json_string_length(text), start = 0, end = tl_doc_len(doc);
    json_t *range = json_object_get(ch, "range");
    if (range) {
      lsp_text t = tl_doc_lsp_text(s, doc);
      lsp_range_from_json(&t, range, &start, &end);
    }
    if (tl_doc_len(doc) - (end - start) + len > s->opts.max_doc_bytes) {
      tl__drop(s, doc, "the text grew over the size limit");
      return;
    }
    tl_doc_edit(doc, start, end, json_string_value(text), len);
  }
  tl_doc_set_version(doc, version);
  /* A YAML file is a template by its text (template: and sections: at the
   * top): what an edit makes of it, it is from now on. */
  tl_source_kind kind = tl_doc_kind(doc);
  if (kind == TL_SOURCE_YAML_TEMPLATE || kind == TL_SOURCE_OTHER) {
    size_t n;
    const char *text = tl_doc_text(doc, &n);
    tl_doc_set_template(doc, tl_wsi_is_template(s->wsi, tl_doc_uri(doc), text, n));
  }
  /* Even with no change the version moved: diagnostics are published again for it. */
  tl_doc_changed(s, doc);
}

void tl_h_did_close(tl_call *c) {
  tl_session *s = c->s;
  tl_doc_forget(s, c->doc);
  if (!s->pull_diagnostics) tl_diagnostics_clear(s, tl_doc_uri(c->doc));
  tl_docs_close(s->docs, c->doc);
  tl_wsd_touch(s); /* its copy on disk, if the workspace's are pushed */
}

void tl_h_did_save(tl_call *c) {
  /* The text is already current (full sync of every change); a template's
   * becomes its disk copy in the workspace index. */
  tl_wsi_saved(c->s->wsi, c->doc);
  tl_log(c->s, TL_LOG_DEBUG, "saved %s", tl_doc_uri(c->doc));
}
