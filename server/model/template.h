/*
 * template.h: what a template means (tl_template_*).
 *
 * Built once from a template's text and its grammar tree (tl_template_new),
 * or from a YAML template's view (template_yaml.h), then read-only: no
 * feature needs to know which front-end built it.
 * What the model keeps is its own: strings are copied, so with
 * tl_template_new the text and the tree are only borrowed for the call
 * (tl_template_new_taking keeps the tree and borrows the text, for the
 * inserts and tl_template_tree).
 * Spans are byte offsets into the template's text.
 *
 * Lists are flat arrays in text order, read through count/get accessors
 * (pointers stay valid until tl_template_free). Links between entries are
 * indices into those arrays: every element names the section it lies in
 * (the innermost heading section holding it, TL_NONE before the first
 * heading), and sections name their enclosing CONDITION and REPEAT.
 *
 * Heading patterns: a section's heading text is a pattern in which each
 * {{placeholder}} (and each [ALL CAPS] bracket, as in "### [TECHNIQUE NAME 1]",
 * and each choice {A|B|C}) matches one or more characters. Matching ignores ASCII case, leading and
 * trailing whitespace, and collapses runs of whitespace:
 * "{{environment_name}} Environment" matches "Staging Environment".
 */
#ifndef TMPL_SERVER_MODEL_TEMPLATE_H
#define TMPL_SERVER_MODEL_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "server/model/model.h"

typedef struct tl_template tl_template;

/* ---- elements ----------------------------------------------------------- */

typedef struct tl_tsection {
  uint32_t node;      /* the GR_SECTION node in the template's tree */
  uint8_t level;      /* 1..6 */
  uint8_t optional;   /* 1 when inside any CONDITION */
  uint8_t repeats;    /* 1 when inside any REPEAT */
  uint8_t wildcard;   /* 1 when the heading has no literal text ("## {{title}}") */
  uint32_t parent;    /* enclosing section index, or TL_NONE */
  uint32_t condition; /* innermost enclosing CONDITION index, or TL_NONE */
  uint32_t repeat;    /* innermost enclosing REPEAT index, or TL_NONE */
  gr_span span;       /* heading through the section's end (subsections included) */
  gr_span heading;    /* the heading line, without its terminator */
  gr_span title;      /* the heading text */
  const char *text;   /* the heading text (owned by the template) */
  uint8_t elicit;     /* 1 when the template asks to stop and ask the user here */
} tl_tsection;

typedef struct tl_tinstruction {
  uint32_t node, section;
  gr_span span;     /* "[[LLM:" through "]]" */
  gr_span body;     /* after "LLM:" */
  const char *text; /* the body, trimmed (owned by the template) */
  uint8_t bare;     /* 1: written without markup, so a copy in a document is known by its words only */
} tl_tinstruction;

typedef struct tl_trule {
  uint32_t node, section;
  uint8_t in_instruction; /* 1 inside an LLM instruction */
  gr_span span, body;
  const char *text; /* the rule, trimmed */
} tl_trule;

/* Names (placeholder, block example, REPEAT, CONDITION) longer than this
 * many bytes are kept as "": not names anything offers, lists or renames.
 * Real templates write placeholders of several hundred bytes (a guidance
 * list inside {{...}}, which a document that leaves it must still be told
 * of); nested "{{" copy their text once per level, which the cap and the
 * nesting limit bound. */
#define TL_TEMPLATE_MAX_NAME 4096

typedef struct tl_tplaceholder {
  uint32_t node, section;
  uint16_t flags;   /* GR_FLAG_IN_CODE / _IN_INSTRUCTION / _IN_EXAMPLE of the node */
  gr_span span;     /* "{{" through "}}" */
  const char *name; /* trimmed inner text */
  uint32_t example; /* the inline example written for it (after it on its line, or alone
                       on the next), or TL_NONE */
} tl_tplaceholder;

typedef struct tl_texample {
  uint32_t node, section;
  uint8_t is_inline; /* 1: @{example: text} on one line, no closer */
  uint8_t has_table; /* 1 when the body holds a Markdown table (header + delimiter row) */
  gr_span span, body;
  const char *name;  /* block: the name ("" if none); inline: the text */
  const char *text;  /* the example's content, trimmed (inline: the text) */
  uint8_t bare;      /* 1: written without markup (see tl_tinstruction.bare) */
} tl_texample;

typedef struct tl_trepeat {
  uint32_t node, section;
  uint32_t parent;   /* enclosing REPEAT, or TL_NONE */
  uint8_t form;      /* gr_repeat_form */
  gr_span span, body;
  const char *name;  /* see gr_repeat_form */
} tl_trepeat;

typedef struct tl_tcondition {
  uint32_t node, section;
  uint32_t parent;   /* enclosing CONDITION, or TL_NONE */
  gr_span span, body;
  const char *name;
} tl_tcondition;

/* A YAML section's `id` (a Markdown template has none): a name to find
 * the section by, also for a section without a title (no tl_tsection). */
typedef struct tl_tid {
  uint32_t section; /* the section it names (titled) or whose content it writes into; TL_NONE */
  gr_span span;     /* the id's value */
  const char *name; /* the id (owned by the template) */
} tl_tid;

typedef GR_ARRAY(gr_span) tl_spans;

/**
 * The file names mentioned in text[0..len) ("docs/prd.md",
 * "infrastructure-checklist.md"): runs of letters, digits, '_', '-', '.',
 * '/' (and {{placeholders}}) ending in a known extension (.md, .yml,
 * .yaml, .json, .txt, .csv, .toml), not part of a URL nor after ':', '*',
 * '@' or '\\'; appended to *out in text order (gr_array_free it).
 */
void tl_file_mentions(const char *text, uint32_t len, tl_spans *out);

typedef struct tl_tfile {
  gr_span span;     /* where the file name is mentioned */
  const char *path; /* "infrastructure-checklist.md", "docs/prd.md", ... */
} tl_tfile;

/* How the template announces its output path. */
typedef enum tl_output_form {
  TL_OUTPUT_NONE = 0,
  TL_OUTPUT_FRONT_MATTER, /* front matter "defaultOutput: docs/brief.md" */
  TL_OUTPUT_LOCATION,     /* "Output file location: `docs/x.md`" */
  TL_OUTPUT_DEFAULT_PATH, /* "The default path and filename unless specified is docs/prd.md" */
  TL_OUTPUT_FILENAME      /* a YAML template's template.output.filename */
} tl_output_form;

/* ---- building ----------------------------------------------------------- */

/**
 * Build the model of a template from its tree (gr_parse of text). The tree
 * and its text are borrowed for this call only. Never fails; returns a new
 * model (tl_template_free).
 */
tl_template *tl_template_new(const gr_tree *tree);

/**
 * The same, taking `tree` (a gr_parse with the default limits; the model
 * frees it) and borrowing its text,
 * which the caller keeps, unchanged, until tl_template_free (a workspace
 * entry owns the text and the model). The inserts are written from that
 * tree, and tl_template_tree hands it out. tl_template_new keeps a copy of
 * the text instead and parses it again at the first insert: for a 10 MB
 * template, 10 MB held and a 10 MB parse.
 */
tl_template *tl_template_new_taking(gr_tree *tree);
void tl_template_free(tl_template *t);

/**
 * The Markdown tree of the model's text (NULL for a YAML template's): the
 * one tl_template_new_taking took, else (tl_template_new, or after
 * tl_template_shed_tree) a parse of the text with the default limits, made
 * when first asked for. Valid until tl_template_shed_tree or
 * tl_template_free.
 */
const gr_tree *tl_template_tree(const tl_template *t);

/**
 * Free the tree until it is asked for again (tl_template_tree, an insert):
 * an open template's entry while the editor's text runs ahead of it holds
 * only what its readers of that time need. Returns whether there was one.
 * Not while another thread reads the model (the tree it was handed goes).
 */
bool tl_template_shed_tree(tl_template *t);

/* ---- reading (borrowed results, valid until tl_template_free) ----------- */

uint32_t tl_template_section_count(const tl_template *t);
const tl_tsection *tl_template_section(const tl_template *t, uint32_t i);
uint32_t tl_template_instruction_count(const tl_template *t);
const tl_tinstruction *tl_template_instruction(const tl_template *t, uint32_t i);
uint32_t tl_template_rule_count(const tl_template *t);
const tl_trule *tl_template_rule(const tl_template *t, uint32_t i);
uint32_t tl_template_placeholder_count(const tl_template *t);
const tl_tplaceholder *tl_template_placeholder(const tl_template *t, uint32_t i);
uint32_t tl_template_example_count(const tl_template *t);
const tl_texample *tl_template_example(const tl_template *t, uint32_t i);
uint32_t tl_template_repeat_count(const tl_template *t);
const tl_trepeat *tl_template_repeat(const tl_template *t, uint32_t i);
uint32_t tl_template_condition_count(const tl_template *t);
const tl_tcondition *tl_template_condition(const tl_template *t, uint32_t i);
uint32_t tl_template_file_count(const tl_template *t);
const tl_tfile *tl_template_file(const tl_template *t, uint32_t i);
/** YAML section ids, in the YAML's order (none for a Markdown template). */
uint32_t tl_template_id_count(const tl_template *t);
const tl_tid *tl_template_id(const tl_template *t, uint32_t i);

/**
 * The distinct placeholder names in order of first appearance, not
 * counting those only mentioned inside LLM instructions or examples.
 */
uint32_t tl_template_name_count(const tl_template *t);
const char *tl_template_name(const tl_template *t, uint32_t i);

/**
 * The output path the template announces (may hold placeholders, as in
 * "docs/stories/{{EpicNum}}.{{StoryNum}}.md"), or NULL. *form and *span
 * (where the path is written) are set when non-NULL.
 */
const char *tl_template_output(const tl_template *t, tl_output_form *form, gr_span *span);

/**
 * 1 when `relpath` (relative to the workspace root, '/'-separated, an
 * optional leading "./" ignored) is the announced output path; each
 * placeholder in it matches one or more characters other than '/'.
 * 0 otherwise or when the template announces none.
 */
int tl_template_output_match(const tl_template *t, const char *relpath);

/*
 * What an insert writes into a document (borrowed strings, "" when
 * nothing; every line ends with "\n"): the text a person starts from, with
 * the template's guidance left out, whichever front-end built the model.
 *
 * A section: its heading and content with its subsections, the optional
 * (CONDITION) parts inside it left out; with `snippet`, an LSP snippet in
 * which each distinct placeholder is a tab stop. A REPEAT: one more
 * instance of its body. An example: the Markdown table it holds ("" when
 * none; has_table says whether there is one). A Markdown template's
 * inserts are written when first asked for, from the model's copy of the
 * text (once; several threads may ask at once).
 */
const char *tl_template_section_insert(const tl_template *t, uint32_t i, int snippet);
const char *tl_template_repeat_insert(const tl_template *t, uint32_t r);
const char *tl_template_example_table(const tl_template *t, uint32_t k);

/*
 * The placeholders by name key (tl_foreign_name_key, plain and unnumbered:
 * up to two entries a placeholder), sorted by key then placeholder, so that
 * a document's name is looked up in log time (tl_foreign_template_has).
 */
typedef struct tl_tname_key {
  const char *key;      /* owned by the template */
  uint32_t placeholder; /* tl_template_placeholder index */
} tl_tname_key;
uint32_t tl_template_name_keys(const tl_template *t, const tl_tname_key **keys);

/** The title section (the first level-1 heading), or TL_NONE. */
uint32_t tl_template_title(const tl_template *t);

/** The innermost section whose span holds `offset`, or TL_NONE. */
uint32_t tl_template_section_at(const tl_template *t, uint32_t offset);

/**
 * Match heading text text[0..len) against section i's heading pattern
 * (levels are not compared). Returns the number of literal (non-wildcard)
 * characters the pattern holds when it matches, so that 0 means "matched
 * only by a wildcard"; -1 when it does not match or i is out of range.
 */
int tl_template_heading_match(const tl_template *t, uint32_t i, const char *text, size_t len);

/** 1 when section `anc` is `i` or one of its ancestors. */
int tl_template_section_within(const tl_template *t, uint32_t i, uint32_t anc);

/**
 * Write the model as text (one element a line, with spans), the form the
 * unit tests compare against.
 */
void tl_template_dump(const tl_template *t, FILE *out);

/** The insert texts (sections plain and snippet, REPEATs, example tables) and placeholders' examples, as text. */
void tl_template_dump_inserts(const tl_template *t, FILE *out);

#endif
