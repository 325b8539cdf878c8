#!/bin/sh
# Run each cmocka unit-test binary; report every failure, fail if any failed.
fail=0
for t in "$@"; do
	if ! "$t"; then
		echo "FAILED: $t" >&2
		fail=1
	fi
done
exit $fail
