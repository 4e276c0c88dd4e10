#!/bin/bash
# test/demo.sh - the main job for now: the applets, then a cluster.conf
# written from scratch with ccs_tool and checked with ccs_config_validate,
# all in a scratch directory (nothing under /etc is touched).
set -u
here=$(dirname "$(readlink -f "$0")")	# before the cd below
bin=$(readlink -f "${1:-./hacluster}")
dir=$(mktemp -d /tmp/hacluster-demo.XXXXXX)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/bin"
"$bin" install "$dir/bin" || exit 1
export PATH="$dir/bin:$PATH"
cd "$dir" || exit 1
conf=$dir/cluster.conf

run() {
	echo "\$ $*"
	"$@"
	local rc=$?
	[ $rc -eq 0 ] || echo "(exit $rc)"
	echo
}

run "$bin" --list
run ls bin
run ccs_tool -c "$conf" create tcluster
run ccs_tool -c "$conf" addfence meatware fence_manual
run ccs_tool -c "$conf" lsfence
for n in 1 2 3; do
	run ccs_tool -c "$conf" addnode -v 1 -n $n -f meatware node$n.example.com
done
run ccs_tool -c "$conf" lsnode
run ccs_tool -c "$conf" adddomain webnodes -o -r node1.example.com:1 node2.example.com:2
run ccs_tool -c "$conf" addresource ip address=10.1.1.100/24 monitor_link=1
run ccs_tool -c "$conf" addservice web domain=webnodes recovery=relocate
run ccs_tool -c "$conf" addresource ip ref=10.1.1.100/24 -s web
run ccs_tool -c "$conf" addresource script name=httpd file=/etc/init.d/httpd -s web
run ccs_tool -c "$conf" lsdomain
run ccs_tool -c "$conf" lsservice
echo "# A mistake on purpose: node id 2 is taken.  ccs_tool refuses it"
echo "# and leaves the file as it was; the validator below finds no error."
run ccs_tool -c "$conf" addnode -n 2 -f meatware node4.example.com
run ccs_config_validate -c "$conf"
run cat "$conf"
run ls "$dir"

# The running half: a 3-node ring in network namespaces (root only).
if [ "$(id -u)" = 0 ]; then
	cd / && bash "$here/demo-services.sh" "$bin" || exit
	echo "demo: done (the applets, a cluster.conf, and a running cluster)"
else
	echo "(the running cluster needs root: run make demo as root)"
	echo "demo: done (the applets and a cluster.conf)"
fi
