// SPDX-License-Identifier: GPL-2.0

//! Counter assignment (upstream 6.18's `mbm_event` mode, AMD's ABMC): a
//! domain has fewer bandwidth counters than RMIDs, and software assigns
//! each to an RMID and a bandwidth event. [`CntrTable`] is a domain's
//! assignments (upstream's `cntr_cfg`), [`AssignConfig`] what holds for all
//! domains.
//!
//! Readers without resctrl's mutex (file reads under the domain's MBM lock,
//! perf under its sequence counter) look up an RMID's counter and the
//! domain's [`ReadMode`]; writers hold the mutex, and change what those
//! readers see only as the domain's MBM writer (see
//! [`super::MbmWriter`]), so a reader never pairs a counter with the
//! accounting of another.

use crate::hw::arch::Event;
use core::sync::atomic::{AtomicU32, AtomicU8, Ordering};
use kernel::prelude::*;

/// No counter, or no owner.
const NONE: u32 = u32::MAX;

/// How a domain's bandwidth events are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReadMode {
    /// Per RMID (the `default` mode).
    Rmid,
    /// Through the counter assigned to the RMID and event (`mbm_event`).
    Cntr,
    /// Neither: the mode is changing and the hardware clearing its
    /// counters, so there is nothing to read.
    Switching,
}

/// What counter assignment keeps for all domains, across mounts: upstream's
/// `mbm_assign_on_mkdir` and each event's `evt_cfg`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AssignConfig {
    /// Whether a new group gets counters for its events.
    pub(crate) on_mkdir: bool,
    /// The event bits each bandwidth event's counters count (total, local):
    /// `event_configs/<event>/event_filter`.
    pub(crate) filter: [u32; 2],
}

impl AssignConfig {
    /// The configuration of a part whose counters count the event bits
    /// `bits`, as upstream sets it at boot and at each change of mode: new
    /// groups get counters; the total event counts every kind of traffic,
    /// the local one the local kinds (local reads, non-temporal writes and
    /// slow-memory reads).
    pub(crate) const fn new(bits: u32) -> Self {
        Self {
            on_mkdir: true,
            filter: [bits, bits & 0x15],
        }
    }

    /// The event bits `evt` counts, `None` for an event that is not a
    /// bandwidth event.
    pub(crate) fn filter_of(&self, evt: Event) -> Option<u32> {
        Some(self.filter[evt.config_index()? as usize])
    }
}

/// A domain's counters: who each counts, and each RMID's.
pub(crate) struct CntrTable {
    mode: AtomicU8,
    /// Per counter, its RMID and event slot (`rmid << 1 | slot`), or
    /// [`NONE`].
    owner: KVec<AtomicU32>,
    /// Per RMID and event slot (total, local), its counter or [`NONE`].
    of: KVec<[AtomicU32; 2]>,
}

impl CntrTable {
    /// `n` counters, all free, for `num_rmid` RMIDs, read in `mode`.
    pub(crate) fn new(n: u32, num_rmid: u32, mode: ReadMode) -> Result<Self> {
        let mut owner = KVec::with_capacity(n as usize, GFP_KERNEL)?;
        for _ in 0..n {
            owner.push(AtomicU32::new(NONE), GFP_KERNEL)?;
        }
        let mut of = KVec::new();
        if n > 0 {
            of.reserve(num_rmid as usize, GFP_KERNEL)?;
            for _ in 0..num_rmid {
                of.push([const { AtomicU32::new(NONE) }; 2], GFP_KERNEL)?;
            }
        }
        let t = Self {
            mode: AtomicU8::new(0),
            owner,
            of,
        };
        t.set_mode(mode);
        Ok(t)
    }

    /// How the domain's bandwidth events are read now.
    pub(crate) fn mode(&self) -> ReadMode {
        match self.mode.load(Ordering::Relaxed) {
            0 => ReadMode::Rmid,
            1 => ReadMode::Cntr,
            _ => ReadMode::Switching,
        }
    }

    /// Sets it; for the domain's MBM writer.
    pub(super) fn set_mode(&self, mode: ReadMode) {
        let v = match mode {
            ReadMode::Rmid => 0,
            ReadMode::Cntr => 1,
            ReadMode::Switching => 2,
        };
        self.mode.store(v, Ordering::Relaxed);
    }

    /// How many counters the domain has.
    pub(crate) fn len(&self) -> u32 {
        self.owner.len() as u32
    }

    /// How many are free.
    pub(crate) fn available(&self) -> u32 {
        self.owner
            .iter()
            .filter(|o| o.load(Ordering::Relaxed) == NONE)
            .count() as u32
    }

    /// The counter of `rmid`'s event slot `slot`, if it has one.
    pub(crate) fn of(&self, rmid: u32, slot: usize) -> Option<u32> {
        let c = self
            .of
            .get(rmid as usize)?
            .get(slot)?
            .load(Ordering::Relaxed);
        (c != NONE).then_some(c)
    }

    /// A free counter, taken for `rmid`'s event slot `slot` (not yet
    /// visible to readers: see [`CntrTable::publish`]); `None` if all are
    /// taken. Under resctrl's mutex.
    pub(crate) fn alloc(&self, rmid: u32, slot: usize) -> Option<u32> {
        let tag = (rmid << 1) | slot as u32;
        let i = self
            .owner
            .iter()
            .position(|o| o.load(Ordering::Relaxed) == NONE)?;
        self.owner[i].store(tag, Ordering::Relaxed);
        Some(i as u32)
    }

    /// Counter `cntr` is free again. Under resctrl's mutex, once readers
    /// no longer see it ([`CntrTable::publish`] with `None`).
    pub(crate) fn free(&self, cntr: u32) {
        if let Some(o) = self.owner.get(cntr as usize) {
            o.store(NONE, Ordering::Relaxed);
        }
    }

    /// Readers find `cntr` (or none) as `rmid`'s event slot `slot`'s; for
    /// the domain's MBM writer.
    pub(super) fn publish(&self, rmid: u32, slot: usize, cntr: Option<u32>) {
        if let Some(a) = self.of.get(rmid as usize).and_then(|p| p.get(slot)) {
            a.store(cntr.unwrap_or(NONE), Ordering::Relaxed);
        }
    }

    /// Every assigned counter: its id, RMID and event slot.
    pub(crate) fn assigned(&self) -> impl Iterator<Item = (u32, u32, usize)> + '_ {
        self.owner.iter().enumerate().filter_map(|(i, o)| {
            let tag = o.load(Ordering::Relaxed);
            (tag != NONE).then_some((i as u32, tag >> 1, (tag & 1) as usize))
        })
    }

    /// Forgets every assignment; for the domain's MBM writer, when the
    /// hardware cleared them all.
    pub(super) fn clear(&self) {
        for o in self.owner.iter() {
            o.store(NONE, Ordering::Relaxed);
        }
        for a in self.of.iter().flat_map(|p| p.iter()) {
            a.store(NONE, Ordering::Relaxed);
        }
    }
}
