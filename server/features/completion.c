/*
 * completion.c: completions (see completion.h).
 *
 * ft_completion_new reads the line before the cursor and tries the
 * contexts in a fixed order, the first that matches answers: a name after
 * a marker ("^^CONDITION: ", "{{", ...), then a directive being typed,
 * then a section reference inside an instruction (templates); a heading or
 * a blank line, then "{{" (documents). Names are counted over the
 * workspace by sorting (name, file) pairs, so a large workspace costs
 * n log n, not n^2.
 */
#include "server/features/completion.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/features/edit.h"
#include "server/features/ykeys.h"
#include "server/model/skeleton.h"
#include "server/model/foreign.h"
#include "server/model/template.h"

int ft_comp_kind_lsp(ft_comp_kind kind) {
  static const int lsp[FT_COMP_KIND_COUNT] = {9, 18, 6, 21, 13, 12, 15, 10, 20};
  return (unsigned)kind < FT_COMP_KIND_COUNT ? lsp[kind] : 1;
}

/* ---- the request and its answer ----------------------------------------- */

typedef struct ft_comp__ctx {
  const ft_comp_request *rq;
  const char *text;
  uint32_t len;
  uint32_t c;      /* cursor */
  uint32_t ls, le; /* the cursor's line: start, end of content */
  const char *eol;
  GR_ARRAY(ft_comp_item) items;
  size_t bytes;   /* of the items' strings */
  int incomplete; /* an item was left out: a cap was reached */
} ft_comp__ctx;

static char *ft_comp__dup(const char *s) { return s ? gr_strndup(s, strlen(s)) : NULL; }

/* Add an item; `text` is in "\n" form and gets the file's line ending. */
static void ft_comp__add(ft_comp__ctx *x, ft_comp_kind kind, const char *label, const char *detail,
                         const char *doc, const char *filter, gr_span edit, const char *text,
                         int snippet) {
  /* Capped, whatever the workspace holds: the client is told the list is incomplete. */
  size_t bytes = strlen(label) + (detail ? strlen(detail) : 0) + (doc ? strlen(doc) : 0) + strlen(text);
  if (x->items.len >= FT_COMP_MAX_ITEMS || x->bytes + bytes > FT_COMP_MAX_BYTES) {
    x->incomplete = 1;
    return;
  }
  x->bytes += bytes;
  ft_comp_item it;
  memset(&it, 0, sizeof it);
  it.kind = kind;
  it.label = ft_comp__dup(label);
  it.detail = ft_comp__dup(detail);
  it.doc = ft_comp__dup(doc);
  it.filter = ft_comp__dup(filter ? filter : label);
  char sort[24];
  snprintf(sort, sizeof sort, "%04zu", x->items.len);
  it.sort = ft_comp__dup(sort);
  it.edit = edit;
  it.text = ft_edit_convert(text, strlen(text), x->eol, NULL);
  it.snippet = (uint8_t)(snippet != 0);
  gr_array_push(&x->items, it);
}

static int ft_comp__blank(char c) { return c == ' ' || c == '\t'; }

/* ---- names across the workspace ----------------------------------------- */

typedef struct ft_comp__use {
  const char *name;
  uint32_t file;
} ft_comp__use;

typedef GR_ARRAY(ft_comp__use) ft_comp__uses;

typedef struct ft_comp__name {
  const char *name;
  uint32_t count, files;
} ft_comp__name;

typedef GR_ARRAY(ft_comp__name) ft_comp__names;

static int ft_comp__name_cmp(const void *a, const void *b) {
  const ft_comp__name *x = a, *y = b;
  if (x->count != y->count) return x->count > y->count ? -1 : 1;
  return strcmp(x->name, y->name);
}

static uint64_t ft_comp__hash(const char *s) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

/*
 * Distinct names, most used first (then bytewise). The uses come in
 * nondecreasing file order (the edited file first, then the workspace's
 * in index order), so a name's files are counted as its file changes.
 * Counted through a hash table, in one pass: sorting the uses by name was
 * 60% of a completion on a 1 MB template once its model was reused (the
 * strcmps of n log n); now only the distinct names are sorted, and the
 * completion takes 1.2 ms instead of 2.6 (release build, the median of 200
 * requests after "{{").
 */
static void ft_comp__count(ft_comp__uses *u, ft_comp__names *out) {
  size_t cap = 16;
  while (cap < 2 * u->len) cap *= 2;
  uint32_t *slot = gr_malloc(cap * sizeof *slot); /* index + 1 into out, 0 = empty */
  memset(slot, 0, cap * sizeof *slot);
  GR_ARRAY(uint32_t) last = {0}; /* the last file counted, per name */
  for (size_t i = 0; i < u->len; i++) {
    const ft_comp__use *x = &u->items[i];
    if (!x->name[0]) continue;
    size_t h = (size_t)ft_comp__hash(x->name) & (cap - 1);
    while (slot[h] && strcmp(out->items[slot[h] - 1].name, x->name) != 0) h = (h + 1) & (cap - 1);
    if (!slot[h]) {
      ft_comp__name n = {x->name, 0, 0};
      gr_array_push(out, n);
      gr_array_push(&last, UINT32_MAX);
      slot[h] = (uint32_t)out->len;
    }
    ft_comp__name *n = &out->items[slot[h] - 1];
    n->count++;
    if (last.items[slot[h] - 1] != x->file) n->files++;
    last.items[slot[h] - 1] = x->file;
  }
  gr_free(slot);
  gr_array_free(&last);
  if (out->len > 1) qsort(out->items, out->len, sizeof *out->items, ft_comp__name_cmp);
}

typedef enum ft_comp__what { FT_COMP__CONDITION, FT_COMP__REPEAT, FT_COMP__EXAMPLE, FT_COMP__PLACEHOLDER } ft_comp__what;

/* The uses of one kind of name in template `t` (file number `file`). With
 * `tree` (the edited file's), a use whose name holds the cursor is not
 * counted: it is the one being typed. */
static void ft_comp__collect(const tl_template *t, const gr_tree *tree, uint32_t cursor,
                             ft_comp__what what, uint32_t file, const char *text, ft_comp__uses *u) {
#define FT_COMP__TYPED(node_index) \
  (tree && gr_tree_node(tree, (node_index))->name.start <= cursor && cursor <= gr_tree_node(tree, (node_index))->name.end)
  switch (what) {
    case FT_COMP__CONDITION:
      for (uint32_t i = 0; i < tl_template_condition_count(t); i++) {
        const tl_tcondition *k = tl_template_condition(t, i);
        if (FT_COMP__TYPED(k->node)) continue;
        ft_comp__use x = {k->name, file};
        gr_array_push(u, x);
      }
      break;
    case FT_COMP__REPEAT:
      for (uint32_t i = 0; i < tl_template_repeat_count(t); i++) {
        const tl_trepeat *k = tl_template_repeat(t, i);
        if (k->form == GR_REPEAT_PROSE || FT_COMP__TYPED(k->node)) continue;
        ft_comp__use x = {k->name, file};
        gr_array_push(u, x);
      }
      break;
    case FT_COMP__EXAMPLE:
      for (uint32_t i = 0; i < tl_template_example_count(t); i++) {
        const tl_texample *k = tl_template_example(t, i);
        if (k->is_inline || FT_COMP__TYPED(k->node)) continue;
        ft_comp__use x = {k->name, file};
        gr_array_push(u, x);
      }
      break;
    case FT_COMP__PLACEHOLDER:
      for (uint32_t i = 0; i < tl_template_placeholder_count(t); i++) {
        const tl_tplaceholder *k = tl_template_placeholder(t, i);
        if ((k->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) || FT_COMP__TYPED(k->node)) continue;
        if (text && k->span.start > 0 && text[k->span.start - 1] == '$') continue; /* GitHub Actions ${{ }} */
        ft_comp__use x = {k->name, file};
        gr_array_push(u, x);
      }
      break;
  }
#undef FT_COMP__TYPED
}

/* ---- reading the line ---------------------------------------------------- */

/*
 * The name being typed after the last `marker` on the cursor's line:
 * [*ns, cursor) holds no byte of `stop` (nor a line end). *ne extends over
 * the rest of the name when `closer` follows it on the line (*closed = 1).
 */
static int ft_comp__after(const ft_comp__ctx *x, const char *marker, const char *stop,
                          const char *closer, uint32_t *ns, uint32_t *ne, int *closed,
                          uint32_t *at) {
  size_t ml = strlen(marker);
  const char *t = x->text;
  uint32_t m = UINT32_MAX;
  for (uint32_t i = x->ls; i + ml <= x->c; i++)
    if (memcmp(t + i, marker, ml) == 0) m = i;
  if (m == UINT32_MAX) return 0;
  uint32_t s = m + (uint32_t)ml;
  while (s < x->c && ft_comp__blank(t[s])) s++;
  for (uint32_t i = s; i < x->c; i++)
    if (strchr(stop, t[i])) return 0;
  /* Over an existing name: up to its closer, if the closer is on this line. */
  uint32_t e = x->c;
  while (e < x->le && !strchr(stop, t[e])) e++;
  size_t cl = strlen(closer);
  *closed = e + cl <= x->le && memcmp(t + e, closer, cl) == 0;
  if (*closed) {
    while (e > x->c && ft_comp__blank(t[e - 1])) e--;
  } else {
    e = x->c;
  }
  *ns = s;
  *ne = e;
  if (at) *at = m;
  return 1;
}

/* ---- template: names ---------------------------------------------------- */

/*
 * The edited template's model, and the tree its node indices are of. The
 * workspace's entry for it (rq->self) is the same text parsed and modelled
 * when the session synced it: reused when its text is still the tree's
 * (one memcmp), else built here (*owned set: tl_template_free it). Building
 * it was 87% of a completion on a 1 MB template: 28-34 ms, now 2.6 ms
 * (release build, bench/lsp/run.sh --sizes 1m --peers none).
 */
static const tl_template *ft_comp__self_model(const ft_comp__ctx *x, const gr_tree **tree, tl_template **owned) {
  const ft_comp_request *rq = x->rq;
  *owned = NULL;
  *tree = rq->tree;
  if (rq->ws && rq->self != TL_NONE) {
    size_t len = 0;
    const char *text = tl_workspace_text(rq->ws, rq->self, &len);
    const tl_template *m = tl_workspace_template(rq->ws, rq->self);
    /* the text first: a stale entry's tree may be shed, and is not parsed again for nothing */
    const gr_tree *wt = text && m && len == x->len && memcmp(text, x->text, len) == 0
                            ? tl_workspace_tree(rq->ws, rq->self) : NULL;
    if (wt) {
      *tree = wt;
      return m;
    }
  }
  *owned = tl_template_new(rq->tree);
  return *owned;
}

/* The CONDITION (or REPEAT) blocks open at the cursor, innermost first: a
 * closer being edited, then openers with no closer yet (latest first),
 * then the blocks around the cursor (innermost first). Node indices. */
typedef GR_ARRAY(uint32_t) ft_comp__idx;

static void ft_comp__open_blocks(const ft_comp__ctx *x, gr_kind kind, ft_comp__idx *out) {
  const gr_tree *tree = x->rq->tree;
  uint32_t n = gr_tree_count(tree);
  ft_comp__idx unclosed = {0}, around = {0};
  for (uint32_t i = 1; i < n; i++) {
    const gr_node *g = gr_tree_node(tree, i);
    if (g->kind != kind || (g->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE))) continue;
    if (g->open.end > x->c) break; /* pre-order: later nodes open later */
    if (g->close.end > g->close.start && g->close.start <= x->c && x->c <= g->close.end)
      gr_array_push(out, i);
    else if (g->flags & GR_FLAG_UNCLOSED)
      gr_array_push(&unclosed, i);
    else if (g->close.start >= x->c)
      gr_array_push(&around, i);
  }
  for (size_t k = unclosed.len; k-- > 0;) gr_array_push(out, unclosed.items[k]);
  for (size_t k = around.len; k-- > 0;) gr_array_push(out, around.items[k]);
  gr_array_free(&unclosed);
  gr_array_free(&around);
}

static const char *ft_comp__what_word(ft_comp__what w) {
  static const char *words[] = {"CONDITION", "REPEAT", "example", "placeholder"};
  return words[w];
}

static void ft_comp__name_item(ft_comp__ctx *x, ft_comp__what what, const char *lead, const char *name,
                               const char *detail, gr_span edit, const char *closer) {
  static const ft_comp_kind kinds[] = {FT_COMP_CONDITION, FT_COMP_REPEAT, FT_COMP_EXAMPLE,
                                       FT_COMP_PLACEHOLDER};
  ft_buf t = {0};
  ft_buf_puts(&t, lead);
  ft_buf_puts(&t, name);
  if (closer) ft_buf_puts(&t, closer);
  ft_comp__add(x, kinds[what], name, detail, NULL, name, edit, t.items, 0);
  gr_array_free(&t);
}

static void ft_comp__uses_detail(ft_buf *d, ft_comp__what what, const ft_comp__name *n) {
  d->len = 0;
  ft_buf_printf(d, "%s: %u use%s in %u template%s", ft_comp__what_word(what), n->count,
                n->count == 1 ? "" : "s", n->files, n->files == 1 ? "" : "s");
}

/* Names of one kind: the edited template's and the workspace's. */
static int ft_comp__template_names(ft_comp__ctx *x) {
  static const struct {
    const char *marker, *stop, *closer;
    ft_comp__what what;
    int closing;
  } ctxs[] = {
      {"^^/CONDITION:", "^", "^^", FT_COMP__CONDITION, 1},
      {"^^CONDITION:", "^", "^^", FT_COMP__CONDITION, 0},
      {"<<REPEAT:", "<>", ">>", FT_COMP__REPEAT, 0},
      {"@{example:", "{}", "}", FT_COMP__EXAMPLE, 0},
      {"{{", "{}", "}}", FT_COMP__PLACEHOLDER, 0},
  };
  const ft_comp_request *rq = x->rq;
  for (size_t k = 0; k < sizeof ctxs / sizeof ctxs[0]; k++) {
    uint32_t ns, ne, at;
    int closed;
    if (!ft_comp__after(x, ctxs[k].marker, ctxs[k].stop, ctxs[k].closer, &ns, &ne, &closed, &at))
      continue;
    if (ctxs[k].what == FT_COMP__PLACEHOLDER && at > 0 && x->text[at - 1] == '$') return 1;
    gr_span edit = {ns, ne};
    const char *closer = closed ? NULL : ctxs[k].closer;
    /* "^^CONDITION:|" gets the space the canonical form has. */
    size_t ml = strlen(ctxs[k].marker);
    const char *lead = ctxs[k].marker[ml - 1] == ':' && ns == at + ml ? " " : "";
    ft_comp__uses u = {0};
    const gr_tree *self_tree;
    tl_template *owned;
    const tl_template *self = ft_comp__self_model(x, &self_tree, &owned);
    ft_comp__collect(self, self_tree, x->c, ctxs[k].what, 0, x->text, &u);
    uint32_t nws = rq->ws ? tl_workspace_count(rq->ws) : 0;
    for (uint32_t i = 0; i < nws; i++)
      if (i != rq->self)
        ft_comp__collect(tl_workspace_template(rq->ws, i), NULL, 0, ctxs[k].what, i + 1,
                         tl_workspace_text(rq->ws, i, NULL), &u);
    ft_comp__names names = {0};
    ft_comp__count(&u, &names);
    ft_buf d = {0};
    GR_ARRAY(const char *) done = {0};
    if (ctxs[k].closing) {
      ft_comp__idx open = {0};
      ft_comp__open_blocks(x, GR_CONDITION, &open);
      for (size_t i = 0; i < open.len; i++) {
        const gr_node *g = gr_tree_node(rq->tree, open.items[i]);
        char *nm = gr_strndup(x->text + g->name.start, g->name.end - g->name.start);
        int dup = !nm[0];
        for (size_t j = 0; j < done.len && !dup; j++) dup = strcmp(done.items[j], nm) == 0;
        if (!dup) {
          d.len = 0;
          ft_buf_puts(&d, i == 0 ? "CONDITION: the innermost open block" : "CONDITION: an open block");
          ft_comp__name_item(x, FT_COMP__CONDITION, lead, nm, d.items, edit, closer);
          gr_array_push(&done, nm);
        } else {
          gr_free(nm);
        }
      }
      gr_array_free(&open);
    }
    for (size_t i = 0; i < names.len && !x->incomplete; i++) {
      int dup = 0;
      for (size_t j = 0; j < done.len && !dup; j++) dup = strcmp(done.items[j], names.items[i].name) == 0;
      if (dup) continue;
      ft_comp__uses_detail(&d, ctxs[k].what, &names.items[i]);
      ft_comp__name_item(x, ctxs[k].what, lead, names.items[i].name, d.items, edit, closer);
    }
    for (size_t j = 0; j < done.len; j++) gr_free((char *)done.items[j]);
    gr_array_free(&done);
    gr_array_free(&d);
    gr_array_free(&names);
    gr_array_free(&u);
    tl_template_free(owned);
    return 1;
  }
  return 0;
}

/* ---- template: directives ----------------------------------------------- */

/* The enclosing heading's name for a new block (ft_edit_slug). */
static char *ft_comp__block_name(const ft_comp__ctx *x, const char *fallback) {
  const gr_tree *tree = x->rq->tree;
  uint32_t s = gr_tree_ancestor(tree, gr_tree_node_at(tree, x->c), GR_SECTION);
  if (s == GR_NONE || s == 0) return ft_edit_slug("", 0, fallback);
  const gr_node *g = gr_tree_node(tree, s);
  return ft_edit_slug(x->text + g->name.start, g->name.end - g->name.start, fallback);
}

/* A list marker or nothing but blanks before `at` on its line. */
static int ft_comp__line_lead(const ft_comp__ctx *x, uint32_t at) {
  const char *t = x->text;
  uint32_t i = x->ls;
  while (i < at && ft_comp__blank(t[i])) i++;
  if (i < at && (t[i] == '-' || t[i] == '*' || t[i] == '+')) {
    i++;
  } else {
    uint32_t d = i;
    while (i < at && isdigit((unsigned char)t[i])) i++;
    if (i > d && i < at && (t[i] == '.' || t[i] == ')')) i++;
    else i = d;
  }
  while (i < at && ft_comp__blank(t[i])) i++;
  return i == at;
}

static int ft_comp__prefix_ci(const char *typed, size_t n, const char *word) {
  if (n > strlen(word)) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)typed[i]) != tolower((unsigned char)word[i])) return 0;
  return 1;
}

typedef struct ft_comp__directive {
  const char *filter; /* the keyword typed */
  const char *label;
  const char *detail;
  const char *doc;
} ft_comp__directive;

static const ft_comp__directive ft_comp__directives[] = {
    {"<<REPEAT", "<<REPEAT: …>> block", "REPEAT block",
     "A block written once per instance: the document holds one copy for each."},
    {"^^CONDITION", "^^CONDITION: …^^ block", "CONDITION block",
     "A block written only when the condition holds; the closer repeats the name."},
    {"[[LLM:", "[[LLM: …]] instruction", "LLM instruction",
     "Guidance for the agent that writes the document; never shown in it."},
    {"@{example", "@{example: …} block", "example block",
     "An example for the agent to follow; examples never reach the document."},
    {"<critical_rule>", "<critical_rule>", "critical rule", "A rule the agent must keep."},
    {"<</REPEAT>>", "<</REPEAT>>", "closes the open REPEAT", NULL},
    {"^^/CONDITION", "^^/CONDITION: …^^", "closes the open CONDITION", NULL},
};

static void ft_comp__directive_item(ft_comp__ctx *x, size_t k, gr_span edit, const char *close_name) {
  const ft_comp__directive *d = &ft_comp__directives[k];
  int sn = x->rq->snippets;
  ft_buf t = {0};
  char *name = NULL, *esc = NULL;
  switch (k) {
    case 0:
      name = ft_comp__block_name(x, "items");
      esc = tl_skeleton_snippet_escape(name, strlen(name));
      if (sn) ft_buf_printf(&t, "<<REPEAT: ${1:%s}>>\n$0\n<</REPEAT>>", esc);
      else ft_buf_printf(&t, "<<REPEAT: %s>>\n\n<</REPEAT>>", name);
      break;
    case 1:
      name = ft_comp__block_name(x, "condition");
      esc = tl_skeleton_snippet_escape(name, strlen(name));
      if (sn) ft_buf_printf(&t, "^^CONDITION: ${1:%s}^^\n$0\n^^/CONDITION: $1^^", esc);
      else ft_buf_printf(&t, "^^CONDITION: %s^^\n\n^^/CONDITION: %s^^", name, name);
      break;
    case 2:
      ft_buf_puts(&t, sn ? "[[LLM: $0]]" : "[[LLM: ]]");
      break;
    case 3:
      name = ft_comp__block_name(x, "example");
      esc = tl_skeleton_snippet_escape(name, strlen(name));
      if (sn) ft_buf_printf(&t, "@{example: ${1:%s}}\n$0\n@{/example}", esc);
      else ft_buf_printf(&t, "@{example: %s}\n\n@{/example}", name);
      break;
    case 4:
      ft_buf_puts(&t, sn ? "<critical_rule>$0</critical_rule>" : "<critical_rule></critical_rule>");
      break;
    case 5:
      ft_buf_puts(&t, "<</REPEAT>>");
      break;
    default:
      if (sn) {
        esc = tl_skeleton_snippet_escape(close_name, strlen(close_name));
        ft_buf_printf(&t, "^^/CONDITION: %s^^", esc);
      } else {
        ft_buf_printf(&t, "^^/CONDITION: %s^^", close_name);
      }
      break;
  }
  ft_buf label = {0};
  if (k == 6) ft_buf_printf(&label, "^^/CONDITION: %s^^", close_name);
  else ft_buf_puts(&label, d->label);
  /* Only the skeletons with tab stops are snippets; the closers are plain. */
  ft_comp__add(x, FT_COMP_DIRECTIVE, label.items, d->detail, d->doc, d->filter, edit, t.items,
               sn && k <= 4);
  gr_free(name);
  gr_free(esc);
  gr_array_free(&t);
  gr_array_free(&label);
}

static int ft_comp__template_directives(ft_comp__ctx *x) {
  const char *t = x->text;
  uint32_t from = x->c > x->ls + 20 ? x->c - 20 : x->ls;
  for (uint32_t s = from; s < x->c; s++) {
    if (!strchr("<^[@", t[s])) continue;
    if (s > x->ls && !ft_comp__blank(t[s - 1]) && t[s - 1] != '(') continue;
    size_t n = x->c - s;
    if (n == 1 && !ft_comp__line_lead(x, s)) continue;
    if (n == 1 && t[s] == '[') { /* "- [ ]" is a task list item: '[' alone counts after indentation only */
      uint32_t k = x->ls;
      while (k < s && ft_comp__blank(t[k])) k++;
      if (k < s) continue;
    }
    int any = 0;
    for (size_t k = 0; k < sizeof ft_comp__directives / sizeof ft_comp__directives[0]; k++)
      any |= ft_comp__prefix_ci(t + s, n, ft_comp__directives[k].filter);
    if (!any) continue;
    gr_span edit = {s, x->c};
    ft_comp__idx open_r = {0}, open_c = {0};
    ft_comp__open_blocks(x, GR_REPEAT, &open_r);
    ft_comp__open_blocks(x, GR_CONDITION, &open_c);
    for (size_t k = 0; k < sizeof ft_comp__directives / sizeof ft_comp__directives[0]; k++) {
      if (!ft_comp__prefix_ci(t + s, n, ft_comp__directives[k].filter)) continue;
      if (k == 5 && !open_r.len) continue;
      if (k == 6) {
        if (!open_c.len) continue;
        const gr_node *g = gr_tree_node(x->rq->tree, open_c.items[0]);
        char *nm = gr_strndup(t + g->name.start, g->name.end - g->name.start);
        ft_comp__directive_item(x, k, edit, nm);
        gr_free(nm);
        continue;
      }
      ft_comp__directive_item(x, k, edit, NULL);
    }
    gr_array_free(&open_r);
    gr_array_free(&open_c);
    return 1;
  }
  return 0;
}

/* ---- template: section references in instructions ------------------------ */

static int ft_comp__word_eq(const char *t, uint32_t s, uint32_t e, const char *w) {
  size_t n = strlen(w);
  if (e - s != n) return 0;
  for (size_t i = 0; i < n; i++)
    if (tolower((unsigned char)t[s + i]) != w[i]) return 0;
  return 1;
}

/* Words that may stand lowercase inside a section name. */
static int ft_comp__connector(const char *t, uint32_t s, uint32_t e) {
  static const char *w[] = {"and", "or", "of", "to", "as", "&", "-", "/", "for", "with", "in"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (ft_comp__word_eq(t, s, e, w[i])) return 1;
  return 0;
}

static int ft_comp__template_section_refs(ft_comp__ctx *x) {
  const gr_tree *tree = x->rq->tree;
  const char *t = x->text;
  uint32_t ins = gr_tree_ancestor(tree, gr_tree_node_at(tree, x->c), GR_INSTRUCTION);
  if (ins == GR_NONE) return 0;
  const gr_node *in = gr_tree_node(tree, ins);
  if (x->c < in->body.start || x->c > in->body.end) return 0;
  uint32_t from = in->body.start > x->ls ? in->body.start : x->ls;
  /* Words of the window, at most the last 24. */
  enum { MAXW = 24 };
  uint32_t ws[MAXW], we[MAXW];
  int nw = 0;
  uint32_t i = from;
  while (i < x->c) {
    while (i < x->c && ft_comp__blank(t[i])) i++;
    if (i >= x->c) break;
    uint32_t s = i;
    while (i < x->c && !ft_comp__blank(t[i])) i++;
    if (nw == MAXW) {
      memmove(ws, ws + 1, sizeof ws[0] * (MAXW - 1));
      memmove(we, we + 1, sizeof we[0] * (MAXW - 1));
      nw--;
    }
    ws[nw] = s;
    we[nw] = i;
    nw++;
  }
  /* The word being typed: the last one when no blank follows it. */
  int partial = nw > 0 && we[nw - 1] == x->c;
  int last_full = partial ? nw - 2 : nw - 1;
  /* Walk back over name words (and "the") to the verb. */
  static const char *one[] = {"reference", "references", "referencing", "see", "consult", "per"};
  static const char *in_verbs[] = {"described", "defined", "covered", "detailed"};
  int k = last_full, verb = 0;
  while (k >= 0 && k >= last_full - 8) {
    for (size_t j = 0; j < sizeof one / sizeof one[0]; j++) verb |= ft_comp__word_eq(t, ws[k], we[k], one[j]);
    if (!verb && k >= 1 && ft_comp__word_eq(t, ws[k], we[k], "to"))
      verb = ft_comp__word_eq(t, ws[k - 1], we[k - 1], "refer") || ft_comp__word_eq(t, ws[k - 1], we[k - 1], "refers");
    if (!verb && k >= 1 && ft_comp__word_eq(t, ws[k], we[k], "in"))
      for (size_t j = 0; j < sizeof in_verbs / sizeof in_verbs[0]; j++)
        verb |= ft_comp__word_eq(t, ws[k - 1], we[k - 1], in_verbs[j]);
    if (verb) break;
    char c0 = t[ws[k]];
    int named = isupper((unsigned char)c0) || isdigit((unsigned char)c0) || c0 == '(' ||
                ft_comp__connector(t, ws[k], we[k]) || ft_comp__word_eq(t, ws[k], we[k], "the");
    for (uint32_t j = ws[k]; j < we[k] && named; j++)
      if (strchr(".,;:!?\"`", t[j])) named = 0;
    if (!named) break;
    k--;
  }
  if (!verb) return 0;
  /* The name typed so far starts after the verb (and "the"). */
  uint32_t ns = k + 1 < nw ? ws[k + 1] : x->c;
  if (k + 1 < nw && ft_comp__word_eq(t, ws[k + 1], we[k + 1], "the")) ns = k + 2 < nw ? ws[k + 2] : x->c;
  if (ns > x->c) ns = x->c;
  if (ns == x->c && x->c > from && !ft_comp__blank(t[x->c - 1])) return 0; /* "reference|" */
  gr_span edit = {ns, x->c};
  const gr_tree *self_tree;
  tl_template *owned;
  const tl_template *self = ft_comp__self_model(x, &self_tree, &owned);
  uint32_t here = tl_template_section_at(self, in->span.start);
  GR_ARRAY(const char *) done = {0};
  ft_buf d = {0};
  for (uint32_t s = 0; s < tl_template_section_count(self); s++) {
    const tl_tsection *sec = tl_template_section(self, s);
    if (tl_template_section_within(self, here, s) || sec->wildcard || !sec->text[0] || strstr(sec->text, "{{")) continue;
    int dup = 0;
    for (size_t j = 0; j < done.len && !dup; j++) dup = strcmp(done.items[j], sec->text) == 0;
    if (dup) continue;
    gr_array_push(&done, sec->text);
    d.len = 0;
    ft_buf_printf(&d, "section (level %u) of this template", sec->level);
    ft_comp__add(x, FT_COMP_SECTION_REF, sec->text, d.items, NULL, sec->text, edit, sec->text, 0);
  }
  gr_array_free(&d);
  gr_array_free(&done);
  tl_template_free(owned);
  return 1;
}

/* ---- documents ------------------------------------------------------------ */

/* In a document, code and comments hold other languages' text. */
static int ft_comp__in_code(const ft_comp__ctx *x) {
  const gr_tree *tree = x->rq->tree;
  for (uint32_t i = gr_tree_node_at(tree, x->c); i != GR_NONE && i != 0; i = gr_tree_node(tree, i)->parent) {
    const gr_node *g = gr_tree_node(tree, i);
    if (g->flags & GR_FLAG_IN_CODE) return 1;
    switch ((gr_kind)g->kind) {
      case GR_FENCE:
      case GR_CODE_SPAN:
      case GR_FRONT_MATTER:
      case GR_HTML_COMMENT:
        /* On the fence's own opener line, after its backticks, is still code (the info string). */
        return 1;
      default:
        break;
    }
  }
  return 0;
}

/* A Markdown code fence as long as needed to hold `s`. */
static void ft_comp__fenced(ft_buf *b, const char *s, const char *info) {
  size_t run = 0, best = 0;
  for (const char *p = s; *p; p++) {
    run = *p == '`' ? run + 1 : 0;
    if (run > best) best = run;
  }
  size_t n = best >= 3 ? best + 1 : 3;
  for (size_t i = 0; i < n; i++) ft_buf_putn(b, "`", 1);
  ft_buf_puts(b, info);
  ft_buf_putn(b, "\n", 1);
  ft_buf_puts(b, s);
  for (size_t i = 0; i < n; i++) ft_buf_putn(b, "`", 1);
}

/* Template section si as an item, its heading written at `level` (its
 * subsections moved as much); `typed`: the '#'s typed, 0 for none. */
static void ft_comp__section_item(ft_comp__ctx *x, const tl_template *t, const gr_tree *ttree, uint32_t si,
                                  int level, int typed, gr_span edit, int blank_before, int keep_final_nl) {
  const tl_tsection *s = tl_template_section(t, si);
  static const char hashes[] = "######";
  const char *h = hashes + 6 - (level < 1 ? 1 : level > 6 ? 6 : level);
  (void)ttree;
  /* The model's insert, at the template's levels, moved to `level`. */
  int shift = level >= 1 && level <= 6 ? level - (int)s->level : 0;
  const char *skel = tl_template_section_insert(t, si, 0);
  char *plain = tl_skeleton_relevel(skel, strlen(skel), shift, NULL);
  const char *ins = tl_template_section_insert(t, si, x->rq->snippets);
  char *text = tl_skeleton_relevel(ins, strlen(ins), shift, NULL);
  size_t tl = strlen(text);
  if (!keep_final_nl && tl && text[tl - 1] == '\n') text[tl - 1] = '\0';
  if (blank_before) {
    /* A heading right under a paragraph: keep a blank line between. */
    char *t2 = gr_malloc(strlen(text) + 2);
    t2[0] = '\n';
    memcpy(t2 + 1, text, strlen(text) + 1);
    gr_free(text);
    text = t2;
  }
  ft_buf detail = {0}, doc = {0}, filter = {0};
  if (s->repeat != TL_NONE)
    ft_buf_printf(&detail, "%s REPEAT %s: one more instance", h, tl_template_repeat(t, s->repeat)->name);
  else if (s->condition != TL_NONE)
    ft_buf_printf(&detail, "%s optional section: when %s", h, tl_template_condition(t, s->condition)->name);
  else
    ft_buf_printf(&detail, "%s missing section", h);
  for (uint32_t i = 0; i < tl_template_instruction_count(t); i++) {
    const tl_tinstruction *in = tl_template_instruction(t, i);
    if (in->section != si || !in->text[0]) continue;
    if (doc.len) ft_buf_puts(&doc, "\n\n");
    ft_buf_puts(&doc, in->text);
  }
  if (doc.len) ft_buf_puts(&doc, "\n\n");
  ft_buf_puts(&doc, "Inserts:\n\n");
  ft_comp__fenced(&doc, plain, "markdown");
  /* Matched against what was typed: the typed '#'s, then the name. */
  ft_buf_printf(&filter, "%s %s", typed ? hashes + 6 - typed : h, s->text);
  ft_comp__add(x, FT_COMP_SECTION, s->text, detail.items, doc.items, filter.items, edit, text,
               x->rq->snippets);
  gr_free(plain);
  gr_free(text);
  gr_array_free(&detail);
  gr_array_free(&doc);
  gr_array_free(&filter);
}

/* A parent the cursor's heading can have: a template section (TL_NONE: the
 * top, where the template's title and its children stand) and the level
 * its children are written at (0: the template's own levels). */
typedef struct ft_comp__parent {
  uint32_t tsection;
  int child_level;
} ft_comp__parent;

/* Does the cursor's document section chain name no template section for
 * `ds` (a heading of the document's own), so that nothing structural fits
 * under it? The document's title is the exception: an unmatched title
 * still stands for the template's. */
static int ft_comp__top_like(const tl_document *doc, uint32_t ds) {
  if (ds == TL_NONE) return 1;
  const tl_dsection *d = tl_document_section(doc, ds);
  return d->tsection == TL_NONE && d->level == 1 && d->parent == TL_NONE;
}

static int ft_comp__document_headings(ft_comp__ctx *x) {
  const ft_comp_request *rq = x->rq;
  const char *t = x->text;
  uint32_t i = x->ls;
  while (i < x->c && t[i] == ' ' && i - x->ls < 3) i++;
  uint32_t hs = i;
  int level = 0;
  while (i < x->c && t[i] == '#') i++, level++;
  int blank_line = ft_edit_line_blank(t, x->len, x->c);
  if (blank_line) {
    if (rq->trigger) return 0; /* a space typed on an empty line asks for nothing */
    level = 0;
    hs = x->ls;
  } else if (level < 1 || level > 6 || (i < x->c && t[i] != ' ' && t[i] != '\t')) {
    return 0;
  }
  if (!rq->doc || !tl_document_template(rq->doc) || !rq->ws || rq->tmpl == TL_NONE) return 1;
  const tl_document *doc = rq->doc;
  const tl_template *tm = tl_document_template(doc);
  const gr_tree *tt = rq->tree; /* unused by the items: the insert texts are the model's */
  gr_span edit = {hs, x->le};
  uint32_t next = ft_edit_line_next(t, x->len, x->c);
  int keep_nl = next >= x->len ? x->le == x->len : !ft_edit_line_blank(t, x->len, next);
  int blank_before = x->ls > 0 && !ft_edit_line_blank(t, x->len, ft_edit_line_start(t, x->len, x->ls - 1));

  /* The parents a heading here can have. Typed '#'s: the innermost
   * document section holding the cursor of a lower level. A blank line:
   * each section holding the cursor, innermost first, up to the top. */
  GR_ARRAY(ft_comp__parent) parents = {0};
  int top = 0;
  uint32_t ds = tl_document_section_at(doc, x->c);
  while (ds != TL_NONE && level && tl_document_section(doc, ds)->level >= level)
    ds = tl_document_section(doc, ds)->parent;
  for (; ds != TL_NONE; ds = tl_document_section(doc, ds)->parent) {
    const tl_dsection *d = tl_document_section(doc, ds);
    if (d->tsection != TL_NONE) {
      ft_comp__parent p = {d->tsection, d->level + 1};
      gr_array_push(&parents, p);
    } else if (ft_comp__top_like(doc, ds)) {
      top = 1;
    } else if (level) {
      break; /* the document's own section: the template has nothing for under it */
    }
    if (level) break;
  }
  if (ds == TL_NONE) top = 1;
  uint32_t title = tl_template_title(tm);
  for (uint32_t si = 0; si < tl_template_section_count(tm); si++) {
    const tl_tsection *s = tl_template_section(tm, si);
    if (!s->repeats && tl_document_occurrences(doc, si) > 0) continue;
    int at = -1;
    for (size_t k = 0; k < parents.len && at < 0; k++)
      if (s->parent == parents.items[k].tsection) at = parents.items[k].child_level;
    /* At the top: the title and its children, at the template's levels
     * (when the document's title matched, its children came above). */
    if (at < 0 && top && (s->parent == TL_NONE || (s->parent == title && tl_document_occurrences(doc, title) == 0)) &&
        (!level || s->level == level))
      at = s->level;
    if (at < 0) continue;
    ft_comp__section_item(x, tm, tt, si, at, level, edit, blank_before, keep_nl);
  }
  gr_array_free(&parents);
  return 1;
}

static int ft_comp__document_placeholders(ft_comp__ctx *x) {
  const ft_comp_request *rq = x->rq;
  uint32_t ns, ne, at;
  int closed;
  if (!ft_comp__after(x, "{{", "{}", "}}", &ns, &ne, &closed, &at)) return 0;
  if (!rq->doc || !tl_document_template(rq->doc)) return 1;
  const tl_template *tm = tl_document_template(rq->doc);
  /* Not a placeholder by the diagnostics' rule (${{, style={{ a: 1 ...): nothing to offer. */
  tl_foreign fg = tl_foreign_text(x->text, x->len, (gr_span){at, ne}, (gr_span){ns, ne}, TL_FOREIGN_TYPING);
  if (fg == TL_FOREIGN_HARD || (fg == TL_FOREIGN_SOFT && !tl_foreign_template_has(tm, x->text + ns, ne - ns, TL_NONE)))
    return 1;
  uint32_t ts = tl_document_tsection_at(rq->doc, x->c);
  if (ts == TL_NONE) return 1;
  GR_ARRAY(const char *) done = {0};
  gr_span edit = {ns, ne};
  for (uint32_t i = 0; i < tl_template_placeholder_count(tm); i++) {
    const tl_tplaceholder *p = tl_template_placeholder(tm, i);
    if (p->section != ts || (p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) || !p->name[0]) continue;
    int dup = 0;
    for (size_t j = 0; j < done.len && !dup; j++) dup = strcmp(done.items[j], p->name) == 0;
    if (dup) continue;
    gr_array_push(&done, p->name);
    ft_comp__name_item(x, FT_COMP__PLACEHOLDER, "", p->name, "placeholder of this section in the template",
                       edit, closed ? NULL : "}}");
  }
  gr_array_free(&done);
  return 1;
}

/* ---- entry -------------------------------------------------------------- */

ft_completions *ft_completion_new(const ft_comp_request *rq) {
  ft_comp__ctx x;
  memset(&x, 0, sizeof x);
  x.rq = rq;
  x.text = gr_tree_text(rq->tree);
  x.len = gr_tree_len(rq->tree);
  x.c = rq->offset > x.len ? x.len : rq->offset;
  /* A cursor between "\r" and "\n" stands at the end of its line. */
  if (x.c > 0 && x.c < x.len && x.text[x.c] == '\n' && x.text[x.c - 1] == '\r') x.c--;
  x.ls = ft_edit_line_start(x.text, x.len, x.c);
  x.le = ft_edit_line_end(x.text, x.len, x.c);
  x.eol = ft_edit_eol(x.text, x.len);
  if (rq->is_template) {
    if (!ft_comp__template_names(&x) && !ft_comp__template_directives(&x))
      ft_comp__template_section_refs(&x);
  } else if (!ft_comp__in_code(&x)) {
    if (!ft_comp__document_placeholders(&x)) ft_comp__document_headings(&x);
  }
  ft_completions *out = gr_malloc(sizeof *out);
  out->items = x.items.items;
  out->len = x.items.len;
  out->incomplete = x.incomplete;
  return out;
}

/* ---- YAML templates ------------------------------------------------------ */

/*
 * What key k inserts: its name, then its value or the start of it. Lines
 * below the key are indented under it (ind: the key's column); with
 * snippets, tab stops and choices.
 */
static void ft_comp__ykey_text(ft_buf *b, const ft_ykey *k, const char *ind, int sn) {
  const char *name = ft_ykey_name(k);
  ft_yplace place = (ft_yplace)k->place;
  if (place == FT_YPLACE_TOP && strcmp(name, "template") == 0 && sn) {
    ft_buf_printf(b,
                  "template:\n%s  id: ${1:name-template-v1}\n%s  name: ${2:Name}\n%s  version: ${3:1.0}\n"
                  "%s  output:\n%s    format: markdown\n%s    filename: ${4:docs/name.md}\n"
                  "%s    title: \"${5:Title}\"",
                  ind, ind, ind, ind, ind, ind, ind);
    return;
  }
  if (place == FT_YPLACE_TEMPLATE && strcmp(name, "output") == 0 && sn) {
    ft_buf_printf(b, "output:\n%s  format: markdown\n%s  filename: ${1:docs/name.md}\n%s  title: \"${2:Title}\"",
                  ind, ind, ind);
    return;
  }
  if (place == FT_YPLACE_TOP && strcmp(name, "workflow") == 0 && sn) {
    ft_buf_printf(b, "workflow:\n%s  mode: ${1|interactive,yolo|}\n%s  elicitation: ${2:advanced-elicitation}", ind,
                  ind);
    return;
  }
  switch ((ft_yvalue)k->value) {
    case FT_YVALUE_BOOL: ft_buf_printf(b, sn ? "%s: ${1|true,false|}" : "%s: true", name); break;
    case FT_YVALUE_SECTIONS:
      if (sn) ft_buf_printf(b, "%s:\n%s  - id: ${1:section-id}\n%s    title: ${2:Title}", name, ind, ind);
      else ft_buf_printf(b, "%s:\n%s  - id: ", name, ind);
      break;
    case FT_YVALUE_LIST:
    case FT_YVALUE_ITEMS: ft_buf_printf(b, sn ? "%s:\n%s  - $0" : "%s:\n%s  - ", name, ind); break;
    case FT_YVALUE_FLOW: ft_buf_printf(b, sn ? "%s: [$1]" : "%s: ", name); break;
    case FT_YVALUE_MAPPING: ft_buf_printf(b, sn ? "%s:\n%s  $0" : "%s:\n%s  ", name, ind); break;
    case FT_YVALUE_BLOCK: ft_buf_printf(b, sn ? "%s: |\n%s  $0" : "%s: |\n%s  ", name, ind); break;
    default: ft_buf_printf(b, "%s: ", name); break;
  }
}

/* The keys of the cursor's mapping that it lacks. */
static void ft_comp__ykeys(ft_comp__ctx *x, const ft_yctx *yc) {
  const char *t = x->text;
  int sn = x->rq->snippets && !yc->has_colon;
  char ind[257];
  uint32_t col = yc->col < 256 ? yc->col : 256;
  memset(ind, ' ', col);
  ind[col] = '\0';
  /* the front-end's names for the place, in its order */
  const char *const *names = NULL;
  switch (yc->place) {
    case FT_YPLACE_TOP: names = yt_names_list(YT_NAMES_TOP_KEYS); break;
    case FT_YPLACE_TEMPLATE: names = yt_names_list(YT_NAMES_TEMPLATE_KEYS); break;
    case FT_YPLACE_OUTPUT: names = yt_names_list(YT_NAMES_OUTPUT_KEYS); break;
    case FT_YPLACE_WORKFLOW: names = yt_names_list(YT_NAMES_WORKFLOW_KEYS); break;
    default: break;
  }
  size_t n = names ? 0 : YT_SKEY_COUNT;
  if (names)
    while (names[n]) n++;
  ft_buf text = {0}, detail = {0};
  for (size_t i = 0; i < n; i++) {
    const char *name = names ? names[i] : yt_skey_name((yt_skey)i);
    const ft_ykey *k = ft_ykey_find(yc->place, name, strlen(name));
    if (!k || !k->offered) continue;
    int present = 0;
    for (size_t j = 0; j < yc->present.len && !present; j++) {
      gr_span p = yc->present.items[j];
      present = p.end - p.start == strlen(name) && memcmp(t + p.start, name, p.end - p.start) == 0;
    }
    if (present) continue;
    text.len = 0;
    if (yc->has_colon) ft_buf_puts(&text, name);
    else ft_comp__ykey_text(&text, k, ind, sn);
    detail.len = 0;
    ft_buf_printf(&detail, "%s · %s", ft_ykey_place_label(yc->place), ft_ykey_value_label((ft_yvalue)k->value));
    size_t before = x->items.len;
    ft_comp__add(x, FT_COMP_KEY, name, detail.items, k->doc, name, yc->key, text.items,
                 sn && strchr(text.items, '$') != NULL);
    if (x->items.len > before) x->items.items[before].as_is = strchr(text.items, '\n') != NULL;
  }
  gr_array_free(&text);
  gr_array_free(&detail);
}

/* The values the key before the cursor takes, when they are a known few. */
static void ft_comp__yvalues(ft_comp__ctx *x, const ft_yctx *yc) {
  const ft_ykey *k = ft_ykey_find(yc->place, x->text + yc->key.start, yc->key.end - yc->key.start);
  if (!k) return;
  const char *lead = yc->space ? "" : " ";
  ft_buf text = {0};
#define FT_COMP__YVALUE(label, detail, doc)                                          \
  do {                                                                               \
    text.len = 0;                                                                    \
    ft_buf_printf(&text, "%s%s", lead, (label));                                     \
    ft_comp__add(x, FT_COMP_VALUE, (label), (detail), (doc), (label), yc->value, text.items, 0); \
  } while (0)
  switch ((ft_yvalue)k->value) {
    case FT_YVALUE_BOOL:
      FT_COMP__YVALUE("true", "true or false", NULL);
      FT_COMP__YVALUE("false", "true or false", NULL);
      break;
    case FT_YVALUE_TYPE:
      for (int ty = YT_TYPE_OTHER + 1; ty < YT_TYPE_COUNT; ty++)
        FT_COMP__YVALUE(yt_stype_name((yt_stype)ty), "section type", ft_ykey_type_doc((yt_stype)ty));
      break;
    case FT_YVALUE_MERMAID: {
      const char *const *names = yt_names_list(YT_NAMES_MERMAID_TYPES);
      for (size_t i = 0; names[i]; i++)
        FT_COMP__YVALUE(names[i], "mermaid diagram type", ft_ykey_mermaid_doc(names[i], strlen(names[i])));
      break;
    }
    case FT_YVALUE_MODE: {
      const char *const *names = yt_names_list(YT_NAMES_MODES);
      for (size_t i = 0; names[i]; i++)
        if (ft_ykey_mode_offered(names[i], strlen(names[i])))
          FT_COMP__YVALUE(names[i], "workflow mode", ft_ykey_mode_doc(names[i], strlen(names[i])));
      break;
    }
    default: break;
  }
#undef FT_COMP__YVALUE
  gr_array_free(&text);
}

/* After "{{": the template's {{vars}}, most used first, the one being typed not counted. */
static int ft_comp__yvars(ft_comp__ctx *x, const yt_tmpl *tm) {
  uint32_t ns, ne, at;
  int closed;
  if (!ft_comp__after(x, "{{", "{}", "}}", &ns, &ne, &closed, &at)) return 0;
  if (at > 0 && x->text[at - 1] == '$') return 1; /* GitHub Actions ${{ }} */
  ft_comp__uses u = {0};
  for (uint32_t i = 0; i < yt_tmpl_var_count(tm); i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    if (v->flags & (YT_VAR_EMPTY | YT_VAR_UNTERMINATED)) continue;
    if (v->name.start <= x->c && x->c <= v->name.end && v->span.start < x->c && x->c < v->span.end) continue;
    ft_comp__use use = {gr_strndup(x->text + v->name.start, v->name.end - v->name.start), 0};
    gr_array_push(&u, use);
  }
  ft_comp__names names = {0};
  ft_comp__count(&u, &names);
  ft_buf d = {0};
  for (size_t i = 0; i < names.len && !x->incomplete; i++) {
    d.len = 0;
    ft_buf_printf(&d, "variable: %u use%s in this template", names.items[i].count,
                  names.items[i].count == 1 ? "" : "s");
    ft_comp__name_item(x, FT_COMP__PLACEHOLDER, "", names.items[i].name, d.items, (gr_span){ns, ne},
                       closed ? NULL : "}}");
  }
  gr_array_free(&d);
  gr_array_free(&names);
  for (size_t i = 0; i < u.len; i++) gr_free((char *)u.items[i].name); /* after the names: they point into u */
  gr_array_free(&u);
  return 1;
}

ft_completions *ft_completion_yaml(const yt_tmpl *tm, uint32_t offset, int snippets, char trigger) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  ft_comp_request rq;
  memset(&rq, 0, sizeof rq);
  rq.offset = offset;
  rq.is_template = 1;
  rq.snippets = snippets;
  rq.trigger = trigger;
  rq.self = rq.tmpl = TL_NONE;
  ft_comp__ctx x;
  memset(&x, 0, sizeof x);
  x.rq = &rq;
  x.text = yt_tree_text(tree);
  x.len = yt_tree_len(tree);
  x.c = offset > x.len ? x.len : offset;
  if (x.c > 0 && x.c < x.len && x.text[x.c] == '\n' && x.text[x.c - 1] == '\r') x.c--;
  x.ls = ft_edit_line_start(x.text, x.len, x.c);
  x.le = ft_edit_line_end(x.text, x.len, x.c);
  x.eol = ft_edit_eol(x.text, x.len);
  ft_yctx yc;
  ft_yctx_at(x.text, x.len, x.c, &yc);
  if (!yc.comment && trigger != '^' && trigger != '<' && trigger != '@' && trigger != '[' && trigger != '#') {
    if (!ft_comp__yvars(&x, tm) && trigger != '{') {
      int typed_space = trigger == ' ';
      if (yc.what == FT_YWHAT_KEY && (!typed_space || (yc.new_item && yc.key.start == yc.key.end)) &&
          trigger != ':')
        ft_comp__ykeys(&x, &yc);
      else if (yc.what == FT_YWHAT_VALUE)
        ft_comp__yvalues(&x, &yc);
    }
  }
  ft_yctx_free(&yc);
  ft_completions *out = gr_malloc(sizeof *out);
  out->items = x.items.items;
  out->len = x.items.len;
  out->incomplete = x.incomplete;
  return out;
}

void ft_completion_free(ft_completions *c) {
  if (!c) return;
  for (size_t i = 0; i < c->len; i++) {
    ft_comp_item *it = &c->items[i];
    gr_free(it->label);
    gr_free(it->detail);
    gr_free(it->doc);
    gr_free(it->filter);
    gr_free(it->sort);
    gr_free(it->text);
  }
  gr_free(c->items);
  gr_free(c);
}
