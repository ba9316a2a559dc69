/*
 * wsdiag.h: the diagnostics of every file of the workspace, open or not
 * (tl_wsd_*): workspace/diagnostic for a client that pulls, with result
 * ids ("unchanged" for what did not change), partial results and work-done
 * progress; and, for a client that does not pull, the
 * `workspaceDiagnostics` setting's pushes of the files that are not open
 * (published after the index is built, again when they or their templates
 * change, cleared when they go). Both go a slice of files per turn of the
 * loop. Private to server/lsp/ (see wsdiag.c for the details).
 */
#ifndef TMPL_SERVER_LSP_WSDIAG_H
#define TMPL_SERVER_LSP_WSDIAG_H

#include <jansson.h>
#include <stdbool.h>

typedef struct tl_session tl_session;
typedef struct tl_call tl_call;
typedef struct tl_wsd tl_wsd;

tl_wsd *tl_wsd_new(void);
void tl_wsd_free(tl_wsd *w);

/** workspace/diagnostic: starts a run (answered by tl_wsd_step; the call is deferred). */
void tl_h_workspace_diagnostic(tl_call *call);

/** Work this turn: a slice of the runs; a run waits while a scan is out. */
void tl_wsd_step(tl_session *s);
/** True while a run has files left to go (the loop must not sleep). */
bool tl_wsd_busy(const tl_session *s);
/** $/cancelRequest for `id`: the running pull answers RequestCancelled. */
void tl_wsd_cancel(tl_session *s, const json_t *id);
/** At shutdown: a running pull answers ServerCancelled; a push run is dropped. */
void tl_wsd_shutdown(tl_session *s);

/** Files or templates changed (or a document closed): a push run is due. */
void tl_wsd_touch(tl_session *s);
/** A document opened: its own pushes take over from the workspace's. */
void tl_wsd_opened(tl_session *s, const char *uri);
/**
 * True when a workspace report was answered and a template or the
 * settings changed since (and no pull is running): the client should pull
 * again. tl_wsd_refreshed: workspace/diagnostic/refresh was just sent.
 */
bool tl_wsd_refresh_due(tl_session *s);
/** True when the files that are not open follow the templates' edits: a workspace report was answered, or some are pushed. */
bool tl_wsd_follows_templates(tl_session *s);
void tl_wsd_refreshed(tl_session *s);

#endif
