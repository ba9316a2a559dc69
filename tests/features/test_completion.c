/*
 * test_completion.c: server/features/completion.c. Each case is a file with
 * "§" at the cursor (a template, or a document aligned against `tmpl`), the
 * workspace's other template, and the items rendered one per line:
 *   <sort> <kind> "label" [<start>-<end>] filter="…" detail="…" plain|snippet
 *     "<text>"
 * (positions line:col, 0-based bytes), or "" for no items. Cases with
 * `apply` >= 0 also apply that item's edit and show the whole new text.
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
#include "server/features/completion.h"
#include "server/features/edit.h"
#include "server/model/document.h"
#include "server/model/template.h"
#include "server/model/workspace.h"
#include "tests/support/features_util.h"

#define CURSOR "\xC2\xA7" /* § */
#define CURSOR2 "\xC2\xB6" /* ¶: a second cursor (test_completion_self_entry) */

typedef struct comp_case {
  const char *name;
  int is_template;
  const char *tmpl;  /* templates: another template of the workspace; documents: their template */
  const char *input; /* with CURSOR at the cursor */
  int snippets;
  char trigger;
  int apply;         /* item to apply, or -1 */
  const char *want;
} comp_case;

/* ---- fixtures ----------------------------------------------------------- */

/* Another template of the workspace (names to count). */
static const char other[] =
    "# Other\n"
    "^^CONDITION: uses_k8s^^\n^^/CONDITION: uses_k8s^^\n"
    "^^CONDITION: uses_k8s^^\n^^/CONDITION: uses_k8s^^\n"
    "^^CONDITION: has_ui^^\n^^/CONDITION: has_ui^^\n"
    "<<REPEAT: service>>\n<</REPEAT>>\n"
    "<<REPEAT for each priority competitor>>\n<</REPEAT>>\n"
    "@{example: matrix}\n| a |\n@{/example}\n"
    "@{example: - NFR1: inline, not a name}\n"
    "{{purpose}} {{purpose}} {{region}} ${{ github.x }}\n"
    "[[LLM: mention {{only_mentioned}}]]\n";

/* The template documents are written from. */
static const char plan[] =
    "# {{Project}} Plan\n"                          /* 0 */
    "\n"                                            /* 1 */
    "[[LLM: Fill in the plan.]]\n"                  /* 2 */
    "\n"                                            /* 3 */
    "## Environments\n"                             /* 4 */
    "\n"                                            /* 5 */
    "[[LLM: One subsection per environment.]]\n"   /* 6 */
    "\n"                                            /* 7 */
    "<<REPEAT: environment>>\n"                     /* 8 */
    "### {{environment_name}} Environment\n"        /* 9 */
    "\n"                                            /* 10 */
    "- Purpose: {{purpose}}\n"                      /* 11 */
    "- Region: {{region}} @{example: eu-west-1}\n"  /* 12 */
    "<</REPEAT>>\n"                                 /* 13 */
    "\n"                                            /* 14 */
    "^^CONDITION: uses_k8s^^\n"                     /* 15 */
    "## Kubernetes\n"                               /* 16 */
    "\n"                                            /* 17 */
    "- Cluster: {{cluster}}\n"                      /* 18 */
    "^^/CONDITION: uses_k8s^^\n"                    /* 19 */
    "\n"                                            /* 20 */
    "## Risks\n"                                    /* 21 */
    "\n"                                            /* 22 */
    "[[LLM: List the risks.]]\n"                    /* 23 */
    "<critical_rule>Name an owner for each.</critical_rule>\n" /* 24 */
    "\n"                                            /* 25 */
    "- {{risk}}\n"                                  /* 26 */
    "\n"                                            /* 27 */
    "^^CONDITION: has_costs^^\n"                    /* 28 */
    "### Costs\n"                                   /* 29 */
    "- {{cost}}\n"                                  /* 30 */
    "^^/CONDITION: has_costs^^\n";                  /* 31 */

#define DOC_HEAD "# Lumen Plan\n\n## Environments\n\n### Staging Environment\n\n- Purpose: tests\n- Region: {{region}}\n"

/* ---- running a case ----------------------------------------------------- */

static const char *kind_name(ft_comp_kind k) {
  static const char *names[] = {"section", "section-ref", "placeholder", "condition", "repeat", "example", "directive"};
  return (unsigned)k < FT_COMP_KIND_COUNT ? names[k] : "?";
}

/* The input without its cursor mark, and the cursor's offset. */
static char *strip_cursor(const char *in, uint32_t *cursor) {
  const char *m = strstr(in, CURSOR);
  assert_non_null(m);
  size_t n = strlen(in), at = (size_t)(m - in), ml = strlen(CURSOR);
  char *out = gr_malloc(n - ml + 1);
  memcpy(out, in, at);
  memcpy(out + at, m + ml, n - at - ml + 1);
  *cursor = (uint32_t)at;
  return out;
}

static void render(fts_str *b, const fts_doc *d, const ft_completions *list) {
  for (size_t i = 0; i < list->len; i++) {
    const ft_comp_item *it = &list->items[i];
    fts_cat(b, "%s %s ", it->sort, kind_name(it->kind));
    fts_cat_quoted(b, it->label, strlen(it->label));
    fts_cat(b, " [");
    fts_cat_pos(b, d, it->edit.start);
    fts_cat(b, "-");
    fts_cat_pos(b, d, it->edit.end);
    fts_cat(b, "] filter=");
    fts_cat_quoted(b, it->filter, strlen(it->filter));
    fts_cat(b, " detail=");
    fts_cat_quoted(b, it->detail ? it->detail : "", it->detail ? strlen(it->detail) : 0);
    fts_cat(b, " %s\n  ", it->snippet ? "snippet" : "plain");
    fts_cat_quoted(b, it->text, strlen(it->text));
    fts_cat(b, "\n");
  }
}

/* Completions for a case, with the workspace and alignment it implies. */
typedef struct comp_run {
  char *text;
  uint32_t cursor;
  fts_doc doc;
  tl_workspace *ws;
  tl_document *aligned;
  ft_completions *list;
} comp_run;

static void comp_open(comp_run *r, const comp_case *c) {
  memset(r, 0, sizeof *r);
  r->text = strip_cursor(c->input, &r->cursor);
  fts_doc_open_str(&r->doc, r->text);
  r->ws = tl_workspace_new();
  if (c->tmpl) tl_workspace_put(r->ws, c->is_template ? "other-tmpl.md" : "plan-tmpl.md", c->tmpl, strlen(c->tmpl));
  ft_comp_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = r->doc.tree;
  rq.offset = r->cursor;
  rq.is_template = c->is_template;
  rq.snippets = c->snippets;
  rq.trigger = c->trigger;
  rq.ws = r->ws;
  rq.self = TL_NONE;
  rq.tmpl = TL_NONE;
  if (!c->is_template && c->tmpl) {
    r->aligned = tl_document_new(r->doc.tree, tl_workspace_template(r->ws, 0));
    rq.doc = r->aligned;
    rq.tmpl = 0;
  }
  r->list = ft_completion_new(&rq);
}

static void comp_close(comp_run *r) {
  ft_completion_free(r->list);
  tl_document_free(r->aligned);
  tl_workspace_free(r->ws);
  fts_doc_close(&r->doc);
  gr_free(r->text);
}

static void run_case(const comp_case *c) {
  comp_run r;
  comp_open(&r, c);
  fts_str b = {0};
  render(&b, &r.doc, r.list);
  if (c->apply >= 0) {
    assert_true((size_t)c->apply < r.list->len);
    const ft_comp_item *it = &r.list->items[c->apply];
    ft_edits e = {0};
    ft_edit_add(&e, it->edit.start, it->edit.end, it->text, strlen(it->text));
    size_t n;
    char *out = ft_edit_apply(r.text, strlen(r.text), &e, &n);
    assert_non_null(out);
    fts_cat(&b, "=> ");
    fts_cat_quoted(&b, out, n);
    fts_cat(&b, "\n");
    /* The new text parses with no more diagnostics than the old. */
    gr_tree *t2 = gr_parse(out, n, NULL);
    assert_true(gr_tree_diag_count(t2) <= gr_tree_diag_count(r.doc.tree));
    gr_tree_free(t2);
    gr_free(out);
    ft_edit_free(&e);
  }
  fts_expect(c->name, fts_str_get(&b), c->want);
  fts_str_free(&b);
  comp_close(&r);
}

/* ---- template cases ------------------------------------------------------ */

static const comp_case template_cases[] = {
    {"CONDITION names: the workspace's, most used first", 1, other,
     "# T\n^^CONDITION: uses_db^^\n^^/CONDITION: uses_db^^\n^^CONDITION: " CURSOR "\n", 0, ' ', -1,
     "0000 condition \"uses_k8s\" [3:13-3:13] filter=\"uses_k8s\" detail=\"CONDITION: 2 uses in 1 template\" plain\n"
     "  \"uses_k8s^^\"\n"
     "0001 condition \"has_ui\" [3:13-3:13] filter=\"has_ui\" detail=\"CONDITION: 1 use in 1 template\" plain\n"
     "  \"has_ui^^\"\n"
     "0002 condition \"uses_db\" [3:13-3:13] filter=\"uses_db\" detail=\"CONDITION: 1 use in 1 template\" plain\n"
     "  \"uses_db^^\"\n"},
    {"CONDITION names after the colon, with a partial name", 1, NULL,
     "# T\n^^CONDITION: alpha^^\n^^/CONDITION: alpha^^\n^^CONDITION:al" CURSOR "\n", 0, 0, -1,
     "0000 condition \"alpha\" [3:12-3:14] filter=\"alpha\" detail=\"CONDITION: 1 use in 1 template\" plain\n"
     "  \" alpha^^\"\n"},
    {"a CONDITION closer: the innermost open block first", 1, other,
     "# T\n^^CONDITION: outer^^\n^^CONDITION: inner^^\ntext\n^^/CONDITION: " CURSOR "\n", 0, ' ', -1,
     "0000 condition \"inner\" [4:14-4:14] filter=\"inner\" detail=\"CONDITION: the innermost open block\" plain\n"
     "  \"inner^^\"\n"
     "0001 condition \"outer\" [4:14-4:14] filter=\"outer\" detail=\"CONDITION: an open block\" plain\n"
     "  \"outer^^\"\n"
     "0002 condition \"uses_k8s\" [4:14-4:14] filter=\"uses_k8s\" detail=\"CONDITION: 2 uses in 1 template\" plain\n"
     "  \"uses_k8s^^\"\n"
     "0003 condition \"has_ui\" [4:14-4:14] filter=\"has_ui\" detail=\"CONDITION: 1 use in 1 template\" plain\n"
     "  \"has_ui^^\"\n"},
    {"inside an existing closer's name: the whole name is replaced, no second ^^", 1, NULL,
     "# T\n^^CONDITION: uses_k8s^^\nx\n^^/CONDITION: us" CURSOR "ez^^\n", 0, 0, 0,
     "0000 condition \"uses_k8s\" [3:14-3:18] filter=\"uses_k8s\" detail=\"CONDITION: the innermost open block\" plain\n"
     "  \"uses_k8s\"\n"
     "=> \"# T\\n^^CONDITION: uses_k8s^^\\nx\\n^^/CONDITION: uses_k8s^^\\n\"\n"},
    {"REPEAT names: prose forms are not names", 1, other, "# T\n<<REPEAT: " CURSOR "\n", 0, ' ', -1,
     "0000 repeat \"service\" [1:10-1:10] filter=\"service\" detail=\"REPEAT: 1 use in 1 template\" plain\n"
     "  \"service>>\"\n"},
    {"example names: inline examples are not names", 1, other, "# T\n@{example: " CURSOR "\n", 0, ' ', -1,
     "0000 example \"matrix\" [1:11-1:11] filter=\"matrix\" detail=\"example: 1 use in 1 template\" plain\n"
     "  \"matrix}\"\n"},
    {"placeholders: this template's and the workspace's; the one typed and mentions not counted", 1, other,
     "# {{Project}}\n{{region}} {{reg" CURSOR "}}\n", 0, '{', -1,
     "0000 placeholder \"purpose\" [1:13-1:16] filter=\"purpose\" detail=\"placeholder: 2 uses in 1 template\" plain\n"
     "  \"purpose\"\n"
     "0001 placeholder \"region\" [1:13-1:16] filter=\"region\" detail=\"placeholder: 2 uses in 2 templates\" plain\n"
     "  \"region\"\n"
     "0002 placeholder \"Project\" [1:13-1:16] filter=\"Project\" detail=\"placeholder: 1 use in 1 template\" plain\n"
     "  \"Project\"\n"},
    {"GitHub Actions ${{ is not a placeholder", 1, other, "# T\nrun: ${{" CURSOR "\n", 0, '{', -1, ""},
    {"directives after <<: REPEAT, and the closer of the open one (snippets)", 1, NULL,
     "# T\n\n## Deploy Steps\n<<REPEAT: step>>\n- x\n<<" CURSOR "\n", 1, '<', -1,
     "0000 directive \"<<REPEAT: …>> block\" [5:0-5:2] filter=\"<<REPEAT\" detail=\"REPEAT block\" snippet\n"
     "  \"<<REPEAT: ${1:deploy_steps}>>\\n$0\\n<</REPEAT>>\"\n"
     "0001 directive \"<</REPEAT>>\" [5:0-5:2] filter=\"<</REPEAT>>\" detail=\"closes the open REPEAT\" plain\n"
     "  \"<</REPEAT>>\"\n"},
    {"directives after ^^: a CONDITION whose closer repeats the name (plain text)", 1, NULL,
     "# T\n\n## Service Mesh\n^^" CURSOR "\n", 0, '^', -1,
     "0000 directive \"^^CONDITION: …^^ block\" [3:0-3:2] filter=\"^^CONDITION\" detail=\"CONDITION block\" plain\n"
     "  \"^^CONDITION: service_mesh^^\\n\\n^^/CONDITION: service_mesh^^\"\n"},
    {"directives after ^^ (snippets): the closer mirrors the name", 1, NULL,
     "# T\n\n## Service Mesh\n^^CONDITION: a^^\n^^" CURSOR "\n", 1, '^', -1,
     "0000 directive \"^^CONDITION: …^^ block\" [4:0-4:2] filter=\"^^CONDITION\" detail=\"CONDITION block\" snippet\n"
     "  \"^^CONDITION: ${1:service_mesh}^^\\n$0\\n^^/CONDITION: $1^^\"\n"
     "0001 directive \"^^/CONDITION: a^^\" [4:0-4:2] filter=\"^^/CONDITION\" detail=\"closes the open CONDITION\" plain\n"
     "  \"^^/CONDITION: a^^\"\n"},
    {"directives after [[ and @{", 1, NULL, "# T\nSee [[" CURSOR "\n", 1, '[', -1,
     "0000 directive \"[[LLM: …]] instruction\" [1:4-1:6] filter=\"[[LLM:\" detail=\"LLM instruction\" snippet\n"
     "  \"[[LLM: $0]]\"\n"},
    {"directives after @{ (plain): an example block named after the heading", 1, NULL,
     "# T\n## Responsibility Matrix\n@{" CURSOR "\n", 0, '{', -1,
     "0000 directive \"@{example: …} block\" [2:0-2:2] filter=\"@{example\" detail=\"example block\" plain\n"
     "  \"@{example: responsibility_matrix}\\n\\n@{/example}\"\n"},
    {"one '<' at a line start: REPEAT and critical rule", 1, NULL, "# T\n- <" CURSOR "\n", 0, '<', -1,
     "0000 directive \"<<REPEAT: …>> block\" [1:2-1:3] filter=\"<<REPEAT\" detail=\"REPEAT block\" plain\n"
     "  \"<<REPEAT: t>>\\n\\n<</REPEAT>>\"\n"
     "0001 directive \"<critical_rule>\" [1:2-1:3] filter=\"<critical_rule>\" detail=\"critical rule\" plain\n"
     "  \"<critical_rule></critical_rule>\"\n"},
    {"a longer prefix picks one directive", 1, NULL, "# T\n<crit" CURSOR "\n", 1, 0, -1,
     "0000 directive \"<critical_rule>\" [1:0-1:5] filter=\"<critical_rule>\" detail=\"critical rule\" snippet\n"
     "  \"<critical_rule>$0</critical_rule>\"\n"},
    {"one '<' in prose: nothing", 1, NULL, "# T\nif a <" CURSOR "\n", 0, '<', -1, ""},
    {"a task list's '[': nothing", 1, NULL, "# T\n- [" CURSOR "\n", 0, '[', -1, ""},
    {"one '[' at a line start: the instruction", 1, NULL, "# T\n[" CURSOR "\n", 0, '[', -1,
     "0000 directive \"[[LLM: …]] instruction\" [1:0-1:1] filter=\"[[LLM:\" detail=\"LLM instruction\" plain\n"
     "  \"[[LLM: ]]\"\n"},
    {"a word glued to '<<': nothing", 1, NULL, "# T\nx<<" CURSOR "\n", 0, '<', -1, ""},
    {"section names in an instruction that references a section", 1, NULL,
     "# Plan\n## Deploy\n[[LLM: Reference the " CURSOR "]]\n### Steps\n## Data & Monitoring\n## {{x}} Env\n", 0, ' ', -1,
     "0000 section-ref \"Steps\" [2:21-2:21] filter=\"Steps\" detail=\"section (level 3) of this template\" plain\n"
     "  \"Steps\"\n"
     "0001 section-ref \"Data & Monitoring\" [2:21-2:21] filter=\"Data & Monitoring\" detail=\"section (level 2) of this template\" plain\n"
     "  \"Data & Monitoring\"\n"},
    {"section names: the name typed so far is replaced", 1, NULL,
     "# Plan\n## Deploy\n[[LLM: See the Data & Mon" CURSOR " section.]]\n## Data & Monitoring\n", 0, 0, -1,
     "0000 section-ref \"Data & Monitoring\" [2:15-2:25] filter=\"Data & Monitoring\" detail=\"section (level 2) of this template\" plain\n"
     "  \"Data & Monitoring\"\n"},
    {"section names after 'refer to' and 'described in'", 1, NULL,
     "# Plan\n## Deploy\n[[LLM: As described in " CURSOR "]]\n## Data\n", 0, ' ', -1,
     "0000 section-ref \"Data\" [2:23-2:23] filter=\"Data\" detail=\"section (level 2) of this template\" plain\n"
     "  \"Data\"\n"},
    {"no section names after lowercase prose", 1, NULL,
     "# Plan\n## Deploy\n[[LLM: Reference the main document for " CURSOR "]]\n## Data\n", 0, ' ', -1, ""},
    {"no section names outside an instruction", 1, NULL, "# Plan\n## Deploy\nReference the " CURSOR "\n## Data\n", 0, ' ',
     -1, ""},
    {"plain prose in a template: nothing", 1, other, "# T\nSome text " CURSOR "\n", 0, ' ', -1, ""},
    {"CRLF: names close with the file's text untouched", 1, NULL,
     "# T\r\n<<REPEAT: env>>\r\n<</REPEAT>>\r\n<<REPEAT: " CURSOR "\r\n", 0, ' ', -1,
     "0000 repeat \"env\" [3:10-3:10] filter=\"env\" detail=\"REPEAT: 1 use in 1 template\" plain\n"
     "  \"env>>\"\n"},
    {"CRLF: a skeleton's line ends are the file's", 1, NULL, "# T\r\n## Ops\r\n<<" CURSOR "\r\n", 0, '<', -1,
     "0000 directive \"<<REPEAT: …>> block\" [2:0-2:2] filter=\"<<REPEAT\" detail=\"REPEAT block\" plain\n"
     "  \"<<REPEAT: ops>>\\r\\n\\r\\n<</REPEAT>>\"\n"},
};

static void test_completion_template_contexts(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof template_cases / sizeof template_cases[0]; i++) run_case(&template_cases[i]);
}

/* ---- document cases ------------------------------------------------------ */

/* Three levels, for completion that follows the cursor's parent. */
static const char net[] =
    "# {{Project}} Network Plan\n"
    "\n"
    "## Network Architecture\n"
    "\n"
    "- VPC: {{vpc}}\n"
    "\n"
    "### Subnets\n"
    "\n"
    "- {{subnets}}\n"
    "\n"
    "#### Routing\n"
    "\n"
    "- {{routes}}\n"
    "\n"
    "### Firewall\n"
    "\n"
    "- {{rules}}\n"
    "\n"
    "<<REPEAT: zone>>\n"
    "### Zone {{zone_number}}\n"
    "\n"
    "- Region: {{zone_region}}\n"
    "<</REPEAT>>\n"
    "\n"
    "## Compute\n"
    "\n"
    "### Nodes\n"
    "\n"
    "- {{nodes}}\n"
    "\n"
    "## Storage\n"
    "\n"
    "- {{buckets}}\n";

#define NET_DOC "# Lumen Network Plan\n\n## Network Architecture\n\n- VPC: one\n\n### Subnets\n\n- a and b\n\n"

static const comp_case document_cases[] = {
    {"level 2: the template's top-level sections the document lacks, in template order", 0, net,
     NET_DOC "## " CURSOR "\n", 0, ' ', 0,
     "0000 section \"Compute\" [10:0-10:3] filter=\"## Compute\" detail=\"## missing section\" plain\n"
     "  \"## Compute\\n\\n### Nodes\\n\\n- {{nodes}}\"\n"
     "0001 section \"Storage\" [10:0-10:3] filter=\"## Storage\" detail=\"## missing section\" plain\n"
     "  \"## Storage\\n\\n- {{buckets}}\"\n"
     "=> \"" "# Lumen Network Plan\\n\\n## Network Architecture\\n\\n- VPC: one\\n\\n### Subnets\\n\\n- a and b\\n\\n"
     "## Compute\\n\\n### Nodes\\n\\n- {{nodes}}\\n\"\n"},
    {"level 3 under Network Architecture: its children the document lacks and its REPEAT, not Compute's Nodes", 0,
     net, NET_DOC "### " CURSOR "\n", 0, ' ', 1,
     "0000 section \"Firewall\" [10:0-10:4] filter=\"### Firewall\" detail=\"### missing section\" plain\n"
     "  \"### Firewall\\n\\n- {{rules}}\"\n"
     "0001 section \"Zone {{zone_number}}\" [10:0-10:4] filter=\"### Zone {{zone_number}}\" "
     "detail=\"### REPEAT zone: one more instance\" plain\n"
     "  \"### Zone {{zone_number}}\\n\\n- Region: {{zone_region}}\"\n"
     "=> \"" "# Lumen Network Plan\\n\\n## Network Architecture\\n\\n- VPC: one\\n\\n### Subnets\\n\\n- a and b\\n\\n"
     "### Zone {{zone_number}}\\n\\n- Region: {{zone_region}}\\n\"\n"},
    {"level 4 under Subnets: its child", 0, net, NET_DOC "#### " CURSOR "\n", 0, ' ', 0,
     "0000 section \"Routing\" [10:0-10:5] filter=\"#### Routing\" detail=\"#### missing section\" plain\n"
     "  \"#### Routing\\n\\n- {{routes}}\"\n"
     "=> \"" "# Lumen Network Plan\\n\\n## Network Architecture\\n\\n- VPC: one\\n\\n### Subnets\\n\\n- a and b\\n\\n"
     "#### Routing\\n\\n- {{routes}}\\n\"\n"},
    {"'####' typed right under a level-2 section: its children, written at level 3", 0, net,
     "# Lumen Network Plan\n\n## Compute\n\n#### " CURSOR "\n", 0, ' ', 0,
     "0000 section \"Nodes\" [4:0-4:5] filter=\"#### Nodes\" detail=\"### missing section\" plain\n"
     "  \"### Nodes\\n\\n- {{nodes}}\"\n"
     "=> \"# Lumen Network Plan\\n\\n## Compute\\n\\n### Nodes\\n\\n- {{nodes}}\\n\"\n"},
    {"under a section of the document's own: nothing the template has", 0, net,
     "# Lumen Network Plan\n\n## Our Notes\n\n### " CURSOR "\n", 0, ' ', -1, ""},
    {"a blank line, asked for: what the sections holding the cursor lack, REPEAT and optional ones too (not Costs, under the missing Risks)", 0, plan,
     DOC_HEAD "\n" CURSOR "\n", 0, 0, -1,
     "0000 section \"{{environment_name}} Environment\" [9:0-9:0] filter=\"### {{environment_name}} Environment\" "
     "detail=\"### REPEAT environment: one more instance\" plain\n"
     "  \"### {{environment_name}} Environment\\n\\n- Purpose: {{purpose}}\\n- Region: {{region}}\"\n"
     "0001 section \"Kubernetes\" [9:0-9:0] filter=\"## Kubernetes\" detail=\"## optional section: when uses_k8s\" plain\n"
     "  \"## Kubernetes\\n\\n- Cluster: {{cluster}}\"\n"
     "0002 section \"Risks\" [9:0-9:0] filter=\"## Risks\" detail=\"## missing section\" plain\n"
     "  \"## Risks\\n\\n- {{risk}}\"\n"},
    {"a space typed on a blank line: nothing", 0, plan, DOC_HEAD "\n " CURSOR "\n", 0, ' ', -1, ""},
    {"'## ' typed: level-2 sections only; the skeleton leaves out instructions, rules and conditions", 0, plan,
     DOC_HEAD "\n## " CURSOR "\n", 0, ' ', 1,
     "0000 section \"Kubernetes\" [9:0-9:3] filter=\"## Kubernetes\" detail=\"## optional section: when uses_k8s\" plain\n"
     "  \"## Kubernetes\\n\\n- Cluster: {{cluster}}\"\n"
     "0001 section \"Risks\" [9:0-9:3] filter=\"## Risks\" detail=\"## missing section\" plain\n"
     "  \"## Risks\\n\\n- {{risk}}\"\n"
     "=> \"# Lumen Plan\\n\\n## Environments\\n\\n### Staging Environment\\n\\n- Purpose: tests\\n- Region: {{region}}\\n"
     "\\n## Risks\\n\\n- {{risk}}\\n\"\n"},
    {"'### Pro' typed under a list: the REPEAT instance of Environments (not Risks' Costs), the whole line replaced (snippets)", 0, plan,
     DOC_HEAD "### Pro" CURSOR "d\n", 1, 0, 0,
     "0000 section \"{{environment_name}} Environment\" [8:0-8:8] filter=\"### {{environment_name}} Environment\" "
     "detail=\"### REPEAT environment: one more instance\" snippet\n"
     "  \"\\n### ${1:{{environment_name\\\\}\\\\}} Environment\\n\\n- Purpose: ${2:{{purpose\\\\}\\\\}}\\n- Region: "
     "${3:{{region\\\\}\\\\}}\"\n"

     "=> \"# Lumen Plan\\n\\n## Environments\\n\\n### Staging Environment\\n\\n- Purpose: tests\\n- Region: {{region}}\\n"
     "\\n### ${1:{{environment_name\\\\}\\\\}} Environment\\n\\n- Purpose: ${2:{{purpose\\\\}\\\\}}\\n- Region: "
     "${3:{{region\\\\}\\\\}}\\n\"\n"},
    {"'{{' in a document: the placeholders of the template's section", 0, plan,
     DOC_HEAD "- Owner: {{" CURSOR "\n", 0, '{', -1,
     "0000 placeholder \"environment_name\" [8:11-8:11] filter=\"environment_name\" "
     "detail=\"placeholder of this section in the template\" plain\n"
     "  \"environment_name}}\"\n"
     "0001 placeholder \"purpose\" [8:11-8:11] filter=\"purpose\" detail=\"placeholder of this section in the template\" plain\n"
     "  \"purpose}}\"\n"
     "0002 placeholder \"region\" [8:11-8:11] filter=\"region\" detail=\"placeholder of this section in the template\" plain\n"
     "  \"region}}\"\n"},
    {"inside a code fence of a document: nothing", 0, plan, DOC_HEAD "```yaml\ntag: {{" CURSOR "\n```\n", 0, '{', -1, ""},
    {"a heading inside a code fence: nothing", 0, plan, DOC_HEAD "```sh\n## " CURSOR "\n```\n", 0, ' ', -1, ""},
    {"inside a code span: nothing", 0, plan, DOC_HEAD "Use `{{" CURSOR "` here\n", 0, '{', -1, ""},
    /* what the diagnostics do not take for a placeholder (foreign.h) offers none */
    {"GitHub Actions ${{ in a document: nothing", 0, plan, DOC_HEAD "Run with ${{" CURSOR "\n", 0, '{', -1, ""},
    {"a JSX prop in a document: nothing", 0, plan, DOC_HEAD "<div style={{ opacity: 0" CURSOR "\n", 0, 0, -1, ""},
    {"an n8n expression in a document: nothing", 0, plan, DOC_HEAD "Map {{ $json.em" CURSOR "\n", 0, 0, -1, ""},
    {"plain prose in a document: nothing", 0, plan, DOC_HEAD "Some words " CURSOR "\n", 0, ' ', -1, ""},
    {"a document with no template: nothing", 0, NULL, "# Notes\n\n## " CURSOR "\n", 0, ' ', -1, ""},
    {"CRLF document: the skeleton in CRLF", 0, plan,
     "# Lumen Plan\r\n\r\n## Environments\r\n\r\n## R" CURSOR "\r\n", 0, 0, 0,
     "0000 section \"Kubernetes\" [4:0-4:4] filter=\"## Kubernetes\" detail=\"## optional section: when uses_k8s\" plain\n"
     "  \"## Kubernetes\\r\\n\\r\\n- Cluster: {{cluster}}\"\n"
     "0001 section \"Risks\" [4:0-4:4] filter=\"## Risks\" detail=\"## missing section\" plain\n"
     "  \"## Risks\\r\\n\\r\\n- {{risk}}\"\n"
     "=> \"# Lumen Plan\\r\\n\\r\\n## Environments\\r\\n\\r\\n## Kubernetes\\r\\n\\r\\n- Cluster: {{cluster}}\\r\\n\"\n"},
};

static void test_completion_document_contexts(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof document_cases / sizeof document_cases[0]; i++) run_case(&document_cases[i]);
}

/* A section's documentation: the template's instructions, then what it inserts. */
static void test_completion_section_documentation(void **state) {
  (void)state;
  comp_case c = {"doc", 0, plan, DOC_HEAD "\n## Ri" CURSOR "\n", 0, 0, -1, NULL};
  comp_run r;
  comp_open(&r, &c);
  assert_int_equal(r.list->len, 2);
  fts_expect("risks documentation", r.list->items[1].doc,
             "List the risks.\n\nInserts:\n\n```markdown\n## Risks\n\n- {{risk}}\n```");
  fts_expect("kubernetes documentation", r.list->items[0].doc,
             "Inserts:\n\n```markdown\n## Kubernetes\n\n- Cluster: {{cluster}}\n```");
  comp_close(&r);
}

/* ---- invariants ---------------------------------------------------------- */

/* At every line start, line end and markup start of a file, as a template
 * and as a document: every item's span is on the cursor's line and holds
 * the cursor, and its texts are NUL-free. */
static void check_file(const char *name, const fts_doc *d, void *ud) {
  const tl_workspace *ws = ud;
  tl_document *aligned = tl_document_new(d->tree, tl_workspace_template(ws, 0));
  uint32_t len = gr_tree_len(d->tree);
  GR_ARRAY(uint32_t) at = {0};
  for (uint32_t i = 0; i <= len && at.len < 600; i++)
    if (i == len || d->text[i] == '\n') {
      gr_array_push(&at, i);
      if (i < len) gr_array_push(&at, i + 1);
    }
  for (uint32_t i = 1; i < gr_tree_count(d->tree) && at.len < 1200; i++) {
    const gr_node *n = gr_tree_node(d->tree, i);
    gr_array_push(&at, n->open.start + (n->open.end - n->open.start > 2 ? 2 : 0));
  }
  for (size_t k = 0; k < at.len; k++) {
    for (int as_template = 0; as_template < 2; as_template++) {
      ft_comp_request rq;
      memset(&rq, 0, sizeof rq);
      rq.tree = d->tree;
      rq.offset = at.items[k];
      rq.is_template = as_template;
      rq.snippets = (int)(k & 1);
      rq.ws = ws;
      rq.self = TL_NONE;
      rq.doc = as_template ? NULL : aligned;
      rq.tmpl = as_template ? TL_NONE : 0;
      ft_completions *list = ft_completion_new(&rq);
      uint32_t c = rq.offset > len ? len : rq.offset;
      if (c > 0 && c < len && d->text[c] == '\n' && d->text[c - 1] == '\r') c--; /* no position lies inside "\r\n" */
      uint32_t ls = ft_edit_line_start(d->text, len, c), le = ft_edit_line_end(d->text, len, c);
      for (size_t j = 0; j < list->len; j++) {
        gr_span e = list->items[j].edit;
        if (!(ls <= e.start && e.start <= c && c <= e.end && e.end <= le))
          fail_msg("%s: offset %u: item %zu span %u-%u is not on the cursor's line %u-%u", name, c, j, e.start,
                   e.end, ls, le);
        if (!list->items[j].label[0] || !list->items[j].sort[0])
          fail_msg("%s: offset %u: item %zu has an empty label", name, c, j);
      }
      ft_completion_free(list);
    }
  }
  gr_array_free(&at);
  tl_document_free(aligned);
}

static void test_completion_corpus_and_garbage_invariants(void **state) {
  (void)state;
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "plan-tmpl.md", plan, strlen(plan));
  tl_workspace_put(ws, "other-tmpl.md", other, strlen(other));
  assert_true(fts_corpus_each(check_file, ws) > 100);
  fts_garbage_each(200, check_file, ws);
  tl_workspace_free(ws);
}

/* The edited template's own entry in the workspace (rq->self): its model is
 * reused while its text is the tree's, and answers as a model built from
 * the tree does (the one being typed not counted, the entry itself not
 * counted twice); an entry with an older text is not read. */
static void self_entry_run(fts_str *b, const char *text, uint32_t cursor, char trigger, const char *self_text) {
  fts_doc d;
  fts_doc_open_str(&d, text);
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "other-tmpl.md", "# O\n{{name}} {{zeta}}\n", 22);
  uint32_t self = TL_NONE;
  if (self_text) self = tl_workspace_put(ws, "me-tmpl.md", self_text, strlen(self_text));
  ft_comp_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  rq.offset = cursor;
  rq.is_template = 1;
  rq.trigger = trigger;
  rq.ws = ws;
  rq.self = self;
  rq.tmpl = TL_NONE;
  ft_completions *list = ft_completion_new(&rq);
  b->len = 0;
  render(b, &d, list);
  ft_completion_free(list);
  tl_workspace_free(ws);
  fts_doc_close(&d);
}

static void test_completion_self_entry(void **state) {
  (void)state;
  uint32_t cursor;
  char *text = strip_cursor("# Me\n{{name}} {{alpha}} {{na" CURSOR "}}\n## Deploy\n[[LLM: Reference the " CURSOR2 "]]\n"
                            "## Data\n", &cursor);
  /* The second cursor mark: the section-reference request. */
  char *mark = strstr(text, CURSOR2);
  uint32_t cursor2 = (uint32_t)(mark - text);
  memmove(mark, mark + strlen(CURSOR2), strlen(mark + strlen(CURSOR2)) + 1);
  static const char want_names[] =
      "0000 placeholder \"name\" [1:21-1:23] filter=\"name\" detail=\"placeholder: 2 uses in 2 templates\" plain\n"
      "  \"name\"\n"
      "0001 placeholder \"alpha\" [1:21-1:23] filter=\"alpha\" detail=\"placeholder: 1 use in 1 template\" plain\n"
      "  \"alpha\"\n"
      "0002 placeholder \"zeta\" [1:21-1:23] filter=\"zeta\" detail=\"placeholder: 1 use in 1 template\" plain\n"
      "  \"zeta\"\n";
  static const char want_refs[] =
      "0000 section-ref \"Data\" [3:21-3:21] filter=\"Data\" detail=\"section (level 2) of this template\" plain\n"
      "  \"Data\"\n";
  fts_str b = {0};
  /* no entry of its own: the model is built from the tree */
  self_entry_run(&b, text, cursor, '{', NULL);
  fts_expect("names, no entry", fts_str_get(&b), want_names);
  self_entry_run(&b, text, cursor2, ' ', NULL);
  fts_expect("refs, no entry", fts_str_get(&b), want_refs);
  /* its entry holds the same text: reused, same answers */
  self_entry_run(&b, text, cursor, '{', text);
  fts_expect("names, current entry", fts_str_get(&b), want_names);
  self_entry_run(&b, text, cursor2, ' ', text);
  fts_expect("refs, current entry", fts_str_get(&b), want_refs);
  /* its entry holds an older text: not read */
  static const char older[] = "# Me\n{{stale}}\n## Old\n";
  self_entry_run(&b, text, cursor, '{', older);
  fts_expect("names, older entry", fts_str_get(&b), want_names);
  self_entry_run(&b, text, cursor2, ' ', older);
  fts_expect("refs, older entry", fts_str_get(&b), want_refs);
  fts_str_free(&b);
  gr_free(text);
}

/* ---- pathological input --------------------------------------------------- */

static double seconds_since(clock_t t0) { return (double)(clock() - t0) / CLOCKS_PER_SEC; }

/* A 1 MB line of placeholders, then "{{" at its end; 10,000 nested
 * CONDITIONs with a closer being typed at the bottom. Each in well under 5 s. */
static void test_completion_pathological(void **state) {
  (void)state;
  fts_str in = {0};
  while (in.len < (1u << 20)) fts_cat(&in, "{{a}} ");
  fts_cat(&in, "{{");
  clock_t t0 = clock();
  fts_doc d;
  fts_doc_open(&d, fts_str_get(&in), in.len, NULL);
  ft_comp_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  rq.offset = (uint32_t)in.len;
  rq.is_template = 1;
  rq.trigger = '{';
  rq.self = TL_NONE;
  rq.tmpl = TL_NONE;
  ft_completions *list = ft_completion_new(&rq);
  assert_int_equal(list->len, 1);
  fts_expect("1 MB line", list->items[0].detail, "placeholder: 174763 uses in 1 template");
  ft_completion_free(list);
  fts_doc_close(&d);
  assert_true(seconds_since(t0) < 5.0);
  fts_str_free(&in);

  enum { N = 10000 };
  size_t len;
  char *text = fts_nested("^^CONDITION: c^^\n", "^^/CONDITION: ", "^^/CONDITION: c^^\n", N, &len);
  gr_options opts = {N + 10, 0, GR_MODE_TEMPLATE};
  fts_doc_open(&d, text, len, &opts);
  const char *mid = strstr(text, "^^/CONDITION: ");
  t0 = clock();
  rq.tree = d.tree;
  rq.offset = (uint32_t)(mid - text) + 14;
  list = ft_completion_new(&rq);
  assert_int_equal(list->len, 1);
  fts_expect("deep nesting", list->items[0].label, "c");
  ft_completion_free(list);
  assert_true(seconds_since(t0) < 5.0);
  fts_doc_close(&d);
  gr_free(text);
}

/* The list's caps: 1,500 distinct names in the workspace give 1,000 items
 * and isIncomplete; names past 256 bytes (a 2 KB nesting of "{{") are not
 * offered, and do not blow up the list. */
static void test_completion_caps(void **state) {
  (void)state;
  fts_str ws_text = {0};
  char name[32];
  fts_cat(&ws_text, "# Many\n\n");
  for (int i = 0; i < 1500; i++) {
    snprintf(name, sizeof name, "{{p%04d}}\n", i);
    fts_cat(&ws_text, name);
  }
  for (int i = 0; i < 300; i++) fts_cat(&ws_text, "{{");
  fts_cat(&ws_text, "x");
  for (int i = 0; i < 300; i++) fts_cat(&ws_text, "}}");
  fts_cat(&ws_text, "\n");
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "many-tmpl.md", fts_str_get(&ws_text), ws_text.len);
  static const char edited[] = "# Edited\n\n{{";
  fts_doc d;
  fts_doc_open(&d, edited, sizeof edited - 1, NULL);
  ft_comp_request rq;
  memset(&rq, 0, sizeof rq);
  rq.tree = d.tree;
  rq.offset = (uint32_t)(sizeof edited - 1);
  rq.is_template = 1;
  rq.trigger = '{';
  rq.ws = ws;
  rq.self = TL_NONE;
  rq.tmpl = TL_NONE;
  ft_completions *list = ft_completion_new(&rq);
  assert_int_equal(list->len, FT_COMP_MAX_ITEMS);
  assert_int_equal(list->incomplete, 1);
  size_t longest = 0;
  for (size_t i = 0; i < list->len; i++)
    if (strlen(list->items[i].label) > longest) longest = strlen(list->items[i].label);
  assert_true(longest <= TL_TEMPLATE_MAX_NAME);
  ft_completion_free(list);
  /* A workspace under the caps: complete. */
  tl_workspace_free(ws);
  ws = tl_workspace_new();
  tl_workspace_put(ws, "few-tmpl.md", "# Few\n\n{{one}} {{two}}\n", 23);
  rq.ws = ws;
  list = ft_completion_new(&rq);
  assert_int_equal(list->len, 2);
  assert_int_equal(list->incomplete, 0);
  ft_completion_free(list);
  tl_workspace_free(ws);
  fts_doc_close(&d);
  fts_str_free(&ws_text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_completion_caps),
      cmocka_unit_test(test_completion_template_contexts),
      cmocka_unit_test(test_completion_document_contexts),
      cmocka_unit_test(test_completion_section_documentation),
      cmocka_unit_test(test_completion_corpus_and_garbage_invariants),
      cmocka_unit_test(test_completion_pathological),
      cmocka_unit_test(test_completion_self_entry),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
