/*
 * codeaction.c: code actions (see codeaction.h).
 *
 * Each builder appends candidate actions; ft_codeaction_new then keeps
 * only those whose edits apply and whose result parses with no more
 * grammar diagnostics than before (template quick fixes: fewer), so a
 * heuristic that misjudges a strange file offers nothing rather than
 * breaking it.
 */
#include "server/features/codeaction.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/features/docfix.h"
#include "server/model/skeleton.h"
#include "server/features/suppress.h"
#include "server/model/docdiag.h"
#include "server/model/foreign.h"
#include "server/model/mdtable.h"
#include "server/model/tail.h"
#include "server/model/template.h"

const char *ft_action_kind_name(ft_action_kind kind) {
  static const char *names[FT_ACTION_KIND_COUNT] = {"quickfix", "refactor.rewrite", "refactor.insert",
                                                    "source.fixAll.tmpl-ls"};
  return (unsigned)kind < FT_ACTION_KIND_COUNT ? names[kind] : "quickfix";
}

typedef struct ft_ca__ctx {
  const ft_action_request *rq;
  const gr_tree *tree;
  const char *text;
  uint32_t len;
  const char *eol;
  int use_also; /* the client named diagnostics, and at least one is current */
  GR_ARRAY(ft_action) out;
} ft_ca__ctx;

/* ---- building actions --------------------------------------------------- */

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static ft_action *ft_ca__new(ft_ca__ctx *x, ft_action_kind kind, int preferred, const char *fmt, ...) {
  ft_action a;
  memset(&a, 0, sizeof a);
  a.kind = kind;
  a.preferred = (uint8_t)(preferred != 0);
  ft_buf b = {0};
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n > 0) {
    gr_array_reserve(&b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b.items, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
  }
  a.title = ft_buf_take(&b);
  gr_array_push(&x->out, a);
  return &x->out.items[x->out.len - 1];
}

/* Insert `s` ("\n" form) at `at`, in the file's line ending. */
static void ft_ca__insert(ft_ca__ctx *x, ft_action *a, uint32_t at, const char *s) {
  size_t n;
  char *conv = ft_edit_convert(s, strlen(s), x->eol, &n);
  ft_edit_add(&a->edits, at, at, conv, n);
  gr_free(conv);
}

static void ft_ca__replace(ft_action *a, gr_span s, const char *t) {
  ft_edit_add(&a->edits, s.start, s.end, t, strlen(t));
}

static void ft_ca__fixes(ft_action *a, const char *code, gr_severity sev, gr_span span, const char *msg) {
  tl_diags_add(&a->fixes, code, sev, span, msg ? msg : code, UINT32_MAX);
}

static int ft_ca__touches(gr_span d, gr_span r) { return d.start <= r.end && r.start <= d.end; }

int ft_codeaction_kind_wanted(const ft_action_request *rq, ft_action_kind kind) {
  if (!rq->only) return 1;
  const char *name = ft_action_kind_name(kind);
  for (size_t i = 0; i < rq->n_only; i++) {
    const char *k = rq->only[i];
    if (!k) continue;
    size_t n = strlen(k);
    if (strncmp(name, k, n) == 0 && (name[n] == '\0' || name[n] == '.')) return 1;
  }
  return 0;
}

/* Did rq->only name a kind that `kind` falls under (not merely "every kind")? */
static int ft_ca__asked_kind(const ft_action_request *rq, ft_action_kind kind) {
  return rq->only && ft_codeaction_kind_wanted(rq, kind);
}

/* A diagnostic at span d is asked about: the client named it, or, when it
 * named none (or only ones that are gone: a stale list), it touches the
 * range. */
static int ft_ca__asked(const ft_ca__ctx *x, gr_span d) {
  if (x->use_also) {
    for (size_t i = 0; i < x->rq->n_also; i++)
      if (x->rq->also[i].start == d.start && x->rq->also[i].end == d.end) return 1;
    return 0;
  }
  if (ft_ca__touches(d, x->rq->range)) return 1;
  /* An empty diagnostic (a missing section's insertion point) is on the
   * whole line for a person: any cursor on that line asks for it. */
  if (d.start == d.end &&
      ft_edit_line_start(x->text, x->len, d.start) == ft_edit_line_start(x->text, x->len, x->rq->range.start))
    return 1;
  return 0;
}

/* A short, one-line, valid-looking label from text[s, e). */
static char *ft_ca__label(const char *t, uint32_t s, uint32_t e, size_t max) {
  while (s < e && isspace((unsigned char)t[s])) s++;
  uint32_t x = s;
  while (x < e && t[x] != '\n' && t[x] != '\r' && x - s < max) x++;
  int cut = x < e && t[x] != '\n' && t[x] != '\r';
  while (cut && x > s && ((unsigned char)t[x] & 0xC0) == 0x80) x--;
  while (x > s && isspace((unsigned char)t[x - 1])) x--;
  ft_buf b = {0};
  ft_buf_putn(&b, t + s, x - s);
  if (cut) ft_buf_puts(&b, "…");
  return ft_buf_take(&b);
}

/* ---- template: quick fixes ---------------------------------------------- */

/* The end of the last non-blank text before `at` (back over blank lines and
 * trailing blanks). */
static uint32_t ft_ca__trim_back(const char *t, uint32_t from, uint32_t at) {
  while (at > from && isspace((unsigned char)t[at - 1])) at--;
  return at;
}

/* Where the closer of block node `i` goes: the end of its container (its
 * section, or the block holding it), trimmed back over blank lines. */
static uint32_t ft_ca__close_at(const ft_ca__ctx *x, uint32_t i) {
  const gr_tree *tree = x->tree;
  const gr_node *n = gr_tree_node(tree, i);
  uint32_t end = x->len;
  uint32_t p = n->parent;
  while (p != GR_NONE) {
    const gr_node *g = gr_tree_node(tree, p);
    if (g->kind == GR_SECTION) {
      end = g->span.end;
      break;
    }
    if (g->kind == GR_REPEAT || g->kind == GR_CONDITION || g->kind == GR_EXAMPLE || g->kind == GR_FENCE) {
      end = g->body.end;
      break;
    }
    if (g->kind == GR_ROOT) {
      /* Before the first heading: up to the next section. */
      for (uint32_t k = gr_tree_next(tree, i); k != GR_NONE; k = gr_tree_next(tree, k)) {
        const gr_node *s = gr_tree_node(tree, k);
        if (s->kind == GR_SECTION && s->parent == p && s->span.start >= n->span.end) {
          end = s->span.start;
          break;
        }
      }
      break;
    }
    p = g->parent;
  }
  return ft_ca__trim_back(x->text, n->open.end, end);
}

static const char *ft_ca__kind_word(gr_kind k) {
  switch (k) {
    case GR_REPEAT: return "REPEAT";
    case GR_CONDITION: return "CONDITION";
    case GR_EXAMPLE: return "example block";
    case GR_INSTRUCTION: return "LLM instruction";
    case GR_CRITICAL_RULE: return "critical rule";
    default: return "block";
  }
}

/* The closer of node n ("\n" form not included). */
static void ft_ca__closer(const ft_ca__ctx *x, const gr_node *n, ft_buf *b) {
  switch ((gr_kind)n->kind) {
    case GR_REPEAT: ft_buf_puts(b, "<</REPEAT>>"); break;
    case GR_CONDITION:
      ft_buf_puts(b, "^^/CONDITION: ");
      ft_buf_putn(b, x->text + n->name.start, n->name.end - n->name.start);
      ft_buf_puts(b, "^^");
      break;
    case GR_EXAMPLE: ft_buf_puts(b, "@{/example}"); break;
    case GR_INSTRUCTION: ft_buf_puts(b, "]]"); break;
    case GR_CRITICAL_RULE: ft_buf_puts(b, "</critical_rule>"); break;
    default: break;
  }
}

static void ft_ca__fix_unclosed(ft_ca__ctx *x, const gr_diag *d, gr_span ds) {
  if (d->node == GR_NONE) return;
  const gr_node *n = gr_tree_node(x->tree, d->node);
  ft_buf closer = {0};
  ft_ca__closer(x, n, &closer);
  if (!closer.len) return;
  char *name = ft_ca__label(x->text, n->name.start, n->name.end, 60);
  ft_action *a;
  if (n->kind == GR_INSTRUCTION || n->kind == GR_CRITICAL_RULE) {
    uint32_t at = ft_ca__trim_back(x->text, n->open.end, n->span.end);
    a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Close the %s with '%s'", ft_ca__kind_word(n->kind), closer.items);
    ft_ca__insert(x, a, at, closer.items);
  } else {
    uint32_t at = ft_ca__close_at(x, d->node);
    ft_buf s = {0};
    ft_buf_puts(&s, "\n");
    ft_buf_putn(&s, closer.items, closer.len);
    if (name[0])
      a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Close %s '%s' at the end of its section", ft_ca__kind_word(n->kind), name);
    else
      a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Close the %s at the end of its section", ft_ca__kind_word(n->kind));
    ft_ca__insert(x, a, at, s.items);
    gr_array_free(&s);
  }
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
  gr_free(name);
  gr_array_free(&closer);
}

static void ft_ca__fix_mismatched(ft_ca__ctx *x, const gr_diag *d, gr_span ds) {
  if (d->node == GR_NONE) return;
  const gr_tree *tree = x->tree;
  const gr_node *n = gr_tree_node(tree, d->node);
  const char *t = x->text;
  /* Blocks an outer closer crossed: close them just before it. */
  ft_buf ins = {0};
  uint32_t count = 0;
  for (uint32_t k = gr_tree_next(tree, d->node); k != GR_NONE; k = gr_tree_next(tree, k)) {
    const gr_node *g = gr_tree_node(tree, k);
    if (g->span.start >= n->span.end) break;
    if ((g->flags & GR_FLAG_FORCED_CLOSE) && g->span.end == d->span.start) count++;
  }
  if (count) {
    /* Innermost first: reverse pre-order. */
    GR_ARRAY(uint32_t) forced = {0};
    for (uint32_t k = gr_tree_next(tree, d->node); k != GR_NONE; k = gr_tree_next(tree, k)) {
      const gr_node *g = gr_tree_node(tree, k);
      if (g->span.start >= n->span.end) break;
      if ((g->flags & GR_FLAG_FORCED_CLOSE) && g->span.end == d->span.start) gr_array_push(&forced, k);
    }
    uint32_t ls = ft_edit_line_start(t, x->len, d->span.start);
    int own_line = 1;
    for (uint32_t i = ls; i < d->span.start; i++)
      if (t[i] != ' ' && t[i] != '\t') own_line = 0;
    ft_edits moves = {0};
    uint32_t after = d->span.end;
    for (size_t k = forced.len; k-- > 0;) {
      const gr_node *g = gr_tree_node(tree, forced.items[k]);
      ft_buf one = {0};
      ft_ca__closer(x, g, &one);
      ft_buf_putn(&ins, one.items, one.len);
      ft_buf_puts(&ins, own_line ? "\n" : " ");
      /* Its own closer further on was taken quietly by the parser: it moves
       * here, so it goes there (a bare ^^/CONDITION^^ counts too). */
      const char *bare = g->kind == GR_CONDITION ? "^^/CONDITION^^" : NULL;
      const char *hit = one.len ? strstr(t + after, one.items) : NULL;
      const char *hit_bare = bare ? strstr(t + after, bare) : NULL;
      if (hit_bare && (!hit || hit_bare < hit)) {
        hit = hit_bare;
        one.len = strlen(bare);
      }
      if (hit && (uint32_t)(hit - t) + one.len <= x->len) {
        gr_span sp = {(uint32_t)(hit - t), (uint32_t)(hit - t) + (uint32_t)one.len};
        ft_edit_delete(&moves, t, x->len, sp);
        after = sp.end;
      }
      gr_array_free(&one);
    }
    ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Close the crossed block%s before this closer",
                              forced.len > 1 ? "s" : "");
    ft_ca__insert(x, a, own_line ? ls : d->span.start, ins.items);
    for (size_t k = 0; k < moves.len; k++)
      ft_edit_add(&a->edits, moves.items[k].span.start, moves.items[k].span.end, moves.items[k].text, moves.items[k].len);
    ft_edit_free(&moves);
    ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
    gr_array_free(&forced);
    gr_array_free(&ins);
    return;
  }
  gr_array_free(&ins);
  if (n->kind != GR_CONDITION || n->close_name.end <= n->close_name.start) return;
  if (d->span.start != n->close_name.start) return; /* the name mismatch, not a code-block crossing */
  char *want = gr_strndup(t + n->name.start, n->name.end - n->name.start);
  char *has = gr_strndup(t + n->close_name.start, n->close_name.end - n->close_name.start);
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Rename the closer to '%s'", want);
  ft_ca__replace(a, n->close_name, want);
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
  a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Rename the opener to '%s'", has);
  ft_ca__replace(a, n->name, has);
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
  gr_free(want);
  gr_free(has);
}

static void ft_ca__fix_fence(ft_ca__ctx *x, const gr_diag *d, gr_span ds) {
  const char *t = x->text;
  uint32_t i = d->span.start, e = ft_edit_line_end(t, x->len, d->span.start);
  while (i < e && t[i] == ' ') i++;
  char f = t[i];
  if (f != '`' && f != '~') return;
  while (i < e && t[i] == f) i++;
  if (i >= e) return;
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Remove the info string from the closing fence");
  ft_edit_add(&a->edits, i, e, "", 0);
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
}

static void ft_ca__fix_placeholder_end(ft_ca__ctx *x, const gr_diag *d, gr_span ds) {
  uint32_t e = ft_edit_line_end(x->text, x->len, d->span.start);
  e = ft_ca__trim_back(x->text, d->span.end, e);
  if (e <= d->span.end) return; /* "{{" alone: nothing to close */
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Close the placeholder with '}}' at the end of the line");
  ft_ca__insert(x, a, e, "}}");
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
}

static void ft_ca__fix_remove(ft_ca__ctx *x, const gr_diag *d, gr_span ds, const char *title) {
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "%s", title);
  ft_edit_delete(&a->edits, x->text, x->len, d->span);
  ft_ca__fixes(a, gr_diag_code_name(d->code), d->severity, ds, d->message);
}

static void ft_ca__template_fixes(ft_ca__ctx *x) {
  for (uint32_t i = 0; i < gr_tree_diag_count(x->tree) && x->out.len < FT_CA_MAX_FIXES; i++) {
    const gr_diag *d = gr_tree_diag(x->tree, i);
    if (!ft_ca__asked(x, d->span)) continue;
    switch (d->code) {
      case GR_DIAG_UNCLOSED_BLOCK: ft_ca__fix_unclosed(x, d, d->span); break;
      case GR_DIAG_MISMATCHED_CLOSER: ft_ca__fix_mismatched(x, d, d->span); break;
      case GR_DIAG_STRAY_CLOSER: ft_ca__fix_remove(x, d, d->span, "Remove the stray closer"); break;
      case GR_DIAG_EMPTY_PLACEHOLDER: ft_ca__fix_remove(x, d, d->span, "Remove the empty placeholder"); break;
      case GR_DIAG_UNTERMINATED_PLACEHOLDER: ft_ca__fix_placeholder_end(x, d, d->span); break;
      case GR_DIAG_MALFORMED_FENCE: ft_ca__fix_fence(x, d, d->span); break;
      default: break;
    }
  }
}

/* ---- template: refactors ------------------------------------------------ */

static int ft_ca__is_container(gr_kind k) {
  return k != GR_ROOT && k != GR_SECTION;
}

static void ft_ca__wrap(ft_ca__ctx *x) {
  gr_span r = x->rq->range;
  if (r.end <= r.start) return;
  const char *t = x->text;
  const gr_tree *tree = x->tree;
  uint32_t s = ft_edit_line_start(t, x->len, r.start);
  /* A selection that ends at a line start ends on the line before. */
  uint32_t last = r.end;
  if (last > s && (t[last - 1] == '\n' || t[last - 1] == '\r')) last--;
  uint32_t e = ft_edit_line_end(t, x->len, last);
  if (e <= s) return;
  /* No element may cross the lines' edges. */
  char *name = NULL;
  uint32_t inner = 0;
  for (uint32_t i = 1; i < gr_tree_count(tree); i++) {
    const gr_node *g = gr_tree_node(tree, i);
    if (g->span.start >= e) break;
    if (g->span.end <= s) continue;
    if (g->kind == GR_SECTION) {
      if (g->span.start < s && !name) inner = i;
      if (g->span.start >= s && !name)
        name = ft_edit_slug(t + g->name.start, g->name.end - g->name.start, "");
      continue;
    }
    if (!ft_ca__is_container((gr_kind)g->kind)) continue;
    int in = g->span.start >= s && g->span.end <= e;
    int around = g->body.start <= s && e <= g->body.end && g->span.start < s;
    if (!in && !around) {
      gr_free(name);
      return;
    }
  }
  if (!name || !name[0]) {
    gr_free(name);
    const gr_node *g = inner ? gr_tree_node(tree, inner) : NULL;
    name = g ? ft_edit_slug(t + g->name.start, g->name.end - g->name.start, "") : gr_strndup("", 0);
  }
  static const struct {
    const char *title, *open, *close, *fallback;
  } forms[] = {
      {"Wrap in REPEAT block", "<<REPEAT: %s>>\n", "\n<</REPEAT>>", "items"},
      {"Wrap in CONDITION block", "^^CONDITION: %s^^\n", "\n^^/CONDITION: %s^^", "condition"},
  };
  for (size_t k = 0; k < 2; k++) {
    const char *nm = name[0] ? name : forms[k].fallback;
    ft_action *a = ft_ca__new(x, FT_ACTION_REWRITE, 0, "%s", forms[k].title);
    ft_buf b = {0};
    ft_buf_printf(&b, forms[k].open, nm);
    ft_ca__insert(x, a, s, b.items);
    b.len = 0;
    ft_buf_printf(&b, forms[k].close, nm);
    ft_ca__insert(x, a, e, b.items);
    gr_array_free(&b);
  }
  gr_free(name);
}

typedef GR_ARRAY(char *) ft_ca__cells;

static void ft_ca__cells_free(ft_ca__cells *c) {
  for (size_t i = 0; i < c->len; i++) gr_free(c->items[i]);
  gr_array_free(c);
}

/* A cell's text: trimmed, "**" and placeholders dropped, '|' escaped. */
static char *ft_ca__cell(const char *t, uint32_t s, uint32_t e) {
  ft_buf b = {0};
  for (uint32_t i = s; i < e;) {
    if (t[i] == '{' && i + 1 < e && t[i + 1] == '{') {
      uint32_t k = i + 2;
      while (k + 1 < e && !(t[k] == '}' && t[k + 1] == '}')) k++;
      i = k + 1 < e ? k + 2 : e;
      continue;
    }
    if (t[i] == '*' && i + 1 < e && t[i + 1] == '*') {
      i += 2;
      continue;
    }
    if (t[i] == '|') ft_buf_putn(&b, "\\", 1);
    ft_buf_putn(&b, t + i, 1);
    i++;
  }
  char *raw = ft_buf_take(&b);
  size_t a = 0, z = strlen(raw);
  while (a < z && isspace((unsigned char)raw[a])) a++;
  while (z > a && (isspace((unsigned char)raw[z - 1]) || raw[z - 1] == ':')) z--;
  char *out = gr_strndup(raw + a, z - a);
  gr_free(raw);
  return out;
}

/* List item at line [s, e): its label ("- **Purpose:** x" -> "Purpose"). */
static int ft_ca__list_item(const char *t, uint32_t s, uint32_t e, uint32_t *ls, uint32_t *le) {
  uint32_t i = s;
  while (i < e && t[i] == ' ') i++;
  if (i + 1 < e && (t[i] == '-' || t[i] == '*' || t[i] == '+') && t[i + 1] == ' ') {
    i += 2;
  } else {
    uint32_t d = i;
    while (i < e && isdigit((unsigned char)t[i])) i++;
    if (i == d || i + 1 >= e || (t[i] != '.' && t[i] != ')') || t[i + 1] != ' ') return 0;
    i += 2;
  }
  uint32_t ce = e;
  /* "**Label:** value" or "Label: value": the label */
  for (uint32_t k = i; k < e; k++) {
    if (t[k] == ':' ) {
      ce = k;
      break;
    }
  }
  *ls = i;
  *le = ce;
  return 1;
}

/* Is byte `at` inside an instruction, example or fence (not a place to read a table or list from)? */
static int ft_ca__guidance_at(const gr_tree *tree, uint32_t at) {
  for (uint32_t i = gr_tree_node_at(tree, at); i != GR_NONE && i != 0; i = gr_tree_node(tree, i)->parent) {
    gr_kind k = (gr_kind)gr_tree_node(tree, i)->kind;
    if (k == GR_INSTRUCTION || k == GR_EXAMPLE || k == GR_FENCE || k == GR_CRITICAL_RULE || k == GR_HTML_COMMENT)
      return 1;
  }
  return 0;
}

static void ft_ca__template_table(ft_ca__ctx *x) {
  const gr_tree *tree = x->tree;
  const char *t = x->text;
  uint32_t cur = x->rq->range.start;
  if (ft_ca__guidance_at(tree, cur)) return;
  uint32_t sec = gr_tree_ancestor(tree, gr_tree_node_at(tree, cur), GR_SECTION);
  if (sec == GR_NONE) return;
  const gr_node *sn = gr_tree_node(tree, sec);
  /* Blocks of lines: tables and lists, with their distance to the cursor's line. */
  uint32_t best_s = 0, best_e = 0, best_dist = UINT32_MAX;
  int best_table = 0;
  uint32_t cur_line = ft_edit_line_start(t, x->len, cur);
  uint32_t i = ft_edit_line_next(t, x->len, sn->open.start);
  while (i < sn->span.end) {
    uint32_t e = ft_edit_line_end(t, x->len, i);
    uint32_t ls, le;
    int table = tl_mdtable_row(t, i, e);
    int list = !table && ft_ca__list_item(t, i, e, &ls, &le);
    if ((!table && !list) || ft_ca__guidance_at(tree, i)) {
      uint32_t nx = ft_edit_line_next(t, x->len, i);
      if (nx == i) break;
      i = nx;
      continue;
    }
    uint32_t bs = i, be = e;
    uint32_t k = ft_edit_line_next(t, x->len, i);
    while (k < sn->span.end) {
      uint32_t ke = ft_edit_line_end(t, x->len, k);
      int same = table ? tl_mdtable_row(t, k, ke) : ft_ca__list_item(t, k, ke, &ls, &le);
      if (!same || ft_ca__guidance_at(tree, k)) break;
      be = ke;
      uint32_t nx = ft_edit_line_next(t, x->len, k);
      if (nx == k) break;
      k = nx;
    }
    int ok = 1;
    if (table) {
      uint32_t second = ft_edit_line_next(t, x->len, bs);
      ok = second < be && tl_mdtable_delimiter(t, second, ft_edit_line_end(t, x->len, second));
    }
    if (ok) {
      uint32_t dist = cur_line < bs ? bs - cur_line : cur_line > be ? cur_line - be : 0;
      if (dist < best_dist) {
        best_dist = dist;
        best_s = bs;
        best_e = be;
        best_table = table;
      }
    }
    if (k <= i) break;
    i = k;
  }
  /* Offered where a person asks for it: on the table or list itself, or on a blank line. */
  if (best_dist == UINT32_MAX || (best_dist > 0 && !ft_edit_line_blank(t, x->len, cur))) return;
  ft_ca__cells cols = {0};
  if (best_table) {
    uint32_t e = ft_edit_line_end(t, x->len, best_s);
    uint32_t p = best_s;
    while (p < e && t[p] != '|') p++;
    p++;
    while (p < e && cols.len < 8) {
      uint32_t q = p;
      while (q < e && !(t[q] == '|' && t[q - 1] != '\\')) q++;
      char *c = ft_ca__cell(t, p, q);
      if (c[0] || q < e) gr_array_push(&cols, c);
      else gr_free(c);
      p = q + 1;
    }
  } else {
    for (uint32_t k = best_s; k < best_e && cols.len < 8;) {
      uint32_t e = ft_edit_line_end(t, x->len, k), ls, le;
      if (ft_ca__list_item(t, k, e, &ls, &le)) {
        char *c = ft_ca__cell(t, ls, le);
        if (c[0]) gr_array_push(&cols, c);
        else gr_free(c);
      }
      uint32_t nx = ft_edit_line_next(t, x->len, k);
      if (nx == k) break;
      k = nx;
    }
  }
  if (!cols.len) {
    ft_ca__cells_free(&cols);
    return;
  }
  char *slug = ft_edit_slug(t + sn->name.start, sn->name.end - sn->name.start, "section");
  ft_buf b = {0};
  ft_buf_printf(&b, "@{example: %s_table}\n\n|", slug);
  for (size_t c = 0; c < cols.len; c++) ft_buf_printf(&b, " %s |", cols.items[c]);
  ft_buf_puts(&b, "\n|");
  for (size_t c = 0; c < cols.len; c++) ft_buf_puts(&b, " --- |");
  ft_buf_puts(&b, "\n|");
  for (size_t c = 0; c < cols.len; c++) ft_buf_puts(&b, "  |");
  ft_buf_puts(&b, "\n\n@{/example}\n");
  ft_action *a = ft_ca__new(x, FT_ACTION_INSERT, 0, "Insert example table '%s_table'", slug);
  ft_edit_insert_block(&a->edits, t, x->len, ft_edit_line_next(t, x->len, best_e), b.items);
  gr_array_free(&b);
  gr_free(slug);
  ft_ca__cells_free(&cols);
}

/* ---- documents ---------------------------------------------------------- */

static void ft_ca__docfix(ft_action *a, const tl_docdiag *d) {
  ft_ca__fixes(a, tl_docdiag_code_name(d->code), d->severity, d->span, d->message);
}

/* The template's inline example for the place of an unfilled placeholder. */
static void ft_ca__fix_unfilled(ft_ca__ctx *x, const tl_docdiag *d) {
  const tl_template *tm = tl_document_template(x->rq->doc);
  if (!tm || !d->name) return;
  uint32_t ts = tl_document_tsection_at(x->rq->doc, d->span.start);
  const tl_texample *best = NULL;
  int best_same = -1;
  for (uint32_t i = 0; i < tl_template_placeholder_count(tm); i++) {
    const tl_tplaceholder *p = tl_template_placeholder(tm, i);
    /* Names compare as the diagnostics compare them (case, blanks, '_' and
     * '-' aside): {{Project Name}} is the template's {{project_name}}. */
    if (!tl_foreign_name_eq(p->name, strlen(p->name), d->name, strlen(d->name)) ||
        (p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)))
      continue;
    int same = p->section == ts;
    if (best && same <= best_same) continue;
    if (p->example != TL_NONE) {
      best = tl_template_example(tm, p->example);
      best_same = same;
    }
  }
  if (!best || !best->name[0]) return;
  /* "- NFR1: ..." for a placeholder that already stands after "- ". */
  const char *t = x->text;
  const char *v = best->name;
  uint32_t ls = ft_edit_line_start(t, x->len, d->span.start);
  uint32_t i = ls;
  while (i < d->span.start && t[i] == ' ') i++;
  if (i + 2 == d->span.start && (t[i] == '-' || t[i] == '*' || t[i] == '+') && t[i + 1] == ' ' && v[0] == t[i] &&
      v[1] == ' ')
    v += 2;
  char *label = ft_ca__label(v, 0, (uint32_t)strlen(v), 60);
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Use the template's example: %s", label);
  gr_free(label);
  ft_ca__replace(a, d->span, v);
  ft_ca__docfix(a, d);
}

/* Missing template section ts, to be inserted at `at`: its insert, its
 * headings at the document's level (one below the document section that
 * stands for its template parent and holds `at`, when the document writes
 * that parent at another level than the template; as completion does). */
static void ft_ca__missing_text(const ft_ca__ctx *x, uint32_t ts, uint32_t at, ft_buf *out) {
  const tl_document *doc = x->rq->doc;
  const tl_template *tm = tl_document_template(doc);
  const tl_tsection *s = tl_template_section(tm, ts);
  const char *ins = tl_template_section_insert(tm, ts, 0);
  int shift = 0;
  if (s->parent != TL_NONE) {
    for (uint32_t i = 0; i < tl_document_section_count(doc); i++) {
      const tl_dsection *p = tl_document_section(doc, i);
      if (p->tsection == s->parent && p->span.start <= at && at <= p->span.end) {
        shift = (int)p->level + 1 - (int)s->level;
        break;
      }
    }
  }
  char *text = tl_skeleton_relevel(ins, strlen(ins), shift, NULL);
  ft_buf_puts(out, text);
  gr_free(text);
}

/* "Select the placeholder": the user types over it. */
static void ft_ca__select_unfilled(ft_ca__ctx *x, const tl_docdiag *d) {
  if (!x->rq->can_select) return;
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Select the placeholder to fill it in");
  a->selects = 1;
  a->select = d->span;
  ft_ca__docfix(a, d);
}

/* The quick fixes for one document diagnostic d (asked about): the one
 * place where a document diagnostic's fixes are built. A new code gets its
 * case here; the first fix it marks preferred is the one a client's
 * auto-fix takes (ft_codeaction_new keeps one per diagnostic), and
 * rq->only is applied to every action afterwards. */
static void ft_ca__document_fix(ft_ca__ctx *x, const tl_docdiag *d) {
  const tl_template *tm = tl_document_template(x->rq->doc);
  const gr_node *n = d->node != TL_NONE ? gr_tree_node(x->tree, d->node) : NULL;
  ft_action *a;
  switch (d->code) {
    case TL_DD_LEFTOVER_INSTRUCTION:
      a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Remove the leftover LLM instruction");
      ft_edit_delete(&a->edits, x->text, x->len, d->span);
      ft_ca__docfix(a, d);
      break;
    case TL_DD_LEFTOVER_EXAMPLE:
      a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Remove the leftover example");
      ft_edit_delete(&a->edits, x->text, x->len, d->span);
      ft_ca__docfix(a, d);
      break;
    case TL_DD_LEFTOVER_MARKUP: {
      if (!n) break;
      const char *word = n->kind == GR_REPEAT ? "REPEAT markers" : n->kind == GR_CONDITION ? "CONDITION markers"
                                                                                          : "<critical_rule> tags";
      a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Remove the %s (keep the content)", word);
      ft_edit_delete(&a->edits, x->text, x->len, d->span);
      if (d->extra.end > d->extra.start) ft_edit_delete(&a->edits, x->text, x->len, d->extra);
      ft_ca__docfix(a, d);
      if (n->kind == GR_CONDITION) {
        a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Remove the CONDITION block with its content");
        ft_edit_delete(&a->edits, x->text, x->len, n->span);
        ft_ca__docfix(a, d);
      }
      break;
    }
    case TL_DD_UNFILLED_PLACEHOLDER:
    case TL_DD_UNKNOWN_PLACEHOLDER: /* no example of its own: selecting it is the fix */
      ft_ca__fix_unfilled(x, d);
      ft_ca__select_unfilled(x, d);
      break;
    case TL_DD_MISSING_SECTION: {
      if (!tm || d->tsection == TL_NONE) break;
      ft_buf b = {0};
      ft_ca__missing_text(x, d->tsection, d->span.start, &b);
      if (b.len) {
        a = ft_ca__new(x, FT_ACTION_QUICKFIX, 1, "Insert missing section '%s'",
                       tl_template_section(tm, d->tsection)->text);
        ft_edit_insert_block(&a->edits, x->text, x->len, d->span.start, b.items);
        ft_ca__docfix(a, d);
      }
      gr_array_free(&b);
      break;
    }
    default:
      break;
  }
}

static void ft_ca__document_fixes(ft_ca__ctx *x, const tl_docdiag_list *dl) {
  const tl_template *tm = tl_document_template(x->rq->doc);
  size_t missing = 0;
  int any_missing_here = 0;
  for (size_t i = 0; i < dl->len; i++) {
    if (dl->items[i].code != TL_DD_MISSING_SECTION) continue;
    missing++;
    if (ft_ca__asked(x, dl->items[i].span)) any_missing_here = 1;
  }
  for (size_t i = 0; i < dl->len && x->out.len < FT_CA_MAX_FIXES; i++)
    if (ft_ca__asked(x, dl->items[i].span)) ft_ca__document_fix(x, &dl->items[i]);
  if (missing > 1 && any_missing_here && tm) {
    ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Insert all missing sections (%zu)", missing);
    /* One insertion per offset, the sections in template order (the list's
     * order for one offset). */
    for (size_t i = 0; i < dl->len;) {
      const tl_docdiag *d = &dl->items[i];
      if (d->code != TL_DD_MISSING_SECTION || d->tsection == TL_NONE) {
        i++;
        continue;
      }
      ft_buf b = {0};
      size_t j = i;
      for (; j < dl->len; j++) {
        const tl_docdiag *e = &dl->items[j];
        if (e->span.start != d->span.start) break;
        if (e->code != TL_DD_MISSING_SECTION || e->tsection == TL_NONE) continue;
        size_t before = b.len;
        if (before) ft_buf_puts(&b, "\n");
        ft_ca__missing_text(x, e->tsection, e->span.start, &b);
        if (b.len == before + (before ? 1 : 0)) b.len = before;
        ft_ca__docfix(a, e);
      }
      if (b.len) ft_edit_insert_block(&a->edits, x->text, x->len, d->span.start, b.items);
      gr_array_free(&b);
      i = j;
    }
  }
}

/* source.fixAll.tmpl-ls: every leftover instruction and example removed,
 * every leftover marker too (its content stays); placeholders and prose
 * are never touched. Spans inside one already removed are skipped, and the
 * deletions (each widened to whole lines where it stands alone) are merged
 * where they meet, so the edits never overlap. */
static void ft_ca__fix_all(ft_ca__ctx *x, const tl_docdiag_list *dl) {
  if (!ft_codeaction_kind_wanted(x->rq, FT_ACTION_FIX_ALL)) return;
  size_t count = 0;
  int here = 0;
  for (size_t i = 0; i < dl->len; i++) {
    tl_docdiag_code c = dl->items[i].code;
    if (c != TL_DD_LEFTOVER_INSTRUCTION && c != TL_DD_LEFTOVER_EXAMPLE && c != TL_DD_LEFTOVER_MARKUP) continue;
    count++;
    if (ft_ca__touches(dl->items[i].span, x->rq->range)) here = 1;
  }
  if (!count) return;
  if (!ft_ca__asked_kind(x->rq, FT_ACTION_FIX_ALL) && !(here && count > 1)) return;
  ft_edits del = {0};
  uint32_t covered = 0; /* end of the last whole span removed */
  for (size_t i = 0; i < dl->len; i++) {
    const tl_docdiag *d = &dl->items[i];
    if (d->code != TL_DD_LEFTOVER_INSTRUCTION && d->code != TL_DD_LEFTOVER_EXAMPLE && d->code != TL_DD_LEFTOVER_MARKUP)
      continue;
    if (d->span.start < covered) continue;
    ft_edit_delete(&del, x->text, x->len, d->span);
    if (d->code == TL_DD_LEFTOVER_MARKUP) {
      if (d->extra.end > d->extra.start) ft_edit_delete(&del, x->text, x->len, d->extra);
    } else {
      covered = d->span.end;
    }
  }
  ft_edit_sort(&del);
  ft_action *a = ft_ca__new(x, FT_ACTION_FIX_ALL, 0, "Remove leftover instructions, examples and markers (%zu)", count);
  for (size_t k = 0; k < del.len;) {
    gr_span sp = del.items[k].span;
    size_t j = k + 1;
    while (j < del.len && del.items[j].span.start <= sp.end) {
      if (del.items[j].span.end > sp.end) sp.end = del.items[j].span.end;
      j++;
    }
    ft_edit_add(&a->edits, sp.start, sp.end, "", 0);
    k = j;
  }
  ft_edit_free(&del);
  for (size_t i = 0; i < dl->len; i++) {
    const tl_docdiag *d = &dl->items[i];
    if (d->code == TL_DD_LEFTOVER_INSTRUCTION || d->code == TL_DD_LEFTOVER_EXAMPLE || d->code == TL_DD_LEFTOVER_MARKUP)
      ft_ca__docfix(a, d);
  }
}

/* A placeholder name that stands for the number of an item of REPEAT
 * `item`: its last word ("story_number", "StoryNum", "story no", "n") is
 * n, no, nr, num, number, index or idx, and it is that word alone or names
 * the REPEAT ({{epic_number}} inside REPEAT story is the epic's: kept). */
static int ft_ca__number_name(const char *s, size_t n, const char *item) {
  while (n && isspace((unsigned char)s[n - 1])) n--;
  while (n && isspace((unsigned char)s[0])) s++, n--;
  size_t w = n;
  while (w > 0 && isalnum((unsigned char)s[w - 1])) {
    w--;
    /* camelCase: "EpicNum" ends with the word "Num" */
    if (w > 0 && isupper((unsigned char)s[w]) && islower((unsigned char)s[w - 1])) break;
  }
  size_t len = n - w;
  if (!len || len > 6) return 0;
  char word[8];
  for (size_t i = 0; i < len; i++) word[i] = (char)tolower((unsigned char)s[w + i]);
  word[len] = '\0';
  static const char *const words[] = {"n", "no", "nr", "num", "number", "index", "idx"};
  int number = 0;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strcmp(word, words[i]) == 0) number = 1;
  if (!number) return 0;
  int alone = 1;
  for (size_t i = 0; i < w; i++)
    if (isalnum((unsigned char)s[i])) alone = 0;
  if (alone) return 1;
  /* the rest names the REPEAT, ASCII case aside */
  size_t il = strlen(item);
  for (size_t i = 0; il && i + il <= w; i++) {
    size_t k = 0;
    while (k < il && tolower((unsigned char)s[i + k]) == tolower((unsigned char)item[k])) k++;
    if (k == il) return 1;
  }
  return 0;
}

/* The skeleton of a REPEAT body for its item number `num`: each
 * placeholder that names a number becomes it, and a number the first
 * heading ends a word with ("### Option 1", "### Phase 1 Rollout": its
 * last) is counted on; other placeholders ({{environment_name}}) stay, to
 * be filled in. A new string. */
static char *ft_ca__numbered(const char *sk, uint32_t num, const char *item) {
  ft_buf b = {0};
  const char *p = sk;
  int heading_done = 0;
  while (*p) {
    const char *e = strchr(p, '\n');
    size_t ll = e ? (size_t)(e - p) : strlen(p);
    ft_buf line = {0};
    for (size_t i = 0; i < ll;) {
      if (p[i] == '{' && i + 1 < ll && p[i + 1] == '{') {
        size_t k = i + 2;
        while (k + 1 < ll && !(p[k] == '}' && p[k + 1] == '}')) k++;
        if (k + 1 < ll && ft_ca__number_name(p + i + 2, k - i - 2, item)) {
          ft_buf_printf(&line, "%u", num);
          i = k + 2;
          continue;
        }
      }
      ft_buf_putn(&line, p + i, 1);
      i++;
    }
    if (!heading_done && line.len && line.items[0] == '#') {
      heading_done = 1;
      /* The last run of digits that stands as a word, outside placeholders. */
      size_t ds = 0, de = 0;
      int depth = 0;
      for (size_t i = 0; i < line.len; i++) {
        if (line.items[i] == '{' && i + 1 < line.len && line.items[i + 1] == '{') depth++;
        if (line.items[i] == '}' && i + 1 < line.len && line.items[i + 1] == '}' && depth) depth--;
        if (depth || !isdigit((unsigned char)line.items[i])) continue;
        size_t j = i;
        while (j < line.len && isdigit((unsigned char)line.items[j])) j++;
        int word = (i == 0 || !isalnum((unsigned char)line.items[i - 1])) &&
                   (j == line.len || !isalnum((unsigned char)line.items[j]));
        if (word && j - i <= 6) ds = i, de = j;
        i = j - 1;
      }
      if (de > ds) {
        ft_buf out = {0};
        ft_buf_putn(&out, line.items, ds);
        ft_buf_printf(&out, "%u", num);
        ft_buf_putn(&out, line.items + de, line.len - de);
        gr_array_free(&line);
        line = out;
      }
    }
    ft_buf_putn(&b, line.items ? line.items : "", line.len);
    gr_array_free(&line);
    if (!e) break;
    ft_buf_puts(&b, "\n");
    p = e + 1;
  }
  return ft_buf_take(&b);
}

/* The fixes of docfix.h for the diagnostics asked about. */
static void ft_ca__docfixes(ft_ca__ctx *x, const tl_docdiag_list *dl) {
  for (size_t i = 0; i < dl->len && x->out.len < FT_CA_MAX_FIXES; i++) {
    ft_docfix f;
    if (!ft_ca__asked(x, dl->items[i].span) || !ft_docfix_for(x->rq->doc, x->rq->assoc, &dl->items[i], &f)) continue;
    ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, f.preferred, "%s", f.title);
    a->edits = f.edits;
    memset(&f.edits, 0, sizeof f.edits);
    ft_ca__docfix(a, &dl->items[i]);
    ft_docfix_free(&f);
  }
}

/* REPEATs the cursor's sections belong to, or hold. */
static void ft_ca__document_repeats(ft_ca__ctx *x) {
  const tl_document *doc = x->rq->doc;
  const tl_template *tm = tl_document_template(doc);
  if (!tm) return;
  uint32_t nrep = tl_template_repeat_count(tm);
  if (!nrep) return;
  uint8_t *want = gr_calloc(nrep, 1);
  uint32_t here = tl_document_section_at(doc, x->rq->range.start);
  int innermost = 1;
  for (uint32_t ds = here; ds != TL_NONE; ds = tl_document_section(doc, ds)->parent) {
    uint32_t ts = tl_document_section(doc, ds)->tsection;
    if (ts == TL_NONE) continue;
    for (uint32_t r = tl_template_section(tm, ts)->repeat; r != TL_NONE; r = tl_template_repeat(tm, r)->parent)
      want[r] = 1;
    /* The REPEATs a section holds, from its own text: not from every
     * section further in (the title holds a REPEAT of "##" sections). */
    if (innermost)
      for (uint32_t r = 0; r < nrep; r++)
        if (tl_template_repeat(tm, r)->section == ts && tl_template_repeat(tm, r)->parent == TL_NONE) want[r] = 1;
    innermost = 0;
  }
  for (uint32_t r = 0; r < nrep; r++) {
    if (!want[r]) continue;
    const tl_trepeat *rp = tl_template_repeat(tm, r);
    /* The parent: the document section holding the cursor that stands for
     * the template section holding the REPEAT; instances count within it. */
    gr_span within = {0, x->len};
    for (uint32_t ds = here; ds != TL_NONE && rp->section != TL_NONE; ds = tl_document_section(doc, ds)->parent)
      if (tl_document_section(doc, ds)->tsection == rp->section) {
        within = tl_document_section(doc, ds)->span;
        break;
      }
    /* The last instance: the last document section matching a section at
     * the top of this REPEAT's body. */
    uint32_t at = TL_NONE, count = 0;
    for (uint32_t ds = 0; ds < tl_document_section_count(doc); ds++) {
      const tl_dsection *s = tl_document_section(doc, ds);
      if (s->tsection == TL_NONE || s->span.start < within.start || s->span.end > within.end) continue;
      const tl_tsection *ts = tl_template_section(tm, s->tsection);
      if (ts->span.start < rp->body.start || ts->span.end > rp->body.end) continue;
      if (ts->parent != TL_NONE) {
        const tl_tsection *pp = tl_template_section(tm, ts->parent);
        if (pp->span.start >= rp->body.start && pp->span.end <= rp->body.end) continue;
      }
      /* never after the document's closing matter */
      at = tl_tail_start(x->tree, s->span);
      count++;
    }
    if (at == TL_NONE) {
      for (uint32_t k = 0; k < tl_document_missing_count(doc) && at == TL_NONE; k++) {
        const tl_doc_missing *m = tl_document_missing(doc, k);
        const tl_tsection *ts = tl_template_section(tm, m->tsection);
        if (ts->span.start >= rp->body.start && ts->span.end <= rp->body.end) at = m->offset;
      }
    }
    if (at == TL_NONE) continue;
    const char *sk = tl_template_repeat_insert(tm, r);
    if (sk[0]) {
      char *numbered = ft_ca__numbered(sk, count + 1, rp->name);
      char *label = ft_ca__label(rp->name, 0, (uint32_t)strlen(rp->name), 60);
      ft_action *a = ft_ca__new(x, FT_ACTION_INSERT, 0, "Add another %s (REPEAT)", label);
      gr_free(label);
      /* A section's end may be inside a line only at the end of the text. */
      ft_edit_insert_block(&a->edits, x->text, x->len, at, numbered);
      gr_free(numbered);
    }
  }
  gr_free(want);
}

/* A table header row's cells, compared as a person reads them: trimmed,
 * "**" and placeholders dropped, ASCII case ignored. */
static char *ft_ca__header_key(const char *t, uint32_t s, uint32_t e) {
  ft_buf b = {0};
  uint32_t p = s;
  while (p < e && t[p] != '|') p++;
  p++;
  while (p < e) {
    uint32_t q = p;
    while (q < e && !(t[q] == '|' && t[q - 1] != '\\')) q++;
    char *c = ft_ca__cell(t, p, q);
    for (char *k = c; *k; k++) *k = (char)tolower((unsigned char)*k);
    if (c[0] || q < e) {
      ft_buf_puts(&b, c);
      ft_buf_puts(&b, "|");
    }
    gr_free(c);
    p = q + 1;
  }
  return ft_buf_take(&b);
}

/* Does text[from, to) hold a table (header row, delimiter row) whose header reads as `key`? */
static int ft_ca__has_table(const char *t, uint32_t len, uint32_t from, uint32_t to, const char *key) {
  for (uint32_t i = from; i < to;) {
    uint32_t e = ft_edit_line_end(t, len, i), nx = ft_edit_line_next(t, len, i);
    if (tl_mdtable_row(t, i, e) && nx < to && tl_mdtable_delimiter(t, nx, ft_edit_line_end(t, len, nx))) {
      char *k = ft_ca__header_key(t, i, e);
      int same = strcmp(k, key) == 0;
      gr_free(k);
      if (same) return 1;
    }
    if (nx == i) break;
    i = nx;
  }
  return 0;
}

/* Runs of non-blank lines in s (a skeleton: "\n" lines). */
static uint32_t ft_ca__count_blocks(const char *s) {
  uint32_t n = 0;
  int in = 0;
  for (const char *p = s; *p;) {
    const char *e = strchr(p, '\n');
    if (!e) e = p + strlen(p);
    int blank = 1;
    for (const char *q = p; q < e; q++)
      if (*q != ' ' && *q != '\t') blank = 0;
    if (!blank && !in) n++;
    in = !blank;
    p = *e ? e + 1 : e;
  }
  return n;
}

/* The end of a section's own text (before its first subsection heading,
 * or its end before the closing matter); `first` is the start of the line
 * after its heading. */
static uint32_t ft_ca__own_end(const gr_tree *tree, gr_span span, gr_span heading, uint32_t level, uint32_t *first) {
  const char *t = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree);
  *first = ft_edit_line_next(t, len, heading.end);
  uint32_t end = tl_tail_start(tree, span);
  for (uint32_t i = gr_tree_next(tree, 0); i != GR_NONE; i = gr_tree_next(tree, i)) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->span.start >= end) break;
    if (n->kind == GR_SECTION && n->span.start > span.start && n->level > level &&
        !(n->flags & (GR_FLAG_IN_CODE | GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)))
      return n->span.start;
  }
  return end;
}

/* Where the example table goes in the document section: where the example
 * stands among the template section's own text. First there: at the
 * start of the section's text; last: after its text; between the k-th
 * and the next block: after the document's k-th block (its last, when it
 * has fewer). */
static uint32_t ft_ca__table_at(const ft_ca__ctx *x, const gr_tree *tt, const tl_tsection *ts,
                                const tl_texample *ex, const tl_dsection *ds) {
  uint32_t tfirst, dfirst;
  uint32_t dend = ft_ca__own_end(x->tree, ds->span, ds->heading, ds->level, &dfirst);
  if (dfirst > dend) dfirst = dend;
  /* An example that is not part of the template's text (a YAML section's
   * examples stand beside its template text): after the section's text. */
  if (!tt || ex->bare) return dend;
  uint32_t tend = ft_ca__own_end(tt, ts->span, ts->heading, ts->level, &tfirst);
  char *before = ex->span.start > tfirst ? tl_skeleton_new(tt, (gr_span){tfirst, ex->span.start}, TL_SKELETON_DROP_CONDITIONS, NULL)
                                        : gr_strndup("", 0);
  char *after = tend > ex->span.end ? tl_skeleton_new(tt, (gr_span){ex->span.end, tend}, TL_SKELETON_DROP_CONDITIONS, NULL)
                                    : gr_strndup("", 0);
  uint32_t kb = ft_ca__count_blocks(before), ka = ft_ca__count_blocks(after);
  gr_free(before);
  gr_free(after);
  if (kb == 0) return dfirst;
  if (ka == 0) return dend;
  /* After the document's kb-th block. */
  uint32_t blocks = 0, at = dfirst;
  int in = 0, fence = 0;
  for (uint32_t i = dfirst; i < dend;) {
    uint32_t e = ft_edit_line_end(x->text, x->len, i), nx = ft_edit_line_next(x->text, x->len, i);
    uint32_t k = i;
    while (k < e && x->text[k] == ' ') k++;
    if (k + 3 <= e && (memcmp(x->text + k, "```", 3) == 0 || memcmp(x->text + k, "~~~", 3) == 0)) fence = !fence;
    int blank = !fence && ft_edit_line_blank(x->text, x->len, i);
    if (!blank && !in) blocks++;
    if (!blank) at = nx;
    if (blank && in && blocks >= kb) break;
    in = !blank;
    if (nx == i) break;
    i = nx;
  }
  return at;
}

/* An example that stands beside the section's text (a YAML section's
 * `examples`, bare), not a table: "Insert example: ‹its start›" writes it
 * after the section's text, for the writer to edit (until changed it is a
 * leftover-example, as an inserted section's placeholders are unfilled).
 * Not where the section holds its first line already. */
static void ft_ca__document_example(ft_ca__ctx *x, const tl_texample *ex, const tl_dsection *d) {
  const char *text = ex->text;
  if (!ex->bare || !text || !text[0]) return;
  const char *nl = strchr(text, '\n');
  size_t first = nl ? (size_t)(nl - text) : strlen(text);
  for (uint32_t i = d->span.start; first && i + first <= d->span.end; i++)
    if (memcmp(x->text + i, text, first) == 0) return;
  char *label = ft_ca__label(text, 0, (uint32_t)first, 60);
  ft_action *a = ft_ca__new(x, FT_ACTION_INSERT, 0, "Insert example: %s", label);
  gr_free(label);
  ft_buf b = {0};
  ft_buf_puts(&b, text);
  if (b.len && b.items[b.len - 1] != '\n') ft_buf_puts(&b, "\n");
  uint32_t first_own;
  ft_edit_insert_block(&a->edits, x->text, x->len, ft_ca__own_end(x->tree, d->span, d->heading, d->level, &first_own),
                       b.items);
  gr_array_free(&b);
}

static void ft_ca__document_tables(ft_ca__ctx *x, const gr_tree *tt) {
  const tl_document *doc = x->rq->doc;
  const tl_template *tm = tl_document_template(doc);
  if (!tm) return;
  uint32_t cur = x->rq->range.start;
  /* From the section's own text only: not from code, comments or markup. */
  uint32_t at = gr_tree_node_at(x->tree, cur);
  if (at != 0 && gr_tree_node(x->tree, at)->kind != GR_SECTION) return;
  uint32_t ds = tl_document_section_at(doc, cur);
  while (ds != TL_NONE && tl_document_section(doc, ds)->tsection == TL_NONE) ds = tl_document_section(doc, ds)->parent;
  if (ds == TL_NONE) return;
  const tl_dsection *d = tl_document_section(doc, ds);
  uint32_t ts = d->tsection;
  for (uint32_t k = 0; k < tl_template_example_count(tm); k++) {
    const tl_texample *ex = tl_template_example(tm, k);
    if (ex->section != ts) continue;
    if (!ex->has_table) {
      ft_ca__document_example(x, ex, d);
      continue;
    }
    ft_buf b = {0};
    ft_buf_puts(&b, tl_template_example_table(tm, k));
    if (b.len) {
      /* Not where the section has that table already. */
      const char *nl = strchr(b.items, '\n');
      char *key = ft_ca__header_key(b.items, 0, nl ? (uint32_t)(nl - b.items) : (uint32_t)b.len);
      int has = ft_ca__has_table(x->text, x->len, d->span.start, d->span.end, key);
      gr_free(key);
      if (!has) {
        char *label = ex->name[0] ? ft_ca__label(ex->name, 0, (uint32_t)strlen(ex->name), 60) : gr_strndup("", 0);
        ft_action *a =
            ft_ca__new(x, FT_ACTION_INSERT, 0, label[0] ? "Insert example table %s" : "Insert example table%s", label);
        gr_free(label);
        ft_edit_insert_block(&a->edits, x->text, x->len, ft_ca__table_at(x, tt, tl_template_section(tm, ts), ex, d),
                             b.items);
      }
    }
    gr_array_free(&b);
  }
}

/* ---- entry -------------------------------------------------------------- */

static void ft_ca__action_free(ft_action *a) {
  gr_free(a->title);
  ft_edit_free(&a->edits);
  tl_diags_free(&a->fixes);
}

/* The edits apply, and the result parses with no more diagnostics (fewer
 * for a template quick fix). */
static int ft_ca__valid(const ft_ca__ctx *x, const ft_action *a) {
  if (!ft_codeaction_kind_wanted(x->rq, a->kind)) return 0;
  if (a->selects) return a->select.end <= x->len && !a->edits.len;
  if (!a->edits.len) return 0;
  size_t n;
  char *out = ft_edit_apply(x->text, x->len, &a->edits, &n);
  if (!out) return 0;
  gr_options mode = {0, 0, gr_tree_mode(x->tree)};
  gr_tree *tree = gr_parse(out, n, &mode); /* read as x->tree was */
  uint32_t after = gr_tree_diag_count(tree), before = gr_tree_diag_count(x->tree);
  gr_tree_free(tree);
  gr_free(out);
  if (x->rq->is_template && a->kind == FT_ACTION_QUICKFIX) return after < before;
  return after <= before;
}

/* ---- turning diagnostics off -------------------------------------------- */

#define FT_CA__MAX_CODES 8 /* codes offered "Turn off" actions per request */

/* Would a comment at `at` be read as a directive? Only where markup is
 * structure: not in code, front matter, an instruction, a critical rule or
 * another comment, where it would be text. */
static int ft_ca__directive_at(const ft_ca__ctx *x, uint32_t at) {
  for (uint32_t n = gr_tree_node_at(x->tree, at); n != 0 && n != GR_NONE;) {
    const gr_node *node = gr_tree_node(x->tree, n);
    /* text put at a node's start or end goes before or after it, not in it */
    int inside = node->span.start < at && at < node->span.end;
    if (inside && node->kind != GR_SECTION && node->kind != GR_REPEAT && node->kind != GR_CONDITION &&
        node->kind != GR_EXAMPLE)
      return 0;
    n = node->parent;
  }
  return 1;
}

/* "Turn off <code> on this line" for diagnostic d, where a comment can do it. */
static void ft_ca__suppress_line(ft_ca__ctx *x, const tl_diag *d) {
  uint32_t ls = ft_edit_line_start(x->text, x->len, d->span.start);
  if (ls == 0 && x->len >= 3 && memcmp(x->text, "\xEF\xBB\xBF", 3) == 0) ls = 3; /* after a BOM */
  uint32_t f = ls;
  if (!ft_ca__directive_at(x, ls)) return;
  while (f < x->len && (x->text[f] == ' ' || x->text[f] == '\t')) f++;
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Turn off %s on this line", d->code);
  ft_buf b = {0};
  if (f < x->len && x->text[f] == '|') { /* a table row: the comment goes at its end */
    ft_buf_printf(&b, " <!-- " TL_SUPPRESS_LINE " %s -->", d->code);
    ft_ca__insert(x, a, ft_edit_line_end(x->text, x->len, d->span.start), b.items);
  } else {
    ft_buf_printf(&b, "%.*s<!-- " TL_SUPPRESS_NEXT_LINE " %s -->\n", (int)(f - ls), x->text + ls, d->code);
    ft_ca__insert(x, a, ls, b.items);
  }
  gr_array_free(&b);
  ft_ca__fixes(a, d->code, d->severity, d->span, d->message);
}

/* "Turn off <code> in this file", for diagnostic d. */
static void ft_ca__suppress_file(ft_ca__ctx *x, const tl_diag *d) {
  uint32_t bom = x->len >= 3 && memcmp(x->text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, at = bom;
  const gr_node *root = gr_tree_node(x->tree, 0);
  const gr_node *first = root->first_child != GR_NONE ? gr_tree_node(x->tree, root->first_child) : NULL;
  if (first && first->kind == GR_FRONT_MATTER) at = ft_edit_line_next(x->text, x->len, first->span.end);
  ft_action *a = ft_ca__new(x, FT_ACTION_QUICKFIX, 0, "Turn off %s in this file", d->code);
  ft_buf b = {0};
  int glued = at > bom && x->text[at - 1] != '\n' && x->text[at - 1] != '\r'; /* front matter at the end */
  ft_buf_printf(&b, "%s<!-- " TL_SUPPRESS_FILE " %s -->\n", glued ? "\n" : "", d->code);
  ft_ca__insert(x, a, at, b.items);
  gr_array_free(&b);
  ft_ca__fixes(a, d->code, d->severity, d->span, d->message);
}

/* The "Turn off" actions: per code asked about, its first diagnostic's. */
static void ft_ca__suppressions(ft_ca__ctx *x) {
  const tl_diags *ds = x->rq->diags;
  const char *seen[FT_CA__MAX_CODES];
  size_t nseen = 0;
  for (size_t i = 0; ds && i < ds->len && nseen < FT_CA__MAX_CODES; i++) {
    const tl_diag *d = &ds->items[i];
    if (!ft_ca__asked(x, d->span)) continue;
    size_t k = 0;
    while (k < nseen && strcmp(seen[k], d->code) != 0) k++;
    if (k < nseen) continue;
    seen[nseen++] = d->code;
    ft_ca__suppress_line(x, d);
    ft_ca__suppress_file(x, d);
  }
}

/* At most one preferred action per diagnostic (code, span and message: two
 * missing sections share a code and an empty span): the first. */
static void ft_ca__one_preferred(ft_ca__ctx *x) {
  for (size_t i = 0; i < x->out.len; i++) {
    ft_action *a = &x->out.items[i];
    if (!a->preferred) continue;
    for (size_t j = 0; j < i && a->preferred; j++) {
      const ft_action *b = &x->out.items[j];
      if (!b->preferred) continue;
      for (size_t p = 0; p < a->fixes.len && a->preferred; p++)
        for (size_t q = 0; q < b->fixes.len; q++)
          if (strcmp(a->fixes.items[p].code, b->fixes.items[q].code) == 0 &&
              a->fixes.items[p].span.start == b->fixes.items[q].span.start &&
              a->fixes.items[p].span.end == b->fixes.items[q].span.end &&
              strcmp(a->fixes.items[p].message, b->fixes.items[q].message) == 0) {
            a->preferred = 0;
            break;
          }
    }
  }
}

/* Does the client name a diagnostic the file has now (span alike)? */
static int ft_ca__names_current(const ft_ca__ctx *x, const tl_docdiag_list *dl) {
  const ft_action_request *rq = x->rq;
  for (size_t k = 0; k < rq->n_also && k < 256; k++) {
    gr_span a = rq->also[k];
    for (uint32_t i = 0; i < gr_tree_diag_count(x->tree); i++) {
      gr_span d = gr_tree_diag(x->tree, i)->span;
      if (d.start == a.start && d.end == a.end) return 1;
    }
    for (size_t i = 0; dl && i < dl->len; i++)
      if (dl->items[i].span.start == a.start && dl->items[i].span.end == a.end) return 1;
    for (size_t i = 0; rq->diags && i < rq->diags->len; i++)
      if (rq->diags->items[i].span.start == a.start && rq->diags->items[i].span.end == a.end) return 1;
  }
  return 0;
}

ft_actions *ft_codeaction_new(const ft_action_request *rq) {
  ft_ca__ctx x;
  memset(&x, 0, sizeof x);
  x.rq = rq;
  x.tree = rq->tree;
  x.text = gr_tree_text(rq->tree);
  x.len = gr_tree_len(rq->tree);
  x.eol = ft_edit_eol(x.text, x.len);
  ft_action_request clipped = *rq;
  if (clipped.range.end > x.len) clipped.range.end = x.len;
  if (clipped.range.start > clipped.range.end) clipped.range.start = clipped.range.end;
  x.rq = &clipped;
  if (rq->is_template) {
    x.use_also = ft_ca__names_current(&x, NULL);
    ft_ca__template_fixes(&x);
    ft_ca__wrap(&x);
    ft_ca__template_table(&x);
  } else if (rq->doc) {
    /* The template's parts come from its model, whichever front-end built
     * it; its Markdown tree (none for a YAML template) only places an
     * example table among the section's text (ft_ca__table_at). */
    const gr_tree *tt = tl_document_template(rq->doc) && rq->ws && rq->tmpl != TL_NONE
                            ? tl_workspace_tree(rq->ws, rq->tmpl) : NULL;
    tl_docdiag_list *dl = tl_docdiag_run(rq->doc);
    x.use_also = ft_ca__names_current(&x, dl);
    ft_ca__document_fixes(&x, dl);
    ft_ca__fix_all(&x, dl);
    ft_ca__docfixes(&x, dl);
    tl_docdiag_free(dl);
    dl = tl_docdiag_assoc(rq->doc, rq->assoc);
    ft_ca__docfixes(&x, dl);
    tl_docdiag_free(dl);
    ft_ca__document_repeats(&x);
    ft_ca__document_tables(&x, tt);
  }
  ft_actions *out = gr_malloc(sizeof *out);
  size_t k = 0, parsed = 0;
  for (size_t i = 0; i < x.out.len; i++) {
    ft_action *a = &x.out.items[i];
    ft_edit_sort(&a->edits);
    /* Each check reparses the file: at most FT_CA_REPARSE_BYTES a request,
     * so a select-all over a large file costs a few parses, not dozens. */
    int checked = parsed + x.len <= FT_CA_REPARSE_BYTES || parsed == 0;
    parsed += x.len;
    if (checked && ft_ca__valid(&x, a)) x.out.items[k++] = *a;
    else ft_ca__action_free(a);
  }
  x.out.len = k;
  ft_ca__one_preferred(&x);
  /* A comment changes no structure: these need no reparse. */
  if (ft_codeaction_kind_wanted(x.rq, FT_ACTION_QUICKFIX) && !rq->no_comments) ft_ca__suppressions(&x);
  out->items = x.out.items;
  out->len = x.out.len;
  return out;
}

void ft_codeaction_free(ft_actions *a) {
  if (!a) return;
  for (size_t i = 0; i < a->len; i++) ft_ca__action_free(&a->items[i]);
  gr_free(a->items);
  gr_free(a);
}
