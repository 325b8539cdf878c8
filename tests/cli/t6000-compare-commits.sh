#!/bin/sh
# t6000: `perfgo compare` on revisions, in real git repositories, with real
# go and perf.
#
# Proves: a commit that makes one benchmark 3x slower is a regression
# (exit 1) while the untouched benchmark is ~; the reports written at once
# (--markdown, --junit, --json) agree with each other, the JUnit file is
# valid against tests/data/junit/junit.xsd and holds both SHAs; the
# comparison is stored (a "compare" run linked to its "compare base" and
# "compare head" runs, with equal iteration counts on both sides and 10
# repetitions by default) and `perfgo view` shows it again; --reuse
# measures nothing new; --confirm re-measures the regression and keeps it;
# an A/A pair (the second commit only edits a comment) exits 0; with a
# dirty working tree and no revisions, HEAD is compared with the working
# tree (labelled +dirty), and the choice is said on stderr and in the
# report's notes; the summary counts benchmarks, not units; A...B; an
# unknown revision, a shallow clone and a commit that does not build get
# one clear line and their exit codes; Ctrl-C records every run interrupted
# and exits 130; and the user's working tree, index, HEAD and stash are
# identical before and after every command.
#
# No hardware PMU here: the sides count software events (task-clock, ...)
# and Go's ns/op; the regression shows in ns/op and task-clock per op.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

# Two benchmarks: Work runs `work` rounds of a multiply-add chain per op,
# Steady always 20000.  Each op is tens of microseconds, so that 2000
# iterations make loops well above perfgo's 20 ms noise floor.
make_module repo example.com/abtest
cat >repo/ab.go <<'EOF'
package abtest

// work is the number of rounds Work does per call.
const work = 20000

var Sink uint64

func spin(n int) uint64 {
	x := uint64(1)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func Work() { Sink += spin(work) }

func Steady() { Sink += spin(20000) }
EOF
cat >repo/ab_test.go <<'EOF'
package abtest

import "testing"

func BenchmarkWork(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Work()
	}
}

func BenchmarkSteady(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Steady()
	}
}
EOF
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
git tag base
sed -i 's/^const work = 20000$/const work = 60000/' ab.go
git commit -q -am "Work: three times the rounds" || fail "commit"

# The user's state, to prove that no command changes it.
snapshot() {
	{
		git rev-parse HEAD
		git symbolic-ref -q HEAD
		sha256sum .git/index
		git status --porcelain=v1 --untracked-files=all | grep -v '^?? .perfgo/'
		git stash list
		find . -path ./.git -prune -o -path ./.perfgo -prune -o -type f -print |
			sort | xargs sha256sum
	} 2>&1
}
check_untouched() {
	snapshot >"$TRASH/after"
	cmp -s "$TRASH/before" "$TRASH/after" || {
		diff "$TRASH/before" "$TRASH/after" >&2
		fail "$1 changed the working tree, index, HEAD or stash"
	}
}

BENCH="-benchtime=2000x -count 10"

say "a 3x slowdown is a regression; the untouched benchmark is ~"
snapshot >"$TRASH/before"
expect_code 1 perfgo compare --markdown "$TRASH/r.md" --junit "$TRASH/r.xml" \
	--json "$TRASH/r.json" HEAD~1 -- . $BENCH
check_untouched "compare HEAD~1"
cp "$OUT" "$TRASH/r.txt"
base=$(git rev-parse HEAD~1)
head=$(git rev-parse HEAD)
b12=$(echo "$base" | cut -c1-12)
h12=$(echo "$head" | cut -c1-12)
assert_contains "$TRASH/r.txt" "$b12"
assert_contains "$TRASH/r.txt" "$h12"
# The verdict column of each benchmark's ns/op row (a grep for "~" or
# "regression" anywhere in a row would also match the B/op, allocs/op and
# task-clock tables).  Steady's code is the same on both sides, but ns/op
# is time on a shared 2-core VM: ~, or inconclusive when a neighbour's
# load hit one side more, never a regression or an improvement.
assert_eq "regression n=10+10" "$(row_verdict "$TRASH/r.txt" ns/op "BenchmarkWork$S")" "Work's ns/op row"
case $(row_verdict "$TRASH/r.txt" ns/op "BenchmarkSteady$S") in
"~ n=10+10" | "inconclusive n=10+10") ;;
*) show "$TRASH/r.txt"; fail "Steady's ns/op row is not ~: '$(row_verdict "$TRASH/r.txt" ns/op "BenchmarkSteady$S")'" ;;
esac
assert_contains "$TRASH/r.txt" "runner: "
assert_contains "$TRASH/r.txt" "10 repetitions per side"
# One finding: Work, however many units echo it (task-clock is a diagnostic).
assert_eq "perfgo: 1 benchmark regressed: $b12 → $h12" "$(grep ' regressed: ' "$ERR")" "the regression note"
assert_eq "1 benchmark regressed: BenchmarkWork$S (ns/op)" "$(grep -m1 ' regressed: ' "$TRASH/r.txt")" "the decision"

# The JSON says the same: Work regresses in ns/op and in task-clock per op,
# Steady does not regress in anything; the ratio is about 3.
py '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["schema"] == "perfgo.compare/1", r["schema"]
assert r["old"] == sys.argv[2] and r["comparisons"][0]["new"] == sys.argv[3]
assert r["runner"] and r["notes"], "runner and notes"
rows = {}
for t in r["comparisons"][0]["units"]:
    for row in t["rows"]:
        rows[(row["name"].split("-")[0], t["unit"])] = row
w = rows[("BenchmarkWork", "ns/op")]
assert w["verdict"] == "regression", w["verdict"]
assert 2.4 < w["ratio"] < 3.6, w["ratio"]
assert len(w["old"]["samples"]) == 10 and len(w["new"]["samples"]) == 10
assert rows[("BenchmarkWork", "task-clock-ns/op")]["verdict"] == "regression"
bad = [k for k, v in rows.items() if k[0] == "BenchmarkSteady" and v["verdict"] == "regression"]
assert not bad, bad
assert r["regressions"] == 1 and r["regressed_benchmarks"] == 1, (r["regressions"], r["regressed_benchmarks"])
units = {t["unit"]: t["gated"] for t in r["comparisons"][0]["units"]}
assert units["ns/op"] and not units["task-clock-ns/op"], units
' "$TRASH/r.json" "$b12" "$h12" || { show "$TRASH/r.json"; fail "JSON report"; }

xmllint --noout --schema "$SRC_ROOT/tests/data/junit/junit.xsd" "$TRASH/r.xml" 2>"$TRASH/xmllint" ||
	{ show "$TRASH/xmllint"; fail "JUnit report is not valid against junit.xsd"; }
assert_contains "$TRASH/r.xml" "$base"
assert_contains "$TRASH/r.xml" "$head"
grep -q '<failure[^>]*type="PerfRegression"' "$TRASH/r.xml" || { show "$TRASH/r.xml"; fail "no failure"; }
assert_contains "$TRASH/r.md" "**perfgo compare** \`$b12\` → \`$h12\`"
assert_contains "$TRASH/r.md" "<details>"
assert_contains "$TRASH/r.md" "<sub>Runner: "
assert_contains "$TRASH/r.md" "<sub>Method: "

say "the comparison is stored and linked; both sides ran the same iterations"
cmp_id=$(sql "SELECT id FROM runs WHERE command = 'compare'")
assert_eq 1 "$(sql "SELECT count(*) FROM runs WHERE command = 'compare'")" "compare runs"
assert_eq "ok 1 $head" "$(sql "SELECT status || ' ' || exit_code || ' ' || commit_sha FROM runs WHERE id = '$cmp_id'")" \
	"compare run row"
assert_eq "$base" "$(sql "SELECT r.commit_sha FROM comparisons c JOIN runs r ON r.seq = c.base_seq")" "base side"
assert_eq "$head" "$(sql "SELECT r.commit_sha FROM comparisons c JOIN runs r ON r.seq = c.head_seq")" "head side"
assert_eq "compare base|ok
compare head|ok" "$(sql "SELECT command, status FROM runs WHERE command LIKE 'compare %' ORDER BY command")" "side runs"
# Per benchmark, one distinct iteration count over both sides.
assert_eq 0 "$(sql "SELECT count(*) FROM (SELECT b.name FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id
	JOIN runs r ON r.seq = s.run_seq WHERE r.command LIKE 'compare %'
	GROUP BY b.name HAVING count(DISTINCT s.iterations) != 1)")" "benchmarks with unequal iteration counts"
assert_eq 2 "$(sql "SELECT count(*) FROM commits WHERE sha IN ('$base', '$head')")" "commits recorded"

expect_code 0 perfgo view "$(echo "$cmp_id" | cut -c1-8)"
assert_contains "$OUT" "command:   perfgo compare"
assert_eq "regression n=10+10" "$(row_verdict "$OUT" ns/op "BenchmarkWork$S")" "Work's ns/op row in view"
expect_code 0 perfgo view --format json "$(echo "$cmp_id" | cut -c1-8)"
cmp -s "$OUT" "$TRASH/r.json" || fail "view --format json differs from the --json report"

say "--reuse takes the stored sides; --confirm keeps a real regression"
expect_code 1 perfgo compare --reuse --format json HEAD~1 -- . $BENCH
assert_contains "$ERR" "reusing run"
assert_eq 2 "$(sql "SELECT count(*) FROM runs WHERE command LIKE 'compare %'")" "side runs after --reuse"
cmp -s "$OUT" "$TRASH/r.json" && fail "--reuse printed the earlier report verbatim (notes must differ)"
py 'import json,sys; r=json.load(open(sys.argv[1])); assert r["regressed_benchmarks"] == 1, r["regressed_benchmarks"]' "$OUT" ||
	fail "--reuse report"
expect_code 1 perfgo compare --reuse --confirm HEAD~1 -- . $BENCH
assert_contains "$OUT" "--confirm: "
case $(row_verdict "$OUT" ns/op "BenchmarkWork$S") in
"regression n="*) ;;
*) show "$OUT"; fail "--confirm dropped a real regression" ;;
esac
# Only the benchmark that regressed was measured again.
assert_eq "BenchmarkWork$S" "$(sql "SELECT DISTINCT b.name FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id
	JOIN runs r ON r.seq = s.run_seq WHERE r.command = 'compare head'
	AND r.seq = (SELECT max(seq) FROM runs WHERE command = 'compare head')")" "benchmarks --confirm measured"
check_untouched "compare --reuse/--confirm"

say "--fail-on none; run:<id> sides; A...B"
expect_code 0 perfgo compare --reuse --fail-on none HEAD~1 HEAD -- . $BENCH
bid=$(sql "SELECT r.id FROM comparisons c JOIN runs r ON r.seq = c.base_seq LIMIT 1" | cut -c1-8)
hid=$(sql "SELECT r.id FROM comparisons c JOIN runs r ON r.seq = c.head_seq LIMIT 1" | cut -c1-8)
nruns=$(sql "SELECT count(*) FROM runs WHERE command LIKE 'compare %'")
expect_code 1 perfgo compare "run:$bid" "run:$hid"
assert_contains "$OUT" "run:$bid"
assert_eq "$nruns" "$(sql "SELECT count(*) FROM runs WHERE command LIKE 'compare %'")" "run: sides measure nothing"
git checkout -q -b topic base || fail "checkout"
echo "// a note" >>ab.go
git commit -q -am "comment on topic" || fail "commit"
git checkout -q master 2>/dev/null || git checkout -q main || fail "checkout back"
snapshot >"$TRASH/before"
expect_code 1 perfgo compare --reuse topic...HEAD -- . $BENCH
check_untouched "compare topic...HEAD"
assert_contains "$OUT" "$(git rev-parse base | cut -c1-12)"

say "A/A: a commit that only edits a comment is no regression"
sed -i 's|^// work is the number of rounds Work does per call.$|// work: rounds of Work per call.|' ab.go
git commit -q -am "comment only" || fail "commit"
snapshot >"$TRASH/before"
expect_code 0 perfgo compare --format markdown HEAD~1 -- . $BENCH
check_untouched "A/A compare"
grep -q '^\*\*perfgo compare\*\* `[0-9a-f]\{12\}` → `[0-9a-f]\{12\}`: no gated regression$' "$OUT" ||
	{ show "$OUT"; fail "the A/A summary does not say no gated regression"; }

say "no revisions on a dirty working tree: HEAD against the working tree"
# No --reuse: a base measured minutes ago against a head measured now
# compares the machine's load as well (Steady would drift), so both sides
# are measured now, interleaved.
sed -i 's/^const work = 60000$/const work = 20000/' ab.go
snapshot >"$TRASH/before"
expect_code 0 perfgo compare --format json -- . $BENCH
check_untouched "compare on a dirty tree"
h12=$(git rev-parse HEAD | cut -c1-12)
assert_contains "$ERR" "perfgo: no revisions given and the working tree has changes: HEAD against the working tree"
py '
import json, sys
r = json.load(open(sys.argv[1]))
assert r["old"] == sys.argv[2], r["old"]
assert r["comparisons"][0]["new"] == sys.argv[3] + "+dirty", r["comparisons"][0]["new"]
assert "no revisions given and the working tree has changes: HEAD against the working tree" in r["notes"], r["notes"]
rows = [(row["name"], t["unit"], row["verdict"]) for t in r["comparisons"][0]["units"] for row in t["rows"]]
assert any(n.startswith("BenchmarkWork") and u == "ns/op" and v == "improvement" for n, u, v in rows), rows
' "$OUT" "$h12" "$h12" || { show "$OUT"; fail "dirty head"; }
assert_eq 1 "$(sql "SELECT dirty FROM runs WHERE command = 'compare' ORDER BY seq DESC LIMIT 1")" "compare run dirty"
assert_eq 1 "$(sql "SELECT dirty FROM runs WHERE command = 'compare head' ORDER BY seq DESC LIMIT 1")" "head run dirty"
git checkout -q -- ab.go

say "an unknown revision, too many revisions"
snapshot >"$TRASH/before"
expect_code 2 perfgo compare no-such-rev -- . $BENCH
assert_eq "perfgo: error: unknown revision 'no-such-rev'" "$(cat "$ERR")" "unknown revision message"
expect_code 2 perfgo compare HEAD~2 HEAD~1 HEAD
assert_contains "$ERR" "at most two revisions"
check_untouched "failed compares"

say "a shallow clone: the base is missing, with the fetch-depth hint"
git clone -q --depth 1 "file://$TRASH/repo" "$TRASH/shallow" || fail "clone"
cd "$TRASH/shallow" || fail "cd"
expect_code 2 perfgo compare HEAD~1 -- . $BENCH
assert_contains "$ERR" "shallow clone"
assert_contains "$ERR" "fetch-depth: 0"
assert_eq 1 "$(line_count "$ERR")" "lines of the shallow clone error"
cd "$TRASH/repo" || fail "cd"

say "a commit that does not build"
printf 'package abtest\n\nfunc Broken() { return 1 }\n' >broken.go
git add broken.go && git commit -q -m "broken" || fail "commit"
snapshot >"$TRASH/before"
expect_code 4 perfgo compare HEAD~1 -- . $BENCH
check_untouched "compare on a broken commit"
assert_contains "$ERR" "broken.go"
assert_eq "failed 4" "$(sql "SELECT status || ' ' || exit_code FROM runs WHERE command = 'compare' ORDER BY seq DESC LIMIT 1")" \
	"compare run of a broken head"
assert_eq "ok" "$(sql "PRAGMA integrity_check")" "integrity"

say "Ctrl-C during a comparison: every run recorded interrupted, exit 130"
git reset -q --hard HEAD~1 || fail "reset"
snapshot >"$TRASH/before"
"$PERFGO" compare HEAD~1 -- . -benchtime=1s >"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
measuring() {
	[ "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
		WHERE r.seq = (SELECT max(seq) FROM runs WHERE command = 'compare base')
		AND r.status = 'running'")" -gt 0 ]
}
wait_until 60 measuring || { kill -9 "$pid"; show "$TRASH/bg.err"; fail "the comparison did not start"; }
kill -s INT "$pid"
wait "$pid"
assert_eq 130 "$?" "exit code after SIGINT"
assert_contains "$TRASH/bg.err" "recorded as interrupted"
assert_eq "compare|interrupted|130
compare base|interrupted|130
compare head|interrupted|130" "$(sql "SELECT command, status, exit_code FROM runs
	WHERE seq >= (SELECT max(seq) FROM runs WHERE command = 'compare') ORDER BY seq")" "interrupted runs"
[ -z "$(pgrep -f -- "$TRASH/.*\.test" 2>/dev/null)" ] || fail "test binaries left running"
check_untouched "an interrupted compare"
exit 0
