/*
 * test_wsymbols.c: server/features/wsymbols.c. A file's symbols, one a
 * line:
 *   <kind> "<name>" <line>:<start>-<end> [in "<container>"] head "<head>"
 * (columns in bytes of the head: the line's bytes up to the range's end);
 * for documents (headings, nested; setext; code; empty), Markdown
 * templates (sections, CONDITION and REPEAT names) and YAML templates
 * (titles, ids, repeatable sections not listed twice); then the search:
 * order, cap, total, the empty query, files left out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/wsymbols.h"
#include "server/model/source.h"
#include "tests/support/features_util.h"

static const char *kind_name(uint8_t k) {
  static const char *const names[] = {"section", "condition", "repeat", "id"};
  return k < 4 ? names[k] : "?";
}

static char *render(const ft_wsyms *s) {
  fts_str b = {0};
  for (uint32_t i = 0; i < s->len; i++) {
    const ft_wsym *y = &s->items[i];
    size_t nl, hl;
    const char *name = ft_wsyms_name(s, i, &nl), *head = ft_wsyms_head(s, i, &hl);
    fts_cat(&b, "%s ", kind_name(y->kind));
    fts_cat_quoted(&b, name, nl);
    fts_cat(&b, " %u:%u-%u", y->line, y->start, y->end);
    if (y->container != FT_WSYM_NONE) {
      const char *c = ft_wsyms_name(s, y->container, &nl);
      fts_cat(&b, " in ");
      fts_cat_quoted(&b, c, nl);
    }
    fts_cat(&b, " head ");
    fts_cat_quoted(&b, head, hl);
    fts_cat(&b, "\n");
    assert_int_equal(hl, y->end);
    assert_true(y->start <= y->end);
  }
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

static ft_wsyms *of_document(const char *text) {
  gr_options opts = {0, 0, GR_MODE_DOCUMENT};
  gr_tree *tree = gr_parse(text, strlen(text), &opts);
  ft_wsyms *s = ft_wsyms_document(tree);
  gr_tree_free(tree);
  return s;
}

static ft_wsyms *of_template(const char *path, const char *text) {
  size_t len = strlen(text);
  tl_source_kind kind = tl_source_kind_of(path, 1, text, len);
  tl_template *t = tl_source_template(kind, text, len, false);
  ft_wsyms *s = ft_wsyms_template(t, text, len);
  tl_template_free(t);
  return s;
}

static void test_wsymbols_document(void **state) {
  (void)state;
  ft_wsyms *s = of_document(
      "# Billing  Brief\n\nText.\n\n## Goals\n\n### Q1 \xE2\x80\x94 Launch\n\n```\n# not a heading\n```\n\n"
      "## \n\nSetext\n------\n\n    # indented code\n\n#### Deep\n");
  char *got = render(s);
  fts_expect("document", got,
             "section \"Billing Brief\" 0:2-16 head \"# Billing  Brief\"\n"
             "section \"Goals\" 4:3-8 in \"Billing Brief\" head \"## Goals\"\n"
             "section \"Q1 \xE2\x80\x94 Launch\" 6:4-17 in \"Goals\" head \"### Q1 \xE2\x80\x94 Launch\"\n"
             "section \"Setext\" 14:0-6 in \"Billing Brief\" head \"Setext\"\n"
             "section \"Deep\" 19:5-9 in \"Setext\" head \"#### Deep\"\n");
  gr_free(got);
  /* "Billing Brief" is not written so (two blanks): the name has its own bytes. */
  assert_true(s->items[0].name != s->items[0].head + s->items[0].start);
  assert_true(s->items[1].name == s->items[1].head + s->items[1].start);
  assert_true(ft_wsyms_bytes(s) > 0);
  ft_wsyms_free(s);

  s = of_document("");
  assert_int_equal(s->len, 0);
  ft_wsyms_free(s);
}

static void test_wsymbols_markdown_template(void **state) {
  (void)state;
  ft_wsyms *s =
      of_template("templates/ops-tmpl.md",
                  "# {{Service}} Runbook\n\n## Alerts\n\n<<REPEAT: alert>>\n### {{alert_name}}\n"
                  "<</REPEAT>>\n\n^^CONDITION: uses_kubernetes^^\n## Cluster\n^^/CONDITION: uses_kubernetes^^\n"
                  "\n## Escalation\n\n  ^^CONDITION: has_oncall^^ text ^^/CONDITION^^\n");
  char *got = render(s);
  fts_expect("markdown template", got,
             "section \"{{Service}} Runbook\" 0:2-21 head \"# {{Service}} Runbook\"\n"
             "section \"Alerts\" 2:3-9 in \"{{Service}} Runbook\" head \"## Alerts\"\n"
             "section \"{{alert_name}}\" 5:4-18 in \"Alerts\" head \"### {{alert_name}}\"\n"
             "section \"Cluster\" 9:3-10 in \"{{Service}} Runbook\" head \"## Cluster\"\n"
             "section \"Escalation\" 12:3-13 in \"{{Service}} Runbook\" head \"## Escalation\"\n"
             "condition \"uses_kubernetes\" 8:13-28 in \"Alerts\" head \"^^CONDITION: uses_kubernetes\"\n"
             "condition \"has_oncall\" 14:15-25 in \"Escalation\" head \"  ^^CONDITION: has_oncall\"\n"
             "repeat \"alert\" 4:10-15 in \"Alerts\" head \"<<REPEAT: alert\"\n");
  gr_free(got);
  ft_wsyms_free(s);
}

static void test_wsymbols_yaml_template(void **state) {
  (void)state;
  ft_wsyms *s = of_template("templates/plan-tmpl.yaml",
                            "template:\n"
                            "  id: plan\n"
                            "  output:\n"
                            "    filename: docs/plan.md\n"
                            "    title: \"{{project}} Plan\"\n"
                            "sections:\n"
                            "  - id: goals\n"
                            "    title: Goals\n"
                            "    sections:\n"
                            "      - id: goal-item\n"
                            "        repeatable: true\n"
                            "        template: \"- {{goal}}\"\n"
                            "  - id: risks\n"
                            "    title: Risks\n"
                            "    repeatable: true\n"
                            "    condition: has risks\n");
  char *got = render(s);
  fts_expect("yaml template", got,
             "section \"{{project}} Plan\" 4:11-29 head \"    title: \\\"{{project}} Plan\\\"\"\n"
             "section \"Goals\" 7:11-16 in \"{{project}} Plan\" head \"    title: Goals\"\n"
             "section \"Risks\" 13:11-16 in \"{{project}} Plan\" head \"    title: Risks\"\n"
             "condition \"has risks\" 15:15-24 in \"{{project}} Plan\" head \"    condition: has risks\"\n"
             "id \"goals\" 6:8-13 in \"Goals\" head \"  - id: goals\"\n"
             "id \"goal-item\" 9:12-21 in \"Goals\" head \"      - id: goal-item\"\n"
             "id \"risks\" 12:8-13 in \"Risks\" head \"  - id: risks\"\n");
  gr_free(got);
  ft_wsyms_free(s);
}

static void test_wsymbols_cap_per_file(void **state) {
  (void)state;
  fts_str b = {0};
  for (int i = 0; i < FT_WSYMS_MAX_PER_FILE + 10; i++) fts_cat(&b, "## H%d\n", i);
  ft_wsyms *s = of_document(fts_str_get(&b));
  assert_int_equal(s->len, FT_WSYMS_MAX_PER_FILE);
  ft_wsyms_free(s);
  fts_str_free(&b);
}

/* "<file>:<name>" for each hit. */
static char *hits(const ft_wsyms *const *files, size_t n, const char *query, size_t cap, size_t *total) {
  ft_wsym_hit *h = NULL;
  size_t k = ft_wsyms_search(files, n, query, strlen(query), cap, &h, total);
  fts_str b = {0};
  for (size_t i = 0; i < k; i++) {
    size_t nl;
    const char *name = ft_wsyms_name(files[h[i].file], h[i].sym, &nl);
    fts_cat(&b, "%u:%.*s\n", h[i].file, (int)nl, name);
  }
  gr_free(h);
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

static void test_wsymbols_search(void **state) {
  (void)state;
  const ft_wsyms *files[4];
  ft_wsyms *a = of_document("# Project Goals\n## Goals\n## Subgoals\n## Risks\n");
  ft_wsyms *c = of_document("# Goals\n## Design System\n## needs\n");
  files[0] = a;
  files[1] = NULL; /* left out */
  files[2] = c;
  files[3] = a;
  size_t total = 0;
  char *got = hits(files, 4, "goal", 100, &total);
  /* the same score: the shorter name, then the files' order */
  fts_expect("goal", got, "0:Goals\n2:Goals\n3:Goals\n0:Project Goals\n3:Project Goals\n0:Subgoals\n3:Subgoals\n");
  assert_int_equal(total, 7);
  gr_free(got);
  got = hits(files, 4, "goal", 2, &total);
  fts_expect("goal, capped", got, "0:Goals\n2:Goals\n");
  assert_int_equal(total, 7);
  gr_free(got);
  got = hits(files, 4, "ds", 10, &total);
  fts_expect("ds", got, "2:Design System\n2:needs\n");
  gr_free(got);
  got = hits(files, 4, " ", 5, &total);
  fts_expect("empty query: the files' order", got, "0:Project Goals\n0:Goals\n0:Subgoals\n0:Risks\n2:Goals\n");
  assert_int_equal(total, 11);
  gr_free(got);
  got = hits(files, 4, "zzz", 5, &total);
  fts_expect("nothing", got, "");
  assert_int_equal(total, 0);
  gr_free(got);
  got = hits(files, 4, "goal", 0, &total);
  fts_expect("cap 0", got, "");
  assert_int_equal(total, 7);
  gr_free(got);
  ft_wsyms_free(a);
  ft_wsyms_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_wsymbols_document),      cmocka_unit_test(test_wsymbols_markdown_template),
      cmocka_unit_test(test_wsymbols_yaml_template), cmocka_unit_test(test_wsymbols_cap_per_file),
      cmocka_unit_test(test_wsymbols_search),
  };
  return cmocka_run_group_tests_name("wsymbols", tests, NULL, NULL);
}
