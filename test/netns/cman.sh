# test/netns/cman.sh - reading nodes through cman_tool, for the netns
# tests that source it after lib.sh (they set LIMIT, seconds per wait).

# --- reading a node ------------------------------------------------------------
# st I: node I's cman_tool status into NN_DIR/stI.
st() { nn_exec "$1" cman_tool status >"$NN_DIR/st$1" 2>&1; }
# has I LINE...: node I's status has every LINE exactly.
has()
{
	local i=$1 l; shift
	st "$i" || return 1
	for l in "$@"; do
		grep -qxF -- "$l" "$NN_DIR/st$i" || return 1
	done
}
# quorate "I J ..." NODES: each listed node is a quorate member of NODES.
quorate()
{
	local i
	for i in $1; do
		has "$i" "Cluster Member: Yes" "Nodes: $2" "Quorum: $3  " ||
			return 1
	done
}
# blocked I NODES Q: node I is a member of NODES, inquorate.
blocked() { has "$1" "Nodes: $2" "Quorum: $3 Activity blocked"; }
# logged I TEXT: node I's log has TEXT.
logged() { grep -qF -- "$2" "$NN_DIR/node$1/log"; }
show()
{
	local i
	for i in $1; do
		if nn_alive "$i"; then
			st "$i"; sed "s/^/  node$i: /" "$NN_DIR/st$i"
		else
			echo "  node$i: the daemon is not running"
		fi
		nn_tail "$i" 10
	done
}
# expect NAME "NODES" CMD...: PASS when CMD holds within LIMIT.
expect()
{
	local name=$1 nodes=$2; shift 2
	if nn_wait "$LIMIT" "$@"; then
		nn_ok "$name (${NN_WAITED} ms)"
	else
		nn_fail "$name (not within $LIMIT s)"
		show "$nodes"
		return 1
	fi
}
# rc_out I CMD...: "rc=N" then the output of CMD in node I.
rc_out()
{
	local i=$1 out rc; shift
	out=$(nn_exec "$i" "$@" 2>&1); rc=$?
	echo "rc=$rc $out"
}
