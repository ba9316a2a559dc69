/*
 * mdtable.c: Markdown table lines (see mdtable.h).
 */
#include "server/model/mdtable.h"

#include <string.h>

#include "grammar/alloc.h"
#include "server/model/pattern.h"

int tl_mdtable_row(const char *t, uint32_t s, uint32_t e) {
  while (s < e && t[s] == ' ') s++;
  return s < e && t[s] == '|';
}

int tl_mdtable_delimiter(const char *t, uint32_t s, uint32_t e) {
  int dashes = 0, pipes = 0;
  for (uint32_t i = s; i < e; i++) {
    char c = t[i];
    if (c == '-') dashes++;
    else if (c == '|') pipes++;
    else if (c != ':' && c != ' ' && c != '\t') return 0;
  }
  return dashes > 0 && pipes > 0;
}

char *tl_mdtable_header(const char *t, uint32_t ls, uint32_t le, uint32_t *cells) {
  GR_ARRAY(char) out = {0};
  uint32_t i = ls, n = 0;
  while (i < le && (t[i] == ' ' || t[i] == '\t')) i++;
  if (i < le && t[i] == '|') i++;
  uint32_t e = le;
  while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t')) e--;
  if (e > i && t[e - 1] == '|' && !(e > i + 1 && t[e - 2] == '\\')) e--;
  while (i <= e) {
    uint32_t c = i;
    while (c < e && !(t[c] == '|' && (c == i || t[c - 1] != '\\'))) c++;
    size_t kl = 0;
    char *key = tl_pattern_key(t + i, c - i, 0, &kl);
    if (n++) gr_array_push(&out, '\n');
    int literal = 1;
    for (uint32_t k = i; k + 1 < c; k++)
      if (t[k] == '{' && t[k + 1] == '{') literal = 0;
    if (literal)
      for (size_t k = 0; k < kl; k++) gr_array_push(&out, key[k]);
    gr_free(key);
    i = c + 1;
  }
  gr_array_push(&out, '\0');
  *cells = n;
  return out.items;
}
