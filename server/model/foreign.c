/*
 * foreign.c: the rule that tells a template's placeholder left in a
 * document from every other {{…}} (see foreign.h). The name is read as the
 * other languages would read it (a path, a call, a helper with arguments,
 * an object literal); the words around it are read for prose about syntax
 * and for the frameworks that use {{ }} themselves. Every look around is
 * bounded (TL_FG__REACH bytes each way), so a line full of braces stays
 * linear. A false positive in a real document is a bug: each rule has its
 * class in tests/model/test_foreign.c, beside the real leftovers it must
 * keep.
 */
#include "server/model/foreign.h"

#include <ctype.h>
#include <string.h>

#include "grammar/alloc.h"

/* How far the context rules look from a placeholder, each way. */
#define TL_FG__REACH 256u

static int tl_fg__ident(char c) { return isalnum((unsigned char)c) || c == '_'; }
static int tl_fg__alpha(char c) { return isalpha((unsigned char)c) != 0; }
static int tl_fg__blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static int tl_fg__eol(char c) { return c == '\n' || c == '\r'; }

static int tl_fg__is(const char *p, size_t n, const char *word) {
  return strlen(word) == n && memcmp(p, word, n) == 0;
}

static int tl_fg__has_blank(const char *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tl_fg__blank(p[i])) return 1;
  return 0;
}

/* ---- reading the name as code ------------------------------------------- */

/* The end of the quoted string at p[i] (a quote), past its closing quote, or 0. */
static size_t tl_fg__string_end(const char *p, size_t n, size_t i) {
  char q = p[i];
  for (size_t k = i + 1; k < n; k++) {
    if (p[k] == '\\') k++;
    else if (p[k] == q) return k + 1;
    else if (tl_fg__eol(p[k]) && q != '`') return 0;
  }
  return 0;
}

/* The end of the bracketed group at p[i] ('(', '[' or '{'), past its closer
 * (strings inside skipped), or 0 when it does not close. */
static size_t tl_fg__group_end(const char *p, size_t n, size_t i) {
  char stack[32];
  size_t depth = 0;
  for (size_t k = i; k < n; k++) {
    char c = p[k];
    if (c == '"' || c == '\'' || c == '`') {
      size_t e = tl_fg__string_end(p, n, k);
      if (!e) return 0;
      k = e - 1;
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth == sizeof stack) return 0;
      stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
    } else if (c == ')' || c == ']' || c == '}') {
      if (!depth || stack[depth - 1] != c) return 0;
      if (--depth == 0) return k + 1;
    }
  }
  return 0;
}

/* A member or call expression that takes all of p[0..n): a.b, a?.b, a[0],
 * f(x), $json.x, $('Node').item. *plain is set when it is a bare identifier. */
static int tl_fg__expr(const char *p, size_t n, int *plain) {
  size_t i = 0;
  *plain = 0;
  if (n == 0) return 0;
  if (p[0] == '$') i = 1;
  if (i < n && (tl_fg__alpha(p[i]) || p[i] == '_')) {
    while (i < n && tl_fg__ident(p[i])) i++;
  } else if (!(i == 1 && i < n && p[i] == '(')) {
    return 0;
  }
  int bare = p[0] != '$';
  while (i < n) {
    if (p[i] == '.' || (p[i] == '?' && i + 1 < n && p[i + 1] == '.')) {
      i += p[i] == '?' ? 2 : 1;
      if (i >= n || !(tl_fg__alpha(p[i]) || p[i] == '_' || p[i] == '$')) return 0;
      while (i < n && (tl_fg__ident(p[i]) || p[i] == '$')) i++;
    } else if (p[i] == '(' || p[i] == '[') {
      size_t e = tl_fg__group_end(p, n, i);
      if (!e) return 0;
      i = e;
    } else {
      return 0;
    }
    bare = 0;
  }
  *plain = bare;
  return 1;
}

/* Jinja / Helm / Ansible filters and Angular pipes: the first word after a
 * '|' tells a pipeline ("x | upper") from a BMAD list of choices
 * ("high | med | low"). */
static int tl_fg__filter(const char *w, size_t n) {
  static const char *filters[] = {
      "abs", "async", "attr", "b64dec", "b64enc", "batch", "capitalize", "center", "count",
      "currency", "d", "date", "decimal", "default", "dictsort", "e", "escape", "filesizeformat",
      "first", "float", "format", "from_json", "from_yaml", "groupby", "i18nPlural", "i18nSelect",
      "indent", "int", "join", "json", "keyvalue", "last", "length", "list", "lower", "lowercase",
      "map", "max", "min", "nindent", "number", "percent", "pprint", "quote", "random", "reject",
      "rejectattr", "replace", "required", "reverse", "round", "safe", "select", "selectattr",
      "slice", "sort", "squote", "string", "striptags", "sum", "title", "titlecase", "toJson",
      "toYaml", "to_json", "to_nice_json", "to_nice_yaml", "to_yaml", "tojson", "tpl", "translate",
      "trim", "trunc", "truncate", "unique", "upper", "uppercase", "urlencode", "wordcount",
      "xmlattr"};
  for (size_t i = 0; i < sizeof filters / sizeof filters[0]; i++)
    if (tl_fg__is(w, n, filters[i])) return 1;
  return 0;
}

static void tl_fg__trim(const char **p, size_t *n) {
  while (*n && tl_fg__blank(**p)) (*p)++, (*n)--;
  while (*n && tl_fg__blank((*p)[*n - 1])) (*n)--;
}

/* {{ x | f }}: a known filter after the bar, or any pipe after a path. */
static int tl_fg__pipe(const char *p, size_t n) {
  const char *bar = memchr(p, '|', n);
  if (!bar) return 0;
  const char *w = bar + 1, *end = p + n;
  while (w < end && tl_fg__blank(*w)) w++;
  size_t k = 0;
  while (w + k < end && tl_fg__ident(w[k])) k++;
  if (!k) return 0;
  char after = w + k < end ? w[k] : 0;
  if (tl_fg__filter(w, k) && (after == 0 || tl_fg__blank(after) || after == '(' || after == ':'))
    return 1;
  const char *l = p;
  size_t ln = (size_t)(bar - p);
  tl_fg__trim(&l, &ln);
  int plain;
  return tl_fg__expr(l, ln, &plain) && !plain;
}

/* One argument of a helper call; *strong when it could not be a word of
 * prose: a string, $var, .Field, @data, key=value, (sub expression), this,
 * a path. */
static int tl_fg__arg(const char *p, size_t n, int *strong) {
  int plain;
  *strong = 0;
  if (n == 0) return 0;
  if (p[0] == '"' || p[0] == '\'') return (*strong = tl_fg__string_end(p, n, 0) == n);
  if (p[0] == '(') return (*strong = tl_fg__group_end(p, n, 0) == n);
  if (p[0] == '@' || p[0] == '.') {
    *strong = 1;
    return n > 1 && (tl_fg__ident(p[1]) || p[1] == '.' || p[1] == '/');
  }
  const char *eq = memchr(p, '=', n);
  if (eq && eq > p) {
    size_t kn = (size_t)(eq - p);
    for (size_t i = 0; i < kn; i++)
      if (!tl_fg__ident(p[i])) return 0;
    int s2;
    *strong = 1;
    return tl_fg__arg(eq + 1, n - kn - 1, &s2);
  }
  int digits = 1;
  for (size_t i = 0; i < n; i++) digits = digits && (isdigit((unsigned char)p[i]) || p[i] == '.');
  if (digits) return 1;
  if (!tl_fg__expr(p, n, &plain)) return 0;
  *strong = !plain || tl_fg__is(p, n, "this");
  return 1;
}

/* {{helper arg ...}} (Handlebars, Go templates): a lower-case helper name,
 * then arguments only, at least one that prose would not have, unless the
 * name is camelCase ({{formatDate date}}). */
static int tl_fg__helper(const char *p, size_t n) {
  size_t i = 0;
  if (!n || !islower((unsigned char)p[0])) return 0;
  int camel = 0;
  while (i < n && (tl_fg__ident(p[i]) || p[i] == '-')) {
    if (i > 0 && isupper((unsigned char)p[i]) && islower((unsigned char)p[i - 1])) camel = 1;
    i++;
  }
  if (i == n || !tl_fg__blank(p[i])) return 0;
  int args = 0, strong = 0;
  while (i < n) {
    while (i < n && tl_fg__blank(p[i])) i++;
    if (i == n) break;
    size_t s = i;
    while (i < n && !tl_fg__blank(p[i])) {
      size_t e = 0;
      if (p[i] == '"' || p[i] == '\'') e = tl_fg__string_end(p, n, i);
      else if (p[i] == '(') e = tl_fg__group_end(p, n, i);
      if (p[i] == '"' || p[i] == '\'' || p[i] == '(') {
        if (!e) return 0;
        i = e;
      } else {
        i++;
      }
    }
    int st;
    if (!tl_fg__arg(p + s, i - s, &st)) return 0;
    strong |= st;
    args++;
  }
  return args > 0 && (strong || camel);
}

/* The value of an object literal's pair: code, not words of prose. *code
 * is set when it could only be code (a number, a string, a literal, a
 * bracket, a path or call). */
static int tl_fg__value(const char *p, size_t n, int *code) {
  *code = 0;
  tl_fg__trim(&p, &n);
  if (!n) return 0;
  int prev_word = 0;
  for (size_t i = 0; i < n;) {
    char c = p[i];
    if (c == '"' || c == '\'' || c == '`' || c == '(' || c == '[' || c == '{') {
      size_t e = (c == '(' || c == '[' || c == '{') ? tl_fg__group_end(p, n, i) : tl_fg__string_end(p, n, i);
      if (!e) return 0;
      i = e;
      *code = 1;
      prev_word = 0;
    } else if (tl_fg__alpha(c) || c == '_' || c == '$') {
      size_t s = i;
      while (i < n && (tl_fg__ident(p[i]) || p[i] == '$' || p[i] == '.')) i++;
      if (prev_word) return 0; /* "Definition and target": words, not code */
      int plain;
      if ((tl_fg__expr(p + s, i - s, &plain) && !plain) || tl_fg__is(p + s, i - s, "true") ||
          tl_fg__is(p + s, i - s, "false") || tl_fg__is(p + s, i - s, "null") ||
          tl_fg__is(p + s, i - s, "undefined"))
        *code = 1;
      prev_word = 1;
    } else if (isdigit((unsigned char)c) || (c == '-' && i + 1 < n && isdigit((unsigned char)p[i + 1]))) {
      i++;
      while (i < n && (tl_fg__ident(p[i]) || p[i] == '.')) i++;
      *code = 1;
      prev_word = 0;
    } else {
      if (!tl_fg__blank(c)) prev_word = 0;
      i++;
    }
  }
  return 1;
}

/* {{ key: value, ... }}, React's style={{ opacity: 0 }}. Strict (no "attr="
 * before it): keys in lower case, and some value that only code has, so
 * that "{{Status: Draft}}" and "{{KPI 1: Definition and target}}" stay
 * placeholders. */
static int tl_fg__object(const char *p, size_t n, int strict) {
  size_t i = 0;
  int pairs = 0, code = 0;
  while (i < n) {
    while (i < n && tl_fg__blank(p[i])) i++;
    if (i == n) break;
    if (n - i > 3 && memcmp(p + i, "...", 3) == 0) { /* a spread: ...styles */
      i += 3;
      size_t s = i;
      while (i < n && (tl_fg__ident(p[i]) || p[i] == '.')) i++;
      if (i == s) return 0;
      code = 1;
    } else {
      if (p[i] == '"' || p[i] == '\'') {
        size_t e = tl_fg__string_end(p, n, i);
        if (!e) return 0;
        i = e;
      } else {
        if (!(tl_fg__alpha(p[i]) || p[i] == '_' || p[i] == '$')) return 0;
        if (strict && isupper((unsigned char)p[i])) return 0;
        while (i < n && (tl_fg__ident(p[i]) || p[i] == '$')) i++;
      }
      while (i < n && tl_fg__blank(p[i])) i++;
      if (i == n || p[i] != ':') return 0;
      i++;
      size_t s = i;
      while (i < n && p[i] != ',') {
        if (p[i] == '"' || p[i] == '\'' || p[i] == '`' || p[i] == '(' || p[i] == '[' || p[i] == '{') {
          size_t e = p[i] == '(' || p[i] == '[' || p[i] == '{' ? tl_fg__group_end(p, n, i)
                                                               : tl_fg__string_end(p, n, i);
          if (!e) return 0;
          i = e;
        } else {
          i++;
        }
      }
      int c;
      if (!tl_fg__value(p + s, i - s, &c)) return 0;
      code |= c;
    }
    pairs++;
    while (i < n && tl_fg__blank(p[i])) i++;
    if (i < n) {
      if (p[i] != ',') return 0;
      i++;
    }
  }
  return pairs > 0 && (code || !strict);
}

/* Other languages' forms of the name alone. */
static int tl_fg__soft_name(const char *p, size_t n) {
  if (!n) return 0;
  if (strchr("#/>!^&@", p[0])) return 1; /* Handlebars blocks, partials, comments, @index */
  if (tl_fg__is(p, n, "else") || tl_fg__is(p, n, "end") || tl_fg__is(p, n, "this")) return 1;
  static const char *actions[] = {"if ", "range ", "with ", "define ", "template ", "block ",
                                  "else if ", "include "};
  for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++) {
    size_t k = strlen(actions[i]);
    if (n > k && memcmp(p, actions[i], k) == 0) return 1; /* Go, Jinja actions */
  }
  if (tl_fg__pipe(p, n)) return 1;
  if (p[0] == '$' && n > 1 && (tl_fg__alpha(p[1]) || p[1] == '_' || p[1] == '(')) return 1; /* n8n, Go, Prometheus */
  size_t d = 0;
  while (d < n && isdigit((unsigned char)p[d])) d++;
  if (d && d + 1 < n && p[d] == '.' && (tl_fg__alpha(p[d + 1]) || p[d + 1] == '_')) return 1; /* Make: {{1.email}} */
  int plain;
  if (tl_fg__expr(p, n, &plain) && !plain) return 1; /* {{ user.name }}, {{ f(x) }} */
  if (tl_fg__helper(p, n)) return 1;
  return tl_fg__object(p, n, 1);
}

/* ---- reading the words around it ---------------------------------------- */

/* Does text[lo, hi) hold one of marks[0..n)? One pass: a byte that starts
 * no mark (most bytes) costs one test. Marks that are a call ("t(") need a
 * non-identifier before them. */
static int tl_fg__holds(const char *t, uint32_t lo, uint32_t hi, const char *const *marks, size_t n) {
  unsigned char first[256 / 8] = {0};
  for (size_t k = 0; k < n; k++) first[(unsigned char)marks[k][0] >> 3] |= (unsigned char)(1u << (marks[k][0] & 7));
  for (uint32_t i = lo; i < hi; i++) {
    unsigned char c = (unsigned char)t[i];
    if (!(first[c >> 3] & (1u << (c & 7)))) continue;
    for (size_t k = 0; k < n; k++) {
      const char *m = marks[k]; /* every mark has two bytes or more */
      if (m[0] != t[i] || i + 1 >= hi || m[1] != t[i + 1]) continue;
      size_t ml = strlen(m);
      if (i + ml > hi || memcmp(t + i, m, ml) != 0) continue;
      if (m[0] == 't' && m[1] == '(' && i > 0 && tl_fg__ident(t[i - 1])) continue;
      return 1;
    }
  }
  return 0;
}

/* Frameworks that write {{ x }} themselves. Their attributes (v-for=,
 * *ngFor) hold the lines around them too, as in an element written over
 * three lines; a call, a library name or a Handlebars block only its own
 * line: prose mentions those in passing, and a template may open a
 * {{#if x}} above a list of its own placeholders (that list stays one
 * kind, item by item). */
static int tl_fg__framework_near(const char *t, uint32_t len, gr_span span) {
  static const char *const attrs[] = {"v-for=", "v-if=", "v-else", "v-show=", "*ngFor=", "*ngIf=",
                                      "ng-repeat=", "ng-if="};
  static const char *const calls[] = {"v-bind", "v-model", "v-on:", "[(ngModel)]", "i18next", "useTranslation",
                                      "<Trans", "$t(", "t(", "{{#", "{{/"};
  size_t na = sizeof attrs / sizeof attrs[0], nc = sizeof calls / sizeof calls[0];
  uint32_t lo = span.start > TL_FG__REACH ? span.start - TL_FG__REACH : 0;
  uint32_t hi = span.end + TL_FG__REACH < len ? span.end + TL_FG__REACH : len;
  uint32_t a = span.start, b = span.end, la = 0, lb = 0; /* la..lb: its own line */
  for (int k = 0; k < 2; k++) {
    if (k) {
      if (a > lo && t[a - 1] == '\n') a--;
      if (a > lo && t[a - 1] == '\r') a--;
      if (b < hi && t[b] == '\r') b++;
      if (b < hi && t[b] == '\n') b++;
    }
    while (a > lo && !tl_fg__eol(t[a - 1])) a--;
    while (b < hi && !tl_fg__eol(t[b])) b++;
    if (!k) la = a, lb = b;
  }
  return tl_fg__holds(t, a, span.start, attrs, na) || tl_fg__holds(t, span.end, b, attrs, na) ||
         tl_fg__holds(t, la, span.start, calls, nc) || tl_fg__holds(t, span.end, lb, calls, nc);
}

/* Words that talk about template syntax. */
static int tl_fg__syntax_word(const char *w, size_t n) {
  static const char *stems[] = {"syntax",     "notation",  "placeholder", "variable", "replac",
                                "substitut",  "interpolat", "mustache",   "handlebars", "brace",
                                "templat"};
  char low[16];
  if (n >= sizeof low) return 0;
  for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)w[i]);
  for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
    size_t k = strlen(stems[i]);
    if (n >= k && memcmp(low, stems[i], k) == 0) return 1;
  }
  return tl_fg__is(low, n, "format") || tl_fg__is(low, n, "formats") || tl_fg__is(low, n, "formatted");
}

/* After a placeholder, only a noun for the syntax itself says the text is
 * about it ("{{NAME}} syntax", "{{x}} placeholders"): "{{tool}} format",
 * "{{owner}} replacement" or "{{Project}} Template" are a leftover's own
 * words. */
static int tl_fg__syntax_noun(const char *w, size_t n) {
  static const char *stems[] = {"syntax", "notation", "placeholder", "variable", "interpolat", "mustache",
                                "handlebars", "brace"};
  char low[16];
  if (n >= sizeof low) return 0;
  for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)w[i]);
  for (size_t i = 0; i < sizeof stems / sizeof stems[0]; i++) {
    size_t k = strlen(stems[i]);
    if (n >= k && memcmp(low, stems[i], k) == 0) return 1;
  }
  return 0;
}

/* Names that stand for "some name", as in "use {{VAR}} in your prompts". */
static int tl_fg__generic(const char *p, size_t n) {
  static const char *names[] = {"VAR", "VARS", "VARIABLE", "VARIABLES", "VARIABLE_NAME", "VAR_NAME",
                                "NAME", "PLACEHOLDER", "PLACEHOLDERS", "PLACEHOLDER_NAME", "KEY",
                                "VALUE", "FIELD", "FOO", "BAR", "X", "var", "variable", "variables",
                                "placeholder", "placeholders", "name", "key", "value", "foo", "x",
                                "...", "\xE2\x80\xA6", "*"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (tl_fg__is(p, n, names[i])) return 1;
  return 0;
}

/* Where the sentence (or table cell) holding span starts and ends. */
static void tl_fg__sentence(const char *t, uint32_t len, gr_span span, uint32_t *lo, uint32_t *hi) {
  uint32_t stop = span.start > TL_FG__REACH ? span.start - TL_FG__REACH : 0, ls = span.start;
  while (ls > stop && !tl_fg__eol(t[ls - 1])) ls--;
  uint32_t k = ls;
  while (k < span.start && (t[k] == ' ' || t[k] == '\t')) k++;
  /* a table row: its line starts with '|' (a line start out of reach: none) */
  int table = (ls == 0 || tl_fg__eol(t[ls - 1])) && k < span.start && t[k] == '|';
  uint32_t a = span.start;
  stop = ls;
  while (a > stop) {
    char c = t[a - 1];
    if (table && c == '|') break;
    if ((c == '.' || c == '!' || c == '?') && a < span.start && tl_fg__blank(t[a]) &&
        !(a >= 3 && t[a - 3] == '.' && tl_fg__alpha(t[a - 2]))) /* "e.g. " goes on */
      break;
    a--;
  }
  uint32_t b = span.end, bstop = span.end + TL_FG__REACH < len ? span.end + TL_FG__REACH : len;
  while (b < bstop && !tl_fg__eol(t[b])) {
    char c = t[b];
    if (table && c == '|') break;
    if ((c == '.' || c == '!' || c == '?') && (b + 1 >= len || tl_fg__blank(t[b + 1])) &&
        !(b >= 2 && t[b - 2] == '.' && tl_fg__alpha(t[b - 1])))
      break;
    b++;
  }
  *lo = a;
  *hi = b;
}

/* A syntax word anywhere in t[lo, hi), outside other {{…}}. */
static int tl_fg__any_syntax_word(const char *t, uint32_t lo, uint32_t hi) {
  for (uint32_t i = lo; i < hi;) {
    if (tl_fg__alpha(t[i]) && (i == lo || !tl_fg__ident(t[i - 1]))) {
      uint32_t s = i;
      while (i < hi && (tl_fg__ident(t[i]) || t[i] == '-')) i++;
      if (tl_fg__syntax_word(t + s, i - s)) return 1;
    } else if (t[i] == '{' && i + 1 < hi && t[i + 1] == '{') {
      while (i + 1 < hi && !(t[i] == '}' && t[i + 1] == '}')) i++;
      i += 2;
    } else {
      i++;
    }
  }
  return 0;
}

/* What may stand between the words of a phrase: "`{{NAME}}` syntax",
 * "syntax to \"{{VAR}}\"", "({{ x }} syntax)". A colon, a comma, a dash or
 * a bar ends the phrase: "**Format:** {{log_format}}" is a label and its
 * value. */
static int tl_fg__gap(char c) {
  return c == ' ' || c == '\t' || c == '*' || c == '_' || c == '`' || c == '"' || c == '\'' || c == '(' ||
         c == ')' || c == '[' || c == ']';
}

static int tl_fg__filler(const char *w, size_t n) {
  static const char *words[] = {"the", "a", "an", "all", "any", "each", "every", "your", "our", "its"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t k = strlen(words[i]), j = 0;
    while (k == n && j < n && tolower((unsigned char)w[j]) == words[i][j]) j++;
    if (k == n && j == n) return 1;
  }
  return 0;
}

/* A syntax word among the two words before span (fillers not counted:
 * "replace all {{X}}", "syntax to {{VAR}}") or the word right after it
 * ("{{NAME}} syntax"), in the same phrase. After it, only the next word:
 * "{{prompt}} is a template for replies" leaves a placeholder behind. */
static int tl_fg__beside_syntax_word(const char *t, uint32_t lo, uint32_t hi, gr_span span) {
  uint32_t i = span.start;
  for (int words = 0; words < 2;) {
    while (i > lo && tl_fg__gap(t[i - 1])) i--;
    if (i == lo || !tl_fg__ident(t[i - 1])) break;
    uint32_t e = i;
    while (i > lo && (tl_fg__ident(t[i - 1]) || t[i - 1] == '-')) i--;
    if (tl_fg__syntax_word(t + i, e - i)) return 1;
    if (!tl_fg__filler(t + i, e - i)) words++;
  }
  i = span.end;
  while (i < hi && tl_fg__gap(t[i])) i++;
  if (i == hi || !tl_fg__ident(t[i])) return 0;
  uint32_t s = i;
  while (i < hi && (tl_fg__ident(t[i]) || t[i] == '-')) i++;
  return tl_fg__syntax_noun(t + s, i - s);
}

/* Prose that talks about placeholder syntax rather than leaving one behind. */
static int tl_fg__prose(const char *t, uint32_t len, gr_span span, const char *p, size_t n) {
  /* A heading names a section: "# {{Project Name}} Template" is a leftover. */
  uint32_t ls = span.start;
  while (ls > 0 && t[ls - 1] != '\n' && t[ls - 1] != '\r') ls--;
  uint32_t f = ls;
  while (f < span.start && f - ls < 3 && t[f] == ' ') f++;
  if (f < len && t[f] == '#') return 0;
  uint32_t lo, hi;
  tl_fg__sentence(t, len, span, &lo, &hi);
  if (tl_fg__beside_syntax_word(t, lo, hi, span)) return 1;
  return tl_fg__generic(p, n) &&
         (tl_fg__any_syntax_word(t, lo, span.start) || tl_fg__any_syntax_word(t, span.end, hi));
}

/* ---- the rule ----------------------------------------------------------- */

tl_foreign tl_foreign_text(const char *text, uint32_t len, gr_span span, gr_span name, unsigned flags) {
  uint32_t s = span.start, e = span.end;
  int typing = (flags & TL_FOREIGN_TYPING) != 0, in_code = (flags & TL_FOREIGN_IN_CODE) != 0;
  if (e > len || s > e || name.start < s || name.end > e || name.start > name.end) return TL_FOREIGN_NO;
  const char *p = text + name.start;
  size_t n = name.end - name.start;
  tl_fg__trim(&p, &n);
  if (n == 0 && !typing) return TL_FOREIGN_HARD;              /* {{}}, {{ }} */
  if (s > 0 && text[s - 1] == '$') return TL_FOREIGN_HARD;     /* ${{ github.x }} */
  if (s > 0 && text[s - 1] == '{') return TL_FOREIGN_HARD;     /* {{{raw}}} */
  if (s + 2 < e && text[s + 2] == '{') return TL_FOREIGN_HARD; /* {{{raw}}}, read from its first brace */
  int brace_after = !typing && e < len && text[e] == '}'; /* {{x}}}: an object's end, or a typo */
  if (s + 2 < e && text[s + 2] == '-') return TL_FOREIGN_HARD; /* {{- x }} */
  if (!typing && e - s >= 5 && text[e - 3] == '-') return TL_FOREIGN_HARD; /* {{ x -}} */
  if (n && p[0] == '.') return TL_FOREIGN_HARD;                /* {{ .Values.x }} */
  if (in_code && s > 0 && tl_fg__ident(text[s - 1]))
    return TL_FOREIGN_HARD; /* Mermaid hexagon Id{{Label}}, identifiers glued to braces */
  if (s > 1 && text[s - 1] == '=' && (tl_fg__ident(text[s - 2]) || text[s - 2] == '-') && tl_fg__object(p, n, 0))
    return TL_FOREIGN_HARD; /* a JSX prop: style={{ opacity: 0 }} */
  if (brace_after || tl_fg__soft_name(p, n)) return TL_FOREIGN_SOFT; /* the template's name is a leftover */
  if (n && !tl_fg__has_blank(p, n) && tl_fg__framework_near(text, len, span)) return TL_FOREIGN_SOFT;
  if (!in_code && n && tl_fg__prose(text, len, span, p, n)) return TL_FOREIGN_SOFT;
  return TL_FOREIGN_NO;
}

/* ---- names -------------------------------------------------------------- */

static int tl_fg__insignificant(char c) { return tl_fg__blank(c) || c == '_' || c == '-'; }

static int tl_fg__same(const char *a, size_t an, const char *b, size_t bn) {
  size_t i = 0, j = 0;
  for (;;) {
    while (i < an && tl_fg__insignificant(a[i])) i++;
    while (j < bn && tl_fg__insignificant(b[j])) j++;
    if (i == an || j == bn) return i == an && j == bn;
    if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[j])) return 0;
    i++, j++;
  }
}

/* The length of a name without its trailing number ("env_name 2" → "env_name "),
 * or n when it has none or is nothing else. */
static size_t tl_fg__unnumbered(const char *a, size_t n) {
  size_t k = n;
  while (k && tl_fg__insignificant(a[k - 1])) k--;
  size_t d = k;
  while (d && isdigit((unsigned char)a[d - 1])) d--;
  if (d == k) return n;
  for (size_t i = 0; i < d; i++)
    if (!tl_fg__insignificant(a[i])) return d;
  return n;
}

int tl_foreign_name_eq(const char *a, size_t an, const char *b, size_t bn) {
  if (tl_fg__same(a, an, b, bn)) return 1;
  size_t au = tl_fg__unnumbered(a, an), bu = tl_fg__unnumbered(b, bn);
  return (au < an && tl_fg__same(a, au, b, bn)) || (bu < bn && tl_fg__same(a, an, b, bu)) ||
         (au < an && bu < bn && tl_fg__same(a, au, b, bu)); /* {{file_4}} for {{file_1}} */
}

char *tl_foreign_name_key(const char *a, size_t n, int unnumbered) {
  if (unnumbered) {
    size_t u = tl_fg__unnumbered(a, n);
    if (u == n) return NULL;
    n = u;
  }
  char *k = gr_malloc(n + 1);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (!tl_fg__insignificant(a[i])) k[m++] = (char)tolower((unsigned char)a[i]);
  k[m] = '\0';
  return k;
}

/* The template's placeholders whose key is `key`, through its sorted name
 * keys (tl_template_name_keys): a binary search, then the run of equals. */
static int tl_fg__has_key(const tl_template *t, const char *key, uint32_t code_ts) {
  const tl_tname_key *keys;
  uint32_t count = tl_template_name_keys(t, &keys), lo = 0, hi = count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (strcmp(keys[mid].key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo; i < count && strcmp(keys[i].key, key) == 0; i++) {
    if (code_ts == TL_NONE) return 1;
    const tl_tplaceholder *p = tl_template_placeholder(t, keys[i].placeholder);
    if ((p->flags & GR_FLAG_IN_CODE) && !(p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) &&
        p->section == code_ts)
      return 1;
  }
  return 0;
}

int tl_foreign_template_has(const tl_template *t, const char *name, size_t n, uint32_t code_ts) {
  if (!t) return 0;
  int has = 0;
  for (int unnumbered = 0; unnumbered < 2 && !has; unnumbered++) {
    char *key = tl_foreign_name_key(name, n, unnumbered);
    if (key) has = tl_fg__has_key(t, key, code_ts);
    gr_free(key);
  }
  return has;
}

tl_ph_kind tl_foreign_classify(const tl_document *d, uint32_t node) {
  const gr_tree *tree = tl_document_tree(d);
  const gr_node *n = gr_tree_node(tree, node);
  if (!n || n->kind != GR_PLACEHOLDER) return TL_PH_FOREIGN;
  const char *text = gr_tree_text(tree);
  int in_code = (n->flags & GR_FLAG_IN_CODE) || gr_tree_ancestor(tree, node, GR_FRONT_MATTER) != GR_NONE;
  tl_foreign k = tl_foreign_text(text, gr_tree_len(tree), n->span, n->name, in_code ? TL_FOREIGN_IN_CODE : 0);
  if (k == TL_FOREIGN_HARD) return TL_PH_FOREIGN;
  const tl_template *t = tl_document_template(d);
  const char *name = text + n->name.start;
  size_t len = n->name.end - n->name.start;
  if (in_code) {
    uint32_t ts = tl_document_tsection_at(d, n->span.start);
    return ts != TL_NONE && tl_foreign_template_has(t, name, len, ts) ? TL_PH_UNFILLED : TL_PH_FOREIGN;
  }
  if (tl_foreign_template_has(t, name, len, TL_NONE)) return TL_PH_UNFILLED;
  if (k == TL_FOREIGN_SOFT) return TL_PH_FOREIGN;
  /* A name the template does not have is not its unfilled placeholder, but
   * it is written as one: a hint (unknown-placeholder), not silence. */
  return t ? TL_PH_UNKNOWN : TL_PH_UNFILLED;
}
