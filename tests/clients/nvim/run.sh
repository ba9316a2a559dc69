#!/bin/sh
# Neovim end-to-end test of clients/nvim against the real tmpl-ls.
# Usage: tests/clients/nvim/run.sh [path/to/tmpl-ls]   (default: build/release/tmpl-ls of this repo)
# Runs headless Neovim (0.7 or newer) on copies of examples/workspace in a temporary
# folder; prints "ok NAME" / "not ok NAME: WHY" per check and, last,
# "nvim: N passed, N failed". Exits non-zero when a check fails.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
server=${1:-$repo/build/release/tmpl-ls}
case $server in /*) ;; *) server=$PWD/$server ;; esac

if [ ! -x "$server" ] || ! command -v nvim >/dev/null 2>&1; then
  [ -x "$server" ] || echo "not ok setup: $server is not an executable (make build/release/tmpl-ls)"
  command -v nvim >/dev/null 2>&1 || echo "not ok setup: nvim is not installed (apt-get install neovim)"
  echo "nvim: 0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
for w in ws ws2 ws3; do
  cp -R "$repo/examples/workspace" "$tmp/$w" && chmod -R u+w "$tmp/$w"
done
mkdir -p "$tmp/xdg"

# -u NONE: no user config or plugins; -i NONE: no shada; -n: no swap files.
# XDG_*: Neovim's LSP log and state go to the temporary folder. timeout: a Lua
# error or a hang must not block the run.
TMPL_LS=$server TMPL_WS=$tmp/ws TMPL_WS2=$tmp/ws2 TMPL_WS3=$tmp/ws3 \
XDG_CONFIG_HOME=$tmp/xdg XDG_DATA_HOME=$tmp/xdg XDG_STATE_HOME=$tmp/xdg XDG_CACHE_HOME=$tmp/xdg \
  timeout -k 5 60 nvim --headless -u NONE -i NONE -n \
    --cmd "set rtp^=$repo/clients/nvim" -c "luafile $here/test.lua" >"$tmp/out" 2>&1
rc=$?
tr -d '\r' <"$tmp/out" | grep -v '^$'

passed=$(grep -c '^ok ' "$tmp/out")
failed=$(grep -c '^not ok ' "$tmp/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  if [ "$rc" -ge 124 ]; then echo "not ok nvim: timed out"; else echo "not ok nvim: exit status $rc"; fi
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then echo "not ok nvim: no checks ran"; failed=1; fi
echo "nvim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
