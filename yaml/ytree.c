/*
 * ytree.c: libyaml's events turned into a yt_tree (see ytree.h for the
 * shape and for why libyaml), with byte offsets, decoded scalars, syntax
 * errors rephrased for a template author, and recovery after an error.
 *
 * Positions: libyaml's mark.index counts CHARACTERS (a UTF-8 "é" is one,
 * "\r\n" two), not bytes.
 * Each pass keeps a cursor (character index, byte offset) and walks it to
 * each mark; marks come nearly in order, so the walk is linear in the text.
 * libyaml drops a UTF-8 BOM before counting, so the cursor starts after
 * it. A UTF-16 BOM would switch libyaml to decoding UTF-16 under our byte
 * offsets, so then the encoding is forced to UTF-8 (and the file is
 * reported as invalid UTF-8, which for a template it is).
 *
 * Recovery (what to read after an error): libyaml cannot go on after an
 * error, so the tree keeps what was read and a new libyaml pass starts at
 * the next line indented no deeper than the error's line (or than the
 * innermost open collection, if that is deeper), reading only the
 * lines that belong to the open block collection with that line's
 * indentation (up to the first line indented less, or, for a sequence, a
 * line at its column that is not a "- " item). The pass's root collection
 * stands for that open collection: its entries become the collection's
 * entries. Each pass reads new text, and at most YT__MAX_ERRORS passes
 * run, so the whole parse stays linear in the text.
 */
#include "yaml/ytree.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>
#include <yaml.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

#define YT__MAX_ERRORS 64
/* libyaml's work per token grows with the flow nesting; past this depth we stop */
#define YT__MAX_DEPTH 256
#define YT__ARENA_BLOCK 65536

/* ---- the tree's body ----------------------------------------------------- */

typedef struct yt__block {
  struct yt__block *next;
  size_t used, cap;
  char data[];
} yt__block;

struct yt_tree {
  const char *text;
  uint32_t len;
  GR_ARRAY(yt_node) nodes;
  GR_ARRAY(yt_diag) diags;
  yt__block *strings; /* decoded keys, values and messages; blocks never move */
  size_t garbage;     /* bytes of strings whose nodes an edit replaced (yt_tree_edit) */
  uint32_t deepest;   /* yt_parse's most collections open at once, as the limit counts them (edits read an item's) */
  int has_error;
  int odd_breaks; /* the text holds a NEL, LS or PS: line breaks to libyaml, not to the helpers below */
};

/* A NUL-terminated copy of s[0..n) that lives as long as the tree. */
static const char *yt__strdup(yt_tree *t, const char *s, size_t n) {
  yt__block *b = t->strings;
  if (!b || b->cap - b->used < n + 1) {
    size_t cap = n + 1 > YT__ARENA_BLOCK ? n + 1 : YT__ARENA_BLOCK;
    yt__block *nb = gr_malloc(sizeof(yt__block) + cap);
    nb->used = 0;
    nb->cap = cap;
    if (b && n + 1 > YT__ARENA_BLOCK) { /* an oversized string: keep the open block first */
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      t->strings = nb;
    }
    b = nb;
  }
  char *out = b->data + b->used;
  if (n) memcpy(out, s, n);
  out[n] = '\0';
  b->used += n + 1;
  return out;
}

static void yt__diag(yt_tree *t, uint32_t start, uint32_t end, uint32_t node, yt_diag_code code,
                     const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static void yt__diag(yt_tree *t, uint32_t start, uint32_t end, uint32_t node, yt_diag_code code,
                     const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) n = 0;
  if ((size_t)n >= sizeof buf) n = sizeof buf - 1;
  yt_diag d = {code, yt_diag_code_severity(code), {start, end}, node, yt__strdup(t, buf, (size_t)n),
               NULL};
  gr_array_push(&t->diags, d);
  if (code == YT_DIAG_SYNTAX) t->has_error = 1;
}

static uint32_t yt__add(yt_tree *t, yt_kind kind, uint32_t parent, uint32_t start) {
  gr_array_reserve(&t->nodes, 1);
  uint32_t i = (uint32_t)t->nodes.len++;
  yt_node *n = &t->nodes.items[i];
  memset(n, 0, sizeof *n);
  n->kind = (uint8_t)kind;
  n->parent = parent;
  n->first_child = n->last_child = n->next_sibling = n->prev_sibling = YT_NONE;
  n->span = n->key = (gr_span){start, start};
  if (parent != YT_NONE) {
    yt_node *p = &t->nodes.items[parent];
    if (p->last_child == YT_NONE) {
      p->first_child = i;
    } else {
      t->nodes.items[p->last_child].next_sibling = i;
      n->prev_sibling = p->last_child;
    }
    p->last_child = i;
    p->child_count++;
  }
  return i;
}

/* ---- text helpers -------------------------------------------------------- */

static uint32_t yt__line_start(const char *s, uint32_t off) {
  while (off > 0 && s[off - 1] != '\n' && s[off - 1] != '\r') off--;
  return off;
}

static uint32_t yt__line_end(const char *s, uint32_t len, uint32_t off) {
  while (off < len && s[off] != '\n' && s[off] != '\r') off++;
  return off;
}

static uint32_t yt__next_line(const char *s, uint32_t len, uint32_t off) {
  off = yt__line_end(s, len, off);
  if (off < len && s[off] == '\r') off++;
  if (off < len && s[off] == '\n') off++;
  return off;
}

/* Spaces at the start of the line at `ls`. */
static uint32_t yt__indent(const char *s, uint32_t len, uint32_t ls) {
  uint32_t i = ls;
  while (i < len && s[i] == ' ') i++;
  return i - ls;
}

/* A line with nothing but spaces, or a comment. */
static int yt__blank(const char *s, uint32_t len, uint32_t ls) {
  uint32_t i = ls;
  while (i < len && (s[i] == ' ' || s[i] == '\t')) i++;
  return i >= len || s[i] == '\n' || s[i] == '\r' || s[i] == '#';
}

/* The line's content after its indentation starts a "- " sequence item. */
static int yt__dash_line(const char *s, uint32_t len, uint32_t at) {
  return at < len && s[at] == '-' &&
         (at + 1 >= len || s[at + 1] == ' ' || s[at + 1] == '\n' || s[at + 1] == '\r' ||
          s[at + 1] == '\t');
}

/*
 * A line that can go on a block collection after an error: "- " for a
 * sequence; for a mapping, a `key:` whose key is a plain word or words
 * (letters, digits, _ - . / and spaces) or a quoted string. Text that fell
 * out of a block scalar (code, prose) seldom looks like that, so recovery
 * does not mistake it for keys.
 */
static int yt__structural(const char *s, uint32_t len, uint32_t at, int dash) {
  if (dash) return yt__dash_line(s, len, at);
  uint32_t i = at;
  if (i < len && (s[i] == '"' || s[i] == '\'')) {
    char q = s[i++];
    while (i < len && s[i] != q && s[i] != '\n') i++;
    if (i >= len || s[i] != q) return 0;
    i++;
  } else {
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-' || s[i] == '.' ||
                       s[i] == '/' || s[i] == ' '))
      i++;
    if (i == at) return 0;
  }
  return i < len && s[i] == ':' && (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' ||
                                    s[i + 1] == '\r');
}

/* Does s[from, to) begin a NEL (U+0085), LS (U+2028) or PS (U+2029)? */
static int yt__odd_break(const char *s, uint32_t from, uint32_t to) {
  for (const char *p = s + from, *e = s + to; (p = memchr(p, 0xC2, (size_t)(e - p))) != NULL; p++)
    if (p + 1 < e && p[1] == '\x85') return 1;
  for (const char *p = s + from, *e = s + to; (p = memchr(p, 0xE2, (size_t)(e - p))) != NULL; p++)
    if (p + 2 < e && p[1] == '\x80' && (p[2] == '\xA8' || p[2] == '\xA9')) return 1;
  return 0;
}

static uint32_t yt__trim_end(const char *s, uint32_t start, uint32_t end) {
  while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t' || s[end - 1] == '\n' ||
                         s[end - 1] == '\r'))
    end--;
  return end;
}

/* ---- a pass: one libyaml parser over text[base, end) --------------------- */

typedef struct yt__frame {
  uint32_t node;
  uint32_t column; /* bytes from its line's start to its first key or "-" */
  uint8_t mapping, flow;
  uint8_t has_key; /* a mapping: a key was read, its value not yet */
  uint8_t complex_key;
  uint8_t cut; /* an error came while it was open, and no resumed pass went on in it */
  gr_span key;
  const char *key_text;
  uint32_t key_len;
} yt__frame;

typedef struct yt__parser {
  yt_tree *t;
  GR_ARRAY(yt__frame) stack;
  /* the pass */
  uint32_t base, end;
  size_t ci;   /* the cursor: character index ... */
  uint32_t bi; /* ... and its byte offset */
  uint32_t pass_depth; /* stack depth of the collection this pass's root stands for */
  int root_seen;       /* the pass has read its root node's start */
  int root_mapped;     /* ... and it stands for stack[pass_depth - 1] */
  int root_done;       /* ... and it ended */
  int resumed;         /* not the first pass */
  uint32_t skip_depth; /* > 0 while reading a complex key's events */
  uint32_t skip_start;
  int docs;            /* documents started in this pass */
  int markdown;        /* the text is a Markdown body: one diagnostic says so, no more */
} yt__parser;

static uint32_t yt__char_len(unsigned char c) {
  return c < 0x80 ? 1 : c >= 0xF8 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/*
 * The first character in s[from, to) that libyaml's reader refuses
 * (invalid UTF-8, or not printable in YAML: C0 controls but tab and line
 * breaks, DEL, C1 controls but NEL, U+FFFE/U+FFFF); `to` when none. The
 * reader decodes far ahead of the parser, so one bad byte anywhere in the
 * first kilobytes would otherwise stop the parse before its first event.
 * *bad_len: the character's length, *bad_cp: its code point (U+FFFD when
 * invalid UTF-8).
 */
static uint32_t yt__first_bad(const char *s, uint32_t from, uint32_t to, uint32_t *bad_len,
                              uint32_t *bad_cp) {
  for (uint32_t i = from; i < to;) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    uint32_t cp;
    size_t k = gr_utf8_decode(s, to, i, &cp);
    int ok = (cp == 0xFFFD && k == 1)                     ? 0
             : cp == '\t' || cp == '\n' || cp == '\r' ? 1
             : cp < 0x20 || (cp >= 0x7F && cp <= 0x9F && cp != 0x85) ? 0
             : cp == 0xFFFE || cp == 0xFFFF               ? 0
                                                          : 1;
    if (!ok) {
      *bad_len = (uint32_t)k;
      *bad_cp = cp;
      return i;
    }
    i += (uint32_t)k;
  }
  return to;
}

/* Byte offset of libyaml's character index `index` in this pass. */
static uint32_t yt__byte(yt__parser *P, size_t index) {
  const char *s = P->t->text;
  while (P->ci < index && P->bi < P->end) {
    uint32_t w = yt__char_len((unsigned char)s[P->bi]);
    P->bi = P->bi + w > P->end ? P->end : P->bi + w;
    P->ci++;
  }
  while (P->ci > index && P->bi > P->base) {
    do P->bi--;
    while (P->bi > P->base && ((unsigned char)s[P->bi] & 0xC0) == 0x80);
    P->ci--;
  }
  return P->bi;
}

static yt__frame *yt__top(yt__parser *P) {
  return P->stack.len ? &P->stack.items[P->stack.len - 1] : NULL;
}

/*
 * A collection closes: its span grows to hold its last child (children are
 * in order, so the last ends last). Only open collections can gain
 * children, and each is closed exactly once, when its frame goes, so spans
 * are settled in one step per node instead of a walk up the ancestors.
 */
static void yt__settle(yt_tree *t, uint32_t i) {
  yt_node *n = &t->nodes.items[i];
  if (n->last_child != YT_NONE) {
    uint32_t end = t->nodes.items[n->last_child].span.end;
    if (end > n->span.end) n->span.end = end;
  }
}

/*
 * A node starts (a scalar, an alias, or a collection's start event). Keys
 * are held in the mapping's frame until their value arrives. Returns the
 * new node, or YT_NONE when the event was a key or is not kept.
 */
static uint32_t yt__node(yt__parser *P, yt_kind kind, uint8_t style, uint32_t start, uint32_t end,
                         const char *value, size_t value_len, uint16_t flags) {
  yt_tree *t = P->t;
  yt__frame *top = yt__top(P);
  int collection = kind == YT_MAPPING || kind == YT_SEQUENCE;
  if (P->skip_depth) { /* inside a complex key */
    if (collection) P->skip_depth++;
    return YT_NONE;
  }
  if (!P->root_seen) {
    P->root_seen = 1;
    if (P->resumed) {
      /* The pass's root stands for the open collection it was started for. */
      yt__frame *f = top;
      if (f && collection && style == YT_STYLE_BLOCK && f->mapping == (kind == YT_MAPPING) &&
          !f->flow) {
        P->root_mapped = 1;
        return YT_NONE;
      }
      if (f || t->nodes.len) return YT_NONE; /* a mismatch: the caller reports it */
    }
  }
  if (top && top->mapping && !top->has_key) {
    if (collection) { /* `? [a, b]: c` or `{a: b}: c` */
      P->skip_depth = 1;
      P->skip_start = start;
      return YT_NONE;
    }
    top->has_key = 1;
    top->complex_key = 0;
    top->key = (gr_span){start, end};
    top->key_text = yt__strdup(t, value ? value : "", value_len);
    top->key_len = (uint32_t)value_len;
    return YT_NONE;
  }
  if (!top && t->nodes.len) return YT_NONE; /* a second root: not kept */
  uint32_t i = yt__add(t, kind, top ? top->node : YT_NONE, start);
  yt_node *n = &t->nodes.items[i];
  n->style = style;
  n->flags = flags | (P->resumed ? YT_FLAG_RESUMED : 0);
  n->span = (gr_span){start, end};
  if (!collection) {
    n->value = yt__strdup(t, value ? value : "", value_len);
    n->value_len = (uint32_t)value_len;
  }
  if (top && top->mapping) {
    n->key = top->key;
    n->key_text = top->key_text;
    n->key_len = top->key_len;
    if (top->complex_key) n->flags |= YT_FLAG_COMPLEX_KEY;
    top->has_key = 0;
  }
  return i;
}

static void yt__push(yt__parser *P, uint32_t node, int mapping, int flow, uint32_t start) {
  yt__frame f;
  memset(&f, 0, sizeof f);
  f.node = node;
  f.mapping = (uint8_t)mapping;
  f.flow = (uint8_t)flow;
  f.column = start - yt__line_start(P->t->text, start);
  gr_array_push(&P->stack, f);
}

/* A collection's end event at byte `end`. */
static void yt__end(yt__parser *P, uint32_t end) {
  yt_tree *t = P->t;
  if (P->skip_depth) {
    if (--P->skip_depth == 0) {
      yt__frame *top = yt__top(P);
      if (top) {
        top->has_key = 1;
        top->complex_key = 1;
        top->key = (gr_span){P->skip_start, end};
        top->key_text = yt__strdup(t, t->text + P->skip_start, end - P->skip_start);
        top->key_len = end - P->skip_start;
      }
    }
    return;
  }
  if (P->root_mapped && P->stack.len == P->pass_depth) {
    P->root_done = 1; /* the pass's root ends; its collection stays open */
    return;
  }
  yt__frame *top = yt__top(P);
  if (!top || P->stack.len <= P->pass_depth) return;
  yt_node *n = &t->nodes.items[top->node];
  if (top->flow) {
    if (end > n->span.end) n->span.end = end;
  }
  P->stack.len--;
  yt__settle(t, (uint32_t)(n - t->nodes.items));
}

/* ---- syntax errors in a template author's words ------------------------- */

/*
 * A Markdown body saved as .yaml: a "# Title" line first, and before the
 * error either a "## " heading or no YAML `key:` line at all.
 */
static int yt__looks_markdown(const char *s, uint32_t len, uint32_t upto) {
  uint32_t ls = 0;
  while (ls < len && yt__blank(s, len, ls) && !(s[ls] == '#' && ls + 1 < len && s[ls + 1] == ' '))
    ls = yt__next_line(s, len, ls);
  if (ls >= len || s[ls] != '#' || ls + 1 >= len || s[ls + 1] != ' ') return 0;
  if (ls + 5 < len && memcmp(s + ls, "# <!-", 5) == 0) return 0; /* the method's YAML banner */
  int keys = 0;
  for (uint32_t l = yt__next_line(s, len, ls); l < len && l < upto; l = yt__next_line(s, len, l)) {
    if (l + 2 < len && s[l] == '#' && s[l + 1] == '#' && (s[l + 2] == ' ' || s[l + 2] == '#'))
      return 1;
    uint32_t i = l;
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')) i++;
    if (i > l && i < len && s[i] == ':' && (i + 1 >= len || s[i + 1] == ' ' || s[i + 1] == '\n' ||
                                            s[i + 1] == '\r'))
      keys = 1;
  }
  return !keys;
}

static int yt__has(const char *s, const char *what) { return s && strstr(s, what) != NULL; }

/*
 * The error's line comes right after a block scalar (| or >) that is the
 * last value of the innermost block mapping, and is indented deeper than
 * that mapping's keys: text the block scalar did not take.
 */
static int yt__after_block(yt__parser *P, uint32_t at) {
  yt_tree *t = P->t;
  yt__frame *top = yt__top(P);
  if (!top || !top->mapping || top->flow) return 0;
  uint32_t last = t->nodes.items[top->node].last_child;
  if (last == YT_NONE) return 0;
  const yt_node *n = &t->nodes.items[last];
  if (n->style != YT_STYLE_LITERAL && n->style != YT_STYLE_FOLDED) return 0;
  uint32_t ls = yt__line_start(t->text, at);
  for (uint32_t i = n->span.end; i < ls; i++)
    if (t->text[i] != '\n' && t->text[i] != '\r' && t->text[i] != ' ') return 0;
  return yt__indent(t->text, t->len, ls) > top->column;
}

/*
 * Report libyaml's error at byte `at` (context at `ctx_at`, or UINT32_MAX)
 * as a yaml-syntax diagnostic, and give back the error's line start.
 */
static void yt__report(yt__parser *P, const yaml_parser_t *yp, uint32_t at, uint32_t ctx_at,
                       uint32_t recovered) {
  yt_tree *t = P->t;
  const char *s = t->text;
  const char *problem = yp->problem ? yp->problem : "unknown error";
  const char *context = yp->context;
  unsigned char c = at < t->len ? (unsigned char)s[at] : 0;
  char c0 = recovered != YT_NONE ? s[t->nodes.items[recovered].span.start] : 0;
  uint32_t start = at, end = yt__trim_end(s, at, yt__line_end(s, t->len, at));
  if (ctx_at != UINT32_MAX && ctx_at < at && yt__line_start(s, ctx_at) == yt__line_start(s, at))
    start = ctx_at;
  char what[400];
  what[0] = '\0';
  if (yp->error == YAML_READER_ERROR) {
    if (yt__has(problem, "control characters"))
      snprintf(what, sizeof what, "a control character (byte 0x%02x) is not allowed in YAML", c);
    else
      snprintf(what, sizeof what, "the file is not valid UTF-8 here (byte 0x%02x)", c);
    end = at < t->len ? at + yt__char_len(c) : at;
    if (end > t->len) end = t->len;
  } else if (recovered != YT_NONE && (c0 == '{' || c0 == '[')) {
    snprintf(what, sizeof what, "a value starting with '%c' is read as a YAML flow %s — quote it",
             c0, c0 == '{' ? "mapping" : "list");
    start = t->nodes.items[recovered].span.start;
    end = t->nodes.items[recovered].span.end;
  } else if (recovered != YT_NONE) {
    snprintf(what, sizeof what, "a plain value cannot contain ': ' — quote it");
    start = t->nodes.items[recovered].span.start;
    end = t->nodes.items[recovered].span.end;
  } else if (yt__has(problem, "mapping values are not allowed")) {
    snprintf(what, sizeof what, "': ' cannot appear here — quote the value that holds it");
  } else if (yt__has(problem, "tab") || (yt__has(problem, "cannot start any token") && c == '\t')) {
    snprintf(what, sizeof what, "a tab cannot indent YAML — use spaces");
  } else if (yt__has(context, "alias") || yt__has(context, "anchor")) {
    int alias = yt__has(context, "alias");
    char mark = alias ? '*' : '&';
    if (yt__looks_markdown(s, t->len, at)) {
      snprintf(what, sizeof what,
               "this file is Markdown, not YAML: a YAML template has `template:` and "
               "`sections:` keys (a line starting with '%c' is read as a YAML %s)",
               mark, alias ? "alias" : "anchor");
      P->markdown = 1;
    }
    else
      snprintf(what, sizeof what, "a value starting with '%c' is read as a YAML %s — quote it",
               mark, alias ? "alias" : "anchor");
    if (ctx_at != UINT32_MAX && ctx_at <= at) start = ctx_at;
  } else if (yt__has(problem, "cannot start any token")) {
    if (yt__looks_markdown(s, t->len, at)) {
      snprintf(what, sizeof what,
               "this file is Markdown, not YAML: a YAML template has `template:` and "
               "`sections:` keys ('%c' cannot start a YAML value)",
               c);
      P->markdown = 1;
    } else if (at == yt__line_start(s, at) || yt__indent(s, t->len, yt__line_start(s, at)) ==
                                                 at - yt__line_start(s, at))
      snprintf(what, sizeof what,
               "'%c' cannot start a YAML value — if this line belongs to the text block above, "
               "indent it like that text; otherwise quote it",
               c);
    else
      snprintf(what, sizeof what, "a value cannot start with '%c' — quote it", c);
  } else if (yt__has(problem, "could not find expected ':'")) {
    if (ctx_at != UINT32_MAX) {
      start = ctx_at;
      end = yt__trim_end(s, ctx_at, yt__line_end(s, t->len, ctx_at));
    }
    snprintf(what, sizeof what,
             "this line is not `key: value` nor part of the value above — indent it under its "
             "key (a block's text is indented more than its key), or add ': '");
  } else if (yt__has(problem, "did not find expected key") && yt__after_block(P, at)) {
    snprintf(what, sizeof what,
             "this line is less indented than the first line of the text block above: a "
             "block's first line sets the indentation of all its lines — indent them alike");
    start = yt__line_start(s, at) + yt__indent(s, t->len, yt__line_start(s, at));
  } else if (yt__has(problem, "did not find expected key")) {
    snprintf(what, sizeof what,
             "this line does not line up with the keys of the mapping it is in — indent it like "
             "them, or quote the value above if it holds ': '");
    if (ctx_at == UINT32_MAX || yt__line_start(s, ctx_at) != yt__line_start(s, at))
      start = yt__line_start(s, at) + yt__indent(s, t->len, yt__line_start(s, at));
  } else if (yt__has(problem, "expected '-' indicator")) {
    snprintf(what, sizeof what,
             "this line does not line up with the list items above — an item starts with '- ' "
             "at their indentation");
  } else if (yt__has(problem, "sequence entries are not allowed") ||
             yt__has(problem, "block sequence entries")) {
    snprintf(what, sizeof what, "'- ' cannot start a list item here — put each item on its own line");
  } else if (yt__has(problem, "end of stream") && yt__has(context, "quoted")) {
    snprintf(what, sizeof what, "this quote is never closed");
    if (ctx_at != UINT32_MAX) start = ctx_at, end = ctx_at + 1;
  } else if (yt__has(problem, "unknown escape")) {
    snprintf(what, sizeof what,
             "unknown escape in a double-quoted value — write \\\\ for a backslash, or use single "
             "quotes");
  } else if (yt__has(problem, "expected ',' or ']'") || yt__has(problem, "expected ',' or '}'")) {
    snprintf(what, sizeof what,
             "a value starting with '%c' is read as a YAML flow %s — close it, or quote the value",
             yt__has(problem, "]") ? '[' : '{', yt__has(problem, "]") ? "list" : "mapping");
    if (ctx_at != UINT32_MAX) start = ctx_at, end = yt__trim_end(s, ctx_at, yt__line_end(s, t->len, ctx_at));
  } else if (yt__has(problem, "expected node content")) {
    snprintf(what, sizeof what, "a value is missing here");
  } else {
    snprintf(what, sizeof what, "this is not valid YAML");
  }
  if (end <= start) end = start < t->len ? start + 1 : start;
  while (end < t->len && ((unsigned char)s[end] & 0xC0) == 0x80) end++;
  if (context)
    yt__diag(t, start, end, YT_NONE, YT_DIAG_SYNTAX, "%s (YAML: %s %s)", what, context, problem);
  else
    yt__diag(t, start, end, YT_NONE, YT_DIAG_SYNTAX, "%s (YAML: %s)", what, problem);
}

/*
 * Keep the value the author meant when the error cut it short: in
 * `title: Example: Foo Agent` the value read before the error stops at
 * ": "; in `filename: {{name}}-plan.md` it was read as a flow mapping. Both
 * become the rest of the line, as a plain scalar flagged recovered. Only
 * the last value of the innermost block mapping, on the error's line, and
 * (for a flow collection) only when its nodes are the last ones read.
 */
static uint32_t yt__recover_value(yt__parser *P, const yaml_parser_t *yp, uint32_t at) {
  yt_tree *t = P->t;
  /* the flow collections the error is inside are not the value's end */
  size_t depth = P->stack.len;
  while (depth > 0 && P->stack.items[depth - 1].flow) depth--;
  if (depth == 0) return YT_NONE;
  yt__frame *top = &P->stack.items[depth - 1];
  if (!top->mapping || top->has_key) return YT_NONE;
  uint32_t last = t->nodes.items[top->node].last_child;
  if (last == YT_NONE) return YT_NONE;
  yt_node *n = &t->nodes.items[last];
  uint32_t ls = yt__line_start(t->text, at);
  if (n->span.start < ls || n->span.start > at || n->key.start < ls) return YT_NONE;
  if (n->kind == YT_SCALAR) {
    if (n->style != YT_STYLE_PLAIN || n->span.end > at ||
        !yt__has(yp->problem, "mapping values are not allowed"))
      return YT_NONE;
  } else if (n->style == YT_STYLE_FLOW) {
    char open = t->text[n->span.start];
    if (open != '{' && open != '[') return YT_NONE;
  } else {
    return YT_NONE;
  }
  /* drop the flow collection's nodes (the tail of the array) and its open frames */
  P->stack.len = depth;
  t->nodes.len = (size_t)last + 1;
  n = &t->nodes.items[last];
  n->first_child = n->last_child = YT_NONE;
  n->child_count = 0;
  uint32_t end = yt__line_end(t->text, t->len, at);
  /* a " #" starts a comment, as it would in a plain value */
  for (uint32_t i = n->span.start; i + 1 < end; i++)
    if ((t->text[i] == ' ' || t->text[i] == '\t') && t->text[i + 1] == '#') {
      end = i;
      break;
    }
  end = yt__trim_end(t->text, n->span.start, end);
  n->kind = YT_SCALAR;
  n->style = YT_STYLE_PLAIN;
  n->span.end = end;
  n->value = yt__strdup(t, t->text + n->span.start, end - n->span.start);
  n->value_len = end - n->span.start;
  n->flags |= YT_FLAG_RECOVERED;
  return last;
}

/* ---- running a pass ------------------------------------------------------ */

/* Returns 1 when the pass ended on an error (its line start in *err_line). */
static int yt__pass(yt__parser *P, uint32_t base, uint32_t end, uint32_t *err_line) {
  yt_tree *t = P->t;
  yaml_parser_t yp;
  yaml_event_t ev;
  int failed = 0;
  P->base = base;
  P->end = end;
  P->ci = 0;
  P->bi = base;
  P->pass_depth = (uint32_t)P->stack.len;
  P->root_seen = P->root_mapped = P->root_done = 0;
  P->skip_depth = 0;
  P->docs = 0;
  /* read up to the line of the first character libyaml would refuse */
  uint32_t bad_len = 0, bad_cp = 0;
  uint32_t bad = yt__first_bad(t->text, base, end, &bad_len, &bad_cp);
  if (bad < end) P->end = end = yt__line_start(t->text, bad) > base ? yt__line_start(t->text, bad) : base;
  if (!yaml_parser_initialize(&yp)) return 0; /* out of memory inside libyaml: read nothing */
  yaml_parser_set_input_string(&yp, (const unsigned char *)t->text + base, end - base);
  const unsigned char *u = (const unsigned char *)t->text + base;
  if (end - base >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
    P->bi = base + 3; /* libyaml drops a UTF-8 BOM before counting */
  } else if (end - base >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
    yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING); /* not UTF-16 under byte offsets */
  }
  for (;;) {
    if (!yaml_parser_parse(&yp, &ev)) {
      uint32_t at, ctx_at = UINT32_MAX;
      if (yp.error == YAML_READER_ERROR) {
        at = base + (uint32_t)(yp.problem_offset < end - base ? yp.problem_offset : end - base);
      } else {
        if (yp.context) ctx_at = yt__byte(P, yp.context_mark.index);
        at = yt__byte(P, yp.problem_mark.index);
      }
      uint32_t rec = yp.error == YAML_READER_ERROR ? YT_NONE : yt__recover_value(P, &yp, at);
      yt__report(P, &yp, at, ctx_at, rec);
      *err_line = yt__line_start(t->text, at);
      failed = 1;
      break;
    }
    yaml_event_type_t type = ev.type;
    uint32_t s = yt__byte(P, ev.start_mark.index);
    uint32_t e = yt__byte(P, ev.end_mark.index);
    if (bad < t->len && s >= end &&
        (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT ||
         type == YAML_DOCUMENT_END_EVENT || type == YAML_STREAM_END_EVENT)) {
      /* the text was cut before a bad character: what is open stays open */
      yaml_event_delete(&ev);
      break;
    }
    uint16_t flags = 0;
    switch (type) {
      case YAML_DOCUMENT_START_EVENT:
        if (++P->docs > 1 || (P->resumed && !ev.data.document_start.implicit)) {
          yt__diag(t, s, e > s ? e : s + 1, YT_NONE, YT_DIAG_SYNTAX,
                   "a line '---' at the start of a line ends the YAML document and starts "
                   "another: a template is one document — indent it, or quote it (YAML: a "
                   "second document)");
          *err_line = yt__line_start(t->text, s);
          failed = 1;
        }
        break;
      case YAML_SCALAR_EVENT: {
        uint8_t style;
        switch (ev.data.scalar.style) {
          case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = YT_STYLE_SINGLE; break;
          case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = YT_STYLE_DOUBLE; break;
          case YAML_LITERAL_SCALAR_STYLE: style = YT_STYLE_LITERAL; break;
          case YAML_FOLDED_SCALAR_STYLE: style = YT_STYLE_FOLDED; break;
          default: style = YT_STYLE_PLAIN; break;
        }
        /* A block scalar's end mark is the next token's start. */
        if (style == YT_STYLE_LITERAL || style == YT_STYLE_FOLDED)
          e = yt__trim_end(t->text, s + 1 <= e ? s + 1 : s, e);
        if (ev.data.scalar.anchor) flags |= YT_FLAG_ANCHOR;
        if (ev.data.scalar.tag && !ev.data.scalar.plain_implicit && !ev.data.scalar.quoted_implicit)
          flags |= YT_FLAG_TAG;
        yt__node(P, YT_SCALAR, style, s, e, (const char *)ev.data.scalar.value,
                 ev.data.scalar.length, flags);
        break;
      }
      case YAML_ALIAS_EVENT: {
        const char *a = (const char *)ev.data.alias.anchor;
        yt__node(P, YT_ALIAS, YT_STYLE_PLAIN, s, e, a, a ? strlen(a) : 0, 0);
        break;
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        int mapping = type == YAML_MAPPING_START_EVENT;
        int flow = mapping ? ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                           : ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
        const yaml_char_t *anchor = mapping ? ev.data.mapping_start.anchor : ev.data.sequence_start.anchor;
        int implicit = mapping ? ev.data.mapping_start.implicit : ev.data.sequence_start.implicit;
        if (anchor) flags |= YT_FLAG_ANCHOR;
        if (!implicit) flags |= YT_FLAG_TAG;
        if (P->stack.len + P->skip_depth > t->deepest) t->deepest = (uint32_t)(P->stack.len + P->skip_depth);
        if (P->stack.len + P->skip_depth >= YT__MAX_DEPTH) {
          yt__diag(t, s, s + 1 <= t->len ? s + 1 : s, YT_NONE, YT_DIAG_LIMIT,
                   "nesting deeper than %d levels: the rest of the file is not read",
                   YT__MAX_DEPTH);
          failed = 3;
          break;
        }
        int was_skipping = P->skip_depth > 0;
        uint32_t i = yt__node(P, mapping ? YT_MAPPING : YT_SEQUENCE,
                              flow ? YT_STYLE_FLOW : YT_STYLE_BLOCK, s, flow ? e : s, NULL, 0, flags);
        if (i != YT_NONE) {
          yt__push(P, i, mapping, flow, s);
          t->nodes.items[i].span.end = flow ? e : s;
        } else if (!was_skipping && !P->skip_depth && !P->root_mapped && P->resumed &&
                   P->root_seen && P->stack.len == P->pass_depth) {
          /* a resumed pass whose root does not fit: stop it */
          *err_line = YT_NONE;
          failed = 2;
        }
        break;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: yt__end(P, e); break;
      default: break;
    }
    yaml_event_delete(&ev);
    if (failed || type == YAML_STREAM_END_EVENT || P->root_done)
      break;
    /* a resumed pass whose root is a scalar does not fit either */
    if (P->resumed && P->root_seen && !P->root_mapped && P->stack.len == P->pass_depth &&
        !P->skip_depth && (type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT)) {
      failed = 2;
      *err_line = YT_NONE;
      break;
    }
  }
  yaml_parser_delete(&yp);
  if (failed == 1 || failed == 3)
    for (size_t k = 0; k < P->stack.len; k++) P->stack.items[k].cut = 1;
  if (!failed && bad < t->len && bad >= base && bad_len > 0 && P->end < bad + bad_len) {
    if (bad_cp == 0xFFFD)
      yt__diag(t, bad, bad + bad_len, YT_NONE, YT_DIAG_SYNTAX,
               "the file is not valid UTF-8 here (byte 0x%02x): save it as UTF-8",
               (unsigned char)t->text[bad]);
    else
      yt__diag(t, bad, bad + bad_len, YT_NONE, YT_DIAG_SYNTAX,
               "a control character (U+%04X) is not allowed in YAML: remove it, or write it as "
               "an escape in a double-quoted value",
               (unsigned)bad_cp);
    *err_line = yt__line_start(t->text, bad);
    failed = 1;
    for (size_t k = 0; k < P->stack.len; k++) P->stack.items[k].cut = 1;
  }
  return failed;
}

/* A key whose value was never read gets an empty value after it. */
static void yt__close_key(yt__parser *P, yt__frame *f) {
  yt_node *n = &P->t->nodes.items[f->node];
  if (f->mapping && f->has_key) {
      /* a key whose value was never read: an empty value after it */
      uint32_t i = yt__add(P->t, YT_SCALAR, f->node, f->key.end);
      yt_node *v = &P->t->nodes.items[i];
      v->value = yt__strdup(P->t, "", 0);
      v->key = f->key;
      v->key_text = f->key_text;
      v->key_len = f->key_len;
      v->flags = YT_FLAG_TRUNCATED | (f->complex_key ? YT_FLAG_COMPLEX_KEY : 0);
      f->has_key = 0;
      n = &P->t->nodes.items[f->node];
      if (n->span.end < f->key.end) n->span.end = f->key.end;
  }
}

/* Close frames above depth `keep`, flagging them truncated. */
static void yt__truncate(yt__parser *P, size_t keep) {
  while (P->stack.len > keep) {
    yt__frame *f = yt__top(P);
    if (f->cut) P->t->nodes.items[f->node].flags |= YT_FLAG_TRUNCATED;
    yt__close_key(P, f);
    uint32_t node = f->node;
    P->stack.len--;
    yt__settle(P->t, node);
  }
}

/* The open block collection a line at column c of kind dash takes, or -1. */
static long yt__frame_for(yt__parser *P, uint32_t c, int dash) {
  for (size_t k = P->stack.len; k-- > 0;) {
    yt__frame *f = &P->stack.items[k];
    if (f->flow) continue;
    if (f->column == c && f->mapping == !dash) return (long)k;
    if (f->column < c) break; /* deeper collections only */
  }
  return -1;
}

/*
 * How deep the line after an error may be indented to resume on: the
 * error's line's indentation, or the innermost open block collection's
 * column when that is deeper (text that fell out of a block scalar to
 * column 0 must not hide the sections after it).
 */
static uint32_t yt__resume_indent(yt__parser *P, uint32_t err_line) {
  uint32_t ind = yt__indent(P->t->text, P->t->len, err_line);
  for (size_t k = P->stack.len; k-- > 0;)
    if (!P->stack.items[k].flow) {
      if (P->stack.items[k].column > ind) ind = P->stack.items[k].column;
      break;
    }
  return ind;
}

yt_tree *yt_parse(const char *text, size_t len) {
  yt_tree *t = gr_calloc(1, sizeof *t);
  t->text = text ? text : "";
  if (!text) len = 0;
  if (len > UINT32_MAX - 1) {
    len = UINT32_MAX - 1;
    yt__diag(t, 0, 0, YT_NONE, YT_DIAG_LIMIT, "the file is longer than 4 GiB: read up to there");
  }
  t->len = (uint32_t)len;
  t->odd_breaks = yt__odd_break(t->text, 0, t->len);
  yt__parser P;
  memset(&P, 0, sizeof P);
  P.t = t;
  uint32_t err_line = 0;
  int failed = yt__pass(&P, 0, t->len, &err_line);
  int errors = failed == 1 ? 1 : 0;
  uint32_t pos = 0;
  if (failed == 1 && !P.markdown) {
    /* resume at the next line indented no deeper than the error's */
    uint32_t ind = yt__resume_indent(&P, err_line);
    pos = yt__next_line(t->text, t->len, err_line);
    while (pos < t->len &&
           (yt__blank(t->text, t->len, pos) || yt__indent(t->text, t->len, pos) > ind))
      pos = yt__next_line(t->text, t->len, pos);
  }
  P.resumed = 1;
  int resuming = failed == 1 && !P.markdown;
  while (resuming && pos < t->len) {
    if (errors >= YT__MAX_ERRORS) {
      yt__diag(t, pos, pos, YT_NONE, YT_DIAG_LIMIT,
               "%d YAML errors: the rest of the file is not read", YT__MAX_ERRORS);
      break;
    }
    if (yt__blank(t->text, t->len, pos)) {
      pos = yt__next_line(t->text, t->len, pos);
      continue;
    }
    uint32_t c = yt__indent(t->text, t->len, pos);
    int dash = yt__dash_line(t->text, t->len, pos + c);
    if (!yt__structural(t->text, t->len, pos + c, dash)) {
      /* text, not YAML structure (code or prose out of its block): skip the line alone */
      pos = yt__next_line(t->text, t->len, pos);
      continue;
    }
    long k = yt__frame_for(&P, c, dash);
    if (k < 0 && P.stack.len == 0 && t->nodes.len == 0) k = -2; /* nothing read yet: a new root */
    if (k == -1) {
      /* fits no open collection: skip it and the lines under it */
      uint32_t l = yt__next_line(t->text, t->len, pos);
      while (l < t->len && (yt__blank(t->text, t->len, l) || yt__indent(t->text, t->len, l) > c))
        l = yt__next_line(t->text, t->len, l);
      pos = l;
      continue;
    }
    if (k >= 0) {
      yt__truncate(&P, (size_t)k + 1);
      for (long a = 0; a <= k; a++) P.stack.items[a].cut = 0;
      yt__close_key(&P, &P.stack.items[k]);
    }
    /* the lines that belong to that collection */
    uint32_t end = yt__next_line(t->text, t->len, pos);
    while (end < t->len) {
      if (!yt__blank(t->text, t->len, end)) {
        uint32_t ind = yt__indent(t->text, t->len, end);
        if (ind < c || (k >= 0 && ind == c && !P.stack.items[k].mapping &&
                        !yt__dash_line(t->text, t->len, end + ind)))
          break;
        if (k < 0 && ind == 0 && end + 3 <= t->len && (memcmp(t->text + end, "---", 3) == 0))
          break;
      }
      end = yt__next_line(t->text, t->len, end);
    }
    size_t depth = P.stack.len;
    int f = yt__pass(&P, pos, end, &err_line);
    failed = f; /* the last pass's outcome */
    if (f == 2) {
      yt__diag(t, pos + c, yt__trim_end(t->text, pos, yt__line_end(t->text, t->len, pos)),
               YT_NONE, YT_DIAG_SYNTAX,
               "this line is not %s like the lines around it (YAML: a value where %s was "
               "expected)",
               dash ? "a '- ' list item" : "`key: value`", dash ? "an item" : "a key");
      errors++;
      pos = end;
    } else if (f == 3) {
      break;
    } else if (f == 1) {
      errors++;
      uint32_t ind = yt__resume_indent(&P, err_line);
      pos = yt__next_line(t->text, t->len, err_line);
      while (pos < t->len &&
             (yt__blank(t->text, t->len, pos) || yt__indent(t->text, t->len, pos) > ind))
        pos = yt__next_line(t->text, t->len, pos);
    } else {
      pos = end;
    }
    if (f != 1 && P.stack.len > depth) yt__truncate(&P, depth);
  }
  /* what is still open ends with the text; truncated if an error cut it */
  yt__truncate(&P, 0);
  if (t->nodes.len == 0) {
    uint32_t i = yt__add(t, YT_SCALAR, YT_NONE, 0);
    t->nodes.items[i].value = yt__strdup(t, "", 0);
  }
  gr_array_free(&P.stack);
  /* diagnostics in text order (stable) */
  for (size_t i = 1; i < t->diags.len; i++) {
    yt_diag d = t->diags.items[i];
    size_t j = i;
    while (j > 0 && t->diags.items[j - 1].span.start > d.span.start) {
      t->diags.items[j] = t->diags.items[j - 1];
      j--;
    }
    t->diags.items[j] = d;
  }
  return t;
}

void yt_tree_free(yt_tree *tree) {
  if (!tree) return;
  for (yt__block *b = tree->strings; b;) {
    yt__block *next = b->next;
    gr_free(b);
    b = next;
  }
  gr_array_free(&tree->nodes);
  gr_array_free(&tree->diags);
  gr_free(tree);
}

/* ---- edits ---------------------------------------------------------------- */

/*
 * yt_tree_edit's case (see ytree.h): an edit inside one item of a block
 * sequence, whose "-" at column c begins its line, or inside one entry of a
 * block mapping, whose key at column c begins its line. The item's lines
 * run from that line to the first line after it that is neither blank, nor
 * a comment, nor indented deeper than c (nor, for an entry, a "- " at
 * column c: its value's items may stand there): at that line's first token
 * libyaml closes every collection deeper than column c, whatever the item
 * held, so what the full parse makes of the text before the item
 * (unchanged) and after it (unchanged, moved) does not depend on the item's
 * bytes, and the item's own events are those of its lines parsed alone (a
 * quote or a bracket still open at the end of them is an error there, and
 * the edit is not taken). A tab as the first character of that line would
 * be read differently after a plain scalar than after a block one: not
 * taken. The fuzz_edit target checks the rule against fresh parses after
 * every edit. Also not taken: a text with NEL, LS or PS (line breaks to
 * libyaml, not to the line helpers), a next node whose "-" or "?" stands on
 * an earlier line than the node, an item nested too deep for the full
 * parse.
 *
 * Measured with make bench-lsp's YAML row (1 MB template, typing in a
 * section's title): a keystroke parsed ~1.3 KB (the section's item)
 * instead of 1 MB. With entries it parses the title's line (unless the
 * title is the section's first key, after its "- "), and an edit in the
 * template's header (`template:`) the header's lines, not the file; the
 * storm's p50 stayed ~4 ms: it is the view built again from the tree.
 */

/* Strings of replaced nodes stay in the arena until a fresh parse; past
 * this much (and the text's size) an edit asks for one. */
#define YT__MAX_GARBAGE ((size_t)1 << 20)

/* The node after i's subtree in pre-order (the array's order), or the count. */
static uint32_t yt__after_subtree(const yt_tree *t, uint32_t i) {
  for (uint32_t x = i; x != YT_NONE; x = t->nodes.items[x].parent)
    if (t->nodes.items[x].next_sibling != YT_NONE) return t->nodes.items[x].next_sibling;
  return (uint32_t)t->nodes.len;
}

static uint32_t yt__first_pos(const yt_node *n) { return n->key_text ? n->key.start : n->span.start; }

static uint32_t yt__remap(uint32_t x, uint32_t from, int64_t shift) {
  return x == YT_NONE || x < from ? x : (uint32_t)((int64_t)x + shift);
}

static void yt__move_span(gr_span *s, int64_t by) {
  s->start = (uint32_t)((int64_t)s->start + by);
  s->end = (uint32_t)((int64_t)s->end + by);
}

/* Whether s[from, to) holds only spaces, tabs, line breaks and comments. */
static int yt__only_blanks(const char *s, uint32_t from, uint32_t to) {
  for (uint32_t i = from; i < to; i++) {
    if (s[i] == '#')
      while (i + 1 < to && s[i + 1] != '\n' && s[i + 1] != '\r') i++;
    else if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return 0;
  }
  return 1;
}

/* Reparse item `item` of block collection `coll` (a sequence's item, or a
 * mapping's entry) for the edit; 0 when done, -1 when the case does not
 * hold (the tree untouched). */
static int yt__edit_item(yt_tree *t, const char *text, uint32_t len, uint32_t coll, uint32_t item, uint32_t start,
                         uint32_t old_end, uint32_t new_end) {
  const yt_node *S = &t->nodes.items[coll], *I = &t->nodes.items[item];
  /* Bytes before `start` are the old text's; the old text itself is gone.
   * d: where the item's own line begins after its indentation (a "-", or
   * the entry's key), at the collection's column c. */
  uint32_t c, d;
  int map = S->kind == YT_MAPPING;
  if (map) {
    /* the column of its keys: the first key's (it may follow a "- "). A
     * key written after a "?" (or an anchor or tag) stands right of the
     * keys' column: the first key and this one must have nothing but
     * blanks and comments before them (since the mapping's start, or the
     * previous entry's end). */
    const yt_node *F = &t->nodes.items[S->first_child];
    if ((F->flags | I->flags) & YT_FLAG_COMPLEX_KEY || !I->key_text) return -1;
    d = I->key.start;
    if (d >= start) return -1; /* all read below lies before the edit */
    uint32_t prev_end = I->prev_sibling == YT_NONE ? S->span.start : t->nodes.items[I->prev_sibling].span.end;
    if (!yt__only_blanks(text, S->span.start, F->key.start) || !yt__only_blanks(text, prev_end, d)) return -1;
    c = F->key.start - yt__line_start(text, F->key.start);
  } else {
    c = S->span.start - yt__line_start(text, S->span.start);
    if (I->span.start == 0 || I->span.start >= start) return -1;
    d = I->span.start - 1;
    while (d > 0 && text[d] == ' ') d--;
    if (text[d] != '-') return -1;
  }
  /* an entry holding most of the text (`sections:`) is no cheaper than a
   * full parse, and a refusal after it would make two: not even its lines
   * are looked for (its old span tells) */
  if (map && I->span.end - d > len / 2) return -1;
  uint32_t ls = yt__line_start(text, d);
  if (d - ls != c || yt__indent(text, len, ls) != c) return -1;
  /* the item's lines in the new text: up to the first that ends it (an
   * entry's value may be a sequence whose "- " stand at the key's column) */
  uint32_t b = yt__next_line(text, len, d);
  while (b < len && (yt__blank(text, len, b) || yt__indent(text, len, b) > c ||
                     (map && yt__indent(text, len, b) == c && yt__dash_line(text, len, b + c))))
    b = yt__next_line(text, len, b);
  if (!(b > new_end || (b == len && old_end == t->len))) return -1;
  if (b < len && text[b + yt__indent(text, len, b)] == '\t') return -1;
  int64_t delta = (int64_t)new_end - (int64_t)old_end;
  uint32_t b_old = (uint32_t)((int64_t)b - delta);
  /* the old item lay in its lines, and nothing else did */
  if (I->span.end > b_old) return -1;
  /* What follows begins at line b: the next node's first token is there,
   * at its collection's column (the next item's "-", or the next key), so
   * line b ended the old item too. A "-" or "?" is a token but not a
   * node, and its node may start lines later: then the line that ended
   * the old item may not be b (a comment typed before that "-" joins the
   * next lines to this item). */
  uint32_t j = yt__after_subtree(t, item);
  if (j < t->nodes.len) {
    const yt_node *J = &t->nodes.items[j], *Jp = &t->nodes.items[J->parent];
    if (yt__first_pos(J) < b_old || (J->flags & YT_FLAG_COMPLEX_KEY)) return -1;
    uint32_t p = (uint32_t)((int64_t)yt__first_pos(J) + delta);
    uint32_t pc = Jp->span.start - yt__line_start(text, Jp->span.start), at = b + pc;
    if (yt__line_start(text, p) != b || yt__indent(text, len, b) != pc) return -1;
    if (Jp->kind == YT_SEQUENCE) {
      /* the "-" is Jp's own, not J's: Jp's span may start at an anchor or
       * tag on an earlier line, and pc be that column */
      if (text[at] != '-' || p <= at) return -1;
      for (at++; at < p; at++)
        if (text[at] != ' ') return -1;
    } else if (p != at) {
      return -1;
    }
  } else if (b != len) {
    return -1;
  }
  /* the item's lines alone */
  yt_tree *sub = yt_parse(text + ls, b - ls);
  const yt_node *r = &sub->nodes.items[0];
  if (sub->diags.len || sub->has_error || r->kind != S->kind || r->style != YT_STYLE_BLOCK ||
      r->span.start != d - ls || r->child_count != 1 || r->flags) {
    yt_tree_free(sub);
    return -1;
  }
  /* An empty value libyaml places at the next token (`? key` with no
   * `:`) would sit at the end of the lines here, and at the next line's
   * first character in the full text: not taken. No other node ends there
   * (the lines end with a line break). */
  uint32_t m = (uint32_t)sub->nodes.len;
  if (b < len)
    for (uint32_t x = 1; x < m; x++)
      if (sub->nodes.items[x].span.end >= b - ls) {
        yt_tree_free(sub);
        return -1;
      }
  /* The nesting limit counts from the document's root: the item's parse
   * counted coll's own frame, the full parse has coll's ancestors open too. */
  uint32_t above = 0;
  for (uint32_t a = S->parent; a != YT_NONE; a = t->nodes.items[a].parent) above++;
  if (above + sub->deepest >= YT__MAX_DEPTH) {
    yt_tree_free(sub);
    return -1;
  }
  /* splice: the old subtree [item, j) becomes sub's [1, m) */
  int64_t shift = (int64_t)(m - 1) - (int64_t)(j - item);
  size_t n = t->nodes.len;
  for (uint32_t x = item; x < j; x++) {
    const yt_node *o = &t->nodes.items[x];
    t->garbage += (o->key_text ? o->key_len + 1 : 0) + (o->value ? o->value_len + 1 : 0);
  }
  uint32_t old_next = t->nodes.items[item].next_sibling, old_prev = t->nodes.items[item].prev_sibling;
  if (shift > 0) gr_array_reserve(&t->nodes, (size_t)shift);
  yt_node *nodes = t->nodes.items;
  memmove(nodes + item + (m - 1), nodes + j, (n - j) * sizeof(yt_node));
  t->nodes.len = (size_t)((int64_t)n + shift);
  for (uint32_t x = 0; x < item; x++) {
    yt_node *o = &nodes[x];
    o->first_child = yt__remap(o->first_child, j, shift);
    o->last_child = yt__remap(o->last_child, j, shift);
    o->next_sibling = yt__remap(o->next_sibling, j, shift);
    o->prev_sibling = yt__remap(o->prev_sibling, j, shift);
  }
  for (size_t x = item + (m - 1); x < t->nodes.len; x++) {
    yt_node *o = &nodes[x];
    o->parent = yt__remap(o->parent, j, shift);
    o->first_child = yt__remap(o->first_child, j, shift);
    o->last_child = yt__remap(o->last_child, j, shift);
    o->next_sibling = yt__remap(o->next_sibling, j, shift);
    o->prev_sibling = yt__remap(o->prev_sibling, j, shift);
    yt__move_span(&o->span, delta);
    yt__move_span(&o->key, delta);
  }
  for (uint32_t x = 1; x < m; x++) {
    yt_node *o = &nodes[item + x - 1];
    *o = sub->nodes.items[x];
#define YT__SUB(f) (o->f == YT_NONE ? YT_NONE : o->f + item - 1)
    o->parent = x == 1 ? coll : YT__SUB(parent);
    o->first_child = YT__SUB(first_child);
    o->last_child = YT__SUB(last_child);
    o->next_sibling = x == 1 ? yt__remap(old_next, j, shift) : YT__SUB(next_sibling);
    o->prev_sibling = x == 1 ? old_prev : YT__SUB(prev_sibling);
#undef YT__SUB
    yt__move_span(&o->span, ls);
    yt__move_span(&o->key, ls);
    /* copied into the tree's arena: sub's opens a whole block of its own */
    if (o->key_text) o->key_text = yt__strdup(t, o->key_text, o->key_len);
    if (o->value) o->value = yt__strdup(t, o->value, o->value_len);
  }
  /* a block collection ends where its last child does */
  for (uint32_t a = coll; a != YT_NONE; a = nodes[a].parent) {
    yt_node *o = &nodes[a];
    uint32_t end = nodes[o->last_child].span.end;
    o->span.end = end > o->span.start ? end : o->span.start;
  }
  yt_tree_free(sub);
  t->text = text;
  t->len = len;
  return 0;
}

int yt_tree_edit(yt_tree *t, const char *text, size_t len, uint32_t start, uint32_t old_end, uint32_t new_end) {
  if (!text || t->diags.len || t->has_error || t->odd_breaks || len > UINT32_MAX - 1 || start > old_end ||
      start > new_end || old_end > t->len || new_end > len ||
      (uint64_t)t->len - (old_end - start) + (new_end - start) != len || t->garbage > YT__MAX_GARBAGE + t->len)
    return -1;
  /* a NEL, LS or PS the edit makes (from the bytes it brings together too) */
  if (yt__odd_break(text, start >= 2 ? start - 2 : 0, len - new_end >= 2 ? new_end + 2 : (uint32_t)len)) return -1;
  /* the items of block sequences and the entries of block mappings the
   * edit starts in, outermost first */
  uint32_t chain[YT__MAX_DEPTH + 1];
  size_t depth = 0;
  const yt_node *nodes = t->nodes.items;
  for (uint32_t x = 0; depth < YT__MAX_DEPTH;) {
    uint32_t in = YT_NONE;
    for (uint32_t ch = nodes[x].first_child; ch != YT_NONE; ch = nodes[ch].next_sibling) {
      if (yt__first_pos(&nodes[ch]) >= start) break;
      in = ch;
    }
    if (in == YT_NONE) break;
    if ((nodes[x].kind == YT_SEQUENCE || nodes[x].kind == YT_MAPPING) && nodes[x].style == YT_STYLE_BLOCK)
      chain[depth++] = in;
    x = in;
  }
  /* the innermost first: the fewest lines to parse */
  while (depth-- > 0) {
    uint32_t item = chain[depth];
    if (yt__edit_item(t, text, (uint32_t)len, t->nodes.items[item].parent, item, start, old_end, new_end) == 0)
      return 0;
  }
  return -1;
}

/* ---- reading ------------------------------------------------------------- */

const char *yt_tree_text(const yt_tree *tree) { return tree->text; }
uint32_t yt_tree_len(const yt_tree *tree) { return tree->len; }
uint32_t yt_tree_count(const yt_tree *tree) { return (uint32_t)tree->nodes.len; }
const yt_node *yt_tree_node(const yt_tree *tree, uint32_t i) {
  return i < tree->nodes.len ? &tree->nodes.items[i] : NULL;
}
uint32_t yt_tree_diag_count(const yt_tree *tree) { return (uint32_t)tree->diags.len; }
const yt_diag *yt_tree_diag(const yt_tree *tree, uint32_t i) {
  return i < tree->diags.len ? &tree->diags.items[i] : NULL;
}
int yt_tree_has_error(const yt_tree *tree) { return tree->has_error; }

uint32_t yt_tree_get(const yt_tree *tree, uint32_t map, const char *key) {
  if (map >= tree->nodes.len || tree->nodes.items[map].kind != YT_MAPPING) return YT_NONE;
  size_t n = strlen(key);
  uint32_t found = YT_NONE;
  for (uint32_t c = tree->nodes.items[map].first_child; c != YT_NONE;
       c = tree->nodes.items[c].next_sibling) {
    const yt_node *x = &tree->nodes.items[c];
    if (x->key_text && x->key_len == n && memcmp(x->key_text, key, n) == 0) found = c;
  }
  return found;
}

static int yt__holds(gr_span s, uint32_t off) { return s.start <= off && off <= s.end; }

uint32_t yt_tree_node_at(const yt_tree *tree, uint32_t offset) {
  const yt_node *n = tree->nodes.items;
  uint32_t at = YT_NONE;
  uint32_t i = 0;
  if (!yt__holds(n[0].span, offset)) return YT_NONE;
  at = 0;
  for (;;) {
    uint32_t next = YT_NONE;
    for (uint32_t c = n[i].first_child; c != YT_NONE; c = n[c].next_sibling) {
      if (n[c].key.start > offset) break;
      if (yt__holds(n[c].span, offset) || (n[c].key_text && yt__holds(n[c].key, offset))) next = c;
    }
    if (next == YT_NONE) return at;
    at = i = next;
  }
}

static const char *const yt__kind_names[YT_KIND_COUNT] = {"scalar", "mapping", "sequence", "alias"};
static const char *const yt__style_names[YT_STYLE_COUNT] = {"plain",  "single", "double", "literal",
                                                            "folded", "block",  "flow"};

const char *yt_kind_name(yt_kind kind) { return kind < YT_KIND_COUNT ? yt__kind_names[kind] : "?"; }
const char *yt_style_name(yt_style style) {
  return style < YT_STYLE_COUNT ? yt__style_names[style] : "?";
}

const char *yt_diag_code_name(yt_diag_code code) {
  switch (code) {
#define YT__XX(id, str, sev) \
  case YT_DIAG_##id: return str;
    YT_DIAG_CODES(YT__XX)
#undef YT__XX
    default: return "?";
  }
}

gr_severity yt_diag_code_severity(yt_diag_code code) {
  switch (code) {
#define YT__XX(id, str, sev) \
  case YT_DIAG_##id: return sev;
    YT_DIAG_CODES(YT__XX)
#undef YT__XX
    default: return GR_SEV_ERROR;
  }
}

/* ---- check and dump ------------------------------------------------------ */

#define YT__FAIL(...)                   \
  do {                                  \
    if (out) fprintf(out, __VA_ARGS__); \
    return -1;                          \
  } while (0)

static int yt__inside(gr_span in, gr_span out) { return out.start <= in.start && in.end <= out.end; }

int yt_tree_check(const yt_tree *tree, FILE *out) {
  const yt_node *n = tree->nodes.items;
  size_t count = tree->nodes.len;
  if (count == 0 || n[0].parent != YT_NONE) YT__FAIL("node 0 is not a root\n");
  for (size_t i = 0; i < count; i++) {
    const yt_node *x = &n[i];
    if (x->kind >= YT_KIND_COUNT || x->style >= YT_STYLE_COUNT)
      YT__FAIL("node %zu: bad kind or style\n", i);
    if (x->span.start > x->span.end || x->span.end > tree->len)
      YT__FAIL("node %zu: span [%u,%u) outside the text\n", i, x->span.start, x->span.end);
    int collection = x->kind == YT_MAPPING || x->kind == YT_SEQUENCE;
    if (collection != (x->value == NULL)) YT__FAIL("node %zu: value does not fit its kind\n", i);
    if (!collection && x->first_child != YT_NONE) YT__FAIL("node %zu: a scalar with children\n", i);
    if (x->value && x->value[x->value_len] != '\0') YT__FAIL("node %zu: value not terminated\n", i);
    if (i > 0) {
      if (x->parent >= i) YT__FAIL("node %zu: parent %u is not before it\n", i, x->parent);
      const yt_node *p = &n[x->parent];
      if (!yt__inside(x->span, p->span))
        YT__FAIL("node %zu [%u,%u): outside parent %u [%u,%u)\n", i, x->span.start, x->span.end,
                 x->parent, p->span.start, p->span.end);
      if ((p->kind == YT_MAPPING) != (x->key_text != NULL))
        YT__FAIL("node %zu: a key where none belongs, or none in a mapping\n", i);
      if (x->key_text) {
        if (!yt__inside(x->key, p->span)) YT__FAIL("node %zu: key outside its mapping\n", i);
        if (x->key.start > x->key.end || x->key.end > x->span.start)
          YT__FAIL("node %zu: key [%u,%u) not before its value at %u\n", i, x->key.start,
                   x->key.end, x->span.start);
        if (x->key_text[x->key_len] != '\0') YT__FAIL("node %zu: key not terminated\n", i);
      }
    } else if (x->key_text) {
      YT__FAIL("root has a key\n");
    }
    uint32_t prev = YT_NONE, kids = 0;
    for (uint32_t c = x->first_child; c != YT_NONE; c = n[c].next_sibling) {
      if (c >= count || n[c].parent != i) YT__FAIL("node %zu: child %u not linked back\n", i, c);
      if (n[c].prev_sibling != prev) YT__FAIL("node %u: prev_sibling broken\n", c);
      uint32_t cstart = n[c].key_text ? n[c].key.start : n[c].span.start;
      if (prev != YT_NONE && (n[prev].span.end > cstart || prev >= c))
        YT__FAIL("node %u: overlaps or precedes its previous sibling %u\n", c, prev);
      prev = c;
      if (++kids > count) YT__FAIL("node %zu: child loop\n", i);
    }
    if (prev != x->last_child) YT__FAIL("node %zu: last_child broken\n", i);
    if (kids != x->child_count) YT__FAIL("node %zu: child_count %u, %u children\n", i, x->child_count, kids);
  }
  for (size_t i = 0; i < tree->diags.len; i++) {
    const yt_diag *d = &tree->diags.items[i];
    if (d->span.start > d->span.end || d->span.end > tree->len)
      YT__FAIL("diagnostic %zu: span outside the text\n", i);
    if (d->code >= YT_DIAG_CODE_COUNT || !d->message) YT__FAIL("diagnostic %zu: bad code\n", i);
    if (d->node != YT_NONE && d->node >= count) YT__FAIL("diagnostic %zu: bad node\n", i);
    if (i > 0 && tree->diags.items[i - 1].span.start > d->span.start)
      YT__FAIL("diagnostic %zu: out of order\n", i);
  }
  return 0;
}

static int yt__same_str(const char *a, uint32_t an, const char *b, uint32_t bn) {
  if (!a || !b) return a == b;
  return an == bn && memcmp(a, b, an) == 0;
}

int yt_tree_same(const yt_tree *a, const yt_tree *b, FILE *out) {
  if (a->len != b->len) YT__FAIL("texts of %u and %u bytes\n", a->len, b->len);
  if (a->nodes.len != b->nodes.len) YT__FAIL("%zu nodes and %zu\n", a->nodes.len, b->nodes.len);
  for (size_t i = 0; i < a->nodes.len; i++) {
    const yt_node *x = &a->nodes.items[i], *y = &b->nodes.items[i];
    if (x->kind != y->kind || x->style != y->style || x->flags != y->flags)
      YT__FAIL("node %zu: kind, style or flags differ\n", i);
    if (x->parent != y->parent || x->first_child != y->first_child || x->last_child != y->last_child ||
        x->next_sibling != y->next_sibling || x->prev_sibling != y->prev_sibling || x->child_count != y->child_count)
      YT__FAIL("node %zu: links differ\n", i);
    if (x->span.start != y->span.start || x->span.end != y->span.end || x->key.start != y->key.start ||
        x->key.end != y->key.end)
      YT__FAIL("node %zu: span [%u,%u) key [%u,%u), and [%u,%u) key [%u,%u)\n", i, x->span.start, x->span.end,
               x->key.start, x->key.end, y->span.start, y->span.end, y->key.start, y->key.end);
    if (!yt__same_str(x->key_text, x->key_len, y->key_text, y->key_len) ||
        !yt__same_str(x->value, x->value_len, y->value, y->value_len))
      YT__FAIL("node %zu: key or value differs\n", i);
  }
  if (a->diags.len != b->diags.len || a->has_error != b->has_error)
    YT__FAIL("%zu diagnostics and %zu\n", a->diags.len, b->diags.len);
  for (size_t i = 0; i < a->diags.len; i++) {
    const yt_diag *x = &a->diags.items[i], *y = &b->diags.items[i];
    if (x->code != y->code || x->span.start != y->span.start || x->span.end != y->span.end || x->node != y->node ||
        strcmp(x->message, y->message) != 0)
      YT__FAIL("diagnostic %zu differs\n", i);
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

void yt_tree_dump(const yt_tree *tree, FILE *out) {
  const yt_node *n = tree->nodes.items;
  for (size_t i = 0; i < tree->nodes.len; i++) {
    int depth = 0;
    for (uint32_t p = n[i].parent; p != YT_NONE; p = n[p].parent) depth++;
    fprintf(out, "%*s", depth * 2, "");
    if (n[i].key_text) {
      yt__quote(out, n[i].key_text, n[i].key_len);
      fprintf(out, " %u-%u: ", n[i].key.start, n[i].key.end);
    } else if (i > 0) {
      fputs("- ", out);
    }
    fprintf(out, "(%s %u-%u %s", yt_kind_name(n[i].kind), n[i].span.start, n[i].span.end,
            yt_style_name(n[i].style));
    static const char *const flag_names[] = {"truncated", "recovered", "resumed",
                                             "anchor",    "tag",       "complex-key"};
    for (int f = 0; f < 6; f++)
      if (n[i].flags & (1u << f)) fprintf(out, " %s", flag_names[f]);
    if (n[i].value) {
      fputc(' ', out);
      yt__quote(out, n[i].value, n[i].value_len);
    }
    fputs(")\n", out);
  }
  for (size_t i = 0; i < tree->diags.len; i++) {
    const yt_diag *d = &tree->diags.items[i];
    static const char *sev[] = {"?", "error", "warning", "information", "hint"};
    fprintf(out, "%s %s %u-%u: %s\n", sev[d->severity >= 1 && d->severity <= 4 ? d->severity : 0],
            yt_diag_code_name(d->code), d->span.start, d->span.end, d->message);
  }
}
