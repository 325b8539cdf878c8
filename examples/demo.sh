#!/bin/sh
# `make demo`: perfgo's main job, end to end, on a bundled example.
#
# Makes a throw-away git repository from examples/branch-prediction with two
# commits.  The second one "simplifies" EvalBranchless into a call to
# EvalBranch: the code still computes the same totals (its unit test passes),
# but on random data it now mispredicts half of its branches.  Then it runs
# `perfgo compare HEAD~1` there, which measures both commits interleaved
# (A B B A) with identical iteration counts, and reports the regression in
# BranchlessRandom while the other benchmarks stay within noise.  Without a
# hardware PMU it simulates the counters (see below) and says so.
#
# perfgo exits 1 when it finds a regression: here that is the expected
# outcome, so the demo succeeds exactly when perfgo catches it.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
perfgo="${PERFGO:-$top/perfgo}"
work=$(mktemp -d "${TMPDIR:-/tmp}/perfgo-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

repo="$work/branch-prediction"
cp -r "$top/examples/branch-prediction" "$repo"
cd "$repo"
rm -rf .perfgo
git init -q -b main
git config user.name "perfgo demo"
git config user.email "demo@perfgo.invalid"
printf '.perfgo/\n' > .gitignore
git add -A
git commit -q -m "branch prediction example"

# The "refactor" that slows down one benchmark.
sed -i '/^func EvalBranchless(/,/^}/c\
func EvalBranchless(data []int64) Totals {\
	return EvalBranch(data) // simpler: one implementation\
}' branch.go
git commit -q -am "EvalBranchless: reuse EvalBranch"

echo "\$ git log --oneline"
git log --oneline
echo
# The default counters (--counters auto): perf's hardware events where the
# machine has a PMU; where it has none (most VMs and CI runners) perfgo says
# so and counts instructions, branches and cache misses in a CPU simulator
# (callgrind) instead, exactly, while ns/op still comes from plain runs.
# Either way the regression is in time (ns/op); the counters say why: the
# new code runs fewer instructions but mispredicts half of its branches.
echo "\$ perfgo compare HEAD~1 -- . -benchtime=0.2s"
set +e
"$perfgo" compare HEAD~1 -- . -benchtime=0.2s
status=$?
set -e
echo
case $status in
1)	echo "demo: perfgo found the regression (exit 1), as expected."
	echo "demo: 'perfgo list' and 'perfgo view' show the stored runs:"
	"$perfgo" list
	exit 0 ;;
0)	echo "demo: perfgo reported no regression; this machine was too noisy to confirm it" >&2
	exit 1 ;;
*)	echo "demo: perfgo failed (exit $status)" >&2
	exit "$status" ;;
esac
