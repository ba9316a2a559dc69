/*
 * docdiag.h: diagnostics for a document written from a template
 * (tl_docdiag_*). Stable codes and severities (LSP numbering):
 *
 *   unfilled-placeholder (2, warning)  a {{…}} of the template left in prose,
 *       headings, lists, tables. Never reported: inside an instruction,
 *       example or HTML comment (the enclosing element is reported instead,
 *       or is invisible); {{}}; other languages' syntax and prose about
 *       placeholder syntax anywhere, as tl_foreign_classify decides
 *       (foreign.h): in code only a name the template itself puts in code in
 *       the matching section.
 *   unknown-placeholder (4, hint)      the same, but a name the document's
 *       template does not have (only with a template).
 *   leftover-instruction (1, error)    an [[LLM: …]] outside code.
 *   leftover-example (1, error)        an @{example} block or inline example
 *                                      outside code and instructions.
 *   leftover-markup (2, warning)       a REPEAT or CONDITION block or a
 *       <critical_rule> outside code, instructions and examples: span = the
 *       opener, `extra` = the closer (empty if none).
 *   missing-section (3, information)   a template section the document lacks
 *       (see document.h): an empty span at the insertion offset; tsection set.
 *   section-order (4, hint)            a matched section outside the longest
 *       in-order run: span = its heading; tsection set. When its place is
 *       known (tl_document_order_anchor) the message says "belongs after
 *       (before) X", `extra` is the empty span where it would move to, and
 *       name is X's heading text.
 *   heading-differs (4, hint)          a heading aligned to a template section
 *       it does not spell (document.h: differs): span = the heading text;
 *       `extra` = the part a rename replaces (numbering and emphasis marks
 *       kept); name = the template's heading; tsection set.
 *
 * From the association (tl_docdiag_assoc):
 *   no-template (3, information)       no template found, and the closest
 *       candidate is near enough to be the one the writer meant: at least 2
 *       sections in order and half the threshold (a README that shares an
 *       "Overview" with a template hears nothing); span = the first line;
 *       name = the marker value that would name it (tl_assoc.best_marker).
 *   unknown-template (2, warning)      the marker names a template that is
 *       not found or cannot be read: span = the marker; name = its path.
 *   template-mismatch (3, information) the document does not follow its
 *       template (tl_document_mismatch), said once instead of every missing
 *       section: span = the first line.
 *
 * Without a template only unfilled-placeholder and the leftovers are produced.
 */
#ifndef TMPL_SERVER_MODEL_DOCDIAG_H
#define TMPL_SERVER_MODEL_DOCDIAG_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/assoc.h"
#include "server/model/document.h"
#include "server/model/model.h"

#define TL_DOCDIAG_CODES(XX)                                        \
  XX(UNFILLED_PLACEHOLDER, "unfilled-placeholder", GR_SEV_WARNING)  \
  XX(UNKNOWN_PLACEHOLDER, "unknown-placeholder", GR_SEV_HINT)       \
  XX(LEFTOVER_INSTRUCTION, "leftover-instruction", GR_SEV_ERROR)    \
  XX(LEFTOVER_EXAMPLE, "leftover-example", GR_SEV_ERROR)            \
  XX(LEFTOVER_MARKUP, "leftover-markup", GR_SEV_WARNING)            \
  XX(MISSING_SECTION, "missing-section", GR_SEV_INFORMATION)        \
  XX(SECTION_ORDER, "section-order", GR_SEV_HINT)                  \
  XX(NO_TEMPLATE, "no-template", GR_SEV_INFORMATION)                \
  XX(UNKNOWN_TEMPLATE, "unknown-template", GR_SEV_WARNING)          \
  XX(HEADING_DIFFERS, "heading-differs", GR_SEV_HINT)               \
  XX(TEMPLATE_MISMATCH, "template-mismatch", GR_SEV_INFORMATION)

typedef enum tl_docdiag_code {
#define TL__XX(id, str, sev) TL_DD_##id,
  TL_DOCDIAG_CODES(TL__XX)
#undef TL__XX
  TL_DD_CODE_COUNT
} tl_docdiag_code;

typedef struct tl_docdiag {
  tl_docdiag_code code;
  gr_severity severity;
  gr_span span;
  gr_span extra;      /* leftover-markup: the closer; otherwise empty at span.start */
  uint32_t node;      /* the document tree node concerned, or TL_NONE */
  uint32_t tsection;  /* missing-section, section-order: template section; else TL_NONE */
  char *name;         /* unfilled-, unknown-placeholder: the placeholder name; missing-section:
                         the heading text; otherwise NULL (owned) */
  char *message;      /* owned; name and message are valid UTF-8 (U+FFFD for bad bytes) */
} tl_docdiag;

typedef struct tl_docdiag_list {
  tl_docdiag *items; /* sorted by span start, then code */
  size_t len;
} tl_docdiag_list;

/**
 * Diagnose the document `d` (its tree and template, which may be NULL, are
 * those given to tl_document_new). Returns a new list (tl_docdiag_free).
 */
tl_docdiag_list *tl_docdiag_run(const tl_document *d);
void tl_docdiag_free(tl_docdiag_list *list);

/**
 * The diagnostics of the document's association `a` (no-template,
 * unknown-template, template-mismatch), for the document `d` built against
 * a's template. Both borrowed; a may be NULL (then none). Returns a new list
 * (tl_docdiag_free).
 */
tl_docdiag_list *tl_docdiag_assoc(const tl_document *d, const tl_assoc *a);

/** Skeleton score floor for no-template: this share of the threshold, in percent. */
#define TL_DOCDIAG_NEAR_PERCENT 50
/** ... and at least this many template sections matched in order. */
#define TL_DOCDIAG_NEAR_MATCHED 2

const char *tl_docdiag_code_name(tl_docdiag_code code);
gr_severity tl_docdiag_code_severity(tl_docdiag_code code);

#endif
