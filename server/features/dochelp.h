/*
 * dochelp.h: help while writing a document from its template
 * (ft_dochelp_*): the hover of a document's section, the way from a
 * document to its template (definition), the file names a template
 * mentions (links), and the lens above the title.
 *
 * Pure: reads the model (tl_document aligned against its template,
 * tl_assoc), returns plain C results with byte spans. Spans named "doc"
 * are in the document's text, "tmpl" in the template's.
 */
#ifndef TMPL_SERVER_FEATURES_DOCHELP_H
#define TMPL_SERVER_FEATURES_DOCHELP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/features/diagnostics.h"
#include "server/model/assoc.h"
#include "server/model/document.h"
#include "server/model/template.h"

/* ---- hover -------------------------------------------------------------- */

typedef struct ft_dochelp_hover {
  bool has_span;  /* the cursor is on the section's heading line: span is that line */
  gr_span span;   /* doc */
  uint32_t dsection; /* the document section the hover is about */
  char *markdown; /* NUL-terminated, valid UTF-8 (owned) */
} ft_dochelp_hover;

/**
 * The hover at byte `offset` of the document `d`: for the innermost
 * document section holding it that matches a template section, that
 * section's instructions, critical rules, placeholders, and whether it is
 * repeatable or conditional. On the title (the document's first heading
 * section) also which template (`tmpl_name`, how to show it) and why
 * (a's rule and reason sentence); with no template, the title says so.
 * Returns a new hover (ft_dochelp_hover_free), or NULL when there is
 * nothing to say (no matched section holds the offset). All borrowed.
 */
ft_dochelp_hover *ft_dochelp_hover_at(const tl_document *d, const tl_assoc *a, const char *tmpl_name,
                                      uint32_t offset);
void ft_dochelp_hover_free(ft_dochelp_hover *h);

/* ---- definition --------------------------------------------------------- */

typedef struct ft_dochelp_target {
  gr_span from; /* doc: the placeholder or heading line under the cursor */
  gr_span to;   /* tmpl: the template's placeholder or section heading line */
} ft_dochelp_target;

/**
 * Where the element at `offset` of the document comes from: a {{placeholder}}
 * to where the template introduces that name (its first use outside
 * instructions and examples within the matching section, else the first in
 * the template outside them, else the first at all); a heading line to the
 * template section it matches. Returns 1 and fills *out, or 0.
 */
int ft_dochelp_definition(const tl_document *d, uint32_t offset, ft_dochelp_target *out);

/* ---- links -------------------------------------------------------------- */

#define FT_DOCHELP_MAX_LINKS 2000 /* links returned for one file */

typedef struct ft_doclink {
  gr_span span;     /* where the name appears */
  const char *name; /* the file name (borrowed from the template, or `own`) */
  char *own;        /* a document's own mention: its copy of the name (NULL for the template's names) */
} ft_doclink;

typedef struct ft_doclinks {
  ft_doclink *items; /* by span start */
  size_t len;
} ft_doclinks;

/**
 * The file names template `t` (may be NULL) mentions (tl_template_file),
 * where they appear: in the template itself when `tree` is NULL (the
 * model's spans), else in the document text of `tree`, as whole names (not
 * inside a longer name or path), and with them every file name the
 * document mentions itself (tl_file_mentions; `own` set); where two
 * overlap, the longer is kept. The caller keeps those it can resolve (the
 * template's names from where the template lies, a document's own from
 * where it lies). New list (ft_doclinks_free); t and tree borrowed.
 */
ft_doclinks *ft_dochelp_links(const tl_template *t, const gr_tree *tree);
void ft_doclinks_free(ft_doclinks *l);

/* ---- code lens ---------------------------------------------------------- */

typedef struct ft_doclens {
  gr_span span;      /* doc: the first heading line, or empty at 0 */
  uint32_t unfilled; /* unfilled-placeholder diagnostics */
  uint32_t missing;  /* missing sections (missing-section diagnostics) */
  bool has_template;
  char title[128];   /* "2 unfilled placeholders · 1 missing section";
                        without a template "2 unfilled placeholders · no template" */
} ft_doclens;

/**
 * The lens above the document's title. `published` (may be NULL): the
 * document's diagnostics as published, so that what suppression comments
 * and settings turn off is not counted; NULL counts from the model.
 */
ft_doclens ft_dochelp_lens(const tl_document *d, const tl_diags *published);

#endif
