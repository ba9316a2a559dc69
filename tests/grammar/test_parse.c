/*
 * test_parse.c: the parser, case by case. Each case is an input and the
 * exact tree and diagnostics it must give (gr_tree_dump's form: spans are
 * byte offsets), and every tree must pass gr_tree_check.
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
#include "tests/support/support.h"

typedef struct parse_case {
  const char *name;
  const char *input;
  size_t len; /* inputs may hold NUL bytes */
  const char *expected;
} parse_case;

static const parse_case cases[] = {
    {"placeholder",
      "Hello {{name}}!\n",
      16,
      "(root 0-16)\n"
      "  (placeholder 6-14 \"name\")\n"},
    {"placeholder_nested_multiline",
      "{{Recommended:\n"
      "\n"
      "- Weekly: {{What}}\n"
      "- Q: {{Deep}}}}\n",
      51,
      "(root 0-51)\n"
      "  (placeholder 0-50 \"Recommended:\\n\\n- Weekly: {{What}}\\n- Q: {{Deep}}\")\n"
      "    (placeholder 26-34 \"What\")\n"
      "    (placeholder 40-48 \"Deep\")\n"},
    {"placeholder_empty",
      "a {{}} b {{ }}\n",
      15,
      "(root 0-15)\n"
      "  (placeholder 2-6)\n"
      "  (placeholder 9-14)\n"
      "warning empty-placeholder 2-6: Empty placeholder: name what goes here, as in {{project_name}}\n"
      "warning empty-placeholder 9-14: Empty placeholder: name what goes here, as in {{project_name}}\n"},
    {"placeholder_unterminated",
      "# A\n"
      "{{open\n"
      "## B\n"
      "text {{x\n",
      25,
      "(root 0-25)\n"
      "  (section 0-25 h1 \"A\")\n"
      "    (section 11-25 h2 \"B\")\n"
      "error unterminated-placeholder 4-6: '{{' is never closed by '}}' before the next heading\n"
      "error unterminated-placeholder 21-23: '{{' is never closed by '}}' before the end of the file\n"},
    {"instruction_quoted_and_brackets",
      "[[LLM: one\n"
      "[[LLM: quoted]] still\n"
      "]]\n"
      "[[LLM: a]]]\n",
      48,
      "(root 0-48)\n"
      "  (instruction 0-35 \"one\\n[[LLM: quoted]] still\")\n"
      "  (instruction 36-47 \"a]\")\n"},
    {"instruction_unclosed_recovers_at_heading",
      "# Top\n"
      "\n"
      "[[LLM: never closed\n"
      "\n"
      "### Next\n"
      "[[LLM: ok]]\n",
      49,
      "(root 0-49)\n"
      "  (section 0-49 h1 \"Top\")\n"
      "    (instruction 7-28 \"never closed\" unclosed)\n"
      "    (section 28-49 h3 \"Next\")\n"
      "      (instruction 37-48 \"ok\")\n"
      "error unclosed-block 7-13: LLM instruction is never closed: expected ']]' before the next heading\n"},
    {"repeat_forms_and_case",
      "<<REPEAT: a>>\n"
      "<<REPEAT section=\"m\" count=\"3-5\">>\n"
      "x\n"
      "<</REPEAT>>\n"
      "<</REPEAT>>\n"
      "<<REPEAT for each thing>>\n"
      "tail\n"
      "<</REPEAT>>\n"
      "<<repeat 1s>>\n",
      132,
      "(root 0-132)\n"
      "  (repeat 0-74 \"a\")\n"
      "    (repeat 14-62 \"m\" attrs)\n"
      "  (repeat 75-117 \"for each thing\" prose)\n"},
    {"condition_bare_and_mismatched",
      "^^CONDITION: a^^\n"
      "^^/CONDITION^^\n"
      "^^CONDITION: b^^\n"
      "^^/CONDITION: c^^\n"
      "**^^CONDITION^^** mention\n",
      93,
      "(root 0-93)\n"
      "  (condition 0-31 \"a\")\n"
      "  (condition 32-66 \"b\" /\"c\")\n"
      "error mismatched-closer 63-64: CONDITION 'b' is closed as 'c'\n"},
    {"blocks_crossing",
      "<<REPEAT: r>>\n"
      "^^CONDITION: c^^\n"
      "<</REPEAT>>\n"
      "^^/CONDITION: c^^\n"
      "<</REPEAT>>\n",
      73,
      "(root 0-73)\n"
      "  (repeat 0-42 \"r\")\n"
      "    (condition 14-31 \"c\" forced)\n"
      "error mismatched-closer 31-42: <</REPEAT>> closes REPEAT block 'r' while CONDITION block 'c' opened inside it is still open\n"
      "error stray-closer 61-72: <</REPEAT>> closes nothing: no REPEAT block is open here\n"},
    {"example_block_and_inline",
      "@{example: t}\n"
      "- row\n"
      "@{/example}\n"
      "@{example}\n"
      "x\n"
      "  @{/example}\n"
      "- item @{example: - FR1: inline}\n"
      "@{example-1: Standard team}\n"
      "**@{examples}**: mention\n",
      145,
      "(root 0-145)\n"
      "  (example 0-31 \"t\")\n"
      "  (example 32-58)\n"
      "  (inline-example 66-91 \"- FR1: inline\")\n"
      "  (inline-example 92-119 \"Standard team\")\n"
      "  (inline-example 122-133)\n"},
    {"example_glued_closer_and_unclosed",
      "@{example: list}\n"
      "- a\n"
      "- last@{/example}\n"
      "@{example}\n",
      50,
      "(root 0-50)\n"
      "  (example 0-38 \"list\")\n"
      "  (example 39-49 unclosed)\n"
      "error unclosed-block 39-49: example block is never closed: expected @{/example}\n"},
    {"critical_rule",
      "<critical_rule>one</critical_rule>\n"
      "[[LLM: do <critical_rule>two\n"
      "lines</critical_rule> ok]]\n"
      "<critical_rule>never\n"
      "# H\n"
      "</critical_rule>\n",
      133,
      "(root 0-133)\n"
      "  (critical-rule 0-34 \"one\")\n"
      "  (instruction 35-90 \"do <critical_rule>two\\nlines</critical_rule> ok\")\n"
      "    (critical-rule 45-85 \"two\\nlines\")\n"
      "  (critical-rule 91-112 \"never\" unclosed)\n"
      "  (section 112-133 h1 \"H\")\n"
      "error unclosed-block 91-106: <critical_rule> is never closed: expected </critical_rule>\n"
      "error stray-closer 116-132: </critical_rule> closes nothing: no <critical_rule> is open here\n"},
    {"sections_atx_and_setext",
      "# One #\n"
      "## Two\n"
      "text\n"
      "### Three\n"
      "# Four\n"
      "Setext\n"
      "======\n"
      "para\n"
      "line\n"
      "---\n"
      "- item\n"
      "---\n",
      76,
      "(root 0-76)\n"
      "  (section 0-30 h1 \"One\")\n"
      "    (section 8-30 h2 \"Two\")\n"
      "      (section 20-30 h3 \"Three\")\n"
      "  (section 30-37 h1 \"Four\")\n"
      "  (section 37-76 h1 \"Setext\" setext)\n"
      "    (section 51-76 h2 \"para\\nline\" setext)\n"},
    {"setext_underline_looks_back_for_its_paragraph",
      "  # H\n"
      "===\n"
      "===\n"
      "\n"
      "   indented\r\n"
      "text\r\n"
      "-\r\n"
      "\n"
      "    code-ish\n"
      "---\n",
      55,
      "(root 0-55)\n"
      "  (section 0-6 h1 \"H\")\n"
      "  (section 6-55 h1 \"===\" setext)\n"
      "    (section 15-55 h2 \"indented\\x0d\\ntext\" setext)\n"},
    {"thematic_breaks_are_not_paragraph_text",
      "x\n"
      "\n"
      "***\n"
      "more\n"
      "___\n"
      "line\n"
      "---\n",
      25,
      "(root 0-25)\n"
      "  (section 16-25 h2 \"line\" setext)\n"},
    {"fences",
      "```yaml\n"
      "# not a heading\n"
      "{{in_fence}}\n"
      "```\n"
      "~~~~\n"
      "~~~\n"
      "~~~~\n"
      "```text\n",
      63,
      "(root 0-63)\n"
      "  (fence 0-40 \"yaml\")\n"
      "    (placeholder 24-36 \"in_fence\")\n"
      "  (fence 41-54)\n"
      "  (fence 55-63 \"text\" unclosed)\n"
      "warning broken-fence 55-62: Broken code fence: this code block is never closed, so the rest of the file is code; close it with a line of ```\n"},
    {"fence_malformed_closer",
      "```mermaid\n"
      "graph\n"
      "```text\n"
      "# After\n",
      33,
      "(root 0-33)\n"
      "  (fence 0-24 \"mermaid\")\n"
      "  (section 25-33 h1 \"After\")\n"
      "warning malformed-fence 17-24: A closing fence cannot carry an info string: Markdown reads this line as code and the code block above runs on; remove the text after the fence\n"},
    {"code_spans",
      "Use `{{code}}` and `<<REPEAT: x>>` and ``a`b`` and `{{` here\n",
      61,
      "(root 0-61)\n"
      "  (code-span 4-14 \"{{code}}\")\n"
      "    (placeholder 5-13 \"code\")\n"
      "  (code-span 19-34 \"<<REPEAT: x>>\")\n"
      "  (code-span 39-46 \"a`b\")\n"
      "  (code-span 51-55 \"{{\")\n"},
    {"front_matter",
      "---\n"
      "defaultOutput: docs/{{x}}.md\n"
      "---\n"
      "# T\n",
      41,
      "(root 0-41)\n"
      "  (front-matter 0-36)\n"
      "    (placeholder 24-29 \"x\")\n"
      "  (section 37-41 h1 \"T\")\n"},
    {"bom_crlf_nul_invalid_utf8",
      "\xef""\xbb""\xbf""# A\r\n"
      "{{p}}\r\n"
      "## B\r\n"
      "\x00""\xff"" {{q}}\r",
      30,
      "(root 0-30)\n"
      "  (section 3-30 h1 \"A\")\n"
      "    (placeholder 8-13 \"p\")\n"
      "    (section 15-30 h2 \"B\")\n"
      "      (placeholder 24-29 \"q\")\n"},
    {"html_comment",
      "<!-- tmpl-ls: template=x-tmpl.md {{no}} -->\n"
      "<!-- open\n"
      "# H\n",
      58,
      "(root 0-58)\n"
      "  (html-comment 0-43)\n"
      "  (section 54-58 h1 \"H\")\n"},
    {"closer_inside_fence",
      "<<REPEAT: r>>\n"
      "```\n"
      "<</REPEAT>>\n"
      "```\n"
      "after\n",
      40,
      /* a template's blocks pair by the text: the fence is cut, not the block */
      "(root 0-40)\n"
      "  (repeat 0-29 \"r\")\n"
      "    (fence 14-18 cut)\n"
      "  (fence 29-33 cut)\n"
      "warning broken-fence 14-17: Broken code fence: the REPEAT block 'r' at line 1 balances as text but crosses this code block; by CommonMark this code block ends at line 4\n"},
    {"block_holds_same_level_section",
      "## A\n"
      "<<REPEAT: r>>\n"
      "## B\n"
      "in\n"
      "<</REPEAT>>\n"
      "back in A\n"
      "## C\n",
      54,
      "(root 0-54)\n"
      "  (section 0-49 h2 \"A\")\n"
      "    (repeat 5-38 \"r\")\n"
      "      (section 19-27 h2 \"B\")\n"
      "  (section 49-54 h2 \"C\")\n"},
    {"repeat_trailing_note",
      "<<REPEAT for each competitor>>\n"
      "\n"
      "## Next\n"
      "^^/CONDITION: x^^\n",
      58,
      "(root 0-58)\n"
      "  (repeat 0-30 \"for each competitor\" unclosed prose)\n"
      "  (section 32-58 h2 \"Next\")\n"
      "error unclosed-block 0-30: REPEAT block 'for each competitor' is never closed: expected <</REPEAT>>\n"
      "error stray-closer 40-57: ^^/CONDITION: x^^ closes nothing: no CONDITION block is open here\n"},
    {"instruction_mentions",
      "[[LLM: Replace {{Project Name}} and see @{example: ex one}]]\n",
      61,
      "(root 0-61)\n"
      "  (instruction 0-60 \"Replace {{Project Name}} and see @{example: ex one}\")\n"
      "    (placeholder 15-31 \"Project Name\")\n"
      "    (inline-example 40-58 \"ex one\")\n"},
    /* found by fuzz_parse: a block closer inside a heading line */
    {"closer_inside_heading_line",
      "<<REPEAT: r>>\n"
      "## Next <</REPEAT>> tail\n",
      39,
      "(root 0-39)\n"
      "  (repeat 0-33 \"r\")\n"
      "    (section 14-22 h2 \"Next \")\n"},
};

static void test_parse_case(void **state) {
  const parse_case *c = *state;
  gr_tree *tree = gr_parse(c->input, c->len, NULL);
  assert_int_equal(gr_tree_check(tree, stderr), 0);
  gr_tree_free(tree);
  char *got = ts_dump_string(c->input, c->len);
  if (strcmp(got, c->expected) != 0) {
    fprintf(stderr, "case %s: expected\n%s\ngot\n%s\n", c->name, c->expected, got);
    gr_free(got);
    fail();
  }
  gr_free(got);
}

int main(void) {
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[N];
  for (size_t i = 0; i < N; i++) {
    struct CMUnitTest t = {cases[i].name, test_parse_case, NULL, NULL, (void *)&cases[i]};
    tests[i] = t;
  }
  return _cmocka_run_group_tests("parse", tests, N, NULL, NULL);
}
