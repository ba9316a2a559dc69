/*
 * jsonw.c: JSON text into a buffer (see jsonw.h).
 */
#include "protocol/jsonw.h"

#include <stdint.h>
#include <string.h>

void jw_raw(rpc_buf *b, const char *s, size_t n) {
  gr_array_reserve(b, n);
  memcpy(b->items + b->len, s, n);
  b->len += n;
}

void jw_lit(rpc_buf *b, const char *s) { jw_raw(b, s, strlen(s)); }

/* The length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF). */
static size_t jw__utf8(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len = c < 0xC2 ? 0 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : c < 0xF5 ? 4 : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (c == 0xE0 && s[1] < 0xA0) return 0; /* overlong */
  if (c == 0xED && s[1] > 0x9F) return 0; /* surrogate */
  if (c == 0xF0 && s[1] < 0x90) return 0; /* overlong */
  if (c == 0xF4 && s[1] > 0x8F) return 0; /* past U+10FFFF */
  return len;
}

bool jw_utf8_valid(const char *s, size_t n) {
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    if (u[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = jw__utf8(u + i, n - i);
    if (!k) return false;
    i += k;
  }
  return true;
}

void jw_str(rpc_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *u = (const unsigned char *)s;
  gr_array_reserve(b, n + 2);
  b->items[b->len++] = '"';
  size_t run = 0; /* bytes at u[i - run, i) to copy as they are */
  for (size_t i = 0; i < n;) {
    unsigned c = u[i];
    size_t k = c < 0x80 ? 1 : jw__utf8(u + i, n - i);
    if (k && c >= 0x20 && c != '"' && c != '\\') {
      i += k, run += k;
      continue;
    }
    jw_raw(b, (const char *)u + i - run, run);
    run = 0;
    char esc[8];
    size_t el = 2;
    esc[0] = '\\';
    if (!k) { /* not UTF-8: U+FFFD */
      jw_raw(b, "\xEF\xBF\xBD", 3);
      i++;
      continue;
    }
    switch (c) {
      case '"': esc[1] = '"'; break;
      case '\\': esc[1] = '\\'; break;
      case '\n': esc[1] = 'n'; break;
      case '\r': esc[1] = 'r'; break;
      case '\t': esc[1] = 't'; break;
      case '\b': esc[1] = 'b'; break;
      case '\f': esc[1] = 'f'; break;
      default:
        memcpy(esc + 1, "u00", 3);
        esc[4] = hex[c >> 4];
        esc[5] = hex[c & 15];
        el = 6;
    }
    jw_raw(b, esc, el);
    i++;
  }
  jw_raw(b, (const char *)u + n - run, run);
  jw_raw(b, "\"", 1);
}

void jw_int(rpc_buf *b, long long v) {
  /* by hand: snprintf's format parsing was a tenth of an outline's time */
  char tmp[24];
  size_t i = sizeof tmp;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do tmp[--i] = (char)('0' + u % 10); while (u /= 10);
  if (v < 0) tmp[--i] = '-';
  jw_raw(b, tmp + i, sizeof tmp - i);
}

static void jw__pos(rpc_buf *b, gr_pos p) {
  jw_lit(b, "{\"line\":");
  jw_int(b, p.line);
  jw_lit(b, ",\"character\":");
  jw_int(b, p.col);
  jw_raw(b, "}", 1);
}

/* s[0..n) (a literal, n its length) at o; returns the end */
#define JW__PUT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) + sizeof(s) - 1)

/* v in decimal at o; returns the end */
static char *jw__u32(char *o, uint32_t v) {
  char tmp[10];
  size_t i = sizeof tmp;
  do tmp[--i] = (char)('0' + v % 10); while (v /= 10);
  memcpy(o, tmp + i, sizeof tmp - i);
  return o + (sizeof tmp - i);
}

/* The text of jw__pos, written in place: the outline writes four positions
 * a symbol, and the calls for each literal and number were a tenth of it. */
static char *jw__pos_at(char *o, gr_pos p) {
  o = JW__PUT(o, "{\"line\":");
  o = jw__u32(o, p.line);
  o = JW__PUT(o, ",\"character\":");
  o = jw__u32(o, p.col);
  *o++ = '}';
  return o;
}

void jw_range_pos(rpc_buf *b, gr_pos start, gr_pos end) {
  /* {"start":{"line":L,"character":C},"end":{...}}: 64 bytes and four numbers of 10 digits at most */
  gr_array_reserve(b, 64 + 40);
  char *o = b->items + b->len;
  o = JW__PUT(o, "{\"start\":");
  o = jw__pos_at(o, start);
  o = JW__PUT(o, ",\"end\":");
  o = jw__pos_at(o, end);
  *o++ = '}';
  b->len = (size_t)(o - b->items);
}

void jw_range(rpc_buf *b, const lsp_text *t, size_t start, size_t end) {
  jw_lit(b, "{\"start\":");
  jw__pos(b, lsp_pos_at(t, start));
  jw_lit(b, ",\"end\":");
  jw__pos(b, lsp_pos_at(t, end < start ? start : end));
  jw_raw(b, "}", 1);
}
