/*
 * template.c: the template model, built in one pre-order pass over the tree.
 *
 * The node array is in pre-order, so a node's parent is always seen before
 * the node: the innermost section, CONDITION and REPEAT of every node are
 * inherited from its parent in a per-node table, and each element records
 * them as indices into the model's own arrays.
 */
#include "server/model/template.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/pattern.h"
#include "server/model/skeleton.h"
#include "server/model/foreign.h"
#include "server/model/template_impl.h"

/* ---- small helpers ------------------------------------------------------ */

static char *tl_template__trimdup(const char *text, gr_span s) {
  uint32_t a = s.start, b = s.end;
  while (a < b && isspace((unsigned char)text[a])) a++;
  while (b > a && isspace((unsigned char)text[b - 1])) b--;
  return gr_strndup(text + a, b - a);
}

/* Case-insensitive search for `lit` in text[from, to). */
static int64_t tl_template__find(const char *text, uint32_t from, uint32_t to, const char *lit) {
  size_t n = strlen(lit);
  for (uint32_t i = from; i + n <= to; i++) {
    size_t k = 0;
    while (k < n && tolower((unsigned char)text[i + k]) == tolower((unsigned char)lit[k])) k++;
    if (k == n) return i;
  }
  return -1;
}

/*
 * A path token at text[i..to): optional spaces and one opening backtick or
 * quote, then characters up to whitespace, a quote, a backtick or "]]";
 * a {{placeholder}} inside is taken whole even if it holds spaces.
 * Trailing sentence punctuation is dropped. Returns 1 with *out set.
 */
static int tl_template__path_token(const char *text, uint32_t i, uint32_t to, gr_span *out) {
  while (i < to && (text[i] == ' ' || text[i] == '\t')) i++;
  if (i < to && (text[i] == '`' || text[i] == '"' || text[i] == '\'')) i++;
  uint32_t s = i, stop = 0;
  while (i < to) {
    char c = text[i];
    if (c == '{' && i + 1 < to && text[i + 1] == '{') {
      if (stop < i + 2) { /* cached as in tl_template__files: linear */
        stop = i + 2;
        while (stop + 1 < to && !(text[stop] == '}' && text[stop + 1] == '}') && text[stop] != '\n')
          stop++;
      }
      if (stop + 1 < to && text[stop] == '}') {
        i = stop + 2;
        continue;
      }
    }
    if (isspace((unsigned char)c) || c == '`' || c == '"' || c == '\'' || c == ']') break;
    i++;
  }
  while (i > s && strchr(".,;:)", text[i - 1])) i--;
  if (i == s) return 0;
  *out = (gr_span){s, i};
  return 1;
}

void tl_template__set_output(tl_template *t, const char *path, size_t len, gr_span span,
                             tl_output_form form) {
  if (t->output) return;
  t->output = gr_strndup(path, len);
  t->output_pattern = tl_pattern_compile(t->output, strlen(t->output), TL_PATTERN_PATH, NULL);
  t->output_form = form;
  t->output_span = span;
}

/* "defaultOutput: docs/brief.md" in YAML front matter. */
static void tl_template__front_output(tl_template *t, const char *text, const gr_node *n) {
  uint32_t i = n->body.start, end = n->body.end;
  while (i < end) {
    uint32_t e = i;
    while (e < end && text[e] != '\n') e++;
    static const char key[] = "defaultOutput:";
    if (e - i >= sizeof key - 1 && memcmp(text + i, key, sizeof key - 1) == 0) {
      gr_span s;
      uint32_t v = i + (uint32_t)(sizeof key - 1);
      uint32_t ve = e;
      while (ve > v && (text[ve - 1] == '\r' || text[ve - 1] == ' ')) ve--;
      if (tl_template__path_token(text, v, ve, &s))
        tl_template__set_output(t, text + s.start, s.end - s.start, s, TL_OUTPUT_FRONT_MATTER);
      return;
    }
    i = e + 1;
  }
}

/* The phrasings of the corpus, inside one LLM instruction body. */
static void tl_template__instruction_output(tl_template *t, const char *text, const gr_node *n) {
  static const struct {
    const char *lead;
    tl_output_form form;
  } phrases[] = {
      {"output file location:", TL_OUTPUT_LOCATION},
      {"output file:", TL_OUTPUT_LOCATION},
      {"output path:", TL_OUTPUT_LOCATION},
      {"default path and filename unless specified is", TL_OUTPUT_DEFAULT_PATH},
  };
  for (size_t k = 0; k < sizeof phrases / sizeof phrases[0] && !t->output; k++) {
    int64_t at = tl_template__find(text, n->body.start, n->body.end, phrases[k].lead);
    if (at < 0) continue;
    gr_span s;
    uint32_t v = (uint32_t)at + (uint32_t)strlen(phrases[k].lead);
    if (tl_template__path_token(text, v, n->body.end, &s))
      tl_template__set_output(t, text + s.start, s.end - s.start, s, phrases[k].form);
  }
}

/* A Markdown table: a line holding '|' followed by a delimiter row. */
static int tl_template__has_table(const char *text, gr_span body) {
  int prev_pipe = 0;
  uint32_t i = body.start;
  while (i < body.end) {
    uint32_t e = i;
    while (e < body.end && text[e] != '\n') e++;
    int pipes = 0, dashes = 0, other = 0;
    for (uint32_t k = i; k < e; k++) {
      char c = text[k];
      if (c == '|') pipes++;
      else if (c == '-') dashes++;
      else if (c != ':' && c != ' ' && c != '\t' && c != '\r') other++;
    }
    if (prev_pipe && pipes && dashes && !other) return 1;
    prev_pipe = pipes > 0;
    i = e + 1;
  }
  return 0;
}

static int tl_template__file_char(char c) {
  /* ASCII ranges, not isalnum: this runs on every byte of the text (the
   * locale lookup was a fifth of a 10 MB template's model) */
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-' || c == '/';
}

void tl_file_mentions(const char *text, uint32_t len, tl_spans *out) {
  static const char *exts[] = {".md", ".yml", ".yaml", ".json", ".txt", ".csv", ".toml"};
  uint32_t i = 0, stop = 0;
  while (i < len) {
    if (!tl_template__file_char(text[i]) && !(text[i] == '{' && i + 1 < len && text[i + 1] == '{')) {
      i++;
      continue;
    }
    uint32_t s = i;
    while (i < len) {
      if (tl_template__file_char(text[i])) {
        i++;
      } else if (text[i] == '{' && i + 1 < len && text[i + 1] == '{') {
        /* stop = the first "}}" or line end at or after i + 2, cached: the
         * searches start at increasing offsets, so the scan stays linear */
        if (stop < i + 2) {
          stop = i + 2;
          while (stop + 1 < len && text[stop] != '\n' && !(text[stop] == '}' && text[stop + 1] == '}'))
            stop++;
        }
        if (stop + 1 >= len || text[stop] != '}') break;
        i = stop + 2;
      } else {
        break;
      }
    }
    if (i == s) { /* an unclosed "{{": not a file name */
      i++;
      continue;
    }
    uint32_t e = i;
    while (e > s && text[e - 1] == '.') e--;
    if (e <= s) continue;
    char before = s > 0 ? text[s - 1] : ' ';
    if (before == ':' || before == '*' || before == '@' || before == '\\') continue;
    int url = 0;
    for (uint32_t k = s; k + 1 < e; k++)
      if (text[k] == '/' && text[k + 1] == '/') url = 1;
    if (url) continue;
    /* an extension is the word's last '.' and what follows (at most 5
     * bytes): most words have none, and need no comparison */
    uint32_t d = e - 1;
    while (d > s && e - d < 5 && text[d] != '.') d--;
    if (text[d] != '.') continue;
    for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++) {
      uint32_t n = (uint32_t)strlen(exts[k]);
      if (n == e - d && e - s > n && memcmp(text + e - n, exts[k], n) == 0 && text[e - n - 1] != '/' &&
          text[e - n - 1] != '.') {
        gr_span sp = {s, e};
        gr_array_push(out, sp);
        break;
      }
    }
  }
}


/* Line ends and starts in text[0..len) ("\r\n", "\n" or "\r"). */
static uint32_t tl_template__line_end(const char *text, uint32_t len, uint32_t off) {
  if (off > len) off = len;
  if (off > 0 && off < len && text[off] == '\n' && text[off - 1] == '\r') return off - 1;
  while (off < len && text[off] != '\n' && text[off] != '\r') off++;
  return off;
}

static uint32_t tl_template__line_next(const char *text, uint32_t len, uint32_t off) {
  uint32_t e = tl_template__line_end(text, len, off);
  if (e < len && text[e] == '\r') e++;
  if (e < len && text[e] == '\n') e++;
  return e;
}

/* Each placeholder's inline example: after it on its line, or alone on the
 * next line ("{{nfr}}\n@{example: NFR1: ...}"). */
static void tl_template__placeholder_examples(tl_template *t, const char *tx, uint32_t tlen) {
  size_t inl = 0;
  for (size_t k = 0; k < t->examples.len; k++) inl += t->examples.items[k].is_inline;
  if (!inl) return;
  /* Placeholders come in text order: a line's ends are found once for all
   * the placeholders on it (a 1 MB line of them stays linear). */
  uint32_t le = 0, nx = 0, ne = 0, have = 0;
  for (size_t i = 0; i < t->placeholders.len; i++) {
    tl_tplaceholder *p = &t->placeholders.items[i];
    if (!have || p->span.end > le) {
      le = tl_template__line_end(tx, tlen, p->span.end);
      nx = tl_template__line_next(tx, tlen, p->span.end);
      ne = tl_template__line_end(tx, tlen, nx);
      have = 1;
    }
    for (uint32_t k = 0; k < t->examples.len; k++) {
      const tl_texample *ex = &t->examples.items[k];
      if (!ex->is_inline) continue;
      int here = ex->span.start >= p->span.end && ex->span.end <= le;
      int next = 0;
      if (!here && nx < tlen && ex->span.start >= nx && ex->span.end <= ne) {
        next = 1;
        for (uint32_t j = nx; j < ex->span.start; j++)
          if (tx[j] != ' ' && tx[j] != '\t') next = 0;
        for (uint32_t j = ex->span.end; j < ne; j++)
          if (tx[j] != ' ' && tx[j] != '\t') next = 0;
      }
      if (here || next) {
        p->example = k;
        break;
      }
    }
  }
}

char *tl_template__table_of(const char *s, size_t n) {
  GR_ARRAY(char) b = {0};
  uint32_t len = (uint32_t)n, i = 0;
  int in = 0;
  while (i < len) {
    uint32_t e = tl_template__line_end(s, len, i);
    uint32_t k = i;
    while (k < e && s[k] == ' ') k++;
    if (k < e && s[k] == '|') {
      in = 1;
      gr_array_reserve(&b, (size_t)(e - i) + 2);
      memcpy(b.items + b.len, s + i, e - i);
      b.len += e - i;
      b.items[b.len++] = '\n';
      b.items[b.len] = '\0';
    } else if (in) {
      break;
    }
    uint32_t nx = tl_template__line_next(s, len, i);
    if (nx == i) break;
    i = nx;
  }
  return b.items ? b.items : gr_strndup("", 0);
}

/* ---- building ----------------------------------------------------------- */

/*
 * A block or placeholder name: its bytes, or "" past TL_TEMPLATE_MAX_NAME
 * (no one types such a name; nested "{{" would otherwise copy the text
 * under them once per level, and every table of names would grow so).
 */
static char *tl_template__name(const char *text, gr_span name) {
  size_t n = name.end - name.start;
  return n > TL_TEMPLATE_MAX_NAME ? gr_strndup("", 0) : gr_strndup(text + name.start, n);
}

static tl_template *tl_template__new(const gr_tree *tree, gr_tree *taken);

tl_template *tl_template_new(const gr_tree *tree) { return tl_template__new(tree, NULL); }
tl_template *tl_template_new_taking(gr_tree *tree) { return tl_template__new(tree, tree); }

static tl_template *tl_template__new(const gr_tree *tree, gr_tree *taken) {
  tl_template *t = gr_calloc(1, sizeof *t);
  const char *text = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  t->len = gr_tree_len(tree);
  t->title = TL_NONE;

  /* Per node: innermost model section, repeat and condition index. */
  uint32_t *sec = gr_malloc((size_t)count * 3 * sizeof *sec);
  uint32_t *rep = sec + count, *cond = rep + count;

  for (uint32_t i = 0; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    uint32_t p = n->parent;
    uint32_t s_in = p == GR_NONE ? TL_NONE : sec[p];
    uint32_t r_in = p == GR_NONE ? TL_NONE : rep[p];
    uint32_t c_in = p == GR_NONE ? TL_NONE : cond[p];
    sec[i] = s_in;
    rep[i] = r_in;
    cond[i] = c_in;
    int guidance = (n->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) != 0;

    switch ((gr_kind)n->kind) {
      case GR_SECTION: {
        /* Headings shown inside examples or instructions are not sections. */
        if (guidance || (n->flags & GR_FLAG_IN_CODE)) break;
        tl_tsection_rec r;
        memset(&r, 0, sizeof r);
        r.pub.node = i;
        r.pub.level = n->level;
        /* The parent is the nearest enclosing section of a higher level: a
         * "## X" inside a REPEAT that stands in "## Purpose" is Purpose's
         * sibling, not its child. */
        uint32_t up = s_in;
        while (up != TL_NONE && t->sections.items[up].pub.level >= n->level)
          up = t->sections.items[up].pub.parent;
        r.pub.parent = up;
        r.pub.condition = c_in;
        r.pub.repeat = r_in;
        r.pub.optional = c_in != TL_NONE;
        r.pub.repeats = r_in != TL_NONE;
        r.pub.span = n->span;
        r.pub.heading = n->open;
        r.pub.title = n->name;
        r.pub.text = gr_strndup(text + n->name.start, n->name.end - n->name.start);
        sec[i] = tl_template__push_section(t, &r);
        break;
      }
      case GR_INSTRUCTION: {
        tl_tinstruction x = {i, s_in, n->span, n->body, tl_template__trimdup(text, n->body), 0};
        gr_array_push(&t->instructions, x);
        tl_template__instruction_output(t, text, n);
        break;
      }
      case GR_CRITICAL_RULE: {
        tl_trule x = {i, s_in, (n->flags & GR_FLAG_IN_INSTRUCTION) != 0, n->span, n->body,
                      tl_template__trimdup(text, n->body)};
        gr_array_push(&t->rules, x);
        break;
      }
      case GR_PLACEHOLDER: {
        tl_tplaceholder x = {i, s_in, n->flags, n->span, tl_template__name(text, n->name), TL_NONE};
        gr_array_push(&t->placeholders, x);
        break;
      }
      case GR_EXAMPLE:
      case GR_EXAMPLE_INLINE: {
        int is_inline = n->kind == GR_EXAMPLE_INLINE;
        tl_texample x = {i, s_in, (uint8_t)is_inline,
                         (uint8_t)(!is_inline && tl_template__has_table(text, n->body)), n->span,
                         n->body,
                         is_inline ? gr_strndup(text + n->name.start, n->name.end - n->name.start)
                                   : tl_template__name(text, n->name),
                         NULL, 0};
        x.text = is_inline ? gr_strndup(x.name, strlen(x.name)) : tl_template__trimdup(text, n->body);
        gr_array_push(&t->examples, x);
        break;
      }
      case GR_REPEAT: {
        if (guidance) break;
        tl_trepeat x = {i, s_in, r_in, n->level, n->span, n->body, tl_template__name(text, n->name)};
        rep[i] = (uint32_t)t->repeats.len;
        gr_array_push(&t->repeats, x);
        break;
      }
      case GR_CONDITION: {
        if (guidance) break;
        tl_tcondition x = {i, s_in, c_in, n->span, n->body, tl_template__name(text, n->name)};
        cond[i] = (uint32_t)t->conditions.len;
        gr_array_push(&t->conditions, x);
        break;
      }
      case GR_FRONT_MATTER:
        tl_template__front_output(t, text, n);
        break;
      default:
        break;
    }
  }
  gr_free(sec);

  /* What inserts write (the skeletons of the sections and of the REPEAT
   * bodies) is written when first asked for, from this copy of the text
   * (template_impl.h), or from the caller's text and the tree taken. */
  t->src_copy = !taken;
  t->src = taken ? text : gr_strndup(text, t->len);
  t->src_tree = taken;
  t->src_mode = gr_tree_mode(tree);
  pthread_mutex_init(&t->src_lock, NULL);
  for (size_t i = 0; i < t->repeats.len; i++) gr_array_push(&t->repeat_inserts, NULL);
  tl_template__placeholder_examples(t, text, t->len);
  for (size_t i = 0; i < t->examples.len; i++) {
    const tl_texample *ex = &t->examples.items[i];
    gr_array_push(&t->example_tables,
                  ex->has_table ? tl_template__table_of(text + ex->body.start, ex->body.end - ex->body.start)
                                : gr_strndup("", 0));
  }
  tl_template__finish(t, text, t->len);
  return t;
}

uint32_t tl_template__push_section(tl_template *t, tl_tsection_rec *r) {
  r->pattern = tl_pattern_compile(r->pub.text, strlen(r->pub.text), TL_PATTERN_HEADING, &r->literal);
  r->pub.wildcard = r->literal == 0;
  if (t->title == TL_NONE && r->pub.level == 1) t->title = (uint32_t)t->sections.len;
  gr_array_push(&t->sections, *r);
  return (uint32_t)t->sections.len - 1;
}

/* A placeholder's name and its place, for finding the distinct names. */
typedef struct tl_template__named {
  const char *name;
  uint32_t index;
} tl_template__named;

static int tl_template__by_name(const void *a, const void *b) {
  const tl_template__named *x = a, *y = b;
  int c = strcmp(x->name, y->name);
  return c ? c : (x->index > y->index) - (x->index < y->index);
}

static int tl_template__by_index(const void *a, const void *b) {
  const tl_template__named *x = a, *y = b;
  return (x->index > y->index) - (x->index < y->index);
}

static int tl_template__by_key(const void *a, const void *b) {
  const tl_tname_key *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  return c ? c : (x->placeholder > y->placeholder) - (x->placeholder < y->placeholder);
}

uint32_t tl_template_name_keys(const tl_template *t, const tl_tname_key **keys) {
  *keys = t->name_keys.items;
  return (uint32_t)t->name_keys.len;
}

void tl_template__finish(tl_template *t, const char *text, uint32_t len) {
  /* Front matter wins over an instruction only by coming first in the text,
   * which it always does; the first announcement is kept. */
  /* Distinct names in order of first use: sorted by name, then by place,
   * the first of each run is kept, and those are put back in place order
   * (n log n: a template of thousands of names is built at once). */
  GR_ARRAY(tl_template__named) order = {0};
  for (size_t i = 0; i < t->placeholders.len; i++) {
    const tl_tplaceholder *p = &t->placeholders.items[i];
    if (p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) continue;
    tl_template__named e = {p->name, (uint32_t)i};
    gr_array_push(&order, e);
  }
  if (order.len) {
    qsort(order.items, order.len, sizeof *order.items, tl_template__by_name);
    size_t k = 0;
    for (size_t i = 0; i < order.len; i++)
      if (k == 0 || strcmp(order.items[i].name, order.items[k - 1].name) != 0) order.items[k++] = order.items[i];
    order.len = k;
    qsort(order.items, order.len, sizeof *order.items, tl_template__by_index);
    for (size_t i = 0; i < order.len; i++) gr_array_push(&t->names, order.items[i].name);
  }
  gr_array_free(&order);
  for (size_t i = 0; i < t->placeholders.len; i++) {
    const tl_tplaceholder *p = &t->placeholders.items[i];
    for (int unnumbered = 0; unnumbered < 2; unnumbered++) {
      char *key = tl_foreign_name_key(p->name, strlen(p->name), unnumbered);
      if (key) gr_array_push(&t->name_keys, ((tl_tname_key){key, (uint32_t)i}));
    }
  }
  if (t->name_keys.len > 1) qsort(t->name_keys.items, t->name_keys.len, sizeof *t->name_keys.items, tl_template__by_key);
  for (size_t i = 0; i < t->sections.len && !t->src; i++) { /* a Markdown model's are written when asked for */
    tl_tsection_rec *r = &t->sections.items[i];
    if (!r->insert) r->insert = gr_strndup("", 0);
    if (!r->insert_snippet) r->insert_snippet = gr_strndup("", 0);
  }
  while (t->repeat_inserts.len < t->repeats.len) gr_array_push(&t->repeat_inserts, gr_strndup("", 0));
  while (t->example_tables.len < t->examples.len) gr_array_push(&t->example_tables, gr_strndup("", 0));
  tl_spans mentions = {0};
  tl_file_mentions(text, len, &mentions);
  for (size_t k = 0; k < mentions.len; k++) {
    gr_span sp = mentions.items[k];
    tl_tfile f = {sp, gr_strndup(text + sp.start, sp.end - sp.start)};
    gr_array_push(&t->files, f);
  }
  gr_array_free(&mentions);
}

void tl_template_free(tl_template *t) {
  if (!t) return;
  for (size_t i = 0; i < t->sections.len; i++) {
    gr_free((char *)t->sections.items[i].pub.text);
    gr_free(t->sections.items[i].pattern);
    gr_free(t->sections.items[i].insert);
    gr_free(t->sections.items[i].insert_snippet);
  }
  for (size_t i = 0; i < t->instructions.len; i++) gr_free((char *)t->instructions.items[i].text);
  for (size_t i = 0; i < t->rules.len; i++) gr_free((char *)t->rules.items[i].text);
  for (size_t i = 0; i < t->placeholders.len; i++) gr_free((char *)t->placeholders.items[i].name);
  for (size_t i = 0; i < t->name_keys.len; i++) gr_free((char *)t->name_keys.items[i].key);
  gr_array_free(&t->name_keys);
  for (size_t i = 0; i < t->examples.len; i++) {
    gr_free((char *)t->examples.items[i].name);
    gr_free((char *)t->examples.items[i].text);
  }
  for (size_t i = 0; i < t->repeat_inserts.len; i++) gr_free(t->repeat_inserts.items[i]);
  if (t->src) {
    if (t->src_copy) gr_free((char *)t->src);
    gr_tree_free(t->src_tree);
    pthread_mutex_destroy(&t->src_lock);
  }
  for (size_t i = 0; i < t->example_tables.len; i++) gr_free(t->example_tables.items[i]);
  gr_array_free(&t->repeat_inserts);
  gr_array_free(&t->example_tables);
  for (size_t i = 0; i < t->repeats.len; i++) gr_free((char *)t->repeats.items[i].name);
  for (size_t i = 0; i < t->conditions.len; i++) gr_free((char *)t->conditions.items[i].name);
  for (size_t i = 0; i < t->files.len; i++) gr_free((char *)t->files.items[i].path);
  for (size_t i = 0; i < t->ids.len; i++) gr_free((char *)t->ids.items[i].name);
  gr_array_free(&t->ids);
  gr_array_free(&t->sections);
  gr_array_free(&t->instructions);
  gr_array_free(&t->rules);
  gr_array_free(&t->placeholders);
  gr_array_free(&t->examples);
  gr_array_free(&t->repeats);
  gr_array_free(&t->conditions);
  gr_array_free(&t->files);
  gr_array_free(&t->names);
  gr_free(t->output);
  gr_free(t->output_pattern);
  gr_free(t);
}

/* ---- reading ------------------------------------------------------------ */

#define TL_TEMPLATE__GETTERS(noun, field, type)                                \
  uint32_t tl_template_##noun##_count(const tl_template *t) {                  \
    return (uint32_t)t->field.len;                                             \
  }                                                                            \
  const type *tl_template_##noun(const tl_template *t, uint32_t i) {           \
    return i < t->field.len ? (const type *)&t->field.items[i] : NULL;         \
  }

/* tl_tsection is the first member of tl_tsection_rec. */
TL_TEMPLATE__GETTERS(section, sections, tl_tsection)
TL_TEMPLATE__GETTERS(instruction, instructions, tl_tinstruction)
TL_TEMPLATE__GETTERS(rule, rules, tl_trule)
TL_TEMPLATE__GETTERS(placeholder, placeholders, tl_tplaceholder)
TL_TEMPLATE__GETTERS(example, examples, tl_texample)
TL_TEMPLATE__GETTERS(repeat, repeats, tl_trepeat)
TL_TEMPLATE__GETTERS(condition, conditions, tl_tcondition)
TL_TEMPLATE__GETTERS(file, files, tl_tfile)
TL_TEMPLATE__GETTERS(id, ids, tl_tid)

uint32_t tl_template_name_count(const tl_template *t) { return (uint32_t)t->names.len; }

const char *tl_template_name(const tl_template *t, uint32_t i) {
  return i < t->names.len ? t->names.items[i] : NULL;
}

const char *tl_template_output(const tl_template *t, tl_output_form *form, gr_span *span) {
  if (form) *form = t->output_form;
  if (span) *span = t->output_span;
  return t->output;
}

int tl_template_output_match(const tl_template *t, const char *relpath) {
  if (!t->output_pattern || !relpath) return 0;
  while (relpath[0] == '.' && relpath[1] == '/') relpath += 2;
  const char *p = t->output_pattern;
  while (p[0] == '.' && p[1] == '/') p += 2;
  return tl_pattern_match(p, relpath, strlen(relpath), TL_PATTERN_PATH) >= 0;
}

uint32_t tl_template_title(const tl_template *t) { return t->title; }

/* The tree of src, parsed if there is none (under src_lock). */
static void tl_template__parse_src(tl_template *t) {
  if (t->src_tree) return;
  gr_options o = {0, 0, t->src_mode};
  t->src_tree = gr_parse(t->src, t->len, &o);
}

const gr_tree *tl_template_tree(const tl_template *ct) {
  tl_template *t = (tl_template *)ct; /* the tree is the model's own cache, as the inserts are */
  if (!t->src) return NULL;
  pthread_mutex_lock(&t->src_lock);
  tl_template__parse_src(t);
  const gr_tree *tree = t->src_tree;
  pthread_mutex_unlock(&t->src_lock);
  return tree;
}

bool tl_template_shed_tree(tl_template *t) {
  if (!t->src) return false;
  pthread_mutex_lock(&t->src_lock);
  bool had = t->src_tree != NULL;
  gr_tree_free(t->src_tree);
  t->src_tree = NULL;
  pthread_mutex_unlock(&t->src_lock);
  return had;
}

/* Write an insert into *slot if it is not there yet (template_impl.h):
 * section si's (plain or snippet), or REPEAT r's body when si is TL_NONE.
 * The model is const to its readers; this cache is its own. */
static const char *tl_template__insert(const tl_template *ct, char *const *cslot, uint32_t si, uint32_t r,
                                       int snippet) {
  tl_template *t = (tl_template *)ct;
  char **slot = (char **)cslot;
  if (!t->src) return *slot;
  pthread_mutex_lock(&t->src_lock);
  if (!*slot) {
    tl_template__parse_src(t);
    /* the sections' without the template's closing matter and a sibling
     * held in a block that opens in their span (skeleton.h) */
    *slot = si != TL_NONE ? tl_skeleton_section_new(t->src_tree, t, si,
                                                    TL_SKELETON_DROP_CONDITIONS | (snippet ? TL_SKELETON_SNIPPET : 0),
                                                    0, NULL)
                          : tl_skeleton_new(t->src_tree, t->repeats.items[r].body, TL_SKELETON_DROP_CONDITIONS, NULL);
  }
  pthread_mutex_unlock(&t->src_lock);
  return *slot;
}

const char *tl_template_section_insert(const tl_template *t, uint32_t i, int snippet) {
  if (i >= t->sections.len) return "";
  const tl_tsection_rec *r = &t->sections.items[i];
  return tl_template__insert(t, snippet ? &r->insert_snippet : &r->insert, i, TL_NONE, snippet);
}

const char *tl_template_repeat_insert(const tl_template *t, uint32_t r) {
  return r < t->repeat_inserts.len ? tl_template__insert(t, &t->repeat_inserts.items[r], TL_NONE, r, 0) : "";
}

const char *tl_template_example_table(const tl_template *t, uint32_t k) {
  return k < t->example_tables.len ? t->example_tables.items[k] : "";
}

uint32_t tl_template_section_at(const tl_template *t, uint32_t offset) {
  /* Sections are in pre-order (starts ascending) and nest: the innermost
   * holder is the last section starting at or before offset, or one of its
   * ancestors. */
  size_t lo = 0, hi = t->sections.len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (t->sections.items[mid].pub.span.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo ? (uint32_t)(lo - 1) : TL_NONE; i != TL_NONE; i = t->sections.items[i].pub.parent) {
    gr_span s = t->sections.items[i].pub.span;
    if (offset < s.end || (offset == s.end && s.end == t->len)) return i;
  }
  return TL_NONE;
}

int tl_template_heading_match(const tl_template *t, uint32_t i, const char *text, size_t len) {
  if (i >= t->sections.len) return -1;
  char buf[256];
  char *norm = len < sizeof buf ? buf : gr_malloc(len + 1);
  size_t n = tl_pattern_normalize_to(text, len, norm);
  int r = tl_pattern_match(t->sections.items[i].pattern, norm, n, TL_PATTERN_HEADING);
  if (norm != buf) gr_free(norm);
  return r;
}

int tl_template_section_within(const tl_template *t, uint32_t i, uint32_t anc) {
  while (i != TL_NONE && i < t->sections.len) {
    if (i == anc) return 1;
    i = t->sections.items[i].pub.parent;
  }
  return 0;
}

/* ---- dump --------------------------------------------------------------- */

static void tl_template__quote(FILE *out, const char *s, size_t max) {
  fputc('"', out);
  size_t n = 0;
  for (; *s && n < max; s++, n++) {
    if (*s == '\n') fputs("\\n", out);
    else if (*s == '"' || *s == '\\') fprintf(out, "\\%c", *s);
    else fputc(*s, out);
  }
  if (*s) fputs("...", out);
  fputc('"', out);
}

static void tl_template__idx(FILE *out, const char *key, uint32_t v) {
  if (v == TL_NONE) fprintf(out, " %s=-", key);
  else fprintf(out, " %s=%u", key, v);
}

void tl_template_dump(const tl_template *t, FILE *out) {
  for (size_t i = 0; i < t->sections.len; i++) {
    const tl_tsection *s = &t->sections.items[i].pub;
    fprintf(out, "section %zu h%u %u-%u", i, s->level, s->span.start, s->span.end);
    tl_template__idx(out, "parent", s->parent);
    tl_template__idx(out, "cond", s->condition);
    tl_template__idx(out, "repeat", s->repeat);
    fputc(' ', out);
    tl_template__quote(out, s->text, 60);
    if (s->wildcard) fputs(" wildcard", out);
    if (s->elicit) fputs(" elicit", out);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->instructions.len; i++) {
    const tl_tinstruction *x = &t->instructions.items[i];
    fprintf(out, "instruction %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    fputs(x->bare ? " bare " : " ", out);
    tl_template__quote(out, x->text, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->rules.len; i++) {
    const tl_trule *x = &t->rules.items[i];
    fprintf(out, "rule %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    fprintf(out, "%s ", x->in_instruction ? " in-instruction" : "");
    tl_template__quote(out, x->text, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->placeholders.len; i++) {
    const tl_tplaceholder *x = &t->placeholders.items[i];
    fprintf(out, "placeholder %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    fprintf(out, "%s%s%s ", x->flags & GR_FLAG_IN_CODE ? " code" : "",
            x->flags & GR_FLAG_IN_INSTRUCTION ? " instruction" : "",
            x->flags & GR_FLAG_IN_EXAMPLE ? " example" : "");
    tl_template__quote(out, x->name, 60);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->examples.len; i++) {
    const tl_texample *x = &t->examples.items[i];
    fprintf(out, "example %zu %u-%u body=%u-%u", i, x->span.start, x->span.end, x->body.start,
            x->body.end);
    tl_template__idx(out, "sec", x->section);
    fprintf(out, "%s%s%s ", x->is_inline ? " inline" : "", x->has_table ? " table" : "", x->bare ? " bare" : "");
    tl_template__quote(out, x->name, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->repeats.len; i++) {
    const tl_trepeat *x = &t->repeats.items[i];
    fprintf(out, "repeat %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    tl_template__idx(out, "parent", x->parent);
    fputc(' ', out);
    tl_template__quote(out, x->name, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->conditions.len; i++) {
    const tl_tcondition *x = &t->conditions.items[i];
    fprintf(out, "condition %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    tl_template__idx(out, "parent", x->parent);
    fputc(' ', out);
    tl_template__quote(out, x->name, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->ids.len; i++) {
    const tl_tid *x = &t->ids.items[i];
    fprintf(out, "id %zu %u-%u", i, x->span.start, x->span.end);
    tl_template__idx(out, "sec", x->section);
    fputc(' ', out);
    tl_template__quote(out, x->name, 40);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->names.len; i++) {
    fprintf(out, "name %zu ", i);
    tl_template__quote(out, t->names.items[i], 60);
    fputc('\n', out);
  }
  if (t->output) {
    static const char *forms[] = {"none", "front-matter", "location", "default-path", "filename"};
    fprintf(out, "output %s %u-%u ", forms[t->output_form], t->output_span.start,
            t->output_span.end);
    tl_template__quote(out, t->output, 200);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->files.len; i++) {
    fprintf(out, "file %u-%u ", t->files.items[i].span.start, t->files.items[i].span.end);
    tl_template__quote(out, t->files.items[i].path, 200);
    fputc('\n', out);
  }
  if (t->title != TL_NONE) fprintf(out, "title %u\n", t->title);
}

void tl_template_dump_inserts(const tl_template *t, FILE *out) {
  for (uint32_t i = 0; i < (uint32_t)t->sections.len; i++) {
    fprintf(out, "insert section %u ", i);
    tl_template__quote(out, tl_template_section_insert(t, i, 0), 400);
    fputc('\n', out);
    fprintf(out, "snippet section %u ", i);
    tl_template__quote(out, tl_template_section_insert(t, i, 1), 400);
    fputc('\n', out);
  }
  for (uint32_t i = 0; i < (uint32_t)t->repeat_inserts.len; i++) {
    fprintf(out, "insert repeat %u ", i);
    tl_template__quote(out, tl_template_repeat_insert(t, i), 400);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->example_tables.len; i++) {
    if (!t->example_tables.items[i][0]) continue;
    fprintf(out, "table example %zu ", i);
    tl_template__quote(out, t->example_tables.items[i], 400);
    fputc('\n', out);
  }
  for (size_t i = 0; i < t->placeholders.len; i++)
    if (t->placeholders.items[i].example != TL_NONE)
      fprintf(out, "placeholder %zu example %u\n", i, t->placeholders.items[i].example);
}
