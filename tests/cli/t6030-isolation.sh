#!/bin/sh
# t6030: a private checkout is built from its own files only.
#
# Proves (issue 18, item 0): commits are checked out under .perfgo/trees/
# inside the user's repository, where the go command would otherwise find
# the working tree's go.mod or go.work by walking up from the checkout.
#  - A commit without go.mod must not be built as part of the working
#    tree's module (that measured the working tree's code under the old
#    commit's name: here the old inner.Work is 10x cheaper than HEAD's, and
#    the old commit was reported as slow as HEAD); it is built in GOPATH
#    mode from its own files (t6060 covers that mode in depth), so its
#    stored ns/op is far below HEAD's, and `compare` finds the regression.
#  - A go.work at the top of the working tree (untracked, as go.work usually
#    is) must not capture a checkout: perfgo runs go with GOWORK=off there,
#    so the commit is measured (go refused to build it before).
# The user's own working tree keeps go's usual rules (go.work applies).
#
# No hardware PMU here: the runs count the software event task-clock.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

say "a commit without go.mod, then go.mod and a 10x slower inner.Work"
mkdir -p iso/inner && cd "$TRASH/iso" || fail "cd"
printf 'package inner\n\nvar Sink int\n\nfunc Work(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tSink += i ^ Sink\n\t}\n}\n' \
	>inner/inner.go
cat >iso.go <<'GO'
package iso

import "example.com/iso/inner"

func Run() { inner.Work(300) }
GO
cat >iso_test.go <<'GO'
package iso

import "testing"

func BenchmarkRun(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Run()
	}
}
GO
printf '.perfgo/\ngo.work\ngo.work.sum\n' >.gitignore
git_init "$TRASH/iso"
printf 'module example.com/iso\n\ngo 1.19\n' >go.mod
sed -i 's/Work(n int) {/Work(n int) {\n\tn *= 10/' inner/inner.go
git add -A && git commit -q -m "go.mod; inner.Work 10x slower" || fail "commit"
old=$(git rev-parse HEAD~1)

BENCH="-e task-clock -- . -bench=Run -benchtime=200000x -count 1"
expect_code 0 perfgo run HEAD~1 HEAD $BENCH
assert_eq "$(echo "$old" | cut -c1-12)  measured" "$(head -n 1 "$OUT" | cut -c1-22)" "run output"
assert_contains "$ERR" "perfgo: $(echo "$old" | cut -c1-12) has no go.mod: built in GOPATH mode as 'example.com/iso'"
nsop() {
	sql "SELECT CAST(avg(s.value) AS INTEGER) FROM samples s JOIN runs r ON r.seq = s.run_seq
		JOIN benchmarks b ON b.id = s.benchmark_id WHERE r.commit_sha = '$1' AND r.command = 'run'
		AND b.name = 'BenchmarkRun$S' AND s.metric = 'ns/op'"
}
n_old=$(nsop "$old") n_head=$(nsop "$(git rev-parse HEAD)")
[ -n "$n_old" ] && [ $((n_old * 4)) -lt "$n_head" ] ||
	fail "the commit without go.mod ($n_old ns/op) is not far below HEAD ($n_head ns/op)"

say "compare across the boundary finds the 10x regression"
expect_code 1 perfgo compare HEAD~1 HEAD -e task-clock -- . -bench=Run -benchtime=200000x -count 6
assert_eq "regression n=6+6" "$(row_verdict "$OUT" ns/op "BenchmarkRun$S")" "ns/op verdict"

say "an untracked go.work above the checkouts does not capture them"
mkdir -p "$TRASH/ws" && cd "$TRASH/ws" || fail "cd"
copy_fixture basic repo
printf '.perfgo/\ngo.work\n' >repo/.gitignore
git_init repo
cd "$TRASH/ws/repo" || fail "cd"
git commit -q --allow-empty -m "second" || fail "commit"
printf 'go 1.19\n\nuse .\n' >go.work
expect_code 0 perfgo run HEAD~1 HEAD -e task-clock -- . -bench=Sum -benchtime=100x -count 1
assert_eq 2 "$(grep -c measured "$OUT")" "commits measured under a go.work"
assert_eq 2 "$(sql "SELECT count(DISTINCT r.commit_sha) FROM samples s JOIN runs r ON r.seq = s.run_seq
	JOIN benchmarks b ON b.id = s.benchmark_id WHERE b.name = 'BenchmarkSum$S'")" "commits with samples"

say "the working tree itself still follows go.work (go test's rules)"
# lib.sh's GOFLAGS=-mod=mod is not allowed in workspace mode: go itself says so.
expect_code 2 perfgo test stat -e task-clock -- . -bench=Sum -benchtime=100x -count 1
assert_contains "$ERR" "workspace mode"
GOFLAGS= && export GOFLAGS
expect_code 0 perfgo test stat -e task-clock -- . -bench=Sum -benchtime=100x -count 1
assert_contains "$OUT" "BenchmarkSum"
