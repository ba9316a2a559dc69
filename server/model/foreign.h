/*
 * foreign.h: which {{…}} of a document are its template's placeholders
 * (tl_foreign_*). A document quotes other languages (React, n8n, Angular,
 * Prometheus, Helm, ...) and talks about template syntax; only what the
 * template left behind is an unfilled placeholder. One rule, asked by the
 * diagnostics (docdiag.c), the semantic tokens and the completion, so that
 * what is reported, what is coloured and where names are offered agree.
 *
 * From the text alone (tl_foreign_text):
 *   hard (never a placeholder, whatever the template says):
 *     {{}} and {{ }}; ${{ }} (GitHub Actions); {{{x}}} (triple stash);
 *     trim markers {{- x -}}; Go fields {{ .x }}; an identifier glued to
 *     the braces in code (Mermaid Id{{Label}}); a JSX prop's object
 *     literal, attr={{ key: value, ... }}.
 *   soft (not a placeholder unless the template has that name):
 *     Handlebars {{#x}} {{/x}} {{>x}} {{!x}} {{^x}} {{&x}} {{@x}} {{this}}
 *     {{else}} {{end}}; Go/Jinja actions {{ if ... }}; filter pipelines
 *     {{ x | upper }}, Angular pipes {{ x | uppercase }} and any pipe after
 *     a path {{ a.b | f }}; dotted paths {{ a.b }}; $-expressions (n8n,
 *     Prometheus, Go) {{ $json.x }} {{ $node["x"].json }} {{ $value }};
 *     Make's module paths {{1.email}}; calls {{ f(x) }}; helpers with
 *     arguments {{humanize $value}} {{link "Home" url}} {{formatDate date}};
 *     object literals {{ opacity: 0 }}; a one-word name on a line (or the
 *     line before or after) of Vue/Angular bindings (v-for, *ngFor, ...),
 *     i18n calls (t(, i18next, ...) or Handlebars blocks; prose about the
 *     syntax: a placeholder beside a word such as syntax, placeholder,
 *     variable, format, template, replace, substitute (one of the two words
 *     before it, articles not counted, or the word after it: "replace
 *     {{VAR}} placeholders", "used with {{NAME}} syntax"), never across a label's
 *     colon ("**Format:** {{log_format}}" is a leftover), or a generic name
 *     (VAR, VARIABLE, NAME, PLACEHOLDER, ...) in a sentence or table cell
 *     with such a word.
 *
 * Against the template (tl_foreign_classify): in code, only a name the
 * template itself puts in code in the matching section is a placeholder;
 * elsewhere a name the template has is one, whatever the soft rules say;
 * a name it lacks is "unknown". Names compare leniently, the way templates
 * write the same name: ASCII case, blanks, '_' and '-' ignored, and a
 * trailing number allowed ({{Environment Name 2}} is {{environment_name}},
 * {{file_4}} is {{file_1}}).
 */
#ifndef TMPL_SERVER_MODEL_FOREIGN_H
#define TMPL_SERVER_MODEL_FOREIGN_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "server/model/document.h"
#include "server/model/template.h"

typedef enum tl_foreign {
  TL_FOREIGN_NO = 0, /* nothing in the text says it is not a placeholder */
  TL_FOREIGN_SOFT,   /* another language or prose about syntax, unless the template has the name */
  TL_FOREIGN_HARD    /* never a placeholder */
} tl_foreign;

enum {
  TL_FOREIGN_IN_CODE = 1u << 0, /* inside a fence, code span or front matter */
  TL_FOREIGN_TYPING = 1u << 1   /* being typed: span.end is the cursor or the closer; {{}} and
                                   what follows span.end are not looked at */
};

/**
 * What the text says of the {{…}} at span (from "{{" through "}}") whose
 * name (the inner text) is at `name`, in text[0..len). Reads text only.
 */
tl_foreign tl_foreign_text(const char *text, uint32_t len, gr_span span, gr_span name, unsigned flags);

/**
 * A name's key: its letters and digits lower-cased, blanks, '_' and '-'
 * left out; with `unnumbered`, the key of the name without its trailing
 * number ("env_name 2" -> "envname"), NULL when it has none. Two names
 * are the same (tl_foreign_name_eq) when a key of one, plain or
 * unnumbered, is a key of the other. A new string (gr_free).
 */
char *tl_foreign_name_key(const char *a, size_t n, int unnumbered);

/** 1 when names a[0..an) and b[0..bn) are the same name, leniently (see above). */
int tl_foreign_name_eq(const char *a, size_t an, const char *b, size_t bn);

/**
 * 1 when template `t` has a placeholder named name[0..n) (leniently): with
 * `code_ts` TL_NONE anywhere (its title, sections, instructions and
 * examples included); otherwise only in code, outside instructions and
 * examples, in section code_ts.
 */
int tl_foreign_template_has(const tl_template *t, const char *name, size_t n, uint32_t code_ts);

typedef enum tl_ph_kind {
  TL_PH_UNFILLED = 0, /* the template's placeholder (any placeholder when there is no template) */
  TL_PH_UNKNOWN,      /* looks like a placeholder, but the template has no such name */
  TL_PH_FOREIGN       /* not a placeholder: another language, prose about syntax, {{}} */
} tl_ph_kind;

/**
 * What placeholder node `node` of document d's tree is. Whether it lies in
 * an instruction, example or HTML comment is not considered (the caller
 * decides what those mean).
 */
tl_ph_kind tl_foreign_classify(const tl_document *d, uint32_t node);

#endif
