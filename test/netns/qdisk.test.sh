#!/bin/bash
# test/netns/qdisk.test.sh - the quorum disk between real daemons (lib.sh,
# spec 2.4): two nodes and a file they share as <quorumd device>, one vote
# for the disk (expected 3, quorum 2).  The lowest id becomes master; the
# disk's votes keep a lone node quorate when the other dies, whichever
# it was; a network split leaves only the master's side quorate; a node
# whose heuristic fails leaves the cluster (and hands the master role
# over at once); the master evicts a member that stops writing.
#
#   bash test/netns/qdisk.test.sh [HACLUSTER]      (root)
# BUILD (default build) holds tool_ringbench, which reads the daemon's
# raw status lines.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-qdisk
NCHECKS=20
LIMIT=${NN_LIMIT:-30}
RINGBENCH=$(readlink -f "${BUILD:-build}/tool_ringbench")

nn_require "$LABEL" "$NCHECKS"
. "$HERE/cman.sh"

# raw I LINE: the daemon's status verb on node I has LINE.
raw() { "$RINGBENCH" ctl "$NN_DIR/node$1/pid" status 2>/dev/null | grep -qxF -- "$2"; }
# master I: node I holds the master role.
master() { raw "$1" "quorum_disk_state: master"; }
# fit I yes|no: node I's heuristic passes or fails from now on.
fit()
{
	if [ "$2" = yes ]; then : >"$NN_DIR/ok-node$1"; else rm -f "$NN_DIR/ok-node$1"; fi
}
gone() { ! nn_alive "$1"; }
# helper I: the pid of node I's quorum disk I/O helper (the daemon's child
# that did not exec).
helper() { pgrep -P "$(nn_pid "$1")" -x hacluster | head -1; }

setup()
{
	fit 1 yes; fit 2 yes
	NN_EXTRA="<quorumd device=\"$NN_DIR/qdisk\" interval=\"1\" tko=\"3\" master_wait=\"1\" upgrade_wait=\"1\"><heuristic program=\"test -e $NN_DIR/ok-\$(uname -n)\" interval=\"1\" tko=\"2\"/></quorumd>" \
		nn_conf multicast 2
	nn_launch 1
	nn_check "a device that does not exist: the daemon refuses to start" \
		nn_wait 10 grep -q "cman not started: quorum disk $NN_DIR/qdisk: No such file or directory" "$NN_DIR/node1/log"
	truncate -s 64K "$NN_DIR/qdisk"
	nn_start 1; nn_start 2
}

body()
{
	local t0; t0=$(nn_now_ms)
	setup
	expect "2 nodes + quorum disk: both quorate, node1 master" "1 2" \
		eval 'quorate "1 2" 2 2 && master 1' || return 1
	expect "status: Expected 3, Quorum device votes 1, Total 3" "1 2" \
		eval 'has 2 "Expected votes: 3" "Quorum device votes: 1" "Total votes: 3"'
	expect "node2 sees node1 as master on the disk" "2" raw 2 "quorum_disk_master: 1"

	nn_kill 2
	expect "power off node2: node1 alone stays quorate (disk's vote)" "1" \
		eval 'has 1 "Nodes: 1" "Expected votes: 3" "Quorum device votes: 1" "Total votes: 2" "Node votes: 1" "Quorum: 2  "'
	expect "node1 logged that node2 stopped writing" "1" \
		logged 1 "quorum disk: node 2 stopped writing for 3 cycles"
	nn_check "node1 never lost quorum" eval '! logged 1 "quorum lost"'
	nn_link 2 up; nn_start 2
	expect "node2 back: both quorate, Total 3" "1 2" \
		eval 'quorate "1 2" 2 2 && has 2 "Total votes: 3"'

	nn_split "2"
	expect "split: node1 (master) quorate alone" "1" \
		eval 'has 1 "Nodes: 1" "Quorum: 2  "'
	expect "split: node2 is blocked, never quorate with node1" "2" \
		blocked 2 1 2
	nn_check "split: node2 does not take the master role nor count the disk" \
		eval 'sleep 4; ! master 2 && blocked 2 1 2 && ! grep -q "Quorum device" "$NN_DIR/st2"'
	nn_split ""
	expect "healed: both quorate" "1 2" quorate "1 2" 2 2

	nn_kill 1
	expect "power off node1 (master): node2 takes over and is quorate" "2" \
		eval 'master 2 && has 2 "Nodes: 1" "Total votes: 2" "Quorum: 2  "'
	nn_link 1 up; nn_start 1
	expect "node1 back: both quorate, node2 stays master" "1 2" \
		eval 'quorate "1 2" 2 2 && raw 1 "quorum_disk_master: 2"'

	fit 2 no
	expect "node2's heuristic fails: it leaves the cluster" "2" gone 2
	nn_check "node2 logged why" logged 2 "quorum disk: leaving the cluster"
	expect "node1 takes the master role and stays quorate alone" "1" \
		eval 'master 1 && has 1 "Nodes: 1" "Total votes: 2" "Quorum: 2  "'

	fit 2 yes; nn_start 2
	expect "node2 back again: both quorate" "1 2" quorate "1 2" 2 2
	local h; h=$(helper 2)
	[ -n "$h" ] || { echo "  node2's I/O helper not found:"; ps -o pid,ppid,stat,comm --ppid "$(nn_pid 2)"; }
	kill -STOP "$h" 2>/dev/null
	expect "node2's disk hangs: the master evicts it from the ring" "2" gone 2 || {
		for i in 1 2; do "$RINGBENCH" ctl "$NN_DIR/node$i/pid" status | grep quorum_disk
			ps -o pid,ppid,stat,comm --ppid "$(nn_pid $i)"; done; echo "helper was $h"; }
	nn_check "node1 logged the eviction, node2 that node 1 killed it" eval \
		'logged 1 "node 2 stopped writing for 3 cycles; evicting it from the ring" && logged 2 "cman killed by node 1"'
	echo "  whole run: $(( ($(nn_now_ms) - t0) / 1000 )) s"
	nn_tally "$LABEL"
}

nn_setup 2 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
