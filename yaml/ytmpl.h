/*
 * ytmpl.h: the BMAD template view over a YAML tree (ytree.h). Pure like
 * the tree: it reads the tree's nodes and gives the template's header,
 * its sections (recursively, in document order) with the value node of
 * every key the spec and real templates use, the `{{vars}}` inside every
 * string with their byte spans, and the template checks' diagnostics.
 *
 * A view never fails: any tree gives one. Whether the text is a template
 * at all is yt_tmpl_is_template (the top level is a mapping with both
 * `template:` and `sections:`); only then do the template checks run, so
 * another YAML file (another schema, a stranger's) gets only yaml-syntax
 * and duplicate-key diagnostics. A caller that does not take the file for
 * a template at all (by that test or by its name, *-tmpl.yaml) shows none. Everything the view gives is borrowed from it; the view
 * owns its tree (yt_tmpl_tree), which borrows the text.
 *
 * Values are tree nodes: a key that is present has the index of its VALUE
 * node (yt_tree_node gives span, key span, style, decoded value); YT_NONE
 * when absent. The view does not copy strings.
 */
#ifndef TMPL_YAML_YTMPL_H
#define TMPL_YAML_YTMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "yaml/ytree.h"

/*
 * The section keys the view reads: the spec's (id .. details, sections)
 * and those real templates use that the spec omits (language, columns,
 * rows, content, items, fields). Other keys real templates use are known
 * (no unknown-key) but not modelled.
 */
#define YT_SECTION_KEYS(XX)                  \
  XX(ID, "id")                               \
  XX(TITLE, "title")                         \
  XX(INSTRUCTION, "instruction")             \
  XX(TYPE, "type")                           \
  XX(TEMPLATE, "template")                   \
  XX(ITEM_TEMPLATE, "item_template")         \
  XX(PREFIX, "prefix")                       \
  XX(ELICIT, "elicit")                       \
  XX(REPEATABLE, "repeatable")               \
  XX(CONDITION, "condition")                 \
  XX(OPTIONAL, "optional")                   \
  XX(OWNER, "owner")                         \
  XX(EDITORS, "editors")                     \
  XX(READONLY, "readonly")                   \
  XX(EXAMPLES, "examples")                   \
  XX(CHOICES, "choices")                     \
  XX(PLACEHOLDER, "placeholder")             \
  XX(MERMAID_TYPE, "mermaid_type")           \
  XX(LANGUAGE, "language")                   \
  XX(COLUMNS, "columns")                     \
  XX(ROWS, "rows")                           \
  XX(DETAILS, "details")                     \
  XX(CONTENT, "content")                     \
  XX(ITEMS, "items")                         \
  XX(FIELDS, "fields")                       \
  XX(SECTIONS, "sections")

typedef enum yt_skey {
#define YT__XX(id, str) YT_SKEY_##id,
  YT_SECTION_KEYS(YT__XX)
#undef YT__XX
  YT_SKEY_COUNT /* also "no section key" in yt_var.key */
} yt_skey;

/*
 * Section types: the spec's, then those real templates use (code is the
 * spec's code-block under another name; choice is choice-selector's; the
 * last three are a career-coaching pack's, 120 uses).
 */
#define YT_SECTION_TYPES(XX)                        \
  XX(BULLET_LIST, "bullet-list")                    \
  XX(NUMBERED_LIST, "numbered-list")                \
  XX(PARAGRAPHS, "paragraphs")                      \
  XX(TABLE, "table")                                \
  XX(CODE_BLOCK, "code-block")                      \
  XX(TEMPLATE_TEXT, "template-text")                \
  XX(MERMAID, "mermaid")                            \
  XX(REPEATABLE_CONTAINER, "repeatable-container")  \
  XX(CONDITIONAL_BLOCK, "conditional-block")        \
  XX(CHOICE_SELECTOR, "choice-selector")            \
  XX(CODE, "code")                                  \
  XX(CHECKLIST, "checklist")                        \
  XX(KEY_VALUE, "key-value")                        \
  XX(TEXT, "text")                                  \
  XX(CHECKBOX_LIST, "checkbox-list")                \
  XX(STRUCTURED_TEXT, "structured-text")            \
  XX(CHOICE, "choice")                              \
  XX(STRUCTURED_LIST, "structured-list")            \
  XX(STRUCTURED_CONTENT, "structured-content")      \
  XX(SKILL_RATING, "skill-rating")

typedef enum yt_stype {
  YT_TYPE_NONE = 0, /* no `type:` key */
  YT_TYPE_OTHER,    /* a `type:` that is none of these (an unknown-value diagnostic) */
#define YT__XX(id, str) YT_TYPE_##id,
  YT_SECTION_TYPES(YT__XX)
#undef YT__XX
  YT_TYPE_COUNT
} yt_stype;

/* Section flags. */
enum {
  YT_SEC_REPEATABLE = 1u << 0,  /* repeatable: true */
  YT_SEC_ELICIT = 1u << 1,      /* elicit: true */
  YT_SEC_READONLY = 1u << 2,    /* readonly: true */
  YT_SEC_OPTIONAL = 1u << 3,    /* optional: true (repository templates; read as a condition) */
  YT_SEC_NOT_MAPPING = 1u << 4  /* the list item is not a mapping: keys all YT_NONE */
};

/*
 * A section: one item of a `sections:` list. Sections are in document
 * (pre-)order; parent, first_child and next_sibling are section indices
 * (YT_NONE when none). depth: 0 for the template's top-level sections, so
 * the heading level a document uses is depth + 2 (the H1 is output.title).
 * node: the item's node in the tree (a mapping unless YT_SEC_NOT_MAPPING).
 * keys[k]: the value node of key k, YT_NONE when absent. type: from keys[TYPE].
 * vars: this section's own {{vars}} (not its subsections') are
 * yt_tmpl_var(first_var .. first_var + var_count - 1).
 */
typedef struct yt_section {
  uint32_t node;
  uint32_t parent, first_child, next_sibling;
  uint16_t depth;
  uint16_t flags;
  yt_stype type;
  uint32_t keys[YT_SKEY_COUNT];
  uint32_t first_var, var_count;
} yt_section;

/* The template's header: value nodes, YT_NONE when absent (or not a mapping above). */
typedef struct yt_header {
  uint32_t tmpl;        /* template: (the mapping) */
  uint32_t id;          /* template.id */
  uint32_t name;        /* template.name */
  uint32_t version;     /* template.version */
  uint32_t description; /* template.description */
  uint32_t output;      /* template.output (the mapping) */
  uint32_t format;      /* template.output.format */
  uint32_t filename;    /* template.output.filename: the document's path, may hold {{vars}} */
  uint32_t title;       /* template.output.title: the document's H1 */
  uint32_t workflow;    /* workflow: (the mapping) */
  uint32_t mode;        /* workflow.mode: interactive | yolo */
  uint32_t elicitation; /* workflow.elicitation */
  uint32_t sections;    /* sections: (the top-level list) */
} yt_header;

/* Placeholder flags. */
enum {
  YT_VAR_EMPTY = 1u << 0,       /* {{ }}: name is empty */
  YT_VAR_UNTERMINATED = 1u << 1 /* "{{" with no "}}": span runs to the end of its string */
};

/*
 * A {{var}} inside a string value. span: "{{" through "}}" in the source;
 * name: the trimmed text between them, in the source (a name has no YAML
 * escapes in practice; in a double-quoted string an escape stays as
 * written). node: the scalar holding it. section: the innermost section
 * holding that scalar, YT_NONE outside sections (output.title, filename).
 * key: the section key the scalar lies under (YT_SKEY_TEMPLATE for
 * `template: |`, YT_SKEY_EXAMPLES for an examples item, ...), YT_SKEY_COUNT
 * outside a section. Vars are grouped: first those outside sections, then
 * each section's own in section order (so yt_section.first_var/var_count
 * address a run), each group in text order. Single braces ({root},
 * {A|B}) are not vars. A "{{" is closed by the first "}}" on its line; a
 * "{{" with none is a var flagged YT_VAR_UNTERMINATED.
 */
typedef struct yt_var {
  gr_span span;
  gr_span name;
  uint32_t node;
  uint32_t section;
  uint8_t key;   /* yt_skey */
  uint8_t flags; /* YT_VAR_* */
} yt_var;

typedef struct yt_tmpl yt_tmpl;

/**
 * Parse text[0..len) and read it as a template. Never fails. Returns a new
 * view (yt_tmpl_free) that owns its tree; the text is borrowed and must
 * outlive it.
 */
yt_tmpl *yt_tmpl_parse(const char *text, size_t len);
void yt_tmpl_free(yt_tmpl *tm);

/**
 * The same view over a tree already parsed (taken: the view owns it), and
 * back: yt_tmpl_take_tree frees the view but not its tree, which it returns
 * (an editor keeps the tree across an edit, yt_tree_edit, and builds the
 * view again from it; the view's own work is about a seventh of a parse).
 */
yt_tmpl *yt_tmpl_from_tree(yt_tree *tree);
yt_tree *yt_tmpl_take_tree(yt_tmpl *tm);

/** The tree (borrowed from the view). */
const yt_tree *yt_tmpl_tree(const yt_tmpl *tm);

/** 1 when the top level is a mapping with both `template:` and `sections:`. */
int yt_tmpl_is_template(const yt_tmpl *tm);

/** The header (borrowed). */
const yt_header *yt_tmpl_header(const yt_tmpl *tm);

/** Sections in document order (borrowed; NULL if out of range). */
uint32_t yt_tmpl_section_count(const yt_tmpl *tm);
const yt_section *yt_tmpl_section(const yt_tmpl *tm, uint32_t i);

/** The innermost section whose node's span holds `offset`, or YT_NONE. */
uint32_t yt_tmpl_section_at(const yt_tmpl *tm, uint32_t offset);

/** {{vars}}, grouped by section as yt_var says (borrowed; NULL if out of range). */
uint32_t yt_tmpl_var_count(const yt_tmpl *tm);
const yt_var *yt_tmpl_var(const yt_tmpl *tm, uint32_t i);

/**
 * The decoded string of a scalar node (NUL-terminated, borrowed) and its
 * length in *len (may be NULL); NULL when `node` is YT_NONE or not a scalar.
 */
const char *yt_tmpl_str(const yt_tmpl *tm, uint32_t node, uint32_t *len);

/**
 * A boolean value: 1 for true, 0 for false, -1 when absent or not a
 * boolean (YAML 1.1 spellings: true/false, yes/no, on/off, any case).
 */
int yt_tmpl_bool(const yt_tmpl *tm, uint32_t node);

/**
 * Every diagnostic, the tree's syntax ones and the template's, in text
 * order (borrowed); see the top of this file for which checks run.
 */
uint32_t yt_tmpl_diag_count(const yt_tmpl *tm);
const yt_diag *yt_tmpl_diag(const yt_tmpl *tm, uint32_t i);

/** Stable names of keys and types; lookups give YT_SKEY_COUNT / YT_TYPE_OTHER when unknown. */
const char *yt_skey_name(yt_skey key);
yt_skey yt_skey_lookup(const char *s, size_t len);
const char *yt_stype_name(yt_stype type); /* "" for NONE, "?" for OTHER */
yt_stype yt_stype_lookup(const char *s, size_t len);

/*
 * The other names the checks know, the spec's and those real templates
 * use: the keys of the top level, of `template:`, `template.output:` and
 * `workflow:`; the section keys the view does not model (never reported as
 * unknown); workflow modes; mermaid types.
 */
typedef enum yt_names {
  YT_NAMES_TOP_KEYS = 0,
  YT_NAMES_TEMPLATE_KEYS,
  YT_NAMES_OUTPUT_KEYS,
  YT_NAMES_WORKFLOW_KEYS,
  YT_NAMES_QUIET_SECTION_KEYS,
  YT_NAMES_MODES,
  YT_NAMES_MERMAID_TYPES,
  YT_NAMES_COUNT
} yt_names;

/** A NULL-terminated list of names (static; an empty list for an unknown `which`). */
const char *const *yt_names_list(yt_names which);

/**
 * Check the view's invariants (section links and depths, keys' nodes
 * children of their section, vars in order inside their nodes and
 * sections). 0 when they hold; else writes what broke to `out` (may be
 * NULL) and returns -1. For tests and fuzzers.
 */
int yt_tmpl_check(const yt_tmpl *tm, FILE *out);

/**
 * Write the view: `template` (or `not-a-template`), the header's present
 * fields as `id 20-23 "prd"`, each section as `section 40-200 depth 0
 * "goals" "Goals" bullet-list repeatable`, its vars as
 * `var 55-70 "name" template`, then every diagnostic as
 * `error missing-key 40-41: message`.
 */
void yt_tmpl_dump(const yt_tmpl *tm, FILE *out);

#endif
