#!/bin/bash
# test/netns/clustat.test.sh - clustat against real daemons (lib.sh, spec
# 5.1): --json (schema 1) parses and says what plain clustat says; -m
# filters it; -i N refreshes (clear screen, the same report) until
# SIGINT/SIGTERM; a bad -i is a usage error; a node killed -9 shows as
# "Offline, Fencing" (plain), fence_pending="1" (-x) and "pending":true
# (--json) until fence_ack_manual, and no longer afterwards.
#
#   bash test/netns/clustat.test.sh [HACLUSTER]      (root)
# shellcheck disable=SC2016	# eval '...' checks expand when they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-clustat
NCHECKS=16
LIMIT=${NN_LIMIT:-20}	# nn_expect's bound (lib.sh)

nn_require "$LABEL" "$NCHECKS"

RM='<rm status_poll_interval="1"><failoverdomains><failoverdomain name="d" ordered="1"><failoverdomainnode name="node1" priority="1"/><failoverdomainnode name="node2" priority="2"/><failoverdomainnode name="node3" priority="3"/></failoverdomain></failoverdomains><service name="web" domain="d"><script name="w" file="WEB"/></service></rm>'

conf()
{
	printf '#!/bin/sh\nexit 0\n' >"$NN_DIR/web.sh"
	chmod +x "$NN_DIR/web.sh"
	NN_FENCE=1 NN_EXTRA='<fence_daemon post_join_delay="3"/>' \
		nn_conf multicast 3 && nn_rm "${RM/WEB/$NN_DIR/web.sh}" || return 1
	nn_check "cluster.conf with the service validates" \
		"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}

# js I EXPR [ARGS...]: `clustat --json ARGS` on node I is one JSON object
# for which the python expression EXPR holds: d the object, M and S its
# members and services by name.
js()
{
	nn_exec "$1" clustat --json "${@:3}" >"$NN_DIR/json.out" 2>&1
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
M = {m["name"]: m for m in d["members"]}
S = {s["name"]: s for s in d["services"] or []}
sys.exit(0 if eval(sys.argv[2]) else 1)' "$NN_DIR/json.out" "$2"
}
shown() { sed 's/^/  | /' "$NN_DIR/$1"; }
# plain I ERE: a line of plain clustat on node I matches ERE.
plain() { nn_exec "$1" clustat >"$NN_DIR/plain.out" 2>&1; grep -qE "$2" "$NN_DIR/plain.out"; }
ONLINE='all(M[n]["status"] == "online" for n in ("node1", "node2", "node3"))'
WEB1='S["service:web"]["state"] == "started" and S["service:web"]["owner"] == "node1"'

refresh()
{
	local out=$NN_DIR/refresh.out n c
	nn_exec 2 timeout 3 clustat -i 1 >"$out" 2>&1
	n=$(grep -c 'Cluster Status for tcluster' "$out")
	c=$(grep -o $'\033\\[H\033\\[2J' "$out" | wc -l)
	if [ "$n" -ge 2 ] && [ "$c" = "$n" ] &&
	   [ "$(grep -cE '^ service:web +node1 +started' "$out")" = "$n" ]; then
		return 0
	fi
	echo "  $n reports, $c clear-screens:"; shown refresh.out; return 1
}

body()
{
	conf || { nn_tally "$LABEL"; return; }
	nn_start 1; nn_start 2; nn_start 3
	nn_expect "clustat --json on node2: three members online, web started on node1" \
		js 2 "$ONLINE and $WEB1" || shown json.out
	nn_check "--json: json.tool reads it; schema 1, tcluster quorate, node2 local, 1 service" \
		eval 'nn_exec 2 clustat --json | python3 -m json.tool >/dev/null &&
		      js 2 "d[\"schema\"] == 1 and d[\"cluster\"][\"name\"] == \"tcluster\" and d[\"cluster\"][\"quorate\"] is True and d[\"cluster\"][\"local_id\"] == 2 and M[\"node2\"][\"local\"] and not M[\"node1\"][\"local\"] and len(S) == 1 and not M[\"node1\"][\"fencing\"][\"pending\"]"' ||
		shown json.out
	nn_check "--json -m node3: only node3, exit 0" \
		js 1 'list(M) == ["node3"] and len(S) == 1' -m node3 ||
		shown json.out
	nn_check "clustat -i 1 under timeout 3: >= 2 reports, each after a clear screen" \
		refresh
	nn_check "clustat -i 1 ends cleanly on SIGINT (exit 0)" \
		eval 'nn_exec 2 timeout --preserve-status -s INT 2 clustat -i 1 >/dev/null'
	nn_check "clustat -i abc: usage error, exit 2" \
		eval 'nn_exec 2 clustat -i abc >/dev/null 2>&1; [ $? = 2 ]'
	nn_check "clustat -i 1 -x: mutually exclusive, exit 1" \
		eval '[ "$(nn_exec 2 clustat -i 1 -x 2>&1)" = "clustat: Error: Options '"'"'-i'"'"' and '"'"'-x'"'"' are mutually exclusive" ]'
	nn_check "plain before the kill: ' node1 1 Online, rgmanager'" \
		plain 2 '^ node1 +1 Online, rgmanager$' || shown plain.out
	nn_signal 1 KILL
	LIMIT=10 nn_expect "node1 killed: node2 logs that node1 needs a reset (fence_manual)" \
		eval "grep -q 'needs to be reset' '$NN_DIR/node2/log'"
	nn_expect "plain on node2: ' node1 1 Offline, Fencing'" \
		plain 2 '^ node1 +1 Offline, Fencing$' || shown plain.out
	nn_check "--json on node2: node1 offline, fencing pending" \
		js 2 'M["node1"]["status"] == "offline" and M["node1"]["fencing"]["pending"] is True and not M["node3"]["fencing"]["pending"]' ||
		shown json.out
	nn_check "-x on node2: node1 state 0 with fence_pending=\"1\"" \
		eval "nn_exec 2 clustat -x | grep -q '<node name=\"node1\" state=\"0\" .* nodeid=\"0x00000001\" fence_pending=\"1\"/>'"
	nn_check "fence_ack_manual -O node1 on node3: done" \
		eval '[ "$(nn_exec 3 fence_ack_manual -O node1 2>&1)" = done ]'
	nn_expect "acknowledged: plain ' node1 1 Offline', -x without fence_pending" \
		eval "plain 2 '^ node1 +1 Offline\$' &&
		      ! nn_exec 2 clustat -x | grep -q fence_pending" ||
		shown plain.out
	nn_expect "--json: node1 not pending, last fenced by fence_manual; web on node2" \
		js 2 'not M["node1"]["fencing"]["pending"] and M["node1"]["fencing"]["by"] == "fence_manual" and M["node1"]["fencing"]["last_fenced"] > 0 and S["service:web"]["owner"] == "node2"' ||
		shown json.out
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
