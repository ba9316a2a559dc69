/*
 * document.h: what a document is against its template (tl_document_*).
 *
 * A document's heading sections are matched to the template's sections by
 * heading pattern and level (tl_template_heading_match). Each document
 * section gets at most one template section:
 *   - candidates are the template sections of the same level whose pattern
 *     matches; a pattern with no literal text ("## {{title}}") is a
 *     candidate only when its parent matches the document section's parent;
 *   - preferred, in order: parent agrees, more literal characters, not yet
 *     used, nearest after the previous match in template order;
 *   - a template section outside any REPEAT matches at most once: a second
 *     heading for it stays unmatched (documents may add sections freely).
 * Order: the matched sections' template positions (all sections of one
 * REPEAT body count as one position, so repeated instances are in order)
 * must be non-decreasing in document order; a longest non-decreasing
 * subsequence is kept and the sections outside it are "out of order".
 * Missing: a template section with no match that lies in no CONDITION (a
 * REPEAT's section matched zero times is missing once) and whose parent
 * section is matched, or is the template's title, or does not exist: a
 * missing subtree is reported once, at its top, but a document without the
 * template's title still hears about each missing "##" section. Its
 * insertion offset keeps the template's order among siblings (see
 * tl_doc_missing).
 *
 * The tree and the template are borrowed: they must outlive the document.
 * Spans are byte offsets into the document's text.
 */
#ifndef TMPL_SERVER_MODEL_DOCUMENT_H
#define TMPL_SERVER_MODEL_DOCUMENT_H

#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/model.h"
#include "server/model/template.h"

typedef struct tl_document tl_document;

typedef struct tl_dsection {
  uint32_t node;     /* the GR_SECTION node in the document's tree */
  uint8_t level;
  uint8_t in_order;  /* 0 when matched but out of the template's order */
  uint32_t parent;   /* enclosing document section, or TL_NONE */
  uint32_t tsection; /* the template section it matches, or TL_NONE */
  int literal;       /* literal characters of the match (0: wildcard only; -1: none) */
  gr_span span, heading, title;
} tl_dsection;

typedef struct tl_doc_missing {
  uint32_t tsection; /* the template section the document lacks */
  uint32_t offset;   /* where it would be inserted: after the nearest preceding
                        template sibling (same template parent) the document has
                        in order, at the end of its content (after its
                        subsections); else before the nearest following one;
                        else at the end of the parent's content; else before
                        the first matched heading; else the end of the text.
                        Never after the document's closing matter (tail.h). */
} tl_doc_missing;

/** Skeleton evidence, for tl_assoc's score. */
typedef struct tl_doc_score {
  uint32_t doc_sections;      /* headings in the document no deeper than the template's
                                 deepest section level */
  uint32_t template_sections; /* template sections outside CONDITIONs, each REPEAT section once */
  uint32_t matched;           /* distinct template sections outside CONDITIONs matched in
                                 order with literal text (wildcard-only matches excluded) */
  uint32_t matched_doc;       /* document sections counted in doc_sections that are such
                                 matches */
  uint8_t title;              /* 1 when the first document heading matches the template's
                                 title pattern with literal text */
} tl_doc_score;

/**
 * Match the document's sections (tree = gr_parse of its text) against
 * `tmpl`, which may be NULL (then nothing matches and nothing is missing).
 * Returns a new document (tl_document_free); tree and tmpl are borrowed.
 */
tl_document *tl_document_new(const gr_tree *tree, const tl_template *tmpl);
void tl_document_free(tl_document *d);

const gr_tree *tl_document_tree(const tl_document *d);
const tl_template *tl_document_template(const tl_document *d); /* may be NULL */

uint32_t tl_document_section_count(const tl_document *d);
const tl_dsection *tl_document_section(const tl_document *d, uint32_t i);

/** Missing template sections, in template order. */
uint32_t tl_document_missing_count(const tl_document *d);
const tl_doc_missing *tl_document_missing(const tl_document *d, uint32_t i);

/** The innermost document section holding `offset`, or TL_NONE. */
uint32_t tl_document_section_at(const tl_document *d, uint32_t offset);

/**
 * The template section for `offset`: that of the innermost document section
 * holding it that has a match, or TL_NONE.
 */
uint32_t tl_document_tsection_at(const tl_document *d, uint32_t offset);

/** How many document sections match template section `ts` (REPEAT bodies: any number). */
uint32_t tl_document_occurrences(const tl_document *d, uint32_t ts);

tl_doc_score tl_document_score(const tl_document *d);

#endif
