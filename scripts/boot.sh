#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel under QEMU software emulation (virtme-ng) and run a
# command in the guest as root; exits with the command's status.
#
#   scripts/boot.sh [--rwdir DIR]... [--append KERNEL_ARGS] -- COMMAND [ARG]...
#
# The kernel runs fully preemptible (preempt=full, as PREEMPT_DYNAMIC allows),
# so races get their widest windows, and a task blocked for 30 s is reported
# as hung (the default, 120 s, would let a wedged test reach its time limit
# first).
#
# RESCTRL_RS_CONSOLE=1 shows the guest's kernel console too.
# RESCTRL_RS_CONSOLE_LOG=FILE writes the guest's console, warnings and worse
# (a panic's report, say), and QEMU's own messages to FILE instead: what a
# guest that dies leaves.
# RESCTRL_RS_GUEST_CPU=amd gives the guest an AMD CPU, for tools that read
# the vendor from CPUID or /proc/cpuinfo (see the end of this comment).
# RESCTRL_RS_MONITOR=PATH opens QEMU's monitor on the Unix socket PATH.
#
# QEMU is 10.x from bookworm-backports (setup.sh): with a host thread per
# vCPU (multi-threaded TCG), Debian 12's QEMU 7.2 lets a vCPU run code
# another vCPU already patched back. Static keys patch code with int3
# (text_poke_bp()), and mounting and unmounting resctrl (its context-switch
# key in __switch_to) 1,000 times ended in "Oops: int3" in __switch_to on a
# vCPU that ran the int3 after the patching was over, while memory held the
# new jump. QEMU 10 does it too, more rarely: about one test run in five lost
# its Intel boot so. The key now goes off a second after an unmount (its
# drop deferred, helpers/resctrl_rs.c): mount/unmount loops patch
# __switch_to() twice in all, not at every mount. Single-threaded
# TCG avoids it too, but makes every IPI wait for the sender's time slice.
#
# Topology: 2 sockets x 2 cores, so the guest has two L3 domains of two CPUs.
# The CPU reports itself as Intel: QEMU's TCG "max" CPU is AMD-flavoured by
# default, and then the guest's cacheinfo gives every CPU an L3 id of its own
# (shared_cpu_list is right, the ids are not), where with CPUID leaf 4 the two
# CPUs of a socket share their L3 id, as on real hardware. An AMD guest CPU
# (RESCTRL_RS_GUEST_CPU=amd) therefore gets four sockets of one CPU: each its
# own L3, with ids that match the sharing. (QEMU's TCG has no topoext, the
# leaves that give an AMD CPU's cache sharing; forcing it on with
# x-force-features left the "max" CPU's guest silent, and "qemu64" then has
# no caches at all.) pqos, which reads an AMD CPU's caches from those
# leaves, cannot start there.
source "$(dirname "$0")/lib.sh"

case "${RESCTRL_RS_GUEST_CPU:-intel}" in
intel) cpu="-smp 4,sockets=2,cores=2,threads=1 -cpu max,vendor=GenuineIntel" ;;
amd) cpu="-smp 4,sockets=4,cores=1,threads=1 -cpu max,vendor=AuthenticAMD" ;;
*) die "boot.sh: RESCTRL_RS_GUEST_CPU is intel or amd" ;;
esac

extra=()
append=
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
	case "$1" in
	--rwdir) extra+=(--rwdir "$2"); shift 2 ;;
	--append) append="$append $2"; shift 2 ;;
	*) die "boot.sh: unknown argument $1" ;;
	esac
done
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || die "boot.sh: no command"

img=$KOBJ/arch/x86/boot/bzImage
[ -f "$img" ] || die "no kernel at $img: run scripts/build.sh"

cmd=$(printf '%q ' "$@")
monitor=${RESCTRL_RS_MONITOR:+-monitor unix:$RESCTRL_RS_MONITOR,server,nowait}
# KVM is not used: nested KVM hangs on these machines. The root is the
# host's / over 9p; vng 1.42 names no root device for 9p and 6.12 then mounts
# an empty tag, so name vng's tag, /dev/root.
export PATH="$VENV/bin:$PATH"
# The guest's init starts the host's systemd-udevd, if it has one, and
# waits for its coldplug to settle: 4 to 6 minutes of every boot under TCG
# with KASAN, even with no rule but the one the init needs. So QEMU runs in
# a mount namespace of its own where /usr/lib/systemd (and /lib/systemd on a
# merged /usr) holds only a systemd-udevd that makes that rule's links and
# exits (scripts/guest-udevd.sh); nothing in the guest needs the rest.
# A boot then takes under 3 minutes.
stub=()
[ "$(id -u)" -eq 0 ] && [ -d /usr/lib/systemd ] &&
	stub=(unshare --mount --propagation private -- sh -c '
		mount -t tmpfs -o mode=0755,size=64k resctrl-rs-no-udev /usr/lib/systemd &&
		ln -s "$0" /usr/lib/systemd/systemd-udevd && exec "$@"' "$REPO/scripts/guest-udevd.sh")
# QEMU opens the guest's console outputs as /proc/self/fd/1 and 2 with
# O_TRUNC: were they a log file, what was written to it so far would be lost.
# A pipe keeps them append-only.
# vng puts the console on QEMU's standard error with --verbose: for a log,
# that is the file (opened before QEMU truncates it, so nothing else is lost
# than what came first), and the console says warnings and worse only.
if [ -n "${RESCTRL_RS_CONSOLE_LOG:-}" ]; then
	"${stub[@]}" "$VNG" --run "$img" --disable-kvm --force-9p \
		--append "root=/dev/root preempt=full sysctl.kernel.hung_task_timeout_secs=30$append loglevel=4" \
		--cpus 4 --memory 2G --verbose --qemu-opts="$cpu $monitor" \
		"${extra[@]}" --cwd "$REPO" --exec "$cmd" 2>>"$RESCTRL_RS_CONSOLE_LOG" </dev/null | cat
	exit "${PIPESTATUS[0]}"
fi
"${stub[@]}" "$VNG" --run "$img" --disable-kvm --force-9p \
	--append "root=/dev/root preempt=full sysctl.kernel.hung_task_timeout_secs=30$append" \
	--cpus 4 --memory 2G ${RESCTRL_RS_CONSOLE:+--verbose} \
	--qemu-opts="$cpu $monitor" \
	"${extra[@]}" --cwd "$REPO" --exec "$cmd" 2>&1 </dev/null | cat
exit "${PIPESTATUS[0]}"
