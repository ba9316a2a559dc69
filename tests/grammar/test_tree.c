/*
 * test_tree.c: navigation (node_at, ancestor, next), names, the invariant
 * checker (which must catch a broken tree), and the parser's limits:
 * deep nesting, huge lines and many elements stay linear and bounded;
 * a copy over another copy of the text is the parse of it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/tree.h"
#include "tests/support/support.h"

static const char seedish[] =
    "# {{Project Name}} Infra\n"               /* 0 */
    "\n"                                       /* 25 */
    "## Environments\n"                        /* 26 */
    "<<REPEAT: environment>>\n"                /* 42 */
    "### {{environment_name}} Environment\n"   /* 66 */
    "- **Purpose:** {{environment_purpose}}\n" /* 103 */
    "<</REPEAT>>\n";                           /* 142 */

static void test_tree_node_at_finds_the_deepest(void **state) {
  (void)state;
  gr_tree *t = gr_parse(seedish, sizeof seedish - 1, NULL);
  const gr_node *n = gr_tree_node(t, gr_tree_node_at(t, 4)); /* inside "Project Name" */
  assert_int_equal(n->kind, GR_PLACEHOLDER);
  assert_int_equal(n->span.start, 2);
  n = gr_tree_node(t, gr_tree_node_at(t, 18)); /* just after "}}": still the placeholder */
  assert_int_equal(n->kind, GR_PLACEHOLDER);
  n = gr_tree_node(t, gr_tree_node_at(t, 20)); /* heading text */
  assert_int_equal(n->kind, GR_SECTION);
  assert_int_equal(n->level, 1);
  uint32_t i = gr_tree_node_at(t, 125); /* environment_purpose */
  n = gr_tree_node(t, i);
  assert_int_equal(n->kind, GR_PLACEHOLDER);
  assert_memory_equal(seedish + n->name.start, "environment_purpose", 19);
  uint32_t sec = gr_tree_ancestor(t, i, GR_SECTION);
  assert_int_equal(gr_tree_node(t, sec)->level, 3);
  uint32_t rep = gr_tree_ancestor(t, i, GR_REPEAT);
  assert_int_equal(gr_tree_node(t, rep)->span.start, 42);
  assert_int_equal(gr_tree_node(t, rep)->span.end, 153);
  assert_int_equal(gr_tree_ancestor(t, i, GR_CONDITION), GR_NONE);
  assert_int_equal(gr_tree_node_at(t, 0) != 0, 1);
  gr_tree_free(t);
}

static void test_tree_next_walks_preorder(void **state) {
  (void)state;
  gr_tree *t = gr_parse(seedish, sizeof seedish - 1, NULL);
  static const gr_kind order[] = {GR_ROOT,   GR_SECTION, GR_PLACEHOLDER, GR_SECTION,
                                  GR_REPEAT, GR_SECTION, GR_PLACEHOLDER, GR_PLACEHOLDER};
  uint32_t i = 0, k = 0;
  for (; i != GR_NONE; i = gr_tree_next(t, i), k++) {
    assert_true(k < sizeof order / sizeof order[0]);
    assert_int_equal(gr_tree_node(t, i)->kind, order[k]);
  }
  assert_int_equal(k, sizeof order / sizeof order[0]);
  assert_int_equal(gr_tree_count(t), k);
  assert_null(gr_tree_node(t, k));
  gr_tree_free(t);
}

static void test_tree_names_are_stable(void **state) {
  (void)state;
  assert_string_equal(gr_kind_name(GR_PLACEHOLDER), "placeholder");
  assert_string_equal(gr_kind_name(GR_EXAMPLE_INLINE), "inline-example");
  assert_string_equal(gr_kind_name(GR_CRITICAL_RULE), "critical-rule");
  assert_string_equal(gr_diag_code_name(GR_DIAG_UNCLOSED_BLOCK), "unclosed-block");
  assert_string_equal(gr_diag_code_name(GR_DIAG_UNTERMINATED_PLACEHOLDER),
                      "unterminated-placeholder");
  assert_int_equal(gr_diag_code_severity(GR_DIAG_EMPTY_PLACEHOLDER), GR_SEV_WARNING);
  assert_int_equal(gr_diag_code_severity(GR_DIAG_STRAY_CLOSER), GR_SEV_ERROR);
}

static void test_tree_check_catches_broken_trees(void **state) {
  (void)state;
  gr_tree *t = gr_parse(seedish, sizeof seedish - 1, NULL);
  assert_int_equal(gr_tree_check(t, NULL), 0);
  gr_node *n = &t->nodes.items[2]; /* the title placeholder */
  uint32_t saved = n->span.end;
  n->span.end = 9999; /* outside its parent */
  assert_int_equal(gr_tree_check(t, NULL), -1);
  n->span.end = saved;
  n->parent = 5;
  assert_int_equal(gr_tree_check(t, NULL), -1);
  gr_tree_free(t);
}

/* ---- limits --------------------------------------------------------------- */

static char *repeat_str(const char *unit, size_t times, size_t *len) {
  size_t u = strlen(unit);
  char *s = gr_malloc(u * times + 1);
  for (size_t i = 0; i < times; i++) memcpy(s + i * u, unit, u);
  s[u * times] = '\0';
  *len = u * times;
  return s;
}

static void test_tree_deep_nesting_is_bounded(void **state) {
  (void)state;
  size_t a, b;
  char *open = repeat_str("^^CONDITION: c^^\n", 10000, &a);
  char *close = repeat_str("^^/CONDITION: c^^\n", 10000, &b);
  char *text = gr_malloc(a + b);
  memcpy(text, open, a);
  memcpy(text + a, close, b);
  gr_tree *t = gr_parse(text, a + b, NULL);
  assert_int_equal(gr_tree_check(t, stderr), 0);
  /* 255 levels kept (the root is the 256th), the rest read as text. */
  uint32_t depth = 0;
  for (uint32_t i = gr_tree_count(t) - 1; i != GR_NONE; i = gr_tree_node(t, i)->parent) depth++;
  assert_int_equal(depth, 256);
  int limit = 0;
  for (uint32_t i = 0; i < gr_tree_diag_count(t); i++)
    limit += gr_tree_diag(t, i)->code == GR_DIAG_LIMIT_EXCEEDED;
  assert_int_equal(limit, 1);
  gr_tree_free(t);
  gr_free(open), gr_free(close), gr_free(text);
}

static void test_tree_huge_line_and_many_openers(void **state) {
  (void)state;
  size_t len;
  /* 16 MiB on one line of unclosed openers of every kind: linear time. */
  char *text = repeat_str("{{ [[LLM: <critical_rule> <!-- `` @{example} ^^CONDITION: x^^ ", 270000, &len);
  gr_tree *t = gr_parse(text, len, NULL);
  assert_int_equal(gr_tree_check(t, stderr), 0);
  assert_true(gr_tree_diag_count(t) > 0);
  gr_tree_free(t);
  gr_free(text);
  /* 10,000 nested placeholders. */
  size_t a, b;
  char *open = repeat_str("{{", 10000, &a);
  char *close = repeat_str("}}", 10000, &b);
  text = gr_malloc(a + b);
  memcpy(text, open, a);
  memcpy(text + a, close, b);
  t = gr_parse(text, a + b, NULL);
  assert_int_equal(gr_tree_check(t, stderr), 0);
  gr_tree_free(t);
  gr_free(open), gr_free(close), gr_free(text);
}

static void test_tree_node_budget(void **state) {
  (void)state;
  size_t len;
  char *text = repeat_str("{{a}}", 1000, &len);
  gr_options opts = {0, 100, GR_MODE_TEMPLATE};
  gr_tree *t = gr_parse(text, len, &opts);
  assert_int_equal(gr_tree_count(t), 100);
  assert_int_equal(gr_tree_diag_count(t), 1);
  assert_int_equal(gr_tree_diag(t, 0)->code, GR_DIAG_LIMIT_EXCEEDED);
  assert_int_equal(gr_tree_check(t, stderr), 0);
  gr_tree_free(t);
  gr_free(text);
}

static void test_tree_null_and_empty_input(void **state) {
  (void)state;
  gr_tree *t = gr_parse(NULL, 5, NULL);
  assert_int_equal(gr_tree_len(t), 0);
  assert_int_equal(gr_tree_count(t), 1);
  assert_int_equal(gr_tree_check(t, NULL), 0);
  assert_int_equal(gr_tree_node_at(t, 0), 0);
  gr_tree_free(t);
}

/* gr_tree_copy over a second copy of the text: exactly gr_parse of that
 * copy (nodes, diagnostics and their messages, mode), standing alone once
 * the original is freed; a length that is not the tree's gives NULL. */
static void copy_is_parse(const char *text, size_t len, gr_mode mode) {
  gr_options o = {0, 0, mode};
  char *other = gr_strndup(text, len);
  gr_tree *t = gr_parse(text, len, &o), *fresh = gr_parse(other, len, &o);
  gr_tree *c = gr_tree_copy(t, other, len);
  assert_null(gr_tree_copy(t, other, len + 1));
  assert_non_null(c);
  gr_tree_free(t);
  assert_ptr_equal(gr_tree_text(c), other);
  assert_int_equal(gr_tree_mode(c), mode);
  assert_int_equal(gr_tree_check(c, stderr), 0);
  char *want = ts_tree_string(fresh), *got = ts_tree_string(c);
  assert_string_equal(got, want);
  for (uint32_t i = 0; i < gr_tree_diag_count(c); i++)
    assert_string_equal(gr_tree_diag(c, i)->message, gr_tree_diag(fresh, i)->message);
  gr_free(want);
  gr_free(got);
  gr_tree_free(c);
  gr_tree_free(fresh);
  gr_free(other);
}

static void test_tree_copy_is_the_parse_of_the_copy(void **state) {
  (void)state;
  static const char broken[] = "# T\n<<REPEAT: a>>\n^^CONDITION: x^^\n{{b}\n<</REPEAT>>\n^^/CONDITION: y^^\n"
                               "```\n{{c}}\n@{example}\n[[LLM: open\n";
  copy_is_parse(broken, sizeof broken - 1, GR_MODE_TEMPLATE);
  copy_is_parse(broken, sizeof broken - 1, GR_MODE_DOCUMENT);
  copy_is_parse(seedish, sizeof seedish - 1, GR_MODE_TEMPLATE);
  copy_is_parse("", 0, GR_MODE_TEMPLATE);
  size_t len;
  char *seed = ts_slurp("../shared/seed/infrastructure-architecture-tmpl.md", &len);
  assert_non_null(seed);
  copy_is_parse(seed, len, GR_MODE_TEMPLATE);
  copy_is_parse(seed, len, GR_MODE_DOCUMENT);
  free(seed);
  gr_tree *t = gr_parse(broken, sizeof broken - 1, NULL);
  assert_true(gr_tree_diag_count(t) >= 2); /* the case holds diagnostics to copy */
  gr_tree_free(t);

  /* What a sync copies is mostly a tree moved by inert edits (gr_tree_shift):
   * its copy is the parse of the edited text too. */
  static const char prose[] = "# T\n\nSome prose here.\n\n## {{name}}\n\n<<REPEAT: r>>\n- {{x}}\n<</REPEAT>>\n{{open\n";
  char edited[sizeof prose + 8];
  size_t at = 10; /* inside "Some prose" */
  memcpy(edited, prose, at);
  memcpy(edited + at, "more ", 5);
  memcpy(edited + at + 5, prose + at, sizeof prose - at);
  size_t elen = sizeof prose - 1 + 5;
  t = gr_parse(prose, sizeof prose - 1, NULL);
  assert_true(gr_edit_inert(t, at, at, "more ", 5));
  assert_int_equal(gr_tree_shift(t, edited, elen, at, at, 5), 0);
  char *other = gr_strndup(edited, elen);
  gr_tree *c = gr_tree_copy(t, other, elen), *fresh = gr_parse(edited, elen, NULL);
  gr_tree_free(t);
  char *want = ts_tree_string(fresh), *got = ts_tree_string(c);
  assert_string_equal(got, want);
  assert_true(gr_tree_diag_count(c) >= 1);
  gr_free(want);
  gr_free(got);
  gr_tree_free(c);
  gr_tree_free(fresh);
  gr_free(other);
}

int main(void) {
  alarm(60); /* a hang is a failure, not a stuck run */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tree_node_at_finds_the_deepest),
      cmocka_unit_test(test_tree_next_walks_preorder),
      cmocka_unit_test(test_tree_names_are_stable),
      cmocka_unit_test(test_tree_check_catches_broken_trees),
      cmocka_unit_test(test_tree_deep_nesting_is_bounded),
      cmocka_unit_test(test_tree_huge_line_and_many_openers),
      cmocka_unit_test(test_tree_node_budget),
      cmocka_unit_test(test_tree_null_and_empty_input),
      cmocka_unit_test(test_tree_copy_is_the_parse_of_the_copy),
  };
  return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
