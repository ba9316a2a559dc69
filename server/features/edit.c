/*
 * edit.c: byte-span edits and the line-aware text building around them
 * (see edit.h).
 */
#include "server/features/edit.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable string -------------------------------------------------- */

/* ---- edits -------------------------------------------------------------- */

void ft_edit_add(ft_edits *e, uint32_t start, uint32_t end, const char *text, size_t len) {
  if (e->len == e->cap) {
    e->cap = e->cap ? e->cap * 2 : 8;
    e->items = gr_realloc(e->items, e->cap * sizeof *e->items);
  }
  ft_edit *x = &e->items[e->len++];
  x->span = (gr_span){start, end < start ? start : end};
  x->text = gr_strndup(text ? text : "", text ? len : 0);
  x->len = text ? len : 0;
}

void ft_edit_sort(ft_edits *e) {
  /* Insertion sort: stable, and the lists are a handful of edits. */
  for (size_t i = 1; i < e->len; i++) {
    ft_edit x = e->items[i];
    size_t j = i;
    while (j > 0 && (e->items[j - 1].span.start > x.span.start ||
                     (e->items[j - 1].span.start == x.span.start &&
                      e->items[j - 1].span.end > x.span.end && x.span.end == x.span.start))) {
      e->items[j] = e->items[j - 1];
      j--;
    }
    e->items[j] = x;
  }
}

void ft_edit_free(ft_edits *e) {
  for (size_t i = 0; i < e->len; i++) gr_free(e->items[i].text);
  gr_free(e->items);
  e->items = NULL;
  e->len = e->cap = 0;
}

char *ft_edit_apply(const char *text, size_t len, const ft_edits *e, size_t *out_len) {
  ft_edits sorted = {0};
  for (size_t i = 0; i < e->len; i++)
    ft_edit_add(&sorted, e->items[i].span.start, e->items[i].span.end, e->items[i].text,
                e->items[i].len);
  ft_edit_sort(&sorted);
  ft_buf b = {0};
  size_t at = 0;
  char *out = NULL;
  for (size_t i = 0; i < sorted.len; i++) {
    const ft_edit *x = &sorted.items[i];
    if (x->span.start < at || x->span.end > len) goto done;
    ft_buf_putn(&b, text + at, x->span.start - at);
    ft_buf_putn(&b, x->text, x->len);
    at = x->span.end;
  }
  ft_buf_putn(&b, text + at, len - at);
  if (out_len) *out_len = b.len;
  out = ft_buf_take(&b);
done:
  gr_array_free(&b);
  ft_edit_free(&sorted);
  return out;
}

/* ---- line endings and lines --------------------------------------------- */

const char *ft_edit_eol(const char *text, size_t len) {
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '\n') return "\n";
    if (text[i] == '\r') return i + 1 < len && text[i + 1] == '\n' ? "\r\n" : "\r";
  }
  return "\n";
}

char *ft_edit_convert(const char *s, size_t n, const char *eol, size_t *out_len) {
  ft_buf b = {0};
  size_t el = strlen(eol);
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\n') continue;
    ft_buf_putn(&b, s + from, i - from);
    ft_buf_putn(&b, eol, el);
    from = i + 1;
  }
  ft_buf_putn(&b, s + from, n - from);
  if (out_len) *out_len = b.len;
  return ft_buf_take(&b);
}

static int ft_edit__nl(char c) { return c == '\n' || c == '\r'; }

uint32_t ft_edit_line_start(const char *text, size_t len, uint32_t off) {
  if (off > len) off = (uint32_t)len;
  /* The "\n" of a "\r\n" belongs to the line the "\r" ends. */
  if (off > 0 && off < len && text[off] == '\n' && text[off - 1] == '\r') off--;
  while (off > 0 && !ft_edit__nl(text[off - 1])) off--;
  return off;
}

uint32_t ft_edit_line_end(const char *text, size_t len, uint32_t off) {
  if (off > len) off = (uint32_t)len;
  if (off > 0 && off < len && text[off] == '\n' && text[off - 1] == '\r') return off - 1;
  while (off < len && !ft_edit__nl(text[off])) off++;
  return off;
}

uint32_t ft_edit_line_next(const char *text, size_t len, uint32_t off) {
  uint32_t e = ft_edit_line_end(text, len, off);
  if (e < len && text[e] == '\r') e++;
  if (e < len && text[e] == '\n') e++;
  return e;
}

int ft_edit_line_blank(const char *text, size_t len, uint32_t off) {
  uint32_t s = ft_edit_line_start(text, len, off), e = ft_edit_line_end(text, len, off);
  for (uint32_t i = s; i < e; i++)
    if (text[i] != ' ' && text[i] != '\t') return 0;
  return 1;
}

/* An ATX heading line: up to 3 spaces, 1 to 6 '#', then a blank or the end. */
static int ft_edit__heading(const char *text, size_t len, uint32_t s) {
  uint32_t e = ft_edit_line_end(text, len, s), i = s, k = 0;
  while (i < e && text[i] == ' ' && i - s < 3) i++;
  while (i < e && text[i] == '#') i++, k++;
  return k >= 1 && k <= 6 && (i == e || text[i] == ' ' || text[i] == '\t');
}

/* ---- edits built for the caller ----------------------------------------- */

void ft_edit_insert_block(ft_edits *out, const char *text, size_t len, uint32_t at,
                          const char *block) {
  const char *eol = ft_edit_eol(text, len);
  ft_buf b = {0};
  if (at > len) at = (uint32_t)len;
  if (at > 0) {
    int ended = ft_edit__nl(text[at - 1]);
    if (!ended) ft_buf_puts(&b, eol); /* the text's last line had no line end */
    uint32_t prev = ft_edit_line_start(text, len, ended ? at - 1 : at);
    if (!ft_edit_line_blank(text, len, prev)) ft_buf_puts(&b, eol);
  }
  size_t n;
  char *conv = ft_edit_convert(block, strlen(block), eol, &n);
  ft_buf_putn(&b, conv, n);
  gr_free(conv);
  if (at < len && !ft_edit_line_blank(text, len, at)) ft_buf_puts(&b, eol);
  ft_edit_add(out, at, at, b.items, b.len);
  gr_array_free(&b);
}

void ft_edit_delete(ft_edits *out, const char *text, size_t len, gr_span span) {
  uint32_t s = span.start, e = span.end > len ? (uint32_t)len : span.end;
  if (s > e) s = e;
  uint32_t ls = ft_edit_line_start(text, len, s);
  int before_blank = 1, after_blank = 1;
  for (uint32_t i = ls; i < s; i++)
    if (text[i] != ' ' && text[i] != '\t') before_blank = 0;
  int ends_line = e > s && ft_edit__nl(text[e - 1]);
  uint32_t le = ends_line ? e : ft_edit_line_end(text, len, e);
  for (uint32_t i = e; i < le; i++)
    if (text[i] != ' ' && text[i] != '\t') after_blank = 0;
  if (!(before_blank && after_blank)) {
    /* Inline: take the blanks that would be left dangling with it. */
    if (after_blank) {
      while (s > ls && (text[s - 1] == ' ' || text[s - 1] == '\t')) s--;
      e = le;
    } else if (!before_blank && s > ls && text[s - 1] == ' ' && e < le && text[e] == ' ') {
      e++;
    }
    ft_edit_add(out, s, e, "", 0);
    return;
  }
  uint32_t ds = ls, de = ends_line ? e : ft_edit_line_next(text, len, e);
  int prev_blank = ds == 0 || ft_edit_line_blank(text, len, ft_edit_line_start(text, len, ds - 1));
  if (prev_blank) {
    if (de < len && ft_edit_line_blank(text, len, de)) de = ft_edit_line_next(text, len, de);
    else if (de >= len && ds > 0) ds = ft_edit_line_start(text, len, ds - 1);
  }
  ft_edit_add(out, ds, de, "", 0);
}

uint32_t ft_edit_paragraph_end(const char *text, size_t len, uint32_t off) {
  uint32_t i = ft_edit_line_start(text, len, off);
  int first = 1;
  while (i < len) {
    int heading = ft_edit__heading(text, len, i);
    if (ft_edit_line_blank(text, len, i) || (heading && !first)) return i;
    first = 0;
    uint32_t nx = ft_edit_line_next(text, len, i);
    if (nx == i) break;
    i = nx;
  }
  return (uint32_t)len;
}

char *ft_edit_slug(const char *text, size_t len, const char *fallback) {
  ft_buf b = {0};
  int sep = 0;
  for (size_t i = 0; i < len;) {
    if (text[i] == '{' && i + 1 < len && text[i + 1] == '{') {
      /* a placeholder stands for a value, not a name: skip it */
      size_t k = i + 2;
      while (k + 1 < len && !(text[k] == '}' && text[k + 1] == '}')) k++;
      i = k + 1 < len ? k + 2 : len;
      sep = 1;
      continue;
    }
    unsigned char c = (unsigned char)text[i++];
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z')) {
      if (b.len + (sep && b.len ? 2 : 1) > 40) break;
      if (sep && b.len) ft_buf_putn(&b, "_", 1);
      sep = 0;
      char lc = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      ft_buf_putn(&b, &lc, 1);
    } else {
      sep = 1;
    }
  }
  if (!b.len) ft_buf_puts(&b, fallback);
  return ft_buf_take(&b);
}
