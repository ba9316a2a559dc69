/*
 * test_foreign.c: which {{…}} of a document are its template's placeholders
 * (server/model/foreign.c). A precision set, one line of our own making a
 * case: each class of other languages' {{ }} and of prose about syntax
 * gives no diagnostic, and each real leftover exactly one, with its span
 * and message; then the same against a template (lenient names, the
 * unknown-placeholder hint), the text rule as completion asks it (while
 * typing), and the lenient name comparison.
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
#include "server/model/docdiag.h"
#include "server/model/document.h"
#include "server/model/foreign.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"

typedef struct fg_case {
  const char *name, *doc, *want;
} fg_case;

/* The placeholder diagnostics of doc against tmpl (NULL: none), one a line:
 * code severity start-end message. Missing sections and the like are not
 * this file's business. */
static char *placeholder_diags(const char *doc, const char *tmpl) {
  gr_tree *tt = tmpl ? gr_parse(tmpl, strlen(tmpl), NULL) : NULL;
  tl_template *t = tt ? tl_template_new(tt) : NULL;
  gr_tree *dt = gr_parse(doc, strlen(doc), NULL);
  tl_document *d = tl_document_new(dt, t);
  tl_docdiag_list *l = tl_docdiag_run(d);
  fts_str b = {0};
  for (size_t i = 0; i < l->len; i++) {
    const tl_docdiag *x = &l->items[i];
    if (x->code != TL_DD_UNFILLED_PLACEHOLDER && x->code != TL_DD_UNKNOWN_PLACEHOLDER) continue;
    fts_cat(&b, "%s %d %u-%u %s\n", tl_docdiag_code_name(x->code), (int)x->severity, x->span.start,
            x->span.end, x->message);
  }
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  tl_docdiag_free(l);
  tl_document_free(d);
  gr_tree_free(dt);
  tl_template_free(t);
  gr_tree_free(tt);
  return out;
}

static void run(const fg_case *cases, size_t n, const char *tmpl) {
  for (size_t i = 0; i < n; i++) {
    char *got = placeholder_diags(cases[i].doc, tmpl);
    fts_expect(cases[i].name, got, cases[i].want);
    gr_free(got);
  }
}

#define UNFILLED(span, name) \
  "unfilled-placeholder 2 " span " Unfilled placeholder {{" name "}}: replace it with the document's content\n"
#define UNKNOWN(span, name)                                                                      \
  "unknown-placeholder 4 " span " The template has no placeholder {{" name "}}: if it was left " \
  "to fill in, replace it with the document's content\n"

/* ---- other languages: no diagnostic -------------------------------------- */

static void test_foreign_jsx_props(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"motion props in prose", "<motion.div initial={{ opacity: 0 }} animate={{ scale: 1, y: 0 }}>\n", ""},
      {"sx prop", "<Box sx={{ mt: 2, display: 'flex' }} />\n", ""},
      {"spread and member values", "<div style={{ ...baseStyle, color: theme.primary }}>\n", ""},
      {"object over lines", "<Card style={{\n  padding: 8,\n  border: \"none\"\n}}>\n", ""},
      {"transition prop", "Fade with transition={{ duration: 0.4, ease: \"easeOut\" }} on mount.\n", ""},
      {"bare object literal in prose", "The hook returns {{ loading: false, data: null }} at first.\n", ""},
      {"attribute with a dash", "<Chart aria-props={{ role: 'img' }} />\n", ""},
  };
  run(cases, sizeof cases / sizeof cases[0], NULL);
}

static void test_foreign_workflow_expressions(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"n8n json path", "Map the field to {{ $json.customer.email }} in the Set node.\n", ""},
      {"n8n node lookup", "Read {{ $node[\"Webhook\"].json.body.id }} from the trigger.\n", ""},
      {"n8n node call", "Total: {{ $('HTTP Request').item.json.total }}\n", ""},
      {"make module path and function", "Make sends {{1.email}} and {{formatDate(now; \"YYYY-MM-DD\")}}.\n", ""},
      {"prometheus labels and value", "summary: Instance {{ $labels.instance }} down, value {{ $value }}\n", ""},
      {"prometheus functions", "description: {{ humanize $value }} req/s, {{ printf \"%.1f\" $value }}%\n", ""},
  };
  run(cases, sizeof cases / sizeof cases[0], NULL);
}

static void test_foreign_frameworks(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"angular pipe after a path", "Show {{ order.customer | uppercase }} in the header.\n", ""},
      {"angular pipe with an argument", "Price: {{ total | currency:'EUR' }}\n", ""},
      {"ngFor on the line", "<li *ngFor=\"let step of steps\">{{ step }}</li>\n", ""},
      {"v-for on the line", "<li v-for=\"item in items\" :key=\"item.id\">{{ item }}</li>\n", ""},
      {"v-for on the line before", "<li v-for=\"u in users\">\n  {{ u }}\n</li>\n", ""},
      {"v-model", "<input v-model=\"query\"> {{ query }}\n", ""},
      {"i18n call on the line", "`t('cart.items', { count })` renders \"{{count}} items\".\n", ""},
      {"i18next on the line", "With i18next the key reads \"Hello, {{user}}!\".\n", ""},
      {"handlebars block on the line", "{{#each releases}}- {{version}}: {{notes}}{{/each}}\n", ""},
      {"handlebars partial and comment", "Partials: {{> footer}} and {{!-- note --}}\n", ""},
      {"handlebars helpers", "Render {{formatCurrency amount}} and {{link \"Docs\" docsUrl}}.\n", ""},
      {"helper on this", "{{uppercase this}}\n", ""},
  };
  run(cases, sizeof cases / sizeof cases[0], NULL);
}

/* ---- prose about syntax, {{}}: no diagnostic ----------------------------- */

static void test_foreign_prose_about_syntax(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"replace placeholders", "Before use, replace {{VARIABLE}} placeholders with real values.\n", ""},
      {"used with syntax", "Prompts are used with {{NAME}} syntax.\n", ""},
      {"standardized syntax to", "We standardized the variable syntax to {{VAR}} in v2.\n", ""},
      {"format and syntax around", "Flows export in N8N format ({{ $json.* }} syntax).\n", ""},
      {"change-log row about {{}}", "| 2024-03-02 | Switched to {{}} markers |\n", ""},
      {"replace all", "Replace all {{placeholders}} with project content.\n", ""},
      {"a named placeholder", "The {{customer_name}} placeholder is filled by the mail merge.\n", ""},
      {"a named variable", "Each {{ticket_id}} variable comes from Jira.\n", ""},
      {"generic name in a syntax sentence", "Our prompts mark each input as {{NAME}} in the template.\n", ""},
      {"quoted mention", "The syntax is \"{{key}}\" in both tools.\n", ""},
      {"empty", "Empty braces {{}} are left alone.\n", ""},
      {"blank", "So are {{ }} and {{\t}}.\n", ""},
  };
  run(cases, sizeof cases / sizeof cases[0], NULL);
}

/* ---- real leftovers: exactly one each ------------------------------------ */

static void test_foreign_real_leftovers(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"owner in a list", "- **Owner:** {{owner}}\n", UNFILLED("13-22", "owner")},
      {"alone under its heading", "### Agent Model Used\n\n{{Agent Model Name/Version}}\n",
       UNFILLED("22-50", "Agent Model Name/Version")},
      {"table cell", "| Region | {{region}} |\n", UNFILLED("11-21", "region")},
      {"heading", "## {{Project Name}} Overview\n", UNFILLED("3-19", "Project Name")},
      /* A word after the placeholder that is not a noun for the syntax, and
       * any heading, leave it a leftover. */
      {"heading with a syntax word after", "# {{Project Name}} Template\n", UNFILLED("2-18", "Project Name")},
      {"a format named by a placeholder", "Use {{tool}} format.\n", UNFILLED("4-12", "tool")},
      {"a replacement named by a placeholder", "See {{the_owner}} replacement.\n", UNFILLED("4-17", "the_owner")},
      {"a label's colon ends the phrase", "- **Format:** {{log_format}}\n", UNFILLED("14-28", "log_format")},
      {"bold label, colon outside", "**Templates Used**: {{templates_used}}\n",
       UNFILLED("20-38", "templates_used")},
      {"heading label", "#### Threat of Substitutes: {{Low/Medium/High}}\n",
       UNFILLED("28-47", "Low/Medium/High")},
      {"syntax word too far", "Call {{API endpoint}} with an invalid email format.\n",
       UNFILLED("5-21", "API endpoint")},
      {"syntax word two words off", "- The {{api_gateway}} routes requests in JSON format.\n",
       UNFILLED("6-21", "api_gateway")},
      {"choice list is no pipeline", "Risk: {{high | med | low}}\n", UNFILLED("6-26", "high | med | low")},
      {"choices with bars", "- Data format: {{json|yaml|custom}}\n", UNFILLED("15-35", "json|yaml|custom")},
      {"words after a colon are no object", "- {{KPI 1: Definition and target}}\n",
       UNFILLED("2-34", "KPI 1: Definition and target")},
      {"capitalised key is no object", "- Release state: {{Status: Draft}}\n", UNFILLED("17-34", "Status: Draft")},
      {"spaces inside the braces", "Send {{ user_name }} a welcome email.\n", UNFILLED("5-20", "user_name")},
      {"a call glued to a word is no t(", "Get(id) returns {{owner_id}} today.\n", UNFILLED("16-28", "owner_id")},
      {"a version is no path", "Version {{v1.2}} ships first.\n", UNFILLED("8-16", "v1.2")},
      {"the sentence before does not count", "See the template guide. Owner: {{owner}}\n",
       UNFILLED("31-40", "owner")},
      {"no syntax word right after", "- The {{component}} expression is evaluated at runtime.\n",
       UNFILLED("6-19", "component")},
      {"a syntax word later in the sentence", "The prompt {{prompt_name}} is a template for replies.\n",
       UNFILLED("11-26", "prompt_name")},
      {"an assignment is no JSX prop", "- Set FOO={{foo_value}} in .env\n", UNFILLED("10-23", "foo_value")},
      {"a word for a value is no object", "- {{name: value}}\n", UNFILLED("2-17", "name: value")},
  };
  run(cases, sizeof cases / sizeof cases[0], NULL);
}

/* ---- against a template --------------------------------------------------- */

static const char runbook_tmpl[] =
    "# {{Project Name}} Runbook\n"
    "## Overview\n"
    "Owner: {{owner}}\n"
    "## Environments\n"
    "<<REPEAT: environment>>\n"
    "### {{environment_name}} Environment\n"
    "<</REPEAT>>\n"
    "## Localisation\n"
    "Strings: {{count}}\n"
    "[[LLM: Ask for the {{support_contact}}.]]\n";

static void test_foreign_against_template(void **state) {
  (void)state;
  static const fg_case cases[] = {
      {"case differs", "Owner: {{Owner}}\n", UNFILLED("7-16", "Owner")},
      {"the title's placeholder, '_' for ' '", "# {{project_name}} Runbook\n", UNFILLED("2-18", "project_name")},
      {"a numbered instance", "### {{Environment Name 2}} Environment\n", UNFILLED("4-26", "Environment Name 2")},
      {"named in an instruction only", "Call {{Support Contact}}.\n", UNFILLED("5-24", "Support Contact")},
      {"a name the template lacks", "Budget: {{budget}}\n", UNKNOWN("8-18", "budget")},
      {"foreign and lacking: nothing", "Budget: {{ $json.budget }}\n", ""},
      {"prose about syntax, lacking: nothing", "Before use, replace {{VARIABLE}} placeholders.\n", ""},
      {"{{}}: nothing", "Empty {{}} here.\n", ""},
      {"the template's name beats the i18n rule", "With i18next the key reads \"{{count}} items\".\n",
       UNFILLED("28-37", "count")},
      {"in code only what the template puts in code", "```json\n{\"owner\": \"{{owner}}\"}\n```\n", ""},
      {"never beats a hard rule", "<Box sx={{ owner: 1 }} />\n", ""},
      /* A brace too many after it: the template's name is still a leftover
       * (a typo), another name is another language's object. */
      {"a brace after the template's name", "Owner: {{owner}}}\n", UNFILLED("7-16", "owner")},
      {"a brace after another name", "Map: {{a: {b}}}\n", ""},
  };
  run(cases, sizeof cases / sizeof cases[0], runbook_tmpl);
}

/* ---- the text rule, as completion asks it -------------------------------- */

typedef struct text_case {
  const char *name, *text; /* the "{{" is the first one; the name runs to the end or to "}}" */
  unsigned flags;
  tl_foreign want;
} text_case;

static void test_foreign_text(void **state) {
  (void)state;
  static const text_case cases[] = {
      {"just typed", "Owner: {{", TL_FOREIGN_TYPING, TL_FOREIGN_NO},
      {"a name being typed", "Owner: {{own", TL_FOREIGN_TYPING, TL_FOREIGN_NO},
      {"github actions", "run: ${{ git", TL_FOREIGN_TYPING, TL_FOREIGN_HARD},
      {"jsx prop being typed", "<a style={{ opacity: 0", TL_FOREIGN_TYPING, TL_FOREIGN_HARD},
      {"n8n being typed", "Map {{ $json.em", TL_FOREIGN_TYPING, TL_FOREIGN_SOFT},
      {"empty, closed", "x {{}} y", 0, TL_FOREIGN_HARD},
      {"empty, typing", "x {{}} y", TL_FOREIGN_TYPING, TL_FOREIGN_NO},
      {"triple stash", "{{{body}}}", 0, TL_FOREIGN_HARD},
      {"a brace after", "x {{body}}} y", 0, TL_FOREIGN_SOFT},
      {"trim marker", "{{- include \"x\" . }}", 0, TL_FOREIGN_HARD},
      {"glued in code", "A{{Label}}", TL_FOREIGN_IN_CODE, TL_FOREIGN_HARD},
      {"glued in prose", "A{{Label}}", 0, TL_FOREIGN_NO},
      {"prose rule only outside code", "replace {{VAR}} placeholders", TL_FOREIGN_IN_CODE, TL_FOREIGN_NO},
      {"prose rule", "replace {{VAR}} placeholders", 0, TL_FOREIGN_SOFT},
      {"a plain name", "- **Owner:** {{owner}}", 0, TL_FOREIGN_NO},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const text_case *c = &cases[i];
    const char *t = c->text, *o = strstr(t, "{{"), *cl = strstr(o + 2, "}}");
    uint32_t len = (uint32_t)strlen(t), s = (uint32_t)(o - t);
    uint32_t ne = cl ? (uint32_t)(cl - t) : len;
    uint32_t e = cl && !(c->flags & TL_FOREIGN_TYPING) ? ne + 2 : ne;
    tl_foreign got = tl_foreign_text(t, len, (gr_span){s, e}, (gr_span){s + 2, ne}, c->flags);
    if (got != c->want) fail_msg("%s: %d, want %d", c->name, (int)got, (int)c->want);
  }
}

/* ---- names ---------------------------------------------------------------- */

static void test_foreign_name_eq(void **state) {
  (void)state;
  static const struct {
    const char *a, *b;
    int want;
  } cases[] = {
      {"Project Name", "project_name", 1},
      {"project-name", "ProjectName", 1},
      {" owner ", "owner", 1},
      {"Environment Name 2", "environment_name", 1},
      {"environment_name", "environment_name_3", 1},
      {"KPI 1", "KPI 2", 1},
      {"retrospective_file_4", "retrospective_file_1", 1},
      {"retrospective_file_4", "retrospective_date_1", 0},
      {"owner", "owners", 0},
      {"2", "3", 0},
      {"user.name", "user_name", 0},
      {"", "", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int got = tl_foreign_name_eq(cases[i].a, strlen(cases[i].a), cases[i].b, strlen(cases[i].b));
    if (got != cases[i].want) fail_msg("'%s' vs '%s': %d, want %d", cases[i].a, cases[i].b, got, cases[i].want);
  }
}

/* The classification is what semantic tokens and completion see, per node. */
static void test_foreign_classify(void **state) {
  (void)state;
  static const char doc[] = "Owner: {{owner}} {{budget}} ${{ github.sha }} {{}}\n";
  gr_tree *tt = gr_parse(runbook_tmpl, strlen(runbook_tmpl), NULL);
  tl_template *t = tl_template_new(tt);
  gr_tree *dt = gr_parse(doc, strlen(doc), NULL);
  static const tl_ph_kind with[] = {TL_PH_UNFILLED, TL_PH_UNKNOWN, TL_PH_FOREIGN, TL_PH_FOREIGN};
  static const tl_ph_kind without[] = {TL_PH_UNFILLED, TL_PH_UNFILLED, TL_PH_FOREIGN, TL_PH_FOREIGN};
  for (int pass = 0; pass < 2; pass++) {
    tl_document *d = tl_document_new(dt, pass ? NULL : t);
    size_t k = 0;
    for (uint32_t i = gr_tree_next(dt, 0); i != GR_NONE; i = gr_tree_next(dt, i)) {
      if (gr_tree_node(dt, i)->kind != GR_PLACEHOLDER) {
        assert_int_equal(tl_foreign_classify(d, i), TL_PH_FOREIGN);
        continue;
      }
      assert_true(k < 4);
      assert_int_equal(tl_foreign_classify(d, i), pass ? without[k] : with[k]);
      k++;
    }
    assert_int_equal(k, 4);
    tl_document_free(d);
  }
  gr_tree_free(dt);
  tl_template_free(t);
  gr_tree_free(tt);
}

/* Every corpus template read as a document of itself: no name is unknown
 * (the lenient comparison finds each placeholder in its own template). */
static void self_one(const char *name, const fts_doc *doc, void *ud) {
  size_t *bad = ud;
  tl_template *t = tl_template_new(doc->tree);
  tl_document *d = tl_document_new(doc->tree, t);
  for (uint32_t i = gr_tree_next(doc->tree, 0); i != GR_NONE; i = gr_tree_next(doc->tree, i)) {
    if (gr_tree_node(doc->tree, i)->kind != GR_PLACEHOLDER || tl_foreign_classify(d, i) != TL_PH_UNKNOWN) continue;
    print_error("%s: placeholder node %u is unknown to its own template\n", name, i);
    (*bad)++;
  }
  tl_document_free(d);
  tl_template_free(t);
}

static void test_foreign_corpus_self(void **state) {
  (void)state;
  size_t bad = 0;
  assert_true(fts_corpus_each(self_one, &bad) >= 140);
  assert_int_equal(bad, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_foreign_jsx_props),
      cmocka_unit_test(test_foreign_workflow_expressions),
      cmocka_unit_test(test_foreign_frameworks),
      cmocka_unit_test(test_foreign_prose_about_syntax),
      cmocka_unit_test(test_foreign_real_leftovers),
      cmocka_unit_test(test_foreign_against_template),
      cmocka_unit_test(test_foreign_text),
      cmocka_unit_test(test_foreign_name_eq),
      cmocka_unit_test(test_foreign_classify),
      cmocka_unit_test(test_foreign_corpus_self),
  };
  return cmocka_run_group_tests_name("foreign", tests, NULL, NULL);
}
