/*
 * features_util.h: helpers shared by the feature tests (tests/features/):
 * a parsed document fixture, a growable string for rendering results, and
 * an exact-match assertion that prints both texts when they differ.
 */
#ifndef TMPL_TESTS_SUPPORT_FEATURES_UTIL_H
#define TMPL_TESTS_SUPPORT_FEATURES_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "grammar/grammar.h"
#include "grammar/lines.h"
#include "yaml/ytmpl.h"

/* A text with its tree (or, for YAML, its template view) and line index.
 * The text is borrowed. */
typedef struct fts_doc {
  const char *text;
  size_t len;
  gr_tree *tree;   /* NULL for a YAML text */
  gr_lines *lines;
  yt_tmpl *yaml;   /* a YAML text's template view, else NULL */
} fts_doc;

/** Parse text[0..len) (opts may be NULL) and index its lines. */
void fts_doc_open(fts_doc *d, const char *text, size_t len, const gr_options *opts);
/** Parse a NUL-terminated text with the default options. */
void fts_doc_open_str(fts_doc *d, const char *text);
/** Read text[0..len) as a YAML template (yt_tmpl_parse) and index its lines. */
void fts_doc_open_yaml(fts_doc *d, const char *text, size_t len);
/** Free the tree or view and the line index (not the text). */
void fts_doc_close(fts_doc *d);

/**
 * `open` n times, then `middle`, then `close` n times: deep-nesting input.
 * Returns a new NUL-terminated string (gr_free) and its length in *len.
 */
char *fts_nested(const char *open, const char *middle, const char *close, size_t n, size_t *len);

/* A growable NUL-terminated string; start with {0}, free with fts_str_free. */
typedef struct fts_str {
  char *s;
  size_t len, cap;
} fts_str;

/** Append printf-style. */
void fts_cat(fts_str *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/** Append text[0..n) in double quotes, with \n \r \t \" \\ escaped. */
void fts_cat_quoted(fts_str *b, const char *text, size_t n);
/** "line:col" (0-based, bytes) of a byte offset. */
void fts_cat_pos(fts_str *b, const fts_doc *d, uint32_t offset);
/** The string so far ("" when nothing was appended; never NULL). */
const char *fts_str_get(const fts_str *b);
void fts_str_free(fts_str *b);

/**
 * Call fn on every template of the real corpus (../shared/corpus/bmad-method/
 * *.md, relative to the repository root, where tests run) and on the seed
 * template, in name order. Returns how many files were visited.
 */
size_t fts_corpus_each(void (*fn)(const char *name, const fts_doc *doc, void *ud), void *ud);

/**
 * Call fn on every YAML template of the real corpus
 * (every .yaml in ../shared/corpus/bmad-method-yaml/, about 300, 37 of them not valid
 * YAML), opened with fts_doc_open_yaml, in name order. Returns how many.
 */
size_t fts_yaml_corpus_each(void (*fn)(const char *name, const fts_doc *doc, void *ud), void *ud);

/**
 * Call fn on `count` generated texts (deterministic: the same every run):
 * random mixes of DSL tokens, partial tokens, headings, fences, blanks,
 * CR/LF and invalid UTF-8 bytes, up to ~4 KB each. For invariant checks.
 */
void fts_garbage_each(unsigned count, void (*fn)(const char *name, const fts_doc *doc, void *ud),
                      void *ud);

/** 1 when s[0..n) is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int fts_utf8_valid(const char *s, size_t n);

/**
 * Fail the current cmocka test unless got equals want; on a mismatch
 * print the case name and both texts in full.
 */
#define fts_expect(name, got, want) fts__expect((name), (got), (want), __FILE__, __LINE__)
void fts__expect(const char *name, const char *got, const char *want, const char *file, int line);

#endif
