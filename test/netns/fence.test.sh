#!/bin/bash
# test/netns/fence.test.sh - fencing between real daemons (lib.sh, spec
# 4.7, 6.4, 6.5): the test agent (fence_agent, here) powers a node off by
# hand; a node killed -9 is fenced once, by the lowest node id, and
# `cman_tool nodes -f` says by what; a node restarted after its fence
# rejoins; a clean stop fences nobody; a failing device is retried until
# it works; a hung agent is killed at its time-out and the operator's
# fence_ack_manual ends the fencing; fence_manual waits for that
# acknowledgement; Debian's fence_dummy works unmodified as a device.
#
#   bash test/netns/fence.test.sh [HACLUSTER]      (root)
#
# Texts the daemon must write (node1 decides: lowest node id):
#   node1's log   fencing node "node3"                  (a fence starts)
#   node1+2 logs  node node3 fenced by fence_agent     (agent's basename)
#   node1's log   fence "node2" failed                 (a line ending so,
#                                                       per failed try)
#   node1's log   fence "node2" success                (ends the line)
#   node1's log   ... timed out ...                    (agent killed at
#                                                       agent_timeout="3")
#   node1's log   fence "node2" acknowledged by the operator
#   node1's log   ... needs to be reset before recovery can procede ...
#   node1's log   node node3 fenced by fence_manual
#   cman_tool nodes -f, under the victim's row:
#                 "       Last fenced:   YYYY-MM-DD HH:MM:SS by AGENT"
#                 "       Node has not been fenced since it went down"
#   fence_ack_manual -O -n NODE on any member prints "done", exit 0.
# shellcheck disable=SC2016	# eval '...' checks expand when they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-fence
NCHECKS=50
LIMIT=${NN_LIMIT:-30}
AGENT=$HERE/fence_agent
# the hung agent's time-out, a fencedevice attribute the daemon reads and
# does not pass to the agent (agents/fence.c: agent_timeout, seconds)
HANG_TIMEOUT='agent_timeout="3"'

nn_require "$LABEL" "$NCHECKS"

. "$HERE/cman.sh"

# --- the cluster.conf ------------------------------------------------------------
# fence_conf "DEV1 DEV2 DEV3" DEVICES: after nn_conf, node I of every
# copy fences by method "power" = <device name="DEVi" port="I"/>, and
# <fencedevices> holds DEVICES (XML).
fence_conf()
{
	local devs f i
	read -r -a devs <<<"$1"
	for f in "$NN_DIR/cluster.conf" "$NN_DIR"/node*/etc-cluster/cluster.conf; do
		for i in 1 2 3; do
			sed -i "s|<clusternode name=\"node$i\" nodeid=\"$i\"/>|<clusternode name=\"node$i\" nodeid=\"$i\"><fence><method name=\"power\"><device name=\"${devs[i-1]}\" port=\"$i\"/></method></fence></clusternode>|" "$f"
		done
		sed -i "s|<fencedevices/>|<fencedevices>$2</fencedevices>|" "$f"
	done
}
# dev NAME ATTRS: a fencedevice running the test agent on this run's nodes
# (host: a pid in the host's namespaces, this shell).
dev()
{
	echo "<fencedevice name=\"$1\" agent=\"$AGENT\" prefix=\"$NN_PFX\" dir=\"$NN_DIR\" host=\"$$\" $2/>"
}
# conf "DEV1 DEV2 DEV3" DEVICES: the whole file, written and checked.
conf()
{
	NN_EXTRA=${FENCE_DAEMON:-'<fence_daemon post_join_delay="3" clean_start="1"/>'} \
		nn_conf multicast 3 || return 1
	fence_conf "$@"
	nn_check "cluster.conf with devices $1 validates" \
		"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}

# --- reading the agent's and the daemons' logs --------------------------------
# The agent's calls and the daemons' logs are read from a mark on.
AMARK=0
declare -a MARK=(0 0 0 0)
mark()
{
	local i
	AMARK=$( (wc -l <"$NN_DIR/fence_agent.log") 2>/dev/null || echo 0)
	for i in 1 2 3; do MARK[i]=$(wc -l <"$NN_DIR/node$i/log"); done
}
# calls PORT: the agent's calls for node PORT since the mark.
calls()
{
	tail -n +$((AMARK + 1)) "$NN_DIR/fence_agent.log" 2>/dev/null |
		grep " port=$1 "
}
ncalls() { calls "$1" | wc -l; }
# results PORT: their results, in order, on one line.
results() { calls "$1" | sed 's/.* result=//' | tr '\n' ' ' | sed 's/ $//'; }
# since I: node I's log since the mark; saw I TEXT: it holds TEXT;
# nsaw I REGEX: how many of its lines match REGEX (grep's basic RE).
since() { tail -n +$((MARK[$1] + 1)) "$NN_DIR/node$1/log"; }
saw() { since "$1" | grep -qF -- "$2"; }
nsaw() { since "$1" | grep -c -- "$2"; }

# fence_info I NODE: the lines under NODE's row of cman_tool nodes -f.
fence_info()
{
	nn_exec "$1" cman_tool nodes -f 2>/dev/null | awk -v n="$2" '
		/^ *[0-9]+ +[MXd?] / { on = ($NF == n); next }
		on'
}
last_fenced()
{
	fence_info "$1" "$2" |
		grep -qE "^       Last fenced:   [0-9-]+ [0-9:]+ by $3\$"
}
not_fenced()
{
	fence_info "$1" "$2" |
		grep -qx "       Node has not been fenced since it went down"
}
# off I: node I is powered off: cable out, nothing left in its namespace.
off()
{
	! ip -o link show "$(nn_veth "$1")" | grep -q '[<,]UP[,>]' &&
		[ -z "$(ip netns pids "$(nn_ns "$1")")" ]
}
# stale_hang: a hung agent (sleep 3600) older than 5 s runs in node1.
stale_hang()
{
	local p
	for p in $(ip netns pids "$(nn_ns 1)"); do
		grep -qx 'sleep.3600.' <(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) ||
			continue
		[ "$(ps -o etimes= -p "$p" | tr -d ' ')" -gt 5 ] && return 0
	done
	return 1
}
# ack I NODE: fence_ack_manual on node I; PASS when it prints "done".
ack()
{
	local out
	out=$(nn_exec "$1" fence_ack_manual -O -n "$2" 2>&1)
	nn_check "fence_ack_manual -O -n $2 on node$1 prints done" \
		[ "$out" = "done" ] || echo "  it said: $out"
}

# --- 0: the agent by hand, on stand-ins ---------------------------------------
# agent_call KEYS...: the agent in node1 with KEYS (and this run's prefix,
# dir, host) on stdin; rc= and the output in OUT.
OUT='' RC=''
agent_call()
{
	OUT=$(printf '%s\n' "prefix=$NN_PFX" "dir=$NN_DIR" "host=$$" "$@" |
		nn_exec 1 "$AGENT" 2>&1)
	RC=$?
}
agent()
{
	nn_start 1 -- sleep 600 && nn_start 3 -- sleep 600 || return 1
	agent_call port=3 mode=failn fails=1
	nn_check "agent, failn fails=1, first call: rc 1, node3 untouched" \
		eval '[ $RC = 1 ] && [ "$OUT" = "fence_agent: mode failn: failure 1 of 1" ] && nn_alive 3' ||
		echo "  rc=$RC: $OUT"
	agent_call action=status nodename=node3
	nn_check "agent, action=status nodename=node3: rc 0, node3 untouched" \
		eval '[ $RC = 0 ] && nn_alive 3'
	agent_call port=3 mode=failn fails=1
	nn_check "agent, failn second call: Success: Powered OFF, rc 0" \
		eval '[ $RC = 0 ] && [ "$OUT" = "Success: Powered OFF" ]' ||
		echo "  rc=$RC: $OUT"
	nn_check "agent powered node3 off: cable out, its process gone" off 3
	OUT=$(printf '%s\n' "port=2" "dir=$NN_DIR" "mode=hang" |
		nn_exec 1 timeout 2 "$AGENT" 2>&1)
	RC=$?
	nn_check "agent, mode=hang: still running at 2 s (timeout's rc 124)" \
		[ $RC = 124 ]
	nn_check "agent log: one line per call, caller=node1, in order" eval \
		'[ "$(sed "s/^[0-9]\{13\} //" "$NN_DIR/fence_agent.log")" = "caller=node1 port=3 action=off mode=failn result=fail
caller=node1 port=3 action=status mode=poweroff result=ok
caller=node1 port=3 action=off mode=failn result=ok
caller=node1 port=2 action=off mode=hang result=hang" ]' ||
		sed 's/^/  | /' "$NN_DIR/fence_agent.log"
	nn_stop 1
	nn_link 3 up
	rm -f "$NN_DIR"/fence_agent.*
}

# --- round 1: a power switch, and a flaky one for node2 -----------------------
# a: three quorate nodes
start3()
{
	nn_start 1; nn_start 2; nn_start 3
	expect "$1: 3 nodes quorate" "1 2 3" quorate "1 2 3" 3 2
}
# b: node3 killed -9 is fenced once, by node1
kill_fenced()
{
	mark
	nn_signal 3 KILL
	LIMIT=10 nn_expect "kill -9 node3: the agent powers it off (port=3 result=ok)" \
		eval '[ "$(calls 3 | grep -c " result=ok$")" -ge 1 ]'
	nn_check "node1 logged: fencing node \"node3\"" saw 1 'fencing node "node3"'
	LIMIT=10 nn_expect "node1 and node2 logged: node node3 fenced by" \
		eval 'saw 1 "node node3 fenced by " && saw 2 "node node3 fenced by "'
	sleep 2		# a second fence would show by now
	nn_check "exactly one agent call for node3, from node1, ok" eval \
		'[ "$(ncalls 3)" = 1 ] && calls 3 | grep -q " caller=node1 port=3 action=off mode=poweroff result=ok$"' ||
		calls 3 | sed 's/^/  | /'
	nn_check "node3 is off: cable out, nothing left in its namespace" off 3
	nn_check "cman_tool nodes -f on node2: node3 Last fenced ... by fence_agent" \
		last_fenced 2 node3 fence_agent ||
		nn_exec 2 cman_tool nodes -f 2>&1 | sed 's/^/  | /'
	expect "node1+2 quorate members of 2" "1 2" quorate "1 2" 2 2
}
# c: node3 back after its fence
rejoin()
{
	nn_link 3 up
	nn_start 3
	expect "node3 restarted after its fence: 3 quorate" "1 2 3" \
		quorate "1 2 3" 3 2
}
# d: a clean stop fences nobody
clean_stop()
{
	mark
	nn_stop 2
	expect "node2 stopped cleanly: node1+3 quorate members of 2" "1 3" \
		quorate "1 3" 2 2
	sleep 5
	nn_check "clean stop of node2: no agent call for node2 in 5 s" \
		[ "$(ncalls 2)" = 0 ]
	nn_check "clean stop: node1 did not log fencing node \"node2\"" \
		eval '! saw 1 "fencing node \"node2\""'
}
# e: node2's device fails twice, then works
retried()
{
	local t
	rm -f "$NN_DIR"/fence_agent.count.*
	nn_start 2
	expect "node2 back: 3 quorate" "1 2 3" quorate "1 2 3" 3 2 || return 1
	mark
	nn_signal 2 KILL
	LIMIT=40 nn_expect "kill -9 node2 (failn fails=2): agent results fail fail ok" \
		eval '[ "$(results 2)" = "fail fail ok" ]' ||
		calls 2 | sed 's/^/  | /'
	t=$(calls 2 | awk '{ if (p) printf "%d ", ($1 - p) / 1000; p = $1 }')
	echo "  seconds between the tries: $t"
	nn_check "the tries wait 4 s or more one after the other" \
		eval '[ "$(ncalls 2)" = 3 ] && calls 2 | awk "NR > 1 && \$1 - p < 4000 { exit 1 } { p = \$1 }"'
	LIMIT=5 nn_expect "node1 logged fence \"node2\" failed twice, success once" \
		eval '[ "$(nsaw 1 "fence \"node2\" failed\$")" = 2 ] &&
		      [ "$(nsaw 1 "fence \"node2\" success\$")" = 1 ]'
	nn_check "every try was node1's" eval \
		'[ "$(calls 2 | grep -c " caller=node1 ")" = "$(ncalls 2)" ]'
	nn_check "node2 is off" off 2
}

# --- round 2: a hanging device, and fence_manual ------------------------------
# f: node2's agent hangs: killed at its time-out; the operator acknowledges
hung()
{
	local n
	mark
	nn_signal 2 KILL
	LIMIT=15 nn_expect "kill -9 node2: its agent hangs (port=2 result=hang, caller=node1)" \
		eval 'calls 2 | grep -q " caller=node1 .* result=hang$"'
	LIMIT=10 nn_expect "node1 logged: timed out" saw 1 "timed out"
	sleep 3
	nn_check "no hung agent older than 5 s left in node1" \
		eval '[ "$(ncalls 2)" -ge 1 ] && ! stale_hang'
	ack 1 node2
	# the expected text, for the daemon's author to match:
	LIMIT=10 nn_expect "node1 logged: fence \"node2\" acknowledged by the operator" \
		saw 1 'fence "node2" acknowledged by the operator'
	n=$(ncalls 2)
	sleep 6
	nn_check "after the ack no more agent calls for node2 (6 s)" \
		[ "$(ncalls 2)" = "$n" ]
}
# g: node3 has only fence_manual: it waits for fence_ack_manual
manual()
{
	nn_start 2
	expect "node2 back: 3 quorate" "1 2 3" quorate "1 2 3" 3 2 || return 1
	mark
	nn_signal 3 KILL
	LIMIT=15 nn_expect "kill -9 node3 (fence_manual): node1 logged: needs to be reset before recovery can procede" \
		saw 1 "needs to be reset before recovery can procede"
	LIMIT=5 nn_expect "cman_tool nodes -f on node1: node3 has not been fenced since it went down" \
		not_fenced 1 node3
	ack 2 node3
	LIMIT=10 nn_expect "node1 logged: node node3 fenced by fence_manual" \
		saw 1 "node node3 fenced by fence_manual"
	LIMIT=5 nn_expect "cman_tool nodes -f on node1: node3 Last fenced ... by fence_manual" \
		last_fenced 1 node3 fence_manual
}

# h: Debian's fence_dummy, unmodified, as every node's device
need_fence_dummy()
{
	[ -x /usr/sbin/fence_dummy ] && return 0
	echo "  installing Debian's fence-agents and python3-pycurl (for fence_dummy)"
	DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q \
		--no-install-recommends fence-agents python3-pycurl >/dev/null 2>&1
	[ -x /usr/sbin/fence_dummy ]
}
dummy()
{
	if ! need_fence_dummy; then
		nn_skip "fence_dummy: fence-agents could not be installed here"
		nn_skip "fence_dummy: node node3 fenced by fence_dummy"
		nn_skip "fence_dummy: cman_tool nodes -f says so"
		return 0
	fi
	nn_stop_all
	conf "dummy dummy dummy" "<fencedevice name=\"dummy\" agent=\"fence_dummy\" type=\"file\" status_file=\"$NN_DIR/dummy.status\"/>"
	start3 "round 3 (fence_dummy)" || return 1
	mark
	nn_signal 3 KILL
	LIMIT=15 nn_expect "fence_dummy: node1 logged: node node3 fenced by fence_dummy" \
		saw 1 "node node3 fenced by fence_dummy"
	LIMIT=5 nn_expect "fence_dummy: cman_tool nodes -f on node2: node3 Last fenced ... by fence_dummy" \
		last_fenced 2 node3 fence_dummy
}

# i: start-up fencing of a node that never comes, and a decider that
# dies in the middle of it: node2 (3 of 5 votes) stays quorate alone and
# fences node3 itself, once, and node1 too.
startup_takeover()
{
	local f
	nn_stop_all
	FENCE_DAEMON='<fence_daemon post_join_delay="3" clean_start="0"/>' \
		conf "slow pwr slow" "$(dev pwr 'mode="poweroff"')$(dev slow 'mode="slow" sleep="4"')"
	for f in "$NN_DIR/cluster.conf" "$NN_DIR"/node*/etc-cluster/cluster.conf; do
		sed -i 's|<clusternode name="node2" nodeid="2">|<clusternode name="node2" nodeid="2" votes="3">|' "$f"
	done
	mark
	nn_start 1; nn_start 2
	expect "round 4: node1 and node2 quorate (4 of 5 votes), node3 never comes" \
		"1 2" quorate "1 2" 2 3 || return 1
	LIMIT=10 nn_expect "start-up fencing: node1 logged: node node3 did not join within post_join_delay" \
		saw 1 "node node3 did not join within post_join_delay"
	LIMIT=5 nn_expect "node1 starts fencing node3 (a slow device: 4 s)" \
		saw 1 'fencing node "node3"'
	nn_kill 1
	LIMIT=20 nn_expect "node1 powered off mid-fence: node2 fences node3 (caller=node2)" \
		eval '[ "$(calls 3 | grep -c "caller=node2 .*result=ok$")" = 1 ]'
	nn_check "node3 was fenced once (one successful call)" \
		eval '[ "$(calls 3 | grep -c " result=ok$")" = 1 ]'
	LIMIT=15 nn_expect "node2 fences node1 too" \
		eval 'calls 1 | grep -q "caller=node2 .*result=ok$"'
	nn_check "node2 logged: node node3 fenced by fence_agent" \
		saw 2 "node node3 fenced by fence_agent"
}

body()
{
	local t0; t0=$(nn_now_ms)
	agent
	conf "pwr pwr2 pwr" "$(dev pwr 'mode="poweroff"')$(dev pwr2 'mode="failn" fails="2"')"
	if start3 "round 1"; then
		kill_fenced; rejoin; clean_stop; retried
	fi
	nn_stop_all
	conf "pwr hang manual" "$(dev pwr 'mode="poweroff"')$(dev hang "mode=\"hang\" $HANG_TIMEOUT")<fencedevice name=\"manual\" agent=\"fence_manual\"/>"
	if start3 "round 2"; then
		hung; manual
	fi
	startup_takeover
	dummy
	echo "  whole run: $(( ($(nn_now_ms) - t0) / 1000 )) s"
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
