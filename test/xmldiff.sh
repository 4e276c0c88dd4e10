#!/bin/bash
# test/xmldiff.sh - differential test of the XML parser against xmllint.
# usage: bash test/xmldiff.sh BUILD   (from the repo root; needs
# BUILD/tool_xmlcanon, xmllint and python3).  The work is done by
# test/xmldiff.py; the last line is "xml-differential: N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
build=${1:-build}
for tool in xmllint python3; do
	command -v $tool >/dev/null 2>&1 && continue
	echo "xml-differential: $tool not found"
	echo "xml-differential: 0 passed, 1 failed"
	exit 1
done
exec python3 test/xmldiff.py "$build"
