#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root: every selftest program in $2, each for at
# most $4 seconds (1800), then a forced kmemleak scan; results, kernel log
# and kmemleak report go to $1. $3, if given and not empty, is the directory
# of the sample driver modules (RESCTRL_MODULES).
set -u
out=$1 bin=$2 limit=${4:-1800}
[ -n "${3:-}" ] && export RESCTRL_MODULES=$3

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

for t in "$bin"/*; do
	name=$(basename "$t")
	echo "### $name"
	timeout "$limit" "$t" >"$out/$name.tap" 2>&1
	echo "exit $?" >"$out/$name.exit"
	cat "$out/$name.tap"
done

# kmemleak reports objects older than 5 s that no scan found referenced.
if [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >"$out/kmemleak.txt"
else
	echo "kmemleak is not available" >"$out/kmemleak.missing"
fi
dmesg >"$out/dmesg.txt"
