#!/usr/bin/env bash
# tests/server/test_held_reply.sh TRANSCRIPT_TOOL SERVER: a large reply held
# back while the client is behind (server/lsp/session.h:
# TL_SESSION_HOLD_GAP_MS) goes out by itself when it is due: the server's
# timer wakes the loop, with no input coming. Two changes and two outline
# requests in one write: at the second change the first request is still
# unanswered, so the second outline (about 400 KB) is held, 25 ms; the
# client sends nothing more until it has it. Diagnostics are pulled, so
# nothing else is sent. Prints "transcripts: N passed, N failed".
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-held-XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir/held.txt" <<'PY'
import json, sys
URI = "file:///w/big-tmpl.md"
text = "".join("# Heading %d\n" % i for i in range(3000))
out = []
def send(o): out.append("--> " + json.dumps(o))
def expect(o): out.append("<-- " + json.dumps(o))
def change(version, line):
    p = {"line": line, "character": 2}
    send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
        "textDocument": {"uri": URI, "version": version},
        "contentChanges": [{"range": {"start": p, "end": p}, "text": "x"}]}})
def symbols(i):
    send({"jsonrpc": "2.0", "id": i, "method": "textDocument/documentSymbol", "params": {"textDocument": {"uri": URI}}})
send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {
    "textDocument": {"diagnostic": {}}}}})
expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": URI, "languageId": "markdown", "version": 1, "text": text}}})
symbols(2)
expect({"jsonrpc": "2.0", "id": 2, "result": "*"})
out.append("# typed twice in one write: the first outline was not answered when the second change came")
change(2, 10)
symbols(3)
change(3, 20)
symbols(4)
expect({"jsonrpc": "2.0", "id": 3, "error": {"code": -32801,
        "message": "the document changed before the request could be answered"}})
expect({"jsonrpc": "2.0", "id": 4, "result": "*"})
send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
expect({"jsonrpc": "2.0", "id": 99, "result": None})
send({"jsonrpc": "2.0", "method": "exit"})
out.append("<-- exit 0")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
"$tool" "$server" "$dir/held.txt"
