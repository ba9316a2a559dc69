/*
 * test_tail.c: a file's closing matter (server/model/tail.c). Each case is
 * a text with "§" where the closing matter should start (none: it has
 * none), asked about the span from the last heading to the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/model/tail.h"
#include "tests/support/features_util.h"

#define M "\xC2\xA7"

typedef struct tail_case {
  const char *name;
  const char *input;
} tail_case;

static const tail_case cases[] = {
    {"a break, then version lines", "## Last\n\n- a\n\n" M "---\n\n*Document Version: 1.0*\n*Last Updated: x*\n"},
    {"two breaks: the footer from the first", "## Last\n\ntext\n\n" M "***\n\n*v1*\n\n___\n\n*x*\n"},
    {"spaced break", "## Last\n\ntext\n\n" M " - - -\n\nend\n"},
    {"no footer", "## Last\n\n- a\n- b\n"},
    {"--- right under text is a setext heading, not a break", "## Last\n\ntext\n---\n\nmore\n"},
    {"a heading after the break: it is content", "## Last\n\ntext\n\n---\n\n### Next\n\nx\n"},
    {"too much after the break: content", "## Last\n\n---\n\n1\n2\n3\n4\n5\n6\n7\n8\n9\n"},
    {"a break inside a fence is code", "## Last\n\n```\n\n---\n\nv\n```\n"},
    {"a break inside an instruction is guidance", "## Last\n\n[[LLM: x\n\n---\n\ny]]\n"},
    {"CRLF", "## Last\r\n\r\ntext\r\n\r\n" M "---\r\n\r\n*v*\r\n"},
};

static void test_tail_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *in = cases[i].input;
    const char *m = strstr(in, M);
    fts_str b = {0};
    if (m) fts_cat(&b, "%.*s%s", (int)(m - in), in, m + strlen(M));
    else fts_cat(&b, "%s", in);
    fts_doc d;
    fts_doc_open_str(&d, fts_str_get(&b));
    gr_span all = {0, d.len};
    uint32_t want = m ? (uint32_t)(m - in) : d.len;
    uint32_t got = tl_tail_start(d.tree, all);
    if (got != want) fail_msg("case '%s': want %u, got %u", cases[i].name, want, got);
    /* A span that stops before the end of the text has no closing matter. */
    gr_span part = {0, d.len - 1};
    assert_int_equal(tl_tail_start(d.tree, part), d.len - 1);
    fts_doc_close(&d);
    fts_str_free(&b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tail_cases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
