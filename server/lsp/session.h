/*
 * session.h: one LSP session (tl_session_*): bytes from the client in,
 * bytes for the client out, with no event loop and no I/O. server.c drives
 * it from libuv; tests drive it directly.
 *
 * The rhythm is redis's: tl_session_feed() is called for every read and
 * only frames and queues messages (a $/cancelRequest takes effect here, on
 * requests still queued, and on replies held back, answered at once);
 * tl_session_turn() is called once per loop turn
 * and does the work: it handles the queued messages in order, reparses the
 * documents that changed (once, however many edits came in), answers the
 * requests that waited for a parse, and publishes diagnostics. Output then
 * waits in one buffer for tl_session_take_output().
 */
#ifndef TMPL_SERVER_LSP_SESSION_H
#define TMPL_SERVER_LSP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/jsonrpc.h"
#include "server/lsp/server.h"

typedef struct tl_session tl_session;

/* Output waiting for the client past which the session reads no further
 * message (checked as each reply is queued) and the server no further input. */
#define TL_SESSION_MAX_OUTPUT ((size_t)64 << 20)

/* A reply about a document at least this large that is still waiting in the
 * session's output when the document changes or closes is replaced by a
 * ContentModified error (tl_doc_changed): the client would spend tens of
 * milliseconds parsing an answer for a text it no longer has (a 1 MB
 * template's outline is 627 KB of JSON: 15-28 ms in a Python client, as long
 * as a keystroke at 50 keys/s), while it is behind with its reading. A small
 * reply costs the client nothing and stays what it was. */
#define TL_SESSION_STALE_REPLY_BYTES ((size_t)64 << 10)

/*
 * Such a large reply is also held back, for a moment, while the client is
 * behind with them: once a change to the document found a large reply
 * about it still unread (in the output, held, or in the write in flight)
 * or a request about it unanswered (waiting for the parse), until the
 * changes pause for TL_SESSION_HOLD_KEEP_MS; and while they come fast (one
 * of the last two gaps between changes at most TL_SESSION_HOLD_GAP_MS, the
 * pace), the next such reply waits until TL_SESSION_HOLD_SLACK_MS after
 * the next change is due (one pace after the last). If that change comes,
 * it replaces the reply by ContentModified, as above; else the reply goes
 * out then. A reply asked for once that next change is overdue (the typing
 * stopped) is not held.
 * Without it a client that parses a 10 MB template's outline (6.4 MB of
 * JSON: 250-350 ms in a Python client) is sent outline after outline while
 * the typing goes on, and the answer for the last keystroke waits behind
 * them: up to 1.5 s in `make bench-lsp`'s 50 keys/s storm. A client that
 * waits for each answer before it edits again is never behind, and nothing
 * waits. A $/cancelRequest answers a held reply RequestCancelled; shutdown
 * sends every held reply before its own answer.
 *
 * A client may also stop sending while it parses (the benchmark's, whose
 * threads share one lock): silence then is no pause in the typing. So a
 * held reply also waits until the client is likely done parsing the last
 * large reply written about the document, TL_SESSION_HOLD_PARSE_MS_PER_MB
 * per MiB of it from when it was written (Python's json takes 50 to 100),
 * and never while that one is still being written; else each reply that
 * goes out makes the silence in which the next one goes out.
 *
 * The session has no clock of its own: holds need tl_session_set_clock.
 */
#define TL_SESSION_HOLD_GAP_MS 50
#define TL_SESSION_HOLD_KEEP_MS 1000
#define TL_SESSION_HOLD_SLACK_MS 25
#define TL_SESSION_HOLD_PARSE_MS_PER_MB 200

/* Limits: 0 means the default named in session_impl.h. */
typedef struct tl_session_options {
  tl_log_level log_level;   /* stderr logs at or below this level */
  size_t max_message_bytes; /* one message body (TL_MAX_MESSAGE_BYTES) */
  size_t max_open_docs;     /* documents open at once (TL_MAX_OPEN_DOCS) */
  size_t max_doc_bytes;     /* one document's text (TL_MAX_DOC_BYTES) */
  size_t max_output_bytes;  /* queued output that stops handling messages (TL_SESSION_MAX_OUTPUT) */
  size_t stale_reply_bytes; /* a reply withdrawn when its document changes unsent (TL_SESSION_STALE_REPLY_BYTES) */
} tl_session_options;

/** A new session (tl_session_free). opts is copied; NULL means the defaults. */
tl_session *tl_session_new(const tl_session_options *opts);
void tl_session_free(tl_session *s);

/** Frame and queue data[0..len) (borrowed). Ignored once the session is done. */
void tl_session_feed(tl_session *s, const char *data, size_t len);

/** The input ended: after the queued messages, the session ends with status 1 unless `exit` came first. */
void tl_session_eof(tl_session *s);

/** Handle everything queued (see above). Cheap when there is nothing to do. */
void tl_session_turn(tl_session *s);

/** True when tl_session_turn has work queued. */
bool tl_session_has_work(const tl_session *s);

/**
 * True while the session works through something a slice per turn (the
 * workspace's diagnostics), with nothing to wait for: the loop must call
 * tl_session_turn again without sleeping.
 */
bool tl_session_has_background(const tl_session *s);

/**
 * Move the pending output into *out (which must be empty; its storage is
 * swapped with the session's). Returns the number of bytes moved.
 */
size_t tl_session_take_output(tl_session *s, rpc_buf *out);

/** Bytes of output waiting in the session, ready to be taken (not the replies held back). */
size_t tl_session_pending_output(const tl_session *s);

/** Bytes of the replies held back: output still, for the driver's back-pressure. */
size_t tl_session_held_output(const tl_session *s);

/**
 * The output taken last was written, at `now_ms` (the clock of
 * tl_session_set_clock): the client parses its large replies from then on.
 * Nothing is released here: that waits for the next tl_session_set_clock,
 * after the input that came meanwhile is fed.
 */
void tl_session_written(tl_session *s, uint64_t now_ms);

/**
 * The driver's clock, in milliseconds (any origin, never decreasing), set
 * before each turn: the held replies that are due join the pending output.
 */
void tl_session_set_clock(tl_session *s, uint64_t now_ms);

/**
 * When the first held reply is due (the clock of tl_session_set_clock), 0
 * when none is held, UINT64_MAX when every one waits for the write in
 * flight (call again once it is written: tl_session_written).
 */
uint64_t tl_session_held_until(const tl_session *s);

/**
 * Bytes taken from the session and not yet written (the caller's write in
 * flight): they count against max_output_bytes with the pending output.
 * While the sum is over it, tl_session_turn leaves the rest of the queued
 * messages for a later turn. 0 says that all output taken was written (the
 * client is no longer behind with the replies in it).
 */
void tl_session_hold_output(tl_session *s, size_t bytes);

/** True once the session ended (`exit`, or end of input); then tl_session_exit_status applies. */
bool tl_session_done(const tl_session *s);

/** 0 after `shutdown` then `exit`, 1 otherwise. */
int tl_session_exit_status(const tl_session *s);

/*
 * Blocking work the session wants done off the loop (a workspace folder's
 * scan: server/lsp/wsindex.h). The driver takes each job after a turn,
 * runs it anywhere (tl_session_job_run touches only the job: a libuv work
 * thread), and hands it back with tl_session_job_done on the session's
 * thread; the next turn uses it. Tests may do all three in a row.
 */
typedef struct tl_wsi_job tl_wsi_job;
/** The next job, or NULL. The caller owns it until job_done or job_drop. */
tl_wsi_job *tl_session_take_job(tl_session *s);
void tl_session_job_run(tl_wsi_job *job);
/** Hand a run job back (stolen). */
void tl_session_job_done(tl_session *s, tl_wsi_job *job);
/** Free a job without handing it back (the session is gone or going). */
void tl_session_job_drop(tl_wsi_job *job);

#endif
