# The set-up the attach tests share (t7200, t7210, t7211): a workload in a
# container's cgroup on this host, and the real kubectl talking to
# tests/cli/kubestub.py, the Kubernetes API stand-in on loopback whose exec
# runs commands on this host (its header says what it checks).  A script
# sources lib.sh, then this file (as "$SRC_ROOT/tests/cli/kube-lib.sh": lib.sh
# has changed to $TRASH), and calls in this order:
#
#     kube_require                  skip (exit 0) unless kubectl >= 1.30, root
#                                   and a writable cgroup hierarchy ($CG)
#     kube_cgroups ID...            the pod's container cgroups $CGDIR/<ID>, and
#                                   the EXIT trap that empties and removes them
#                                   and stops the stand-in
#     kube_start ID WHAT CMD...     CMD in the background in container ID's
#                                   cgroup, its PID in $KUBE_PID
#     kube_stub [NAME=VALUE...]     the stand-in on cluster.json (with those
#                                   variables in its environment: its exec
#                                   runs with them), kubectl's kubeconfig;
#                                   exports KUBECONFIG and PERFGO_DIR, sets DB
#
# kube_burn builds examples/false-sharing's loop as $TRASH/burn, and
# kube_one_pod ID writes a cluster.json of one node and one pod (shop/web-1,
# container 'app' with ID).  Names (cgroups, the token) carry the script's
# number, $KUBE_T.

KUBE_T=${TEST_NAME%%-*}
CG=
CGDIR=
STUB_PID=

kube_require() {
	if ! command -v kubectl >/dev/null 2>&1; then
		say "SKIP: kubectl is not installed"
		exit 0
	fi
	# The stand-in serves exec over WebSocket only, kubectl's protocol since 1.30.
	minor=$(kubectl version --client -o json 2>/dev/null |
		py 'import json,sys,re; print(re.sub(r"\D.*", "", json.load(sys.stdin)["clientVersion"]["minor"]))')
	if [ "${minor:-0}" -lt 30 ]; then
		say "SKIP: kubectl 1.${minor:-?} speaks SPDY exec; the stand-in serves WebSocket (kubectl >= 1.30)"
		exit 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		say "SKIP: placing the target in a container's cgroup needs root"
		exit 0
	fi
	# A cgroup hierarchy this test may write: v1 pids, else the v2 tree.
	for d in /sys/fs/cgroup/pids /sys/fs/cgroup/unified /sys/fs/cgroup; do
		if [ -w "$d/cgroup.procs" ] && mkdir "$d/perfgo-$KUBE_T-$$" 2>/dev/null; then
			rmdir "$d/perfgo-$KUBE_T-$$"
			CG=$d
			break
		fi
	done
	[ -n "$CG" ] || { say "SKIP: no writable cgroup hierarchy"; exit 0; }
	CGDIR=$CG/perfgo-$KUBE_T-$$/kubepods/pod-$KUBE_T
}

kube_cg_cleanup() {
	[ -n "$CGDIR" ] || return 0
	for f in "$CGDIR"/*/cgroup.procs; do
		for p in $(cat "$f" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
	done
	sleep 0.2
	rmdir "$CGDIR"/* "$CGDIR" "$CG/perfgo-$KUBE_T-$$/kubepods" "$CG/perfgo-$KUBE_T-$$" 2>/dev/null
}

# lib.sh's cleanup takes the exit status from $?: keep the script's, not
# the kill's.
kube_finish() {
	rc=$?
	kube_cg_cleanup
	[ -n "$STUB_PID" ] && kill "$STUB_PID" 2>/dev/null
	(exit "$rc")
	cleanup
}

kube_cgroups() {
	for kube_id in "$@"; do
		mkdir -p "$CGDIR/$kube_id" || fail "cannot make cgroups"
	done
	trap kube_finish EXIT
}

kube_start() {
	kube_id=$1 kube_what=$2
	shift 2
	"$@" &
	KUBE_PID=$!
	echo "$KUBE_PID" >"$CGDIR/$kube_id/cgroup.procs" || fail "cannot move the $kube_what"
}

kube_burn() {
	mkdir -p fs && cp -R "$SRC_ROOT/examples/false-sharing/." fs/ && mkdir -p fs/cmd/burn
	cat >fs/cmd/burn/main.go <<'EOF'
package main

import falsesharing "example.com/perfgo/falsesharing"

func main() {
	var m falsesharing.Metrics
	for {
		falsesharing.Run(&m.RequestsTotal, &m.CronJobRuns, 100000)
	}
}
EOF
	(cd fs && go build -o "$TRASH/burn" ./cmd/burn) || fail "go build of the target"
}

kube_one_pod() {
	cat >cluster.json <<EOF
{"nodes": {
  "node-1.example.com": {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "node-1.example.com"},
    "spec": {}, "status": {"nodeInfo": {"architecture": "amd64"}}}},
 "pods": [
  {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web-1", "namespace": "shop"},
   "spec": {"nodeName": "node-1.example.com", "containers": [{"name": "app", "image": "app:1"}]},
   "status": {"phase": "Running", "containerStatuses": [
     {"name": "app", "containerID": "containerd://$1", "state": {"running": {}}}]}}
 ]}
EOF
}

kube_stub() {
	env "$@" python3 "$SRC_ROOT/tests/cli/kubestub.py" --config "$TRASH/cluster.json" \
		--log "$TRASH/api.log" --port-file "$TRASH/port" &
	STUB_PID=$!
	wait_until 30 test -s port || fail "the API stand-in did not start"
	cat >kubeconfig <<EOF
apiVersion: v1
kind: Config
clusters:
- name: stub
  cluster: {server: "http://127.0.0.1:$(cat port)"}
contexts:
- name: stub
  context: {cluster: stub, user: tester}
current-context: stub
users:
- name: tester
  user: {token: $KUBE_T-token}
EOF
	export KUBECONFIG="$TRASH/kubeconfig"
	export PERFGO_DIR="$TRASH/store"
	DB=$TRASH/store/perfgo.db
}

perf_pods() {
	kubectl get pods -A -l app.kubernetes.io/managed-by=perfgo -o name
}

# The perf pod's name from the API log's (last) create.
pod_name() {
	py 'import json,sys
n = [json.loads(l)["pod"]["metadata"]["name"] for l in open(sys.argv[1]) if "\"create-pod\"" in l]
print(n[-1])' api.log
}
