#!/bin/sh
# The server ($TMPL_LS_BINARY) under valgrind, for the transcripts
# (tests/run.sh valgrind): any memory error or definite leak makes it exit
# 99, which the transcript's expected exit status then catches.
exec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
  "${TMPL_LS_BINARY:?set TMPL_LS_BINARY}" "$@"
