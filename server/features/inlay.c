/*
 * inlay.c: a document's inlay hints (see inlay.h).
 */
#include "server/features/inlay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/features/symbols.h"

/* Document sections of a repeated template section, grouped: by parent
 * document section, then template section, then text order. */
typedef struct ft_in__key {
  uint32_t parent, tsection, index;
} ft_in__key;

static int ft_in__cmp(const void *a, const void *b) {
  const ft_in__key *x = a, *y = b;
  if (x->parent != y->parent) return x->parent < y->parent ? -1 : 1;
  if (x->tsection != y->tsection) return x->tsection < y->tsection ? -1 : 1;
  return (x->index > y->index) - (x->index < y->index);
}

/* A heading that is a pattern: it holds what matches any text. */
static int ft_in__pattern(const tl_tsection *ts) {
  const char *h = ts->text;
  if (strstr(h, "{{")) return 1;
  const char *b = strchr(h, '{');
  if (b && strchr(b, '|') && strchr(b, '}')) return 1; /* {A|B} */
  for (const char *p = strchr(h, '['); p; p = strchr(p + 1, '[')) {
    const char *q = p + 1;
    while (*q && *q != ']' && (*q == ' ' || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_')) q++;
    if (*q == ']' && q > p + 1) return 1; /* [TECHNIQUE NAME 1] */
  }
  return 0;
}

static char *ft_in__fmt(const char *fmt, unsigned a, unsigned b) {
  char tmp[48];
  int n = snprintf(tmp, sizeof tmp, fmt, a, b);
  return gr_strndup(tmp, (size_t)n);
}

ft_inlays *ft_inlay_hints(const tl_document *doc, uint32_t start, uint32_t end) {
  ft_inlays *out = gr_calloc(1, sizeof *out);
  const tl_template *t = tl_document_template(doc);
  uint32_t n = tl_document_section_count(doc);
  if (!t || !n) return out;
  /* instance k of m: one sort of the repeated sections */
  uint32_t *nth = gr_calloc(n, sizeof *nth), *of = gr_calloc(n, sizeof *of);
  GR_ARRAY(ft_in__key) keys = {0};
  for (uint32_t i = 0; i < n; i++) {
    const tl_dsection *s = tl_document_section(doc, i);
    if (s->tsection != TL_NONE && tl_template_section(t, s->tsection)->repeats)
      gr_array_push(&keys, ((ft_in__key){s->parent, s->tsection, i}));
  }
  if (keys.len > 1) qsort(keys.items, keys.len, sizeof *keys.items, ft_in__cmp);
  for (size_t a = 0; a < keys.len;) {
    size_t b = a;
    while (b < keys.len && keys.items[b].parent == keys.items[a].parent &&
           keys.items[b].tsection == keys.items[a].tsection)
      b++;
    for (size_t k = a; k < b; k++) nth[keys.items[k].index] = (uint32_t)(k - a + 1), of[keys.items[k].index] = (uint32_t)(b - a);
    a = b;
  }
  gr_array_free(&keys);
  GR_ARRAY(ft_inlay) items = {0};
  const char *text = gr_tree_text(tl_document_tree(doc));
  for (uint32_t i = 0; i < n; i++) {
    const tl_dsection *s = tl_document_section(doc, i);
    uint32_t at = s->title.end;
    if (s->tsection == TL_NONE || at < start || at > end) continue;
    const tl_tsection *ts = tl_template_section(t, s->tsection);
    if (of[i]) gr_array_push(&items, ((ft_inlay){at, FT_INLAY_INSTANCE, ft_in__fmt("%u of %u", nth[i], of[i])}));
    size_t hl = strlen(ts->text);
    int same = s->title.end - s->title.start == hl && memcmp(text + s->title.start, ts->text, hl) == 0;
    /* "template: ‹heading›", valid UTF-8 (a template on disk need not be)
     * and one line, as an outline name is */
    if (!same && ft_in__pattern(ts))
      gr_array_push(&items, ((ft_inlay){at, FT_INLAY_PATTERN,
                                        ft_symbols_name("template:", ts->text, (gr_span){0, (uint32_t)hl}, "")}));
  }
  gr_free(nth);
  gr_free(of);
  out->items = items.items;
  out->len = items.len;
  return out;
}

void ft_inlays_free(ft_inlays *h) {
  if (!h) return;
  for (size_t i = 0; i < h->len; i++) gr_free(h->items[i].label);
  gr_free(h->items);
  gr_free(h);
}
