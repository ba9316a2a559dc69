/*
 * docdiag.c: document diagnostics. One walk over the document's tree for
 * the markup left behind, then the section alignment for missing and
 * out-of-order sections. The rules that keep other languages' {{ }} out of
 * the report are gathered in tl_docdiag__foreign_*: a false positive in a
 * real document is a bug.
 */
#include "server/model/docdiag.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"

typedef GR_ARRAY(tl_docdiag) tl_docdiag__array;

static const struct {
  const char *name;
  gr_severity severity;
} tl_docdiag__codes[] = {
#define TL__XX(id, str, sev) {str, sev},
    TL_DOCDIAG_CODES(TL__XX)
#undef TL__XX
};

const char *tl_docdiag_code_name(tl_docdiag_code code) {
  return (unsigned)code < TL_DD_CODE_COUNT ? tl_docdiag__codes[code].name : "unknown";
}

gr_severity tl_docdiag_code_severity(tl_docdiag_code code) {
  return (unsigned)code < TL_DD_CODE_COUNT ? tl_docdiag__codes[code].severity : GR_SEV_HINT;
}

static char *tl_docdiag__fmt(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

static char *tl_docdiag__fmt(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *s = gr_malloc((size_t)(n < 0 ? 0 : n) + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
  va_end(ap);
  if (n < 0) s[0] = 0;
  return s;
}

/* Length of the valid UTF-8 sequence at s[i..n), or 0 (overlongs, surrogates
 * and code points past U+10FFFF are invalid, as for JSON). */
static size_t tl_docdiag__utf8_len(const unsigned char *s, size_t n, size_t i) {
  unsigned c = s[i];
  size_t len;
  uint32_t cp, min;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min = 0x80;
  else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min = 0x800;
  else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min = 0x10000;
  else return 0;
  if (i + len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i + k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

/* Messages and names reach JSON: steal `s`, return it as valid UTF-8, each
 * invalid byte replaced by U+FFFD. */
static char *tl_docdiag__utf8(char *s) {
  if (!s) return NULL;
  const unsigned char *u = (const unsigned char *)s;
  size_t n = strlen(s), bad = 0;
  for (size_t i = 0; i < n;) {
    size_t k = tl_docdiag__utf8_len(u, n, i);
    if (k == 0) bad++, k = 1;
    i += k;
  }
  if (!bad) return s;
  char *out = gr_malloc(n + 2 * bad + 1), *o = out;
  for (size_t i = 0; i < n;) {
    size_t k = tl_docdiag__utf8_len(u, n, i);
    if (k == 0) {
      memcpy(o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    } else {
      memcpy(o, s + i, k);
      o += k;
      i += k;
    }
  }
  *o = 0;
  gr_free(s);
  return out;
}

static void tl_docdiag__add(tl_docdiag__array *a, tl_docdiag_code code, gr_span span, gr_span extra,
                            uint32_t node, uint32_t tsection, char *name, char *message) {
  tl_docdiag d = {code,     tl_docdiag_code_severity(code), span, extra, node, tsection,
                  tl_docdiag__utf8(name), tl_docdiag__utf8(message)};
  gr_array_push(a, d);
}

/* A short quotable copy of text[s, e): first line, at most 60 bytes, cut on
 * a UTF-8 character boundary. */
static char *tl_docdiag__excerpt(const char *text, uint32_t s, uint32_t e) {
  while (s < e && isspace((unsigned char)text[s])) s++;
  uint32_t x = s;
  while (x < e && text[x] != '\n' && text[x] != '\r' && x - s < 60) x++;
  int cut = x < e && text[x] != '\n' && text[x] != '\r';
  while (cut && x > s && ((unsigned char)text[x] & 0xC0) == 0x80) x--;
  while (x > s && isspace((unsigned char)text[x - 1])) x--;
  char *out = gr_malloc(x - s + 4);
  memcpy(out, text + s, x - s);
  if (cut) memcpy(out + (x - s), "...", 4);
  else out[x - s] = 0;
  return out;
}

/* ---- other languages' {{ }} --------------------------------------------- */

/* Never a BMAD placeholder, whatever the template says. */
static int tl_docdiag__foreign_hard(const char *text, uint32_t len, const gr_node *n, int in_code) {
  uint32_t s = n->span.start, e = n->span.end;
  if (s > 0 && text[s - 1] == '$') return 1;                 /* ${{ github.x }} */
  if (s > 0 && text[s - 1] == '{') return 1;                 /* {{{raw}}} */
  if (e < len && text[e] == '}') return 1;
  if (e - s >= 5 && (text[s + 2] == '-' || text[e - 3] == '-')) return 1; /* {{- x -}} */
  if (n->name.end > n->name.start && text[n->name.start] == '.') return 1; /* {{ .Values.x }} */
  if (in_code && s > 0 && (isalnum((unsigned char)text[s - 1]) || text[s - 1] == '_'))
    return 1; /* Mermaid hexagon Id{{Label}}, identifiers glued to braces */
  return 0;
}

static int tl_docdiag__ident(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Jinja / Helm / Ansible filters: the first word after a '|' tells a filter
 * pipeline ("x | upper") from a BMAD list of choices ("high | med | low"). */
static int tl_docdiag__filter(const char *w, size_t n) {
  static const char *filters[] = {
      "abs", "attr", "b64dec", "b64enc", "batch", "capitalize", "center", "count", "d",
      "default", "dictsort", "e", "escape", "filesizeformat", "first", "float", "format",
      "from_json", "from_yaml", "groupby", "indent", "int", "join", "last", "length", "list",
      "lower", "map", "max", "min", "nindent", "pprint", "quote", "random", "reject",
      "rejectattr", "replace", "required", "reverse", "round", "safe", "select", "selectattr",
      "slice", "sort", "squote", "string", "striptags", "sum", "title", "toJson", "toYaml",
      "to_json", "to_nice_json", "to_nice_yaml", "to_yaml", "tojson", "tpl", "trim", "trunc",
      "truncate", "unique", "upper", "urlencode", "wordcount", "xmlattr"};
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
    if (strlen(filters[i]) == n && memcmp(filters[i], w, n) == 0) return 1;
  return 0;
}

/* Other template languages' forms; a template placeholder of exactly this
 * name overrides them. */
static int tl_docdiag__foreign_soft(const char *name) {
  size_t n = strlen(name);
  if (n == 0) return 0;
  if (strchr("#/>!^&@", name[0])) return 1; /* Handlebars blocks, partials, comments, @index */
  if (strcmp(name, "else") == 0 || strcmp(name, "end") == 0 || strcmp(name, "this") == 0) return 1;
  static const char *actions[] = {"if ", "range ", "with ", "define ", "template ", "block ",
                                  "else if ", "include "};
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
    if (strncmp(name, actions[i], strlen(actions[i])) == 0) return 1; /* Go, Jinja actions */
  const char *bar = strchr(name, '|');
  if (bar) {
    const char *w = bar + 1;
    while (*w == ' ') w++;
    size_t k = 0;
    while (tl_docdiag__ident(w[k])) k++;
    if (k && tl_docdiag__filter(w, k) && (w[k] == 0 || w[k] == ' ' || w[k] == '(' || w[k] == ':'))
      return 1;
  }
  /* A dotted path or $variable: {{ user.name }}, {{ $x }}. */
  size_t i = 0;
  if (name[0] == '$') i = 1;
  if (!tl_docdiag__ident(name[i]) || isdigit((unsigned char)name[i])) return 0;
  int dots = 0;
  for (; i < n; i++) {
    if (name[i] == '.' && i + 1 < n && tl_docdiag__ident(name[i + 1])) dots++;
    else if (!tl_docdiag__ident(name[i])) return 0;
  }
  return dots > 0 || name[0] == '$';
}

/* ---- the walk ----------------------------------------------------------- */

static int tl_docdiag__within(const gr_tree *tree, uint32_t i, gr_kind kind) {
  return gr_tree_ancestor(tree, i, kind) != GR_NONE;
}

static int tl_docdiag__template_has(const tl_template *t, const char *name, uint32_t ts,
                                    int code_only) {
  uint32_t n = tl_template_placeholder_count(t);
  for (uint32_t i = 0; i < n; i++) {
    const tl_tplaceholder *p = tl_template_placeholder(t, i);
    if (strcmp(p->name, name) != 0) continue;
    if (!code_only) return 1;
    if ((p->flags & GR_FLAG_IN_CODE) && !(p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) &&
        p->section == ts)
      return 1;
  }
  return 0;
}

static void tl_docdiag__placeholder(tl_docdiag__array *out, const tl_document *d, uint32_t i) {
  const gr_tree *tree = tl_document_tree(d);
  const tl_template *t = tl_document_template(d);
  const char *text = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, i);
  if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
  if (tl_docdiag__within(tree, i, GR_HTML_COMMENT)) return;
  int in_code = (n->flags & GR_FLAG_IN_CODE) || tl_docdiag__within(tree, i, GR_FRONT_MATTER);
  if (tl_docdiag__foreign_hard(text, gr_tree_len(tree), n, in_code)) return;
  char *name = gr_strndup(text + n->name.start, n->name.end - n->name.start);
  int report;
  if (in_code) {
    uint32_t ts = tl_document_tsection_at(d, n->span.start);
    report = t && ts != TL_NONE && tl_docdiag__template_has(t, name, ts, 1);
  } else {
    report = (t && tl_docdiag__template_has(t, name, TL_NONE, 0)) || !tl_docdiag__foreign_soft(name);
  }
  if (!report) {
    gr_free(name);
    return;
  }
  char *msg = tl_docdiag__fmt("Unfilled placeholder {{%s}}: replace it with the document's content", name);
  tl_docdiag__add(out, TL_DD_UNFILLED_PLACEHOLDER, n->span, (gr_span){n->span.start, n->span.start},
                  i, TL_NONE, name, msg);
}

static void tl_docdiag__markup(tl_docdiag__array *out, const tl_document *d, uint32_t i) {
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  const gr_node *n = gr_tree_node(tree, i);
  gr_span none = {n->span.start, n->span.start};
  if (n->flags & GR_FLAG_IN_CODE) return; /* quoted markup, e.g. in a document about templates */
  switch ((gr_kind)n->kind) {
    case GR_INSTRUCTION: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *ex = tl_docdiag__excerpt(text, n->body.start, n->body.end);
      char *msg = tl_docdiag__fmt("LLM instruction left in the document: \"%s\"", ex);
      gr_free(ex);
      tl_docdiag__add(out, TL_DD_LEFTOVER_INSTRUCTION, n->span, none, i, TL_NONE, NULL, msg);
      return;
    }
    case GR_EXAMPLE:
    case GR_EXAMPLE_INLINE: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *nm = tl_docdiag__excerpt(text, n->name.start, n->name.end);
      char *msg = n->kind == GR_EXAMPLE_INLINE
                      ? tl_docdiag__fmt("Inline example left in the document: \"%s\"", nm)
                  : nm[0] ? tl_docdiag__fmt("Example '%s' left in the document: examples are guidance, never output", nm)
                          : tl_docdiag__fmt("Example block left in the document: examples are guidance, never output");
      gr_free(nm);
      tl_docdiag__add(out, TL_DD_LEFTOVER_EXAMPLE, n->span, none, i, TL_NONE, NULL, msg);
      return;
    }
    case GR_REPEAT:
    case GR_CONDITION:
    case GR_CRITICAL_RULE: {
      if (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) return;
      char *nm = tl_docdiag__excerpt(text, n->name.start, n->name.end);
      char *msg = n->kind == GR_REPEAT
                      ? tl_docdiag__fmt("REPEAT markers left in the document (%s): keep the content, remove the markers", nm)
                  : n->kind == GR_CONDITION
                      ? tl_docdiag__fmt("CONDITION markers left in the document (%s): keep the content if it applies, remove the markers", nm)
                      : tl_docdiag__fmt("<critical_rule> tags left in the document");
      gr_free(nm);
      gr_span closer = n->close.end > n->close.start ? n->close : (gr_span){n->span.end, n->span.end};
      tl_docdiag__add(out, TL_DD_LEFTOVER_MARKUP, n->open, closer, i, TL_NONE, NULL, msg);
      return;
    }
    default:
      return;
  }
}

static void tl_docdiag__sections(tl_docdiag__array *out, const tl_document *d) {
  const tl_template *t = tl_document_template(d);
  if (!t) return;
  static const char hashes[] = "######";
  for (uint32_t k = 0; k < tl_document_missing_count(d); k++) {
    const tl_doc_missing *m = tl_document_missing(d, k);
    const tl_tsection *s = tl_template_section(t, m->tsection);
    const char *h = hashes + 6 - (s->level > 6 ? 6 : s->level);
    char *msg;
    if (s->repeat != TL_NONE)
      msg = tl_docdiag__fmt("Missing section \"%s %s\" (repeated block '%s': add at least one)", h,
                            s->text, tl_template_repeat(t, s->repeat)->name);
    else
      msg = tl_docdiag__fmt("Missing section \"%s %s\" from the template", h, s->text);
    tl_docdiag__add(out, TL_DD_MISSING_SECTION, (gr_span){m->offset, m->offset},
                    (gr_span){m->offset, m->offset}, TL_NONE, m->tsection,
                    gr_strndup(s->text, strlen(s->text)), msg);
  }
  const char *text = gr_tree_text(tl_document_tree(d));
  for (uint32_t k = 0; k < tl_document_section_count(d); k++) {
    const tl_dsection *s = tl_document_section(d, k);
    if (s->tsection == TL_NONE || s->in_order) continue;
    char *title = gr_strndup(text + s->title.start, s->title.end - s->title.start);
    char *msg = tl_docdiag__fmt("Section \"%s\" is out of the template's order", title);
    gr_free(title);
    tl_docdiag__add(out, TL_DD_SECTION_ORDER, s->heading, (gr_span){s->heading.start, s->heading.start},
                    s->node, s->tsection, NULL, msg);
  }
}

/* ---- guidance pasted without markup ------------------------------------ */

/*
 * A template whose instructions or examples are written without markup
 * (bare: a YAML template's `instruction` and `examples`) leaves nothing
 * for the walk above to see when an agent pastes them: only their words.
 * A document line that is, whole, one line of such a text is a leftover,
 * when the line is long enough not to be a phrase anyone writes
 * (TL_DOCDIAG__MIN_WORDS words and TL_DOCDIAG__MIN_BYTES bytes): "Monorepo"
 * or "Use bullet points" in a document is its author's. Lines compare with
 * list markers and emphasis markers at their ends set aside and whitespace
 * runs as one space; consecutive such lines from one text are one report.
 * A word holds a letter or a digit; table rows are never compared.
 */
#define TL_DOCDIAG__MIN_WORDS 6
#define TL_DOCDIAG__MIN_BYTES 30

typedef struct tl_docdiag__gline {
  char *norm;       /* normalised line (owned) */
  uint32_t source;  /* instruction or example index */
  uint8_t example;  /* 1: from an example */
} tl_docdiag__gline;

typedef GR_ARRAY(tl_docdiag__gline) tl_docdiag__glines;

/* Normalise s[0..n) into a new string: see above. Returns NULL when too short to count. */
static char *tl_docdiag__norm_line(const char *s, size_t n) {
  size_t a = 0, b = n;
  while (a < b && isspace((unsigned char)s[a])) a++;
  while (b > a && isspace((unsigned char)s[b - 1])) b--;
  /* A list marker: "- ", "* ", "+ ", "1. ", "1) ". */
  if (a + 1 < b && (s[a] == '-' || s[a] == '*' || s[a] == '+') && s[a + 1] == ' ') a += 2;
  else {
    size_t k = a;
    while (k < b && k - a < 4 && isdigit((unsigned char)s[k])) k++;
    if (k > a && k + 1 < b && (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ') a = k + 2;
  }
  while (a + 1 < b && ((s[a] == '*' && s[b - 1] == '*') || (s[a] == '_' && s[b - 1] == '_'))) a++, b--;
  while (a < b && isspace((unsigned char)s[a])) a++;
  while (b > a && isspace((unsigned char)s[b - 1])) b--;
  char *out = gr_malloc(b - a + 1);
  size_t o = 0, words = 0;
  int space = 1;
  for (size_t i = a; i < b; i++) {
    if (isspace((unsigned char)s[i])) {
      if (!space) out[o++] = ' ';
      space = 1;
      continue;
    }
    /* A word holds a letter or digit: table pipes and dashes are not words. */
    if (space) {
      size_t k = i;
      while (k < b && !isspace((unsigned char)s[k]) && !isalnum((unsigned char)s[k]) && !((unsigned char)s[k] & 0x80)) k++;
      if (k < b && !isspace((unsigned char)s[k])) words++;
    }
    space = 0;
    out[o++] = s[i];
  }
  out[o] = 0;
  if (words < TL_DOCDIAG__MIN_WORDS || o < TL_DOCDIAG__MIN_BYTES) {
    gr_free(out);
    return NULL;
  }
  return out;
}

static int tl_docdiag__gline_cmp(const void *a, const void *b) {
  return strcmp(((const tl_docdiag__gline *)a)->norm, ((const tl_docdiag__gline *)b)->norm);
}

static void tl_docdiag__glines_of(tl_docdiag__glines *out, const char *text, uint32_t source,
                                  int example) {
  const char *line = text;
  while (*line) {
    const char *e = strchr(line, '\n');
    if (!e) e = line + strlen(line);
    char *norm = tl_docdiag__norm_line(line, (size_t)(e - line));
    if (norm) {
      tl_docdiag__gline g = {norm, source, (uint8_t)example};
      gr_array_push(out, g);
    }
    line = *e ? e + 1 : e;
  }
}

static int tl_docdiag__in_guidance(const gr_tree *tree, uint32_t at) {
  for (uint32_t n = gr_tree_node_at(tree, at); n != GR_NONE && n != 0; n = gr_tree_node(tree, n)->parent) {
    gr_kind k = (gr_kind)gr_tree_node(tree, n)->kind;
    if (k == GR_INSTRUCTION || k == GR_EXAMPLE || k == GR_EXAMPLE_INLINE || k == GR_HTML_COMMENT) return 1;
  }
  return 0;
}

static void tl_docdiag__bare(tl_docdiag__array *out, const tl_document *d) {
  const tl_template *t = tl_document_template(d);
  if (!t) return;
  tl_docdiag__glines gl = {0};
  for (uint32_t i = 0; i < tl_template_instruction_count(t); i++) {
    const tl_tinstruction *x = tl_template_instruction(t, i);
    if (x->bare) tl_docdiag__glines_of(&gl, x->text, i, 0);
  }
  for (uint32_t i = 0; i < tl_template_example_count(t); i++) {
    const tl_texample *x = tl_template_example(t, i);
    if (x->bare && x->text) tl_docdiag__glines_of(&gl, x->text, i, 1);
  }
  if (!gl.len) return;
  qsort(gl.items, gl.len, sizeof *gl.items, tl_docdiag__gline_cmp);
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree), i = 0;
  int open = 0; /* the previous line made or extended out->items[open_at] */
  size_t open_at = 0;
  const tl_docdiag__gline *prev = NULL;
  while (i < len) {
    uint32_t e = i;
    while (e < len && text[e] != '\n') e++;
    uint32_t le = e > i && text[e - 1] == '\r' ? e - 1 : e;
    uint32_t s0 = i;
    while (s0 < le && (text[s0] == ' ' || text[s0] == '\t')) s0++;
    /* Not table rows (a template's example table shows the header a
     * document should reuse), nor lines inside markup the walk reported
     * already or inside a comment the author keeps out of sight. */
    char *norm = s0 < le && text[s0] != '|' && !tl_docdiag__in_guidance(tree, s0)
                     ? tl_docdiag__norm_line(text + i, le - i)
                     : NULL;
    const tl_docdiag__gline *hit = NULL;
    if (norm) {
      tl_docdiag__gline key = {norm, 0, 0};
      hit = bsearch(&key, gl.items, gl.len, sizeof *gl.items, tl_docdiag__gline_cmp);
      gr_free(norm);
    }
    uint32_t s = i;
    while (s < le && (text[s] == ' ' || text[s] == '\t')) s++;
    if (hit && open && prev && prev->source == hit->source && prev->example == hit->example) {
      out->items[open_at].span.end = le; /* the next line of the same text */
    } else if (hit) {
      tl_docdiag_code code = hit->example ? TL_DD_LEFTOVER_EXAMPLE : TL_DD_LEFTOVER_INSTRUCTION;
      char *ex = tl_docdiag__excerpt(text, s, le);
      char *msg = hit->example ? tl_docdiag__fmt("The template's example left in the document: \"%s\"", ex)
                               : tl_docdiag__fmt("The template's instruction left in the document: \"%s\"", ex);
      gr_free(ex);
      tl_docdiag__add(out, code, (gr_span){s, le}, (gr_span){s, s}, TL_NONE, TL_NONE, NULL, msg);
      open_at = out->len - 1;
      open = 1;
    } else {
      open = 0;
    }
    prev = hit;
    i = e < len ? e + 1 : e;
  }
  for (size_t k = 0; k < gl.len; k++) gr_free(gl.items[k].norm);
  gr_array_free(&gl);
}

static int tl_docdiag__cmp(const void *a, const void *b) {
  const tl_docdiag *x = a, *y = b;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  if (x->code != y->code) return x->code < y->code ? -1 : 1;
  if (x->tsection != y->tsection) return x->tsection < y->tsection ? -1 : 1;
  return x->span.end < y->span.end ? -1 : x->span.end > y->span.end;
}

tl_docdiag_list *tl_docdiag_run(const tl_document *d) {
  tl_docdiag__array a = {0};
  const gr_tree *tree = tl_document_tree(d);
  for (uint32_t i = gr_tree_next(tree, 0); i != GR_NONE; i = gr_tree_next(tree, i)) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->kind == GR_PLACEHOLDER) tl_docdiag__placeholder(&a, d, i);
    else tl_docdiag__markup(&a, d, i);
  }
  tl_docdiag__sections(&a, d);
  tl_docdiag__bare(&a, d);
  if (a.len > 1) qsort(a.items, a.len, sizeof a.items[0], tl_docdiag__cmp);
  tl_docdiag_list *list = gr_malloc(sizeof *list);
  list->items = a.items;
  list->len = a.len;
  return list;
}

void tl_docdiag_free(tl_docdiag_list *list) {
  if (!list) return;
  for (size_t i = 0; i < list->len; i++) {
    gr_free(list->items[i].name);
    gr_free(list->items[i].message);
  }
  gr_free(list->items);
  gr_free(list);
}
