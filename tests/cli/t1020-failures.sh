#!/bin/sh
# t1020: failures of the code under test (exit 4) and of the environment
# (exit 3), each recorded in the store with its exit code.
#
# Proves: a package that does not compile exits 4 and shows the compiler's
# message; a benchmark calling b.Fatal exits 4 naming it and showing its
# message, while the package's other benchmark still measures fine; a
# benchmark that kills itself with SIGKILL under perf (perf then exits 0)
# exits 4 naming it and the signal; a panicking benchmark shows Go's panic
# message; without perf in PATH `test stat` exits 3 with one line (and
# `test default`, which needs no perf, still works); without go, exit 3.
#
# No hardware PMU here: the runs use the software event task-clock only.
. "$(dirname "$0")/lib.sh"

mkdir repo
for m in basic broken failing crash; do
	copy_fixture "$m" "repo/$m"
done
git_init repo
DB=$TRASH/repo/.perfgo/perfgo.db

# run_is STATUS CODE: the newest run's status and exit code.
run_is() {
	assert_eq "$1|$2" "$(sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" \
		"status and exit code of the newest run"
}

say "build failure"
cd "$TRASH/repo/broken" || fail "cd"
expect_code 4 perfgo test stat -e task-clock . -benchtime=10x
assert_contains "$ERR" "./broken.go:4:9: cannot use \"forty-two\" (untyped string constant) as int value in return statement"
assert_contains "$ERR" "perfgo: error: cannot build the tests of 'example.com/broken' (go exited with 2)"
run_is failed 4
expect_code 4 perfgo test default .
assert_contains "$ERR" "cannot use \"forty-two\""
run_is failed 4

say "failing benchmark"
cd "$TRASH/repo/failing" || fail "cd"
expect_code 4 perfgo test stat -e task-clock . -benchtime=10x
assert_contains "$ERR" "perfgo: error: benchmark 'BenchmarkBad' failed in 'example.com/failing'"
assert_contains "$ERR" "boom: intended benchmark failure"
run_is failed 4
# The failure is the benchmark's, not the package's: the other one measures.
expect_code 0 perfgo test stat -e task-clock . -benchtime=10x -bench=OK
assert_contains "$OUT" "BenchmarkOK$(bench_suffix)  (N=10, 1 rep)"
run_is ok 0

say "a benchmark killed by a signal under perf"
cd "$TRASH/repo/crash" || fail "cd"
expect_code 4 perfgo test stat -e task-clock . -benchtime=10x -bench=Suicide
assert_contains "$ERR" "perfgo: error: benchmark 'BenchmarkSuicide' in 'example.com/crash' died: Killed"
run_is failed 4
assert_eq 0 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$(last_run)'")" "samples of the killed run"

say "a panicking benchmark under perf"
expect_code 4 perfgo test stat -e task-clock . -benchtime=10x -bench=Panic
cp "$ERR" "$TRASH/panic.err"
assert_contains "$ERR" "perfgo: error: benchmark 'BenchmarkPanic' failed in 'example.com/crash' (exit 2)"
run_is failed 4
# Go's panic text is kept in the run's stderr artifact...
assert_contains "$TRASH/repo/.perfgo/runs/$(last_run)/stderr.txt" "panic: intended panic in BenchmarkPanic"

say "a benchmark killed during discovery"
expect_code 4 perfgo test stat -e task-clock . -benchtime=10x -bench=KillEarly
cp "$ERR" "$TRASH/killearly.err"
run_is failed 4

say "perf missing"
mkdir "$TRASH/go-only" "$TRASH/perf-only"
ln -s "$(command -v go)" "$TRASH/go-only/go"
ln -s "$(command -v perf)" "$TRASH/perf-only/perf"
cd "$TRASH/repo/basic" || fail "cd"
expect_code 3 env PATH="$TRASH/go-only" "$PERFGO" test stat -e task-clock . -benchtime=10x
assert_eq "perfgo: error: 'perf' not found in PATH: install it (Debian: 'apt-get install linux-perf')" \
	"$(cat "$ERR")" "stderr without perf"
assert_empty "$OUT"
# `test default` does not need perf.
expect_code 0 env PATH="$TRASH/go-only" "$PERFGO" test default . -run TestSum -v
assert_contains "$OUT" "--- PASS: TestSum"
run_is ok 0

say "go missing"
expect_code 3 env PATH="$TRASH/perf-only" "$PERFGO" test stat -e task-clock . -benchtime=10x
assert_eq "perfgo: error: 'go' not found in PATH: install Go (Debian: 'apt-get install golang-go')" \
	"$(cat "$ERR")" "stderr without go"
assert_empty "$OUT"
expect_code 3 env PATH="$TRASH/perf-only" "$PERFGO" test default .
assert_eq 1 "$(line_count "$ERR")" "stderr lines of 'test default' without go"
assert_contains "$ERR" "perfgo: error: 'go' not found in PATH"

# Known perfgo bugs (reported): the diagnostics of crashing benchmarks.
# Checked last so that everything above still runs; both are reported
# together.
say "diagnostics of crashing benchmarks"
bugs=""
# 1. A benchmark panics: the user must see why.  Go prints the panic on
#    stderr, which perfgo saves to the artifact but never shows.
grep -q "panic: intended panic in BenchmarkPanic" "$TRASH/panic.err" ||
	bugs="$bugs
 - BenchmarkPanic: Go's panic message is not shown on stderr"
# 2. A benchmark dies during discovery: the error must name it (the
#    -test.v start line says which one was running) and the signal,
#    not "benchmark discovery failed ... (exit 137)".
grep -q "^perfgo: error: .*BenchmarkKillEarly" "$TRASH/killearly.err" ||
	bugs="$bugs
 - BenchmarkKillEarly: the error line does not name the benchmark: $(grep '^perfgo: error:' "$TRASH/killearly.err")"
[ -z "$bugs" ] || { show "$TRASH/panic.err"; show "$TRASH/killearly.err"; fail "crash diagnostics:$bugs"; }
