/*
 * diagnostics.h: the diagnostics of one file, as the server publishes them
 * and `tmpl-ls check` prints them. One list type for both, so an editor and
 * CI always agree; byte spans here, lines and columns only at the edges.
 */
#ifndef TMPL_SERVER_FEATURES_DIAGNOSTICS_H
#define TMPL_SERVER_FEATURES_DIAGNOSTICS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"

/* Every diagnostic code tmpl-ls can report, with its default severity. */
typedef struct tl_code_info {
  const char *code;        /* stable: "unclosed-block" */
  gr_severity severity;    /* default */
  const char *title;       /* one line, for SARIF rules and the README */
} tl_code_info;

/** The registry of codes (static storage), and its length. */
const tl_code_info *tl_codes(size_t *count);
/** The registry entry for `code`, or NULL. */
const tl_code_info *tl_code_find(const char *code);

typedef struct tl_diag {
  gr_span span;        /* bytes in the file's text */
  gr_severity severity;
  const char *code;    /* static string from the registry */
  char *message;       /* owned */
  uint32_t data;       /* code-specific (e.g. a template section index), or UINT32_MAX */
  gr_span related;     /* another place it concerns, or {GR_NONE, GR_NONE} (gr_diag.related) */
  const char *related_message; /* static; what is at `related` */
} tl_diag;

typedef struct tl_diags {
  tl_diag *items;
  size_t len, cap;
} tl_diags;

/** Append a diagnostic; `message` is copied. `code` must be a registry code. */
void tl_diags_add(tl_diags *d, const char *code, gr_severity severity, gr_span span,
                  const char *message, uint32_t data);
/** Append the grammar's diagnostics of a template's tree. */
void tl_diags_from_tree(tl_diags *d, const gr_tree *tree);
/** Append the YAML front-end's diagnostics of a YAML template's text[0..len) (borrowed for the call). */
void tl_diags_from_yaml(tl_diags *d, const char *text, size_t len);
/* The same from a view already parsed (an open template's tl_doc_yaml: not parsed twice). */
struct yt_tmpl;
void tl_diags_from_yaml_view(tl_diags *d, const struct yt_tmpl *v);

struct tl_document;
/**
 * Append a document's diagnostics against its template (tl_docdiag_run on
 * `doc`, borrowed; its template may be NULL): what the server publishes and
 * `tmpl-ls check` prints for a document. `data` is the template section.
 */
void tl_diags_from_document(tl_diags *d, const struct tl_document *doc);
struct tl_assoc;
/**
 * Append the diagnostics of the document's association `a` (tl_docdiag_assoc:
 * no-template, unknown-template, template-mismatch); both borrowed, a may
 * be NULL. The server and `tmpl-ls check` call it beside
 * tl_diags_from_document.
 */
void tl_diags_from_association(tl_diags *d, const struct tl_document *doc, const struct tl_assoc *a);
/** Sort by position, then code (stable output for the CLI and tests). */
void tl_diags_sort(tl_diags *d);
/** Free the items (the struct itself is the caller's). */
void tl_diags_free(tl_diags *d);

/** "error", "warning", "information", "hint". */
const char *tl_severity_name(gr_severity s);
/** Parse a severity name; returns 0 on success, -1 if unknown. */
int tl_severity_parse(const char *name, gr_severity *out);

/** Is `path` a template by its name alone (`*-tmpl.md`, `*.tmpl.md`, `*-tmpl.yaml`, ...; see source.h)? */
int tl_path_is_template(const char *path);

#endif
