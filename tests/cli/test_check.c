/*
 * test_check.c: `tmpl-ls check`, run as the real binary beside this test
 * program, over tests/cli/data/. Every case asserts the exact output and
 * exit status. Run from the repository root.
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
#include "tests/support/support.h"

static char *binary;

typedef struct check_case {
  const char *name;
  const char *args[10];
  const char *input;       /* stdin, or NULL */
  int status;
  const char *out;         /* exact stdout */
  const char *err_has;     /* a substring stderr must hold, or NULL */
} check_case;

#define WS "tests/cli/data/ws"
#define WS2 "tests/cli/data/ws2"
#define WS3 "tests/cli/data/templates"
#define YAML "tests/cli/data/yaml"

#define A_TEXT \
    WS "/a-tmpl.md:3:1: error: REPEAT block 'step' is never closed: expected <</REPEAT>> " \
       "[unclosed-block]\n" WS \
    "/a-tmpl.md:7:15: error: CONDITION 'a' is closed as 'b' [mismatched-closer]\n" WS \
    "/a-tmpl.md:9:12: warning: Empty placeholder: name what goes here, as in {{project_name}} " \
    "[empty-placeholder]\n"
#define C_TEXT \
    WS "/sub/c-tmpl.md:2:1: error: LLM instruction is never closed: expected ']]' before the " \
       "end of the file [unclosed-block]\n"

static const check_case cases[] = {
    {"walks_a_directory_in_order", {WS}, NULL, 1, A_TEXT C_TEXT, "4 files checked: 3 errors, 1 warning"},
    {"clean_template_exits_0", {WS "/b.tmpl.md"}, NULL, 0, "", "1 file checked: 0 errors"},
    {"document_is_not_a_template", {WS "/notes.md"}, NULL, 0, "", NULL},
    {"as_template_checks_any_name",
     {"--as", "template", WS "/notes.md"}, NULL, 0, "", NULL},
    {"fail_on_error_ignores_warnings",
     {"--as", "template", "-"}, "a {{}}\n", 0,
     "<stdin>:1:3: warning: Empty placeholder: name what goes here, as in {{project_name}} "
     "[empty-placeholder]\n", NULL},
    {"fail_on_warning_fails", {"--fail-on", "warning", "-"}, "a {{}}\n", 1,
     "<stdin>:1:3: warning: Empty placeholder: name what goes here, as in {{project_name}} "
     "[empty-placeholder]\n", NULL},
    {"json",
     {"--format", "json", WS "/sub"}, NULL, 1,
     "[\n"
     "  {\n"
     "    \"file\": \"" WS "/sub/c-tmpl.md\",\n"
     "    \"line\": 2,\n"
     "    \"column\": 1,\n"
     "    \"endLine\": 2,\n"
     "    \"endColumn\": 7,\n"
     "    \"severity\": \"error\",\n"
     "    \"code\": \"unclosed-block\",\n"
     "    \"message\": \"LLM instruction is never closed: expected ']]' before the end of the "
     "file\"\n"
     "  }\n"
     "]\n", NULL},
    {"json_empty", {"--format", "json", WS "/b.tmpl.md"}, NULL, 0, "[]\n", NULL},
    {"missing_file_exits_2_and_checks_the_rest",
     {WS "/nope-tmpl.md", WS "/sub"}, NULL, 2, C_TEXT,
     "tmpl-ls: cannot read '" WS "/nope-tmpl.md': No such file or directory"},
    {"unknown_option_exits_2", {"--frobnicate"}, NULL, 2, "",
     "tmpl-ls check: unknown or incomplete option '--frobnicate'"},
    {"unknown_format_exits_2", {"--format", "xml", WS}, NULL, 2, "",
     "tmpl-ls check: unknown format 'xml'"},
    {"documents_against_their_templates",
     {"--root", WS2, WS2}, NULL, 1,
     WS2 "/docs/notes.md:3:1: error: LLM instruction left in the document: \"Summarise the "
         "meeting.\" [leftover-instruction]\n" WS2
     "/docs/notes.md:5:13: warning: Unfilled placeholder {{owner}}: replace it with the "
     "document's content [unfilled-placeholder]\n" WS2
     "/docs/plan.md:11:19: warning: Unfilled placeholder {{mitigation}}: replace it with the "
     "document's content [unfilled-placeholder]\n" WS2
     "/docs/plan.md:20:1: information: Missing section \"## Timeline\" from the template "
     "[missing-section]\n",
     WS2 "/docs/plan.md: templates/plan-tmpl.md announces docs/plan.md as its output path"},
    {"document_without_template_says_so",
     {"--root", WS2, WS2 "/docs/notes.md"}, NULL, 1,
     WS2 "/docs/notes.md:3:1: error: LLM instruction left in the document: \"Summarise the "
         "meeting.\" [leftover-instruction]\n" WS2
     "/docs/notes.md:5:13: warning: Unfilled placeholder {{owner}}: replace it with the "
     "document's content [unfilled-placeholder]\n",
     WS2 "/docs/notes.md: no marker, mapping or announced output path names a template"},
    {"forced_template",
     {"--root", WS2, "--template", WS2 "/templates/plan-tmpl.md", "--fail-on", "information",
      WS2 "/docs/plan.md"}, NULL, 1,
     WS2 "/docs/plan.md:11:19: warning: Unfilled placeholder {{mitigation}}: replace it with "
         "the document's content [unfilled-placeholder]\n" WS2
     "/docs/plan.md:20:1: information: Missing section \"## Timeline\" from the template "
     "[missing-section]\n",
     WS2 "/docs/plan.md: templates/plan-tmpl.md was given as the template to use"},
    /* names are quoted from the file: invalid UTF-8 must not drop the entry */
    {"json_keeps_invalid_utf8_names",
     {"--format", "json", "-"}, "^^CONDITION: f\xE9^^\nx\n^^/CONDITION: bar^^\n", 1,
     "[\n"
     "  {\n"
     "    \"file\": \"<stdin>\",\n"
     "    \"line\": 3,\n"
     "    \"column\": 15,\n"
     "    \"endLine\": 3,\n"
     "    \"endColumn\": 18,\n"
     "    \"severity\": \"error\",\n"
     "    \"code\": \"mismatched-closer\",\n"
     "    \"message\": \"CONDITION 'f\xEF\xBF\xBD' is closed as 'bar'\"\n"
     "  }\n"
     "]\n", NULL},
    /* a folder named "templates" above the root does not make documents templates */
    {"templates_folder_outside_root_is_not_a_template",
     {"--root", WS3 "/repo", WS3 "/repo/notes.md"}, NULL, 1,
     WS3 "/repo/notes.md:1:1: error: LLM instruction left in the document: \"x\" "
         "[leftover-instruction]\n", NULL},
    {"bad_fail_on_exits_2", {"--fail-on", "fatal", WS}, NULL, 2, "",
     "tmpl-ls check: unknown severity 'fatal'"},
    /* files are checked by threads and printed in the order found */
    {"one_job", {"-j", "1", WS}, NULL, 1, A_TEXT C_TEXT, "4 files checked: 3 errors, 1 warning"},
    {"many_jobs", {"--jobs", "8", WS, WS "/sub"}, NULL, 1, A_TEXT C_TEXT C_TEXT,
     "5 files checked: 4 errors, 1 warning"},
    {"stdin_once", {"-", "-"}, "x\n", 2, "", "tmpl-ls check: '-' (standard input) can be given once"},
    {"jobs_must_be_a_number", {"-j", "0", WS}, NULL, 2, "",
     "tmpl-ls check: --jobs takes a number of threads from 1 to 64, not '0'"},
    /* --root's .tmpl-ls.json: a mapping, a severity raised, a code off */
    {"settings_file",
     {"--root", "tests/cli/data/settings/good", "tests/cli/data/settings/good"}, NULL, 1,
     "tests/cli/data/settings/good/docs/lumen.md:5:1: error: Unfilled placeholder {{goals}}: replace it "
     "with the document's content [unfilled-placeholder]\n",
     "tests/cli/data/settings/good/docs/lumen.md: the pattern 'docs/*.md' maps docs/lumen.md to "
     "templates/plan-tmpl.md"},
    {"settings_file_not_json_exits_2_and_checks_anyway",
     {"--root", "tests/cli/data/settings/bad", "tests/cli/data/settings/bad"}, NULL, 2,
     "tests/cli/data/settings/bad/a-tmpl.md:1:3: warning: Empty placeholder: name what goes here, as in "
     "{{project_name}} [empty-placeholder]\n",
     "tmpl-ls: tests/cli/data/settings/bad/.tmpl-ls.json:3:0: '}' expected near end of file"},
    /* YAML templates: found in directories, checked by the YAML front-end, the
     * same formats and exit codes; a document found by output.filename; YAML
     * that is no template (config.yaml, templates/other.yaml, broken as both
     * are) left alone */
    {"yaml_directory",
     {"--root", YAML, YAML}, NULL, 1,
     YAML "/docs/stories/1.2.md:5:21: warning: Unfilled placeholder {{want}}: replace it with the "
          "document's content [unfilled-placeholder]\n"
     YAML "/docs/stories/1.2.md:6:1: information: Missing section \"## Tests\" from the template "
          "[missing-section]\n"
     YAML "/templates/broken.yaml:8:5: warning: unknown section key 'repeat' \xE2\x80\x94 did you mean "
          "'repeatable'? [unknown-key]\n"
     YAML "/templates/broken.yaml:9:13: error: 'elicit' must be true or false [wrong-type]\n",
     "templates/story-tmpl.yaml announces docs/stories/{{epic}}.{{story}}.md as its output path"},
    {"yaml_clean_template_exits_0", {YAML "/templates/story-tmpl.yaml"}, NULL, 0, "", "1 file checked: 0 errors"},
    {"yaml_not_a_template_is_left_alone", {YAML "/config.yaml"}, NULL, 0, "", "1 file checked: 0 errors"},
    {"yaml_under_templates_without_sections", {"--root", YAML, YAML "/templates/other.yaml"}, NULL, 0, "", NULL},
    {"yaml_json",
     {"--format", "json", "--fail-on", "warning", YAML "/templates/broken.yaml"}, NULL, 1,
     "[\n"
     "  {\n"
     "    \"file\": \"" YAML "/templates/broken.yaml\",\n"
     "    \"line\": 8,\n"
     "    \"column\": 5,\n"
     "    \"endLine\": 8,\n"
     "    \"endColumn\": 11,\n"
     "    \"severity\": \"warning\",\n"
     "    \"code\": \"unknown-key\",\n"
     "    \"message\": \"unknown section key 'repeat' \xE2\x80\x94 did you mean 'repeatable'?\"\n"
     "  },\n"
     "  {\n"
     "    \"file\": \"" YAML "/templates/broken.yaml\",\n"
     "    \"line\": 9,\n"
     "    \"column\": 13,\n"
     "    \"endLine\": 9,\n"
     "    \"endColumn\": 18,\n"
     "    \"severity\": \"error\",\n"
     "    \"code\": \"wrong-type\",\n"
     "    \"message\": \"'elicit' must be true or false\"\n"
     "  }\n"
     "]\n", NULL},
    /* suppression comments, as in the editor */
    {"suppression_comments",
     {"--as", "template", "--fail-on", "warning", "-"},
     "<!-- tmpl-ls-disable-next-line empty-placeholder -->\na {{}}\nb {{}} <!-- tmpl-ls-disable-line emtpy -->\n",
     1,
     "<stdin>:3:3: warning: Empty placeholder: name what goes here, as in {{project_name}} "
     "[empty-placeholder]\n"
     "<stdin>:3:34: warning: 'emtpy' is not a tmpl-ls diagnostic code: this comment turns nothing off "
     "for it [unknown-suppression]\n", NULL},
    /* columns in code points, several on one line (é is 2 bytes, U+1D11E 4) */
    {"columns_on_one_line",
     {"--as", "template", "--format", "json", "-"}, "\xC3\xA9 {{}} \xF0\x9D\x84\x9E {{}}\n", 0,
     "[\n"
     "  {\n"
     "    \"file\": \"<stdin>\",\n"
     "    \"line\": 1,\n"
     "    \"column\": 3,\n"
     "    \"endLine\": 1,\n"
     "    \"endColumn\": 7,\n"
     "    \"severity\": \"warning\",\n"
     "    \"code\": \"empty-placeholder\",\n"
     "    \"message\": \"Empty placeholder: name what goes here, as in {{project_name}}\"\n"
     "  },\n"
     "  {\n"
     "    \"file\": \"<stdin>\",\n"
     "    \"line\": 1,\n"
     "    \"column\": 10,\n"
     "    \"endLine\": 1,\n"
     "    \"endColumn\": 14,\n"
     "    \"severity\": \"warning\",\n"
     "    \"code\": \"empty-placeholder\",\n"
     "    \"message\": \"Empty placeholder: name what goes here, as in {{project_name}}\"\n"
     "  }\n"
     "]\n", NULL},
};

static void test_check_case(void **state) {
  const check_case *c = *state;
  char *argv[14];
  int n = 0;
  argv[n++] = binary;
  argv[n++] = "check";
  for (int i = 0; i < 10 && c->args[i]; i++) argv[n++] = (char *)c->args[i];
  argv[n] = NULL;
  char *out, *err;
  int status = ts_run(argv, c->input, &out, &err);
  if (status != c->status) fail_msg("%s: exit %d, want %d; stderr: %s", c->name, status, c->status, err);
  if (strcmp(out, c->out) != 0) fail_msg("%s: stdout\n%s\nwant\n%s", c->name, out, c->out);
  if (c->err_has && !strstr(err, c->err_has))
    fail_msg("%s: stderr lacks '%s':\n%s", c->name, c->err_has, err);
  gr_free(out);
  gr_free(err);
}

/* SARIF: the structure GitHub code scanning reads, checked field by field. */
static void test_check_sarif(void **state) {
  (void)state;
  char *argv[] = {binary, "check", "--format", "sarif", WS "/sub", NULL};
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 1);
  static const char *const must[] = {
      "\"version\": \"2.1.0\"",
      "\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\"",
      "\"name\": \"tmpl-ls\"",
      "\"id\": \"unclosed-block\"",
      "\"id\": \"unfilled-placeholder\"",
      "\"columnKind\": \"unicodeCodePoints\"",
      "\"ruleId\": \"unclosed-block\"",
      "\"ruleIndex\": 0",
      "\"level\": \"error\"",
      "\"uri\": \"" WS "/sub/c-tmpl.md\"",
      "\"uriBaseId\": \"%SRCROOT%\"",
      "\"startLine\": 2",
      "\"startColumn\": 1",
      "\"endColumn\": 7",
  };
  for (size_t i = 0; i < sizeof must / sizeof must[0]; i++)
    if (!strstr(out, must[i])) fail_msg("SARIF lacks %s:\n%s", must[i], out);
  gr_free(out);
  gr_free(err);
}

static void test_check_version_and_help(void **state) {
  (void)state;
  char *argv[] = {binary, "--version", NULL};
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 0);
  assert_string_equal(out, "tmpl-ls " TMPL_LS_VERSION "\n");
  gr_free(out), gr_free(err);
  char *argv2[] = {binary, "check", "--help", NULL};
  assert_int_equal(ts_run(argv2, NULL, &out, &err), 0);
  assert_non_null(strstr(out, "usage: tmpl-ls check"));
  gr_free(out), gr_free(err);
}

int main(int argc, char **argv) {
  (void)argc;
  binary = ts_binary_beside(argv[0]);
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[N + 2];
  for (size_t i = 0; i < N; i++) {
    struct CMUnitTest t = {cases[i].name, test_check_case, NULL, NULL, (void *)&cases[i]};
    tests[i] = t;
  }
  struct CMUnitTest s = {"sarif", test_check_sarif, NULL, NULL, NULL};
  struct CMUnitTest v = {"version_and_help", test_check_version_and_help, NULL, NULL, NULL};
  tests[N] = s;
  tests[N + 1] = v;
  int rc = _cmocka_run_group_tests("check", tests, N + 2, NULL, NULL);
  gr_free(binary);
  return rc;
}
