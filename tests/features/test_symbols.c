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
                                                          "example", "template"};
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
               {FT_SYMBOL_TEMPLATE, 2},
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

/* ---- YAML templates ------------------------------------------------------ */

static const symbols_case yaml_cases[] = {
    {"yaml: empty file", "", ""},
    {"yaml: header and nested sections, untitled ones by id",
     "template:\n"                          /* 0 */
     "  id: brief-v1\n"                     /* 1 */
     "  name: Project Brief\n"              /* 2 */
     "  output:\n"                          /* 3 */
     "    filename: docs/brief.md\n"        /* 4 */
     "sections:\n"                          /* 5 */
     "  - id: goals\n"                      /* 6 */
     "    title: Goals\n"                   /* 7 */
     "    instruction: |\n"                 /* 8 */
     "      List the goals.\n"              /* 9 */
     "    sections:\n"                      /* 10 */
     "      - id: diagram\n"                /* 11 */
     "        type: mermaid\n"              /* 12 */
     "      - id: step\n"                   /* 13 */
     "        instruction: Ask first.\n"    /* 14 */
     "      - id: detail\n"                 /* 15 */
     "        title: \"Goal  {{n}}\"\n"     /* 16 */
     "  - id: risks\n"                      /* 17 */
     "    title: Risks\n",                  /* 18 */
     "template \"Project Brief\" 0:0-4:27 sel \"Project Brief\" brief-v1\n"
     "section \"Goals\" h2 6:4-16:28 sel \"Goals\" goals\n"
     "  section \"diagram\" h3 11:8-12:21 sel \"diagram\" no title, mermaid\n"
     "  section \"step\" h3 13:8-14:31 sel \"step\" no title\n"
     "  section \"Goal {{n}}\" h3 15:8-16:28 sel \"\\\"Goal  {{n}}\\\"\" detail\n"
     "section \"Risks\" h2 17:4-18:16 sel \"Risks\" risks\n"},
    {"yaml: header named by id, then \"template\"; no title nor id",
     "template:\n  id: x-v1\nsections:\n  - type: table\n    columns: [A, B]\n  - instruction: y\n"
     "  - plain item\n",
     "template \"x-v1\" 0:0-1:10 sel \"x-v1\"\n"
     "section \"table\" h2 3:4-4:19 sel \"type: table\"\n"
     "section \"(untitled)\" h2 5:4-5:18 sel \"instruction: y\"\n"
     "section \"(untitled)\" h2 6:4-6:14 sel \"plain item\"\n"},
    {"yaml: a header with neither name nor id, empty and blank titles",
     "template:\n  version: 2\nsections:\n  - id: a\n    title:\n  - id: b\n    title: \"  \"\n",
     "template \"template\" 0:0-1:12 sel \"template\"\n"
     "section \"a\" h2 3:4-4:10 sel \"a\" no title\n"
     "section \"b\" h2 5:4-6:15 sel \"b\" no title\n"},
    {"yaml: a broken title; the sections after the error are read",
     "template:\n"                          /* 0 */
     "  id: t\n"                            /* 1 */
     "sections:\n"                          /* 2 */
     "  - id: one\n"                        /* 3 */
     "    title: Example: Broken Agent\n"   /* 4 */
     "    instruction: x\n"                 /* 5 */
     "  - id: two\n"                        /* 6 */
     "    title: Two\n"                     /* 7 */
     "    sections:\n"                      /* 8 */
     "      - id: three\n"                  /* 9 */
     "        title: Three\n",              /* 10 */
     "template \"t\" 0:0-1:7 sel \"t\"\n"
     "section \"Example: Broken Agent\" h2 3:4-5:18 sel \"Example: Broken Agent\" one\n"
     "section \"Two\" h2 6:4-10:20 sel \"Two\" two\n"
     "  section \"Three\" h3 9:8-10:20 sel \"Three\" three\n"},
    {"yaml: no template, not a mapping at all",
     "- a\n- b\n", ""},
};

static void test_symbols_yaml_outline(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    ft_symbols *s = ft_symbols_new_yaml(d.yaml);
    fts_str b = {0};
    render(&b, &d, s);
    fts_expect(yaml_cases[i].name, fts_str_get(&b), yaml_cases[i].want);
    fts_str_free(&b);
    ft_symbols_free(s);
    fts_doc_close(&d);
  }
}

/* Links agree, names are non-empty UTF-8, selections lie in ranges and
 * children in parents, on every real YAML template (broken ones too). */
static void check_yaml_symbols(const char *name, const fts_doc *d, void *ud) {
  (void)ud;
  ft_symbols *s = ft_symbols_new_yaml(d->yaml);
  check_links(s);
  uint32_t want = yt_tmpl_section_count(d->yaml) + (yt_tmpl_header(d->yaml)->tmpl != YT_NONE);
  if (s->len != want) fail_msg("%s: %u symbols for %u sections and header", name, s->len, want);
  for (uint32_t k = 0; k < s->len; k++) {
    const ft_symbol *y = &s->items[k];
    if (!y->name[0] || !fts_utf8_valid(y->name, strlen(y->name)) || strlen(y->name) > 210)
      fail_msg("%s: symbol %u has an empty, invalid or long name", name, k);
    if (y->detail && !fts_utf8_valid(y->detail, strlen(y->detail)))
      fail_msg("%s: symbol %u has an invalid detail", name, k);
    if (!(y->range.start <= y->selection.start && y->selection.end <= y->range.end &&
          y->range.end <= d->len))
      fail_msg("%s: symbol %u selection outside its range", name, k);
    if (y->parent != GR_NONE) {
      const ft_symbol *p = &s->items[y->parent];
      if (!(p->range.start <= y->range.start && y->range.end <= p->range.end))
        fail_msg("%s: symbol %u outside its parent", name, k);
    }
  }
  ft_symbols_free(s);
}

static void test_symbols_yaml_corpus_invariants(void **state) {
  (void)state;
  assert_true(fts_yaml_corpus_each(check_yaml_symbols, NULL) > 250);
  for (size_t i = 0; i < sizeof yaml_cases / sizeof yaml_cases[0]; i++) {
    fts_doc d;
    fts_doc_open_yaml(&d, yaml_cases[i].input, strlen(yaml_cases[i].input));
    check_yaml_symbols(yaml_cases[i].name, &d, NULL);
    fts_doc_close(&d);
  }
}

/* A "\0" escape and invalid UTF-8 in a title; a title past 200 bytes. */
static void test_symbols_yaml_names(void **state) {
  (void)state;
  fts_str in = {0};
  fts_cat(&in, "template:\n  id: t\nsections:\n  - id: a\n    title: \"x\\0y\\xFF\"\n  - id: b\n    title: ");
  for (int i = 0; i < 150; i++) fts_cat(&in, "\xC3\xA9");
  fts_cat(&in, "\n  - id: c\n    title: \"ab\\0\\0cd");
  for (int i = 0; i < 300; i++) fts_cat(&in, "e");
  fts_cat(&in, "\"\n");
  fts_doc d;
  fts_doc_open_yaml(&d, fts_str_get(&in), in.len);
  ft_symbols *s = ft_symbols_new_yaml(d.yaml);
  assert_int_equal(s->len, 4);
  assert_string_equal(s->items[1].name, "x y\xC3\xBF"); /* \xFF decodes to U+00FF */
  assert_int_equal(strlen(s->items[2].name), 203);
  assert_string_equal(s->items[2].name + 200, "\xE2\x80\xA6");
  /* "\0" ends a run of ASCII as a blank does; the cut counts the text, not the space */
  assert_int_equal(strlen(s->items[3].name), 5 + 196 + 3);
  assert_memory_equal(s->items[3].name, "ab cdeee", 8);
  assert_string_equal(s->items[3].name + 201, "\xE2\x80\xA6");
  ft_symbols_free(s);
  fts_doc_close(&d);
  fts_str_free(&in);
}

/* The name rules a byte at a time, as symbols.c wrote them before it
 * copied runs of ASCII at once: blanks become one space between words, a
 * byte that is no UTF-8 becomes U+FFFD, and after 200 bytes of text "…". */
static void ref_name(fts_str *b, const char *prefix, const char *text, uint32_t start, uint32_t end) {
  fts_cat(b, "%s", prefix);
  int pending = b->len > 0;
  size_t taken = 0;
  for (uint32_t i = start; i < end;) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending = b->len > 0;
      i++;
      continue;
    }
    uint32_t cp;
    size_t n = gr_utf8_decode(text, end, i, &cp);
    if (taken + n > 200) {
      fts_cat(b, "%s\xE2\x80\xA6", pending ? " " : "");
      break;
    }
    if (pending) fts_cat(b, " ");
    pending = 0;
    if (cp == 0xFFFD) fts_cat(b, "\xEF\xBF\xBD");
    else fts_cat(b, "%.*s", (int)n, text + i);
    taken += n;
    i += (uint32_t)n;
  }
  if (b->len == 0) fts_cat(b, "(none)");
}

/* Names of every mix of ASCII runs, blanks, UTF-8 and bad bytes, around
 * the 200-byte cut (a run cut in its middle, a run that ends at the cut, a
 * blank or a multi-byte character there), the same as the rules a byte at
 * a time give. */
static void test_symbols_name_runs(void **state) {
  (void)state;
  static const char *const pieces[] = {"a", "word", "x-y_z.", " ", "\t\n", "  ", "\xC3\xA9", "\xE2\x82\xAC",
                                       "\xF0\x9F\x92\xA5", "\xFF", "\xC3", "{{v}}", "\x01"};
  enum { NP = sizeof pieces / sizeof pieces[0] };
  uint32_t seed = 12345;
  for (int round = 0; round < 3000; round++) {
    fts_str text = {0}, want = {0};
    size_t target = 150 + (size_t)(round % 120); /* text lengths around the cut */
    if (round % 7 == 0) fts_cat(&text, "%*s", round % 5, "");
    while (text.len < target) {
      seed = seed * 1103515245u + 12345u;
      fts_cat(&text, "%s", pieces[(seed >> 16) % NP]);
    }
    if (round % 3 == 0) { /* an ASCII run that ends at, or crosses, the cut */
      fts_str_free(&text);
      fts_cat(&text, "%*s", round % 4, "");
      for (int i = 0; i < 195 + round % 11; i++) fts_cat(&text, "%c", 'a' + i % 26);
      if (round % 2) fts_cat(&text, " tail");
    }
    const char *prefix = round % 4 == 0 ? "REPEAT" : "";
    const char *t = fts_str_get(&text);
    ref_name(&want, prefix, t, 0, (uint32_t)text.len);
    char *got = ft_symbols_name(prefix, t, (gr_span){0, (uint32_t)text.len}, "(none)");
    assert_string_equal(got, fts_str_get(&want));
    gr_free(got);
    fts_str_free(&text);
    fts_str_free(&want);
  }
}

/* 20,000 sections after a chain of 60 nested ones (120 YAML levels): the
 * levels count on, the list is linear and built without recursion. */
static void test_symbols_yaml_large(void **state) {
  (void)state;
  enum { DEEP = 60, WIDE = 20000 };
  fts_str in = {0};
  fts_cat(&in, "template:\n  id: big\nsections:\n");
  for (int i = 0; i < DEEP; i++)
    fts_cat(&in, "%*s- id: d%d\n%*s  sections:\n", 2 + 4 * i, "", i, 2 + 4 * i, "");
  fts_cat(&in, "%*s- id: leaf\n", 2 + 4 * DEEP, "");
  for (int i = 0; i < WIDE; i++) fts_cat(&in, "  - id: s%d\n    title: Section %d\n", i, i);
  fts_doc d;
  fts_doc_open_yaml(&d, fts_str_get(&in), in.len);
  ft_symbols *s = ft_symbols_new_yaml(d.yaml);
  assert_int_equal(s->len, 1 + DEEP + 1 + WIDE);
  assert_string_equal(s->items[DEEP + 1].name, "leaf");
  assert_int_equal(s->items[DEEP + 1].parent, DEEP);
  assert_int_equal(s->items[DEEP + 1].level, DEEP + 2);
  assert_string_equal(s->items[s->len - 1].name, "Section 19999");
  assert_string_equal(s->items[s->len - 1].detail, "s19999");
  assert_int_equal(s->items[s->len - 1].parent, GR_NONE);
  ft_symbols_free(s);
  fts_doc_close(&d);
  fts_str_free(&in);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_symbols_outline),
      cmocka_unit_test(test_symbols_links),
      cmocka_unit_test(test_symbols_lsp_kinds),
      cmocka_unit_test(test_symbols_corpus_and_garbage_invariants),
      cmocka_unit_test(test_symbols_long_name),
      cmocka_unit_test(test_symbols_name_runs),
      cmocka_unit_test(test_symbols_deep_nesting),
      cmocka_unit_test(test_symbols_yaml_outline),
      cmocka_unit_test(test_symbols_yaml_corpus_invariants),
      cmocka_unit_test(test_symbols_yaml_names),
      cmocka_unit_test(test_symbols_yaml_large),
  };
  return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}
