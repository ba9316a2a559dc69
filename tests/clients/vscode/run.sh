#!/bin/sh
# VS Code end-to-end test of clients/vscode against the real tmpl-ls.
# Usage: tests/clients/vscode/run.sh [path/to/tmpl-ls]   (default: build/release/tmpl-ls of this repo)
#
# Packages the extension with vsce, installs it into code-server 4.100.3 (VS Code
# 1.100.3 in a browser, the last release that runs on Node 20), opens a copy of
# examples/workspace with tmpl-ls.path set to the server, and drives the editor
# in headless Chromium with playwright-core (ui-test.js). Prints "ok NAME" /
# "not ok NAME: WHY" per check and, last, "vscode: N passed, N failed". Exits
# non-zero when a check fails. Screenshots of failures go to build/vscode-test/shots/.
#
# What it needs is installed when missing (apt: chromium and the build tools of
# code-server's native modules; npm: code-server, playwright-core, @vscode/vsce)
# into build/vscode-test/ (git-ignored; TMPL_LS_VSCODE_CACHE overrides it). The
# first run takes a few minutes; later runs reuse it.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
server=${1:-$repo/build/release/tmpl-ls}
case $server in /*) ;; *) server=$PWD/$server ;; esac
cache=${TMPL_LS_VSCODE_CACHE:-$repo/build/vscode-test}
CS_VERSION=4.100.3
port=${TMPL_LS_VSCODE_PORT:-$((20000 + $$ % 20000))}

fail_setup() { echo "not ok setup: $1"; echo "vscode: 0 passed, 1 failed"; exit 1; }
[ -x "$server" ] || fail_setup "$server is not an executable (make build/release/tmpl-ls)"
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || fail_setup "node and npm are not installed (apt-get install nodejs npm)"
mkdir -p "$cache" || fail_setup "cannot create $cache"
log=$cache/install.log

# --- installation (each step only when missing) -------------------------------
apt_missing=
for p in chromium build-essential python3 pkg-config libkrb5-dev libxkbfile-dev libx11-dev libsecret-1-dev ripgrep curl; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || apt_missing="$apt_missing $p"
done
if [ -n "$apt_missing" ]; then
  echo "# installing$apt_missing (apt-get)"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $apt_missing; } >>"$log" 2>&1 \
    || fail_setup "apt-get install$apt_missing failed (see $log)"
fi

cs_dir=$cache/code-server
CS=$cs_dir/node_modules/.bin/code-server
if [ ! -f "$cs_dir/.installed-$CS_VERSION" ]; then
  echo "# installing code-server $CS_VERSION into $cs_dir (a few minutes)"
  rm -rf "$cs_dir" && mkdir -p "$cs_dir"
  # code-server's postinstall cannot run here (root; @vscode/ripgrep downloads
  # from GitHub): install with scripts off, then do its steps by hand.
  # nodedir=/usr: Debian's nodejs ships the headers, node-gyp needs no download;
  # yes=true: node-pty's install runs `npx node-gyp`.
  ( set -e
    export npm_config_nodedir=/usr npm_config_yes=true
    cd "$cs_dir"
    echo '{"name":"tmpl-ls-vscode-test-host","private":true}' > package.json
    npm install --no-audit --no-fund --ignore-scripts code-server@$CS_VERSION
    npm rebuild argon2
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --no-audit --no-fund --ignore-scripts
    mkdir -p node_modules/@vscode/ripgrep/bin && cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm rebuild
    ln -sfn node_modules node_modules.asar
    (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
    (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
    cd extensions && npm install --omit=dev --no-audit --no-fund
  ) >>"$log" 2>&1 || fail_setup "installing code-server failed (see $log)"
  touch "$cs_dir/.installed-$CS_VERSION"
fi

tools=$cache/tools
if [ ! -f "$tools/.installed" ]; then
  echo "# installing playwright-core and @vscode/vsce into $tools"
  mkdir -p "$tools" && echo '{"name":"tmpl-ls-vscode-test-tools","private":true}' > "$tools/package.json"
  (cd "$tools" && npm install --no-audit --no-fund playwright-core@1.65.1 @vscode/vsce@3.9.2) >>"$log" 2>&1 \
    || fail_setup "npm install playwright-core @vscode/vsce failed (see $log)"
  touch "$tools/.installed"
fi

# --- the extension, packaged as a user would get it -----------------------------
tmp=$(mktemp -d)
cspid=
cleanup() {
  if [ -n "$cspid" ]; then kill -- "-$cspid" 2>/dev/null; sleep 1; kill -9 -- "-$cspid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$tmp/ext"
(cd "$repo/clients/vscode" && cp package.json package-lock.json extension.js README.md "$tmp/ext/") \
  || fail_setup "cannot copy clients/vscode"
# npm ci from the lock file; npm's cache makes later runs quick
(cd "$tmp/ext" && npm ci --omit=dev --prefer-offline --no-audit --no-fund) >"$tmp/npm-ci.log" 2>&1 \
  || { cat "$tmp/npm-ci.log"; fail_setup "npm ci in the extension failed"; }
(cd "$tmp/ext" && "$tools/node_modules/.bin/vsce" package --skip-license --allow-missing-repository -o "$tmp/tmpl-ls.vsix") >"$tmp/vsce.log" 2>&1 \
  || { cat "$tmp/vsce.log"; fail_setup "vsce package failed"; }

# code-server writes ~/.config/code-server/config.yaml: keep HOME and XDG_* in the temporary folder
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_DATA_HOME=$tmp/home/.local/share XDG_CACHE_HOME=$tmp/home/.cache
mkdir -p "$HOME" "$tmp/data/User"
cs_args="--user-data-dir $tmp/data --extensions-dir $tmp/data/extensions --config $tmp/data/config.yaml"
"$CS" $cs_args --install-extension "$tmp/tmpl-ls.vsix" >"$tmp/install-ext.log" 2>&1 \
  || { cat "$tmp/install-ext.log"; fail_setup "code-server --install-extension failed"; }

# user settings: no welcome page, no trust prompt, no competing Markdown diagnostics
cat >"$tmp/data/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "workbench.tips.enabled": false,
  "security.workspace.trust.enabled": false,
  "markdown.validate.enabled": false,
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "telemetry.telemetryLevel": "off",
  "editor.hover.delay": 200
}
JSON

# --- the workspace ---------------------------------------------------------------
ws=$tmp/ws
cp -R "$repo/examples/workspace" "$ws" && chmod -R u+w "$ws"
mkdir -p "$ws/.vscode"
printf '{\n  "tmpl-ls.path": "%s"\n}\n' "$server" >"$ws/.vscode/settings.json"
# what the editor must show: the CLI's diagnostics for the same file
(cd "$ws" && "$server" check --format json docs/infrastructure-architecture.md >"$tmp/expected.json" 2>/dev/null)
[ -s "$tmp/expected.json" ] || fail_setup "tmpl-ls check gave no JSON"

setsid "$CS" $cs_args --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override "$ws" >"$tmp/code-server.log" 2>&1 &
cspid=$!
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
  i=$((i + 1)); [ $i -gt 150 ] && { cat "$tmp/code-server.log"; fail_setup "code-server did not start on port $port"; }
  sleep 0.2
done

rm -rf "$cache/shots" && mkdir -p "$cache/shots"
NODE_PATH=$tools/node_modules TMPL_WS=$ws TMPL_EXPECTED=$tmp/expected.json TMPL_SHOTS=$cache/shots \
  timeout -k 5 300 node "$here/ui-test.js" "http://127.0.0.1:$port/?folder=$ws" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
passed=$(grep -c '^ok ' "$tmp/out")
failed=$(grep -c '^not ok ' "$tmp/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  if [ "$rc" -ge 124 ]; then echo "not ok vscode: timed out"; else echo "not ok vscode: exit status $rc"; fi
  sed 's/^/# /' "$tmp/err" | tail -20
  failed=1
fi
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then echo "not ok vscode: no checks ran"; failed=1; fi
if [ "$failed" -ne 0 ]; then
  cp "$tmp/code-server.log" "$cache/code-server.log" 2>/dev/null
  echo "# code-server log: $cache/code-server.log; screenshots: $cache/shots/"
fi
echo "vscode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
