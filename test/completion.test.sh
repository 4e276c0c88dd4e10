#!/bin/bash
# test/completion.test.sh - the bash completion script of the binary.
#
#   bash test/completion.test.sh ./hacluster
#
# Sources `hacluster completion bash` into this bash process, writes a
# scratch cluster.conf (nodes node1..node3, node3 written over two lines;
# services web and db; a vm guest; fence devices apc and human), then, for
# each command line below, sets COMP_WORDS, COMP_CWORD, COMP_LINE and
# COMP_POINT as bash would (words split at blanks, and at ':' and '=',
# which are in COMP_WORDBREAKS), calls the function that `complete -p`
# names for the command and compares COMPREPLY, as a set, with what is
# expected.  Every call must also print nothing on standard error.  The
# configuration is named by -c FILE where the applet reads one, else by
# HACLUSTER_CONF (the script's override of /etc/cluster/cluster.conf).
#
# Prints PASS:/FAIL: lines and, last, "completion: N passed, M failed";
# exit status 0 only when nothing failed.

HACLUSTER=$(readlink -f "${1:-./hacluster}")
PASSED=0
FAILED=0
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

# the scratch directory is shown as $T, a configuration other than the
# scratch one in [HACLUSTER_CONF=...]
say()
{
	local m=$2
	[ "${HACLUSTER_CONF-}" != "$C" ] &&
		m+=" [HACLUSTER_CONF=${HACLUSTER_CONF-(unset)}]"
	echo "$1: ${m//$T/\$T}"
}
pass() { PASSED=$((PASSED + 1)); say PASS "$*"; }
fail() { FAILED=$((FAILED + 1)); say FAIL "$*"; }

finish()
{
	echo "completion: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}

C=$T/cluster.conf
export HACLUSTER_CONF=$C
cat >"$C" <<'EOF'
<?xml version="1.0"?>
<cluster name="scratch" config_version="1">
  <clusternodes>
    <clusternode name="node1" nodeid="1"><fence/></clusternode>
    <clusternode name='node2' nodeid="2"/>
    <clusternode nodeid="3"
                 name="node3" votes="1"/>
  </clusternodes>
  <fencedevices>
    <fencedevice name="apc" agent="fence_apc"/><fencedevice agent="fence_manual" name="human"/>
  </fencedevices>
  <rm>
    <failoverdomains>
      <failoverdomain name="pref" ordered="1">
        <failoverdomainnode name="node1" priority="1"/>
      </failoverdomain>
    </failoverdomains>
    <service name="web" domain="pref"><ip address="10.0.0.1"/></service>
    <service name="db"/>
    <vm name="guest" path="/etc/xen"/>
  </rm>
</cluster>
EOF
OTHER=$T/other.conf
printf '<cluster name="o"><clusternodes><clusternode name="other1"/>'\
'</clusternodes></cluster>\n' >"$OTHER"
mkdir "$T/dir1" "$T/dir2"
MISSING=$T/missing/cluster.conf
SVC="web db vm:guest"
NODES="node1 node2 node3"

# --- the script ----------------------------------------------------------
"$HACLUSTER" completion bash >"$T/completion.bash" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ -s "$T/completion.bash" ] && [ ! -s "$T/err" ]; then
	pass "hacluster completion bash prints a script"
else
	fail "hacluster completion bash: exit $rc, stderr: $(cat "$T/err")"
	finish
fi
if bash -n "$T/completion.bash" 2>"$T/err"; then
	pass "the script parses (bash -n)"
else
	fail "bash -n: $(cat "$T/err")"
fi
# shellcheck source=/dev/null
source "$T/completion.bash" 2>"$T/err"
if [ -s "$T/err" ]; then
	fail "sourcing it printed: $(cat "$T/err")"
else
	pass "sourcing it prints nothing"
fi

APPLETS="ccs_tool ccs_config_validate clustat clusvcadm cman_tool rg_test
fence_node fence_ack_manual fence_manual"
for a in hacluster $APPLETS; do
	if complete -p "$a" 2>/dev/null | grep -q -- ' -F [^ ]'; then
		pass "complete -F registered for $a"
	else
		fail "no complete -F for $a"
	fi
done

# --- the harness ---------------------------------------------------------
# split TEXT: append its words to COMP_WORDS as bash splits them
split()
{
	local tok pre
	set -f
	for tok in $1; do
		while [[ $tok == *[:=]* ]]; do
			pre=${tok%%[:=]*}
			[[ $pre ]] && COMP_WORDS+=("$pre")
			COMP_WORDS+=("${tok:${#pre}:1}")
			tok=${tok:${#pre}+1}
		done
		[[ $tok ]] && COMP_WORDS+=("$tok")
	done
	set +f
}

# words LINE: COMP_WORDS etc. as bash sets them for LINE with the cursor
# at its end, or at its '|' (which must stand before a blank)
words()
{
	local line=${1%%|*} rest=
	[[ $1 == *'|'* ]] && rest=${1#*|}
	COMP_WORDS=()
	split "$line"
	[[ -z $line || $line == *[[:space:]] ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	split "$rest"
	COMP_LINE=$line$rest
	COMP_POINT=${#line}
}

# complete LINE: the sorted replies, one line, in $GOT; stderr in $ERR
complete_line()
{
	local fn cmd
	words "$1"
	cmd=${COMP_WORDS[0]##*/}
	fn=$(complete -p "$cmd" 2>/dev/null |
	     sed -n 's/.* -F \([^ ]*\) .*/\1/p')
	COMPREPLY=()
	if [ -z "$fn" ]; then
		GOT="(no completion for $cmd)"
		ERR=
		return
	fi
	"$fn" "$cmd" "${COMP_WORDS[COMP_CWORD]}" \
	      "${COMP_WORDS[COMP_CWORD-1]}" 2>"$T/err"
	GOT=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort -u | xargs)
	ERR=$(cat "$T/err")
}

sorted() { printf '%s\n' $1 | sort -u | xargs; }

# check LINE WANT: the replies are exactly the words of WANT
check()
{
	local want
	want=$(sorted "$2")
	complete_line "$1"
	if [ -n "$ERR" ]; then
		fail "'$1': stderr: $ERR"
	elif [ "$GOT" = "$want" ]; then
		pass "'$1' -> ${want:-(nothing)}"
	else
		fail "'$1': got '${GOT}', want '${want}'"
	fi
}

# has LINE WANT: the replies include every word of WANT
has()
{
	local w missing=
	complete_line "$1"
	for w in $2; do
		[[ " $GOT " == *" $w "* ]] || missing+=" $w"
	done
	if [ -n "$ERR" ]; then
		fail "'$1': stderr: $ERR"
	elif [ -z "$missing" ]; then
		pass "'$1' includes ${2//$'\n'/ }"
	else
		fail "'$1': missing$missing (got '$GOT')"
	fi
}

# --- hacluster itself ----------------------------------------------------
check 'hacluster cl' 'clustat clusvcadm'
check 'hacluster --' '--list --version --help'
check 'hacluster co' 'completion'
check 'hacluster re' 'relocate restart'
check 'hacluster ls' 'lsnode lsfence lsservice lsresource lsdomain'
has 'hacluster ' "$APPLETS daemon keygen agent --list --version version
help install completion status validate fence relocate enable disable stop
restart migrate freeze unfreeze lock unlock nodes expected votes leave kill
join create addnode delnode addfence delfence lsnode lsfence addnodeids
update addservice delservice lsservice addresource delresource lsresource
adddomain deldomain lsdomain"
check 'hacluster help clu' 'clustat clusvcadm'
check 'hacluster help f' 'fence fence_node fence_ack_manual fence_manual freeze'
check 'hacluster help in' 'install'
has 'hacluster help ' 'ccs_tool daemon keygen agent status relocate create'
check 'hacluster help clustat ' ''
check 'hacluster completion ' 'bash'
check 'hacluster install --' '--units --systemd --sysv'
check "hacluster install -f $T/di" "$T/dir1 $T/dir2"
check 'hacluster bogus ' ''
check '/usr/sbin/hacluster cman' 'cman_tool'

# --- verbs and applets after hacluster -----------------------------------
check 'hacluster relocate web -m n' "$NODES"
check 'hacluster enable ' "$SVC"
check 'hacluster migrate vm:' 'guest'
check 'hacluster clusvcadm -r web -m ' "$NODES"
check 'hacluster status -s ' "$SVC"
check 'hacluster status -m node' "$NODES"
has 'hacluster status -' '-l -s -m -x --json'
has 'hacluster nodes -' '-a -f -n -F --json'
check 'hacluster kill -n ' "$NODES"
check 'hacluster leave ' 'remove force'
check 'hacluster delnode ' "$NODES"
check 'hacluster fence ' "$NODES"
check "hacluster validate -c $T/clu" "$C"
check "hacluster rg_test test $C start service " 'web db'
check 'hacluster daemon -n ' "$NODES"
check "hacluster daemon -c $T/clu" "$C"
check 'hacluster daemon -' '-f -d -p -c -n -e --cluster -h'
check 'hacluster keygen -' '-f -h'
check 'hacluster agent ' 'ip fs netfs nfsexport nfsclient'
check 'hacluster agent fs ' 'start stop status monitor meta-data'

# --- clusvcadm -----------------------------------------------------------
check 'clusvcadm -' '-e -d -s -R -r -M -Z -U -c -m -n -F -l -u -S -q -v -h'
check 'clusvcadm -r web -m n' "$NODES"
check 'clusvcadm -e web -n ' "$NODES"
check 'clusvcadm -e ' "$SVC"
for o in -d -s -R -r -M -Z -U -c; do
	check "clusvcadm -q $o " "$SVC"
done
check 'clusvcadm -e w' 'web'
check 'clusvcadm -M vm:' 'guest'
check 'clusvcadm -M vm:g' 'guest'
check 'clusvcadm -S w' ''
check 'clusvcadm -l n' ''
check '/usr/sbin/clusvcadm -d d' 'db'

# --- clustat -------------------------------------------------------------
check 'clustat -' '-l -m -s -Q -x -I -v -i -h --json'
check 'clustat -s ' "$SVC"
check 'clustat -m node' "$NODES"
check 'clustat -i ' ''
check 'clustat -l -m node1 -s d' 'db'

# --- cman_tool -----------------------------------------------------------
check 'cman_tool ' 'status nodes version expected votes leave kill wait join'
check 'cman_tool j' 'join'
has 'cman_tool -' '-a -n -F -f -e -v -q -w -t -r -c --json -h'
check 'cman_tool kill -n ' "$NODES"
check 'cman_tool nodes -n node1 -n n' "$NODES"
check 'cman_tool votes -v 2 -n node' "$NODES"
check 'cman_tool leave f' 'force'
check 'cman_tool join -c ' ''

# --- ccs_tool ------------------------------------------------------------
check 'ccs_tool ' 'create addnode delnode lsnode addfence delfence lsfence
addnodeids addservice delservice lsservice addresource delresource
lsresource adddomain deldomain lsdomain update help'
check 'ccs_tool add' 'addnode addfence addnodeids addservice addresource
adddomain'
check "ccs_tool -c $C del" 'delnode delfence delservice delresource deldomain'
has 'ccs_tool -' '-c --configfile -o --outputfile -C --no_ccs -F --force_ccs -h'
has 'ccs_tool lsnode -' '-v'
has 'ccs_tool create -' '-2'
has 'ccs_tool addnode n4 -' '-n -f -v -a'
check "ccs_tool -c $T/clu" "$C"
check "ccs_tool -o $T/di" "$T/dir1 $T/dir2"
check "ccs_tool update $T/clu" "$C"
HACLUSTER_CONF=$MISSING check "ccs_tool -c $C delnode " "$NODES"
HACLUSTER_CONF=$MISSING check "ccs_tool --configfile $C delservice " \
	'web db guest'
HACLUSTER_CONF=$MISSING check "ccs_tool delnode n| -c $C" "$NODES"
HACLUSTER_CONF=$MISSING check "fence_node | -c $C" "$NODES"
check 'ccs_tool adddomain pref n' "$NODES"
check 'ccs_tool adddomain pref -o node1 n' "$NODES"
has 'ccs_tool adddomain pref -o node1 -' '-o -r -n'
check 'ccs_tool adddomain x' ''
check 'ccs_tool addresource fs -s ' 'web db guest'
check 'ccs_tool addnode node4 -n 4 -f ' 'apc human'
check 'ccs_tool delfence ' 'apc human'
check 'ccs_tool deldomain ' 'pref'
check 'ccs_tool delnode node1 n' ''

# --- rg_test -------------------------------------------------------------
check 'rg_test ' 'test noop delta'
check "rg_test test $T/clu" "$C"
check "rg_test test $C " 'start stop status'
check "rg_test test $C st" 'start stop status'
check "rg_test test $C start " 'service vm'
HACLUSTER_CONF=$MISSING check "rg_test test $C start service " 'web db'
HACLUSTER_CONF=$MISSING check "rg_test noop $C stop vm " 'guest'
check "rg_test delta $C $T/clu" "$C"

# --- fence_node, fence_ack_manual, fence_manual, ccs_config_validate -----
check 'fence_node -' '-v -O -c -h'
check 'fence_node ' "$NODES"
check 'fence_node -v node' "$NODES"
check "fence_node -c $T/clu" "$C"
HACLUSTER_CONF=$OTHER check "fence_node -c $C " "$NODES"
HACLUSTER_CONF=$OTHER check 'fence_node ' 'other1'
HOME=$T check 'fence_node -c ~/cluster.conf n' "$NODES"
check 'fence_ack_manual -' '-O -n -h'
check 'fence_ack_manual ' "$NODES"
check 'fence_ack_manual -O -n ' "$NODES"
check 'fence_manual -' '-q -n -h'
check 'fence_manual -n ' "$NODES"
check 'ccs_config_validate -' '-q -c -h'
check "ccs_config_validate -c $T/clu" "$C"

# --- no configuration: no names, no error --------------------------------
HACLUSTER_CONF=$MISSING check 'clusvcadm -r web -m ' ''
HACLUSTER_CONF=$MISSING check 'clusvcadm -e ' ''
HACLUSTER_CONF=$MISSING check 'fence_node ' ''
HACLUSTER_CONF=$T check 'fence_node ' ''
check "fence_node -c $MISSING " ''
check "rg_test test $MISSING start service " ''
if [ ! -e /etc/cluster/cluster.conf ]; then
	unset HACLUSTER_CONF
	check 'clustat -m ' ''
	export HACLUSTER_CONF=$C
fi

finish
