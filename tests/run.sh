#!/usr/bin/env bash
# tests/run.sh VARIANT: run every test program of build/VARIANT and print a
# summary line CI can read ("tests: N passed, N failed").
#
# - tests/<area>/test_*.c programs are cmocka suites; each runs in its own
#   process with a time limit, and its "[  PASSED  ]"/"[  FAILED  ]" lines
#   are counted.
# - build/VARIANT/tests/tools/transcript runs the LSP transcripts in
#   tests/transcripts/ against the real binary and prints one line a file;
#   tests/<area>/test_*.sh scripts build a workspace on the fly (FIFOs,
#   links) and play a transcript over it with the same tool.
# - tests/schema/validate.py (release only) checks the JSON Schema of YAML
#   templates against the corpus and prints "schema: N passed, N failed".
# - VARIANT "valgrind": only the transcripts, the release server under
#   valgrind (tests/tools/valgrind.sh), failing on any error or leak.
set -u
variant=${1:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/$variant"
server="$build/tmpl-ls"
if [ "$variant" = valgrind ]; then
  build="$root/build/release"
  server="$root/tests/tools/valgrind.sh"
  export TMPL_LS_BINARY="$build/tmpl-ls"
  # a transcript's time limit: the 2,000-file workspace's diagnostics took
  # 8-10 s of the default 10 under valgrind here, on a quiet machine
  export TL_TRANSCRIPT_TIMEOUT_MS=60000
fi
cd "$root"
passed=0 failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_suite() { # name, command...
  local name=$1; shift
  if timeout 300 "$@" >"$log" 2>&1; then :; else
    echo "FAIL: $name (exit $?)"; sed 's/^/    /' "$log" | tail -n 60
  fi
  local p f
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
  p=${p:-0}; f=${f:-0}
  # a program that crashed before its summary counts as one failure
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then
    local t
    t=$(sed -n 's/^\(transcripts\|schema\): \([0-9]*\) passed, \([0-9]*\) failed$/\2 \3/p' "$log")
    if [ -n "$t" ]; then p=${t% *}; f=${t#* }; else f=1; fi
  fi
  grep -E '^\[  FAILED  \] [a-z_]|^not ok|^FAIL' "$log" | sed 's/^/    /'
  passed=$((passed + p)); failed=$((failed + f))
  printf '%-8s %-40s %s passed, %s failed\n' "$variant" "$name" "$p" "$f"
}

if [ "$variant" != valgrind ]; then
  for t in $(find "$build/tests" -type f -name 'test_*' -perm -u+x | sort); do
    run_suite "${t#$build/tests/}" "$t"
  done
fi
if [ "$variant" = release ]; then
  run_suite schema /usr/bin/python3 tests/schema/validate.py --binary "$server"
fi
if [ -x "$build/tests/tools/transcript" ] && ls tests/transcripts/*.txt >/dev/null 2>&1; then
  run_suite transcripts "$build/tests/tools/transcript" "$server" tests/transcripts/*.txt
fi
# Scripts that make what cannot be committed (FIFOs, links out of the
# tree), then play a transcript over it: tests/<area>/test_*.sh TOOL SERVER.
if [ -x "$build/tests/tools/transcript" ]; then
  for t in $(find tests -path tests/clients -prune -o -type f -name 'test_*.sh' -print | sort); do
    run_suite "${t#tests/}" "$t" "$build/tests/tools/transcript" "$server"
  done
fi

echo "$variant: $passed passed, $failed failed"
[ "$failed" = 0 ]
