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
 * When the pattern fails, a heading is aligned by its words (TL_ALIGN_KEY,
 * _PART, _WORDS), then by its place among aligned siblings (_POSITION);
 * a section may sit one level deeper or higher than the template's (an
 * added wrapper heading above it, or its parent dropped) when its parent
 * agrees, the parent being the nearest aligned ancestor. A wildcard-only
 * pattern takes a heading only after the literal patterns of its level
 * (and, for the exact text, of the levels next to it) did not: a literal
 * title wins over a wildcard. A heading that is exactly an already aligned
 * section's (the same heading twice) stays unaligned. Each stage scans the
 * template's sections once per heading that reaches it: O(headings x
 * sections), most headings stopping at the first stage.
 * Present without a heading: a template section written as a bold label
 * ("**Repository Structure:** Monorepo"), as a heading with no space after
 * its '#'s ("##Goals") or as a heading inside a list item, in its parent's
 * text, or as a top-level front matter key ("repository_structure:") for a
 * top-level section, is not missing (tl_document_present).
 * Missing: a template section with no match that lies in no CONDITION (a
 * REPEAT's section matched zero times is missing once) and whose parent
 * section is matched, or is the template's title, or does not exist: a
 * missing subtree is reported once, at its top, but a document without the
 * template's title still hears about each missing "##" section. Its
 * insertion offset keeps the template's order among siblings (see
 * tl_doc_missing). A section some of whose subsections are
 * aligned (its children promoted) is not missing. When most of the template
 * fails to align, and most of the document's headings too, the document does
 * not follow the template (tl_document_mismatch) and no section is listed
 * as missing.
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

/* How a document heading was aligned to its template section. */
typedef enum tl_align {
  TL_ALIGN_EXACT = 0, /* the heading pattern matches (case and spacing aside) */
  TL_ALIGN_KEY,       /* the same words once numbering, emphasis, escapes, emoji,
                         case and punctuation are set aside ("### **3.3. Goals**") */
  TL_ALIGN_PART,      /* one part of the heading is the section's ("Goals: Q3 targets",
                         "Objectifs / Goals"): the writer added to it */
  TL_ALIGN_WORDS,     /* most content words in common ("Infrastructure as Code" for
                         "Infrastructure as Code (IaC)") */
  TL_ALIGN_POSITION   /* the one unmatched heading between two aligned siblings, where
                         the template has one section between them */
} tl_align;

typedef struct tl_dsection {
  uint32_t node;     /* the GR_SECTION node in the document's tree */
  uint8_t level;
  uint8_t in_order;  /* 0 when matched but out of the template's order */
  uint32_t parent;   /* enclosing document section, or TL_NONE */
  uint32_t tsection; /* the template section it matches, or TL_NONE */
  int literal;       /* literal characters of the match (0: wildcard only; -1: none) */
  gr_span span, heading, title;
  uint8_t how;       /* tl_align of the match (when tsection is set) */
  uint8_t shifted;   /* 1 when matched one level deeper or higher than the template's */
  uint8_t differs;   /* 1 when the heading reads differently from the template's
                        beyond numbering and emphasis: worth a heading-differs hint */
  uint8_t dup;       /* 1 when its heading is exactly that of a section aligned before it */
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
                                 order with literal text (wildcard-only matches, and those
                                 by words in common or by place, excluded) */
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

/**
 * The same, with only what tl_document_score needs: no alignment by words
 * or place, no presence without a heading, no missing list, no mismatch.
 * Association scores every template of the workspace with it.
 */
tl_document *tl_document_new_for_score(const gr_tree *tree, const tl_template *tmpl);

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

/** 1 when template section `ts` is written without a heading of its own (see above). */
int tl_document_present(const tl_document *d, uint32_t ts);

/**
 * 1 when the document does not follow its template: of the template's
 * sections outside CONDITIONs (its title aside, at least 4), fewer than a
 * third are aligned or present, and the document has at least two headings
 * of the template's levels that align to nothing (one, when neither the
 * template's title nor any section aligns), no fewer than those that
 * align. *aligned and *total (may be NULL) get the first two counts.
 */
int tl_document_mismatch(const tl_document *d, uint32_t *aligned, uint32_t *total);

/**
 * Where out-of-order section `i` belongs: the in-order section of its
 * template siblings that comes last before it in the template (*after = 1:
 * move it to that section's end), else the first after it (*after = 0:
 * before that section's heading). Returns that document section, or TL_NONE
 * (no sibling to go by, or the place lies inside section i).
 */
uint32_t tl_document_order_anchor(const tl_document *d, uint32_t i, int *after);

#endif
