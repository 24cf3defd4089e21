// SPDX-License-Identifier: GPL-2.0

//! CPU hotplug for the `resctrl` PMU: events bound to a CPU that goes
//! offline move to another online CPU of its domain and count on there, as
//! uncore PMUs' events do. The domain's last CPU takes none along: its
//! events keep their last count.
//!
//! A hotplug state of its own, set up after the domains' state, so that its
//! `offline` runs first: the CPU is still in the domain map then. It takes
//! perf's context mutexes and nothing of resctrl's.

use super::pmu;
use crate::{
    kapi::{cpu::CpusHeld, cpuhp},
    model::domain::cpu_map,
};
use kernel::prelude::*;

struct Hotplug;

impl cpuhp::Callbacks for Hotplug {
    fn online(_c: u32, _held: &CpusHeld) -> Result {
        // Events stay where they are; new ones open on the `cpumask` CPUs.
        Ok(())
    }

    fn offline(c: u32, _held: &CpusHeld) -> Result {
        if let Some(to) = cpu_map::sibling(c) {
            pmu::migrate(c, to);
        }
        Ok(())
    }
}

/// Sets up the PMU's hotplug state, once the PMU is registered.
pub(crate) fn init() -> Result {
    cpuhp::setup_dyn::<Hotplug>(kernel::c_str!("resctrl_rs/perf:online"))?;
    Ok(())
}
