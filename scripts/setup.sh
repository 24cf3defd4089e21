#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Idempotent machine set-up: Debian packages, bindgen-cli, virtme-ng, and the
# unpacked linux-source-6.12 tree in the cache folder. Prints the versions used.
source "$(dirname "$0")/lib.sh"

DEBS=(linux-source-$KVER rustc-web rust-web-src clang lld llvm libclang-dev
      rust-web-clippy rustfmt-web flex bison bc libelf-dev libssl-dev cpio make gcc
      qemu-system-x86 udev linux-perf xz-utils python3-venv kmod libbpf-dev bpftool
      intel-cmt-cat)

missing=()
for p in "${DEBS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	step "apt-get install ${missing[*]}"
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
fi

# QEMU from bookworm-backports (10.x): 7.2's multi-threaded TCG lets a vCPU
# run an int3 that static-key patching already removed (see boot.sh).
if ! qemu-system-x86_64 --version 2>/dev/null | grep -qE 'version (1[0-9]|[2-9][0-9])\.'; then
	step "apt-get install -t bookworm-backports qemu-system-x86"
	if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
		echo "deb http://deb.debian.org/debian bookworm-backports main" |
			"${SUDO[@]}" tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
	fi
	"${SUDO[@]}" apt-get update -qq
	"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends -t bookworm-backports qemu-system-x86 >/dev/null
fi

# vng needs systemd-udevd on the host to get the guest's output back.
if ! pgrep -x systemd-udevd >/dev/null 2>&1; then
	"${SUDO[@]}" /lib/systemd/systemd-udevd --daemon >/dev/null 2>&1 || true
fi

mkdir -p "$CACHE" "$TOOLS"
if ! "$BINDGEN" --version 2>/dev/null | grep -q " $BINDGEN_VERSION\$"; then
	step "cargo install bindgen-cli $BINDGEN_VERSION"
	cargo install --locked --quiet --root "$TOOLS" bindgen-cli --version "$BINDGEN_VERSION"
fi

if ! "$VNG" --version 2>/dev/null | grep -q "$VNG_VERSION"; then
	step "pip install virtme-ng $VNG_VERSION"
	python3 -m venv "$VENV"
	"$VENV/bin/pip" install --quiet "virtme-ng==$VNG_VERSION"
fi

if [ ! -f "$KSRC/Makefile" ]; then
	step "unpack linux-source-$KVER into $CACHE"
	rm -rf "$KSRC.tmp" && mkdir -p "$KSRC.tmp"
	tar -C "$KSRC.tmp" -xf /usr/src/linux-source-$KVER.tar.xz
	mv "$KSRC.tmp/linux-source-$KVER" "$KSRC" && rmdir "$KSRC.tmp"
fi

step "versions"
printf 'kernel:  %s\n' "$(make -s -C "$KSRC" kernelversion)"
printf 'rustc:   %s\n' "$($RUSTC --version)"
printf 'bindgen: %s\n' "$($BINDGEN --version)"
printf 'clang:   %s\n' "$(clang-14 --version | head -n1)"
printf 'qemu:    %s\n' "$(qemu-system-x86_64 --version | head -n1)"
printf 'vng:     %s\n' "$($VNG --version 2>&1 | head -n1)"
