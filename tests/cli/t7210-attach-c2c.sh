#!/bin/sh
# t7210: perfgo attach cache-to-cache|c2c on Kubernetes, through the real
# kubectl and tests/cli/kubestub.py (the API stand-in of t7200: it runs
# exec'd commands on this host, so the perf pod's view is this host's).
#
# Proves:
# - for real, without a stand-in: this VM cannot sample memory accesses, so
#   the probe `perf c2c record -- true` in the perf pod fails and perfgo
#   says so in test c2c's one line, naming the node, exit 3; no run is
#   stored and the perf pod is deleted;
# - with a perf stand-in (below): pod mode records the target's PID
#   (`perf c2c record -o <file in the pod> -p <pid> -- sleep <d>`), runs
#   `perf c2c report` there with test c2c's options, brings its stdout
#   back, and reports it as test c2c does (verdict, numbers, fix; text,
#   Markdown, JSON) with the code addresses named from the target's
#   executable, copied out of the pod from /proc/<pid>/exe and kept once by
#   content as binaries/<sha256>/<name> (byte-identical to the binary that
#   ran); the run is stored ('attach c2c', artifacts) and `perfgo view`
#   shows it again byte for byte; the data file in the pod is removed and
#   the perf pod deleted; node mode records with -a and copies nothing;
#   SIGINT while recording deletes the pod (exit 130, run interrupted);
#   usage errors for options of other modes (exit 2).
#
# Stand-in: `perf c2c record` cannot run here (no PMU, no IBS/SPE), so the
# stand-in tests/cli/fakeperf-c2c.py is put first in the PATH of the API
# stand-in, whose exec runs commands with its environment: it checks the
# argv shape, sleeps the duration, and prints a real recorded report (the
# AMD IBS fixture) with its code addresses moved onto functions of the
# executable of the first PID it was given; every other perf call (the
# node probe's perf --version and perf stat) goes to the real perf.
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/kube-lib.sh"

kube_require

APP_ID=$(printf 'c2c0%060x' $$ | cut -c1-64)

kube_burn
kube_cgroups "$APP_ID"
kube_start "$APP_ID" target "$TRASH/burn"
APP_PID=$KUBE_PID
kube_one_pod "$APP_ID"
# The API stand-in's exec runs with its PATH: $TRASH/perfbin first, where
# the perf stand-in is linked in for the recording cases.
mkdir -p perfbin
kube_stub PATH="$TRASH/perfbin:$PATH" FAKEPERF_C2C_LOG="$TRASH/perf.log"

say "for real: the node cannot sample memory accesses, exit 3, nothing stored"
expect_code 3 perfgo attach c2c --pod web-1 -n shop -d 1
assert_eq "perfgo: error: 'perf c2c record' cannot sample memory accesses on node 'node-1.example.com' (perf: 'failed: memory events not supported'; it needs Intel load-latency events, AMD IBS or Arm SPE, which VMs and most CI runners lack): attach to a workload on a bare-metal node, or analyse a report made there with 'perfgo test c2c --input'" \
	"$(grep error "$ERR")" "the no-memory-sampling error"
assert_empty "$OUT"
assert_eq "" "$(perf_pods)" "perf pods left after the refusal"
[ ! -f "$DB" ] || assert_eq 0 "$(sql "SELECT count(*) FROM runs")" "runs stored without memory sampling"
[ ! -e "/tmp/$(pod_name)-c2c.data" ] || fail "the probe's data file was left in the pod"

ln -s "$SRC_ROOT/tests/cli/fakeperf-c2c.py" perfbin/perf || fail "symlink"

say "pod mode with the perf stand-in: verdict, names from the pod's binary, stored"
: >api.log
expect_code 0 perfgo attach cache-to-cache --pod web-1 -n shop -d 1
cp "$OUT" report.txt
assert_contains report.txt "== shop/web-1 =="
assert_contains report.txt "verdicts: 1 false sharing, 0 true sharing, of 1 cache lines"
assert_contains report.txt "fix: move the fields at offsets 0x30, 0x38 onto separate cache lines"
grep -q 'example.com/perfgo/falsesharing.Run.func1  false_sharing.go:46$' report.txt ||
	{ show report.txt; fail "Run.func1 not named from the pod's binary"; }
assert_contains "$ERR" "perfgo: recording shop/web-1 under perf c2c for 1 s"
name=$(pod_name)
py '
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("[\"c2c")]
data = "/tmp/%s-c2c.data" % sys.argv[2]
assert [c[1] for c in calls] == ["record", "record", "report"], calls
assert calls[0][2:] == ["-o", data, "--", "true"], calls[0]
assert calls[1][2:] == ["-o", data, "-p", sys.argv[3], "--", "sleep", "1"], calls[1]
assert calls[2][2:] == ["-i", data, "--stdio", "--full-symbols", "-NN", "-c", "pid,iaddr"], calls[2]
' perf.log "$name" "$APP_PID" || { show perf.log; fail "perf argv in the pod"; }
grep '"op": "exec"' api.log | grep -q "\"cat\", \"/proc/$APP_PID/exe\"" || fail "the binary was not copied through exec"
[ ! -e "/tmp/$name-c2c.data" ] || fail "the data file was left in the pod"
assert_eq "" "$(perf_pods)" "perf pods left after success"
id=$(last_run)
assert_eq "attach c2c|ok|0|shop/web-1" \
	"$(sql "SELECT command || '|' || status || '|' || exit_code || '|' || packages FROM runs WHERE id='$id'")" "the run"
sha=$(sha256sum "$TRASH/burn" | cut -d' ' -f1)
assert_eq "binaries/$sha/burn binary|c2c-report|report-json|report-markdown|report-text" \
	"$(sql "SELECT group_concat(x, '|') FROM (SELECT CASE a.kind WHEN 'binary' THEN a.path || ' binary' ELSE a.kind END AS x FROM artifacts a JOIN runs r ON r.seq = a.run_seq WHERE r.id='$id' AND a.kind NOT IN ('stdout', 'stderr') ORDER BY a.kind)")" "artifacts"
cmp -s "$TRASH/burn" "$TRASH/store/binaries/$sha/burn" || fail "the kept binary differs from the target's"
assert_contains "$TRASH/store/runs/$id/c2c-report.txt" "Shared Data Cache Line Table"

say "view shows it again"
expect_code 0 perfgo view "$id"
assert_contains "$OUT" "command:   perfgo attach c2c"
sed -n '/^--- report-text/,/^artifacts:/p' "$OUT" | sed '1d;$d' >viewed.txt
cmp -s report.txt viewed.txt || { show viewed.txt; fail "view differs from what attach c2c printed"; }
expect_code 0 perfgo view "$id" --format json
py '
import json, sys
r = json.load(open(sys.argv[1]))["runs"]
assert len(r) == 1 and r[0]["target"] == "shop/web-1" and r[0]["node"] == "node-1.example.com", r[0]
assert r[0]["containers"] == [{"name": "app", "pids": [int(sys.argv[2])]}], r[0]["containers"]
assert r[0]["binary"] == "binaries/%s/burn" % sys.argv[3], r[0]["binary"]
l = r[0]["report"]["cache_lines"][0]
assert l["verdict"]["verdict"] == "false sharing", l["verdict"]
assert l["rows"][0]["function"] == "example.com/perfgo/falsesharing.Run.func1", l["rows"][0]
' "$OUT" "$APP_PID" "$sha" || fail "view --format json"

say "Markdown and JSON, as test c2c prints them"
expect_code 0 perfgo attach c2c --pod web-1 -n shop -d 1 --format markdown
assert_contains "$OUT" "# shop/web-1"
assert_contains "$OUT" "**1 false sharing**, 0 true sharing, of 1 cache lines."
expect_code 0 perfgo attach c2c --pod web-1 -n shop -d 1 --format json --top 0
py 'import json,sys; assert json.load(open(sys.argv[1]))["runs"][0]["report"]["cache_lines"][0]["verdict"]["verdict"] == "false sharing"' "$OUT" ||
	fail "--format json"
[ "$(ls "$TRASH/store/binaries")" = "$sha" ] || fail "the binary was kept more than once: $(ls "$TRASH/store/binaries")"

say "node mode: -a, no binary copied"
: >api.log
: >perf.log
expect_code 0 perfgo attach c2c --node node-1.example.com -d 1
assert_contains "$OUT" "== node/node-1.example.com =="
assert_contains "$OUT" "verdicts: 1 false sharing"
grep '"record"' perf.log | grep -q '"-a", "--", "sleep", "1"' || { show perf.log; fail "node mode without -a"; }
! grep -q '"cat", "/proc/[0-9]*/exe"' api.log || fail "node mode copied a binary"
id=$(last_run)
assert_eq 0 "$(sql "SELECT count(*) FROM artifacts a JOIN runs r ON r.seq = a.run_seq WHERE r.id='$id' AND a.kind='binary'")" "node mode binaries"
assert_eq "" "$(perf_pods)" "perf pods left after node mode"

say "SIGINT while recording deletes the perf pod"
: >api.log
"$PERFGO" attach c2c --pod web-1 -n shop -d 30 >"$OUT" 2>"$ERR" &
pg=$!
wait_until 60 grep -q '"c2c", "record", "-o", "[^"]*", "-p"' api.log || fail "the record did not start"
kill -s INT "$pg"
wait "$pg"
rc=$?
[ "$rc" -eq 130 ] || { show "$ERR"; fail "exit $rc after SIGINT, expected 130"; }
assert_eq "" "$(perf_pods)" "perf pods left after SIGINT"
assert_eq interrupted "$(sql "SELECT status FROM runs ORDER BY started_ns DESC LIMIT 1")" "run status after SIGINT"

say "usage errors"
expect_code 2 perfgo attach c2c --pod web-1 -n shop -r 3
assert_contains "$ERR" "'-r' goes with 'attach stat'"
expect_code 2 perfgo attach c2c --pod web-1 -n shop -e cycles
assert_contains "$ERR" "'-e' goes with 'attach stat'"
expect_code 2 perfgo attach c2c --pod web-1 -n shop --format html
assert_contains "$ERR" "unknown format 'html': use text, markdown or json"
expect_code 2 perfgo attach stat --pod web-1 -n shop --top 3
assert_contains "$ERR" "'--top' goes with 'attach c2c'"
expect_code 2 perfgo attach frob --pod web-1 -n shop
assert_contains "$ERR" "unknown attach mode 'frob': use stat, profile, c2c or shell"
exit 0
