/*
 * test_fileops.c: server/features/fileops.c: where keys go when a file
 * or a folder moves; the new marker value in the form it was written
 * (from the document's folder or from the root, "./", "/", quotes; the
 * document moving too); where a marker is written; the edits of a
 * .tmpl-ls.json's "templates" values, and the JSON it will not read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/fileops.h"
#include "tests/support/features_util.h"

static void test_fileops_moved(void **state) {
  (void)state;
  static const ft_rename r[] = {{"templates/prd-tmpl.md", "tmpl/prd-tmpl.md"}, {"docs", "archive/docs"}};
  static const struct {
    const char *key, *want;
  } cases[] = {
      {"templates/prd-tmpl.md", "tmpl/prd-tmpl.md"},
      {"templates/prd-tmpl.mdx", NULL}, /* a longer name is another file */
      {"docs/a.md", "archive/docs/a.md"},
      {"docs", "archive/docs"},
      {"docsy/a.md", NULL},
      {"x/docs/a.md", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *got = ft_fileops_moved(cases[i].key, r, 2);
    if (cases[i].want)
      assert_string_equal(got, cases[i].want);
    else
      assert_null(got);
    gr_free(got);
  }
  static const ft_rename empty[] = {{"", "x"}};
  assert_null(ft_fileops_moved("a.md", empty, 1));
}

/* The templates the folder has (the marker rule looks them up). */
static const char *const KNOWN[] = {"templates/prd-tmpl.md", "docs/local-tmpl.md", "templates/a b-tmpl.md", NULL};

static int known(const char *key, void *ctx) {
  (void)ctx;
  for (size_t i = 0; KNOWN[i]; i++)
    if (strcmp(KNOWN[i], key) == 0) return 1;
  return 0;
}

static void test_fileops_marker(void **state) {
  (void)state;
  static const ft_rename file[] = {{"templates/prd-tmpl.md", "templates/product/prd-tmpl.md"}};
  static const ft_rename folder[] = {{"templates", "tmpl"}};
  static const ft_rename doc_moves[] = {{"docs/prd.md", "archive/2024/prd.md"}};
  static const ft_rename both[] = {{"docs", "old/docs"}, {"templates", "tmpl"}};
  static const ft_rename local[] = {{"docs/local-tmpl.md", "docs/t/local-tmpl.md"}};
  static const ft_rename spaced[] = {{"templates/prd-tmpl.md", "templates/my prd-tmpl.md"}};
  static const ft_rename quote[] = {{"templates/prd-tmpl.md", "templates/a\"b.md"}};
  static const ft_rename unknown[] = {{"templates/gone-tmpl.md", "templates/new-tmpl.md"}};
  static const struct {
    const char *name, *doc, *value;
    int quoted;
    const ft_rename *r;
    const char *want;
  } cases[] = {
      {"from the root", "docs/prd.md", "templates/prd-tmpl.md", 0, file, "templates/product/prd-tmpl.md"},
      {"from the root, ./", "docs/prd.md", "./templates/prd-tmpl.md", 0, file, "./templates/product/prd-tmpl.md"},
      {"from the root, /", "docs/prd.md", "/templates/prd-tmpl.md", 0, file, "/templates/product/prd-tmpl.md"},
      {"from the document", "docs/prd.md", "../templates/prd-tmpl.md", 0, file, "../templates/product/prd-tmpl.md"},
      {"a folder", "docs/prd.md", "../templates/prd-tmpl.md", 0, folder, "../tmpl/prd-tmpl.md"},
      {"a folder, from the root", "docs/deep/prd.md", "templates/prd-tmpl.md", 0, folder, "tmpl/prd-tmpl.md"},
      {"at the root", "prd.md", "templates/prd-tmpl.md", 0, folder, "tmpl/prd-tmpl.md"},
      {"at the root, ./", "prd.md", "./templates/prd-tmpl.md", 0, folder, "./tmpl/prd-tmpl.md"},
      {"next to it", "docs/prd.md", "local-tmpl.md", 0, local, "t/local-tmpl.md"},
      {"next to it, ./", "docs/prd.md", "./local-tmpl.md", 0, local, "./t/local-tmpl.md"},
      {"the document moves: from its folder", "docs/prd.md", "../templates/prd-tmpl.md", 0, doc_moves,
       "../../templates/prd-tmpl.md"},
      {"the document moves: from the root", "docs/prd.md", "templates/prd-tmpl.md", 0, doc_moves, NULL},
      {"both move", "docs/prd.md", "../templates/prd-tmpl.md", 0, both, "../../tmpl/prd-tmpl.md"},
      {"./ dropped when it climbs", "docs/prd.md", "./local-tmpl.md", 0, doc_moves, "../../docs/local-tmpl.md"},
      {"another template", "docs/prd.md", "local-tmpl.md", 0, file, NULL},
      {"a blank: quotes", "docs/prd.md", "templates/prd-tmpl.md", 0, spaced, "\"templates/my prd-tmpl.md\""},
      {"quoted already", "docs/prd.md", "templates/prd-tmpl.md", 1, spaced, "templates/my prd-tmpl.md"},
      {"quoted, moving", "docs/prd.md", "../templates/a b-tmpl.md", 1, folder, "../tmpl/a b-tmpl.md"},
      {"a quote cannot be written", "docs/prd.md", "templates/prd-tmpl.md", 0, quote, NULL},
      {"a template not read yet: from the root", "docs/prd.md", "templates/gone-tmpl.md", 0, unknown,
       "templates/new-tmpl.md"},
      {"a template not read yet: from the document", "docs/prd.md", "../templates/gone-tmpl.md", 0, unknown,
       "../templates/new-tmpl.md"},
      {"folded on the way", "docs/prd.md", "./../templates//prd-tmpl.md", 0, file, "../templates/product/prd-tmpl.md"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t n = 1;
    if (cases[i].r == both) n = 2;
    char *got = ft_fileops_marker(cases[i].doc, cases[i].value, cases[i].quoted, cases[i].r, n, known, NULL);
    if (!cases[i].want ? got != NULL : !got || strcmp(got, cases[i].want) != 0)
      fail_msg("%s: got %s, want %s", cases[i].name, got ? got : "(none)", cases[i].want ? cases[i].want : "(none)");
    gr_free(got);
  }
}

static void test_fileops_marker_of(void **state) {
  (void)state;
  static const struct {
    const char *text;
    const char *value; /* NULL: none */
    uint32_t line, start, end;
    int quoted;
  } cases[] = {
      {"# Doc\n\n<!-- tmpl-ls: template=templates/prd-tmpl.md -->\n", "templates/prd-tmpl.md", 2, 23, 44, 0},
      {"# Doc\r\n\r\nx <!-- tmpl-ls: template=\"a b.md\" -->", "a b.md", 2, 26, 32, 1},
      {"\xC3\xA9\r<!-- tmpl-ls: other=1 template=x.md -->", "x.md", 1, 31, 35, 0},
      {"# Doc\n\n```\n<!-- tmpl-ls: template=x.md -->\n```\n", NULL, 0, 0, 0, 0},
      {"<!-- tmpl-ls: template=\"a\nb.md\" -->\n", NULL, 0, 0, 0, 0}, /* over a line end */
      {"# Doc\n", NULL, 0, 0, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    gr_options opts = {0, 0, GR_MODE_DOCUMENT};
    fts_doc d;
    fts_doc_open(&d, cases[i].text, strlen(cases[i].text), &opts);
    ft_marker *m = ft_marker_of(d.tree);
    if (!cases[i].value) {
      assert_null(m);
    } else {
      assert_non_null(m);
      assert_string_equal(m->value, cases[i].value);
      assert_int_equal(m->line, cases[i].line);
      assert_int_equal(m->start, cases[i].start);
      assert_int_equal(m->end, cases[i].end);
      assert_int_equal(m->quoted, cases[i].quoted);
      assert_int_equal(m->head_len, m->end);
      assert_memory_equal(m->head + m->start, cases[i].value, m->end - m->start);
    }
    ft_marker_free(m);
    fts_doc_close(&d);
  }
}

/* The edits applied to the text, as one string. */
static char *apply(const char *text, const ft_fileop_edits *e) {
  fts_str b = {0};
  size_t at = 0;
  for (size_t i = 0; i < e->len; i++) {
    fts_cat(&b, "%.*s%s", (int)(e->items[i].span.start - at), text + at, e->items[i].text);
    at = e->items[i].span.end;
  }
  fts_cat(&b, "%s", text + at);
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  return out;
}

static void test_fileops_settings(void **state) {
  (void)state;
  static const ft_rename r[] = {{"templates", "tmpl"}};
  static const struct {
    const char *name, *text, *want; /* want NULL: no edit */
  } cases[] = {
      {"values moved, keys and others kept",
       "{\n  \"diagnostics\": {\"templates\": \"templates/x\"},\n"
       "  \"templates\": {\"docs/*.md\": \"templates/plan-tmpl.md\", \"templates/*.md\": \"./templates/a-tmpl.md\",\n"
       "                \"n\": 1, \"o\": {\"p\": [\"templates/q\"]}, \"x\": \"other/x-tmpl.md\"}\n}\n",
       "{\n  \"diagnostics\": {\"templates\": \"templates/x\"},\n"
       "  \"templates\": {\"docs/*.md\": \"tmpl/plan-tmpl.md\", \"templates/*.md\": \"./tmpl/a-tmpl.md\",\n"
       "                \"n\": 1, \"o\": {\"p\": [\"templates/q\"]}, \"x\": \"other/x-tmpl.md\"}\n}\n"},
      {"escapes read and written", "{\"templates\": {\"a\": \"templates\\/caf\\u00e9 \\\"x\\\".md\"}}",
       "{\"templates\": {\"a\": \"tmpl/caf\xC3\xA9 \\\"x\\\".md\"}}"},
      {"a BOM", "\xEF\xBB\xBF{\"templates\":{\"a\":\"templates/b.md\"}}",
       "\xEF\xBB\xBF{\"templates\":{\"a\":\"tmpl/b.md\"}}"},
      {"after a later key", "{\"matchThreshold\": 0.5, \"templates\": {\"a\": \"templates/b.md\"}}",
       "{\"matchThreshold\": 0.5, \"templates\": {\"a\": \"tmpl/b.md\"}}"},
      {"not an object", "[\"templates\"]", NULL},
      {"templates not an object", "{\"templates\": [\"templates/a.md\"]}", NULL},
      {"a syntax error before", "{\"x\": tru e, \"templates\": {\"a\": \"templates/b.md\"}}", NULL},
      {"unterminated", "{\"templates\": {\"a\": \"templates/b.md", NULL},
      {"empty", "", NULL},
      {"deep nesting",
       "{\"a\": "
       "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"
       "]]]]]]]]]]]]]]]]]]]]]]]]]], \"templates\": {\"a\": \"templates/b.md\"}}",
       NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ft_fileop_edits e = {0};
    ft_fileops_settings(cases[i].text, strlen(cases[i].text), r, 1, &e);
    if (!cases[i].want) {
      if (e.len) fail_msg("%s: %zu edits", cases[i].name, e.len);
    } else {
      char *got = apply(cases[i].text, &e);
      fts_expect(cases[i].name, got, cases[i].want);
      gr_free(got);
    }
    ft_fileop_edits_free(&e);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fileops_moved),
      cmocka_unit_test(test_fileops_marker),
      cmocka_unit_test(test_fileops_marker_of),
      cmocka_unit_test(test_fileops_settings),
  };
  return cmocka_run_group_tests_name("fileops", tests, NULL, NULL);
}
