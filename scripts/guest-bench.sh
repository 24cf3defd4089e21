#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest, as root: context-switch cost of the resctrl hook.
# `perf bench sched pipe` with both tasks on CPU 1, resctrl unmounted (hook
# off: measured 2 s after an unmount, as the hook goes off a second after)
# versus mounted with the tasks in a non-default group (hook on, and the
# emulated PQR_ASSOC written at every switch between the pair and others).
set -eu
R=/sys/fs/resctrl
loops=${1:-20000}
rounds=${2:-3}
bench() {
	taskset -c 1 perf bench sched pipe -l "$loops" 2>/dev/null |
		awk '/usecs\/op/ { print $1 }'
}
mountpoint -q $R && umount $R
off=() on=()
for i in $(seq "$rounds"); do
	off+=("$(bench)")
	mount -t resctrl resctrl $R
	mkdir $R/bench
	echo $$ >$R/bench/tasks
	on+=("$(bench)")
	echo $$ >$R/tasks
	rmdir $R/bench
	umount $R
	sleep 2
done
echo "perf bench sched pipe -l $loops, usecs/op, $rounds rounds"
echo "unmounted: ${off[*]}"
echo "mounted, tasks in a group: ${on[*]}"
python3 - "${off[*]}" "${on[*]}" <<'PY'
import statistics, sys
off = [float(x) for x in sys.argv[1].split()]
on = [float(x) for x in sys.argv[2].split()]
m0, m1 = statistics.median(off), statistics.median(on)
print(f"median unmounted {m0:.3f}, mounted {m1:.3f} usecs/op; ratio mounted/unmounted {m1 / m0:.3f}")
PY
