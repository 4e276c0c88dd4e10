#!/bin/bash
# test/netns/harness.test.sh - proves lib.sh with stand-in processes, no
# daemon needed: namespaces, hostnames and private mounts per node,
# multicast over the bridge, a cut link, packet loss, power off, stop,
# and cleanup that leaves nothing behind, also when interrupted.
#
#   bash test/netns/harness.test.sh [HACLUSTER]      (root)
set -u
HACLUSTER=${1:-${HACLUSTER:-}}
[ -z "$HACLUSTER" ] || HACLUSTER=$(readlink -f "$HACLUSTER")
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
LABEL="netns harness"
GROUP=239.192.110.162		# cluster "tcluster" (spec 1.10)
PY=$(command -v /usr/bin/python3 python3 | head -1)

# --- child mode: a run to be interrupted ---------------------------------------
# NN_CHILD=STATEFILE: set up 3 nodes with stand-ins, record what was made,
# then idle (bounded) until a signal arrives.
child_body()
{
		local i
		for i in 1 2 3; do nn_start "$i" -- sleep 300 || exit 1; done
		nn_bg 2 sleep 300
		{
			echo "pfx=$NN_PFX"
			echo "dir=$NN_DIR"
			echo "pids=${NN_PIDS[*]} $(nn_pid 1) $(nn_pid 2) $(nn_pid 3) $BASHPID"
		} >"$NN_CHILD.tmp"
		mv "$NN_CHILD.tmp" "$NN_CHILD"
		# busy like a real test: command substitutions and short sleeps
		for _ in $(seq 1 300); do
			: "$(nn_exec 1 uname -n)" "$(ip netns pids "$(nn_ns 2)")"
			sleep 0.1
		done
		exit 0
	}
	if [ -n "${NN_CHILD:-}" ]; then
		nn_setup 3 || exit 1
		nn_run child_body
		exit
	fi

	nn_require "$LABEL" 29

	# rx_start I ADDR TAG SECONDS: node I counts datagrams to ADDR:5405 in the
	# background into NN_DIR/nodeI/rx.TAG; returns once it listens.
	rx_start()
	{
		local d=$NN_DIR/node$1
		rm -f "$d/rx.$3" "$d/rx.$3.ready"
		nn_bg "$1" "$PY" "$HERE/udp.py" recv "$2" "$NN_PORT" \
			"$(nn_addr "$1")" "$4" "$d/rx.$3" "$d/rx.$3.ready"
		nn_wait 10 test -e "$d/rx.$3.ready"
	}
	# rx_count I TAG [WAIT_S]: the count, once the receiver finished.
	rx_count()
	{
		local f=$NN_DIR/node$1/rx.$2
		nn_wait "${3:-15}" test -s "$f" && cat "$f" || echo none
	}
	# tx I ADDR COUNT: node I sends COUNT datagrams to ADDR:5405.
	tx()
	{
		nn_exec "$1" "$PY" "$HERE/udp.py" send "$2" "$NN_PORT" \
			"$(nn_addr "$1")" "$3"
	}
	host_has_no() { ! ip -o addr show | grep -q "$1"; }
	eq() { [ "$1" = "$2" ] || { echo "  got '$1', want '$2'"; return 1; }; }

	# --- namespaces and private mounts -----------------------------------------------
	host_had_etc_cluster=0; [ -d /etc/cluster ] && host_had_etc_cluster=1
	host_had_var_lib=0; [ -d /var/lib/hacluster ] && host_had_var_lib=1

	if ! nn_setup 3; then
		nn_fail "setup: bridge and 3 namespaces"
		nn_tally "$LABEL"; exit 1
	fi

	body()
	{
	nn_ok "setup: bridge and 3 namespaces"
	nn_check "setup: 3 namespaces listed" \
		test "$(ip netns list | grep -c "^${NN_PFX}n")" -eq 3
	nn_check "setup: no address of $NN_NET.0/24 on the host" host_has_no "$NN_NET\."
	for i in 1 2 3; do
		echo "node$i's config" >"$NN_DIR/node$i/etc-cluster/cluster.conf"
		echo "state $i" >"$NN_DIR/node$i/var-lib/marker"
		nn_start "$i" -- sleep 300 || nn_fail "start stand-in in node$i"
	done
	ok=1
	for i in 1 2 3; do
		eq "$(nn_exec "$i" uname -n)" "node$i" || ok=0
		eq "$(nn_exec "$i" cat /etc/cluster/cluster.conf)" "node$i's config" ||
			ok=0
		eq "$(nn_exec "$i" cat /var/lib/hacluster/marker)" "state $i" || ok=0
		eq "$(nn_exec "$i" getent hosts node$i | awk '{print $1}')" \
			"$(nn_addr "$i")" || ok=0
		eq "$(nn_exec "$i" ip -4 -o addr show dev eth0 | awk '{print $4}')" \
			"$(nn_addr "$i")/24" || ok=0
	done
	nn_check "each node: own hostname, /etc/cluster, /var/lib/hacluster, hosts, address" \
		test $ok = 1
	nn_exec 1 sh -c 'echo x >/run/only-node1'
	nn_check "host does not see node1's /run" test ! -e /run/only-node1
	nn_check "node2 does not see node1's /run" \
		test "$(nn_exec 2 sh -c 'test -e /run/only-node1 && echo yes || echo no')" = no
	nn_exec 1 touch /etc/cluster/written-in-node1
	nn_check "writes to /etc/cluster land in node1's directory only" \
		test -e "$NN_DIR/node1/etc-cluster/written-in-node1" -a \
		! -e "$NN_DIR/node2/etc-cluster/written-in-node1"
	conf_ok()
	{
		local i k
		k=$(cksum <"$NN_DIR/authkey")
		for i in 1 2 3; do
			nn_exec "$i" ccs_config_validate >/dev/null 2>&1 || return 1
			[ "$(nn_exec "$i" cat /etc/cluster/authkey | cksum)" = "$k" ] ||
				return 1
		done
		[ "$(stat -c %s "$NN_DIR/authkey")" -ge 16 ]
	}
	if [ -n "$HACLUSTER" ]; then
		nn_conf udpu 3
		nn_check "nn_conf: cluster.conf valid in every node, one shared key" \
			conf_ok
	else
		nn_skip "nn_conf: no binary given"
	fi
	nn_check "host /etc/cluster and /var/lib/hacluster untouched" \
		test "$([ -d /etc/cluster ] && echo 1 || echo 0)$([ -d /var/lib/hacluster ] && echo 1 || echo 0)" = \
		"$host_had_etc_cluster$host_had_var_lib"

	# --- multicast over the bridge ---------------------------------------------------
	if [ -z "$PY" ]; then
		nn_skip "multicast, link and loss checks: no python3"
	else
		rx_start 2 $GROUP all 10 && rx_start 3 $GROUP all 10
		tx 1 $GROUP 50
		c2=$(rx_count 2 all) c3=$(rx_count 3 all)
		echo "  multicast node1 -> $GROUP:$NN_PORT: node2 got $c2, node3 got $c3 of 50"
		nn_check "multicast from node1 reaches node2 and node3" \
			test "$c2" = 50 -a "$c3" = 50

		rx_start 3 "$(nn_addr 3)" uni 10
		tx 1 "$(nn_addr 3)" 20
		c3=$(rx_count 3 uni)
		echo "  unicast node1 -> node3: node3 got $c3 of 20"
		nn_check "unicast node1 -> node3" test "$c3" = 20

		# a cut cable: node3 hears nothing and is heard by nobody
		nn_link 3 down
		rx_start 2 $GROUP cut 3 && rx_start 3 $GROUP cut 3
		tx 1 $GROUP 20
		c2=$(rx_count 2 cut) c3=$(rx_count 3 cut)
		rx_start 1 $GROUP cut 3
		tx 3 $GROUP 20
		c1=$(rx_count 1 cut)
		echo "  node3 link down: node2 got $c2, node3 got $c3, node1 from node3 got $c1"
		nn_check "link down isolates node3 (both ways), node2 still hears node1" \
			test "$c2" = 20 -a "$c3" = 0 -a "$c1" = 0
		nn_link 3 up
		healed() {
			rx_start 3 $GROUP heal 2 && tx 1 $GROUP 5 &&
			test "$(rx_count 3 heal)" = 5
		}
		nn_check "link up: node3 hears node1 again" nn_wait 15 healed

		# two groups: node2+node3 on the second bridge, node1 alone
		nn_split "2 3"
		rx_start 1 $GROUP split 3 && rx_start 3 $GROUP split 3
		tx 2 $GROUP 20
		c1=$(rx_count 1 split) c3=$(rx_count 3 split)
		echo "  nn_split \"2 3\": node2 -> node3 got $c3, node2 -> node1 got $c1"
		nn_check "nn_split \"2 3\": node2 and node3 together, node1 cut off" \
			test "$c3" = 20 -a "$c1" = 0
		nn_split ""
		healed1() {
			rx_start 1 $GROUP heal 2 && tx 3 $GROUP 5 &&
			test "$(rx_count 1 heal)" = 5
		}
		nn_check "nn_split \"\": node1 hears node3 again" nn_wait 15 healed1

		# loss: 50 % of node2's ring-port input dropped
		if nn_loss 2 50; then
			rx_start 2 $GROUP loss 15 && rx_start 3 $GROUP loss 15
			tx 1 $GROUP 1000
			c2=$(rx_count 2 loss 20) c3=$(rx_count 3 loss 20)
			d=$(nn_loss_count 2)
			echo "  nn_loss 2 50: node2 got $c2, node3 got $c3 of 1000; nft dropped $d"
			nn_check "nn_loss 2 50 drops about half of node2's packets only" \
				test "$c2" != none -a "$c3" = 1000 -a "${c2:-0}" -ge 350 \
				-a "${c2:-0}" -le 650 -a "${d:-0}" -ge 340
			nn_loss 2 0
			rx_start 2 $GROUP noloss 10
			tx 1 $GROUP 200
			c2=$(rx_count 2 noloss)
			echo "  nn_loss 2 0: node2 got $c2 of 200"
			nn_check "nn_loss 2 0 removes the rule" test "$c2" = 200
		else
			nn_skip "nn_loss: nft unavailable and not installable"
		fi
	fi

	# --- stop and power off ------------------------------------------------------------
	p2=$(nn_pid 2)
	nn_check "nn_stop 2: SIGTERM, exits within the bound" nn_stop 2 5
	nn_check "nn_stop 2: process gone" nn__gone "$p2"
	nn_bg 3 sleep 300
	nn_wait 5 test "$(ip netns pids "$(nn_ns 3)" | wc -l)" -ge 2
	n3=$(ip netns pids "$(nn_ns 3)" | wc -l)
	nn_kill 3
	echo "  nn_kill 3: $n3 processes in node3's namespace before, $(ip netns pids "$(nn_ns 3)" | wc -l) after"
	nn_check "nn_kill 3: every process of node3 gone, link down" sh -c \
		"test -z \"\$(ip netns pids $(nn_ns 3))\" &&
		 ip link show $(nn_veth 3) | grep -q 'state DOWN'"
	nn_link 3 up
	nn_check "restart node3 after power off" nn_start 3 -- sleep 300
	nn_check "restarted node3 has its hostname again" \
		test "$(nn_exec 3 uname -n)" = node3
	bounded_wait()
	{
		local t0 t
		t0=$(nn_now_ms)
		nn_wait 1 false && return 1
		t=$(( $(nn_now_ms) - t0 ))
		echo "  nn_wait 1 false gave up after ${t} ms (NN_WAITED=$NN_WAITED)"
		[ "$t" -ge 1000 ] && [ "$t" -le 2500 ]
	}
	nn_check "nn_wait gives up after its bound" bounded_wait

	# --- cleanup ---------------------------------------------------------------------
	started=("${NN_PIDS[@]}" "$(nn_pid 1)" "$(nn_pid 3)")
	nn_cleanup
	left=$(nn_leftovers)
	for p in "${started[@]}"; do nn__gone "$p" || left+=" pid $p"; done
	[ -z "$left" ] || echo "$left" | sed 's/^/  left: /'
	nn_check "nn_cleanup: no namespace, link, mount, directory or process left" \
		test -z "$left"
	nn_check "nn_cleanup again is harmless" nn_cleanup

	# interrupted runs: a child sets up 3 nodes, then gets SIGINT / SIGTERM
	interrupted()
	{
		local sig=$1 st pid pfx dir pids left="" p
		st=$(mktemp /tmp/hacluster-netns-child.XXXXXX); rm -f "$st"
		# a background job of a script ignores SIGINT unless reset
		NN_CHILD=$st env --default-signal=INT,TERM bash "$0" "$HACLUSTER" \
			>/dev/null 2>&1 &
		pid=$!
		if ! nn_wait 30 test -s "$st"; then
			kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
			echo "  child did not set up"; return 1
		fi
		pfx=$(sed -n 's/^pfx=//p' "$st") dir=$(sed -n 's/^dir=//p' "$st")
		pids=$(sed -n 's/^pids=//p' "$st")
		rm -f "$st"
		kill -"$sig" "$pid"
		if ! nn_wait 20 nn__gone "$pid"; then
			echo "  child ignored SIG$sig"; kill -KILL "$pid" 2>/dev/null
		fi
		wait "$pid" 2>/dev/null
		left=$(ip netns list | grep "^$pfx"; ip -o link | grep -o " ${pfx}[^:@]*";
		       findmnt -rn -o TARGET | grep -e "$pfx" -e "$dir"
		       [ -e "$dir" ] && echo "dir $dir")
		for p in $pids; do nn__gone "$p" || left+=" pid $p"; done
		echo "  SIG$sig to a run with namespaces ${pfx}n1..3 and pids $pids: left '${left}'"
		[ -z "$left" ]
	}
	nn_check "SIGINT mid-run: cleanup leaves nothing behind" interrupted INT
	nn_check "SIGTERM mid-run: cleanup leaves nothing behind" interrupted TERM
	failed_setup()
	{
		local pfx=hnfail$$ out
		out=$(NN_PFX=${pfx:0:8} bash -c ". $HERE/lib.sh; nn_setup 2 || exit 1
			nn_start 1 -- sleep 300; echo \$NN_DIR; exit 3")
		pfx=${pfx:0:8}
		[ -z "$(ip netns list | grep "^$pfx")" ] &&
		[ -z "$(ip -o link | grep " $pfx")" ] && [ ! -e "$out" ]
	}
	nn_check "exit after a failure mid-run: cleanup leaves nothing behind" failed_setup
	name_clash()
	{
		local pfx=hc$$ rc
		pfx=${pfx:0:8}
		ip link add "${pfx}b" type bridge || return 1
		NN_PFX=$pfx bash -c ". $HERE/lib.sh; nn_setup 2" 2>/dev/null
		rc=$?
		ip link show "${pfx}b" >/dev/null 2>&1 || { echo "  bridge deleted"; return 1; }
		ip link del "${pfx}b"
		[ $rc -ne 0 ] && ! ip netns list | grep -q "^$pfx"
	}
	nn_check "a name clash: setup refuses, cleanup leaves the other's bridge" name_clash

	nn_tally "$LABEL"
}
nn_run body
