/*
 * test_hover.c: server/features/hover.c. Each case is a template, a byte
 * offset, the other open templates, and the hover rendered as
 * "[<start>-<end>] <markdown>" (positions line:col, 0-based bytes), or
 * "NULL" for no hover.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/hover.h"
#include "tests/support/features_util.h"

#define SELF "<self>" /* an "other" template that is the hovered tree itself */

typedef struct hover_case {
  const char *name;
  const char *input;
  uint32_t offset;
  const char *others[3][2]; /* {name, text}; text SELF for the same tree */
  const char *want;
} hover_case;

static const char doc1[] =
    "# {{name}} Title\n"          /* line 0: 0..16 */
    "\n"                           /* line 1: 17 */
    "Use {{name}} here.\n"         /* line 2: 18..36 */
    "[[LLM: mention {{name}}]]\n"  /* line 3: 37..62 */
    "## Next\n"                    /* line 4: 63..70 */
    "{{other}}\n";                 /* line 5: 71.. */

static const char doc_repeat[] =
    "## Env\n"                     /* 0: 0..6 */
    "<<REPEAT: environment>>\n"    /* 1: 7..30 */
    "### {{environment_name}}\n"   /* 2: 31..55 */
    "<</REPEAT>>\n"                /* 3: 56..67 */
    "<<REPEAT: environment>>\n"    /* 4: 68.. */
    "x\n"
    "<</REPEAT>>\n";

#define PH_INTRO "A value to fill in: the finished document replaces every placeholder with real content."

static const hover_case cases[] = {
    {"a placeholder: uses in this template", doc1, 22, {{0}},
     "[2:4-2:12] **Placeholder** `{{name}}`\n\n" PH_INTRO
     "\n\nUsed 3 times in this template, in 1 section: lines 1, 3, 4."},
    {"just after the closing braces is still the placeholder", doc1, 30, {{0}},
     "[2:4-2:12] **Placeholder** `{{name}}`\n\n" PH_INTRO
     "\n\nUsed 3 times in this template, in 1 section: lines 1, 3, 4."},
    {"a placeholder mentioned in an instruction", doc1, 53, {{0}},
     "[3:15-3:23] **Placeholder** `{{name}}`\n\n" PH_INTRO
     " This one stands inside an LLM instruction: it is mentioned there, not a slot to fill."
     "\n\nUsed 3 times in this template, in 1 section: lines 1, 3, 4."},
    {"a placeholder used once, in the second section", doc1, 72, {{0}},
     "[5:0-5:9] **Placeholder** `{{other}}`\n\n" PH_INTRO
     "\n\nUsed once in this template, in 1 section: line 6."},
    {"plain text has no hover", doc1, 19, {{0}}, "NULL"},
    {"an instruction's text has no hover", doc1, 46, {{0}}, "NULL"},
    {"an empty line has no hover", doc1, 17, {{0}}, "NULL"},
    {"an instruction's opener", doc1, 38, {{0}},
     "[3:0-3:6] **LLM instruction**\n\nGuidance for the agent that writes the document from "
     "this template; it is never shown in the finished document."},
    {"an instruction's closer", doc1, 61, {{0}},
     "[3:23-3:25] **LLM instruction**\n\nGuidance for the agent that writes the document from "
     "this template; it is never shown in the finished document."},
    {"a heading", doc1, 12, {{0}},
     "[0:0-0:16] **Section** (level 1) `{{name}} Title`\n\n"
     "A heading of the template: the document has a section with this heading, its "
     "placeholders filled. It has 1 subsection."},
    {"a REPEAT opener, with the other templates", doc_repeat, 10,
     {{"a-tmpl.md", "<<REPEAT: environment>>\n<</REPEAT>>\n\n<<REPEAT: environment>>\n<</REPEAT>>\n"},
      {"b-tmpl.md", "<<REPEAT: other>>\n<</REPEAT>>\n"},
      {"self.md", SELF}},
     "[1:0-1:23] " "**REPEAT block** `environment`\n\n"
     "What stands between the opener and `<</REPEAT>>` is written once per instance: the "
     "document holds one copy for each, with its placeholders filled. The markers themselves "
     "never reach the document.\n\n"
     "Used in:\n"
     "- this template: 2 uses, lines 2, 5\n"
     "- `a-tmpl.md`: 2 uses, lines 1, 4"},
    {"a REPEAT closer, no other template uses the name", doc_repeat, 60,
     {{"b-tmpl.md", "<<REPEAT: other>>\n<</REPEAT>>\n"}},
     "[3:0-3:11] " "**REPEAT block** `environment`\n\n"
     "What stands between the opener and `<</REPEAT>>` is written once per instance: the "
     "document holds one copy for each, with its placeholders filled. The markers themselves "
     "never reach the document.\n\n"
     "Used in:\n"
     "- this template: 2 uses, lines 2, 5\n\n"
     "No other open template uses this name."},
    {"a REPEAT's body has no hover", doc_repeat, 92, {{0}}, "NULL"},
    {"an unclosed REPEAT", "<<REPEAT section=\"mechanic\" count=\"3-5\">>\n", 3, {{0}},
     "[0:0-0:41] **REPEAT block** `mechanic`\n\n"
     "What stands between the opener and `<</REPEAT>>` is written once per instance: the "
     "document holds one copy for each, with its placeholders filled. The markers themselves "
     "never reach the document.\n\n"
     "Opener: `<<REPEAT section=\"mechanic\" count=\"3-5\">>`\n\n"
     "**Never closed:** expected `<</REPEAT>>`.\n\n"
     "Used in:\n"
     "- this template: 1 use, line 1"},
    {"a CONDITION closer with another name", "^^CONDITION: a^^\nx\n^^/CONDITION: b^^\n", 22,
     {{0}},
     "[2:0-2:17] **CONDITION** `a`\n\n"
     "What stands up to `^^/CONDITION: a^^` is written only when the condition holds for the "
     "project, and left out otherwise. The markers themselves never reach the document.\n\n"
     "**Mismatched closer:** it names `b`; it should repeat `a`.\n\n"
     "Used in:\n"
     "- this template: 1 use, line 1"},
    {"a section inside blocks", "<<REPEAT: r>>\n^^CONDITION: c^^\n### Sub\n^^/CONDITION: c^^\n<</REPEAT>>\n",
     33, {{0}},
     "[2:0-2:7] **Section** (level 3) `Sub`\n\n"
     "A heading of the template: the document has a section with this heading.\n\n"
     "Optional: written only when `c` holds.\n\n"
     "Repeated: written once per instance of REPEAT `r`."},
    {"an example block opener", "@{example: matrix}\n| a |\n@{/example}\n", 2, {{0}},
     "[0:0-0:18] **Example block** `matrix`\n\n"
     "Sample content showing what this part of the document can look like: start from it, but "
     "the example itself never reaches the finished document."},
    {"a placeholder in an example", "@{example}\n{{x}}\n@{/example}\n", 12, {{0}},
     "[1:0-1:5] **Placeholder** `{{x}}`\n\n" PH_INTRO
     " This one stands inside an example: it is part of the sample.\n\n"
     "Used once in this template: line 2."},
    {"a placeholder in a fence", "```\n{{x}}\n```\n", 5, {{0}},
     "[1:0-1:5] **Placeholder** `{{x}}`\n\n" PH_INTRO
     " It stands in code; in a template it is still a placeholder.\n\n"
     "Used once in this template: line 2."},
    {"an inline example", "Try @{example: - NFR1: free tier} now\n", 20, {{0}},
     "[0:4-0:33] **Inline example**\n\nA sample of what goes here, for the writer; it never "
     "reaches the finished document."},
    {"a critical rule's closer", "<critical_rule>x</critical_rule>\n", 20, {{0}},
     "[0:16-0:32] **Critical rule**\n\nA rule the agent must follow while writing the document; "
     "the rule itself never reaches the finished document."},
    {"a backtick in a name gets a longer code fence", "{{a`b}}\n", 1, {{0}},
     "[0:0-0:7] **Placeholder** ``{{a`b}}``\n\n" PH_INTRO "\n\nUsed once in this template: line 1."},
    {"invalid UTF-8 in a name becomes U+FFFD", "{{a\xFF}}\n", 1, {{0}},
     "[0:0-0:6] **Placeholder** `{{a\xEF\xBF\xBD}}`\n\n" PH_INTRO
     "\n\nUsed once in this template: line 1."},
    {"an empty file", "", 0, {{0}}, "NULL"},
    {"an offset past the end is clamped", "{{x}}", 99, {{0}},
     "[0:0-0:5] **Placeholder** `{{x}}`\n\n" PH_INTRO "\n\nUsed once in this template: line 1."},
};

static void run_case(const hover_case *c, int pass_lines) {
  fts_doc d, others[3];
  ft_hover_source src[3];
  size_t n = 0;
  fts_doc_open_str(&d, c->input);
  for (size_t k = 0; k < 3 && c->others[k][0]; k++, n++) {
    src[n].name = c->others[k][0];
    src[n].lines = NULL;
    if (strcmp(c->others[k][1], SELF) == 0) {
      src[n].tree = d.tree;
      others[n].tree = NULL;
      others[n].lines = NULL;
    } else {
      fts_doc_open_str(&others[n], c->others[k][1]);
      src[n].tree = others[n].tree;
      if (k == 0) src[n].lines = others[n].lines; /* the first passes its index, the rest not */
    }
  }
  ft_hover *h = ft_hover_at(d.tree, pass_lines ? d.lines : NULL, c->offset, n ? src : NULL, n);
  fts_str b = {0};
  if (h) {
    fts_cat(&b, "[");
    fts_cat_pos(&b, &d, h->span.start);
    fts_cat(&b, "-");
    fts_cat_pos(&b, &d, h->span.end);
    fts_cat(&b, "] %s", h->markdown);
  } else {
    fts_cat(&b, "NULL");
  }
  fts_expect(c->name, fts_str_get(&b), c->want);
  fts_str_free(&b);
  ft_hover_free(h);
  for (size_t k = 0; k < n; k++)
    if (others[k].tree) fts_doc_close(&others[k]);
  fts_doc_close(&d);
}

/* Every case twice: with the caller's line index, and with none. */
static void test_hover_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    run_case(&cases[i], 1);
    run_case(&cases[i], 0);
  }
}

/* Long lists are cut: 8 line numbers, 10 other templates. */
static void test_hover_long_lists(void **state) {
  (void)state;
  fts_str in = {0}, want = {0};
  for (int i = 0; i < 10; i++) fts_cat(&in, "^^CONDITION: c^^\n^^/CONDITION: c^^\n");
  enum { OTHERS = 12 };
  fts_doc d, o[OTHERS];
  ft_hover_source src[OTHERS];
  char names[OTHERS][16];
  fts_doc_open(&d, fts_str_get(&in), in.len, NULL);
  for (int k = 0; k < OTHERS; k++) {
    fts_doc_open_str(&o[k], "x\n^^CONDITION: c^^\n^^/CONDITION: c^^\n");
    snprintf(names[k], sizeof names[k], "t%02d.md", k);
    src[k].name = names[k];
    src[k].tree = o[k].tree;
    src[k].lines = o[k].lines;
  }
  ft_hover *h = ft_hover_at(d.tree, d.lines, 0, src, OTHERS);
  assert_non_null(h);
  fts_cat(&want, "\n\nUsed in:\n- this template: 10 uses, lines 1, 3, 5, 7, 9, 11, 13, 15, …");
  for (int k = 0; k < 10; k++) fts_cat(&want, "\n- `t%02d.md`: 1 use, line 2", k);
  fts_cat(&want, "\n- and 2 more templates");
  const char *tail = strstr(h->markdown, "\n\nUsed in:");
  assert_non_null(tail);
  fts_expect("long lists", tail, fts_str_get(&want));
  ft_hover_free(h);
  for (int k = 0; k < OTHERS; k++) fts_doc_close(&o[k]);
  fts_doc_close(&d);
  fts_str_free(&in);
  fts_str_free(&want);
}

/* Every node start of every corpus template: a hover holds its offset and
 * says something; placeholders always have one. */
static void check_hovers(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  uint32_t count = gr_tree_count(d->tree);
  if (count > 400) count = 400;
  for (uint32_t i = 1; i < count; i++) {
    const gr_node *n = gr_tree_node(d->tree, i);
    ft_hover *h = ft_hover_at(d->tree, d->lines, n->span.start, NULL, 0);
    if (n->kind == GR_PLACEHOLDER && !h) fail_msg("%s: no hover on placeholder node %u", name, i);
    if (h && !(h->span.start <= n->span.start && n->span.start <= h->span.end && h->markdown[0]))
      fail_msg("%s: hover at node %u does not hold its offset", name, i);
    if (h && !fts_utf8_valid(h->markdown, strlen(h->markdown)))
      fail_msg("%s: hover at node %u is not valid UTF-8", name, i);
    ft_hover_free(h);
  }
}

static void test_hover_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_hovers, NULL) > 100);
  fts_garbage_each(300, check_hovers, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hover_cases),
      cmocka_unit_test(test_hover_long_lists),
      cmocka_unit_test(test_hover_corpus_and_garbage_invariants),
  };
  return cmocka_run_group_tests_name("hover", tests, NULL, NULL);
}
