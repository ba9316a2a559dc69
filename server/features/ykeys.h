/*
 * ykeys.h: what the keys and values of a YAML template mean, and where in
 * the template a cursor stands (ft_ykey_*, ft_yctx_*), for the features
 * that help edit a YAML template file itself: hover (ft_hover_yaml,
 * hover.h) and completion (ft_completion_yaml, completion.h).
 *
 * The names come from the YAML front-end (yaml/ytmpl.h: yt_skey_name,
 * yt_stype_name, yt_names_list), which decides what a template may hold;
 * this file adds what each one means. Every key the front-end knows has a
 * row here, and every row is a key it knows (tests/features/test_ykeys.c).
 *
 * Places. A key belongs to one mapping: the top level, `template:`,
 * `template.output:`, `workflow:`, or a section (an item of `sections:` at
 * the top level, or of a section's `sections:`, at any depth). Anything
 * else (under `choices:`, a list of strings, a block of text) is no place.
 */
#ifndef TMPL_SERVER_FEATURES_YKEYS_H
#define TMPL_SERVER_FEATURES_YKEYS_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/alloc.h"
#include "grammar/grammar.h"
#include "yaml/ytmpl.h"

typedef enum ft_yplace {
  FT_YPLACE_NONE = 0,
  FT_YPLACE_TOP,      /* the top-level mapping */
  FT_YPLACE_TEMPLATE, /* template: */
  FT_YPLACE_OUTPUT,   /* template.output: */
  FT_YPLACE_WORKFLOW, /* workflow: */
  FT_YPLACE_SECTION,  /* an item of a sections: list */
  FT_YPLACE_COUNT
} ft_yplace;

/* The kind of value a key takes. */
typedef enum ft_yvalue {
  FT_YVALUE_TEXT = 0,
  FT_YVALUE_BLOCK,    /* text, mostly a `|` block over several lines */
  FT_YVALUE_BOOL,     /* true or false */
  FT_YVALUE_LIST,     /* a list of text */
  FT_YVALUE_FLOW,     /* a list of text, written [A, B] */
  FT_YVALUE_ITEMS,    /* a list of mappings */
  FT_YVALUE_MAPPING,
  FT_YVALUE_SECTIONS, /* a list of sections */
  FT_YVALUE_TYPE,     /* a section type (yt_stype) */
  FT_YVALUE_MERMAID,  /* a mermaid diagram type */
  FT_YVALUE_MODE,     /* a workflow mode */
  FT_YVALUE_COUNT
} ft_yvalue;

/*
 * A key: a row of the table. A section key the view models has its
 * yt_skey (its name is yt_skey_name's) and name NULL; any other key has
 * skey YT_SKEY_COUNT and its name, one of yt_names_list's for its place.
 * offered: 0 for a key real templates use so rarely (or never to any
 * effect) that completion does not offer it; hover still explains it.
 */
typedef struct ft_ykey {
  uint8_t place; /* ft_yplace */
  uint8_t skey;  /* yt_skey */
  const char *name;
  uint8_t value; /* ft_yvalue */
  uint8_t offered;
  const char *doc; /* one or two sentences of Markdown */
} ft_ykey;

/** The table: ft_ykey_count rows, ft_ykey_row(i) (static; NULL out of range). */
size_t ft_ykey_count(void);
const ft_ykey *ft_ykey_row(size_t i);

/** A row's key name (static). */
const char *ft_ykey_name(const ft_ykey *k);

/** The row for key s[0..n) at `place`, or NULL when the front-end does not know it there. */
const ft_ykey *ft_ykey_find(ft_yplace place, const char *s, size_t n);

/** How a place and a value kind read in a hover: "section key", "true or false", ... (static). */
const char *ft_ykey_place_label(ft_yplace place);
const char *ft_ykey_value_label(ft_yvalue value);

/** What a section type means (static; NULL for YT_TYPE_NONE and YT_TYPE_OTHER). */
const char *ft_ykey_type_doc(yt_stype type);
/** What a mermaid type or a workflow mode s[0..n) means (static), or NULL when unknown. */
const char *ft_ykey_mermaid_doc(const char *s, size_t n);
const char *ft_ykey_mode_doc(const char *s, size_t n);
/** 1 for the modes completion offers (the spec's two: interactive, yolo). */
int ft_ykey_mode_offered(const char *s, size_t n);

/* ---- places ------------------------------------------------------------- */

/** The place of mapping node `map` of `tm`'s tree, from the keys leading to it. */
ft_yplace ft_yplace_of_node(const yt_tmpl *tm, uint32_t map);

typedef enum ft_ywhat {
  FT_YWHAT_NONE = 0, /* not on a key or a value: a comment, a block of text, a line that
                        is no YAML structure, past the first document */
  FT_YWHAT_KEY,      /* on the line's key (or where one would be typed) */
  FT_YWHAT_VALUE     /* after the line's `key:` */
} ft_ywhat;

/*
 * Where a cursor stands, read from the lines' indentation as a YAML
 * loader reads block structure, the same way on a broken file as on a
 * valid one: `  - id: x\n    ti|` is the second key of a section.
 *
 * key: the key's name on the cursor's line, quotes excluded. KEY: the
 * word at the cursor (empty on a blank line, or after "- "); has_colon
 * says a ':' already follows it. VALUE: the key before the ':'.
 * value: VALUE only: the value's text on the line, quotes excluded, up to a
 * comment; {cursor, cursor} right after the ':' (space: 1 when a blank
 * separates them). col: the key's column (bytes from the line's start;
 * the cursor's on a blank line). new_item: "- " starts the key's mapping
 * on this line. present: the other keys of the mapping (their names, in
 * text order, before the cursor's line and after it), for completion to
 * leave out. With no place (FT_YPLACE_NONE) what is NONE and the spans are
 * empty at the cursor; comment says the cursor is in a comment.
 */
typedef struct ft_yctx {
  ft_yplace place;
  ft_ywhat what;
  gr_span key;
  int has_colon;
  gr_span value;
  int space;
  uint32_t col;
  int new_item;
  int comment; /* NONE: the cursor is in a comment */
  GR_ARRAY(gr_span) present;
} ft_yctx;

/** The cursor at byte `offset` of text[0..len). Fills *ctx (ft_yctx_free). */
void ft_yctx_at(const char *text, uint32_t len, uint32_t offset, ft_yctx *ctx);
void ft_yctx_free(ft_yctx *ctx);

#endif
