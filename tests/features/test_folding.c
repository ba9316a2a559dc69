/*
 * test_folding.c: server/features/folding.c. Each case is a template and its
 * folding ranges, one a line: "<start>-<end> <kind> <node kind>" (0-based
 * lines, as LSP sends them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/folding.h"
#include "tests/support/features_util.h"

static void render(fts_str *b, const fts_doc *d, const ft_folds *f) {
  for (size_t i = 0; i < f->len; i++) {
    const ft_fold *x = &f->items[i];
    fts_cat(b, "%u-%u %s %s\n", x->start_line, x->end_line, ft_fold_kind_name(x->kind),
            gr_kind_name((gr_kind)gr_tree_node(d->tree, x->node)->kind));
  }
}

typedef struct folding_case {
  const char *name;
  const char *input;
  const char *want;
} folding_case;

static const folding_case cases[] = {
    {"empty file", "", ""},
    {"one line", "# Title", ""},
    {"a section ends on the line before the next heading",
     "# A\ntext\n## B\nb\n\n## C\n# D\n",
     "0-5 region section\n"
     "2-4 region section\n"},
    {"no trailing newline", "# A\nx", "0-1 region section\n"},
    {"every foldable element",
     "## S\n"
     "<<REPEAT: env>>\n"
     "### {{env}}\n"
     "x\n"
     "<</REPEAT>>\n"
     "[[LLM: one line]]\n"
     "[[LLM: two\n"
     "lines]]\n"
     "<!-- a\n"
     "b -->\n"
     "<!-- single -->\n"
     "```js\n"
     "code\n"
     "```\n"
     "@{example: m}\n"
     "t\n"
     "@{/example}\n"
     "<critical_rule>a\n"
     "b</critical_rule>\n"
     "^^CONDITION: c^^\n"
     "^^/CONDITION: c^^\n",
     "0-20 region section\n"
     "1-4 region repeat\n"
     "2-3 region section\n"
     "6-7 comment instruction\n"
     "8-9 comment html-comment\n"
     "11-13 region fence\n"
     "14-16 region example\n"
     "17-18 region critical-rule\n"
     "19-20 region condition\n"},
    {"front matter", "---\ntitle: x\n---\n# A\n", "0-2 region front-matter\n"},
    {"two ranges on one line: the outer one stays",
     "<<REPEAT: r>> ^^CONDITION: c^^\nx\n^^/CONDITION: c^^ <</REPEAT>>\n",
     "0-2 region repeat\n"},
    {"an instruction on the heading line",
     "## T [[LLM: a\nb]]\nrest\n",
     "0-2 region section\n"},
    {"an unclosed instruction ends before the next heading",
     "# A\n[[LLM: never\nclosed\n# B\n",
     "0-2 region section\n"
     "1-2 comment instruction\n"},
    {"an unclosed REPEAT opener is one line", "<<REPEAT: x>>\nbody\n", ""},
    {"an unclosed fence runs to the end", "# A\n```\ncode\n",
     "0-2 region section\n"
     "1-2 region fence\n"},
    {"CRLF", "# A\r\nx\r\n# B\r\ny\r\n", "0-1 region section\n2-3 region section\n"},
    {"lone CR", "# A\rx\r# B\ry", "0-1 region section\n2-3 region section\n"},
    {"BOM", "\xEF\xBB\xBF# A\nx\n", "0-1 region section\n"},
};

static void test_folding_ranges(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    ft_folds *f = ft_folding_new(d.tree, d.lines);
    fts_str b = {0};
    render(&b, &d, f);
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    fts_str_free(&b);
    ft_folding_free(f);
    fts_doc_close(&d);
  }
}

static void test_folding_kind_names(void **state) {
  (void)state;
  assert_string_equal(ft_fold_kind_name(FT_FOLD_REGION), "region");
  assert_string_equal(ft_fold_kind_name(FT_FOLD_COMMENT), "comment");
}

/* Ranges are ordered, one per start line, never single-line, inside the text. */
static void check_folds(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  ft_folds *f = ft_folding_new(d->tree, d->lines);
  uint32_t nlines = gr_lines_count(d->lines);
  for (size_t i = 0; i < f->len; i++) {
    const ft_fold *x = &f->items[i];
    if (!(x->end_line > x->start_line && x->end_line < nlines &&
          (i == 0 || x->start_line > f->items[i - 1].start_line)))
      fail_msg("%s: bad fold %u-%u at %zu", name, x->start_line, x->end_line, i);
  }
  ft_folding_free(f);
}

static void test_folding_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_folds, NULL) > 100);
  fts_garbage_each(300, check_folds, NULL);
}

/* 10,000 nested REPEATs, one line each: 10,000 ranges, outermost first. */
static void test_folding_deep_nesting(void **state) {
  (void)state;
  enum { N = 10000 };
  size_t len;
  char *text = fts_nested("<<REPEAT: r>>\n", "", "<</REPEAT>>\n", N, &len);
  gr_options opts = {N + 10, 0, GR_MODE_TEMPLATE};
  fts_doc d;
  fts_doc_open(&d, text, len, &opts);
  ft_folds *f = ft_folding_new(d.tree, d.lines);
  assert_int_equal(f->len, N);
  for (uint32_t i = 0; i < N; i++) {
    assert_int_equal(f->items[i].start_line, i);
    assert_int_equal(f->items[i].end_line, 2 * N - 1 - i);
  }
  ft_folding_free(f);
  fts_doc_close(&d);
  gr_free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_folding_ranges),
      cmocka_unit_test(test_folding_kind_names),
      cmocka_unit_test(test_folding_corpus_and_garbage_invariants),
      cmocka_unit_test(test_folding_deep_nesting),
  };
  return cmocka_run_group_tests_name("folding", tests, NULL, NULL);
}
