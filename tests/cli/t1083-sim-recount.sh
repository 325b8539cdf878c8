#!/bin/sh
# t1083: `--counters sim` simulates more repetitions of a benchmark whose
# simulated instructions do not repeat, with real valgrind 3.19 and go
# (tests/go/simfail, BenchmarkVary: the work per op of each process is
# read from a plan file, so the test decides which repetitions differ).
#
# Proves: with -count=7, repetitions 1-3 simulate; when their instructions
# per op have no strict majority within 0.1 % of the median (1020, 1030,
# 1010 steps per op: ~1 % apart), repetition 4 simulates too, and perfgo
# says why on stderr; repetition 5 simulates only if the first four still
# have no majority (they do not: 1010, 1020, 1020, 1030 is two of four),
# and none later (5 at most: CG_SIM_REPS 3 + CG_SIM_RECOUNT 2); every
# repetition has its plain run (7 ns/op).  A benchmark whose first three
# repeat is simulated three times only.  The expectations are derived from
# the stored values with the rule, so a rare one-off of the runtime (a
# repetition off by 0.04-1.5 %, README) changes what is expected, not the
# verdict of the test.
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || fail "valgrind is not installed (ci/deps.sh installs it)"

copy_fixture simfail repo
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"

# One word per process, in order: discovery (perfgo runs each benchmark
# once, -benchtime=1x, to list its leaves), then each repetition's plain,
# S/2 and S processes.
plan() {
	rm -f "$TRASH/plan.next"
	echo 0 >"$TRASH/plan"
	for e in "$@"; do
		printf '%s %s %s\n' "$e" "$e" "$e" >>"$TRASH/plan"
	done
}

# The simulated instructions per op of the last run, "rep value" per line.
sims() {
	sql "SELECT s.rep || ' ' || s.value FROM samples s JOIN runs r ON r.seq = s.run_seq
	     WHERE r.id = '$(last_run)' AND s.metric = 'instructions:sim/op' ORDER BY s.rep"
}

# How many repetitions the rule simulates, given the stored values in order:
# 3, then one more while the values so far have no strict majority within
# 0.1 % of their median, 5 at most.
expected_sims() {
	py '
import sys
v = [float(l.split()[1]) for l in open(sys.argv[1]) if l.strip()]
def repeats(x):
    s = sorted(x)
    n = len(s)
    m = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    return 2 * sum(abs(a - m) > 0.001 * abs(m) for a in x) < n
k = 3
while k < 5 and k <= len(v) and not repeats(v[:k]):
    k += 1
print(k)
' "$1"
}

# Measure 7 repetitions of BenchmarkVary on plan "$@"; its simulated repetitions into
# $TRASH/sims and their number into $n, which must be what the rule gives for
# the stored values, with one note per repetition past three.
run_vary() {
	plan "$@"
	expect_code 0 env SIMFAIL_VARY="$TRASH/plan" "$PERFGO" test stat --counters sim . \
		-benchtime=200x -count=7 -bench=Vary
	sims >"$TRASH/sims"
	n=$(line_count "$TRASH/sims")
	assert_eq "$(expected_sims "$TRASH/sims")" "$n" "simulated repetitions"
	assert_eq $((n - 3)) "$(grep -c 'counts too' "$ERR")" "notes"
}

say "three repetitions ~1 % apart: more are simulated, and perfgo says why"
run_vary 20 30 10 20 20 20 20
# The first three cannot have a majority (1 % apart): the fourth always simulates.
[ "$n" -ge 4 ] || fail "only $n repetitions simulated"
assert_eq "0 1 2 3" "$(head -4 "$TRASH/sims" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')" \
	"the simulated repetitions"
assert_contains "$ERR" "BenchmarkVary: instructions:sim/op of its 3 counted repetitions do not repeat (spread "
assert_contains "$ERR" "no majority within 0.1 % of the median); repetition 4 counts too"
assert_eq 7 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
     WHERE r.id = '$(last_run)' AND s.metric = 'ns/op'")" "ns/op of the plain runs"
# Every process took its word of the plan: discovery, 7 plain runs and 2
# per simulated repetition.
assert_eq $((1 + 7 + 2 * n)) "$(cat "$TRASH/plan.next")" "processes that ran the benchmark"

say "three that repeat: three simulated (more only if a one-off split them)"
run_vary 20 20 20 30 10 30 10
