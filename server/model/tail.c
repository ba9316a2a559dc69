/*
 * tail.c: a file's closing matter (see tail.h).
 *
 * One pass over the lines of the span: each break candidate is checked by
 * looking at what follows it, and the first that qualifies wins, so a
 * footer with two breaks ("---", version, "---", date) is taken whole.
 */
#include "server/model/tail.h"

static uint32_t tl_tail__line_end(const char *t, uint32_t len, uint32_t i) {
  while (i < len && t[i] != '\n' && t[i] != '\r') i++;
  return i;
}

static uint32_t tl_tail__next(const char *t, uint32_t len, uint32_t e) {
  if (e < len && t[e] == '\r') e++;
  if (e < len && t[e] == '\n') e++;
  return e;
}

static int tl_tail__blank(const char *t, uint32_t s, uint32_t e) {
  for (uint32_t i = s; i < e; i++)
    if (t[i] != ' ' && t[i] != '\t') return 0;
  return 1;
}

/* A thematic break: up to three spaces, then three or more of one of '-',
 * '*', '_', with blanks between and nothing else. */
static int tl_tail__break(const char *t, uint32_t s, uint32_t e) {
  uint32_t i = s, n = 0;
  while (i < e && t[i] == ' ' && i - s < 3) i++;
  if (i >= e) return 0;
  char c = t[i];
  if (c != '-' && c != '*' && c != '_') return 0;
  for (; i < e; i++) {
    if (t[i] == c) n++;
    else if (t[i] != ' ' && t[i] != '\t') return 0;
  }
  return n >= 3;
}

static int tl_tail__heading(const char *t, uint32_t s, uint32_t e) {
  uint32_t i = s;
  while (i < e && t[i] == ' ' && i - s < 3) i++;
  uint32_t h = i;
  while (i < e && t[i] == '#') i++;
  return i > h && i - h <= 6 && (i == e || t[i] == ' ' || t[i] == '\t');
}

/* Is `at` inside code, front matter, an instruction, an example or a comment? */
static int tl_tail__guarded(const gr_tree *tree, uint32_t at) {
  for (uint32_t i = gr_tree_node_at(tree, at); i != GR_NONE && i != 0; i = gr_tree_node(tree, i)->parent) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->kind == GR_SECTION) continue;
    if (n->flags & (GR_FLAG_IN_CODE | GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return 1;
    if (n->kind == GR_FENCE || n->kind == GR_FRONT_MATTER || n->kind == GR_INSTRUCTION ||
        n->kind == GR_EXAMPLE || n->kind == GR_HTML_COMMENT || n->kind == GR_CODE_SPAN)
      return 1;
  }
  return 0;
}

/* Does what follows the break line ending at `e` qualify as closing matter? */
static int tl_tail__follows(const char *t, uint32_t len, uint32_t e) {
  uint32_t lines = 0;
  for (uint32_t i = tl_tail__next(t, len, e); i < len;) {
    uint32_t le = tl_tail__line_end(t, len, i);
    if (!tl_tail__blank(t, i, le)) {
      if (tl_tail__heading(t, i, le) || ++lines > TL_TAIL_MAX_LINES) return 0;
    }
    uint32_t nx = tl_tail__next(t, len, le);
    if (nx == i) break;
    i = nx;
  }
  return 1;
}

uint32_t tl_tail_start(const gr_tree *tree, gr_span within) {
  const char *t = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree);
  if (within.end != len || within.start >= within.end) return within.end;
  int prev_blank = 0;
  for (uint32_t i = within.start; i < len;) {
    uint32_t le = tl_tail__line_end(t, len, i);
    int blank = tl_tail__blank(t, i, le);
    if (!blank && prev_blank && tl_tail__break(t, i, le) && !tl_tail__guarded(tree, i) &&
        tl_tail__follows(t, len, le))
      return i;
    prev_blank = blank;
    uint32_t nx = tl_tail__next(t, len, le);
    if (nx == i) break;
    i = nx;
  }
  return within.end;
}
