#!/bin/sh
# t7211: perfgo attach profile on Kubernetes, through the real kubectl and
# tests/cli/kubestub.py (the API stand-in of t7200: exec runs the command
# on this host, so the real perf records a real Go process placed in the
# target container's cgroup; cpu-clock, as this VM has no PMU).
#
# Proves: pod mode runs `perf record -q -o <file in the pod> -e cpu-clock
# --call-graph fp -p <pid> -- sleep <d>` and `perf script` with the fields
# test profile's converter reads in the perf pod, brings the script back
# and writes one pprof file and one flame graph as test profile does; the
# target's executable is copied out of the pod (/proc/<pid>/exe), kept by
# content as binaries/<sha256>/<name>, and the profile is symbolized from
# it: `go tool pprof` shows the hot function with its file and line and
# names the kept copy as the main mapping; the run is stored ('attach
# profile', artifacts) and `perfgo view` shows its top functions; the data
# file in the pod is removed and the perf pod deleted; node mode records
# with -a; usage errors for -r, two -e and --format.
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/kube-lib.sh"

kube_require

APP_ID=$(printf 'a0f1%060x' $$ | cut -c1-64)

kube_burn
kube_cgroups "$APP_ID"
kube_start "$APP_ID" target "$TRASH/burn"
APP_PID=$KUBE_PID
kube_one_pod "$APP_ID"
kube_stub

say "pod mode: perf record in the pod, pprof symbolized from the pod's binary"
expect_code 0 perfgo attach profile --pod web-1 -n shop -d 2
cp "$OUT" out.txt
assert_contains "$ERR" "perfgo: profiling shop/web-1 (cpu-clock) for 2 s"
name=$(pod_name)
py '
import json, sys
ex = [json.loads(l)["command"] for l in open(sys.argv[1]) if "\"op\": \"exec\"" in l]
data = "/tmp/%s-profile.data" % sys.argv[2]
rec = [c for c in ex if c[:2] == ["perf", "record"]]
assert rec == [["perf", "record", "-q", "-o", data, "-e", "cpu-clock", "--call-graph", "fp",
                "-p", sys.argv[3], "--", "sleep", "2"]], rec
scr = [c for c in ex if "script" in c]
assert scr == [["env", "LC_ALL=C", "perf", "script", "-i", data, "-F",
                "comm,tid,pid,time,period,event,ip,sym,dso", "--show-mmap-events"]], scr
assert ["cat", "/proc/%s/exe" % sys.argv[3]] in ex, ex
' api.log "$name" "$APP_PID" || fail "commands in the perf pod"
[ ! -e "/tmp/$name-profile.data" ] || fail "the data file was left in the pod"
assert_eq "" "$(perf_pods)" "perf pods left after success"
id=$(last_run)
assert_eq "attach profile|ok|0|shop/web-1" \
	"$(sql "SELECT command || '|' || status || '|' || exit_code || '|' || packages FROM runs WHERE id='$id'")" "the run"
sha=$(sha256sum "$TRASH/burn" | cut -d' ' -f1)
assert_eq "binaries/$sha/burn|runs/$id/shop_web-1.flame.html|runs/$id/shop_web-1.pb.gz" \
	"$(sql "SELECT group_concat(a.path, '|') FROM (SELECT a.path FROM artifacts a JOIN runs r ON r.seq = a.run_seq WHERE r.id='$id' AND a.kind IN ('binary', 'pprof', 'flamegraph') ORDER BY a.path) a")" "artifacts"
cmp -s "$TRASH/burn" "$TRASH/store/binaries/$sha/burn" || fail "the kept binary differs from the target's"
assert_contains out.txt "profile $TRASH/store/runs/$id/shop_web-1.pb.gz"
assert_contains out.txt "example.com/perfgo/falsesharing.count"
# pprof reads it with the binary gone from its old place: names, files, lines.
mv "$TRASH/burn" "$TRASH/burn.moved"
(cd "$TRASH/store" && go tool pprof -top -lines "runs/$id/shop_web-1.pb.gz") >top.txt 2>top.err ||
	{ show top.err; fail "go tool pprof"; }
grep -q 'falsesharing.count .*false_sharing.go:3[0-9]' top.txt || { show top.txt; fail "pprof -lines"; }
(cd "$TRASH/store" && go tool pprof -raw "runs/$id/shop_web-1.pb.gz") >raw.txt 2>&1 || fail "pprof -raw"
grep -A1 '^Mappings' raw.txt | grep -q "binaries/$sha/burn" || { show raw.txt; fail "main mapping"; }
mv "$TRASH/burn.moved" "$TRASH/burn"
expect_code 0 perfgo view "$id"
assert_contains "$OUT" "command:   perfgo attach profile"
assert_contains "$OUT" "example.com/perfgo/falsesharing.count"

say "node mode: -a, no binary copied"
: >api.log
expect_code 0 perfgo attach profile --node node-1.example.com -d 1
grep '"perf", "record"' api.log | grep -q '"-a", "--", "sleep", "1"' || fail "node mode without -a"
! grep -q '"cat", "/proc/[0-9]*/exe"' api.log || fail "node mode copied a binary"
assert_contains "$OUT" "profile $TRASH/store/runs/"
assert_eq "" "$(perf_pods)" "perf pods left after node mode"

say "usage errors"
expect_code 2 perfgo attach profile --pod web-1 -n shop -r 2
assert_contains "$ERR" "'-r' goes with 'attach stat'"
expect_code 2 perfgo attach profile --pod web-1 -n shop -e cpu-clock -e task-clock
assert_contains "$ERR" "one '-e'"
expect_code 2 perfgo attach profile --pod web-1 -n shop --format json
assert_contains "$ERR" "no '--format'"
exit 0
