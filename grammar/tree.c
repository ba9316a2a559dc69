/*
 * tree.c: storage, navigation, invariant checks and the debug dump of
 * gr_tree. The parser (parse.c) is the only writer.
 */
#include "grammar/tree.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const gr__kind_names[GR_KIND_COUNT] = {
    "root",        "front-matter", "section",     "fence",     "code-span",
    "html-comment", "placeholder", "instruction", "repeat",    "condition",
    "example",     "inline-example", "critical-rule"};

static const struct {
  const char *name;
  gr_severity severity;
} gr__codes[GR_DIAG_CODE_COUNT] = {
#define GR__XX(id, str, sev) {str, sev},
    GR_DIAG_CODES(GR__XX)
#undef GR__XX
};

const char *gr_kind_name(gr_kind kind) {
  return (unsigned)kind < GR_KIND_COUNT ? gr__kind_names[kind] : "?";
}

const char *gr_diag_code_name(gr_diag_code code) {
  return (unsigned)code < GR_DIAG_CODE_COUNT ? gr__codes[code].name : "?";
}

gr_severity gr_diag_code_severity(gr_diag_code code) {
  return (unsigned)code < GR_DIAG_CODE_COUNT ? gr__codes[code].severity : GR_SEV_ERROR;
}

/* ---- building ----------------------------------------------------------- */

void gr_tree__diag(gr_tree *t, gr_diag_code code, uint32_t start, uint32_t end, uint32_t node,
                   const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char buf[512];
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  gr_diag d;
  d.code = code;
  d.severity = gr_diag_code_severity(code);
  d.span = (gr_span){start, end};
  d.node = node;
  d.related = (gr_span){GR_NONE, GR_NONE};
  d.related_message = NULL;
  /* The message lives in msgs; its offset rides in the pointer slot until
   * gr_tree__finish turns it into a pointer (msgs may still move). */
  d.message = (const char *)(uintptr_t)t->msgs.len;
  gr_array_reserve(&t->msgs, (size_t)n + 1);
  memcpy(t->msgs.items + t->msgs.len, buf, (size_t)n);
  t->msgs.len += (size_t)n;
  t->msgs.items[t->msgs.len++] = '\0';
  gr_array_push(&t->diags, d);
}

static int gr__diag_cmp(const void *a, const void *b) {
  const gr_diag *x = a, *y = b;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  if (x->span.end != y->span.end) return x->span.end < y->span.end ? -1 : 1;
  return (int)x->code - (int)y->code;
}

void gr_tree__finish(gr_tree *t) {
  for (size_t i = 0; i < t->diags.len; i++) {
    uintptr_t off = (uintptr_t)t->diags.items[i].message;
    t->diags.items[i].message = t->msgs.items + off;
  }
  if (t->diags.len > 1) qsort(t->diags.items, t->diags.len, sizeof(gr_diag), gr__diag_cmp);
}

void gr_tree_free(gr_tree *tree) {
  if (!tree) return;
  gr_array_free(&tree->nodes);
  gr_array_free(&tree->diags);
  gr_array_free(&tree->msgs);
  gr_free(tree);
}

static void *gr_tree__dup(const void *src, size_t bytes) {
  if (!bytes) return NULL;
  void *p = gr_malloc(bytes);
  memcpy(p, src, bytes);
  return p;
}

gr_tree *gr_tree_copy(const gr_tree *tree, const char *text, size_t len) {
  if (len != tree->len) return NULL; /* (a text cut at GR__MAX_LEN is parsed again) */
  gr_tree *t = gr_calloc(1, sizeof *t);
  t->text = text;
  t->len = tree->len;
  t->mode = tree->mode;
  t->nodes.items = gr_tree__dup(tree->nodes.items, tree->nodes.len * sizeof *tree->nodes.items);
  t->nodes.len = t->nodes.cap = tree->nodes.len;
  t->diags.items = gr_tree__dup(tree->diags.items, tree->diags.len * sizeof *tree->diags.items);
  t->diags.len = t->diags.cap = tree->diags.len;
  t->msgs.items = gr_tree__dup(tree->msgs.items, tree->msgs.len);
  t->msgs.len = t->msgs.cap = tree->msgs.len;
  for (size_t i = 0; i < t->diags.len; i++) /* messages live in msgs (related ones are static) */
    t->diags.items[i].message = t->msgs.items + (tree->diags.items[i].message - tree->msgs.items);
  return t;
}

/* ---- reading ------------------------------------------------------------ */

const char *gr_tree_text(const gr_tree *tree) { return tree->text; }
uint32_t gr_tree_len(const gr_tree *tree) { return tree->len; }
uint32_t gr_tree_mode(const gr_tree *tree) { return tree->mode; }
uint32_t gr_tree_count(const gr_tree *tree) { return (uint32_t)tree->nodes.len; }

const gr_node *gr_tree_node(const gr_tree *tree, uint32_t i) {
  return i < tree->nodes.len ? &tree->nodes.items[i] : NULL;
}

uint32_t gr_tree_diag_count(const gr_tree *tree) { return (uint32_t)tree->diags.len; }

const gr_diag *gr_tree_diag(const gr_tree *tree, uint32_t i) {
  return i < tree->diags.len ? &tree->diags.items[i] : NULL;
}

uint32_t gr_tree_node_at(const gr_tree *tree, uint32_t offset) {
  /* The array is in pre-order, so it is sorted by start. The last node
   * starting at or before offset is either the deepest one holding it or a
   * descendant of a sibling that ended before it; climbing parents from
   * there reaches the deepest holder. */
  const gr_node *n = tree->nodes.items;
  size_t lo = 0, hi = tree->nodes.len;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (n[mid].span.start <= offset) lo = mid;
    else hi = mid;
  }
  uint32_t i = (uint32_t)lo;
  while (i != 0 && !(n[i].span.start <= offset && offset <= n[i].span.end)) i = n[i].parent;
  return i;
}

uint32_t gr_tree_ancestor(const gr_tree *tree, uint32_t i, gr_kind kind) {
  while (i != GR_NONE && i < tree->nodes.len) {
    if (tree->nodes.items[i].kind == kind) return i;
    i = tree->nodes.items[i].parent;
  }
  return GR_NONE;
}

uint32_t gr_tree_next(const gr_tree *tree, uint32_t i) {
  return i + 1 < tree->nodes.len ? i + 1 : GR_NONE;
}

/* ---- invariants --------------------------------------------------------- */

static int gr__inside(gr_span inner, gr_span outer) {
  return inner.start <= inner.end && outer.start <= inner.start && inner.end <= outer.end;
}

#define GR__FAIL(...)                     \
  do {                                    \
    if (out) fprintf(out, __VA_ARGS__);   \
    return -1;                            \
  } while (0)

int gr_tree_check(const gr_tree *tree, FILE *out) {
  const gr_node *n = tree->nodes.items;
  size_t count = tree->nodes.len;
  if (count == 0 || n[0].kind != GR_ROOT || n[0].parent != GR_NONE)
    GR__FAIL("node 0 is not a root\n");
  if (n[0].span.start != 0 || n[0].span.end != tree->len) GR__FAIL("root does not span the text\n");
  for (size_t i = 0; i < count; i++) {
    const gr_node *x = &n[i];
    if (x->kind >= GR_KIND_COUNT) GR__FAIL("node %zu: bad kind %u\n", i, x->kind);
    if (x->span.start > x->span.end || x->span.end > tree->len)
      GR__FAIL("node %zu: span [%u,%u) outside the text\n", i, x->span.start, x->span.end);
    const gr_span parts[5] = {x->open, x->close, x->name, x->close_name, x->body};
    for (int k = 0; k < 5; k++)
      if (!gr__inside(parts[k], x->span))
        GR__FAIL("node %zu (%s): part %d [%u,%u) outside its span [%u,%u)\n", i,
                 gr_kind_name(x->kind), k, parts[k].start, parts[k].end, x->span.start,
                 x->span.end);
    if (i > 0) {
      if (x->parent >= i) GR__FAIL("node %zu: parent %u is not before it\n", i, x->parent);
      if (!gr__inside(x->span, n[x->parent].span))
        GR__FAIL("node %zu (%s [%u,%u)): outside parent %u (%s [%u,%u))\n", i,
                 gr_kind_name(x->kind), x->span.start, x->span.end, x->parent,
                 gr_kind_name(n[x->parent].kind), n[x->parent].span.start,
                 n[x->parent].span.end);
    }
    uint32_t prev = GR_NONE;
    for (uint32_t c = x->first_child; c != GR_NONE; c = n[c].next_sibling) {
      if (c >= count || n[c].parent != i) GR__FAIL("node %zu: child %u not linked back\n", i, c);
      if (n[c].prev_sibling != prev) GR__FAIL("node %u: prev_sibling broken\n", c);
      if (prev != GR_NONE && (n[prev].span.end > n[c].span.start || prev >= c))
        GR__FAIL("node %u: overlaps or precedes its previous sibling %u\n", c, prev);
      prev = c;
    }
    if (prev != x->last_child) GR__FAIL("node %zu: last_child broken\n", i);
  }
  for (size_t i = 0; i < tree->diags.len; i++) {
    const gr_diag *d = &tree->diags.items[i];
    if (d->span.start > d->span.end || d->span.end > tree->len)
      GR__FAIL("diagnostic %zu: span outside the text\n", i);
    if (d->code >= GR_DIAG_CODE_COUNT || !d->message) GR__FAIL("diagnostic %zu: bad code\n", i);
    if (d->node != GR_NONE && d->node >= count) GR__FAIL("diagnostic %zu: bad node\n", i);
    if (d->related.start != GR_NONE &&
        (d->related.start > d->related.end || d->related.end > tree->len || !d->related_message))
      GR__FAIL("diagnostic %zu: related span outside the text\n", i);
  }
  return 0;
}

/* ---- dump --------------------------------------------------------------- */

static void gr__quote(FILE *out, const char *text, gr_span s) {
  fputc('"', out);
  for (uint32_t i = s.start; i < s.end && i - s.start < 60; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c == '\n') fputs("\\n", out);
    else if (c < 0x20) fprintf(out, "\\x%02x", c);
    else fputc(c, out);
  }
  if (s.end - s.start > 60) fputs("...", out);
  fputc('"', out);
}

void gr_tree_dump(const gr_tree *tree, FILE *out) {
  const gr_node *n = tree->nodes.items;
  for (size_t i = 0; i < tree->nodes.len; i++) {
    int depth = 0;
    for (uint32_t p = n[i].parent; p != GR_NONE; p = n[p].parent) depth++;
    fprintf(out, "%*s(%s %u-%u", depth * 2, "", gr_kind_name(n[i].kind), n[i].span.start,
            n[i].span.end);
    if (n[i].kind == GR_SECTION) fprintf(out, " h%u", n[i].level);
    if (n[i].name.end > n[i].name.start) {
      fputc(' ', out);
      gr__quote(out, tree->text, n[i].name);
    }
    if (n[i].close_name.end > n[i].close_name.start) {
      fputs(" /", out);
      gr__quote(out, tree->text, n[i].close_name);
    }
    if (n[i].flags & GR_FLAG_UNCLOSED) fputs(" unclosed", out);
    if (n[i].flags & GR_FLAG_FORCED_CLOSE) fputs(" forced", out);
    if (n[i].flags & GR_FLAG_SETEXT) fputs(" setext", out);
    if (n[i].flags & GR_FLAG_CUT) fputs(" cut", out);
    if (n[i].flags & GR_FLAG_INDENTED) fputs(" indented", out);
    if (n[i].kind == GR_REPEAT && n[i].level) fputs(n[i].level == 1 ? " attrs" : " prose", out);
    fputs(")\n", out);
  }
  for (size_t i = 0; i < tree->diags.len; i++) {
    const gr_diag *d = &tree->diags.items[i];
    static const char *sev[] = {"?", "error", "warning", "information", "hint"};
    fprintf(out, "%s %s %u-%u: %s\n", sev[d->severity >= 1 && d->severity <= 4 ? d->severity : 0],
            gr_diag_code_name(d->code), d->span.start, d->span.end, d->message);
  }
}
