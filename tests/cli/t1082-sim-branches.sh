#!/bin/sh
# t1082: the simulation sees branch mispredictions where the PMU would.
#
# Proves, on examples/branch-prediction with real valgrind and go: the
# demo's change (EvalBranchless becomes a call to the branchy EvalBranch)
# raises BranchlessRandom's simulated branch misses per op from about
# nothing (the branchless loop: a few per op at most) to about one per
# two elements (65,536 of 131,072 random values: the branch on the sign
# is a coin toss), and doubles its branches, while its instructions per
# op fall; `perfgo test stat --counters sim --format json` at each commit.
# The bounds are wide because only their order is the claim and one
# repetition a side may count the set-up of Go's b.N=1 run (README, Simulated
# counters, limits); the counts themselves repeat to 0.1 % (t1080).
. "$(dirname "$0")/lib.sh"

command -v valgrind >/dev/null || fail "valgrind is not installed (ci/deps.sh installs it)"

mkdir -p repo
cp -R "$SRC_ROOT/examples/branch-prediction" repo/bp || fail "cannot copy the example"
git_init repo
cd repo/bp || fail "cd"

sim_json() { # out-file: one simulated repetition of BranchlessRandom
	expect_code 0 "$PERFGO" test stat --counters sim --format json -- . \
		-bench='BranchlessRandom$' -benchtime=200x -count=1
	cp "$OUT" "$1"
}
metric() { # file metric: its median
	python3 - "$1" "$2" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
for b in d["benchmarks"]:
    for m in b["metrics"]:
        if m["metric"] == sys.argv[2]:
            print(int(round(m["median"])))
PYEOF
}

say "base: the branchless loop"
sim_json "$TRASH/base.json"
sed -i '/^func EvalBranchless(/,/^}/c\
func EvalBranchless(data []int64) Totals {\
	return EvalBranch(data)\
}' branch.go
git commit -q -am "EvalBranchless: reuse EvalBranch" || fail "commit"
say "head: the branchy loop"
sim_json "$TRASH/head.json"

bm=$(metric "$TRASH/base.json" branch-misses:sim/op)
hm=$(metric "$TRASH/head.json" branch-misses:sim/op)
[ -n "$bm" ] && [ -n "$hm" ] || fail "no branch-misses:sim/op (base '$bm', head '$hm')"
[ "$bm" -lt 600 ] || fail "the branchless base mispredicts $bm times per op"
[ "$hm" -gt 60000 ] && [ "$hm" -lt 70000 ] ||
	fail "the branchy head mispredicts $hm times per op, expected about 65,536"
bb=$(metric "$TRASH/base.json" branches:sim/op)
hb=$(metric "$TRASH/head.json" branches:sim/op)
# 131,072 -> 262,144 per op; one repetition may count the b.N=1 run's
# set-up (README: about +25,000 branches per op at S = 64), hence 1.5x.
[ $((hb * 2)) -gt $((bb * 3)) ] || fail "branches per op $bb -> $hb, expected about twice"
bi=$(metric "$TRASH/base.json" instructions:sim/op)
hi=$(metric "$TRASH/head.json" instructions:sim/op)
[ "$hi" -lt "$bi" ] || fail "instructions per op $bi -> $hi, expected fewer"
