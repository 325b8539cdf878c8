# A throw-away sshd on loopback for the remote-execution tests.  Source it
# after lib.sh and call sshd_start:
#
#     . "$(dirname "$0")/lib.sh"
#     . "$SRC_ROOT/tests/cli/sshd.sh"     # lib.sh has cd-ed to $TRASH
#     sshd_start
#
# sshd_start runs /usr/sbin/sshd (it must be started by absolute path) as a
# child of the test shell, so that it is reaped, on a free port of
# 127.0.0.1, with fresh host and client keys under $SSHD_DIR (inside
# $TRASH): `UsePAM no` (key login for the current user), `StrictModes no`
# (the keys live under /tmp), password logins off.  Its sessions get
# TMPDIR=$REMOTE_TMP (sshd's SetEnv), so a test sees exactly what the
# "remote" side creates and leaves behind; $SSHD_SETENV, if set when
# sshd_start runs, adds more (space-separated NAME=VALUE, e.g. a PATH with
# a perf stand-in first).  /run/sshd (privilege separation)
# is created when missing.
#
# Clients: $SSHD_DIR/ssh_config knows the host key (StrictHostKeyChecking
# yes) and the client key; ssh reads ~/.ssh from the passwd entry, not from
# $HOME, so perfgo is pointed at a wrapper through PERFGO_SSH (exported):
# `$SSHD_DIR/ssh` runs `ssh -F $SSHD_DIR/ssh_config "$@"`.  Set by
# sshd_start: SSH_HOST (user@127.0.0.1), SSHD_PORT, SSHD_PID, REMOTE_TMP.
# Two more names in the config: `closed` (a port nobody listens on) and
# `nokey` (a client key sshd does not accept).
#
# sshd_stop kills and reaps sshd; lib.sh's clean-up would kill it anyway
# (its command line holds $TRASH).

# free_port: a TCP port of 127.0.0.1 nobody listens on right now.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

sshd_listening() {
	ss -Hltn "sport = :$SSHD_PORT" 2>/dev/null | grep -q LISTEN
}

sshd_start() {
	[ -x /usr/sbin/sshd ] || fail "no /usr/sbin/sshd: run 'make deps' (openssh-server)"
	command -v ssh >/dev/null || fail "no ssh client: run 'make deps' (openssh-client)"
	SSHD_DIR=$TRASH/sshd
	REMOTE_TMP=$TRASH/remote
	mkdir -p "$SSHD_DIR" "$REMOTE_TMP" && chmod 700 "$SSHD_DIR" || fail "sshd: mkdir"
	[ -d /run/sshd ] || mkdir -p /run/sshd || fail "sshd: cannot create /run/sshd"
	ssh-keygen -q -t ed25519 -N '' -C host -f "$SSHD_DIR/host_key" &&
	ssh-keygen -q -t ed25519 -N '' -C client -f "$SSHD_DIR/client_key" &&
	ssh-keygen -q -t ed25519 -N '' -C stranger -f "$SSHD_DIR/stranger_key" &&
	cp "$SSHD_DIR/client_key.pub" "$SSHD_DIR/authorized_keys" || fail "sshd: ssh-keygen"
	SSH_HOST=$(id -un)@127.0.0.1
	for attempt in 1 2 3; do
		SSHD_PORT=$(free_port) || fail "sshd: no free port"
		cat >"$SSHD_DIR/sshd_config" <<-EOF
		Port $SSHD_PORT
		ListenAddress 127.0.0.1
		HostKey $SSHD_DIR/host_key
		PidFile $SSHD_DIR/sshd.pid
		AuthorizedKeysFile $SSHD_DIR/authorized_keys
		PermitRootLogin prohibit-password
		PasswordAuthentication no
		KbdInteractiveAuthentication no
		UsePAM no
		StrictModes no
		SetEnv TMPDIR=$REMOTE_TMP${SSHD_SETENV:+ $SSHD_SETENV}
		Subsystem sftp /usr/lib/openssh/sftp-server
		EOF
		/usr/sbin/sshd -t -f "$SSHD_DIR/sshd_config" || fail "sshd: bad configuration"
		/usr/sbin/sshd -D -e -f "$SSHD_DIR/sshd_config" 2>>"$SSHD_DIR/sshd.log" &
		SSHD_PID=$!
		wait_until 5 sshd_listening && break
		kill "$SSHD_PID" 2>/dev/null
		wait "$SSHD_PID" 2>/dev/null
		SSHD_PID=
	done
	[ -n "$SSHD_PID" ] || { show "$SSHD_DIR/sshd.log"; fail "sshd did not start"; }
	closed=$(free_port)
	cat >"$SSHD_DIR/ssh_config" <<-EOF
	Host closed
	  HostName 127.0.0.1
	  Port $closed
	Host nokey
	  HostName 127.0.0.1
	  IdentityFile $SSHD_DIR/stranger_key
	Host * !nokey
	  IdentityFile $SSHD_DIR/client_key
	Host *
	  Port $SSHD_PORT
	  IdentitiesOnly yes
	  UserKnownHostsFile $SSHD_DIR/known_hosts
	  StrictHostKeyChecking yes
	  LogLevel ERROR
	EOF
	printf '[127.0.0.1]:%s %s\n' "$SSHD_PORT" "$(cut -d' ' -f1,2 "$SSHD_DIR/host_key.pub")" \
		>"$SSHD_DIR/known_hosts"
	printf '#!/bin/sh\nexec ssh -F "%s" "$@"\n' "$SSHD_DIR/ssh_config" >"$SSHD_DIR/ssh"
	chmod +x "$SSHD_DIR/ssh"
	PERFGO_SSH=$SSHD_DIR/ssh
	export PERFGO_SSH
	"$PERFGO_SSH" -o BatchMode=yes "$SSH_HOST" true ||
		{ show "$SSHD_DIR/sshd.log"; fail "cannot log in to the test sshd"; }
}

sshd_stop() {
	[ -n "${SSHD_PID:-}" ] || return 0
	kill "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=
}
