#!/bin/sh
# The release tarball on a machine without the build dependencies.
# Usage: tests/dist/run.sh build/dist/tmpl-ls-VERSION-linux-x86_64.tar.gz
#
# Unpacks the tarball, checks its SHA-256 sum and its contents, checks that
# the binary needs no shared library but the C library (readelf's NEEDED
# entries), then runs it in a root folder that holds only that binary, the
# C library's files (what ldd names) and a copy of examples/workspace
# (chroot, so no -dev package's library, no tmpl-ls on PATH and no shell are
# visible to it): it must answer `initialize` and check the demo workspace
# as the build's own binary does; then `make install` into a DESTDIR, and
# `man tmpl-ls` finds the page there. Prints "ok NAME" / "not ok NAME: WHY" and
# "dist: N passed, N failed". chroot needs root; without it the binary runs
# from the unpacked folder with an empty environment instead, and says so.
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tarball=$1
[ -f "$tarball" ] || { echo "usage: $0 TARBALL"; echo "dist: 0 passed, 1 failed"; exit 1; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
name=$(basename "$tarball" .tar.gz)
passed=0 failed=0
ok() { echo "ok $1"; passed=$((passed + 1)); }
notok() { echo "not ok $1: $2"; failed=$((failed + 1)); }
check() { if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "expected [$3], got [$2]"; fi; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- the tarball -------------------------------------------------------------------
(cd "$(dirname "$tarball")" && sha256sum -c --quiet "$name.tar.gz.sha256") >"$tmp/sum" 2>&1 \
  && ok "sha256 sum matches" || notok "sha256 sum matches" "$(cat "$tmp/sum")"
tar -C "$tmp" -xzf "$tarball" || { notok "tarball unpacks" "tar failed"; echo "dist: $passed passed, $failed failed"; exit 1; }
top=$tmp/$name
missing=
for f in bin/tmpl-ls share/man/man1/tmpl-ls.1 README.md LICENSE clients/nvim/lua/tmpl-ls/init.lua clients/emacs/tmpl-ls.el \
         clients/vim/ale_linters/markdown/tmpl_ls.vim schema/tmpl-ls.schema.json; do
  [ -e "$top/$f" ] || missing="$missing $f"
done
check "tarball holds the binary, man page, README, license and clients" "$missing" ""
man -l "$top/share/man/man1/tmpl-ls.1" 2>/dev/null | grep -q 'tmpl-ls check' \
  && ok "man page renders" || notok "man page renders" "man -l printed no 'tmpl-ls check'"

# --- only the C library ------------------------------------------------------------
bin=$top/bin/tmpl-ls
needed=$(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort | tr '\n' ' ')
check "the binary needs only the C library" "$needed" "libc.so.6 "

# --- a root with nothing else ------------------------------------------------------
root=$tmp/root
mkdir -p "$root/bin" "$root/ws"
cp "$bin" "$root/bin/tmpl-ls"
for lib in $(ldd "$bin" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
  mkdir -p "$root$(dirname "$lib")" && cp -L "$lib" "$root$lib"
done
cp -R "$repo/examples/workspace/." "$root/ws/"
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}'
exit_msg='{"jsonrpc":"2.0","method":"exit"}'
frames=$(printf 'Content-Length: %d\r\n\r\n%sContent-Length: %d\r\n\r\n%s' ${#init} "$init" ${#exit_msg} "$exit_msg")
CHROOT=$(command -v chroot)
if [ "$(id -u)" = 0 ] && [ -n "$CHROOT" ]; then
  run() { (cd "$root/ws" && env -i "$CHROOT" "$root" /bin/tmpl-ls "$@"); }
  runcheck() { env -i "$CHROOT" "$root" /bin/tmpl-ls check --root /ws /ws; }
  where="in a root holding only the binary and the C library (chroot)"
else
  run() { (cd "$root/ws" && env -i "$root/bin/tmpl-ls" "$@"); }
  runcheck() { (cd "$root/ws" && env -i "$root/bin/tmpl-ls" check); }
  where="with an empty environment (no root: chroot not possible)"
fi
echo "# $where"
ver=$(run --version 2>&1)
check "tmpl-ls --version $where" "$ver" "$("$repo/build/release/tmpl-ls" --version)"
reply=$(printf '%s' "$frames" | run 2>/dev/null)
case $reply in
  *'"id":1'*'"capabilities"'*|*'"capabilities"'*'"id":1'*) ok "answers initialize $where" ;;
  *) notok "answers initialize $where" "reply: $(printf '%s' "$reply" | head -c 300)" ;;
esac
got=$(runcheck 2>&1; echo "exit $?")
want=$(cd "$repo/examples/workspace" && "$repo/build/release/tmpl-ls" check 2>&1; echo "exit $?")
# the chroot names files under /ws; the build's binary relative to the workspace
got_rel=$(printf '%s\n' "$got" | sed 's#/ws/##g')
check "checks the demo workspace as the build's binary does" "$got_rel" "$want"

# --- make install: the binary and `man tmpl-ls` -----------------------------------
inst=$tmp/inst
if make -s -C "$repo" install DESTDIR="$inst" PREFIX=/usr/local >"$tmp/install.log" 2>&1; then
  check "make install puts the binary in PREFIX/bin" "$("$inst/usr/local/bin/tmpl-ls" --version 2>&1)" "$("$repo/build/release/tmpl-ls" --version)"
  page=$(MANPATH=$inst/usr/local/share/man MANWIDTH=80 man tmpl-ls 2>&1 | grep -c 'tmpl-ls check')
  [ "$page" -gt 0 ] && ok "man tmpl-ls after make install" || notok "man tmpl-ls after make install" "no page found under $inst/usr/local/share/man"
else
  notok "make install" "$(tail -5 "$tmp/install.log")"
fi
echo "dist: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
