#include "server/features/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ft_buf_putn(ft_buf *b, const char *s, size_t n) {
  gr_array_reserve(b, n + 1);
  if (n) memcpy(b->items + b->len, s, n);
  b->len += n;
  b->items[b->len] = '\0';
}

void ft_buf_puts(ft_buf *b, const char *s) { ft_buf_putn(b, s, strlen(s)); }

void ft_buf_printf(ft_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  gr_array_reserve(b, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(b->items + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

char *ft_buf_take(ft_buf *b) {
  if (!b->items) return gr_strndup("", 0);
  char *s = b->items;
  b->items = NULL;
  b->len = b->cap = 0;
  return s;
}
