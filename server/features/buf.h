/*
 * buf.h: a growable string for the features that build text (hover
 * Markdown, outline names, completion and code action text) (ft_buf_*).
 */
#ifndef TMPL_SERVER_FEATURES_BUF_H
#define TMPL_SERVER_FEATURES_BUF_H

#include <stddef.h>

#include "grammar/alloc.h"

/* NUL-terminated once anything was appended; start with {0}, free with gr_array_free. */
typedef GR_ARRAY(char) ft_buf;

void ft_buf_putn(ft_buf *b, const char *s, size_t n);
void ft_buf_puts(ft_buf *b, const char *s);
void ft_buf_printf(ft_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Give the string away: a new NUL-terminated string (gr_free), "" when empty; *b is reset. */
char *ft_buf_take(ft_buf *b);

#endif
