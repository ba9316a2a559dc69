/*
 * migrate.c: `tmpl-ls migrate [-o FILE] TEMPLATE`: reads a Markdown
 * template (or standard input for "-"), parses it, builds its model and
 * prints ft_migrate_yaml's text, or writes it to FILE.
 */
#include "server/cli/migrate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "server/features/migrate.h"
#include "server/model/template.h"

static const char migrate_usage[] =
    "usage: tmpl-ls migrate [-o FILE] TEMPLATE\n"
    "\n"
    "Write the Markdown template TEMPLATE (*-tmpl.md; '-' reads standard input)\n"
    "as a YAML template (*-tmpl.yaml), following the migration map of the\n"
    "method's spec: headings become nested sections, [[LLM: ]] instruction,\n"
    "<<REPEAT>> repeatable: true, ^^CONDITION: x^^ condition: x, @{example}\n"
    "examples, the rest of the text template.\n"
    "\n"
    "  -o, --output FILE          write the YAML to FILE (default: standard output)\n"
    "  -h, --help                 this text\n"
    "\n"
    "Exit status: 0 when the YAML was written, 2 on a usage or I/O error.\n";

static int tl_migrate__usage(const char *fmt, const char *arg) {
  fprintf(stderr, "tmpl-ls migrate: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n\n%s", migrate_usage);
  return 2;
}

/* Read a whole file (or stdin for "-"). Returns 0, or -errno. */
static int tl_migrate__read(const char *path, char **text, size_t *len) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) return -errno;
  size_t cap = 1 << 16, n = 0, r;
  char *buf = gr_malloc(cap);
  while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) buf = gr_realloc(buf, cap *= 2);
  }
  int err = ferror(f) ? -(errno ? errno : EIO) : 0;
  if (f != stdin) fclose(f);
  if (err) {
    gr_free(buf);
    return err;
  }
  *text = buf;
  *len = n;
  return 0;
}

int tl_migrate_main(int argc, char **argv) {
  const char *in = NULL, *out = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(migrate_usage, stdout);
      return 0;
    } else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
      if (i + 1 >= argc) return tl_migrate__usage("%s needs a file", a);
      out = argv[++i];
    } else if (strncmp(a, "--output=", 9) == 0) {
      out = a + 9;
    } else if (a[0] == '-' && a[1] != '\0') {
      return tl_migrate__usage("unknown option '%s'", a);
    } else if (in) {
      return tl_migrate__usage("one template at a time ('%s' is a second)", a);
    } else {
      in = a;
    }
  }
  if (!in) return tl_migrate__usage("%s", "which template?");
  size_t n_in = strlen(in);
  if ((n_in > 5 && strcmp(in + n_in - 5, ".yaml") == 0) || (n_in > 4 && strcmp(in + n_in - 4, ".yml") == 0))
    return tl_migrate__usage("'%s' is YAML already: migrate reads a Markdown template", in);

  char *text = NULL;
  size_t len = 0;
  int err = tl_migrate__read(in, &text, &len);
  if (err) {
    fprintf(stderr, "tmpl-ls migrate: %s: %s\n", in, strerror(-err));
    return 2;
  }
  gr_tree *tree = gr_parse(text, len, NULL);
  tl_template *t = tl_template_new(tree);
  size_t n = 0;
  char *yaml = ft_migrate_yaml(tree, t, strcmp(in, "-") == 0 ? NULL : in, &n);
  tl_template_free(t);
  gr_tree_free(tree);
  gr_free(text);

  int status = 0;
  FILE *f = out ? fopen(out, "wb") : stdout;
  if (!f) {
    fprintf(stderr, "tmpl-ls migrate: %s: %s\n", out, strerror(errno));
    status = 2;
  } else {
    int bad = fwrite(yaml, 1, n, f) != n;
    // cppcheck-suppress useClosedFile ; f is closed only when it is out's, else flushed
    bad |= out ? fclose(f) != 0 : fflush(f) != 0;
    if (bad) {
      fprintf(stderr, "tmpl-ls migrate: %s: %s\n", out ? out : "standard output", strerror(errno ? errno : EIO));
      status = 2;
    }
  }
  gr_free(yaml);
  return status;
}
