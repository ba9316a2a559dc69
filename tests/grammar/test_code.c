/*
 * test_code.c: what is code, in the two modes of gr_parse. Documents read
 * fences and indented code as CommonMark renders them (GitHub); templates
 * pair DSL blocks by the text, cutting a fence that a block crosses, with a
 * broken-fence warning on the fence. Each case lists every node with the
 * flags that matter here ("code" = GR_FLAG_IN_CODE) and the diagnostics
 * with their related spans; every tree must pass gr_tree_check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"

typedef struct code_case {
  const char *name;
  gr_mode mode;
  const char *input;
  const char *expected;
} code_case;

#define DOC GR_MODE_DOCUMENT
#define TPL GR_MODE_TEMPLATE

static const code_case cases[] = {
    /* A document's code span runs on over the lines of its paragraph
     * (CommonMark turns the line break into a space): the placeholders on
     * its second line are code; the one after it is prose. */
    {"doc_code_span_over_two_lines", DOC,
     "Titles like `Epic\n"
     "{{n}} {{title}}` match, {{real}}\n",
     "root 0-51\n"
     " code-span 12-34 \"Epic\n"
     "{{n}} {{title}}\"\n"
     "  placeholder 18-23 \"n\" code\n"
     "  placeholder 24-33 \"title\" code\n"
     " placeholder 42-50 \"real\"\n"},
    /* A blank line ends the paragraph: no span, the backticks are text. */
    {"doc_code_span_stops_at_blank_line", DOC,
     "a `x\n"
     "\n"
     "{{p}}` b\n",
     "root 0-15\n"
     " placeholder 6-11 \"p\"\n"},
    /* A heading is no paragraph continuation either. */
    {"doc_code_span_stops_at_heading", DOC,
     "a `x\n"
     "# {{p}}`\n",
     "root 0-14\n"
     " section 5-14 \"{{p}}`\"\n"
     "  placeholder 7-12 \"p\"\n"},
    /* The rest of a cut fence reopened inside an instruction and read on
     * by a later fence line ends where the instruction's closer begins: the
     * tree stays nested (fuzz_parse found it past the closer). */
    {"tpl_cut_fence_ends_at_the_closer", TPL,
     "```\n"
     "[[LLM:\n"
     "```]]a",
     "root 0-17\n"
     " fence 0-4 cut\n"
     " instruction 4-16\n"
     "  fence 10-14 cut\n"
     "warning broken-fence 0-3\n"
     "warning malformed-fence 11-17\n"},
    /* A template's code span stays on its line. */
    {"tpl_code_span_on_its_line", TPL,
     "Titles like `Epic\n"
     "{{n}}` x\n",
     "root 0-27\n"
     " placeholder 18-23 \"n\"\n"},
    /* An info-string line inside an open fence is code, not a closer: the
     * bare "```" closes the outer block, so "{{after}}" is prose and the
     * last "```" opens a block that runs to the end. */
    {"doc_info_string_line_inside_fence", DOC,
     "```md\n"
     "```bash\n"
     "echo {{inner}}\n"
     "```\n"
     "{{after}}\n"
     "```\n"
     "tail\n",
     "root 0-52\n"
     " fence 0-32 \"md\"\n"
     "  placeholder 19-28 \"inner\" code\n"
     " placeholder 33-42 \"after\"\n"
     " fence 43-52 unclosed\n"},
    /* A longer closer closes; a shorter one is code. */
    {"doc_longer_closer_closes", DOC,
     "~~~\n"
     "{{a}}\n"
     "~~~~~\n"
     "{{b}}\n",
     "root 0-22\n"
     " fence 0-15\n"
     "  placeholder 4-9 \"a\" code\n"
     " placeholder 16-21 \"b\"\n"},
    {"doc_shorter_closer_is_code", DOC,
     "````\n"
     "```\n"
     "{{a}}\n"
     "````\n"
     "{{b}}\n",
     "root 0-26\n"
     " fence 0-19\n"
     "  placeholder 9-14 \"a\" code\n"
     " placeholder 20-25 \"b\"\n"},
    /* Tildes do not close backticks. */
    {"doc_tilde_does_not_close_backticks", DOC,
     "```\n"
     "~~~\n"
     "{{a}}\n"
     "```\n"
     "{{b}}\n",
     "root 0-24\n"
     " fence 0-17\n"
     "  placeholder 8-13 \"a\" code\n"
     " placeholder 18-23 \"b\"\n"},
    /* A closer indented 4 spaces is code; 3 spaces close. */
    {"doc_closer_indent", DOC,
     "```\n"
     "    ```\n"
     "{{a}}\n"
     "   ```\n"
     "{{b}}\n",
     "root 0-31\n"
     " fence 0-24\n"
     "  placeholder 12-17 \"a\" code\n"
     " placeholder 25-30 \"b\"\n"},
    /* Indented code after a blank line, over a blank line inside it. */
    {"doc_indented_code_after_blank", DOC,
     "Text\n"
     "\n"
     "    {{code}}\n"
     "\n"
     "    more\n"
     "\n"
     "After {{x}}\n",
     "root 0-42\n"
     " fence 6-28 indented\n"
     "  placeholder 10-18 \"code\" code\n"
     " placeholder 36-41 \"x\"\n"},
    /* An indented line cannot interrupt a paragraph. */
    {"doc_indented_paragraph_continuation", DOC,
     "Text\n"
     "    {{cont}}\n",
     "root 0-18\n"
     " placeholder 9-17 \"cont\"\n"},
    /* In a list item, indentation counts from the item's content column:
     * 4 spaces under "- " continue the item, 6 are code. */
    {"doc_list_item_continuation", DOC,
     "- item\n"
     "\n"
     "    {{cont}}\n"
     "\n"
     "      {{code}}\n",
     "root 0-37\n"
     " placeholder 12-20 \"cont\"\n"
     " fence 22-36 indented\n"
     "  placeholder 28-36 \"code\" code\n"},
    /* Indented code may follow a heading directly (a block start); a
     * list item's lazy continuation lines, indented or not, are its text. */
    {"doc_indented_code_at_block_start_and_lazy_lines", DOC,
     "# H\n"
     "    {{c}}\n"
     "- a\n"
     "{{lazy}}\n"
     "    {{more}}\n",
     "root 0-40\n"
     " section 0-40 \"H\"\n"
     "  fence 4-13 indented\n"
     "   placeholder 8-13 \"c\" code\n"
     "  placeholder 18-26 \"lazy\"\n"
     "  placeholder 31-39 \"more\"\n"},
    /* A tab indents as four columns. */
    {"doc_tab_indented_code", DOC,
     "Para\n"
     "\n"
     "\t{{t}}\n",
     "root 0-13\n"
     " fence 6-12 indented\n"
     "  placeholder 7-12 \"t\" code\n"},
    /* An unclosed fence runs to the end; a heading in it is no section. */
    {"doc_unclosed_fence_to_end", DOC,
     "# A\n"
     "```\n"
     "# not a heading\n"
     "{{a}}\n",
     "root 0-30\n"
     " section 0-30 \"A\"\n"
     "  fence 4-30 unclosed\n"
     "   placeholder 24-29 \"a\" code\n"},
    /* An unclosed fence in a list item ends with the item. */
    {"doc_fence_ends_with_its_list_item", DOC,
     "- x\n"
     "  ```\n"
     "  {{a}}\n"
     "after {{b}}\n",
     "root 0-30\n"
     " fence 4-18 unclosed\n"
     "  placeholder 12-17 \"a\" code\n"
     " placeholder 24-29 \"b\"\n"},
    /* ... and in a blockquote with the quote. */
    {"doc_fence_ends_with_its_quote", DOC,
     "> ```\n"
     "> {{a}}\n"
     "{{b}}\n",
     "root 0-20\n"
     " fence 0-14 unclosed\n"
     "  placeholder 8-13 \"a\" code\n"
     " placeholder 14-19 \"b\"\n"},
    /* A fence on a list item's first line. */
    {"doc_fence_on_list_item_line", DOC,
     "- ```bash\n"
     "  ```text\n"
     "  {{a}}\n"
     "  ```\n"
     "{{b}}\n",
     "root 0-40\n"
     " fence 0-33 \"bash\"\n"
     "  placeholder 22-27 \"a\" code\n"
     " placeholder 34-39 \"b\"\n"},
    /* Templates keep the converter-slip repair: "```text" closes. */
    {"tpl_info_string_closer_still_closes", TPL,
     "```\n"
     "x\n"
     "```text\n"
     "{{a}}\n",
     "root 0-20\n"
     " fence 0-13\n"
     " placeholder 14-19 \"a\"\n"
     "warning malformed-fence 6-13\n"},
    /* The "```" after a slip opens no broken fence of its own: CommonMark
     * reads it as the closer of the first block, and malformed-fence has
     * said what is wrong. */
    {"tpl_slip_then_closer_is_not_unclosed", TPL,
     "```\n"
     "x\n"
     "```text\n"
     "{{a}}\n"
     "```\n",
     "root 0-24\n"
     " fence 0-13\n"
     " placeholder 14-19 \"a\"\n"
     " fence 20-24 unclosed\n"
     "warning malformed-fence 6-13\n"},
    /* A four-backtick fence closed by three: the REPEAT balances as text,
     * so no block error; the fence, which never closes, is what is broken. */
    {"tpl_four_closed_by_three", TPL,
     "<<REPEAT: item>>\n"
     "````\n"
     "code {{a}}\n"
     "```\n"
     "<</REPEAT>>\n"
     "```\n",
     "root 0-53\n"
     " repeat 0-48 \"item\"\n"
     "  fence 17-37 unclosed cut\n"
     "   placeholder 27-32 \"a\" code\n"
     " fence 48-53 unclosed cut\n"
     "warning broken-fence 17-21\n"},
    /* A block that opens inside a fence and closes after it: the fence is
     * cut at the opener and goes on inside the block. */
    {"tpl_block_opens_inside_fence", TPL,
     "```\n"
     "<<REPEAT: r>>\n"
     "{{a}}\n"
     "```\n"
     "text\n"
     "<</REPEAT>>\n",
     "root 0-45\n"
     " fence 0-4 cut\n"
     " repeat 4-44 \"r\"\n"
     "  fence 17-27 cut\n"
     "   placeholder 18-23 \"a\" code\n"
     "warning broken-fence 0-3 related 24-27\n"},
    /* An example block and a CONDITION closed inside a "```text" that a
     * "````" fence holds (by the text, not by the fences). */
    {"tpl_example_closed_inside_longer_fence", TPL,
     "@{example: ex}\n"
     "````md\n"
     "```text\n"
     "{{a}}\n"
     "```\n"
     "@{/example}\n"
     "````\n"
     "{{b}}\n",
     "root 0-63\n"
     " example 0-51 \"ex\"\n"
     "  fence 15-40 \"md\" cut\n"
     "   placeholder 30-35 \"a\" code\n"
     " fence 51-56 cut\n"
     " placeholder 57-62 \"b\"\n"
     "warning broken-fence 15-21 related 52-56\n"},
    /* An instruction whose "]]" stands inside a fence that opened in it. */
    {"tpl_instruction_closes_inside_fence", TPL,
     "[[LLM: e.g.\n"
     "```\n"
     "x\n"
     "]]\n"
     "```\n",
     "root 0-25\n"
     " instruction 0-20\n"
     "  fence 12-18 cut\n"
     " fence 20-24 cut\n"
     "warning broken-fence 12-15 related 21-24\n"},
    /* found by fuzz_parse: an instruction's "]]" on the opener line of a
     * fence that opened inside it */
    {"tpl_instruction_closes_on_fence_opener_line", TPL,
     "[[LLM: x\n"
     "```a]]\n"
     "```\n",
     "root 0-20\n"
     " instruction 0-15\n"
     "  fence 9-13 \"a\" cut\n"
     " fence 15-19 cut\n"
     "warning broken-fence 9-13 related 16-19\n"},
    /* A comment is no DSL block: a fence that runs out of it is text, as
     * before, with no broken-fence. */
    {"tpl_fence_out_of_a_comment_is_text", TPL,
     "<!-- e.g.\n"
     "```\n"
     "-->\n"
     "text {{a}}\n"
     "```\n",
     "root 0-33\n"
     " html-comment 0-17\n"
     " placeholder 23-28 \"a\"\n"},
    /* Blocks that cross as text are still an error (the CONDITION's own
     * closer, after the REPEAT ended it, is taken quietly). */
    {"tpl_real_crossing_still_an_error", TPL,
     "<<REPEAT: r>>\n"
     "^^CONDITION: c^^\n"
     "<</REPEAT>>\n"
     "^^/CONDITION: c^^\n",
     "root 0-61\n"
     " repeat 0-42 \"r\"\n"
     "  condition 14-31 \"c\"\n"
     "error mismatched-closer 31-42 related 14-30\n"},
    /* A fence with no DSL around it that never closes. */
    {"tpl_unclosed_fence", TPL,
     "# A\n"
     "```js\n"
     "x\n",
     "root 0-12\n"
     " section 0-12 \"A\"\n"
     "  fence 4-12 \"js\" unclosed\n"
     "warning broken-fence 4-9\n"},
    /* An unclosed instruction says where it was read as ending. */
    {"tpl_unclosed_related_recovery_point", TPL,
     "[[LLM: open\n"
     "# Next\n",
     "root 0-19\n"
     " instruction 0-12 unclosed\n"
     " section 12-19 \"Next\"\n"
     "error unclosed-block 0-6 related 12-12\n"},
};

static void dump(FILE *out, const gr_tree *t) {
  const char *text = gr_tree_text(t);
  for (uint32_t i = 0; i < gr_tree_count(t); i++) {
    const gr_node *n = gr_tree_node(t, i);
    int depth = 0;
    for (uint32_t p = n->parent; p != GR_NONE; p = gr_tree_node(t, p)->parent) depth++;
    fprintf(out, "%*s%s %u-%u", depth, "", gr_kind_name((gr_kind)n->kind), n->span.start,
            n->span.end);
    if (n->kind != GR_INSTRUCTION && n->name.end > n->name.start)
      fprintf(out, " \"%.*s\"", (int)(n->name.end - n->name.start), text + n->name.start);
    if (n->flags & GR_FLAG_IN_CODE) fputs(" code", out);
    if (n->flags & GR_FLAG_INDENTED) fputs(" indented", out);
    if (n->flags & GR_FLAG_UNCLOSED) fputs(" unclosed", out);
    if (n->flags & GR_FLAG_CUT) fputs(" cut", out);
    fputc('\n', out);
  }
  static const char *sev[] = {"?", "error", "warning", "information", "hint"};
  for (uint32_t i = 0; i < gr_tree_diag_count(t); i++) {
    const gr_diag *d = gr_tree_diag(t, i);
    fprintf(out, "%s %s %u-%u", sev[d->severity], gr_diag_code_name(d->code), d->span.start,
            d->span.end);
    if (d->related.start != GR_NONE)
      fprintf(out, " related %u-%u", d->related.start, d->related.end);
    fputc('\n', out);
  }
}

static void test_code_case(void **state) {
  const code_case *c = *state;
  gr_options opts = {0, 0, c->mode};
  gr_tree *t = gr_parse(c->input, strlen(c->input), &opts);
  assert_int_equal(gr_tree_check(t, stderr), 0);
  assert_int_equal(gr_tree_mode(t), c->mode);
  char *got = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&got, &n);
  dump(out, t);
  fclose(out);
  gr_tree_free(t);
  if (strcmp(got, c->expected) != 0) {
    fprintf(stderr, "case %s: expected\n%s\ngot\n%s\n", c->name, c->expected, got);
    free(got);
    fail();
  }
  free(got);
}

int main(void) {
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[N];
  for (size_t i = 0; i < N; i++) {
    struct CMUnitTest t = {cases[i].name, test_code_case, NULL, NULL, (void *)&cases[i]};
    tests[i] = t;
  }
  return _cmocka_run_group_tests("code", tests, N, NULL, NULL);
}
