/*
 * workspace.c: the template set. Entries are separately allocated so that
 * pointers handed out for one entry survive pushes and removals of others.
 */
#include "server/model/workspace.h"

#include <string.h>

#include "grammar/alloc.h"
#include "server/model/source.h"

typedef struct tl_workspace_entry {
  char *path;
  char *text;
  size_t len;
  tl_template *model; /* borrows text; holds the Markdown tree (tl_template_tree) */
} tl_workspace_entry;

struct tl_workspace {
  GR_ARRAY(tl_workspace_entry *) entries;
};

tl_workspace *tl_workspace_new(void) { return gr_calloc(1, sizeof(tl_workspace)); }

static void tl_workspace__clear(tl_workspace_entry *e) {
  tl_template_free(e->model); /* before the text it borrows */
  gr_free(e->text);
}

void tl_workspace_free(tl_workspace *ws) {
  if (!ws) return;
  for (size_t i = 0; i < ws->entries.len; i++) {
    tl_workspace__clear(ws->entries.items[i]);
    gr_free(ws->entries.items[i]->path);
    gr_free(ws->entries.items[i]);
  }
  gr_array_free(&ws->entries);
  gr_free(ws);
}

uint32_t tl_workspace_find(const tl_workspace *ws, const char *path) {
  for (size_t i = 0; i < ws->entries.len; i++)
    if (strcmp(ws->entries.items[i]->path, path) == 0) return (uint32_t)i;
  return TL_NONE;
}

uint32_t tl_workspace_put(tl_workspace *ws, const char *path, const char *text, size_t len) {
  return tl_workspace_put_copy(ws, path, text, len, NULL);
}

uint32_t tl_workspace_put_copy(tl_workspace *ws, const char *path, const char *text, size_t len,
                               const gr_tree *parsed) {
  char *copy = gr_strndup(text, len);
  /* The front-end by the name: a YAML name is read as YAML (the caller took
   * it for a template), anything else as the Markdown DSL. */
  tl_source_kind kind = tl_source_kind_of_name(path, 1, NULL) == TL_SOURCE_YAML_TEMPLATE ? TL_SOURCE_YAML_TEMPLATE
                                                                                        : TL_SOURCE_MD_TEMPLATE;
  /* A template's tree is of the template mode, as the Markdown front-end parses it. */
  gr_tree *tree = kind == TL_SOURCE_MD_TEMPLATE && parsed && gr_tree_mode(parsed) == GR_MODE_TEMPLATE
                      ? gr_tree_copy(parsed, copy, len) : NULL;
  tl_template *model = tree ? tl_template_new_taking(tree) : tl_source_template(kind, copy, len, true);
  return tl_workspace_put_parsed(ws, path, copy, len, model);
}

uint32_t tl_workspace_put_parsed(tl_workspace *ws, const char *path, char *text, size_t len, tl_template *model) {
  uint32_t i = tl_workspace_find(ws, path);
  tl_workspace_entry *e;
  if (i == TL_NONE) {
    e = gr_calloc(1, sizeof *e);
    e->path = gr_strndup(path, strlen(path));
    i = (uint32_t)ws->entries.len;
    gr_array_push(&ws->entries, e);
  } else {
    e = ws->entries.items[i];
    tl_workspace__clear(e);
  }
  e->text = text;
  e->len = len;
  e->model = model;
  return i;
}

int tl_workspace_remove(tl_workspace *ws, const char *path) {
  uint32_t i = tl_workspace_find(ws, path);
  if (i == TL_NONE) return TL_ENOENT;
  tl_workspace_entry *e = ws->entries.items[i];
  tl_workspace__clear(e);
  gr_free(e->path);
  gr_free(e);
  memmove(&ws->entries.items[i], &ws->entries.items[i + 1],
          (ws->entries.len - i - 1) * sizeof ws->entries.items[0]);
  ws->entries.len--;
  return 0;
}

uint32_t tl_workspace_count(const tl_workspace *ws) { return (uint32_t)ws->entries.len; }

const char *tl_workspace_path(const tl_workspace *ws, uint32_t i) {
  return i < ws->entries.len ? ws->entries.items[i]->path : NULL;
}

const char *tl_workspace_text(const tl_workspace *ws, uint32_t i, size_t *len) {
  if (i >= ws->entries.len) {
    if (len) *len = 0;
    return NULL;
  }
  if (len) *len = ws->entries.items[i]->len;
  return ws->entries.items[i]->text;
}

const gr_tree *tl_workspace_tree(const tl_workspace *ws, uint32_t i) {
  return i < ws->entries.len && ws->entries.items[i]->model ? tl_template_tree(ws->entries.items[i]->model) : NULL;
}

bool tl_workspace_shed_tree(tl_workspace *ws, uint32_t i) {
  return i < ws->entries.len && ws->entries.items[i]->model && tl_template_shed_tree(ws->entries.items[i]->model);
}

const tl_template *tl_workspace_template(const tl_workspace *ws, uint32_t i) {
  return i < ws->entries.len ? ws->entries.items[i]->model : NULL;
}
