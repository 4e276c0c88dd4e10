#!/bin/bash
# test/netns/units.test.sh - starting at boot (lib.sh): `hacluster install
# --sysv` writes the init scripts cman and rgmanager, which a node uses
# as an RHCS administrator would (`service cman start`, `service
# rgmanager stop`, `service cman stop`, status), with RHCS's lines; the
# node leaves cleanly (nobody fences it).  `install --systemd` writes
# hacluster.service, which `systemd-analyze verify` accepts (and a broken
# copy it refuses).  In node3's mount namespace /etc/init.d is the
# test's directory (the host's is never touched).
#
#   bash test/netns/units.test.sh [HACLUSTER]      (root)
# shellcheck disable=SC2016	# eval '...' checks expand when they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-units
NCHECKS=17
LIMIT=${NN_LIMIT:-20}	# nn_expect's bound (lib.sh)

nn_require "$LABEL" "$NCHECKS"

# web prefers node3; its script keeps a file in the node's private /run
RM='<rm status_poll_interval="1"><failoverdomains><failoverdomain name="d" ordered="1"><failoverdomainnode name="node3" priority="1"/><failoverdomainnode name="node1" priority="2"/><failoverdomainnode name="node2" priority="3"/></failoverdomain></failoverdomains><service name="web" domain="d" recovery="relocate"><script name="w" file="WEB"/></service></rm>'

conf()
{
	cat >"$NN_DIR/web.sh" <<'EOF'
#!/bin/sh
case $1 in
start) : >/run/web.up ;;
stop) rm -f /run/web.up ;;
status) [ -e /run/web.up ] || exit 3 ;;
esac
exit 0
EOF
	chmod +x "$NN_DIR/web.sh"
	nn_conf multicast 3 && nn_rm "${RM/WEB/$NN_DIR/web.sh}"
}

# on3 CMD...: CMD in node3's namespaces, output into NN_DIR/out, status
on3() { nn_exec 3 "$@" >"$NN_DIR/out" 2>&1; }
out_is() { [ "$(cat "$NN_DIR/out")" = "$1" ]; }
owner() { nn_exec 1 clustat 2>/dev/null | awk '$1 == "service:web" { print $2, $NF }'; }
members() { nn_exec 1 cman_tool status 2>/dev/null | grep -qx "Nodes: $1"; }

sysv()
{
	local d=$NN_DIR/init.d
	mkdir -p "$d"
	nn_check "install --sysv writes cman and rgmanager" \
		eval '"$HACLUSTER" install --sysv "$d" >"$NN_DIR/out" 2>&1 &&
		      [ -x "$d/cman" ] && [ -x "$d/rgmanager" ]'
	nn_check "the scripts parse (sh -n) and carry chkconfig and LSB headers" \
		eval 'sh -n "$d/cman" && sh -n "$d/rgmanager" &&
		      grep -q "^# chkconfig: - 21 79" "$d/cman" &&
		      grep -q "^# chkconfig: - 26 74" "$d/rgmanager" &&
		      grep -q "^# Required-Start: cman" "$d/rgmanager" &&
		      grep -q "^### BEGIN INIT INFO" "$d/cman"'
	nn_check "install --sysv again: the same files, nothing refused" \
		eval '"$HACLUSTER" install --sysv "$d" >/dev/null'
}

systemd()
{
	local d=$NN_DIR/systemd
	mkdir -p "$d"
	nn_check "install --systemd writes hacluster.service (daemon -f, aliases cman and rgmanager)" \
		eval '"$HACLUSTER" install --systemd "$d" >/dev/null &&
		      grep -qx "ExecStart=$(readlink -f "$HACLUSTER") daemon -f" "$d/hacluster.service" &&
		      grep -qx "Alias=cman.service rgmanager.service" "$d/hacluster.service"'
	if ! command -v systemd-analyze >/dev/null; then
		nn_skip "systemd-analyze verify: systemd-analyze is not installed"
		nn_skip "systemd-analyze verify refuses a broken copy: not installed"
		return
	fi
	nn_check "systemd-analyze verify accepts hacluster.service" \
		systemd-analyze verify --man=no "$d/hacluster.service"
	mkdir -p "$d/bad"
	sed 's|^ExecStart=[^ ]*|ExecStart=/nonexistent/hacluster|' \
		"$d/hacluster.service" >"$d/bad/hacluster.service"
	nn_check "systemd-analyze verify refuses a broken copy (no such ExecStart)" \
		eval '! systemd-analyze verify --man=no "$d/bad/hacluster.service" >/dev/null 2>&1'
}

body()
{
	conf || { nn_fail "cluster.conf"; nn_tally "$LABEL"; return 1; }
	nn_need service init-system-helpers ||
		nn_log "service not found: the checks below will fail"
	sysv
	systemd
	nn_start 1; nn_start 2
	# node3: its /etc/init.d is the test's, then `service cman start`
	nn_launch 3 -- sh -c "mount --bind '$NN_DIR/init.d' /etc/init.d &&
		service cman start; echo \"start rc=\$?\"; exec sleep 600"
	nn_started 3
	nn_expect "service cman start: 'Starting cluster:', its steps [  OK  ], rc 0; 3 members" \
		eval 'grep -qx "Starting cluster: " "$NN_DIR/node3/log" &&
		      grep -q "^   Loading config\.\.\. \[  OK  \]" "$NN_DIR/node3/log" &&
		      grep -qx "start rc=0" "$NN_DIR/node3/log" && members 3' ||
		nn_tail 3
	nn_check "service cman status: 'cluster is running.', rc 0" \
		eval 'on3 service cman status && out_is "cluster is running."'
	nn_check "service rgmanager start: 'Starting Cluster Service Manager: [  OK  ]'" \
		eval 'on3 service rgmanager start &&
		      out_is "Starting Cluster Service Manager: [  OK  ]"'
	nn_check "service rgmanager status: 'rgmanager (pid N) is running...', rc 0" \
		eval 'on3 service rgmanager status && grep -qE "^rgmanager \(pid [0-9]+\) is running\.\.\.$" "$NN_DIR/out"'
	nn_expect "web runs on node3 (its domain's first)" \
		eval '[ "$(owner)" = "node3 started" ]' || nn_exec 1 clustat
	nn_check "service rgmanager stop: 'Stopping Cluster Service Manager: [  OK  ]'" \
		eval 'on3 service rgmanager stop &&
		      out_is "Stopping Cluster Service Manager: [  OK  ]"'
	nn_expect "after rgmanager stop: web runs on node1" \
		eval '[ "$(owner)" = "node1 started" ]'
	nn_check "service cman stop: 'Stopping cluster:', then [  OK  ], rc 0" \
		eval 'on3 service cman stop &&
		      out_is "Stopping cluster: 
   Stopping services and leaving the cluster... [  OK  ]"'
	nn_expect "node3 left cleanly: 2 members, node3 not fenced" \
		eval 'members 2 && grep -q "node 3 (node3) left the cluster" "$NN_DIR/node1/log" &&
		      ! grep -q "fencing node \"node3\"" "$NN_DIR/node1/log"'
	nn_check "service cman status after the stop: 'cluster is stopped.', rc 3" \
		eval 'on3 service cman status; [ $? = 3 ] && out_is "cluster is stopped."'
	nn_check "service rgmanager start without the cluster: [FAILED], rc 1" \
		eval 'on3 service rgmanager start; [ $? = 1 ] &&
		      grep -qx "Starting Cluster Service Manager: \[FAILED\]" "$NN_DIR/out"'
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
