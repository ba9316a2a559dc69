/*
 * test_docs.c: server/lsp/docs.c: the open documents, byte edits, naming
 * rules, and the tree and line index following the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/lsp/docs.h"

static void test_docs_edit_applies_byte_ranges(void **state) {
  (void)state;
  static const struct {
    const char *text;
    size_t start, end;
    const char *insert;
    const char *want;
  } cases[] = {
      {"hello world", 6, 11, "there", "hello there"},
      {"hello", 5, 5, "!", "hello!"},
      {"hello", 0, 0, ">", ">hello"},
      {"hello", 1, 4, "", "ho"},
      {"", 0, 0, "new", "new"},
      {"abc", 0, 3, "", ""},
      {"abc", 10, 20, "d", "abcd"}, /* past the end: clamped to the end */
      {"abc", 2, 1, "X", "abXc"},   /* end before start: an insertion at start */
      {"a\r\nb", 1, 3, "\n", "a\nb"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_docs *docs = tl_docs_new();
    tl_doc *d = tl_docs_open(docs, "file:///x.md", cases[i].text, strlen(cases[i].text), 1);
    tl_doc_edit(d, cases[i].start, cases[i].end, cases[i].insert, strlen(cases[i].insert));
    size_t len;
    const char *t = tl_doc_text(d, &len);
    assert_int_equal(len, strlen(cases[i].want));
    assert_memory_equal(t, cases[i].want, len);
    assert_int_equal(t[len], '\0');
    tl_docs_free(docs);
  }
}

static void test_docs_open_reopen_close(void **state) {
  (void)state;
  tl_docs *docs = tl_docs_new();
  tl_doc *a = tl_docs_open(docs, "file:///a.md", "A", 1, 1);
  tl_doc *b = tl_docs_open(docs, "file:///b.md", "B", 1, 1);
  tl_doc *c = tl_docs_open(docs, "file:///c.md", "C", 1, 1);
  assert_int_equal(tl_docs_count(docs), 3);
  /* Opening an open URI again replaces its text and version, in place. */
  assert_ptr_equal(tl_docs_open(docs, "file:///b.md", "BB", 2, 9), b);
  assert_int_equal(tl_docs_count(docs), 3);
  assert_int_equal(tl_doc_version(b), 9);
  assert_int_equal(tl_doc_len(b), 2);
  assert_ptr_equal(tl_docs_get(docs, "file:///c.md"), c);
  assert_null(tl_docs_get(docs, "file:///d.md"));
  tl_docs_close(docs, b);
  assert_int_equal(tl_docs_count(docs), 2);
  assert_ptr_equal(tl_docs_at(docs, 0), a);
  assert_ptr_equal(tl_docs_at(docs, 1), c);
  assert_null(tl_docs_at(docs, 2));
  assert_null(tl_docs_get(docs, "file:///b.md"));
  assert_string_equal(tl_doc_uri(c), "file:///c.md");
  tl_docs_free(docs);
}

static void test_docs_template_by_name(void **state) {
  (void)state;
  static const struct {
    const char *uri;
    bool is_template;
  } cases[] = {
      {"file:///w/prd-tmpl.md", true},     {"file:///w/prd.tmpl.md", true},
      {"file:///w/prd-tmpl.md?v=2", true}, {"file:///w/prd-tmpl.md#top", true},
      {"file:///w/prd.md", false},         {"file:///w/tmpl.md", false},
      {"file:///w/prd-tmpl.md.bak", false}, {"untitled:Untitled-1", false},
  };
  tl_docs *docs = tl_docs_new();
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_doc *d = tl_docs_open(docs, cases[i].uri, "", 0, 1);
    print_message("%s\n", cases[i].uri);
    assert_int_equal(tl_doc_is_template(d), cases[i].is_template);
  }
  tl_docs_free(docs);
}

static void test_docs_tree_and_lines_follow_the_text(void **state) {
  (void)state;
  tl_docs *docs = tl_docs_new();
  tl_doc *d = tl_docs_open(docs, "file:///a-tmpl.md", "# A\n{{x}}\n", 10, 1);
  tl_doc *e = tl_docs_open(docs, "file:///b-tmpl.md", "# B\n", 4, 1);
  assert_true(tl_doc_stale(d));
  const gr_tree *t = tl_doc_tree(d);
  assert_false(tl_doc_stale(d));
  assert_ptr_equal(tl_doc_tree(d), t); /* parsed once */
  assert_int_equal(gr_tree_len(t), 10);
  assert_int_equal(gr_lines_count(tl_doc_lines(d)), 3);

  uint64_t r1 = tl_doc_revision(d), r2 = tl_doc_revision(e);
  assert_true(r2 > r1);
  tl_doc_edit(d, 4, 4, "\n\n", 2);
  assert_true(tl_doc_stale(d));
  assert_true(tl_doc_revision(d) > r2); /* revisions never repeat across documents */
  assert_int_equal(gr_lines_count(tl_doc_lines(d)), 5);
  assert_int_equal(gr_tree_len(tl_doc_tree(d)), 12);
  tl_docs_free(docs);
}

/* A template is parsed as text, a document as CommonMark renders it: the
 * "```bash" line closes the first fence only in the template's reading. */
static void test_docs_tree_mode_follows_the_kind(void **state) {
  (void)state;
  static const char text[] = "```\nx\n```bash\n{{p}}\n```\n";
  tl_docs *docs = tl_docs_new();
  tl_doc *d = tl_docs_open(docs, "file:///w/notes.md", text, sizeof text - 1, 1);
  const gr_tree *t = tl_doc_tree(d);
  assert_int_equal(gr_tree_mode(t), GR_MODE_DOCUMENT);
  uint32_t p = gr_tree_node_at(t, 16); /* inside {{p}} */
  assert_int_equal(gr_tree_node(t, p)->kind, GR_PLACEHOLDER);
  assert_true(gr_tree_node(t, p)->flags & GR_FLAG_IN_CODE);
  /* Told it is a template after all (a templates/ folder): parsed again. */
  tl_doc_set_template(d, true);
  assert_true(tl_doc_stale(d));
  t = tl_doc_tree(d);
  assert_int_equal(gr_tree_mode(t), GR_MODE_TEMPLATE);
  p = gr_tree_node_at(t, 16);
  assert_int_equal(gr_tree_node(t, p)->kind, GR_PLACEHOLDER);
  assert_false(gr_tree_node(t, p)->flags & GR_FLAG_IN_CODE);
  tl_doc_set_template(d, true); /* no change: the tree stays */
  assert_ptr_equal(tl_doc_tree(d), t);
  tl_docs_free(docs);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_docs_edit_applies_byte_ranges),
      cmocka_unit_test(test_docs_open_reopen_close),
      cmocka_unit_test(test_docs_template_by_name),
      cmocka_unit_test(test_docs_tree_and_lines_follow_the_text),
      cmocka_unit_test(test_docs_tree_mode_follows_the_kind),
  };
  return cmocka_run_group_tests_name("docs", tests, NULL, NULL);
}
