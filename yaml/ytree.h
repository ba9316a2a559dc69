/*
 * ytree.h: the YAML front-end's generic tree. Pure and total like grammar/:
 * bytes in, a tree of mappings, sequences and scalars plus diagnostics out.
 * No I/O, no JSON, no event loop; every position is a BYTE offset into the
 * caller's text (libyaml's marks count characters; ytree.c converts them).
 *
 * Why libyaml (Debian libyaml-dev, pkg-config yaml-0.1): it is the
 * reference C implementation of YAML (1.1), the YAML parser Debian ships as
 * a C library, used under PyYAML and Ruby's Psych, and its event API gives
 * a start and end mark for every node and a problem and context mark for
 * every error, which is what a language server needs. Considered and set
 * aside: libfyaml (YAML 1.2 with good marks, in Debian too, but younger,
 * less deployed and a far larger API for the little we use), rapidyaml and
 * yaml-cpp (C++), and a hand-written parser (block scalars, flow
 * collections and simple keys are where hand-written YAML parsers disagree
 * with real loaders; a template checker must agree with them).
 *
 * The tree is one flat array of nodes linked by indices, in pre-order.
 * Node 0 is the document's root node, or an empty plain scalar when the
 * text holds no node. Only the first document of a stream is read.
 *
 * Mapping entries: the children of a mapping are its VALUES, each carrying
 * its key (key span and decoded key text), so `sections:` is the child of
 * the root mapping whose key_text is "sections". A key with no value
 * (`title:`) has an empty plain scalar as its value, at the end of the key's
 * line ({start, start}). Children of a sequence have no key (key_text NULL).
 *
 * Errors: libyaml stops at the first error. The tree keeps every node read
 * before it (open collections are closed there and flagged
 * YT_FLAG_TRUNCATED). When the error is on the line of a mapping key whose
 * value had started (`title: Example: Foo Agent`), that value is kept as
 * the rest of the line (a plain scalar flagged YT_FLAG_RECOVERED). Then the
 * parse RESUMES at the next line indented no deeper than the error's line
 * (or than the innermost open block collection, when that is deeper),
 * attaching what it reads to the open block mapping or sequence at that
 * line's indentation, so that sections after a broken one are still seen.
 * Lines that do not look like YAML structure (`key:` with a plain or
 * quoted key, or `- `) are skipped, as are lines that fit no open
 * collection (with the lines under them). Each error gives one yaml-syntax diagnostic;
 * a Markdown body saved as .yaml gives one for the file. Characters libyaml
 * refuses (invalid UTF-8, control characters) are an error at that
 * character; the lines before it still parse.
 *
 * The text is borrowed: it must outlive the tree, and must not change.
 * Decoded strings are owned by the tree.
 */
#ifndef TMPL_YAML_YTREE_H
#define TMPL_YAML_YTREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grammar/grammar.h" /* gr_span, gr_severity */

#define YT_NONE UINT32_MAX

typedef enum yt_kind {
  YT_SCALAR = 0, /* value = the decoded text */
  YT_MAPPING,    /* children = the values, each with its key */
  YT_SEQUENCE,   /* children = the items */
  YT_ALIAS,      /* *name; value = the anchor name (aliases are not resolved) */
  YT_KIND_COUNT
} yt_kind;

typedef enum yt_style {
  YT_STYLE_PLAIN = 0, /* scalar: plain */
  YT_STYLE_SINGLE,    /* scalar: 'single quoted' */
  YT_STYLE_DOUBLE,    /* scalar: "double quoted" */
  YT_STYLE_LITERAL,   /* scalar: | block */
  YT_STYLE_FOLDED,    /* scalar: > block */
  YT_STYLE_BLOCK,     /* mapping or sequence in block style (indented lines) */
  YT_STYLE_FLOW,      /* mapping or sequence in flow style: {a: 1}, [a, b] */
  YT_STYLE_COUNT
} yt_style;

/* Node flags. */
enum {
  YT_FLAG_TRUNCATED = 1u << 0, /* a collection cut short by a syntax error */
  YT_FLAG_RECOVERED = 1u << 1, /* a scalar read as the rest of its line after an error */
  YT_FLAG_RESUMED = 1u << 2,   /* read by a resumed parse after an error */
  YT_FLAG_ANCHOR = 1u << 3,    /* carries an &anchor */
  YT_FLAG_TAG = 1u << 4,       /* carries an explicit !tag */
  YT_FLAG_COMPLEX_KEY = 1u << 5 /* its key is not a scalar; key_text is the key's source */
};

/*
 * A node. Read-only for callers: the tree owns it, and its strings.
 *
 * span: the node's own bytes. A scalar: its token, quotes included; a block
 * scalar from its indicator (`|`, `>-`) to the end of its last content line
 * (trailing blank lines excluded). A block collection: from its first key or
 * `-` (or from its &anchor or !tag, which may stand on the line above) to
 * the end of its last value. A flow collection: brackets included.
 * An empty value (`key:`) is {start, start} where the value would be.
 *
 * key: for a child of a mapping, its key's token (quotes, and an &anchor
 * or !tag before it, included);
 * elsewhere empty at span.start. key_text / key_len: the decoded key (NUL
 * terminated), NULL outside a mapping.
 *
 * value / value_len: a scalar's decoded text (escapes, folding and block
 * indentation applied, as a YAML loader gives it; NUL terminated, may hold
 * NUL bytes from "\0" escapes), an alias's name; NULL for collections.
 */
typedef struct yt_node {
  uint8_t kind;  /* yt_kind */
  uint8_t style; /* yt_style */
  uint16_t flags;
  uint32_t parent; /* YT_NONE for the root */
  uint32_t first_child, last_child, next_sibling, prev_sibling;
  uint32_t child_count;
  gr_span span;
  gr_span key;
  const char *key_text;
  uint32_t key_len;
  const char *value;
  uint32_t value_len;
} yt_node;

/*
 * Stable diagnostic codes of the YAML front-end (both ytree.c and
 * ytmpl.c): the strings are part of the product and are listed in the
 * README's "In YAML templates" table.
 *
 *   yaml-syntax         error    not valid YAML (libyaml's problem, rephrased)
 *   yaml-limit          warning  past a limit (4 GiB of text, nesting deeper than 256,
 *                                64 syntax errors): the rest is not read
 *   duplicate-key       error    a key twice in one mapping (loaders keep the last)
 *   missing-key         error    template.id, template.output.filename or a section's id missing
 *   duplicate-id        error    a section id used twice in the template
 *   wrong-type          error    a value of the wrong kind (sections not a list, a section
 *                                not a mapping, elicit not a boolean, ...)
 *   unknown-key         warning  a key neither the spec nor real templates use
 *   unknown-value       warning  a type / mermaid_type / workflow.mode value that is not one
 *   empty-placeholder   warning  {{}} with nothing inside
 *   unterminated-placeholder error  "{{" with no "}}" before the end of its string
 *   item-template-not-repeatable warning  {{var}} in item_template of a section that is not
 *                                repeatable
 */
#define YT_DIAG_CODES(XX)                                                  \
  XX(SYNTAX, "yaml-syntax", GR_SEV_ERROR)                                  \
  XX(LIMIT, "yaml-limit", GR_SEV_WARNING)                                  \
  XX(DUPLICATE_KEY, "duplicate-key", GR_SEV_ERROR)                         \
  XX(MISSING_KEY, "missing-key", GR_SEV_ERROR)                             \
  XX(DUPLICATE_ID, "duplicate-id", GR_SEV_ERROR)                           \
  XX(WRONG_TYPE, "wrong-type", GR_SEV_ERROR)                               \
  XX(UNKNOWN_KEY, "unknown-key", GR_SEV_WARNING)                           \
  XX(UNKNOWN_VALUE, "unknown-value", GR_SEV_WARNING)                       \
  XX(EMPTY_PLACEHOLDER, "empty-placeholder", GR_SEV_WARNING)               \
  XX(UNTERMINATED_PLACEHOLDER, "unterminated-placeholder", GR_SEV_ERROR)   \
  XX(ITEM_TEMPLATE_NOT_REPEATABLE, "item-template-not-repeatable", GR_SEV_WARNING)

typedef enum yt_diag_code {
#define YT__XX(id, str, sev) YT_DIAG_##id,
  YT_DIAG_CODES(YT__XX)
#undef YT__XX
  YT_DIAG_CODE_COUNT
} yt_diag_code;

/*
 * A diagnostic. span: the exact bytes it is about. node: the node it
 * concerns, or YT_NONE. message: a sentence for a template author (owned by
 * the tree or template view that gave it). suggestion: for a "did you mean"
 * (unknown-key, unknown-value), the text that would replace span; else NULL.
 */
typedef struct yt_diag {
  yt_diag_code code;
  gr_severity severity;
  gr_span span;
  uint32_t node;
  const char *message;
  const char *suggestion;
} yt_diag;

typedef struct yt_tree yt_tree;

/**
 * Parse text[0..len) as YAML. Never fails: any bytes give a tree (at least
 * one node). Text longer than UINT32_MAX - 1 bytes is read up to that
 * length with a yaml-limit diagnostic. Returns a new tree (yt_tree_free);
 * the text is borrowed and must outlive it.
 */
yt_tree *yt_parse(const char *text, size_t len);
void yt_tree_free(yt_tree *tree);

/**
 * Follow an edit of the text without parsing it again where that is sure to
 * give the same tree: `text` (len bytes) is the new text, in which the old
 * text's bytes [start, old_end) became [start, new_end). When the edit lies
 * inside one item of a block sequence (a section of `sections:`, say),
 * after its "- " and before the next line indented no deeper than that "-",
 * or inside one entry of a block mapping (a section's `title:`, the
 * template's `template:`), after its key's first character and before the
 * next line indented no deeper than the key (other than its value's "- "
 * items), only that item's lines are parsed (libyaml, on their own), and
 * its nodes replace the old item's; the nodes after it move. The innermost
 * such item is tried first, then the ones around it (an entry that spans
 * most of the text is not tried: no cheaper than a parse). Returns 0 when
 * the tree now is, node for node, what yt_parse(text, len) gives; -1 when
 * that cannot be told cheaply (a tree or an item with a syntax error, an
 * edit across an item's bounds, a tab where an item ends, too much garbage
 * in the strings): the tree is then unusable and the caller frees it and
 * parses. The tree borrows the new text from now on.
 */
int yt_tree_edit(yt_tree *tree, const char *text, size_t len, uint32_t start, uint32_t old_end, uint32_t new_end);

/** The borrowed text and its parsed length. */
const char *yt_tree_text(const yt_tree *tree);
uint32_t yt_tree_len(const yt_tree *tree);

/** Number of nodes (>= 1), and node `i` (borrowed; NULL if out of range). */
uint32_t yt_tree_count(const yt_tree *tree);
const yt_node *yt_tree_node(const yt_tree *tree, uint32_t i);

/** The value of key `key` (NUL-terminated) in mapping `map`, or YT_NONE
 *  (the last one when a key repeats, as loaders do). */
uint32_t yt_tree_get(const yt_tree *tree, uint32_t map, const char *key);

/** Syntax diagnostics (yaml-syntax, yaml-limit) in text order (borrowed). */
uint32_t yt_tree_diag_count(const yt_tree *tree);
const yt_diag *yt_tree_diag(const yt_tree *tree, uint32_t i);

/** 1 if the text had a syntax error (the tree is then partial). */
int yt_tree_has_error(const yt_tree *tree);

/**
 * The deepest node whose span or key span holds byte `offset` (ends
 * included), or YT_NONE when none does.
 */
uint32_t yt_tree_node_at(const yt_tree *tree, uint32_t offset);

/** Stable names: "scalar", "mapping", ...; "plain", "literal", ...; "yaml-syntax", ... */
const char *yt_kind_name(yt_kind kind);
const char *yt_style_name(yt_style style);
const char *yt_diag_code_name(yt_diag_code code);
gr_severity yt_diag_code_severity(yt_diag_code code);

/**
 * Check the tree's invariants (spans inside the text, a child inside its
 * parent, siblings in order and not overlapping, links consistent, keys
 * before their values, scalars with values and collections without,
 * diagnostics inside the text). Returns 0 when they hold; otherwise writes
 * what broke to `out` (may be NULL) and returns -1. For tests and fuzzers.
 */
int yt_tree_check(const yt_tree *tree, FILE *out);

/**
 * Whether two trees are the same, node for node: every field of every node
 * in array order (links, spans, keys and values by their bytes, flags) and
 * every diagnostic. Returns 0 when they are; otherwise writes the first
 * difference to `out` (may be NULL) and returns -1. For tests and fuzzers
 * (yt_tree_edit's result against a fresh parse).
 */
int yt_tree_same(const yt_tree *a, const yt_tree *b, FILE *out);

/**
 * Write the tree one node per line, indented by depth:
 *   `(mapping 0-53 block)`, `template 0-8: (mapping 12-53 block)`,
 *   `id 12-14: (scalar 16-19 plain "prd")`, `- (scalar 30-33 double "a")`
 * with flags after the style (truncated, recovered, resumed, anchor, tag),
 * then the diagnostics as `error yaml-syntax 10-12: message`.
 */
void yt_tree_dump(const yt_tree *tree, FILE *out);

#endif
