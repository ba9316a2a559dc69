/*
 * settings.c: reading, merging and applying tmpl-ls's settings (see
 * settings.h).
 */
#include "server/features/settings.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grammar/alloc.h"
#include "grammar/lines.h"

void tl_settings_init(tl_settings *s) {
  memset(s, 0, sizeof *s);
  memset(s->severity, TL_SEVERITY_DEFAULT, sizeof s->severity);
  s->inlay_hints = -1;
  s->workspace_diagnostics = -1;
}

void tl_settings_free(tl_settings *s) {
  for (size_t i = 0; i < s->mapping_count; i++) {
    gr_free((char *)s->mappings[i].glob);
    gr_free((char *)s->mappings[i].template);
  }
  gr_free(s->mappings);
  tl_settings_init(s);
}

void tl_settings_problems_free(tl_settings_problems *p) {
  for (size_t i = 0; i < p->len; i++) gr_free(p->items[i]);
  gr_free(p->items);
  memset(p, 0, sizeof *p);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void tl__problem(tl_settings_problems *p, const char *fmt, ...) {
  if (!p) return;
  char buf[400];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (p->len == p->cap) {
    p->cap = p->cap ? p->cap * 2 : 8;
    p->items = gr_realloc(p->items, p->cap * sizeof *p->items);
  }
  p->items[p->len++] = gr_utf8_clean(buf, strlen(buf));
}

/* Put glob -> template, replacing the template of a glob already there. */
static void tl__map(tl_settings *s, const char *glob, const char *tmpl) {
  for (size_t i = 0; i < s->mapping_count; i++)
    if (strcmp(s->mappings[i].glob, glob) == 0) {
      gr_free((char *)s->mappings[i].template);
      s->mappings[i].template = gr_strndup(tmpl, strlen(tmpl));
      return;
    }
  s->mappings = gr_realloc(s->mappings, (s->mapping_count + 1) * sizeof *s->mappings);
  s->mappings[s->mapping_count].glob = gr_strndup(glob, strlen(glob));
  s->mappings[s->mapping_count].template = gr_strndup(tmpl, strlen(tmpl));
  s->mapping_count++;
}

static void tl__read_diagnostics(tl_settings *s, const json_t *v, const char *where,
                                 tl_settings_problems *p) {
  if (!json_is_object(v)) {
    tl__problem(p, "%s: \"diagnostics\" must be an object of codes and severities", where);
    return;
  }
  size_t ncodes;
  const tl_code_info *codes = tl_codes(&ncodes);
  const char *code;
  json_t *sev;
  json_object_foreach((json_t *)v, code, sev) {
    const tl_code_info *info = tl_code_find(code);
    if (!info) {
      tl__problem(p, "%s: \"%s\" is not a tmpl-ls diagnostic code", where, code);
      continue;
    }
    const char *name = json_string_value(sev);
    gr_severity level;
    if (name && strcmp(name, "off") == 0) {
      s->severity[info - codes] = TL_SEVERITY_OFF;
    } else if (name && tl_severity_parse(name, &level) == 0) {
      s->severity[info - codes] = (int8_t)level;
    } else {
      tl__problem(p, "%s: \"diagnostics\".\"%s\" must be error, warning, information, hint or off",
                  where, code);
    }
  }
}

static void tl__read_templates(tl_settings *s, const json_t *v, const char *where,
                               tl_settings_problems *p) {
  if (!json_is_object(v)) {
    tl__problem(p, "%s: \"templates\" must be an object of globs and template paths", where);
    return;
  }
  const char *glob;
  json_t *tmpl;
  json_object_foreach((json_t *)v, glob, tmpl) {
    if (!json_is_string(tmpl) || !json_string_value(tmpl)[0] || !glob[0]) {
      tl__problem(p, "%s: \"templates\".\"%s\" must be a template's path", where, glob);
    } else if (s->mapping_count >= TL_SETTINGS_MAX_TEMPLATES) {
      tl__problem(p, "%s: more than %d \"templates\"; \"%s\" is left out", where,
                  TL_SETTINGS_MAX_TEMPLATES, glob);
    } else {
      const char *t = json_string_value(tmpl);
      while (t[0] == '.' && t[1] == '/') t += 2; /* as paths are keyed: relative, no "./" */
      tl__map(s, glob, t);
    }
  }
}

void tl_settings_read(tl_settings *s, const json_t *v, const char *where, int strict,
                      tl_settings_problems *problems) {
  if (!json_is_object(v)) {
    if (v && !json_is_null(v)) tl__problem(problems, "%s: the settings must be a JSON object", where);
    return;
  }
  const char *key;
  json_t *val;
  json_object_foreach((json_t *)v, key, val) {
    if (strcmp(key, "diagnostics") == 0) {
      tl__read_diagnostics(s, val, where, problems);
    } else if (strcmp(key, "templates") == 0) {
      tl__read_templates(s, val, where, problems);
    } else if (strcmp(key, "matchThreshold") == 0) {
      double x = json_number_value(val);
      if (!json_is_number(val) || !(x > 0 && x <= 1))
        tl__problem(problems, "%s: \"matchThreshold\" must be a number above 0 and at most 1", where);
      else s->threshold = x < 0.001 ? 1 : (uint32_t)(x * 1000 + 0.5); /* 0 would mean the default */
    } else if (strcmp(key, "inlayHints") == 0) {
      if (!json_is_boolean(val)) tl__problem(problems, "%s: \"inlayHints\" must be true or false", where);
      else s->inlay_hints = json_is_true(val) ? 1 : 0;
    } else if (strcmp(key, "workspaceDiagnostics") == 0) {
      if (!json_is_boolean(val))
        tl__problem(problems, "%s: \"workspaceDiagnostics\" must be true or false", where);
      else s->workspace_diagnostics = json_is_true(val) ? 1 : 0;
    } else if (strict) {
      tl__problem(problems,
                  "%s: \"%s\" is not a tmpl-ls setting (diagnostics, templates, matchThreshold, inlayHints, "
                  "workspaceDiagnostics)",
                  where, key);
    }
  }
}

int tl_settings_load(tl_settings *s, const char *text, size_t len, const char *where,
                     tl_settings_problems *problems) {
  if (len > TL_SETTINGS_MAX_BYTES) {
    tl__problem(problems, "%s: larger than %zu bytes; not read", where, TL_SETTINGS_MAX_BYTES);
    return -1;
  }
  json_error_t err;
  json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    tl__problem(problems, "%s:%d:%d: %s", where, err.line, err.column, err.text);
    return -1;
  }
  tl_settings_read(s, root, where, 1, problems);
  json_decref(root);
  return 0;
}

void tl_settings_merge(tl_settings *out, const tl_settings *base, const tl_settings *over) {
  tl_settings_init(out);
  for (size_t i = 0; i < sizeof out->severity; i++)
    out->severity[i] = over->severity[i] != TL_SEVERITY_DEFAULT ? over->severity[i] : base->severity[i];
  for (size_t i = 0; i < over->mapping_count; i++)
    tl__map(out, over->mappings[i].glob, over->mappings[i].template);
  for (size_t i = 0; i < base->mapping_count; i++) {
    size_t k = 0;
    while (k < out->mapping_count && strcmp(out->mappings[k].glob, base->mappings[i].glob) != 0) k++;
    if (k == out->mapping_count) tl__map(out, base->mappings[i].glob, base->mappings[i].template);
  }
  out->threshold = over->threshold ? over->threshold : base->threshold;
  out->inlay_hints = over->inlay_hints >= 0 ? over->inlay_hints : base->inlay_hints;
  out->workspace_diagnostics =
      over->workspace_diagnostics >= 0 ? over->workspace_diagnostics : base->workspace_diagnostics;
}

int tl_settings_inlay_hints(const tl_settings *s) { return s->inlay_hints != 0; }

int tl_settings_workspace_diagnostics(const tl_settings *s, int pull) {
  return pull ? s->workspace_diagnostics != 0 : s->workspace_diagnostics == 1;
}

tl_assoc_options tl_settings_assoc(const tl_settings *s) {
  tl_assoc_options o = {NULL, s->mappings, s->mapping_count, s->threshold};
  return o;
}

void tl_settings_apply(const tl_settings *s, tl_diags *d) {
  size_t ncodes, keep = 0;
  const tl_code_info *codes = tl_codes(&ncodes);
  for (size_t k = 0; k < d->len; k++) {
    tl_diag *x = &d->items[k];
    const tl_code_info *info = tl_code_find(x->code);
    int8_t level = info ? s->severity[info - codes] : TL_SEVERITY_DEFAULT;
    if (level == TL_SEVERITY_OFF) {
      gr_free(x->message);
      continue;
    }
    if (level != TL_SEVERITY_DEFAULT) x->severity = (gr_severity)level;
    d->items[keep++] = *x;
  }
  d->len = keep;
}
