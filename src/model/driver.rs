// SPDX-License-Identifier: GPL-2.0

//! The registered drivers (seed 003): their descriptions, their slots and
//! registration numbers, and the online domains of their resources.
//!
//! A driver gets a slot, which names its file types in the file system
//! ([`crate::fs::driver_files`]), and a registration number that is never
//! reused: an open file remembers the number, so a file of a driver that
//! went never reaches a driver that came later in its slot.

use crate::{
    hw::arch::Res,
    kapi::{resctrl_driver::DriverDesc, vec::KVecExt},
    logic::cpumask::CpuSet,
};
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::prelude::*;

/// The most drivers registered at once.
pub(crate) const MAX_DRIVERS: usize = 8;

/// Per slot, the registration number of the driver holding it; 0 if free.
static SLOT_REG: [AtomicU64; MAX_DRIVERS] = [const { AtomicU64::new(0) }; MAX_DRIVERS];

/// A slot, held by one driver from registration until its files are gone;
/// freed when dropped.
pub(crate) struct SlotLease(usize);

impl SlotLease {
    /// Takes a free slot for registration number `reg`. Called under
    /// resctrl's mutex, which serialises takers.
    pub(crate) fn take(reg: u64) -> Option<Self> {
        let s = SLOT_REG
            .iter()
            .position(|r| r.load(Ordering::Acquire) == 0)?;
        SLOT_REG[s].store(reg, Ordering::Release);
        Some(Self(s))
    }

    /// The slot.
    pub(crate) fn slot(&self) -> usize {
        self.0
    }
}

impl Drop for SlotLease {
    fn drop(&mut self) {
        SLOT_REG[self.0].store(0, Ordering::Release);
    }
}

/// The registration number of the driver in `slot`, 0 if none, for
/// `open`.
pub(crate) fn reg_of(slot: usize) -> u64 {
    SLOT_REG.get(slot).map_or(0, |r| r.load(Ordering::Acquire))
}

/// An online domain of a driver's resource.
pub(crate) struct DrvDomain {
    /// Its id: the package's or the cache's.
    pub(crate) id: u32,
    /// Its online CPUs.
    pub(crate) cpus: CpuSet,
}

/// A registered driver.
pub(crate) struct DriverEntry {
    /// Its description and callbacks.
    pub(crate) desc: DriverDesc,
    /// Its slot of file types, held until its files are gone.
    pub(crate) lease: SlotLease,
    /// Its registration number.
    pub(crate) reg: u64,
    /// The core resource it conflicts with.
    pub(crate) conflict: Option<Res>,
    /// Its resource's online domains, by ascending id (none without a
    /// resource).
    pub(crate) doms: KVec<DrvDomain>,
}

impl DriverEntry {
    /// Its slot.
    pub(crate) fn slot(&self) -> usize {
        self.lease.slot()
    }
}

/// The registered drivers.
pub(crate) struct DriverList {
    entries: KVec<DriverEntry>,
    next_reg: u64,
}

impl DriverList {
    /// None.
    pub(crate) const fn new() -> Self {
        Self {
            entries: KVec::new(),
            next_reg: 1,
        }
    }

    /// Makes room for one more driver, so that [`DriverList::push`] cannot
    /// fail, and returns the next registration number, never used before.
    pub(crate) fn reserve(&mut self) -> Result<u64> {
        self.entries.reserve(1, GFP_KERNEL)?;
        let reg = self.next_reg;
        self.next_reg += 1;
        Ok(reg)
    }

    /// Lists `e`, last.
    pub(crate) fn push(&mut self, e: DriverEntry) -> Result {
        self.entries.push(e, GFP_KERNEL)?;
        Ok(())
    }

    /// Unlists the driver at `i` (in registration order).
    pub(crate) fn remove_at(&mut self, i: usize) -> DriverEntry {
        self.entries.remove_at(i)
    }

    /// The index of the first driver for which `f` holds.
    pub(crate) fn position(&self, f: impl FnMut(&DriverEntry) -> bool) -> Option<usize> {
        self.entries.iter().position(f)
    }

    /// The drivers, in registration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &DriverEntry> {
        self.entries.iter()
    }

    /// The drivers, in registration order.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut DriverEntry> {
        self.entries.iter_mut()
    }

    /// The driver in `slot` with registration number `reg`, if still there.
    pub(crate) fn find(&self, slot: usize, reg: u64) -> Option<&DriverEntry> {
        self.entries
            .iter()
            .find(|e| e.slot() == slot && e.reg == reg)
    }

    /// The RMIDs groups may take while these drivers are registered: below
    /// the smallest `num_rmids` of their resources (`u32::MAX` for no
    /// limit), as upstream limits groups by the smallest of its monitoring
    /// resources' counts.
    pub(crate) fn rmid_cap(&self) -> u32 {
        let caps = self.entries.iter().filter_map(|e| e.desc.num_rmids());
        caps.min().unwrap_or(u32::MAX)
    }

    /// Whether a registered driver conflicts with `res`.
    pub(crate) fn owns(&self, res: Res) -> bool {
        self.entries.iter().any(|e| e.conflict == Some(res))
    }
}
