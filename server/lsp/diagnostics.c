/*
 * diagnostics.c: what an open document's diagnostics are (the model seam,
 * see diagnostics.h) and how they reach the client: pushed with
 * textDocument/publishDiagnostics, or pulled with textDocument/diagnostic.
 */
#include "server/lsp/diagnostics.h"

#include <stdio.h>
#include <string.h>

#include "server/features/suppress.h"
#include "server/lsp/session_impl.h"

void tl_diagnostics_compute(tl_doc *doc, tl_wsi *wsi, tl_diags *out) {
  const gr_tree *tree = tl_doc_tree(doc);
  tl_source_kind kind = tl_doc_kind(doc);
  if (kind == TL_SOURCE_OTHER) return; /* a stranger's YAML: never a diagnostic */
  const tl_settings *settings;
  if (kind == TL_SOURCE_YAML_TEMPLATE) {
    tl_diags_from_yaml_view(out, tl_doc_yaml(doc)); /* the view the editing features read too */
    settings = tl_wsi_settings_of(wsi, doc);
  } else if (tl_doc_is_template(doc)) {
    /* its own text only: no view, so that typing in a template does not
     * rebuild its model every keystroke (the view brings it in) */
    tl_diags_from_tree(out, tree);
    settings = tl_wsi_settings_of(wsi, doc);
  } else {
    tl_wsi_view v;
    tl_wsi_view_of(wsi, doc, &v);
    tl_diags_from_document(out, v.document); /* against its template, as check does it */
    tl_diags_from_association(out, v.document, v.assoc);
    settings = v.settings;
  }
  tl_suppress(out, tree); /* sorts too */
  tl_settings_apply(settings, out);
}

void tl_diagnostics_for(tl_doc *doc, tl_wsi *wsi, tl_diags *out) {
  tl_diagnostics_compute(doc, wsi, out);
  if (!tl_doc_is_template(doc)) tl_wsi_mark(wsi, doc);
}

/* A diagnostic's relatedInformation: the span it names in its own file (a
 * block's opener, where CommonMark really ends a broken fence), or, for a
 * missing section, the template's heading for it (x->data is the template
 * section); NULL when there is none. */
static json_t *tl__related(tl_session *s, tl_doc *doc, const tl_wsi_view *v, const lsp_text *t, const tl_diag *x) {
  if (x->related.start != GR_NONE && x->related_message) {
    json_t *loc = json_pack("{s:s,s:o}", "uri", tl_doc_uri(doc), "range",
                            lsp_range_to_json(t, x->related.start, x->related.end));
    return json_pack("[{s:o,s:s}]", "location", loc, "message", x->related_message);
  }
  if (v->is_template || !v->tmpl_model || !v->tmpl_uri || x->data >= tl_template_section_count(v->tmpl_model) ||
      strcmp(x->code, "missing-section") != 0)
    return NULL;
  gr_span h = tl_template_section(v->tmpl_model, x->data)->heading;
  lsp_text tt = tl_wsi_folder_text(v->folder, v->tmpl, s->enc);
  return json_pack("[{s:{s:s,s:o},s:s}]", "location", "uri", v->tmpl_uri, "range",
                   lsp_range_to_json(&tt, h.start, h.end), "message", "the template's section");
}

/* The LSP Diagnostic[] of `doc`. */
static json_t *tl__diagnostics_json(tl_session *s, tl_doc *doc) {
  tl_diags d = {0};
  tl_diagnostics_for(doc, s->wsi, &d);
  tl_wsi_view v;
  if (tl_doc_is_template(doc)) { /* no view for a template's own diagnostics (tl_diagnostics_compute) */
    memset(&v, 0, sizeof v);
    v.is_template = true;
  } else {
    tl_wsi_view_of(s->wsi, doc, &v);
  }
  lsp_text t = tl_doc_lsp_text(s, doc);
  /* relatedInformation only for a client that says it shows it. */
  bool related = json_is_true(
      json_object_get(tl_client_cap(s, "textDocument.publishDiagnostics"), "relatedInformation"));
  json_t *arr = json_array();
  for (size_t i = 0; i < d.len; i++) {
    const tl_diag *x = &d.items[i];
    json_t *o = json_object();
    json_object_set_new(o, "range", lsp_range_to_json(&t, x->span.start, x->span.end));
    json_object_set_new(o, "severity", json_integer(x->severity));
    json_object_set_new(o, "code", json_string(x->code));
    json_object_set_new(o, "source", json_string("tmpl-ls"));
    json_t *msg = json_string(x->message);
    json_object_set_new(o, "message", msg ? msg : json_string(x->code));
    json_t *rel = related ? tl__related(s, doc, &v, &t, x) : NULL;
    if (rel) json_object_set_new(o, "relatedInformation", rel);
    json_array_append_new(arr, o);
  }
  tl_diags_free(&d);
  return arr;
}

void tl_diagnostics_publish(tl_session *s, tl_doc *doc) {
  json_t *params = json_object();
  json_object_set_new(params, "uri", json_string(tl_doc_uri(doc)));
  json_object_set_new(params, "version", json_integer(tl_doc_version(doc)));
  json_object_set_new(params, "diagnostics", tl__diagnostics_json(s, doc));
  tl_notify(s, "textDocument/publishDiagnostics", params);
}

void tl_diagnostics_clear(tl_session *s, const char *uri) {
  tl_notify(s, "textDocument/publishDiagnostics", json_pack("{s:s,s:[]}", "uri", uri, "diagnostics"));
}

/* textDocument/diagnostic: a full report, or "unchanged" when the client
 * already has this revision's. */
void tl_h_diagnostic(tl_call *c) {
  /* A template's diagnostics depend on its text and the settings; a
   * document's on its template too, so its resultId moves with the
   * workspace's generation. */
  char rid[48];
  if (tl_doc_is_template(c->doc)) /* its settings may change too */
    snprintf(rid, sizeof rid, "%llu.s%llu", (unsigned long long)tl_doc_revision(c->doc),
             (unsigned long long)tl_wsi_settings_generation(c->s->wsi));
  else
    snprintf(rid, sizeof rid, "%llu.%llu", (unsigned long long)tl_doc_revision(c->doc),
             (unsigned long long)tl_wsi_generation(c->s->wsi));
  const char *prev = tl_json_string(c->params, "previousResultId");
  if (prev && strcmp(prev, rid) == 0) {
    c->result = json_pack("{s:s,s:s}", "kind", "unchanged", "resultId", rid);
    return;
  }
  c->result = json_pack("{s:s,s:s,s:o}", "kind", "full", "resultId", rid, "items",
                        tl__diagnostics_json(c->s, c->doc));
}
