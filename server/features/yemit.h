/*
 * yemit.h: writing YAML scalars that read back as the exact string given
 * (ft_yemit_*), for the features that write YAML (migrate.c).
 *
 * A string is written plain when nothing in it means something to YAML,
 * as a literal block (`|`) when it spans lines, and double-quoted with
 * escapes otherwise. Plain needs: no leading or trailing blank, a first
 * byte that is no indicator (- ? : , [ ] { } # & * ! | > ' " % @ `), no
 * ": " or " #" inside and no ':' at the end, no tab or control byte, valid
 * UTF-8, and not a word YAML 1.1 resolves to another type (null, ~, true,
 * yes, off, ... in any case; anything starting with a digit, '.' or '+').
 * A block needs printable valid UTF-8 (tabs and line breaks aside, no '\r',
 * no U+0085/U+2028/U+2029/U+FEFF) and some text that is not blank; its
 * header carries an indentation indicator when its first non-empty line
 * starts with a space or a tab, and the chomping that keeps the string's own number
 * of final line breaks (`|-` none, `|` one, `|+` more). Double quotes
 * escape '"', '\\', control bytes and the characters above; a byte that is
 * not valid UTF-8 is written as \xNN (so it reads back as U+00NN).
 */
#ifndef TMPL_SERVER_FEATURES_YEMIT_H
#define TMPL_SERVER_FEATURES_YEMIT_H

#include <stddef.h>

#include "server/features/buf.h"

typedef enum ft_yemit_style {
  FT_YEMIT_PLAIN = 0,
  FT_YEMIT_DOUBLE,  /* "..." with escapes */
  FT_YEMIT_LITERAL  /* | block */
} ft_yemit_style;

/** How s[0..n) is written (see above). */
ft_yemit_style ft_yemit_style_of(const char *s, size_t n);

/**
 * Append the scalar s[0..n) as the value after a key or a "-" already
 * written on the current line: " value\n", or " |\n" and the block's lines,
 * each indented by `indent` spaces (an empty line stays empty).
 */
void ft_yemit_value(ft_buf *b, unsigned indent, const char *s, size_t n);

/** Append `indent` spaces, "key:" and the value as ft_yemit_value (lines at indent + 2). */
void ft_yemit_pair(ft_buf *b, unsigned indent, const char *key, const char *s, size_t n);

#endif
