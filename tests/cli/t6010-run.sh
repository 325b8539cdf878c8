#!/bin/sh
# t6010: `perfgo run`, measuring commits into the history.
#
# Proves: a..b measures every commit of the range oldest first, each into
# its own "run" row keyed by its commit (with the commit's subject stored);
# a commit that does not build is recorded as failed, the others are still
# measured, and the exit code is 4; running again skips what was measured
# with the same configuration (not the failed commit), a different
# configuration or --force measures again; a...b, a missing revision and a
# directory outside git are usage errors (and leave no store behind); the
# user's working tree, index and HEAD never change.
#
# No hardware PMU here: the runs count the software event task-clock.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)
copy_fixture basic repo
printf '.perfgo/\n' >repo/.gitignore
git_init repo
cd "$TRASH/repo" || fail "cd"
git commit -q --allow-empty -m "c1: nothing changes" || fail "commit"
printf 'package basic\n\nfunc Broken() { return 1 }\n' >broken.go
git add broken.go && git commit -q -m "c2: does not build" || fail "commit"
git rm -q broken.go && git commit -q -m "c3: builds again" || fail "commit"
c1=$(git rev-parse HEAD~2)
c2=$(git rev-parse HEAD~1)
c3=$(git rev-parse HEAD)

state() {
	git rev-parse HEAD
	git symbolic-ref -q HEAD
	sha256sum .git/index
	git status --porcelain=v1 | grep -v '^?? .perfgo/'
}
state >"$TRASH/before"

BENCH="-e task-clock -- . -bench=Sum -benchtime=100x -count 2"

say "a range: every commit, the broken one recorded as failed"
expect_code 4 perfgo run HEAD~3..HEAD $BENCH
assert_eq "$(echo "$c1" | cut -c1-12)  measured
$(echo "$c2" | cut -c1-12)  failed
$(echo "$c3" | cut -c1-12)  measured" "$(cut -c1-23 "$OUT" | sed 's/ *$//')" "run output"
assert_contains "$ERR" "broken.go"
assert_eq "$c1|ok|0
$c2|failed|4
$c3|ok|0" "$(sql "SELECT commit_sha, status, exit_code FROM runs WHERE command = 'run' ORDER BY seq")" "run rows"
assert_eq "c2: does not build" "$(sql "SELECT subject FROM commits WHERE sha = '$c2'")" "commit subject"
assert_eq 2 "$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
	JOIN benchmarks b ON b.id = s.benchmark_id
	WHERE r.commit_sha = '$c3' AND b.name = 'BenchmarkSum$S' AND s.metric = 'task-clock-ns/op'")" \
	"task-clock samples of c3 (-count 2)"
state >"$TRASH/after"
cmp -s "$TRASH/before" "$TRASH/after" || fail "run changed the working tree, index or HEAD"

say "again: measured commits are skipped, the failed one is tried again"
expect_code 4 perfgo run HEAD~3..HEAD $BENCH
assert_eq "skipped measured skipped" "$(awk '{print $2}' "$OUT" | sed 's/failed/measured/' | tr '\n' ' ' | sed 's/ $//')" \
	"second pass"
grep -q "^$(echo "$c2" | cut -c1-12)  failed" "$OUT" || { show "$OUT"; fail "c2 not failed again"; }
assert_contains "$ERR" "was measured already"
assert_eq 4 "$(sql "SELECT count(*) FROM runs WHERE command = 'run'")" "runs after the second pass"

say "--force and another configuration measure again"
expect_code 0 perfgo run --force "$c1" $BENCH
assert_contains "$OUT" "measured"
expect_code 0 perfgo run "$c1" -e task-clock -- . -bench=Sum -benchtime=100x -count 3
assert_contains "$OUT" "measured"
assert_eq 3 "$(sql "SELECT count(*) FROM runs WHERE command = 'run' AND commit_sha = '$c1' AND status = 'ok'")" \
	"runs of c1"

say "usage errors"
expect_code 2 perfgo run
assert_contains "$ERR" "name the commits to measure"
expect_code 2 perfgo run HEAD~1...HEAD
assert_contains "$ERR" "a...b is for 'perfgo compare'"
expect_code 2 perfgo run no-such-rev
assert_eq "perfgo: error: unknown revision 'no-such-rev'" "$(cat "$ERR")" "unknown revision"
mkdir "$TRASH/nogit" && cd "$TRASH/nogit" || fail "mkdir"
expect_code 2 perfgo run HEAD
assert_contains "$ERR" "not in a git repository"
expect_code 2 perfgo compare HEAD~1
assert_contains "$ERR" "not in a git repository"
[ -z "$(ls -A)" ] || fail "a failed run outside git left files: $(ls -A)"
cd "$TRASH/repo" || fail "cd"
state >"$TRASH/after"
cmp -s "$TRASH/before" "$TRASH/after" || fail "run changed the working tree, index or HEAD"
