#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmarks: print figures, assert nothing. Boots the guest twice: the
# context-switch cost of the hook (`perf bench sched pipe`, unmounted versus
# mounted), then monitoring costs (overflow worker pass against the number of
# groups, mon_data reads from inside and outside the domain, a perf event
# read against a file read and a cpu-clock read) with 300 RMIDs.
source "$(dirname "$0")/lib.sh"
run_step "set up the machine" bash "$REPO/scripts/setup.sh"
run_step "build the kernel" bash "$REPO/scripts/build.sh"
bin=$CACHE/bench-bin
mkdir -p "$bin"
gcc -O2 -Wall -o "$bin/mon_read_bench" "$REPO/bench/mon_read_bench.c"
gcc -O2 -Wall -o "$bin/perf_read_bench" "$REPO/bench/perf_read_bench.c"
run_step "context-switch benchmark in the guest" bash "$REPO/scripts/boot.sh" -- bash "$REPO/scripts/guest-bench.sh" "$@"
run_step "monitoring benchmark in the guest" bash "$REPO/scripts/boot.sh" --append resctrl_rs.emulate_rmids=300 -- \
	bash "$REPO/scripts/guest-bench-mon.sh" "$bin/mon_read_bench" "$bin/perf_read_bench"
