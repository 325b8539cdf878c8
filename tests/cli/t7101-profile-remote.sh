#!/bin/sh
# t7101: `perfgo test profile --remote-host` against a real sshd on loopback:
# perf record and perf script run "there" (the remote scratch directory),
# the script's text streams back over ssh, and the profile is symbolized
# here with the binary built here: go tool pprof -top puts
# examples/branch-prediction's EvalBranch first, -list shows its source lines,
# the mapping names the binary stored under .perfgo/binaries/, and nothing is
# left in the remote scratch directory.
#
# Real components only: sshd on 127.0.0.1 (tests/cli/sshd.sh), perf (the
# software event cpu-clock), llvm-symbolizer, go tool pprof.
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/sshd.sh"

sshd_start
mkdir -p repo
cp -R "$SRC_ROOT/examples/branch-prediction" repo/bp || fail "cannot copy the example"
git_init repo
cd repo/bp || fail "cd"
B=BenchmarkBranchRandom$(bench_suffix)

say "perfgo test profile --remote-host"
expect_code 0 perfgo test profile --remote-host "$SSH_HOST" -- . -bench='BranchRandom$' -benchtime=200x
assert_contains "$ERR" "profiling event: cpu-clock"
prof=$(cat "$OUT")
case "$prof" in "$TRASH/repo/.perfgo/runs/"*"/$B.pb.gz") ;; *) fail "unexpected profile path '$prof'" ;; esac

say "the remote profile symbolizes here"
go tool pprof -top "$prof" >top.txt 2>&1 || { show top.txt; fail "pprof -top"; }
first=$(awk '/flat%/ { getline; print; exit }' top.txt)
case "$first" in *"branchprediction.EvalBranch (inline)") ;;
	*) show top.txt; fail "EvalBranch is not the top function: $first" ;; esac
go tool pprof -list 'branchprediction.EvalBranch$' "$prof" >list.txt 2>&1 || { show list.txt; fail "pprof -list"; }
grep -E "^ +[0-9.]+[mun]?s .*:[[:space:]]+if v < 0 \{" list.txt >/dev/null ||
	{ show list.txt; fail "no samples on 'if v < 0' in -list"; }
go tool pprof -raw "$prof" >raw.txt 2>&1 || { show raw.txt; fail "pprof -raw"; }
file=$(awk '/^Mappings/ { getline; print $3; exit }' raw.txt)
case "$file" in binaries/*/branchprediction.test) ;; *) show raw.txt; fail "main mapping '$file'" ;; esac
[ -f "$TRASH/repo/.perfgo/$file" ] || fail "'$file' is not in the store"

say "nothing left on the remote side"
left=$(find "$REMOTE_TMP" -mindepth 1 -maxdepth 1 2>/dev/null | head -5)
[ -z "$left" ] || { ls -laR "$REMOTE_TMP" >&2; fail "left in the remote scratch: $left"; }

say "ok"
