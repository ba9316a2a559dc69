/*
 * edit.c: incremental edits of a tree (grammar.h: gr_edit_inert,
 * gr_tree_shift). Typing a word into a 1 MB template's prose must not parse
 * the whole text again: an inert edit moves the offsets past it, which is
 * all a fresh parse would change. The rule is deliberately narrow (a line
 * of prose after a block prefix, prose typed into it past its first
 * letter, no node beginning or ending on it); anything else is parsed
 * again.
 */
#include <string.h>

#include "grammar/tree.h"

/* Bytes an inert edit may remove or insert: any but line ends, control
 * bytes and the ones markup is made of past a line's start (parse.c's main
 * scan: braces, brackets, '^', '<', '@', '`'). A list or heading marker, a
 * '>' quote, an underline of '=' or '-' counts only at a line's start,
 * which the anchor rule keeps as it was. */
static int gr__edit_byte(unsigned char c) {
  if (c >= 0x80) return 1;
  if (c < 0x20 || c == 0x7f) return 0;
  switch (c) {
    case '{': case '}': case '[': case ']': case '^': case '<': case '@': case '`':
      return 0;
    default:
      return 1;
  }
}

/* Bytes that may stand on the line: those, a tab, and the markup bytes that
 * mean nothing alone (a link's brackets, a lone brace), as long as no two
 * of them make a token (gr__digraph). '<' and '`' mean something alone
 * ("<critical_rule>", "<!--", a code span): never. */
static int gr__line_byte(unsigned char c) {
  switch (c) {
    case '\t': case '{': case '}': case '[': case ']': case '^': case '@':
      return 1;
    default:
      return gr__edit_byte(c);
  }
}

/* The pairs that begin or end markup: "{{", "}}", "[[", "]]", "^^", "@{". */
static int gr__digraph(char a, char b) {
  return ((a == '{' || a == '}' || a == '[' || a == ']' || a == '^') && b == a) || (a == '@' && b == '{');
}

static int gr__letter(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

/* The offset of the line's first content byte, past its block prefix. */
static size_t gr__skip_prefix(const char *t, size_t i, size_t eol) {
  int list = 0;
  for (;;) {
    while (i < eol && (t[i] == ' ' || t[i] == '\t')) i++;
    if (i >= eol || list) return i;
    unsigned char c = (unsigned char)t[i];
    if (c == '>') {
      i++;
      continue;
    }
    size_t j = i;
    if (c == '-' || c == '+' || c == '*') {
      j = i + 1;
    } else if (c >= '0' && c <= '9') {
      while (j < eol && j - i < 9 && t[j] >= '0' && t[j] <= '9') j++;
      if (j < eol && (t[j] == '.' || t[j] == ')')) j++;
      else return i;
    } else {
      return i;
    }
    if (j >= eol || (t[j] != ' ' && t[j] != '\t')) return i; /* "-x", "1.x": not a marker */
    list = 1;
    i = j;
  }
}

/* Does the edit make "-->" (which closes an HTML comment, or makes an
 * unclosed "<!--" one) with the two bytes on either side of it? Read over
 * text[start-2, start) + ins + text[end, end+2). */
static int gr__makes_comment_close(const char *text, size_t len, size_t start, size_t end, const char *ins,
                                   size_t ins_len) {
  size_t pre = start < 2 ? start : 2, post = len - end < 2 ? len - end : 2, n = pre + ins_len + post;
  int run = 0; /* '-' bytes just before */
  for (size_t k = 0; k < n; k++) {
    char c = k < pre ? text[start - pre + k] : k < pre + ins_len ? ins[k - pre] : text[end + (k - pre - ins_len)];
    if (c == '>' && run >= 2) return 1;
    run = c == '-' ? run + 1 : 0;
  }
  return 0;
}

/* Does a span begin or end in (lo, hi]? */
static int gr__span_touches(gr_span s, uint32_t lo, uint32_t hi) {
  return (s.start > lo && s.start <= hi) || (s.end > lo && s.end <= hi);
}

int gr_edit_inert(const gr_tree *tree, size_t start, size_t end, const char *ins, size_t ins_len) {
  if (!tree || start > end || end > tree->len || (ins_len && !ins)) return 0;
  const char *text = tree->text;
  size_t len = tree->len;
  for (size_t i = start; i < end; i++)
    if (!gr__edit_byte((unsigned char)text[i])) return 0;
  for (size_t i = 0; i < ins_len; i++)
    if (!gr__edit_byte((unsigned char)ins[i])) return 0;
  size_t bol = start;
  while (bol > 0 && text[bol - 1] != '\n' && text[bol - 1] != '\r') bol--;
  size_t eol = end;
  while (eol < len && text[eol] != '\n' && text[eol] != '\r') eol++;
  if (eol < len && text[eol] == '\r' && !(eol + 1 < len && text[eol + 1] == '\n')) return 0; /* a lone CR */
  size_t first = gr__skip_prefix(text, bol, eol);
  /* A letter before the edit, after the prefix: what the line begins with
   * stays (no marker can be made or unmade), and no line holding a letter
   * is a thematic break, an underline or a table's delimiter row. */
  size_t anchor = first;
  while (anchor < start && !gr__letter((unsigned char)text[anchor])) anchor++;
  if (anchor >= start) return 0;
  for (size_t i = first; i < eol; i++)
    if (!gr__line_byte((unsigned char)text[i]) || (i + 1 < eol && gr__digraph(text[i], text[i + 1]))) return 0;
  /* what a deletion brings together (typed bytes are never markup) */
  if (!ins_len && end > start && end < len && gr__digraph(text[start - 1], text[end])) return 0;
  if (gr__makes_comment_close(text, len, start, end, ins, ins_len)) return 0;
  uint32_t lo = (uint32_t)first, hi = (uint32_t)eol;
  for (size_t i = 0; i < tree->nodes.len; i++) {
    const gr_node *n = &tree->nodes.items[i];
    if (gr__span_touches(n->span, lo, hi) || gr__span_touches(n->open, lo, hi) ||
        gr__span_touches(n->close, lo, hi) || gr__span_touches(n->name, lo, hi) ||
        gr__span_touches(n->close_name, lo, hi) || gr__span_touches(n->body, lo, hi))
      return 0;
  }
  for (size_t i = 0; i < tree->diags.len; i++)
    if (gr__span_touches(tree->diags.items[i].span, lo, hi) ||
        (tree->diags.items[i].related.start != GR_NONE && gr__span_touches(tree->diags.items[i].related, lo, hi)))
      return 0;
  return 1;
}

static uint32_t gr__moved(uint32_t o, uint32_t start, uint32_t end, int64_t delta) {
  if (o < start || o == GR_NONE) return o;
  if (o < end) return start;
  return (uint32_t)((int64_t)o + delta);
}

static void gr__move_span(gr_span *s, uint32_t start, uint32_t end, int64_t delta) {
  s->start = gr__moved(s->start, start, end, delta);
  s->end = gr__moved(s->end, start, end, delta);
}

int gr_tree_shift(gr_tree *tree, const char *new_text, size_t new_len, size_t start, size_t end, size_t ins_len) {
  if (!tree || start > end || end > tree->len || (size_t)tree->len - (end - start) + ins_len != new_len ||
      new_len >= UINT32_MAX - 1)
    return -1;
  int64_t delta = (int64_t)ins_len - (int64_t)(end - start);
  uint32_t a = (uint32_t)start, b = (uint32_t)end;
  for (size_t i = 0; i < tree->nodes.len; i++) {
    gr_node *n = &tree->nodes.items[i];
    gr__move_span(&n->span, a, b, delta);
    gr__move_span(&n->open, a, b, delta);
    gr__move_span(&n->close, a, b, delta);
    gr__move_span(&n->name, a, b, delta);
    gr__move_span(&n->close_name, a, b, delta);
    gr__move_span(&n->body, a, b, delta);
  }
  for (size_t i = 0; i < tree->diags.len; i++) {
    gr__move_span(&tree->diags.items[i].span, a, b, delta);
    gr__move_span(&tree->diags.items[i].related, a, b, delta);
  }
  tree->text = new_text;
  tree->len = (uint32_t)new_len;
  return 0;
}
