/*
 * mdtable.h: Markdown (GFM) table lines, as the model and the features read
 * them (tl_mdtable_*). A table is a header row over a delimiter row; the
 * rows read here start with '|' (what templates and the documents written
 * from them write; a table without leading pipes is not recognised). Lines
 * are text[s, e) without their terminator.
 */
#ifndef TMPL_SERVER_MODEL_MDTABLE_H
#define TMPL_SERVER_MODEL_MDTABLE_H

#include <stdint.h>

/** 1 when the line, leading spaces aside, starts with '|'. */
int tl_mdtable_row(const char *t, uint32_t s, uint32_t e);

/** 1 for a delimiter row: '|', '-', ':' and blanks only, with a '|' and a '-'. */
int tl_mdtable_delimiter(const char *t, uint32_t s, uint32_t e);

/**
 * A header row's cells as heading keys (tl_pattern_key: case, emphasis,
 * punctuation aside), joined by '\n'; a cell holding "{{" (a placeholder,
 * not a literal column) is empty. *cells gets the number of cells. A new
 * string (gr_free).
 */
char *tl_mdtable_header(const char *t, uint32_t s, uint32_t e, uint32_t *cells);

#endif
