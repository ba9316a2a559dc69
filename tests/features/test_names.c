/*
 * test_names.c: server/features/names.c. Results are rendered as text and
 * compared exactly; positions are line:col (0-based, bytes):
 *   an occurrence   "<role> <name start>-<name end> in <token start>-<token end>"
 *   the name at     "<kind> " + occurrence + " key \"<key text>\"", or the error name
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/names.h"
#include "server/model/template.h"
#include "tests/support/features_util.h"

static const char *kind_name(ft_name_kind k) {
  switch (k) {
    case FT_NAME_CONDITION: return "condition";
    case FT_NAME_REPEAT: return "repeat";
    case FT_NAME_PLACEHOLDER: return "placeholder";
    default: return "none";
  }
}

static const char *role_name(uint8_t r) {
  return r == FT_NAME_OPENER ? "opener" : r == FT_NAME_CLOSER ? "closer" : "use";
}

static const char *err_name(int rc) {
  switch (rc) {
#define XX(id, val, msg) \
  case val: return #id;
    FT_NAMES_ERRNO_MAP(XX)
#undef XX
    default: return "?";
  }
}

static void cat_span(fts_str *b, const fts_doc *d, gr_span s) {
  fts_cat_pos(b, d, s.start);
  fts_cat(b, "-");
  fts_cat_pos(b, d, s.end);
}

static void cat_ref(fts_str *b, const fts_doc *d, const ft_name_ref *r) {
  fts_cat(b, "%s ", role_name(r->role));
  cat_span(b, d, r->name);
  fts_cat(b, " in ");
  cat_span(b, d, r->token);
  if (r->form) fts_cat(b, " form %u", r->form);
}

static void cat_refs(fts_str *b, const fts_doc *d, const ft_name_refs *refs) {
  for (size_t i = 0; i < refs->len; i++) {
    if (i) fts_cat(b, "; ");
    cat_ref(b, d, &refs->items[i]);
  }
  if (!refs->len) fts_cat(b, "(none)");
}

/* ---- the name at a cursor ----------------------------------------------- */

static const char tmpl1[] =
    "# {{ Project Name }} Plan\n"          /* 0: 0..25 */
    "^^CONDITION: uses_k8s^^\n"            /* 1: 26..49 */
    "<<REPEAT: env>>\n"                    /* 2: 50..65 */
    "- {{env_name}}: {{x {{y}}}}\n"        /* 3: 66..93 */
    "<</REPEAT>>\n"                        /* 4: 94..105 */
    "^^/CONDITION: uses_k8s^^\n"           /* 5: 106..130 */
    "^^CONDITION: bare^^\n"                /* 6: 131..150 */
    "```\n{{in_code}}\n```\n"              /* 7-9 */
    "^^/CONDITION^^\n"                     /* 10 */
    "[[LLM: fill {{ Project Name }}]]\n"   /* 11 */
    "{{}} {{open\n";                       /* 12 */

typedef struct at_case {
  const char *name;
  const char *input;
  uint32_t line, col;
  const char *want;
} at_case;

static const at_case at_cases[] = {
    {"on a placeholder's name", tmpl1, 0, 5,
     "placeholder use 0:5-0:17 in 0:2-0:20 key \"Project Name\""},
    {"on a placeholder's opening braces", tmpl1, 0, 2,
     "placeholder use 0:5-0:17 in 0:2-0:20 key \"Project Name\""},
    {"just after a placeholder's closing braces", tmpl1, 0, 20,
     "placeholder use 0:5-0:17 in 0:2-0:20 key \"Project Name\""},
    {"plain heading text", tmpl1, 0, 22, "ENONAME"},
    {"the heading's hashes", tmpl1, 0, 0, "ENONAME"},
    {"a CONDITION opener's name", tmpl1, 1, 15,
     "condition opener 1:13-1:21 in 1:0-1:23 key \"uses_k8s\""},
    {"a CONDITION opener's carets", tmpl1, 1, 1,
     "condition opener 1:13-1:21 in 1:0-1:23 key \"uses_k8s\""},
    {"a CONDITION closer's name", tmpl1, 5, 16,
     "condition closer 5:14-5:22 in 5:0-5:24 key \"uses_k8s\""},
    {"a REPEAT opener", tmpl1, 2, 12, "repeat opener 2:10-2:13 in 2:0-2:15 key \"env\""},
    {"a REPEAT closer carries no name: the key is the opener's", tmpl1, 4, 5,
     "repeat closer 4:0-4:0 in 4:0-4:11 key \"env\""},
    {"a bare CONDITION closer: the key is the opener's", tmpl1, 10, 3,
     "condition closer 10:0-10:0 in 10:0-10:14 key \"bare\""},
    {"the inner of nested placeholders", tmpl1, 3, 22, "placeholder use 3:22-3:23 in 3:20-3:25 key \"y\""},
    {"the outer of nested placeholders", tmpl1, 3, 18,
     "placeholder use 3:18-3:25 in 3:16-3:27 key \"x {{y}}\""},
    {"a placeholder in a fence is markup in a template", tmpl1, 8, 3,
     "placeholder use 8:2-8:9 in 8:0-8:11 key \"in_code\""},
    {"a fence line", tmpl1, 7, 1, "ENONAME"},
    {"a placeholder mentioned in an instruction", tmpl1, 11, 16,
     "placeholder use 11:15-11:27 in 11:12-11:30 key \"Project Name\""},
    {"an instruction's text", tmpl1, 11, 8, "ENONAME"},
    {"an empty placeholder", tmpl1, 12, 1, "placeholder use 12:2-12:2 in 12:0-12:4 key \"\""},
    {"an unterminated placeholder", tmpl1, 12, 7, "ENONAME"},
    {"a REPEAT in attribute form", "<<REPEAT section=\"mechanic\" count=\"3\">>\n<</REPEAT>>\n", 0, 20,
     "repeat opener 0:18-0:26 in 0:0-0:39 form 1 key \"mechanic\""},
    {"a REPEAT in prose form", "<<REPEAT for each competitor>>\n<</REPEAT>>\n", 0, 3,
     "repeat opener 0:9-0:28 in 0:0-0:30 form 2 key \"for each competitor\""},
    {"a mismatched closer's key is its own name", "^^CONDITION: a^^\n^^/CONDITION: b^^\n", 1, 14,
     "condition closer 1:14-1:15 in 1:0-1:17 key \"b\""},
    {"braces inside a CONDITION's name are part of the name", "^^CONDITION: {{x}}^^\n^^/CONDITION^^\n", 0, 14,
     "condition opener 0:13-0:18 in 0:0-0:20 key \"{{x}}\""},
    {"a placeholder in a heading inside a REPEAT wins over nothing else", "<<REPEAT: r>>\n## {{x}}\n<</REPEAT>>\n", 1,
     4, "placeholder use 1:5-1:6 in 1:3-1:8 key \"x\""},
};

static void test_names_at(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof at_cases / sizeof *at_cases; i++) {
    const at_case *c = &at_cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->input);
    uint32_t off = (uint32_t)gr_lines_offset(d.lines, d.text, (gr_pos){c->line, c->col}, GR_UNIT_UTF8);
    ft_name_at at;
    int rc = ft_names_at(d.tree, off, &at);
    fts_str b = {0};
    if (rc) {
      fts_cat(&b, "%s", err_name(rc));
      assert_int_equal(at.kind, FT_NAME_NONE);
    } else {
      fts_cat(&b, "%s ", kind_name(at.kind));
      cat_ref(&b, &d, &at.ref);
      fts_cat(&b, " key ");
      fts_cat_quoted(&b, d.text + at.key.start, at.key.end - at.key.start);
    }
    fts_expect(c->name, fts_str_get(&b), c->want);
    fts_str_free(&b);
    fts_doc_close(&d);
  }
}

static void test_names_renamable(void **state) {
  (void)state;
  static const struct {
    uint32_t line, col;
    int want;
  } cases[] = {
      {0, 5, 0},                          /* a placeholder */
      {1, 15, 0},                         /* a CONDITION opener */
      {5, 16, 0},                         /* a named closer */
      {4, 5, FT_NAMES_ENOCLOSERNAME},     /* a REPEAT closer */
      {10, 3, FT_NAMES_ENOCLOSERNAME},    /* a bare CONDITION closer */
      {12, 1, FT_NAMES_EEMPTY},           /* {{}} */
  };
  fts_doc d;
  fts_doc_open_str(&d, tmpl1);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint32_t off = (uint32_t)gr_lines_offset(d.lines, d.text, (gr_pos){cases[i].line, cases[i].col}, GR_UNIT_UTF8);
    ft_name_at at;
    assert_int_equal(ft_names_at(d.tree, off, &at), 0);
    assert_int_equal(ft_names_renamable(&at), cases[i].want);
  }
  ft_name_at none = {0};
  assert_int_equal(ft_names_renamable(&none), FT_NAMES_ENONAME);
  fts_doc_close(&d);
  assert_string_equal(ft_names_strerror(FT_NAMES_ENOCLOSERNAME),
                      "this closer carries no name: rename the block at its opener");
  assert_string_equal(ft_names_strerror(7), "unknown error");
}

/* ---- every occurrence --------------------------------------------------- */

static const char tmpl2[] =
    "^^CONDITION: k8s^^\n"               /* 0 */
    "^^CONDITION: mesh^^\n"              /* 1 */
    "{{a}} {{ a }} {{a b}} {{b {{a}}}}\n" /* 2 */
    "^^/CONDITION: mesh^^\n"             /* 3 */
    "^^/CONDITION: k8s^^\n"              /* 4 */
    "^^CONDITION: k8s^^\n"               /* 5 */
    "<<REPEAT: k8s>>\n"                  /* 6 */
    "<</REPEAT>>\n"                      /* 7 */
    "^^/CONDITION^^\n"                   /* 8 */
    "<<REPEAT section=\"k8s\">>\n"       /* 9 */
    "[[LLM: {{a}} @{example: x} {{a}} @{/example}]]\n" /* 10 */
    "<</REPEAT>>\n"                      /* 11 */
    "^^CONDITION: x^^\n^^/CONDITION: k8s^^\n" /* 12-13: mismatched */
    "{{a\n";                             /* 14: unterminated */

typedef struct find_case {
  const char *name;
  const char *input;
  ft_name_kind kind;
  const char *key;
  const char *want;
} find_case;

static const find_case find_cases[] = {
    {"CONDITION: openers and named closers in text order, nested and repeated", tmpl2, FT_NAME_CONDITION, "k8s",
     "opener 0:13-0:16 in 0:0-0:18; closer 4:14-4:17 in 4:0-4:19; opener 5:13-5:16 in 5:0-5:18; "
     "closer 13:14-13:17 in 13:0-13:19"},
    {"CONDITION: the inner block", tmpl2, FT_NAME_CONDITION, "mesh",
     "opener 1:13-1:17 in 1:0-1:19; closer 3:14-3:18 in 3:0-3:20"},
    {"REPEAT: openers of every form, never the closers", tmpl2, FT_NAME_REPEAT, "k8s",
     "opener 6:10-6:13 in 6:0-6:15; opener 9:18-9:21 in 9:0-9:24 form 1"},
    {"placeholders: trimmed names, nested, in instructions and examples, never unterminated", tmpl2,
     FT_NAME_PLACEHOLDER, "a",
     "use 2:2-2:3 in 2:0-2:5; use 2:9-2:10 in 2:6-2:13; use 2:28-2:29 in 2:26-2:31; use 10:9-10:10 in 10:7-10:12; "
     "use 10:29-10:30 in 10:27-10:32"},
    {"placeholders: a name holding another", tmpl2, FT_NAME_PLACEHOLDER, "b {{a}}", "use 2:24-2:31 in 2:22-2:33"},
    {"names compare exactly (case)", tmpl2, FT_NAME_CONDITION, "K8S", "(none)"},
    {"names compare exactly (no trimming of the key)", tmpl2, FT_NAME_PLACEHOLDER, " a", "(none)"},
    {"an empty name finds nothing", "{{}}\n", FT_NAME_PLACEHOLDER, "", "(none)"},
    {"kind none finds nothing", tmpl2, FT_NAME_NONE, "k8s", "(none)"},
    {"markup inside fences is markup in a template", "```\n^^CONDITION: k^^\n^^/CONDITION: k^^\n```\n",
     FT_NAME_CONDITION, "k", "opener 1:13-1:14 in 1:0-1:16; closer 2:14-2:15 in 2:0-2:17"},
};

static void test_names_find(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof find_cases / sizeof *find_cases; i++) {
    const find_case *c = &find_cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->input);
    ft_name_refs refs = {0};
    ft_names_find(d.tree, c->kind, c->key, strlen(c->key), &refs);
    fts_str b = {0};
    cat_refs(&b, &d, &refs);
    fts_expect(c->name, fts_str_get(&b), c->want);
    fts_str_free(&b);
    ft_name_refs_free(&refs);
    fts_doc_close(&d);
  }
}

static void test_names_find_appends(void **state) {
  (void)state;
  fts_doc d;
  fts_doc_open_str(&d, "^^CONDITION: a^^\n^^/CONDITION: a^^\n");
  ft_name_refs refs = {0};
  ft_names_find(d.tree, FT_NAME_CONDITION, "a", 1, &refs);
  ft_names_find(d.tree, FT_NAME_CONDITION, "a", 1, &refs);
  fts_str b = {0};
  cat_refs(&b, &d, &refs);
  fts_expect("a second call appends after the first, sorting only its own",
             fts_str_get(&b),
             "opener 0:13-0:14 in 0:0-0:16; closer 1:14-1:15 in 1:0-1:17; "
             "opener 0:13-0:14 in 0:0-0:16; closer 1:14-1:15 in 1:0-1:17");
  fts_str_free(&b);
  ft_name_refs_free(&refs);
  fts_doc_close(&d);
}

/* ---- linked editing ----------------------------------------------------- */

typedef struct linked_case {
  const char *name;
  const char *input;
  uint32_t line, col;
  const char *want;
} linked_case;

static const char tmpl3[] =
    "^^CONDITION: uses_k8s^^\n"  /* 0 */
    "^^CONDITION: inner^^\n"     /* 1 */
    "^^/CONDITION^^\n"           /* 2 */
    "^^/CONDITION: uses_k8s^^\n" /* 3 */
    "^^CONDITION: a^^\n"         /* 4 */
    "^^/CONDITION: b^^\n"        /* 5 */
    "^^CONDITION: open^^\n";     /* 6: never closed */

static const linked_case linked_cases[] = {
    {"on the opener's name", tmpl3, 0, 15, "0:13-0:21 3:14-3:22"},
    {"at the start of the opener's name", tmpl3, 0, 13, "0:13-0:21 3:14-3:22"},
    {"just after the opener's name (typing at its end)", tmpl3, 0, 21, "0:13-0:21 3:14-3:22"},
    {"on the closer's name", tmpl3, 3, 20, "0:13-0:21 3:14-3:22"},
    {"on the opener's carets: not a name", tmpl3, 0, 1, "ENONAME"},
    {"on the closer's slash: not a name", tmpl3, 3, 2, "ENONAME"},
    {"an opener whose closer is bare links nothing", tmpl3, 1, 14, "ENONAME"},
    {"a bare closer links nothing", tmpl3, 2, 5, "ENONAME"},
    {"a mismatched pair links nothing", tmpl3, 4, 13, "ENONAME"},
    {"a mismatched closer links nothing", tmpl3, 5, 14, "ENONAME"},
    {"an unclosed block links nothing", tmpl3, 6, 14, "ENONAME"},
    {"a REPEAT is not linked", "<<REPEAT: a>>\n<</REPEAT>>\n", 0, 10, "ENONAME"},
    {"a placeholder is not linked", "{{a}} {{a}}\n", 0, 2, "ENONAME"},
};

static void test_names_linked(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof linked_cases / sizeof *linked_cases; i++) {
    const linked_case *c = &linked_cases[i];
    fts_doc d;
    fts_doc_open_str(&d, c->input);
    uint32_t off = (uint32_t)gr_lines_offset(d.lines, d.text, (gr_pos){c->line, c->col}, GR_UNIT_UTF8);
    gr_span a = {7, 7}, z = {7, 7};
    int rc = ft_names_linked(d.tree, off, &a, &z);
    fts_str b = {0};
    if (rc) {
      fts_cat(&b, "%s", err_name(rc));
      assert_int_equal(a.start, 7); /* untouched on failure */
    } else {
      cat_span(&b, &d, a);
      fts_cat(&b, " ");
      cat_span(&b, &d, z);
    }
    fts_expect(c->name, fts_str_get(&b), c->want);
    fts_str_free(&b);
    fts_doc_close(&d);
  }
}

/* ---- new names ---------------------------------------------------------- */

typedef struct check_case {
  ft_name_kind kind;
  unsigned forms;
  const char *input;
  const char *want; /* "ok [s,e)" or the message */
} check_case;

#define F(form) (1u << (form))

static const check_case check_cases[] = {
    {FT_NAME_CONDITION, 0, "uses_eks", "ok [0,8)"},
    {FT_NAME_CONDITION, 0, "  uses eks\t", "ok [2,10)"},
    {FT_NAME_CONDITION, 0, "", "a CONDITION name must not be empty"},
    {FT_NAME_CONDITION, 0, " \t ", "a CONDITION name must not be empty"},
    {FT_NAME_CONDITION, 0, "a^^b", "a CONDITION name must not contain \"^^\""},
    {FT_NAME_CONDITION, 0, "a>>b", "a CONDITION name must not contain \">>\""},
    {FT_NAME_CONDITION, 0, "a\nb", "a CONDITION name must be on one line"},
    {FT_NAME_CONDITION, 0, "a\rb", "a CONDITION name must be on one line"},
    {FT_NAME_CONDITION, 0, "a^",
     "this CONDITION name would not read back as the same name (check for a trailing '^')"},
    {FT_NAME_CONDITION, 0, "{{x}}", "ok [0,5)"},
    {FT_NAME_CONDITION, 0, "^a", "ok [0,2)"},
    {FT_NAME_REPEAT, 0, "environment", "ok [0,11)"},
    {FT_NAME_REPEAT, F(GR_REPEAT_COLON), " env ", "ok [1,4)"},
    {FT_NAME_REPEAT, 0, "", "a REPEAT name must not be empty"},
    {FT_NAME_REPEAT, 0, "a>>", "a REPEAT name must not contain \">>\""},
    {FT_NAME_REPEAT, 0, "a^^", "a REPEAT name must not contain \"^^\""},
    {FT_NAME_REPEAT, 0, "a\n", "a REPEAT name must be on one line"},
    {FT_NAME_REPEAT, 0, "a>",
     "this REPEAT name would not read back as the same name (check a trailing '>' or markup inside it)"},
    {FT_NAME_REPEAT, 0, "say \"hi\"", "ok [0,8)"},
    {FT_NAME_REPEAT, F(GR_REPEAT_ATTRS), "say \"hi\"",
     "a REPEAT name written as section=\"...\" must not contain '\"'"},
    {FT_NAME_REPEAT, F(GR_REPEAT_ATTRS), "mechanic", "ok [0,8)"},
    {FT_NAME_REPEAT, F(GR_REPEAT_PROSE), "for each region", "ok [0,15)"},
    {FT_NAME_REPEAT, F(GR_REPEAT_PROSE), ": env", "ok [0,5)"},
    {FT_NAME_REPEAT, F(GR_REPEAT_PROSE), "section=\"x\"",
     "this REPEAT name would not read back as the same name in <<REPEAT for each ...>> (it must not be an attribute)"},
    {FT_NAME_PLACEHOLDER, 0, "Project Title", "ok [0,13)"},
    {FT_NAME_PLACEHOLDER, 0, " Project Title ", "ok [1,14)"},
    {FT_NAME_PLACEHOLDER, 0, "", "a placeholder name must not be empty"},
    {FT_NAME_PLACEHOLDER, 0, "a}}b", "a placeholder name must not contain \"}}\""},
    {FT_NAME_PLACEHOLDER, 0, "a\nb", "a placeholder name must be on one line"},
    {FT_NAME_PLACEHOLDER, 0, "a {{b",
     "this placeholder name would not read back as the same name (check for an unmatched \"{{\" or a "
     "trailing '}')"},
    {FT_NAME_PLACEHOLDER, 0, "a}",
     "this placeholder name would not read back as the same name (check for an unmatched \"{{\" or a "
     "trailing '}')"},
    {FT_NAME_PLACEHOLDER, 0, "a {{b}}", "a placeholder name must not contain \"}}\""},
    {FT_NAME_NONE, 0, "x", "there is nothing to rename here"},
};

static void test_names_check(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof check_cases / sizeof *check_cases; i++) {
    const check_case *c = &check_cases[i];
    gr_span t = {99, 99};
    const char *why = ft_names_check(c->kind, c->input, strlen(c->input), c->forms, &t);
    char got[400];
    if (why) snprintf(got, sizeof got, "%s", why);
    else snprintf(got, sizeof got, "ok [%u,%u)", t.start, t.end);
    fts_expect(c->input, got, c->want);
  }
  assert_string_equal(ft_names_check(FT_NAME_CONDITION, "a\0b", 3, 0, NULL),
                      "a name must not contain a NUL character");
  assert_null(ft_names_check_fill("Lumen", 5));
  assert_null(ft_names_check_fill("{{ not mine }}", 14));
  assert_string_equal(ft_names_check_fill("", 0), "the text to fill the placeholder with must not be empty");
  assert_string_equal(ft_names_check_fill("a\nb", 3), "the text to fill the placeholder with must be on one line");
  assert_string_equal(ft_names_check_fill("a\0", 2),
                      "the text to fill the placeholder with must not contain a NUL character");
}

/* ---- documents ---------------------------------------------------------- */

static const char doc_tmpl[] =
    "# {{Project Name}} Architecture\n"
    "## Overview\n"
    "{{summary}}\n"
    "```yaml\n{{ .Values.x }}\n```\n";

static const char doc1[] =
    "# {{Project Name}} Architecture\n"           /* 0 */
    "## Overview\n"                               /* 1 */
    "{{Project Name}} runs on {{ Project Name }}.\n" /* 2 */
    "[[LLM: replace {{Project Name}}]]\n"          /* 3 */
    "```yaml\n{{ .Values.x }} {{Project Name}}\n```\n" /* 4-6 */
    "<!-- {{Project Name}} -->\n"                  /* 7 */
    "^^CONDITION: k8s^^\n"                         /* 8 */
    "{{}}\n"                                       /* 9 */
    "{{owner}}\n";                                 /* 10: not the template's */

typedef struct unfilled_case {
  const char *name;
  uint32_t line, col;
  const char *want;
} unfilled_case;

static const unfilled_case unfilled_cases[] = {
    {"in the title", 0, 4,
     "use 0:4-0:16 in 0:2-0:18 key \"Project Name\" = use 0:4-0:16 in 0:2-0:18; use 2:2-2:14 in 2:0-2:16; "
     "use 2:28-2:40 in 2:25-2:43"},
    {"spaced braces, same trimmed name", 2, 26,
     "use 2:28-2:40 in 2:25-2:43 key \"Project Name\" = use 0:4-0:16 in 0:2-0:18; use 2:2-2:14 in 2:0-2:16; "
     "use 2:28-2:40 in 2:25-2:43"},
    {"inside a leftover instruction: not a slot", 3, 18, "ENOTUNFILLED"},
    {"another language's syntax in code", 5, 4, "ENOTUNFILLED"},
    {"a name the template does not put in code, in code", 5, 20, "ENOTUNFILLED"},
    {"inside an HTML comment: no placeholder there", 7, 8, "ENONAME"},
    {"leftover CONDITION markup", 8, 14, "EDOCMARKUP"},
    {"an empty placeholder", 9, 1, "EEMPTY"},
    {"plain text", 1, 4, "ENONAME"},
    {"a name the template lacks (an unknown-placeholder hint): fillable too", 10, 3,
     "use 10:2-10:7 in 10:0-10:9 key \"owner\" = use 10:2-10:7 in 10:0-10:9"},
};

static void test_names_unfilled(void **state) {
  (void)state;
  fts_doc t, d;
  fts_doc_open_str(&t, doc_tmpl);
  fts_doc_open_str(&d, doc1);
  tl_template *tm = tl_template_new(t.tree);
  tl_document *doc = tl_document_new(d.tree, tm);
  for (size_t i = 0; i < sizeof unfilled_cases / sizeof *unfilled_cases; i++) {
    const unfilled_case *c = &unfilled_cases[i];
    uint32_t off = (uint32_t)gr_lines_offset(d.lines, d.text, (gr_pos){c->line, c->col}, GR_UNIT_UTF8);
    ft_name_at at;
    int rc = ft_names_unfilled_at(doc, off, &at);
    fts_str b = {0};
    if (rc) {
      fts_cat(&b, "%s", err_name(rc));
    } else {
      cat_ref(&b, &d, &at.ref);
      fts_cat(&b, " key ");
      fts_cat_quoted(&b, d.text + at.key.start, at.key.end - at.key.start);
      ft_name_refs refs = {0};
      ft_names_unfilled(doc, d.text + at.key.start, at.key.end - at.key.start, &refs);
      fts_cat(&b, " = ");
      cat_refs(&b, &d, &refs);
      ft_name_refs_free(&refs);
    }
    fts_expect(c->name, fts_str_get(&b), c->want);
    fts_str_free(&b);
  }
  ft_name_refs none = {0};
  ft_names_unfilled(doc, "", 0, &none);
  ft_names_unfilled(doc, "summary", 7, &none);
  assert_int_equal(none.len, 0);
  /* From the template's side: its name as the diagnostics compare names
   * (case, blanks, '_' aside): project_name is {{Project Name}}, the
   * three unfilled ones; not the one in the instruction, code or comment. */
  static const struct {
    const char *tname, *want;
  } from_template[] = {
      {"Project Name", "use 0:4-0:16 in 0:2-0:18; use 2:2-2:14 in 2:0-2:16; use 2:28-2:40 in 2:25-2:43"},
      {"project_name", "use 0:4-0:16 in 0:2-0:18; use 2:2-2:14 in 2:0-2:16; use 2:28-2:40 in 2:25-2:43"},
      {"OWNER", "use 10:2-10:7 in 10:0-10:9"},
      {"summary", "(none)"},
      {"", "(none)"},
  };
  for (size_t i = 0; i < sizeof from_template / sizeof *from_template; i++) {
    ft_name_refs refs = {0};
    ft_names_unfilled_of_template(doc, from_template[i].tname, strlen(from_template[i].tname), &refs);
    fts_str b = {0};
    cat_refs(&b, &d, &refs);
    fts_expect(from_template[i].tname, fts_str_get(&b), from_template[i].want);
    fts_str_free(&b);
    ft_name_refs_free(&refs);
  }
  tl_document_free(doc);

  /* Without a template: every {{…}} outside code, comments and instructions. */
  doc = tl_document_new(d.tree, NULL);
  ft_name_at at;
  uint32_t off = (uint32_t)gr_lines_offset(d.lines, d.text, (gr_pos){0, 4}, GR_UNIT_UTF8);
  assert_int_equal(ft_names_unfilled_at(doc, off, &at), 0);
  ft_name_refs refs = {0};
  ft_names_unfilled(doc, "Project Name", 12, &refs);
  assert_int_equal(refs.len, 3);
  ft_name_refs_free(&refs);
  tl_document_free(doc);
  tl_template_free(tm);
  fts_doc_close(&d);
  fts_doc_close(&t);
}

/* ---- invariants on the corpus and on garbage ---------------------------- */

/*
 * For every name-bearing node: the name at its name's start is that node
 * (or one nested in it), finding that name lists it, and every occurrence
 * found reads as the name, in text order, without overlaps.
 */
static void check_names(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  uint32_t count = gr_tree_count(d->tree);
  size_t checked = 0;
  for (uint32_t i = 1; i < count && checked < 200; i++) {
    const gr_node *n = gr_tree_node(d->tree, i);
    ft_name_kind kind = n->kind == GR_CONDITION ? FT_NAME_CONDITION
                        : n->kind == GR_REPEAT  ? FT_NAME_REPEAT
                        : n->kind == GR_PLACEHOLDER && !(n->flags & GR_FLAG_UNCLOSED) ? FT_NAME_PLACEHOLDER
                                                                                       : FT_NAME_NONE;
    if (kind == FT_NAME_NONE || n->name.end == n->name.start) continue;
    checked++;
    ft_name_at at;
    if (ft_names_at(d->tree, n->name.start, &at) != 0) fail_msg("%s: no name at node %u", name, i);
    if (at.ref.node != i && gr_tree_ancestor(d->tree, at.ref.node, (gr_kind)n->kind) == GR_NONE)
      fail_msg("%s: node %u: the name at its start is node %u", name, i, at.ref.node);
    ft_name_refs refs = {0};
    ft_names_find(d->tree, kind, d->text + n->name.start, n->name.end - n->name.start, &refs);
    int found = 0;
    for (size_t k = 0; k < refs.len; k++) {
      const ft_name_ref *r = &refs.items[k];
      if (r->node == i && r->name.start == n->name.start) found = 1;
      if (r->name.end - r->name.start != n->name.end - n->name.start ||
          memcmp(d->text + r->name.start, d->text + n->name.start, n->name.end - n->name.start) != 0)
        fail_msg("%s: node %u: an occurrence reads otherwise", name, i);
      if (r->name.start < r->token.start || r->name.end > r->token.end)
        fail_msg("%s: node %u: a name outside its token", name, i);
      if (k && refs.items[k - 1].name.end > r->name.start)
        fail_msg("%s: node %u: occurrences out of order or overlapping", name, i);
    }
    if (!found) fail_msg("%s: node %u is not among its name's occurrences", name, i);
    ft_name_refs_free(&refs);
    gr_span a, z;
    if (ft_names_linked(d->tree, n->name.start, &a, &z) == 0 &&
        (z.end - z.start != a.end - a.start || memcmp(d->text + a.start, d->text + z.start, a.end - a.start) != 0))
      fail_msg("%s: node %u: linked ranges differ", name, i);
  }
  /* Every offset of a short prefix gives a name or ENONAME, never anything else. */
  for (uint32_t off = 0; off <= d->len && off < 2000; off++) {
    ft_name_at at;
    int rc = ft_names_at(d->tree, off, &at);
    if (rc != 0 && rc != FT_NAMES_ENONAME) fail_msg("%s: offset %u: %d", name, off, rc);
    if (rc == 0 && (off < at.ref.token.start || off > at.ref.token.end))
      fail_msg("%s: offset %u: the token does not hold the cursor", name, off);
  }
}

static void test_names_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_names, NULL) > 100);
  fts_garbage_each(300, check_names, NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_names_at),
      cmocka_unit_test(test_names_renamable),
      cmocka_unit_test(test_names_find),
      cmocka_unit_test(test_names_find_appends),
      cmocka_unit_test(test_names_linked),
      cmocka_unit_test(test_names_check),
      cmocka_unit_test(test_names_unfilled),
      cmocka_unit_test(test_names_corpus_and_garbage_invariants),
  };
  return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
