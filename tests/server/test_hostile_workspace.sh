#!/usr/bin/env bash
# tests/server/test_hostile_workspace.sh TRANSCRIPT_TOOL SERVER: the server
# over a workspace that holds what cannot be committed: FIFOs (as the
# settings file, and as a template announced by a watched-file event) and a
# template that is a link to a file outside the folder. The server must
# answer, name each file it did not read once, never show the outside
# file's text, and exit at once after `exit`. Run by tests/run.sh; prints
# the transcript tool's summary line.
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-hostile-XXXXXX)
trap 'rm -rf "$dir" "$dir-outside-tmpl.md"' EXIT
mkdir "$dir/templates"
mkfifo "$dir/.tmpl-ls.json" "$dir/templates/fifo-tmpl.md"
printf '# Secret\n\n## Hidden\n' > "$dir-outside-tmpl.md"
ln -s "$dir-outside-tmpl.md" "$dir/templates/out-tmpl.md"
printf '# Brief\n\n## Goals\n' > "$dir/templates/brief-tmpl.md"
cat > "$dir/hostile.txt" <<'TRANSCRIPT'
--> {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}", "capabilities": {}}}
<-- {"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}}
--> {"jsonrpc": "2.0", "method": "initialized", "params": {}}
# The scan neither blocks on the FIFO nor reads through the link, and says so once.
--> {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": "file://${HERE}/doc.md", "languageId": "markdown", "version": 1, "text": "<!-- tmpl-ls: template=templates/out-tmpl.md -->\n# Secret\n"}}}
--> {"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": {"textDocument": {"uri": "file://${HERE}/doc.md"}, "position": {"line": 1, "character": 3}}}
<-- {"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 2, "message": "${HERE}: not read: .tmpl-ls.json (not a regular file), templates/out-tmpl.md (a link to a file outside the folder)"}}
<-- {"jsonrpc": "2.0", "id": 2, "result": {"contents": {"kind": "markdown", "value": "No template found for this document.\n\nRule: none. the marker names templates/out-tmpl.md, which is not in the workspace; no marker, mapping or announced output path names a template, and no template's sections match well enough (best: templates/brief-tmpl.md, score 0/1000, 0 sections in order)"}, "range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 8}}}}
# The marker's template is the link that was not read: unknown-template says so.
<-- {"jsonrpc": "2.0", "method": "textDocument/publishDiagnostics", "params": {"uri": "file://${HERE}/doc.md", "version": 1, "diagnostics": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 48}}, "severity": 2, "code": "unknown-template", "source": "tmpl-ls", "message": "The marker names the template templates/out-tmpl.md, which is not found or cannot be read (tried templates/out-tmpl.md)"}]}}
# A FIFO template announced by a watched-file event: read without blocking, refused, named.
--> {"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {"changes": [{"uri": "file://${HERE}/templates/fifo-tmpl.md", "type": 1}]}}
--> {"jsonrpc": "2.0", "id": 3, "method": "textDocument/definition", "params": {"textDocument": {"uri": "file://${HERE}/doc.md"}, "position": {"line": 1, "character": 3}}}
<-- {"jsonrpc": "2.0", "method": "window/logMessage", "params": {"type": 2, "message": "${HERE}: not read: templates/fifo-tmpl.md (not a regular file)"}}
<-- {"jsonrpc": "2.0", "id": 3, "result": null}
# Once: the same event again says nothing more.
--> {"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": {"changes": [{"uri": "file://${HERE}/templates/fifo-tmpl.md", "type": 2}]}}
--> {"jsonrpc": "2.0", "id": 4, "method": "textDocument/definition", "params": {"textDocument": {"uri": "file://${HERE}/doc.md"}, "position": {"line": 1, "character": 3}}}
<-- {"jsonrpc": "2.0", "id": 4, "result": null}
--> {"jsonrpc": "2.0", "id": 9, "method": "shutdown"}
<-- {"jsonrpc": "2.0", "id": 9, "result": null}
--> {"jsonrpc": "2.0", "method": "exit"}
<-- exit 0
TRANSCRIPT
"$tool" "$server" "$dir/hostile.txt"
