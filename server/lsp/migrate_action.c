#include "server/lsp/migrate_action.h"

#include <string.h>

#include "grammar/alloc.h"
#include "server/features/migrate.h"
#include "server/lsp/docs.h"
#include "server/model/template.h"

static int tl_migrate__hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The URI's last path segment, percent-decoded: the file name that gives
 * template.id ("file:///w/prd%2Dtmpl.md" -> "prd-tmpl.md"). New string. */
static char *tl_migrate__file_name(const char *uri, size_t n) {
  size_t a = n;
  while (a > 0 && uri[a - 1] != '/') a--;
  char *out = gr_malloc(n - a + 1);
  size_t k = 0;
  for (size_t i = a; i < n; i++) {
    int h, l;
    if (uri[i] == '%' && i + 2 < n && (h = tl_migrate__hex(uri[i + 1])) >= 0 && (l = tl_migrate__hex(uri[i + 2])) >= 0) {
      out[k++] = (char)(h * 16 + l);
      i += 2;
    } else {
      out[k++] = uri[i];
    }
  }
  out[k] = '\0';
  return out;
}

static bool tl_migrate__can_create(const tl_session *s) {
  if (!json_is_true(tl_client_cap(s, "workspace.workspaceEdit.documentChanges"))) return false;
  json_t *ops = tl_client_cap(s, "workspace.workspaceEdit.resourceOperations"), *x;
  size_t i;
  json_array_foreach(ops, i, x) {
    if (json_is_string(x) && strcmp(json_string_value(x), "create") == 0) return true;
  }
  return false;
}

void tl_migrate_action(tl_call *c, json_t *out) {
  const char *uri = tl_doc_uri(c->doc);
  size_t n = strcspn(uri, "?#");
  if (n < 4 || strncmp(uri + n - 3, ".md", 3) != 0 || uri[n] != '\0') return;
  if (!tl_migrate__can_create(c->s)) return;

  const gr_tree *tree = tl_doc_tree(c->doc);
  tl_template *t = tl_template_new(tree);
  char *name = tl_migrate__file_name(uri, n);
  size_t len = 0;
  char *yaml = ft_migrate_yaml(tree, t, name, &len);
  tl_template_free(t);
  gr_free(name);
  char *target = ft_migrate_target(uri);
  json_t *text = json_stringn(yaml, len); /* the emitter writes valid UTF-8 only */
  gr_free(yaml);
  if (text) {
    json_t *zero = json_pack("{s:i,s:i}", "line", 0, "character", 0);
    json_t *edit = json_pack(
        "{s:[{s:s,s:s,s:{s:b,s:b}},{s:{s:s,s:n},s:[{s:{s:O,s:O},s:o}]}]}", "documentChanges", "kind", "create", "uri",
        target, "options", "overwrite", 0, "ignoreIfExists", 0, "textDocument", "uri", target, "version", "edits",
        "range", "start", zero, "end", zero, "newText", text);
    json_decref(zero);
    if (edit) json_array_append_new(out, json_pack("{s:s,s:s,s:o}", "title", "Convert to YAML template", "kind",
                                                   "refactor.rewrite", "edit", edit));
  }
  gr_free(target);
}
