#!/bin/sh
# t1000: `perfgo test stat` end to end on tests/go/basic (plain, b.SetBytes,
# allocating, and sub-benchmarks with a b.ReportMetric unit).
#
# Proves: one sample per repetition for every (benchmark, metric) in the
# database, with the fixed iteration count; Go's own values stored exactly
# (1024 B/op, 1 allocs/op, elems/op); hardware events recorded as
# 'unsupported' and left out of the samples; the JSON report shows the
# database's numbers; the gobench format is well formed and carries the
# same numbers and Unit lines; -e restricts the events and accepts perf's
# syntax (lists, groups); a bad event is a usage error; a PMU-term event
# is passed to perf whole (its inner comma does not split it).
#
# This machine has no hardware PMU: perf reports cycles, instructions, ...
# as <not supported>, so no hardware value can be asserted.  The tests use
# software events (task-clock, page-faults, context-switches, cpu-migrations)
# and Go's metrics.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
copy_fixture basic repo
git_init repo
cd repo || fail "cd"

say "test stat with the default events, -count 5"
expect_code 0 perfgo test stat ./ -benchtime=100000x -count 5 -bench=.
cp "$OUT" "$TRASH/text.out"
cp "$ERR" "$TRASH/text.err"
run1=$(last_run)
assert_eq "ok|0|test stat|example.com/basic" \
	"$(sql "SELECT status, exit_code, command, packages FROM runs WHERE id='$run1'")" "run row"
assert_eq 1 "$(sql "SELECT count(*) FROM runs")" "number of runs"

# The four leaf benchmarks, with Go's -P suffix.
assert_eq "BenchmarkAlloc$S
BenchmarkSub/n=16$S
BenchmarkSub/n=64$S
BenchmarkSum$S" "$(sql "SELECT DISTINCT b.name FROM samples s
	JOIN benchmarks b ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$run1' AND b.package = 'example.com/basic' ORDER BY 1")" "benchmarks"

# Every (benchmark, metric) has exactly 5 samples, reps 0..4, N = 100000.
assert_eq "" "$(sql "SELECT b.name, s.metric, count(*) FROM samples s
	JOIN benchmarks b ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$run1' GROUP BY 1, 2
	HAVING count(*) != 5 OR count(DISTINCT s.rep) != 5 OR min(s.rep) != 0 OR max(s.rep) != 4")" \
	"(benchmark, metric) pairs without exactly reps 0..4"
assert_eq "100000" "$(sql "SELECT DISTINCT s.iterations FROM samples s JOIN runs r
	ON r.seq = s.run_seq WHERE r.id = '$run1'")" "iterations"

# Every benchmark has Go's ns/op and the software counters per op.
for m in ns/op B/op allocs/op task-clock-ns/op page-faults/op context-switches/op cpu-migrations/op; do
	assert_eq 4 "$(sql "SELECT count(DISTINCT s.benchmark_id) FROM samples s
		JOIN runs r ON r.seq = s.run_seq WHERE r.id = '$run1' AND s.metric = '$m'")" \
		"benchmarks with metric $m"
done
# Go's exact values: b.SetBytes gives MB/s, the 1 KiB escaping allocation
# 1024 B/op and 1 allocs/op, b.ReportMetric the custom unit.
metric_values() { # bench metric -> distinct values
	sql "SELECT DISTINCT s.value FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id
		JOIN runs r ON r.seq = s.run_seq WHERE r.id = '$run1' AND b.name = '$1'
		AND s.metric = '$2'"
}
assert_eq "1024.0" "$(metric_values "BenchmarkAlloc$S" B/op)" "B/op of BenchmarkAlloc"
assert_eq "1.0" "$(metric_values "BenchmarkAlloc$S" allocs/op)" "allocs/op of BenchmarkAlloc"
assert_eq "16.0" "$(metric_values "BenchmarkSub/n=16$S" elems/op)" "elems/op of n=16"
assert_eq "64.0" "$(metric_values "BenchmarkSub/n=64$S" elems/op)" "elems/op of n=64"
assert_eq 5 "$(metric_values "BenchmarkSum$S" MB/s | wc -l | tr -d ' ')" "MB/s samples of BenchmarkSum"
assert_eq "" "$(metric_values "BenchmarkSum$S" elems/op)" "elems/op on BenchmarkSum"
assert_eq "ns/op|ns
B/op|B
allocs/op|count
task-clock-ns/op|ns
page-faults/op|count
elems/op|elems/op" "$(sql "SELECT DISTINCT s.metric, s.unit FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$run1' AND s.metric IN ('ns/op', 'B/op', 'allocs/op', 'task-clock-ns/op',
	'page-faults/op', 'elems/op') ORDER BY CASE s.metric WHEN 'ns/op' THEN 0 WHEN 'B/op' THEN 1
	WHEN 'allocs/op' THEN 2 WHEN 'task-clock-ns/op' THEN 3 WHEN 'page-faults/op' THEN 4 ELSE 5 END")" \
	"metric units"

# The event probe: software events counted, hardware ones recorded as
# unsupported (no PMU here), and no sample of an unsupported event.
assert_eq "task-clock|counted
context-switches|counted
cpu-migrations|counted
page-faults|counted" "$(sql "SELECT e.event, e.state FROM run_events e JOIN runs r ON r.seq = e.run_seq
	WHERE r.id = '$run1' AND e.state = 'counted' ORDER BY e.rowid")" "counted events"
if [ ! -e /sys/bus/event_source/devices/cpu ]; then
	assert_eq "instructions cycles branches branch-misses cache-references cache-misses L1-dcache-loads L1-dcache-load-misses LLC-loads LLC-load-misses" \
		"$(sql "SELECT e.event FROM run_events e JOIN runs r ON r.seq = e.run_seq
		WHERE r.id = '$run1' AND e.state = 'unsupported' ORDER BY e.rowid" | tr '\n' ' ' | sed 's/ $//')" \
		"unsupported events"
	assert_eq 0 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
		WHERE r.id = '$run1' AND (s.metric LIKE 'cycles%' OR s.metric LIKE 'instructions%'
		OR s.metric LIKE 'branch%' OR s.metric LIKE 'cache%' OR s.metric = 'IPC')")" \
		"samples of unsupported events"
	assert_eq 0 "$(sql "SELECT pmu FROM fingerprints f JOIN runs r ON r.fingerprint_id = f.id
		WHERE r.id = '$run1'")" "fingerprint pmu"
	assert_contains "$TRASH/text.out" "not counted here: instructions, cycles, branches, branch-misses, cache-references, cache-misses"
	assert_contains "$TRASH/text.out" "(no hardware PMU on this runner)"
	assert_eq 1 "$(grep -c "perfgo: warning: events not counted on this runner, dropped: instructions, cycles" "$TRASH/text.err")" \
		"warnings about dropped events"
fi

# The text report: one section per benchmark with N and the repetitions.
for b in "BenchmarkSum$S" "BenchmarkAlloc$S" "BenchmarkSub/n=16$S" "BenchmarkSub/n=64$S"; do
	assert_contains "$TRASH/text.out" "$b  (N=100000, 5 reps)"
done
assert_contains "$TRASH/text.out" "pkg: example.com/basic"
grep -q '^  elems/op  *64.00 ' "$TRASH/text.out" || { show "$TRASH/text.out"; fail "no elems/op row"; }
grep -q '^  task-clock-ns/op  ' "$TRASH/text.out" || { show "$TRASH/text.out"; fail "no task-clock-ns/op row"; }

say "--format json equals the database; -e restricts the events"
pmu_here=pmu
[ -e /sys/bus/event_source/devices/cpu ] || pmu_here=nopmu
expect_code 0 perfgo test stat --format json -e task-clock -e page-faults ./ \
	-benchtime=100000x -count 3 -bench=Sub
cp "$OUT" "$TRASH/run2.json"
run2=$(last_run)
assert_not_contains "$ERR" "events not counted"
assert_eq "task-clock|counted
page-faults|counted" "$(sql "SELECT e.event, e.state FROM run_events e JOIN runs r ON r.seq = e.run_seq
	WHERE r.id = '$run2' ORDER BY e.rowid")" "events of the -e run"
assert_eq "B/op
allocs/op
elems/op
ns/op
page-faults/op
task-clock-ns/op" "$(sql "SELECT DISTINCT s.metric FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$run2' ORDER BY 1")" "metrics of the -e run"
py '
import json, sqlite3, statistics, sys
d = json.load(open(sys.argv[1]))
db = sqlite3.connect(".perfgo/perfgo.db")
run = sys.argv[2]
def fail(msg):
    sys.exit("json vs database: " + msg)
if d["run"]["id"] != run or d["run"]["status"] != "ok" or d["run"]["exit_code"] != 0:
    fail("run %r" % d["run"])
# The fingerprint: the JSON shows the stored pmu flag, and that flag is 0
# on a machine without a CPU PMU (this one; t1070 covers pmu = 1).
(pmu,) = db.execute("SELECT f.pmu FROM fingerprints f JOIN runs r ON r.fingerprint_id = f.id "
                    "WHERE r.id = ?", (run,)).fetchone()
if sys.argv[3] == "nopmu" and pmu != 0:
    fail("fingerprints.pmu is %r on a machine without a PMU" % pmu)
if d["fingerprint"]["pmu"] is not bool(pmu):
    fail("pmu %r, database %r" % (d["fingerprint"]["pmu"], pmu))
events = db.execute("SELECT e.event, e.state FROM run_events e JOIN runs r ON r.seq = e.run_seq "
                    "WHERE r.id = ? ORDER BY e.rowid", (run,)).fetchall()
if [(e["event"], e["state"]) for e in d["events"]] != events:
    fail("events %r != %r" % (d["events"], events))
seen = 0
for b in d["benchmarks"]:
    for m in b["metrics"]:
        rows = db.execute("SELECT s.value, s.iterations FROM samples s JOIN benchmarks b "
                          "ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq "
                          "WHERE r.id = ? AND b.package = ? AND b.name = ? AND s.metric = ? "
                          "ORDER BY s.rep", (run, b["package"], b["name"], m["metric"])).fetchall()
        vals = [v for v, _ in rows]
        if m["samples"] != vals:
            fail("%s %s samples %r != %r" % (b["name"], m["metric"], m["samples"], vals))
        if m["n"] != 3 or len(vals) != 3:
            fail("%s %s n=%r" % (b["name"], m["metric"], m["n"]))
        if abs(m["median"] - statistics.median(vals)) > 1e-9 * max(1, abs(m["median"])):
            fail("%s %s median %r != %r" % (b["name"], m["metric"], m["median"], statistics.median(vals)))
        if m["min"] != min(vals) or m["max"] != max(vals):
            fail("%s %s min/max" % (b["name"], m["metric"]))
        if {n for _, n in rows} != {b["iterations"]} or b["iterations"] != 100000:
            fail("%s iterations %r" % (b["name"], b["iterations"]))
        want_source = "go" if m["metric"] in ("ns/op", "B/op", "allocs/op", "elems/op") else "perf"
        if m["source"] != want_source:
            fail("%s source %r" % (m["metric"], m["source"]))
        seen += 1
total = db.execute("SELECT count(DISTINCT s.benchmark_id || s.metric) FROM samples s JOIN runs r "
                   "ON r.seq = s.run_seq WHERE r.id = ?", (run,)).fetchone()[0]
names = sorted(b["name"] for b in d["benchmarks"])
if seen != total or seen != 12 or len(names) != 2 or not names[0].startswith("BenchmarkSub/n=16"):
    fail("%d series in json, %d in the database, benchmarks %r" % (seen, total, names))
' "$TRASH/run2.json" "$run2" "$pmu_here" || fail "the JSON report does not show the database values"

say "--format gobench"
expect_code 0 perfgo test stat --format gobench -e task-clock,page-faults ./ -benchtime=100000x -count 2 -bench=.
cp "$OUT" "$TRASH/run3.txt"
run3=$(last_run)
py '
import sqlite3, sys
lines = open(sys.argv[1]).read().splitlines()
run, S = sys.argv[2], sys.argv[3]
db = sqlite3.connect(".perfgo/perfgo.db")
def fail(msg):
    sys.exit("gobench: " + msg)
units = [l for l in lines if l.startswith("Unit ")]
bench = [i for i, l in enumerate(lines) if l.startswith("Benchmark")]
want_units = ["Unit task-clock-ns/op better=lower", "Unit page-faults/op better=lower"]
if units != want_units:
    fail("unit lines %r" % units)
if not bench or any(lines.index(u) > bench[0] for u in units):
    fail("Unit lines must come before the results")
if "pkg: example.com/basic" not in lines or "goos: linux" not in lines:
    fail("header lines missing")
if len(bench) != 8:
    fail("%d result lines, want 4 benchmarks x 2 reps" % len(bench))
reps = {}
for i in bench:
    f = lines[i].split()
    name, n, rest = f[0], f[1], f[2:]
    if int(n) != 100000 or len(rest) % 2:
        fail("malformed line %r" % lines[i])
    vals = {}
    for v, u in zip(rest[0::2], rest[1::2]):
        if u in vals:
            fail("unit %s twice in %r" % (u, lines[i]))
        vals[u] = float(v)
    for u in ("ns/op", "B/op", "allocs/op", "task-clock-ns/op", "page-faults/op"):
        if u not in vals:
            fail("no %s in %r" % (u, lines[i]))
    if name == "BenchmarkSum" + S and "MB/s" not in vals:
        fail("no MB/s in %r" % lines[i])
    if name.startswith("BenchmarkSub/") and vals.get("elems/op") not in (16.0, 64.0):
        fail("no elems/op in %r" % lines[i])
    rep = reps.get(name, 0)
    reps[name] = rep + 1
    rows = dict(db.execute("SELECT s.metric, s.value FROM samples s JOIN benchmarks b "
                           "ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq "
                           "WHERE r.id = ? AND b.name = ? AND s.rep = ?", (run, name, rep)))
    if set(rows) != set(vals):
        fail("%s rep %d: units %r != database %r" % (name, rep, sorted(vals), sorted(rows)))
    for u, v in vals.items():
        if abs(v - rows[u]) > 1e-9 * max(1.0, abs(rows[u])):
            fail("%s rep %d %s: %r != database %r" % (name, rep, u, v, rows[u]))
if sorted(reps) != sorted(["BenchmarkSum" + S, "BenchmarkAlloc" + S, "BenchmarkSub/n=16" + S,
                           "BenchmarkSub/n=64" + S]) or set(reps.values()) != {2}:
    fail("benchmarks %r" % reps)
' "$TRASH/run3.txt" "$run3" "$S" || { show "$TRASH/run3.txt"; fail "gobench output"; }

say "perf event syntax: groups are one element, lists split"
expect_code 0 perfgo test stat --format json -e '{task-clock,page-faults}' -e 'context-switches,cpu-migrations' \
	. -benchtime=500x -bench=Sum
run4=$(last_run)
assert_eq "{task-clock,page-faults}|counted
context-switches|counted
cpu-migrations|counted" "$(sql "SELECT e.event, e.state FROM run_events e JOIN runs r ON r.seq = e.run_seq
	WHERE r.id = '$run4' ORDER BY e.rowid")" "events of a group and a list"
assert_eq "context-switches/op cpu-migrations/op page-faults/op task-clock-ns/op" \
	"$(sql "SELECT group_concat(m, ' ') FROM (SELECT DISTINCT s.metric m FROM samples s
	JOIN runs r ON r.seq = s.run_seq WHERE r.id = '$run4' AND s.flags = 0 ORDER BY 1)")" \
	"counter metrics of a group and a list"

say "bad events"
nruns=$(sql "SELECT count(*) FROM runs")
expect_code 2 perfgo test stat -e bogus-event . -benchtime=10x
assert_contains "$ERR" "perfgo: error: perf rejects the event list: event syntax error: 'bogus-event'"
assert_eq "failed|2" "$(sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" \
	"run with a bogus event"
assert_eq 0 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.id = '$(last_run)'")" "samples of a rejected run"

# A PMU-term event has commas inside /.../: perfgo must hand it to perf as
# one event.  There is no 'cpu' PMU here, so perf rejects it, and the
# error must name the whole event, never a piece of it.
pmu_ev='cpu/event=0x2e,umask=0x41/'
expect_code 2 perfgo test stat -e "$pmu_ev" . -benchtime=10x
assert_contains "$ERR" "'$pmu_ev'"
assert_not_contains "$ERR" "'cpu/event=0x2e'"
assert_not_contains "$ERR" "'umask=0x41/'"
sql "SELECT config_json FROM runs ORDER BY seq DESC LIMIT 1" >"$TRASH/cfg"
assert_contains "$TRASH/cfg" "\"events\":[\"$pmu_ev\"]"
assert_eq $((nruns + 2)) "$(sql "SELECT count(*) FROM runs")" "runs after two rejected event lists"

# Only unsupported events: nothing would count, an environment failure.
expect_code 3 perfgo test stat -e cycles . -benchtime=10x
assert_contains "$ERR" "perfgo: error: none of the requested events counts on this runner"
