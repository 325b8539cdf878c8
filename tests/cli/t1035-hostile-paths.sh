#!/bin/sh
# t1035: a repository whose path holds a newline and a tab.
#
# Proves: `perfgo test stat` finds and measures the package (go list's
# output is read as JSON, so a directory name with a newline or tab is
# kept intact; before, the tab/newline format split it and perfgo exited
# 3 "unexpected output from 'go list'").
. "$(dirname "$0")/lib.sh"

D="$TRASH/odd
dir	x"
mkdir -p "$D" || fail "mkdir"
copy_fixture basic "$D/repo"
git_init "$D/repo"
cd "$D/repo" || fail "cd"
expect_code 0 perfgo test stat -e task-clock . -bench=Sum -benchtime=2000x
assert_contains "$OUT" "BenchmarkSum"
assert_eq ok "$(sql "SELECT status FROM runs ORDER BY seq DESC LIMIT 1")" "run status"
