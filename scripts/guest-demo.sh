#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root: mount resctrl and show what it offers.
set -eu
show() { echo "# $*"; "$@"; }
echo "== L3 domains (cacheinfo)"
for c in /sys/devices/system/cpu/cpu[0-9]*; do
	printf '%s: L3 id %s, shared with CPUs %s\n' "${c##*/}" \
		"$(cat "$c/cache/index3/id" 2>/dev/null || echo ?)" \
		"$(cat "$c/cache/index3/shared_cpu_list" 2>/dev/null || echo ?)"
done
echo "== resctrl"
show grep resctrl /proc/filesystems
show mount -t resctrl resctrl /sys/fs/resctrl
show grep resctrl /proc/mounts
show ls -la /sys/fs/resctrl /sys/fs/resctrl/info
show umount /sys/fs/resctrl
