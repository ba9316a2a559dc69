/*
 * server.c: tl_server_run, the libuv loop around a tl_session.
 *
 * stdin and stdout are opened as what they are: a pipe or socket (the usual
 * case, an editor's child process), a terminal, or a regular file (tests
 * and replays: `tmpl-ls < session.bin > out.bin`), which libuv cannot poll
 * and which is read and written through uv_fs requests instead.
 *
 * One turn of the loop: read callbacks only feed bytes to the session (a
 * $/cancelRequest of a reply held back answers it there); the
 * uv_check hook, which runs once after each poll, lets the session do its
 * work and then writes everything it produced in one write. A uv_check
 * handle does not make the poll return early, so an idle server sleeps.
 * When the pending output (replies held back included) passes
 * TL_MAX_PENDING_OUTPUT (a client that does not read), reading stops until
 * the writes drain. The session is told the loop's clock before each turn;
 * a large reply it holds back while the client is behind (session.h:
 * TL_SESSION_HOLD_GAP_MS) wakes the loop with a timer when it is due, and
 * the check after that poll sends it.
 *
 * Work the session does a slice per turn (tl_session_has_background: the
 * workspace's diagnostics) keeps a uv_idle handle started, so that the
 * poll does not sleep while some is left; it stops when there is none.
 *
 * Workspace scans run on libuv's thread pool. The session never waits for
 * them, and neither does the end: once the session is over and its output
 * written, a scan still out gets TL_EXIT_GRACE_MS, then the process exits
 * without it (a thread cannot be cancelled, and a file system can hang).
 * TMPL_LS_TEST_STALL_SCAN_MS, a test's fault injection, makes every scan
 * sleep that long first: a hanging file system on demand
 * (tests/server/test_exit_deadline.sh).
 */
#ifdef __linux__
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#endif
#include "server/lsp/server.h"

#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#include "grammar/alloc.h"
#include "server/lsp/session.h"

#define TL_READ_CHUNK ((size_t)64 << 10)            /* bytes per read */
#define TL_MAX_PENDING_OUTPUT TL_SESSION_MAX_OUTPUT /* output waiting for the client before reads stop */
#define TL_KEEP_WRITE_BUFFER ((size_t)1 << 20)    /* a written buffer larger than this is freed */
#define TL_EXIT_GRACE_MS 1000                       /* a scan still running at the end: how long it may finish */
#define TL_PIPE_SIZE (1 << 20)                      /* what a pipe to or from the client is asked to hold */

typedef enum tl_io_kind { TL_IO_NONE = 0, TL_IO_STREAM, TL_IO_FILE } tl_io_kind;

typedef struct tl_io {
  tl_io_kind kind;
  union {
    uv_handle_t handle;
    uv_stream_t stream;
    uv_pipe_t pipe;
    uv_tty_t tty;
    uv_tcp_t tcp;
  } h;
  bool has_handle; /* h was initialised: it must be closed */
  uv_fs_t req;     /* TL_IO_FILE: the read or write in flight */
  uv_file fd;
} tl_io;

typedef struct tl_server {
  uv_loop_t loop;
  tl_session *session;
  tl_log_level log_level;
  tl_io in, out;
  uv_check_t check;
  uv_idle_t idle;     /* started while the session has background work */
  bool idle_open, idle_on;
  uv_timer_t grace;   /* started at the end while jobs are out */
  bool grace_open;
  uv_timer_t hold;    /* started while the session holds a reply back (tl_session_held_until) */
  bool hold_open, hold_due; /* due: its timer fired, the check has not run since */
  unsigned stall_ms;  /* TMPL_LS_TEST_STALL_SCAN_MS; set before the first job, then only read */
  size_t jobs_out;    /* jobs on the thread pool */
  uv_write_t write_req;
  rpc_buf writing;    /* the bytes of the write in flight */
  bool write_busy;
  bool read_busy;     /* TL_IO_FILE: a read in flight */
  bool reading;       /* TL_IO_STREAM: uv_read_start is in effect */
  bool in_ended;      /* end of input (or a read error) was seen */
  bool out_broken;    /* a write failed: the client is gone */
  bool closing;
  bool check_open;    /* the check handle was initialised */
  char read_buf[TL_READ_CHUNK];
} tl_server;

static void tl_server__log(const tl_server *sv, tl_log_level level, const char *what, int err) {
  if (level <= sv->log_level) fprintf(stderr, "tmpl-ls: %s: %s\n", what, uv_strerror(err));
}

/* ---- opening stdio ------------------------------------------------------ */

/*
 * A pipe holds 64 KiB unless asked for more: a 10 MB template's outline
 * (6.4 MB of JSON) then crosses it in a hundred pieces, each a wake-up of
 * the client and of the server, and a didOpen of the text in as many. Ask
 * for TL_PIPE_SIZE (fs.pipe-max-size's default, the most an unprivileged
 * process may ask for; a per-user limit may refuse it). Not a pipe (a
 * socket: libuv's and Node's children, VS Code's and Neovim's servers,
 * get socket pairs, whose buffers are larger already), not Linux, or
 * refused: left as it is.
 */
static void tl_io__widen_pipe(uv_file fd) {
#if defined(__linux__) && defined(F_SETPIPE_SZ)
  int have = fcntl(fd, F_GETPIPE_SZ);
  if (have >= 0 && have < TL_PIPE_SIZE) (void)fcntl(fd, F_SETPIPE_SZ, TL_PIPE_SIZE);
#else
  (void)fd;
#endif
}

static int tl_io__open(tl_server *sv, tl_io *io, uv_file fd, bool readable) {
  int rc;
  io->fd = fd;
  switch (uv_guess_handle(fd)) {
    case UV_TTY:
      rc = uv_tty_init(&sv->loop, &io->h.tty, fd, readable);
      io->has_handle = rc == 0;
      break;
    case UV_NAMED_PIPE:
      rc = uv_pipe_init(&sv->loop, &io->h.pipe, 0);
      io->has_handle = rc == 0;
      if (rc == 0) rc = uv_pipe_open(&io->h.pipe, fd);
      if (rc == 0) tl_io__widen_pipe(fd);
      break;
    case UV_TCP:
      rc = uv_tcp_init(&sv->loop, &io->h.tcp);
      io->has_handle = rc == 0;
      if (rc == 0) rc = uv_tcp_open(&io->h.tcp, fd);
      break;
    case UV_FILE:
      io->kind = TL_IO_FILE;
      return 0;
    default:
      return UV_EINVAL;
  }
  if (rc == 0) {
    io->kind = TL_IO_STREAM;
    io->h.handle.data = sv;
  }
  return rc;
}

/* ---- closing ------------------------------------------------------------ */

static void tl_server__on_close(uv_handle_t *h) { (void)h; /* every handle lives in tl_server */ }

static void tl_server__on_grace(uv_timer_t *t) {
  tl_server *sv = t->data;
  int status = sv->out_broken ? 1 : tl_session_exit_status(sv->session);
  tl_server__log(sv, TL_LOG_WARN, "a workspace scan is still running; exiting without it", UV_ETIMEDOUT);
  _exit(status); /* its thread cannot be stopped, so the process cannot wait for it */
}

static void tl_server__close_all(tl_server *sv) {
  if (sv->closing) return;
  sv->closing = true;
  if (sv->jobs_out && uv_timer_init(&sv->loop, &sv->grace) == 0) {
    sv->grace_open = true;
    sv->grace.data = sv;
    uv_timer_start(&sv->grace, tl_server__on_grace, TL_EXIT_GRACE_MS, 0);
    uv_unref((uv_handle_t *)&sv->grace); /* only the jobs keep the loop */
  }
  if (sv->reading) uv_read_stop(&sv->in.h.stream);
  sv->reading = false;
  if (sv->in.has_handle) uv_close(&sv->in.h.handle, tl_server__on_close);
  if (sv->out.has_handle) uv_close(&sv->out.h.handle, tl_server__on_close);
  uv_close((uv_handle_t *)&sv->check, tl_server__on_close);
  if (sv->idle_open) uv_close((uv_handle_t *)&sv->idle, tl_server__on_close);
  if (sv->hold_open) uv_close((uv_handle_t *)&sv->hold, tl_server__on_close);
}

/* The session is over: close once the last write is out. */
static void tl_server__maybe_finish(tl_server *sv) {
  if (sv->closing) return;
  if (sv->out_broken || (tl_session_done(sv->session) && !sv->write_busy &&
                         tl_session_pending_output(sv->session) == 0))
    tl_server__close_all(sv);
}

/* ---- output ------------------------------------------------------------- */

static void tl_server__flush(tl_server *sv);
static void tl_server__update_reading(tl_server *sv);

static void tl_server__update_hold(tl_server *sv);

static void tl_server__wrote(tl_server *sv, int status) {
  sv->write_busy = false;
  sv->writing.len = 0;
  /* A large write's buffer goes, rather than waiting (a 10 MB template's outline holds 8 MB) */
  if (sv->writing.cap > TL_KEEP_WRITE_BUFFER) gr_array_free(&sv->writing);
  if (status < 0) {
    tl_server__log(sv, TL_LOG_ERROR, "writing to the client failed", status);
    sv->out_broken = true;
  } else {
    /* the time it was written: the client parses its large replies from now
     * on (a held reply that is due goes in the next check, after the input) */
    tl_session_written(sv->session, uv_now(&sv->loop));
    tl_server__flush(sv); /* output of turns that ran while this write was out */
  }
  tl_server__maybe_finish(sv);
  tl_server__update_reading(sv);
  tl_server__update_hold(sv);
}

static void tl_server__on_write(uv_write_t *req, int status) { tl_server__wrote(req->data, status); }

static void tl_server__on_fs_write(uv_fs_t *req) {
  tl_server *sv = req->data;
  ssize_t n = req->result;
  uv_fs_req_cleanup(req);
  if (n >= 0 && (size_t)n < sv->writing.len) {
    /* A short write to a file: send the rest. */
    memmove(sv->writing.items, sv->writing.items + n, sv->writing.len - (size_t)n);
    sv->writing.len -= (size_t)n;
    uv_buf_t buf = uv_buf_init(sv->writing.items, (unsigned)sv->writing.len);
    int rc = uv_fs_write(&sv->loop, &sv->out.req, sv->out.fd, &buf, 1, -1, tl_server__on_fs_write);
    sv->out.req.data = sv;
    if (rc == 0) return;
    n = rc;
  }
  tl_server__wrote(sv, n < 0 ? (int)n : 0);
}

static void tl_server__flush(tl_server *sv) {
  if (sv->write_busy || sv->out_broken || tl_session_pending_output(sv->session) == 0) return;
  tl_session_take_output(sv->session, &sv->writing);
  /* One write per turn; larger outputs are split only by the uv_buf_t limit. */
  uv_buf_t buf = uv_buf_init(sv->writing.items, (unsigned)sv->writing.len);
  int rc;
  if (sv->out.kind == TL_IO_STREAM) {
    sv->write_req.data = sv;
    rc = uv_write(&sv->write_req, &sv->out.h.stream, &buf, 1, tl_server__on_write);
  } else {
    rc = uv_fs_write(&sv->loop, &sv->out.req, sv->out.fd, &buf, 1, -1, tl_server__on_fs_write);
    sv->out.req.data = sv;
  }
  if (rc != 0) {
    tl_server__log(sv, TL_LOG_ERROR, "writing to the client failed", rc);
    sv->writing.len = 0;
    sv->out_broken = true;
    return;
  }
  sv->write_busy = true;
}

/* ---- input -------------------------------------------------------------- */

static void tl_server__ended(tl_server *sv, ssize_t err) {
  if (err != UV_EOF) tl_server__log(sv, TL_LOG_ERROR, "reading from the client failed", (int)err);
  sv->in_ended = true;
  if (sv->reading) uv_read_stop(&sv->in.h.stream);
  sv->reading = false;
  tl_session_eof(sv->session);
}

static void tl_server__on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
  tl_server *sv = h->data;
  (void)suggested;
  /* One buffer is enough: each read is consumed before the next one. */
  *buf = uv_buf_init(sv->read_buf, (unsigned)sizeof sv->read_buf);
}

static void tl_server__on_read(uv_stream_t *stream, ssize_t n, const uv_buf_t *buf) {
  tl_server *sv = stream->data;
  if (n > 0) tl_session_feed(sv->session, buf->base, (size_t)n);
  else if (n < 0) tl_server__ended(sv, n);
}

static void tl_server__read_file(tl_server *sv);

static void tl_server__on_fs_read(uv_fs_t *req) {
  tl_server *sv = req->data;
  ssize_t n = req->result;
  uv_fs_req_cleanup(req);
  sv->read_busy = false;
  if (n > 0) tl_session_feed(sv->session, sv->read_buf, (size_t)n);
  else tl_server__ended(sv, n == 0 ? UV_EOF : n);
  /* The check hook handles what was read; the next read starts from there
   * (tl_server__update_reading), so reads never outrun the session. */
}

static void tl_server__read_file(tl_server *sv) {
  uv_buf_t buf = uv_buf_init(sv->read_buf, (unsigned)sizeof sv->read_buf);
  int rc = uv_fs_read(&sv->loop, &sv->in.req, sv->in.fd, &buf, 1, -1, tl_server__on_fs_read);
  sv->in.req.data = sv;
  if (rc != 0) tl_server__ended(sv, rc);
  else sv->read_busy = true;
}

/* Read while there is input, the session is alive and the client keeps up. */
static void tl_server__update_reading(tl_server *sv) {
  size_t pending = sv->writing.len + tl_session_pending_output(sv->session) + tl_session_held_output(sv->session);
  bool want = !sv->in_ended && !sv->closing && !tl_session_done(sv->session) && pending < TL_MAX_PENDING_OUTPUT;
  if (sv->in.kind == TL_IO_STREAM) {
    if (want && !sv->reading) {
      int rc = uv_read_start(&sv->in.h.stream, tl_server__on_alloc, tl_server__on_read);
      if (rc != 0) tl_server__ended(sv, rc);
      else sv->reading = true;
    } else if (!want && sv->reading) {
      uv_read_stop(&sv->in.h.stream);
      sv->reading = false;
    }
  } else if (want && !sv->read_busy) {
    tl_server__read_file(sv);
  }
}

/* ---- blocking jobs (workspace scans) ------------------------------------ */

/*
 * A job the session hands out runs on libuv's thread pool and comes back
 * to the loop in its after-work callback; the session never blocks. A job
 * that returns after the session ended is dropped.
 */
typedef struct tl_server_job {
  uv_work_t req;
  tl_server *sv;
  tl_wsi_job *job;
} tl_server_job;

static void tl_server__job_work(uv_work_t *req) {
  tl_server_job *w = req->data;
  if (w->sv->stall_ms) uv_sleep(w->sv->stall_ms);
  tl_session_job_run(w->job);
}

static void tl_server__job_after(uv_work_t *req, int status) {
  tl_server_job *w = req->data;
  tl_server *sv = w->sv;
  sv->jobs_out--;
  if (status == 0 && !sv->closing && !tl_session_done(sv->session)) tl_session_job_done(sv->session, w->job);
  else tl_session_job_drop(w->job);
  gr_free(w);
  if (sv->grace_open && sv->jobs_out == 0) {
    uv_close((uv_handle_t *)&sv->grace, tl_server__on_close);
    sv->grace_open = false;
  }
}

static void tl_server__start_jobs(tl_server *sv) {
  tl_wsi_job *job;
  while ((job = tl_session_take_job(sv->session)) != NULL) {
    tl_server_job *w = gr_calloc(1, sizeof *w);
    w->sv = sv;
    w->job = job;
    w->req.data = w;
    int rc = uv_queue_work(&sv->loop, &w->req, tl_server__job_work, tl_server__job_after);
    if (rc == 0) sv->jobs_out++;
    if (rc != 0) {
      /* No thread pool: do it here rather than never. */
      tl_server__log(sv, TL_LOG_WARN, "cannot queue a workspace scan; scanning on the loop", rc);
      tl_session_job_run(job);
      tl_session_job_done(sv->session, job);
      gr_free(w);
    }
  }
}

/* ---- the turn ----------------------------------------------------------- */

static void tl_server__on_idle(uv_idle_t *idle) { (void)idle; /* only keeps the poll from sleeping */ }

/* Background work left, or a held reply due: don't sleep in the poll; none: sleep. */
static void tl_server__update_idle(tl_server *sv) {
  if (sv->closing || !sv->idle_open) return; /* closed with the rest (an active handle stops as it closes) */
  bool want = tl_session_has_background(sv->session) || sv->hold_due;
  if (want == sv->idle_on) return;
  if (want) uv_idle_start(&sv->idle, tl_server__on_idle);
  else uv_idle_stop(&sv->idle);
  sv->idle_on = want;
}

/* A held reply is due: the next poll must not sleep, so that the check after
 * it releases the reply once the input that came meanwhile is read (a change
 * that came in time still withdraws it). */
static void tl_server__on_hold(uv_timer_t *t) {
  tl_server *sv = t->data;
  sv->hold_due = true;
  tl_server__update_idle(sv);
}

/* Wake when the first reply the session holds back is due. */
static void tl_server__update_hold(tl_server *sv) {
  if (sv->closing || !sv->hold_open) return;
  uint64_t until = tl_session_held_until(sv->session), now = uv_now(&sv->loop);
  if (until == 0 || until == UINT64_MAX) uv_timer_stop(&sv->hold); /* none, or once a write is out (wrote) */
  else uv_timer_start(&sv->hold, tl_server__on_hold, until > now ? until - now : 0, 0);
}

static void tl_server__on_check(uv_check_t *check) {
  tl_server *sv = check->data;
  if (sv->closing) return;
  tl_session_hold_output(sv->session, sv->write_busy ? sv->writing.len : 0);
  tl_session_set_clock(sv->session, uv_now(&sv->loop)); /* the held replies that are due join the output */
  sv->hold_due = false; /* or the timer is started again below */
  if (tl_session_has_work(sv->session)) tl_session_turn(sv->session);
  tl_server__start_jobs(sv);
  tl_server__flush(sv);
  tl_server__maybe_finish(sv);
  tl_server__update_reading(sv);
  tl_server__update_idle(sv);
  tl_server__update_hold(sv);
}

/* ---- entry point -------------------------------------------------------- */

int tl_server_run(const tl_server_options *opts) {
  tl_server *sv = gr_calloc(1, sizeof *sv);
  tl_session_options so = {0};
  so.log_level = opts ? opts->log_level : TL_LOG_WARN;
  sv->log_level = so.log_level;
  int status = 1, rc;

  /* A client that goes away must not kill us with SIGPIPE mid-write: the
   * write fails with EPIPE instead and the loop ends. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &sa, NULL);

  if ((rc = uv_loop_init(&sv->loop)) != 0) {
    tl_server__log(sv, TL_LOG_ERROR, "cannot start the event loop", rc);
    gr_free(sv);
    return 1;
  }
  const char *stall = getenv("TMPL_LS_TEST_STALL_SCAN_MS");
  if (stall) sv->stall_ms = (unsigned)strtoul(stall, NULL, 10);
  sv->session = tl_session_new(&so);
  if ((rc = tl_io__open(sv, &sv->in, 0, true)) != 0) {
    tl_server__log(sv, TL_LOG_ERROR, "cannot read standard input", rc);
    goto out;
  }
  if ((rc = tl_io__open(sv, &sv->out, 1, false)) != 0) {
    tl_server__log(sv, TL_LOG_ERROR, "cannot write standard output", rc);
    goto out;
  }
  uv_check_init(&sv->loop, &sv->check);
  sv->check_open = true;
  sv->check.data = sv;
  uv_check_start(&sv->check, tl_server__on_check);
  uv_idle_init(&sv->loop, &sv->idle);
  sv->idle_open = true;
  uv_timer_init(&sv->loop, &sv->hold);
  sv->hold_open = true;
  sv->hold.data = sv;
  tl_server__update_reading(sv);

  uv_run(&sv->loop, UV_RUN_DEFAULT);
  status = sv->out_broken ? 1 : tl_session_exit_status(sv->session);

out:
  if (!sv->closing) {
    if (sv->in.has_handle) uv_close(&sv->in.h.handle, tl_server__on_close);
    if (sv->out.has_handle) uv_close(&sv->out.h.handle, tl_server__on_close);
    if (sv->check_open) uv_close((uv_handle_t *)&sv->check, tl_server__on_close);
    if (sv->idle_open) uv_close((uv_handle_t *)&sv->idle, tl_server__on_close);
    if (sv->hold_open) uv_close((uv_handle_t *)&sv->hold, tl_server__on_close);
  }
  uv_run(&sv->loop, UV_RUN_DEFAULT); /* close callbacks, and a file read still in flight */
  if ((rc = uv_loop_close(&sv->loop)) != 0) tl_server__log(sv, TL_LOG_ERROR, "event loop not closed", rc);
  tl_session_free(sv->session);
  gr_array_free(&sv->writing);
  gr_free(sv);
  return status;
}
