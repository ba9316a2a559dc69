/*
 * tail.h: a file's closing matter (tl_tail_*): the footer after the last
 * section's content, such as
 *
 *   ---
 *
 *   *Document Version: 1.0*
 *   *Last Updated: {{current_date}}*
 *
 * It is a thematic break ("---", "***" or "___", three or more, blanks
 * allowed between) on a line of its own after a blank line (a "---" right
 * under text underlines a setext heading), outside code, front matter,
 * instructions and examples, followed to the end of the file by no heading
 * and at most TL_TAIL_MAX_LINES non-blank lines. It belongs to no section:
 * inserts go before it, and a section's skeleton leaves it out.
 */
#ifndef TMPL_SERVER_MODEL_TAIL_H
#define TMPL_SERVER_MODEL_TAIL_H

#include <stdint.h>

#include "grammar/grammar.h"

#define TL_TAIL_MAX_LINES 8

/**
 * Where the closing matter starts inside `within` (a span of tree's text),
 * the start of its break line; within.end when `within` does not run to
 * the end of the text or holds no closing matter. The tree is borrowed.
 */
uint32_t tl_tail_start(const gr_tree *tree, gr_span within);

#endif
