/*
 * ytmpl.c: the BMAD template view over a yt_tree (see ytmpl.h): header,
 * sections, {{vars}} and the template checks.
 *
 * What the checks know comes from two places: the method's spec
 * (common/utils/bmad-doc-template.md) and what the 299 real templates of
 * ../shared/corpus/bmad-method-yaml/ use. A key, type, mermaid_type or mode
 * that real templates use is never reported, even where the spec omits it
 * (`code`, `checklist`, `language`, `columns`, mermaid_type `graph`, mode
 * `guided`...); a value near a known one ("did you mean") is what an
 * author misspelt. Counts are in the tables' comments.
 */
#include "yaml/ytmpl.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

typedef struct yt__tdiag {
  yt_diag diag;
  size_t msg_off, sug_off; /* into msgs until the view is built; SIZE_MAX for no suggestion */
} yt__tdiag;

struct yt_tmpl {
  yt_tree *tree;
  const char *text;
  int is_template;
  yt_header header;
  GR_ARRAY(yt_section) sections;
  GR_ARRAY(yt_var) vars;
  GR_ARRAY(yt__tdiag) tdiags;
  GR_ARRAY(yt_diag) diags; /* the tree's and the view's, in text order */
  GR_ARRAY(char) msgs;
  gr_lines *lines; /* built on the first message that names a line */
  uint8_t *skey;   /* while the view is built: each node's key as a yt_skey, YT__SKEY_UNSEEN until looked up */
};

#define YT__SKEY_UNSEEN 0xFF

/* ---- names --------------------------------------------------------------- */

/* NULL-terminated too, for yt__nearest */
static const char *const yt__skey_names[YT_SKEY_COUNT + 1] = {
#define YT__XX(id, str) str,
    YT_SECTION_KEYS(YT__XX)
#undef YT__XX
};

static const char *const yt__stype_names[YT_TYPE_COUNT + 1] = {
    "", "?",
#define YT__XX(id, str) str,
    YT_SECTION_TYPES(YT__XX)
#undef YT__XX
};

const char *yt_skey_name(yt_skey key) { return key < YT_SKEY_COUNT ? yt__skey_names[key] : "?"; }

/* a[0..n) is the NUL-terminated b: stops at the first difference (the
 * key and type lookups compare every key of every section with each name) */
static int yt__eq(const char *a, size_t n, const char *b) {
  for (size_t i = 0; i < n; i++)
    if (b[i] != a[i] || b[i] == '\0') return 0;
  return b[n] == '\0';
}

/* The names' lengths: a lookup compares only the names of the key's length
 * and first byte (every key of every section is looked up, on every edit). */
static const uint8_t yt__skey_lens[YT_SKEY_COUNT] = {
#define YT__XX(id, str) sizeof(str) - 1,
    YT_SECTION_KEYS(YT__XX)
#undef YT__XX
};

static const uint8_t yt__stype_lens[YT_TYPE_COUNT] = {
    0, 1,
#define YT__XX(id, str) sizeof(str) - 1,
    YT_SECTION_TYPES(YT__XX)
#undef YT__XX
};

/* s[0..len) is names[k], whose length is lens[k] (a name holds no NUL, so
 * this is yt__eq) */
static int yt__eq_len(const char *s, size_t len, const char *name, uint8_t name_len) {
  return len == name_len && s[0] == name[0] && memcmp(s, name, len) == 0;
}

yt_skey yt_skey_lookup(const char *s, size_t len) {
  if (len == 0) return YT_SKEY_COUNT; /* no name is empty */
  for (int k = 0; k < YT_SKEY_COUNT; k++)
    if (yt__eq_len(s, len, yt__skey_names[k], yt__skey_lens[k])) return (yt_skey)k;
  return YT_SKEY_COUNT;
}

const char *yt_stype_name(yt_stype type) { return type < YT_TYPE_COUNT ? yt__stype_names[type] : "?"; }

yt_stype yt_stype_lookup(const char *s, size_t len) {
  if (len == 0) return YT_TYPE_OTHER;
  for (int k = YT_TYPE_OTHER + 1; k < YT_TYPE_COUNT; k++)
    if (yt__eq_len(s, len, yt__stype_names[k], yt__stype_lens[k])) return (yt_stype)k;
  return YT_TYPE_OTHER;
}

/*
 * Section keys real templates use that the view does not model: no
 * unknown-key for them. (Counts over the corpus: name 54, description 44,
 * section_id / section_title / section_type 50 each, subsections 41,
 * required 29, section_template 12, elicitation_questions 11,
 * table_headers 7, custom_elicitation 6, note 2, table_guidance 2,
 * min_items / max_items 2, rating-scale 10.)
 */
static const char *const yt__quiet_section_keys[] = {
    "name",        "description",      "section_id",  "section_title", "section_type",
    "subsections", "required",         "section_template", "elicitation_questions",
    "table_headers", "custom_elicitation", "note",     "table_guidance", "min_items",
    "max_items",   "rating-scale", NULL};

/* Keys of `template:`, `template.output:` and `workflow:` (spec and corpus). */
static const char *const yt__template_keys[] = {"id", "name", "version", "description", "output",
                                                "type", "category", "sections", NULL};
static const char *const yt__output_keys[] = {"format", "filename", "title", "append_mode", NULL};
static const char *const yt__workflow_keys[] = {"mode", "elicitation", "allow_skip",
                                                "custom_elicitation", "instruction",
                                                "mode_selection", "trigger", "validation", NULL};
/* Top-level keys: reported only when near one of the three the format has. */
static const char *const yt__top_keys[] = {"template", "workflow", "sections", NULL};

/* workflow.mode: the spec's two, and those real templates use (guided 16,
 * non-interactive 4, rapid 3, automated 1, structured 1). */
static const char *const yt__modes[] = {"interactive", "yolo", "guided", "non-interactive",
                                        "rapid", "automated", "structured", NULL};

/* mermaid_type: the spec's, and graph (55 real uses) and sequence (37). */
static const char *const yt__mermaid_types[] = {
    "flowchart", "sequenceDiagram", "classDiagram", "stateDiagram", "erDiagram", "gantt",
    "pie",       "journey",         "mindmap",      "timeline",     "quadrantChart", "xyChart",
    "sankey",    "c4Context",       "requirement",  "packet",       "block",   "kanban",
    "graph",     "sequence",        NULL};

const char *const *yt_names_list(yt_names which) {
  static const char *const none[] = {NULL};
  switch (which) {
    case YT_NAMES_TOP_KEYS: return yt__top_keys;
    case YT_NAMES_TEMPLATE_KEYS: return yt__template_keys;
    case YT_NAMES_OUTPUT_KEYS: return yt__output_keys;
    case YT_NAMES_WORKFLOW_KEYS: return yt__workflow_keys;
    case YT_NAMES_QUIET_SECTION_KEYS: return yt__quiet_section_keys;
    case YT_NAMES_MODES: return yt__modes;
    case YT_NAMES_MERMAID_TYPES: return yt__mermaid_types;
    default: return none;
  }
}

/* ---- did you mean -------------------------------------------------------- */

static size_t yt__distance(const char *a, size_t n, const char *b, size_t m) {
  size_t row[65];
  if (n > 64 || m > 64) return SIZE_MAX;
  for (size_t j = 0; j <= m; j++) row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) &&
                            !(a[i - 1] == '_' || b[j - 1] == '_' || a[i - 1] == '-' || b[j - 1] == '-')
                        ? 0
                    : ((a[i - 1] == '_' || a[i - 1] == '-' || a[i - 1] == ' ') &&
                       (b[j - 1] == '_' || b[j - 1] == '-' || b[j - 1] == ' '))
                        ? (a[i - 1] == b[j - 1] ? 0 : 1)
                        : 1;
      size_t best = diag + cost;
      if (up + 1 < best) best = up + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  return row[m];
}

/*
 * The known word nearest to s[0..n): within 2 edits (1 for words of 4
 * letters or fewer), or one is the other's start (repeat / repeatable,
 * instructions / instruction) with 4 letters at least. NULL when none.
 */
static const char *yt__nearest(const char *s, size_t n, const char *const *words,
                               const char *const *more) {
  const char *best = NULL;
  size_t best_d = SIZE_MAX;
  for (int pass = 0; pass < 2; pass++) {
    const char *const *list = pass ? more : words;
    for (size_t i = 0; list && list[i]; i++) {
      size_t m = strlen(list[i]);
      size_t d = yt__distance(s, n, list[i], m);
      size_t limit = (n <= 4 || m <= 4) ? 1 : 2;
      if (d > limit) {
        /* a word cut short (repeat for repeatable), not one made longer */
        if (n >= 4 && n < m && strncmp(s, list[i], n) == 0) d = limit;
        else continue;
      }
      if (d < best_d) best_d = d, best = list[i];
    }
  }
  return best;
}

static int yt__in(const char *s, size_t n, const char *const *words) {
  for (size_t i = 0; words[i]; i++)
    if (yt__eq(s, n, words[i])) return 1;
  return 0;
}

/* ---- building ------------------------------------------------------------ */

static const yt_node *yt__n(const yt_tmpl *tm, uint32_t i) { return yt_tree_node(tm->tree, i); }

/* yt_skey_lookup of node i's key, looked up once per view (the sections'
 * keys are read, checked and scanned for vars: three lookups each). */
static yt_skey yt__skey_of(yt_tmpl *tm, uint32_t i) {
  if (tm->skey[i] == YT__SKEY_UNSEEN) {
    const yt_node *x = yt__n(tm, i);
    tm->skey[i] = (uint8_t)yt_skey_lookup(x->key_text, x->key_len);
  }
  return (yt_skey)tm->skey[i];
}

static void yt__diag(yt_tmpl *tm, yt_diag_code code, gr_span span, uint32_t node,
                     const char *suggestion, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void yt__diag(yt_tmpl *tm, yt_diag_code code, gr_span span, uint32_t node,
                     const char *suggestion, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  yt__tdiag d;
  d.diag = (yt_diag){code, yt_diag_code_severity(code), span, node, NULL, NULL};
  d.msg_off = tm->msgs.len;
  gr_array_reserve(&tm->msgs, (size_t)n + 1);
  memcpy(tm->msgs.items + tm->msgs.len, buf, (size_t)n);
  tm->msgs.len += (size_t)n;
  gr_array_push(&tm->msgs, '\0');
  d.sug_off = SIZE_MAX;
  if (suggestion) {
    size_t m = strlen(suggestion);
    d.sug_off = tm->msgs.len;
    gr_array_reserve(&tm->msgs, m + 1);
    memcpy(tm->msgs.items + tm->msgs.len, suggestion, m + 1);
    tm->msgs.len += m + 1;
  }
  gr_array_push(&tm->tdiags, d);
}

/* A value's span to point at: the value, or its key when the value is empty. */
static gr_span yt__at(const yt_node *n) {
  if (n->span.end > n->span.start || !n->key_text) return n->span;
  return n->key;
}

static uint32_t yt__line_of(yt_tmpl *tm, uint32_t off) {
  if (!tm->lines) tm->lines = gr_lines_new(tm->text, yt_tree_len(tm->tree));
  return gr_lines_line_of(tm->lines, off) + 1;
}

static int yt__is_null(const yt_node *n) {
  return n->kind == YT_SCALAR && n->style == YT_STYLE_PLAIN &&
         (n->value_len == 0 || yt__eq(n->value, n->value_len, "~") ||
          yt__eq(n->value, n->value_len, "null") || yt__eq(n->value, n->value_len, "Null") ||
          yt__eq(n->value, n->value_len, "NULL"));
}

int yt_tmpl_bool(const yt_tmpl *tm, uint32_t node) {
  const yt_node *n = node == YT_NONE ? NULL : yt__n(tm, node);
  if (!n || n->kind != YT_SCALAR) return -1;
  static const char *const yes[] = {"true", "yes", "on", "y", NULL};
  static const char *const no[] = {"false", "no", "off", "n", NULL};
  if (n->value_len > 5) return -1;
  char low[6];
  for (uint32_t i = 0; i < n->value_len; i++) low[i] = (char)tolower((unsigned char)n->value[i]);
  for (int i = 0; yes[i]; i++)
    if (yt__eq(low, n->value_len, yes[i])) return 1;
  for (int i = 0; no[i]; i++)
    if (yt__eq(low, n->value_len, no[i])) return 0;
  return -1;
}

const char *yt_tmpl_str(const yt_tmpl *tm, uint32_t node, uint32_t *len) {
  const yt_node *n = node == YT_NONE ? NULL : yt__n(tm, node);
  if (!n || n->kind != YT_SCALAR) return NULL;
  if (len) *len = n->value_len;
  return n->value;
}

/* Duplicate keys in every mapping of the tree (a resumed copy is recovery's, not the author's). */
static void yt__check_duplicate_keys(yt_tmpl *tm) {
  uint32_t count = yt_tree_count(tm->tree);
  for (uint32_t i = 0; i < count; i++) {
    const yt_node *m = yt__n(tm, i);
    if (m->kind != YT_MAPPING || m->child_count < 2) continue;
    /* Mappings are small (a section has a dozen keys): pairwise is fine,
     * but bound it so a 100k-key mapping stays linear-ish. */
    uint32_t seen = 0;
    for (uint32_t c = m->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling, seen++) {
      const yt_node *x = yt__n(tm, c);
      if (seen > 256 || (x->flags & (YT_FLAG_RESUMED | YT_FLAG_COMPLEX_KEY))) continue;
      for (uint32_t d = m->first_child; d != c; d = yt__n(tm, d)->next_sibling) {
        const yt_node *y = yt__n(tm, d);
        if (y->key_len == x->key_len && memcmp(y->key_text, x->key_text, x->key_len) == 0) {
          yt__diag(tm, YT_DIAG_DUPLICATE_KEY, x->key, c, NULL,
                   "'%s' is already a key of this mapping (line %u): a YAML loader keeps only "
                   "the last one",
                   x->key_text, yt__line_of(tm, y->key.start));
          break;
        }
      }
    }
  }
}

/* Keys of a header mapping: unknown ones near a known one. */
static void yt__check_keys(yt_tmpl *tm, uint32_t map, const char *const *known, const char *where,
                           int only_near) {
  const yt_node *m = map == YT_NONE ? NULL : yt__n(tm, map);
  if (!m || m->kind != YT_MAPPING) return;
  for (uint32_t c = m->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling) {
    const yt_node *x = yt__n(tm, c);
    if (x->flags & YT_FLAG_COMPLEX_KEY) continue;
    if (yt__in(x->key_text, x->key_len, known)) continue;
    const char *near = yt__nearest(x->key_text, x->key_len, known, NULL);
    if (near)
      yt__diag(tm, YT_DIAG_UNKNOWN_KEY, x->key, c, near,
               "unknown key '%s' in %s — did you mean '%s'?", x->key_text, where, near);
    else if (!only_near)
      yt__diag(tm, YT_DIAG_UNKNOWN_KEY, x->key, c, NULL, "unknown key '%s' in %s", x->key_text,
               where);
  }
}

static void yt__wrong_type(yt_tmpl *tm, uint32_t node, const char *what) {
  const yt_node *n = yt__n(tm, node);
  yt__diag(tm, YT_DIAG_WRONG_TYPE, yt__at(n), node, NULL, "%s%s%s", n->key_text ? "'" : "",
           n->key_text ? n->key_text : "", what);
}

static int yt__scalar_list(const yt_tmpl *tm, const yt_node *n) {
  if (n->kind != YT_SEQUENCE) return 0;
  for (uint32_t c = n->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling)
    if (yt__n(tm, c)->kind == YT_MAPPING) return 0;
  return 1;
}

/* The value checks of one section. */
static void yt__check_section(yt_tmpl *tm, uint32_t si) {
  yt_section *s = &tm->sections.items[si];
  if (s->flags & YT_SEC_NOT_MAPPING) return;
  static const yt_skey bools[] = {YT_SKEY_ELICIT, YT_SKEY_REPEATABLE, YT_SKEY_READONLY,
                                  YT_SKEY_OPTIONAL};
  for (size_t b = 0; b < sizeof bools / sizeof bools[0]; b++) {
    uint32_t v = s->keys[bools[b]];
    if (v == YT_NONE) continue;
    const yt_node *n = yt__n(tm, v);
    /* a quoted "true" is a string to a loader, but every reader takes it for true */
    if (yt_tmpl_bool(tm, v) < 0 && !yt__is_null(n))
      yt__wrong_type(tm, v, "' must be true or false");
  }
  static const yt_skey lists[] = {YT_SKEY_EXAMPLES, YT_SKEY_EDITORS, YT_SKEY_COLUMNS};
  for (size_t b = 0; b < sizeof lists / sizeof lists[0]; b++) {
    uint32_t v = s->keys[lists[b]];
    if (v == YT_NONE) continue;
    const yt_node *n = yt__n(tm, v);
    if (n->kind != YT_SEQUENCE && !yt__is_null(n))
      yt__wrong_type(tm, v, lists[b] == YT_SKEY_EXAMPLES ? "' must be a list (- \"...\" items)"
                                                         : "' must be a list ([a, b] or - items)");
  }
  uint32_t ch = s->keys[YT_SKEY_CHOICES];
  if (ch != YT_NONE) {
    /* a mapping of name -> list (the spec), or one flat list of options (the
     * method's own story template: choices: [Draft, Approved, ...]) */
    const yt_node *n = yt__n(tm, ch);
    int ok = yt__scalar_list(tm, n) || yt__is_null(n);
    if (n->kind == YT_MAPPING) {
      ok = 1;
      for (uint32_t c = n->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling)
        if (!yt__scalar_list(tm, yt__n(tm, c))) {
          const yt_node *x = yt__n(tm, c);
          if (yt__skey_of(tm, c) != YT_SKEY_COUNT)
            yt__diag(tm, YT_DIAG_WRONG_TYPE, x->key, c, NULL,
                     "'%s' is indented under 'choices', so it is read as a choice — indent it "
                     "like 'choices' to make it the section's",
                     x->key_text);
          else
            yt__wrong_type(tm, c, "' must be a list of options ([A, B, C])");
        }
    }
    if (!ok) yt__wrong_type(tm, ch, "' must map each choice to its options (name: [A, B, C])");
  }
  static const yt_skey scalars[] = {YT_SKEY_ID,   YT_SKEY_TITLE,        YT_SKEY_TYPE,
                                    YT_SKEY_CONDITION, YT_SKEY_MERMAID_TYPE, YT_SKEY_PREFIX,
                                    YT_SKEY_INSTRUCTION};
  for (size_t b = 0; b < sizeof scalars / sizeof scalars[0]; b++) {
    uint32_t v = s->keys[scalars[b]];
    if (v == YT_NONE) continue;
    const yt_node *n = yt__n(tm, v);
    if (n->kind == YT_MAPPING || n->kind == YT_SEQUENCE)
      yt__wrong_type(tm, v, "' must be a text value, not a list or mapping");
  }
  uint32_t sec = s->keys[YT_SKEY_SECTIONS];
  if (sec != YT_NONE) {
    const yt_node *n = yt__n(tm, sec);
    if (n->kind != YT_SEQUENCE && !yt__is_null(n))
      yt__wrong_type(tm, sec, "' must be a list of sections (- id: ...)");
  }
  /* type and mermaid_type values */
  uint32_t ty = s->keys[YT_SKEY_TYPE];
  if (ty != YT_NONE && yt__n(tm, ty)->kind == YT_SCALAR && !yt__is_null(yt__n(tm, ty))) {
    const yt_node *n = yt__n(tm, ty);
    if (s->type == YT_TYPE_OTHER) {
      const char *near = yt__nearest(n->value, n->value_len, yt__stype_names + 2, NULL);
      if (near)
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, n->span, ty, near,
                 "unknown section type '%s' — did you mean '%s'?", n->value, near);
      else
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, n->span, ty, NULL,
                 "unknown section type '%s' (bullet-list, numbered-list, paragraphs, table, "
                 "code, mermaid, template-text, ...)",
                 n->value);
    }
  }
  uint32_t mt = s->keys[YT_SKEY_MERMAID_TYPE];
  if (mt != YT_NONE && yt__n(tm, mt)->kind == YT_SCALAR && !yt__is_null(yt__n(tm, mt))) {
    const yt_node *n = yt__n(tm, mt);
    if (!yt__in(n->value, n->value_len, yt__mermaid_types)) {
      const char *near = yt__nearest(n->value, n->value_len, yt__mermaid_types, NULL);
      if (near)
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, n->span, mt, near,
                 "'%s' is not a mermaid diagram type — did you mean '%s'?", n->value, near);
      else
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, n->span, mt, NULL,
                 "'%s' is not a mermaid diagram type (flowchart, sequenceDiagram, classDiagram, "
                 "erDiagram, gantt, ...)",
                 n->value);
    }
  }
  /* unknown keys */
  const yt_node *m = yt__n(tm, s->node);
  for (uint32_t c = m->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling) {
    const yt_node *x = yt__n(tm, c);
    if (x->flags & YT_FLAG_COMPLEX_KEY) continue;
    if (yt__skey_of(tm, c) != YT_SKEY_COUNT ||
        yt__in(x->key_text, x->key_len, yt__quiet_section_keys))
      continue;
    const char *near = yt__nearest(x->key_text, x->key_len, yt__skey_names, yt__quiet_section_keys);
    if (near)
      yt__diag(tm, YT_DIAG_UNKNOWN_KEY, x->key, c, near,
               "unknown section key '%s' — did you mean '%s'?", x->key_text, near);
    else
      yt__diag(tm, YT_DIAG_UNKNOWN_KEY, x->key, c, NULL, "unknown section key '%s'", x->key_text);
  }
}

/* Read the sections list at `list` (parent section `parent`, depth). Iterative over an explicit stack. */
static void yt__read_sections(yt_tmpl *tm, uint32_t top_list) {
  typedef struct {
    uint32_t item;   /* next item node of the list */
    uint32_t parent; /* section index or YT_NONE */
    uint32_t last;   /* last section read at this level */
    uint16_t depth;
  } lvl;
  GR_ARRAY(lvl) stack = {0};
  const yt_node *l = yt__n(tm, top_list);
  if (l->kind != YT_SEQUENCE) return;
  lvl first = {l->first_child, YT_NONE, YT_NONE, 0};
  gr_array_push(&stack, first);
  while (stack.len) {
    lvl *cur = &stack.items[stack.len - 1];
    if (cur->item == YT_NONE) {
      stack.len--;
      continue;
    }
    uint32_t item = cur->item;
    cur->item = yt__n(tm, item)->next_sibling;
    yt_section s;
    memset(&s, 0, sizeof s);
    s.node = item;
    s.parent = cur->parent;
    s.first_child = s.next_sibling = YT_NONE;
    s.depth = cur->depth;
    for (int k = 0; k < YT_SKEY_COUNT; k++) s.keys[k] = YT_NONE;
    uint32_t si = (uint32_t)tm->sections.len;
    if (cur->last != YT_NONE) tm->sections.items[cur->last].next_sibling = si;
    else if (cur->parent != YT_NONE) tm->sections.items[cur->parent].first_child = si;
    cur->last = si;
    const yt_node *m = yt__n(tm, item);
    uint16_t depth = cur->depth;
    if (m->kind != YT_MAPPING) {
      s.flags = YT_SEC_NOT_MAPPING;
      gr_array_push(&tm->sections, s);
      if (!yt__is_null(m))
        yt__diag(tm, YT_DIAG_WRONG_TYPE, m->span.end > m->span.start ? m->span : m->span, item, NULL,
                 "a section must be a mapping of keys (id, title, ...), not %s",
                 m->kind == YT_SEQUENCE ? "a list" : "a text value");
      continue;
    }
    for (uint32_t c = m->first_child; c != YT_NONE; c = yt__n(tm, c)->next_sibling) {
      const yt_node *x = yt__n(tm, c);
      yt_skey k = yt__skey_of(tm, c);
      if (k != YT_SKEY_COUNT && (s.keys[k] == YT_NONE || !(x->flags & YT_FLAG_RESUMED)))
        s.keys[k] = c;
    }
    if (s.keys[YT_SKEY_TYPE] != YT_NONE) {
      const yt_node *t = yt__n(tm, s.keys[YT_SKEY_TYPE]);
      s.type = t->kind == YT_SCALAR && !yt__is_null(t) ? yt_stype_lookup(t->value, t->value_len)
                                                       : YT_TYPE_NONE;
    }
    if (yt_tmpl_bool(tm, s.keys[YT_SKEY_REPEATABLE]) == 1) s.flags |= YT_SEC_REPEATABLE;
    if (yt_tmpl_bool(tm, s.keys[YT_SKEY_ELICIT]) == 1) s.flags |= YT_SEC_ELICIT;
    if (yt_tmpl_bool(tm, s.keys[YT_SKEY_READONLY]) == 1) s.flags |= YT_SEC_READONLY;
    if (yt_tmpl_bool(tm, s.keys[YT_SKEY_OPTIONAL]) == 1) s.flags |= YT_SEC_OPTIONAL;
    uint32_t sub = s.keys[YT_SKEY_SECTIONS];
    gr_array_push(&tm->sections, s);
    if (sub != YT_NONE && yt__n(tm, sub)->kind == YT_SEQUENCE && depth < 1000) {
      lvl next = {yt__n(tm, sub)->first_child, si, YT_NONE, (uint16_t)(depth + 1)};
      gr_array_push(&stack, next);
    }
  }
  gr_array_free(&stack);
}

/* ---- placeholders -------------------------------------------------------- */

/* Scan scalar `node` (of section si, under key k) for {{vars}}. */
static void yt__scan_vars(yt_tmpl *tm, uint32_t node, uint32_t si, uint8_t key) {
  const yt_node *n = yt__n(tm, node);
  const char *t = tm->text;
  uint32_t i = n->span.start, end = n->span.end;
  while (i + 1 < end) {
    const char *p = memchr(t + i, '{', end - i - 1);
    if (!p) break;
    i = (uint32_t)(p - t);
    if (t[i + 1] != '{') {
      i++;
      continue;
    }
    uint32_t open = i;
    while (i + 2 < end && t[i + 2] == '{') i++, open++; /* "{{{x}}}": the last "{{" opens */
    uint32_t j = open + 2, close = UINT32_MAX;
    for (; j + 1 < end && t[j] != '\n' && t[j] != '\r'; j++) {
      if (t[j] == '}' && t[j + 1] == '}') {
        close = j;
        break;
      }
      if (t[j] == '{' && t[j + 1] == '{') break;
    }
    yt_var v;
    v.node = node;
    v.section = si;
    v.key = key;
    v.flags = 0;
    if (close == UINT32_MAX) {
      uint32_t e = j;
      while (e > open + 2 && (t[e - 1] == ' ' || t[e - 1] == '"' || t[e - 1] == '\''))
        e--;
      v.span = (gr_span){open, e > open + 2 ? e : open + 2};
      v.name = (gr_span){open + 2, open + 2};
      v.flags = YT_VAR_UNTERMINATED;
      gr_array_push(&tm->vars, v);
      if (tm->is_template)
        yt__diag(tm, YT_DIAG_UNTERMINATED_PLACEHOLDER, (gr_span){open, open + 2}, node, NULL,
               "'{{' is never closed by '}}' on its line");
      i = open + 2;
      continue;
    }
    uint32_t a = open + 2, b = close;
    while (a < b && (t[a] == ' ' || t[a] == '\t')) a++;
    while (b > a && (t[b - 1] == ' ' || t[b - 1] == '\t')) b--;
    v.span = (gr_span){open, close + 2};
    v.name = (gr_span){a, b};
    if (a == b) {
      v.flags = YT_VAR_EMPTY;
      if (tm->is_template)
        yt__diag(tm, YT_DIAG_EMPTY_PLACEHOLDER, v.span, node, NULL,
               "empty placeholder: name what goes here, as in {{project_name}}");
    }
    gr_array_push(&tm->vars, v);
    i = close + 2;
  }
}

/* Walk every scalar value of the tree, assigning it to a section and key. */
static void yt__collect_vars(yt_tmpl *tm) {
  uint32_t count = yt_tree_count(tm->tree);
  /* section of each mapping node that is a section */
  uint32_t *sec_of = gr_malloc((size_t)count * sizeof *sec_of);
  for (uint32_t i = 0; i < count; i++) sec_of[i] = YT_NONE;
  for (size_t s = 0; s < tm->sections.len; s++) sec_of[tm->sections.items[s].node] = (uint32_t)s;
  /* the section and key of a node: from its parent's, as nodes are in pre-order */
  uint32_t *owner = gr_malloc((size_t)count * sizeof *owner);
  uint8_t *okey = gr_malloc((size_t)count);
  for (uint32_t i = 0; i < count; i++) {
    const yt_node *n = yt__n(tm, i);
    uint32_t p = n->parent;
    owner[i] = p == YT_NONE ? YT_NONE : owner[p];
    okey[i] = p == YT_NONE ? YT_SKEY_COUNT : okey[p];
    if (p != YT_NONE && sec_of[p] != YT_NONE) { /* a key of a section */
      owner[i] = sec_of[p];
      okey[i] = (uint8_t)yt__skey_of(tm, i);
    }
    if (sec_of[i] != YT_NONE) owner[i] = sec_of[i], okey[i] = YT_SKEY_COUNT;
    if (n->kind == YT_SCALAR && !(sec_of[i] != YT_NONE)) yt__scan_vars(tm, i, owner[i], okey[i]);
  }
  gr_free(owner);
  gr_free(okey);
  gr_free(sec_of);
}

/* 0 for the vars outside sections, then section + 1 */
static size_t yt__var_group(const yt_var *v) { return v->section == YT_NONE ? 0 : (size_t)v->section + 1; }

static int yt__var_cmp(const void *pa, const void *pb) {
  const yt_var *a = pa, *b = pb;
  size_t sa = yt__var_group(a), sb = yt__var_group(b);
  if (sa != sb) return sa < sb ? -1 : 1;
  return a->span.start < b->span.start ? -1 : a->span.start > b->span.start;
}

/* ---- the view ------------------------------------------------------------ */

static int yt__diag_cmp(const void *pa, const void *pb) {
  const yt_diag *a = pa, *b = pb;
  if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
  if (a->span.end != b->span.end) return a->span.end < b->span.end ? -1 : 1;
  return a->code < b->code ? -1 : a->code > b->code;
}

static void yt__template_checks(yt_tmpl *tm);
static void yt__finish_vars(yt_tmpl *tm);

yt_tmpl *yt_tmpl_parse(const char *text, size_t len) { return yt_tmpl_from_tree(yt_parse(text, len)); }

yt_tmpl *yt_tmpl_from_tree(yt_tree *tree) {
  yt_tmpl *tm = gr_calloc(1, sizeof *tm);
  tm->tree = tree;
  tm->text = yt_tree_text(tm->tree);
  const yt_tree *t = tm->tree;
  yt_header *h = &tm->header;
  h->tmpl = yt_tree_get(t, 0, "template");
  h->workflow = yt_tree_get(t, 0, "workflow");
  h->sections = yt_tree_get(t, 0, "sections");
  tm->is_template = h->tmpl != YT_NONE && h->sections != YT_NONE;
  h->id = yt_tree_get(t, h->tmpl, "id");
  h->name = yt_tree_get(t, h->tmpl, "name");
  h->version = yt_tree_get(t, h->tmpl, "version");
  h->description = yt_tree_get(t, h->tmpl, "description");
  h->output = yt_tree_get(t, h->tmpl, "output");
  h->format = yt_tree_get(t, h->output, "format");
  h->filename = yt_tree_get(t, h->output, "filename");
  h->title = yt_tree_get(t, h->output, "title");
  h->mode = yt_tree_get(t, h->workflow, "mode");
  h->elicitation = yt_tree_get(t, h->workflow, "elicitation");
  tm->skey = gr_malloc(yt_tree_count(t) ? yt_tree_count(t) : 1);
  memset(tm->skey, YT__SKEY_UNSEEN, yt_tree_count(t));
  if (h->sections != YT_NONE) yt__read_sections(tm, h->sections);

  /* the template checks: only on a template (another schema's YAML gets none) */
  yt__check_duplicate_keys(tm);
  if (tm->is_template) yt__template_checks(tm);
  /* vars, grouped by section */
  yt__collect_vars(tm);
  yt__finish_vars(tm);
  gr_free(tm->skey);
  tm->skey = NULL;
  /* all diagnostics, in text order */
  for (uint32_t i = 0; i < yt_tree_diag_count(t); i++) gr_array_push(&tm->diags, *yt_tree_diag(t, i));
  for (size_t i = 0; i < tm->tdiags.len; i++) {
    yt_diag d = tm->tdiags.items[i].diag;
    d.message = tm->msgs.items + tm->tdiags.items[i].msg_off;
    d.suggestion =
        tm->tdiags.items[i].sug_off == SIZE_MAX ? NULL : tm->msgs.items + tm->tdiags.items[i].sug_off;
    gr_array_push(&tm->diags, d);
  }
  if (tm->diags.len > 1) qsort(tm->diags.items, tm->diags.len, sizeof(yt_diag), yt__diag_cmp);
  return tm;
}

typedef struct yt__idref {
  const char *v;
  uint32_t len, node, at;
} yt__idref;

static uint64_t yt__hash(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

/*
 * Duplicate ids: every use of an id but its first (by position) is
 * reported, with the first's line. The ids go into a hash table of their
 * groups (open addressing, twice as many slots as ids), each slot holding
 * the group's first use so far: linear, where sorting the ids was a sixth
 * of the view on every edit of a 1 MB template. The order the diagnostics
 * are made in does not show: no two have the same span and code, and the
 * view sorts them.
 */
static void yt__check_duplicate_ids(yt_tmpl *tm) {
  GR_ARRAY(yt__idref) ids = {0};
  for (size_t i = 0; i < tm->sections.len; i++) {
    uint32_t id = tm->sections.items[i].keys[YT_SKEY_ID];
    const yt_node *n = id != YT_NONE ? yt__n(tm, id) : NULL;
    if (n && n->kind == YT_SCALAR && n->value_len) {
      yt__idref r = {n->value, n->value_len, id, n->span.start};
      gr_array_push(&ids, r);
    }
  }
  if (ids.len > 1) {
    size_t cap = 16;
    while (cap < ids.len * 2) cap *= 2;
    uint32_t *slot = gr_malloc(cap * sizeof *slot); /* a group's first use (index into ids), or UINT32_MAX */
    size_t *group = gr_malloc(ids.len * sizeof *group); /* the slot of each id's group */
    memset(slot, 0xff, cap * sizeof *slot);
    for (size_t i = 0; i < ids.len; i++) {
      const yt__idref *y = &ids.items[i];
      size_t h = (size_t)yt__hash(y->v, y->len) & (cap - 1);
      while (slot[h] != UINT32_MAX) {
        const yt__idref *x = &ids.items[slot[h]];
        if (x->len == y->len && memcmp(x->v, y->v, y->len) == 0) break;
        h = (h + 1) & (cap - 1);
      }
      if (slot[h] == UINT32_MAX || y->at < ids.items[slot[h]].at) slot[h] = (uint32_t)i;
      group[i] = h;
    }
    for (size_t i = 0; i < ids.len; i++) {
      uint32_t f = slot[group[i]];
      if (f == i) continue;
      const yt_node *n = yt__n(tm, ids.items[i].node);
      yt__diag(tm, YT_DIAG_DUPLICATE_ID, n->span, ids.items[i].node, NULL,
               "section id '%s' is already used (line %u): ids must be unique in the template", n->value,
               yt__line_of(tm, ids.items[f].at));
    }
    gr_free(group);
    gr_free(slot);
  }
  gr_array_free(&ids);
}

static void yt__template_checks(yt_tmpl *tm) {
  const yt_header *h = &tm->header;
  yt__check_keys(tm, 0, yt__top_keys, "the top level", 1);
  if (h->tmpl != YT_NONE) {
    const yt_node *tn = yt__n(tm, h->tmpl);
    if (tn->kind != YT_MAPPING) {
      yt__wrong_type(tm, h->tmpl, "' must be a mapping (id, name, version, output)");
    } else {
      yt__check_keys(tm, h->tmpl, yt__template_keys, "'template'", 0);
      if (h->id == YT_NONE)
        yt__diag(tm, YT_DIAG_MISSING_KEY, tn->key, h->tmpl, NULL,
                 "the template has no 'id' (template.id names it, as in prd-template-v2)");
      if (h->output != YT_NONE && yt__n(tm, h->output)->kind != YT_MAPPING) {
        yt__wrong_type(tm, h->output, "' must be a mapping (format, filename, title)");
      } else if (h->filename == YT_NONE) {
        yt__diag(tm, YT_DIAG_MISSING_KEY, h->output != YT_NONE ? yt__n(tm, h->output)->key : tn->key,
                 h->output != YT_NONE ? h->output : h->tmpl, NULL,
                 "the template has no output filename (template.output.filename: where the "
                 "document is saved, as in docs/prd.md)");
      }
      if (h->output != YT_NONE) yt__check_keys(tm, h->output, yt__output_keys, "'output'", 0);
    }
  }
  if (h->workflow != YT_NONE && yt__n(tm, h->workflow)->kind == YT_MAPPING) {
    yt__check_keys(tm, h->workflow, yt__workflow_keys, "'workflow'", 0);
    const yt_node *m = h->mode != YT_NONE ? yt__n(tm, h->mode) : NULL;
    if (m && m->kind == YT_SCALAR && !yt__is_null(m) && !yt__in(m->value, m->value_len, yt__modes)) {
      const char *near = yt__nearest(m->value, m->value_len, yt__modes, NULL);
      if (near)
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, m->span, h->mode, near,
                 "unknown workflow mode '%s' — did you mean '%s'?", m->value, near);
      else
        yt__diag(tm, YT_DIAG_UNKNOWN_VALUE, m->span, h->mode, NULL,
                 "unknown workflow mode '%s' (interactive or yolo)", m->value);
    }
  }
  if (h->sections != YT_NONE) {
    const yt_node *sn = yt__n(tm, h->sections);
    if (sn->kind != YT_SEQUENCE && !yt__is_null(sn))
      yt__wrong_type(tm, h->sections, "' must be a list of sections (- id: ...)");
  }
  /* sections: ids, values, item templates */
  for (size_t i = 0; i < tm->sections.len; i++) {
    yt_section *s = &tm->sections.items[i];
    if (s->flags & YT_SEC_NOT_MAPPING) continue;
    const yt_node *m = yt__n(tm, s->node);
    uint32_t id = s->keys[YT_SKEY_ID];
    if (id == YT_NONE) {
      const yt_node *first = m->first_child != YT_NONE ? yt__n(tm, m->first_child) : NULL;
      yt__diag(tm, YT_DIAG_MISSING_KEY, first ? first->key : m->span, s->node, NULL,
               "this section has no 'id' (every section needs one, unique in the template)");
    }
    yt__check_section(tm, (uint32_t)i);
  }
  yt__check_duplicate_ids(tm);
}

/*
 * Vars by (section, start), in one pass: they are collected in tree order,
 * which is each section's text order, so a stable placement by section
 * sorts them, and the check that every group's starts rise shows it did
 * (the order is then the only one). Where they do not rise, the vars are
 * sorted as collected. The sort was an eighth of the view on every edit
 * of a 1 MB template.
 */
static void yt__sort_vars(yt_tmpl *tm) {
  size_t n = tm->vars.len, groups = tm->sections.len + 1; /* group 0: outside sections */
  if (n < 2) return;
  size_t *next = gr_calloc(groups + 1, sizeof *next); /* where group g's next var goes */
  for (size_t i = 0; i < n; i++) next[yt__var_group(&tm->vars.items[i]) + 1]++;
  for (size_t g = 1; g <= groups; g++) next[g] += next[g - 1];
  yt_var *out = gr_malloc(n * sizeof *out);
  for (size_t i = 0; i < n; i++) out[next[yt__var_group(&tm->vars.items[i])]++] = tm->vars.items[i];
  gr_free(next);
  int rises = 1;
  for (size_t i = 1; i < n && rises; i++)
    if (yt__var_group(&out[i - 1]) == yt__var_group(&out[i]) && out[i - 1].span.start >= out[i].span.start)
      rises = 0;
  if (rises) {
    gr_free(tm->vars.items);
    tm->vars.items = out;
    tm->vars.cap = n;
  } else {
    gr_free(out);
    qsort(tm->vars.items, n, sizeof(yt_var), yt__var_cmp);
  }
}

static void yt__finish_vars(yt_tmpl *tm) {
  yt__sort_vars(tm);
  for (size_t i = 0; i < tm->sections.len; i++) tm->sections.items[i].first_var = UINT32_MAX;
  for (size_t i = 0; i < tm->vars.len; i++) {
    uint32_t s = tm->vars.items[i].section;
    if (s == YT_NONE) continue;
    yt_section *sec = &tm->sections.items[s];
    if (sec->first_var == UINT32_MAX) sec->first_var = (uint32_t)i;
    sec->var_count++;
  }
  for (size_t i = 0; i < tm->sections.len; i++) {
    yt_section *s = &tm->sections.items[i];
    if (s->first_var == UINT32_MAX) s->first_var = (uint32_t)tm->vars.len;
    /*
     * item_template is the text of each repeated item; with {{vars}} in a
     * section that does not repeat, only one item is ever written. A list or
     * table type repeats its items by itself (15 real sections), so those
     * are fine.
     */
    uint32_t it = s->keys[YT_SKEY_ITEM_TEMPLATE];
    if (!tm->is_template || it == YT_NONE || (s->flags & YT_SEC_REPEATABLE)) continue;
    if (s->type == YT_TYPE_BULLET_LIST || s->type == YT_TYPE_NUMBERED_LIST ||
        s->type == YT_TYPE_TABLE || s->type == YT_TYPE_CHECKLIST ||
        s->type == YT_TYPE_CHECKBOX_LIST || s->type == YT_TYPE_REPEATABLE_CONTAINER)
      continue;
    for (uint32_t v = s->first_var; v < s->first_var + s->var_count; v++)
      if (tm->vars.items[v].key == YT_SKEY_ITEM_TEMPLATE && !(tm->vars.items[v].flags & YT_VAR_EMPTY)) {
        const yt_node *n = yt__n(tm, it);
        yt__diag(tm, YT_DIAG_ITEM_TEMPLATE_NOT_REPEATABLE, n->key, it, "repeatable: true",
                 "item_template has {{vars}} but the section is not repeatable: add "
                 "'repeatable: true', or use 'template'");
        break;
      }
  }
}

void yt_tmpl_free(yt_tmpl *tm) { yt_tree_free(yt_tmpl_take_tree(tm)); }

yt_tree *yt_tmpl_take_tree(yt_tmpl *tm) {
  if (!tm) return NULL;
  yt_tree *tree = tm->tree;
  gr_array_free(&tm->sections);
  gr_array_free(&tm->vars);
  gr_array_free(&tm->tdiags);
  gr_array_free(&tm->diags);
  gr_array_free(&tm->msgs);
  if (tm->lines) gr_lines_free(tm->lines);
  gr_free(tm);
  return tree;
}

const yt_tree *yt_tmpl_tree(const yt_tmpl *tm) { return tm->tree; }
int yt_tmpl_is_template(const yt_tmpl *tm) { return tm->is_template; }
const yt_header *yt_tmpl_header(const yt_tmpl *tm) { return &tm->header; }
uint32_t yt_tmpl_section_count(const yt_tmpl *tm) { return (uint32_t)tm->sections.len; }
const yt_section *yt_tmpl_section(const yt_tmpl *tm, uint32_t i) {
  return i < tm->sections.len ? &tm->sections.items[i] : NULL;
}
uint32_t yt_tmpl_var_count(const yt_tmpl *tm) { return (uint32_t)tm->vars.len; }
const yt_var *yt_tmpl_var(const yt_tmpl *tm, uint32_t i) {
  return i < tm->vars.len ? &tm->vars.items[i] : NULL;
}
uint32_t yt_tmpl_diag_count(const yt_tmpl *tm) { return (uint32_t)tm->diags.len; }
const yt_diag *yt_tmpl_diag(const yt_tmpl *tm, uint32_t i) {
  return i < tm->diags.len ? &tm->diags.items[i] : NULL;
}

uint32_t yt_tmpl_section_at(const yt_tmpl *tm, uint32_t offset) {
  uint32_t best = YT_NONE;
  for (size_t i = 0; i < tm->sections.len; i++) {
    gr_span s = yt__n(tm, tm->sections.items[i].node)->span;
    if (s.start <= offset && offset <= s.end &&
        (best == YT_NONE || tm->sections.items[i].depth >= tm->sections.items[best].depth))
      best = (uint32_t)i;
  }
  return best;
}

/* ---- check and dump ------------------------------------------------------ */

#define YT__FAIL(...)                   \
  do {                                  \
    if (out) fprintf(out, __VA_ARGS__); \
    return -1;                          \
  } while (0)

int yt_tmpl_check(const yt_tmpl *tm, FILE *out) {
  if (yt_tree_check(tm->tree, out) != 0) return -1;
  uint32_t count = yt_tree_count(tm->tree);
  for (size_t i = 0; i < tm->sections.len; i++) {
    const yt_section *s = &tm->sections.items[i];
    if (s->node >= count) YT__FAIL("section %zu: bad node\n", i);
    if (s->parent != YT_NONE) {
      if (s->parent >= i) YT__FAIL("section %zu: parent not before it\n", i);
      if (tm->sections.items[s->parent].depth + 1 != s->depth)
        YT__FAIL("section %zu: depth %u under a depth %u parent\n", i, s->depth,
                 tm->sections.items[s->parent].depth);
      gr_span ps = yt__n(tm, tm->sections.items[s->parent].node)->span;
      gr_span me = yt__n(tm, s->node)->span;
      if (me.start < ps.start || me.end > ps.end) YT__FAIL("section %zu: outside its parent\n", i);
    } else if (s->depth != 0) {
      YT__FAIL("section %zu: top level with depth %u\n", i, s->depth);
    }
    uint32_t kids = 0;
    for (uint32_t c = s->first_child; c != YT_NONE; c = tm->sections.items[c].next_sibling) {
      if (c >= tm->sections.len || tm->sections.items[c].parent != i)
        YT__FAIL("section %zu: child %u not linked back\n", i, c);
      if (++kids > tm->sections.len) YT__FAIL("section %zu: child loop\n", i);
    }
    for (int k = 0; k < YT_SKEY_COUNT; k++) {
      if (s->keys[k] == YT_NONE) continue;
      if (s->keys[k] >= count || yt__n(tm, s->keys[k])->parent != s->node)
        YT__FAIL("section %zu: key %s is not its mapping's child\n", i, yt_skey_name((yt_skey)k));
    }
    if (s->first_var + s->var_count > tm->vars.len) YT__FAIL("section %zu: vars out of range\n", i);
    for (uint32_t v = s->first_var; v < s->first_var + s->var_count; v++)
      if (tm->vars.items[v].section != i) YT__FAIL("section %zu: var %u not its own\n", i, v);
  }
  for (size_t i = 0; i < tm->vars.len; i++) {
    const yt_var *v = &tm->vars.items[i];
    if (v->node >= count) YT__FAIL("var %zu: bad node\n", i);
    gr_span ns = yt__n(tm, v->node)->span;
    if (v->span.start < ns.start || v->span.end > ns.end || v->name.start < v->span.start ||
        v->name.end > v->span.end || v->name.start > v->name.end)
      YT__FAIL("var %zu: span outside its string\n", i);
    if (v->section != YT_NONE) {
      if (v->section >= tm->sections.len) YT__FAIL("var %zu: bad section\n", i);
      gr_span ss = yt__n(tm, tm->sections.items[v->section].node)->span;
      if (v->span.start < ss.start || v->span.end > ss.end) YT__FAIL("var %zu: outside its section\n", i);
    }
    if (i > 0) {
      const yt_var *p = &tm->vars.items[i - 1];
      if (p->section == v->section && p->span.end > v->span.start)
        YT__FAIL("var %zu: overlaps the one before\n", i);
    }
  }
  uint32_t len = yt_tree_len(tm->tree);
  for (size_t i = 0; i < tm->diags.len; i++) {
    const yt_diag *d = &tm->diags.items[i];
    if (d->span.start > d->span.end || d->span.end > len) YT__FAIL("diagnostic %zu: span outside\n", i);
    if (d->code >= YT_DIAG_CODE_COUNT || !d->message) YT__FAIL("diagnostic %zu: bad code\n", i);
    if (i > 0 && tm->diags.items[i - 1].span.start > d->span.start)
      YT__FAIL("diagnostic %zu: out of order\n", i);
  }
  return 0;
}

static void yt__quote(FILE *out, const char *s, size_t n) {
  fputc('"', out);
  for (size_t i = 0; i < n && i < 60; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') fprintf(out, "\\%c", c);
    else if (c == '\n') fputs("\\n", out);
    else if (c < 0x20) fprintf(out, "\\x%02x", c);
    else fputc(c, out);
  }
  if (n > 60) fputs("...", out);
  fputc('"', out);
}

static void yt__dump_field(const yt_tmpl *tm, FILE *out, const char *name, uint32_t node) {
  if (node == YT_NONE) return;
  const yt_node *n = yt__n(tm, node);
  fprintf(out, "%s %u-%u", name, n->span.start, n->span.end);
  if (n->value) {
    fputc(' ', out);
    yt__quote(out, n->value, n->value_len);
  } else {
    fprintf(out, " %s", yt_kind_name((yt_kind)n->kind));
  }
  fputc('\n', out);
}

void yt_tmpl_dump(const yt_tmpl *tm, FILE *out) {
  const yt_header *h = &tm->header;
  fputs(tm->is_template ? "template\n" : "not-a-template\n", out);
  yt__dump_field(tm, out, "id", h->id);
  yt__dump_field(tm, out, "name", h->name);
  yt__dump_field(tm, out, "version", h->version);
  yt__dump_field(tm, out, "description", h->description);
  yt__dump_field(tm, out, "format", h->format);
  yt__dump_field(tm, out, "filename", h->filename);
  yt__dump_field(tm, out, "title", h->title);
  yt__dump_field(tm, out, "mode", h->mode);
  yt__dump_field(tm, out, "elicitation", h->elicitation);
  size_t v = 0;
  for (; v < tm->vars.len && tm->vars.items[v].section == YT_NONE; v++) {
    const yt_var *x = &tm->vars.items[v];
    fprintf(out, "var %u-%u ", x->span.start, x->span.end);
    yt__quote(out, tm->text + x->name.start, x->name.end - x->name.start);
    fputs(x->flags & YT_VAR_UNTERMINATED ? " unterminated\n" : x->flags & YT_VAR_EMPTY ? " empty\n" : "\n", out);
  }
  for (size_t i = 0; i < tm->sections.len; i++) {
    const yt_section *s = &tm->sections.items[i];
    const yt_node *m = yt__n(tm, s->node);
    fprintf(out, "%*ssection %u-%u depth %u", s->depth * 2, "", m->span.start, m->span.end, s->depth);
    uint32_t l;
    const char *id = yt_tmpl_str(tm, s->keys[YT_SKEY_ID], &l);
    fputc(' ', out);
    if (id) yt__quote(out, id, l);
    else fputs("-", out);
    const char *title = yt_tmpl_str(tm, s->keys[YT_SKEY_TITLE], &l);
    if (title) {
      fputc(' ', out);
      yt__quote(out, title, l);
    }
    if (s->type != YT_TYPE_NONE) fprintf(out, " %s", yt_stype_name(s->type));
    if (s->flags & YT_SEC_REPEATABLE) fputs(" repeatable", out);
    if (s->flags & YT_SEC_ELICIT) fputs(" elicit", out);
    if (s->flags & YT_SEC_READONLY) fputs(" readonly", out);
    if (s->flags & YT_SEC_OPTIONAL) fputs(" optional", out);
    if (s->flags & YT_SEC_NOT_MAPPING) fputs(" not-mapping", out);
    if (s->keys[YT_SKEY_CONDITION] != YT_NONE) fputs(" condition", out);
    fputc('\n', out);
    for (int k = 0; k < YT_SKEY_COUNT; k++) {
      if (s->keys[k] == YT_NONE || k == YT_SKEY_ID || k == YT_SKEY_TITLE || k == YT_SKEY_SECTIONS)
        continue;
      const yt_node *x = yt__n(tm, s->keys[k]);
      fprintf(out, "%*s  %s %u-%u: %u-%u %s\n", s->depth * 2, "", yt_skey_name((yt_skey)k),
              x->key.start, x->key.end, x->span.start, x->span.end, yt_kind_name((yt_kind)x->kind));
    }
    for (uint32_t k = s->first_var; k < s->first_var + s->var_count; k++) {
      const yt_var *x = &tm->vars.items[k];
      fprintf(out, "%*s  var %u-%u ", s->depth * 2, "", x->span.start, x->span.end);
      yt__quote(out, tm->text + x->name.start, x->name.end - x->name.start);
      fprintf(out, " %s%s\n", x->key < YT_SKEY_COUNT ? yt_skey_name((yt_skey)x->key) : "-",
              x->flags & YT_VAR_UNTERMINATED ? " unterminated" : x->flags & YT_VAR_EMPTY ? " empty" : "");
    }
  }
  for (size_t i = 0; i < tm->diags.len; i++) {
    const yt_diag *d = &tm->diags.items[i];
    static const char *sev[] = {"?", "error", "warning", "information", "hint"};
    fprintf(out, "%s %s %u-%u: %s", sev[d->severity >= 1 && d->severity <= 4 ? d->severity : 0],
            yt_diag_code_name(d->code), d->span.start, d->span.end, d->message);
    if (d->suggestion) fprintf(out, " [%s]", d->suggestion);
    fputc('\n', out);
  }
}
