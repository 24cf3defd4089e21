// SPDX-License-Identifier: GPL-2.0

//! The run time the model charges to each RMID, for emulated devices that
//! count per RMID, such as the telemetry aggregators `resctrl_aet` reads
//! (`Documentation/resctrl-rs-drivers.rst`): exported to
//! modules as `resctrl_rs_emul_rmid_time()`.
//!
//! A CPU's time is charged to the RMID loaded on it, in its domain, at each
//! context switch and at each read (see [`super`]) while the context-switch
//! hook runs (from a mount until a second after the unmount); the idle
//! task's is not. The total per RMID never goes back, as
//! a hardware counter that does not wrap. Only the Intel part has
//! telemetry, as only Intel's hardware does.

use super::{DomModel, Emul, Flavour, MODEL, READ_GRAIN_NS};
use crate::kapi::{cpu, resctrl_emul};
use core::sync::atomic::Ordering;
use kernel::prelude::*;

impl Emul {
    /// Charges the CPUs of domain `d` that run `rmid` (those charged less
    /// than [`READ_GRAIN_NS`] ago are left for later); returns whether any
    /// does.
    pub(super) fn charge_running(&self, d: &DomModel, rmid: usize, now: u64) -> bool {
        let mut running = false;
        for c in d.cpus.iter().filter_map(|&c| self.cpus.get(c as usize)) {
            if c.idle.load(Ordering::Relaxed) || c.rmid() != rmid {
                continue;
            }
            running = true;
            if now.wrapping_sub(c.last_ns.load(Ordering::Relaxed)) >= READ_GRAIN_NS {
                self.charge(c, d, now);
            }
        }
        running
    }

    /// The nanoseconds the CPUs of package `pkg` ran tasks with `rmid`, up
    /// to now (`charge`: what the CPUs running it ran since their last
    /// charge is charged first) or as last charged; `None` for a package
    /// the model does not have or an RMID out of range.
    fn rmid_time(&self, pkg: u32, rmid: u32, charge: bool) -> Option<u64> {
        let now = cpu::clock_ns();
        let mut total = None;
        for d in self.doms.iter().filter(|d| d.pkg == pkg) {
            if charge {
                self.charge_running(d, rmid as usize, now);
            }
            let ctr = d.counters.get(rmid as usize)?;
            let ns = ctr.run_ns.load(Ordering::Relaxed);
            total = Some(total.unwrap_or(0u64).saturating_add(ns));
        }
        total
    }
}

/// [`Emul::rmid_time`] of the model: `ENODEV` without one (no emulation)
/// or on the AMD part, `EINVAL` for a package or RMID it does not have.
fn rmid_time(pkg: u32, rmid: u32, charge: bool) -> Result<u64> {
    let m = MODEL.get().filter(|m| m.flavour == Flavour::Intel);
    m.ok_or(ENODEV)?.rmid_time(pkg, rmid, charge).ok_or(EINVAL)
}

static RMID_TIME: resctrl_emul::RmidTimeFn = rmid_time;

/// Exports the model's run times, once it is built.
pub(super) fn export() -> Result {
    resctrl_emul::set_rmid_time(&RMID_TIME)
}
