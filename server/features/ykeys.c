/*
 * ykeys.c: the meaning of a YAML template's keys and values, and where a
 * cursor stands (see ykeys.h).
 *
 * The docs say what the method's spec (common/utils/bmad-doc-template.md)
 * and its agents make of each key, and what tmpl-ls does with it; the keys
 * real templates use that the spec omits say where they come from.
 *
 * Where a cursor stands is read from the lines, not the tree: one pass
 * over the lines keeps a stack of the open block mappings and sequences
 * by column, as a YAML loader reads block structure. It reads a broken
 * file as far as its lines look like YAML, and a blank line by the
 * cursor's column, neither of which the tree can tell.
 */
#include "server/features/ykeys.h"

#include <string.h>

#include "server/features/edit.h"

/* ---- the table ----------------------------------------------------------- */

#define FT_YK__S(key, value, doc) {FT_YPLACE_SECTION, YT_SKEY_##key, NULL, value, 1, doc}
#define FT_YK__K(place, name, value, offered, doc) {place, YT_SKEY_COUNT, name, value, offered, doc}

static const ft_ykey ft_ykey__rows[] = {
    /* the top level */
    FT_YK__K(FT_YPLACE_TOP, "template", FT_YVALUE_MAPPING, 1,
             "The template's header: its `id`, `name` and `version`, and `output`: where the document "
             "is saved and its title."),
    FT_YK__K(FT_YPLACE_TOP, "workflow", FT_YVALUE_MAPPING, 1,
             "How the agent goes through the sections: its `mode` (`interactive` or `yolo`) and the "
             "`elicitation` task it runs."),
    FT_YK__K(FT_YPLACE_TOP, "sections", FT_YVALUE_SECTIONS, 1,
             "The document's sections, in order. Each is a `##` heading of the document; nested "
             "`sections` are one level deeper."),
    /* template: */
    FT_YK__K(FT_YPLACE_TEMPLATE, "id", FT_YVALUE_TEXT, 1,
             "The template's unique identifier, as `prd-template-v2`. Required."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "name", FT_YVALUE_TEXT, 1, "The template's name as people read it."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "version", FT_YVALUE_TEXT, 1,
             "The template's version, as `2.0`, to follow its changes."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "description", FT_YVALUE_TEXT, 1, "What the template is for."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "output", FT_YVALUE_MAPPING, 1,
             "The document written from the template: its `format`, its `filename` (where it is "
             "saved) and its `title` (its H1)."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "type", FT_YVALUE_TEXT, 0,
             "The kind of file (`document`), in a few templates; tmpl-ls does not read it."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "category", FT_YVALUE_TEXT, 0,
             "A group of templates (as `planning`), in a few templates; tmpl-ls does not read it."),
    FT_YK__K(FT_YPLACE_TEMPLATE, "sections", FT_YVALUE_SECTIONS, 0,
             "Sections listed under `template:`, in a few templates; the document's sections are the "
             "top-level `sections:`."),
    /* template.output: */
    FT_YK__K(FT_YPLACE_OUTPUT, "format", FT_YVALUE_TEXT, 1, "The document's format: `markdown`."),
    FT_YK__K(FT_YPLACE_OUTPUT, "filename", FT_YVALUE_TEXT, 1,
             "Where the document is saved, as `docs/prd.md`; may hold `{{vars}}`. A document at a "
             "matching path is checked against this template."),
    FT_YK__K(FT_YPLACE_OUTPUT, "title", FT_YVALUE_TEXT, 1,
             "The document's title: its H1 heading. May hold `{{vars}}`, which match any text."),
    FT_YK__K(FT_YPLACE_OUTPUT, "append_mode", FT_YVALUE_BOOL, 0,
             "When true the agent adds to the file instead of replacing it, in a few templates."),
    /* workflow: */
    FT_YK__K(FT_YPLACE_WORKFLOW, "mode", FT_YVALUE_MODE, 1,
             "How the agent goes through the sections: `interactive` (one by one, with the user) or "
             "`yolo` (all at once)."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "elicitation", FT_YVALUE_TEXT, 1,
             "The task the agent runs to question the user after a section with `elicit: true`, as "
             "`advanced-elicitation`."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "allow_skip", FT_YVALUE_BOOL, 1,
             "Whether the user may skip sections."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "custom_elicitation", FT_YVALUE_MAPPING, 1,
             "The template's own elicitation actions (a `title` and its `options`), offered in place "
             "of the standard ones."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "instruction", FT_YVALUE_BLOCK, 1,
             "Guidance for the agent on the workflow as a whole."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "mode_selection", FT_YVALUE_MAPPING, 0,
             "Guidance for choosing a mode, in a few templates."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "trigger", FT_YVALUE_TEXT, 0,
             "What starts the workflow, in a few templates."),
    FT_YK__K(FT_YPLACE_WORKFLOW, "validation", FT_YVALUE_TEXT, 0,
             "The checklist the finished document is validated with, in a few templates."),
    /* a section: the spec's keys */
    FT_YK__S(ID, FT_YVALUE_TEXT,
             "The section's identifier, unique in the template. Required: agents and other sections "
             "refer to the section by it."),
    FT_YK__S(TITLE, FT_YVALUE_TEXT,
             "The section's heading in the document: `##` at the top level, one `#` more per level of "
             "nesting. `{{vars}}` in it match any text; without a title the section writes under its "
             "parent's heading."),
    FT_YK__S(INSTRUCTION, FT_YVALUE_TEXT,
             "Guidance for the agent on writing the section (the Markdown templates' `[[LLM: ]]`). It "
             "never belongs in the document."),
    FT_YK__S(TYPE, FT_YVALUE_TYPE,
             "What the section's content is: a list, a table, code, a diagram... Completion and "
             "\"Insert missing section\" in a document write its start from it."),
    FT_YK__S(TEMPLATE, FT_YVALUE_BLOCK,
             "The section's fixed text, with `{{vars}}` for the agent to fill in."),
    FT_YK__S(ITEM_TEMPLATE, FT_YVALUE_TEXT,
             "The text of each item of a list, or of each instance of a `repeatable` section, with "
             "`{{vars}}`."),
    FT_YK__S(PREFIX, FT_YVALUE_TEXT,
             "The prefix of a numbered list's items: `FR` numbers them FR1, FR2, ..."),
    FT_YK__S(ELICIT, FT_YVALUE_BOOL,
             "When true the agent stops after writing the section and questions the user (the "
             "workflow's `elicitation`) before going on."),
    FT_YK__S(REPEATABLE, FT_YVALUE_BOOL,
             "When true the section may occur any number of times in the document (the Markdown "
             "templates' `<<REPEAT>>`)."),
    FT_YK__S(CONDITION, FT_YVALUE_TEXT,
             "The section is written only when this holds, as `has UI requirements`, so the document "
             "may lack it (the Markdown templates' `^^CONDITION^^`)."),
    FT_YK__S(OPTIONAL, FT_YVALUE_BOOL,
             "When true the document may lack the section, as with a `condition`."),
    FT_YK__S(OWNER, FT_YVALUE_TEXT, "The agent role that first writes the section, as `scrum-master`."),
    FT_YK__S(EDITORS, FT_YVALUE_FLOW,
             "The agent roles allowed to change the section, as `[dev-agent, qa-agent]`."),
    FT_YK__S(READONLY, FT_YVALUE_BOOL, "When true the section may not change once it is written."),
    FT_YK__S(EXAMPLES, FT_YVALUE_LIST,
             "Examples of the content for the agent to follow; never written into the document (the "
             "Markdown templates' `@{example}`)."),
    FT_YK__S(CHOICES, FT_YVALUE_MAPPING,
             "Options for the decisions the section asks for: each name maps to its list of options, "
             "as `testing: [Unit only, Full pyramid]`."),
    FT_YK__S(PLACEHOLDER, FT_YVALUE_TEXT, "Text that stands in the section until it is written."),
    FT_YK__S(MERMAID_TYPE, FT_YVALUE_MERMAID,
             "The kind of diagram of a `type: mermaid` section: its mermaid fence starts with it."),
    /* a section: keys real templates use that the spec omits */
    FT_YK__S(LANGUAGE, FT_YVALUE_TEXT,
             "The language of a `type: code` section's fence, as `yaml` or `typescript`."),
    FT_YK__S(COLUMNS, FT_YVALUE_FLOW,
             "A table's column headers, as `[Category, Technology, Version]`: the table's header row."),
    FT_YK__S(ROWS, FT_YVALUE_ITEMS, "A table's rows, each a mapping, in some templates."),
    FT_YK__S(DETAILS, FT_YVALUE_BLOCK,
             "More about the content, such as what a mermaid diagram shows."),
    FT_YK__S(CONTENT, FT_YVALUE_BLOCK,
             "The section's fixed text, in some templates (the spec's key is `template`)."),
    FT_YK__S(ITEMS, FT_YVALUE_LIST, "The items of a list or checklist section, in some templates."),
    FT_YK__S(FIELDS, FT_YVALUE_ITEMS,
             "The fields of a structured section, as `name: value` items, in some templates."),
    FT_YK__S(SECTIONS, FT_YVALUE_SECTIONS,
             "The section's subsections, in order: each is one heading level deeper."),
    /* a section: keys some packs use that tmpl-ls knows but does not read */
    FT_YK__K(FT_YPLACE_SECTION, "name", FT_YVALUE_TEXT, 0,
             "A name for the section, in some packs' templates; the heading is `title`."),
    FT_YK__K(FT_YPLACE_SECTION, "description", FT_YVALUE_TEXT, 0,
             "What the section holds, in some packs' templates; guidance for the agent goes in "
             "`instruction`."),
    FT_YK__K(FT_YPLACE_SECTION, "section_id", FT_YVALUE_TEXT, 0,
             "Some packs' spelling of `id`; tmpl-ls reads `id`."),
    FT_YK__K(FT_YPLACE_SECTION, "section_title", FT_YVALUE_TEXT, 0,
             "Some packs' spelling of `title`; tmpl-ls reads `title`."),
    FT_YK__K(FT_YPLACE_SECTION, "section_type", FT_YVALUE_TEXT, 0,
             "Some packs' spelling of `type`; tmpl-ls reads `type`."),
    FT_YK__K(FT_YPLACE_SECTION, "subsections", FT_YVALUE_ITEMS, 0,
             "Some packs' spelling of `sections`; tmpl-ls reads `sections`."),
    FT_YK__K(FT_YPLACE_SECTION, "required", FT_YVALUE_BOOL, 0,
             "Marks the section as required, in some packs' templates; to tmpl-ls a section is "
             "required unless it has a `condition` or `optional: true`."),
    FT_YK__K(FT_YPLACE_SECTION, "section_template", FT_YVALUE_BLOCK, 0,
             "Some packs' spelling of `template`; tmpl-ls reads `template`."),
    FT_YK__K(FT_YPLACE_SECTION, "elicitation_questions", FT_YVALUE_LIST, 0,
             "Questions for the agent to ask the user about the section, in some packs' templates."),
    FT_YK__K(FT_YPLACE_SECTION, "table_headers", FT_YVALUE_FLOW, 0,
             "Some packs' spelling of `columns`; tmpl-ls reads `columns`."),
    FT_YK__K(FT_YPLACE_SECTION, "custom_elicitation", FT_YVALUE_MAPPING, 0,
             "The section's own elicitation actions, in some packs' templates."),
    FT_YK__K(FT_YPLACE_SECTION, "note", FT_YVALUE_TEXT, 0, "A note for the agent about the section."),
    FT_YK__K(FT_YPLACE_SECTION, "table_guidance", FT_YVALUE_TEXT, 0,
             "Guidance for filling in the section's table, in some packs' templates."),
    FT_YK__K(FT_YPLACE_SECTION, "min_items", FT_YVALUE_TEXT, 0,
             "The fewest items the section's list should hold, in some packs' templates."),
    FT_YK__K(FT_YPLACE_SECTION, "max_items", FT_YVALUE_TEXT, 0,
             "The most items the section's list should hold, in some packs' templates."),
    FT_YK__K(FT_YPLACE_SECTION, "rating-scale", FT_YVALUE_FLOW, 0,
             "The levels of a `skill-rating` section, as `[Beginner, Expert]`."),
};

#undef FT_YK__S
#undef FT_YK__K

size_t ft_ykey_count(void) { return sizeof ft_ykey__rows / sizeof ft_ykey__rows[0]; }

const ft_ykey *ft_ykey_row(size_t i) { return i < ft_ykey_count() ? &ft_ykey__rows[i] : NULL; }

const char *ft_ykey_name(const ft_ykey *k) { return k->skey < YT_SKEY_COUNT ? yt_skey_name((yt_skey)k->skey) : k->name; }

static int ft_ykey__eq(const char *s, size_t n, const char *w) { return strlen(w) == n && memcmp(s, w, n) == 0; }

const ft_ykey *ft_ykey_find(ft_yplace place, const char *s, size_t n) {
  for (size_t i = 0; i < ft_ykey_count(); i++) {
    const ft_ykey *k = &ft_ykey__rows[i];
    if (k->place == place && ft_ykey__eq(s, n, ft_ykey_name(k))) return k;
  }
  return NULL;
}

const char *ft_ykey_place_label(ft_yplace place) {
  static const char *const labels[FT_YPLACE_COUNT] = {
      "key", "top-level key", "key of `template:`", "key of `template.output:`", "key of `workflow:`",
      "section key"};
  return (unsigned)place < FT_YPLACE_COUNT ? labels[place] : labels[0];
}

const char *ft_ykey_value_label(ft_yvalue value) {
  static const char *const labels[FT_YVALUE_COUNT] = {
      "text",     "text (a `|` block for several lines)", "true or false", "a list", "a list ([A, B])",
      "a list of mappings", "a mapping", "a list of sections", "a section type",
      "a mermaid diagram type", "a workflow mode"};
  return (unsigned)value < FT_YVALUE_COUNT ? labels[value] : labels[0];
}

/* ---- values -------------------------------------------------------------- */

static const char *const ft_ykey__type_docs[YT_TYPE_COUNT] = {
    [YT_TYPE_BULLET_LIST] = "An unordered list: each item starts with `- `.",
    [YT_TYPE_NUMBERED_LIST] =
        "An ordered list: `1. `, `2. `..., with the section's `prefix` when it has one (`1. FR1: `).",
    [YT_TYPE_PARAGRAPHS] = "Prose, in paragraphs.",
    [YT_TYPE_TABLE] = "A table: the section's `columns` give its header row.",
    [YT_TYPE_CODE_BLOCK] = "A fenced block of code or configuration, in the section's `language`.",
    [YT_TYPE_TEMPLATE_TEXT] = "The section's `template` text, its `{{vars}}` filled in.",
    [YT_TYPE_MERMAID] =
        "A mermaid diagram: a fence that starts with the section's `mermaid_type`; `details` says "
        "what it shows.",
    [YT_TYPE_REPEATABLE_CONTAINER] = "A container of subsections written once per instance.",
    [YT_TYPE_CONDITIONAL_BLOCK] = "Content written only when the section's `condition` holds.",
    [YT_TYPE_CHOICE_SELECTOR] = "Options put to the user, who picks one (see `choices`).",
    [YT_TYPE_CODE] =
        "A fenced code block in the section's `language` (real templates' name for `code-block`).",
    [YT_TYPE_CHECKLIST] = "A checklist: `- [ ] ` items.",
    [YT_TYPE_KEY_VALUE] = "Pairs of a name and its value, in some templates.",
    [YT_TYPE_TEXT] = "Prose (real templates' name for `paragraphs`).",
    [YT_TYPE_CHECKBOX_LIST] = "A list of checkboxes: `- [ ] ` items.",
    [YT_TYPE_STRUCTURED_TEXT] = "Text in a fixed shape, as its `template` shows, in some templates.",
    [YT_TYPE_CHOICE] = "Options put to the user, who picks one (real templates' name for `choice-selector`).",
    [YT_TYPE_STRUCTURED_LIST] = "A list whose items follow the section's `item_template`, in some packs.",
    [YT_TYPE_STRUCTURED_CONTENT] = "Content in a fixed shape, in some packs.",
    [YT_TYPE_SKILL_RATING] = "Skills, each rated on the section's `rating-scale`, in some packs.",
};

const char *ft_ykey_type_doc(yt_stype type) {
  return (unsigned)type < YT_TYPE_COUNT ? ft_ykey__type_docs[type] : NULL;
}

typedef struct ft_ykey__value {
  const char *name;
  const char *doc;
} ft_ykey__value;

/* The names are yt_names_list(YT_NAMES_MERMAID_TYPES)'s (the test holds them to it). */
static const ft_ykey__value ft_ykey__mermaid[] = {
    {"flowchart", "Flowcharts and process diagrams."},
    {"sequenceDiagram", "Sequence diagrams of interactions."},
    {"classDiagram", "Class diagrams (UML)."},
    {"stateDiagram", "State transition diagrams."},
    {"erDiagram", "Entity relationship diagrams."},
    {"gantt", "Gantt charts, for schedules."},
    {"pie", "Pie charts."},
    {"journey", "User journey diagrams."},
    {"mindmap", "Mind maps, for brainstorming."},
    {"timeline", "Timelines of events in order."},
    {"quadrantChart", "Quadrant charts, to classify data."},
    {"xyChart", "XY charts: bars and lines."},
    {"sankey", "Sankey diagrams of flows."},
    {"c4Context", "C4 context diagrams (experimental in mermaid)."},
    {"requirement", "Requirement diagrams."},
    {"packet", "Network packet diagrams."},
    {"block", "Block diagrams."},
    {"kanban", "Kanban boards."},
    {"graph", "Flowcharts: mermaid's older keyword for `flowchart`."},
    {"sequence", "Sequence diagrams: real templates' short form of `sequenceDiagram`, which is what "
                 "mermaid itself needs."},
};

/* yt_names_list(YT_NAMES_MODES)'s; completion offers the spec's two. */
static const ft_ykey__value ft_ykey__modes[] = {
    {"interactive", "One section at a time: the agent drafts each with the user, and stops to ask "
                    "where a section has `elicit: true`."},
    {"yolo", "All at once: the agent writes every section without stopping to ask."},
    {"guided", "A mode some packs' templates use; the method's agents know `interactive` and `yolo`."},
    {"non-interactive", "A mode some packs' templates use; the method's agents know `interactive` and `yolo`."},
    {"rapid", "A mode some packs' templates use; the method's agents know `interactive` and `yolo`."},
    {"automated", "A mode some packs' templates use; the method's agents know `interactive` and `yolo`."},
    {"structured", "A mode some packs' templates use; the method's agents know `interactive` and `yolo`."},
};

static const char *ft_ykey__value_doc(const ft_ykey__value *v, size_t count, const char *s, size_t n) {
  for (size_t i = 0; i < count; i++)
    if (ft_ykey__eq(s, n, v[i].name)) return v[i].doc;
  return NULL;
}

const char *ft_ykey_mermaid_doc(const char *s, size_t n) {
  return ft_ykey__value_doc(ft_ykey__mermaid, sizeof ft_ykey__mermaid / sizeof ft_ykey__mermaid[0], s, n);
}

const char *ft_ykey_mode_doc(const char *s, size_t n) {
  return ft_ykey__value_doc(ft_ykey__modes, sizeof ft_ykey__modes / sizeof ft_ykey__modes[0], s, n);
}

int ft_ykey_mode_offered(const char *s, size_t n) {
  return ft_ykey__eq(s, n, "interactive") || ft_ykey__eq(s, n, "yolo");
}

/* ---- places -------------------------------------------------------------- */

/* One step of the way from the top level to a mapping: a mapping or
 * sequence, reached by a key (name) or as a list item (name NULL). */
typedef struct ft_yplace__step {
  uint8_t seq;
  const char *name;
  size_t len;
} ft_yplace__step;

static int ft_yplace__is(const ft_yplace__step *s, int seq, const char *name) {
  return s->seq == seq && (name ? s->name && ft_ykey__eq(s->name, s->len, name) : !s->name);
}

/* steps[0..n): from the top-level mapping's child down to the mapping itself. */
static ft_yplace ft_yplace__classify(const ft_yplace__step *steps, size_t n) {
  if (n == 0) return FT_YPLACE_TOP;
  if (n == 1 && ft_yplace__is(&steps[0], 0, "template")) return FT_YPLACE_TEMPLATE;
  if (n == 1 && ft_yplace__is(&steps[0], 0, "workflow")) return FT_YPLACE_WORKFLOW;
  if (n == 2 && ft_yplace__is(&steps[0], 0, "template") && ft_yplace__is(&steps[1], 0, "output"))
    return FT_YPLACE_OUTPUT;
  if (n % 2) return FT_YPLACE_NONE;
  for (size_t i = 0; i < n; i += 2)
    if (!ft_yplace__is(&steps[i], 1, "sections") || !ft_yplace__is(&steps[i + 1], 0, NULL))
      return FT_YPLACE_NONE;
  return FT_YPLACE_SECTION;
}

ft_yplace ft_yplace_of_node(const yt_tmpl *tm, uint32_t map) {
  const yt_tree *t = yt_tmpl_tree(tm);
  const yt_node *m = yt_tree_node(t, map);
  if (!m || m->kind != YT_MAPPING) return FT_YPLACE_NONE;
  GR_ARRAY(ft_yplace__step) steps = {0};
  uint32_t i = map;
  for (const yt_node *n = m; n->parent != YT_NONE; i = n->parent, n = yt_tree_node(t, i)) {
    const yt_node *p = yt_tree_node(t, n->parent);
    ft_yplace__step s = {n->kind == YT_SEQUENCE, p->kind == YT_MAPPING ? n->key_text : NULL,
                         p->kind == YT_MAPPING ? n->key_len : 0};
    gr_array_push(&steps, s);
  }
  ft_yplace place = FT_YPLACE_NONE;
  if (yt_tree_node(t, i)->kind == YT_MAPPING) {
    for (size_t a = 0, b = steps.len; a + 1 < b; a++, b--) { /* root first */
      ft_yplace__step x = steps.items[a];
      steps.items[a] = steps.items[b - 1];
      steps.items[b - 1] = x;
    }
    place = ft_yplace__classify(steps.items, steps.len);
  }
  gr_array_free(&steps);
  return place;
}

/* ---- the cursor: lines --------------------------------------------------- */

/*
 * A line's shape: its indentation, the columns of the "- " markers that
 * open it, then a key (quotes excluded) and what follows its ':', or a
 * value with no key. Columns count bytes from the line's start.
 */
typedef struct ft_yline {
  uint32_t start, end; /* content, without the terminator */
  uint32_t indent;
  int blank;           /* nothing but blanks, or a comment */
  uint32_t dashes[4];
  int ndash;           /* "- - - - x" deeper than 4 is read as the last 4 */
  uint32_t at;         /* where the key or value starts (after indentation and dashes) */
  int has_key;
  gr_span key;         /* the key's name */
  uint32_t colon;      /* the ':' after it */
  gr_span value;       /* after the ':' (or at `at` without a key): trimmed, up to a comment */
  int block;           /* the value is a block scalar's indicator: | or > */
  int flow;            /* no key: the value starts a flow collection or a complex key */
} ft_yline;

static int ft_yline__blank(char c) { return c == ' ' || c == '\t'; }

/* Where a comment starts in [from, end): a '#' after a blank, outside quotes. */
static uint32_t ft_yline__comment(const char *t, uint32_t from, uint32_t end) {
  char q = 0;
  for (uint32_t i = from; i < end; i++) {
    char c = t[i];
    if (q) {
      if (c == q) q = 0;
      continue;
    }
    if ((c == '"' || c == '\'') && (i == from || ft_yline__blank(t[i - 1]) || t[i - 1] == '[' ||
                                    t[i - 1] == '{' || t[i - 1] == ','))
      q = c;
    else if (c == '#' && (i == from || ft_yline__blank(t[i - 1])))
      return i;
  }
  return end;
}

/* A key at `i`: a quoted one, or a plain word up to ": " (":" at the line's end). */
static int ft_yline__key(const char *t, uint32_t i, uint32_t end, gr_span *key, uint32_t *colon) {
  if (i >= end) return 0;
  char c = t[i];
  if (c == '"' || c == '\'') {
    uint32_t j = i + 1;
    while (j < end && t[j] != c) j += (c == '"' && t[j] == '\\' && j + 1 < end) ? 2 : 1;
    if (j >= end) return 0;
    uint32_t k = j + 1;
    while (k < end && ft_yline__blank(t[k])) k++;
    if (k >= end || t[k] != ':' || (k + 1 < end && !ft_yline__blank(t[k + 1]))) return 0;
    *key = (gr_span){i + 1, j};
    *colon = k;
    return 1;
  }
  if (strchr("[]{},#&*!|>%@`?", c)) return 0;
  for (uint32_t j = i; j < end; j++) {
    if (t[j] == '#' && j > i && ft_yline__blank(t[j - 1])) return 0;
    if (t[j] == ':' && (j + 1 == end || ft_yline__blank(t[j + 1]))) {
      uint32_t e = j;
      while (e > i && ft_yline__blank(t[e - 1])) e--;
      if (e == i) return 0;
      *key = (gr_span){i, e};
      *colon = j;
      return 1;
    }
  }
  return 0;
}

static void ft_yline_read(const char *t, uint32_t len, uint32_t start, ft_yline *l) {
  memset(l, 0, sizeof *l);
  l->start = start;
  l->end = ft_edit_line_end(t, len, start);
  uint32_t i = start, end = l->end;
  while (i < end && t[i] == ' ') i++;
  l->indent = i - start;
  /* "- " markers */
  while (i < end && t[i] == '-' && (i + 1 == end || ft_yline__blank(t[i + 1]))) {
    if (l->ndash == 4) memmove(l->dashes, l->dashes + 1, sizeof l->dashes[0] * 3), l->ndash--;
    l->dashes[l->ndash++] = i - start;
    i++;
    while (i < end && ft_yline__blank(t[i])) i++;
  }
  l->at = i;
  uint32_t cend = ft_yline__comment(t, i, end);
  while (cend > i && ft_yline__blank(t[cend - 1])) cend--;
  if (i == cend && !l->ndash) {
    l->blank = 1;
    return;
  }
  uint32_t v = i;
  if (ft_yline__key(t, i, cend, &l->key, &l->colon)) {
    l->has_key = 1;
    v = l->colon + 1;
    while (v < cend && ft_yline__blank(t[v])) v++;
  } else if (i < cend && strchr("[{?", t[i])) {
    l->flow = 1;
  }
  l->value = (gr_span){v, cend > v ? cend : v};
  if (l->value.end > l->value.start && (t[v] == '|' || t[v] == '>')) {
    l->block = 1;
    for (uint32_t k = v + 1; k < l->value.end; k++)
      if (!strchr("+-0123456789", t[k])) l->block = 0;
  }
}

/* ---- the cursor: the stack of open collections -------------------------- */

#define FT_YCTX__MAX_DEPTH 256

typedef struct ft_yframe {
  uint8_t seq;        /* 1: a sequence; 0: a mapping */
  uint8_t pending;    /* the last key (mapping) or item (sequence) has no value on its line yet */
  uint32_t col;       /* its keys' or dashes' column */
  gr_span name;       /* the key it is the value of; empty for a list item */
  uint8_t by_key;     /* reached by a key (name) rather than as a list item */
  gr_span last;       /* mapping: the last key read */
  uint32_t serial;
} ft_yframe;

typedef struct ft_yscan {
  const char *t;
  ft_yframe stack[FT_YCTX__MAX_DEPTH]; /* deeper collections are no place: nothing goes in them */
  int depth;
  uint32_t serial;
  uint32_t skip_over; /* lines indented deeper than this continue a value (UINT32_MAX: none) */
  int skip_block;     /* that value is a block scalar (| or >) */
  int ended;          /* past the first document */
} ft_yscan;

static int ft_yscan__push(ft_yscan *s, int seq, uint32_t col) {
  if (s->depth == FT_YCTX__MAX_DEPTH) return -1;
  ft_yframe *parent = s->depth ? &s->stack[s->depth - 1] : NULL;
  ft_yframe f;
  memset(&f, 0, sizeof f);
  f.seq = (uint8_t)seq;
  f.col = col;
  if (parent && !parent->seq) {
    f.name = parent->last;
    f.by_key = 1;
  }
  if (parent) parent->pending = 0;
  f.serial = ++s->serial;
  s->stack[s->depth++] = f;
  return 0;
}

/* The sequence a "- " at column d belongs to (pushed when new), or -1.
 * The item stays pending until its content is read. */
static int ft_yscan__dash(ft_yscan *s, uint32_t d) {
  while (s->depth) {
    ft_yframe *f = &s->stack[s->depth - 1];
    if (f->col > d || (f->col == d && !f->seq && !f->pending)) s->depth--;
    else break;
  }
  ft_yframe *top = s->depth ? &s->stack[s->depth - 1] : NULL;
  if (!(top && top->seq && top->col == d)) {
    if (top && !(top->pending && top->col <= d)) return -1; /* a list where none can start */
    if (ft_yscan__push(s, 1, d) < 0) return -1;
  }
  s->stack[s->depth - 1].pending = 1;
  return s->depth - 1;
}

/* The mapping a key at column k belongs to (pushed when new), or -1. */
static int ft_yscan__key(ft_yscan *s, uint32_t k) {
  while (s->depth) {
    ft_yframe *f = &s->stack[s->depth - 1];
    if (f->col > k || (f->seq && f->col >= k)) s->depth--;
    else break;
  }
  ft_yframe *top = s->depth ? &s->stack[s->depth - 1] : NULL;
  if (top && !top->seq && top->col == k) return s->depth - 1;
  if (top && !(top->pending && top->col < k)) return -1;
  return ft_yscan__push(s, 0, k) < 0 ? -1 : s->depth - 1;
}

/* The place of frame f. */
static ft_yplace ft_yscan__place(const ft_yscan *s, int f) {
  if (f < 0 || s->stack[0].seq) return FT_YPLACE_NONE;
  ft_yplace__step steps[FT_YCTX__MAX_DEPTH];
  for (int i = 1; i <= f; i++) {
    const ft_yframe *x = &s->stack[i];
    steps[i - 1].seq = x->seq;
    steps[i - 1].name = x->by_key ? s->t + x->name.start : NULL;
    steps[i - 1].len = x->by_key ? x->name.end - x->name.start : 0;
  }
  return ft_yplace__classify(steps, (size_t)f);
}

static int ft_yscan__doc_marker(const ft_yscan *s, const ft_yline *l) {
  const char *t = s->t;
  uint32_t n = l->end - l->start;
  return l->indent == 0 && n >= 3 &&
         (memcmp(t + l->start, "---", 3) == 0 || memcmp(t + l->start, "...", 3) == 0) &&
         (n == 3 || ft_yline__blank(t[l->start + 3]));
}

/*
 * Read a line that is not the cursor's: its dashes and key update the
 * stack. Returns the frame its key went to, or -1.
 */
static int ft_yscan__line(ft_yscan *s, const ft_yline *l) {
  if (s->ended) return -1;
  if (ft_yscan__doc_marker(s, l)) {
    if (s->depth) s->ended = 1; /* another document */
    return -1;
  }
  if (l->blank) return -1;
  if (s->skip_over != UINT32_MAX && l->indent > s->skip_over) return -1; /* a value goes on */
  s->skip_over = UINT32_MAX;
  if (l->indent == 0 && s->t[l->start] == '%') return -1; /* a directive */
  int f = -1;
  for (int d = 0; d < l->ndash; d++)
    if ((f = ft_yscan__dash(s, l->dashes[d])) < 0) return -1;
  uint32_t at = l->at - l->start;
  if (l->has_key) {
    int m = ft_yscan__key(s, at);
    if (m < 0) return -1;
    ft_yframe *fr = &s->stack[m];
    fr->last = l->key;
    fr->pending = l->value.end == l->value.start;
    if (!fr->pending) s->skip_over = at, s->skip_block = l->block; /* deeper lines continue the value */
    return m;
  }
  if (l->ndash) {
    ft_yframe *sq = &s->stack[f];
    sq->pending = l->value.end == l->value.start;
    if (!sq->pending) s->skip_over = l->dashes[l->ndash - 1], s->skip_block = l->block;
    return -1;
  }
  /* a value on a line of its own: the pending key's, or text that is no structure */
  ft_yframe *top = s->depth ? &s->stack[s->depth - 1] : NULL;
  if (top && top->pending && top->col < l->indent) {
    top->pending = 0;
    s->skip_over = top->col;
    s->skip_block = l->block;
  }
  return -1;
}

/* A key read before the cursor's line, and the mapping it went to. */
typedef struct ft_yctx__seen {
  uint32_t serial;
  gr_span key;
} ft_yctx__seen;

/*
 * The cursor's line, read up to the cursor: what is typed there, and the
 * frame of its key (-1 for none). The stack is updated as for any line.
 */
static int ft_yctx__cursor_line(ft_yscan *s, const ft_yline *l, uint32_t c, ft_yctx *ctx) {
  const char *text = s->t;
  uint32_t cls = l->start, col = c - cls;
  if (s->ended || ft_yscan__doc_marker(s, l)) return -1;
  int in_value = s->skip_over != UINT32_MAX && (l->blank ? col : l->indent) > s->skip_over;
  if (in_value && s->skip_block) return -1; /* a block of text: '#' is text there too */
  if (c > ft_yline__comment(text, cls, l->end)) {
    ctx->comment = 1;
    return -1;
  }
  if (in_value) return -1; /* a value going on from the lines above */
  s->skip_over = UINT32_MAX;
  if (l->blank) {
    /* nothing but blanks before the cursor: a key would go at its column */
    for (uint32_t i = cls; i < c; i++)
      if (!ft_yline__blank(text[i])) return -1;
    ctx->what = FT_YWHAT_KEY;
    ctx->col = col;
    return ft_yscan__key(s, col);
  }
  if (c < l->at || l->flow) return -1; /* in the indentation, among the dashes, or in a flow collection */
  for (int d = 0; d < l->ndash; d++)
    if (ft_yscan__dash(s, l->dashes[d]) < 0) return -1;
  if (l->has_key && c > l->colon) {
    ctx->what = FT_YWHAT_VALUE;
    ctx->key = l->key;
    ctx->has_colon = 1;
    uint32_t vs = l->colon + 1, ve = l->value.end;
    ctx->space = vs < l->end && ft_yline__blank(text[vs]);
    while (vs < c && ft_yline__blank(text[vs])) vs++;
    if (vs < ve && (text[vs] == '"' || text[vs] == '\'')) {
      char q = text[vs++];
      if (ve > vs && text[ve - 1] == q) ve--;
    }
    if (vs > c) vs = c;
    if (ve < c) ve = c;
    ctx->value = (gr_span){vs, ve};
  } else {
    /* a key being typed: one plain word, the cursor in it */
    uint32_t ks = l->at, ke = ks;
    if (l->has_key) {
      if (text[ks] == '"' || text[ks] == '\'') return -1;
      ke = l->key.end;
    } else {
      while (ke < l->end && !ft_yline__blank(text[ke]) && text[ke] != ':') ke++;
      for (uint32_t i = ke; i < l->end; i++)
        if (!ft_yline__blank(text[i])) return -1; /* a value, not a key */
      if (ke > ks && strchr("\"'[]{},#&*!|>%@`?", text[ks])) return -1;
    }
    if (c > ke) return -1;
    ctx->what = FT_YWHAT_KEY;
    ctx->key = (gr_span){ks, ke};
    ctx->has_colon = l->has_key;
  }
  ctx->col = l->at - cls;
  ctx->new_item = l->ndash > 0;
  int m = ft_yscan__key(s, ctx->col);
  if (m >= 0) {
    s->stack[m].last = ctx->key;
    s->stack[m].pending = ctx->what == FT_YWHAT_VALUE ? ctx->value.end == ctx->value.start : 0;
    if (ctx->what == FT_YWHAT_VALUE && ctx->value.end > ctx->value.start) {
      s->skip_over = ctx->col;
      s->skip_block = l->block;
    }
  }
  return m;
}

void ft_yctx_at(const char *text, uint32_t len, uint32_t offset, ft_yctx *ctx) {
  memset(ctx, 0, sizeof *ctx);
  uint32_t c = offset > len ? len : offset;
  if (c > 0 && c < len && text[c] == '\n' && text[c - 1] == '\r') c--;
  ctx->key = ctx->value = (gr_span){c, c};
  uint32_t cls = ft_edit_line_start(text, len, c);
  ft_yscan *s = gr_calloc(1, sizeof *s);
  s->t = text;
  s->skip_over = UINT32_MAX;
  GR_ARRAY(ft_yctx__seen) seen = {0};
  ft_yline l;
  for (uint32_t at = 0; at < cls; at = ft_edit_line_next(text, len, at)) {
    ft_yline_read(text, len, at, &l);
    int m = ft_yscan__line(s, &l);
    if (m >= 0) {
      ft_yctx__seen x = {s->stack[m].serial, l.key};
      gr_array_push(&seen, x);
    }
  }
  ft_yline_read(text, len, cls, &l);
  int frame = ft_yctx__cursor_line(s, &l, c, ctx);
  ctx->place = frame >= 0 ? ft_yscan__place(s, frame) : FT_YPLACE_NONE;
  if (ctx->place == FT_YPLACE_NONE) {
    int comment = ctx->comment;
    memset(ctx, 0, sizeof *ctx);
    ctx->key = ctx->value = (gr_span){c, c};
    ctx->comment = comment;
  } else {
    /* the mapping's other keys: those read before, then those after until it closes */
    uint32_t serial = s->stack[frame].serial;
    for (size_t i = 0; i < seen.len; i++)
      if (seen.items[i].serial == serial) gr_array_push(&ctx->present, seen.items[i].key);
    for (uint32_t at = ft_edit_line_next(text, len, cls); at < len; at = ft_edit_line_next(text, len, at)) {
      ft_yline_read(text, len, at, &l);
      int m = ft_yscan__line(s, &l);
      int open = 0;
      for (int i = s->depth; i-- > 0 && !open;) open = s->stack[i].serial == serial;
      if (!open || s->ended) break;
      if (m >= 0 && s->stack[m].serial == serial) gr_array_push(&ctx->present, l.key);
    }
  }
  gr_array_free(&seen);
  gr_free(s);
}

void ft_yctx_free(ft_yctx *ctx) { gr_array_free(&ctx->present); }
