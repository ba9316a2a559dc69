/*
 * migrate_action.h: the code action "Convert to YAML template" (JSON glue
 * for server/features/migrate.h), kept out of codeaction.c because it is
 * not an edit of the file it is asked on: it creates X-tmpl.yaml beside a
 * Markdown template X-tmpl.md.
 */
#ifndef TMPL_SERVER_LSP_MIGRATE_ACTION_H
#define TMPL_SERVER_LSP_MIGRATE_ACTION_H

#include <jansson.h>

#include "server/lsp/session_impl.h"

/**
 * Append the action to `out` (a CodeAction[]) when call->doc is a Markdown
 * template (its URI ends in ".md") and the client takes a WorkspaceEdit
 * with documentChanges and the "create" resource operation. The edit is a
 * CreateFile of the ".yaml" URI (failing, not overwriting, when that file
 * exists) and a TextDocumentEdit writing the YAML into it.
 */
void tl_migrate_action(tl_call *call, json_t *out);

#endif
