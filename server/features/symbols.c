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
#include "yaml/ytmpl.h"

int ft_symbol_kind_lsp(ft_symbol_kind kind) {
  switch (kind) {
    case FT_SYMBOL_REPEAT: return 18;    /* Array */
    case FT_SYMBOL_CONDITION: return 17; /* Boolean */
    case FT_SYMBOL_EXAMPLE: return 19;   /* Object */
    case FT_SYMBOL_TEMPLATE: return 2;   /* Module */
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
static char *ft_symbols__name_ex(const char *prefix, const char *text, gr_span name,
                                 const char *empty, int nul_blank) {
  ft_buf b = {0};
  size_t plen = strlen(prefix);
  /* room for the usual name at once: the prefix, a space, the text (cut at
   * FT_SYMBOLS__MAX_NAME, then "…"); growing a byte at a time reallocated */
  size_t most = name.end - name.start < FT_SYMBOLS__MAX_NAME ? name.end - name.start : FT_SYMBOLS__MAX_NAME + 3;
  gr_array_reserve(&b, plen + most + 2);
  ft_buf_putn(&b, prefix, plen);
  int pending = b.len > 0; /* a space is owed before the next word */
  size_t taken = 0;
  for (uint32_t i = name.start; i < name.end;) {
    if (ft_symbols__blank(text[i]) || (nul_blank && text[i] == '\0')) {
      pending = b.len > 0;
      i++;
      continue;
    }
    if ((unsigned char)text[i] < 0x80) {
      /* a run of ASCII that is no blank: what the loop below does a byte at
       * a time (each is one byte, as it is), in one copy; the names were
       * most of an outline of 2,000 symbols before the JSON */
      uint32_t j = i + 1;
      while (j < name.end && (unsigned char)text[j] < 0x80 && !ft_symbols__blank(text[j]) &&
             !(nul_blank && text[j] == '\0'))
        j++;
      size_t run = j - i, room = FT_SYMBOLS__MAX_NAME - taken, k = run < room ? run : room;
      if (k) {
        if (pending) ft_buf_putn(&b, " ", 1);
        pending = 0;
        ft_buf_putn(&b, text + i, k);
        taken += k;
        i += (uint32_t)k;
      }
      if (k < run) {
        if (pending) ft_buf_putn(&b, " ", 1);
        ft_buf_putn(&b, "\xE2\x80\xA6", 3);
        break;
      }
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

char *ft_symbols_name(const char *prefix, const char *text, gr_span name, const char *empty) {
  return ft_symbols__name_ex(prefix, text, name, empty, 0);
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

/* Link children in order (every parent before its children): one table of
 * each symbol's last child so far. */
static void ft_symbols__link(ft_symbol *items, uint32_t len) {
  if (!len) return;
  uint32_t *last_child = gr_malloc(sizeof(uint32_t) * len);
  for (uint32_t k = 0; k < len; k++) last_child[k] = GR_NONE;
  for (uint32_t k = 0; k < len; k++) {
    uint32_t p = items[k].parent;
    if (p == GR_NONE) continue;
    ft_symbol *ps = &items[p];
    if (last_child[p] == GR_NONE) ps->first_child = k;
    else items[last_child[p]].next_sibling = k;
    last_child[p] = k;
    ps->child_count++;
  }
  /* top-level symbols are siblings too */
  uint32_t prev = GR_NONE;
  for (uint32_t k = 0; k < len; k++) {
    if (items[k].parent != GR_NONE) continue;
    if (prev != GR_NONE) items[prev].next_sibling = k;
    prev = k;
  }
  gr_free(last_child);
}

ft_symbols *ft_symbols_new(const gr_tree *tree) {
  ft_symbols *out = gr_calloc(1, sizeof *out);
  const char *text = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  /* enclosing[i]: the symbol that node i is or lies in, or GR_NONE */
  uint32_t *enclosing = gr_malloc(sizeof(uint32_t) * count);
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

  ft_symbols__link(list.items, (uint32_t)list.len);
  gr_free(enclosing);
  out->items = list.items;
  out->len = (uint32_t)list.len;
  return out;
}

/* ---- YAML templates ------------------------------------------------------ */

typedef GR_ARRAY(ft_symbol) ft_symbols__list;

/* The decoded string of a scalar value node when it holds a non-blank
 * character, else NULL (absent, not a scalar, empty, or only blanks). */
static const char *ft_symbols__yaml_text(const yt_tmpl *tm, uint32_t node, uint32_t *len) {
  const char *v = yt_tmpl_str(tm, node, len);
  if (!v) return NULL;
  for (uint32_t i = 0; i < *len; i++)
    if (!ft_symbols__blank(v[i]) && v[i] != '\0') return v;
  return NULL;
}

/* A name from a decoded YAML string: the same clean-up as a heading's, and
 * a "\0" escape counts as a blank (a name goes out as a C string). */
static char *ft_symbols__yaml_name(const char *v, uint32_t len) {
  return ft_symbols__name_ex("", v, (gr_span){0, len}, "", 1);
}

/* A key's entry: from the key to the end of its value (to the key's end
 * when the value is empty, `template:`). */
static gr_span ft_symbols__yaml_entry(const yt_node *n) {
  gr_span s = {n->key.start, n->span.end > n->key.end ? n->span.end : n->key.end};
  return s;
}

/* The first line of `s`: what is selected of an item with neither title nor id. */
static gr_span ft_symbols__first_line(const char *text, gr_span s) {
  uint32_t e = s.start;
  while (e < s.end && text[e] != '\n' && text[e] != '\r') e++;
  return (gr_span){s.start, e};
}

static ft_symbol ft_symbols__blank_symbol(ft_symbol_kind kind, uint32_t node, uint32_t parent) {
  ft_symbol s;
  memset(&s, 0, sizeof s);
  s.kind = kind;
  s.node = node;
  s.parent = parent;
  s.first_child = s.next_sibling = GR_NONE;
  return s;
}

/* The template header: named by template.name (what the method shows a
 * user), else template.id, with the id as detail as for sections. */
static void ft_symbols__yaml_header(const yt_tmpl *tm, ft_symbols__list *list) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  const yt_header *h = yt_tmpl_header(tm);
  if (h->tmpl == YT_NONE) return;
  const yt_node *tn = yt_tree_node(tree, h->tmpl);
  ft_symbol s = ft_symbols__blank_symbol(FT_SYMBOL_TEMPLATE, h->tmpl, GR_NONE);
  s.range = ft_symbols__yaml_entry(tn);
  uint32_t nlen = 0, ilen = 0;
  const char *name = ft_symbols__yaml_text(tm, h->name, &nlen);
  const char *id = ft_symbols__yaml_text(tm, h->id, &ilen);
  if (name) {
    s.name = ft_symbols__yaml_name(name, nlen);
    s.selection = yt_tree_node(tree, h->name)->span;
    if (id) s.detail = ft_symbols__yaml_name(id, ilen);
  } else if (id) {
    s.name = ft_symbols__yaml_name(id, ilen);
    s.selection = yt_tree_node(tree, h->id)->span;
  } else {
    s.name = gr_strndup("template", 8);
    s.selection = tn->key;
  }
  gr_array_push(list, s);
}

ft_symbols *ft_symbols_new_yaml(const yt_tmpl *tm) {
  ft_symbols *out = gr_calloc(1, sizeof *out);
  const yt_tree *tree = yt_tmpl_tree(tm);
  const char *text = yt_tree_text(tree);
  ft_symbols__list list = {0};
  ft_symbols__yaml_header(tm, &list);
  uint32_t base = (uint32_t)list.len; /* section i is symbol base + i */
  uint32_t count = yt_tmpl_section_count(tm);
  for (uint32_t i = 0; i < count; i++) {
    const yt_section *sec = yt_tmpl_section(tm, i);
    const yt_node *n = yt_tree_node(tree, sec->node);
    ft_symbol s = ft_symbols__blank_symbol(FT_SYMBOL_SECTION, sec->node,
                                           sec->parent == YT_NONE ? GR_NONE : base + sec->parent);
    /* the heading level the document writes it at (the H1 is output.title) */
    s.level = sec->depth + 2u > 255u ? 255 : (uint8_t)(sec->depth + 2u);
    s.range = n->span;
    uint32_t tlen = 0, ilen = 0, ylen = 0;
    const char *title = ft_symbols__yaml_text(tm, sec->keys[YT_SKEY_TITLE], &tlen);
    const char *id = ft_symbols__yaml_text(tm, sec->keys[YT_SKEY_ID], &ilen);
    if (title) {
      s.name = ft_symbols__yaml_name(title, tlen);
      s.selection = yt_tree_node(tree, sec->keys[YT_SKEY_TITLE])->span;
      if (id) s.detail = ft_symbols__yaml_name(id, ilen);
    } else if (id) {
      /* A section without a title writes no heading: an instruction-only
       * step, or content (a diagram, a table) under its parent's heading.
       * Its id is what its author typed to name it, and it is unique, so
       * the outline names it by its id (a type, or "(untitled)", would give
       * several entries the same name); the detail says there is no title,
       * with the type, which tells what the step writes. */
      s.name = ft_symbols__yaml_name(id, ilen);
      s.selection = yt_tree_node(tree, sec->keys[YT_SKEY_ID])->span;
      const char *type = ft_symbols__yaml_text(tm, sec->keys[YT_SKEY_TYPE], &ylen);
      ft_buf b = {0};
      ft_buf_puts(&b, "no title");
      if (type) {
        char *t = ft_symbols__yaml_name(type, ylen);
        ft_buf_puts(&b, ", ");
        ft_buf_puts(&b, t);
        gr_free(t);
      }
      s.detail = ft_buf_take(&b);
    } else {
      /* No id either (a missing-key error): the type, or "(untitled)". */
      const char *type = ft_symbols__yaml_text(tm, sec->keys[YT_SKEY_TYPE], &ylen);
      s.name = type ? ft_symbols__yaml_name(type, ylen) : gr_strndup("(untitled)", 10);
      s.selection = ft_symbols__first_line(text, n->span);
    }
    gr_array_push(&list, s);
  }
  ft_symbols__link(list.items, (uint32_t)list.len);
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
