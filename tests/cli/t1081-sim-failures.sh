#!/bin/sh
# t1081: `--counters sim` when valgrind cannot run one benchmark, with real
# valgrind 3.19 and go (tests/go/simfail).
#
# Proves: a benchmark executing an instruction valgrind does not know
# (SHA1NEXTE, SHA-NI: Go's SIGILL report under valgrind) does not stop
# the run: `test stat` exits 0, warns once, records and shows the reason
# ("not counted: instructions:sim/op and 8 more metrics: valgrind:
# unsupported instruction (bytes 0xf 0x38 0xc8 0xd1 ...) in
# example.com/simfail.shaRound", text and JSON), keeps that benchmark's
# plain-run metrics (ns/op in every repetition) without simulating it
# again, and measures the other benchmark in full; `compare --counters sim`
# shows the benchmark's simulated rows as "not comparable: valgrind: ..."
# in text, Markdown, JSON and JUnit, outside Holm's family, and still gates
# the other benchmark's +1.45 % instructions (exit 1), while a benchmark
# doing a clock-seeded random amount of work per op has its instructions
# "not repeatable (spread X %)", not gated either; a simulated process
# past its cap (PERFGO_SIM_TIMEOUT=1, a benchmark sleeping 100 ms per op)
# is "simulation timed out after 1 s", its ns/op kept, exit 0.
# The SHA-NI part needs a CPU with the sha_ni flag (the plain run executes
# the instruction natively); without it that part is skipped, said on
# stderr, and the timeout part still runs.
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || fail "valgrind is not installed (ci/deps.sh installs it)"

copy_fixture simfail repo
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"

say "a simulated process past its cap: timed out, ns/op kept, exit 0"
expect_code 0 env PERFGO_SIM_TIMEOUT=1 "$PERFGO" test stat --counters sim . \
	-benchtime=20x -count=2 -bench=Nap
assert_contains "$OUT" "not counted: instructions:sim/op and 8 more metrics: simulation timed out after 1 s"
assert_contains "$ERR" "benchmark 'BenchmarkNap' could not be counted: simulation timed out after 1 s"
# Once: the second repetition does not simulate again.
assert_eq 1 "$(grep -c 'could not be counted' "$ERR")" "warnings"
run=$(last_run)
assert_eq 2 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$run' AND metric = 'ns/op' AND value > 1e8")" "ns/op of the plain runs"
assert_eq 0 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$run' AND metric LIKE '%:sim/op'")" "simulated samples of a timed-out benchmark"
assert_eq "ok 0" "$(sql "SELECT status || ' ' || exit_code FROM runs WHERE id = '$run'")" "run status"
# The fixed cap is part of how it was measured: a later run reuses it only with the same cap.
case $(sql "SELECT config_json FROM runs WHERE id = '$run'") in
*'"sim_timeout_s":1'*) ;;
*) fail "the configuration does not record PERFGO_SIM_TIMEOUT" ;;
esac

if ! grep -qw sha_ni /proc/cpuinfo; then
	echo "t1081: this CPU has no SHA-NI: the unsupported-instruction part is skipped" >&2
	exit 0
fi

say "an instruction valgrind does not know: that benchmark not counted, the others go on"
BENCH="-benchtime=2000x"
expect_code 0 perfgo test stat --counters sim --format json . $BENCH -count=4 -bench='Mix|SHA'
run=$(last_run)
py '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["failures"]
assert len(f) == 1, f
f = f[0]
assert f["name"] == "BenchmarkSHA" and f["package"] == "example.com/simfail", f
assert f["metrics"][0] == "instructions:sim/op" and len(f["metrics"]) == 9, f
want = "valgrind: unsupported instruction (bytes 0xf 0x38 0xc8 0xd1 "
assert f["reason"].startswith(want), f["reason"]
assert f["reason"].endswith(") in example.com/simfail.shaRound"), f["reason"]
names = [b["name"] for b in d["benchmarks"]]
assert names == ["BenchmarkMix", "BenchmarkSHA"], names
' "$OUT" || fail "JSON failures"
assert_eq 1 "$(grep -c "benchmark 'BenchmarkSHA' could not be counted: valgrind: unsupported instruction" "$ERR")" \
	"one warning for BenchmarkSHA"
# SHA: ns/op from all 4 plain runs, nothing simulated; Mix: 3 simulated repetitions.
assert_eq "4 0 3" "$(sql "SELECT
     (SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq JOIN benchmarks b ON b.id = s.benchmark_id
      WHERE r.id = '$run' AND b.name = 'BenchmarkSHA' AND metric = 'ns/op') || ' ' ||
     (SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq JOIN benchmarks b ON b.id = s.benchmark_id
      WHERE r.id = '$run' AND b.name = 'BenchmarkSHA' AND metric LIKE '%:sim/op') || ' ' ||
     (SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq JOIN benchmarks b ON b.id = s.benchmark_id
      WHERE r.id = '$run' AND b.name = 'BenchmarkMix' AND metric = 'instructions:sim/op')")" \
	"SHA ns/op, SHA sim, Mix sim samples"
# valgrind ran SHA once: the later repetitions are plain runs only.
assert_eq 1 "$(grep -c 'SIGILL: illegal instruction' .perfgo/runs/$run/stderr.txt)" "simulated SHA processes"
expect_code 0 perfgo view "$run"
assert_contains "$OUT" "not counted: instructions:sim/op and 8 more metrics: valgrind: unsupported instruction"

say "compare: the benchmark's simulated rows not comparable with the reason; Mix still gates"
sed -i 's|^\treturn x$|\tx ^= x >> 31\n\tx ^= x << 7\n\treturn x|' simfail.go
git commit -q -am "Mix: two more operations per call" || fail "commit"
expect_code 1 perfgo compare --counters sim --markdown "$TRASH/r.md" --json "$TRASH/r.json" \
	--junit "$TRASH/r.xml" HEAD~1 HEAD -- . $BENCH -count=3 -bench='Mix|SHA|Jitter'
cp "$OUT" "$TRASH/r.txt"
assert_eq "regression n=3+3" "$(row_verdict "$TRASH/r.txt" instructions:sim/op BenchmarkMix)" \
	"Mix instructions:sim/op"
assert_contains "$TRASH/r.txt" "1 benchmark regressed: BenchmarkMix (instructions:sim/op)"
grep -q '^BenchmarkSHA  *not comparable: valgrind: unsupported instruction (bytes 0xf 0x38 0xc8 0xd1 .*in example.com/simfail.shaRound$' "$TRASH/r.txt" ||
	{ show "$TRASH/r.txt"; fail "text: SHA's simulated row without the reason"; }
assert_eq 9 "$(grep -c '^BenchmarkSHA  *not comparable: valgrind: unsupported instruction' "$TRASH/r.txt")" \
	"SHA's simulated rows, one per metric"
assert_contains "$TRASH/r.md" "not comparable: valgrind: unsupported instruction"
grep -q '^BenchmarkJitter .*  not comparable: not repeatable (spread [0-9.]* %)$' "$TRASH/r.txt" ||
	{ show "$TRASH/r.txt"; fail "text: Jitter's instructions not marked not repeatable"; }
assert_contains "$TRASH/r.md" "not comparable: not repeatable (spread "
assert_contains "$TRASH/r.xml" "instructions:sim/op not comparable: not repeatable (spread "
assert_contains "$TRASH/r.xml" "instructions:sim/op not comparable: valgrind: unsupported instruction"
py '
import json, sys
d = json.load(open(sys.argv[1]))
c = d["comparisons"][0]
t = {u["unit"]: u for u in c["units"]}
sha = [r for r in t["instructions:sim/op"]["rows"] if r["name"] == "BenchmarkSHA"][0]
assert sha["verdict"] == "not_comparable", sha
assert sha["reason"].startswith("valgrind: unsupported instruction"), sha
assert sha["p_adj"] is None, sha
jit = [r for r in t["instructions:sim/op"]["rows"] if r["name"] == "BenchmarkJitter"][0]
assert jit["verdict"] == "not_comparable" and jit["p_adj"] is None, jit
assert jit["reason"].startswith("not repeatable (spread "), jit
# Holm: ns/op, B/op, allocs/op of the three benchmarks and Mix'"'"'s instructions.
assert c["family"] == 10, c["family"]
assert c["counts"]["regression"] == 1 and c["counts"]["not_comparable"] == 2, c["counts"]
' "$TRASH/r.json" || fail "JSON comparison"
