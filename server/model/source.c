/*
 * source.c: file kinds and front-ends (see source.h).
 */
#include "server/model/source.h"

#include <string.h>

#include "server/model/template_yaml.h"
#include "yaml/ytmpl.h"

static int tl_source__ends(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* A folder component named "templates" on the way to the file. */
static int tl_source__under_templates(const char *path) {
  const char *p = path;
  while ((p = strstr(p, "templates/")) != NULL) {
    if (p == path || p[-1] == '/') return 1;
    p++;
  }
  return 0;
}

tl_source_kind tl_source_kind_of_name(const char *path, int in_root, int *needs_text) {
  if (needs_text) *needs_text = 0;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if (tl_source__ends(base, ".md")) {
    if (tl_source__ends(base, "-tmpl.md") || tl_source__ends(base, ".tmpl.md")) return TL_SOURCE_MD_TEMPLATE;
    return in_root && tl_source__under_templates(path) ? TL_SOURCE_MD_TEMPLATE : TL_SOURCE_DOCUMENT;
  }
  int yaml = tl_source__ends(base, ".yaml"), yml = tl_source__ends(base, ".yml");
  if (!yaml && !yml) return TL_SOURCE_OTHER;
  if (tl_source__ends(base, yaml ? "-tmpl.yaml" : "-tmpl.yml") ||
      tl_source__ends(base, yaml ? ".tmpl.yaml" : ".tmpl.yml"))
    return TL_SOURCE_YAML_TEMPLATE;
  if (in_root && tl_source__under_templates(path)) {
    if (needs_text) *needs_text = 1;
    return TL_SOURCE_YAML_TEMPLATE;
  }
  return TL_SOURCE_OTHER;
}

/*
 * Both keys at the start of a line, as a mapping's top level writes them.
 * Read from the text, not from a parse, so that a template with a syntax
 * error is still one (and gets its diagnostics), and a stranger's file
 * costs no parse.
 */
static int tl_source__top_key(const char *text, size_t len, const char *key) {
  size_t k = strlen(key);
  for (size_t i = 0; i + k <= len;) {
    if (memcmp(text + i, key, k) == 0) return 1;
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl) break;
    i = (size_t)(nl - text) + 1;
  }
  return 0;
}

tl_source_kind tl_source_kind_of(const char *path, int in_root, const char *text, size_t len) {
  int needs_text;
  tl_source_kind k = tl_source_kind_of_name(path, in_root, &needs_text);
  if (needs_text && !(text && tl_source__top_key(text, len, "template:") && tl_source__top_key(text, len, "sections:")))
    return TL_SOURCE_OTHER;
  return k;
}

int tl_source_is_yaml_name(const char *path) {
  size_t n = strcspn(path, "?#");
  return (n >= 5 && memcmp(path + n - 5, ".yaml", 5) == 0) || (n >= 4 && memcmp(path + n - 4, ".yml", 4) == 0);
}

int tl_source_is_template(tl_source_kind kind) {
  return kind == TL_SOURCE_MD_TEMPLATE || kind == TL_SOURCE_YAML_TEMPLATE;
}

tl_template *tl_source_template(tl_source_kind kind, const char *text, size_t len, bool keep_text) {
  if (kind == TL_SOURCE_MD_TEMPLATE) {
    gr_tree *t = gr_parse(text, len, NULL);
    if (keep_text) return tl_template_new_taking(t);
    tl_template *m = tl_template_new(t);
    gr_tree_free(t);
    return m;
  }
  if (kind == TL_SOURCE_YAML_TEMPLATE) {
    yt_tmpl *v = yt_tmpl_parse(text, len);
    tl_template *m = tl_template_yaml_new(v);
    yt_tmpl_free(v);
    return m;
  }
  return NULL;
}
