#!/bin/sh
# t6020: `make demo`'s script, examples/demo.sh, with the perfgo under test.
#
# Proves: the demo builds a throw-away repository from
# examples/branch-prediction, perfgo compare finds the regression its second
# commit introduces in BranchlessRandom (exit 1, which the demo turns into
# success), does not flag the untouched BranchRandom in ns/op, and the
# demo removes its repository afterwards.
#
# No hardware PMU here: the regression shows in ns/op and task-clock per op.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
expect_code 0 env PERFGO="$PERFGO" sh "$SRC_ROOT/examples/demo.sh"
assert_contains "$OUT" "demo: perfgo found the regression (exit 1), as expected."
grep -q "^BenchmarkBranchlessRandom$S .*regression" "$OUT" ||
	{ show "$OUT"; fail "BranchlessRandom is not a regression"; }
# The untouched benchmark is no regression in ns/op (~, or inconclusive
# when this 2-core VM is busy).
awk '/^ns\/op:/{t=1} /^$/{t=0} t' "$OUT" | grep "^BenchmarkBranchRandom$S " >"$TRASH/row" ||
	{ show "$OUT"; fail "no ns/op row for BranchRandom"; }
assert_not_contains "$TRASH/row" "regression"
[ -z "$(ls -A "$TMPDIR")" ] || { ls -lA "$TMPDIR" >&2; fail "the demo left files in TMPDIR"; }
