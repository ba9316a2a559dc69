/*
 * ynames.h: the names of a YAML template (ft_ynames_*): what references
 * and rename compute on an open *-tmpl.yaml, the YAML side of names.h.
 * It edits the template file itself, so it reads the YAML view
 * (yaml/ytmpl.h) directly; the results are names.h's types.
 *
 * Two kinds of name, each only within its template:
 *   FT_NAME_PLACEHOLDER  a {{var}}: every terminated {{...}} of that name in
 *                        any string of the file (yt_tmpl_var), and the
 *                        places that name a var without braces: the keys of
 *                        the top-level `prompts:` mapping (the question to
 *                        ask for each var) and the items of the lists under
 *                        the top-level `validation:` (required_fields, ...;
 *                        an item holding {{...}} is text), as the method's
 *                        memory-bank templates write them.
 *                        No occurrence is a declaration, as in Markdown.
 *   FT_NAME_SECTION      a section id: each section's `id` value (the
 *                        declaration), and the two places the format names
 *                        a section by its id: a section's own
 *                        `custom_elicitation: <id>` and the `id` of an item
 *                        of `workflow.custom_elicitation.sections` (the
 *                        elicitation options for that section).
 * Anything else (free text that happens to hold an id, a `condition`, which
 * is prose) is no name. Handlebars forms ({{#each x}}, {{/if}}) are vars
 * whose names are their whole text, as the view gives them.
 *
 * A name outside a {{...}} counts only where its source bytes are its
 * value (a plain or quoted scalar or key with no escape, no folding, no
 * anchor or tag before it), so that an edit of those bytes is an edit of
 * the value. ft_name_ref.form tells which kind of place it is
 * (ft_ysite); ref.token is the {{...}}, the scalar (quotes included) or
 * the key; ref.node the tree node (the scalar holding a var, the scalar,
 * or the mapping value whose key it is). Spans are byte offsets into the
 * view's text and hold their end too.
 */
#ifndef TMPL_SERVER_FEATURES_YNAMES_H
#define TMPL_SERVER_FEATURES_YNAMES_H

#include <stddef.h>
#include <stdint.h>

#include "server/features/names.h"
#include "yaml/ytmpl.h"

/* ft_name_ref.form of a YAML occurrence. */
typedef enum ft_ysite {
  FT_YSITE_VAR = 0, /* {{name}} inside a string */
  FT_YSITE_SCALAR,  /* a whole scalar: an id, a custom_elicitation, a validation item */
  FT_YSITE_KEY      /* a mapping key: a prompts entry */
} ft_ysite;

/* At most this many occurrences are given: a response stays bounded. */
#define FT_YNAMES_MAX_REFS 10000

/**
 * The name at byte `offset` of the view: on a {{var}} (braces included),
 * an id, custom_elicitation or validation item (quotes included) or a
 * prompts key. The innermost wins (a {{var}} inside a validation item is
 * the var). Returns 0 and fills *out (an empty {{ }} has an empty key: see
 * ft_names_renamable), or FT_NAMES_ENOYNAME.
 */
int ft_ynames_at(const yt_tmpl *tm, uint32_t offset, ft_name_at *out);

/**
 * Append to *out every occurrence in the view of the `kind` name equal to
 * name[0..len) (bytes, compared as written), in text order, at most
 * FT_YNAMES_MAX_REFS of them. Returns 0, or 1 when there were more (only
 * the first are appended). An empty name finds nothing.
 */
int ft_ynames_find(const yt_tmpl *tm, ft_name_kind kind, const char *name, size_t len,
                   ft_name_refs *out);

/**
 * A new name for the occurrences `refs` (what ft_ynames_find gave, of
 * `kind`) as the client sends it: blanks around it are ignored (*trimmed,
 * may be NULL, gets the span of name[0..len) to use). A placeholder name
 * must not be empty nor hold "{{", "}}" or a line end; a section id must
 * not be empty nor hold a blank or a line end, nor be the id of another
 * section; neither may hold a quote or a backslash (a name may stand in a
 * quoted string, where it would need escaping). Finally the text with
 * every occurrence replaced is parsed again: it must have the same
 * structure and diagnostics, and each occurrence must read back as the
 * new name (this refuses ": " or " #" in a plain value, "," in a flow
 * list, a leading "*" ...). Returns NULL when the name is good, else a
 * static sentence.
 */
const char *ft_ynames_check(const yt_tmpl *tm, ft_name_kind kind, const ft_name_refs *refs,
                            const char *name, size_t len, gr_span *trimmed);

#endif
