/*
 * check.c: `tmpl-ls check`, the command-line checker for CI.
 *
 * Reads each file, parses it with the grammar, gathers its diagnostics
 * through server/features/diagnostics (the list the server publishes), and
 * prints them as text, JSON or SARIF 2.1.0. Lines and columns are 1-based,
 * columns in Unicode code points (SARIF says so with columnKind).
 */
#include "server/cli/check.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "server/cli/docs.h"
#include "server/features/diagnostics.h"
#include "server/model/scan.h"

#define TL_CHECK_MAX_FILES 100000u /* files one walk finds */
#define TL_CHECK_MAX_DEPTH 64u     /* folders deep */

typedef enum { TL_FMT_TEXT, TL_FMT_JSON, TL_FMT_SARIF } tl_format;
typedef enum { TL_AS_AUTO, TL_AS_TEMPLATE, TL_AS_DOCUMENT } tl_as;

typedef struct tl_check_opts {
  tl_format format;
  tl_as as;
  gr_severity fail_on;
  const char *root;
  const char *template_path;
} tl_check_opts;

typedef struct tl_check_file {
  char *path; /* as shown: what the user gave, joined with what a walk found */
  char *text;
  size_t len;
  gr_tree *tree;
  gr_lines *lines;
  tl_diags diags;
  int is_template;
  char *note; /* how its template was found, for documents (owned) */
} tl_check_file;

typedef GR_ARRAY(char *) tl_strings;

static const char check_usage[] =
    "usage: tmpl-ls check [options] [PATH...]\n"
    "\n"
    "Check templates (*-tmpl.md, *.tmpl.md) and documents written from them.\n"
    "A directory is searched for *.md; no PATH means the current directory;\n"
    "'-' reads standard input (as a template unless --as says otherwise).\n"
    "\n"
    "  --format text|json|sarif   output format (default text)\n"
    "  --as template|document     treat every file as this kind\n"
    "  --fail-on error|warning|information|hint\n"
    "                             lowest severity that fails the run (default error)\n"
    "  --root DIR                 workspace root for finding templates (default .)\n"
    "  --template FILE            check documents against this template\n"
    "  -h, --help                 this text\n"
    "\n"
    "Exit status: 0 when nothing reaches --fail-on, 1 when something does,\n"
    "2 on a usage or I/O error (the other files are still checked).\n";

/* ---- reading ------------------------------------------------------------ */

/* Read a whole file (or stdin for "-"). Returns 0, or -errno. */
static int tl__read(const char *path, char **text, size_t *len) {
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

static char *tl__join(const char *dir, const char *name) {
  if (strcmp(dir, ".") == 0) dir = ""; /* "docs/x.md", not "./docs/x.md" */
  size_t a = strlen(dir), b = strlen(name);
  int slash = a > 0 && dir[a - 1] != '/';
  char *p = gr_malloc(a + b + 2);
  memcpy(p, dir, a);
  if (slash) p[a] = '/';
  memcpy(p + a + slash, name, b + 1);
  return p;
}

/*
 * The Markdown files under `dir`, found by the same walker as the server's
 * workspace scan (tl_scan: .git, node_modules and build skipped, links to
 * folders not followed, bounded), sorted. Returns 0, or -1 after saying why.
 */
static int tl__walk(const char *dir, tl_strings *out) {
  tl_scan_options opts = {TL_CHECK_MAX_DEPTH, TL_CHECK_MAX_FILES};
  tl_scan_result *found = NULL;
  int err = tl_scan(dir, &opts, &found);
  if (err != 0) {
    fprintf(stderr, "tmpl-ls: cannot read directory '%s': %s\n", dir, tl_model_strerror(err));
    return -1;
  }
  for (size_t i = 0; i < found->len; i++) gr_array_push(out, tl__join(dir, found->items[i].path));
  if (found->truncated)
    fprintf(stderr, "tmpl-ls: '%s': stopped after %u files or %u folders deep\n", dir,
            TL_CHECK_MAX_FILES, TL_CHECK_MAX_DEPTH);
  tl_scan_free(found);
  return 0;
}

/* ---- output ------------------------------------------------------------- */

typedef struct tl__loc {
  uint32_t line, col, end_line, end_col; /* 1-based, end exclusive */
} tl__loc;

static tl__loc tl__locate(const tl_check_file *f, gr_span s) {
  gr_pos a = gr_lines_pos(f->lines, f->text, s.start, GR_UNIT_CODEPOINT);
  gr_pos b = gr_lines_pos(f->lines, f->text, s.end, GR_UNIT_CODEPOINT);
  tl__loc l = {a.line + 1, a.col + 1, b.line + 1, b.col + 1};
  return l;
}

static void tl__print_text(tl_check_file *files, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const tl_check_file *f = &files[i];
    for (size_t k = 0; k < f->diags.len; k++) {
      const tl_diag *d = &f->diags.items[k];
      tl__loc l = tl__locate(f, d->span);
      printf("%s:%u:%u: %s: %s [%s]\n", f->path, l.line, l.col, tl_severity_name(d->severity),
             d->message, d->code);
    }
  }
}

/* Append or say why not: a silent gap in a CI report would be worse. */
static void tl__append(json_t *arr, json_t *item) {
  if (!item) {
    fprintf(stderr, "tmpl-ls: internal error: a diagnostic could not be written as JSON\n");
    return;
  }
  json_array_append_new(arr, item);
}

static void tl__print_json(tl_check_file *files, size_t n) {
  json_t *arr = json_array();
  for (size_t i = 0; i < n; i++) {
    const tl_check_file *f = &files[i];
    char *file = gr_utf8_clean(f->path, strlen(f->path)); /* file names need not be UTF-8 */
    for (size_t k = 0; k < f->diags.len; k++) {
      const tl_diag *d = &f->diags.items[k];
      tl__loc l = tl__locate(f, d->span);
      tl__append(
          arr, json_pack("{s:s, s:i, s:i, s:i, s:i, s:s, s:s, s:s}", "file", file, "line",
                         (json_int_t)l.line, "column", (json_int_t)l.col, "endLine",
                         (json_int_t)l.end_line, "endColumn", (json_int_t)l.end_col, "severity",
                         tl_severity_name(d->severity), "code", d->code, "message", d->message));
    }
    gr_free(file);
  }
  json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(arr);
}

static const char *tl__sarif_level(gr_severity s) {
  return s == GR_SEV_ERROR ? "error" : s == GR_SEV_WARNING ? "warning" : "note";
}

/* A relative path as a SARIF URI reference: '/' separators, %-escapes. */
static char *tl__uri_ref(const char *path) {
  while (path[0] == '.' && path[1] == '/') path += 2;
  size_t n = strlen(path);
  char *u = gr_malloc(n * 3 + 1), *o = u;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)path[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
        strchr("-._~/", c)) {
      *o++ = (char)c;
    } else {
      o += sprintf(o, "%%%02X", c);
    }
  }
  *o = '\0';
  return u;
}

static void tl__print_sarif(tl_check_file *files, size_t n) {
  size_t ncodes;
  const tl_code_info *codes = tl_codes(&ncodes);
  json_t *rules = json_array();
  for (size_t i = 0; i < ncodes; i++)
    json_array_append_new(
        rules, json_pack("{s:s, s:{s:s}, s:{s:s}}", "id", codes[i].code, "shortDescription",
                         "text", codes[i].title, "defaultConfiguration", "level",
                         tl__sarif_level(codes[i].severity)));
  json_t *results = json_array();
  for (size_t i = 0; i < n; i++) {
    const tl_check_file *f = &files[i];
    char *uri = tl__uri_ref(f->path);
    for (size_t k = 0; k < f->diags.len; k++) {
      const tl_diag *d = &f->diags.items[k];
      tl__loc l = tl__locate(f, d->span);
      size_t rule = 0;
      while (rule < ncodes && strcmp(codes[rule].code, d->code) != 0) rule++;
      tl__append(
          results,
          json_pack("{s:s, s:i, s:s, s:{s:s}, s:[{s:{s:{s:s, s:s}, s:{s:i, s:i, s:i, s:i}}}]}",
                    "ruleId", d->code, "ruleIndex", (json_int_t)rule, "level",
                    tl__sarif_level(d->severity), "message", "text", d->message, "locations",
                    "physicalLocation", "artifactLocation", "uri", uri, "uriBaseId",
                    "%SRCROOT%", "region", "startLine", (json_int_t)l.line, "startColumn",
                    (json_int_t)l.col, "endLine", (json_int_t)l.end_line, "endColumn",
                    (json_int_t)l.end_col));
    }
    gr_free(uri);
  }
  json_t *sarif = json_pack(
      "{s:s, s:s, s:[{s:{s:{s:s, s:s, s:s, s:o}}, s:s, s:o}]}", "$schema",
      "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0", "runs", "tool",
      "driver", "name", "tmpl-ls", "version", TMPL_LS_VERSION, "informationUri",
      "https://github.com/tmpl-ls/tmpl-ls", "rules", rules, "columnKind", "unicodeCodePoints",
      "results", results);
  json_dumpf(sarif, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', stdout);
  json_decref(sarif);
}

/* ---- the command -------------------------------------------------------- */

static int tl__usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "tmpl-ls check: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\n\n%s", check_usage);
  return 2;
}

int tl_check_main(int argc, char **argv) {
  tl_check_opts o = {TL_FMT_TEXT, TL_AS_AUTO, GR_SEV_ERROR, ".", NULL};
  tl_strings inputs = {0};
  int status = 0, bad = 0;
  for (int i = 1; i < argc && !bad; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      fputs(check_usage, stdout);
      gr_array_free(&inputs);
      return 0;
    } else if (strcmp(a, "--format") == 0 && v) {
      if (strcmp(v, "text") == 0) o.format = TL_FMT_TEXT;
      else if (strcmp(v, "json") == 0) o.format = TL_FMT_JSON;
      else if (strcmp(v, "sarif") == 0) o.format = TL_FMT_SARIF;
      else bad = tl__usage_error("unknown format '%s'", v);
      i++;
    } else if (strcmp(a, "--as") == 0 && v) {
      if (strcmp(v, "template") == 0) o.as = TL_AS_TEMPLATE;
      else if (strcmp(v, "document") == 0) o.as = TL_AS_DOCUMENT;
      else bad = tl__usage_error("--as takes template or document, not '%s'", v);
      i++;
    } else if (strcmp(a, "--fail-on") == 0 && v) {
      if (tl_severity_parse(v, &o.fail_on) != 0)
        bad = tl__usage_error("unknown severity '%s'", v);
      i++;
    } else if (strcmp(a, "--root") == 0 && v) {
      o.root = v;
      i++;
    } else if (strcmp(a, "--template") == 0 && v) {
      o.template_path = v;
      i++;
    } else if (a[0] == '-' && a[1] != '\0') {
      bad = tl__usage_error("unknown or incomplete option '%s'", a);
    } else {
      gr_array_push(&inputs, (char *)a);
    }
  }
  if (bad) {
    gr_array_free(&inputs);
    return bad;
  }
  if (inputs.len == 0) gr_array_push(&inputs, ".");

  /* Expand directories. */
  tl_strings paths = {0};
  for (size_t i = 0; i < inputs.len; i++) {
    const char *p = inputs.items[i];
    struct stat st;
    if (strcmp(p, "-") != 0 && stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      if (tl__walk(p, &paths) != 0) status = 2;
    } else {
      gr_array_push(&paths, gr_strndup(p, strlen(p)));
    }
  }
  gr_array_free(&inputs);

  tl_check_docs docs;
  if (tl_check_docs_init(&docs, o.root, o.template_path) != 0) status = 2;

  tl_check_file *files = gr_calloc(paths.len ? paths.len : 1, sizeof *files);
  size_t nfiles = 0;
  for (size_t i = 0; i < paths.len; i++) {
    tl_check_file *f = &files[nfiles];
    int err = tl__read(paths.items[i], &f->text, &f->len);
    if (err) {
      fprintf(stderr, "tmpl-ls: cannot read '%s': %s\n", paths.items[i], strerror(-err));
      status = 2;
      gr_free(paths.items[i]);
      continue;
    }
    f->path = strcmp(paths.items[i], "-") == 0 ? gr_strndup("<stdin>", 7) : paths.items[i];
    if (f->path != paths.items[i]) gr_free(paths.items[i]);
    /* The same rule as the server's: see tl_check_docs_is_template. */
    f->is_template = o.as == TL_AS_TEMPLATE ||
                     (o.as == TL_AS_AUTO && (strcmp(f->path, "<stdin>") == 0 ||
                                             tl_check_docs_is_template(&docs, f->path)));
    f->tree = gr_parse(f->text, f->len, NULL);
    f->lines = gr_lines_new(f->text, f->len);
    if (f->is_template) tl_diags_from_tree(&f->diags, f->tree);
    else tl_check_docs_diagnose(&docs, f->path, f->text, f->len, f->tree, &f->diags, &f->note);
    tl_diags_sort(&f->diags);
    nfiles++;
  }
  gr_array_free(&paths);

  switch (o.format) {
    case TL_FMT_TEXT: tl__print_text(files, nfiles); break;
    case TL_FMT_JSON: tl__print_json(files, nfiles); break;
    case TL_FMT_SARIF: tl__print_sarif(files, nfiles); break;
  }

  fflush(stdout);
  size_t counts[5] = {0};
  int failed = 0;
  for (size_t i = 0; i < nfiles; i++) {
    tl_check_file *f = &files[i];
    for (size_t k = 0; k < f->diags.len; k++) {
      gr_severity sev = f->diags.items[k].severity;
      counts[sev >= GR_SEV_ERROR && sev <= GR_SEV_HINT ? sev : 0]++;
      if (sev <= o.fail_on) failed = 1;
    }
    /* Say which template each document was checked against, and why. */
    if (o.format == TL_FMT_TEXT && !f->is_template)
      fprintf(stderr, "%s: %s\n", f->path, f->note ? f->note : "no template found");
    tl_diags_free(&f->diags);
    gr_tree_free(f->tree);
    gr_lines_free(f->lines);
    gr_free(f->text);
    gr_free(f->path);
    gr_free(f->note);
  }
  gr_free(files);
  tl_check_docs_free(&docs);
  if (o.format == TL_FMT_TEXT)
    fprintf(stderr, "%zu file%s checked: %zu error%s, %zu warning%s, %zu information, %zu hint%s\n",
            nfiles, nfiles == 1 ? "" : "s", counts[1], counts[1] == 1 ? "" : "s", counts[2],
            counts[2] == 1 ? "" : "s", counts[3], counts[4], counts[4] == 1 ? "" : "s");
  if (status) return status;
  return failed ? 1 : 0;
}
