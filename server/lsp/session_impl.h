/*
 * session_impl.h: the body of tl_session and what the handler files share.
 * Private to server/lsp/ (like grammar/tree.h): session.c owns the state,
 * dispatch.c the method table and lifecycle, handlers_*.c the methods.
 */
#ifndef TMPL_SERVER_LSP_SESSION_IMPL_H
#define TMPL_SERVER_LSP_SESSION_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "grammar/alloc.h"
#include "protocol/frame.h"
#include "protocol/jsonrpc.h"
#include "protocol/position.h"
#include "server/lsp/docs.h"
#include "server/lsp/session.h"
#include "server/lsp/wsdiag.h"
#include "server/lsp/wsindex.h"

/* ---- limits ------------------------------------------------------------- */

#define TL_MAX_MESSAGE_BYTES RPC_FRAME_DEFAULT_MAX_BODY /* one message body (64 MiB) */
#define TL_MAX_OPEN_DOCS 1024                          /* documents open at once */
#define TL_MAX_DOC_BYTES ((size_t)32 << 20)            /* one document's text (32 MiB) */
#define TL_MAX_POSITIONS 1024                          /* positions in one request (selectionRange) */

/* ---- the session -------------------------------------------------------- */

typedef enum tl_state {
  TL_STATE_UNINITIALIZED = 0, /* before `initialize` */
  TL_STATE_RUNNING,           /* after `initialize` */
  TL_STATE_SHUTDOWN,          /* after `shutdown`: only `exit` matters */
  TL_STATE_DONE               /* after `exit` or the end of input */
} tl_state;

/* A queued input: a message, or a framing error to report in stream order. */
typedef struct tl_inbox_item {
  rpc_msg msg;    /* kind 0 for a framing error */
  int frame_error;
  size_t frame_len;
  uint64_t frame_offset;
  bool cancelled; /* a $/cancelRequest for it arrived while it was queued */
} tl_inbox_item;

typedef struct tl_method tl_method;

/*
 * A request that waits for its document to be parsed, at the end of the
 * turn. If the document changes or closes first, the request answers
 * ContentModified: its positions were meant for the old text.
 */
typedef struct tl_parked {
  rpc_msg msg; /* owned */
  const tl_method *method;
  tl_doc *doc;
  bool cancelled; /* a $/cancelRequest named it: answer RequestCancelled */
} tl_parked;

/* Requests tmpl-ls sends, and what their answers are for. */
typedef enum tl_out_kind {
  TL_OUT_REFRESH = 1,         /* workspace/diagnostic/refresh */
  TL_OUT_PROGRESS_CREATE = 2, /* window/workDoneProgress/create for the index */
  TL_OUT_REGISTER = 3,        /* client/registerCapability (watched files, configuration) */
  TL_OUT_CONFIGURATION = 4,   /* workspace/configuration: the editor's settings */
  TL_OUT_SHOW_DOCUMENT = 5    /* window/showDocument: a command's selection (nothing waits) */
} tl_out_kind;

/* A large reply about a document, still in `out` (tl_session_options.stale_reply_bytes). */
typedef struct tl_unsent {
  size_t off, len; /* its frame in `out`, header included */
  json_t *id;      /* owned */
  tl_doc *doc;
} tl_unsent;

/* A large reply held back while the client is behind (session.h: TL_SESSION_HOLD_GAP_MS). */
typedef struct tl_held {
  rpc_buf frame;   /* header and body */
  json_t *id;      /* owned */
  tl_doc *doc;
  uint64_t due_ms; /* when it joins the output, unless the client is still busy (session.c: tl_session__due) */
} tl_held;

/* How a document is being edited: what tells whether its next large reply waits. */
typedef struct tl_typing {
  tl_doc *doc;
  uint64_t last_ms; /* the clock at its last change */
  uint64_t gap_ms;  /* between its last two changes in different reads, at most 2 * TL_SESSION_HOLD_GAP_MS */
  uint64_t pace_ms; /* the smaller of its last two such gaps; UINT64_MAX until known */
  uint64_t busy_ms; /* until when the client may still be parsing the last large reply written about it */
  bool behind;      /* a change found a request or large reply about it unanswered or unread, and the
                     * changes since never paused for TL_SESSION_HOLD_KEEP_MS */
} tl_typing;

typedef struct tl_pending {
  int64_t id;
  tl_out_kind kind;
} tl_pending;

#define TL_MAX_PENDING 32 /* requests sent and not answered; older ones are forgotten */

/* The index's work-done progress (handlers_workspace.c). */
typedef enum tl_progress {
  TL_PROGRESS_IDLE = 0, /* nothing shown */
  TL_PROGRESS_ASKED,    /* window/workDoneProgress/create sent, no answer yet */
  TL_PROGRESS_SHOWN     /* begun: ends when the index has no job left */
} tl_progress;

struct tl_session {
  tl_session_options opts;
  rpc_frame *frame;
  rpc_buf out;
  size_t out_held; /* taken by the caller, not yet written (tl_session_hold_output) */
  GR_ARRAY(tl_unsent) unsent; /* large replies in `out`, in order (tl_session_unsent) */
  GR_ARRAY(tl_unsent) taken;  /* the large replies of the output taken last, until written (id NULL) */
  GR_ARRAY(tl_held) held;     /* large replies held back, in order */
  GR_ARRAY(tl_typing) typing; /* per document changed since the clock was set */
  uint64_t clock_ms;          /* tl_session_set_clock */
  bool has_clock;             /* no hold without one */

  GR_ARRAY(tl_inbox_item) inbox;
  GR_ARRAY(tl_parked) parked;
  GR_ARRAY(tl_doc *) publish; /* documents whose diagnostics must be pushed */

  tl_state state;
  int exit_status;
  bool eof;

  /* negotiated at initialize */
  lsp_pos_encoding enc;
  bool pull_diagnostics; /* the client pulls (textDocument/diagnostic): never push */
  json_t *client_caps;   /* the client's capabilities (owned; NULL before initialize) */
  json_t *init_settings; /* initializationOptions, the editor's settings when it gives no others (owned) */

  tl_docs *docs;
  tl_wsi *wsi;            /* the workspace's templates (handlers_workspace.c) */
  uint64_t wsi_gen;       /* tl_wsi_generation when the session last looked */
  uint64_t settings_gen;  /* tl_wsi_settings_generation then */
  bool wsi_dirty;         /* a scan came back: the next turn re-publishes */
  tl_wsd *wsd;            /* the workspace's diagnostics: pull and push runs (wsdiag.c) */
  int64_t next_request_id; /* requests tmpl-ls sends */
  GR_ARRAY(tl_pending) pending;

  tl_progress progress;        /* of the index's jobs */
  bool progress_refused;       /* the client refused a token: never ask again */
  uint32_t progress_token;     /* the token is "tmpl-ls/index/N" */
  uint32_t progress_templates; /* templates read since it began */

  struct tl_semtok_cache *semtoks; /* the last semantic tokens sent per document (handlers_features.c) */
  struct tl_kept_cache *kept;      /* outlines and folding ranges kept across inert edits (handlers_features.c) */
};

/* ---- calls -------------------------------------------------------------- */

/* What a handler gets, and fills in. */
typedef struct tl_call {
  tl_session *s;
  json_t *id;     /* borrowed; NULL for a notification */
  json_t *params; /* borrowed; NULL when absent */
  tl_doc *doc;    /* methods with TL_M_DOC: the open document named by params.textDocument.uri */
  json_t *result; /* out, new reference (NULL means null) */
  rpc_buf raw;    /* out, instead of result when raw.items is set: the result as JSON text (protocol/jsonw.h) */
  /* out, instead of raw: a result the handler's module keeps (a kept
   * outline), sent from there without a copy; it stays put until the reply is encoded */
  const rpc_buf *raw_kept;
  int error;      /* out: 0 or an RPC_E_* code */
  char message[256];
  bool deferred;  /* out: no reply now, the handler's module answers later (wsdiag.c) */
} tl_call;

typedef void (*tl_handler)(tl_call *call);

typedef enum tl_method_kind { TL_REQUEST = 1, TL_NOTIFICATION = 2 } tl_method_kind;

enum {
  TL_M_DOC = 1u << 0,  /* resolve params.textDocument.uri to an open document, else -32602 */
  TL_M_TREE = 1u << 1, /* needs the document's tree: waits for the end-of-turn parse */
  TL_M_WS = 1u << 2    /* reads the workspace index: a document's request waits while a scan is out */
};

struct tl_method {
  const char *name;
  tl_method_kind kind;
  unsigned flags;
  tl_handler handler;
};

/** The method table entry for `name`, or NULL (dispatch.c). */
const tl_method *tl_method_find(const char *name);

/** Handle one message from the queue, in order (dispatch.c). */
void tl_dispatch(tl_session *s, tl_inbox_item *item);

/** Run a TL_M_DOC method whose document is ready and reply (dispatch.c). */
void tl_dispatch_call(tl_session *s, const tl_method *m, rpc_msg *msg, tl_doc *doc);

/** Set an error on the call, printf-style; returns the code (for `return tl_fail(...)`). */
int tl_fail(tl_call *call, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/**
 * params.position of a TextDocumentPositionParams request as a byte offset
 * in the call's document (clamped as LSP says). Returns 0, or fails the
 * call with InvalidParams and returns that code.
 */
int tl_call_position(tl_call *c, size_t *offset);

/**
 * Answer the parked requests and push the diagnostics due: the end of a
 * turn, and what `shutdown` does before it answers (session.c).
 */
void tl_session_settle(tl_session *s);

/* ---- output (session.c) ------------------------------------------------- */

/** Is the output waiting for the client over its cap? Then nothing more is produced until it reads. */
bool tl_session_output_full(const tl_session *s);

/** Queue a message for the client (borrowed). */
void tl_send(tl_session *s, const json_t *msg);
/** Queue a result (stolen) or an error reply for request `id` (borrowed). */
void tl_reply(tl_session *s, json_t *id, json_t *result);
/** Queue a result given as JSON text result[0..n) for request `id` (borrowed). */
void tl_reply_raw(tl_session *s, json_t *id, const char *result, size_t n);
void tl_reply_error(tl_session *s, json_t *id, int code, const char *message);
/**
 * The reply to request `id` (borrowed) about `doc` was queued from output
 * offset `at` on: if it is large, remember it, so that a change to `doc`
 * before the output is taken replaces it by ContentModified, or hold it
 * back while the client is behind (session.h).
 */
void tl_session_unsent(tl_session *s, tl_doc *doc, json_t *id, size_t at);
/** The replies held back (session.h) join the output now, in order: `shutdown` sends what is owed first. */
void tl_session_release_held(tl_session *s);
/** Queue a notification; params is stolen. */
void tl_notify(tl_session *s, const char *method, json_t *params);
/** Send a request to the client (params stolen); its answer goes to tl_ws_answer. */
void tl_request(tl_session *s, const char *method, json_t *params, tl_out_kind kind);
/** The answer to a request tmpl-ls sent (dispatch.c): route it, or log it. */
void tl_session_answer(tl_session *s, const rpc_msg *msg);

/* window/logMessage types */
enum { TL_MSG_ERROR = 1, TL_MSG_WARNING = 2, TL_MSG_INFO = 3, TL_MSG_LOG = 4 };

/** Tell the user through window/logMessage (and stderr at the matching level). */
void tl_log_client(tl_session *s, int type, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/** A debug log line on stderr when `level` is within --log-level. */
void tl_log(const tl_session *s, tl_log_level level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- documents (session.c) ---------------------------------------------- */

/** The lsp_text of a document in the session's encoding (borrowed parts). */
lsp_text tl_doc_lsp_text(const tl_session *s, tl_doc *doc);

/** The document changed: requests parked on it answer ContentModified, diagnostics are due. */
void tl_doc_changed(tl_session *s, tl_doc *doc);

/** The document is going away: parked requests answer ContentModified, pending pushes are dropped. */
void tl_doc_forget(tl_session *s, tl_doc *doc);

/* ---- handlers (handlers_text.c, diagnostics.c) ------------------------- */

void tl_h_did_open(tl_call *call);
void tl_h_did_change(tl_call *call);
void tl_h_did_close(tl_call *call);
void tl_h_did_save(tl_call *call);
void tl_h_diagnostic(tl_call *call);

/* handlers_workspace.c: the workspace index in the session */
void tl_ws_initialize(tl_session *s, const json_t *params); /* folders from InitializeParams */
void tl_ws_capabilities(const tl_session *s, json_t *caps); /* definition, documentLink, codeLens, workspace symbols and file operations */
/** Start of settle: documents whose template changed are due for diagnostics. */
void tl_ws_settle(tl_session *s);
/**
 * True while a document's diagnostics and TL_M_WS requests must wait: a
 * scan that may find its template is out, it is not a template, and the
 * session is running (not shutting down, input not ended).
 */
bool tl_ws_defer(const tl_session *s, tl_doc *doc);
void tl_h_did_change_folders(tl_call *call);
void tl_h_did_change_watched_files(tl_call *call);
void tl_h_did_change_configuration(tl_call *call);
/** After `initialized`: ask to watch the workspace's Markdown files, when the client can. */
void tl_ws_initialized(tl_session *s);
/** The answer (error: msg->error set) to a request of `kind` tmpl-ls sent. */
void tl_ws_answer(tl_session *s, tl_out_kind kind, const rpc_msg *msg);
/** A request of `kind` will never be answered (forgotten): undo what waited for it. */
void tl_ws_unanswered(tl_session *s, tl_out_kind kind);
/** At `shutdown`: end the progress shown, if any. */
void tl_ws_shutdown(tl_session *s);
void tl_h_definition(tl_call *call);
/** workspace/symbol: SymbolInformation[] over every folder's templates and documents, at most 1000. */
void tl_h_workspace_symbol(tl_call *call);
/** workspace/willRenameFiles: a WorkspaceEdit for markers and .tmpl-ls.json values, or null. */
void tl_h_will_rename_files(tl_call *call);
/** workspace/didRenameFiles, didDeleteFiles: the index follows (tl_wsi_path_renamed / _deleted). */
void tl_h_did_rename_files(tl_call *call);
void tl_h_did_delete_files(tl_call *call);
void tl_h_document_link(tl_call *call);
void tl_h_code_lens(tl_call *call);
void tl_h_inlay_hint(tl_call *call);
/** textDocument/hover on a document (not a template); false when it has nothing to say. */
bool tl_ws_hover(tl_call *call, size_t offset);

/* handlers_features.c */
void tl_features_capabilities(json_t *caps); /* adds the feature providers to ServerCapabilities */
void tl_h_document_symbol(tl_call *call);
void tl_h_folding_range(tl_call *call);
void tl_h_semantic_tokens_full(tl_call *call);
void tl_h_semantic_tokens_range(tl_call *call);
/** textDocument/semanticTokens/full/delta: edits against the tokens last sent (previousResultId). */
void tl_h_semantic_tokens_delta(tl_call *call);
/** The document is closing: drop what the features keep for it (its last semantic tokens). */
void tl_features_forget(tl_session *s, tl_doc *doc);
/** The session is going: free what the features keep. */
void tl_features_free(tl_session *s);
void tl_h_hover(tl_call *call);
void tl_h_selection_range(tl_call *call);

/* handlers_names.c: references, rename, linked editing (server/features/names.h) */
void tl_names_capabilities(const tl_session *s, json_t *caps); /* references, rename, linkedEditingRange */
void tl_h_references(tl_call *call);
void tl_h_prepare_rename(tl_call *call);
void tl_h_rename(tl_call *call);
void tl_h_linked_editing_range(tl_call *call);

/* handlers_edit.c: completion and code actions (server/features/completion.h, codeaction.h) */
void tl_edit_capabilities(const tl_session *s, json_t *caps); /* completionProvider, codeActionProvider */
void tl_h_completion(tl_call *call);
void tl_h_code_action(tl_call *call);
/**
 * workspace/executeCommand: "tmpl-ls.select" [uri, range] and
 * "tmpl-ls.showPlaceholders" [uri, [range...]] (the code lens) put the
 * client's selection on the (first) range with window/showDocument; the
 * latter answers the ranges as Location[]. Unknown commands: -32602.
 */
void tl_h_execute_command(tl_call *call);

/** Push the document's diagnostics (textDocument/publishDiagnostics with its version). */
void tl_diagnostics_publish(tl_session *s, tl_doc *doc);
/** Push an empty list for `uri` (the document closed or was dropped). */
void tl_diagnostics_clear(tl_session *s, const char *uri);
/** The open document's Diagnostic[] (marked as published: tl_diagnostics_for). */
json_t *tl_diagnostics_json(tl_session *s, tl_doc *doc);
/**
 * The Diagnostic[] of a file of folder f that is not open: `key` in the
 * folder, `uri` for its Locations, text[0..len) as read from disk; read as
 * an open file of that name would be (a template's own, a document's
 * against the template the folder gives it, a YAML file that is no
 * template: none), with the folder's settings.
 */
json_t *tl_diagnostics_json_of_text(tl_session *s, tl_wsi_folder *f, const char *key, const char *uri,
                                    const char *text, size_t len);
/** An open document's pull resultId (see diagnostics.h) into rid[0..n). */
void tl_diagnostics_result_id(tl_session *s, tl_doc *doc, char *rid, size_t n);

/* ---- JSON helpers ------------------------------------------------------- */

/** params[key] as an object / a string (NUL-free) / an integer; NULL or -1 when absent or of another type. */
json_t *tl_json_object(const json_t *obj, const char *key);
/**
 * The client's capability at a dotted path under `capabilities`
 * ("textDocument.rename.prepareSupport"), borrowed, or NULL when any part
 * is missing or an intermediate part is not an object.
 */
json_t *tl_client_cap(const tl_session *s, const char *path);
const char *tl_json_string(const json_t *obj, const char *key);
int tl_json_int(const json_t *obj, const char *key, int64_t *out);

#endif
