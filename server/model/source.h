/*
 * source.h: what kind of file a path is, and which front-end reads it
 * (tl_source_*). The one place that knows which files are templates: the
 * workspace set, the scan, the server's index and open documents, and
 * `tmpl-ls check` all ask here.
 *
 * Templates: "*-tmpl.md", "*.tmpl.md", "*-tmpl.yaml", "*.tmpl.yaml" (and
 * ".yml"); under a folder named "templates" (when the path is relative to
 * a workspace root), any ".md", and any ".yaml" / ".yml" whose top level
 * has both "template:" and "sections:" (only its text can say: any other
 * YAML is left alone). Other ".md" files are documents; anything else is
 * no concern of tmpl-ls.
 */
#ifndef TMPL_SERVER_MODEL_SOURCE_H
#define TMPL_SERVER_MODEL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "grammar/grammar.h"
#include "server/model/template.h"

typedef enum tl_source_kind {
  TL_SOURCE_OTHER = 0,    /* not read */
  TL_SOURCE_DOCUMENT,     /* a Markdown document */
  TL_SOURCE_MD_TEMPLATE,  /* a Markdown template: grammar/ reads it */
  TL_SOURCE_YAML_TEMPLATE /* a YAML template: yaml/ reads it */
} tl_source_kind;

/**
 * The kind of `path` by its name. in_root: 1 when `path` is relative to a
 * workspace root ('/'-separated), so that a "templates" folder on the way
 * counts; 0 to judge the name alone. *needs_text (may be NULL) is set to 1
 * when the answer TL_SOURCE_YAML_TEMPLATE holds only if the text agrees
 * (tl_source_kind_of), else 0.
 */
tl_source_kind tl_source_kind_of_name(const char *path, int in_root, int *needs_text);

/** The kind of `path` with its text[0..len) at hand: the name, then the text where the name cannot tell. */
tl_source_kind tl_source_kind_of(const char *path, int in_root, const char *text, size_t len);

/** 1 when the name ends in ".yaml" or ".yml" (a "?query" or "#fragment" after it ignored). */
int tl_source_is_yaml_name(const char *path);

/** 1 for TL_SOURCE_MD_TEMPLATE and TL_SOURCE_YAML_TEMPLATE. */
int tl_source_is_template(tl_source_kind kind);

/**
 * The model of a template of `kind` from text[0..len), NULL when kind is
 * no template (a new model otherwise: tl_template_free). keep_text: the
 * caller keeps the text unchanged until the model is freed, and a Markdown
 * model borrows it (tl_template_new_taking; its tree: tl_template_tree);
 * else the text is read during the call only.
 */
tl_template *tl_source_template(tl_source_kind kind, const char *text, size_t len, bool keep_text);

#endif
