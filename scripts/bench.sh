#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Benchmark: prints figures, asserts nothing. Boots the guest and compares
# `perf bench sched pipe` with resctrl unmounted and mounted.
source "$(dirname "$0")/lib.sh"
run_step "set up the machine" bash "$REPO/scripts/setup.sh"
run_step "build the kernel" bash "$REPO/scripts/build.sh"
run_step "benchmark in the guest" bash "$REPO/scripts/boot.sh" -- bash "$REPO/scripts/guest-bench.sh" "$@"
