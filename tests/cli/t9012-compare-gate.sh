#!/bin/sh
# t9012: a `perfgo compare --gate` name that matches no compared unit is a
# usage error (exit 2), not silently ignored: a typo there would leave the
# gate deciding on fewer units, or on none, and pass.
#
# Proves, on files: `--gate allocs/ops` (a typo), a list with one unknown
# name, and a unit that --metric left out each exit 2 with one error line
# that quotes the name and lists the units there are, the usage hint, and
# nothing on stdout; names are matched as the gate matches them (case,
# "/op"), so `--gate ALLOCS` gates allocs/op and decides: exit 1 on its
# regression, which ns/op alone (n=3, unreachable) never gives.
# On revisions (a real repository, both commits measured): the same error
# once the sides are measured, exit 2, no report on stdout and the run
# recorded as failed with exit code 2; a valid --gate decides as usual.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
cat >old.txt <<EOT
BenchmarkA$S 100 10 ns/op 64 B/op 1 allocs/op
BenchmarkA$S 100 11 ns/op 64 B/op 1 allocs/op
BenchmarkA$S 100 10 ns/op 64 B/op 1 allocs/op
EOT
cat >new.txt <<EOT
BenchmarkA$S 100 10 ns/op 128 B/op 2 allocs/op
BenchmarkA$S 100 11 ns/op 128 B/op 2 allocs/op
BenchmarkA$S 100 10 ns/op 128 B/op 2 allocs/op
EOT

say "files: a --gate name that matches nothing"
for bad in "--gate allocs/ops" "--gate ns/op,nosuch" "--gate ns/op --gate nosuch" \
	"--metric ns/op --gate B/op"; do
	# shellcheck disable=SC2086
	expect_code 2 perfgo compare $bad old.txt new.txt
	assert_empty "$OUT"
	assert_eq 2 "$(line_count "$ERR")" "stderr lines for '$bad'"
	assert_eq "perfgo: see 'perfgo help compare'" "$(tail -1 "$ERR")" "hint for '$bad'"
done
expect_code 2 perfgo compare --gate allocs/ops old.txt new.txt
assert_eq "perfgo: error: --gate 'allocs/ops' matches no compared unit: gate one of ns/op, B/op, allocs/op" \
	"$(head -1 "$ERR")" "the error"
expect_code 2 perfgo compare --gate ns/op,nosuch old.txt new.txt
assert_contains "$ERR" "--gate 'nosuch' matches no compared unit"
expect_code 2 perfgo compare --metric ns/op --gate B/op old.txt new.txt
assert_eq "perfgo: error: --gate 'B/op' matches no compared unit: gate one of ns/op" \
	"$(head -1 "$ERR")" "a unit --metric left out"

say "files: names match as the gate matches them"
expect_code 0 perfgo compare --gate ns/op old.txt new.txt
expect_code 1 perfgo compare --gate ALLOCS old.txt new.txt
assert_eq "1 benchmark regressed: BenchmarkA$S (allocs/op)" "$(sed -n 1p "$OUT")" "ALLOCS gates allocs/op"
assert_empty "$ERR"

say "revisions: the error once both sides are measured"
make_module repo example.com/gate
cat >repo/a.go <<'EOT'
package gate

var Keep []byte

func Work() {
	Keep = make([]byte, 64)
}
EOT
cat >repo/a_test.go <<'EOT'
package gate

import "testing"

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Work()
	}
}
EOT
git_init repo
cd repo || fail "cd"
sed -i 's/make(\[\]byte, 64)/make([]byte, 128)/' a.go
git commit -qam "twice the bytes" || fail "commit"
BENCH="-- . -bench=Work -benchtime=200000x -count 3"
expect_code 2 perfgo compare --gate allocs/ops -e task-clock HEAD~1 HEAD $BENCH
assert_empty "$OUT"
grep -q "^perfgo: error: --gate 'allocs/ops' matches no compared unit: gate one of ns/op, B/op, allocs/op" "$ERR" ||
	{ show "$ERR"; fail "the error on revisions"; }
assert_eq "compare|failed|2" "$(sql "SELECT command, status, exit_code FROM runs WHERE command = 'compare'")" \
	"the compare run"
expect_code 1 perfgo compare --gate b/op -e task-clock HEAD~1 HEAD $BENCH
grep -qx "1 benchmark regressed: BenchmarkWork$S (B/op)" "$OUT" || { show "$OUT"; fail "--gate b/op on revisions"; }
assert_contains "$OUT" "(Holm over 1 comparison, "
echo "ok: $TEST_NAME"
