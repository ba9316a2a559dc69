/*
 * assoc.h: which template a document comes from (tl_assoc_*).
 *
 * Rules, tried in this order; the first that names a template wins:
 *
 *  1. marker: an HTML comment, invisible when rendered, anywhere in the
 *     document outside code:
 *         <!-- tmpl-ls: template=path/to/x-tmpl.md -->
 *     The value may be quoted ("a b-tmpl.md"). The path is resolved
 *     against the document's folder first, then against the workspace
 *     root; "./" and "../" are folded. Only the first marker counts. A
 *     marker naming no template of the set is remembered (marker_unresolved)
 *     and the next rules are tried.
 *  2. configuration: the caller's forced choice (`tmpl-ls check --template
 *     FILE`; rule "forced"), else the first configured glob that matches the
 *     document's path
 *     (relative to the root). Globs: '*' any run of characters other than
 *     '/', '**' any run including '/', '?' one character other than '/';
 *     "**" followed by '/' also matches no folder at all ("**" + "/x.md"
 *     matches "x.md").
 *  3. output-path: a template whose announced output path
 *     (tl_template_output_match) is the document's path. When several do,
 *     the one with the best skeleton score.
 *  4. skeleton: the template whose section skeleton best matches the
 *     document's headings (tl_document_score), when its score reaches the
 *     threshold and at least 3 sections match in order:
 *         score = 200*title + 500*matched/doc_sections
 *               + 300*matched/template_sections          (0..1000)
 *     doc_sections counts headings no deeper than the template's deepest
 *     level (documents add their own subsections). Default threshold 500:
 *     a document in progress that has its title and a few sections of the
 *     template (precision high, recall low) scores above 700; a document
 *     that shares two generic headings ("Overview", "Testing") with a
 *     template fails the 3-section floor, and one that shares a few among
 *     many of its own scores below 300. Ties: more matches, then set order.
 *  5. none (the best candidate of rule 4 is kept: best, best_score...).
 *
 * Paths are '/'-separated and relative to the workspace root, as in
 * tl_workspace. A template is never associated with itself (a document
 * whose path is a template's path skips that template).
 */
#ifndef TMPL_SERVER_MODEL_ASSOC_H
#define TMPL_SERVER_MODEL_ASSOC_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/model.h"
#include "server/model/workspace.h"

typedef enum tl_assoc_rule {
  TL_ASSOC_NONE = 0,
  TL_ASSOC_FORCED,
  TL_ASSOC_MARKER,
  TL_ASSOC_MAPPING,
  TL_ASSOC_OUTPUT_PATH,
  TL_ASSOC_SKELETON
} tl_assoc_rule;

typedef struct tl_assoc_mapping {
  const char *glob;     /* matched against the document's path */
  const char *template; /* a template path of the set */
} tl_assoc_mapping;

typedef struct tl_assoc_options {
  const char *forced;                /* template path that wins over mappings and the
                                        later rules (not over a marker), or NULL */
  const tl_assoc_mapping *mappings;  /* may be NULL */
  size_t mapping_count;
  uint32_t threshold;                /* skeleton score floor, 0..1000; 0 means 500 */
} tl_assoc_options;

typedef struct tl_assoc {
  tl_assoc_rule rule;
  uint32_t template;          /* index in the set at the time of the call, or TL_NONE */
  char *template_path;        /* owned copy, or NULL */
  uint32_t score;             /* skeleton score of the chosen template (0..1000), 0 if not computed */
  uint8_t marker_unresolved;  /* a marker was found but names no template of the set */
  gr_span marker;             /* the marker comment, empty at 0 when none */
  char *marker_path;          /* the path the marker names (owned), or NULL */
  char *reason;               /* one human sentence (owned), e.g.
                                 "docs/x.md announces ... as its output path" */
  char *marker_tried;         /* marker_unresolved: the paths tried, ", "-separated (owned) */
  /* Rule 4's best candidate, also when it falls short (set whenever rule 4
   * was tried and the set has a template other than the document itself): */
  uint32_t best;              /* index in the set, or TL_NONE */
  char *best_path;            /* owned copy, or NULL */
  char *best_marker;          /* the marker value that names it from this document: the
                                 root-relative path, or "../"-relative when that would
                                 find another template first (owned), or NULL */
  uint32_t best_score;        /* its skeleton score, 0..1000 */
  uint32_t best_matched;      /* its sections matched in order with literal text */
  uint32_t threshold;         /* the skeleton threshold used, 1..1000 */
} tl_assoc;

/**
 * Find the template for the document at `doc_path` whose tree is `doc`
 * (both borrowed). opts may be NULL. A forced or mapped template path that
 * is not in the set gives rule NONE with a reason saying so (the later
 * rules are not tried: the configuration said which template it wants). Returns a new
 * result (tl_assoc_free); never NULL.
 */
tl_assoc *tl_assoc_find(const tl_workspace *ws, const char *doc_path, const gr_tree *doc,
                        const tl_assoc_options *opts);
void tl_assoc_free(tl_assoc *a);

/** Stable rule names: "none", "forced", "marker", "mapping", "output-path", "skeleton". */
const char *tl_assoc_rule_name(tl_assoc_rule rule);

/** 1 when `path` matches `glob` (syntax above), else 0. */
int tl_glob_match(const char *glob, const char *path);

/**
 * The marker's template path in the document, or NULL: a new string
 * (caller frees with gr_free); *span is set to the comment's span.
 */
char *tl_assoc_marker(const gr_tree *doc, gr_span *span);

/**
 * The same, saying also where the path is written (for an edit of it):
 * *value (may be NULL) its bytes, inside the quotes of a quoted value, and
 * *quoted (may be NULL) 1 when it is quoted, else 0.
 */
char *tl_assoc_marker_at(const gr_tree *doc, gr_span *span, gr_span *value, int *quoted);

/**
 * `rel` read from folder `dir` (NULL or "": the root): dir + "/" + rel with
 * "", "." and ".." segments folded as the marker rule folds them (a ".."
 * with nothing left to pop is kept; a leading '/' is dropped). New string.
 */
char *tl_assoc_join(const char *dir, const char *rel);

#endif
