# test/testing.sh - black-box test helpers, sourced by test/*.test.
#
#   testing NAME COMMAND EXPECTED
# runs COMMAND with sh in the scratch directory $T, with the applet
# symlinks first on PATH, and compares its standard output with EXPECTED
# (printf-style escapes are not interpreted; use $'...' for newlines).
# Append '; echo rc=$?' or '2>&1' to COMMAND to check those too.
# The file's result is its count of failures; test/blackbox.sh sums them.

: "${HACLUSTER:?HACLUSTER must name the binary under test}"
TESTS_PASSED=0
TESTS_FAILED=0
T=$(mktemp -d /tmp/hacluster-test.XXXXXX)
BIN=$T/.bin
mkdir -p "$BIN"
"$HACLUSTER" install "$BIN" >/dev/null || { echo "install failed"; exit 1; }
ln -sf "$HACLUSTER" "$BIN/hacluster"
# The fence agents the sample files name: the validator warns about an
# agent this node lacks, so every run sees them, installed or not.
for a in fence_apc fence_apc_snmp fence_ilo fence_ipmilan; do
	printf '#!/bin/sh\nexit 1\n' > "$BIN/$a" && chmod +x "$BIN/$a"
done
export PATH="$BIN:$PATH"
trap 'rm -rf "$T"' EXIT

testing()
{
	local name=$1 cmd=$2 want=$3 got
	got=$(cd "$T" && sh -c "$cmd" 2>/tmp/hacluster-test-stderr.$$)
	if [ "$got" = "$want" ]; then
		TESTS_PASSED=$((TESTS_PASSED + 1))
		[ -n "$VERBOSE" ] && echo "PASS: $name"
	else
		TESTS_FAILED=$((TESTS_FAILED + 1))
		echo "FAIL: $name"
		echo "  command:  $cmd"
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$got") |
			tail -n +3 | sed 's/^/  /'
		sed 's/^/  stderr: /' /tmp/hacluster-test-stderr.$$ | head -5
	fi
	rm -f /tmp/hacluster-test-stderr.$$
	return 0
}

# done_testing: print this file's tally; exit non-zero on failure.
done_testing()
{
	echo "$(basename "$0"): $TESTS_PASSED passed, $TESTS_FAILED failed"
	[ "$TESTS_FAILED" -eq 0 ]
}
