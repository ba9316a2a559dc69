/*
 * test_suppress.c: server/features/suppress.c. Each case is a template and
 * the diagnostics left after its suppression comments, one a line:
 * "<line>:<col> <code>" (0-based, bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/suppress.h"
#include "tests/support/features_util.h"

typedef struct suppress_case {
  const char *name;
  const char *input;
  const char *want;
} suppress_case;

static const suppress_case cases[] = {
    {"no comments: everything, in order", "a {{}}\n<<REPEAT: x>>\n",
     "0:2 empty-placeholder\n"
     "1:0 unclosed-block\n"},
    {"next line, one code",
     "<!-- tmpl-ls-disable-next-line empty-placeholder -->\n"
     "a {{}} b {{}}\n"
     "c {{}}\n",
     "2:2 empty-placeholder\n"},
    {"next line, another code: nothing off",
     "<!-- tmpl-ls-disable-next-line stray-closer -->\n"
     "a {{}}\n",
     "1:2 empty-placeholder\n"},
    {"the comment's own line, every code",
     "a {{}} <!-- tmpl-ls-disable-line -->\n"
     "b {{}}\n",
     "1:2 empty-placeholder\n"},
    {"a comment over two lines covers both",
     "a {{}} <!-- tmpl-ls-disable-line\n"
     "empty-placeholder --> b {{}}\n"
     "c {{}}\n",
     "2:2 empty-placeholder\n"},
    {"a region, then back on; codes by comma or blank",
     "a {{}}\n"
     "<!-- tmpl-ls-disable stray-closer,empty-placeholder -->\n"
     "b {{}}\n"
     "<</REPEAT>>\n"
     "<!-- tmpl-ls-enable empty-placeholder -->\n"
     "c {{}}\n"
     "<</REPEAT>>\n"
     "<!-- tmpl-ls-enable -->\n"
     "<</REPEAT>>\n",
     "0:2 empty-placeholder\n"
     "5:2 empty-placeholder\n"
     "8:0 stray-closer\n"},
    {"the whole file, wherever the comment is",
     "a {{}}\n"
     "<</REPEAT>>\n"
     "<!-- tmpl-ls-disable-file empty-placeholder -->\n",
     "1:0 stray-closer\n"},
    {"an unknown code is reported, and can itself be turned off",
     "<!-- tmpl-ls-disable-next-line empty-placeholdr -->\n"
     "a {{}}\n"
     "<!-- tmpl-ls-disable-line nope unknown-suppression -->\n",
     "0:31 unknown-suppression\n"
     "1:2 empty-placeholder\n"},
    {"in code, a comment is text",
     "```\n"
     "<!-- tmpl-ls-disable-file -->\n"
     "```\n"
     "`<!-- tmpl-ls-disable-file -->` a {{}}\n",
     "3:34 empty-placeholder\n"},
    {"not a directive: another word, or no blank after it",
     "<!-- tmpl-ls-disabled -->\n"
     "<!-- tmpl-ls-disable-next-lines -->\n"
     "<!-- a note: tmpl-ls-disable -->\n"
     "a {{}}\n",
     "3:2 empty-placeholder\n"},
    {"next line at the end of the text covers nothing",
     "a {{}}\n<!-- tmpl-ls-disable-next-line -->",
     "0:2 empty-placeholder\n"},
    {"CRLF lines",
     "<!-- tmpl-ls-disable-next-line -->\r\n"
     "a {{}}\r\n"
     "b {{}} <!-- tmpl-ls-disable-line -->\r\n"
     "c {{}}\r\n",
     "3:2 empty-placeholder\n"},
    {"inside a REPEAT block and a section, still a directive",
     "# S\n"
     "<<REPEAT: r>>\n"
     "<!-- tmpl-ls-disable -->\n"
     "a {{}}\n"
     "<</REPEAT>>\n"
     "b {{}}\n",
     ""},
};

static void test_suppress_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    tl_diags diags = {0};
    tl_diags_from_tree(&diags, d.tree);
    tl_suppress(&diags, d.tree);
    fts_str b = {0};
    for (size_t k = 0; k < diags.len; k++) {
      gr_pos p = gr_lines_pos(d.lines, d.text, diags.items[k].span.start, GR_UNIT_UTF8);
      fts_cat(&b, "%u:%u %s\n", p.line, p.col, diags.items[k].code);
    }
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    fts_str_free(&b);
    tl_diags_free(&diags);
    fts_doc_close(&d);
  }
}

/* Every code of the registry can be named, and the messages say which one is unknown. */
static void test_suppress_every_code_and_the_message(void **state) {
  (void)state;
  size_t n;
  const tl_code_info *codes = tl_codes(&n);
  fts_str text = {0};
  for (size_t i = 0; i < n; i++) fts_cat(&text, "<!-- tmpl-ls-disable-file %s -->\n", codes[i].code);
  fts_cat(&text, "<!-- tmpl-ls-disable x-y -->\na {{}}\n");
  fts_doc d;
  fts_doc_open_str(&d, fts_str_get(&text));
  tl_diags diags = {0};
  tl_diags_from_tree(&diags, d.tree);
  tl_suppress(&diags, d.tree);
  assert_int_equal(diags.len, 0); /* the unknown code's warning is off too: every code is */
  tl_diags_free(&diags);
  fts_doc_close(&d);

  /* the codes that tell a document's writer what is going on are among them */
  static const char *told[] = {"no-template", "unknown-template", "heading-differs", "template-mismatch"};
  for (size_t i = 0; i < sizeof told / sizeof told[0]; i++) {
    fts_str one = {0};
    fts_cat(&one, "<!-- tmpl-ls-disable-file %s -->\n", told[i]);
    fts_doc_open_str(&d, fts_str_get(&one));
    tl_diags_from_tree(&diags, d.tree);
    tl_suppress(&diags, d.tree);
    assert_int_equal(diags.len, 0); /* no unknown-suppression */
    assert_non_null(tl_code_find(told[i]));
    tl_diags_free(&diags);
    fts_doc_close(&d);
    fts_str_free(&one);
  }

  fts_doc_open_str(&d, "<!-- tmpl-ls-disable x-y -->\n");
  tl_diags_from_tree(&diags, d.tree);
  tl_suppress(&diags, d.tree);
  assert_int_equal(diags.len, 1);
  assert_string_equal(diags.items[0].message,
                      "'x-y' is not a tmpl-ls diagnostic code: this comment turns nothing off for it");
  assert_int_equal(diags.items[0].severity, GR_SEV_WARNING);
  assert_int_equal(diags.items[0].span.start, 21);
  assert_int_equal(diags.items[0].span.end, 24);
  tl_diags_free(&diags);
  fts_doc_close(&d);
  fts_str_free(&text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_suppress_cases),
      cmocka_unit_test(test_suppress_every_code_and_the_message),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
