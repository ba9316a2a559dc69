/*
 * dochelp.c: help while writing a document (see dochelp.h).
 */
#include "server/features/dochelp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "server/features/buf.h"
#include "server/model/docdiag.h"

#define FT_DOCHELP__MAX_QUOTE 2000  /* bytes of one instruction or rule quoted in a hover */
#define FT_DOCHELP__MAX_NAMES 40    /* placeholder names listed in a hover */

/* ---- Markdown ----------------------------------------------------------- */

/*
 * Text quoted from a file, at most `max` bytes (cut at a character, then
 * "…"): invalid UTF-8 and NULs become U+FFFD, line ends "\n"; with
 * `quote`, every line starts with "> " (a Markdown block quote).
 */
static void ft_dochelp__text(ft_buf *b, const char *s, size_t n, size_t max, bool quote) {
  static const char repl[] = "\xEF\xBF\xBD";
  if (quote) ft_buf_puts(b, "> ");
  size_t i = 0;
  while (i < n) {
    if (i >= max) {
      ft_buf_puts(b, "\xE2\x80\xA6");
      break;
    }
    uint32_t cp;
    size_t k = gr_utf8_decode(s, n, i, &cp);
    if (cp == 0 || (cp == 0xFFFD && k == 1)) {
      ft_buf_putn(b, repl, 3);
    } else if (s[i] == '\r') {
      /* dropped: "\r\n" becomes "\n" below, a lone "\r" too */
      if (i + 1 >= n || s[i + 1] != '\n') ft_buf_puts(b, quote ? "\n> " : "\n");
    } else if (s[i] == '\n') {
      ft_buf_puts(b, quote ? "\n> " : "\n");
    } else {
      ft_buf_putn(b, s + i, k);
    }
    i += k;
  }
}

/* ---- hover -------------------------------------------------------------- */

/* Name `name` once in a list of names. */
static bool ft_dochelp__seen(const char **names, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(names[i], name) == 0) return true;
  return false;
}

static void ft_dochelp__section_guidance(ft_buf *b, const tl_template *t, uint32_t ts) {
  const tl_tsection *sec = tl_template_section(t, ts);
  if (sec->repeat != TL_NONE) {
    const tl_trepeat *r = tl_template_repeat(t, sec->repeat);
    ft_buf_puts(b, "\n\nRepeatable: one section per *");
    ft_dochelp__text(b, r->name, strlen(r->name), 200, false);
    ft_buf_puts(b, "*.");
  }
  if (sec->condition != TL_NONE) {
    const tl_tcondition *c = tl_template_condition(t, sec->condition);
    ft_buf_puts(b, "\n\nConditional: only when `");
    ft_dochelp__text(b, c->name, strlen(c->name), 200, false);
    ft_buf_puts(b, "` applies.");
  }
  if (sec->elicit) ft_buf_puts(b, "\n\nElicit: the template asks to stop here and ask the user.");
  for (uint32_t i = 0; i < tl_template_instruction_count(t); i++) {
    const tl_tinstruction *in = tl_template_instruction(t, i);
    if (in->section != ts) continue;
    ft_buf_puts(b, "\n\n");
    ft_dochelp__text(b, in->text, strlen(in->text), FT_DOCHELP__MAX_QUOTE, true);
  }
  bool any = false;
  for (uint32_t i = 0; i < tl_template_rule_count(t); i++) {
    const tl_trule *r = tl_template_rule(t, i);
    if (r->section != ts) continue;
    ft_buf_puts(b, any ? "\n- " : "\n\n**Critical rules**\n- ");
    ft_dochelp__text(b, r->text, strlen(r->text), FT_DOCHELP__MAX_QUOTE, false);
    any = true;
  }
  const char *names[FT_DOCHELP__MAX_NAMES];
  size_t n = 0;
  bool more = false;
  for (uint32_t i = 0; i < tl_template_placeholder_count(t); i++) {
    const tl_tplaceholder *p = tl_template_placeholder(t, i);
    if (p->section != ts || (p->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) || !p->name[0]) continue;
    if (ft_dochelp__seen(names, n, p->name)) continue;
    if (n == FT_DOCHELP__MAX_NAMES) {
      more = true;
      break;
    }
    names[n++] = p->name;
  }
  for (size_t i = 0; i < n; i++) {
    ft_buf_puts(b, i ? ", `{{" : "\n\n**Placeholders:** `{{");
    ft_dochelp__text(b, names[i], strlen(names[i]), 200, false);
    ft_buf_puts(b, "}}`");
  }
  if (more) ft_buf_puts(b, ", \xE2\x80\xA6");
}

static void ft_dochelp__origin(ft_buf *b, const tl_assoc *a, const char *tmpl_name) {
  if (tmpl_name) {
    ft_buf_puts(b, "\n\n---\n\nTemplate: `");
    ft_dochelp__text(b, tmpl_name, strlen(tmpl_name), 400, false);
    ft_buf_puts(b, "`");
  } else {
    ft_buf_puts(b, "No template found for this document.");
  }
  if (a) {
    ft_buf_puts(b, tmpl_name ? " (rule: " : "\n\nRule: ");
    ft_buf_puts(b, tl_assoc_rule_name(a->rule));
    ft_buf_puts(b, tmpl_name ? ")" : "");
    if (a->reason && a->reason[0]) {
      ft_buf_puts(b, tmpl_name ? ": " : ". ");
      ft_dochelp__text(b, a->reason, strlen(a->reason), 600, false);
    }
  }
}

ft_dochelp_hover *ft_dochelp_hover_at(const tl_document *d, const tl_assoc *a, const char *tmpl_name,
                                      uint32_t offset) {
  if (!d) return NULL;
  const tl_template *t = tl_document_template(d);
  uint32_t n = tl_document_section_count(d);
  uint32_t ds = tl_document_section_at(d, offset);
  while (ds != TL_NONE && tl_document_section(d, ds)->tsection == TL_NONE) ds = tl_document_section(d, ds)->parent;
  bool title = false;
  if (ds == TL_NONE && !t && n > 0) {
    /* No template: only the title speaks, to say so. */
    const tl_dsection *first = tl_document_section(d, 0);
    if (offset >= first->heading.start && offset <= first->heading.end) ds = 0;
  }
  if (ds == TL_NONE) return NULL;
  title = ds == 0;
  const tl_dsection *sec = tl_document_section(d, ds);
  ft_buf b = {0};
  if (t && sec->tsection != TL_NONE) {
    const tl_tsection *ts = tl_template_section(t, sec->tsection);
    ft_buf_puts(&b, "**Section: ");
    ft_dochelp__text(&b, ts->text, strlen(ts->text), 400, false);
    ft_buf_puts(&b, "**");
    ft_dochelp__section_guidance(&b, t, sec->tsection);
  }
  if (title) ft_dochelp__origin(&b, a, t ? tmpl_name : NULL);
  ft_dochelp_hover *h = gr_calloc(1, sizeof *h);
  h->markdown = b.items ? b.items : gr_strndup("", 0);
  h->dsection = ds;
  if (offset >= sec->heading.start && offset <= sec->heading.end) {
    h->has_span = true;
    h->span = sec->heading;
  }
  return h;
}

void ft_dochelp_hover_free(ft_dochelp_hover *h) {
  if (!h) return;
  gr_free(h->markdown);
  gr_free(h);
}

/* ---- definition --------------------------------------------------------- */

int ft_dochelp_definition(const tl_document *d, uint32_t offset, ft_dochelp_target *out) {
  const tl_template *t = d ? tl_document_template(d) : NULL;
  if (!t) return 0;
  const gr_tree *tree = tl_document_tree(d);
  uint32_t node = gr_tree_ancestor(tree, gr_tree_node_at(tree, offset), GR_PLACEHOLDER);
  if (node != GR_NONE) {
    const gr_node *p = gr_tree_node(tree, node);
    const char *text = gr_tree_text(tree);
    size_t len = p->name.end - p->name.start;
    uint32_t ts = tl_document_tsection_at(d, offset);
    uint32_t best = TL_NONE, rank = 4;
    for (uint32_t i = 0; i < tl_template_placeholder_count(t) && rank > 1; i++) {
      const tl_tplaceholder *tp = tl_template_placeholder(t, i);
      if (strlen(tp->name) != len || memcmp(tp->name, text + p->name.start, len) != 0) continue;
      bool mention = (tp->flags & (GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) != 0;
      uint32_t r = mention ? 3 : (ts != TL_NONE && tp->section == ts) ? 1 : 2;
      if (r < rank) {
        rank = r;
        best = i;
      }
    }
    if (best == TL_NONE) return 0;
    out->from = p->span;
    out->to = tl_template_placeholder(t, best)->span;
    return 1;
  }
  uint32_t ds = tl_document_section_at(d, offset);
  while (ds != TL_NONE) {
    const tl_dsection *sec = tl_document_section(d, ds);
    if (offset >= sec->heading.start && offset <= sec->heading.end) {
      if (sec->tsection == TL_NONE) return 0;
      out->from = sec->heading;
      out->to = tl_template_section(t, sec->tsection)->heading;
      return 1;
    }
    ds = sec->parent;
  }
  return 0;
}

/* ---- links -------------------------------------------------------------- */

static bool ft_dochelp__name_byte(char c, bool before) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '/' || (before && c == '.') || (unsigned char)c >= 0x80;
}

static int ft_dochelp__link_cmp(const void *a, const void *b) {
  const ft_doclink *x = a, *y = b;
  if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
  if (x->span.end != y->span.end) return x->span.end < y->span.end ? 1 : -1; /* longer first */
  return (x->own != NULL) - (y->own != NULL);                               /* the template's name first */
}

ft_doclinks *ft_dochelp_links(const tl_template *t, const gr_tree *tree) {
  GR_ARRAY(ft_doclink) out = {0};
  uint32_t nf = t ? tl_template_file_count(t) : 0;
  if (!tree) {
    for (uint32_t i = 0; i < nf && out.len < FT_DOCHELP_MAX_LINKS; i++) {
      const tl_tfile *f = tl_template_file(t, i);
      ft_doclink l = {f->span, f->path, NULL};
      gr_array_push(&out, l);
    }
  } else {
    const char *text = gr_tree_text(tree);
    size_t len = gr_tree_len(tree);
    for (uint32_t i = 0; i < nf && out.len < FT_DOCHELP_MAX_LINKS; i++) {
      const char *name = tl_template_file(t, i)->path;
      bool dup = false;
      for (uint32_t k = 0; k < i && !dup; k++) dup = strcmp(tl_template_file(t, k)->path, name) == 0;
      size_t n = strlen(name);
      if (dup || n == 0 || n > len) continue;
      for (size_t at = 0; at + n <= len && out.len < FT_DOCHELP_MAX_LINKS;) {
        const char *hit = memchr(text + at, name[0], len - n + 1 - at);
        if (!hit) break;
        size_t pos = (size_t)(hit - text);
        at = pos + 1;
        if (memcmp(hit, name, n) != 0) continue;
        if (pos > 0 && ft_dochelp__name_byte(text[pos - 1], true)) continue;
        if (pos + n < len && ft_dochelp__name_byte(text[pos + n], false)) continue;
        ft_doclink l = {{(uint32_t)pos, (uint32_t)(pos + n)}, name, NULL};
        gr_array_push(&out, l);
        at = pos + n;
      }
    }
    /* The document's own mentions; of two at the same place the sort puts
     * the template's name (and where it resolves from) first. */
    tl_spans own = {0};
    tl_file_mentions(text, (uint32_t)len, &own);
    for (size_t k = 0; k < own.len && out.len < FT_DOCHELP_MAX_LINKS; k++) {
      char *name = gr_strndup(text + own.items[k].start, own.items[k].end - own.items[k].start);
      ft_doclink l = {own.items[k], name, name};
      gr_array_push(&out, l);
    }
    gr_array_free(&own);
  }
  if (out.len > 1) qsort(out.items, out.len, sizeof *out.items, ft_dochelp__link_cmp);
  /* Overlaps (one name inside another's span): keep the first, longer one. */
  size_t keep = 0;
  for (size_t i = 0; i < out.len; i++) {
    if (!keep || out.items[i].span.start >= out.items[keep - 1].span.end) out.items[keep++] = out.items[i];
    else gr_free(out.items[i].own);
  }
  ft_doclinks *l = gr_calloc(1, sizeof *l);
  l->items = out.items;
  l->len = keep;
  return l;
}

void ft_doclinks_free(ft_doclinks *l) {
  if (!l) return;
  for (size_t i = 0; i < l->len; i++) gr_free(l->items[i].own);
  gr_free(l->items);
  gr_free(l);
}

/* ---- code lens ---------------------------------------------------------- */

ft_doclens ft_dochelp_lens(const tl_document *d, const tl_diags *published) {
  ft_doclens lens;
  memset(&lens, 0, sizeof lens);
  if (!d) return lens;
  lens.has_template = tl_document_template(d) != NULL;
  if (tl_document_section_count(d) > 0) lens.span = tl_document_section(d, 0)->heading;
  if (published) { /* what the editor shows, after suppression comments and settings */
    for (size_t i = 0; i < published->len; i++) {
      lens.unfilled += strcmp(published->items[i].code, "unfilled-placeholder") == 0;
      lens.missing += strcmp(published->items[i].code, "missing-section") == 0;
    }
  } else {
    tl_docdiag_list *list = tl_docdiag_run(d);
    for (size_t i = 0; i < list->len; i++)
      if (list->items[i].code == TL_DD_UNFILLED_PLACEHOLDER) lens.unfilled++;
    tl_docdiag_free(list);
    lens.missing = tl_document_missing_count(d);
  }
  int n = snprintf(lens.title, sizeof lens.title, "%u unfilled placeholder%s \xC2\xB7 ", lens.unfilled,
                   lens.unfilled == 1 ? "" : "s");
  if (lens.has_template)
    snprintf(lens.title + n, sizeof lens.title - (size_t)n, "%u missing section%s", lens.missing,
             lens.missing == 1 ? "" : "s");
  else
    snprintf(lens.title + n, sizeof lens.title - (size_t)n, "no template");
  return lens;
}
