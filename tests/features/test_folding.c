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

/* ---- YAML templates ------------------------------------------------------ */

/* "<start>-<end> <kind> <node kind> [<key>]" */
static void render_yaml(fts_str *b, const fts_doc *d, const ft_folds *f) {
  const yt_tree *t = yt_tmpl_tree(d->yaml);
  for (size_t i = 0; i < f->len; i++) {
    const ft_fold *x = &f->items[i];
    const yt_node *n = yt_tree_node(t, x->node);
    fts_cat(b, "%u-%u %s %s", x->start_line, x->end_line, ft_fold_kind_name(x->kind),
            yt_kind_name((yt_kind)n->kind));
    if (n->key_text) fts_cat(b, " %s", n->key_text);
    fts_cat(b, "\n");
  }
}

static const folding_case yaml_cases[] = {
    {"yaml: empty file", "", ""},
    {"yaml: one line", "template: {id: x}", ""},
    {"yaml: collections and scalars over lines, from their key's line",
     "template:\n"               /* 0 */
     "  id: brief-v1\n"          /* 1 */
     "  output:\n"               /* 2 */
     "    filename: a.md\n"      /* 3 */
     "    title: x\n"            /* 4 */
     "sections:\n"               /* 5 */
     "  - id: goals\n"           /* 6 */
     "    title: Goals\n"        /* 7 */
     "    instruction: |\n"      /* 8 */
     "      List the goals.\n"   /* 9 */
     "      One per line.\n"     /* 10 */
     "\n"                        /* 11 */
     "    template: |\n"         /* 12 */
     "      - {{goal}}\n"        /* 13 */
     "    sections:\n"           /* 14 */
     "      - id: sub\n"         /* 15 */
     "        title: Sub\n"      /* 16 */
     "  - id: one\n"             /* 17 */
     "    columns: [A,\n"        /* 18 */
     "      B]\n"                /* 19 */
     "    instruction: Ask\n"    /* 20 */
     "      twice.\n"            /* 21 */
     "    examples:\n"           /* 22 */
     "      - \"one line\"\n",   /* 23 */
     "0-4 region mapping template\n"
     "2-4 region mapping output\n"
     "5-23 region sequence sections\n"
     "6-16 region mapping\n"
     "8-10 comment scalar instruction\n"
     "12-13 region scalar template\n"
     "14-16 region sequence sections\n"
     "15-16 region mapping\n"
     "17-23 region mapping\n"
     "18-19 region sequence columns\n"
     "20-21 comment scalar instruction\n"
     "22-23 region sequence examples\n"},
    {"yaml: a broken title; what follows still folds",
     "template:\n"                 /* 0 */
     "  id: t\n"                   /* 1 */
     "sections:\n"                 /* 2 */
     "  - id: one\n"               /* 3 */
     "    title: Bad: value\n"     /* 4 */
     "    instruction: |\n"        /* 5 */
     "      a\n"                   /* 6 */
     "      b\n"                   /* 7 */
     "  - id: two\n"               /* 8 */
     "    title: Two\n",           /* 9 */
     "0-1 region mapping template\n"
     "2-9 region sequence sections\n"
     "3-7 region mapping\n"
     "5-7 comment scalar instruction\n"
     "8-9 region mapping\n"},
    {"yaml: only a section's instruction is a comment; CRLF",
     "template:\r\n  instruction: |\r\n    a\r\n    b\r\n",
     "0-3 region mapping template\n"
     "1-3 region scalar instruction\n"},
    {"yaml: not YAML at all (a Markdown body)", "# Title\n\nSome text: here\n- a\n", ""},
};

static void test_folding_yaml_ranges(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    ft_folds *f = ft_folding_new_yaml(d.yaml, d.lines);
    fts_str b = {0};
    render_yaml(&b, &d, f);
    fts_expect(yaml_cases[i].name, fts_str_get(&b), yaml_cases[i].want);
    fts_str_free(&b);
    ft_folding_free(f);
    fts_doc_close(&d);
  }
}

static void check_yaml_folds(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  ft_folds *f = ft_folding_new_yaml(d->yaml, d->lines);
  uint32_t nlines = gr_lines_count(d->lines);
  for (size_t i = 0; i < f->len; i++) {
    const ft_fold *x = &f->items[i];
    if (!(x->end_line > x->start_line && x->end_line < nlines && x->node != 0 &&
          (i == 0 || x->start_line > f->items[i - 1].start_line)))
      fail_msg("%s: bad fold %u-%u at %zu", name, x->start_line, x->end_line, i);
  }
  ft_folding_free(f);
}

static void test_folding_yaml_corpus_invariants(void **state) {
  (void)state;
  assert_true(fts_yaml_corpus_each(check_yaml_folds, NULL) > 250);
}

/* 200 nested mappings (the tree stops at 256) and 50,000 list items. */
static void test_folding_yaml_large(void **state) {
  (void)state;
  enum { DEEP = 200, WIDE = 50000 };
  fts_str in = {0};
  for (int i = 0; i < DEEP; i++) fts_cat(&in, "%*sk%d:\n", i, "", i);
  fts_cat(&in, "%*sleaf: 1\n", DEEP, "");
  fts_cat(&in, "sections:\n");
  for (int i = 0; i < WIDE; i++) fts_cat(&in, "  - id: s%d\n    title: S\n", i);
  fts_doc d;
  fts_doc_open_yaml(&d, fts_str_get(&in), in.len);
  ft_folds *f = ft_folding_new_yaml(d.yaml, d.lines);
  assert_int_equal(f->len, DEEP + 1 + WIDE);
  for (uint32_t i = 0; i < DEEP; i++) {
    assert_int_equal(f->items[i].start_line, i);
    assert_int_equal(f->items[i].end_line, DEEP);
  }
  assert_int_equal(f->items[DEEP].start_line, DEEP + 1);
  assert_int_equal(f->items[DEEP].end_line, DEEP + 2 * WIDE + 1);
  assert_int_equal(f->items[f->len - 1].start_line, DEEP + 2 * WIDE);
  ft_folding_free(f);
  fts_doc_close(&d);
  fts_str_free(&in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_folding_ranges),
      cmocka_unit_test(test_folding_kind_names),
      cmocka_unit_test(test_folding_corpus_and_garbage_invariants),
      cmocka_unit_test(test_folding_deep_nesting),
      cmocka_unit_test(test_folding_yaml_ranges),
      cmocka_unit_test(test_folding_yaml_corpus_invariants),
      cmocka_unit_test(test_folding_yaml_large),
  };
  return cmocka_run_group_tests_name("folding", tests, NULL, NULL);
}
