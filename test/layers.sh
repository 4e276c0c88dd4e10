#!/bin/sh
# test/layers.sh - folders form a stack (DESIGN.md): a file may include
# headers of its own folder and of folders below it, never above.
# Prints one line per violation and a tally; exits 1 on any.
cd "$(dirname "$0")/.." || exit 2
rank() { case $1 in net) echo 1;; xml) echo 2;; quorum) echo 3;;
	agents) echo 4;; rm) echo 5;; *) echo 9;; esac; }
bad=0 files=0
for f in net/*.[ch] xml/*.[ch] quorum/*.[ch] agents/*.[ch] rm/*.[ch]; do
	[ -f "$f" ] || continue
	files=$((files + 1))
	mine=$(rank "${f%%/*}")
	for inc in $(sed -n 's/^#include "\(.*\)".*/\1/p' "$f"); do
		case $inc in
		../*/*) dir=${inc#../}; dir=${dir%%/*};;
		*/*) echo "$f: includes $inc: use ../DIR/FILE or FILE"; bad=$((bad + 1)); continue;;
		*) continue;;
		esac
		if [ "$(rank "$dir")" -gt "$mine" ]; then
			echo "$f: includes $inc from a higher layer"
			bad=$((bad + 1))
		fi
	done
done
echo "layers: $((files - bad)) passed, $bad failed"
[ $bad -eq 0 ]
