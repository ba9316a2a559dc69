/*
 * hover.c: hovers (see hover.h).
 *
 * Find the deepest node at the offset, then climb until a node whose
 * "handle" holds the offset: a placeholder or inline example anywhere, a
 * block or instruction on its opener or closer, a section on its heading
 * line. The text is built in a growable buffer; facts come from one linear
 * pass over the relevant trees, never from recursion.
 */
#include "server/features/hover.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/features/buf.h"
#include "server/features/ykeys.h"

#define FT_HOVER__MAX_LINES 8  /* line numbers listed per file */
#define FT_HOVER__MAX_FILES 10 /* other templates listed */
#define FT_HOVER__MAX_NAME 200 /* bytes of a name shown, then "…" */

static int ft_hover__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/*
 * `before` + the text of `s` + `after`, as a Markdown code span whose
 * backtick fence is longer than any run inside. Blank runs become one
 * space, invalid UTF-8 becomes U+FFFD (the text goes to the client as a
 * JSON string), and text past FT_HOVER__MAX_NAME bytes becomes "…".
 */
static void ft_hover__code(ft_buf *b, const char *before, const char *t, gr_span s,
                           const char *after) {
  ft_buf in = {0};
  ft_buf_puts(&in, before);
  int pending = 0;
  size_t taken = 0;
  for (uint32_t i = s.start; i < s.end;) {
    if (ft_hover__blank(t[i])) {
      pending = 1;
      i++;
      continue;
    }
    if (pending && in.len) ft_buf_putn(&in, " ", 1);
    pending = 0;
    uint32_t cp;
    size_t n = gr_utf8_decode(t, s.end, i, &cp);
    if (taken + n > FT_HOVER__MAX_NAME) {
      ft_buf_puts(&in, "\xE2\x80\xA6");
      break;
    }
    if (cp == 0xFFFD) ft_buf_puts(&in, "\xEF\xBF\xBD");
    else ft_buf_putn(&in, t + i, n);
    taken += n;
    i += (uint32_t)n;
  }
  ft_buf_puts(&in, after);
  size_t run = 0, longest = 0;
  for (size_t i = 0; i < in.len; i++) {
    run = in.items[i] == '`' ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (!in.len) { /* an empty code span is not Markdown */
    gr_array_free(&in);
    return;
  }
  int pad = in.items[0] == '`' || in.items[in.len - 1] == '`';
  for (size_t i = 0; i <= longest; i++) ft_buf_putn(b, "`", 1);
  if (pad) ft_buf_putn(b, " ", 1);
  ft_buf_putn(b, in.items, in.len);
  if (pad) ft_buf_putn(b, " ", 1);
  for (size_t i = 0; i <= longest; i++) ft_buf_putn(b, "`", 1);
  gr_array_free(&in);
}

/* ---- facts -------------------------------------------------------------- */

static int ft_hover__holds(gr_span s, uint32_t off) { return s.start <= off && off <= s.end; }

static uint32_t ft_hover__line_start(const char *t, uint32_t off) {
  while (off > 0 && t[off - 1] != '\n' && t[off - 1] != '\r') off--;
  return off;
}

static int ft_hover__same(const char *a, gr_span x, const char *b, gr_span y) {
  return x.end - x.start == y.end - y.start &&
         memcmp(a + x.start, b + y.start, x.end - x.start) == 0;
}

typedef GR_ARRAY(uint32_t) ft_hover__u32s;

static int ft_hover__cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

/* Nodes of `kind` named like `name` (bytes of `ntext`) in `tree`. */
static void ft_hover__uses(const gr_tree *tree, gr_kind kind, const char *ntext, gr_span name,
                           ft_hover__u32s *out) {
  const char *t = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  for (uint32_t i = 1; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->kind == kind && ft_hover__same(t, n->name, ntext, name)) gr_array_push(out, i);
  }
}

/* "line 4" / "lines 4, 30, …": the distinct 1-based lines of the nodes. */
static void ft_hover__line_list(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                                const ft_hover__u32s *nodes) {
  uint32_t last = GR_NONE;
  size_t distinct = 0;
  for (size_t k = 0; k < nodes->len; k++) {
    uint32_t line = gr_lines_line_of(lines, gr_tree_node(tree, nodes->items[k])->span.start);
    if (line != last) distinct++;
    last = line;
  }
  ft_buf_puts(b, distinct == 1 ? "line " : "lines ");
  last = GR_NONE;
  size_t shown = 0;
  for (size_t k = 0; k < nodes->len; k++) {
    uint32_t line = gr_lines_line_of(lines, gr_tree_node(tree, nodes->items[k])->span.start);
    if (line == last) continue;
    if (shown == FT_HOVER__MAX_LINES) {
      ft_buf_puts(b, ", …");
      break;
    }
    ft_buf_printf(b, "%s%u", shown ? ", " : "", line + 1);
    last = line;
    shown++;
  }
}

/* "2 uses, lines 4, 30" */
static void ft_hover__use_line(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                               const ft_hover__u32s *uses) {
  ft_buf_printf(b, "%zu use%s, ", uses->len, uses->len == 1 ? "" : "s");
  ft_hover__line_list(b, tree, lines, uses);
}

/* Where else a REPEAT or CONDITION name is used: this template, then the others. */
static void ft_hover__where(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                            const gr_node *n, const ft_hover_source *others, size_t n_others) {
  const char *t = gr_tree_text(tree);
  ft_hover__u32s uses = {0};
  ft_hover__uses(tree, (gr_kind)n->kind, t, n->name, &uses);
  ft_buf_puts(b, "\n\nUsed in:\n- this template: ");
  ft_hover__use_line(b, tree, lines, &uses);
  size_t listed = 0, more = 0, looked = 0;
  for (size_t k = 0; k < n_others; k++) {
    const ft_hover_source *src = &others[k];
    if (!src->tree || src->tree == tree) continue;
    looked++;
    uses.len = 0;
    ft_hover__uses(src->tree, (gr_kind)n->kind, t, n->name, &uses);
    if (!uses.len) continue;
    if (listed == FT_HOVER__MAX_FILES) {
      more++;
      continue;
    }
    gr_lines *own = NULL;
    const gr_lines *ln = src->lines;
    if (!ln) ln = own = gr_lines_new(gr_tree_text(src->tree), gr_tree_len(src->tree));
    ft_buf_puts(b, "\n- ");
    const char *name = src->name ? src->name : "(unnamed)";
    ft_hover__code(b, "", name, (gr_span){0, (uint32_t)strlen(name)}, "");
    ft_buf_puts(b, ": ");
    ft_hover__use_line(b, src->tree, ln, &uses);
    gr_lines_free(own);
    listed++;
  }
  if (more) ft_buf_printf(b, "\n- and %zu more template%s", more, more == 1 ? "" : "s");
  if (looked && !listed) ft_buf_puts(b, "\n\nNo other open template uses this name.");
  gr_array_free(&uses);
}

static void ft_hover__unclosed(ft_buf *b, const gr_node *n, const char *closer) {
  if (n->flags & GR_FLAG_UNCLOSED)
    ft_buf_printf(b, "\n\n**Never closed:** expected `%s`.", closer);
}

/* ---- one text per element ----------------------------------------------- */

static void ft_hover__placeholder(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                                  uint32_t at) {
  const char *t = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, at);
  ft_buf_puts(b, "**Placeholder** ");
  ft_hover__code(b, "{{", t, n->name, "}}");
  ft_buf_puts(b, "\n\nA value to fill in: the finished document replaces every placeholder "
                    "with real content.");
  if (n->flags & GR_FLAG_IN_INSTRUCTION)
    ft_buf_puts(b, " This one stands inside an LLM instruction: it is mentioned there, "
                      "not a slot to fill.");
  else if (n->flags & GR_FLAG_IN_EXAMPLE)
    ft_buf_puts(b, " This one stands inside an example: it is part of the sample.");
  else if (n->flags & GR_FLAG_IN_CODE)
    ft_buf_puts(b, " It stands in code; in a template it is still a placeholder.");

  /* Occurrences, and the distinct sections (innermost heading) they lie in. */
  uint32_t count = gr_tree_count(tree);
  uint32_t *section = gr_malloc(sizeof(uint32_t) * count);
  ft_hover__u32s uses = {0}, secs = {0};
  for (uint32_t i = 0; i < count; i++) {
    const gr_node *x = gr_tree_node(tree, i);
    section[i] = x->kind == GR_SECTION ? i : x->parent == GR_NONE ? GR_NONE : section[x->parent];
    if (x->kind == GR_PLACEHOLDER && ft_hover__same(t, x->name, t, n->name)) {
      gr_array_push(&uses, i);
      if (section[i] != GR_NONE) gr_array_push(&secs, section[i]);
    }
  }
  size_t distinct = 0;
  if (secs.len) {
    qsort(secs.items, secs.len, sizeof(uint32_t), ft_hover__cmp_u32);
    distinct = 1;
    for (size_t k = 1; k < secs.len; k++) distinct += secs.items[k] != secs.items[k - 1];
  }
  if (uses.len == 1)
    ft_buf_puts(b, "\n\nUsed once in this template");
  else
    ft_buf_printf(b, "\n\nUsed %zu times in this template", uses.len);
  if (distinct)
    ft_buf_printf(b, ", in %zu section%s", distinct, distinct == 1 ? "" : "s");
  ft_buf_puts(b, ": ");
  ft_hover__line_list(b, tree, lines, &uses);
  ft_buf_puts(b, ".");
  gr_array_free(&uses);
  gr_array_free(&secs);
  gr_free(section);
}

static void ft_hover__repeat(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                             const gr_node *n, const ft_hover_source *others, size_t n_others) {
  const char *t = gr_tree_text(tree);
  ft_buf_puts(b, "**REPEAT block**");
  if (n->name.end > n->name.start) {
    ft_buf_puts(b, " ");
    ft_hover__code(b, "", t, n->name, "");
  }
  ft_buf_puts(b, "\n\nWhat stands between the opener and `<</REPEAT>>` is written once per "
                    "instance: the document holds one copy for each, with its placeholders "
                    "filled. The markers themselves never reach the document.");
  if (n->level == GR_REPEAT_ATTRS) {
    ft_buf_puts(b, "\n\nOpener: ");
    ft_hover__code(b, "", t, n->open, "");
  }
  ft_hover__unclosed(b, n, "<</REPEAT>>");
  if (n->name.end > n->name.start) ft_hover__where(b, tree, lines, n, others, n_others);
}

static void ft_hover__condition(ft_buf *b, const gr_tree *tree, const gr_lines *lines,
                                const gr_node *n, const ft_hover_source *others,
                                size_t n_others) {
  const char *t = gr_tree_text(tree);
  ft_buf_puts(b, "**CONDITION** ");
  ft_hover__code(b, "", t, n->name, "");
  ft_buf_puts(b, "\n\nWhat stands up to ");
  ft_hover__code(b, "^^/CONDITION: ", t, n->name, "^^");
  ft_buf_puts(b, " is written only when the condition holds for the project, and left out "
                    "otherwise. The markers themselves never reach the document.");
  if (n->close_name.end > n->close_name.start && !ft_hover__same(t, n->close_name, t, n->name)) {
    ft_buf_puts(b, "\n\n**Mismatched closer:** it names ");
    ft_hover__code(b, "", t, n->close_name, "");
    ft_buf_puts(b, "; it should repeat ");
    ft_hover__code(b, "", t, n->name, "");
    ft_buf_puts(b, ".");
  }
  ft_hover__unclosed(b, n, "^^/CONDITION: name^^");
  ft_hover__where(b, tree, lines, n, others, n_others);
}

static void ft_hover__section(ft_buf *b, const gr_tree *tree, uint32_t at) {
  const char *t = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, at);
  ft_buf_printf(b, "**Section** (level %u) ", (unsigned)n->level);
  if (n->name.end > n->name.start) ft_hover__code(b, "", t, n->name, "");
  else ft_buf_puts(b, "(empty heading)");
  ft_buf_puts(b, "\n\nA heading of the template: the document has a section with this "
                    "heading");
  int has_ph = 0;
  uint32_t subs = 0;
  for (uint32_t c = n->first_child; c != GR_NONE; c = gr_tree_node(tree, c)->next_sibling) {
    const gr_node *x = gr_tree_node(tree, c);
    if (x->kind == GR_PLACEHOLDER && x->span.end <= n->open.end) has_ph = 1;
    if (x->kind == GR_SECTION) subs++;
  }
  ft_buf_puts(b, has_ph ? ", its placeholders filled." : ".");
  if (subs) ft_buf_printf(b, " It has %u subsection%s.", subs, subs == 1 ? "" : "s");
  /* The blocks it lies in, innermost first (a bounded climb: depth is the
   * parser's nesting limit). */
  for (uint32_t p = n->parent; p != GR_NONE && p != 0; p = gr_tree_node(tree, p)->parent) {
    const gr_node *x = gr_tree_node(tree, p);
    if (x->kind == GR_CONDITION) {
      ft_buf_puts(b, "\n\nOptional: written only when ");
      ft_hover__code(b, "", t, x->name, "");
      ft_buf_puts(b, " holds.");
    } else if (x->kind == GR_REPEAT) {
      ft_buf_puts(b, "\n\nRepeated: written once per instance of REPEAT");
      if (x->name.end > x->name.start) {
        ft_buf_puts(b, " ");
        ft_hover__code(b, "", t, x->name, "");
      }
      ft_buf_puts(b, ".");
    } else if (x->kind == GR_EXAMPLE) {
      ft_buf_puts(b, "\n\nPart of an example: it never reaches the document.");
    }
  }
}

/* ---- entry -------------------------------------------------------------- */

ft_hover *ft_hover_at(const gr_tree *tree, const gr_lines *lines, uint32_t offset,
                      const ft_hover_source *others, size_t n_others) {
  uint32_t len = gr_tree_len(tree);
  if (offset > len) offset = len;
  const char *t = gr_tree_text(tree);
  gr_lines *own = NULL;
  ft_buf b = {0};
  gr_span span = {0, 0};
  uint32_t at = gr_tree_node_at(tree, offset);
  for (; at != 0 && at != GR_NONE; at = gr_tree_node(tree, at)->parent) {
    const gr_node *n = gr_tree_node(tree, at);
    int on_open = ft_hover__holds(n->open, offset);
    int on_close = n->close.end > n->close.start && ft_hover__holds(n->close, offset);
    span = on_open ? n->open : n->close;
    if (n->kind == GR_PLACEHOLDER || n->kind == GR_EXAMPLE_INLINE) {
      span = n->span;
      break;
    }
    if (n->kind == GR_SECTION && on_open) break;
    if ((on_open || on_close) &&
        (n->kind == GR_REPEAT || n->kind == GR_CONDITION || n->kind == GR_EXAMPLE ||
         n->kind == GR_CRITICAL_RULE || n->kind == GR_INSTRUCTION))
      break;
  }
  if (at == 0 || at == GR_NONE) return NULL;
  if (!lines) lines = own = gr_lines_new(t, len);

  const gr_node *n = gr_tree_node(tree, at);
  switch (n->kind) {
    case GR_PLACEHOLDER: ft_hover__placeholder(&b, tree, lines, at); break;
    case GR_REPEAT: ft_hover__repeat(&b, tree, lines, n, others, n_others); break;
    case GR_CONDITION: ft_hover__condition(&b, tree, lines, n, others, n_others); break;
    case GR_SECTION: ft_hover__section(&b, tree, at); break;
    case GR_EXAMPLE:
      ft_buf_puts(&b, "**Example block**");
      if (n->name.end > n->name.start) {
        ft_buf_puts(&b, " ");
        ft_hover__code(&b, "", t, n->name, "");
      }
      ft_buf_puts(&b, "\n\nSample content showing what this part of the document can look "
                         "like: start from it, but the example itself never reaches the "
                         "finished document.");
      ft_hover__unclosed(&b, n, "@{/example}");
      break;
    case GR_EXAMPLE_INLINE:
      ft_buf_puts(&b, "**Inline example**\n\nA sample of what goes here, for the writer; "
                         "it never reaches the finished document.");
      break;
    case GR_CRITICAL_RULE:
      ft_buf_puts(&b, "**Critical rule**\n\nA rule the agent must follow while writing the "
                         "document; the rule itself never reaches the finished document.");
      ft_hover__unclosed(&b, n, "</critical_rule>");
      break;
    case GR_INSTRUCTION:
    default:
      ft_buf_puts(&b, "**LLM instruction**\n\nGuidance for the agent that writes the "
                         "document from this template; it is never shown in the finished "
                         "document.");
      ft_hover__unclosed(&b, n, "]]");
      break;
  }
  gr_lines_free(own);
  ft_hover *h = gr_calloc(1, sizeof *h);
  h->span = span;
  h->node = at;
  h->markdown = b.items;
  return h;
}

void ft_hover_free(ft_hover *hover) {
  if (!hover) return;
  gr_free(hover->markdown);
  gr_free(hover);
}

/* ---- YAML templates ------------------------------------------------------ */

#define FT_HOVER__MAX_PLACES 12 /* places listed for a {{var}} */

static ft_hover *ft_hover__new(ft_buf *b, gr_span span, uint32_t node) {
  ft_hover *h = gr_calloc(1, sizeof *h);
  h->span = span;
  h->node = node;
  h->markdown = ft_buf_take(b);
  return h;
}

static void ft_hover__key_text(ft_buf *b, const ft_ykey *k) {
  ft_buf_printf(b, "**`%s`** · %s · %s\n\n%s", ft_ykey_name(k), ft_ykey_place_label((ft_yplace)k->place),
                ft_ykey_value_label((ft_yvalue)k->value), k->doc);
}

/* What the value s[0..n) of key `key` at `place` means, or 0 when nothing is known of it. */
static int ft_hover__value_text(ft_buf *b, ft_yplace place, const char *key, size_t klen, const char *s,
                                size_t n) {
  const ft_ykey *k = ft_ykey_find(place, key, klen);
  if (!k || !n) return 0;
  const char *doc = NULL, *what = NULL;
  if (k->value == FT_YVALUE_TYPE) {
    doc = ft_ykey_type_doc(yt_stype_lookup(s, n));
    what = "section type";
  } else if (k->value == FT_YVALUE_MERMAID) {
    doc = ft_ykey_mermaid_doc(s, n);
    what = "mermaid diagram type";
  } else if (k->value == FT_YVALUE_MODE) {
    doc = ft_ykey_mode_doc(s, n);
    what = "workflow mode";
  }
  if (!doc) return 0;
  ft_buf_puts(b, "**");
  ft_hover__code(b, "", s, (gr_span){0, (uint32_t)n}, "");
  ft_buf_printf(b, "** · %s\n\n%s", what, doc);
  return 1;
}

/* Where a {{var}} stands: "`template.output.title`" or "section `story` title". */
static void ft_hover__var_place(ft_buf *b, const yt_tmpl *tm, const yt_var *v) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  uint32_t stop = YT_NONE;
  if (v->section != YT_NONE) {
    const yt_section *sec = yt_tmpl_section(tm, v->section);
    stop = sec->node;
    uint32_t idlen = 0;
    const char *id = yt_tmpl_str(tm, sec->keys[YT_SKEY_ID], &idlen);
    if (id && idlen) {
      ft_buf_puts(b, "section ");
      ft_hover__code(b, "", id, (gr_span){0, idlen}, "");
    } else {
      ft_buf_printf(b, "section %u", v->section + 1);
    }
    /* the section's key the string lies under */
    uint32_t i = v->node;
    while (i != YT_NONE && yt_tree_node(tree, i)->parent != stop) i = yt_tree_node(tree, i)->parent;
    const yt_node *k = i != YT_NONE ? yt_tree_node(tree, i) : NULL;
    if (k && k->key_text && yt_skey_lookup(k->key_text, k->key_len) != YT_SKEY_COUNT) {
      ft_buf_printf(b, " %s", k->key_text);
    } else if (k && k->key_text) { /* a key of the file's own: quoted, and cleaned */
      ft_buf_puts(b, " ");
      ft_hover__code(b, "", k->key_text, (gr_span){0, k->key_len}, "");
    }
    return;
  }
  /* outside sections: the keys from the top, list items left out */
  GR_ARRAY(uint32_t) path = {0};
  for (uint32_t i = v->node; i != YT_NONE; i = yt_tree_node(tree, i)->parent)
    if (yt_tree_node(tree, i)->key_text) gr_array_push(&path, i);
  ft_buf dotted = {0};
  for (size_t k = path.len; k-- > 0;) {
    if (dotted.len) ft_buf_puts(&dotted, ".");
    ft_buf_puts(&dotted, yt_tree_node(tree, path.items[k])->key_text);
  }
  if (dotted.len) ft_hover__code(b, "", dotted.items, (gr_span){0, (uint32_t)dotted.len}, "");
  else ft_buf_puts(b, "the top level");
  gr_array_free(&dotted);
  gr_array_free(&path);
}

/* The hover of {{name}} (name: bytes [name.start, name.end) of the text). */
static void ft_hover__var(ft_buf *b, const yt_tmpl *tm, gr_span name, const yt_var *self) {
  const char *t = yt_tree_text(yt_tmpl_tree(tm));
  ft_buf_puts(b, "**Variable** ");
  ft_hover__code(b, "{{", t, name, "}}");
  ft_buf_puts(b, "\n\nA value the agent fills in when it writes the document.");
  if (self && self->key == YT_SKEY_INSTRUCTION)
    ft_buf_puts(b, " This one is inside an `instruction`: it is mentioned there, not written.");
  else if (self && self->key == YT_SKEY_EXAMPLES)
    ft_buf_puts(b, " This one is inside an example: it is part of the sample.");
  /* the places, in the template's order, each with its count */
  ft_buf one = {0};
  GR_ARRAY(char *) seen = {0};
  GR_ARRAY(uint32_t) counts = {0};
  size_t total = 0;
  for (uint32_t i = 0; i < yt_tmpl_var_count(tm); i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    if (v->flags & (YT_VAR_EMPTY | YT_VAR_UNTERMINATED) || !ft_hover__same(t, v->name, t, name)) continue;
    total++;
    one.len = 0;
    ft_hover__var_place(&one, tm, v);
    size_t k = 0;
    while (k < seen.len && strcmp(seen.items[k], one.items) != 0) k++;
    if (k < seen.len) {
      counts.items[k]++;
    } else if (seen.len <= FT_HOVER__MAX_PLACES) {
      gr_array_push(&seen, gr_strndup(one.items, one.len));
      gr_array_push(&counts, 1u);
    }
  }
  if (total == 0) {
    ft_buf_puts(b, "\n\nNot used anywhere else in the template.");
  } else {
    ft_buf_printf(b, total == 1 ? "\n\nUsed once: " : "\n\nUsed %zu times: ", total);
    for (size_t k = 0; k < seen.len; k++) {
      if (k == FT_HOVER__MAX_PLACES) {
        ft_buf_puts(b, ", …");
        break;
      }
      ft_buf_printf(b, "%s%s", k ? ", " : "", seen.items[k]);
      if (counts.items[k] > 1) ft_buf_printf(b, " (%u)", counts.items[k]);
    }
    ft_buf_puts(b, ".");
  }
  for (size_t k = 0; k < seen.len; k++) gr_free(seen.items[k]);
  gr_array_free(&seen);
  gr_array_free(&counts);
  gr_array_free(&one);
}

/* A "{{name}}" on the line of `offset` that holds it, in text the tree did not read. */
static int ft_hover__line_var(const char *t, uint32_t len, uint32_t offset, gr_span *span, gr_span *name) {
  uint32_t ls = ft_hover__line_start(t, offset), le = offset;
  while (le < len && t[le] != '\n' && t[le] != '\r') le++;
  for (uint32_t i = ls; i + 1 < le; i++) {
    if (t[i] != '{' || t[i + 1] != '{') continue;
    uint32_t j = i + 2;
    while (j + 1 < le && !(t[j] == '}' && t[j + 1] == '}')) j++;
    if (j + 1 >= le) return 0;
    if (i <= offset && offset <= j + 2) {
      uint32_t a = i + 2, e = j;
      while (a < e && (t[a] == ' ' || t[a] == '\t')) a++;
      while (e > a && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
      if (a == e || memchr(t + a, '{', e - a)) return 0;
      *span = (gr_span){i, j + 2};
      *name = (gr_span){a, e};
      return 1;
    }
    i = j + 1;
  }
  return 0;
}

ft_hover *ft_hover_yaml(const yt_tmpl *tm, uint32_t offset) {
  const yt_tree *tree = yt_tmpl_tree(tm);
  const char *t = yt_tree_text(tree);
  uint32_t len = yt_tree_len(tree);
  if (offset > len) offset = len;
  ft_buf b = {0};
  /* a {{var}} */
  for (uint32_t i = 0; i < yt_tmpl_var_count(tm); i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    if (!(v->flags & (YT_VAR_EMPTY | YT_VAR_UNTERMINATED)) && ft_hover__holds(v->span, offset)) {
      ft_hover__var(&b, tm, v->name, v);
      return ft_hover__new(&b, v->span, v->node);
    }
  }
  /* a key or a value the tree read */
  uint32_t at = yt_tree_node_at(tree, offset);
  const yt_node *n = at != YT_NONE ? yt_tree_node(tree, at) : NULL;
  const yt_node *p = n && n->parent != YT_NONE ? yt_tree_node(tree, n->parent) : NULL;
  if (n && p && p->kind == YT_MAPPING && !(n->flags & YT_FLAG_COMPLEX_KEY) && ft_hover__holds(n->key, offset)) {
    const ft_ykey *k = ft_ykey_find(ft_yplace_of_node(tm, n->parent), n->key_text, n->key_len);
    if (!k) return NULL;
    ft_hover__key_text(&b, k);
    return ft_hover__new(&b, n->key, at);
  }
  if (n && n->kind == YT_SCALAR && ft_hover__holds(n->span, offset)) {
    if (!p || p->kind != YT_MAPPING ||
        !ft_hover__value_text(&b, ft_yplace_of_node(tm, n->parent), n->key_text, n->key_len, n->value,
                              n->value_len)) {
      gr_array_free(&b);
      return NULL;
    }
    return ft_hover__new(&b, n->span, at);
  }
  /* text the tree did not read (after a syntax error): the line says */
  gr_span span, name;
  if (ft_hover__line_var(t, len, offset, &span, &name)) {
    ft_hover__var(&b, tm, name, NULL);
    return ft_hover__new(&b, span, YT_NONE);
  }
  ft_yctx ctx;
  ft_yctx_at(t, len, offset, &ctx);
  ft_hover *h = NULL;
  if (ctx.what == FT_YWHAT_KEY && ctx.has_colon) {
    const ft_ykey *k = ft_ykey_find(ctx.place, t + ctx.key.start, ctx.key.end - ctx.key.start);
    if (k) {
      ft_hover__key_text(&b, k);
      h = ft_hover__new(&b, ctx.key, YT_NONE);
    }
  } else if (ctx.what == FT_YWHAT_VALUE && ft_hover__holds(ctx.value, offset)) {
    if (ft_hover__value_text(&b, ctx.place, t + ctx.key.start, ctx.key.end - ctx.key.start, t + ctx.value.start,
                             ctx.value.end - ctx.value.start))
      h = ft_hover__new(&b, ctx.value, YT_NONE);
  }
  ft_yctx_free(&ctx);
  gr_array_free(&b);
  return h;
}
