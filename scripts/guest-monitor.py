#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Ends a guest that stopped before its command ran, after saving its kernel
log: used by run_guest (scripts/lib-guest.sh) when a boot goes quiet.

    guest-monitor.py SOCKET VMLINUX OUT

SOCKET is QEMU's human monitor (boot.sh's RESCTRL_RS_MONITOR). The kernel
runs with its console on /dev/null (quiet), so its log is read out of guest
memory: the printk ring's text area, __log_buf (CONFIG_LOG_BUF_SHIFT bytes,
which are enough for the boot's messages), through the monitor's memsave,
which follows the guest's page tables. The ring's record headers are
binary; the printable runs between them are the messages, in the order the
ring holds them. OUT gets those lines and where each vCPU is; then QEMU is
told to quit. Exits non-zero if QEMU did not.
"""
import os
import re
import socket
import subprocess
import sys


def monitor(path):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.settimeout(3)

    def drain():
        out = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    break
                out += d
        except socket.timeout:
            pass
        return out.decode(errors="replace")

    drain()

    def cmd(line):
        s.sendall(line.encode() + b"\n")
        return drain()

    def closed(seconds):
        """Whether QEMU closes the connection within `seconds`."""
        s.settimeout(seconds)
        try:
            while s.recv(65536):
                pass
            return True
        except socket.timeout:
            return False
        except OSError:
            return True

    return cmd, closed


def log_buf(vmlinux):
    nm = subprocess.run(["nm", vmlinux], capture_output=True, text=True).stdout
    m = re.search(r"^([0-9a-f]+) [bBdD] __log_buf$", nm, re.M)
    shift = 17
    cfg = os.path.join(os.path.dirname(vmlinux), ".config")
    for line in open(cfg):
        if line.startswith("CONFIG_LOG_BUF_SHIFT="):
            shift = int(line.split("=")[1])
    return (int(m.group(1), 16) if m else None), 1 << shift


def main():
    sock, vmlinux, out = sys.argv[1:4]
    cmd, closed = monitor(sock)
    regs = cmd("info registers -a")
    addr, size = log_buf(vmlinux)
    dump = out + ".bin"
    lines = []
    if addr is not None:
        # memsave writes the file before the monitor answers.
        cmd('memsave 0x%x %d "%s"' % (addr, size, dump))
        if os.path.exists(dump):
            text = open(dump, "rb").read()
            os.unlink(dump)
            lines = [r.decode() for r in re.findall(rb"[\x20-\x7e\t]{6,}", text)]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n\n")
        for l in regs.splitlines():
            if re.match(r"CPU#", l):
                f.write(l + "\n")
            m = re.match(r"RIP=([0-9a-f]+)", l)
            if m:
                fn = subprocess.run(["addr2line", "-f", "-e", vmlinux, m.group(1)],
                                    capture_output=True, text=True).stdout.split("\n")[0]
                f.write("  RIP %s %s%s\n" % (m.group(1), fn, " (halted)" if "HLT=1" in l else ""))
    try:
        cmd("quit")
    except OSError:
        pass
    if not closed(60):
        sys.exit("QEMU did not quit")


if __name__ == "__main__":
    main()
