#!/bin/sh
# The README's snippets for editors that are not tested inside the editor
# (Helix, Zed, Sublime LSP: not Debian packages; Kakoune is, kakoune-lsp is
# not): check.py parses them and checks what they name and the settings in
# them against schema/tmpl-ls.schema.json. The Kakoune snippet is sourced
# in kak (Debian's kakoune), which runs its hook for a Markdown buffer; the
# lsp_servers value it sets is what kakoune-lsp would read.
#   tests/clients/snippets/run.sh [path/to/tmpl-ls]   (the server is not needed)
# Prints "ok NAME" / "not ok NAME: WHY"; the last line is
# "snippets: N passed, N failed".
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# The ```kak block of the README's Editors section.
sed -n '/^## Editors/,/^## In CI/p' "$repo/README.md" | sed -n '/^```kak$/,/^```$/p' | sed '1d;$d' >"$tmp/snippet.kak"
if command -v kak >/dev/null 2>&1 && [ -s "$tmp/snippet.kak" ]; then
  # kakoune-lsp declares lsp_servers (a str option); -n: no kakrc.
  HOME=$tmp timeout -k 5 20 kak -n -ui dummy -e "
    try %{
      declare-option str lsp_servers
      source $tmp/snippet.kak
      edit -scratch *md*
      set-option buffer filetype markdown
      echo -to-file $tmp/lsp_servers.toml %opt{lsp_servers}
    } catch %{ echo -to-file $tmp/kak-error %val{error} }
    kill!" </dev/null >"$tmp/kak.log" 2>&1
fi
/usr/bin/python3 "$here/check.py" "$repo/README.md" "$tmp" >"$tmp/out" 2>&1
rc=$?
cat "$tmp/out"
[ -f "$tmp/kak-error" ] && echo "# kak: $(cat "$tmp/kak-error")"
command -v kak >/dev/null 2>&1 || echo "# kak is not installed (apt-get install kakoune)"
passed=$(grep -c '^ok ' "$tmp/out")
failed=$(grep -c '^not ok ' "$tmp/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then echo "not ok check.py: exit status $rc"; failed=1; fi
echo "snippets: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
