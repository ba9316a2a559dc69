/*
 * bench_yaml: the YAML front-end's throughput on a corpus of YAML
 * templates, repeated to at least 20 MB, beside libyaml's own event parse
 * of the same bytes (the floor: ytree is libyaml plus nodes, offsets and
 * copies) and a memchr pass counting newlines.
 *
 *   bench_yaml DIR [MB]
 *
 * Each figure is the best of 5 runs; reported, never asserted (make bench).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

#include "grammar/alloc.h"
#include "yaml/ytmpl.h"

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
    if (l < 6 || strcmp(e->d_name + l - 5, ".yaml") != 0) continue;
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

/* libyaml alone: every event of the file, up to its first error. */
static size_t libyaml_events(const char *text, size_t len) {
  yaml_parser_t p;
  yaml_event_t ev;
  size_t n = 0;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  for (;;) {
    if (!yaml_parser_parse(&p, &ev)) break;
    int end = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    n++;
    if (end) break;
  }
  yaml_parser_delete(&p);
  return n;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_yaml DIR [MB]\n");
    return 2;
  }
  size_t target = (size_t)(argc > 2 ? atof(argv[2]) : 20.0) * 1000 * 1000;
  file *files;
  size_t nfiles;
  if (load(argv[1], &files, &nfiles) != 0) {
    fprintf(stderr, "bench_yaml: no *.yaml files in '%s'\n", argv[1]);
    return 2;
  }
  size_t corpus = 0;
  for (size_t i = 0; i < nfiles; i++) corpus += files[i].len;
  size_t rounds = (target + corpus - 1) / corpus;
  double best_tree = 1e9, best_tmpl = 1e9, best_lib = 1e9, best_memchr = 1e9;
  size_t nodes = 0, sections = 0, events = 0, newlines = 0;
  for (int run = 0; run < 5; run++) {
    size_t nn = 0, ns = 0, ne = 0, nl = 0;
    double t0 = now();
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        yt_tree *t = yt_parse(files[i].text, files[i].len);
        nn += yt_tree_count(t);
        yt_tree_free(t);
      }
    double t1 = now();
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        yt_tmpl *tm = yt_tmpl_parse(files[i].text, files[i].len);
        ns += yt_tmpl_section_count(tm);
        yt_tmpl_free(tm);
      }
    double t2 = now();
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) ne += libyaml_events(files[i].text, files[i].len);
    double t3 = now();
    for (size_t r = 0; r < rounds; r++)
      for (size_t i = 0; i < nfiles; i++) {
        const char *p = files[i].text, *end = p + files[i].len;
        while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) nl++, p++;
      }
    double t4 = now();
    if (t1 - t0 < best_tree) best_tree = t1 - t0;
    if (t2 - t1 < best_tmpl) best_tmpl = t2 - t1;
    if (t3 - t2 < best_lib) best_lib = t3 - t2;
    if (t4 - t3 < best_memchr) best_memchr = t4 - t3;
    nodes = nn, sections = ns, events = ne, newlines = nl;
  }
  double mb = (double)(rounds * corpus) / 1e6;
  printf("yaml corpus: %zu files, %.2f MB, repeated %zu times: %.1f MB\n", nfiles, corpus / 1e6,
         rounds, mb);
  printf("yt_parse (tree):         %8.1f MB/s  (%zu nodes)\n", mb / best_tree, nodes);
  printf("yt_tmpl_parse (+ view):  %8.1f MB/s  (%zu sections, checks and vars)\n", mb / best_tmpl,
         sections);
  printf("libyaml events alone:    %8.1f MB/s  (%zu events)\n", mb / best_lib, events);
  printf("memchr newline count:    %8.1f MB/s  (%zu newlines)\n", mb / best_memchr, newlines);
  printf("tree / libyaml:          %8.3f\n", best_lib / best_tree);
  printf("view / libyaml:          %8.3f\n", best_lib / best_tmpl);
  for (size_t i = 0; i < nfiles; i++) gr_free(files[i].text);
  gr_free(files);
  return 0;
}
