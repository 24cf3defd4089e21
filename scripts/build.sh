#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the kernel with resctrl-rs built in: tinyconfig + config/resctrl-rs.config
# + olddefconfig, every wanted option checked, LLVM=-14 and Debian's rustc.
# The object tree in the cache folder is reused between runs.
source "$(dirname "$0")/lib.sh"

bash "$REPO/scripts/overlay.sh"
mkdir -p "$KOBJ"
frag=$REPO/config/resctrl-rs.config

"${KMAKE[@]}" -s rustavailable >/dev/null || die "Rust is not available to the kernel build"

# Regenerate .config only when its inputs changed, so an edit of a .rs file
# does not touch the configuration.
stamp=$(cat "$frag" "$REPO/Kconfig" | sha256sum | cut -d' ' -f1)
if [ ! -f "$KOBJ/.config" ] || [ "$(cat "$KOBJ/.config.resctrl-rs" 2>/dev/null)" != "$stamp" ]; then
	step "configure: tinyconfig + $(basename "$frag") + olddefconfig"
	"${KMAKE[@]}" -s tinyconfig >/dev/null
	(cd "$KOBJ" && "$KSRC/scripts/kconfig/merge_config.sh" -m -O "$KOBJ" \
		"$KOBJ/.config" "$frag" >/dev/null)
	"${KMAKE[@]}" -s olddefconfig >/dev/null
	echo "$stamp" >"$KOBJ/.config.resctrl-rs"
fi

# Every option of the fragment must have survived olddefconfig.
bad=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$KOBJ/.config" ||
			{ echo "missing config option: $line (have: $(grep "^${line%%=*}=" "$KOBJ/.config" || echo unset))"; bad=1; }
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		grep -q "^$opt=" "$KOBJ/.config" && { echo "option must be off: $opt"; bad=1; }
		;;
	esac
done <"$frag"
[ $bad -eq 0 ] || die "kernel configuration is missing wanted options (see above)"

log=$CACHE/build.log
step "make bzImage modules (object tree $KOBJ, log $log)"
start=$(date +%s)
if ! "${KMAKE[@]}" -j"$(($(nproc) + 1))" ${CLIPPY:+CLIPPY=1} bzImage modules >"$log" 2>&1; then
	grep -E -A8 '^(error|warning)(\[[A-Za-z0-9_:]+\])?:|: error:' "$log" | head -n 200
	tail -n 30 "$log"
	die "kernel build failed (full log: $log)"
fi
# Rust and C diagnostics of a successful build are shown too: keep it clean.
grep -E -A8 '^warning(\[[A-Za-z0-9_:]+\])?:|: warning:' "$log" | head -n 200 || true
echo "built in $(($(date +%s) - start)) s: $KOBJ/arch/x86/boot/bzImage"
