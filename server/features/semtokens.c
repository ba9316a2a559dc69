/*
 * semtokens.c: semantic tokens (see semtokens.h).
 *
 * Two steps, both linear (plus one sort):
 *   1. Every node in the window gives "paint" entries: a span and a token
 *      type. Entries form a laminar family (any two nest or are disjoint),
 *      because the tree's spans do and a node's entries lie inside its span
 *      (a marker's name inside the marker, an example's body between its
 *      markers, children inside the body).
 *   2. A sweep over the entries sorted by (start, longest first) keeps a
 *      stack of open entries; the top (the innermost) paints the bytes up to
 *      the next boundary, cut at line ends and trimmed of blanks.
 * The stack is an array, never recursion, so nesting depth does not matter.
 */
#include "server/features/semtokens.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/foreign.h"

static const char *const ft_semtok__types[FT_SEMTOK_TYPE_COUNT] = {
    "parameter", "comment", "keyword", "macro", "type", "string", "property"};

static const char *const ft_semtok__mods[FT_SEMTOK_MOD_COUNT] = {"unclosed", "inCode",
                                                                   "documentation", "critical"};

const char *const *ft_semtok_type_names(size_t *count) {
  if (count) *count = FT_SEMTOK_TYPE_COUNT;
  return ft_semtok__types;
}

const char *const *ft_semtok_modifier_names(size_t *count) {
  if (count) *count = FT_SEMTOK_MOD_COUNT;
  return ft_semtok__mods;
}

/* ---- step 1: entries ---------------------------------------------------- */

typedef struct ft_semtok__entry {
  uint32_t start, end;
  uint32_t seq; /* emission order: an outer entry is emitted before what it holds */
  uint16_t type, mods;
} ft_semtok__entry;

typedef GR_ARRAY(ft_semtok__entry) ft_semtok__entries;

static void ft_semtok__add(ft_semtok__entries *es, gr_span s, int type, unsigned mods) {
  if (s.end <= s.start) return;
  ft_semtok__entry e = {s.start, s.end, (uint32_t)es->len, (uint16_t)type, (uint16_t)mods};
  gr_array_push(es, e);
}

static unsigned ft_semtok__mods_of(const gr_node *n) {
  unsigned m = 0;
  if (n->flags & GR_FLAG_IN_CODE) m |= FT_SEMTOK_MOD_IN_CODE;
  if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) m |= FT_SEMTOK_MOD_DOCUMENTATION;
  return m;
}

/* A marker with its name painted inside it. */
static void ft_semtok__marker(ft_semtok__entries *es, gr_span marker, gr_span name, int name_type,
                              unsigned mods) {
  ft_semtok__add(es, marker, FT_SEMTOK_MARKER, mods);
  if (name.start >= marker.start && name.end <= marker.end)
    ft_semtok__add(es, name, name_type, mods);
}

/* Between the opener and the closer (or the end, when there is none). */
static gr_span ft_semtok__inside(const gr_node *n) {
  uint32_t e = n->close.end > n->close.start ? n->close.start : n->span.end;
  uint32_t s = n->open.end;
  if (s > e) s = e;
  return (gr_span){s, e};
}

static void ft_semtok__node(ft_semtok__entries *es, const gr_node *n) {
  unsigned mods = ft_semtok__mods_of(n);
  unsigned own = mods | ((n->flags & GR_FLAG_UNCLOSED) ? FT_SEMTOK_MOD_UNCLOSED : 0);
  gr_span none = {0, 0};
  switch (n->kind) {
    case GR_PLACEHOLDER: ft_semtok__add(es, n->span, FT_SEMTOK_PLACEHOLDER, mods); break;
    case GR_INSTRUCTION: ft_semtok__add(es, n->span, FT_SEMTOK_INSTRUCTION, own); break;
    case GR_HTML_COMMENT: ft_semtok__add(es, n->span, FT_SEMTOK_INSTRUCTION, mods); break;
    case GR_CRITICAL_RULE:
      ft_semtok__add(es, n->open, FT_SEMTOK_MARKER, own);
      ft_semtok__add(es, ft_semtok__inside(n), FT_SEMTOK_INSTRUCTION, own | FT_SEMTOK_MOD_CRITICAL);
      ft_semtok__add(es, n->close, FT_SEMTOK_MARKER, mods);
      break;
    case GR_REPEAT:
      ft_semtok__marker(es, n->open, n->name, FT_SEMTOK_BLOCK_NAME, own);
      ft_semtok__add(es, n->close, FT_SEMTOK_MARKER, mods);
      break;
    case GR_CONDITION:
      ft_semtok__marker(es, n->open, n->name, FT_SEMTOK_CONDITION_NAME, own);
      ft_semtok__marker(es, n->close, n->close_name, FT_SEMTOK_CONDITION_NAME, mods);
      break;
    case GR_EXAMPLE:
      ft_semtok__marker(es, n->open, n->name, FT_SEMTOK_BLOCK_NAME, own);
      ft_semtok__add(es, ft_semtok__inside(n), FT_SEMTOK_EXAMPLE, own);
      ft_semtok__marker(es, n->close, none, 0, mods);
      break;
    case GR_EXAMPLE_INLINE:
      ft_semtok__marker(es, n->span, n->name, FT_SEMTOK_EXAMPLE, mods);
      break;
    default: break; /* root, sections, fences, code spans, front matter */
  }
}

static int ft_semtok__cmp(const void *a, const void *b) {
  const ft_semtok__entry *x = a, *y = b;
  if (x->start != y->start) return x->start < y->start ? -1 : 1;
  if (x->end != y->end) return x->end > y->end ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ---- step 2: the sweep -------------------------------------------------- */

typedef struct ft_semtok__sweep {
  const char *t;
  uint32_t lo, hi; /* the window: whole lines */
  GR_ARRAY(ft_semtok) out;
} ft_semtok__sweep;

static int ft_semtok__eol(char c) { return c == '\n' || c == '\r'; }
static int ft_semtok__blank(char c) { return c == ' ' || c == '\t'; }

/* Paint [a, b) with entry e: one token per line piece, trimmed. */
static void ft_semtok__paint(ft_semtok__sweep *S, uint32_t a, uint32_t b,
                             const ft_semtok__entry *e) {
  if (a < S->lo) a = S->lo;
  if (b > S->hi) b = S->hi;
  const char *t = S->t;
  while (a < b) {
    uint32_t s = a;
    while (a < b && !ft_semtok__eol(t[a])) a++;
    uint32_t x = s, y = a;
    while (x < y && ft_semtok__blank(t[x])) x++;
    while (y > x && ft_semtok__blank(t[y - 1])) y--;
    if (x < y) {
      ft_semtok tok = {x, y, e->type, e->mods};
      gr_array_push(&S->out, tok);
    }
    while (a < b && ft_semtok__eol(t[a])) a++;
  }
}

/* Sort the entries and paint the window [lo, hi) of text `t` with them;
 * frees the entries. */
static ft_semtoks *ft_semtok__sweep_all(const char *t, ft_semtok__entries *entries, uint32_t lo,
                                        uint32_t hi);

static ft_semtoks *ft_semtok__compute(const gr_tree *tree, const tl_document *doc, uint32_t lo,
                                      uint32_t hi) {
  ft_semtok__entries es = {0};
  uint32_t count = gr_tree_count(tree);
  for (uint32_t i = 1; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->span.end < lo || n->span.start > hi) continue;
    /* In a document, what the diagnostics do not take for a placeholder
     * (${{ }}, Id{{Label}}, style={{ }}, {{}}, ...) is not coloured as one. */
    if (doc && n->kind == GR_PLACEHOLDER && tl_foreign_classify(doc, i) == TL_PH_FOREIGN) continue;
    ft_semtok__node(&es, n);
  }
  return ft_semtok__sweep_all(gr_tree_text(tree), &es, lo, hi);
}

static ft_semtoks *ft_semtok__sweep_all(const char *t, ft_semtok__entries *entries, uint32_t lo,
                                        uint32_t hi) {
  ft_semtok__entries es = *entries;
  if (es.len > 1) qsort(es.items, es.len, sizeof(ft_semtok__entry), ft_semtok__cmp);

  ft_semtok__sweep S;
  memset(&S, 0, sizeof S);
  S.t = t;
  S.lo = lo;
  S.hi = hi;
  GR_ARRAY(uint32_t) stack = {0};
  uint32_t pos = 0;
  for (size_t k = 0; k <= es.len; k++) {
    /* the next boundary: this entry's start, or the end of everything */
    uint32_t at = k < es.len ? es.items[k].start : UINT32_MAX;
    while (stack.len) {
      ft_semtok__entry *top = &es.items[stack.items[stack.len - 1]];
      if (top->end > at) {
        if (pos < at) ft_semtok__paint(&S, pos, at, top);
        pos = at;
        break;
      }
      if (pos < top->end) ft_semtok__paint(&S, pos, top->end, top);
      pos = top->end;
      stack.len--;
    }
    if (k == es.len) break;
    ft_semtok__entry *e = &es.items[k];
    if (pos < e->start) pos = e->start;
    if (stack.len) { /* keep the family laminar whatever the input */
      uint32_t pend = es.items[stack.items[stack.len - 1]].end;
      if (e->end > pend) e->end = pend;
    }
    if (e->end > e->start) gr_array_push(&stack, (uint32_t)k);
  }
  gr_array_free(&stack);
  gr_array_free(&es);
  memset(entries, 0, sizeof *entries);
  ft_semtoks *out = gr_calloc(1, sizeof *out);
  out->items = S.out.items;
  out->len = S.out.len;
  return out;
}

ft_semtoks *ft_semtok_full(const gr_tree *tree, const tl_document *doc) {
  return ft_semtok__compute(tree, doc, 0, gr_tree_len(tree));
}

/* Bounds of the line holding byte `off`; a terminator belongs to the line it ends. */
static void ft_semtok__line(const char *t, uint32_t len, uint32_t off, uint32_t *ls,
                            uint32_t *le) {
  if (off >= len) {
    off = len;
  } else if (t[off] == '\n' && off > 0 && t[off - 1] == '\r') {
    off--;
  }
  uint32_t s = off;
  while (s > 0 && !ft_semtok__eol(t[s - 1])) s--;
  uint32_t e = off;
  while (e < len && !ft_semtok__eol(t[e])) e++;
  *ls = s;
  *le = e;
}

/* The window of whole lines that `range` touches. */
static void ft_semtok__window(const char *t, uint32_t len, gr_span range, uint32_t *lo,
                              uint32_t *hi) {
  uint32_t a = range.start < len ? range.start : len;
  uint32_t b = range.end < len ? range.end : len;
  if (b < a) b = a;
  uint32_t last = b > a ? b - 1 : b; /* [line 3 start, line 5 start) is lines 3-4 */
  uint32_t s2, e1;
  ft_semtok__line(t, len, a, lo, &e1);
  ft_semtok__line(t, len, last, &s2, hi);
}

ft_semtoks *ft_semtok_range(const gr_tree *tree, const tl_document *doc, gr_span range) {
  uint32_t lo, hi;
  ft_semtok__window(gr_tree_text(tree), gr_tree_len(tree), range, &lo, &hi);
  return ft_semtok__compute(tree, doc, lo, hi);
}

/* ---- YAML templates ------------------------------------------------------ */

/* Whether [s.start, s.end) touches the window (as for Markdown nodes). */
static int ft_semtok__in(gr_span s, uint32_t lo, uint32_t hi) { return !(s.end < lo || s.start > hi); }

static void ft_semtok__yaml_key(ft_semtok__entries *es, const yt_tree *tree, uint32_t node,
                                uint32_t lo, uint32_t hi) {
  if (node == YT_NONE) return;
  const yt_node *n = yt_tree_node(tree, node);
  if (n && n->key_text && ft_semtok__in(n->key, lo, hi)) ft_semtok__add(es, n->key, FT_SEMTOK_PROPERTY, 0);
}

static void ft_semtok__yaml_value(ft_semtok__entries *es, const yt_tree *tree, uint32_t node, int type,
                                  uint32_t lo, uint32_t hi) {
  if (node == YT_NONE) return;
  const yt_node *n = yt_tree_node(tree, node);
  if (n && n->kind == YT_SCALAR && ft_semtok__in(n->span, lo, hi)) ft_semtok__add(es, n->span, type, 0);
}

static ft_semtoks *ft_semtok__yaml(const yt_tmpl *tm, uint32_t lo, uint32_t hi) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  ft_semtok__entries es = {0};
  /* The keys the template view reads: the header's and the sections'. A
   * key it does not know (a misspelt one, with its unknown-key warning)
   * stays uncoloured. */
  const yt_header *h = yt_tmpl_header(tm);
  const uint32_t header[] = {h->tmpl,   h->id,       h->name,     h->version, h->description,
                             h->output, h->format,   h->filename, h->title,   h->workflow,
                             h->mode,   h->elicitation, h->sections};
  for (size_t i = 0; i < sizeof header / sizeof header[0]; i++) ft_semtok__yaml_key(&es, tree, header[i], lo, hi);
  uint32_t nsec = yt_tmpl_section_count(tm);
  for (uint32_t i = 0; i < nsec; i++) {
    const yt_section *sec = yt_tmpl_section(tm, i);
    for (int k = 0; k < YT_SKEY_COUNT; k++) ft_semtok__yaml_key(&es, tree, sec->keys[k], lo, hi);
    /* As in a Markdown template: an instruction is text for the agent that
     * never reaches the document (comment), a condition is a switch (macro). */
    ft_semtok__yaml_value(&es, tree, sec->keys[YT_SKEY_INSTRUCTION], FT_SEMTOK_INSTRUCTION, lo, hi);
    ft_semtok__yaml_value(&es, tree, sec->keys[YT_SKEY_CONDITION], FT_SEMTOK_CONDITION_NAME, lo, hi);
  }
  uint32_t nvar = yt_tmpl_var_count(tm);
  for (uint32_t i = 0; i < nvar; i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    if (!ft_semtok__in(v->span, lo, hi)) continue;
    unsigned mods = (v->flags & YT_VAR_UNTERMINATED) ? FT_SEMTOK_MOD_UNCLOSED : 0;
    /* a {{var}} an instruction or an example mentions is not a slot */
    if (v->key == YT_SKEY_INSTRUCTION || v->key == YT_SKEY_EXAMPLES) mods |= FT_SEMTOK_MOD_DOCUMENTATION;
    ft_semtok__add(&es, v->span, FT_SEMTOK_PLACEHOLDER, mods);
  }
  return ft_semtok__sweep_all(yt_tree_text(tree), &es, lo, hi);
}

ft_semtoks *ft_semtok_yaml_full(const yt_tmpl *tm) {
  return ft_semtok__yaml(tm, 0, yt_tree_len(yt_tmpl_tree(tm)));
}

ft_semtoks *ft_semtok_yaml_range(const yt_tmpl *tm, gr_span range) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  uint32_t lo, hi;
  ft_semtok__window(yt_tree_text(tree), yt_tree_len(tree), range, &lo, &hi);
  return ft_semtok__yaml(tm, lo, hi);
}

void ft_semtok_free(ft_semtoks *tokens) {
  if (!tokens) return;
  gr_free(tokens->items);
  gr_free(tokens);
}

/* ---- deltas --------------------------------------------------------------- */

int ft_semtok_delta(const uint32_t *old, size_t on, const uint32_t *new_, size_t nn, ft_semtok_edit *e) {
  size_t ot = on / 5, nt = nn / 5, p = 0, q = 0; /* in tokens */
  const size_t tok = 5 * sizeof *old;
  while (p < ot && p < nt && memcmp(old + 5 * p, new_ + 5 * p, tok) == 0) p++;
  while (q < ot - p && q < nt - p && memcmp(old + 5 * (ot - 1 - q), new_ + 5 * (nt - 1 - q), tok) == 0) q++;
  if (p == ot && p == nt) return 0;
  e->start = 5 * p;
  e->delete_count = 5 * (ot - q - p);
  e->data_start = 5 * p;
  e->data_count = 5 * (nt - q - p);
  return 1;
}
