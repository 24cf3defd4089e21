#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stands in for systemd-udevd in the guest (see scripts/boot.sh): makes the
# one thing of udev's that virtme-ng-init needs, the /dev/virtio-ports/NAME
# links to the console ports it passes the command's I/O and exit status
# through, and exits; devtmpfs makes the device nodes.
mkdir -p /dev/virtio-ports
for p in /sys/class/virtio-ports/*; do
	[ -e "$p/name" ] || continue
	ln -sfn "../${p##*/}" "/dev/virtio-ports/$(cat "$p/name")"
done
