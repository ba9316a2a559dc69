/*
 * position.c: byte offsets <-> LSP positions (see position.h).
 */
#include "protocol/position.h"

#include <string.h>

#include "grammar/alloc.h"

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

void lsp_pos_memo_reset(lsp_pos_memo *memo) {
  gr_free(memo->marks);
  memset(memo, 0, sizeof *memo);
}

/* Does the memo hold a conversion on `line` of this text? */
static bool lsp_pos__memo_on(const lsp_text *t, uint32_t line) {
  const lsp_pos_memo *m = t->memo;
  return m->valid && m->text == t->text && m->lines == t->lines && m->line == line;
}

static void lsp_pos__remember(const lsp_text *t, uint32_t line, size_t offset, uint32_t col) {
  lsp_pos_memo *m = t->memo;
  m->valid = true;
  m->text = t->text;
  m->lines = t->lines;
  m->line = line;
  m->offset = offset;
  m->col = col;
}

/* One character at text[i] (i before a line end): its UTF-16 units and bytes. */
static size_t lsp_pos__char(const char *text, size_t end, size_t i, uint32_t *units) {
  if ((unsigned char)text[i] < 0x80) {
    *units = 1;
    return 1;
  }
  uint32_t cp;
  size_t n = gr_utf8_decode(text, end, i, &cp);
  *units = cp >= 0x10000 ? 2 : 1;
  return n;
}

/* Make the checkpoints of the memo's text (see position.h): one walk. */
static void lsp_pos__mark(const lsp_text *t) {
  lsp_pos_memo *m = t->memo;
  if (m->marks && m->text == t->text && m->lines == t->lines) return;
  gr_free(m->marks);
  m->nmarks = t->len / LSP_POS_STRIDE + 1;
  m->marks = gr_malloc(m->nmarks * sizeof *m->marks);
  if (m->text != t->text || m->lines != t->lines) m->valid = false; /* re-keyed here */
  m->text = t->text;
  m->lines = t->lines;
  size_t i = 0;
  uint32_t col = 0;
  for (size_t k = 0; k < m->nmarks; k++) {
    while (i < k * LSP_POS_STRIDE) {
      char c = t->text[i];
      if (c == '\n' || c == '\r') {
        col = 0, i++;
      } else {
        uint32_t units;
        i += lsp_pos__char(t->text, t->len, i, &units);
        col += units;
      }
    }
    m->marks[k] = (lsp_pos_mark){i, col};
  }
}

static bool lsp_pos__has_marks(const lsp_text *t) {
  const lsp_pos_memo *m = t->memo;
  return m->marks && m->text == t->text && m->lines == t->lines;
}

/*
 * Where to start counting towards byte `offset` on `line` [ls, end): the
 * latest of the line start, the memo and a checkpoint that lie at or
 * before it. Makes the checkpoints when the walk would be long.
 */
static size_t lsp_pos__start_at(const lsp_text *t, uint32_t line, size_t ls, size_t offset,
                                uint32_t *col) {
  size_t i = ls;
  *col = 0;
  if (lsp_pos__memo_on(t, line) && t->memo->offset <= offset)
    i = t->memo->offset, *col = t->memo->col;
  if (offset - i > 4 * LSP_POS_STRIDE) lsp_pos__mark(t);
  if (lsp_pos__has_marks(t)) {
    for (size_t k = offset / LSP_POS_STRIDE + 1; k-- > 0;) {
      const lsp_pos_mark *mk = &t->memo->marks[k];
      if (mk->offset < ls || mk->offset <= i) break;
      if (mk->offset <= offset) {
        i = mk->offset, *col = mk->col;
        break;
      }
    }
  }
  return i;
}

/* The same towards UTF-16 column `character` on `line` [ls, end). */
static size_t lsp_pos__start_col(const lsp_text *t, uint32_t line, size_t ls, size_t end,
                                 uint32_t character, uint32_t *col) {
  size_t i = ls;
  *col = 0;
  if (lsp_pos__memo_on(t, line) && t->memo->col <= character)
    i = t->memo->offset, *col = t->memo->col;
  if (character - *col > 2 * LSP_POS_STRIDE && end - i > 2 * LSP_POS_STRIDE) lsp_pos__mark(t);
  if (lsp_pos__has_marks(t) && end > ls) {
    /* the last checkpoint on the line at or before the column */
    const lsp_pos_mark *mk = t->memo->marks;
    size_t lo = (ls + LSP_POS_STRIDE - 1) / LSP_POS_STRIDE, hi = (end - 1) / LSP_POS_STRIDE + 1;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (mk[mid].offset < end && mk[mid].col <= character) lo = mid + 1;
      else hi = mid;
    }
    const lsp_pos_mark *best = lo > 0 ? &mk[lo - 1] : NULL;
    if (best && best->offset >= ls && best->offset < end && best->col <= character &&
        best->offset > i)
      i = best->offset, *col = best->col;
  }
  return i;
}

/* gr_lines_pos in UTF-16, counting from the nearest known point before offset. */
static gr_pos lsp_pos__utf16_at(const lsp_text *t, size_t offset) {
  if (offset > t->len) offset = t->len;
  gr_pos pos;
  pos.line = gr_lines_line_of(t->lines, offset);
  size_t ls = gr_lines_start(t->lines, pos.line);
  size_t end = gr_lines_end(t->lines, t->text, pos.line);
  if (offset > end) offset = end; /* inside the terminator */
  uint32_t col;
  size_t i = lsp_pos__start_at(t, pos.line, ls, offset, &col);
  while (i < offset) {
    uint32_t units;
    size_t n = lsp_pos__char(t->text, end, i, &units);
    if (i + n > offset) break; /* offset inside a character */
    col += units;
    i += n;
  }
  lsp_pos__remember(t, pos.line, i, col);
  pos.col = col;
  return pos;
}

/* gr_lines_offset in UTF-16, counting from the nearest known point before col. */
static size_t lsp_pos__utf16_offset(const lsp_text *t, uint32_t line, uint32_t character) {
  if (line >= gr_lines_count(t->lines)) return t->len;
  size_t ls = gr_lines_start(t->lines, line);
  size_t end = gr_lines_end(t->lines, t->text, line);
  uint32_t col;
  size_t i = lsp_pos__start_col(t, line, ls, end, character, &col);
  while (i < end && col < character) {
    uint32_t units;
    i += lsp_pos__char(t->text, end, i, &units);
    col += units;
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

void lsp_pos_cursor_init(lsp_pos_cursor *c, const lsp_text *t) {
  memset(c, 0, sizeof *c);
  c->t = t;
}

/* Put the cursor at the start of `line`. */
static void lsp_pos__cursor_line(lsp_pos_cursor *c, uint32_t line) {
  c->line = line;
  c->ls = gr_lines_start(c->t->lines, line);
  c->le = gr_lines_end(c->t->lines, c->t->text, line);
  c->offset = c->ls;
  c->col = 0;
}

/*
 * Stepping lines forward costs one comparison per line passed, and ASCII
 * one comparison per byte: the semantic tokens of a 1 MB template (24,000
 * tokens) take 2.1 ms instead of 3.0 with lsp_pos_at per position (release
 * build, the median of 100 requests).
 */
gr_pos lsp_pos_cursor_at(lsp_pos_cursor *c, size_t offset) {
  const lsp_text *t = c->t;
  if (offset > t->len) offset = t->len;
  if (c->valid && offset < c->asked) return lsp_pos_at(t, offset); /* behind: the cursor stays */
  if (!c->valid) {
    lsp_pos__cursor_line(c, gr_lines_line_of(t->lines, offset));
    c->valid = true;
  } else if (offset >= gr_lines_start(t->lines, c->line + 1) && c->line + 1 < gr_lines_count(t->lines)) {
    /* a few lines on: step; further: search what is left */
    uint32_t line = c->line, n = gr_lines_count(t->lines);
    for (int k = 0; k < 8 && line + 1 < n && gr_lines_start(t->lines, line + 1) <= offset; k++) line++;
    if (line + 1 < n && gr_lines_start(t->lines, line + 1) <= offset) line = gr_lines_line_of(t->lines, offset);
    lsp_pos__cursor_line(c, line);
  }
  c->asked = offset;
  size_t to = offset > c->le ? c->le : offset; /* inside the terminator: the line's end */
  while (c->offset < to) {
    if ((unsigned char)t->text[c->offset] < 0x80) { /* ASCII: one unit in either encoding */
      c->offset++, c->col++;
      continue;
    }
    uint32_t units;
    size_t n = lsp_pos__char(t->text, c->le, c->offset, &units);
    if (c->offset + n > to) break; /* inside a character: its start */
    c->col += t->enc == LSP_POS_UTF8 ? (uint32_t)n : units;
    c->offset += n;
  }
  return (gr_pos){c->line, c->col};
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

/* Columns of byte `upto` of a line's bytes head[0..len) in `enc`: a
 * character that `upto` cuts counts from its start, as gr_lines_pos does. */
static uint32_t lsp_pos__head_col(const char *head, size_t len, size_t upto, lsp_pos_encoding enc) {
  if (upto > len) upto = len;
  size_t i = 0;
  uint32_t col = 0;
  while (i < upto) {
    uint32_t units;
    size_t n = lsp_pos__char(head, len, i, &units);
    if (i + n > upto) break;
    col += enc == LSP_POS_UTF8 ? (uint32_t)n : units;
    i += n;
  }
  return col;
}

json_t *lsp_line_range_to_json(uint32_t line, const char *head, size_t head_len, size_t start, size_t end,
                               lsp_pos_encoding enc) {
  if (end < start) end = start;
  uint32_t a = lsp_pos__head_col(head, head_len, start, enc);
  uint32_t b = lsp_pos__head_col(head, head_len, end, enc);
  return json_pack("{s:{s:I,s:I},s:{s:I,s:I}}", "start", "line", (json_int_t)line, "character", (json_int_t)a,
                   "end", "line", (json_int_t)line, "character", (json_int_t)b);
}
