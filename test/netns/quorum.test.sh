#!/bin/bash
# test/netns/quorum.test.sh - quorum between real daemons (lib.sh): the
# tcluster status lines, 3 nodes losing 1 (quorate) then 2 (inquorate,
# "Activity blocked") and regaining, cman_tool expected / votes / leave
# remove / kill / wait, cman_tool join (-c NAME on a node without a file,
# -w, -q, -t), two_node with wait_for_all on a cold start, and ordered
# messages through the test-only bench verb.
#
#   bash test/netns/quorum.test.sh [HACLUSTER]      (root)
# BUILD (default build) holds tool_ringbench, which reaches the bench verb.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-quorum
NCHECKS=35
LIMIT=${NN_LIMIT:-30}
GROUP=239.192.110.162		# cluster "tcluster" -> id 28212 (spec 1.10)
RINGBENCH=$(readlink -f "${BUILD:-build}/tool_ringbench")

nn_require "$LABEL" "$NCHECKS"

. "$HERE/cman.sh"

# bench I VERB: the daemon's test-only bench verb on node I.
bench() { "$RINGBENCH" ctl "$NN_DIR/node$1/pid" "$2"; }

# --- three nodes ---------------------------------------------------------------
three()
{
	nn_conf multicast 3
	nn_start 1; nn_start 2; nn_start 3
	expect "3 nodes: quorate members of 3" "1 2 3" quorate "1 2 3" 3 2 ||
		return 1
	nn_check "tcluster status: Nodes 3, Expected 3, Total 3, Quorum 2, $GROUP" \
		has 1 "Nodes: 3" "Expected votes: 3" "Total votes: 3" \
		"Node votes: 1" "Quorum: 2  " "Multicast addresses: $GROUP" \
		"Flags: " "Ports Bound: 0  " "Active subsystems: 1"
	nn_check "status --json: quorate, votes, flags" eval \
		"nn_exec 1 cman_tool status --json | grep -q '\"expected_votes\":3,\"quorum_device_votes\":null,\"total_votes\":3,\"node_votes\":1,\"quorum\":2,\"quorate\":true,\"activity_blocked\":false,\"wait_for_all\":false,\"active_subsystems\":1,\"flags\":\[\],\"ports_bound\":\[0\]'"
	nn_check "cman_tool wait -q: returns at once on a quorate node" \
		nn_exec 1 cman_tool wait -q -t 5

	# ordered messages reach every member, in order
	bench 1 "bench send 100 64" >/dev/null 2>&1
	expect "bench: 100 ordered messages from node1 delivered on node3" \
		"3" eval "bench 3 bench | grep -qx 'got: 100'"
	nn_check "bench: no order errors on node2" eval \
		"bench 2 bench | grep -qx 'order_errors: 0'"

	nn_kill 3
	expect "power off node3: node1+2 stay quorate (Nodes 2, Quorum 2)" \
		"1 2" quorate "1 2" 2 2
	nn_kill 2
	expect "power off node2: node1 alone is blocked (Quorum: 2 Activity blocked)" \
		"1" blocked 1 1 2
	nn_check "node1 logged \"quorum lost, blocking activity\"" \
		logged 1 "quorum lost, blocking activity"
	nn_check "cman_tool wait -q -t 1 on the blocked node: exit 2, timed out" \
		eval "[ \"\$(rc_out 1 cman_tool wait -q -t 1)\" = 'rc=2 cman_tool: Timed-out waiting for cluster' ]"
	nn_check "expected -e 3 on 1 present vote is refused (spec 2.2)" \
		eval "[ \"\$(rc_out 1 cman_tool expected -e 3)\" = \"rc=1 cman_tool: can't set expected votes: Invalid argument\" ]"
	nn_link 2 up; nn_link 3 up
	nn_start 2; nn_start 3
	expect "node2+3 back: all 3 quorate again" "1 2 3" \
		quorate "1 2 3" 3 2
	nn_check "node1 logged \"quorum regained, resuming activity\"" \
		logged 1 "quorum regained, resuming activity"

	# votes: node1 gets 2 votes; every member counts 4, quorum 3
	nn_check "votes -v 2: accepted" nn_exec 1 cman_tool votes -v 2
	expect "votes -v 2 on node1: node3 sees Total votes 4, Quorum 3" "3" \
		has 3 "Total votes: 4" "Expected votes: 4" "Quorum: 3  "
	nn_check "votes -v 1 -n node1 from node2: back to 1" \
		nn_exec 2 cman_tool votes -v 1 -n node1
	nn_check "expected -e 3: quorum back to 2" nn_exec 2 cman_tool expected -e 3
	expect "after expected -e 3: node1 sees Expected votes 3, Quorum 2" "1" \
		has 1 "Total votes: 3" "Expected votes: 3" "Quorum: 2  "

	# leave remove twice: node1 alone keeps quorum
	nn_check "node3: cman_tool leave remove returns once it stopped" \
		nn_exec 3 cman_tool leave remove
	expect "after node3's leave remove: node1+2 expected 2, quorate" \
		"1 2" has 1 "Nodes: 2" "Expected votes: 2" "Quorum: 2  "
	nn_exec 2 cman_tool leave remove >/dev/null 2>&1
	expect "after node2's leave remove too: node1 alone is quorate" "1" \
		has 1 "Nodes: 1" "Expected votes: 1" "Quorum: 1  "

	# kill
	nn_start 2
	expect "node2 rejoins" "1 2" quorate "1 2" 2 2
	nn_exec 1 cman_tool kill -n node2 >/dev/null 2>&1
	if nn_wait 10 eval "! nn_alive 2"; then
		nn_ok "cman_tool kill -n node2: node2's daemon exits"
	else
		nn_fail "cman_tool kill -n node2: node2's daemon still runs"
	fi
	nn_check "node2 logged it was killed by node 1" \
		logged 2 "cman killed by node 1 because we were killed by cman_tool"
}

# --- cman_tool join -------------------------------------------------------------
# node3 has no daemon of nn_start's: a holder process keeps its namespaces
# and cman_tool join starts the daemon in the background, as on a host.
join()
{
	local out
	nn_conf multicast 3
	rm -f "$NN_DIR/node3/etc-cluster/cluster.conf"
	nn_start 1; nn_start 2
	nn_start 3 -- sleep 600
	expect "join: node1+2 quorate" "1 2" quorate "1 2" 2 2 || return 1
	out=$(rc_out 3 cman_tool join -c tcluster -w -t 30)
	[ "$out" = "rc=0 " ] || echo "  join said: $out"
	nn_check "cman_tool join -c tcluster -w: exit 0 once a member" \
		[ "$out" = "rc=0 " ]
	expect "join -c: node3 fetched cluster.conf, restarted, 3 quorate" \
		"1 2 3" eval 'quorate "1 2 3" 3 2 && [ -s "$NN_DIR/node3/etc-cluster/cluster.conf" ]'
	nn_check "cman_tool leave on node3: returns once the daemon stopped" \
		eval 'nn_exec 3 cman_tool leave && ! nn_exec 3 cman_tool status >/dev/null 2>&1'
	out=$(rc_out 3 cman_tool join -q -t 30)
	nn_check "cman_tool join -q (file in place): exit 0, quorate at once" \
		eval '[ "$out" = "rc=0 " ] && quorate 3 3 2'
	nn_exec 3 cman_tool leave >/dev/null 2>&1
	nn_stop 1; nn_stop 2
	out=$(rc_out 3 cman_tool join -q -t 2)
	nn_check "cman_tool join -q -t 2 alone (1 of 3 votes): exit 2, timed out" \
		[ "$out" = "rc=2 cman_tool: Timed-out waiting for cluster" ]
	nn_exec 3 cman_tool leave >/dev/null 2>&1
	nn_killall 3
}

# --- two_node ------------------------------------------------------------------
two()
{
	NN_CMAN='two_node="1" expected_votes="1"' nn_conf multicast 2
	nn_launch 1
	nn_check "two_node without fencing: the daemon refuses to start" \
		nn_wait 10 grep -q 'cman not started: two_node set but not both nodes have fencing configured' "$NN_DIR/node1/log"
	NN_FENCE=1 NN_CMAN='two_node="1" expected_votes="1"' nn_conf multicast 2
	nn_start 1
	expect "two_node cold start: node1 alone is a member" "1" \
		has 1 "Cluster Member: Yes" "Nodes: 1"
	sleep 1
	nn_check "two_node cold start: node1 alone waits for its peer (Activity blocked, 2node)" \
		has 1 "Expected votes: 1" "Quorum: 1 Activity blocked" \
		"Flags: 2node "
	nn_start 2
	expect "two_node: node2 starts, both quorate with quorum 1" "1 2" \
		quorate "1 2" 2 1
	nn_kill 2
	expect "two_node: node2 powered off, node1 stays quorate" "1" \
		quorate 1 1 1
}

body()
{
	local t0; t0=$(nn_now_ms)
	three; nn_stop_all
	join; nn_stop_all
	two; nn_stop_all
	echo "  whole run: $(( ($(nn_now_ms) - t0) / 1000 )) s"
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
