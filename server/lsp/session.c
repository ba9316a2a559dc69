/*
 * session.c: the LSP session's state, queue and turn (see session.h), and
 * the output helpers every handler uses.
 */
#include "server/lsp/session.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "server/lsp/session_impl.h"

/* ---- lifetime ----------------------------------------------------------- */

static void tl_session__forget_unsent(tl_session *s);
static void tl_session__release(tl_session *s, bool all);

tl_session *tl_session_new(const tl_session_options *opts) {
  tl_session *s = gr_calloc(1, sizeof *s);
  if (opts) s->opts = *opts;
  else s->opts.log_level = TL_LOG_WARN;
  if (!s->opts.max_message_bytes) s->opts.max_message_bytes = TL_MAX_MESSAGE_BYTES;
  if (!s->opts.max_open_docs) s->opts.max_open_docs = TL_MAX_OPEN_DOCS;
  if (!s->opts.max_doc_bytes) s->opts.max_doc_bytes = TL_MAX_DOC_BYTES;
  if (!s->opts.max_output_bytes) s->opts.max_output_bytes = TL_SESSION_MAX_OUTPUT;
  if (!s->opts.stale_reply_bytes) s->opts.stale_reply_bytes = TL_SESSION_STALE_REPLY_BYTES;
  rpc_frame_limits lim = {s->opts.max_message_bytes, 0};
  s->frame = rpc_frame_new(&lim);
  s->docs = tl_docs_new();
  s->wsi = tl_wsi_new(s->docs);
  s->wsd = tl_wsd_new();
  s->exit_status = 1;
  return s;
}

static void tl_session__clear_queues(tl_session *s) {
  for (size_t i = 0; i < s->inbox.len; i++) rpc_msg_clear(&s->inbox.items[i].msg);
  for (size_t i = 0; i < s->parked.len; i++) rpc_msg_clear(&s->parked.items[i].msg);
  s->inbox.len = s->parked.len = s->publish.len = 0;
}

void tl_session_free(tl_session *s) {
  if (!s) return;
  tl_session__clear_queues(s);
  gr_array_free(&s->inbox);
  gr_array_free(&s->parked);
  gr_array_free(&s->publish);
  gr_array_free(&s->pending);
  tl_session__forget_unsent(s);
  gr_array_free(&s->unsent);
  for (size_t i = 0; i < s->held.len; i++) {
    gr_array_free(&s->held.items[i].frame);
    json_decref(s->held.items[i].id);
  }
  gr_array_free(&s->held);
  gr_array_free(&s->typing);
  gr_array_free(&s->taken);
  gr_array_free(&s->out);
  rpc_frame_free(s->frame);
  tl_wsd_free(s->wsd);
  tl_wsi_free(s->wsi);
  tl_features_free(s);
  tl_docs_free(s->docs);
  json_decref(s->client_caps);
  json_decref(s->init_settings);
  gr_free(s);
}

/* ---- input -------------------------------------------------------------- */

/* Answer the held replies about `doc`, or the one to request `id`, with an
 * error instead (session.h: TL_SESSION_HOLD_GAP_MS). */
static void tl_session__answer_held(tl_session *s, const tl_doc *doc, const json_t *id, int code, const char *why) {
  size_t keep = 0;
  for (size_t i = 0; i < s->held.len; i++) {
    tl_held *h = &s->held.items[i];
    if (doc ? h->doc != doc : !rpc_id_equal(h->id, id)) {
      s->held.items[keep++] = *h;
      continue;
    }
    tl_log(s, TL_LOG_DEBUG, "answered a held reply of %zu bytes with an error: %s", h->frame.len, why);
    tl_reply_error(s, h->id, code, why);
    json_decref(h->id);
    gr_array_free(&h->frame);
  }
  s->held.len = keep;
}


/* A $/cancelRequest marks the request it names, if that one is still
 * queued or parked (waiting for a parse or the workspace scan); a reply
 * held back (session.h) becomes RequestCancelled. */
static void tl_session__cancel(tl_session *s, const json_t *params) {
  const json_t *id = json_object_get(params, "id");
  for (size_t i = 0; i < s->inbox.len; i++) {
    tl_inbox_item *it = &s->inbox.items[i];
    if (it->msg.kind == RPC_REQUEST && rpc_id_equal(it->msg.id, id)) it->cancelled = true;
  }
  for (size_t i = 0; i < s->parked.len; i++)
    if (rpc_id_equal(s->parked.items[i].msg.id, id)) s->parked.items[i].cancelled = true;
  tl_session__answer_held(s, NULL, id, RPC_E_REQUEST_CANCELLED, "the request was cancelled");
  tl_wsd_cancel(s, id);
}

static int tl_session__on_frame(void *ud, const rpc_frame_event *ev) {
  tl_session *s = ud;
  tl_inbox_item it;
  memset(&it, 0, sizeof it);
  if (ev->kind == RPC_FRAME_ERROR) {
    it.frame_error = ev->error;
    it.frame_len = ev->len;
    it.frame_offset = ev->offset;
    gr_array_push(&s->inbox, it);
    return RPC_FRAME_ACCEPT;
  }
  rpc_parse(ev->body, ev->len, &it.msg);
  if (it.msg.kind == RPC_NOTIFICATION && strcmp(it.msg.method, "$/cancelRequest") == 0)
    tl_session__cancel(s, it.msg.params);
  gr_array_push(&s->inbox, it);
  /* A body that is not JSON at all may be a truncated frame that swallowed
   * the next one: let the framer look inside it. */
  return it.msg.kind == RPC_INVALID && it.msg.error_code == RPC_E_PARSE_ERROR ? RPC_FRAME_REJECT
                                                                                : RPC_FRAME_ACCEPT;
}

void tl_session_feed(tl_session *s, const char *data, size_t len) {
  if (s->state == TL_STATE_DONE || s->eof) return;
  rpc_frame_feed(s->frame, data, len, tl_session__on_frame, s);
}

static int tl_session__on_final_frame(void *ud, const rpc_frame_event *ev) {
  const tl_session *s = ud;
  if (ev->kind == RPC_FRAME_ERROR)
    tl_log(s, TL_LOG_WARN, "input ended inside a message (%zu bytes at offset %llu)", ev->len,
           (unsigned long long)ev->offset);
  return RPC_FRAME_ACCEPT;
}

void tl_session_eof(tl_session *s) {
  if (s->eof) return;
  s->eof = true;
  rpc_frame_finish(s->frame, tl_session__on_final_frame, s);
}

/* ---- the turn ----------------------------------------------------------- */

bool tl_session_has_work(const tl_session *s) {
  return s->inbox.len || s->parked.len || s->publish.len || s->wsi_dirty || tl_wsd_busy(s) ||
         (s->eof && s->state != TL_STATE_DONE);
}

bool tl_session_has_background(const tl_session *s) { return s->state != TL_STATE_DONE && tl_wsd_busy(s); }

/* Is the output waiting for the client over the cap? Then no more messages this turn. */
size_t tl_session_held_output(const tl_session *s) {
  size_t held = 0;
  for (size_t i = 0; i < s->held.len; i++) held += s->held.items[i].frame.len;
  return held;
}

bool tl_session_output_full(const tl_session *s) {
  return s->out.len + s->out_held + tl_session_held_output(s) >= s->opts.max_output_bytes;
}

void tl_session_turn(tl_session *s) {
  /* 1. Messages, in order, while the output is under its cap (checked
   *    after each one: a client that does not read must not make the
   *    server hold the replies of every request it sent). A handler may
   *    park a request (moving its msg). */
  size_t done = 0;
  while (done < s->inbox.len && s->state != TL_STATE_DONE && !tl_session_output_full(s))
    tl_dispatch(s, &s->inbox.items[done++]);
  if (s->state == TL_STATE_DONE) done = s->inbox.len;
  for (size_t i = 0; i < done; i++) rpc_msg_clear(&s->inbox.items[i].msg);
  if (done < s->inbox.len)
    memmove(s->inbox.items, s->inbox.items + done, (s->inbox.len - done) * sizeof *s->inbox.items);
  s->inbox.len -= done;
  if (s->inbox.len) return; /* the rest waits for the client to read */

  if (s->state != TL_STATE_DONE) tl_session_settle(s);

  if (s->eof && s->state != TL_STATE_DONE) {
    tl_log(s, TL_LOG_INFO, "input closed");
    s->state = TL_STATE_DONE;
    s->exit_status = 1;
  }
  if (s->state == TL_STATE_DONE) tl_session__clear_queues(s);
  if (s->state != TL_STATE_RUNNING && s->held.len) tl_session__release(s, true); /* the end: nothing waits */
}

void tl_session_settle(tl_session *s) {
  /* Documents whose template changed this turn are due too. */
  tl_ws_settle(s);
  /* 2. Requests that waited for a parse: tl_doc_tree parses each changed
   *    document once, for its newest text. */
  size_t waiting = 0;
  for (size_t i = 0; i < s->parked.len; i++) {
    tl_parked *p = &s->parked.items[i];
    if (p->cancelled) {
      tl_reply_error(s, p->msg.id, RPC_E_REQUEST_CANCELLED, "the request was cancelled");
      rpc_msg_clear(&p->msg);
      continue;
    }
    if ((p->method->flags & TL_M_WS) && tl_ws_defer(s, p->doc)) { /* still waits for the scan */
      s->parked.items[waiting++] = *p;
      continue;
    }
    tl_dispatch_call(s, p->method, &p->msg, p->doc);
    rpc_msg_clear(&p->msg);
  }
  s->parked.len = waiting;
  /* 3. Diagnostics, once per changed document, for its newest version;
   *    a document waits while the workspace scan that may find its
   *    template is out. */
  size_t keep = 0;
  for (size_t i = 0; i < s->publish.len; i++) {
    if (tl_ws_defer(s, s->publish.items[i])) s->publish.items[keep++] = s->publish.items[i];
    else if (!s->pull_diagnostics) tl_diagnostics_publish(s, s->publish.items[i]);
  }
  s->publish.len = keep;
  /* 4. A slice of the workspace's diagnostics (wsdiag.h), after what the
   *    open documents owe. */
  tl_wsd_step(s);
}

bool tl_session_done(const tl_session *s) { return s->state == TL_STATE_DONE; }
int tl_session_exit_status(const tl_session *s) { return s->exit_status; }

/* ---- documents ---------------------------------------------------------- */

lsp_text tl_doc_lsp_text(const tl_session *s, tl_doc *doc) {
  lsp_text t;
  t.text = tl_doc_text(doc, &t.len);
  t.lines = tl_doc_lines(doc);
  t.enc = s->enc;
  t.memo = tl_doc_pos_memo(doc);
  return t;
}

/* Answer the requests parked on `doc` with ContentModified. */
static void tl_session__unpark(tl_session *s, tl_doc *doc, const char *why) {
  size_t keep = 0;
  for (size_t i = 0; i < s->parked.len; i++) {
    tl_parked *p = &s->parked.items[i];
    if (p->doc != doc) {
      s->parked.items[keep++] = *p;
      continue;
    }
    tl_reply_error(s, p->msg.id, RPC_E_CONTENT_MODIFIED, why);
    rpc_msg_clear(&p->msg);
  }
  s->parked.len = keep;
}

/*
 * Replace each large reply about `doc` still in the output by a
 * ContentModified error (session.h: TL_SESSION_STALE_REPLY_BYTES), in
 * place: what comes before and after it keeps its order.
 */
static void tl_session__withdraw(tl_session *s, tl_doc *doc, const char *why) {
  rpc_buf err = {0};
  size_t keep = 0;
  ptrdiff_t shift = 0; /* of the spans after the ones replaced so far */
  for (size_t i = 0; i < s->unsent.len; i++) {
    tl_unsent u = s->unsent.items[i];
    u.off = (size_t)((ptrdiff_t)u.off + shift);
    if (u.doc != doc) {
      s->unsent.items[keep++] = u;
      continue;
    }
    err.len = 0;
    json_t *m = rpc_error(u.id, RPC_E_CONTENT_MODIFIED, why, NULL);
    int rc = rpc_encode(m, &err);
    json_decref(m);
    json_decref(u.id);
    if (rc != 0) continue; /* cannot happen (a short message); the reply stays */
    size_t tail = u.off + u.len;
    if (err.len > u.len) gr_array_reserve(&s->out, err.len - u.len); /* a reply shorter than the error */
    memmove(s->out.items + u.off + err.len, s->out.items + tail, s->out.len - tail);
    memcpy(s->out.items + u.off, err.items, err.len);
    s->out.len = s->out.len - u.len + err.len;
    shift += (ptrdiff_t)err.len - (ptrdiff_t)u.len;
    tl_log(s, TL_LOG_DEBUG, "withdrew a reply of %zu bytes: %s", u.len, why);
  }
  s->unsent.len = keep;
  gr_array_free(&err);
  tl_session__answer_held(s, doc, NULL, RPC_E_CONTENT_MODIFIED, why);
}

/* ---- replies held back while the client is behind (session.h) ------------ */

static tl_typing *tl_session__typing(tl_session *s, const tl_doc *doc) {
  for (size_t i = 0; i < s->typing.len; i++)
    if (s->typing.items[i].doc == doc) return &s->typing.items[i];
  return NULL;
}

/* Is a request about `doc` unanswered (parked), or a large reply about it
 * unread: in the output, held, or in the write in flight? */
static bool tl_session__unread(const tl_session *s, const tl_doc *doc) {
  for (size_t i = 0; i < s->parked.len; i++)
    if (s->parked.items[i].doc == doc) return true;
  for (size_t i = 0; i < s->unsent.len; i++)
    if (s->unsent.items[i].doc == doc) return true;
  for (size_t i = 0; i < s->held.len; i++)
    if (s->held.items[i].doc == doc) return true;
  for (size_t i = 0; i < s->taken.len; i++)
    if (s->taken.items[i].doc == doc) return true;
  return false;
}

/* `doc` changed (before its replies are withdrawn): how fast, and whether the client was behind. */
static void tl_session__typed(tl_session *s, tl_doc *doc) {
  if (!s->has_clock) return;
  bool unread = tl_session__unread(s, doc);
  tl_typing *t = tl_session__typing(s, doc);
  if (!t) {
    tl_typing first = {doc, s->clock_ms, UINT64_MAX, UINT64_MAX, 0, unread};
    gr_array_push(&s->typing, first);
    return;
  }
  uint64_t gap = s->clock_ms - t->last_ms;
  /* Behind until the typing pauses: a client that stops sending while it
   * parses is still behind when it sends again (all at once). */
  t->behind = unread || (t->behind && gap <= TL_SESSION_HOLD_KEEP_MS);
  t->last_ms = s->clock_ms;
  if (gap == 0) return; /* changes of one read: no pace */
  if (gap > 2 * TL_SESSION_HOLD_GAP_MS) gap = 2 * TL_SESSION_HOLD_GAP_MS;
  t->pace_ms = t->gap_ms < gap ? t->gap_ms : gap; /* one pause in fast typing leaves it fast */
  t->gap_ms = gap;
}

/* The output taken last is written: the client has read its large replies,
 * and parses them for a while (TL_SESSION_HOLD_PARSE_MS_PER_MB). */
static void tl_session__written(tl_session *s) {
  for (size_t i = 0; i < s->taken.len; i++) {
    tl_typing *t = tl_session__typing(s, s->taken.items[i].doc);
    uint64_t busy = s->clock_ms + (uint64_t)s->taken.items[i].len * TL_SESSION_HOLD_PARSE_MS_PER_MB / (1u << 20);
    if (t && t->busy_ms < busy) t->busy_ms = busy;
  }
  s->taken.len = 0;
}

/* When `h` goes out: at its time, and not while the client is still reading
 * or parsing the last large reply about its document (UINT64_MAX: until
 * that one is written). */
static uint64_t tl_session__due(const tl_session *s, const tl_held *h) {
  for (size_t i = 0; i < s->taken.len; i++)
    if (s->taken.items[i].doc == h->doc) return UINT64_MAX;
  for (size_t i = 0; i < s->typing.len; i++)
    if (s->typing.items[i].doc == h->doc && s->typing.items[i].busy_ms > h->due_ms) return s->typing.items[i].busy_ms;
  return h->due_ms;
}

/* Hold the large reply out[at..] about `doc`? Then it has left the output. */
static bool tl_session__hold(tl_session *s, tl_doc *doc, json_t *id, size_t at) {
  const tl_typing *t = tl_session__typing(s, doc);
  if (!t || !t->behind || t->pace_ms > TL_SESSION_HOLD_GAP_MS || s->state != TL_STATE_RUNNING) return false;
  tl_held h = {{0}, NULL, doc, t->last_ms + t->pace_ms + TL_SESSION_HOLD_SLACK_MS};
  if (h.due_ms <= s->clock_ms) return false; /* the next change is overdue: the typing stopped */
  h.id = json_incref(id);
  if (at == 0) { /* the whole output: its storage moves */
    h.frame = s->out;
    memset(&s->out, 0, sizeof s->out);
  } else {
    gr_array_reserve(&h.frame, s->out.len - at);
    memcpy(h.frame.items, s->out.items + at, s->out.len - at);
    h.frame.len = s->out.len - at;
    s->out.len = at;
  }
  tl_log(s, TL_LOG_DEBUG, "held back a reply of %zu bytes: the client is behind", h.frame.len);
  gr_array_push(&s->held, h);
  return true;
}

/* The held replies that are due (all: every one) join the output, in order, still withdrawable. */
static void tl_session__release(tl_session *s, bool all) {
  size_t keep = 0;
  for (size_t i = 0; i < s->held.len; i++) {
    tl_held h = s->held.items[i];
    if (!all && tl_session__due(s, &h) > s->clock_ms) {
      s->held.items[keep++] = h;
      continue;
    }
    tl_unsent u = {s->out.len, h.frame.len, h.id, h.doc};
    if (s->out.len == 0) {
      gr_array_free(&s->out);
      s->out = h.frame;
    } else {
      gr_array_reserve(&s->out, h.frame.len);
      memcpy(s->out.items + s->out.len, h.frame.items, h.frame.len);
      s->out.len += h.frame.len;
      gr_array_free(&h.frame);
    }
    gr_array_push(&s->unsent, u);
  }
  s->held.len = keep;
}

void tl_session_written(tl_session *s, uint64_t now_ms) {
  s->clock_ms = now_ms;
  s->has_clock = true;
  tl_session__written(s);
}

void tl_session_release_held(tl_session *s) {
  if (s->held.len) tl_session__release(s, true);
}

void tl_session_set_clock(tl_session *s, uint64_t now_ms) {
  s->clock_ms = now_ms;
  s->has_clock = true;
  if (s->held.len) tl_session__release(s, false); /* past `shutdown` none is held (tl_session_turn) */
}

uint64_t tl_session_held_until(const tl_session *s) {
  uint64_t until = 0;
  for (size_t i = 0; i < s->held.len; i++) {
    uint64_t due = tl_session__due(s, &s->held.items[i]);
    if (until == 0 || due < until) until = due;
  }
  return until;
}

void tl_doc_changed(tl_session *s, tl_doc *doc) {
  tl_session__typed(s, doc);
  tl_session__unpark(s, doc, "the document changed before the request could be answered");
  tl_session__withdraw(s, doc, "the document changed before the answer was read");
  for (size_t i = 0; i < s->publish.len; i++)
    if (s->publish.items[i] == doc) return;
  gr_array_push(&s->publish, doc);
}

void tl_doc_forget(tl_session *s, tl_doc *doc) {
  tl_session__unpark(s, doc, "the document was closed before the request could be answered");
  tl_session__withdraw(s, doc, "the document was closed before the answer was read");
  tl_features_forget(s, doc);
  size_t kept = 0;
  for (size_t i = 0; i < s->typing.len; i++)
    if (s->typing.items[i].doc != doc) s->typing.items[kept++] = s->typing.items[i];
  s->typing.len = kept;
  kept = 0;
  for (size_t i = 0; i < s->taken.len; i++)
    if (s->taken.items[i].doc != doc) s->taken.items[kept++] = s->taken.items[i];
  s->taken.len = kept;
  size_t keep = 0;
  for (size_t i = 0; i < s->publish.len; i++)
    if (s->publish.items[i] != doc) s->publish.items[keep++] = s->publish.items[i];
  s->publish.len = keep;
}

/* ---- output ------------------------------------------------------------- */

static void tl_session__forget_unsent(tl_session *s) {
  for (size_t i = 0; i < s->unsent.len; i++) json_decref(s->unsent.items[i].id);
  s->unsent.len = 0;
}

void tl_session_unsent(tl_session *s, tl_doc *doc, json_t *id, size_t at) {
  if (!doc || !id || s->out.len - at < s->opts.stale_reply_bytes) return;
  if (tl_session__hold(s, doc, id, at)) return;
  tl_unsent u = {at, s->out.len - at, json_incref(id), doc};
  gr_array_push(&s->unsent, u);
}

size_t tl_session_take_output(tl_session *s, rpc_buf *out) {
  tl_session__written(s); /* the caller takes output only once its last write is out */
  for (size_t i = 0; i < s->unsent.len; i++) {
    tl_unsent u = {0, s->unsent.items[i].len, NULL, s->unsent.items[i].doc};
    gr_array_push(&s->taken, u);
  }
  tl_session__forget_unsent(s); /* on its way to the client: too late to withdraw */
  rpc_buf t = *out;
  *out = s->out;
  s->out = t;
  s->out.len = 0;
  return out->len;
}

size_t tl_session_pending_output(const tl_session *s) { return s->out.len; }

void tl_session_hold_output(tl_session *s, size_t bytes) {
  s->out_held = bytes;
  if (bytes == 0) tl_session__written(s);
}

void tl_send(tl_session *s, const json_t *msg) {
  if (s->state == TL_STATE_DONE) return;
  if (rpc_encode(msg, &s->out) != 0) tl_log(s, TL_LOG_ERROR, "could not encode a message");
}

void tl_reply(tl_session *s, json_t *id, json_t *result) {
  json_t *m = rpc_result(id, result);
  tl_send(s, m);
  json_decref(m);
}

void tl_reply_raw(tl_session *s, json_t *id, const char *result, size_t n) {
  if (s->state == TL_STATE_DONE) return;
  if (rpc_encode_raw_result(id, result, n, &s->out) != 0) tl_log(s, TL_LOG_ERROR, "could not encode a message");
}

void tl_reply_error(tl_session *s, json_t *id, int code, const char *message) {
  json_t *m = rpc_error(id, code, message, NULL);
  tl_send(s, m);
  json_decref(m);
}

void tl_notify(tl_session *s, const char *method, json_t *params) {
  json_t *m = rpc_notification(method, params);
  tl_send(s, m);
  json_decref(m);
}

void tl_request(tl_session *s, const char *method, json_t *params, tl_out_kind kind) {
  json_t *id = json_integer(++s->next_request_id);
  json_t *m = rpc_request(id, method, params);
  tl_send(s, m);
  json_decref(m);
  json_decref(id);
  if (s->pending.len == TL_MAX_PENDING) { /* a client that never answers: forget the oldest */
    tl_out_kind old = s->pending.items[0].kind;
    memmove(s->pending.items, s->pending.items + 1, (s->pending.len - 1) * sizeof *s->pending.items);
    s->pending.len--;
    tl_ws_unanswered(s, old);
  }
  tl_pending p = {s->next_request_id, kind};
  gr_array_push(&s->pending, p);
}

void tl_session_answer(tl_session *s, const rpc_msg *msg) {
  for (size_t i = 0; i < s->pending.len; i++) {
    if (!json_is_integer(msg->id) || json_integer_value(msg->id) != s->pending.items[i].id) continue;
    tl_out_kind kind = s->pending.items[i].kind;
    memmove(s->pending.items + i, s->pending.items + i + 1, (s->pending.len - i - 1) * sizeof *s->pending.items);
    s->pending.len--;
    tl_ws_answer(s, kind, msg);
    return;
  }
  tl_log(s, TL_LOG_DEBUG, "ignoring an answer to no request tmpl-ls is waiting for");
}

static const char *const tl__level_names[] = {"error", "warn", "info", "debug"};

static void tl__vlog(const tl_session *s, tl_log_level level, const char *fmt, va_list ap) {
  if (level > s->opts.log_level) return;
  fprintf(stderr, "tmpl-ls: %s: ", tl__level_names[level]);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

void tl_log(const tl_session *s, tl_log_level level, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  tl__vlog(s, level, fmt, ap);
  va_end(ap);
}

void tl_log_client(tl_session *s, int type, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  static const tl_log_level levels[] = {TL_LOG_ERROR, TL_LOG_ERROR, TL_LOG_WARN, TL_LOG_INFO, TL_LOG_DEBUG};
  tl_log(s, levels[type >= 1 && type <= 4 ? type : 4], "%s", buf);
  json_t *text = json_string(buf);
  if (!text) { /* cut inside a UTF-8 sequence, or not UTF-8: keep what is ASCII */
    for (char *p = buf; *p; p++)
      if ((unsigned char)*p >= 0x80) *p = '?';
    text = json_string(buf);
  }
  json_t *params = json_object();
  json_object_set_new(params, "type", json_integer(type));
  json_object_set_new(params, "message", text);
  tl_notify(s, "window/logMessage", params);
}

/* ---- JSON helpers ------------------------------------------------------- */

json_t *tl_json_object(const json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  return json_is_object(v) ? v : NULL;
}

json_t *tl_client_cap(const tl_session *s, const char *path) {
  json_t *v = s->client_caps;
  char key[64];
  while (v && *path) {
    size_t n = strcspn(path, ".");
    if (n >= sizeof key) return NULL;
    memcpy(key, path, n);
    key[n] = '\0';
    v = json_is_object(v) ? json_object_get(v, key) : NULL;
    path += n + (path[n] == '.');
  }
  return v;
}

const char *tl_json_string(const json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v)) return NULL;
  return json_string_value(v);
}

int tl_json_int(const json_t *obj, const char *key, int64_t *out) {
  json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v)) return -1;
  *out = (int64_t)json_integer_value(v);
  return 0;
}
