#!/bin/sh
# The Emacs client tests: Eglot and lsp-mode, in batch Emacs, against the
# real server, loading clients/emacs/tmpl-ls.el.
#
#   tests/clients/emacs/run.sh [path/to/tmpl-ls]
#
# The server defaults to build/release/tmpl-ls (make build/release/tmpl-ls).
# Needs emacs (28+), elpa-eglot, elpa-markdown-mode, elpa-yaml-mode and
# elpa-lsp-mode (no-yaml-mode-test.el hides yaml-mode).
# Prints "ok NAME" / "not ok NAME: WHY" per check; the last line is
# "emacs: N passed, N failed"; the exit status is 1 when a check failed.
set -u

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
server=${1:-$repo/build/release/tmpl-ls}
case $server in /*) ;; *) server=$(pwd)/$server ;; esac

passed=0
failed=0
fail() { # name why
  echo "not ok $1: $2"
  failed=$((failed + 1))
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/tmpl-ls-emacs.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

if [ ! -x "$server" ]; then
  fail "server" "$server is not an executable (make build/release/tmpl-ls)"
elif ! command -v emacs >/dev/null 2>&1; then
  fail "emacs" "emacs is not installed"
else
  # tmpl-ls.el compiles without a warning (the elpa packages on the
  # load-path, as when installed); the tests then load the .elc.
  mkdir -p "$scratch/lisp" "$scratch/home-compile"
  cp "$repo/clients/emacs/tmpl-ls.el" "$scratch/lisp/"
  if HOME="$scratch/home-compile" timeout 20 emacs --batch -Q \
       --eval "(progn (require 'package) (setq package-directory-list '(\"/usr/share/emacs/site-lisp/elpa\") package-user-dir \"$scratch/elpa\") (package-initialize) (setq byte-compile-error-on-warn t))" \
       -f batch-byte-compile "$scratch/lisp/tmpl-ls.el" </dev/null >"$scratch/compile.out" 2>&1; then
    echo "ok tmpl-ls.el byte-compiles without warnings"
    passed=$((passed + 1))
    lisp="$scratch/lisp"
  else
    fail "tmpl-ls.el byte-compiles without warnings" "$(grep -v '^$' "$scratch/compile.out" | tail -n 5 | tr '\n' ' ')"
    lisp="$repo/clients/emacs"
  fi
  # The autoloads file, as package.el and package-vc make it when they
  # install the package (autoloads-test.el loads only it).
  if HOME="$scratch/home-compile" timeout 20 emacs --batch -Q \
       --eval "(progn (require 'package) (package-generate-autoloads \"tmpl-ls\" \"$scratch/lisp\"))" \
       </dev/null >"$scratch/autoloads.out" 2>&1 \
     && grep -q '(autoload .bmad-template-mode "tmpl-ls"' "$scratch/lisp/tmpl-ls-autoloads.el"; then
    echo "ok package-generate-autoloads writes tmpl-ls-autoloads.el with bmad-template-mode"
    passed=$((passed + 1))
  else
    fail "package-generate-autoloads writes tmpl-ls-autoloads.el with bmad-template-mode" \
      "$(grep -v '^$' "$scratch/autoloads.out" | tail -n 5 | tr '\n' ' ')"
  fi
  # Installed as a package from the file (package-install-file: what
  # package-vc-install does with the repository's clients/emacs, which
  # Emacs 28 lacks): its header is read (Version, Package-Requires met by
  # Debian's markdown-mode), and a later Emacs that only initializes its
  # packages has bmad-template-mode autoloaded, and opens a *-tmpl.md in it.
  mkdir -p "$scratch/home-pkg" "$scratch/pkg-ws"
  printf '# {{Title}}\n' >"$scratch/pkg-ws/brief-tmpl.md"
  pkg_init="(progn (require 'package) (setq package-user-dir \"$scratch/pkg-elpa\" package-archives nil package-directory-list '(\"/usr/share/emacs/site-lisp/elpa\")) (package-initialize))"
  if HOME="$scratch/home-pkg" timeout 30 emacs --batch -Q --eval "$pkg_init" \
       --eval "(package-install-file \"$repo/clients/emacs/tmpl-ls.el\")" </dev/null >"$scratch/pkg.out" 2>&1 \
     && HOME="$scratch/home-pkg" timeout 30 emacs --batch -Q --eval "$pkg_init" \
       --eval "(progn (princ (format \"installed=%s autoload=%s\" (package-installed-p 'tmpl-ls) (autoloadp (symbol-function 'bmad-template-mode)))) (find-file \"$scratch/pkg-ws/brief-tmpl.md\") (princ (format \" mode=%s\\n\" major-mode)))" \
       </dev/null >"$scratch/pkg2.out" 2>&1 \
     && grep -q 'installed=t autoload=t mode=bmad-template-mode' "$scratch/pkg2.out"; then
    echo "ok package-install-file installs tmpl-ls; a new Emacs autoloads bmad-template-mode and opens *-tmpl.md in it"
    passed=$((passed + 1))
  else
    fail "package-install-file installs tmpl-ls; a new Emacs autoloads bmad-template-mode and opens *-tmpl.md in it" \
      "$(cat "$scratch/pkg.out" "$scratch/pkg2.out" 2>/dev/null | grep -v '^$' | tail -n 5 | tr '\n' ' ')"
  fi
  for t in eglot lsp-mode autoloads no-yaml-mode; do
    [ "$t" = autoloads ] && lisp="$scratch/lisp"
    # HOME: nothing lands in ~/.emacs.d.  </dev/null: a stray prompt fails
    # at once instead of waiting.  The timeout bounds a hung session.
    mkdir -p "$scratch/home-$t"
    HOME="$scratch/home-$t" TMPDIR="$scratch" TMPL_LS="$server" TMPL_LS_REPO="$repo" TMPL_LS_LISP="$lisp" \
      timeout 28 emacs --batch -Q -l "$here/$t-test.el" </dev/null >"$scratch/$t.out" 2>"$scratch/$t.err"
    rc=$?
    grep -E '^((not )?ok |# )' "$scratch/$t.out"
    p=$(grep -c '^ok ' "$scratch/$t.out")
    f=$(grep -c '^not ok ' "$scratch/$t.out")
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      fail "$t" "emacs exited with status $rc; stderr:"
      tail -n 20 "$scratch/$t.err" | sed 's/^/#   /'
    elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
      fail "$t" "no check ran"
      tail -n 20 "$scratch/$t.err" | sed 's/^/#   /'
    elif [ "$f" -ne 0 ]; then
      echo "# $t: stderr (last lines):"
      tail -n 20 "$scratch/$t.err" | sed 's/^/#   /'
    fi
  done
fi

echo "emacs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
