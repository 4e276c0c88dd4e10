#!/bin/bash
# test/blackbox.sh - run every test/*.test against the static binary.
# usage: test/blackbox.sh BINARY [NAME.test...]
set -u
bin=$(readlink -f "${1:?usage: blackbox.sh BINARY [FILE.test...]}")
shift
dir=$(dirname "$0")
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$dir"/*.test)
passed=0 failed=0
for f in "${files[@]}"; do
	out=$(HACLUSTER=$bin bash "$f" 2>&1)
	rc=$?
	echo "$out" | grep -v '^PASS: '
	tally=$(echo "$out" | tail -n 1)
	p=$(echo "$tally" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	q=$(echo "$tally" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	if [ -z "$p" ]; then
		echo "$f: did not finish (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	passed=$((passed + p)) failed=$((failed + q))
	[ "$rc" -eq 0 ] || [ "$q" -gt 0 ] || failed=$((failed + 1))
done
echo "blackbox: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
