#!/bin/bash
# test/json.test.sh - every --json output parses, carries "schema": 1 and
# fits its definition in doc/hacluster.schema.json (the one place the
# outputs are described): ccs_tool ls* on sample files here, and, from a
# real single-node daemon (test/daemon-smoke.sh, root), clustat --json,
# cman_tool status --json, nodes --json, nodes -f --json.  Validation
# uses python3-jsonschema, installed when missing (and said so).
#
#   bash test/json.test.sh [HACLUSTER]
set -u
cd "$(dirname "$0")/.." || exit 2
bin=$(readlink -f "${1:-./hacluster}")
SCHEMA=doc/hacluster.schema.json
T=$(mktemp -d /tmp/hacluster-json.XXXXXX)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "PASS: $*"; }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	echo "json: python3-jsonschema missing: apt-get install -y python3-jsonschema"
	apt-get install -y -q python3-jsonschema >/dev/null 2>&1 ||
		{ apt-get update -q >/dev/null 2>&1 &&
		  apt-get install -y -q python3-jsonschema >/dev/null 2>&1; }
fi

# fits DEF FILE: FILE is one JSON object, schema 1, valid as $defs/DEF
fits()
{
	python3 - "$SCHEMA" "$1" "$2" <<'PY'
import json, sys
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[3]))
if not isinstance(doc, dict) or doc.get("schema") != 1:
    sys.exit("not an object with \"schema\": 1")
try:
    import jsonschema
except ImportError:
    print("  (python3-jsonschema unavailable: parsed and versioned only)")
    sys.exit(0)
sub = dict(schema, **{"$ref": "#/$defs/" + sys.argv[2]})
sub.pop("oneOf")
errors = list(jsonschema.Draft202012Validator(sub).iter_errors(doc))
for e in errors[:5]:
    print("  %s: %s" % ("/".join(map(str, e.absolute_path)), e.message))
sys.exit(1 if errors else 0)
PY
}

check() { if fits "$1" "$2"; then ok "$3"; else bad "$3"; fi; }

# ccs_tool's lists, on files of this tree
for f in test/conf/rhel6-apps.conf test/conf/three-node.conf test/conf/qdisk.conf; do
	for ls in lsnode lsfence lsservice lsresource lsdomain; do
		"$bin" ccs_tool -c "$f" "$ls" --json >"$T/out.json" 2>&1
		check ccs_tool_list "$T/out.json" "ccs_tool $ls --json on ${f##*/}"
	done
done
"$bin" ccs_tool -c test/conf/rhel6-apps.conf lsservice --json >"$T/svc.json"
check ccs_tool_list "$T/svc.json" "lsservice: services with their resource trees" &&
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["services"]
www = [s for s in d if s["attributes"].get("name") == "www"][0]
assert www["element"] == "service" and www["attributes"]["recovery"] == "relocate"
assert www["children"], "no resources"
' "$T/svc.json" && ok "lsservice --json: www is a service, recovery relocate, with resources" ||
	bad "lsservice --json: www is a service, recovery relocate, with resources"

# the checker refuses what does not fit (else it proves nothing)
sed 's/"schema":1/"schema":2/' "$T/svc.json" >"$T/v2.json"
if fits ccs_tool_list "$T/v2.json" >/dev/null 2>&1; then
	bad "a document with schema 2 is refused"
else
	ok "a document with schema 2 is refused"
fi
echo '{"schema":1,"nodes":[{"id":"one"}]}' >"$T/badnodes.json"
if python3 -c 'import jsonschema' 2>/dev/null; then
	if fits cman_tool_nodes "$T/badnodes.json" >/dev/null 2>&1; then
		bad "a node without its fields is refused"
	else
		ok "a node without its fields is refused"
	fi
fi

# the daemon's, from a real single-node daemon
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	mkdir -p "$T/daemon"
	JSON_OUT=$T/daemon bash test/daemon-smoke.sh "$bin" >"$T/smoke.log" 2>&1
	for d in clustat cman_tool_status cman_tool_nodes cman_tool_nodes_f; do
		def=$d
		[ "$d" = cman_tool_nodes_f ] && def=cman_tool_nodes
		if [ -s "$T/daemon/$d.json" ]; then
			check "$def" "$T/daemon/$d.json" "the daemon's $d --json"
		else
			bad "the daemon's $d --json: no output (see test/daemon-smoke.sh)"
			tail -5 "$T/smoke.log"
		fi
	done
	python3 -c '
import json, sys
n = json.load(open(sys.argv[1]))["nodes"][0]
assert "fencing" in n and n["fencing"]["pending"] is False
' "$T/daemon/cman_tool_nodes_f.json" 2>/dev/null &&
		ok "nodes -f --json: each node has its fencing state" ||
		bad "nodes -f --json: each node has its fencing state"
else
	echo "SKIP: the daemon's outputs need root and unshare"
fi
echo "json: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
