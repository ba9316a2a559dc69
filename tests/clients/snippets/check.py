#!/usr/bin/python3
"""The README's editor snippets for Helix, Zed, Sublime LSP and Kakoune.

    tests/clients/snippets/check.py README.md KAK-OUT-DIR

These editors (but Kakoune) are not Debian packages, so the snippets are
not run inside them; run.sh runs the Kakoune one in kak (the hook fills
`lsp_servers`) and leaves what kak produced in KAK-OUT-DIR/lsp_servers.toml.
Each snippet must parse (TOML or JSON), name the server `tmpl-ls` for
Markdown as its editor expects, list Markdown's default servers where the
editor replaces them, and hold settings that validate against
schema/tmpl-ls.schema.json. Prints "ok NAME" / "not ok NAME: WHY".
"""
import json
import os
import re
import sys
import tomllib

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
schema = json.load(open(os.path.join(ROOT, "schema", "tmpl-ls.schema.json"), encoding="utf-8"))
validator = jsonschema.Draft7Validator(schema)
failed = 0


def check(name, ok, why=""):
    global failed
    print(f"ok {name}" if ok else f"not ok {name}: {why}".replace("\n", " "))
    failed += 0 if ok else 1


def settings_ok(value):
    """The settings are a non-empty object that fits the schema."""
    if not isinstance(value, dict) or not value:
        return False, f"not a non-empty object: {value!r}"
    errors = [e.message for e in validator.iter_errors(value)]
    return not errors, "; ".join(errors)


def blocks(text, lang):
    return re.findall(r"^```" + lang + r"\n(.*?)^```$", text, re.S | re.M)


def one(name, found):
    check(f"{name}: one snippet in the README", len(found) == 1, f"{len(found)} found")
    return found[0] if len(found) == 1 else None


def main():
    readme = open(sys.argv[1], encoding="utf-8").read()
    kak_out = sys.argv[2]
    start = readme.index("## Editors")
    end = readme.find("\n## ", start + 1)  # the section alone: the next "## " heading ends it
    editors = readme[start:end if end >= 0 else len(readme)]

    tomls = blocks(editors, "toml")
    helix = one("Helix", [b for b in tomls if "[language-server.tmpl-ls]" in b])
    if helix:
        h = tomllib.loads(helix)
        ls = h["language-server"]["tmpl-ls"]
        md = [l for l in h.get("language", []) if l.get("name") == "markdown"]
        check("Helix: the server's command is tmpl-ls", ls.get("command") == "tmpl-ls", ls)
        check("Helix: markdown's language-servers re-list marksman, then tmpl-ls",
              len(md) == 1 and md[0].get("language-servers") == ["marksman", "tmpl-ls"], md)
        check("Helix: config (initializationOptions) fits the schema", *settings_ok(ls.get("config")))

    old_kak = one("kak-lsp.toml", [b for b in tomls if "[language_server.tmpl-ls]" in b])
    if old_kak:
        k = tomllib.loads(old_kak)["language_server"]["tmpl-ls"]
        check("kak-lsp.toml: markdown, command tmpl-ls, settings_section tmpl-ls",
              k.get("filetypes") == ["markdown"] and k.get("command") == "tmpl-ls"
              and k.get("settings_section") == "tmpl-ls", k)
        check("kak-lsp.toml: settings fit the schema", *settings_ok(k.get("settings", {}).get("tmpl-ls")))

    path = os.path.join(kak_out, "lsp_servers.toml")
    if os.path.exists(path):
        servers = tomllib.loads(open(path, encoding="utf-8").read())
        t = servers.get("tmpl-ls", {})
        check("Kakoune: the hook sets lsp_servers to marksman and tmpl-ls",
              list(servers) == ["marksman", "tmpl-ls"], list(servers))
        check("Kakoune: tmpl-ls's settings_section is tmpl-ls", t.get("settings_section") == "tmpl-ls", t)
        check("Kakoune: settings fit the schema", *settings_ok(t.get("settings", {}).get("tmpl-ls")))
    else:
        check("Kakoune: kak filled lsp_servers", False, f"no {path}")

    jsons = [json.loads(b) for b in blocks(editors, "json")]
    zed = one("Zed", [j for j in jsons if "lsp" in j])
    if zed:
        z = zed["lsp"]["tmpl-ls"]
        check("Zed: binary.path names tmpl-ls", z["binary"]["path"].endswith("/tmpl-ls"), z)
        check("Zed: initialization_options fit the schema", *settings_ok(z.get("initialization_options")))
        check("Zed: Markdown's language_servers are tmpl-ls and the rest (\"...\")",
              zed["languages"]["Markdown"]["language_servers"] == ["tmpl-ls", "..."], zed["languages"])
    sublime = one("Sublime LSP", [j for j in jsons if "clients" in j])
    if sublime:
        c = sublime["clients"]["tmpl-ls"]
        check("Sublime LSP: command tmpl-ls for text.html.markdown, enabled",
              c.get("command") == ["tmpl-ls"] and c.get("selector") == "text.html.markdown"
              and c.get("enabled") is True, c)
        check("Sublime LSP: initializationOptions fit the schema", *settings_ok(c.get("initializationOptions")))
        check("Sublime LSP: the tmpl-ls section of settings fits the schema",
              *settings_ok(c.get("settings", {}).get("tmpl-ls")))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
