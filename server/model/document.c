/*
 * document.c: a document's sections matched against its template's.
 *
 * Steps: collect the document's heading sections (pre-order, so a parent
 * is matched before its children and can steer their match), each aligned
 * stage by stage (pattern, key, words; see document.h); then the guesses
 * by place among siblings and the sections present without a heading;
 * order the matches with a longest non-decreasing subsequence; list the
 * template sections that are missing, each with its insertion offset; and
 * tell whether the document follows the template at all.
 */
#include "server/model/document.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/alloc.h"
#include "server/model/mdtable.h"
#include "server/model/pattern.h"
#include "server/model/tail.h"

struct tl_document {
  const gr_tree *tree;
  const tl_template *tmpl;
  uint32_t len;
  GR_ARRAY(tl_dsection) sections;
  GR_ARRAY(tl_doc_missing) missing;
  uint32_t *occurrences; /* per template section */
  uint32_t *last;        /* per template section: last document section matching it */
  uint8_t *present;      /* per template section: written without a heading of its own */
  char **tkeys;          /* per template section: tl_pattern_key of its heading, with wildcards */
  char **tpat;           /* per template section: its heading pattern (as tl_template_heading_match's),
                            matched against the normalised heading without normalising it again */
  uint32_t *key;         /* per template section: its order key (tl_document__keys) */
  uint64_t *lit_index;   /* (hash of tpat << 32 | section) of the literal patterns, sorted (tl_document__match) */
  uint32_t nlit;
  uint32_t *wild;        /* the sections whose pattern has a wildcard, in order */
  uint32_t nwild;
  uint32_t tn;           /* the template's section count (tkeys' length) */
  uint32_t tail;         /* where the text's closing matter starts (tl_tail_start of it all),
                            or TL_NONE until the insertion offsets need it */
  int score_only;        /* tl_document_new_for_score */
  int mismatch;
  uint32_t aligned, total;
};

/* ---- matching ----------------------------------------------------------- */

/* Order key: every section of one outermost REPEAT body shares the key of
 * that body's first section, so instances repeat without going "back". */
static uint32_t *tl_document__keys(const tl_template *t) {
  uint32_t n = tl_template_section_count(t), nr = tl_template_repeat_count(t);
  uint32_t *key = gr_malloc(((size_t)n + 1) * sizeof *key);
  uint32_t *first = gr_malloc(((size_t)nr + 1) * sizeof *first); /* per outermost REPEAT: its first section */
  for (uint32_t r = 0; r < nr; r++) first[r] = TL_NONE;
  for (uint32_t i = 0; i < n; i++) {
    const tl_tsection *s = tl_template_section(t, i);
    key[i] = i;
    if (s->repeat == TL_NONE) continue;
    uint32_t r = s->repeat;
    while (tl_template_repeat(t, r)->parent != TL_NONE) r = tl_template_repeat(t, r)->parent;
    if (first[r] == TL_NONE) first[r] = i;
    key[i] = first[r];
  }
  gr_free(first);
  return key;
}

static void tl_document__take(tl_document *d, uint32_t di, uint32_t c, int lit, uint8_t how, int shifted) {
  tl_dsection *ds = &d->sections.items[di];
  ds->tsection = c;
  ds->literal = lit;
  ds->how = how;
  ds->shifted = (uint8_t)shifted;
  d->occurrences[c]++;
  d->last[c] = di;
}

/* The template section of the nearest aligned ancestor of `di`, or TL_NONE. */
static uint32_t tl_document__mparent(const tl_document *d, uint32_t di) {
  for (uint32_t p = d->sections.items[di].parent; p != TL_NONE; p = d->sections.items[p].parent)
    if (d->sections.items[p].tsection != TL_NONE) return d->sections.items[p].tsection;
  return TL_NONE;
}

/* Does template section c's parent agree with the document's? Its parent
 * is the document's nearest aligned ancestor's section, or was dropped
 * (not aligned) and its own parent is (children promoted). */
static int tl_document__parent_ok(const tl_document *d, uint32_t c, uint32_t mparent) {
  uint32_t p = tl_template_section(d->tmpl, c)->parent;
  if (p == mparent) return 1;
  if (tl_template_section(d->tmpl, c)->wildcard) return 0; /* any heading: only where the template puts it */
  return p != TL_NONE && d->occurrences[p] == 0 && !d->present[p] &&
         tl_template_section(d->tmpl, p)->parent == mparent;
}

/* The stages of alignment (see document.h), tried in this order. */
typedef enum tl_document__stage {
  TL_STAGE_EXACT,       /* pattern, same level, literal text */
  TL_STAGE_EXACT_SHIFT, /* pattern, a level off, literal text, parent agrees */
  TL_STAGE_KEY,         /* normalised words (or a part of the heading), level off by at most one */
  TL_STAGE_WILD,        /* wildcard-only pattern, same level, parent agrees */
  TL_STAGE_LIT_SHIFT,   /* pattern, a level off, literal text, any parent: beats a wildcard */
  TL_STAGE_WORDS,       /* words in common, level off by at most one, parent agrees */
  TL_STAGE_WILD_SHIFT,  /* wildcard-only pattern, a level off, parent agrees */
  TL_STAGE_COUNT
} tl_document__stage;

/* One heading's text in the forms the stages compare. */
typedef struct tl_document__heading {
  const char *text; /* the heading text as written */
  size_t len;
  const char *norm; /* tl_pattern_normalize */
  size_t nlen;
  char *key;        /* tl_pattern_key, no wildcards */
  size_t klen;
  char *parts[4];   /* keys of the heading's parts (split at ':', ' - ', '(', '/', '|'), or NULL */
  size_t plen[4];
} tl_document__heading;

static void tl_document__heading_init(tl_document__heading *h, const char *text, size_t len,
                                      const char *norm, size_t nlen) {
  memset(h, 0, sizeof *h);
  h->norm = norm;
  h->nlen = nlen;
  h->text = text;
  h->len = len;
}

/* The key and the parts' keys, made when a stage first needs them: most
 * headings match at the first stage. */
static void tl_document__heading_keys(tl_document__heading *h) {
  if (h->key) return;
  const char *text = h->text;
  size_t len = h->len;
  h->key = tl_pattern_key(text, len, 0, &h->klen);
  size_t np = 0, s = 0;
  for (size_t i = 0; i <= len && np < 4; i++) {
    int cut = i == len || text[i] == ':' || text[i] == '(' || text[i] == '/' || text[i] == '|' ||
              (text[i] == '-' && i > 0 && i + 1 < len && text[i - 1] == ' ' && text[i + 1] == ' ');
    if (!cut) continue;
    if (i == len && s == 0) break; /* no separator: the whole key says it */
    h->parts[np] = tl_pattern_key(text + s, i - s, 0, &h->plen[np]);
    if (h->plen[np] == 0) {
      gr_free(h->parts[np]);
      h->parts[np] = NULL;
    } else {
      np++;
    }
    s = i + 1;
  }
}

static void tl_document__heading_free(tl_document__heading *h) {
  gr_free(h->key);
  for (int k = 0; k < 4; k++) gr_free(h->parts[k]);
}

/* How well template section c matches heading h by its key or a part of
 * it (TL_STAGE_KEY: the literal count, > 0) or by words (TL_STAGE_WORDS: 1);
 * -1 when it does not. *how says which. */
static int tl_document__try(const tl_document *d, uint32_t c, const tl_document__heading *h,
                            tl_document__stage stage, uint8_t *how) {
  const char *k = d->tkeys[c];
  if (!k[0]) return -1;
  if (stage == TL_STAGE_KEY) {
    *how = TL_ALIGN_KEY;
    int lit = h->klen ? tl_pattern_match(k, h->key, h->klen, TL_PATTERN_HEADING) : -1;
    if (lit > 0) return lit;
    *how = TL_ALIGN_PART;
    for (int p = 0; p < 4 && h->parts[p]; p++) {
      lit = tl_pattern_match(k, h->parts[p], h->plen[p], TL_PATTERN_HEADING);
      if (lit > 0) return lit;
    }
    return -1;
  }
  if (tl_template_section(d->tmpl, c)->wildcard || strchr(k, TL_PATTERN_WILD)) return -1;
  *how = TL_ALIGN_WORDS;
  /* 60%: "Infrastructure as Code" ~ "Infrastructure as Code (IaC)" (80),
   * "Backup and Recovery Strategy" ~ "Backup and Disaster Recovery" (66);
   * not "Testing Strategy" ~ "Testing Requirements" (50). */
  return tl_pattern_likeness(k, h->key) >= 60 ? 1 : -1;
}

/* The best candidate of one stage, by the preferences of document.h. */
typedef struct tl_document__best {
  uint32_t c, dist;
  int lit, parent, after, same;
  uint8_t how;
} tl_document__best;

static void tl_document__consider(tl_document__best *b, uint32_t c, int lit, int parent_ok, int after,
                                  uint32_t dist, int same, uint8_t how) {
  int better;
  if (b->c == TL_NONE) better = 1;
  else if (same != b->same) better = same > b->same;
  else if (parent_ok != b->parent) better = parent_ok > b->parent;
  else if (lit != b->lit) better = lit > b->lit;
  else if (after != b->after) better = after > b->after;
  else better = dist < b->dist;
  if (better) {
    b->c = c;
    b->lit = lit;
    b->parent = parent_ok;
    b->after = after;
    b->dist = dist;
    b->same = same;
    b->how = how;
  }
}

static uint32_t tl_document__hash(const char *s, size_t n) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static int tl_document__u64_cmp(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Pick the template section for document section `di`, stage by stage.
 * The pattern stages share one scan of the template (each candidate's
 * pattern is matched once); the others scan it only when those fail. */
static void tl_document__match(tl_document *d, uint32_t di, uint32_t last_match,
                               tl_document__heading *h) {
  const tl_template *t = d->tmpl;
  tl_dsection *ds = &d->sections.items[di];
  uint32_t mparent = tl_document__mparent(d, di);
  uint32_t n = tl_template_section_count(t);
  tl_document__best best[TL_STAGE_COUNT];
  for (int k = 0; k < TL_STAGE_COUNT; k++) {
    memset(&best[k], 0, sizeof best[k]);
    best[k].c = TL_NONE;
  }
  int dup = 0;
  for (int pass = 0; pass < 3; pass++) {
    /* pass 0: the pattern stages; 1: KEY; 2: WORDS and WILD_SHIFT */
    if (pass == 1) {
      if (best[TL_STAGE_EXACT].c != TL_NONE || best[TL_STAGE_EXACT_SHIFT].c != TL_NONE) break;
      tl_document__heading_keys(h);
    }
    if (pass == 2) {
      if (best[TL_STAGE_KEY].c != TL_NONE || best[TL_STAGE_WILD].c != TL_NONE || dup) break;
      if (d->score_only) break;
    }
    /* Pass 0 looks only at the sections whose pattern can match: the
     * literal ones equal to the heading (by hash, then compared), and
     * those with a wildcard; the outcome does not depend on the order
     * (c decides every tie). A 1 MB document against a 3,000-section
     * template: check 130 -> 60 ms. */
    uint32_t *cands = NULL, ncand = n;
    if (pass == 0) {
      uint64_t hk = (uint64_t)tl_document__hash(h->norm, h->nlen) << 32;
      size_t lo = 0, hi = d->nlit;
      while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->lit_index[mid] < hk) lo = mid + 1;
        else hi = mid;
      }
      size_t end = lo;
      while (end < d->nlit && (d->lit_index[end] >> 32) == (hk >> 32)) end++;
      ncand = (uint32_t)(end - lo) + d->nwild;
      cands = gr_malloc(((size_t)ncand + 1) * sizeof *cands);
      for (size_t k = lo; k < end; k++) cands[k - lo] = (uint32_t)d->lit_index[k];
      memcpy(cands + (end - lo), d->wild, (size_t)d->nwild * sizeof *cands);
    }
    for (uint32_t ck = 0; ck < ncand; ck++) {
      uint32_t c = cands ? cands[ck] : ck;
      const tl_tsection *ts = tl_template_section(t, c);
      int diff = (int)ts->level - (int)ds->level;
      if (diff < -1 || diff > 1) continue;
      int same = diff == 0;
      int used = !ts->repeats && (d->occurrences[c] > 0 || d->present[c]);
      int after = last_match == TL_NONE || c > last_match || (c == last_match && ts->repeats);
      uint32_t dist = last_match == TL_NONE ? c : after ? c - last_match : last_match - c;
      uint8_t how;
      if (pass == 0) {
        int lit = tl_pattern_match(d->tpat[c], h->norm, h->nlen, TL_PATTERN_HEADING);
        if (lit < 0) continue;
        if (used) {
          if (same && lit > 0) dup = 1;
          continue;
        }
        int parent_ok = tl_document__parent_ok(d, c, mparent);
        if (lit > 0 && same) tl_document__consider(&best[TL_STAGE_EXACT], c, lit, parent_ok, after, dist, 1, 0);
        if (lit > 0 && !same && parent_ok)
          tl_document__consider(&best[TL_STAGE_EXACT_SHIFT], c, lit, 1, after, dist, 0, 0);
        if (lit > 0 && !same) tl_document__consider(&best[TL_STAGE_LIT_SHIFT], c, lit, parent_ok, after, dist, 0, 0);
        if (lit == 0 && same && parent_ok) tl_document__consider(&best[TL_STAGE_WILD], c, 0, 1, after, dist, 1, 0);
        if (lit == 0 && !same && parent_ok)
          tl_document__consider(&best[TL_STAGE_WILD_SHIFT], c, 0, 1, after, dist, 0, 0);
      } else if (pass == 1) {
        int lit = tl_document__try(d, c, h, TL_STAGE_KEY, &how);
        if (lit <= 0) continue;
        if (used) {
          dup = 1;
          continue;
        }
        int parent_ok = tl_document__parent_ok(d, c, mparent);
        if (!same && !parent_ok) continue;
        tl_document__consider(&best[TL_STAGE_KEY], c, lit, parent_ok, after, dist, same, how);
      } else {
        if (used || !tl_document__parent_ok(d, c, mparent)) continue;
        if (tl_document__try(d, c, h, TL_STAGE_WORDS, &how) > 0)
          tl_document__consider(&best[TL_STAGE_WORDS], c, 1, 1, after, dist, same, how);
      }
    }
    gr_free(cands);
  }
  /* In the stages' order; a literal title a level off beats a wildcard. */
  static const int order[] = {TL_STAGE_EXACT, TL_STAGE_EXACT_SHIFT, TL_STAGE_KEY, TL_STAGE_LIT_SHIFT,
                              TL_STAGE_WILD, TL_STAGE_WORDS, TL_STAGE_WILD_SHIFT};
  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    const tl_document__best *b = &best[order[k]];
    if (order[k] == TL_STAGE_LIT_SHIFT && best[TL_STAGE_WILD].c == TL_NONE) continue;
    if (dup && order[k] >= TL_STAGE_WILD) break; /* the same heading twice: the second is the writer's */
    if (order[k] == TL_STAGE_WILD_SHIFT && d->score_only) break;
    if (b->c == TL_NONE) continue;
    tl_document__take(d, di, b->c, b->lit, b->how, !b->same);
    return;
  }
  if (dup) ds->dup = 1;
}

/* Longest non-decreasing subsequence of the matched sections' keys; the
 * others are marked out of order. Patience sorting with back links. */
static void tl_document__order(tl_document *d, const uint32_t *key) {
  size_t n = d->sections.len;
  uint32_t *idx = gr_malloc((n + 1) * sizeof *idx);  /* matched doc sections */
  uint32_t *tail = gr_malloc((n + 1) * sizeof *tail); /* pile tops (into idx) */
  uint32_t *prev = gr_malloc((n + 1) * sizeof *prev);
  size_t m = 0, piles = 0;
  for (size_t i = 0; i < n; i++)
    if (d->sections.items[i].tsection != TL_NONE) idx[m++] = (uint32_t)i;
  for (size_t k = 0; k < m; k++) {
    uint32_t v = key[d->sections.items[idx[k]].tsection];
    /* first pile whose top key is greater than v (non-decreasing) */
    size_t lo = 0, hi = piles;
    while (lo < hi) {
      size_t mid = (lo + hi) / 2;
      if (key[d->sections.items[idx[tail[mid]]].tsection] <= v) lo = mid + 1;
      else hi = mid;
    }
    prev[k] = lo > 0 ? tail[lo - 1] : TL_NONE;
    tail[lo] = (uint32_t)k;
    if (lo == piles) piles++;
  }
  for (size_t k = 0; k < m; k++) d->sections.items[idx[k]].in_order = 0;
  for (uint32_t k = piles ? tail[piles - 1] : TL_NONE; k != TL_NONE; k = prev[k])
    d->sections.items[idx[k]].in_order = 1;
  gr_free(idx);
  gr_free(tail);
  gr_free(prev);
}

/* ---- missing sections --------------------------------------------------- */

/* ---- insertion offsets --------------------------------------------------- */

/* Where an insert after document section `di` goes: the end of its span
 * (after its subsections), before the document's closing matter when the
 * section runs to the end of the text. */
static uint32_t tl_document__tail(tl_document *d) {
  if (d->tail == TL_NONE) d->tail = tl_tail_start(d->tree, (gr_span){0, d->len});
  return d->tail;
}

static uint32_t tl_document__after(tl_document *d, uint32_t di) {
  gr_span sp = d->sections.items[di].span;
  if (sp.end != d->len) return sp.end;
  /* The text's closing matter is the first break that qualifies, and a
   * later one qualifies too: the one of the whole text serves every
   * section that runs to its end (one scan, not one per missing section). */
  uint32_t t = tl_document__tail(d);
  return t >= sp.start ? t : tl_tail_start(d->tree, sp);
}

/* The first in-order document section matching template section k, or TL_NONE. */
static uint32_t tl_document__first(const tl_document *d, uint32_t k) {
  for (size_t i = 0; i < d->sections.len; i++)
    if (d->sections.items[i].tsection == k && d->sections.items[i].in_order) return (uint32_t)i;
  return TL_NONE;
}

/* Where missing template section c goes: after the nearest preceding
 * sibling (same template parent) that the document has in order, at the
 * end of its content; else before the nearest following one; else at the
 * end of the parent's content; else before the first matched heading; else
 * at the end of the text. Never after the closing matter (tail.h). */
static uint32_t tl_document__insert_at(tl_document *d, uint32_t c) {
  const tl_template *t = d->tmpl;
  uint32_t n = tl_template_section_count(t);
  uint32_t parent = tl_template_section(t, c)->parent;
  for (uint32_t k = c; k-- > 0;) {
    if (tl_template_section(t, k)->parent != parent || d->occurrences[k] == 0) continue;
    if (d->sections.items[d->last[k]].in_order) return tl_document__after(d, d->last[k]);
  }
  for (uint32_t k = c + 1; k < n; k++) {
    if (tl_template_section(t, k)->parent != parent || d->occurrences[k] == 0) continue;
    uint32_t di = tl_document__first(d, k);
    if (di != TL_NONE) return d->sections.items[di].span.start;
  }
  if (parent != TL_NONE && d->occurrences[parent] > 0) return tl_document__after(d, d->last[parent]);
  for (size_t i = 0; i < d->sections.len; i++)
    if (d->sections.items[i].tsection != TL_NONE) return d->sections.items[i].span.start;
  return tl_document__tail(d);
}

static void tl_document__missing(tl_document *d) {
  const tl_template *t = d->tmpl;
  uint32_t n = tl_template_section_count(t);
  uint32_t title = tl_template_title(t);
  /* A section with an aligned subsection is there, its heading dropped
   * (children promoted): children come after their parent in the list. */
  uint8_t *inside = gr_calloc((size_t)n + 1, 1);
  for (uint32_t c = n; c-- > 0;) {
    uint32_t p = tl_template_section(t, c)->parent;
    if (p != TL_NONE && (inside[c] || d->occurrences[c] > 0 || d->present[c])) inside[p] = 1;
  }
  for (uint32_t c = 0; c < n; c++) {
    const tl_tsection *s = tl_template_section(t, c);
    if (d->occurrences[c] > 0 || s->optional || d->present[c] || (inside[c] && c != title)) continue;
    /* One report per missing subtree; the title is the exception, since a
     * document without the template's title still has its sections. */
    if (s->parent != TL_NONE && s->parent != title && d->occurrences[s->parent] == 0) continue;
    tl_doc_missing m = {c, tl_document__insert_at(d, c)};
    gr_array_push(&d->missing, m);
  }
  gr_free(inside);
}

/* ---- after the headings: position, presence, differences -------------- */

/* The nearest sibling of document section i (same parent, same level)
 * before it (dir < 0) or after it, or TL_NONE. */
static uint32_t tl_document__sibling(const tl_document *d, uint32_t i, int dir) {
  const tl_dsection *s = &d->sections.items[i];
  if (dir < 0) {
    for (uint32_t k = i; k-- > 0;) {
      const tl_dsection *o = &d->sections.items[k];
      if (k == s->parent) return TL_NONE;
      if (o->parent == s->parent) return o->level == s->level ? k : TL_NONE;
    }
    return TL_NONE;
  }
  for (size_t k = i + 1; k < d->sections.len; k++) {
    const tl_dsection *o = &d->sections.items[k];
    if (o->span.start >= (s->parent == TL_NONE ? d->len : d->sections.items[s->parent].span.end) &&
        s->parent != TL_NONE)
      return TL_NONE;
    if (o->parent == s->parent) return o->level == s->level ? (uint32_t)k : TL_NONE;
  }
  return TL_NONE;
}

/* An unaligned heading between an aligned previous sibling (or its aligned
 * parent, for a first child) and an aligned next sibling, where the
 * template has exactly one section between theirs, at that level, not yet
 * aligned and not a REPEAT's or a wildcard: that section. Not an empty
 * heading: a "## " being typed is no section yet (it would hide the
 * missing one that completion is about to offer there). */
static void tl_document__position(tl_document *d) {
  const tl_template *t = d->tmpl;
  const char *text = gr_tree_text(d->tree);
  for (uint32_t i = 0; i < d->sections.len; i++) {
    tl_dsection *u = &d->sections.items[i];
    if (u->tsection != TL_NONE || u->dup) continue;
    uint32_t k = u->title.start;
    while (k < u->title.end && (text[k] == ' ' || text[k] == '\t' || text[k] == '#')) k++;
    if (k == u->title.end) continue;
    uint32_t nx = tl_document__sibling(d, i, 1);
    if (nx == TL_NONE || d->sections.items[nx].tsection == TL_NONE) continue;
    uint32_t tn = d->sections.items[nx].tsection;
    const tl_tsection *tns = tl_template_section(t, tn);
    uint32_t pv = tl_document__sibling(d, i, -1), lo;
    if (pv != TL_NONE) {
      if (d->sections.items[pv].tsection == TL_NONE) continue;
      lo = d->sections.items[pv].tsection;
      if (tl_template_section(t, lo)->parent != tns->parent) continue;
    } else {
      if (u->parent == TL_NONE || d->sections.items[u->parent].tsection != tns->parent) continue;
      lo = tns->parent;
    }
    if (lo >= tn) continue;
    uint32_t pick = TL_NONE, between = 0;
    for (uint32_t c = lo + 1; c < tn; c++) {
      const tl_tsection *cs = tl_template_section(t, c);
      if (cs->parent != tns->parent) continue;
      between++;
      pick = c;
    }
    if (between != 1) continue;
    const tl_tsection *ps = tl_template_section(t, pick);
    if (ps->repeats || ps->wildcard || strchr(d->tkeys[pick], TL_PATTERN_WILD) || d->occurrences[pick] ||
        d->present[pick])
      continue;
    tl_document__take(d, i, pick, 1, TL_ALIGN_POSITION, ps->level != u->level);
  }
}

/* A line that shows a section without a heading of its own: a bold label
 * ("**Repository Structure:** Monorepo", "- **Budget**: ..."), a heading
 * with no space after its '#'s ("##Goals"), or a heading in a list item
 * ("- ## Goals"). Returns the label's text span, or an empty span. */
static gr_span tl_document__label(const char *t, uint32_t ls, uint32_t le) {
  gr_span none = {ls, ls};
  uint32_t i = ls, ind = 0;
  while (i < le && t[i] == ' ') i++, ind++;
  int item = 0;
  if (i + 1 < le && (t[i] == '-' || t[i] == '*' || t[i] == '+') && t[i + 1] == ' ') {
    i += 2, item = 1;
  } else if (i < le && isdigit((unsigned char)t[i])) {
    uint32_t k = i;
    while (k < le && isdigit((unsigned char)t[k])) k++;
    if (k + 1 < le && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ') i = k + 2, item = 1;
  }
  while (i < le && t[i] == ' ') i++;
  if (i < le && t[i] == '#' && (item || ind <= 3)) {
    uint32_t k = i;
    while (k < le && t[k] == '#') k++;
    if (k - i > 6 || k >= le) return none;
    if (t[k] == ' ' && !item) return none; /* a real heading: the grammar has it */
    while (k < le && t[k] == ' ') k++;
    uint32_t e = le;
    while (e > k && (t[e - 1] == ' ' || t[e - 1] == '#')) e--;
    return e > k ? (gr_span){k, e} : none;
  }
  char m = i + 1 < le ? t[i] : 0;
  if ((m != '*' && m != '_') || t[i + 1] != m) return none;
  uint32_t s = i + 2, e = s;
  while (e + 1 < le && !(t[e] == m && t[e + 1] == m)) e++;
  if (e + 1 >= le || e == s) return none;
  uint32_t x = e; /* the label ends with ':' inside or right after the marks */
  while (x > s && t[x - 1] == ' ') x--;
  if (x > s && t[x - 1] == ':') return (gr_span){s, x - 1};
  if (e + 2 < le && t[e + 2] == ':') return (gr_span){s, x};
  if (e + 2 == le && !item && x > s) return (gr_span){s, x}; /* "**Goals**" alone on its line */
  return none;
}

/* ---- a table as a section's presence ----------------------------------- */

/* Section c's own table, as tl_mdtable_header gives it: the first table
 * header in what an insert writes for it, before its first subsection
 * (tl_template_section_insert: whichever front-end built the model, a
 * table is a header row over a delimiter row). NULL when it has none or
 * fewer than two literal columns. */
static char *tl_document__section_table(const tl_template *t, uint32_t c) {
  const char *ins = tl_template_section_insert(t, c, 0);
  uint32_t n = (uint32_t)strlen(ins), ls = 0, prev_row = 0;
  if (n && ins[0] == '#') ls = (uint32_t)(strchr(ins, '\n') - ins) + 1; /* its own heading */
  while (ls < n) {
    uint32_t le = ls;
    while (le < n && ins[le] != '\n') le++;
    uint32_t ns = le < n ? le + 1 : n, ne = ns;
    while (ne < n && ins[ne] != '\n') ne++;
    if (ins[ls] == '#') break; /* a subsection: its tables are its own */
    int row = tl_mdtable_row(ins, ls, le);
    if (row && !prev_row && ns < n && tl_mdtable_delimiter(ins, ns, ne) && !tl_mdtable_delimiter(ins, ls, le)) {
      uint32_t cells;
      char *h = tl_mdtable_header(ins, ls, le, &cells);
      uint32_t literal = 0;
      for (const char *k = h; *k;) {
        const char *e = strchr(k, '\n');
        size_t kl = e ? (size_t)(e - k) : strlen(k);
        literal += kl > 0;
        k += kl + (e != NULL);
        if (!e) break;
      }
      if (literal >= 2) return h;
      gr_free(h);
      return NULL;
    }
    prev_row = row;
    ls = ns;
  }
  return NULL;
}

/* Whether template section c, with neither a heading nor a place yet, may
 * be written without a heading in the text of document section `here`'s
 * template section: in the text of its parent, or of a deeper subsection
 * of the parent (a label after "### Integration Tests" is in that
 * section's text for Markdown), never in a sibling's own text; with
 * sibling_ok (a table with the section's columns, stronger evidence than
 * a label's few words), anywhere inside its parent. */
static int tl_document__unplaced_here(const tl_document *d, uint32_t c, uint32_t here, int sibling_ok) {
  const tl_template *t = d->tmpl;
  const tl_tsection *cs = tl_template_section(t, c);
  uint32_t title = tl_template_title(t);
  if (c == title || d->occurrences[c] || d->present[c] || cs->wildcard) return 0;
  if (sibling_ok)
    return cs->parent == TL_NONE || cs->parent == title ||
           (here != TL_NONE && tl_template_section_within(t, here, cs->parent));
  return here == TL_NONE ? cs->parent == TL_NONE || cs->parent == title
                         : here == cs->parent || (cs->parent != TL_NONE && tl_template_section_within(t, here, cs->parent) &&
                                                  tl_template_section(t, here)->level > cs->level);
}

static int tl_document__u32_cmp(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

/* The template sections' own tables, indexed by column when the first
 * document table asks: each (column key, section) once, sorted, so that a
 * document table finds the sections it shares columns with by binary
 * search, not by trying every section (tables x sections). */
typedef struct tl_document__cell {
  const char *key; /* in header[section] */
  uint32_t len, section;
} tl_document__cell;

typedef struct tl_document__tables {
  int built;
  char **header;   /* per template section: tl_document__section_table, or NULL */
  uint32_t *total; /* per template section: its table's distinct literal columns */
  uint32_t *hits;  /* per template section: scratch, columns shared with the table at hand */
  GR_ARRAY(tl_document__cell) cells;
} tl_document__tables;

static int tl_document__cell_cmp(const void *a, const void *b) {
  const tl_document__cell *x = a, *y = b;
  uint32_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->key, y->key, n);
  if (c) return c;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return (x->section > y->section) - (x->section < y->section);
}

/* The distinct non-empty cells of a '\n'-joined header, at most `max`. */
static uint32_t tl_document__cells_of(const char *h, tl_document__cell *out, uint32_t max, uint32_t section) {
  uint32_t n = 0;
  for (const char *k = h; n < max;) {
    const char *e = strchr(k, '\n');
    uint32_t kl = (uint32_t)(e ? (size_t)(e - k) : strlen(k));
    int dup = kl == 0;
    // cppcheck-suppress uninitvar ; out[0..n) is written below before it is read
    for (uint32_t m = 0; m < n && !dup; m++) dup = out[m].len == kl && memcmp(out[m].key, k, kl) == 0;
    if (!dup) out[n++] = (tl_document__cell){k, kl, section};
    if (!e) break;
    k = e + 1;
  }
  return n;
}

#define TL_DOCUMENT__MAX_COLUMNS 64 /* columns of one table compared; more are not read */

static void tl_document__tables_build(tl_document__tables *tb, const tl_template *t) {
  uint32_t tn = tl_template_section_count(t);
  tb->built = 1;
  tb->header = gr_calloc((size_t)tn + 1, sizeof *tb->header);
  tb->total = gr_calloc((size_t)tn + 1, sizeof *tb->total);
  tb->hits = gr_calloc((size_t)tn + 1, sizeof *tb->hits);
  tl_document__cell one[TL_DOCUMENT__MAX_COLUMNS];
  for (uint32_t c = 0; c < tn; c++) {
    if (!(tb->header[c] = tl_document__section_table(t, c))) continue;
    uint32_t n = tl_document__cells_of(tb->header[c], one, TL_DOCUMENT__MAX_COLUMNS, c);
    tb->total[c] = n;
    for (uint32_t k = 0; k < n; k++) gr_array_push(&tb->cells, one[k]);
  }
  if (tb->cells.len > 1) qsort(tb->cells.items, tb->cells.len, sizeof *tb->cells.items, tl_document__cell_cmp);
}

static void tl_document__tables_free(tl_document__tables *tb, uint32_t tn) {
  if (tb->header)
    for (uint32_t c = 0; c < tn; c++) gr_free(tb->header[c]);
  gr_free(tb->header);
  gr_free(tb->total);
  gr_free(tb->hits);
  gr_array_free(&tb->cells);
}

/* A document table whose header row is text[ls, le): the first unplaced
 * template section (tl_document__unplaced_here) whose own table has at
 * least two thirds of its literal columns (two at least) among this
 * header's, and no more than twice as many columns, is present. A section
 * written as a bare table ("| Category | Technology | Version |" with no
 * "## Tech Stack" above) is there; a table is not a section's text when it
 * shares only a column or two with it, and a table that is the own table
 * of the section it stands in ("## Frontend Stack" and its columns) stands
 * for no other (a sibling "## Backend Stack" with the same columns). */
static void tl_document__table_presence(tl_document *d, tl_document__tables *tb, const char *text, uint32_t ls,
                                        uint32_t le) {
  if (!tb->built) tl_document__tables_build(tb, d->tmpl);
  if (!tb->cells.len) return;
  uint32_t cells;
  char *have = tl_mdtable_header(text, ls, le, &cells);
  tl_document__cell mine[TL_DOCUMENT__MAX_COLUMNS];
  uint32_t n = tl_document__cells_of(have, mine, TL_DOCUMENT__MAX_COLUMNS, TL_NONE);
  GR_ARRAY(uint32_t) touched = {0};
  for (uint32_t k = 0; k < n; k++) {
    size_t lo = 0, hi = tb->cells.len;
    tl_document__cell probe = {mine[k].key, mine[k].len, 0};
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if (tl_document__cell_cmp(&tb->cells.items[mid], &probe) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (size_t i = lo; i < tb->cells.len; i++) {
      const tl_document__cell *x = &tb->cells.items[i];
      if (x->len != probe.len || memcmp(x->key, probe.key, probe.len) != 0) break;
      if (tb->hits[x->section]++ == 0) gr_array_push(&touched, x->section);
    }
  }
  if (touched.len > 1) qsort(touched.items, touched.len, sizeof *touched.items, tl_document__u32_cmp);
#define TL_DOCUMENT__SHARES(c)                                                                            \
  (tb->hits[c] >= 2 && tb->hits[c] * 3 >= tb->total[c] * 2 && cells <= 2 * tb->total[c])
  uint32_t here = tl_document_tsection_at(d, ls);
  if (here == TL_NONE || !TL_DOCUMENT__SHARES(here)) {
    for (size_t k = 0; k < touched.len; k++) {
      uint32_t c = touched.items[k];
      if (TL_DOCUMENT__SHARES(c) && tl_document__unplaced_here(d, c, here, 1)) {
        d->present[c] = 1;
        break;
      }
    }
  }
#undef TL_DOCUMENT__SHARES
  for (size_t k = 0; k < touched.len; k++) tb->hits[touched.items[k]] = 0;
  gr_array_free(&touched);
  gr_free(have);
}

/* Sections written without a heading (see document.h): each such line in
 * the document, outside code, compared with the template sections that
 * have neither a heading nor a place yet, in their parent's text. */
static void tl_document__presence(tl_document *d) {
  const tl_template *t = d->tmpl;
  const char *text = gr_tree_text(d->tree);
  uint32_t tn = tl_template_section_count(t);
  /* code: fences and front matter, in text order; a front matter's
   * top-level keys are labels ("repository_structure: monorepo") */
  GR_ARRAY(gr_span) code = {0};
  gr_span fm = {0, 0};
  for (uint32_t i = 0; i < gr_tree_count(d->tree); i++) {
    const gr_node *n = gr_tree_node(d->tree, i);
    if ((n->kind == GR_FENCE || n->kind == GR_FRONT_MATTER) && !(n->flags & GR_FLAG_IN_CODE))
      gr_array_push(&code, n->span);
    if (n->kind == GR_FRONT_MATTER) fm = n->body;
  }
  /* The sections a label may still stand for, in order: those with no
   * heading and no place (a table may place one during the walk:
   * tl_document__unplaced_here checks again). Most of a document's sections
   * have their heading, so a label is compared with the few that are
   * missing, not with the whole template (a 1 MB document against a
   * 3,000-section template: `check` 220 -> 130 ms). */
  GR_ARRAY(uint32_t) open = {0};
  uint32_t title = tl_template_title(t);
  for (uint32_t c = 0; c < tn; c++)
    if (c != title && !d->occurrences[c] && !d->present[c] && !tl_template_section(t, c)->wildcard && d->tkeys[c][0])
      gr_array_push(&open, c);
  size_t ci = 0;
  int prev_row = 0;
  tl_document__tables tables = {0};
  for (uint32_t ls = 0; ls < d->len;) {
    uint32_t le = ls;
    while (le < d->len && text[le] != '\n' && text[le] != '\r') le++;
    uint32_t next = le < d->len ? le + 1 + (text[le] == '\r' && le + 1 < d->len && text[le + 1] == '\n') : d->len;
    while (ci < code.len && code.items[ci].end <= ls) ci++;
    int in_code = ci < code.len && code.items[ci].start <= ls;
    gr_span lab = in_code ? (gr_span){ls, ls} : tl_document__label(text, ls, le);
    /* a table's header row, for the sections whose content is a table */
    if (!in_code && lab.end == lab.start && tl_mdtable_row(text, ls, le) && !prev_row && next < d->len) {
      uint32_t ne = next;
      while (ne < d->len && text[ne] != '\n' && text[ne] != '\r') ne++;
      if (tl_mdtable_delimiter(text, next, ne) && !tl_mdtable_delimiter(text, ls, le))
        tl_document__table_presence(d, &tables, text, ls, le);
    }
    prev_row = !in_code && tl_mdtable_row(text, ls, le);
    if (ls >= fm.start && le <= fm.end && fm.end > fm.start) {
      uint32_t k = ls;
      while (k < le && (isalnum((unsigned char)text[k]) || text[k] == '_' || text[k] == '-' || text[k] == ' ')) k++;
      if (k > ls && k < le && text[k] == ':' && isalpha((unsigned char)text[ls])) lab = (gr_span){ls, k};
    }
    if (lab.end > lab.start) {
      size_t klen;
      char *key = tl_pattern_key(text + lab.start, lab.end - lab.start, 0, &klen);
      uint32_t here = tl_document_tsection_at(d, ls);
      for (size_t k = 0; k < open.len && klen; k++) {
        uint32_t c = open.items[k];
        if (!tl_document__unplaced_here(d, c, here, 0)) continue;
        if (tl_pattern_match(d->tkeys[c], key, klen, TL_PATTERN_HEADING) > 0) {
          d->present[c] = 1;
          break;
        }
      }
      gr_free(key);
    }
    ls = next;
  }
  tl_document__tables_free(&tables, tn);
  gr_array_free(&code);
  gr_array_free(&open);
}

/* Which aligned headings read differently from their section's heading
 * (heading-differs): by words or place always; by the pattern or by key
 * when, numbering and emphasis aside, case or punctuation differ ("Next
 * steps" for "Next Steps"). Never against a pattern with placeholders. */
static void tl_document__differs(tl_document *d) {
  const tl_template *t = d->tmpl;
  const char *text = gr_tree_text(d->tree);
  for (size_t i = 0; i < d->sections.len; i++) {
    tl_dsection *s = &d->sections.items[i];
    if (s->tsection == TL_NONE || s->how == TL_ALIGN_PART || s->literal <= 0) continue;
    const tl_tsection *ts = tl_template_section(t, s->tsection);
    if (ts->wildcard || strchr(d->tkeys[s->tsection], TL_PATTERN_WILD)) continue;
    if (s->how != TL_ALIGN_KEY && s->how != TL_ALIGN_EXACT) {
      s->differs = 1;
      continue;
    }
    size_t a, b;
    char *mine = tl_pattern_plain(text + s->title.start, s->title.end - s->title.start, &a);
    char *theirs = tl_pattern_plain(ts->text, strlen(ts->text), &b);
    s->differs = a != b || memcmp(mine, theirs, a) != 0;
    gr_free(mine);
    gr_free(theirs);
  }
}

/* See tl_document_mismatch. */
static void tl_document__mismatch(tl_document *d) {
  const tl_template *t = d->tmpl;
  uint32_t tn = tl_template_section_count(t), title = tl_template_title(t);
  uint8_t deepest = 0;
  for (uint32_t c = 0; c < tn; c++) {
    const tl_tsection *cs = tl_template_section(t, c);
    if (cs->level > deepest) deepest = cs->level;
    if (c == title || cs->optional) continue;
    d->total++;
    if (d->occurrences[c] || d->present[c]) d->aligned++;
  }
  uint32_t own = 0, matched = 0;
  int has_title = 0;
  for (size_t i = 0; i < d->sections.len; i++) {
    const tl_dsection *s = &d->sections.items[i];
    if (s->tsection != TL_NONE && s->tsection == title) has_title = 1;
    if (s->level > deepest || (s->tsection != TL_NONE && s->tsection == title)) continue;
    if (s->tsection == TL_NONE) own++;
    else matched++;
  }
  /* Two headings of its own at least; or, with neither the template's
   * title nor any of its sections, one (a document that merely shares the
   * template's output path). A document just started from the template
   * has its title and none of its own headings yet. */
  d->mismatch = d->total >= 4 && d->aligned * 3 < d->total && own >= matched &&
                (own >= 2 || (own == 1 && matched == 0 && !has_title));
  if (d->mismatch) d->missing.len = 0;
}

/* ---- building ----------------------------------------------------------- */

static tl_document *tl_document__new(const gr_tree *tree, const tl_template *tmpl, int score_only) {
  tl_document *d = gr_calloc(1, sizeof *d);
  d->score_only = score_only;
  d->tail = TL_NONE;
  d->tree = tree;
  d->tmpl = tmpl;
  d->len = gr_tree_len(tree);
  const char *text = gr_tree_text(tree);
  uint32_t count = gr_tree_count(tree);
  uint32_t *sec = gr_malloc((size_t)count * sizeof *sec);
  uint32_t tn = tmpl ? tl_template_section_count(tmpl) : 0;
  d->occurrences = gr_calloc((size_t)tn + 1, sizeof *d->occurrences);
  d->last = gr_calloc((size_t)tn + 1, sizeof *d->last);
  d->present = gr_calloc((size_t)tn + 1, 1);
  d->tkeys = gr_calloc((size_t)tn + 1, sizeof *d->tkeys);
  d->tpat = gr_calloc((size_t)tn + 1, sizeof *d->tpat);
  d->tn = tn;
  for (uint32_t c = 0; c < tn; c++) {
    const char *h = tl_template_section(tmpl, c)->text;
    size_t kl;
    d->tkeys[c] = tl_pattern_key(h, strlen(h), 1, &kl);
    d->tpat[c] = tl_pattern_compile(h, strlen(h), TL_PATTERN_HEADING, NULL);
  }
  d->lit_index = gr_malloc(((size_t)tn + 1) * sizeof *d->lit_index);
  d->wild = gr_malloc(((size_t)tn + 1) * sizeof *d->wild);
  for (uint32_t c = 0; c < tn; c++) {
    size_t pl = strlen(d->tpat[c]);
    if (memchr(d->tpat[c], TL_PATTERN_WILD, pl)) d->wild[d->nwild++] = c;
    else d->lit_index[d->nlit++] = (uint64_t)tl_document__hash(d->tpat[c], pl) << 32 | c;
  }
  if (d->nlit > 1) qsort(d->lit_index, d->nlit, sizeof *d->lit_index, tl_document__u64_cmp);
  uint32_t last_match = TL_NONE;

  for (uint32_t i = 0; i < count; i++) {
    const gr_node *n = gr_tree_node(tree, i);
    sec[i] = n->parent == GR_NONE ? TL_NONE : sec[n->parent];
    if (n->kind != GR_SECTION) continue;
    if (n->flags & (GR_FLAG_IN_CODE | GR_FLAG_IN_INSTRUCTION | GR_FLAG_IN_EXAMPLE)) continue;
    tl_dsection ds;
    memset(&ds, 0, sizeof ds);
    ds.node = i;
    ds.level = n->level;
    ds.in_order = 1;
    /* as in the template model: the nearest enclosing section of a higher level */
    uint32_t up = sec[i];
    while (up != TL_NONE && d->sections.items[up].level >= n->level) up = d->sections.items[up].parent;
    ds.parent = up;
    ds.tsection = TL_NONE;
    ds.literal = -1;
    ds.span = n->span;
    ds.heading = n->open;
    ds.title = n->name;
    uint32_t di = (uint32_t)d->sections.len;
    sec[i] = di;
    gr_array_push(&d->sections, ds);
    if (tmpl) {
      size_t nlen;
      const char *ht = text + n->name.start;
      size_t hl = n->name.end - n->name.start;
      char *norm = tl_pattern_normalize(ht, hl, &nlen);
      tl_document__heading h;
      tl_document__heading_init(&h, ht, hl, norm, nlen);
      tl_document__match(d, di, last_match, &h);
      tl_document__heading_free(&h);
      gr_free(norm);
      if (d->sections.items[di].tsection != TL_NONE) last_match = d->sections.items[di].tsection;
    }
  }
  gr_free(sec);
  if (tmpl && !score_only) {
    tl_document__position(d);
    tl_document__presence(d);
    tl_document__differs(d);
  }
  if (tmpl) {
    d->key = tl_document__keys(tmpl);
    tl_document__order(d, d->key);
  }
  if (tmpl && !score_only) {
    tl_document__missing(d);
    tl_document__mismatch(d);
  }
  return d;
}

tl_document *tl_document_new(const gr_tree *tree, const tl_template *tmpl) {
  return tl_document__new(tree, tmpl, 0);
}

tl_document *tl_document_new_for_score(const gr_tree *tree, const tl_template *tmpl) {
  return tl_document__new(tree, tmpl, 1);
}

void tl_document_free(tl_document *d) {
  if (!d) return;
  gr_array_free(&d->sections);
  gr_array_free(&d->missing);
  gr_free(d->occurrences);
  gr_free(d->last);
  gr_free(d->present);
  /* the template may be gone by now (the document is freed after it when
   * the workspace replaces it): go by the count kept */
  for (uint32_t c = 0; c < d->tn; c++) {
    gr_free(d->tkeys[c]);
    gr_free(d->tpat[c]);
  }
  gr_free(d->tkeys);
  gr_free(d->tpat);
  gr_free(d->lit_index);
  gr_free(d->wild);
  gr_free(d->key);
  gr_free(d);
}

/* ---- reading ------------------------------------------------------------ */

const gr_tree *tl_document_tree(const tl_document *d) { return d->tree; }
const tl_template *tl_document_template(const tl_document *d) { return d->tmpl; }

uint32_t tl_document_section_count(const tl_document *d) { return (uint32_t)d->sections.len; }

const tl_dsection *tl_document_section(const tl_document *d, uint32_t i) {
  return i < d->sections.len ? &d->sections.items[i] : NULL;
}

uint32_t tl_document_missing_count(const tl_document *d) { return (uint32_t)d->missing.len; }

const tl_doc_missing *tl_document_missing(const tl_document *d, uint32_t i) {
  return i < d->missing.len ? &d->missing.items[i] : NULL;
}

uint32_t tl_document_section_at(const tl_document *d, uint32_t offset) {
  /* As tl_template_section_at: binary search, then climb to the holder. */
  size_t lo = 0, hi = d->sections.len;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (d->sections.items[mid].span.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  for (uint32_t i = lo ? (uint32_t)(lo - 1) : TL_NONE; i != TL_NONE; i = d->sections.items[i].parent) {
    gr_span s = d->sections.items[i].span;
    if (offset < s.end || (offset == s.end && s.end == d->len)) return i;
  }
  return TL_NONE;
}

uint32_t tl_document_tsection_at(const tl_document *d, uint32_t offset) {
  for (uint32_t i = tl_document_section_at(d, offset); i != TL_NONE;
       i = d->sections.items[i].parent)
    if (d->sections.items[i].tsection != TL_NONE) return d->sections.items[i].tsection;
  return TL_NONE;
}

uint32_t tl_document_occurrences(const tl_document *d, uint32_t ts) {
  if (!d->tmpl || ts >= tl_template_section_count(d->tmpl)) return 0;
  return d->occurrences[ts];
}

tl_doc_score tl_document_score(const tl_document *d) {
  tl_doc_score sc;
  memset(&sc, 0, sizeof sc);
  if (!d->tmpl) {
    sc.doc_sections = (uint32_t)d->sections.len;
    return sc;
  }
  const tl_template *t = d->tmpl;
  uint32_t tn = tl_template_section_count(t);
  uint8_t deepest = 0;
  for (uint32_t c = 0; c < tn; c++) {
    const tl_tsection *s = tl_template_section(t, c);
    if (s->level > deepest) deepest = s->level;
    if (!s->optional) sc.template_sections++;
  }
  uint8_t *seen = gr_calloc((size_t)tn + 1, 1);
  for (size_t i = 0; i < d->sections.len; i++) {
    const tl_dsection *s = &d->sections.items[i];
    if (s->level > deepest) continue;
    sc.doc_sections++;
    /* Guesses by words or place align a document already associated; they
     * are no evidence of which template it comes from. */
    if (s->tsection == TL_NONE || !s->in_order || s->literal <= 0 || s->how == TL_ALIGN_WORDS ||
        s->how == TL_ALIGN_POSITION)
      continue;
    sc.matched_doc++;
    if (!seen[s->tsection] && !tl_template_section(t, s->tsection)->optional) {
      seen[s->tsection] = 1;
      sc.matched++;
    }
  }
  gr_free(seen);
  uint32_t title = tl_template_title(t);
  /* The first level-1 heading: a chat preamble before it ("Here is the
   * PRD:" underlined, a setext heading) does not hide the title. */
  for (size_t i = 0; i < d->sections.len && title != TL_NONE; i++) {
    const tl_dsection *s = &d->sections.items[i];
    if (s->level != 1) continue;
    sc.title = s->tsection == title && s->literal > 0;
    break;
  }
  return sc;
}

int tl_document_present(const tl_document *d, uint32_t ts) {
  return d->tmpl && ts < tl_template_section_count(d->tmpl) && d->present[ts];
}

int tl_document_mismatch(const tl_document *d, uint32_t *aligned, uint32_t *total) {
  if (aligned) *aligned = d->aligned;
  if (total) *total = d->total;
  return d->mismatch;
}

uint32_t tl_document_order_anchor(const tl_document *d, uint32_t i, int *after) {
  *after = 1;
  if (!d->tmpl || i >= d->sections.len) return TL_NONE;
  const tl_dsection *s = &d->sections.items[i];
  if (s->tsection == TL_NONE) return TL_NONE;
  const tl_template *t = d->tmpl;
  uint32_t parent = tl_template_section(t, s->tsection)->parent, kc = d->key[s->tsection];
  uint32_t before = TL_NONE, later = TL_NONE;
  for (uint32_t k = 0; k < d->sections.len; k++) {
    const tl_dsection *o = &d->sections.items[k];
    if (k == i || o->tsection == TL_NONE || !o->in_order) continue;
    if (tl_template_section(t, o->tsection)->parent != parent) continue;
    if (o->span.start >= s->span.start && o->span.start < s->span.end) continue; /* inside i */
    uint32_t ko = d->key[o->tsection];
    if (ko <= kc && o->tsection != s->tsection) {
      if (before == TL_NONE || ko >= d->key[d->sections.items[before].tsection]) before = k;
    } else if (ko > kc && later == TL_NONE) {
      later = k;
    }
  }
  uint32_t at;
  if (before != TL_NONE) {
    at = d->sections.items[before].span.end;
  } else if (later != TL_NONE) {
    *after = 0;
    at = d->sections.items[later].span.start;
    before = later;
  } else {
    return TL_NONE;
  }
  if (at >= s->span.start && at <= s->span.end) return TL_NONE;
  return before;
}
