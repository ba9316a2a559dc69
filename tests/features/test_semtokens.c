/*
 * test_semtokens.c: server/features/semtokens.c. Each case is a template and
 * its tokens, one a line: `<line>:<col> <type>[+<modifier>...] "<text>"`
 * (0-based, bytes; type and modifier names from the legend).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/semtokens.h"
#include "server/model/document.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"

static void render(fts_str *b, const fts_doc *d, const ft_semtoks *t) {
  size_t nt, nm;
  const char *const *types = ft_semtok_type_names(&nt);
  const char *const *mods = ft_semtok_modifier_names(&nm);
  for (size_t i = 0; i < t->len; i++) {
    const ft_semtok *k = &t->items[i];
    fts_cat_pos(b, d, k->start);
    fts_cat(b, " %s", k->type < nt ? types[k->type] : "?");
    for (size_t m = 0; m < nm; m++)
      if (k->mods & (1u << m)) fts_cat(b, "+%s", mods[m]);
    fts_cat(b, " ");
    fts_cat_quoted(b, d->text + k->start, k->end - k->start);
    fts_cat(b, "\n");
  }
}

typedef struct semtok_case {
  const char *name;
  const char *input;
  const char *want;
} semtok_case;

static const semtok_case cases[] = {
    {"empty file", "", ""},
    {"plain Markdown has no tokens", "# Title\n\nSome *text* and `code`.\n", ""},
    {"placeholders, in a heading too",
     "# {{Project Name}} Arch\ntext {{a}}{{b}}\n",
     "0:2 parameter \"{{Project Name}}\"\n"
     "1:5 parameter \"{{a}}\"\n"
     "1:10 parameter \"{{b}}\"\n"},
    {"an instruction is comment around what it holds, one token per line",
     "[[LLM: Replace {{x}} and\n  `code` <critical_rule>be careful</critical_rule>\n\n  done]]\n",
     "0:0 comment \"[[LLM: Replace\"\n"
     "0:15 parameter+documentation \"{{x}}\"\n"
     "0:21 comment \"and\"\n"
     "1:2 comment \"`code`\"\n"
     "1:9 keyword+documentation \"<critical_rule>\"\n"
     "1:24 comment+documentation+critical \"be careful\"\n"
     "1:34 keyword+documentation \"</critical_rule>\"\n"
     "3:2 comment \"done]]\"\n"},
    {"a critical rule outside instructions",
     "<critical_rule>All infra\nas code.</critical_rule>\n",
     "0:0 keyword \"<critical_rule>\"\n"
     "0:15 comment+critical \"All infra\"\n"
     "1:0 comment+critical \"as code.\"\n"
     "1:8 keyword \"</critical_rule>\"\n"},
    {"block markers, names and example content",
     "<<REPEAT: env>>\n"
     "^^CONDITION: k8s^^\n"
     "@{example: m}\n"
     "| a | {{p}} |\n"
     "@{/example}\n"
     "^^/CONDITION: k8s^^\n"
     "<</REPEAT>>\n",
     "0:0 keyword \"<<REPEAT:\"\n"
     "0:10 type \"env\"\n"
     "0:13 keyword \">>\"\n"
     "1:0 keyword \"^^CONDITION:\"\n"
     "1:13 macro \"k8s\"\n"
     "1:16 keyword \"^^\"\n"
     "2:0 keyword \"@{example:\"\n"
     "2:11 type \"m\"\n"
     "2:12 keyword \"}\"\n"
     "3:0 string \"| a |\"\n"
     "3:6 parameter+documentation \"{{p}}\"\n"
     "3:12 string \"|\"\n"
     "4:0 keyword \"@{/example}\"\n"
     "5:0 keyword \"^^/CONDITION:\"\n"
     "5:14 macro \"k8s\"\n"
     "5:17 keyword \"^^\"\n"
     "6:0 keyword \"<</REPEAT>>\"\n"},
    {"repeat opener forms",
     "<<REPEAT section=\"mechanic\" count=\"3-5\">>\n<</REPEAT>>\n"
     "<<REPEAT for each competitor>>\n<</REPEAT>>\n",
     "0:0 keyword \"<<REPEAT section=\\\"\"\n"
     "0:18 type \"mechanic\"\n"
     "0:26 keyword \"\\\" count=\\\"3-5\\\">>\"\n"
     "1:0 keyword \"<</REPEAT>>\"\n"
     "2:0 keyword \"<<REPEAT\"\n"
     "2:9 type \"for each competitor\"\n"
     "2:28 keyword \">>\"\n"
     "3:0 keyword \"<</REPEAT>>\"\n"},
    {"a mismatched CONDITION closer names its own name",
     "^^CONDITION: a^^\nx\n^^/CONDITION: b^^\n",
     "0:0 keyword \"^^CONDITION:\"\n"
     "0:13 macro \"a\"\n"
     "0:14 keyword \"^^\"\n"
     "2:0 keyword \"^^/CONDITION:\"\n"
     "2:14 macro \"b\"\n"
     "2:15 keyword \"^^\"\n"},
    {"an inline example",
     "Use @{example: - NFR1: free tier.} here\n",
     "0:4 keyword \"@{example:\"\n"
     "0:15 string \"- NFR1: free tier.\"\n"
     "0:33 keyword \"}\"\n"},
    {"unclosed markup",
     "<<REPEAT: x>>\n[[LLM: a\nb\n# H\n",
     "0:0 keyword+unclosed \"<<REPEAT:\"\n"
     "0:10 type+unclosed \"x\"\n"
     "0:11 keyword+unclosed \">>\"\n"
     "1:0 comment+unclosed \"[[LLM: a\"\n"
     "2:0 comment+unclosed \"b\"\n"},
    {"markup in code is still markup, marked so",
     "```sh\n{{project-root}}/src\n```\nsee `{{x}}`\n",
     "1:0 parameter+inCode \"{{project-root}}\"\n"
     "3:5 parameter+inCode \"{{x}}\"\n"},
    {"an HTML comment", "<!-- note\nmore -->\n", "0:0 comment \"<!-- note\"\n1:0 comment \"more -->\"\n"},
    {"CRLF", "{{a}}\r\n[[LLM: x\r\ny]]\r\n",
     "0:0 parameter \"{{a}}\"\n1:0 comment \"[[LLM: x\"\n2:0 comment \"y]]\"\n"},
    {"BOM", "\xEF\xBB\xBF{{a}}\n", "0:3 parameter \"{{a}}\"\n"},
};

static void test_semtok_full(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    ft_semtoks *t = ft_semtok_full(d.tree, NULL);
    fts_str b = {0};
    render(&b, &d, t);
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    fts_str_free(&b);
    ft_semtok_free(t);
    fts_doc_close(&d);
  }
}

typedef struct range_case {
  const char *name;
  const char *input;
  uint32_t start, end;
  const char *want;
} range_case;

static const char range_text[] =
    "[[LLM: Replace {{x}} and\n"      /* 0..24 */
    "  more]]\n"                      /* 25..33 */
    "{{a}} {{b}}\n"                   /* 34..45 */
    "@{example}\nsample\n@{/example}\n"; /* 46.. */

static const range_case range_cases[] = {
    {"one whole line", range_text, 25, 34, "1:2 comment \"more]]\"\n"},
    {"a range ending at a line start leaves that line out", range_text, 0, 25,
     "0:0 comment \"[[LLM: Replace\"\n"
     "0:15 parameter+documentation \"{{x}}\"\n"
     "0:21 comment \"and\"\n"},
    {"a range starting mid-token gets the whole line", range_text, 37, 38,
     "2:0 parameter \"{{a}}\"\n2:6 parameter \"{{b}}\"\n"},
    {"an empty range gives its line", range_text, 40, 40,
     "2:0 parameter \"{{a}}\"\n2:6 parameter \"{{b}}\"\n"},
    {"lines inside a block's body", range_text, 57, 64, "4:0 string \"sample\"\n"},
    {"past the end is clamped", range_text, 1000, 2000, ""},
    {"a reversed range is its start's line", range_text, 34, 10,
     "2:0 parameter \"{{a}}\"\n2:6 parameter \"{{b}}\"\n"},
};

static void test_semtok_range(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
    const range_case *c = &range_cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->input);
    ft_semtoks *t = ft_semtok_range(d.tree, NULL, (gr_span){c->start, c->end});
    fts_str b = {0};
    render(&b, &d, t);
    fts_expect(c->name, fts_str_get(&b), c->want);
    fts_str_free(&b);
    ft_semtok_free(t);
    fts_doc_close(&d);
  }
}

static void test_semtok_legend(void **state) {
  (void)state;
  static const char *const types[] = {"parameter", "comment", "keyword", "macro",
                                      "type",      "string",  "property"};
  static const char *const mods[] = {"unclosed", "inCode", "documentation", "critical"};
  size_t nt = 0, nm = 0;
  const char *const *t = ft_semtok_type_names(&nt);
  const char *const *m = ft_semtok_modifier_names(&nm);
  assert_int_equal(nt, sizeof types / sizeof types[0]);
  assert_int_equal(nm, sizeof mods / sizeof mods[0]);
  for (size_t i = 0; i < nt; i++) assert_string_equal(t[i], types[i]);
  for (size_t i = 0; i < nm; i++) assert_string_equal(m[i], mods[i]);
  assert_int_equal(FT_SEMTOK_MOD_CRITICAL, 1u << 3);
  assert_int_equal(FT_SEMTOK_PROPERTY, 6); /* added last: the Markdown indices stay */
  assert_ptr_equal(ft_semtok_type_names(NULL), t);
}

/* Sorted, disjoint, non-empty, one line, trimmed; and a range request for
 * a line gives exactly the full tokens on that line. */
static void check_tokens(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  ft_semtoks *t = d->yaml ? ft_semtok_yaml_full(d->yaml) : ft_semtok_full(d->tree, NULL);
  for (size_t i = 0; i < t->len; i++) {
    const ft_semtok *k = &t->items[i];
    if (k->start >= k->end || k->end > d->len || k->type >= FT_SEMTOK_TYPE_COUNT ||
        (i && k->start < t->items[i - 1].end))
      fail_msg("%s: token %zu [%u,%u) out of order or empty", name, i, k->start, k->end);
    for (uint32_t j = k->start; j < k->end; j++)
      if (d->text[j] == '\n' || d->text[j] == '\r') fail_msg("%s: token %zu spans lines", name, i);
    if (d->text[k->start] == ' ' || d->text[k->end - 1] == ' ')
      fail_msg("%s: token %zu is not trimmed", name, i);
  }
  uint32_t nlines = gr_lines_count(d->lines);
  size_t k = 0;
  for (uint32_t line = 0; line < nlines; line++) {
    uint32_t ls = (uint32_t)gr_lines_start(d->lines, line);
    uint32_t le = (uint32_t)gr_lines_end(d->lines, d->text, line);
    size_t first = k;
    while (k < t->len && t->items[k].start <= le) k++;
    if (line % 5) continue;
    ft_semtoks *r = d->yaml ? ft_semtok_yaml_range(d->yaml, (gr_span){ls, le})
                            : ft_semtok_range(d->tree, NULL, (gr_span){ls, le});
    if (r->len != k - first ||
        (r->len && memcmp(r->items, t->items + first, r->len * sizeof(ft_semtok)) != 0))
      fail_msg("%s: range tokens of line %u differ from the full tokens", name, line + 1);
    ft_semtok_free(r);
  }
  ft_semtok_free(t);
}

static void test_semtok_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_tokens, NULL) > 100);
  fts_garbage_each(300, check_tokens, NULL);
}

/* 10,000 nested REPEATs: 3 tokens per opener, 1 per closer, in order. */
static void test_semtok_deep_nesting(void **state) {
  (void)state;
  enum { N = 10000 };
  const char *open = "<<REPEAT: r>>\n", *close = "<</REPEAT>>\n";
  size_t ol = strlen(open), cl = strlen(close), len;
  char *text = fts_nested(open, "", close, N, &len);
  gr_options opts = {N + 10, 0, GR_MODE_TEMPLATE};
  fts_doc d;
  fts_doc_open(&d, text, len, &opts);
  ft_semtoks *t = ft_semtok_full(d.tree, NULL);
  assert_int_equal(t->len, 4 * N);
  for (size_t i = 0; i < N; i++) {
    assert_int_equal(t->items[3 * i].start, i * ol);
    assert_int_equal(t->items[3 * i + 1].type, FT_SEMTOK_BLOCK_NAME);
    assert_int_equal(t->items[3 * N + i].start, N * ol + i * cl);
    assert_int_equal(t->items[3 * N + i].type, FT_SEMTOK_MARKER);
  }
  ft_semtok_free(t);
  fts_doc_close(&d);
  gr_free(text);
}

/* A 1 MB line: an instruction holding 150,000 placeholders. */
static void test_semtok_long_line(void **state) {
  (void)state;
  enum { N = 150000 };
  fts_str b = {0};
  fts_cat(&b, "# T\n[[LLM: ");
  for (int i = 0; i < N; i++) fts_cat(&b, "%s{{a}} x", i ? " " : "");
  fts_cat(&b, "]]\n");
  fts_doc d;
  fts_doc_open(&d, fts_str_get(&b), b.len, NULL);
  ft_semtoks *t = ft_semtok_full(d.tree, NULL);
  assert_int_equal(t->len, 1 + 2 * N);
  assert_int_equal(t->items[0].type, FT_SEMTOK_INSTRUCTION);
  assert_int_equal(t->items[2 * N - 1].type, FT_SEMTOK_PLACEHOLDER);
  assert_int_equal(t->items[2 * N].end - t->items[2 * N].start, 3); /* "x]]" */
  ft_semtok_free(t);
  t = ft_semtok_range(d.tree, NULL, (gr_span){10, 11});
  assert_int_equal(t->len, 1 + 2 * N);
  ft_semtok_free(t);
  fts_doc_close(&d);
  fts_str_free(&b);
}

/* In a document, only what the diagnostics can report is a parameter: the
 * foreign {{ }} (GitHub Actions, Mermaid, a JSX prop, n8n, prose about
 * syntax, {{}}) get no token; the template's placeholder, a name the
 * template lacks (a hint) and one the template puts in code keep theirs.
 * The same text as a template colours every one. */
static void test_semtok_document(void **state) {
  (void)state;
  static const char tmpl[] = "# {{Project}} Notes\n## Build\n```sh\nmake {{target}}\n```\nOwner: {{owner}}\n";
  static const char doc[] =
      "# Lumen Notes\n"
      "## Build\n"
      "```sh\n"
      "make {{target}} SHA=${{ github.sha }}\n"
      "```\n"
      "```mermaid\n"
      "graph TD\n"
      "  Api{{Gateway}} --> Db\n"
      "```\n"
      "Owner: {{owner}}, budget {{budget}}\n"
      "<div style={{ opacity: 0 }}>{{ $json.id }}</div>\n"
      "Replace {{VAR}} placeholders; {{}} is nothing.\n";
  gr_tree *tt = gr_parse(tmpl, strlen(tmpl), NULL);
  tl_template *t = tl_template_new(tt);
  fts_doc d;
  fts_doc_open_str(&d, doc);
  tl_document *dm = tl_document_new(d.tree, t);
  ft_semtoks *k = ft_semtok_full(d.tree, dm);
  fts_str b = {0};
  render(&b, &d, k);
  fts_expect("document", fts_str_get(&b),
             "3:5 parameter+inCode \"{{target}}\"\n"
             "9:7 parameter \"{{owner}}\"\n"
             "9:25 parameter \"{{budget}}\"\n");
  fts_str_free(&b);
  ft_semtok_free(k);
  /* a range gets the same */
  k = ft_semtok_range(d.tree, dm, (gr_span){0, (uint32_t)strlen(doc)});
  assert_int_equal(k->len, 3);
  ft_semtok_free(k);
  /* as a template (no document model), all nine are placeholders */
  k = ft_semtok_full(d.tree, NULL);
  size_t params = 0;
  for (size_t i = 0; i < k->len; i++) params += k->items[i].type == FT_SEMTOK_PLACEHOLDER;
  assert_int_equal(params, 9);
  ft_semtok_free(k);
  tl_document_free(dm);
  fts_doc_close(&d);
  tl_template_free(t);
  gr_tree_free(tt);
}

/* ---- YAML templates ------------------------------------------------------ */

static const semtok_case yaml_cases[] = {
    {"yaml: empty file", "", ""},
    {"yaml: keys the view reads, vars, instruction and condition",
     "template:\n"
     "  id: brief\n"
     "  output:\n"
     "    filename: docs/{{slug}}.md\n"
     "    title: \"{{project_name}} Brief\"\n"
     "  extra: not read\n"
     "sections:\n"
     "  - id: goals\n"
     "    title: Goal {{n}}\n"
     "    instruction: |\n"
     "      Ask for {{count}} goals.\n"
     "\n"
     "      Then stop.\n"
     "    condition: has goals\n"
     "    examples:\n"
     "      - \"G1: {{x}}\"\n"
     "    titel: misspelt\n"
     "    choices:\n"
     "      format: [a, b]\n",
     "0:0 property \"template\"\n"
     "1:2 property \"id\"\n"
     "2:2 property \"output\"\n"
     "3:4 property \"filename\"\n"
     "3:19 parameter \"{{slug}}\"\n"
     "4:4 property \"title\"\n"
     "4:12 parameter \"{{project_name}}\"\n"
     "6:0 property \"sections\"\n"
     "7:4 property \"id\"\n"
     "8:4 property \"title\"\n"
     "8:16 parameter \"{{n}}\"\n"
     "9:4 property \"instruction\"\n"
     "9:17 comment \"|\"\n"
     "10:6 comment \"Ask for\"\n"
     "10:14 parameter+documentation \"{{count}}\"\n"
     "10:24 comment \"goals.\"\n"
     "12:6 comment \"Then stop.\"\n"
     "13:4 property \"condition\"\n"
     "13:15 macro \"has goals\"\n"
     "14:4 property \"examples\"\n"
     "15:13 parameter+documentation \"{{x}}\"\n"
     "17:4 property \"choices\"\n"},
    {"yaml: an unterminated var; quoted keys",
     "template:\n  \"id\": t\nsections:\n  - 'id': a\n    template: \"{{open and more\"\n",
     "0:0 property \"template\"\n"
     "1:2 property \"\\\"id\\\"\"\n"
     "2:0 property \"sections\"\n"
     "3:4 property \"'id'\"\n"
     "4:4 property \"template\"\n"
     "4:15 parameter+unclosed \"{{open and more\"\n"},
    {"yaml: broken: tokens before and after the error",
     "template:\n"
     "  id: t\n"
     "sections:\n"
     "  - id: one\n"
     "    title: Bad: {{v}}\n"
     "  - id: two\n"
     "    title: \"{{w}}\"\n",
     "0:0 property \"template\"\n"
     "1:2 property \"id\"\n"
     "2:0 property \"sections\"\n"
     "3:4 property \"id\"\n"
     "4:4 property \"title\"\n"
     "4:16 parameter \"{{v}}\"\n"
     "5:4 property \"id\"\n"
     "6:4 property \"title\"\n"
     "6:12 parameter \"{{w}}\"\n"},
    {"yaml: another schema's YAML: only what the view reads", "name: x\nitems:\n  - {{a}}\n", ""},
};

static void test_semtok_yaml_full(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    ft_semtoks *t = ft_semtok_yaml_full(d.yaml);
    fts_str b = {0};
    render(&b, &d, t);
    fts_expect(yaml_cases[i].name, fts_str_get(&b), yaml_cases[i].want);
    fts_str_free(&b);
    ft_semtok_free(t);
    fts_doc_close(&d);
  }
}

static void test_semtok_yaml_range(void **state) {
  (void)state;
  const char *text = yaml_cases[1].input;
  fts_doc d;
  fts_doc_open_yaml(&d, text, strlen(text));
  /* lines 9-10, asked from mid-line 9 to the start of line 11 */
  uint32_t a = (uint32_t)gr_lines_start(d.lines, 9) + 7, b = (uint32_t)gr_lines_start(d.lines, 11);
  ft_semtoks *t = ft_semtok_yaml_range(d.yaml, (gr_span){a, b});
  fts_str s = {0};
  render(&s, &d, t);
  fts_expect("yaml: range", fts_str_get(&s),
             "9:4 property \"instruction\"\n"
             "9:17 comment \"|\"\n"
             "10:6 comment \"Ask for\"\n"
             "10:14 parameter+documentation \"{{count}}\"\n"
             "10:24 comment \"goals.\"\n");
  fts_str_free(&s);
  ft_semtok_free(t);
  fts_doc_close(&d);
}

static void test_semtok_yaml_corpus_invariants(void **state) {
  (void)state;
  assert_true(fts_yaml_corpus_each(check_tokens, NULL) > 250);
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    check_tokens(yaml_cases[i].name, &d, NULL);
    fts_doc_close(&d);
  }
}

/* About 1 MB: 12,000 sections, each with 3 keys and 3 vars. */
static void test_semtok_yaml_large(void **state) {
  (void)state;
  fts_str in = {0};
  fts_cat(&in, "template:\n  id: big\nsections:\n");
  size_t n = 0;
  while (in.len < 1000000) {
    fts_cat(&in, "  - id: s%zu\n    title: \"Section {{n%zu}}\"\n    instruction: Write {{a}} and {{b}}.\n",
            n, n);
    n++;
  }
  fts_doc d;
  fts_doc_open_yaml(&d, fts_str_get(&in), in.len);
  ft_semtoks *t = ft_semtok_yaml_full(d.yaml);
  /* 3 header keys; per section 3 keys, 1 var, and the instruction: 3 comment pieces, 2 vars */
  assert_int_equal(t->len, 3 + n * 9);
  assert_int_equal(t->items[t->len - 1].type, FT_SEMTOK_INSTRUCTION); /* "." */
  ft_semtok_free(t);
  t = ft_semtok_yaml_range(d.yaml, (gr_span){(uint32_t)in.len - 5, (uint32_t)in.len});
  assert_int_equal(t->len, 6); /* the last instruction's line */
  ft_semtok_free(t);
  fts_doc_close(&d);
  fts_str_free(&in);
}

/* ---- deltas --------------------------------------------------------------- */

/* Tokens by letter: token 'A' is {1,1,1,1,1}, 'B' {2,2,2,2,2}, ... */
static size_t delta_tokens(const char *letters, uint32_t *out) {
  size_t n = 0;
  for (const char *l = letters; *l; l++)
    for (int k = 0; k < 5; k++) out[n++] = (uint32_t)(*l - 'A' + 1);
  return n;
}

/* The edit from `a` to `b` as "start deleteCount [data as letters]", or "none". */
static void delta_expect(const char *a, const char *b, const char *want) {
  uint32_t x[5 * 16], y[5 * 16];
  size_t nx = delta_tokens(a, x), ny = delta_tokens(b, y);
  ft_semtok_edit e;
  char got[64] = "none";
  if (ft_semtok_delta(x, nx, y, ny, &e)) {
    int w = snprintf(got, sizeof got, "%zu %zu [", e.start, e.delete_count);
    for (size_t i = 0; i < e.data_count; i += 5) got[w++] = (char)('A' - 1 + y[e.data_start + i]);
    got[w++] = ']';
    got[w] = 0;
    /* the new tokens are taken from the same place */
    assert_int_equal(e.data_start, e.start);
  }
  fts_expect(b, got, want);
}

static void test_semtok_delta(void **state) {
  (void)state;
  delta_expect("", "", "none");
  delta_expect("ABC", "ABC", "none");
  delta_expect("ABC", "AXBC", "5 0 [X]");
  delta_expect("ABC", "AXYC", "5 5 [XY]");
  delta_expect("AB", "ABC", "10 0 [C]");
  delta_expect("ABC", "BC", "0 5 []");
  delta_expect("ABC", "", "0 15 []");
  delta_expect("", "AB", "0 0 [AB]");
  /* runs of one token: the suffix stops where the prefix ends */
  delta_expect("AA", "AAA", "10 0 [A]");
  delta_expect("AAA", "A", "5 10 []");
  delta_expect("ABAB", "AB", "10 10 []");
  /* a token that differs in one integer is a different token */
  uint32_t x[10] = {0, 1, 2, 0, 0, 1, 0, 3, 1, 0}, y[10] = {0, 1, 2, 0, 0, 1, 0, 3, 1, 1};
  ft_semtok_edit e;
  assert_int_equal(ft_semtok_delta(x, 10, y, 10, &e), 1);
  assert_int_equal(e.start, 5);
  assert_int_equal(e.delete_count, 5);
  assert_int_equal(e.data_count, 5);
  /* every pair of short strings over {A, B}: the edit applied to the old
   * array gives the new one */
  for (unsigned na = 0; na < 6; na++)
    for (unsigned ma = 0; ma < (1u << na); ma++)
      for (unsigned nb = 0; nb < 6; nb++)
        for (unsigned mb = 0; mb < (1u << nb); mb++) {
          char a[8] = {0}, b[8] = {0};
          for (unsigned i = 0; i < na; i++) a[i] = (ma >> i & 1) ? 'B' : 'A';
          for (unsigned i = 0; i < nb; i++) b[i] = (mb >> i & 1) ? 'B' : 'A';
          uint32_t ox[40], oy[40], r[80];
          size_t nx = delta_tokens(a, ox), ny = delta_tokens(b, oy);
          if (!ft_semtok_delta(ox, nx, oy, ny, &e)) {
            assert_int_equal(nx, ny);
            assert_memory_equal(ox, oy, nx * sizeof *ox);
            continue;
          }
          assert_true(e.start + e.delete_count <= nx);
          size_t n = 0;
          for (size_t i = 0; i < e.start; i++) r[n++] = ox[i];
          for (size_t i = 0; i < e.data_count; i++) r[n++] = oy[e.data_start + i];
          for (size_t i = e.start + e.delete_count; i < nx; i++) r[n++] = ox[i];
          assert_int_equal(n, ny);
          assert_memory_equal(r, oy, n * sizeof *r);
        }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_semtok_full),
      cmocka_unit_test(test_semtok_range),
      cmocka_unit_test(test_semtok_legend),
      cmocka_unit_test(test_semtok_corpus_and_garbage_invariants),
      cmocka_unit_test(test_semtok_deep_nesting),
      cmocka_unit_test(test_semtok_long_line),
      cmocka_unit_test(test_semtok_document),
      cmocka_unit_test(test_semtok_yaml_full),
      cmocka_unit_test(test_semtok_yaml_range),
      cmocka_unit_test(test_semtok_yaml_corpus_invariants),
      cmocka_unit_test(test_semtok_yaml_large),
      cmocka_unit_test(test_semtok_delta),
  };
  return cmocka_run_group_tests_name("semtokens", tests, NULL, NULL);
}
