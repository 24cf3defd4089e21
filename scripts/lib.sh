# SPDX-License-Identifier: GPL-2.0
# Shared settings for the resctrl-rs scripts. Sourced, never run.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Everything that is not the project (kernel source, object tree, tools)
# lives in this cache folder, outside the checkout, and is reused.
CACHE=${RESCTRL_RS_CACHE:-$HOME/.cache/resctrl-rs}
KVER=6.12
KSRC=$CACHE/linux-source-$KVER
KOBJ=$CACHE/build
TOOLS=$CACHE/tools
VENV=$CACHE/venv
BINDGEN=$TOOLS/bin/bindgen
VNG=$VENV/bin/vng
RUSTC=/usr/bin/rustc
# Debian's rustfmt and clippy match that rustc; rustup's come first on PATH.
RUSTFMT=/usr/bin/rustfmt
BINDGEN_VERSION=0.73.2
VNG_VERSION=1.42
# Every make invocation on the kernel goes through these.
KMAKE=(make -C "$KSRC" O="$KOBJ" ARCH=x86_64 LLVM=-14 RUSTC="$RUSTC"
       CLIPPY_DRIVER=/usr/bin/clippy-driver
       BINDGEN="$BINDGEN")

if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi

step() { printf '\n==> %s\n' "$*"; }
die() { printf '\nFAILED: %s\n' "$*" >&2; exit 1; }
# Run a named step; on failure name it and stop.
run_step() {
	local name=$1; shift
	step "$name"
	"$@" || die "step '$name' (exit $?)"
}
