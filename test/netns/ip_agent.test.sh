#!/bin/bash
# test/netns/ip_agent.test.sh - the built-in ip agent (agents/ip.c) on
# real interfaces: two namespaces of lib.sh, no daemon.  `hacluster agent
# ip ACTION` runs in node1's (or node2's) network namespace with a clean
# environment, as the daemon runs it: start adds the address to the
# interface of its subnet and tells the neighbours (gratuitous ARP; an
# unsolicited neighbour advertisement for IPv6), start and stop are
# idempotent, status follows the address, the link (monitor_link) and the
# interface's administrative state, depth 10 catches an unusable address,
# prefer_interface chooses between two interfaces of one subnet, an
# address in use elsewhere is refused, stop waits sleeptime seconds.
#
#   bash test/netns/ip_agent.test.sh [HACLUSTER]      (root)
#
# Exit codes expected (agents/ip.c): 0 success, 1 no interface / link /
# interface down / in use / depth 10 failed, 3 unknown action, 6 bad
# parameters, 7 status of an absent address.
# shellcheck disable=SC2016	# eval '...' checks expand when they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-ip
NCHECKS=68
nn_require "$LABEL" "$NCHECKS"

VIP=$NN_NET.100		# the nodes are .1 and .2
NET6=fd00:77:		# a ULA prefix made here, inside the namespaces only
VIP6=${NET6}:100
BOGUS=02:00:00:00:00:01

# agent I ACTION [NAME=VALUE...]: the agent in node I's namespace;
# sleeptime 0 unless given.  Its status is returned, its stderr is in ERR.
ERR=
agent()
{
	local i=$1 act=$2; shift 2
	ERR=$(ip netns exec "$(nn_ns "$i")" env -i PATH="$PATH" \
		OCF_RESKEY_sleeptime=0 "$@" "$HACLUSTER" agent ip "$act" \
		2>&1 >/dev/null)
}
# rc WANT I ACTION [NAME=VALUE...]: the agent's status is WANT.
rc()
{
	local want=$1 got; shift
	agent "$@"
	got=$?
	[ "$got" = "$want" ] && return 0
	echo "  exit $got, expected $want; stderr: $ERR"
	return 1
}
said() { case $ERR in *"$1"*) return 0 ;; esac; echo "  stderr: $ERR"; return 1; }
in1() { ip -n "$(nn_ns 1)" "$@"; }
in2() { ip -n "$(nn_ns 2)" "$@"; }
# on I DEV TEXT: `ip -o addr show dev DEV` of node I holds TEXT
on() { ip -n "$(nn_ns "$1")" -o addr show dev "$2" | grep -qF -- "$3"; }
# count I ADDR: how many interfaces of node I carry ADDR
count() { ip -n "$(nn_ns "$1")" -o addr | grep -cF -- " $2/"; }
mac() { ip -n "$(nn_ns "$1")" -o link show eth0 | sed -n 's|.*link/ether \([0-9a-f:]*\) .*|\1|p'; }
# neigh I ADDR: node I's cache entry for ADDR names node1's MAC
neigh_is_node1() { ip -n "$(nn_ns "$1")" neigh show "$2" dev eth0 | grep -qF "lladdr $(mac 1) "; }
carrier() { in1 link show eth0 | grep -q LOWER_UP; }
no_carrier() { in1 link show eth0 | grep -q NO-CARRIER; }

# --- actions and parameters ------------------------------------------------------
meta_ok()
{
	local out p
	out=$(ip netns exec "$(nn_ns 1)" "$HACLUSTER" agent ip meta-data) ||
		return 1
	case $out in "<?xml"*"<resource-agent"*"name=\"ip\""*) ;; *) return 1 ;; esac
	for p in address family monitor_link sleeptime prefer_interface; do
		grep -q "<parameter name=\"$p\"" <<<"$out" || return 1
	done
}
basics()
{
	nn_check "meta-data: exit 0, XML naming its parameters" meta_ok
	nn_check "unknown action: exit 3" rc 3 1 reload OCF_RESKEY_address="$VIP"
	nn_check "no address: exit 6" rc 6 1 start
	nn_check "address 10.1.2.3/33: exit 6" rc 6 1 start OCF_RESKEY_address=10.1.2.3/33
	nn_check "IPv4 address with family=inet6: exit 6" \
		rc 6 1 start OCF_RESKEY_address="$VIP" OCF_RESKEY_family=inet6
	nn_check "status of an absent address: exit 7" rc 7 1 status OCF_RESKEY_address="$VIP"
	nn_check "stop of an absent address: exit 0" rc 0 1 stop OCF_RESKEY_address="$VIP"
}

# --- IPv4: start, neighbours, status, link, stop ----------------------------------
ipv4()
{
	local A=OCF_RESKEY_address=$VIP
	in2 neigh replace "$VIP" lladdr "$BOGUS" dev eth0 nud stale
	nn_check "node2's cache holds a wrong MAC for $VIP first" \
		eval 'in2 neigh show "$VIP" dev eth0 | grep -qF "lladdr $BOGUS"'
	nn_check "start $VIP on node1: exit 0" rc 0 1 start "$A"
	nn_check "node1's eth0 has $VIP/24 brd $NN_NET.255" on 1 eth0 "inet $VIP/24 brd $NN_NET.255 "
	LIMIT=3 nn_expect "gratuitous ARP: node2 learned node1's MAC $(mac 1) for $VIP" \
		neigh_is_node1 2 "$VIP"
	nn_check "start again: exit 0" rc 0 1 start "$A"
	nn_check "the address is there once" eval '[ "$(count 1 "$VIP")" = 1 ]'
	nn_check "status: exit 0" rc 0 1 status "$A"
	nn_check "monitor: exit 0" rc 0 1 monitor "$A"
	nn_check "status depth 10 (datagram to itself): exit 0" \
		rc 0 1 status "$A" OCF_CHECK_LEVEL=10

	# the cable: node1's eth0 stays up, without carrier
	nn_link 1 down
	LIMIT=5 nn_expect "cable out: node1's eth0 has no carrier" no_carrier
	nn_check "no carrier, monitor_link=1: status exit 1" rc 1 1 status "$A" OCF_RESKEY_monitor_link=1
	nn_check "... and says so" said "no link on eth0"
	nn_check "no carrier, monitor_link unset (default on): status exit 1" rc 1 1 status "$A"
	nn_check "no carrier, monitor_link=0: status exit 0" rc 0 1 status "$A" OCF_RESKEY_monitor_link=0
	nn_check "no carrier, monitor_link=no: status exit 0" rc 0 1 status "$A" OCF_RESKEY_monitor_link=no
	nn_check "no carrier, monitor_link=1: start of another address fails (no usable interface)" \
		rc 1 1 start OCF_RESKEY_address="$NN_NET.104"
	nn_check "... saying eth0 has no link" said "eth0 has no link"
	nn_link 1 up
	LIMIT=5 nn_expect "cable in: carrier again" carrier
	nn_check "status: exit 0 again" rc 0 1 status "$A"

	# the interface itself down (ip.sh's check_interface_up)
	in1 link set eth0 down
	nn_check "eth0 down: status exit 1 with monitor_link=1" rc 1 1 status "$A"
	nn_check "eth0 down: status exit 1 with monitor_link=0 too" \
		rc 1 1 status "$A" OCF_RESKEY_monitor_link=0
	nn_check "... saying the interface is down" said "eth0 is down"
	in1 link set eth0 up
	in1 route replace 224.0.0.0/4 dev eth0
	LIMIT=5 nn_expect "eth0 up: status exit 0" rc 0 1 status "$A"

	nn_check "stop: exit 0" rc 0 1 stop "$A"
	nn_check "the address is gone" eval '[ "$(count 1 "$VIP")" = 0 ]'
	nn_check "eth0 keeps its own address" on 1 eth0 "inet $NN_NET.1/24"
	nn_check "stop again: exit 0" rc 0 1 stop "$A"
	nn_check "status after stop: exit 7" rc 7 1 status "$A"
}

# --- which interface, which prefix -------------------------------------------------
subnets()
{
	nn_check "start 10.9.9.9 (no subnet here): exit 1" rc 1 1 start OCF_RESKEY_address=10.9.9.9
	nn_check "... saying: 10.9.9.9: no interface has an address in its subnet" \
		said "ip: 10.9.9.9: no interface has an address in its subnet"
	nn_check "... and nothing added" eval '[ "$(count 1 10.9.9.9)" = 0 ]'
	nn_check "start $NN_NET.101/25 (eth0's .1 in that /25): exit 0" \
		rc 0 1 start OCF_RESKEY_address="$NN_NET.101/25"
	nn_check "... added as /25" on 1 eth0 "inet $NN_NET.101/25 "
	rc 0 1 stop OCF_RESKEY_address="$NN_NET.101/25" >/dev/null
	nn_check "start $NN_NET.200/25 (no address in that /25): exit 1" \
		rc 1 1 start OCF_RESKEY_address="$NN_NET.200/25"

	# a second interface in the same subnet: a veth pair inside node1
	# (this kernel has no dummy driver), d0 with an address, both up
	in1 link add d0 type veth peer name d0p && in1 link set d0p up &&
		in1 addr add "$NN_NET.201/24" dev d0 && in1 link set d0 up
	LIMIT=5 nn_expect "node1 has d0 ($NN_NET.201/24) up with carrier" \
		eval 'in1 link show d0 | grep -q LOWER_UP'
	nn_check "prefer_interface=d0 (eth0 and d0 both in $NN_NET.0/24): exit 0" \
		rc 0 1 start OCF_RESKEY_address="$NN_NET.102" OCF_RESKEY_prefer_interface=d0
	nn_check "... on d0, not eth0" eval 'on 1 d0 "inet $NN_NET.102/24" &&
		! on 1 eth0 "inet $NN_NET.102/"'
	rc 0 1 stop OCF_RESKEY_address="$NN_NET.102" >/dev/null
	nn_check "prefer_interface=eth0: exit 0, on eth0, not d0" eval \
		'rc 0 1 start OCF_RESKEY_address="$NN_NET.102" OCF_RESKEY_prefer_interface=eth0 &&
		 on 1 eth0 "inet $NN_NET.102/24" && ! on 1 d0 "inet $NN_NET.102/"'
	rc 0 1 stop OCF_RESKEY_address="$NN_NET.102" >/dev/null
	nn_check "prefer_interface=nosuch: exit 1, saying so" eval \
		'rc 1 1 start OCF_RESKEY_address="$NN_NET.102" OCF_RESKEY_prefer_interface=nosuch &&
		 said "nosuch has no address in its subnet"'
	in1 link del d0
}

# --- an address another host has ---------------------------------------------------
collision()
{
	local B=OCF_RESKEY_address=$NN_NET.103
	nn_check "node2 starts $NN_NET.103" rc 0 2 start "$B"
	nn_check "node1 start of $NN_NET.103: exit 1 (ARP probe answered)" rc 1 1 start "$B"
	nn_check "... saying it is in use" said "in use on the network"
	nn_check "... and node1 did not add it" eval '[ "$(count 1 "$NN_NET.103")" = 0 ]'
	nn_check "node2 stops it" rc 0 2 stop "$B"
}

# --- stop waits sleeptime seconds, only after a removal ------------------------------
sleeptime()
{
	local A=OCF_RESKEY_address=$VIP t0 ms
	rc 0 1 start "$A" >/dev/null
	t0=$(nn_now_ms)
	agent 1 stop "$A" OCF_RESKEY_sleeptime=2
	ms=$(( $(nn_now_ms) - t0 ))
	nn_check "stop with sleeptime=2 took 2 s or more, not 10 ($ms ms)" \
		eval '[ "$ms" -ge 2000 ] && [ "$ms" -lt 9000 ]'
	t0=$(nn_now_ms)
	agent 1 stop "$A" OCF_RESKEY_sleeptime=2
	ms=$(( $(nn_now_ms) - t0 ))
	nn_check "stop of an absent address does not sleep ($ms ms)" [ "$ms" -lt 1500 ]
}

# --- IPv6 -----------------------------------------------------------------------
wait_dadfailed() { in1 -6 -o addr show dev eth0 | grep -F "${NET6}:2/" | grep -q dadfailed; }
ipv6()
{
	local A=OCF_RESKEY_address=$VIP6
	if ! in1 addr add "${NET6}:1/64" dev eth0 nodad 2>/dev/null ||
	   ! in2 addr add "${NET6}:2/64" dev eth0 nodad 2>/dev/null; then
		nn_skip "IPv6 (cannot add ${NET6}:/64 addresses here)"
		return 0
	fi
	in2 neigh replace "$VIP6" lladdr "$BOGUS" dev eth0 nud stale
	nn_check "start $VIP6: exit 0" rc 0 1 start "$A"
	nn_check "node1's eth0 has $VIP6/64, past duplicate address detection" eval \
		'on 1 eth0 "inet6 $VIP6/64" && ! in1 -o addr show dev eth0 | grep -F "$VIP6/" | grep -q tentative'
	LIMIT=3 nn_expect "neighbour advertisement: node2 learned node1's MAC for $VIP6" \
		neigh_is_node1 2 "$VIP6"
	nn_check "start again: exit 0" rc 0 1 start "$A"
	nn_check "status: exit 0" rc 0 1 status "$A"
	nn_check "status depth 10: exit 0" rc 0 1 status "$A" OCF_CHECK_LEVEL=10
	nn_check "stop: exit 0, address gone" eval \
		'rc 0 1 stop "$A" && [ "$(count 1 "$VIP6")" = 0 ]'
	nn_check "stop again: exit 0" rc 0 1 stop "$A"
	nn_check "status after stop: exit 7" rc 7 1 status "$A"

	nn_check "start of node2's ${NET6}:2 on node1: exit 1 (duplicate address detection)" \
		rc 1 1 start OCF_RESKEY_address="${NET6}:2"
	nn_check "... saying it is in use, and removing it again" eval \
		'said "in use on the network" && [ "$(count 1 "${NET6}:2")" = 0 ]'
	# the same address added by hand: present, but never usable
	in1 addr add "${NET6}:2/64" dev eth0
	LIMIT=5 nn_expect "by hand, ${NET6}:2 on node1 fails duplicate address detection" \
		wait_dadfailed
	nn_check "that address: status depth 0 exit 0 (it is configured)" \
		rc 0 1 status OCF_RESKEY_address="${NET6}:2"
	nn_check "that address: status depth 10 exit 1 (not usable)" \
		rc 1 1 status OCF_RESKEY_address="${NET6}:2" OCF_CHECK_LEVEL=10
	nn_check "stop removes it: exit 0" eval \
		'rc 0 1 stop OCF_RESKEY_address="${NET6}:2" && [ "$(count 1 "${NET6}:2")" = 0 ]'
}

body()
{
	local t0; t0=$(nn_now_ms)
	basics
	ipv4
	subnets
	collision
	sleeptime
	ipv6
	echo "  whole run: $(( ($(nn_now_ms) - t0) / 1000 )) s"
	nn_tally "$LABEL"
}

nn_setup 2 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
