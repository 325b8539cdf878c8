#!/bin/sh
# t7000: perfgo test cache-to-cache|c2c (issue 13).
#
# Proves:
# - --input on real `perf c2c report --stdio` outputs from other machines
#   (tests/data/c2c, SOURCES.md) end to end: the verdict per cache line
#   with its numbers and fix in text, Markdown and JSON, stored as a run
#   that `perfgo view` shows again byte for byte; the AMD IBS report of
#   examples/false-sharing is false sharing at 0x30/0x38, Joe Mario's 2016
#   report has 4 false-sharing lines and 1 true-sharing line, the 2020
#   blog's summer/incrementer line is false sharing, a stats-only report
#   has no lines;
# - --input on a perf.data file runs the real `perf c2c report` on it (a
#   task-clock recording made here: it has no memory samples, so no lines);
# - bad input and bad options: exit 2, one line, nothing stored;
# - the recording path on this machine, for real: no memory sampling, so
#   `perf c2c record` fails and perfgo says so in one line naming what is
#   missing and the ways out, exit 3, and records no run (never an empty
#   report); the same through --remote-host to a real sshd on loopback
#   (tests/cli/sshd.sh), the message naming the host;
# - the recording flow through the runner with a perf stand-in
#   (tests/cli/fakeperf-c2c.py, first in PATH): the exact perf argv
#   (probe, one record per benchmark with -test.bench=^Name$ and the gate
#   words --control=fd:CTL,ACK and --delay=-1, the report options), perf's
#   control protocol: "enable" right after each benchmark's start line,
#   "disable" at the PASS ending it (the stand-in answers like perf and
#   logs the order); a gate opened after perf was gone (the stand-in
#   closes the channel first) is recorded again with a warning, and after
#   3 such processes it is exit 3 with one line, the run failed; the
#   report symbolized against the binary that ran
#   (function and file:line of examples/false-sharing; for a global struct
#   the variable and the field at each offset, from DWARF), one entry per
#   benchmark in JSON, view; a failing benchmark: exit 4, run 'failed'.
#
# Stand-in: `perf c2c record` cannot run here (no PMU, no IBS/SPE), so the
# recording flow uses fakeperf-c2c.py: it runs the real test binary for
# each record and prints a real recorded report (the AMD IBS fixture) with
# its code addresses moved onto functions of the binary that ran.
. "$(dirname "$0")/lib.sh"

DATA=$SRC_ROOT/tests/data/c2c
AMD=$DATA/amd-perf6.x-2026-perfgo-ibs.stdio.txt
JOE=$DATA/intel-perf4.x-2016-joemario-c2c_example_report.stdio.txt
KAM=$DATA/intel-perfold-2020-kam3nev-haswell-laptop.stdio.txt
STATS=$DATA/intel-perfold-2025-akirablog-stats-zero-shared-lines.stdio.txt

mkdir -p an && cd an || fail "cd"

say "--input: AMD IBS report of examples/false-sharing"
expect_code 0 perfgo test c2c --input "$AMD"
cp "$OUT" amd.txt
assert_contains amd.txt "verdicts: 1 false sharing, 0 true sharing, of 1 cache lines"
assert_contains amd.txt "cache line 0  0x20ea08034080  node 0  100.00% of HITM: false sharing"
assert_contains amd.txt "2 different offsets of the line are contended (0x30, 0x38), 2 of them written (up to 12 CPUs per code address): 2096 HITM, 0 sampled stores"
assert_contains amd.txt "fix: move the fields at offsets 0x30, 0x38 onto separate cache lines"
assert_contains amd.txt "perf c2c: 9007 records, 3266 loads, 41 stores, HITM 2092 local / 4 remote, 1 shared cache lines"
id=$(last_run)
assert_eq "test c2c|ok|0" "$(sql "SELECT command || '|' || status || '|' || exit_code FROM runs WHERE id='$id'")" "the stored run"
assert_eq "c2c-report report-json report-markdown report-text" \
	"$(sql "SELECT group_concat(kind, ' ') FROM (SELECT a.kind FROM artifacts a JOIN runs r ON r.seq = a.run_seq WHERE r.id='$id' ORDER BY a.kind)")" "artifacts"
cmp -s "$AMD" ".perfgo/runs/$id/c2c-report.txt" || fail "the input is not kept as it was"

say "view shows it again"
expect_code 0 perfgo view
assert_contains "$OUT" "command:   perfgo test c2c"
sed -n '/^--- report-text/,/^artifacts:/p' "$OUT" | sed '1d;$d' >viewed.txt
cmp -s amd.txt viewed.txt || { show viewed.txt; fail "view differs from what test c2c printed"; }
expect_code 0 perfgo view --format json
py '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["runs"][0]["report"]
assert r["summary"]["local_hitm"] == 2092 and r["summary"]["remote_hitm"] == 4, r["summary"]
l = r["cache_lines"][0]
v = l["verdict"]
assert v["verdict"] == "false sharing" and v["contended_offsets"] == 2, v
assert [o["offset"] for o in v["offsets"]] == ["0x30", "0x38"], v["offsets"]
assert l["rows"][0]["code_address"] == "0x53dc88" and l["rows"][0]["cpus"] == 12
assert v["fix"].startswith("move the fields at offsets 0x30, 0x38")
' "$OUT" || fail "view --format json"
expect_code 2 perfgo view --format gobench
assert_contains "$ERR" "is a cache-to-cache analysis: use --format text or json"

say "--input: 2016 report (stores sampled), Markdown"
expect_code 0 perfgo test c2c --input "$JOE" --format markdown
assert_contains "$OUT" "**4 false sharing**, 1 true sharing, of 5 cache lines. HITM:"
assert_contains "$OUT" '### Line 0 `0x602180`: false sharing (77.09% of HITM)'
assert_contains "$OUT" '### Line 3 `0xffffffff81aec000`: true sharing'
assert_contains "$OUT" "Fix: padding does not help: one word is written from several CPUs"
assert_contains "$OUT" "| 0x0 | 6442/1268 | 81995 | 9 | 0x400b4f | read_write_func | false_sharing_example.c:144 |"

say "--input: reader and writer on one line, JSON"
expect_code 0 perfgo test c2c --input "$KAM" --format json
py '
import json, sys
v = json.load(open(sys.argv[1]))["runs"][0]["report"]["cache_lines"][0]["verdict"]
assert v["verdict"] == "false sharing" and v["written_offsets"] == 1, v
assert [(o["offset"], o["top_symbol"]) for o in v["offsets"]] == [("0x10", "summer"), ("0x14", "incrementer")], v
' "$OUT" || fail "kam3nev verdict"

say "--input: stats only, --top"
expect_code 0 perfgo test c2c --input "$STATS"
assert_contains "$OUT" "verdicts: 0 false sharing, 0 true sharing, of 0 cache lines"
expect_code 0 perfgo test c2c --input "$JOE" --top 2
assert_contains "$OUT" "... 3 more cache lines (--top 0 shows all)"

say "--input: a perf.data file goes through the real perf c2c report"
perf record -q -e task-clock -o plain.data -- true 2>/dev/null || fail "perf record"
expect_code 0 perfgo test c2c --input plain.data
assert_contains "$OUT" "events:   task-clock"
assert_contains "$OUT" "of 0 cache lines"

say "bad input and options: exit 2, nothing stored"
n=$(sql "SELECT count(*) FROM runs")
printf 'hello\nworld\n' >junk.txt
expect_code 2 perfgo test c2c --input junk.txt
assert_eq "perfgo: error: 'junk.txt' is not a 'perf c2c report --stdio' output (no c2c section found)" \
	"$(grep error "$ERR")" "junk"
expect_code 2 perfgo test c2c --input nosuch.txt
assert_contains "$ERR" "perfgo: error: cannot read 'nosuch.txt': No such file or directory"
expect_code 2 perfgo test c2c --input "$AMD" ./pkg
assert_contains "$ERR" "'--input' analyses a report: it takes no packages"
expect_code 2 perfgo test c2c --input "$AMD" --format html
assert_contains "$ERR" "unknown format 'html': use text, markdown or json"
expect_code 2 perfgo test c2c --binary x.test .
assert_contains "$ERR" "'--binary' goes with '--input'"
assert_eq "$n" "$(sql "SELECT count(*) FROM runs")" "runs stored for bad input"
cd .. || fail "cd"

say "recording here, for real: no memory sampling, exit 3, no run"
mkdir -p fs && cp -R "$SRC_ROOT/examples/false-sharing/." fs/ && git_init fs
cd fs || fail "cd"
expect_code 3 perfgo test cache-to-cache . -benchtime=100x
assert_eq "perfgo: error: 'perf c2c record' cannot sample memory accesses on this machine (perf: 'failed: memory events not supported'; it needs Intel load-latency events, AMD IBS or Arm SPE, which VMs and most CI runners lack): run it on a bare-metal Linux host with --remote-host, or analyse a report made there with --input" \
	"$(cat "$ERR")" "the no-PMU error"
assert_empty "$OUT"
assert_eq 0 "$(sql "SELECT count(*) FROM runs")" "runs recorded without memory sampling"

say "recording over ssh, for real: the remote has no memory sampling either"
. "$SRC_ROOT/tests/cli/sshd.sh"
sshd_start
expect_code 3 perfgo test c2c --remote-host "$SSH_HOST" . -benchtime=100x
assert_contains "$ERR" "perfgo: error: 'perf c2c record' cannot sample memory accesses on '$SSH_HOST' (perf: 'failed: memory events not supported'; it needs Intel load-latency events, AMD IBS or Arm SPE"
assert_eq 0 "$(sql "SELECT count(*) FROM runs")" "runs recorded without memory sampling (remote)"
sshd_stop

say "recording flow with the perf stand-in"
mkdir -p "$TRASH/bin"
ln -s "$SRC_ROOT/tests/cli/fakeperf-c2c.py" "$TRASH/bin/perf" || fail "symlink"
PATH="$TRASH/bin:$PATH"
FAKEPERF_C2C_LOG=$TRASH/perf.log
export PATH FAKEPERF_C2C_LOG
expect_code 0 perfgo test c2c . -benchtime=2000x
assert_contains "$OUT" "== example.com/perfgo/falsesharing BenchmarkNoPadding =="
assert_contains "$OUT" "== example.com/perfgo/falsesharing BenchmarkWithPadding =="
# A heap line (new(Metrics)): no variable holds it.
assert_contains "$OUT" "cache line 0  0x20ea08034080  node 0  100.00% of HITM: false sharing"
grep -q 'example.com/perfgo/falsesharing.Run.func1  false_sharing.go:46$' "$OUT" || { show "$OUT"; fail "Run.func1 row"; }
grep -q 'example.com/perfgo/falsesharing.Run  false_sharing.go:44$' "$OUT" || { show "$OUT"; fail "Run row"; }
assert_contains "$ERR" "perfgo: recording example.com/perfgo/falsesharing BenchmarkNoPadding under perf c2c"
py '
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
calls = [c for c in lines if c[0] == "c2c"]
kinds = [c[1] for c in calls]
assert kinds == ["record", "record", "report", "record", "report"], kinds
probe = calls[0]
assert probe[2] == "-o" and probe[3].endswith("/c2c-probe.data") and probe[4:] == ["--", "true"], probe
for rec, rep, bench in ((calls[1], calls[2], "BenchmarkNoPadding"), (calls[3], calls[4], "BenchmarkWithPadding")):
    # The gate words (measure/perf_c2c.c): the channel, events off until enabled.
    assert re.fullmatch(r"--control=fd:[0-9]+,[0-9]+", rec[2]), rec
    assert rec[3] == "-o" and rec[5:7] == ["--delay=-1", "--"] and rec[7].endswith(".test"), rec
    assert rec[8:] == ["-test.benchtime=2000x", "-test.bench=^%s$" % bench, "-test.run=^$", "-test.v"], rec
    assert rep[2:] == ["-i", rec[4], "--stdio", "--full-symbols", "-NN", "-c", "pid,iaddr"], rep
# Enabled at each benchmark start line (after init), disabled at the PASS ending its run.
control = [c[1:] for c in lines if c[0] == "control"]
assert control == [["enable", "after", "BenchmarkNoPadding"], ["disable", "after", "PASS"],
                   ["enable", "after", "BenchmarkWithPadding"], ["disable", "after", "PASS"]], control
' "$TRASH/perf.log" || { show "$TRASH/perf.log"; fail "perf argv"; }
id=$(last_run)
assert_eq "test c2c|ok|0|." "$(sql "SELECT command || '|' || status || '|' || exit_code || '|' || packages FROM runs WHERE id='$id'")" "the recorded run"
assert_contains ".perfgo/runs/$id/stdout.txt" "BenchmarkNoPadding"
assert_contains ".perfgo/runs/$id/c2c-report.txt" "# perfgo: example.com/perfgo/falsesharing BenchmarkWithPadding"
expect_code 0 perfgo view --format json
py '
import json, sys
runs = json.load(open(sys.argv[1]))["runs"]
assert [(r["package"], r["benchmark"]) for r in runs] == [
    ("example.com/perfgo/falsesharing", "BenchmarkNoPadding"),
    ("example.com/perfgo/falsesharing", "BenchmarkWithPadding")], runs
row = runs[0]["report"]["cache_lines"][0]["rows"][0]
assert row["function"] == "example.com/perfgo/falsesharing.Run.func1" and row["file_line"] == "false_sharing.go:46", row
assert "data" in row and row["data"] is None, row
' "$OUT" || fail "recorded JSON"

say "--input with --binary: the stored report named from the same binary, rebuilt"
# Go builds are reproducible: the same source and flags give the same binary.
go test -c -o "$TRASH/fs.test" . >/dev/null 2>&1 || fail "go test -c"
sed -n '2,/^# perfgo: /p' ".perfgo/runs/$id/c2c-report.txt" | sed '$d' >first.txt
expect_code 0 perfgo test c2c --input first.txt --binary "$TRASH/fs.test"
grep -q 'example.com/perfgo/falsesharing.Run.func1  false_sharing.go:46$' "$OUT" || { show "$OUT"; fail "--binary"; }
expect_code 0 perfgo test c2c --input first.txt
assert_contains "$OUT" "  github.com/perfgo/perfgo/e  go.go:0"
assert_not_contains "$OUT" "false_sharing.go"

say "the stand-in on a global struct: variable and field named from DWARF"
cd .. || fail "cd"
make_module dw example.com/dw
printf '%s\n' 'package dw' '' 'type Stats struct {' '	Hits   int64' '	Misses int64' \
	'	Name   string' '}' '' 'var Global Stats' '' \
	'func Add(n int64) { Global.Hits += n; Global.Misses++ }' >dw/dw.go
printf '%s\n' 'package dw' '' 'import "testing"' '' 'func BenchmarkAdd(b *testing.B) {' \
	'	for i := 0; i < b.N; i++ {' '		Add(1)' '	}' '}' >dw/dw_test.go
git_init dw
cd dw || fail "cd"
FAKEPERF_C2C_DATA_SYMBOL=example.com/dw.Global
export FAKEPERF_C2C_DATA_SYMBOL
expect_code 0 perfgo test c2c . -benchtime=100x
unset FAKEPERF_C2C_DATA_SYMBOL
assert_contains "$OUT" "== example.com/dw BenchmarkAdd =="
assert_contains "$OUT" "[example.com/dw.Global.Hits]"
assert_contains "$OUT" "[example.com/dw.Global.Misses]"
cd ../fs || fail "cd"

say "the stand-in's gate opened too late: recorded again, then an error"
# perf gone before the enable arrived (FAKEPERF_C2C_LATE_JOBS): once, the
# benchmark is recorded again with a warning; every time, exit 3.
expect_code 0 env FAKEPERF_C2C_LATE_JOBS=1 FAKEPERF_C2C_LATE_FILE="$TRASH/late1" \
	"$PERFGO" test c2c . -bench=NoPadding -benchtime=2000x
assert_eq "perfgo: warning: benchmark 'BenchmarkNoPadding' ended before perf's recording was enabled; recording it again (2/3)" \
	"$(grep '^perfgo: warning' "$ERR")" "one retry"
assert_eq 2 "$(cat "$TRASH/late1")" "gated records (one late, one again)"
assert_contains "$OUT" "== example.com/perfgo/falsesharing BenchmarkNoPadding =="
expect_code 3 env FAKEPERF_C2C_LATE_JOBS=99 FAKEPERF_C2C_LATE_FILE="$TRASH/late2" \
	"$PERFGO" test c2c . -bench=NoPadding -benchtime=2000x
assert_eq 2 "$(grep -c 'recording it again' "$ERR")" "retries before giving up"
assert_eq "perfgo: error: benchmark 'BenchmarkNoPadding' was over before perf's recording could be enabled: raise -benchtime" \
	"$(grep '^perfgo: error' "$ERR")" "the late error"
assert_eq 3 "$(cat "$TRASH/late2")" "gated records before giving up"
assert_eq "failed|3" "$(sql "SELECT status || '|' || exit_code FROM runs WHERE id='$(last_run)'")" "the late run"

say "the stand-in run with a -bench that matches nothing: exit 2"
expect_code 2 perfgo test c2c . -bench=Nothing
assert_contains "$ERR" "no benchmark matches '-bench=Nothing' in example.com/perfgo/falsesharing"

say "the stand-in on a failing benchmark: exit 4, the run recorded as failed"
cd .. || fail "cd"
copy_fixture failing failing
git_init failing
cd failing || fail "cd"
expect_code 4 perfgo test c2c . -bench=Bad -benchtime=10x
assert_contains "$ERR" "perfgo: error: 'BenchmarkBad' failed under perf c2c record (exit 1; output in the run's stdout and stderr)"
assert_eq "test c2c|failed|4" "$(sql "SELECT command || '|' || status || '|' || exit_code FROM runs")" "the failed run"
