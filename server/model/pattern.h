/*
 * pattern.h: heading and path patterns with {{placeholder}} wildcards
 * (tl_pattern_*), shared by the template model and association.
 *
 * A compiled pattern is a NUL-terminated string in which TL_PATTERN_WILD
 * stands for one wildcard; a wildcard matches one or more characters (in
 * path mode, none of them '/'). Heading mode also folds ASCII case, trims,
 * collapses whitespace runs to one space, and treats an [ALL CAPS] bracket
 * ("[TECHNIQUE NAME 1]") and a choice ("{None|WCAG AA}": one of the options
 * or any text in its place) as a wildcard too.
 */
#ifndef TMPL_SERVER_MODEL_PATTERN_H
#define TMPL_SERVER_MODEL_PATTERN_H

#include <stddef.h>

#define TL_PATTERN_WILD '\x01'

typedef enum tl_pattern_mode { TL_PATTERN_HEADING = 0, TL_PATTERN_PATH = 1 } tl_pattern_mode;

/**
 * Compile text[0..len). Returns a new string (gr_free); *literal (may be
 * NULL) gets the number of literal characters other than spaces.
 */
char *tl_pattern_compile(const char *text, size_t len, tl_pattern_mode mode, int *literal);

/** Heading-mode normalization of plain text (no wildcards). New string; *out_len set. */
char *tl_pattern_normalize(const char *text, size_t len, size_t *out_len);

/** The same into out[0..len] (the caller's buffer of len + 1 bytes); returns the length. */
size_t tl_pattern_normalize_to(const char *text, size_t len, char *out);

/**
 * Match s[0..n) (already normalized in heading mode) against a compiled
 * pattern. Returns the pattern's literal count (non-space) on a match, -1
 * otherwise (also when pattern x text exceeds 4M cells: the work is bounded).
 */
int tl_pattern_match(const char *pattern, const char *s, size_t n, tl_pattern_mode mode);

#endif
