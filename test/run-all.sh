#!/bin/bash
# test/run-all.sh - the whole suite, as `make test` runs it: every stage
# runs even when an earlier one fails, its output shown as it comes; the
# last line is the total.
# Each stage ends its output with a line "... N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2

BUILD=${BUILD:-build} BIN=${BIN:-hacluster}
export BUILD BIN
STAGES=(
	"layers|sh test/layers.sh"
	"unit|$BUILD/unit"
	"unit-asan|$BUILD/unit-asan"
	"blackbox|bash test/blackbox.sh $BIN"
	"man|bash test/man.test.sh $BIN"
	"completion|bash test/completion.test.sh $BIN"
	"json|bash test/json.test.sh $BIN"
	"xml-differential|bash test/xmldiff.sh $BUILD"
	"crypto-oracle|bash test/crypto-oracle.sh $BUILD"
	"sim|$BUILD/tool_sim"
	"sim-replay|REPLAY=1 SEEDS=100 $BUILD/tool_sim"
	"daemon-smoke|bash test/daemon-smoke.sh $BIN"
	"netns-harness|bash test/netns/harness.test.sh $BIN"
	"netns-ring|bash test/netns/ring.test.sh $BIN"
	"netns-quorum|bash test/netns/quorum.test.sh $BIN"
	"netns-config|bash test/netns/config.test.sh $BIN"
	"netns-qdisk|bash test/netns/qdisk.test.sh $BIN"
	"netns-identity|bash test/netns/identity.test.sh $BIN"
	"netns-fence|bash test/netns/fence.test.sh $BIN"
	"netns-services|bash test/netns/services.test.sh $BIN"
	"netns-clustat|bash test/netns/clustat.test.sh $BIN"
	"netns-units|bash test/netns/units.test.sh $BIN"
	"netns-web|bash test/netns/web.test.sh $BIN"
	"netns-ip|bash test/netns/ip_agent.test.sh $BIN"
	"netns-failover|bash test/netns/failover.test.sh $BIN"
	"netns-chaos|bash test/netns/chaos.test.sh $BIN"
	"demo|bash test/demo.sh $BIN"
	"fuzz|make -s BUILD=$BUILD BIN=$BIN fuzz-short"
)

total_p=0 total_f=0 broken=()
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT
for s in "${STAGES[@]}"; do
	name=${s%%|*} cmd=${s#*|}
	echo "=== $name: $cmd"
	# streamed as it comes, and kept for the tally
	eval "$cmd" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	out=$(cat "$log")
	tally=$(echo "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(echo "$tally" | sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\1/p')
	f=$(echo "$tally" | sed -n 's/.*\b\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed.*/\2/p')
	if [ "$name" = fuzz ]; then
		# one pass per fuzzer that ran clean, one failure otherwise
		p=$(echo "$out" | grep -c 'DONE') f=0
	fi
	p=${p:-0} f=${f:-0}
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || f=1
	[ "$f" -eq 0 ] || broken+=("$name")
	total_p=$((total_p + p)) total_f=$((total_f + f))
done
echo "==="
[ ${#broken[@]} -eq 0 ] || echo "failed stages: ${broken[*]}"
echo "$total_p passed, $total_f failed"
[ "$total_f" -eq 0 ]
