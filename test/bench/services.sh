#!/bin/bash
# test/bench/services.sh - services under faults, timed: a cold start of
# three nodes until the service runs and its address answers, the
# failover after kill -9 of the owner (fenced: the test agent powers its
# node off), a relocation with clusvcadm -r -m, the agents' own time, and
# many services (an address and a script each) started at once, with
# the daemons' memory.  It measures and prints; it never asserts a time.
#
#   bash test/bench/services.sh HACLUSTER       (root, ~3 minutes)
#
# Real daemons in network namespaces (test/netns/lib.sh); node4 is the
# client.  The service "web" = a floating address (the built-in ip
# agent, sleeptime="0") + an LSB script whose start, stop and status are
# instant, in an ordered domain node1 > node2 > node3; every node's fence
# device is test/netns/fence_agent (link down, every process of the
# namespace killed).  Every node runs, outside the cluster, a small HTTP
# server on all its addresses answering its name (svcwatch.py serve): the
# address "answers" once the client, opening a new connection every 10 ms
# (svcwatch.py http), gets the expected node's name through it.  The
# daemons log without time stamps: svcwatch.py stamp stamps every line as
# it appears (within ~1 ms), and the bench writes its own marks among
# them; a row whose median misses its target prints the timeline of its
# median run from those lines.
#
# Settings (environment): RUNS (5) runs of each row, BENCH_ONLY (all,
# or a list of: cold reloc fail many), BENCH_SERVICES ("100 1000")
# service counts of the last row, BENCH_TIMELINES=1 prints every row's
# median timeline, NN_KEEP=1 keeps the logs (NN_DIR).
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../netns/lib.sh"
nn_binary "$0" "${1:-}"
W=$HERE/svcwatch.py
RUNS=${RUNS:-${BENCH_RUNS:-5}}
ONLY=${BENCH_ONLY:-all}
MANY=${BENCH_SERVICES:-100 1000}
TIMELINES=${BENCH_TIMELINES:-0}
VIP=$NN_NET.100
LIMIT=30			# seconds any one step may take
STAMPS=			# the stamped log (NN_DIR/stamped)

# --- the table ----------------------------------------------------------------
row() { printf '%-24s %-40s %s\n' "$1" "$2" "$3"; }
note() { echo "services: $*" >&2; }
want() { [ "$ONLY" = all ] || [[ " $ONLY " == *" $1 "* ]]; }
# ms: the wall clock in milliseconds, in MS (no subshell)
ms() { local t=${EPOCHREALTIME/[.,]/}; MS=$((t / 1000)); }
# mark TEXT: a line of the bench among the stamped log lines
mark() { ms; echo "$MS bench $*" >>"$STAMPS"; }
# mark_at MS TEXT: the same for a moment already taken
mark_at() { local t=$1; shift; echo "$t bench $*" >>"$STAMPS"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# summary LABEL PARAMS TARGET_MS REF: min, median, max of SAMPLES
# ("MS RUN" pairs) and the target; the median run's timeline when the
# median misses the target (TARGET_MS empty: no target).
SAMPLES=()
summary()
{
	local s n med run
	n=${#SAMPLES[@]}
	[ "$n" -gt 0 ] || { row "$1" "$2" "not measured"; return; }
	mapfile -t s < <(printf '%s\n' "${SAMPLES[@]}" | sort -n -k1,1)
	med=${s[$(((n - 1) / 2))]} run=${med#* } med=${med%% *}
	row "$1" "$2" "median $med ms (min ${s[0]%% *}, max ${s[$((n - 1))]%% *}; $n runs)"
	[ -z "$3" ] || row "" "" "target <= $3 ms${4:+ [$4]}: $(
		[ "$med" -le "$3" ] && echo met || echo MISSED)"
	if { [ "$TIMELINES" = 1 ] || { [ -n "$3" ] && [ "$med" -gt "$3" ]; }; } &&
	   [ -s "$NN_DIR/tl.$run" ]; then
		echo "  timeline of the median run ($run), ms from the start:"
		sed 's/^/    /' "$NN_DIR/tl.$run"
	fi
	SAMPLES=()
}

# timeline NAME T0 T1 TAGS: the stamped lines of TAGS (bench always)
# between T0 and T1 (+100 ms), as "+MS tag text", into NN_DIR/tl.NAME.
timeline()
{
	sort -s -n -k1,1 "$STAMPS" | awk -v t0="$2" -v t1=$(($3 + 100)) \
		-v tags=" $4 bench " '
	$1 >= t0 - 5 && $1 <= t1 && index(tags, " " $2 " ") {
		line = $0; sub(/^[0-9]+ [^ ]+ /, "", line)
		sub(/^daemon\[[0-9]+\] /, "", line)
		printf "%+6d %-6s %s\n", $1 - t0, $2, line
	}' | grep -v -e ' info: totem: ' -e ' info: transitional' \
		>"$NN_DIR/tl.$1"
}

# --- the cluster ----------------------------------------------------------------
# app.sh: the service's instant LSB script; its state in the node's
# private /run, one file per name it is called by (symlinks for many).
app()
{
	cat >"$NN_DIR/app.sh" <<'EOF'
#!/bin/sh
f=/run/app.${0##*/}
case $1 in
start) : >"$f" ;;
stop) rm -f "$f" ;;
status) [ -e "$f" ] || exit 3 ;;
esac
exit 0
EOF
	chmod +x "$NN_DIR/app.sh"
	mkdir -p "$NN_DIR/apps"
	cp "$HERE/../netns/fence_agent" "$NN_DIR/fence_agent"
}

rm_web()
{
	echo "<rm><failoverdomains><failoverdomain name=\"ord\" ordered=\"1\">\
<failoverdomainnode name=\"node1\" priority=\"1\"/>\
<failoverdomainnode name=\"node2\" priority=\"2\"/>\
<failoverdomainnode name=\"node3\" priority=\"3\"/></failoverdomain>\
</failoverdomains><service name=\"web\" domain=\"ord\" recovery=\"relocate\">\
<ip address=\"$VIP/24\" sleeptime=\"0\"/>\
<script name=\"app\" file=\"$NN_DIR/app.sh\"/></service></rm>"
}

# rm_many N: N services sI, each an address in MANY_NET.0.0/16 (every
# node has one there: many_net) and a script
MANY_NET=10.214
rm_many()
{
	local i
	printf '<rm>'
	for i in $(seq 0 $(($1 - 1))); do
		ln -sf ../app.sh "$NN_DIR/apps/a$i"
		printf '<service name="s%d" recovery="relocate"><ip address="%s/16" sleeptime="0"/><script name="a%d" file="%s"/></service>' \
			"$i" "$MANY_NET.$((i / 250)).$((i % 250 + 1))" "$i" "$NN_DIR/apps/a$i"
	done
	printf '</rm>'
}
many_net()
{
	local i
	for i in 1 2 3 4; do
		ip -n "$(nn_ns "$i")" addr replace "$MANY_NET.255.$i/16" dev eth0 ||
			return 1
	done
}

# conf TOTEM_ATTRS RM: cluster.conf of 3 nodes fenced by the test agent
conf()
{
	NN_TOTEM=$1 nn_conf multicast 3 &&
		nn_powered "$NN_DIR/fence_agent" && nn_rm "$2" &&
	"$HACLUSTER" ccs_config_validate -q -c "$NN_DIR/cluster.conf"
}

# servers: every node's HTTP server, listening (bounded)
listening() { ip netns exec "$(nn_ns "$1")" grep -q ':0050 00000000:0000 0A' /proc/net/tcp; }
servers()
{
	local i
	for i in 1 2 3; do
		ip netns exec "$(nn_ns "$i")" python3 "$W" serve "node$i" \
			>/dev/null 2>&1 &
		NN_PIDS+=("$!"); disown "$!"
	done
	for i in 1 2 3; do nn_wait 10 listening "$i" || return 1; done
}

# stop_all: every process of every namespace killed, links up, floating
# addresses removed, the client's ARP cache emptied, ring state cleared.
all_gone()
{
	local i
	for i in 1 2 3 4; do
		[ -z "$(ip netns pids "$(nn_ns "$i")" 2>/dev/null)" ] || return 1
	done
}
stop_all()
{
	local i p a
	for i in 1 2 3 4; do
		for p in $(ip netns pids "$(nn_ns "$i")" 2>/dev/null); do
			kill -KILL "$p" 2>/dev/null
		done
		nn_link "$i" up
	done
	nn_wait 10 all_gone
	for i in 1 2 3; do
		p=$(cat "$NN_DIR/node$i/launched" 2>/dev/null)
		[ -z "$p" ] || wait "$p" 2>/dev/null
		rm -f "$NN_DIR/node$i/launched" "$NN_DIR/node$i/pid" \
			"$NN_DIR/node$i/var-lib/ringseq"
		for a in $(ip -n "$(nn_ns "$i")" -4 -o addr show dev eth0 |
			   awk '{ print $4 }'); do
			[ "$a" = "$(nn_addr "$i")/24" ] ||
				ip -n "$(nn_ns "$i")" addr del "$a" dev eth0 2>/dev/null
		done
	done
	ip -n "$(nn_ns 4)" neigh flush dev eth0 2>/dev/null
	return 0
}

# --- reading the cluster ----------------------------------------------------------
# owner I SVC: SVC's owner while started, as clustat on node I shows it
owner()
{
	nn_exec "$1" clustat -s "$2" 2>/dev/null |
		sed -n "s/^ service:$2 \+\([^ ]\+\) \+started.*/\1/p"
}
# until_started I SVC WANT: poll clustat on node I every 10 ms until SVC
# is started on WANT ("!NODE": anywhere but NODE; "": anywhere); the
# moment in T_START and the owner in OWNER; status 1 after LIMIT s.
T_START='' OWNER=''
until_started()
{
	local end o
	ms; end=$((MS + LIMIT * 1000))
	while [ "$MS" -lt "$end" ]; do
		o=$(owner "$1" "$2")
		ms
		case $3 in
		'') [ -n "$o" ] ;;
		!*) [ -n "$o" ] && [ "$o" != "${3#!}" ] ;;
		*) [ "$o" = "$3" ] ;;
		esac && { T_START=$MS OWNER=$o; return 0; }
		sleep 0.01
		ms
	done
	return 1
}

# client_start WANT: the client polls the floating address in the
# background (bounded), once it runs; client_end: the moment the wanted
# answer came in T_HTTP, who gave it in SERVED; status 1 if none did.
CLIENT_PID='' T_HTTP='' SERVED=''
client_start()
{
	: >"$NN_DIR/client.err"
	ip netns exec "$(nn_ns 4)" python3 "$W" http "http://$VIP/" "$1" \
		"$LIMIT" 10 >"$NN_DIR/client.out" 2>"$NN_DIR/client.err" &
	CLIENT_PID=$!
	nn_wait 5 grep -q polling "$NN_DIR/client.err"
}
client_end()
{
	wait "$CLIENT_PID"
	read -r T_HTTP SERVED _ <"$NN_DIR/client.out" && [ -n "${SERVED:-}" ]
}

fence_domain() { grep -q 'this node is in the fence domain' "$NN_DIR/node$1/log"; }
# settled: 3 members in every node's fence domain, web on node1 and
# answering from there (the start of the relocation and failover rows)
settled()
{
	local i
	for i in 1 2 3; do fence_domain "$i" || return 1; done
	[ "$(owner 2 web)" = node1 ] &&
	[ "$(ip netns exec "$(nn_ns 4)" curl -s -m 1 "http://$VIP/")" = node1 ]
}

# --- 1. cold start --------------------------------------------------------------
# cold TAG: launch the three daemons; the service started (clustat on
# node2) and its address answering.  Sample: the later of the two.
cold()
{
	local t0 i
	client_start '!' || { note "the client poller did not start"; return 1; }
	mark "launching the daemons"; t0=$MS
	for i in 1 2 3; do nn_launch "$i"; done
	for i in 1 2 3; do nn_started "$i" || return 1; done
	if ! until_started 2 web ''; then
		note "cold start: web not started within $LIMIT s"
		kill "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID"
		return 1
	fi
	mark_at "$T_START" "clustat on node2: web started on $OWNER"
	if ! client_end; then
		note "cold start: the address did not answer within $LIMIT s"
		return 1
	fi
	mark_at "$T_HTTP" "the client: $VIP answered ($SERVED)"
	COLD+=("$((T_START - t0)) $((T_HTTP - t0))")
	T_END=$((T_START > T_HTTP ? T_START : T_HTTP))
	SAMPLES+=("$((T_END - t0)) $1")
	timeline "$1" "$t0" "$T_END" "$OWNER"
}

# --- 3. relocation -----------------------------------------------------------------
# reloc TAG TO: clusvcadm -r web -m TO on node3: its return and the
# address answering from TO.
reloc()
{
	local t0 t1 rc out
	client_start "$2" || return 1
	mark "clusvcadm -r web -m $2 (on node3)"; t0=$MS
	out=$(nn_exec 3 clusvcadm -r web -m "$2" 2>&1); rc=$?
	ms; t1=$MS; mark_at "$t1" "clusvcadm returned $rc"
	RET+=("$((t1 - t0)) $1")
	if [ "$rc" != 0 ] || ! client_end; then
		note "relocation to $2: rc $rc: $out"
		kill "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID"
		return 1
	fi
	mark_at "$T_HTTP" "the client: $VIP answered ($SERVED)"
	SAMPLES+=("$((T_HTTP - t0)) $1")
	timeline "$1" "$t0" "$((t1 > T_HTTP ? t1 : T_HTTP))" "node1 node2"
}

# agents TAG: the service's agents alone (rg_test on node2, the service
# disabled in the cluster): start, then stop.
agents()
{
	local t0 t1
	nn_exec 1 clusvcadm -d web >/dev/null 2>&1 || return 1
	ms; t0=$MS
	nn_exec 2 rg_test test /etc/cluster/cluster.conf start service web \
		>/dev/null 2>&1 || { note "rg_test start failed"; return 1; }
	ms; t1=$MS
	nn_exec 2 rg_test test /etc/cluster/cluster.conf stop service web \
		>/dev/null 2>&1 || { note "rg_test stop failed"; return 1; }
	ms
	AG_START+=("$((t1 - t0)) $1") AG_STOP+=("$((MS - t1)) $1")
	ms; t0=$MS; nn_exec 2 true; ms; NSENTER+=("$((MS - t0)) $1")
	nn_exec 1 clusvcadm -e web -m node1 >/dev/null 2>&1
}

# --- 2. failover -------------------------------------------------------------------
# fail TAG: kill -9 of node1's daemon; fenced by the test agent; web
# started elsewhere (clustat on node3) and answering from there.
fail()
{
	local t0 tf
	client_start '!node1' || return 1
	mark "kill -9 of node1's daemon"; t0=$MS
	nn_signal 1 KILL
	if ! until_started 3 web '!node1'; then
		note "failover: web not started elsewhere within $LIMIT s"
		kill "$CLIENT_PID" 2>/dev/null; wait "$CLIENT_PID"
		return 1
	fi
	mark_at "$T_START" "clustat on node3: web started on $OWNER"
	client_end || { note "failover: no answer within $LIMIT s"; return 1; }
	mark_at "$T_HTTP" "the client: $VIP answered ($SERVED)"
	T_END=$((T_START > T_HTTP ? T_START : T_HTTP))
	tf=$(awk '/port=1 action=off.*result=ok/ { print $1; exit }' \
		"$NN_DIR/fence_agent.log" 2>/dev/null)
	FAILS+=("$((T_START - t0)) $((T_HTTP - t0)) ${tf:+$((tf - t0))}")
	SAMPLES+=("$((T_END - t0)) $1")
	timeline "$1" "$t0" "$T_END" "${OWNER:-node2} agent"
}

# --- a series: RUNS cold starts at one timer setting ------------------------------------
# series NAME TOTEM_ATTRS: per run a cold start, two relocations, the
# agents alone (default timers only), a failover.
series()
{
	local name=$1 r ttext
	COLD=() RET=() FAILS=()
	declare -ga C_S=() R_S=() F_S=()
	conf "$2" "$(rm_web)" || { row "services" "$name" "not measured: cluster.conf"; return; }
	for r in $(seq 1 "$RUNS"); do
		stop_all
		rm -f "$NN_DIR/fence_agent.log"
		servers || { note "HTTP servers did not start"; continue; }
		SAMPLES=()
		cold "cold.$name.$r" && C_S+=("${SAMPLES[@]}")
		SAMPLES=()
		if ! nn_wait "$LIMIT" settled; then
			note "run $r: not settled (web on node1, fence domain of 3)"
			continue
		fi
		if want reloc; then
			reloc "reloc.$name.$r.2" node2 && reloc "reloc.$name.$r.1" node1
			R_S+=("${SAMPLES[@]}"); SAMPLES=()
			[ "$name" = default ] && agents "$r"
			nn_wait "$LIMIT" settled || { note "run $r: web did not come back"; continue; }
		fi
		want fail || continue
		sleep 0.5
		fail "fail.$name.$r" && F_S+=("${SAMPLES[@]}")
		SAMPLES=()
	done
	stop_all
	ttext=$(grep 'starting the ring' "$NN_DIR/node1/log" | tail -1 |
		sed -n 's/.*: \(token [0-9]* ms\).*/\1/p')
	report "$name" "$ttext"
}

# report NAME TIMERS: the rows of a series
report()
{
	local name=$1 t=$2 x
	if want cold; then
		SAMPLES=("${C_S[@]}")
		summary "cold start to service" "3 nodes, $t, started + answering" \
			1000 "corosync+pacemaker 24.1 s"
		parts "" "clustat says started" "address answers" "${COLD[@]}"
	fi
	if want reloc; then
		x=""
		[ "${#AG_START[@]}" -eq 0 ] ||
			x=$(( $(median "${AG_START[@]}") + $(median "${AG_STOP[@]}") ))
		[ -z "$x" ] || row "relocation (-r -m)" "target: 100 ms + the agents' own" \
			"$x ms (rg_test start + stop, below)"
		SAMPLES=("${RET[@]}")
		summary "relocation (-r -m)" "$t, clusvcadm until it returns" \
			"${x:+$((x + 100))}" "corosync+pacemaker 362 ms"
		SAMPLES=("${R_S[@]}")
		summary "relocation (-r -m)" "$t, until the new node answers" \
			"${x:+$((x + 100))}" "corosync+pacemaker 362 ms"
	fi
	if [ "$name" = default ] && [ "${#AG_START[@]}" -gt 0 ]; then
		SAMPLES=("${AG_START[@]}")
		summary "agents alone (rg_test)" "ip + script, start" "" ""
		SAMPLES=("${AG_STOP[@]}")
		summary "agents alone (rg_test)" "ip + script, stop" "" ""
		SAMPLES=("${NSENTER[@]}")
		summary "(nn_exec of true)" "nsenter overhead in these times" "" ""
	fi
	if want fail; then
		SAMPLES=("${F_S[@]}")
		case $name in
		default) x="2000 corosync+pacemaker 9.08 s" ;;
		*) x="500 corosync+pacemaker 2.93 s" ;;
		esac
		summary "failover (kill -9, fenced)" "$t, started + answering elsewhere" \
			"${x%% *}" "${x#* }"
		parts "fence agent done" "clustat says started" "address answers" \
			"${FAILS[@]}"
	fi
}

# median "MS RUN"...: the median of the first fields
median()
{
	printf '%s\n' "$@" | sort -n -k1,1 | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# parts A B C "START HTTP [FENCE]"...: the medians of a row's parts
parts()
{
	local a=$1 b=$2 c=$3; shift 3
	[ "$#" -gt 0 ] || return 0
	printf '%s\n' "$@" | awk -v a="$a" -v b="$b" -v c="$c" '
	function med(x, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && x[j-1] > x[j]; j--)
			{ t = x[j]; x[j] = x[j-1]; x[j-1] = t }
		return x[int((n + 1) / 2)]
	}
	{ s[NR] = $1; h[NR] = $2; if (NF > 2) { f[++nf] = $3 } }
	END {
		line = "medians:"
		if (a != "" && nf) line = line sprintf(" %s %d ms,", a, med(f, nf))
		line = line sprintf(" %s %d ms, %s %d ms", b, med(s, NR), c, med(h, NR))
		printf "%-24s %-40s %s\n", "", "", line
	}'
}

# --- 4. many services -----------------------------------------------------------------
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
# started_count I: services clustat on node I shows started
started_count() { nn_exec "$1" clustat 2>/dev/null | grep -c ' started'; }

# slate I: whether node I's clean slate (stop all at start) ended
slate()
{
	if grep -q 'clean slate: every service is stopped' "$NN_DIR/node$1/log"; then
		echo "clean slate ended"
	else
		echo "clean slate never ended ($(grep -c '^daemon.*Stopping s' "$NN_DIR/node$1/log") stops begun)"
	fi
}

# many_once N RUN: one cold start of N services; the time into SAMPLES,
# the placement into PER, the largest VmRSS so far into RSS_MAX.
many_once()
{
	local n=$1 t0 i c k
	stop_all
	many_net || return 1
	mark "launching the daemons ($n services)"; t0=$MS
	for i in 1 2 3; do nn_launch "$i"; done
	for i in 1 2 3; do nn_started "$i" || return 1; done
	ms; c=0
	while [ $((MS - t0)) -lt $((LIMIT * 1000)) ]; do
		c=$(started_count 2)
		ms
		[ "$c" -lt "$n" ] || break
		sleep 0.05
	done
	if [ "$c" -lt "$n" ]; then
		row "$n services" "run $2" "$c of $n started after $LIMIT s"
		for i in 1 2 3; do
			row "" "node$i" "$(slate "$i"); $(grep -c '^daemon.*Starting s' "$NN_DIR/node$i/log") starts begun"
		done
		return 1
	fi
	SAMPLES+=("$((MS - t0)) many.$n.$2")
	sleep 2
	PER=$(nn_exec 2 clustat 2>/dev/null | awk '/ started/ { n[$2]++ }
		END { for (k in n) printf "%s %d, ", k, n[k] }')
	for i in 1 2 3; do
		k=$(status_kib "$(nn_pid "$i")" VmRSS)
		[ "${k:-0}" -le "$RSS_MAX" ] || RSS_MAX=$k
	done
}

# many N: RUNS cold starts of N services (an address and a script each)
many()
{
	local n=$1 r target=
	PER= RSS_MAX=0
	stop_all
	if ! conf "" "$(rm_many "$n")"; then
		row "$n services" "3 nodes" "not measured: cluster.conf refused ($n > ST_MAX?)"
		return
	fi
	[ "$n" -lt 1000 ] || target=10000
	for r in $(seq 1 "$RUNS"); do many_once "$n" "$r"; done
	summary "$n services" "3 nodes, cold start until all started" \
		"$target" "${target:+corosync+pacemaker: not measured}"
	row "" "services per node (last run)" "${PER%, }"
	row "" "daemon VmRSS, largest node and run" "$RSS_MAX KiB${target:+ (target < 4096 KiB) [pacemaker stack: about 200 MiB per node with one service]}"
	stop_all
}

# --- main ------------------------------------------------------------------------------
body()
{
	local t0 n stamper
	ms; t0=$MS
	app
	STAMPS=$NN_DIR/stamped
	: >"$STAMPS"
	python3 "$W" stamp "$STAMPS" node1="$NN_DIR/node1/log" \
		node2="$NN_DIR/node2/log" node3="$NN_DIR/node3/log" \
		agent="$NN_DIR/fence_agent.log" &
	stamper=$!
	echo "load average before: $(loadavg)"
	row "measurement" "parameters" "result"
	row "-----------" "----------" "------"
	AG_START=() AG_STOP=() NSENTER=()
	if want cold || want reloc || want fail; then
		series default ""
		series token200 'token="200"'
	fi
	if want many; then
		for n in $MANY; do many "$n"; done
	fi
	kill "$stamper"; wait "$stamper" 2>/dev/null
	ms
	cat <<EOF

Cold start: from launching the three daemons (configured, state cleared)
  until clustat on node2 says web started AND the client got an HTTP
  answer through $VIP.  Failover: from kill -9 of node1's daemon
  (node1 itself stays up, its address and HTTP server too, until the
  cluster fences it: the test agent cuts its link and kills everything
  in it) until clustat on node3 says web started elsewhere AND the client
  got the new node's answer.  Relocation: clusvcadm -r web -m NODE run on
  node3 (includes nsenter, see its row), until it returns and until the
  client got NODE's answer.  The client opens a connection every 10 ms;
  clustat is polled every ~10 ms.  Each run starts the cluster cold.
load average after: $(loadavg)
services: $(( (MS - t0) / 1000 )) s on $(nproc) CPU(s), $(uname -r)
EOF
}

nn_require services 0
nn_need python3 python3 && nn_need curl curl ||
	{ echo "services: python3 and curl needed" >&2; exit 1; }
nn_setup 4 || { echo "services: namespace setup failed" >&2; exit 1; }
nn_run body
