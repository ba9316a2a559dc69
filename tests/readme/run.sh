#!/bin/bash
# tests/readme/run.sh TARBALL: the README's commands, as a user types them.
#
# Every shell block of README.md marked by the line before its fence,
#   <!-- readme-test: in=WHERE [status=N] [lines=K] [steps] -->
# runs with bash, in README order, in one fresh HOME (tmpl-ls is not on
# PATH but in ~/.local/bin, once a block has put it there, as a reader
# following the README has it; "repo" blocks have a HOME of their own):
# WHERE is "dist" (a folder holding the release tarball and
# its .sha256, as downloaded), "workspace" (a copy of examples/workspace) or
# "repo" (this repository, for make); status is the exit status of the
# block's last line (default 0), every line before it must succeed (a
# command on the left of && or || is the shell's own test, as ever); lines runs only its first K lines;
# steps marks a ```yaml block of GitHub Actions steps: its `- run:` lines
# are the block (a `uses:` step is GitHub's own action, not run here), and
# a file it names as `sarif_file:` must then be SARIF 2.1.0 with results
# (the run line may end in `|| true`). A block gets 15 minutes. Prints
# "ok NAME" / "not ok NAME: WHY" and "readme: N passed, N failed"; fails when
# no block is marked, or a marker has no block under it. Run by `make
# dist-test` (part of make test). Not marked, so not run: `make test`
# (what CI runs: this test is part of it) and the editors' set-ups
# (tests/clients/ runs them inside the editors). The development commands
# run in the short forms the README shows.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tarball=${1:?usage: tests/readme/run.sh TARBALL}
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# The marked blocks, each as tmp/blocks/N.sh with its settings in N.opts.
mkdir -p "$tmp/blocks"
awk -v dir="$tmp/blocks" '
  /^<!-- readme-test: .*-->$/ { opts = $0; sub(/^<!-- readme-test: /, "", opts); sub(/ -->$/, "", opts); want = 1; next }
  want && (/^```(sh|bash)$/ || (/^```yaml$/ && (" " opts " ") ~ / steps /)) {
    n++; f = dir "/" n ".sh"; print opts > (dir "/" n ".opts"); close(dir "/" n ".opts")
    steps = $0 ~ /yaml/; inblock = 1; want = 0; line = 0; next }
  inblock && /^```$/ { inblock = 0; close(f); next }
  inblock && steps {
    if (match($0, /sarif_file:[ \t]*[^ \t,}]+/)) { v = substr($0, RSTART, RLENGTH); sub(/sarif_file:[ \t]*/, "", v); print v > (dir "/" n ".sarif") }
    if ($0 ~ /^[ \t]*- run: /) { sub(/^[ \t]*- run: /, ""); print > f }
    next }
  inblock { print > f; next }
  { want = 0 }
' "$repo/README.md"

count=$(ls "$tmp/blocks"/*.sh 2>/dev/null | wc -l)
[ "$count" -gt 0 ] || { echo "not ok README: no block marked readme-test"; echo "readme: 0 passed, 1 failed"; exit 1; }
# A marker with no sh block right under it would be skipped unseen.
markers=$(grep -c '^<!-- readme-test: .*-->$' "$repo/README.md")
if [ "$markers" != "$count" ]; then
  echo "not ok README: $markers readme-test markers but $count sh blocks right under one"; failed=$((failed + 1))
fi
# A steps block with no run: line would test nothing.
for f in "$tmp/blocks"/*.sh; do
  if grep -qw steps "${f%.sh}.opts" && ! grep -q '[^[:space:]]' "$f"; then
    echo "not ok README block $(basename "$f" .sh): a steps block with no run: line"; failed=$((failed + 1))
  fi
done

for f in $(ls "$tmp/blocks"/*.sh | sort -V); do
  n=$(basename "$f" .sh)
  opts=$(cat "$tmp/blocks/$n.opts")
  where=workspace status=0 lines=0
  for o in $opts; do
    case $o in
      in=*) where=${o#in=} ;;
      status=*) status=${o#status=} ;;
      lines=*) lines=${o#lines=} ;;
      steps) ;;
      *) echo "not ok block $n: unknown option $o"; failed=$((failed + 1)); continue 2 ;;
    esac
  done
  [ "$lines" -gt 0 ] && { head -n "$lines" "$f" > "$f.part"; mv "$f.part" "$f"; }
  # One HOME for the release's blocks; the repository's (make install from
  # source) install into a HOME of their own, so that they do not stand in
  # for the tarball's binary in the blocks after them.
  home=$tmp/home
  [ "$where" = repo ] && home=$tmp/home-repo
  mkdir -p "$home"
  case $where in
    dist) dir=$tmp/dist-$n; mkdir -p "$dir"; cp "$tarball" "$tarball.sha256" "$dir/" ;;
    workspace) dir=$tmp/ws-$n; cp -r "$repo/examples/workspace" "$dir" ;;
    repo) dir=$repo ;;
    *) echo "not ok block $n: unknown place $where"; failed=$((failed + 1)); continue ;;
  esac
  first=$(grep -m1 -v '^\s*$' "$f")
  # Every line but the last must succeed (a failure there is status 99);
  # the block's status is its last line's.
  last=$(grep -n -v '^\s*$' "$f" | tail -n 1 | cut -d: -f1)
  { echo "trap 'exit 99' ERR"; echo "set -eE -o pipefail"; head -n $((last - 1)) "$f"; echo "trap - ERR"; echo "set +eE"
    sed -n "${last},\$p" "$f"; } > "$f.run"
  ( cd "$dir" && env -i HOME="$home" PATH="$home/.local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin" \
      TERM=dumb LANG=C.UTF-8 timeout -k 10 900 bash "$f.run" ) > "$tmp/out-$n" 2>&1
  rc=$?
  if [ "$rc" = "$status" ] && [ -f "$tmp/blocks/$n.sarif" ]; then
    sarif="$dir/$(cat "$tmp/blocks/$n.sarif")"
    if ! /usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert d.get("version") == "2.1.0" and d["runs"][0]["results"], "no results"' "$sarif" >>"$tmp/out-$n" 2>&1; then
      echo "not ok README block $n ($where): $first: $sarif is not SARIF 2.1.0 with results"; failed=$((failed + 1))
      sed 's/^/#   /' "$tmp/out-$n" | tail -5
      continue
    fi
  fi
  if [ "$rc" = "$status" ]; then
    echo "ok README block $n ($where): $first"; passed=$((passed + 1))
  else
    echo "not ok README block $n ($where): $first: exit $rc, want $status"; failed=$((failed + 1))
    sed 's/^/#   /' "$tmp/out-$n" | tail -20
  fi
done
echo "readme: $passed passed, $failed failed"
[ "$failed" = 0 ]
