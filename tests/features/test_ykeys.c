/*
 * test_ykeys.c: server/features/ykeys.c, and the YAML entry points that
 * read it (ft_hover_yaml in hover.c, ft_completion_yaml in completion.c).
 *
 * - the key table against the YAML front-end's names, both ways;
 * - where a cursor stands ("§" marks it), rendered as
 *     <place> <what> key="…" [colon] value="…" col=N [new-item] present=a,b
 *   on valid and broken files;
 * - hovers rendered as "[<start>-<end>] <markdown>" (positions line:col,
 *   0-based bytes) or "NULL";
 * - completions, one item per line:
 *     <kind> "label" [<start>-<end>] detail="…" plain|snippet [as-is] "<text>"
 *   or "" for none;
 * - over the real corpus: the line scan puts every key in the mapping the
 *   tree puts it in, with the same other keys; hover and completion at
 *   offsets all over the broken files and generated garbage keep their
 *   spans on the cursor's line, their text valid UTF-8, and never crash;
 * - caps and pathological input.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "grammar/alloc.h"
#include "server/features/completion.h"
#include "server/features/hover.h"
#include "server/features/ykeys.h"
#include "tests/support/features_util.h"
#include "tests/support/support.h"
#include "yaml/ytmpl.h"

#define CURSOR "\xC2\xA7" /* § */
#define CORPUS "../shared/corpus/bmad-method-yaml"

/* ---- fixtures ------------------------------------------------------------ */

/* A text with "§" removed, and where it was. */
typedef struct yk_doc {
  char *text;
  uint32_t len;
  uint32_t cursor;
  yt_tmpl *tm;
} yk_doc;

static void yk_open(yk_doc *d, const char *with_cursor) {
  const char *m = strstr(with_cursor, CURSOR);
  assert_non_null(m);
  size_t n = strlen(with_cursor), at = (size_t)(m - with_cursor);
  d->text = gr_malloc(n);
  memcpy(d->text, with_cursor, at);
  memcpy(d->text + at, m + 2, n - at - 2);
  d->len = (uint32_t)(n - 2);
  d->text[d->len] = '\0';
  d->cursor = (uint32_t)at;
  d->tm = yt_tmpl_parse(d->text, d->len);
}

static void yk_close(yk_doc *d) {
  yt_tmpl_free(d->tm);
  gr_free(d->text);
}

static void yk_pos(fts_str *b, const yk_doc *d, uint32_t off) {
  uint32_t line = 0, col = 0;
  for (uint32_t i = 0; i < off && i < d->len; i++) {
    if (d->text[i] == '\n') line++, col = 0;
    else col++;
  }
  fts_cat(b, "%u:%u", line, col);
}

static const char *const place_names[FT_YPLACE_COUNT] = {"none", "top", "template", "output", "workflow",
                                                         "section"};
static const char *const what_names[] = {"none", "key", "value"};

/* ---- the table ----------------------------------------------------------- */

static int in_list(const char *const *list, const char *s) {
  for (size_t i = 0; list[i]; i++)
    if (strcmp(list[i], s) == 0) return 1;
  return 0;
}

static void test_ykeys_table_matches_front_end(void **state) {
  (void)state;
  /* every key the front-end knows has its row */
  for (int k = 0; k < YT_SKEY_COUNT; k++) {
    const char *name = yt_skey_name((yt_skey)k);
    const ft_ykey *row = ft_ykey_find(FT_YPLACE_SECTION, name, strlen(name));
    if (!row || row->skey != k || !row->offered) fail_msg("section key %s: no offered row", name);
  }
  static const struct {
    yt_names list;
    ft_yplace place;
  } sets[] = {{YT_NAMES_TOP_KEYS, FT_YPLACE_TOP},
              {YT_NAMES_TEMPLATE_KEYS, FT_YPLACE_TEMPLATE},
              {YT_NAMES_OUTPUT_KEYS, FT_YPLACE_OUTPUT},
              {YT_NAMES_WORKFLOW_KEYS, FT_YPLACE_WORKFLOW},
              {YT_NAMES_QUIET_SECTION_KEYS, FT_YPLACE_SECTION}};
  for (size_t s = 0; s < sizeof sets / sizeof sets[0]; s++) {
    const char *const *names = yt_names_list(sets[s].list);
    for (size_t i = 0; names[i]; i++) {
      const ft_ykey *row = ft_ykey_find(sets[s].place, names[i], strlen(names[i]));
      if (!row) fail_msg("%s at %s: no row", names[i], place_names[sets[s].place]);
      if (sets[s].list == YT_NAMES_QUIET_SECTION_KEYS && row->offered)
        fail_msg("%s: a key the view does not model is offered", names[i]);
    }
  }
  /* and every row is a key the front-end knows there, once, with a sentence */
  for (size_t i = 0; i < ft_ykey_count(); i++) {
    const ft_ykey *row = ft_ykey_row(i);
    const char *name = ft_ykey_name(row);
    int known = 0;
    if (row->place == FT_YPLACE_SECTION)
      known = row->skey < YT_SKEY_COUNT ? row->name == NULL
                                        : in_list(yt_names_list(YT_NAMES_QUIET_SECTION_KEYS), name);
    for (size_t s = 0; s < 4; s++)
      if (sets[s].place == row->place) known = row->skey == YT_SKEY_COUNT && in_list(yt_names_list(sets[s].list), name);
    if (!known) fail_msg("row %s at %s: not a key the front-end knows there", name, place_names[row->place]);
    if (ft_ykey_find((ft_yplace)row->place, name, strlen(name)) != row) fail_msg("row %s: twice", name);
    size_t n = strlen(row->doc);
    if (n < 10 || row->doc[n - 1] != '.') fail_msg("row %s: the doc is no sentence", name);
    assert_true(row->value < FT_YVALUE_COUNT);
  }
  assert_null(ft_ykey_row(ft_ykey_count()));
  assert_null(ft_ykey_find(FT_YPLACE_SECTION, "titel", 5));
  assert_null(ft_ykey_find(FT_YPLACE_OUTPUT, "id", 2));
  assert_null(ft_ykey_find(FT_YPLACE_NONE, "id", 2));
  /* values: every type, mermaid type and mode has its doc, and nothing else has one */
  assert_null(ft_ykey_type_doc(YT_TYPE_NONE));
  assert_null(ft_ykey_type_doc(YT_TYPE_OTHER));
  for (int t = YT_TYPE_OTHER + 1; t < YT_TYPE_COUNT; t++)
    if (!ft_ykey_type_doc((yt_stype)t)) fail_msg("type %s: no doc", yt_stype_name((yt_stype)t));
  const char *const *mermaid = yt_names_list(YT_NAMES_MERMAID_TYPES);
  size_t nm = 0;
  for (; mermaid[nm]; nm++)
    if (!ft_ykey_mermaid_doc(mermaid[nm], strlen(mermaid[nm]))) fail_msg("mermaid %s: no doc", mermaid[nm]);
  assert_int_equal(nm, 20);
  assert_null(ft_ykey_mermaid_doc("flowchar", 8));
  const char *const *modes = yt_names_list(YT_NAMES_MODES);
  size_t offered = 0;
  for (size_t i = 0; modes[i]; i++) {
    if (!ft_ykey_mode_doc(modes[i], strlen(modes[i]))) fail_msg("mode %s: no doc", modes[i]);
    offered += (size_t)ft_ykey_mode_offered(modes[i], strlen(modes[i]));
  }
  assert_int_equal(offered, 2);
  assert_null(ft_ykey_mode_doc("yol", 3));
  assert_string_equal(yt_names_list(YT_NAMES_COUNT)[0] ? "x" : "empty", "empty");
}

/* ---- where the cursor stands --------------------------------------------- */

typedef struct ctx_case {
  const char *name;
  const char *input;
  const char *want;
} ctx_case;

static const char story_head[] =
    "template:\n"
    "  id: story-v1\n"
    "  output:\n"
    "    filename: docs/{{epic_num}}.{{story_num}}.md\n"
    "    title: \"Story {{epic_num}}.{{story_num}}\"\n"
    "workflow:\n"
    "  mode: interactive\n"
    "sections:\n"
    "  - id: story\n"
    "    title: Story {{epic_num}}.{{story_num}} {{story_title}}\n";

static const ctx_case ctx_cases[] = {
    {"a key being typed in a section, the file broken", "sections:\n  - id: x\n    ti" CURSOR "\n",
     "section key key=\"ti\" value=\"\" col=4 present=id"},
    {"the same with keys after it", "sections:\n  - id: x\n    ti" CURSOR "\n    type: table\n  - id: y\n    elicit: true\n",
     "section key key=\"ti\" value=\"\" col=4 present=id,type"},
    {"a blank line: the cursor's column decides", "template:\n  id: a\n  " CURSOR "\nsections: []\n",
     "template key key=\"\" value=\"\" col=2 present=id"},
    {"a blank line at column 0 is the top level", "template:\n  id: a\n" CURSOR "\nsections: []\n",
     "top key key=\"\" value=\"\" col=0 present=template,sections"},
    {"under a key with no value yet", "template:\n  id: a\n  output:\n    " CURSOR "\n",
     "output key key=\"\" value=\"\" col=4 present="},
    {"a new list item", "sections:\n  - id: a\n  - " CURSOR "\n    title: B\n",
     "section key key=\"\" value=\"\" col=4 new-item present=title"},
    {"a nested section, compact lists", "sections:\n- id: a\n  sections:\n  - id: b\n    ty" CURSOR "\n",
     "section key key=\"ty\" value=\"\" col=4 present=id"},
    {"in the middle of a key that has its colon", "workflow:\n  mo" CURSOR "de: yolo\n",
     "workflow key key=\"mode\" colon value=\"\" col=2 present="},
    {"a value", "sections:\n  - id: a\n    type: bul" CURSOR "let\n",
     "section value key=\"type\" colon value=\"bullet\" col=4 present=id"},
    {"a quoted value, a comment after it", "sections:\n  - id: a\n    type: \"ta" CURSOR "\" # later\n",
     "section value key=\"type\" colon value=\"ta\" col=4 present=id"},
    {"right after the colon", "sections:\n  - id: a\n    elicit:" CURSOR "\n",
     "section value key=\"elicit\" colon value=\"\" col=4 present=id"},
    {"a block of text is no place", "sections:\n  - id: a\n    template: |\n      title: x\n      ty" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"a blank line in a block of text", "sections:\n  - id: a\n    template: |\n      x\n\n      " CURSOR "\n      y\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"after a block of text, at the section's column", "sections:\n  - id: a\n    template: |\n      x\n    " CURSOR "\n",
     "section key key=\"\" value=\"\" col=4 present=id,template"},
    {"a comment", "sections:\n  - id: a\n    # ty" CURSOR "\n", "none none key=\"\" value=\"\" col=0 comment present="},
    {"a comment after a value", "sections:\n  - id: a\n    type: table # a t" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 comment present="},
    {"under choices: no place", "sections:\n  - id: a\n    choices:\n      ar" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"an examples item", "sections:\n  - id: a\n    examples:\n      - fo" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"a list item of text is a value, not a key", "sections:\n  - id: a\n    examples:\n      - two wo" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"a value going on on the next line", "sections:\n  - id: a\n    title: Long\n      tit" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"a second document", "template:\n  id: a\n---\nti" CURSOR "\n", "none none key=\"\" value=\"\" col=0 present="},
    {"a key too deep for its mapping", "template:\n  id: a\n     na" CURSOR "\n",
     "none none key=\"\" value=\"\" col=0 present="},
    {"quoted keys are keys", "\"template\":\n  'id': a\n  " CURSOR "\n", "template key key=\"\" value=\"\" col=2 present=id"},
    {"CRLF lines", "template:\r\n  id: a\r\n  na" CURSOR "\r\n  version: 1\r\n",
     "template key key=\"na\" value=\"\" col=2 present=id,version"},
    {"an empty file", CURSOR, "top key key=\"\" value=\"\" col=0 present="},
    {NULL, NULL, NULL},
};

static void render_ctx(fts_str *b, const yk_doc *d, const ft_yctx *c) {
  fts_cat(b, "%s %s key=", place_names[c->place], what_names[c->what]);
  fts_cat_quoted(b, d->text + c->key.start, c->key.end - c->key.start);
  if (c->has_colon) fts_cat(b, " colon");
  fts_cat(b, " value=");
  fts_cat_quoted(b, d->text + c->value.start, c->value.end - c->value.start);
  fts_cat(b, " col=%u%s%s present=", c->col, c->new_item ? " new-item" : "", c->comment ? " comment" : "");
  for (size_t i = 0; i < c->present.len; i++)
    fts_cat(b, "%s%.*s", i ? "," : "", (int)(c->present.items[i].end - c->present.items[i].start),
            d->text + c->present.items[i].start);
}

static void test_ykeys_cursor_places(void **state) {
  (void)state;
  for (size_t i = 0; ctx_cases[i].name; i++) {
    yk_doc d;
    yk_open(&d, ctx_cases[i].input);
    ft_yctx c;
    ft_yctx_at(d.text, d.len, d.cursor, &c);
    fts_str b = {0};
    render_ctx(&b, &d, &c);
    fts_expect(ctx_cases[i].name, fts_str_get(&b), ctx_cases[i].want);
    fts_str_free(&b);
    ft_yctx_free(&c);
    yk_close(&d);
  }
}

/* ---- hover --------------------------------------------------------------- */

typedef struct hover_case {
  const char *name;
  const char *input;
  const char *want;
} hover_case;

#define STORY_TAIL                                        \
  "    repeatable: true\n"                                \
  "    type: table\n"                                     \
  "    template: |\n"                                     \
  "      As {{role}}, story {{story_num}} of {{epic_num}}\n" \
  "    sections:\n"                                       \
  "      - id: diagram\n"                                 \
  "        type: mermaid\n"                               \
  "        mermaid_type: sequenceDiagram\n"               \
  "        instruction: Draw {{epic_num}} in order.\n"

static const hover_case hover_cases[] = {
    {"a section key",
     "template:\n  id: a\nsections:\n  - id: s\n    re" CURSOR "peatable: true\n",
     "[4:4-4:14] **`repeatable`** · section key · true or false\n\n"
     "When true the section may occur any number of times in the document (the Markdown templates' "
     "`<<REPEAT>>`)."},
    {"a top-level key", "work" CURSOR "flow:\n  mode: yolo\n",
     "[0:0-0:8] **`workflow`** · top-level key · a mapping\n\n"
     "How the agent goes through the sections: its `mode` (`interactive` or `yolo`) and the `elicitation` "
     "task it runs."},
    {"a key of output", "template:\n  output:\n    " CURSOR "filename: docs/a.md\n",
     "[2:4-2:12] **`filename`** · key of `template.output:` · text\n\n"
     "Where the document is saved, as `docs/prd.md`; may hold `{{vars}}`. A document at a matching path "
     "is checked against this template."},
    {"the same name means another thing elsewhere", "workflow:\n  instruction" CURSOR ": Go.\n",
     "[1:2-1:13] **`instruction`** · key of `workflow:` · text (a `|` block for several lines)\n\n"
     "Guidance for the agent on the workflow as a whole."},
    {"a key some packs use", "sections:\n  - id: s\n    section_t" CURSOR "itle: X\n",
     "[2:4-2:17] **`section_title`** · section key · text\n\nSome packs' spelling of `title`; tmpl-ls reads "
     "`title`."},
    {"a type value", "sections:\n  - id: s\n    type: nu" CURSOR "mbered-list\n",
     "[2:10-2:23] **`numbered-list`** · section type\n\n"
     "An ordered list: `1. `, `2. `..., with the section's `prefix` when it has one (`1. FR1: `)."},
    {"a mermaid type", "sections:\n  - id: s\n    mermaid_type: " CURSOR "graph\n",
     "[2:18-2:23] **`graph`** · mermaid diagram type\n\nFlowcharts: mermaid's older keyword for `flowchart`."},
    {"a workflow mode", "workflow:\n  mode: yo" CURSOR "lo\n",
     "[1:8-1:12] **`yolo`** · workflow mode\n\nAll at once: the agent writes every section without stopping "
     "to ask."},
    {"a var: where the template uses it", "" /* story_head + STORY_TAIL, cursor in output.filename */, NULL},
    {"an unknown key has none", "sections:\n  - id: s\n    titel" CURSOR ": X\n", "NULL"},
    {"a key where no key of the template goes", "sections:\n  - id: s\n    choices:\n      ti" CURSOR "tle: [a]\n",
     "NULL"},
    {"another value has none", "sections:\n  - id: s\n    title: Go" CURSOR "als\n", "NULL"},
    {"type under choices is no section type", "sections:\n  - id: s\n    choices:\n      type: [ta" CURSOR "ble]\n",
     "NULL"},
    {"an unknown type has none", "sections:\n  - id: s\n    type: tabel" CURSOR "\n", "NULL"},
    {"a block of text has none", "sections:\n  - id: s\n    template: |\n      ty" CURSOR "pe: table\n", "NULL"},
    {"the top-level key after a syntax error (the tree resumes)",
     "sections:\n  - id: s\n    title: Example: Foo\nwork" CURSOR "flow:\n  mode: yolo\n",
     "[3:0-3:8] **`workflow`** · top-level key · a mapping\n\n"
     "How the agent goes through the sections: its `mode` (`interactive` or `yolo`) and the `elicitation` "
     "task it runs."},
    {"a key after a quote never closed (from the line)",
     "sections:\n  - id: a\n    title: \"open\n    rep" CURSOR "eatable: true\n",
     "[3:4-3:14] **`repeatable`** · section key · true or false\n\n"
     "When true the section may occur any number of times in the document (the Markdown templates' "
     "`<<REPEAT>>`)."},
    {"a var the tree did not read (from the line)",
     "sections:\n  - id: a\n    title: \"{{x}} A\"\n  - id: b\n    title: \"open\n    template: {{x" CURSOR "}}\n",
     "[5:14-5:19] **Variable** `{{x}}`\n\nA value the agent fills in when it writes the document.\n\n"
     "Used once: section `a` title."},
    {"a var in an instruction is a mention", "sections:\n  - id: a\n    instruction: Ask for {{" CURSOR "name}}.\n",
     "[2:25-2:33] **Variable** `{{name}}`\n\nA value the agent fills in when it writes the document. This one "
     "is inside an `instruction`: it is mentioned there, not written.\n\nUsed once: section `a` instruction."},
    {"a var in a section without id, under a key of its own",
     "sections:\n  - title: T\n    notes: \"{{n" CURSOR "}}\"\n    template: \"{{n}} {{n}}\"\n",
     "[2:12-2:17] **Variable** `{{n}}`\n\nA value the agent fills in when it writes the document.\n\n"
     "Used 3 times: section 1 `notes`, section 1 template (2)."},
    {"an empty var has none", "sections:\n  - id: a\n    title: {{" CURSOR "}}\n", "NULL"},
    {NULL, NULL, NULL},
};

static void render_hover(fts_str *b, const yk_doc *d, const ft_hover *h) {
  if (!h) {
    fts_cat(b, "NULL");
    return;
  }
  fts_cat(b, "[");
  yk_pos(b, d, h->span.start);
  fts_cat(b, "-");
  yk_pos(b, d, h->span.end);
  fts_cat(b, "] %s", h->markdown);
}

static void hover_check(const char *name, const char *input, const char *want) {
  yk_doc d;
  yk_open(&d, input);
  ft_hover *h = ft_hover_yaml(d.tm, d.cursor);
  fts_str b = {0};
  render_hover(&b, &d, h);
  fts_expect(name, fts_str_get(&b), want);
  fts_str_free(&b);
  ft_hover_free(h);
  yk_close(&d);
}

static void test_ykeys_hover(void **state) {
  (void)state;
  for (size_t i = 0; hover_cases[i].name; i++)
    if (hover_cases[i].want) hover_check(hover_cases[i].name, hover_cases[i].input, hover_cases[i].want);
  /* a var used all over the story template */
  fts_str in = {0};
  fts_cat(&in, "%s%s", story_head, STORY_TAIL);
  char *t = gr_strndup(fts_str_get(&in), in.len);
  char *at = strstr(t, "{{epic_num}}.{{story_num}}.md");
  fts_str with = {0};
  fts_cat(&with, "%.*s{{epic" CURSOR "%s", (int)(at - t), t, at + 6);
  hover_check("a var: where the template uses it", fts_str_get(&with),
              "[3:19-3:31] **Variable** `{{epic_num}}`\n\nA value the agent fills in when it writes the "
              "document.\n\nUsed 5 times: `template.output.filename`, `template.output.title`, section "
              "`story` title, section `story` template, section `diagram` instruction.");
  fts_str_free(&with);
  gr_free(t);
  fts_str_free(&in);
}

/* ---- completion ---------------------------------------------------------- */

typedef struct comp_case {
  const char *name;
  const char *input;
  int snippets;
  char trigger;
  const char *want;   /* the items rendered (only those labelled in `only`, when set) */
  const char *labels; /* or, when want is NULL, the labels only, space-separated */
  const char *only;
} comp_case;

static const comp_case comp_cases[] = {
    {"the keys of a section it lacks, mid-edit in a broken file",
     "sections:\n  - id: x\n    title: X\n    ty" CURSOR "\n  - id: y\n", 0, 0, NULL,
     "instruction type template item_template prefix elicit repeatable condition optional owner editors "
     "readonly examples choices placeholder mermaid_type language columns rows details content items fields "
     "sections", NULL},
    {"what they insert, plain", "sections:\n  - id: x\n    title: X\n    repeatable: true\n    ty" CURSOR "\n",
     0, 0,
     "key \"type\" [4:4-4:6] detail=\"section key · a section type\" plain \"type: \"\n"
     "key \"elicit\" [4:4-4:6] detail=\"section key · true or false\" plain \"elicit: true\"\n"
     "key \"examples\" [4:4-4:6] detail=\"section key · a list\" plain as-is \"examples:\\n      - \"\n"
     "key \"sections\" [4:4-4:6] detail=\"section key · a list of sections\" plain as-is "
     "\"sections:\\n      - id: \"\n",
     NULL, "type elicit examples sections"},
    {"with snippets", "sections:\n  - id: x\n    " CURSOR "\n", 1, 0,
     "key \"template\" [2:4-2:4] detail=\"section key · text (a `|` block for several lines)\" snippet as-is "
     "\"template: |\\n      $0\"\n"
     "key \"repeatable\" [2:4-2:4] detail=\"section key · true or false\" snippet \"repeatable: ${1|true,false|}\"\n"
     "key \"sections\" [2:4-2:4] detail=\"section key · a list of sections\" snippet as-is "
     "\"sections:\\n      - id: ${1:section-id}\\n        title: ${2:Title}\"\n",
     NULL, "repeatable template sections"},
    {"the top level", "template:\n  id: a\n" CURSOR "\n", 1, 0,
     "key \"workflow\" [2:0-2:0] detail=\"top-level key · a mapping\" snippet as-is "
     "\"workflow:\\n  mode: ${1|interactive,yolo|}\\n  elicitation: ${2:advanced-elicitation}\"\n"
     "key \"sections\" [2:0-2:0] detail=\"top-level key · a list of sections\" snippet as-is "
     "\"sections:\\n  - id: ${1:section-id}\\n    title: ${2:Title}\"\n",
     NULL, "workflow sections"},
    {"an empty file", CURSOR, 1, 0, NULL, "template workflow sections", NULL},
    {"template: in an empty file", "te" CURSOR, 1, 0, NULL, "template workflow sections", NULL},
    {"under template:", "template:\n  id: a\n  " CURSOR "\n  version: 2\n", 1, 0, NULL,
     "name description output", NULL},
    {"output: under template:", "template:\n  id: a\n  out" CURSOR "\n", 1, 0,
     "key \"name\" [2:2-2:5] detail=\"key of `template:` · text\" plain \"name: \"\n"
     "key \"version\" [2:2-2:5] detail=\"key of `template:` · text\" plain \"version: \"\n"
     "key \"description\" [2:2-2:5] detail=\"key of `template:` · text\" plain \"description: \"\n"
     "key \"output\" [2:2-2:5] detail=\"key of `template:` · a mapping\" snippet as-is "
     "\"output:\\n    format: markdown\\n    filename: ${1:docs/name.md}\\n    title: \\\"${2:Title}\\\"\"\n",
     NULL, NULL},
    {"under output:", "template:\n  output:\n    filename: x\n    " CURSOR "\n", 0, 0, NULL, "format title", NULL},
    {"under workflow:", "workflow:\n  mode: yolo\n  " CURSOR "\n", 0, 0, NULL,
     "elicitation allow_skip custom_elicitation instruction", NULL},
    {"a new section item: its keys, id first", "sections:\n  - id: a\n  - " CURSOR "\n", 0, ' ', NULL,
     "id title instruction type template item_template prefix elicit repeatable condition optional owner "
     "editors readonly examples choices placeholder mermaid_type language columns rows details content "
     "items fields sections", NULL},
    {"over a key that has its colon: the name only", "workflow:\n  mo" CURSOR "de: yolo\n", 1, 0, NULL,
     "mode elicitation allow_skip custom_elicitation instruction", NULL},
    {"... replacing the name, plain", "template:\n  na" CURSOR "me: x\n  id: a\n", 1, 0,
     "key \"name\" [1:2-1:6] detail=\"key of `template:` · text\" plain \"name\"\n"
     "key \"version\" [1:2-1:6] detail=\"key of `template:` · text\" plain \"version\"\n"
     "key \"description\" [1:2-1:6] detail=\"key of `template:` · text\" plain \"description\"\n"
     "key \"output\" [1:2-1:6] detail=\"key of `template:` · a mapping\" plain \"output\"\n",
     NULL, NULL},
    {"section types after type:", "sections:\n  - id: a\n    type: " CURSOR "\n", 0, ' ', NULL,
     "bullet-list numbered-list paragraphs table code-block template-text mermaid repeatable-container "
     "conditional-block choice-selector code checklist key-value text checkbox-list structured-text choice "
     "structured-list structured-content skill-rating", NULL},
    {"a type value replaced whole, with its doc", "sections:\n  - id: a\n    type: ta" CURSOR "bel # x\n", 0, 0,
     NULL, NULL, NULL},
    {"mermaid types", "sections:\n  - id: a\n    mermaid_type: " CURSOR "\n", 0, 0, NULL,
     "flowchart sequenceDiagram classDiagram stateDiagram erDiagram gantt pie journey mindmap timeline "
     "quadrantChart xyChart sankey c4Context requirement packet block kanban graph sequence", NULL},
    {"booleans, right after the colon: a space first", "sections:\n  - id: a\n    elicit:" CURSOR "\n", 0, ':',
     "value \"true\" [2:11-2:11] detail=\"true or false\" plain \" true\"\n"
     "value \"false\" [2:11-2:11] detail=\"true or false\" plain \" false\"\n",
     NULL, NULL},
    {"readonly and optional are booleans", "sections:\n  - id: a\n    readonly: " CURSOR "\n    optional: t\n", 0, 0,
     NULL, "true false", NULL},
    {"workflow.mode: the spec's two", "workflow:\n  mode: " CURSOR "\n", 0, 0,
     "value \"interactive\" [1:8-1:8] detail=\"workflow mode\" plain \"interactive\"\n"
     "value \"yolo\" [1:8-1:8] detail=\"workflow mode\" plain \"yolo\"\n",
     NULL, NULL},
    {"mode elsewhere is no workflow mode", "sections:\n  - id: a\n    choices:\n      mode: " CURSOR "\n", 0, 0, "",
     NULL, NULL},
    {"a value with nothing to offer", "sections:\n  - id: a\n    title: " CURSOR "\n", 0, ' ', "", NULL, NULL},
    {"vars after {{, most used first, the one typed not counted",
     "template:\n  output:\n    filename: docs/{{epic}}.{{story}}.md\n"
     "sections:\n  - id: a\n    title: \"{{epic}} {{title}}\"\n    template: |\n      Epic {{ep" CURSOR "\n",
     0, '{',
     "placeholder \"epic\" [7:13-7:15] detail=\"variable: 2 uses in this template\" plain \"epic}}\"\n"
     "placeholder \"story\" [7:13-7:15] detail=\"variable: 1 use in this template\" plain \"story}}\"\n"
     "placeholder \"title\" [7:13-7:15] detail=\"variable: 1 use in this template\" plain \"title}}\"\n",
     NULL, NULL},
    {"inside a closed var: the name replaced, no closer",
     "sections:\n  - id: a\n    title: \"{{a}} {{b}}\"\n    template: \"{{x" CURSOR "yz}} more\"\n", 0, 0,
     "placeholder \"a\" [3:17-3:20] detail=\"variable: 1 use in this template\" plain \"a\"\n"
     "placeholder \"b\" [3:17-3:20] detail=\"variable: 1 use in this template\" plain \"b\"\n",
     NULL, NULL},
    {"a typed space on a blank line: nothing", "sections:\n  - id: a\n    " CURSOR "\n", 0, ' ', "", NULL, NULL},
    {"a typed ':' after a key being typed: nothing", "sections:\n  - id: a\n    ti:" CURSOR "\n", 0, ':', "", NULL, NULL},
    {"'{' alone: nothing", "sections:\n  - id: a\n    title: {" CURSOR "\n", 0, '{', "", NULL, NULL},
    {"a comment: nothing", "sections:\n  - id: a\n    # {{a}} ty" CURSOR "\n", 0, 0, "", NULL, NULL},
    {"a block of text: nothing but vars", "sections:\n  - id: a\n    template: |\n      ty" CURSOR "\n", 0, 0, "",
     NULL, NULL},
    {"a CRLF file keeps its line ending", "sections:\r\n  - id: a\r\n    sec" CURSOR "\r\n", 0, 0, NULL, NULL, NULL},
    {NULL, NULL, 0, 0, NULL, NULL, NULL},
};

static const char *kind_name(ft_comp_kind k) {
  return k == FT_COMP_KEY ? "key" : k == FT_COMP_VALUE ? "value" : k == FT_COMP_PLACEHOLDER ? "placeholder" : "?";
}

/* Is `word` one of the space-separated words of `words`? */
static int has_word(const char *words, const char *word) {
  size_t n = strlen(word);
  for (const char *p = words; (p = strstr(p, word)) != NULL; p += n)
    if ((p == words || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
  return 0;
}

static void render_items(fts_str *b, const yk_doc *d, const ft_completions *list, int labels_only,
                         const char *only) {
  for (size_t i = 0; i < list->len; i++) {
    const ft_comp_item *it = &list->items[i];
    if (labels_only) {
      fts_cat(b, "%s%s", i ? " " : "", it->label);
      continue;
    }
    if (only && !has_word(only, it->label)) continue;
    fts_cat(b, "%s ", kind_name(it->kind));
    fts_cat_quoted(b, it->label, strlen(it->label));
    fts_cat(b, " [");
    yk_pos(b, d, it->edit.start);
    fts_cat(b, "-");
    yk_pos(b, d, it->edit.end);
    fts_cat(b, "] detail=");
    fts_cat_quoted(b, it->detail ? it->detail : "", it->detail ? strlen(it->detail) : 0);
    fts_cat(b, " %s%s ", it->snippet ? "snippet" : "plain", it->as_is ? " as-is" : "");
    fts_cat_quoted(b, it->text, strlen(it->text));
    fts_cat(b, "\n");
  }
}

static ft_completions *complete(yk_doc *d, const char *input, int snippets, char trigger) {
  yk_open(d, input);
  return ft_completion_yaml(d->tm, d->cursor, snippets, trigger);
}

static void test_ykeys_completion(void **state) {
  (void)state;
  for (size_t i = 0; comp_cases[i].name; i++) {
    const comp_case *c = &comp_cases[i];
    if (!c->want && !c->labels) continue;
    yk_doc d;
    ft_completions *list = complete(&d, c->input, c->snippets, c->trigger);
    fts_str b = {0};
    render_items(&b, &d, list, c->want == NULL, c->only);
    fts_expect(c->name, fts_str_get(&b), c->want ? c->want : c->labels);
    assert_false(list->incomplete);
    fts_str_free(&b);
    ft_completion_free(list);
    yk_close(&d);
  }
  /* a type value: the whole value replaced (up to the comment), the type's doc */
  yk_doc d;
  ft_completions *list = complete(&d, "sections:\n  - id: a\n    type: ta" CURSOR "bel # x\n", 0, 0);
  assert_int_equal(list->len, 20);
  fts_str b = {0};
  render_items(&b, &d, list, 0, "table");
  fts_expect("type table", fts_str_get(&b),
             "value \"table\" [2:10-2:15] detail=\"section type\" plain \"table\"\n");
  assert_string_equal(list->items[3].doc, "A table: the section's `columns` give its header row.");
  assert_string_equal(list->items[0].doc, "An unordered list: each item starts with `- `.");
  fts_str_free(&b);
  ft_completion_free(list);
  yk_close(&d);
  /* a key's doc is its row's */
  list = complete(&d, "sections:\n  - id: a\n    cond" CURSOR "\n", 0, 0);
  assert_string_equal(list->items[8].label, "condition");
  assert_string_equal(list->items[8].doc, ft_ykey_find(FT_YPLACE_SECTION, "condition", 9)->doc);
  ft_completion_free(list);
  yk_close(&d);
  /* CRLF: the lines below the key end as the file's do */
  list = complete(&d, "sections:\r\n  - id: a\r\n    sec" CURSOR "\r\n", 0, 0);
  assert_string_equal(list->items[list->len - 1].label, "sections");
  assert_string_equal(list->items[list->len - 1].text, "sections:\r\n      - id: ");
  ft_completion_free(list);
  yk_close(&d);
}

/* ---- the real corpus ------------------------------------------------------ */

typedef GR_ARRAY(char *) names_t;

static names_t corpus_names(void) {
  names_t names = {0};
  DIR *dir = opendir(CORPUS);
  assert_non_null(dir);
  struct dirent *e;
  while ((e = readdir(dir)) != NULL) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) gr_array_push(&names, gr_strndup(e->d_name, n));
  }
  closedir(dir);
  return names;
}

static void free_names(names_t *names) {
  for (size_t i = 0; i < names->len; i++) gr_free(names->items[i]);
  gr_array_free(names);
}

static char *slurp_corpus(const char *name, size_t *len) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s", CORPUS, name);
  char *t = ts_slurp(path, len);
  assert_non_null(t);
  return t;
}

/*
 * Every 5th key of every valid corpus file (block mappings): the line scan
 * puts it in the mapping the tree does, with the same other keys, in order.
 */
static void test_ykeys_corpus_places_agree_with_the_tree(void **state) {
  (void)state;
  names_t names = corpus_names();
  assert_int_equal(names.len, 299);
  size_t files = 0, keys = 0, placed = 0, k3 = 0;
  for (size_t f = 0; f < names.len; f++) {
    size_t len;
    char *text = slurp_corpus(names.items[f], &len);
    yt_tmpl *tm = yt_tmpl_parse(text, len);
    const yt_tree *t = yt_tmpl_tree(tm);
    if (yt_tree_has_error(t)) {
      yt_tmpl_free(tm);
      gr_free(text);
      continue;
    }
    files++;
    for (uint32_t i = 1; i < yt_tree_count(t); i++) {
      const yt_node *x = yt_tree_node(t, i);
      if (!x->key_text || x->key.end == x->key.start || (k3++ % 5)) continue;
      const yt_node *p = yt_tree_node(t, x->parent);
      if (p->style == YT_STYLE_FLOW || text[x->key.start] == '"' || text[x->key.start] == '\'') continue;
      ft_yplace want = ft_yplace_of_node(tm, x->parent);
      ft_yctx c;
      ft_yctx_at(text, (uint32_t)len, x->key.start + 1, &c);
      ft_yplace got = c.what == FT_YWHAT_KEY ? c.place : FT_YPLACE_NONE;
      keys++;
      if (got != want)
        fail_msg("%s:%u: key %s in %s by the tree, %s by the lines", names.items[f], x->key.start, x->key_text,
                 place_names[want], place_names[got]);
      if (got != FT_YPLACE_NONE) {
        placed++;
        size_t j = 0;
        for (uint32_t k = p->first_child; k != YT_NONE; k = yt_tree_node(t, k)->next_sibling) {
          if (k == i) continue;
          const yt_node *y = yt_tree_node(t, k);
          if (j >= c.present.len || c.present.items[j].end - c.present.items[j].start != y->key_len ||
              memcmp(text + c.present.items[j].start, y->key_text, y->key_len) != 0)
            fail_msg("%s:%u: key %s: other key %zu is not %s", names.items[f], x->key.start, x->key_text, j,
                     y->key_text);
          j++;
        }
        if (j != c.present.len) fail_msg("%s:%u: key %s: more keys by the lines", names.items[f], x->key.start,
                                         x->key_text);
      }
      ft_yctx_free(&c);
    }
    yt_tmpl_free(tm);
    gr_free(text);
  }
  free_names(&names);
  assert_int_equal(files, 262);
  assert_true(keys > 7500);
  assert_true(placed > 7000);
}

typedef struct inv_stats {
  size_t hovers, items, offsets;
} inv_stats;

/* Hover and completion at offset `at` of text: spans where they belong, text valid UTF-8. */
static void check_at(const char *name, const char *text, uint32_t len, const yt_tmpl *tm, uint32_t at,
                     inv_stats *st) {
  st->offsets++;
  ft_hover *h = ft_hover_yaml(tm, at);
  uint32_t ha = at > len ? len : at; /* past the end is the end */
  if (h) {
    st->hovers++;
    if (h->span.start > ha || ha > h->span.end || h->span.end > len)
      fail_msg("%s@%u: hover span %u-%u", name, at, h->span.start, h->span.end);
    if (!fts_utf8_valid(h->markdown, strlen(h->markdown))) fail_msg("%s@%u: hover not UTF-8", name, at);
  }
  ft_hover_free(h);
  static const char triggers[] = {0, ' ', ':', '{'};
  for (size_t k = 0; k < sizeof triggers; k++) {
    ft_completions *list = ft_completion_yaml(tm, at, (int)(k & 1), triggers[k]);
    uint32_t c = at > len ? len : at;
    if (c > 0 && c < len && text[c] == '\n' && text[c - 1] == '\r') c--;
    for (size_t i = 0; i < list->len; i++) {
      gr_span e = list->items[i].edit;
      if (e.start > c || c > e.end || e.end > len || memchr(text + e.start, '\n', e.end - e.start) ||
          memchr(text + e.start, '\r', e.end - e.start))
        fail_msg("%s@%u: item %s edits %u-%u", name, at, list->items[i].label, e.start, e.end);
    }
    st->items += list->len;
    ft_completion_free(list);
  }
}

static void check_text(const char *name, const char *text, size_t len, uint32_t step, inv_stats *st) {
  yt_tmpl *tm = yt_tmpl_parse(text, len);
  for (uint32_t at = 0; at <= len; at += step) check_at(name, text, (uint32_t)len, tm, at, st);
  check_at(name, text, (uint32_t)len, tm, (uint32_t)len + 5, st); /* past the end */
  yt_tmpl_free(tm);
}

static void garbage_fn(const char *name, const fts_doc *doc, void *ud) {
  check_text(name, doc->text, doc->len, 29, ud);
}

/* Every broken corpus file (and a sample of the rest), and generated garbage. */
static void test_ykeys_broken_files_invariants(void **state) {
  (void)state;
  names_t names = corpus_names();
  inv_stats st = {0};
  size_t broken = 0;
  for (size_t f = 0; f < names.len; f++) {
    size_t len;
    char *text = slurp_corpus(names.items[f], &len);
    yt_tree *t = yt_parse(text, len);
    int bad = yt_tree_has_error(t);
    yt_tree_free(t);
    broken += (size_t)bad;
    if (bad || f % 25 == 0) check_text(names.items[f], text, len, bad ? 89 : 401, &st);
    gr_free(text);
  }
  free_names(&names);
  assert_int_equal(broken, 37);
  /* a broken YAML template line by line: a cursor at every byte */
  static const char broken_tmpl[] =
      "template:\n  id: x\n  output: {filename: [a\nsections:\n  - id: a\n    title: Example: Foo\n"
      "    type: `code\n  - - id: b\n    template: |\n      {{a}} {{\n    \"q\": 'x\n\t- id: c\n";
  check_text("broken", broken_tmpl, sizeof broken_tmpl - 1, 1, &st);
  fts_garbage_each(200, garbage_fn, &st);
  assert_true(st.hovers > 500);
  assert_true(st.items > 10000);
}

/* ---- caps and pathological input ----------------------------------------- */

static void test_ykeys_caps(void **state) {
  (void)state;
  /* 1500 distinct vars: 1000 offered, the list incomplete */
  fts_str in = {0};
  fts_cat(&in, "sections:\n  - id: a\n    title: \"");
  for (int i = 0; i < 1500; i++) fts_cat(&in, "{{v%d}} ", i);
  fts_cat(&in, "\"\n    template: \"{{" CURSOR "\"\n");
  yk_doc d;
  ft_completions *list = complete(&d, fts_str_get(&in), 0, '{');
  assert_int_equal(list->len, FT_COMP_MAX_ITEMS);
  assert_true(list->incomplete);
  ft_completion_free(list);
  yk_close(&d);
  fts_str_free(&in);
}

static void test_ykeys_pathological(void **state) {
  (void)state;
  clock_t t0 = clock();
  /* sections nested 400 deep: past the scan's depth, no place, no crash */
  fts_str in = {0};
  fts_cat(&in, "sections:\n");
  for (int i = 0; i < 400; i++) fts_cat(&in, "%*s- id: s%d\n%*ssections:\n", i * 4 + 2, "", i, i * 4 + 4, "");
  fts_cat(&in, "%*s- id: last\n%*sti" CURSOR "\n", 400 * 4 + 2, "", 400 * 4 + 4, "");
  yk_doc d;
  ft_completions *list = complete(&d, fts_str_get(&in), 0, 0);
  assert_int_equal(list->len, 0);
  ft_completion_free(list);
  ft_hover_free(ft_hover_yaml(d.tm, d.cursor));
  yk_close(&d);
  fts_str_free(&in);
  /* 60 deep is fine */
  fts_cat(&in, "sections:\n");
  for (int i = 0; i < 60; i++) fts_cat(&in, "%*s- id: s%d\n%*ssections:\n", i * 4 + 2, "", i, i * 4 + 4, "");
  fts_cat(&in, "%*s- id: last\n%*sti" CURSOR "\n", 60 * 4 + 2, "", 60 * 4 + 4, "");
  list = complete(&d, fts_str_get(&in), 0, 0);
  assert_int_equal(list->len, YT_SKEY_COUNT - 1); /* all but id */
  ft_completion_free(list);
  yk_close(&d);
  fts_str_free(&in);
  /* a 1 MB line of vars, and a cursor at its end */
  fts_cat(&in, "sections:\n  - id: a\n    title: \"");
  for (int i = 0; i < 100000; i++) fts_cat(&in, "{{v}} ");
  fts_cat(&in, "{{" CURSOR "\"\n");
  list = complete(&d, fts_str_get(&in), 0, '{');
  assert_int_equal(list->len, 1);
  assert_string_equal(list->items[0].detail, "variable: 100000 uses in this template");
  ft_completion_free(list);
  ft_hover *h = ft_hover_yaml(d.tm, d.cursor - 3);
  assert_non_null(h);
  assert_non_null(strstr(h->markdown, "Used 100000 times: section `a` title (100000)."));
  ft_hover_free(h);
  yk_close(&d);
  fts_str_free(&in);
  assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 5.0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_ykeys_table_matches_front_end),
      cmocka_unit_test(test_ykeys_cursor_places),
      cmocka_unit_test(test_ykeys_hover),
      cmocka_unit_test(test_ykeys_completion),
      cmocka_unit_test(test_ykeys_corpus_places_agree_with_the_tree),
      cmocka_unit_test(test_ykeys_broken_files_invariants),
      cmocka_unit_test(test_ykeys_caps),
      cmocka_unit_test(test_ykeys_pathological),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
