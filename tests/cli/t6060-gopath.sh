#!/bin/sh
# t6060: commits from before Go modules are built in GOPATH mode (issue 18,
# items 1-4).
#
# Proves:
#  - `run` over a range whose first commits have no go.mod (a sub-package
#    imported by its full path, a dependency in vendor/) measures every
#    commit from its own files: the old inner.Work is 10x cheaper than
#    HEAD's and the stored ns/op of the old commits is far below HEAD's (the
#    bug of issue 18 measured the working tree's code under the old name);
#    the import path comes from the nearest later commit's go.mod, and
#    perfgo says so; the module commit with vendor/ builds with -mod=vendor
#    (lib.sh's GOFLAGS=-mod=mod with GOPROXY=off would fail otherwise);
#  - the stored configuration records the build mode and import path of a
#    GOPATH build and nothing for a module build; a second run skips all;
#  - `compare` across the boundary works (a regression, exit 1) and its
#    notes say the sides were built differently, in text and json;
#  - `compare` with the old commit as head (either side) works;
#  - a repository with no go.mod anywhere and no import comment: exit 2,
#    one line naming --import-path, nothing measured; --import-path
#    builds it; an `// import` comment is found without the option;
#  - a go.mod requiring a module that is not in the module cache: the
#    commit fails (exit 4) with one error line naming the module, not go's
#    output;
#  - `run --remote-host` (sshd on loopback) measures a GOPATH commit built
#    here on the remote, which needs no GOPATH of its own.
#
# No hardware PMU here: the runs count the software event task-clock.
. "$(dirname "$0")/lib.sh"

S=$(bench_suffix)

say "two commits without go.mod (vendor/, a sub-package), then go.mod and a 10x slower inner.Work"
mkdir -p gp/inner gp/vendor/example.org/dep && cd "$TRASH/gp" || fail "cd"
printf 'package inner\n\nvar Sink int\n\nfunc Work(n int) {\n\tfor i := 0; i < n; i++ {\n\t\tSink += i ^ Sink\n\t}\n}\n' \
	>inner/inner.go
printf 'package dep\n\nfunc N() int { return 300 }\n' >vendor/example.org/dep/dep.go
cat >gp.go <<'GO'
package gp

import (
	"example.com/gp/inner"
	"example.org/dep"
)

func Run() { inner.Work(dep.N()) }
GO
cat >gp_test.go <<'GO'
package gp

import "testing"

func BenchmarkRun(b *testing.B) {
	for i := 0; i < b.N; i++ {
		Run()
	}
}
GO
printf '.perfgo/\n' >.gitignore
git_init "$TRASH/gp"
echo "second" >NOTES && git add NOTES && git commit -q -m "second, still no go.mod" || fail "commit"
printf 'module example.com/gp\n\ngo 1.19\n\nrequire example.org/dep v1.0.0\n' >go.mod
printf '# example.org/dep v1.0.0\n## explicit\nexample.org/dep\n' >vendor/modules.txt
sed -i 's/Work(n int) {/Work(n int) {\n\tn *= 10/' inner/inner.go
git add -A && git commit -q -m "go.mod; inner.Work 10x slower" || fail "commit"
c1=$(git rev-parse HEAD~2) c2=$(git rev-parse HEAD~1) c3=$(git rev-parse HEAD)
s1=$(echo "$c1" | cut -c1-12) s2=$(echo "$c2" | cut -c1-12) s3=$(echo "$c3" | cut -c1-12)

BENCH="-e task-clock -- . -bench=Run -benchtime=200000x -count 2"
expect_code 0 perfgo run "$c1" "$c1..$c3" $BENCH
assert_eq "$s1  measured
$s2  measured
$s3  measured" "$(cut -c1-22 "$OUT")" "run output"
assert_contains "$ERR" "perfgo: $s1 has no go.mod: built in GOPATH mode as 'example.com/gp', import path from the go.mod of $s3"
assert_contains "$ERR" "perfgo: $s2 has no go.mod: built in GOPATH mode as 'example.com/gp', import path from the go.mod of $s3"
assert_not_contains "$ERR" "$s3 has no go.mod"
nsop() {
	sql "SELECT CAST(avg(s.value) AS INTEGER) FROM samples s JOIN runs r ON r.seq = s.run_seq
		JOIN benchmarks b ON b.id = s.benchmark_id WHERE r.commit_sha = '$1' AND r.command = 'run'
		AND b.package = 'example.com/gp' AND b.name = 'BenchmarkRun$S' AND s.metric = 'ns/op'"
}
n1=$(nsop "$c1") n2=$(nsop "$c2") n3=$(nsop "$c3")
say "ns/op: $n1 $n2 $n3"
[ -n "$n1" ] && [ -n "$n3" ] || fail "no ns/op stored ('$n1', '$n3')"
[ $((n1 * 4)) -lt "$n3" ] || fail "the first commit ($n1 ns/op) is not far below HEAD ($n3 ns/op)"
[ $((n2 * 4)) -lt "$n3" ] || fail "the second commit ($n2 ns/op) is not far below HEAD ($n3 ns/op)"

say "the stored configuration says how each commit was built"
cfg() { sql "SELECT config_json FROM runs WHERE command = 'run' AND commit_sha = '$1'"; }
# lib.sh's GOFLAGS=-mod=mod is recorded after the build mode, under "go_env".
case $(cfg "$c1") in *'"build":"gopath","import_path":"example.com/gp","go_env":{"GOFLAGS":"-mod=mod"}}') ;;
*) fail "config of $s1: $(cfg "$c1")" ;; esac
case $(cfg "$c3") in *'"build"'*) fail "config of $s3: $(cfg "$c3")" ;; esac
expect_code 0 perfgo run "$c1" "$c1..$c3" $BENCH
assert_eq "skipped skipped skipped" "$(awk '{print $2}' "$OUT" | tr '\n' ' ' | sed 's/ $//')" "second pass"

say "compare across the boundary: a regression, and the notes say how the sides were built"
expect_code 1 perfgo compare HEAD~1 HEAD -e task-clock -- . -bench=Run -benchtime=200000x -count 6
assert_eq "regression n=6+6" "$(row_verdict "$OUT" ns/op "BenchmarkRun$S")" "ns/op verdict"
assert_contains "$OUT" "base: $s2 has no go.mod: built in GOPATH mode as 'example.com/gp'"
assert_contains "$OUT" "the sides were built differently (base in GOPATH mode, head as a Go module)"
case $(sql "SELECT config_json FROM runs WHERE command = 'compare base' ORDER BY seq DESC LIMIT 1") in
*'"build":"gopath"'*) ;; *) fail "compare base config has no build mode" ;; esac
expect_code 0 perfgo compare HEAD HEAD~2 --fail-on none --format json -e task-clock -- . -bench=Run -benchtime=200000x -count 3
py 'import json,sys
notes = json.load(open(sys.argv[1]))["notes"]
assert any("base in GOPATH mode" not in n and "(base as a Go module, head in GOPATH mode)" in n for n in notes), notes
assert any(n.startswith("head: ") and "GOPATH mode" in n for n in notes), notes' "$OUT" ||
	{ show "$OUT"; fail "json notes"; }

say "no go.mod anywhere, no import comment: exit 2, one line naming --import-path"
mkdir -p "$TRASH/np/sub" && cd "$TRASH/np" || fail "cd"
printf 'package sub\n\nfunc V() int { return 7 }\n' >sub/sub.go
printf 'package np\n\nimport "example.net/np/sub"\n\nfunc Run() int { return sub.V() }\n' >np.go
printf 'package np\n\nimport "testing"\n\nfunc BenchmarkV(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tRun()\n\t}\n}\n' >np_test.go
printf '.perfgo/\n' >.gitignore
git_init "$TRASH/np"
np=$(git rev-parse HEAD | cut -c1-12)
expect_code 2 perfgo run HEAD -e task-clock -- . -bench=V -benchtime=100x
assert_eq 1 "$(line_count "$ERR")" "stderr lines"
assert_contains "$ERR" "perfgo: error: commit $np has no go.mod and no import comment, and no later commit's go.mod names its import path: give it with --import-path <path>"
assert_empty "$OUT"
assert_eq 0 "$(sql "SELECT count(*) FROM samples")" "samples stored"
expect_code 2 perfgo compare HEAD HEAD -e task-clock -- . -bench=V -benchtime=100x
assert_contains "$ERR" "--import-path <path>"
expect_code 0 perfgo run --import-path example.net/np HEAD -e task-clock -- . -bench=V -benchtime=100x
assert_contains "$OUT" "measured"
assert_contains "$ERR" "as 'example.net/np', import path from --import-path"
expect_code 2 perfgo run --import-path '/bad path' HEAD -e task-clock -- . -bench=V -benchtime=100x
assert_contains "$ERR" "perfgo: error: --import-path '/bad path' is not an import path"

say "an import comment names it without the option"
sed -i 's|^package np$|package np // import "example.net/np"|' np.go
git commit -q -am "import comment" || fail "commit"
expect_code 0 perfgo run HEAD -e task-clock -- . -bench=V -benchtime=100x
assert_contains "$ERR" "as 'example.net/np', import path from the import comment in np.go"

say "a required module missing from the module cache: one line naming it"
mkdir -p "$TRASH/md" && cd "$TRASH/md" || fail "cd"
printf 'module example.com/md\n\ngo 1.19\n\nrequire github.com/nonexist/dep v1.2.3\n' >go.mod
printf 'package md\n\nimport "github.com/nonexist/dep"\n\nfunc Run() int { return dep.D() }\n' >md.go
printf 'package md\n\nimport "testing"\n\nfunc BenchmarkD(b *testing.B) {\n\tfor i := 0; i < b.N; i++ {\n\t\tRun()\n\t}\n}\n' >md_test.go
printf '.perfgo/\n' >.gitignore
git_init "$TRASH/md"
md=$(git rev-parse HEAD | cut -c1-12)
expect_code 4 perfgo run HEAD -e task-clock -- . -bench=D -benchtime=100x
assert_eq 1 "$(grep -c '^perfgo: error' "$ERR")" "error lines"
assert_not_contains "$ERR" "md.go:"
assert_contains "$ERR" "perfgo: error: commit $md: cannot build the tests of 'example.com/md': module github.com/nonexist/dep@v1.2.3 is not in the module cache"
assert_eq "failed" "$(sql "SELECT status FROM runs WHERE command = 'run'")" "run status"

say "run --remote-host: a GOPATH commit built here, measured on the remote"
. "$SRC_ROOT/tests/cli/sshd.sh"
sshd_start
cd "$TRASH/gp" || fail "cd"
expect_code 0 perfgo run --force --remote-host "$SSH_HOST" "$c1" -e task-clock -- . -bench=Run -benchtime=200000x
assert_contains "$OUT" "$s1  measured"
assert_contains "$ERR" "$s1 has no go.mod: built in GOPATH mode as 'example.com/gp'"
assert_eq "ok|$SSH_HOST" "$(sql "SELECT r.status, f.host FROM runs r JOIN fingerprints f
	ON f.id = r.fingerprint_id WHERE r.command = 'run' ORDER BY r.seq DESC LIMIT 1")" "run on the remote"
nr=$(sql "SELECT CAST(avg(s.value) AS INTEGER) FROM samples s JOIN runs r ON r.seq = s.run_seq
	JOIN benchmarks b ON b.id = s.benchmark_id WHERE r.seq = (SELECT max(seq) FROM runs)
	AND b.name = 'BenchmarkRun$S' AND s.metric = 'ns/op'")
[ -n "$nr" ] && [ $((nr * 4)) -lt "$n3" ] || fail "remote ns/op of $s1 ($nr) is not far below HEAD's ($n3)"
sshd_stop
