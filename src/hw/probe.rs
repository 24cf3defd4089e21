// SPDX-License-Identifier: GPL-2.0

//! Probing the hardware, once, at `late_initcall` time (cacheinfo is not
//! ready when built-in code initialises): native RDT, else the emulation.
//! What it finds stays for the kernel's life.

use crate::{
    hw::{
        arch::{Arch, Res},
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
/// CPU has it, else the emulation of an Intel part. The boot parameter
/// `resctrl_rs.emulate=` `intel` (or `force`, `on`, `1`) or `amd` uses the
/// emulation of that vendor's part even on RDT hardware; `off` (or `0`)
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
    let flavour = match mode {
        "amd" => Some(emul::Flavour::Amd),
        "intel" | "force" | "1" | "on" => Some(emul::Flavour::Intel),
        _ => None,
    };
    let never = matches!(mode, "off" | "0");
    let native = if flavour.is_some() {
        None
    } else {
        rdt::probe(&NATIVE)?
    };
    let mut model = None;
    let (rdt, what) = match native {
        Some(r) => (r, "RDT hardware"),
        None if never => {
            pr_info!("no RDT and emulation is off (resctrl_rs.emulate=off)\n");
            return Err(ENODEV);
        }
        None => {
            let m = emul::get_or_init(cpus.held(), flavour.unwrap_or(emul::Flavour::Intel))?;
            model = Some(m);
            (rdt::probe(m)?.ok_or(ENODEV)?, "emulated RDT")
        }
    };
    pr_info!(
        "{} ({:?}): L3 CAT {}, L2 CAT {}, MBA {}, SMBA {}, L3 monitoring {} ({} RMIDs)\n",
        what,
        rdt.vendor(),
        rdt.alloc(Res::L3).is_some(),
        rdt.alloc(Res::L2).is_some(),
        rdt.alloc(Res::Mb).is_some(),
        rdt.alloc(Res::Smba).is_some(),
        rdt.mon.is_some(),
        rdt.mon.map_or(0, |m| m.num_rmid)
    );
    ARCH.set_pinned(KBox::pin(rdt, GFP_KERNEL)?)?;
    if let Some(m) = model {
        m.publish_features(cpus.held());
    }
    arch().ok_or(ENODEV)
}
