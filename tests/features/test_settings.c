/*
 * test_settings.c: server/features/settings.c: reading settings (every key,
 * every kind of mistake, with the sentence it gives), merging the editor's
 * with a project's file, and applying them to diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/settings.h"
#include "tests/support/features_util.h"

static int8_t level_of(const tl_settings *s, const char *code) {
  size_t n;
  const tl_code_info *codes = tl_codes(&n);
  return s->severity[tl_code_find(code) - codes];
}

/* The problems, one a line. */
static void render_problems(fts_str *b, const tl_settings_problems *p) {
  for (size_t i = 0; i < p->len; i++) fts_cat(b, "%s\n", p->items[i]);
}

static void test_settings_read_everything(void **state) {
  (void)state;
  static const char text[] =
      "{\"diagnostics\": {\"unfilled-placeholder\": \"error\", \"section-order\": \"off\"},\n"
      " \"templates\": {\"docs/prd*.md\": \"./t/prd-tmpl.md\", \"**/brief.md\": \"t/brief-tmpl.md\"},\n"
      " \"matchThreshold\": 0.65}\n";
  tl_settings s;
  tl_settings_init(&s);
  tl_settings_problems p = {0};
  assert_int_equal(tl_settings_load(&s, text, strlen(text), ".tmpl-ls.json", &p), 0);
  assert_int_equal(p.len, 0);
  assert_int_equal(level_of(&s, "unfilled-placeholder"), GR_SEV_ERROR);
  assert_int_equal(level_of(&s, "section-order"), TL_SEVERITY_OFF);
  assert_int_equal(level_of(&s, "missing-section"), TL_SEVERITY_DEFAULT);
  assert_int_equal(s.mapping_count, 2);
  assert_string_equal(s.mappings[0].glob, "docs/prd*.md");
  assert_string_equal(s.mappings[0].template, "t/prd-tmpl.md"); /* "./" folded */
  assert_string_equal(s.mappings[1].glob, "**/brief.md");
  assert_int_equal(s.threshold, 650);
  tl_assoc_options o = tl_settings_assoc(&s);
  assert_null(o.forced);
  assert_ptr_equal(o.mappings, s.mappings);
  assert_int_equal(o.mapping_count, 2);
  assert_int_equal(o.threshold, 650);
  tl_settings_free(&s);
  assert_int_equal(s.mapping_count, 0);
}

static void test_settings_mistakes(void **state) {
  (void)state;
  static const struct {
    const char *name, *text;
    int strict, rc;
    const char *want;
  } cases[] = {
      {"not JSON, with where", "{\"diagnostics\": {\n  \"x\": }\n", 1, -1,
       "f.json:2:8: unexpected token near '}'\n"},
      {"duplicate keys are a mistake in a file", "{\"matchThreshold\": 0.5, \"matchThreshold\": 0.6}", 1, -1,
       "f.json:1:40: duplicate object key near '\"matchThreshold\"'\n"},
      {"not an object", "[1]", 1, 0, "f.json: the settings must be a JSON object\n"},
      {"wrong values are left out, the rest applies",
       "{\"diagnostics\": {\"nope\": \"off\", \"empty-placeholder\": \"fatal\", \"stray-closer\": 3,"
       " \"unclosed-block\": \"hint\"}, \"templates\": {\"a.md\": 1, \"\": \"t.md\", \"b.md\": \"\"},"
       " \"matchThreshold\": 2, \"trace\": {}}",
       1, 0,
       "f.json: \"nope\" is not a tmpl-ls diagnostic code\n"
       "f.json: \"diagnostics\".\"empty-placeholder\" must be error, warning, information, hint or off\n"
       "f.json: \"diagnostics\".\"stray-closer\" must be error, warning, information, hint or off\n"
       "f.json: \"templates\".\"a.md\" must be a template's path\n"
       "f.json: \"templates\".\"\" must be a template's path\n"
       "f.json: \"templates\".\"b.md\" must be a template's path\n"
       "f.json: \"matchThreshold\" must be a number above 0 and at most 1\n"
       "f.json: \"trace\" is not a tmpl-ls setting (diagnostics, templates, matchThreshold, inlayHints, "
       "workspaceDiagnostics)\n"},
      {"wrong shapes",
       "{\"diagnostics\": [], \"templates\": \"x\", \"matchThreshold\": \"0.5\", \"inlayHints\": \"no\","
       " \"workspaceDiagnostics\": 1}",
       1, 0,
       "f.json: \"diagnostics\" must be an object of codes and severities\n"
       "f.json: \"templates\" must be an object of globs and template paths\n"
       "f.json: \"matchThreshold\" must be a number above 0 and at most 1\n"
       "f.json: \"inlayHints\" must be true or false\n"
       "f.json: \"workspaceDiagnostics\" must be true or false\n"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    tl_settings s;
    tl_settings_init(&s);
    tl_settings_problems p = {0};
    int rc = tl_settings_load(&s, cases[i].text, strlen(cases[i].text), "f.json", &p);
    fts_str b = {0};
    render_problems(&b, &p);
    fts_expect(cases[i].name, fts_str_get(&b), cases[i].want);
    assert_int_equal(rc, cases[i].rc);
    fts_str_free(&b);
    tl_settings_problems_free(&p);
    tl_settings_free(&s);
  }
  /* the editor's section: its own keys (trace) are none of tmpl-ls's business */
  tl_settings s;
  tl_settings_init(&s);
  tl_settings_problems p = {0};
  json_t *v = json_loads("{\"trace\": {\"server\": \"off\"}, \"diagnostics\": {\"leftover-example\": \"warning\"}}",
                         0, NULL);
  tl_settings_read(&s, v, "the editor", 0, &p);
  assert_int_equal(p.len, 0);
  assert_int_equal(level_of(&s, "leftover-example"), GR_SEV_WARNING);
  tl_settings_read(&s, NULL, "the editor", 0, &p); /* nothing: nothing said */
  assert_int_equal(p.len, 0);
  json_decref(v);
  tl_settings_free(&s);
  /* too big */
  size_t big = TL_SETTINGS_MAX_BYTES + 1;
  char *text = gr_malloc(big);
  memset(text, ' ', big);
  tl_settings_init(&s);
  assert_int_equal(tl_settings_load(&s, text, big, "f.json", &p), -1);
  assert_int_equal(p.len, 1);
  assert_string_equal(p.items[0], "f.json: larger than 1048576 bytes; not read");
  gr_free(text);
  tl_settings_problems_free(&p);
  tl_settings_free(&s);
}

static void test_settings_merge_file_over_editor(void **state) {
  (void)state;
  tl_settings editor, file, out;
  tl_settings_init(&editor);
  tl_settings_init(&file);
  static const char e[] = "{\"diagnostics\": {\"missing-section\": \"off\", \"section-order\": \"warning\"},"
                          " \"templates\": {\"a/*.md\": \"ea.md\", \"b/*.md\": \"eb.md\"}, \"matchThreshold\": 0.4,"
                          " \"inlayHints\": false, \"workspaceDiagnostics\": true}";
  static const char f[] = "{\"diagnostics\": {\"missing-section\": \"error\"}, \"templates\": {\"b/*.md\": \"fb.md\","
                          " \"c/*.md\": \"fc.md\"}, \"workspaceDiagnostics\": false}";
  assert_int_equal(tl_settings_load(&editor, e, strlen(e), "e", NULL), 0);
  assert_int_equal(tl_settings_load(&file, f, strlen(f), "f", NULL), 0);
  tl_settings_merge(&out, &editor, &file);
  assert_int_equal(level_of(&out, "missing-section"), GR_SEV_ERROR); /* the file's */
  assert_int_equal(level_of(&out, "section-order"), GR_SEV_WARNING); /* the editor's */
  assert_int_equal(out.mapping_count, 3);                            /* the file's first */
  assert_string_equal(out.mappings[0].glob, "b/*.md");
  assert_string_equal(out.mappings[0].template, "fb.md");
  assert_string_equal(out.mappings[1].glob, "c/*.md");
  assert_string_equal(out.mappings[2].glob, "a/*.md");
  assert_string_equal(out.mappings[2].template, "ea.md");
  assert_int_equal(out.threshold, 400);
  assert_int_equal(tl_settings_inlay_hints(&out), 0); /* the editor's, the file says nothing */
  assert_int_equal(tl_settings_inlay_hints(&file), 1); /* the default */
  /* workspaceDiagnostics: the file's false over the editor's true; the
   * default pulls (when asked) and does not push */
  assert_int_equal(tl_settings_workspace_diagnostics(&out, 1), 0);
  assert_int_equal(tl_settings_workspace_diagnostics(&out, 0), 0);
  assert_int_equal(tl_settings_workspace_diagnostics(&editor, 0), 1);
  tl_settings def;
  tl_settings_init(&def);
  assert_int_equal(tl_settings_workspace_diagnostics(&def, 1), 1);
  assert_int_equal(tl_settings_workspace_diagnostics(&def, 0), 0);
  tl_settings_free(&def);
  tl_settings_free(&out);
  tl_settings_free(&editor);
  tl_settings_free(&file);
}

static void test_settings_apply(void **state) {
  (void)state;
  tl_settings s;
  tl_settings_init(&s);
  static const char t[] = "{\"diagnostics\": {\"empty-placeholder\": \"error\", \"stray-closer\": \"off\"}}";
  assert_int_equal(tl_settings_load(&s, t, strlen(t), "f", NULL), 0);
  fts_doc d;
  fts_doc_open_str(&d, "a {{}}\n<</REPEAT>>\n<<REPEAT: x>>\n");
  tl_diags diags = {0};
  tl_diags_from_tree(&diags, d.tree);
  tl_diags_sort(&diags);
  tl_settings_apply(&s, &diags);
  fts_str b = {0};
  for (size_t k = 0; k < diags.len; k++)
    fts_cat(&b, "%u %s %s\n", diags.items[k].span.start, tl_severity_name(diags.items[k].severity),
            diags.items[k].code);
  fts_expect("severities and off", fts_str_get(&b), "2 error empty-placeholder\n19 error unclosed-block\n");
  fts_str_free(&b);
  tl_diags_free(&diags);
  fts_doc_close(&d);
  tl_settings_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_settings_read_everything),
      cmocka_unit_test(test_settings_mistakes),
      cmocka_unit_test(test_settings_merge_file_over_editor),
      cmocka_unit_test(test_settings_apply),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
