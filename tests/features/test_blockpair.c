/*
 * test_blockpair.c: server/features/blockpair.c, from a block's opener to
 * its closer and back, the innermost block first, on every kind that has
 * both tokens; nothing off the tokens, on an unclosed block, or on a
 * placeholder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/grammar.h"
#include "server/features/blockpair.h"

static const char text[] =
    "# T\n"                                 /* 0 */
    "<<REPEAT: env>>\n"                     /* 4 */
    "^^CONDITION: k8s^^\n"                  /* 20 */
    "[[LLM: ask]]\n"                        /* 39 */
    "^^/CONDITION: k8s^^\n"                 /* 52 */
    "<</REPEAT>>\n"                         /* 72 */
    "@{example: e}\nx {{p}}\n@{/example}\n" /* 84 */
    "```sh\nls\n```\n"                      /* 118 */
    "<critical_rule>r</critical_rule>\n"    /* 131 */
    "<<REPEAT: open>>\n";                   /* 164 */

static void expect(const gr_tree *t, uint32_t at, const char *want) {
  gr_span from, to;
  char got[64] = "none";
  if (ft_blockpair_at(t, at, &from, &to))
    snprintf(got, sizeof got, "%u-%u -> %u-%u", from.start, from.end, to.start, to.end);
  if (strcmp(got, want) != 0) fail_msg("at %u: got %s, want %s", at, got, want);
}

static void test_blockpair_pairs(void **state) {
  (void)state;
  gr_tree *t = gr_parse(text, sizeof text - 1, NULL);
  expect(t, 4, "4-19 -> 72-83");     /* the REPEAT's opener */
  expect(t, 83, "72-83 -> 4-19");    /* just after its closer */
  expect(t, 25, "20-38 -> 52-71");   /* inside the CONDITION's opener: the innermost block */
  expect(t, 60, "52-71 -> 20-38");
  expect(t, 42, "39-45 -> 49-51");   /* [[LLM: -> ]] */
  expect(t, 84, "84-97 -> 106-117"); /* @{example} */
  expect(t, 120, "118-123 -> 127-130"); /* a fence */
  expect(t, 131, "131-146 -> 147-163"); /* <critical_rule> */
  expect(t, 2, "none");              /* a heading */
  expect(t, 100, "none");            /* a placeholder: not a block */
  expect(t, 76, "72-83 -> 4-19");
  expect(t, 30, "20-38 -> 52-71");
  expect(t, 166, "none");            /* an unclosed REPEAT: no closer to go to */
  expect(t, 47, "none");             /* inside the instruction's text */
  gr_tree_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_blockpair_pairs)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
