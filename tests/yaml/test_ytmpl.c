/*
 * test_ytmpl.c: the template view. Exact dumps of a clean template (header,
 * nested sections, every key's node, {{vars}} by section) and of a broken
 * one (every template diagnostic with its range and suggestion); what is
 * quiet (keys and types real templates use, another schema's YAML, list
 * types with item_template); the helpers; the view's checker.
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
#include "yaml/ytmpl.h"

static const char t1_text[] =
    "template:\n"
    "  id: demo-v1\n"
    "  name: Demo\n"
    "  version: 1.0\n"
    "  output:\n"
    "    format: markdown\n"
    "    filename: docs/{{name}}.md\n"
    "    title: \"{{project}} Demo\"\n"
    "workflow:\n"
    "  mode: interactive\n"
    "sections:\n"
    "  - id: goals\n"
    "    title: Goals {{n}}\n"
    "    type: bullet-list\n"
    "    instruction: List them.\n"
    "    elicit: true\n"
    "    sections:\n"
    "      - id: item\n"
    "        title: \"Item {{ i }}\"\n"
    "        repeatable: true\n"
    "        item_template: \"- {{what}}\"\n"
    "    template: \"Tail {{tail}}\"\n"
    "  - id: diagram\n"
    "    type: mermaid\n"
    "    mermaid_type: flowchart\n"
    "    condition: has flows\n";
static const char t1_dump[] =
    "template\n"
    "id 16-23 \"demo-v1\"\n"
    "name 32-36 \"Demo\"\n"
    "version 48-51 \"1.0\"\n"
    "format 74-82 \"markdown\"\n"
    "filename 97-113 \"docs/{{name}}.md\"\n"
    "title 125-143 \"{{project}} Demo\"\n"
    "mode 162-173 \"interactive\"\n"
    "var 102-110 \"name\"\n"
    "var 126-137 \"project\"\n"
    "section 188-439 depth 0 \"goals\" \"Goals {{n}}\" bullet-list elicit\n"
    "  instruction 247-258: 260-270 scalar\n"
    "  type 225-229: 231-242 scalar\n"
    "  template 414-422: 424-439 scalar\n"
    "  elicit 275-281: 283-287 scalar\n"
    "  var 215-220 \"n\" title\n"
    "  var 430-438 \"tail\" template\n"
    "  section 310-409 depth 1 \"item\" \"Item {{ i }}\" repeatable\n"
    "    item_template 382-395: 397-409 scalar\n"
    "    repeatable 357-367: 369-373 scalar\n"
    "    var 340-347 \"i\" title\n"
    "    var 400-408 \"what\" item_template\n"
    "section 444-526 depth 0 \"diagram\" mermaid condition\n"
    "  type 460-464: 466-473 scalar\n"
    "  condition 506-515: 517-526 scalar\n"
    "  mermaid_type 478-490: 492-501 scalar\n";
static const char t2_text[] =
    "template:\n"
    "  name: Broken\n"
    "  output:\n"
    "    format: markdown\n"
    "templat: x\n"
    "sections:\n"
    "  - id: a\n"
    "    instructions: do it\n"
    "    repeat: true\n"
    "    type: bullet_list\n"
    "    mermaid_type: sequencediagram\n"
    "    elicit: maybe\n"
    "    examples: just one\n"
    "    editors: pm\n"
    "    columns: A, B\n"
    "    choices:\n"
    "      size: [S, M]\n"
    "      sections:\n"
    "        - id: x\n"
    "    template: \"{{}} and {{open\"\n"
    "  - id: a\n"
    "    title: Again\n"
    "    item_template: \"{{x}}\"\n"
    "    type: paragraphs\n"
    "  - just text\n"
    "  - title: No id\n"
    "    readonly: \"yes\"\n"
    "    type: code\n"
    "    language: js\n"
    "    rows: [[a]]\n"
    "    foo: 1\n";
static const char t2_dump[] =
    "template\n"
    "name 18-24 \"Broken\"\n"
    "format 47-55 \"markdown\"\n"
    "section 81-354 depth 0 \"a\" ?\n"
    "  type 132-136: 138-149 scalar\n"
    "  template 327-335: 337-354 scalar\n"
    "  elicit 188-194: 196-201 scalar\n"
    "  editors 229-236: 238-240 scalar\n"
    "  examples 206-214: 216-224 scalar\n"
    "  choices 263-270: 278-322 mapping\n"
    "  mermaid_type 154-166: 168-183 scalar\n"
    "  columns 245-252: 254-258 scalar\n"
    "  var 338-342 \"\" template empty\n"
    "  var 347-353 \"\" template unterminated\n"
    "section 359-429 depth 0 \"a\" \"Again\" paragraphs\n"
    "  type 413-417: 419-429 scalar\n"
    "  item_template 386-399: 401-408 scalar\n"
    "  var 402-407 \"x\" item_template\n"
    "section 434-443 depth 0 - not-mapping\n"
    "section 448-539 depth 0 - \"No id\" code readonly\n"
    "  type 485-489: 491-495 scalar\n"
    "  readonly 465-473: 475-480 scalar\n"
    "  language 500-508: 510-512 scalar\n"
    "  rows 517-521: 523-528 sequence\n"
    "error missing-key 0-8: the template has no 'id' (template.id names it, as in prd-template-v2)\n"
    "error missing-key 27-33: the template has no output filename (template.output.filename: where the document is saved, as in docs/prd.md)\n"
    "warning unknown-key 56-63: unknown key 'templat' in the top level — did you mean 'template'? [template]\n"
    "warning unknown-key 91-103: unknown section key 'instructions' — did you mean 'instruction'? [instruction]\n"
    "warning unknown-key 115-121: unknown section key 'repeat' — did you mean 'repeatable'? [repeatable]\n"
    "warning unknown-value 138-149: unknown section type 'bullet_list' — did you mean 'bullet-list'? [bullet-list]\n"
    "warning unknown-value 168-183: 'sequencediagram' is not a mermaid diagram type — did you mean 'sequenceDiagram'? [sequenceDiagram]\n"
    "error wrong-type 196-201: 'elicit' must be true or false\n"
    "error wrong-type 216-224: 'examples' must be a list (- \"...\" items)\n"
    "error wrong-type 238-240: 'editors' must be a list ([a, b] or - items)\n"
    "error wrong-type 254-258: 'columns' must be a list ([a, b] or - items)\n"
    "error wrong-type 297-305: 'sections' is indented under 'choices', so it is read as a choice — indent it like 'choices' to make it the section's\n"
    "warning empty-placeholder 338-342: empty placeholder: name what goes here, as in {{project_name}}\n"
    "error unterminated-placeholder 347-349: '{{' is never closed by '}}' on its line\n"
    "error duplicate-id 363-364: section id 'a' is already used (line 7): ids must be unique in the template\n"
    "warning item-template-not-repeatable 386-399: item_template has {{vars}} but the section is not repeatable: add 'repeatable: true', or use 'template' [repeatable: true]\n"
    "error wrong-type 434-443: a section must be a mapping of keys (id, title, ...), not a text value\n"
    "error missing-key 448-453: this section has no 'id' (every section needs one, unique in the template)\n"
    "warning unknown-key 533-536: unknown section key 'foo'\n";

static char *dump(const char *text) {
  yt_tmpl *tm = yt_tmpl_parse(text, strlen(text));
  char *buf = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&buf, &n);
  if (yt_tmpl_check(tm, out) != 0) fputs("CHECK FAILED\n", out);
  yt_tmpl_dump(tm, out);
  fclose(out);
  yt_tmpl_free(tm);
  return buf;
}

#define ASSERT_DUMP(text, want)      \
  do {                               \
    char *got_ = dump(text);         \
    assert_string_equal(got_, want); \
    free(got_);                      \
  } while (0)

/* The diagnostics only, one "code start-end" a line. */
static char *diags(const char *text) {
  yt_tmpl *tm = yt_tmpl_parse(text, strlen(text));
  char *buf = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&buf, &n);
  for (uint32_t i = 0; i < yt_tmpl_diag_count(tm); i++) {
    const yt_diag *d = yt_tmpl_diag(tm, i);
    fprintf(out, "%s %u-%u\n", yt_diag_code_name(d->code), d->span.start, d->span.end);
  }
  fclose(out);
  yt_tmpl_free(tm);
  return buf;
}

#define ASSERT_DIAGS(text, want)     \
  do {                               \
    char *got_ = diags(text);        \
    assert_string_equal(got_, want); \
    free(got_);                      \
  } while (0)

static void test_ytmpl_clean_template(void **state) {
  (void)state;
  ASSERT_DUMP(t1_text, t1_dump);
}

static void test_ytmpl_every_check(void **state) {
  (void)state;
  ASSERT_DUMP(t2_text, t2_dump);
}

static void test_ytmpl_reading(void **state) {
  (void)state;
  yt_tmpl *tm = yt_tmpl_parse(t1_text, strlen(t1_text));
  assert_int_equal(yt_tmpl_is_template(tm), 1);
  const yt_header *h = yt_tmpl_header(tm);
  uint32_t len;
  assert_string_equal(yt_tmpl_str(tm, h->filename, &len), "docs/{{name}}.md");
  assert_int_equal(len, 16);
  assert_null(yt_tmpl_str(tm, h->output, NULL)); /* a mapping */
  assert_null(yt_tmpl_str(tm, YT_NONE, NULL));
  assert_int_equal(h->description, YT_NONE);
  assert_int_equal(yt_tmpl_section_count(tm), 3);
  const yt_section *goals = yt_tmpl_section(tm, 0), *item = yt_tmpl_section(tm, 1);
  assert_int_equal(goals->first_child, 1);
  assert_int_equal(goals->next_sibling, 2);
  assert_int_equal(item->parent, 0);
  assert_int_equal(item->depth, 1);
  assert_int_equal(item->next_sibling, YT_NONE);
  assert_int_equal(goals->type, YT_TYPE_BULLET_LIST);
  assert_int_equal(yt_tmpl_bool(tm, goals->keys[YT_SKEY_ELICIT]), 1);
  assert_int_equal(yt_tmpl_bool(tm, goals->keys[YT_SKEY_REPEATABLE]), -1);
  assert_null(yt_tmpl_section(tm, 3));
  /* a section's own vars: the title's and the template's after its subsection */
  assert_int_equal(goals->var_count, 2);
  const yt_var *v = yt_tmpl_var(tm, goals->first_var + 1);
  assert_memory_equal(t1_text + v->name.start, "tail", 4);
  assert_int_equal(v->key, YT_SKEY_TEMPLATE);
  assert_int_equal(v->section, 0);
  /* the innermost section at an offset */
  assert_int_equal(yt_tmpl_section_at(tm, v->span.start), 0);
  assert_int_equal(yt_tmpl_section_at(tm, yt_tmpl_var(tm, item->first_var)->span.start), 1);
  assert_int_equal(yt_tmpl_section_at(tm, 5), YT_NONE);
  assert_int_equal(yt_tmpl_diag_count(tm), 0);
  assert_null(yt_tmpl_diag(tm, 0));
  yt_tmpl_free(tm);
  assert_string_equal(yt_skey_name(YT_SKEY_MERMAID_TYPE), "mermaid_type");
  assert_int_equal(yt_skey_lookup("item_template", 13), YT_SKEY_ITEM_TEMPLATE);
  assert_int_equal(yt_skey_lookup("items_template", 14), YT_SKEY_COUNT);
  assert_int_equal(yt_stype_lookup("code", 4), YT_TYPE_CODE);
  assert_int_equal(yt_stype_lookup("cod", 3), YT_TYPE_OTHER);
  assert_string_equal(yt_stype_name(YT_TYPE_KEY_VALUE), "key-value");
  assert_string_equal(yt_stype_name(YT_TYPE_NONE), "");
}

/* What real templates use and the spec omits is quiet. */
static void test_ytmpl_quiet_about_real_use(void **state) {
  (void)state;
  ASSERT_DIAGS("template:\n"
               "  id: t\n"
               "  output: {format: markdown, filename: a.md}\n"
               "workflow:\n"
               "  mode: guided\n"
               "  allow_skip: false\n"
               "sections:\n"
               "  - id: a\n"
               "    type: code\n"
               "    language: bash\n"
               "  - id: b\n"
               "    type: table\n"
               "    columns: [A, B]\n"
               "    rows: [[1, 2]]\n"
               "  - id: c\n"
               "    type: checklist\n"
               "    items: [x]\n"
               "  - id: d\n"
               "    type: key-value\n"
               "    fields: [k]\n"
               "    content: text\n"
               "  - id: e\n"
               "    type: mermaid\n"
               "    mermaid_type: graph\n"
               "  - id: f\n"
               "    type: bullet-list\n"
               "    item_template: \"- {{thing}}\"\n"
               "  - id: g\n"
               "    choices: [Draft, Done]\n"
               "    optional: true\n"
               "    elicit: \"true\"\n"
               "    subsections: []\n",
               "");
}

/* Another schema's YAML (no `template:` beside `sections:`) gets no template check. */
static void test_ytmpl_not_a_template(void **state) {
  (void)state;
  ASSERT_DUMP("name: other\n"
              "sections:\n"
              "  - name: A\n"
              "    prompts: [\"{{}}\"]\n"
              "x: 1\n"
              "x: 2\n",
              "not-a-template\n"
              "section 26-55 depth 0 -\n"
              "  var 49-53 \"\" - empty\n"
              "error duplicate-key 61-62: 'x' is already a key of this mapping (line 5): a YAML "
              "loader keeps only the last one\n");
}

/* item_template: a list or table repeats its items; other sections warn. */
static void test_ytmpl_item_template(void **state) {
  (void)state;
  const char *head = "template:\n  id: t\n  output:\n    filename: a.md\nsections:\n";
  char buf[512];
  snprintf(buf, sizeof buf, "%s  - id: a\n    repeatable: true\n    item_template: \"{{x}}\"\n", head);
  ASSERT_DIAGS(buf, "");
  snprintf(buf, sizeof buf, "%s  - id: a\n    type: numbered-list\n    item_template: \"{{x}}\"\n", head);
  ASSERT_DIAGS(buf, "");
  snprintf(buf, sizeof buf, "%s  - id: a\n    item_template: \"no vars\"\n", head);
  ASSERT_DIAGS(buf, "");
  snprintf(buf, sizeof buf, "%s  - id: a\n    repeatable: false\n    item_template: \"{{x}}\"\n", head);
  ASSERT_DIAGS(buf, "item-template-not-repeatable 93-106\n");
}

/* Placeholders: single braces are not; a syntax error still leaves the vars before it. */
static void test_ytmpl_placeholders(void **state) {
  (void)state;
  ASSERT_DUMP("template:\n"
              "  id: t\n"
              "  output:\n"
              "    filename: \"{root}/{{a}}{{{b}}}\"\n"
              "sections:\n"
              "  - id: s\n"
              "    title: \"{A|B} {{c}}\"\n"
              "    template: |\n"
              "      x {{ d }} y {{e\n"
              "      {{f}}\n"
              "  - id: t2\n"
              "    title: Bad: {{g}}\n",
              "template\n"
              "id 16-17 \"t\"\n"
              "filename 42-63 \"{root}/{{a}}{{{b}}}\"\n"
              "var 50-55 \"a\"\n"
              "var 56-61 \"b\"\n"
              "section 78-158 depth 0 \"s\" \"{A|B} {{c}}\"\n"
              "  template 113-121: 123-158 scalar\n"
              "  var 102-107 \"c\" title\n"
              "  var 133-140 \"d\" template\n"
              "  var 143-146 \"\" template unterminated\n"
              "  var 153-158 \"f\" template\n"
              "section 163-191 depth 0 \"t2\" \"Bad: {{g}}\"\n"
              "  var 186-191 \"g\" title\n"
              "error unterminated-placeholder 143-145: '{{' is never closed by '}}' on its line\n"
              "error yaml-syntax 181-191: a plain value cannot contain ': ' \xe2\x80\x94 quote it "
              "(YAML: mapping values are not allowed in this context)\n");
}

/* The view's checker must catch what it claims to. */
static void test_ytmpl_check_catches_breakage(void **state) {
  (void)state;
  yt_tmpl *tm = yt_tmpl_parse(t1_text, strlen(t1_text));
  assert_int_equal(yt_tmpl_check(tm, NULL), 0);
  yt_section *s = (yt_section *)yt_tmpl_section(tm, 1);
  s->depth = 3;
  assert_int_equal(yt_tmpl_check(tm, NULL), -1);
  s->depth = 1;
  uint32_t keep = s->keys[YT_SKEY_TITLE];
  s->keys[YT_SKEY_TITLE] = 1; /* a node that is not the section's */
  assert_int_equal(yt_tmpl_check(tm, NULL), -1);
  s->keys[YT_SKEY_TITLE] = keep;
  yt_var *v = (yt_var *)yt_tmpl_var(tm, 0);
  v->span.end = 4000;
  assert_int_equal(yt_tmpl_check(tm, NULL), -1);
  yt_tmpl_free(tm);
}

/* Only the duplicate-id diagnostics, "start-end message" a line. */
static char *dup_ids(const char *text, size_t len) {
  yt_tmpl *tm = yt_tmpl_parse(text, len);
  char *buf = NULL;
  size_t n = 0;
  FILE *out = open_memstream(&buf, &n);
  for (uint32_t i = 0; i < yt_tmpl_diag_count(tm); i++) {
    const yt_diag *d = yt_tmpl_diag(tm, i);
    if (d->code == YT_DIAG_DUPLICATE_ID) fprintf(out, "%u-%u %s\n", d->span.start, d->span.end, d->message);
  }
  fclose(out);
  yt_tmpl_free(tm);
  return buf;
}

/*
 * Every use of an id but the first by position is reported, with the
 * first's line: the first use may be a subsection's (its parent writes its
 * id after its sections), an id may be used three times, a quoted id is
 * the same id, one that starts another ("a", "ab") is not.
 */
static void test_ytmpl_duplicate_ids(void **state) {
  (void)state;
  static const char text[] = "template:\n"
                             "  id: t\n"
                             "  output: {filename: a.md}\n"
                             "sections:\n"
                             "  - sections:\n"     /* line 5 */
                             "      - id: a\n"     /* line 6: the first a */
                             "    id: a\n"         /* line 7 */
                             "  - id: b\n"         /* line 8: the first b */
                             "  - id: ab\n"
                             "  - id: a\n"         /* line 10 */
                             "  - id: b\n"         /* line 11 */
                             "  - id: \"a\"\n";  /* line 12 */
  char *got = dup_ids(text, strlen(text));
  assert_string_equal(got, "91-92 section id 'a' is already used (line 6): ids must be unique in the template\n"
                           "122-123 section id 'a' is already used (line 6): ids must be unique in the template\n"
                           "132-133 section id 'b' is already used (line 8): ids must be unique in the template\n"
                           "142-145 section id 'a' is already used (line 6): ids must be unique in the template\n");
  free(got);

  /* 3,000 ids, each used again later in the reverse order: every second use
   * (and none of the first) is reported, with its own first's line */
  enum { N = 3000 };
  size_t cap = 1 << 20, len = 0;
  char *big = malloc(cap);
  len += (size_t)snprintf(big + len, cap - len, "template:\n  id: t\n  output: {filename: a.md}\nsections:\n");
  for (int i = 0; i < N; i++) len += (size_t)snprintf(big + len, cap - len, "  - id: s%d\n", i); /* line 5 + i */
  for (int i = N - 1; i >= 0; i--) len += (size_t)snprintf(big + len, cap - len, "  - id: s%d\n", i);
  yt_tmpl *tm = yt_tmpl_parse(big, len);
  uint32_t seen = 0;
  for (uint32_t i = 0; i < yt_tmpl_diag_count(tm); i++) {
    const yt_diag *d = yt_tmpl_diag(tm, i);
    if (d->code != YT_DIAG_DUPLICATE_ID) continue;
    int id = atoi(big + d->span.start + 1);
    char want[120];
    snprintf(want, sizeof want, "section id 's%d' is already used (line %d): ids must be unique in the template", id,
             5 + id);
    assert_string_equal(d->message, want);
    assert_true(d->span.start > len / 2); /* a second use */
    seen++;
  }
  assert_int_equal(seen, N);
  yt_tmpl_free(tm);
  free(big);
}

/*
 * Vars go by section, each section's in text order: the vars outside
 * sections first even when `template:` comes after `sections:`, then a
 * parent's (written after its subsection), then the subsection's.
 */
static void test_ytmpl_vars_by_section(void **state) {
  (void)state;
  static const char text[] = "sections:\n"
                             "  - id: a\n"
                             "    sections:\n"
                             "      - id: b\n"
                             "        template: \"{{x}} {{y}}\"\n"
                             "    template: \"{{z}}\"\n"
                             "  - id: c\n"
                             "    title: \"{{w}}\"\n"
                             "template:\n"
                             "  id: t\n"
                             "  output:\n"
                             "    filename: \"{{f}}.md\"\n";
  yt_tmpl *tm = yt_tmpl_parse(text, strlen(text));
  assert_int_equal(yt_tmpl_check(tm, NULL), 0);
  static const char *const names[] = {"f", "z", "x", "y", "w"};
  static const uint32_t sections[] = {YT_NONE, 0, 1, 1, 2};
  assert_int_equal(yt_tmpl_var_count(tm), 5);
  for (uint32_t i = 0; i < 5; i++) {
    const yt_var *v = yt_tmpl_var(tm, i);
    assert_int_equal(v->name.end - v->name.start, 1);
    assert_memory_equal(text + v->name.start, names[i], 1);
    assert_int_equal(v->section, sections[i]);
  }
  assert_int_equal(yt_tmpl_section(tm, 0)->first_var, 1);
  assert_int_equal(yt_tmpl_section(tm, 1)->first_var, 2);
  assert_int_equal(yt_tmpl_section(tm, 1)->var_count, 2);
  yt_tmpl_free(tm);
}

/* Every key and type name is found, and nothing else: not an empty name,
 * a start or an extension of one, one with a NUL, one with another first byte. */
static void test_ytmpl_name_lookups(void **state) {
  (void)state;
  for (int k = 0; k < YT_SKEY_COUNT; k++) {
    const char *n = yt_skey_name((yt_skey)k);
    size_t len = strlen(n);
    char buf[40];
    assert_int_equal(yt_skey_lookup(n, len), k);
    assert_int_equal(yt_skey_lookup(n, len - 1), YT_SKEY_COUNT);
    memcpy(buf, n, len + 1);
    buf[len] = 's';
    assert_int_equal(yt_skey_lookup(buf, len + 1), YT_SKEY_COUNT); /* no key is another's plural */
    buf[len] = '\0';
    assert_int_equal(yt_skey_lookup(buf, len + 1), YT_SKEY_COUNT);
    buf[0] = 'Q';
    assert_int_equal(yt_skey_lookup(buf, len), YT_SKEY_COUNT);
  }
  assert_int_equal(yt_skey_lookup("", 0), YT_SKEY_COUNT);
  assert_int_equal(yt_skey_lookup(NULL, 0), YT_SKEY_COUNT); /* a key without text */
  for (int t = YT_TYPE_OTHER + 1; t < YT_TYPE_COUNT; t++) {
    const char *n = yt_stype_name((yt_stype)t);
    size_t len = strlen(n);
    assert_int_equal(yt_stype_lookup(n, len), t);
    assert_int_equal(yt_stype_lookup(n, len - 1), YT_TYPE_OTHER); /* no type is another's start and one byte */
  }
  assert_int_equal(yt_stype_lookup("", 0), YT_TYPE_OTHER);
  assert_int_equal(yt_stype_lookup("?", 1), YT_TYPE_OTHER);
}

/* Many sections sharing an id, many keys and vars: linear enough. */
static void test_ytmpl_pathological(void **state) {
  (void)state;
  size_t cap = 4 << 20, len = 0;
  char *s = malloc(cap);
  len += (size_t)snprintf(s + len, cap - len, "template:\n  id: t\n  output:\n    filename: a.md\nsections:\n");
  for (int i = 0; i < 20000; i++)
    len += (size_t)snprintf(s + len, cap - len, "  - id: same\n    title: \"{{a}} {{b}} {{\"\n");
  len += (size_t)snprintf(s + len, cap - len, "x:\n");
  for (int i = 0; i < 50000; i++) len += (size_t)snprintf(s + len, cap - len, "  k: v\n");
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  yt_tmpl *tm = yt_tmpl_parse(s, len);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  assert_int_equal(yt_tmpl_check(tm, NULL), 0);
  assert_int_equal(yt_tmpl_section_count(tm), 20000);
  assert_int_equal(yt_tmpl_var_count(tm), 60000);
  uint32_t dup = 0, unterminated = 0, dupkey = 0;
  for (uint32_t i = 0; i < yt_tmpl_diag_count(tm); i++) {
    yt_diag_code c = yt_tmpl_diag(tm, i)->code;
    dup += c == YT_DIAG_DUPLICATE_ID;
    unterminated += c == YT_DIAG_UNTERMINATED_PLACEHOLDER;
    dupkey += c == YT_DIAG_DUPLICATE_KEY;
  }
  assert_int_equal(dup, 19999);
  assert_int_equal(unterminated, 20000);
  assert_int_equal(dupkey, 256); /* pairwise up to the 257th key of a mapping */
  yt_tmpl_free(tm);
  free(s);
  assert_true((double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9 < 5.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ytmpl_clean_template),
      cmocka_unit_test(test_ytmpl_every_check),
      cmocka_unit_test(test_ytmpl_reading),
      cmocka_unit_test(test_ytmpl_quiet_about_real_use),
      cmocka_unit_test(test_ytmpl_not_a_template),
      cmocka_unit_test(test_ytmpl_item_template),
      cmocka_unit_test(test_ytmpl_placeholders),
      cmocka_unit_test(test_ytmpl_check_catches_breakage),
      cmocka_unit_test(test_ytmpl_duplicate_ids),
      cmocka_unit_test(test_ytmpl_vars_by_section),
      cmocka_unit_test(test_ytmpl_name_lookups),
      cmocka_unit_test(test_ytmpl_pathological),
  };
  return cmocka_run_group_tests_name("ytmpl", tests, NULL, NULL);
}
