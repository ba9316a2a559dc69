/*
 * test_check.c: `tmpl-ls check`, run as the real binary beside this test
 * program, over tests/cli/data/. Every case asserts the exact output and
 * exit status. Run from the repository root.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp, symlink */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
#define WS4 "tests/cli/data/telling"
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
    /* A document's code is what renders as code: the "```bash" line is
     * code inside the first fence, "```" closes it, and {{owner}} is prose. */
    {"document_code_as_commonmark", {"--as", "document", "-"},
     "```md\n```bash\necho {{in_code}}\n```\nOwner: {{owner}}\n", 0,
     "<stdin>:5:8: warning: Unfilled placeholder {{owner}}: replace it with the document's content "
     "[unfilled-placeholder]\n", "1 file checked: 0 errors, 1 warning"},
    /* --as document reads a .yaml name as Markdown too (not as the empty
     * text a YAML file's Markdown is). */
    {"as_document_reads_any_name_as_markdown", {"--as", "document", "tests/cli/data/loose/as-document.yaml"}, NULL, 0,
     "tests/cli/data/loose/as-document.yaml:1:8: warning: Unfilled placeholder {{owner}}: replace it with the "
     "document's content [unfilled-placeholder]\n",
     "1 file checked: 0 errors, 1 warning"},
    /* A name neither .md nor .yaml, given on the command line, is read as
     * Markdown (the reviewer's PLAN.MD). */
    {"any_other_name_is_markdown", {"tests/cli/data/loose/notes.markdown"}, NULL, 0,
     "tests/cli/data/loose/notes.markdown:3:8: warning: Unfilled placeholder {{owner}}: replace it with the "
     "document's content [unfilled-placeholder]\n",
     "1 file checked: 0 errors, 1 warning"},
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
    /* no template, but one comes near; a marker with a typo; a README: nothing */
    {"documents_told_what_is_going_on",
     {"--root", WS4, "--fail-on", "information", WS4 "/docs"}, NULL, 1,
     WS4 "/docs/billing.md:1:1: information: No template matches this document; the closest is "
         "templates/runbook-tmpl.md (score 0.43, needs 0.50) [no-template]\n" WS4
     "/docs/typo.md:1:1: warning: The marker names the template ../templates/runbok-tmpl.md, which is "
     "not found or cannot be read (tried templates/runbok-tmpl.md, ../templates/runbok-tmpl.md) "
     "[unknown-template]\n",
     "3 files checked: 0 errors, 1 warning, 1 information, 0 hints"},
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

/* ---- hostile files, made at run time (FIFOs and links cannot be committed) ---- */

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/*
 * A FIFO, a link to /dev/zero, a 2 GB sparse file, a link to a template
 * outside the folder, and a template whose name holds a newline: check
 * ends, says which files it did not read (exit 2), checks the others, and
 * never forges a line of output from a name.
 */
static void test_check_hostile_files(void **state) {
  (void)state;
  char dir[64] = "/tmp/tl-check-XXXXXX", p[256], outside[128];
  assert_non_null(mkdtemp(dir));
  snprintf(p, sizeof p, "%s/fifo.md", dir);
  assert_int_equal(mkfifo(p, 0600), 0);
  snprintf(p, sizeof p, "%s/zero.md", dir);
  assert_int_equal(symlink("/dev/zero", p), 0);
  snprintf(p, sizeof p, "%s/big.md", dir);
  int fd = open(p, O_WRONLY | O_CREAT, 0600);
  assert_true(fd >= 0);
  assert_int_equal(ftruncate(fd, (off_t)2 << 30), 0);
  close(fd);
  snprintf(outside, sizeof outside, "%s-outside-tmpl.md", dir);
  put(outside, "# Elsewhere\n\n{{}}\n");
  snprintf(p, sizeof p, "%s/out-tmpl.md", dir);
  assert_int_equal(symlink(outside, p), 0);
  snprintf(p, sizeof p, "%s/evil\nx.md:1:1: error: forged [x]\n-tmpl.md", dir);
  put(p, "# X\n\n{{}}\n");

  char fifo[128], zero[128], big[128], want[1024];
  snprintf(fifo, sizeof fifo, "%s/fifo.md", dir);
  snprintf(zero, sizeof zero, "%s/zero.md", dir);
  snprintf(big, sizeof big, "%s/big.md", dir);
  char *argv[] = {binary, "check", "--root", dir, fifo, zero, big, NULL};
  char *out, *err;
  assert_int_equal(ts_run(argv, NULL, &out, &err), 2);
  assert_string_equal(out, "");
  snprintf(want, sizeof want,
           "tmpl-ls: cannot read '%s': not a regular file; not checked\n"
           "tmpl-ls: cannot read '%s': not a regular file; not checked\n"
           "tmpl-ls: cannot read '%s': over the size limit (32 MiB); not checked\n",
           fifo, zero, big);
  if (!strstr(err, want)) fail_msg("stderr lacks\n%s\ngot\n%s", want, err);
  gr_free(out), gr_free(err);

  /* The folder walked: the FIFO and the device are not files to check,
   * the link out is skipped and named, the big file is refused. */
  char *argv2[] = {binary, "check", "--root", dir, dir, NULL};
  assert_int_equal(ts_run(argv2, NULL, &out, &err), 2);
  snprintf(want, sizeof want,
           "%s/evil\\x0Ax.md:1:1: error: forged [x]\\x0A-tmpl.md:3:1: warning: Empty placeholder: name what goes "
           "here, as in {{project_name}} [empty-placeholder]\n",
           dir);
  assert_string_equal(out, want);
  snprintf(want, sizeof want, "tmpl-ls: 'out-tmpl.md' in '%s' is a link to a file outside it; skipped\n", dir);
  if (!strstr(err, want)) fail_msg("stderr lacks\n%s\ngot\n%s", want, err);
  snprintf(want, sizeof want,
           "tmpl-ls: template 'out-tmpl.md' under --root '%s' is a link to a file outside it; not used\n", dir);
  if (!strstr(err, want)) fail_msg("stderr lacks\n%s\ngot\n%s", want, err);
  snprintf(want, sizeof want, "tmpl-ls: cannot read '%s/big.md': over the size limit (32 MiB); not checked\n", dir);
  if (!strstr(err, want)) fail_msg("stderr lacks\n%s\ngot\n%s", want, err);
  assert_null(strstr(err, "Elsewhere"));
  assert_non_null(strstr(err, "1 file checked: 0 errors, 1 warning"));
  gr_free(out), gr_free(err);

  char cmd[sizeof dir + sizeof outside + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, outside);
  assert_int_equal(system(cmd), 0);
}

/*
 * More than 100,000 files under --root (the walk's limit), the template
 * among the last: still found. The documents sit in folders on both sides
 * of the template's, so that whatever order the folders are read in, the
 * limit is reached before the template is met (hard links to a few empty
 * files: created fast).
 */
static void test_check_many_files(void **state) {
  (void)state;
  char dir[64] = "/tmp/tl-check-XXXXXX", p[256], first[256];
  assert_non_null(mkdtemp(dir));
  for (int k = 0; k < 2; k++) {
    snprintf(p, sizeof p, "%s/docs%d", dir, k);
    assert_int_equal(mkdir(p, 0700), 0);
    for (int i = 0; i < 100050; i++) {
      snprintf(p, sizeof p, "%s/docs%d/n%06d.md", dir, k, i);
      if (i % 50000 == 0) { /* a new file now and then: ext4 allows 65,000 links to one */
        put(p, "");
        snprintf(first, sizeof first, "%s", p);
      } else {
        assert_int_equal(link(first, p), 0);
      }
    }
  }
  snprintf(p, sizeof p, "%s/mid", dir);
  assert_int_equal(mkdir(p, 0700), 0);
  snprintf(p, sizeof p, "%s/mid/brief-tmpl.md", dir);
  put(p, "# Brief\n\n## Goals\n\n## Risks\n");
  snprintf(p, sizeof p, "%s/doc.md", dir);
  put(p, "<!-- tmpl-ls: template=mid/brief-tmpl.md -->\n# Brief\n\n## Goals\n");
  char *argv[] = {binary, "check", "--root", dir, p, NULL};
  char *out, *err, want[512];
  assert_int_equal(ts_run(argv, NULL, &out, &err), 0);
  snprintf(want, sizeof want,
           "%s/doc.md:5:1: information: Missing section \"## Risks\" from the template [missing-section]\n", dir);
  assert_string_equal(out, want);
  snprintf(want, sizeof want,
           "tmpl-ls: --root '%s': the search for templates stopped after 100000 files or 64 folders deep; "
           "some templates may be missing\n", dir);
  if (!strstr(err, want)) fail_msg("stderr lacks\n%s\ngot\n%s", want, err);
  gr_free(out), gr_free(err);
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
}

int main(int argc, char **argv) {
  (void)argc;
  binary = ts_binary_beside(argv[0]);
  enum { N = sizeof cases / sizeof cases[0] };
  struct CMUnitTest tests[N + 4];
  for (size_t i = 0; i < N; i++) {
    struct CMUnitTest t = {cases[i].name, test_check_case, NULL, NULL, (void *)&cases[i]};
    tests[i] = t;
  }
  struct CMUnitTest s = {"sarif", test_check_sarif, NULL, NULL, NULL};
  struct CMUnitTest v = {"version_and_help", test_check_version_and_help, NULL, NULL, NULL};
  tests[N] = s;
  tests[N + 1] = v;
  struct CMUnitTest h = {"hostile_files", test_check_hostile_files, NULL, NULL, NULL};
  struct CMUnitTest m = {"many_files", test_check_many_files, NULL, NULL, NULL};
  tests[N + 2] = h;
  tests[N + 3] = m;
  int rc = _cmocka_run_group_tests("check", tests, N + 4, NULL, NULL);
  gr_free(binary);
  return rc;
}
