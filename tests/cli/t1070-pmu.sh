#!/bin/sh
# t1070: the hardware-PMU path end to end (issue 19, item 4).
#
# Proves, through the code a live run takes (probe, gated jobs, perf's
# CSV, differential, derived metrics, store, reports):
# - the probe on a runner with a PMU stores fingerprints.pmu = 1 (JSON
#   "pmu": true, text without the no-PMU note) and records all 14 default
#   events counted, none dropped;
# - every hardware counter per op is the per-iteration rate the workload
#   really had (within 0.5 %: a process whose workload exits before perf
#   handles the disable also counts the exit, as with a real PMU, 0.2 %
#   here; a naive whole-count/N would be ~1.5 % off at N = 200000,
#   the stand-in's gated setup alone is 3000 iterations' worth), per
#   benchmark (another rate for BenchmarkAlloc is not mixed into Sum);
# - IPC = instructions/cycles, branch-miss-% , cache-miss-%, L1-dcache-miss-%
#   and LLC-miss-% are derived per repetition (source "derived", flag 2);
# - a multiplexed counter (running 75 %) is stored with running 0.75 and
#   the multiplexed flag, the flag propagates to the rate derived from it
#   (cache-miss-%), the JSON says "multiplexed": true, "running": 0.75, the
#   text report marks that row with M and no other; modifiers work (IPC:u);
# - the gobench format carries instructions/op and IPC;
# - `perfgo compare`: a commit that adds 5 % instructions per op to one
#   benchmark is a regression in instructions/op (ratio 1.05, exact, exit
#   1), the untouched benchmark's instructions/op is the same; with θ
#   for instructions at 6 % the same data passes (exit 0), so the exit code
#   comes from instructions/op, a gated metric when counted.
#
# Stand-in: this machine has no hardware PMU, so `perf` is
# tests/cli/fakeperf.py placed first in PATH.  It runs the real perf on the
# real workload for the software events (so Go's output, ns/op,
# task-clock are real and the control channel drives real counters; it
# relays every enable/disable and its ack) and adds the hardware events to
# perf's CSV in perf 6.1's layout, with counts of SETUP + RATE x (N + 1)
# while enabled (<not counted> if never enabled), cache-misses multiplexed
# at 75 %.  Rates per benchmark come from fakeperf.rates in the package
# directory; defaults (fakeperf.py): instructions 2400, cycles 1600,
# branches 400, branch-misses 8, cache-references 60, cache-misses 6,
# L1-dcache-loads 900, L1-dcache-load-misses 45, LLC-loads 30,
# LLC-load-misses 3 per iteration.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || fail "python3 not found (make deps)"
mkdir -p "$TRASH/bin"
ln -s "$SRC_ROOT/tests/cli/fakeperf.py" "$TRASH/bin/perf" || fail "symlink"
PATH="$TRASH/bin:$PATH"
export PATH
# The stand-in is the perf perfgo finds, and it has hardware counters.
perf stat -x, -o "$TRASH/probe.csv" -e instructions -- true || fail "stand-in perf"
grep -q '^[0-9][0-9]*,,instructions,[0-9]*,100.00,' "$TRASH/probe.csv" ||
	{ show "$TRASH/probe.csv"; fail "the stand-in does not count instructions"; }

S=$(bench_suffix)
copy_fixture basic repo
printf 'BenchmarkAlloc instructions=5000 cycles=4000\n' >repo/fakeperf.rates
git_init repo
cd repo || fail "cd"
N=200000

say "test stat, default events, on a runner with a PMU"
expect_code 0 perfgo test stat . -bench='Sum|Alloc' -benchtime=${N}x -count 3
cp "$OUT" "$TRASH/text.out"
run=$(last_run)
assert_not_contains "$ERR" "events not counted"
assert_eq 1 "$(sql "SELECT f.pmu FROM fingerprints f JOIN runs r ON r.fingerprint_id = f.id
	WHERE r.id = '$run'")" "fingerprints.pmu"
assert_eq "instructions cycles branches branch-misses cache-references cache-misses L1-dcache-loads L1-dcache-load-misses LLC-loads LLC-load-misses task-clock context-switches cpu-migrations page-faults" \
	"$(sql "SELECT group_concat(event, ' ') FROM (SELECT e.event FROM run_events e
	JOIN runs r ON r.seq = e.run_seq WHERE r.id = '$run' AND e.state = 'counted' ORDER BY e.rowid)")" \
	"counted events"
assert_eq 0 "$(sql "SELECT count(*) FROM run_events e JOIN runs r ON r.seq = e.run_seq
	WHERE r.id = '$run' AND e.state != 'counted'")" "events not counted"

# check_metric BENCH METRIC WANT RUNNING FLAGS: all 3 samples within 0.5 %
# of WANT, with that running fraction and those flags.
check_metric() {
	got=$(sql "SELECT count(*), sum(abs(s.value - $3) <= 0.005 * $3),
		group_concat(DISTINCT s.running), group_concat(DISTINCT s.flags)
		FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq
		WHERE r.id = '$run' AND b.name = '$1' AND s.metric = '$2'")
	[ "$got" = "3|3|$4|$5" ] || {
		sql "SELECT s.rep, s.value, s.running, s.flags FROM samples s JOIN benchmarks b
			ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq
			WHERE r.id = '$run' AND b.name = '$1' AND s.metric = '$2'" >&2
		fail "$1 $2: want 3 samples of $3 (running $4, flags $5), got n|close|running|flags = $got"
	}
}
for b in "BenchmarkSum$S" "BenchmarkAlloc$S"; do
	case $b in BenchmarkSum*) ins=2400 cyc=1600 ;; *) ins=5000 cyc=4000 ;; esac
	check_metric "$b" instructions/op $ins 1.0 0
	check_metric "$b" cycles/op $cyc 1.0 0
	check_metric "$b" branches/op 400 1.0 0
	check_metric "$b" branch-misses/op 8 1.0 0
	check_metric "$b" cache-references/op 60 1.0 0
	check_metric "$b" cache-misses/op 6 0.75 1
	check_metric "$b" L1-dcache-loads/op 900 1.0 0
	check_metric "$b" L1-dcache-load-misses/op 45 1.0 0
	check_metric "$b" LLC-loads/op 30 1.0 0
	check_metric "$b" LLC-load-misses/op 3 1.0 0
	check_metric "$b" IPC "$(py 'import sys; print(int(sys.argv[1]) / int(sys.argv[2]))' $ins $cyc)" 1.0 2
	check_metric "$b" branch-miss-% 2 1.0 2
	check_metric "$b" cache-miss-% 10 0.75 3
	check_metric "$b" L1-dcache-miss-% 5 1.0 2
	check_metric "$b" LLC-miss-% 10 1.0 2
done
# Go's metrics are still Go's: Alloc's 1024 B/op.
check_metric "BenchmarkAlloc$S" B/op 1024 1.0 4
# Only the multiplexed counter and what derives from it carry the flag.
assert_eq "cache-miss-%
cache-misses/op" "$(sql "SELECT DISTINCT s.metric FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$run' AND (s.flags & 1 OR s.running < 1) ORDER BY 1")" "multiplexed metrics"

# The text report: M on the multiplexed rows only, its legend, no no-PMU note.
assert_not_contains "$TRASH/text.out" "no hardware PMU"
assert_not_contains "$TRASH/text.out" "not counted here"
assert_contains "$TRASH/text.out" "M: perf multiplexed this counter"
grep -E '^  [^ ]+ .* M( |$)' "$TRASH/text.out" | awk '{print $1}' | sort -u >"$TRASH/mrows"
assert_eq "cache-miss-%
cache-misses/op" "$(cat "$TRASH/mrows")" "rows marked M in the text report"
grep -q "^  instructions/op  *2400 " "$TRASH/text.out" || { show "$TRASH/text.out"; fail "no instructions/op row of 2400"; }
grep -q "^  IPC  *1.5000 " "$TRASH/text.out" || { show "$TRASH/text.out"; fail "no IPC row of 1.5"; }

say "--format json: pmu, sources, multiplexed flag, derived IPC"
expect_code 0 perfgo test stat --format json . -bench=Sum -benchtime=${N}x -count 3
run=$(last_run)
py '
import json, sqlite3, sys
d = json.load(open(sys.argv[1]))
run = sys.argv[2]
db = sqlite3.connect(".perfgo/perfgo.db")
def fail(msg):
    sys.exit("json: " + msg)
if d["fingerprint"]["pmu"] is not True:
    fail("fingerprint pmu %r" % d["fingerprint"]["pmu"])
if {e["state"] for e in d["events"]} != {"counted"} or len(d["events"]) != 14:
    fail("events %r" % d["events"])
(b,) = d["benchmarks"]
m = {x["metric"]: x for x in b["metrics"]}
want = {  # metric: (source, median, multiplexed, running)
    "instructions/op": ("perf", 2400, False, 1.0), "cycles/op": ("perf", 1600, False, 1.0),
    "cache-misses/op": ("perf", 6, True, 0.75), "branch-misses/op": ("perf", 8, False, 1.0),
    "IPC": ("derived", 1.5, False, 1.0), "branch-miss-%": ("derived", 2, False, 1.0),
    "cache-miss-%": ("derived", 10, True, 0.75), "LLC-miss-%": ("derived", 10, False, 1.0),
    "ns/op": ("go", None, False, 1.0),
}
for name, (src, med, mux, running) in want.items():
    x = m.get(name)
    if x is None:
        fail("no metric %s in %r" % (name, sorted(m)))
    if x["source"] != src or x["multiplexed"] is not mux or abs(x["running"] - running) > 1e-9:
        fail("%s: source %r multiplexed %r running %r" % (name, x["source"], x["multiplexed"], x["running"]))
    if med is not None and (abs(x["median"] - med) > 0.005 * med or x["n"] != 3):
        fail("%s: median %r n %r, want %r" % (name, x["median"], x["n"], med))
    rows = [v for (v,) in db.execute("SELECT s.value FROM samples s JOIN runs r ON r.seq = s.run_seq "
                                     "WHERE r.id = ? AND s.metric = ? ORDER BY s.rep", (run, name))]
    if x["samples"] != rows:
        fail("%s: samples %r, database %r" % (name, x["samples"], rows))
ipc = m["IPC"]["samples"]
ins, cyc = m["instructions/op"]["samples"], m["cycles/op"]["samples"]
if any(abs(i - a / c) > 1e-9 for i, a, c in zip(ipc, ins, cyc)):
    fail("IPC %r is not instructions/cycles per repetition (%r / %r)" % (ipc, ins, cyc))
' "$OUT" "$run" || { show "$OUT"; fail "JSON report of a PMU run"; }

say "modifiers and the gobench format"
expect_code 0 perfgo test stat --format gobench -e instructions:u,cycles:u -e task-clock . \
	-bench=Sum -benchtime=${N}x -count 1
tr '\t' ' ' <"$OUT" | grep "^BenchmarkSum$S " >"$TRASH/line" || { show "$OUT"; fail "no result line"; }
# Within 0.5 %: when the workload exits before perf handles the disable,
# perf counts the exit too (the stand-in adds TEARDOWN, as a PMU would).
py '
import sys
f = open(sys.argv[1]).read().split()
vals = dict(zip(f[3::2], map(float, f[2::2])))
for unit, want in (("instructions:u/op", 2400), ("cycles:u/op", 1600), ("IPC:u", 1.5)):
    if unit not in vals or abs(vals[unit] - want) > 0.005 * want:
        sys.exit("gobench %s: %r, want %r" % (unit, vals.get(unit), want))
' "$TRASH/line" || { show "$TRASH/line"; fail "gobench line of a PMU run"; }
assert_contains "$OUT" "Unit instructions:u/op better=lower"

say "compare: 5 % more instructions per op is a regression in instructions/op"
cd "$TRASH" || fail "cd"
make_module ab example.com/ab
cat >ab/ab_test.go <<'EOF'
package ab

import "testing"

var sink uint64

func spin(n int) uint64 {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += spin(200)
	}
}

func BenchmarkSteady(b *testing.B) {
	for i := 0; i < b.N; i++ {
		sink += spin(200)
	}
}
EOF
printf '.perfgo/\n' >ab/.gitignore
printf '* instructions=2400\n' >ab/fakeperf.rates
git_init ab
cd ab || fail "cd"
printf '* instructions=2400\nBenchmarkWork instructions=2520\n' >fakeperf.rates
git commit -q -am "Work: 5% more instructions" || fail "commit"
expect_code 1 perfgo compare --format json --metric instructions/op --metric IPC \
	HEAD~1 -- . -benchtime=${N}x -count 6
cp "$OUT" "$TRASH/cmp.json"
py '
import json, sys
r = json.load(open(sys.argv[1]))
rows = {(row["name"].split("-")[0], t["unit"]): row
        for t in r["comparisons"][0]["units"] for row in t["rows"]}
w, s = rows[("BenchmarkWork", "instructions/op")], rows[("BenchmarkSteady", "instructions/op")]
assert w["verdict"] == "regression", w
assert abs(w["ratio"] - 1.05) < 5e-3, w["ratio"]
assert len(w["old"]["samples"]) == 6 and len(w["new"]["samples"]) == 6
assert s["verdict"] == "same" and abs(s["ratio"] - 1) < 5e-3, s
assert r["regressions"] == 1, r["regressions"]
assert "hardware PMU" in r["runner"] and "no hardware PMU" not in r["runner"], r["runner"]
' "$TRASH/cmp.json" || { show "$TRASH/cmp.json"; fail "compare JSON with hardware counters"; }
assert_eq 1 "$(sql "SELECT DISTINCT f.pmu FROM runs r JOIN fingerprints f ON f.id = r.fingerprint_id
	WHERE r.command LIKE 'compare%'")" "pmu of the compare runs"
# The same samples under a 6 % threshold for instructions: no regression.
expect_code 0 perfgo compare --reuse --metric instructions/op --threshold instructions=6 \
	HEAD~1 -- . -benchtime=${N}x -count 6
assert_eq "~ n=6+6" "$(row_verdict "$OUT" instructions/op "BenchmarkWork$S")" "Work's instructions/op at θ 6%"
grep -q "^BenchmarkWork$S .* +5\.0[0-9]%  (" "$OUT" || grep -q "^BenchmarkWork$S .* +4\.9[0-9]%  (" "$OUT" ||
	{ show "$OUT"; fail "Work's instructions/op change is not +5%"; }
