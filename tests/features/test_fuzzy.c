/*
 * test_fuzzy.c: server/features/fuzzy.c: what matches (a subsequence,
 * ignoring ASCII case and the query's blanks), exact scores for a few
 * placements, and the orders a picker shows: the name's start and word
 * starts first, runs before scattered letters, the name's own case first,
 * the whole name first; bounded work on long names and queries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/features/fuzzy.h"

static int32_t score(const char *query, const char *name) {
  ft_fuzzy f;
  ft_fuzzy_prepare(&f, query, strlen(query));
  return ft_fuzzy_score(&f, name, strlen(name));
}

static void test_fuzzy_matches(void **state) {
  (void)state;
  static const struct {
    const char *query, *name;
    int match;
  } cases[] = {
      {"goal", "Goals", 1},
      {"GOAL", "goals", 1},
      {"gls", "Goals", 1},
      {"goals obj", "Goals and Objectives", 1},
      {"  ", "anything", 1},
      {"", "", 1},
      {"sg", "Goals", 0},     /* out of order */
      {"goalss", "Goals", 0}, /* longer than the name */
      {"x", "", 0},
      {"\xC3\xA9t\xC3\xA9", "R\xC3\xA9sum\xC3\xA9 t\xC3\xA9", 1}, /* non-ASCII bytes compare exactly */
      {"\xC3\x89", "\xC3\xA9", 0},                                /* no case folding outside ASCII */
      {"uses_kub", "uses_kubernetes", 1},
      {"uk", "uses_kubernetes", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int32_t s = score(cases[i].query, cases[i].name);
    if (cases[i].match != (s >= 0)) fail_msg("'%s' in '%s': score %d", cases[i].query, cases[i].name, s);
  }
  ft_fuzzy f;
  ft_fuzzy_prepare(&f, " \t", 2);
  assert_true(ft_fuzzy_empty(&f));
  assert_int_equal(ft_fuzzy_score(&f, "Goals", 5), 0);
}

/* The arithmetic, on small cases: 16 a match, start 8 (doubled for the
 * query's first character), word 7, camel 6, run 5, case 1, gap g: 2 + g,
 * whole name 40. */
static void test_fuzzy_exact_scores(void **state) {
  (void)state;
  assert_int_equal(score("g", "Goals"), 16 + 16);                        /* start, other case */
  assert_int_equal(score("G", "Goals"), 16 + 16 + 1);                    /* start, same case */
  assert_int_equal(score("go", "Goals"), 32 + 16 + 5 + 1);               /* a run */
  assert_int_equal(score("gs", "Goals"), 32 + 16 + 1 - (2 + 3));         /* a gap of 3 */
  assert_int_equal(score("goals", "Goals"), 32 + 4 * (16 + 5 + 1) + 40); /* the whole name */
  assert_int_equal(score("o", "Project Goals"), 16 + 1);                 /* mid-word: the first o */
  assert_int_equal(score("g", "Project Goals"), 16 + 14);                /* a word start, doubled */
  assert_int_equal(score("S", "DesignSystem"), 16 + 12 + 1);             /* camel, doubled, same case */
  assert_int_equal(score("ds", "Design System"), 16 + 16 + 16 + 7 - (2 + 6));
  assert_int_equal(score("ds", "DesignSystem"), 16 + 16 + 16 + 6 - (2 + 5));
}

/* Each list is in the order a picker must show it, best first. */
static void test_fuzzy_orders(void **state) {
  (void)state;
  static const struct {
    const char *query;
    const char *names[4];
  } cases[] = {
      {"goal", {"Goals", "Project Goals", "Subgoals", NULL}},
      {"ds", {"Design System", "needs", NULL, NULL}},
      {"API", {"API", "API Design", "api notes", "rapid"}},
      {"tr", {"trust", "Tracker", "Tech Risks", "Start"}}, /* a run at the start, then word starts */
      {"sc", {"Scope", "noScope", "describe", NULL}},
      {"arch", {"Architecture", "Search Architecture", "Research", NULL}},
      {"uk", {"uses_kubernetes", "Uptime Kuma", "bulk", NULL}},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    int32_t last = INT32_MAX;
    for (size_t k = 0; k < 4 && cases[i].names[k]; k++) {
      int32_t s = score(cases[i].query, cases[i].names[k]);
      if (s < 0 || s >= last) fail_msg("'%s': '%s' scores %d after %d", cases[i].query, cases[i].names[k], s, last);
      last = s;
    }
  }
}

/* Long names and queries are cut, never read past: a match past the
 * first FT_FUZZY_MAX_NAME bytes is no match. */
static void test_fuzzy_bounds(void **state) {
  (void)state;
  char name[1000];
  memset(name, 'a', sizeof name);
  name[sizeof name - 1] = 'z';
  ft_fuzzy f;
  ft_fuzzy_prepare(&f, "az", 2);
  assert_int_equal(ft_fuzzy_score(&f, name, sizeof name), -1);
  name[FT_FUZZY_MAX_NAME - 1] = 'z';
  assert_true(ft_fuzzy_score(&f, name, sizeof name) > 0);
  char query[200];
  memset(query, 'a', sizeof query);
  ft_fuzzy_prepare(&f, query, sizeof query);
  assert_int_equal(f.len, FT_FUZZY_MAX_QUERY);
  assert_true(ft_fuzzy_score(&f, name, sizeof name) > 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fuzzy_matches),
      cmocka_unit_test(test_fuzzy_exact_scores),
      cmocka_unit_test(test_fuzzy_orders),
      cmocka_unit_test(test_fuzzy_bounds),
  };
  return cmocka_run_group_tests_name("fuzzy", tests, NULL, NULL);
}
