#!/usr/bin/env python3
"""bench/hostile/run.py SERVER [CASE...]: time and memory of the server on
the hostile inputs of issue 10, one fresh server per case.

Each case starts SERVER on pipes in a temporary workspace, opens what it
needs (waiting for its diagnostics), sends one request (or a burst), and
prints the server's CPU seconds for it (user + system, from /proc: wall
time on a shared machine says more about the neighbours), the answer's
size and the server's peak RSS (VmHWM). Nothing is
asserted but that the server answers (it fails, exit 1, when the server
dies): this is for before/after figures (tests assert behaviour).

  completion_disk   placeholder completion in a template while a 2 MB
                    template of nested "{{" lies in the folder
  completion_open   the same with that template open
  selection         selectionRange with 100,000 positions
  codeaction        codeAction over the whole of a template of 100,000
                    nested REPEATs (select all, then ask for fixes)
  symbols           documentSymbol on 100,000 unclosed blocks
  burst             450 documentSymbol requests not read (~5 MB answers)
"""
import json, os, subprocess, sys, tempfile, time


def frame(obj):
    b = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(b) + b


class Server:
    def __init__(self, binary, root):
        self.p = subprocess.Popen([binary], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, cwd=root)
        self.buf = b""

    def send(self, obj):
        self.p.stdin.write(frame(obj))
        self.p.stdin.flush()

    def more(self):
        chunk = self.p.stdout.read1(1 << 20)
        if not chunk:  # the server is gone: fail, do not wait on a closed pipe
            sys.exit("hostile: the server closed its output (exit status %s)" % self.p.wait())
        return chunk

    def read(self):
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.more()
        head, rest = self.buf.split(b"\r\n\r\n", 1)
        n = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length")][0].split(b":")[1])
        while len(rest) < n:
            rest += self.more()
        self.buf = rest[n:]
        return rest[:n]

    def wait_id(self, want):
        while True:
            body = self.read()
            m = json.loads(body)
            if m.get("id") == want and "method" not in m:
                return body
            if "method" in m and "id" in m:  # a request to us: answer null
                self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})

    def cpu(self):
        """The server's CPU seconds so far (user + system): wall time on a shared machine misleads."""
        with open("/proc/%d/stat" % self.p.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def hwm_mb(self):
        with open("/proc/%d/status" % self.p.pid) as f:
            for line in f:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) / 1024
        return 0

    def close(self):
        try:
            self.send({"jsonrpc": "2.0", "id": 999999, "method": "shutdown"})
            self.wait_id(999999)
            self.send({"jsonrpc": "2.0", "method": "exit"})
            self.p.wait(timeout=30)
        except Exception:
            self.p.kill()


def start(binary, root):
    s = Server(binary, root)
    s.send({"jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": {"capabilities": {"textDocument": {
                "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                    "", "quickfix", "refactor", "refactor.rewrite", "source"]}}},
                "documentSymbol": {"hierarchicalDocumentSymbolSupport": True}}},
                "rootUri": "file://" + root,
                       "workspaceFolders": [{"uri": "file://" + root, "name": "w"}]}})
    s.wait_id(0)
    s.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    return s


def open_doc(s, uri, text):
    """Open and wait for its diagnostics: the request timed next is timed alone."""
    s.send({"jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    while True:
        m = json.loads(s.read())
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
            return
        if "method" in m and "id" in m:
            s.send({"jsonrpc": "2.0", "id": m["id"], "result": None})


def timed(s, req_id, method, params):
    """CPU seconds the server spent on the request, and the answer's size."""
    t = s.cpu()
    s.send({"jsonrpc": "2.0", "id": req_id, "method": method, "params": params})
    body = s.wait_id(req_id)
    return s.cpu() - t, len(body)


NESTED = "{{" * 500000 + "x" + "}}" * 500000 + "\n"  # 2 MB, nested past the parser's 256 levels


def case_completion(binary, root, is_open):
    with open(os.path.join(root, "big-tmpl.md"), "w") as f:
        f.write("# Big\n\n" + NESTED)
    s = start(binary, root)
    time.sleep(3)  # the folder's scan reads the big template (off the loop)
    if is_open:
        open_doc(s, "file://%s/big-tmpl.md" % root, "# Big\n\n" + NESTED)
    uri = "file://%s/other-tmpl.md" % root
    open_doc(s, uri, "# Other\n\n{{")
    secs, size = timed(s, 1, "textDocument/completion",
                       {"textDocument": {"uri": uri}, "position": {"line": 2, "character": 2}})
    return s, secs, size


def case_selection(binary, root):
    s = start(binary, root)
    uri = "file://%s/s-tmpl.md" % root
    open_doc(s, uri, "# S\n\n" + "{{a}} text\n" * 1000)
    pos = [{"line": 2 + (i % 1000), "character": 2} for i in range(100000)]
    secs, size = timed(s, 1, "textDocument/selectionRange", {"textDocument": {"uri": uri}, "positions": pos})
    return s, secs, size


def case_codeaction(binary, root):
    s = start(binary, root)
    uri = "file://%s/c-tmpl.md" % root
    text = "# C\n\n" + "<<REPEAT: r>>\n" * 100000 + "<</REPEAT>>\n" * 100000
    open_doc(s, uri, text)
    secs, size = timed(s, 1, "textDocument/codeAction",
                       {"textDocument": {"uri": uri},
                        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 200002, "character": 0}},
                        "context": {"diagnostics": []}})
    return s, secs, size


def case_symbols(binary, root):
    s = start(binary, root)
    uri = "file://%s/u-tmpl.md" % root
    open_doc(s, uri, "# U\n\n" + "<<REPEAT: r>>\n^^CONDITION: c^^\n" * 50000)
    secs, size = timed(s, 1, "textDocument/documentSymbol", {"textDocument": {"uri": uri}})
    return s, secs, size


def case_burst(binary, root):
    s = start(binary, root)
    uri = "file://%s/b-tmpl.md" % root
    open_doc(s, uri, "# B\n\n" + "".join("## S%d\n\n{{p%d}}\n\n" % (i, i) for i in range(20000)))
    t = s.cpu()
    for i in range(450):
        s.p.stdin.write(frame({"jsonrpc": "2.0", "id": 10 + i, "method": "textDocument/documentSymbol",
                               "params": {"textDocument": {"uri": uri}}}))
    s.p.stdin.flush()
    time.sleep(8)  # not reading: the server must not hold every answer
    size = 0
    for i in range(450):
        size += len(s.wait_id(10 + i))
    hwm = s.hwm_mb()
    return s, s.cpu() - t, size, hwm


def main():
    binary = os.path.abspath(sys.argv[1])
    cases = sys.argv[2:] or ["completion_disk", "completion_open", "selection", "codeaction", "symbols", "burst"]
    for name in cases:
        with tempfile.TemporaryDirectory(prefix="tl-bench-") as root:
            hwm = None
            if name == "completion_disk": s, secs, size = case_completion(binary, root, False)
            elif name == "completion_open": s, secs, size = case_completion(binary, root, True)
            elif name == "selection": s, secs, size = case_selection(binary, root)
            elif name == "codeaction": s, secs, size = case_codeaction(binary, root)
            elif name == "symbols": s, secs, size = case_symbols(binary, root)
            elif name == "burst": s, secs, size, hwm = case_burst(binary, root)
            else: sys.exit("unknown case " + name)
            if hwm is None: hwm = s.hwm_mb()
            print("%-16s %8.2f s CPU %12d bytes  peak RSS %7.1f MB" % (name, secs, size, hwm), flush=True)
            s.close()


if __name__ == "__main__":
    main()
