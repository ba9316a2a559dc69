/*
 * test_assoc.c: which template a document comes from (server/model/assoc.c):
 * every rule in its order, their failure cases, the skeleton score and its
 * threshold, globs and path folding; and the template set (workspace.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "server/model/assoc.h"
#include "server/model/workspace.h"
#include "tests/support/support.h"

#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"
#define LUMEN "tests/model/data/lumen-infrastructure-architecture.md"

#define T_INFRA ".bmad-core/templates/infrastructure-architecture-tmpl.md"
#define T_PRD ".bmad-core/templates/prd-tmpl.md"
#define T_PRD2 ".bmad-core/templates/prd-v2-tmpl.md"
#define T_BRIEF "templates/brief-tmpl.md"
#define T_RETRO "templates/retro-tmpl.md"

static const char prd[] =
    "# {{Project Name}} Product Requirements Document (PRD)\n"
    "[[LLM: The default path and filename unless specified is docs/prd.md]]\n"
    "## Goals and Background Context\n"
    "## Requirements\n"
    "### Functional\n"
    "### Non Functional\n"
    "## Epic List\n"
    "## Next Steps\n";

static const char prd2[] =
    "# {{Project Name}} Product Requirements Document (PRD)\n"
    "[[LLM: The default path and filename unless specified is docs/prd.md]]\n"
    "## Goals\n"
    "## User Interface Design Goals\n"
    "## Technical Assumptions\n"
    "## Epics\n";

static const char brief[] =
    "---\n"
    "defaultOutput: docs/brief.md\n"
    "---\n"
    "# Project Brief: {{Project Name}}\n"
    "## Executive Summary\n"
    "## Problem Statement\n"
    "## Proposed Solution\n"
    "## Target Users\n"
    "## MVP Scope\n"
    "## Next Steps\n";

static const char retro[] =
    "[[LLM: The default path and filename unless specified is "
    "docs/retrospectives/epic-retrospective-{{epic_name}}.md]]\n"
    "# Epic Retrospective: {{epic_name}}\n"
    "## What Went Well\n";

static tl_workspace *workspace(void) {
  tl_workspace *ws = tl_workspace_new();
  size_t len;
  char *seed = ts_slurp(SEED, &len);
  assert_non_null(seed);
  tl_workspace_put(ws, T_INFRA, seed, len);
  gr_free(seed);
  tl_workspace_put(ws, T_PRD, prd, strlen(prd));
  tl_workspace_put(ws, T_PRD2, prd2, strlen(prd2));
  tl_workspace_put(ws, T_BRIEF, brief, strlen(brief));
  tl_workspace_put(ws, T_RETRO, retro, strlen(retro));
  return ws;
}

typedef struct assoc_case {
  const char *name, *path, *text;
  const tl_assoc_options *opts;
  tl_assoc_rule rule;
  const char *tmpl;   /* NULL: none */
  const char *reason; /* exact */
  uint8_t marker_unresolved;
} assoc_case;

static const tl_assoc_mapping mappings[] = {
    {"docs/briefs/**/*.md", T_BRIEF},
    {"docs/briefs/**", T_PRD}, /* never reached for .md files: the first match wins */
    {"notes/*.md", "templates/gone-tmpl.md"},
};
static const tl_assoc_options with_mappings = {NULL, mappings, 3, 0};
static const tl_assoc_options forced_brief = {T_BRIEF, mappings, 3, 0};
static const tl_assoc_options forced_missing = {"templates/nope-tmpl.md", NULL, 0, 0};
static const tl_assoc_options strict = {NULL, NULL, 0, 950};

static const char brief_in_progress[] =
    "# Project Brief: Lumen\n\n## Executive Summary\n\nLumen is ...\n\n## Problem Statement\n\n...\n";

static void run_case(const tl_workspace *ws, const assoc_case *c) {
  gr_tree *tree = gr_parse(c->text, strlen(c->text), &ts_document);
  tl_assoc *a = tl_assoc_find(ws, c->path, tree, c->opts);
  if (a->rule != c->rule)
    fail_msg("%s: rule %s, want %s (%s)", c->name, tl_assoc_rule_name(a->rule),
             tl_assoc_rule_name(c->rule), a->reason);
  if (c->tmpl) {
    if (!a->template_path) fail_msg("%s: no template", c->name);
    assert_string_equal(a->template_path, c->tmpl);
    assert_string_equal(tl_workspace_path(ws, a->template), c->tmpl);
  } else {
    assert_null(a->template_path);
    assert_int_equal(a->template, TL_NONE);
  }
  if (strcmp(a->reason, c->reason) != 0)
    fail_msg("%s: reason\n  got:  %s\n  want: %s", c->name, a->reason, c->reason);
  assert_int_equal(a->marker_unresolved, c->marker_unresolved);
  tl_assoc_free(a);
  gr_tree_free(tree);
}

static void test_assoc_rules(void **state) {
  (void)state;
  tl_workspace *ws = workspace();
  static const assoc_case cases[] = {
      /* 1. marker */
      {"marker relative to the document", "docs/x.md",
       "<!-- tmpl-ls: template=../.bmad-core/templates/prd-tmpl.md -->\n# Notes\n", NULL,
       TL_ASSOC_MARKER, T_PRD, "the document's tmpl-ls marker names " T_PRD, 0},
      {"marker relative to the root", "docs/deep/x.md",
       "# Notes\n\n<!-- tmpl-ls: template=./.bmad-core/templates/prd-tmpl.md -->\n", NULL,
       TL_ASSOC_MARKER, T_PRD, "the document's tmpl-ls marker names " T_PRD, 0},
      {"marker quoted among other keys", "x.md",
       "<!--\n  tmpl-ls: version=2 template=\"templates/brief-tmpl.md\"\n-->\n", NULL,
       TL_ASSOC_MARKER, T_BRIEF, "the document's tmpl-ls marker names " T_BRIEF, 0},
      {"marker beats --template and the output path", "docs/prd.md",
       "<!-- tmpl-ls: template=../templates/retro-tmpl.md -->\n", &forced_brief, TL_ASSOC_MARKER,
       T_RETRO, "the document's tmpl-ls marker names " T_RETRO, 0},
      {"a marker in code is quoted, not a marker", "docs/prd.md",
       "```html\n<!-- tmpl-ls: template=templates/brief-tmpl.md -->\n```\n", NULL,
       TL_ASSOC_OUTPUT_PATH, T_PRD,
       T_PRD " announces docs/prd.md as its output path (best section match of 2 templates that do)",
       0},
      {"an unresolved marker falls through", "docs/infrastructure-architecture.md",
       "<!-- tmpl-ls: template=gone-tmpl.md -->\n", NULL, TL_ASSOC_OUTPUT_PATH, T_INFRA,
       T_INFRA " announces docs/infrastructure-architecture.md as its output path", 1},
      {"an unresolved marker and nothing else", "x.md", "<!-- tmpl-ls: template=gone-tmpl.md -->\n",
       NULL, TL_ASSOC_NONE, NULL,
       "the marker names gone-tmpl.md, which is not in the workspace; no marker, mapping or "
       "announced output path names a template, and no template's sections match well enough "
       "(best: " T_INFRA ", score 0/1000, 0 sections in order)",
       1},
      {"other comments are not markers", "x.md", "<!-- template=templates/brief-tmpl.md -->\n# X\n",
       NULL, TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_INFRA ", score 0/1000, 0 sections in order)",
       0},
      /* 2. forced, mappings */
      {"forced", "docs/prd.md", "# X\n", &forced_brief, TL_ASSOC_FORCED, T_BRIEF,
       T_BRIEF " was given as the template to use", 0},
      {"forced but missing", "docs/prd.md", "# X\n", &forced_missing, TL_ASSOC_NONE, NULL,
       "the forced template templates/nope-tmpl.md is not in the workspace", 0},
      {"mapping", "docs/briefs/2025/q1.md", "# X\n", &with_mappings, TL_ASSOC_MAPPING, T_BRIEF,
       "the pattern 'docs/briefs/**/*.md' maps docs/briefs/2025/q1.md to " T_BRIEF, 0},
      {"mapping, ** matches no folder", "docs/briefs/q1.md", "# X\n", &with_mappings,
       TL_ASSOC_MAPPING, T_BRIEF, "the pattern 'docs/briefs/**/*.md' maps docs/briefs/q1.md to " T_BRIEF,
       0},
      {"second mapping", "docs/briefs/q1.txt", "# X\n", &with_mappings, TL_ASSOC_MAPPING, T_PRD,
       "the pattern 'docs/briefs/**' maps docs/briefs/q1.txt to " T_PRD, 0},
      {"mapping to a missing template", "notes/a.md", "# X\n", &with_mappings, TL_ASSOC_NONE, NULL,
       "the pattern 'notes/*.md' maps notes/a.md to templates/gone-tmpl.md, which is not in the "
       "workspace",
       0},
      {"mapping * stays in its folder", "notes/deep/a.md", "# X\n", &with_mappings, TL_ASSOC_NONE,
       NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_INFRA ", score 0/1000, 0 sections in order)",
       0},
      /* 3. output path */
      {"output path", "docs/infrastructure-architecture.md", "# Anything\n", NULL,
       TL_ASSOC_OUTPUT_PATH, T_INFRA,
       T_INFRA " announces docs/infrastructure-architecture.md as its output path", 0},
      {"output path, ./ prefix", "./docs/brief.md", "", NULL, TL_ASSOC_OUTPUT_PATH, T_BRIEF,
       T_BRIEF " announces docs/brief.md as its output path", 0},
      {"output path with a placeholder", "docs/retrospectives/epic-retrospective-payments.md", "",
       NULL, TL_ASSOC_OUTPUT_PATH, T_RETRO,
       T_RETRO " announces docs/retrospectives/epic-retrospective-{{epic_name}}.md as its output path",
       0},
      {"two templates announce it: the better skeleton", "docs/prd.md",
       "# Lumen Product Requirements Document (PRD)\n## Goals\n## Technical Assumptions\n## Epics\n",
       NULL, TL_ASSOC_OUTPUT_PATH, T_PRD2,
       T_PRD2 " announces docs/prd.md as its output path (best section match of 2 templates that do)",
       0},
      /* 4. skeleton */
      {"skeleton: a document in progress, title and two sections", "notes/brief.md",
       brief_in_progress, NULL, TL_ASSOC_SKELETON, T_BRIEF,
       "the document's headings match the sections of " T_BRIEF
       " (score 828/1000: 3 of 7 sections in order, title matches)",
       0},
      {"skeleton below a raised threshold", "notes/brief.md", brief_in_progress, &strict,
       TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_BRIEF ", score 828/1000, 3 sections in order)",
       0},
      {"two shared generic headings are not enough", "notes/meeting.md",
       "# Weekly sync\n## Requirements\n## Next Steps\n", NULL, TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_PRD ", score 418/1000, 2 sections in order)",
       0},
      {"two headings that both match: above the threshold, below the 3-section floor",
       "notes/todo.md", "## Requirements\n## Next Steps\n", NULL, TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_PRD ", score 585/1000, 2 sections in order)",
       0},
      {"a few shared headings among many", "notes/handbook.md",
       "# Handbook\n## Welcome\n## Requirements\n## Tools\n## Next Steps\n## Epic List\n## Holidays\n"
       "## Payroll\n## Travel\n## Security\n## Contacts\n## Glossary\n",
       NULL, TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_PRD ", score 168/1000, 2 sections in order)",
       0},
      {"a template is not its own document", T_BRIEF, brief, NULL, TL_ASSOC_NONE, NULL,
       "no marker, mapping or announced output path names a template, and no template's sections "
       "match well enough (best: " T_PRD ", score 113/1000, 1 section in order)",
       0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) run_case(ws, &cases[i]);
  tl_workspace_free(ws);
}

/* The realistic document, away from its announced path: found by skeleton. */
static void test_assoc_skeleton_seed_document(void **state) {
  (void)state;
  tl_workspace *ws = workspace();
  size_t len;
  char *doc = ts_slurp(LUMEN, &len);
  assert_non_null(doc);
  gr_tree *tree = gr_parse(doc, len, &ts_document);
  tl_assoc *a = tl_assoc_find(ws, "notes/lumen-infra.md", tree, NULL);
  assert_int_equal(a->rule, TL_ASSOC_SKELETON);
  assert_string_equal(a->template_path, T_INFRA);
  assert_int_equal(a->score, 965);
  assert_string_equal(a->reason, "the document's headings match the sections of " T_INFRA
                                 " (score 965/1000: 30 of 32 sections in order, title matches)");
  tl_assoc_free(a);
  /* at its announced path, the output-path rule is first */
  a = tl_assoc_find(ws, "docs/infrastructure-architecture.md", tree, NULL);
  assert_int_equal(a->rule, TL_ASSOC_OUTPUT_PATH);
  assert_int_equal(a->score, 965);
  tl_assoc_free(a);
  gr_tree_free(tree);
  gr_free(doc);
  tl_workspace_free(ws);
}

/* When nothing names a template, the closest one is kept with its score,
 * the threshold, and the marker value that would name it from the document. */
static void test_assoc_best_candidate(void **state) {
  (void)state;
  tl_workspace *ws = workspace();
  /* two of the brief's sections, no title: 500*2/3 + 300*2/7 = 418 < 500 */
  static const char near[] = "## Executive Summary\n\n## Problem Statement\n\n## Budget\n";
  gr_tree *tree = gr_parse(near, strlen(near), NULL);
  tl_assoc *a = tl_assoc_find(ws, "notes/q1/brief.md", tree, NULL);
  assert_int_equal(a->rule, TL_ASSOC_NONE);
  assert_string_equal(a->best_path, T_BRIEF);
  assert_int_equal(a->best_score, 418);
  assert_int_equal(a->best_matched, 2);
  assert_int_equal(a->threshold, 500);
  assert_string_equal(a->best_marker, T_BRIEF); /* root-relative: nothing at notes/q1/templates/ */
  assert_null(a->marker_tried);
  tl_assoc_free(a);
  /* a template beside the document under the same relative path: the
   * root-relative value would find it first, so the marker climbs up */
  tl_workspace_put(ws, "notes/q1/" T_BRIEF, retro, strlen(retro));
  a = tl_assoc_find(ws, "notes/q1/brief.md", tree, NULL);
  assert_string_equal(a->best_path, T_BRIEF);
  assert_string_equal(a->best_marker, "../../" T_BRIEF);
  tl_assoc_free(a);
  /* the threshold given is the one reported */
  static const tl_assoc_options low = {NULL, NULL, 0, 400};
  a = tl_assoc_find(ws, "notes/q1/brief.md", tree, &low);
  assert_int_equal(a->threshold, 400);
  assert_int_equal(a->rule, TL_ASSOC_NONE); /* 418 >= 400, but 2 sections are fewer than 3 */
  tl_assoc_free(a);
  gr_tree_free(tree);
  /* an unresolved marker: the paths tried, the document's folder first */
  static const char marked[] = "<!-- tmpl-ls: template=../templates/gone-tmpl.md -->\n# X\n";
  tree = gr_parse(marked, strlen(marked), NULL);
  a = tl_assoc_find(ws, "docs/x.md", tree, NULL);
  assert_int_equal(a->marker_unresolved, 1);
  assert_string_equal(a->marker_tried, "templates/gone-tmpl.md, ../templates/gone-tmpl.md");
  tl_assoc_free(a);
  a = tl_assoc_find(ws, "/abs/docs/x.md", tree, NULL);
  assert_string_equal(a->marker_tried, "/abs/templates/gone-tmpl.md, ../templates/gone-tmpl.md");
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_workspace_free(ws);
}

static void test_assoc_empty_workspace(void **state) {
  (void)state;
  tl_workspace *ws = tl_workspace_new();
  gr_tree *tree = gr_parse("# X\n", 4, &ts_document);
  tl_assoc *a = tl_assoc_find(ws, NULL, tree, NULL);
  assert_int_equal(a->rule, TL_ASSOC_NONE);
  assert_string_equal(a->reason, "no template in the workspace");
  assert_null(a->marker_path);
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_workspace_free(ws);
}

static void test_assoc_marker_parse(void **state) {
  (void)state;
  static const struct {
    const char *text, *want;
    uint32_t start, end;
  } cases[] = {
      {"<!-- tmpl-ls: template=a/b-tmpl.md -->", "a/b-tmpl.md", 0, 38},
      {"x\n<!--tmpl-ls: template=\"a b.md\" -->", "a b.md", 2, 36},
      {"<!-- tmpl-ls: other=1 -->\n<!-- tmpl-ls: template=c.md -->", "c.md", 26, 57},
      {"<!-- tmpl-ls: template= -->", NULL, 0, 0},
      {"<!-- tmpl-ls -->", NULL, 0, 0},
      {"`<!-- tmpl-ls: template=x.md -->`", NULL, 0, 0},
      {"<!-- tmpl-ls: template=x.md", NULL, 0, 0}, /* never closed: not a comment */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gr_tree *tree = gr_parse(cases[i].text, strlen(cases[i].text), &ts_document);
    gr_span span = {0, 0};
    char *got = tl_assoc_marker(tree, &span);
    if (cases[i].want) {
      if (!got) fail_msg("case %zu: no marker", i);
      assert_string_equal(got, cases[i].want);
      assert_int_equal(span.start, cases[i].start);
      assert_int_equal(span.end, cases[i].end);
    } else if (got) {
      fail_msg("case %zu: unexpected marker %s", i, got);
    }
    gr_free(got);
    gr_tree_free(tree);
  }
}

static void test_assoc_glob(void **state) {
  (void)state;
  static const struct {
    const char *glob, *path;
    int want;
  } cases[] = {
      {"docs/*.md", "docs/prd.md", 1},
      {"docs/*.md", "docs/a/prd.md", 0},
      {"docs/**/*.md", "docs/prd.md", 1},
      {"docs/**/*.md", "docs/a/b/prd.md", 1},
      {"docs/**/*.md", "docsx/prd.md", 0},
      {"**/*.md", "prd.md", 1},
      {"**/*.md", "a/b/prd.md", 1},
      {"**", "a/b/c", 1},
      {"docs/**", "docs/a/b", 1},
      {"docs/?rd.md", "docs/prd.md", 1},
      {"docs/?rd.md", "docs//rd.md", 0},
      {"./docs/*.md", "docs/x.md", 1},
      {"docs/*.md", "./docs/x.md", 1},
      {"*", "", 1},
      {"", "", 1},
      {"", "a", 0},
      {"a**/x", "abc/d/x", 1},
      {"*-tmpl.md", "prd-tmpl.md", 1},
      {"*-tmpl.md", "prd.md", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = tl_glob_match(cases[i].glob, cases[i].path);
    if (got != cases[i].want)
      fail_msg("'%s' vs '%s': got %d, want %d", cases[i].glob, cases[i].path, got, cases[i].want);
  }
  /* many stars against a long path: bounded (memoized), and still correct */
  char glob[200], path[1200];
  memset(glob, 0, sizeof glob);
  for (int i = 0; i < 60; i++) strcat(glob, "*a");
  strcat(glob, "b");
  memset(path, 'a', sizeof path - 1);
  path[sizeof path - 1] = 0;
  assert_int_equal(tl_glob_match(glob, path), 0);
  path[sizeof path - 2] = 'b';
  assert_int_equal(tl_glob_match(glob, path), 1);
}

static void test_workspace_put_update_remove(void **state) {
  (void)state;
  tl_workspace *ws = tl_workspace_new();
  assert_int_equal(tl_workspace_count(ws), 0);
  assert_int_equal(tl_workspace_put(ws, "a-tmpl.md", "# A\n## One\n", 11), 0);
  assert_int_equal(tl_workspace_put(ws, "b-tmpl.md", "# B\n", 4), 1);
  assert_int_equal(tl_workspace_put(ws, "c-tmpl.md", "# C\n", 4), 2);
  assert_int_equal(tl_workspace_count(ws), 3);
  assert_int_equal(tl_workspace_find(ws, "b-tmpl.md"), 1);
  assert_int_equal(tl_workspace_find(ws, "zzz"), TL_NONE);
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, 0)), 2);

  /* update keeps the place, replaces text, tree and model */
  const char *before_c = tl_workspace_path(ws, 2);
  static const char a2[] = "# A\n## One\n## Two\n## Three\n";
  assert_int_equal(tl_workspace_put(ws, "a-tmpl.md", a2, strlen(a2)), 0);
  assert_int_equal(tl_workspace_count(ws), 3);
  size_t len;
  assert_string_equal(tl_workspace_text(ws, 0, &len), "# A\n## One\n## Two\n## Three\n");
  assert_int_equal(len, 27);
  assert_int_equal(gr_tree_len(tl_workspace_tree(ws, 0)), 27);
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, 0)), 4);
  assert_ptr_equal(tl_workspace_path(ws, 2), before_c); /* other entries untouched */

  /* the tree is of the entry's own text; shed, it is parsed again when asked for */
  const gr_tree *t0 = tl_workspace_tree(ws, 0);
  assert_ptr_equal(gr_tree_text(t0), tl_workspace_text(ws, 0, NULL));
  uint32_t nodes = gr_tree_count(t0);
  assert_true(tl_workspace_shed_tree(ws, 0));
  assert_false(tl_workspace_shed_tree(ws, 0));
  assert_false(tl_workspace_shed_tree(ws, 99));
  t0 = tl_workspace_tree(ws, 0);
  assert_ptr_equal(gr_tree_text(t0), tl_workspace_text(ws, 0, NULL));
  assert_int_equal(gr_tree_count(t0), nodes);
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, 0)), 4);
  assert_string_equal(tl_template_section_insert(tl_workspace_template(ws, 0), 1, 0), "## One\n");

  /* remove shifts the later ones down */
  assert_int_equal(tl_workspace_remove(ws, "b-tmpl.md"), 0);
  assert_int_equal(tl_workspace_remove(ws, "b-tmpl.md"), TL_ENOENT);
  assert_int_equal(tl_workspace_count(ws), 2);
  assert_string_equal(tl_workspace_path(ws, 1), "c-tmpl.md");
  assert_ptr_equal(tl_workspace_path(ws, 1), before_c);
  assert_null(tl_workspace_path(ws, 2));
  assert_null(tl_workspace_text(ws, 2, &len));
  assert_int_equal(len, 0);
  assert_null(tl_workspace_tree(ws, 2));
  assert_null(tl_workspace_template(ws, 2));
  assert_string_equal(tl_model_strerror(TL_ENOENT), "no such entry");
  assert_string_equal(tl_model_strerror(0), "success");
  assert_string_equal(tl_model_strerror(-999), "unknown error");

  /* text with a NUL byte is kept whole */
  assert_int_equal(tl_workspace_put(ws, "nul-tmpl.md", "# N\0x\n", 6), 2);
  assert_int_equal(gr_tree_len(tl_workspace_tree(ws, 2)), 6);
  /* a YAML template has no Markdown tree, shed or not */
  static const char y[] = "template:\n  id: y\nsections:\n  - id: one\n    title: One\n";
  assert_int_equal(tl_workspace_put(ws, "y-tmpl.yaml", y, strlen(y)), 3);
  assert_null(tl_workspace_tree(ws, 3));
  assert_false(tl_workspace_shed_tree(ws, 3));
  assert_null(tl_workspace_tree(ws, 3));
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, 3)), 1);
  tl_workspace_free(ws);
  tl_workspace_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_assoc_rules),
      cmocka_unit_test(test_assoc_skeleton_seed_document),
      cmocka_unit_test(test_assoc_best_candidate),
      cmocka_unit_test(test_assoc_empty_workspace),
      cmocka_unit_test(test_assoc_marker_parse),
      cmocka_unit_test(test_assoc_glob),
      cmocka_unit_test(test_workspace_put_update_remove),
  };
  return cmocka_run_group_tests_name("assoc", tests, NULL, NULL);
}
