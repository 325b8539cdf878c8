#!/bin/sh
# t1025: bad go test flags are usage errors (exit 2) in one line.
#
# Proves (issue 11, defect 6): -benchtime=-5s, -benchtime=0, a count beyond
# Go's int (18446744073709551615x, once clamped silently and run until
# killed), -count=0 and -cpu=0 are refused before anything is built, naming
# the value; what only the test binary can judge is its own one-line
# diagnosis, exit 2, without its 40-line usage: an invalid -bench regexp
# ('['), an unknown flag (-bnech), and a perfgo option written after the
# package (--format=json), which is named as perfgo's with the fix.  Once
# these exited 4 ("code under test failed") after dumping the usage.  The
# same holds for `compare` (a perfgo option after '--').
#
# No hardware PMU here: the runs count the software event task-clock only.
. "$(dirname "$0")/lib.sh"

copy_fixture basic repo
git_init repo
cd repo || fail "cd"

# refused ARGS...: exit 2, one error line plus the help hint, nothing built.
refused() {
	expect_code 2 perfgo test stat -e task-clock . "$@"
	assert_empty "$OUT"
	[ "$(grep -c '^perfgo: error: ' "$ERR")" -eq 1 ] || { show "$ERR"; fail "not one error line: $*"; }
	assert_not_contains "$ERR" "Usage of"
	[ "$(grep -vc '^perfgo: warning: ' "$ERR")" -le 2 ] || { show "$ERR"; fail "more than two lines: $*"; }
}

say "values perfgo checks itself"
refused -benchtime=-5s
assert_contains "$ERR" "perfgo: error: invalid -benchtime '-5s': expected a positive duration (e.g. 2s, 500ms) or a positive count of iterations (e.g. 1000x)"
refused -benchtime 0
assert_contains "$ERR" "invalid -benchtime '0'"
refused -benchtime=18446744073709551615x
assert_contains "$ERR" "perfgo: error: invalid -benchtime '18446744073709551615x': the count must be at most 9223372036854775807 (Go's int)"
refused -count=0
assert_contains "$ERR" "'-count' needs a positive whole number, not '0'"
refused -cpu=0
assert_contains "$ERR" "perfgo: error: invalid -cpu '0': expected a comma-separated list of positive numbers, e.g. 1,2,4"
[ ! -d .perfgo ] || [ "$(sql "SELECT count(*) FROM runs")" -eq 0 ] || fail "a run was recorded for a refused flag"

say "what the test binary judges: its one line, exit 2"
refused '-bench=['
assert_contains "$ERR" "perfgo: error: the test binary of 'example.com/basic' rejects its arguments: testing: invalid regexp for element 0 of -test.bench (\"[\"): error parsing regexp: missing closing ]: \`[\`"
refused -bench=. -bnech
assert_contains "$ERR" "perfgo: error: the test binary of 'example.com/basic' rejects its arguments: flag provided but not defined: -bnech"
refused -bench=. --format=json
assert_contains "$ERR" "perfgo: error: '--format=json' is a perfgo option, not a flag of the test binary of 'example.com/basic': write it before the package (and before '--')"

say "compare: a perfgo option after '--'"
echo "// change" >>basic_test.go
git commit -qam "second" || fail "commit"
expect_code 2 perfgo compare -- . -benchtime=2000x -count=2 --fail-on=none
assert_contains "$ERR" "perfgo: error: '--fail-on=none' is a perfgo option, not a flag of the test binary of 'example.com/basic': write it before the package (and before '--')"
assert_not_contains "$ERR" "Usage of"
