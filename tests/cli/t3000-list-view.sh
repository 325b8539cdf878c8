#!/bin/sh
# t3000: browsing the store with `perfgo list` and `perfgo view`.
#
# Proves: list shows runs newest first, -n limits and -p filters by working
# directory or package, --format json carries the same runs; view selects
# the newest run by default or 0, older ones by -N, any run by a
# (case-insensitive) id prefix; an ambiguous prefix exits 2 listing every
# candidate (rows inserted with chosen ids), unknown or malformed ids exit
# 2; view --format json/gobench print exactly what `test stat` printed, and
# the text view holds test stat's result table, the stdout and stderr
# artifacts verbatim, and the artifact list with sizes and hashes.
#
# No hardware PMU here: the runs count the software event task-clock only.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
mkdir repo
copy_fixture basic repo/basic
copy_fixture multi repo/multi
git_init repo
DB=$TRASH/repo/.perfgo/perfgo.db

say "four runs from two directories"
cd "$TRASH/repo/basic" || fail "cd"
expect_code 0 perfgo test stat -e task-clock . -bench=Sum -benchtime=10x
r1=$(last_run)
cd "$TRASH/repo/multi" || fail "cd"
expect_code 0 perfgo test stat -e task-clock ./other -benchtime=10x
r2=$(last_run)
cd "$TRASH/repo/basic" || fail "cd"
expect_code 0 perfgo test default .
r3=$(last_run)
expect_code 0 perfgo test stat --format json -e task-clock -e page-faults . -bench=Sub -benchtime=100x -count 2
cp "$OUT" "$TRASH/r4.json"
r4=$(last_run)
cd "$TRASH/repo" || fail "cd"

short() { echo "$1" | cut -c1-8; }

say "list"
expect_code 0 perfgo list
assert_eq "ID        TIME                 STATUS       EXIT  DURATION  BENCH  COMMIT          COMMAND       PACKAGES" \
	"$(sed -n 1p "$OUT")" "list header"
assert_eq "$(short "$r4") $(short "$r3") $(short "$r2") $(short "$r1")" \
	"$(sed 1d "$OUT" | cut -c1-8 | tr '\n' ' ' | sed 's/ $//')" "list order (newest first)"
head=$(git rev-parse HEAD | cut -c1-8)
grep -q "^$(short "$r4")  .*  ok  *0  .*  2  $head  *test stat  *example.com/basic\$" "$OUT" ||
	{ show "$OUT"; fail "list row of run 4 (2 benchmarks, commit $head)"; }
grep -q "^$(short "$r3")  .*  ok  *0  .*  0  $head  *test default  example.com/basic\$" "$OUT" ||
	{ show "$OUT"; fail "list row of run 3"; }
expect_code 0 perfgo list -n 2
assert_eq 3 "$(line_count "$OUT")" "lines of list -n 2"
assert_eq "$(short "$r3")" "$(sed -n 3p "$OUT" | cut -c1-8)" "second row of list -n 2"
expect_code 0 perfgo list -n 0
assert_eq 5 "$(line_count "$OUT")" "lines of list -n 0"
expect_code 2 perfgo list -n -1
assert_contains "$ERR" "perfgo: error: '-n' needs a count of 0 or more"

# -p matches the working directory or the packages.
expect_code 0 perfgo list -p multi
assert_eq "$(short "$r2")" "$(sed 1d "$OUT" | cut -c1-8 | tr '\n' ' ' | sed 's/ $//')" "list -p multi"
expect_code 0 perfgo list -p example.com/basic -n 2
assert_eq "$(short "$r4") $(short "$r3")" "$(sed 1d "$OUT" | cut -c1-8 | tr '\n' ' ' | sed 's/ $//')" \
	"list -p example.com/basic -n 2"
expect_code 0 perfgo list -p no-such-path
assert_empty "$OUT"
assert_contains "$ERR" "no runs matching 'no-such-path'"
expect_code 0 perfgo list -p no-such-path --format json
assert_eq "[]" "$(cat "$OUT")" "list --format json with no match"

expect_code 0 perfgo list --format json -n 0
py '
import json, sys
runs = json.load(open(sys.argv[1]))
ids = [r["id"] for r in runs]
if ids != sys.argv[2:6]:
    sys.exit("order %r != %r" % (ids, sys.argv[2:6]))
started = [r["started_ns"] for r in runs]
if started != sorted(started, reverse=True):
    sys.exit("started_ns not descending: %r" % started)
r4, r3, r2, r1 = runs
want = [(r4, "test stat", "basic", 2), (r3, "test default", "basic", 0),
        (r2, "test stat", "multi", 1), (r1, "test stat", "basic", 1)]
for r, cmd, wd, nb in want:
    if (r["command"], r["workdir"], r["benchmarks"], r["complete"], r["status"]) != (cmd, wd, nb, True, "ok"):
        sys.exit("run %r" % r)
    if r["finished_ns"] < r["started_ns"] or r["commit"] is None or len(r["commit"]) != 40:
        sys.exit("times or commit of %r" % r)
if r2["packages"] != "example.com/multi/other" or r2["argv"][1:] != [
        "test", "stat", "-e", "task-clock", "./other", "-benchtime=10x"]:
    sys.exit("run 2 %r" % r2)
' "$OUT" "$r4" "$r3" "$r2" "$r1" || fail "list --format json"

say "view selectors"
view_id() { # selector -> the run id view shows
	expect_code 0 perfgo view "$@"
	sed -n 's/^run:       //p' "$OUT"
}
assert_eq "$r4" "$(view_id)" "view"
assert_eq "$r4" "$(view_id 0)" "view 0"
assert_eq "$r3" "$(view_id -1)" "view -1"
assert_eq "$r1" "$(view_id -3)" "view -3"
assert_eq "$r2" "$(view_id "$(short "$r2")")" "view <8-digit prefix>"
assert_eq "$r2" "$(view_id "$r2")" "view <full id>"
assert_eq "$r2" "$(view_id "$(short "$r2" | tr a-f A-F)")" "view <upper-case prefix>"
expect_code 2 perfgo view -4
assert_contains "$ERR" "perfgo: error: no run '-4' in '$TRASH/repo/.perfgo'"
expect_code 2 perfgo view xyz
assert_contains "$ERR" "perfgo: error: 'xyz' is not a run: use 0, -<n> or a hex id prefix"
expect_code 2 perfgo view 0 -1
assert_contains "$ERR" "perfgo: error: view takes one run"

say "ambiguous and unknown prefixes"
# Two runs whose ids share 'abcabc'; older than the others, so 0/-N stay put.
for n in 1 2; do
	sql "INSERT INTO runs (id, started_ns, finished_ns, status, exit_code, command, workdir, packages)
		VALUES ('abcabc000000000000000000000000$n$n', $n, $n + 1000, 'ok', 0, 'test stat', '.', 'x/y')"
done
expect_code 2 perfgo view abcabc
assert_contains "$ERR" "perfgo: error: run id 'abcabc' is ambiguous; candidates:"
assert_contains "$ERR" "  abcabc00000000000000000000000011  "
assert_contains "$ERR" "  abcabc00000000000000000000000022  "
assert_eq 3 "$(line_count "$ERR")" "lines of the ambiguity error"
expect_code 2 perfgo view abcabc000000000000000000000000
assert_contains "$ERR" "perfgo: error: run id 'abcabc000000000000000000000000' is ambiguous; candidates:"
assert_eq abcabc00000000000000000000000022 "$(view_id ABCABC0000000000000000000000002)" \
	"view of a unique 31-digit prefix"
assert_eq "$r4" "$(view_id 0)" "view 0 with the inserted rows"
expect_code 2 perfgo view fedcba987
assert_contains "$ERR" "perfgo: error: no run 'fedcba987' in '$TRASH/repo/.perfgo'"
expect_code 2 perfgo view "abcabc000000000000000000000000110"
assert_contains "$ERR" "perfgo: error: no run 'abcabc000000000000000000000000110'"

say "view shows what test stat showed"
expect_code 0 perfgo view "$r4" --format json
cmp -s "$TRASH/r4.json" "$OUT" || { diff "$TRASH/r4.json" "$OUT" >&2; fail "view --format json != test stat --format json"; }
cd "$TRASH/repo/basic" || fail "cd"
expect_code 0 perfgo test stat --format gobench -e task-clock . -bench=Sum -benchtime=100x -count 2
cp "$OUT" "$TRASH/r5.gobench"
r5=$(last_run)
expect_code 0 perfgo test stat -e task-clock . -bench=Sub -benchtime=100x -count 2
cp "$OUT" "$TRASH/r6.txt"
r6=$(last_run)
expect_code 0 perfgo view "$r5" --format gobench
cmp -s "$TRASH/r5.gobench" "$OUT" || { diff "$TRASH/r5.gobench" "$OUT" >&2; fail "view --format gobench != test stat --format gobench"; }
assert_contains "$OUT" "BenchmarkSum$S	100	"
expect_code 0 perfgo view "$r6"
cp "$OUT" "$TRASH/r6.view"
assert_contains "$TRASH/r6.view" "BenchmarkSub/n=16$S  (N=100, 2 reps)"
assert_contains "$TRASH/r6.view" "command:   perfgo test stat"
assert_contains "$TRASH/r6.view" "status:    ok (exit 0)"
assert_contains "$TRASH/r6.view" "commit:    $(git rev-parse HEAD) ($(git rev-parse --abbrev-ref HEAD))"
run_dir=$TRASH/repo/.perfgo/runs/$r6
py '
import hashlib, os, sys
view = open(sys.argv[1], encoding="utf-8").read()
table = open(sys.argv[2], encoding="utf-8").read()
run_dir, run = sys.argv[3], sys.argv[4]
if table not in view:
    sys.exit("the result table of test stat is not in the view")
if view.index(table) > view.index("--- stdout ("):
    sys.exit("the table must come before the artifacts")
for kind, name in (("stdout", "stdout.txt"), ("stderr", "stderr.txt")):
    body = open(os.path.join(run_dir, name), encoding="utf-8").read()
    head = "--- %s (runs/%s/%s, %d bytes) ---\n" % (kind, run, name, len(body.encode()))
    if head + body not in view:
        sys.exit("the %s artifact is not shown whole under %r" % (kind, head))
for kind, name in (("stdout", "stdout.txt"), ("stderr", "stderr.txt"), ("perf-stat-csv", "perf-stat.csv")):
    data = open(os.path.join(run_dir, name), "rb").read()
    line = "  %-14s %s/%s  %d bytes  sha256 %s" % (kind, run_dir, name, len(data), hashlib.sha256(data).hexdigest()[:16])
    if line not in view:
        sys.exit("artifact line missing: %r" % line)
if "BenchmarkSub/n=64" not in open(os.path.join(run_dir, "stdout.txt")).read():
    sys.exit("the stdout artifact lacks the benchmark output")
' "$TRASH/r6.view" "$TRASH/r6.txt" "$run_dir" "$r6" || { show "$TRASH/r6.view"; fail "view text"; }
