/*
 * position.c: byte offsets <-> LSP positions (see position.h).
 */
#include "protocol/position.h"

#include <string.h>

static gr_unit lsp_pos__unit(lsp_pos_encoding enc) { return enc == LSP_POS_UTF8 ? GR_UNIT_UTF8 : GR_UNIT_UTF16; }

const char *lsp_pos_encoding_name(lsp_pos_encoding enc) { return enc == LSP_POS_UTF8 ? "utf-8" : "utf-16"; }

lsp_pos_encoding lsp_pos_negotiate(const json_t *offered) {
  size_t i;
  const json_t *v;
  if (!json_is_array(offered)) return LSP_POS_UTF16;
  json_array_foreach(offered, i, v) {
    if (json_is_string(v) && strcmp(json_string_value(v), "utf-8") == 0) return LSP_POS_UTF8;
  }
  return LSP_POS_UTF16;
}

/* The memo's starting point for `line`, when it holds one: a character
 * start on that line (else the line's start, column 0). */
static size_t lsp_pos__from(const lsp_text *t, uint32_t line, uint32_t *col) {
  const lsp_pos_memo *m = t->memo;
  *col = 0;
  if (m && m->valid && m->text == t->text && m->lines == t->lines && m->line == line) {
    *col = m->col;
    return m->offset;
  }
  return gr_lines_start(t->lines, line);
}

static void lsp_pos__remember(const lsp_text *t, uint32_t line, size_t offset, uint32_t col) {
  lsp_pos_memo *m = t->memo;
  if (!m) return;
  m->valid = true;
  m->text = t->text;
  m->lines = t->lines;
  m->line = line;
  m->offset = offset;
  m->col = col;
}

/* gr_lines_pos in UTF-16, counting from the memo when it is before offset. */
static gr_pos lsp_pos__utf16_at(const lsp_text *t, size_t offset) {
  if (offset > t->len) offset = t->len;
  gr_pos pos;
  pos.line = gr_lines_line_of(t->lines, offset);
  size_t end = gr_lines_end(t->lines, t->text, pos.line);
  if (offset > end) offset = end; /* inside the terminator */
  uint32_t col;
  size_t i = lsp_pos__from(t, pos.line, &col);
  if (i > offset) i = gr_lines_start(t->lines, pos.line), col = 0;
  while (i < offset) {
    uint32_t cp;
    size_t n = gr_utf8_decode(t->text, end, i, &cp);
    if (i + n > offset) break; /* offset inside a character */
    col += cp >= 0x10000 ? 2 : 1;
    i += n;
  }
  lsp_pos__remember(t, pos.line, i, col);
  pos.col = col;
  return pos;
}

/* gr_lines_offset in UTF-16, counting from the memo when it is before col. */
static size_t lsp_pos__utf16_offset(const lsp_text *t, uint32_t line, uint32_t character) {
  if (line >= gr_lines_count(t->lines)) return t->len;
  size_t end = gr_lines_end(t->lines, t->text, line);
  uint32_t col;
  size_t i = lsp_pos__from(t, line, &col);
  if (col > character) i = gr_lines_start(t->lines, line), col = 0;
  while (i < end && col < character) {
    uint32_t cp;
    size_t n = gr_utf8_decode(t->text, end, i, &cp);
    col += cp >= 0x10000 ? 2 : 1;
    i += n;
  }
  lsp_pos__remember(t, line, i, col);
  return i;
}

gr_pos lsp_pos_at(const lsp_text *t, size_t offset) {
  if (t->enc == LSP_POS_UTF16 && t->memo) return lsp_pos__utf16_at(t, offset);
  if (t->enc == LSP_POS_UTF8 && offset < t->len) {
    /* An offset inside a multi-byte character means that character: in
     * UTF-8 the line index counts raw bytes, so step back to its start here. */
    size_t back = offset;
    while (back > 0 && offset - back < 3 && (((unsigned char)t->text[back]) & 0xC0) == 0x80) back--;
    uint32_t cp;
    if (back < offset && back + gr_utf8_decode(t->text, t->len, back, &cp) > offset) offset = back;
  }
  return gr_lines_pos(t->lines, t->text, offset, lsp_pos__unit(t->enc));
}

size_t lsp_pos_offset(const lsp_text *t, uint32_t line, uint32_t character) {
  if (t->enc == LSP_POS_UTF16 && t->memo) return lsp_pos__utf16_offset(t, line, character);
  gr_pos p = {line, character};
  return gr_lines_offset(t->lines, t->text, p, lsp_pos__unit(t->enc));
}

static int lsp_pos__field(const json_t *obj, const char *key, uint32_t *out) {
  const json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v) || json_integer_value(v) < 0) return -1;
  json_int_t n = json_integer_value(v);
  *out = n > (json_int_t)UINT32_MAX ? UINT32_MAX : (uint32_t)n;
  return 0;
}

int lsp_pos_from_json(const lsp_text *t, const json_t *pos, size_t *out) {
  uint32_t line, ch;
  if (!json_is_object(pos) || lsp_pos__field(pos, "line", &line) != 0 ||
      lsp_pos__field(pos, "character", &ch) != 0)
    return -1;
  *out = lsp_pos_offset(t, line, ch);
  return 0;
}

int lsp_range_from_json(const lsp_text *t, const json_t *range, size_t *start, size_t *end) {
  size_t s, e;
  if (!json_is_object(range) || lsp_pos_from_json(t, json_object_get(range, "start"), &s) != 0 ||
      lsp_pos_from_json(t, json_object_get(range, "end"), &e) != 0)
    return -1;
  *start = s;
  *end = e < s ? s : e;
  return 0;
}

json_t *lsp_pos_to_json(const lsp_text *t, size_t offset) {
  gr_pos p = lsp_pos_at(t, offset);
  json_t *o = json_object();
  json_object_set_new(o, "line", json_integer(p.line));
  json_object_set_new(o, "character", json_integer(p.col));
  return o;
}

json_t *lsp_range_to_json(const lsp_text *t, size_t start, size_t end) {
  json_t *r = json_object();
  json_object_set_new(r, "start", lsp_pos_to_json(t, start));
  json_object_set_new(r, "end", lsp_pos_to_json(t, end < start ? start : end));
  return r;
}
