/*
 * test_skeleton.c: server/features/skeleton.c. Each case is a template,
 * the span (the whole text, or from the first occurrence of `from` to the
 * end or to the first occurrence of `to` after it), the flags, and the
 * whole skeleton expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/model/skeleton.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"

typedef struct skel_case {
  const char *name;
  const char *text;
  const char *from, *to; /* NULL: the start / the end of the text */
  unsigned flags;
  const char *want;
} skel_case;

#define DROP TL_SKELETON_DROP_CONDITIONS
#define SNIP TL_SKELETON_SNIPPET

static const skel_case cases[] = {
    {"guidance goes: instructions, examples, rules; lines that held only them too", 
     "## A\n\n[[LLM: write\nthis]]\n\n- one @{example: 1}\n- two <critical_rule>keep</critical_rule>\n\n"
     "@{example: t}\n| x |\n@{/example}\n\nText\n",
     NULL, NULL, 0, "## A\n\n- one\n- two\n\nText\n"},
    {"REPEAT markers go, the body stays once", "<<REPEAT: r>>\n### {{name}}\n- {{v}}\n<</REPEAT>>\n", NULL, NULL, 0,
     "### {{name}}\n- {{v}}\n"},
    {"CONDITION markers go, the content stays", "a\n^^CONDITION: c^^\nb\n^^/CONDITION: c^^\nd\n", NULL, NULL, 0,
     "a\nb\nd\n"},
    {"CONDITION blocks inside the span go whole when asked", "a\n\n^^CONDITION: c^^\nb\n^^/CONDITION: c^^\n\nd\n", NULL,
     NULL, DROP, "a\n\nd\n"},
    {"a CONDITION around the span is the span's own: its content stays", "^^CONDITION: c^^\n## K\n- {{k}}\n^^/CONDITION: c^^\n",
     "## K", "^^/CONDITION", DROP, "## K\n- {{k}}\n"},
    {"blank runs become one, none at either end", "\n\n\n## A\n\n\n\nb\n\n\n", NULL, NULL, 0, "## A\n\nb\n"},
    {"a span inside the text", "# T\n## One\n- a\n## Two\n- b\n", "## One", "## Two", 0, "## One\n- a\n"},
    {"CRLF comes out as LF", "## A\r\n\r\n- {{x}}\r\n", NULL, NULL, 0, "## A\n\n- {{x}}\n"},
    {"snippets: one tab stop per name, repeats mirrored, the rest escaped",
     "## {{env}} costs $5 {x}\n- {{env}}: {{owner}} \\ done\n", NULL, NULL, SNIP,
     "## ${1:{{env\\}\\}} costs \\$5 {x\\}\n- ${1:{{env\\}\\}}: ${2:{{owner\\}\\}} \\\\ done\n"},
    {"nothing left", "[[LLM: only guidance]]\n@{example: x}\n", NULL, NULL, 0, ""},
    {"snippets: GitHub Actions' ${{ secrets.TOKEN }} is written literally, no tab stop in it",
     "## CI/CD Pipeline\n\n- Tool: {{ci_tool}}\n\n```yaml\nenv:\n  TOKEN: ${{ secrets.TOKEN }}\n  TAG: {{tag}}\n```\n",
     NULL, NULL, SNIP,
     "## CI/CD Pipeline\n\n- Tool: ${1:{{ci_tool\\}\\}}\n\n```yaml\nenv:\n  TOKEN: \\${{ secrets.TOKEN \\}\\}\n"
     "  TAG: ${2:{{tag\\}\\}}\n```\n"},
    {"plain text: ${{ secrets.TOKEN }} as it stands", "- run: deploy ${{ secrets.TOKEN }}\n", NULL, NULL, 0,
     "- run: deploy ${{ secrets.TOKEN }}\n"},
};

/* A template section's skeleton (tl_skeleton_section_new): at another
 * level, without the template's footer, without a sibling that a block
 * opened inside its span holds. */
static const char sect_tmpl[] =
    "# {{Project}} Plan\n"
    "\n"
    "## Network\n"
    "\n"
    "### Firewall\n"
    "\n"
    "- {{rules}}\n"
    "\n"
    "<<REPEAT: zone>>\n"
    "### Zone {{n}}\n"
    "\n"
    "#### Zone {{n}} Routing\n"
    "<</REPEAT>>\n"
    "\n"
    "## Changes\n"
    "\n"
    "[[LLM: Final review.]]\n"
    "- {{change}} `## not a heading`\n"
    "\n"
    "---\n"
    "\n"
    "*Document Version: 1.0*\n";

static void test_skeleton_section(void **state) {
  (void)state;
  fts_doc d;
  fts_doc_open_str(&d, sect_tmpl);
  tl_template *t = tl_template_new(d.tree);
  assert_int_equal(tl_template_section_count(t), 6);
  static const struct {
    uint32_t si;
    int level;
    const char *want;
  } sects[] = {
      {2, 0, "### Firewall\n\n- {{rules}}\n"},
      {3, 2, "## Zone {{n}}\n\n### Zone {{n}} Routing\n"},
      {1, 3, "### Network\n\n#### Firewall\n\n- {{rules}}\n\n#### Zone {{n}}\n\n##### Zone {{n}} Routing\n"},
      {5, 0, "## Changes\n\n- {{change}} `## not a heading`\n"},
      {5, 6, "###### Changes\n\n- {{change}} `## not a heading`\n"},
  };
  for (size_t i = 0; i < sizeof sects / sizeof sects[0]; i++) {
    size_t n;
    char *got = tl_skeleton_section_new(d.tree, t, sects[i].si, DROP, sects[i].level, &n);
    char name[32];
    snprintf(name, sizeof name, "section %u at %d", sects[i].si, sects[i].level);
    fts_expect(name, got, sects[i].want);
    gr_free(got);
  }
  size_t n;
  char *none = tl_skeleton_section_new(d.tree, t, 99, 0, 0, &n);
  assert_string_equal(none, "");
  assert_int_equal(n, 0);
  gr_free(none);
  tl_template_free(t);
  fts_doc_close(&d);
}

static void test_skeleton_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const skel_case *c = &cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->text);
    gr_span span = {0, (uint32_t)d.len};
    if (c->from) span.start = (uint32_t)(strstr(c->text, c->from) - c->text);
    if (c->to) span.end = (uint32_t)(strstr(c->text + span.start, c->to) - c->text);
    size_t n;
    char *got = tl_skeleton_new(d.tree, span, c->flags, &n);
    assert_int_equal(strlen(got), n);
    fts_expect(c->name, got, c->want);
    gr_free(got);
    fts_doc_close(&d);
  }
}

/* Every corpus template, whole: the skeleton holds no LLM instruction,
 * example or critical rule, and parses. */
static void check_file(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  size_t n;
  char *s = tl_skeleton_new(d->tree, (gr_span){0, (uint32_t)d->len}, DROP, &n);
  gr_tree *t = gr_parse(s, n, NULL);
  for (uint32_t i = 1; i < gr_tree_count(t); i++) {
    gr_kind k = (gr_kind)gr_tree_node(t, i)->kind;
    if (k == GR_INSTRUCTION || k == GR_EXAMPLE || k == GR_EXAMPLE_INLINE || k == GR_CRITICAL_RULE)
      fail_msg("%s: the skeleton still holds a %s", name, gr_kind_name(k));
  }
  gr_tree_free(t);
  gr_free(s);
}

static void test_skeleton_corpus(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_file, NULL) > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_skeleton_cases),
      cmocka_unit_test(test_skeleton_section),
      cmocka_unit_test(test_skeleton_corpus),
  };
  return cmocka_run_group_tests_name("skeleton", tests, NULL, NULL);
}
