/*
 * test_template.c: the template model (server/model/template.c) and its
 * wildcard patterns (pattern.c): sections with their CONDITION/REPEAT
 * context, instructions, rules, placeholders, examples, output path, file
 * mentions; the seed template; every corpus template.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "server/model/pattern.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"

/* The model's dump as a new string (gr_free). */
static char *dump_string(const tl_template *t) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  tl_template_dump(t, f);
  fclose(f);
  char *out = gr_strndup(buf, len);
  free(buf);
  return out;
}

static char *dump_text(const char *text) {
  gr_tree *tree = gr_parse(text, strlen(text), NULL);
  tl_template *t = tl_template_new(tree);
  char *s = dump_string(t);
  tl_template_free(t);
  gr_tree_free(tree);
  return s;
}

/* ---- one small template, every element ---------------------------------- */

static const char small[] =
    "---\n"
    "defaultOutput: docs/{{slug}}-plan.md\n"
    "---\n"
    "# Plan for {{Project Name}}\n"
    "\n"
    "[[LLM: Ask about scope. <critical_rule>Never guess.</critical_rule> See `plan-checklist.md`.]]\n"
    "\n"
    "## Goals\n"
    "\n"
    "- {{goal}}\n"
    "\n"
    "@{example: - Ship v1 by June}\n"
    "\n"
    "<<REPEAT: milestone>>\n"
    "\n"
    "### Milestone {{milestone_name}}\n"
    "\n"
    "^^CONDITION: has_budget^^\n"
    "\n"
    "#### Budget\n"
    "\n"
    "| Item | Cost |\n"
    "|------|------|\n"
    "| {{item}} | {{cost}} |\n"
    "\n"
    "^^/CONDITION: has_budget^^\n"
    "\n"
    "<</REPEAT>>\n"
    "\n"
    "## Setup\n"
    "\n"
    "```bash\n"
    "cd {{project-root}}\n"
    "```\n"
    "\n"
    "@{example: table}\n"
    "| A | B |\n"
    "|---|---|\n"
    "| 1 | 2 |\n"
    "@{/example}\n"
    "\n"
    "<critical_rule>Keep it short.</critical_rule>\n";

static void test_template_small_dump(void **state) {
  (void)state;
  char *got = dump_text(small);
  fts_expect("small", got,
             "section 0 h1 45-568 parent=- cond=- repeat=- \"Plan for {{Project Name}}\"\n"
             "section 1 h2 170-418 parent=0 cond=- repeat=- \"Goals\"\n"
             "section 2 h3 246-405 parent=1 cond=- repeat=0 \"Milestone {{milestone_name}}\"\n"
             "section 3 h4 307-377 parent=2 cond=0 repeat=0 \"Budget\"\n"
             "section 4 h2 418-568 parent=0 cond=- repeat=- \"Setup\"\n"
             "instruction 0 74-168 sec=0 \"Ask about scope. <critical_rule>Never gu...\"\n"
             "rule 0 98-141 sec=0 in-instruction \"Never guess.\"\n"
             "rule 1 522-567 sec=4 \"Keep it short.\"\n"
             "placeholder 0 24-32 sec=- \"slug\"\n"
             "placeholder 1 56-72 sec=0 \"Project Name\"\n"
             "placeholder 2 182-190 sec=1 \"goal\"\n"
             "placeholder 3 260-278 sec=2 \"milestone_name\"\n"
             "placeholder 4 354-362 sec=3 \"item\"\n"
             "placeholder 5 365-373 sec=3 \"cost\"\n"
             "placeholder 6 439-455 sec=4 code \"project-root\"\n"
             "example 0 192-221 body=203-220 sec=1 inline \"- Ship v1 by June\"\n"
             "example 1 461-520 body=478-509 sec=4 table \"table\"\n"
             "repeat 0 223-416 sec=1 parent=- \"milestone\"\n"
             "condition 0 280-403 sec=2 parent=- \"has_budget\"\n"
             "name 0 \"slug\"\n"
             "name 1 \"Project Name\"\n"
             "name 2 \"goal\"\n"
             "name 3 \"milestone_name\"\n"
             "name 4 \"item\"\n"
             "name 5 \"cost\"\n"
             "name 6 \"project-root\"\n"
             "output front-matter 19-40 \"docs/{{slug}}-plan.md\"\n"
             "file 19-40 \"docs/{{slug}}-plan.md\"\n"
             "file 147-164 \"plan-checklist.md\"\n"
             "title 0\n");
  gr_free(got);
}

static void test_template_small_fields(void **state) {
  (void)state;
  gr_tree *tree = gr_parse(small, strlen(small), NULL);
  tl_template *t = tl_template_new(tree);
  const tl_tsection *budget = tl_template_section(t, 3);
  assert_non_null(budget);
  assert_true(budget->optional);
  assert_true(budget->repeats);
  assert_false(budget->wildcard);
  assert_int_equal(budget->heading.start, 307);
  assert_int_equal(budget->heading.end, 318); /* "#### Budget" */
  assert_string_equal(tl_template_condition(t, budget->condition)->name, "has_budget");
  assert_string_equal(tl_template_repeat(t, budget->repeat)->name, "milestone");
  assert_int_equal(tl_template_repeat(t, 0)->form, GR_REPEAT_COLON);
  const tl_tsection *goals = tl_template_section(t, 1);
  assert_false(goals->optional);
  assert_false(goals->repeats);
  assert_null(tl_template_section(t, 5));
  assert_null(tl_template_instruction(t, 1));
  assert_string_equal(tl_template_instruction(t, 0)->text,
                      "Ask about scope. <critical_rule>Never guess.</critical_rule> See "
                      "`plan-checklist.md`.");
  /* section_at: innermost section, TL_NONE in the front matter */
  assert_int_equal(tl_template_section_at(t, 0), TL_NONE);
  assert_int_equal(tl_template_section_at(t, 45), 0);
  assert_int_equal(tl_template_section_at(t, 360), 3);
  assert_int_equal(tl_template_section_at(t, 410), 1);
  assert_int_equal(tl_template_section_at(t, 568), 4); /* the end of the text */
  assert_true(tl_template_section_within(t, 3, 1));
  assert_true(tl_template_section_within(t, 3, 3));
  assert_false(tl_template_section_within(t, 1, 3));
  assert_false(tl_template_section_within(t, 4, 1));
  tl_template_free(t);
  gr_tree_free(tree);
}

/* Instructions, examples and fences hold headings and markup that are not
 * the template's own structure. */
static void test_template_guidance_is_not_structure(void **state) {
  (void)state;
  char *got = dump_text(
      "# T\n"
      "[[LLM: write <<REPEAT: x>> and {{mention}} ^^CONDITION: c^^]]\n"
      "@{example: ex}\n"
      "## Example heading\n"
      "^^CONDITION: c^^ y ^^/CONDITION: c^^\n"
      "@{/example}\n"
      "```md\n"
      "## In a fence\n"
      "```\n"
      "## Real\n");
  fts_expect("guidance", got,
             "section 0 h1 0-181 parent=- cond=- repeat=- \"T\"\n"
             "section 1 h2 173-181 parent=0 cond=- repeat=- \"Real\"\n"
             "instruction 0 4-65 sec=0 \"write <<REPEAT: x>> and {{mention}} ^^CO...\"\n"
             "placeholder 0 35-46 sec=0 instruction \"mention\"\n"
             "example 0 66-148 body=80-137 sec=0 \"ex\"\n"
             "title 0\n");
  gr_free(got);
}

/* ---- output path -------------------------------------------------------- */

typedef struct output_case {
  const char *name, *text;
  const char *output; /* NULL: none */
  tl_output_form form;
} output_case;

static void test_template_output_forms(void **state) {
  (void)state;
  static const output_case cases[] = {
      {"location", "# X\n[[LLM: Setup\n\nOutput file location: `docs/infrastructure-architecture.md`]]\n",
       "docs/infrastructure-architecture.md", TL_OUTPUT_LOCATION},
      {"default path",
       "# X\n[[LLM: The default path and filename unless specified is docs/prd.md]]\n",
       "docs/prd.md", TL_OUTPUT_DEFAULT_PATH},
      {"default path, placeholder",
       "[[LLM: The default path and filename unless specified is "
       "docs/retrospectives/epic-retrospective-{{epic_name}}.md]]\n",
       "docs/retrospectives/epic-retrospective-{{epic_name}}.md", TL_OUTPUT_DEFAULT_PATH},
      {"default path, sentence end",
       "[[LLM: The default path and filename unless specified is docs/brief.md. Ask first.]]\n",
       "docs/brief.md", TL_OUTPUT_DEFAULT_PATH},
      {"front matter", "---\ndefaultOutput: docs/brief.md\n---\n# Brief\n", "docs/brief.md",
       TL_OUTPUT_FRONT_MATTER},
      {"front matter, spaces in placeholder",
       "---\ndefaultOutput: docs/stories/{{EpicNum}}.{{Short Title}}.md\nsmAgent: x\n---\n",
       "docs/stories/{{EpicNum}}.{{Short Title}}.md", TL_OUTPUT_FRONT_MATTER},
      {"first announcement wins",
       "---\ndefaultOutput: docs/a.md\n---\n[[LLM: Output file location: `docs/b.md`]]\n",
       "docs/a.md", TL_OUTPUT_FRONT_MATTER},
      {"outside an instruction it is prose", "Output file location: `docs/x.md`\n", NULL,
       TL_OUTPUT_NONE},
      {"none", "# Plain\n\nNothing announced.\n", NULL, TL_OUTPUT_NONE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const output_case *c = &cases[i];
    gr_tree *tree = gr_parse(c->text, strlen(c->text), NULL);
    tl_template *t = tl_template_new(tree);
    tl_output_form form;
    gr_span span;
    const char *out = tl_template_output(t, &form, &span);
    if (c->output) {
      if (!out) fail_msg("%s: no output path", c->name);
      assert_string_equal(out, c->output);
      assert_int_equal(span.end - span.start, strlen(c->output));
      assert_memory_equal(c->text + span.start, c->output, strlen(c->output));
    } else if (out) {
      fail_msg("%s: unexpected output %s", c->name, out);
    }
    assert_int_equal(form, c->form);
    tl_template_free(t);
    gr_tree_free(tree);
  }
}

typedef struct path_case {
  const char *announced, *path;
  int match;
} path_case;

static void test_template_output_match(void **state) {
  (void)state;
  static const path_case cases[] = {
      {"docs/prd.md", "docs/prd.md", 1},
      {"docs/prd.md", "./docs/prd.md", 1},
      {"docs/prd.md", "docs/prd.markdown", 0},
      {"docs/prd.md", "other/docs/prd.md", 0},
      {"docs/prd.md", "docs/PRD.md", 0},
      {"docs/retrospectives/epic-retrospective-{{epic_name}}.md",
       "docs/retrospectives/epic-retrospective-payments.md", 1},
      {"docs/retrospectives/epic-retrospective-{{epic_name}}.md",
       "docs/retrospectives/epic-retrospective-.md", 0}, /* a placeholder is never empty */
      {"docs/retrospectives/epic-retrospective-{{epic_name}}.md",
       "docs/retrospectives/epic-retrospective-a/b.md", 0}, /* nor crosses folders */
      {"docs/stories/{{EpicNum}}.{{StoryNum}}.{{Short Title}}.md", "docs/stories/1.2.login.md", 1},
      {"docs/stories/{{EpicNum}}.{{StoryNum}}.{{Short Title}}.md", "docs/stories/1.2.md", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[512];
    snprintf(text, sizeof text, "---\ndefaultOutput: %s\n---\n", cases[i].announced);
    gr_tree *tree = gr_parse(text, strlen(text), NULL);
    tl_template *t = tl_template_new(tree);
    int got = tl_template_output_match(t, cases[i].path);
    if (got != cases[i].match)
      fail_msg("%s vs %s: got %d, want %d", cases[i].announced, cases[i].path, got, cases[i].match);
    tl_template_free(t);
    gr_tree_free(tree);
  }
  /* no announcement: nothing matches */
  gr_tree *tree = gr_parse("# X\n", 4, NULL);
  tl_template *t = tl_template_new(tree);
  assert_int_equal(tl_template_output_match(t, "docs/x.md"), 0);
  tl_template_free(t);
  gr_tree_free(tree);
}

/* ---- heading patterns --------------------------------------------------- */

typedef struct heading_case {
  const char *pattern, *heading;
  int want; /* literal count, or -1 */
} heading_case;

static void test_template_heading_match(void **state) {
  (void)state;
  static const heading_case cases[] = {
      {"{{environment_name}} Environment", "Staging Environment", 11},
      {"{{environment_name}} Environment", "Blue Green Environment", 11},
      {"{{environment_name}} Environment", "Environment", -1}, /* one or more characters */
      {"{{environment_name}} Environment", "Staging Environments", -1},
      {"{{Project Name}} Infrastructure Architecture", "Lumen Infrastructure Architecture", 26},
      {"{{Project Name}} Infrastructure Architecture", "lumen   INFRASTRUCTURE architecture ", 26},
      {"Infrastructure as Code (IaC)", "Infrastructure as Code (IaC)", 25},
      {"Infrastructure as Code (IaC)", "Infrastructure as Code", -1},
      {"Project Brief: {{Project Name}}", "Project Brief: Lumen Photo Journal", 13},
      {"{{section_title}}", "Anything at all", 0},
      {"[TECHNIQUE NAME 1] - [DURATION]", "Mind Mapping - 20 minutes", 1},
      {"Dev Journal Entry: [YYYY-MM-DD-NN]", "Dev Journal Entry: 2025-05-14-01", 16},
      {"[Optional] Notes", "[optional] notes", 15}, /* not all caps: literal */
      {"Epic {{n}}: {{title}}", "Epic 3: Payments", 5},
      {"Epic {{n}}: {{title}}", "Epic 3 Payments", -1},
      /* a choice {A|B|C}: one of the options, or any text in its place */
      {"Accessibility: {None|WCAG AA|WCAG AAA}", "Accessibility: WCAG AA", 14},
      {"Accessibility: {None|WCAG AA|WCAG AAA}", "Accessibility: Section 508", 14},
      {"Accessibility: {None|WCAG AA|WCAG AAA}", "Accessibility:", -1},
      {"Accessibility: {None|WCAG AA|WCAG AAA}", "Usability: WCAG AA", -1},
      {"Paths under {root}", "paths under {root}", 16}, /* one brace, no '|': literal */
      {"Set {a|b", "set {a|b", 7},                      /* unclosed: literal */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const heading_case *c = &cases[i];
    char text[256];
    snprintf(text, sizeof text, "## %s\n", c->pattern);
    gr_tree *tree = gr_parse(text, strlen(text), NULL);
    tl_template *t = tl_template_new(tree);
    int got = tl_template_heading_match(t, 0, c->heading, strlen(c->heading));
    if (got != c->want) fail_msg("'%s' vs '%s': got %d, want %d", c->pattern, c->heading, got, c->want);
    assert_int_equal(tl_template_heading_match(t, 1, c->heading, strlen(c->heading)), -1);
    tl_template_free(t);
    gr_tree_free(tree);
  }
}

/* Many wildcards against a long heading: bounded work, no backtracking blow-up. */
static void test_template_pattern_bounded(void **state) {
  (void)state;
  char pat[2048], text[4096];
  size_t n = 0;
  for (int i = 0; i < 300; i++) n += (size_t)snprintf(pat + n, sizeof pat - n, "{{a}}");
  pat[n++] = 'z';
  pat[n] = 0;
  memset(text, 'a', sizeof text - 1);
  text[sizeof text - 1] = 0;
  char *p = tl_pattern_compile(pat, strlen(pat), TL_PATTERN_HEADING, NULL);
  assert_int_equal(tl_pattern_match(p, text, strlen(text), TL_PATTERN_HEADING), -1);
  text[sizeof text - 2] = 'z';
  assert_int_equal(tl_pattern_match(p, text, strlen(text), TL_PATTERN_HEADING), 1);
  gr_free(p);
}

/* Pathological inputs stay linear: a 1 MB heading, instruction and line of
 * unclosed "{{" (each scan for "}}" would otherwise restart at every "{{"). */
static void test_template_pathological(void **state) {
  (void)state;
  static const char *heads[] = {"# ", "[[LLM: Output file location: ", "x "};
  static const char *tails[] = {"\n", "]]\n", "\n"};
  for (size_t k = 0; k < 3; k++) {
    size_t n = 1 << 20, hl = strlen(heads[k]), tl = strlen(tails[k]);
    char *text = gr_malloc(hl + n + tl + 1);
    memcpy(text, heads[k], hl);
    memset(text + hl, '{', n);
    memcpy(text + hl + n, tails[k], tl + 1);
    gr_tree *tree = gr_parse(text, hl + n + tl, NULL);
    tl_template *t = tl_template_new(tree);
    assert_int_equal(tl_template_file_count(t), 0);
    if (k == 0) {
      assert_int_equal(tl_template_section_count(t), 1);
      assert_true(tl_template_heading_match(t, 0, "x", 1) < 0);
    }
    tl_template_free(t);
    gr_tree_free(tree);
    gr_free(text);
  }
}

/* ---- file mentions ------------------------------------------------------ */

/* Names past TL_TEMPLATE_MAX_NAME bytes are "", the rest kept; the distinct
 * names keep the order of first use (found by sorting, not a search each). */
static void test_template_name_caps(void **state) {
  (void)state;
  fts_str in = {0};
  /* (Block names are one-line tokens the grammar ends well below the cap.) */
  fts_cat(&in, "# T\n\n{{b}} {{a}} {{b}}\n{{");
  for (int i = 0; i < TL_TEMPLATE_MAX_NAME; i++) fts_cat(&in, "p");
  fts_cat(&in, "}} {{");
  for (int i = 0; i < TL_TEMPLATE_MAX_NAME + 1; i++) fts_cat(&in, "q");
  fts_cat(&in, "}} {{a}}\n");
  gr_tree *tree = gr_parse(fts_str_get(&in), in.len, NULL);
  tl_template *t = tl_template_new(tree);
  assert_int_equal(tl_template_placeholder_count(t), 6);
  assert_int_equal(strlen(tl_template_placeholder(t, 3)->name), TL_TEMPLATE_MAX_NAME);
  assert_string_equal(tl_template_placeholder(t, 4)->name, "");
  assert_int_equal(tl_template_name_count(t), 4);
  assert_string_equal(tl_template_name(t, 0), "b");
  assert_string_equal(tl_template_name(t, 1), "a");
  assert_int_equal(strlen(tl_template_name(t, 2)), TL_TEMPLATE_MAX_NAME);
  assert_string_equal(tl_template_name(t, 3), "");
  tl_template_free(t);
  gr_tree_free(tree);
  fts_str_free(&in);
}

static void test_template_files(void **state) {
  (void)state;
  char *got = dump_text(
      "Validate with `infrastructure-checklist.md` and docs/prd.md.\n"
      "See https://example.com/guide.md and *-tmpl.md and .md alone.\n"
      "Config: package.json, ci.yml, data.yaml; not file.mdx or notes.txtx.\n"
      "Story: docs/stories/{{epic}}.{{story}}.md and {{unclosed.md\n");
  fts_expect("files", got,
             "placeholder 0 212-220 sec=- \"epic\"\n"
             "placeholder 1 221-230 sec=- \"story\"\n"
             "name 0 \"epic\"\n"
             "name 1 \"story\"\n"
             "file 15-42 \"infrastructure-checklist.md\"\n"
             "file 48-59 \"docs/prd.md\"\n"
             "file 131-143 \"package.json\"\n"
             "file 145-151 \"ci.yml\"\n"
             "file 153-162 \"data.yaml\"\n"
             "file 199-233 \"docs/stories/{{epic}}.{{story}}.md\"\n"
             "file 240-251 \"unclosed.md\"\n");
  gr_free(got);
}

/* ---- the seed template -------------------------------------------------- */

static void test_template_seed(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp(SEED, &len);
  assert_non_null(text);
  gr_tree *tree = gr_parse(text, len, NULL);
  tl_template *t = tl_template_new(tree);
  assert_int_equal(tl_template_section_count(t), 35);
  assert_int_equal(tl_template_title(t), 0);
  assert_string_equal(tl_template_section(t, 0)->text, "{{Project Name}} Infrastructure Architecture");

  /* the REPEAT: environment */
  const tl_tsection *env = tl_template_section(t, 4);
  assert_string_equal(env->text, "{{environment_name}} Environment");
  assert_int_equal(env->level, 3);
  assert_int_equal(env->parent, 3);
  assert_true(env->repeats);
  assert_false(env->optional);
  assert_string_equal(tl_template_repeat(t, env->repeat)->name, "environment");
  assert_int_equal(tl_template_repeat_count(t), 1);

  /* the three CONDITIONs and their sections */
  static const struct {
    uint32_t section;
    const char *text, *condition;
  } conds[] = {{7, "Service Mesh Architecture", "uses_service_mesh"},
               {9, "Kubernetes Architecture", "uses_kubernetes"},
               {15, "Progressive Deployment Strategy", "uses_progressive_deployment"}};
  assert_int_equal(tl_template_condition_count(t), 3);
  for (size_t i = 0; i < 3; i++) {
    const tl_tsection *s = tl_template_section(t, conds[i].section);
    assert_string_equal(s->text, conds[i].text);
    assert_true(s->optional);
    assert_string_equal(tl_template_condition(t, s->condition)->name, conds[i].condition);
  }
  uint32_t optional = 0;
  for (uint32_t i = 0; i < tl_template_section_count(t); i++) optional += tl_template_section(t, i)->optional;
  assert_int_equal(optional, 3);

  /* examples: cloud_strategy (a list), responsibility_matrix (a table) */
  assert_int_equal(tl_template_example_count(t), 2);
  assert_string_equal(tl_template_example(t, 0)->name, "cloud_strategy");
  assert_false(tl_template_example(t, 0)->has_table);
  assert_int_equal(tl_template_example(t, 0)->section, 1);
  assert_string_equal(tl_template_example(t, 1)->name, "responsibility_matrix");
  assert_true(tl_template_example(t, 1)->has_table);
  assert_int_equal(tl_template_example(t, 1)->section, 12);

  /* instructions and rules */
  assert_int_equal(tl_template_instruction_count(t), 23);
  assert_int_equal(tl_template_instruction(t, 1)->section, 1);
  assert_memory_equal(tl_template_instruction(t, 1)->text, "Review the product requirements", 31);
  assert_int_equal(tl_template_rule_count(t), 5);
  assert_true(tl_template_rule(t, 0)->in_instruction);
  assert_false(tl_template_rule(t, 1)->in_instruction);
  assert_string_equal(tl_template_rule(t, 1)->text,
                      "All infrastructure must be defined as code. No manual resource creation "
                      "in production environments.");

  /* placeholders: 25 names to fill; "Project Name" also mentioned in the instruction */
  assert_int_equal(tl_template_name_count(t), 25);
  assert_string_equal(tl_template_name(t, 0), "Project Name");
  assert_string_equal(tl_template_name(t, 24), "review_date");
  assert_null(tl_template_name(t, 25));
  assert_int_equal(tl_template_placeholder_count(t), 26);
  assert_true(tl_template_placeholder(t, 1)->flags & GR_FLAG_IN_INSTRUCTION);

  /* output path and files */
  tl_output_form form;
  gr_span span;
  assert_string_equal(tl_template_output(t, &form, &span), "docs/infrastructure-architecture.md");
  assert_int_equal(form, TL_OUTPUT_LOCATION);
  assert_int_equal(span.start, 1015);
  assert_int_equal(span.end, 1050);
  assert_int_equal(tl_template_file_count(t), 2);
  assert_string_equal(tl_template_file(t, 1)->path, "infrastructure-checklist.md");
  assert_memory_equal(text + tl_template_file(t, 1)->span.start, "infrastructure-checklist.md", 27);
  assert_true(tl_template_output_match(t, "docs/infrastructure-architecture.md"));

  tl_template_free(t);
  gr_tree_free(tree);
  gr_free(text);
}

/* ---- every corpus template ---------------------------------------------- */

typedef struct corpus_stats {
  size_t templates, outputs, sections, bad;
} corpus_stats;

static void corpus_one(const char *name, const fts_doc *doc, void *ud) {
  corpus_stats *st = ud;
  tl_template *t = tl_template_new(doc->tree);
  st->templates++;
  if (tl_template_output(t, NULL, NULL)) st->outputs++;
  for (uint32_t i = 0; i < tl_template_section_count(t); i++) {
    const tl_tsection *s = tl_template_section(t, i);
    st->sections++;
    /* a section lies inside its parent (its level may be lower: a CONDITION
     * inside a "###" section can hold a "##" one, blocks being containers) */
    if (s->parent != TL_NONE) {
      const tl_tsection *p = tl_template_section(t, s->parent);
      if (s->parent >= i || s->span.start < p->span.start || s->span.end > p->span.end) {
        print_error("%s: section %u is not inside its parent\n", name, i);
        st->bad++;
      }
    }
    if (s->optional != (s->condition != TL_NONE) || s->repeats != (s->repeat != TL_NONE)) st->bad++;
  }
  for (uint32_t i = 0; i < tl_template_placeholder_count(t); i++) {
    const tl_tplaceholder *p = tl_template_placeholder(t, i);
    if (p->section != TL_NONE && !tl_template_section_within(t, tl_template_section_at(t, p->span.start), p->section)) {
      print_error("%s: placeholder %u is not in its section\n", name, i);
      st->bad++;
    }
  }
  tl_template_free(t);
}

static void test_template_corpus(void **state) {
  (void)state;
  corpus_stats st = {0, 0, 0, 0};
  size_t n = fts_corpus_each(corpus_one, &st);
  assert_true(n >= 140);
  assert_int_equal(st.bad, 0);
  /* 18 corpus files announce an output path, plus the seed */
  assert_int_equal(st.outputs, 20);
  assert_true(st.sections > 2000);
}


/* What inserts write, from the model (the skeletons of sections and REPEAT
 * bodies, an example's table, a placeholder's inline example). */
static void test_template_inserts(void **state) {
  (void)state;
  static const char text[] =
      "# Plan\n"
      "\n"
      "## Goals\n"
      "\n"
      "[[LLM: Ask first.]]\n"
      "- {{goal}} @{example: Ship the beta}\n"
      "\n"
      "^^CONDITION: has_risks^^\n"
      "### Risks\n"
      "^^/CONDITION: has_risks^^\n"
      "\n"
      "<<REPEAT: step>>\n"
      "### Step {{n}}\n"
      "\n"
      "Cost: ${{cost}}\n"
      "<</REPEAT>>\n"
      "\n"
      "@{example: metrics}\n"
      "| Metric | Target |\n"
      "|---|---|\n"
      "| uptime | 99% |\n"
      "@{/example}\n";
  gr_tree *tree = gr_parse(text, strlen(text), NULL);
  tl_template *t = tl_template_new(tree);
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  tl_template_dump_inserts(t, f);
  fclose(f);
  fts_expect("inserts", buf,
             "insert section 0 \"# Plan\\n\\n## Goals\\n\\n- {{goal}}\\n\\n### Step {{n}}\\n\\nCost: ${{cost}}\\n\"\n"
             "snippet section 0 \"# Plan\\n\\n## Goals\\n\\n- ${1:{{goal\\\\}\\\\}}\\n\\n### Step ${2:{{n\\\\}\\\\}}\\n\\nCost: \\\\${{cost\\\\}\\\\}\\n\"\n"
             "insert section 1 \"## Goals\\n\\n- {{goal}}\\n\\n### Step {{n}}\\n\\nCost: ${{cost}}\\n\"\n"
             "snippet section 1 \"## Goals\\n\\n- ${1:{{goal\\\\}\\\\}}\\n\\n### Step ${2:{{n\\\\}\\\\}}\\n\\nCost: \\\\${{cost\\\\}\\\\}\\n\"\n"
             "insert section 2 \"### Risks\\n\"\n"
             "snippet section 2 \"### Risks\\n\"\n"
             "insert section 3 \"### Step {{n}}\\n\\nCost: ${{cost}}\\n\"\n"
             "snippet section 3 \"### Step ${1:{{n\\\\}\\\\}}\\n\\nCost: \\\\${{cost\\\\}\\\\}\\n\"\n"
             "insert repeat 0 \"### Step {{n}}\\n\\nCost: ${{cost}}\\n\"\n"
             "table example 1 \"| Metric | Target |\\n|---|---|\\n| uptime | 99% |\\n\"\n"
             "placeholder 0 example 0\n");
  free(buf);
  assert_string_equal(tl_template_section_insert(t, 99, 0), "");
  assert_string_equal(tl_template_repeat_insert(t, 99), "");
  assert_string_equal(tl_template_example_table(t, 99), "");
  tl_template_free(t);
  gr_tree_free(tree);
}

/* Inserts are written when first asked for (template_impl.h), from the
 * model's own copy of the text: the caller's tree may be gone by then; two
 * threads asking at once (check's workers) get the same texts as one. */
typedef struct fts_asker {
  const tl_template *t;
  GR_ARRAY(const char *) got;
} fts_asker;

static void *fts_ask_all(void *arg) {
  fts_asker *a = arg;
  for (uint32_t i = tl_template_section_count(a->t); i-- > 0;) {
    gr_array_push(&a->got, tl_template_section_insert(a->t, i, 1));
    gr_array_push(&a->got, tl_template_section_insert(a->t, i, 0));
  }
  return NULL;
}

static void test_template_inserts_on_first_use(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp("../shared/seed/infrastructure-architecture-tmpl.md", &len);
  assert_non_null(text);
  gr_tree *tree = gr_parse(text, len, NULL);
  tl_template *one = tl_template_new(tree), *two = tl_template_new(tree);
  gr_tree_free(tree);
  free(text); /* the models keep what they need */
  fts_asker a = {two, {0}}, b = {two, {0}};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, fts_ask_all, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, fts_ask_all, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  uint32_t n = tl_template_section_count(one);
  assert_true(n > 20);
  assert_int_equal(a.got.len, 2 * n);
  for (uint32_t k = 0; k < 2 * n; k++) {
    uint32_t i = n - 1 - k / 2;
    const char *want = tl_template_section_insert(one, i, k % 2 == 0);
    assert_ptr_equal(a.got.items[k], b.got.items[k]); /* written once */
    assert_string_equal(a.got.items[k], want);
  }
  assert_true(strstr(tl_template_section_insert(one, 0, 0), "## ") != NULL);
  gr_array_free(&a.got);
  gr_array_free(&b.got);
  tl_template_free(one);
  tl_template_free(two);
}

/* tl_template_new_taking writes its inserts from the tree it took and the
 * caller's text (kept for the model's life), not from a copy: the same
 * texts as a model that copies, for every section, REPEAT and table; also
 * after its tree was shed, when two threads ask at once and it is parsed
 * again. */
static char *fts_dump_inserts(const tl_template *t) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  tl_template_dump_inserts(t, f);
  fclose(f);
  return buf;
}

static void test_template_inserts_from_a_taken_tree(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp("../shared/seed/infrastructure-architecture-tmpl.md", &len);
  assert_non_null(text);
  gr_tree *tree = gr_parse(text, len, NULL), *one = gr_parse(text, len, NULL), *two = gr_parse(text, len, NULL);
  tl_template *copy = tl_template_new(tree);
  gr_tree_free(tree);
  tl_template *on = tl_template_new_taking(one), *shed = tl_template_new_taking(two);
  assert_ptr_equal(tl_template_tree(on), one); /* the tree it took */
  assert_ptr_equal(tl_template_tree(shed), two);
  assert_true(tl_template_shed_tree(shed));
  assert_false(tl_template_shed_tree(shed));
  fts_asker a = {shed, {0}}, b = {shed, {0}};
  pthread_t ta, tb;
  assert_int_equal(pthread_create(&ta, NULL, fts_ask_all, &a), 0);
  assert_int_equal(pthread_create(&tb, NULL, fts_ask_all, &b), 0);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  char *want = fts_dump_inserts(copy), *got = fts_dump_inserts(on);
  assert_non_null(strstr(want, "insert repeat 0 \""));
  assert_string_equal(got, want);
  free(got);
  got = fts_dump_inserts(shed);
  assert_string_equal(got, want);
  assert_int_equal(a.got.len, 2 * tl_template_section_count(shed));
  for (size_t k = 0; k < a.got.len; k++) assert_ptr_equal(a.got.items[k], b.got.items[k]);
  /* parsed again: the same tree */
  assert_int_equal(gr_tree_count(tl_template_tree(shed)), gr_tree_count(tl_template_tree(on)));
  assert_ptr_equal(gr_tree_text(tl_template_tree(shed)), text);
  /* a copying model parses its own copy when asked */
  assert_ptr_not_equal(gr_tree_text(tl_template_tree(copy)), text);
  assert_int_equal(gr_tree_count(tl_template_tree(copy)), gr_tree_count(tl_template_tree(on)));
  free(got);
  free(want);
  gr_array_free(&a.got);
  gr_array_free(&b.got);
  tl_template_free(copy);
  tl_template_free(on);
  tl_template_free(shed);
  free(text); /* after the models that borrow it */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_template_inserts_on_first_use),
      cmocka_unit_test(test_template_inserts_from_a_taken_tree),
      cmocka_unit_test(test_template_small_dump),
      cmocka_unit_test(test_template_small_fields),
      cmocka_unit_test(test_template_guidance_is_not_structure),
      cmocka_unit_test(test_template_output_forms),
      cmocka_unit_test(test_template_output_match),
      cmocka_unit_test(test_template_heading_match),
      cmocka_unit_test(test_template_inserts),
      cmocka_unit_test(test_template_pattern_bounded),
      cmocka_unit_test(test_template_pathological),
      cmocka_unit_test(test_template_files),
      cmocka_unit_test(test_template_name_caps),
      cmocka_unit_test(test_template_seed),
      cmocka_unit_test(test_template_corpus),
  };
  return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
