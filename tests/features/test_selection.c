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
  ft_selection *s = ft_selection_at(d->tree, d->lines, offset);
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_selection_chains),
      cmocka_unit_test(test_selection_corpus_and_garbage_invariants),
      cmocka_unit_test(test_selection_deep_nesting),
  };
  return cmocka_run_group_tests_name("selection", tests, NULL, NULL);
}
