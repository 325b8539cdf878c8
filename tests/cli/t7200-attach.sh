#!/bin/sh
# t7200: perfgo attach on Kubernetes, through the real kubectl.
#
# No cluster can run here, so kubectl talks to tests/cli/kubestub.py, a
# Kubernetes API stand-in on loopback (discovery, pods, nodes, WebSocket
# exec v5/v4 that runs the command on this host; its header says what it
# checks and why its Pod checks are its own).  The target is a real Go
# process this test starts and moves into a cgroup named by the target
# container's ID, as a container runtime would, so the perf pod's PID search
# and the real `perf stat -p` run on it.
#
# Proves: attach stat measures the target (task-clock CPUs > 0 stored as a
# run with the node's facts) and deletes its perf pod; the manifest is
# valid (hostPID, privileged, no token, deadline = windows + wait + margin,
# tolerations for the node's taints, DNS-1123 name within 63 characters for
# a 60-character pod name and a dotted node name); sidecars are skipped
# unless named; --container with a missing name is exit 2 naming the
# containers; --node measures system-wide (-a); attach shell prints the
# target PIDs and runs sh in the perf pod on its input; ErrImagePull, Unschedulable
# and PodSecurity refusal fail early with exit 3 and the reason (and the
# pod is deleted); --perf-namespace works around the refusal; SIGINT and
# SIGTERM delete the pod (exit 130/143, run interrupted); after kill -9 the
# pod stays with its deadline and --cleanup deletes it; a hostile
# container ID is refused before anything runs in the perf pod; outside a
# repository without PERFGO_DIR the store is the user's own, said once.
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/kube-lib.sh"

kube_require

APP_ID=$(printf '%064x' $$ | tr ' ' 0 | cut -c1-64)
APP_ID=$(echo "a1b2c3${APP_ID}" | cut -c1-64)
SIDE_ID=$(echo "5eed${APP_ID}" | cut -c1-64)

# The target: a Go program that burns CPU until killed, in the app's cgroup;
# a sleep in the sidecar's.
make_module target example.com/target
cat >target/main.go <<'EOF'
package main

func main() {
	x := 1
	for {
		for i := 0; i < 1000000; i++ {
			x = x*31 + i
		}
		if x == 42 {
			println(x)
		}
	}
}
EOF
(cd target && go build -o "$TRASH/target.bin" .) || fail "go build of the target"
kube_cgroups "$APP_ID" "$SIDE_ID"
kube_start "$APP_ID" target "$TRASH/target.bin"
APP_PID=$KUBE_PID
kube_start "$SIDE_ID" sidecar sleep 600

LONG=p123456789-123456789-123456789-123456789-123456789-123456789
[ ${#LONG} -eq 60 ] || fail "the long pod name is ${#LONG} characters"
cat >cluster.json <<EOF
{"nodes": {
  "node-1.example.com": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1.example.com"},
    "spec": {"taints": [{"key": "dedicated", "value": "perf", "effect": "NoSchedule"},
                        {"key": "node.kubernetes.io/disk-pressure", "effect": "NoExecute"}]},
    "status": {"nodeInfo": {"architecture": "amd64"}}},
  "gpu-node": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "gpu-node"}, "spec": {}}},
 "unschedulable": ["gpu-node"],
 "pull_fail": ["registry.invalid/perf:none"],
 "restricted": ["locked"],
 "pods": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "shop"},
   "spec": {"nodeName": "node-1.example.com",
            "containers": [{"name": "app", "image": "app:1"}, {"name": "istio-proxy", "image": "proxy:1"}]},
   "status": {"phase": "Running", "containerStatuses": [
     {"name": "app", "containerID": "containerd://$APP_ID", "state": {"running": {}}},
     {"name": "istio-proxy", "containerID": "containerd://$SIDE_ID", "state": {"running": {}}}]}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "$LONG", "namespace": "locked"},
   "spec": {"nodeName": "node-1.example.com", "containers": [{"name": "app", "image": "app:1"}]},
   "status": {"phase": "Running", "containerStatuses": [
     {"name": "app", "containerID": "containerd://$APP_ID", "state": {"running": {}}}]}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "gpu-job", "namespace": "shop"},
   "spec": {"nodeName": "gpu-node", "containers": [{"name": "app", "image": "app:1"}]},
   "status": {"phase": "Running", "containerStatuses": [
     {"name": "app", "containerID": "containerd://$APP_ID", "state": {"running": {}}}]}},
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "evil", "namespace": "shop"},
   "spec": {"nodeName": "node-1.example.com", "containers": [{"name": "app", "image": "app:1"}]},
   "status": {"phase": "Running", "containerStatuses": [
     {"name": "app", "containerID": "containerd://abc;touch $TRASH/pwned", "state": {"running": {}}}]}}
 ]}
EOF
kube_stub

# log_ops OP: the API log's entries of one kind, one JSON per line.
log_ops() {
	py 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["op"] == sys.argv[2]: print(json.dumps(r))' api.log "$1"
}

say "attach stat on a pod: the app container, not the sidecar"
expect_code 0 perfgo attach stat --pod web-1 -n shop -d 1 -r 2 -e task-clock -e context-switches
assert_contains "$OUT" "target: shop/web-1"
assert_contains "$OUT" "app  (2 windows)"
assert_contains "$OUT" "task-clock-cpus"
log_ops create-pod >creates
assert_eq 1 "$(line_count creates)" "perf pods created"
py 'import json,sys
r = json.loads(open(sys.argv[1]).readline())
assert r["errors"] == [], r["errors"]
p = r["pod"]; s = p["spec"]; c = s["containers"][0]
assert s["hostPID"] is True and s["nodeName"] == "node-1.example.com"
assert s["automountServiceAccountToken"] is False
assert s["activeDeadlineSeconds"] == 1 * 2 + 120 + 120, s["activeDeadlineSeconds"]
assert c["securityContext"]["privileged"] is True
keys = sorted(t.get("key", "") for t in s["tolerations"])
assert keys == ["dedicated", "node.kubernetes.io/disk-pressure"], keys
assert all(t["operator"] == "Exists" for t in s["tolerations"])
assert p["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "perfgo"
assert p["metadata"]["name"].startswith("perfgo-shop-web-1-"), p["metadata"]["name"]
' creates || fail "the perf pod manifest"
# The PID search got the app's ID as an argument, not the sidecar's; perf
# stat was given the target's PID.
log_ops exec >execs
assert_contains execs "\"$APP_ID\""
assert_not_contains execs "$SIDE_ID"
assert_contains execs "\"-p\", \"$APP_PID\""
assert_eq "" "$(perf_pods)" "perf pods left after success"
log_ops delete-pod | grep -q '"found": true' || fail "the perf pod was not deleted"
id=$(sql "SELECT id FROM runs ORDER BY started_ns DESC LIMIT 1")
assert_eq "ok|attach stat|shop/web-1" "$(sql "SELECT status, command, packages FROM runs WHERE id='$id'")" "the run"
# The configuration names the cluster's context (kubeconfig's current one), namespace, pod, node.
sql "SELECT config_json FROM runs WHERE id='$id'" | py 'import json,sys
c = json.load(sys.stdin)
assert (c["context"], c["namespace"], c["pod"], c["node"]) == ("stub", "shop", "web-1", "node-1.example.com"), c' ||
	fail "the run's configuration"
# The target burned CPU: its task-clock was counted (any positive share).
n=$(sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq WHERE r.id='$id' AND s.metric='task-clock-cpus' AND s.value > 0.01")
[ "$n" -ge 2 ] || fail "task-clock of the target: $n positive windows"
expect_code 0 perfgo view "$id"
assert_contains "$OUT" "node-1.example.com"

say "a named sidecar is measured; a missing container is a usage error"
: >api.log
expect_code 0 perfgo attach stat --pod web-1 -n shop --container istio-proxy -d 1 -r 1 -e task-clock
log_ops exec >execs
grep -q "$SIDE_ID" execs || fail "the named sidecar was not searched"
expect_code 2 perfgo attach stat --pod web-1 -n shop --container db -d 1
assert_contains "$ERR" "pod 'web-1' has no container 'db' (it has: app, istio-proxy)"
expect_code 2 perfgo attach stat --pod nope -n shop -d 1
assert_contains "$ERR" "no pod 'nope' in namespace 'shop'"

say "node mode counts system-wide"
: >api.log
expect_code 0 perfgo attach stat --node node-1.example.com -d 1 -r 1 -e task-clock
log_ops exec | grep '"perf", "stat"' | grep -q '"-a"' || fail "node mode without -a"
assert_contains "$OUT" "target: node/node-1.example.com"

say "early failures: image pull, unschedulable, PodSecurity"
expect_code 3 perfgo attach stat --pod web-1 -n shop -d 1 --perf-image registry.invalid/perf:none
assert_contains "$ERR" "ErrImagePull"
assert_contains "$ERR" "--perf-image"
assert_eq "" "$(perf_pods)" "perf pods left after ErrImagePull"
expect_code 3 perfgo attach stat --pod gpu-job -n shop -d 1
assert_contains "$ERR" "Unschedulable"
assert_eq "" "$(perf_pods)" "perf pods left after Unschedulable"
expect_code 3 perfgo attach stat --pod "$LONG" -n locked -d 1
assert_contains "$ERR" "namespace 'locked' refused the privileged perf pod"
assert_contains "$ERR" "--perf-namespace"
: >api.log
expect_code 0 perfgo attach stat --pod "$LONG" -n locked --perf-namespace perf -d 1 -r 1 -e task-clock
name=$(log_ops create-pod | py 'import json,sys; print(json.loads(sys.stdin.readline())["pod"]["metadata"]["name"])')
[ ${#name} -le 63 ] || fail "perf pod name of ${#name} characters: $name"
log_ops create-pod | grep -q '"errors": \[\]' || fail "the long name's manifest was refused"

say "attach shell: the target PIDs, then a shell in the perf pod"
# No terminal here: kubectl says it cannot use one and runs the shell on
# the piped input, which is what an interactive user types.
: >api.log
printf 'echo "attached $((6 * 7))"\nexit 0\n' >shell.in
expect_code 0 sh -c '"$0" attach shell --pod web-1 -n shop <shell.in' "$PERFGO"
assert_contains "$OUT" "container 'app': $APP_PID"
assert_contains "$OUT" "attached 42"
log_ops exec >execs
grep -q '"command": \["sh"\], "stdin": true' execs ||
	{ show api.log; fail "attach shell did not exec sh with stdin"; }
assert_eq "" "$(perf_pods)" "perf pods left after attach shell"

say "a hostile container ID is refused before anything runs"
: >api.log
expect_code 3 perfgo attach stat --pod evil -n shop -d 1
assert_contains "$ERR" "has a container ID perfgo does not understand"
[ -z "$(log_ops exec)" ] || fail "something ran in a perf pod for a hostile ID"
[ ! -e "$TRASH/pwned" ] || fail "the hostile ID was executed"

say "SIGINT and SIGTERM delete the perf pod"
for sig in INT TERM; do
	: >api.log
	"$PERFGO" attach stat --pod web-1 -n shop -d 30 -r 1 -e task-clock >"$OUT" 2>"$ERR" &
	pg=$!
	wait_until 60 grep -q '"perf", "stat", "-x,"' api.log || fail "the count did not start ($sig)"
	kill -s "$sig" "$pg"
	wait "$pg"
	rc=$?
	case $sig in INT) want=130 ;; TERM) want=143 ;; esac
	[ "$rc" -eq "$want" ] || { show "$ERR"; fail "exit $rc after SIG$sig, expected $want"; }
	assert_eq "" "$(perf_pods)" "perf pods left after SIG$sig"
	st=$(sql "SELECT status FROM runs ORDER BY started_ns DESC LIMIT 1")
	assert_eq interrupted "$st" "run status after SIG$sig"
done

say "kill -9 leaves the pod to its deadline; --cleanup deletes it"
: >api.log
"$PERFGO" attach stat --pod web-1 -n shop -d 30 -r 1 -e task-clock >"$OUT" 2>"$ERR" &
pg=$!
wait_until 60 grep -q '"perf", "stat", "-x,"' api.log || fail "the count did not start (kill -9)"
kill -9 "$pg"
wait "$pg" 2>/dev/null
left=$(perf_pods)
[ -n "$left" ] || fail "no perf pod after kill -9 (the test cannot show the deadline)"
kubectl get $left -n shop -o jsonpath='{.spec.activeDeadlineSeconds}' >deadline
[ "$(cat deadline)" -eq $((30 + 120 + 120)) ] || fail "deadline after kill -9: $(cat deadline)"
expect_code 0 perfgo attach --cleanup
assert_contains "$OUT" "deleted pod 'perfgo-shop-web-1-"
assert_eq "" "$(perf_pods)" "perf pods left after --cleanup"

say "outside a repository without PERFGO_DIR: the user's store, said once"
unset PERFGO_DIR
expect_code 0 perfgo attach stat --pod web-1 -n shop -d 1 -r 1 -e task-clock
assert_contains "$ERR" "results go to '$HOME/.local/share/perfgo'"
[ "$(grep -c 'results go to' "$ERR")" -eq 1 ] || fail "the store was announced more than once"
[ -f "$HOME/.local/share/perfgo/perfgo.db" ] || fail "no store in the user's data directory"

say "usage errors"
expect_code 2 perfgo attach stat -d 1
assert_contains "$ERR" "exactly one of --pod and --node"
expect_code 2 perfgo attach stat --pod web-1 -n 'Shop!' -d 1
assert_contains "$ERR" "'Shop!' is not a namespace name"
expect_code 2 perfgo attach stat --pod web-1 -d 0
expect_code 2 perfgo attach frob --pod web-1
# Names go to kubectl as words: one that would read as a kubectl option is refused.
expect_code 2 perfgo attach stat --pod=--kubeconfig=/tmp/evil -n shop -d 1
assert_contains "$ERR" "'--kubeconfig=/tmp/evil' is not a pod name"
expect_code 2 perfgo attach stat --node=-a -d 1
assert_contains "$ERR" "'-a' is not a node name"

# The token never reaches perfgo's output or store.
! grep -rq t7200-token "$TRASH/store" "$HOME/.local/share/perfgo" || fail "the token reached a store"
exit 0
