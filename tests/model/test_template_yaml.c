/*
 * test_template_yaml.c: the template model built from a YAML template
 * (server/model/template_yaml.c): levels from nesting, the H1 from
 * output.title, untitled sections writing under their parent, repeatable
 * and condition / optional, bare instructions and examples, placeholders
 * and mentions, the output filename, the insert texts from `type`; a
 * broken template read up to its error; every corpus file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>

#include "grammar/alloc.h"
#include "server/model/source.h"
#include "server/model/template_yaml.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

#define CORPUS "../shared/corpus/bmad-method-yaml"

static tl_template *build(const char *text) {
  yt_tmpl *v = yt_tmpl_parse(text, strlen(text));
  tl_template *t = tl_template_yaml_new(v);
  yt_tmpl_free(v);
  return t;
}

static char *dump_string(const tl_template *t, int inserts) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  tl_template_dump(t, f);
  if (inserts) tl_template_dump_inserts(t, f);
  fclose(f);
  char *out = gr_strndup(buf, len);
  free(buf);
  return out;
}

static const char plan[] =
    "template:\n"
    "  id: plan-v1\n"
    "  name: Plan\n"
    "  output:\n"
    "    format: markdown\n"
    "    filename: docs/plans/{{team}}.{{n}}.md\n"
    "    title: \"{{project_name}} Plan\"\n"
    "sections:\n"
    "  - id: goals\n"
    "    title: Goals\n"
    "    instruction: List the goals the team agreed on.\n"
    "    type: numbered-list\n"
    "    prefix: G\n"
    "    elicit: true\n"
    "    examples:\n"
    "      - \"G1: Ship the beta by June\"\n"
    "  - id: risks\n"
    "    title: Risks\n"
    "    type: table\n"
    "    columns: [Risk, Owner]\n"
    "    sections:\n"
    "      - id: risk-diagram\n"
    "        type: mermaid\n"
    "        mermaid_type: flowchart\n"
    "      - id: mitigation\n"
    "        title: \"Mitigation for {{risk}}\"\n"
    "        repeatable: true\n"
    "        template: \"- {{action}}\"\n"
    "  - id: a11y\n"
    "    title: \"Accessibility: {None|WCAG AA}\"\n"
    "    condition: has UI\n"
    "    type: bullet-list\n"
    "  - id: setup\n"
    "    title: Setup\n"
    "    optional: true\n"
    "    type: code\n"
    "    language: bash\n";

static void test_template_yaml_dump(void **state) {
  (void)state;
  tl_template *t = build(plan);
  char *got = dump_string(t, 1);
  fts_expect("plan", got,
    "section 0 h1 0-817 parent=- cond=- repeat=- \"{{project_name}} Plan\"\n"
    "section 1 h2 160-343 parent=0 cond=- repeat=- \"Goals\" elicit\n"
    "section 2 h2 348-632 parent=0 cond=- repeat=- \"Risks\"\n"
    "section 3 h3 519-632 parent=2 cond=- repeat=0 \"Mitigation for {{risk}}\"\n"
    "section 4 h2 637-732 parent=0 cond=0 repeat=- \"Accessibility: {None|WCAG AA}\"\n"
    "section 5 h2 737-816 parent=0 cond=1 repeat=- \"Setup\"\n"
    "instruction 0 204-238 sec=1 bare \"List the goals the team agreed on.\"\n"
    "placeholder 0 93-101 sec=- instruction \"team\"\n"
    "placeholder 1 102-107 sec=- instruction \"n\"\n"
    "placeholder 2 123-139 sec=0 \"project_name\"\n"
    "placeholder 3 565-573 sec=3 \"risk\"\n"
    "placeholder 4 621-631 sec=3 \"action\"\n"
    "example 0 316-343 body=316-343 sec=1 inline bare \"G1: Ship the beta by June\"\n"
    "repeat 0 519-632 sec=2 parent=- \"Mitigation for {{risk}}\"\n"
    "condition 0 704-710 sec=0 parent=- \"has UI\"\n"
    "condition 1 778-782 sec=0 parent=- \"optional\"\n"
    "id 0 164-169 sec=1 \"goals\"\n"
    "id 1 352-357 sec=2 \"risks\"\n"
    "id 2 444-456 sec=2 \"risk-diagram\"\n"
    "id 3 523-533 sec=3 \"mitigation\"\n"
    "id 4 641-645 sec=4 \"a11y\"\n"
    "id 5 741-746 sec=5 \"setup\"\n"
    "name 0 \"project_name\"\n"
    "name 1 \"risk\"\n"
    "name 2 \"action\"\n"
    "output filename 82-110 \"docs/plans/{{team}}.{{n}}.md\"\n"
    "file 82-110 \"docs/plans/{{team}}.{{n}}.md\"\n"
    "title 0\n"
    "insert section 0 \"# {{project_name}} Plan\\n\\n## Goals\\n\\n1. G1: \\n\\n## Risks\\n\\n| Risk | Owner |\\n| --- | --- |\\n\\n```mermaid\\nflowchart\\n```\\n\\n### Mitigation for {{risk}}\\n\\n- {{action}}\\n\"\n"
    "snippet section 0 \"# ${1:{{project_name\\\\}\\\\}} Plan\\n\\n## Goals\\n\\n1. G1: \\n\\n## Risks\\n\\n| Risk | Owner |\\n| --- | --- |\\n\\n```mermaid\\nflowchart\\n```\\n\\n### Mitigation for ${2:{{risk\\\\}\\\\}}\\n\\n- ${3:{{action\\\\}\\\\}}\\n\"\n"
    "insert section 1 \"## Goals\\n\\n1. G1: \\n\"\n"
    "snippet section 1 \"## Goals\\n\\n1. G1: \\n\"\n"
    "insert section 2 \"## Risks\\n\\n| Risk | Owner |\\n| --- | --- |\\n\\n```mermaid\\nflowchart\\n```\\n\\n### Mitigation for {{risk}}\\n\\n- {{action}}\\n\"\n"
    "snippet section 2 \"## Risks\\n\\n| Risk | Owner |\\n| --- | --- |\\n\\n```mermaid\\nflowchart\\n```\\n\\n### Mitigation for ${1:{{risk\\\\}\\\\}}\\n\\n- ${2:{{action\\\\}\\\\}}\\n\"\n"
    "insert section 3 \"### Mitigation for {{risk}}\\n\\n- {{action}}\\n\"\n"
    "snippet section 3 \"### Mitigation for ${1:{{risk\\\\}\\\\}}\\n\\n- ${2:{{action\\\\}\\\\}}\\n\"\n"
    "insert section 4 \"## Accessibility: {None|WCAG AA}\\n\\n- \\n\"\n"
    "snippet section 4 \"## Accessibility: {None|WCAG AA\\\\}\\n\\n- \\n\"\n"
    "insert section 5 \"## Setup\\n\\n```bash\\n\\n```\\n\"\n"
    "snippet section 5 \"## Setup\\n\\n```bash\\n\\n```\\n\"\n"
    "insert repeat 0 \"### Mitigation for {{risk}}\\n\\n- {{action}}\\n\"\n");
  gr_free(got);
  tl_template_free(t);
}

static void test_template_yaml_matching(void **state) {
  (void)state;
  tl_template *t = build(plan);
  static const struct {
    uint32_t section;
    const char *heading;
    int want;
  } cases[] = {
      {0, "Lumen Plan", 4},
      {3, "Mitigation for vendor lock-in", 13},
      {4, "Accessibility: WCAG AA", 14},
      {4, "Accessibility: none planned", 14},
      {4, "Accessibility", -1},
      {1, "goals", 5},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = tl_template_heading_match(t, cases[i].section, cases[i].heading, strlen(cases[i].heading));
    if (got != cases[i].want) fail_msg("'%s': got %d, want %d", cases[i].heading, got, cases[i].want);
  }
  assert_int_equal(tl_template_output_match(t, "docs/plans/core.2.md"), 1);
  assert_int_equal(tl_template_output_match(t, "./docs/plans/core.2.md"), 1);
  assert_int_equal(tl_template_output_match(t, "docs/plans/core/x.2.md"), 0);
  assert_int_equal(tl_template_output_match(t, "docs/plan.md"), 0);
  /* Offsets in the YAML find their section: the repeatable one's template line. */
  const char *at = strstr(plan, "{{action}}");
  assert_int_equal(tl_template_section_at(t, (uint32_t)(at - plan)), 3);
  assert_int_equal(tl_template_title(t), 0);
  tl_template_free(t);
}

/* No output.title: no H1, top-level sections have no parent; an untitled
 * section with an instruction gives it to its parent; nesting past six
 * levels stays at six. */
static void test_template_yaml_untitled_and_deep(void **state) {
  (void)state;
  static const char text[] =
      "template:\n"
      "  id: t\n"
      "  output:\n"
      "    filename: docs/t.md\n"
      "sections:\n"
      "  - id: a\n"
      "    title: A\n"
      "    sections:\n"
      "      - id: a-note\n"
      "        instruction: Say why.\n"
      "        template: \"{{why}}\"\n"
      "      - id: b\n"
      "        title: B\n"
      "        sections:\n"
      "          - id: c\n"
      "            title: C\n"
      "            sections:\n"
      "              - id: d\n"
      "                title: D\n"
      "                sections:\n"
      "                  - id: e\n"
      "                    title: E\n"
      "                    sections:\n"
      "                      - id: f\n"
      "                        title: F\n";
  tl_template *t = build(text);
  char *got = dump_string(t, 0);
  fts_expect("untitled", got,
             "section 0 h2 66-506 parent=- cond=- repeat=- \"A\"\n"
             "section 1 h3 184-506 parent=0 cond=- repeat=- \"B\"\n"
             "section 2 h4 237-506 parent=1 cond=- repeat=- \"C\"\n"
             "section 3 h5 302-506 parent=2 cond=- repeat=- \"D\"\n"
             "section 4 h6 379-506 parent=3 cond=- repeat=- \"E\"\n"
             "section 5 h6 468-506 parent=4 cond=- repeat=- \"F\"\n"
             "instruction 0 139-147 sec=0 bare \"Say why.\"\n"
             "placeholder 0 167-174 sec=0 \"why\"\n"
             "id 0 70-71 sec=0 \"a\"\n"
             "id 1 111-117 sec=0 \"a-note\"\n"
             "id 2 188-189 sec=1 \"b\"\n"
             "id 3 241-242 sec=2 \"c\"\n"
             "id 4 306-307 sec=3 \"d\"\n"
             "id 5 383-384 sec=4 \"e\"\n"
             "id 6 472-473 sec=5 \"f\"\n"
             "name 0 \"why\"\n"
             "output filename 42-51 \"docs/t.md\"\n"
             "file 42-51 \"docs/t.md\"\n");
  gr_free(got);
  assert_string_equal(tl_template_section_insert(t, 0, 0),
                      "## A\n\n{{why}}\n\n### B\n\n#### C\n\n##### D\n\n###### E\n\n###### F\n");
  assert_int_equal(tl_template_title(t), TL_NONE);
  tl_template_free(t);
}

/* A broken template (an unquoted ": " in a title): what was read before
 * and after the error still makes sections. */
static void test_template_yaml_broken(void **state) {
  (void)state;
  static const char text[] =
      "template:\n"
      "  id: t\n"
      "  output:\n"
      "    filename: docs/t.md\n"
      "sections:\n"
      "  - id: a\n"
      "    title: Example: Construction Contractor\n"
      "  - id: b\n"
      "    title: Budget\n";
  tl_template *t = build(text);
  uint32_t n = tl_template_section_count(t);
  assert_true(n >= 1);
  assert_string_equal(tl_template_section(t, n - 1)->text, "Budget");
  tl_template_free(t);
}

/* Every corpus file builds; sections nest inside their parents and come
 * in text order; inserts of titled sections start with their heading. */
static void test_template_yaml_corpus(void **state) {
  (void)state;
  DIR *dir = opendir(CORPUS);
  if (!dir) skip();
  struct dirent *e;
  size_t files = 0, sections = 0;
  while ((e = readdir(dir)) != NULL) {
    size_t nl = strlen(e->d_name);
    if (nl < 6 || strcmp(e->d_name + nl - 5, ".yaml") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
    size_t len;
    char *text = ts_slurp(path, &len);
    if (!text) continue;
    tl_template *t = tl_source_template(TL_SOURCE_YAML_TEMPLATE, text, len, false);
    assert_null(tl_template_tree(t)); /* no Markdown tree */
    files++;
    for (uint32_t i = 0; i < tl_template_section_count(t); i++) {
      const tl_tsection *s = tl_template_section(t, i);
      sections++;
      if (s->parent != TL_NONE) {
        const tl_tsection *p = tl_template_section(t, s->parent);
        if (s->span.start < p->span.start || s->span.end > p->span.end || s->level <= p->level)
          fail_msg("%s: section %u not inside its parent", e->d_name, i);
      }
      if (i && s->span.start < tl_template_section(t, i - 1)->span.start) fail_msg("%s: order", e->d_name);
      const char *ins = tl_template_section_insert(t, i, 0);
      size_t k = 0;
      while (ins[k] == '#') k++;
      if (k != s->level || ins[k] != ' ') fail_msg("%s: insert of section %u: %.40s", e->d_name, i, ins);
    }
    tl_template_free(t);
    gr_free(text);
  }
  closedir(dir);
  assert_true(files > 250);
  assert_true(sections > 5000);
}


/* What each type writes, one section each. */
static void test_template_yaml_inserts(void **state) {
  (void)state;
  static const char text[] =
      "template:\n"
      "  id: t\n"
      "  output:\n"
      "    filename: docs/t.md\n"
      "sections:\n"
      "  - id: a\n"
      "    title: Requirements\n"
      "    type: numbered-list\n"
      "    prefix: FR\n"
      "  - id: b\n"
      "    title: Plain list\n"
      "    type: numbered-list\n"
      "  - id: c\n"
      "    title: Stack\n"
      "    type: code-block\n"
      "    language: yaml\n"
      "    template: |\n"
      "      services:\n"
      "        {{service}}: {}\n"
      "  - id: d\n"
      "    title: Flow\n"
      "    type: mermaid\n"
      "    mermaid_type: sequenceDiagram\n"
      "  - id: e\n"
      "    title: Decisions\n"
      "    repeatable: true\n"
      "    item_template: \"- **{{decision}}**: {{reason}}\"\n"
      "  - id: f\n"
      "    title: Terms\n"
      "    type: table\n"
      "    columns: [Term, Meaning]\n"
      "    item_template: \"| {{term}} | {{meaning}} |\"\n"
      "  - id: g\n"
      "    title: Notes\n"
      "    type: paragraphs\n"
      "  - id: h\n"
      "    title: Checks\n"
      "    type: bullet-list\n"
      "    template: \"{{check}}\"\n";
  tl_template *t = build(text);
  static const char *const want[] = {
      "## Requirements\n\n1. FR1: \n",
      "## Plain list\n\n1. \n",
      "## Stack\n\n```yaml\nservices:\n  {{service}}: {}\n```\n",
      "## Flow\n\n```mermaid\nsequenceDiagram\n```\n",
      "## Decisions\n\n- **{{decision}}**: {{reason}}\n",
      "## Terms\n\n| Term | Meaning |\n| --- | --- |\n| {{term}} | {{meaning}} |\n",
      "## Notes\n",
      "## Checks\n\n- {{check}}\n",
  };
  assert_int_equal(tl_template_section_count(t), 8);
  for (uint32_t i = 0; i < 8; i++) fts_expect("insert", tl_template_section_insert(t, i, 0), want[i]);
  fts_expect("snippet", tl_template_section_insert(t, 4, 1), "## Decisions\n\n- **${1:{{decision\\}\\}}**: ${2:{{reason\\}\\}}\n");
  assert_int_equal(tl_template_repeat_count(t), 1);
  fts_expect("repeat", tl_template_repeat_insert(t, 0), want[4]);
  /* in code: a placeholder the document may keep inside its fence */
  assert_int_equal(tl_template_placeholder(t, 0)->flags, GR_FLAG_IN_CODE);
  tl_template_free(t);
}

/* A `template:` text's own code (a fence, a code span) holds its
 * placeholders in code, as a Markdown template's do; the rest do not (a
 * double-quoted string too, a nested "{{" inside a code span too). */
static void test_template_yaml_code_in_text(void **state) {
  (void)state;
  static const char text[] =
      "template:\n"
      "  id: t\n"
      "  output:\n"
      "    filename: docs/t.md\n"
      "sections:\n"
      "  - id: a\n"
      "    title: Setup\n"
      "    template: |\n"
      "      Run {{tool}} with `{{flag}}`:\n"
      "\n"
      "      ```bash\n"
      "      deploy {{env}}\n"
      "      ```\n"
      "\n"
      "      After the fence, {{owner}}.\n"
      "  - id: b\n"
      "    title: Nested\n"
      "    template: \"`{{a {{b}} c}}` and {{d}}\"\n";
  tl_template *t = build(text);
  fts_str b = {0};
  for (uint32_t i = 0; i < tl_template_placeholder_count(t); i++) {
    const tl_tplaceholder *p = tl_template_placeholder(t, i);
    fts_cat(&b, "%s%s\n", p->name, p->flags & GR_FLAG_IN_CODE ? " code" : "");
  }
  fts_expect("in code", fts_str_get(&b), "tool\nflag code\nenv code\nowner\nb code\nd\n");
  fts_str_free(&b);
  tl_template_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_template_yaml_dump),
      cmocka_unit_test(test_template_yaml_matching),
      cmocka_unit_test(test_template_yaml_untitled_and_deep),
      cmocka_unit_test(test_template_yaml_inserts),
      cmocka_unit_test(test_template_yaml_code_in_text),
      cmocka_unit_test(test_template_yaml_broken),
      cmocka_unit_test(test_template_yaml_corpus),
  };
  return cmocka_run_group_tests_name("template_yaml", tests, NULL, NULL);
}
