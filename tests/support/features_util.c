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

#define FTS_CORPUS "../shared/corpus/bmad-method"
#define FTS_SEED "../shared/seed/infrastructure-architecture-tmpl.md"

void fts_doc_open(fts_doc *d, const char *text, size_t len, const gr_options *opts) {
  d->text = text;
  d->len = len;
  d->tree = gr_parse(text, len, opts);
  d->lines = gr_lines_new(text, len);
}

void fts_doc_open_str(fts_doc *d, const char *text) { fts_doc_open(d, text, strlen(text), NULL); }

void fts_doc_close(fts_doc *d) {
  gr_tree_free(d->tree);
  gr_lines_free(d->lines);
  d->tree = NULL;
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
  print_error("case '%s':\n--- want\n%s\n--- got\n%s\n---\n", name, want, got);
  _fail(file, line);
}

static int fts__cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t fts__visit(const char *path, const char *name,
                         void (*fn)(const char *, const fts_doc *, void *), void *ud) {
  size_t len;
  char *text = ts_slurp(path, &len);
  if (!text) return 0;
  fts_doc d;
  fts_doc_open(&d, text, len, NULL);
  fn(name, &d, ud);
  fts_doc_close(&d);
  gr_free(text);
  return 1;
}

size_t fts_corpus_each(void (*fn)(const char *name, const fts_doc *doc, void *ud), void *ud) {
  size_t n = 0, cap = 0, visited = 0;
  char **names = NULL;
  DIR *dir = opendir(FTS_CORPUS);
  if (dir) {
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
      size_t l = strlen(e->d_name);
      if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0) continue;
      if (n == cap) names = gr_realloc(names, (cap = cap ? cap * 2 : 64) * sizeof(char *));
      names[n++] = gr_strndup(e->d_name, l);
    }
    closedir(dir);
  }
  if (n > 1) qsort(names, n, sizeof(char *), fts__cmp_names);
  for (size_t i = 0; i < n; i++) {
    size_t l = strlen(FTS_CORPUS) + 1 + strlen(names[i]) + 1;
    char *path = gr_malloc(l);
    snprintf(path, l, "%s/%s", FTS_CORPUS, names[i]);
    visited += fts__visit(path, names[i], fn, ud);
    gr_free(path);
    gr_free(names[i]);
  }
  gr_free(names);
  visited += fts__visit(FTS_SEED, "infrastructure-architecture-tmpl.md", fn, ud);
  return visited;
}
