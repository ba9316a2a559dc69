/*
 * test_yemit.c: server/features/yemit.c. Each case is a string, the exact
 * YAML written for it as a key's value (and as a sequence item under a
 * nested key), and libyaml's reading of that YAML, which must give the
 * string back byte for byte (for text that is not UTF-8: its bytes read as
 * Latin-1, the only reading YAML has for them).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "grammar/alloc.h"
#include "server/features/yemit.h"
#include "tests/support/features_util.h"

typedef struct yemit_case {
  const char *name;
  const char *s;
  size_t n; /* 0: strlen(s) */
  const char *want; /* ft_yemit_pair(b, 0, "k", s) */
  const char *back; /* what libyaml reads back when it is not s itself */
} yemit_case;

static const yemit_case cases[] = {
    {"plain words", "Infrastructure Overview", 0, "k: Infrastructure Overview\n", NULL},
    {"a placeholder inside stays plain", "Epic {{n}} {{title}}", 0, "k: Epic {{n}} {{title}}\n", NULL},
    {"a placeholder first is a flow mapping: quoted", "{{environment_name}} Environment", 0,
     "k: \"{{environment_name}} Environment\"\n", NULL},
    {"': ' inside", "Example: Construction Contractor", 0, "k: \"Example: Construction Contractor\"\n", NULL},
    {"':' at the end", "Goals:", 0, "k: \"Goals:\"\n", NULL},
    {"':' glued inside is plain", "http://x.org/a:b", 0, "k: http://x.org/a:b\n", NULL},
    {"' #' starts a comment", "C # sharp", 0, "k: \"C # sharp\"\n", NULL},
    {"'#' glued is plain", "C#", 0, "k: C#\n", NULL},
    {"leading '*' is an alias", "*Bold* start", 0, "k: \"*Bold* start\"\n", NULL},
    {"leading backtick", "`code` first", 0, "k: \"`code` first\"\n", NULL},
    {"leading '[' is a flow sequence", "[ALL CAPS]", 0, "k: \"[ALL CAPS]\"\n", NULL},
    {"leading '@'", "@{example}", 0, "k: \"@{example}\"\n", NULL},
    {"leading '%'", "%20 done", 0, "k: \"%20 done\"\n", NULL},
    {"leading '&' is an anchor", "&anchor", 0, "k: \"&anchor\"\n", NULL},
    {"leading '!' is a tag", "!important", 0, "k: \"!important\"\n", NULL},
    {"leading '|' and '>'", "| a | b |", 0, "k: \"| a | b |\"\n", NULL},
    {"leading '>'", "> quote", 0, "k: \"> quote\"\n", NULL},
    {"leading '-' and '?'", "- item", 0, "k: \"- item\"\n", NULL},
    {"leading '?'", "?what", 0, "k: \"?what\"\n", NULL},
    {"quotes are escaped", "say \"hi\" 'there'", 0, "k: say \"hi\" 'there'\n", NULL},
    {"a leading quote", "\"quoted\" and \\ back", 0, "k: \"\\\"quoted\\\" and \\\\ back\"\n", NULL},
    {"leading and trailing spaces", "  padded ", 0, "k: \"  padded \"\n", NULL},
    {"a tab", "a\tb", 0, "k: \"a\\tb\"\n", NULL},
    {"control bytes", "bell\a esc\x1b del\x7f", 0, "k: \"bell\\x07 esc\\x1B del\\x7F\"\n", NULL},
    {"C1 and line separators", "a\xc2\x85" "b\xe2\x80\xa8" "c\xef\xbb\xbf", 0, "k: \"a\\u0085b\\u2028c\\uFEFF\"\n", NULL},
    {"non-ASCII is plain", "Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x9a\x80", 0, "k: Caf\xc3\xa9 \xe2\x80\x94 \xf0\x9f\x9a\x80\n", NULL},
    {"invalid UTF-8 reads as Latin-1", "caf\xe9", 0, "k: \"caf\\xE9\"\n", "caf\xc3\xa9"},
    {"a NUL byte", "a\0b", 3, "k: \"a\\x00b\"\n", NULL},
    {"the empty string", "", 0, "k: \"\"\n", NULL},
    {"booleans and null are words to YAML", "yes", 0, "k: \"yes\"\n", NULL},
    {"in any case", "Off", 0, "k: \"Off\"\n", NULL},
    {"null", "NULL", 0, "k: \"NULL\"\n", NULL},
    {"tilde", "~", 0, "k: \"~\"\n", NULL},
    {"numbers", "2.0", 0, "k: \"2.0\"\n", NULL},
    {"a leading digit", "3 Testing", 0, "k: \"3 Testing\"\n", NULL},
    {"a dot", ".inf", 0, "k: \".inf\"\n", NULL},
    {"lines: a literal block", "- one\n- two", 0, "k: |-\n  - one\n  - two\n", NULL},
    {"one final break", "line one\nline two\n", 0, "k: |\n  line one\n  line two\n", NULL},
    {"two final breaks", "a\nb\n\n", 0, "k: |+\n  a\n  b\n\n", NULL},
    {"blank lines inside stay empty", "a\n\nb\n", 0, "k: |\n  a\n\n  b\n", NULL},
    {"a first line indented needs the indicator", "    code\nnext\n", 0, "k: |2\n      code\n  next\n", NULL},
    {"the first non-empty line decides", "\n  x\ny", 0, "k: |2-\n\n    x\n  y\n", NULL},
    {"markup in a block is text", "# H\n*a*: `b` {c} [d] @e %f &g !h | > ' \"\n", 0,
     "k: |\n  # H\n  *a*: `b` {c} [d] @e %f &g !h | > ' \"\n", NULL},
    {"tabs and trailing spaces in a block", "\tx  \ny\t\n", 0, "k: |2\n  \tx  \n  y\t\n", NULL},
    {"a tab first later is fine", "x\n\ty\n", 0, "k: |\n  x\n  \ty\n", NULL},
    {"a line of spaces inside", "a\n   \nb", 0, "k: |-\n  a\n     \n  b\n", NULL},
    {"CR in lines: double quotes", "a\r\nb\r\n", 0, "k: \"a\\r\\nb\\r\\n\"\n", NULL},
    {"only blanks over lines: double quotes", "\n \n", 0, "k: \"\\n \\n\"\n", NULL},
    {"a control byte in lines: double quotes", "a\n\x01\n", 0, "k: \"a\\n\\x01\\n\"\n", NULL},
};

/* The scalar value of the key "k" in the first mapping of the YAML text
 * (or the first item of the sequence under it), as libyaml reads it; NULL
 * when libyaml fails. */
static char *yemit_read(const char *yaml, const char *key, size_t *out_len) {
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)yaml, strlen(yaml));
  char *got = NULL;
  int want_next = 0, done = 0;
  while (!done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) break;
    if (ev.type == YAML_SCALAR_EVENT) {
      const char *v = (const char *)ev.data.scalar.value;
      size_t n = ev.data.scalar.length;
      if (want_next) {
        got = gr_strndup(v, n);
        *out_len = n;
        done = 1;
      } else if (n == strlen(key) && memcmp(v, key, n) == 0) {
        want_next = 1;
      }
    }
    if (ev.type == YAML_STREAM_END_EVENT) done = 1;
    yaml_event_delete(&ev);
  }
  yaml_parser_delete(&p);
  return got;
}

static void test_yemit_cases(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const yemit_case *c = &cases[i];
    size_t n = c->n ? c->n : strlen(c->s);
    ft_buf b = {0};
    ft_yemit_pair(&b, 0, "k", c->s, n);
    char *yaml = ft_buf_take(&b);
    fts_expect(c->name, yaml, c->want);
    const char *back = c->back ? c->back : c->s;
    size_t back_n = c->back ? strlen(c->back) : n;

    /* Read back at the top level, then nested in a section list as
     * migrate writes it (a key's value and a sequence item under it). */
    ft_buf nest = {0};
    ft_buf_puts(&nest, "sections:\n  - id: x\n");
    ft_yemit_pair(&nest, 4, "v", c->s, n);
    ft_buf_puts(&nest, "    examples:\n      -");
    ft_yemit_value(&nest, 8, c->s, n);
    ft_buf_puts(&nest, "    after: 1\n");
    char *nested = ft_buf_take(&nest);
    const char *docs[][2] = {{yaml, "k"}, {nested, "v"}, {nested, "examples"}};
    for (size_t d = 0; d < 3; d++) {
      size_t got_n = 0;
      char *got = yemit_read(docs[d][0], docs[d][1], &got_n);
      if (!got || got_n != back_n || memcmp(got, back, n) != 0) {
        fprintf(stderr, "case '%s', reading key %s of:\n%s\ngot %s\n", c->name, docs[d][1], docs[d][0],
                got ? got : "(libyaml failed)");
        fail();
      }
      gr_free(got);
    }
    gr_free(nested);
    gr_free(yaml);
  }
}

static void test_yemit_styles(void **state) {
  (void)state;
  assert_int_equal(ft_yemit_style_of("plain", 5), FT_YEMIT_PLAIN);
  assert_int_equal(ft_yemit_style_of("a: b", 4), FT_YEMIT_DOUBLE);
  assert_int_equal(ft_yemit_style_of("a\nb", 3), FT_YEMIT_LITERAL);
  assert_int_equal(ft_yemit_style_of("a\r\nb", 4), FT_YEMIT_DOUBLE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_yemit_cases),
      cmocka_unit_test(test_yemit_styles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
