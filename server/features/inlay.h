/*
 * inlay.h: a document's inlay hints (ft_inlay_*), after the headings that
 * stand for a template section: which instance of a repeated section it is
 * ("2 of 3"), and, when the section's heading is a pattern (placeholders,
 * a choice, an [ALL CAPS] bracket), the template's heading it matched
 * ("{{environment_name}} Environment"). Plain C over the aligned document;
 * spans in bytes.
 */
#ifndef TMPL_SERVER_FEATURES_INLAY_H
#define TMPL_SERVER_FEATURES_INLAY_H

#include <stddef.h>
#include <stdint.h>

#include "server/model/document.h"

typedef enum ft_inlay_kind {
  FT_INLAY_INSTANCE = 0, /* "2 of 3" */
  FT_INLAY_PATTERN       /* the template's heading */
} ft_inlay_kind;

typedef struct ft_inlay {
  uint32_t offset; /* the end of the heading's text */
  ft_inlay_kind kind;
  char *label;     /* owned, valid UTF-8: "2 of 3", "template: {{name}} Environment" */
} ft_inlay;

typedef struct ft_inlays {
  ft_inlay *items; /* in text order */
  size_t len;
} ft_inlays;

/** The hints of headings whose text ends in [start, end]. Never NULL. */
ft_inlays *ft_inlay_hints(const tl_document *doc, uint32_t start, uint32_t end);
void ft_inlays_free(ft_inlays *h);

#endif
