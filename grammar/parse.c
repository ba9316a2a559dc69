/*
 * parse.c: the template DSL parser.
 *
 * Four linear passes over the caller's bytes, no copies:
 *
 *   0. Classification (bitmap.c): one vector pass marks, a bit per byte,
 *      line ends, the tokens each later pass reads, and the lines that may
 *      begin a heading or a fence; the passes below walk set bits.
 *   1. Lines (gr__scan_lines): front matter, fenced code and headings
 *      (ATX and setext) become "events" at line starts. Headings inside
 *      fences are not headings; markup inside fences is still markup.
 *      Documents (GR_MODE_DOCUMENT) take gr__scan_lines_doc instead, which
 *      reads code as CommonMark does (indented code, list items, quotes).
 *   2. Pairing (gr__pair_all): every "{{" is paired with its "}}" (nesting
 *      counted, never across a heading), every example opener is told block
 *      from inline by the closer that follows, and every REPEAT and
 *      CONDITION opener learns whether a closer follows. Stack passes in one
 *      walk, so the main scan never searches ahead for them.
 *   3. The main scan (gr__scan): one left-to-right walk with a stack of open
 *      containers that builds the node array in pre-order. A container whose
 *      end is known when it opens (placeholder, instruction, critical rule,
 *      code span, comment, fence) bounds everything opened inside it, so
 *      spans always nest; blocks (REPEAT, CONDITION, example) end at their
 *      closers, and sections end at the next heading of the same or a higher
 *      level in the same container. In a template a fence yields instead:
 *      a block that crosses it cuts it in two (gr__cut_fence).
 *
 * Every look-ahead is bounded by the next heading and by the enclosing
 * container, and each stretch of text is looked at a bounded number of
 * times, so the parse is linear; nesting is an explicit stack with a depth
 * limit, never recursion.
 */
#include <stdarg.h>
#include <string.h>

#include "grammar/bitmap.h"
#include "grammar/tree.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define GR__MAX_LEN (UINT32_MAX - 1)
#define GR__DEFAULT_DEPTH 256
#define GR__DEFAULT_NODES (4u * 1024 * 1024)
#define GR__MAX_TICKS 32 /* longest backtick run that can open a code span */
#define GR__FORCED_MEMORY 16
#define GR__MAX_TOKEN 1024 /* longest one-line token: "<<REPEAT ...>>", "@{example: ...}" */

/* ---- small helpers ------------------------------------------------------ */

/*
 * First offset in [i, end) holding byte a or b, or end. Inline SSE2 where
 * the compiler has it: most hits are a few dozen bytes apart (line ends,
 * braces), where a memchr call per hit cost more than the search itself.
 */
static uint32_t gr__find2(const char *t, uint32_t i, uint32_t end, char a, char b) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
  while (i + 16 <= end) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(t + i));
    unsigned m = (unsigned)_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)));
    if (m) return i + (uint32_t)__builtin_ctz(m);
    i += 16;
  }
#endif
  while (i < end && t[i] != a && t[i] != b) i++;
  return i;
}

static uint32_t gr__min(uint32_t a, uint32_t b) { return a < b ? a : b; }

static int gr__is_space(char c) { return c == ' ' || c == '\t'; }

static int gr__has(const char *t, uint32_t len, uint32_t i, const char *lit) {
  size_t n = strlen(lit);
  return (size_t)len - i >= n && memcmp(t + i, lit, n) == 0;
}


/*
 * Where a one-line token starting at i must end: the line's end, but never
 * more than GR__MAX_TOKEN bytes on, so that reading tokens on a 100 MB line
 * stays linear.
 */
static uint32_t gr__token_end(const char *t, uint32_t i, uint32_t bound) {
  uint32_t cap = bound - i > GR__MAX_TOKEN ? i + GR__MAX_TOKEN : bound;
  const char *nl = memchr(t + i, '\n', cap - i);
  if (nl) cap = (uint32_t)(nl - t);
  const char *cr = memchr(t + i, '\r', cap - i);
  return cr ? (uint32_t)(cr - t) : cap;
}

static gr_span gr__trim(const char *t, uint32_t s, uint32_t e) {
  while (s < e && (gr__is_space(t[s]) || t[s] == '\n' || t[s] == '\r')) s++;
  while (e > s && (gr__is_space(t[e - 1]) || t[e - 1] == '\n' || t[e - 1] == '\r')) e--;
  return (gr_span){s, e};
}

/* ---- pass 1: lines ------------------------------------------------------ */

typedef enum { GR__EV_HEADING, GR__EV_FENCE, GR__EV_FRONT } gr__ev_kind;

typedef struct gr__event {
  uint8_t kind;
  uint8_t level;     /* heading level */
  uint8_t setext;
  uint8_t unclosed;  /* fence without a closing line */
  uint8_t malformed; /* fence closed by a line with an info string */
  uint8_t indented;  /* an indented code block (documents): no opener, no closer */
  uint32_t start;    /* line start */
  uint32_t open_end; /* end of the opening line(s), before the terminator */
  gr_span name;      /* heading text, fence info string */
  gr_span close;     /* fence / front matter closing line; empty if none */
} gr__event;

typedef struct gr__lines_state {
  const char *t;
  uint32_t len;
  const gr_bitmap *bits;
  GR_ARRAY(gr__event) events;
  GR_ARRAY(uint32_t) headings; /* start offsets of heading events */
} gr__lines_state;

/* End of the line holding i: the next '\n' or '\r', read off the bitmap. */
static uint32_t gr__eol(const gr__lines_state *L, uint32_t i) {
  return gr_bitmap_next(L->bits->nl, i, L->len);
}

/* Next line start after the line holding [s, e): skips "\n", "\r\n" or "\r". */
static uint32_t gr__next_line(const char *t, uint32_t len, uint32_t e) {
  if (e < len && t[e] == '\r') {
    e++;
    if (e < len && t[e] == '\n') e++;
  } else if (e < len && t[e] == '\n') {
    e++;
  }
  return e;
}

static uint32_t gr__indent(const char *t, uint32_t s, uint32_t e, uint32_t *first) {
  uint32_t col = 0, i = s;
  while (i < e && gr__is_space(t[i])) {
    col += t[i] == '\t' ? 4 - (col % 4) : 1;
    i++;
  }
  *first = i;
  return col;
}

/* A thematic break: three or more '-', '*' or '_', blanks allowed between. */
static int gr__thematic_break(const char *t, uint32_t f, uint32_t e) {
  char c = t[f];
  if (c != '-' && c != '*' && c != '_') return 0;
  uint32_t n = 0;
  for (uint32_t i = f; i < e; i++) {
    if (t[i] == c) n++;
    else if (!gr__is_space(t[i])) return 0;
  }
  return n >= 3;
}

/* A line that could be the text of a setext heading: plain paragraph text. */
static int gr__paragraph_line(const char *t, uint32_t f, uint32_t e, uint32_t indent) {
  if (indent > 3 || f >= e || gr__thematic_break(t, f, e)) return 0;
  char c = t[f];
  if (c == '>' || c == '|' || c == '<' || c == '#') return 0;
  if ((c == '-' || c == '*' || c == '+') && (f + 1 == e || gr__is_space(t[f + 1]))) return 0;
  if (c >= '0' && c <= '9') {
    uint32_t i = f;
    while (i < e && i - f < 9 && t[i] >= '0' && t[i] <= '9') i++;
    if (i < e && (t[i] == '.' || t[i] == ')') && (i + 1 == e || gr__is_space(t[i + 1]))) return 0;
  }
  if (e - f >= 2 && ((c == '[' && t[f + 1] == '[') || (c == '^' && t[f + 1] == '^') ||
                     (c == '@' && t[f + 1] == '{')))
    return 0;
  return 1;
}

/* "---"/"===" underline (or a thematic break "---"): one repeated char. */
static int gr__rule_line(const char *t, uint32_t f, uint32_t e, char ch) {
  uint32_t n = 0;
  while (f < e && t[f] == ch) f++, n++;
  while (f < e && gr__is_space(t[f])) f++;
  return n > 0 && f == e;
}

static int gr__front_fence(const char *t, uint32_t s, uint32_t e, int closing) {
  if (e - s >= 3 && (memcmp(t + s, "---", 3) == 0 || (closing && memcmp(t + s, "...", 3) == 0))) {
    uint32_t i = s + 3;
    while (i < e && gr__is_space(t[i])) i++;
    return i == e;
  }
  return 0;
}

/* An ATX heading on the line [ls, le), '#' at f: record it; 0 if it is not one. */
/* Inlined: the template scan calls it once per heading, the document scan too. */
static inline __attribute__((always_inline)) int gr__atx(gr__lines_state *L, uint32_t ls,
                                                         uint32_t f, uint32_t le) {
  const char *t = L->t;
  uint32_t i = f, lvl = 0;
  while (i < le && t[i] == '#' && lvl < 7) i++, lvl++;
  if (lvl > 6 || (i < le && !gr__is_space(t[i]))) return 0;
  uint32_t ts = i, te = le;
  while (ts < te && gr__is_space(t[ts])) ts++;
  while (te > ts && gr__is_space(t[te - 1])) te--;
  /* optional closing sequence: " ###" */
  uint32_t c = te;
  while (c > ts && t[c - 1] == '#') c--;
  if (c < te && (c == ts || gr__is_space(t[c - 1]))) {
    te = c;
    while (te > ts && gr__is_space(t[te - 1])) te--;
  }
  gr__event ev = {GR__EV_HEADING, (uint8_t)lvl, 0, 0, 0, 0, ls, le, {ts, te}, {le, le}};
  gr_array_push(&L->events, ev);
  gr_array_push(&L->headings, ls);
  return 1;
}

/*
 * The paragraph a setext underline at line start ls would turn into a
 * heading: the run of paragraph lines right above it, no further back than
 * `floor` (the line after the last event). Returns the run's first line
 * start and sets *end to the end of its last line; GR_NONE if the line
 * above is not paragraph text. Each line is looked at a bounded number of
 * times: a run that becomes a heading moves the floor past it.
 */
static uint32_t gr__para_above(const gr__lines_state *L, uint32_t floor, uint32_t ls,
                               uint32_t *end) {
  const char *t = L->t;
  uint32_t first = GR_NONE;
  while (ls > floor) {
    uint32_t e = ls - 1; /* the terminator of the line above */
    if (t[e] == '\n' && e > floor && t[e - 1] == '\r') e--;
    uint32_t nl = gr_bitmap_prev(L->bits->nl, floor, e);
    uint32_t s = nl == GR_BITMAP_NONE ? floor : nl + 1;
    uint32_t f, indent = gr__indent(t, s, e, &f);
    if (!gr__paragraph_line(t, f, e, indent)) break;
    if (first == GR_NONE) *end = e;
    first = s;
    ls = s;
  }
  return first;
}

/*
 * Outside a fence, a line whose first non-blank byte is at f (or f == len)
 * that begins no heading, fence or underline. A list item "- x" is the
 * commonest line in templates.
 */
static int gr__begins_nothing(const char *t, uint32_t len, uint32_t f) {
  char c = f < len ? t[f] : '\n';
  if (c != '#' && c != '`' && c != '~' && c != '-' && c != '=') return 1;
  if (c != '-' || f + 2 >= len || t[f + 1] != ' ') return 0;
  return !gr__is_space(t[f + 2]) && t[f + 2] != '\n' && t[f + 2] != '\r';
}

/* Front matter: "---" on the first line, closed by "---" or "...". Returns
 * where the body starts (after a BOM and the front matter). */
static uint32_t gr__front_matter(gr__lines_state *L) {
  const char *t = L->t;
  uint32_t len = L->len;
  uint32_t s = 0;
  if (len >= 3 && memcmp(t, "\xEF\xBB\xBF", 3) == 0) s = 3;
  uint32_t e0 = gr__eol(L, s);
  if (gr__front_fence(t, s, e0, 0)) {
    uint32_t ls = gr__next_line(t, len, e0);
    while (ls < len) {
      uint32_t le = gr__eol(L, ls);
      if (gr__front_fence(t, ls, le, 1)) {
        gr__event ev = {GR__EV_FRONT, 0, 0, 0, 0, 0, 0, e0, {s, s}, {ls, le}};
        gr_array_push(&L->events, ev);
        return gr__next_line(t, len, le);
      }
      ls = gr__next_line(t, len, le);
    }
  }
  return s;
}

static void gr__scan_lines(gr__lines_state *L) {
  const char *t = L->t;
  uint32_t len = L->len;
  uint32_t s = gr__front_matter(L);

  /* Only lines whose first byte may begin an event are read (the line
   * bitmap); a setext underline looks back for its paragraph instead of
   * every line keeping paragraph state (that was a third of the parse). */
  uint32_t floor = s; /* first line after the last event */
  int in_fence = 0;
  char fence_ch = 0;
  uint32_t fence_len = 0;
  size_t fence_ev = 0;

  for (uint32_t ls = s; ls < len;) {
    /* Most candidates need no more than a look at their first bytes: in a
     * fence, a line that cannot close it; outside, one that begins nothing. */
    uint32_t f0 = ls;
    while (f0 < len && gr__is_space(t[f0])) f0++;
    if (in_fence ? f0 == len || t[f0] != fence_ch : gr__begins_nothing(t, len, f0)) {
      ls = gr_bitmap_next(L->bits->line, f0 > ls ? f0 : ls + 1, len);
      continue;
    }
    uint32_t le = gr__eol(L, ls);
    uint32_t next = gr__next_line(t, len, le);
    uint32_t f;
    uint32_t indent = gr__indent(t, ls, le, &f);

    if (in_fence) {
      uint32_t n = 0, i = f;
      while (i < le && t[i] == fence_ch) i++, n++;
      while (i < le && gr__is_space(t[i])) i++;
      /* "```text" where "```" belongs: CommonMark would read it as code and
       * run the block on, but it is always a slip (a converter's, often).
       * Close the block here and say so (malformed-fence). */
      int info = n >= fence_len && i < le && (fence_ch == '~' || !memchr(t + i, '`', le - i));
      if (n >= fence_len && (i == le || info)) {
        L->events.items[fence_ev].close = (gr_span){ls, le};
        L->events.items[fence_ev].malformed = (uint8_t)info;
        L->events.items[fence_ev].unclosed = 0;
        in_fence = 0;
        floor = next;
      }
    } else if (f == le) {
      /* blank */
    } else if (indent <= 3 && t[f] == '#' && gr__atx(L, ls, f, le)) {
      floor = next;
    } else if (t[f] == '`' || t[f] == '~') {
      char ch = t[f];
      uint32_t i = f, n = 0;
      while (i < le && t[i] == ch) i++, n++;
      if (n >= 3 && (ch == '~' || !memchr(t + i, '`', le - i))) {
        gr__event ev = {GR__EV_FENCE, 0, 0, 1, 0, 0, ls, le, gr__trim(t, i, le), {len, len}};
        fence_ev = L->events.len;
        gr_array_push(&L->events, ev);
        in_fence = 1;
        fence_ch = ch;
        fence_len = n;
      }
    } else if (indent <= 3 && (gr__rule_line(t, f, le, '=') || gr__rule_line(t, f, le, '-'))) {
      /* a setext underline, when paragraph lines stand right above it */
      uint32_t para_end = 0, para = gr__para_above(L, floor, ls, &para_end);
      if (para != GR_NONE) {
        gr__event ev = {GR__EV_HEADING, t[f] == '=' ? 1 : 2, 1, 0, 0, 0, para, le,
                        gr__trim(t, para, para_end), {le, le}};
        gr_array_push(&L->events, ev);
        gr_array_push(&L->headings, para);
        floor = next;
      }
    }
    ls = gr_bitmap_next(L->bits->line, next, len);
  }
  if (in_fence) L->events.items[fence_ev].close = (gr_span){len, len};
}

/* ---- pass 1 for documents: code as CommonMark reads it ------------------- */

/*
 * Documents are read as a CommonMark renderer shows them (spec 0.31,
 * sections 4.4 "Indented code blocks", 4.5 "Fenced code blocks", 5.2 "List
 * items", 5.1 "Block quotes"), as far as code is concerned:
 *  - a fence closes only at a line of the opener's character, at least as
 *    long, indented at most 3 spaces (past its container's content column)
 *    and with nothing but blanks after it: "```bash" inside an open fence is
 *    code;
 *  - an unclosed fence ends with its container: the file, the list item it
 *    opened in (a later line indented less than the item's content), or the
 *    blockquote (a line with fewer '>' markers);
 *  - a line indented 4+ columns past its container's content column is
 *    indented code, unless it would continue a paragraph (a lazy or list
 *    continuation line is not code); the block runs over blank lines to its
 *    last indented line.
 * Lists are kept as a stack of content columns, blockquotes as a depth;
 * everything else that is not code is a paragraph line or a blank.
 */

#define GR__DOC_MAX_LISTS 64

typedef struct gr__doc_state {
  uint32_t lists[GR__DOC_MAX_LISTS]; /* content columns of the open list items */
  uint32_t nlists;
  uint32_t quote; /* blockquote depth of the open blocks */
  int in_para;    /* the line above was paragraph text */
} gr__doc_state;

/* Column after [s, f) where col is the column at s (tabs to multiples of 4). */
static uint32_t gr__cols(const char *t, uint32_t s, uint32_t f, uint32_t col) {
  for (uint32_t i = s; i < f; i++) col += t[i] == '\t' ? 4 - (col % 4) : 1;
  return col;
}

/* The '>' markers at the start of [ls, le): at most `max`. Sets *p after them
 * and *col to the column there. */
static uint32_t gr__quotes(const char *t, uint32_t ls, uint32_t le, uint32_t max, uint32_t *p,
                           uint32_t *col) {
  uint32_t q = 0, i = ls, c = 0;
  while (q < max) {
    uint32_t j = i, cj = c;
    while (j < le && t[j] == ' ' && cj - c < 3) j++, cj++;
    if (j >= le || t[j] != '>') break;
    j++, cj++;
    if (j < le && (t[j] == ' ' || t[j] == '\t')) {
      cj = gr__cols(t, j, j + 1, cj);
      j++;
    }
    i = j, c = cj, q++;
  }
  *p = i;
  *col = c;
  return q;
}

/* A fence opener at f (its line ends at le): the run's length, or 0. */
static uint32_t gr__fence_open(const char *t, uint32_t f, uint32_t le) {
  if (f >= le || (t[f] != '`' && t[f] != '~')) return 0;
  char ch = t[f];
  uint32_t i = f, n = 0;
  while (i < le && t[i] == ch) i++, n++;
  if (n < 3 || (ch == '`' && memchr(t + i, '`', le - i))) return 0;
  return n;
}

/* A list marker at f: its width (marker + the blanks that count), or 0. An
 * item that would interrupt a paragraph must not be empty and, ordered,
 * must start at 1. Sets *content to where its text begins (le if blank). */
static uint32_t gr__list_marker(const char *t, uint32_t f, uint32_t le, uint32_t col, int in_para,
                                uint32_t *content, uint32_t *width) {
  uint32_t i = f;
  int one = 0;
  if (t[f] == '-' || t[f] == '*' || t[f] == '+') {
    i = f + 1;
  } else if (t[f] >= '0' && t[f] <= '9') {
    while (i < le && i - f < 9 && t[i] >= '0' && t[i] <= '9') i++;
    if (i >= le || (t[i] != '.' && t[i] != ')')) return 0;
    one = i - f == 1 && t[f] == '1';
    i++;
    if (in_para && !one) return 0;
  } else {
    return 0;
  }
  if (i < le && t[i] != ' ' && t[i] != '\t') return 0;
  uint32_t mcol = gr__cols(t, f, i, col), j = i;
  while (j < le && (t[j] == ' ' || t[j] == '\t')) j++;
  uint32_t ccol = gr__cols(t, i, j, mcol);
  if (j == le) {
    if (in_para) return 0; /* an empty item cannot interrupt a paragraph */
    *content = le;
    *width = mcol + 1 - col;
    return 1;
  }
  if (ccol - mcol > 4) { /* code inside the item: the content is one blank on */
    *content = i + 1 <= le ? i + 1 : le;
    *width = mcol + 1 - col;
    return 1;
  }
  *content = j;
  *width = ccol - col;
  return 1;
}

static void gr__doc_fence_open(gr__lines_state *L, uint32_t ls, uint32_t le, uint32_t f,
                               uint32_t n) {
  gr__event ev = {GR__EV_FENCE, 0, 0, 1, 0, 0, ls, le, gr__trim(L->t, f + n, le), {L->len, L->len}};
  gr_array_push(&L->events, ev);
}

/* Where the documents' pass 1 stands, so that a template's broken-fence
 * message reads only as much of the CommonMark reading as it needs. */
typedef struct gr__doc_scan {
  gr__doc_state D;
  uint32_t ls, floor;
  int started, done, in_fence, in_icode;
  char fence_ch;
  /* the open fence: its event, length, container column, quote depth */
  uint32_t fence_len, fence_col, fence_quote, icode_end;
  size_t fence_ev, icode_ev;
} gr__doc_scan;

/* Read lines up to `until` (a line start) and on until no code block is
 * open; to the end of the text, which closes what is open, if it comes first. */
static void gr__doc_scan_to(gr__lines_state *L, gr__doc_scan *S, uint32_t until) {
  const char *t = L->t;
  uint32_t len = L->len;
  if (S->done) return;
  if (!S->started) {
    S->started = 1;
    S->ls = S->floor = gr__front_matter(L);
  }
  gr__doc_state D = S->D;
  uint32_t floor = S->floor;
  int in_fence = S->in_fence, in_icode = S->in_icode;
  char fence_ch = S->fence_ch;
  uint32_t fence_len = S->fence_len, fence_col = S->fence_col, fence_quote = S->fence_quote;
  size_t fence_ev = S->fence_ev, icode_ev = S->icode_ev;
  uint32_t icode_end = S->icode_end;

  uint32_t ls = S->ls;
  while (ls < len && (ls <= until || in_fence || in_icode)) {
    uint32_t le = gr__eol(L, ls);
    uint32_t next = gr__next_line(t, len, le);
    /* Most lines begin with a letter: paragraph text (or, in a fence at the
     * margin, code), with no container to close. */
    unsigned char c0 = (unsigned char)t[ls];
    if (((c0 | 0x20) >= 'a' && (c0 | 0x20) <= 'z') || c0 >= 0x80) {
      if (in_fence ? fence_col == 0 && fence_quote == 0 : !in_icode && D.quote == 0) {
        if (!in_fence) {
          if (!D.in_para) D.nlists = 0;
          D.in_para = 1;
        }
        ls = next;
        continue;
      }
    }
    uint32_t p, pcol;
    uint32_t q = gr__quotes(t, ls, le, in_fence ? fence_quote : UINT32_MAX, &p, &pcol);
    uint32_t f = p;
    while (f < le && gr__is_space(t[f])) f++;
    uint32_t ind = gr__cols(t, p, f, pcol);
    int blank = f == le;

    if (in_fence) {
      /* The fence's container ends: a line outside its blockquote, or a
       * non-blank line left of its list item's content. */
      if (q < fence_quote || (!blank && ind < fence_col)) {
        L->events.items[fence_ev].close = (gr_span){ls, ls};
        in_fence = 0;
        floor = ls;
        D.in_para = 0;
      } else {
        uint32_t n = 0, i = f;
        while (i < le && t[i] == fence_ch) i++, n++;
        while (i < le && gr__is_space(t[i])) i++;
        if (ind - fence_col <= 3 && n >= fence_len && i == le) {
          L->events.items[fence_ev].close = (gr_span){ls, le};
          L->events.items[fence_ev].unclosed = 0;
          in_fence = 0;
          floor = next;
        }
        ls = next;
        continue;
      }
    }

    if (blank) {
      D.in_para = 0;
      ls = next;
      continue;
    }
    if (q != D.quote) {
      /* a lazy continuation line keeps the paragraph of the quote open */
      if (!(q < D.quote && D.in_para && !gr__fence_open(t, f, le) && t[f] != '#')) {
        D.quote = q;
        D.nlists = 0;
        D.in_para = 0;
      }
    }
    /* Leave the list items this line is not indented into (a paragraph's
     * lazy continuation line stays). */
    uint32_t item_c = 0, item_w = 0;
    uint32_t n0 = gr__fence_open(t, f, le);
    int item = gr__list_marker(t, f, le, ind, D.in_para, &item_c, &item_w);
    int brk = gr__thematic_break(t, f, le);
    if (D.in_para && !n0 && t[f] != '#' && !brk && !item) {
      /* lazy: stays in the item whatever its indent */
    } else {
      while (D.nlists && ind < D.lists[D.nlists - 1]) D.nlists--;
    }
    uint32_t w = D.nlists ? D.lists[D.nlists - 1] : 0;
    uint32_t r = ind >= w ? ind - w : 0;

    if (!D.in_para && ind >= w + 4) {
      /* indented code: from its first line to its last non-blank one */
      if (!in_icode) {
        gr__event ev = {GR__EV_FENCE, 0, 0, 0, 0, 1, ls, ls, {ls, ls}, {ls, ls}};
        icode_ev = L->events.len;
        gr_array_push(&L->events, ev);
        in_icode = 1;
      }
      icode_end = le;
      floor = next;
      ls = next;
      continue;
    }
    if (in_icode) {
      L->events.items[icode_ev].close = (gr_span){icode_end, icode_end};
      in_icode = 0;
    }

    uint32_t n = r <= 3 ? n0 : 0;
    if (n) {
      gr__doc_fence_open(L, ls, le, f, n);
      fence_ev = L->events.len - 1;
      in_fence = 1, fence_ch = t[f], fence_len = n, fence_col = w, fence_quote = q;
      D.in_para = 0;
    } else if (q == 0 && ind <= 3 && t[f] == '#' && gr__atx(L, ls, f, le)) {
      floor = next;
      D.in_para = 0;
    } else if (q == 0 && ind <= 3 && D.in_para &&
               (gr__rule_line(t, f, le, '=') || gr__rule_line(t, f, le, '-'))) {
      uint32_t para_end = 0, para = gr__para_above(L, floor, ls, &para_end);
      if (para != GR_NONE) {
        gr__event ev = {GR__EV_HEADING, t[f] == '=' ? 1 : 2, 1, 0, 0, 0, para, le,
                        gr__trim(t, para, para_end), {le, le}};
        gr_array_push(&L->events, ev);
        gr_array_push(&L->headings, para);
        floor = next;
      }
      D.in_para = 0;
    } else if (r <= 3 && brk) {
      D.in_para = 0;
    } else if (r <= 3 && item) {
      uint32_t c = item_c, col = ind + item_w;
      if (D.nlists == GR__DOC_MAX_LISTS) D.nlists--;
      D.lists[D.nlists++] = col;
      /* the item's first line may open a fence: "- ```bash" */
      uint32_t m = c < le ? gr__fence_open(t, c, le) : 0;
      if (m) {
        gr__doc_fence_open(L, ls, le, c, m);
        fence_ev = L->events.len - 1;
        in_fence = 1, fence_ch = t[c], fence_len = m, fence_col = col, fence_quote = q;
        D.in_para = 0;
      } else {
        D.in_para = c < le;
      }
    } else {
      D.in_para = 1;
    }
    ls = next;
  }
  if (ls >= len) {
    if (in_fence) L->events.items[fence_ev].close = (gr_span){len, len};
    if (in_icode) L->events.items[icode_ev].close = (gr_span){icode_end, icode_end};
    in_fence = in_icode = 0;
    S->done = 1;
  }
  S->D = D;
  S->ls = ls;
  S->floor = floor;
  S->in_fence = in_fence, S->in_icode = in_icode;
  S->fence_ch = fence_ch;
  S->fence_len = fence_len, S->fence_col = fence_col, S->fence_quote = fence_quote;
  S->fence_ev = fence_ev, S->icode_ev = icode_ev;
  S->icode_end = icode_end;
}

static void gr__scan_lines_doc(gr__lines_state *L) {
  gr__doc_scan S;
  memset(&S, 0, sizeof S);
  gr__doc_scan_to(L, &S, UINT32_MAX);
}

/* First heading start strictly after `pos`, or `len`. */
static uint32_t gr__next_heading(const gr__lines_state *L, uint32_t pos) {
  size_t lo = 0, hi = L->headings.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (L->headings.items[mid] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < L->headings.len ? L->headings.items[lo] : L->len;
}

/* ---- pass 2: tokens the pairings read ----------------------------------- */

typedef struct gr__pair {
  uint32_t open, close; /* close == GR_NONE: never closed */
} gr__pair;

typedef GR_ARRAY(gr__pair) gr__pairs;

typedef enum {
  GR__EX_CLOSE,
  GR__EX_BLOCK,
  GR__EX_INLINE,
  GR__EX_UNCLOSED,
  GR__EX_PENDING
} gr__ex_role;

typedef struct gr__extok {
  uint32_t start, end; /* the token "@{...}" */
  gr_span name;        /* payload after ':' (trimmed) */
  uint8_t role;
  uint8_t block_shaped; /* alone on its line, payload empty or one word */
  uint8_t bare;         /* no payload at all */
  uint32_t close_at;    /* GR__EX_BLOCK: where its closer starts */
} gr__extok;

typedef GR_ARRAY(gr__extok) gr__extoks;

/* "@{example}", "@{examples}", "@{example-2: x}", "@{/example}" at i. */
static int gr__example_token(const char *t, uint32_t len, uint32_t i, gr__extok *tok) {
  uint32_t j = i + 2;
  int closer = 0;
  if (j < len && t[j] == '/') closer = 1, j++;
  if (!gr__has(t, len, j, "example")) return 0;
  j += 7;
  if (j < len && t[j] == 's') j++;
  else if (j < len && t[j] == '-') {
    uint32_t d = j + 1;
    while (d < len && t[d] >= '0' && t[d] <= '9') d++;
    if (d == j + 1) return 0;
    j = d;
  }
  uint32_t le = gr__token_end(t, j, len);
  memset(tok, 0, sizeof *tok);
  tok->start = i;
  if (j < len && t[j] == '}') {
    tok->end = j + 1;
    tok->name = (gr_span){j, j};
    tok->bare = 1;
  } else if (!closer && j < len && t[j] == ':') {
    const char *rb = memchr(t + j, '}', le - j);
    if (!rb) return 0;
    tok->end = (uint32_t)(rb - t) + 1;
    tok->name = gr__trim(t, j + 1, tok->end - 1);
  } else {
    return 0;
  }
  tok->role = closer ? GR__EX_CLOSE : GR__EX_PENDING;
  if (!closer) {
    /* alone on its line: only blanks back to the line start and on to its end */
    uint32_t k = i;
    while (k > 0 && gr__is_space(t[k - 1])) k--;
    int alone = k == 0 || t[k - 1] == '\n' || t[k - 1] == '\r';
    k = tok->end;
    while (k < len && gr__is_space(t[k])) k++;
    alone = alone && (k == len || t[k] == '\n' || t[k] == '\r');
    int word = 1;
    for (uint32_t w = tok->name.start; w < tok->name.end && word; w++)
      word = !gr__is_space(t[w]);
    tok->block_shaped = (uint8_t)(alone && word);
  }
  return 1;
}

typedef struct gr__blocktok {
  uint32_t start, end; /* the token */
  gr_span name;
  uint8_t kind;        /* GR_REPEAT or GR_CONDITION */
  uint8_t closer, bare, form, paired;
  uint32_t close_at; /* paired: where the closer that pairs with it starts */
} gr__blocktok;

typedef GR_ARRAY(gr__blocktok) gr__blocktoks;

/*
 * Read a block token at i, within t[0..lim): "<<REPEAT: name>>",
 * "<<REPEAT section="x" count="y">>", "<<REPEAT for each x>>", "<</REPEAT>>",
 * "^^CONDITION: name^^", "^^/CONDITION: name^^", "^^/CONDITION^^". Tokens
 * never cross a line. Returns 0 when there is none.
 */
static int gr__block_token(const char *t, uint32_t lim, uint32_t i, gr__blocktok *tok) {
  memset(tok, 0, sizeof *tok);
  tok->start = i;
  uint32_t le = gr__token_end(t, i, lim);
  if (gr__has(t, le, i, "<</REPEAT>>")) {
    tok->kind = GR_REPEAT;
    tok->closer = tok->bare = 1;
    tok->end = i + 11;
    tok->name = (gr_span){tok->end, tok->end};
    return 1;
  }
  if (gr__has(t, le, i, "<<REPEAT")) {
    uint32_t j = i + 8, close = GR_NONE;
    if (j < le && !(t[j] == ':' || gr__is_space(t[j]) || t[j] == '>')) return 0;
    for (uint32_t k = j; k + 1 < le; k++)
      if (t[k] == '>' && t[k + 1] == '>') {
        close = k;
        break;
      }
    if (close == GR_NONE) return 0;
    tok->kind = GR_REPEAT;
    tok->end = close + 2;
    tok->form = GR_REPEAT_PROSE;
    if (t[j] == ':') {
      tok->form = GR_REPEAT_COLON;
      tok->name = gr__trim(t, j + 1, close);
      return 1;
    }
    tok->name = gr__trim(t, j, close);
    for (uint32_t k = tok->name.start; k + 9 <= tok->name.end; k++) {
      if (memcmp(t + k, "section=\"", 9) == 0 && (k == tok->name.start || gr__is_space(t[k - 1]))) {
        const char *q = memchr(t + k + 9, '"', tok->name.end - (k + 9));
        if (q) {
          tok->form = GR_REPEAT_ATTRS;
          tok->name = (gr_span){k + 9, (uint32_t)(q - t)};
        }
        break;
      }
    }
    return 1;
  }
  if (!gr__has(t, le, i, "^^")) return 0;
  uint32_t j = i + 2;
  if (j < le && t[j] == '/') tok->closer = 1, j++;
  if (!gr__has(t, le, j, "CONDITION")) return 0;
  j += 9;
  tok->kind = GR_CONDITION;
  if (tok->closer && gr__has(t, le, j, "^^")) {
    tok->bare = 1;
    tok->end = j + 2;
    tok->name = (gr_span){j, j};
    return 1;
  }
  if (j >= le || t[j] != ':') return 0;
  for (uint32_t k = j + 1; k + 1 < le; k++)
    if (t[k] == '^' && t[k + 1] == '^') {
      tok->end = k + 2;
      tok->name = gr__trim(t, j + 1, k);
      if (tok->name.start == tok->name.end) {
        if (!tok->closer) return 0;
        tok->bare = 1;
      }
      return 1;
    }
  return 0;
}

/*
 * Pair REPEAT and CONDITION openers with closers, lexically, so the main
 * scan knows at an opener whether anything closes it. An opener nothing
 * closes (a "<<REPEAT for each x>>" used as a trailing note) becomes a
 * marker instead of a block that swallows the rest of the file. A CONDITION
 * closer pairs with the innermost opener of its name, else the innermost.
 * Only openers are kept.
 */

/* ---- pass 2: one walk for the three pairings ------------------------------ */

typedef GR_ARRAY(uint32_t) gr__u32s;

/*
 * The pairing state: each of the three pairings (braces, examples, blocks)
 * keeps its own cursor, so one walk over the bytes that any of them cares
 * about gives exactly what three separate walks gave.
 */
typedef struct gr__pairing {
  const gr__lines_state *L;
  gr__pairs *ph;
  gr__extoks *ex;
  gr__blocktoks *bk;
  gr__u32s braces, examples, repeats, conditions; /* open items, innermost last */
  size_t heading;                                  /* next heading for the braces */
  uint32_t brace_at, example_at, block_at;         /* each pairing's cursor */
} gr__pairing;

/*
 * Pair "{{" with "}}": runs of braces are read greedily from the left in
 * twos, nesting is counted, and a heading line clears the open ones (a
 * placeholder never crosses a heading).
 */
static void gr__pair_brace(gr__pairing *G, uint32_t p) {
  const gr__lines_state *L = G->L;
  const char *t = L->t;
  while (G->heading < L->headings.len && L->headings.items[G->heading] <= p) {
    G->braces.len = 0; /* unterminated ones keep close = GR_NONE */
    G->heading++;
  }
  int two = p + 1 < L->len && t[p + 1] == t[p];
  if (two && t[p] == '{') {
    gr__pair pr = {p, GR_NONE};
    gr_array_push(&G->braces, (uint32_t)G->ph->len);
    gr_array_push(G->ph, pr);
  } else if (two && G->braces.len) {
    G->ph->items[G->braces.items[--G->braces.len]].close = p;
  }
  G->brace_at = p + (two ? 2 : 1);
}

/*
 * Tell example blocks from inline examples: an opener is a block when a
 * closer follows it. A closer pairs with the innermost block-shaped opener
 * still open (else the innermost opener), and the openers it passes over
 * are inline. Openers left at the end are inline, except a bare opener
 * alone on its line ("@{example}"), which is an unclosed block (settled at
 * the end of gr__pair_all).
 */
static void gr__pair_example(gr__pairing *G, uint32_t p) {
  const char *t = G->L->t;
  uint32_t len = G->L->len;
  gr__extok tok;
  G->example_at = p + 1;
  if (!(p + 1 < len && t[p + 1] == '{' && gr__example_token(t, len, p, &tok))) return;
  gr__extoks *out = G->ex;
  uint32_t k = (uint32_t)out->len;
  gr_array_push(out, tok);
  gr__u32s *stack = &G->examples;
  if (tok.role == GR__EX_PENDING) {
    gr_array_push(stack, k);
  } else if (stack->len) {
    size_t m = stack->len;
    while (m > 0 && !out->items[stack->items[m - 1]].block_shaped) m--;
    if (m == 0) m = stack->len;
    for (size_t a = m; a < stack->len; a++) out->items[stack->items[a]].role = GR__EX_INLINE;
    out->items[stack->items[m - 1]].role = GR__EX_BLOCK;
    out->items[stack->items[m - 1]].close_at = p;
    stack->len = m - 1;
  }
  G->example_at = tok.end;
}

/*
 * Pair REPEAT and CONDITION openers with closers, lexically, so the main
 * scan knows at an opener whether anything closes it. An opener nothing
 * closes (a "<<REPEAT for each x>>" used as a trailing note) becomes a
 * marker instead of a block that swallows the rest of the file. A CONDITION
 * closer pairs with the innermost opener of its name, else the innermost.
 * Only openers are kept.
 */
static void gr__pair_block(gr__pairing *G, uint32_t p) {
  const char *t = G->L->t;
  gr__blocktoks *out = G->bk;
  gr__blocktok tok;
  G->block_at = p + 1;
  if (!gr__block_token(t, G->L->len, p, &tok)) return;
  G->block_at = tok.end;
  if (!tok.closer) {
    gr__u32s *st = tok.kind == GR_REPEAT ? &G->repeats : &G->conditions;
    gr_array_push(st, (uint32_t)out->len);
    gr_array_push(out, tok);
  } else if (tok.kind == GR_REPEAT && G->repeats.len) {
    gr__blocktok *o = &out->items[G->repeats.items[--G->repeats.len]];
    o->paired = 1;
    o->close_at = p;
  } else if (tok.kind == GR_CONDITION && G->conditions.len) {
    gr__u32s *cond = &G->conditions;
    size_t m = cond->len;
    if (!tok.bare)
      while (m > 0) {
        gr_span nm = out->items[cond->items[m - 1]].name;
        if (nm.end - nm.start == tok.name.end - tok.name.start &&
            memcmp(t + nm.start, t + tok.name.start, nm.end - nm.start) == 0)
          break;
        m--;
      }
    if (m == 0) m = cond->len;
    out->items[cond->items[m - 1]].paired = 1;
    out->items[cond->items[m - 1]].close_at = p;
    memmove(cond->items + m - 1, cond->items + m, (cond->len - m) * sizeof(uint32_t));
    cond->len--;
  }
}

static void gr__pair_all(const gr__lines_state *L, gr__pairs *ph, gr__extoks *ex,
                         gr__blocktoks *bk) {
  gr__pairing G;
  memset(&G, 0, sizeof G);
  G.L = L, G.ph = ph, G.ex = ex, G.bk = bk;
  const char *t = L->t;
  const uint64_t *pair = L->bits->pair;
  for (uint32_t i = 0;;) {
    uint32_t p = gr_bitmap_next(pair, i, L->len);
    if (p >= L->len) break;
    char c = t[p];
    if (c == '{' || c == '}') {
      if (p >= G.brace_at) gr__pair_brace(&G, p);
    } else if (c == '@') {
      if (p >= G.example_at) gr__pair_example(&G, p);
    } else if (p >= G.block_at) {
      gr__pair_block(&G, p);
    }
    i = p + 1;
  }
  for (size_t a = 0; a < ex->len; a++) {
    gr__extok *x = &ex->items[a];
    if (x->role == GR__EX_PENDING)
      x->role = (x->bare && x->block_shaped) ? GR__EX_UNCLOSED : GR__EX_INLINE;
  }
  gr_array_free(&G.braces);
  gr_array_free(&G.examples);
  gr_array_free(&G.repeats);
  gr_array_free(&G.conditions);
}

/* ---- pass 3: the main scan ---------------------------------------------- */

typedef struct gr__frame {
  uint32_t node;
  uint32_t end;       /* where the closer starts (or the bound it stops at); GR_NONE if unknown */
  uint32_t close_len; /* closer length at `end`; 0 when unclosed */
  uint32_t limit;     /* nothing inside may end after this */
  uint8_t kind;
  uint8_t leaf;       /* only placeholders, code spans and inline examples inside */
  uint8_t opaque;     /* nothing inside at all */
  uint8_t close_after; /* its closer stood inside a code block: close when that ends */
  uint16_t flags;     /* GR_FLAG_IN_* inherited by children */
  uint8_t cut_at_end; /* GR_FENCE (templates): its container ends first; `end` is there */
  uint32_t origin;    /* GR_FENCE: the node of the fence's first part (templates cut fences) */
  uint32_t fence_end, fence_close_len; /* GR_FENCE: where its own closer is, and its length */
} gr__frame;

typedef struct gr__forced {
  uint8_t kind;
  gr_span name;
} gr__forced;

typedef struct gr__parser {
  const char *t;
  uint32_t len;
  gr_tree *tree;
  gr_options opts;
  gr_bitmap bits;
  gr__lines_state lines;
  gr__pairs ph;
  gr__extoks ex;
  gr__blocktoks bk;
  size_t ph_i, ex_i, bk_i, ev_i;
  GR_ARRAY(gr__frame) stack;
  gr__forced forced[GR__FORCED_MEMORY];
  uint32_t nforced;
  uint32_t tick_fail[GR__MAX_TICKS + 1]; /* no closing run of that length before here */
  uint32_t line_end;             /* end of the line the code-span scan is on */
  uint32_t comment_from, comment_bound; /* no "-->" after comment_from before comment_bound */
  int limit_reported;
  int tmpl; /* GR_MODE_TEMPLATE: blocks pair by the text, fences yield */
  /* A fence cut by a block (templates): where the rest of it ends, to go on
   * after the block's opener or closer; resume_end GR_NONE when none. */
  uint32_t resume_end, resume_close_len, resume_origin;
  uint16_t resume_flags;
  uint32_t broken_last; /* the fence broken-fence was last reported on */
  int malformed_seen;   /* a fence closed by a malformed closer came before */
  /* The CommonMark reading (pass 1 for documents), made when a broken-fence
   * message needs it: its code blocks in order. */
  gr__lines_state cm;
  GR_ARRAY(uint32_t) cm_code;
  gr__doc_scan cm_scan;
  int cm_done;
  uint32_t line_off, line_no; /* gr__line_of's memo */
} gr__parser;

static gr__frame *gr__top(gr__parser *P) { return &P->stack.items[P->stack.len - 1]; }
static gr_node *gr__node(gr__parser *P, uint32_t i) { return &P->tree->nodes.items[i]; }

static int gr__can_open(gr__parser *P, uint32_t at) {
  if (P->stack.len < P->opts.max_depth && P->tree->nodes.len < P->opts.max_nodes) return 1;
  if (!P->limit_reported) {
    P->limit_reported = 1;
    gr_tree__diag(P->tree, GR_DIAG_LIMIT_EXCEEDED, at, at, GR_NONE,
                  "Markup nested deeper than %u levels or more than %u elements: the rest is "
                  "read as text",
                  P->opts.max_depth, P->opts.max_nodes);
  }
  return 0;
}

/* Open a node as a child of the top frame and push a frame for it. */
static uint32_t gr__push(gr__parser *P, gr_kind kind, uint32_t start, uint32_t end,
                         uint32_t close_len, int leaf) {
  gr__frame *top = gr__top(P);
  uint32_t n = gr_tree__add(P->tree, kind, top->node, start);
  gr_node *node = gr__node(P, n);
  node->flags = top->flags;
  gr__frame f;
  f.node = n;
  f.end = end;
  f.close_len = close_len;
  f.limit = end != GR_NONE ? gr__min(end, top->limit) : top->limit;
  f.kind = (uint8_t)kind;
  f.leaf = (uint8_t)leaf;
  f.opaque = 0;
  f.close_after = 0;
  f.flags = top->flags;
  f.origin = n;
  f.cut_at_end = 0;
  f.fence_end = end;
  f.fence_close_len = close_len;
  if (kind == GR_FENCE || kind == GR_CODE_SPAN) f.flags |= GR_FLAG_IN_CODE;
  if (kind == GR_INSTRUCTION) f.flags |= GR_FLAG_IN_INSTRUCTION;
  if (kind == GR_EXAMPLE) f.flags |= GR_FLAG_IN_EXAMPLE;
  gr_array_push(&P->stack, f);
  return n;
}

static const char *gr__block_word(uint8_t kind) {
  switch (kind) {
    case GR_REPEAT: return "REPEAT block";
    case GR_CONDITION: return "CONDITION block";
    case GR_EXAMPLE: return "example block";
    case GR_CRITICAL_RULE: return "<critical_rule>";
    case GR_INSTRUCTION: return "LLM instruction";
    case GR_PLACEHOLDER: return "placeholder";
    default: return "block";
  }
}

static const char *gr__closer_word(uint8_t kind) {
  switch (kind) {
    case GR_REPEAT: return "<</REPEAT>>";
    case GR_CONDITION: return "^^/CONDITION: name^^";
    case GR_EXAMPLE: return "@{/example}";
    case GR_CRITICAL_RULE: return "</critical_rule>";
    case GR_INSTRUCTION: return "]]";
    default: return "a closer";
  }
}

static int gr__is_block(uint8_t kind) {
  return kind == GR_REPEAT || kind == GR_CONDITION || kind == GR_EXAMPLE;
}

/* Pop the top frame, ending its node at `at` (closer already accounted for). */
static void gr__pop(gr__parser *P, uint32_t at) {
  gr__frame *f = gr__top(P);
  gr_node *n = gr__node(P, f->node);
  /* No child outlives its container's closer: the rest of a cut fence
   * reopened inside a block, then read on by a later fence line, ends
   * where the block's closer begins (fuzz_parse found it past it). */
  if (P->stack.len > 1) {
    const gr__frame *pf = f - 1;
    if (pf->end != GR_NONE && at > pf->end && n->span.start <= pf->end) at = pf->end;
  }
  n->span.end = at;
  if (n->body.start > at) n->body.start = at;
  if (f->kind == GR_SECTION || n->body.end < n->body.start) n->body.end = at;
  /* A block closer inside a heading line ends the section mid-line: clip
   * the heading's parts to what the section holds. */
  if (n->open.end > at || n->name.end > at || n->body.end > at || n->close.end > at) {
    gr_span *parts[] = {&n->open, &n->name, &n->body, &n->close};
    for (int k = 0; k < 4; k++) {
      if (parts[k]->end > at) parts[k]->end = at;
      if (parts[k]->start > parts[k]->end) parts[k]->start = parts[k]->end;
    }
  }
  P->stack.len--;
}

static void gr__remember_forced(gr__parser *P, uint8_t kind, gr_span name);

/* The top frame ran into its bound without a closer. */
static void gr__close_unclosed(gr__parser *P, uint32_t at) {
  gr__frame *f = gr__top(P);
  gr_node *n = gr__node(P, f->node);
  if (gr__is_block(f->kind)) {
    const char *t = P->t;
    n->flags |= GR_FLAG_UNCLOSED;
    /* Ended by the code block around it: its closer, if it comes after the
     * code block, is part of this one mistake, not another. */
    int in_code = at < P->len && (f->flags & GR_FLAG_IN_CODE);
    if (in_code) gr__remember_forced(P, f->kind, n->name);
    gr_tree__diag(P->tree, GR_DIAG_UNCLOSED_BLOCK, n->open.start, n->open.end, f->node,
                  "%s%s%.*s%s is never closed%s: expected %s", gr__block_word(f->kind),
                  n->name.end > n->name.start ? " '" : "", (int)(n->name.end - n->name.start),
                  t + n->name.start, n->name.end > n->name.start ? "'" : "",
                  in_code ? " inside the code block that holds it" : "",
                  gr__closer_word(f->kind));
    if (at < P->len)
      gr_tree__related(P->tree, (gr_span){at, at}, "the block is read as ending here");
  }
  n->body.end = at;
  gr__pop(P, at);
}

/* The top frame reached its own end: take its closer. Returns the new pos. */
static uint32_t gr__close_own(gr__parser *P) {
  gr__frame *f = gr__top(P);
  gr_node *n = gr__node(P, f->node);
  uint32_t at = f->end;
  n->body.end = at;
  if (f->close_len) n->close = (gr_span){at, at + f->close_len};
  gr__pop(P, at + f->close_len);
  return at + f->close_len;
}

/* After a code block ends: close the blocks whose closers stood inside it. */
static void gr__settle(gr__parser *P, uint32_t at) {
  for (size_t k = P->stack.len; k-- > 1;) {
    gr__frame *f = &P->stack.items[k];
    if (f->close_after) {
      while (P->stack.len - 1 > k) gr__pop(P, at);
      gr_node *n = gr__node(P, f->node);
      n->body.end = at;
      gr__pop(P, at);
      k = P->stack.len;
      continue;
    }
    if (f->kind != GR_SECTION) break;
  }
}

/* ---- broken fences (templates) ------------------------------------------ */

/* A fence frame just pushed whose own end lies past its container's limit
 * (templates only push those): it ends with the container, to be cut. */
static void gr__fence_bounds(gr__frame *f) {
  if (f->end != GR_NONE && f->end > f->limit) {
    f->end = f->limit;
    f->close_len = 0;
    f->cut_at_end = 1;
  }
}

/* The 1-based line of offset `off`. Reports come mostly in text order: a
 * memo makes a run of them one walk. */
static uint32_t gr__line_of(gr__parser *P, uint32_t off) {
  const char *t = P->t;
  if (P->line_no == 0) P->line_off = 0, P->line_no = 1;
  while (off < P->line_off) { /* back to the start of the line before the memo's */
    uint32_t term = P->line_off - 1; /* the terminator of the line before */
    if (t[term] == '\n' && term > 0 && t[term - 1] == '\r') term--;
    uint32_t k = gr_bitmap_prev(P->bits.nl, 0, term);
    P->line_off = k == GR_BITMAP_NONE ? 0 : gr__next_line(t, P->len, k);
    P->line_no--;
  }
  uint32_t i = P->line_off, no = P->line_no;
  for (;;) {
    uint32_t k = gr_bitmap_next(P->bits.nl, i, off);
    if (k >= off) break;
    if (t[k] == '\r' && k + 1 < P->len && t[k + 1] == '\n') {
      if (k + 1 >= off) break; /* off is on the '\n' of this line's "\r\n" */
      k++;
    }
    no++;
    i = k + 1;
  }
  P->line_off = i;
  P->line_no = no;
  return no;
}

/* The CommonMark code block holding line start `s` (or starting there), or NULL. */
static const gr__event *gr__cm_code_at(gr__parser *P, uint32_t s) {
  if (!P->cm_done) {
    P->cm_done = 1;
    P->cm.t = P->t;
    P->cm.len = P->len;
    P->cm.bits = &P->bits;
  }
  size_t seen = P->cm.events.len;
  gr__doc_scan_to(&P->cm, &P->cm_scan, s);
  for (size_t i = seen; i < P->cm.events.len; i++)
    if (P->cm.events.items[i].kind == GR__EV_FENCE) gr_array_push(&P->cm_code, (uint32_t)i);
  size_t lo = 0, hi = P->cm_code.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (P->cm.events.items[P->cm_code.items[mid]].start <= s) lo = mid + 1;
    else hi = mid;
  }
  if (lo == 0) return NULL;
  const gr__event *ev = &P->cm.events.items[P->cm_code.items[lo - 1]];
  return s == ev->start || s < ev->close.end ? ev : NULL;
}

/* What CommonMark makes of the fence opener at line start s, for a message. */
static void gr__cm_says(gr__parser *P, uint32_t s, char *buf, size_t size, gr_span *related,
                        const char **note) {
  const gr__event *ev = gr__cm_code_at(P, s);
  *related = (gr_span){GR_NONE, GR_NONE};
  *note = NULL;
  if (!ev) {
    snprintf(buf, size, "this line opens no code block");
  } else if (ev->start == s && !ev->unclosed) {
    snprintf(buf, size, "this code block ends at line %u", gr__line_of(P, ev->close.start));
    *related = ev->close;
    *note = "where CommonMark ends the code block";
  } else if (ev->start == s) {
    snprintf(buf, size, "this code block never closes and runs to the end of %s",
             ev->close.start >= P->len ? "the file" : "its list item or quote");
  } else if (ev->close.start == s) {
    snprintf(buf, size, "this line closes the code block that opens at line %u",
             gr__line_of(P, ev->start));
    *related = (gr_span){ev->start, ev->open_end};
    *note = "the code block CommonMark reads as open";
  } else {
    uint32_t a = gr__line_of(P, ev->start);
    snprintf(buf, size, "this line is code inside the %s that opens at line %u",
             ev->indented ? "indented code block" : "code block", a);
    *related = (gr_span){ev->start, ev->open_end};
    *note = "the code block CommonMark reads as open";
  }
}

/* A DSL block (kind, name, its token at `block_at`) crosses the fence of
 * node `origin`: one warning on the fence's opener. */
static void gr__broken_fence(gr__parser *P, uint32_t origin, uint8_t kind, gr_span name,
                             uint32_t block_at) {
  if (P->broken_last == origin) return;
  P->broken_last = origin;
  gr_node *n = gr__node(P, origin);
  char cm[160];
  gr_span related;
  const char *note;
  gr__cm_says(P, n->open.start, cm, sizeof cm, &related, &note);
  /* Blocks are named; an instruction's or a rule's "name" is its text. */
  int named = gr__is_block(kind) && name.end > name.start && name.end - name.start <= 60;
  gr_tree__diag(P->tree, GR_DIAG_BROKEN_FENCE, n->open.start, n->open.end, origin,
                "Broken code fence: the %s%s%.*s%s at line %u balances as text but crosses this "
                "code block; by CommonMark %s",
                gr__block_word(kind), named ? " '" : "", named ? (int)(name.end - name.start) : 0,
                P->t + name.start, named ? "'" : "", gr__line_of(P, block_at), cm);
  if (note) gr_tree__related(P->tree, related, note);
}

/*
 * Templates: cut the fence on top of the stack at `at`, where a DSL block
 * (kind, name, token at block_at) that crosses it opens or closes. The rest
 * of the fence goes on as another fence node after the block's token (see
 * the scan loop).
 */
static void gr__cut_fence(gr__parser *P, uint32_t at, uint8_t kind, gr_span name,
                          uint32_t block_at) {
  gr__frame *f = gr__top(P);
  gr_node *n = gr__node(P, f->node);
  uint32_t origin = f->origin;
  n->flags |= GR_FLAG_CUT;
  n->body.end = at;
  P->resume_end = f->fence_end;
  P->resume_close_len = f->fence_close_len;
  P->resume_origin = origin;
  P->resume_flags = n->flags & GR_FLAG_UNCLOSED;
  gr__pop(P, at);
  gr__broken_fence(P, origin, kind, name, block_at);
}

/* Templates: an opener at `at` inside a fence that its closer (at close_at)
 * comes after: the block holds the rest of the fence, so cut it here. */
static void gr__cut_for_opener(gr__parser *P, uint32_t at, uint32_t close_at, uint8_t kind,
                               gr_span name) {
  gr__frame *top = gr__top(P);
  if (!P->tmpl || top->kind != GR_FENCE || top->leaf || close_at == GR_NONE ||
      close_at < top->fence_end)
    return;
  gr__cut_fence(P, at, kind, name, at);
}

/* ---- block openers and closers ------------------------------------------ */

static int gr__structural(const gr__frame *f) { return !f->leaf; }

static void gr__open_block(gr__parser *P, gr_kind kind, uint32_t s, uint32_t e, gr_span name,
                           uint8_t form) {
  if (!gr__can_open(P, s)) return;
  uint32_t n = gr__push(P, kind, s, GR_NONE, 0, 0);
  gr_node *node = gr__node(P, n);
  node->open = (gr_span){s, e};
  node->name = name;
  node->body = (gr_span){e, e};
  node->level = form;
}

static int gr__same_name(const char *t, gr_span a, gr_span b) {
  return a.end - a.start == b.end - b.start && memcmp(t + a.start, t + b.start, a.end - a.start) == 0;
}

static void gr__remember_forced(gr__parser *P, uint8_t kind, gr_span name) {
  if (P->nforced == GR__FORCED_MEMORY) {
    memmove(P->forced, P->forced + 1, sizeof(P->forced[0]) * (GR__FORCED_MEMORY - 1));
    P->nforced--;
  }
  P->forced[P->nforced].kind = kind;
  P->forced[P->nforced].name = name;
  P->nforced++;
}

/* A closer for a block that an outer closer already ended: consume quietly. */
static int gr__take_forced(gr__parser *P, uint8_t kind, gr_span name, int bare) {
  for (uint32_t k = P->nforced; k-- > 0;) {
    if (P->forced[k].kind != kind) continue;
    if (kind == GR_CONDITION && !bare && !gr__same_name(P->t, P->forced[k].name, name)) continue;
    memmove(P->forced + k, P->forced + k + 1, sizeof(P->forced[0]) * (P->nforced - k - 1));
    P->nforced--;
    return 1;
  }
  return 0;
}

/*
 * A closer [s, e) for `kind` (CONDITION: with `name`, or `bare`). Finds the
 * block it closes, never looking past a fence (a closer inside a fence
 * cannot close a block opened outside it).
 */
static void gr__close_block(gr__parser *P, uint8_t kind, uint32_t s, uint32_t e, gr_span name,
                            int bare) {
  const char *t = P->t;
  size_t found = 0, first_kind = 0, fence = 0;
  for (size_t k = P->stack.len; k-- > 1;) {
    gr__frame *f = &P->stack.items[k];
    if (f->leaf) break;
    if (f->kind == GR_FENCE) {
      /* A template's blocks pair by the text: the fence yields below. */
      if (!fence && !P->tmpl) fence = k;
      continue;
    }
    if (f->kind != kind) continue;
    if (!first_kind) first_kind = k;
    if (kind != GR_CONDITION || bare || gr__same_name(t, gr__node(P, f->node)->name, name)) {
      found = k;
      break;
    }
  }
  if (!found) found = first_kind; /* a CONDITION closed under another name */
  if (found && found < fence) {
    /* The closer stands inside a code block opened after its block: close
     * the block where the code block ends, and say why. */
    gr__frame *f = &P->stack.items[found];
    gr_node *n = gr__node(P, f->node);
    if (f->close_after) return;
    f->close_after = 1;
    n->close = (gr_span){s, e};
    n->close_name = name;
    gr_tree__diag(P->tree, GR_DIAG_MISMATCHED_CLOSER, s, e, f->node,
                  "%.*s stands inside a code block that opened after %s '%.*s' and is still "
                  "open here: close the code block first",
                  (int)(e - s), t + s, gr__block_word(kind), (int)(n->name.end - n->name.start),
                  t + n->name.start);
    gr_tree__related(P->tree, n->open, "the block it closes opens here");
    return;
  }
  if (!found) {
    if (gr__take_forced(P, kind, name, bare)) return;
    gr_tree__diag(P->tree, GR_DIAG_STRAY_CLOSER, s, e, GR_NONE,
                  "%.*s closes nothing: no %s is open here", (int)(e - s), t + s,
                  gr__block_word(kind));
    return;
  }
  /* Close what stands above the block: sections quietly, blocks as crossing. */
  char crossed[160];
  size_t clen = 0;
  crossed[0] = '\0';
  gr_span still_open = {GR_NONE, GR_NONE}; /* the innermost block crossed */
  while (P->stack.len - 1 > found) {
    gr__frame *f = gr__top(P);
    if (f->kind == GR_FENCE && P->tmpl) {
      gr_node *b = gr__node(P, P->stack.items[found].node);
      gr__cut_fence(P, s, kind, b->name, b->open.start);
      continue;
    }
    if (gr__is_block(f->kind)) {
      gr_node *n = gr__node(P, f->node);
      n->flags |= GR_FLAG_FORCED_CLOSE;
      if (still_open.start == GR_NONE) still_open = n->open;
      gr__remember_forced(P, f->kind, n->name);
      if (clen < sizeof crossed - 1) {
        int w = snprintf(crossed + clen, sizeof crossed - clen, "%s%s '%.*s'", clen ? ", " : "",
                         gr__block_word(f->kind), (int)(n->name.end - n->name.start),
                         t + n->name.start);
        if (w > 0) clen += (size_t)w;
        if (clen >= sizeof crossed) clen = sizeof crossed - 1;
      }
      n->body.end = s;
    }
    gr__pop(P, s);
  }
  gr__frame *f = gr__top(P);
  gr_node *n = gr__node(P, f->node);
  if (clen) {
    gr_tree__diag(P->tree, GR_DIAG_MISMATCHED_CLOSER, s, e, f->node,
                  "%.*s closes %s '%.*s' while %s opened inside it %s still open", (int)(e - s),
                  t + s, gr__block_word(kind), (int)(n->name.end - n->name.start),
                  t + n->name.start, crossed, strchr(crossed, ',') ? "are" : "is");
    gr_tree__related(P->tree, still_open, "the block still open opens here");
  } else if (kind == GR_CONDITION && !bare && !gr__same_name(t, n->name, name)) {
    gr_tree__diag(P->tree, GR_DIAG_MISMATCHED_CLOSER, name.start, name.end, f->node,
                  "CONDITION '%.*s' is closed as '%.*s'", (int)(n->name.end - n->name.start),
                  t + n->name.start, (int)(name.end - name.start), t + name.start);
    gr_tree__related(P->tree, n->open, "the CONDITION opens here");
  }
  n->close = (gr_span){s, e};
  n->close_name = name;
  if (bare) n->flags |= GR_FLAG_BARE_CLOSER;
  n->body.end = s;
  gr__pop(P, e);
}

/* Is block opener `at` one that a closer follows (pass 2c)? Returns where
 * that closer starts, or GR_NONE. */
static uint32_t gr__paired(gr__parser *P, uint32_t at) {
  while (P->bk_i < P->bk.len && P->bk.items[P->bk_i].start < at) P->bk_i++;
  if (P->bk_i < P->bk.len && P->bk.items[P->bk_i].start == at && P->bk.items[P->bk_i].paired)
    return P->bk.items[P->bk_i].close_at;
  return GR_NONE;
}

/* An opener that nothing closes: a marker node, so that it does not swallow
 * the rest of the file. */
static void gr__unclosed_marker(gr__parser *P, const gr__blocktok *tok) {
  if (!gr__can_open(P, tok->start)) return;
  gr__frame *top = gr__top(P);
  uint32_t n = gr_tree__add(P->tree, (gr_kind)tok->kind, top->node, tok->start);
  gr_node *x = gr__node(P, n);
  x->flags = top->flags | GR_FLAG_UNCLOSED;
  x->span = x->open = (gr_span){tok->start, tok->end};
  x->name = tok->name;
  x->body = (gr_span){tok->end, tok->end};
  x->level = tok->form;
  gr_tree__diag(P->tree, GR_DIAG_UNCLOSED_BLOCK, tok->start, tok->end, n,
                "%s '%.*s' is never closed: expected %s", gr__block_word(tok->kind),
                (int)(tok->name.end - tok->name.start), P->t + tok->name.start,
                gr__closer_word(tok->kind));
}

/* A REPEAT or CONDITION token at i (see gr__block_token). */
static uint32_t gr__block(gr__parser *P, uint32_t i) {
  gr__blocktok tok;
  if (!gr__block_token(P->t, gr__top(P)->limit, i, &tok)) return i + 1;
  uint32_t close_at;
  if (tok.closer) {
    gr__close_block(P, tok.kind, tok.start, tok.end, tok.name, tok.bare);
  } else if ((close_at = gr__paired(P, tok.start)) != GR_NONE) {
    gr__cut_for_opener(P, tok.start, close_at, tok.kind, tok.name);
    gr__open_block(P, (gr_kind)tok.kind, tok.start, tok.end, tok.name, tok.form);
  } else {
    gr__unclosed_marker(P, &tok);
  }
  return tok.end;
}

/*
 * A leaf container [start, close + close_len) with nothing inside that the
 * scan reads (no markup byte, no line event): add it whole, without the
 * frame and the two trips round the scan loop that opening and closing one
 * take. Most placeholders, code spans and instructions are like this.
 * Returns GR_NONE when something is inside, for gr__push to handle.
 */
static uint32_t gr__leaf_whole(gr__parser *P, gr_kind kind, uint32_t start, uint32_t body,
                               uint32_t close, uint32_t close_len) {
  const gr__lines_state *L = &P->lines;
  uint32_t ev_at = P->ev_i < L->events.len ? L->events.items[P->ev_i].start : P->len;
  if (ev_at < close || gr_bitmap_next(P->bits.mark, body, close) < close) return GR_NONE;
  gr__frame *top = gr__top(P);
  uint32_t n = gr_tree__add(P->tree, kind, top->node, start);
  gr_node *x = gr__node(P, n);
  x->flags = top->flags;
  x->span = (gr_span){start, close + close_len};
  x->open = (gr_span){start, body};
  x->body = (gr_span){body, close};
  x->close = (gr_span){close, close + close_len};
  return n;
}

/* ---- leaf containers ---------------------------------------------------- */

/*
 * How far an instruction or critical rule opened here may look for its
 * closer: its container's limit, except that in a template a fence does
 * not bound it (the closer may stand after the fence: gr__cut_for_opener).
 */
static uint32_t gr__wide_limit(gr__parser *P) {
  gr__frame *top = gr__top(P);
  if (P->tmpl && top->kind == GR_FENCE && !top->leaf && P->stack.len >= 2)
    return P->stack.items[P->stack.len - 2].limit;
  return top->limit;
}

/* "[[LLM:" at i: find its "]]", counting quoted "[[...]]" pairs inside. */
static uint32_t gr__instruction(gr__parser *P, uint32_t i) {
  const char *t = P->t;
  if (!gr__can_open(P, i)) return i + 6;
  uint32_t bound = gr__min(gr__next_heading(&P->lines, i), gr__wide_limit(P));
  uint32_t depth = 1, k = i + 6, close = GR_NONE;
  while (k + 1 < bound) {
    k = gr__find2(t, k, bound, '[', ']');
    if (k + 1 >= bound) break;
    char c = t[k];
    if (c == '[' && t[k + 1] == '[') depth++, k += 2;
    else if (c == ']' && t[k + 1] == ']') {
      /* "]]]": the first "]" is text */
      if (k + 2 < bound && t[k + 2] == ']') {
        k++;
        continue;
      }
      if (--depth == 0) {
        close = k;
        break;
      }
      k += 2;
    } else {
      k++;
    }
  }
  if (close == GR_NONE) bound = gr__min(bound, gr__top(P)->limit);
  else gr__cut_for_opener(P, i, close, GR_INSTRUCTION, (gr_span){i, i});
  uint32_t n;
  if (close != GR_NONE && (n = gr__leaf_whole(P, GR_INSTRUCTION, i, i + 6, close, 2)) != GR_NONE) {
    gr__node(P, n)->name = gr__trim(t, i + 6, close);
    return close + 2;
  }
  if (close != GR_NONE) {
    n = gr__push(P, GR_INSTRUCTION, i, close, 2, 1);
  } else {
    n = gr__push(P, GR_INSTRUCTION, i, bound, 0, 1);
    gr__node(P, n)->flags |= GR_FLAG_UNCLOSED;
    gr_tree__diag(P->tree, GR_DIAG_UNCLOSED_BLOCK, i, i + 6, n,
                  "LLM instruction is never closed: expected ']]' before %s",
                  bound == P->len ? "the end of the file" : "the next heading");
    if (bound < P->len)
      gr_tree__related(P->tree, (gr_span){bound, bound}, "the instruction is read as ending here");
  }
  gr_node *node = gr__node(P, n);
  node->open = (gr_span){i, i + 6};
  node->body = (gr_span){i + 6, i + 6};
  node->name = gr__trim(t, i + 6, close != GR_NONE ? close : bound);
  return i + 6;
}

/* "<critical_rule>" at i: closed by "</critical_rule>" before the next opener. */
static uint32_t gr__critical(gr__parser *P, uint32_t i) {
  static const char open[] = "<critical_rule>", close[] = "</critical_rule>";
  const char *t = P->t;
  uint32_t ol = sizeof open - 1, cl = sizeof close - 1;
  if (!gr__can_open(P, i)) return i + ol;
  uint32_t bound = gr__min(gr__next_heading(&P->lines, i), gr__wide_limit(P));
  uint32_t k = i + ol, end = GR_NONE, stop = bound;
  while (k < bound) {
    const char *lt = memchr(t + k, '<', bound - k);
    if (!lt) break;
    k = (uint32_t)(lt - t);
    if (k + cl <= bound && memcmp(t + k, close, cl) == 0) {
      end = k;
      break;
    }
    if (k + ol <= bound && memcmp(t + k, open, ol) == 0) {
      stop = k;
      break;
    }
    k++;
  }
  if (end == GR_NONE) stop = gr__min(stop, gr__top(P)->limit);
  else gr__cut_for_opener(P, i, end, GR_CRITICAL_RULE, (gr_span){i, i});
  uint32_t n;
  if (end != GR_NONE) {
    n = gr__push(P, GR_CRITICAL_RULE, i, end, cl, 1);
  } else {
    n = gr__push(P, GR_CRITICAL_RULE, i, stop, 0, 1);
    gr__node(P, n)->flags |= GR_FLAG_UNCLOSED;
    gr_tree__diag(P->tree, GR_DIAG_UNCLOSED_BLOCK, i, i + ol, n,
                  "<critical_rule> is never closed: expected </critical_rule>");
    if (stop < P->len)
      gr_tree__related(P->tree, (gr_span){stop, stop}, "the rule is read as ending here");
  }
  gr_node *node = gr__node(P, n);
  node->open = (gr_span){i, i + ol};
  node->body = (gr_span){i + ol, i + ol};
  node->name = gr__trim(t, i + ol, end != GR_NONE ? end : stop);
  return i + ol;
}

/* "<!--" at i: a comment if "-->" comes before the next heading. */
static uint32_t gr__comment(gr__parser *P, uint32_t i) {
  const char *t = P->t;
  uint32_t bound = gr__min(gr__next_heading(&P->lines, i), gr__top(P)->limit);
  if (i >= P->comment_from && bound <= P->comment_bound) return i + 4; /* known to fail */
  uint32_t k = i + 4;
  while (k + 3 <= bound) {
    const char *d = memchr(t + k, '-', bound - k);
    if (!d) break;
    k = (uint32_t)(d - t);
    if (k + 3 <= bound && t[k + 1] == '-' && t[k + 2] == '>') {
      if (!gr__can_open(P, i)) return k + 3;
      uint32_t n = gr__push(P, GR_HTML_COMMENT, i, k, 3, 1);
      gr__top(P)->opaque = 1;
      gr_node *node = gr__node(P, n);
      node->open = (gr_span){i, i + 4};
      node->body = (gr_span){i + 4, i + 4};
      return k; /* the scan jumps straight to the closer */
    }
    k++;
  }
  P->comment_from = i;
  P->comment_bound = bound;
  return i + 4;
}

/* The next line of a document's paragraph after the line ending at `le`
 * (up to `limit`): its end, or `le` when the paragraph ends there. A code
 * span may run on over its paragraph's lines (CommonMark); a line goes on
 * with the paragraph unless it is blank or begins a heading, fence,
 * underline, list item, quote or markup line (indentation does not matter:
 * indented code cannot interrupt a paragraph). */
static uint32_t gr__para_next_line(const gr__parser *P, uint32_t le, uint32_t limit) {
  const char *t = P->t;
  uint32_t ls = gr__next_line(t, P->len, le);
  if (ls >= limit) return le;
  uint32_t e = gr__min(gr_bitmap_next(P->bits.nl, ls, P->len), limit), f;
  gr__indent(t, ls, e, &f);
  if (f == e || !gr__paragraph_line(t, f, e, 0) || gr__fence_open(t, f, e) || gr__rule_line(t, f, e, '='))
    return le;
  return e;
}

/* A backtick run at i: a code span when the same run closes it on the line
 * (in a document, on a later line of the same paragraph too). */
static uint32_t gr__code_span(gr__parser *P, uint32_t i) {
  const char *t = P->t;
  uint32_t n = 0, k = i;
  while (k < P->len && t[k] == '`') k++, n++;
  if (n > GR__MAX_TICKS) return k;
  if (P->tick_fail[n] != GR_NONE && P->tick_fail[n] > k) return k;
  if (k >= P->line_end) P->line_end = gr_bitmap_next(P->bits.nl, k, P->len); /* once per line */
  uint32_t limit = gr__top(P)->limit;
  uint32_t le = gr__min(P->line_end, limit);
  uint32_t j = k;
  /* A template's span stays on its line (its code is still markup); a
   * document's may go on over its paragraph's lines, searched one at a
   * time, so a closer on the next line costs that line only. */
  for (;;) {
    if (j >= le) {
      uint32_t pe = P->tmpl ? le : gr__para_next_line(P, le, limit);
      if (pe == le) break;
      le = pe;
    }
    const char *bt = memchr(t + j, '`', le - j);
    if (!bt) {
      j = le;
      continue;
    }
    uint32_t a = (uint32_t)(bt - t), m = 0;
    j = a;
    while (j < le && t[j] == '`') j++, m++;
    if (m == n) {
      if (!gr__can_open(P, i)) return j;
      uint32_t node = gr__leaf_whole(P, GR_CODE_SPAN, i, k, a, n);
      if (node != GR_NONE) {
        gr__node(P, node)->name = (gr_span){k, a};
        return j;
      }
      node = gr__push(P, GR_CODE_SPAN, i, a, n, 1);
      gr_node *x = gr__node(P, node);
      x->open = (gr_span){i, k};
      x->body = (gr_span){k, k};
      x->name = (gr_span){k, a};
      return k;
    }
  }
  P->tick_fail[n] = le;
  return k;
}

/* "{{" at i, paired by pass 2a. */
static uint32_t gr__placeholder(gr__parser *P, uint32_t i) {
  while (P->ph_i < P->ph.len && P->ph.items[P->ph_i].open < i) P->ph_i++;
  if (P->ph_i >= P->ph.len || P->ph.items[P->ph_i].open != i) return i + 1;
  gr__pair pr = P->ph.items[P->ph_i++];
  gr__frame *top = gr__top(P);
  int quiet = top->kind == GR_CODE_SPAN; /* "`{{`" mentions the syntax */
  if (pr.close == GR_NONE || pr.close + 2 > top->limit) {
    if (!quiet)
      gr_tree__diag(P->tree, GR_DIAG_UNTERMINATED_PLACEHOLDER, i, i + 2, GR_NONE,
                    "'{{' is never closed by '}}' before %s",
                    pr.close != GR_NONE ? "the end of its enclosing element"
                    : gr__next_heading(&P->lines, i) == P->len ? "the end of the file"
                                                               : "the next heading");
    return i + 2;
  }
  if (!gr__can_open(P, i)) return i + 2;
  uint32_t n = gr__leaf_whole(P, GR_PLACEHOLDER, i, i + 2, pr.close, 2), next = pr.close + 2;
  if (n == GR_NONE) {
    n = gr__push(P, GR_PLACEHOLDER, i, pr.close, 2, 1);
    gr__node(P, n)->open = (gr_span){i, i + 2};
    gr__node(P, n)->body = (gr_span){i + 2, i + 2};
    next = i + 2;
  }
  gr_node *x = gr__node(P, n);
  x->name = gr__trim(P->t, i + 2, pr.close);
  if (x->name.start == x->name.end)
    gr_tree__diag(P->tree, GR_DIAG_EMPTY_PLACEHOLDER, i, pr.close + 2, n,
                  "Empty placeholder: name what goes here, as in {{project_name}}");
  return next;
}

/* "@{" at i, classified by pass 2b. */
static uint32_t gr__example(gr__parser *P, uint32_t i) {
  while (P->ex_i < P->ex.len && P->ex.items[P->ex_i].start < i) P->ex_i++;
  if (P->ex_i >= P->ex.len || P->ex.items[P->ex_i].start != i) return i + 1;
  gr__extok tok = P->ex.items[P->ex_i++];
  gr__frame *top = gr__top(P);
  if (tok.end > top->limit) return i + 1;
  if (top->kind == GR_CODE_SPAN) return tok.end;
  if (tok.role == GR__EX_INLINE) {
    if (!gr__can_open(P, i)) return tok.end;
    uint32_t n = gr_tree__add(P->tree, GR_EXAMPLE_INLINE, top->node, i);
    gr_node *x = gr__node(P, n);
    x->flags = top->flags;
    x->span = x->open = (gr_span){i, tok.end};
    x->name = tok.name;
    x->body = tok.name;
    return tok.end;
  }
  if (!gr__structural(top)) return tok.end;
  switch (tok.role) {
    case GR__EX_BLOCK:
      gr__cut_for_opener(P, i, tok.close_at, GR_EXAMPLE, tok.name);
      gr__open_block(P, GR_EXAMPLE, i, tok.end, tok.name, 0);
      break;
    case GR__EX_CLOSE: gr__close_block(P, GR_EXAMPLE, i, tok.end, tok.name, 1); break;
    default: /* an "@{example}" that nothing closes */
      if (gr__can_open(P, i)) {
        uint32_t n = gr_tree__add(P->tree, GR_EXAMPLE, top->node, i);
        gr_node *x = gr__node(P, n);
        x->flags = top->flags | GR_FLAG_UNCLOSED;
        x->span = x->open = (gr_span){i, tok.end};
        x->body = (gr_span){tok.end, tok.end};
        gr_tree__diag(P->tree, GR_DIAG_UNCLOSED_BLOCK, i, tok.end, n,
                      "example block is never closed: expected @{/example}");
      }
      break;
  }
  return tok.end;
}

/* ---- events: headings, fences, front matter ----------------------------- */

/* Templates: fence node n never closes. Unless CommonMark reads its line as
 * the closer of an earlier block (a slip that malformed-fence reports). */
static void gr__unclosed_fence(gr__parser *P, uint32_t n) {
  gr_node *x = gr__node(P, n);
  /* Only a slip above (a malformed closer) can make the readings differ
   * here: the CommonMark reading is made only then. */
  if (P->malformed_seen) {
    const gr__event *cm = gr__cm_code_at(P, x->open.start);
    if (cm && cm->close.start == x->open.start && cm->start != x->open.start) return;
  }
  uint32_t run = 0;
  while (x->open.start + run < x->open.end && P->t[x->open.start + run] == P->t[x->open.start] &&
         run < 16)
    run++;
  P->broken_last = n;
  gr_tree__diag(P->tree, GR_DIAG_BROKEN_FENCE, x->open.start, x->open.end, n,
                "Broken code fence: this code block is never closed, so the rest of the file is "
                "code; close it with a line of %.*s",
                (int)run, P->t + x->open.start);
}

static uint32_t gr__on_event(gr__parser *P, const gr__event *ev) {
  gr__frame *top = gr__top(P);
  if (ev->kind == GR__EV_HEADING) {
    if (!gr__structural(top)) return ev->start; /* cannot happen: leaves stop at headings */
    /* Close sections of the same or a deeper level in this container. */
    while (P->stack.len > 1 && gr__top(P)->kind == GR_SECTION &&
           gr__node(P, gr__top(P)->node)->level >= ev->level)
      gr__pop(P, ev->start);
    if (!gr__can_open(P, ev->start)) return ev->start;
    uint32_t n = gr__push(P, GR_SECTION, ev->start, GR_NONE, 0, 0);
    gr_node *x = gr__node(P, n);
    x->level = ev->level;
    x->open = (gr_span){ev->start, ev->open_end};
    x->name = ev->name;
    x->body = (gr_span){ev->open_end, ev->open_end};
    if (ev->setext) x->flags |= GR_FLAG_SETEXT;
    return ev->start; /* scan the heading line for placeholders */
  }
  uint32_t end = ev->close.end;
  gr_kind kind = ev->kind == GR__EV_FENCE ? GR_FENCE : GR_FRONT_MATTER;
  /* A fence that runs past its container: in a template, when the
   * container is DSL markup (an instruction, a critical rule), the markup
   * wins and the fence is cut at its end (the scan loop); otherwise (a
   * comment, a placeholder, any document) the fence is text, as before. */
  int yields = P->tmpl && kind == GR_FENCE && top->kind != GR_HTML_COMMENT &&
               top->kind != GR_PLACEHOLDER;
  if ((end > top->limit && !yields) || !gr__can_open(P, ev->start)) return ev->start;
  int closed = !ev->unclosed;
  /* A fence inside an instruction stays as quiet as the instruction. */
  uint32_t n = gr__push(P, kind, ev->start, ev->close.start, ev->close.end - ev->close.start,
                        kind == GR_FRONT_MATTER || top->leaf);
  gr__fence_bounds(gr__top(P));
  gr_node *x = gr__node(P, n);
  x->open = (gr_span){ev->start, ev->open_end};
  x->name = ev->name;
  if (!closed) x->flags |= GR_FLAG_UNCLOSED;
  if (ev->indented) {
    x->flags |= GR_FLAG_INDENTED;
    x->open = x->name = x->body = (gr_span){ev->start, ev->start};
    return ev->start;
  }
  if (!closed && P->tmpl && kind == GR_FENCE) gr__unclosed_fence(P, n);
  if (ev->malformed) P->malformed_seen = 1;
  if (ev->malformed)
    gr_tree__diag(P->tree, GR_DIAG_MALFORMED_FENCE, ev->close.start, ev->close.end, n,
                  "A closing fence cannot carry an info string: Markdown reads this line as "
                  "code and the code block above runs on; remove the text after the fence");
  uint32_t body = gr__next_line(P->t, P->len, ev->open_end);
  if (body > ev->close.start) body = ev->close.start;
  x->body = (gr_span){body, body};
  return body;
}

/*
 * The first byte at or after pos (before stop) that may start markup: the
 * next bit of the mark bitmap. Measured with make bench on the corpus
 * (50 MB, this 2-core machine): the whole parse with bitmaps runs at about
 * 1.5 GB/s, 0.29 of a memchr pass (850 MB/s with an SSE2 search in each
 * pass, 520 MB/s with byte loops), while a PCRE2 JIT scan for the same
 * tokens, lexing only, runs at 220-270 MB/s: so the scan stays hand-written.
 */
static uint32_t gr__skip_plain(const gr__parser *P, uint32_t pos, uint32_t stop) {
  return gr_bitmap_next(P->bits.mark, pos, stop);
}

static void gr__scan(gr__parser *P) {
  const char *t = P->t;
  uint32_t len = P->len, pos = 0;
  gr__frame root = {0, len, 0, len, GR_ROOT, 0, 0, 0, 0, 0, 0, len, 0};
  gr_array_push(&P->stack, root);
  for (uint32_t k = 0; k <= GR__MAX_TICKS; k++) P->tick_fail[k] = GR_NONE;

  for (;;) {
    /* Close what ends here, innermost first. */
    while (P->stack.len > 1) {
      gr__frame *f = gr__top(P);
      if (f->end != GR_NONE && pos >= f->end) {
        int fence = f->kind == GR_FENCE;
        if (f->cut_at_end) {
          /* a template's fence whose container ends inside it: cut it, and
           * go on after the container (even when the scan already stands
           * past the fence's opener line) */
          gr__frame *up = &P->stack.items[P->stack.len - 2];
          gr_node *b = gr__node(P, up->node);
          gr__cut_fence(P, f->end, up->kind, b->name, b->open.start);
          continue;
        }
        if (f->close_len) pos = gr__close_own(P);
        else gr__close_unclosed(P, f->end);
        if (fence) gr__settle(P, pos);
      } else if (pos >= f->limit) {
        gr__close_unclosed(P, f->limit);
      } else {
        break;
      }
    }
    if (pos >= len) break;
    if (P->resume_end != GR_NONE) {
      /* The rest of a fence that a block cut: it goes on inside the block
       * just opened, or after the block just closed. */
      uint32_t re = P->resume_end;
      P->resume_end = GR_NONE;
      if (pos < re && gr__can_open(P, pos)) {
        int leaf = gr__top(P)->leaf;
        uint32_t n = gr__push(P, GR_FENCE, pos, re, P->resume_close_len, leaf);
        gr__frame *nf = gr__top(P), *pf = nf - 1;
        nf->origin = P->resume_origin;
        /* Inside the block just opened: no further than the block's own
         * end (its closer), which its limit alone does not say. */
        if (pf->end != GR_NONE && pf->end < nf->limit) nf->limit = pf->end;
        gr__fence_bounds(nf);
        gr__node(P, n)->flags |= GR_FLAG_CUT | P->resume_flags;
        continue;
      }
    }
    gr__frame *top = gr__top(P);
    uint32_t ev_at = P->ev_i < P->lines.events.len ? P->lines.events.items[P->ev_i].start : len;
    if (pos >= ev_at) {
      const gr__event *ev = &P->lines.events.items[P->ev_i++];
      if (pos == ev->start) pos = gr__on_event(P, ev);
      continue;
    }
    uint32_t stop = gr__min(ev_at, top->end != GR_NONE ? top->end : top->limit);
    stop = gr__min(stop, top->limit);
    if (top->opaque) {
      pos = stop;
      continue;
    }
    pos = gr__skip_plain(P, pos, stop);
    if (pos >= stop) continue;

    int structural = gr__structural(top);
    uint32_t lim = top->limit; /* no token may run past its container */
    int in_fence_code = (top->flags & GR_FLAG_IN_CODE) != 0;
    char c = t[pos];
    char d = pos + 1 < len ? t[pos + 1] : '\0';
    if (c == '{') {
      pos = d == '{' ? gr__placeholder(P, pos) : pos + 1;
    } else if (c == '[') {
      if (d == '[' && structural && gr__has(t, lim, pos, "[[LLM:")) pos = gr__instruction(P, pos);
      else pos++;
    } else if (c == '<') {
      if (structural && (gr__has(t, lim, pos, "<<REPEAT") || gr__has(t, lim, pos, "<</REPEAT>>"))) {
        pos = gr__block(P, pos);
      } else if ((structural || top->kind == GR_INSTRUCTION) &&
                 gr__has(t, lim, pos, "<critical_rule>")) {
        pos = gr__critical(P, pos);
      } else if ((structural || top->kind == GR_INSTRUCTION) &&
                 gr__has(t, lim, pos, "</critical_rule>")) {
        gr_tree__diag(P->tree, GR_DIAG_STRAY_CLOSER, pos, pos + 16, GR_NONE,
                      "</critical_rule> closes nothing: no <critical_rule> is open here");
        pos += 16;
      } else if (structural && !in_fence_code && gr__has(t, lim, pos, "<!--")) {
        pos = gr__comment(P, pos);
      } else {
        pos++;
      }
    } else if (c == '^') {
      pos = (d == '^' && structural) ? gr__block(P, pos) : pos + 1;
    } else if (c == '@') {
      pos = d == '{' ? gr__example(P, pos) : pos + 1;
    } else { /* '`' */
      if (!in_fence_code) pos = gr__code_span(P, pos);
      else pos++;
    }
  }
  while (P->stack.len > 1) gr__close_unclosed(P, len);
  gr_node *r = gr__node(P, 0);
  r->span = r->body = (gr_span){0, len};
}

/* ---- entry -------------------------------------------------------------- */

gr_tree *gr_parse(const char *text, size_t len, const gr_options *opts) {
  gr_tree *tree = gr_calloc(1, sizeof *tree);
  int too_long = len > GR__MAX_LEN;
  if (too_long) len = GR__MAX_LEN;
  if (!text) len = 0, text = "";
  tree->text = text;
  tree->len = (uint32_t)len;
  gr_tree__add(tree, GR_ROOT, GR_NONE, 0);

  gr__parser P;
  memset(&P, 0, sizeof P);
  P.t = text;
  P.len = (uint32_t)len;
  P.comment_from = GR_NONE;
  P.resume_end = GR_NONE;
  P.broken_last = GR_NONE;
  P.tmpl = !(opts && opts->mode == GR_MODE_DOCUMENT);
  tree->mode = P.tmpl ? GR_MODE_TEMPLATE : GR_MODE_DOCUMENT;
  P.tree = tree;
  P.opts.max_depth = opts && opts->max_depth ? opts->max_depth : GR__DEFAULT_DEPTH;
  P.opts.max_nodes = opts && opts->max_nodes ? opts->max_nodes : GR__DEFAULT_NODES;
  if (P.opts.max_depth < 2) P.opts.max_depth = 2;
  P.lines.t = text;
  P.lines.len = P.len;
  gr_bitmap_build(&P.bits, text, P.len, GR_BITMAP_BEST);
  P.lines.bits = &P.bits;

  if (too_long)
    gr_tree__diag(tree, GR_DIAG_LIMIT_EXCEEDED, P.len, P.len, GR_NONE,
                  "The file is larger than %u bytes: only the first %u bytes were read",
                  GR__MAX_LEN, GR__MAX_LEN);
  if (P.tmpl) gr__scan_lines(&P.lines);
  else gr__scan_lines_doc(&P.lines);
  gr__pair_all(&P.lines, &P.ph, &P.ex, &P.bk);
  /* Most nodes are known by now (sections, fences, placeholders, blocks,
   * examples): reserve for them, and a quarter more for code spans and
   * instructions, rather than growing the array a dozen times. */
  size_t known = P.lines.events.len + P.ex.len + P.bk.len;
  for (size_t i = 0; i < P.ph.len; i++) known += P.ph.items[i].close != GR_NONE;
  size_t want = known + known / 4 + 16;
  if (want > P.len / 2 + 16) want = P.len / 2 + 16; /* no node is shorter than two bytes */
  gr_array_reserve(&tree->nodes, want < P.opts.max_nodes ? want : P.opts.max_nodes);
  gr__scan(&P);

  gr_array_free(&P.lines.events);
  gr_array_free(&P.lines.headings);
  gr_array_free(&P.ph);
  gr_array_free(&P.ex);
  gr_array_free(&P.bk);
  gr_array_free(&P.stack);
  gr_array_free(&P.cm.events);
  gr_array_free(&P.cm.headings);
  gr_array_free(&P.cm_code);
  gr_bitmap_free(&P.bits);
  gr_tree__finish(tree);
  return tree;
}
