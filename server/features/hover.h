/*
 * hover.h: what the element under the cursor is (ft_hover_*).
 *
 * A hover names the DSL element at a byte offset in a template and says,
 * in Markdown, what it is and does, plus facts computed from the trees:
 * - placeholder {{x}} (anywhere in it, braces included): how many times
 *   "x" occurs in this template, in how many sections, on which lines;
 *   whether this one is only mentioned (inside an instruction, an example
 *   or code);
 * - REPEAT / CONDITION (on the opener or the closer): what the block does,
 *   the blocks of the same kind and name in this template, and in each of
 *   the other templates given ("`other-tmpl.md`: 2 uses, lines 4, 30");
 * - example block (opener or closer), inline example, critical rule and
 *   LLM instruction (opener or closer): what it is;
 * - a section's heading line (outside any placeholder): level, and the
 *   CONDITION / REPEAT it lies inside.
 * Plain text, the body text of instructions and blocks, fences, code spans
 * and comments give no hover (NULL): a hover over every line of a long
 * instruction would only get in the way.
 *
 * Names are matched byte for byte (trimmed, as the parser gives them).
 * Line numbers in the text are 1-based, for people.
 */
#ifndef TMPL_SERVER_FEATURES_HOVER_H
#define TMPL_SERVER_FEATURES_HOVER_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "grammar/lines.h"

/* Another open template, for "where else is this name used". */
typedef struct ft_hover_source {
  const char *name;       /* how to show it: a file name or URI (NUL-terminated) */
  const gr_tree *tree;    /* its tree (and text) */
  const gr_lines *lines;  /* its line index, or NULL to have one built for the call */
} ft_hover_source;

typedef struct ft_hover {
  gr_span span;   /* what the hover is about: the placeholder, the marker
                     (opener or closer) under the cursor, or the heading line */
  uint32_t node;  /* the node in the tree */
  char *markdown; /* NUL-terminated Markdown (LSP MarkupContent kind "markdown"), valid
                     UTF-8 whatever the text holds (names quoted from it are cleaned and
                     cut at 200 bytes); owned */
} ft_hover;

/**
 * The hover at byte `offset` of `tree` (a span holds its end too, so a
 * cursor just after "}}" is on the placeholder). `lines` indexes the tree's
 * text, or is NULL to have one built for the call. `others` (may be NULL
 * when `n_others` is 0) are the other open templates; an entry whose tree
 * is `tree` itself is skipped. Everything is only read during the call.
 * Returns a new hover (ft_hover_free), or NULL when there is nothing to say.
 */
ft_hover *ft_hover_at(const gr_tree *tree, const gr_lines *lines, uint32_t offset,
                      const ft_hover_source *others, size_t n_others);

typedef struct yt_tmpl yt_tmpl; /* yaml/ytmpl.h */

/**
 * The hover at byte `offset` of a YAML template file (its view `tm`; the
 * Markdown features' tree of such a file is empty), for editing it:
 * - a key of the top level, `template:`, `template.output:`, `workflow:`
 *   or a section: what it means, where it belongs and the value it takes
 *   (ykeys.h); a key the front-end does not know there has none;
 * - the value of a section's `type` or `mermaid_type`, or of
 *   `workflow.mode`: what it means;
 * - a {{var}} (braces included): how often the template uses the name,
 *   and where: `template.output.title`, "section `story` title (2)", ...
 * Keys and {{vars}} in lines the tree did not read (after a syntax error)
 * are found from the line's text and indentation. Returns a new hover
 * (ft_hover_free; node: the tree node, or YT_NONE when from the line), or
 * NULL when there is nothing to say.
 */
ft_hover *ft_hover_yaml(const yt_tmpl *tm, uint32_t offset);

/** Free a hover. NULL is fine. */
void ft_hover_free(ft_hover *hover);

#endif
