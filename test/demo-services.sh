#!/bin/bash
# test/demo-services.sh - the demo's running half, the RHCS walkthrough on
# one machine: three nodes and a client, each in its own namespaces on a
# private bridge (test/netns/lib.sh); cluster.conf written with ccs_tool;
# a web service = a floating IP + an ext4 content disk (a loop device) +
# an init script starting a small HTTP server; clustat along the way;
# relocation with -m, the lock, a power-off fenced with fence_manual and
# fence_ack_manual, and the failover.  Root only; everything it makes is
# removed at the end.
set -u
HACLUSTER=$(readlink -f "${1:-./hacluster}")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/netns/lib.sh"
NN_TOTEM=""			# the defaults: token 1000 ms
LIMIT=30
VIP=$NN_NET.100

say() { printf '\n### %s\n' "$*"; }
# on I CMD...: show and run a command on node I
on() { local i=$1; shift; echo "[root@node$i ~]# $*"; nn_exec "$i" "$@"; }
# client CMD...: the same in the client's namespace (node4, no daemon)
client() { echo "[root@client ~]# $*"; ip netns exec "$(nn_ns 4)" "$@"; }
ccs() { echo "# ccs_tool $*"; "$HACLUSTER" ccs_tool -C -c "$NN_DIR/cluster.conf" "$@"; }
# web_on NODE: poll until clustat on node1 or node3 shows webservice
# started on NODE (bounded by LIMIT)
web_on()
{
	local end=$(( $(nn_now_ms) + LIMIT * 1000 )) i
	while [ "$(nn_now_ms)" -lt "$end" ]; do
		for i in 1 2 3; do
			nn_exec "$i" clustat -s webservice 2>/dev/null |
				grep -qE "^ service:webservice +$1 +started" && return 0
		done
		sleep 0.1
	done
	echo "demo: webservice is not started on $1 after ${LIMIT}s"; return 1
}
# served_by NODE: the client asks the address which node serves it
served_by()
{
	local got
	echo "[root@client ~]# curl -s http://$VIP/node.txt"
	got=$(ip netns exec "$(nn_ns 4)" curl -sS -m 3 "http://$VIP/node.txt" 2>&1)
	echo "$got"
	[ "$got" = "$1" ] || { echo "demo: expected $1 to answer"; return 1; }
}
# why_fs: the content disk's kind, and why
why_fs()
{
	if grep -qw nfs /proc/filesystems; then
		echo "(the content is ext4 on a loop device: an NFS export (netfs)"
		echo " would need an NFS server, which this demo does not set up)"
	else
		echo "(the content is ext4 on a loop device, not an NFS export"
		echo " (netfs): this kernel has no NFS in /proc/filesystems)"
	fi
}

write_conf()
{
	NN_FENCE=1 nn_conf multicast 3 || return 1
	say "cluster.conf, written with ccs_tool (fence_manual for every node)"
	ccs adddomain webnodes -o node1:1 node2:2 node3:3 &&
	ccs addresource ip address="$VIP/24" monitor_link=1 sleeptime=0 &&
	ccs addresource fs name=webcontent device="$NN_DEV" \
		mountpoint="$NN_DIR/www" fstype=ext4 force_unmount=1 &&
	ccs addservice webservice domain=webnodes recovery=relocate &&
	ccs addresource -s webservice ip ref="$VIP/24" &&
	ccs addresource -s webservice fs ref=webcontent &&
	ccs addresource -s webservice script name=httpd file="$NN_DIR/httpd" &&
	"$HACLUSTER" ccs_config_validate -c "$NN_DIR/cluster.conf" || return 1
	sed -n '/<rm>/,/<\/rm>/p' "$NN_DIR/cluster.conf"
	for i in 1 2 3; do
		cp "$NN_DIR/cluster.conf" "$NN_DIR/node$i/etc-cluster/cluster.conf"
	done
}

walkthrough()
{
	local t0
	nn_setup 4 || { echo "demo: could not build the test network"; return 1; }
	nn_need curl curl && nn_need python3 python3 || return 1
	mkdir -p "$NN_DIR/www"
	nn_disk "$NN_DIR/disk.img" webcontent ||
		{ echo "demo: could not make the loop device"; return 1; }
	nn_httpd "$NN_DIR/httpd" "$VIP" "$NN_DIR/www"
	write_conf || return 1

	say "Starting the three nodes (hacluster daemon)"
	t0=$(nn_now_ms)
	for i in 1 2 3; do nn_launch "$i"; done
	for i in 1 2 3; do nn_started "$i" || return 1; done
	web_on node1 || return 1
	echo "webservice started on node1 $(( $(nn_now_ms) - t0 )) ms after the daemons were launched"
	on 2 clustat
	say "The client reaches the service through the floating IP $VIP"
	client curl -sS -m 3 "http://$VIP/"
	why_fs
	served_by node1 || return 1

	say "Relocating it to node2"
	on 3 clusvcadm -r webservice -m node2
	on 1 clustat -s webservice
	served_by node2 || return 1

	say "Locked, nothing moves; unlocked, it does"
	on 1 clusvcadm -l
	on 1 clusvcadm -r webservice -m node3
	on 1 clusvcadm -u
	on 1 clusvcadm -r webservice -m node3
	served_by node3 || return 1

	say "Powering node3 off (its link cut, every process killed)"
	nn_kill 3
	nn_wait "$LIMIT" grep -q "needs to be reset" "$NN_DIR/node1/log"
	grep -h "fence_manual\|needs to be reset" "$NN_DIR/node1/log" | tail -2
	on 1 clustat
	echo "(no takeover yet: node3 may still hold the disk and the address)"
	on 1 fence_ack_manual -O node3
	t0=$(nn_now_ms)
	web_on node1 || return 1
	echo "webservice started on node1 $(( $(nn_now_ms) - t0 )) ms after the acknowledgement"
	on 1 clustat
	served_by node1 || return 1
	say "The end: the service ran on node1, node2, node3 and node1 again,"
	echo "never on two at once; the content disk followed it.  Cleaning up."
}

nn_require demo 1
nn_run walkthrough
