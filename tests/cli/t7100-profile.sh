#!/bin/sh
# t7100: `perfgo test profile` writes a pprof per benchmark that the real
# `go tool pprof` reads without the test binary or the build directory:
#
#   - examples/branch-prediction, BenchmarkBranchRandom: -top puts the
#     branchy EvalBranch first (it is inlined into the benchmark: pprof marks
#     it "(inline)", so the inlined frame is there), -list shows its source
#     lines in branch.go with samples on the `if v < 0` line, -lines names
#     branch.go:<line>, -traces shows the benchmark's stacks;
#   - the mapping names the binary stored under .perfgo/binaries/<sha256>/
#     with the stored file's sha256 and Go build ID, and the run lists it
#     as an artifact (kind binary, its size and sha256); the sample type is
#     cpu-clock in nanoseconds (no PMU here: the default event falls back to
#     cpu-clock and perfgo says so); labels carry benchmark, pid and tid;
#   - a flame graph per benchmark (<name>.flame.html, one self-contained
#     page): its embedded tree holds EvalBranch under the benchmark with at
#     least half of the time, and when chromium is installed it renders it
#     headless and the drawn EvalBranch frame says >= 50%;
#   - `perfgo view` of the run prints the same top function with the same
#     flat time as pprof -top;
#   - --diff-base <run> (or <revision>: that commit's newest clean profile)
#     writes a difference flame graph whose tree holds
#     both runs' totals, and go tool pprof -diff_base reads the two files;
#   - all of that still holds after the repository (with .perfgo) is moved
#     and the build's scratch directory is gone (-list then finds the
#     sources with pprof's -source_path/-trim_path);
#   - recording is gated to the benchmark: tests/go/initburn burns ~200 ms
#     in init() (~800 cpu-clock samples at perf's default 4 kHz), and its
#     profile holds no sample under initburn.init; with -c 1000000 the
#     profile's period is 1000000 and every sample value a whole period;
#   - a benchmark that kills itself (tests/go/crash) exits 4 and its
#     partial profile is kept, listed and readable;
#   - Ctrl-C while perf records exits 130, the run recorded interrupted, and
#     no process is left;
#   - usage errors: -c with -F, a bad --call-graph, an event perf lacks here.
#
# Real components only: go, perf record/script (software event cpu-clock),
# llvm-symbolizer, go tool pprof.
. "$(dirname "$0")/lib.sh"

mkdir -p repo
cp -R "$SRC_ROOT/examples/branch-prediction" repo/bp || fail "cannot copy the example"
copy_fixture initburn repo/initburn
git_init repo
cd repo/bp || fail "cd"
B=BenchmarkBranchRandom$(bench_suffix)

say "perfgo test profile on examples/branch-prediction"
expect_code 0 perfgo test profile -- . -bench='BranchRandom$' -benchtime=200x
assert_contains "$ERR" "profiling event: cpu-clock (cycles does not count here: no hardware PMU)"
assert_eq 1 "$(line_count "$OUT")" "profiles listed"
prof=$(cat "$OUT")
case "$prof" in "$TRASH/repo/.perfgo/runs/"*"/$B.pb.gz") ;; *) fail "unexpected profile path '$prof'" ;; esac
[ -s "$prof" ] || fail "no profile at $prof"
DB=$TRASH/repo/.perfgo/perfgo.db
run=$(last_run)
assert_eq "test profile|ok|0" "$(sql "SELECT command, status, exit_code FROM runs WHERE id = '$run'")" "the run"
assert_eq 1 "$(sql "SELECT count(*) FROM artifacts a JOIN runs r ON r.seq = a.run_seq
	WHERE r.id = '$run' AND a.kind = 'pprof'")" "pprof artifacts"
assert_eq 1 "$(sql "SELECT count(*) FROM samples s JOIN benchmarks b ON b.id = s.benchmark_id
	JOIN runs r ON r.seq = s.run_seq WHERE r.id = '$run' AND b.name = '$B' AND s.metric = 'ns/op'")" "Go's ns/op stored"
unset DB
line_if=$(grep -n 'if v < 0 {' branch.go | head -1 | cut -d: -f1)
[ -n "$line_if" ] || fail "no 'if v < 0' in branch.go"

say "move the repository away; the scratch directory is gone already"
cd "$TRASH" || fail "cd"
ls "$TRASH/tmp" | grep -q . && { ls -la "$TRASH/tmp" >&2; fail "the scratch directory was left behind"; }
mv repo moved || fail "mv"
prof=$(printf '%s' "$prof" | sed "s|$TRASH/repo/|$TRASH/moved/|")
cd "$TRASH/moved/bp" || fail "cd"

say "go tool pprof -top"
go tool pprof -top "$prof" >top.txt 2>top.err || { show top.err; fail "pprof -top"; }
assert_contains top.txt "Type: cpu-clock"
assert_not_contains top.err "symbolization failed"
first=$(awk '/flat%/ { getline; print; exit }' top.txt)
case "$first" in *"branchprediction.EvalBranch (inline)") ;;
	*) show top.txt; fail "EvalBranch (inlined) is not the top function: $first" ;; esac
pct=$(printf '%s\n' "$first" | awk '{ sub("%", "", $2); print int($2) }')
[ "$pct" -ge 50 ] || { show top.txt; fail "EvalBranch has only $pct% of the samples"; }

say "go tool pprof -list (sources found through -source_path after the move)"
go tool pprof -list 'branchprediction.EvalBranch$' -trim_path="$TRASH/repo/bp" \
	-source_path="$TRASH/moved/bp" "$prof" >list.txt 2>list.err || { show list.err; fail "pprof -list"; }
assert_contains list.txt "ROUTINE ======================== example.com/perfgo/branchprediction.EvalBranch in"
grep -E "^ +[0-9.]+[mun]?s +[0-9.]+[mun]?s +$line_if:[[:space:]]+if v < 0 \{" list.txt >/dev/null ||
	{ show list.txt; fail "no samples on line $line_if (if v < 0) in -list"; }

say "go tool pprof -lines and -traces"
go tool pprof -top -lines "$prof" >lines.txt 2>&1 || { show lines.txt; fail "pprof -lines"; }
grep -E "branchprediction.EvalBranch (example.com/perfgo/branchprediction/)?branch.go:[0-9]+" lines.txt >/dev/null ||
	grep -E "EvalBranch .*branch.go:[0-9]+" lines.txt >/dev/null || { show lines.txt; fail "no file:line in -lines"; }
go tool pprof -traces "$prof" >traces.txt 2>&1 || { show traces.txt; fail "pprof -traces"; }
assert_contains traces.txt "branchprediction.BenchmarkBranchRandom"
assert_contains traces.txt "testing.(*B).runN"

say "go tool pprof -raw: mapping, build ID, sample types, labels"
go tool pprof -raw "$prof" >raw.txt 2>&1 || { show raw.txt; fail "pprof -raw"; }
map=$(awk '/^Mappings/ { getline; print; exit }' raw.txt)
file=$(printf '%s\n' "$map" | awk '{ print $3 }')
bid=$(printf '%s\n' "$map" | awk '{ print $4 }')
stored="$TRASH/moved/.perfgo/$file"
[ -f "$stored" ] || { show raw.txt; fail "the mapping's file '$file' is not in the store"; }
case "$file" in "binaries/$(sha256sum "$stored" | cut -c1-64)/branchprediction.test") ;;
	*) fail "the stored binary is not named by its sha256: $file" ;; esac
assert_eq "$(go tool buildid "$stored")" "$bid" "the mapping's build ID"
# The stored binary is an artifact of the run, with its size and sha256.
assert_eq "$file|$(stat -c %s "$stored")|$(sha256sum "$stored" | cut -c1-64)" \
	"$(DB=$TRASH/moved/.perfgo/perfgo.db sql "SELECT a.path, a.size, a.sha256 FROM artifacts a
	JOIN runs r ON r.seq = a.run_seq WHERE r.id = '$run' AND a.kind = 'binary'")" "the binary's artifact row"
printf '%s\n' "$map" | grep -q '\[FN\]\[FL\]\[LN\]\[IN\]' || fail "the main mapping is not marked symbolized: $map"
start=$(printf '%s\n' "$map" | awk '{ split($2, a, "/"); print a[1] }')
assert_eq 0x400000 "$start" "the mapping's start (Go's non-PIE text)"
assert_contains raw.txt "samples/count cpu-clock/nanoseconds"
grep -E "benchmark:\[$B\]" raw.txt >/dev/null || { show raw.txt; fail "no benchmark label"; }
grep -E "pid:\[[0-9]+\]" raw.txt >/dev/null || fail "no pid label"
grep -E "tid:\[[0-9]+\]" raw.txt >/dev/null || fail "no tid label"

say "the flame graph: self-contained, the tree as pprof counts it"
flame=${prof%.pb.gz}.flame.html
[ -s "$flame" ] || fail "no flame graph at $flame"
assert_eq 1 "$(DB=$TRASH/moved/.perfgo/perfgo.db sql "SELECT count(*) FROM artifacts WHERE kind = 'flamegraph'
	AND path LIKE '%/$B.flame.html'")" "flame graph artifacts"
grep -Eiq '(src|href)=|https?:|@import' "$flame" && fail "the flame graph loads something from elsewhere"
# The embedded tree: the root holds every sample's period, children never
# exceed their parent, and EvalBranch sits under BenchmarkBranchRandom.
py 'import json, re, sys
h = open(sys.argv[1]).read()
d = json.loads(re.search(r"const D = (.*?);\nconst N", h, re.S).group(1))
names, root = d["names"], d["root"]
assert d["unit"] == "nanoseconds", d["unit"]
assert names[root[0]] == sys.argv[2], names[root[0]]
def walk(n, path):
    assert sum(c[1] for c in n[2]) <= n[1]
    path = path + [names[n[0]] if n[0] else "?"]
    yield path, n[1]
    for c in n[2]:
        yield from walk(c, path)
hot = max(v for p, v in walk(root, []) if p[-1].endswith(".EvalBranch") and any(x.endswith(".BenchmarkBranchRandom") for x in p))
assert hot * 2 >= root[1], (hot, root[1])
print(root[1], hot)' "$flame" "$B" >flame.txt 2>&1 || { cat flame.txt >&2; fail "the flame graph's tree"; }
if command -v chromium >/dev/null 2>&1; then
	# A real browser runs the page's script: EvalBranch is drawn with its share.
	timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=1200,800 \
		--dump-dom "file://$flame" >dom.html 2>/dev/null || fail "chromium could not render the flame graph"
	grep -Eq 'class="f"[^>]* title="example.com/perfgo/branchprediction.EvalBranch [0-9.]+ms \(([5-9][0-9]|100)\.[0-9]+%\)"' dom.html ||
		{ grep -o 'title="[^"]*"' dom.html | head -20 >&2; fail "the rendered flame graph has no EvalBranch frame with >= 50%"; }
else
	say "chromium is not installed: the flame graph is not rendered (its data was checked)"
fi

say "perfgo view: the top functions of the run's profile, as pprof counts them"
expect_code 0 perfgo view
assert_contains "$OUT" "profile $prof"
vrow=$(awk '/flat%        cum   cum%  function/ { getline; print; exit }' "$OUT")
case "$vrow" in *"branchprediction.EvalBranch") ;; *) show "$OUT"; fail "view's top function: $vrow" ;; esac
# pprof prints e.g. "56.25ms"; view "56.25ms": the same flat time.
pflat=$(printf '%s\n' "$first" | awk '{ print $1 }' | sed 's/ms$//')
vflat=$(printf '%s\n' "$vrow" | awk '{ print $1 }' | sed 's/ms$//')
py 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(a - b) > 0.01)' "$pflat" "$vflat" ||
	fail "view's flat time $vflat ms differs from pprof's $pflat ms"

say "--diff-base: a difference flame graph against the first run, and pprof -diff_base reads both"
expect_code 0 perfgo test profile --diff-base "$(echo "$run" | cut -c1-8)" -- . -bench='BranchRandom$' -benchtime=200x
assert_eq 2 "$(line_count "$OUT")" "files listed"
prof2=$(sed -n 1p "$OUT")
dflame=$(sed -n 2p "$OUT")
assert_eq "${prof2%.pb.gz}.diff.flame.html" "$dflame" "the difference graph's path"
assert_contains "$ERR" "go tool pprof -diff_base $prof $prof2"
# Its tree holds both: the root's base value is the first profile's total.
py 'import json, re, sys
def tree(f):
    h = open(f).read()
    return json.loads(re.search(r"const D = (.*?);\nconst N", h, re.S).group(1))
d, b, n = tree(sys.argv[1]), tree(sys.argv[2]), tree(sys.argv[3])
assert d["diff"] is True and b["diff"] is False
assert d["root"][3] == b["root"][1], (d["root"][3], b["root"][1])
assert d["root"][1] == n["root"][1], (d["root"][1], n["root"][1])' "$dflame" "$flame" "${prof2%.pb.gz}.flame.html" ||
	fail "the difference graph's totals"
# -raw, not -top: -top drops functions whose difference is about nothing
# (two runs of the same code on an idle VM: EvalBranch was left out once).
go tool pprof -raw -diff_base "$prof" "$prof2" >diff.txt 2>&1 || { show diff.txt; fail "pprof -diff_base"; }
assert_contains diff.txt "branchprediction.EvalBranch"
expect_code 2 perfgo test profile --diff-base ffffffff -- . -bench='BranchRandom$' -benchtime=10x
assert_contains "$ERR" "perfgo: error: '--diff-base ffffffff' names no single stored run"
assert_eq 1 "$(grep -c . "$ERR")" "lines of the --diff-base error"

say "--diff-base <revision>: the newest profile of that commit from a clean tree"
git -C "$TRASH/moved" add -A && git -C "$TRASH/moved" commit -q -m "the tree as profiled" ||
	fail "commit"
expect_code 2 perfgo test profile --diff-base HEAD -- . -bench='BranchRandom$' -benchtime=10x
assert_contains "$ERR" "perfgo: error: '--diff-base HEAD': commit $(git rev-parse --short=8 HEAD) has no stored 'test profile' run from a clean tree"
expect_code 0 perfgo test profile -- . -bench='BranchRandom$' -benchtime=200x
prof3=$(cat "$OUT")
expect_code 0 perfgo test profile --diff-base HEAD -- . -bench='BranchRandom$' -benchtime=200x
assert_contains "$ERR" "go tool pprof -diff_base $prof3 "

say "recording is limited to the benchmark: initburn's init() is not in its profile"
cd "$TRASH/moved/initburn" || fail "cd"
expect_code 0 perfgo test profile -c 1000000 -- . -benchtime=100000x
iprof=$(cat "$OUT")
go tool pprof -traces "$iprof" >itraces.txt 2>&1 || { show itraces.txt; fail "pprof -traces"; }
assert_contains itraces.txt "initburn.BenchmarkWork"
assert_not_contains itraces.txt "initburn.init"
# -c fixes the period: the profile says so, and every sample is a whole period.
go tool pprof -raw "$iprof" >iraw.txt 2>&1 || { show iraw.txt; fail "pprof -raw"; }
assert_contains iraw.txt "Period: 1000000"
awk '/^Samples:/ { s = 1; next } /^Locations/ { s = 0 } s && $2 ~ /^[0-9]+:$/ {
	n = $1; v = $2; sub(":", "", v); if (v != n * 1000000) bad = 1 } END { exit bad }' iraw.txt ||
	{ show iraw.txt; fail "a sample is not a whole number of 1000000 ns periods"; }

say "a crashing benchmark: exit 4, its partial profile kept"
copy_fixture crash "$TRASH/moved/crash"
cd "$TRASH/moved/crash" || fail "cd"
expect_code 4 perfgo test profile -- . -bench=Suicide -benchtime=300000000x
assert_contains "$ERR" "perfgo: error: benchmark 'BenchmarkSuicide' in 'example.com/crash' died: Killed"
assert_contains "$ERR" "perfgo: warning: kept the partial profile of 'BenchmarkSuicide' (up to its failure)"
cprof=$(cat "$OUT")
go tool pprof -top "$cprof" >ctop.txt 2>&1 || { show ctop.txt; fail "pprof -top of the partial profile"; }
assert_contains ctop.txt "crash.BenchmarkSuicide"
assert_eq "failed|4" "$(DB=$TRASH/moved/.perfgo/perfgo.db sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" "the crashed run"
cd "$TRASH/moved/initburn" || fail "cd"

say "Ctrl-C while perf records: exit 130, the run interrupted, nothing left running"
recording() { pgrep -f "^perf record .*$TMPDIR/perfgo-.*-test.bench=\\^BenchmarkWork\\$" >/dev/null; }
"$PERFGO" test profile -- . -benchtime=1000000000x >"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
wait_until 60 recording || { kill "$pid"; show "$TRASH/bg.err"; fail "perf record did not start"; }
kill -s INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { show "$TRASH/bg.err"; fail "SIGINT: exit $rc, expected 130"; }
assert_eq "interrupted|130" "$(DB=$TRASH/moved/.perfgo/perfgo.db sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" "the interrupted run"
left=$(pgrep -f -- "$TMPDIR/perfgo-" | tr '\n' ' ')
[ -z "$left" ] || { ps -o pid,args -p "$left" >&2; fail "processes left after SIGINT: $left"; }

say "usage errors"
expect_code 2 perfgo test profile -c 1000 -F 99 -- . -benchtime=10x
assert_contains "$ERR" "perfgo: error: '--count' and '--freq' exclude each other"
expect_code 2 perfgo test profile --call-graph=xyz -- . -benchtime=10x
assert_contains "$ERR" "perfgo: error: unknown call graph 'xyz': use fp, dwarf or lbr"
expect_code 2 perfgo test profile -e cycles -- . -benchtime=10x
assert_contains "$ERR" "perfgo: error: event 'cycles' is not supported on this runner (no hardware PMU"
expect_code 2 perfgo test stat -c 1000 -- . -benchtime=10x
assert_contains "$ERR" "need 'perfgo test profile'"

say "ok"
