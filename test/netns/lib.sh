# test/netns/lib.sh - real nodes in network namespaces on a private bridge.
#
# Sourced by test/netns/*.test.sh (bash, set -u).  Each node I (1..N) is
#   a network namespace  $NN_PFX"n"I   with eth0 = NN_NET.I/24, lo up and a
#                        route for 224.0.0.0/4 on eth0 (multicast works);
#   a veth pair          host end $NN_PFX"v"I enslaved to the bridge
#                        $NN_PFX"b" (no address on the host, so nothing
#                        leaves the bridge: the host neither routes nor
#                        answers for NN_NET); a second bridge $NN_PFX"c"
#                        takes the nodes nn_split cuts off together;
#   a directory          $NN_DIR/nodeI/{etc-cluster,var-lib,hosts,log,...}.
# A started node runs in that network namespace plus its own mount and UTS
# namespaces: a private tmpfs on /run, $NN_DIR/nodeI/etc-cluster bound on
# /etc/cluster, $NN_DIR/nodeI/var-lib on /var/lib/hacluster, its own
# /etc/hosts and hostname nodeI.  When /etc/cluster or /var/lib/hacluster
# does not exist on the host, the mount point is made inside an overlay
# (upper layer on a tmpfs private to the node) over /etc or /var/lib, so
# the host's filesystem is never written.
#
# Only addresses created here are used; every wait is bounded.  nn_cleanup
# (run on EXIT, installed by nn_setup) kills only the processes this file
# started or found inside its own namespaces, by pid, and removes the
# namespaces, links and bridges it made.  Mounts live in the nodes' private
# mount namespaces and vanish with their processes; nn_cleanup checks for
# leftovers under NN_DIR anyway.  A test runs its body with nn_run, so
# SIGINT/SIGTERM find the main shell idle: the body is killed, everything
# cleaned up, and the script dies of the signal.
#
# Shape of a test file:
#   . lib.sh; nn_require LABEL NCHECKS; nn_setup 3 || exit 1
#   body() { nn_conf; nn_start 1; ...; nn_check NAME CMD...; nn_tally LABEL; }
#   nn_run body
#
# Settings (environment, before nn_setup):
#   HACLUSTER  the binary (or $1 of the test script)
#   NN_NET     first three octets of the node /24     (10.213.77)
#   NN_PFX     prefix of namespace/link names, <= 8 chars  (hn<pid>)
#   NN_PORT    ring port (receive; nn_loss filters it)    (5405)
#   NN_KEEP=1  keep NN_DIR (configs, logs) after cleanup
#   NN_TOTEM   attributes of <totem> written by nn_conf
#   NN_CMAN    more attributes of <cman> written by nn_conf
#   NN_FENCE=1 nn_conf gives every node a fence method (fence_manual)
#   NN_EXTRA   more elements of <cluster> written by nn_conf
#   NN_VERBOSE=1  print every command's output

HACLUSTER=${HACLUSTER:-}
NN_NET=${NN_NET:-10.213.77}
NN_PORT=${NN_PORT:-5405}
NN_KEEP=${NN_KEEP:-0}
NN_VERBOSE=${NN_VERBOSE:-0}
NN_TOTEM=${NN_TOTEM:-token=\"500\" join=\"60\" consensus=\"800\"}
NN_PFX=${NN_PFX:-hn$$}
NN_N=0
NN_DIR=
NN_BR=
NN_UP=0			# 1 once nn_setup made something to clean
NN_CLEANED=0
NN_PIDS=()		# every background pid started here
NN_MADE=()		# every namespace and link created here
NN_PASS=0 NN_FAIL=0 NN_SKIP=0

nn_log() { echo "netns: $*" >&2; }

# --- tally ------------------------------------------------------------------
nn_ok()   { NN_PASS=$((NN_PASS + 1)); echo "PASS: $*"; }
nn_fail() { NN_FAIL=$((NN_FAIL + 1)); echo "FAIL: $*"; }
nn_skip() { NN_SKIP=$((NN_SKIP + 1)); echo "SKIP: $*"; }
# nn_check NAME CMD...: PASS or FAIL by CMD's status.
nn_check()
{
	local name=$1; shift
	if "$@"; then nn_ok "$name"; else nn_fail "$name"; fi
}
# nn_tally LABEL: the last line of a test file; status 1 on any failure.
nn_tally()
{
	if [ "$NN_SKIP" -gt 0 ]; then
		echo "$1: $NN_PASS passed, $NN_FAIL failed, $NN_SKIP skipped"
	else
		echo "$1: $NN_PASS passed, $NN_FAIL failed"
	fi
	[ "$NN_FAIL" -eq 0 ]
}
# nn_skip_all LABEL N REASON: nothing can run here; exit 0.
nn_skip_all()
{
	echo "SKIP: $3"
	echo "$1: 0 passed, 0 failed, $2 skipped"
	exit 0
}

# --- time and bounded waits --------------------------------------------------
# nn_binary SCRIPT [HACLUSTER]: the binary under test (argument, else the
# environment) as an absolute path in HACLUSTER; usage and exit 2 without.
nn_binary()
{
	HACLUSTER=${2:-${HACLUSTER:-}}
	[ -n "$HACLUSTER" ] || { echo "usage: $1 HACLUSTER" >&2; exit 2; }
	HACLUSTER=$(readlink -f "$HACLUSTER")
}

nn_now_ms() { local t; t=$(date +%s%N); echo $((t / 1000000)); }

# nn_wait TIMEOUT_S CMD...: poll CMD every 0.2 s until it succeeds (0) or
# TIMEOUT_S seconds pass (1).  NN_WAITED holds the milliseconds spent.
NN_WAITED=0
nn_wait()
{
	local limit=$1 t0 now; shift
	t0=$(nn_now_ms)
	while :; do
		if "$@" >/dev/null 2>&1; then
			NN_WAITED=$(( $(nn_now_ms) - t0 ))
			return 0
		fi
		now=$(nn_now_ms)
		if [ $((now - t0)) -ge $((limit * 1000)) ]; then
			NN_WAITED=$((now - t0))
			return 1
		fi
		sleep 0.2
	done
}

# --- guards ------------------------------------------------------------------
# nn_require LABEL NTESTS: exit with a skip tally unless root with ip,
# unshare, nsenter and working network namespaces.
nn_require()
{
	local label=$1 n=$2 probe
	[ "${EUID:-$(id -u)}" -eq 0 ] || nn_skip_all "$label" "$n" \
		"not root: network namespaces need root"
	if ! command -v ip >/dev/null; then
		nn_log "ip missing: apt-get install -y iproute2"
		apt-get install -y iproute2 >/dev/null 2>&1 || true
	fi
	local c
	for c in ip unshare nsenter mount; do
		command -v "$c" >/dev/null || nn_skip_all "$label" "$n" \
			"$c not found"
	done
	probe=${NN_PFX}probe
	ip netns add "$probe" 2>/dev/null || nn_skip_all "$label" "$n" \
		"cannot create network namespaces here"
	ip netns del "$probe" 2>/dev/null
	ip link add "${NN_PFX}pb" type bridge 2>/dev/null || nn_skip_all \
		"$label" "$n" "cannot create a bridge here"
	ip link del "${NN_PFX}pb" 2>/dev/null
	return 0
}

# nn_need CMD PACKAGE: CMD on PATH, installing Debian's PACKAGE (and
# saying so) if missing.
nn_need()
{
	command -v "$1" >/dev/null && return 0
	nn_log "$1 missing: apt-get install -y $2"
	apt-get install -y "$2" >/dev/null 2>&1 ||
	{ apt-get update >/dev/null 2>&1 &&
	  apt-get install -y "$2" >/dev/null 2>&1; }
	command -v "$1" >/dev/null
}
nn_need_nft() { nn_need nft nftables; }

# --- names -------------------------------------------------------------------
nn_ns()   { echo "${NN_PFX}n$1"; }
nn_veth() { echo "${NN_PFX}v$1"; }
nn_addr() { echo "$NN_NET.$1"; }
nn_pid()  { cat "$NN_DIR/node$1/pid" 2>/dev/null; }

# --- setup -------------------------------------------------------------------
nn__run()
{
	if [ "$NN_VERBOSE" = 1 ]; then echo "+ $*" >&2; fi
	"$@"
}

# nn_setup N: the bridges, N namespaces with links and node directories,
# and the traps.  Status 1 if anything fails (the EXIT trap cleans up).
nn_setup()
{
	local n=$1 i ns v
	[ ${#NN_PFX} -le 8 ] || { nn_log "NN_PFX longer than 8"; return 1; }
	NN_N=$n
	NN_BR=${NN_PFX}b
	NN_DIR=$(mktemp -d /tmp/hacluster-netns.XXXXXX) || return 1
	NN_UP=1
	trap 'nn_cleanup' EXIT
	trap 'nn__signal INT' INT
	trap 'nn__signal TERM' TERM
	nn__bridge "$NN_BR" || return 1
	nn__bridge "${NN_PFX}c" || return 1
	nn_mkbin || return 1
	for i in $(seq 1 "$n"); do
		nn_add_node "$i" || return 1
	done
	nn_hosts
}

# nn__bridge NAME: an address-less bridge that floods multicast (there is
# no IGMP querier here) and that the host firewall does not see.
nn__bridge()
{
	if ip link show "$1" >/dev/null 2>&1; then
		nn_log "$1 exists already (a leftover?); not touching it"
		return 1
	fi
	nn__run ip link add "$1" type bridge || return 1
	NN_MADE+=("link:$1")
	ip link set "$1" type bridge mcast_snooping 0 2>/dev/null
	ip link set "$1" type bridge nf_call_iptables 0 2>/dev/null
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1" 2>/dev/null
	nn__run ip link set "$1" up
}

# nn_add_node I: namespace, veth, addresses, routes, directory of node I.
nn_add_node()
{
	local i=$1 ns v d
	ns=$(nn_ns "$i") v=$(nn_veth "$i") d=$NN_DIR/node$i
	mkdir -p "$d/etc-cluster" "$d/var-lib" "$d/ovl" || return 1
	: >"$d/log"
	nn__run ip netns add "$ns" || return 1
	NN_MADE+=("netns:$ns")
	nn__run ip link add "$v" type veth peer name eth0 netns "$ns" ||
		return 1
	NN_MADE+=("link:$v")
	sysctl -qw "net.ipv6.conf.$v.disable_ipv6=1" 2>/dev/null
	nn__run ip link set "$v" master "$NN_BR" || return 1
	nn__run ip link set "$v" up || return 1
	nn__run ip -n "$ns" link set lo up || return 1
	nn__run ip -n "$ns" addr add "$(nn_addr "$i")/24" dev eth0 || return 1
	nn__run ip -n "$ns" link set eth0 up || return 1
	nn__run ip -n "$ns" route add 224.0.0.0/4 dev eth0 || return 1
}

# nn_hosts: every node's /etc/hosts names all nodes (nodeI -> NN_NET.I),
# so `uname -n` = nodeI resolves to the node's own address.
nn_hosts()
{
	local i j
	for i in $(seq 1 "$NN_N"); do
		{
			echo "127.0.0.1	localhost"
			for j in $(seq 1 "$NN_N"); do
				echo "$(nn_addr "$j")	node$j"
			done
		} >"$NN_DIR/node$i/hosts"
	done
}

# nn_mkbin: NN_DIR/bin holds the applet symlinks for nn_exec's PATH.
nn_mkbin()
{
	local a
	mkdir -p "$NN_DIR/bin"
	[ -n "$HACLUSTER" ] || return 0
	ln -sf "$HACLUSTER" "$NN_DIR/bin/hacluster"
	"$HACLUSTER" install "$NN_DIR/bin" >/dev/null 2>&1 && return 0
	for a in ccs_tool ccs_config_validate clustat clusvcadm cman_tool \
		 fence_node fence_ack_manual fence_manual; do
		ln -sf "$HACLUSTER" "$NN_DIR/bin/$a"
	done
}

# --- configuration -------------------------------------------------------------
# nn_conf [multicast|udpu] [N] [VERSION]: in every node, a cluster.conf
# naming node1..nodeN (N: all nodes of nn_setup) with nodeids 1..N, names
# that each node's /etc/hosts resolves, cluster "tcluster" (id 28212,
# 239.192.110.162), short totem timers (NN_TOTEM); and one new shared key
# in every node's /etc/cluster/authkey.
nn_conf()
{
	local transport=${1:-multicast} n=${2:-$NN_N} version=${3:-1} i cman f
	case $transport in
	multicast) cman="<cman keyfile=\"/etc/cluster/authkey\" ${NN_CMAN:-}/>" ;;
	udpu) cman="<cman transport=\"udpu\" keyfile=\"/etc/cluster/authkey\" ${NN_CMAN:-}/>" ;;
	*) nn_log "nn_conf: transport $transport?"; return 1 ;;
	esac
	f=$NN_DIR/cluster.conf
	{
		echo '<?xml version="1.0"?>'
		echo "<cluster name=\"tcluster\" config_version=\"$version\">"
		echo "  $cman"
		echo "  <totem $NN_TOTEM/>"
		[ -z "${NN_EXTRA:-}" ] || echo "  $NN_EXTRA"
		echo '  <clusternodes>'
		for i in $(seq 1 "$n"); do
			if [ -z "${NN_FENCE:-}" ]; then
				echo "    <clusternode name=\"node$i\" nodeid=\"$i\"/>"
				continue
			fi
			echo "    <clusternode name=\"node$i\" nodeid=\"$i\">"
			echo '      <fence><method name="1"><device name="manual"/></method></fence>'
			echo '    </clusternode>'
		done
		echo '  </clusternodes>'
		if [ -n "${NN_FENCE:-}" ]; then
			echo '  <fencedevices><fencedevice name="manual" agent="fence_manual"/></fencedevices>'
		else
			echo '  <fencedevices/>'
		fi
		echo '  <rm/>'
		echo '</cluster>'
	} >"$f" || return 1
	nn_key "$NN_DIR/authkey" || return 1
	for i in $(seq 1 "$NN_N"); do
		cp "$f" "$NN_DIR/node$i/etc-cluster/cluster.conf" &&
		cp "$NN_DIR/authkey" "$NN_DIR/node$i/etc-cluster/authkey" &&
		chmod 600 "$NN_DIR/node$i/etc-cluster/authkey" || return 1
	done
}

# nn_rm RM: the <rm> section RM (XML, one line) in place of nn_conf's
# <rm/>, in every node's cluster.conf and the shared copy.
nn_rm()
{
	local f rm=$NN_DIR/rm.xml
	printf '%s' "$1" | tr -d '\n' >"$rm" && echo >>"$rm" || return 1
	for f in "$NN_DIR/cluster.conf" "$NN_DIR"/node*/etc-cluster/cluster.conf; do
		[ -f "$f" ] || continue
		awk -v f="$rm" 'BEGIN { getline rm <f }
			{ i = index($0, "<rm/>") }
			i { $0 = substr($0, 1, i - 1) rm substr($0, i + 5) }
			{ print }' "$f" >"$f.rm" && mv "$f.rm" "$f" || return 1
	done
}

# nn_powered AGENT: after nn_conf, every node of every copy of
# cluster.conf is fenced by AGENT (the test's fence_agent: power off),
# device "pwr" with port=I.
nn_powered()
{
	local f i dev
	dev="<fencedevice name=\"pwr\" agent=\"$1\" prefix=\"$NN_PFX\" dir=\"$NN_DIR\" host=\"$$\"/>"
	for f in "$NN_DIR/cluster.conf" "$NN_DIR"/node*/etc-cluster/cluster.conf; do
		[ -f "$f" ] || continue
		for i in $(seq 1 "$NN_N"); do
			sed -i "s|<clusternode name=\"node$i\" nodeid=\"$i\"/>|<clusternode name=\"node$i\" nodeid=\"$i\"><fence><method name=\"1\"><device name=\"pwr\" port=\"$i\"/></method></fence></clusternode>|" "$f"
		done
		sed -i "s|<fencedevices/>|<fencedevices>$dev</fencedevices>|" "$f" ||
			return 1
	done
}

# nn_key FILE: a new key, from `hacluster keygen` when it exists, else 32
# random bytes.
nn_key()
{
	rm -f "$1"
	"$HACLUSTER" keygen "$1" >/dev/null 2>&1 && [ -s "$1" ] && return 0
	rm -f "$1"
	head -c 32 /dev/urandom >"$1" && chmod 600 "$1"
}

# nn_wrong_key I: give node I a key of its own.
nn_wrong_key()
{
	nn_key "$NN_DIR/node$1/etc-cluster/authkey"
}

# --- nodes ---------------------------------------------------------------------
# The script a node starts with, in its fresh mount and UTS namespaces:
# private mounts, then exec the command.  Written per node so no quoting
# of paths or commands goes through sh -c.
nn__startsh()
{
	local i=$1 d=$NN_DIR/node$1
	cat >"$d/start.sh" <<EOF
#!/bin/sh
# node$i: private /run, /etc/cluster, /var/lib/hacluster, /etc/hosts, name
set -e
D='$d'
mount --make-rprivate /
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=0700 tmpfs "\$D/ovl"
place() {	# place TARGET SOURCE: bind SOURCE on TARGET
	if [ ! -d "\$1" ]; then
		# no mount point on the host: overlay its parent (upper on
		# the private tmpfs) and make it there, never on the host
		p=\$(dirname "\$1") u="\$D/ovl/\$(echo "\$p" | tr / _)"
		if ! grep -q " \$p overlay " /proc/self/mounts; then
			mkdir -p "\$u/up" "\$u/work"
			mount -t overlay overlay \\
			  -o "lowerdir=\$p,upperdir=\$u/up,workdir=\$u/work" "\$p"
		fi
		mkdir -p "\$1"
	fi
	mount --bind "\$2" "\$1"
}
place /etc/cluster "\$D/etc-cluster"
place /var/lib/hacluster "\$D/var-lib"
mount --bind "\$D/hosts" /etc/hosts
hostname node$i
echo \$\$ >"\$D/pid"
exec "\$@"
EOF
}

# nn_start I [ARGS...] | nn_start I -- CMD [ARGS...]: start
# `hacluster daemon -f ARGS` (or CMD) in node I in the background, output
# to NN_DIR/nodeI/log; waits (bounded) until it runs in its namespaces.
# nn_launch (same arguments) does not wait; nn_started I waits.
nn_start()
{
	nn_launch "$@" && nn_started "$1"
}

nn_launch()
{
	local i=$1 d=$NN_DIR/node$1 pid; shift
	local cmd=("$HACLUSTER" daemon -f)
	if [ "${1:-}" = -- ]; then shift; cmd=("$@"); else cmd+=("$@"); fi
	nn__startsh "$i"
	rm -f "$d/pid"
	echo "=== $(date -u +%T.%N | cut -c1-12) start: ${cmd[*]}" >>"$d/log"
	PATH="$NN_DIR/bin:$PATH" ip netns exec "$(nn_ns "$i")" \
		unshare -m -u sh "$d/start.sh" "${cmd[@]}" >>"$d/log" 2>&1 &
	pid=$!
	disown "$pid"	# no "Killed" job notices; bash still reaps it
	NN_PIDS+=("$pid")
	echo "$pid" >"$d/launched"
}

nn_started()
{
	local i=$1 d=$NN_DIR/node$1
	if ! nn_wait 10 test -s "$d/pid"; then
		nn_log "node$i did not start (see $d/log)"
		return 1
	fi
	[ "$(cat "$d/pid")" = "$(cat "$d/launched")" ] ||
		nn_log "node$i: pid $(cat "$d/pid") is not $(cat "$d/launched")?"
	return 0
}

# nn_exec I CMD...: run CMD in node I's network, mount and UTS namespaces
# (the applet symlinks first on PATH).  Needs node I's process alive.
nn_exec()
{
	local i=$1 pid; shift
	pid=$(nn_pid "$i")
	if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "nn_exec: node$i is not running" >&2
		return 125
	fi
	nsenter -t "$pid" -n -m -u env PATH="$NN_DIR/bin:$PATH" "$@"
}

# nn_bg I CMD...: nn_exec in the background, output appended to node I's
# log, pid recorded for cleanup (NN_BGPID).
NN_BGPID=
nn_bg()
{
	local i=$1
	nn_exec "$@" >>"$NN_DIR/node$i/log" 2>&1 &
	NN_BGPID=$!
	disown "$NN_BGPID"
	NN_PIDS+=("$NN_BGPID")
}

# nn_alive I: node I's process runs.
nn_alive()
{
	local pid; pid=$(nn_pid "$1")
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ! nn__gone "$pid"
}

# nn__gone PID: no such process, or only its zombie is left.
nn__gone()
{
	local s
	[ -r "/proc/$1/stat" ] || return 0
	s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -z "$s" ] || [ "$s" = Z ] || [ "$s" = X ]
}

# nn__reap PID...: bounded wait (5 s) for the pids to be gone, then reap
# those that are children of this shell.
nn__reap()
{
	local p t=0
	for p in "$@"; do
		while ! nn__gone "$p" && [ $t -lt 25 ]; do
			sleep 0.2; t=$((t + 1))
		done
		nn__gone "$p" && wait "$p" 2>/dev/null
	done
	return 0
}

# nn_signal I SIG: send SIG to node I's main process only.
nn_signal()
{
	local pid; pid=$(nn_pid "$1")
	[ -n "$pid" ] && kill -"$2" "$pid" 2>/dev/null
}

# nn_stop I [TIMEOUT_S]: SIGTERM node I's process and wait for its exit
# (default 10 s); status 1 if it did not exit (it is then killed).
nn_stop()
{
	local i=$1 limit=${2:-10} pid; pid=$(nn_pid "$1")
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	if nn_wait "$limit" nn__gone "$pid"; then
		wait "$pid" 2>/dev/null
		return 0
	fi
	nn_log "node$i did not exit ${limit}s after SIGTERM; killing it"
	nn_killall "$i"
	return 1
}

# nn_killall I: SIGKILL every process in node I's network namespace (its
# daemon, its CLIs, their children) and the recorded pid; bounded wait.
nn_killall()
{
	local ns pids="" p q
	ns=$(nn_ns "$1")
	nn__made "netns:$ns" && pids=$(ip netns pids "$ns" 2>/dev/null)
	p=$(nn_pid "$1")
	for q in $pids $p; do kill -KILL "$q" 2>/dev/null; done
	# shellcheck disable=SC2086
	nn__reap $pids $p
	[ -z "$(ip netns pids "$ns" 2>/dev/null)" ]
}

# nn__made KIND:NAME: this run created it (cleanup removes nothing else).
nn__made()
{
	local m
	for m in "${NN_MADE[@]}"; do [ "$m" = "$1" ] && return 0; done
	return 1
}

# nn_stop_all: stop every node (SIGTERM) and plug every cable back in.
nn_stop_all()
{
	local i
	for i in $(seq 1 "$NN_N"); do
		nn_alive "$i" && { nn_stop "$i" 10 || nn_fail "node$i: SIGTERM ignored"; }
		nn_link "$i" up
	done
	return 0
}

# nn_kill I: power off node I: its link down, then every process killed.
nn_kill()
{
	nn_link "$1" down
	nn_killall "$1"
}

# nn_link I down|up: node I's cable (the bridge end of its veth).
nn_link()
{
	nn__run ip link set "$(nn_veth "$1")" "$2"
}

# nn_split "I J ...": partition the cluster in two: the listed nodes
# move to a second bridge, together but cut off from the others.
# nn_split "" heals: every node back on the main bridge.
nn_split()
{
	local i br
	for i in $(seq 1 "$NN_N"); do
		br=$NN_BR
		case " $1 " in *" $i "*) br=${NN_PFX}c ;; esac
		nn__run ip link set "$(nn_veth "$i")" master "$br" || return 1
	done
}

# nn_loss I PERCENT: drop PERCENT % of the ring packets (udp dport
# NN_PORT) node I receives, with nftables in its namespace; 0 removes the
# rule.
nn_loss()
{
	local ns; ns=$(nn_ns "$1")
	nn_need_nft || { nn_log "nft unavailable"; return 1; }
	ip netns exec "$ns" nft delete table inet nnloss 2>/dev/null
	[ "$2" -gt 0 ] || return 0
	ip netns exec "$ns" nft -f - <<EOF
table inet nnloss {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport $NN_PORT numgen random mod 100 < $2 counter drop
	}
}
EOF
}

# nn_loss_count I: packets node I's loss rule dropped so far.
nn_loss_count()
{
	ip netns exec "$(nn_ns "$1")" nft list table inet nnloss 2>/dev/null |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p' | head -1
}

# nn_expect NAME CMD...: a PASS line once CMD succeeds within LIMIT s
# (default 30) with the time it took, else a FAIL line and the last lines
# of every node's log; status 1 then.
nn_expect()
{
	local name=$1 i; shift
	if nn_wait "${LIMIT:-30}" "$@"; then
		nn_ok "$name (${NN_WAITED} ms)"
		return 0
	fi
	nn_fail "$name (not within ${LIMIT:-30} s)"
	for i in $(seq 1 "$NN_N"); do nn_tail "$i" 8; done
	return 1
}

# nn_tail I [N]: the last N (20) lines of node I's log, indented.
nn_tail()
{
	tail -n "${2:-20}" "$NN_DIR/node$1/log" 2>/dev/null | sed "s/^/  node$1| /"
}

# --- the test body and signals ------------------------------------------------
# nn_run CMD...: run the test body CMD in a child shell while this shell
# only waits.  A signal then finds this shell idle in `wait`: its trap
# kills the body (and what the body runs outside the namespaces), cleans
# up and dies of the same signal.  (bash 5.2 can garble a trap that fires
# while the shell is busy in command substitutions: seen here as
# "interrupt trap: unexpected EOF while looking for matching `)'" and a
# script that went on running.)  The body's status is nn_run's.
NN_BODY=
nn_run()
{
	local rc
	"$@" &
	NN_BODY=$!
	wait "$NN_BODY"
	rc=$?
	NN_BODY=
	return $rc
}

# nn__tree PID: PID's descendants, deepest first (bounded depth).
nn__tree()
{
	local c d=${2:-0}
	[ "$d" -lt 8 ] || return 0
	for c in $(pgrep -P "$1" 2>/dev/null); do
		nn__tree "$c" $((d + 1))
		echo "$c"
	done
}

nn__signal()
{
	local p kids
	trap - "$1"
	echo "netns: SIG$1: stopping the test and cleaning up" >&2
	if [ -n "$NN_BODY" ]; then
		kids=$(nn__tree "$NN_BODY")
		kill -KILL "$NN_BODY" 2>/dev/null
		for p in $kids; do kill -KILL "$p" 2>/dev/null; done
		wait "$NN_BODY" 2>/dev/null
		# shellcheck disable=SC2086
		nn__reap $kids
	fi
	nn_cleanup
	kill -"$1" $$
}

# --- cleanup -------------------------------------------------------------------
# nn_cleanup: idempotent; safe to call from traps at any point of setup.
nn_cleanup()
{
	local i m
	[ "$NN_UP" = 1 ] || return 0
	[ "$NN_CLEANED" = 0 ] || return 0
	NN_CLEANED=1
	for i in $(seq 1 "$NN_N"); do
		[ -n "$NN_DIR" ] && nn_killall "$i" >/dev/null 2>&1
	done
	for m in "${NN_PIDS[@]}"; do kill -KILL "$m" 2>/dev/null; done
	nn__reap "${NN_PIDS[@]}"
	# veths first (each takes its peer along), then namespaces, bridge
	for m in "${NN_MADE[@]}"; do
		case $m in link:"${NN_PFX}v"*)
			ip link del "${m#link:}" 2>/dev/null ;; esac
	done
	for m in "${NN_MADE[@]}"; do
		case $m in netns:*) ip netns del "${m#netns:}" 2>/dev/null ;; esac
	done
	for m in "${NN_MADE[@]}"; do
		case $m in link:*) ip link del "${m#link:}" 2>/dev/null ;; esac
	done
	if [ -n "$NN_DIR" ]; then
		# mounts are private to the nodes, but never leave one behind
		findmnt -rn -o TARGET | grep -F "$NN_DIR/" | sort -r |
		while read -r m; do umount -l "$m" 2>/dev/null; done
		for m in $NN_LOOPS; do losetup -d "$m" 2>/dev/null; done
		if [ "$NN_KEEP" = 1 ]; then
			nn_log "kept $NN_DIR"
		else
			rm -rf "$NN_DIR"
		fi
	fi
	return 0
}

# nn_leftovers: print what of this run is still there (nothing if clean).
nn_leftovers()
{
	local p
	ip netns list 2>/dev/null | grep "^$NN_PFX" | sed 's/^/netns /'
	ip -o link show 2>/dev/null | grep -o " ${NN_PFX}[^:@]*" | sed 's/^ /link /'
	findmnt -rn -o TARGET 2>/dev/null |
		grep -e "$NN_PFX" ${NN_DIR:+-e "$NN_DIR"} | sed 's/^/mount /'
	[ -z "$NN_DIR" ] || [ ! -e "$NN_DIR" ] || echo "dir $NN_DIR"
	for p in "${NN_PIDS[@]}"; do
		nn__gone "$p" || echo "pid $p"
	done
}

# --- a web service's pieces (services tests and the demo) -----------------------
# nn_httpd FILE VIP DIR: an LSB init script FILE starting a Python HTTP
# server on VIP:80 that serves DIR (it writes its node's name to
# DIR/node.txt first; its output goes to FILE.NODE.log); start returns
# once it listens; pid in the node's private /run; status 3 when it
# does not run.
nn_httpd()
{
	cat >"$1" <<EOF
#!/bin/sh
pidf=/run/httpd.pid
case \$1 in
start)	hostname >"$3/node.txt" || exit 1
	setsid python3 -m http.server 80 --bind $2 --directory "$3" \\
		>>"$1.\$(hostname).log" 2>&1 </dev/null & echo \$! >\$pidf
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		grep -q ':0050 00000000:0000 0A' /proc/net/tcp && exit 0
		sleep 0.1	# ready once it listens (2 s at most)
	done ;;
stop)	[ -f \$pidf ] && kill \$(cat \$pidf) 2>/dev/null; rm -f \$pidf ;;
status)	[ -f \$pidf ] && kill -0 \$(cat \$pidf) 2>/dev/null || exit 3 ;;
esac
exit 0
EOF
	chmod +x "$1"
}

# nn_disk IMAGE LABEL: an ext4 file system in IMAGE (16 MiB) on a new loop
# device, holding index.html; the device in NN_DEV (detached by
# nn_cleanup).
NN_LOOPS= NN_DEV=
nn_disk()
{
	local m
	nn_need mkfs.ext4 e2fsprogs && nn_need losetup mount || return 1
	truncate -s 16M "$1" && mkfs.ext4 -q -F -L "$2" "$1" &&
	NN_DEV=$(losetup -f --show "$1") || return 1
	NN_LOOPS="$NN_LOOPS $NN_DEV"
	m=$(mktemp -d) && mount "$NN_DEV" "$m" &&
	echo "This page lives on the shared disk $2." >"$m/index.html"
	umount "$m"; rmdir "$m"
}
