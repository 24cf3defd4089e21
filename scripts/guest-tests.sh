#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root: every selftest program in $2, each for at
# most $4 seconds (1800; one that runs out is named in $1/NAME.timeout),
# then a forced kmemleak scan; results, kernel log and kmemleak report go
# to $1. $3, if given and not empty, is the directory
# of the sample driver modules (RESCTRL_MODULES).
set -u
out=$1 bin=$2 limit=${4:-1800}
[ -n "${3:-}" ] && export RESCTRL_MODULES=$3

# The host's run_guest waits for this to know the boot is over.
: >"$out/booted"
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug

for t in "$bin"/*; do
	name=$(basename "$t")
	echo "### $name"
	t0=$(date +%s)
	timeout -k 30 "$limit" "$t" >"$out/$name.tap" 2>&1 &
	pid=$!
	# timeout(1) cannot end a program stuck in the kernel (state D, a
	# wedge): stop waiting for it a minute after its KILL, and run nothing
	# more, since what wedged it would wedge the rest.
	waited=0
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((limit + 60)) ]; do
		sleep 1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "wedged: unkillable $((limit + 60)) s after it started" >"$out/$name.timeout"
		echo "### $name: WEDGED, unkillable after $limit s; no further program runs"
		cat "$out/$name.tap"
		break
	fi
	wait "$pid"
	rc=$?
	echo "$(($(date +%s) - t0)) s" >"$out/$name.time"
	echo "exit $rc" >"$out/$name.exit"
	# timeout(1) exits 124 (137 after the KILL) when the limit ran out.
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "timed out after $limit s" >"$out/$name.timeout"
		echo "### $name: TIMED OUT after $limit s"
	fi
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
