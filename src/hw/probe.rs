// SPDX-License-Identifier: GPL-2.0

//! Probing the hardware, once, at `late_initcall` time (cacheinfo is not
//! ready when built-in code initialises): native RDT, else the emulation.
//! What it finds stays for the kernel's life.

use crate::{
    hw::{
        arch::Arch,
        emul,
        rdt::{self, Rdt},
        rdt_access::Native,
    },
    kapi::{cmdline, cpu, cpu::CpusReadGuard, global::Global},
    logic::cpumask::MAX_CPUS,
};
use kernel::prelude::*;

static ARCH: Global<Rdt> = Global::new();
static NATIVE: Native = Native;

/// The hardware layer, once probed.
pub(crate) fn arch() -> Option<&'static dyn Arch> {
    ARCH.get().map(|a| a as &dyn Arch)
}

/// Probes the hardware layer, at `late_initcall` time: native RDT if the
/// CPU has it, else the emulation. The boot parameter `resctrl_rs.emulate=`
/// `force` (or `1`) uses the emulation even on RDT hardware; `off` (or `0`)
/// never uses it.
pub(crate) fn probe() -> Result<&'static dyn Arch> {
    // CPU sets (groups' `cpus`, domains' CPUs) hold `MAX_CPUS` CPUs: on a
    // machine with more possible CPUs, refuse at once, saying so, rather
    // than leave the higher ones out of every group and domain.
    let possible = cpu::nr_cpu_ids();
    if possible as usize > MAX_CPUS {
        pr_err!(
            "CPU numbers up to {}, more than the {} resctrl-rs supports: not available\n",
            possible - 1,
            MAX_CPUS
        );
        return Err(E2BIG);
    }
    let cpus = CpusReadGuard::new();
    let mode = cmdline::param("resctrl_rs.emulate").unwrap_or("auto");
    let force = matches!(mode, "force" | "1" | "on");
    let never = matches!(mode, "off" | "0");
    let native = if force { None } else { rdt::probe(&NATIVE)? };
    let (rdt, what) = match native {
        Some(r) => (r, "RDT hardware"),
        None if never => {
            pr_info!("no RDT and emulation is off (resctrl_rs.emulate=off)\n");
            return Err(ENODEV);
        }
        None => {
            let model = emul::get_or_init(cpus.held())?;
            (rdt::probe(model)?.ok_or(ENODEV)?, "emulated RDT")
        }
    };
    pr_info!(
        "{}: L3 CAT {}, MBA {}, L3 monitoring {} ({} RMIDs)\n",
        what,
        rdt.l3.is_some(),
        rdt.mb.is_some(),
        rdt.mon.is_some(),
        rdt.mon.map_or(0, |m| m.num_rmid)
    );
    ARCH.set_pinned(KBox::pin(rdt, GFP_KERNEL)?)?;
    arch().ok_or(ENODEV)
}
