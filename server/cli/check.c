/*
 * check.c: `tmpl-ls check`, the command-line checker for CI.
 *
 * Reads each file, parses it with the grammar, gathers its diagnostics
 * through server/features/diagnostics (the list the server publishes), and
 * prints them as text, JSON or SARIF 2.1.0. Lines and columns are 1-based,
 * columns in Unicode code points (SARIF says so with columnKind). Files are
 * checked by --jobs threads (the templates are shared, read-only) and
 * printed in the order they were given and found, whatever the threads did.
 */
#include "server/cli/check.h"

#include <errno.h>
#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <uv.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "server/cli/docs.h"
#include "server/features/diagnostics.h"
#include "server/features/suppress.h"
#include "server/model/fileio.h"
#include "server/model/scan.h"

#define TL_CHECK_MAX_FILES 100000u /* files one walk finds */
#define TL_CHECK_MAX_DEPTH 64u     /* folders deep */
#define TL_CHECK_MAX_JOBS 64u      /* threads */

typedef enum { TL_FMT_TEXT, TL_FMT_JSON, TL_FMT_SARIF } tl_format;
typedef enum { TL_AS_AUTO, TL_AS_TEMPLATE, TL_AS_DOCUMENT } tl_as;

typedef struct tl_check_opts {
  tl_format format;
  tl_as as;
  gr_severity fail_on;
  const char *root;
  const char *template_path;
  unsigned jobs; /* threads; 0: the machine's (at most 16) */
} tl_check_opts;

/* Where a diagnostic is: 1-based lines and code-point columns, end exclusive. */
typedef struct tl__loc {
  uint32_t line, col, end_line, end_col;
} tl__loc;

/* A file once checked: its text, tree and line index are gone by then. */
typedef struct tl_check_file {
  char *path; /* as shown: what the user gave, joined with what a walk found */
  tl_diags diags;
  tl__loc *locs; /* locs[k] for diags.items[k] */
  int is_template;
  int ignored; /* YAML that is no template: never a diagnostic */
  char *note; /* how its template was found, for documents (owned) */
  int err;    /* 0, or a tl_file_read error: it could not be read (and is not reported) */
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
    "  --root DIR                 workspace root for finding templates and\n"
    "                             .tmpl-ls.json (default .)\n"
    "  --template FILE            check documents against this template\n"
    "  -j, --jobs N               check N files at a time (default: one per core)\n"
    "  -h, --help                 this text\n"
    "\n"
    "Files are read as the server reads them: regular files only, up to 32 MiB\n"
    "(templates found under --root: 4 MiB); a link found in a directory is\n"
    "followed only to a file inside that directory.\n"
    "\n"
    "Exit status: 0 when nothing reaches --fail-on, 1 when something does,\n"
    "2 on a usage or I/O error, or a file that is not read (the other files\n"
    "are still checked).\n";

/* ---- checking, in parallel ---------------------------------------------- */

typedef struct tl__work {
  tl_check_file *files; /* files[i] for paths[i] */
  char **paths;         /* taken into files[i].path */
  size_t n;
  atomic_size_t next;   /* the next file to take */
  const tl_check_opts *o;
  tl_check_docs *docs;  /* read-only while the threads run */
} tl__work;

static void tl__locate_all(tl_check_file *f, const char *text, const gr_lines *lines);

static void tl__check_one(tl__work *w, size_t i) {
  tl_check_file *f = &w->files[i];
  char *given = w->paths[i], *text = NULL;
  size_t len = 0;
  /* The limits of the server's open documents: regular files (a FIFO or a
   * device would block or never end), at most 32 MiB. */
  if (strcmp(given, "-") == 0) f->err = tl_file_read_fd(0, TL_FILE_MAX_DOCUMENT_BYTES, &text, &len);
  else f->err = tl_file_read(given, &(tl_file_opts){TL_FILE_MAX_DOCUMENT_BYTES, NULL}, &text, &len);
  if (strcmp(given, "-") == 0) {
    f->path = gr_strndup("<stdin>", 7);
    gr_free(given);
  } else {
    f->path = given;
  }
  if (f->err) return;
  /* The same rule as the server's: see tl_check_docs_kind (server/model/source.h). */
  int yaml = tl_source_is_yaml_name(f->path);
  tl_source_kind kind = tl_check_docs_kind(w->docs, f->path, text, len);
  if (w->o->as == TL_AS_TEMPLATE || (w->o->as == TL_AS_AUTO && strcmp(f->path, "<stdin>") == 0))
    kind = yaml ? TL_SOURCE_YAML_TEMPLATE : TL_SOURCE_MD_TEMPLATE;
  else if (w->o->as != TL_AS_AUTO)
    kind = TL_SOURCE_DOCUMENT;
  f->is_template = tl_source_is_template(kind);
  f->ignored = kind == TL_SOURCE_OTHER && yaml;
  /* A YAML template (or a stranger's YAML) has no Markdown; anything else
   * named on the command line (PLAN.MD, notes.markdown, plan.txt) is read
   * as Markdown, a template as text, a document as CommonMark renders it
   * (--as document on a .yaml file reads it as Markdown too). */
  int markdown = !yaml || kind == TL_SOURCE_MD_TEMPLATE || kind == TL_SOURCE_DOCUMENT;
  gr_options mode = {0, 0, f->is_template ? GR_MODE_TEMPLATE : GR_MODE_DOCUMENT};
  gr_tree *tree = gr_parse(markdown ? text : "", markdown ? len : 0, &mode);
  if (kind == TL_SOURCE_YAML_TEMPLATE) tl_diags_from_yaml(&f->diags, text, len);
  else if (f->is_template) tl_diags_from_tree(&f->diags, tree);
  else if (!f->ignored) tl_check_docs_diagnose(w->docs, f->path, text, len, tree, &f->diags, &f->note);
  tl_suppress(&f->diags, tree); /* sorts too */
  tl_settings_apply(tl_check_docs_settings(w->docs), &f->diags);
  gr_lines *lines = gr_lines_new(text, len);
  tl__locate_all(f, text, lines);
  gr_lines_free(lines);
  gr_tree_free(tree);
  gr_free(text);
}

static void tl__worker(void *arg) {
  tl__work *w = arg;
  for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n;) tl__check_one(w, i);
}

/* Check every file with up to `jobs` threads (this one among them). */
static void tl__check_all(tl__work *w, unsigned jobs) {
  uv_thread_t threads[TL_CHECK_MAX_JOBS];
  unsigned started = 0;
  while (started + 1 < jobs && started + 1 < w->n) {
    if (uv_thread_create(&threads[started], tl__worker, w) != 0) break; /* fewer threads, same result */
    started++;
  }
  tl__worker(w);
  for (unsigned k = 0; k < started; k++) uv_thread_join(&threads[k]);
}

/* ---- reading ------------------------------------------------------------ */

/*
 * A file name for a line of text output: control characters (a newline
 * would forge a line in a CI log) as \xHH. A new string.
 */
char *tl_check_name(const char *path) {
  size_t n = strlen(path), k = 0;
  char *out = gr_malloc(4 * n + 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)path[i];
    if (c < 0x20 || c == 0x7f) k += (size_t)sprintf(out + k, "\\x%02X", c);
    else out[k++] = (char)c;
  }
  out[k] = '\0';
  return out;
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
  char *shown = tl_check_name(dir);
  if (err != 0) {
    fprintf(stderr, "tmpl-ls: cannot read directory '%s': %s\n", shown, tl_model_strerror(err));
    gr_free(shown);
    return -1;
  }
  for (size_t i = 0; i < found->len; i++) gr_array_push(out, tl__join(dir, found->items[i].path));
  if (found->truncated)
    fprintf(stderr, "tmpl-ls: '%s': stopped after %u files or %u folders deep; some files are not checked\n",
            shown, TL_CHECK_MAX_FILES, TL_CHECK_MAX_DEPTH);
  tl_check_say_links(found, dir);
  tl_scan_free(found);
  gr_free(shown);
  return 0;
}

/* ---- output ------------------------------------------------------------- */

/* An offset to convert, and where its answer goes. */
typedef struct tl__spot {
  uint32_t offset;
  uint32_t *line, *col;
} tl__spot;

static int tl__spot_cmp(const void *a, const void *b) {
  uint32_t x = ((const tl__spot *)a)->offset, y = ((const tl__spot *)b)->offset;
  return x < y ? -1 : x > y;
}

/*
 * Every diagnostic's start and end as lines and code-point columns, in one
 * walk over the text in offset order (so that many diagnostics on one long
 * line cost the line once, not once each). The columns are those of
 * gr_lines_pos in code points: an offset inside a character is its start.
 */
static void tl__locate_all(tl_check_file *f, const char *text, const gr_lines *lines) {
  size_t n = f->diags.len;
  f->locs = gr_calloc(n ? n : 1, sizeof *f->locs);
  tl__spot *spots = gr_malloc((2 * n + 1) * sizeof *spots);
  for (size_t k = 0; k < n; k++) {
    tl__loc *l = &f->locs[k];
    spots[2 * k] = (tl__spot){f->diags.items[k].span.start, &l->line, &l->col};
    spots[2 * k + 1] = (tl__spot){f->diags.items[k].span.end, &l->end_line, &l->end_col};
  }
  qsort(spots, 2 * n, sizeof *spots, tl__spot_cmp);
  uint32_t line = UINT32_MAX, col = 0;
  size_t i = 0, end = 0;
  for (size_t k = 0; k < 2 * n; k++) {
    size_t off = spots[k].offset;
    uint32_t at = gr_lines_line_of(lines, off);
    if (at != line || off < i) { /* a new line: count from its start */
      line = at;
      i = gr_lines_start(lines, at);
      end = gr_lines_end(lines, text, at);
      col = 0;
    }
    if (off > end) off = end; /* inside the terminator */
    while (i < off) {
      uint32_t cp;
      size_t step = gr_utf8_decode(text, end, i, &cp);
      if (i + step > off) break; /* inside a character */
      col++;
      i += step;
    }
    *spots[k].line = line + 1;
    *spots[k].col = col + 1;
  }
  gr_free(spots);
}

static void tl__print_text(tl_check_file *files, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const tl_check_file *f = &files[i];
    char *shown = tl_check_name(f->path);
    for (size_t k = 0; k < f->diags.len; k++) {
      const tl_diag *d = &f->diags.items[k];
      tl__loc l = f->locs[k];
      printf("%s:%u:%u: %s: %s [%s]\n", shown, l.line, l.col, tl_severity_name(d->severity),
             d->message, d->code);
    }
    gr_free(shown);
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
      tl__loc l = f->locs[k];
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
      tl__loc l = f->locs[k];
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
  tl_check_opts o = {TL_FMT_TEXT, TL_AS_AUTO, GR_SEV_ERROR, ".", NULL, 0};
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
    } else if ((strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) && v) {
      char *end;
      long n = strtol(v, &end, 10);
      if (*end || n < 1 || n > (long)TL_CHECK_MAX_JOBS)
        bad = tl__usage_error("--jobs takes a number of threads from 1 to 64, not '%s'", v);
      o.jobs = (unsigned)n;
      i++;
    } else if (a[0] == '-' && a[1] != '\0') {
      bad = tl__usage_error("unknown or incomplete option '%s'", a);
    } else {
      gr_array_push(&inputs, (char *)a);
    }
  }
  size_t stdins = 0;
  for (size_t i = 0; i < inputs.len; i++) stdins += strcmp(inputs.items[i], "-") == 0;
  if (!bad && stdins > 1) bad = tl__usage_error("'%s' (standard input) can be given once", "-");
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
  tl__work work = {files, paths.items, paths.len, 0, &o, &docs};
  unsigned jobs = o.jobs ? o.jobs : (unsigned)uv_available_parallelism();
  tl__check_all(&work, jobs < 1 ? 1 : jobs > 16 && !o.jobs ? 16 : jobs);
  gr_array_free(&paths); /* each path is now its file's */
  /* Files that could not be read: said in order, then left out. */
  size_t nfiles = 0;
  for (size_t i = 0; i < work.n; i++) {
    if (files[i].err) {
      char *shown = tl_check_name(files[i].path);
      fprintf(stderr, "tmpl-ls: cannot read '%s': %s%s\n", shown, tl_file_strerror(files[i].err),
              files[i].err == TL_ETOOBIG ? " (32 MiB); not checked" : files[i].err == TL_ENOTREG ? "; not checked" : "");
      gr_free(shown);
      status = 2;
      gr_free(files[i].path);
      continue;
    }
    files[nfiles++] = files[i];
  }

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
    if (o.format == TL_FMT_TEXT && !f->is_template && !f->ignored) {
      char *shown = tl_check_name(f->path);
      fprintf(stderr, "%s: %s\n", shown, f->note ? f->note : "no template found");
      gr_free(shown);
    }
    tl_diags_free(&f->diags);
    gr_free(f->locs);
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
