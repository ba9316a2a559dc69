#!/usr/bin/env bash
# tests/server/test_held_reply.sh TRANSCRIPT_TOOL SERVER: a large reply held
# back while the client is behind (server/lsp/session.h:
# TL_SESSION_HOLD_GAP_MS) goes out by itself when it is due: the server's
# timer wakes the loop, with no input coming. The outline of 800 headings
# (about 120 KB) is asked for once; then, in one write, two changes with an
# outline request after each: at the second change the first request is
# still unanswered, so the client is behind, and the second outline is held
# (until a pace, the time since the first answer, plus 25 ms after the
# change, and the client's estimated parse of the first answer). The client
# sends nothing more until it has it. Diagnostics are pulled, so nothing
# else is sent. The server's debug log must say it held a reply, except
# under valgrind, whose slowness can make the pace too slow to hold.
# Prints "transcripts: N passed, N failed".
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-held-XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir/held.txt" <<'PY'
import json, sys
URI = "file:///w/big-tmpl.md"
text = "".join("# Heading %d\n" % i for i in range(800))
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
# the server with its debug log copied aside (its stderr still goes to the tool)
cat > "$dir/server.sh" <<SH
#!/usr/bin/env bash
exec "$server" --log-level debug 2> >(tee -a "$dir/log" >&2)
SH
chmod +x "$dir/server.sh"
"$tool" "$dir/server.sh" "$dir/held.txt" > "$dir/out" 2>&1
sed '/^transcripts:/d; /^tmpl-ls: debug:/d' "$dir/out"
passed=$(sed -n 's/^transcripts: \([0-9]*\) passed.*/\1/p' "$dir/out") failed=$(sed -n 's/.* \([0-9]*\) failed$/\1/p' "$dir/out")
passed=${passed:-0} failed=${failed:-1}
case $server in
  *valgrind*) ;;
  *) if grep -q 'held back a reply' "$dir/log"; then passed=$((passed + 1)); echo "ok the outline was held"
     else failed=$((failed + 1)); echo "FAIL: the server held no reply (its debug log: $(grep -c . "$dir/log") lines)"; fi ;;
esac
echo "transcripts: $passed passed, $failed failed"
