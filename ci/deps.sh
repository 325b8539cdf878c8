#!/bin/sh
# Install the Debian packages perfgo, its tests and its examples need:
# only the missing ones, non-interactively, as root or through sudo.
set -eu

PKGS="gcc make pkg-config clang libclang-rt-14-dev golang-go linux-perf
libgit2-dev libsqlite3-dev libcurl4-openssl-dev libcmocka-dev libjansson-dev
git sqlite3 libxml2-utils python3 procps iproute2 openssh-server openssh-client rsync
python3-jsonschema python3-yaml nodejs chromium
llvm binutils valgrind protobuf-c-compiler libprotobuf-c-dev zlib1g-dev"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "perfgo: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "perfgo: error: missing packages:$missing; run 'make deps' as root" >&2
	exit 3
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >&2
