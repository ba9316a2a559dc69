#!/bin/sh
# VS Code end-to-end test of clients/vscode against the real tmpl-ls.
# Usage: tests/clients/vscode/run.sh [path/to/tmpl-ls]   (default: build/release/tmpl-ls of this repo)
# With TMPL_LS_BUNDLED_VSIX=FILE (make dist's linux-x64 .vsix), a second run
# installs that extension instead, with no tmpl-ls.path and no tmpl-ls on PATH,
# and checks that it shows the diagnostics with the server it carries.
#
# Packages the extension with vsce, installs it into code-server 4.100.3 (VS Code
# 1.100.3 in a browser, the last release that runs on Node 20), opens a copy of
# examples/workspace with tmpl-ls.path set to the server, and drives the editor
# in headless Chromium with playwright-core (ui-test.js). Prints "ok NAME" /
# "not ok NAME: WHY" per check and, last, "vscode: N passed, N failed". Exits
# non-zero when a check fails. Screenshots of failures go to build/vscode-test/shots/;
# the README's pictures (a diagnostic, the completion list, the quick fix) to
# build/vscode-test/readme/, or to TMPL_LS_PICTURES (`make screenshots`: docs/images).
#
# What it needs is installed when missing (apt: chromium and the build tools of
# code-server's native modules; npm: code-server, playwright-core; clients/vscode/package.sh: @vscode/vsce)
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
if [ ! -d "$tools/node_modules/playwright-core" ]; then
  echo "# installing playwright-core into $tools"
  mkdir -p "$tools" && { [ -f "$tools/package.json" ] || echo '{"name":"tmpl-ls-vscode-test-tools","private":true}' > "$tools/package.json"; }
  (cd "$tools" && npm install --no-audit --no-fund playwright-core@1.65.1) >>"$log" 2>&1 \
    || fail_setup "npm install playwright-core failed (see $log)"
fi

# --- the extension, packaged as a user would get it -----------------------------
tmp=$(mktemp -d)
cspid=
stop_cs() {
  if [ -n "$cspid" ]; then kill -- "-$cspid" 2>/dev/null; sleep 1; kill -9 -- "-$cspid" 2>/dev/null; fi
  cspid=
}
cleanup() { stop_cs; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$repo/clients/vscode/package.sh" "$tmp/tmpl-ls.vsix" 2>"$tmp/package.log" \
  || { cat "$tmp/package.log"; fail_setup "clients/vscode/package.sh failed"; }

passed=0
failed=0
# The package contributes the .tmpl-ls.json schema (jsonValidation) and carries it.
if python3 - "$tmp/tmpl-ls.vsix" "$repo/schema/tmpl-ls.schema.json" <<'PY'
import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
pkg = json.loads(z.read("extension/package.json"))
ok = z.read("extension/schema/tmpl-ls.schema.json") == open(sys.argv[2], "rb").read() and \
    pkg["contributes"]["jsonValidation"] == [{"fileMatch": ".tmpl-ls.json", "url": "./schema/tmpl-ls.schema.json"}]
sys.exit(0 if ok else 1)
PY
then
  echo "ok vsix carries schema/tmpl-ls.schema.json for contributes.jsonValidation"; passed=$((passed + 1))
else
  echo "not ok vsix carries schema/tmpl-ls.schema.json for contributes.jsonValidation"; failed=$((failed + 1))
fi
# One run of code-server with a fresh profile: phase NAME VSIX SERVER-SETTING MODE [PATH].
# SERVER-SETTING is the workspace's tmpl-ls.path ("" leaves it unset); MODE is
# ui-test.js's TMPL_MODE; PATH, when given, is code-server's (and so the server's).
phase() {
  name=$1 vsix=$2 setting=$3 mode=$4 phase_path=${5:-$PATH}
  p=$tmp/$name
  mkdir -p "$p/data/User" "$p/home"
  cs_args="--user-data-dir $p/data --extensions-dir $p/data/extensions --config $p/data/config.yaml"
  # code-server writes ~/.config/code-server/config.yaml: keep HOME and XDG_* in the temporary folder
  env HOME="$p/home" XDG_CONFIG_HOME="$p/home/.config" XDG_DATA_HOME="$p/home/.local/share" XDG_CACHE_HOME="$p/home/.cache" \
    "$CS" $cs_args --install-extension "$vsix" >"$p/install-ext.log" 2>&1 \
    || { cat "$p/install-ext.log"; echo "not ok $name: code-server --install-extension failed"; failed=$((failed + 1)); return; }

  # user settings: no welcome page, no trust prompt, no competing Markdown diagnostics
  cat >"$p/data/User/settings.json" <<JSON
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

  # the workspace, and what the editor must show: the CLI's diagnostics for the same file
  ws=$p/ws
  if [ "$mode" = yaml ]; then
    # YAML only, no template by its name: other YAML, a Helm-like file in a
    # templates folder, and a YAML template there that only its text names
    # (broken-tmpl.yaml's); the server, behind a wrapper that notes its start.
    mkdir -p "$ws/templates"
    printf 'name: settings\nsections: [a, b]\n' >"$ws/config.yaml"
    printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "{{ .Release.Name }}"\n' >"$ws/templates/service.yaml"
    cp "$repo/examples/workspace/templates/broken-tmpl.yaml" "$ws/templates/agent.yaml"
    printf '#!/bin/sh\ntouch "%s"\nexec "%s" "$@"\n' "$p/started" "$setting" >"$p/tmpl-ls-wrapper"
    chmod +x "$p/tmpl-ls-wrapper"
    setting=$p/tmpl-ls-wrapper
    expect_files=templates/agent.yaml
  else
    cp -R "$repo/examples/workspace" "$ws" && chmod -R u+w "$ws"
    expect_files=docs/infrastructure-architecture.md
  fi
  mkdir -p "$ws/.vscode"
  # workspace diagnostics (the problems of files not open) off: the checks
  # compare the panel with one file's; ui-test.js turns them on at the end
  if [ -n "$setting" ]; then printf '{\n  "tmpl-ls.path": "%s",\n  "tmpl-ls.workspaceDiagnostics": false\n}\n' "$setting" >"$ws/.vscode/settings.json"
  else printf '{\n  "tmpl-ls.workspaceDiagnostics": false\n}\n' >"$ws/.vscode/settings.json"; fi
  (cd "$ws" && "$server" check --format json $expect_files >"$p/expected.json" 2>/dev/null)
  [ -s "$p/expected.json" ] || { echo "not ok $name: tmpl-ls check gave no JSON"; failed=$((failed + 1)); return; }
  # a YAML template, and a document written from one (templates/story-tmpl.yaml)
  if [ "$mode" != yaml ]; then
    (cd "$ws" && "$server" check --format json templates/broken-tmpl.yaml docs/stories/1.2.md >"$p/expected-yaml.json" 2>/dev/null)
    [ -s "$p/expected-yaml.json" ] || { echo "not ok $name: tmpl-ls check gave no JSON for the YAML files"; failed=$((failed + 1)); return; }
  fi

  env PATH="$phase_path" HOME="$p/home" XDG_CONFIG_HOME="$p/home/.config" XDG_DATA_HOME="$p/home/.local/share" XDG_CACHE_HOME="$p/home/.cache" \
    setsid "$CS" $cs_args --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override "$ws" >"$p/code-server.log" 2>&1 &
  cspid=$!
  i=0
  until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; do
    i=$((i + 1))
    if [ $i -gt 150 ]; then
      cat "$p/code-server.log"; stop_cs
      echo "not ok $name: code-server did not start on port $port"; failed=$((failed + 1)); return
    fi
    sleep 0.2
  done

  NODE_PATH=$tools/node_modules TMPL_WS=$ws TMPL_EXPECTED=$p/expected.json TMPL_EXPECTED_YAML=$p/expected-yaml.json TMPL_SHOTS=$cache/shots TMPL_PICTURES=${TMPL_LS_PICTURES:-$cache/readme} TMPL_MODE=$mode TMPL_STARTED=$p/started \
    timeout -k 5 300 node "$here/ui-test.js" "http://127.0.0.1:$port/?folder=$ws" >"$p/out" 2>"$p/err"
  rc=$?
  stop_cs
  cat "$p/out"
  ok=$(grep -c '^ok ' "$p/out")
  bad=$(grep -c '^not ok ' "$p/out")
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    if [ "$rc" -ge 124 ]; then echo "not ok $name: timed out"; else echo "not ok $name: exit status $rc"; fi
    sed 's/^/# /' "$p/err" | tail -20
    bad=1
  fi
  if [ "$ok" -eq 0 ] && [ "$bad" -eq 0 ]; then echo "not ok $name: no checks ran"; bad=1; fi
  if [ "$bad" -ne 0 ]; then
    cp "$p/code-server.log" "$cache/code-server-$name.log" 2>/dev/null
    echo "# code-server log: $cache/code-server-$name.log; screenshots: $cache/shots/"
  fi
  passed=$((passed + ok)) failed=$((failed + bad))
}

rm -rf "$cache/shots" && mkdir -p "$cache/shots"
# 1. the plain extension, the server named by tmpl-ls.path
phase plain "$tmp/tmpl-ls.vsix" "$server" full
# 2. a workspace of YAML with no template by name: the server starts only
#    once a YAML template (known by its text, in templates/) is open
phase yaml "$tmp/tmpl-ls.vsix" "$server" yaml
# 3. the extension with the server inside (make dist), no tmpl-ls.path and no
#    tmpl-ls on PATH: it must run the binary it carries
if [ -n "$TMPL_LS_BUNDLED_VSIX" ]; then
  bare=/usr/local/bin:/usr/bin:/bin
  if PATH=$bare command -v tmpl-ls >/dev/null 2>&1; then
    echo "not ok bundled: a tmpl-ls is on PATH ($(PATH=$bare command -v tmpl-ls)); the test needs none"; failed=$((failed + 1))
  else
    phase bundled "$TMPL_LS_BUNDLED_VSIX" "" bundled "$bare"
  fi
fi
echo "vscode: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
