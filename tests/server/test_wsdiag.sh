#!/usr/bin/env bash
# tests/server/test_wsdiag.sh TRANSCRIPT_TOOL SERVER: the
# diagnostics of the files that are not open (server/lsp/wsdiag.c), over a
# workspace made here with fixed mtimes, so that the result ids of files on
# disk ("<size>.<mtime s>.<mtime ns>[.<generation>].s<settings generation>")
# are known:
#   pull.txt  workspace/diagnostic with partial results and work-done
#             progress (every file, exactly), again with the result ids
#             (unchanged), a file the client knew that is gone (an empty
#             report with "-" once, then nothing), an open document (its
#             version and its own result id), a template opened with another
#             text (workspace/diagnostic/refresh; its documents change, the
#             other files not), a cancelled request, bad params;
#   push.txt  a client that does not pull, with "workspaceDiagnostics": true
#             in .tmpl-ls.json: the files with problems published once the
#             index is built, an open document's own pushes, its copy on
#             disk published again when it closes, a deleted template's
#             list cleared, the same lists not sent twice, an open
#             template's edit (no document open) re-read by its documents;
#   off.txt   the setting's default: nothing pushed for files not open;
#   stalled.txt  with every scan stalled 3 s (TMPL_LS_TEST_STALL_SCAN_MS): a
#             pull waits for the scan, a $/cancelRequest then answers it
#             RequestCancelled, and `shutdown` answers the next one
#             ServerCancelled (retriggerRequest false).
# Run by tests/run.sh; prints one summary line for both runs of the
# transcript tool.
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-wsdiag-XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir" <<'PY'
import json, os, sys
root = sys.argv[1]
MTIME = 1700000000
FILES = {
    "templates/brief-tmpl.md": "# {{Service Name}} Brief\n\n[[LLM: Output file location: `docs/brief.md`]]\n\n"
                               "## Purpose\n\n{{purpose}}\n\n## Operations\n\nRun by {{team}}.\n",
    "docs/brief.md": "# Billing Brief\n\n## Purpose\n\n{{purpose}}\n",
    "docs/notes.md": "# Notes\n\nPlain words.\n",
    "templates/broken-tmpl.md": "# Broken\n\n<<REPEAT: a>>\n\n## A\n",
    "templates/plan-tmpl.yaml": "template:\n  id: broken-v1\n  output:\n    filename: docs/broken.md\nsections:\n"
                                "  - id: a\n    title: Example: Contractor Agent\n  - id: b\n    titel: Budget\n",
}
def make(ws, extra=None):
    files = dict(FILES, **(extra or {}))
    for rel, text in files.items():
        path = os.path.join(root, ws, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        os.utime(path, (MTIME, MTIME))
make("pull")
make("push", {".tmpl-ls.json": '{"workspaceDiagnostics": true}\n'})
make("off")

def line(o):
    return json.dumps(o, ensure_ascii=False)
def rng(l0, c0, l1, c1):
    return {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}
def diag(r, sev, code):
    return {"range": r, "severity": sev, "code": code, "source": "tmpl-ls", "message": "*"}
def size(rel):
    return len(FILES[rel].encode())

BRIEF = [diag(rng(4, 0, 4, 11), 2, "unfilled-placeholder"), diag(rng(5, 0, 5, 0), 3, "missing-section")]
BROKEN = [diag(rng(2, 0, 2, 13), 1, "unclosed-block")]
PLAN = [diag(rng(6, 11, 6, 36), 1, "yaml-syntax"), diag(rng(8, 4, 8, 9), 2, "unknown-key")]
ORDER = ["docs/brief.md", "docs/notes.md", "templates/brief-tmpl.md", "templates/broken-tmpl.md",
         "templates/plan-tmpl.yaml"]
ITEMS = {"docs/brief.md": BRIEF, "docs/notes.md": [], "templates/brief-tmpl.md": [],
         "templates/broken-tmpl.md": BROKEN, "templates/plan-tmpl.yaml": PLAN}

def rid(rel, gen):
    if rel.startswith("templates/"):
        return "%d.%d.0.s1" % (size(rel), MTIME)
    return "%d.%d.0.%d.s1" % (size(rel), MTIME, gen)

class T:
    def __init__(self, name):
        self.name, self.out = name, []
    def send(self, o):
        self.out.append("--> " + line(o))
    def expect(self, o):
        self.out.append("<-- " + line(o))
    def comment(self, text):
        self.out.append("\n# " + text)
    def write(self):
        with open(os.path.join(root, self.name), "w") as f:
            f.write("\n".join(self.out) + "\n")

def uri(ws, rel):
    return "file://${HERE}/%s/%s" % (ws, rel)
def full(ws, rel, gen, items=None, version=None, result_id=None):
    return {"kind": "full", "uri": uri(ws, rel), "version": version,
            "resultId": result_id or rid(rel, gen), "items": ITEMS[rel] if items is None else items}
def unchanged(ws, rel, gen):
    return {"kind": "unchanged", "uri": uri(ws, rel), "version": None, "resultId": rid(rel, gen)}
def prev(ws, pairs):
    return [{"uri": uri(ws, rel), "value": v} for rel, v in pairs]
def shutdown(t):
    t.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
    t.expect({"jsonrpc": "2.0", "id": 99, "result": None})
    t.send({"jsonrpc": "2.0", "method": "exit"})
    t.out.append("<-- exit 0")

# ---- pull
t = T("pull.txt")
t.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}/pull", "capabilities": {
    "textDocument": {"diagnostic": {}}, "workspace": {"diagnostics": {"refreshSupport": True}}}}})
t.expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": {"*": "*", "diagnosticProvider": {
    "identifier": "tmpl-ls", "interFileDependencies": True, "workspaceDiagnostics": True}}, "serverInfo": "*"}})
t.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t.comment("Every file, as partial results; the answer itself is empty (the spec's rule for partial results).")
t.send({"jsonrpc": "2.0", "id": 2, "method": "workspace/diagnostic", "params": {
    "previousResultIds": [], "partialResultToken": "p2", "workDoneToken": "w2"}})
t.expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "w2", "value": {
    "kind": "begin", "title": "Checking the workspace", "cancellable": False, "message": "5 files", "percentage": 0}}})
t.expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "p2", "value": {
    "items": [full("pull", r, 6) for r in ORDER]}}})
t.expect({"jsonrpc": "2.0", "method": "$/progress", "params": {"token": "w2", "value": {
    "kind": "end", "message": "5 files: 5 changed, 0 unchanged"}}})
t.expect({"jsonrpc": "2.0", "id": 2, "result": {"items": []}})
t.comment("The same result ids: unchanged, not read again; a file the client knew and is gone: empty, \"-\".")
known = [(r, rid(r, 6)) for r in ORDER]
t.send({"jsonrpc": "2.0", "id": 3, "method": "workspace/diagnostic", "params": {
    "previousResultIds": prev("pull", known + [("docs/gone.md", "9.9")])}})
t.expect({"jsonrpc": "2.0", "id": 3, "result": {"items": [unchanged("pull", r, 6) for r in ORDER] + [
    {"kind": "full", "uri": uri("pull", "docs/gone.md"), "version": None, "resultId": "-", "items": []}]}})
t.send({"jsonrpc": "2.0", "id": 4, "method": "workspace/diagnostic", "params": {
    "previousResultIds": prev("pull", known + [("docs/gone.md", "-")])}})
t.expect({"jsonrpc": "2.0", "id": 4, "result": {"items": [unchanged("pull", r, 6) for r in ORDER]}})
t.comment("An open document: its own text, version and result id (<revision>.<generation>).")
t.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri("pull", "docs/notes.md"), "languageId": "markdown", "version": 3, "text": "# Notes\n\n- Owner: {{owner}}\n"}}})
t.send({"jsonrpc": "2.0", "id": 5, "method": "workspace/diagnostic", "params": {"previousResultIds": prev("pull", known)}})
t.expect({"jsonrpc": "2.0", "id": 5, "result": {"items": [
    unchanged("pull", "docs/brief.md", 6),
    full("pull", "docs/notes.md", 6, [diag(rng(2, 9, 2, 18), 2, "unfilled-placeholder")], 3, "1.6")] +
    [unchanged("pull", r, 6) for r in ORDER[2:]]}})
t.comment("The template opened with a section more: a refresh; its document and the open one change.")
tmpl = FILES["templates/brief-tmpl.md"] + "\n## Costs\n"
t.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri("pull", "templates/brief-tmpl.md"), "languageId": "markdown", "version": 1, "text": tmpl}}})
t.expect({"jsonrpc": "2.0", "id": 1, "method": "workspace/diagnostic/refresh"})
t.send({"jsonrpc": "2.0", "id": 1, "result": None})
known5 = [(r, rid(r, 6)) for r in ORDER]
known5[1] = ("docs/notes.md", "1.6")
t.send({"jsonrpc": "2.0", "id": 6, "method": "workspace/diagnostic", "params": {"previousResultIds": prev("pull", known5)}})
t.expect({"jsonrpc": "2.0", "id": 6, "result": {"items": [
    full("pull", "docs/brief.md", 7, BRIEF + [diag(rng(5, 0, 5, 0), 3, "missing-section")]),
    full("pull", "docs/notes.md", 7, [diag(rng(2, 9, 2, 18), 2, "unfilled-placeholder")], 3, "1.7"),
    full("pull", "templates/brief-tmpl.md", 7, [], 1, "2.s1"),
    unchanged("pull", "templates/broken-tmpl.md", 7), unchanged("pull", "templates/plan-tmpl.yaml", 7)]}})
t.comment("Cancelled with the request; bad params.")
t.send({"jsonrpc": "2.0", "id": 7, "method": "workspace/diagnostic", "params": {"previousResultIds": []}})
t.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}})
t.expect({"jsonrpc": "2.0", "id": 7, "error": {"code": -32800, "message": "the request was cancelled"}})
t.send({"jsonrpc": "2.0", "id": 8, "method": "workspace/diagnostic", "params": {}})
t.expect({"jsonrpc": "2.0", "id": 8, "error": {"code": -32602, "message": "params.previousResultIds must be an array"}})
t.send({"jsonrpc": "2.0", "id": 9, "method": "workspace/diagnostic", "params": {"previousResultIds": [{"uri": "x"}]}})
t.expect({"jsonrpc": "2.0", "id": 9, "error": {"code": -32602,
                                               "message": "params.previousResultIds[0] must have a uri and a value"}})
shutdown(t)
t.write()

# ---- push
def publish(ws, rel, items, version=None):
    p = {"uri": uri(ws, rel), "diagnostics": items}
    if version is not None:
        p = {"uri": uri(ws, rel), "version": version, "diagnostics": items}
    return {"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": p}
t = T("push.txt")
t.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}/push", "capabilities": {}}})
t.expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
t.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t.comment("Once the index is built: the files with problems, in the folder's order.")
for r in ORDER:
    if ITEMS[r]:
        t.expect(publish("push", r, ITEMS[r]))
t.comment("Opened: its own pushes. Closed: cleared, then its copy on disk again.")
t.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri("push", "docs/brief.md"), "languageId": "markdown", "version": 1,
    "text": "# Billing Brief\n\n## Purpose\n\nBilling.\n\n## Operations\n\nRun by the payments team.\n"}}})
t.expect(publish("push", "docs/brief.md", [], 1))
t.send({"jsonrpc": "2.0", "method": "textDocument/didClose", "params": {"textDocument": {"uri": uri("push", "docs/brief.md")}}})
t.expect(publish("push", "docs/brief.md", []))
t.expect(publish("push", "docs/brief.md", BRIEF))
t.comment("A template deleted: its list cleared; the other lists, the same, are not sent again.")
t.send({"jsonrpc": "2.0", "method": "workspace/didDeleteFiles", "params": {"files": [
    {"uri": uri("push", "templates/broken-tmpl.md")}]}})
t.expect(publish("push", "templates/broken-tmpl.md", []))
t.comment("A template edited with no document open: its documents on disk read the new text.")
t.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
    "uri": uri("push", "templates/brief-tmpl.md"), "languageId": "markdown", "version": 1,
    "text": FILES["templates/brief-tmpl.md"]}}})
t.expect(publish("push", "templates/brief-tmpl.md", [], 1))
t.send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
    "textDocument": {"uri": uri("push", "templates/brief-tmpl.md"), "version": 2},
    "contentChanges": [{"range": rng(11, 0, 11, 0), "text": "\n## Costs\n"}]}})
t.expect(publish("push", "templates/brief-tmpl.md", [], 2))
t.expect(publish("push", "docs/brief.md", BRIEF + [diag(rng(5, 0, 5, 0), 3, "missing-section")]))
shutdown(t)
t.write()

# ---- off: the default pushes nothing for files that are not open
t = T("off.txt")
t.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}/off", "capabilities": {}}})
t.expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
t.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t.send({"jsonrpc": "2.0", "id": 2, "method": "workspace/symbol", "params": {"query": "notes"}})
t.expect({"jsonrpc": "2.0", "id": 2, "result": "*"})
shutdown(t)
t.write()

# ---- stalled: the scan is out for 3 s
t = T("stalled.txt")
t.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}/off", "capabilities": {
    "textDocument": {"diagnostic": {}}}}})
t.expect({"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}})
t.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
t.send({"jsonrpc": "2.0", "id": 2, "method": "workspace/diagnostic", "params": {"previousResultIds": []}})
t.out.append("!sleep 300")
t.comment("Cancelled while it waits for the scan.")
t.send({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 2}})
t.expect({"jsonrpc": "2.0", "id": 2, "error": {"code": -32800, "message": "the request was cancelled"}})
t.send({"jsonrpc": "2.0", "id": 3, "method": "workspace/diagnostic", "params": {"previousResultIds": []}})
t.out.append("!sleep 300")
t.comment("Shut down under it: ServerCancelled, not to be retriggered.")
t.send({"jsonrpc": "2.0", "id": 99, "method": "shutdown"})
t.expect({"jsonrpc": "2.0", "id": 3, "error": {"code": -32802, "message": "the server is shutting down",
                                               "data": {"retriggerRequest": False}}})
t.expect({"jsonrpc": "2.0", "id": 99, "result": None})
t.send({"jsonrpc": "2.0", "method": "exit"})
t.out.append("<-- exit 0")
t.write()
PY
# Two runs (the second with its scans stalled), one summary line. Under
# valgrind, the stalled run's exit leaves the scan's thread running: its
# stack and job are "possibly lost" on purpose (as in test_exit_deadline.sh),
# so only definite leaks fail it.
{ "$tool" "$server" "$dir/pull.txt" "$dir/push.txt" "$dir/off.txt"
  VALGRIND_OPTS="--show-leak-kinds=definite" TMPL_LS_TEST_STALL_SCAN_MS=3000 "$tool" "$server" "$dir/stalled.txt"; } \
  >"$dir/out" 2>&1
grep -v '^transcripts: ' "$dir/out"
awk '/^transcripts: / { p += $2; f += $4 } END { printf "transcripts: %d passed, %d failed\n", p, f; exit f > 0 }' "$dir/out"
