#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root: mount resctrl, make a group, move a task and a
# CPU into it, give it part of the L3 and the memory bandwidth, monitor it,
# count it with perf and from BPF (the BPF sample is in $2, if given), take
# CPUs offline, load and unload drivers (the sample modules are in
# $1/samples, the telemetry driver in $1/drivers/aet, if $1 is given), and
# show what the (emulated) hardware holds.
set -eu
show() { echo "# $*"; "$@"; }
R=/sys/fs/resctrl
E=/sys/kernel/debug/resctrl_rs_emul
echo "== L3 domains (cacheinfo)"
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	printf '%s: L3 id %s, shared with CPUs %s\n' "${c##*/}" \
		"$(cat "$c/cache/index3/id" 2>/dev/null || echo ?)" \
		"$(cat "$c/cache/index3/shared_cpu_list" 2>/dev/null || echo ?)"
done
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
echo "== resctrl"
show mount -t resctrl resctrl $R
show ls $R $R/info $R/info/L3 $R/info/MB $R/info/L3_MON
for f in $R/info/*/*; do printf '%s: %s\n' "${f#$R/}" "$(tr '\n' ' ' <"$f")"; done
show mkdir $R/g1
show sh -c "echo 'L3:0=3f;1=3f' > $R/g1/schemata"
show sh -c "echo 'MB:0=50;1=50' > $R/g1/schemata"
show cat $R/g1/schemata $R/g1/size
show cat $R/info/L3/bit_usage
sleep 30 &
show sh -c "echo $! > $R/g1/tasks"
show cat $R/g1/tasks
show sh -c "echo 3 > $R/g1/cpus_list"
show cat $R/cpus_list $R/g1/cpus_list
echo "== monitoring: a busy loop in group g1 for 2 s, its mon_data before and after"
mon() { for f in $R/g1/mon_data/mon_L3_0*/*; do printf '%s: %s\n' "${f#$R/}" "$(cat "$f")"; done; }
mon
taskset -c 1 sh -c 'echo $$ > '"$R"'/g1/tasks; end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do :; done'
mon
show cat /sys/kernel/debug/resctrl_rs/domains
echo "== perf: the PMU resctrl counts g1's bandwidth in both domains (fd 3 is g1's directory)"
show perf list pmu 2>/dev/null | grep resctrl/
busy='echo $$ > '"$R"'/g1/tasks; taskset -p -c 1 $$ >/dev/null; end=$(($(date +%s) + 2)); while [ $(date +%s) -lt $end ]; do :; done'
echo "# perf stat -a -A -e resctrl/mbm_total_bytes,fd=3/ -e resctrl/llc_occupancy,fd=3/ -- sh -c '<2 s busy on CPU 1 in g1>' 3<$R/g1"
perf stat -a -A -e resctrl/mbm_total_bytes,fd=3/ -e resctrl/llc_occupancy,fd=3/ -- sh -c "$busy" 3<$R/g1
echo "# the same, printed every 500 ms"
perf stat -I 500 -a -e resctrl/mbm_total_bytes,fd=3/ -- sh -c "$busy" 3<$R/g1
mon
if [ -n "${2:-}" ]; then
	echo "== BPF: a program on a 1 ms timer reads g1's events on every CPU (samples/bpf/), while CPU 1 is busy in g1"
	sh -c "$busy" &
	show "$2/resctrl_bw" $R/g1 2 || echo "resctrl_bw failed"
	wait $!
fi
echo "== CPU hotplug: CPUs 2 and 3 offline take L3 domain 1 away, and back"
echo 0 >/sys/devices/system/cpu/cpu3/online
echo 0 >/sys/devices/system/cpu/cpu2/online
show cat $R/g1/schemata $R/cpus_list
show ls $R/g1/mon_data
echo 1 >/sys/devices/system/cpu/cpu2/online
echo 1 >/sys/devices/system/cpu/cpu3/online
show cat $R/g1/schemata $R/cpus_list
show ls $R/g1/mon_data
show cat /sys/kernel/debug/resctrl_rs/domains
if [ -n "${1:-}" ]; then
	echo "== a loadable driver, the Rust sample: resource PKG, its event in every group, a control file, perf"
	show insmod "$1/samples/resctrl_sample_rust.ko"
	show ls $R/info/PKG $R/g1/mon_data
	show sh -c "echo '0 4096' > $R/info/PKG/pkg_values"
	show cat $R/mon_data/mon_PKG_00/pkg_bytes
	echo "# perf stat -e resctrl/fd=3/ -C 0 -- sh -c \"echo '0 10000' > $R/info/PKG/pkg_values\" 3<$R/mon_data/mon_PKG_00/pkg_bytes"
	perf stat -e resctrl/fd=3/ -C 0 -- sh -c "echo '0 10000' > $R/info/PKG/pkg_values" 3<$R/mon_data/mon_PKG_00/pkg_bytes
	show sh -c "echo 70 > $R/g1/pkg_weight"
	show cat $R/g1/pkg_weight
	echo 0 >$R/g1/pkg_weight || true
	show cat $R/info/last_cmd_status
	show rmmod resctrl_sample_rust
	show ls $R/g1/mon_data
	echo "== package telemetry, PERF_PKG (upstream 7.0), as a loadable Rust driver over the emulated aggregators"
	show insmod "$1/drivers/aet/resctrl_aet.ko"
	show cat $R/info/PERF_PKG_MON/num_rmids $R/info/PERF_PKG_MON/mon_features
	show ls $R/g1/mon_data $R/g1/mon_data/mon_PERF_PKG_00
	echo "# (g1 busy for 2 s on CPU 1, package 0, counted by perf on CPU 0)"
	echo "# perf stat -e resctrl/fd=3/ -C 0 -- sh -c '<2 s busy on CPU 1 in g1>' 3<$R/g1/mon_data/mon_PERF_PKG_00/uops_retired"
	perf stat -e resctrl/fd=3/ -C 0 -- sh -c "$busy" 3<$R/g1/mon_data/mon_PERF_PKG_00/uops_retired
	show grep . $R/g1/mon_data/mon_PERF_PKG_00/core_energy $R/g1/mon_data/mon_PERF_PKG_00/activity \
		$R/g1/mon_data/mon_PERF_PKG_00/uops_retired $R/g1/mon_data/mon_PERF_PKG_00/unhalted_core_cycles
	show rmmod resctrl_aet
	show ls $R/g1/mon_data
fi
echo "# a bad line is refused whole, and says why"
echo 'L3:0=505' >$R/g1/schemata || true
show cat $R/info/last_cmd_status
echo "== the emulated hardware: masks of CLOSID 1, IDs loaded on each CPU"
grep ' 1 ' $E/masks
show cat $E/cpus
kill %1
show rmdir $R/g1
show umount $R
