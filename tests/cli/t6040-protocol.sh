#!/bin/sh
# t6040: the measurement protocol of `perfgo compare` on revisions, read
# back from the store (DESIGN §4; issue 19, item 2).
#
# Proves, with a calibrated iteration count (-benchtime=30ms, no Nx):
#  - both sides run base's calibrated N: every sample of both sides has one
#    iteration count, and it is base's.  Head is 10x slower per op, so its
#    own calibration gives a clearly smaller N (`perfgo test stat` on head
#    alone shows it; 10x, because calibration is timed and a loaded machine
#    moves it by up to 2x): a head calibrated on its own would fail the test;
#  - the repetitions are interleaved A B B A (base, head, head, base, ...):
#    the order in which the repetitions were stored (each is committed in
#    one transaction as it finishes, so SQLite's rowid order is the run
#    order) must be exactly that, never all-A-then-all-B.
#
# No hardware PMU here: the sides count the software event task-clock.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

make_module repo example.com/proto
cat >repo/proto.go <<'GO'
package proto

const work = 20000

var Sink uint64

func Work() {
	x := uint64(1)
	for i := 0; i < work; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	Sink += x
}
GO
cat >repo/proto_test.go <<'GO'
package proto

import "testing"

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Work()
	}
}
GO
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
sed -i 's/^const work = 20000$/const work = 200000/' proto.go
git commit -q -am "Work: ten times the rounds" || fail "commit"

say "compare with a calibrated N, 4 repetitions a side"
"$PERFGO" compare HEAD~1 HEAD -e task-clock -- . -bench=Work -benchtime=30ms -count 4 \
	>"$OUT" 2>"$ERR"
code=$?
[ "$code" -le 1 ] || { show "$OUT"; show "$ERR"; fail "compare exited $code"; }

say "one iteration count on both sides, and it is base's calibration"
n_base=$(sql "SELECT group_concat(DISTINCT s.iterations) FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.command = 'compare base' AND s.metric = 'ns/op'")
n_head=$(sql "SELECT group_concat(DISTINCT s.iterations) FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.command = 'compare head' AND s.metric = 'ns/op'")
assert_eq "$n_base" "$n_head" "head's N"
case "$n_base" in ''|*,*) fail "base has no single iteration count: '$n_base'" ;; esac
expect_code 0 perfgo test stat --format json -e task-clock -- . -bench=Work -benchtime=30ms -count 1
n_alone=$(py 'import json, sys; print(json.load(open(sys.argv[1]))["benchmarks"][0]["iterations"])' "$OUT")
say "N: base $n_base, head in the comparison $n_head, head calibrated alone $n_alone"
[ $((n_alone * 2)) -lt "$n_base" ] ||
	fail "head alone calibrates to $n_alone, not clearly below base's $n_base: the test cannot tell"

say "the repetitions ran A B B A A B B A"
order=$(sql "SELECT CASE r.command WHEN 'compare base' THEN 'A' ELSE 'B' END
	FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.command LIKE 'compare %' AND s.metric = 'ns/op'
	ORDER BY s.rowid" | tr -d '\n')
assert_eq "ABBAABBA" "$order" "order of the repetitions"
