#include "server/features/diagnostics.h"

#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "server/features/suppress.h"
#include "server/model/docdiag.h"
#include "server/model/source.h"
#include "yaml/ytmpl.h"

/*
 * The registry is built from the code lists, the grammar's (GR_DIAG_CODES),
 * the document model's (TL_DOCDIAG_CODES) and suppression comments'
 * (TL_SUPPRESS_CODES), so a code's name and severity live in one place;
 * only the titles live here. A code added to a list without a title here
 * does not compile.
 */
#define TL__TITLE_UNCLOSED_BLOCK \
  "A REPEAT, CONDITION, example, critical rule or LLM instruction is never closed"
#define TL__TITLE_STRAY_CLOSER "A closer with no block open"
#define TL__TITLE_MISMATCHED_CLOSER "A CONDITION closed under another name, or blocks that cross"
#define TL__TITLE_EMPTY_PLACEHOLDER "A placeholder with no name: {{}}"
#define TL__TITLE_UNTERMINATED_PLACEHOLDER \
  "A '{{' with no matching '}}' before the next heading or the end of the file"
#define TL__TITLE_MALFORMED_FENCE \
  "A closing code fence with an info string (\"```text\"), which Markdown reads as code"
#define TL__TITLE_BROKEN_FENCE \
  "A code fence that never closes, or that a DSL block balanced as text crosses"
#define TL__TITLE_LIMIT_EXCEEDED "The file exceeds a parser limit; the rest is plain text"
#define TL__TITLE_UNFILLED_PLACEHOLDER "A {{placeholder}} left in a document"
#define TL__TITLE_UNKNOWN_PLACEHOLDER "A {{placeholder}} in a document that its template does not have"
#define TL__TITLE_LEFTOVER_INSTRUCTION "An [[LLM: ...]] instruction left in a document"
#define TL__TITLE_LEFTOVER_EXAMPLE "An @{example} block or inline example left in a document"
#define TL__TITLE_LEFTOVER_MARKUP \
  "REPEAT or CONDITION markers or <critical_rule> tags left in a document"
#define TL__TITLE_MISSING_SECTION "A section of the template that the document lacks"
#define TL__TITLE_SECTION_ORDER "A section in a different order than the template's"
#define TL__TITLE_NO_TEMPLATE "No template matches a document that looks written from one"
#define TL__TITLE_UNKNOWN_TEMPLATE "A tmpl-ls marker names a template that is not found or cannot be read"
#define TL__TITLE_HEADING_DIFFERS "A heading aligned to a template section it spells differently"
#define TL__TITLE_TEMPLATE_MISMATCH "A document that does not seem to follow its template"
#define TL__TITLE_UNKNOWN_SUPPRESSION "A tmpl-ls-disable comment names no diagnostic code"

/* The YAML front-end's codes (YT_DIAG_CODES); the two placeholder codes it
 * shares with the grammar are listed once, with the grammar's. */
#define TL__YT_SYNTAX(str, sev) {str, sev, "Not valid YAML (the YAML template cannot be loaded)"},
#define TL__YT_LIMIT(str, sev) {str, sev, "The YAML file is too long to index; read up to the limit"},
#define TL__YT_DUPLICATE_KEY(str, sev) {str, sev, "A key twice in one YAML mapping (loaders keep the last)"},
#define TL__YT_MISSING_KEY(str, sev) {str, sev, "template.id, template.output.filename or a section's id missing"},
#define TL__YT_DUPLICATE_ID(str, sev) {str, sev, "A section id used twice in the YAML template"},
#define TL__YT_WRONG_TYPE(str, sev) {str, sev, "A YAML template value of the wrong kind"},
#define TL__YT_UNKNOWN_KEY(str, sev) {str, sev, "A key neither the spec nor real YAML templates use"},
#define TL__YT_UNKNOWN_VALUE(str, sev) {str, sev, "A type, mermaid_type or workflow.mode value that is not one"},
#define TL__YT_EMPTY_PLACEHOLDER(str, sev)
#define TL__YT_UNTERMINATED_PLACEHOLDER(str, sev)
#define TL__YT_ITEM_TEMPLATE_NOT_REPEATABLE(str, sev) \
  {str, sev, "A {{var}} in item_template of a section that is not repeatable"},

static const tl_code_info tl__codes[] = {
#define TL__XX(id, str, sev) {str, sev, TL__TITLE_##id},
#define TL__YX(id, str, sev) TL__YT_##id(str, sev)
    GR_DIAG_CODES(TL__XX) TL_DOCDIAG_CODES(TL__XX) TL_SUPPRESS_CODES(TL__XX) YT_DIAG_CODES(TL__YX)
#undef TL__YX
#undef TL__XX
};

/* Suppression comments keep codes as bits of a 64-bit mask. */
_Static_assert(sizeof tl__codes / sizeof tl__codes[0] <= 64, "more than 64 diagnostic codes");

const tl_code_info *tl_codes(size_t *count) {
  *count = sizeof tl__codes / sizeof tl__codes[0];
  return tl__codes;
}

const tl_code_info *tl_code_find(const char *code) {
  for (size_t i = 0; i < sizeof tl__codes / sizeof tl__codes[0]; i++)
    if (strcmp(tl__codes[i].code, code) == 0) return &tl__codes[i];
  return NULL;
}

void tl_diags_add(tl_diags *d, const char *code, gr_severity severity, gr_span span,
                  const char *message, uint32_t data) {
  const tl_code_info *info = tl_code_find(code);
  if (d->len == d->cap) {
    d->cap = d->cap ? d->cap * 2 : 16;
    d->items = gr_realloc(d->items, d->cap * sizeof *d->items);
  }
  tl_diag *x = &d->items[d->len++];
  x->span = span;
  x->severity = severity;
  x->code = info ? info->code : "unknown";
  /* Messages quote names from the file: keep them valid UTF-8 for JSON. */
  x->message = gr_utf8_clean(message, strlen(message));
  x->data = data;
  x->related = (gr_span){GR_NONE, GR_NONE};
  x->related_message = NULL;
}

void tl_diags_from_tree(tl_diags *d, const gr_tree *tree) {
  for (uint32_t i = 0; i < gr_tree_diag_count(tree); i++) {
    const gr_diag *g = gr_tree_diag(tree, i);
    tl_diags_add(d, gr_diag_code_name(g->code), g->severity, g->span, g->message, UINT32_MAX);
    d->items[d->len - 1].related = g->related;
    d->items[d->len - 1].related_message = g->related_message;
  }
}

void tl_diags_from_yaml_view(tl_diags *d, const yt_tmpl *v) {
  for (uint32_t i = 0; i < yt_tmpl_diag_count(v); i++) {
    const yt_diag *g = yt_tmpl_diag(v, i);
    tl_diags_add(d, yt_diag_code_name(g->code), g->severity, g->span, g->message, UINT32_MAX);
  }
}

void tl_diags_from_yaml(tl_diags *d, const char *text, size_t len) {
  yt_tmpl *v = yt_tmpl_parse(text, len);
  tl_diags_from_yaml_view(d, v);
  yt_tmpl_free(v);
}

void tl_diags_from_document(tl_diags *d, const struct tl_document *doc) {
  tl_docdiag_list *list = tl_docdiag_run(doc);
  for (size_t i = 0; i < list->len; i++) {
    const tl_docdiag *x = &list->items[i];
    tl_diags_add(d, tl_docdiag_code_name(x->code), x->severity, x->span, x->message, x->tsection);
  }
  tl_docdiag_free(list);
}

void tl_diags_from_association(tl_diags *d, const struct tl_document *doc, const struct tl_assoc *a) {
  tl_docdiag_list *list = tl_docdiag_assoc(doc, a);
  for (size_t i = 0; i < list->len; i++) {
    const tl_docdiag *x = &list->items[i];
    tl_diags_add(d, tl_docdiag_code_name(x->code), x->severity, x->span, x->message, x->tsection);
  }
  tl_docdiag_free(list);
}

static int tl__diag_cmp(const void *a, const void *b) {
  const tl_diag *x = a, *y = b;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  if (x->span.end != y->span.end) return x->span.end < y->span.end ? -1 : 1;
  return strcmp(x->code, y->code);
}

void tl_diags_sort(tl_diags *d) {
  if (d->len > 1) qsort(d->items, d->len, sizeof *d->items, tl__diag_cmp);
}

void tl_diags_free(tl_diags *d) {
  for (size_t i = 0; i < d->len; i++) gr_free(d->items[i].message);
  gr_free(d->items);
  d->items = NULL;
  d->len = d->cap = 0;
}

static const char *const tl__sev_names[] = {"error", "warning", "information", "hint"};

const char *tl_severity_name(gr_severity s) {
  return s >= GR_SEV_ERROR && s <= GR_SEV_HINT ? tl__sev_names[s - 1] : "error";
}

int tl_severity_parse(const char *name, gr_severity *out) {
  for (int i = 0; i < 4; i++)
    if (strcmp(name, tl__sev_names[i]) == 0) {
      *out = (gr_severity)(i + 1);
      return 0;
    }
  if (strcmp(name, "info") == 0) {
    *out = GR_SEV_INFORMATION;
    return 0;
  }
  return -1;
}

int tl_path_is_template(const char *path) {
  return tl_source_is_template(tl_source_kind_of_name(path, 0, NULL));
}
