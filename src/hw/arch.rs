// SPDX-License-Identifier: GPL-2.0

//! What the file system may ask of the hardware, as `resctrl_arch_*()` is
//! upstream: the resources and their properties, writing control values on
//! a CPU of a domain, loading a task's IDs at context switch and reading
//! monitoring counters on the current CPU. The domains themselves are
//! [`crate::model::domain`]'s. [`crate::hw::rdt`] implements it for x86 RDT, real or
//! emulated.

use crate::logic::{
    ctrlval::{CacheProps, MbProps},
    schemata::Ctrl,
};
use kernel::prelude::*;

/// A resource that controls allocation, in upstream's order
/// (`enum resctrl_res_level`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Res {
    /// L3 cache allocation (CAT).
    L3,
    /// L2 cache allocation (L2 CAT), per L2 cache.
    L2,
    /// Memory bandwidth allocation (MBA).
    Mb,
    /// Slow-memory bandwidth allocation (AMD's SMBA).
    Smba,
}

/// How many [`Res`] there are: the size of per-resource arrays.
pub(crate) const NUM_RES: usize = 4;

impl Res {
    /// Every resource, in upstream's order.
    pub(crate) const ALL: [Res; NUM_RES] = [Res::L3, Res::L2, Res::Mb, Res::Smba];

    /// Its name in `schemata` and `info/`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Res::L3 => "L3",
            Res::L2 => "L2",
            Res::Mb => "MB",
            Res::Smba => "SMBA",
        }
    }

    /// Its index in per-resource arrays.
    pub(crate) fn index(self) -> usize {
        match self {
            Res::L3 => 0,
            Res::L2 => 1,
            Res::Mb => 2,
            Res::Smba => 3,
        }
    }

    /// The cache level whose instances are its domains: L2 for
    /// [`Res::L2`], L3 (and its domain list) for the rest.
    pub(crate) fn level(self) -> u32 {
        match self {
            Res::L2 => 2,
            _ => 3,
        }
    }
}

/// Which of a resource's values a schema holds: upstream's
/// `enum resctrl_conf_type`. Code and data are the halves of a cache with
/// code and data prioritisation (CDP) on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfType {
    /// The resource's one value (no CDP).
    Both,
    /// The mask for instruction fetches.
    Code,
    /// The mask for data accesses.
    Data,
}

/// A line of `schemata` and a directory of `info/`: a resource, or with CDP
/// its code or data half.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SchemaId {
    /// The resource.
    pub(crate) res: Res,
    /// Which of its values.
    pub(crate) ty: ConfType,
}

impl SchemaId {
    /// The whole of `res`.
    pub(crate) const fn whole(res: Res) -> Self {
        Self {
            res,
            ty: ConfType::Both,
        }
    }

    /// Its name: the resource's, with `CODE` or `DATA` for a CDP half.
    pub(crate) fn name(self) -> &'static str {
        match (self.res, self.ty) {
            (Res::L3, ConfType::Code) => "L3CODE",
            (Res::L3, ConfType::Data) => "L3DATA",
            (Res::L2, ConfType::Code) => "L2CODE",
            (Res::L2, ConfType::Data) => "L2DATA",
            (r, _) => r.name(),
        }
    }

    /// The index of `closid`'s value among the resource's MSRs: with CDP,
    /// data at `2n` and code at `2n + 1` (upstream's `get_config_index()`).
    pub(crate) fn hw_index(self, closid: u32) -> u32 {
        match self.ty {
            ConfType::Both => closid,
            ConfType::Data => closid * 2,
            ConfType::Code => closid * 2 + 1,
        }
    }

    /// The other half of a CDP resource.
    pub(crate) fn peer(self) -> Option<Self> {
        let ty = match self.ty {
            ConfType::Both => return None,
            ConfType::Code => ConfType::Data,
            ConfType::Data => ConfType::Code,
        };
        Some(Self { res: self.res, ty })
    }
}

/// The CPU vendor, whose flavour of RDT the hardware has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Vendor {
    /// Intel RDT.
    Intel,
    /// AMD PQoS (AMD and Hygon).
    Amd,
}

/// An allocation resource the hardware has.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AllocRes {
    /// The values it takes: cache masks or bandwidth values.
    pub(crate) ctrl: Ctrl,
    /// CLOSIDs it has.
    pub(crate) num_closid: u32,
    /// `info/MB/thread_throttle_mode` (Intel MBA): `max` or `per-thread`;
    /// `None` where the file is absent.
    pub(crate) throttle_mode: Option<&'static str>,
    /// Whether code and data prioritisation can be turned on (a cache).
    pub(crate) cdp_capable: bool,
    /// Whether I/O devices' cache injection can be limited to a mask of
    /// it (io_alloc; AMD's SDCIAE, L3).
    pub(crate) io_alloc_capable: bool,
}

impl AllocRes {
    /// The cache masks it takes, if a cache resource.
    pub(crate) fn cache(&self) -> Option<&CacheProps> {
        match &self.ctrl {
            Ctrl::Cache(c) => Some(c),
            Ctrl::Mb(_) => None,
        }
    }

    /// The bandwidth values it takes, if a bandwidth resource.
    pub(crate) fn mb(&self) -> Option<&MbProps> {
        match &self.ctrl {
            Ctrl::Mb(m) => Some(m),
            Ctrl::Cache(_) => None,
        }
    }

    /// The value every CLOSID has after a reset: all of the cache, all of
    /// the bandwidth.
    pub(crate) fn default_ctrl(&self) -> u32 {
        match &self.ctrl {
            Ctrl::Cache(c) => c.full_mask(),
            Ctrl::Mb(m) => m.max_bw,
        }
    }
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

    /// The index of its configuration MSR (AMD's BMEC): bandwidth events
    /// only.
    pub(crate) fn config_index(self) -> Option<u32> {
        match self {
            Event::LlcOccupancy => None,
            Event::MbmTotal => Some(0),
            Event::MbmLocal => Some(1),
        }
    }

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
    /// With bandwidth event configuration (AMD's BMEC), the event bits
    /// the hardware can count.
    pub(crate) bmec: Option<u32>,
    /// With assignable bandwidth counters (AMD's ABMC), what they are.
    pub(crate) cntrs: Option<AssignableCntrs>,
}

/// Assignable bandwidth counters (AMD's ABMC): each domain has a few, which
/// software assigns to an RMID and bandwidth event each.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AssignableCntrs {
    /// How many each domain has.
    pub(crate) num: u32,
    /// The event bits they can count (as BMEC's).
    pub(crate) evt_bits: u32,
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
    /// The vendor whose flavour of RDT it is.
    fn vendor(&self) -> Vendor;
    /// Allocation resource `res`, if the hardware has it.
    fn alloc(&self, res: Res) -> Option<&AllocRes>;
    /// L3 monitoring, if the hardware has it.
    fn l3_mon(&self) -> Option<&L3Mon>;

    /// Sets the control value at `index` ([`SchemaId::hw_index`]) of `res`
    /// in the domain of `cpu`, on `cpu`: a mask for a cache, a bandwidth
    /// value (as `schemata` shows it) for [`Res::Mb`] and [`Res::Smba`].
    /// May sleep; hold off CPU hotplug.
    fn write_ctrl(&self, cpu: u32, res: Res, index: u32, val: u32) -> Result;
    /// Turns code and data prioritisation of cache `res` on or off on `cpu`
    /// (on `cpu`), and for CPUs that come online from now on. May sleep;
    /// hold off CPU hotplug.
    fn set_cdp(&self, cpu: u32, res: Res, on: bool) -> Result;
    /// Whether the CDP switch is per CPU (AMD), so every CPU needs
    /// [`Arch::set_cdp`], rather than per domain (Intel), so one CPU of each
    /// does.
    fn cdp_per_cpu(&self) -> bool;

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
    /// it had loaded and loads the default IDs, 0 and 0, and sets its caches'
    /// CDP switches as [`Arch::set_cdp`] last set them.
    fn cpu_online(&self, cpu: u32);

    /// The event bits bandwidth event `evt` counts in the domain of `cpu`
    /// (BMEC), read on `cpu`. May sleep; hold off CPU hotplug.
    fn evt_cfg(&self, cpu: u32, evt: Event) -> Result<u32>;
    /// Sets them in the domain of this CPU: the hardware then clears every
    /// bandwidth counter of the domain, and the next read of each is
    /// unavailable. Interrupts off; never sleeps.
    fn set_evt_cfg(&self, evt: Event, bits: u32) -> Result;

    /// Turns counter assignment (AMD's ABMC) on or off on `cpu` (on `cpu`),
    /// and for CPUs that come online from now on. The first CPU of a domain
    /// to change clears every bandwidth counter of the domain, assignable or
    /// not, and their assignments. May sleep; hold off CPU hotplug.
    fn set_cntr_assign(&self, cpu: u32, on: bool) -> Result;
    /// Whether counter assignment is on, as last set: on from the start
    /// where the hardware has it, as upstream.
    fn cntr_assign_enabled(&self) -> bool;
    /// Turns io_alloc (AMD's SDCIAE: I/O devices' L3 cache injection
    /// limited to the mask of the highest CLOSID) on or off on `cpu` (on
    /// `cpu`), and for CPUs that come online from now on. May sleep; hold
    /// off CPU hotplug.
    fn set_io_alloc(&self, cpu: u32, on: bool) -> Result;
    /// Sets assignable counter `cntr` of this CPU's domain to count the
    /// event bits `bits` of `rmid`, or (`None`) to stop; either clears the
    /// counter. Interrupts off; never sleeps.
    fn config_cntr(&self, cntr: u32, rmid: u32, bits: Option<u32>) -> Result;
    /// Reads assignable counter `cntr` of this CPU's domain, as
    /// [`Arch::rmid_read`] reads an RMID's. Interrupts off; never sleeps.
    fn cntr_read(&self, cntr: u32) -> Result<u64>;

    /// Reads the counter of `evt` for `rmid` in the domain of this CPU: the
    /// raw value in counter units ([`L3Mon::scale`] bytes each), masked to
    /// [`L3Mon::width`] bits. `EIO` if the hardware flags an error, `EAGAIN`
    /// if no value is available. Interrupts off; never sleeps.
    fn rmid_read(&self, rmid: u32, evt: Event) -> Result<u64>;
}
