/*
 * migrate.h: a Markdown template written as a YAML template (ft_migrate_*),
 * following the migration map of the method's spec (bmad-doc-template.md,
 * "Migration from legacy"). One of the features that edit a template file,
 * so it knows the template is Markdown: it reads the grammar tree for the
 * structure and the model for the title and the output path.
 *
 *   the first H1          template.output.title; template.name is its text
 *                         without placeholders; its own text (and anything
 *                         before it) a first section without a title
 *   other headings        nested `sections` (an H2 at the top, each level
 *                         under it one deeper: a skipped level is closed up,
 *                         a second H1 is a top-level section); `id` from the
 *                         title, kebab-case, made unique with -2, -3...
 *   [[LLM: ...]]          `instruction` of the section it is in (several
 *                         join with a blank line)
 *   <<REPEAT: x>>         `repeatable: true` on each section the block holds;
 *                         its text before its first heading becomes a section
 *                         without a title (id from x), repeatable too
 *   ^^CONDITION: x^^      `condition: x`, the same way (nested blocks in one
 *                         section join as "a and b")
 *   @{example...}         `examples` of the section, the body (or the inline
 *                         text) as one string each
 *   the rest              `template`: the section's text with the markup
 *                         above taken out, placeholders and critical rules
 *                         kept, lines left blank by the markup dropped, blank
 *                         runs made one, "\n" line ends. Text after a block
 *                         that made subsections stays in the section's own
 *                         template (YAML writes a section's text before its
 *                         subsections). Inside code fences the block markers
 *                         go and their content stays.
 *   the output path       template.output.filename (docs/<name>.md, with a
 *                         comment saying so, when the template announces none)
 *
 * A placeholder written over several lines is joined onto one (YAML
 * templates close a "{{" on its own line).
 *
 * template.id is the file name without "-tmpl"/".tmpl" and ".md", kebab-case,
 * with "-template-v2" (the method's own naming), version 2.0, format
 * markdown. Front matter is dropped (its output path is used).
 */
#ifndef TMPL_SERVER_FEATURES_MIGRATE_H
#define TMPL_SERVER_FEATURES_MIGRATE_H

#include <stddef.h>

#include "grammar/grammar.h"
#include "server/model/template.h"

/**
 * The YAML template for the Markdown template parsed as `tree`, whose model
 * `t` was built from that tree; `path` names the file (its last component
 * gives template.id; may be NULL: "template"). Everything is borrowed for
 * the call. Never fails: returns a new NUL-terminated text (gr_free), its
 * length in *len when non-NULL.
 */
char *ft_migrate_yaml(const gr_tree *tree, const tl_template *t, const char *path, size_t *len);

/**
 * Where the converted template goes: `path` with its final ".md" replaced by
 * ".yaml" ("x/prd-tmpl.md" -> "x/prd-tmpl.yaml"), ".yaml" appended when it
 * has none. A new string (gr_free).
 */
char *ft_migrate_target(const char *path);

#endif
