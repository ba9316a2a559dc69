#!/usr/bin/env bash
# tests/server/test_workspace_2000.sh TRANSCRIPT_TOOL SERVER: workspace/symbol
# over a workspace of 2,000 files made here (20 templates, 1,980 documents
# in 20 folders). Asked with initialize, it answers at once with what is
# known (nothing yet: not parked behind the scan); once the index's
# progress ends (documents on disk read too), "zebra" finds exactly its
# three sections across a template and two documents, best first, and an
# empty query answers the first 1,000 of the 5,983 symbols, in the files'
# order (templates, then documents by path), every one asserted. A second
# transcript: the workspace diagnostic report (workspace/diagnostic) of the 2,000 files
# (their mtimes fixed here, so their result ids are known): 20 partial
# results of 100 files in key order with work-done progress, then again
# with those result ids: 2,000 "unchanged". Run by tests/run.sh; prints the
# transcript tool's summary line.
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-ws2000-XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" <<'PY'
import json, os, sys
root = sys.argv[1]
MTIME = 1700000000
sizes = {}
def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.utime(path, (MTIME, MTIME))
    sizes[rel] = len(text.encode())

def sym(name, rel, line, col, container=None):
    s = {"name": name, "kind": 15, "location": {"uri": "file://${HERE}/" + rel, "range": {
        "start": {"line": line, "character": col}, "end": {"line": line, "character": col + len(name)}}}}
    if container:
        s["containerName"] = container
    return s

symbols = []  # every symbol in the files' order
for t in range(20):
    rel = "templates/t%02d-tmpl.md" % t
    text = "# Template %02d\n\n## Overview\n" % t
    symbols += [sym("Template %02d" % t, rel, 0, 2), sym("Overview", rel, 2, 3, "Template %02d" % t)]
    if t == 7:
        text += "\n## Zebra Budget\n"
        symbols.append(sym("Zebra Budget", rel, 4, 3, "Template 07"))
    write(rel, text)
zebra = {777: "Zebra Crossing", 1500: "Zebras"}
for d in range(1980):
    rel = "docs/f%02d/d%04d.md" % (d // 99, d)
    title = "Report %04d" % d
    text = "# %s\n\n## Summary\n\n## Details\n" % title
    syms = [sym(title, rel, 0, 2), sym("Summary", rel, 2, 3, title), sym("Details", rel, 4, 3, title)]
    if d in zebra:
        text += "\n## %s\n" % zebra[d]
        syms.append(sym(zebra[d], rel, 6, 3, title))
    write(rel, text)
    symbols += syms
assert len(symbols) == 5983, len(symbols)

def line(obj):
    return json.dumps(obj, ensure_ascii=False)

def find(name):
    return [s for s in symbols if s["name"] == name][0]

out = []
send = lambda o: out.append("--> " + line(o))
expect = lambda o: out.append("<-- " + line(o))
def result(id_, items):
    out.append('<-- {"jsonrpc": "2.0", "id": %d, "result": [' % id_)
    out.append(",\n".join("       " + line(i) for i in items) + "]}")

send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
    "rootUri": "file://${HERE}", "capabilities": {"window": {"workDoneProgress": True}}}})
send({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "zebra"}})
expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
expect({"jsonrpc": "2.0", "id": 2, "result": []})
expect({"jsonrpc": "2.0", "id": 1, "method": "window/workDoneProgress/create", "params": {"token": "tmpl-ls/index/1"}})
send({"jsonrpc": "2.0", "id": 1, "result": None})
expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "tmpl-ls/index/1", "value": {
    "kind": "begin", "title": "Indexing templates", "cancellable": False}}})
expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "tmpl-ls/index/1", "value": {
    "kind": "end", "message": "20 templates read"}}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "id": 3, "method": "workspace/symbol", "params": {"query": "zebra"}})
result(3, [find("Zebras"), find("Zebra Budget"), find("Zebra Crossing")])
send({"jsonrpc": "2.0", "id": 4, "method": "workspace/symbol", "params": {"query": "report 1234"}})
result(4, [find("Report 1234")])
send({"jsonrpc": "2.0", "id": 5, "method": "workspace/symbol", "params": {"query": ""}})
result(5, symbols[:1000])
# The workspace diagnostic report: every file, in key order, 100 a partial
# result; a document's result id holds the index's generation (23 once
# this workspace is read: the same every run), a template's does not.
def rid(rel):
    if rel.startswith("templates/"):
        return "%d.%d.0.s1" % (sizes[rel], MTIME)
    return "%d.%d.0.23.s1" % (sizes[rel], MTIME)
keys = sorted(sizes)
assert len(keys) == 2000
# A second transcript (each file has the transcript tool's 10 s, valgrind's too).
send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
expect({"jsonrpc": "2.0", "id": 9, "result": None})
send({"jsonrpc": "2.0", "method": "exit"})
out.append("<-- exit 0")
with open(os.path.join(root, "ws2000.txt"), "w") as f:
    f.write("\n".join(out) + "\n")
out = []
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}", "capabilities": {
    "textDocument": {"diagnostic": {}}}}})
expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "id": 6, "method": "workspace/diagnostic", "params": {
    "previousResultIds": [], "partialResultToken": "p6", "workDoneToken": "w6"}})
expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "w6", "value": {
    "kind": "begin", "title": "Checking the workspace", "cancellable": False, "message": "2000 files", "percentage": 0}}})
for b in range(20):
    items = [{"kind": "full", "uri": "file://${HERE}/" + k, "version": None, "resultId": rid(k), "items": "*"}
             for k in keys[b * 100:(b + 1) * 100]]
    out.append('<-- {"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "p6", "value": {"items": [')
    out.append(",\n".join("       " + line(i) for i in items) + "]}}}")
    if b < 19:
        expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "w6", "value": {
            "kind": "report", "message": "%d of 2000 files" % ((b + 1) * 100), "percentage": (b + 1) * 5}}})
expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "w6", "value": {
    "kind": "end", "message": "2000 files: 2000 changed, 0 unchanged"}}})
expect({"jsonrpc": "2.0", "id": 6, "result": {"items": []}})
send({"jsonrpc": "2.0", "id": 7, "method": "workspace/diagnostic", "params": {
    "previousResultIds": [{"uri": "file://${HERE}/" + k, "value": rid(k)} for k in keys]}})
out.append('<-- {"jsonrpc": "2.0", "id": 7, "result": {"items": [')
out.append(",\n".join("       " + line({"kind": "unchanged", "uri": "file://${HERE}/" + k, "version": None,
                                       "resultId": rid(k)}) for k in keys) + "]}}")
send({"jsonrpc": "2.0", "id": 9, "method": "shutdown"})
expect({"jsonrpc": "2.0", "id": 9, "result": None})
send({"jsonrpc": "2.0", "method": "exit"})
out.append("<-- exit 0")
with open(os.path.join(root, "ws2000_diag.txt"), "w") as f:
    f.write("\n".join(out) + "\n")
PY
"$tool" "$server" "$dir/ws2000.txt" "$dir/ws2000_diag.txt"
