/*
 * bench_parse: the parser's throughput on a corpus of templates, repeated
 * to at least 50 MB, beside two references over the same bytes in the same
 * process: a memchr pass counting newlines (the floor any scan pays) and a
 * PCRE2 JIT scan for the markup's tokens (what a regex lexer would cost).
 * It also times the parser's first pass alone, the byte classifier, with
 * the implementation this CPU gets.
 *
 *   bench_parse DIR [MB]
 *
 * Each figure is the best of 5 runs. Speed is reported as ratios, never
 * asserted: run it with `make bench`.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grammar/alloc.h"
#include "grammar/bitmap.h"
#include "grammar/grammar.h"

typedef struct file {
  char *text;
  size_t len;
} file;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load(const char *dir, file **out, size_t *n) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  struct dirent *e;
  size_t cap = 0;
  *n = 0;
  *out = NULL;
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if (l < 4 || strcmp(e->d_name + l - 3, ".md") != 0) continue;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    FILE *f = fopen(path, "rb");
    if (!f) continue;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = gr_malloc((size_t)size + 1);
    size_t got = fread(buf, 1, (size_t)size, f);
    fclose(f);
    if (*n == cap) *out = gr_realloc(*out, (cap = cap ? cap * 2 : 64) * sizeof(file));
    (*out)[(*n)++] = (file){buf, got};
  }
  closedir(d);
  return *n ? 0 : -1;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_parse DIR [MB]\n");
    return 2;
  }
  size_t target = (size_t)(argc > 2 ? atof(argv[2]) : 50.0) * 1000 * 1000;
  file *files;
  size_t nfiles;
  if (load(argv[1], &files, &nfiles) != 0) {
    fprintf(stderr, "bench_parse: no *.md files in '%s'\n", argv[1]);
    return 2;
  }
  size_t corpus = 0;
  for (size_t i = 0; i < nfiles; i++) corpus += files[i].len;
  size_t rounds = (target + corpus - 1) / corpus;
  size_t total = rounds * corpus;

  double best_parse = 1e9, best_memchr = 1e9, best_pcre = 1e9, best_classify = 1e9;
  gr_bitmap_impl impl = GR_BITMAP_BEST;
  size_t nodes = 0, newlines = 0, tokens = 0;

  pcre2_code *re;
  int errcode;
  PCRE2_SIZE erroff;
  /* Every token the parser looks for. */
  re = pcre2_compile((PCRE2_SPTR) "\\{\\{|\\}\\}|\\[\\[LLM:|\\]\\]|<</?REPEAT|\\^\\^/?CONDITION|"
                                   "@\\{/?example|</?critical_rule>|<!--|`+|^#{1,6} |^```|^~~~",
                     PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE, &errcode, &erroff, NULL);
  if (!re) {
    fprintf(stderr, "bench_parse: pcre2_compile failed (%d)\n", errcode);
    return 2;
  }
  int jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);

  for (int run = 0; run < 5; run++) {
    double t0 = now();
    size_t nn = 0;
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        gr_tree *t = gr_parse(files[i].text, files[i].len, NULL);
        nn += gr_tree_count(t);
        gr_tree_free(t);
      }
    double t1 = now();
    size_t nl = 0;
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        const char *p = files[i].text, *end = p + files[i].len;
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) nl++, p++;
      }
    double t2 = now();
    size_t tk = 0;
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        PCRE2_SIZE off = 0;
        PCRE2_SPTR s = (PCRE2_SPTR)files[i].text;
        while (off < files[i].len) {
          int rc = jit ? pcre2_jit_match(re, s, files[i].len, off, 0, md, NULL)
                       : pcre2_match(re, s, files[i].len, off, 0, md, NULL);
          if (rc < 0) break;
          PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
          tk++;
          off = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
        }
      }
    double t3 = now();
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        gr_bitmap b;
        impl = gr_bitmap_build(&b, files[i].text, (uint32_t)files[i].len, GR_BITMAP_BEST);
        gr_bitmap_free(&b);
      }
    double t4 = now();
    if (t4 - t3 < best_classify) best_classify = t4 - t3;
    if (t1 - t0 < best_parse) best_parse = t1 - t0;
    if (t2 - t1 < best_memchr) best_memchr = t2 - t1;
    if (t3 - t2 < best_pcre) best_pcre = t3 - t2;
    nodes = nn, newlines = nl, tokens = tk;
  }
  double mb = (double)total / 1e6;
  printf("corpus: %zu files, %.2f MB, repeated %zu times: %.1f MB\n", nfiles, corpus / 1e6,
         rounds, mb);
  printf("parse (gr_parse):        %8.1f MB/s  (%zu nodes)\n", mb / best_parse, nodes);
  printf("memchr newline count:    %8.1f MB/s  (%zu newlines)\n", mb / best_memchr, newlines);
  printf("pcre2%s token scan:    %8.1f MB/s  (%zu tokens, lexing only)\n", jit ? " jit" : "    ",
         mb / best_pcre, tokens);
  static const char *const impl_names[] = {"best", "bytes", "sse2", "avx2", "avx512"};
  printf("classify only (%-6s):   %8.1f MB/s  (the parse's first pass)\n", impl_names[impl],
         mb / best_classify);
  printf("parse / memchr:          %8.3f\n", best_memchr / best_parse);
  printf("parse / pcre2 scan:      %8.3f\n", best_pcre / best_parse);

  pcre2_match_data_free(md);
  pcre2_code_free(re);
  for (size_t i = 0; i < nfiles; i++) gr_free(files[i].text);
  gr_free(files);
  return 0;
}
