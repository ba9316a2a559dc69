/*
 * test_selection.c: server/features/selection.c. Each case is a template, a
 * byte offset and its selection chain, innermost first, one span a line:
 * `<start>-<end> "<text>"` (positions line:col, 0-based bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/selection.h"
#include "tests/support/features_util.h"

static void render(fts_str *b, const fts_doc *d, const ft_selection *s) {
  for (size_t i = 0; i < s->len; i++) {
    fts_cat_pos(b, d, s->spans[i].start);
    fts_cat(b, "-");
    fts_cat_pos(b, d, s->spans[i].end);
    fts_cat(b, " ");
    fts_cat_quoted(b, d->text + s->spans[i].start, s->spans[i].end - s->spans[i].start);
    fts_cat(b, "\n");
  }
}

typedef struct selection_case {
  const char *name;
  const char *input;
  uint32_t offset;
  const char *want;
} selection_case;

static const char doc_repeat[] =
    "# Top\n"                                  /* 0: 0..5 */
    "## Env\n"                                 /* 1: 6..12 */
    "<<REPEAT: environment>>\n"                /* 2: 13..36 */
    "- **Purpose:** {{environment_purpose}}\n" /* 3: 37..75 */
    "<</REPEAT>>\n";                           /* 4: 76..87 */

#define REPEAT_SPAN "\"<<REPEAT: environment>>\\n- **Purpose:** {{environment_purpose}}\\n<</REPEAT>>\""
#define ENV_SPAN "\"## Env\\n<<REPEAT: environment>>\\n- **Purpose:** {{environment_purpose}}\\n<</REPEAT>>\\n\""
#define TOP_SPAN "\"# Top\\n## Env\\n<<REPEAT: environment>>\\n- **Purpose:** {{environment_purpose}}\\n<</REPEAT>>\\n\""

static const selection_case cases[] = {
    {"placeholder name, placeholder, line, block, sections", doc_repeat, 55,
     "3:17-3:36 \"environment_purpose\"\n"
     "3:15-3:38 \"{{environment_purpose}}\"\n"
     "3:0-3:38 \"- **Purpose:** {{environment_purpose}}\"\n"
     "2:0-4:11 " REPEAT_SPAN "\n"
     "1:0-5:0 " ENV_SPAN "\n"
     "0:0-5:0 " TOP_SPAN "\n"},
    {"on a block's opener", doc_repeat, 13,
     "2:0-2:23 \"<<REPEAT: environment>>\"\n"
     "2:0-4:11 " REPEAT_SPAN "\n"
     "1:0-5:0 " ENV_SPAN "\n"
     "0:0-5:0 " TOP_SPAN "\n"},
    {"on a block's name", doc_repeat, 25,
     "2:10-2:21 \"environment\"\n"
     "2:0-2:23 \"<<REPEAT: environment>>\"\n"
     "2:0-4:11 " REPEAT_SPAN "\n"
     "1:0-5:0 " ENV_SPAN "\n"
     "0:0-5:0 " TOP_SPAN "\n"},
    {"on a block's closer", doc_repeat, 80,
     "4:0-4:11 \"<</REPEAT>>\"\n"
     "2:0-4:11 " REPEAT_SPAN "\n"
     "1:0-5:0 " ENV_SPAN "\n"
     "0:0-5:0 " TOP_SPAN "\n"},
    {"on a heading's text", doc_repeat, 9,
     "1:3-1:6 \"Env\"\n"
     "1:0-1:6 \"## Env\"\n"
     "1:0-5:0 " ENV_SPAN "\n"
     "0:0-5:0 " TOP_SPAN "\n"},
    {"plain text in an instruction: line, body, instruction",
     "[[LLM: a\n  second line\n]]\n", 14,
     "1:2-1:13 \"second line\"\n"
     "0:7-1:13 \"a\\n  second line\"\n"
     "0:0-2:2 \"[[LLM: a\\n  second line\\n]]\"\n"
     "0:0-3:0 \"[[LLM: a\\n  second line\\n]]\\n\"\n"},
    {"a line is clipped to the instruction's body",
     "Intro [[LLM: x {{p}} y]] tail\n", 17,
     "0:17-0:18 \"p\"\n"
     "0:15-0:20 \"{{p}}\"\n"
     "0:13-0:22 \"x {{p}} y\"\n"
     "0:6-0:24 \"[[LLM: x {{p}} y]]\"\n"
     "0:0-1:0 \"Intro [[LLM: x {{p}} y]] tail\\n\"\n"},
    {"a placeholder in a code span", "see `{{x}}` ok\n", 7,
     "0:7-0:8 \"x\"\n"
     "0:5-0:10 \"{{x}}\"\n"
     "0:4-0:11 \"`{{x}}`\"\n"
     "0:0-0:14 \"see `{{x}}` ok\"\n"
     "0:0-1:0 \"see `{{x}}` ok\\n\"\n"},
    {"a blank line in a section", "# A\n\ntext\n", 4,
     "0:0-3:0 \"# A\\n\\ntext\\n\"\n"},
    {"CRLF", "# A\r\nx {{p}}\r\n", 9,
     "1:4-1:5 \"p\"\n"
     "1:2-1:7 \"{{p}}\"\n"
     "1:0-1:7 \"x {{p}}\"\n"
     "0:0-2:0 \"# A\\r\\nx {{p}}\\r\\n\"\n"},
    {"a cursor in the indentation selects from there", "# A\n  - item  \n", 5,
     "1:1-1:8 \" - item\"\n"
     "0:0-2:0 \"# A\\n  - item  \\n\"\n"},
    {"an empty file", "", 0, "0:0-0:0 \"\"\n"},
    {"an offset past the end is clamped", "ab", 50, "0:0-0:2 \"ab\"\n"},
};

static void test_selection_chains(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    ft_selection *s = ft_selection_at(d.tree, d.lines, cases[i].offset);
    fts_str b = {0};
    render(&b, &d, s);
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    fts_str_free(&b);
    ft_selection_free(s);
    fts_doc_close(&d);
  }
}

static void check_chain(const char *name, const fts_doc *d, uint32_t offset) {
  ft_selection *s = d->yaml ? ft_selection_yaml_at(d->yaml, offset)
                            : ft_selection_at(d->tree, d->lines, offset);
  if (s->len == 0) fail_msg("%s@%u: empty chain", name, offset);
  for (size_t i = 0; i < s->len; i++) {
    gr_span x = s->spans[i];
    if (!(x.start <= offset && offset <= x.end))
      fail_msg("%s@%u: span %zu does not hold the offset", name, offset, i);
    if (i) {
      gr_span p = s->spans[i - 1];
      if (!(x.start <= p.start && p.end <= x.end && x.end - x.start > p.end - p.start))
        fail_msg("%s@%u: span %zu does not strictly grow", name, offset, i);
    }
  }
  gr_span last = s->spans[s->len - 1];
  if (last.start != 0 || last.end != d->len)
    fail_msg("%s@%u: the last span is not the document", name, offset);
  ft_selection_free(s);
}

/* At every node's start and end and every line start of the corpus. */
static void check_selections(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  uint32_t count = gr_tree_count(d->tree);
  for (uint32_t i = 1; i < count; i++) {
    check_chain(name, d, gr_tree_node(d->tree, i)->span.start);
    check_chain(name, d, gr_tree_node(d->tree, i)->span.end);
  }
  for (uint32_t l = 0; l < gr_lines_count(d->lines); l++)
    check_chain(name, d, (uint32_t)gr_lines_start(d->lines, l));
}

static void test_selection_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_selections, NULL) > 100);
  fts_garbage_each(300, check_selections, NULL);
}

/* 10,000 nested REPEATs: the line, one span per block, the document. */
static void test_selection_deep_nesting(void **state) {
  (void)state;
  enum { N = 10000 };
  const char *open = "<<REPEAT: r>>\n", *close = "<</REPEAT>>\n";
  size_t ol = strlen(open), len;
  char *text = fts_nested(open, "x\n", close, N, &len);
  gr_options opts = {N + 10, 0, GR_MODE_TEMPLATE};
  fts_doc d;
  fts_doc_open(&d, text, len, &opts);
  ft_selection *s = ft_selection_at(d.tree, d.lines, N * ol);
  assert_int_equal(s->len, N + 2);
  assert_int_equal(s->spans[0].start, N * ol);
  assert_int_equal(s->spans[0].end, N * ol + 1);
  assert_int_equal(s->spans[N].start, 0);
  assert_int_equal(s->spans[N + 1].end, len);
  ft_selection_free(s);
  fts_doc_close(&d);
  gr_free(text);
}

/* ---- YAML templates ------------------------------------------------------ */

static const char yaml_doc[] =
    "template:\n"                             /* 0: 0..9 */
    "  id: t\n"                               /* 1: 10..17 */
    "  output:\n"                             /* 2: 18..27 */
    "    title: \"{{project_name}} Brief\"\n" /* 3: 28..61 */
    "sections:\n"                             /* 4: 62..71 */
    "  - id: goals\n"                         /* 5: 72..85 */
    "    title: Goals {{n}}\n"                /* 6: 86..108 */
    "    instruction: |\n"                    /* 7: 109..127 */
    "      List the goals.\n"                 /* 8: 128..149 */
    "      One per line.\n"                   /* 9: 150..169 */
    "    sections:\n"                         /* 10: 170..183 */
    "      - id: sub\n"                       /* 11: 184..198 */
    "        title: Sub\n";                   /* 12: 199..217 */

static const char yaml_broken[] =
    "template:\n"
    "  id: t\n"
    "sections:\n"
    "  - id: one\n"
    "    title: Bad: value\n"
    "    instruction: x\n"
    "  - id: two\n"
    "    title: \"Two {{x}}\"\n";

static const selection_case yaml_cases[] = {
    {"yaml: var name, var, value, entry, mappings and entries out", yaml_doc, 45,
     "3:14-3:26 \"project_name\"\n"
     "3:12-3:28 \"{{project_name}}\"\n"
     "3:12-3:34 \"{{project_name}} Brief\"\n"
     "3:11-3:35 \"\\\"{{project_name}} Brief\\\"\"\n"
     "3:4-3:35 \"title: \\\"{{project_name}} Brief\\\"\"\n"
     "2:2-3:35 \"output:\" ...\n"
     "1:2-3:35 \"id: t\" ...\n"
     "0:0-3:35 \"template:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: in a section title: up through the item and the sections list", yaml_doc, 107,
     "6:19-6:20 \"n\"\n"
     "6:17-6:22 \"{{n}}\"\n"
     "6:11-6:22 \"Goals {{n}}\"\n"
     "6:4-6:22 \"title: Goals {{n}}\"\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: a line of a block scalar", yaml_doc, 162,
     "9:6-9:19 \"One per line.\"\n"
     "7:17-9:19 \"|\" ...\n"
     "7:4-9:19 \"instruction: |\" ...\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: on a key", yaml_doc, 94,
     "6:4-6:9 \"title\"\n"
     "6:4-6:22 \"title: Goals {{n}}\"\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: between key and value", yaml_doc, 98,
     "6:4-6:22 \"title: Goals {{n}}\"\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: a nested section", yaml_doc, 218,
     "12:15-12:18 \"Sub\"\n"
     "12:8-12:18 \"title: Sub\"\n"
     "11:8-12:18 \"id: sub\" ...\n"
     "11:6-12:18 \"- id: sub\" ...\n"
     "10:4-12:18 \"sections:\" ...\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: on a list item's dash", yaml_doc, 192,
     "11:6-12:18 \"- id: sub\" ...\n"
     "10:4-12:18 \"sections:\" ...\n"
     "5:4-12:18 \"id: goals\" ...\n"
     "5:2-12:18 \"- id: goals\" ...\n"
     "4:0-12:18 \"sections:\" ...\n"
     "0:0-12:18 \"template:\" ...\n"
     "0:0-13:0 \"template:\" ...\n"},
    {"yaml: broken: the recovered value", yaml_broken, 53,
     "4:11-4:21 \"Bad: value\"\n"
     "4:4-4:21 \"title: Bad: value\"\n"
     "3:4-5:18 \"id: one\" ...\n"
     "3:2-5:18 \"- id: one\" ...\n"
     "3:2-7:22 \"- id: one\" ...\n"
     "2:0-7:22 \"sections:\" ...\n"
     "0:0-7:22 \"template:\" ...\n"
     "0:0-8:0 \"template:\" ...\n"},
    {"yaml: broken: a var after the error", yaml_broken, 111,
     "7:18-7:19 \"x\"\n"
     "7:16-7:21 \"{{x}}\"\n"
     "7:12-7:21 \"Two {{x}}\"\n"
     "7:11-7:22 \"\\\"Two {{x}}\\\"\"\n"
     "7:4-7:22 \"title: \\\"Two {{x}}\\\"\"\n"
     "6:4-7:22 \"id: two\" ...\n"
     "6:2-7:22 \"- id: two\" ...\n"
     "3:2-7:22 \"- id: one\" ...\n"
     "2:0-7:22 \"sections:\" ...\n"
     "0:0-7:22 \"template:\" ...\n"
     "0:0-8:0 \"template:\" ...\n"},
    {"yaml: an empty file", "", 0, "0:0-0:0 \"\"\n"},
    {"yaml: an offset past the end is clamped", "a: b", 50,
     "0:3-0:4 \"b\"\n"
     "0:0-0:4 \"a: b\"\n"},
};

/* As render, but a span over several lines shows its first line then "...". */
static void render_yaml(fts_str *b, const fts_doc *d, const ft_selection *s) {
  for (size_t i = 0; i < s->len; i++) {
    gr_span x = s->spans[i];
    uint32_t e = x.start;
    while (e < x.end && d->text[e] != '\n') e++;
    fts_cat_pos(b, d, x.start);
    fts_cat(b, "-");
    fts_cat_pos(b, d, x.end);
    fts_cat(b, " ");
    fts_cat_quoted(b, d->text + x.start, e - x.start);
    fts_cat(b, "%s\n", e < x.end ? " ..." : "");
  }
}

static void test_selection_yaml_chains(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    ft_selection *s = ft_selection_yaml_at(d.yaml, yaml_cases[i].offset);
    fts_str b = {0};
    render_yaml(&b, &d, s);
    fts_expect(yaml_cases[i].name, fts_str_get(&b), yaml_cases[i].want);
    fts_str_free(&b);
    ft_selection_free(s);
    fts_doc_close(&d);
  }
}

/* At every node's key, start and end, every line start, and every {{var}}
 * (whose name, or the var, comes first) of the YAML corpus. */
static void check_yaml_selections(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  const yt_tree *t = yt_tmpl_tree(d->yaml);
  for (uint32_t i = 0; i < yt_tree_count(t); i++) {
    const yt_node *n = yt_tree_node(t, i);
    check_chain(name, d, n->key.start);
    check_chain(name, d, n->span.start);
    check_chain(name, d, n->span.end);
  }
  for (uint32_t l = 0; l < gr_lines_count(d->lines); l++)
    check_chain(name, d, (uint32_t)gr_lines_start(d->lines, l));
  for (uint32_t i = 0; i < yt_tmpl_var_count(d->yaml); i++) {
    const yt_var *v = yt_tmpl_var(d->yaml, i);
    uint32_t at = v->name.end > v->name.start ? v->name.start + 1 : v->span.start + 1;
    ft_selection *s = ft_selection_yaml_at(d->yaml, at);
    gr_span want = v->name.end > v->name.start ? v->name : v->span;
    if (s->spans[0].start != want.start || s->spans[0].end != want.end)
      fail_msg("%s: var %u: the chain starts at %u-%u, not %u-%u", name, i, s->spans[0].start,
               s->spans[0].end, want.start, want.end);
    ft_selection_free(s);
  }
}

static void test_selection_yaml_corpus_invariants(void **state) {
  (void)state;
  assert_true(fts_yaml_corpus_each(check_yaml_selections, NULL) > 250);
}

/* A 1 MB template of about 12,000 sections and 36,000 vars: 1,024 positions
 * (a request's most) spread over it, the last on the last var's name. The
 * sections and vars are binary-searched per position (this takes well under
 * a second; tests/run.sh gives a test program a time limit). */
static void test_selection_yaml_large(void **state) {
  (void)state;
  fts_str in = {0};
  fts_cat(&in, "template:\n  id: big\nsections:\n");
  while (in.len < 1000000)
    fts_cat(&in, "  - id: s%zu\n    title: \"Section {{n%zu}}\"\n    instruction: Write {{a}} and {{b}}.\n",
            in.len, in.len);
  fts_doc d;
  fts_doc_open_yaml(&d, fts_str_get(&in), in.len);
  uint32_t last = yt_tmpl_var_count(d.yaml) - 1;
  const yt_var *v = yt_tmpl_var(d.yaml, last);
  for (uint32_t k = 0; k < 1024; k++) {
    uint32_t at = k == 1023 ? v->name.start : (uint32_t)(in.len / 1024 * k);
    ft_selection *s = ft_selection_yaml_at(d.yaml, at);
    assert_true(s->len >= 1);
    if (k == 1023) {
      assert_int_equal(s->spans[0].start, v->name.start);
      assert_int_equal(s->spans[0].end, v->name.end);
      assert_int_equal(s->spans[1].start, v->span.start);
    }
    ft_selection_free(s);
  }
  fts_doc_close(&d);
  fts_str_free(&in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_selection_chains),
      cmocka_unit_test(test_selection_corpus_and_garbage_invariants),
      cmocka_unit_test(test_selection_deep_nesting),
      cmocka_unit_test(test_selection_yaml_chains),
      cmocka_unit_test(test_selection_yaml_corpus_invariants),
      cmocka_unit_test(test_selection_yaml_large),
  };
  return cmocka_run_group_tests_name("selection", tests, NULL, NULL);
}
