#!/bin/bash
# test/netns/chaos.test.sh - services under faults: the one promise of an
# HA cluster, checked with real daemons (lib.sh).  A service never runs on
# two nodes at once, and is never left down for long once the faults stop.
#
# NODES nodes (3..5, default 3), each fenced by the test agent (fence_agent:
# power off = cable out + every process of its namespace killed), run two
# services whose script (chaos_hold) starts a holder process keeping an
# EXCLUSIVE flock on a lock file all nodes share (under NN_DIR):
#   web  ordered domain node1 > node2 > ... (fails back), recovery restart
#   db   ordered domain nodeN > ... > node1, nofailback, recovery relocate
# A start that finds its lock busy writes a VIOLATION line and fails; a
# sampler counts the live holders of each lock every 0.5 s and writes one
# too if it sees two.  A daemon killed -9 leaves its holder running: the
# service may only start elsewhere once the cluster fenced that node.
#
# For each seed of SEEDS, in one cluster, one round: CHAOS_S seconds of
# faults 1-4 s apart: kill -9 of a daemon and its restart (a quarter of
# them 300 ms later, before the ring notices), power off and back on, a
# node's cable out, a split onto the second bridge, packet loss with
# nftables, and clusvcadm -r, -r -m, -d/-e, -R, -s/-e, -Z/-U, -e -m on a
# live node.  At most (NODES-1)/2 nodes are impaired at once, except for
# an occasional fault that may break quorum; nodes the cluster fences are
# powered back on after 3 s; the last 5 s undo nothing.  Then the heal:
# every service unfrozen and enabled (clusvcadm -U, -e), all cables in,
# no loss, every dead daemon restarted (again if fenced since).  Checks:
# before the chaos, all nodes quorate and each service on one node;
# after each round's heal, within BOUND seconds: all nodes back and
# quorate, each service on exactly one node (clustat on every node
# agrees, one live holder there, the lock held), with the time it took;
# no daemon exited by itself (a death the driver did not cause, with the
# cable still in and no fence agent call); no VIOLATION.
#
# The fault schedule comes from bash's RANDOM seeded with the seed (each
# fault draws the same four numbers), so a seed replays the same choices;
# what they hit (which node owns a service, what the cluster fenced, how
# long things took) depends on timing, which varies from run to run.  A
# failing round prints its replay line and copies its logs (every daemon
# log with times, the fault log, the holder events) to CHAOS_KEEP
# (default /tmp) as hacluster-chaos.SEED.XXXXXX, kept after the cleanup.
#
#   bash test/netns/chaos.test.sh [HACLUSTER]      (root)
#   SEED=n (one seed) or SEEDS="n m ..." (default "1 2"), CHAOS_S (default
#   30, per seed), NODES (3), BOUND (60), CHAOS_VERBOSE=1 prints each fault
# Files in NN_DIR/chaos: faults (every fault, timestamped), events (every
# start/stop of the holders), violations, crashes, samples.SEED,
# svc-SVC.sh (the services' scripts).
# shellcheck disable=SC2016	# single quotes: expanded where they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-chaos
NODES=${NODES:-3}
CHAOS_S=${CHAOS_S:-30}
SEEDS=${SEED:-${SEEDS:-1 2}}
BOUND=${BOUND:-60}
CHAOS_KEEP=${CHAOS_KEEP:-/tmp}
CHAOS_VERBOSE=${CHAOS_VERBOSE:-0}
SVCS=(web db)
read -r -a SEEDL <<<"$SEEDS"
NCHECKS=$((2 + ${#SEEDL[@]} * (3 + ${#SVCS[@]})))
case $NODES in
3 | 4 | 5) ;;
*) echo "$0: NODES must be 3..5" >&2; exit 2 ;;
esac
M=$(((NODES - 1) / 2))	# nodes that may be impaired with a quorum left
Q=$((NODES / 2 + 1))	# quorum (one vote each)

nn_require "$LABEL" "$NCHECKS"
. "$HERE/cman.sh"

# --- the configuration -------------------------------------------------------
rm_section()
{
	local i all="" rev="" st='<action name="status" interval="1"/>'
	for i in $(seq 1 "$NODES"); do
		all+="<failoverdomainnode name=\"node$i\" priority=\"$i\"/>"
		rev+="<failoverdomainnode name=\"node$i\" priority=\"$((NODES + 1 - i))\"/>"
	done
	echo "<rm status_poll_interval=\"1\"><failoverdomains>"
	echo "<failoverdomain name=\"all\" ordered=\"1\">$all</failoverdomain>"
	echo "<failoverdomain name=\"rev\" ordered=\"1\" nofailback=\"1\">$rev</failoverdomain>"
	echo "</failoverdomains>"
	echo "<service name=\"web\" domain=\"all\"><script name=\"wh\" file=\"$C/svc-web.sh\">$st</script></service>"
	echo "<service name=\"db\" domain=\"rev\" recovery=\"relocate\"><script name=\"dh\" file=\"$C/svc-db.sh\">$st</script></service>"
	echo "</rm>"
}
conf()
{
	local s
	NN_EXTRA='<fence_daemon post_join_delay="3"/>' nn_conf multicast &&
		nn_powered "$HERE/fence_agent" && nn_rm "$(rm_section)" || return 1
	for s in "${SVCS[@]}"; do
		printf '#!/bin/sh\nexec "%s/chaos_hold" "%s" %s "$1"\n' \
			"$HERE" "$C" "$s" >"$C/svc-$s.sh"
		chmod +x "$C/svc-$s.sh"
	done
	nn_check "cluster.conf ($NODES nodes fenced by the test agent, services ${SVCS[*]}) validates" \
		"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}

# --- talking to nodes (bounded: a stuck daemon never stops the driver) -------
# cx SECONDS I CMD...: CMD in node I, killed after SECONDS.
cx()
{
	local t=$1 i=$2; shift 2
	nn_alive "$i" || return 125
	timeout -k 1 "$t" nsenter -t "$(nn_pid "$i")" -n -m -u \
		env PATH="$NN_DIR/bin:$PATH" "$@"
}
# owner_on I SVC: "OWNER STATE" as clustat -s on node I shows it
owner_on()
{
	cx 5 "$1" clustat -s "$2" 2>/dev/null |
		sed -n "s/^ service:$2 \+\([^ ]\+\) \+\([^ ]\+\).*/\1 \2/p"
}
# holders SVC: "PID NODE" per live holder of SVC's lock
holders()
{
	pgrep -af "^chaos-holder:$C:$1:" |
		sed 's/^\([0-9]*\) .*:\(node[0-9]*\) .*/\1 \2/'
}
# locked SVC: the kernel lists an exclusive flock on SVC's lock file
locked()
{
	local ino; ino=$(stat -c %i "$C/$1.lock" 2>/dev/null) || return 1
	grep -qE "FLOCK +ADVISORY +WRITE +[0-9]+ [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks
}

# --- the fault log -----------------------------------------------------------
T0=0
flog()
{
	local now; now=$(nn_now_ms)
	printf '%s +%d.%01ds %s\n' "$(date +%T.%3N)" $(((now - T0) / 1000)) \
		$(((now - T0) % 1000 / 100)) "$*" >>"$C/faults"
	[ "$CHAOS_VERBOSE" != 1 ] || echo "  chaos: $*"
}

# --- what the driver knows: per node, what it did and when to undo it -------
# DEAD[i]   "" (should run) | kill | off | fenced; RESTART[i] when (ms)
# CUT[i]    0 | when the cable goes back in; LOSS[i] 0 | when it ends
# SPLIT     the nodes on the second bridge ("" none); SPLIT_DUE
# FOLLOW[s] the clusvcadm that undoes an admin fault ("" none); FDUE[s]
declare -a DEAD RESTART CUT LOSS
declare -A FOLLOW FDUE COUNT
SPLIT="" SPLIT_DUE=0 ADMIN_PIDS=()
reset_state()
{
	local i s
	for i in $(seq 1 "$NODES"); do
		DEAD[i]="" RESTART[i]=0 CUT[i]=0 LOSS[i]=0
	done
	for s in "${SVCS[@]}"; do FOLLOW[$s]="" FDUE[$s]=0; done
	SPLIT="" SPLIT_DUE=0 ADMIN_PIDS=()
	COUNT=()
}
count() { COUNT[$1]=$((${COUNT[$1]:-0} + 1)); }
in_split() { case " $SPLIT " in *" $1 "*) return 0 ;; esac; return 1; }
# impaired: down or cut off (loss does not count: the ring retransmits)
impaired_node()
{
	[ -n "${DEAD[$1]}" ] || [ "${CUT[$1]}" != 0 ] || in_split "$1"
}
impaired()
{
	local i n=0
	for i in $(seq 1 "$NODES"); do impaired_node "$i" && n=$((n + 1)); done
	echo $n
}
healthy_list()
{
	local i
	for i in $(seq 1 "$NODES"); do
		impaired_node "$i" || [ "${LOSS[i]}" != 0 ] || echo "$i"
	done
}

# start_node I: node I's daemon, each line of its log stamped with the
# time (HH:MM:SS.mmm, as the fault log); same pid (bash execs it).
STAMP='exec 2> >(while IFS= read -r l; do t=$EPOCHREALTIME
printf "%(%T)T.%s %s\n" "${t%.*}" "${t: -6:3}" "$l"; done); exec "$1" daemon -f'
start_node() { nn_start "$1" -- bash -c "$STAMP" _ "$HACLUSTER"; }
launch_node() { nn_launch "$1" -- bash -c "$STAMP" _ "$HACLUSTER"; }

# restart I: node I's daemon again, its cable in unless cut on purpose.
restart()
{
	local i=$1 old; old=$(nn_pid "$i")
	[ -z "$old" ] || nn_wait 5 nn__gone "$old"
	[ "${CUT[i]}" != 0 ] || nn_link "$i" up
	if start_node "$i" 2>/dev/null; then
		flog "node$i restarted (after ${DEAD[i]})"
	else
		flog "node$i: restart failed"
	fi
	DEAD[i]=""
}

# found_down I WHEN: node I's daemon is gone and the driver did not kill
# it.  The fence agent takes the cable out before it kills, and logs its
# call once done: with the cable in (and not cut here) and no call for
# node I in the agent's log in the last 10 s (read 1 s later: the driver
# may have put the cable back while the agent still killed), the daemon
# exited by itself - a crash, written to NN_DIR/chaos/crashes with its
# last log lines.
cable_in()
{
	ip -o link show "$(nn_veth "$1")" 2>/dev/null | grep -q '[<,]UP[,>]'
}
fenced_lately()
{
	awk -v t=$(($(nn_now_ms) - 10000)) -v p="port=$1" \
		'$1 >= t && $3 == p { f = 1 } END { exit !f }' \
		"$NN_DIR/fence_agent.log" 2>/dev/null
}
found_down()
{
	local i=$1
	if [ "${CUT[i]}" = 0 ] && cable_in "$i" && sleep 1 &&
	   ! fenced_lately "$i"; then
		count "exited by itself"
		flog "${2}node$i's daemon EXITED BY ITSELF (its cable is in)"
		{
			echo "$(date +%T.%3N) node$i's daemon exited by itself (seed ${SEEDNOW:-?})"
			tail -n 15 "$NN_DIR/node$i/log" | sed 's/^/  | /'
		} >>"$C/crashes"
	elif [ -n "$2" ]; then
		count "fenced after the heal"
		flog "${2}node$i found down (fenced by the cluster)"
	else
		count fenced
		flog "node$i found down (fenced by the cluster)"
	fi
}

# repair NOW: undo what is due; a node found dead the driver did not kill
# was fenced by the cluster: back on after 3 s (no RANDOM here, so the
# draws of the schedule do not depend on timing).
repair()
{
	local now=$1 i s
	for i in $(seq 1 "$NODES"); do
		if [ -z "${DEAD[i]}" ] && ! nn_alive "$i"; then
			DEAD[i]=fenced RESTART[i]=$((now + 3000))
			found_down "$i" ""
		fi
		if [ -n "${DEAD[i]}" ] && [ "$now" -ge "${RESTART[i]}" ]; then
			restart "$i"
		fi
		if [ "${CUT[i]}" != 0 ] && [ "$now" -ge "${CUT[i]}" ]; then
			CUT[i]=0
			nn_link "$i" up
			flog "node$i: cable back in"
		fi
		if [ "${LOSS[i]}" != 0 ] && [ "$now" -ge "${LOSS[i]}" ]; then
			LOSS[i]=0
			nn_loss "$i" 0
			flog "node$i: loss ends"
		fi
	done
	if [ -n "$SPLIT" ] && [ "$now" -ge "$SPLIT_DUE" ]; then
		SPLIT=""
		nn_split ""
		flog "split healed"
	fi
	for s in "${SVCS[@]}"; do
		if [ -n "${FOLLOW[$s]}" ] && [ "$now" -ge "${FDUE[$s]}" ]; then
			admin_bg "$(any_live 0)" "${FOLLOW[$s]}" "$s"
			FOLLOW[$s]=""
		fi
	done
}

# any_live R: a node whose daemon runs, the R-th of them (cyclic); else 1
any_live()
{
	local i l=()
	for i in $(seq 1 "$NODES"); do nn_alive "$i" && l+=("$i"); done
	[ ${#l[@]} -gt 0 ] || { echo 1; return; }
	echo "${l[$(($1 % ${#l[@]}))]}"
}

# admin_bg I ARGS...: clusvcadm ARGS on node I in the background; its
# answer goes to the fault log.
admin_bg()
{
	local i=$1; shift
	flog "clusvcadm $* on node$i"
	count "clusvcadm"
	(
		out=$(cx 20 "$i" clusvcadm "$@" 2>&1)
		rc=$?
		flog "  clusvcadm $* on node$i: rc=$rc $(echo "$out" | tr '\n' '|')"
	) &
	ADMIN_PIDS+=($!)
}

# --- the faults ----------------------------------------------------------
# admin R2 R3: a clusvcadm on a random live node
admin()
{
	local s=${SVCS[$(($1 % ${#SVCS[@]}))]} i m op
	i=$(any_live "$2")
	m=node$(($2 / 7 % NODES + 1))
	op=$(($2 / 3 % 8))
	[ -z "${FOLLOW[$s]}" ] || op=0	# -d/-s/-Z pending: relocate
	case $op in
	0 | 7) admin_bg "$i" -r "$s" ;;
	1) admin_bg "$i" -r "$s" -m "$m" ;;
	2) admin_bg "$i" -d "$s"; FOLLOW[$s]="-e" ;;
	3) admin_bg "$i" -R "$s" ;;
	4) admin_bg "$i" -s "$s"; FOLLOW[$s]="-e" ;;
	5) admin_bg "$i" -Z "$s"; FOLLOW[$s]="-U" ;;
	6) admin_bg "$i" -e "$s" -m "$m" ;;
	esac
	FDUE[$s]=$(($(nn_now_ms) + 2000 + $1 % 5000))
}

# victim R2 R3: a healthy node; half the time a service's owner
victim()
{
	local h o s=${SVCS[$(($1 % ${#SVCS[@]}))]}
	mapfile -t h < <(healthy_list)
	[ ${#h[@]} -gt 0 ] || return 1
	if [ $(($2 % 2)) = 0 ]; then
		o=$(owner_on "$(any_live 0)" "$s" | sed -n 's/^node\([0-9]*\) started$/\1/p')
		if [ -n "$o" ] && ! impaired_node "$o"; then
			echo "$o"
			return 0
		fi
	fi
	echo "${h[$(($2 / 2 % ${#h[@]}))]}"
}

# fault: one fault; every call draws four numbers from RANDOM (r1: the
# kind, r2 r3: service, node, operation, r4: how long, quorum budget).
# Kinds: 30 % clusvcadm, 20 kill -9, 12 power off, 16 cable out or split,
# 22 loss; a fault that would impair more nodes than the budget allows
# becomes a clusvcadm.
fault()
{
	local r1=$RANDOM r2=$RANDOM r3=$RANDOM r4=$RANDOM k budget i now g h d
	now=$(nn_now_ms)
	k=$((r1 % 100))
	d=$((2000 + r4 % 6000))		# the fault lasts 2..8 s
	budget=$M
	[ $((r4 % 10)) != 0 ] || budget=$((M + 1))	# may break quorum
	if [ "$k" -ge 30 ] && [ "$k" -lt 78 ] &&
	   [ "$(impaired)" -ge "$budget" ]; then
		k=0			# nothing more may break: an admin
	fi
	if [ "$k" -lt 30 ]; then
		admin "$r2" "$r3"
		return
	fi
	i=$(victim "$r2" "$r3") || { admin "$r2" "$r3"; return; }
	[ "$k" -ge 78 ] || [ "$(impaired)" -lt "$M" ] ||
		flog "(quorum may break: $(impaired) node(s) impaired already)"
	if [ "$k" -lt 50 ]; then
		# a quarter of the restarts come back before the ring notices
		[ $((r4 % 4)) != 0 ] || d=300
		nn_signal "$i" KILL
		DEAD[i]=kill RESTART[i]=$((now + d))
		count "kill -9"
		flog "kill -9 node$i's daemon (restart in $d ms)"
	elif [ "$k" -lt 62 ]; then
		nn_kill "$i"
		DEAD[i]=off RESTART[i]=$((now + d))
		count "power off"
		flog "power off node$i (back on in $d ms)"
	elif [ "$k" -lt 78 ] && [ -z "$SPLIT" ] && [ $((r2 % 2)) = 0 ]; then
		mapfile -t h < <(healthy_list)
		g=$((1 + r4 % (budget - $(impaired))))
		[ "$g" -lt "${#h[@]}" ] || g=$((${#h[@]} - 1))
		SPLIT="${h[*]:$((r3 % (${#h[@]} - g + 1))):$g}"
		SPLIT_DUE=$((now + d))
		nn_split "$SPLIT"
		count "split"
		flog "split: nodes $SPLIT on the second bridge for $d ms"
	elif [ "$k" -lt 78 ]; then
		nn_link "$i" down
		CUT[i]=$((now + d))
		count "cable out"
		flog "node$i's cable out for $d ms"
	else
		nn_loss "$i" $((10 + r3 % 30))
		LOSS[i]=$((now + d))
		count "loss"
		flog "node$i loses $((10 + r3 % 30)) % of its ring packets for $d ms"
	fi
}

# sampler SEED: every 0.5 s, the live holders of each lock; two at once
# is a VIOLATION.  Lines "EPOCH_MS SVC N" in samples.SEED.
sampler()
{
	local s n
	while :; do
		for s in "${SVCS[@]}"; do
			n=$(holders "$s" | wc -l)
			echo "$(nn_now_ms) $s $n" >>"$C/samples.$1"
			[ "$n" -le 1 ] || echo "VIOLATION $(nn_now_ms)" \
				"$(date +%T.%3N) sampler $s: $n live holders:" \
				"$(holders "$s" | tr '\n' ' ')" >>"$C/violations"
		done
		sleep 0.5
	done
}

# --- the heal and the checks (times count from the cables going in) ------
# enable_all: every service unfrozen and enabled, asked of a healthy node;
# ENABLED[s] = 1 once -e answered 0.
declare -A ENABLED
enable_all()
{
	local s i h out rc
	mapfile -t h < <(healthy_list)
	for s in "${SVCS[@]}"; do
		ENABLED[$s]=0
		for i in "${h[@]}" $(any_live 0); do
			nn_alive "$i" || continue
			cx 20 "$i" clusvcadm -U "$s" >/dev/null 2>&1
			out=$(cx 20 "$i" clusvcadm -e "$s" 2>&1); rc=$?
			flog "heal: clusvcadm -U, -e $s on node$i: rc=$rc" \
			     "$(echo "$out" | tr '\n' '|')"
			[ "$rc" != 0 ] || { ENABLED[$s]=1; break; }
		done
	done
}
heal()
{
	local i p s
	for p in "${ADMIN_PIDS[@]}"; do wait "$p" 2>/dev/null; done
	ADMIN_PIDS=()
	for s in "${SVCS[@]}"; do FOLLOW[$s]=""; done
	for i in $(seq 1 "$NODES"); do	# down in the last 5 s?
		if [ -z "${DEAD[i]}" ] && ! nn_alive "$i"; then
			DEAD[i]=fenced
			found_down "$i" ""
		fi
	done
	enable_all
	THEAL=$(nn_now_ms)
	nn_split ""
	for i in $(seq 1 "$NODES"); do
		nn_loss "$i" 0
		nn_link "$i" up
		CUT[i]=0 LOSS[i]=0
		[ -z "${DEAD[i]}" ] || restart "$i"
	done
	SPLIT=""
	flog "healed: all cables in, no loss, every daemon running"
}
# revive: restart at once any node found dead (fenced after the heal)
revive()
{
	local i
	for i in $(seq 1 "$NODES"); do
		nn_alive "$i" && continue
		DEAD[i]=fenced
		found_down "$i" "after the heal: "
		restart "$i"
	done
}
all_members()
{
	revive
	quorate "$(seq -s ' ' 1 "$NODES")" "$NODES" "$Q"
}
# runs_once SVC: every node's clustat says started on one same node, one
# live holder runs there, the lock is held.  RAN_ON = that node; WHY =
# what is not so yet.
RAN_ON='' WHY=''
runs_once()
{
	local s=$1 i o="" x h
	revive
	for i in $(seq 1 "$NODES"); do
		x=$(owner_on "$i" "$s")
		WHY="clustat -s $s on node$i: '$x'"
		case $x in *" started") ;; *) return 1 ;; esac
		[ -z "$o" ] || [ "$o" = "${x% *}" ] || return 1
		o=${x% *}
	done
	h=$(holders "$s")
	WHY="holders of $s: '$(echo "$h" | tr '\n' ' ')' (clustat: $o)"
	[ "$(echo "$h" | grep -c .)" = 1 ] && [ "${h#* }" = "$o" ] || return 1
	WHY="$s's lock is not held"
	locked "$s" || return 1
	WHY=
	RAN_ON=$o
}
all_run()
{
	local s
	all_members || return 1
	for s in "${SVCS[@]}"; do runs_once "$s" || return 1; done
}
# views: what each node's clustat says of each service, the holders
views()
{
	local i s
	for s in "${SVCS[@]}"; do
		for i in $(seq 1 "$NODES"); do
			echo "  node$i: clustat -s $s: $(owner_on "$i" "$s")"
		done
		echo "  holders of $s: $(holders "$s" | tr '\n' ' ')"
	done
	for i in $(seq 1 "$NODES"); do
		cx 5 "$i" clustat -x 2>&1 | grep -E '<group|<quorum' |
			sed "s/^ */  node$i clustat -x: /"
	done
}
# since_heal: ms since the heal
since_heal() { echo $(($(nn_now_ms) - THEAL)); }

# --- a round -------------------------------------------------------------
# summary SEED: faults by kind, starts, fences, time without a holder
summary()
{
	local k line="" s z n st
	for k in "kill -9" "power off" "cable out" split loss clusvcadm fenced \
		 "fenced after the heal" "exited by itself"; do
		[ -z "${COUNT[$k]:-}" ] || line+="${line:+, }${COUNT[$k]} $k"
	done
	echo "  seed $1: ${CHAOS_S} s of chaos on $NODES nodes: ${line:-no faults}"
	echo "  seed $1: $(awk -v t="$T0" '$1 >= t && / result=ok$/' \
		"$NN_DIR/fence_agent.log" 2>/dev/null | wc -l) power-offs by the fence agent"
	line=""
	for s in "${SVCS[@]}"; do
		n=$(awk -v s="$s" '$2 == s' "$C/samples.$1" | wc -l)
		z=$(awk -v s="$s" '$2 == s && $3 == 0' "$C/samples.$1" | wc -l)
		st=$(awk -v t="$T0" -v s="$s" '$1 >= t && $3 == s && $4 == "start" &&
			$5 == "ok" && $6 == "pid"' "$C/events" | wc -l)
		line+="${line:+; }$s: $st starts, no holder in $z of $n samples"
	done
	echo "  seed $1: $line"
}
# keep_logs SEED: a failed round's logs survive the cleanup
keep_logs()
{
	local k i
	k=$(mktemp -d "$CHAOS_KEEP/hacluster-chaos.$1.XXXXXX") || return
	cp -r "$C" "$k/chaos"
	cp "$NN_DIR/cluster.conf" "$NN_DIR/fence_agent.log" "$k/" 2>/dev/null
	for i in $(seq 1 "$NODES"); do cp "$NN_DIR/node$i/log" "$k/node$i.log"; done
	echo "  logs kept in $k"
}
# failed_round SEED VBASE: what a failure needs to be understood and replayed
failed_round()
{
	echo "  faults of seed $1:"
	sed -n "/^=== seed $1\$/,\$p" "$C/faults" | tail -n 80 | sed 's/^/  | /'
	echo "  holder events (last 20):"
	tail -n 20 "$C/events" 2>/dev/null | sed 's/^/  | /'
	tail -n +$(($2 + 1)) "$C/violations" >"$C/violations.$1"
	if [ -s "$C/violations.$1" ]; then
		head -n 10 "$C/violations.$1" | sed 's/^/  ! /'
		echo "  ($(wc -l <"$C/violations.$1") VIOLATION lines in this round)"
	fi
	keep_logs "$1"
	echo "replay: SEED=$1 CHAOS_S=$CHAOS_S NODES=$NODES bash test/netns/chaos.test.sh $HACLUSTER"
}

round()
{
	local seed=$1 now next tend quiet vbase cbase sp s i fails=$NN_FAIL
	reset_state
	RANDOM=$seed
	T0=$(nn_now_ms)
	echo "=== seed $seed" >>"$C/faults"
	vbase=$(wc -l <"$C/violations")
	cbase=$(grep -c 'exited by itself' "$C/crashes")
	SEEDNOW=$seed
	sampler "$seed" &
	sp=$!
	tend=$((T0 + CHAOS_S * 1000))
	next=$((T0 + 1000 + RANDOM % 2000))
	quiet=$tend
	[ "$CHAOS_S" -lt 15 ] || quiet=$((tend - 5000))
	while now=$(nn_now_ms); [ "$now" -lt "$tend" ]; do
		# the last 5 s undo nothing: the heal finds work to do
		[ "$now" -ge "$quiet" ] || repair "$now"
		if [ "$now" -ge "$next" ]; then
			fault
			next=$((now + 1000 + RANDOM % 3000))
		fi
		sleep 0.2
	done
	heal
	if nn_wait "$BOUND" all_members; then
		nn_ok "seed $seed: all $NODES nodes back and quorate $(since_heal) ms after the heal"
	else
		nn_fail "seed $seed: not all $NODES nodes quorate members within $BOUND s of the heal"
		show "$(seq -s ' ' 1 "$NODES")"
	fi
	for s in "${SVCS[@]}"; do
		if [ "${ENABLED[$s]}" != 1 ]; then
			enable_all	# asked of a node without quorum before
		fi
		if nn_wait $((BOUND - $(since_heal) / 1000)) runs_once "$s"; then
			nn_ok "seed $seed: $s runs on exactly one node ($RAN_ON: every clustat agrees, one live holder, the lock held) $(since_heal) ms after the heal"
		else
			nn_fail "seed $seed: $s not on exactly one node within $BOUND s of the heal: $WHY"
			views
		fi
	done
	sleep 2			# a late start would show by now
	kill "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	nn_check "seed $seed: no daemon exited by itself (every death a kill -9, a power off or a fence)" \
		eval "[ \"\$(grep -c 'exited by itself' '$C/crashes')\" = $cbase ]" ||
		grep -A 15 "(seed $seed)" "$C/crashes" | head -n 50
	nn_check "seed $seed: no VIOLATION (no start found its lock busy, never two live holders in $(wc -l <"$C/samples.$seed") samples)" \
		eval "[ \"\$(tail -n +$((vbase + 1)) '$C/violations' | grep -c VIOLATION)\" = 0 ]"
	summary "$seed"
	[ "$NN_FAIL" = "$fails" ] || failed_round "$seed" "$vbase"
}

body()
{
	local seed i
	C=$NN_DIR/chaos
	mkdir -p "$C" && : >"$C/violations" && : >"$C/faults" && : >"$C/events" &&
		: >"$C/crashes"
	conf || { nn_tally "$LABEL"; return; }
	for i in $(seq 1 "$NODES"); do launch_node "$i"; done
	for i in $(seq 1 "$NODES"); do nn_started "$i"; done
	THEAL=$(nn_now_ms)
	nn_check "before the chaos: $NODES nodes quorate, ${SVCS[*]} each on one node (within 30 s)" \
		nn_wait 30 all_run
	echo "  (formed and placed in $NN_WAITED ms${WHY:+; $WHY})"
	[ -z "$WHY" ] || { views; keep_logs start; }
	for seed in "${SEEDL[@]}"; do
		round "$seed"
	done
	nn_tally "$LABEL"
}

nn_setup "$NODES" || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
if ! { nn_need flock util-linux && nn_need nft nftables; }; then
	nn_skip_all "$LABEL" "$NCHECKS" "flock or nft missing"
fi
nn_run body
