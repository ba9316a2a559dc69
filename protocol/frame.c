/*
 * frame.c: the resumable LSP framer (see frame.h for what it promises).
 *
 * A state machine over the byte stream, in the manner of redis's request
 * parser: a buffer for the part of a frame seen so far and a state saying
 * what the next byte means. Header bytes are handled one at a time (header
 * blocks are a few dozen bytes); body bytes are copied in bulk, or not at
 * all when a whole body lies inside the chunk being fed.
 */
#include "protocol/frame.h"

#include <stdbool.h>
#include <string.h>

#include "grammar/alloc.h"

typedef enum frame__state {
  ST_HEADER = 0,  /* collecting a header block */
  ST_SKIP_HEADER, /* dropping an oversized header block up to a blank line */
  ST_BODY,        /* collecting `want` body bytes */
  ST_SKIP_BODY    /* skipping `want` body bytes */
} frame__state;

/* A buffer kept small between frames: big ones are given back. */
#define FRAME__KEEP_BYTES ((size_t)1 << 20)

struct rpc_frame {
  size_t max_body, max_header;
  frame__state state;

  GR_ARRAY(char) hdr; /* the header block so far */
  size_t line_start;  /* where the current header line starts in hdr */
  size_t line_len;    /* bytes in the current line (header or skipped) */
  bool line_cr;       /* the current line's last byte is '\r' */

  GR_ARRAY(char) body;
  size_t want; /* body bytes still to skip (ST_SKIP_BODY) or in all (ST_BODY) */

  uint64_t pos;       /* stream offset of the next byte */
  uint64_t frame_off; /* where the current frame started */
  uint64_t body_off;  /* where the current body started */
  bool frame_replay;  /* the current frame started in replayed bytes */

  /* The tail of a rejected body, to be read again as stream bytes. */
  GR_ARRAY(char) replay;
  uint64_t replay_off;
  bool in_replay;

  rpc_frame_cb cb;
  void *ud;
};

/* ---- errors ------------------------------------------------------------- */

const char *rpc_frame_error_name(int err) {
  switch (err) {
#define RPC_FRAME__XX(id, val, name, text) \
  case val: return name;
    RPC_FRAME_ERRORS(RPC_FRAME__XX)
#undef RPC_FRAME__XX
    default: return "unknown";
  }
}

const char *rpc_frame_strerror(int err) {
  switch (err) {
#define RPC_FRAME__XX(id, val, name, text) \
  case val: return text;
    RPC_FRAME_ERRORS(RPC_FRAME__XX)
#undef RPC_FRAME__XX
    default: return "unknown";
  }
}

/* ---- lifetime ----------------------------------------------------------- */

rpc_frame *rpc_frame_new(const rpc_frame_limits *limits) {
  rpc_frame *f = gr_calloc(1, sizeof *f);
  f->max_body = limits && limits->max_body ? limits->max_body : RPC_FRAME_DEFAULT_MAX_BODY;
  f->max_header = limits && limits->max_header ? limits->max_header : RPC_FRAME_DEFAULT_MAX_HEADER;
  if (f->max_header < 32) f->max_header = 32;
  return f;
}

void rpc_frame_free(rpc_frame *f) {
  if (!f) return;
  gr_array_free(&f->hdr);
  gr_array_free(&f->body);
  gr_array_free(&f->replay);
  gr_free(f);
}

size_t rpc_frame_buffered(const rpc_frame *f) { return f->hdr.len + f->body.len + f->replay.len; }

/* ---- helpers ------------------------------------------------------------ */

static void frame__error(rpc_frame *f, int err, size_t len, uint64_t off) {
  rpc_frame_event ev = {RPC_FRAME_ERROR, err, NULL, len, off};
  f->cb(f->ud, &ev);
}

static char frame__lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

static bool frame__ieq(const char *s, size_t n, const char *lit) {
  size_t m = strlen(lit);
  if (n != m) return false;
  for (size_t i = 0; i < n; i++)
    if (frame__lower(s[i]) != lit[i]) return false;
  return true;
}

/* Offset of the first "content-length:" (any case) in s[0..n), or n. */
static size_t frame__find_length(const char *s, size_t n) {
  static const char key[] = "content-length:";
  const size_t k = sizeof key - 1;
  for (size_t i = 0; i + k <= n; i++) {
    if (frame__lower(s[i]) != 'c') continue;
    size_t j = 1;
    while (j < k && frame__lower(s[i + j]) == key[j]) j++;
    if (j == k) return i;
  }
  return n;
}

/* RFC 7230 token characters: what a header name may hold. */
static bool frame__tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  return c != 0 && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static void frame__trim(const char **s, size_t *n) {
  while (*n && (**s == ' ' || **s == '\t')) (*s)++, (*n)--;
  while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t')) (*n)--;
}

/* A decimal Content-Length value; -1 when it is not one. */
static int frame__parse_length(const char *s, size_t n, uint64_t *out) {
  frame__trim(&s, &n);
  if (n == 0 || n > 19) return -1; /* 19 digits always fit in uint64_t */
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  *out = v;
  return 0;
}

/* ---- header blocks ------------------------------------------------------ */

/*
 * The header block in f->hdr is complete (it ends with its blank line).
 * Decide what comes next: a body, a skipped body, or more header.
 */
static void frame__end_header(rpc_frame *f, uint64_t body_off) {
  const char *b = f->hdr.items;
  size_t n = f->hdr.len;
  size_t garbage = 0;  /* bytes before the frame proper */
  bool have_len = false, bad_len = false, bad_line = false;
  uint64_t length = 0;

  size_t s = 0;
  while (s < n) {
    const char *nl = memchr(b + s, '\n', n - s);
    size_t e = nl ? (size_t)(nl - b) : n; /* line is b[s..e) */
    size_t le = e;
    if (le > s && b[le - 1] == '\r') le--;
    if (le == s) break; /* the blank line */

    const char *line = b + s;
    size_t len = le - s;
    const char *colon = memchr(line, ':', len);
    bool valid = colon && colon > line;
    for (const char *p = line; valid && p < colon; p++) valid = frame__tchar((unsigned char)*p);

    if (!valid) {
      size_t at = frame__find_length(line, len);
      if (have_len || bad_len) {
        bad_line = true;
      } else if (at < len) {
        /* Garbage glued in front of the frame: the frame starts here. */
        garbage = s + at;
        s += at;
        continue;
      } else {
        garbage = e + 1 < n ? e + 1 : n;
      }
    } else {
      const char *value = colon + 1;
      size_t vlen = (size_t)(line + len - value);
      if (frame__ieq(line, (size_t)(colon - line), "content-length")) {
        uint64_t v;
        if (frame__parse_length(value, vlen, &v) != 0 || (have_len && v != length)) {
          bad_len = true;
        } else {
          have_len = true;
          length = v;
        }
      }
      /* Content-Type and unknown headers are accepted as they are. */
    }
    s = e + 1;
  }

  uint64_t frame_off = f->frame_off + garbage;
  f->hdr.len = 0;
  f->line_start = 0;
  if (bad_len || !have_len) {
    frame__error(f, bad_len ? RPC_FRAME_E_BAD_LENGTH : RPC_FRAME_E_NO_LENGTH, n, f->frame_off);
    f->state = ST_HEADER;
    return;
  }
  if (garbage) frame__error(f, RPC_FRAME_E_GARBAGE, garbage, f->frame_off);
  f->frame_off = frame_off;
  f->body_off = body_off;
  if (bad_line || length > f->max_body) {
    frame__error(f, bad_line ? RPC_FRAME_E_BAD_HEADER : RPC_FRAME_E_BODY_TOO_LARGE,
                 length > SIZE_MAX ? SIZE_MAX : (size_t)length, frame_off);
    f->state = length ? ST_SKIP_BODY : ST_HEADER;
    f->want = (size_t)length;
    return;
  }
  f->state = ST_BODY;
  f->want = (size_t)length;
}

static size_t frame__header(rpc_frame *f, const char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    char c = p[i];
    if (f->hdr.len == 0) {
      f->frame_off = f->pos + i;
      f->frame_replay = f->in_replay;
    }
    if (f->hdr.len >= f->max_header) {
      /* Too long to be a header block: drop it up to the next blank line.
       * The current line's state carries over into the skip. */
      frame__error(f, RPC_FRAME_E_HEADER_TOO_LARGE, f->hdr.len, f->frame_off);
      f->hdr.len = 0;
      f->line_start = 0;
      f->state = ST_SKIP_HEADER;
      return i;
    }
    gr_array_push(&f->hdr, c);
    i++;
    if (c != '\n') {
      f->line_len++;
      f->line_cr = c == '\r';
      continue;
    }
    bool blank = f->line_len == 0 || (f->line_len == 1 && f->line_cr);
    f->line_len = 0;
    f->line_cr = false;
    if (!blank) {
      f->line_start = f->hdr.len;
    } else if (f->line_start == 0) {
      f->hdr.len = 0; /* blank lines between frames are not a frame */
    } else {
      frame__end_header(f, f->pos + i);
      return i;
    }
  }
  return i;
}

static size_t frame__skip_header(rpc_frame *f, const char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = p[i];
    if (c != '\n') {
      f->line_len++;
      f->line_cr = c == '\r';
      continue;
    }
    bool blank = f->line_len == 0 || (f->line_len == 1 && f->line_cr);
    f->line_len = 0;
    f->line_cr = false;
    if (blank) {
      f->state = ST_HEADER;
      return i + 1;
    }
  }
  return n;
}

/* ---- bodies ------------------------------------------------------------- */

static void frame__deliver(rpc_frame *f, const char *body, size_t len) {
  rpc_frame_event ev = {RPC_FRAME_BODY, 0, body, len, f->frame_off};
  int verdict = f->cb(f->ud, &ev);
  f->state = ST_HEADER;
  if (verdict != RPC_FRAME_REJECT || f->frame_replay) return;
  /* A truncated frame's Content-Length swallowed what followed it: resume
   * at the first frame header inside the body. Bytes replayed once are
   * never replayed again, so the work stays linear. */
  size_t at = frame__find_length(body, len);
  if (at == len) return;
  f->replay.len = 0;
  gr_array_reserve(&f->replay, len - at);
  memcpy(f->replay.items, body + at, len - at);
  f->replay.len = len - at;
  f->replay_off = f->body_off + at;
}

static size_t frame__body(rpc_frame *f, const char *p, size_t n) {
  if (f->body.len == 0 && n >= f->want) {
    size_t len = f->want;
    frame__deliver(f, p, len);
    return len;
  }
  size_t need = f->want - f->body.len;
  size_t take = n < need ? n : need;
  if (f->body.cap < f->body.len + take) {
    size_t cap = f->body.cap ? f->body.cap * 2 : 256;
    if (cap < f->body.len + take) cap = f->body.len + take;
    if (cap > f->want) cap = f->want;
    f->body.items = gr_realloc(f->body.items, cap);
    f->body.cap = cap;
  }
  memcpy(f->body.items + f->body.len, p, take);
  f->body.len += take;
  if (f->body.len == f->want) {
    frame__deliver(f, f->body.items, f->body.len);
    f->body.len = 0;
    if (f->body.cap > FRAME__KEEP_BYTES) gr_array_free(&f->body);
  }
  return take;
}

static size_t frame__skip_body(rpc_frame *f, size_t n) {
  size_t take = n < f->want ? n : f->want;
  f->want -= take;
  if (f->want == 0) f->state = ST_HEADER;
  return take;
}

/* ---- driving ------------------------------------------------------------ */

static size_t frame__step(rpc_frame *f, const char *p, size_t n) {
  size_t used = 0;
  switch (f->state) {
    case ST_HEADER: used = frame__header(f, p, n); break;
    case ST_SKIP_HEADER: used = frame__skip_header(f, p, n); break;
    case ST_BODY: used = frame__body(f, p, n); break;
    case ST_SKIP_BODY: used = frame__skip_body(f, n); break;
  }
  f->pos += used;
  /* A body of length 0 is complete as soon as its header is. */
  if (f->state == ST_BODY && f->want == 0) frame__deliver(f, "", 0);
  if (f->hdr.cap > FRAME__KEEP_BYTES && f->hdr.len == 0) gr_array_free(&f->hdr);
  return used;
}

static void frame__run(rpc_frame *f, const char *p, size_t n);

static void frame__run_replay(rpc_frame *f) {
  /* Take the replay buffer so that the bytes stay put while they are read. */
  char *bytes = f->replay.items;
  size_t len = f->replay.len;
  uint64_t resume = f->pos;
  f->replay.items = NULL;
  f->replay.len = f->replay.cap = 0;
  f->in_replay = true;
  f->pos = f->replay_off;
  frame__run(f, bytes, len);
  f->in_replay = false;
  f->pos = resume;
  gr_free(bytes);
}

static void frame__run(rpc_frame *f, const char *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    i += frame__step(f, p + i, n - i);
    if (f->replay.len && !f->in_replay) frame__run_replay(f);
  }
}

void rpc_frame_feed(rpc_frame *f, const char *data, size_t len, rpc_frame_cb cb, void *ud) {
  f->cb = cb;
  f->ud = ud;
  frame__run(f, data, len);
}

void rpc_frame_finish(rpc_frame *f, rpc_frame_cb cb, void *ud) {
  f->cb = cb;
  f->ud = ud;
  bool started = false;
  switch (f->state) {
    case ST_HEADER:
      for (size_t i = 0; i < f->hdr.len && !started; i++)
        started = f->hdr.items[i] != '\r' && f->hdr.items[i] != '\n';
      break;
    case ST_BODY:
    case ST_SKIP_BODY: started = true; break;
    case ST_SKIP_HEADER: break; /* already reported */
  }
  if (started) frame__error(f, RPC_FRAME_E_TRUNCATED, (size_t)(f->pos - f->frame_off), f->frame_off);
  f->state = ST_HEADER;
  f->hdr.len = f->body.len = 0;
  f->line_start = f->line_len = 0;
  f->line_cr = false;
  f->want = 0;
}
