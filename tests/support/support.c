#include "tests/support/support.h"

const gr_options ts_document = {0, 0, GR_MODE_DOCUMENT};

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

char *ts_slurp(const char *path, size_t *len) {
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = gr_malloc(cap + 1);
  while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = gr_realloc(buf, (cap *= 2) + 1);
  }
  if (f != stdin) fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
}

void ts_print_diags(FILE *out, const char *name, const char *text, size_t len,
                    const gr_tree *tree) {
  gr_lines *lines = gr_lines_new(text, len);
  for (uint32_t k = 0; k < gr_tree_diag_count(tree); k++) {
    const gr_diag *d = gr_tree_diag(tree, k);
    gr_pos p = gr_lines_pos(lines, text, d->span.start, GR_UNIT_CODEPOINT);
    fprintf(out, "%s:%u:%u: %s: %s\n", name, p.line + 1, p.col + 1, gr_diag_code_name(d->code),
            d->message);
  }
  gr_lines_free(lines);
}

static char *ts__capture(void (*fn)(FILE *, void *), void *arg) {
  char *buf = NULL;
  size_t size = 0;
  FILE *mem = open_memstream(&buf, &size);
  fn(mem, arg);
  fclose(mem);
  char *copy = gr_strndup(buf, size);
  free(buf);
  return copy;
}

typedef struct {
  const char *name, *text;
  size_t len;
} ts__args;

static void ts__diags_fn(FILE *out, void *arg) {
  ts__args *a = arg;
  gr_tree *tree = gr_parse(a->text, a->len, NULL);
  ts_print_diags(out, a->name, a->text, a->len, tree);
  gr_tree_free(tree);
}

static void ts__dump_fn(FILE *out, void *arg) {
  ts__args *a = arg;
  gr_tree *tree = gr_parse(a->text, a->len, NULL);
  gr_tree_dump(tree, out);
  gr_tree_free(tree);
}

char *ts_diags_string(const char *name, const char *text, size_t len) {
  ts__args a = {name, text, len};
  return ts__capture(ts__diags_fn, &a);
}

static void ts__tree_fn(FILE *out, void *arg) { gr_tree_dump(arg, out); }

char *ts_tree_string(const gr_tree *tree) { return ts__capture(ts__tree_fn, (void *)tree); }

char *ts_dump_string(const char *text, size_t len) {
  ts__args a = {NULL, text, len};
  return ts__capture(ts__dump_fn, &a);
}

int ts_run(char *const argv[], const char *input, char **out, char **err) {
  int in[2], o[2], e[2];
  if (pipe(in) || pipe(o) || pipe(e)) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(in[0], 0), dup2(o[1], 1), dup2(e[1], 2);
    close(in[0]), close(in[1]), close(o[0]), close(o[1]), close(e[0]), close(e[1]);
    execv(argv[0], argv);
    _exit(127);
  }
  close(in[0]), close(o[1]), close(e[1]);
  signal(SIGPIPE, SIG_IGN);
  size_t ilen = input ? strlen(input) : 0, ioff = 0;
  if (!ilen) close(in[1]), in[1] = -1;
  GR_ARRAY(char) bufs[2] = {{0}, {0}};
  int fds[2] = {o[0], e[0]};
  while (fds[0] >= 0 || fds[1] >= 0) {
    struct pollfd p[3];
    int n = 0;
    for (int k = 0; k < 2; k++) p[n].fd = fds[k], p[n].events = POLLIN, p[n].revents = 0, n++;
    p[n].fd = in[1], p[n].events = POLLOUT, p[n].revents = 0, n++;
    if (poll(p, (nfds_t)n, 10000) <= 0) break;
    for (int k = 0; k < 2; k++) {
      if (fds[k] < 0 || !(p[k].revents & (POLLIN | POLLHUP))) continue;
      gr_array_reserve(&bufs[k], 4096);
      ssize_t r = read(fds[k], bufs[k].items + bufs[k].len, 4096);
      if (r <= 0) close(fds[k]), fds[k] = -1;
      else bufs[k].len += (size_t)r;
    }
    if (in[1] >= 0 && (p[2].revents & (POLLOUT | POLLERR))) {
      ssize_t w = write(in[1], input + ioff, ilen - ioff);
      if (w > 0) ioff += (size_t)w;
      if (w <= 0 || ioff == ilen) close(in[1]), in[1] = -1;
    }
  }
  if (in[1] >= 0) close(in[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  for (int k = 0; k < 2; k++) {
    char *s = gr_strndup(bufs[k].items ? bufs[k].items : "", bufs[k].len);
    gr_array_free(&bufs[k]);
    if (k == 0) *out = s;
    else *err = s;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

char *ts_binary_beside(const char *argv0) {
  const char *t = strstr(argv0, "/tests/");
  size_t n = t ? (size_t)(t - argv0) : 0;
  char *p = gr_malloc(n + 16);
  memcpy(p, argv0, n);
  strcpy(p + n, n ? "/tmpl-ls" : "tmpl-ls");
  return p;
}
