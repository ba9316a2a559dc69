/*
 * fuzzy.h: how well a name matches what the user typed (ft_fuzzy_*), for
 * pickers such as workspace/symbol.
 *
 * A name matches when the query's characters appear in it in order (a
 * subsequence), ignoring ASCII case; blanks in the query are dropped
 * ("goals obj" finds "Goals and Objectives"). Among the ways to place the
 * query, the best one counts, as the editors' own pickers rank:
 *   - each character matched scores, more at the start of the name, more
 *     at the start of a word (after a blank, '_', '-', '.', '/' or other
 *     punctuation, or a lower-case letter followed by an upper-case one),
 *     and doubly so for the query's first character;
 *   - a run of consecutive characters scores more than the same
 *     characters apart; a gap costs more the longer it is;
 *   - a character typed in the name's own case scores one point more, and
 *     a query that is the whole name (ignoring case) more still.
 * So "ds" ranks "Design System" above "needs", and "API" ranks
 * "API Design" above "api notes". Bytes outside ASCII compare exactly.
 * Only the first FT_FUZZY_MAX_NAME bytes of a name are matched, and the
 * first FT_FUZZY_MAX_QUERY bytes of a query: the work per name is bounded.
 * Pure: no allocation.
 */
#ifndef TMPL_SERVER_FEATURES_FUZZY_H
#define TMPL_SERVER_FEATURES_FUZZY_H

#include <stddef.h>
#include <stdint.h>

#define FT_FUZZY_MAX_QUERY 64
#define FT_FUZZY_MAX_NAME 256

/* A query, prepared once for many names. */
typedef struct ft_fuzzy {
  char q[FT_FUZZY_MAX_QUERY];     /* the query's bytes, blanks dropped */
  char lower[FT_FUZZY_MAX_QUERY]; /* the same, ASCII lower case */
  uint32_t len;
} ft_fuzzy;

/** Prepare query[0..len) (may hold blanks; past FT_FUZZY_MAX_QUERY bytes is cut). */
void ft_fuzzy_prepare(ft_fuzzy *f, const char *query, size_t len);

/** True when the prepared query is empty (every name matches, score 0). */
int ft_fuzzy_empty(const ft_fuzzy *f);

/**
 * The score of name[0..len) for the prepared query: -1 when it does not
 * match, else a number >= 0, higher for a better match (0 for an empty
 * query).
 */
int32_t ft_fuzzy_score(const ft_fuzzy *f, const char *name, size_t len);

#endif
