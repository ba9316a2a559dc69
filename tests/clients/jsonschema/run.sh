#!/bin/sh
# The README's Neovim snippet that points vscode-json-language-server (jsonls)
# at schema/tmpl-ls.schema.json, against the real JSON server, in headless
# Neovim: a right .tmpl-ls.json gets no diagnostic, a wrong one the schema's.
# Usage: tests/clients/jsonschema/run.sh [path/to/tmpl-ls]   (tmpl-ls is not needed)
# The JSON server is npm's vscode-langservers-extracted, installed when missing
# into build/jsonls-test (TMPL_LS_JSONLS_CACHE overrides it).
# Prints "ok NAME" / "not ok NAME: WHY"; the last line is
# "jsonschema: N passed, N failed".
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${TMPL_LS_JSONLS_CACHE:-$repo/build/jsonls-test}
jsonls=$cache/node_modules/.bin/vscode-json-language-server
setup_fail() { echo "not ok setup: $1"; echo "jsonschema: 0 passed, 1 failed"; exit 1; }

command -v nvim >/dev/null 2>&1 || setup_fail "nvim is not installed (apt-get install neovim)"
if [ ! -x "$jsonls" ]; then
  command -v npm >/dev/null 2>&1 || setup_fail "npm is not installed (apt-get install nodejs npm)"
  mkdir -p "$cache" && { [ -f "$cache/package.json" ] || echo '{"name":"tmpl-ls-jsonls-test","private":true}' >"$cache/package.json"; }
  (cd "$cache" && npm install --no-audit --no-fund vscode-langservers-extracted@4.10.0) >"$cache/install.log" 2>&1 \
    || { tail -n 20 "$cache/install.log"; setup_fail "npm install vscode-langservers-extracted failed"; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/ws" "$tmp/xdg"
: >"$tmp/out"
# The README's Lua block that names jsonls, pointed at this repository.
sed -n '/^#### A schema for/,/^###* [^#]/p' "$repo/README.md" | sed -n '/^```lua$/,/^```$/p' | sed '1d;$d' \
  | sed "s#/path/to/tmpl-ls#$repo#g" >"$tmp/snippet.lua"
grep -q "vim.lsp.config('jsonls'" "$tmp/snippet.lua" || setup_fail "no jsonls snippet in the README's schema section"
# The README's first .tmpl-ls.json example (marked for tests/schema).
sed -n '/^<!-- example: .tmpl-ls.json -->$/,/^```$/p' "$repo/README.md" | sed -n '3,/^```$/p' | sed '$d' >"$tmp/good.json"
[ -s "$tmp/good.json" ] || setup_fail "no marked .tmpl-ls.json example in the README"

JSONLS=$jsonls SNIPPET=$tmp/snippet.lua GOOD=$tmp/good.json TMPL_WS=$tmp/ws TMPL_OUT=$tmp/out HOME=$tmp \
XDG_CONFIG_HOME=$tmp/xdg XDG_DATA_HOME=$tmp/xdg XDG_STATE_HOME=$tmp/xdg XDG_CACHE_HOME=$tmp/xdg \
  timeout -k 5 60 nvim --headless -u NONE -i NONE -n -c "luafile $here/test.lua" >"$tmp/nvim.log" 2>&1
rc=$?
cat "$tmp/out"
# Emacs: the README's lsp-mode snippet with lsp-mode 8.0's json-ls client.
if command -v emacs >/dev/null 2>&1; then
  sed -n '/^#### A schema for/,/^###* [^#]/p' "$repo/README.md" | sed -n '/^Emacs, lsp-mode/,/^```$/p' \
    | sed -n '/^```elisp$/,/^```$/p' | sed '1d;$d' | sed "s#/path/to/tmpl-ls#$repo#g" >"$tmp/snippet.el"
  # lsp-mode 8.0 runs the server as vscode-json-languageserver (the npm
  # package's old name); newer lsp-mode runs vscode-json-language-server.
  mkdir -p "$tmp/bin" "$tmp/home-emacs" && ln -s "$jsonls" "$tmp/bin/vscode-json-languageserver"
  HOME=$tmp/home-emacs TMPDIR=$tmp TMPL_LS=${1:-unused} TMPL_LS_REPO=$repo JSONLS_BIN=$tmp/bin \
  SNIPPET_EL=$tmp/snippet.el GOOD=$tmp/good.json \
    timeout -k 5 60 emacs --batch -Q -l "$here/lsp-json-test.el" </dev/null >"$tmp/emacs.out" 2>"$tmp/emacs.err"
  erc=$?
  grep -E '^((not )?ok |# )' "$tmp/emacs.out" | tee -a "$tmp/out" >/dev/null
  grep -E '^((not )?ok |# )' "$tmp/emacs.out"
  if [ "$erc" -ne 0 ] && ! grep -q '^not ok ' "$tmp/emacs.out"; then
    echo "not ok emacs: exit status $erc" | tee -a "$tmp/out"
    tail -n 20 "$tmp/emacs.err" | sed 's/^/#   /'
  fi
fi
passed=$(grep -c '^ok ' "$tmp/out")
failed=$(grep -c '^not ok ' "$tmp/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  if [ "$rc" -ge 124 ]; then echo "not ok nvim: timed out"; else echo "not ok nvim: exit status $rc"; fi
  tail -n 20 "$tmp/nvim.log" | sed 's/^/#   /'
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then echo "not ok jsonschema: no checks ran"; failed=1; fi
echo "jsonschema: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
