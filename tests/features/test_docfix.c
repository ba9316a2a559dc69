/*
 * test_docfix.c: the quick fixes of server/features/docfix.c, each applied
 * and the result reparsed: the diagnostic it fixes is gone, the text is
 * exactly the expected one. Moves after and before, at the end of a file
 * with and without a line end, in CRLF; renames keeping numbering and
 * emphasis; the marker after front matter, quoted when it holds a space.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/docfix.h"
#include "server/model/assoc.h"
#include "server/model/docdiag.h"
#include "server/model/document.h"
#include "server/model/template.h"
#include "server/model/workspace.h"
#include "tests/support/features_util.h"

#define PLAN_TMPL "# {{Project}} Plan\n## Overview\n## Infrastructure as Code (IaC)\n## Risks\n## Budget\n"

/* The document `doc` at `path` in a workspace holding PLAN_TMPL at `tpath`:
 * its diagnostics (run, then assoc), the fix of the first one with `code`
 * applied. Returns the new text (gr_free), or NULL when there is no fix;
 * *title gets the fix's title (gr_free). */
static char *apply(const char *tpath, const char *path, const char *doc, tl_docdiag_code code, char **title) {
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, tpath, PLAN_TMPL, strlen(PLAN_TMPL));
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_assoc *a = tl_assoc_find(ws, path, tree, NULL);
  tl_document *d = tl_document_new(tree, a->template != TL_NONE ? tl_workspace_template(ws, a->template) : NULL);
  tl_docdiag_list *lists[2] = {tl_docdiag_run(d), tl_docdiag_assoc(d, a)};
  char *out = NULL;
  *title = NULL;
  for (int l = 0; l < 2 && !out; l++)
    for (size_t i = 0; i < lists[l]->len && !out; i++) {
      if (lists[l]->items[i].code != code) continue;
      ft_docfix f;
      if (!ft_docfix_for(d, a, &lists[l]->items[i], &f)) continue;
      size_t n;
      out = ft_edit_apply(doc, strlen(doc), &f.edits, &n);
      assert_non_null(out);
      assert_int_equal(f.edits.len, 1); /* one edit, whatever the fix */
      *title = gr_strndup(f.title, strlen(f.title));
      assert_int_equal(f.preferred, 1);
      ft_docfix_free(&f);
    }
  tl_docdiag_free(lists[0]);
  tl_docdiag_free(lists[1]);
  tl_document_free(d);
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_workspace_free(ws);
  return out;
}

/* How many diagnostics with `code` the text has (run and assoc). */
static size_t count(const char *tpath, const char *path, const char *doc, tl_docdiag_code code) {
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, tpath, PLAN_TMPL, strlen(PLAN_TMPL));
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_assoc *a = tl_assoc_find(ws, path, tree, NULL);
  tl_document *d = tl_document_new(tree, a->template != TL_NONE ? tl_workspace_template(ws, a->template) : NULL);
  tl_docdiag_list *lists[2] = {tl_docdiag_run(d), tl_docdiag_assoc(d, a)};
  size_t n = 0;
  for (int l = 0; l < 2; l++) {
    for (size_t i = 0; i < lists[l]->len; i++) n += lists[l]->items[i].code == code;
    tl_docdiag_free(lists[l]);
  }
  tl_document_free(d);
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_workspace_free(ws);
  return n;
}

typedef struct fix_case {
  const char *name, *tpath, *path, *doc;
  tl_docdiag_code code;
  const char *title, *want;
} fix_case;

#define M "<!-- tmpl-ls: template=templates/plan-tmpl.md -->\n"

static void run(const fix_case *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    assert_true(count(c[i].tpath, c[i].path, c[i].doc, c[i].code) > 0);
    char *title;
    char *got = apply(c[i].tpath, c[i].path, c[i].doc, c[i].code, &title);
    if (!got) fail_msg("%s: no fix", c[i].name);
    if (strcmp(title, c[i].title) != 0) fail_msg("%s: title '%s', want '%s'", c[i].name, title, c[i].title);
    fts_expect(c[i].name, got, c[i].want);
    if (count(c[i].tpath, c[i].path, got, c[i].code) != 0) fail_msg("%s: still reported after the fix", c[i].name);
    gr_free(got);
    gr_free(title);
  }
}

static void test_docfix_move(void **state) {
  (void)state;
  static const fix_case cases[] = {
      {"after its sibling, with that sibling's subsections", "templates/plan-tmpl.md", "plan.md",
       M "# Lumen Plan\n## Overview\n\n## Budget\n\nmoney\n\n## Risks\n\n### Fire\n\nhot\n",
       TL_DD_SECTION_ORDER, "Move section after Risks",
       M "# Lumen Plan\n## Overview\n\n## Risks\n\n### Fire\n\nhot\n\n## Budget\n\nmoney\n"},
      {"before its sibling, from the end of a file with no line end", "templates/plan-tmpl.md", "plan.md",
       M "# Lumen Plan\n\n## Infrastructure as Code (IaC)\n\n## Risks\n\n## Overview\n\nfirst",
       TL_DD_SECTION_ORDER, "Move section before Infrastructure as Code (IaC)",
       M "# Lumen Plan\n\n## Overview\n\nfirst\n\n## Infrastructure as Code (IaC)\n\n## Risks\n"},
      {"CRLF stays CRLF", "templates/plan-tmpl.md", "plan.md",
       "<!-- tmpl-ls: template=templates/plan-tmpl.md -->\r\n# Lumen Plan\r\n## Risks\r\n\r\n## Overview\r\n\r\n"
       "## Budget\r\n",
       TL_DD_SECTION_ORDER, "Move section after Overview",
       "<!-- tmpl-ls: template=templates/plan-tmpl.md -->\r\n# Lumen Plan\r\n## Overview\r\n\r\n## Risks\r\n\r\n"
       "## Budget\r\n"},
  };
  run(cases, sizeof cases / sizeof cases[0]);
}

static void test_docfix_rename(void **state) {
  (void)state;
  static const fix_case cases[] = {
      {"numbering and emphasis kept", "templates/plan-tmpl.md", "plan.md",
       M "# Lumen Plan\n## Overview\n## 2. **Infrastructure as Code**\n## Risks\n## Budget\n", TL_DD_HEADING_DIFFERS,
       "Rename heading to Infrastructure as Code (IaC)",
       M "# Lumen Plan\n## Overview\n## 2. **Infrastructure as Code (IaC)**\n## Risks\n## Budget\n"},
      {"case", "templates/plan-tmpl.md", "plan.md",
       M "# Lumen Plan\n## overview\n## Infrastructure as Code (IaC)\n## Risks\n## Budget\n", TL_DD_HEADING_DIFFERS,
       "Rename heading to Overview",
       M "# Lumen Plan\n## Overview\n## Infrastructure as Code (IaC)\n## Risks\n## Budget\n"},
  };
  run(cases, sizeof cases / sizeof cases[0]);
}

static void test_docfix_associate(void **state) {
  (void)state;
  static const fix_case cases[] = {
      {"at the top, root-relative", "templates/plan-tmpl.md", "docs/plan.md",
       "## Overview\n\n## Risks\n\n## Glossary\n", TL_DD_NO_TEMPLATE, "Associate with templates/plan-tmpl.md",
       "<!-- tmpl-ls: template=templates/plan-tmpl.md -->\n## Overview\n\n## Risks\n\n## Glossary\n"},
      {"after front matter, quoted", "my templates/plan-tmpl.md", "docs/plan.md",
       "---\ntitle: Lumen\n---\n## Overview\n\n## Risks\n\n## Glossary\n", TL_DD_NO_TEMPLATE,
       "Associate with my templates/plan-tmpl.md",
       "---\ntitle: Lumen\n---\n<!-- tmpl-ls: template=\"my templates/plan-tmpl.md\" -->\n## Overview\n\n"
       "## Risks\n\n## Glossary\n"},
  };
  run(cases, sizeof cases / sizeof cases[0]);
}

/* A marker that names no template: pointed at the closest template, or,
 * with none near, taken out with its line. */
static void test_docfix_marker(void **state) {
  (void)state;
  static const fix_case cases[] = {
      {"pointed at the closest", "templates/plan-tmpl.md", "docs/plan.md",
       "<!-- tmpl-ls: template=templates/old-tmpl.md -->\n## Overview\n\n## Risks\n\n## Glossary\n",
       TL_DD_UNKNOWN_TEMPLATE, "Point the marker at templates/plan-tmpl.md",
       "<!-- tmpl-ls: template=templates/plan-tmpl.md -->\n## Overview\n\n## Risks\n\n## Glossary\n"},
      {"none near: removed", "templates/plan-tmpl.md", "docs/notes.md",
       "# Notes\n\n<!-- tmpl-ls: template=templates/old-tmpl.md -->\nText.\n", TL_DD_UNKNOWN_TEMPLATE,
       "Remove the marker", "# Notes\n\nText.\n"},
  };
  run(cases, sizeof cases / sizeof cases[0]);
}

/* Diagnostics with no fix here: none offered. */
static void test_docfix_none(void **state) {
  (void)state;
  char *title;
  assert_null(apply("templates/plan-tmpl.md", "plan.md", M "# Lumen Plan\n", TL_DD_MISSING_SECTION, &title));
  assert_null(title);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_docfix_move),
      cmocka_unit_test(test_docfix_rename),
      cmocka_unit_test(test_docfix_associate),
      cmocka_unit_test(test_docfix_marker),
      cmocka_unit_test(test_docfix_none),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
