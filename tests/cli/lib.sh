# Shared helpers for the end-to-end CLI tests (in the spirit of git's
# test-lib.sh).  A test script sources this file first:
#
#     . "$(dirname "$0")/lib.sh"
#
# and then runs $PERFGO through the helpers below.  Every test gets a
# private directory $TRASH (also its HOME and TMPDIR), removed on exit
# together with any process still running from it.  The first failed
# assertion prints what was expected and what happened, and exits 1.
#
# This machine has no hardware PMU (perf counts software events only), so
# tests assert on software events (task-clock, page-faults, ...) and on Go's
# own metrics, never on hardware counter values from the real perf.  The
# hardware path runs through tests/cli/fakeperf.py (t1070), a perf stand-in
# placed first in PATH that adds modelled hardware counts to the real
# perf's CSV.

set -u

: "${PERFGO:?set PERFGO to the perfgo binary under test (an absolute path)}"
case "$PERFGO" in /*) ;; *) echo "PERFGO must be an absolute path" >&2; exit 1 ;; esac

TEST_NAME=$(basename "$0" .sh)
SRC_ROOT=$(cd "$(dirname "$0")/../.." && pwd -P)
FIXTURES=$SRC_ROOT/tests/go

# Go: a cache shared by all tests (builds stay fast), no downloads, no
# toolchain switching.
export GOCACHE="${PERFGO_TEST_GOCACHE:-/tmp/perfgo-test-gocache}"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod GOPROXY=off
unset GOMAXPROCS PERFGO_DIR GIT_DIR GIT_WORK_TREE 2>/dev/null || true
# Tests run inside GitHub Actions too: compare must not report to the real
# GitHub from there (--github is on by default under GITHUB_ACTIONS=true).
unset GITHUB_ACTIONS GITHUB_TOKEN GITHUB_API_URL GITHUB_REPOSITORY GITHUB_SHA \
	GITHUB_EVENT_PATH GITHUB_STEP_SUMMARY GITHUB_OUTPUT 2>/dev/null || true
export NO_COLOR=1 LC_ALL=C
# --counters defaults to auto, which on this PMU-less machine would simulate
# with callgrind: the suite asserts on perf's software events, so it asks for
# perf; the simulation's tests (t1080) pass --counters sim or unset this.
export PERFGO_COUNTERS=perf

TRASH=$(mktemp -d "/tmp/perfgo-cli-$TEST_NAME.XXXXXX") || exit 1
TRASH=$(cd "$TRASH" && pwd -P)
mkdir -p "$TRASH/home" "$TRASH/tmp"
export HOME="$TRASH/home" TMPDIR="$TRASH/tmp"
export GIT_CONFIG_NOSYSTEM=1
OUT=$TRASH/stdout
ERR=$TRASH/stderr

# Kill whatever still runs from the trash directory (perfgo, perf, test
# binaries started by this test), then remove it.
cleanup() {
	rc=$?
	trap - EXIT INT TERM
	for pid in $(pgrep -f -- "$TRASH" 2>/dev/null); do
		[ "$pid" != "$$" ] && kill -9 "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	if [ "$rc" -ne 0 ] && [ -n "${KEEP_TRASH:-}" ]; then
		echo "kept $TRASH" >&2
	else
		rm -rf "$TRASH"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cd "$TRASH" || exit 1

say() {
	echo "# $*"
}

fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}

# perfgo ARGS...: run the binary under test (so scripts read naturally).
perfgo() {
	"$PERFGO" "$@"
}

# expect_code N CMD...: run CMD with stdout in $OUT and stderr in $ERR and
# fail unless it exits with N.
expect_code() {
	want=$1
	shift
	"$@" >"$OUT" 2>"$ERR"
	got=$?
	if [ "$got" -ne "$want" ]; then
		{
			echo "command: $*"
			echo "in: $(pwd)"
			echo "expected exit $want, got $got"
			echo "--- stdout"; cat "$OUT"
			echo "--- stderr"; cat "$ERR"
		} >&2
		fail "exit code $got, expected $want: $*"
	fi
}

# show FILE: print a file under a heading on stderr (diagnostics).
show() {
	echo "--- $1" >&2
	cat "$1" >&2 2>/dev/null
}

# assert_contains FILE TEXT: FILE has TEXT (a fixed string) somewhere.
assert_contains() {
	grep -F -q -e "$2" "$1" || { show "$1"; fail "'$1' does not contain '$2'"; }
}

assert_not_contains() {
	if grep -F -q -e "$2" "$1"; then
		show "$1"
		fail "'$1' contains '$2'"
	fi
}

# assert_eq EXPECTED ACTUAL WHAT
assert_eq() {
	[ "$1" = "$2" ] || fail "$3: expected '$1', got '$2'"
}

# assert_empty FILE
assert_empty() {
	[ ! -s "$1" ] || { show "$1"; fail "'$1' is not empty"; }
}

# line_count FILE
line_count() {
	wc -l <"$1" | tr -d ' '
}

# sql QUERY...: run sqlite3 on the store of the current directory's
# repository, or on $DB when set.
sql() {
	db=${DB:-.perfgo/perfgo.db}
	[ -f "$db" ] || fail "no database at '$db' (in $(pwd))"
	sqlite3 -batch -bail "$db" "$@" || fail "sqlite3 failed on '$db': $*"
}

# last_run: id of the newest run in the store.
last_run() {
	sql "SELECT id FROM runs ORDER BY started_ns DESC, seq DESC LIMIT 1"
}

# py SCRIPT [ARGS...]: run a python3 snippet (sys.argv[1:] = ARGS).
py() {
	script=$1
	shift
	python3 -c "$script" "$@"
}

# make_module DIR NAME: an empty Go module (go 1.19, no dependencies).
make_module() {
	mkdir -p "$1" && printf 'module %s\n\ngo 1.19\n' "$2" >"$1/go.mod"
}

# copy_fixture NAME DIR: copy tests/go/NAME to DIR.
copy_fixture() {
	mkdir -p "$(dirname "$2")" && cp -R "$FIXTURES/$1" "$2" ||
		fail "cannot copy fixture '$1'"
}

# git_init DIR: a repository with everything in DIR committed.
git_init() {
	git -C "$1" init -q &&
	git -C "$1" config user.name "perfgo test" &&
	git -C "$1" config user.email "test@perfgo.invalid" &&
	git -C "$1" add -A &&
	git -C "$1" commit -q -m "initial" || fail "git_init $1"
}

# bench_suffix: the -P suffix Go appends to benchmark names (none for 1).
bench_suffix() {
	n=$(nproc)
	[ "$n" -eq 1 ] || printf -- '-%s' "$n"
}

# wait_until SECONDS CMD...: poll CMD every 0.1 s until it succeeds.
wait_until() {
	limit=$(( $1 * 10 ))
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		[ "$i" -le "$limit" ] || return 1
		sleep 0.1
	done
}

# row_line FILE UNIT BENCH: the whole row of BENCH in UNIT's table of a
# compare report (for rows without a test column, such as not comparable);
# empty when there is no such row.
row_line() {
	python3 - "$@" <<'PYEOF'
import re, sys
path, unit, bench = sys.argv[1:]
table = None
for line in open(path, encoding="utf-8"):
    line = line.rstrip("\n")
    m = re.match(r"^(\S+): (lower|higher) is better", line)
    if m:
        table = m.group(1)
        continue
    if not line:
        table = None
    if table == unit and line.split(" ", 1)[0] == bench:
        print(line)
        break
PYEOF
}

# row_verdict FILE UNIT BENCH: from a `perfgo compare` text report, the
# verdict column and the sample counts of BENCH's row in UNIT's table, as
# "<verdict> n=<old>+<new>" (e.g. "regression n=10+10", "~ n=10+10",
# "inconclusive n=6+6"); empty when there is no such row or it has no test
# column.  Greps over the whole report also match other tables' rows (B/op,
# task-clock): use this.
row_verdict() {
	row_line "$@" | python3 -c '
import re, sys
m = re.search(r"\((?:p=\S+|exact) n=(\d+)\+(\d+)\)\s+(\S+)\s+(.*)$", sys.stdin.read().rstrip("\n"))
if m:
    print("%s n=%s+%s" % (m.group(4).split("  ")[0].strip(), m.group(1), m.group(2)))
'
}
