#!/usr/bin/env bash
# tests/server/test_exit_deadline.sh TRANSCRIPT_TOOL SERVER: `exit` ends the
# process within a bounded time whatever a workspace scan is doing. The
# server's fault injection TMPL_LS_TEST_STALL_SCAN_MS makes the scan hang for
# 30 s (as on a file system that does not answer); after shutdown and exit
# the process must be gone with status 0 well before that: its grace is 1 s.
# Prints "transcripts: N passed, N failed" (the transcript, then the time).
set -u
tool=$1 server=$2
dir=$(mktemp -d /tmp/tl-deadline-XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/templates"
printf '# Brief\n\n## Goals\n' > "$dir/templates/brief-tmpl.md"
cat > "$dir/deadline.txt" <<'TRANSCRIPT'
--> {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"rootUri": "file://${HERE}", "capabilities": {}}}
<-- {"jsonrpc": "2.0", "id": 1, "result": {"capabilities": "*", "serverInfo": "*"}}
--> {"jsonrpc": "2.0", "method": "initialized", "params": {}}
--> {"jsonrpc": "2.0", "id": 9, "method": "shutdown"}
<-- {"jsonrpc": "2.0", "id": 9, "result": null}
--> {"jsonrpc": "2.0", "method": "exit"}
<-- exit 0
TRANSCRIPT
# Under valgrind (tests/run.sh valgrind): a process that leaves with a
# thread still running leaves that thread's stack and TLS "possibly lost";
# that is the point here, so only definite leaks are shown (and fail).
export VALGRIND_OPTS="--show-leak-kinds=definite"
start=$(date +%s%N)
TMPL_LS_TEST_STALL_SCAN_MS=30000 "$tool" "$server" "$dir/deadline.txt" > "$dir/out" 2>&1
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
sed '/^transcripts:/d' "$dir/out"
passed=0 failed=0
if [ $rc = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
# 1 s of grace, plus the server's start (under valgrind, a few seconds);
# and not under the grace: then the scan was not stalled, and this tested nothing
if [ $ms -ge 900 ] && [ $ms -lt 10000 ]; then
  passed=$((passed + 1)); echo "ok exit within ${ms} ms of a 30 s stalled scan"
else
  failed=$((failed + 1)); echo "FAIL: exit took ${ms} ms with a stalled scan (grace 1 s: want 0.9 to 10 s)"
fi
echo "transcripts: $passed passed, $failed failed"
