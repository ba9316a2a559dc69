/*
 * test_fileio.c: server/model/fileio.c, the one file reader, over a
 * temporary folder: a regular file whole and NUL-terminated, the size
 * limit, what is not a regular file (a FIFO with no writer must not block,
 * a device, a folder), links inside and outside the folder, errors.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, symlink, realpath */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/model/fileio.h"

typedef struct fx {
  char root[64];
  char real[PATH_MAX];
  char outside[128];
} fx;

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static char *at(const fx *x, const char *rel) {
  static char buf[4][512];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", x->root, rel);
  return buf[k];
}

static int setup(void **state) {
  fx *x = gr_calloc(1, sizeof *x);
  snprintf(x->root, sizeof x->root, "/tmp/tl-fileio-XXXXXX");
  if (!mkdtemp(x->root) || !realpath(x->root, x->real)) return -1;
  snprintf(x->outside, sizeof x->outside, "%s-outside.md", x->root);
  put(at(x, "a.md"), "# A\n");
  put(x->outside, "# Elsewhere\n");
  mkdir(at(x, "sub"), 0700);
  if (mkfifo(at(x, "fifo.md"), 0600) != 0) return -1;
  if (symlink(x->outside, at(x, "out.md")) != 0) return -1;
  if (symlink("a.md", at(x, "in.md")) != 0) return -1;
  if (symlink("/dev/zero", at(x, "zero.md")) != 0) return -1;
  *state = x;
  return 0;
}

static int teardown(void **state) {
  fx *x = *state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", x->root, x->outside);
  assert_int_equal(system(cmd), 0);
  gr_free(x);
  return 0;
}

static void expect_err(const char *path, const tl_file_opts *o, int want) {
  char *text = (char *)1;
  size_t len = 7;
  assert_int_equal(tl_file_read(path, o, &text, &len), want);
  assert_null(text);
  assert_int_equal(len, 0);
}

static void test_fileio_reads_regular_files(void **state) {
  fx *x = *state;
  char *text;
  size_t len;
  assert_int_equal(tl_file_read(at(x, "a.md"), NULL, &text, &len), 0);
  assert_int_equal(len, 4);
  assert_string_equal(text, "# A\n");
  gr_free(text);
  /* empty: a buffer all the same */
  put(at(x, "empty.md"), "");
  assert_int_equal(tl_file_read(at(x, "empty.md"), NULL, &text, &len), 0);
  assert_int_equal(len, 0);
  assert_string_equal(text, "");
  gr_free(text);
}

static void test_fileio_size_limit(void **state) {
  fx *x = *state;
  tl_file_opts four = {4, NULL}, three = {3, NULL};
  char *text;
  size_t len;
  assert_int_equal(tl_file_read(at(x, "a.md"), &four, &text, &len), 0); /* at the limit: read */
  gr_free(text);
  expect_err(at(x, "a.md"), &three, TL_ETOOBIG);
  /* a sparse file of 2 GB is refused by its size, not read */
  int fd = open(at(x, "big.md"), O_WRONLY | O_CREAT, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)2 << 30), 0);
  close(fd);
  expect_err(at(x, "big.md"), NULL, TL_ETOOBIG);
}

static void test_fileio_refuses_what_is_not_a_file(void **state) {
  fx *x = *state;
  expect_err(at(x, "fifo.md"), NULL, TL_ENOTREG); /* no writer: must not wait */
  expect_err(at(x, "zero.md"), NULL, TL_ENOTREG); /* would never end */
  expect_err(at(x, "sub"), NULL, TL_ENOTREG);
  expect_err(at(x, "missing.md"), NULL, -ENOENT);
  assert_string_equal(tl_file_strerror(TL_ENOTREG), "not a regular file");
  assert_string_equal(tl_file_strerror(TL_ETOOBIG), "over the size limit");
  assert_string_equal(tl_file_strerror(-ENOENT), strerror(ENOENT));
}

static void test_fileio_links_stay_inside(void **state) {
  fx *x = *state;
  tl_file_opts inside = {0, x->real};
  char *text;
  size_t len;
  assert_int_equal(tl_file_read(at(x, "in.md"), &inside, &text, &len), 0);
  assert_string_equal(text, "# A\n");
  gr_free(text);
  expect_err(at(x, "out.md"), &inside, TL_EOUTSIDE);
  assert_string_equal(tl_file_strerror(TL_EOUTSIDE), "a link to a file outside the folder");
  /* without `inside`, a link is a file like another */
  assert_int_equal(tl_file_read(at(x, "out.md"), NULL, &text, &len), 0);
  assert_string_equal(text, "# Elsewhere\n");
  gr_free(text);
  /* the folder test itself */
  assert_true(tl_file_is_inside("/a/b", "/a/b/c.md"));
  assert_true(tl_file_is_inside("/a/b", "/a/b"));
  assert_false(tl_file_is_inside("/a/b", "/a/bc/d.md"));
  assert_false(tl_file_is_inside("/a/b", "/a"));
  assert_true(tl_file_is_inside("/", "/x"));
}

static void test_fileio_reads_a_pipe_descriptor(void **state) {
  (void)state;
  int p[2];
  assert_int_equal(pipe(p), 0);
  assert_int_equal(write(p[1], "# piped\n", 8), 8);
  close(p[1]);
  char *text;
  size_t len;
  assert_int_equal(tl_file_read_fd(p[0], 100, &text, &len), 0);
  assert_string_equal(text, "# piped\n");
  gr_free(text);
  close(p[0]);
  assert_int_equal(pipe(p), 0);
  assert_int_equal(write(p[1], "# piped\n", 8), 8);
  close(p[1]);
  assert_int_equal(tl_file_read_fd(p[0], 7, &text, &len), TL_ETOOBIG);
  assert_null(text);
  close(p[0]);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_fileio_reads_regular_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fileio_size_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fileio_refuses_what_is_not_a_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fileio_links_stay_inside, setup, teardown),
      cmocka_unit_test(test_fileio_reads_a_pipe_descriptor),
  };
  return cmocka_run_group_tests_name("fileio", tests, NULL, NULL);
}
