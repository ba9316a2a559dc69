#!/usr/bin/env python3
"""soak.py: a long editing session against tmpl-ls, watching its memory.

    python3 bench/soak.py [--binary build/release/tmpl-ls] [--seconds 120]

Opens the example workspace's Markdown and YAML templates and a document of
each, then for the given time types into all four (insertions and deletions at random places, a few
characters at a time, as a person does), with a request after each edit
(symbols, folding, hover, completion, code actions, semantic tokens, pull
diagnostics, references), closing and reopening now and then, and saving
the template. It samples the server's resident memory (VmRSS) once a
second. It fails (exit 1) when any request is answered with an error other
than ContentModified, when the server dies, or when memory after the
first quarter of the run grows by more than --growth (default 25%): a leak
or a cache without a bound. Deterministic (--seed).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=root)
        self.next_id = 0
        self.errors = 0

    def send(self, obj):
        self.p.stdin.write(frame(obj))
        self.p.stdin.flush()

    def read(self):
        header = b""
        while not header.endswith(b"\r\n\r\n"):
            c = self.p.stdout.read(1)
            if not c:
                raise EOFError("the server closed its output")
            header += c
        n = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
        return json.loads(self.p.stdout.read(n))

    def request(self, method, params):
        self.next_id += 1
        rid = self.next_id
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        while True:
            m = self.read()
            if "method" in m and "id" in m:  # a request to us: answer it
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
                continue
            if m.get("id") == rid and "method" not in m:
                err = m.get("error")
                if err and err.get("code") != -32801:
                    print("soak: %s failed: %s" % (method, err), file=sys.stderr)
                    self.errors += 1
                return m

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def rss_kb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0


def utf16_pos(text, offset):
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return {"line": line, "character": len(text[start:offset].encode("utf-16-le")) // 2}


def language(uri):
    return "yaml" if uri.endswith(".yaml") else "markdown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build/release/tmpl-ls"))
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--growth", type=float, default=0.25)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    a.binary = os.path.abspath(a.binary)  # the server runs in the workspace folder
    rnd = random.Random(a.seed)
    ws = os.path.join(ROOT, "examples/workspace")
    files = {
        "file://" + os.path.join(ws, ".bmad-core/templates/infrastructure-architecture-tmpl.md"): None,
        "file://" + os.path.join(ws, "docs/infrastructure-architecture.md"): None,
        "file://" + os.path.join(ws, "templates/story-tmpl.yaml"): None,
        "file://" + os.path.join(ws, "docs/stories/1.2.md"): None,
    }
    for uri in files:
        with open(uri[7:], encoding="utf-8") as f:
            files[uri] = f.read()
    s = Server(a.binary, ws)
    s.request("initialize", {"rootUri": "file://" + ws, "capabilities": {
        "textDocument": {"diagnostic": {}, "codeAction": {"codeActionLiteralSupport": {
            "codeActionKind": {"valueSet": ["quickfix", "refactor"]}}}}}})
    s.notify("initialized", {})
    versions = {}
    sizes = {uri: len(text) for uri, text in files.items()}
    for uri, text in files.items():
        versions[uri] = 1
        s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language(uri),
                                                            "version": 1, "text": text}})
    words = ["{{", "}}", "[[LLM: ", "]]", "## ", "\n", " ", "x", "é", "𝄞", "<<REPEAT: r>>", "^^",
             "@{example}", "- ", "| a | b |\n",
             # YAML template text, typed into the .yaml file as much as the others
             "sections:\n", "  - id: x\n", "    title: ", "repeatable: true\n", ": ", "\"", "'",
             "  ", "- ", "{{var}}", "instruction: |\n", "#"]
    start = time.time()
    samples, edits, requests = [], 0, 0
    next_sample = start
    while time.time() - start < a.seconds:
        uri = rnd.choice(list(files))
        text = files[uri]
        at = rnd.randrange(len(text) + 1)
        # insert or delete, keeping each text near its first size, so that
        # memory growth means the server's, not the texts'
        if len(text) < sizes[uri] - 512 or (len(text) <= sizes[uri] + 512 and rnd.random() < 0.5):
            new = rnd.choice(words)
            change = {"range": {"start": utf16_pos(text, at), "end": utf16_pos(text, at)}, "text": new}
            text = text[:at] + new + text[at:]
        else:
            end = min(len(text), at + rnd.randrange(1, 12))
            change = {"range": {"start": utf16_pos(text, at), "end": utf16_pos(text, end)}, "text": ""}
            text = text[:at] + text[end:]
        files[uri] = text
        versions[uri] += 1
        s.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": versions[uri]},
                                            "contentChanges": [change]})
        edits += 1
        pos = utf16_pos(text, rnd.randrange(len(text) + 1))
        doc = {"uri": uri}
        method, params = rnd.choice([
            ("textDocument/documentSymbol", {"textDocument": doc}),
            ("textDocument/foldingRange", {"textDocument": doc}),
            ("textDocument/hover", {"textDocument": doc, "position": pos}),
            ("textDocument/completion", {"textDocument": doc, "position": pos}),
            ("textDocument/codeAction", {"textDocument": doc, "range": {"start": pos, "end": pos},
                                         "context": {"diagnostics": []}}),
            ("textDocument/semanticTokens/full", {"textDocument": doc}),
            ("textDocument/diagnostic", {"textDocument": doc}),
            ("textDocument/references", {"textDocument": doc, "position": pos,
                                         "context": {"includeDeclaration": True}}),
        ])
        s.request(method, params)
        requests += 1
        if rnd.random() < 0.01:  # close and reopen
            s.notify("textDocument/didClose", {"textDocument": doc})
            versions[uri] += 1
            s.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language(uri),
                                                                "version": versions[uri], "text": text}})
        if rnd.random() < 0.01:
            s.notify("textDocument/didSave", {"textDocument": doc})
        if time.time() >= next_sample:
            samples.append(s.rss_kb())
            next_sample += 1
    s.request("shutdown", None)
    s.notify("exit", None)
    s.p.wait(timeout=10)
    quarter = samples[len(samples) // 4] if samples else 0
    peak_after = max(samples[len(samples) // 4:]) if samples else 0
    growth = (peak_after - quarter) / quarter if quarter else 0
    print("soak: %.0f s, %d edits, %d requests, %d errors; RSS %d KB at the start, %d KB at a quarter, "
          "%d KB peak after (%+.1f%%), %d KB at the end"
          % (a.seconds, edits, requests, s.errors, samples[0] if samples else 0, quarter, peak_after,
             100 * growth, samples[-1] if samples else 0))
    ok = s.errors == 0 and s.p.returncode == 0 and growth <= a.growth
    if not ok:
        print("soak: FAILED", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
