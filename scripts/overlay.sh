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
# The crate: mirror src/, removing files that no longer exist in the project.
(cd "$REPO/src" && find . -type f -name '*.rs' -printf '%P\n' | sort) >"$CACHE/overlay.src"
while read -r f; do sync_file "$REPO/src/$f" "$dst/src/$f"; done <"$CACHE/overlay.src"
if [ -d "$dst/src" ]; then
	(cd "$dst/src" && find . -type f -name '*.rs' -printf '%P\n') | while read -r f; do
		grep -qxF "$f" "$CACHE/overlay.src" || { rm -f "$dst/src/$f"; echo "  removed $f"; }
	done
fi

(cd "$REPO/include" && find . -type f -name '*.h' -printf '%P\n' | sort) | while read -r h; do
	sync_file "$REPO/include/$h" "$KSRC/include/$h"
	add_line "$KSRC/rust/bindings/bindings_helper.h" "#include <$h>"
done

for c in "$REPO"/helpers/*.c; do
	sync_file "$c" "$KSRC/rust/helpers/$(basename "$c")"
	add_line "$KSRC/rust/helpers/helpers.c" "#include \"$(basename "$c")\""
done
