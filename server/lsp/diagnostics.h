/*
 * diagnostics.h: which diagnostics an open document has: the seam between
 * the server and the model.
 *
 * A template (*-tmpl.md, *.tmpl.md) gets its grammar's diagnostics; a
 * document written from a template gets the document diagnostics of
 * server/model/docdiag.h against the template the workspace index finds
 * for it (server/lsp/wsindex.h; without one, only the codes that need no
 * template). The server turns whatever tl_diagnostics_for returns into
 * push or pull diagnostics, in the client's position encoding.
 */
#ifndef TMPL_SERVER_LSP_DIAGNOSTICS_H
#define TMPL_SERVER_LSP_DIAGNOSTICS_H

#include "server/features/diagnostics.h"
#include "server/lsp/docs.h"
#include "server/lsp/wsindex.h"

/**
 * Append the diagnostics of `doc` to `out`, as published: sorted
 * (tl_diags_sort), with its suppression comments and its folder's settings
 * applied. The document is parsed if it is stale. `wsi` is the workspace
 * index (its templates, open ones included); both are borrowed. Nothing is
 * recorded: features that show counts or offer actions call this.
 */
void tl_diagnostics_compute(tl_doc *doc, tl_wsi *wsi, tl_diags *out);

/**
 * The same, for publishing (push or pull): a document's result is marked
 * in the index (tl_wsi_mark), so that a change to its template makes it
 * due again. Only what reaches the client may be marked, or a change would
 * never be published.
 *
 * Pull diagnostics' resultId: a template's "<tl_doc_revision>.s<settings
 * generation>"; a document's "<tl_doc_revision>.<tl_wsi_generation>",
 * which changes with the document, the templates and the settings.
 */
void tl_diagnostics_for(tl_doc *doc, tl_wsi *wsi, tl_diags *out);

#endif
