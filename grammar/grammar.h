/*
 * grammar.h: the BMAD template DSL parser. Pure and total: bytes in, a tree
 * and diagnostics out. No I/O, no JSON, no event loop; every position is a
 * byte offset into the caller's text.
 *
 * The tree is one flat array of nodes linked by indices. Node 0 is the root
 * (the whole text). Containment is strict: a child's span lies inside its
 * parent's. Blocks (REPEAT, CONDITION, example, critical rule, instruction,
 * fence) are hard containers; a section (a heading and what follows it) ends
 * before the next heading of the same or a higher level in the same
 * container, or at the end of its container, so a REPEAT that holds
 * "### {{environment_name}} Environment" holds that section too.
 *
 * Two modes (gr_options.mode) read code differently:
 *  - GR_MODE_TEMPLATE (the default): as the agent reads a template, as
 *    text. A closing fence with an info string closes (malformed-fence),
 *    and DSL blocks pair by the text whatever fences lie between opener
 *    and closer. Where a block and a fence cross, the block wins: the
 *    fence node is cut where the block opens or closes (GR_FLAG_CUT, no
 *    closer) and goes on after it as another GR_FENCE node with an empty
 *    opener (GR_FLAG_CUT too), up to the fence's own closing line; the
 *    fence's opener gets one broken-fence warning. A fence that never
 *    closes gets one too.
 *  - GR_MODE_DOCUMENT: as a CommonMark renderer (GitHub's) shows the file.
 *    A fence closes only at a line of its own character, at least as long,
 *    indented at most 3 spaces and with no info string; indented code (4+
 *    columns past the container's, not interrupting a paragraph) is a
 *    GR_FENCE node with GR_FLAG_INDENTED and empty opener and closer; an
 *    unclosed fence ends with its container (the file, its list item, its
 *    blockquote). Fences are hard containers for DSL blocks, as before.
 * In both, markup inside code is still parsed (with GR_FLAG_IN_CODE), and
 * headings inside code are not sections.
 *
 * The text is borrowed: it must outlive the tree, and must not change.
 */
#ifndef TMPL_GRAMMAR_GRAMMAR_H
#define TMPL_GRAMMAR_GRAMMAR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GR_NONE UINT32_MAX

typedef struct gr_span {
  uint32_t start, end; /* byte offsets, half-open [start, end) */
} gr_span;

typedef enum gr_kind {
  GR_ROOT = 0,
  GR_FRONT_MATTER,   /* leading "---" YAML block; body = the YAML */
  GR_SECTION,        /* open = heading line; name = heading text; level */
  GR_FENCE,          /* fenced code; open/close = fence lines; name = info string */
  GR_CODE_SPAN,      /* `code`; body = the code */
  GR_HTML_COMMENT,   /* <!-- ... -->; body = the comment text */
  GR_PLACEHOLDER,    /* {{name}}; name = trimmed inner text (may span lines) */
  GR_INSTRUCTION,    /* [[LLM: ...]]; body = the text after "LLM:" */
  GR_REPEAT,         /* <<REPEAT: name>> ... <</REPEAT>>; name: see gr_repeat_form */
  GR_CONDITION,      /* ^^CONDITION: name^^ ... ^^/CONDITION: name^^; close_name */
  GR_EXAMPLE,        /* @{example: name} ... @{/example}; name may be empty */
  GR_EXAMPLE_INLINE, /* @{example: text} with no closer; name = the text */
  GR_CRITICAL_RULE,  /* <critical_rule> ... </critical_rule> */
  GR_KIND_COUNT
} gr_kind;

/* Node flags. */
enum {
  GR_FLAG_UNCLOSED = 1u << 0,    /* no closer: the node ends where recovery put it */
  GR_FLAG_SETEXT = 1u << 1,      /* a setext heading (text underlined by === or ---) */
  GR_FLAG_BARE_CLOSER = 1u << 2, /* ^^/CONDITION^^ without a name */
  GR_FLAG_FORCED_CLOSE = 1u << 3,/* closed by an outer block's closer (crossing blocks) */
  GR_FLAG_IN_CODE = 1u << 4,     /* lies inside a fence or code span */
  GR_FLAG_IN_INSTRUCTION = 1u << 5, /* lies inside an LLM instruction */
  GR_FLAG_IN_EXAMPLE = 1u << 6,  /* lies inside an example block */
  GR_FLAG_CUT = 1u << 7,         /* GR_FENCE: a part of a fence a DSL block crosses (templates) */
  GR_FLAG_INDENTED = 1u << 8     /* GR_FENCE: an indented code block (documents) */
};

/* How gr_parse reads code: see the top of this file. */
typedef enum gr_mode {
  GR_MODE_TEMPLATE = 0, /* the default: a template, read as text */
  GR_MODE_DOCUMENT = 1  /* a document, read as CommonMark renders it */
} gr_mode;

/* How a REPEAT opener names its block. */
typedef enum gr_repeat_form {
  GR_REPEAT_COLON = 0,  /* <<REPEAT: name>> */
  GR_REPEAT_ATTRS = 1,  /* <<REPEAT section="name" count="3-5">>: name = section value */
  GR_REPEAT_PROSE = 2   /* <<REPEAT for each priority competitor>>: name = the prose */
} gr_repeat_form;

/*
 * A node. Read-only for callers: the tree owns it. Spans that do not apply
 * to a kind are empty at the node's start ({start, start}).
 */
typedef struct gr_node {
  uint8_t kind;          /* gr_kind */
  uint8_t level;         /* GR_SECTION: 1..6; GR_REPEAT: gr_repeat_form */
  uint16_t flags;
  uint32_t parent;       /* GR_NONE for the root */
  uint32_t first_child, last_child, next_sibling, prev_sibling;
  gr_span span;          /* the whole element, opener through closer */
  gr_span open;          /* the opener token (heading line without terminator) */
  gr_span close;         /* the closer token; empty if none */
  gr_span name;          /* see gr_kind */
  gr_span close_name;    /* GR_CONDITION: the closer's name */
  gr_span body;          /* between opener and closer */
} gr_node;

typedef enum gr_severity {
  GR_SEV_ERROR = 1, /* numbered as LSP's DiagnosticSeverity */
  GR_SEV_WARNING = 2,
  GR_SEV_INFORMATION = 3,
  GR_SEV_HINT = 4
} gr_severity;

/* Stable diagnostic codes: the strings are part of the product. */
#define GR_DIAG_CODES(XX)                                             \
  XX(UNCLOSED_BLOCK, "unclosed-block", GR_SEV_ERROR)                  \
  XX(STRAY_CLOSER, "stray-closer", GR_SEV_ERROR)                      \
  XX(MISMATCHED_CLOSER, "mismatched-closer", GR_SEV_ERROR)            \
  XX(EMPTY_PLACEHOLDER, "empty-placeholder", GR_SEV_WARNING)          \
  XX(UNTERMINATED_PLACEHOLDER, "unterminated-placeholder", GR_SEV_ERROR) \
  XX(MALFORMED_FENCE, "malformed-fence", GR_SEV_WARNING)              \
  XX(BROKEN_FENCE, "broken-fence", GR_SEV_WARNING)                    \
  XX(LIMIT_EXCEEDED, "limit-exceeded", GR_SEV_WARNING)

typedef enum gr_diag_code {
#define GR__XX(id, str, sev) GR_DIAG_##id,
  GR_DIAG_CODES(GR__XX)
#undef GR__XX
  GR_DIAG_CODE_COUNT
} gr_diag_code;

typedef struct gr_diag {
  gr_diag_code code;
  gr_severity severity;
  gr_span span;
  uint32_t node;       /* the node it concerns, or GR_NONE */
  const char *message; /* owned by the tree */
  /* Another place it concerns, or {GR_NONE, GR_NONE}: the opener of the
   * block still open for a mismatched-closer, where an unclosed block was
   * ended for unclosed-block, the closing line CommonMark reads for
   * broken-fence. related_message (static) says what is there. */
  gr_span related;
  const char *related_message;
} gr_diag;

typedef struct gr_options {
  uint32_t max_depth; /* deepest block nesting kept; deeper openers are text (default 256) */
  uint32_t max_nodes; /* node budget; past it markup is text (default 4M) */
  uint32_t mode;      /* gr_mode; 0 = GR_MODE_TEMPLATE */
} gr_options;

typedef struct gr_tree gr_tree;

/**
 * Parse text[0..len). opts may be NULL for the defaults. Never fails: any
 * bytes give a tree. Text longer than UINT32_MAX - 1 bytes is parsed up to
 * that length with a limit-exceeded diagnostic. Returns a new tree
 * (gr_tree_free); the text is borrowed and must outlive it. Linear time;
 * besides the tree, the parse takes len / 2 bytes of scratch while it runs.
 */
gr_tree *gr_parse(const char *text, size_t len, const gr_options *opts);
void gr_tree_free(gr_tree *tree);

/**
 * A copy of `tree` over text[0..len): the same bytes as the tree's text,
 * held elsewhere (its owner's copy), so the copy is what gr_parse of it in
 * the tree's mode would give, at the cost of a memcpy of the nodes (a
 * tenth of a parse). The text is borrowed. Returns a new tree, or NULL
 * when len is not the tree's length (gr_tree_len; a text cut at the limit).
 */
gr_tree *gr_tree_copy(const gr_tree *tree, const char *text, size_t len);

/** The borrowed text and its parsed length. */
const char *gr_tree_text(const gr_tree *tree);
uint32_t gr_tree_len(const gr_tree *tree);
/** The mode the tree was parsed in (gr_mode), so a reparse can match it. */
uint32_t gr_tree_mode(const gr_tree *tree);

/** Number of nodes (>= 1), and node `i` (borrowed; NULL if out of range). */
uint32_t gr_tree_count(const gr_tree *tree);
const gr_node *gr_tree_node(const gr_tree *tree, uint32_t i);

/** Diagnostics in text order (borrowed). */
uint32_t gr_tree_diag_count(const gr_tree *tree);
const gr_diag *gr_tree_diag(const gr_tree *tree, uint32_t i);

/**
 * The deepest node whose span holds byte `offset` (a span holds its end
 * offset too, so a cursor just after "}}" is still on the placeholder).
 * Returns 0 (the root) when no other node does.
 */
uint32_t gr_tree_node_at(const gr_tree *tree, uint32_t offset);

/** Nearest ancestor-or-self of node i with kind `kind`, or GR_NONE. */
uint32_t gr_tree_ancestor(const gr_tree *tree, uint32_t i, gr_kind kind);

/**
 * Pre-order walk: the node after `i` (its first child, else its next
 * sibling, else an ancestor's next sibling), or GR_NONE after the last.
 * Start from 0. The node array itself is in pre-order too.
 */
uint32_t gr_tree_next(const gr_tree *tree, uint32_t i);

/** Stable names: "section", "placeholder", ...; "unclosed-block", ... */
const char *gr_kind_name(gr_kind kind);
const char *gr_diag_code_name(gr_diag_code code);
gr_severity gr_diag_code_severity(gr_diag_code code);

/**
 * Incremental edits (edit.c). An edit replaces text[start, end) with
 * ins[0..ins_len). It is *inert* when the tree of the new text is the tree
 * of the old one with every offset past the edit moved by the length
 * change: no node, flag or message differs. gr_edit_inert says so from the
 * tree of the old text, by a rule that holds in both modes:
 *   - the removed and the inserted bytes are prose: no line end or other
 *     control byte, none of `{}[]^<@` and '`' (what markup is made of);
 *   - a letter (or a UTF-8 byte) of the line's content, past its block
 *     prefix (indentation, '>' quote markers, one list marker "- ", "+ ",
 *     "* ", "1. ", "1) "), comes before the edit: what the line begins
 *     with, its blankness and its block role stay as they were, and a line
 *     with a letter is no thematic break, underline or delimiter row;
 *   - every byte of the content is prose too, or a tab, or the '\r' of a
 *     "\r\n", or one of `{}[]^@` that makes no token with its neighbour
 *     ("{{", "}}", "[[", "]]", "^^", "@{"), before the edit and after it:
 *     nothing on the line is markup ('<' and '`' never stand on it), so
 *     nothing can open, close or pair differently;
 *   - no span of the tree (nodes, diagnostics) begins or ends on the line
 *     after its first byte: the line lies wholly inside or outside each
 *     node, so no trimmed name or heading can take or lose what is typed.
 * An edit that is not inert may still leave the tree as it was: it is then
 * parsed again (gr_parse). fuzz_edit checks the rule against fresh parses.
 */
int gr_edit_inert(const gr_tree *tree, size_t start, size_t end, const char *ins, size_t ins_len);

/**
 * Apply an inert edit to `tree`: its text is now new_text[0..new_len) (the
 * old text with the edit made; it may have moved), and every offset at or
 * past the edit's old end moves by ins_len - (end - start) (one inside the
 * removed bytes moves to `start`). Returns 0, or -1 (the tree unchanged)
 * when the lengths do not add up or the new text is too long for a tree.
 */
int gr_tree_shift(gr_tree *tree, const char *new_text, size_t new_len, size_t start, size_t end, size_t ins_len);

/**
 * Check the tree's invariants (spans nested and in order, links consistent,
 * diagnostics inside the text). Returns 0 when they hold; otherwise writes
 * what broke to `out` (may be NULL) and returns -1. For tests and fuzzers.
 */
int gr_tree_check(const gr_tree *tree, FILE *out);

/**
 * Write the tree as an S-expression, one node per line with byte spans,
 * then the diagnostics: the form of the corpus and unit tests.
 */
void gr_tree_dump(const gr_tree *tree, FILE *out);

#endif
