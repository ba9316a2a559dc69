/*
 * pattern.c: wildcard patterns, matched by dynamic programming over
 * (pattern position, text position) so that any number of wildcards costs
 * O(pattern x text), never exponential backtracking.
 */
#include "server/model/pattern.h"

#include <ctype.h>
#include <string.h>

#include "grammar/alloc.h"

#define TL_PATTERN__MAX_CELLS (4u * 1024 * 1024)

/* "[ALL CAPS 1]" at text[i]: returns the length through ']' or 0. */
static size_t tl_pattern__caps_bracket(const char *text, size_t len, size_t i) {
  size_t j = i + 1;
  int upper = 0;
  while (j < len && text[j] != ']') {
    char c = text[j];
    if (c >= 'A' && c <= 'Z') upper++;
    else if (!(c >= '0' && c <= '9') && c != ' ' && c != '_' && c != '-' && c != '/')
      return 0;
    j++;
  }
  return j < len && upper > 0 ? j + 1 - i : 0;
}

/*
 * A choice "{None|WCAG AA|WCAG AAA}" at text[i] (one brace, at least one
 * '|', on one line): returns its length through '}' or 0. The document has
 * one of the options there, or its own words: any text matches.
 */
static size_t tl_pattern__choice(const char *text, size_t len, size_t i) {
  size_t j = i + 1;
  int bars = 0;
  if (j < len && text[j] == '{') return 0;
  while (j < len && text[j] != '}') {
    if (text[j] == '{' || text[j] == '\n' || text[j] == '\r') return 0;
    bars += text[j] == '|';
    j++;
  }
  return j < len && bars > 0 ? j + 1 - i : 0;
}

char *tl_pattern_compile(const char *text, size_t len, tl_pattern_mode mode, int *literal) {
  char *out = gr_malloc(len + 1);
  size_t n = 0;
  int lit = 0, space = 0;
  size_t i = 0, close = 0;
  if (mode == TL_PATTERN_HEADING)
    while (i < len && isspace((unsigned char)text[i])) i++;
  while (i < len) {
    char c = text[i];
    if (c == '{' && i + 1 < len && text[i + 1] == '{') {
      /* The first "}}" at or after i + 2 (len: none). Searches start at
       * increasing offsets, so one cached answer keeps this linear even for
       * a line of "{{{{{{...". */
      if (close < i + 2) {
        close = i + 2;
        while (close + 1 < len && !(text[close] == '}' && text[close + 1] == '}')) close++;
        if (close + 1 >= len) close = len;
      }
      if (close < len) {
        if (space) out[n++] = ' ';
        space = 0;
        out[n++] = TL_PATTERN_WILD;
        i = close + 2;
        continue;
      }
    }
    size_t b;
    if (mode == TL_PATTERN_HEADING &&
        ((c == '[' && (b = tl_pattern__caps_bracket(text, len, i))) ||
         (c == '{' && (b = tl_pattern__choice(text, len, i))))) {
      if (space) out[n++] = ' ';
      space = 0;
      out[n++] = TL_PATTERN_WILD;
      i += b;
      continue;
    }
    if (mode == TL_PATTERN_HEADING && isspace((unsigned char)c)) {
      space = n > 0;
      i++;
      continue;
    }
    if (space) out[n++] = ' ';
    space = 0;
    out[n++] = mode == TL_PATTERN_HEADING ? (char)tolower((unsigned char)c) : c;
    if (c != ' ' && c != TL_PATTERN_WILD) lit++;
    i++;
  }
  out[n] = 0;
  if (literal) *literal = lit;
  return out;
}

char *tl_pattern_normalize(const char *text, size_t len, size_t *out_len) {
  char *out = gr_malloc(len + 1);
  *out_len = tl_pattern_normalize_to(text, len, out);
  return out;
}

size_t tl_pattern_normalize_to(const char *text, size_t len, char *out) {
  size_t n = 0;
  int space = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (isspace(c)) {
      space = n > 0;
      continue;
    }
    if (space) out[n++] = ' ';
    space = 0;
    out[n++] = (char)tolower(c);
  }
  out[n] = 0;
  return n;
}

int tl_pattern_match(const char *pattern, const char *s, size_t n, tl_pattern_mode mode) {
  size_t m = strlen(pattern);
  /* Fast paths, since most headings are literal: compare directly, or
   * check the literal text before the first and after the last wildcard. */
  const char *first = memchr(pattern, TL_PATTERN_WILD, m);
  if (!first) {
    if (m != n || memcmp(pattern, s, n) != 0) return -1;
    int lit = 0;
    for (size_t i = 0; i < m; i++) lit += pattern[i] != ' ';
    return lit;
  }
  size_t head = (size_t)(first - pattern), tail = 0;
  while (tail < m && pattern[m - 1 - tail] != TL_PATTERN_WILD) tail++;
  if (head + tail > n || memcmp(pattern, s, head) != 0 ||
      memcmp(pattern + m - tail, s + n - tail, tail) != 0)
    return -1;
  if ((m + 1) > TL_PATTERN__MAX_CELLS / (n + 1)) return -1;
  /* row[j] for the pattern suffix starting at i+1 (next) and at i (cur). */
  unsigned char stack[2][257];
  int heap = n + 1 > sizeof stack[0];
  unsigned char *next = heap ? gr_calloc(n + 1, 1) : stack[0];
  unsigned char *cur = heap ? gr_calloc(n + 1, 1) : stack[1];
  if (!heap) {
    memset(next, 0, n + 1);
    memset(cur, 0, n + 1);
  }
  next[n] = 1; /* empty pattern matches empty text */
  int lit = 0;
  for (size_t i = m; i-- > 0;) {
    char p = pattern[i];
    if (p != TL_PATTERN_WILD && p != ' ') lit++;
    cur[n] = 0;
    for (size_t j = n; j-- > 0;) {
      if (p == TL_PATTERN_WILD) {
        int ok = !(mode == TL_PATTERN_PATH && s[j] == '/');
        cur[j] = (unsigned char)(ok && (next[j + 1] || cur[j + 1]));
      } else {
        cur[j] = (unsigned char)(p == s[j] && next[j + 1]);
      }
    }
    unsigned char *tmp = next;
    next = cur;
    cur = tmp;
  }
  int r = next[0] ? lit : -1;
  if (heap) {
    gr_free(next);
    gr_free(cur);
  }
  return r;
}
