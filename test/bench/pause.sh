#!/bin/bash
# test/bench/pause.sh - what a stopped daemon does to the ring: a 3-node
# ring in namespaces (test/netns/lib.sh), node3 stopped with SIGSTOP for
# each pause, then continued; 4 s later node1 says whether the ring is
# unchanged, re-formed with the same members, or went through a
# configuration without node3.  Measures and prints; asserts nothing.
#
#   bash test/bench/pause.sh HACLUSTER      (root)
# PAUSES (ms, default "700 800 900 1000 1200 1500 2000"), RUNS (3),
# TOKEN (1000).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../netns/lib.sh"
nn_binary "$0" "${1:-}"
NN_TOTEM="token=\"${TOKEN:-1000}\""
gen() { nn_exec "$1" cman_tool status 2>/dev/null | sed -n 's/^Cluster Generation: //p'; }
nodes() { nn_exec "$1" cman_tool status 2>/dev/null | sed -n 's/^Nodes: //p'; }
all3() { [ "$(nodes 1)" = 3 ] && [ "$(nodes 3)" = 3 ] && [ "$(gen 1)" = "$(gen 3)" ]; }

one()	# one pause of $1 ms: prints what it did
{
	local g l
	nn_wait 20 all3 || { echo "no 3-node ring"; return; }
	sleep 1
	g=$(gen 1) l=$(wc -l <"$NN_DIR/node1/log")
	nn_signal 3 STOP
	sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"
	nn_signal 3 CONT
	sleep 4
	if [ "$(gen 1)" = "$g" ]; then
		echo "no change"
	elif tail -n +$((l + 1)) "$NN_DIR/node1/log" |
	     grep -q "membership: .* 2 members"; then
		echo "node3 evicted, then rejoined"
	else
		echo "re-formed with the same members"
	fi
}

body()
{
	local ms r
	nn_conf multicast 3
	nn_start 1; nn_start 2; nn_start 3
	for ms in ${PAUSES:-700 800 900 1000 1200 1500 2000}; do
		for r in $(seq 1 "${RUNS:-3}"); do
			echo "token ${TOKEN:-1000}, pause $ms ms, run $r: $(one "$ms")"
		done
	done
}

nn_setup 3 || { echo "pause: namespace setup failed"; exit 1; }
nn_run body
