#!/bin/sh
# t9013: remote directories a perfgo killed with SIGKILL left over ssh are
# swept by a later --remote-host run, and only those (real sshd on
# loopback, tests/cli/sshd.sh; the "remote" is this machine with its own
# TMPDIR).
#
# Each remote directory holds an owner record: this machine's boot id,
# perfgo's pid namespace, pid and start time.  Proves:
#  - a perfgo killed with SIGKILL during a remote job leaves its directory
#    with the record naming it; after its processes are gone, the next run
#    removes that directory;
#  - of fabricated directories beside it, the next run removes exactly
#    those whose owner is of this boot and namespace and gone: a pid that no
#    longer runs, and a pid that runs but started at another time (reused);
#    it keeps a live owner's (this shell), a record of another boot, of
#    another pid namespace, a directory without a record (an older
#    perfgo's, or one being made), a gone owner under a name mktemp does not
#    make, and anything not named perfgo.*;
#  - --keep removes the record, so a kept directory is never swept.
. "$(dirname "$0")/lib.sh"
. "$SRC_ROOT/tests/cli/sshd.sh"

sshd_start
boot=$(cat /proc/sys/kernel/random/boot_id)
ns=$(readlink /proc/self/ns/pid)
# start time of pid $1 (field 22 of /proc/<pid>/stat; the name has no spaces here).
start_of() { awk '{ print $22 }' "/proc/$1/stat"; }
# owner DIR RECORD: a directory as perfgo makes it, with its owner record.
owner() { mkdir -p "$REMOTE_TMP/$1" && printf '%s\n' "$2" >"$REMOTE_TMP/$1/.perfgo-owner"; }

copy_fixture slow slow
git_init slow
cd slow || fail "cd"

say "SIGKILL during a remote job leaves the directory and its record"
remote_job_running() {
	pgrep -f "$REMOTE_TMP/perfgo\\..*/p0\\.test .*-test\\.bench=\\^BenchmarkSleep\\\$" >/dev/null
}
"$PERFGO" test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=6000x -count 3 \
	>"$TRASH/bg.out" 2>"$TRASH/bg.err" &
pid=$!
wait_until 60 remote_job_running || { show "$TRASH/bg.err"; fail "the remote job did not start"; }
kill -9 "$pid"
wait "$pid"
# What SIGKILL leaves running (the ssh master and sessions, the remote job): ours, ended.
for p in $(pgrep -f -- "$SSHD_DIR/ssh_config") $(pgrep -f -- "$REMOTE_TMP"); do
	kill -9 "$p" 2>/dev/null
done
killed=$(ls -d "$REMOTE_TMP"/perfgo.*)
[ -d "$killed" ] || fail "no remote directory after SIGKILL: '$killed'"
read -r b n p t <"$killed/.perfgo-owner" || fail "no owner record in '$killed'"
assert_eq "$boot $ns $pid" "$b $n $p" "the owner record"
[ "$t" -gt 0 ] || fail "start time '$t'"

say "fabricated directories beside it"
sh -c 'exit 0' &
dead=$!
wait "$dead"
owner perfgo.Dead0001 "$boot $ns $dead 12345"
owner perfgo.Live0001 "$boot $ns $$ $(start_of $$)"
owner perfgo.Reus0001 "$boot $ns $$ 1"
owner perfgo.Boot0001 "00000000-0000-0000-0000-000000000000 $ns $dead 12345"
owner perfgo.Nspc0001 "$boot pid:[1] $dead 12345"
owner perfgo.dead-long-name "$boot $ns $dead 12345"
owner notperfgo.X0000001 "$boot $ns $dead 12345"
mkdir -p "$REMOTE_TMP/perfgo.Norec001"

say "the next run removes the directories of owners that are gone"
expect_code 0 perfgo test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=100x -count 1
assert_eq "notperfgo.X0000001 perfgo.Boot0001 perfgo.Live0001 perfgo.Norec001 perfgo.Nspc0001 perfgo.dead-long-name" \
	"$(ls "$REMOTE_TMP" | sort | tr '\n' ' ' | sed 's/ $//')" "remote directories left"
assert_eq "$boot $ns $$ $(start_of $$)" "$(cat "$REMOTE_TMP/perfgo.Live0001/.perfgo-owner")" \
	"the live owner's record"

say "--keep: the kept directory has no record and stays"
expect_code 0 perfgo test stat --keep --remote-host "$SSH_HOST" -e task-clock . -benchtime=100x -count 1
kept=$(sed -n "s/^perfgo: kept the remote directory '\\(.*\\)' on '$SSH_HOST'\$/\\1/p" "$ERR")
[ -d "$kept" ] || { show "$ERR"; fail "--keep did not keep '$kept'"; }
[ ! -e "$kept/.perfgo-owner" ] || fail "the kept directory still has its owner record"
expect_code 0 perfgo test stat --remote-host "$SSH_HOST" -e task-clock . -benchtime=100x -count 1
[ -d "$kept" ] || fail "a later run swept the kept directory"
echo "ok: $TEST_NAME"
