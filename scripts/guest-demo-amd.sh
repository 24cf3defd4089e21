#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest booted as the emulated AMD part (resctrl_rs.emulate=amd),
# as root: upstream's newer ABI on it: counter assignment (the mbm_event
# mode of AMD's ABMC, 6.18) and io_alloc (SDCIAE, 6.19).
set -eu
show() { echo "# $*"; "$@"; }
R=/sys/fs/resctrl
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
show mount -t resctrl resctrl $R
echo "== counter assignment: 32 bandwidth counters per L3 domain, assigned to groups' events"
show cat $R/info/L3_MON/mbm_assign_mode $R/info/L3_MON/num_mbm_cntrs
show cat $R/info/L3_MON/available_mbm_cntrs
show cat $R/info/L3_MON/event_configs/mbm_local_bytes/event_filter
show mkdir $R/g1
show cat $R/g1/mbm_L3_assignments $R/info/L3_MON/available_mbm_cntrs
taskset -c 1 sh -c 'echo $$ > '"$R"'/g1/tasks; end=$(($(date +%s) + 1)); while [ $(date +%s) -lt $end ]; do :; done'
show cat $R/g1/mon_data/mon_L3_00/mbm_total_bytes
show sh -c "echo 'mbm_total_bytes:0=_' > $R/g1/mbm_L3_assignments"
show cat $R/g1/mbm_L3_assignments $R/g1/mon_data/mon_L3_00/mbm_total_bytes
show sh -c "echo 'mbm_total_bytes:9=e' > $R/g1/mbm_L3_assignments" || true
show cat $R/info/last_cmd_status
show sh -c "echo 'mbm_total_bytes:*=e' > $R/g1/mbm_L3_assignments"
show cat $R/g1/mbm_L3_assignments
echo "== io_alloc: I/O devices' L3 cache injection limited to the highest CLOSID's mask"
show cat $R/info/L3/io_alloc
show sh -c "echo 1 > $R/info/L3/io_alloc"
show cat $R/info/L3/io_alloc $R/info/L3/io_alloc_cbm
show sh -c "echo '0=ff;1=ff' > $R/info/L3/io_alloc_cbm"
show cat $R/info/L3/io_alloc_cbm $R/info/L3/bit_usage
show rmdir $R/g1
show umount $R
