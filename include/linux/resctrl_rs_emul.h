/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated RDT part of resctrl-rs (resctrl_rs.emulate=, for machines
 * without RDT such as QEMU) as a device model that drivers' emulated
 * devices build on: the telemetry aggregators of resctrl_aet count from
 * the time the model charges to each RMID. The emulated Intel part has
 * them; the AMD part, as AMD's hardware, has none.
 */
#ifndef _LINUX_RESCTRL_RS_EMUL_H
#define _LINUX_RESCTRL_RS_EMUL_H

#include <linux/types.h>

/*
 * The nanoseconds the CPUs of package @pkg ran tasks with RMID @rmid while
 * resctrl's context-switch hook ran (from a mount until a second after the
 * unmount), into @ns: 0, -ENODEV without emulation or on the
 * AMD part, or -EINVAL for a package the part did not have at boot or an
 * RMID it does not have. It never goes back. With @ns NULL, only whether
 * the part has package @pkg (and RMID @rmid), charging nothing. Callable
 * in any context but NMI (interrupts off too); takes no lock.
 */
int resctrl_rs_emul_rmid_time(u32 pkg, u32 rmid, u64 *ns);

#endif /* _LINUX_RESCTRL_RS_EMUL_H */
