#!/bin/sh
# t7102: a profile that comes back without one sample is recorded again, as
# a late counter gate is (measure.h, MEASURE_GATE_ATTEMPTS): on a busy
# machine perf handles the `enable` only when it is next scheduled, which
# can be after most of a short benchmark has run.  Proves:
# - empty once (the first process records nothing): a warning, the
#   benchmark recorded again, exit 0, a profile with samples;
# - empty every time (-c: one sample per 1,000 s of cpu-clock): after 3
#   attempts one error line naming the benchmark, the attempts and the two
#   ways out, exit 3, and the run recorded as failed.
#
# Real perf record throughout.  For the first case a `perf` wrapper first
# in PATH adds that period to the first `perf record` only (counted in a
# file): a real recording with no samples, made deterministic.
. "$(dirname "$0")/lib.sh"

mkdir -p repo
cp -R "$SRC_ROOT/examples/branch-prediction" repo/bp || fail "cannot copy the example"
git_init repo
cd repo/bp || fail "cd"
B=BenchmarkBranchRandom

real=$(command -v perf) || fail "no perf"
mkdir -p "$TRASH/fakebin"
cat >"$TRASH/fakebin/perf" <<EOS
#!/bin/sh
# The first 'perf record' gets a sampling period of 1,000 s: no samples.
if [ "\$1" = record ] && [ ! -e "$TRASH/recorded-once" ]; then
	: >"$TRASH/recorded-once"
	shift
	exec "$real" record -c 1000000000000 "\$@"
fi
exec "$real" "\$@"
EOS
chmod +x "$TRASH/fakebin/perf"

say "no samples once: recorded again"
expect_code 0 env PATH="$TRASH/fakebin:$PATH" \
	"$PERFGO" test profile -- . -bench='BranchRandom$' -benchtime=200x
[ -e "$TRASH/recorded-once" ] || fail "the wrapper never ran"
assert_eq 1 "$(grep -c "benchmark '$B[^']*' (N=200) left no samples in its profile; measuring it again (2/3)" "$ERR")" \
	"one retry warning"
prof=$(cat "$OUT")
[ -s "$prof" ] || fail "no profile at '$prof'"
go tool pprof -top "$prof" >top.txt 2>&1 || { show top.txt; fail "pprof -top"; }
grep -q "EvalBranch" top.txt || { show top.txt; fail "the retried profile has no EvalBranch"; }

say "no samples every time: exit 3 after 3 attempts"
expect_code 3 perfgo test profile -c 1000000000000 -- . -bench='BranchRandom$' -benchtime=200x
assert_eq 2 "$(grep -c "left no samples in its profile; measuring it again" "$ERR")" "retries"
assert_contains "$ERR" "perfgo: error: benchmark '$B"
assert_contains "$ERR" "' left no samples in its profile (3 attempts): raise -benchtime or the sampling frequency (-F)"
"$PERFGO" list >list.txt || fail "perfgo list"
assert_eq "failed 3" "$(awk 'NR == 2 { print $4, $5 }' list.txt)" "the newest run's status and exit"
