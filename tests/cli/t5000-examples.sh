#!/bin/sh
# t5000: the three case studies under examples/ build, pass their unit
# tests, and show their effect when measured with `perfgo test stat`.
#
# Proves, from the medians in `--format json` (benchmarks[].metrics[]):
# - branch-prediction: random branches are slower than the same branches on
#   partitioned data, and slower than the branchless loop, in ns/op and in
#   task-clock-ns/op (fails if the compiler turns the if/else into a CMOV);
# - data-locality: the array of structs is slower than the struct of arrays
#   in ns/op and task-clock-ns/op (fails if the records fit in the caches);
# - false-sharing: two goroutines on adjacent counters are slower than on
#   padded ones, in ns/op (fails if the padding or the parallelism goes).
#
# Real components only: go, perf, the examples as shipped.  This machine
# has no hardware PMU, so the effects are checked in the metrics that count
# everywhere (Go's ns/op, perf's task-clock per op), never in hardware
# counters.  Measured here (AMD EPYC VM, 2 vCPUs, see each README): random
# vs predictable ~10x, random vs branchless ~7x, AoS vs SoA ~8x, no padding
# vs padding ~3x.  The margins (2x, 2x, 2x, 1.2x) leave room for a noisy
# 2-core VM; a measurement that misses them is repeated, up to 3 attempts,
# since another process on the machine can hide an effect for a while (a
# busy CPU takes away the parallelism false sharing needs).  Only time
# shows these effects here: the quantities that would show them
# deterministically (branch-misses, cache-misses, HITM loads) need a PMU,
# so the ratios stay generous -- false sharing's 1.2x most of all, since a
# neighbour on one of the 2 cores serialises the goroutines and the effect
# shrinks towards 1x; when the goroutines did not run in parallel at all
# (CPU time per op under 1.6x the wall time per op) the effect cannot exist,
# and that attempt checks only what is deterministic (a machine that never
# gives them two CPUs says so in a note).  What is deterministic is
# asserted exactly: every
# benchmark ran the fixed iteration count and has 3 samples of every
# metric, and `go test` printed the example's "ok <module>" line.
. "$(dirname "$0")/lib.sh"

for tool in go perf python3; do
	command -v "$tool" >/dev/null 2>&1 ||
		fail "'$tool' not found: install it (make deps)"
done
export PERFGO_DIR="$TRASH/store"

# check JSON NUM DEN MIN_RATIO METRIC...: for each METRIC, the median of
# benchmark NUM must exceed MIN_RATIO times that of DEN (names without the
# -P suffix).  Prints one line per metric.
check() {
	python3 - "$@" <<'EOF'
import json, os, re, sys
path, num, den, minratio, metrics = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5:]
with open(path) as f:
    doc = json.load(f)
med = {}
ok = True
for b in doc["benchmarks"]:
    name = re.sub(r"-[0-9]+$", "", b["name"])
    # Deterministic whatever the machine's load: the fixed iteration count
    # and 3 samples of every metric.
    if b["iterations"] != int(os.environ["ITERS"]) or any(m["n"] != 3 for m in b["metrics"]):
        print("# %s: %s ran %r iterations (want %s) or has a metric without 3 samples"
              % (path, name, b["iterations"], os.environ["ITERS"]))
        ok = False
    for m in b["metrics"]:
        med[(name, m["metric"])] = m["median"]
for metric in metrics:
    a, b = med.get((num, metric)), med.get((den, metric))
    if a is None or b is None:
        print("# %s: no %s median for %s and %s" % (path, metric, num, den))
        ok = False
        continue
    ratio = a / b if b > 0 else float("inf")
    good = ratio > minratio
    print("# %-4s %-17s %s / %s = %.2f (need > %.2f; medians %.6g / %.6g)"
          % ("ok" if good else "MISS", metric, num, den, ratio, minratio, a, b))
    ok = ok and good
sys.exit(0 if ok else 1)
EOF
}

# unit_tests NAME: copy examples/NAME and run its unit tests.
unit_tests() {
	cp -R "$SRC_ROOT/examples/$1" "$TRASH/$1" || fail "cannot copy example '$1'"
	(cd "$TRASH/$1" && go test -count=1 -run . ./...) >"$TRASH/$1.go-test" 2>&1 ||
		{ show "$TRASH/$1.go-test"; fail "$1: unit tests fail"; }
	mod=$(sed -n 's/^module //p' "$TRASH/$1/go.mod")
	grep -Eq "^ok[[:space:]]+$mod([[:space:]]|\$)" "$TRASH/$1.go-test" ||
		{ show "$TRASH/$1.go-test"; fail "$1: no 'ok  $mod' line"; }
}

# measure NAME BENCHTIME: every benchmark of NAME, 3 repetitions, into
# $TRASH/NAME.json.
measure() {
	cd "$TRASH/$1" || fail "cd $1"
	expect_code 0 perfgo -q test stat --format json . \
		-bench=. -count 3 -benchtime="$2"
	cd "$TRASH" || fail "cd"
	cp "$OUT" "$TRASH/$1.json"
}

# effect NAME BENCHTIME WHAT CHECK...: measure NAME until every CHECK (a
# quoted argument list for check, without the JSON path) holds, at most 3
# times.
effect() {
	name=$1 benchtime=$2 what=$3
	shift 3
	attempt=1
	while :; do
		say "$name: attempt $attempt, -benchtime=$benchtime -count 3"
		measure "$name" "$benchtime"
		all=0
		for c in "$@"; do
			# shellcheck disable=SC2086 # $c is a word list on purpose
			ITERS=${benchtime%x} check "$TRASH/$name.json" $c || all=1
		done
		[ "$all" -eq 0 ] && return 0
		[ "$attempt" -lt 3 ] || fail "$name: $what (3 attempts)"
		attempt=$((attempt + 1))
	done
}

unit_tests branch-prediction
unit_tests data-locality
unit_tests false-sharing

effect branch-prediction 1000x "random branches not clearly slower" \
	"BenchmarkBranchRandom BenchmarkBranchPredictable 2 ns/op task-clock-ns/op" \
	"BenchmarkBranchRandom BenchmarkBranchlessRandom 2 ns/op task-clock-ns/op"

effect data-locality 200x "array of structs not clearly slower than struct of arrays" \
	"BenchmarkAverageAgeAoS BenchmarkAverageAgeSoA 2 ns/op task-clock-ns/op"

# parallelism JSON BENCH: CPU time per wall time of BENCH (task-clock-ns/op
# over ns/op): about 2 when its two goroutines ran on two CPUs at once.
parallelism() {
	py 'import json, re, sys
doc = json.load(open(sys.argv[1]))
for b in doc["benchmarks"]:
    if re.sub(r"-[0-9]+$", "", b["name"]) == sys.argv[2]:
        m = {x["metric"]: x["median"] for x in b["metrics"]}
        print("%.2f" % (m["task-clock-ns/op"] / m["ns/op"]))' "$1" "$2"
}

# False sharing needs the two goroutines on two CPUs at the same time.  When
# another process holds one of the 2 cores (a build next to `make check`),
# they take turns and no layout can show the effect: such an attempt only
# checks what is deterministic, and the ratio is asserted on every attempt
# that did run in parallel (CPU time >= 1.6x wall time).
attempt=1 parallel=0
while :; do
	say "false-sharing: attempt $attempt, -benchtime=10000000x -count 3"
	measure false-sharing 10000000x
	par=$(parallelism "$TRASH/false-sharing.json" BenchmarkWithPadding)
	[ -n "$par" ] || fail "false-sharing: no task-clock-ns/op or ns/op for BenchmarkWithPadding"
	if py 'import sys; sys.exit(0 if float(sys.argv[1]) >= 1.6 else 1)' "$par"; then
		parallel=$((parallel + 1))
		ITERS=10000000 check "$TRASH/false-sharing.json" \
			BenchmarkNoPadding BenchmarkWithPadding 1.2 ns/op && break
	else
		say "the goroutines did not run in parallel (CPU/wall $par): the machine is busy"
		ITERS=10000000 check "$TRASH/false-sharing.json" \
			BenchmarkNoPadding BenchmarkWithPadding 0 ns/op ||
			fail "false-sharing: iterations or samples wrong"
	fi
	if [ "$attempt" -ge 3 ]; then
		[ "$parallel" -eq 0 ] ||
			fail "false-sharing: no padding not clearly slower than padding ($parallel parallel attempts of 3)"
		say "note: false sharing not measurable here: no attempt ran its goroutines in parallel"
		break
	fi
	attempt=$((attempt + 1))
done

say "all effects visible"
