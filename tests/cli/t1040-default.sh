#!/bin/sh
# t1040: `perfgo test` / `perfgo test default` run unit tests as go test does.
#
# Proves: './...' runs the tests of every package with tests (skipping the
# one without), test flags (-v, -run) reach the binary, output streams to
# stdout while the tests run (tests/go/stream waits for a go-ahead that this
# script gives only after seeing its first line), a failing test exits 4
# with its message, and `perfgo list`/`view` show the runs.
#
# Nothing is measured here, so the missing hardware PMU plays no part.
. "$(dirname "$0")/lib.sh"

mkdir repo
copy_fixture multi repo/multi
copy_fixture failing repo/failing
copy_fixture stream repo/stream
git_init repo
DB=$TRASH/repo/.perfgo/perfgo.db

say "perfgo test ./..."
cd "$TRASH/repo/multi" || fail "cd"
expect_code 0 perfgo test ./... -v
assert_contains "$OUT" "--- PASS: TestDouble"
assert_contains "$OUT" "--- PASS: TestHalf"
assert_eq 3 "$(grep -c '^PASS$' "$OUT")" "PASS lines (bench, nobench, other)"
assert_eq "ok|0|test default|example.com/multi/bench example.com/multi/nobench example.com/multi/other" \
	"$(sql "SELECT status, exit_code, command, packages FROM runs ORDER BY seq DESC LIMIT 1")" "run row"
# Unit tests only: no benchmark ran.
assert_not_contains "$OUT" "BenchmarkDouble"

say "perfgo test default . with -run"
cd "$TRASH/repo/multi/bench" || fail "cd"
expect_code 0 perfgo test default . -run 'TestDouble$' -v
assert_contains "$OUT" "=== RUN   TestDouble"
assert_eq "ok|0|test default|multi/bench" \
	"$(sql "SELECT status, exit_code, command, workdir FROM runs ORDER BY seq DESC LIMIT 1")" "run row"
run_ok=$(last_run)
expect_code 0 perfgo test default . -run NoSuchTest
assert_contains "$ERR" "testing: warning: no tests to run"

say "output streams while the tests run"
cd "$TRASH/repo/stream" || fail "cd"
STREAM_GO=$TRASH/go-ahead perfgo test . >"$TRASH/stream.out" 2>"$TRASH/stream.err" &
pid=$!
if ! wait_until 20 grep -q STREAM-MARKER "$TRASH/stream.out"; then
	show "$TRASH/stream.out"; show "$TRASH/stream.err"
	fail "the first line of the test did not arrive while it ran"
fi
kill -0 "$pid" 2>/dev/null || fail "perfgo finished before the go-ahead"
assert_not_contains "$TRASH/stream.out" "STREAM-DONE"
: >"$TRASH/go-ahead"
wait "$pid"
rc=$?
[ "$rc" -eq 0 ] || { show "$TRASH/stream.out"; show "$TRASH/stream.err"; fail "stream test exited $rc"; }
assert_contains "$TRASH/stream.out" "STREAM-DONE"
# The stdout artifact holds the same output.
assert_contains "$TRASH/repo/.perfgo/runs/$(last_run)/stdout.txt" "STREAM-MARKER"

say "a failing test"
cd "$TRASH/repo/failing" || fail "cd"
expect_code 4 perfgo test .
assert_contains "$OUT" "--- FAIL: TestBroken"
assert_contains "$OUT" "TestBroken: intended failure"
assert_contains "$ERR" "perfgo: error: tests of 'example.com/failing' failed (exit 1)"
run_failed=$(last_run)
assert_eq "failed|4" "$(sql "SELECT status, exit_code FROM runs WHERE id = '$run_failed'")" "failed run"
expect_code 0 perfgo test default . -run TestOK
expect_code 0 perfgo test . -run 'TestOK$' -count 2 -v
assert_eq 2 "$(grep -c -- '--- PASS: TestOK' "$OUT")" "-count 2 runs the test twice"

say "list and view show the runs"
cd "$TRASH/repo" || fail "cd"
expect_code 0 perfgo list -n 0
# Newest first: the two TestOK runs, the failure, the stream run, ...
sed -n 4p "$OUT" >"$TRASH/row"
assert_contains "$TRASH/row" "$(echo "$run_failed" | cut -c1-8)  "
grep -q "^$(echo "$run_failed" | cut -c1-8)  .*  failed  *4  .*test default  example.com/failing\$" "$TRASH/row" ||
	{ show "$OUT"; fail "list row of the failed run"; }
grep -q "^$(echo "$run_ok" | cut -c1-8)  .*  ok  *0  .*test default  example.com/multi/bench\$" "$OUT" ||
	{ show "$OUT"; fail "list row of the passing run"; }
expect_code 0 perfgo list --format json -n 0
py '
import json, sys
runs = {r["id"]: r for r in json.load(open(sys.argv[1]))}
r = runs[sys.argv[2]]
want = {"status": "failed", "complete": True, "exit_code": 4, "command": "test default",
        "packages": "example.com/failing", "workdir": "failing", "benchmarks": 0}
bad = {k: r[k] for k in want if r[k] != want[k]}
if bad:
    sys.exit("list json of the failed run: %r" % bad)
if r["argv"][1:] != ["test", "."]:
    sys.exit("argv %r" % r["argv"])
' "$OUT" "$run_failed" || fail "list --format json"
expect_code 0 perfgo view "$run_failed"
assert_contains "$OUT" "status:    failed (exit 4)"
assert_contains "$OUT" "--- stdout (runs/$run_failed/stdout.txt,"
assert_contains "$OUT" "TestBroken: intended failure"
