/*
 * fileops.c: marker and settings edits for files that move (see fileops.h).
 */
#include "server/features/fileops.h"

#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"
#include "server/features/buf.h"
#include "server/model/assoc.h"

/* ---- keys --------------------------------------------------------------- */

static char *ft_fileops__dup(const char *s) { return gr_strndup(s, strlen(s)); }

char *ft_fileops_moved(const char *key, const ft_rename *renames, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const char *from = renames[i].from, *to = renames[i].to;
    size_t fl = strlen(from);
    if (!fl || strncmp(key, from, fl) != 0 || (key[fl] != '\0' && key[fl] != '/')) continue;
    size_t tl = strlen(to), rl = strlen(key + fl);
    char *out = gr_malloc(tl + rl + 1);
    memcpy(out, to, tl);
    memcpy(out + tl, key + fl, rl + 1);
    return out;
  }
  return NULL;
}

/* The folder of a key ("" at the root): a new string. */
static char *ft_fileops__dir(const char *key) {
  const char *slash = strrchr(key, '/');
  return slash ? gr_strndup(key, (size_t)(slash - key)) : ft_fileops__dup("");
}

/* The path of key `to` read from folder `dir` (both folded keys, dir "" for the root):
 * "../" for each folder of dir that `to` does not share. A new string. */
static char *ft_fileops__relative(const char *dir, const char *to) {
  const char *d = dir, *t = to;
  while (*d) { /* the common leading folders */
    size_t dl = strcspn(d, "/"), tl = strcspn(t, "/");
    if (dl != tl || t[tl] != '/' || memcmp(d, t, dl) != 0) break;
    d += dl + (d[dl] == '/');
    t += tl + 1;
  }
  ft_buf b = {0};
  while (*d) {
    ft_buf_puts(&b, "../");
    d += strcspn(d, "/");
    if (*d == '/') d++;
  }
  ft_buf_puts(&b, t);
  return ft_buf_take(&b);
}

char *ft_fileops_marker(const char *doc_key, const char *value, int quoted, const ft_rename *renames, size_t n,
                        ft_fileops_known known, void *ctx) {
  char *dir = ft_fileops__dir(doc_key);
  char *rel = tl_assoc_join(dir, value), *root = tl_assoc_join(NULL, value);
  char *rel_to = ft_fileops_moved(rel, renames, n), *root_to = ft_fileops_moved(root, renames, n);
  /* Which reading names the template: the marker rule's order. */
  int from_root;
  if (known(rel, ctx))
    from_root = 0;
  else if (known(root, ctx))
    from_root = 1;
  else if (rel_to)
    from_root = 0;
  else
    from_root = root_to != NULL;
  if (dir[0] == '\0') from_root = 1; /* both readings are one: keep it as the root's */
  const char *target = from_root ? root : rel;
  char *target_to = from_root ? root_to : rel_to;
  char *doc_to = ft_fileops_moved(doc_key, renames, n);
  char *out = NULL;
  if (target_to || (!from_root && doc_to)) { /* something it depends on moves */
    ft_buf b = {0};
    if (from_root) {
      if (value[0] == '/')
        ft_buf_puts(&b, "/");
      else if (value[0] == '.' && value[1] == '/')
        ft_buf_puts(&b, "./");
      ft_buf_puts(&b, target_to);
    } else {
      char *new_dir = ft_fileops__dir(doc_to ? doc_to : doc_key);
      char *path = ft_fileops__relative(new_dir, target_to ? target_to : target);
      if (value[0] == '.' && value[1] == '/' && strncmp(path, "../", 3) != 0) ft_buf_puts(&b, "./");
      ft_buf_puts(&b, path);
      gr_free(path);
      gr_free(new_dir);
    }
    out = ft_buf_take(&b);
  }
  if (out && (strcmp(out, value) == 0 || strchr(out, '"') || strstr(out, "-->") || !out[0])) {
    gr_free(out);
    out = NULL;
  } else if (out && !quoted && strpbrk(out, " \t\r\n")) {
    size_t ol = strlen(out);
    char *q = gr_malloc(ol + 3);
    q[0] = '"';
    memcpy(q + 1, out, ol);
    q[ol + 1] = '"';
    q[ol + 2] = '\0';
    gr_free(out);
    out = q;
  }
  gr_free(doc_to);
  gr_free(rel_to);
  gr_free(root_to);
  gr_free(rel);
  gr_free(root);
  gr_free(dir);
  return out;
}

/* ---- markers ------------------------------------------------------------ */

ft_marker *ft_marker_of(const gr_tree *tree) {
  gr_span comment, value;
  int quoted = 0;
  char *path = tl_assoc_marker_at(tree, &comment, &value, &quoted);
  if (!path) return NULL;
  const char *text = gr_tree_text(tree);
  if (memchr(text + value.start, '\n', value.end - value.start) ||
      memchr(text + value.start, '\r', value.end - value.start)) {
    gr_free(path);
    return NULL;
  }
  uint32_t ls = value.start, line = 0;
  while (ls > 0 && text[ls - 1] != '\n' && text[ls - 1] != '\r') ls--;
  /* Its line: the terminators before it (as gr_lines counts them: "\r\n" is one). */
  for (uint32_t i = 0; i < ls; i++)
    if (text[i] == '\n' || (text[i] == '\r' && text[i + 1] != '\n')) line++;
  ft_marker *m = gr_calloc(1, sizeof *m);
  m->value = path;
  m->quoted = (uint8_t)quoted;
  m->line = line;
  m->start = value.start - ls;
  m->end = value.end - ls;
  m->head = gr_strndup(text + ls, value.end - ls);
  m->head_len = value.end - ls;
  return m;
}

void ft_marker_free(ft_marker *m) {
  if (!m) return;
  gr_free(m->value);
  gr_free(m->head);
  gr_free(m);
}

/* ---- .tmpl-ls.json ------------------------------------------------------ */

#define FT_FILEOPS__MAX_DEPTH 64

typedef struct ft_fileops__json {
  const char *s;
  size_t len, i;
  int bad; /* a syntax error: stop */
} ft_fileops__json;

static void ft_fileops__ws(ft_fileops__json *j) {
  while (j->i < j->len && (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r')) j->i++;
}

static int ft_fileops__hex4(const char *s, uint32_t *out) {
  uint32_t v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return 0;
    v = v * 16 + (uint32_t)d;
  }
  *out = v;
  return 1;
}

static void ft_fileops__utf8(ft_buf *b, uint32_t cp) {
  char u[4];
  ft_buf_putn(b, u, gr_utf8_encode(cp, u));
}

/* A string at j->i (its opening quote): its span, quotes included, and (dec not NULL) its decoded value. */
static int ft_fileops__string(ft_fileops__json *j, gr_span *span, char **dec) {
  if (j->i >= j->len || j->s[j->i] != '"') {
    j->bad = 1;
    return 0;
  }
  size_t start = j->i++;
  ft_buf b = {0};
  while (j->i < j->len && j->s[j->i] != '"') {
    unsigned char c = (unsigned char)j->s[j->i];
    if (c < 0x20) break;
    if (c != '\\') {
      if (dec) ft_buf_putn(&b, j->s + j->i, 1);
      j->i++;
      continue;
    }
    if (j->i + 1 >= j->len) break;
    char e = j->s[j->i + 1];
    const char *simple = strchr("\"\\/bfnrt", e);
    if (e && simple) {
      static const char out[] = "\"\\/\b\f\n\r\t";
      if (dec) ft_buf_putn(&b, &out[simple - "\"\\/bfnrt"], 1);
      j->i += 2;
      continue;
    }
    uint32_t cp, lo;
    if (e != 'u' || j->i + 6 > j->len || !ft_fileops__hex4(j->s + j->i + 2, &cp)) break;
    j->i += 6;
    if (cp >= 0xD800 && cp < 0xDC00 && j->i + 6 <= j->len && j->s[j->i] == '\\' && j->s[j->i + 1] == 'u' &&
        ft_fileops__hex4(j->s + j->i + 2, &lo) && lo >= 0xDC00 && lo < 0xE000) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      j->i += 6;
    } else if (cp >= 0xD800 && cp < 0xE000) {
      cp = 0xFFFD;
    }
    if (dec) ft_fileops__utf8(&b, cp);
  }
  if (j->i >= j->len || j->s[j->i] != '"') {
    gr_array_free(&b);
    {
      j->bad = 1;
      return 0;
    }
  }
  j->i++;
  *span = (gr_span){(uint32_t)start, (uint32_t)j->i};
  if (dec)
    *dec = ft_buf_take(&b);
  else
    gr_array_free(&b);
  return 1;
}

static void ft_fileops__value(ft_fileops__json *j, int depth);

/* An object or array at j->i, skipped. */
static void ft_fileops__nested(ft_fileops__json *j, int depth) {
  char close = j->s[j->i] == '{' ? '}' : ']';
  int object = close == '}';
  j->i++;
  ft_fileops__ws(j);
  if (j->i < j->len && j->s[j->i] == close) {
    j->i++;
    return;
  }
  while (!j->bad) {
    ft_fileops__ws(j);
    if (object) {
      gr_span k;
      if (!ft_fileops__string(j, &k, NULL)) return;
      ft_fileops__ws(j);
      if (j->i >= j->len || j->s[j->i] != ':') {
        j->bad = 1;
        return;
      }
      j->i++;
    }
    ft_fileops__value(j, depth + 1);
    ft_fileops__ws(j);
    if (j->i < j->len && j->s[j->i] == ',') {
      j->i++;
      continue;
    }
    if (j->i < j->len && j->s[j->i] == close) {
      j->i++;
      return;
    }
    j->bad = 1;
  }
}

static void ft_fileops__value(ft_fileops__json *j, int depth) {
  ft_fileops__ws(j);
  if (j->i >= j->len || depth > FT_FILEOPS__MAX_DEPTH) {
    j->bad = 1;
    return;
  }
  char c = j->s[j->i];
  if (c == '"') {
    gr_span sp;
    ft_fileops__string(j, &sp, NULL);
  } else if (c == '{' || c == '[') {
    ft_fileops__nested(j, depth);
  } else {
    size_t start = j->i;
    while (j->i < j->len && strchr(",}] \t\r\n", j->s[j->i]) == NULL) j->i++;
    if (j->i == start) j->bad = 1;
  }
}

/* A JSON string for s: quotes, and escapes for '"', '\\' and control bytes. */
static char *ft_fileops__quote(const char *s) {
  ft_buf b = {0};
  ft_buf_putn(&b, "\"", 1);
  for (const char *p = s; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      ft_buf_putn(&b, e, 2);
    } else if (c < 0x20) {
      ft_buf_printf(&b, "\\u%04x", c);
    } else {
      ft_buf_putn(&b, p, 1);
    }
  }
  ft_buf_putn(&b, "\"", 1);
  return ft_buf_take(&b);
}

/* The "templates" object at j->i: an edit for each string value a rename moves. */
static void ft_fileops__templates(ft_fileops__json *j, const ft_rename *renames, size_t n, ft_fileop_edits *out) {
  j->i++;
  ft_fileops__ws(j);
  if (j->i < j->len && j->s[j->i] == '}') {
    j->i++;
    return;
  }
  while (!j->bad) {
    ft_fileops__ws(j);
    gr_span k;
    if (!ft_fileops__string(j, &k, NULL)) return;
    ft_fileops__ws(j);
    if (j->i >= j->len || j->s[j->i] != ':') {
      j->bad = 1;
      return;
    }
    j->i++;
    ft_fileops__ws(j);
    if (j->i < j->len && j->s[j->i] == '"') {
      gr_span sp;
      char *v = NULL;
      if (!ft_fileops__string(j, &sp, &v)) return;
      char *key = tl_assoc_join(NULL, v);
      char *to = ft_fileops_moved(key, renames, n);
      if (to) {
        ft_buf b = {0};
        if (v[0] == '.' && v[1] == '/') ft_buf_puts(&b, "./");
        ft_buf_puts(&b, to);
        char *path = ft_buf_take(&b);
        ft_fileop_edit e = {sp, ft_fileops__quote(path)};
        gr_free(path);
        gr_array_push(out, e);
        gr_free(to);
      }
      gr_free(key);
      gr_free(v);
    } else {
      ft_fileops__value(j, 2);
    }
    ft_fileops__ws(j);
    if (j->i < j->len && j->s[j->i] == ',') {
      j->i++;
      continue;
    }
    if (j->i < j->len && j->s[j->i] == '}') {
      j->i++;
      return;
    }
    j->bad = 1;
  }
}

void ft_fileops_settings(const char *text, size_t len, const ft_rename *renames, size_t n, ft_fileop_edits *out) {
  ft_fileops__json j = {text, len, 0, 0};
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) j.i = 3; /* a BOM */
  ft_fileops__ws(&j);
  if (j.i >= len || text[j.i] != '{') return;
  j.i++;
  ft_fileops__ws(&j);
  if (j.i < len && text[j.i] == '}') return;
  while (!j.bad) {
    ft_fileops__ws(&j);
    gr_span k;
    char *key = NULL;
    if (!ft_fileops__string(&j, &k, &key)) return;
    ft_fileops__ws(&j);
    if (j.i >= len || text[j.i] != ':') {
      gr_free(key);
      return;
    }
    j.i++;
    ft_fileops__ws(&j);
    if (strcmp(key, "templates") == 0 && j.i < len && text[j.i] == '{')
      ft_fileops__templates(&j, renames, n, out);
    else
      ft_fileops__value(&j, 1);
    gr_free(key);
    ft_fileops__ws(&j);
    if (j.i < len && text[j.i] == ',') {
      j.i++;
      continue;
    }
    return; /* '}' or an error: done either way */
  }
}

void ft_fileop_edits_free(ft_fileop_edits *edits) {
  for (size_t i = 0; i < edits->len; i++) gr_free(edits->items[i].text);
  gr_free(edits->items);
  edits->items = NULL;
  edits->len = edits->cap = 0;
}
