/*
 * folding.h: folding ranges of a template (ft_folding_*).
 *
 * What folds: sections, REPEAT / CONDITION / example / critical-rule
 * blocks, LLM instructions, fenced code, front matter and HTML comments,
 * when they span more than one line. Ranges are whole lines (0-based), as
 * LSP FoldingRange wants them:
 * - a range ends on the line of the element's last byte: a section ends on
 *   the line before the next heading (or before its container's closer);
 *   a block, fence, comment or instruction ends on its closer's line (an
 *   unclosed one on the line where the parser ended it);
 * - nothing for single-line elements (end_line > start_line always);
 * - one range per start line: when two start on one line, the outer one
 *   (the ancestor) is kept.
 * Kinds: HTML comments and LLM instructions fold as "comment" (both are
 * text that never reaches the finished document, so "fold all comments"
 * leaves the template's skeleton); everything else is "region".
 */
#ifndef TMPL_SERVER_FEATURES_FOLDING_H
#define TMPL_SERVER_FEATURES_FOLDING_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "yaml/ytmpl.h"

typedef enum ft_fold_kind {
  FT_FOLD_REGION = 0,
  FT_FOLD_COMMENT = 1
} ft_fold_kind;

/** LSP FoldingRangeKind string: "region" or "comment" (static). */
const char *ft_fold_kind_name(ft_fold_kind kind);

typedef struct ft_fold {
  uint32_t start_line, end_line; /* 0-based, end_line > start_line */
  ft_fold_kind kind;
  uint32_t node;                 /* the tree node it folds (the YAML tree's for a YAML template) */
} ft_fold;

typedef struct ft_folds {
  ft_fold *items; /* ordered by start_line, strictly increasing; read-only */
  size_t len;
} ft_folds;

/**
 * Folding ranges of `tree`; `lines` must index the tree's text
 * (gr_lines_new(gr_tree_text(tree), gr_tree_len(tree))). Both are only read
 * during the call. Never fails; returns a new list (ft_folding_free).
 */
ft_folds *ft_folding_new(const gr_tree *tree, const gr_lines *lines);
/**
 * Folding ranges of a YAML template's view `tm`; `lines` must index its
 * text. Every mapping, sequence and scalar (a block scalar, `instruction:
 * |`, or a plain or quoted one continued over lines) that spans lines
 * folds, from its key's line (the `-` line for a list item) to the line of
 * its last byte; not the root (the whole file). Same rules as above: one
 * range per start line, the outer kept. A section's instruction folds as
 * "comment", the rest as "region". Never fails; linear in the tree;
 * returns a new list (ft_folding_free).
 */
ft_folds *ft_folding_new_yaml(const yt_tmpl *tm, const gr_lines *lines);

/** Free the list. NULL is fine. */
void ft_folding_free(ft_folds *folds);

#endif
