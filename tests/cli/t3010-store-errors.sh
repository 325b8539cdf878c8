#!/bin/sh
# t3010: store errors that say what to do.
#
# Proves: a read-only .perfgo (its owner is another user) can still be
# browsed: `perfgo list` and `perfgo view` exit 0 and show the run (before:
# exit 3, "cannot read the schema version ... attempt to write a readonly
# database" from switching the journal mode), while a command that records
# a run exits 3 with one line naming the read-only database and the fix.  A
# full file system (a 1 MB tmpfs in a private mount namespace, filled up)
# gives one line naming the file system's mount point and the fix, not
# "disk I/O error" or "database or disk is full".
#
# Root ignores file modes, so the read-only checks run as the unprivileged
# user perfgo-test (created as in t1060, kept); both parts need root and
# skip with a note without it.
. "$(dirname "$0")/lib.sh"

copy_fixture basic repo
git_init repo
cd repo || fail "cd"

if [ "$(id -u)" -ne 0 ]; then
	say "SKIP: read-only and full-disk checks need root (setpriv, unshare -m)"
	exit 0
fi

expect_code 0 perfgo test stat -e task-clock . -bench=Sum -benchtime=2000x
id=$(last_run)
id8=$(echo "$id" | cut -c1-8)

say "read-only .perfgo: reading works, writing says what to do"
U=perfgo-test
id -u "$U" >/dev/null 2>&1 || useradd -M -r -d /nonexistent -s /bin/sh "$U" 2>/dev/null ||
	id -u "$U" >/dev/null 2>&1 || fail "cannot create user '$U'"
chmod 755 "$TRASH"
mkdir -p "$TRASH/uhome" && chown "$U" "$TRASH/uhome" || fail "user home"
chmod -R a+rX,a-w .perfgo || fail "chmod"
as_user() {
	setpriv --reuid=$U --regid="$(id -g "$U")" --clear-groups \
		env HOME="$TRASH/uhome" GOCACHE="$TRASH/uhome/gocache" TMPDIR="$TRASH/uhome" "$@"
}
expect_code 0 as_user "$PERFGO" list
assert_contains "$OUT" "$id8"
assert_empty "$ERR"
expect_code 0 as_user "$PERFGO" view "$id8"
assert_contains "$OUT" "run:       $id"
expect_code 3 as_user "$PERFGO" test stat -e task-clock . -bench=Sum -benchtime=2000x
assert_eq 1 "$(grep -c '^perfgo: error:' "$ERR")" "error lines"
assert_contains "$ERR" "in database '$TRASH/repo/.perfgo/perfgo.db': it is read-only: make '$TRASH/repo/.perfgo' and its files writable, or set PERFGO_DIR to a writable directory"
chmod -R u+w .perfgo

say "full file system"
mkdir "$TRASH/small"
cat >"$TRASH/full.sh" <<EOF2
#!/bin/sh
# In a private mount namespace: a 1 MB tmpfs as the store, filled up.
mount -t tmpfs -o size=1m tmpfs "$TRASH/small" || exit 99
export PERFGO_DIR="$TRASH/small/store"
"$PERFGO" test stat -e task-clock . -bench=Sum -benchtime=2000x >/dev/null 2>&1 || exit 98
dd if=/dev/zero of="$TRASH/small/fill" bs=4k >/dev/null 2>&1
exec "$PERFGO" test stat -e task-clock . -bench=Sum -benchtime=2000x
EOF2
chmod +x "$TRASH/full.sh"
unshare -m "$TRASH/full.sh" >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 99 ]; then
	say "SKIP full-disk check: no private mount namespace with tmpfs here"
	exit 0
fi
[ "$rc" -eq 3 ] || { show "$ERR"; fail "full file system: exit $rc, expected 3"; }
assert_eq 1 "$(grep -c '^perfgo: error:' "$ERR")" "error lines"
assert_contains "$ERR" "the file system mounted at '$TRASH/small' is full: free space there, or set PERFGO_DIR"
assert_not_contains "$ERR" "disk I/O error"
