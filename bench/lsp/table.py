#!/usr/bin/env python3
"""The table of bench/lsp/run.sh: medians per server and case, ratios
peer / tmpl-ls, then one goal line per case (issue #13's goals: met, not met
with the value against the goal, n/a when the peer was not run).

usage: table.py RESULTS_DIR CASES PEERS REPEAT SECONDS
  CASES, PEERS: comma lists (PEERS may be empty).  Reads RESULTS_DIR/SERVER-CASE.json
  (lspbench.py output) and RESULTS_DIR/SERVER-CASE.skipped (one line: why the
  peer was not run).  Exit status 1 when tmpl-ls failed in any case, else 0.
"""
import json, os, statistics, sys

LABEL = {"15k": "15 KB", "1m": "1 MB", "10m": "10 MB", "yaml-1m": "YAML 1 MB", "doc-1m": "doc 1 MB"}
# the size whose absolute goals a case is held to
GOAL_SIZE = {"1m": "1m", "10m": "10m", "yaml-1m": "1m", "doc-1m": "1m"}
P99_GOAL = {"1m": 10.0, "10m": 20.0}
DIAG_GOAL = {"1m": 50.0, "10m": 300.0}
RSS_GOAL = {"1m": 25.0}
# the peers that have a row in a case, and why the others do not
NO_PEER = {"yaml-1m": "no Markdown server reads YAML templates"}
PEER_CASES = {"shopify": ("15k", "1m", "10m")}   # shopify reads the Liquid version of the generated text only
ROWS = [("initialize ms", "init"), ("open → first diagnostics ms", "diag"), ("documentSymbol ms", "documentSymbol"),
        ("foldingRange ms", "foldingRange"), ("completion ms", "completion"), ("typing storm p50 ms", "p50"),
        ("typing storm p99 ms", "p99"), ("keeps up at 50 keys/s", "keeps"), ("peak RSS MB", "rss")]
LATENCY = [("initialize", "init"), ("open → first diagnostics", "diag"), ("documentSymbol", "documentSymbol"),
           ("foldingRange", "foldingRange"), ("completion", "completion"), ("storm p50", "p50"), ("storm p99", "p99")]


def peer_runs_in(peer, case):
    if case in NO_PEER:
        return False
    return case in PEER_CASES.get(peer, (case,))


def load(R, name, case):
    """(runs, problems, skipped reason)"""
    sk = os.path.join(R, "%s-%s.skipped" % (name, case))
    if os.path.exists(sk):
        with open(sk) as f:
            return None, [], f.read().strip() or "not run"
    try:
        with open(os.path.join(R, "%s-%s.json" % (name, case))) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        return None, ["no result (%s)" % e.__class__.__name__], None
    return (d.get("runs") or [d]), [], None


def get(r, path):
    for k in path.split("."):
        if not isinstance(r, dict) or k not in r:
            return None
        r = r[k]
    return r


def num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def med(vals):
    vals = [v for v in vals if num(v)]
    return statistics.median(vals) if vals else None


def problems(runs):
    out = []
    for i, r in enumerate(runs):
        if r.get("error"):
            out.append("run %d: %s" % (i + 1, r["error"]))
        if r.get("exit_code") not in (0, None):
            out.append("run %d: exit code %s" % (i + 1, r.get("exit_code")))
        if r.get("diag_push_ms") is None and r.get("diag_pull_ms") is None:
            out.append("run %d: no diagnostics" % (i + 1))
        for k in ("documentSymbol", "foldingRange", "completion"):
            v = r.get(k)
            if isinstance(v, dict) and (v.get("timeout") or v.get("error")):
                out.append("run %d: %s %s" % (i + 1, k, "timeout" if v.get("timeout") else v.get("error")))
        for m in ("closed", "paced"):
            if get(r, "storm.%s.timeout" % m):
                out.append("run %d: %s storm timeout" % (i + 1, m))
    return out


KEYS = ("init", "diag", "diag_kind", "documentSymbol", "foldingRange", "completion", "p50", "p99", "capped",
        "keeps", "keeps_n", "keeps_of", "rss", "bytes")


def metrics(runs):
    """metric -> value (None: failed / no figure; "-": not offered)"""
    m = dict.fromkeys(KEYS)
    ok = [r for r in runs if r.get("init_ms") is not None]
    if not ok:
        return m
    m["init"] = med(r.get("init_ms") for r in ok)
    push, pull = med(r.get("diag_push_ms") for r in ok), med(r.get("diag_pull_ms") for r in ok)
    if pull is not None and (push is None or pull <= push):
        m["diag"], m["diag_kind"] = pull, "pull"
    elif push is not None:
        m["diag"], m["diag_kind"] = push, "push"
    for k in ("documentSymbol", "foldingRange", "completion"):
        offered = any(get(r, "supports." + k) for r in ok)
        # warm median of the repeats when there is one, else the first request
        v = med((get(r, k + ".warm_ms") if get(r, k + ".warm_ms") is not None else get(r, k + ".first_ms")) for r in ok)
        m[k] = v if offered else "-"
    m["p50"] = med(get(r, "storm.closed.p50_ms") for r in ok)
    m["p99"] = med(get(r, "storm.closed.p99_ms") for r in ok)
    m["capped"] = any(get(r, "storm.closed.capped") for r in ok)
    ku = [bool(get(r, "storm.paced.keeps_up")) for r in ok if get(r, "storm.paced.keeps_up") is not None]
    if ku:
        m["keeps_n"], m["keeps_of"] = sum(ku), len(ku)
        m["keeps"] = ("yes" if sum(ku) * 2 > len(ku) else "no") + ("" if all(ku) or not any(ku) else " (%d/%d)" % (sum(ku), len(ku)))
    m["rss"] = med((r.get("vmhwm_kb") or 0) / 1024 for r in ok if r.get("vmhwm_kb"))
    m["bytes"] = med(r.get("file_bytes") for r in ok)
    return m


def fmt(v):
    if v is None:
        return "failed"
    if v == "-":
        return "–"
    if isinstance(v, str):
        return v
    if v >= 100:
        return "{:,.0f}".format(v)
    if v >= 10:
        return "%.1f" % v
    return "%.2f" % v


def ratio(p, t):
    if not num(p) or not num(t) or t <= 0:
        return "–"
    x = p / t
    return "{:,.0f}×".format(x) if x >= 100 else "%.1f×" % x if x >= 10 else "%.2f×" % x


def gfmt(x, goal):
    """x as the table shows it, with more digits when that would hide which side of the goal it is on"""
    s = fmt(x)
    return "%.2f" % x if x > goal and s == fmt(goal) else s


def goal_line(case, t, v, vsmd_why=None):
    """The goal line of one case.  t: tmpl-ls's metrics (None: no result),
    v: vsmd's (None: not run, vsmd_why says why)."""
    gs = GOAL_SIZE.get(case)
    out = []

    def add(goal, ok, detail):
        out.append("%s: %s" % (goal, ("met" if ok else "not met") + (" (%s)" % detail if detail else "")))

    def na(goal, why):
        out.append("%s: n/a (%s)" % (goal, why))

    tf = t is None or t["init"] is None
    # every request faster than vsmd
    goal = "every request faster than vsmd"
    if v is None:
        na(goal, vsmd_why or "vsmd not run")
    elif tf:
        add(goal, False, "tmpl-ls failed")
    else:
        slow = []
        for name, k in LATENCY:
            a, b = t[k], v[k]
            if a == "-" or b == "-":
                continue          # not offered by one of them: no race
            if a is None:
                slow.append("%s: tmpl-ls failed" % name)
            elif num(b) and a >= b:
                slow.append("%s %s vs %s ms" % (name, fmt(a), fmt(b)))
            # b is None (vsmd failed or timed out) and a answered: faster
        add(goal, not slow, "; ".join(slow) if slow else None)
    if gs in P99_GOAL:
        g = P99_GOAL[gs]
        goal = "storm p99 ≤ %g ms" % g
        p99 = None if tf else t["p99"]
        add(goal, p99 is not None and p99 <= g, "failed" if p99 is None else "%s ms" % gfmt(p99, g))
        goal = "keeps up at 50 keys/s"
        n, of = (None, None) if tf else (t["keeps_n"], t["keeps_of"])
        if n is None:
            add(goal, False, "failed")
        else:
            add(goal, n == of, "%d/%d runs" % (n, of))
    if gs in DIAG_GOAL:
        g = DIAG_GOAL[gs]
        goal = "open → first diagnostics ≤ %g ms" % g
        d = None if tf else t["diag"]
        add(goal, d is not None and d <= g, "failed" if d is None else "%s ms" % gfmt(d, g))
    goal = "peak RSS ≤ 1/20 of vsmd's"
    rss = None if tf else t["rss"]
    if v is None:
        na(goal, vsmd_why or "vsmd not run")
    elif rss is None:
        add(goal, False, "tmpl-ls failed")
    elif not num(v["rss"]):
        na(goal, "no vsmd figure")
    else:
        add(goal, rss <= v["rss"] / 20, "%s vs %s MB" % (gfmt(rss, v["rss"] / 20), fmt(v["rss"] / 20)))
    if gs in RSS_GOAL:
        g = RSS_GOAL[gs]
        goal = "peak RSS ≤ %g MB" % g
        add(goal, rss is not None and rss <= g, "failed" if rss is None else "%s MB" % gfmt(rss, g))
    if rss is not None and num(t["bytes"]) and t["bytes"] >= 1000000:   # at 15 KB the process's own size dominates
        out.append("peak RSS / text size: %s (goal: a small constant, no figure set)"
                   % ratio(rss * 1048576, t["bytes"]))
    return "goals %s: %s" % (LABEL.get(case, case), "; ".join(out))


def main(argv):
    R, cases, peers, repeat, secs = argv[1], argv[2].split(","), [p for p in argv[3].split(",") if p], argv[4], argv[5]
    servers = ["tmpl-ls"] + peers
    fail = False
    notes, goals, skips = [], [], []
    print("LSP benchmark: medians of %s run(s) per server and case; ratio = peer / tmpl-ls (how many times "
          "faster or smaller tmpl-ls is); – = not offered or no row; total %s s" % (repeat, secs))
    print()
    hdr = ["case", "metric", "tmpl-ls"] + sum([[p, p + " / tmpl-ls"] for p in peers], [])
    print("| " + " | ".join(hdr) + " |")
    print("|" + "---|" * len(hdr))
    for case in cases:
        res, why = {}, {}
        for s in servers:
            if s != "tmpl-ls" and not peer_runs_in(s, case):
                res[s], why[s] = None, NO_PEER.get(case, "no %s row for this case" % s)
                continue
            runs, errs, skipped = load(R, s, case)
            if skipped:
                res[s], why[s] = None, "%s not run: %s" % (s, skipped)
                skips.append("%s %s: %s" % (s, LABEL.get(case, case), skipped))
                continue
            errs += problems(runs) if runs else []
            if errs:
                notes.append("%s %s: %s" % (s, case, "; ".join(errs[:5])))
                if s == "tmpl-ls":
                    fail = True
            res[s] = metrics(runs) if runs else dict.fromkeys(KEYS)
        for label, key in ROWS:
            row = [LABEL.get(case, case), label]
            t = res["tmpl-ls"][key]
            for s in servers:
                m = res[s]
                if m is None:
                    row += ["not run" if s in why and "not run" in why[s] else "–"] + (["–"] if s != "tmpl-ls" else [])
                    continue
                v = m[key]
                txt = fmt(v)
                if key == "diag" and v is not None:
                    txt += " (%s)" % m["diag_kind"]
                if key in ("p50", "p99") and m["capped"] and v is not None:
                    txt += "*"
                if key == "diag" and v is None and m["init"] is not None:
                    txt = "none"
                row.append(txt)
                if s != "tmpl-ls":
                    row.append("–" if key == "keeps" else ratio(v, t))
            print("| " + " | ".join(row) + " |")
        v = res.get("vsmd")
        vwhy = why.get("vsmd") or ("vsmd not run" if "vsmd" not in peers else None)
        goals.append(goal_line(case, res["tmpl-ls"], v, vwhy))
    print()
    print("* storm capped at 12 s of sending: fewer than 500 edits, a lower bound on the server's slowness.")
    print()
    for g in goals:
        print(g)
    for n in skips:
        print("not run: " + n)
    for n in notes:
        print("problem: " + n)
    if fail:
        print("tmpl-ls FAILED (see build/bench-lsp/logs)")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
