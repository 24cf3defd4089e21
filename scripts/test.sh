#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every test: host `cargo test` of the pure-logic modules, then the kselftest
# programs in the guest, then the guest's kernel log (KASAN, lockdep, WARNING,
# BUG, Rust panics) and kmemleak. Ends with "N passed, N failed".
source "$(dirname "$0")/lib.sh"

pass=0 fail=0
summary() { echo; echo "$pass passed, $fail failed"; }
trap summary EXIT
# A step that fails before tests ran counts as one failed test.
must() { local name=$1; shift; step "$name"; "$@" || { fail=$((fail + 1)); die "step '$name'"; }; }

must "set up the machine" bash "$REPO/scripts/setup.sh"
must "build the kernel" bash "$REPO/scripts/build.sh"

step "host tests (cargo test)"
log=$CACHE/cargo-test.log
if (cd "$REPO/hosttests" && CARGO_TARGET_DIR=$CACHE/hosttests-target cargo test --quiet) >"$log" 2>&1; then
	:
else
	grep -q '^test result:' "$log" || { cat "$log"; fail=$((fail + 1)); }
fi
grep -E '^test .* (FAILED|ok)$|^test result:' "$log" | grep -v '^test result: ok. 0 passed' || true
read -r p f < <(awk '/^test result:/ { p += $4; f += $6 } END { print p+0, f+0 }' "$log")
pass=$((pass + p)) fail=$((fail + f))

step "build the selftests"
bin=$CACHE/selftests-bin
rm -rf "$bin" && mkdir -p "$bin"
for c in "$REPO"/selftests/*.c; do
	gcc -O2 -Wall -Werror -I "$KSRC/tools/testing/selftests" -o "$bin/$(basename "$c" .c)" "$c" ||
		{ fail=$((fail + 1)); die "step 'build the selftests': $(basename "$c")"; }
done

# The sample driver modules the driver test loads.
mods=$CACHE/selftests-modules
rm -rf "$mods" && mkdir -p "$mods"
cp "$KOBJ"/fs/resctrl/samples/*.ko "$mods"/ ||
	{ fail=$((fail + 1)); die "step 'build the selftests': no sample modules"; }

step "boot the guest and run the selftests"
res=$CACHE/results
rm -rf "$res" && mkdir -p "$res"
start=$(date +%s)
# QEMU 7.2 (Debian 12) now and then aborts in early boot on an MSI-X table
# write ("msix_table_mmio_write: Assertion ... failed", status 255) before the
# guest ran anything; such a run is retried once. A guest that got as far as
# its kernel log is never retried.
for attempt in 1 2; do
	rc=0
	bash "$REPO/scripts/boot.sh" --rwdir "$res" -- bash "$REPO/scripts/guest-tests.sh" "$res" "$bin" "$mods" || rc=$?
	[ "$rc" -eq 0 ] && break
	echo "guest exited with status $rc"
	{ [ "$rc" -eq 255 ] && [ ! -e "$res/dmesg.txt" ] && [ "$attempt" -eq 1 ]; } || break
	echo "the guest never ran: booting it again"
done
echo "guest run: $(($(date +%s) - start)) s"

step "results"
for c in "$REPO"/selftests/*.c; do
	name=$(basename "$c" .c)
	tap=$res/$name.tap
	if [ ! -f "$tap" ]; then
		echo "not ok: $name did not run"; fail=$((fail + 1)); continue
	fi
	ok=$(grep -c '^ok ' "$tap" || true)
	nok=$(grep -c '^not ok ' "$tap" || true)
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$tap" | head -n1)
	pass=$((pass + ok)) fail=$((fail + nok))
	if [ -z "$plan" ] || [ $((ok + nok)) -ne "$plan" ]; then
		echo "not ok: $name stopped early ($((ok + nok)) of ${plan:-?} reported, $(cat "$res/$name.exit" 2>/dev/null))"
		fail=$((fail + 1))
	fi
	echo "$name: $ok passed, $nok failed"
done

# The kernel log and kmemleak are one test each: any report fails the run.
# KASAN and lockdep reports start with "BUG:" or "WARNING:" lines; the rest
# are the other ways the kernel reports a bug, Rust panics included.
REPORTS='BUG:|WARNING:|KASAN:|UBSAN:|DEBUG_LOCKS_WARN_ON|lockdep is turned off|Kernel panic|Oops|general protection fault|panicked at|INFO: task .* blocked|suspected memory leaks|Call Trace:'
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

# Code checks, last: the clippy build leaves resctrl.o for the next build to
# redo, which it would for any change to the crate anyway.
step "code checks"
if "$RUSTFMT" --edition 2021 --config-path "$KSRC/.rustfmt.toml" --check \
	"$REPO/src/resctrl.rs" "$REPO/hosttests/src/lib.rs" "$REPO/rust/kernel/resctrl.rs" \
	"$REPO"/samples/*.rs >"$CACHE/rustfmt.log" 2>&1; then
	echo "ok: rustfmt clean"; pass=$((pass + 1))
else
	echo "not ok: rustfmt:"; head -n 60 "$CACHE/rustfmt.log"; fail=$((fail + 1))
fi
touch "$KSRC/fs/resctrl/src/resctrl.rs" "$KSRC"/fs/resctrl/samples/*.rs
if "${KMAKE[@]}" CLIPPY=1 fs/resctrl/src/resctrl.o fs/resctrl/samples/resctrl_sample_rust.o \
	>"$CACHE/clippy.log" 2>&1 &&
	! grep -qE '^(warning|error)' "$CACHE/clippy.log"; then
	echo "ok: clippy clean"; pass=$((pass + 1))
else
	echo "not ok: clippy:"; grep -E -A12 '^(warning|error)' "$CACHE/clippy.log" | head -n 80
	fail=$((fail + 1))
fi
[ "$fail" -eq 0 ]
