#!/usr/bin/env python3
"""tests/schema/validate.py: schema/bmad-template.schema.json against the
corpus of real YAML templates (../shared/corpus/bmad-method-yaml/).

Every file gets two verdicts: the schema's (it loads with PyYAML and
validates) and a reference one, "clean" or "broken". A clean file must
validate and a broken one must not, except the files listed, with the
reason read by hand, in tests/schema/expected-<verdict>.txt; an entry
that no longer disagrees fails too, so the list stays true.

  --verdict pyyaml  (the stand-in from before tmpl-ls read YAML) clean
                    means: PyYAML loads it, and the top level is a mapping
                    with template: and sections:
  --verdict check   clean means: it is a template (as for pyyaml: tmpl-ls
                    leaves other YAML alone, so its silence says nothing) and
                    `tmpl-ls check --as template --format json` reports no
                    error or warning for it

Then every Markdown template of ../shared/corpus/bmad-method/ and the seed,
converted by `tmpl-ls migrate`, must validate too.

Prints one line a disagreement, then a summary; exits 0 when all agree.
"""
import argparse
import glob
import json
import os
import subprocess
import sys

import jsonschema
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load(path):
    """The file as PyYAML reads it, or None when it is not YAML."""
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.safe_load(f), True
    except (yaml.YAMLError, UnicodeDecodeError):
        return None, False


def verdict_pyyaml(paths):
    out = {}
    for p in paths:
        data, ok = load(p)
        out[p] = ok and isinstance(data, dict) and "template" in data and "sections" in data
    return out


def verdict_check(paths, binary):
    """Clean: no error or warning from tmpl-ls check (files in batches)."""
    bad = set()
    for i in range(0, len(paths), 100):
        batch = paths[i:i + 100]
        r = subprocess.run([binary, "check", "--as", "template", "--format", "json", "--fail-on", "hint"] + batch,
                           capture_output=True, text=True)
        if r.returncode not in (0, 1):
            sys.exit("tmpl-ls check failed (%d): %s" % (r.returncode, r.stderr.strip()))
        for d in json.loads(r.stdout or "[]"):
            if d.get("severity") in ("error", "warning"):
                bad.add(os.path.normpath(d["file"]))
    template = verdict_pyyaml(paths)
    return {p: template[p] and os.path.normpath(p) not in bad for p in paths}


# The schema on templates of our own: a misspelt key or type, a value of
# the wrong type must fail; what real templates do must pass.
SELF_TESTS = [
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    title: A\n", True),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    type: code\n    language: ts\n"
     "    choices: {db: [Postgres, MySQL]}\n    repeatable: 'true'\n    sections: [{id: b, type: checklist}]\n", True),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    instructions: x\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    type: bullet_list\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    repeatable: maybe\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    examples: one\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - id: a\n    mermaid_type: flowchat\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - title: no id\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nsections:\n  - just a string\n", False),
    ("template: {id: t, output: {}}\nsections: []\n", False),
    ("template: {id: t, output: {filename: docs/t.md}}\nworkflow: {mode: yolo}\nsections: []\n", True),
    ("template: {id: t, output: {filename: docs/t.md}}\nworkflow: {mode: fast}\nsections: []\n", False),
    ("sections: []\n", False),
]


def read_expected(path):
    """name -> reason, from 'name<TAB>reason' lines ('#' comments)."""
    out = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                name, _, reason = line.partition("\t")
                out[name] = reason
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verdict", choices=("pyyaml", "check"), default="check")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/tmpl-ls"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus/bmad-method-yaml"))
    args = ap.parse_args()

    with open(os.path.join(ROOT, "schema/bmad-template.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)

    failures = 0
    for text, want in SELF_TESTS:
        got = not list(validator.iter_errors(yaml.safe_load(text)))
        if got != want:
            failures += 1
            print("schema: self-test %s, want %s:\n%s" % (got and "valid" or "invalid", want and "valid" or "invalid", text))

    paths = sorted(glob.glob(os.path.join(args.corpus, "*.yaml")))
    if not paths:
        sys.exit("schema: no YAML files in %s" % args.corpus)
    clean = verdict_pyyaml(paths) if args.verdict == "pyyaml" else verdict_check(paths, args.binary)
    expected = read_expected(os.path.join(ROOT, "tests/schema/expected-%s.txt" % args.verdict))

    counts = {"clean": 0, "broken": 0, "expected": 0}
    seen = set()
    for p in paths:
        name = os.path.basename(p)
        data, ok = load(p)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)) if ok else []
        valid = ok and not errors
        counts["clean" if clean[p] else "broken"] += 1
        if valid == clean[p]:
            if name in expected:
                failures += 1
                print("schema: %s: listed in expected-%s.txt but the verdicts agree now" % (name, args.verdict))
            continue
        if name in expected:
            counts["expected"] += 1
            seen.add(name)
            continue
        failures += 1
        if clean[p]:
            e = errors[0]
            where = "/".join(str(x) for x in e.absolute_path) or "(top)"
            print("schema: %s: clean, but the schema rejects it at %s: %s" % (name, where, e.message[:200]))
        else:
            print("schema: %s: broken (%s), but the schema accepts it" % (name, args.verdict))
    md = sorted(glob.glob(os.path.join(args.corpus, "../bmad-method/*.md")))
    md.append(os.path.join(args.corpus, "../../seed/infrastructure-architecture-tmpl.md"))
    for p in md:
        r = subprocess.run([args.binary, "migrate", p], capture_output=True)
        try:
            data = yaml.safe_load(r.stdout.decode("utf-8")) if r.returncode == 0 else None
        except (yaml.YAMLError, UnicodeDecodeError):
            data = None
        errors = list(validator.iter_errors(data)) if data is not None else []
        if data is None or errors:
            failures += 1
            print("schema: tmpl-ls migrate %s: %s" % (os.path.basename(p),
                  errors[0].message[:200] if errors else "no YAML (exit %d)" % r.returncode))
    for name in sorted(set(expected) - seen - {os.path.basename(p) for p in paths}):
        failures += 1
        print("schema: %s: listed in expected-%s.txt but not in the corpus" % (name, args.verdict))
    print("schema: %d self-tests; %d files (verdict %s): %d clean, %d broken, %d listed disagreements; "
          "%d converted Markdown templates; %d failures"
          % (len(SELF_TESTS), len(paths), args.verdict, counts["clean"], counts["broken"], counts["expected"],
             len(md), failures))
    # The line tests/run.sh counts.
    print("schema: %d passed, %d failed" % (len(SELF_TESTS) + len(paths) + len(md) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
