#!/bin/sh
# Vim end-to-end test of clients/vim (an ALE linter) against the real tmpl-ls.
# Usage: tests/clients/vim/run.sh [path/to/tmpl-ls]   (default: build/release/tmpl-ls of this repo)
# Runs headless Vim (-Es) with Debian's vim-ale on copies of examples/workspace in
# a temporary folder; prints "ok NAME" / "not ok NAME: WHY" per check and, last,
# "vim: N passed, N failed". Exits non-zero when a check fails.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
server=${1:-$repo/build/release/tmpl-ls}
case $server in /*) ;; *) server=$PWD/$server ;; esac
# Debian's vim-ale puts ALE in Vim's packpath: `packadd ale`, as the README says.
ale=/usr/share/vim/vimfiles/pack/dist-bundle/opt/ale

if [ ! -x "$server" ] || ! command -v vim >/dev/null 2>&1 || [ ! -f "$ale/plugin/ale.vim" ]; then
  [ -x "$server" ] || echo "not ok setup: $server is not an executable (make build/release/tmpl-ls)"
  command -v vim >/dev/null 2>&1 || echo "not ok setup: vim is not installed (apt-get install vim)"
  [ -f "$ale/plugin/ale.vim" ] || echo "not ok setup: ALE is not in $ale (apt-get install vim-ale)"
  echo "vim: 0 passed, 1 failed"
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
for w in ws ws2; do
  cp -R "$repo/examples/workspace" "$tmp/$w" && chmod -R u+w "$tmp/$w"
done
: >"$tmp/out"

# -N -u NONE: no vimrc or plugins but ALE (packadd) and clients/vim (on
# 'runtimepath'); -i NONE: no viminfo; -n: no swap files; -Es: silent Ex mode
# (no terminal). HOME: nothing lands in the user's. timeout: a hang must not
# block the run.
HOME=$tmp TMPL_LS=$server TMPL_LS_REPO=$repo TMPL_WS=$tmp/ws TMPL_WS2=$tmp/ws2 TMPL_OUT=$tmp/out \
  timeout -k 5 60 vim -N -u NONE -i NONE -n -Es \
    --cmd 'filetype plugin on' --cmd 'packadd ale' --cmd "set runtimepath+=$repo/clients/vim" \
    --cmd "let g:ale_markdown_tmpl_ls_executable = '$server'" \
    --cmd "let g:ale_linters = {'markdown': ['tmpl_ls'], 'yaml': ['tmpl_ls']}" \
    -S "$here/test.vim" </dev/null >"$tmp/vim.log" 2>&1
rc=$?
cat "$tmp/out"

passed=$(grep -c '^ok ' "$tmp/out")
failed=$(grep -c '^not ok ' "$tmp/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  if [ "$rc" -ge 124 ]; then echo "not ok vim: timed out"; else echo "not ok vim: exit status $rc"; fi
  sed 's/^/#   /' "$tmp/vim.log" | tail -n 20
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then echo "not ok vim: no checks ran"; failed=1; fi
echo "vim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
