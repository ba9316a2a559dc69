/*
 * test_document.c: how a document's headings are aligned to its template's
 * sections (server/model/document.c) when they are not written as the
 * template spells them: numbering, emphasis, escapes, emoji, case and
 * punctuation; extra words after a colon; words in common; the place among
 * siblings; a level deeper or higher; a literal title against a wildcard;
 * sections written as a bold label or an unspaced heading; a chat preamble;
 * the same heading twice; a document that does not follow its template;
 * and the sections that are really missing, still reported. Also where an
 * out-of-order section belongs. Each case renders the whole alignment.
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
#include "server/model/document.h"
#include "server/model/pattern.h"
#include "server/model/source.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

/* The template of every case: numbered 0.. in this order. */
static const char plan_tmpl[] =
    "# {{Project}} Platform Plan\n"        /* 0 */
    "## Overview\n"                        /* 1 */
    "## Infrastructure as Code (IaC)\n"    /* 2 */
    "## Testing Requirements\n"            /* 3 */
    "### Unit Tests\n"                     /* 4 */
    "### Integration Tests\n"              /* 5 */
    "## Repository Structure\n"            /* 6 */
    "## Components\n"                      /* 7 */
    "<<REPEAT: component>>\n"
    "### {{component_name}}\n"             /* 8 */
    "<</REPEAT>>\n"
    "### Component Diagrams\n"             /* 9 */
    "## Security\n"                        /* 10 */
    "## Checklist Results\n"               /* 11 */
    "## Next Steps\n"                      /* 12 */
    "## Change Log\n";                     /* 13 */

typedef struct fixture {
  gr_tree *doc_tree, *tmpl_tree;
  tl_template *tmpl;
  tl_document *doc;
} fixture;

static void fixture_open(fixture *f, const char *doc, const char *tmpl) {
  f->tmpl_tree = gr_parse(tmpl, strlen(tmpl), NULL);
  f->tmpl = tl_template_new(f->tmpl_tree);
  f->doc_tree = gr_parse(doc, strlen(doc), NULL);
  f->doc = tl_document_new(f->doc_tree, f->tmpl);
}

static void fixture_close(fixture *f) {
  tl_document_free(f->doc);
  tl_template_free(f->tmpl);
  gr_tree_free(f->tmpl_tree);
  gr_tree_free(f->doc_tree);
}

/* One line a heading: "<level> <title> -> <ts> <how>[ shifted][ differs][ dup][ late]",
 * then "missing: ts...", "present: ts..." and "mismatch" when so. */
static char *render(const fixture *f) {
  static const char *how[] = {"exact", "key", "part", "words", "position"};
  fts_str b = {0};
  const char *text = gr_tree_text(f->doc_tree);
  for (uint32_t i = 0; i < tl_document_section_count(f->doc); i++) {
    const tl_dsection *s = tl_document_section(f->doc, i);
    fts_cat(&b, "%u %.*s -> ", s->level, (int)(s->title.end - s->title.start), text + s->title.start);
    if (s->tsection == TL_NONE) fts_cat(&b, "none");
    else fts_cat(&b, "%u %s", s->tsection, how[s->how]);
    if (s->shifted) fts_cat(&b, " shifted");
    if (s->differs) fts_cat(&b, " differs");
    if (s->dup) fts_cat(&b, " dup");
    if (s->tsection != TL_NONE && !s->in_order) fts_cat(&b, " late");
    fts_cat(&b, "\n");
  }
  fts_cat(&b, "missing:");
  for (uint32_t k = 0; k < tl_document_missing_count(f->doc); k++)
    fts_cat(&b, " %u", tl_document_missing(f->doc, k)->tsection);
  fts_cat(&b, "\npresent:");
  for (uint32_t c = 0; c < tl_template_section_count(f->tmpl); c++)
    if (tl_document_present(f->doc, c)) fts_cat(&b, " %u", c);
  fts_cat(&b, "\n");
  uint32_t aligned, total;
  if (tl_document_mismatch(f->doc, &aligned, &total)) fts_cat(&b, "mismatch %u/%u\n", aligned, total);
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

typedef struct align_case {
  const char *name, *doc, *want;
} align_case;

static void run_cases(const align_case *cases, size_t n, const char *tmpl) {
  for (size_t i = 0; i < n; i++) {
    fixture f;
    fixture_open(&f, cases[i].doc, tmpl);
    char *got = render(&f);
    fixture_close(&f);
    fts_expect(cases[i].name, got, cases[i].want);
    gr_free(got);
  }
}

/* The head of every document below: title, Overview, IaC, Testing and its two children. */
#define HEAD "# Lumen Platform Plan\n## Overview\n## Infrastructure as Code (IaC)\n"
#define TAIL "## Repository Structure\n## Components\n## Security\n## Checklist Results\n## Next Steps\n## Change Log\n"
#define TESTING "## Testing Requirements\n### Unit Tests\n### Integration Tests\n"

static void test_document_normalised_text(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"numbering, bold, escapes and emoji are style: aligned, no hint",
       "# Lumen Platform Plan\n## 1. Overview\n## **2\\. Infrastructure as Code (IaC)**\n"
       "## 3.3. Testing Requirements\n### \xF0\x9F\xA7\xAA Unit Tests\n### IV) Integration Tests\n" TAIL,
       "1 Lumen Platform Plan -> 0 exact\n"
       "2 1. Overview -> 1 key\n"
       "2 **2\\. Infrastructure as Code (IaC)** -> 2 key\n"
       "2 3.3. Testing Requirements -> 3 key\n"
       "3 \xF0\x9F\xA7\xAA Unit Tests -> 4 key\n"
       "3 IV) Integration Tests -> 5 key\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"case and punctuation differ: aligned, with a hint",
       "# Lumen Platform Plan\n## overview\n## Infrastructure-as-Code (IaC)\n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n"
       "2 overview -> 1 exact differs\n" /* the pattern folds ASCII case; the hint does not */
       "2 Infrastructure-as-Code (IaC) -> 2 key differs\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"extra words after a colon, a bilingual heading: the part that is the template's",
       HEAD "## Testing Requirements: Full Testing Pyramid\n### Tests unitaires / Unit Tests\n"
            "### Integration Tests\n" TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements: Full Testing Pyramid -> 3 part\n"
       "3 Tests unitaires / Unit Tests -> 4 part\n"
       "3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
}

static void test_document_words_and_position(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"most words in common: aligned, with a hint",
       "# Lumen Platform Plan\n## Overview\n## Infrastructure as Code\n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code -> 2 words differs\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"one word of two in common is not enough; the place decides",
       "# Lumen Platform Plan\n## Overview\n## Provisioning\n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Provisioning -> 2 position differs\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"an empty heading being typed takes no place: the section is still missing",
       "# Lumen Platform Plan\n## Overview\n## \n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2  -> none\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 2 8 9\npresent:\n"},
      {"two headings in a one-section gap: no guess, the section is missing",
       "# Lumen Platform Plan\n## Overview\n## Provisioning\n## Budget\n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Provisioning -> none\n2 Budget -> none\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 2 8 9\npresent:\n"},
      {"the same heading twice in a row: the second is the writer's, not a near miss",
       "# Lumen Platform Plan\n## Overview\n## Overview\n## Infrastructure as Code (IaC)\n" TESTING TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n2 Overview -> none dup\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
}

static void test_document_level_shift(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"an added wrapper heading: its sections one level deeper",
       HEAD "## Quality\n### Testing Requirements\n#### Unit Tests\n#### Integration Tests\n" TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n2 Quality -> none\n"
       "3 Testing Requirements -> 3 exact shifted\n"
       "4 Unit Tests -> 4 exact shifted\n4 Integration Tests -> 5 exact shifted\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"the parent dropped, its children promoted: the parent is not missing",
       HEAD "## Unit Tests\n## Integration Tests\n" TAIL,
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Unit Tests -> 4 exact shifted\n2 Integration Tests -> 5 exact shifted\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9\npresent:\n"},
      {"a shifted heading under another parent is not taken",
       HEAD TESTING "## Repository Structure\n### Security\n## Components\n## Checklist Results\n"
                    "## Next Steps\n## Change Log\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n3 Security -> none\n2 Components -> 7 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8 9 10\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
}

static void test_document_literal_beats_wildcard(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"a sibling's literal title is not swallowed by the REPEAT's wildcard",
       HEAD TESTING "## Repository Structure\n## Components\n### Auth Service\n### Billing Service\n"
                    "### Component Diagrams\n## Security\n## Checklist Results\n## Next Steps\n## Change Log\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Repository Structure -> 6 exact\n2 Components -> 7 exact\n"
       "3 Auth Service -> 8 exact\n3 Billing Service -> 8 exact\n3 Component Diagrams -> 9 exact\n"
       "2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing:\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
  /* A literal title one level off beats a wildcard of the heading's own level. */
  static const char tmpl[] =
      "# Plan\n## Components\n<<REPEAT: c>>\n### {{component_name}}\n<</REPEAT>>\n## Component Diagrams\n";
  static const align_case shifted[] = {
      {"literal a level higher", "# Plan\n## Components\n### Auth\n### Component Diagrams\n",
       "1 Plan -> 0 exact\n2 Components -> 1 exact\n3 Auth -> 2 exact\n"
       "3 Component Diagrams -> 3 exact shifted\nmissing:\npresent:\n"},
  };
  run_cases(shifted, 1, tmpl);
}

static void test_document_presence_without_heading(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"a bold label, an unspaced heading, a heading in a list item",
       HEAD TESTING "**Repository Structure:** Monorepo\n\n## Components\n### Component Diagrams\n"
                    "##Security\n\n- ## Checklist Results\n## Next Steps\n## Change Log\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Components -> 7 exact\n3 Component Diagrams -> 9 exact\n"
       "2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8\npresent: 6 10 11\n"},
      {"a front matter key for a top-level section",
       "---\nrepository_structure: monorepo\nsecurity-notes: none\n---\n" HEAD TESTING
       "## Components\n### Component Diagrams\n## Security\n## Checklist Results\n## Next Steps\n## Change Log\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Components -> 7 exact\n3 Component Diagrams -> 9 exact\n2 Security -> 10 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 8\npresent: 6\n"},
      {"a bold label in code or in another section's text is not the section",
       HEAD TESTING "## Components\n**Security:** see below\n### Component Diagrams\n"
                    "```md\n**Repository Structure:** Monorepo\n```\n## Checklist Results\n## Next Steps\n## Change Log\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
       "2 Infrastructure as Code (IaC) -> 2 exact\n"
       "2 Testing Requirements -> 3 exact\n3 Unit Tests -> 4 exact\n3 Integration Tests -> 5 exact\n"
       "2 Components -> 7 exact\n3 Component Diagrams -> 9 exact\n"
       "2 Checklist Results -> 11 exact\n2 Next Steps -> 12 exact\n2 Change Log -> 13 exact\n"
       "missing: 6 8 10\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
}

/* A section whose content is a table, written as the bare table. */
static const char table_tmpl[] =
    "# Plan\n"                                     /* 0 */
    "## Overview\n"                                /* 1 */
    "## Tech Stack\n"                              /* 2 */
    "| Category | Technology | Version |\n"
    "|---|---|---|\n"
    "| {{category}} | {{technology}} | {{version}} |\n"
    "## Risks\n"                                   /* 3 */
    "| {{risk}} | {{impact}} |\n"
    "|---|---|\n"
    "## Next Steps\n";                             /* 4 */

static void test_document_table_presence(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"the section's table without its heading: present",
       "# Plan\n## Overview\n\n| Category | Technology | Version |\n|:--|--|--:|\n| Language | C | 11 |\n"
       "## Risks\n## Next Steps\n",
       "1 Plan -> 0 exact\n2 Overview -> 1 exact\n2 Risks -> 3 exact\n2 Next Steps -> 4 exact\n"
       "missing:\npresent: 2\n"},
      {"renamed and added columns, styled cells: two thirds of the columns are enough",
       "# Plan\n## Overview\n\n| **Category** | Technology | Notes | Why |\n|---|---|---|---|\n"
       "## Risks\n## Next Steps\n",
       "1 Plan -> 0 exact\n2 Overview -> 1 exact\n2 Risks -> 3 exact\n2 Next Steps -> 4 exact\n"
       "missing:\npresent: 2\n"},
      {"one column in common, a table in code, a row with no delimiter row: still missing",
       "# Plan\n## Overview\n\n| Category | Owner |\n|---|---|\n\n```md\n| Category | Technology | Version |\n"
       "|---|---|---|\n```\n\n| Category | Technology | Version |\nno delimiter row\n## Risks\n## Next Steps\n",
       "1 Plan -> 0 exact\n2 Overview -> 1 exact\n2 Risks -> 3 exact\n2 Next Steps -> 4 exact\n"
       "missing: 2\npresent:\n"},
      {"a table of placeholders is no evidence; a section with a heading keeps it",
       "# Plan\n## Overview\n## Tech Stack\n| Category | Technology | Version |\n|---|---|---|\n"
       "## Next Steps\n",
       "1 Plan -> 0 exact\n2 Overview -> 1 exact\n2 Tech Stack -> 2 exact\n2 Next Steps -> 4 exact\n"
       "missing: 3\npresent:\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], table_tmpl);
  /* Two sections with the same columns: the table under one's heading is
   * that one's, and stands for no sibling (the reviewer's case). */
  static const char stacks[] =
      "# Plan\n## Frontend Stack\n| Category | Technology | Version |\n|---|---|---|\n"
      "## Backend Stack\n| Category | Technology | Version |\n|---|---|---|\n";
  static const align_case sibling[] = {
      {"a section's own table is not its sibling's",
       "# Plan\n## Frontend Stack\n| Category | Technology | Version |\n|---|---|---|\n| UI | React | 18 |\n",
       "1 Plan -> 0 exact\n2 Frontend Stack -> 1 exact\nmissing: 2\npresent:\n"},
      {"a bare table under the title stands for the first of them",
       "# Plan\n| Category | Technology | Version |\n|---|---|---|\n| UI | React | 18 |\n## Backend Stack\n",
       "1 Plan -> 0 exact\n2 Backend Stack -> 2 exact\nmissing:\npresent: 1\n"},
  };
  run_cases(sibling, sizeof sibling / sizeof sibling[0], stacks);
}

/* The same from a YAML template: a `type: table` section's columns. */
static void test_document_table_presence_yaml(void **state) {
  (void)state;
  static const char ytmpl[] =
      "template:\n  id: plan\n  output:\n    filename: docs/plan.md\n    title: Plan\n"
      "sections:\n"
      "  - id: overview\n    title: Overview\n"
      "  - id: tech-stack\n    title: Tech Stack\n    type: table\n"
      "    columns: [Category, Technology, Version]\n"
      "  - id: next\n    title: Next Steps\n";
  static const char doc[] =
      "# Plan\n## Overview\n\n| Category | Technology | Version |\n|---|---|---|\n| Language | C | 11 |\n"
      "## Next Steps\n";
  tl_template *t = tl_source_template(TL_SOURCE_YAML_TEMPLATE, ytmpl, strlen(ytmpl), false);
  gr_tree *tree = gr_parse(doc, strlen(doc), NULL);
  tl_document *d = tl_document_new(tree, t);
  fts_str b = {0};
  for (uint32_t c = 0; c < tl_template_section_count(t); c++)
    fts_cat(&b, "%s%s%s\n", tl_template_section(t, c)->text, tl_document_present(d, c) ? " present" : "",
            tl_document_occurrences(d, c) ? " heading" : "");
  fts_cat(&b, "missing %u\n", tl_document_missing_count(d));
  fts_expect("yaml table", fts_str_get(&b), "Plan heading\nOverview heading\nTech Stack present\nNext Steps heading\nmissing 0\n");
  fts_str_free(&b);
  tl_document_free(d);
  gr_tree_free(tree);
  tl_template_free(t);
}

static void test_document_mismatch_and_really_missing(void **state) {
  (void)state;
  static const align_case cases[] = {
      {"a document of its own: one mismatch, no list of missing sections",
       "# Lumen Platform Plan\n## Intro\n## Ideas\n## Open Questions\n## Overview\n## Misc\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Intro -> none\n2 Ideas -> none\n2 Open Questions -> none\n"
       "2 Overview -> 1 exact\n2 Misc -> none\nmissing:\npresent:\nmismatch 1/13\n"},
      {"one heading, neither the template's title nor a section: does not follow it",
       "# Architecture Notes\n\nProse.\n",
       "1 Architecture Notes -> none\nmissing:\npresent:\nmismatch 0/13\n"},
      {"just started: the title and one heading of its own", "# Lumen Platform Plan\n## Notes\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Notes -> none\nmissing: 1 2 3 6 7 10 11 12 13\npresent:\n"},
      {"a document in progress (few headings, all the template's): its missing sections",
       "# Lumen Platform Plan\n## Overview\n",
       "1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\nmissing: 2 3 6 7 10 11 12 13\npresent:\n"},
      {"changed headings everywhere, the usual three really missing",
       "# Lumen Platform Plan\n## 1. Overview\n## 2. Infrastructure as Code\n"
       "## 3. Testing Requirements: Pyramid\n### 3.1. Unit Tests\n### 3.2. Integration Tests\n"
       "**Repository Structure:** Monorepo\n\n## 4. Components\n### 4.1. Component Diagrams\n"
       "## 5. Security\n## 6. Appendix\n",
       "1 Lumen Platform Plan -> 0 exact\n2 1. Overview -> 1 key\n"
       "2 2. Infrastructure as Code -> 2 words differs\n"
       "2 3. Testing Requirements: Pyramid -> 3 part\n3 3.1. Unit Tests -> 4 key\n"
       "3 3.2. Integration Tests -> 5 key\n2 4. Components -> 7 key\n"
       "3 4.1. Component Diagrams -> 9 key\n2 5. Security -> 10 key\n2 6. Appendix -> none\n"
       "missing: 8 11 12 13\npresent: 6\n"},
  };
  run_cases(cases, sizeof cases / sizeof cases[0], plan_tmpl);
}

/* A chat preamble before the title, even one that reads as a setext heading. */
static void test_document_preamble(void **state) {
  (void)state;
  fixture f;
  fixture_open(&f, "Sure! Here is the plan:\n---\n\n# Lumen Platform Plan\n## Overview\n", plan_tmpl);
  char *got = render(&f);
  fts_expect("preamble", got,
             "2 Sure! Here is the plan: -> none\n1 Lumen Platform Plan -> 0 exact\n2 Overview -> 1 exact\n"
             "missing: 2 3 6 7 10 11 12 13\npresent:\n");
  gr_free(got);
  tl_doc_score sc = tl_document_score(f.doc);
  assert_int_equal(sc.title, 1);
  assert_int_equal(sc.matched, 2);
  fixture_close(&f);
}

/* Where an out-of-order section belongs: after its last earlier sibling, or
 * before its first later one. */
static void test_document_order_anchor(void **state) {
  (void)state;
  static const char tmpl[] = "# Doc\n## A\n## B\n### B1\n## C\n## D\n";
  fixture f;
  const char *doc = "# Doc\n## A\n## C\n## B\n### B1\nb1\n## D\n";
  fixture_open(&f, doc, tmpl);
  /* C is the one out of order (A, B, D stay): it belongs after B, with B1 */
  const tl_dsection *c = tl_document_section(f.doc, 2);
  assert_int_equal(c->in_order, 0);
  int after = 0;
  uint32_t at = tl_document_order_anchor(f.doc, 2, &after);
  assert_int_equal(at, 3);
  assert_int_equal(after, 1);
  assert_int_equal(tl_document_section(f.doc, at)->span.end, strstr(doc, "## D") - doc);
  fixture_close(&f);

  doc = "# Doc\n## B\n## C\n## D\n## A\n";
  fixture_open(&f, doc, tmpl);
  at = tl_document_order_anchor(f.doc, 4, &after);
  assert_int_equal(at, 1); /* before B */
  assert_int_equal(after, 0);
  assert_int_equal(tl_document_order_anchor(f.doc, 1, &after), TL_NONE); /* in order */
  fixture_close(&f);
}

/* The keys and likeness the stages compare. */
static void test_document_keys(void **state) {
  (void)state;
  static const struct {
    const char *in, *key;
    int wild;
  } keys[] = {
      {"3.3. Testing Requirements", "testing requirements", 0},
      {"**1\\. Prerequisites**", "prerequisites", 0},
      {"\xF0\x9F\x9A\x80 Launch \xe2\x80\x94 Plan", "launch plan", 0},
      {"2024 Roadmap", "2024 roadmap", 0},
      {"U.S. Market", "u s market", 0},
      {"Writer's Notes", "writers notes", 0},
      {"{{env}} Environment", "\x01 environment", 1},
      {"{{env}} Environment", "env environment", 0},
      {"A) Scope", "scope", 0},
  };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    size_t n;
    char *k = tl_pattern_key(keys[i].in, strlen(keys[i].in), keys[i].wild, &n);
    if (strcmp(k, keys[i].key) != 0) fail_msg("key of '%s' is '%s', want '%s'", keys[i].in, k, keys[i].key);
    assert_int_equal(n, strlen(keys[i].key));
    gr_free(k);
  }
  assert_int_equal(tl_pattern_likeness("infrastructure as code", "infrastructure as code iac"), 80);
  assert_int_equal(tl_pattern_likeness("testing strategy", "testing requirements"), 50);
  assert_int_equal(tl_pattern_likeness("the and of", "and"), 0);
  assert_int_equal(tl_pattern_likeness("requirements", "requirement"), 100);
  size_t n;
  const char *styled = "**2\\. Infrastructure-as-Code** \xF0\x9F\x9A\x80";
  char *p = tl_pattern_plain(styled, strlen(styled), &n);
  assert_string_equal(p, "Infrastructure-as-Code");
  gr_free(p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_document_normalised_text),
      cmocka_unit_test(test_document_words_and_position),
      cmocka_unit_test(test_document_level_shift),
      cmocka_unit_test(test_document_literal_beats_wildcard),
      cmocka_unit_test(test_document_presence_without_heading),
      cmocka_unit_test(test_document_mismatch_and_really_missing),
      cmocka_unit_test(test_document_preamble),
      cmocka_unit_test(test_document_order_anchor),
      cmocka_unit_test(test_document_keys),
      cmocka_unit_test(test_document_table_presence),
      cmocka_unit_test(test_document_table_presence_yaml),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
