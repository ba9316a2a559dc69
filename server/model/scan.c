/*
 * scan.c: the blocking, bounded directory walk. Depth-first with an
 * explicit depth count (the depth limit bounds the recursion), lstat so
 * that links to folders are never entered, links to files followed only
 * when they resolve inside the root, results sorted at the end.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "server/model/scan.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grammar/alloc.h"
#include "server/model/source.h"
#include "server/model/fileio.h"

#define TL_SCAN__DEFAULT_DEPTH 16
#define TL_SCAN__DEFAULT_FILES 10000
#define TL_SCAN__MAX_LINKS_NAMED 64 /* skipped links named in the result; the rest are counted */

typedef struct tl_scan__walk {
  uint32_t max_depth, max_files;
  GR_ARRAY(tl_scan_entry) out;
  size_t templates;  /* of out */
  const char *root_real; /* the root, resolved: where links may lead */
  GR_ARRAY(char *) links; /* links skipped (their paths below the root) */
  size_t links_skipped;
  uint8_t truncated; /* some folder or file was left out */
  uint8_t full;      /* max_files reached: only templates are listed from there on */
  uint8_t stop;      /* the templates past max_files reached max_files too: the walk stops */
} tl_scan__walk;

tl_scan_kind tl_scan_classify(const char *relpath) {
  return tl_source_is_template(tl_source_kind_of_name(relpath, 1, NULL)) ? TL_SCAN_TEMPLATE : TL_SCAN_DOCUMENT;
}

/* Is a file of this name listed: a Markdown file, or a YAML file that may be a template? */
static int tl_scan__listed(const char *relpath) {
  return tl_source_kind_of_name(relpath, 1, NULL) != TL_SOURCE_OTHER;
}

/* A folder the walk never enters: name[0..n). */
static int tl_scan__skip_dir(const char *name, size_t n) {
  static const char *const skip[] = {".git", "node_modules", "build", ".", ".."};
  for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
    if (strlen(skip[i]) == n && memcmp(name, skip[i], n) == 0) return 1;
  return n == 0;
}

/* Folders on the way to relpath's last component, or -1 when one is skipped. */
static int tl_scan__depth(const char *relpath) {
  int depth = 0;
  if (relpath[0] == '/') return -1;
  for (const char *p = relpath, *slash; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
    if (tl_scan__skip_dir(p, (size_t)(slash - p))) return -1;
    depth++;
  }
  return depth;
}

int tl_scan_skips(const char *relpath) {
  const char *base = strrchr(relpath, '/');
  base = base ? base + 1 : relpath;
  return tl_scan__depth(relpath) < 0 || tl_scan__skip_dir(base, strlen(base));
}

int tl_scan_lists(const char *relpath, const tl_scan_options *opts) {
  uint32_t max_depth = opts && opts->max_depth ? opts->max_depth : TL_SCAN__DEFAULT_DEPTH;
  int depth = tl_scan__depth(relpath);
  return tl_scan__listed(relpath) && depth >= 0 && (uint32_t)depth <= max_depth;
}

static char *tl_scan__join(const char *a, const char *b) {
  size_t al = strlen(a), bl = strlen(b);
  char *s = gr_malloc(al + bl + 2);
  memcpy(s, a, al);
  size_t n = al;
  if (al && a[al - 1] != '/') s[n++] = '/';
  memcpy(s + n, b, bl + 1);
  return s;
}

/* A link to a file: does it resolve to a regular file inside the root? */
static int tl_scan__link_ok(const tl_scan__walk *w, const char *child) {
  char real[PATH_MAX];
  return w->root_real && realpath(child, real) && tl_file_is_inside(w->root_real, real);
}

static void tl_scan__skip_link(tl_scan__walk *w, char *crel) {
  w->links_skipped++;
  if (w->links.len < TL_SCAN__MAX_LINKS_NAMED) gr_array_push(&w->links, crel);
  else gr_free(crel);
}

/* A file found (Markdown, or YAML that may be a template): listed while there is room. Past max_files the
 * walk goes on for templates only (a document without its template is
 * checked wrongly; one left out is merely not checked), up to as many
 * again. */
static void tl_scan__found(tl_scan__walk *w, char *crel) {
  tl_scan_kind kind = tl_scan_classify(crel);
  if (w->out.len >= w->max_files) {
    w->truncated = w->full = 1;
    if (kind != TL_SCAN_TEMPLATE || w->templates >= w->max_files) {
      if (kind == TL_SCAN_TEMPLATE) w->stop = 1;
      gr_free(crel);
      return;
    }
  }
  tl_scan_entry e = {crel, kind};
  gr_array_push(&w->out, e);
  w->templates += kind == TL_SCAN_TEMPLATE;
}

/* Walk abs (the folder on disk) whose path below the root is rel ("" for the root). */
static void tl_scan__dir(tl_scan__walk *w, const char *abs, const char *rel, uint32_t depth) {
  DIR *d = opendir(abs);
  if (!d) return; /* unreadable subfolder: skipped */
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    const char *name = ent->d_name;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    if (w->stop) break;
    char *child = tl_scan__join(abs, name);
    char *crel = rel[0] ? tl_scan__join(rel, name) : gr_strndup(name, strlen(name));
    struct stat st;
    if (lstat(child, &st) == 0) {
      int is_link = S_ISLNK(st.st_mode);
      if (is_link && stat(child, &st) != 0) memset(&st, 0, sizeof st);
      if (S_ISDIR(st.st_mode) && !is_link) {
        if (tl_scan__skip_dir(name, strlen(name))) {
          /* skipped on purpose */
        } else if (depth + 1 > w->max_depth) {
          w->truncated = 1;
        } else {
          tl_scan__dir(w, child, crel, depth + 1);
        }
      } else if (S_ISREG(st.st_mode) && tl_scan__listed(crel)) {
        if (is_link && !tl_scan__link_ok(w, child)) tl_scan__skip_link(w, crel);
        else tl_scan__found(w, crel);
        crel = NULL; /* now owned by the result */
      }
    }
    gr_free(child);
    gr_free(crel);
  }
  closedir(d);
}

static int tl_scan__cmp(const void *a, const void *b) {
  return strcmp(((const tl_scan_entry *)a)->path, ((const tl_scan_entry *)b)->path);
}

int tl_scan(const char *root, const tl_scan_options *opts, tl_scan_result **out) {
  *out = NULL;
  struct stat st;
  if (stat(root, &st) != 0) return TL_EIO;
  if (!S_ISDIR(st.st_mode)) return TL_ENOTDIR;
  DIR *probe = opendir(root);
  if (!probe) return TL_EIO;
  closedir(probe);
  tl_scan__walk w;
  memset(&w, 0, sizeof w);
  w.max_depth = opts && opts->max_depth ? opts->max_depth : TL_SCAN__DEFAULT_DEPTH;
  w.max_files = opts && opts->max_files ? opts->max_files : TL_SCAN__DEFAULT_FILES;
  char real[PATH_MAX];
  w.root_real = realpath(root, real);
  tl_scan__dir(&w, root, "", 0);
  if (w.out.len > 1) qsort(w.out.items, w.out.len, sizeof w.out.items[0], tl_scan__cmp);
  tl_scan_result *r = gr_malloc(sizeof *r);
  r->items = w.out.items;
  r->len = w.out.len;
  r->truncated = w.truncated;
  r->links = w.links.items;
  r->nlinks = w.links.len;
  r->links_skipped = w.links_skipped;
  *out = r;
  return 0;
}

void tl_scan_free(tl_scan_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->len; i++) gr_free(r->items[i].path);
  gr_free(r->items);
  for (size_t i = 0; i < r->nlinks; i++) gr_free(r->links[i]);
  gr_free(r->links);
  gr_free(r);
}
