/*
 * test_dochelp.c: server/features/dochelp.c over one template and
 * documents written from it: the hover of a document position (markdown
 * and span), definition targets, file-name links (in the template and in
 * documents, whole names only), and the lens title. Offsets are found by
 * searching the texts for a marker string, so the tables stay readable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "tests/support/support.h"
#include "server/features/dochelp.h"
#include "server/features/suppress.h"
#include "server/model/assoc.h"
#include "server/model/workspace.h"

static const char tmpl_text[] =
    "# {{Service Name}} Brief\n"
    "\n"
    "[[LLM: Read `ops-checklist.md` first.]]\n"
    "\n"
    "## Purpose\n"
    "\n"
    "[[LLM: One paragraph.\n"
    "Name the users.]]\n"
    "\n"
    "<critical_rule>Users, not teams.</critical_rule>\n"
    "\n"
    "Owner: {{owner}}, see docs/ops-checklist.md\n"
    "\n"
    "<<REPEAT: environment>>\n"
    "## {{env}} Environment\n"
    "\n"
    "[[LLM: mention {{region}} here]]\n"
    "Region: {{region}}\n"
    "<</REPEAT>>\n"
    "\n"
    "^^CONDITION: has_queue^^\n"
    "## Queues\n"
    "^^/CONDITION: has_queue^^\n";

typedef struct world {
  tl_workspace *ws;
  gr_tree *tree;
  tl_assoc *assoc;
  tl_document *doc;
  const char *text;
} world;

/* The document `text` at docs/brief.md against the template (by marker). */
static void world_open(world *w, const char *text) {
  w->ws = tl_workspace_new();
  tl_workspace_put(w->ws, "templates/brief-tmpl.md", tmpl_text, strlen(tmpl_text));
  w->text = text;
  w->tree = gr_parse(text, strlen(text), &ts_document);
  w->assoc = tl_assoc_find(w->ws, "docs/brief.md", w->tree, NULL);
  w->doc = tl_document_new(w->tree, tl_workspace_template(w->ws, w->assoc->template));
}

static void world_close(world *w) {
  tl_document_free(w->doc);
  tl_assoc_free(w->assoc);
  gr_tree_free(w->tree);
  tl_workspace_free(w->ws);
}

/* Byte offset of the first `marker` in `text`, plus `delta`. */
static uint32_t at(const char *text, const char *marker, int delta) {
  const char *p = strstr(text, marker);
  assert_non_null(p);
  return (uint32_t)(p - text) + (uint32_t)delta;
}

#define MARKER "<!-- tmpl-ls: template=../templates/brief-tmpl.md -->\n"

static const char doc_text[] =
    MARKER
    "# Billing Brief\n"
    "\n"
    "## Purpose\n"
    "\n"
    "Billing bills. Owner: {{owner}}.\n"
    "\n"
    "## Staging Environment\n"
    "\n"
    "Region: {{region}}\n"
    "\n"
    "## Extra\n"
    "\n"
    "See ops-checklist.md, docs/ops-checklist.md and my-ops-checklist.md (ops-checklist.md).\n";

/* ---- hover -------------------------------------------------------------- */

static void test_dochelp_hover(void **state) {
  (void)state;
  world w;
  world_open(&w, doc_text);
  assert_int_equal(w.assoc->rule, TL_ASSOC_MARKER);
  static const struct {
    const char *marker;
    int delta;
    const char *want; /* NULL: no hover */
    const char *span; /* the heading's text when the hover has a span */
  } cases[] = {
      /* the title: guidance, then which template and why */
      {"# Billing", 3,
       "**Section: {{Service Name}} Brief**\n\n> Read `ops-checklist.md` first.\n\n"
       "**Placeholders:** `{{Service Name}}`\n\n---\n\nTemplate: `templates/brief-tmpl.md` (rule: marker): "
       "the document's tmpl-ls marker names templates/brief-tmpl.md",
       "# Billing Brief"},
      /* a section's body: a multi-line instruction quoted, its rule, its names; no span */
      {"Billing bills", 0,
       "**Section: Purpose**\n\n> One paragraph.\n> Name the users.\n\n**Critical rules**\n- Users, not teams.\n\n"
       "**Placeholders:** `{{owner}}`",
       NULL},
      /* a REPEAT instance: repeatable; {{region}} mentioned in the instruction is listed once */
      {"## Staging", 4,
       "**Section: {{env}} Environment**\n\nRepeatable: one section per *environment*.\n\n"
       "> mention {{region}} here\n\n**Placeholders:** `{{env}}`, `{{region}}`",
       "## Staging Environment"},
      /* the document's own section: nothing matched there, but its parent (the title) is */
      {"See ops", 0, NULL, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    uint32_t off = at(doc_text, cases[i].marker, cases[i].delta);
    ft_dochelp_hover *h = ft_dochelp_hover_at(w.doc, w.assoc, "templates/brief-tmpl.md", off);
    if (i == 3) {
      /* "## Extra" lies in the title section: the title's hover, without a span */
      assert_non_null(h);
      assert_false(h->has_span);
      assert_int_equal(h->dsection, 0);
      ft_dochelp_hover_free(h);
      continue;
    }
    assert_non_null(h);
    if (strcmp(h->markdown, cases[i].want) != 0) print_error("case %zu:\n%s\n", i, h->markdown);
    assert_string_equal(h->markdown, cases[i].want);
    assert_int_equal(h->has_span, cases[i].span != NULL);
    if (cases[i].span) {
      assert_int_equal(h->span.start, at(doc_text, cases[i].span, 0));
      assert_int_equal(h->span.end, at(doc_text, cases[i].span, 0) + strlen(cases[i].span));
    }
    ft_dochelp_hover_free(h);
  }
  /* Before the first heading: nothing holds it. */
  assert_null(ft_dochelp_hover_at(w.doc, w.assoc, "x", 0));
  assert_null(ft_dochelp_hover_at(NULL, NULL, NULL, 0));
  world_close(&w);
}

static void test_dochelp_hover_without_template(void **state) {
  (void)state;
  world w;
  const char *text = "# Shopping\n\nMilk.\n";
  world_open(&w, text);
  assert_int_equal(w.assoc->rule, TL_ASSOC_NONE);
  ft_dochelp_hover *h = ft_dochelp_hover_at(w.doc, w.assoc, NULL, 3);
  assert_non_null(h);
  /* The association's own sentence (the model's wording) follows the rule. */
  char want[1024];
  snprintf(want, sizeof want, "No template found for this document.\n\nRule: none. %s", w.assoc->reason);
  assert_string_equal(h->markdown, want);
  assert_true(h->has_span);
  ft_dochelp_hover_free(h);
  assert_null(ft_dochelp_hover_at(w.doc, w.assoc, NULL, at(text, "Milk", 0))); /* only the title line speaks */
  world_close(&w);
}

static void test_dochelp_hover_cleans_text(void **state) {
  (void)state;
  /* Invalid UTF-8, a NUL and CRLF in a template's instruction. */
  static const char t[] = "# T\n\n[[LLM: a\xff" "b\r\nc]]\n";
  tl_workspace *ws = tl_workspace_new();
  tl_workspace_put(ws, "t-tmpl.md", t, sizeof t - 1);
  const char *text = "# T\n";
  gr_tree *tree = gr_parse(text, strlen(text), &ts_document);
  tl_document *d = tl_document_new(tree, tl_workspace_template(ws, 0));
  ft_dochelp_hover *h = ft_dochelp_hover_at(d, NULL, "t-tmpl.md", 1);
  assert_non_null(h);
  assert_string_equal(h->markdown, "**Section: T**\n\n> a\xEF\xBF\xBD" "b\n> c\n\n---\n\nTemplate: `t-tmpl.md`");
  ft_dochelp_hover_free(h);
  tl_document_free(d);
  gr_tree_free(tree);
  tl_workspace_free(ws);
}

/* ---- definition --------------------------------------------------------- */

static void test_dochelp_definition(void **state) {
  (void)state;
  world w;
  world_open(&w, doc_text);
  static const struct {
    const char *marker;
    int delta;
    const char *from;   /* in the document; NULL: no target */
    const char *to;     /* in the template */
    int to_nth;         /* which occurrence of `to` in the template (0 = first) */
  } cases[] = {
      {"{{owner}}", 3, "{{owner}}", "{{owner}}", 0},
      {"{{region}}", 9, "{{region}}", "{{region}}", 1}, /* not the mention inside the instruction */
      {"## Purpose", 5, "## Purpose", "## Purpose", 0},
      {"## Staging", 0, "## Staging Environment", "## {{env}} Environment", 0},
      {"# Billing", 0, "# Billing Brief", "# {{Service Name}} Brief", 0},
      {"## Extra", 3, NULL, NULL, 0},
      {"Billing bills", 2, NULL, NULL, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    ft_dochelp_target tg;
    int found = ft_dochelp_definition(w.doc, at(doc_text, cases[i].marker, cases[i].delta), &tg);
    assert_int_equal(found, cases[i].from != NULL);
    if (!found) continue;
    assert_int_equal(tg.from.start, at(doc_text, cases[i].from, 0));
    assert_int_equal(tg.from.end, at(doc_text, cases[i].from, 0) + strlen(cases[i].from));
    const char *p = strstr(tmpl_text, cases[i].to);
    for (int k = 0; k < cases[i].to_nth; k++) p = strstr(p + 1, cases[i].to);
    assert_int_equal(tg.to.start, (uint32_t)(p - tmpl_text));
    assert_int_equal(tg.to.end, (uint32_t)(p - tmpl_text + strlen(cases[i].to)));
  }
  /* A placeholder the template does not have; no template at all. */
  world_close(&w);
  const char *text = MARKER "# B\n\n{{nobody}}\n";
  world_open(&w, text);
  ft_dochelp_target tg;
  assert_int_equal(ft_dochelp_definition(w.doc, at(text, "{{nobody}}", 2), &tg), 0);
  world_close(&w);
  assert_int_equal(ft_dochelp_definition(NULL, 0, &tg), 0);
}

/* ---- links -------------------------------------------------------------- */

static void test_dochelp_links(void **state) {
  (void)state;
  world w;
  world_open(&w, doc_text);
  const tl_template *t = tl_document_template(w.doc);
  /* In the template: the model's mentions. */
  ft_doclinks *l = ft_dochelp_links(t, NULL);
  assert_int_equal(l->len, 2);
  assert_string_equal(l->items[0].name, "ops-checklist.md");
  assert_int_equal(l->items[0].span.start, at(tmpl_text, "ops-checklist.md", 0));
  assert_string_equal(l->items[1].name, "docs/ops-checklist.md");
  assert_int_equal(l->items[1].span.start, at(tmpl_text, "docs/ops-checklist.md", 0));
  ft_doclinks_free(l);
  /* In the document: the template's names, whole, each where it stands
   * alone (own NULL: resolved from the template), and the document's own
   * mentions (own set), the template's first where both stand. */
  const char *line = strstr(doc_text, "See ops");
  static const struct {
    const char *name;
    int on_line; /* 0: the marker's line (column from the text's start); 1: the "See" line */
    uint32_t col;
    bool own;
  } want[] = {
      {"../templates/brief-tmpl.md", 0, 23, true}, /* the marker's path */
      {"ops-checklist.md", 1, 4, false},
      {"docs/ops-checklist.md", 1, 22, false},
      {"my-ops-checklist.md", 1, 48, true}, /* the template's name is not inside it; the document's own is */
      {"ops-checklist.md", 1, 69, false},   /* "(ops-checklist.md)" */
  };
  for (int with_template = 1; with_template >= 0; with_template--) {
    l = ft_dochelp_links(with_template ? t : NULL, w.tree);
    assert_int_equal(l->len, sizeof want / sizeof *want);
    for (size_t i = 0; i < l->len; i++) {
      assert_string_equal(l->items[i].name, want[i].name);
      uint32_t start = (want[i].on_line ? (uint32_t)(line - doc_text) : 0) + want[i].col;
      assert_int_equal(l->items[i].span.start, start);
      assert_int_equal(l->items[i].span.end, start + strlen(want[i].name));
      assert_int_equal(l->items[i].own != NULL, want[i].own || !with_template); /* no template: all its own */
    }
    ft_doclinks_free(l);
  }
  world_close(&w);
}

/* ---- lens --------------------------------------------------------------- */

static void test_dochelp_lens(void **state) {
  (void)state;
  static const struct {
    const char *text;
    const char *title;
    const char *heading; /* the lens's span, or NULL for empty at 0 */
  } cases[] = {
      {doc_text, "2 unfilled placeholders \xC2\xB7 0 missing sections", "# Billing Brief"},
      {MARKER "# B Brief\n\n## Purpose\n\nOwner: {{owner}}\n", "1 unfilled placeholder \xC2\xB7 1 missing section",
       "# B Brief"},
      {MARKER "# B Brief\n\n## Purpose\n\n## Prod Environment\n",
       "0 unfilled placeholders \xC2\xB7 0 missing sections", "# B Brief"},
      {"Just {{x}} text.\n", "1 unfilled placeholder \xC2\xB7 no template", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    world w;
    world_open(&w, cases[i].text);
    ft_doclens lens = ft_dochelp_lens(w.doc, NULL);
    assert_string_equal(lens.title, cases[i].title);
    /* counted from the published diagnostics, the same */
    tl_diags published = {0};
    tl_diags_from_document(&published, w.doc);
    ft_doclens counted = ft_dochelp_lens(w.doc, &published);
    assert_string_equal(counted.title, cases[i].title);
    tl_diags_free(&published);
    if (cases[i].heading) {
      assert_int_equal(lens.span.start, at(cases[i].text, cases[i].heading, 0));
      assert_int_equal(lens.span.end, at(cases[i].text, cases[i].heading, 0) + strlen(cases[i].heading));
    } else {
      assert_int_equal(lens.span.start, 0);
      assert_int_equal(lens.span.end, 0);
    }
    world_close(&w);
  }
  ft_doclens none = ft_dochelp_lens(NULL, NULL);
  assert_string_equal(none.title, "");

  /* what is turned off is not counted */
  world w;
  world_open(&w, "Just {{x}} and {{y}}.\n<!-- tmpl-ls-disable-line -->\n");
  tl_diags published = {0};
  tl_diags_from_document(&published, w.doc);
  tl_suppress(&published, w.tree);
  assert_string_equal(ft_dochelp_lens(w.doc, &published).title, "2 unfilled placeholders \xC2\xB7 no template");
  tl_diags_free(&published);
  world_close(&w);
  world_open(&w, "Just {{x}} and {{y}}. <!-- tmpl-ls-disable-line -->\n");
  tl_diags_from_document(&published, w.doc);
  tl_suppress(&published, w.tree);
  assert_string_equal(ft_dochelp_lens(w.doc, &published).title, "0 unfilled placeholders \xC2\xB7 no template");
  tl_diags_free(&published);
  world_close(&w);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_dochelp_hover),
      cmocka_unit_test(test_dochelp_hover_without_template),
      cmocka_unit_test(test_dochelp_hover_cleans_text),
      cmocka_unit_test(test_dochelp_definition),
      cmocka_unit_test(test_dochelp_links),
      cmocka_unit_test(test_dochelp_lens),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
