/*
 * template_impl.h: the template model's body, shared by its two builders
 * (template.c from a Markdown tree, template_yaml.c from a YAML view).
 * Private to server/model/template*.c: everyone else reads the accessors.
 */
#ifndef TMPL_SERVER_MODEL_TEMPLATE_IMPL_H
#define TMPL_SERVER_MODEL_TEMPLATE_IMPL_H

#include <pthread.h>
#include <stdbool.h>

#include "grammar/alloc.h"
#include "server/model/template.h"

typedef struct tl_tsection_rec {
  tl_tsection pub;
  char *pattern;        /* tl_pattern_compile of the heading text */
  int literal;          /* literal characters in the pattern */
  char *insert;         /* tl_template_section_insert, plain */
  char *insert_snippet; /* and as a snippet */
} tl_tsection_rec;

struct tl_template {
  uint32_t len;
  GR_ARRAY(tl_tsection_rec) sections;
  GR_ARRAY(tl_tinstruction) instructions;
  GR_ARRAY(tl_trule) rules;
  GR_ARRAY(tl_tplaceholder) placeholders;
  GR_ARRAY(tl_texample) examples;
  GR_ARRAY(tl_trepeat) repeats;
  GR_ARRAY(tl_tcondition) conditions;
  GR_ARRAY(tl_tfile) files;
  GR_ARRAY(tl_tid) ids;
  GR_ARRAY(const char *) names;    /* borrowed from placeholders[].name */
  GR_ARRAY(tl_tname_key) name_keys; /* tl_template_name_keys; keys owned */
  GR_ARRAY(char *) repeat_inserts; /* one per repeat */
  GR_ARRAY(char *) example_tables; /* one per example */
  char *output;
  char *output_pattern;
  tl_output_form output_form;
  gr_span output_span;
  uint32_t title;
  /* A Markdown template's inserts are written when first asked for
   * (tl_template_section_insert, tl_template_repeat_insert), from a copy of
   * its text parsed again then: every section's skeleton, written up front,
   * was 40% of building the model of a 10 MB template (skeletons nest: a
   * section's holds its subsections'), and most models never insert. The
   * lock: `tmpl-ls check` reads a model from several threads. A YAML
   * template's builder writes its inserts itself: src is NULL.
   * tl_template_new_taking borrows the text instead (src_copy is false)
   * and starts with the tree it was given. Either way the tree is the
   * model's, and may be shed (tl_template_shed_tree). */
  const char *src;
  uint32_t src_mode;
  gr_tree *src_tree; /* of src; parsed again when asked for after a shed */
  bool src_copy;     /* src is the model's copy (else the caller's text) */
  pthread_mutex_t src_lock;
};

/* Push a section whose pub fields are set: compiles its pattern (the
 * inserts are the builder's). Returns its index. */
uint32_t tl_template__push_section(tl_template *t, tl_tsection_rec *r);

/* Set the output path (the first one set wins). */
void tl_template__set_output(tl_template *t, const char *path, size_t len, gr_span span,
                             tl_output_form form);

/* The common end of both builders: distinct names, name keys, file mentions in
 * text[0..len), example tables. Entries the builder left NULL are "". */
void tl_template__finish(tl_template *t, const char *text, uint32_t len);

/* The first Markdown table (header, delimiter, rows) in s[0..n): a new string, "" when none. */
char *tl_template__table_of(const char *s, size_t n);

#endif
