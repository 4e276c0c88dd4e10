#!/bin/bash
# test/man.test.sh - the man pages in man/ against the binary.
#
#   bash test/man.test.sh ./hacluster
#
# For every applet page, the options its OPTIONS section documents (the
# tag line of each .TP there) must be the options the applet's own help
# prints (tokens like -x or --long that start a help line after blanks;
# "-c, --configfile" counts as both).  hacluster.8 documents the binary
# itself and the verbs that have no page of their own, so its help is
# that of `hacluster --help` together with `hacluster help` of install,
# daemon, keygen, fence_manual and agent.  ccs_tool.8 must also name every
# command of `ccs_tool --help`, and hacluster.8 every applet of
# `hacluster --list`.  Every page must have its sections and render
# without a warning (man --warnings, else groff -ww; when neither is
# installed, Debian's man-db and groff-base are installed with apt-get,
# and if that fails the check is skipped, saying so).
#
# The pages are rendered in the C locale, so that a locale this machine
# lacks cannot pass for a warning of a page.
#
# Prints PASS:/FAIL:/SKIP: lines and, last, "man: N passed, M failed";
# exit status 0 only when nothing failed.  MAN_DIR overrides the pages'
# directory (default: man/ beside test/).

BIN=${1:-./hacluster}
HERE=$(cd "$(dirname "$0")" && pwd)
MAN_DIR=${MAN_DIR:-$HERE/../man}
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); echo "PASS: $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL: $*"; }
skip() { echo "SKIP: $*"; }

finish()
{
	echo "man: $PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
	exit
}

# The options a help text prints: a line that starts, after blanks, with
# -x or --long; "-c, --configfile FILE" gives both -c and --configfile.
help_options()
{
	awk '/^[ \t]+-/ {
		for (i = 1; i <= NF; i++) {
			t = $i; more = sub(/,$/, "", t)
			if (t !~ /^--?[A-Za-z0-9][A-Za-z0-9_-]*$/)
				break
			print t
			if (!more)
				break
		}
	}' | sort -u
}

# The text of the .TP tag lines of section SECTION of a page, with the
# font macros, font escapes and quotes taken away.
tp_tags()
{
	local page=$1 section=$2

	awk -v want="$section" '
	/^\.SH/ {
		s = $0; sub(/^\.SH[ \t]*/, "", s); gsub(/"/, "", s)
		in_sec = (s == want); tag = 0; next
	}
	!in_sec { next }
	/^\.TP/ { tag = 1; next }
	tag && /^\.\\"/ { next }
	tag {
		tag = 0; t = $0
		sub(/^\.[A-Za-z]+[ \t]*/, "", t)
		gsub(/\\-/, "-", t)
		gsub(/\\f(\(..|\[[^]]*\]|.)/, "", t)
		gsub(/\\\(dq|\\&|"/, "", t)
		print t
	}' "$page"
}

# The options among the tags: every word that looks like -x or --long.
tag_options()
{
	tr ' \t,|[]' '\n\n\n\n\n\n' |
		grep -E '^--?[A-Za-z0-9][A-Za-z0-9_-]*$' | sort -u
}

# compare NAME HELP-OPTIONS PAGE-OPTIONS
compare()
{
	local name=$1 help=$2 page=$3 missing extra

	missing=$(comm -23 <(printf '%s\n' "$help" | sed '/^$/d') \
		<(printf '%s\n' "$page" | sed '/^$/d') | tr '\n' ' ')
	extra=$(comm -13 <(printf '%s\n' "$help" | sed '/^$/d') \
		<(printf '%s\n' "$page" | sed '/^$/d') | tr '\n' ' ')
	if [ -z "$missing$extra" ]; then
		pass "$name: the OPTIONS section has the help's options" \
			"($(printf '%s\n' "$help" | sed '/^$/d' | wc -l))"
		return
	fi
	fail "$name: OPTIONS and the help differ:" \
		"${missing:+in the help, not in the page: ${missing% };}" \
		"${extra:+in the page, not in the help: ${extra% }}"
}

# The help texts of the commands given ("ARGS" each, run by the binary),
# joined; status 1, naming the command on stderr, when one prints
# nothing or exits non-zero.
help_of()
{
	local out all= cmd
	for cmd in "$@"; do
		if ! out=$("$BIN" $cmd 2>&1) || [ -z "$out" ]; then
			echo "'$(basename "$BIN") $cmd' printed no help" >&2
			return 1
		fi
		all+=$out$'\n'
	done
	printf '%s' "$all"
}

[ -x "$BIN" ] || { fail "no executable $BIN"; finish; }
[ -d "$MAN_DIR" ] || { fail "no directory $MAN_DIR"; finish; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

# --- options: page against help ------------------------------------------
declare -A HELP=(
	[hacluster]="--help|help install|help daemon|help keygen|help fence_manual|help agent|help web"
	[ccs_tool]="ccs_tool --help"
	[ccs_config_validate]="ccs_config_validate --help"
	[cman_tool]="cman_tool --help"
	[clustat]="clustat --help"
	[clusvcadm]="clusvcadm --help"
	[fence_node]="fence_node --help"
	[fence_ack_manual]="fence_ack_manual --help"
	[rg_test]="rg_test --help"
)

for name in hacluster ccs_tool ccs_config_validate cman_tool clustat \
	clusvcadm fence_node fence_ack_manual rg_test; do
	page=$MAN_DIR/$name.8
	if [ ! -f "$page" ]; then
		fail "$name.8: missing"
		continue
	fi
	IFS='|' read -r -a cmds <<< "${HELP[$name]}"
	if ! text=$(help_of "${cmds[@]}" 2>&1); then
		fail "$name.8: $text"
		continue
	fi
	compare "$name.8" "$(printf '%s\n' "$text" | help_options)" \
		"$(tp_tags "$page" OPTIONS | tag_options)"
done

# --- ccs_tool's commands and hacluster's applets ---------------------------
if [ -f "$MAN_DIR/ccs_tool.8" ]; then
	want=$("$BIN" ccs_tool --help | awk '/^Commands:/ { on = 1; next }
		on && /^  [a-z]/ { print $1 } on && /^$/ { on = 0 }' | sort -u)
	have=$(tp_tags "$MAN_DIR/ccs_tool.8" COMMANDS | awk '{ print $1 }' |
		sort -u)
	missing=$(comm -23 <(echo "$want") <(echo "$have") | tr '\n' ' ')
	if [ -n "$want" ] && [ -z "$missing" ]; then
		pass "ccs_tool.8: COMMANDS has every command of the help" \
			"($(echo "$want" | wc -l))"
	else
		fail "ccs_tool.8: commands of the help not in COMMANDS:" \
			"${missing:-(none found in the help)}"
	fi
fi
if [ -f "$MAN_DIR/hacluster.8" ]; then
	missing=
	for a in $("$BIN" --list | awk '{ print $1 }'); do
		grep -Eq "^\.(B|BR) $a( |$)" "$MAN_DIR/hacluster.8" ||
			missing+="$a "
	done
	if [ -z "$missing" ]; then
		pass "hacluster.8: names every applet of hacluster --list"
	else
		fail "hacluster.8: applets of hacluster --list not described:" \
			"$missing"
	fi
fi

# --- sections ---------------------------------------------------------------
PAGES=("$MAN_DIR"/*.[1-8])
for page in "${PAGES[@]}"; do
	[ -f "$page" ] || continue
	name=$(basename "$page")
	case $name in
	*.5) need=("NAME" "SYNOPSIS" "DESCRIPTION" "FILES" "SEE ALSO") ;;
	*) need=("NAME" "SYNOPSIS" "DESCRIPTION" "OPTIONS" "EXIT STATUS"
		 "SEE ALSO") ;;
	esac
	have=$(sed -n 's/^\.SH[ \t]*//p' "$page" | tr -d '"')
	missing=
	for s in "${need[@]}"; do
		grep -qx "$s" <<< "$have" || missing+="$s, "
	done
	if [ -z "$missing" ]; then
		pass "$name: has its sections"
	else
		fail "$name: sections missing: ${missing%, }"
	fi
done

# --- rendering --------------------------------------------------------------
have_renderer()
{
	command -v man >/dev/null 2>&1 || command -v groff >/dev/null 2>&1
}

if ! have_renderer; then
	echo "man and groff are not installed: installing Debian's man-db" \
		"and groff-base with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	{ apt-get install -y -q man-db groff-base ||
	  { apt-get update -q && apt-get install -y -q man-db groff-base; }
	} >/dev/null 2>&1
fi

if ! have_renderer; then
	skip "rendering: neither man nor groff is installed, and apt-get" \
		"could not install man-db and groff-base"
else
	for page in "${PAGES[@]}"; do
		[ -f "$page" ] || continue
		name=$(basename "$page")
		if command -v man >/dev/null 2>&1; then
			how="man --warnings -E UTF-8 -l -Tutf8"
			warnings=$(LC_ALL=C man --warnings -E UTF-8 -l \
				-Tutf8 "$page" 2>&1 >/dev/null)
			rc=$?
		else
			how="groff -man -ww -z"
			warnings=$(LC_ALL=C groff -man -ww -z "$page" 2>&1)
			rc=$?
		fi
		if [ "$rc" -eq 0 ] && [ -z "$warnings" ]; then
			pass "$name: renders without warnings ($how)"
		else
			fail "$name: $how: exit $rc:" \
				"$(printf '%s\n' "$warnings" | head -5)"
		fi
	done
fi

finish
