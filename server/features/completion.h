/*
 * completion.h: what fits at the cursor (ft_completion_*).
 *
 * The context is read from the text before the cursor on its line (a
 * marker being typed is not markup yet, so the tree cannot say) and from
 * the tree around it. Nothing fits, and the list is empty, anywhere else:
 * plain prose, and in a document also code (fences, code spans, front
 * matter) and HTML comments.
 *
 * In a template:
 *   "^^CONDITION: x|"    CONDITION names of the workspace, most used first
 *   "^^/CONDITION: x|"   the same, the innermost open CONDITION first
 *   "<<REPEAT: x|"       REPEAT names of the workspace
 *   "@{example: x|"      example block names of the workspace
 *   "{{x|"               placeholder names of this template and the
 *                        workspace (the one being typed not counted)
 *   "<<", "^^", "[[", "@{" after a blank or at a line start, "<", "^",
 *                        "@" at a line start (after indentation or a list
 *                        marker), "[" after indentation only, or a
 *                        longer prefix of the keyword: the directive
 *                        skeletons whose keyword starts so (REPEAT block,
 *                        CONDITION block with the closer repeating the
 *                        name, LLM instruction, example block, critical
 *                        rule), and the closer of the innermost open
 *                        REPEAT / CONDITION; block names default to the
 *                        enclosing heading's (ft_edit_slug)
 *   in an LLM instruction, after "reference / see / refer to / consult /
 *   per / described in / defined in / covered in [the] " and Title Case
 *   words: the template's own section names (not the one it stands in)
 * In a document written from a template:
 *   "## x|" (1 to 6 '#', any text), or a blank line when the user asked
 *                        (no trigger character): structural. The parent
 *                        is the innermost document section holding the
 *                        cursor of a lower level than the '#'s typed (a
 *                        blank line: each section holding the cursor, up
 *                        to the top); offered are the template's children
 *                        of the parent's template section that the
 *                        document lacks (a REPEAT's sections always), in
 *                        template order, each written at the parent's
 *                        level plus one; at the top (no parent, or an
 *                        unmatched title) the template's title and its
 *                        children of the typed level; under a section of
 *                        the document's own, nothing. Each inserts its
 *                        skeleton (tl_skeleton_section_new, CONDITION
 *                        blocks left out) and documents the template's
 *                        instructions
 *   "{{x|"               the placeholders of the template's section the
 *                        cursor is in
 *
 * Names: a name is offered once; a name's item closes the marker ("^^",
 * ">>", "}", "}}") unless the closing already follows, and puts a space
 * after a marker's colon when none was typed; over an existing
 * name (the cursor inside "{{na|me}}") the whole name is replaced.
 * Replace spans lie on the cursor's line and hold the cursor. Texts use
 * the file's own line ending.
 */
#ifndef TMPL_SERVER_FEATURES_COMPLETION_H
#define TMPL_SERVER_FEATURES_COMPLETION_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/document.h"
#include "server/model/workspace.h"

typedef enum ft_comp_kind {
  FT_COMP_SECTION = 0, /* a section to add (document) */
  FT_COMP_SECTION_REF, /* a section name in an instruction (template) */
  FT_COMP_PLACEHOLDER,
  FT_COMP_CONDITION,
  FT_COMP_REPEAT,
  FT_COMP_EXAMPLE,
  FT_COMP_DIRECTIVE,   /* a markup skeleton */
  FT_COMP_KEY,         /* a key of a YAML template */
  FT_COMP_VALUE,       /* a value of a YAML template's key */
  FT_COMP_KIND_COUNT
} ft_comp_kind;

/** The LSP CompletionItemKind: Module 9, Reference 18, Variable 6, Constant 21, Enum 13, Value 12,
 *  Snippet 15, Property 10, EnumMember 20. */
int ft_comp_kind_lsp(ft_comp_kind kind);

typedef struct ft_comp_request {
  const gr_tree *tree;     /* the file being edited, parsed (borrowed) */
  uint32_t offset;         /* the cursor, a byte offset */
  int is_template;         /* 1: a template; 0: a document written from one */
  int snippets;            /* 1: the client takes snippets (insertTextFormat 2) */
  char trigger;            /* the character that triggered the request, or 0 when the
                              user asked (a blank line offers sections only then) */
  const tl_workspace *ws;  /* the workspace's templates, or NULL */
  uint32_t self;           /* templates: the edited file's entry in ws (skipped: `tree` is
                              its current text), or TL_NONE */
  const tl_document *doc;  /* documents: aligned against its template, or NULL */
  uint32_t tmpl;           /* documents: that template's entry in ws, or TL_NONE */
} ft_comp_request;

typedef struct ft_comp_item {
  ft_comp_kind kind;
  char *label;   /* what the list shows */
  char *detail;  /* one line, or NULL */
  char *doc;     /* Markdown, or NULL */
  char *filter;  /* filterText: what the typed text is matched against */
  char *sort;    /* sortText: the list's order ("0000", "0001", ...) */
  gr_span edit;  /* bytes replaced: on the cursor's line, holding the cursor */
  char *text;    /* new text */
  uint8_t snippet; /* 1: text is an LSP snippet (only when the request allows) */
  uint8_t as_is;   /* 1: text spans lines and is indented already (LSP insertTextMode asIs) */
} ft_comp_item;

/* The list's caps: past them items are left out and `incomplete` is set. */
#define FT_COMP_MAX_ITEMS 1000
#define FT_COMP_MAX_BYTES ((size_t)4 << 20) /* labels, details, docs and texts together */

typedef struct ft_completions {
  ft_comp_item *items; /* in sort order */
  size_t len;
  int incomplete;      /* 1: a cap left items out (LSP isIncomplete) */
} ft_completions;

/**
 * The completions at rq->offset. Everything in rq is only read during the
 * call. Never fails; returns a new list, possibly empty (ft_completion_free).
 */
ft_completions *ft_completion_new(const ft_comp_request *rq);
void ft_completion_free(ft_completions *c);

typedef struct yt_tmpl yt_tmpl; /* yaml/ytmpl.h */

/**
 * The completions at byte `offset` of a YAML template file (its view `tm`),
 * by the place of the cursor (ykeys.h: read from the lines, so a broken
 * file mid-edit is read as far as its lines look like YAML):
 *   a key being typed, or a blank line: the keys of the mapping the cursor
 *                        is in (the top level, `template:`,
 *                        `template.output:`, `workflow:`, a section) that
 *                        it does not hold yet, in the front-end's order;
 *                        each inserts "key: " and what helps its value:
 *                        "true" for a boolean, a first list item for
 *                        `sections` and other lists, a `|` block, the
 *                        usual keys of `template:`, `output:`, `workflow:`
 *                        (with snippets: tab stops and choices; lines
 *                        below the key are indented under it, insertTextMode
 *                        asIs); over a key that has its ':' only the name
 *   "type: x|"          section types; "mermaid_type: " mermaid types;
 *                        elicit, repeatable, readonly, optional and the
 *                        other booleans: true, false; workflow.mode:
 *                        interactive, yolo (the value on the line is
 *                        replaced; right after the ':' a space comes first)
 *   "{{x|"               the {{vars}} of the template, most used first
 *                        (the one being typed not counted), closing the
 *                        braces unless they are closed
 * Nothing in a comment, a block of text or a list of strings, nor for a
 * space typed on a blank line (trigger ' '). Caps as ft_completion_new.
 */
ft_completions *ft_completion_yaml(const yt_tmpl *tm, uint32_t offset, int snippets, char trigger);

#endif
