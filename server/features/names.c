/*
 * names.c: names across files (see names.h).
 *
 * Finding is one linear pass over the flat node array (pre-order is text
 * order of starts, and occurrences of one name never nest: a placeholder
 * holding another holds a longer name). The cursor's name is found by
 * climbing from the deepest node at the offset until a node whose marker
 * holds it. New names are checked by rule first, for a clear message, then
 * by parsing the markup they will stand in and reading the name back.
 */
#include "server/features/names.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/docdiag.h"
#include "server/model/foreign.h"

const char *ft_names_strerror(int err) {
  switch (err) {
#define FT_NAMES__XX(id, val, msg) \
  case val: return msg;
    FT_NAMES_ERRNO_MAP(FT_NAMES__XX)
#undef FT_NAMES__XX
    default: return "unknown error";
  }
}

void ft_name_refs_free(ft_name_refs *refs) {
  gr_free(refs->items);
  refs->items = NULL;
  refs->len = refs->cap = 0;
}

static void ft_names__push(ft_name_refs *out, ft_name_ref r) { gr_array_push(out, r); }

static int ft_names__holds(gr_span s, uint32_t off) { return s.start <= off && off <= s.end; }

static int ft_names__empty(gr_span s) { return s.end <= s.start; }

static int ft_names__equal(const char *text, gr_span s, const char *name, size_t len) {
  return (size_t)(s.end - s.start) == len && memcmp(text + s.start, name, len) == 0;
}

/* A terminated placeholder: an unterminated one's "name" runs to where recovery stopped. */
static int ft_names__placeholder_ok(const gr_node *n) {
  return n->kind == GR_PLACEHOLDER && !(n->flags & GR_FLAG_UNCLOSED);
}

/* The closer's name span, or an empty span at the closer's start when it carries none. */
static gr_span ft_names__closer_name(const gr_node *n) {
  if (n->kind == GR_CONDITION && !ft_names__empty(n->close_name)) return n->close_name;
  return (gr_span){n->close.start, n->close.start};
}

static ft_name_kind ft_names__kind_of(const gr_node *n) {
  switch ((gr_kind)n->kind) {
    case GR_CONDITION: return FT_NAME_CONDITION;
    case GR_REPEAT: return FT_NAME_REPEAT;
    case GR_PLACEHOLDER: return FT_NAME_PLACEHOLDER;
    default: return FT_NAME_NONE;
  }
}

/* ---- the name at a cursor ----------------------------------------------- */

int ft_names_at(const gr_tree *tree, uint32_t offset, ft_name_at *out) {
  memset(out, 0, sizeof *out);
  for (uint32_t i = gr_tree_node_at(tree, offset); i != GR_NONE && i != 0;) {
    const gr_node *n = gr_tree_node(tree, i);
    ft_name_kind kind = ft_names__kind_of(n);
    if (kind == FT_NAME_PLACEHOLDER) {
      if (ft_names__placeholder_ok(n) && ft_names__holds(n->span, offset)) {
        out->kind = kind;
        out->ref = (ft_name_ref){n->name, n->span, i, FT_NAME_USE, 0};
        out->key = n->name;
        return 0;
      }
    } else if (kind != FT_NAME_NONE) {
      uint8_t form = kind == FT_NAME_REPEAT ? n->level : 0;
      if (ft_names__holds(n->open, offset)) {
        out->kind = kind;
        out->ref = (ft_name_ref){n->name, n->open, i, FT_NAME_OPENER, form};
        out->key = n->name;
        return 0;
      }
      if (!ft_names__empty(n->close) && ft_names__holds(n->close, offset)) {
        gr_span name = ft_names__closer_name(n);
        out->kind = kind;
        out->ref = (ft_name_ref){name, n->close, i, FT_NAME_CLOSER, form};
        out->key = ft_names__empty(name) ? n->name : name;
        return 0;
      }
    }
    i = n->parent;
  }
  return FT_NAMES_ENONAME;
}

int ft_names_renamable(const ft_name_at *at) {
  if (at->kind == FT_NAME_NONE) return FT_NAMES_ENONAME;
  if (at->ref.role == FT_NAME_CLOSER && ft_names__empty(at->ref.name)) return FT_NAMES_ENOCLOSERNAME;
  if (ft_names__empty(at->key)) return FT_NAMES_EEMPTY;
  return 0;
}

/* ---- every occurrence --------------------------------------------------- */

static int ft_names__cmp_ref(const void *a, const void *b) {
  uint32_t x = ((const ft_name_ref *)a)->name.start, y = ((const ft_name_ref *)b)->name.start;
  return x < y ? -1 : x > y;
}

void ft_names_find(const gr_tree *tree, ft_name_kind kind, const char *name, size_t len,
                   ft_name_refs *out) {
  if (!len || kind == FT_NAME_NONE || !tree) return; /* no Markdown tree: a YAML template */
  const char *t = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  size_t first = out->len;
  int closers = 0;
  for (uint32_t i = 1; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    if (ft_names__kind_of(n) != kind) continue;
    if (kind == FT_NAME_PLACEHOLDER) {
      if (ft_names__placeholder_ok(n) && ft_names__equal(t, n->name, name, len))
        ft_names__push(out, (ft_name_ref){n->name, n->span, i, FT_NAME_USE, 0});
      continue;
    }
    uint8_t form = kind == FT_NAME_REPEAT ? n->level : 0;
    if (ft_names__equal(t, n->name, name, len))
      ft_names__push(out, (ft_name_ref){n->name, n->open, i, FT_NAME_OPENER, form});
    if (kind == FT_NAME_CONDITION && !ft_names__empty(n->close_name) &&
        ft_names__equal(t, n->close_name, name, len)) {
      ft_names__push(out, (ft_name_ref){n->close_name, n->close, i, FT_NAME_CLOSER, 0});
      closers = 1;
    }
  }
  /* The node array is in order of starts, which is the openers' order; a
   * closer comes after everything its block holds, so with closers in the
   * list one sort puts them in their place. */
  if (closers) qsort(out->items + first, out->len - first, sizeof *out->items, ft_names__cmp_ref);
}

/* ---- linked editing ----------------------------------------------------- */

int ft_names_linked(const gr_tree *tree, uint32_t offset, gr_span *opener, gr_span *closer) {
  ft_name_at at;
  if (ft_names_at(tree, offset, &at) != 0 || at.kind != FT_NAME_CONDITION) return FT_NAMES_ENONAME;
  if (ft_names__empty(at.ref.name) || !ft_names__holds(at.ref.name, offset)) return FT_NAMES_ENONAME;
  const gr_node *n = gr_tree_node(tree, at.ref.node);
  if (ft_names__empty(n->name) || ft_names__empty(n->close_name)) return FT_NAMES_ENONAME;
  const char *t = gr_tree_text(tree);
  if (!ft_names__equal(t, n->close_name, t + n->name.start, n->name.end - n->name.start))
    return FT_NAMES_ENONAME;
  *opener = n->name;
  *closer = n->close_name;
  return 0;
}

/* ---- new names ---------------------------------------------------------- */

static int ft_names__has(const char *s, size_t len, const char *needle) {
  size_t k = strlen(needle);
  for (size_t i = 0; i + k <= len; i++)
    if (memcmp(s + i, needle, k) == 0) return 1;
  return 0;
}

static int ft_names__has_line_end(const char *s, size_t len) {
  return memchr(s, '\n', len) != NULL || memchr(s, '\r', len) != NULL;
}

/*
 * Parse before + name + after and check that node 1 is of `kind`, that it
 * reads `name` back as its name (and as its closer's name when `closer`),
 * and that the parse reports nothing.
 */
static int ft_names__reads_back(const char *before, const char *name, size_t len, const char *after,
                                gr_kind kind, int closer) {
  size_t nb = strlen(before), na = strlen(after);
  char *buf = gr_malloc(nb + len + na + len + na + 1);
  size_t at = 0;
  memcpy(buf + at, before, nb), at += nb;
  memcpy(buf + at, name, len), at += len;
  memcpy(buf + at, after, na), at += na;
  if (closer) { /* "^^/CONDITION: " + name + "^^\n" after the opener */
    static const char close_before[] = "^^/CONDITION: ";
    buf = gr_realloc(buf, at + sizeof close_before + len + 4);
    memcpy(buf + at, close_before, sizeof close_before - 1), at += sizeof close_before - 1;
    memcpy(buf + at, name, len), at += len;
    memcpy(buf + at, "^^\n", 3), at += 3;
  }
  gr_tree *tree = gr_parse(buf, at, NULL);
  const gr_node *n = gr_tree_node(tree, 1);
  int ok = n && n->kind == kind && gr_tree_diag_count(tree) == 0 && ft_names__equal(buf, n->name, name, len);
  if (ok && closer) ok = ft_names__equal(buf, n->close_name, name, len);
  /* The name must be the whole of the element: nothing else is markup. */
  if (ok) ok = gr_tree_count(tree) == 2 || (kind == GR_PLACEHOLDER && gr_tree_node(tree, 1)->span.end == at);
  gr_tree_free(tree);
  gr_free(buf);
  return ok;
}

const char *ft_names_check(ft_name_kind kind, const char *name, size_t len, unsigned repeat_forms,
                           gr_span *trimmed) {
  size_t s = 0, e = len;
  while (s < e && (name[s] == ' ' || name[s] == '\t')) s++;
  while (e > s && (name[e - 1] == ' ' || name[e - 1] == '\t')) e--;
  if (trimmed) *trimmed = (gr_span){(uint32_t)s, (uint32_t)e};
  const char *p = name + s;
  size_t n = e - s;
  if (memchr(p, '\0', n)) return "a name must not contain a NUL character";
  switch (kind) {
    case FT_NAME_CONDITION:
      if (!n) return "a CONDITION name must not be empty";
      if (ft_names__has_line_end(p, n)) return "a CONDITION name must be on one line";
      if (ft_names__has(p, n, "^^")) return "a CONDITION name must not contain \"^^\"";
      if (ft_names__has(p, n, ">>")) return "a CONDITION name must not contain \">>\"";
      if (!ft_names__reads_back("^^CONDITION: ", p, n, "^^\n", GR_CONDITION, 1))
        return "this CONDITION name would not read back as the same name (check for a trailing '^')";
      return NULL;
    case FT_NAME_REPEAT:
      if (!n) return "a REPEAT name must not be empty";
      if (ft_names__has_line_end(p, n)) return "a REPEAT name must be on one line";
      if (ft_names__has(p, n, "^^")) return "a REPEAT name must not contain \"^^\"";
      if (ft_names__has(p, n, ">>")) return "a REPEAT name must not contain \">>\"";
      if ((repeat_forms & (1u << GR_REPEAT_ATTRS)) && memchr(p, '"', n))
        return "a REPEAT name written as section=\"...\" must not contain '\"'";
      if ((!repeat_forms || (repeat_forms & (1u << GR_REPEAT_COLON))) &&
          !ft_names__reads_back("<<REPEAT: ", p, n, ">>\n<</REPEAT>>\n", GR_REPEAT, 0))
        return "this REPEAT name would not read back as the same name (check a trailing '>' or markup "
               "inside it)";
      if ((repeat_forms & (1u << GR_REPEAT_ATTRS)) &&
          !ft_names__reads_back("<<REPEAT section=\"", p, n, "\">>\n<</REPEAT>>\n", GR_REPEAT, 0))
        return "this REPEAT name would not read back as the same name in section=\"...\"";
      if ((repeat_forms & (1u << GR_REPEAT_PROSE)) &&
          !ft_names__reads_back("<<REPEAT ", p, n, ">>\n<</REPEAT>>\n", GR_REPEAT, 0))
        return "this REPEAT name would not read back as the same name in <<REPEAT for each ...>> (it "
               "must not be an attribute)";
      return NULL;
    case FT_NAME_PLACEHOLDER:
      if (!n) return "a placeholder name must not be empty";
      if (ft_names__has_line_end(p, n)) return "a placeholder name must be on one line";
      if (ft_names__has(p, n, "}}")) return "a placeholder name must not contain \"}}\"";
      if (!ft_names__reads_back("{{", p, n, "}}", GR_PLACEHOLDER, 0))
        return "this placeholder name would not read back as the same name (check for an unmatched "
               "\"{{\" or a trailing '}')";
      return NULL;
    case FT_NAME_NONE:
    default: return "there is nothing to rename here";
  }
}

const char *ft_names_check_fill(const char *text, size_t len) {
  if (!len) return "the text to fill the placeholder with must not be empty";
  if (ft_names__has_line_end(text, len))
    return "the text to fill the placeholder with must be on one line";
  if (memchr(text, '\0', len)) return "the text to fill the placeholder with must not contain a NUL character";
  return NULL;
}

/* ---- documents ---------------------------------------------------------- */

int ft_names_unfilled_at(const tl_document *doc, uint32_t offset, ft_name_at *out) {
  const gr_tree *tree = tl_document_tree(doc);
  int rc = ft_names_at(tree, offset, out);
  if (rc != 0) return rc;
  if (out->kind != FT_NAME_PLACEHOLDER) {
    memset(out, 0, sizeof *out);
    return FT_NAMES_EDOCMARKUP;
  }
  if (ft_names__empty(out->key)) return FT_NAMES_EEMPTY;
  tl_docdiag_list *list = tl_docdiag_run(doc);
  int found = 0;
  for (size_t i = 0; i < list->len && !found; i++)
    found = (list->items[i].code == TL_DD_UNFILLED_PLACEHOLDER || list->items[i].code == TL_DD_UNKNOWN_PLACEHOLDER) &&
            list->items[i].node == out->ref.node;
  tl_docdiag_free(list);
  return found ? 0 : FT_NAMES_ENOTUNFILLED;
}

/* The unfilled placeholders of doc named name[0..len): byte for byte, or
 * `lenient`ly (tl_foreign_name_eq). */
static void ft_names__unfilled(const tl_document *doc, const char *name, size_t len, int lenient, ft_name_refs *out) {
  if (!len) return;
  const gr_tree *tree = tl_document_tree(doc);
  const char *t = gr_tree_text(tree);
  tl_docdiag_list *list = tl_docdiag_run(doc);
  /* The list is sorted by span start: text order, as wanted. */
  for (size_t i = 0; i < list->len; i++) {
    const tl_docdiag *d = &list->items[i];
    /* a hint's {{name}} (unknown-placeholder) is as fillable as the template's */
    if ((d->code != TL_DD_UNFILLED_PLACEHOLDER && d->code != TL_DD_UNKNOWN_PLACEHOLDER) || d->node == TL_NONE) continue;
    const gr_node *n = gr_tree_node(tree, d->node);
    if (n && (lenient ? tl_foreign_name_eq(t + n->name.start, n->name.end - n->name.start, name, len)
                      : ft_names__equal(t, n->name, name, len)))
      ft_names__push(out, (ft_name_ref){n->name, n->span, d->node, FT_NAME_USE, 0});
  }
  tl_docdiag_free(list);
}

void ft_names_unfilled_of_template(const tl_document *doc, const char *name, size_t len, ft_name_refs *out) {
  ft_names__unfilled(doc, name, len, 1, out);
}

void ft_names_unfilled(const tl_document *doc, const char *name, size_t len, ft_name_refs *out) {
  ft_names__unfilled(doc, name, len, 0, out);
}
