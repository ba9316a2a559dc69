#include "server/features/migrate.h"

#include <string.h>

#include "server/features/buf.h"
#include "server/features/yemit.h"

/* ---- the YAML sections, built first, written at the end ----------------- */

/* One YAML section. Index 0 is the root (the top-level `sections` list).
 * Children are linked by index: secs grows while they are built. */
typedef struct mg_sec {
  uint32_t parent, first_kid, last_kid, next;
  char *title;      /* NULL: a section without a title */
  char *block;      /* a section made for a block's text: the block's name */
  char *condition;  /* NULL: none */
  uint8_t repeatable;
  uint8_t level;    /* the heading's level; 0 for the root and sections without a title */
  ft_buf instruction, text;
  GR_ARRAY(char *) examples;
  char *id;
} mg_sec;

typedef struct mg {
  const gr_tree *tree;
  const char *src;
  uint32_t title_node; /* the H1 that gives output.title, or GR_NONE */
  GR_ARRAY(mg_sec) secs;
  /* The ids given so far, an open-addressing table (a template may have
   * thousands of sections, each new id looked up), each with the next
   * suffix to try when it is wanted again ("goals" -> "goals-2", -3...). */
  struct mg_id {
    char *id;
    unsigned next;
  } *ids;
  size_t ids_len, ids_cap;
} mg;

/* Where content goes: new sections under `owner`, text and guidance into
 * `target`, made on first need (a section without a title under owner,
 * carrying the block's flags) when it is TL_NONE. */
typedef struct mg_sink {
  uint32_t owner, target;
  uint8_t repeat;
  const char *cond; /* the conditions of the blocks around, joined; NULL: none */
  const char *block;
  size_t block_len;
} mg_sink;

static uint32_t mg__add(mg *m, uint32_t parent) {
  mg_sec s;
  memset(&s, 0, sizeof s);
  s.parent = parent;
  s.first_kid = s.last_kid = s.next = TL_NONE;
  gr_array_push(&m->secs, s);
  uint32_t i = (uint32_t)(m->secs.len - 1);
  if (parent != TL_NONE) {
    mg_sec *p = &m->secs.items[parent];
    if (p->last_kid == TL_NONE) p->first_kid = i;
    else m->secs.items[p->last_kid].next = i;
    p->last_kid = i;
  }
  return i;
}

static void mg__flags(mg *m, uint32_t i, const mg_sink *k) {
  mg_sec *s = &m->secs.items[i];
  s->repeatable = k->repeat;
  if (k->cond) s->condition = gr_strndup(k->cond, strlen(k->cond));
}

static uint32_t mg__target(mg *m, mg_sink *k) {
  if (k->target != TL_NONE) return k->target;
  uint32_t i = mg__add(m, k->owner);
  mg__flags(m, i, k);
  if (k->block) m->secs.items[i].block = gr_strndup(k->block, k->block_len);
  k->target = i;
  return i;
}

/* ---- text --------------------------------------------------------------- */

static int mg__blank(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') return 0;
  return 1;
}

/* Append s[0..n) with every line end written "\n". */
static void mg__put(ft_buf *b, const char *s, size_t n) {
  size_t from = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\r') continue;
    ft_buf_putn(b, s + from, i - from);
    ft_buf_putn(b, "\n", 1);
    if (i + 1 < n && s[i + 1] == '\n') i++;
    from = i + 1;
  }
  ft_buf_putn(b, s + from, n - from);
}

/* Append the text [from, to) (line ends "\n"), which the nodes from index
 * `first` on cover (pre-order, as the tree stores them), each placeholder
 * in it that runs over lines written on one: YAML templates close a "{{"
 * on its own line, so "{{Define the purpose:\n- a\n- b}}" becomes
 * "{{Define the purpose: - a - b}}". */
static void mg__put_text(const gr_tree *tree, ft_buf *b, uint32_t first, uint32_t from, uint32_t to) {
  const char *src = gr_tree_text(tree);
  uint32_t pos = from, count = gr_tree_count(tree);
  for (uint32_t i = first; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->span.start >= to) break;
    if (n->kind != GR_PLACEHOLDER || n->span.start < pos || n->span.end > to) continue;
    const char *p = src + n->span.start;
    size_t len = n->span.end - n->span.start;
    /* Nested placeholders ("{{outer {{inner}} text}}"): YAML templates pair
     * "{{" with the next "}}", so the inner braces go and their text stays
     * ("{{outer inner text}}"). */
    int nested = n->first_child != GR_NONE;
    if (!nested && !memchr(p, '\n', len) && !memchr(p, '\r', len)) continue;
    mg__put(b, src + pos, n->span.start - pos);
    for (size_t k = 0; k < len;) {
      size_t e = k;
      int brk = 0;
      if (nested && k >= 2 && k + 2 < len && ((p[k] == '{' && p[k + 1] == '{') || (p[k] == '}' && p[k + 1] == '}'))) {
        k += 2;
        continue;
      }
      while (e < len && (p[e] == ' ' || p[e] == '\t' || p[e] == '\n' || p[e] == '\r')) brk |= p[e] == '\n' || p[e] == '\r', e++;
      if (brk) {
        ft_buf_putn(b, " ", 1);
        k = e;
      } else if (e > k) {
        ft_buf_putn(b, p + k, e - k);
        k = e;
      } else {
        ft_buf_putn(b, p + k++, 1);
      }
    }
    pos = n->span.end;
  }
  mg__put(b, src + pos, to - pos);
}

/* A block's text tidied: leading blank lines and trailing blanks gone, each
 * run of blank lines one empty line. A new string (gr_free). */
static char *mg__tidy(const char *s, size_t n) {
  size_t a = 0;
  for (size_t i = 0; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n'); i++)
    if (s[i] == '\n') a = i + 1;
  while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n')) n--;
  ft_buf out = {0};
  int blanks = 0;
  for (size_t p = a; p < n;) {
    const char *nl = memchr(s + p, '\n', n - p);
    size_t q = nl ? (size_t)(nl - s) : n;
    if (mg__blank(s + p, q - p)) {
      blanks++;
    } else {
      if (blanks && out.len) ft_buf_putn(&out, "\n", 1);
      blanks = 0;
      ft_buf_putn(&out, s + p, q - p);
      ft_buf_putn(&out, "\n", 1);
    }
    p = q + 1;
  }
  if (out.len) out.items[--out.len] = '\0'; /* no final line break: the emitter adds the block's own */
  return ft_buf_take(&out);
}

static char *mg__trim(const char *s, size_t n) {
  while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r')) n--;
  ft_buf b = {0};
  mg__put(&b, s, n);
  return ft_buf_take(&b);
}

/* After markup taken out of a section's text: when the rest of its line is
 * blank, the blanks before it on the line go, and when it stood alone on
 * its lines, the line break too. Returns where the text goes on. */
static uint32_t mg__drop_line(mg *m, ft_buf *b, uint32_t pos, uint32_t end) {
  uint32_t q = pos;
  while (q < end && (m->src[q] == ' ' || m->src[q] == '\t')) q++;
  if (q < end && m->src[q] != '\n' && m->src[q] != '\r') return pos;
  size_t t = b->len;
  while (t > 0 && (b->items[t - 1] == ' ' || b->items[t - 1] == '\t')) t--;
  if (b->items) b->items[b->len = t] = '\0';
  if (t > 0 && b->items[t - 1] != '\n') return q;
  if (q < end && m->src[q] == '\r') q++;
  if (q < end && m->src[q] == '\n') q++;
  return q;
}

/* ---- the walk ----------------------------------------------------------- */

static void mg__content(mg *m, uint32_t node, uint32_t from, uint32_t to, mg_sink *k, int in_fence);

static char *mg__join_cond(const char *outer, const char *name, size_t n) {
  ft_buf b = {0};
  if (outer) {
    ft_buf_puts(&b, outer);
    ft_buf_puts(&b, " and ");
  }
  ft_buf_putn(&b, name, n);
  return ft_buf_take(&b);
}

static void mg__section(mg *m, uint32_t node, mg_sink *k) {
  const gr_node *n = gr_tree_node(m->tree, node);
  if (node == m->title_node) {
    /* The title's own text joins whatever came before it: the first
     * section without a title. Its subsections are the top level. */
    mg__content(m, node, n->body.start, n->span.end, k, 0);
    return;
  }
  /* A block inside a section may hold a heading of that section's level
   * or higher ("^^CONDITION: x^^ ## Risks" under "## Goals"): it is the
   * sibling of the section with a lower level, not a subsection. */
  uint32_t owner = k->owner;
  while (owner != 0 && m->secs.items[owner].level >= n->level) owner = m->secs.items[owner].parent;
  uint32_t i = mg__add(m, owner);
  mg__flags(m, i, k);
  m->secs.items[i].level = n->level;
  char *title = m->secs.items[i].title = mg__trim(m->src + n->name.start, n->name.end - n->name.start);
  for (char *q = title; *q; q++)
    if (*q == '\n' || *q == '\t') *q = ' '; /* a setext heading over lines: one title */
  mg_sink inner = {i, i, 0, NULL, NULL, 0};
  mg__content(m, node, n->body.start, n->span.end, &inner, 0);
}

static void mg__block(mg *m, uint32_t node, const gr_node *n, mg_sink *k) {
  mg_sink inner = {k->owner, TL_NONE, k->repeat, k->cond, m->src + n->name.start, n->name.end - n->name.start};
  char *cond = NULL;
  if (n->kind == GR_REPEAT) inner.repeat = 1;
  else inner.cond = cond = mg__join_cond(k->cond, m->src + n->name.start, n->name.end - n->name.start);
  mg__content(m, node, n->body.start, n->body.end, &inner, 0);
  gr_free(cond);
}

/* Copy the text of node's children region [from, to) into k's target,
 * taking the markup out. */
static void mg__content(mg *m, uint32_t node, uint32_t from, uint32_t to, mg_sink *k, int in_fence) {
  const gr_node *p = gr_tree_node(m->tree, node);
  uint32_t pos = from;
  for (uint32_t c = p->first_child; c != GR_NONE; c = gr_tree_node(m->tree, c)->next_sibling) {
    const gr_node *n = gr_tree_node(m->tree, c);
    if (n->span.start < from) continue; /* a placeholder in the heading line */
    if (n->span.start >= to) break;
    if (n->span.start > pos) {
      const char *gap = m->src + pos;
      size_t len = n->span.start - pos;
      if (!mg__blank(gap, len)) mg__target(m, k);
      if (k->target != TL_NONE) mg__put(&m->secs.items[k->target].text, gap, len);
    }
    pos = n->span.start;
    int removed = 1;
    switch (n->kind) {
    case GR_SECTION:
      mg__section(m, c, k);
      removed = 0;
      break;
    case GR_INSTRUCTION: {
      uint32_t t = mg__target(m, k);
      ft_buf raw = {0};
      mg__put_text(m->tree, &raw, c + 1, n->body.start, n->body.end);
      char *body = mg__trim(raw.items ? raw.items : "", raw.len);
      gr_array_free(&raw);
      ft_buf *ins = &m->secs.items[t].instruction;
      if (body[0]) {
        if (ins->len) ft_buf_puts(ins, "\n\n");
        ft_buf_puts(ins, body);
      }
      gr_free(body);
      break;
    }
    case GR_EXAMPLE:
    case GR_EXAMPLE_INLINE: {
      uint32_t t = mg__target(m, k);
      gr_span s = n->kind == GR_EXAMPLE ? n->body : n->name;
      ft_buf raw = {0};
      mg__put_text(m->tree, &raw, c + 1, s.start, s.end);
      char *ex = mg__tidy(raw.items ? raw.items : "", raw.len);
      gr_array_free(&raw);
      if (ex[0]) gr_array_push(&m->secs.items[t].examples, ex);
      else gr_free(ex);
      break;
    }
    case GR_REPEAT:
    case GR_CONDITION:
      if (in_fence) {
        /* Markers in code go; what they hold stays where it is. */
        uint32_t at = n->body.start;
        if (k->target != TL_NONE) at = mg__drop_line(m, &m->secs.items[k->target].text, at, n->body.end);
        mg__content(m, c, at, n->body.end, k, 1);
      } else {
        mg__block(m, c, n, k);
      }
      break;
    case GR_FENCE:
      mg__target(m, k);
      mg__content(m, c, n->span.start, n->span.end, k, 1);
      removed = 0;
      break;
    case GR_FRONT_MATTER:
      break;
    default: /* placeholders, code spans, comments, critical rules: text */
      mg__target(m, k);
      mg__put_text(m->tree, &m->secs.items[k->target].text, c, n->span.start, n->span.end);
      removed = 0;
      break;
    }
    pos = n->span.end;
    if (removed && k->target != TL_NONE) pos = mg__drop_line(m, &m->secs.items[k->target].text, pos, to);
  }
  if (to > pos) {
    const char *gap = m->src + pos;
    if (!mg__blank(gap, to - pos)) mg__target(m, k);
    if (k->target != TL_NONE) mg__put(&m->secs.items[k->target].text, gap, to - pos);
  }
}

/* ---- ids ---------------------------------------------------------------- */

/* Kebab-case of s[0..n): ASCII letters and digits lowercased, every other
 * run of bytes one '-', none at either end, at most 48 bytes (cut at a
 * '-'); placeholders left out when `drop_vars` and anything else remains. */
static char *mg__kebab(const char *s, size_t n, int drop_vars) {
  ft_buf b = {0};
  int dash = 0, closers = 1; /* closers: a "}}" may still follow (else "{{" is text) */
  for (size_t i = 0; i < n; i++) {
    if (drop_vars && closers && s[i] == '{' && i + 1 < n && s[i + 1] == '{') {
      const char *e = strstr(s + i, "}}");
      if (e && (size_t)(e - s) < n) {
        i = (size_t)(e - s) + 1;
        dash = 1;
        continue;
      }
      closers = 0;
    }
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      if (dash && b.len) ft_buf_putn(&b, "-", 1);
      dash = 0;
      ft_buf_putn(&b, &c, 1);
    } else {
      dash = 1;
    }
  }
  if (b.len > 48) {
    size_t cut = 48;
    while (cut > 0 && b.items[cut] != '-') cut--;
    b.items[b.len = cut ? cut : 48] = '\0';
  }
  char *out = ft_buf_take(&b);
  if (!out[0] && drop_vars) {
    gr_free(out);
    return mg__kebab(s, n, 0);
  }
  return out;
}

/* The first line of s, when it reads as the name of a step ("Initial
 * Setup": at most 5 words and 40 bytes, letters, digits, spaces, - & /). */
static char *mg__first_line_id(const char *s) {
  const char *nl = strchr(s, '\n');
  size_t n = nl ? (size_t)(nl - s) : strlen(s), words = 1;
  for (size_t i = 0; i < n; i++) words += s[i] == ' ';
  if (n == 0 || n > 40 || words > 5) return NULL;
  /* A heading-like line only: "Output file location: `x`" names no step. */
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x80 && !strchr(" -&/", s[i]) && !(s[i] >= 'a' && s[i] <= 'z') &&
        !(s[i] >= 'A' && s[i] <= 'Z') && !(s[i] >= '0' && s[i] <= '9'))
      return NULL;
  char *id = mg__kebab(s, n, 1);
  if (!id[0]) {
    gr_free(id);
    return NULL;
  }
  return id;
}

static size_t mg__hash(const char *s) {
  size_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* The entry of `id`, or NULL. */
static struct mg_id *mg__find(mg *m, const char *id) {
  if (!m->ids_cap) return NULL;
  for (size_t h = mg__hash(id) & (m->ids_cap - 1); m->ids[h].id; h = (h + 1) & (m->ids_cap - 1))
    if (strcmp(m->ids[h].id, id) == 0) return &m->ids[h];
  return NULL;
}

/* Add an id not in the table (the table takes it). */
static void mg__add_id(mg *m, char *id) {
  if (2 * (m->ids_len + 1) > m->ids_cap) {
    size_t cap = m->ids_cap ? m->ids_cap * 2 : 64;
    struct mg_id *t = gr_calloc(cap, sizeof *t);
    for (size_t i = 0; i < m->ids_cap; i++) {
      if (!m->ids[i].id) continue;
      size_t h = mg__hash(m->ids[i].id) & (cap - 1);
      while (t[h].id) h = (h + 1) & (cap - 1);
      t[h] = m->ids[i];
    }
    gr_free(m->ids);
    m->ids = t;
    m->ids_cap = cap;
  }
  size_t h = mg__hash(id) & (m->ids_cap - 1);
  while (m->ids[h].id) h = (h + 1) & (m->ids_cap - 1);
  m->ids[h].id = id;
  m->ids[h].next = 2;
  m->ids_len++;
}

static void mg__name(mg *m, uint32_t i) {
  mg_sec *s = &m->secs.items[i];
  char *base = NULL;
  if (s->title) base = mg__kebab(s->title, strlen(s->title), 1);
  else if (s->block) base = mg__kebab(s->block, strlen(s->block), 1);
  else if (s->instruction.len) base = mg__first_line_id(s->instruction.items);
  if (base && !base[0]) {
    gr_free(base);
    base = NULL;
  }
  if (!base) {
    if (s->parent == 0) base = s->title ? gr_strndup("section", 7) : gr_strndup("introduction", 12);
    else {
      ft_buf b = {0};
      ft_buf_printf(&b, "%s-%s", m->secs.items[s->parent].id, s->title ? "section" : "details");
      base = ft_buf_take(&b);
    }
  }
  /* Unique within the template: the first keeps the name, later ones -2, -3. */
  char *id = base;
  struct mg_id *e = mg__find(m, base);
  if (e) {
    unsigned k = e->next;
    for (id = NULL; !id || mg__find(m, id); k++) {
      gr_free(id);
      ft_buf b = {0};
      ft_buf_printf(&b, "%s-%u", base, k);
      id = ft_buf_take(&b);
    }
    mg__find(m, base)->next = k;
    gr_free(base);
  }
  s->id = id;
  mg__add_id(m, id);
  for (uint32_t c = s->first_kid; c != TL_NONE; c = m->secs.items[c].next) mg__name(m, c);
}

/* ---- writing ------------------------------------------------------------ */

static void mg__spaces(ft_buf *b, unsigned n) {
  for (unsigned i = 0; i < n; i++) ft_buf_putn(b, " ", 1);
}

/* Text over several lines ends in a line break, as a `|` block keeps it
 * (the method's own files write `|`, not `|-`). */
static void mg__text_value(ft_buf *b, unsigned indent, const char *s) {
  size_t n = strlen(s);
  if (!memchr(s, '\n', n) || s[n - 1] == '\n') {
    ft_yemit_value(b, indent, s, n);
    return;
  }
  ft_buf t = {0};
  ft_buf_putn(&t, s, n);
  ft_buf_putn(&t, "\n", 1);
  ft_yemit_value(b, indent, t.items, t.len);
  gr_array_free(&t);
}

static void mg__text_pair(ft_buf *b, unsigned indent, const char *key, const char *s) {
  mg__spaces(b, indent);
  ft_buf_puts(b, key);
  ft_buf_putn(b, ":", 1);
  mg__text_value(b, indent + 2, s);
}

static void mg__write(mg *m, ft_buf *b, uint32_t i, unsigned ind) {
  mg_sec *s = &m->secs.items[i];
  mg__spaces(b, ind);
  ft_buf_puts(b, "- id:");
  ft_yemit_value(b, ind + 4, s->id, strlen(s->id));
  unsigned k = ind + 2;
  if (s->title) ft_yemit_pair(b, k, "title", s->title, strlen(s->title));
  if (s->condition) ft_yemit_pair(b, k, "condition", s->condition, strlen(s->condition));
  if (s->repeatable) {
    mg__spaces(b, k);
    ft_buf_puts(b, "repeatable: true\n");
  }
  if (s->instruction.len) mg__text_pair(b, k, "instruction", s->instruction.items);
  char *text = mg__tidy(s->text.items ? s->text.items : "", s->text.len);
  if (text[0]) mg__text_pair(b, k, "template", text);
  gr_free(text);
  if (s->examples.len) {
    mg__spaces(b, k);
    ft_buf_puts(b, "examples:\n");
    for (size_t e = 0; e < s->examples.len; e++) {
      mg__spaces(b, k + 2);
      ft_buf_puts(b, "-");
      mg__text_value(b, k + 4, s->examples.items[e]);
    }
  }
  if (s->first_kid != TL_NONE) {
    mg__spaces(b, k);
    ft_buf_puts(b, "sections:\n");
    for (uint32_t c = s->first_kid; c != TL_NONE; c = m->secs.items[c].next) mg__write(m, b, c, k + 2);
  }
}

/* The file's base name without "-tmpl..." / ".tmpl..." and ".md". */
static char *mg__base(const char *path) {
  if (!path) path = "template";
  const char *slash = strrchr(path, '/');
  const char *name = slash ? slash + 1 : path;
  size_t n = strlen(name);
  if (n > 3 && strcmp(name + n - 3, ".md") == 0) n -= 3;
  for (size_t i = 0; i + 5 <= n; i++) {
    if ((name[i] == '-' || name[i] == '.') && strncmp(name + i + 1, "tmpl", 4) == 0 &&
        (i + 5 == n || name[i + 5] == '.' || name[i + 5] == '-')) {
      n = i;
      break;
    }
  }
  char *k = mg__kebab(name, n, 0);
  if (!k[0]) {
    gr_free(k);
    k = gr_strndup("template", 8);
  }
  return k;
}

/* template.name: the title without its placeholders and the punctuation
 * they leave at either end ("{{Project Name}} - PRD" -> "PRD"). */
static char *mg__display_name(const char *title) {
  ft_buf b = {0};
  int closers = 1;
  for (const char *p = title; *p;) {
    const char *e;
    if (closers && p[0] == '{' && p[1] == '{') {
      if ((e = strstr(p, "}}"))) {
        p = e + 2;
        continue;
      }
      closers = 0;
    }
    if (*p == ' ' && (b.len == 0 || b.items[b.len - 1] == ' ')) {
      p++;
      continue;
    }
    ft_buf_putn(&b, p++, 1);
  }
  char *s = ft_buf_take(&b);
  size_t a = 0, n = strlen(s);
  while (a < n && strchr(" -:|,", s[a])) a++;
  while (n > a && strchr(" -:|,", s[n - 1])) n--;
  char *out = n > a ? gr_strndup(s + a, n - a) : gr_strndup(title, strlen(title));
  gr_free(s);
  return out;
}

char *ft_migrate_yaml(const gr_tree *tree, const tl_template *t, const char *path, size_t *len) {
  mg m;
  memset(&m, 0, sizeof m);
  m.tree = tree;
  m.src = gr_tree_text(tree);
  m.title_node = GR_NONE;
  uint32_t ts = tl_template_title(t);
  char *title = NULL;
  if (ts != TL_NONE) {
    const tl_tsection *sec = tl_template_section(t, ts);
    m.title_node = sec->node;
    title = mg__trim(sec->text, strlen(sec->text));
    for (char *q = title; *q; q++)
      if (*q == '\n' || *q == '\t') *q = ' ';
  }
  mg__add(&m, TL_NONE); /* the root */
  mg_sink top = {0, TL_NONE, 0, NULL, NULL, 0};
  mg__content(&m, 0, 0, gr_tree_len(tree), &top, 0);
  m.secs.items[0].id = NULL;
  for (uint32_t c = m.secs.items[0].first_kid; c != TL_NONE; c = m.secs.items[c].next) mg__name(&m, c);

  char *base = mg__base(path);
  ft_buf b = {0};
  ft_buf_puts(&b, "template:\n");
  ft_buf_printf(&b, "  id: %s-template-v2\n", base);
  char *name = NULL;
  if (title) {
    name = mg__display_name(title);
  } else {
    name = gr_strndup(base, strlen(base));
    for (char *p = name; *p; p++) if (*p == '-') *p = ' ';
    if (name[0] >= 'a' && name[0] <= 'z') name[0] = (char)(name[0] - 'a' + 'A');
  }
  ft_yemit_pair(&b, 2, "name", name, strlen(name));
  gr_free(name);
  ft_buf_puts(&b, "  version: 2.0\n  output:\n    format: markdown\n");
  const char *out = tl_template_output(t, NULL, NULL);
  if (out && out[0]) {
    ft_yemit_pair(&b, 4, "filename", out, strlen(out));
  } else {
    ft_buf_puts(&b, "    # The Markdown template names no output file: this one is a guess.\n");
    ft_buf_printf(&b, "    filename: docs/%s.md\n", base);
  }
  if (title && title[0]) ft_yemit_pair(&b, 4, "title", title, strlen(title));
  gr_free(title);
  gr_free(base);
  ft_buf_puts(&b, "\n");
  if (m.secs.items[0].first_kid == TL_NONE) {
    ft_buf_puts(&b, "sections: []\n");
  } else {
    ft_buf_puts(&b, "sections:\n");
    for (uint32_t c = m.secs.items[0].first_kid; c != TL_NONE; c = m.secs.items[c].next) {
      mg__write(&m, &b, c, 2);
      if (m.secs.items[c].next != TL_NONE) ft_buf_puts(&b, "\n");
    }
  }

  for (size_t i = 0; i < m.secs.len; i++) {
    mg_sec *s = &m.secs.items[i];
    gr_free(s->title);
    gr_free(s->block);
    gr_free(s->condition);
    gr_array_free(&s->instruction);
    gr_array_free(&s->text);
    for (size_t e = 0; e < s->examples.len; e++) gr_free(s->examples.items[e]);
    gr_array_free(&s->examples);
  }
  for (size_t i = 0; i < m.ids_cap; i++) gr_free(m.ids[i].id);
  gr_free(m.ids);
  gr_array_free(&m.secs);
  if (len) *len = b.len;
  return ft_buf_take(&b);
}

char *ft_migrate_target(const char *path) {
  size_t n = strlen(path);
  ft_buf b = {0};
  if (n > 3 && strcmp(path + n - 3, ".md") == 0) n -= 3;
  ft_buf_putn(&b, path, n);
  ft_buf_puts(&b, ".yaml");
  return ft_buf_take(&b);
}
