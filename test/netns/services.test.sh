#!/bin/bash
# test/netns/services.test.sh - the first steps of services between real
# daemons (lib.sh): a service of one script resource starts on the first
# node of its ordered domain and nowhere else; when that node dies it
# runs nowhere until the node is fenced (fence_manual: until
# fence_ack_manual), then on the next node, once; a clean stop of its
# owner stops it there; a node left alone without quorum starts nothing;
# clustat shows it, clusvcadm disables, enables, freezes, unfreezes,
# relocates (to a member, to the best), restarts, stops, locks; a failed
# status check restarts it in place; a node that starts stops what an
# earlier run left behind (clean slate) before it offers anything.
# The script records every start and stop in one file all nodes share.
#
#   bash test/netns/services.test.sh [HACLUSTER]      (root)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-services
NCHECKS=39
LIMIT=${NN_LIMIT:-20}

nn_require "$LABEL" "$NCHECKS"

RM='<rm status_poll_interval="1"><failoverdomains><failoverdomain name="d" ordered="1"><failoverdomainnode name="node1" priority="1"/><failoverdomainnode name="node2" priority="2"/><failoverdomainnode name="node3" priority="3"/></failoverdomain></failoverdomains><service name="web" domain="d"><script name="w" file="WEB"><action name="status" interval="1"/></script></service><vm name="g" autostart="0"/></rm>'

# web.sh: the service's script, an LSB one: run.NODE while it runs
# there; a start or a stop of a running one is a line in web.log; status
# fails while dead.NODE exists (its server "died").
script()
{
	cat >"$NN_DIR/web.sh" <<EOF
#!/bin/sh
h=\$(hostname)
case \$1 in
start) rm -f "$NN_DIR/dead.\$h"; touch "$NN_DIR/run.\$h"
       echo "start \$h" >>"$NN_DIR/web.log" ;;
stop)  [ -e "$NN_DIR/run.\$h" ] && echo "stop \$h" >>"$NN_DIR/web.log"
       rm -f "$NN_DIR/run.\$h" ;;
status) [ -e "$NN_DIR/dead.\$h" ] && exit 1
       [ -e "$NN_DIR/run.\$h" ] || exit 3 ;;
esac
exit 0
EOF
	chmod +x "$NN_DIR/web.sh"
	: >"$NN_DIR/web.log"
	# vm g's agent, an OCF one: vm.at names the node it runs on
	mkdir -p "$NN_DIR/ocf/resource.d/test"
	cat >"$NN_DIR/ocf/resource.d/test/vm" <<EOF
#!/bin/sh
h=\$(hostname) at="$NN_DIR/vm.at"
echo "\$1 \$h\${2:+ \$2}" | grep -v monitor >>"$NN_DIR/vm.log"
case \$1 in
start) echo \$h >"\$at" ;;
stop) [ "\$(cat "\$at" 2>/dev/null)" = \$h ] && rm -f "\$at" ;;
migrate) echo \$2 >"\$at" ;;
monitor) [ "\$(cat "\$at" 2>/dev/null)" = \$h ] || exit 7 ;;
esac
exit 0
EOF
	chmod +x "$NN_DIR/ocf/resource.d/test/vm"
	export OCF_ROOT=$NN_DIR/ocf
}
conf()
{
	NN_FENCE=1 NN_EXTRA='<fence_daemon post_join_delay="3"/>' \
		nn_conf multicast 3 && nn_rm "${RM/WEB/$NN_DIR/web.sh}" || return 1
	nn_check "cluster.conf with the service validates" \
		"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}
log_is() { [ "$(tr '\n' ' ' <"$NN_DIR/web.log")" = "$1" ]; }
# said I "CLUSVCADM ARGS" "OUTPUT" RC: clusvcadm on node I says OUTPUT
# (its lines joined by |) and exits RC.
said()
{
	local out rc
	out=$(nn_exec "$1" clusvcadm $2 2>&1); rc=$?
	[ "$(echo "$out" | tr '\n' '|' | sed 's/|$//')" = "$3" ] && [ "$rc" = "$4" ] ||
		{ echo "  clusvcadm $2 on node$1: rc=$rc: $out"; return 1; }
}
# clusvcadm: disable, enable here, freeze, a refused disable, unfreeze;
# then web back on node1.
admin()
{
	nn_check "clusvcadm -d web on node3: Success; its script stopped on node1" \
		eval 'said 3 "-d web" "Local machine disabling service:web...Success" 0 &&
		      log_is "start node1 stop node1 "'
	nn_check "clustat -s web: disabled, (node1), exit 119" \
		eval "nn_exec 2 clustat -s web | grep -qE '^ service:web +\(node1\) +disabled' &&
		      { nn_exec 2 clustat -s web >/dev/null; [ \$? = 119 ]; }"
	nn_check "clusvcadm -e web on node2: runs on node2" \
		eval 'said 2 "-e web" "Local machine trying to enable service:web...Success|service:web is now running on node2" 0 &&
		      log_is "start node1 stop node1 start node2 "'
	nn_check "clusvcadm -e web again: Service is already running (exit 0)" \
		said 3 "-e web" "Local machine trying to enable service:web...Service is already running" 0
	nn_check "frozen: -Z Success, then -d refused: Failure: Service is frozen (exit 245)" \
		eval 'said 1 "-Z web" "Local machine freezing service:web...Success" 0 &&
		      said 1 "-d web" "Local machine disabling service:web...Failure: Service is frozen" 245'
	nn_check "-U, then -d and -e on node1: web back on node1" \
		eval 'said 1 "-U web" "Local machine unfreezing service:web...Success" 0 &&
		      said 1 "-d web" "Local machine disabling service:web...Success" 0 &&
		      said 1 "-e web" "Local machine trying to enable service:web...Success|service:web is now running on node1" 0 &&
		      log_is "start node1 stop node1 start node2 stop node2 start node1 "'
}
show() { echo "  web.log: $(tr '\n' ' ' <"$NN_DIR/web.log")"; }

# A vm (its OCF agent above): enabled on node2, migrated live to node3.
vm()
{
	: >"$NN_DIR/vm.log"
	nn_check "clusvcadm -e vm:g on node2: runs there" \
		said 2 "-e vm:g" "Local machine trying to enable vm:g...Success|vm:g is now running on node2" 0
	nn_check "clusvcadm -M vm:g -m node3: migrated live (the agent's migrate node3, no stop)" \
		eval 'said 1 "-M vm:g -m node3" "Trying to migrate vm:g to node3...Success" 0 &&
		      [ "$(cat "$NN_DIR/vm.at")" = node3 ] &&
		      ! grep -q stop "$NN_DIR/vm.log" && grep -qx "migrate node2 node3" "$NN_DIR/vm.log"'
	nn_check "clustat -s vm:g: started on node3" \
		eval "nn_exec 1 clustat -s vm:g | grep -qE '^ vm:g +node3 +started'"
	nn_check "clusvcadm -d vm:g: its agent stops it on node3" \
		eval 'said 3 "-d vm:g" "Local machine disabling vm:g...Success" 0 &&
		      [ ! -e "$NN_DIR/vm.at" ]'
}

# A reload (spec 7.4) through ccs_tool update: web's resource changed
# (its check every 2 s): restarted in place on node1; a new service
# "two" (its script logs to two.log) starts where it is best.
reload()
{
	sed -e 's/config_version="[0-9]*"/config_version="2"/' \
	    -e 's|interval="1"/></script></service>|interval="2"/></script></service><service name="two"><script name="t" file="'"$NN_DIR"'/two.sh"/></service>|' \
		"$NN_DIR/node1/etc-cluster/cluster.conf" >"$NN_DIR/v2.conf"
	printf '#!/bin/sh\necho "$1 $(hostname)" >>"%s/two.log"\nexit 0\n' \
		"$NN_DIR" >"$NN_DIR/two.sh"
	chmod +x "$NN_DIR/two.sh"
	: >"$NN_DIR/web.log"
	nn_check "ccs_tool update to version 2 (web's check changed, service two added)" \
		eval 'nn_exec 1 ccs_tool update "$NN_DIR/v2.conf" >/dev/null'
	nn_expect "reload: web restarted in place on node1" \
		log_is "stop node1 start node1 " || show
	nn_expect "reload: two is stopped on each node first, then starts once, where it is placed" \
		eval '[ "$(grep -c start "$NN_DIR/two.log")" = 1 ] &&
		      grep -qx "start node[123]" "$NN_DIR/two.log" &&
		      [ "$(grep "^stop" "$NN_DIR/two.log" | sort | tr "\n" " ")" = "stop node1 stop node2 stop node3 " ] &&
		      n=$(sed -n "s/^start //p" "$NN_DIR/two.log") &&
		      [ "$(grep -m1 "$n" "$NN_DIR/two.log")" = "stop $n" ]' ||
		cat "$NN_DIR/two.log"
}

# relocation to a member and to the best one, restart in place, -s,
# the lock, and a failed status check; web ends on node1.
moves()
{
	: >"$NN_DIR/web.log"
	nn_check "clusvcadm -r web -m node3 on node2: runs on node3" \
		eval 'said 2 "-r web -m node3" "Trying to relocate service:web to node3...Success|service:web is now running on node3" 0 &&
		      log_is "stop node1 start node3 "'
	nn_check "clusvcadm -R web on node1: restarted on node3" \
		eval 'said 1 "-R web" "Local machine trying to restart service:web...Success" 0 &&
		      log_is "stop node1 start node3 stop node3 start node3 "'
	nn_check "clusvcadm -r web on node2: the best other member, node1" \
		eval 'said 2 "-r web" "Trying to relocate service:web...Success|service:web is now running on node1" 0 &&
		      log_is "stop node1 start node3 stop node3 start node3 stop node3 start node1 "'
	nn_check "clusvcadm -r web -m nodeX: not a member, closest match, exit 1" \
		said 2 "-r web -m node" "'node' not in membership list|More than one possible match for 'node' found" 1
	: >"$NN_DIR/web.log"
	nn_check "clusvcadm -s web: stopped, and it stays stopped (3 s)" \
		eval 'said 3 "-s web" "Local machine stopping service:web...Success" 0 &&
		      sleep 3 && log_is "stop node1 "'
	nn_check "-l: locked, -S says so, -e refused (Temporary failure, exit 250)" \
		eval 'said 2 "-l" "Resource groups locked" 0 &&
		      said 3 "-S" "Resource groups locked" 0 &&
		      said 1 "-e web" "Local machine trying to enable service:web...Temporary failure; try again" 250'
	nn_check "locked: -r web answers Failure (exit 255), nothing moves" \
		eval 'said 1 "-r web" "Trying to relocate service:web...Failure" 255 &&
		      log_is "stop node1 "'
	nn_check "-u: unlocked; -e web -m node1 from node3: runs on node1" \
		eval 'said 2 "-u" "Resource groups unlocked" 0 &&
		      said 3 "-e web -m node1" "Member node1 trying to enable service:web...Success|service:web is now running on node1" 0 &&
		      log_is "stop node1 start node1 "'
	nn_check "clusvcadm -q -d web: nothing printed, exit 0; -e web -F on node3: its domain's best, node1" \
		eval 'said 2 "-q -d web" "" 0 &&
		      said 3 "-e web -F" "Local machine trying to enable service:web...Success|service:web is now running on node1" 0'
	: >"$NN_DIR/web.log"
	touch "$NN_DIR/dead.node1"
	nn_expect "web's status fails on node1: restarted there" \
		log_is "stop node1 start node1 " || show
	nn_check "node1 logged the failed check" \
		eval "grep -q 'status of service:web failed (script:w)' '$NN_DIR/node1/log'"
	nn_check "clustat -x: web started on node1, 1 restart" \
		eval "nn_exec 2 clustat -x | grep -q 'name=\"service:web\" state=\"112\" state_str=\"started\".*owner=\"node1\".*restarts=\"1\"'" ||
		nn_exec 2 clustat -x | grep service: | sed 's/^/  | /'
	reload
	vm
}

body()
{
	script
	conf || { nn_tally "$LABEL"; return; }
	touch "$NN_DIR/run.node2"	# an earlier run left it running
	nn_start 1; nn_start 2; nn_start 3
	nn_expect "3 nodes: web starts on node1 (first in its domain), only there" \
		eval 'grep -qx "start node1" "$NN_DIR/web.log" &&
		      [ "$(grep -c start "$NN_DIR/web.log")" = 1 ]' || show
	nn_check "clean slate: node2 stopped its leftover web before offering" \
		eval "grep -qx 'stop node2' '$NN_DIR/web.log' &&
		      grep -q 'clean slate: every service is stopped here' '$NN_DIR/node2/log'"
	echo "start node1" >"$NN_DIR/web.log"
	LIMIT=5 nn_expect "clustat on node2: quorate, node2 Local, web started on node1" \
		eval "nn_exec 2 clustat > '$NN_DIR/clustat.out' &&
		      grep -qx 'Member Status: Quorate' '$NN_DIR/clustat.out' &&
		      grep -qE '^ node2 +2 Online, Local, rgmanager\$' '$NN_DIR/clustat.out' &&
		      grep -qE '^ service:web +node1 +started +\$' '$NN_DIR/clustat.out'" ||
		sed 's/^/  | /' "$NN_DIR/clustat.out"
	nn_check "clustat -s web: exit 0 (it runs); -Q: exit 0" \
		eval "nn_exec 3 clustat -s web >/dev/null && nn_exec 3 clustat -Q"
	admin
	moves
	: >"$NN_DIR/web.log"
	nn_signal 1 KILL
	LIMIT=10 nn_expect "node1 killed: node2 logs that node1 needs a reset (fence_manual)" \
		eval "grep -q 'needs to be reset' '$NN_DIR/node2/log'"
	sleep 3
	nn_check "not fenced yet: web runs nowhere else (3 s)" log_is "" ||
		show
	nn_check "fence_ack_manual -O node1 on node3: done" \
		eval '[ "$(nn_exec 3 fence_ack_manual -O node1 2>&1)" = done ]'
	nn_expect "fenced: web starts on node2 (next in its domain), once" \
		log_is "start node2 " || show
	nn_check "node2 logged: Waiting for node #1 to be fenced, then Node #1 fenced; continuing" \
		eval "grep -q 'Waiting for node #1 to be fenced (it ran service:web)' '$NN_DIR/node2/log' &&
		      grep -q 'Node #1 fenced; continuing' '$NN_DIR/node2/log'"
	local seen
	seen=$(wc -l <"$NN_DIR/node3/log")
	nn_stop 2
	nn_expect "clean stop of node2: web stopped there" \
		log_is "start node2 stop node2 " || show
	sleep 3
	nn_check "node3 alone (1 of 3 votes) starts nothing (3 s)" \
		log_is "start node2 stop node2 " || show
	nn_check "node3 logged no start since" \
		eval "! tail -n +$((seen + 1)) '$NN_DIR/node3/log' | grep -q 'Starting web'"
	nn_check "clustat -Q on node3 alone: exit 1 (inquorate)" \
		eval "! nn_exec 3 clustat -Q"
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
