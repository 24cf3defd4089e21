#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root, booted with resctrl_rs.emulate_rmids=300:
# monitoring costs. Prints figures, asserts nothing.
#   $1: the mon_read_bench binary, $2: the perf_read_bench binary.
set -eu
R=/sys/fs/resctrl
D=/sys/kernel/debug/resctrl_rs/domains
bin=$1 perfbin=$2
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
mountpoint -q $R && umount $R
mount -t resctrl resctrl $R
# Groups: up to 7 CTRL_MON groups, the rest MON groups below them.
made=1
grow() {
	while [ "$made" -lt "$1" ]; do
		c=$(( (made - 1) % 7 ))
		if [ ! -d $R/c$c ]; then mkdir $R/c$c; else mkdir $R/c$c/mon_groups/m$made; fi
		made=$((made + 1))
	done
}
echo "overflow worker pass (all groups' bandwidth counters of one domain), microseconds"
for n in 16 64 256; do
	grow "$n"
	sum0=0 sum1=0
	for i in 1 2 3 4 5; do
		sleep 1.1
		p0=$(awk '/^domain 0 / { for (i = 1; i < NF; i++) if ($i == "overflow_pass_ns") print $(i + 1) }' $D)
		p1=$(awk '/^domain 1 / { for (i = 1; i < NF; i++) if ($i == "overflow_pass_ns") print $(i + 1) }' $D)
		sum0=$((sum0 + p0)) sum1=$((sum1 + p1))
	done
	echo "  $n groups: domain 0 $((sum0 / 5000)), domain 1 $((sum1 / 5000)) (mean of 5 passes)"
done
echo "one pread() of a mon_data file of domain 0, microseconds (2000 reads)"
# A MON group's file reads one RMID; its CTRL_MON group's sums its own and
# its MON groups' (37 RMIDs with 256 groups).
for g in c1/mon_groups/m9 c1; do
	for f in llc_occupancy mbm_total_bytes; do
		in=$("$bin" 1 $R/$g/mon_data/mon_L3_00/$f 2000)
		out=$("$bin" 3 $R/$g/mon_data/mon_L3_00/$f 2000)
		echo "  $g $f: from CPU 1 (in the domain) $in, from CPU 3 (outside) $out"
	done
done
for d in $R/c*/; do rmdir "$d"; done
echo "one read() of a resctrl perf event against one pread() of its mon_data file and"
echo "one read() of cpu-clock, reader and events on the CPU, 20000 reads each (20 rounds of 1000)"
mkdir $R/p $R/p/mon_groups/m
for c in 1 0; do echo "  CPU $c, domain 0: $("$perfbin" $c $R/p 0 20000)"; done
echo "  CPU 3, domain 1: $("$perfbin" 3 $R/p 1 20000)"
rmdir $R/p
umount $R
