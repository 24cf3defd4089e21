#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every test: host `cargo test` of the pure-logic modules, then the kselftest
# programs in the guest (booted as the emulated Intel part; again as the AMD
# part for selftests/amd/ and the tests that apply to both; and once more as
# the AMD part on an AMD guest CPU for the operators' tools), then the
# guest's kernel log (KASAN, lockdep, WARNING, BUG, Rust panics) and
# kmemleak, then rustfmt, the crate's layers (scripts/check-layers.py) and
# clippy. Ends with "N passed, N failed".
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/lib-guest.sh"

start_tally

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

must "build the selftests" build_selftests "$CACHE/selftests-bin" "$CACHE/selftests-modules"

step "boot the guest and run the selftests"
res=$CACHE/results
run_guest "$res" "$CACHE/selftests-bin" "$CACHE/selftests-modules" 1800

step "results"
tally "$res" "$CACHE/selftests-bin"
check_logs "$res"

# The emulated AMD part, in a boot of its own (resctrl_rs.emulate=amd).
step "boot the guest as the AMD part and run its selftests"
res=$CACHE/results-amd
run_guest "$res" "$CACHE/selftests-bin-amd" "$CACHE/selftests-modules" 1800 \
	--append resctrl_rs.emulate=amd

step "results (AMD)"
tally "$res" "$CACHE/selftests-bin-amd"
check_logs "$res"

# The AMD part once more, on a guest CPU that says AuthenticAMD, for the
# tests that need the tools to see an AMD CPU (upstream's selftests, pqos).
step "boot the guest as the AMD part on an AMD CPU and run the tools' tests"
res=$CACHE/results-amdcpu
RESCTRL_RS_GUEST_CPU=amd run_guest "$res" "$CACHE/selftests-bin-amdcpu" "$CACHE/selftests-modules" 900 \
	--append resctrl_rs.emulate=amd

step "results (AMD, AMD guest CPU)"
tally "$res" "$CACHE/selftests-bin-amdcpu"
check_logs "$res"

# Code checks, last: the clippy build leaves resctrl.o for the next build to
# redo, which it would for any change to the crate anyway.
step "code checks"
if "$RUSTFMT" --edition 2021 --config-path "$KSRC/.rustfmt.toml" --check \
	"$REPO/src/resctrl.rs" "$REPO/hosttests/src/lib.rs" "$REPO/rust/kernel/resctrl.rs" \
	"$REPO"/samples/*.rs "$REPO"/drivers/*/*.rs >"$CACHE/rustfmt.log" 2>&1; then
	echo "ok: rustfmt clean"; pass=$((pass + 1))
else
	echo "not ok: rustfmt:"; head -n 60 "$CACHE/rustfmt.log"; fail=$((fail + 1))
fi
if python3 "$REPO/scripts/check-layers.py" >"$CACHE/layers.log" 2>&1; then
	echo "ok: layers (arrows point down, no circles, files of at most 800 lines)"; pass=$((pass + 1))
else
	echo "not ok: layers:"; head -n 40 "$CACHE/layers.log"; fail=$((fail + 1))
fi
touch "$KSRC/fs/resctrl/src/resctrl.rs" "$KSRC"/fs/resctrl/samples/*.rs "$KSRC"/fs/resctrl/drivers/*/*.rs
if "${KMAKE[@]}" CLIPPY=1 fs/resctrl/src/resctrl.o fs/resctrl/samples/resctrl_sample_rust.o \
	fs/resctrl/drivers/aet/resctrl_aet.o \
	>"$CACHE/clippy.log" 2>&1 &&
	! grep -qE '^(warning|error)' "$CACHE/clippy.log"; then
	echo "ok: clippy clean"; pass=$((pass + 1))
else
	echo "not ok: clippy:"; grep -E -A12 '^(warning|error)' "$CACHE/clippy.log" | head -n 80
	fail=$((fail + 1))
fi
[ "$fail" -eq 0 ]
