#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Long soaks of the stress tests, which scripts/test.sh runs with counts
# that keep CI short. One guest boot runs the named soak; its kernel log and
# kmemleak are judged as test.sh judges them. Ends with "N passed, N failed".
#
#   bash scripts/soak.sh driver [N]   N load/unload cycles of both sample
#                                     drivers with readers, perf events and
#                                     mkdir/rmdir running (default 1000)
#   bash scripts/soak.sh hotplug [N]  N cycles of the monitoring storm:
#                                     groups, readers, limbo churn, CPUs
#                                     1-3 offline and online (default 1000)
#   bash scripts/soak.sh fuzz [N]     N random writes and mkdir/rmdir
#                                     (default 100000; test.sh runs 20000)
#   bash scripts/soak.sh abmc [N]     N rounds of counter assignment churn
#                                     under perf and file readers, on the
#                                     emulated AMD part (default 5000;
#                                     test.sh runs 150)
#   bash scripts/soak.sh aet [N]      N load/unload cycles of the package
#                                     telemetry driver under file and perf
#                                     readers and CPU hotplug (default
#                                     1000; test.sh runs 20)
#
# (The perf churn, 10,000 event open/close cycles, runs whole in test.sh.)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib-guest.sh"

case "${1:-}" in
driver) prog=resctrl_driver_test test=load_unload_cycles var=RESCTRL_DRIVER_CYCLES n=${2:-1000} ;;
hotplug) prog=resctrl_mon_test test=hotplug_storm var=RESCTRL_HOTPLUG_CYCLES n=${2:-1000} ;;
fuzz) prog=resctrl_fuzz_test test=random_writes var=RESCTRL_FUZZ_WRITES n=${2:-100000} ;;
aet) prog=resctrl_aet_test test=load_unload_cycles var=RESCTRL_AET_CYCLES n=${2:-1000} ;;
abmc) prog=resctrl_abmc_test test=churn_under_readers var=RESCTRL_ABMC_CHURN n=${2:-5000}
	part=amd ;;
*) die "usage: soak.sh driver|hotplug|fuzz|abmc|aet [N]" ;;
esac

start_tally
all=$CACHE/soak-all
must "build the selftests" build_selftests "$all" "$CACHE/soak-modules"

# The guest runs every program of the folder: here one, which runs the one
# test with its count.
bin=$CACHE/soak-bin
rm -rf "$bin" && mkdir -p "$bin"
# The AMD part's programs are in their own folder, and boot that part.
src=$all${part:+-$part}
boot_args=()
[ -n "${part:-}" ] && boot_args=(--append "resctrl_rs.emulate=$part")
printf '#!/bin/sh\nexec env %s=%s %q -t %s\n' "$var" "$n" "$src/$prog" "$test" >"$bin/$prog"
chmod +x "$bin/$prog"

step "soak: $prog -t $test with $var=$n"
res=$CACHE/soak-results
GUEST_CAP=${GUEST_CAP:-90000} run_guest "$res" "$bin" "$CACHE/soak-modules" 86400 "${boot_args[@]}"
cat "$res/$prog.tap" 2>/dev/null | grep -E '^# [0-9]+ .*cycles|^# seed .*writes|^(ok|not ok) ' || true

step "results"
tally "$res" "$bin"
check_logs "$res"
[ "$fail" -eq 0 ]
