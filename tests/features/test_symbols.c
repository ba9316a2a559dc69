/*
 * test_symbols.c: server/features/symbols.c. Each case is a template and
 * its outline, one symbol a line, indented by depth:
 *   <kind> "<name>" [h<level>] <range start>-<range end> sel "<selected text>" [<detail>]
 * with positions as line:col (0-based, bytes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/symbols.h"
#include "tests/support/features_util.h"

static const char *kind_name(ft_symbol_kind k) {
  static const char *const names[FT_SYMBOL_KIND_COUNT] = {"section", "repeat", "condition",
                                                          "example"};
  return (unsigned)k < FT_SYMBOL_KIND_COUNT ? names[k] : "?";
}

static void render(fts_str *b, const fts_doc *d, const ft_symbols *s) {
  for (uint32_t i = 0; i < s->len; i++) {
    const ft_symbol *y = &s->items[i];
    int depth = 0;
    for (uint32_t p = y->parent; p != GR_NONE; p = s->items[p].parent) depth++;
    fts_cat(b, "%*s%s ", depth * 2, "", kind_name(y->kind));
    fts_cat_quoted(b, y->name, strlen(y->name));
    if (y->kind == FT_SYMBOL_SECTION) fts_cat(b, " h%u", (unsigned)y->level);
    fts_cat(b, " ");
    fts_cat_pos(b, d, y->range.start);
    fts_cat(b, "-");
    fts_cat_pos(b, d, y->range.end);
    fts_cat(b, " sel ");
    fts_cat_quoted(b, d->text + y->selection.start, y->selection.end - y->selection.start);
    if (y->detail) fts_cat(b, " %s", y->detail);
    fts_cat(b, "\n");
  }
}

typedef struct symbols_case {
  const char *name;
  const char *input;
  const char *want;
} symbols_case;

static const symbols_case cases[] = {
    {"empty file", "", ""},
    {"plain text", "no headings here\n{{x}}\n", ""},
    {"sections nest by level",
     "# A\ntext\n## B\n### C\n## D\n# E\n",
     "section \"A\" h1 0:0-5:0 sel \"A\"\n"
     "  section \"B\" h2 2:0-4:0 sel \"B\"\n"
     "    section \"C\" h3 3:0-4:0 sel \"C\"\n"
     "  section \"D\" h2 4:0-5:0 sel \"D\"\n"
     "section \"E\" h1 5:0-6:0 sel \"E\"\n"},
    {"blocks are children where they stand",
     "## Env\n"
     "<<REPEAT: environment>>\n"
     "### {{environment_name}} Env\n"
     "<</REPEAT>>\n"
     "^^CONDITION: uses_k8s^^\n"
     "text\n"
     "^^/CONDITION: uses_k8s^^\n"
     "@{example: matrix}\n"
     "| a |\n"
     "@{/example}\n"
     "@{example: - NFR1: an inline example is no symbol}\n"
     "@{example}\n"
     "x\n"
     "@{/example}\n",
     "section \"Env\" h2 0:0-14:0 sel \"Env\"\n"
     "  repeat \"REPEAT environment\" 1:0-3:11 sel \"environment\"\n"
     "    section \"{{environment_name}} Env\" h3 2:0-3:0 sel \"{{environment_name}} Env\"\n"
     "  condition \"CONDITION uses_k8s\" 4:0-6:24 sel \"uses_k8s\"\n"
     "  example \"example matrix\" 7:0-9:11 sel \"matrix\"\n"
     "  example \"example\" 11:0-13:11 sel \"@{example}\"\n"},
    {"a heading in a block ends with the block",
     "# Top\n^^CONDITION: c^^\n## Inner\ntext\n^^/CONDITION: c^^\n## After\n",
     "section \"Top\" h1 0:0-6:0 sel \"Top\"\n"
     "  condition \"CONDITION c\" 1:0-4:17 sel \"c\"\n"
     "    section \"Inner\" h2 2:0-4:0 sel \"Inner\"\n"
     "  section \"After\" h2 5:0-6:0 sel \"After\"\n"},
    {"repeat opener forms",
     "<<REPEAT section=\"mechanic\" count=\"3-5\">>\na\n<</REPEAT>>\n"
     "<<REPEAT for each priority competitor>>\nb\n<</REPEAT>>\n",
     "repeat \"REPEAT mechanic\" 0:0-2:11 sel \"mechanic\"\n"
     "repeat \"REPEAT for each priority competitor\" 3:0-5:11 sel \"for each priority "
     "competitor\"\n"},
    {"an unclosed opener is a marker, not a container",
     "<<REPEAT: x>>\n## After\n",
     "repeat \"REPEAT x\" 0:0-0:13 sel \"x\" unclosed\n"
     "section \"After\" h2 1:0-2:0 sel \"After\"\n"},
    {"an unclosed example block",
     "# T\n@{example}\nrest\n",
     "section \"T\" h1 0:0-3:0 sel \"T\"\n"
     "  example \"example\" 1:0-1:10 sel \"@{example}\" unclosed\n"},
    {"setext heading text is one line, an empty heading has a name",
     "Title\nmore\n===\n#\nbody\n",
     "section \"Title more\" h1 0:0-3:0 sel \"Title\\nmore\"\n"
     "section \"(empty heading)\" h1 3:0-5:0 sel \"#\"\n"},
    {"BOM and CRLF",
     "\xEF\xBB\xBF# A\r\n## B\r\ntext\r\n",
     "section \"A\" h1 0:3-3:0 sel \"A\"\n"
     "  section \"B\" h2 1:0-3:0 sel \"B\"\n"},
    {"invalid UTF-8 in a name becomes U+FFFD",
     "# A\xFF\xC3\n",
     "section \"A\xEF\xBF\xBD\xEF\xBF\xBD\" h1 0:0-1:0 sel \"A\xFF\xC3\"\n"},
    {"headings in a fence are not sections",
     "# A\n```\n# not a heading\n```\n",
     "section \"A\" h1 0:0-4:0 sel \"A\"\n"},
};

static void test_symbols_outline(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    ft_symbols *s = ft_symbols_new(d.tree);
    fts_str b = {0};
    render(&b, &d, s);
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    fts_str_free(&b);
    ft_symbols_free(s);
    fts_doc_close(&d);
  }
}

/* first_child / next_sibling / child_count agree with parent, in order. */
static void check_links(const ft_symbols *s) {
  for (uint32_t i = 0; i <= s->len; i++) {
    /* i == s->len stands for the (absent) root: the top-level chain */
    uint32_t want_parent = i == s->len ? GR_NONE : i;
    uint32_t c = GR_NONE, n = 0;
    for (uint32_t k = 0; k < s->len; k++) {
      if (s->items[k].parent != want_parent) continue;
      if (c == GR_NONE) {
        if (i < s->len) assert_int_equal(s->items[i].first_child, k);
      } else {
        assert_int_equal(s->items[c].next_sibling, k);
      }
      assert_true(k > want_parent || want_parent == GR_NONE);
      c = k;
      n++;
    }
    if (c != GR_NONE) assert_int_equal(s->items[c].next_sibling, GR_NONE);
    if (i < s->len) {
      assert_int_equal(s->items[i].child_count, n);
      if (!n) assert_int_equal(s->items[i].first_child, GR_NONE);
    }
  }
}

/* Links agree, names are non-empty UTF-8, selections lie in ranges, and
 * children in parents. */
static void check_symbols(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  ft_symbols *s = ft_symbols_new(d->tree);
  check_links(s);
  for (uint32_t k = 0; k < s->len; k++) {
    const ft_symbol *y = &s->items[k];
    if (!y->name[0] || !fts_utf8_valid(y->name, strlen(y->name)))
      fail_msg("%s: symbol %u has an empty or invalid name", name, k);
    if (!(y->range.start <= y->selection.start && y->selection.end <= y->range.end))
      fail_msg("%s: symbol %u selection outside its range", name, k);
    if (y->parent != GR_NONE) {
      const ft_symbol *p = &s->items[y->parent];
      if (!(p->range.start <= y->range.start && y->range.end <= p->range.end))
        fail_msg("%s: symbol %u outside its parent", name, k);
    }
  }
  ft_symbols_free(s);
}

static void test_symbols_links(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    fts_doc d;
    fts_doc_open_str(&d, cases[i].input);
    check_symbols(cases[i].name, &d, NULL);
    fts_doc_close(&d);
  }
}

static void test_symbols_corpus_and_garbage_invariants(void **state) {
  (void)state;
  assert_true(fts_corpus_each(check_symbols, NULL) > 100);
  fts_garbage_each(300, check_symbols, NULL);
}

/* A heading longer than 200 bytes is cut at a character boundary. */
static void test_symbols_long_name(void **state) {
  (void)state;
  fts_str in = {0}, want = {0};
  fts_cat(&in, "# ");
  for (int i = 0; i < 150; i++) fts_cat(&in, "\xC3\xA9"); /* 300 bytes of "é" */
  fts_cat(&in, "\n");
  for (int i = 0; i < 100; i++) fts_cat(&want, "\xC3\xA9");
  fts_cat(&want, "\xE2\x80\xA6");
  fts_doc d;
  fts_doc_open(&d, fts_str_get(&in), in.len, NULL);
  ft_symbols *s = ft_symbols_new(d.tree);
  assert_int_equal(s->len, 1);
  assert_string_equal(s->items[0].name, fts_str_get(&want));
  ft_symbols_free(s);
  fts_doc_close(&d);
  fts_str_free(&in);
  fts_str_free(&want);
}

static void test_symbols_lsp_kinds(void **state) {
  (void)state;
  static const struct {
    ft_symbol_kind kind;
    int lsp;
  } table[] = {{FT_SYMBOL_SECTION, 15},
               {FT_SYMBOL_REPEAT, 18},
               {FT_SYMBOL_CONDITION, 17},
               {FT_SYMBOL_EXAMPLE, 19},
               {FT_SYMBOL_KIND_COUNT, 15}};
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    assert_int_equal(ft_symbol_kind_lsp(table[i].kind), table[i].lsp);
}

/* 10,000 nested REPEATs (the parser allowed that deep): a chain, no recursion. */
static void test_symbols_deep_nesting(void **state) {
  (void)state;
  enum { N = 10000 };
  const char *open = "<<REPEAT: r>>\n", *close = "<</REPEAT>>\n";
  size_t ol = strlen(open), cl = strlen(close), len;
  char *text = fts_nested(open, "", close, N, &len);
  gr_options opts = {N + 10, 0, GR_MODE_TEMPLATE};
  fts_doc d;
  fts_doc_open(&d, text, len, &opts);
  ft_symbols *s = ft_symbols_new(d.tree);
  assert_int_equal(s->len, N);
  for (uint32_t i = 0; i < N; i++) {
    assert_int_equal(s->items[i].parent, i == 0 ? GR_NONE : i - 1);
    assert_int_equal(s->items[i].child_count, i + 1 < N ? 1 : 0);
    assert_string_equal(s->items[i].name, "REPEAT r");
  }
  assert_int_equal(s->items[N - 1].range.start, (N - 1) * ol);
  assert_int_equal(s->items[N - 1].range.end, N * ol + cl - 1);
  ft_symbols_free(s);
  fts_doc_close(&d);
  gr_free(text);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_symbols_outline),
      cmocka_unit_test(test_symbols_links),
      cmocka_unit_test(test_symbols_lsp_kinds),
      cmocka_unit_test(test_symbols_corpus_and_garbage_invariants),
      cmocka_unit_test(test_symbols_long_name),
      cmocka_unit_test(test_symbols_deep_nesting),
  };
  return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}
