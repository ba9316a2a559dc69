#include "server/features/yemit.h"

#include <string.h>

#include "grammar/lines.h"

/* A character YAML cannot carry as it is: C0 controls but tab and line
 * feed, DEL, C1, and the byte order mark and non-characters libyaml's
 * reader refuses. U+0085, U+2028 and U+2029 are line breaks to YAML 1.1,
 * so they are escaped too rather than left to fold a line. */
static int ft_yemit__special(uint32_t cp) {
  if (cp == '\t' || cp == '\n') return 0;
  if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F)) return 1;
  return cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

/* Next character at s[i..n): its length, *cp, and *bad when the byte is not UTF-8. */
static size_t ft_yemit__next(const char *s, size_t n, size_t i, uint32_t *cp, int *bad) {
  size_t k = gr_utf8_decode(s, n, i, cp);
  *bad = (*cp == 0xFFFD && k == 1);
  return k;
}

static int ft_yemit__ieq(const char *s, size_t n, const char *w) {
  size_t m = strlen(w);
  if (m != n) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != w[i]) return 0;
  }
  return 1;
}

/* A word YAML 1.1 or 1.2 resolves to null or a boolean. */
static int ft_yemit__reserved(const char *s, size_t n) {
  static const char *const words[] = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "="};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (ft_yemit__ieq(s, n, words[i])) return 1;
  return 0;
}

static int ft_yemit__plain_ok(const char *s, size_t n) {
  if (n == 0 || ft_yemit__reserved(s, n)) return 0;
  if (strchr("-?:,[]{}#&*!|>'\"%@` \t.+0123456789", s[0])) return 0;
  if (s[n - 1] == ' ' || s[n - 1] == ':') return 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int bad;
    size_t k = ft_yemit__next(s, n, i, &cp, &bad);
    if (bad || cp == '\t' || cp == '\n' || ft_yemit__special(cp)) return 0;
    if (cp == ':' && i + 1 < n && s[i + 1] == ' ') return 0;
    if (cp == '#' && i > 0 && s[i - 1] == ' ') return 0;
    i += k;
  }
  return 1;
}

static int ft_yemit__block_ok(const char *s, size_t n) {
  int text = 0;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int bad;
    size_t k = ft_yemit__next(s, n, i, &cp, &bad);
    if (bad || ft_yemit__special(cp)) return 0;
    if (cp != ' ' && cp != '\t' && cp != '\n') text = 1;
    i += k;
  }
  return text;
}

ft_yemit_style ft_yemit_style_of(const char *s, size_t n) {
  if (memchr(s, '\n', n)) return ft_yemit__block_ok(s, n) ? FT_YEMIT_LITERAL : FT_YEMIT_DOUBLE;
  return ft_yemit__plain_ok(s, n) ? FT_YEMIT_PLAIN : FT_YEMIT_DOUBLE;
}

static void ft_yemit__double(ft_buf *b, const char *s, size_t n) {
  ft_buf_putn(b, "\"", 1);
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    int bad;
    size_t k = ft_yemit__next(s, n, i, &cp, &bad);
    if (bad) ft_buf_printf(b, "\\x%02X", (unsigned char)s[i]);
    else if (cp == '"') ft_buf_puts(b, "\\\"");
    else if (cp == '\\') ft_buf_puts(b, "\\\\");
    else if (cp == '\t') ft_buf_puts(b, "\\t");
    else if (cp == '\n') ft_buf_puts(b, "\\n");
    else if (cp == '\r') ft_buf_puts(b, "\\r");
    else if (cp < 0x20 || cp == 0x7F) ft_buf_printf(b, "\\x%02X", (unsigned)cp);
    else if (ft_yemit__special(cp)) ft_buf_printf(b, "\\u%04X", (unsigned)cp);
    else ft_buf_putn(b, s + i, k);
    i += k;
  }
  ft_buf_putn(b, "\"", 1);
}

static void ft_yemit__spaces(ft_buf *b, unsigned n) {
  for (unsigned i = 0; i < n; i++) ft_buf_putn(b, " ", 1);
}

static void ft_yemit__literal(ft_buf *b, unsigned indent, const char *s, size_t n) {
  size_t end = n, breaks = 0;
  while (end > 0 && s[end - 1] == '\n') end--, breaks++;
  /* The indentation is read from the first line that is not empty; when
   * that line starts with a space it must be stated (2: the lines sit two
   * columns right of the key or dash, which is the caller's contract), and
   * with a tab too: libyaml refuses a tab where it is still reading the
   * indentation. */
  size_t i = 0;
  while (i < end && s[i] == '\n') i++;
  ft_buf_puts(b, " |");
  if (i < end && (s[i] == ' ' || s[i] == '\t')) ft_buf_puts(b, "2");
  ft_buf_puts(b, breaks == 0 ? "-" : breaks == 1 ? "" : "+");
  ft_buf_putn(b, "\n", 1);
  /* The lines up to the last one with text, then each final break. */
  for (size_t p = 0; p < end;) {
    const char *nl = memchr(s + p, '\n', end - p);
    size_t q = nl ? (size_t)(nl - s) : end;
    if (q > p) {
      ft_yemit__spaces(b, indent);
      ft_buf_putn(b, s + p, q - p);
    }
    ft_buf_putn(b, "\n", 1);
    p = q + 1;
  }
  /* "a\n\n" (|+) keeps its second break as an empty line. */
  for (size_t k = 1; k < breaks; k++) ft_buf_putn(b, "\n", 1);
}

void ft_yemit_value(ft_buf *b, unsigned indent, const char *s, size_t n) {
  switch (ft_yemit_style_of(s, n)) {
  case FT_YEMIT_PLAIN:
    ft_buf_putn(b, " ", 1);
    ft_buf_putn(b, s, n);
    ft_buf_putn(b, "\n", 1);
    break;
  case FT_YEMIT_DOUBLE:
    ft_buf_putn(b, " ", 1);
    ft_yemit__double(b, s, n);
    ft_buf_putn(b, "\n", 1);
    break;
  case FT_YEMIT_LITERAL:
    ft_yemit__literal(b, indent, s, n);
    break;
  }
}

void ft_yemit_pair(ft_buf *b, unsigned indent, const char *key, const char *s, size_t n) {
  ft_yemit__spaces(b, indent);
  ft_buf_puts(b, key);
  ft_buf_putn(b, ":", 1);
  ft_yemit_value(b, indent + 2, s, n);
}
