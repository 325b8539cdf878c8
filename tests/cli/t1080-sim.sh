#!/bin/sh
# t1080: `--counters sim`, the callgrind simulation backend, with real
# valgrind and go.
#
# Proves: `test stat --counters sim` stores instructions/op from callgrind
# (metric "instructions:sim/op", flagged SAMPLE_SIM, with the simulated
# iteration count S = 64 for N = 2000) that are identical across three
# repetitions (tolerance 0.1 %, documented in README; measured here: equal
# to the last digit), while ns/op comes from a plain run; the run's
# configuration says "counters":"sim" and names valgrind's version and the
# cache geometry; a commit adding two operations to a ~415-instruction loop
# (+1.45 %) is a regression in instructions:sim/op for `compare --counters
# sim` with its default of 3 repetitions a side (exit 1), while ns/op on
# this VM is not; valgrind missing is exit 3 with the install hint;
# `--counters auto` (the default when PERFGO_COUNTERS is unset) picks the
# simulation on this PMU-less machine and says so; the ssh runner gives the
# same instructions/op as the local one; -e and a bad --counters word are
# usage errors.
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || fail "valgrind is not installed (ci/deps.sh installs it)"

# Mix: 40 rounds of a multiply-xorshift per op, no allocation, no setup.
make_module repo example.com/simtest
cat >repo/mix.go <<'EOF'
package simtest

// Mix scrambles x with 40 rounds of a multiply-xorshift.
//
//go:noinline
func Mix(x uint64) uint64 {
	for j := 0; j < 40; j++ {
		x = x*6364136223846793005 + 1442695040888963407
		x ^= x >> 29
	}
	return x
}
EOF
cat >repo/mix_test.go <<'EOF'
package simtest

import "testing"

var sink uint64

func BenchmarkMix(b *testing.B) {
	x := uint64(1)
	for i := 0; i < b.N; i++ {
		x = Mix(x)
	}
	sink = x
}
EOF
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"

BENCH="-benchtime=2000x"

say "test stat --counters sim: instructions/op identical across repetitions"
expect_code 0 perfgo test stat --counters sim --format json . $BENCH -count=3
run=$(last_run)
sql "SELECT value FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$run' AND metric = 'instructions:sim/op' ORDER BY rep" >"$TRASH/ir"
assert_eq 3 "$(line_count "$TRASH/ir")" "instructions:sim/op samples"
py '
import sys
v = [float(x) for x in open(sys.argv[1])]
lo, hi = min(v), max(v)
if not 300 < lo < 600:
    sys.exit("instructions/op %r: not the ~415 of 40 rounds" % v)
if (hi - lo) / lo > 0.001:
    sys.exit("instructions/op %r vary by more than 0.1%%" % v)
' "$TRASH/ir" || fail "instructions:sim/op not repeatable"
# The source is marked: every sim metric flagged SAMPLE_SIM (8), with S = 64 iterations.
assert_eq "0" "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$run' AND metric LIKE '%:sim/op' AND (flags & 8 = 0 OR iterations != 64)")" \
	"sim samples without SAMPLE_SIM or with another S"
assert_eq "3" "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$run' AND metric = 'ns/op' AND flags & 8 = 0 AND iterations = 2000")" \
	"ns/op from the plain run"
cfg=$(sql "SELECT config_json FROM runs WHERE id = '$run'")
case $cfg in
*'"counters":"sim","simulator":"valgrind-'*'I1=32768,8,64 D1=32768,8,64 LL=8388608,16,64'*) ;;
*) fail "configuration does not name the simulation: $cfg" ;;
esac
assert_contains "$OUT" '"instructions:sim/op"'

say "the same counts through the ssh runner"
. "$SRC_ROOT/tests/cli/sshd.sh"
sshd_start
expect_code 0 perfgo test stat --counters sim --remote-host "$SSH_HOST" . $BENCH -count=1
rrun=$(last_run)
sql "SELECT value FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$rrun' AND metric = 'instructions:sim/op'" >"$TRASH/rir"
py '
import sys
local = sorted(float(x) for x in open(sys.argv[1]))
remote = [float(x) for x in open(sys.argv[2])]
if len(remote) != 1 or abs(remote[0] - local[1]) / local[1] > 0.001:
    sys.exit("remote instructions/op %r, local %r" % (remote, local))
' "$TRASH/ir" "$TRASH/rir" || fail "remote sim counts differ from local ones"
assert_eq "$SSH_HOST" "$(sql "SELECT f.host FROM runs r JOIN fingerprints f ON f.id = r.fingerprint_id
     WHERE r.id = '$rrun'")" "remote run's host"
assert_contains "$OUT" "counters: sim (valgrind-"
sshd_stop

say "compare --counters sim: +2 operations per op (+1.45 %) is a regression"
sed -i 's|^\treturn x$|\tx ^= x >> 31\n\tx ^= x << 7\n\treturn x|' mix.go
git commit -q -am "Mix: two more operations per call" || fail "commit"
# No -count: -count auto, 10 repetitions a side or more, of which the first 3 simulate.
expect_code 1 perfgo compare --counters sim HEAD~1 HEAD -- . $BENCH
cp "$OUT" "$TRASH/r.txt"
assert_eq "regression n=3+3" "$(row_verdict "$TRASH/r.txt" instructions:sim/op BenchmarkMix)" \
	"instructions:sim/op row"
# ns/op has every repetition's plain run: 10 a side, or more when -count
# auto looked again (instructions decided at once; ns/op may not be).
case $(row_verdict "$TRASH/r.txt" ns/op BenchmarkMix) in
*" n=10+10" | *" n=15+15" | *" n=20+20" | *" n=25+25" | *" n=30+30") ;;
*) show "$TRASH/r.txt"; fail "ns/op row is not 10 or more plain runs a side: '$(row_verdict "$TRASH/r.txt" ns/op BenchmarkMix)'" ;;
esac
# ns/op: a 1.45 % change under ±5 % noise (10 plain runs a side): not a regression.
case $(row_verdict "$TRASH/r.txt" ns/op BenchmarkMix) in
"regression"*) show "$TRASH/r.txt"; fail "ns/op found the 1.45 % change: '$(row_verdict "$TRASH/r.txt" ns/op BenchmarkMix)'" ;;
esac
assert_contains "$TRASH/r.txt" "1 benchmark regressed: BenchmarkMix (instructions:sim/op)"
assert_contains "$TRASH/r.txt" "counters: sim, valgrind-"

say "--counters auto (the default) simulates without a PMU, and says so"
# (Decided when the session opens, before anything runs: a -bench matching
# nothing shows the choice without a measurement.)
expect_code 2 env -u PERFGO_COUNTERS "$PERFGO" test stat . $BENCH -bench=NoSuchBenchmark
assert_contains "$ERR" "counters: sim (callgrind; --counters auto: no hardware PMU on this runner)"
assert_contains "$ERR" "no benchmark matches"
expect_code 2 env PERFGO_COUNTERS=perf "$PERFGO" test stat . $BENCH -bench=NoSuchBenchmark
assert_not_contains "$ERR" "counters: sim"

say "valgrind missing: the install hint, exit 3"
mkdir -p "$TRASH/emptybin"
expect_code 3 env PATH="$TRASH/emptybin" "$PERFGO" test stat --counters sim . $BENCH
assert_contains "$ERR" "'valgrind' not found in PATH: install valgrind (Debian: 'apt-get install valgrind')"

say "usage errors"
expect_code 2 perfgo test stat --counters bogus . $BENCH
assert_contains "$ERR" "bad --counters 'bogus': perf, sim or auto"
expect_code 2 env PERFGO_COUNTERS=nope "$PERFGO" test stat . $BENCH
assert_contains "$ERR" "bad PERFGO_COUNTERS 'nope'"
expect_code 2 perfgo test stat --counters sim -e instructions . $BENCH
assert_contains "$ERR" "selects perf events"
expect_code 2 perfgo test --counters sim .
assert_contains "$ERR" "need 'perfgo test stat'"
