/*
 * fuzzy.c: subsequence matching with a score (see fuzzy.h).
 *
 * The constants are fzf's, whose ranking editors' pickers share in
 * spirit: a match is worth 16, a word start adds to it, a gap of g
 * characters between two matches costs 2 + g, a consecutive match adds a
 * little. The best placement is found by dynamic programming over the
 * query's characters and the name's bytes, O(query * name) with two rows
 * on the stack; a greedy pass first rejects the names that cannot match,
 * which is most of them, in one scan.
 */
#include "server/features/fuzzy.h"

#include <string.h>

#define FT_FUZZY__MATCH 16
#define FT_FUZZY__START 8  /* the name's first byte */
#define FT_FUZZY__WORD 7   /* a word's first byte: after a blank or punctuation */
#define FT_FUZZY__CAMEL 6  /* an upper-case letter after a lower-case one */
#define FT_FUZZY__CONSEC 5 /* right after the previous match */
#define FT_FUZZY__CASE 1   /* typed in the name's case */
#define FT_FUZZY__WHOLE 40 /* the query is the whole name */
#define FT_FUZZY__NONE INT32_MIN

static unsigned char ft_fuzzy__lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c; }

/* A byte that belongs to a word: a letter, a digit, or part of a non-ASCII character. */
static int ft_fuzzy__wordy(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The bonus for a match at name[j]. */
static int32_t ft_fuzzy__bonus(const unsigned char *name, size_t j) {
  if (j == 0) return FT_FUZZY__START;
  unsigned char p = name[j - 1], c = name[j];
  if (!ft_fuzzy__wordy(p) && ft_fuzzy__wordy(c)) return FT_FUZZY__WORD;
  if (p >= 'a' && p <= 'z' && c >= 'A' && c <= 'Z') return FT_FUZZY__CAMEL;
  return 0;
}

void ft_fuzzy_prepare(ft_fuzzy *f, const char *query, size_t len) {
  memset(f, 0, sizeof *f);
  for (size_t i = 0; i < len && f->len < FT_FUZZY_MAX_QUERY; i++) {
    unsigned char c = (unsigned char)query[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
    f->q[f->len] = (char)c;
    f->lower[f->len] = (char)ft_fuzzy__lower(c);
    f->len++;
  }
}

int ft_fuzzy_empty(const ft_fuzzy *f) { return f->len == 0; }

int32_t ft_fuzzy_score(const ft_fuzzy *f, const char *name_s, size_t n) {
  const unsigned char *name = (const unsigned char *)name_s;
  const unsigned char *ql = (const unsigned char *)f->lower;
  size_t m = f->len;
  if (m == 0) return 0;
  if (n > FT_FUZZY_MAX_NAME) n = FT_FUZZY_MAX_NAME;
  if (m > n) return -1;
  /* Greedy: is it a subsequence at all? */
  size_t i = 0;
  for (size_t j = 0; j < n && i < m; j++)
    if (ft_fuzzy__lower(name[j]) == ql[i]) i++;
  if (i < m) return -1;

  /* row[j]: the best score of q[0..i] with q[i] matched at name[j]. */
  int32_t rows[2][FT_FUZZY_MAX_NAME];
  int32_t *prev = rows[0], *cur = rows[1];
  for (size_t j = 0; j < n; j++) {
    prev[j] = FT_FUZZY__NONE;
    if (ft_fuzzy__lower(name[j]) != ql[0]) continue;
    prev[j] = FT_FUZZY__MATCH + 2 * ft_fuzzy__bonus(name, j) + (name[j] == (unsigned char)f->q[0] ? FT_FUZZY__CASE : 0);
  }
  for (i = 1; i < m; i++) {
    /* best: max over k <= j - 2 of prev[k] + k (a gap of j - k - 1 costs 1 + j - k) */
    int32_t best = FT_FUZZY__NONE;
    for (size_t j = 0; j < n; j++) {
      cur[j] = FT_FUZZY__NONE;
      if (j >= 2 && prev[j - 2] != FT_FUZZY__NONE && prev[j - 2] + (int32_t)(j - 2) > best)
        best = prev[j - 2] + (int32_t)(j - 2);
      if (j < i || ft_fuzzy__lower(name[j]) != ql[i]) continue;
      int32_t from = FT_FUZZY__NONE;
      if (prev[j - 1] != FT_FUZZY__NONE) from = prev[j - 1] + FT_FUZZY__CONSEC;
      if (best != FT_FUZZY__NONE && best - 1 - (int32_t)j > from) from = best - 1 - (int32_t)j;
      if (from == FT_FUZZY__NONE) continue;
      cur[j] =
          from + FT_FUZZY__MATCH + ft_fuzzy__bonus(name, j) + (name[j] == (unsigned char)f->q[i] ? FT_FUZZY__CASE : 0);
    }
    int32_t *t = prev;
    prev = cur;
    cur = t;
  }
  int32_t score = FT_FUZZY__NONE;
  for (size_t j = 0; j < n; j++)
    if (prev[j] > score) score = prev[j];
  if (score == FT_FUZZY__NONE) return -1; /* cannot happen after the greedy pass */
  if (m == n) score += FT_FUZZY__WHOLE;   /* a subsequence as long as the name is the name */
  return score < 0 ? 0 : score;
}
