/*
 * codeaction.h: the code actions for a range of a file (ft_codeaction_*).
 *
 * Quick fixes fix the diagnostics the client names (context.diagnostics)
 * or, when it names none, those that touch the range (a diagnostic
 * touches it when their spans overlap or meet, or when it is empty and on
 * the line where the range starts), each listing what it fixes; refactors work on the range. Every action is a list of byte edits
 * on the file's text, written in its own line ending; an action whose
 * edits would give the file more grammar diagnostics than it has (a
 * template quick fix: not fewer), reparsed with the default gr_options as
 * the server parses, is never offered.
 *
 * In a template:
 *   quickfix  unclosed-block: close it (REPEAT, CONDITION, example: on a
 *             line of its own at the end of its section, before the blank
 *             lines there; an LLM instruction or critical rule: right after
 *             its last text); mismatched-closer: rename the CONDITION's
 *             closer to the opener's name, or close the blocks an outer
 *             closer crossed just before it; stray-closer: remove it;
 *             empty-placeholder: remove it; unterminated-placeholder:
 *             close it at the end of its line; malformed-fence: drop the
 *             closing fence's info string
 *   refactor.rewrite  "Wrap in REPEAT block", "Wrap in CONDITION block":
 *             the range's whole lines, when no element crosses their
 *             edges; the name is the first heading's in the range, else
 *             the enclosing one's (ft_edit_slug)
 *   refactor.insert  "Insert example table": an @{example: <section>_table}
 *             block with a Markdown table whose columns are the nearest
 *             table's header cells, or the nearest list's item labels, in
 *             the section (not in instructions, examples or code), put
 *             after that table or list; offered on that table or list, or
 *             on a blank line
 * In both, for each code among the diagnostics asked about (rq->diags):
 *   quickfix  "Turn off <code> on this line": a tmpl-ls-disable-next-line
 *             comment on a line of its own above the diagnostic's line,
 *             indented as it is (at the end of the line, as
 *             tmpl-ls-disable-line, for a table row, which a line between
 *             rows would split); not offered where a comment is text
 *             (code, front matter, an instruction, a critical rule, a
 *             comment); "Turn off <code> in this file": a
 *             tmpl-ls-disable-file comment at the top (after a BOM and
 *             front matter). See suppress.h. Listed after every other action.
 * In a document written from a template:
 *   quickfix  leftover-instruction / leftover-example: remove it;
 *             leftover-markup: remove the markers and keep the content
 *             (preferred), or for a CONDITION remove the block with its
 *             content; unfilled-placeholder: the template's inline example
 *             for that place (on the placeholder's line, or alone on the
 *             next line), when it has one; missing-section: insert the
 *             section's skeleton (tl_skeleton_section_new, CONDITION
 *             blocks and the template's closing matter left out) at its
 *             tl_doc_missing offset, and "Insert all missing sections"
 *             when more than one is missing; unfilled-placeholder also:
 *             "Select the placeholder" (rq->can_select); no-template,
 *             heading-differs, section-order: docfix.h
 *   source.fixAll.tmpl-ls  "Remove leftover instructions, examples and
 *             markers": every leftover-instruction / -example removed and
 *             every leftover-markup's markers (the content stays), in one
 *             edit; offered when rq->only asks for it and there is one, or,
 *             with no rq->only, when the range touches one of two or more
 *   refactor.insert  "Add another <name> (REPEAT)" in a section of a
 *             REPEAT, or in the section holding the REPEAT: the REPEAT
 *             body's skeleton after the last instance within the same
 *             parent section, its headings' placeholders kept (they name
 *             the new item) and a number the template's heading ends with
 *             ("Environment 1") counted on from the instances present;
 *             "Insert example table <name>" for each example of the
 *             cursor's template section that holds a table whose header
 *             row the section does not have yet: that table, where the
 *             example stands in the template relative to the section's
 *             other content (before the section's first content when the
 *             example comes first, else after the cursor's paragraph),
 *             when the cursor is in the section's own text (not on
 *             markup, code or comments)
 */
#ifndef TMPL_SERVER_FEATURES_CODEACTION_H
#define TMPL_SERVER_FEATURES_CODEACTION_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/features/diagnostics.h"
#include "server/features/edit.h"
#include "server/model/document.h"
#include "server/model/workspace.h"

typedef enum ft_action_kind {
  FT_ACTION_QUICKFIX = 0,
  FT_ACTION_REWRITE,
  FT_ACTION_INSERT,
  FT_ACTION_FIX_ALL, /* "source.fixAll.tmpl-ls" */
  FT_ACTION_KIND_COUNT
} ft_action_kind;

/** The LSP CodeActionKind: "quickfix", "refactor.rewrite", "refactor.insert",
 * "source.fixAll.tmpl-ls" (static). */
const char *ft_action_kind_name(ft_action_kind kind);

typedef struct ft_action_request {
  const gr_tree *tree;    /* the file, parsed (borrowed) */
  gr_span range;          /* the selection, or the cursor (empty) */
  int is_template;        /* 1: a template; 0: a document written from one */
  const tl_workspace *ws; /* documents: the workspace holding the template, or NULL */
  uint32_t tmpl;          /* documents: the template's entry in ws, or TL_NONE */
  const tl_document *doc; /* documents: aligned against that template, or NULL */
  const struct tl_assoc *assoc; /* documents: how the template was found (no-template,
                             unknown-template), or NULL */
  const gr_span *also;    /* spans of diagnostics the client asks about (its
                             context.diagnostics, tmpl-ls's own): when one of
                             them is a diagnostic the file has now, quick fixes
                             are for these only, whether or not they touch the
                             range; otherwise (none, or a stale list) for those
                             that touch it; may be NULL */
  size_t n_also;
  const char *const *only; /* context.only: the kinds asked for, each matching
                              itself and the kinds below it ("refactor" matches
                              "refactor.insert"); NULL: every kind */
  size_t n_only;
  int can_select;         /* 1: the client can put the selection on a span for
                             the user to type over (a snippet edit, or a
                             command the server answers with
                             window/showDocument): offers "Select the
                             placeholder" */
  int no_comments;        /* 1: the file cannot hold tmpl-ls' HTML comments (a YAML
                             template): no "Turn off ..." suppression actions */
  const tl_diags *diags;  /* the file's diagnostics as published (after its
                             suppression comments), for the "Turn off" actions;
                             may be NULL (then none) */
} ft_action_request;

typedef struct ft_action {
  ft_action_kind kind;
  char *title;       /* owned */
  uint8_t preferred; /* a quick fix that is clearly the right one */
  ft_edits edits;    /* byte edits on the file's text, sorted, non-overlapping */
  uint8_t selects;   /* 1: no edits; the action puts the selection on `select` */
  gr_span select;
  tl_diags fixes;    /* quick fixes: the diagnostics fixed (code, span, severity, message) */
} ft_action;

typedef struct ft_actions {
  ft_action *items; /* quick fixes first (in diagnostic order), then refactors */
  size_t len;
} ft_actions;

/* Quick fixes offered per request, for the first diagnostics in the range:
 * each is checked by a reparse, so a range over thousands of diagnostics
 * must not cost thousands of parses. */
#define FT_CA_MAX_FIXES 64
/* Bytes reparsed to check the actions of one request: past them the rest
 * are not offered (a 4 MB file gets 4 checked actions, a 40 KB one 64). */
#define FT_CA_REPARSE_BYTES ((size_t)16 << 20)

/** Is `kind` asked for by rq->only (as LSP matches CodeActionKinds)? */
int ft_codeaction_kind_wanted(const ft_action_request *rq, ft_action_kind kind);

/**
 * The actions for rq->range, of the kinds rq->only asks for; at most one
 * action is preferred per diagnostic it fixes (the first built). Everything in rq is only read during the
 * call. Never fails; returns a new list, possibly empty (ft_codeaction_free).
 */
ft_actions *ft_codeaction_new(const ft_action_request *rq);
void ft_codeaction_free(ft_actions *a);

#endif
