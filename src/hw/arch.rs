// SPDX-License-Identifier: GPL-2.0

//! What the file system may ask of the hardware, as `resctrl_arch_*()` is
//! upstream: the resources and their properties, writing control values on
//! a CPU of a domain, loading a task's IDs at context switch and reading
//! monitoring counters on the current CPU. The domains themselves are
//! [`crate::model::domain`]'s. [`crate::hw::rdt`] implements it for x86 RDT, real or
//! emulated.

use crate::logic::ctrlval::{CacheProps, MbProps};
use kernel::prelude::*;

/// A resource that controls allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    /// L3 cache allocation (CAT).
    L3,
    /// Memory bandwidth allocation (MBA).
    Mb,
}

/// Cache allocation of a cache level.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CacheAlloc {
    /// The masks it takes.
    pub(crate) props: CacheProps,
    /// CLOSIDs it has.
    pub(crate) num_closid: u32,
}

/// Memory bandwidth allocation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MbAlloc {
    /// The values it takes.
    pub(crate) props: MbProps,
    /// CLOSIDs it has.
    pub(crate) num_closid: u32,
}

/// A monitoring event of the L3 domain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    /// Bytes of L3 the RMID occupies.
    LlcOccupancy,
    /// Bytes of memory traffic, all of it.
    MbmTotal,
    /// Bytes of memory traffic to the local NUMA node.
    MbmLocal,
}

impl Event {
    /// All events, in upstream's order.
    pub(crate) const ALL: [Event; 3] = [Event::LlcOccupancy, Event::MbmTotal, Event::MbmLocal];

    /// Its name in `mon_features` and `mon_data/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Event::LlcOccupancy => "llc_occupancy",
            Event::MbmTotal => "mbm_total_bytes",
            Event::MbmLocal => "mbm_local_bytes",
        }
    }
}

/// L3 monitoring.
#[derive(Clone, Copy, Debug)]
pub(crate) struct L3Mon {
    /// RMIDs it has.
    pub(crate) num_rmid: u32,
    /// Which of [`Event::ALL`] it counts.
    pub(crate) events: [bool; 3],
    /// Bytes per counter unit.
    pub(crate) scale: u32,
    /// Counter width in bits.
    pub(crate) width: u32,
}

impl L3Mon {
    /// Whether it counts `evt`.
    pub(crate) fn has(&self, evt: Event) -> bool {
        Event::ALL
            .iter()
            .zip(self.events)
            .any(|(&e, on)| e == evt && on)
    }
}

/// What resctrl needs of the hardware.
pub(crate) trait Arch: Sync {
    /// L3 cache allocation, if the hardware has it.
    fn l3_alloc(&self) -> Option<&CacheAlloc>;
    /// Memory bandwidth allocation, if the hardware has it.
    fn mb_alloc(&self) -> Option<&MbAlloc>;
    /// L3 monitoring, if the hardware has it.
    fn l3_mon(&self) -> Option<&L3Mon>;

    /// Sets the control value of `closid` for `res` in the domain of `cpu`,
    /// on `cpu`: a mask for [`Res::L3`], a bandwidth percentage for
    /// [`Res::Mb`]. May sleep; hold off CPU hotplug.
    fn write_ctrl(&self, cpu: u32, res: Res, closid: u32, val: u32) -> Result;
    /// The value every CLOSID has after a reset: all of the cache, all of
    /// the bandwidth.
    fn default_ctrl(&self, res: Res) -> u32;

    /// Sets the IDs tasks without their own get on `cpu`. Takes effect at
    /// the next context switch there, or when the task running there is
    /// switched in again ([`crate::kapi::sched::resched_current`]).
    fn set_cpu_defaults(&self, cpu: u32, closid: u32, rmid: u32);
    /// Loads the IDs of the next task on this CPU: its own, or the CPU's
    /// defaults for those that are 0. Context-switch path: interrupts off.
    fn sched_in(&self, closid: u32, rmid: u32, next_is_idle: bool);
    /// Called on mount, before the context-switch hook is turned on.
    fn start(&self);
    /// Called on `cpu` as it comes online, interrupts off: it forgets what
    /// it had loaded and loads the default IDs, 0 and 0.
    fn cpu_online(&self, cpu: u32);

    /// Reads the counter of `evt` for `rmid` in the domain of this CPU: the
    /// raw value in counter units ([`L3Mon::scale`] bytes each), masked to
    /// [`L3Mon::width`] bits. `EIO` if the hardware flags an error, `EAGAIN`
    /// if no value is available. Interrupts off; never sleeps.
    fn rmid_read(&self, rmid: u32, evt: Event) -> Result<u64>;
}
