#!/bin/sh
# t7001: perfgo test c2c records only the benchmark (issue 13, item 1):
# the gate words perfgo hands to `perf c2c record` reach the real `perf
# record` intact and its events are enabled at the benchmark's start line.
#
# What is real and what is the stand-in: `perf c2c record` cannot run here
# (no memory sampling: it fails before it reads an option, see t7000).
# What it does with its argv is in perf 6.1's source (tools/perf/
# builtin-c2c.c perf_c2c__record(), tools/lib/subcmd/parse-options.c; cited
# in harness/measure/perf_c2c.c): keep every option it does not know, drop
# the "--", and call perf record with "-W -d --phys-data --sample-cpu -e
# <memory events>" before them.  tests/cli/fakeperf-c2c.py with
# FAKEPERF_C2C_REAL=1 is that front end and nothing more: it refuses c2c's
# own options and execs the REAL perf record with those fixed words, the
# memory events replaced by cpu-clock, then perfgo's words as it sent them.
# Real: perfgo, the Go test binary, perf record and its control channel
# (descriptors perfgo made), the samples (counted with the real perf
# script), perf's "Events disabled/enabled" messages, the real `perf c2c
# report` on the recording (cpu-clock has no memory samples: no lines).
#
# Proves, on tests/go/initburn (~200 ms of CPU in init(), then the loop):
# - perf record accepts c2c's fixed words followed by perfgo's
#   `--control=fd:CTL,ACK -o FILE --delay=-1` and starts disabled, enabled
#   on perfgo's command (the messages, in that order, in the run's stderr);
# - the gated recording holds less than a third of the samples of the same
#   record without the gate words (init's ~200 ms are not in it), and some:
#   perfgo without the gate (or enabling at process start) fails here;
# - the same through --remote-host to a real sshd on loopback
#   (tests/cli/sshd.sh; the stand-in first in the remote PATH): perf's
#   channel is --control=fifo:CTL,ACK in the remote scratch directory,
#   relayed by the ssh runner as for perf stat.
. "$(dirname "$0")/lib.sh"

N=100000
copy_fixture initburn repo
git_init repo
cd repo || fail "cd"

say "the same perf record without the gate words: init included"
go test -c -o "$TRASH/initburn.test" . || fail "go test -c"
perf record -W -d --phys-data --sample-cpu -e cpu-clock -o "$TRASH/whole.data" -- \
	"$TRASH/initburn.test" -test.run='^$' -test.bench='^BenchmarkWork$' -test.v \
	-test.benchtime=${N}x >"$TRASH/whole.out" 2>"$TRASH/whole.err" ||
	{ show "$TRASH/whole.err"; fail "perf record with c2c's words"; }
whole=$(perf script -i "$TRASH/whole.data" -F time 2>/dev/null | wc -l)
say "ungated: $whole samples"
[ "$whole" -gt 300 ] || fail "the ungated record has only $whole samples (init alone is ~200 ms)"

say "perfgo test c2c through perf c2c's front end onto the real perf record"
mkdir -p "$TRASH/bin"
ln -s "$SRC_ROOT/tests/cli/fakeperf-c2c.py" "$TRASH/bin/perf" || fail "symlink"
PATH="$TRASH/bin:$PATH"
FAKEPERF_C2C_LOG=$TRASH/perf.log
FAKEPERF_C2C_REAL=1
export PATH FAKEPERF_C2C_LOG FAKEPERF_C2C_REAL
expect_code 0 perfgo test c2c . -benchtime=${N}x
assert_contains "$OUT" "== example.com/initburn BenchmarkWork =="
assert_contains "$OUT" "of 0 cache lines"
py '
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
recs = [c for c in lines if c[0] == "perf-record"]
assert len(recs) == 2, recs            # the probe, then the benchmark
rec = recs[1][1:]
fixed = ["record", "-W", "-d", "--phys-data", "--sample-cpu", "-e", "cpu-clock"]
assert rec[:7] == fixed, rec
assert re.fullmatch(r"--control=fd:[0-9]+,[0-9]+", rec[7]), rec
assert rec[8] == "-o" and rec[10] == "--delay=-1" and rec[11].endswith(".test"), rec
assert rec[12:] == ["-test.benchtime=%sx" % sys.argv[2], "-test.bench=^BenchmarkWork$",
                    "-test.run=^$", "-test.v"], rec
samples = [c[1] for c in lines if c[0] == "samples"]
assert len(samples) == 1, lines
print(samples[0])
' "$TRASH/perf.log" "$N" >gated.txt || { show "$TRASH/perf.log"; fail "perf record argv"; }
gated=$(cat gated.txt)
say "gated: $gated samples (ungated $whole)"
[ "$gated" -gt 0 ] || fail "the gated record has no samples"
[ $((gated * 3)) -lt "$whole" ] ||
	fail "the gated record has $gated samples, ungated $whole: init is not gated out"
id=$(last_run)
assert_eq "test c2c|ok|0" "$(sql "SELECT command || '|' || status || '|' || exit_code FROM runs WHERE id='$id'")" "the run"
# perf's own messages: started disabled, enabled by perfgo's command.
grep -x 'Events disabled\|Events enabled' ".perfgo/runs/$id/stderr.txt" | head -2 >events.txt
printf 'Events disabled\nEvents enabled\n' >want.txt
cmp -s want.txt events.txt || { show ".perfgo/runs/$id/stderr.txt"; fail "perf's gate messages"; }

say "the same over ssh: the gate through FIFOs in the remote scratch directory"
. "$SRC_ROOT/tests/cli/sshd.sh"
SSHD_SETENV="PATH=$PATH FAKEPERF_C2C_LOG=$TRASH/remote.log FAKEPERF_C2C_REAL=1"
sshd_start
expect_code 0 perfgo test c2c --remote-host "$SSH_HOST" . -benchtime=${N}x
assert_contains "$OUT" "== example.com/initburn BenchmarkWork =="
py '
import json, re, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
recs = [c[1:] for c in lines if c[0] == "perf-record"]
assert len(recs) == 2, recs
rec = recs[1]
assert re.fullmatch(r"--control=fifo:/[^,]+,/[^,]+", rec[7]), rec
assert rec[8] == "-o" and rec[10] == "--delay=-1", rec
samples = [c[1] for c in lines if c[0] == "samples"]
assert len(samples) == 1, lines
print(samples[0])
' "$TRASH/remote.log" >gated.txt || { show "$TRASH/remote.log"; fail "remote perf record argv"; }
gated=$(cat gated.txt)
say "gated over ssh: $gated samples (ungated $whole)"
[ "$gated" -gt 0 ] && [ $((gated * 3)) -lt "$whole" ] ||
	fail "over ssh the gated record has $gated samples, ungated $whole"
id=$(last_run)
grep -x 'Events disabled\|Events enabled' ".perfgo/runs/$id/stderr.txt" | head -2 >events.txt
cmp -s want.txt events.txt || { show ".perfgo/runs/$id/stderr.txt"; fail "perf's gate messages over ssh"; }
sshd_stop
