#!/bin/bash
# test/netns/web.test.sh - hacluster web against real daemons (lib.sh):
# `web passwd` writes a PBKDF2 line (checked against Python's hashlib);
# the page and /api/status (clustat --json: three members, web's owner);
# a listener not chosen (the default one) is read-only (403); an action
# without a user, with a wrong password, with a bad action or service
# name, on an unknown path or method, or too large, is refused (401, 400,
# 404, 405, 413) and web stays where it was; with the password web moves
# to node2; headless chromium renders the page (the three nodes and web's
# new owner in its DOM) and takes a screenshot (NN_SHOT=FILE keeps it).
#
#   bash test/netns/web.test.sh [HACLUSTER]      (root)
# shellcheck disable=SC2016	# eval '...' checks expand when they run
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
nn_binary "$0" "${1:-}"
LABEL=netns-web
NCHECKS=16
LIMIT=${NN_LIMIT:-20}	# nn_expect's bound (lib.sh)
PORT=8085

nn_require "$LABEL" "$NCHECKS"

RM='<rm><failoverdomains><failoverdomain name="d" ordered="1"><failoverdomainnode name="node1" priority="1"/><failoverdomainnode name="node2" priority="2"/><failoverdomainnode name="node3" priority="3"/></failoverdomain></failoverdomains><service name="web" domain="d" recovery="relocate"><script name="w" file="WEB"/></service></rm>'

conf()
{
	printf '#!/bin/sh\nexit 0\n' >"$NN_DIR/web.sh"
	chmod +x "$NN_DIR/web.sh"
	nn_conf multicast 3 && nn_rm "${RM/WEB/$NN_DIR/web.sh}"
}

URL=
# req ARGS...: curl in node1 against the chosen listener: the body into
# NN_DIR/body, the status code printed
req() { nn_exec 1 curl -s -m 10 -o "$NN_DIR/body" -w '%{http_code}' "$@"; }
body_has() { grep -q "$1" "$NN_DIR/body"; }
owner() { nn_exec 1 clustat 2>/dev/null | awk '$1 == "service:web" { print $2, $NF }'; }
act() { req -X POST -d "$1" "${@:2}" "$URL/api/action"; }

body()
{
	local pw=$NN_DIR/web.passwd code shot=${NN_SHOT:-$NN_DIR/web.png}
	conf || { nn_fail "cluster.conf"; nn_tally "$LABEL"; return 1; }
	nn_need curl curl || nn_log "curl not found: the checks below fail"
	URL=http://$(nn_addr 1):$PORT
	nn_check "web passwd: a pbkdf2-sha256 line, mode 0600" \
		eval 'echo "s3cret pw" | "$HACLUSTER" web passwd -p "$pw" admin >/dev/null &&
		      [ "$(stat -c %a "$pw")" = 600 ] &&
		      grep -Eq "^admin:pbkdf2-sha256\\\$100000\\\$[0-9a-f]{32}\\\$[0-9a-f]{64}\$" "$pw"'
	nn_check "the stored hash is PBKDF2-HMAC-SHA256 (Python's hashlib agrees)" \
		python3 -c '
import hashlib, sys
_, it, salt, h = open(sys.argv[1]).read().strip().split(":")[1].split("$")
sys.exit(hashlib.pbkdf2_hmac("sha256", b"s3cret pw", bytes.fromhex(salt), int(it)).hex() != h)' "$pw"
	nn_start 1; nn_start 2; nn_start 3
	nn_expect "web runs on node1" eval '[ "$(owner)" = "node1 started" ]'
	nn_bg 1 "$HACLUSTER" web -l "$(nn_addr 1):$PORT" -p "$pw"
	nn_bg 1 "$HACLUSTER" web -p "$pw"	# 127.0.0.1:8084: read-only
	nn_expect "the page: 200, text/html" \
		eval '[ "$(req "$URL/")" = 200 ] && body_has "<title>hacluster</title>"'
	nn_check "/api/status: schema 1, three members online, web on node1" \
		eval '[ "$(req "$URL/api/status")" = 200 ] && python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
assert d[\"schema\"] == 1 and len(d[\"members\"]) == 3
assert all(m[\"status\"] == \"online\" for m in d[\"members\"])
assert [s[\"owner\"] for s in d[\"services\"] if s[\"name\"] == \"service:web\"] == [\"node1\"]
" "$NN_DIR/body"'
	nn_check "a listener not chosen is read-only: 403" \
		eval '[ "$(nn_exec 1 curl -s -m 10 -o "$NN_DIR/body" -w "%{http_code}" -u admin:"s3cret pw" -X POST -d "action=disable&service=web" http://127.0.0.1:8084/api/action)" = 403 ] &&
		      body_has "read-only"'
	nn_check "no user: 401 with WWW-Authenticate" \
		eval 'nn_exec 1 curl -s -m 10 -D - -o /dev/null -X POST -d "action=disable&service=web" "$URL/api/action" |
		      grep -qi "^WWW-Authenticate: Basic"'
	nn_check "a wrong password: 401" \
		eval '[ "$(act "action=disable&service=web" -u admin:wrong)" = 401 ]'
	nn_check "a bad action: 400" \
		eval '[ "$(act "action=explode&service=web" -u admin:"s3cret pw")" = 400 ]'
	nn_check "a bad service name (shell characters): 400" \
		eval '[ "$(act "action=disable&service=web;reboot" -u admin:"s3cret pw")" = 400 ]'
	nn_check "an unknown page 404, DELETE 405, a huge body 413" \
		eval '[ "$(req "$URL/etc/passwd")" = 404 ] &&
		      [ "$(req -X DELETE "$URL/")" = 405 ] &&
		      [ "$(req -X POST -H "Content-Length: 100000" -d x "$URL/api/action")" = 413 ]'
	nn_check "after the refusals web still runs on node1" \
		eval '[ "$(owner)" = "node1 started" ]'
	nn_check "relocate web to node2 with the password: 200, rc 0" \
		eval '[ "$(act "action=relocate&service=web&node=node2" -u admin:"s3cret pw")" = 200 ] &&
		      body_has "\"rc\":0"' || cat "$NN_DIR/body"
	nn_expect "web runs on node2" eval '[ "$(owner)" = "node2 started" ]'
	if ! nn_need chromium chromium; then
		nn_skip "chromium renders the page: chromium could not be installed"
		nn_skip "chromium's screenshot: chromium could not be installed"
		nn_tally "$LABEL"
		return
	fi
	nn_exec 1 chromium --headless --no-sandbox --disable-gpu \
		--virtual-time-budget=8000 --dump-dom "$URL/" \
		>"$NN_DIR/dom.html" 2>"$NN_DIR/chromium.log"
	nn_check "chromium renders the page: node1, node2, node3 and web's owner node2" \
		eval 'grep -q "<td>node1</td>" "$NN_DIR/dom.html" &&
		      grep -q "<td>node2</td>" "$NN_DIR/dom.html" &&
		      grep -q "<td>node3</td>" "$NN_DIR/dom.html" &&
		      grep -q "<td>service:web</td><td>node2</td>" "$NN_DIR/dom.html"' ||
		tail -5 "$NN_DIR/chromium.log"
	nn_exec 1 chromium --headless --no-sandbox --disable-gpu \
		--virtual-time-budget=8000 --window-size=1000,620 \
		--screenshot="$shot" "$URL/" >>"$NN_DIR/chromium.log" 2>&1
	nn_check "chromium's screenshot: a PNG" \
		eval '[ "$(head -c 8 "$shot" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a ] &&
		      [ "$(stat -c %s "$shot")" -gt 5000 ]'
	nn_tally "$LABEL"
}

nn_setup 3 || { nn_fail "namespace setup"; nn_tally "$LABEL"; exit 1; }
nn_run body
