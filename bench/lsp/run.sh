#!/bin/bash
# LSP performance benchmark: tmpl-ls side by side with peer language servers,
# same driver (/work/shared/bench/lspbench.py), same document, same options;
# prints one table with medians and ratios peer/tmpl-ls.  See bench/lsp/README.md.
#
# usage: bench/lsp/run.sh [--sizes 15k,1m] [--peers vsmd,remark,shopify|none] [--repeat N]
set -u
cd "$(dirname "$0")/../.."
ROOT=$PWD
SHARED=${LSPBENCH_SHARED:-/work/shared/bench}
W=$ROOT/build/bench-lsp
SIZES=15k,1m PEERS=vsmd REPEAT=3
while [[ $# -gt 0 ]]; do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --peers) PEERS=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    -h|--help) sed -n 2,7p "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ $PEERS == none ]] && PEERS=
IFS=, read -ra SIZE_LIST <<<"$SIZES"
IFS=, read -ra PEER_LIST <<<"$PEERS"
for s in "${SIZE_LIST[@]}"; do [[ $s == 15k || $s == 1m || $s == 10m ]] || { echo "run.sh: size $s: 15k, 1m or 10m" >&2; exit 2; }; done
for p in "${PEER_LIST[@]}"; do [[ $p == vsmd || $p == remark || $p == shopify ]] || { echo "run.sh: peer $p: vsmd, remark or shopify" >&2; exit 2; }; done
T0=$(date +%s)

# --- the server
make -s build/release/tmpl-ls >&2 || { echo "run.sh: cannot build tmpl-ls" >&2; exit 1; }
TMPL=${TMPL_LS:-$ROOT/build/release/tmpl-ls}  # TMPL_LS: another build to measure

# --- documents (once); tmpl-ls gets the same bytes named *-tmpl.md, so that it
# treats the text as the template it is (infra.md would be a plain document)
mkdir -p "$W"
if [[ ! -s $W/docs/md-10m/infra.md || ! -s $W/docs/theme-10m/snippets/infra.liquid ]]; then
  echo "== generating documents into $W/docs" >&2
  python3 "$SHARED/gen_docs.py" "$W/docs" >&2 || { echo "run.sh: gen_docs.py failed" >&2; exit 1; }
fi
for s in 15k 1m 10m; do
  mkdir -p "$W/tdocs/md-$s"
  cmp -s "$W/docs/md-$s/infra.md" "$W/tdocs/md-$s/infra-tmpl.md" || cp "$W/docs/md-$s/infra.md" "$W/tdocs/md-$s/infra-tmpl.md"
done

# --- peers (once): the shared package.json, helpers copied next to node_modules
P=$W/peers
if [[ ${#PEER_LIST[@]} -gt 0 ]]; then
  mkdir -p "$P/remark-ls"
  cp "$SHARED/mdparse_helper.mjs" "$SHARED/shopify-ls.cjs" "$P/"
  cp "$SHARED/remark-ls/index.mjs" "$P/remark-ls/"
  if ! cmp -s "$SHARED/peers-package.json" "$P/package.json" || [[ ! -d $P/node_modules/vscode-markdown-languageserver ]]; then
    cp "$SHARED/peers-package.json" "$P/package.json"
    echo "== npm install into $P" >&2
    (cd "$P" && npm install --no-audit --no-fund --loglevel=error >&2) || echo "run.sh: npm install failed; peers will be reported as failed" >&2
  fi
  # remark's server loads `remark` from the document's folder upwards: let
  # build/bench-lsp/docs see the peers' node_modules
  ln -sfn peers/node_modules "$W/node_modules"
fi

# --- runs
R=$W/results; L=$W/logs; mkdir -p "$R" "$L"; rm -f "$R"/*.json
B=(python3 "$SHARED/lspbench.py")
# same options for every server at a size; storms: closed loop (500 edits,
# capped at 10 s of sending) and paced (50 keys/s); the burst mode is skipped
COMMON=(--req-repeat 2 --storm-mode closed,paced --storm-max-s 10 --drain-timeout-s 10)
size_opts() {
  case $1 in
    15k) echo "--diag-timeout-s 30 --req-timeout-s 30" ;;
    1m)  echo "--diag-timeout-s 60 --req-timeout-s 60" ;;
    10m) echo "--diag-timeout-s 300 --req-timeout-s 300" ;;
  esac
}
run() { # name size args...
  local name=$1 size=$2; shift 2
  echo "== $(date +%T) $name $size x$REPEAT" >&2
  # shellcheck disable=SC2046
  "${B[@]}" --label "$name-$size" --repeat "$REPEAT" --out "$R/$name-$size.json" \
    --stderr "$L/$name-$size.stderr" "${COMMON[@]}" $(size_opts "$size") "$@" 2>>"$L/driver.log" \
    || echo "run.sh: lspbench.py failed for $name $size (see $L/driver.log)" >&2
}
for s in "${SIZE_LIST[@]}"; do
  run tmpl-ls "$s" --cmd "$TMPL" --file "$W/tdocs/md-$s/infra-tmpl.md" --pos-after '{{' --storm-pos-after '](#'
  for p in "${PEER_LIST[@]}"; do
    case $p in
      vsmd) run vsmd "$s" --cmd "node $P/node_modules/vscode-markdown-languageserver/dist/node/workerMain.js --stdio" \
              --file "$W/docs/md-$s/infra.md" --settings "$(cat "$SHARED/settings-md.json")" \
              --handler "markdown/parse=node $P/mdparse_helper.mjs" \
              --respond 'markdown/findMarkdownFilesInWorkspace=[]' --pos-after '](#' --storm-pos-after '](#' ;;
      remark) run remark "$s" --cmd "node $P/remark-ls/index.mjs --stdio" --file "$W/docs/md-$s/infra.md" \
              --settings '{"remark":{"requireConfig":false}}' --pos-after '](#' --storm-pos-after '](#' ;;
      shopify) run shopify "$s" --cmd "env XDG_CACHE_HOME=$P/cache node $P/shopify-ls.cjs --stdio" \
              --file "$W/docs/theme-$s/snippets/infra.liquid" --language-id liquid --pos-after '{{ ' --storm-pos-after '{{ ' ;;
    esac
  done
done

# --- table
python3 - "$R" "$SIZES" "$PEERS" "$REPEAT" "$(( $(date +%s) - T0 ))" <<'PY' | tee "$R/table.md"
import json, os, statistics, sys
R, sizes, peers, repeat, secs = sys.argv[1], sys.argv[2].split(","), [p for p in sys.argv[3].split(",") if p], sys.argv[4], sys.argv[5]
servers = ["tmpl-ls"] + peers
SIZE = {"15k": "15 KB", "1m": "1 MB", "10m": "10 MB"}

def load(name, size):
    try:
        with open(os.path.join(R, "%s-%s.json" % (name, size))) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        return None, ["no result (%s)" % e.__class__.__name__]
    return (d.get("runs") or [d]), []

def get(r, path):
    for k in path.split("."):
        if not isinstance(r, dict) or k not in r:
            return None
        r = r[k]
    return r

def med(vals):
    vals = [v for v in vals if isinstance(v, (int, float)) and not isinstance(v, bool)]
    return statistics.median(vals) if vals else None

def problems(runs):
    out = []
    for i, r in enumerate(runs):
        for k in ("error",):
            if r.get(k): out.append("run %d: %s" % (i + 1, r[k]))
        if r.get("exit_code") not in (0, None): out.append("run %d: exit code %s" % (i + 1, r.get("exit_code")))
        if r.get("diag_push_ms") is None and r.get("diag_pull_ms") is None: out.append("run %d: no diagnostics" % (i + 1))
        for k in ("documentSymbol", "foldingRange", "completion"):
            v = r.get(k)
            if isinstance(v, dict) and (v.get("timeout") or v.get("error")):
                out.append("run %d: %s %s" % (i + 1, k, "timeout" if v.get("timeout") else v.get("error")))
        for m in ("closed", "paced"):
            if get(r, "storm.%s.timeout" % m): out.append("run %d: %s storm timeout" % (i + 1, m))
    return out

def metrics(runs):
    """metric -> (value or None for not offered, display text)"""
    m = {}
    ok = [r for r in runs if "init_ms" in r and r.get("init_ms") is not None]
    if not ok:
        return {k: None for k in ("init", "diag", "diag_kind", "documentSymbol", "foldingRange", "completion",
                                  "p50", "p99", "capped", "keeps", "rss")}
    m["init"] = med(r.get("init_ms") for r in ok)
    push, pull = med(r.get("diag_push_ms") for r in ok), med(r.get("diag_pull_ms") for r in ok)
    if pull is not None and (push is None or pull <= push): m["diag"], m["diag_kind"] = pull, "pull"
    elif push is not None: m["diag"], m["diag_kind"] = push, "push"
    else: m["diag"], m["diag_kind"] = None, None
    for k in ("documentSymbol", "foldingRange", "completion"):
        offered = any(get(r, "supports." + k) for r in ok)
        # warm median of the repeats when there is one, else the first request
        v = med((get(r, k + ".warm_ms") if get(r, k + ".warm_ms") is not None else get(r, k + ".first_ms")) for r in ok)
        m[k] = v if offered else "-"
    m["p50"] = med(get(r, "storm.closed.p50_ms") for r in ok)
    m["p99"] = med(get(r, "storm.closed.p99_ms") for r in ok)
    m["capped"] = any(get(r, "storm.closed.capped") for r in ok)
    ku = [get(r, "storm.paced.keeps_up") for r in ok if get(r, "storm.paced.keeps_up") is not None]
    m["keeps"] = ("yes" if sum(ku) * 2 > len(ku) else "no") + ("" if all(ku) or not any(ku) else " (%d/%d)" % (sum(ku), len(ku))) if ku else None
    m["rss"] = med((r.get("vmhwm_kb") or 0) / 1024 for r in ok if r.get("vmhwm_kb"))
    return m

def fmt(v):
    if v is None: return "failed"
    if v == "-": return "–"
    if isinstance(v, str): return v
    if v >= 100: return "{:,.0f}".format(v)
    if v >= 10: return "%.1f" % v
    return "%.2f" % v

def ratio(p, t):
    if not isinstance(p, (int, float)) or not isinstance(t, (int, float)) or t <= 0: return "–"
    x = p / t
    return ("{:,.0f}×".format(x) if x >= 100 else "%.1f×" % x if x >= 10 else "%.2f×" % x)

ROWS = [("initialize ms", "init"), ("open → first diagnostics ms", "diag"), ("documentSymbol ms", "documentSymbol"),
        ("foldingRange ms", "foldingRange"), ("completion ms", "completion"), ("typing storm p50 ms", "p50"),
        ("typing storm p99 ms", "p99"), ("keeps up at 50 keys/s", "keeps"), ("peak RSS MB", "rss")]
fail = False
notes = []
print("LSP benchmark: medians of %s run(s) per server and size; ratio = peer / tmpl-ls (how many times faster or smaller tmpl-ls is); – = not offered; total %s s" % (repeat, secs))
print()
hdr = ["size", "metric", "tmpl-ls"] + sum([[p, p + " / tmpl-ls"] for p in peers], [])
print("| " + " | ".join(hdr) + " |")
print("|" + "---|" * len(hdr))
for size in sizes:
    res = {}
    for s in servers:
        runs, errs = load(s, size)
        errs += problems(runs) if runs else []
        if errs:
            notes.append("%s %s: %s" % (s, size, "; ".join(errs[:5])))
            if s == "tmpl-ls": fail = True
        res[s] = metrics(runs) if runs else None
    for label, key in ROWS:
        row = [SIZE.get(size, size), label]
        t = res["tmpl-ls"][key] if res["tmpl-ls"] else None
        for s in servers:
            m = res[s]
            v = m[key] if m else None
            txt = fmt(v)
            if m and key == "diag" and v is not None: txt += " (%s)" % m["diag_kind"]
            if m and key in ("p50", "p99") and m["capped"] and v is not None: txt += "*"
            if m and key == "diag" and v is None: txt = "none"
            row.append(txt)
            if s != "tmpl-ls":
                row.append("–" if key == "keeps" else ratio(v, t))
        print("| " + " | ".join(row) + " |")
print()
print("* storm capped at 10 s of sending: fewer than 500 edits, a lower bound on the server's slowness.")
for n in notes: print("problem: " + n)
if fail: print("tmpl-ls FAILED (see build/bench-lsp/logs)")
sys.exit(1 if fail else 0)
PY
exit "${PIPESTATUS[0]}"
