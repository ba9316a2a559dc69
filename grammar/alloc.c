#include "alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const gr_allocator gr__default = {malloc, realloc, free};
static const gr_allocator *gr__alloc = &gr__default;

void gr_alloc_set(const gr_allocator *allocator) {
  gr__alloc = allocator ? allocator : &gr__default;
}

static void gr__oom(size_t size) {
  fprintf(stderr, "tmpl-ls: out of memory allocating %zu bytes\n", size);
  abort();
}

void *gr_malloc(size_t size) {
  void *p = gr__alloc->malloc_fn(size ? size : 1);
  if (!p) gr__oom(size);
  return p;
}

void *gr_calloc(size_t n, size_t size) {
  if (size && n > SIZE_MAX / size) gr__oom(SIZE_MAX);
  void *p = gr_malloc(n * size);
  memset(p, 0, n * size);
  return p;
}

void *gr_realloc(void *ptr, size_t size) {
  void *p = gr__alloc->realloc_fn(ptr, size ? size : 1);
  if (!p) gr__oom(size);
  return p;
}

void gr_free(void *ptr) {
  if (ptr) gr__alloc->free_fn(ptr);
}

char *gr_strndup(const char *s, size_t n) {
  char *p = gr_malloc(n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}
