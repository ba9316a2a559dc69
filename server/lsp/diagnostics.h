/*
 * diagnostics.h: which diagnostics an open document has: the seam between
 * the server and the model.
 *
 * Today: a template (*-tmpl.md, *.tmpl.md) gets its grammar's diagnostics;
 * a document written from a template gets none. The model engineer extends
 * tl_diagnostics_for, and only it, to add the document diagnostics of
 * server/model/docdiag.h (and anything a template learns from the
 * workspace); the server turns whatever it returns into push or pull
 * diagnostics, in the client's position encoding.
 */
#ifndef TMPL_SERVER_LSP_DIAGNOSTICS_H
#define TMPL_SERVER_LSP_DIAGNOSTICS_H

#include "server/features/diagnostics.h"
#include "server/lsp/docs.h"

/**
 * Append the diagnostics of `doc` to `out`, sorted (tl_diags_sort). The
 * document is parsed if it is stale. `docs` is every open document (for
 * rules that look at other files); both are borrowed.
 *
 * Pull diagnostics use tl_doc_revision as their resultId: if the result
 * comes to depend on other files, the resultId must change with them too.
 */
void tl_diagnostics_for(tl_doc *doc, const tl_docs *docs, tl_diags *out);

#endif
