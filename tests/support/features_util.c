#include "tests/support/features_util.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

#define FTS_CORPUS "../shared/corpus/bmad-method"
#define FTS_YAML_CORPUS "../shared/corpus/bmad-method-yaml"
#define FTS_SEED "../shared/seed/infrastructure-architecture-tmpl.md"

void fts_doc_open(fts_doc *d, const char *text, size_t len, const gr_options *opts) {
  d->text = text;
  d->len = len;
  d->tree = gr_parse(text, len, opts);
  d->lines = gr_lines_new(text, len);
  d->yaml = NULL;
}

void fts_doc_open_str(fts_doc *d, const char *text) { fts_doc_open(d, text, strlen(text), NULL); }

void fts_doc_open_yaml(fts_doc *d, const char *text, size_t len) {
  d->text = text;
  d->len = len;
  d->tree = NULL;
  d->yaml = yt_tmpl_parse(text, len);
  d->lines = gr_lines_new(text, len);
}

void fts_doc_close(fts_doc *d) {
  gr_tree_free(d->tree);
  yt_tmpl_free(d->yaml);
  gr_lines_free(d->lines);
  d->tree = NULL;
  d->yaml = NULL;
  d->lines = NULL;
}

static void fts__reserve(fts_str *b, size_t n) {
  if (b->len + n + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + n + 1) cap *= 2;
  b->s = gr_realloc(b->s, cap);
  b->cap = cap;
}

void fts_cat(fts_str *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  fts__reserve(b, (size_t)n);
  va_start(ap, fmt);
  vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void fts_cat_quoted(fts_str *b, const char *text, size_t n) {
  fts_cat(b, "\"");
  for (size_t i = 0; i < n; i++) {
    char c = text[i];
    if (c == '\n') fts_cat(b, "\\n");
    else if (c == '\r') fts_cat(b, "\\r");
    else if (c == '\t') fts_cat(b, "\\t");
    else if (c == '"' || c == '\\') fts_cat(b, "\\%c", c);
    else fts_cat(b, "%c", c);
  }
  fts_cat(b, "\"");
}

void fts_cat_pos(fts_str *b, const fts_doc *d, uint32_t offset) {
  gr_pos p = gr_lines_pos(d->lines, d->text, offset, GR_UNIT_UTF8);
  fts_cat(b, "%u:%u", p.line, p.col);
}

const char *fts_str_get(const fts_str *b) { return b->s ? b->s : ""; }

void fts_str_free(fts_str *b) {
  gr_free(b->s);
  b->s = NULL;
  b->len = b->cap = 0;
}

void fts__expect(const char *name, const char *got, const char *want, const char *file,
                 int line) {
  if (strcmp(got, want) == 0) return;
  /* stderr, not cmocka's print_error: its buffer cuts long texts short. */
  fprintf(stderr, "case '%s':\n--- want\n%s\n--- got\n%s\n---\n", name, want, got);
  _fail(file, line);
}

static int fts__cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t fts__visit(const char *path, const char *name, int yaml,
                         void (*fn)(const char *, const fts_doc *, void *), void *ud) {
  size_t len;
  char *text = ts_slurp(path, &len);
  if (!text) return 0;
  fts_doc d;
  memset(&d, 0, sizeof d);
  if (yaml) fts_doc_open_yaml(&d, text, len);
  else fts_doc_open(&d, text, len, NULL);
  fn(name, &d, ud);
  fts_doc_close(&d);
  gr_free(text);
  return 1;
}

/* Visit every file of `dir` whose name ends in `suffix`, in name order. */
static size_t fts__each_in(const char *dir_path, const char *suffix, int yaml,
                           void (*fn)(const char *, const fts_doc *, void *), void *ud) {
  size_t n = 0, cap = 0, visited = 0, sl = strlen(suffix);
  char **names = NULL;
  DIR *dir = opendir(dir_path);
  if (dir) {
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      size_t l = strlen(e->d_name);
      if (l < sl + 1 || strcmp(e->d_name + l - sl, suffix) != 0) continue;
      if (n == cap) names = gr_realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(char *));
      names[n++] = gr_strndup(e->d_name, l);
    }
    closedir(dir);
  }
  if (n > 1) qsort(names, n, sizeof(char *), fts__cmp_names);
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(dir_path) + 1 + strlen(names[i]) + 1;
    char *path = gr_malloc(l);
    snprintf(path, l, "%s/%s", dir_path, names[i]);
    visited += fts__visit(path, names[i], yaml, fn, ud);
    gr_free(path);
    gr_free(names[i]);
  }
  gr_free(names);
  return visited;
}

size_t fts_corpus_each(void (*fn)(const char *name, const fts_doc *doc, void *ud), void *ud) {
  size_t visited = fts__each_in(FTS_CORPUS, ".md", 0, fn, ud);
  visited += fts__visit(FTS_SEED, "infrastructure-architecture-tmpl.md", 0, fn, ud);
  return visited;
}

size_t fts_yaml_corpus_each(void (*fn)(const char *name, const fts_doc *doc, void *ud), void *ud) {
  return fts__each_in(FTS_YAML_CORPUS, ".yaml", 1, fn, ud);
}

static const char *const fts__pieces[] = {
    "{{", "}}", "{{name}}", "{{Project Name}}", "[[LLM: ", "]]", "[[", "]", "[",
    "<<REPEAT: env>>", "<</REPEAT>>", "<<REPEAT section=\"s\" count=\"2\">>", "<<REPEAT for each x>>",
    "^^CONDITION: c^^", "^^/CONDITION: c^^", "^^/CONDITION: d^^", "^^/CONDITION^^", "^^",
    "@{example: m}", "@{/example}", "@{example}", "@{example: - inline text}", "@{",
    "<critical_rule>", "</critical_rule>", "<!-- ", " -->", "`", "``", "code",
    "\n# ", "\n## ", "\n### ", "\n```\n", "\n~~~\n", "\n---\n", "\n===\n",
    "\n", "\r\n", "\r", " ", "  ", "\t", "text", "word ", "- item ",
    "\xC3\xA9", "\xF0\x9F\x98\x80", "\xFF", "\xC3", "\xE2\x80", "\xEF\xBB\xBF",
};

void fts_garbage_each(unsigned count, void (*fn)(const char *name, const fts_doc *doc, void *ud),
                      void *ud) {
  uint64_t x = 0x9E3779B97F4A7C15ull;
  size_t np = sizeof fts__pieces / sizeof fts__pieces[0];
  for (unsigned k = 0; k < count; k++) {
    fts_str b = {0};
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    unsigned pieces = (unsigned)(x >> 33) % 400;
    for (unsigned p = 0; p < pieces; p++) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      fts_cat(&b, "%s", fts__pieces[(x >> 33) % np]);
    }
    char name[32];
    snprintf(name, sizeof name, "garbage-%u", k);
    fts_doc d;
    fts_doc_open(&d, fts_str_get(&b), b.len, NULL);
    fn(name, &d, ud);
    fts_doc_close(&d);
    fts_str_free(&b);
  }
}

int fts_utf8_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n;) {
    unsigned c = s[i];
    size_t len;
    uint32_t cp, min;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07, min = 0x10000;
    } else {
      return 0;
    }
    if (i + len > n) return 0;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    i += len;
  }
  return 1;
}

char *fts_nested(const char *open, const char *middle, const char *close, size_t n, size_t *len) {
  size_t ol = strlen(open), ml = strlen(middle), cl = strlen(close);
  char *text = gr_malloc(n * (ol + cl) + ml + 1), *p = text;
  for (size_t i = 0; i < n; i++, p += ol) memcpy(p, open, ol);
  memcpy(p, middle, ml), p += ml;
  for (size_t i = 0; i < n; i++, p += cl) memcpy(p, close, cl);
  *p = '\0';
  *len = (size_t)(p - text);
  return text;
}
