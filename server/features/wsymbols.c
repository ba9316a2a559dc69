/*
 * wsymbols.c: the symbols of a file for workspace/symbol, and the search
 * over many files (see wsymbols.h).
 *
 * The search keeps the best `cap` hits in a binary heap whose top is the
 * worst kept, so a query that matches most of a big workspace costs
 * O(matches * log cap), not a sort of every match.
 */
#include "server/features/wsymbols.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "server/features/buf.h"
#include "server/features/fuzzy.h"
#include "server/features/symbols.h"

int ft_wsym_kind_lsp(ft_wsym_kind kind) {
  switch (kind) {
    case FT_WSYM_CONDITION: return 17; /* Boolean */
    case FT_WSYM_REPEAT: return 18;    /* Array */
    case FT_WSYM_ID: return 20;        /* Key */
    case FT_WSYM_SECTION:
    default: return 15; /* String */
  }
}

/* ---- building ----------------------------------------------------------- */

typedef struct ft_wsyms__b {
  const char *text;
  size_t len;
  gr_lines *lines;
  GR_ARRAY(ft_wsym) items;
  ft_buf pool;
} ft_wsyms__b;

static uint32_t ft_wsyms__put(ft_wsyms__b *b, const char *s, size_t n) {
  uint32_t at = (uint32_t)b->pool.len;
  ft_buf_putn(&b->pool, s, n);
  return at;
}

/*
 * Add a symbol named `name` (a new string, taken; "" is not added) whose
 * range starts at `range.start`, cut at the end of its line. Returns its
 * index, or FT_WSYM_NONE.
 */
static uint32_t ft_wsyms__add(ft_wsyms__b *b, ft_wsym_kind kind, uint32_t container, gr_span range, char *name) {
  size_t nl = strlen(name);
  if (nl == 0 || b->items.len >= FT_WSYMS_MAX_PER_FILE || range.start > b->len) {
    gr_free(name);
    return FT_WSYM_NONE;
  }
  uint32_t line = gr_lines_line_of(b->lines, range.start);
  size_t ls = gr_lines_start(b->lines, line), le = gr_lines_end(b->lines, b->text, line);
  size_t start = range.start, end = range.end < le ? range.end : le;
  if (start < ls) start = ls; /* cannot happen: line_of holds start */
  if (end < start) end = start;
  ft_wsym s;
  memset(&s, 0, sizeof s);
  s.kind = (uint8_t)kind;
  s.container = container;
  s.line = line;
  s.start = (uint32_t)(start - ls);
  s.end = (uint32_t)(end - ls);
  s.head = ft_wsyms__put(b, b->text + ls, end - ls);
  s.head_len = (uint32_t)(end - ls);
  /* Most names are written as they read: share the head's bytes. */
  if (nl == end - start && memcmp(name, b->text + start, nl) == 0)
    s.name = s.head + s.start;
  else
    s.name = ft_wsyms__put(b, name, nl);
  s.name_len = (uint32_t)nl;
  gr_free(name);
  gr_array_push(&b->items, s);
  return (uint32_t)b->items.len - 1;
}

static void ft_wsyms__begin(ft_wsyms__b *b, const char *text, size_t len) {
  memset(b, 0, sizeof *b);
  b->text = text;
  b->len = len;
  b->lines = gr_lines_new(text, len);
}

static ft_wsyms *ft_wsyms__end(ft_wsyms__b *b) {
  gr_lines_free(b->lines);
  ft_wsyms *out = gr_calloc(1, sizeof *out);
  out->items = b->items.items;
  out->len = (uint32_t)b->items.len;
  out->pool = b->pool.items;
  out->pool_len = (uint32_t)b->pool.len;
  return out;
}

/* A model string cleaned as a name. */
static char *ft_wsyms__clean(const char *s) {
  if (!s) s = "";
  return ft_symbols_name("", s, (gr_span){0, (uint32_t)strlen(s)}, "");
}

ft_wsyms *ft_wsyms_document(const gr_tree *tree) {
  ft_wsyms__b b;
  const char *text = gr_tree_text(tree);
  ft_wsyms__begin(&b, text, gr_tree_len(tree));
  uint32_t count = gr_tree_count(tree);
  /* enclosing[i]: the symbol of the section node i is or lies in */
  uint32_t *enclosing = gr_malloc(sizeof(uint32_t) * count);
  for (uint32_t i = 0; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    uint32_t up = n->parent == GR_NONE ? FT_WSYM_NONE : enclosing[n->parent];
    enclosing[i] = up;
    if (n->kind != GR_SECTION) continue;
    uint32_t k = ft_wsyms__add(&b, FT_WSYM_SECTION, up, n->name, ft_symbols_name("", text, n->name, ""));
    if (k != FT_WSYM_NONE) enclosing[i] = k;
  }
  gr_free(enclosing);
  return ft_wsyms__end(&b);
}

/* Where `name` is written on the line of span.start (a block's opener), else the span. */
static gr_span ft_wsyms__name_on_line(const ft_wsyms__b *b, gr_span span, const char *name) {
  if (span.start > b->len) return span;
  uint32_t line = gr_lines_line_of(b->lines, span.start);
  size_t le = gr_lines_end(b->lines, b->text, line), nl = strlen(name);
  for (size_t i = span.start; nl && i + nl <= le; i++)
    if (memcmp(b->text + i, name, nl) == 0) return (gr_span){(uint32_t)i, (uint32_t)(i + nl)};
  return span;
}

/* A REPEAT that only says a YAML section repeats: that section's symbol (or its id's) names it already. */
static int ft_wsyms__repeat_is_section(const tl_template *t, const tl_trepeat *r) {
  for (uint32_t i = 0; i < tl_template_section_count(t); i++) {
    const tl_tsection *s = tl_template_section(t, i);
    if (s->span.start == r->span.start && s->span.end == r->span.end) return 1;
  }
  for (uint32_t i = 0; i < tl_template_id_count(t); i++) {
    const tl_tid *d = tl_template_id(t, i);
    if (d->span.start >= r->span.start && d->span.end <= r->span.end && strcmp(d->name, r->name) == 0) return 1;
  }
  return 0;
}

ft_wsyms *ft_wsyms_template(const tl_template *t, const char *text, size_t len) {
  ft_wsyms__b b;
  ft_wsyms__begin(&b, text, len);
  uint32_t ns = tl_template_section_count(t);
  uint32_t *sec = gr_malloc(sizeof(uint32_t) * ((size_t)ns + 1));
  for (uint32_t i = 0; i < ns; i++) {
    const tl_tsection *s = tl_template_section(t, i);
    uint32_t up = s->parent < i ? sec[s->parent] : FT_WSYM_NONE;
    sec[i] = ft_wsyms__add(&b, FT_WSYM_SECTION, up, s->title, ft_wsyms__clean(s->text));
  }
#define FT_WSYMS__IN(x) ((x) < ns ? sec[(x)] : FT_WSYM_NONE)
  for (uint32_t i = 0; i < tl_template_condition_count(t); i++) {
    const tl_tcondition *c = tl_template_condition(t, i);
    if (!c->name || !c->name[0]) continue;
    ft_wsyms__add(&b, FT_WSYM_CONDITION, FT_WSYMS__IN(c->section), ft_wsyms__name_on_line(&b, c->span, c->name),
                  ft_wsyms__clean(c->name));
  }
  for (uint32_t i = 0; i < tl_template_repeat_count(t); i++) {
    const tl_trepeat *r = tl_template_repeat(t, i);
    if (!r->name || !r->name[0] || ft_wsyms__repeat_is_section(t, r)) continue;
    ft_wsyms__add(&b, FT_WSYM_REPEAT, FT_WSYMS__IN(r->section), ft_wsyms__name_on_line(&b, r->span, r->name),
                  ft_wsyms__clean(r->name));
  }
  for (uint32_t i = 0; i < tl_template_id_count(t); i++) {
    const tl_tid *d = tl_template_id(t, i);
    ft_wsyms__add(&b, FT_WSYM_ID, FT_WSYMS__IN(d->section), d->span, ft_wsyms__clean(d->name));
  }
#undef FT_WSYMS__IN
  gr_free(sec);
  return ft_wsyms__end(&b);
}

void ft_wsyms_free(ft_wsyms *list) {
  if (!list) return;
  gr_free(list->items);
  gr_free(list->pool);
  gr_free(list);
}

size_t ft_wsyms_bytes(const ft_wsyms *list) {
  if (!list) return 0;
  return sizeof *list + (size_t)list->len * sizeof *list->items + list->pool_len + 1;
}

const char *ft_wsyms_name(const ft_wsyms *list, uint32_t i, size_t *len) {
  *len = list->items[i].name_len;
  return list->pool + list->items[i].name;
}

const char *ft_wsyms_head(const ft_wsyms *list, uint32_t i, size_t *len) {
  *len = list->items[i].head_len;
  return list->pool + list->items[i].head;
}

/* ---- searching ---------------------------------------------------------- */

typedef struct ft_wsyms__hit {
  ft_wsym_hit hit;
  uint32_t name_len;
} ft_wsyms__hit;

/* Is a a better hit than b? */
static int ft_wsyms__better(const ft_wsyms__hit *a, const ft_wsyms__hit *b) {
  if (a->hit.score != b->hit.score) return a->hit.score > b->hit.score;
  if (a->name_len != b->name_len) return a->name_len < b->name_len;
  if (a->hit.file != b->hit.file) return a->hit.file < b->hit.file;
  return a->hit.sym < b->hit.sym;
}

static int ft_wsyms__cmp(const void *x, const void *y) {
  const ft_wsyms__hit *a = x, *b = y;
  return ft_wsyms__better(a, b) ? -1 : ft_wsyms__better(b, a) ? 1 : 0;
}

/* The heap: heap[0] is the worst kept; every parent is no better than its children. */
static void ft_wsyms__sift_down(ft_wsyms__hit *heap, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, w = i;
    if (l < n && ft_wsyms__better(&heap[w], &heap[l])) w = l;
    if (r < n && ft_wsyms__better(&heap[w], &heap[r])) w = r;
    if (w == i) return;
    ft_wsyms__hit t = heap[i];
    heap[i] = heap[w];
    heap[w] = t;
    i = w;
  }
}

static void ft_wsyms__sift_up(ft_wsyms__hit *heap, size_t i) {
  while (i > 0) {
    size_t p = (i - 1) / 2;
    if (!ft_wsyms__better(&heap[p], &heap[i])) return;
    ft_wsyms__hit t = heap[i];
    heap[i] = heap[p];
    heap[p] = t;
    i = p;
  }
}

size_t ft_wsyms_search(const ft_wsyms *const *files, size_t n, const char *query, size_t query_len, size_t cap,
                       ft_wsym_hit **out, size_t *total) {
  *out = NULL;
  ft_fuzzy f;
  ft_fuzzy_prepare(&f, query ? query : "", query ? query_len : 0);
  size_t matched = 0, kept = 0;
  GR_ARRAY(ft_wsyms__hit) heap = {0};
  for (size_t fi = 0; fi < n; fi++) {
    const ft_wsyms *list = files[fi];
    if (!list) continue;
    for (uint32_t k = 0; k < list->len; k++) {
      const ft_wsym *s = &list->items[k];
      int32_t score = ft_fuzzy_score(&f, list->pool + s->name, s->name_len);
      if (score < 0) continue;
      matched++;
      if (cap == 0) continue;
      ft_wsyms__hit h = {{(uint32_t)fi, k, score}, s->name_len};
      if (ft_fuzzy_empty(&f)) { /* the files' order: the first cap */
        if (heap.len < cap) gr_array_push(&heap, h);
        continue;
      }
      if (heap.len < cap) {
        gr_array_push(&heap, h);
        ft_wsyms__sift_up(heap.items, heap.len - 1);
      } else if (ft_wsyms__better(&h, &heap.items[0])) {
        heap.items[0] = h;
        ft_wsyms__sift_down(heap.items, heap.len, 0);
      }
    }
  }
  if (total) *total = matched;
  kept = heap.len;
  if (!kept) {
    gr_array_free(&heap);
    return 0;
  }
  if (!ft_fuzzy_empty(&f)) qsort(heap.items, kept, sizeof *heap.items, ft_wsyms__cmp);
  ft_wsym_hit *hits = gr_malloc(kept * sizeof *hits);
  for (size_t i = 0; i < kept; i++) hits[i] = heap.items[i].hit;
  gr_array_free(&heap);
  *out = hits;
  return kept;
}
