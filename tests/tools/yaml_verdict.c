/*
 * yaml_verdict.c: what the YAML front-end (yaml/ytmpl.h) makes of files.
 *
 *   yaml_verdict FILE...
 *
 * Prints one line a file, "clean FILE" when it is a template (a mapping
 * with template: and sections:) with no error or warning, else "broken
 * FILE" and its first such diagnostic. tests/schema/validate.py --verdict
 * front reads it. Exit status 2 when a file cannot be read, else 0.
 */
#include <stdio.h>

#include "grammar/alloc.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

int main(int argc, char **argv) {
  int status = 0;
  for (int a = 1; a < argc; a++) {
    size_t len = 0;
    char *text = ts_slurp(argv[a], &len);
    if (!text) {
      fprintf(stderr, "yaml_verdict: cannot read %s\n", argv[a]);
      status = 2;
      continue;
    }
    yt_tmpl *tm = yt_tmpl_parse(text, len);
    const yt_diag *first = NULL;
    for (uint32_t i = 0; i < yt_tmpl_diag_count(tm) && !first; i++) {
      const yt_diag *d = yt_tmpl_diag(tm, i);
      if (d->severity <= GR_SEV_WARNING) first = d;
    }
    if (!yt_tmpl_is_template(tm)) printf("broken %s: not a template\n", argv[a]);
    else if (first) printf("broken %s: %u: %s\n", argv[a], first->span.start, first->message);
    else printf("clean %s\n", argv[a]);
    yt_tmpl_free(tm);
    gr_free(text);
  }
  return status;
}
