/*
 * transcript.c: drive the real tmpl-ls binary through LSP transcripts.
 *
 *   transcript SERVER FILE...
 *
 * For each FILE, a fresh SERVER is started with its stdin, stdout and
 * stderr on pipes; the file's lines are played in order; one line is
 * printed per file ("ok FILE" or "not ok FILE: what differed"), then
 * "transcripts: N passed, N failed". The exit status is 1 when any failed.
 * Each file has 10 seconds; a server that hangs fails its file only.
 *
 * The format (tests/transcripts/README.md says the same with examples):
 *
 *   # comment                      ignored, as are blank lines
 *   --> {"jsonrpc": "2.0", ...}    a message the client sends; the runner
 *                                  adds the Content-Length header
 *   --> raw "Content-Length: 9\r\n\r\n{"
 *                                  bytes sent as they are: a C string with
 *                                  \r \n \t \\ \" \xHH escapes
 *   <-- {"jsonrpc": "2.0", ...}    the next message the server must send
 *   <-- exit 0                     the server must exit by itself with this
 *                                  status, sending nothing more
 *   !close                         close the server's stdin
 *   !sleep 50                      wait 50 ms
 *
 * "${HERE}" anywhere in a line stands for the absolute path of the folder
 * holding the file (no trailing '/'), so that a transcript can name a
 * committed workspace: "rootUri": "file://${HERE}/ws". The file fails when
 * that path holds a byte that would need escaping in JSON or in a URI.
 *
 * A JSON value may go on over the following lines as long as they are
 * indented. Consecutive "-->" lines are sent in one write(), so the server
 * reads them together (a request and its $/cancelRequest, say).
 *
 * Expected messages match structurally: objects have exactly the expected
 * keys, arrays the expected elements in order, numbers compare by value.
 * Two escapes, for what is not deterministic: the string "*" matches any
 * value, and an object with the key "*" may have keys besides the others.
 * Every message the server sends must be expected, in order; at the end of
 * the file the runner closes stdin and fails on anything further.
 *
 * A sanitizer (or valgrind) report on the server's stderr fails the file too.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grammar/alloc.h"
#include "protocol/frame.h"
#include "protocol/jsonrpc.h"

/* A transcript's whole run, unless TL_TRANSCRIPT_TIMEOUT_MS says otherwise
 * (tests/run.sh valgrind: the server runs there 20-50 times slower). */
#define TR_TIMEOUT_MS 10000
#define TR_SHOW 600 /* characters of a message shown in a failure */

/* ---- steps -------------------------------------------------------------- */

typedef enum { TR_SEND, TR_EXPECT, TR_EXIT, TR_CLOSE, TR_SLEEP } tr_kind;

typedef struct tr_step {
  tr_kind kind;
  int line;
  GR_ARRAY(char) bytes; /* TR_SEND */
  json_t *expect;       /* TR_EXPECT */
  int value;            /* TR_EXIT: status; TR_SLEEP: ms */
} tr_step;

typedef GR_ARRAY(tr_step) tr_steps;

static void tr_steps_free(tr_steps *st) {
  for (size_t i = 0; i < st->len; i++) {
    gr_array_free(&st->items[i].bytes);
    json_decref(st->items[i].expect);
  }
  gr_array_free(st);
}

static void tr_append(tr_step *s, const char *p, size_t n) {
  gr_array_reserve(&s->bytes, n);
  memcpy(s->bytes.items + s->bytes.len, p, n);
  s->bytes.len += n;
}

/* A C-style quoted string at p into out; returns 0 or -1. */
static int tr_unquote(const char *p, tr_step *out) {
  while (*p == ' ' || *p == '\t') p++;
  if (*p++ != '"') return -1;
  for (; *p && *p != '"'; p++) {
    char c = *p;
    if (c == '\\') {
      switch (*++p) {
        case 'r': c = '\r'; break;
        case 'n': c = '\n'; break;
        case 't': c = '\t'; break;
        case '\\': c = '\\'; break;
        case '"': c = '"'; break;
        case '0': c = '\0'; break;
        case 'x': {
          unsigned v;
          if (sscanf(p + 1, "%2x", &v) != 1) return -1;
          c = (char)v;
          p += 2;
          break;
        }
        default: return -1;
      }
    }
    tr_append(out, &c, 1);
  }
  if (*p != '"') return -1;
  for (p++; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++) {}
  return *p ? -1 : 0;
}

/*
 * The absolute folder of `path` for ${HERE} (new string), or NULL when it
 * cannot be found or holds a byte other than [A-Za-z0-9/._~+-].
 */
static char *tr_here(const char *path) {
  char *real = realpath(path, NULL);
  if (!real) return NULL;
  char *slash = strrchr(real, '/');
  if (slash) *slash = '\0';
  for (const char *p = real; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("/._~+-", *p))) {
      free(real);
      return NULL;
    }
  return real;
}

/* Replace each "${HERE}" of *line (getline's buffer) with `here`. */
static void tr_subst(char **line, size_t *cap, ssize_t *n, const char *here) {
  static const char key[] = "${HERE}";
  const size_t klen = sizeof key - 1, hlen = strlen(here);
  char *p;
  size_t from = 0;
  while ((p = strstr(*line + from, key)) != NULL) {
    size_t at = (size_t)(p - *line), need = (size_t)*n - klen + hlen + 1;
    if (need > *cap) {
      *line = realloc(*line, need);
      if (!*line) abort();
      *cap = need;
    }
    memmove(*line + at + hlen, *line + at + klen, (size_t)*n - at - klen + 1);
    memcpy(*line + at, here, hlen);
    *n = (ssize_t)(*n - (ssize_t)klen + (ssize_t)hlen);
    from = at + hlen;
  }
}

/* Read FILE into steps. On error, *err gets a message and -1 is returned. */
static int tr_load(const char *path, tr_steps *steps, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    return -1;
  }
  char *here = tr_here(path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  int lineno = 0, rc = 0;
  GR_ARRAY(char) json = {0}; /* the JSON being gathered */
  int json_line = 0;
  char json_dir = 0; /* '>' send, '<' expect */

  for (;;) {
    n = getline(&line, &cap, f);
    lineno++;
    if (n > 0 && strstr(line, "${HERE}")) {
      if (!here) {
        snprintf(err, errlen, "line %d: ${HERE}: the folder's path is unknown or needs escaping", lineno);
        rc = -1;
        break;
      }
      tr_subst(&line, &cap, &n, here);
    }
    bool cont = n > 0 && (line[0] == ' ' || line[0] == '\t');
    if (json_dir && cont) {
      gr_array_reserve(&json, (size_t)n);
      memcpy(json.items + json.len, line, (size_t)n);
      json.len += (size_t)n;
      continue;
    }
    if (json_dir) { /* finish the pending JSON value */
      json_error_t je;
      json_t *v = json_loadb(json.items, json.len, 0, &je);
      if (!v) {
        snprintf(err, errlen, "line %d: bad JSON: %s", json_line, je.text);
        rc = -1;
        break;
      }
      if (json_dir == '>') {
        rpc_buf framed = {0};
        rpc_encode(v, &framed);
        if (!steps->len || steps->items[steps->len - 1].kind != TR_SEND) {
          tr_step s = {TR_SEND, json_line, {0}, NULL, 0};
          gr_array_push(steps, s);
        }
        tr_append(&steps->items[steps->len - 1], framed.items, framed.len);
        gr_array_free(&framed);
        json_decref(v);
      } else {
        tr_step s = {TR_EXPECT, json_line, {0}, v, 0};
        gr_array_push(steps, s);
      }
      json_dir = 0;
      json.len = 0;
    }
    if (n < 0) break;
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
    if (n == 0 || line[0] == '#') continue;
    if (cont) {
      snprintf(err, errlen, "line %d: an indented line that continues nothing", lineno);
      rc = -1;
      break;
    }
    if (strncmp(line, "--> raw ", 8) == 0) {
      if (!steps->len || steps->items[steps->len - 1].kind != TR_SEND) {
        tr_step s = {TR_SEND, lineno, {0}, NULL, 0};
        gr_array_push(steps, s);
      }
      if (tr_unquote(line + 8, &steps->items[steps->len - 1]) != 0) {
        snprintf(err, errlen, "line %d: bad raw string", lineno);
        rc = -1;
        break;
      }
    } else if (strncmp(line, "<-- exit ", 9) == 0) {
      tr_step s = {TR_EXIT, lineno, {0}, NULL, atoi(line + 9)};
      gr_array_push(steps, s);
    } else if (strncmp(line, "--> ", 4) == 0 || strncmp(line, "<-- ", 4) == 0) {
      json_dir = line[0] == '-' ? '>' : '<';
      json_line = lineno;
      gr_array_reserve(&json, (size_t)n);
      memcpy(json.items, line + 4, (size_t)n - 4);
      json.len = (size_t)n - 4;
    } else if (strcmp(line, "!close") == 0) {
      tr_step s = {TR_CLOSE, lineno, {0}, NULL, 0};
      gr_array_push(steps, s);
    } else if (strncmp(line, "!sleep ", 7) == 0) {
      tr_step s = {TR_SLEEP, lineno, {0}, NULL, atoi(line + 7)};
      gr_array_push(steps, s);
    } else {
      snprintf(err, errlen, "line %d: not a transcript line: %.60s", lineno, line);
      rc = -1;
      break;
    }
  }
  free(line);
  free(here);
  gr_array_free(&json);
  fclose(f);
  return rc;
}

/* ---- matching ----------------------------------------------------------- */

static char *tr_show(const json_t *v) {
  char *s = v ? json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
  if (!s) return strdup("(nothing)");
  if (strlen(s) > TR_SHOW) strcpy(s + TR_SHOW - 3, "...");
  return s;
}

typedef GR_ARRAY(char) tr_str;

static void tr_printf(tr_str *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  gr_array_reserve(s, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s->items + s->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  s->len += (size_t)n;
}

static bool tr_is_star(const json_t *v) { return json_is_string(v) && strcmp(json_string_value(v), "*") == 0; }

/* Does `got` match pattern `want`? On a mismatch, `where` says where and why. */
static bool tr_match(const json_t *want, const json_t *got, const char *path, tr_str *where) {
  if (tr_is_star(want)) {
    if (got) return true;
    tr_printf(where, "%s: missing", path);
    return false;
  }
  if (!got) {
    tr_printf(where, "%s: missing", path);
    return false;
  }
  if (json_is_number(want) && json_is_number(got)) {
    if (json_number_value(want) == json_number_value(got)) return true;
  } else if (json_is_object(want) && json_is_object(got)) {
    bool subset = json_object_get(want, "*") != NULL;
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)want, key, v) {
      if (strcmp(key, "*") == 0) continue;
      char sub[512];
      snprintf(sub, sizeof sub, "%s.%s", path, key);
      if (!tr_match(v, json_object_get(got, key), sub, where)) return false;
    }
    if (!subset) {
      json_object_foreach((json_t *)got, key, v) {
        if (!json_object_get(want, key)) {
          char *s = tr_show(v);
          tr_printf(where, "%s.%s: not expected, got %s", path, key, s);
          free(s);
          return false;
        }
      }
    }
    return true;
  } else if (json_is_array(want) && json_is_array(got)) {
    size_t nw = json_array_size(want), ng = json_array_size(got);
    for (size_t i = 0; i < nw && i < ng; i++) {
      char sub[512];
      snprintf(sub, sizeof sub, "%s[%zu]", path, i);
      if (!tr_match(json_array_get(want, i), json_array_get(got, i), sub, where)) return false;
    }
    if (nw == ng) return true;
    tr_printf(where, "%s: expected %zu elements, got %zu", path, nw, ng);
    return false;
  } else if (json_equal((json_t *)want, (json_t *)got)) {
    return true;
  }
  char *w = tr_show(want), *g = tr_show(got);
  tr_printf(where, "%s: expected %s, got %s", path, w, g);
  free(w);
  free(g);
  return false;
}

/* ---- the server process ------------------------------------------------- */

typedef struct tr_child {
  pid_t pid;
  int in, out, err; /* our ends; -1 once closed */
  bool reaped;
  int status;
  rpc_frame *frame;
  GR_ARRAY(json_t *) queue; /* messages received, not yet matched */
  size_t head;
  tr_str errbuf;   /* the server's stderr */
  tr_str problem;  /* a framing or JSON problem in the server's output */
  long long deadline;
} tr_child;

static long long tr_now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int tr_on_frame(void *ud, const rpc_frame_event *ev) {
  tr_child *c = ud;
  if (ev->kind == RPC_FRAME_ERROR) {
    if (!c->problem.len) tr_printf(&c->problem, "the server sent a bad frame: %s", rpc_frame_strerror(ev->error));
    return RPC_FRAME_ACCEPT;
  }
  json_error_t je;
  json_t *v = json_loadb(ev->body, ev->len, 0, &je);
  if (!v) {
    if (!c->problem.len) tr_printf(&c->problem, "the server sent a body that is not JSON: %s", je.text);
    return RPC_FRAME_ACCEPT;
  }
  gr_array_push(&c->queue, v);
  return RPC_FRAME_ACCEPT;
}

static int tr_spawn(tr_child *c, const char *server) {
  int pin[2], pout[2], perr[2];
  if (pipe(pin) != 0 || pipe(pout) != 0 || pipe(perr) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(pin[0], 0);
    dup2(pout[1], 1);
    dup2(perr[1], 2);
    close(pin[0]), close(pin[1]), close(pout[0]), close(pout[1]), close(perr[0]), close(perr[1]);
    execl(server, server, (char *)NULL);
    fprintf(stderr, "transcript: cannot run %s: %s\n", server, strerror(errno));
    _exit(127);
  }
  close(pin[0]), close(pout[1]), close(perr[1]);
  c->pid = pid;
  c->in = pin[1];
  c->out = pout[0];
  c->err = perr[0];
  fcntl(c->in, F_SETFL, fcntl(c->in, F_GETFL) | O_NONBLOCK);
  fcntl(c->in, F_SETFD, FD_CLOEXEC);
  fcntl(c->out, F_SETFD, FD_CLOEXEC);
  fcntl(c->err, F_SETFD, FD_CLOEXEC);
  c->frame = rpc_frame_new(NULL);
  return 0;
}

static void tr_close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

/*
 * One round of I/O: write what can be written of w[*off..len) (if w), read
 * what the server sent. Returns -1 when the deadline passed, 0 otherwise.
 */
static int tr_pump(tr_child *c, const char *w, size_t len, size_t *off) {
  struct pollfd fds[3];
  int n = 0, iw = -1, io = -1, ie = -1;
  if (w && *off < len && c->in >= 0) iw = n, fds[n++] = (struct pollfd){c->in, POLLOUT, 0};
  if (c->out >= 0) io = n, fds[n++] = (struct pollfd){c->out, POLLIN, 0};
  if (c->err >= 0) ie = n, fds[n++] = (struct pollfd){c->err, POLLIN, 0};
  long long left = c->deadline - tr_now_ms();
  if (left <= 0) return -1;
  if (n == 0) { /* nothing to wait on but the clock */
    struct timespec ts = {0, 5 * 1000000L};
    nanosleep(&ts, NULL);
    return 0;
  }
  int r = poll(fds, (nfds_t)n, (int)(left > 1000 ? 1000 : left));
  if (r < 0 && errno != EINTR) return -1;
  if (r <= 0) return 0;
  char buf[65536];
  if (iw >= 0 && (fds[iw].revents & (POLLOUT | POLLERR | POLLHUP))) {
    ssize_t k = write(c->in, w + *off, len - *off);
    if (k > 0) *off += (size_t)k;
    else if (k < 0 && errno != EAGAIN && errno != EINTR) *off = len; /* the server is gone */
  }
  if (io >= 0 && (fds[io].revents & (POLLIN | POLLHUP | POLLERR))) {
    ssize_t k = read(c->out, buf, sizeof buf);
    if (k > 0) rpc_frame_feed(c->frame, buf, (size_t)k, tr_on_frame, c);
    else if (k == 0 || (errno != EAGAIN && errno != EINTR)) tr_close_fd(&c->out);
  }
  if (ie >= 0 && (fds[ie].revents & (POLLIN | POLLHUP | POLLERR))) {
    ssize_t k = read(c->err, buf, sizeof buf);
    if (k > 0) {
      gr_array_reserve(&c->errbuf, (size_t)k + 1);
      memcpy(c->errbuf.items + c->errbuf.len, buf, (size_t)k);
      c->errbuf.len += (size_t)k;
      c->errbuf.items[c->errbuf.len] = '\0';
    } else if (k == 0 || (errno != EAGAIN && errno != EINTR)) {
      tr_close_fd(&c->err);
    }
  }
  return 0;
}

/* Wait for the server to exit (after its output ended). Returns -1 on timeout. */
static int tr_reap(tr_child *c) {
  while (!c->reaped) {
    pid_t r = waitpid(c->pid, &c->status, WNOHANG);
    if (r == c->pid) {
      c->reaped = true;
      break;
    }
    if (tr_pump(c, NULL, 0, NULL) != 0) return -1;
  }
  while (c->err >= 0) /* the rest of stderr */
    if (tr_pump(c, NULL, 0, NULL) != 0) break;
  return 0;
}

static void tr_kill(tr_child *c) {
  if (c->reaped) return;
  kill(c->pid, SIGKILL);
  waitpid(c->pid, &c->status, 0);
  c->reaped = true;
}

static void tr_child_free(tr_child *c) {
  tr_close_fd(&c->in);
  tr_close_fd(&c->out);
  tr_close_fd(&c->err);
  for (size_t i = c->head; i < c->queue.len; i++) json_decref(c->queue.items[i]);
  gr_array_free(&c->queue);
  gr_array_free(&c->errbuf);
  gr_array_free(&c->problem);
  rpc_frame_free(c->frame);
}

static void tr_describe_status(int status, char *buf, size_t n) {
  if (WIFEXITED(status)) snprintf(buf, n, "exit %d", WEXITSTATUS(status));
  else if (WIFSIGNALED(status)) snprintf(buf, n, "killed by signal %d", WTERMSIG(status));
  else snprintf(buf, n, "status %d", status);
}

/* The first line of a sanitizer or valgrind report in the server's stderr, or NULL. */
static const char *tr_sanitizer_report(const tr_str *err) {
  static const char *marks[] = {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                                "SUMMARY: UndefinedBehaviorSanitizer"};
  if (!err->len) return NULL;
  for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
    const char *p = strstr(err->items, marks[i]);
    if (p) return p;
  }
  /* valgrind -q: every line of a report starts "==PID== " */
  for (const char *p = err->items; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
    const char *q = p;
    if (q[0] != '=' || q[1] != '=') continue;
    q += 2;
    while (*q >= '0' && *q <= '9') q++;
    if (q > p + 2 && q[0] == '=' && q[1] == '=') return p;
  }
  return NULL;
}

/* ---- running one file --------------------------------------------------- */

/* Play the file; on failure, `why` says what went wrong. */
static bool tr_run_file(const char *server, const char *path, tr_str *why) {
  tr_steps steps = {0};
  char err[256];
  if (tr_load(path, &steps, err, sizeof err) != 0) {
    tr_printf(why, "%s", err);
    tr_steps_free(&steps);
    return false;
  }
  tr_child c;
  memset(&c, 0, sizeof c);
  c.in = c.out = c.err = -1;
  if (tr_spawn(&c, server) != 0) {
    tr_printf(why, "cannot start %s: %s", server, strerror(errno));
    tr_steps_free(&steps);
    return false;
  }
  const char *limit = getenv("TL_TRANSCRIPT_TIMEOUT_MS");
  long long timeout_ms = limit && atoll(limit) > 0 ? atoll(limit) : TR_TIMEOUT_MS;
  c.deadline = tr_now_ms() + timeout_ms;
  bool ok = true, exit_checked = false;

  for (size_t i = 0; i < steps.len && ok; i++) {
    tr_step *s = &steps.items[i];
    switch (s->kind) {
      case TR_SEND: {
        size_t off = 0;
        if (c.in < 0) {
          tr_printf(why, "line %d: stdin is closed already", s->line);
          ok = false;
          break;
        }
        while (off < s->bytes.len)
          if (tr_pump(&c, s->bytes.items, s->bytes.len, &off) != 0) {
            tr_printf(why, "line %d: timed out writing to the server", s->line);
            ok = false;
            break;
          }
        break;
      }
      case TR_EXPECT: {
        while (c.head == c.queue.len && c.out >= 0 && !c.problem.len)
          if (tr_pump(&c, NULL, 0, NULL) != 0) break;
        if (c.problem.len) {
          tr_printf(why, "line %d: %s", s->line, c.problem.items);
          ok = false;
        } else if (c.head == c.queue.len) {
          char *w = tr_show(s->expect);
          tr_printf(why, "line %d: %s waiting for %s", s->line,
                    c.out < 0 ? "the server closed its output" : "timed out", w);
          free(w);
          ok = false;
        } else {
          json_t *got = c.queue.items[c.head++];
          tr_str where = {0};
          if (!tr_match(s->expect, got, "$", &where)) {
            char *g = tr_show(got);
            tr_printf(why, "line %d: at %s; the message was %s", s->line, where.items, g);
            free(g);
            ok = false;
          }
          gr_array_free(&where);
          json_decref(got);
        }
        break;
      }
      case TR_EXIT:
      case TR_CLOSE:
        if (s->kind == TR_CLOSE) {
          tr_close_fd(&c.in);
          break;
        }
        exit_checked = true;
        while (c.out >= 0)
          if (tr_pump(&c, NULL, 0, NULL) != 0) break;
        if (c.head < c.queue.len) {
          char *g = tr_show(c.queue.items[c.head]);
          tr_printf(why, "line %d: expected the server to exit, got %s", s->line, g);
          free(g);
          ok = false;
        } else if (tr_reap(&c) != 0) {
          tr_printf(why, "line %d: timed out waiting for the server to exit", s->line);
          ok = false;
        } else if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != s->value) {
          char st[64];
          tr_describe_status(c.status, st, sizeof st);
          tr_printf(why, "line %d: expected exit %d, got %s", s->line, s->value, st);
          ok = false;
        }
        break;
      case TR_SLEEP: {
        long long until = tr_now_ms() + s->value;
        while (tr_now_ms() < until)
          if (tr_pump(&c, NULL, 0, NULL) != 0) break;
        break;
      }
    }
  }

  if (ok && !exit_checked) {
    /* End of the file: nothing more may come, and the server must go. */
    tr_close_fd(&c.in);
    while (c.out >= 0)
      if (tr_pump(&c, NULL, 0, NULL) != 0) break;
    if (c.head < c.queue.len) {
      char *g = tr_show(c.queue.items[c.head]);
      tr_printf(why, "after the last line: unexpected message %s", g);
      free(g);
      ok = false;
    } else if (c.problem.len) {
      tr_printf(why, "after the last line: %s", c.problem.items);
      ok = false;
    } else if (tr_reap(&c) != 0) {
      tr_printf(why, "the server did not exit after its input closed");
      ok = false;
    }
  }
  if (!c.reaped) {
    tr_close_fd(&c.in);
    if (tr_reap(&c) != 0) tr_kill(&c);
  }
  const char *report = tr_sanitizer_report(&c.errbuf);
  if (report) {
    if (why->len) tr_printf(why, "; ");
    tr_printf(why, "sanitizer: %.300s", report);
    ok = false;
  }
  if (!ok && c.errbuf.len && !report) {
    /* The server's last words help: show the end of its stderr. */
    const char *tail = c.errbuf.len > 300 ? c.errbuf.items + c.errbuf.len - 300 : c.errbuf.items;
    tr_printf(why, " [stderr: %s]", tail);
  }
  tr_child_free(&c);
  tr_steps_free(&steps);
  return ok;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: transcript SERVER FILE...\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  int passed = 0, failed = 0;
  for (int i = 2; i < argc; i++) {
    tr_str why = {0};
    if (tr_run_file(argv[1], argv[i], &why)) {
      printf("ok %s\n", argv[i]);
      passed++;
    } else {
      for (size_t k = 0; k < why.len; k++)
        if (why.items[k] == '\n' || why.items[k] == '\r') why.items[k] = ' ';
      printf("not ok %s: %s\n", argv[i], why.len ? why.items : "failed");
      failed++;
    }
    fflush(stdout);
    gr_array_free(&why);
  }
  printf("transcripts: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
