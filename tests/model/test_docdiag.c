/*
 * test_docdiag.c: document diagnostics (server/model/docdiag.c) and the
 * section alignment they rest on (document.c): leftovers, every
 * false-positive trap of other languages' {{ }}, missing sections with
 * their insertion offsets, REPEAT and CONDITION sections, order, a
 * document without a template, and the seed template against a partly
 * written infrastructure document.
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
#include "server/model/docdiag.h"
#include "server/model/document.h"
#include "server/model/source.h"
#include "server/model/template.h"
#include "server/model/workspace.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"
#define LUMEN "tests/model/data/lumen-infrastructure-architecture.md"

/* A document checked against an optional template. */
typedef struct fixture {
  gr_tree *doc_tree, *tmpl_tree;
  tl_template *tmpl;
  tl_document *doc;
  tl_docdiag_list *diags;
} fixture;

static void fixture_open(fixture *f, const char *doc, size_t doc_len, const char *tmpl,
                         size_t tmpl_len) {
  memset(f, 0, sizeof *f);
  if (tmpl) {
    f->tmpl_tree = gr_parse(tmpl, tmpl_len, NULL);
    f->tmpl = tl_template_new(f->tmpl_tree);
  }
  gr_options mode = {0, 0, GR_MODE_DOCUMENT}; /* a document is read as it renders */
  f->doc_tree = gr_parse(doc, doc_len, &mode);
  f->doc = tl_document_new(f->doc_tree, f->tmpl);
  f->diags = tl_docdiag_run(f->doc);
}

static void fixture_open_str(fixture *f, const char *doc, const char *tmpl) {
  fixture_open(f, doc, strlen(doc), tmpl, tmpl ? strlen(tmpl) : 0);
}

static void fixture_close(fixture *f) {
  tl_docdiag_free(f->diags);
  tl_document_free(f->doc);
  tl_template_free(f->tmpl);
  gr_tree_free(f->tmpl_tree);
  gr_tree_free(f->doc_tree);
}

/* One line a diagnostic: code severity start-end "text" [name=] [ts=] [extra=]. */
static char *render(const fixture *f) {
  fts_str b = {0};
  const char *text = gr_tree_text(f->doc_tree);
  for (size_t i = 0; i < f->diags->len; i++) {
    const tl_docdiag *d = &f->diags->items[i];
    fts_cat(&b, "%s %d %u-%u ", tl_docdiag_code_name(d->code), (int)d->severity, d->span.start,
            d->span.end);
    fts_cat_quoted(&b, text + d->span.start, d->span.end - d->span.start);
    if (d->name) fts_cat(&b, " name=%s", d->name);
    if (d->tsection != TL_NONE) fts_cat(&b, " ts=%u", d->tsection);
    if (d->extra.end > d->extra.start) fts_cat(&b, " extra=%u-%u", d->extra.start, d->extra.end);
    fts_cat(&b, "\n");
  }
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

typedef struct diag_case {
  const char *name, *doc, *tmpl, *want;
} diag_case;

static void run_cases(const diag_case *cases, size_t n) {
  for (size_t i = 0; i < n; i++) {
    fixture f;
    fixture_open_str(&f, cases[i].doc, cases[i].tmpl);
    char *got = render(&f);
    fixture_close(&f);
    fts_expect(cases[i].name, got, cases[i].want);
    gr_free(got);
  }
}

/* ---- unfilled placeholders and the traps -------------------------------- */

static void test_docdiag_unfilled_placeholder(void **state) {
  (void)state;
  static const diag_case cases[] = {
      {"prose", "Written by {{author}}.\n", NULL,
       "unfilled-placeholder 2 11-21 \"{{author}}\" name=author\n"},
      {"heading", "## {{environment_name}} Environment\n", NULL,
       "unfilled-placeholder 2 3-23 \"{{environment_name}}\" name=environment_name\n"},
      {"list", "- **Purpose:** {{environment_purpose}}\n", NULL,
       "unfilled-placeholder 2 15-38 \"{{environment_purpose}}\" name=environment_purpose\n"},
      {"table", "| a | b |\n|---|---|\n| {{x}} | 1 |\n", NULL,
       "unfilled-placeholder 2 22-27 \"{{x}}\" name=x\n"},
      {"free text name", "{{Key news, releases}}\n", NULL,
       "unfilled-placeholder 2 0-22 \"{{Key news, releases}}\" name=Key news, releases\n"},
      {"BMAD choice list looks like a pipe but is not a filter", "Risk: {{high | med | low}}\n",
       NULL, "unfilled-placeholder 2 6-26 \"{{high | med | low}}\" name=high | med | low\n"},
      {"spaces inside braces are still a placeholder in prose", "Hi {{ user_name }}!\n", NULL,
       "unfilled-placeholder 2 3-18 \"{{ user_name }}\" name=user_name\n"},
      {"two on a line", "{{a}}.{{b}}\n", NULL,
       "unfilled-placeholder 2 0-5 \"{{a}}\" name=a\nunfilled-placeholder 2 6-11 \"{{b}}\" name=b\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Other languages' {{ }}: never an unfilled placeholder (no template). */
static void test_docdiag_foreign_syntax_not_reported(void **state) {
  (void)state;
  static const diag_case cases[] = {
      {"github actions in prose", "Use ${{ secrets.TOKEN }} here.\n", NULL, ""},
      {"github actions in a workflow",
       "```yaml\nsteps:\n  - run: echo ${{ secrets.ECR_PASSWORD }} ${{ github.ref_name }}\n```\n",
       NULL, ""},
      {"helm value in prose", "Set {{ .Values.image.tag }} first.\n", NULL, ""},
      {"helm in a fence", "```yaml\ntag: {{ .Values.image.tag | default .Chart.AppVersion }}\n```\n",
       NULL, ""},
      {"go trim markers", "{{- include \"x\" . }} and {{ y -}} and {{-z-}}\n", NULL, ""},
      {"jinja filter", "Hello {{ name | upper }} and {{ x|default('a') }}\n", NULL, ""},
      {"jinja statement", "{% if user %}Hi{% endif %}\n", NULL, ""},
      {"jinja dotted path", "Dear {{ user.name }},\n", NULL, ""},
      {"handlebars blocks",
       "{{#each items}}- {{this}} {{@index}}{{/each}} {{> card}} {{! note}} {{^empty}}\n", NULL, ""},
      {"go actions", "{{ if .Ready }}ok{{ else }}no{{ end }} {{ range $i, $v := .Items }}\n", NULL,
       ""},
      {"go variable", "{{ $x }}\n", NULL, ""},
      {"triple stash", "{{{body}}}\n", NULL, ""},
      {"mermaid hexagon", "```mermaid\ngraph TD\n  A{{Label}} --> Gateway{{API Gateway}}\n```\n",
       NULL, ""},
      {"i18n in json code", "```json\n{\"msg\": \"{{count}} items\"}\n```\n", NULL, ""},
      {"inline code", "Templates use `{{name}}` placeholders.\n", NULL, ""},
      {"front matter", "---\ntitle: \"{{ site.title }}\"\nslug: {{slug}}\n---\n# Doc\n", NULL, ""},
      {"html comment", "<!-- {{todo}} -->\n", NULL, ""},
      {"tilde fence", "~~~\n{{anything}}\n~~~\n", NULL, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* The template decides what counts in code, and overrides the soft rules. */
static void test_docdiag_placeholder_against_template(void **state) {
  (void)state;
  static const char tmpl[] =
      "# {{Project Name}} Setup\n"
      "## Install\n"
      "```bash\n"
      "cd {{project-root}}\n"
      "```\n"
      "Budget: {{$X}}\n"
      "## Other\n"
      "Text.\n";
  static const diag_case cases[] = {
      {"same name in code in the same section",
       "# Lumen Setup\n## Install\n```bash\ncd {{project-root}}\n```\n", tmpl,
       "unfilled-placeholder 2 36-52 \"{{project-root}}\" name=project-root\n"
       "missing-section 3 57-57 \"\" name=Other ts=2\n"},
      {"same name in code elsewhere",
       "# Lumen Setup\n## Install\nDone.\n## Other\n```bash\ncd {{project-root}}\n```\n", tmpl,
       ""},
      {"other names in code", "# Lumen Setup\n## Install\n```json\n{\"a\": \"{{count}}\"}\n```\n## Other\n",
       tmpl, ""},
      {"mermaid still never", "# Lumen Setup\n## Install\n```\nA{{project-root}}\n```\n## Other\n",
       tmpl, ""},
      {"template name beats the soft rules", "# Lumen Setup\n## Install\nBudget: {{$X}}\n## Other\n",
       tmpl, "unfilled-placeholder 2 33-39 \"{{$X}}\" name=$X\n"},
      {"without the template it is a Go variable", "# Lumen Setup\n## Install\nBudget: {{$X}}\n",
       NULL, ""},
      {"hard rules beat the template",
       "# Lumen Setup\n## Install\n```bash\ncd ${{project-root}}\n```\n## Other\n", tmpl, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* ---- leftovers ---------------------------------------------------------- */

static void test_docdiag_leftovers(void **state) {
  (void)state;
  static const diag_case cases[] = {
      {"instruction", "Text.\n[[LLM: Ask the user.]]\n", NULL,
       "leftover-instruction 1 6-28 \"[[LLM: Ask the user.]]\"\n"},
      {"example block", "@{example: cloud}\n- AWS\n@{/example}\n", NULL,
       "leftover-example 1 0-35 \"@{example: cloud}\\n- AWS\\n@{/example}\"\n"},
      {"inline example", "@{example: - NFR1: stay in the free tier.}\n", NULL,
       "leftover-example 1 0-42 \"@{example: - NFR1: stay in the free tier.}\"\n"},
      {"repeat markers", "<<REPEAT: environment>>\n### Staging\n<</REPEAT>>\n", NULL,
       "leftover-markup 2 0-23 \"<<REPEAT: environment>>\" extra=36-47\n"},
      {"condition markers", "^^CONDITION: k8s^^\nText\n^^/CONDITION: k8s^^\n", NULL,
       "leftover-markup 2 0-18 \"^^CONDITION: k8s^^\" extra=24-43\n"},
      {"critical rule tags", "<critical_rule>Test DR quarterly.</critical_rule>\n", NULL,
       "leftover-markup 2 0-15 \"<critical_rule>\" extra=33-49\n"},
      {"unclosed repeat: the closer is empty", "<<REPEAT: env>>\nText\n", NULL,
       "leftover-markup 2 0-15 \"<<REPEAT: env>>\"\n"},
      {"inside an instruction only the instruction",
       "[[LLM: fill {{x}} <critical_rule>r</critical_rule> @{example: e}]]\n", NULL,
       "leftover-instruction 1 0-66 \"[[LLM: fill {{x}} <critical_rule>r</critical_rule> @{example: e}]]\"\n"},
      {"inside an example only the example",
       "@{example}\n[[LLM: x]] {{y}} <<REPEAT: z>><</REPEAT>>\n@{/example}\n", NULL,
       "leftover-example 1 0-64 \"@{example}\\n[[LLM: x]] {{y}} <<REPEAT: z>><</REPEAT>>\\n@{/example}\"\n"},
      {"quoted in code: not reported",
       "Write `[[LLM: x]]` or\n```md\n[[LLM: y]]\n@{example: z}\n<<REPEAT: r>>\n<</REPEAT>>\n```\n",
       NULL, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_docdiag_messages(void **state) {
  (void)state;
  static const char doc[] =
      "# A\n"
      "{{x}}\n"
      "[[LLM: Review the product requirements document to understand business needs and scale.]]\n"
      "@{example: cloud_strategy}\nx\n@{/example}\n"
      "@{example: - inline}\n"
      "<<REPEAT: environment>>\n<</REPEAT>>\n"
      "^^CONDITION: k8s^^\n^^/CONDITION: k8s^^\n"
      "<critical_rule>r</critical_rule>\n"
      "## C\n"
      "## B\n";
  static const char tmpl[] =
      "# A\n{{x}}\n## B\n## C\n<<REPEAT: environment>>\n### {{env}} Environment\n<</REPEAT>>\n## D\n";
  fixture f;
  fixture_open_str(&f, doc, tmpl);
  static const char *want[] = {
      "Unfilled placeholder {{x}}: replace it with the document's content",
      "LLM instruction left in the document: \"Review the product requirements document to "
      "understand busin...\"",
      "Example 'cloud_strategy' left in the document: examples are guidance, never output",
      "Inline example left in the document: \"- inline\"",
      "REPEAT markers left in the document (environment): keep the content, remove the markers",
      "CONDITION markers left in the document (k8s): keep the content if it applies, remove the "
      "markers",
      "<critical_rule> tags left in the document",
      "Section \"C\" is out of the template's order: it belongs after \"B\"",
      "Missing section \"### {{env}} Environment\" (repeated block 'environment': add at least one)",
      "Missing section \"## D\" from the template",
  };
  assert_int_equal(f.diags->len, sizeof want / sizeof want[0]);
  for (size_t i = 0; i < f.diags->len; i++) assert_string_equal(f.diags->items[i].message, want[i]);
  /* codes, names and severities are the stable contract */
  assert_string_equal(tl_docdiag_code_name(TL_DD_UNFILLED_PLACEHOLDER), "unfilled-placeholder");
  assert_string_equal(tl_docdiag_code_name(TL_DD_SECTION_ORDER), "section-order");
  assert_int_equal(tl_docdiag_code_severity(TL_DD_LEFTOVER_INSTRUCTION), GR_SEV_ERROR);
  assert_int_equal(tl_docdiag_code_severity(TL_DD_LEFTOVER_EXAMPLE), GR_SEV_ERROR);
  assert_int_equal(tl_docdiag_code_severity(TL_DD_LEFTOVER_MARKUP), GR_SEV_WARNING);
  assert_int_equal(tl_docdiag_code_severity(TL_DD_MISSING_SECTION), GR_SEV_INFORMATION);
  assert_int_equal(tl_docdiag_code_severity(TL_DD_SECTION_ORDER), GR_SEV_HINT);
  assert_string_equal(tl_docdiag_code_name(TL_DD_CODE_COUNT), "unknown");
  fixture_close(&f);
}

/* Without a template: the first four codes only, whatever the headings. */
static void test_docdiag_no_template(void **state) {
  (void)state;
  static const diag_case cases[] = {
      {"no template",
       "## Later\n# Title {{name}}\n[[LLM: x]]\n@{example: y}\n<critical_rule>z</critical_rule>\n",
       NULL,
       "unfilled-placeholder 2 17-25 \"{{name}}\" name=name\n"
       "leftover-instruction 1 26-36 \"[[LLM: x]]\"\n"
       "leftover-example 1 37-50 \"@{example: y}\"\n"
       "leftover-markup 2 51-66 \"<critical_rule>\" extra=67-83\n"},
      {"clean document", "# Lumen\n\n## Overview\n\nAll written.\n", NULL, ""},
      {"empty document", "", NULL, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* ---- sections ----------------------------------------------------------- */

static const char env_tmpl[] =
    "# {{Project}} Plan\n"
    "## Environments\n"
    "<<REPEAT: environment>>\n"
    "### {{environment_name}} Environment\n"
    "#### Access\n"
    "<</REPEAT>>\n"
    "## Network\n"
    "^^CONDITION: uses_mesh^^\n"
    "### Service Mesh\n"
    "<<REPEAT: mesh_zone>>\n"
    "#### Zone {{z}}\n"
    "<</REPEAT>>\n"
    "^^/CONDITION: uses_mesh^^\n"
    "## Closing\n";

static void test_docdiag_repeat_and_condition(void **state) {
  (void)state;
  static const diag_case cases[] = {
      {"a REPEAT section three times, conditional section absent",
       "# Lumen Plan\n## Environments\n"
       "### Dev Environment\n#### Access\n"
       "### Staging Environment\n#### Access\n"
       "### Production Environment\n#### Access\n"
       "## Network\n## Closing\n",
       env_tmpl, ""},
      {"a REPEAT section absent: missing once, its subsection not reported",
       "# Lumen Plan\n## Environments\nNone yet.\n## Network\n## Closing\n", env_tmpl,
       "missing-section 3 39-39 \"\" name={{environment_name}} Environment ts=2\n"},
      {"a conditional section present, its REPEAT absent: optional, no report",
       "# Lumen Plan\n## Environments\n### Dev Environment\n#### Access\n## Network\n"
       "### Service Mesh\n## Closing\n",
       env_tmpl, ""},
      {"a conditional REPEAT present twice",
       "# Lumen Plan\n## Environments\n### Dev Environment\n#### Access\n## Network\n"
       "### Service Mesh\n#### Zone A\n#### Zone B\n## Closing\n",
       env_tmpl, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);

  /* occurrences and the alignment itself */
  fixture f;
  fixture_open_str(&f, cases[0].doc, env_tmpl);
  assert_int_equal(tl_document_occurrences(f.doc, 2), 3);
  assert_int_equal(tl_document_occurrences(f.doc, 3), 3);
  assert_int_equal(tl_document_occurrences(f.doc, 0), 1);
  assert_int_equal(tl_document_occurrences(f.doc, 5), 0);
  assert_int_equal(tl_document_occurrences(f.doc, 99), 0);
  static const uint32_t want_ts[] = {0, 1, 2, 3, 2, 3, 2, 3, 4, 7};
  assert_int_equal(tl_document_section_count(f.doc), 10);
  for (uint32_t i = 0; i < 10; i++) {
    const tl_dsection *s = tl_document_section(f.doc, i);
    assert_int_equal(s->tsection, want_ts[i]);
    assert_true(s->in_order);
  }
  assert_int_equal(tl_document_section(f.doc, 4)->parent, 1);
  assert_int_equal(tl_document_section(f.doc, 5)->parent, 4);
  assert_null(tl_document_section(f.doc, 10));
  fixture_close(&f);
}

/* Where a missing section would go: an empty span at the insertion offset,
 * written here as the text that follows it ("" = the end). */
typedef struct insert_case {
  const char *name, *doc;
  const char *before[4]; /* per missing section, in template order */
  uint32_t ts[4];
  size_t count;
} insert_case;

static void test_document_missing_insertion(void **state) {
  (void)state;
  static const char tmpl[] =
      "# {{P}} Doc\n"
      "## A\n"
      "### A1\n"
      "### A2\n"
      "## B\n"
      "## C\n";
  static const insert_case cases[] = {
      {"sibling after the previous present one", "# X Doc\n## A\n### A1\n## B\n## C\n",
       {"## B\n"}, {3}, 1},
      {"first child of a present parent: before its later child",
       "# X Doc\n## A\nintro\n### A2\n## B\n## C\n", {"### A2\n"}, {2}, 1},
      {"children of a present parent with none present: at its end",
       "# X Doc\n## A\nintro\n## B\n## C\n", {"## B\n", "## B\n"}, {2, 3}, 2},
      {"after a deeper section: climb out of it", "# X Doc\n## A\n### A1\n### A2\n#### extra\n## C\n",
       {"## C\n"}, {4}, 1},
      {"a missing parent hides its children", "# X Doc\n## B\n## C\n", {"## B\n"}, {1}, 1},
      {"the title missing: before the first match, its sections still reported",
       "Intro.\n## A\n### A1\n### A2\n## C\n", {"## A\n", "## C\n"}, {0, 4}, 2},
      {"nothing matches: everything at the end", "Just text.\n", {"", "", "", ""}, {0, 1, 4, 5}, 4},
      {"last section missing: the end", "# X Doc\n## A\n### A1\n### A2\n## B\n", {""}, {5}, 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const insert_case *c = &cases[i];
    fixture f;
    fixture_open_str(&f, c->doc, tmpl);
    if (tl_document_missing_count(f.doc) != c->count)
      fail_msg("%s: %u missing, want %zu", c->name, tl_document_missing_count(f.doc), c->count);
    for (size_t k = 0; k < c->count; k++) {
      const tl_doc_missing *m = tl_document_missing(f.doc, (uint32_t)k);
      size_t want = c->before[k][0] ? (size_t)(strstr(c->doc, c->before[k]) - c->doc) : strlen(c->doc);
      if (m->tsection != c->ts[k] || m->offset != want)
        fail_msg("%s: missing %zu is ts=%u at %u, want ts=%u at %zu", c->name, k, m->tsection,
                 m->offset, c->ts[k], want);
    }
    assert_null(tl_document_missing(f.doc, (uint32_t)c->count));
    fixture_close(&f);
  }
}

/* A "## X" inside a block that stands in "## A" is A's sibling: with A
 * missing it is still reported (it used to hide behind A). */
static void test_document_block_sections_are_siblings(void **state) {
  (void)state;
  static const char tmpl[] =
      "# {{P}} Brief\n"
      "## Purpose\n"
      "<<REPEAT: env>>\n"
      "## {{env}} Environment\n"
      "<</REPEAT>>\n"
      "## Operations\n";
  static const diag_case cases[] = {
      {"title only", "# B Brief\n", tmpl,
       "missing-section 3 10-10 \"\" name=Purpose ts=1\n"
       "missing-section 3 10-10 \"\" name={{env}} Environment ts=2\n"
       "missing-section 3 10-10 \"\" name=Operations ts=3\n"},
      {"title and purpose", "# B Brief\n## Purpose\n", tmpl,
       "missing-section 3 21-21 \"\" name={{env}} Environment ts=2\n"
       "missing-section 3 21-21 \"\" name=Operations ts=3\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
  fixture f;
  fixture_open_str(&f, "# B Brief\n", tmpl);
  assert_int_equal(tl_template_section(f.tmpl, 2)->parent, 0);
  fixture_close(&f);
}

static void test_document_section_order(void **state) {
  (void)state;
  static const char tmpl[] = "# Doc\n## A\n## B\n## C\n## D\n";
  static const diag_case cases[] = {
      {"one moved late", "# Doc\n## B\n## C\n## D\n## A\n", tmpl,
       "section-order 4 21-25 \"## A\" name=B ts=1\n"},
      {"two swapped", "# Doc\n## A\n## C\n## B\n## D\n", tmpl,
       "section-order 4 11-15 \"## C\" name=B ts=3\n"},
      {"extra sections do not count", "# Doc\n## A\n## Notes\n## B\n## Extra\n## C\n## D\n", tmpl,
       ""},
      {"in order with gaps", "# Doc\n## A\n## D\n", tmpl,
       "missing-section 3 11-11 \"\" name=B ts=2\nmissing-section 3 11-11 \"\" name=C ts=3\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
}

/* Same heading text under different parents: the parent decides. */
static void test_document_parent_disambiguates(void **state) {
  (void)state;
  static const char tmpl[] =
      "# Doc\n## Frontend\n### Testing\n## Backend\n### Testing\n## {{Extra}}\n### Notes\n";
  static const char doc[] =
      "# Doc\n## Frontend\n## Backend\n### Testing\n## Appendix\n### Notes\n## Frontend\n";
  fixture f;
  fixture_open_str(&f, doc, tmpl);
  static const uint32_t want_ts[] = {0, 1, 3, 4, 5, 6, TL_NONE};
  assert_int_equal(tl_document_section_count(f.doc), 7);
  for (uint32_t i = 0; i < 7; i++) {
    const tl_dsection *s = tl_document_section(f.doc, i);
    if (s->tsection != want_ts[i]) fail_msg("section %u: ts=%u, want %u", i, s->tsection, want_ts[i]);
  }
  assert_int_equal(tl_document_section(f.doc, 4)->literal, 0); /* "{{Extra}}" by wildcard */
  assert_int_equal(tl_document_section(f.doc, 3)->literal, 7);
  /* the first "### Testing" (under Frontend) is what is missing */
  assert_int_equal(tl_document_missing_count(f.doc), 1);
  assert_int_equal(tl_document_missing(f.doc, 0)->tsection, 2);
  /* where the cursor is */
  uint32_t at = (uint32_t)(strstr(doc, "### Testing") - doc) + 5;
  assert_int_equal(tl_document_section_at(f.doc, at), 3);
  assert_int_equal(tl_document_tsection_at(f.doc, at), 4);
  uint32_t dup = (uint32_t)(strrchr(doc, '#') - doc);
  assert_int_equal(tl_document_section_at(f.doc, dup), 6);
  assert_int_equal(tl_document_tsection_at(f.doc, dup), 0); /* unmatched: its parent's */
  assert_int_equal(tl_document_section_at(f.doc, (uint32_t)strlen(doc)), 6);
  fixture_close(&f);

  /* a wildcard-only heading needs its parent to agree */
  fixture_open_str(&f, "# Doc\n## Frontend\n### Whatever\n", "# Doc\n## Frontend\n## Backend\n### {{x}}\n");
  assert_int_equal(tl_document_section(f.doc, 2)->tsection, TL_NONE);
  fixture_close(&f);
  fixture_open_str(&f, "# Doc\n## Backend\n### Whatever\n", "# Doc\n## Frontend\n## Backend\n### {{x}}\n");
  assert_int_equal(tl_document_section(f.doc, 2)->tsection, 3);
  fixture_close(&f);
}

static void test_document_score(void **state) {
  (void)state;
  fixture f;
  fixture_open_str(&f, "# Lumen Plan\n## Environments\n### Dev Environment\n#### Access\n##### Deep\n## Mine\n",
                   env_tmpl);
  tl_doc_score sc = tl_document_score(f.doc);
  assert_int_equal(sc.doc_sections, 5);      /* "#####" is deeper than the template goes */
  assert_int_equal(sc.template_sections, 6); /* 8 sections, 2 in the CONDITION */
  assert_int_equal(sc.matched, 4);
  assert_int_equal(sc.matched_doc, 4);
  assert_int_equal(sc.title, 1);
  fixture_close(&f);
  fixture_open_str(&f, "# Lumen\n", NULL);
  sc = tl_document_score(f.doc);
  assert_int_equal(sc.doc_sections, 1);
  assert_int_equal(sc.matched, 0);
  assert_null(tl_document_template(f.doc));
  assert_int_equal(tl_document_missing_count(f.doc), 0);
  assert_int_equal(tl_document_tsection_at(f.doc, 0), TL_NONE);
  fixture_close(&f);
}

/* ---- the seed template against a document in progress ------------------- */

static void test_docdiag_seed_document(void **state) {
  (void)state;
  size_t tlen, dlen;
  char *tmpl = ts_slurp(SEED, &tlen);
  char *doc = ts_slurp(LUMEN, &dlen);
  assert_non_null(tmpl);
  assert_non_null(doc);
  fixture f;
  fixture_open(&f, doc, dlen, tmpl, tlen);
  char *got = render(&f);
  fts_expect("lumen", got,
             "unfilled-placeholder 2 2009-2035 \"{{environment_data_class}}\" name=environment_data_class\n"
             "leftover-example 1 5656-5948 \"@{example: responsibility_matrix}\\n\\n| Component | Cloud "
             "Provider | Platform Team | Dev Team | Security Team |\\n|-----------|---------------|------"
             "---------|----------|---------------|\\n| Physical Security | \xe2\x9c\x93 | - | - | Audit "
             "|\\n| Network Security | Partial | \xe2\x9c\x93 | Config | Audit |\\n\\n@{/example}\"\n"
             "section-order 4 5950-5967 \"## CI/CD Pipeline\" name=Monitoring & Observability ts=14\n"
             "missing-section 3 7318-7318 \"\" name=Disaster Recovery ts=16\n"
             "leftover-instruction 1 7340-7482 \"[[LLM: Balance cost efficiency with performance and "
             "reliability requirements. Include both immediate optimizations and long-term "
             "strategies.]]\"\n");
  gr_free(got);
  /* the insertion point is after Monitoring & Observability, the nearest
   * preceding sibling in order (CI/CD Pipeline, out of order, is passed
   * over): right before "## Cost Optimization" */
  assert_memory_equal(doc + 7318, "## Cost Optimization", 20);
  /* two environments of the REPEAT, Kubernetes present, Service Mesh and
   * Progressive Deployment absent: no diagnostic for either */
  assert_int_equal(tl_document_occurrences(f.doc, 4), 2);
  assert_int_equal(tl_document_occurrences(f.doc, 9), 1);
  assert_int_equal(tl_document_occurrences(f.doc, 7), 0);
  assert_int_equal(tl_document_occurrences(f.doc, 15), 0);
  /* the cursor in "### Staging Environment" is in the REPEAT's section */
  uint32_t at = (uint32_t)(strstr(doc, "Staging Environment") - doc);
  assert_int_equal(tl_document_tsection_at(f.doc, at), 4);
  fixture_close(&f);
  gr_free(tmpl);
  gr_free(doc);
}


/* ---- telling the writer: heading-differs, section-order's place ---------- */

static void test_docdiag_heading_differs(void **state) {
  (void)state;
  static const char tmpl[] = "# {{P}} Plan\n## Overview\n## Infrastructure as Code (IaC)\n## Next Steps\n";
  static const diag_case cases[] = {
      {"words in common: hinted; the rename keeps the numbering and the emphasis marks",
       "# Lumen Plan\n## Overview\n## **2\\. Infrastructure as Code**\n## Next Steps\n", tmpl,
       "heading-differs 4 28-58 \"**2\\\\. Infrastructure as Code**\" name=Infrastructure as Code (IaC) ts=2 "
       "extra=34-56\n"},
      {"case only: hinted", "# Lumen Plan\n## Overview\n## Infrastructure as Code (IaC)\n## Next steps\n", tmpl,
       "heading-differs 4 60-70 \"Next steps\" name=Next Steps ts=3 extra=60-70\n"},
      {"numbering, emphasis and emoji only: no hint",
       "# Lumen Plan\n## 1. Overview\n## \xF0\x9F\x9A\x80 Infrastructure as Code (IaC)\n## **Next Steps**\n", tmpl,
       ""},
      {"a pattern heading is never hinted", "# lumen plan\n## Overview\n## Infrastructure as Code (IaC)\n## Next Steps\n",
       tmpl, ""},
  };
  run_cases(cases, sizeof cases / sizeof cases[0]);
  fixture f;
  fixture_open_str(&f, cases[0].doc, tmpl);
  assert_string_equal(f.diags->items[0].message,
                      "Heading \"**2\\. Infrastructure as Code**\" differs from the template's \"Infrastructure as "
                      "Code (IaC)\"");
  fixture_close(&f);
}

static void test_docdiag_section_order_place(void **state) {
  (void)state;
  static const char tmpl[] = "# Doc\n## A\n## B\n### B1\n## C\n";
  static const char doc[] = "# Doc\n## A\n## C\nc\n## B\n### B1\nb1\n";
  fixture f;
  fixture_open_str(&f, doc, tmpl);
  assert_int_equal(f.diags->len, 1);
  const tl_docdiag *d = &f.diags->items[0];
  assert_int_equal(d->code, TL_DD_SECTION_ORDER);
  assert_string_equal(d->message, "Section \"C\" is out of the template's order: it belongs after \"B\"");
  assert_string_equal(d->name, "B");
  assert_int_equal(d->extra.start, strlen(doc)); /* B's end, after its B1 */
  assert_int_equal(d->extra.end, strlen(doc));
  fixture_close(&f);
}

/* ---- from the association: no-template, unknown-template, mismatch ------ */

#define PLAN_TMPL                                                                                 \
  "# {{Project}} Plan\n## Overview\n## Goals\n## Risks\n## Budget\n## Timeline\n## Team\n"       \
  "## Next Steps\n"

static char *assoc_render(const char *path, const char *doc) {
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "templates/plan-tmpl.md", PLAN_TMPL, strlen(PLAN_TMPL));
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_assoc *a = tl_assoc_find(ws, path, tree, NULL);
  tl_document *d = tl_document_new(tree, a->template != TL_NONE ? tl_workspace_template(ws, a->template) : NULL);
  tl_docdiag_list *l = tl_docdiag_assoc(d, a);
  fts_str b = {0};
  for (size_t i = 0; i < l->len; i++) {
    const tl_docdiag *x = &l->items[i];
    fts_cat(&b, "%s %d %u-%u", tl_docdiag_code_name(x->code), (int)x->severity, x->span.start, x->span.end);
    if (x->name) fts_cat(&b, " name=%s", x->name);
    fts_cat(&b, ": %s\n", x->message);
  }
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  tl_docdiag_free(l);
  tl_document_free(d);
  tl_assoc_free(a);
  gr_tree_free(tree);
  tl_workspace_free(ws);
  return out;
}

static void test_docdiag_association(void **state) {
  (void)state;
  static const struct {
    const char *name, *path, *doc, *want;
  } cases[] = {
      {"near a template: told which, and how near", "docs/plan.md",
       "## Overview\n\n## Goals\n\n## Glossary\n",
       "no-template 3 0-11 name=templates/plan-tmpl.md: No template matches this document; the closest is "
       "templates/plan-tmpl.md (score 0.40, needs 0.50)\n"},
      {"above the threshold with too few sections", "docs/plan.md", "## Overview\n\n## Goals\n",
       "no-template 3 0-11 name=templates/plan-tmpl.md: No template matches this document; the closest is "
       "templates/plan-tmpl.md (score 0.57, needs 0.50 with 3 sections in order; 2 match)\n"},
      {"a README sharing one heading: nothing", "README.md",
       "# Lumen\n\n## Install\n\n## Usage\n\n## Overview\n\n## License\n", ""},
      {"two generic headings among many of its own: below the floor, nothing", "README.md",
       "# Lumen\n## Install\n## Usage\n## Overview\n## API\n## FAQ\n## Goals\n## License\n## Credits\n", ""},
      {"a marker naming nothing: the paths tried", "docs/plan.md",
       "<!-- tmpl-ls: template=../templates/plam-tmpl.md -->\n## Overview\n\n## Goals\n",
       "unknown-template 2 0-52 name=../templates/plam-tmpl.md: The marker names the template "
       "../templates/plam-tmpl.md, which is not found or cannot be read (tried templates/plam-tmpl.md, "
       "../templates/plam-tmpl.md)\n"},
      {"a marker naming the template: nothing", "docs/plan.md",
       "<!-- tmpl-ls: template=../templates/plan-tmpl.md -->\n# Lumen Plan\n## Overview\n", ""},
      {"the template named, the document its own: one mismatch", "docs/plan.md",
       "<!-- tmpl-ls: template=../templates/plan-tmpl.md -->\n# Lumen Plan\n## Intro\n## Ideas\n## Overview\n"
       "## Questions\n",
       "template-mismatch 3 0-52: This document does not seem to follow templates/plan-tmpl.md: 1 of its 7 "
       "sections are here, so missing sections are not listed\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char *got = assoc_render(cases[i].path, cases[i].doc);
    fts_expect(cases[i].name, got, cases[i].want);
    gr_free(got);
  }
}

/* ---- invariants over the corpus and generated garbage ------------------- */

/* Every corpus template read as a document of itself: each section matches
 * itself, in order, and nothing is missing. */
static void self_one(const char *name, const fts_doc *doc, void *ud) {
  size_t *bad = ud;
  tl_template *t = tl_template_new(doc->tree);
  tl_document *d = tl_document_new(doc->tree, t);
  if (tl_document_section_count(d) != tl_template_section_count(t) || tl_document_missing_count(d)) {
    print_error("%s: %u sections for %u, %u missing\n", name, tl_document_section_count(d),
                tl_template_section_count(t), tl_document_missing_count(d));
    (*bad)++;
  }
  for (uint32_t i = 0; i < tl_document_section_count(d); i++) {
    const tl_dsection *s = tl_document_section(d, i);
    if (s->tsection != i || !s->in_order) {
      print_error("%s: section %u matched %u (in order: %d)\n", name, i, s->tsection, s->in_order);
      (*bad)++;
    }
  }
  tl_document_free(d);
  tl_template_free(t);
}

static void test_document_corpus_self(void **state) {
  (void)state;
  size_t bad = 0;
  assert_true(fts_corpus_each(self_one, &bad) >= 140);
  assert_int_equal(bad, 0);
}

typedef struct inv_state {
  const tl_template *seed;
  size_t bad, diags;
} inv_state;

static void check_list(inv_state *st, const char *name, const fts_doc *doc, const tl_template *t) {
  tl_document *d = tl_document_new(doc->tree, t);
  tl_docdiag_list *l = tl_docdiag_run(d);
  uint32_t len = gr_tree_len(doc->tree);
  for (size_t i = 0; i < l->len; i++) {
    const tl_docdiag *x = &l->items[i];
    int ok = x->span.start <= x->span.end && x->span.end <= len && x->extra.start <= x->extra.end &&
             x->extra.end <= len && x->severity == tl_docdiag_code_severity(x->code) && x->message &&
             fts_utf8_valid(x->message, strlen(x->message)) &&
             (!x->name || fts_utf8_valid(x->name, strlen(x->name))) &&
             (i == 0 || l->items[i - 1].span.start <= x->span.start);
    if (x->code == TL_DD_MISSING_SECTION || x->code == TL_DD_SECTION_ORDER || x->code == TL_DD_HEADING_DIFFERS)
      ok = ok && t && x->tsection < tl_template_section_count(t);
    else
      ok = ok && x->tsection == TL_NONE;
    if (!ok) {
      print_error("%s: diagnostic %zu (%s) breaks an invariant\n", name, i, tl_docdiag_code_name(x->code));
      st->bad++;
    }
  }
  st->diags += l->len;
  tl_docdiag_free(l);
  tl_document_free(d);
}

static void inv_one(const char *name, const fts_doc *doc, void *ud) {
  inv_state *st = ud;
  check_list(st, name, doc, NULL);
  check_list(st, name, doc, st->seed);
  tl_template *self = tl_template_new(doc->tree);
  check_list(st, name, doc, self);
  tl_template_free(self);
}

static void test_docdiag_invariants(void **state) {
  (void)state;
  size_t len;
  char *seed = ts_slurp(SEED, &len);
  gr_tree *tree = gr_parse(seed, len, NULL);
  inv_state st = {tl_template_new(tree), 0, 0};
  fts_corpus_each(inv_one, &st);
  fts_garbage_each(300, inv_one, &st);
  assert_int_equal(st.bad, 0);
  assert_true(st.diags > 1000);
  tl_template_free((tl_template *)st.seed);
  gr_tree_free(tree);
  gr_free(seed);
}

/* Names and messages are valid UTF-8 even when the document is not. */
static void test_docdiag_invalid_utf8(void **state) {
  (void)state;
  fixture f;
  fixture_open_str(&f, "{{na\xFFme}} [[LLM: \xC3]]\n", NULL);
  assert_int_equal(f.diags->len, 2);
  assert_string_equal(f.diags->items[0].name, "na\xEF\xBF\xBDme");
  assert_string_equal(f.diags->items[0].message,
                      "Unfilled placeholder {{na\xEF\xBF\xBDme}}: replace it with the document's content");
  assert_string_equal(f.diags->items[1].message,
                      "LLM instruction left in the document: \"\xEF\xBF\xBD\"");
  fixture_close(&f);
}


/* ---- a YAML template ------------------------------------------------------ */

static const char yaml_tmpl[] =
    "template:\n"
    "  id: brief\n"
    "  output:\n"
    "    filename: docs/brief.md\n"
    "    title: \"{{project}} Brief\"\n"
    "sections:\n"
    "  - id: goals\n"
    "    title: Goals\n"
    "    instruction: |\n"
    "      List the goals the team agreed on during the kickoff meeting.\n"
    "      Use bullet points.\n"
    "    template: \"- {{goal}}\"\n"
    "  - id: users\n"
    "    title: Users\n"
    "    examples:\n"
    "      - Writers who keep a daily journal on their phone and laptop\n"
    "      - Monorepo\n"
    "      - |\n"
    "        | Writer segment | Device they write on | Share |\n"
    "        | --- | --- | --- |\n"
    "        | Daily journal keepers on the go | phone | 60% |\n"
    "  - id: risks\n"
    "    title: Risks\n"
    "    condition: has risks\n"
    "  - id: next\n"
    "    title: Next Steps\n";

/* Against a YAML template: placeholders from its title and template, sections
 * by level, and its bare guidance found by its words: a whole line, long
 * enough (a short phrase or a shared word is the author's own); never an
 * example table's header row reused, nor guidance kept in a comment. */
static void test_docdiag_yaml_template(void **state) {
  (void)state;
  static const char doc[] =
      "# Lumen Brief\n"
      "\n"
      "## Goals\n"
      "\n"
      "List the goals the team agreed on during the kickoff meeting.\n"
      "Use bullet points.\n"
      "\n"
      "- {{goal}}\n"
      "\n"
      "## Users\n"
      "\n"
      "- Writers who keep a daily journal on their phone and laptop\n"
      "- Monorepo\n"
      "- Writers who keep a journal\n"
      "\n"
      "| Writer segment | Device they write on | Share |\n"
      "| --- | --- | --- |\n"
      "| Students | laptop | 40% |\n"
      "\n"
      "<!-- List the goals the team agreed on during the kickoff meeting. -->\n";
  fixture f;
  memset(&f, 0, sizeof f);
  f.tmpl = tl_source_template(TL_SOURCE_YAML_TEMPLATE, yaml_tmpl, strlen(yaml_tmpl), false);
  f.doc_tree = gr_parse(doc, strlen(doc), NULL);
  f.doc = tl_document_new(f.doc_tree, f.tmpl);
  f.diags = tl_docdiag_run(f.doc);
  char *got = render(&f);
  fts_expect("yaml", got,
             "leftover-instruction 1 25-86 \"List the goals the team agreed on during the kickoff meeting.\"\n"
             "unfilled-placeholder 2 109-117 \"{{goal}}\" name=goal\n"
             "leftover-example 1 129-189 \"- Writers who keep a daily journal on their phone and laptop\"\n"
             "missing-section 3 401-401 \"\" name=Next Steps ts=4\n");
  gr_free(got);
  fixture_close(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_docdiag_unfilled_placeholder),
      cmocka_unit_test(test_docdiag_heading_differs),
      cmocka_unit_test(test_docdiag_section_order_place),
      cmocka_unit_test(test_docdiag_association),
      cmocka_unit_test(test_docdiag_foreign_syntax_not_reported),
      cmocka_unit_test(test_docdiag_placeholder_against_template),
      cmocka_unit_test(test_docdiag_leftovers),
      cmocka_unit_test(test_docdiag_messages),
      cmocka_unit_test(test_docdiag_no_template),
      cmocka_unit_test(test_docdiag_repeat_and_condition),
      cmocka_unit_test(test_document_missing_insertion),
      cmocka_unit_test(test_document_block_sections_are_siblings),
      cmocka_unit_test(test_document_section_order),
      cmocka_unit_test(test_document_parent_disambiguates),
      cmocka_unit_test(test_document_score),
      cmocka_unit_test(test_docdiag_seed_document),
      cmocka_unit_test(test_document_corpus_self),
      cmocka_unit_test(test_docdiag_invariants),
      cmocka_unit_test(test_docdiag_invalid_utf8),
      cmocka_unit_test(test_docdiag_yaml_template),
  };
  return cmocka_run_group_tests_name("docdiag", tests, NULL, NULL);
}
