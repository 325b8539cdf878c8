#!/bin/sh
# t1050: signals during a measurement.
#
# Proves: Ctrl-C (SIGINT to perfgo alone) while perf and the test binary
# run: exit 130, the run recorded 'interrupted' with exit code 130, no perf
# or test binary left, perfgo's temporary directory under $TMPDIR removed.
# SIGTERM: the same with 143.  kill -9: the database stays intact
# (PRAGMA integrity_check = ok), the run shows as incomplete in `perfgo list`,
# `list --format json` ("complete": false) and `view`, and the next run works;
# perf and the test binary die with perfgo within 2 s, and the next start
# removes the scratch directory the killed perfgo left (but not one whose
# owner still holds its lock).
#
# tests/go/slow sleeps 1 ms per op (little CPU), so a job lasts seconds.  No
# hardware PMU here: the runs count the software event task-clock only.
. "$(dirname "$0")/lib.sh"

copy_fixture slow repo
git_init repo
cd repo || fail "cd"
DB=$TRASH/repo/.perfgo/perfgo.db
PERFTMP=$TMPDIR

# A test binary of ours runs under perf (so a job is in flight).
job_running() {
	pgrep -f "$PERFTMP/perfgo-.*/0.test .*-test.bench=\\^BenchmarkSleep\\$" >/dev/null &&
	pgrep -f "^perf stat .*$PERFTMP/perfgo-" >/dev/null
}

# start_long: perfgo in the background on a ~6 s job; sets $pid.
start_long() {
	"$PERFGO" test stat -e task-clock . -benchtime=6000x -count 3 \
		>"$TRASH/bg.out" 2>"$TRASH/bg.err" &
	pid=$!
	wait_until 30 job_running || { show "$TRASH/bg.err"; fail "the job did not start"; }
	assert_eq running "$(sql "SELECT status FROM runs ORDER BY seq DESC LIMIT 1")" \
		"status while running"
}

# interrupt SIGNAL CODE: signal perfgo alone, then check the clean-up.
interrupt() {
	start_long
	kill -s "$1" "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" -eq "$2" ] || { show "$TRASH/bg.err"; fail "SIG$1: exit $rc, expected $2"; }
	id=$(last_run)
	assert_eq "interrupted|$2" "$(sql "SELECT status, exit_code FROM runs WHERE id = '$id'")" \
		"run after SIG$1"
	assert_contains "$TRASH/bg.err" "perfgo: interrupted: run $(echo "$id" | cut -c1-8) recorded as interrupted"
	left=$(pgrep -f -- "$PERFTMP" | tr '\n' ' ')
	[ -z "$left" ] || { ps -o pid,args -p "$left" >&2; fail "processes left after SIG$1: $left"; }
	[ -z "$(ls -A "$PERFTMP")" ] || { ls -lA "$PERFTMP" >&2; fail "temporary files left after SIG$1"; }
}

say "Ctrl-C"
interrupt INT 130
say "SIGTERM"
interrupt TERM 143

say "kill -9"
start_long
stale=$(ls -d "$PERFTMP"/perfgo-*)
kill -9 "$pid"
wait "$pid" 2>/dev/null
# perf and the test binary die with perfgo (within a second or two).
nothing_left() { [ -z "$(pgrep -f -- "$PERFTMP")" ]; }
if ! wait_until 2 nothing_left; then
	left=$(pgrep -f -- "$PERFTMP" | tr '\n' ' ')
	ps -o pid,args -p "$left" >&2
	for p in $left; do kill -9 "$p" 2>/dev/null; done
	fail "processes left 2 s after kill -9: $left"
fi
[ -d "$stale" ] || fail "no scratch directory left by kill -9 (expected '$stale')"
killed=$(last_run)
assert_eq ok "$(sql "PRAGMA integrity_check")" "integrity_check after kill -9"
assert_eq "running|" "$(sql "SELECT status, exit_code FROM runs WHERE id = '$killed'")" "run row after kill -9"
expect_code 0 perfgo list
grep -q "^$(echo "$killed" | cut -c1-8)  .*  incomplete  *-  *-  " "$OUT" ||
	{ show "$OUT"; fail "list does not show the killed run as incomplete"; }
expect_code 0 perfgo list --format json -n 1
py '
import json, sys
r, = json.load(open(sys.argv[1]))
if r["id"] != sys.argv[2] or r["complete"] is not False or r["status"] != "running" or r["exit_code"] is not None:
    sys.exit("killed run in list json: %r" % r)
' "$OUT" "$killed" || fail "list --format json after kill -9"
expect_code 0 perfgo view "$killed"
assert_contains "$OUT" "status:    incomplete (still running, or killed before it finished)"

# The store is usable: a short run completes and becomes the newest.
# The next start removes the scratch directory the killed perfgo left (its
# owner is gone), not one in use by another perfgo.
mkdir "$PERFTMP/perfgo-inuse"
echo $$ >"$PERFTMP/perfgo-inuse/.perfgo-owner"
flock "$PERFTMP/perfgo-inuse/.perfgo-owner" sleep 60 &
holder=$!
wait_until 5 sh -c "! flock -n '$PERFTMP/perfgo-inuse/.perfgo-owner' true" || fail "lock holder did not start"
expect_code 0 perfgo test stat -e task-clock . -benchtime=2x
assert_eq "ok|0" "$(sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" "run after kill -9"
[ ! -e "$stale" ] || fail "the stale scratch directory '$stale' is still there"
[ -d "$PERFTMP/perfgo-inuse" ] || fail "a scratch directory in use was removed"
kill "$holder"
wait "$holder" 2>/dev/null
rm -rf "$PERFTMP/perfgo-inuse"
assert_eq "interrupted interrupted running ok" \
	"$(sql "SELECT status FROM runs ORDER BY seq" | tr '\n' ' ' | sed 's/ $//')" "all runs"

# Ctrl-C while `go test -c` builds: perfgo stops the build and removes its
# scratch directory, go's work directory (GOTMPDIR, inside it) included.
# -a makes the build long enough to interrupt.
say "Ctrl-C during the build"
rm -rf "$PERFTMP" && mkdir "$PERFTMP"
"$PERFGO" test stat -e task-clock . -a -benchtime=2x >"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
building() {
	pgrep -f "^go test -c -o $PERFTMP/perfgo-" >/dev/null && ls -d "$PERFTMP"/perfgo-*/go-build* >/dev/null
}
wait_until 30 building || { show "$TRASH/bg.err"; fail "the build did not start"; }
kill -s INT "$pid"
wait "$pid"
rc=$?
[ "$rc" -eq 130 ] || { show "$TRASH/bg.err"; fail "Ctrl-C during the build: exit $rc, expected 130"; }
assert_eq "interrupted|130" "$(sql "SELECT status, exit_code FROM runs ORDER BY seq DESC LIMIT 1")" \
	"run interrupted during the build"
sleep 0.5
left=$(pgrep -f -- "$PERFTMP" | tr '\n' ' ')
[ -z "$left" ] || { ps -o pid,args -p "$left" >&2; fail "processes left after Ctrl-C during the build: $left"; }
[ -z "$(ls -A "$PERFTMP")" ] || { ls -lA "$PERFTMP" >&2; fail "temporary files left after Ctrl-C during the build: $(ls -A "$PERFTMP" | tr '\n' ' ')"; }
