/*
 * test_wsindex.c: server/lsp/wsindex.c, the workspace index, over a
 * temporary folder: where URIs land, the scan job, open templates over
 * their disk copies (edit, save, close), views of documents by each rule,
 * re-publication marks, file name resolution, the limits; and the scan
 * seam of the session run synchronously.
 */
#define _XOPEN_SOURCE 700 /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "protocol/frame.h"
#include "server/lsp/session.h"
#include "server/lsp/wsindex.h"

/* ---- a temporary workspace ---------------------------------------------- */

typedef struct fixture {
  char root[64];
  char uri[128];
  tl_docs *docs;
  tl_wsi *wsi;
} fixture;

static void write_file(const char *root, const char *rel, const char *text) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", root, rel);
  /* make the folders on the way */
  for (char *p = path + strlen(root) + 1; *p; p++)
    if (*p == '/') {
      *p = '\0';
      mkdir(path, 0700);
      *p = '/';
    }
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(text, 1, strlen(text), f);
  fclose(f);
}

static void remove_tree(const char *root) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
  assert_int_equal(system(cmd), 0);
}

#define BRIEF_TMPL                                   \
  "# {{Service Name}} Service Brief\n\n"             \
  "[[LLM: Read `ops-checklist.md` first.\n\n"        \
  "Output file location: `docs/brief.md`]]\n\n"     \
  "## Purpose\n\n[[LLM: what it does.]]\n\n"        \
  "Owner: {{owner}}\n\n"                             \
  "## Operations\n\nSee ops-checklist.md.\n"

#define RUNBOOK_TMPL "# {{Service Name}} Runbook\n\n## Alerts\n\n## Escalation\n\n## Dashboards\n"

static int setup(void **state) {
  fixture *fx = gr_calloc(1, sizeof *fx);
  snprintf(fx->root, sizeof fx->root, "/tmp/tl-wsi-XXXXXX");
  assert_non_null(mkdtemp(fx->root));
  snprintf(fx->uri, sizeof fx->uri, "file://%s", fx->root);
  write_file(fx->root, "templates/brief-tmpl.md", BRIEF_TMPL);
  write_file(fx->root, "templates/runbook-tmpl.md", RUNBOOK_TMPL);
  write_file(fx->root, "ops-checklist.md", "# Ops\n");
  write_file(fx->root, "guides/ops/ops-checklist.md", "# Ops (old)\n");
  write_file(fx->root, "notes/readme.md", "# Notes\n");
  fx->docs = tl_docs_new();
  fx->wsi = tl_wsi_new(fx->docs);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture *fx = *state;
  tl_wsi_free(fx->wsi);
  tl_docs_free(fx->docs);
  remove_tree(fx->root);
  gr_free(fx);
  return 0;
}

/* Add the fixture's root and run its scan to the end. */
static void scan(fixture *fx) {
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  assert_true(tl_wsi_busy(fx->wsi));
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  assert_non_null(job);
  assert_null(tl_wsi_take_job(fx->wsi));
  assert_true(tl_wsi_busy(fx->wsi)); /* out, not back yet */
  tl_wsi_job_run(job);
  char *note = (char *)"x";
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, &note), 2);
  assert_null(note);
  assert_false(tl_wsi_busy(fx->wsi));
}

/* A URI under the fixture's root (static buffer). */
static const char *uri_of(const fixture *fx, const char *rel) {
  static char buf[4][256];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", fx->uri, rel);
  return buf[k];
}

static tl_doc *open_doc(fixture *fx, const char *rel, const char *text) {
  return tl_docs_open(fx->docs, uri_of(fx, rel), text, strlen(text), 1);
}

static const char *ws_text(const tl_wsi_view *v, const char *path) {
  uint32_t i = tl_workspace_find(v->ws, path);
  assert_int_not_equal(i, TL_NONE);
  size_t len;
  return tl_workspace_text(v->ws, i, &len);
}

/* ---- where URIs land ---------------------------------------------------- */

static void test_wsindex_locate(void **state) {
  fixture *fx = *state;
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "file:///w/proj"), 0);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "file:///w/proj/sub/"), 0); /* nested: the longer root wins */
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "/w/other/./x/.."), 0);     /* rootPath, folded */
  static const struct {
    const char *uri, *root, *key;
  } cases[] = {
      {"file:///w/proj/docs/a.md", "/w/proj", "docs/a.md"},
      {"file:///w/proj/docs/a%20b.md?x=1#f", "/w/proj", "docs/a b.md"},
      {"file://host/w/proj/a.md", "/w/proj", "a.md"},
      {"file:///w/proj/sub/b.md", "/w/proj/sub", "b.md"},
      {"file:///w/projection/c.md", "", "/w/projection/c.md"},
      {"file:///w/other/d.md", "/w/other", "d.md"},
      {"untitled:Untitled-1", "", "untitled:Untitled-1"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_doc *d = tl_docs_open(fx->docs, cases[i].uri, "# X\n", 4, 1);
    tl_wsi_view v;
    assert_int_equal(tl_wsi_view_of(fx->wsi, d, &v), 0);
    assert_string_equal(tl_wsi_folder_root(v.folder), cases[i].root);
    assert_string_equal(v.path, cases[i].key);
    assert_false(v.is_template);
    assert_int_equal(v.tmpl, TL_NONE);
    assert_non_null(v.assoc);
    assert_int_equal(v.assoc->rule, TL_ASSOC_NONE);
    assert_non_null(v.document);
  }
  tl_wsi_view v;
  assert_int_equal(tl_wsi_view_of(fx->wsi, NULL, &v), TL_EINVAL);
}

static void test_wsindex_add_folder_errors(void **state) {
  fixture *fx = *state;
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "relative/path"), TL_EINVAL);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "https://example.com/x"), TL_EINVAL);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, NULL), TL_EINVAL);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "file:///a"), 0);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "/a/"), TL_EINVAL); /* the same folder */
  char buf[32];
  for (int i = 1; i < TL_WSI_MAX_FOLDERS; i++) {
    snprintf(buf, sizeof buf, "/f%d", i);
    assert_int_equal(tl_wsi_add_folder(fx->wsi, buf), 0);
  }
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "/one-too-many"), TL_ENOENT);
  /* Jobs that never run, and the index freed with jobs still queued. */
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  assert_string_equal(tl_wsi_job_root(job), "/a");
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, NULL), 0); /* not run: nothing merged */
  job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_free(job);
}

/* ---- the scan ----------------------------------------------------------- */

static void test_wsindex_scan(void **state) {
  fixture *fx = *state;
  uint64_t g0 = tl_wsi_generation(fx->wsi);
  scan(fx);
  assert_true(tl_wsi_generation(fx->wsi) > g0);
  tl_doc *d = open_doc(fx, "notes/x.md", "# X\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, d, &v);
  assert_string_equal(tl_wsi_folder_root(v.folder), fx->root);
  assert_int_equal(tl_workspace_count(v.ws), 2);
  assert_string_equal(tl_workspace_path(v.ws, 0), "templates/brief-tmpl.md");
  assert_string_equal(tl_workspace_path(v.ws, 1), "templates/runbook-tmpl.md");
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), RUNBOOK_TMPL);
  assert_string_equal(tl_wsi_folder_uri(v.folder, 1), uri_of(fx, "templates/runbook-tmpl.md"));
  assert_null(tl_wsi_folder_uri(v.folder, 2));
  assert_false(tl_wsi_folder_is_open(v.folder, 0));
  lsp_text t = tl_wsi_folder_text(v.folder, 1, LSP_POS_UTF16);
  assert_int_equal(t.len, strlen(RUNBOOK_TMPL));
  assert_non_null(t.lines);
  assert_int_equal(lsp_pos_at(&t, strlen("# {{Service Name}} Runbook\n\n")).line, 2);

  tl_wsi_saved(fx->wsi, d); /* a document: ignored */
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), TL_EINVAL); /* there already */
  assert_null(tl_wsi_take_job(fx->wsi));
}

static void test_wsindex_rescan_and_missing_root(void **state) {
  fixture *fx = *state;
  assert_int_equal(tl_wsi_add_folder(fx->wsi, "file:///no/such/folder/anywhere"), 0);
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(job);
  char *note = NULL;
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, &note), 0);
  assert_string_equal(note, "the folder cannot be read");
  gr_free(note);
  assert_false(tl_wsi_busy(fx->wsi));
}

/* ---- open templates over their disk copies ------------------------------ */

static void test_wsindex_open_overrides_disk(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *doc = open_doc(fx, "notes/x.md", "# X\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  tl_wsi_folder *f = v.folder;

  /* Opening with the disk's text changes nothing. */
  uint64_t g = tl_wsi_generation(fx->wsi);
  tl_doc *t = open_doc(fx, "templates/runbook-tmpl.md", RUNBOOK_TMPL);
  assert_int_equal(tl_wsi_generation(fx->wsi), g);
  assert_true(tl_wsi_folder_is_open(f, 1));

  /* An edit is seen at once; the open URI is the template's URI. */
  tl_doc_edit(t, 0, 0, "<!-- x -->\n", 11);
  assert_true(tl_wsi_generation(fx->wsi) > g);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), "<!-- x -->\n" RUNBOOK_TMPL);
  tl_wsi_view tv;
  tl_wsi_view_of(fx->wsi, t, &tv);
  assert_true(tv.is_template);
  assert_int_equal(tv.tmpl, 1);
  assert_string_equal(tv.tmpl_path, "templates/runbook-tmpl.md");
  assert_string_equal(tv.tmpl_uri, tl_doc_uri(t));
  assert_null(tv.assoc);
  assert_null(tv.document);
  assert_non_null(tv.tmpl_model);

  /* Closed unsaved: the disk copy comes back. */
  tl_docs_close(fx->docs, t);
  g = tl_wsi_generation(fx->wsi);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), RUNBOOK_TMPL);
  assert_false(tl_wsi_folder_is_open(f, 1));

  /* Edited, saved, closed: the saved text stays. */
  t = open_doc(fx, "templates/runbook-tmpl.md", RUNBOOK_TMPL);
  tl_doc_edit(t, 0, 0, "<!-- saved -->\n", 15);
  tl_wsi_saved(fx->wsi, t);
  tl_docs_close(fx->docs, t);
  assert_true(tl_wsi_generation(fx->wsi) > g);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), "<!-- saved -->\n" RUNBOOK_TMPL);

  /* A template that is not on disk comes with its document and goes with it. */
  t = open_doc(fx, "drafts/new-tmpl.md", "# New\n");
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 3);
  assert_string_equal(tl_workspace_path(v.ws, 2), "drafts/new-tmpl.md");
  tl_docs_close(fx->docs, t);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 2);

  /* Saved, it is on disk for the index too: it stays after closing. */
  t = open_doc(fx, "drafts/new-tmpl.md", "# New\n");
  tl_wsi_saved(fx->wsi, t);
  tl_docs_close(fx->docs, t);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 3);
}

static void test_wsindex_open_before_scan(void **state) {
  fixture *fx = *state;
  /* Open (changed) before the scan is back: the open text wins, and the
   * disk copy is what comes back on close. */
  tl_doc *t = open_doc(fx, "templates/runbook-tmpl.md", "# Open\n");
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(job);
  tl_wsi_job_done(fx->wsi, job, NULL);
  tl_doc *doc = open_doc(fx, "notes/x.md", "# X\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), "# Open\n");
  tl_docs_close(fx->docs, t);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/runbook-tmpl.md"), RUNBOOK_TMPL);
}

static void test_wsindex_loose_templates(void **state) {
  fixture *fx = *state;
  /* No folder: everything is loose, keyed by absolute path; a marker still works. */
  tl_doc *t = tl_docs_open(fx->docs, "file:///elsewhere/t/a-tmpl.md", "# A\n\n## One\n", 12, 1);
  const char *text = "<!-- tmpl-ls: template=../t/a-tmpl.md -->\n# A\n";
  tl_doc *d = tl_docs_open(fx->docs, "file:///elsewhere/d/a.md", text, strlen(text), 1);
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, d, &v);
  assert_string_equal(tl_wsi_folder_root(v.folder), "");
  assert_string_equal(v.path, "/elsewhere/d/a.md");
  assert_int_equal(v.assoc->rule, TL_ASSOC_MARKER);
  assert_string_equal(v.tmpl_path, "/elsewhere/t/a-tmpl.md");
  assert_string_equal(v.tmpl_uri, tl_doc_uri(t));
  assert_int_equal(tl_document_missing_count(v.document), 1);
}

/* ---- views by each rule ------------------------------------------------- */

static void test_wsindex_view_rules(void **state) {
  fixture *fx = *state;
  scan(fx);
  static const struct {
    const char *rel, *text;
    tl_assoc_rule rule;
    const char *tmpl;
  } cases[] = {
      {"docs/brief.md", "# Billing Service Brief\n", TL_ASSOC_OUTPUT_PATH, "templates/brief-tmpl.md"},
      {"notes/a.md", "<!-- tmpl-ls: template=../templates/runbook-tmpl.md -->\n# A\n", TL_ASSOC_MARKER,
       "templates/runbook-tmpl.md"},
      {"notes/b.md", "# Billing Runbook\n\n## Alerts\n\n## Escalation\n\n## Dashboards\n", TL_ASSOC_SKELETON,
       "templates/runbook-tmpl.md"},
      {"notes/c.md", "# Shopping list\n\n## Fruit\n", TL_ASSOC_NONE, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    tl_doc *d = open_doc(fx, cases[i].rel, cases[i].text);
    tl_wsi_view v;
    tl_wsi_view_of(fx->wsi, d, &v);
    assert_int_equal(v.assoc->rule, cases[i].rule);
    assert_non_null(v.assoc->reason);
    if (!cases[i].tmpl) {
      assert_int_equal(v.tmpl, TL_NONE);
      assert_null(v.tmpl_model);
      assert_null(v.tmpl_uri);
      assert_null(tl_document_template(v.document));
      continue;
    }
    assert_string_equal(v.tmpl_path, cases[i].tmpl);
    assert_string_equal(v.tmpl_uri, uri_of(fx, cases[i].tmpl));
    assert_ptr_equal(tl_document_template(v.document), v.tmpl_model);
    assert_ptr_equal(tl_document_tree(v.document), tl_doc_tree(d));
    /* Cached while nothing changes; recomputed after an edit. */
    tl_wsi_view w;
    tl_wsi_view_of(fx->wsi, d, &w);
    assert_ptr_equal(w.document, v.document);
    tl_doc_edit(d, tl_doc_len(d), tl_doc_len(d), "\ntext\n", 6);
    tl_wsi_view_of(fx->wsi, d, &w);
    assert_ptr_equal(tl_document_tree(w.document), tl_doc_tree(d));
  }
}

/* ---- re-publication marks ----------------------------------------------- */

static void test_wsindex_outdated(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *brief = open_doc(fx, "docs/brief.md", "# Billing Service Brief\n");
  tl_doc *none = open_doc(fx, "notes/c.md", "# Shopping list\n");
  tl_doc *tmpl = open_doc(fx, "templates/runbook-tmpl.md", RUNBOOK_TMPL);
  assert_false(tl_wsi_doc_outdated(fx->wsi, brief)); /* never marked */
  tl_wsi_mark(fx->wsi, brief);
  tl_wsi_mark(fx->wsi, none);
  tl_wsi_mark(fx->wsi, tmpl);
  assert_false(tl_wsi_doc_outdated(fx->wsi, brief));
  assert_false(tl_wsi_doc_outdated(fx->wsi, tmpl)); /* templates never are */

  /* Another template's edit: neither document is concerned. */
  tl_doc_edit(tmpl, 0, 0, "\n", 1);
  assert_false(tl_wsi_doc_outdated(fx->wsi, brief));
  assert_false(tl_wsi_doc_outdated(fx->wsi, none));

  /* Its own template's edit (opened with another text). */
  tl_doc *bt = open_doc(fx, "templates/brief-tmpl.md", BRIEF_TMPL "\n## Costs\n");
  assert_true(tl_wsi_doc_outdated(fx->wsi, brief));
  assert_false(tl_wsi_doc_outdated(fx->wsi, none));
  tl_wsi_mark(fx->wsi, brief);
  assert_false(tl_wsi_doc_outdated(fx->wsi, brief));
  tl_docs_close(fx->docs, bt); /* back to the disk copy: a change */
  assert_true(tl_wsi_doc_outdated(fx->wsi, brief));
  tl_wsi_mark(fx->wsi, brief);

  /* A new template: every document may be claimed by it. */
  open_doc(fx, "drafts/shopping-tmpl.md", "# {{x}}\n\n## Fruit\n");
  assert_true(tl_wsi_doc_outdated(fx->wsi, brief));
  assert_true(tl_wsi_doc_outdated(fx->wsi, none));
  assert_false(tl_wsi_doc_outdated(fx->wsi, NULL));
}

/* ---- file names --------------------------------------------------------- */

static void test_wsindex_resolve_file(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *d = open_doc(fx, "notes/x.md", "# X\n");
  open_doc(fx, "notes/open-only.md", "# O\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, d, &v);
  static const struct {
    const char *from, *name, *want; /* want relative to the root, NULL for none */
  } cases[] = {
      {"templates/brief-tmpl.md", "ops-checklist.md", "ops-checklist.md"},       /* the root's, not guides/ops/ */
      {"templates/brief-tmpl.md", "./ops/ops-checklist.md", "guides/ops/ops-checklist.md"}, /* a path suffix */
      {"templates/brief-tmpl.md", "../notes/readme.md", "notes/readme.md"},     /* next to the template */
      {"templates/brief-tmpl.md", "readme.md", "notes/readme.md"},              /* anywhere */
      {"templates/brief-tmpl.md", "runbook-tmpl.md", "templates/runbook-tmpl.md"},
      {"templates/brief-tmpl.md", "open-only.md", NULL},                        /* only by path: */
      {"notes/x.md", "open-only.md", "notes/open-only.md"},                     /* open, next to it */
      {"templates/brief-tmpl.md", "prd.md", NULL},
      {"templates/brief-tmpl.md", "", NULL},
      {"templates/brief-tmpl.md", "/etc/passwd", NULL},
      {NULL, "notes/readme.md", "notes/readme.md"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char *uri = tl_wsi_resolve_file(fx->wsi, v.folder, cases[i].from, cases[i].name);
    if (!cases[i].want) {
      if (uri) print_error("case %zu: want none, got %s\n", i, uri);
      assert_null(uri);
      continue;
    }
    assert_non_null(uri);
    assert_string_equal(uri, uri_of(fx, cases[i].want));
    gr_free(uri);
  }
  assert_null(tl_wsi_resolve_file(fx->wsi, NULL, NULL, "x.md"));
}

/* Before the first scan the folder knows no files (an empty list, not yet
 * allocated): an open document next to the one asking is still found. */
static void test_wsindex_resolve_file_before_scan(void **state) {
  fixture *fx = *state;
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_doc *d = open_doc(fx, "notes/x.md", "# X\n");
  open_doc(fx, "notes/open-only.md", "# O\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, d, &v);
  char *uri = tl_wsi_resolve_file(fx->wsi, v.folder, "notes/x.md", "open-only.md");
  assert_non_null(uri);
  assert_string_equal(uri, uri_of(fx, "notes/open-only.md"));
  gr_free(uri);
  assert_null(tl_wsi_resolve_file(fx->wsi, v.folder, "notes/x.md", "readme.md"));
  tl_wsi_job_free(tl_wsi_take_job(fx->wsi));
}

/* ---- the workspace changing --------------------------------------------- */

/* Run the one job queued (a scan or files read again) to the end. */
static void run_job(fixture *fx) {
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  assert_non_null(job);
  tl_wsi_job_run(job);
  tl_wsi_job_done(fx->wsi, job, NULL);
  assert_false(tl_wsi_busy(fx->wsi));
}

static void test_wsindex_remove_folder(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *doc = open_doc(fx, "docs/brief.md", "# Billing Service Brief\n");
  tl_doc *t = open_doc(fx, "templates/runbook-tmpl.md", RUNBOOK_TMPL "\n## More\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(v.tmpl_path, "templates/brief-tmpl.md");
  tl_wsi_mark(fx->wsi, doc);
  assert_false(tl_wsi_doc_outdated(fx->wsi, doc));

  /* A rescan of it queued and one out: both are dropped. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "newdir"), TL_WSI_CREATED));
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, "file:///no/such/folder"), TL_ENOENT);
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, "relative"), TL_EINVAL);
  uint64_t sg = tl_wsi_settings_generation(fx->wsi);
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), 0);
  assert_true(tl_wsi_settings_generation(fx->wsi) > sg); /* its open templates lose its settings */
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), TL_ENOENT);
  assert_false(tl_wsi_busy(fx->wsi));

  /* Its documents are outdated, then loose, with no template. */
  assert_true(tl_wsi_doc_outdated(fx->wsi, doc));
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(tl_wsi_folder_root(v.folder), "");
  assert_int_equal(v.tmpl, TL_NONE);
  /* The open template is loose now, with its open text. */
  tl_wsi_view tv;
  tl_wsi_view_of(fx->wsi, t, &tv);
  assert_string_equal(tl_wsi_folder_root(tv.folder), "");
  assert_string_equal(ws_text(&tv, tv.path), RUNBOOK_TMPL "\n## More\n");

  /* Added again: scanned again. */
  scan(fx);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(v.tmpl_path, "templates/brief-tmpl.md");
  /* A scan that comes back after its folder went is not merged, even into
   * the same folder added again, whose own job it must not release. */
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), 0);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job *old = tl_wsi_take_job(fx->wsi);
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), 0);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job *cur = tl_wsi_take_job(fx->wsi);
  assert_non_null(cur);
  tl_wsi_job_run(old);
  assert_int_equal(tl_wsi_job_done(fx->wsi, old, NULL), 0);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/runbook-tmpl.md"), TL_WSI_CHANGED));
  assert_null(tl_wsi_take_job(fx->wsi)); /* cur is still out */
  tl_wsi_job_run(cur);
  assert_int_equal(tl_wsi_job_done(fx->wsi, cur, NULL), 2);
  run_job(fx);
  assert_false(tl_wsi_busy(fx->wsi));
}

/* A file deleted while a job that read it is out stays deleted. */
static void test_wsindex_delete_while_reading(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *doc = open_doc(fx, "notes/x.md", "# X\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/runbook-tmpl.md"), TL_WSI_CHANGED));
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(job); /* read before the deletion */
  char path[300];
  snprintf(path, sizeof path, "%s/templates/runbook-tmpl.md", fx->root);
  assert_int_equal(unlink(path), 0);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/runbook-tmpl.md"), TL_WSI_DELETED));
  tl_wsi_job_done(fx->wsi, job, NULL); /* brings the old copy back, for now */
  run_job(fx);                         /* the folder looked at again, after it */
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_find(v.ws, "templates/runbook-tmpl.md"), TL_NONE);
  assert_int_equal(tl_workspace_count(v.ws), 1);
}

static void test_wsindex_watched_files(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *doc = open_doc(fx, "docs/brief.md", "# Billing Service Brief\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  tl_wsi_folder *f = v.folder;
  assert_int_equal(tl_workspace_count(v.ws), 2);

  /* A template created: read by a job, then in the index. */
  write_file(fx->root, "templates/prd-tmpl.md", "# PRD\n\n## Goals\n");
  uint64_t g = tl_wsi_generation(fx->wsi);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/prd-tmpl.md"), TL_WSI_CREATED));
  assert_true(tl_wsi_busy(fx->wsi));
  run_job(fx);
  assert_true(tl_wsi_generation(fx->wsi) > g);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 3);
  assert_string_equal(ws_text(&v, "templates/prd-tmpl.md"), "# PRD\n\n## Goals\n");

  /* Changed: read again; the document's template changed, so it is outdated. */
  tl_wsi_mark(fx->wsi, doc);
  write_file(fx->root, "templates/brief-tmpl.md", BRIEF_TMPL "\n## Costs\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/brief-tmpl.md"), TL_WSI_CHANGED));
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/brief-tmpl.md"), TL_WSI_CHANGED));
  run_job(fx); /* one job for both events */
  assert_true(tl_wsi_doc_outdated(fx->wsi, doc));
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(ws_text(&v, "templates/brief-tmpl.md"), BRIEF_TMPL "\n## Costs\n");

  /* Deleted: gone at once, no job; a deleted file the job cannot read is gone too. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/prd-tmpl.md"), TL_WSI_DELETED));
  assert_false(tl_wsi_busy(fx->wsi));
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_find(v.ws, "templates/prd-tmpl.md"), TL_NONE);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/runbook-tmpl.md"), TL_WSI_CHANGED));
  remove_tree(fx->root); /* the disk goes before the job reads it */
  run_job(fx);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 1);
  assert_true(v.ws == tl_wsi_folder_workspace(f));
  assert_int_equal(mkdir(fx->root, 0700), 0);

  /* Documents: their names join and leave the folder's files at once. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/new.md"), TL_WSI_CREATED));
  assert_false(tl_wsi_busy(fx->wsi));
  char *uri = tl_wsi_resolve_file(fx->wsi, f, NULL, "new.md");
  assert_non_null(uri);
  assert_string_equal(uri, uri_of(fx, "notes/new.md"));
  gr_free(uri);
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/new.md"), TL_WSI_CHANGED)); /* known */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/new.md"), TL_WSI_DELETED));
  assert_null(tl_wsi_resolve_file(fx->wsi, f, NULL, "new.md"));

  /* Ignored: skipped folders, files outside every folder, other files changed. */
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, ".git/x-tmpl.md"), TL_WSI_CREATED));
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, "node_modules"), TL_WSI_DELETED));
  assert_false(tl_wsi_file_event(fx->wsi, "file:///elsewhere/a-tmpl.md", TL_WSI_CREATED));
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/data.json"), TL_WSI_CHANGED));
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/.x.md.swp"), TL_WSI_DELETED)); /* a file, not a folder */
  assert_false(tl_wsi_file_event(fx->wsi, NULL, TL_WSI_CREATED));
  assert_false(tl_wsi_busy(fx->wsi));

  /* A folder created or deleted: the whole folder is scanned again, once. */
  write_file(fx->root, "more/templates/a.md", "# A\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "more"), TL_WSI_CREATED));
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "more/templates/a.md"), TL_WSI_CREATED));
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  assert_null(tl_wsi_take_job(fx->wsi));
  /* While it is out, a read of the same folder waits for it. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "more/templates/a.md"), TL_WSI_CHANGED));
  assert_null(tl_wsi_take_job(fx->wsi));
  tl_wsi_job_run(job);
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, NULL), 1);
  run_job(fx);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(tl_workspace_count(v.ws), 1);
  assert_string_equal(tl_workspace_path(v.ws, 0), "more/templates/a.md");
}

static void test_wsindex_settings(void **state) {
  fixture *fx = *state;
  write_file(fx->root, ".tmpl-ls.json",
             "{\"templates\": {\"notes/*.md\": \"templates/runbook-tmpl.md\"},"
             " \"diagnostics\": {\"missing-section\": \"off\"}, \"colour\": 1}");
  uint64_t sg = tl_wsi_settings_generation(fx->wsi);
  scan(fx);
  assert_true(tl_wsi_settings_generation(fx->wsi) > sg);
  tl_settings_problems p = {0};
  assert_int_equal(tl_wsi_take_problems(fx->wsi, &p), 1);
  char want[300];
  snprintf(want, sizeof want,
           "%s/.tmpl-ls.json: \"colour\" is not a tmpl-ls setting (diagnostics, templates, matchThreshold, inlayHints, workspaceDiagnostics)",
           fx->root);
  assert_string_equal(p.items[0], want);
  assert_int_equal(tl_wsi_take_problems(fx->wsi, &p), 0); /* said once */
  tl_settings_problems_free(&p);

  /* The file's mapping picks the template; its severities come with the view. */
  tl_doc *doc = open_doc(fx, "notes/z.md", "# Anything\n");
  tl_wsi_view v;
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_int_equal(v.assoc->rule, TL_ASSOC_MAPPING);
  assert_string_equal(v.tmpl_path, "templates/runbook-tmpl.md");
  size_t n;
  const tl_code_info *codes = tl_codes(&n);
  assert_int_equal(v.settings->severity[tl_code_find("missing-section") - codes], TL_SEVERITY_OFF);

  /* The editor's settings sit under the file's: its mapping of the same glob loses. */
  tl_settings e;
  tl_settings_init(&e);
  static const char et[] = "{\"templates\": {\"notes/*.md\": \"templates/brief-tmpl.md\"},"
                           " \"diagnostics\": {\"missing-section\": \"error\", \"section-order\": \"off\"}}";
  assert_int_equal(tl_settings_load(&e, et, strlen(et), "e", NULL), 0);
  sg = tl_wsi_settings_generation(fx->wsi);
  tl_wsi_set_editor_settings(fx->wsi, &e);
  tl_settings_free(&e);
  assert_true(tl_wsi_settings_generation(fx->wsi) > sg);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(v.tmpl_path, "templates/runbook-tmpl.md");
  assert_int_equal(v.settings->severity[tl_code_find("missing-section") - codes], TL_SEVERITY_OFF);
  assert_int_equal(v.settings->severity[tl_code_find("section-order") - codes], TL_SEVERITY_OFF);

  /* The file changed on disk: the folder is read again, and the file's mapping is gone. */
  write_file(fx->root, ".tmpl-ls.json", "{}");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, ".tmpl-ls.json"), TL_WSI_CHANGED));
  sg = tl_wsi_settings_generation(fx->wsi);
  run_job(fx);
  assert_true(tl_wsi_settings_generation(fx->wsi) > sg);
  tl_wsi_view_of(fx->wsi, doc, &v);
  assert_string_equal(v.tmpl_path, "templates/brief-tmpl.md"); /* the editor's now */
  assert_int_equal(v.settings->severity[tl_code_find("missing-section") - codes], GR_SEV_ERROR);
  /* Read again unchanged: nothing moves. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, ".tmpl-ls.json"), TL_WSI_CHANGED));
  sg = tl_wsi_settings_generation(fx->wsi);
  run_job(fx);
  assert_int_equal(tl_wsi_settings_generation(fx->wsi), sg);
}

/* ---- limits ------------------------------------------------------------- */

static void test_wsindex_file_limit(void **state) {
  fixture *fx = *state;
  /* A template over the size limit is skipped, and the scan says so. */
  size_t n = TL_WSI_MAX_FILE_BYTES + 1;
  char *big = gr_malloc(n + 1);
  memset(big, 'a', n);
  big[0] = '#', big[1] = ' ';
  big[n] = '\0';
  write_file(fx->root, "templates/big-tmpl.md", big);
  gr_free(big);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(job);
  tl_wsi_job_run(job); /* twice is once */
  char *note = NULL;
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, &note), 2);
  assert_string_equal(note, "not read: templates/big-tmpl.md (over the size limit)");
  gr_free(note);
}

/* One whole-folder scan: its note (new, or NULL) and the templates read. */
static char *scan_note(fixture *fx, uint32_t *count) {
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  assert_non_null(job);
  tl_wsi_job_run(job);
  char *note = NULL;
  *count = tl_wsi_job_done(fx->wsi, job, &note);
  return note;
}

static void test_wsindex_hostile_files(void **state) {
  fixture *fx = *state;
  /* A FIFO named like a template and as the settings file: neither blocks
   * (O_NONBLOCK, then refused as not a regular file; the walk lists
   * regular files only, a watched file's event reads it). A link to a
   * template outside the folder is not followed; one inside is. */
  char path[512], outside[128];
  snprintf(path, sizeof path, "%s/templates/fifo-tmpl.md", fx->root);
  assert_int_equal(mkfifo(path, 0600), 0);
  snprintf(path, sizeof path, "%s/.tmpl-ls.json", fx->root);
  assert_int_equal(mkfifo(path, 0600), 0);
  snprintf(outside, sizeof outside, "%s-outside-tmpl.md", fx->root);
  FILE *o = fopen(outside, "wb");
  assert_non_null(o);
  fputs("# Secret\n\n## Elsewhere\n", o);
  fclose(o);
  snprintf(path, sizeof path, "%s/templates/out-tmpl.md", fx->root);
  assert_int_equal(symlink(outside, path), 0);
  snprintf(path, sizeof path, "%s/templates/in-tmpl.md", fx->root);
  assert_int_equal(symlink("runbook-tmpl.md", path), 0);
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  uint32_t n = 0;
  char *note = scan_note(fx, &n);
  assert_int_equal(n, 3); /* brief, runbook and the link to runbook */
  assert_string_equal(note, "not read: .tmpl-ls.json (not a regular file), templates/out-tmpl.md (a link to a "
                            "file outside the folder)");
  gr_free(note);
  /* Said once: a second scan of the same folder says nothing more. */
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "newdir"), TL_WSI_CREATED));
  note = scan_note(fx, &n);
  assert_int_equal(n, 3);
  assert_null(note);
  /* Read again once it is a file: a later failure is news again. */
  snprintf(path, sizeof path, "%s/templates/fifo-tmpl.md", fx->root);
  assert_int_equal(unlink(path), 0);
  write_file(fx->root, "templates/fifo-tmpl.md", "# Fine\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/fifo-tmpl.md"), TL_WSI_CHANGED));
  note = scan_note(fx, &n);
  assert_int_equal(n, 1);
  assert_null(note);
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/fifo-tmpl.md"), TL_WSI_CHANGED));
  note = scan_note(fx, &n);
  assert_int_equal(n, 0);
  assert_string_equal(note, "not read: templates/fifo-tmpl.md (not a regular file)");
  gr_free(note);
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/fifo-tmpl.md"), TL_WSI_CHANGED));
  note = scan_note(fx, &n);
  assert_null(note); /* once */
  unlink(outside);
}

/* ---- the seam in the session, run synchronously ------------------------- */

static void feed(tl_session *s, const char *json) {
  char head[64];
  int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(json));
  tl_session_feed(s, head, (size_t)n);
  tl_session_feed(s, json, strlen(json));
}

typedef GR_ARRAY(char *) msgs;

static int collect(void *ud, const rpc_frame_event *ev) {
  msgs *o = ud;
  gr_array_push(o, gr_strndup(ev->body, ev->len));
  return RPC_FRAME_ACCEPT;
}

/* The messages of one turn, each with `needle` or not, in order: returns how many have it. */
static size_t turn_count(tl_session *s, const char *needle, size_t *total) {
  tl_session_turn(s);
  rpc_buf out = {0};
  tl_session_take_output(s, &out);
  msgs o = {0};
  rpc_frame *f = rpc_frame_new(NULL);
  rpc_frame_feed(f, out.items, out.len, collect, &o);
  rpc_frame_free(f);
  size_t hits = 0;
  for (size_t i = 0; i < o.len; i++) {
    if (strstr(o.items[i], needle)) hits++;
    gr_free(o.items[i]);
  }
  *total = o.len;
  gr_array_free(&o);
  gr_array_free(&out);
  return hits;
}


/* ---- documents on disk, files moved by the editor ----------------------- */

/* Run every queued job, scans first, as the session does. */
static void run_jobs(fixture *fx) {
  tl_wsi_job *job;
  while ((job = tl_wsi_take_job(fx->wsi)) != NULL || (job = tl_wsi_take_doc_job(fx->wsi)) != NULL) {
    tl_wsi_job_run(job);
    tl_wsi_job_done(fx->wsi, job, NULL);
  }
  assert_false(tl_wsi_busy(fx->wsi));
  assert_false(tl_wsi_indexing(fx->wsi));
}

/* The folder of the fixture's root. */
static tl_wsi_folder *root_folder(fixture *fx) {
  for (size_t i = 0; i < tl_wsi_folder_count(fx->wsi); i++)
    if (strcmp(tl_wsi_folder_root(tl_wsi_folder_at(fx->wsi, i)), fx->root) == 0) return tl_wsi_folder_at(fx->wsi, i);
  fail_msg("no folder %s", fx->root);
  return NULL;
}

/* File `key` of f: its index, or -1. */
static long file_index(const tl_wsi_folder *f, const char *key) {
  for (size_t k = 0; k < tl_wsi_folder_file_count(f); k++)
    if (strcmp(tl_wsi_folder_file(f, k), key) == 0) return (long)k;
  return -1;
}

/* The names of file `key`'s symbols, "|"-separated ("-" when none are kept, "?" when not listed). */
static const char *file_names(const tl_wsi_folder *f, const char *key) {
  static char buf[512];
  long k = file_index(f, key);
  if (k < 0) return "?";
  const ft_wsyms *s = tl_wsi_folder_file_symbols(f, (size_t)k);
  if (!s) return "-";
  buf[0] = '\0';
  for (uint32_t i = 0; i < s->len; i++) {
    size_t n;
    const char *name = ft_wsyms_name(s, i, &n);
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%.*s", i ? "|" : "", (int)n, name);
  }
  return buf;
}

static void test_wsindex_documents_on_disk(void **state) {
  fixture *fx = *state;
  write_file(fx->root, "docs/a.md", "x\n<!-- tmpl-ls: template=../templates/brief-tmpl.md -->\n# A\n\n## Purpose\n");
  scan(fx);
  tl_wsi_folder *f = root_folder(fx);
  /* Listed by the scan, not read yet: a document job is queued, apart from the scans. */
  assert_true(tl_wsi_indexing(fx->wsi));
  assert_false(tl_wsi_busy(fx->wsi));
  assert_string_equal(file_names(f, "docs/a.md"), "-");
  tl_wsi_job *job = tl_wsi_take_doc_job(fx->wsi);
  assert_non_null(job);
  assert_true(tl_wsi_job_is_docs(job));
  assert_null(tl_wsi_take_doc_job(fx->wsi));
  tl_wsi_job_run(job);
  assert_int_equal(tl_wsi_job_done(fx->wsi, job, NULL), 0);
  assert_false(tl_wsi_indexing(fx->wsi));
  assert_string_equal(file_names(f, "docs/a.md"), "A|Purpose");
  assert_string_equal(file_names(f, "guides/ops/ops-checklist.md"), "Ops (old)");
  assert_string_equal(file_names(f, "templates/brief-tmpl.md"), "-"); /* a template: its symbols are the template's */
  const ft_marker *m = tl_wsi_folder_file_marker(f, (size_t)file_index(f, "docs/a.md"));
  assert_non_null(m);
  assert_string_equal(m->value, "../templates/brief-tmpl.md");
  assert_int_equal(m->line, 1);
  assert_int_equal(m->start, 23);
  assert_null(tl_wsi_folder_file_marker(f, (size_t)file_index(f, "notes/readme.md")));
  assert_true(tl_wsi_folder_doc_bytes(f) > 0);
  /* Templates' symbols, from their model. */
  const ft_wsyms *ts = tl_wsi_folder_symbols(f, 1);
  assert_non_null(ts);
  size_t n;
  assert_memory_equal(ft_wsyms_name(ts, 1, &n), "Alerts", 6);
  assert_null(tl_wsi_folder_symbols(f, 9));

  /* A watched change of a file whose size and mtime did not change: not read again. */
  const ft_wsyms *before = tl_wsi_folder_file_symbols(f, (size_t)file_index(f, "notes/readme.md"));
  assert_false(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/readme.md"), TL_WSI_CHANGED)); /* no diagnostics change */
  assert_true(tl_wsi_indexing(fx->wsi));
  run_jobs(fx);
  assert_ptr_equal(tl_wsi_folder_file_symbols(f, (size_t)file_index(f, "notes/readme.md")), before);
  /* Changed: read again. Created: listed and read. Deleted: gone. */
  write_file(fx->root, "notes/readme.md", "# Notes, longer\n");
  tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/readme.md"), TL_WSI_CHANGED);
  write_file(fx->root, "notes/new.md", "# New\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/new.md"), TL_WSI_CREATED));
  run_jobs(fx);
  assert_string_equal(file_names(f, "notes/readme.md"), "Notes, longer");
  assert_string_equal(file_names(f, "notes/new.md"), "New");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/new.md"), TL_WSI_DELETED));
  assert_string_equal(file_names(f, "notes/new.md"), "?");
  assert_false(tl_wsi_indexing(fx->wsi));
  /* A document that cannot be read any more keeps its place, with nothing read. */
  char path[512];
  snprintf(path, sizeof path, "%s/notes/readme.md", fx->root);
  assert_int_equal(unlink(path), 0);
  tl_wsi_file_event(fx->wsi, uri_of(fx, "notes/readme.md"), TL_WSI_CHANGED);
  run_jobs(fx);
  assert_string_equal(file_names(f, "notes/readme.md"), "-");
  /* A rescan keeps what was read of the files still there. */
  before = tl_wsi_folder_file_symbols(f, (size_t)file_index(f, "docs/a.md"));
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, ".tmpl-ls.json"), TL_WSI_CREATED));
  tl_wsi_job *scan_job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(scan_job);
  tl_wsi_job_done(fx->wsi, scan_job, NULL);
  assert_ptr_equal(tl_wsi_folder_file_symbols(f, (size_t)file_index(f, "docs/a.md")), before);
  run_jobs(fx);
  assert_ptr_equal(tl_wsi_folder_file_symbols(f, (size_t)file_index(f, "docs/a.md")), before);
  assert_string_equal(file_names(f, "notes/readme.md"), "?"); /* gone from the disk: not listed */
}

static void test_wsindex_document_jobs_edges(void **state) {
  fixture *fx = *state;
  scan(fx);
  /* One document job out per folder: the next waits for it. */
  tl_wsi_job *first = tl_wsi_take_doc_job(fx->wsi);
  assert_non_null(first);
  tl_wsi_file_event(fx->wsi, uri_of(fx, "ops-checklist.md"), TL_WSI_CHANGED);
  assert_null(tl_wsi_take_doc_job(fx->wsi));
  tl_wsi_job_run(first);
  tl_wsi_job_done(fx->wsi, first, NULL);
  tl_wsi_job *second = tl_wsi_take_doc_job(fx->wsi);
  assert_non_null(second);
  /* The folder removed while it is out: dropped when it comes back. */
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job_run(second);
  assert_int_equal(tl_wsi_job_done(fx->wsi, second, NULL), 0);
  assert_false(tl_wsi_indexing(fx->wsi));
  /* Queued for a folder removed before it was taken: never handed out. */
  assert_int_equal(tl_wsi_add_folder(fx->wsi, fx->uri), 0);
  tl_wsi_job *job = tl_wsi_take_job(fx->wsi);
  tl_wsi_job_run(job);
  tl_wsi_job_done(fx->wsi, job, NULL);
  assert_true(tl_wsi_indexing(fx->wsi));
  assert_int_equal(tl_wsi_remove_folder(fx->wsi, fx->uri), 0);
  assert_false(tl_wsi_indexing(fx->wsi));
  assert_null(tl_wsi_take_doc_job(fx->wsi));
}

static void test_wsindex_open_document_symbols(void **state) {
  fixture *fx = *state;
  tl_doc *d = open_doc(fx, "notes/x.md", "# X\n\n## Y\n");
  const ft_wsyms *s = tl_wsi_doc_symbols(fx->wsi, d);
  assert_int_equal(s->len, 2);
  assert_ptr_equal(tl_wsi_doc_symbols(fx->wsi, d), s); /* the same text: kept */
  tl_doc_edit(d, 0, 3, "# Z", 3);
  s = tl_wsi_doc_symbols(fx->wsi, d);
  size_t n;
  assert_memory_equal(ft_wsyms_name(s, 0, &n), "Z", 1);
}

/* Rename on disk (as the editor does before it says so). */
static void move(const fixture *fx, const char *from, const char *to) {
  char a[512], b[512];
  snprintf(a, sizeof a, "%s/%s", fx->root, from);
  snprintf(b, sizeof b, "%s/%s", fx->root, to);
  assert_int_equal(rename(a, b), 0);
}

static void test_wsindex_paths_renamed_and_deleted(void **state) {
  fixture *fx = *state;
  scan(fx);
  run_jobs(fx);
  tl_wsi_folder *f = root_folder(fx);
  const tl_workspace *ws = tl_wsi_folder_workspace(f);

  /* A template renamed: out at once, read at its new name. */
  write_file(fx->root, "archive/keep.md", "# Keep\n");
  move(fx, "templates/runbook-tmpl.md", "archive/runbook-tmpl.md");
  uint64_t g = tl_wsi_generation(fx->wsi);
  assert_true(tl_wsi_path_renamed(fx->wsi, uri_of(fx, "templates/runbook-tmpl.md"), uri_of(fx, "archive/runbook-tmpl.md")));
  assert_true(tl_wsi_generation(fx->wsi) > g);
  assert_int_equal(tl_workspace_find(ws, "templates/runbook-tmpl.md"), TL_NONE);
  assert_true(tl_wsi_busy(fx->wsi));
  run_jobs(fx);
  assert_int_not_equal(tl_workspace_find(ws, "archive/runbook-tmpl.md"), TL_NONE);
  assert_int_equal(tl_workspace_count(ws), 2);

  /* A folder renamed (whatever its name looks like): what was below it
   * goes at once, and a scan finds it under the new name. */
  move(fx, "notes", "notes.v2");
  assert_true(tl_wsi_path_renamed(fx->wsi, uri_of(fx, "notes"), uri_of(fx, "notes.v2")));
  assert_string_equal(file_names(f, "notes/readme.md"), "?");
  assert_true(tl_wsi_busy(fx->wsi));
  run_jobs(fx);
  assert_string_equal(file_names(f, "notes.v2/readme.md"), "Notes");

  /* A document renamed: read at its new name. */
  move(fx, "notes.v2/readme.md", "notes.v2/read-me.md");
  assert_true(tl_wsi_path_renamed(fx->wsi, uri_of(fx, "notes.v2/readme.md"), uri_of(fx, "notes.v2/read-me.md")));
  assert_false(tl_wsi_busy(fx->wsi)); /* no scan: the one file */
  run_jobs(fx);
  assert_string_equal(file_names(f, "notes.v2/read-me.md"), "Notes");
  assert_string_equal(file_names(f, "notes.v2/readme.md"), "?");

  /* A folder deleted: its files and templates go; an open template keeps its text. */
  tl_doc *open = open_doc(fx, "templates/brief-tmpl.md", "# Open brief\n");
  write_file(fx->root, "templates/more/x-tmpl.md", "# X\n");
  assert_true(tl_wsi_file_event(fx->wsi, uri_of(fx, "templates/more/x-tmpl.md"), TL_WSI_CREATED));
  run_jobs(fx);
  assert_int_equal(tl_workspace_count(ws), 3);
  remove_tree(uri_of(fx, "templates") + 7);
  assert_true(tl_wsi_path_deleted(fx->wsi, uri_of(fx, "templates")));
  tl_wsi_generation(fx->wsi);
  assert_int_equal(tl_workspace_count(ws), 2); /* archive/runbook-tmpl.md, and the open one */
  assert_int_not_equal(tl_workspace_find(ws, "templates/brief-tmpl.md"), TL_NONE);
  assert_int_equal(tl_workspace_find(ws, "templates/more/x-tmpl.md"), TL_NONE);
  run_jobs(fx);
  tl_docs_close(fx->docs, open);
  tl_wsi_generation(fx->wsi);
  assert_int_equal(tl_workspace_count(ws), 1);

  /* A file deleted; nothing known there; outside every folder; NULL. */
  assert_true(tl_wsi_path_deleted(fx->wsi, uri_of(fx, "archive/keep.md")));
  assert_string_equal(file_names(f, "archive/keep.md"), "?");
  assert_false(tl_wsi_path_deleted(fx->wsi, uri_of(fx, "nothing/here.md")));
  assert_false(tl_wsi_path_deleted(fx->wsi, "file:///elsewhere/x-tmpl.md"));
  assert_false(tl_wsi_path_deleted(fx->wsi, NULL));
  assert_false(tl_wsi_path_renamed(fx->wsi, NULL, uri_of(fx, "x.md")));
  run_jobs(fx);
}

static void test_wsindex_session_seam(void **state) {
  fixture *fx = *state;
  tl_session *s = tl_session_new(NULL);
  char buf[1024];
  snprintf(buf, sizeof buf,
           "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"rootUri\":\"%s\",\"capabilities\":{}}}",
           fx->uri);
  feed(s, buf);
  snprintf(buf, sizeof buf,
           "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"%s\","
           "\"languageId\":\"markdown\",\"version\":1,\"text\":\"# Billing Service Brief\\n\"}}}",
           uri_of(fx, "docs/brief.md"));
  feed(s, buf);
  size_t total;
  /* The reply, but no diagnostics yet: the document waits for the scan. */
  assert_int_equal(turn_count(s, "publishDiagnostics", &total), 0);
  assert_int_equal(total, 1);
  assert_true(tl_session_has_work(s));
  tl_wsi_job *job = tl_session_take_job(s);
  assert_non_null(job);
  assert_null(tl_session_take_job(s));
  assert_int_equal(turn_count(s, "publishDiagnostics", &total), 0);
  tl_session_job_run(job);
  tl_session_job_done(s, job);
  /* Now published, against the template found by its output path. */
  assert_int_equal(turn_count(s, "missing-section", &total), 1);
  assert_int_equal(total, 1);
  assert_false(tl_session_has_work(s));
  /* A job dropped after the session stops is only freed. */
  tl_session_job_drop(NULL);
  tl_session_free(s);
}

/* With only templates open, a template's edits wait (tl_wsi_generation):
 * its entry keeps the model of its last text and sheds that text's tree
 * until someone asks for it; a sync takes the new text in, its tree copied
 * from the document's. With a document open, they are taken in at once. */
static void test_wsindex_template_edits_wait_with_only_templates_open(void **state) {
  fixture *fx = *state;
  scan(fx);
  tl_doc *t = open_doc(fx, "templates/runbook-tmpl.md", RUNBOOK_TMPL);
  uint64_t g = tl_wsi_generation(fx->wsi);
  char *key;
  tl_wsi_folder *f = tl_wsi_locate(fx->wsi, tl_doc_uri(t), &key);
  tl_workspace *ws = (tl_workspace *)tl_wsi_folder_workspace(f);
  uint32_t i = tl_workspace_find(ws, key);
  gr_free(key);
  assert_int_not_equal(i, TL_NONE);
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, i)), 4);

  tl_doc_edit(t, tl_doc_len(t), tl_doc_len(t), "## Owners\n", 10);
  assert_int_equal(tl_wsi_generation(fx->wsi), g);
  assert_string_equal(tl_workspace_text(ws, i, NULL), RUNBOOK_TMPL);
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, i)), 4);
  assert_false(tl_workspace_shed_tree(ws, i)); /* the generation shed it */
  const gr_tree *tree = tl_workspace_tree(ws, i); /* asked for: parsed again, of the entry's text */
  assert_ptr_equal(gr_tree_text(tree), tl_workspace_text(ws, i, NULL));
  assert_int_equal(gr_tree_len(tree), strlen(RUNBOOK_TMPL));
  assert_int_equal(tl_wsi_generation(fx->wsi), g);
  assert_false(tl_workspace_shed_tree(ws, i)); /* and shed again */

  tl_wsi_sync(fx->wsi);
  assert_true(tl_wsi_generation(fx->wsi) > g);
  assert_string_equal(tl_workspace_text(ws, i, NULL), RUNBOOK_TMPL "## Owners\n");
  assert_int_equal(tl_template_section_count(tl_workspace_template(ws, i)), 5);
  tree = tl_workspace_tree(ws, i); /* over the entry's own text, the document's parse */
  assert_ptr_equal(gr_tree_text(tree), tl_workspace_text(ws, i, NULL));
  assert_ptr_not_equal(gr_tree_text(tree), tl_doc_text(t, NULL));
  assert_int_equal(gr_tree_count(tree), gr_tree_count(tl_doc_tree(t)));
  assert_true(tl_workspace_shed_tree(ws, i));

  /* A document open: the next edit is in at once. */
  open_doc(fx, "notes/x.md", "# X\n");
  g = tl_wsi_generation(fx->wsi);
  tl_doc_edit(t, 0, 0, "<!-- x -->\n", 11);
  assert_true(tl_wsi_generation(fx->wsi) > g);
  assert_string_equal(tl_workspace_text(ws, i, NULL), "<!-- x -->\n" RUNBOOK_TMPL "## Owners\n");
  assert_true(tl_workspace_shed_tree(ws, i));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_wsindex_locate, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_add_folder_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_scan, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_rescan_and_missing_root, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_open_overrides_disk, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_template_edits_wait_with_only_templates_open, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_open_before_scan, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_loose_templates, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_view_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_outdated, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_resolve_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_resolve_file_before_scan, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_remove_folder, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_watched_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_delete_while_reading, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_settings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_file_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_hostile_files, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_session_seam, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_documents_on_disk, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_document_jobs_edges, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_open_document_symbols, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wsindex_paths_renamed_and_deleted, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
