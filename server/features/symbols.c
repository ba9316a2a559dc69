/*
 * symbols.c: the document outline (see symbols.h).
 *
 * One pass over the node array, which is in pre-order: a node's nearest
 * symbol ancestor is known before the node is reached, so each node's
 * "enclosing symbol" is read from its parent's entry in a side table. No
 * recursion and no climbing, whatever the nesting depth.
 */
#include "server/features/symbols.h"

#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "server/features/buf.h"

int ft_symbol_kind_lsp(ft_symbol_kind kind) {
  switch (kind) {
    case FT_SYMBOL_REPEAT: return 18;    /* Array */
    case FT_SYMBOL_CONDITION: return 17; /* Boolean */
    case FT_SYMBOL_EXAMPLE: return 19;   /* Object */
    case FT_SYMBOL_SECTION:
    default: return 15;                  /* String */
  }
}

#define FT_SYMBOLS__MAX_NAME 200 /* bytes of element text in a name, then "…" */

static int ft_symbols__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/*
 * "prefix name": runs of blanks in the name become one space, invalid UTF-8
 * becomes U+FFFD (names go to clients as JSON strings, which must be UTF-8),
 * and a name longer than FT_SYMBOLS__MAX_NAME bytes is cut at a character
 * boundary with "…". The prefix alone when the name is empty; `empty` when
 * both are. Returns a new string.
 */
char *ft_symbols_name(const char *prefix, const char *text, gr_span name, const char *empty) {
  ft_buf b = {0};
  ft_buf_putn(&b, prefix, strlen(prefix));
  int pending = b.len > 0; /* a space is owed before the next word */
  size_t taken = 0;
  for (uint32_t i = name.start; i < name.end;) {
    if (ft_symbols__blank(text[i])) {
      pending = b.len > 0;
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = gr_utf8_decode(text, name.end, i, &cp);
    if (taken + n > FT_SYMBOLS__MAX_NAME) {
      if (pending) ft_buf_putn(&b, " ", 1);
      ft_buf_putn(&b, "\xE2\x80\xA6", 3);
      break;
    }
    if (pending) ft_buf_putn(&b, " ", 1);
    pending = 0;
    if (cp == 0xFFFD) ft_buf_putn(&b, "\xEF\xBF\xBD", 3);
    else ft_buf_putn(&b, text + i, n);
    taken += n;
    i += (uint32_t)n;
  }
  if (b.len == 0) ft_buf_putn(&b, empty, strlen(empty));
  return b.items;
}

static int ft_symbols__kind(const gr_node *n, ft_symbol_kind *kind) {
  switch (n->kind) {
    case GR_SECTION: *kind = FT_SYMBOL_SECTION; return 1;
    case GR_REPEAT: *kind = FT_SYMBOL_REPEAT; return 1;
    case GR_CONDITION: *kind = FT_SYMBOL_CONDITION; return 1;
    case GR_EXAMPLE: *kind = FT_SYMBOL_EXAMPLE; return 1;
    default: return 0;
  }
}

ft_symbols *ft_symbols_new(const gr_tree *tree) {
  ft_symbols *out = gr_calloc(1, sizeof *out);
  const char *text = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  /* enclosing[i]: the symbol that node i is or lies in, or GR_NONE */
  uint32_t *enclosing = gr_malloc(sizeof(uint32_t) * count);
  uint32_t *last_child = NULL;
  GR_ARRAY(ft_symbol) list = {0};

  for (uint32_t i = 0; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    uint32_t up = n->parent == GR_NONE ? GR_NONE : enclosing[n->parent];
    ft_symbol_kind kind;
    if (!ft_symbols__kind(n, &kind)) {
      enclosing[i] = up;
      continue;
    }
    ft_symbol s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    s.node = i;
    s.parent = up;
    s.first_child = s.next_sibling = GR_NONE;
    s.range = n->span;
    s.unclosed = (n->flags & GR_FLAG_UNCLOSED) != 0;
    if (s.unclosed) s.detail = gr_strndup("unclosed", 8);
    int named = n->name.end > n->name.start;
    switch (kind) {
      case FT_SYMBOL_SECTION:
        s.level = n->level;
        s.name = ft_symbols_name("", text, n->name, "(empty heading)");
        s.selection = named ? n->name : n->open;
        break;
      case FT_SYMBOL_REPEAT:
        s.name = ft_symbols_name("REPEAT", text, n->name, "");
        s.selection = named ? n->name : n->open;
        break;
      case FT_SYMBOL_CONDITION:
        s.name = ft_symbols_name("CONDITION", text, n->name, "");
        s.selection = named ? n->name : n->open;
        break;
      case FT_SYMBOL_EXAMPLE:
      default:
        s.name = ft_symbols_name("example", text, n->name, "");
        s.selection = named ? n->name : n->open;
        break;
    }
    enclosing[i] = (uint32_t)list.len;
    gr_array_push(&list, s);
  }

  /* Link children in order: one table of each symbol's last child so far. */
  if (list.len) {
    last_child = gr_malloc(sizeof(uint32_t) * list.len);
    for (size_t k = 0; k < list.len; k++) last_child[k] = GR_NONE;
    for (size_t k = 0; k < list.len; k++) {
      uint32_t p = list.items[k].parent;
      if (p == GR_NONE) continue;
      ft_symbol *ps = &list.items[p];
      if (last_child[p] == GR_NONE) ps->first_child = (uint32_t)k;
      else list.items[last_child[p]].next_sibling = (uint32_t)k;
      last_child[p] = (uint32_t)k;
      ps->child_count++;
    }
    /* top-level symbols are siblings too */
    uint32_t prev = GR_NONE;
    for (size_t k = 0; k < list.len; k++) {
      if (list.items[k].parent != GR_NONE) continue;
      if (prev != GR_NONE) list.items[prev].next_sibling = (uint32_t)k;
      prev = (uint32_t)k;
    }
  }
  gr_free(last_child);
  gr_free(enclosing);
  out->items = list.items;
  out->len = (uint32_t)list.len;
  return out;
}

void ft_symbols_free(ft_symbols *symbols) {
  if (!symbols) return;
  for (uint32_t i = 0; i < symbols->len; i++) {
    gr_free(symbols->items[i].name);
    gr_free(symbols->items[i].detail);
  }
  gr_free(symbols->items);
  gr_free(symbols);
}
