/*
 * ynames.c: the names of a YAML template (see ynames.h).
 *
 * One walk visits every place a name can be, in a fixed order (the vars as
 * the view groups them, then the sections' ids, then the other places);
 * the cursor's name and the occurrences of a name are both filters over
 * it, and finding sorts what it kept into text order. A new name is
 * checked by rule first, for a clear message, then by parsing the text
 * with every occurrence replaced and reading each one back, which is the
 * only way to know what a YAML loader makes of a plain value.
 */
#include "server/features/ynames.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"

typedef void (*ft_ynames__fn)(ft_name_kind kind, const ft_name_ref *r, void *ud);

static int ft_ynames__holds(gr_span s, uint32_t off) { return s.start <= off && off <= s.end; }

static int ft_ynames__has(const char *s, size_t len, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= len; i++)
    if (memcmp(s + i, needle, k) == 0) return 1;
  return 0;
}

static const yt_node *ft_ynames__node(const yt_tmpl *tm, uint32_t i) {
  return i == YT_NONE ? NULL : yt_tree_node(yt_tmpl_tree(tm), i);
}

/* The mapping or sequence value of `key` in mapping `map`, else YT_NONE. */
static uint32_t ft_ynames__get(const yt_tmpl *tm, uint32_t map, const char *key, yt_kind kind) {
  const yt_node *m = ft_ynames__node(tm, map);
  if (!m || m->kind != YT_MAPPING) return YT_NONE;
  uint32_t v = yt_tree_get(yt_tmpl_tree(tm), map, key);
  const yt_node *n = ft_ynames__node(tm, v);
  return n && n->kind == kind ? v : YT_NONE;
}

/*
 * The bytes of scalar `node` that are its value, quotes left out: only a
 * plain or quoted scalar whose source is its decoded value (no escape, no
 * folded line, no anchor or tag inside the span), so that replacing those
 * bytes replaces the value. 0 when there is none.
 */
static int ft_ynames__scalar_name(const yt_tmpl *tm, uint32_t node, gr_span *name) {
  const yt_node *n = ft_ynames__node(tm, node);
  if (!n || n->kind != YT_SCALAR || !n->value_len) return 0;
  const char *t = yt_tree_text(yt_tmpl_tree(tm));
  gr_span s = n->span;
  if (n->style == YT_STYLE_SINGLE || n->style == YT_STYLE_DOUBLE) {
    char q = n->style == YT_STYLE_SINGLE ? '\'' : '"';
    if (s.end - s.start < 2 || t[s.start] != q || t[s.end - 1] != q) return 0;
    s.start++, s.end--;
  } else if (n->style != YT_STYLE_PLAIN) {
    return 0;
  }
  if (s.end - s.start != n->value_len || memcmp(t + s.start, n->value, n->value_len) != 0) return 0;
  *name = s;
  return 1;
}

/* The same for the key of mapping value `node`. */
static int ft_ynames__key_name(const yt_tmpl *tm, uint32_t node, gr_span *name) {
  const yt_node *n = ft_ynames__node(tm, node);
  if (!n || !n->key_text || !n->key_len || (n->flags & YT_FLAG_COMPLEX_KEY)) return 0;
  const char *t = yt_tree_text(yt_tmpl_tree(tm));
  gr_span s = n->key;
  if (s.end - s.start >= 2 && (t[s.start] == '"' || t[s.start] == '\'') && t[s.end - 1] == t[s.start])
    s.start++, s.end--;
  if (s.end - s.start != n->key_len || memcmp(t + s.start, n->key_text, n->key_len) != 0) return 0;
  *name = s;
  return 1;
}

static void ft_ynames__scalar(const yt_tmpl *tm, uint32_t node, ft_name_kind kind, uint8_t role,
                              ft_ynames__fn fn, void *ud) {
  gr_span name;
  if (!ft_ynames__scalar_name(tm, node, &name)) return;
  ft_name_ref r = {name, ft_ynames__node(tm, node)->span, node, role, FT_YSITE_SCALAR};
  fn(kind, &r, ud);
}

/* Every place a name can be (ynames.h), in the walk's order. */
static void ft_ynames__walk(const yt_tmpl *tm, ft_ynames__fn fn, void *ud) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  /* {{vars}}: an unterminated one names nothing (its span runs on) */
  for (uint32_t i = 0; i < yt_tmpl_var_count(tm); i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    if (v->flags & YT_VAR_UNTERMINATED) continue;
    ft_name_ref r = {v->name, v->span, v->node, FT_NAME_USE, FT_YSITE_VAR};
    fn(FT_NAME_PLACEHOLDER, &r, ud);
  }
  /* section ids, and a section's custom_elicitation naming one */
  for (uint32_t i = 0; i < yt_tmpl_section_count(tm); i++) {
    const yt_section *s = yt_tmpl_section(tm, i);
    if (s->flags & YT_SEC_NOT_MAPPING) continue;
    ft_ynames__scalar(tm, s->keys[YT_SKEY_ID], FT_NAME_SECTION, FT_NAME_OPENER, fn, ud);
    ft_ynames__scalar(tm, yt_tree_get(tree, s->node, "custom_elicitation"), FT_NAME_SECTION, FT_NAME_USE,
                      fn, ud);
  }
  /* workflow.custom_elicitation.sections: [{id: <section id>, options: [...]}, ...] */
  uint32_t ce = ft_ynames__get(tm, yt_tmpl_header(tm)->workflow, "custom_elicitation", YT_MAPPING);
  uint32_t items = ft_ynames__get(tm, ce, "sections", YT_SEQUENCE);
  for (uint32_t c = items != YT_NONE ? ft_ynames__node(tm, items)->first_child : YT_NONE; c != YT_NONE;
       c = ft_ynames__node(tm, c)->next_sibling)
    ft_ynames__scalar(tm, ft_ynames__get(tm, c, "id", YT_SCALAR), FT_NAME_SECTION, FT_NAME_USE, fn, ud);
  /* prompts: {<var>: question}; validation: {required_fields: [<var>, ...], ...} */
  uint32_t prompts = ft_ynames__get(tm, 0, "prompts", YT_MAPPING);
  for (uint32_t c = prompts != YT_NONE ? ft_ynames__node(tm, prompts)->first_child : YT_NONE; c != YT_NONE;
       c = ft_ynames__node(tm, c)->next_sibling) {
    gr_span name;
    if (!ft_ynames__key_name(tm, c, &name)) continue;
    ft_name_ref r = {name, ft_ynames__node(tm, c)->key, c, FT_NAME_USE, FT_YSITE_KEY};
    fn(FT_NAME_PLACEHOLDER, &r, ud);
  }
  uint32_t validation = ft_ynames__get(tm, 0, "validation", YT_MAPPING);
  for (uint32_t l = validation != YT_NONE ? ft_ynames__node(tm, validation)->first_child : YT_NONE;
       l != YT_NONE; l = ft_ynames__node(tm, l)->next_sibling) {
    const yt_node *list = ft_ynames__node(tm, l);
    if (list->kind != YT_SEQUENCE) continue;
    for (uint32_t c = list->first_child; c != YT_NONE; c = ft_ynames__node(tm, c)->next_sibling) {
      const yt_node *item = ft_ynames__node(tm, c);
      /* an item that holds {{vars}} is text, not a var's name */
      if (item->kind == YT_SCALAR && !ft_ynames__has(item->value, item->value_len, "{{"))
        ft_ynames__scalar(tm, c, FT_NAME_PLACEHOLDER, FT_NAME_USE, fn, ud);
    }
  }
}

/* ---- the name at a cursor ----------------------------------------------- */

typedef struct ft_ynames__at_ud {
  uint32_t offset;
  ft_name_kind kind; /* FT_NAME_NONE until one holds the offset */
  ft_name_ref ref;
} ft_ynames__at_ud;

static void ft_ynames__at_fn(ft_name_kind kind, const ft_name_ref *r, void *ud) {
  ft_ynames__at_ud *a = ud;
  if (!ft_ynames__holds(r->token, a->offset)) return;
  /* the innermost: a {{var}} inside a scalar that is a name itself */
  if (a->kind != FT_NAME_NONE && r->token.end - r->token.start >= a->ref.token.end - a->ref.token.start) return;
  a->kind = kind;
  a->ref = *r;
}

int ft_ynames_at(const yt_tmpl *tm, uint32_t offset, ft_name_at *out) {
  memset(out, 0, sizeof *out);
  ft_ynames__at_ud a = {offset, FT_NAME_NONE, {{0, 0}, {0, 0}, 0, 0, 0}};
  ft_ynames__walk(tm, ft_ynames__at_fn, &a);
  if (a.kind == FT_NAME_NONE) return FT_NAMES_ENOYNAME;
  out->kind = a.kind;
  out->ref = a.ref;
  out->key = a.ref.name;
  return 0;
}

/* ---- every occurrence --------------------------------------------------- */

typedef struct ft_ynames__find_ud {
  ft_name_kind kind;
  const char *text;
  const char *name;
  size_t len;
  ft_name_refs *out;
} ft_ynames__find_ud;

static void ft_ynames__find_fn(ft_name_kind kind, const ft_name_ref *r, void *ud) {
  ft_ynames__find_ud *f = ud;
  if (kind != f->kind || (size_t)(r->name.end - r->name.start) != f->len ||
      memcmp(f->text + r->name.start, f->name, f->len) != 0)
    return;
  gr_array_push(f->out, *r);
}

static int ft_ynames__cmp_ref(const void *a, const void *b) {
  uint32_t x = ((const ft_name_ref *)a)->name.start, y = ((const ft_name_ref *)b)->name.start;
  return x < y ? -1 : x > y;
}

int ft_ynames_find(const yt_tmpl *tm, ft_name_kind kind, const char *name, size_t len,
                   ft_name_refs *out) {
  if (!tm || !len || (kind != FT_NAME_PLACEHOLDER && kind != FT_NAME_SECTION)) return 0;
  size_t first = out->len;
  ft_ynames__find_ud f = {kind, yt_tree_text(yt_tmpl_tree(tm)), name, len, out};
  ft_ynames__walk(tm, ft_ynames__find_fn, &f);
  /* Occurrences of one name never overlap (a {{name}} inside a scalar is
   * shorter than the scalar), so their starts order them. */
  if (out->len - first > 1) qsort(out->items + first, out->len - first, sizeof *out->items, ft_ynames__cmp_ref);
  if (out->len - first > FT_YNAMES_MAX_REFS) {
    out->len = first + FT_YNAMES_MAX_REFS;
    return 1;
  }
  return 0;
}

/* ---- new names ---------------------------------------------------------- */

static int ft_ynames__cmp_span(const void *a, const void *b) {
  uint32_t x = ((const gr_span *)a)->start, y = ((const gr_span *)b)->start;
  return x < y ? -1 : x > y;
}

/* Whether view `nt` holds a terminated {{var}} whose name is exactly s (vars: sorted name spans). */
static int ft_ynames__var_at(const gr_span *vars, size_t n, gr_span s) {
  gr_span *hit = bsearch(&s, vars, n, sizeof *vars, ft_ynames__cmp_span);
  return hit && hit->end == s.end;
}

/*
 * Replace every occurrence in refs (sorted, not overlapping) by
 * name[0..len), parse the result, and check that it is the same tree
 * (nodes, kinds, parents), with the same vars and diagnostics (codes, in
 * order), and that each occurrence reads back as the name.
 */
static int ft_ynames__reads_back(const yt_tmpl *tm, const ft_name_refs *refs, const char *name, size_t len) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  const char *t = yt_tree_text(tree);
  size_t n = yt_tree_len(tree), total = n;
  for (size_t k = 0; k < refs->len; k++) {
    gr_span s = refs->items[k].name;
    if (s.end > n || s.end < s.start || (k && s.start < refs->items[k - 1].name.end)) return 0;
    total = total - (s.end - s.start) + len;
    if (total >= UINT32_MAX) return 0;
  }
  char *buf = gr_malloc(total + 1);
  uint32_t *at = gr_malloc((refs->len ? refs->len : 1) * sizeof *at);
  size_t from = 0, to = 0;
  for (size_t k = 0; k < refs->len; k++) {
    gr_span s = refs->items[k].name;
    memcpy(buf + to, t + from, s.start - from), to += s.start - from;
    at[k] = (uint32_t)to;
    memcpy(buf + to, name, len), to += len;
    from = s.end;
  }
  memcpy(buf + to, t + from, n - from), to += n - from;
  buf[to] = '\0';

  yt_tmpl *nt = yt_tmpl_parse(buf, to);
  const yt_tree *ntree = yt_tmpl_tree(nt);
  int ok = yt_tree_count(ntree) == yt_tree_count(tree) && yt_tmpl_var_count(nt) == yt_tmpl_var_count(tm) &&
           yt_tmpl_diag_count(nt) == yt_tmpl_diag_count(tm);
  for (uint32_t i = 0; ok && i < yt_tree_count(tree); i++) {
    const yt_node *a = yt_tree_node(tree, i), *b = yt_tree_node(ntree, i);
    ok = a->kind == b->kind && a->parent == b->parent && !a->key_text == !b->key_text;
  }
  for (uint32_t i = 0; ok && i < yt_tmpl_diag_count(tm); i++) ok = yt_tmpl_diag(tm, i)->code == yt_tmpl_diag(nt, i)->code;
  gr_span *vars = NULL;
  size_t nvars = 0;
  if (ok) {
    vars = gr_malloc((yt_tmpl_var_count(nt) ? yt_tmpl_var_count(nt) : 1) * sizeof *vars);
    for (uint32_t i = 0; i < yt_tmpl_var_count(nt); i++) {
      const yt_var *v = yt_tmpl_var(nt, i);
      if (!(v->flags & (YT_VAR_UNTERMINATED | YT_VAR_EMPTY))) vars[nvars++] = v->name;
    }
    if (nvars > 1) qsort(vars, nvars, sizeof *vars, ft_ynames__cmp_span);
  }
  for (size_t k = 0; ok && k < refs->len; k++) {
    const ft_name_ref *r = &refs->items[k];
    const yt_node *b = yt_tree_node(ntree, r->node);
    switch ((ft_ysite)r->form) {
      case FT_YSITE_VAR: ok = ft_ynames__var_at(vars, nvars, (gr_span){at[k], at[k] + (uint32_t)len}); break;
      case FT_YSITE_SCALAR:
        ok = b && b->kind == YT_SCALAR && b->value_len == len && memcmp(b->value, name, len) == 0;
        break;
      case FT_YSITE_KEY: ok = b && b->key_text && b->key_len == len && memcmp(b->key_text, name, len) == 0; break;
      default: ok = 0;
    }
  }
  gr_free(vars);
  yt_tmpl_free(nt);
  gr_free(at);
  gr_free(buf);
  return ok;
}

/* Whether a section other than those in refs has the id name[0..len). */
static int ft_ynames__id_taken(const yt_tmpl *tm, const ft_name_refs *refs, const char *name, size_t len) {
  for (uint32_t i = 0; i < yt_tmpl_section_count(tm); i++) {
    const yt_section *s = yt_tmpl_section(tm, i);
    if (s->flags & YT_SEC_NOT_MAPPING) continue;
    const yt_node *id = ft_ynames__node(tm, s->keys[YT_SKEY_ID]);
    if (!id || id->kind != YT_SCALAR || id->value_len != len || memcmp(id->value, name, len) != 0) continue;
    size_t k = 0;
    while (k < refs->len && refs->items[k].node != s->keys[YT_SKEY_ID]) k++;
    if (k == refs->len) return 1;
  }
  return 0;
}

const char *ft_ynames_check(const yt_tmpl *tm, ft_name_kind kind, const ft_name_refs *refs,
                            const char *name, size_t len, gr_span *trimmed) {
  size_t s = 0, e = len;
  while (s < e && (name[s] == ' ' || name[s] == '\t')) s++;
  while (e > s && (name[e - 1] == ' ' || name[e - 1] == '\t')) e--;
  if (trimmed) *trimmed = (gr_span){(uint32_t)s, (uint32_t)e};
  const char *p = name + s;
  size_t n = e - s;
  if (memchr(p, '\0', n)) return "a name must not contain a NUL character";
  int line_end = memchr(p, '\n', n) != NULL || memchr(p, '\r', n) != NULL;
  int quote = memchr(p, '"', n) != NULL || memchr(p, '\'', n) != NULL || memchr(p, '\\', n) != NULL;
  static const char quote_msg[] =
      "in a YAML template a name must not contain a quote or a backslash: it may stand in a quoted string";
  switch (kind) {
    case FT_NAME_PLACEHOLDER:
      if (!n) return "a placeholder name must not be empty";
      if (line_end) return "a placeholder name must be on one line";
      if (ft_ynames__has(p, n, "{{") || ft_ynames__has(p, n, "}}"))
        return "a placeholder name must not contain \"{{\" or \"}}\"";
      if (quote) return quote_msg;
      break;
    case FT_NAME_SECTION:
      if (!n) return "a section id must not be empty";
      if (line_end) return "a section id must be on one line";
      if (memchr(p, ' ', n) || memchr(p, '\t', n)) return "a section id must be one word, with no blanks";
      if (quote) return quote_msg;
      if (ft_ynames__id_taken(tm, refs, p, n))
        return "another section already has this id: ids must be unique in the template";
      break;
    case FT_NAME_NONE:
    case FT_NAME_CONDITION:
    case FT_NAME_REPEAT:
    default: return "there is nothing to rename here";
  }
  if (!ft_ynames__reads_back(tm, refs, p, n))
    return "this name would not read back as the same name in the YAML: in a plain value \": \" or \" #\" "
           "ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow list [a, b] so do "
           "\",\" and brackets";
  return NULL;
}
