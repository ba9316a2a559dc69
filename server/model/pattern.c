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

/* ---- heading keys ------------------------------------------------------- */

/* Roman numerals and single letters used as section numbers ("IV.", "b)"). */
static int tl_pattern__numeral(const char *t, size_t s, size_t e) {
  if (e - s == 1) return isalpha((unsigned char)t[s]);
  if (e - s > 4) return 0;
  for (size_t i = s; i < e; i++)
    if (!strchr("ivxIVX", t[i])) return 0;
  return 1;
}

/* Skip the numbering in front of a heading ("3.3. ", "1\\. ", "IV) ",
 * "A. "), with the spaces and emphasis marks around it. A bare number with
 * no dot ("2024 Roadmap") is text, not numbering. */
size_t tl_pattern_numbering(const char *t, size_t len) {
  size_t i = 0;
  for (;;) {
    while (i < len && (isspace((unsigned char)t[i]) || t[i] == '*' || t[i] == '_')) i++;
    size_t j = i, groups = 0, k;
    for (;;) {
      size_t w = j;
      if (w < len && isdigit((unsigned char)t[w])) {
        while (w < len && isdigit((unsigned char)t[w])) w++;
      } else {
        while (w < len && isalpha((unsigned char)t[w])) w++;
        if (w == j || !tl_pattern__numeral(t, j, w)) break;
      }
      k = w;
      if (k < len && t[k] == '\\') k++;
      int digits = isdigit((unsigned char)t[j]);
      if (k < len && (t[k] == '.' || t[k] == ')' || (t[k] == ':' && digits))) {
        groups++;
        j = k + 1;
        if (j < len && isdigit((unsigned char)t[j])) continue; /* 3.3 */
        break;
      }
      /* "3.3 Testing": the last group of a dotted number needs no dot. */
      if (groups > 0 && isdigit((unsigned char)t[j]) && (w == len || isspace((unsigned char)t[w]))) {
        groups++;
        j = w;
      }
      break;
    }
    if (groups == 0 || (j < len && !isspace((unsigned char)t[j]) && t[j] != '*' && t[j] != '_'))
      return i;
    i = j;
  }
}

/* Code point at t[i..len) and its length (1 for a bad byte, cp = 0xFFFD). */
static unsigned long tl_pattern__cp(const char *t, size_t len, size_t i, size_t *n) {
  unsigned char c = (unsigned char)t[i];
  size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (k == 1 || i + k > len) {
    *n = 1;
    return c < 0x80 ? c : 0xFFFD;
  }
  unsigned long cp = c & (0x3F >> (k - 1));
  for (size_t q = 1; q < k; q++) {
    if (((unsigned char)t[i + q] & 0xC0) != 0x80) {
      *n = 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | ((unsigned char)t[i + q] & 0x3F);
  }
  *n = k;
  return cp;
}

/* Symbols and punctuation outside ASCII: emoji, dashes, quotes, arrows. */
static int tl_pattern__symbol(unsigned long cp) {
  return (cp >= 0xA0 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x2E00 && cp <= 0x2E7F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp >= 0xE0000 ||
         cp == 0xFFFD;
}

char *tl_pattern_key(const char *text, size_t len, int wild, size_t *out_len) {
  char *out = gr_malloc(len + 2);
  size_t n = 0, i = tl_pattern_numbering(text, len), close = 0;
  int sep = 0;
#define TL_PATTERN__EMIT(ch)               \
  do {                                     \
    if (sep && n > 0) out[n++] = ' ';      \
    sep = 0;                               \
    out[n++] = (ch);                       \
  } while (0)
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    if (wild && c == '{' && i + 1 < len && text[i + 1] == '{') {
      if (close < i + 2) { /* as in tl_pattern_compile: one cached answer keeps it linear */
        close = i + 2;
        while (close + 1 < len && !(text[close] == '}' && text[close + 1] == '}')) close++;
        if (close + 1 >= len) close = len;
      }
      if (close < len) {
        sep = 1;
        TL_PATTERN__EMIT(TL_PATTERN_WILD);
        sep = 1;
        i = close + 2;
        continue;
      }
    }
    size_t b;
    if (wild && c == '[' && (b = tl_pattern__caps_bracket(text, len, i))) {
      sep = 1;
      TL_PATTERN__EMIT(TL_PATTERN_WILD);
      sep = 1;
      i += b;
      continue;
    }
    if (c < 0x80) {
      if (isalnum(c)) TL_PATTERN__EMIT((char)tolower(c));
      else if (c != '\'') sep = 1; /* "Writer's" stays one word */
      i++;
      continue;
    }
    size_t k;
    unsigned long cp = tl_pattern__cp(text, len, i, &k);
    if (cp == 0x2019) { /* ’ */
      i += k;
      continue;
    }
    if (tl_pattern__symbol(cp)) {
      sep = 1;
      i += k;
      continue;
    }
    for (size_t q = 0; q < k; q++) TL_PATTERN__EMIT(text[i + q]);
    i += k;
  }
#undef TL_PATTERN__EMIT
  out[n] = 0;
  *out_len = n;
  return out;
}

/* Content words of a key, plural 's' folded, each once: written into
 * `words` as (start, length) pairs over `key`; returns how many (at most max). */
static size_t tl_pattern__words(const char *key, size_t (*words)[2], size_t max) {
  static const char *stop[] = {"a",  "an", "and", "as",  "at",   "by",  "for", "from", "in",
                               "of", "on", "or",  "the", "to",   "with", "its", "our", "your"};
  size_t n = 0;
  for (size_t i = 0; key[i] && n < max;) {
    while (key[i] == ' ') i++;
    size_t s = i;
    while (key[i] && key[i] != ' ') i++;
    size_t l = i - s;
    if (l == 0) break;
    int is_stop = 0;
    for (size_t k = 0; k < sizeof stop / sizeof stop[0] && !is_stop; k++)
      is_stop = strlen(stop[k]) == l && memcmp(stop[k], key + s, l) == 0;
    if (is_stop) continue;
    if (l > 3 && key[s + l - 1] == 's' && key[s + l - 2] != 's') l--;
    int dup = 0;
    for (size_t k = 0; k < n && !dup; k++)
      dup = words[k][1] == l && memcmp(key + words[k][0], key + s, l) == 0;
    if (dup) continue;
    words[n][0] = s;
    words[n][1] = l;
    n++;
  }
  return n;
}

unsigned tl_pattern_likeness(const char *a, const char *b) {
  size_t wa[32][2], wb[32][2];
  size_t na = tl_pattern__words(a, wa, 32), nb = tl_pattern__words(b, wb, 32);
  if (na == 0 || nb == 0) return 0;
  size_t common = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++)
      if (wa[i][1] == wb[j][1] && memcmp(a + wa[i][0], b + wb[j][0], wa[i][1]) == 0) {
        common++;
        break;
      }
  return (unsigned)(200 * common / (na + nb));
}

char *tl_pattern_plain(const char *text, size_t len, size_t *out_len) {
  char *out = gr_malloc(len + 1);
  size_t n = 0, i = tl_pattern_numbering(text, len);
  int space = 0;
  while (i < len) {
    unsigned char c = (unsigned char)text[i];
    size_t k = 1;
    unsigned long cp = c < 0x80 ? c : tl_pattern__cp(text, len, i, &k);
    if (c == '*' || c == '_' || c == '`' || c == '\\' || (c >= 0x80 && tl_pattern__symbol(cp) && cp != 0x2019)) {
      /* dropped; a symbol between words still parts them */
      if (c >= 0x80) space = n > 0;
    } else if (isspace(c)) {
      space = n > 0;
    } else {
      if (space) out[n++] = ' ';
      space = 0;
      memcpy(out + n, text + i, k);
      n += k;
    }
    i += k;
  }
  out[n] = 0;
  *out_len = n;
  return out;
}
