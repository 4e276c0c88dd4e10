#!/bin/bash
# test/netns/identity.test.sh - one node, one identity, between real
# daemons (lib.sh): a machine started with another node's id (its file
# swaps the ids of node2 and node3) is refused and changes nothing for
# 20 s, nor once the real node2 is gone; a node whose file has the
# members' version but other node names leaves, and the members say so;
# every packet on the wire (multicast and unicast: the bridge floods),
# recorded by a machine without the key (node4) during a run of node3
# and replayed after node3 restarted, its clean-leave packet among them,
# changes nothing and is counted.
#
#   bash test/netns/identity.test.sh [HACLUSTER]      (root)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-identity
NCHECKS=21
LIMIT=${NN_LIMIT:-30}
PORT=5405

nn_require "$LABEL" "$NCHECKS"

# gen I: node I's cluster generation, as cman_tool status says it.
gen() { nn_exec "$1" cman_tool status 2>/dev/null | sed -n 's/^Cluster Generation: //p'; }
# members I N: node I is a quorate member of N nodes.
members()
{
	nn_exec "$1" cman_tool status 2>/dev/null | grep -qx "Nodes: $2" &&
		nn_exec "$1" cman_tool wait -q -t 1 >/dev/null 2>&1
}
# stat_of I NAME: one counter of node I's daemon (control verb stats).
stat_of()
{
	nn_exec "$1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect("/run/hacluster/hacluster.sock")
s.sendall(b"stats\n")
out = b""
while True:
    b = s.recv(4096)
    if not b:
        break
    out += b
for l in out.decode().splitlines():
    if l.startswith(sys.argv[1] + ": "):
        print(l.split(": ")[1])
' "$2" 2>/dev/null
}
logged() { grep -q "$2" "$NN_DIR/node$1/log"; }
nodes() { nn_exec "$1" cman_tool status 2>/dev/null | sed -n 's/^Nodes: //p'; }

# node3 runs as id 2 beside the real node2.
twin()
{
	local g1 g2 t0 f=$NN_DIR/node3/etc-cluster/cluster.conf
	nn_conf multicast 3
	sed -i -e 's/name="node2" nodeid="2"/name="node2" nodeid="X"/' \
	       -e 's/name="node3" nodeid="3"/name="node3" nodeid="2"/' \
	       -e 's/nodeid="X"/nodeid="3"/' "$f"
	nn_start 1; nn_start 2
	nn_expect "node1+2 quorate members of 2" eval 'members 1 2 && members 2 2' ||
		return 1
	g1=$(gen 1) g2=$(gen 2)
	nn_start 3
	t0=$(nn_now_ms)
	nn_expect "node3 (id 2 in its file) says why it stays out" \
		eval 'logged 3 "node id 2 is in use by $(nn_addr 2); check cluster.conf on this node"'
	nn_check "node3's cman_tool status: Refused: node id 2 is in use by $(nn_addr 2)" \
		eval 'nn_exec 3 cman_tool status | grep -qx "Refused: node id 2 is in use by $(nn_addr 2); check cluster.conf on this node"'
	nn_check "node3 acts inquorate (Activity blocked)" \
		eval 'nn_exec 3 cman_tool status | grep -q "^Quorum: .* Activity blocked"'
	# 20 s of node3 trying
	while [ $(( $(nn_now_ms) - t0 )) -lt 20000 ]; do
		sleep 1
		[ "$(gen 1)" = "$g1" ] && [ "$(gen 2)" = "$g2" ] || break
	done
	nn_check "20 s later node1 and node2 still run generation $g1 (no membership change)" \
		eval '[ "$(gen 1)" = "$g1" ] && [ "$(gen 2)" = "$g2" ] && members 1 2 && members 2 2'
	nn_check "node2 logged the intruder's address and kept its place" \
		logged 2 "node id 2 is also used by the machine at $(nn_addr 3): the members refuse it"
	nn_check "node1 refused node3's packets: they claim id 2 from node3's address" \
		eval '[ "$(stat_of 1 rx_wrong_address)" -gt 0 ] &&
		      logged 1 "packets of node id 2 come from $(nn_addr 3), which cluster.conf gives node 3 (node3)"'
	# without the real node2, node3 still never joins as node 2
	nn_stop 2
	nn_expect "node2 stopped: node1 alone" eval '[ "$(nodes 1)" = 1 ]'
	sleep 5
	nn_check "5 s later node1 is still alone: node3 was not admitted as node 2" \
		eval '[ "$(nodes 1)" = 1 ]'
	nn_stop 3
	nn_stop 1
}

# node3's file has the members' version but names node2 otherwise.
conflict()
{
	local f=$NN_DIR/node3/etc-cluster/cluster.conf
	nn_conf multicast 3
	sed -i 's/name="node2" nodeid="2"/name="node2b" nodeid="2"/' "$f"
	nn_start 1; nn_start 2
	nn_expect "node1+2 quorate members of 2" eval 'members 1 2 && members 2 2' ||
		return 1
	nn_start 3
	nn_expect "node3 (same version, other names) leaves, saying why" \
		eval '! nn_alive 3 && logged 3 "cman killed: this node.s cluster.conf (version 1) conflicts with the members. version 1 (node 1.s): the node names or ids differ"'
	nn_check "node1 logged node3's conflicting cluster.conf" \
		logged 1 "node 3 has a conflicting cluster.conf: version 1 as the members' (node 1's), but the node names or ids differ"
	nn_expect "node1+2 stay quorate members of 2" eval 'members 1 2 && members 2 2'
	nn_stop 1; nn_stop 2
}

# node4, without the key, records node3's run and replays it later.
replay()
{
	local g n rec=$NN_DIR/node4/rec i from from1
	nn_conf multicast 3
	rm -f "$NN_DIR/node4/etc-cluster/authkey"
	nn_start 4 -- sleep 600
	nn_start 1; nn_start 2; nn_start 3
	nn_expect "3 quorate members" eval 'members 1 3 && members 2 3 && members 3 3' ||
		return 1
	# the bridge floods every frame (it learns no address) and node4
	# listens to all: unicast tokens and commit tokens go on the record
	ip link set "$NN_BR" type bridge ageing_time 0
	nn_exec 4 ip link set eth0 promisc on
	nn_exec 4 python3 "$HERE/replay.py" sniff eth0 "$PORT" 6 "$rec" \
		"$NN_DIR/node4/ready" >"$NN_DIR/node4/sniffed" 2>&1 &
	NN_PIDS+=($!)
	nn_wait 10 test -e "$NN_DIR/node4/ready"
	sleep 2
	nn_stop 3			# its clean leave is on the record
	nn_expect "node3 stopped cleanly: node1+2 quorate members of 2" \
		eval 'members 1 2 && members 2 2'
	nn_wait 10 test -s "$NN_DIR/node4/sniffed"
	echo "  recorded (datagrams, of them unicast): $(cat "$NN_DIR/node4/sniffed")"
	nn_check "the record holds unicast packets (tokens) as well as multicast" \
		eval '[ "$(cut -d" " -f2 "$NN_DIR/node4/sniffed")" -gt 0 ]'
	nn_start 3
	nn_expect "node3 restarted: 3 quorate members" \
		eval 'members 1 3 && members 2 3 && members 3 3' || return 1
	g=$(gen 1) from=$(wc -l <"$NN_DIR/node3/log")
	from1=$(wc -l <"$NN_DIR/node1/log")
	n=$(nn_exec 4 python3 "$HERE/replay.py" send "$PORT" "$(nn_addr 4)" \
		"$rec" 50)
	echo "  replayed $n recorded packets of node3's earlier run (and of node1's and node2's)"
	sleep 3
	nn_check "the replay (node3's leave among $n packets) changes no membership" \
		eval '[ "$(gen 1)" = "$g" ] && [ "$(gen 3)" = "$g" ] && members 1 3 && members 3 3'
	nn_check "node1 counted the earlier run's packets as stale" \
		eval '[ "$(stat_of 1 seal_rx_stale)" -gt 0 ]'
	nn_check "no node took the replaying machine's address for a node's" \
		eval '! tail -n +$((from1 + 1)) "$NN_DIR/node1/log" | grep -q "is at $(nn_addr 4)\$" &&
		      ! tail -n +$((from + 1)) "$NN_DIR/node3/log" | grep -q "is at $(nn_addr 4)\$"'
	nn_check "node3 took its own earlier run for no other machine" \
		eval '! tail -n +$((from + 1)) "$NN_DIR/node3/log" | grep -q "is in use by\|is also used by"'
	for i in 1 2 3; do nn_stop "$i"; done
}

body()
{
	twin
	conflict
	replay
	nn_tally "$LABEL"
}

nn_setup 4 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
