#!/bin/sh
# t9010: the test of issue 17 at 60 commits, and `perfgo gc`.
#
# A generated repository of 60 commits; c37 makes Work allocate twice per
# op instead of once (64 B each).  Go's allocs/op and B/op are exact, so
# the step is known to the commit and every assertion on it holds on a
# loaded machine (ns/op is measured too and only compared with itself).
#
# Shaped to stay fast (about 40 s idle): measuring all 60 commits would
# take minutes, and a history needs only the commits it shows, so `perfgo
# run` measures 14 of them (every fifth, and c36/c37 around the step so
# the step is localised to one commit), -count 3 at -benchtime=1000x.
# `bisect` measures fresh over all 60 (nothing reused).
#
# Proves: history over the measured commits has exactly one change point,
# at c37 (+100 %); `bisect` names c37 after exactly the binary search's
# steps: 59 commits (c2..c60) can be the first bad one, so it judges at
# most ceil(log2(59)) = 6 of the 58 between the ends, and here exactly 6
# (c30 good, c45 bad, c37 bad, c33, c35, c36 good: midpoints of the
# remaining range, decided at once since allocs/op is exact, so no commit
# is asked against the bad end); with the check of the bad end that is 7
# comparisons, each measuring the good end c1 afresh beside the other
# commit, so 8 distinct commits are measured (the 6, both ends) in 14 runs
# (7 of c1); `report --html` writes one chart per benchmark and
# metric (Chromium rendering is t9000's); `gc --dry-run` changes nothing;
# every gc removes a run directory without a row (what a gc killed between
# its commit and its file removal leaves) and leaves a non-run directory
# alone; `gc --keep 0` removes every run that history does not show (a
# superseded re-run of c10, bisect's runs), keeps `history` output byte for byte
# (JSON, all metrics) and the report's charts, leaves no orphan rows
# (foreign_key_check, samples of removed runs) and says what it freed;
# `--older-than 1h` removes nothing here; `--include-history` lets history
# runs go; gc waits for another writer's transaction for the store's busy
# timeout (10 s: the one slow step here) and then refuses, exit 3; `.perfgo/.gitignore` keeps the store out of
# `git status` without any help from the repository; `prune` is gc; usage
# errors exit 2.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
make_module repo example.com/gc
cat >repo/w.go <<'EOT'
package gc

const allocs = 1

var Sink uint64
var Keep [][]byte

func spin(n int) uint64 {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func Work() {
	Sink += spin(20000)
	for i := 0; i < allocs; i++ {
		Keep = append(Keep[:0], make([]byte, 64))
	}
}
EOT
cat >repo/w_test.go <<'EOT'
package gc

import "testing"

func BenchmarkWork(b *testing.B) {
	Keep = make([][]byte, 0, 4)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Work()
	}
}
EOT
git_init repo
cd "$TRASH/repo" || fail "cd"
git commit -q --amend -m "c1: initial" || fail "commit"
i=2
while [ $i -le 60 ]; do
	if [ $i = 37 ]; then
		sed -i 's/^const allocs = 1/const allocs = 2/' w.go
	else
		echo "// c$i" >>w.go
	fi
	git commit -qam "c$i" || fail "commit c$i"
	i=$((i + 1))
done
# c[N] is commit N (1-based), oldest first.
git rev-list --reverse HEAD >"$TRASH/shas"
assert_eq 60 "$(line_count "$TRASH/shas")" "commits"
c() { sed -n "${1}p" "$TRASH/shas"; }
c37=$(c 37)

BENCH="-e task-clock -- . -bench=Work -benchtime=1000x -count 3"
revs=""
for n in 1 5 10 15 20 25 30 35 36 37 40 45 50 55 60; do
	revs="$revs $(c $n)"
done

say "run over 15 of the 60 commits"
expect_code 0 perfgo run $revs $BENCH
assert_eq 15 "$(grep -c '  measured  ' "$OUT")" "commits measured"
assert_eq 0 "$(git status --porcelain | wc -l | tr -d ' ')" "git status entries"
assert_eq '*' "$(cat .perfgo/.gitignore)" ".perfgo/.gitignore"

say "history: one change point, at c37"
expect_code 0 perfgo history --metric allocs/op
assert_eq 15 "$(grep -c '^[0-9a-f]\{12\}  ' "$OUT")" "rows"
{ grep -c "change point [+-]" "$OUT" | grep -qx 1; } || { show "$OUT"; fail "not one change point"; }
assert_eq "$(echo "$c37" | cut -c1-12)" \
	"$(grep -B1 'change point +100.0% p=' "$OUT" | head -1 | cut -c1-12)" "change at c37"

say "bisect over all 60 commits names c37 after 6 judged commits, 8 commits measured"
expect_code 0 perfgo bisect --metric allocs/op "$(c 1)" "$(c 60)" $BENCH
assert_contains "$OUT" "first bad commit: $c37 c37"
assert_contains "$OUT" "; 6 of the 58 commits between good and bad judged"
# One line per comparison, in order: "<outcome> <commit>  allocs/op vs <side>: ...".
steps=$(sed -n 's/^\(good\|bad\|?\) *\([0-9a-f]\{12\}\)  allocs\/op vs \([a-z]*\): .*/\1 \2 \3/p' "$OUT")
want=""
for s in "bad 60" "good 30" "bad 45" "bad 37" "good 33" "good 35" "good 36"; do
	want="$want${want:+
}${s% *} $(c "${s#* }" | cut -c1-12) good"
done
[ "$steps" = "$want" ] || { show "$OUT"; fail "bisect's comparisons: expected
$want
got
$steps"; }
assert_eq 7 "$(sql "SELECT count(*) FROM runs WHERE command = 'compare base' AND commit_sha = '$(c 1)'")" \
	"comparisons, each measuring the good end"
assert_eq "$(for n in 60 30 45 37 33 35 36; do c $n; done)" \
	"$(sql "SELECT commit_sha FROM runs WHERE command = 'compare head' ORDER BY seq")" "the other side of each"
assert_eq 8 "$(sql "SELECT count(DISTINCT commit_sha) FROM runs WHERE command LIKE 'compare %'")" \
	"distinct commits measured (6 judged and both ends)"

say "a superseded re-run of c10, an orphaned run directory"
expect_code 0 perfgo run --force "$(c 10)" $BENCH
orphan=0123456789abcdef0123456789abcdef
mkdir -p .perfgo/runs/$orphan/sub .perfgo/runs/notarun
head -c 1000 /dev/zero >.perfgo/runs/$orphan/stdout
head -c 24 /dev/zero >.perfgo/runs/$orphan/sub/x
nruns=$(sql "SELECT count(*) FROM runs")
expect_code 0 perfgo history --format json --metric all
cp "$OUT" "$TRASH/hist-before.json"
expect_code 0 perfgo report --html "$TRASH/site1"
charts=$(grep -o '<svg' "$TRASH/site1/index.html" | wc -l)
assert_eq "$(sql "SELECT count(DISTINCT metric) FROM samples")" "$charts" "charts (one benchmark)"

say "gc --dry-run changes nothing"
ndirs=$(ls .perfgo/runs | wc -l)
expect_code 0 perfgo gc --keep 0 --dry-run
gone=$(grep -c '^would remove  ' "$OUT")
[ "$gone" -ge 2 ] || { show "$OUT"; fail "dry run lists $gone runs"; }
assert_contains "$OUT" "would remove $gone of $nruns runs; kept $((nruns - gone)): 0 within the limits, 15 for history"
assert_contains "$OUT" "(1 left without a run before)"
assert_contains "$OUT" "database: "
assert_eq "$nruns" "$(sql "SELECT count(*) FROM runs")" "runs after a dry run"
assert_eq "$ndirs" "$(ls .perfgo/runs | wc -l)" "run directories after a dry run"

say "gc --older-than 1h: every run is younger; the orphaned directory goes"
expect_code 0 perfgo gc --older-than 1h
assert_contains "$OUT" "removed 0 of $nruns runs; kept $nruns: $nruns within the limits"
assert_contains "$OUT" "freed 1 run directories (1 left without a run before), 2 files, 1024 bytes"
[ ! -e .perfgo/runs/$orphan ] || fail "orphaned directory left"
[ -d .perfgo/runs/notarun ] || fail "a directory that is not a run was removed"

say "gc --keep 0: history's runs stay, the rest goes, history is unchanged"
old10=$(sql "SELECT id FROM runs WHERE command = 'run' AND commit_sha = '$(c 10)' ORDER BY seq LIMIT 1")
new10=$(sql "SELECT id FROM runs WHERE command = 'run' AND commit_sha = '$(c 10)' ORDER BY seq DESC LIMIT 1")
expect_code 0 perfgo prune --keep 0
assert_eq "$gone" "$(grep -c '^removed  ' "$OUT")" "runs listed as removed"
assert_contains "$OUT" "removed  $(echo "$old10" | cut -c1-8)  "
assert_contains "$OUT" "removed $gone of $nruns runs; kept 15: 0 within the limits, 15 for history, 0 tied by a comparison, 0 possibly in progress"
grep -q "^freed $gone run directories (0 left without a run before), [0-9]* files, [0-9]* bytes$" "$OUT" ||
	{ show "$OUT"; fail "freed line"; }
bytes=$(sed -n 's/^freed .* files, \([0-9]*\) bytes$/\1/p' "$OUT")
[ "$bytes" -gt 0 ] || fail "freed $bytes bytes"
grep -q "^database: [0-9]* -> [0-9]* bytes (vacuumed)$" "$OUT" || { show "$OUT"; fail "database line"; }
assert_eq 15 "$(sql "SELECT count(*) FROM runs")" "runs left"
assert_eq "$new10" "$(sql "SELECT id FROM runs WHERE commit_sha = '$(c 10)'")" "c10's newest run kept"
assert_eq "" "$(sql "PRAGMA foreign_key_check")" "foreign keys"
assert_eq 0 "$(sql "SELECT count(*) FROM samples WHERE run_seq NOT IN (SELECT seq FROM runs)")" "orphan samples"
assert_eq 0 "$(sql "SELECT count(*) FROM artifacts WHERE run_seq NOT IN (SELECT seq FROM runs)")" "orphan artifacts"
ls .perfgo/runs | grep -v '^notarun$' | sort >"$TRASH/dirs"
sql "SELECT id FROM runs ORDER BY id" >"$TRASH/ids"
diff "$TRASH/ids" "$TRASH/dirs" >/dev/null || { diff "$TRASH/ids" "$TRASH/dirs" >&2; fail "run directories and runs differ"; }
expect_code 0 perfgo history --format json --metric all
cmp -s "$TRASH/hist-before.json" "$OUT" || { diff "$TRASH/hist-before.json" "$OUT" >&2; fail "history changed"; }
expect_code 0 perfgo history --metric allocs/op
assert_eq 1 "$(grep -c "change point [+-]" "$OUT")" "change points after gc"
expect_code 0 perfgo report --html "$TRASH/site2"
assert_eq "$charts" "$(grep -o '<svg' "$TRASH/site2/index.html" | wc -l)" "charts after gc"
expect_code 0 perfgo gc --keep 0
assert_contains "$OUT" "removed 0 of 15 runs"

say "gc waits for another writer, then refuses"
py '
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(12)
db.execute("COMMIT")
' .perfgo/perfgo.db "$TRASH/locked" &
lock_pid=$!
wait_until 10 test -e "$TRASH/locked" || fail "the lock holder did not start"
t0=$(date +%s)
expect_code 3 perfgo gc --keep 0
t1=$(date +%s)
assert_contains "$ERR" "another perfgo is writing to it and held the lock for 10 s (the busy timeout): try again when it has finished"
[ $((t1 - t0)) -ge 9 ] || fail "gc gave up after $((t1 - t0)) s, not the busy timeout"
wait $lock_pid || fail "the lock holder failed"
assert_eq 15 "$(sql "SELECT count(*) FROM runs")" "runs after a refused gc"

say "--include-history lets history's runs go"
expect_code 0 perfgo gc --keep 2 --include-history
assert_contains "$OUT" "removed 13 of 15 runs; kept 2: 2 within the limits"
assert_eq 2 "$(sql "SELECT count(*) FROM runs")" "runs left"

say "the .gitignore comes back when missing"
rm .perfgo/.gitignore
expect_code 0 perfgo gc --keep 100
assert_eq '*' "$(cat .perfgo/.gitignore)" ".perfgo/.gitignore rewritten"
assert_eq 0 "$(git status --porcelain | wc -l | tr -d ' ')" "git status entries"

say "usage errors"
expect_code 2 perfgo gc
assert_contains "$ERR" "say which runs may go"
expect_code 2 perfgo gc --older-than 30x
assert_contains "$ERR" "'--older-than' needs an age"
expect_code 2 perfgo gc --keep -1
expect_code 2 perfgo gc --keep 2 extra
echo "ok: $TEST_NAME"
