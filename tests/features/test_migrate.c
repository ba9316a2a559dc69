/*
 * test_migrate.c: server/features/migrate.c. Each case is a small template
 * of our own and the whole YAML expected for it; every output, and the
 * conversion of the seed and of every corpus template without an error
 * diagnostic, must also read as YAML with libyaml and be a template: a
 * mapping with `template:` (holding id and output.filename) and a
 * `sections:` list whose sections all have a unique id, with as many
 * titled sections as the Markdown template has headings under its title;
 * and the YAML front-end (yaml/ytmpl.h) must find it a template with no
 * diagnostic. Documents written from a Markdown template (its skeleton,
 * filled or not) must get the same document diagnostics against the
 * converted template, built into the model by server/model/template_yaml.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <yaml.h>

#include "grammar/alloc.h"
#include "server/features/buf.h"
#include "server/features/migrate.h"
#include "server/model/docdiag.h"
#include "server/model/document.h"
#include "server/model/skeleton.h"
#include "server/model/template.h"
#include "server/model/template_yaml.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

typedef struct migrate_case {
  const char *name, *path, *text, *want;
} migrate_case;

static const migrate_case cases[] = {
    {"every markup kind, front matter, a second H1, a skipped level", "templates/01-every-tmpl.md",
     "---\n"
     "defaultOutput: docs/brief.md\n"
     "---\n"
     "[[LLM: Setup first]]\n"
     "\n"
     "# {{Project}} Brief: Draft\n"
     "\n"
     "[[LLM: Initial Setup\n"
     "\n"
     "Ask the user.]]\n"
     "\n"
     "## Goals\n"
     "\n"
     "[[LLM: Say what.]]\n"
     "\n"
     "- {{goal_one}}\n"
     "- Owner: {{owner}} @{example: Jane Doe}\n"
     "\n"
     "@{example: goals_table}\n"
     "| Goal | Metric |\n"
     "|------|--------|\n"
     "@{/example}\n"
     "\n"
     "<critical_rule>Keep it short.</critical_rule>\n"
     "\n"
     "```yaml\n"
     "name: {{service}}\n"
     "```\n"
     "\n"
     "### Detail\n"
     "\n"
     "text\n"
     "\n"
     "##### Deep\n"
     "\n"
     "deep text\n"
     "\n"
     "# Appendix\n"
     "\n"
     "end\n",
     "template:\n"
     "  id: 01-every-template-v2\n"
     "  name: \"Brief: Draft\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    filename: docs/brief.md\n"
     "    title: \"{{Project}} Brief: Draft\"\n"
     "\n"
     "sections:\n"
     "  - id: setup-first\n"
     "    instruction: |\n"
     "      Setup first\n"
     "\n"
     "      Initial Setup\n"
     "\n"
     "      Ask the user.\n"
     "\n"
     "  - id: goals\n"
     "    title: Goals\n"
     "    instruction: Say what.\n"
     "    template: |\n"
     "      - {{goal_one}}\n"
     "      - Owner: {{owner}}\n"
     "\n"
     "      <critical_rule>Keep it short.</critical_rule>\n"
     "\n"
     "      ```yaml\n"
     "      name: {{service}}\n"
     "      ```\n"
     "    examples:\n"
     "      - Jane Doe\n"
     "      - |\n"
     "        | Goal | Metric |\n"
     "        |------|--------|\n"
     "    sections:\n"
     "      - id: detail\n"
     "        title: Detail\n"
     "        template: text\n"
     "        sections:\n"
     "          - id: deep\n"
     "            title: Deep\n"
     "            template: deep text\n"
     "\n"
     "  - id: appendix\n"
     "    title: Appendix\n"
     "    template: end\n"},
    {"REPEAT: around headings, without a heading, with text before its heading", "templates/02-repeat-tmpl.md",
     "# Plan\n"
     "\n"
     "## Envs\n"
     "\n"
     "Intro list\n"
     "\n"
     "<<REPEAT: environment>>\n"
     "\n"
     "### {{env_name}} Environment\n"
     "\n"
     "- Purpose: {{purpose}}\n"
     "\n"
     "#### Access\n"
     "\n"
     "- {{access}}\n"
     "\n"
     "<</REPEAT>>\n"
     "\n"
     "## Steps\n"
     "\n"
     "<<REPEAT: step>>\n"
     "1. {{step}}\n"
     "<</REPEAT>>\n"
     "\n"
     "After the steps.\n"
     "\n"
     "## Mixed\n"
     "\n"
     "<<REPEAT section=\"risk\" count=\"3-5\">>\n"
     "[[LLM: One per risk.]]\n"
     "Risk intro {{risk}}\n"
     "\n"
     "### Risk {{n}}\n"
     "\n"
     "body\n"
     "<</REPEAT>>\n",
     "template:\n"
     "  id: 02-repeat-template-v2\n"
     "  name: Plan\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/02-repeat.md\n"
     "    title: Plan\n"
     "\n"
     "sections:\n"
     "  - id: envs\n"
     "    title: Envs\n"
     "    template: Intro list\n"
     "    sections:\n"
     "      - id: environment\n"
     "        title: \"{{env_name}} Environment\"\n"
     "        repeatable: true\n"
     "        template: \"- Purpose: {{purpose}}\"\n"
     "        sections:\n"
     "          - id: access\n"
     "            title: Access\n"
     "            template: \"- {{access}}\"\n"
     "\n"
     "  - id: steps\n"
     "    title: Steps\n"
     "    template: After the steps.\n"
     "    sections:\n"
     "      - id: step\n"
     "        repeatable: true\n"
     "        template: \"1. {{step}}\"\n"
     "\n"
     "  - id: mixed\n"
     "    title: Mixed\n"
     "    sections:\n"
     "      - id: risk\n"
     "        repeatable: true\n"
     "        instruction: One per risk.\n"
     "        template: Risk intro {{risk}}\n"
     "      - id: risk-2\n"
     "        title: Risk {{n}}\n"
     "        repeatable: true\n"
     "        template: body\n"},
    {"CONDITION: around a heading, around text, nested, around a REPEAT", "templates/03-condition-tmpl.md",
     "# Arch\n"
     "\n"
     "## Parts\n"
     "\n"
     "^^CONDITION: has_ui^^\n"
     "\n"
     "### UI\n"
     "\n"
     "- {{framework}}\n"
     "\n"
     "^^/CONDITION: has_ui^^\n"
     "\n"
     "^^CONDITION: has_api^^\n"
     "API text {{base_url}}\n"
     "^^CONDITION: is_rest^^\n"
     "REST only\n"
     "^^/CONDITION: is_rest^^\n"
     "<<REPEAT: endpoint>>\n"
     "### {{endpoint}}\n"
     "<</REPEAT>>\n"
     "^^/CONDITION: has_api^^\n",
     "template:\n"
     "  id: 03-condition-template-v2\n"
     "  name: Arch\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/03-condition.md\n"
     "    title: Arch\n"
     "\n"
     "sections:\n"
     "  - id: parts\n"
     "    title: Parts\n"
     "    sections:\n"
     "      - id: ui\n"
     "        title: UI\n"
     "        condition: has_ui\n"
     "        template: \"- {{framework}}\"\n"
     "      - id: has-api\n"
     "        condition: has_api\n"
     "        template: API text {{base_url}}\n"
     "      - id: is-rest\n"
     "        condition: has_api and is_rest\n"
     "        template: REST only\n"
     "      - id: endpoint\n"
     "        title: \"{{endpoint}}\"\n"
     "        condition: has_api\n"
     "        repeatable: true\n"},
    {"placeholders and choices in titles, duplicate and empty ids", "templates/04-titles-tmpl.md",
     "# {{Title}}\n"
     "\n"
     "## {{component_name}}\n"
     "\n"
     "x\n"
     "\n"
     "## Epic {{n}} {{title}}\n"
     "\n"
     "y\n"
     "\n"
     "## Goals\n"
     "\n"
     "## Goals\n"
     "\n"
     "## Goals\n"
     "\n"
     "## {{A|B}} Choice\n"
     "\n"
     "## !!!\n",
     "template:\n"
     "  id: 04-titles-template-v2\n"
     "  name: \"{{Title}}\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/04-titles.md\n"
     "    title: \"{{Title}}\"\n"
     "\n"
     "sections:\n"
     "  - id: component-name\n"
     "    title: \"{{component_name}}\"\n"
     "    template: x\n"
     "\n"
     "  - id: epic\n"
     "    title: Epic {{n}} {{title}}\n"
     "    template: \"y\"\n"
     "\n"
     "  - id: goals\n"
     "    title: Goals\n"
     "\n"
     "  - id: goals-2\n"
     "    title: Goals\n"
     "\n"
     "  - id: goals-3\n"
     "    title: Goals\n"
     "\n"
     "  - id: choice\n"
     "    title: \"{{A|B}} Choice\"\n"
     "\n"
     "  - id: section\n"
     "    title: \"!!!\"\n"},
    {"nasty strings: colons, indicators, quotes, tabs, an indented first line, no H1", "templates/05-nasty-tmpl.md",
     "## Example: Construction *Bold*\n"
     "\n"
     "[[LLM: Quote: this, and `that` #tag]]\n"
     "\n"
     "    indented code first\n"
     "next\n"
     "\n"
     "## C# and `code` -- yes\n"
     "\n"
     "[[LLM:   ]]\n"
     "\n"
     "- \"quoted\" \\ back\ttab\n"
     "\n"
     "## on\n"
     "\n"
     "@{example}\n"
     "  - spaced example\n"
     "@{/example}\n",
     "template:\n"
     "  id: 05-nasty-template-v2\n"
     "  name: \"05 nasty\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/05-nasty.md\n"
     "\n"
     "sections:\n"
     "  - id: example-construction-bold\n"
     "    title: \"Example: Construction *Bold*\"\n"
     "    instruction: \"Quote: this, and `that` #tag\"\n"
     "    template: |2\n"
     "          indented code first\n"
     "      next\n"
     "\n"
     "  - id: c-and-code-yes\n"
     "    title: C# and `code` -- yes\n"
     "    template: \"- \\\"quoted\\\" \\\\ back\\ttab\"\n"
     "\n"
     "  - id: \"on\"\n"
     "    title: \"on\"\n"
     "    examples:\n"
     "      - \"  - spaced example\"\n"},
    {"CRLF comes out as LF", "templates/06-crlf-tmpl.md",
     "# T\r\n"
     "\r\n"
     "## A\r\n"
     "\r\n"
     "[[LLM: x\r\n"
     "y]]\r\n"
     "\r\n"
     "- {{a}}\r\n",
     "template:\n"
     "  id: 06-crlf-template-v2\n"
     "  name: T\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/06-crlf.md\n"
     "    title: T\n"
     "\n"
     "sections:\n"
     "  - id: a\n"
     "    title: A\n"
     "    instruction: |\n"
     "      x\n"
     "      y\n"
     "    template: \"- {{a}}\"\n"},
    {"an empty template", "templates/07-empty-tmpl.md",
     "",
     "template:\n"
     "  id: 07-empty-template-v2\n"
     "  name: \"07 empty\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/07-empty.md\n"
     "\n"
     "sections: []\n"},
    {"markup inside a code fence", "templates/08-fence-tmpl.md",
     "## Code\n"
     "\n"
     "```\n"
     "<<REPEAT: row>>\n"
     "| {{c}} |\n"
     "<</REPEAT>>\n"
     "[[LLM: in code]]\n"
     "```\n",
     "template:\n"
     "  id: 08-fence-template-v2\n"
     "  name: \"08 fence\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/08-fence.md\n"
     "\n"
     "sections:\n"
     "  - id: code\n"
     "    title: Code\n"
     "    instruction: in code\n"
     "    template: |\n"
     "      ```\n"
     "      | {{c}} |\n"
     "      ```\n"},
    {"a heading in a block at its section's level or higher is no subsection", "templates/09-levels-tmpl.md",
     "# Doc\n"
     "\n"
     "## Goals\n"
     "\n"
     "- {{goal}}\n"
     "\n"
     "^^CONDITION: has_risks^^\n"
     "## Risks\n"
     "\n"
     "### Top risk\n"
     "\n"
     "- {{risk}}\n"
     "^^/CONDITION: has_risks^^\n"
     "\n"
     "<<REPEAT: phase>>\n"
     "# Phase {{n}}\n"
     "<</REPEAT>>\n",
     "template:\n"
     "  id: 09-levels-template-v2\n"
     "  name: Doc\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/09-levels.md\n"
     "    title: Doc\n"
     "\n"
     "sections:\n"
     "  - id: goals\n"
     "    title: Goals\n"
     "    template: \"- {{goal}}\"\n"
     "\n"
     "  - id: risks\n"
     "    title: Risks\n"
     "    condition: has_risks\n"
     "    sections:\n"
     "      - id: top-risk\n"
     "        title: Top risk\n"
     "        template: \"- {{risk}}\"\n"
     "\n"
     "  - id: phase\n"
     "    title: Phase {{n}}\n"
     "    repeatable: true\n"},
    {"a placeholder over lines is written on one (YAML closes {{ on its line)", "templates/10-multiline-tmpl.md",
     "## Review\n"
     "\n"
     "[[LLM: Ask about {{the\n"
     "  schedule}}]]\n"
     "\n"
     "{{Review schedule:\n"
     "\n"
     "- Weekly\n"
     "- Monthly}}\n"
     "\n"
     "@{example}\n"
     "{{a\n"
     "b}}\n"
     "@{/example}\n",
     "template:\n"
     "  id: 10-multiline-template-v2\n"
     "  name: \"10 multiline\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/10-multiline.md\n"
     "\n"
     "sections:\n"
     "  - id: review\n"
     "    title: Review\n"
     "    instruction: Ask about {{the schedule}}\n"
     "    template: \"{{Review schedule: - Weekly - Monthly}}\"\n"
     "    examples:\n"
     "      - \"{{a b}}\"\n"},
    {"a nested placeholder keeps its text, not its inner braces (YAML pairs {{ with the next }})",
     "templates/11-nested-tmpl.md",
     "## A\n"
     "\n"
     "{{outer {{inner}} text}}\n",
     "template:\n"
     "  id: 11-nested-template-v2\n"
     "  name: \"11 nested\"\n"
     "  version: 2.0\n"
     "  output:\n"
     "    format: markdown\n"
     "    # The Markdown template names no output file: this one is a guess.\n"
     "    filename: docs/11-nested.md\n"
     "\n"
     "sections:\n"
     "  - id: a\n"
     "    title: A\n"
     "    template: \"{{outer inner text}}\"\n"},
};

/* ---- reading the YAML back with libyaml --------------------------------- */

static yaml_node_t *mig_get(yaml_document_t *d, yaml_node_t *map, const char *key) {
  if (!map || map->type != YAML_MAPPING_NODE) return NULL;
  for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
    yaml_node_t *k = yaml_document_get_node(d, p->key);
    if (k && k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
      return yaml_document_get_node(d, p->value);
  }
  return NULL;
}

typedef struct mig_walk {
  GR_ARRAY(char *) ids;
  unsigned titled;
  int bad;
} mig_walk;

static void mig_sections(yaml_document_t *d, yaml_node_t *list, mig_walk *w) {
  if (!list || list->type != YAML_SEQUENCE_NODE) {
    w->bad = 1;
    return;
  }
  for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
    yaml_node_t *s = yaml_document_get_node(d, *it);
    yaml_node_t *id = mig_get(d, s, "id");
    if (!id || id->type != YAML_SCALAR_NODE || !id->data.scalar.length) {
      w->bad = 1;
      continue;
    }
    const char *v = (const char *)id->data.scalar.value;
    for (size_t i = 0; i < w->ids.len; i++)
      if (strcmp(w->ids.items[i], v) == 0) w->bad = 1;
    gr_array_push(&w->ids, gr_strndup(v, strlen(v)));
    if (mig_get(d, s, "title")) w->titled++;
    yaml_node_t *kids = mig_get(d, s, "sections");
    if (kids) mig_sections(d, kids, w);
  }
}

/* 0 when yaml is a template as the header says, with `titled` titled
 * sections; else prints why and returns -1. */
static int mig_check_yaml(const char *name, const char *yaml, unsigned titled) {
  yaml_parser_t p;
  yaml_document_t d;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)yaml, strlen(yaml));
  if (!yaml_parser_load(&p, &d)) {
    fprintf(stderr, "%s: libyaml: %s at line %zu\n", name, p.problem ? p.problem : "?", p.problem_mark.line + 1);
    yaml_parser_delete(&p);
    return -1;
  }
  yaml_node_t *root = yaml_document_get_root_node(&d);
  yaml_node_t *tmpl = mig_get(&d, root, "template");
  mig_walk w;
  memset(&w, 0, sizeof w);
  int ok = tmpl && mig_get(&d, tmpl, "id") && mig_get(&d, mig_get(&d, tmpl, "output"), "filename");
  yaml_node_t *secs = mig_get(&d, root, "sections");
  if (secs) mig_sections(&d, secs, &w);
  ok = ok && secs && !w.bad && w.titled == titled;
  if (!ok) fprintf(stderr, "%s: not a template (titled sections %u, want %u)\n", name, w.titled, titled);
  for (size_t i = 0; i < w.ids.len; i++) gr_free(w.ids.items[i]);
  gr_array_free(&w.ids);
  yaml_document_delete(&d);
  yaml_parser_delete(&p);
  return ok ? 0 : -1;
}

/* Headings the YAML must carry as titled sections: the model's sections
 * but the title, and none inside an example (whose body is kept as text). */
static unsigned mig_headings(const fts_doc *doc, const tl_template *t) {
  unsigned n = 0;
  for (uint32_t i = 0; i < tl_template_section_count(t); i++) {
    const tl_tsection *s = tl_template_section(t, i);
    if (i == tl_template_title(t)) continue;
    if (gr_tree_ancestor(doc->tree, s->node, GR_EXAMPLE) != GR_NONE) continue;
    n++;
  }
  return n;
}

/* 0 when the YAML front-end reads yaml as a template with no diagnostic;
 * else prints them. */
static int mig_check_front(const char *name, const char *yaml) {
  yt_tmpl *tm = yt_tmpl_parse(yaml, strlen(yaml));
  int bad = !yt_tmpl_is_template(tm);
  if (bad) fprintf(stderr, "%s: the YAML front-end finds no template\n", name);
  for (uint32_t i = 0; i < yt_tmpl_diag_count(tm); i++) {
    const yt_diag *d = yt_tmpl_diag(tm, i);
    fprintf(stderr, "%s: %u-%u: %s\n", name, d->span.start, d->span.end, d->message);
    bad = 1;
  }
  yt_tmpl_free(tm);
  return bad ? -1 : 0;
}

static char *mig_convert(const fts_doc *doc, const char *path, unsigned *headings) {
  tl_template *t = tl_template_new(doc->tree);
  size_t len = 0;
  char *yaml = ft_migrate_yaml(doc->tree, t, path, &len);
  assert_int_equal(len, strlen(yaml));
  if (headings) *headings = mig_headings(doc, t);
  tl_template_free(t);
  return yaml;
}

static void test_migrate_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const migrate_case *c = &cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->text);
    unsigned headings = 0;
    char *yaml = mig_convert(&d, c->path, &headings);
    fts_expect(c->name, yaml, c->want);
    if (mig_check_yaml(c->name, yaml, headings) != 0) fail();
    if (mig_check_front(c->name, yaml) != 0) fail();
    gr_free(yaml);
    fts_doc_close(&d);
  }
}

static void test_migrate_target(void **state) {
  (void)state;
  const char *cases2[][2] = {{"templates/prd-tmpl.md", "templates/prd-tmpl.yaml"},
                             {"a.b/x.tmpl.md", "a.b/x.tmpl.yaml"},
                             {"notes", "notes.yaml"}};
  for (size_t i = 0; i < 3; i++) {
    char *got = ft_migrate_target(cases2[i][0]);
    fts_expect(cases2[i][0], got, cases2[i][1]);
    gr_free(got);
  }
}

/* ---- pathological input --------------------------------------------------- */

static double seconds_since(clock_t t0) { return (double)(clock() - t0) / CLOCKS_PER_SEC; }

/* 20,000 headings of one title (ids goals .. goals-20000, each found in
 * one step), 256 nested REPEATs, and a 1 MB heading full of "{{" with no
 * "}}": converted in well under 5 s, and still YAML. */
static void test_migrate_pathological(void **state) {
  (void)state;
  ft_buf b = {0};
  ft_buf_puts(&b, "# T\n");
  for (int i = 0; i < 20000; i++) ft_buf_puts(&b, "## Goals\n- {{g}}\n");
  size_t deep_len = 0;
  char *deep = fts_nested("<<REPEAT: r>>\n", "### In\n", "<</REPEAT>>\n", 256, &deep_len);
  ft_buf_putn(&b, deep, deep_len);
  gr_free(deep);
  ft_buf_puts(&b, "## ");
  for (int i = 0; i < 500000; i++) ft_buf_puts(&b, "{{");
  ft_buf_puts(&b, "\n");
  char *text = ft_buf_take(&b);
  fts_doc d;
  fts_doc_open_str(&d, text);
  tl_template *t = tl_template_new(d.tree);
  unsigned headings = mig_headings(&d, t);
  clock_t t0 = clock(); /* the conversion's time, not the model's */
  char *yaml = ft_migrate_yaml(d.tree, t, "big-tmpl.md", NULL);
  double took = seconds_since(t0);
  tl_template_free(t);
  assert_true(took < 5.0);
  assert_non_null(strstr(yaml, "\n  - id: goals-20000\n    title: Goals\n"));
  assert_int_equal(mig_check_yaml("pathological", yaml, headings), 0);
  gr_free(yaml);
  fts_doc_close(&d);
  gr_free(text);
}

/* ---- the same document diagnostics against either template ------------- */

/* The seed's skeleton (its CONDITION blocks left out), every placeholder
 * filled: a document valid against the Markdown template. */
static char *mig_seed_document(const fts_doc *seed) {
  size_t n = 0;
  char *sk = tl_skeleton_new(seed->tree, (gr_span){0, (uint32_t)seed->len}, TL_SKELETON_DROP_CONDITIONS, &n);
  ft_buf b = {0};
  for (const char *p = sk; *p;) {
    const char *o = strstr(p, "{{"), *c = o ? strstr(o, "}}") : NULL;
    if (!c) {
      ft_buf_puts(&b, p);
      break;
    }
    ft_buf_putn(&b, p, (size_t)(o - p));
    ft_buf_puts(&b, "Acme");
    p = c + 2;
  }
  gr_free(sk);
  return ft_buf_take(&b);
}

/* text with its first `from` replaced by `to` (a new string). */
static char *mig_replace(const char *text, const char *from, const char *to) {
  const char *at = strstr(text, from);
  assert_non_null(at);
  ft_buf b = {0};
  ft_buf_putn(&b, text, (size_t)(at - text));
  ft_buf_puts(&b, to);
  ft_buf_puts(&b, at + strlen(from));
  return ft_buf_take(&b);
}

/* The document diagnostics of `doc` against `t`, one line each:
 * "code start-end name". */
static char *mig_doc_diags(const char *doc, const tl_template *t) {
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_document *d = tl_document_new(tree, t);
  tl_docdiag_list *l = tl_docdiag_run(d);
  ft_buf b = {0};
  for (size_t i = 0; i < l->len; i++) {
    const tl_docdiag *x = &l->items[i];
    ft_buf_printf(&b, "%s %u-%u %s\n", tl_docdiag_code_name(x->code), x->span.start, x->span.end,
                  x->name ? x->name : "");
  }
  tl_docdiag_free(l);
  tl_document_free(d);
  gr_tree_free(tree);
  return ft_buf_take(&b);
}

/*
 * Compare doc's diagnostics against the Markdown template md and against
 * its conversion ym (code, span and name): they must be the same, the
 * placeholders a `template:` text holds in code (a fence, a code span)
 * included. *same counts them. Returns 0, or -1 after printing both lists.
 */
static int mig_compare(const char *name, const char *doc, const tl_template *md, const tl_template *ym, size_t *same) {
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_document *dm = tl_document_new(tree, md), *dy = tl_document_new(tree, ym);
  tl_docdiag_list *a = tl_docdiag_run(dm), *b = tl_docdiag_run(dy);
  size_t i = 0, j = 0;
  int bad = 0;
  while (i < a->len || j < b->len) {
    const tl_docdiag *x = i < a->len ? &a->items[i] : NULL, *y = j < b->len ? &b->items[j] : NULL;
    if (x && y && x->code == y->code && x->span.start == y->span.start && x->span.end == y->span.end &&
        strcmp(x->name ? x->name : "", y->name ? y->name : "") == 0) {
      (*same)++, i++, j++;
    } else {
      bad = 1;
      break;
    }
  }
  if (bad) {
    char *want = mig_doc_diags(doc, md), *got = mig_doc_diags(doc, ym);
    fprintf(stderr, "%s: document diagnostics differ\nagainst the Markdown template:\n%sagainst the YAML one:\n%s",
            name, want, got);
    gr_free(want);
    gr_free(got);
  }
  tl_docdiag_free(a);
  tl_docdiag_free(b);
  tl_document_free(dm);
  tl_document_free(dy);
  gr_tree_free(tree);
  return bad ? -1 : 0;
}

/* A document written from the seed gets the same document diagnostics
 * against the Markdown template and against its conversion (read by the
 * YAML front-end and built into the model by template_yaml.c): valid (none),
 * and with a section left out, a placeholder left unfilled, two sections
 * swapped. */
static void test_migrate_same_document_diagnostics(void **state) {
  (void)state;
  size_t len = 0;
  char *text = ts_slurp("../shared/seed/infrastructure-architecture-tmpl.md", &len);
  assert_non_null(text);
  fts_doc seed;
  fts_doc_open(&seed, text, len, NULL);
  tl_template *md = tl_template_new(seed.tree);
  char *yaml = ft_migrate_yaml(seed.tree, md, "infrastructure-architecture-tmpl.md", NULL);
  yt_tmpl *view = yt_tmpl_parse(yaml, strlen(yaml));
  tl_template *ym = tl_template_yaml_new(view);

  char *valid = mig_seed_document(&seed);
  char *docs[4];
  docs[0] = gr_strndup(valid, strlen(valid));
  docs[1] = mig_replace(valid, "## Cost Optimization\n", "## Costs we skip\n");
  docs[2] = mig_replace(valid, "- **Purpose:** Acme", "- **Purpose:** {{environment_purpose}}");
  char *swapped = mig_replace(valid, "## Disaster Recovery\n", "## Swap-DR\n");
  docs[3] = mig_replace(swapped, "## Cost Optimization\n", "## Disaster Recovery\n");
  gr_free(swapped);
  char *tmp = docs[3];
  docs[3] = mig_replace(tmp, "## Swap-DR\n", "## Cost Optimization\n");
  gr_free(tmp);
  static const char *const names[] = {"the filled skeleton", "a section left out", "a placeholder left",
                                      "two sections swapped"};
  for (int i = 0; i < 4; i++) {
    char *want = mig_doc_diags(docs[i], md);
    char *got = mig_doc_diags(docs[i], ym);
    if (i == 0) fts_expect("valid against the Markdown template", want, "");
    else if (!want[0]) fail_msg("%s: no diagnostic against the Markdown template", names[i]);
    fts_expect(names[i], got, want);
    gr_free(want);
    gr_free(got);
    gr_free(docs[i]);
  }
  gr_free(valid);
  tl_template_free(ym);
  yt_tmpl_free(view);
  gr_free(yaml);
  tl_template_free(md);
  fts_doc_close(&seed);
  gr_free(text);
}

/* ---- the seed and the corpus -------------------------------------------- */

typedef struct mig_corpus {
  size_t converted, skipped, failed, same;
} mig_corpus;

static void mig_corpus_one(const char *name, const fts_doc *doc, void *ud) {
  mig_corpus *c = ud;
  for (uint32_t i = 0; i < gr_tree_diag_count(doc->tree); i++) {
    if (gr_tree_diag(doc->tree, i)->severity == GR_SEV_ERROR) {
      c->skipped++;
      return;
    }
  }
  unsigned headings = 0;
  char *yaml = mig_convert(doc, name, &headings);
  if (mig_check_yaml(name, yaml, headings) != 0 || mig_check_front(name, yaml) != 0) c->failed++;
  c->converted++;
  /* The same document diagnostics for its filled skeleton and for its
   * skeleton as it is (every placeholder unfilled). */
  tl_template *md = tl_template_new(doc->tree);
  yt_tmpl *view = yt_tmpl_parse(yaml, strlen(yaml));
  tl_template *ym = tl_template_yaml_new(view);
  size_t n = 0;
  char *docs[2] = {mig_seed_document(doc),
                   tl_skeleton_new(doc->tree, (gr_span){0, (uint32_t)doc->len}, TL_SKELETON_DROP_CONDITIONS, &n)};
  for (int k = 0; k < 2; k++) {
    size_t same = 0;
    if (mig_compare(name, docs[k], md, ym, &same) != 0) c->failed++;
    c->same += same;
    gr_free(docs[k]);
  }
  tl_template_free(ym);
  yt_tmpl_free(view);
  tl_template_free(md);
  gr_free(yaml);
}

static void test_migrate_corpus(void **state) {
  (void)state;
  mig_corpus c = {0, 0, 0, 0};
  size_t n = fts_corpus_each(mig_corpus_one, &c);
  fprintf(stderr,
          "migrate: %zu templates, %zu converted, %zu with an error skipped; their skeletons, filled and not: "
          "%zu document diagnostics the same\n",
          n, c.converted, c.skipped, c.same);
  assert_int_equal(c.failed, 0);
  /* The 143 corpus templates and the seed; the skipped ones have an
   * unclosed block or a mismatched closer (tests/corpus/bmad-method.expected). */
  assert_int_equal(n, 144);
  assert_int_equal(c.converted, 131);
  assert_int_equal(c.skipped, 13);
  /* Measured: the diagnostics of the 262 skeleton documents agree (three
   * more since {{x}}} is a leftover when the template has x), the 370
   * placeholders left in code of 27 of them included (the YAML model
   * reads where a `template:` text has code since template_yaml.c's
   * tl_ty__in_code; before, these were the one known difference). */
  assert_int_equal(c.same, 4784);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_migrate_cases),
      cmocka_unit_test(test_migrate_target),
      cmocka_unit_test(test_migrate_pathological),
      cmocka_unit_test(test_migrate_corpus),
      cmocka_unit_test(test_migrate_same_document_diagnostics),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
