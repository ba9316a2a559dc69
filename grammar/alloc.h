/*
 * alloc.h: the one allocator every tmpl-ls module uses.
 *
 * Allocation failure is not an error path anywhere in tmpl-ls: the hooks
 * abort on OOM, so callers never check for NULL. Tests may swap the hooks
 * (gr_alloc_set) to count allocations or inject failures; the default is
 * malloc/realloc/free. The hooks are process-wide by nature (like
 * ts_set_allocator), set once before any other call, never mutated after.
 */
#ifndef TMPL_GRAMMAR_ALLOC_H
#define TMPL_GRAMMAR_ALLOC_H

#include <stddef.h>

typedef struct gr_allocator {
  void *(*malloc_fn)(size_t size);
  void *(*realloc_fn)(void *ptr, size_t size);
  void (*free_fn)(void *ptr);
} gr_allocator;

/** Replace the allocator. NULL restores the default. Call before anything else. */
void gr_alloc_set(const gr_allocator *allocator);

/** New block of `size` bytes (never NULL: aborts on OOM). */
void *gr_malloc(size_t size);
/** New zeroed block of `n * size` bytes (never NULL; aborts on overflow or OOM). */
void *gr_calloc(size_t n, size_t size);
/** Resize `ptr` (may be NULL) to `size` bytes (never NULL: aborts on OOM). */
void *gr_realloc(void *ptr, size_t size);
/** Free a block from gr_malloc/gr_calloc/gr_realloc/gr_strndup. NULL is fine. */
void gr_free(void *ptr);
/** New NUL-terminated copy of the first `n` bytes of `s` (caller frees). */
char *gr_strndup(const char *s, size_t n);

/*
 * A growable array of T: `GR_ARRAY(int) a = {0};`, then gr_array_push.
 * Elements are addressed by index; pointers into `items` are invalidated by
 * any push, so long-lived links are indices (as in md4c and tree-sitter).
 */
#define GR_ARRAY(T) \
  struct {          \
    T *items;       \
    size_t len;     \
    size_t cap;     \
  }

#define gr_array_reserve(a, n)                                              \
  do {                                                                      \
    if ((a)->len + (n) > (a)->cap) {                                        \
      size_t gr__cap = (a)->cap ? (a)->cap * 2 : 16;                        \
      while (gr__cap < (a)->len + (n)) gr__cap *= 2;                        \
      (a)->items = gr_realloc((a)->items, gr__cap * sizeof(*(a)->items));   \
      (a)->cap = gr__cap;                                                   \
    }                                                                       \
  } while (0)

#define gr_array_push(a, v)        \
  do {                             \
    gr_array_reserve((a), 1);      \
    (a)->items[(a)->len++] = (v);  \
  } while (0)

#define gr_array_free(a)    \
  do {                      \
    gr_free((a)->items);    \
    (a)->items = NULL;      \
    (a)->len = (a)->cap = 0; \
  } while (0)

#endif
