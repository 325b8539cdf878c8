#!/bin/sh
# t1030: which packages `perfgo test stat` measures, and the go test
# argument grammar end to end.
#
# Proves: '.', './sub', '../sibling', an import path and '-C dir' all name
# the same package (recorded by import path, with the working directory
# relative to the repository); './...' measures every package with
# benchmarks, skips the one without test files and tolerates one with tests
# but no benchmarks; patterns and paths that match nothing are usage errors
# (exit 2) with a clear message; outside a git repository perfgo works and
# says once where the results go; -tags reaches the build (a //go:build foo
# benchmark appears only with it), -race takes no value, and -json, -exec,
# -o, -c are refused with a hint before any run is recorded.
#
# No hardware PMU here: the runs count the software event task-clock only.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
copy_fixture multi repo
git_init repo
DB=$TRASH/repo/.perfgo/perfgo.db

# stat ARGS...: a cheap measurement that must succeed.
stat() {
	expect_code 0 perfgo test stat -e task-clock "$@" -benchtime=10x
}

# newest_is WORKDIR PACKAGES BENCHMARKS: the newest run's recorded facts.
newest_is() {
	assert_eq "ok|$1|$2" "$(sql "SELECT status, workdir, packages FROM runs ORDER BY seq DESC LIMIT 1")" \
		"status, workdir and packages of the newest run"
	assert_eq "$3" "$(sql "SELECT group_concat(n, ' ') FROM (SELECT DISTINCT b.package || ':' || b.name n
		FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id
		WHERE s.run_seq = (SELECT max(seq) FROM runs) ORDER BY 1)")" "benchmarks of the newest run"
}

quad="example.com/multi/other:BenchmarkQuad$S"

say "one package, named five ways"
cd "$TRASH/repo/other" || fail "cd"
stat .
newest_is other example.com/multi/other "$quad"
cd "$TRASH/repo" || fail "cd"
stat ./other
newest_is . example.com/multi/other "$quad"
cd "$TRASH/repo/nobench" || fail "cd"
stat ../other
newest_is nobench example.com/multi/other "$quad"
cd "$TRASH/repo/bench" || fail "cd"
stat example.com/multi/other
newest_is bench example.com/multi/other "$quad"
cd "$TRASH" || fail "cd"
expect_code 0 perfgo -C repo/other test stat -e task-clock . -benchtime=10x
newest_is other example.com/multi/other "$quad"
[ ! -e "$TRASH/.perfgo" ] || fail "-C left a store in the starting directory"

say "./... measures every package with benchmarks"
cd "$TRASH/repo" || fail "cd"
stat ./...
newest_is . "example.com/multi/bench example.com/multi/nobench example.com/multi/other" \
	"example.com/multi/bench:BenchmarkDouble$S $quad"
assert_not_contains "$OUT" "example.com/multi/lib"
assert_contains "$OUT" "pkg: example.com/multi/bench"
assert_contains "$OUT" "pkg: example.com/multi/other"

say "nothing to measure"
expect_code 2 perfgo test stat -e task-clock ./lib/... -benchtime=10x
assert_contains "$ERR" "perfgo: error: './lib/...' matches no package with tests"
expect_code 2 perfgo test stat -e task-clock ./lib -benchtime=10x
assert_contains "$ERR" "perfgo: error: package 'example.com/multi/lib' has no test files"
expect_code 2 perfgo test stat -e task-clock ./nobench -benchtime=10x
assert_contains "$ERR" "perfgo: error: no benchmark matches '-bench=.' in example.com/multi/nobench"
expect_code 2 perfgo test stat -e task-clock ./does-not-exist -benchtime=10x
assert_contains "$ERR" "perfgo: error: cannot resolve package './does-not-exist':"
expect_code 2 perfgo test stat -e task-clock example.com/nowhere -benchtime=10x
assert_contains "$ERR" "perfgo: error: cannot resolve package 'example.com/nowhere':"
expect_code 2 perfgo test stat -e task-clock ./... -bench=NoSuchBenchmark -benchtime=10x
assert_contains "$ERR" "perfgo: error: no benchmark matches '-bench=NoSuchBenchmark' in these packages"
assert_eq "failed|2" "$(sql "SELECT DISTINCT st FROM (SELECT status || '|' || exit_code st
	FROM runs ORDER BY seq DESC LIMIT 6)")" "the six runs that had nothing to measure"

say "outside a git repository"
copy_fixture basic "$TRASH/nogit/basic"
cd "$TRASH/nogit/basic" || fail "cd"
expect_code 0 perfgo test stat -e task-clock . -bench=Sum -benchtime=10x
assert_eq "perfgo: not in a git repository: results go to '$TRASH/nogit/basic/.perfgo'" \
	"$(grep -F 'git repository' "$ERR")" "the note about the store"
assert_eq 1 "$(grep -c 'not in a git repository' "$ERR")" "times the note is shown"
assert_eq "ok|.||" "$(DB=.perfgo/perfgo.db sql "SELECT status, workdir, commit_sha, branch FROM runs")" \
	"run outside git"
expect_code 0 perfgo list
assert_not_contains "$ERR" "not in a git repository"
assert_contains "$OUT" "test stat"

say "build flags: -tags"
copy_fixture tagged "$TRASH/repo/tagged"
cd "$TRASH/repo/tagged" || fail "cd"
# The tagged module is nested in the multi repository: its own module.
stat . -tags foo -bench=Tagged
newest_is tagged example.com/tagged "example.com/tagged:BenchmarkTagged$S"
assert_contains "$OUT" "BenchmarkTagged$S  (N=10, 1 rep)"
sql "SELECT config_json FROM runs ORDER BY seq DESC LIMIT 1" >"$TRASH/cfg"
assert_contains "$TRASH/cfg" '"build_flags":["-tags=foo"]'
assert_contains "$TRASH/cfg" '"bench":"Tagged"'
stat . -tags=foo
newest_is tagged example.com/tagged "example.com/tagged:BenchmarkPlain$S example.com/tagged:BenchmarkTagged$S"
expect_code 2 perfgo test stat -e task-clock . -bench=Tagged -benchtime=10x
assert_contains "$ERR" "no benchmark matches '-bench=Tagged' in example.com/tagged"

say "-race is a boolean flag"
# Were '-bench=Plain' taken as the value of -race, both benchmarks would run.
stat . -tags foo -race -bench=Plain
newest_is tagged example.com/tagged "example.com/tagged:BenchmarkPlain$S"
sql "SELECT config_json FROM runs ORDER BY seq DESC LIMIT 1" >"$TRASH/cfg"
assert_contains "$TRASH/cfg" '"bench":"Plain"'
assert_contains "$TRASH/cfg" '"build_flags":["-tags=foo","-race"]'

say "go test flags perfgo refuses"
nruns=$(sql "SELECT count(*) FROM runs")
for f in -json -exec=xprog "-o out.test" -c; do
	# shellcheck disable=SC2086 # "-o out.test" is two words on purpose
	expect_code 2 perfgo test stat . $f
	name=${f%%[= ]*}
	assert_contains "$ERR" "perfgo: error: '$name' is not supported: "
	assert_contains "$ERR" "perfgo: see 'perfgo help test'"
	assert_empty "$OUT"
done
assert_contains "$ERR" "perfgo: error: '-c' is not supported: perfgo always compiles the test binary itself"
expect_code 2 perfgo test stat . -json
assert_contains "$ERR" "use perfgo's '--format json' for machine-readable results"
expect_code 2 perfgo test stat . -bench=Plain extra-word
assert_contains "$ERR" "perfgo: error: unexpected argument 'extra-word' after go test flags"
assert_eq "$nruns" "$(sql "SELECT count(*) FROM runs")" "runs recorded by refused command lines"
