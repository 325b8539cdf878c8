#!/bin/sh
# t4000: `perfgo test|compare|run --remote-host` against a real sshd on loopback
# (tests/cli/sshd.sh; the "remote" is this machine, reached over ssh, with
# its own TMPDIR, so what the remote side leaves behind is visible).
#
# Proves:
#  - remote and local `test stat` on the same module give the same
#    benchmarks, metrics and event states; the remote fingerprint carries
#    the ssh destination as host and otherwise this machine's facts (read
#    remotely); `default` mode streams the remote test output and exits 4
#    on a failing test; a benchmark killed by a signal under remote perf
#    (perf exits 0) is still found and exits 4;
#  - hostile names never execute: a package directory named with $(...),
#    backquotes, ';' and quotes, and -run/-bench regexps with those and a
#    newline, arrive verbatim (the test prints its cwd; the benchmark is
#    measured) and no canary file appears; testdata/ and the package's
#    non-Go files are staged, Go files are not;
#  - compare and run with --remote-host measure every side on the remote
#    (runs fingerprinted with the ssh destination) and leave nothing there;
#  - --keep keeps the remote directory and says where; two concurrent runs
#    from one repository both succeed with distinct remote directories;
#  - Ctrl-C during a remote job: exit 130, run 'interrupted', no remote
#    process and no remote directory left, no ssh master left;
#  - a closed port, a refused key and a lost connection (the master killed
#    mid-run) exit 3 with one error line; the repetitions measured before
#    the loss stay in the database; a host starting with '-' is a usage
#    error (exit 2), never an ssh option.
#
# No hardware PMU here: the runs count software events (and record the
# hardware ones as unsupported, remotely as locally).
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/sshd.sh"

sshd_start
S=$(bench_suffix)
REMOTE_HOME=$(getent passwd "$(id -un)" | cut -d: -f6)

# Nothing of perfgo's runs or stays on the "remote" side, and no master.
remote_clean() {
	left=$(pgrep -f -- "$REMOTE_TMP" | tr '\n' ' ')
	[ -z "$left" ] || {
		ps -o pid,args -p "$(echo $left | tr ' ' ,)" >&2
		fail "$1: remote processes left: $left"
	}
	[ -z "$(ls -A "$REMOTE_TMP")" ] || { ls -lA "$REMOTE_TMP" >&2; fail "$1: remote files left"; }
	masters=$(pgrep -f -- "$SSHD_DIR/ssh_config .* -M -N" | tr '\n' ' ')
	[ -z "$masters" ] || fail "$1: ssh master left: $masters"
	[ -z "$(ls -A "$TMPDIR")" ] || { ls -lA "$TMPDIR" >&2; fail "$1: local temporary files left"; }
}

no_canary() {
	found=$(find "$TRASH" -name 'canary*')
	[ -z "$found" ] || fail "a canary was created: $found"
	[ ! -e "$REMOTE_HOME/canary" ] || fail "a canary was created in '$REMOTE_HOME'"
}

# The directory a --keep run names in "kept the remote directory '<dir>' on '<host>'".
kept_dir() {
	sed -n "s/^perfgo: kept the remote directory '\\(.*\\)' on '$SSH_HOST'\$/\\1/p" "$1"
}

copy_fixture basic repo
git_init repo
cd repo || fail "cd"

say "test stat, locally and remotely"
# Calibrated loops (-benchtime=100ms): over ssh the gate opens up to a round
# trip (plus scheduling on a loaded machine) late, a tiny loop would be missed.
expect_code 0 perfgo test stat . -benchtime=100ms
loc=$(last_run)
expect_code 0 perfgo test stat --remote-host "$SSH_HOST" . -benchtime=100ms
rem=$(last_run)
cp "$OUT" "$TRASH/remote.out"
remote_clean "test stat"
assert_eq "ok|0" "$(sql "SELECT status, exit_code FROM runs WHERE id = '$rem'")" "remote run"
metrics() {
	sql "SELECT DISTINCT b.name || ' ' || s.metric FROM samples s
		JOIN benchmarks b ON b.id = s.benchmark_id JOIN runs r ON r.seq = s.run_seq
		WHERE r.id = '$1' ORDER BY 1"
}
metrics "$loc" >"$TRASH/local.metrics"
metrics "$rem" >"$TRASH/remote.metrics"
assert_contains "$TRASH/remote.metrics" "BenchmarkSum$S task-clock-ns/op"
assert_contains "$TRASH/remote.metrics" "BenchmarkSub/n=64$S elems/op"
cmp -s "$TRASH/local.metrics" "$TRASH/remote.metrics" ||
	{ diff "$TRASH/local.metrics" "$TRASH/remote.metrics" >&2; fail "benchmarks and metrics differ"; }
events() {
	sql "SELECT e.event || ' ' || e.state FROM run_events e JOIN runs r ON r.seq = e.run_seq
		WHERE r.id = '$1' ORDER BY 1"
}
assert_eq "$(events "$loc")" "$(events "$rem")" "event states, local vs remote"
assert_contains "$TRASH/remote.out" "BenchmarkSum$S  (N="
# The remote fingerprint: the destination as host, this machine's facts read over ssh.
facts="cpu_model, cores, kernel, perf_version, go_version, goos, goarch, goamd64,
	gomaxprocs, paranoid, pmu, aslr, governor, smt"
fp() {
	sql "SELECT $facts FROM fingerprints f JOIN runs r ON r.fingerprint_id = f.id WHERE r.id = '$1'"
}
assert_eq "$(fp "$loc")" "$(fp "$rem")" "fingerprint facts, local vs remote"
assert_eq "$SSH_HOST" "$(sql "SELECT f.host FROM fingerprints f JOIN runs r
	ON r.fingerprint_id = f.id WHERE r.id = '$rem'")" "remote fingerprint host"

say "default mode remotely"
expect_code 0 perfgo test --remote-host "$SSH_HOST" . -run TestSum -v
assert_contains "$OUT" "--- PASS: TestSum"
assert_eq "ok|0" "$(sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" "default run"
copy_fixture failing "$TRASH/failing"
cd "$TRASH/failing" || fail "cd failing"
expect_code 4 perfgo test --remote-host "$SSH_HOST" . -run TestBroken
assert_contains "$OUT" "--- FAIL: TestBroken"
assert_contains "$ERR" "perfgo: error: tests of 'example.com/failing' failed (exit 1)"
# perf exits 0 when its workload dies by a signal: detected from the output, as locally.
copy_fixture crash "$TRASH/crash"
cd "$TRASH/crash" || fail "cd crash"
expect_code 4 perfgo test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=10x -bench=Suicide
assert_contains "$ERR" "perfgo: error: benchmark 'BenchmarkSuicide' in 'example.com/crash' died: Killed"
cd "$TRASH/repo" || fail "cd"
remote_clean "default mode"

say "hostile package directory and regexps, --keep"
base="p \$(touch canary); \`touch canary\`; 'q\" x"
H="$TRASH/$base"
make_module "$H" example.com/hostile
mkdir -p "$H/testdata/sub"
echo payload >"$H/testdata/in.txt"
echo deep >"$H/testdata/sub/deep.txt"
echo notes >"$H/notes.txt"
cat >"$H/hostile_test.go" <<'EOF'
package hostile

import (
	"os"
	"path/filepath"
	"testing"
)

var sink int

func TestData(t *testing.T) {
	for f, want := range map[string]string{"testdata/in.txt": "payload\n",
		"testdata/sub/deep.txt": "deep\n", "notes.txt": "notes\n"} {
		b, err := os.ReadFile(f)
		if err != nil || string(b) != want {
			t.Fatalf("%s: %q %v", f, b, err)
		}
	}
	if _, err := os.Stat("hostile_test.go"); err == nil {
		t.Fatal("Go files were staged")
	}
	wd, _ := os.Getwd()
	t.Logf("cwd base <%s>", filepath.Base(wd))
}

func BenchmarkRead(b *testing.B) {
	data, err := os.ReadFile("testdata/in.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := 0
	for i := 0; i < b.N; i++ {
		for k := 0; k < 1000; k++ {
			for _, c := range data {
				s += int(c)
			}
		}
	}
	sink = s
}
EOF
cd "$H" || fail "cd hostile"
re="Read|Data|\$(touch canary);\`touch canary\`;'\"
x"
expect_code 0 perfgo test --keep --remote-host "$SSH_HOST" . -run "$re" -v
assert_contains "$OUT" "--- PASS: TestData"
assert_contains "$OUT" "cwd base <$base>"
kept=$(kept_dir "$ERR")
[ -n "$kept" ] || { show "$ERR"; fail "--keep did not say where"; }
case "$kept" in "$REMOTE_TMP"/perfgo.*) ;; *) fail "kept directory '$kept' not under '$REMOTE_TMP'" ;; esac
[ -x "$kept/p0.test" ] || fail "no test binary in the kept directory"
[ -f "$kept/p0/$base/testdata/sub/deep.txt" ] && [ -f "$kept/p0/$base/notes.txt" ] &&
	[ -f "$kept/p0/$base/go.mod" ] || { ls -laR "$kept" >&2; fail "package files not staged"; }
[ ! -e "$kept/p0/$base/hostile_test.go" ] || fail "Go files staged"
rm -rf "$kept"
expect_code 0 perfgo test stat --remote-host "$SSH_HOST" -e task-clock . -bench "$re" -benchtime=100ms
assert_eq "BenchmarkRead$S" "$(DB=.perfgo/perfgo.db sql "SELECT DISTINCT b.name FROM samples s
	JOIN benchmarks b ON b.id = s.benchmark_id WHERE s.metric = 'task-clock-ns/op'")" \
	"benchmark measured through a hostile regexp"
no_canary
remote_clean "hostile names"
cd "$TRASH/repo" || fail "cd"

say "two concurrent remote runs"
"$PERFGO" test stat --keep --remote-host "$SSH_HOST" -e task-clock . -bench Sum -benchtime=1000000x \
	-count 2 >"$TRASH/a.out" 2>"$TRASH/a.err" &
p1=$!
"$PERFGO" test stat --keep --remote-host "$SSH_HOST" -e task-clock . -bench Alloc -benchtime=1000000x \
	-count 2 >"$TRASH/b.out" 2>"$TRASH/b.err" &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
[ "$rc1" -eq 0 ] || { show "$TRASH/a.err"; fail "first concurrent run: exit $rc1"; }
[ "$rc2" -eq 0 ] || { show "$TRASH/b.err"; fail "second concurrent run: exit $rc2"; }
d1=$(kept_dir "$TRASH/a.err")
d2=$(kept_dir "$TRASH/b.err")
[ -n "$d1" ] && [ -n "$d2" ] && [ "$d1" != "$d2" ] || fail "remote directories '$d1' and '$d2'"
[ -x "$d1/p0.test" ] && [ -x "$d2/p0.test" ] || fail "kept directories without binaries"
assert_contains "$TRASH/a.out" "BenchmarkSum$S  (N=1000000, 2 reps)"
assert_contains "$TRASH/b.out" "BenchmarkAlloc$S  (N=1000000, 2 reps)"
rm -rf "$d1" "$d2"
remote_clean "concurrent runs"

say "Ctrl-C during a remote job"
copy_fixture slow "$TRASH/slow"
cd "$TRASH/slow" || fail "cd slow"
remote_job_running() {
	pgrep -f "$REMOTE_TMP/perfgo\\..*/p0\\.test .*-test\\.bench=\\^BenchmarkSleep\\\$" >/dev/null
}
"$PERFGO" test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=6000x -count 3 \
	>"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
wait_until 60 remote_job_running || { show "$TRASH/bg.err"; fail "the remote job did not start"; }
# The master's control socket directory (in the scratch directory, or under /tmp).
ctl=$(pgrep -af -- "$SSHD_DIR/ssh_config .* -M -N" | sed -n 's|.*ControlPath=\([^ ]*\)/%C.*|\1|p')
[ -d "$ctl" ] || fail "no control socket directory ('$ctl')"
kill -s INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { show "$TRASH/bg.err"; fail "Ctrl-C: exit $rc, expected 130"; }
assert_eq "interrupted|130" "$(DB=.perfgo/perfgo.db sql "SELECT status, exit_code FROM runs
	ORDER BY seq DESC LIMIT 1")" "run after Ctrl-C"
remote_clean "Ctrl-C"
[ ! -e "$ctl" ] || fail "control socket directory '$ctl' left"

say "connection lost mid-run"
"$PERFGO" test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=200x -count 20 \
	>"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
measured() {
	[ "$(DB=.perfgo/perfgo.db sql "SELECT count(*) FROM samples s JOIN runs r ON r.seq = s.run_seq
		WHERE r.status = 'running'")" -gt 0 ]
}
wait_until 60 measured || { show "$TRASH/bg.err"; fail "no repetition was measured"; }
for m in $(pgrep -f -- "$SSHD_DIR/ssh_config .* -M -N"); do
	kill -9 "$m"
done
wait "$pid"
rc=$?
[ "$rc" -eq 3 ] || { show "$TRASH/bg.err"; fail "lost connection: exit $rc, expected 3"; }
assert_eq 1 "$(grep -c '^perfgo: error: ' "$TRASH/bg.err")" "error lines after a lost connection"
assert_contains "$TRASH/bg.err" "perfgo: error: lost the connection to '$SSH_HOST'"
assert_eq "failed|3" "$(DB=.perfgo/perfgo.db sql "SELECT status, exit_code FROM runs
	ORDER BY seq DESC LIMIT 1")" "run after a lost connection"
[ "$(DB=.perfgo/perfgo.db sql "SELECT count(DISTINCT s.rep) FROM samples s
	JOIN runs r ON r.seq = s.run_seq WHERE r.seq = (SELECT max(seq) FROM runs)")" -ge 1 ] ||
	fail "the repetitions measured before the loss are gone"
# The remote job outlived its connection: end it (ours only), drop its directory.
for p in $(pgrep -f -- "$REMOTE_TMP"); do
	kill -9 "$p" 2>/dev/null
done
rm -rf "$REMOTE_TMP"/perfgo.*
cd "$TRASH/repo" || fail "cd"

say "compare and run --remote-host: every side measured on the remote box"
git commit -q --allow-empty -m "second" || fail "commit"
# Three repetitions per side cannot reach p < 0.05 (the smallest two-sided
# p of 3 against 3 is 0.1): an A/A comparison that must exit 0.
expect_code 0 perfgo compare --remote-host "$SSH_HOST" HEAD~1 HEAD -- . -bench=Sum -benchtime=100ms -count 3
assert_contains "$OUT" "BenchmarkSum$S"
assert_contains "$OUT" "runner: $SSH_HOST, "
assert_eq "compare|ok|$SSH_HOST
compare base|ok|$SSH_HOST
compare head|ok|$SSH_HOST" "$(sql "SELECT r.command, r.status, f.host FROM runs r JOIN fingerprints f
	ON f.id = r.fingerprint_id WHERE r.command LIKE 'compare%' ORDER BY r.seq")" "compare runs on the remote"
assert_eq 6 "$(sql "SELECT count(DISTINCT r.seq || '/' || s.rep) FROM samples s JOIN runs r ON r.seq = s.run_seq
	WHERE r.command LIKE 'compare %'")" "remote repetitions"
remote_clean "compare --remote-host"
expect_code 0 perfgo run --remote-host "$SSH_HOST" HEAD -- . -bench=Sum -benchtime=100ms
assert_contains "$OUT" "measured"
assert_eq "ok|$SSH_HOST" "$(sql "SELECT r.status, f.host FROM runs r JOIN fingerprints f
	ON f.id = r.fingerprint_id WHERE r.command = 'run'")" "run on the remote"
remote_clean "run --remote-host"
expect_code 2 perfgo compare --remote-host '-oProxyCommand=touch canary' HEAD~1
expect_code 2 perfgo run --remote-host '-oProxyCommand=touch canary' HEAD
no_canary

say "unreachable host, refused key, hostile host"
expect_code 3 perfgo test stat --remote-host closed .
assert_eq 1 "$(line_count "$ERR")" "stderr lines for a closed port"
assert_contains "$ERR" "perfgo: error: cannot connect to 'closed': ssh: connect to host 127.0.0.1 port"
assert_contains "$ERR" "Connection refused"
expect_code 3 perfgo test --remote-host nokey .
assert_eq 1 "$(line_count "$ERR")" "stderr lines for a refused key"
assert_contains "$ERR" "perfgo: error: cannot connect to 'nokey': "
assert_contains "$ERR" "Permission denied (publickey)"
expect_code 2 perfgo test stat --remote-host '-oProxyCommand=touch canary' .
assert_eq "perfgo: error: remote host '-oProxyCommand=touch canary' starts with '-' (ssh would read it as an option)" \
	"$(cat "$ERR")" "hostile host"
expect_code 2 perfgo test --remote-host= .
no_canary
remote_clean "failed connections"
sshd_stop
