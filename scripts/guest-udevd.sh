#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Stands in for systemd-udevd in the guest (see scripts/boot.sh): makes the
# one thing of udev's that virtme-ng-init needs, the /dev/virtio-ports/NAME
# links to the console ports it passes the command's I/O and exit status
# through, and exits; devtmpfs makes the device nodes. The ports appear as
# QEMU's answers to the virtio console's probe are handled, which is long
# done by the time init runs; still, this waits (up to 60 s) for the six an
# --exec run has, virtme.ret last, rather than miss one.
end=$(($(date +%s) + 60))
while [ "$(date +%s)" -lt "$end" ]; do
	n=$(cat /sys/class/virtio-ports/*/name 2>/dev/null |
		grep -cxE 'virtme\.(stdin|stdout|stderr|dev_stdout|dev_stderr|ret)')
	[ "$n" -ge 6 ] && break
	sleep 0.1
done
mkdir -p /dev/virtio-ports
for p in /sys/class/virtio-ports/*; do
	[ -e "$p/name" ] || continue
	ln -sfn "../${p##*/}" "/dev/virtio-ports/$(cat "$p/name")"
done
echo "guest-udevd: linked $(ls /dev/virtio-ports | tr '\n' ' ')" >/dev/kmsg
