# SPDX-License-Identifier: GPL-2.0
# Building the selftests, running them in one guest boot, and judging what
# came back: shared by test.sh and soak.sh. Sourced after lib.sh, never run.
# The judging functions add to the caller's $pass and $fail.

# Counts tests in $pass and $fail, printed as "N passed, N failed" when the
# script exits, and sets up the machine and builds the kernel, each a step
# that, failing, counts as one failed test and stops the script.
start_tally() {
	pass=0 fail=0
	trap 'echo; echo "$pass passed, $fail failed"' EXIT
	must "set up the machine" bash "$REPO/scripts/setup.sh"
	must "build the kernel" bash "$REPO/scripts/build.sh"
}

# Runs step $1, the command after it; a failure counts as one failed test
# and stops the script.
must() {
	local name=$1
	shift
	step "$name"
	"$@" || { fail=$((fail + 1)); die "step '$name'"; }
}

# Builds the BPF programs of samples/bpf/ into libbpf skeletons in $1
# (clang -target bpf, then bpftool gen skeleton): NAME.skel.h, which embeds
# the program, for each NAME.bpf.c.
build_bpf() {
	local gen=$1 b
	mkdir -p "$gen"
	for b in "$REPO"/samples/bpf/*.bpf.c; do
		b=$(basename "$b" .bpf.c)
		clang-14 -g -O2 -Wall -Werror -target bpf -I "/usr/include/$(gcc -dumpmachine)" \
			-c "$REPO/samples/bpf/$b.bpf.c" -o "$gen/$b.bpf.o" &&
			bpftool gen skeleton "$gen/$b.bpf.o" name "$b" >"$gen/$b.skel.h" ||
			{ echo "cannot build BPF program $b"; return 1; }
	done
}

# Builds the user-space programs of samples/bpf/ into $1 (with their
# skeletons, linked with libbpf).
build_bpf_samples() {
	local out=$1 c
	build_bpf "$out/gen" || return 1
	for c in "$REPO"/samples/bpf/*.c; do
		case "$c" in *.bpf.c) continue ;; esac
		gcc -O2 -Wall -Werror -I "$out/gen" -o "$out/$(basename "$c" .c)" "$c" -lbpf ||
			{ echo "cannot build $(basename "$c")"; return 1; }
	done
}

# Builds every selftest into $1 (those of selftests/amd/, with the tests
# that apply to both parts, into $1-amd; those that need an AMD guest CPU
# into $1-amdcpu) and copies into $2 the sample driver modules the driver
# test loads and upstream's resctrl_tests, which resctrl_tools_test runs.
# Tests that read from BPF include a skeleton of samples/bpf/ (build_bpf)
# and link libbpf.
build_selftests() {
	local bin=$1 mods=$2 gen=$CACHE/selftests-gen c libs
	rm -rf "$bin" "$mods" "$gen" && mkdir -p "$bin" "$mods" "$gen"
	build_bpf "$gen" || return 1
	for c in "$REPO"/selftests/*.c; do
		libs=()
		grep -q '\.skel\.h"' "$c" && libs=(-lbpf)
		gcc -O2 -Wall -Werror -I "$KSRC/tools/testing/selftests" -I "$gen" \
			-o "$bin/$(basename "$c" .c)" "$c" "${libs[@]}" ||
			{ echo "cannot build $(basename "$c")"; return 1; }
	done
	for c in "$REPO"/selftests/*.sh; do
		install -m 0755 "$c" "$bin/$(basename "$c" .sh)" || return 1
	done
	cp "$KOBJ"/fs/resctrl/samples/*.ko "$KOBJ"/fs/resctrl/drivers/*/*.ko "$mods"/ ||
		{ echo "no driver modules"; return 1; }
	# Upstream's own resctrl selftests, from the kernel tree, for
	# resctrl_tools_test (which finds them beside the modules).
	mkdir -p "$gen/upstream" && make -s -C "$KSRC/tools/testing/selftests/resctrl" \
		OUTPUT="$gen/upstream" >"$gen/upstream.log" 2>&1 ||
		{ cat "$gen/upstream.log"; echo "cannot build upstream's resctrl_tests"; return 1; }
	cp "$gen/upstream/resctrl_tests" "$mods"/ || return 1
	# The boot as the emulated AMD part runs its own tests and every test
	# that applies to both parts: all but those of the Intel part's values,
	# L2 and L2 CDP, and those that need a guest CPU of the part's vendor.
	rm -rf "$bin-amd" && mkdir -p "$bin-amd"
	for c in "$REPO"/selftests/amd/*.c; do
		gcc -O2 -Wall -Werror -I "$KSRC/tools/testing/selftests" \
			-o "$bin-amd/$(basename "$c" .c)" "$c" ||
			{ echo "cannot build $(basename "$c")"; return 1; }
	done
	for c in "$bin"/*; do
		case " $INTEL_ONLY $GUEST_VENDOR " in *" $(basename "$c") "*) continue ;; esac
		cp "$c" "$bin-amd/" || return 1
	done
	# The AMD part's boot with an AMD guest CPU runs what needs one.
	rm -rf "$bin-amdcpu" && mkdir -p "$bin-amdcpu"
	for c in $GUEST_VENDOR; do
		cp "$bin/$c" "$bin-amdcpu/" || return 1
	done
}

# The selftests of the emulated Intel part's own values (its masks, MBA in
# percent, L2 CAT and -o cdpl2, the MBA software controller, which needs
# linear MBA, package telemetry); selftests/amd/ has the AMD part's.
INTEL_ONLY="resctrl_groups_test resctrl_cdp_test resctrl_mba_sc_test resctrl_aet_test"
# The selftests that need a guest CPU of the emulated part's vendor (the
# tools read it from the CPU): they run in the Intel part's boot and in a
# boot of the AMD part on an AMD guest CPU (RESCTRL_RS_GUEST_CPU=amd).
GUEST_VENDOR="resctrl_tools_test"

# Boots the guest once to run every program in $2 (scripts/guest-tests.sh),
# results into $1, modules from $3, each program for at most $4 seconds;
# further arguments go to boot.sh before its "--".
#
# Two ways a boot can fail before the guest ran anything are retried, up to
# three boots in all:
# - QEMU (7.2 and 10.0 alike) now and then aborts in early boot on an
#   assertion ("msix_table_mmio_write: Assertion ... failed",
#   "iotlb_to_section: Assertion ... failed"; status 255): 2 boots in 10.
# - A guest whose command has not started $BOOT_LIMIT s (900 by default;
#   a boot takes 3 to 8 minutes) after QEMU did is ended through QEMU's
#   monitor, after its kernel log and vCPUs were read out of it
#   (scripts/guest-monitor.py) and printed, so a boot that wedges says
#   where; its console is /dev/null and nothing else would come back.
# A guest that got as far as its command is never retried.
run_guest() {
	local res=$1 bin=$2 mods=$3 limit=$4 start attempt rc pid t0 hung mon
	shift 4
	start=$(date +%s)
	for attempt in 1 2 3; do
		rm -rf "$res" && mkdir -p "$res"
		mon=$CACHE/guest.$$.$attempt.monitor
		rm -f "$mon"
		rc=0 hung=0
		# The whole guest run is capped too ($GUEST_CAP s, 4200 by
		# default), so a guest wedged beyond its own watchdog still ends.
		# The console (warnings and worse) and QEMU's messages go to
		# console.log, shown when the guest dies.
		RESCTRL_RS_CONSOLE_LOG=$res/console.log \
			RESCTRL_RS_MONITOR=$mon timeout -k 30 "${GUEST_CAP:-4200}" \
			bash "$REPO/scripts/boot.sh" --rwdir "$res" "$@" -- \
			bash "$REPO/scripts/guest-tests.sh" "$res" "$bin" "$mods" "$limit" &
		pid=$! t0=$(date +%s)
		while kill -0 "$pid" 2>/dev/null; do
			sleep 5
			if [ ! -e "$res/booted" ] && [ -S "$mon" ] &&
				[ $(($(date +%s) - t0)) -gt "${BOOT_LIMIT:-900}" ]; then
				echo "the guest's command did not start in ${BOOT_LIMIT:-900} s: its kernel log and vCPUs"
				hung=1
				# It quits QEMU; should that fail, timeout(1) ends the run.
				python3 "$REPO/scripts/guest-monitor.py" "$mon" "$KOBJ/vmlinux" "$res/boot-hang.txt" ||
					kill "$pid" 2>/dev/null || true
				tail -n 80 "$res/boot-hang.txt" 2>/dev/null || true
				cp "$res/boot-hang.txt" "$CACHE/boot-hang.$(date +%s).txt" 2>/dev/null || true
				break
			fi
		done
		wait "$pid" || rc=$?
		rm -f "$mon"
		[ "$rc" -eq 0 ] && break
		echo "guest exited with status $rc; the end of its console and QEMU's messages:"
		grep -v "TCG doesn't support requested feature" "$res/console.log" 2>/dev/null | tail -n 60
		cp "$res/console.log" "$CACHE/console.$(date +%s).log" 2>/dev/null || true
		[ ! -e "$res/booted" ] && [ "$attempt" -lt 3 ] || break
		{ [ "$rc" -eq 255 ] || [ "$hung" -eq 1 ]; } || break
		echo "the guest never ran: booting it again"
	done
	echo "guest run: $(($(date +%s) - start)) s"
}

# Counts the TAP results in $1 of every program in $2: each test one, and
# a program that did not run or stopped early one failure more.
tally() {
	local res=$1 bin=$2 t name tap ok nok plan
	for t in "$bin"/*; do
		name=$(basename "$t")
		tap=$res/$name.tap
		if [ ! -f "$tap" ]; then
			echo "not ok: $name did not run"; fail=$((fail + 1)); continue
		fi
		if [ ! -f "$res/$name.exit" ] && [ ! -f "$res/$name.timeout" ]; then
			echo "not ok: $name was running when the guest run ended (capped at ${GUEST_CAP:-4200} s?)"
			fail=$((fail + 1))
		fi
		ok=$(grep -c '^ok ' "$tap" || true)
		nok=$(grep -c '^not ok ' "$tap" || true)
		plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n1)
		pass=$((pass + ok)) fail=$((fail + nok))
		if [ -f "$res/$name.timeout" ]; then
			echo "not ok: $name ran out of time ($(cat "$res/$name.timeout"); $((ok + nok)) of ${plan:-?} reported)"
			fail=$((fail + 1))
		elif [ -z "$plan" ] || [ $((ok + nok)) -ne "$plan" ]; then
			echo "not ok: $name stopped early ($((ok + nok)) of ${plan:-?} reported, $(cat "$res/$name.exit" 2>/dev/null))"
			fail=$((fail + 1))
		fi
		echo "$name: $ok passed, $nok failed$(sed 's/.*/ (&)/' "$res/$name.time" 2>/dev/null)"
	done
}

# The kernel log and kmemleak in $1 are one test each: any report fails.
# KASAN and lockdep reports start with "BUG:" or "WARNING:" lines; the rest
# are the other ways the kernel reports a bug, Rust panics included.
REPORTS='BUG:|WARNING:|KASAN:|UBSAN:|DEBUG_LOCKS_WARN_ON|lockdep is turned off|Kernel panic|Oops|general protection fault|panicked at|INFO: task .* blocked|soft lockup|detected stalls|suspected memory leaks|Call Trace:'
check_logs() {
	local res=$1
	if [ ! -f "$res/dmesg.txt" ]; then
		echo "not ok: no kernel log came back from the guest"; fail=$((fail + 1))
	elif grep -nE "$REPORTS" "$res/dmesg.txt" >"$res/dmesg.bad"; then
		echo "not ok: the kernel log has reports:"; cat "$res/dmesg.bad"
		echo "--- full log: $res/dmesg.txt"
		fail=$((fail + 1))
	else
		echo "ok: kernel log clean"; pass=$((pass + 1))
	fi
	if [ -s "$res/kmemleak.txt" ]; then
		echo "not ok: kmemleak reports:"; cat "$res/kmemleak.txt"; fail=$((fail + 1))
	elif [ ! -f "$res/kmemleak.txt" ]; then
		echo "not ok: kmemleak did not run"; fail=$((fail + 1))
	else
		echo "ok: kmemleak clean"; pass=$((pass + 1))
	fi
}
