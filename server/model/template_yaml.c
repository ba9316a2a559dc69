/*
 * template_yaml.c: the template model from a YAML template's view (see
 * template_yaml.h). One pass over the sections in document order (a
 * parent always comes before its children), carrying per YAML section the
 * model section its content belongs to and the innermost CONDITION and
 * REPEAT around it; then the placeholders in text order, and the insert
 * texts, built bottom-up from each section's type.
 */
#include "server/model/template_yaml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/skeleton.h"
#include "server/model/template_impl.h"

typedef GR_ARRAY(char) tl_ty__buf;

static void tl_ty__putn(tl_ty__buf *b, const char *s, size_t n) {
  gr_array_reserve(b, n + 1);
  if (n) memcpy(b->items + b->len, s, n);
  b->len += n;
  b->items[b->len] = '\0';
}

static void tl_ty__puts(tl_ty__buf *b, const char *s) { tl_ty__putn(b, s, strlen(s)); }

static char *tl_ty__take(tl_ty__buf *b) {
  if (!b->items) return gr_strndup("", 0);
  char *s = b->items;
  b->items = NULL;
  b->len = b->cap = 0;
  return s;
}

/* A scalar's decoded text, trimmed, as a new string; NULL when absent, not a scalar, or empty. */
static char *tl_ty__str(const yt_tmpl *v, uint32_t node) {
  uint32_t n = 0;
  const char *s = yt_tmpl_str(v, node, &n);
  if (!s) return NULL;
  uint32_t a = 0, b = n;
  while (a < b && isspace((unsigned char)s[a])) a++;
  while (b > a && isspace((unsigned char)s[b - 1])) b--;
  if (a == b) return NULL;
  return gr_strndup(s + a, b - a);
}

static gr_span tl_ty__span(const yt_tmpl *v, uint32_t node) {
  const yt_node *n = yt_tree_node(yt_tmpl_tree(v), node);
  return n ? n->span : (gr_span){0, 0};
}

/* ---- insert texts ------------------------------------------------------- */

/* Text as lines that each end in "\n" (a block scalar's final newline kept once). */
static void tl_ty__lines(tl_ty__buf *b, const char *s) {
  size_t n = strlen(s);
  while (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  if (!n) return;
  tl_ty__putn(b, s, n);
  tl_ty__puts(b, "\n");
}

/*
 * What a section's own content starts as, from its type: a table's header
 * row and separator, a list's first marker (with the prefix's first
 * number), a fence with its language or mermaid type; `template` (or
 * `item_template`) is the text, or the list item's, or the fence's body.
 */
static void tl_ty__body(const yt_tmpl *v, const yt_section *ys, tl_ty__buf *b) {
  char *tx = tl_ty__str(v, ys->keys[YT_SKEY_TEMPLATE]);
  if (!tx) tx = tl_ty__str(v, ys->keys[YT_SKEY_ITEM_TEMPLATE]);
  int one_line = tx && !strchr(tx, '\n');
  const yt_tree *tree = yt_tmpl_tree(v);
  switch (ys->type) {
    case YT_TYPE_TABLE: {
      const yt_node *cols = yt_tree_node(tree, ys->keys[YT_SKEY_COLUMNS]);
      if (ys->keys[YT_SKEY_COLUMNS] != YT_NONE && cols && cols->kind == YT_SEQUENCE && cols->child_count) {
        tl_ty__buf sep = {0};
        for (uint32_t c = cols->first_child; c != YT_NONE; c = yt_tree_node(tree, c)->next_sibling) {
          char *name = tl_ty__str(v, c);
          tl_ty__puts(b, "| ");
          tl_ty__puts(b, name ? name : "");
          tl_ty__puts(b, " ");
          tl_ty__puts(&sep, "| --- ");
          gr_free(name);
        }
        tl_ty__puts(b, "|\n");
        tl_ty__puts(&sep, "|\n");
        tl_ty__puts(b, sep.items);
        gr_array_free(&sep);
        if (tx && one_line && tx[0] == '|') tl_ty__lines(b, tx);
      } else if (tx) {
        tl_ty__lines(b, tx);
      }
      break;
    }
    case YT_TYPE_NUMBERED_LIST:
    case YT_TYPE_BULLET_LIST:
    case YT_TYPE_CHECKLIST:
    case YT_TYPE_CHECKBOX_LIST:
      if (tx && !one_line) {
        tl_ty__lines(b, tx);
        break;
      }
      if (ys->type == YT_TYPE_NUMBERED_LIST) {
        char *prefix = tl_ty__str(v, ys->keys[YT_SKEY_PREFIX]);
        tl_ty__puts(b, "1. ");
        if (prefix) {
          tl_ty__puts(b, prefix);
          tl_ty__puts(b, "1: ");
        }
        gr_free(prefix);
      } else {
        tl_ty__puts(b, ys->type == YT_TYPE_BULLET_LIST ? "- " : "- [ ] ");
      }
      if (tx) tl_ty__puts(b, tx);
      tl_ty__puts(b, "\n");
      break;
    case YT_TYPE_CODE:
    case YT_TYPE_CODE_BLOCK:
    case YT_TYPE_MERMAID: {
      int mermaid = ys->type == YT_TYPE_MERMAID;
      char *info = tl_ty__str(v, ys->keys[mermaid ? YT_SKEY_MERMAID_TYPE : YT_SKEY_LANGUAGE]);
      tl_ty__puts(b, mermaid ? "```mermaid\n" : "```");
      if (!mermaid && info) tl_ty__puts(b, info);
      if (!mermaid) tl_ty__puts(b, "\n");
      if (mermaid && info) {
        tl_ty__puts(b, info);
        tl_ty__puts(b, "\n");
      }
      if (tx) tl_ty__lines(b, tx);
      else if (!mermaid || !info) tl_ty__puts(b, "\n");
      tl_ty__puts(b, "```\n");
      gr_free(info);
      break;
    }
    default:
      if (tx) tl_ty__lines(b, tx);
      break;
  }
  gr_free(tx);
}

/* Does the section hold only when something applies (condition, optional)? */
static int tl_ty__conditional(const yt_section *ys) {
  return ys->keys[YT_SKEY_CONDITION] != YT_NONE || (ys->flags & YT_SEC_OPTIONAL);
}

/*
 * The insert of YAML section i: its heading (when it has a title), its
 * content, then its subsections' inserts, blocks a blank line apart; the
 * conditional subsections are left out (a person adds them on purpose).
 * levels[i]: the heading level, 0 for no heading.
 */
static void tl_ty__insert(const yt_tmpl *v, uint32_t i, const uint8_t *levels, const char *const *titles,
                          tl_ty__buf *out) {
  const yt_section *ys = yt_tmpl_section(v, i);
  if (levels[i]) {
    static const char hashes[] = "######";
    tl_ty__putn(out, hashes, levels[i]);
    tl_ty__puts(out, " ");
    tl_ty__puts(out, titles[i]);
    tl_ty__puts(out, "\n");
  }
  tl_ty__buf body = {0};
  tl_ty__body(v, ys, &body);
  if (body.len) {
    if (out->len) tl_ty__puts(out, "\n");
    tl_ty__putn(out, body.items, body.len);
  }
  gr_array_free(&body);
  for (uint32_t c = ys->first_child; c != YT_NONE; c = yt_tmpl_section(v, c)->next_sibling) {
    if (tl_ty__conditional(yt_tmpl_section(v, c))) continue;
    tl_ty__buf sub = {0};
    tl_ty__insert(v, c, levels, titles, &sub);
    if (sub.len) {
      if (out->len) tl_ty__puts(out, "\n");
      tl_ty__putn(out, sub.items, sub.len);
    }
    gr_array_free(&sub);
  }
}

/* The snippet form of an insert: each distinct {{name}} a tab stop
 * ("${1:{{name\}\}}"), '$', '}' and '\' escaped elsewhere. */
static char *tl_ty__snippet(const char *s) {
  tl_ty__buf b = {0};
  GR_ARRAY(gr_span) names = {0};
  size_t n = strlen(s), i = 0, line_end = 0, no_close = 0;
  while (i < n) {
    if (i >= line_end) { /* the end of the line holding i, found once a line */
      const char *nl = memchr(s + i, '\n', n - i);
      line_end = nl ? (size_t)(nl - s) : n;
      no_close = 0;
    }
    /* A placeholder closed on its line; not one right after '$'
     * ("${{ secrets.X }}" is another language's, written as it is), and
     * no more tab stops than a person tabs through. */
    if (s[i] == '{' && i + 1 < n && s[i + 1] == '{' && !(i > 0 && s[i - 1] == '$')) {
      const char *close = NULL;
      if (i < no_close) { /* none before the line's end from here: an earlier search said so */
      } else {
        for (size_t j = i + 2; j + 1 < line_end; j++)
          if (s[j] == '}' && s[j + 1] == '}') {
            close = s + j;
            break;
          }
        if (!close) no_close = line_end;
      }
      size_t ns = i + 2, ne = close ? (size_t)(close - s) : 0;
      size_t k = 0;
      if (close) {
        while (ns < ne && s[ns] == ' ') ns++;
        while (ne > ns && s[ne - 1] == ' ') ne--;
        while (k < names.len && !(names.items[k].end - names.items[k].start == ne - ns &&
                                  memcmp(s + names.items[k].start, s + ns, ne - ns) == 0))
          k++;
      }
      if (close && (k < names.len || names.len < TL_SKELETON_MAX_STOPS)) {
        if (k == names.len) gr_array_push(&names, ((gr_span){(uint32_t)ns, (uint32_t)ne}));
        char num[32];
        snprintf(num, sizeof num, "${%zu:", k + 1);
        tl_ty__puts(&b, num);
        for (size_t j = i; j < (size_t)(close - s) + 2; j++) {
          if (s[j] == '$' || s[j] == '}' || s[j] == '\\') tl_ty__puts(&b, "\\");
          tl_ty__putn(&b, s + j, 1);
        }
        tl_ty__puts(&b, "}");
        i = (size_t)(close - s) + 2;
        continue;
      }
    }
    if (s[i] == '$' || s[i] == '}' || s[i] == '\\') tl_ty__puts(&b, "\\");
    tl_ty__putn(&b, s + i, 1);
    i++;
  }
  gr_array_free(&names);
  return tl_ty__take(&b);
}

/* ---- building ----------------------------------------------------------- */

/* Which {{vars}} of a `template:` text lie in code there (a fence, a code
 * span), as a Markdown template's placeholders carry GR_FLAG_IN_CODE: the
 * decoded string read by the grammar as a Markdown template is, and the
 * k-th var of the scalar is its k-th placeholder. When the two disagree
 * on the count (a nested "{{", an escape), none is taken for code. One
 * parse per scalar: a scalar's vars come one after another. */
typedef struct tl_ty__code {
  uint32_t node;           /* the scalar read, YT_NONE before the first */
  GR_ARRAY(uint8_t) flags; /* per placeholder of it: 1 in code */
  uint32_t first, count;   /* its vars: yt_tmpl_var(first .. first + count - 1) */
} tl_ty__code;

/* Var i (yt_tmpl_var) is in code in its scalar's text. */
static int tl_ty__in_code(tl_ty__code *c, const yt_tmpl *v, uint32_t i) {
  const yt_var *yv = yt_tmpl_var(v, i);
  if (c->node != yv->node) {
    c->node = yv->node;
    c->flags.len = 0;
    c->first = i;
    while (c->first > 0 && yt_tmpl_var(v, c->first - 1)->node == yv->node) c->first--;
    c->count = 0;
    while (c->first + c->count < yt_tmpl_var_count(v) && yt_tmpl_var(v, c->first + c->count)->node == yv->node)
      c->count++;
    uint32_t len = 0;
    const char *s = yt_tmpl_str(v, yv->node, &len);
    if (s && (memchr(s, '`', len) || memchr(s, '~', len))) { /* no code without a backtick or tilde fence */
      gr_options opts = {0, 0, GR_MODE_TEMPLATE};
      gr_tree *tree = gr_parse(s, len, &opts);
      for (uint32_t k = 0; k < gr_tree_count(tree); k++) {
        const gr_node *n = gr_tree_node(tree, k);
        if (n->kind == GR_PLACEHOLDER) gr_array_push(&c->flags, (uint8_t)((n->flags & GR_FLAG_IN_CODE) != 0));
      }
      gr_tree_free(tree);
    }
  }
  return c->flags.len == c->count && c->flags.items[i - c->first];
}

static int tl_ty__ph_cmp(const void *a, const void *b) {
  const tl_tplaceholder *x = a, *y = b;
  return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

/* A Markdown table in an example's text: a row holding '|' and a delimiter row under it. */
static int tl_ty__has_table(const char *s) {
  const char *line = s;
  int prev_pipe = 0;
  while (*line) {
    const char *e = strchr(line, '\n');
    if (!e) e = line + strlen(line);
    int pipes = 0, dashes = 0, other = 0;
    for (const char *k = line; k < e; k++) {
      if (*k == '|') pipes++;
      else if (*k == '-') dashes++;
      else if (*k != ':' && *k != ' ' && *k != '\t' && *k != '\r') other++;
    }
    if (prev_pipe && pipes && dashes && !other) return 1;
    prev_pipe = pipes > 0;
    line = *e ? e + 1 : e;
  }
  return 0;
}

static void tl_ty__example(tl_template *t, const yt_tmpl *v, uint32_t node, uint32_t sec) {
  char *text = tl_ty__str(v, node);
  if (!text) return;
  int is_inline = strchr(text, '\n') == NULL;
  gr_span sp = tl_ty__span(v, node);
  tl_texample x = {node, sec, (uint8_t)is_inline, (uint8_t)tl_ty__has_table(text), sp, sp,
                   is_inline ? gr_strndup(text, strlen(text)) : gr_strndup("", 0), text, 1};
  gr_array_push(&t->examples, x);
  gr_array_push(&t->example_tables, x.has_table ? tl_template__table_of(text, strlen(text)) : gr_strndup("", 0));
}

/* A var's name as the agent reads it: in a quoted scalar the raw bytes
 * still hold the quoting ("{{the \"what\"}}", 'it''s'), undone here, so
 * that a document's {{the "what"}} is that placeholder. */
static char *tl_ty__var_name(const yt_tmpl *v, const char *text, const yt_var *yv) {
  const yt_node *n = yt_tree_node(yt_tmpl_tree(v), yv->node);
  const char *s = text + yv->name.start;
  size_t len = yv->name.end - yv->name.start;
  if (!n || (n->style != YT_STYLE_DOUBLE && n->style != YT_STYLE_SINGLE)) return gr_strndup(s, len);
  char *out = gr_malloc(len + 1);
  size_t k = 0;
  for (size_t i = 0; i < len; i++) {
    if (n->style == YT_STYLE_DOUBLE && s[i] == '\\' && i + 1 < len) {
      char c = s[++i];
      out[k++] = c == 't' ? '\t' : c == 'n' ? ' ' : c; /* \" \\ \/ stand for themselves */
    } else if (n->style == YT_STYLE_SINGLE && s[i] == '\'' && i + 1 < len && s[i + 1] == '\'') {
      out[k++] = '\'';
      i++;
    } else {
      out[k++] = s[i];
    }
  }
  out[k] = '\0';
  return out;
}


tl_template *tl_template_yaml_new(const yt_tmpl *v) {
  tl_template *t = gr_calloc(1, sizeof *t);
  const yt_tree *tree = yt_tmpl_tree(v);
  const char *text = yt_tree_text(tree);
  t->len = yt_tree_len(tree);
  t->title = TL_NONE;
  const yt_header *hdr = yt_tmpl_header(v);
  uint32_t ns = yt_tmpl_section_count(v);

  /* Per YAML section: the model section its content lies in, the innermost
   * CONDITION and REPEAT holding it, its heading level (0: no heading) and title. */
  uint32_t *msec = gr_malloc(((size_t)ns * 3 + 1) * sizeof *msec);
  uint32_t *mcond = msec + ns, *mrep = mcond + ns;
  uint8_t *levels = gr_calloc((size_t)ns + 1, 1);
  char **titles = gr_calloc((size_t)ns + 1, sizeof *titles);

  uint32_t h1 = TL_NONE;
  char *doc_title = hdr->title != YT_NONE ? tl_ty__str(v, hdr->title) : NULL;
  if (doc_title) {
    tl_tsection_rec r;
    memset(&r, 0, sizeof r);
    r.pub.node = hdr->title;
    r.pub.level = 1;
    r.pub.parent = r.pub.condition = r.pub.repeat = TL_NONE;
    r.pub.span = (gr_span){0, t->len};
    r.pub.heading = r.pub.title = tl_ty__span(v, hdr->title);
    r.pub.text = doc_title;
    h1 = tl_template__push_section(t, &r);
  }

  for (uint32_t i = 0; i < ns; i++) {
    const yt_section *ys = yt_tmpl_section(v, i);
    uint32_t p = ys->parent;
    uint32_t anc = p == YT_NONE ? h1 : msec[p];
    uint32_t c_in = p == YT_NONE ? TL_NONE : mcond[p];
    uint32_t r_in = p == YT_NONE ? TL_NONE : mrep[p];
    gr_span span = tl_ty__span(v, ys->node);
    char *title = tl_ty__str(v, ys->keys[YT_SKEY_TITLE]);
    char *id = tl_ty__str(v, ys->keys[YT_SKEY_ID]);

    if (tl_ty__conditional(ys)) {
      uint32_t cn = ys->keys[YT_SKEY_CONDITION] != YT_NONE ? ys->keys[YT_SKEY_CONDITION] : ys->keys[YT_SKEY_OPTIONAL];
      char *name = ys->keys[YT_SKEY_CONDITION] != YT_NONE ? tl_ty__str(v, cn) : NULL;
      tl_tcondition x = {cn, anc, c_in, tl_ty__span(v, cn), span, name ? name : gr_strndup("optional", 8)};
      gr_array_push(&t->conditions, x);
      c_in = (uint32_t)t->conditions.len - 1;
    }
    if (ys->flags & YT_SEC_REPEATABLE) {
      const char *nm = title ? title : id ? id : "";
      tl_trepeat x = {ys->node, anc, r_in, GR_REPEAT_COLON, span, span, gr_strndup(nm, strlen(nm))};
      gr_array_push(&t->repeats, x);
      r_in = (uint32_t)t->repeats.len - 1;
    }
    mcond[i] = c_in;
    mrep[i] = r_in;
    msec[i] = anc;
    if (title) {
      tl_tsection_rec r;
      memset(&r, 0, sizeof r);
      r.pub.node = ys->node;
      r.pub.level = (uint8_t)(ys->depth + 2 > 6 ? 6 : ys->depth + 2);
      r.pub.parent = anc;
      r.pub.condition = c_in;
      r.pub.repeat = r_in;
      r.pub.optional = c_in != TL_NONE;
      r.pub.repeats = r_in != TL_NONE;
      r.pub.span = span;
      r.pub.heading = r.pub.title = tl_ty__span(v, ys->keys[YT_SKEY_TITLE]);
      r.pub.text = title;
      r.pub.elicit = (ys->flags & YT_SEC_ELICIT) != 0;
      msec[i] = tl_template__push_section(t, &r);
      levels[i] = r.pub.level;
      titles[i] = title;
    }
    if (id && id[0]) {
      tl_tid x = {msec[i], tl_ty__span(v, ys->keys[YT_SKEY_ID]), id};
      gr_array_push(&t->ids, x);
    } else {
      gr_free(id);
    }

    uint32_t in = ys->keys[YT_SKEY_INSTRUCTION];
    char *itext = tl_ty__str(v, in);
    if (itext) {
      gr_span sp = tl_ty__span(v, in);
      tl_tinstruction x = {in, msec[i], sp, sp, itext, 1};
      gr_array_push(&t->instructions, x);
    }
    uint32_t ex = ys->keys[YT_SKEY_EXAMPLES];
    const yt_node *exn = yt_tree_node(tree, ex);
    if (ex != YT_NONE && exn && exn->kind == YT_SEQUENCE) {
      for (uint32_t c = exn->first_child; c != YT_NONE; c = yt_tree_node(tree, c)->next_sibling)
        tl_ty__example(t, v, c, msec[i]);
    } else if (ex != YT_NONE) {
      tl_ty__example(t, v, ex, msec[i]);
    }
  }

  /* {{vars}}: those a document fills (titles, template, item_template, the
   * H1) and, flagged as mentions, those in guidance and elsewhere. */
  tl_ty__code codes = {YT_NONE, {0}, 0, 0};
  for (uint32_t i = 0; i < yt_tmpl_var_count(v); i++) {
    const yt_var *yv = yt_tmpl_var(v, i);
    if (yv->flags & (YT_VAR_EMPTY | YT_VAR_UNTERMINATED)) continue;
    uint32_t sec = yv->section == YT_NONE ? (yv->node == hdr->title ? h1 : TL_NONE) : msec[yv->section];
    uint16_t flags = 0;
    if (yv->key == YT_SKEY_INSTRUCTION) {
      flags = GR_FLAG_IN_INSTRUCTION;
    } else if (yv->key == YT_SKEY_EXAMPLES) {
      flags = GR_FLAG_IN_EXAMPLE;
    } else if (yv->key == YT_SKEY_TEMPLATE || yv->key == YT_SKEY_ITEM_TEMPLATE) {
      yt_stype ty = yt_tmpl_section(v, yv->section)->type;
      if (ty == YT_TYPE_CODE || ty == YT_TYPE_CODE_BLOCK || ty == YT_TYPE_MERMAID || tl_ty__in_code(&codes, v, i))
        flags = GR_FLAG_IN_CODE;
    } else if (!(yv->key == YT_SKEY_TITLE || (yv->section == YT_NONE && yv->node == hdr->title))) {
      flags = GR_FLAG_IN_INSTRUCTION; /* filename, placeholder, details...: a mention */
    }
    tl_tplaceholder x = {yv->node, sec, flags, yv->span, tl_ty__var_name(v, text, yv), TL_NONE};
    gr_array_push(&t->placeholders, x);
  }
  gr_array_free(&codes.flags);
  if (t->placeholders.len > 1)
    qsort(t->placeholders.items, t->placeholders.len, sizeof *t->placeholders.items, tl_ty__ph_cmp);

  uint32_t fn_len = 0;
  const char *fn = hdr->filename != YT_NONE ? yt_tmpl_str(v, hdr->filename, &fn_len) : NULL;
  if (fn && fn_len) tl_template__set_output(t, fn, fn_len, tl_ty__span(v, hdr->filename), TL_OUTPUT_FILENAME);

  /* Inserts: a titled section's, and a REPEAT's (its section's, with or
   * without a heading). Sections pushed in YAML order: walk both. */
  for (uint32_t i = 0, m = h1 == TL_NONE ? 0 : 1; i < ns; i++) {
    const yt_section *ys = yt_tmpl_section(v, i);
    tl_ty__buf b = {0};
    if (levels[i] || (ys->flags & YT_SEC_REPEATABLE)) tl_ty__insert(v, i, levels, (const char *const *)titles, &b);
    if (levels[i]) {
      tl_tsection_rec *r = &t->sections.items[m++];
      r->insert = gr_strndup(b.items ? b.items : "", b.len);
      r->insert_snippet = tl_ty__snippet(r->insert);
    }
    if (ys->flags & YT_SEC_REPEATABLE) gr_array_push(&t->repeat_inserts, tl_ty__take(&b));
    gr_array_free(&b);
  }
  if (h1 != TL_NONE) {
    /* The H1's insert: the title line, then the top-level sections that always hold. */
    tl_ty__buf b = {0};
    tl_ty__puts(&b, "# ");
    tl_ty__puts(&b, t->sections.items[h1].pub.text);
    tl_ty__puts(&b, "\n");
    for (uint32_t i = 0; i < ns; i++) {
      const yt_section *ys = yt_tmpl_section(v, i);
      if (ys->parent != YT_NONE || tl_ty__conditional(ys)) continue;
      tl_ty__buf sub = {0};
      tl_ty__insert(v, i, levels, (const char *const *)titles, &sub);
      if (sub.len) {
        tl_ty__puts(&b, "\n");
        tl_ty__putn(&b, sub.items, sub.len);
      }
      gr_array_free(&sub);
    }
    t->sections.items[h1].insert = tl_ty__take(&b);
    t->sections.items[h1].insert_snippet = tl_ty__snippet(t->sections.items[h1].insert);
  }
  gr_free(msec);
  gr_free(levels);
  gr_free(titles); /* the strings are the sections' text */
  tl_template__finish(t, text, t->len);
  return t;
}
