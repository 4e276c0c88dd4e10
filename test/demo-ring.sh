#!/bin/bash
# test/demo-ring.sh - the demo's second half: a 3-node cluster "tcluster"
# in network namespaces on a private bridge (test/netns/lib.sh), default
# timers, multicast; show cman_tool status and nodes, power one node off,
# show the ring reform without it, clean up.  Root only.
set -u
HACLUSTER=$(readlink -f "${1:-./hacluster}")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns/lib.sh"
NN_TOTEM=""			# the defaults: token 1000 ms
LIMIT=30

# nodes_at I: "Nodes: N" of node I's cman_tool status.
nodes_at()
{
	nn_exec "$1" cman_tool status 2>/dev/null | sed -n 's/^Nodes: //p'
}

# until_nodes I N: poll node I every 50 ms until it sees N nodes or LIMIT
# seconds pass; prints nothing, status 1 on timeout.
until_nodes()
{
	local end=$(( $(nn_now_ms) + LIMIT * 1000 ))
	until [ "$(nodes_at "$1")" = "$2" ]; do
		[ "$(nn_now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

show()
{
	local i=$1
	shift
	echo "node$i\$ $*"
	nn_exec "$i" "$@"
	echo
}

ring_demo()
{
	nn_setup 3 || { echo "demo: could not build the test network"; return 1; }
	nn_conf multicast 3
	echo "Three nodes, each in its own network, mount and UTS namespace,"
	echo "on a private bridge ($NN_NET.0/24); cluster.conf of node1:"
	echo
	cat "$NN_DIR/node1/etc-cluster/cluster.conf"
	echo
	for i in 1 2 3; do
		nn_launch "$i"
	done
	for i in 1 2 3; do
		nn_started "$i" || { echo "demo: node$i did not start"; return 1; }
	done
	local t0; t0=$(nn_now_ms)
	until_nodes 1 3 || { echo "demo: no 3-node ring after ${LIMIT}s"; return 1; }
	echo "node1 saw the ring of 3 $(( $(nn_now_ms) - t0 )) ms after all three had started"
	echo
	show 1 cman_tool status
	show 2 cman_tool nodes
	echo "Powering node3 off (link down, every process killed)..."
	t0=$(nn_now_ms)
	nn_kill 3
	until_nodes 1 2 || { echo "demo: no reform after ${LIMIT}s"; return 1; }
	echo "the survivors reformed $(( $(nn_now_ms) - t0 )) ms after the power-off"
	echo
	show 1 cman_tool nodes
	show 2 cman_tool status
	echo "node1's log:"
	sed 's/^/  /' "$NN_DIR/node1/log" | tail -12
	echo
}

nn_require demo 1
nn_run ring_demo
rc=$?
echo "Cleaning up the namespaces, bridge and processes."
exit $rc
