#!/bin/bash
# test/daemon-smoke.sh - one real daemon as a single-node cluster on
# loopback: it joins, cman_tool reads it, a second one is refused, a
# stall is survived, SIGTERM stops it cleanly; then the same started in
# the background the way an administrator starts it.
#
# usage: test/daemon-smoke.sh [BINARY]        (default ./hacluster)
# Needs root: each run is inside `unshare -m -n`, with tmpfs over /run
# and /var/lib and a private network namespace whose only interface is
# lo, so nothing of the host is touched or reachable.  Every wait is
# bounded; only the pids started here are signalled.  Last line:
# "daemon-smoke: N passed, N failed".
set -u
bin=$(readlink -f "${1:-./hacluster}")
if [ "$(id -u)" != 0 ] || ! command -v unshare >/dev/null; then
	echo "daemon-smoke: needs root and unshare: skipped"
	echo "daemon-smoke: 0 passed, 0 failed"
	exit 0
fi
T=$(mktemp -d /tmp/daemon-smoke.XXXXXX)
trap 'rm -rf "$T"' EXIT

cat >"$T/cluster.conf" <<'EOF'
<?xml version="1.0"?>
<cluster name="smoke" config_version="3">
  <cman transport="udpu"/>
  <totem token="1000"/>
  <clusternodes>
    <clusternode name="127.0.0.1" nodeid="1"/>
  </clusternodes>
</cluster>
EOF

# The part that runs inside the namespaces; prints PASS:/FAIL: lines.
cat >"$T/inner.sh" <<'EOF'
set -u
bin=$1 T=$2
conf=$T/cluster.conf
pass() { echo "PASS: $1"; }
fail() { echo "FAIL: $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/  /'; }
check() { if eval "$2"; then pass "$1"; else fail "$1" "${3:-}"; fi; }
ct() { "$bin" cman_tool "$@" 2>&1; }
# wait_for SECONDS COMMAND: until COMMAND succeeds, 0.1 s steps
wait_for() {
	local n=$(($1 * 10))
	while [ $n -gt 0 ]; do eval "$2" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
gone() { ! kill -0 "$1" 2>/dev/null; }

mount --make-rprivate / && mount -t tmpfs tmpfs /run &&
	mount -t tmpfs tmpfs /var/lib && ip link set lo up ||
	{ fail "namespace set-up"; exit 0; }

# --- foreground -----------------------------------------------------------
t0=$(date +%s)
"$bin" daemon -f -c "$conf" -n 127.0.0.1 2>"$T/fg.log" &
pid=$!
wait_for 15 'ct status | grep -q "^Cluster Member: Yes"'
st=$(ct status)
check "joins: Cluster Member: Yes" 'echo "$st" | grep -qx "Cluster Member: Yes"' "$st
$(tail -5 "$T/fg.log")"
check "status: Nodes: 1" 'echo "$st" | grep -qx "Nodes: 1"' "$st"
check "status: Membership state" \
	'echo "$st" | grep -qx "Membership state: Cluster-Member"' "$st"
check "status: names and ids" \
	'echo "$st" | grep -qx "Cluster Name: smoke" &&
	 echo "$st" | grep -qx "Config Version: 3" &&
	 echo "$st" | grep -qx "Cluster Id: 3471" &&
	 echo "$st" | grep -qx "Node ID: 1" &&
	 echo "$st" | grep -qx "Node addresses: 127.0.0.1"' "$st"
gen=$(echo "$st" | sed -n 's/^Cluster Generation: //p')
check "ring seq persisted" \
	'[ -n "$gen" ] && [ "$gen" -gt 0 ] &&
	 [ "$(cat /var/lib/hacluster/ringseq)" -ge "$gen" ]' \
	"generation '$gen', file '$(cat /var/lib/hacluster/ringseq 2>&1)'"
nodes=$(ct nodes)
check "nodes: one member row" \
	'echo "$nodes" | sed -n 2p | grep -Eq "^   1   M  +[0-9]+   [0-9-]{10} [0-9:]{8}  127\.0\.0\.1$"' \
	"$nodes"
check "nodes -F" '[ "$(ct nodes -F id,type,name)" = "1 M 127.0.0.1" ]' \
	"$(ct nodes -F id,type,name)"
check "status --json" \
	'ct status --json | grep -q "\"cluster_member\":true,\"cluster_generation\":$gen,"' \
	"$(ct status --json)"
check "version" '[ "$(ct version)" = "6.2.0 config 3" ]' "$(ct version)"
if [ -n "${JSON_OUT:-}" ]; then	# for test/json.test.sh
	ct status --json >"$JSON_OUT/cman_tool_status.json"
	ct nodes --json >"$JSON_OUT/cman_tool_nodes.json"
	ct nodes -f --json >"$JSON_OUT/cman_tool_nodes_f.json"
	"$bin" clustat --json >"$JSON_OUT/clustat.json" 2>&1
fi
check "pid file holds the daemon" \
	'[ "$(cat /run/hacluster/hacluster.pid)" = "$pid" ]'
out=$("$bin" daemon -f -c "$conf" -n 127.0.0.1 2>&1)
rc=$?
check "a second daemon is refused" \
	'[ $rc = 1 ] && echo "$out" | grep -q "Node is already active"' \
	"rc=$rc $out"
# a stall: stopped for 1.5 s (> token), it must notice and stay a member
kill -STOP "$pid"; sleep 1.5; kill -CONT "$pid"
wait_for 5 'grep -q "not scheduled" "$T/fg.log"'
check "a stall is noticed" 'grep -q "not scheduled" "$T/fg.log"' \
	"$(tail -5 "$T/fg.log")"
wait_for 10 'ct status | grep -q "^Cluster Member: Yes"'
check "still a member after the stall" \
	'ct status | grep -qx "Cluster Member: Yes"' "$(ct status)"
kill -TERM "$pid"
wait_for 5 "gone $pid"
if gone "$pid"; then
	wait "$pid"; rc=$?
	check "SIGTERM: exit 0" '[ $rc = 0 ]' "rc=$rc $(tail -3 "$T/fg.log")"
else
	fail "SIGTERM: exit within 5 s"
	kill -KILL "$pid"; wait "$pid"
fi
check "SIGTERM: socket and pid file removed" \
	'[ ! -e /run/hacluster/hacluster.sock ] &&
	 [ ! -e /run/hacluster/hacluster.pid ]'
check "SIGTERM: left the ring" 'grep -q "leaving" "$T/fg.log"' \
	"$(tail -3 "$T/fg.log")"
check "no daemon: cman_tool says so" \
	'[ "$(ct status)" = "cman_tool: Cannot open connection to cman, is it running ?" ]'

# --- start-up refusals and state -------------------------------------------
check "the incarnation order is saved, not below the clock" \
	'[ "$(cat /var/lib/hacluster/incarnation)" -ge "$t0" ]' \
	"file '$(cat /var/lib/hacluster/incarnation 2>&1)', start $t0"
head -c 8 /dev/urandom >"$T/short.key"
sed 's|<cman transport="udpu"/>|<cman transport="udpu" keyfile="'"$T"'/short.key"/>|' \
	"$conf" >"$T/short.conf"
out=$("$bin" daemon -f -c "$T/short.conf" -n 127.0.0.1 2>&1)
rc=$?
check "a short key file: refused with its size and how to make one" \
	'[ $rc = 1 ] && echo "$out" | grep -q "the key file $T/short.key holds 8 bytes; a key is 16 to 4096 bytes (make one with .hacluster keygen. and copy it to every node)"' \
	"rc=$rc $out"

# --- background, as an administrator starts it ------------------------------
out=$(timeout 30 "$bin" daemon -c "$conf" -n 127.0.0.1 2>"$T/bg.err")
rc=$?
check "background: exit 0 once joined" '[ $rc = 0 ]' "rc=$rc $out"
check "background: the steps" \
	'[ "$(echo "$out" | head -1)" = "Starting cluster: " ] &&
	 echo "$out" | grep -qx "   Joining the cluster... \[  OK  \]" &&
	 echo "$out" | grep -qx "   Starting fencing... \[  OK  \]"' "$out"
bg=$(cat /run/hacluster/hacluster.pid 2>/dev/null)
check "background: member" 'ct status | grep -qx "Cluster Member: Yes"'
if [ -n "$bg" ] && kill -0 "$bg" 2>/dev/null; then
	kill -TERM "$bg"
	wait_for 5 "gone $bg"
	check "background: SIGTERM stops it" "gone $bg"
	gone "$bg" || kill -KILL "$bg"
else
	fail "background: pid file names a live daemon" "pid '$bg'"
fi
EOF

out=$(timeout 120 unshare -m -n bash "$T/inner.sh" "$bin" "$T" 2>&1)
echo "$out" | grep -v '^PASS: '
[ -n "${VERBOSE:-}" ] && echo "$out" | grep '^PASS: '
p=$(echo "$out" | grep -c '^PASS: ')
f=$(echo "$out" | grep -c '^FAIL: ')
[ "$p" -gt 0 ] || f=$((f + 1))
echo "daemon-smoke: $p passed, $f failed"
[ "$f" -eq 0 ]
