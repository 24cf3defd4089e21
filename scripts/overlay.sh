#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Idempotent: place resctrl-rs into the kernel tree at fs/resctrl/, add its
# headers to the Rust bindings and its helpers to rust/helpers/, and apply the
# core-kernel patches in patches/. Files are copied only when their content
# changed, so the next kernel build stays incremental.
source "$(dirname "$0")/lib.sh"

[ -f "$KSRC/Makefile" ] || die "no kernel tree at $KSRC: run scripts/setup.sh"

# Copy $1 to $2 only if the content differs (keeps mtimes, hence make, quiet).
sync_file() {
	if ! cmp -s "$1" "$2"; then
		mkdir -p "$(dirname "$2")"
		cp "$1" "$2"
		echo "  updated ${2#"$KSRC"/}"
	fi
}

# Append line $2 to file $1 unless it is there already.
add_line() {
	grep -qxF "$2" "$1" || { printf '%s\n' "$2" >>"$1"; echo "  hooked ${1#"$KSRC"/}"; }
}

for p in "$REPO"/patches/*.patch; do
	[ -e "$p" ] || continue
	if patch -d "$KSRC" -p1 -R --dry-run -s -f <"$p" >/dev/null 2>&1; then
		continue
	fi
	patch -d "$KSRC" -p1 -N -s <"$p" || die "patch $(basename "$p") does not apply"
	echo "  applied $(basename "$p")"
done

dst=$KSRC/fs/resctrl
sync_file "$REPO/Kconfig" "$dst/Kconfig"
sync_file "$REPO/Kbuild" "$dst/Kbuild"
# The crate, the sample drivers and the drivers: mirror src/, samples/ and
# drivers/, removing files that no longer exist in the project.
for sub in src samples drivers; do
	(cd "$REPO/$sub" && find . -type f \( -name '*.rs' -o -name '*.c' \) -printf '%P\n' | sort) \
		>"$CACHE/overlay.$sub"
	while read -r f; do sync_file "$REPO/$sub/$f" "$dst/$sub/$f"; done <"$CACHE/overlay.$sub"
	if [ -d "$dst/$sub" ]; then
		(cd "$dst/$sub" && find . -type f \( -name '*.rs' -o -name '*.c' \) -printf '%P\n') |
			while read -r f; do
				grep -qxF "$f" "$CACHE/overlay.$sub" || { rm -f "$dst/$sub/$f"; echo "  removed $sub/$f"; }
			done
	fi
done

# The kernel crate's resctrl module (hooked into rust/kernel/lib.rs by patches/0004).
sync_file "$REPO/rust/kernel/resctrl.rs" "$KSRC/rust/kernel/resctrl.rs"

(cd "$REPO/include" && find . -type f -name '*.h' -printf '%P\n' | sort) | while read -r h; do
	sync_file "$REPO/include/$h" "$KSRC/include/$h"
	add_line "$KSRC/rust/bindings/bindings_helper.h" "#include <$h>"
done

for c in "$REPO"/helpers/*.c; do
	sync_file "$c" "$KSRC/rust/helpers/$(basename "$c")"
	add_line "$KSRC/rust/helpers/helpers.c" "#include \"$(basename "$c")\""
done
