#!/bin/bash
# test/netns/config.test.sh - configuration distribution between real
# daemons (lib.sh, spec 7): a node started with --cluster and no file
# fetches it, ccs_tool update spreads a new version to every member with
# backups, a member that was down catches up, two concurrent updates of
# one version leave every node with the same file, refusals, the update
# step after an edit in place, cman_tool version -r, and a member that
# cannot write a new version suspending activity until it can.
#
#   bash test/netns/config.test.sh [HACLUSTER]      (root)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-config
NCHECKS=21
LIMIT=${NN_LIMIT:-30}

nn_require "$LABEL" "$NCHECKS"

conf() { echo "$NN_DIR/node$1/etc-cluster/cluster.conf"; }
# version_is V "I J ...": each node runs config V and its file has it.
version_is()
{
	local i
	for i in $2; do
		[ "$(nn_exec "$i" cman_tool version 2>/dev/null)" = "6.2.0 config $1" ] ||
			return 1
		grep -q "config_version=\"$1\"" "$(conf "$i")" || return 1
	done
}
# quorate3: every node a quorate member of 3.
quorate3()
{
	local i
	for i in 1 2 3; do
		nn_exec "$i" cman_tool status 2>/dev/null | grep -qx "Nodes: 3" ||
			return 1
		nn_exec "$i" cman_tool wait -q -t 1 >/dev/null 2>&1 || return 1
	done
}
# newver V FILE [SUFFIX]: the cluster's file with config_version V and a
# fence device named after SUFFIX (so versions differ in content too).
newver()
{
	sed -e "s/config_version=\"[0-9]*\"/config_version=\"$1\"/" \
	    -e "s|<fencedevices/>|<fencedevices><fencedevice name=\"d$1${3:-}\" agent=\"fence_manual\"/></fencedevices>|" \
	    "$NN_DIR/cluster.conf" >"$2"
}
# big V N: the cluster's file with config_version V and N disabled
# services of a script each (NN_DIR/apps/aI: /bin/true)
big()
{
	local i svc=
	mkdir -p "$NN_DIR/apps"
	for i in $(seq 1 "$2"); do
		ln -sf /bin/true "$NN_DIR/apps/a$i"
		svc+="<service name=\"s$i\" autostart=\"0\"><script name=\"a$i\" file=\"$NN_DIR/apps/a$i\"/></service>"
	done
	sed -e "s/config_version=\"[0-9]*\"/config_version=\"$1\"/" \
	    -e "s|<rm/>|<rm>$svc</rm>|" "$NN_DIR/cluster.conf"
}
same_files()
{
	local a b c
	a=$(md5sum <"$(conf 1)") b=$(md5sum <"$(conf 2)") c=$(md5sum <"$(conf 3)")
	[ "$a" = "$b" ] && [ "$b" = "$c" ]
}

body()
{
	local out t0; t0=$(nn_now_ms)
	nn_conf multicast 3
	rm -f "$(conf 3)"
	nn_start 1; nn_start 2
	nn_start 3 --cluster tcluster
	nn_expect "node3 without cluster.conf fetches it and joins: 3 quorate" \
		quorate3 || return 1
	nn_check "node3's fetched file runs config 1" version_is 1 3
	nn_check "node3 logged the fetch and its restart" \
		grep -q "fetched from the cluster into /etc/cluster/cluster.conf: restarting" "$NN_DIR/node3/log"

	newver 2 "$NN_DIR/v2.conf"
	out=$(nn_exec 1 ccs_tool update "$NN_DIR/v2.conf" 2>&1)
	nn_check "ccs_tool update: 'Config file updated from version 1 to 2', 'Update complete.'" \
		[ "$out" = "Config file updated from version 1 to 2

Update complete." ]
	nn_expect "update: every member runs config 2" version_is 2 "1 2 3"
	nn_check "update: every node keeps the old file as .old and .bak.1" \
		eval "for i in 1 2 3; do grep -q 'config_version=\"1\"' \"$NN_DIR/node\$i/etc-cluster/cluster.conf.old\" &&
		      grep -q 'config_version=\"1\"' \"$NN_DIR/node\$i/etc-cluster/cluster.conf.bak.1\" || exit 1; done"
	nn_check "update: the three files are identical" same_files

	out=$(nn_exec 2 ccs_tool update "$NN_DIR/v2.conf" 2>&1)
	nn_check "update with the running version is refused (spec 7.2)" \
		eval "echo \"\$out\" | grep -q 'does not have greater version number' &&
		      echo \"\$out\" | grep -q '^Failed to update config file.'"
	printf '<cluster name="tcluster" config_version="9"><clusternodes>\n<clusternode name="node1" nodeid="1"/>\n<clusternode name="node1" nodeid="1"/>\n</clusternodes></cluster>\n' \
		>"$NN_DIR/bad.conf"
	nn_check "an invalid file is refused with the validator's messages" \
		eval "nn_exec 2 ccs_tool update \"$NN_DIR/bad.conf\" 2>&1 | grep -q 'bad.conf:3:.*node1'"
	printf '<cluster name="tcluster" config_version="9"><clusternodes>\n<clusternode name="node1" nodeid="1"/>\n</clusternodes></cluster>\n' \
		>"$NN_DIR/few.conf"
	nn_check "a file that leaves out members is refused" \
		eval "nn_exec 2 ccs_tool update \"$NN_DIR/few.conf\" 2>&1 | grep -q 'node 2 is a member but not in'"

	nn_stop 3 10
	newver 3 "$NN_DIR/v3.conf"
	out=$(nn_exec 1 ccs_tool update "$NN_DIR/v3.conf" 2>&1)
	nn_expect "node3 down: node1+2 take config 3" version_is 3 "1 2" ||
		echo "  the update said: $out"
	nn_start 3
	nn_expect "node3 back: it catches up to config 3" version_is 3 "1 2 3"

	newver 4 "$NN_DIR/v4a.conf" a
	newver 4 "$NN_DIR/v4b.conf" b
	nn_exec 1 ccs_tool update "$NN_DIR/v4a.conf" >"$NN_DIR/ua" 2>&1 &
	local pa=$!
	nn_exec 2 ccs_tool update "$NN_DIR/v4b.conf" >"$NN_DIR/ub" 2>&1 &
	local pb=$!
	wait "$pa"; local ra=$?
	wait "$pb"; local rb=$?
	echo "  concurrent updates: node1 rc=$ra, node2 rc=$rb"
	nn_check "two concurrent updates of version 4: exactly one succeeds" \
		[ $((ra == 0)) -ne $((rb == 0)) ]
	nn_expect "concurrent updates: every node ends with the same file, version 4" \
		eval "version_is 4 '1 2 3' && same_files"

	out=$(nn_exec 1 ccs_tool addfence extra fence_manual 2>&1)
	nn_check "an edit in place runs the update: version 4 to 5" \
		eval "echo \"\$out\" | grep -qx 'running ccs_tool update...' &&
		      echo \"\$out\" | grep -qx 'Config file updated from version 4 to 5'"
	nn_expect "after the edit: every member runs config 5" version_is 5 "1 2 3"
	nn_check "the edit left no cluster.conf.new and no lock behind" \
		eval "! ls \"\$(dirname \"\$(conf 1)\")\" | grep -qE '\\.(new|lock)\$'"

	# an edit the cluster refuses leaves the file as it was, exit 1
	cp "$NN_DIR/v3.conf" "$NN_DIR/old.conf"
	local sum rc
	sum=$(md5sum <"$NN_DIR/old.conf")
	out=$(nn_exec 1 ccs_tool -F -c "$NN_DIR/old.conf" addfence late fence_manual 2>&1)
	rc=$?
	nn_check "an edit the cluster refuses (version 4 <= 5): rc 1, the file as it was" \
		eval "[ $rc = 1 ] && [ \"\$(md5sum <\"$NN_DIR/old.conf\")\" = \"$sum\" ] &&
		      echo \"\$out\" | grep -q 'Proposed updated config file does not have greater version number' &&
		      echo \"\$out\" | grep -qx 'ccs_tool: $NN_DIR/old.conf left as it was: the cluster did not take config_version 4' &&
		      ! ls \"$NN_DIR\" | grep -qE '^old\\.conf\\.'" ||
		echo "  rc=$rc, it said: $out"

	sed -i 's/config_version="5"/config_version="6"/' "$(conf 2)"
	nn_check "cman_tool version -r 6 spreads node2's file" \
		nn_exec 2 cman_tool version -r 6
	nn_expect "after version -r 6: every member runs config 6" version_is 6 "1 2 3"

	# spec 2.5: a member that cannot write the cluster's version suspends
	nn_exec 3 mount -o remount,bind,ro /etc/cluster
	newver 7 "$NN_DIR/v7.conf"
	nn_exec 1 ccs_tool update "$NN_DIR/v7.conf" >/dev/null 2>&1
	nn_expect "node3 cannot write config 7: activity suspended, Activity blocked" \
		eval "version_is 7 '1 2' && grep -q \"Can't read CCS to get updated config version 7. Activity suspended on this node\" \"$NN_DIR/node3/log\" &&
		      nn_exec 3 cman_tool status | grep -qx 'Quorum: 2 Activity blocked'"
	nn_check "node1 and node2 stay quorate" eval \
		"nn_exec 1 cman_tool wait -q -t 1 && nn_exec 2 cman_tool wait -q -t 1"
	nn_exec 3 mount -o remount,bind,rw /etc/cluster
	nn_expect "node3 writable again: it takes config 7 on a retry and resumes" \
		eval "version_is 7 '1 2 3' && grep -q 'configuration version 7 in place: activity resumed' \"$NN_DIR/node3/log\" &&
		      nn_exec 3 cman_tool wait -q -t 1"

	# a file larger than one message (64 KiB) goes in parts: an update,
	# and the offer that catches up a node that was down meanwhile
	nn_stop 3
	big 8 1000 >"$NN_DIR/v8.conf"
	out=$(nn_exec 1 ccs_tool update "$NN_DIR/v8.conf" 2>&1)
	nn_check "a $(stat -c %s "$NN_DIR/v8.conf")-byte file (1000 services): ccs_tool update spreads it" \
		eval "echo \"\$out\" | grep -qx 'Config file updated from version 7 to 8'" ||
		echo "  the update said: $out"
	nn_expect "the large file: node1 and node2 run config 8" version_is 8 "1 2"
	nn_start 3
	nn_expect "node3, down during the update, takes the large file from the members' offer" \
		eval "version_is 8 '1 2 3' && same_files"
	out=$(nn_exec 2 clustat 2>&1)
	nn_check "clustat lists the 1000 services, disabled" \
		[ "$(echo "$out" | grep -c ' disabled *$')" = 1000 ]
	[ "$(echo "$out" | grep -c ' disabled *$')" = 1000 ] ||
		echo "$out" | awk '/^ service:/ { n[$NF]++ } END { for (k in n) print "  clustat: " k, n[k] }'
	echo "  whole run: $(( ($(nn_now_ms) - t0) / 1000 )) s"
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
