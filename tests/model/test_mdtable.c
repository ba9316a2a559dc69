/*
 * test_mdtable.c: Markdown table lines (server/model/mdtable.c): rows,
 * delimiter rows and header cells as keys.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/model/mdtable.h"

static int row(const char *s) { return tl_mdtable_row(s, 0, (uint32_t)strlen(s)); }
static int delim(const char *s) { return tl_mdtable_delimiter(s, 0, (uint32_t)strlen(s)); }

static void test_mdtable_rows(void **state) {
  (void)state;
  assert_int_equal(row("| a | b |"), 1);
  assert_int_equal(row("   | a"), 1);
  assert_int_equal(row("a | b"), 0); /* no leading pipe: not read as a table */
  assert_int_equal(row(""), 0);
  assert_int_equal(delim("|---|:--:|"), 1);
  assert_int_equal(delim("| --- | --- |"), 1);
  assert_int_equal(delim("---"), 0);  /* a thematic break, not a delimiter row */
  assert_int_equal(delim("|   |"), 0); /* no dash */
  assert_int_equal(delim("|-a-|"), 0);
}

static void expect_header(const char *line, const char *want, uint32_t want_cells) {
  uint32_t cells = 0;
  char *h = tl_mdtable_header(line, 0, (uint32_t)strlen(line), &cells);
  assert_string_equal(h, want);
  assert_int_equal(cells, want_cells);
  gr_free(h);
}

static void test_mdtable_header(void **state) {
  (void)state;
  expect_header("| Category | Technology | Version |", "category\ntechnology\nversion", 3);
  expect_header("|**Tech** Stack|`Ver.`|", "tech stack\nver", 2);
  expect_header("| {{name}} | Role |", "\nrole", 2);        /* a placeholder is no column name */
  expect_header("| a \\| b | c |", "a b\nc", 2);           /* an escaped pipe stays in its cell */
  expect_header("Category | Version", "category\nversion", 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_mdtable_rows),
      cmocka_unit_test(test_mdtable_header),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
