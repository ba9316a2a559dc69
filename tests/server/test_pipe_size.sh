#!/usr/bin/env bash
# tests/server/test_pipe_size.sh TRANSCRIPT_TOOL SERVER: the server asks its
# stdin and stdout pipes to hold 1 MiB (server/lsp/server.c:
# tl_io__widen_pipe), so that a reply of megabytes crosses in a few writes.
# The server runs on two plain pipes made here (the transcript tool is not
# used); after its answer to initialize, both pipes hold 1 MiB when the
# system allows that much (fs.pipe-max-size), else what they held before.
# Prints "transcripts: N passed, N failed".
set -u
server=$2
/usr/bin/python3 - "$server" <<'PY'
import fcntl, json, os, subprocess, sys

F_GETPIPE_SZ = 1032  # Linux's fcntl command (fcntl.F_GETPIPE_SZ from Python 3.10)
WANT = 1 << 20

def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body

def read_message(f):
    length = None
    while True:
        line = f.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v)
    return json.loads(f.read(length))

r_in, w_in = os.pipe()
r_out, w_out = os.pipe()
before = fcntl.fcntl(w_in, F_GETPIPE_SZ)
with open("/proc/sys/fs/pipe-max-size") as f:
    limit = int(f.read())
want = WANT if limit >= WANT else before
proc = subprocess.Popen([sys.argv[1]], stdin=r_in, stdout=w_out)
os.close(r_in)
os.close(w_out)
to_server, from_server = os.fdopen(w_in, "wb", buffering=0), os.fdopen(r_out, "rb")
to_server.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
reply = read_message(from_server)
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("ok " + what)
    else:
        failed += 1
        print("FAIL: " + what)
check(reply is not None and reply.get("id") == 1 and "result" in reply, "initialize answered")
got_in, got_out = fcntl.fcntl(to_server.fileno(), F_GETPIPE_SZ), fcntl.fcntl(from_server.fileno(), F_GETPIPE_SZ)
check(got_in == want, "stdin's pipe holds %d bytes (want %d)" % (got_in, want))
check(got_out == want, "stdout's pipe holds %d bytes (want %d)" % (got_out, want))
to_server.write(frame({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
check(read_message(from_server) == {"jsonrpc": "2.0", "id": 2, "result": None}, "shutdown answered")
to_server.write(frame({"jsonrpc": "2.0", "method": "exit"}))
check(proc.wait(timeout=60) == 0, "exit 0")
print("transcripts: %d passed, %d failed" % (passed, failed))
PY
