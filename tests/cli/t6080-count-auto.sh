#!/bin/sh
# t6080: `perfgo compare -count auto` (the default on revisions; issue 10,
# item 4) through the real path.
#
#  - A clear regression (head does 3x the work) is decided at the first
#    look: 10 repetitions per side, below the cap of 30, read from the JSON
#    report and from the samples stored for each side; exit 1.
#  - An A/A comparison of one commit with itself runs look after look
#    (--min-count 4 --count-step 3 --max-count 10: looks at 4, 7, 10) until
#    the decision rule stops it, the cap at the latest; it never ends in a
#    regression, and the repetitions used are a look's size on both sides,
#    the same in the JSON report, the text report and the store.
#  - -count N keeps N repetitions ("mode": "fixed"); -count auto is refused
#    by `perfgo test`; --max-count below --min-count is a usage error.
#
# No hardware PMU here: the sides count the software event task-clock.
# Each process runs 3000 iterations of ~25 µs (~75 ms; half for the N/2 one):
# under heavy load a shorter one can end before perf enables its counters.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

make_module repo example.com/seqauto
cat >repo/work.go <<'GO'
package seqauto

var Sink uint64

func Work(rounds int) {
	x := uint64(1)
	for i := 0; i < rounds; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	Sink += x
}
GO
cat >repo/work_test.go <<'GO'
package seqauto

import "testing"

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Work(20000)
	}
}
GO
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
sed -i 's/Work(20000)/Work(60000)/' work_test.go
git commit -q -am "Work: 3x the work" || fail "commit"
BENCH="-- . -bench=Work -benchtime=3000x"

# reps_of RUN_ID: distinct repetitions stored for BenchmarkWork's ns/op in a side's run.
reps_of() {
	sql "SELECT count(DISTINCT s.rep) FROM samples s JOIN runs r ON r.seq = s.run_seq
	     JOIN benchmarks b ON b.id = s.benchmark_id
	     WHERE r.id = '$1' AND b.name = 'BenchmarkWork$S' AND s.metric = 'ns/op'"
}
# side_run SIDE: the run id of the newest comparison's base or head.
side_run() {
	sql "SELECT r.id FROM comparisons c JOIN runs r ON r.seq = c.${1}_seq
	     ORDER BY c.run_seq DESC LIMIT 1"
}
# jget FILE EXPR: a value of the JSON report (python expression on d).
jget() {
	py "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"
}

say "a clear regression stops at the first look"
expect_code 1 perfgo compare --format json -e task-clock HEAD~1 HEAD $BENCH
cp "$OUT" regression.json
assert_eq "auto 10 10 1 True" "$(jget regression.json "d['repetitions']['mode'], d['repetitions']['base']['max'], d['repetitions']['head']['max'], d['repetitions']['looks'], d['repetitions']['decided']" | tr -d "(),'")" \
	"JSON repetitions (mode, base, head, looks, decided)"
assert_eq 30 "$(jget regression.json "d['repetitions']['cap']")" "cap"
assert_eq 10 "$(reps_of "$(side_run base)")" "stored repetitions of the base"
assert_eq 10 "$(reps_of "$(side_run head)")" "stored repetitions of the head"
assert_eq 1 "$(jget regression.json "d['regressed_benchmarks']")" "regressed benchmarks"

say "A/A: runs to the decision rule, never a regression"
expect_code 0 perfgo compare -e task-clock --min-count 4 --count-step 3 --max-count 10 HEAD HEAD $BENCH
cp "$OUT" aa.txt
case $(row_verdict aa.txt ns/op "BenchmarkWork$S") in
regression*|improvement*|"") show aa.txt; fail "A/A ended in a verdict (or no row)" ;;
esac
nb=$(reps_of "$(side_run base)")
nh=$(reps_of "$(side_run head)")
assert_eq "$nb" "$nh" "repetitions of base and head"
case $nb in 4|7|10) ;; *) fail "A/A used $nb repetitions per side, not a look's size (4, 7, 10)" ;; esac
assert_contains aa.txt "repetitions per side: base $nb, head $nb; -count auto (4, +3 per look, up to 10"
case $nb in
10) ;;   # the cap, or decided at the last look
*) assert_contains aa.txt "every gated pair decided"
   row_verdict aa.txt ns/op "BenchmarkWork$S" | grep -q "^~ n=$nb+$nb" ||
	{ show aa.txt; fail "stopped early without a ~ on ns/op" ; } ;;
esac
# Each look that did not decide said so.
looks=$(grep -c "^perfgo: -count auto: 1 benchmark undecided" "$ERR")
case $nb in 4) assert_eq 0 "$looks" "notes" ;; 7) assert_eq 1 "$looks" "notes" ;; 10) assert_eq 2 "$looks" "notes" ;; esac

say "-count N keeps N; the formats carry the repetitions"
expect_code 0 perfgo compare --format junit -e task-clock --markdown md.txt HEAD HEAD -- . -bench=Work -benchtime=3000x -count 3
assert_contains "$OUT" 'name="perfgo.repetitions" value="repetitions per side: base 3, head 3"'
assert_contains md.txt "repetitions per side: base 3, head 3"
assert_not_contains md.txt "count auto"
assert_eq 3 "$(reps_of "$(side_run head)")" "stored repetitions with -count 3"

say "usage errors"
expect_code 2 perfgo test stat -- . -bench=Work -count auto
assert_contains "$ERR" "'-count auto' applies to 'perfgo compare' on revisions"
expect_code 2 perfgo compare --min-count 8 --max-count 6 HEAD HEAD $BENCH
assert_contains "$ERR" "--max-count 6 is below --min-count 8"
expect_code 2 perfgo compare --count-step 0 HEAD HEAD $BENCH
assert_contains "$ERR" "invalid --count-step '0'"
