/*
 * settings.h: tmpl-ls's settings (tl_settings_*), from a project's
 * .tmpl-ls.json (at a workspace folder's root, or check's --root) and
 * from the editor (its "tmpl-ls" section), in one shape:
 *
 *   {
 *     "diagnostics": {"unfilled-placeholder": "error", "section-order": "off"},
 *     "templates": {"docs/prd*.md": ".bmad-core/templates/prd-tmpl.md"},
 *     "matchThreshold": 0.6,
 *     "inlayHints": false,
 *     "workspaceDiagnostics": true
 *   }
 *
 *   diagnostics     a code's severity: error, warning, information, hint,
 *                   or off (not reported)
 *   templates       documents whose path (relative to the root) matches
 *                   the glob come from that template (assoc.h's mapping
 *                   rule; globs as there: *, **, ?); the first match wins
 *   matchThreshold  how close a document's headings must be to a
 *                   template's for it to be matched by them (0..1,
 *                   default 0.5)
 *   inlayHints      the document's inlay hints (which instance of a
 *                   repeated section a heading is, the template's heading
 *                   behind a pattern): true (the default) or false
 *   workspaceDiagnostics  the problems of the files that are not open:
 *                   answered to a client that pulls them
 *                   (workspace/diagnostic) unless false; pushed to one
 *                   that does not only when true (default off: a push
 *                   client has no way to ask)
 *
 * The project's file wins over the editor's settings, key by key (a code,
 * a glob): it is what the team and CI share. A value that is wrong is
 * reported and left out; the rest still applies. Keys tmpl-ls does not
 * know are reported in a file, and ignored in the editor's section (which
 * holds the editor's own keys too, such as trace).
 */
#ifndef TMPL_SERVER_FEATURES_SETTINGS_H
#define TMPL_SERVER_FEATURES_SETTINGS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "server/features/diagnostics.h"
#include "server/model/assoc.h"

#define TL_SETTINGS_FILE ".tmpl-ls.json"
#define TL_SETTINGS_MAX_BYTES ((size_t)1 << 20) /* a bigger settings file is an error */
#define TL_SETTINGS_MAX_TEMPLATES 256          /* globs; more are reported and left out */

enum { TL_SEVERITY_DEFAULT = -1, TL_SEVERITY_OFF = 0 }; /* besides GR_SEV_ERROR..GR_SEV_HINT */

typedef struct tl_settings {
  int8_t severity[64];        /* by registry index (tl_codes): TL_SEVERITY_* or a gr_severity */
  tl_assoc_mapping *mappings; /* owned strings */
  size_t mapping_count;
  uint32_t threshold;         /* tl_assoc_options.threshold (0..1000); 0: the default */
  int8_t inlay_hints;         /* -1: the default (on); 0: off; 1: on */
  int8_t workspace_diagnostics; /* -1: the default (pulled when asked, never pushed); 0: off; 1: on */
} tl_settings;

/* Problems found while reading settings: one sentence each, owned. */
typedef struct tl_settings_problems {
  char **items;
  size_t len, cap;
} tl_settings_problems;

/** Empty settings: every default. */
void tl_settings_init(tl_settings *s);
void tl_settings_free(tl_settings *s);

/**
 * Read settings from a JSON value (borrowed), adding to *s (key by key).
 * `where` names the source in problem sentences ("docs/.tmpl-ls.json",
 * "the editor's tmpl-ls settings"); `strict`: report unknown keys.
 */
void tl_settings_read(tl_settings *s, const json_t *v, const char *where, int strict,
                      tl_settings_problems *problems);

/**
 * Read a .tmpl-ls.json text. Returns 0, or -1 when it is not JSON (or too
 * big) and nothing was read; problems get line and column where known.
 */
int tl_settings_load(tl_settings *s, const char *text, size_t len, const char *where,
                     tl_settings_problems *problems);

/** *out = base with over on top, key by key (over's globs first). out is initialized here. */
void tl_settings_merge(tl_settings *out, const tl_settings *base, const tl_settings *over);

/** 1 when inlay hints are on (the default), 0 when "inlayHints" is false. */
int tl_settings_inlay_hints(const tl_settings *s);

/**
 * Are the folder's unopened files' diagnostics given? `pull`: to a client
 * that asks for them (yes unless "workspaceDiagnostics" is false); else
 * pushed (only when it is true).
 */
int tl_settings_workspace_diagnostics(const tl_settings *s, int pull);

/** The assoc options the settings give (borrowing its mappings). */
tl_assoc_options tl_settings_assoc(const tl_settings *s);

/** Apply the severities to d: codes turned off go, others take their new severity. */
void tl_settings_apply(const tl_settings *s, tl_diags *d);

void tl_settings_problems_free(tl_settings_problems *p);

#endif
