/*
 * diagnostics.c: what an open document's diagnostics are (the model seam,
 * see diagnostics.h) and how they reach the client: pushed with
 * textDocument/publishDiagnostics, or pulled with textDocument/diagnostic.
 */
#include "server/lsp/diagnostics.h"

#include <stdio.h>
#include <string.h>

#include "grammar/grammar.h"
#include "server/features/suppress.h"
#include "server/lsp/session_impl.h"
#include "server/model/source.h"

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

/* Where a list of diagnostics is turned into JSON: the file, and its
 * template for a missing section's relatedInformation. */
typedef struct tl__where {
  const char *uri;
  const lsp_text *text;
  const tl_template *tmpl_model; /* NULL: a template, or no template */
  tl_wsi_folder *folder;         /* the template's */
  uint32_t tmpl;
  const char *tmpl_uri;
} tl__where;

/* A diagnostic's relatedInformation: the span it names in its own file (a
 * block's opener, where CommonMark really ends a broken fence), or, for a
 * missing section, the template's heading for it (x->data is the template
 * section); NULL when there is none. */
static json_t *tl__related(tl_session *s, const tl__where *w, const tl_diag *x) {
  if (x->related.start != GR_NONE && x->related_message) {
    json_t *loc = json_pack("{s:s,s:o}", "uri", w->uri, "range",
                            lsp_range_to_json(w->text, x->related.start, x->related.end));
    return json_pack("[{s:o,s:s}]", "location", loc, "message", x->related_message);
  }
  if (!w->tmpl_model || !w->tmpl_uri || x->data >= tl_template_section_count(w->tmpl_model) ||
      strcmp(x->code, "missing-section") != 0)
    return NULL;
  gr_span h = tl_template_section(w->tmpl_model, x->data)->heading;
  lsp_text tt = tl_wsi_folder_text(w->folder, w->tmpl, s->enc);
  return json_pack("[{s:{s:s,s:o},s:s}]", "location", "uri", w->tmpl_uri, "range",
                   lsp_range_to_json(&tt, h.start, h.end), "message", "the template's section");
}

/* The LSP Diagnostic[] of d, in w's file. */
static json_t *tl__diags_json(tl_session *s, const tl__where *w, const tl_diags *d) {
  /* relatedInformation only for a client that says it shows it. */
  bool related = json_is_true(
      json_object_get(tl_client_cap(s, "textDocument.publishDiagnostics"), "relatedInformation"));
  json_t *arr = json_array();
  for (size_t i = 0; i < d->len; i++) {
    const tl_diag *x = &d->items[i];
    json_t *o = json_object();
    json_object_set_new(o, "range", lsp_range_to_json(w->text, x->span.start, x->span.end));
    json_object_set_new(o, "severity", json_integer(x->severity));
    json_object_set_new(o, "code", json_string(x->code));
    json_object_set_new(o, "source", json_string("tmpl-ls"));
    json_t *msg = json_string(x->message);
    json_object_set_new(o, "message", msg ? msg : json_string(x->code));
    json_t *rel = related ? tl__related(s, w, x) : NULL;
    if (rel) json_object_set_new(o, "relatedInformation", rel);
    json_array_append_new(arr, o);
  }
  return arr;
}

json_t *tl_diagnostics_json(tl_session *s, tl_doc *doc) {
  tl_diags d = {0};
  tl_diagnostics_for(doc, s->wsi, &d);
  lsp_text t = tl_doc_lsp_text(s, doc);
  tl__where w = {tl_doc_uri(doc), &t, NULL, NULL, TL_NONE, NULL};
  if (!tl_doc_is_template(doc)) { /* no view for a template's own diagnostics (tl_diagnostics_compute) */
    tl_wsi_view v;
    tl_wsi_view_of(s->wsi, doc, &v);
    w.tmpl_model = v.tmpl_model;
    w.folder = v.folder;
    w.tmpl = v.tmpl;
    w.tmpl_uri = v.tmpl_uri;
  }
  json_t *arr = tl__diags_json(s, &w, &d);
  tl_diags_free(&d);
  return arr;
}

json_t *tl_diagnostics_json_of_text(tl_session *s, tl_wsi_folder *f, const char *key, const char *uri,
                                    const char *text, size_t len) {
  tl_diags d = {0};
  const tl_workspace *ws = tl_wsi_folder_workspace(f);
  bool yaml = tl_source_is_yaml_name(key);
  bool is_template = tl_wsi_is_template(s->wsi, uri, text, len);
  tl__where w = {uri, NULL, NULL, f, TL_NONE, NULL};
  gr_tree *tree = NULL;
  tl_assoc *a = NULL;
  tl_document *doc = NULL;
  if (is_template && yaml) {
    tl_diags_from_yaml(&d, text, len);
  } else if (is_template) {
    tree = gr_parse(text, len, &(gr_options){0, 0, GR_MODE_TEMPLATE});
    tl_diags_from_tree(&d, tree);
  } else if (!yaml) { /* a document, as an open one is read (tl_diagnostics_compute) */
    tree = gr_parse(text, len, &(gr_options){0, 0, GR_MODE_DOCUMENT});
    tl_assoc_options opts = tl_settings_assoc(tl_wsi_folder_settings(f));
    a = tl_assoc_find(ws, key, tree, &opts);
    w.tmpl = a->template;
    w.tmpl_model = a->template != TL_NONE ? tl_workspace_template(ws, a->template) : NULL;
    w.tmpl_uri = w.tmpl_model ? tl_wsi_folder_uri(f, a->template) : NULL;
    doc = tl_document_new(tree, w.tmpl_model);
    tl_diags_from_document(&d, doc);
    tl_diags_from_association(&d, doc, a);
  }
  if (tree) tl_suppress(&d, tree); /* sorts too */
  else tl_diags_sort(&d);
  tl_settings_apply(tl_wsi_folder_settings(f), &d);
  gr_lines *lines = gr_lines_new(text, len);
  lsp_text t = {text, len, lines, s->enc, NULL};
  w.text = &t;
  json_t *arr = tl__diags_json(s, &w, &d);
  gr_lines_free(lines);
  tl_document_free(doc);
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_diags_free(&d);
  return arr;
}

void tl_diagnostics_publish(tl_session *s, tl_doc *doc) {
  json_t *params = json_object();
  json_object_set_new(params, "uri", json_string(tl_doc_uri(doc)));
  json_object_set_new(params, "version", json_integer(tl_doc_version(doc)));
  json_object_set_new(params, "diagnostics", tl_diagnostics_json(s, doc));
  tl_notify(s, "textDocument/publishDiagnostics", params);
}

void tl_diagnostics_clear(tl_session *s, const char *uri) {
  tl_notify(s, "textDocument/publishDiagnostics", json_pack("{s:s,s:[]}", "uri", uri, "diagnostics"));
}

void tl_diagnostics_result_id(tl_session *s, tl_doc *doc, char *rid, size_t n) {
  /* A template's diagnostics depend on its text and the settings; a
   * document's on its template too, so its resultId moves with the
   * workspace's generation. */
  if (tl_doc_is_template(doc)) /* its settings may change too */
    snprintf(rid, n, "%llu.s%llu", (unsigned long long)tl_doc_revision(doc),
             (unsigned long long)tl_wsi_settings_generation(s->wsi));
  else
    snprintf(rid, n, "%llu.%llu", (unsigned long long)tl_doc_revision(doc),
             (unsigned long long)tl_wsi_generation(s->wsi));
}

/* textDocument/diagnostic: a full report, or "unchanged" when the client
 * already has this revision's. */
void tl_h_diagnostic(tl_call *c) {
  char rid[48];
  tl_diagnostics_result_id(c->s, c->doc, rid, sizeof rid);
  const char *prev = tl_json_string(c->params, "previousResultId");
  if (prev && strcmp(prev, rid) == 0) {
    c->result = json_pack("{s:s,s:s}", "kind", "unchanged", "resultId", rid);
    return;
  }
  c->result = json_pack("{s:s,s:s,s:o}", "kind", "full", "resultId", rid, "items",
                        tl_diagnostics_json(c->s, c->doc));
}
