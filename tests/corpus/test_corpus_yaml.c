/*
 * test_corpus_yaml.c: every real YAML template in
 * ../shared/corpus/bmad-method-yaml/ parses with its tree and view
 * invariants intact and gives exactly the diagnostics recorded (and read
 * through by hand) in tests/corpus/bmad-method-yaml.expected. The files
 * that are not valid YAML each get a yaml-syntax diagnostic, and a template
 * with an error still has its sections read (recovery). Run from the
 * repository root.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

#define CORPUS "../shared/corpus/bmad-method-yaml"
#define EXPECTED "tests/corpus/bmad-method-yaml.expected"

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The expected file without comments and blank lines. */
static char *expected_text(void) {
  size_t len;
  char *raw = ts_slurp(EXPECTED, &len);
  assert_non_null(raw);
  char *out = gr_malloc(len + 1), *o = out;
  for (char *line = raw; *line;) {
    char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (n > 0 && line[0] != '#') {
      memcpy(o, line, n);
      o += n;
      *o++ = '\n';
    }
    line += n + (nl ? 1 : 0);
  }
  *o = '\0';
  gr_free(raw);
  return out;
}

typedef GR_ARRAY(char *) names_t;

static names_t corpus_names(void) {
  names_t names = {0};
  DIR *d = opendir(CORPUS);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0)
      gr_array_push(&names, gr_strndup(e->d_name, n));
  }
  closedir(d);
  qsort(names.items, names.len, sizeof(char *), cmp_names);
  return names;
}

static void free_names(names_t *names) {
  for (size_t i = 0; i < names->len; i++) gr_free(names->items[i]);
  gr_array_free(names);
}

/* File i of the corpus (ts_slurp: free with gr_free); its path into path. */
static char *corpus_file(const names_t *names, size_t i, char *path, size_t cap, size_t *len) {
  snprintf(path, cap, "%s/%s", CORPUS, names->items[i]);
  char *text = ts_slurp(path, len);
  assert_non_null(text);
  return text;
}

static void test_corpus_yaml_matches_expected(void **state) {
  (void)state;
  names_t names = corpus_names();
  assert_int_equal(names.len, 299);
  char *got = NULL;
  size_t got_len = 0;
  FILE *out = open_memstream(&got, &got_len);
  size_t broken = 0, templates = 0, sections = 0;
  for (size_t i = 0; i < names.len; i++) {
    char path[1024];
    size_t len;
    char *text = corpus_file(&names, i, path, sizeof path, &len);
    yt_tmpl *tm = yt_tmpl_parse(text, len);
    if (yt_tmpl_check(tm, stderr) != 0) fail_msg("%s: invariants broken", path);
    gr_lines *lines = gr_lines_new(text, len);
    for (uint32_t k = 0; k < yt_tmpl_diag_count(tm); k++) {
      const yt_diag *d = yt_tmpl_diag(tm, k);
      gr_pos p = gr_lines_pos(lines, text, d->span.start, GR_UNIT_CODEPOINT);
      fprintf(out, "%s:%u:%u: %s: %s\n", names.items[i], p.line + 1, p.col + 1,
              yt_diag_code_name(d->code), d->message);
    }
    gr_lines_free(lines);
    broken += yt_tree_has_error(yt_tmpl_tree(tm)) ? 1 : 0;
    templates += yt_tmpl_is_template(tm) ? 1 : 0;
    sections += yt_tmpl_is_template(tm) ? yt_tmpl_section_count(tm) : 0;
    yt_tmpl_free(tm);
    gr_free(text);
  }
  fclose(out);
  free_names(&names);
  /* the corpus's own counts (../shared/docs/yaml-templates.md): 37 broken;
   * 233 valid files have template: and sections:, and recovery finds more
   * among the broken ones */
  assert_int_equal(broken, 37);
  assert_true(templates >= 233);
  assert_true(sections >= 8271);
  char *want = expected_text();
  if (strcmp(got, want) != 0) {
    FILE *f = fopen("build/corpus-yaml.got", "w");
    if (f) fputs(got, f), fclose(f);
    fail_msg("corpus diagnostics differ from %s (got: build/corpus-yaml.got)", EXPECTED);
  }
  free(got);
  gr_free(want);
}

/* Recovery: the fullstack template broken in its Testing Pyramid still has
 * the sections that follow the error. */
static void test_corpus_yaml_reads_past_an_error(void **state) {
  (void)state;
  size_t len;
  char *text = ts_slurp(CORPUS "/fullstack-architecture-tmpl.1a50e9d9.yaml", &len);
  assert_non_null(text);
  yt_tmpl *tm = yt_tmpl_parse(text, len);
  assert_int_equal(yt_tree_has_error(yt_tmpl_tree(tm)), 1);
  int after = 0;
  const yt_diag *d = yt_tmpl_diag(tm, 0);
  for (uint32_t i = 0; i < yt_tmpl_section_count(tm); i++) {
    uint32_t id = yt_tmpl_section(tm, i)->keys[YT_SKEY_ID];
    const char *s = yt_tmpl_str(tm, id, NULL);
    if (s && strcmp(s, "checklist-results") == 0 &&
        yt_tree_node(yt_tmpl_tree(tm), id)->span.start > d->span.start)
      after = 1;
  }
  assert_true(after);
  yt_tmpl_free(tm);
  gr_free(text);
}

/*
 * text[0..n) with `del` bytes at `at` replaced by `ins`, as a new string
 * (*now, *nn); t (parsed from text) follows the edit. When it does, it must
 * be a fresh parse of the new text, node for node. Returns that fresh
 * parse, and *kept whether t followed (t is freed either way).
 */
static yt_tree *follow_edit(yt_tree *t, const char *text, size_t n, size_t at, size_t del, const char *ins,
                            const char *where, char **now, size_t *nn, int *kept) {
  size_t il = strlen(ins);
  *nn = n - del + il;
  *now = gr_malloc(*nn + 1);
  memcpy(*now, text, at);
  memcpy(*now + at, ins, il);
  memcpy(*now + at + il, text + at + del, n - at - del);
  (*now)[*nn] = '\0';
  *kept = yt_tree_edit(t, *now, *nn, (uint32_t)at, (uint32_t)(at + del), (uint32_t)(at + il)) == 0;
  yt_tree *fresh = yt_parse(*now, *nn);
  if (*kept && (yt_tree_check(t, stderr) != 0 || yt_tree_same(t, fresh, stderr) != 0))
    fail_msg("%s (at %zu, -%zu +\"%s\"): the edited tree is not a fresh parse", where, at, del, ins);
  yt_tree_free(t);
  return fresh;
}

/*
 * yt_tree_edit on real templates: in every fourth file, at 24 lines spread
 * over it, a letter typed mid-line and at the line's end, a character
 * deleted, and a new `key: value` line at the line's indentation. Every
 * edit the tree follows must leave it, node for node, a fresh parse of the
 * new text; and on real templates most edits must be followed (the fast
 * path is the common one).
 */
static void test_corpus_yaml_edits_match_fresh_parses(void **state) {
  (void)state;
  names_t names = corpus_names();
  size_t tried = 0, kept = 0;
  for (size_t i = 0; i < names.len; i += 4) {
    char path[1024];
    size_t len;
    char *text = corpus_file(&names, i, path, sizeof path, &len);
    gr_lines *lines = gr_lines_new(text, len);
    uint32_t nl = gr_lines_count(lines);
    for (uint32_t k = 0; k < 24 && nl > 0; k++) {
      uint32_t line = (uint32_t)((uint64_t)k * nl / 24);
      size_t ls = gr_lines_start(lines, line), le = gr_lines_end(lines, text, line);
      size_t ind = ls;
      while (ind < le && text[ind] == ' ') ind++;
      char indent[128];
      size_t iw = ind - ls < 100 ? ind - ls : 100;
      memset(indent, ' ', iw);
      snprintf(indent + iw, sizeof indent - iw, "k: v");
      struct {
        size_t at, del;
        const char *ins;
      } edits[4] = {{(ind + le) / 2, 0, "x"}, {le, 0, "x"}, {(ind + le) / 2, le > ind ? 1 : 0, ""}, {le, 0, NULL}};
      for (int e = 0; e < 4; e++) {
        char ins[160];
        snprintf(ins, sizeof ins, "%s%s", edits[e].ins ? "" : "\n", edits[e].ins ? edits[e].ins : indent);
        yt_tree *t = yt_parse(text, len);
        if (yt_tree_has_error(t)) {
          yt_tree_free(t);
          continue;
        }
        char where[1100], *now;
        size_t nn;
        int followed;
        snprintf(where, sizeof where, "%s: line %u, edit %d", path, line + 1, e);
        tried++;
        yt_tree_free(follow_edit(t, text, len, edits[e].at, edits[e].del, ins, where, &now, &nn, &followed));
        kept += (size_t)followed;
        gr_free(now);
      }
    }
    gr_lines_free(lines);
    gr_free(text);
  }
  free_names(&names);
  assert_true(tried > 5000);
  if (kept * 2 < tried) fail_msg("only %zu of %zu edits followed", kept, tried);
}

/* xorshift: the same edits on every machine */
static uint32_t next_rand(uint32_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 17;
  *s ^= *s << 5;
  return *s;
}

/*
 * Random edits of YAML fragments (markers, quotes, brackets, indentation,
 * CRLF, tabs, comments, explicit keys, block scalar headers) at random
 * places of real templates (every tenth file, some in CRLF), each checked
 * against a fresh parse when the tree follows it; an edit that breaks the
 * YAML is undone. This is how the `? key` case (an empty value libyaml
 * places at the next line) was found; a review's fragments (NEL, LS, a
 * BOM, a "-" alone on its line) found three more.
 */
static void test_corpus_yaml_random_edits(void **state) {
  (void)state;
  static const char *const frags[] = {
      "\n", "\r\n", "\r", " ", "  ", "    ", "a", "word", "- ", "-", ": ", ":", "#", " # c", "|", ">", "|-", "|+",
      ">2", "'", "\"", "[", "]", "{", "}", ",", "&a ", "*a", "!t ", "? ", "---", "...", "\t", "{{v}}",
      "\n  - id: n\n    title: N", "\n    - id: m", "\n      x", "title: T", "\n#c\n", "\n\ty", "\\", "%",
      "\xFF", "\n- ", "\n  ", "\n\n", "key: |\n", "\n      ", "\"a\nb\"", "\xC2\x85", "\xE2\x80\xA8",
      "\xEF\xBB\xBF", "? a\n: b", "- - ", "\n-\n  "};
  names_t names = corpus_names();
  uint32_t seed = 0x2545F491;
  size_t tried = 0, kept = 0;
  for (size_t i = 0; i < names.len; i += 10) {
    char path[1024];
    size_t n;
    char *text = corpus_file(&names, i, path, sizeof path, &n);
    if (i % 30 == 0) { /* CRLF */
      char *c = gr_malloc(2 * n + 1);
      size_t k = 0;
      for (size_t x = 0; x < n; x++) {
        if (text[x] == '\n') c[k++] = '\r';
        c[k++] = text[x];
      }
      c[k] = '\0';
      gr_free(text);
      text = c;
      n = k;
    }
    yt_tree *t = yt_parse(text, n);
    for (int e = 0; e < 60 && !yt_tree_has_error(t); e++) {
      size_t a = next_rand(&seed) % (n + 1), del = next_rand(&seed) % 4 == 0 ? next_rand(&seed) % 8 : 0;
      if (a + del > n) del = n - a;
      char ins[256] = "";
      for (uint32_t p = next_rand(&seed) % 3; p > 0; p--)
        strcat(ins, frags[next_rand(&seed) % (sizeof frags / sizeof *frags)]);
      char where[1100], *now;
      size_t nn;
      int followed;
      snprintf(where, sizeof where, "%s: random edit %d", path, e);
      tried++;
      t = follow_edit(t, text, n, a, del, ins, where, &now, &nn, &followed);
      kept += (size_t)followed;
      if (yt_tree_has_error(t)) { /* undone */
        yt_tree_free(t);
        gr_free(now);
        t = yt_parse(text, n);
        continue;
      }
      gr_free(text);
      text = now;
      n = nn;
    }
    yt_tree_free(t);
    gr_free(text);
  }
  free_names(&names);
  assert_true(tried > 1000);
  if (kept * 4 < tried) fail_msg("only %zu of %zu random edits followed", kept, tried);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_corpus_yaml_matches_expected),
      cmocka_unit_test(test_corpus_yaml_reads_past_an_error),
      cmocka_unit_test(test_corpus_yaml_edits_match_fresh_parses),
      cmocka_unit_test(test_corpus_yaml_random_edits),
  };
  return cmocka_run_group_tests_name("corpus-yaml", tests, NULL, NULL);
}
