#!/bin/sh
# Packages the VS Code extension as a .vsix, the way users get it.
# Usage: clients/vscode/package.sh OUT.vsix [SERVER]
#   without SERVER: the plain extension, which runs tmpl-ls from PATH (or tmpl-ls.path);
#   with SERVER:    a linux-x64 extension with SERVER inside as bin/tmpl-ls, used
#                   when tmpl-ls.path is not set (vsce package --target linux-x64).
# Needs node and npm. @vscode/vsce is installed when missing into
# build/vscode-test/tools (TMPL_LS_VSCODE_CACHE overrides build/vscode-test),
# which the VS Code test shares.
set -e
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$1
server=$2
[ -n "$out" ] || { echo "usage: $0 OUT.vsix [SERVER]" >&2; exit 2; }
case $out in /*) ;; *) out=$PWD/$out ;; esac
if [ -n "$server" ]; then
  case $server in /*) ;; *) server=$PWD/$server ;; esac
  [ -x "$server" ] || { echo "$0: $server is not an executable" >&2; exit 2; }
fi
command -v npm >/dev/null 2>&1 || { echo "$0: npm is not installed (apt-get install nodejs npm)" >&2; exit 2; }

tools=${TMPL_LS_VSCODE_CACHE:-$repo/build/vscode-test}/tools
if [ ! -x "$tools/node_modules/.bin/vsce" ]; then
  echo "# installing @vscode/vsce into $tools" >&2
  mkdir -p "$tools" && { [ -f "$tools/package.json" ] || echo '{"name":"tmpl-ls-vscode-test-tools","private":true}' > "$tools/package.json"; }
  (cd "$tools" && npm install --no-audit --no-fund @vscode/vsce@3.9.2) >"$tools/install-vsce.log" 2>&1 \
    || { cat "$tools/install-vsce.log" >&2; echo "$0: npm install @vscode/vsce failed" >&2; exit 1; }
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/extension.js" "$here/README.md" "$repo/LICENSE" "$tmp/"
# contributes.jsonValidation points .tmpl-ls.json files at this copy
mkdir -p "$tmp/schema" && cp "$repo/schema/tmpl-ls.schema.json" "$tmp/schema/"
# npm ci from the lock file; npm's cache makes later runs quick
(cd "$tmp" && npm ci --omit=dev --prefer-offline --no-audit --no-fund) >"$tmp/.npm-ci.log" 2>&1 \
  || { cat "$tmp/.npm-ci.log" >&2; echo "$0: npm ci failed" >&2; exit 1; }
rm -f "$tmp/.npm-ci.log"
target=
if [ -n "$server" ]; then
  mkdir -p "$tmp/bin" && cp "$server" "$tmp/bin/tmpl-ls" && chmod 755 "$tmp/bin/tmpl-ls"
  target="--target linux-x64"
fi
mkdir -p "$(dirname "$out")"
(cd "$tmp" && "$tools/node_modules/.bin/vsce" package $target --allow-missing-repository -o "$out") >"$tmp/vsce.log" 2>&1 \
  || { cat "$tmp/vsce.log" >&2; echo "$0: vsce package failed" >&2; exit 1; }
echo "  VSIX $out" >&2
