#include "tests/support/support.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

char *ts_slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = gr_malloc(cap + 1);
  while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = gr_realloc(buf, (cap *= 2) + 1);
  }
  if (f != stdin) fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

void ts_print_diags(FILE *out, const char *name, const char *text, size_t len,
                    const gr_tree *tree) {
  gr_lines *lines = gr_lines_new(text, len);
  for (uint32_t k = 0; k < gr_tree_diag_count(tree); k++) {
    const gr_diag *d = gr_tree_diag(tree, k);
    gr_pos p = gr_lines_pos(lines, text, d->span.start, GR_UNIT_CODEPOINT);
    fprintf(out, "%s:%u:%u: %s: %s\n", name, p.line + 1, p.col + 1, gr_diag_code_name(d->code),
            d->message);
  }
  gr_lines_free(lines);
}

static char *ts__capture(void (*fn)(FILE *, void *), void *arg) {
  char *buf = NULL;
  size_t size = 0;
  FILE *mem = open_memstream(&buf, &size);
  fn(mem, arg);
  fclose(mem);
  char *copy = gr_strndup(buf, size);
  free(buf);
  return copy;
}

typedef struct {
  const char *name, *text;
  size_t len;
} ts__args;

static void ts__diags_fn(FILE *out, void *arg) {
  ts__args *a = arg;
  gr_tree *tree = gr_parse(a->text, a->len, NULL);
  ts_print_diags(out, a->name, a->text, a->len, tree);
  gr_tree_free(tree);
}

static void ts__dump_fn(FILE *out, void *arg) {
  ts__args *a = arg;
  gr_tree *tree = gr_parse(a->text, a->len, NULL);
  gr_tree_dump(tree, out);
  gr_tree_free(tree);
}

char *ts_diags_string(const char *name, const char *text, size_t len) {
  ts__args a = {name, text, len};
  return ts__capture(ts__diags_fn, &a);
}

char *ts_dump_string(const char *text, size_t len) {
  ts__args a = {NULL, text, len};
  return ts__capture(ts__dump_fn, &a);
}
