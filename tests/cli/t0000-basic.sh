#!/bin/sh
# t0000: the command line itself, before any measurement.
#
# Proves: --version prints the VERSION file's version on one line; --help
# lists every command and the exit codes; `perfgo help <cmd>` prints exactly
# what `perfgo <cmd> --help` prints; usage mistakes (unknown command, unknown
# option, missing package, bad --format, -C without a directory) exit 2 with
# a single `perfgo: error: ...` line plus a `see 'perfgo help ...'` hint, print
# nothing on stdout and create no store.
#
# No perf events are counted here (and this machine has no hardware PMU:
# hardware counters could not be asserted anyway).
. "$(dirname "$0")/lib.sh"

mkdir empty && cd empty || fail "mkdir"

say "--version"
expect_code 0 perfgo --version
assert_eq 1 "$(line_count "$OUT")" "--version lines"
version=$(cat "$SRC_ROOT/VERSION")
grep -q "^perfgo $version (.*)\$" "$OUT" || { show "$OUT"; fail "--version is not 'perfgo $version (...)'"; }
assert_empty "$ERR"

say "--help and help"
expect_code 0 perfgo --help
assert_contains "$OUT" "usage: perfgo [-C <dir>] [-q] [--verbose] <command> [<args>]"
for c in help list test view; do
	grep -q "^  $c  *[a-z]" "$OUT" || { show "$OUT"; fail "--help does not list '$c'"; }
done
assert_contains "$OUT" "Exit codes: 0 ok, 1 regression, 2 usage error, 3 tool or environment failure,"
assert_empty "$ERR"
cp "$OUT" main-help
expect_code 0 perfgo help
cmp -s main-help "$OUT" || fail "'perfgo help' differs from 'perfgo --help'"
expect_code 0 perfgo -h
cmp -s main-help "$OUT" || fail "'perfgo -h' differs from 'perfgo --help'"

for c in test list view; do
	expect_code 0 perfgo help "$c"
	cp "$OUT" "help-$c"
	assert_contains "help-$c" "usage: perfgo $c"
	assert_contains "help-$c" "-h, --help"
	expect_code 0 perfgo "$c" --help
	cmp -s "help-$c" "$OUT" || { diff "help-$c" "$OUT" >&2; fail "'help $c' != '$c --help'"; }
	expect_code 0 perfgo "$c" -h
	cmp -s "help-$c" "$OUT" || fail "'help $c' != '$c -h'"
done
# The test help names both modes and its options.
for w in "default" "stat" "--event <event>" "--format <fmt>" "--detail"; do
	assert_contains help-test "$w"
done
# `test stat --help` is the same text as `test --help`.
expect_code 0 perfgo test stat --help
cmp -s help-test "$OUT" || fail "'test stat --help' != 'test --help'"

# usage_error CODE-IS-2 ERROR-LINE HINT-LINE CMD...: exit 2, exactly the
# error line and the hint on stderr, nothing on stdout.
usage_error() {
	msg=$1 hint=$2
	shift 2
	expect_code 2 "$@"
	assert_empty "$OUT"
	assert_eq "$msg" "$(sed -n 1p "$ERR")" "error line of '$*'"
	assert_eq "$hint" "$(sed -n 2p "$ERR")" "hint line of '$*'"
	assert_eq 2 "$(line_count "$ERR")" "stderr lines of '$*'"
}

say "usage errors"
usage_error "perfgo: error: unknown command 'frobnicate'" "perfgo: see 'perfgo help'" \
	perfgo frobnicate
usage_error "perfgo: error: unknown option '--frob'" "perfgo: see 'perfgo help'" \
	perfgo --frob list
usage_error "perfgo: error: unknown command 'nope'" "perfgo: see 'perfgo help'" \
	perfgo help nope
usage_error "perfgo: error: unknown option '--bogus'" "perfgo: see 'perfgo help test'" \
	perfgo test stat --bogus .
usage_error "perfgo: error: unknown option '--bogus'" "perfgo: see 'perfgo help list'" \
	perfgo list --bogus
usage_error "perfgo: error: unknown option '--bogus'" "perfgo: see 'perfgo help view'" \
	perfgo view --bogus
usage_error "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" \
	"perfgo: see 'perfgo help test'" perfgo test stat
usage_error "perfgo: error: no package given: name one, e.g. '.' or './pkg/...'" \
	"perfgo: see 'perfgo help test'" perfgo test
usage_error "perfgo: error: '-count' needs a positive whole number, not '0'" \
	"perfgo: see 'perfgo help test'" perfgo test stat . -count 0

# Errors without a hint line: exactly one line.
expect_code 2 perfgo test stat --format xml .
assert_eq "perfgo: error: unknown format 'xml': use text, json or gobench" "$(cat "$ERR")" "bad --format"
expect_code 2 perfgo test --format json .
assert_eq "perfgo: error: '--event', '--detail', '--format' and '--counters' need 'perfgo test stat'" \
	"$(cat "$ERR")" "--format in default mode"
expect_code 2 perfgo -C
assert_eq "perfgo: error: option '-C' needs a directory" "$(cat "$ERR")" "-C without a directory"
expect_code 2 perfgo -C "$TRASH/does-not-exist" list
assert_eq "perfgo: error: cannot change to '$TRASH/does-not-exist': No such file or directory" \
	"$(cat "$ERR")" "-C to a missing directory"

# No command at all: the usage on stderr.
expect_code 2 perfgo
assert_empty "$OUT"
assert_contains "$ERR" "usage: perfgo [-C <dir>]"

# None of the usage errors above created a store here.
[ ! -e .perfgo ] || fail "a usage error created '.perfgo'"

say "list and view without a store"
expect_code 0 perfgo list
assert_empty "$OUT"
assert_contains "$ERR" "no runs recorded in '$TRASH/empty/.perfgo' yet"
expect_code 0 perfgo list --format json
assert_eq "[]" "$(cat "$OUT")" "list --format json without a store"
expect_code 2 perfgo view
assert_contains "$ERR" "perfgo: error: no runs recorded in '$TRASH/empty/.perfgo' yet"
[ ! -e .perfgo ] || fail "list/view created '.perfgo'"
