/*
 * docfix.h: the quick fixes of the diagnostics that tell a document's
 * writer what is going on (ft_docfix_*): plain byte edits on the document's
 * text, in its own line ending, which the code-action feature offers.
 *
 *   no-template      "Associate with <template>": the marker comment
 *                    <!-- tmpl-ls: template=<path> --> on a line of its own
 *                    at the top (after a BOM and front matter), the path as
 *                    the marker rule resolves it (tl_assoc.best_marker,
 *                    quoted when it holds a space); preferred.
 *   heading-differs  "Rename heading to <template heading>": the heading's
 *                    text, its numbering and emphasis marks kept; preferred.
 *   section-order    "Move section after <X>" / "... before <X>": the whole
 *                    section with its subsections, as one replacement of the
 *                    text between the section and its new place; preferred.
 */
#ifndef TMPL_SERVER_FEATURES_DOCFIX_H
#define TMPL_SERVER_FEATURES_DOCFIX_H

#include <stdint.h>

#include "server/features/edit.h"
#include "server/model/assoc.h"
#include "server/model/docdiag.h"
#include "server/model/document.h"

typedef struct ft_docfix {
  char *title;       /* owned */
  uint8_t preferred;
  ft_edits edits;    /* on the text of d's tree, sorted, non-overlapping */
} ft_docfix;

/**
 * The fix for diagnostic `x` (from tl_docdiag_run or tl_docdiag_assoc on
 * `d` with association `a`, which may be NULL; all borrowed). Returns 1
 * with *out filled (ft_docfix_free), or 0 when x has no fix here (*out
 * untouched). unknown-template: the marker pointed at the closest
 * template when there is one, else the marker removed.
 */
int ft_docfix_for(const tl_document *d, const tl_assoc *a, const tl_docdiag *x, ft_docfix *out);
void ft_docfix_free(ft_docfix *f);

#endif
