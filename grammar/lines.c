#include "lines.h"

#include <string.h>

#include "alloc.h"

struct gr_lines {
  size_t len;    /* text length */
  size_t count;  /* number of lines */
  size_t cap;    /* room in start */
  size_t *start; /* start offset of each line */
};

gr_lines *gr_lines_new(const char *text, size_t len) {
  gr_lines *l = gr_malloc(sizeof *l);
  GR_ARRAY(size_t) starts = {0};
  gr_array_push(&starts, 0);
  const char *p = text, *end = text + len;
  while (p < end) {
    /* memchr for '\n' is the hot path; a lone '\r' is rare, so look for it
     * only between two '\n' hits. */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *stop = nl ? nl : end;
    const char *cr = memchr(p, '\r', (size_t)(stop - p));
    while (cr) {
      if (cr + 1 == nl) break; /* "\r\n": handled with the '\n' */
      gr_array_push(&starts, (size_t)(cr + 1 - text));
      cr = memchr(cr + 1, '\r', (size_t)(stop - cr - 1));
    }
    if (!nl) break;
    gr_array_push(&starts, (size_t)(nl + 1 - text));
    p = nl + 1;
  }
  l->len = len;
  l->count = starts.len;
  l->cap = starts.cap;
  l->start = starts.items;
  return l;
}

void gr_lines_edit(gr_lines *l, const char *text, size_t len, size_t start, size_t old_end,
                   size_t new_len) {
  size_t lo = start > 0 ? start - 1 : 0;      /* the byte before: "\r" + "\n" may join */
  size_t new_end = start + new_len;
  size_t hi_old = old_end + 1, hi_new = new_end + 1; /* the byte after may end a line too */
  /* Old starts: keep those up to lo, drop those in (lo, hi_old], shift the rest. */
  size_t keep = 0, rest = 0;
  while (keep < l->count && l->start[keep] <= lo) keep++;
  rest = keep;
  while (rest < l->count && l->start[rest] <= hi_old) rest++;
  /* New starts in (lo, hi_new], from the bytes lo .. new_end. */
  GR_ARRAY(size_t) fresh = {0};
  for (size_t i = lo; i < len && i <= new_end; i++) {
    char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
      if (i + 1 > lo && i + 1 <= hi_new) gr_array_push(&fresh, i + 1);
    }
  }
  /* In place: the tail moves by the difference (a keystroke in a 10 MB
   * text's 300,000 lines was a new 2.4 MB array each time). */
  size_t tail = l->count - rest;
  size_t count = keep + fresh.len + tail;
  if (count > l->cap) {
    size_t cap = l->cap ? l->cap : 1;
    while (cap < count) cap *= 2;
    l->start = gr_realloc(l->start, cap * sizeof *l->start);
    l->cap = cap;
  }
  size_t *s = l->start;
  memmove(s + keep + fresh.len, s + rest, tail * sizeof *s);
  if (fresh.len) memcpy(s + keep, fresh.items, fresh.len * sizeof *s);
  if (new_end != old_end)
    for (size_t k = keep + fresh.len; k < count; k++) s[k] = s[k] - old_end + new_end;
  gr_array_free(&fresh);
  l->count = count;
  l->len = len;
}

void gr_lines_free(gr_lines *lines) {
  if (!lines) return;
  gr_free(lines->start);
  gr_free(lines);
}

uint32_t gr_lines_count(const gr_lines *lines) { return (uint32_t)lines->count; }

size_t gr_lines_start(const gr_lines *lines, uint32_t line) {
  return line < lines->count ? lines->start[line] : lines->len;
}

size_t gr_lines_end(const gr_lines *lines, const char *text, uint32_t line) {
  if (line >= lines->count) return lines->len;
  size_t e = line + 1 < lines->count ? lines->start[line + 1] : lines->len;
  size_t s = lines->start[line];
  if (e > s && line + 1 < lines->count) {
    e--; /* the terminator's last byte */
    if (text[e] == '\n' && e > s && text[e - 1] == '\r') e--;
  }
  return e;
}

uint32_t gr_lines_line_of(const gr_lines *lines, size_t offset) {
  size_t lo = 0, hi = lines->count; /* find last start <= offset */
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (lines->start[mid] <= offset) lo = mid;
    else hi = mid;
  }
  return (uint32_t)lo;
}

size_t gr_utf8_decode(const char *text, size_t len, size_t i, uint32_t *cp) {
  const unsigned char *s = (const unsigned char *)text;
  unsigned c = s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) n = 2, v = c & 0x1F, min = 0x80;
  else if (c >= 0xE0 && c <= 0xEF) n = 3, v = c & 0x0F, min = 0x800;
  else if (c >= 0xF0 && c <= 0xF4) n = 4, v = c & 0x07, min = 0x10000;
  else goto invalid;
  if (i + n > len) goto invalid;
  for (size_t k = 1; k < n; k++) {
    if ((s[i + k] & 0xC0) != 0x80) goto invalid;
    v = (v << 6) | (s[i + k] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) goto invalid;
  *cp = v;
  return n;
invalid:
  *cp = 0xFFFD;
  return 1;
}

size_t gr_utf8_encode(uint32_t cp, char out[4]) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6)), out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12)), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18)), out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

char *gr_utf8_clean(const char *s, size_t n) {
  char *out = gr_malloc(n * 3 + 1), *o = out; /* a bad byte grows to 3 */
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = gr_utf8_decode(s, n, i, &cp);
    if (cp == 0xFFFD && k == 1) { /* an invalid byte (a real U+FFFD is 3 bytes) */
      memcpy(o, "\xEF\xBF\xBD", 3), o += 3;
    } else {
      memcpy(o, s + i, k), o += k;
    }
    i += k;
  }
  *o = '\0';
  return out;
}

static uint32_t gr__units(uint32_t cp, size_t bytes, gr_unit unit) {
  switch (unit) {
    case GR_UNIT_UTF8: return (uint32_t)bytes;
    case GR_UNIT_UTF16: return cp >= 0x10000 ? 2 : 1;
    default: return 1;
  }
}

gr_pos gr_lines_pos(const gr_lines *lines, const char *text, size_t offset, gr_unit unit) {
  if (offset > lines->len) offset = lines->len;
  gr_pos pos;
  pos.line = gr_lines_line_of(lines, offset);
  size_t i = lines->start[pos.line];
  size_t end = gr_lines_end(lines, text, pos.line);
  if (offset > end) offset = end; /* inside the terminator */
  if (unit == GR_UNIT_UTF8) {
    /* inside a multi-byte character: its start (look back at most 3 bytes) */
    if (offset < end && (((unsigned char)text[offset]) & 0xC0) == 0x80) {
      for (size_t back = 1; back <= 3 && back <= offset - i; back++) {
        uint32_t cp;
        size_t lead = offset - back;
        if ((((unsigned char)text[lead]) & 0xC0) == 0x80) continue;
        if (lead + gr_utf8_decode(text, end, lead, &cp) > offset) offset = lead;
        break;
      }
    }
    pos.col = (uint32_t)(offset - i);
    return pos;
  }
  uint32_t col = 0;
  while (i < offset) {
    uint32_t cp;
    size_t n = gr_utf8_decode(text, end, i, &cp);
    if (i + n > offset) break; /* offset inside a character */
    col += gr__units(cp, n, unit);
    i += n;
  }
  pos.col = col;
  return pos;
}

size_t gr_lines_offset(const gr_lines *lines, const char *text, gr_pos pos, gr_unit unit) {
  if (pos.line >= lines->count) return lines->len;
  size_t i = lines->start[pos.line];
  size_t end = gr_lines_end(lines, text, pos.line);
  if (unit == GR_UNIT_UTF8) {
    size_t o = i + pos.col;
    if (o > end || o < i) return end;
    /* never split a character: move forward to the next boundary */
    while (o < end && (((unsigned char)text[o]) & 0xC0) == 0x80) {
      uint32_t cp;
      size_t back = o;
      while (back > i && (((unsigned char)text[back]) & 0xC0) == 0x80) back--;
      /* A stray byte (none before it, or a lead that ends before it) is a
       * character of its own: o is its start. */
      if (back == o || back + gr_utf8_decode(text, end, back, &cp) <= o) break;
      o++;
    }
    return o;
  }
  uint32_t col = 0;
  while (i < end && col < pos.col) {
    uint32_t cp;
    size_t n = gr_utf8_decode(text, end, i, &cp);
    col += gr__units(cp, n, unit);
    i += n;
  }
  return i;
}
