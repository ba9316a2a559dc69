/*
 * handlers_names.c: the JSON glue of names across files (server/features/
 * names.h): textDocument/references, /prepareRename, /rename and
 * /linkedEditingRange.
 *
 * Where a name is looked up:
 *   CONDITION and REPEAT names (in a template): every template the
 *     workspace index knows, open ones with their current text: the
 *     templates of the request's folder, then those of the folders of the
 *     other open templates (wsindex.h offers no list of all folders, so a
 *     folder with no open template other than through the request's is
 *     reached only through it);
 *   placeholders (in a template): that template, then (references only)
 *     the documents written from it that leave the name unfilled: the
 *     open ones with their text, then those on disk in its folder, read
 *     now (at most TL_NAMES_MAX_DISK_FILES files, TL_NAMES_MAX_DISK_BYTES
 *     in all: what is past them is not listed);
 *   YAML templates (ynames.h): a {{var}} or a section id, in that template
 *     only (a Markdown CONDITION or REPEAT name never reaches a YAML
 *     template, whose `condition:` is prose);
 *   placeholders (in a document): the placeholders the document leaves
 *     unfilled (the ones its diagnostics report). Renaming one fills them
 *     all with the new text, braces included; references list them, and,
 *     with includeDeclaration, the template's own {{name}} occurrences (the
 *     template is where a document's placeholder is declared).
 * In a template, a block opener's name is the declaration (includeDeclaration
 * false leaves only CONDITION closers); placeholders have no declaration;
 * in a YAML template, a section's `id` declares it.
 *
 * A position where nothing can be renamed, and a new name that is not
 * valid, answer InvalidParams (-32602) with the sentence from names.h.
 * Requests on a document wait for the workspace scan (TL_M_WS); on a
 * template they do not (tl_ws_defer), so while a scan is out references
 * list what is read so far, and a CONDITION or REPEAT rename answers
 * ContentModified (-32801) rather than edit only some of the templates.
 * Rename answers a WorkspaceEdit: `documentChanges` (with the open
 * documents' versions, null for files on disk) when the client says it
 * supports them (workspace.workspaceEdit.documentChanges), else `changes`.
 * Positions go through protocol/position only.
 */
#include <string.h>

#include "server/features/names.h"
#include "server/model/scan.h"
#include "server/features/ynames.h"
#include "server/lsp/session_impl.h"

/* ---- where to look ------------------------------------------------------ */

/* One file and its occurrences of the name. */
typedef struct tl_names__file {
  const char *uri;  /* borrowed (the index or the document) */
  lsp_text text;    /* for positions in that file */
  bool open;        /* an open document: its version is known */
  int64_t version;
  ft_name_refs refs; /* owned */
} tl_names__file;

typedef GR_ARRAY(tl_names__file) tl_names__files;

static void tl_names__files_free(tl_names__files *files) {
  for (size_t i = 0; i < files->len; i++) ft_name_refs_free(&files->items[i].refs);
  gr_array_free(files);
}

/* A file for the open document `doc` (its refs still empty). */
static tl_names__file tl_names__doc_file(tl_session *s, tl_doc *doc) {
  tl_names__file f;
  memset(&f, 0, sizeof f);
  f.uri = tl_doc_uri(doc);
  f.text = tl_doc_lsp_text(s, doc);
  f.open = true;
  f.version = tl_doc_version(doc);
  return f;
}

/* A file for template i of folder `fo` (its refs still empty). */
static tl_names__file tl_names__tmpl_file(tl_session *s, tl_wsi_folder *fo, uint32_t i) {
  tl_names__file f;
  memset(&f, 0, sizeof f);
  f.uri = tl_wsi_folder_uri(fo, i);
  f.text = tl_wsi_folder_text(fo, i, s->enc);
  tl_doc *open = tl_wsi_folder_is_open(fo, i) ? tl_docs_get(s->docs, f.uri) : NULL;
  if (open) {
    f.open = true;
    f.version = tl_doc_version(open);
  }
  return f;
}

/*
 * The occurrences of a CONDITION or REPEAT name (key[0..len)) in every
 * template the index knows, one entry per template that has some, in
 * folder order then the folder's order.
 */
static void tl_names__across(tl_session *s, tl_doc *doc, ft_name_kind kind, const char *key, size_t len,
                             tl_names__files *out) {
  GR_ARRAY(tl_wsi_folder *) folders = {0};
  tl_wsi_view v;
  tl_wsi_view_of(s->wsi, doc, &v);
  gr_array_push(&folders, v.folder);
  for (size_t d = 0; d < tl_docs_count(s->docs); d++) {
    tl_doc *other = tl_docs_at(s->docs, d);
    if (other == doc || !tl_doc_is_template(other)) continue;
    tl_wsi_view_of(s->wsi, other, &v);
    size_t k = 0;
    while (k < folders.len && folders.items[k] != v.folder) k++;
    if (k == folders.len) gr_array_push(&folders, v.folder);
  }
  for (size_t k = 0; k < folders.len; k++) {
    tl_wsi_folder *fo = folders.items[k];
    const tl_workspace *ws = tl_wsi_folder_workspace(fo);
    for (uint32_t i = 0; i < tl_workspace_count(ws); i++) {
      ft_name_refs refs = {0};
      ft_names_find(tl_workspace_tree(ws, i), kind, key, len, &refs);
      if (!refs.len) continue;
      tl_names__file f = tl_names__tmpl_file(s, fo, i);
      f.refs = refs;
      gr_array_push(out, f);
    }
  }
  gr_array_free(&folders);
}

/* ---- the name under the cursor ------------------------------------------ */

/* What a request is about, once its position is read. */
typedef struct tl_names__target {
  bool in_document;      /* a document (not a template): unfilled placeholders */
  const yt_tmpl *yaml;   /* a YAML template: its view (borrowed from the document) */
  ft_name_at at;
  const char *key;       /* the name's bytes (in the request's text) */
  size_t key_len;
  tl_wsi_view view;      /* documents: the index's view (template, aligned document) */
  tl_document *own;      /* a document aligned here when the index has none (owned) */
  const tl_document *document;
} tl_names__target;

/* params.position as a byte offset of the request's document, or -32602. */

/*
 * Find the name at byte `off` of the request's document: 0, or the
 * feature's error (negative) with the call failed as InvalidParams and
 * the reason (`rename`: also what cannot be renamed, a closer without a
 * name or an empty placeholder). *tg needs tl_names__target_free either way.
 */
static int tl_names__target_of(tl_call *c, size_t off, bool rename, tl_names__target *tg) {
  memset(tg, 0, sizeof *tg);
  const char *text = tl_doc_text(c->doc, NULL);
  int rc;
  tl_source_kind kind = tl_doc_kind(c->doc);
  if (kind == TL_SOURCE_YAML_TEMPLATE) {
    tg->yaml = tl_doc_yaml(c->doc);
    rc = ft_ynames_at(tg->yaml, (uint32_t)off, &tg->at);
    if (rc == 0 && rename) rc = ft_names_renamable(&tg->at);
  } else if (kind == TL_SOURCE_OTHER) {
    rc = FT_NAMES_ENOYNAME; /* a YAML file that is no template: left alone */
  } else if (tl_doc_is_template(c->doc)) {
    rc = ft_names_at(tl_doc_tree(c->doc), (uint32_t)off, &tg->at);
    if (rc == 0 && rename) rc = ft_names_renamable(&tg->at);
  } else {
    tg->in_document = true;
    tl_wsi_view_of(c->s->wsi, c->doc, &tg->view);
    tg->document = tg->view.document;
    if (!tg->document) tg->document = tg->own = tl_document_new(tl_doc_tree(c->doc), NULL);
    rc = ft_names_unfilled_at(tg->document, (uint32_t)off, &tg->at);
  }
  if (rc != 0) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "%s", ft_names_strerror(rc));
    return rc;
  }
  tg->key = text + tg->at.key.start;
  tg->key_len = tg->at.key.end - tg->at.key.start;
  return 0;
}

static void tl_names__target_free(tl_names__target *tg) { tl_document_free(tg->own); }

/*
 * Every file with an occurrence of the target's name, the request's own
 * first for a placeholder. Returns 1 when a YAML template has more than
 * FT_YNAMES_MAX_REFS of them (only those are listed), else 0.
 */
static int tl_names__occurrences(tl_call *c, const tl_names__target *tg, tl_names__files *out) {
  if (tg->yaml) {
    tl_names__file f = tl_names__doc_file(c->s, c->doc);
    int more = ft_ynames_find(tg->yaml, tg->at.kind, tg->key, tg->key_len, &f.refs);
    gr_array_push(out, f);
    return more;
  }
  if (tg->at.kind == FT_NAME_PLACEHOLDER) {
    tl_names__file f = tl_names__doc_file(c->s, c->doc);
    if (tg->in_document) ft_names_unfilled(tg->document, tg->key, tg->key_len, &f.refs);
    else ft_names_find(tl_doc_tree(c->doc), FT_NAME_PLACEHOLDER, tg->key, tg->key_len, &f.refs);
    gr_array_push(out, f);
    return 0;
  }
  tl_names__across(c->s, c->doc, tg->at.kind, tg->key, tg->key_len, out);
  return 0;
}

/* ---- textDocument/references -------------------------------------------- */

#define TL_NAMES_MAX_DISK_FILES 5000                /* documents on disk read for one request */
#define TL_NAMES_MAX_DISK_BYTES ((size_t)64 << 20) /* and their bytes */

/* Whole {{...}} tokens of refs, in the file `uri` of text t. */
static void tl_names__token_locations(json_t *out, const char *uri, const lsp_text *t, const ft_name_refs *refs) {
  for (size_t k = 0; k < refs->len; k++)
    json_array_append_new(out, json_pack("{s:s,s:o}", "uri", uri, "range",
                                         lsp_range_to_json(t, refs->items[k].token.start, refs->items[k].token.end)));
}

/*
 * The documents written from the open template `tmpl_doc` (open ones with
 * their text, then the folder's files on disk) that leave the placeholder
 * key[0..len) unfilled: their {{...}}s, appended to out.
 */
static void tl_names__in_documents(tl_call *c, tl_doc *tmpl_doc, const char *key, size_t len, json_t *out) {
  tl_session *s = c->s;
  tl_wsi_view tv;
  tl_wsi_view_of(s->wsi, tmpl_doc, &tv);
  if (tv.tmpl == TL_NONE) return;
  char *tkey = gr_strndup(key, len); /* the template's text may be reparsed below: keep the name */
  for (size_t d = 0; d < tl_docs_count(s->docs); d++) {
    tl_doc *doc = tl_docs_at(s->docs, d);
    if (tl_doc_is_template(doc) || tl_doc_kind(doc) == TL_SOURCE_OTHER) continue;
    tl_wsi_view v;
    tl_wsi_view_of(s->wsi, doc, &v);
    if (v.folder != tv.folder || v.tmpl != tv.tmpl || !v.document) continue;
    ft_name_refs refs = {0};
    ft_names_unfilled_of_template(v.document, tkey, len, &refs);
    lsp_text t = tl_doc_lsp_text(s, doc);
    tl_names__token_locations(out, tl_doc_uri(doc), &t, &refs);
    ft_name_refs_free(&refs);
  }
  /* On disk: the folder's documents that are not open. */
  tl_wsi_folder *f = tv.folder;
  const tl_workspace *ws = tl_wsi_folder_workspace(f);
  size_t files = 0, bytes = 0;
  for (size_t k = 0; !tl_wsi_folder_is_loose(f) && k < tl_wsi_folder_file_count(f); k++) {
    const char *fkey = tl_wsi_folder_file(f, k);
    if (tl_scan_classify(fkey) != TL_SCAN_DOCUMENT || tl_workspace_find(ws, fkey) != TL_NONE) continue;
    char *uri = tl_wsi_folder_key_uri(f, fkey);
    if (tl_docs_get(s->docs, uri) || files >= TL_NAMES_MAX_DISK_FILES || bytes >= TL_NAMES_MAX_DISK_BYTES) {
      gr_free(uri);
      continue;
    }
    char *text = NULL;
    size_t n = 0;
    files++;
    if (tl_wsi_folder_read(f, fkey, &text, &n) == 0) {
      bytes += n;
      gr_tree *tree = gr_parse(text, n, &(gr_options){0, 0, GR_MODE_DOCUMENT});
      tl_assoc_options opts = tl_settings_assoc(tl_wsi_folder_settings(f));
      tl_assoc *a = tl_assoc_find(ws, fkey, tree, &opts);
      if (a->template == tv.tmpl) {
        tl_document *doc = tl_document_new(tree, tl_workspace_template(ws, tv.tmpl));
        ft_name_refs refs = {0};
        ft_names_unfilled_of_template(doc, tkey, len, &refs);
        gr_lines *lines = gr_lines_new(text, n);
        lsp_text t = {text, n, lines, s->enc, NULL};
        tl_names__token_locations(out, uri, &t, &refs);
        gr_lines_free(lines);
        ft_name_refs_free(&refs);
        tl_document_free(doc);
      }
      tl_assoc_free(a);
      gr_tree_free(tree);
      gr_free(text);
    }
    gr_free(uri);
  }
  gr_free(tkey);
}

static void tl_names__locations(json_t *out, const tl_names__file *f, bool declarations, bool uses) {
  for (size_t k = 0; k < f->refs.len; k++) {
    const ft_name_ref *r = &f->refs.items[k];
    if (!(r->role == FT_NAME_OPENER ? declarations : uses)) continue;
    json_array_append_new(out, json_pack("{s:s,s:o}", "uri", f->uri, "range",
                                         lsp_range_to_json(&f->text, r->name.start, r->name.end)));
  }
}

void tl_h_references(tl_call *c) {
  json_t *ctx = tl_json_object(c->params, "context");
  json_t *incl = json_object_get(ctx, "includeDeclaration");
  if (!json_is_boolean(incl)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.context.includeDeclaration must be a boolean");
    return;
  }
  bool declarations = json_is_true(incl);
  size_t off;
  if (tl_call_position(c, &off) != 0) return;
  tl_names__target tg;
  if (tl_names__target_of(c, off, false, &tg) != 0) {
    /* Nothing named here: no references (null), not an error. */
    c->error = 0;
    c->message[0] = '\0';
    tl_names__target_free(&tg);
    return;
  }
  tl_names__files files = {0};
  tl_names__occurrences(c, &tg, &files);
  json_t *out = json_array();
  if (tg.in_document) {
    /* The unfilled placeholders, whole; then the template's {{name}}s as declarations. */
    for (size_t k = 0; k < files.items[0].refs.len; k++) {
      const ft_name_ref *r = &files.items[0].refs.items[k];
      json_array_append_new(out, json_pack("{s:s,s:o}", "uri", files.items[0].uri, "range",
                                           lsp_range_to_json(&files.items[0].text, r->token.start, r->token.end)));
    }
    if (declarations && tg.view.tmpl_model && tg.view.tmpl_uri) {
      tl_names__file f;
      memset(&f, 0, sizeof f);
      f.uri = tg.view.tmpl_uri;
      f.text = tl_wsi_folder_text(tg.view.folder, tg.view.tmpl, c->s->enc);
      const gr_tree *tree = tl_workspace_tree(tg.view.ws, tg.view.tmpl);
      yt_tmpl *yt = NULL;
      if (tree) {
        ft_names_find(tree, FT_NAME_PLACEHOLDER, tg.key, tg.key_len, &f.refs);
      } else { /* a YAML template: its {{vars}} of that name */
        size_t n;
        const char *text = tl_workspace_text(tg.view.ws, tg.view.tmpl, &n);
        yt = yt_tmpl_parse(text ? text : "", text ? n : 0);
        ft_ynames_find(yt, FT_NAME_PLACEHOLDER, tg.key, tg.key_len, &f.refs);
      }
      tl_names__locations(out, &f, true, true);
      ft_name_refs_free(&f.refs);
      yt_tmpl_free(yt);
    }
  } else {
    for (size_t i = 0; i < files.len; i++) tl_names__locations(out, &files.items[i], declarations, true);
    if (tg.at.kind == FT_NAME_PLACEHOLDER) /* and where documents leave it unfilled */
      tl_names__in_documents(c, c->doc, tg.key, tg.key_len, out);
  }
  tl_names__files_free(&files);
  tl_names__target_free(&tg);
  c->result = out;
}

/* ---- textDocument/prepareRename ----------------------------------------- */

void tl_h_prepare_rename(tl_call *c) {
  size_t off;
  if (tl_call_position(c, &off) != 0) return;
  tl_names__target tg;
  int rc = tl_names__target_of(c, off, true, &tg);
  if (rc != 0) {
    /* LSP's answer for "nothing to rename here" is null; the other
     * refusals (a closer, an empty placeholder...) say why. */
    if (rc == FT_NAMES_ENONAME || rc == FT_NAMES_ENOYNAME) c->error = 0;
    tl_names__target_free(&tg);
    return;
  }
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  /* In a document the whole {{...}} goes; in a template, the name. */
  gr_span span = tg.in_document ? tg.at.ref.token : tg.at.ref.name;
  json_t *range = lsp_range_to_json(&t, span.start, span.end);
  json_t *placeholder = json_stringn(tg.key, tg.key_len);
  /* A name that is not valid UTF-8 cannot travel as a string: the range alone. */
  c->result = placeholder ? json_pack("{s:o,s:o}", "range", range, "placeholder", placeholder) : range;
  tl_names__target_free(&tg);
}

/* ---- textDocument/rename ------------------------------------------------ */

/* The client applies TextDocumentEdit[] (documentChanges) rather than the changes map. */
static bool tl_names__document_changes(const tl_session *s) {
  return json_is_true(tl_client_cap(s, "workspace.workspaceEdit.documentChanges"));
}

/* The TextEdit[] replacing each occurrence's name (or whole token) by text[0..len). */
static json_t *tl_names__edits(const tl_names__file *f, bool whole, const char *text, size_t len) {
  json_t *edits = json_array();
  for (size_t k = 0; k < f->refs.len; k++) {
    const ft_name_ref *r = &f->refs.items[k];
    gr_span sp = whole ? r->token : r->name;
    json_array_append_new(edits, json_pack("{s:o,s:s%}", "range", lsp_range_to_json(&f->text, sp.start, sp.end),
                                           "newText", text, len));
  }
  return edits;
}

void tl_h_rename(tl_call *c) {
  json_t *jname = json_object_get(c->params, "newName");
  if (!json_is_string(jname)) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "params.newName must be a string");
    return;
  }
  const char *name = json_string_value(jname);
  size_t len = json_string_length(jname);
  size_t off;
  if (tl_call_position(c, &off) != 0) return;
  tl_names__target tg;
  if (tl_names__target_of(c, off, true, &tg) != 0) {
    tl_names__target_free(&tg);
    return;
  }
  if (!tg.in_document && !tg.yaml && tg.at.kind != FT_NAME_PLACEHOLDER && tl_wsi_busy(c->s->wsi)) {
    /* Templates on disk are still being read: a rename now would miss some. */
    tl_fail(c, RPC_E_CONTENT_MODIFIED,
            "the workspace's templates are still being read: rename again in a moment, so that every "
            "template gets the new name");
    tl_names__target_free(&tg);
    return;
  }
  tl_names__files files = {0};
  int more = tl_names__occurrences(c, &tg, &files);

  const char *why;
  gr_span use = {0, (uint32_t)len};
  if (more) {
    why = "this name occurs too many times to rename in one edit";
  } else if (tg.in_document) {
    why = ft_names_check_fill(name, len);
  } else if (tg.yaml) {
    why = ft_ynames_check(tg.yaml, tg.at.kind, &files.items[0].refs, name, len, &use);
  } else {
    unsigned forms = 0;
    for (size_t i = 0; i < files.len; i++)
      for (size_t k = 0; k < files.items[i].refs.len; k++) forms |= 1u << files.items[i].refs.items[k].form;
    why = ft_names_check(tg.at.kind, name, len, tg.at.kind == FT_NAME_REPEAT ? forms : 0, &use);
  }
  if (why) {
    tl_fail(c, RPC_E_INVALID_PARAMS, "%s", why);
  } else {
    const char *text = name + use.start;
    size_t tlen = use.end - use.start;
    bool doc_changes = tl_names__document_changes(c->s);
    json_t *all = doc_changes ? json_array() : json_object();
    for (size_t i = 0; i < files.len; i++) {
      const tl_names__file *f = &files.items[i];
      if (!f->refs.len) continue;
      json_t *edits = tl_names__edits(f, tg.in_document, text, tlen);
      if (doc_changes) {
        json_t *id = json_pack("{s:s,s:o}", "uri", f->uri, "version",
                               f->open ? json_integer(f->version) : json_null());
        json_array_append_new(all, json_pack("{s:o,s:o}", "textDocument", id, "edits", edits));
      } else {
        json_object_set_new(all, f->uri, edits);
      }
    }
    c->result = json_pack("{s:o}", doc_changes ? "documentChanges" : "changes", all);
  }
  tl_names__files_free(&files);
  tl_names__target_free(&tg);
}

/* ---- textDocument/linkedEditingRange ------------------------------------ */

/* What typing may turn a linked name into and keep it linked: no caret, no line end. */
#define TL_NAMES__WORD_PATTERN "[^\\^\\r\\n]+"

#define TL_NAMES__PLACEHOLDER_PATTERN "[^{}\\r\\n]+"
#define TL_NAMES__MAX_LINKED 1000 /* placeholders linked at once; past it, none (an edit that large is a rename) */

/* A template's placeholder: every occurrence of its name in the file (the
 * names, braces and blanks outside), the one under the cursor among them. */
static void tl_names__linked_placeholders(tl_call *c, const ft_name_refs *refs) {
  if (refs->len < 2 || refs->len > TL_NAMES__MAX_LINKED) return; /* null */
  lsp_text t = tl_doc_lsp_text(c->s, c->doc);
  json_t *ranges = json_array();
  for (size_t i = 0; i < refs->len; i++)
    json_array_append_new(ranges, lsp_range_to_json(&t, refs->items[i].name.start, refs->items[i].name.end));
  c->result = json_pack("{s:o,s:s}", "ranges", ranges, "wordPattern", TL_NAMES__PLACEHOLDER_PATTERN);
}

void tl_h_linked_editing_range(tl_call *c) {
  size_t off;
  if (tl_call_position(c, &off) != 0) return;
  gr_span a, z;
  ft_name_at at;
  ft_name_refs refs = {0};
  const char *text = tl_doc_text(c->doc, NULL);
  if (tl_doc_kind(c->doc) == TL_SOURCE_YAML_TEMPLATE) {
    /* a {{var}}: its occurrences in the file (no block pairs in YAML) */
    const yt_tmpl *ym = tl_doc_yaml(c->doc);
    if (ft_ynames_at(ym, (uint32_t)off, &at) == 0 && at.kind == FT_NAME_PLACEHOLDER &&
        ft_ynames_find(ym, FT_NAME_PLACEHOLDER, text + at.key.start, at.key.end - at.key.start, &refs) == 0)
      tl_names__linked_placeholders(c, &refs);
    ft_name_refs_free(&refs);
    return;
  }
  /* A CONDITION's opener and closer; in a template, a placeholder's occurrences. */
  if (ft_names_linked(tl_doc_tree(c->doc), (uint32_t)off, &a, &z) == 0) {
    lsp_text t = tl_doc_lsp_text(c->s, c->doc);
    c->result = json_pack("{s:[o,o],s:s}", "ranges", lsp_range_to_json(&t, a.start, a.end),
                          lsp_range_to_json(&t, z.start, z.end), "wordPattern", TL_NAMES__WORD_PATTERN);
    return;
  }
  if (!tl_doc_is_template(c->doc) || ft_names_at(tl_doc_tree(c->doc), (uint32_t)off, &at) != 0 ||
      at.kind != FT_NAME_PLACEHOLDER || at.key.end == at.key.start)
    return; /* null */
  ft_names_find(tl_doc_tree(c->doc), FT_NAME_PLACEHOLDER, text + at.key.start, at.key.end - at.key.start, &refs);
  tl_names__linked_placeholders(c, &refs);
  ft_name_refs_free(&refs);
}

/* ---- capabilities ------------------------------------------------------- */

void tl_names_capabilities(const tl_session *s, json_t *caps) {
  json_t *rename = tl_client_cap(s, "textDocument.rename");
  json_object_set_new(caps, "referencesProvider", json_true());
  /* RenameOptions only for a client that supports prepareRename (LSP 3.17). */
  json_object_set_new(caps, "renameProvider", json_is_true(json_object_get(rename, "prepareSupport"))
                                                  ? json_pack("{s:b}", "prepareProvider", 1)
                                                  : json_true());
  json_object_set_new(caps, "linkedEditingRangeProvider", json_true());
}
