#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The product: set up, build, boot the kernel in QEMU, mount resctrl, allocate,
# monitor a workload, count it with perf stat and from BPF, take CPUs
# offline, load and unload a driver module and the package telemetry driver;
# then, booted as the emulated AMD
# part, upstream's newer ABI there (counter assignment, io_alloc).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib-guest.sh"
run_step "set up the machine" bash "$REPO/scripts/setup.sh"
run_step "build the kernel" bash "$REPO/scripts/build.sh"
run_step "build the BPF sample" build_bpf_samples "$CACHE/bpf-samples"
run_step "boot the guest" bash "$REPO/scripts/boot.sh" -- bash "$REPO/scripts/guest-demo.sh" \
	"$KOBJ/fs/resctrl" "$CACHE/bpf-samples"
run_step "boot the guest as the emulated AMD part" bash "$REPO/scripts/boot.sh" \
	--append resctrl_rs.emulate=amd -- bash "$REPO/scripts/guest-demo-amd.sh"
