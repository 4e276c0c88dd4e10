#!/bin/bash
# test/netns/failover.test.sh - services with real agents between real
# daemons (lib.sh), three nodes and a client (node4, no daemon):
#   web  the built-in ip agent (a floating address on the test subnet),
#        the built-in fs agent (ext4 on a loop device every node sees)
#        and an init script starting an HTTP server that answers with its
#        node's name; ordered domain node1 > node2 > node3, restart
#        policy with max_restarts=1
#   r    Debian's OCF Dummy agent, in a domain restricted to node2+node3
#   x    an exclusive service: never shares a node
# The client reaches web through the address; killing its server
# restarts it in place, then (past max_restarts) moves it; the fs
# follows it; a node that joins takes it back (ordered failback); kill -9
# of its owner: fenced by the test agent, web runs on the next node and
# the address answers from there; the lone node of a split, inquorate,
# stops what it runs.
#
#   bash test/netns/failover.test.sh [HACLUSTER]      (root)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-failover
NCHECKS=27
LIMIT=${NN_LIMIT:-20}
VIP=$NN_NET.100
DUMMY=/usr/lib/ocf/resource.d/heartbeat/Dummy

nn_require "$LABEL" "$NCHECKS"

# --- the configuration ------------------------------------------------------------
rm_section()
{
	cat <<EOF
<rm status_poll_interval="1"><failoverdomains>
<failoverdomain name="ord" ordered="1"><failoverdomainnode name="node1" priority="1"/><failoverdomainnode name="node2" priority="2"/><failoverdomainnode name="node3" priority="3"/></failoverdomain>
<failoverdomain name="r23" restricted="1"><failoverdomainnode name="node2"/><failoverdomainnode name="node3"/></failoverdomain>
</failoverdomains><resources>
<ip address="$VIP/24" sleeptime="0"/>
<fs name="content" device="$NN_DEV" mountpoint="$NN_DIR/www" fstype="ext4" force_unmount="1"/>
</resources>
<service name="web" domain="ord" max_restarts="1" restart_expire_time="600">
<ip ref="$VIP/24"/><fs ref="content"/><script name="httpd" file="$NN_DIR/httpd"><action name="status" interval="1"/></script></service>
<service name="r" domain="r23"><Dummy name="rd" state="/run/rd.state"/></service>
<service name="x" exclusive="1"><script name="xs" file="$NN_DIR/x.sh"/></service>
</rm>
EOF
}
conf()
{
	NN_EXTRA='<fence_daemon post_join_delay="3"/>' nn_conf multicast 3 &&
		nn_powered "$HERE/fence_agent" && nn_rm "$(rm_section)" || return 1
	nn_check "cluster.conf (ip, fs, script, Dummy, domains, exclusive) validates" \
		"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}
pieces()
{
	mkdir -p "$NN_DIR/www"
	nn_httpd "$NN_DIR/httpd" "$VIP" "$NN_DIR/www"
	# x's stop fails while x.stuck exists (resources it cannot free)
	printf '#!/bin/sh\necho "$1 $(hostname)" >>"%s/x.log"\n[ "$1" = stop ] && [ -e "%s/x.stuck" ] && exit 1\nexit 0\n' \
		"$NN_DIR" "$NN_DIR" >"$NN_DIR/x.sh"
	chmod +x "$NN_DIR/x.sh"
}

# --- reading the cluster ----------------------------------------------------------------
# where SVC: the owner clustat shows on any running node ("" if none)
where()
{
	local i
	for i in 1 2 3; do
		nn_alive "$i" || continue
		nn_exec "$i" clustat -s "$1" 2>/dev/null |
			sed -n "s/^ service:$1 \+\([^ ]\+\) \+started.*/\1/p" && return
	done
}
on() { [ "$(where "$1")" = "$2" ]; }
# answers NODE: the client gets NODE from the address
answers()
{
	[ "$(ip netns exec "$(nn_ns 4)" curl -s -m 2 "http://$VIP/node.txt")" = "$1" ]
}
mounted_on() { nn_exec "$1" grep -q " $NN_DIR/www " /proc/mounts; }
kill_server() { nn_exec "$1" sh -c 'kill $(cat /run/httpd.pid)'; }
# alone: services of every node never share one with x
x_alone()
{
	local x; x=$(where x)
	[ -n "$x" ] && [ "$(where web)" != "$x" ] && [ "$(where r)" != "$x" ]
}

body()
{
	local t
	conf || { nn_tally "$LABEL"; return; }
	nn_start 1; nn_start 2; nn_start 3
	nn_expect "web on node1, r on node2 (restricted), x on node3 (exclusive)" \
		eval 'on web node1 && on r node2 && on x node3' ||
		nn_exec 1 clustat | sed 's/^/  | /'
	nn_expect "the client reaches web on node1 through $VIP" answers node1
	nn_check "the content disk is mounted on node1 only" \
		eval 'mounted_on 1 && ! mounted_on 2 && ! mounted_on 3'
	nn_check "the page comes from the disk" \
		eval '[ "$(ip netns exec "$(nn_ns 4)" curl -s -m 2 "http://$VIP/")" = "This page lives on the shared disk content." ]'
	nn_check "Dummy's state file exists on node2 (r runs there)" \
		nn_exec 2 test -e /run/rd.state
	nn_check "clusvcadm -e r on node1 (outside r's restricted domain): Service not runnable, exit 241" \
		eval '[ "$(nn_exec 1 clusvcadm -e r)" = "Local machine trying to enable service:r...Service not runnable" ];
		      [ $? = 0 ] && { nn_exec 1 clusvcadm -e r >/dev/null; [ $? = 241 ]; }'

	kill_server 1
	nn_expect "web's server killed: restarted in place (node1 answers again)" \
		eval 'answers node1 && nn_exec 2 clustat -x | grep -q "service:web.*restarts=\"1\""'
	kill_server 1
	LIMIT=30 nn_expect "killed again (past max_restarts=1): web moves to node2" \
		eval 'on web node2 && answers node2'
	nn_check "the disk followed it: mounted on node2, not node1" \
		eval 'mounted_on 2 && ! mounted_on 1'
	nn_check "node1 logged the relocation decision" \
		eval "grep -q 'status of service:web failed' '$NN_DIR/node1/log'"
	nn_check "x still alone on node3" x_alone

	nn_kill 1			# node1 powered off: fenced, then back
	LIMIT=30 nn_expect "node1 powered off: fenced by the test agent" \
		eval "grep -q 'node node1 fenced by fence_agent' '$NN_DIR/node2/log'"
	nn_link 1 up
	nn_start 1
	LIMIT=30 nn_expect "node1 joins again: web fails back to node1 (ordered)" \
		eval 'on web node1 && answers node1'
	nn_check "r stayed on node2 (no failback for it), x on node3" \
		eval 'on r node2 && on x node3'
	nn_check "node1 never runs r (restricted to node2 and node3)" \
		eval "! grep -q 'Starting r\$' '$NN_DIR/node1/log'"

	nn_signal 1 KILL		# its daemon dies, the resources stay
	t=$(nn_now_ms)
	LIMIT=40 nn_expect "kill -9 of web's owner: fenced, web on node2, the address answers from node2" \
		eval 'on web node2 && answers node2'
	echo "  (web answered from node2 $(( $(nn_now_ms) - t )) ms after the kill)"
	nn_check "fenced before the takeover (node2's log)" \
		eval "awk '/node node1 fenced/ { f = 1 } /Starting web/ && f { s = 1 } END { exit !s }' '$NN_DIR/node2/log'"
	nn_check "x alone on node3 still; r on node2" \
		eval 'x_alone && on r node2'
	nn_check "the disk is mounted on node2 alone (node1's went with its power)" \
		eval 'mounted_on 2 && ! nn_alive 1'

	nn_link 3 down			# node2 | node3: both inquorate
	LIMIT=20 nn_expect "split: node2 alone (1 of 3 votes) stops web and r" \
		eval "! mounted_on 2 && ! nn_exec 2 test -e /run/rd.state"
	nn_expect "node3 alone stops x" \
		eval "tail -1 '$NN_DIR/x.log' | grep -qx 'stop node3'"
	nn_check "the address no longer answers" eval '! answers node2'
	nn_check "node2 logged why" \
		eval "grep -q 'quorum lost: stopping service:web' '$NN_DIR/node2/log'"
	nn_link 3 up			# healed: quorate again
	LIMIT=30 nn_expect "healed: web runs again and answers; x alone" \
		eval 'answers "$(where web)" && x_alone'
	nn_link 1 up			# node1 back: three members again
	nn_start 1
	touch "$NN_DIR/x.stuck"
	t=$(where x)
	local fenced; fenced=$(wc -l <"$NN_DIR/fence_agent.log")
	nn_stop "${t#node}"
	nn_check "a clean stop whose service cannot stop ($t): no clean leave, said why" \
		eval "grep -q 'leaving without a clean leave' '$NN_DIR/$t/log'"
	LIMIT=30 nn_expect "...so the others fence $t" \
		eval "tail -n +$((fenced + 1)) '$NN_DIR/fence_agent.log' | grep -q 'port=${t#node} action=off .*result=ok'"
	nn_tally "$LABEL"
}

nn_setup 4 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
if ! nn_need curl curl || ! nn_need python3 python3; then
	nn_skip_all "$LABEL" "$NCHECKS" "curl or python3 missing"
fi
if [ ! -x "$DUMMY" ]; then
	nn_log "Dummy missing: apt-get install -y resource-agents"
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q \
		--no-install-recommends resource-agents >/dev/null 2>&1
fi
[ -x "$DUMMY" ] || nn_skip_all "$LABEL" "$NCHECKS" \
	"Debian's resource-agents (Dummy) could not be installed"
nn_disk "$NN_DIR/disk.img" content ||
	{ nn_fail "loop device"; nn_tally "$LABEL"; exit 1; }
pieces
nn_run body
