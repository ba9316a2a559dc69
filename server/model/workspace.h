/*
 * workspace.h: the set of templates a workspace knows (tl_workspace_*).
 *
 * Each entry holds a template's path (as the caller names it; relative to
 * the workspace root, '/'-separated, is what tl_assoc expects), an owned
 * copy of its text and its model (which holds the grammar tree). No I/O: the caller
 * reads the files (tl_scan finds them) and hands the text over.
 *
 * Entries keep the order in which they were first added; updating an entry
 * keeps its place, removing one shifts the later ones down by one.
 */
#ifndef TMPL_SERVER_MODEL_WORKSPACE_H
#define TMPL_SERVER_MODEL_WORKSPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/model.h"
#include "server/model/template.h"

typedef struct tl_workspace tl_workspace;

/** A new empty set (tl_workspace_free). */
tl_workspace *tl_workspace_new(void);
void tl_workspace_free(tl_workspace *ws);

/**
 * Add the template at `path`, or replace its text if the path is already
 * there. The text is copied, parsed and modelled (a ".yaml" / ".yml" path
 * by the YAML front-end, any other by the Markdown one; see source.h).
 * Returns the entry's index.
 * Pointers previously returned for that entry become invalid.
 */
uint32_t tl_workspace_put(tl_workspace *ws, const char *path, const char *text, size_t len);

/**
 * The same, given `parsed`, a tree of the same text held elsewhere (the
 * open document's): a Markdown template's tree is copied from it
 * (gr_tree_copy) rather than parsed again; NULL, another mode or another
 * length: parsed. At a 10 MB template's opening that is one parse of two.
 */
uint32_t tl_workspace_put_copy(tl_workspace *ws, const char *path, const char *text, size_t len,
                               const gr_tree *parsed);

/**
 * The same, for a template already modelled elsewhere (a scan thread):
 * takes ownership of `text` (gr_malloc'd, len bytes and a NUL after them,
 * as every entry's text has) and `model` (tl_source_template of it, with
 * keep_text).
 */
uint32_t tl_workspace_put_parsed(tl_workspace *ws, const char *path, char *text, size_t len, tl_template *model);

/** Remove the entry at `path`. Returns 0, or TL_ENOENT when there is none. */
int tl_workspace_remove(tl_workspace *ws, const char *path);

/** Number of entries, and the index of `path` (TL_NONE if absent). */
uint32_t tl_workspace_count(const tl_workspace *ws);
uint32_t tl_workspace_find(const tl_workspace *ws, const char *path);

/*
 * Entry i's parts (borrowed; NULL/0 when i is out of range). They stay
 * valid until that entry is replaced or removed, or the set is freed.
 */
const char *tl_workspace_path(const tl_workspace *ws, uint32_t i);
const char *tl_workspace_text(const tl_workspace *ws, uint32_t i, size_t *len);
/* The Markdown tree: NULL for a YAML template (only code that edits or
 * names in the template file asks for it). Parsed again if it was shed;
 * valid until then, or until the entry is replaced or removed. */
const gr_tree *tl_workspace_tree(const tl_workspace *ws, uint32_t i);
/* Free entry i's tree until it is asked for again (tl_template_shed_tree); whether there was one. */
bool tl_workspace_shed_tree(tl_workspace *ws, uint32_t i);
const tl_template *tl_workspace_template(const tl_workspace *ws, uint32_t i);

#endif
