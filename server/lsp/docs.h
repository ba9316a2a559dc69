/*
 * docs.h: the documents the client has open (tl_docs_*, tl_doc_*): their
 * text, version, line index and grammar tree. No JSON, no libuv: edits come
 * in as byte ranges (the handlers convert positions with protocol/position).
 *
 * A document's tree and line index belong to one text: an edit drops both,
 * and they are rebuilt on demand (tl_doc_tree, tl_doc_lines), so a storm of
 * edits costs one parse when something finally needs the tree.
 */
#ifndef TMPL_SERVER_LSP_DOCS_H
#define TMPL_SERVER_LSP_DOCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/source.h"
#include "grammar/lines.h"

typedef struct tl_doc tl_doc;
typedef struct lsp_pos_memo lsp_pos_memo; /* protocol/position.h */
typedef struct tl_docs tl_docs;
typedef struct yt_tmpl yt_tmpl;           /* yaml/ytmpl.h */

/** A new empty set (tl_docs_free). */
tl_docs *tl_docs_new(void);
/** Free the set and every document in it. */
void tl_docs_free(tl_docs *docs);

/**
 * Open `uri` with text[0..len) (copied) at `version`; a document already
 * open under that URI gets the new text and version instead. Returns the
 * document (borrowed: valid until it is closed or the set is freed).
 */
tl_doc *tl_docs_open(tl_docs *docs, const char *uri, const char *text, size_t len, int64_t version);

/** The open document for `uri`, or NULL. */
tl_doc *tl_docs_get(const tl_docs *docs, const char *uri);

/** Close and free `doc` (from this set). Later documents keep their order. */
void tl_docs_close(tl_docs *docs, tl_doc *doc);

/** Number of open documents, and document i in opening order (NULL if out of range). */
size_t tl_docs_count(const tl_docs *docs);
tl_doc *tl_docs_at(const tl_docs *docs, size_t i);

/** The URI (borrowed), the text (borrowed; valid until the next edit) and its length. */
const char *tl_doc_uri(const tl_doc *doc);
const char *tl_doc_text(const tl_doc *doc, size_t *len);
size_t tl_doc_len(const tl_doc *doc);

/** The client's version of the text. */
int64_t tl_doc_version(const tl_doc *doc);
void tl_doc_set_version(tl_doc *doc, int64_t version);

/** A template by its name (*-tmpl.md, *.tmpl.md); a document written from one otherwise. */
bool tl_doc_is_template(const tl_doc *doc);
/** Set what the workspace index decided (tl_wsi_is_template) when the document opened. */
void tl_doc_set_template(tl_doc *doc, bool yes);
/**
 * What the document is (source.h): a Markdown or YAML template, a Markdown
 * document, or TL_SOURCE_OTHER for a YAML file that is no template (left
 * alone: no diagnostics). A YAML file's tl_doc_tree is of an empty text.
 */
tl_source_kind tl_doc_kind(const tl_doc *doc);

/**
 * Replace bytes [start, end) with text[0..len). Offsets past the end are
 * clamped, end before start means start. The line index is patched; the
 * tree is moved when the edit is inert (grammar.h: gr_edit_inert: prose
 * typed into a line of prose) and dropped otherwise, with the YAML view.
 */
void tl_doc_edit(tl_doc *doc, size_t start, size_t end, const char *text, size_t len);

/** The line index of the current text (borrowed; rebuilt after an edit). */
const gr_lines *tl_doc_lines(tl_doc *doc);

/** The position memo of the current text (owned by the document; cleared by every edit). */
lsp_pos_memo *tl_doc_pos_memo(tl_doc *doc);

/** True when the text changed since the tree was built (or none was built yet). */
bool tl_doc_stale(const tl_doc *doc);
/** The tree of the current text, parsing it if stale (borrowed; valid until the next edit). */
const gr_tree *tl_doc_tree(tl_doc *doc);

/**
 * A YAML file's template view of the current text (yaml/ytmpl.h), parsing
 * it if stale (borrowed; valid until the next edit); NULL for a Markdown
 * file. The features that edit a YAML template read it instead of the
 * (empty) Markdown tree.
 */
const yt_tmpl *tl_doc_yaml(tl_doc *doc);

/**
 * A number that changes whenever the text does (a counter over the whole
 * set, so it never repeats across documents): pull diagnostics' resultId.
 */
uint64_t tl_doc_revision(const tl_doc *doc);

/**
 * What a result computed from the document may keep across edits. The
 * shape is a number that changes (never repeating across documents) with
 * every edit that is not inert, every new text and every change of mode;
 * between two changes of it, every edit was inert, and the lines it touched
 * are listed in order (*n of them; line numbers do not move, since an inert
 * edit keeps its line ends). A result of the text at shape S after k of
 * those edits holds for the current text when the shape is still S and
 * lines[k..n) touch nothing it depends on.
 */
uint64_t tl_doc_shape(const tl_doc *doc);
const uint32_t *tl_doc_inert_lines(const tl_doc *doc, size_t *n);

#endif
