/*
 * test_edit.c: grammar/edit.c. gr_edit_inert says yes exactly where a
 * moved tree equals a fresh parse: cases of each rule (what it lets
 * through, and what it must refuse: headings, setext text, markup, list
 * markers made by typing, trimmed names), then every position of every
 * line of the seed template and of a document written from it, in both
 * modes: where the rule says inert, gr_tree_shift's tree must dump as the
 * fresh parse does.
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
#include "grammar/grammar.h"
#include "tests/support/support.h"

#define SEED "../shared/seed/infrastructure-architecture-tmpl.md"
#define DOC "examples/workspace/docs/infrastructure-architecture.md"

/* Make the edit on a copy; when inert, the moved tree must be the fresh one.
 * Returns whether it was inert. */
static int edit(const char *text, size_t len, size_t start, size_t end, const char *ins, gr_mode mode) {
  gr_options o = {0, 0, mode};
  gr_tree *t = gr_parse(text, len, &o);
  size_t ins_len = strlen(ins);
  int inert = gr_edit_inert(t, start, end, ins, ins_len);
  if (inert) {
    size_t n = len - (end - start) + ins_len;
    char *after = malloc(n + 1);
    memcpy(after, text, start);
    memcpy(after + start, ins, ins_len);
    memcpy(after + start + ins_len, text + end, len - end);
    after[n] = '\0';
    assert_int_equal(gr_tree_shift(t, after, n, start, end, ins_len), 0);
    assert_int_equal(gr_tree_check(t, stderr), 0);
    gr_tree *fresh = gr_parse(after, n, &o);
    char *a = ts_tree_string(t), *b = ts_tree_string(fresh);
    if (strcmp(a, b) != 0) {
      print_error("inert edit at %zu-%zu (+\"%s\") moved the tree to\n%s\nbut a fresh parse gives\n%s\n", start, end,
                  ins, a, b);
      fail();
    }
    gr_free(a);
    gr_free(b);
    gr_tree_free(fresh);
    free(after);
  }
  gr_tree_free(t);
  return inert;
}

/* The edit at the first "|" of `marked` (removed: up to a second "|", if any). */
static int at_mark(const char *marked, const char *ins, gr_mode mode) {
  char buf[512];
  size_t n = 0, start = 0, end = 0;
  int marks = 0;
  for (const char *p = marked; *p; p++) {
    if (*p == '|') {
      if (marks++ == 0) start = end = n;
      else end = n;
      continue;
    }
    buf[n++] = *p;
  }
  buf[n] = '\0';
  return edit(buf, n, start, end, ins, mode);
}

static void test_edit_prose_is_inert(void **state) {
  (void)state;
  static const char *const yes[] = {
      "# T\n\nSome pr|ose here.\n\nMore.\n",
      "# T\n\n- A list it|em\n- next\n",
      "# T\n\n> Quoted te|xt\n\nx\n",
      "# T\n\n12. Numbered it|em\n",
      "# T\n\n  * Bullet, with (parens) and 'quotes'|\n\nx\n",
      "# T\n\nText {{a}} before\nplain li|ne\nafter [[LLM: b]]\n",
      "# T\n\n```\ncode li|ne\n```\n",
      "# T\n\nRemove th|is wo|rd.\n\nx\n",
      "# T\n\nCRLF li|ne\r\nnext\r\n",
      "# T\n\n{{\nmid|dle\nname}}\n\nx\n",
      "# T\n\n- **Purpose:** integ|ration testing\n",
      "# T\n\nNote: some te|xt\n",
      "# T\n\nSee [the part](#anc|hor) and {x} ^ @ -> b\n",
      "# T\n\n2024 pl|ans: 50% more & \"quoted\" (sic)\n",
      "# T\n\n<!--\nnote -|- here\n-->\n", /* "--" and "->" are text */
  };
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
    for (int m = 0; m < 2; m++) {
      if (!at_mark(yes[i], "xy z", (gr_mode)m)) {
        print_error("not inert (mode %d): %s\n", m, yes[i]);
        fail();
      }
    }
  }
}

static void test_edit_refuses_what_can_change(void **state) {
  (void)state;
  static const struct {
    const char *text, *ins;
  } no[] = {
      {"# T\n\n## Head|ing\n\nx\n", "x"},           /* a heading's name */
      {"# T\n\nSetext te|xt\n===\n\nx\n", "x"},     /* setext text: the heading's name */
      {"# T\n\nSome text {{a|}} here\n", "b"},      /* markup on the line */
      {"# T\n\n|Start of line\n", "x"},             /* at the first byte */
      {"# T\n\n1|\n", "."},                         /* would make a list marker */
      {"# T\n\n*|a\n", " "},                        /* would make a list marker */
      {"# T\n\n- **|*\n", "x"},                     /* would unmake a thematic break */
      {"# T\n\n- **|x|*\n", ""},                    /* removing the letter makes a break */
      {"# T\n\nWord|\n", "`"},                      /* a backtick typed */
      {"# T\n\nWord|\n", "\n"},                     /* a line end typed */
      {"# T\n\nWord|\n", "<"},                      /* a tag's byte */
      {"# T\n\nWord|\n", "{"},                      /* a brace */
      {"# T\n\n   |\n\nx\n", "x"},                  /* a blank line */
      {"# T\n\nLast line|", "x"},                   /* the text's end: the root ends there */
      {"# T\n\n{{\nname  |\n}}\n", "x"},            /* a trimmed placeholder name ends on the line */
      {"# T\n\nText|\rlone CR\n", "x"},             /* a lone CR */
      {"# T\n\nab|c|d\n", "{{"},                    /* markup replacing prose */
      {"# T\n\nab[|c|[d\n", ""},                     /* a deletion that makes "[[" */
      {"# T\n\nab@|c|{d\n", ""},                     /* a deletion that makes "@{" */
      {"# T\n\nab [[x] c|\n", "x"},                  /* "[[" on the line */
      {"# T\n\nab <b> c|\n", "x"},                   /* '<' on the line */
      /* "-->" closes an open comment, or makes an unclosed "<!--" one:
       * typed at once, key by key, or made by a deletion */
      {"# T\n\n<!--\nnote here|\n<<REPEAT: r>>\nbody\n<</REPEAT>>\n-->\n", " -->"},
      {"# T\n\n<!--\nnote here --|\n<<REPEAT: r>>\nbody\n<</REPEAT>>\n-->\n", ">"},
      {"# T\n\n<!--\nnote here -|\n<<REPEAT: r>>\nbody\n<</REPEAT>>\n-->\n", "->"},
      {"# T\n\n<!--\nnote here -|x|->\n<<REPEAT: r>>\nbody\n<</REPEAT>>\n-->\n", ""},
      {"# T\n\n<!--\nnote here|>\n\n{{x}}\n", " --"},
      {"# T\n\n<!--\nnote here|\n\n{{x}}\n", " -->"},
  };
  for (size_t i = 0; i < sizeof no / sizeof *no; i++) {
    for (int m = 0; m < 2; m++) {
      if (at_mark(no[i].text, no[i].ins, (gr_mode)m)) {
        print_error("inert (mode %d): %s + \"%s\"\n", m, no[i].text, no[i].ins);
        fail();
      }
    }
  }
}

static void test_edit_shift_checks_lengths(void **state) {
  (void)state;
  const char *text = "# T\n\nabc\n";
  gr_tree *t = gr_parse(text, strlen(text), NULL);
  assert_int_equal(gr_tree_shift(t, text, strlen(text), 6, 7, 5), -1); /* the lengths do not add up */
  assert_int_equal(gr_tree_shift(t, text, strlen(text), 7, 6, 0), -1); /* end before start */
  assert_int_equal(gr_edit_inert(NULL, 0, 0, "", 0), 0);
  assert_int_equal(gr_edit_inert(t, 6, 99, "", 0), 0);
  gr_tree_free(t);
}

/* Every line of a real file: a character typed after the line's first
 * byte, in its middle and at its end, and a character removed there;
 * whenever the rule says inert, the moved tree is the fresh one. */
static void sweep(const char *path, gr_mode mode, size_t *inert, size_t *tried) {
  size_t len;
  char *text = ts_slurp(path, &len);
  assert_non_null(text);
  for (size_t bol = 0; bol < len;) {
    size_t eol = bol;
    while (eol < len && text[eol] != '\n') eol++;
    size_t at[3] = {bol + 1, bol + (eol - bol) / 2, eol};
    for (int k = 0; k < 3; k++) {
      if (at[k] > eol || at[k] > len) continue;
      *tried += 2;
      *inert += (size_t)edit(text, len, at[k], at[k], "x", mode);
      if (at[k] < eol) *inert += (size_t)edit(text, len, at[k], at[k] + 1, "", mode);
    }
    bol = eol + 1;
  }
  free(text);
}

static void test_edit_every_line_of_real_files(void **state) {
  (void)state;
  static const struct {
    const char *path;
    gr_mode mode;
  } files[] = {{SEED, GR_MODE_TEMPLATE}, {SEED, GR_MODE_DOCUMENT}, {DOC, GR_MODE_DOCUMENT}};
  for (size_t i = 0; i < 3; i++) {
    size_t inert = 0, tried = 0;
    sweep(files[i].path, files[i].mode, &inert, &tried);
    printf("%s (mode %d): %zu of %zu edits inert\n", files[i].path, files[i].mode, inert, tried);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_edit_prose_is_inert),
      cmocka_unit_test(test_edit_refuses_what_can_change),
      cmocka_unit_test(test_edit_shift_checks_lengths),
      cmocka_unit_test(test_edit_every_line_of_real_files),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
