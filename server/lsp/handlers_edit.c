/*
 * handlers_edit.c: the JSON glue of completion and code actions. Each
 * handler reads its params, asks server/features/ (completion.h,
 * codeaction.h) for plain C results in byte spans, and turns them into LSP
 * JSON in the client's position encoding. What the client can take decides
 * the form: snippets only with completionItem.snippetSupport, Markdown
 * documentation only when listed in documentationFormat, WorkspaceEdit as
 * documentChanges (with the document's version) when
 * workspace.workspaceEdit.documentChanges, as changes otherwise.
 */
#include <string.h>

#include "server/features/codeaction.h"
#include "server/features/completion.h"
#include "protocol/jsonw.h"
#include "server/model/skeleton.h"
#include "server/lsp/diagnostics.h"
#include "server/lsp/migrate_action.h"
#include "server/lsp/session_impl.h"

void tl_edit_capabilities(const tl_session *s, json_t *caps) {
  (void)s;
  /* '{' '^' '<' '@' '[' start markup, ':' ends a marker's keyword, '#' and
   * ' ' start a heading or a name ("## ", "^^CONDITION: ", "Reference the "). */
  json_object_set_new(caps, "completionProvider",
                      json_pack("{s:[s,s,s,s,s,s,s,s],s:b}", "triggerCharacters", "{", "^", "<", "@", "[", "#", ":",
                                " ", "resolveProvider", 0));
  json_object_set_new(caps, "codeActionProvider",
                      json_pack("{s:[s,s,s,s],s:b}", "codeActionKinds", "quickfix", "refactor.rewrite",
                                "refactor.insert", "source.fixAll.tmpl-ls", "resolveProvider", 0));
}

/* What the session knows of the document's workspace (zeroed when none). */
static void tl_edit__view(tl_call *c, tl_wsi_view *v) {
  memset(v, 0, sizeof *v);
  v->tmpl = TL_NONE;
  if (!c->s->wsi || tl_wsi_view_of(c->s->wsi, c->doc, v) != 0) {
    memset(v, 0, sizeof *v);
    v->tmpl = TL_NONE;
    v->is_template = tl_doc_is_template(c->doc);
  }
}

/* ---- textDocument/completion -------------------------------------------- */

/* A string as JSON, "key":"value" after a comma. */
static void tl__jw_field(rpc_buf *b, const char *key, const char *v) {
  jw_lit(b, key);
  jw_str(b, v, strlen(v));
}

/*
 * The CompletionList as JSON text (protocol/jsonw.h): the jansson tree of
 * a list (about 100 items) and its dump were half of a completion on a
 * 1 MB template once the rest was fast: 1.2 -> 0.6 ms (release build, the
 * median of 200 requests after "{{").
 * What jansson refused before is left out the same way: an item whose
 * label, filter or text is not valid UTF-8 (text copied from a file that
 * is not), and a detail or documentation that is not.
 */
static void tl__completion_write(rpc_buf *b, const lsp_text *t, const ft_completions *list, bool markdown) {
  jw_lit(b, list->incomplete ? "{\"isIncomplete\":true,\"items\":[" : "{\"isIncomplete\":false,\"items\":[");
  size_t written = 0;
  for (size_t k = 0; k < list->len; k++) {
    const ft_comp_item *it = &list->items[k];
    if (!jw_utf8_valid(it->label, strlen(it->label)) || !jw_utf8_valid(it->filter, strlen(it->filter)) ||
        !jw_utf8_valid(it->text, strlen(it->text)))
      continue;
    tl__jw_field(b, written++ ? ",{\"label\":" : "{\"label\":", it->label);
    jw_lit(b, ",\"kind\":");
    jw_int(b, ft_comp_kind_lsp(it->kind));
    if (it->detail && jw_utf8_valid(it->detail, strlen(it->detail))) tl__jw_field(b, ",\"detail\":", it->detail);
    if (it->doc && jw_utf8_valid(it->doc, strlen(it->doc))) {
      if (markdown) {
        tl__jw_field(b, ",\"documentation\":{\"kind\":\"markdown\",\"value\":", it->doc);
        jw_raw(b, "}", 1);
      } else {
        tl__jw_field(b, ",\"documentation\":", it->doc);
      }
    }
    tl__jw_field(b, ",\"filterText\":", it->filter);
    tl__jw_field(b, ",\"sortText\":", it->sort);
    jw_lit(b, it->snippet ? ",\"insertTextFormat\":2" : ",\"insertTextFormat\":1");
    if (it->as_is) jw_lit(b, ",\"insertTextMode\":1"); /* indented already */
    jw_lit(b, ",\"textEdit\":{\"range\":");
    jw_range(b, t, it->edit.start, it->edit.end);
    tl__jw_field(b, ",\"newText\":", it->text);
    jw_raw(b, "}}", 2);
  }
  jw_raw(b, "]}", 2);
}

void tl_h_completion(tl_call *c) {
  tl_session *s = c->s;
  size_t off;
  if (tl_call_position(c, &off) != 0) return;
  lsp_text t = tl_doc_lsp_text(s, c->doc);
  tl_wsi_view v;
  tl_edit__view(c, &v);
  json_t *item_caps = tl_client_cap(s, "textDocument.completion.completionItem");
  bool snippets = json_is_true(json_object_get(item_caps, "snippetSupport"));
  bool markdown = false;
  json_t *formats = json_object_get(item_caps, "documentationFormat"), *f;
  size_t i;
  json_array_foreach(formats, i, f) {
    if (json_is_string(f) && strcmp(json_string_value(f), "markdown") == 0) markdown = true;
  }

  const char *trig = tl_json_string(json_object_get(c->params, "context"), "triggerCharacter");
  ft_completions *list;
  if (tl_doc_kind(c->doc) == TL_SOURCE_YAML_TEMPLATE) {
    /* The YAML file itself: its keys, values and {{vars}} (its Markdown tree is empty). */
    list = ft_completion_yaml(tl_doc_yaml(c->doc), (uint32_t)off, snippets, trig && trig[0] ? trig[0] : 0);
  } else {
    ft_comp_request rq;
    memset(&rq, 0, sizeof rq);
    rq.tree = tl_doc_tree(c->doc);
    rq.offset = (uint32_t)off;
    rq.is_template = v.is_template;
    rq.snippets = snippets;
    rq.trigger = trig && trig[0] ? trig[0] : 0;
    rq.ws = v.ws;
    rq.self = v.is_template ? v.tmpl : TL_NONE;
    rq.doc = v.is_template ? NULL : v.document;
    rq.tmpl = v.is_template ? TL_NONE : v.tmpl;
    list = ft_completion_new(&rq);
  }

  tl__completion_write(&c->raw, &t, list, markdown);
  ft_completion_free(list);
}

/* ---- textDocument/codeAction -------------------------------------------- */

/* The client's diagnostic for a fix, when it sent one with the same code and range. */
static json_t *tl_edit__client_diag(const lsp_text *t, json_t *sent, const tl_diag *d) {
  size_t i;
  json_t *x;
  json_array_foreach(sent, i, x) {
    const char *code = tl_json_string(x, "code");
    size_t a, b;
    if (!code || strcmp(code, d->code) != 0) continue;
    if (lsp_range_from_json(t, json_object_get(x, "range"), &a, &b) != 0) continue;
    if (a == d->span.start && b == d->span.end) return x;
  }
  return NULL;
}

static json_t *tl_edit__diag_json(const lsp_text *t, const tl_diag *d) {
  json_t *o = json_object();
  json_object_set_new(o, "range", lsp_range_to_json(t, d->span.start, d->span.end));
  json_object_set_new(o, "severity", json_integer(d->severity));
  json_object_set_new(o, "code", json_string(d->code));
  json_object_set_new(o, "source", json_string("tmpl-ls"));
  json_t *msg = json_string(d->message);
  json_object_set_new(o, "message", msg ? msg : json_string(d->code));
  return o;
}

void tl_h_code_action(tl_call *c) {
  tl_session *s = c->s;
  lsp_text t = tl_doc_lsp_text(s, c->doc);
  size_t start, end;
  if (lsp_range_from_json(&t, json_object_get(c->params, "range"), &start, &end) != 0) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.range must be a Range");
    return;
  }
  json_t *context = json_object_get(c->params, "context");
  if (context && !json_is_object(context)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.context must be a CodeActionContext");
    return;
  }
  json_t *sent = json_object_get(context, "diagnostics");
  json_t *only = json_object_get(context, "only");
  json_t *out = json_array();
  c->result = out;
  /* Clients that cannot take CodeAction literals would need Commands, and
   * tmpl-ls has none: such a client gets no actions. */
  if (!tl_client_cap(s, "textDocument.codeAction.codeActionLiteralSupport")) return;

  tl_wsi_view v;
  tl_edit__view(c, &v);
  GR_ARRAY(gr_span) also = {0};
  size_t i;
  json_t *x;
  json_array_foreach(sent, i, x) {
    size_t a, b;
    /* Clients send every server's diagnostics at the range: ours only. */
    const char *source = tl_json_string(x, "source");
    if (source && strcmp(source, "tmpl-ls") != 0) continue;
    if (lsp_range_from_json(&t, json_object_get(x, "range"), &a, &b) == 0) {
      gr_span sp = {(uint32_t)a, (uint32_t)b};
      gr_array_push(&also, sp);
    }
  }
  ft_action_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = tl_doc_tree(c->doc);
  rq.range = (gr_span){(uint32_t)start, (uint32_t)end};
  rq.is_template = v.is_template;
  rq.ws = v.ws;
  rq.tmpl = v.is_template ? TL_NONE : v.tmpl;
  rq.doc = v.is_template ? NULL : v.document;
  rq.assoc = v.is_template ? NULL : v.assoc;
  rq.also = also.items;
  rq.n_also = also.len;
  GR_ARRAY(const char *) kinds = {0};
  if (json_is_array(only)) {
    json_array_foreach(only, i, x) {
      if (json_is_string(x)) gr_array_push(&kinds, json_string_value(x));
    }
    static const char *const none[1] = {NULL}; /* "only": [] asks for nothing */
    rq.only = kinds.items ? kinds.items : none;
    rq.n_only = kinds.len;
  }
  bool doc_changes = json_is_true(tl_client_cap(s, "workspace.workspaceEdit.documentChanges"));
  /* A selection for the user to type over: an LSP 3.18 SnippetTextEdit, or
   * a command answered with window/showDocument. */
  bool snippet_edits = doc_changes && json_is_true(tl_client_cap(s, "workspace.workspaceEdit.snippetEditSupport"));
  bool show_document = json_is_true(tl_client_cap(s, "window.showDocument.support"));
  rq.can_select = snippet_edits || show_document;
  rq.no_comments = tl_doc_kind(c->doc) == TL_SOURCE_YAML_TEMPLATE;
  tl_diags published = {0}; /* what the "Turn off" actions name */
  tl_diagnostics_compute(c->doc, s->wsi, &published);
  rq.diags = &published;
  ft_actions *acts = ft_codeaction_new(&rq);
  /* "Convert to YAML template" edits files, not text: made here, last. */
  bool convert = v.is_template && ft_codeaction_kind_wanted(&rq, FT_ACTION_REWRITE);
  tl_diags_free(&published);
  gr_array_free(&also);
  gr_array_free(&kinds);

  const char *uri = tl_doc_uri(c->doc);
  for (size_t k = 0; k < acts->len; k++) {
    const ft_action *a = &acts->items[k];
    const char *kind = ft_action_kind_name(a->kind);
    json_t *edits = json_array();
    json_t *command = NULL;
    if (a->selects && snippet_edits) {
      /* The placeholder as a snippet's only tab stop, its text selected. */
      char *esc = tl_skeleton_snippet_escape(gr_tree_text(tl_doc_tree(c->doc)) + a->select.start, a->select.end - a->select.start);
      ft_buf sn = {0};
      ft_buf_printf(&sn, "${1:%s}", esc);
      gr_free(esc);
      json_t *value = json_stringn(sn.items, sn.len);
      gr_array_free(&sn);
      if (value)
        json_array_append_new(edits, json_pack("{s:o,s:{s:s,s:o}}", "range",
                                               lsp_range_to_json(&t, a->select.start, a->select.end), "snippet",
                                               "kind", "snippet", "value", value));
    } else if (a->selects) {
      command = json_pack("{s:s,s:s,s:[s,o]}", "title", a->title, "command", "tmpl-ls.select", "arguments", uri,
                          lsp_range_to_json(&t, a->select.start, a->select.end));
    }
    bool ok = true;
    for (size_t e = 0; e < a->edits.len; e++) {
      const ft_edit *ed = &a->edits.items[e];
      json_t *nt = json_stringn(ed->text, ed->len);
      if (!nt) ok = false; /* not valid UTF-8 */
      json_array_append_new(edits, json_pack("{s:o,s:o*}", "range", lsp_range_to_json(&t, ed->span.start, ed->span.end),
                                             "newText", nt));
    }
    if (!ok) {
      json_decref(edits);
      continue;
    }
    json_t *we;
    if (command) {
      json_decref(edits);
      we = NULL;
    } else if (doc_changes)
      we = json_pack("{s:[{s:{s:s,s:I},s:o}]}", "documentChanges", "textDocument", "uri", uri, "version",
                     (json_int_t)tl_doc_version(c->doc), "edits", edits);
    else
      we = json_pack("{s:{s:o}}", "changes", uri, edits);
    json_t *o = json_pack("{s:s,s:s}", "title", a->title, "kind", kind);
    if (!o) {
      json_decref(we);
      json_decref(command);
      continue;
    }
    if (a->kind == FT_ACTION_QUICKFIX) {
      json_t *ds = json_array();
      for (size_t d = 0; d < a->fixes.len; d++) {
        json_t *theirs = tl_edit__client_diag(&t, sent, &a->fixes.items[d]);
        json_array_append_new(ds, theirs ? json_deep_copy(theirs) : tl_edit__diag_json(&t, &a->fixes.items[d]));
      }
      json_object_set_new(o, "diagnostics", ds);
    }
    if (a->preferred) json_object_set_new(o, "isPreferred", json_true());
    if (we) json_object_set_new(o, "edit", we);
    if (command) json_object_set_new(o, "command", command);
    json_array_append_new(out, o);
  }
  ft_codeaction_free(acts);
  if (convert) tl_migrate_action(c, out); /* after the others */
}

/* ---- workspace/executeCommand ------------------------------------------- */

void tl_h_execute_command(tl_call *c) {
  const char *cmd = tl_json_string(c->params, "command");
  json_t *args = json_object_get(c->params, "arguments");
  const char *uri = json_string_value(json_array_get(args, 0));
  json_t *second = json_array_get(args, 1);
  bool select = cmd && strcmp(cmd, "tmpl-ls.select") == 0;
  bool show = cmd && strcmp(cmd, "tmpl-ls.showPlaceholders") == 0;
  if (!select && !show) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "unknown command: %s", cmd ? cmd : "(none)");
    return;
  }
  json_t *first = select ? second : json_array_get(second, 0);
  if (!uri || !json_is_object(json_object_get(first, "start")) || !json_is_object(json_object_get(first, "end")) ||
      (show && !json_is_array(second))) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "%s takes [uri, %s]", cmd, select ? "range" : "[range...]");
    return;
  }
  /* The ranges come from the server's own answer a moment ago; the client
   * checks them against the document it shows. */
  if (json_is_true(tl_client_cap(c->s, "window.showDocument.support")))
    tl_request(c->s, "window/showDocument", json_pack("{s:s,s:b,s:O}", "uri", uri, "takeFocus", 1, "selection", first),
               TL_OUT_SHOW_DOCUMENT);
  if (show) {
    json_t *locs = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(second, i, r) { json_array_append_new(locs, json_pack("{s:s,s:O}", "uri", uri, "range", r)); }
    c->result = locs;
  }
}
