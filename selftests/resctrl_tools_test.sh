#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# resctrl-rs as operators' tools see it: the CPU features user space reads,
# upstream's own selftests (tools/testing/selftests/resctrl, built from the
# kernel tree as $RESCTRL_MODULES/resctrl_tests) and intel-cmt-cat's
# `pqos -I`. TAP output, as the C selftests give.
#
# Needs a guest CPU of the emulated part's vendor (scripts/boot.sh's
# RESCTRL_RS_GUEST_CPU): both tools read the vendor from the CPU, and pqos
# its topology from CPUID leaves 4 and 0xB.
#
# What the tools need that QEMU's software emulation lacks is left out:
# upstream's CMT, CAT, MBM and MBA tests measure with hardware perf events
# (cache misses, iMC uncore counters), and pqos's "all" monitoring group
# adds the same events.

MNT=/sys/fs/resctrl
EMUL=/sys/kernel/debug/resctrl_rs_emul
UPSTREAM=${RESCTRL_MODULES:-.}/resctrl_tests
n=0 failed=0

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
flavour=$(cat "$EMUL/flavour" 2>/dev/null)
vendor=$(sed -n 's/^vendor_id[[:space:]]*: //p' /proc/cpuinfo | head -n1)

echo "TAP version 13"
echo "1..9"
ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)) failed=$((failed + 1)); echo "not ok $n $1"; }
skip() { n=$((n + 1)); echo "ok $n $1 # SKIP $2"; }
# Runs a command, its output indented as TAP diagnostics; its status.
run() {
	local rc
	echo "# \$ $*"
	timeout 300 "$@" >/tmp/tools_test.out 2>&1
	rc=$?
	grep -v -e '^NOTE:' -e 'may lead to unexpected' /tmp/tools_test.out | sed 's/^/#   /' | tail -n 30
	return "$rc"
}
# Whether file $1 has a line matching the extended regular expression $2.
has() {
	grep -qE "$2" "$1" 2>/dev/null && return 0
	echo "# $1 lacks /$2/:"
	sed 's/^/#   /' "$1" 2>&1 | sed 's/^[^#]/# &/'
	return 1
}
unmount() { umount "$MNT" 2>/dev/null; }
# A regular expression for a schemata line of $1 with value $2 (a regular
# expression, zero-padded) in every L3 domain.
l3_all() {
	local re= id
	for id in $L3_IDS; do re="$re;$id=0*$2"; done
	echo "^ *$1:${re#;}\$"
}

case "$flavour/$vendor" in
intel/GenuineIntel | amd/AuthenticAMD) ;;
*)
	echo "# the emulated part ($flavour) and the guest CPU ($vendor) differ"
	for t in $(seq 9); do skip "tool_$t" "needs a guest CPU of the part's vendor"; done
	exit 0
	;;
esac
# Whatever a test leaves behind, the next program finds CPU 1 online, no
# spinner and resctrl unmounted.
spin=
cleanup() {
	[ -n "$spin" ] && kill "$spin" 2>/dev/null
	echo 1 >/sys/devices/system/cpu/cpu1/online 2>/dev/null
	unmount
}
trap cleanup EXIT
unmount
# The L3 domains, as the default group's schemata lists them.
mount -t resctrl resctrl "$MNT" &&
	L3_IDS=$(sed -n 's/^ *L3:\(.*\)$/\1/p' "$MNT/schemata" | tr ';' '\n' | cut -d= -f1 | tr '\n' ' ')
unmount
echo "# L3 domains: $L3_IDS"
# pqos reads the cache topology from CPUID: on AMD from leaf 0x8000001D,
# which QEMU's software AMD CPU lacks (no topoext).
pqos_skip=
if ! run pqos -I -d; then
	grep -q "Couldn't retrieve APICID structure" /tmp/tools_test.out &&
		pqos_skip="pqos cannot read this CPU's cache topology (CPUID 0x8000001D, topoext)"
fi

# 1. /proc/cpuinfo shows the part's features on every CPU, a CPU that came
# back online included (the kernel identifies it again).
want="rdt_a cat_l3 cdp_l3 mba cqm cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local"
[ "$flavour" = intel ] && want="$want cat_l2 cdp_l2"
bad=
echo 0 >/sys/devices/system/cpu/cpu1/online && echo 1 >/sys/devices/system/cpu/cpu1/online ||
	bad=" (CPU 1 did not go offline and back)"
while read -r line; do
	for f in $want; do
		case " ${line#*: } " in *" $f "*) ;; *) bad="$bad $f" ;; esac
	done
	[ "$flavour" = amd ] && case " ${line#*: } " in *" cat_l2 "*) bad="$bad +cat_l2" ;; esac
done < <(grep '^flags' /proc/cpuinfo)
[ "$(grep -c '^flags' /proc/cpuinfo)" -eq "$(nproc --all)" ] || bad="$bad (not every CPU)"
if [ -z "$bad" ]; then ok cpuinfo_flags; else echo "# wrong:$bad"; not_ok cpuinfo_flags; fi

# 2, 3. Upstream's non-contiguous CAT tests: the kernel's sparse_masks must
# match what the test expects of the vendor (AMD: always; Intel: the CPUID
# 0x10 user space sees, which here is QEMU's, without the bit; the Intel
# part's masks are contiguous too).
for res in L3 L2; do
	t=${res}_NONCONT_CAT
	run "$UPSTREAM" -t "$t"
	if grep -q '^# Totals: pass:1 fail:0' /tmp/tools_test.out; then
		ok "upstream_$t"
	elif [ "$res/$flavour" = L2/amd ] && grep -q '^# Totals: pass:0 fail:0 .*skip:1' /tmp/tools_test.out; then
		skip "upstream_$t" "no $res CAT on the $flavour part"
	else
		not_ok "upstream_$t"
	fi
	unmount
done

# 4. pqos turns L3 CDP on (it remounts with -o cdp) and sets a class's
# data and code masks apart.
if [ -n "$pqos_skip" ]; then
	skip pqos_l3cdp "$pqos_skip"
elif run pqos -I -R l3cdp-on && run pqos -I -e "llc:1d=0xf;llc:1c=0xf0" &&
	has /proc/mounts "^resctrl $MNT resctrl .*cdp" &&
	has "$MNT/COS1/schemata" "$(l3_all L3DATA f)" &&
	has "$MNT/COS1/schemata" "$(l3_all L3CODE f0)"; then
	ok pqos_l3cdp
else
	not_ok pqos_l3cdp
fi

# 5. The same for L2, on the part that has L2 CAT.
if [ -n "$pqos_skip" ]; then
	skip pqos_l2cdp "$pqos_skip"
elif [ "$flavour" != intel ]; then
	skip pqos_l2cdp "no L2 CAT on the $flavour part"
elif run pqos -I -R l3cdp-on,l2cdp-on && run pqos -I -e "l2:1d=0x3;l2:1c=0xc" &&
	has /proc/mounts "^resctrl $MNT resctrl .*cdpl2" &&
	has "$MNT/COS1/schemata" '^L2DATA:0=0*3;1=0*3;2=0*3;3=0*3$' &&
	has "$MNT/COS1/schemata" '^L2CODE:0=0*c;1=0*c;2=0*c;3=0*c$'; then
	ok pqos_l2cdp
else
	not_ok pqos_l2cdp
fi

# 6. Without CDP: an L3 mask (AMD: a sparse one) and a bandwidth limit
# (Intel: percent; AMD: pqos's value is resctrl's, in 1/8 GB/s).
if [ "$flavour" = intel ]; then
	spec="mba:1=50;llc:1=0x3f" mb=$(l3_all MB ' *50') l3=$(l3_all L3 3f)
else
	spec="mba:1=16;llc:1=0xf0f" mb=$(l3_all MB ' *16') l3=$(l3_all L3 f0f)
fi
if [ -n "$pqos_skip" ]; then
	skip pqos_alloc "$pqos_skip"
elif run pqos -I -R l3cdp-off,l2cdp-off && run pqos -I -e "$spec" &&
	! grep -q cdp /proc/mounts &&
	has "$MNT/COS1/schemata" "$mb" && has "$MNT/COS1/schemata" "$l3"; then
	ok pqos_alloc
else
	not_ok pqos_alloc
fi

# 7. A core's class.
if [ -n "$pqos_skip" ]; then
	skip pqos_assoc "$pqos_skip"
elif run pqos -I -a core:1=1 && has "$MNT/COS1/cpus_list" '^1$' &&
	run pqos -I -s && has /tmp/tools_test.out 'Core 1, .*=> COS1'; then
	ok pqos_assoc
else
	not_ok pqos_assoc
fi

# 8. Monitoring of occupancy and bandwidth through resctrl's files, with a
# busy CPU 1 that pqos sees (without the IPC and cache-miss perf events,
# which QEMU's software CPU lacks).
taskset -c 1 sh -c 'while :; do :; done' &
spin=$!
# The core's row: its LLC occupancy is not zero.
if [ -n "$pqos_skip" ]; then
	skip pqos_monitor "$pqos_skip"
elif run pqos -I --disable-mon-ipc --disable-mon-llc_miss -m "llc:1;mbt:1;mbl:1" -t 3 &&
	has /tmp/tools_test.out 'LLC\[KB\]' && has /tmp/tools_test.out '^ *1 +[0-9.]*[1-9][0-9.]*k?( +[0-9.]+k?){2}'; then
	ok pqos_monitor
else
	not_ok pqos_monitor
fi
kill "$spin"
wait "$spin" 2>/dev/null
spin=

# 9. pqos's reset: defaults again, the core back in the default class.
def=$(cat "$MNT/info/L3/cbm_mask" 2>/dev/null)
if [ -n "$pqos_skip" ]; then
	skip pqos_reset "$pqos_skip"
elif run pqos -I -R && has "$MNT/COS1/schemata" "$(l3_all L3 "$def")" &&
	! grep -q . "$MNT/COS1/cpus_list"; then
	ok pqos_reset
else
	not_ok pqos_reset
fi
unmount
[ "$failed" -eq 0 ]
