/*
 * test_edit.c: server/features/edit.c. Edits are applied and the whole
 * resulting text compared; line helpers are checked at every interesting
 * offset, CRLF included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/edit.h"
#include "tests/support/features_util.h"

/* The text after the edits, "NULL" when they do not apply. */
static char *applied(const char *text, const ft_edits *e) {
  size_t n;
  char *out = ft_edit_apply(text, strlen(text), e, &n);
  if (!out) return gr_strndup("NULL", 4);
  assert_int_equal(strlen(out), n);
  return out;
}

typedef struct apply_case {
  const char *name;
  const char *text;
  struct {
    uint32_t start, end;
    const char *with;
  } edits[4];
  size_t n;
  const char *want;
} apply_case;

static const apply_case apply_cases[] = {
    {"one replacement", "hello world", {{6, 11, "there"}}, 1, "hello there"},
    {"edits in any order apply by position", "abcdef", {{4, 5, "E"}, {0, 1, "A"}}, 2, "AbcdEf"},
    {"inserts at one offset keep their order", "ab", {{1, 1, "1"}, {1, 1, "2"}}, 2, "a12b"},
    {"an insert before a deletion at the same offset", "abcd", {{1, 3, ""}, {1, 1, "X"}}, 2, "aXd"},
    {"overlapping edits do not apply", "abcd", {{0, 2, "x"}, {1, 3, "y"}}, 2, "NULL"},
    {"a span past the end does not apply", "ab", {{1, 9, "x"}}, 1, "NULL"},
    {"no edits: the same text", "same", {{0, 0, NULL}}, 0, "same"},
};

static void test_edit_apply(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof apply_cases / sizeof apply_cases[0]; i++) {
    const apply_case *c = &apply_cases[i];
    ft_edits e = {0};
    for (size_t k = 0; k < c->n; k++)
      ft_edit_add(&e, c->edits[k].start, c->edits[k].end, c->edits[k].with, strlen(c->edits[k].with));
    char *got = applied(c->text, &e);
    fts_expect(c->name, got, c->want);
    gr_free(got);
    ft_edit_free(&e);
  }
}

static void test_edit_eol_and_convert(void **state) {
  (void)state;
  fts_expect("lf", ft_edit_eol("a\nb\r\n", 5), "\n");
  fts_expect("crlf", ft_edit_eol("a\r\nb\n", 5), "\r\n");
  fts_expect("cr", ft_edit_eol("a\rb", 3), "\r");
  fts_expect("none", ft_edit_eol("abc", 3), "\n");
  size_t n;
  char *s = ft_edit_convert("a\nb\n", 4, "\r\n", &n);
  fts_expect("convert", s, "a\r\nb\r\n");
  assert_int_equal(n, 6);
  gr_free(s);
}

static void test_edit_lines(void **state) {
  (void)state;
  const char *t = "ab\r\ncd\n\n  \re";
  size_t len = strlen(t);
  /* offset: start, end, next, blank */
  static const uint32_t want[][5] = {
      {0, 0, 2, 4, 0},  {1, 0, 2, 4, 0},  {2, 0, 2, 4, 0},  {3, 0, 2, 4, 0}, /* inside "\r\n": its line */
      {4, 4, 6, 7, 0},  {7, 7, 7, 8, 1},  {8, 8, 10, 11, 1}, {11, 11, 12, 12, 0},
      {12, 11, 12, 12, 0},
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    uint32_t off = want[i][0];
    assert_int_equal(ft_edit_line_start(t, len, off), want[i][1]);
    assert_int_equal(ft_edit_line_end(t, len, off), want[i][2]);
    assert_int_equal(ft_edit_line_next(t, len, off), want[i][3]);
    assert_int_equal(ft_edit_line_blank(t, len, off), want[i][4]);
  }
}

typedef struct span_case {
  const char *name;
  const char *text;
  const char *what; /* the span: the first occurrence of this */
  const char *want;
} span_case;

static const span_case delete_cases[] = {
    {"a line alone goes whole, with a blank line it would leave doubled", "a\n\nX\n\nb\n", "X", "a\n\nb\n"},
    {"a line alone between text lines", "a\nX\nb\n", "X", "a\nb\n"},
    {"at the start of the text, the blank line after it too", "X\n\nb\n", "X", "b\n"},
    {"at the end of the text, the blank line before it too", "a\n\nX\n", "X", "a\n"},
    {"the last line without a line end", "a\nX", "X", "a\n"},
    {"lines alone, several", "a\n\n[[LLM: x\ny]]\n\nb\n", "[[LLM: x\ny]]", "a\n\nb\n"},
    {"inside a line: one of the blanks around it goes", "a X b\n", "X", "a b\n"},
    {"at a line end: the blanks before it go", "a  X\n", "X", "a\n"},
    {"at a line start, text after it stays", "X b\n", "X", " b\n"},
    {"CRLF lines", "a\r\n\r\nX\r\n\r\nb\r\n", "X", "a\r\n\r\nb\r\n"},
};

static void test_edit_delete(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof delete_cases / sizeof delete_cases[0]; i++) {
    const span_case *c = &delete_cases[i];
    const char *at = strstr(c->text, c->what);
    assert_non_null(at);
    gr_span s = {(uint32_t)(at - c->text), (uint32_t)(at - c->text + strlen(c->what))};
    ft_edits e = {0};
    ft_edit_delete(&e, c->text, strlen(c->text), s);
    char *got = applied(c->text, &e);
    fts_expect(c->name, got, c->want);
    gr_free(got);
    ft_edit_free(&e);
  }
}

typedef struct insert_case {
  const char *name;
  const char *text;
  uint32_t at;
  const char *block;
  const char *want;
} insert_case;

static const insert_case insert_cases[] = {
    {"between two text lines: blank lines both sides", "a\nb\n", 2, "X\n", "a\n\nX\n\nb\n"},
    {"after a blank line, before a blank line: none added", "a\n\n\nb\n", 3, "X\n", "a\n\nX\n\nb\n"},
    {"at the start", "a\n", 0, "X\n", "X\n\na\n"},
    {"at the end", "a\n", 2, "X\n", "a\n\nX\n"},
    {"at the end of a text with no final line end", "a", 1, "X\n", "a\n\nX\n"},
    {"into an empty text", "", 0, "X\nY\n", "X\nY\n"},
    {"CRLF: the block in CRLF", "a\r\nb\r\n", 3, "X\nY\n", "a\r\n\r\nX\r\nY\r\n\r\nb\r\n"},
};

static void test_edit_insert_block(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof insert_cases / sizeof insert_cases[0]; i++) {
    const insert_case *c = &insert_cases[i];
    ft_edits e = {0};
    ft_edit_insert_block(&e, c->text, strlen(c->text), c->at, c->block);
    char *got = applied(c->text, &e);
    fts_expect(c->name, got, c->want);
    gr_free(got);
    ft_edit_free(&e);
  }
}

static void test_edit_paragraph_end(void **state) {
  (void)state;
  const char *t = "## H\npara one\npara two\n\n## Next\ntext";
  size_t len = strlen(t);
  assert_int_equal(ft_edit_paragraph_end(t, len, 0), 23);  /* a heading line: the paragraph under it */
  assert_int_equal(ft_edit_paragraph_end(t, len, 7), 23);  /* the blank line */
  assert_int_equal(ft_edit_paragraph_end(t, len, 23), 23); /* on the blank line itself */
  assert_int_equal(ft_edit_paragraph_end(t, len, 33), len); /* to the end */
  const char *u = "a\nb\n### c\n";
  assert_int_equal(ft_edit_paragraph_end(u, strlen(u), 0), 4); /* before the next heading */
}

static void test_edit_slug(void **state) {
  (void)state;
  static const char *cases[][3] = {
      {"{{environment_name}} Environment", "x", "environment"},
      {"Infrastructure as Code (IaC)", "x", "infrastructure_as_code_iac"},
      {"  DevOps/Platform -- Review!  ", "x", "devops_platform_review"},
      {"{{only}}", "fallback", "fallback"},
      {"Ünïcode Ok", "x", "n_code_ok"},
      {"a very long heading that goes on and on past forty bytes", "x", "a_very_long_heading_that_goes_on_and_on"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *s = ft_edit_slug(cases[i][0], strlen(cases[i][0]), cases[i][1]);
    fts_expect(cases[i][0], s, cases[i][2]);
    gr_free(s);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edit_apply),          cmocka_unit_test(test_edit_eol_and_convert),
      cmocka_unit_test(test_edit_lines),          cmocka_unit_test(test_edit_delete),
      cmocka_unit_test(test_edit_insert_block),   cmocka_unit_test(test_edit_paragraph_end),
      cmocka_unit_test(test_edit_slug),
  };
  return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
