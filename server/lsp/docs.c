/*
 * docs.c: the open documents (see docs.h).
 */
#include "server/lsp/docs.h"

#include <string.h>

#include "grammar/alloc.h"
#include "protocol/position.h"
#include "server/features/diagnostics.h"
#include "yaml/ytmpl.h"

struct tl_doc {
  tl_docs *owner;
  char *uri;
  GR_ARRAY(char) text; /* NUL-terminated past len, for the parser's convenience */
  int64_t version;
  bool is_template;
  uint8_t kind;    /* tl_source_kind, as the index decided at opening */
  bool yaml;       /* a ".yaml" / ".yml" name: no Markdown for the Markdown features */
  gr_lines *lines; /* NULL when stale */
  gr_tree *tree;   /* NULL when stale */
  yt_tmpl *ytmpl;  /* a YAML file's template view; NULL when stale */
  yt_tree *ytree;  /* when the view is stale: its tree, kept across edits (yt_tree_edit); or NULL */
  uint64_t revision;
  uint64_t shape;                 /* tl_doc_shape */
  GR_ARRAY(uint32_t) inert_lines; /* lines of the inert edits since the shape changed */
  lsp_pos_memo memo; /* of the current text (tl_doc_pos_memo) */
};

struct tl_docs {
  GR_ARRAY(tl_doc *) items;
  uint64_t revisions; /* the last revision handed out */
  uint64_t shapes;    /* the last shape handed out */
};

/* Inert edits remembered per shape; past it, an edit counts as a change of
 * shape (a cache checks each remembered line once per use). */
#define TL_DOC_MAX_INERT 4096

static void tl_doc__new_shape(tl_doc *doc) {
  doc->shape = ++doc->owner->shapes;
  doc->inert_lines.len = 0;
}

/* The path part of a URI: without "?query" and "#fragment". */
static bool tl_doc__uri_is_template(const char *uri) {
  size_t n = strcspn(uri, "?#");
  char *path = gr_strndup(uri, n);
  bool yes = tl_path_is_template(path) != 0; /* by name alone: source.h */
  gr_free(path);
  return yes;
}

static void tl_doc__drop_derived(tl_doc *doc) {
  gr_tree_free(doc->tree);
  gr_lines_free(doc->lines);
  yt_tmpl_free(doc->ytmpl);
  yt_tree_free(doc->ytree);
  doc->tree = NULL;
  doc->lines = NULL;
  doc->ytmpl = NULL;
  doc->ytree = NULL;
}

static void tl_doc__set_text(tl_docs *docs, tl_doc *doc, const char *text, size_t len) {
  tl_doc__drop_derived(doc);
  doc->text.len = 0;
  gr_array_reserve(&doc->text, len + 1);
  if (len) memcpy(doc->text.items, text, len);
  doc->text.len = len;
  doc->text.items[len] = '\0';
  doc->revision = ++docs->revisions;
  tl_doc__new_shape(doc);
  lsp_pos_memo_reset(&doc->memo);
}

tl_docs *tl_docs_new(void) { return gr_calloc(1, sizeof(tl_docs)); }

static void tl_doc__free(tl_doc *doc) {
  tl_doc__drop_derived(doc);
  lsp_pos_memo_reset(&doc->memo);
  gr_array_free(&doc->text);
  gr_array_free(&doc->inert_lines);
  gr_free(doc->uri);
  gr_free(doc);
}

void tl_docs_free(tl_docs *docs) {
  if (!docs) return;
  for (size_t i = 0; i < docs->items.len; i++) tl_doc__free(docs->items.items[i]);
  gr_array_free(&docs->items);
  gr_free(docs);
}

tl_doc *tl_docs_open(tl_docs *docs, const char *uri, const char *text, size_t len, int64_t version) {
  tl_doc *doc = tl_docs_get(docs, uri);
  if (!doc) {
    doc = gr_calloc(1, sizeof *doc);
    doc->owner = docs;
    doc->uri = gr_strndup(uri, strlen(uri));
    doc->is_template = tl_doc__uri_is_template(uri);
    doc->yaml = tl_source_is_yaml_name(uri);
    doc->kind = doc->is_template ? (doc->yaml ? TL_SOURCE_YAML_TEMPLATE : TL_SOURCE_MD_TEMPLATE)
                                 : (doc->yaml ? TL_SOURCE_OTHER : TL_SOURCE_DOCUMENT);
    gr_array_push(&docs->items, doc);
  }
  tl_doc__set_text(docs, doc, text, len);
  doc->version = version;
  return doc;
}

tl_doc *tl_docs_get(const tl_docs *docs, const char *uri) {
  for (size_t i = 0; i < docs->items.len; i++)
    if (strcmp(docs->items.items[i]->uri, uri) == 0) return docs->items.items[i];
  return NULL;
}

void tl_docs_close(tl_docs *docs, tl_doc *doc) {
  for (size_t i = 0; i < docs->items.len; i++) {
    if (docs->items.items[i] != doc) continue;
    memmove(&docs->items.items[i], &docs->items.items[i + 1], (docs->items.len - i - 1) * sizeof(tl_doc *));
    docs->items.len--;
    tl_doc__free(doc);
    return;
  }
}

size_t tl_docs_count(const tl_docs *docs) { return docs->items.len; }
tl_doc *tl_docs_at(const tl_docs *docs, size_t i) { return i < docs->items.len ? docs->items.items[i] : NULL; }

const char *tl_doc_uri(const tl_doc *doc) { return doc->uri; }

const char *tl_doc_text(const tl_doc *doc, size_t *len) {
  if (len) *len = doc->text.len;
  return doc->text.items;
}

size_t tl_doc_len(const tl_doc *doc) { return doc->text.len; }
int64_t tl_doc_version(const tl_doc *doc) { return doc->version; }
void tl_doc_set_version(tl_doc *doc, int64_t version) { doc->version = version; }
bool tl_doc_is_template(const tl_doc *doc) { return doc->is_template; }
void tl_doc_set_template(tl_doc *doc, bool yes) {
  if (doc->is_template != yes) { /* the tree is read in the other mode */
    gr_tree_free(doc->tree);
    doc->tree = NULL;
    tl_doc__new_shape(doc);
  }
  doc->is_template = yes;
  doc->kind = yes ? (doc->yaml ? TL_SOURCE_YAML_TEMPLATE : TL_SOURCE_MD_TEMPLATE)
                  : (doc->yaml ? TL_SOURCE_OTHER : TL_SOURCE_DOCUMENT);
}
tl_source_kind tl_doc_kind(const tl_doc *doc) { return (tl_source_kind)doc->kind; }
uint64_t tl_doc_revision(const tl_doc *doc) { return doc->revision; }

void tl_doc_edit(tl_doc *doc, size_t start, size_t end, const char *text, size_t len) {
  size_t n = doc->text.len;
  if (start > n) start = n;
  if (end > n) end = n;
  if (end < start) end = start;
  /* The line index is patched, not rebuilt: a didChange with thousands of
   * changes (a multi-cursor replace) converts each one's range with it.
   * An inert edit keeps the tree too, moved (gr_tree_shift): typing into a
   * 1 MB template's prose parses nothing (a parse there is ~1.5 ms). */
  gr_lines *lines = doc->lines;
  gr_tree *tree = doc->tree;
  bool inert = tree && lines && !doc->yaml && doc->inert_lines.len < TL_DOC_MAX_INERT &&
               gr_edit_inert(tree, start, end, text, len);
  uint32_t line = inert ? gr_lines_line_of(lines, start) : 0;
  /* A YAML file's tree follows the edit (yt_tree_edit: only a sequence
   * item or mapping entry around it is parsed again); the view is built
   * again from it when asked for. Typing into a 1 MB template's section
   * title parses its line (or its section's ~1 KB), not 1 MB. */
  yt_tree *ytree = doc->ytmpl ? yt_tmpl_take_tree(doc->ytmpl) : doc->ytree;
  doc->ytmpl = NULL;
  doc->ytree = NULL;
  doc->lines = NULL;
  if (inert) doc->tree = NULL;
  tl_doc__drop_derived(doc);
  size_t new_len = n - (end - start) + len;
  gr_array_reserve(&doc->text, new_len + 1 > n ? new_len + 1 - n : 0);
  char *t = doc->text.items;
  memmove(t + start + len, t + end, n - end);
  if (len) memcpy(t + start, text, len);
  doc->text.len = new_len;
  t[new_len] = '\0';
  if (lines) gr_lines_edit(lines, t, new_len, start, end, len);
  doc->lines = lines;
  if (ytree && yt_tree_edit(ytree, t, new_len, (uint32_t)start, (uint32_t)end, (uint32_t)(start + len)) == 0)
    doc->ytree = ytree;
  else
    yt_tree_free(ytree);
  if (inert && gr_tree_shift(tree, t, new_len, start, end, len) == 0) {
    doc->tree = tree;
    gr_array_push(&doc->inert_lines, line);
  } else {
    if (inert) gr_tree_free(tree);
    tl_doc__new_shape(doc);
  }
  doc->revision = ++doc->owner->revisions;
  lsp_pos_memo_reset(&doc->memo);
}

uint64_t tl_doc_shape(const tl_doc *doc) { return doc->shape; }

const uint32_t *tl_doc_inert_lines(const tl_doc *doc, size_t *n) {
  *n = doc->inert_lines.len;
  return doc->inert_lines.items;
}

lsp_pos_memo *tl_doc_pos_memo(tl_doc *doc) { return &doc->memo; }

const gr_lines *tl_doc_lines(tl_doc *doc) {
  if (!doc->lines) doc->lines = gr_lines_new(doc->text.items, doc->text.len);
  return doc->lines;
}

bool tl_doc_stale(const tl_doc *doc) { return doc->tree == NULL; }

const gr_tree *tl_doc_tree(tl_doc *doc) {
  if (!doc->tree) {
    /* A template is read as text, a document as CommonMark renders it; a
     * YAML file has no Markdown: the Markdown features see an empty text
     * (its own diagnostics come from the YAML front-end, lsp/diagnostics.c). */
    gr_options opts = {0, 0, doc->is_template ? GR_MODE_TEMPLATE : GR_MODE_DOCUMENT};
    doc->tree = doc->yaml ? gr_parse("", 0, NULL) : gr_parse(doc->text.items, doc->text.len, &opts);
  }
  return doc->tree;
}

const yt_tmpl *tl_doc_yaml(tl_doc *doc) {
  if (!doc->yaml) return NULL;
  if (!doc->ytmpl) {
    doc->ytmpl = doc->ytree ? yt_tmpl_from_tree(doc->ytree) : yt_tmpl_parse(doc->text.items, doc->text.len);
    doc->ytree = NULL;
  }
  return doc->ytmpl;
}
