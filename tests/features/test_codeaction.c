/*
 * test_codeaction.c: server/features/codeaction.c. Each case is a file
 * with the range marked by "§" (one mark: a cursor; two: a selection), a
 * template when the file is a document, and every action rendered as
 *   == <kind> "<title>"[ preferred] fixes:[ <code>@<start>-<end>]...
 * followed by the whole text after its edits are applied (lines with "\r"
 * shown as "\r"), so each expectation is the exact file a person gets.
 * Every result is also reparsed: never more grammar diagnostics than
 * before, and a template quick fix leaves fewer of its code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/codeaction.h"
#include "server/features/suppress.h"
#include "server/model/docdiag.h"
#include "server/model/document.h"
#include "server/model/workspace.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"

#define M "\xC2\xA7" /* §: the range's edges */

typedef struct ca_case {
  const char *name;
  int is_template;
  const char *tmpl;  /* documents: their template */
  const char *input; /* with one or two M */
  const char *want;
} ca_case;

/* ---- fixtures ----------------------------------------------------------- */

static const char plan[] =
    "# {{Project}} Plan\n"
    "\n"
    "[[LLM: Fill in the plan.]]\n"
    "\n"
    "## Environments\n"
    "\n"
    "- Promotion: {{promotion}}\n"
    "\n"
    "<<REPEAT: environment>>\n"
    "### {{environment_name}} Environment\n"
    "\n"
    "- Purpose: {{purpose}}\n"
    "- Region: {{region}} @{example: eu-west-1}\n"
    "<</REPEAT>>\n"
    "\n"
    "## Owners\n"
    "\n"
    "- Team: {{team}}\n"
    "\n"
    "@{example: owners}\n"
    "| Team | Role |\n"
    "|------|------|\n"
    "| Ops | run |\n"
    "@{/example}\n"
    "\n"
    "^^CONDITION: uses_k8s^^\n"
    "## Kubernetes\n"
    "\n"
    "- Cluster: {{cluster}}\n"
    "^^/CONDITION: uses_k8s^^\n"
    "\n"
    "## Risks\n"
    "\n"
    "[[LLM: List the risks.]]\n"
    "<critical_rule>Name an owner for each.</critical_rule>\n"
    "\n"
    "- {{risk}}\n";

/* Example tables first in one section, between two blocks in another. */
static const char tabled[] =
    "# {{Project}} Plan\n"
    "\n"
    "## Services\n"
    "\n"
    "@{example: services}\n"
    "| Service | Owner |\n"
    "|---|---|\n"
    "| api | core |\n"
    "@{/example}\n"
    "\n"
    "- Main: {{main}}\n"
    "\n"
    "## Costs\n"
    "\n"
    "- Budget: {{budget}}\n"
    "\n"
    "@{example: costs}\n"
    "| Item | Monthly |\n"
    "|---|---|\n"
    "| VM | 40 |\n"
    "@{/example}\n"
    "\n"
    "Reviewed {{review_cadence}}.\n";

/* REPEATs in a REPEAT, numbered items. */
static const char roadmap[] =
    "# {{Project}} Roadmap\n"
    "\n"
    "<<REPEAT: epic>>\n"
    "## Epic {{epic_number}}: {{epic_title}}\n"
    "\n"
    "<<REPEAT: story>>\n"
    "### Story {{epic_number}}.{{story_number}}: {{story_title}}\n"
    "\n"
    "- As a {{role}}\n"
    "<</REPEAT>>\n"
    "<</REPEAT>>\n"
    "\n"
    "## Options\n"
    "\n"
    "<<REPEAT: option>>\n"
    "### Option 1\n"
    "\n"
    "- {{summary}}\n"
    "<</REPEAT>>\n";

#define ROAD_E1 "# Lumen Roadmap\n\n## Epic 1: Login\n\n### Story 1.1: Sign in\n\n- As a user\n\n"
#define ROAD_E2 "## Epic 2: Billing\n\n### Story 2.1: Invoice\n\n- As a payer\n\n"
#define ROAD_OPT "## Options\n\n### Option 1\n\n- Keep it.\n\n---\n\n*Version 1*\n"

#define TABLED_COSTS "## Costs\n\n- Budget: 300\n\nReviewed monthly.\n"

#define DOC_TOP "# Lumen Plan\n\n## Environments\n\n- Promotion: merge to main\n\n"
#define DOC_STAGING "### Staging Environment\n\n- Purpose: tests\n- Region: eu-west-1\n\n"
#define DOC_OWNERS "## Owners\n\nOps runs it.\n\n"
#define DOC_RISKS "## Risks\n\n- none\n"

/* ---- running a case ----------------------------------------------------- */

static char *strip_marks(const char *in, gr_span *range) {
  size_t ml = strlen(M);
  const char *a = strstr(in, M);
  assert_non_null(a);
  const char *b = strstr(a + ml, M);
  fts_str out = {0};
  size_t ia = (size_t)(a - in);
  fts_cat(&out, "%.*s", (int)ia, in);
  range->start = range->end = (uint32_t)ia;
  if (b) {
    fts_cat(&out, "%.*s", (int)(b - a - ml), a + ml);
    range->end = (uint32_t)out.len;
    fts_cat(&out, "%s", b + ml);
  } else {
    fts_cat(&out, "%s", a + ml);
  }
  char *s = gr_strndup(fts_str_get(&out), out.len);
  fts_str_free(&out);
  return s;
}

static uint32_t count_code(const gr_tree *t, const char *code) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < gr_tree_diag_count(t); i++)
    if (strcmp(gr_diag_code_name(gr_tree_diag(t, i)->code), code) == 0) n++;
  return n;
}

static void render_text(fts_str *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\r') fts_cat(b, "\\r");
    else fts_cat(b, "%c", s[i]);
  }
  if (n && s[n - 1] != '\n') fts_cat(b, "\\ (no line end)\n");
}

/* What the client can take and asks for (context.only), for run_case. */
static const char *const *g_only;
static size_t g_n_only;
static int g_can_select;

static void run_case(const ca_case *c, const gr_span *also, size_t n_also) {
  gr_span range;
  char *text = strip_marks(c->input, &range);
  fts_doc d;
  fts_doc_open_str(&d, text);
  tl_workspace *ws = tl_workspace_new();
  tl_document *aligned = NULL;
  ft_action_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  rq.range = range;
  rq.is_template = c->is_template;
  rq.tmpl = TL_NONE;
  rq.also = also;
  rq.n_also = n_also;
  rq.only = g_only;
  rq.n_only = g_n_only;
  rq.can_select = g_can_select;
  if (c->tmpl) {
    /* a template that starts "template:" is a YAML one */
    tl_workspace_put(ws, strncmp(c->tmpl, "template:", 9) == 0 ? "plan-tmpl.yaml" : "plan-tmpl.md", c->tmpl,
                     strlen(c->tmpl));
    aligned = tl_document_new(d.tree, tl_workspace_template(ws, 0));
    rq.ws = ws;
    rq.tmpl = 0;
    rq.doc = aligned;
  } else if (!c->is_template) {
    aligned = tl_document_new(d.tree, NULL);
    rq.doc = aligned;
  }
  ft_actions *acts = ft_codeaction_new(&rq);
  fts_str b = {0};
  for (size_t i = 0; i < acts->len; i++) {
    const ft_action *a = &acts->items[i];
    fts_cat(&b, "== %s \"%s\"%s fixes:", ft_action_kind_name(a->kind), a->title, a->preferred ? " preferred" : "");
    for (size_t k = 0; k < a->fixes.len; k++) {
      fts_cat(&b, " %s@", a->fixes.items[k].code);
      fts_cat_pos(&b, &d, a->fixes.items[k].span.start);
      fts_cat(&b, "-");
      fts_cat_pos(&b, &d, a->fixes.items[k].span.end);
    }
    fts_cat(&b, "\n");
    if (a->selects) {
      assert_int_equal(a->edits.len, 0);
      fts_cat(&b, "select ");
      fts_cat_pos(&b, &d, a->select.start);
      fts_cat(&b, "-");
      fts_cat_pos(&b, &d, a->select.end);
      fts_cat(&b, "\n");
      continue;
    }
    size_t n;
    char *out = ft_edit_apply(d.text, d.len, &a->edits, &n);
    assert_non_null(out);
    render_text(&b, out, n);
    gr_tree *t2 = gr_parse(out, n, NULL);
    if (gr_tree_diag_count(t2) > gr_tree_diag_count(d.tree))
      fail_msg("case '%s': action %zu adds grammar diagnostics", c->name, i);
    if (c->is_template && a->kind == FT_ACTION_QUICKFIX)
      for (size_t k = 0; k < a->fixes.len; k++)
        if (count_code(t2, a->fixes.items[k].code) >= count_code(d.tree, a->fixes.items[k].code))
          fail_msg("case '%s': action %zu leaves its %s", c->name, i, a->fixes.items[k].code);
    gr_tree_free(t2);
    gr_free(out);
  }
  fts_expect(c->name, fts_str_get(&b), c->want);
  fts_str_free(&b);
  /* At most one preferred fix per diagnostic, for a client's auto-fix. */
  for (size_t i = 0; i < acts->len; i++)
    for (size_t j = i + 1; j < acts->len; j++) {
      const ft_action *x = &acts->items[i], *y = &acts->items[j];
      if (!x->preferred || !y->preferred) continue;
      for (size_t p = 0; p < x->fixes.len; p++)
        for (size_t q = 0; q < y->fixes.len; q++)
          if (strcmp(x->fixes.items[p].code, y->fixes.items[q].code) == 0 &&
              x->fixes.items[p].span.start == y->fixes.items[q].span.start &&
              x->fixes.items[p].span.end == y->fixes.items[q].span.end &&
              strcmp(x->fixes.items[p].message, y->fixes.items[q].message) == 0)
            fail_msg("case '%s': two preferred fixes for one %s", c->name, x->fixes.items[p].code);
    }
  ft_codeaction_free(acts);
  tl_document_free(aligned);
  tl_workspace_free(ws);
  fts_doc_close(&d);
  gr_free(text);
}

/* ---- templates ---------------------------------------------------------- */

static const ca_case template_cases[] = {
    {"an unclosed REPEAT closes at the end of its section, before the blank lines", 1, NULL,
     "# T\n\n## Envs\n\n<<REP" M "EAT: environment>>\n### {{name}} Environment\n\n- Purpose: {{purpose}}\n\n\n## Next\n",
     "== quickfix \"Close REPEAT 'environment' at the end of its section\" preferred fixes: unclosed-block@4:0-4:23\n"
     "# T\n\n## Envs\n\n<<REPEAT: environment>>\n### {{name}} Environment\n\n- Purpose: {{purpose}}\n<</REPEAT>>\n\n\n"
     "## Next\n"},
    {"an unclosed CONDITION inside a REPEAT closes before the REPEAT's closer", 1, NULL,
     "# T\n<<REPEAT: r>>\n^^CONDITION: " M "c^^\n- x\n<</REPEAT>>\n",
     "== quickfix \"Close CONDITION 'c' at the end of its section\" preferred fixes: unclosed-block@2:0-2:16\n"
     "# T\n<<REPEAT: r>>\n^^CONDITION: c^^\n- x\n^^/CONDITION: c^^\n<</REPEAT>>\n"},
    {"an unclosed example at the end of the file, which has no line end", 1, NULL,
     "# T\n@{example}" M "\n| a |",
     "== quickfix \"Close the example block at the end of its section\" preferred fixes: unclosed-block@1:0-1:10\n"
     "# T\n@{example}\n| a |\n@{/example}\\ (no line end)\n"},
    {"an unclosed LLM instruction closes after its last text", 1, NULL,
     "# T\n\n" M "[[LLM: do this\n\nand that\n\n## Next\n",
     "== quickfix \"Close the LLM instruction with ']]'\" preferred fixes: unclosed-block@2:0-2:6\n"
     "# T\n\n[[LLM: do this\n\nand that]]\n\n## Next\n"},
    {"an unclosed critical rule", 1, NULL, "# T\n<critical_rule>" M "Keep it.\n\n## Next\n",
     "== quickfix \"Close the critical rule with '</critical_rule>'\" preferred fixes: unclosed-block@1:0-1:15\n"
     "# T\n<critical_rule>Keep it.</critical_rule>\n\n## Next\n"},
    {"a CONDITION closed under another name: rename the closer (preferred) or the opener", 1, NULL,
     "# T\n^^CONDITION: uses_k8s^^\n- x\n^^/CONDITION: uses_k" M "9s^^\n",
     "== quickfix \"Rename the closer to 'uses_k8s'\" preferred fixes: mismatched-closer@3:14-3:22\n"
     "# T\n^^CONDITION: uses_k8s^^\n- x\n^^/CONDITION: uses_k8s^^\n"
     "== quickfix \"Rename the opener to 'uses_k9s'\" fixes: mismatched-closer@3:14-3:22\n"
     "# T\n^^CONDITION: uses_k9s^^\n- x\n^^/CONDITION: uses_k9s^^\n"},
    {"a REPEAT closed while a CONDITION inside it is open: the CONDITION's closer moves in", 1, NULL,
     "# T\n<<REPEAT: r>>\n^^CONDITION: c^^\n- x\n<</REP" M "EAT>>\n^^/CONDITION: c^^\n\nText\n",
     "== quickfix \"Close the crossed block before this closer\" preferred fixes: mismatched-closer@4:0-4:11\n"
     "# T\n<<REPEAT: r>>\n^^CONDITION: c^^\n- x\n^^/CONDITION: c^^\n<</REPEAT>>\n\nText\n"},
    {"crossed blocks inside a line, the later closer bare", 1, NULL,
     "# T\n<<REPEAT: r>> @{example} ^^CONDITION: c^^ x @{/exa" M "mple} <</REPEAT>> ^^/CONDITION^^ y\n",
     "== quickfix \"Close the crossed block before this closer\" preferred fixes: mismatched-closer@1:44-1:55\n"
     "# T\n<<REPEAT: r>> @{example} ^^CONDITION: c^^ x ^^/CONDITION: c^^ @{/example} <</REPEAT>> y\n"},
    {"a stray closer on its own line goes with its line and a doubled blank line", 1, NULL,
     "# T\n\nText\n\n" M "<</REPEAT>>\n\nMore\n",
     "== quickfix \"Remove the stray closer\" preferred fixes: stray-closer@4:0-4:11\n"
     "# T\n\nText\n\nMore\n"},
    {"a stray closer inside a line goes alone", 1, NULL, "# T\nText ^^/CONDITION: c^^" M " more\n",
     "== quickfix \"Remove the stray closer\" preferred fixes: stray-closer@1:5-1:22\n"
     "# T\nText more\n"},
    {"a stray </critical_rule> at a line end", 1, NULL, "# T\nKeep it.</critical_rule>" M "\n",
     "== quickfix \"Remove the stray closer\" preferred fixes: stray-closer@1:8-1:24\n"
     "# T\nKeep it.\n"},
    {"a closing fence with an info string", 1, NULL, "# T\n```js\nx\n``" M "`js\n\nText\n",
     "== quickfix \"Remove the info string from the closing fence\" preferred fixes: malformed-fence@3:0-3:5\n"
     "# T\n```js\nx\n```\n\nText\n"},
    {"an empty placeholder", 1, NULL, "# T\nName: {{" M "}} here\n",
     "== quickfix \"Remove the empty placeholder\" preferred fixes: empty-placeholder@1:6-1:10\n"
     "# T\nName: here\n"},
    {"an unterminated placeholder closes at its line's end", 1, NULL, "# T\nName: " M "{{project name  \n\n## Next\n",
     "== quickfix \"Close the placeholder with '}}' at the end of the line\" preferred fixes: "
     "unterminated-placeholder@1:6-1:8\n"
     "# T\nName: {{project name}}  \n\n## Next\n"},
    {"CRLF: the closer goes in with CRLF", 1, NULL, "# T\r\n## A\r\n" M "<<REPEAT: r>>\r\n- x\r\n\r\n## B\r\n",
     "== quickfix \"Close REPEAT 'r' at the end of its section\" preferred fixes: unclosed-block@2:0-2:13\n"
     "# T\\r\n## A\\r\n<<REPEAT: r>>\\r\n- x\\r\n<</REPEAT>>\\r\n\\r\n## B\\r\n"},
    {"a cursor away from every diagnostic: no fix", 1, NULL, "# T\n\nTe" M "xt\n\n<</REPEAT>>\n", ""},
    {"wrap a selected section: named after its heading", 1, NULL,
     "# T\n\n" M "## Service Mesh\n\n- {{mesh}}\n" M "\n## Next\n",
     "== refactor.rewrite \"Wrap in REPEAT block\" fixes:\n"
     "# T\n\n<<REPEAT: service_mesh>>\n## Service Mesh\n\n- {{mesh}}\n<</REPEAT>>\n\n## Next\n"
     "== refactor.rewrite \"Wrap in CONDITION block\" fixes:\n"
     "# T\n\n^^CONDITION: service_mesh^^\n## Service Mesh\n\n- {{mesh}}\n^^/CONDITION: service_mesh^^\n\n## Next\n"},
    {"wrap part of a line: its whole line, named after the enclosing heading", 1, NULL,
     "# T\n## {{env}} Deploy Steps\n- a" M "b" M "c\n",
     "== refactor.rewrite \"Wrap in REPEAT block\" fixes:\n"
     "# T\n## {{env}} Deploy Steps\n<<REPEAT: deploy_steps>>\n- abc\n<</REPEAT>>\n"
     "== refactor.rewrite \"Wrap in CONDITION block\" fixes:\n"
     "# T\n## {{env}} Deploy Steps\n^^CONDITION: deploy_steps^^\n- abc\n^^/CONDITION: deploy_steps^^\n"
     "== refactor.insert \"Insert example table 'deploy_steps_table'\" fixes:\n"
     "# T\n## {{env}} Deploy Steps\n- abc\n\n@{example: deploy_steps_table}\n\n| abc |\n| --- |\n|  |\n\n@{/example}\n"},
    {"no wrap across a block's edge (the list under the cursor still gets a table)", 1, NULL,
     "# T\n" M "- a\n[[LLM: one\n" M "two]]\n",
     "== refactor.insert \"Insert example table 't_table'\" fixes:\n"
     "# T\n- a\n\n@{example: t_table}\n\n| a |\n| --- |\n|  |\n\n@{/example}\n\n[[LLM: one\ntwo]]\n"},
    {"an example table from the nearest list's labels", 1, NULL,
     "# T\n\n## Shared Responsibility\n\n- **Cloud Provider:** {{cloud}}\n- Platform | Team\n- Dev Team\n" M "\n"
     "Text\n\n## Next\n",
     "== refactor.insert \"Insert example table 'shared_responsibility_table'\" fixes:\n"
     "# T\n\n## Shared Responsibility\n\n- **Cloud Provider:** {{cloud}}\n- Platform | Team\n- Dev Team\n\n"
     "@{example: shared_responsibility_table}\n\n| Cloud Provider | Platform \\| Team | Dev Team |\n"
     "| --- | --- | --- |\n|  |  |  |\n\n@{/example}\n\nText\n\n## Next\n"},
    {"an example table from the nearest table's header", 1, NULL,
     "# T\n## Matrix\n- far list\n\nText\n\n| Component | Owner |\n|---|---|\n| a | b |\n" M,
     "== refactor.insert \"Insert example table 'matrix_table'\" fixes:\n"
     "# T\n## Matrix\n- far list\n\nText\n\n| Component | Owner |\n|---|---|\n| a | b |\n\n"
     "@{example: matrix_table}\n\n| Component | Owner |\n| --- | --- |\n|  |  |\n\n@{/example}\n"},
    {"no example table without a list or table, nor from inside an example", 1, NULL,
     "# T\n## A\nText " M "here.\n@{example: x}\n- a\n@{/example}\n", ""},
};

static void test_codeaction_template_actions(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof template_cases / sizeof template_cases[0]; i++)
    run_case(&template_cases[i], NULL, 0);
}

/* A diagnostic the client names gets its fix even away from the range. */
static void test_codeaction_client_named_diagnostics(void **state) {
  (void)state;
  ca_case c = {"named", 1, NULL, "# T\n\nTe" M "xt\n\n<</REPEAT>>\n",
               "== quickfix \"Remove the stray closer\" preferred fixes: stray-closer@4:0-4:11\n"
               "# T\n\nText\n"};
  gr_span also[] = {{99, 99}, {11, 22}};
  run_case(&c, also, 2);
}

/* ---- documents ---------------------------------------------------------- */

/* A YAML template: a section's `examples` beside its text, one a table. */
static const char yaml_plan[] =
    "template:\n  id: plan\n  output:\n    filename: docs/plan.md\n    title: Plan\n"
    "sections:\n"
    "  - id: goals\n    title: Goals\n    examples:\n"
    "      - Cut onboarding time to one day for every new engineer\n"
    "      - |\n        | Goal | Metric |\n        |---|---|\n        | Onboarding | days |\n"
    "  - id: risks\n    title: Risks\n";

static const ca_case document_cases[] = {
    {"a YAML section's examples: the text one after the section's text, the table one", 0, yaml_plan,
     "# Plan\n\n## Goals\n\nFast on" M "boarding.\n\n## Risks\n\n- none\n",
     "== refactor.insert \"Insert example: Cut onboarding time to one day for every new engineer\" fixes:\n"
     "# Plan\n\n## Goals\n\nFast onboarding.\n\nCut onboarding time to one day for every new engineer\n\n"
     "## Risks\n\n- none\n"
     "== refactor.insert \"Insert example table\" fixes:\n"
     "# Plan\n\n## Goals\n\nFast onboarding.\n\n| Goal | Metric |\n|---|---|\n| Onboarding | days |\n\n"
     "## Risks\n\n- none\n"},
    {"a YAML section's example already in the section: not offered again", 0, yaml_plan,
     "# Plan\n\n## Goals\n\nCut onboarding time to one day for every new engineer\n\n| Goal | Metric |\n|---|---|\n"
     "| Onboarding | 1 |\n\nMore" M ".\n\n## Risks\n\n- none\n",
     ""},
    {"a leftover instruction goes with its line", 0, plan,
     DOC_TOP DOC_STAGING DOC_OWNERS "## Risks\n\n[[LLM: List the " M "risks.]]\n\n- none\n",
     "== quickfix \"Remove the leftover LLM instruction\" preferred fixes: leftover-instruction@17:0-17:24\n"
     DOC_TOP DOC_STAGING DOC_OWNERS DOC_RISKS},
    {"a leftover example block goes whole", 0, plan,
     DOC_TOP DOC_STAGING "## Owners\n\n@{exa" M "mple: owners}\n| Team | Role |\n|---|---|\n@{/example}\n\nOps runs it.\n\n"
     DOC_RISKS,
     "== quickfix \"Remove the leftover example\" preferred fixes: leftover-example@13:0-16:11\n"
     DOC_TOP DOC_STAGING "## Owners\n\nOps runs it.\n\n" DOC_RISKS},
    {"the template's example table for the section, after the cursor's paragraph", 0, plan,
     DOC_TOP DOC_STAGING "## Owners\n\nOps runs" M " it,\nall of it.\n\n" DOC_RISKS,
     "== refactor.insert \"Insert example table owners\" fixes:\n"
     DOC_TOP DOC_STAGING "## Owners\n\nOps runs it,\nall of it.\n\n| Team | Role |\n|------|------|\n| Ops | run |\n\n"
     DOC_RISKS},
    {"a leftover inline example inside a line", 0, plan,
     DOC_TOP "### Staging Environment\n\n- Purpose: tests\n- Region: eu-west-1 @{example: " M "eu-west-1}\n\n"
     DOC_OWNERS DOC_RISKS,
     "== quickfix \"Remove the leftover example\" preferred fixes: leftover-example@9:20-9:41\n"
     DOC_TOP DOC_STAGING DOC_OWNERS DOC_RISKS
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: tests\n- Region: eu-west-1 @{example: eu-west-1}\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS DOC_RISKS},
    {"leftover REPEAT markers: the content stays", 0, plan,
     DOC_TOP "<<REPEAT: envi" M "ronment>>\n" DOC_STAGING "<</REPEAT>>\n\n" DOC_OWNERS DOC_RISKS,
     "== quickfix \"Remove the REPEAT markers (keep the content)\" preferred fixes: leftover-markup@6:0-6:23\n"
     DOC_TOP DOC_STAGING DOC_OWNERS DOC_RISKS
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP "<<REPEAT: environment>>\n" DOC_STAGING
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n"
     "<</REPEAT>>\n\n" DOC_OWNERS DOC_RISKS},
    {"leftover CONDITION markers: keep the content (preferred), or drop the block", 0, plan,
     DOC_TOP DOC_STAGING DOC_OWNERS "^^CONDITION: uses_k8s^^" M "\n## Kubernetes\n\n- Cluster: EKS\n^^/CONDITION: uses_k8s^^\n\n"
     DOC_RISKS,
     "== quickfix \"Remove the CONDITION markers (keep the content)\" preferred fixes: leftover-markup@15:0-15:23\n"
     DOC_TOP DOC_STAGING DOC_OWNERS "## Kubernetes\n\n- Cluster: EKS\n\n" DOC_RISKS
     "== quickfix \"Remove the CONDITION block with its content\" fixes: leftover-markup@15:0-15:23\n"
     DOC_TOP DOC_STAGING DOC_OWNERS DOC_RISKS},
    {"leftover critical rule tags inside a line: the rule's text stays", 0, plan,
     DOC_TOP DOC_STAGING DOC_OWNERS "## Risks\n\n<critical_rule>" M "Name an owner.</critical_rule> Done.\n\n- none\n",
     "== quickfix \"Remove the <critical_rule> tags (keep the content)\" preferred fixes: leftover-markup@17:0-17:15\n"
     DOC_TOP DOC_STAGING DOC_OWNERS "## Risks\n\nName an owner. Done.\n\n- none\n"},
    {"an unfilled placeholder: the template's inline example for that place", 0, plan,
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: {{reg" M "ion}}\n\n" DOC_OWNERS DOC_RISKS,
     "== quickfix \"Use the template's example: eu-west-1\" fixes: unfilled-placeholder@9:10-9:20\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS DOC_RISKS},
    /* The name as the writer spelled it: the same placeholder, the same fix. */
    {"an unfilled placeholder spelled otherwise: still the template's example", 0, plan,
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: {{Reg" M "ion}}\n\n" DOC_OWNERS DOC_RISKS,
     "== quickfix \"Use the template's example: eu-west-1\" fixes: unfilled-placeholder@9:10-9:20\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: {{Region}}\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS DOC_RISKS},
    {"an unfilled placeholder with no example in the template: no fix", 0, plan,
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purp" M "ose}}\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS,
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS DOC_RISKS},
    {"add another REPEAT instance from the section holding the REPEAT: after the last instance", 0, plan,
     "# Lumen Plan\n\n## Environments\n\n- Pro" M "motion: merge to main\n\n" DOC_STAGING
     "### Production Environment\n\n- Purpose: live\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS,
     "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
     DOC_TOP DOC_STAGING "### Production Environment\n\n- Purpose: live\n- Region: eu-west-1\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS DOC_RISKS},
    {"a missing section: insert it (its skeleton), or all missing sections", 0, plan,
     DOC_TOP DOC_STAGING M DOC_RISKS,
     "== quickfix \"Insert missing section 'Owners'\" preferred fixes: missing-section@11:0-11:0\n"
     DOC_TOP DOC_STAGING "## Owners\n\n- Team: {{team}}\n\n" DOC_RISKS},
    {"all missing sections at once, each where the template puts it", 0, plan,
     "# Lumen Plan\n\n" M "## Owners\n\nOps.\n",
     "== quickfix \"Insert missing section 'Environments'\" preferred fixes: missing-section@2:0-2:0\n"
     "# Lumen Plan\n\n## Environments\n\n- Promotion: {{promotion}}\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n## Owners\n\nOps.\n"
     "== quickfix \"Insert all missing sections (2)\" fixes: missing-section@2:0-2:0 missing-section@5:0-5:0\n"
     "# Lumen Plan\n\n## Environments\n\n- Promotion: {{promotion}}\n\n"
     "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n## Owners\n\nOps.\n\n"
     "## Risks\n\n- {{risk}}\n"
     "== refactor.insert \"Insert example table owners\" fixes:\n"
     "# Lumen Plan\n\n## Owners\n\nOps.\n\n| Team | Role |\n|------|------|\n| Ops | run |\n"},
    {"CRLF document: the missing section in CRLF", 0, plan,
     "# Lumen Plan\r\n\r\n## Environments\r\n\r\n- Promotion: main\r\n\r\n### Staging Environment\r\n\r\n"
     "- Purpose: tests\r\n- Region: eu\r\n\r\n## Owners\r\n\r\nOps.\r\n" M,
     "== quickfix \"Insert missing section 'Risks'\" preferred fixes: missing-section@14:0-14:0\n"
     "# Lumen Plan\\r\n\\r\n## Environments\\r\n\\r\n- Promotion: main\\r\n\\r\n### Staging Environment\\r\n\\r\n"
     "- Purpose: tests\\r\n- Region: eu\\r\n\\r\n## Owners\\r\n\\r\nOps.\\r\n\\r\n## Risks\\r\n\\r\n- {{risk}}\\r\n"
     "== refactor.insert \"Insert example table owners\" fixes:\n"
     "# Lumen Plan\\r\n\\r\n## Environments\\r\n\\r\n- Promotion: main\\r\n\\r\n### Staging Environment\\r\n\\r\n"
     "- Purpose: tests\\r\n- Region: eu\\r\n\\r\n## Owners\\r\n\\r\nOps.\\r\n\\r\n| Team | Role |\\r\n|------|------|\\r\n"
     "| Ops | run |\\r\n"},
    {"an example first in the template's section: its table at the start of the section's text", 0, tabled,
     "# Lumen Plan\n\n## Services\n\nThe API and the " M "worker.\n\n" TABLED_COSTS,
     "== refactor.insert \"Insert example table services\" fixes:\n"
     "# Lumen Plan\n\n## Services\n\n| Service | Owner |\n|---|---|\n| api | core |\n\nThe API and the worker.\n\n"
     TABLED_COSTS},
    {"an example between two blocks: its table after the section's first block", 0, tabled,
     "# Lumen Plan\n\n## Services\n\nThe API.\n\n## Costs\n\n- Budget: 300\n\nReviewed " M "monthly.\n",
     "== refactor.insert \"Insert example table costs\" fixes:\n"
     "# Lumen Plan\n\n## Services\n\nThe API.\n\n## Costs\n\n- Budget: 300\n\n| Item | Monthly |\n|---|---|\n"
     "| VM | 40 |\n\nReviewed monthly.\n"},
    {"the section has a table with that header already (case and bold aside): no example table", 0, tabled,
     "# Lumen Plan\n\n## Services\n\nThe " M "API.\n\n| **service** | OWNER |\n|--|--|\n| api | me |\n\n" TABLED_COSTS, ""},
    {"add another story: after the last story of this epic, numbered; the epic's number stays to fill", 0, roadmap,
     "# Lumen Roadmap\n\n## Epic 1: Login\n\n### Story 1.1: Sign " M "in\n\n- As a user\n\n" ROAD_E2 ROAD_OPT,
     "== refactor.insert \"Add another epic (REPEAT)\" fixes:\n"
     ROAD_E1 ROAD_E2 "## Epic 3: {{epic_title}}\n\n### Story 3.{{story_number}}: {{story_title}}\n\n- As a {{role}}\n\n"
     ROAD_OPT
     "== refactor.insert \"Add another story (REPEAT)\" fixes:\n"
     ROAD_E1 "### Story {{epic_number}}.2: {{story_title}}\n\n- As a {{role}}\n\n" ROAD_E2 ROAD_OPT},
    {"add another option: the template's number counted on, before the closing matter", 0, roadmap,
     ROAD_E1 ROAD_E2 "## Options\n\n### Option 1\n\n- Keep " M "it.\n\n---\n\n*Version 1*\n",
     "== refactor.insert \"Add another option (REPEAT)\" fixes:\n"
     ROAD_E1 ROAD_E2 "## Options\n\n### Option 1\n\n- Keep it.\n\n### Option 2\n\n- {{summary}}\n\n---\n\n*Version 1*\n"},
    {"inside a code fence: no example table", 0, plan,
     DOC_TOP DOC_STAGING "## Owners\n\n```\nco" M "de\n```\n\n" DOC_RISKS, ""},
    {"a document with no template: only its own leftovers", 0, NULL, "# Notes\n\n[[LLM: " M "x]]\n\nText.\n",
     "== quickfix \"Remove the leftover LLM instruction\" preferred fixes: leftover-instruction@2:0-2:10\n"
     "# Notes\n\nText.\n"},
};

static void test_codeaction_document_actions(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof document_cases / sizeof document_cases[0]; i++)
    run_case(&document_cases[i], NULL, 0);
}


/* ---- "Insert all missing sections" on the seed, applied and reparsed ---- */

#define SEED_TOP                                                                               \
  "# Lumen Infrastructure Architecture\n\n## Infrastructure Overview\n\n"                      \
  "- Cloud Provider: Hetzner, two regions\n- Core Services: Postgres, object storage\n\n"
#define SEED_SECURITY "## Security Architecture\n\nEvery login goes through the company SSO.\n\n"
#define SEED_LAST "## Infrastructure Change Management\n\nChanges go through reviewed pull requests.\n\n"
#define SEED_FOOTER "---\n\n*Document Version: 1.0*\n*Last Updated: 2026-11-30*\n"
#define SEED_INSERTED_PLACEHOLDERS                 \
  "unfilled-placeholder 21:4 environment_name\n"       \
  "unfilled-placeholder 23:15 environment_purpose\n"   \
  "unfilled-placeholder 24:17 environment_resources\n" \
  "unfilled-placeholder 25:22 environment_access\n"    \
  "unfilled-placeholder 26:27 environment_data_class\n" \
  "unfilled-placeholder 142:25 feasible_items\n"       \
  "unfilled-placeholder 143:26 items_needing_adjustment\n" \
  "unfilled-placeholder 144:23 items_requiring_redesign\n" \
  "unfilled-placeholder 145:29 mitigation_plans\n"
#define SEED_INSERTED_PLACEHOLDERS2 SEED_INSERTED_PLACEHOLDERS

typedef struct seed_run {
  char *before, *after; /* the document, and the document with "Insert all" applied */
  size_t after_len;
  char *diags;          /* the reparse's document diagnostics, one "code line:col name" a line */
  size_t inserts;       /* the action's edits */
} seed_run;

static void seed_insert_all(const char *tmpl, size_t tlen, const char *doc, seed_run *r) {
  memset(r, 0, sizeof *r);
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "infrastructure-architecture-tmpl.md", tmpl, tlen);
  const tl_template *tm = tl_workspace_template(ws, 0);
  fts_doc d;
  fts_doc_open_str(&d, doc);
  tl_document *aligned = tl_document_new(d.tree, tm);
  assert_true(tl_document_missing_count(aligned) > 1);
  ft_action_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  uint32_t at = tl_document_missing(aligned, 0)->offset;
  rq.range = (gr_span){at, at};
  rq.ws = ws;
  rq.tmpl = 0;
  rq.doc = aligned;
  static const char *const quickfix[] = {"quickfix"};
  rq.only = quickfix;
  rq.n_only = 1;
  ft_actions *acts = ft_codeaction_new(&rq);
  const ft_action *all = NULL;
  for (size_t i = 0; i < acts->len; i++)
    if (strncmp(acts->items[i].title, "Insert all missing sections", 27) == 0) all = &acts->items[i];
  assert_non_null(all);
  r->inserts = all->edits.len;
  r->after = ft_edit_apply(d.text, d.len, &all->edits, &r->after_len);
  assert_non_null(r->after);
  ft_codeaction_free(acts);
  tl_document_free(aligned);
  fts_doc_close(&d);

  fts_doc d2;
  fts_doc_open(&d2, r->after, r->after_len, NULL);
  tl_document *again = tl_document_new(d2.tree, tm);
  tl_docdiag_list *dl = tl_docdiag_run(again);
  fts_str b = {0};
  for (size_t i = 0; i < dl->len; i++) {
    fts_cat(&b, "%s ", tl_docdiag_code_name(dl->items[i].code));
    fts_cat_pos(&b, &d2, dl->items[i].span.start);
    fts_cat(&b, " %s\n", dl->items[i].name ? dl->items[i].name : "");
  }
  r->diags = gr_strndup(fts_str_get(&b), b.len);
  fts_str_free(&b);
  tl_docdiag_free(dl);
  tl_document_free(again);
  fts_doc_close(&d2);
  tl_workspace_free(ws);
}

static void seed_run_free(seed_run *r) {
  gr_free(r->after);
  gr_free(r->diags);
}

/* The text of `s` from the line holding `needle`'s start, back `before`
 * lines and on `after` lines: a seam, exactly. */
static char *seam(const char *s, const char *needle, int before, int after) {
  const char *at = strstr(s, needle);
  if (!at) return gr_strndup("(not found)", 11);
  const char *a = at;
  while (a > s && a[-1] != '\n') a--;
  for (int k = 0; k < before && a > s; k++) {
    a--;
    while (a > s && a[-1] != '\n') a--;
  }
  const char *e = at;
  for (int k = 0; k <= after && *e; k++) {
    while (*e && *e != '\n') e++;
    if (*e) e++;
  }
  return gr_strndup(a, (size_t)(e - a));
}

static void expect_seam(const char *name, const char *text, const char *needle, int before, int after,
                        const char *want) {
  char *got = seam(text, needle, before, after);
  fts_expect(name, got, want);
  gr_free(got);
}

static void test_codeaction_seed_insert_all(void **state) {
  (void)state;
  size_t tlen;
  char *tmpl = ts_slurp(SEED, &tlen);
  assert_non_null(tmpl);

  /* First, middle and last sections, and the document's own footer. */
  seed_run r;
  seed_insert_all(tmpl, tlen, SEED_TOP SEED_SECURITY SEED_LAST SEED_FOOTER, &r);
  assert_int_equal(r.inserts, 2); /* after the first section, after the middle one */
  /* The document's own text is all there, in its order, the footer last. */
  assert_non_null(strstr(r.after, SEED_TOP));
  assert_non_null(strstr(r.after, SEED_SECURITY));
  size_t fl = strlen(SEED_LAST SEED_FOOTER);
  assert_true(r.after_len > fl);
  assert_string_equal(r.after + r.after_len - fl, SEED_LAST SEED_FOOTER);
  expect_seam("after the first section", r.after, "## Infrastructure as Code (IaC)", 2, 2,
              "- Core Services: Postgres, object storage\n"
              "\n"
              "## Infrastructure as Code (IaC)\n"
              "\n"
              "- Tools & Frameworks\n");
  expect_seam("before the middle section", r.after, "## Security Architecture", 7, 0,
              "## Data Resources\n"
              "\n"
              "- Database Deployment Strategy\n"
              "- Backup & Recovery\n"
              "- Replication & Failover\n"
              "- Data Migration Strategy\n"
              "\n"
              "## Security Architecture\n");
  expect_seam("after the middle section", r.after, "## Shared Responsibility Model", 2, 0,
              "Every login goes through the company SSO.\n"
              "\n"
              "## Shared Responsibility Model\n");
  expect_seam("before the last section", r.after, "## Infrastructure Change Management", 2, 0,
              "- Analyst Research Integration\n"
              "\n"
              "## Infrastructure Change Management\n");
  /* The template's footer is not a section's: inserted once, never. */
  assert_null(strstr(r.after, "*Document Version: 1.0*\n*Last Updated: {{current_date}}"));
  /* No section-order, no missing-section: only the placeholders the
   * inserted skeletons carry (the REPEAT's environment, the feasibility
   * results). */
  fts_expect("seed: first, middle and last, reparsed", r.diags, SEED_INSERTED_PLACEHOLDERS);
  seed_run_free(&r);

  /* First and middle only, then a footer: the rest goes before the footer. */
  seed_insert_all(tmpl, tlen, SEED_TOP SEED_SECURITY SEED_FOOTER, &r);
  assert_int_equal(r.inserts, 2);
  fl = strlen(SEED_FOOTER);
  assert_string_equal(r.after + r.after_len - fl, SEED_FOOTER);
  expect_seam("the last section inserted, before the document's footer", r.after, "---\n\n*Document", 7, 0,
              "## Infrastructure Change Management\n"
              "\n"
              "- Change Request Process\n"
              "- Risk Assessment\n"
              "- Testing Strategy\n"
              "- Validation Procedures\n"
              "\n"
              "---\n");
  fts_expect("seed: first and middle, reparsed", r.diags, SEED_INSERTED_PLACEHOLDERS2);
  seed_run_free(&r);
  gr_free(tmpl);
}


/* ---- what the client asks for ------------------------------------------- */

#define CTX_DOC DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n"
#define CTX_OWNERS "## Owners\n\n[[LLM: Fill the owners.]]\n\nOps runs it.\n\n@{example: x}\n| a |\n@{/example}\n\n"

static void test_codeaction_context(void **state) {
  (void)state;
  static const char *const quickfix[] = {"quickfix"};
  static const char *const refactor[] = {"refactor"};
  static const char *const source[] = {"source"};
  static const char *const fix_all[] = {"source.fixAll"};
  static const char *const other[] = {"source.organizeImports", "refactor.extract"};

  /* Select the placeholder: offered where the client can select. */
  g_can_select = 1;
  ca_case sel = {"an unfilled placeholder with no example: select it", 0, plan,
                 DOC_TOP "### Staging Environment\n\n- Purpose: {{purp" M "ose}}\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS,
                 "== quickfix \"Select the placeholder to fill it in\" fixes: unfilled-placeholder@8:11-8:22\n"
                 "select 8:11-8:22\n"
                 "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
                 DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n"
                 "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS
                 DOC_RISKS};
  run_case(&sel, NULL, 0);
  /* A placeholder the template does not have (unknown-placeholder): the
   * same fix, selecting it. */
  ca_case unk = {"a placeholder the template lacks: select it", 0, plan,
                 DOC_TOP "### Staging Environment\n\n- Purpose: {{cost cen" M "tre}}\n- Region: eu-west-1\n\n" DOC_OWNERS DOC_RISKS,
                 "== quickfix \"Select the placeholder to fill it in\" fixes: unknown-placeholder@8:11-8:26\n"
                 "select 8:11-8:26\n"
                 "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
                 DOC_TOP "### Staging Environment\n\n- Purpose: {{cost centre}}\n- Region: eu-west-1\n\n"
                 "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS
                 DOC_RISKS};
  run_case(&unk, NULL, 0);

  /* only: quickfix: no refactor, no source action. */
  g_only = quickfix;
  g_n_only = 1;
  ca_case qf = {"only quickfix", 0, plan, DOC_TOP "### Staging Environment\n\n- Purpose: {{purp" M "ose}}\n- Region: eu-west-1\n\n"
                DOC_OWNERS DOC_RISKS,
                "== quickfix \"Select the placeholder to fill it in\" fixes: unfilled-placeholder@8:11-8:22\n"
                "select 8:11-8:22\n"};
  run_case(&qf, NULL, 0);
  /* only: refactor matches refactor.insert */
  g_only = refactor;
  ca_case rf = {"only refactor", 0, plan, qf.input,
                "== refactor.insert \"Add another environment (REPEAT)\" fixes:\n"
                DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n"
                "### {{environment_name}} Environment\n\n- Purpose: {{purpose}}\n- Region: {{region}}\n\n" DOC_OWNERS
                DOC_RISKS};
  run_case(&rf, NULL, 0);
  /* kinds tmpl-ls has none of: nothing */
  g_only = other;
  g_n_only = 2;
  ca_case none = {"only kinds tmpl-ls does not make", 0, plan, qf.input, ""};
  run_case(&none, NULL, 0);
  g_can_select = 0;

  /* source.fixAll: every leftover in one edit, wherever the cursor is;
   * placeholders and prose stay. "source" matches it too. */
  const char *fa_input = DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1 @{example: eu-west-1}\n\n"
                         CTX_OWNERS "<<REPEAT: risk>>\n" DOC_RISKS "<</REPEAT>>\n" M;
  const char *fa_want =
      "== source.fixAll.tmpl-ls \"Remove leftover instructions, examples and markers (4)\" fixes: "
      "leftover-example@9:20-9:41 leftover-instruction@13:0-13:25 leftover-example@17:0-19:11 "
      "leftover-markup@21:0-21:16\n"
      DOC_TOP "### Staging Environment\n\n- Purpose: {{purpose}}\n- Region: eu-west-1\n\n"
      "## Owners\n\nOps runs it.\n\n" DOC_RISKS;
  for (int k = 0; k < 2; k++) {
    g_only = k ? source : fix_all;
    g_n_only = 1;
    ca_case fa = {k ? "only source: fix all" : "only source.fixAll: fix all", 0, plan, fa_input, fa_want};
    run_case(&fa, NULL, 0);
  }
  g_only = NULL;
  g_n_only = 0;

  /* The client's context.diagnostics alone, when it sends some: the fixes
   * for the leftover example it names, none for the instruction under the
   * cursor. */
  ca_case named = {"context.diagnostics decides", 0, plan,
                   DOC_TOP DOC_STAGING "## Owners\n\n[[LLM: Fill" M " the owners.]]\n\nOps runs it.\n\n@{example: x}\n| a |\n@{/example}\n\n"
                   DOC_RISKS,
                   "== quickfix \"Remove the leftover example\" preferred fixes: leftover-example@17:0-19:11\n"
                   DOC_TOP DOC_STAGING "## Owners\n\n[[LLM: Fill the owners.]]\n\nOps runs it.\n\n" DOC_RISKS
                   "== source.fixAll.tmpl-ls \"Remove leftover instructions, examples and markers (2)\" fixes: "
                   "leftover-instruction@13:0-13:25 leftover-example@17:0-19:11\n"
                   DOC_TOP DOC_STAGING "## Owners\n\nOps runs it.\n\n" DOC_RISKS};
  /* line 17 col 0 .. line 19 col 11, as byte offsets */
  const char *t = named.input;
  const char *ex = strstr(t, "@{example: x}");
  uint32_t at = (uint32_t)(ex - t) - (uint32_t)strlen(M);
  gr_span also[] = {{at, at + (uint32_t)strlen("@{example: x}\n| a |\n@{/example}")}};
  run_case(&named, also, 1);

  /* Only diagnostics that are gone (a client's stale list): the range decides. */
  ca_case stale = {"context.diagnostics all stale: the range decides", 0, plan,
                   DOC_TOP DOC_STAGING "## Owners\n\n[[LLM: Fill" M " the owners.]]\n\nOps runs it.\n\n" DOC_RISKS,
                   "== quickfix \"Remove the leftover LLM instruction\" preferred fixes: leftover-instruction@13:0-13:25\n"
                   DOC_TOP DOC_STAGING "## Owners\n\nOps runs it.\n\n" DOC_RISKS};
  gr_span gone[] = {{3, 9}};
  run_case(&stale, gone, 1);
}

/* ---- invariants ---------------------------------------------------------- */

/* At every diagnostic and at a spread of ranges of every corpus template:
 * every action's edits apply, are sorted and disjoint, and the result has
 * no more grammar diagnostics (the feature checks it; this proves the
 * check runs on whatever the corpus holds). */
static void check_file(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  GR_ARRAY(gr_span) ranges = {0};
  for (uint32_t i = 0; i < gr_tree_diag_count(d->tree) && ranges.len < 200; i++)
    gr_array_push(&ranges, gr_tree_diag(d->tree, i)->span);
  uint32_t len = gr_tree_len(d->tree);
  for (uint32_t k = 0; k < 20; k++) {
    gr_span r = {len * k / 20, len * (k + 1) / 20};
    gr_array_push(&ranges, r);
    gr_span c = {r.start, r.start};
    gr_array_push(&ranges, c);
  }
  tl_document *aligned = tl_document_new(d->tree, NULL);
  for (size_t k = 0; k < ranges.len; k++) {
    for (int as_template = 0; as_template < 2; as_template++) {
      ft_action_request rq;
      memset(&rq, 0, sizeof rq);
      rq.tree = d->tree;
      rq.range = ranges.items[k];
      rq.is_template = as_template;
      rq.tmpl = TL_NONE;
      rq.doc = as_template ? NULL : aligned;
      ft_actions *acts = ft_codeaction_new(&rq);
      for (size_t i = 0; i < acts->len; i++) {
        const ft_action *a = &acts->items[i];
        for (size_t e = 1; e < a->edits.len; e++)
          if (a->edits.items[e].span.start < a->edits.items[e - 1].span.end)
            fail_msg("%s: action '%s' has overlapping edits", name, a->title);
        size_t n;
        char *out = ft_edit_apply(d->text, d->len, &a->edits, &n);
        if (!out) fail_msg("%s: action '%s' does not apply", name, a->title);
        gr_tree *t2 = gr_parse(out, n, NULL);
        if (gr_tree_diag_count(t2) > gr_tree_diag_count(d->tree))
          fail_msg("%s: action '%s' adds diagnostics", name, a->title);
        if (a->kind == FT_ACTION_QUICKFIX && !a->fixes.len) fail_msg("%s: quick fix '%s' fixes nothing", name, a->title);
        gr_tree_free(t2);
        gr_free(out);
      }
      ft_codeaction_free(acts);
    }
  }
  tl_document_free(aligned);
  gr_array_free(&ranges);
}

static void test_codeaction_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_file, NULL) > 100);
  fts_garbage_each(150, check_file, NULL);
}

/* ---- pathological input --------------------------------------------------- */

static double seconds_since(clock_t t0) { return (double)(clock() - t0) / CLOCKS_PER_SEC; }

/* A 1 MB line of empty placeholders: one fix for the one under the cursor;
 * 250 nested CONDITIONs whose innermost closer is misnamed: renamed.
 * Each in well under 5 s (the fix is reparsed to be checked). */
static void test_codeaction_pathological(void **state) {
  (void)state;
  fts_str in = {0};
  while (in.len < (1u << 20)) fts_cat(&in, "{{}} ");
  fts_doc d;
  fts_doc_open(&d, fts_str_get(&in), in.len, NULL);
  ft_action_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  rq.range = (gr_span){500002, 500002};
  rq.is_template = 1;
  rq.tmpl = TL_NONE;
  clock_t t0 = clock();
  ft_actions *acts = ft_codeaction_new(&rq);
  assert_int_equal(acts->len, 1);
  assert_int_equal(acts->items[0].edits.len, 1);
  assert_int_equal(acts->items[0].edits.items[0].span.start, 500000);
  assert_int_equal(acts->items[0].edits.items[0].span.end, 500005);
  ft_codeaction_free(acts);
  assert_true(seconds_since(t0) < 5.0);
  fts_doc_close(&d);
  fts_str_free(&in);
  in = (fts_str){0};

  /* The whole of 4,000 empty placeholders selected: quick fixes for the
   * first FT_CA_MAX_FIXES only, each checked by one reparse. */
  while (in.len < 20000) fts_cat(&in, "{{}} ");
  fts_doc_open(&d, fts_str_get(&in), in.len, NULL);
  rq.tree = d.tree;
  rq.range = (gr_span){0, (uint32_t)in.len};
  t0 = clock();
  acts = ft_codeaction_new(&rq);
  size_t fixes = 0;
  for (size_t i = 0; i < acts->len; i++) fixes += acts->items[i].kind == FT_ACTION_QUICKFIX;
  assert_int_equal(fixes, FT_CA_MAX_FIXES);
  assert_int_equal(acts->items[0].edits.items[0].span.start, 0);
  ft_codeaction_free(acts);
  assert_true(seconds_since(t0) < 5.0);
  fts_doc_close(&d);
  fts_str_free(&in);

  /* As deep as the default depth limit allows: fixes are checked by a
   * reparse with the default options, as the server parses. */
  enum { N = 250 };
  size_t len;
  char *text = fts_nested("^^CONDITION: c^^\n", "^^CONDITION: a^^\n^^/CONDITION: b^^\n", "^^/CONDITION: c^^\n", N, &len);
  fts_doc_open(&d, text, len, NULL);
  const char *b = strstr(text, "^^/CONDITION: b^^");
  rq.tree = d.tree;
  rq.range = (gr_span){(uint32_t)(b - text) + 14, (uint32_t)(b - text) + 14};
  t0 = clock();
  acts = ft_codeaction_new(&rq);
  assert_true(acts->len >= 1);
  fts_expect("deep nesting", acts->items[0].title, "Rename the closer to 'a'");
  ft_codeaction_free(acts);
  assert_true(seconds_since(t0) < 5.0);
  fts_doc_close(&d);
  gr_free(text);
}

/* ---- turning diagnostics off -------------------------------------------- */

typedef struct off_case {
  const char *name;
  const char *input; /* a template, with the range marked */
  const char *want;  /* the "Turn off" actions and the text each leaves */
} off_case;

static const off_case off_cases[] = {
    {"above the line, indented as it is; and at the top of the file",
     "# T\n\n  - item {{" M "}}\n",
     "== Turn off empty-placeholder on this line\n"
     "# T\n\n  <!-- tmpl-ls-disable-next-line empty-placeholder -->\n  - item {{}}\n"
     "== Turn off empty-placeholder in this file\n"
     "<!-- tmpl-ls-disable-file empty-placeholder -->\n# T\n\n  - item {{}}\n"},
    {"a table row: at its end; the file's comment after front matter, in its line ending",
     "---\r\nx: 1\r\n---\r\n| a | {{" M "}} |\r\n",
     "== Turn off empty-placeholder on this line\n"
     "---\\r\nx: 1\\r\n---\\r\n| a | {{}} | <!-- tmpl-ls-disable-line empty-placeholder -->\\r\n"
     "== Turn off empty-placeholder in this file\n"
     "---\\r\nx: 1\\r\n---\\r\n<!-- tmpl-ls-disable-file empty-placeholder -->\\r\n| a | {{}} |\\r\n"},
    {"in a fenced code block a comment is code: the file only",
     "```\n{{" M "}}\n```\n",
     "== Turn off empty-placeholder in this file\n"
     "<!-- tmpl-ls-disable-file empty-placeholder -->\n```\n{{}}\n```\n"},
    {"in front matter or a multi-line instruction a comment is text: the file only",
     "---\nx: {{" M "}}\n---\n[[LLM: a\n{{}}\n]]\n",
     "== Turn off empty-placeholder in this file\n"
     "---\nx: {{}}\n---\n<!-- tmpl-ls-disable-file empty-placeholder -->\n[[LLM: a\n{{}}\n]]\n"},
    {"after a BOM",
     "\xEF\xBB\xBF# T {{" M "}}\n",
     "== Turn off empty-placeholder on this line\n"
     "\xEF\xBB\xBF<!-- tmpl-ls-disable-next-line empty-placeholder -->\n# T {{}}\n"
     "== Turn off empty-placeholder in this file\n"
     "\xEF\xBB\xBF<!-- tmpl-ls-disable-file empty-placeholder -->\n# T {{}}\n"},
    {"one pair of actions per code, for the first of its diagnostics",
     M "{{}} {{}}\n<</REPEAT>>" M "\n",
     "== Turn off empty-placeholder on this line\n"
     "<!-- tmpl-ls-disable-next-line empty-placeholder -->\n{{}} {{}}\n<</REPEAT>>\n"
     "== Turn off empty-placeholder in this file\n"
     "<!-- tmpl-ls-disable-file empty-placeholder -->\n{{}} {{}}\n<</REPEAT>>\n"
     "== Turn off stray-closer on this line\n"
     "{{}} {{}}\n<!-- tmpl-ls-disable-next-line stray-closer -->\n<</REPEAT>>\n"
     "== Turn off stray-closer in this file\n"
     "<!-- tmpl-ls-disable-file stray-closer -->\n{{}} {{}}\n<</REPEAT>>\n"},
};

static void test_codeaction_turn_off(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof off_cases / sizeof off_cases[0]; i++) {
    gr_span range;
    char *text = strip_marks(off_cases[i].input, &range);
    fts_doc d;
    fts_doc_open_str(&d, text);
    tl_diags diags = {0};
    tl_diags_from_tree(&diags, d.tree);
    tl_suppress(&diags, d.tree);
    ft_action_request rq;
    memset(&rq, 0, sizeof rq);
    rq.tree = d.tree;
    rq.range = range;
    rq.is_template = 1;
    rq.tmpl = TL_NONE;
    rq.diags = &diags;
    ft_actions *acts = ft_codeaction_new(&rq);
    fts_str b = {0};
    for (size_t k = 0; k < acts->len; k++) {
      const ft_action *a = &acts->items[k];
      if (strncmp(a->title, "Turn off ", 9) != 0) continue;
      fts_cat(&b, "== %s\n", a->title);
      size_t n;
      char *out = ft_edit_apply(d.text, d.len, &a->edits, &n);
      render_text(&b, out, n);
      /* and the comment does turn it off: everywhere, or one fewer */
      gr_tree *t2 = gr_parse(out, n, NULL);
      tl_diags after = {0};
      tl_diags_from_tree(&after, t2);
      tl_suppress(&after, t2);
      size_t was = 0, now = 0;
      for (size_t j = 0; j < diags.len; j++) was += strcmp(diags.items[j].code, a->fixes.items[0].code) == 0;
      for (size_t j = 0; j < after.len; j++) now += strcmp(after.items[j].code, a->fixes.items[0].code) == 0;
      if (strstr(a->title, "in this file") ? now != 0 : now >= was)
        fail_msg("case '%s': \"%s\" leaves %zu of %zu", off_cases[i].name, a->title, now, was);
      tl_diags_free(&after);
      gr_tree_free(t2);
      gr_free(out);
    }
    fts_expect(off_cases[i].name, fts_str_get(&b), off_cases[i].want);
    fts_str_free(&b);
    ft_codeaction_free(acts);
    tl_diags_free(&diags);
    fts_doc_close(&d);
    gr_free(text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_codeaction_template_actions),
      cmocka_unit_test(test_codeaction_client_named_diagnostics),
      cmocka_unit_test(test_codeaction_document_actions),
      cmocka_unit_test(test_codeaction_seed_insert_all),
      cmocka_unit_test(test_codeaction_context),
      cmocka_unit_test(test_codeaction_corpus_and_garbage_invariants),
      cmocka_unit_test(test_codeaction_pathological),
      cmocka_unit_test(test_codeaction_turn_off),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
