/*
 * test_ynames.c: server/features/ynames.c. Results are rendered as text and
 * compared exactly; positions are line:col (0-based, bytes):
 *   an occurrence   "<role> <name start>-<name end> in <token start>-<token end> <site>"
 *   the name at     "<kind> " + occurrence + " key \"<key text>\"", or the error name
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>

#include "grammar/alloc.h"
#include "server/features/ynames.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"

#define CORPUS "../shared/corpus/bmad-method-yaml"

static const char *kind_name(ft_name_kind k) {
  switch (k) {
    case FT_NAME_PLACEHOLDER: return "placeholder";
    case FT_NAME_SECTION: return "section";
    default: return "other";
  }
}

static const char *site_name(uint8_t f) {
  return f == FT_YSITE_VAR ? "var" : f == FT_YSITE_SCALAR ? "scalar" : f == FT_YSITE_KEY ? "key" : "?";
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
  fts_cat(b, "%s ", r->role == FT_NAME_OPENER ? "decl" : "use");
  cat_span(b, d, r->name);
  fts_cat(b, " in ");
  cat_span(b, d, r->token);
  fts_cat(b, " %s", site_name(r->form));
}

/* A template with its view and a line index for positions. */
typedef struct fixture {
  fts_doc d;
  yt_tmpl *tm;
} fixture;

static void fx_open(fixture *f, const char *text) {
  fts_doc_open_str(&f->d, text);
  f->tm = yt_tmpl_parse(text, strlen(text));
}

static void fx_close(fixture *f) {
  yt_tmpl_free(f->tm);
  fts_doc_close(&f->d);
}

/* The byte offset of the n-th (0-based) occurrence of needle, plus delta. */
static uint32_t off_of(const char *text, const char *needle, int nth, int delta) {
  const char *p = text;
  for (;;) {
    p = strstr(p, needle);
    assert_non_null(p);
    if (nth-- == 0) break;
    p++;
  }
  return (uint32_t)(p - text) + (uint32_t)delta;
}

static const char tmpl[] =
    "template:\n"                                   /*  0 */
    "  id: t-v1\n"                                  /*  1 */
    "  output:\n"                                   /*  2 */
    "    filename: docs/{{app}}.md\n"               /*  3 */
    "    title: \"{{ app }} Plan\"\n"               /*  4 */
    "workflow:\n"                                   /*  5 */
    "  custom_elicitation:\n"                       /*  6 */
    "    sections:\n"                               /*  7 */
    "      - id: goals\n"                           /*  8 */
    "        options: [Review]\n"                   /*  9 */
    "sections:\n"                                   /* 10 */
    "  - id: goals\n"                               /* 11 */
    "    title: Goals of {{app}}\n"                 /* 12 */
    "    custom_elicitation: goals\n"               /* 13 */
    "    template: |\n"                             /* 14 */
    "      {{app}} does {{}} and {{open\n"          /* 15 */
    "  - id: \"risks\"\n"                           /* 16 */
    "    title: Risks\n"                            /* 17 */
    "    instruction: see goals\n"                  /* 18: prose, no reference */
    "  - id: \"go\\x61ls2\"\n"                      /* 19: an escape: not its source */
    "prompts:\n"                                    /* 20 */
    "  app: The app's name\n"                       /* 21 */
    "  'owner': Who owns it\n"                      /* 22 */
    "validation:\n"                                 /* 23 */
    "  required_fields: [app, owner]\n"             /* 24 */
    "  other:\n"                                    /* 25 */
    "    - \"{{app}}\"\n";                          /* 26 */

static void cat_at(fts_str *b, fixture *f, uint32_t off) {
  ft_name_at at;
  int rc = ft_ynames_at(f->tm, off, &at);
  if (rc) {
    fts_cat(b, "%s\n", err_name(rc));
    return;
  }
  fts_cat(b, "%s ", kind_name(at.kind));
  cat_ref(b, &f->d, &at.ref);
  fts_cat(b, " key ");
  fts_cat_quoted(b, f->d.text + at.key.start, at.key.end - at.key.start);
  fts_cat(b, "\n");
}

static void test_ynames_at(void **state) {
  (void)state;
  fixture f;
  fx_open(&f, tmpl);
  assert_int_equal(yt_tmpl_diag_count(f.tm), 2); /* the empty {{}} and the unterminated {{open */
  fts_str b = {0};
  cat_at(&b, &f, off_of(tmpl, "{{app}}", 0, 0));       /* on the braces */
  cat_at(&b, &f, off_of(tmpl, "{{ app }}", 0, 9));     /* just after "}}" */
  cat_at(&b, &f, off_of(tmpl, "{{}}", 0, 1));          /* empty */
  cat_at(&b, &f, off_of(tmpl, "{{open", 0, 3));        /* unterminated */
  cat_at(&b, &f, off_of(tmpl, "goals", 0, 2));         /* workflow elicitation's id */
  cat_at(&b, &f, off_of(tmpl, "goals", 1, 0));         /* a section's id */
  cat_at(&b, &f, off_of(tmpl, "goals", 2, 5));         /* custom_elicitation, at its end */
  cat_at(&b, &f, off_of(tmpl, "goals", 3, 0));         /* prose */
  cat_at(&b, &f, off_of(tmpl, "\"risks\"", 0, 0));     /* a quoted id, on its quote */
  cat_at(&b, &f, off_of(tmpl, "go\\x61", 0, 0));       /* an escaped id */
  cat_at(&b, &f, off_of(tmpl, "title: Goals", 0, 1));  /* a key */
  cat_at(&b, &f, off_of(tmpl, "app:", 0, 0));          /* a prompts key */
  cat_at(&b, &f, off_of(tmpl, "'owner'", 0, 0));       /* a quoted prompts key */
  cat_at(&b, &f, off_of(tmpl, "owner]", 0, 1));        /* a validation item in a flow list */
  cat_at(&b, &f, off_of(tmpl, "\"{{app}}\"\n", 0, 1)); /* a var in a validation item */
  cat_at(&b, &f, off_of(tmpl, "\"{{app}}\"\n", 0, 0)); /* that item's quote: text, not a name */
  cat_at(&b, &f, 0);
  fts_expect("at", fts_str_get(&b),
             "placeholder use 3:21-3:24 in 3:19-3:26 var key \"app\"\n"
             "placeholder use 4:15-4:18 in 4:12-4:21 var key \"app\"\n"
             "placeholder use 15:21-15:21 in 15:19-15:23 var key \"\"\n"
             "ENOYNAME\n"
             "section use 8:12-8:17 in 8:12-8:17 scalar key \"goals\"\n"
             "section decl 11:8-11:13 in 11:8-11:13 scalar key \"goals\"\n"
             "section use 13:24-13:29 in 13:24-13:29 scalar key \"goals\"\n"
             "ENOYNAME\n"
             "section decl 16:9-16:14 in 16:8-16:15 scalar key \"risks\"\n"
             "ENOYNAME\n"
             "ENOYNAME\n"
             "placeholder use 21:2-21:5 in 21:2-21:5 key key \"app\"\n"
             "placeholder use 22:3-22:8 in 22:2-22:9 key key \"owner\"\n"
             "placeholder use 24:25-24:30 in 24:25-24:30 scalar key \"owner\"\n"
             "placeholder use 26:9-26:12 in 26:7-26:14 var key \"app\"\n"
             "ENOYNAME\n"
             "ENOYNAME\n");
  /* an empty {{}} is found but cannot be renamed */
  ft_name_at at;
  assert_int_equal(ft_ynames_at(f.tm, off_of(tmpl, "{{}}", 0, 0), &at), 0);
  assert_int_equal(ft_names_renamable(&at), FT_NAMES_EEMPTY);
  assert_int_equal(ft_ynames_at(f.tm, off_of(tmpl, "{{app}}", 0, 0), &at), 0);
  assert_int_equal(ft_names_renamable(&at), 0);
  fts_str_free(&b);
  fx_close(&f);
}

static void cat_find(fts_str *b, fixture *f, ft_name_kind kind, const char *name) {
  ft_name_refs refs = {0};
  int more = ft_ynames_find(f->tm, kind, name, strlen(name), &refs);
  fts_cat(b, "%s \"%s\":%s", kind_name(kind), name, more ? " (more)" : "");
  for (size_t i = 0; i < refs.len; i++) {
    fts_cat(b, i ? "; " : " ");
    cat_ref(b, &f->d, &refs.items[i]);
  }
  if (!refs.len) fts_cat(b, " (none)");
  fts_cat(b, "\n");
  ft_name_refs_free(&refs);
}

static void test_ynames_find(void **state) {
  (void)state;
  fixture f;
  fx_open(&f, tmpl);
  fts_str b = {0};
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "app");
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "owner");
  cat_find(&b, &f, FT_NAME_SECTION, "goals");
  cat_find(&b, &f, FT_NAME_SECTION, "risks");
  cat_find(&b, &f, FT_NAME_SECTION, "goals2");     /* only as an escape */
  cat_find(&b, &f, FT_NAME_SECTION, "app");        /* another kind's name */
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "goals");
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "{{app}}"); /* a validation item with braces is text */
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "");
  cat_find(&b, &f, FT_NAME_CONDITION, "goals");
  fts_expect("find", fts_str_get(&b),
             "placeholder \"app\": use 3:21-3:24 in 3:19-3:26 var; use 4:15-4:18 in 4:12-4:21 var; "
             "use 12:22-12:25 in 12:20-12:27 var; use 15:8-15:11 in 15:6-15:13 var; "
             "use 21:2-21:5 in 21:2-21:5 key; use 24:20-24:23 in 24:20-24:23 scalar; "
             "use 26:9-26:12 in 26:7-26:14 var\n"
             "placeholder \"owner\": use 22:3-22:8 in 22:2-22:9 key; use 24:25-24:30 in 24:25-24:30 scalar\n"
             "section \"goals\": use 8:12-8:17 in 8:12-8:17 scalar; decl 11:8-11:13 in 11:8-11:13 scalar; "
             "use 13:24-13:29 in 13:24-13:29 scalar\n"
             "section \"risks\": decl 16:9-16:14 in 16:8-16:15 scalar\n"
             "section \"goals2\": (none)\n"
             "section \"app\": (none)\n"
             "placeholder \"goals\": (none)\n"
             "placeholder \"{{app}}\": (none)\n"
             "placeholder \"\": (none)\n"
             "other \"goals\": (none)\n");
  fts_str_free(&b);
  fx_close(&f);
}

/* Finding appends after what the list holds, sorts only its own, and stops at the cap. */
static void test_ynames_find_appends_and_caps(void **state) {
  (void)state;
  fts_str t = {0};
  fts_cat(&t, "template:\n  id: x\nsections:\n  - id: s\n    template: \"");
  for (int i = 0; i < FT_YNAMES_MAX_REFS + 5; i++) fts_cat(&t, "{{v}} ");
  fts_cat(&t, "\"\n");
  yt_tmpl *tm = yt_tmpl_parse(fts_str_get(&t), t.len);
  ft_name_refs refs = {0};
  ft_name_ref first = {{1, 2}, {0, 3}, 7, FT_NAME_USE, 0};
  gr_array_push(&refs, first);
  assert_int_equal(ft_ynames_find(tm, FT_NAME_PLACEHOLDER, "v", 1, &refs), 1);
  assert_int_equal(refs.len, 1 + FT_YNAMES_MAX_REFS);
  assert_int_equal(refs.items[0].node, 7);
  uint32_t at = (uint32_t)(strstr(fts_str_get(&t), "{{v}}") - fts_str_get(&t));
  assert_int_equal(refs.items[1].name.start, at + 2);
  for (size_t i = 2; i < refs.len; i++) assert_int_equal(refs.items[i].name.start, refs.items[i - 1].name.start + 6);
  /* a rename of so many is refused by the server; a smaller set is fine */
  ft_name_refs_free(&refs);
  assert_int_equal(ft_ynames_find(tm, FT_NAME_SECTION, "s", 1, &refs), 0);
  assert_int_equal(refs.len, 1);
  ft_name_refs_free(&refs);
  yt_tmpl_free(tm);
  fts_str_free(&t);
}

static void cat_check(fts_str *b, fixture *f, ft_name_kind kind, const char *old, const char *name) {
  ft_name_refs refs = {0};
  ft_ynames_find(f->tm, kind, old, strlen(old), &refs);
  gr_span use = {99, 99};
  const char *why = ft_ynames_check(f->tm, kind, &refs, name, strlen(name), &use);
  fts_cat(b, "%s -> ", old);
  fts_cat_quoted(b, name, strlen(name));
  if (why) fts_cat(b, ": %s\n", why);
  else fts_cat(b, ": ok %u-%u\n", use.start, use.end);
  ft_name_refs_free(&refs);
}

static void test_ynames_check(void **state) {
  (void)state;
  fixture f;
  fx_open(&f, tmpl);
  fts_str b = {0};
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "  new_app\t");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "Project Name");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "app");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", " ");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a\nb");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a}}b");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a{{b");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "it's");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a\"b");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a\\b");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a: b");  /* a mapping in a plain value */
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "a #b");  /* a comment in a plain value */
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "x, y");  /* two items in the flow list */
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "app", "{x");    /* {{{x}}: the last "{{" opens */
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "owner", "x]");  /* closes the flow list */
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "overview");
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "goals");
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "risks");
  cat_check(&b, &f, FT_NAME_SECTION, "risks", "goals2"); /* taken, by its decoded value */
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "go als");
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "");
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "a\rb");
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "*x");    /* an alias */
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "x:");    /* a mapping */
  cat_check(&b, &f, FT_NAME_SECTION, "risks", "*x");    /* quoted: any text is fine */
  cat_check(&b, &f, FT_NAME_SECTION, "goals", "c#-standards");
  cat_check(&b, &f, FT_NAME_CONDITION, "goals", "x");
  fts_expect("check", fts_str_get(&b),
             "app -> \"  new_app\\t\": ok 2-9\n"
             "app -> \"Project Name\": ok 0-12\n"
             "app -> \"app\": ok 0-3\n"
             "app -> \" \": a placeholder name must not be empty\n"
             "app -> \"a\\nb\": a placeholder name must be on one line\n"
             "app -> \"a}}b\": a placeholder name must not contain \"{{\" or \"}}\"\n"
             "app -> \"a{{b\": a placeholder name must not contain \"{{\" or \"}}\"\n"
             "app -> \"it's\": in a YAML template a name must not contain a quote or a backslash: it may "
             "stand in a quoted string\n"
             "app -> \"a\\\"b\": in a YAML template a name must not contain a quote or a backslash: it may "
             "stand in a quoted string\n"
             "app -> \"a\\\\b\": in a YAML template a name must not contain a quote or a backslash: it may "
             "stand in a quoted string\n"
             "app -> \"a: b\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "app -> \"a #b\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "app -> \"x, y\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "app -> \"{x\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "owner -> \"x]\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "goals -> \"overview\": ok 0-8\n"
             "goals -> \"goals\": ok 0-5\n"
             "goals -> \"risks\": another section already has this id: ids must be unique in the template\n"
             "risks -> \"goals2\": another section already has this id: ids must be unique in the template\n"
             "goals -> \"go als\": a section id must be one word, with no blanks\n"
             "goals -> \"\": a section id must not be empty\n"
             "goals -> \"a\\rb\": a section id must be on one line\n"
             "goals -> \"*x\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "goals -> \"x:\": this name would not read back as the same name in the YAML: in a plain value "
             "\": \" or \" #\" ends it and a leading - [ { * & ! | > % @ ` means something else; in a flow "
             "list [a, b] so do \",\" and brackets\n"
             "risks -> \"*x\": ok 0-2\n"
             "goals -> \"c#-standards\": ok 0-12\n"
             "goals -> \"x\": there is nothing to rename here\n");
  /* a NUL inside the name */
  ft_name_refs refs = {0};
  ft_ynames_find(f.tm, FT_NAME_PLACEHOLDER, "app", 3, &refs);
  assert_string_equal(ft_ynames_check(f.tm, FT_NAME_PLACEHOLDER, &refs, "a\0b", 3, NULL),
                      "a name must not contain a NUL character");
  ft_name_refs_free(&refs);
  fts_str_free(&b);
  fx_close(&f);
}

/* A broken template: the names before and after the error are found (the tree resumes), and renamed. */
static void test_ynames_broken(void **state) {
  (void)state;
  static const char broken[] =
      "template:\n"
      "  id: b\n"
      "sections:\n"
      "  - id: intro\n"
      "    title: Example: {{agent}} Agent\n" /* an unquoted ": ": a syntax error, recovered */
      "  - id: next\n"
      "    template: \"{{agent}} then {{step}}\"\n";
  fixture f;
  fx_open(&f, broken);
  assert_true(yt_tree_has_error(yt_tmpl_tree(f.tm)));
  fts_str b = {0};
  cat_find(&b, &f, FT_NAME_PLACEHOLDER, "agent");
  cat_find(&b, &f, FT_NAME_SECTION, "next");
  cat_check(&b, &f, FT_NAME_PLACEHOLDER, "agent", "bot");
  cat_check(&b, &f, FT_NAME_SECTION, "next", "after");
  fts_expect("broken", fts_str_get(&b),
             "placeholder \"agent\": use 4:22-4:27 in 4:20-4:29 var; use 6:17-6:22 in 6:15-6:24 var\n"
             "section \"next\": decl 5:8-5:12 in 5:8-5:12 scalar\n"
             "agent -> \"bot\": ok 0-3\n"
             "next -> \"after\": ok 0-5\n");
  fts_str_free(&b);
  fx_close(&f);
}

/*
 * Every corpus template: the first few var names and section ids are
 * found in order, each occurrence's bytes are its name and the cursor on
 * it gives that name back, and a fresh word is a good new name for each.
 */
static void check_names(const char *file, const char *text, const yt_tmpl *tm, ft_name_kind kind,
                        const char *name, size_t len, const char *fresh, size_t *renamed) {
  ft_name_refs refs = {0};
  ft_ynames_find(tm, kind, name, len, &refs);
  if (!refs.len) fail_msg("%s: %.*s not found", file, (int)len, name);
  for (size_t i = 0; i < refs.len; i++) {
    const ft_name_ref *r = &refs.items[i];
    if (r->name.end - r->name.start != len || memcmp(text + r->name.start, name, len) != 0)
      fail_msg("%s: occurrence %zu of %.*s has other bytes", file, i, (int)len, name);
    if (i && r->name.start < refs.items[i - 1].name.end) fail_msg("%s: %.*s out of order", file, (int)len, name);
    if (r->token.start > r->name.start || r->token.end < r->name.end) fail_msg("%s: token", file);
    ft_name_at at;
    if (ft_ynames_at(tm, r->name.start, &at) != 0 || at.kind != kind || at.key.start != r->name.start ||
        at.key.end != r->name.end)
      fail_msg("%s: the cursor on %.*s at %u finds another name", file, (int)len, name, r->name.start);
  }
  const char *why = ft_ynames_check(tm, kind, &refs, fresh, strlen(fresh), NULL);
  if (why) fail_msg("%s: renaming %.*s to %s: %s", file, (int)len, name, fresh, why);
  *renamed += 1;
  ft_name_refs_free(&refs);
}

static void test_ynames_corpus(void **state) {
  (void)state;
  DIR *dir = opendir(CORPUS);
  if (!dir) skip();
  struct dirent *e;
  size_t files = 0, renamed = 0;
  while ((e = readdir(dir)) != NULL) {
    size_t nl = strlen(e->d_name);
    if (nl < 6 || strcmp(e->d_name + nl - 5, ".yaml") != 0) continue;
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CORPUS, e->d_name);
    size_t len;
    char *text = ts_slurp(path, &len);
    if (!text) continue;
    yt_tmpl *tm = yt_tmpl_parse(text, len);
    files++;
    int done = 0;
    for (uint32_t i = 0; i < yt_tmpl_var_count(tm) && done < 6; i++) {
      const yt_var *v = yt_tmpl_var(tm, i);
      if (v->flags) continue;
      check_names(e->d_name, text, tm, FT_NAME_PLACEHOLDER, text + v->name.start, v->name.end - v->name.start,
                  "zz_renamed", &renamed);
      done++;
    }
    done = 0;
    for (uint32_t i = 0; i < yt_tmpl_section_count(tm) && done < 6; i++) {
      const yt_node *id = yt_tree_node(yt_tmpl_tree(tm), yt_tmpl_section(tm, i)->keys[YT_SKEY_ID]);
      if (!id || id->kind != YT_SCALAR || !id->value_len) continue;
      ft_name_at at;
      if (ft_ynames_at(tm, id->span.start, &at) != 0 || at.kind != FT_NAME_SECTION) continue; /* escaped */
      check_names(e->d_name, text, tm, FT_NAME_SECTION, text + at.key.start, at.key.end - at.key.start,
                  "zz-renamed", &renamed);
      done++;
    }
    yt_tmpl_free(tm);
    gr_free(text);
  }
  closedir(dir);
  assert_true(files > 250);
  assert_true(renamed > 2000);
}

/* Random YAML-ish text: never a crash, and every name found at a cursor is among its occurrences. */
static const char *const pieces[] = {
    "template:\n", "sections:\n", "prompts:\n", "validation:\n", "workflow:\n", "custom_elicitation: ",
    "  ", "    ", "- ", "id: ", "title: ", "x", "goals", "a b", ": ", ":", "\n", "\r\n", "#", " #c",
    "\"", "'", "\\", "[", "]", "{", "}", ",", "&a ", "*a", "!t ", "|\n", ">-\n", "{{", "}}", "{{v}}",
    "{{ v }}", "{{}}", "\xC3\xA9", "\xFF", "\t", "? ", "--- ", "...\n",
};

static void test_ynames_garbage(void **state) {
  (void)state;
  uint64_t x = 0x2545F4914F6CDD1Dull;
  size_t np = sizeof pieces / sizeof pieces[0];
  size_t found = 0;
  for (int k = 0; k < 300; k++) {
    fts_str b = {0};
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    unsigned n = (unsigned)(x >> 33) % 300;
    for (unsigned p = 0; p < n; p++) {
      x = x * 6364136223846793005ull + 1442695040888963407ull;
      fts_cat(&b, "%s", pieces[(x >> 33) % np]);
    }
    const char *text = fts_str_get(&b);
    yt_tmpl *tm = yt_tmpl_parse(text, b.len);
    for (uint32_t off = 0; off <= b.len; off += 3) {
      ft_name_at at;
      if (ft_ynames_at(tm, off, &at) != 0) continue;
      if (at.key.end > b.len || at.key.start > at.key.end) fail_msg("garbage %d: key out of bounds", k);
      if (ft_names_renamable(&at) != 0) continue;
      ft_name_refs refs = {0};
      ft_ynames_find(tm, at.kind, text + at.key.start, at.key.end - at.key.start, &refs);
      size_t i = 0;
      while (i < refs.len && refs.items[i].name.start != at.key.start) i++;
      if (i == refs.len) fail_msg("garbage %d: the name at %u is not among its occurrences", k, off);
      (void)ft_ynames_check(tm, at.kind, &refs, "zz", 2, NULL);
      (void)ft_ynames_check(tm, at.kind, &refs, "a: b", 4, NULL);
      ft_name_refs_free(&refs);
      found++;
    }
    yt_tmpl_free(tm);
    fts_str_free(&b);
  }
  assert_true(found > 100);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ynames_at),
      cmocka_unit_test(test_ynames_find),
      cmocka_unit_test(test_ynames_find_appends_and_caps),
      cmocka_unit_test(test_ynames_check),
      cmocka_unit_test(test_ynames_broken),
      cmocka_unit_test(test_ynames_corpus),
      cmocka_unit_test(test_ynames_garbage),
  };
  return cmocka_run_group_tests_name("ynames", tests, NULL, NULL);
}
