/*
 * test_inlay.c: server/features/inlay.c, a document's inlay hints: which
 * instance of a repeated section a heading is, counted among its siblings
 * (each parent apart), and the template's heading behind a pattern
 * (placeholders, a choice, an [ALL CAPS] bracket), not behind a literal
 * heading or one written as the template writes it; only in the range.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/inlay.h"
#include "tests/support/features_util.h"

static const char tmpl[] =
    "# {{Project}} Plan\n"
    "## Epics\n"
    "<<REPEAT: epic>>\n"
    "### Epic {{n}}: {{title}}\n"
    "<<REPEAT: story>>\n"
    "#### Story {{s}}\n"
    "<</REPEAT>>\n"
    "<</REPEAT>>\n"
    "## Risk: {Low|High}\n"
    "## [TECHNIQUE NAME]\n"
    "## Notes\n";

static char *render(const char *doc, uint32_t start, uint32_t end) {
  gr_tree *tt = gr_parse(tmpl, strlen(tmpl), NULL);
  tl_template *t = tl_template_new(tt);
  gr_tree *dt = gr_parse(doc, strlen(doc), NULL);
  tl_document *d = tl_document_new(dt, t);
  ft_inlays *h = ft_inlay_hints(d, start, end);
  fts_str b = {0};
  for (size_t i = 0; i < h->len; i++)
    fts_cat(&b, "%u %s %s\n", h->items[i].offset, h->items[i].kind == FT_INLAY_INSTANCE ? "instance" : "pattern",
            h->items[i].label);
  char *out = gr_strndup(fts_str_get(&b), strlen(fts_str_get(&b)));
  fts_str_free(&b);
  ft_inlays_free(h);
  tl_document_free(d);
  gr_tree_free(dt);
  tl_template_free(t);
  gr_tree_free(tt);
  return out;
}

static void test_inlay_hints(void **state) {
  (void)state;
  static const char doc[] =
      "# Lumen Plan\n"          /* 0: title ends at 12 */
      "## Epics\n"              /* 13 */
      "### Epic 1: Login\n"     /* 22: ends at 39 */
      "#### Story 1\n"          /* 40: ends at 52 */
      "#### Story 2\n"          /* 53: ends at 65 */
      "### Epic 2: Billing\n"   /* 66: ends at 85 */
      "#### Story 1\n"          /* 86: ends at 98 */
      "## Risk: Low\n"          /* 99: ends at 111 */
      "## Pairing\n"            /* 112: ends at 122 */
      "## Notes\n";             /* 123 */
  char *got = render(doc, 0, (uint32_t)strlen(doc));
  fts_expect("all", got,
             "12 pattern template: {{Project}} Plan\n"
             "39 instance 1 of 2\n39 pattern template: Epic {{n}}: {{title}}\n"
             "52 instance 1 of 2\n52 pattern template: Story {{s}}\n"
             "65 instance 2 of 2\n65 pattern template: Story {{s}}\n"
             "85 instance 2 of 2\n85 pattern template: Epic {{n}}: {{title}}\n"
             "98 instance 1 of 1\n98 pattern template: Story {{s}}\n"
             "111 pattern template: Risk: {Low|High}\n"
             "122 pattern template: [TECHNIQUE NAME]\n");
  gr_free(got);
  got = render(doc, 60, 90);
  fts_expect("range", got, "65 instance 2 of 2\n65 pattern template: Story {{s}}\n85 instance 2 of 2\n85 pattern template: Epic {{n}}: {{title}}\n");
  gr_free(got);
  got = render("# {{Project}} Plan\n## Notes\n", 0, 100); /* written as the template writes it */
  fts_expect("same text", got, "");
  gr_free(got);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_inlay_hints)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
