/*
 * template_yaml.h: the template model built from a YAML template
 * (tl_template_yaml_*): the second front-end's way into template.h.
 *
 * What the YAML says becomes what the Markdown markup says: template.
 * output.title is the level-1 section, each titled section a heading one
 * level deeper than its parent's (top-level sections are level 2), a
 * section without a title writes its content under its parent's heading
 * (it is no section of its own); `repeatable` is a REPEAT around the
 * section, `condition` and `optional: true` a CONDITION (optional, with
 * its subsections); `instruction` and `examples` entries are instructions
 * and examples written without markup (bare); {{vars}} in titles,
 * `template` and `item_template` are the placeholders a document fills,
 * elsewhere mentions; template.output.filename is the output path. The
 * insert texts come from `type` (a table's columns, a numbered list's
 * prefix, a fence's language or mermaid type) and `template` /
 * `item_template`. Spans are byte offsets into the YAML text: a section's
 * span is its list item, its heading and title the `title` value.
 */
#ifndef TMPL_SERVER_MODEL_TEMPLATE_YAML_H
#define TMPL_SERVER_MODEL_TEMPLATE_YAML_H

#include "server/model/template.h"
#include "yaml/ytmpl.h"

/**
 * Build the model of the template `view` reads (yt_tmpl_parse of the
 * text). The view and its text are borrowed for this call only. Never
 * fails; returns a new model (tl_template_free).
 */
tl_template *tl_template_yaml_new(const yt_tmpl *view);

#endif
