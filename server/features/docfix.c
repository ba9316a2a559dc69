/*
 * docfix.c: quick fixes for no-template, unknown-template, heading-differs and section-order
 * (see docfix.h). Each builds its text with "\n" and converts it to the
 * document's line ending last.
 */
#include "server/features/docfix.h"

#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"

static char *ft_docfix__title(const char *fmt, const char *a, const char *b) {
  int n = snprintf(NULL, 0, fmt, a, b);
  char *s = gr_malloc((size_t)(n < 0 ? 0 : n) + 1);
  snprintf(s, (size_t)(n < 0 ? 0 : n) + 1, fmt, a, b);
  return s;
}

static void ft_docfix__put(ft_edits *e, uint32_t s, uint32_t t, const ft_buf *b, const char *eol) {
  size_t n;
  char *conv = ft_edit_convert(b->items ? b->items : "", b->len, eol, &n);
  ft_edit_add(e, s, t, conv, n);
  gr_free(conv);
}

/* Where the marker goes: the start, after a BOM and front matter. */
static uint32_t ft_docfix__top(const gr_tree *tree) {
  const char *text = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree), at = 0;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) at = 3;
  for (uint32_t i = 0; i < gr_tree_count(tree); i++) {
    const gr_node *n = gr_tree_node(tree, i);
    if (n->kind == GR_FRONT_MATTER) {
      at = ft_edit_line_next(text, len, n->span.end > 0 ? n->span.end - 1 : 0);
      break;
    }
  }
  return at;
}

static int ft_docfix__associate(const tl_document *d, const tl_docdiag *x, ft_docfix *out, const char *eol) {
  if (!x->name || !x->name[0]) return 0;
  const gr_tree *tree = tl_document_tree(d);
  uint32_t at = ft_docfix__top(tree);
  ft_buf b = {0};
  int quote = strchr(x->name, ' ') != NULL;
  ft_buf_puts(&b, "<!-- tmpl-ls: template=");
  if (quote) ft_buf_puts(&b, "\"");
  ft_buf_puts(&b, x->name);
  if (quote) ft_buf_puts(&b, "\"");
  ft_buf_puts(&b, " -->\n");
  out->title = ft_docfix__title("Associate with %s%s", x->name, "");
  out->preferred = 1;
  ft_docfix__put(&out->edits, at, at, &b, eol);
  gr_array_free(&b);
  return 1;
}

static int ft_docfix__blanks(const char *t, uint32_t s, uint32_t e) {
  for (uint32_t i = s; i < e; i++)
    if (t[i] != ' ' && t[i] != '\t') return 0;
  return 1;
}

/* unknown-template: the marker (x->span) names no template. Point it at
 * the closest one, or, with none near, take it out so that the other rules
 * choose. */
static int ft_docfix__marker(const tl_document *d, const tl_assoc *a, const tl_docdiag *x, ft_docfix *out,
                             const char *eol) {
  if (x->span.end <= x->span.start) return 0;
  /* "Closest" as no-template reads it: near enough to be named. */
  const char *best = a && a->best != TL_NONE && a->best_marker && a->best_marker[0] &&
                             a->best_matched >= TL_DOCDIAG_NEAR_MATCHED &&
                             (uint64_t)a->best_score * 100 >= (uint64_t)a->threshold * TL_DOCDIAG_NEAR_PERCENT
                         ? a->best_marker
                         : NULL;
  ft_buf b = {0};
  if (best) {
    int quote = strchr(best, ' ') != NULL;
    ft_buf_puts(&b, "<!-- tmpl-ls: template=");
    if (quote) ft_buf_puts(&b, "\"");
    ft_buf_puts(&b, best);
    if (quote) ft_buf_puts(&b, "\"");
    ft_buf_puts(&b, " -->");
    out->title = ft_docfix__title("Point the marker at %s%s", best, "");
    ft_docfix__put(&out->edits, x->span.start, x->span.end, &b, eol);
  } else {
    const gr_tree *tree = tl_document_tree(d);
    gr_span whole = x->span;
    /* the marker's line goes with it when it stands alone there */
    uint32_t ls = ft_edit_line_start(gr_tree_text(tree), gr_tree_len(tree), whole.start);
    uint32_t le = ft_edit_line_end(gr_tree_text(tree), gr_tree_len(tree), whole.end);
    if (ft_docfix__blanks(gr_tree_text(tree), ls, whole.start) &&
        ft_docfix__blanks(gr_tree_text(tree), whole.end, le))
      whole = (gr_span){ls, ft_edit_line_next(gr_tree_text(tree), gr_tree_len(tree), whole.end)};
    out->title = ft_docfix__title("Remove the marker%s%s", "", "");
    ft_edit_add(&out->edits, whole.start, whole.end, "", 0);
  }
  out->preferred = 1;
  gr_array_free(&b);
  return 1;
}

static int ft_docfix__rename(const tl_docdiag *x, ft_docfix *out) {
  if (!x->name || x->extra.end <= x->extra.start) return 0;
  out->title = ft_docfix__title("Rename heading to %s%s", x->name, "");
  out->preferred = 1;
  ft_edit_add(&out->edits, x->extra.start, x->extra.end, x->name, strlen(x->name));
  return 1;
}

/* Move the section of x (its heading at x->span) to x->extra.start, as one
 * replacement of [min, max) so that no client sees a half-moved text. */
static int ft_docfix__move(const tl_document *d, const tl_docdiag *x, ft_docfix *out, const char *eol) {
  if (!x->name || x->node == TL_NONE) return 0;
  const gr_tree *tree = tl_document_tree(d);
  const char *text = gr_tree_text(tree);
  uint32_t len = gr_tree_len(tree);
  gr_span sec = {0, 0};
  for (uint32_t i = 0; i < tl_document_section_count(d); i++)
    if (tl_document_section(d, i)->node == x->node) sec = tl_document_section(d, i)->span;
  uint32_t to = x->extra.start;
  if (sec.end <= sec.start || (to >= sec.start && to <= sec.end)) return 0;
  int after = to > sec.end;
  ft_buf moved = {0}, b = {0};
  ft_buf_putn(&moved, text + sec.start, sec.end - sec.start);
  /* A section that ended the file may lack its line end. */
  if (moved.len && moved.items[moved.len - 1] != '\n' && moved.items[moved.len - 1] != '\r') ft_buf_puts(&moved, eol);
  if (after && to == len) /* at the end of the file: no blank lines after it */
    while (moved.len > 1 && moved.items[moved.len - 1] == '\n' &&
           (moved.items[moved.len - 2] == '\n' ||
            (moved.len > 2 && moved.items[moved.len - 2] == '\r' && moved.items[moved.len - 3] == '\n')))
      moved.len -= moved.items[moved.len - 2] == '\r' ? 2 : 1;
  if (after) {
    /* [sec.start, to) becomes the text between, then the section */
    ft_buf_putn(&b, text + sec.end, to - sec.end);
    if (to == len && b.len && b.items[b.len - 1] != '\n' && b.items[b.len - 1] != '\r') ft_buf_puts(&b, eol);
    if (to == len && !ft_edit_line_blank(text, len, to > 0 ? to - 1 : 0)) ft_buf_puts(&b, eol);
    ft_buf_putn(&b, moved.items, moved.len);
    ft_edit_add(&out->edits, sec.start, to, b.items, b.len);
  } else {
    /* [to, sec.end) becomes the section, then the text between; a blank
     * line keeps the section apart from the heading it now stands before */
    size_t k = moved.len;
    if (k && moved.items[k - 1] == '\n') k--;
    if (k && moved.items[k - 1] == '\r') k--;
    if (k && moved.items[k - 1] != '\n' && moved.items[k - 1] != '\r') ft_buf_puts(&moved, eol);
    ft_buf_putn(&b, moved.items, moved.len);
    ft_buf_putn(&b, text + to, sec.start - to);
    if (sec.end == len && b.len) { /* the text between was followed by the section: trim its blank tail */
      while (b.len > 1 && (b.items[b.len - 1] == '\n' || b.items[b.len - 1] == '\r') &&
             (b.items[b.len - 2] == '\n' || b.items[b.len - 2] == '\r'))
        b.len--;
    }
    ft_edit_add(&out->edits, to, sec.end, b.items, b.len);
  }
  out->title = ft_docfix__title("Move section %s %s", after ? "after" : "before", x->name);
  out->preferred = 1;
  gr_array_free(&moved);
  gr_array_free(&b);
  return 1;
}

int ft_docfix_for(const tl_document *d, const tl_assoc *a, const tl_docdiag *x, ft_docfix *out) {
  const gr_tree *tree = tl_document_tree(d);
  const char *eol = ft_edit_eol(gr_tree_text(tree), gr_tree_len(tree));
  ft_docfix f;
  memset(&f, 0, sizeof f);
  int ok = 0;
  switch (x->code) {
    case TL_DD_NO_TEMPLATE:
      ok = ft_docfix__associate(d, x, &f, eol);
      break;
    case TL_DD_UNKNOWN_TEMPLATE:
      ok = ft_docfix__marker(d, a, x, &f, eol);
      break;
    case TL_DD_HEADING_DIFFERS:
      ok = ft_docfix__rename(x, &f);
      break;
    case TL_DD_SECTION_ORDER:
      ok = ft_docfix__move(d, x, &f, eol);
      break;
    default:
      break;
  }
  if (!ok) {
    ft_docfix_free(&f);
    return 0;
  }
  ft_edit_sort(&f.edits);
  *out = f;
  return 1;
}

void ft_docfix_free(ft_docfix *f) {
  gr_free(f->title);
  ft_edit_free(&f->edits);
  f->title = NULL;
}
