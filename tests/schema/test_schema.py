#!/usr/bin/python3
"""The JSON Schema of .tmpl-ls.json (schema/tmpl-ls.schema.json) against the
README and the real server.

    tests/schema/test_schema.py path/to/tmpl-ls

Run by `make test-release` with Debian's python3 and python3-jsonschema.
Checks:
- the schema is a valid draft-07 schema, and names as properties exactly the
  codes of the README's Diagnostics tables (with their default severities);
- every ```json block of the README marked `<!-- example: .tmpl-ls.json -->`
  validates, and no unmarked json block looks like a .tmpl-ls.json;
- wrong files (an unknown key, a bad severity, threshold 0, ...) do not;
- `tmpl-ls check --root DIR`, with each case as DIR/.tmpl-ls.json, accepts
  exactly what the schema accepts (exit 0 and a quiet stderr, or exit 2 and
  a message on stderr naming .tmpl-ls.json).
The one intended difference is printed and checked too: the schema allows
any well-formed code (other versions of the server add codes), the server
only its own.
Prints "ok NAME" / "not ok NAME: WHY"; the last line is
"schema: N passed, N failed"; exit status 1 when a check failed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_PATH = os.path.join(ROOT, "schema", "tmpl-ls.schema.json")
MARK = "<!-- example: .tmpl-ls.json -->"
SETTING_KEYS = {"diagnostics", "templates", "matchThreshold"}

passed = 0
failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok {name}")
    else:
        failed += 1
        print(f"not ok {name}: {why}".replace("\n", " "))
    return ok


def readme_code_table():
    """{code: severity} from the rows of the README's Diagnostics section."""
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    section = re.search(r"^#{2,3} Diagnostics\n(.*?)^#{2,3} [^#]", text, re.S | re.M).group(1)
    return dict(re.findall(r"^\| `([a-z-]+)` \| ([a-z]+) \|", section, re.M))


def json_blocks(path):
    """(line, marked, text) of each ```json block of the Markdown file."""
    lines = open(path, encoding="utf-8").read().split("\n")
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() == "```json":
            marked = i > 0 and lines[i - 1].strip() == MARK
            j = i + 1
            while j < len(lines) and lines[j].strip() != "```":
                j += 1
            blocks.append((i + 1, marked, "\n".join(lines[i + 1:j])))
            i = j
        i += 1
    return blocks


def server_verdict(server, text):
    """(accepted, why) from tmpl-ls check --root on a folder holding TEXT."""
    with tempfile.TemporaryDirectory(prefix="tmpl-ls-schema") as d:
        with open(os.path.join(d, ".tmpl-ls.json"), "w", encoding="utf-8") as f:
            f.write(text)
        with open(os.path.join(d, "clean-tmpl.md"), "w", encoding="utf-8") as f:
            f.write("# Clean\n\n## Overview\n\n{{summary}}\n")
        p = subprocess.run([server, "check", "--root", d, d], capture_output=True, text=True,
                           timeout=30)
        # Problems are stderr lines "tmpl-ls: FILE: ..."; the summary follows.
        problems = [l for l in p.stderr.splitlines()
                    if l.startswith(f"tmpl-ls: {d}/.tmpl-ls.json")]
        others = [l for l in p.stderr.splitlines() if l.startswith("tmpl-ls:") and l not in problems]
        if p.returncode == 0 and not problems and not others:
            return True, "exit 0"
        if p.returncode == 2 and problems and not others:
            return False, " / ".join(problems)
        return None, f"exit {p.returncode}, stderr {p.stderr.strip()!r}"


def schema_verdict(validator, value):
    errors = sorted(validator.iter_errors(value), key=lambda e: list(e.path))
    return not errors, "; ".join(e.message for e in errors) or "valid"


def main():
    if len(sys.argv) != 2:
        print("usage: test_schema.py path/to/tmpl-ls", file=sys.stderr)
        return 2
    server = os.path.abspath(sys.argv[1])
    schema = json.load(open(SCHEMA_PATH, encoding="utf-8"))
    try:
        jsonschema.Draft7Validator.check_schema(schema)
        check("the schema is a valid draft-07 schema", True)
    except jsonschema.SchemaError as e:
        check("the schema is a valid draft-07 schema", False, e.message)
        return 1
    validator = jsonschema.Draft7Validator(schema)

    table = readme_code_table()
    props = schema["properties"]["diagnostics"]["properties"]
    check("the README's Diagnostics tables list codes", len(table) >= 14, table)
    check("the schema's known codes are the README's",
          sorted(props) == sorted(table), f"schema {sorted(props)}, README {sorted(table)}")
    wrong = [c for c, sev in table.items()
             if c in props and f"Default severity: {sev}." not in props[c]["description"]]
    check("each code's description gives the README's default severity", not wrong, wrong)

    # The examples of the READMEs.
    examples = []
    for rel in ["README.md"] + sorted(
            os.path.join("clients", d, "README.md") for d in os.listdir(os.path.join(ROOT, "clients"))
            if os.path.exists(os.path.join(ROOT, "clients", d, "README.md"))):
        for line, marked, text in json_blocks(os.path.join(ROOT, rel)):
            try:
                value = json.loads(text)
            except ValueError as e:
                if marked:
                    check(f"{rel}:{line} is JSON", False, e)
                continue
            looks = isinstance(value, dict) and value and set(value) <= SETTING_KEYS
            if marked:
                examples.append((f"{rel}:{line}", text, value))
            elif looks:
                check(f"{rel}:{line} looks like a .tmpl-ls.json: mark it with {MARK}", False,
                      text[:60])
    check("the README has .tmpl-ls.json examples", any(n.startswith("README.md:") for n, _, _ in examples),
          [n for n, _, _ in examples])

    # Files the server and the schema both take.
    every = {c: s for c, s in zip(sorted(table), ["error", "warning", "information", "hint", "off"] * 3)}
    good = [(name, text, value, True) for name, text, value in examples] + [
        ("every known code, every severity", json.dumps({"diagnostics": every}), None, True),
        ("\"info\" (the same as information)", '{"diagnostics": {"missing-section": "info"}}', None, True),
        ("matchThreshold 1", '{"matchThreshold": 1}', None, True),
        ("matchThreshold 0.01", '{"matchThreshold": 0.01}', None, True),
        ("empty object", "{}", None, True),
        ("templates with ** and ?", '{"templates": {"docs/**/prd-?.md": "t/prd-tmpl.md"}}', None, True),
    ]
    bad = [
        ("an unknown key", '{"diagnostic": {"section-order": "off"}}'),
        ("a bad severity", '{"diagnostics": {"section-order": "ignore"}}'),
        ("a severity in capitals", '{"diagnostics": {"section-order": "Off"}}'),
        ("a severity that is not a string", '{"diagnostics": {"section-order": 0}}'),
        ("matchThreshold 0", '{"matchThreshold": 0}'),
        ("matchThreshold above 1", '{"matchThreshold": 1.5}'),
        ("matchThreshold negative", '{"matchThreshold": -0.5}'),
        ("matchThreshold as a string", '{"matchThreshold": "0.6"}'),
        ("diagnostics not an object", '{"diagnostics": ["section-order"]}'),
        ("templates not an object", '{"templates": "docs/*.md"}'),
        ("a template that is not a string", '{"templates": {"docs/*.md": 1}}'),
        ("an empty template path", '{"templates": {"docs/*.md": ""}}'),
        ("an empty glob", '{"templates": {"": "t/prd-tmpl.md"}}'),
        ("not an object", '["diagnostics"]'),
        ("a code not in the code shape", '{"diagnostics": {"Section_Order": "off"}}'),
    ]
    cases = [(n, t, v, True) for n, t, v, _ in good] + [(n, t, None, False) for n, t in bad]
    for name, text, value, expect in cases:
        value = json.loads(text) if value is None else value
        ok, why = schema_verdict(validator, value)
        check(f"schema {'accepts' if expect else 'rejects'} {name}", ok == expect, why)
        accepted, swhy = server_verdict(server, text)
        check(f"server {'accepts' if expect else 'rejects'} {name} (tmpl-ls check --root)",
              accepted == expect, swhy)

    # The intended difference: a well-formed code that this server lacks.
    text = '{"diagnostics": {"some-future-code": "off"}}'
    ok, why = schema_verdict(validator, json.loads(text))
    accepted, swhy = server_verdict(server, text)
    check("a well-formed unknown code: the schema accepts it, this server reports it",
          ok and accepted is False and "some-future-code" in swhy, f"schema: {why}; server: {swhy}")

    print(f"schema: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
