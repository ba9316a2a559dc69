/*
 * jsonrpc.c: JSON-RPC 2.0 parsing and message building (see jsonrpc.h).
 */
#include "protocol/jsonrpc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

const char *rpc_error_name(int code) {
  switch (code) {
#define RPC__XX(id, val, name) \
  case val: return name;
    RPC_ERROR_CODES(RPC__XX)
#undef RPC__XX
    default: return "UnknownErrorCode";
  }
}

/* ---- parsing ------------------------------------------------------------ */

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void rpc__invalid(rpc_msg *m, int code, const char *fmt, ...) {
  m->kind = RPC_INVALID;
  m->error_code = code;
  m->method = NULL;
  m->params = m->result = m->error = NULL;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m->error_message, sizeof m->error_message, fmt, ap);
  va_end(ap);
}

static int rpc__valid_id(const json_t *id) { return json_is_integer(id) || json_is_string(id); }

static int rpc__hex4(const char *p, size_t left, unsigned *out) {
  if (left < 4) return 0;
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = p[k];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (d < 0) return 0;
    v = v * 16 + (unsigned)d;
  }
  *out = v;
  return 1;
}

/*
 * What JSON allows and jansson refuses, made acceptable before parsing:
 * an escaped surrogate without its other half ("\ud83d", which editors
 * send when a text is cut inside an emoji) becomes "\ufffd", the same six
 * bytes; a byte sequence that is not UTF-8 becomes U+FFFD. Without this
 * the whole message, id included, would be lost. Returns a new buffer
 * (*out_len bytes), or NULL when the body needs nothing.
 */
static char *rpc__sanitize(const char *body, size_t len, size_t *out_len) {
  GR_ARRAY(char) out = {0};
  size_t copied = 0; /* body[0..copied) is in out */
#define RPC__FLUSH(upto)                                     \
  do {                                                       \
    gr_array_reserve(&out, (upto) - copied + 3);             \
    memcpy(out.items + out.len, body + copied, (upto) - copied); \
    out.len += (upto) - copied;                              \
  } while (0)
  for (size_t i = 0; i < len;) {
    unsigned char c = (unsigned char)body[i];
    if (c == '\\' && i + 1 < len) {
      unsigned u, v;
      if (body[i + 1] != 'u' || !rpc__hex4(body + i + 2, len - i - 2, &u)) {
        i += 2;
        continue;
      }
      if (u >= 0xD800 && u <= 0xDBFF && i + 11 < len && body[i + 6] == '\\' && body[i + 7] == 'u' &&
          rpc__hex4(body + i + 8, len - i - 8, &v) && v >= 0xDC00 && v <= 0xDFFF) {
        i += 12; /* a pair */
        continue;
      }
      if (u >= 0xD800 && u <= 0xDFFF) {
        RPC__FLUSH(i);
        memcpy(out.items + out.len, "\\uf", 3);
        out.len += 3;
        gr_array_reserve(&out, 3);
        memcpy(out.items + out.len, "ffd", 3);
        out.len += 3;
        copied = i + 6;
      }
      i += 6;
      continue;
    }
    if (c < 0x80) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t step = gr_utf8_decode(body, len, i, &cp);
    if (cp == 0xFFFD && step == 1) { /* not UTF-8 */
      RPC__FLUSH(i);
      memcpy(out.items + out.len, "\xEF\xBF\xBD", 3);
      out.len += 3;
      copied = i + 1;
    }
    i += step;
  }
  if (!out.items) return NULL;
  RPC__FLUSH(len);
#undef RPC__FLUSH
  *out_len = out.len;
  return out.items;
}

/* ---- long strings, decoded here --------------------------------------- */

/*
 * A didOpen carries the whole document as one JSON string, and jansson
 * reads strings a character at a time through its stream layer: 26 ms of
 * a 1 MB template's 36 ms from didOpen to its diagnostics, 198 ms at
 * 10 MB. So strings of RPC__BIG bytes or more (values, not keys) are
 * decoded here, in runs, exactly as rpc__sanitize and jansson would decode
 * them; jansson parses the rest of the message with each such string
 * replaced by a placeholder, which is then swapped for the decoded text.
 * A placeholder is "\u0000" + a per-message nonce + its index, which no
 * client can know. Anything jansson would refuse in a long string (a raw
 * control character, a bad escape) sends the whole message down the
 * jansson path, for jansson's own error.
 */
#define RPC__BIG 4096

typedef struct rpc__long {
  char *text;
  size_t len;
} rpc__long;

typedef GR_ARRAY(rpc__long) rpc__longs;

typedef GR_ARRAY(char) rpc__chars;

static void rpc__put_utf8(rpc__chars *o, uint32_t cp) {
  gr_array_reserve(o, 4);
  o->len += gr_utf8_encode(cp, o->items + o->len);
}

/* The JSON string p[0..n) (between its quotes) decoded; -1 if jansson would refuse it. */
static int rpc__decode(const char *p, size_t n, rpc__long *out) {
  rpc__chars o = {0};
  gr_array_reserve(&o, n + 1);
  for (size_t i = 0; i < n;) {
    size_t j = i;
    /* eight bytes at a time while none is a control, a backslash or past ASCII */
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (j + 8 <= n) {
      uint64_t x, b;
      memcpy(&x, p + j, 8);
      b = x ^ (ones * '\\');
      if (((x - ones * 0x20) | x | ((b - ones) & ~b)) & highs) break;
      j += 8;
    }
    while (j < n && (unsigned char)p[j] >= 0x20 && (unsigned char)p[j] < 0x80 && p[j] != '\\') j++;
    memcpy(o.items + o.len, p + i, j - i); /* a run: never more than reserved (escapes shrink) */
    o.len += j - i;
    gr_array_reserve(&o, n - j + 4);
    i = j;
    if (i >= n) break;
    unsigned char c = (unsigned char)p[i];
    if (c < 0x20) goto refuse; /* jansson: a control character in a string */
    if (c >= 0x80) {
      uint32_t cp;
      size_t step = gr_utf8_decode(p, n, i, &cp);
      if (cp == 0xFFFD && step == 1) rpc__put_utf8(&o, 0xFFFD); /* rpc__sanitize's U+FFFD */
      else memcpy(o.items + o.len, p + i, step), o.len += step;
      i += step;
      continue;
    }
    /* an escape */
    if (i + 1 >= n) goto refuse;
    char e = p[i + 1];
    const char *simple = strchr("\"\\/bfnrt", e);
    if (e && simple) {
      o.items[o.len++] = "\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
      i += 2;
      continue;
    }
    unsigned u, v;
    if (e != 'u' || !rpc__hex4(p + i + 2, n - i - 2, &u)) goto refuse;
    if (u >= 0xD800 && u <= 0xDBFF && i + 11 < n && p[i + 6] == '\\' && p[i + 7] == 'u' &&
        rpc__hex4(p + i + 8, n - i - 8, &v) && v >= 0xDC00 && v <= 0xDFFF) {
      rpc__put_utf8(&o, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
      i += 12;
      continue;
    }
    rpc__put_utf8(&o, u >= 0xD800 && u <= 0xDFFF ? 0xFFFD : u); /* a lone half: U+FFFD */
    i += 6;
  }
  out->text = o.items;
  out->len = o.len;
  return 0;
refuse:
  gr_array_free(&o);
  return -1;
}

/* The placeholder of long string k: "\u0000" nonce ":" k, as JSON and as decoded. */
static int rpc__placeholder(char *buf, size_t cap, unsigned long long nonce, size_t k, int json) {
  return snprintf(buf, cap, "%s%016llx:%zu", json ? "\\u0000" : "", nonce, k);
}

/*
 * body with its long string values replaced by placeholders (NULL when it
 * has none, or when one is refused); their decoded texts into *longs.
 */
static char *rpc__cut_longs(const char *body, size_t len, unsigned long long nonce, rpc__longs *longs,
                            size_t *out_len) {
  rpc__chars rest = {0};
  size_t copied = 0;
  for (size_t i = 0; i < len; i++) {
    if (body[i] != '"') continue;
    /* its closing quote: the next '"' not escaped (an odd run of backslashes before it) */
    size_t j = i + 1;
    for (;;) {
      const char *q = memchr(body + j, '"', len - j);
      if (!q) break;
      j = (size_t)(q - body);
      size_t bs = 0;
      while (j - bs > i + 1 && body[j - bs - 1] == '\\') bs++;
      if (bs % 2 == 0) break;
      j++;
    }
    if (j >= len || body[j] != '"') break; /* no end: jansson says so */
    size_t k = j + 1;
    while (k < len && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r')) k++;
    if (j - i - 1 >= RPC__BIG && !(k < len && body[k] == ':')) {
      rpc__long l;
      if (rpc__decode(body + i + 1, j - i - 1, &l) != 0) goto refuse;
      gr_array_push(longs, l);
      char ph[64];
      int n = rpc__placeholder(ph, sizeof ph, nonce, longs->len - 1, 1);
      gr_array_reserve(&rest, (i + 1 - copied) + (size_t)n + 1);
      memcpy(rest.items + rest.len, body + copied, i + 1 - copied);
      rest.len += i + 1 - copied;
      memcpy(rest.items + rest.len, ph, (size_t)n);
      rest.len += (size_t)n;
      copied = j;
    }
    i = j;
  }
  if (!longs->len) return NULL;
  gr_array_reserve(&rest, len - copied);
  memcpy(rest.items + rest.len, body + copied, len - copied);
  rest.len += len - copied;
  *out_len = rest.len;
  return rest.items;
refuse:
  gr_array_free(&rest);
  return NULL;
}

static void rpc__free_longs(rpc__longs *longs) {
  for (size_t i = 0; i < longs->len; i++) gr_free(longs->items[i].text);
  gr_array_free(longs);
}

/* v, or the long string its placeholder stands for (a new reference either way); *hits counts swaps. */
static json_t *rpc__swap(json_t *v, const rpc__longs *longs, unsigned long long nonce, size_t *hits) {
  if (!json_is_string(v) || json_string_length(v) < 18 || json_string_value(v)[0] != '\0') return json_incref(v);
  char ph[64];
  const char *sv = json_string_value(v);
  for (size_t k = 0; k < longs->len; k++) {
    int n = rpc__placeholder(ph, sizeof ph, nonce, k, 0);
    if (json_string_length(v) == (size_t)n + 1 && memcmp(sv + 1, ph, (size_t)n) == 0) {
      (*hits)++;
      return json_stringn_nocheck(longs->items[k].text, longs->items[k].len);
    }
  }
  return json_incref(v);
}

static void rpc__fill(json_t *v, const rpc__longs *longs, unsigned long long nonce, size_t *hits, int depth) {
  if (depth > 2048) return; /* jansson's own nesting limit */
  if (json_is_object(v)) {
    for (void *it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
      json_t *x = json_object_iter_value(it);
      if (json_is_string(x)) json_object_iter_set_new(v, it, rpc__swap(x, longs, nonce, hits));
      else rpc__fill(x, longs, nonce, hits, depth + 1);
    }
  } else if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v); i++) {
      json_t *x = json_array_get(v, i);
      if (json_is_string(x)) json_array_set_new(v, i, rpc__swap(x, longs, nonce, hits));
      else rpc__fill(x, longs, nonce, hits, depth + 1);
    }
  }
}

/* body as jansson reads it after rpc__sanitize; NULL with *err on a parse error. */
static json_t *rpc__jansson(const char *body, size_t len, json_error_t *err) {
  size_t fixed_len = 0;
  char *fixed = rpc__sanitize(body, len, &fixed_len);
  /* JSON_ALLOW_NUL: a document may hold U+0000; strings are read with their length.
   * JSON_DECODE_ANY: a body that is JSON but not an object is an invalid
   * request (-32600), not a parse error. */
  json_t *root = fixed ? json_loadb(fixed, fixed_len, JSON_ALLOW_NUL | JSON_DECODE_ANY, err)
                       : json_loadb(body, len, JSON_ALLOW_NUL | JSON_DECODE_ANY, err);
  gr_free(fixed);
  return root;
}

/* The message's JSON: long strings decoded here, the rest by rpc__jansson. */
static json_t *rpc__load(const char *body, size_t len, json_error_t *err) {
  /* the nonce: this message's address and a counter, mixed */
  static _Atomic unsigned long long counter; /* atomic: any thread may parse */
  unsigned long long nonce = (unsigned long long)(uintptr_t)body * 0x9E3779B97F4A7C15ull ^ ++counter * 0xBF58476D1CE4E5B9ull;
  rpc__longs longs = {0};
  size_t rest_len = 0;
  char *rest = len >= RPC__BIG ? rpc__cut_longs(body, len, nonce, &longs, &rest_len) : NULL;
  if (rest) {
    json_t *root = rpc__jansson(rest, rest_len, err);
    gr_free(rest);
    size_t hits = 0;
    if (root && json_is_string(root)) {
      json_t *r = rpc__swap(root, &longs, nonce, &hits);
      json_decref(root);
      root = r;
    } else if (root) {
      rpc__fill(root, &longs, nonce, &hits, 0);
    }
    bool all = hits == longs.len;
    rpc__free_longs(&longs);
    if (root && all) return root;
    json_decref(root); /* not what it seemed: jansson reads the whole message, for its error */
  }
  rpc__free_longs(&longs);
  return rpc__jansson(body, len, err);
}

void rpc_parse(const char *body, size_t len, rpc_msg *out) {
  memset(out, 0, sizeof *out);
  json_error_t err;
  json_t *root = rpc__load(body, len, &err);
  if (!root) {
    rpc__invalid(out, RPC_E_PARSE_ERROR, "Parse error: %s at byte %d", err.text, err.position);
    return;
  }
  out->root = root;
  if (!json_is_object(root)) {
    rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: %s",
                 json_is_array(root) ? "batches are not supported" : "a message is an object");
    return;
  }
  json_t *id = json_object_get(root, "id");
  if (id && rpc__valid_id(id)) out->id = id;

  json_t *version = json_object_get(root, "jsonrpc");
  if (!json_is_string(version) || strcmp(json_string_value(version), "2.0") != 0) {
    rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: \"jsonrpc\" must be \"2.0\"");
    return;
  }
  if (id && !rpc__valid_id(id)) {
    rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: \"id\" must be an integer or a string");
    return;
  }

  json_t *method = json_object_get(root, "method");
  if (method) {
    if (!json_is_string(method) || strlen(json_string_value(method)) != json_string_length(method)) {
      rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: \"method\" must be a string");
      return;
    }
    json_t *params = json_object_get(root, "params");
    /* "params": null is read as absent: eglot 1.9 sends it with shutdown and
     * exit, and JSON-RPC clients commonly do. */
    if (json_is_null(params)) params = NULL;
    if (params && !json_is_object(params) && !json_is_array(params)) {
      rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: \"params\" must be an object or an array");
      return;
    }
    out->kind = id ? RPC_REQUEST : RPC_NOTIFICATION;
    out->method = json_string_value(method);
    out->params = params;
    return;
  }

  json_t *result = json_object_get(root, "result");
  json_t *error = json_object_get(root, "error");
  if (!id || (!result) == (!error)) {
    rpc__invalid(out, RPC_E_INVALID_REQUEST,
                 "Invalid request: a message needs a \"method\", or an \"id\" and one of \"result\" or \"error\"");
    return;
  }
  if (error && (!json_is_object(error) || !json_is_integer(json_object_get(error, "code")))) {
    rpc__invalid(out, RPC_E_INVALID_REQUEST, "Invalid request: \"error\" must be an object with an integer \"code\"");
    return;
  }
  out->kind = RPC_RESPONSE;
  out->result = result;
  out->error = error;
}

void rpc_msg_clear(rpc_msg *msg) {
  json_decref(msg->root);
  memset(msg, 0, sizeof *msg);
}

int rpc_id_equal(const json_t *a, const json_t *b) {
  if (json_is_integer(a) && json_is_integer(b)) return json_integer_value(a) == json_integer_value(b);
  if (json_is_string(a) && json_is_string(b))
    return json_string_length(a) == json_string_length(b) &&
           memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
  return 0;
}

/* ---- building ----------------------------------------------------------- */

static json_t *rpc__base(json_t *id) {
  json_t *m = json_object();
  json_object_set_new(m, "jsonrpc", json_string("2.0"));
  json_object_set_new(m, "id", id ? json_incref(id) : json_null());
  return m;
}

json_t *rpc_result(json_t *id, json_t *result) {
  json_t *m = rpc__base(id);
  json_object_set_new(m, "result", result ? result : json_null());
  return m;
}

json_t *rpc_error(json_t *id, int code, const char *message, json_t *data) {
  json_t *m = rpc__base(id);
  json_t *e = json_object();
  json_object_set_new(e, "code", json_integer(code));
  json_object_set_new(e, "message", json_string(message ? message : rpc_error_name(code)));
  if (data) json_object_set_new(e, "data", data);
  json_object_set_new(m, "error", e);
  return m;
}

json_t *rpc_notification(const char *method, json_t *params) {
  json_t *m = json_object();
  json_object_set_new(m, "jsonrpc", json_string("2.0"));
  json_object_set_new(m, "method", json_string(method));
  if (params) json_object_set_new(m, "params", params);
  return m;
}

json_t *rpc_request(json_t *id, const char *method, json_t *params) {
  json_t *m = rpc__base(id);
  json_object_set_new(m, "method", json_string(method));
  if (params) json_object_set_new(m, "params", params);
  return m;
}

/* json_dump_callback's sink: appends to an rpc_buf. */
static int rpc__append(const char *buffer, size_t size, void *data) {
  rpc_buf *b = data;
  gr_array_reserve(b, size);
  memcpy(b->items + b->len, buffer, size);
  b->len += size;
  return 0;
}

/* Frame the body at out[at, out->len): the header goes in front of it. */
static void rpc__frame(rpc_buf *out, size_t at) {
  size_t n = out->len - at;
  char header[48];
  int h = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", n);
  gr_array_reserve(out, (size_t)h);
  memmove(out->items + at + h, out->items + at, n);
  memcpy(out->items + at, header, (size_t)h);
  out->len += (size_t)h;
}

int rpc_encode(const json_t *msg, rpc_buf *out) {
  /* One dump, straight into the buffer, then the header in front (a second
   * dump to learn the length first costs as much again for a large reply). */
  size_t at = out->len;
  if (json_dump_callback(msg, rpc__append, out, JSON_COMPACT) != 0 || out->len == at) {
    out->len = at;
    return -1;
  }
  rpc__frame(out, at);
  return 0;
}

int rpc_encode_raw_result(const json_t *id, const char *result, size_t n, rpc_buf *out) {
  /* The id first, on its own, so that the header can go before the body:
   * moving a 6.4 MB outline behind the header (rpc__frame) cost a
   * millisecond a reply. */
  rpc_buf idb = {0};
  if (json_dump_callback(id ? id : json_null(), rpc__append, &idb, JSON_COMPACT | JSON_ENCODE_ANY) != 0) {
    gr_array_free(&idb);
    return -1;
  }
  static const char pre[] = "{\"jsonrpc\":\"2.0\",\"id\":", mid[] = ",\"result\":";
  size_t body = sizeof pre - 1 + idb.len + sizeof mid - 1 + n + 1;
  char header[48];
  int h = snprintf(header, sizeof header, "Content-Length: %zu\r\n\r\n", body);
  gr_array_reserve(out, (size_t)h + body);
  rpc__append(header, (size_t)h, out);
  rpc__append(pre, sizeof pre - 1, out);
  rpc__append(idb.items, idb.len, out);
  rpc__append(mid, sizeof mid - 1, out);
  rpc__append(result, n, out);
  rpc__append("}", 1, out);
  gr_array_free(&idb);
  return 0;
}
