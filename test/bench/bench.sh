#!/bin/bash
# test/bench/bench.sh - the performance table of `make bench`: ring
# formation, failure detection, clean leave, ordered throughput and
# latency, idle cost and binary size.  It measures and prints; it never
# asserts a time (the numbers depend on the machine).
#
#   bash test/bench/bench.sh HACLUSTER [BUILD]       (root, ~4 minutes)
#
# Real daemons (`hacluster daemon -f`) run in network namespaces on a
# private bridge (test/netns/lib.sh: its addresses only, every wait
# bounded, everything removed on exit, failure, SIGINT and SIGTERM).
# BUILD/tool_ringbench (test/tool_ringbench.c) does the fine-grained
# work: `watch` polls each daemon's control socket with the `status`
# verb that `cman_tool status` prints, every BENCH_POLL_MS, and stamps
# the moment all of them agree; `ctl` asks a daemon one verb (the
# throughput rows use the test-only verb `bench`).  Times are wall-clock microseconds of this shell
# (EPOCHREALTIME) against the watcher's stamp.  A row that could not be
# measured says so; no number is printed that was not measured.
#
# Settings (environment): BENCH_RUNS (5) runs of each timing,
# BENCH_IDLE (60) seconds of the idle row, BENCH_POLL_MS (20) and
# BENCH_FINE_MS (2) between polls for formation and for reforms,
# BENCH_ONLY (all, or a list of: form fail leave tput idle size),
# NN_KEEP=1 keeps the node directories and logs.
set -u
HACLUSTER=${1:-${HACLUSTER:-}}
[ -n "$HACLUSTER" ] || { echo "usage: $0 HACLUSTER [BUILD]" >&2; exit 2; }
HACLUSTER=$(readlink -f "$HACLUSTER")
BUILD=$(readlink -f "${2:-$(dirname "$HACLUSTER")}")
TOOL=$BUILD/tool_ringbench
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../netns/lib.sh"
RUNS=${BENCH_RUNS:-5}
IDLE=${BENCH_IDLE:-60}
POLL=${BENCH_POLL_MS:-20}	# formation: 16 daemons asked each time
FINE=${BENCH_FINE_MS:-2}	# reforms: 2 survivors asked each time
ONLY=${BENCH_ONLY:-all}
NODES=16			# namespaces made once, for the largest ring
LIMIT=30			# seconds any one membership change may take

# --- the table ---------------------------------------------------------------
row() { printf '%-22s %-48s %s\n' "$1" "$2" "$3"; }
note() { echo "bench: $*" >&2; }
want() { [ "$ONLY" = all ] || [[ " $ONLY " == *" $1 "* ]]; }
now_us() { local t=${EPOCHREALTIME//[.,]/}; echo "$t"; }
# ms_of US: microseconds as milliseconds with one decimal
ms_of() { printf '%d.%d ms' $(($1 / 1000)) $(($1 % 1000 / 100)); }

size_row()
{
	local f s
	f=$(mktemp /tmp/hacluster-bench.XXXXXX) || return
	if ! cp "$HACLUSTER" "$f" 2>/dev/null; then
		row "binary size" "$HACLUSTER" "not measured (cannot read it)"
		rm -f "$f"
		return
	fi
	local how="stripped"
	strip "$f" 2>/dev/null || how="as built (no strip here)"
	s=$(stat -c %s "$f")
	row "binary size" "$how, static ($(basename "$HACLUSTER"))" \
		"$s bytes ($((s / 1024)) KiB)"
	rm -f "$f"
}

# --- nodes -------------------------------------------------------------------
# conf N TOTEM_ATTRS: cluster.conf naming node1..N, those totem attributes.
conf() { NN_TOTEM=$2 nn_conf multicast "$1"; }

# launch_all "I J ...": start the daemons without waiting, state cleared.
launch_all()
{
	local i
	for i in $1; do
		rm -f "$NN_DIR/node$i/pid" "$NN_DIR/node$i/var-lib/ringseq"
		nn_launch "$i"
	done
}

# started "I J ...": every listed node wrote its pid (bounded).
started()
{
	local i
	for i in $1; do nn_started "$i" || return 1; done
}

# stop_all: SIGKILL everything in every namespace, links up, bounded wait.
stop_all()
{
	local i p pids=""
	for i in $(seq 1 "$NN_N"); do
		pids+=" $(ip netns pids "$(nn_ns "$i")" 2>/dev/null | tr '\n' ' ')"
		nn_link "$i" up
	done
	for p in $pids; do kill -KILL "$p" 2>/dev/null; done
	nn_wait 10 all_gone
	for i in $(seq 1 "$NN_N"); do
		p=$(cat "$NN_DIR/node$i/launched" 2>/dev/null)
		[ -z "$p" ] || wait "$p" 2>/dev/null
		rm -f "$NN_DIR/node$i/launched" "$NN_DIR/node$i/pid"
	done
	return 0
}
all_gone()
{
	local i
	for i in $(seq 1 "$NN_N"); do
		[ -z "$(ip netns pids "$(nn_ns "$i")" 2>/dev/null)" ] || return 1
	done
}

# formed_cli "I J ..." N: cman_tool status in each listed node says
# Nodes: N, all with one generation (the applet's own view, as a check
# of what the watcher saw).  Sets CLI_GEN.
CLI_GEN=
formed_cli()
{
	local i s n g gens=""
	for i in $1; do
		s=$(nn_exec "$i" cman_tool status 2>/dev/null)
		n=$(echo "$s" | sed -n 's/^Nodes: *//p')
		g=$(echo "$s" | sed -n 's/^Cluster Generation: *//p')
		[ "$n" = "$2" ] || return 1
		gens+="$g "
	done
	[ "$(echo "$gens" | tr ' ' '\n' | sed '/^$/d' | sort -u | wc -l)" = 1 ] ||
		return 1
	CLI_GEN=${gens%% *}
}

# --- the watcher -------------------------------------------------------------
# watch_start N "I J ..." [MS]: in the background, wait for the listed
# daemons to agree on a ring of N, polling every MS (POLL).  watch_end
# T0: the time from T0 (us) to that agreement in WATCH_US, the
# generation in WATCH_GEN; status 1 on timeout.
WATCH_PID='' WATCH_US='' WATCH_GEN=''
watch_start()
{
	local files=() i
	for i in $2; do files+=("$NN_DIR/node$i/pid"); done
	"$TOOL" watch -i "${3:-$POLL}" -w "$LIMIT" "$1" "${files[@]}" \
		>"$NN_DIR/watch.out" 2>&1 &
	WATCH_PID=$!
}
watch_end()
{
	local met gen
	wait "$WATCH_PID"
	read -r met gen < <(sed -n 's/^met \([0-9]*\) gen \([0-9]*\).*/\1 \2/p' \
		"$NN_DIR/watch.out")
	[ -n "${met:-}" ] || { note "watcher: $(cat "$NN_DIR/watch.out")"; return 1; }
	WATCH_US=$((met - $1)) WATCH_GEN=$gen
}

# ring "I J ..." N: start the listed daemons and wait until they form one
# ring of N (not timed; the setting up of a scenario).
ring()
{
	launch_all "$1"
	started "$1" || return 1
	nn_wait "$LIMIT" formed_cli "$1" "$2"
}

# timers I: the timers node I's daemon said it started with.
timers()
{
	grep 'starting the ring' "$NN_DIR/node$1/log" | tail -1 |
		sed -n 's/.*: token \([0-9]*\) ms, join \([0-9]*\), consensus \([0-9]*\).*/token \1 (consensus \3)/p'
}

# summary LABEL PARAMS: min, median and max of the SAMPLES (us) taken
# since the last summary, when there are at least two.
SAMPLES=()
summary()
{
	local sorted n
	n=${#SAMPLES[@]}
	if [ "$n" -ge 2 ]; then
		mapfile -t sorted < <(printf '%s\n' "${SAMPLES[@]}" | sort -n)
		row "$1" "$2, $n runs" "min $(ms_of "${sorted[0]}"),\
 median $(ms_of "${sorted[$((n / 2))]}"),\
 max $(ms_of "${sorted[$((n - 1))]}")"
	fi
	SAMPLES=()
}

# show "I J ...": what the nodes' logs end with, for a failed row.
show()
{
	local i
	for i in $1; do nn_tail "$i" 6 >&2; done
}

# --- 1. formation from a cold start ------------------------------------------
form_once()
{
	local n=$1 run=$2 list t0 extra="" i
	list=$(seq -s ' ' 1 "$n")
	conf "$n" ""
	for i in $list; do rm -f "$NN_DIR/node$i/pid"; done
	watch_start "$n" "$list"
	t0=$(now_us)
	launch_all "$list"
	if watch_end "$t0"; then
		if ! nn_wait 5 formed_cli "$list" "$n"; then
			extra=" (cman_tool disagrees afterwards)"
		elif [ "$CLI_GEN" != "$WATCH_GEN" ]; then
			extra=" (then generation $CLI_GEN)"
		fi
		SAMPLES+=("$WATCH_US")
		row "ring formation" "$n nodes, $(timers 1), #$run" \
			"$(ms_of "$WATCH_US") (generation $WATCH_GEN)$extra"
	else
		row "ring formation" "$n nodes, $(timers 1), #$run" \
			"not measured: no ring of $n within $LIMIT s"
		show "$list"
	fi
	stop_all
}

bench_form()
{
	local n r
	for n in 3 5 16; do
		for r in $(seq 1 "$RUNS"); do form_once "$n" "$r"; done
		summary "ring formation" "$n nodes, $(timers 1)"
	done
}

# --- 2. and 3. a node lost: power off, or a clean leave ----------------------
# lose HOW VICTIM "SURVIVORS" N LABEL PARAMS: take VICTIM out of a formed
# ring of N and time the survivors' reform to N-1.
lose()
{
	local how=$1 v=$2 rest=$3 n=$4 label=$5 params=$6 t0
	watch_start $((n - 1)) "$rest" "$FINE"
	t0=$(now_us)
	case $how in
	poweroff) nn_kill "$v" ;;
	term) nn_signal "$v" TERM ;;
	esac
	if watch_end "$t0"; then
		SAMPLES+=("$WATCH_US")
		row "$label" "$params" \
			"$(ms_of "$WATCH_US") to Nodes: $((n - 1)) (generation $WATCH_GEN)"
	else
		row "$label" "$params" "not measured: no reform within $LIMIT s"
		show "$rest"
	fi
	if [ "$how" = term ] && ! nn_wait 10 nn__gone "$(nn_pid "$v")"; then
		note "node$v did not exit 10 s after SIGTERM"
		row "" "" "(node$v ignored SIGTERM for 10 s)"
	fi
	nn_killall "$v" >/dev/null 2>&1
	nn_link "$v" up
}

# others V "LIST": LIST without V.
others() { echo " $2 " | sed "s/ $1 / /; s/^ *//; s/ *$//"; }

# losses HOW LABEL TOTEM_ATTRS: RUNS losses in a 3-node ring,
# victims node3, node1 (the representative), node2, ...
losses()
{
	local how=$1 label=$2 attrs=$3 ttext r v all="1 2 3" victims=(3 1 2)
	conf 3 "$attrs"
	if ! ring "$all" 3; then
		row "$label" "3 nodes, <totem $attrs/>" "not measured: no ring of 3"
		show "$all"; stop_all; return
	fi
	ttext=$(timers 1)
	for r in $(seq 1 "$RUNS"); do
		v=${victims[$(((r - 1) % 3))]}
		lose "$how" "$v" "$(others "$v" "$all")" 3 "$label" \
			"3 nodes, $ttext, node$v, #$r"
		launch_all "$v"
		if ! started "$v" || ! nn_wait "$LIMIT" formed_cli "$all" 3; then
			note "node$v did not rejoin; the rest of these runs skipped"
			show "$all"
			break
		fi
	done
	summary "$label" "3 nodes, $ttext"
	stop_all
}

bench_fail()
{
	losses poweroff "failure (power off)" ""
	losses poweroff "failure (power off)" 'token="200"'
}

bench_leave()
{
	losses term "clean leave (SIGTERM)" ""
	losses term "clean leave (SIGTERM)" 'token="200"'
}

# --- 4. ordered throughput and latency ---------------------------------------
# Through the daemons: the test-only control verb `bench` (rm/bench.c)
# makes node1's daemon send, and the daemons of nodes 2 and 3 count what
# they deliver in agreed order.
RUN=''
bench_val() { sed -n "s/^$2: *//p" "$NN_DIR/bench.$1"; }
# tput_done I COUNT: node I delivered all COUNT messages of run RUN.
tput_done()
{
	"$TOOL" ctl "$NN_DIR/node$1/pid" bench >"$NN_DIR/bench.$1" 2>&1 &&
		[ "$(bench_val "$1" run)" = "$RUN" ] &&
		[ "$(bench_val "$1" got)" = "$2" ]
}

# tput SIZE COUNT RATE: node1 sends (RATE 0: flood); a row per receiver.
tput()
{
	local size=$1 count=$2 rate=$3 i what rest
	what="$size B x $count"
	if [ "$rate" -gt 0 ]; then what+=", $rate/s"; rest=" $rate"
	else what+=", flood"; rest=""; fi
	RUN=$("$TOOL" ctl "$NN_DIR/node1/pid" "bench send $count $size$rest" \
		2>&1 | sed -n 's/^run: //p')
	if [ -z "$RUN" ]; then
		row "ordered messages" "$what" "not measured: bench send refused"
		return
	fi
	for i in 2 3; do
		if nn_wait "$LIMIT" tput_done "$i" "$count"; then
			tput_row "$what, node1 to node$i" "$i"
		else
			row "ordered messages" "$what, node1 to node$i" \
				"not measured: $(bench_val "$i" got) of $count in $LIMIT s"
		fi
	done
}

# tput_row PARAMS I: a table row from node I's `bench` reply.
tput_row()
{
	local ns got bytes ord
	ns=$(( $(bench_val "$2" last_rx_ns) - $(bench_val "$2" first_sent_ns) ))
	got=$(bench_val "$2" got) bytes=$(bench_val "$2" bytes)
	ord=$(bench_val "$2" order_errors)
	row "ordered messages" "$1" "$(awk -v n="$got" -v b="$bytes" -v ns="$ns" \
		'BEGIN { printf "%.0f msg/s, %.1f MB/s", n * 1e9 / ns, b * 1e3 / ns }');\
 latency p50 $(bench_val "$2" lat_p50_us) us, p99 $(bench_val "$2" lat_p99_us) us,\
 max $(bench_val "$2" lat_max_us) us"
	[ "$ord" = 0 ] || row "" "" "(out of order: $ord)"
}

bench_tput()
{
	local all="1 2 3"
	conf 3 ""
	if ! ring "$all" 3; then
		row "ordered messages" "3 nodes" "not measured: no ring of 3"
		show "$all"; stop_all; return
	fi
	tput 64 200000 0
	tput 1024 100000 0
	tput 64 1000 500
	tput 1024 1000 500
	formed_cli "$all" 3 || row "" "" "(the ring changed during the runs)"
	stop_all
}

# --- 5. idle cost of a daemon ------------------------------------------------
# cpu_ns PID: nanoseconds PID ran (/proc/PID/schedstat, first field);
# cpu_ticks PID: utime + stime (fields 14, 15 of /proc/PID/stat).
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat" 2>/dev/null; }
cpu_ticks()
{
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $12 + $13 }'
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
counter() { "$TOOL" ctl "$NN_DIR/node$1/pid" stats 2>/dev/null | sed -n "s/^$2: *//p"; }

# idle_sample I: "NS TICKS ROTATIONS" of node I now.
idle_sample()
{
	local pid; pid=$(nn_pid "$1")
	echo "$(cpu_ns "$pid") $(cpu_ticks "$pid") $(counter "$1" totem_rotations)"
}

# idle_rows I "NS0 TICKS0 ROT0" "NS1 TICKS1 ROT1" US: node I's rows.
idle_rows()
{
	local i=$1 us=$4 pid n0 t0 r0 n1 t1 r1 hz nps
	read -r n0 t0 r0 <<<"$2"
	read -r n1 t1 r1 <<<"$3"
	pid=$(nn_pid "$i") hz=$(getconf CLK_TCK)
	nps=$(ip netns pids "$(nn_ns "$i")" | wc -l)
	if [ -n "${n0:-}" ] && [ -n "${n1:-}" ] && [ -n "${t1:-}" ]; then
		row "idle daemon CPU" "3 nodes, $(timers "$i"), $((us / 1000000)) s, node$i" \
			"$(awk -v n=$((n1 - n0)) -v us="$us" \
			'BEGIN { printf "%.3f", n / 10 / us }') % of one CPU ($(((n1 - n0) / 1000000)) ms run; utime+stime $((t1 - t0)) ticks at $hz Hz; $nps process(es))"
	else
		row "idle daemon CPU" "3 nodes, node$i" "not measured: no /proc/$pid"
	fi
	row "idle daemon memory" "3 nodes, node$i, after the idle run" \
		"VmRSS $(status_kib "$pid" VmRSS) KiB, VmHWM $(status_kib "$pid" VmHWM) KiB"
	[ -n "${r0:-}" ] && [ -n "${r1:-}" ] &&
		row "idle token rotations" "3 nodes, node$i" \
			"$(awk -v r=$((r1 - r0)) -v us="$us" \
			'BEGIN { printf "%.1f", r * 1e6 / us }')/s"
	return 0
}

bench_idle()
{
	local all="1 2 3" i t0 t1 s0=() s1=()
	conf 3 ""
	if ! ring "$all" 3; then
		row "idle daemon" "3 nodes" "not measured: no ring of 3"
		show "$all"; stop_all; return
	fi
	sleep 2
	t0=$(now_us)
	for i in $all; do s0[i]=$(idle_sample "$i"); done
	note "idle: $IDLE s of a 3-node ring"
	sleep "$IDLE"
	for i in $all; do s1[i]=$(idle_sample "$i"); done
	t1=$(now_us)
	formed_cli "$all" 3 || row "" "" "(the ring changed during the idle run)"
	for i in $all; do idle_rows "$i" "${s0[i]}" "${s1[i]}" $((t1 - t0)); done
	stop_all
}

# --- main --------------------------------------------------------------------
body()
{
	local t0; t0=$(now_us)
	row "measurement" "parameters" "result"
	row "-----------" "----------" "------"
	want size && size_row
	want form && bench_form
	want fail && bench_fail
	want leave && bench_leave
	want tput && bench_tput
	want idle && bench_idle
	cat <<EOF

Formation: from launching all daemons at once (processes not yet running)
  until every one says Nodes: N, member, one generation (control verb
  status, as cman_tool status; polled every $POLL ms).
Power off: link down, then SIGKILL of every process of the node; clean
  leave: SIGTERM.  Both until the survivors say Nodes: N-1 with one
  generation (polled every $FINE ms).
Ordered messages: through the daemons of a 3-node ring: the control verb
  "bench send COUNT SIZE [RATE]" makes node1's daemon send, nodes 2 and 3
  count agreed-order deliveries (verb "bench"); msg/s from the first send
  to the last delivery; MB = 10^6 bytes of message body; latency one-way,
  from the send into the ring to delivery (CLOCK_MONOTONIC, shared by all
  namespaces; percentiles to within 1/8).  A flood fills the send queue,
  so its latency is mostly time waiting in that queue.
bench: $(( ($(now_us) - t0) / 1000000 )) s on $(nproc) CPU(s), $(uname -r)
EOF
}

why=$(nn_require bench 0 2>&1 | sed -n 's/^SKIP: //p')
if [ -n "$why" ]; then
	row "measurement" "parameters" "result"
	size_row
	row "(everything else)" "" "not measured: $why"
	exit 0
fi
if [ ! -x "$TOOL" ]; then
	echo "bench: $TOOL missing (make $TOOL)" >&2
	exit 2
fi
nn_setup "$NODES" || { echo "bench: namespace setup failed" >&2; exit 1; }
nn_run body
