// SPDX-License-Identifier: GPL-2.0

//! Reading monitoring counters of a domain.
//!
//! Everything here runs on a CPU of the domain with interrupts off (the
//! hardware counters are read through MSRs of that CPU). File reads and the
//! overflow worker update the domain's bandwidth accounting as its writers,
//! under the domain's IRQ-safe lock: the hardware read and the update of
//! the running total happen together, so they never interleave on a
//! counter. Perf ([`count_local`]) takes no lock and stores nothing in the
//! domain: it loads the running totals under their sequence counter and
//! adds what the hardware counted since. No mutex is taken and nothing
//! sleeps, so perf can call [`read_local`] and [`count_local`] from its
//! callbacks.

use crate::{
    hw::arch::{Arch, Event, L3Mon},
    kapi::cpu,
    logic::perf_count::{Baseline, EventCount, Now},
    model::domain::{cntrs::ReadMode, Domain, DomainList, MbmWriter, OnlineDomain},
};
use kernel::prelude::*;

/// What reading an event for a set of RMIDs gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The sum, in bytes.
    Bytes(u64),
    /// The hardware flagged an error (`Error` in the file).
    Error,
    /// The hardware had no value (`Unavailable` in the file).
    Unavailable,
    /// No counter is assigned to the event (`Unassigned` in the file).
    Unassigned,
}

impl core::fmt::Display for Reading {
    /// As an event file shows it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Reading::Bytes(b) => write!(f, "{b}"),
            Reading::Error => f.write_str("Error"),
            Reading::Unavailable => f.write_str("Unavailable"),
            Reading::Unassigned => f.write_str("Unassigned"),
        }
    }
}

/// Which accounting slot of an RMID an MBM event uses.
pub(crate) fn mbm_slot(evt: Event) -> Option<usize> {
    match evt {
        Event::LlcOccupancy => None,
        Event::MbmTotal => Some(0),
        Event::MbmLocal => Some(1),
    }
}

/// Reads the hardware counter of `evt` for `rmid` on this CPU, one of
/// `dom`'s, as the domain reads it: per RMID, or through the counter
/// assigned to the RMID and event (`ENOENT` if none is); `EAGAIN` while the
/// mode changes. Interrupts off; never sleeps.
///
/// As upstream, a per-RMID bandwidth counter found unavailable (on AMD,
/// taken by the hardware for another RMID) counts from 0 when it is back:
/// whoever reads it, perf included, marks it so ([`Domain::mark_rezero`]),
/// and what it counted before stays in the total.
pub(crate) fn raw_read(arch: &dyn Arch, dom: &Domain, rmid: u32, evt: Event) -> Result<u64> {
    let Some(slot) = mbm_slot(evt) else {
        return arch.rmid_read(rmid, evt);
    };
    match dom.cntrs.mode() {
        ReadMode::Rmid => arch.rmid_read(rmid, evt).inspect_err(|&e| {
            if e == EAGAIN {
                dom.mark_rezero(rmid, slot);
            }
        }),
        ReadMode::Cntr => arch.cntr_read(dom.cntrs.of(rmid, slot).ok_or(ENOENT)?),
        ReadMode::Switching => Err(EAGAIN),
    }
}

/// Reads `evt` for each of `rmids` on this CPU, which is one of `dom`'s,
/// with interrupts off, and sums them as upstream does for a CTRL_MON group:
/// RMIDs that fail are left out unless all fail, when the last failure
/// says what the file shows. Bandwidth events return the running totals,
/// updated; occupancy needs no lock.
pub(crate) fn read_local(
    arch: &dyn Arch,
    mon: &L3Mon,
    dom: &Domain,
    rmids: impl Iterator<Item = u32>,
    evt: Event,
) -> Reading {
    match mbm_slot(evt) {
        None => sum_reads(arch, dom, mon, rmids, evt, |_, raw| raw),
        Some(slot) => dom.with_mbm(|w: &mut MbmWriter<'_>| {
            sum_reads(arch, dom, mon, rmids, evt, |rmid, raw| {
                w.update(rmid, slot, raw, mon.width).unwrap_or(raw)
            })
        }),
    }
}

/// Sums `units` of each of `rmids`' reads of `evt`, as [`read_local`]
/// describes.
fn sum_reads(
    arch: &dyn Arch,
    dom: &Domain,
    mon: &L3Mon,
    rmids: impl Iterator<Item = u32>,
    evt: Event,
    mut units: impl FnMut(u32, u64) -> u64,
) -> Reading {
    let (mut sum, mut ok, mut err) = (0u64, false, None);
    for rmid in rmids {
        match raw_read(arch, dom, rmid, evt) {
            Ok(raw) => {
                sum = sum.wrapping_add(units(rmid, raw));
                ok = true;
            }
            Err(e) => err = Some(e),
        }
    }
    match (ok, err) {
        (false, Some(e)) if e == EAGAIN => Reading::Unavailable,
        (false, Some(e)) if e == ENOENT => Reading::Unassigned,
        (false, Some(_)) => Reading::Error,
        _ => Reading::Bytes(sum.wrapping_mul(mon.scale as u64)),
    }
}

/// A perf event's count of the bandwidth event `evt` of `rmids` (a group's,
/// now) in `dom`, read on this CPU, one of `dom`'s, with interrupts off:
/// takes the baseline when `start`, else returns the bytes counted since the
/// previous call (see [`crate::logic::perf_count`]). RMIDs whose read fails
/// count nothing then. No lock, no sleeping, and nothing stored in the
/// domain but an unavailable counter's mark ([`Domain::mark_rezero`]).
pub(crate) fn count_local(
    arch: &dyn Arch,
    mon: &L3Mon,
    dom: &Domain,
    rmids: impl Iterator<Item = u32>,
    evt: Event,
    count: &mut EventCount<KVec<Baseline>>,
    start: bool,
) -> u64 {
    let Some(slot) = mbm_slot(evt) else {
        return 0;
    };
    // The reset count before the RMIDs' states: an RMID reset since has a
    // later `born`, and counts as new.
    let resets = dom.mbm_resets();
    let now = rmids.filter_map(|rmid| {
        let read = || raw_read(arch, dom, rmid, evt).ok();
        let (total, born) = dom.peek_mbm(rmid, slot, mon.width, read)?;
        Some(Now { rmid, total, born })
    });
    if start {
        count.start(resets, now);
        0
    } else {
        count.delta(now).wrapping_mul(mon.scale as u64)
    }
}

/// Reads `evt` for `rmids` in the domain of `e`, from this CPU if it is one
/// of the domain's, else through an IPI. May sleep (waits for the IPI); hold
/// off CPU hotplug.
pub(crate) fn read(
    arch: &dyn Arch,
    e: &OnlineDomain,
    rmids: &[u32],
    evt: Event,
) -> Result<Reading> {
    let mon = arch.l3_mon().ok_or(ENODEV)?;
    let c = e.cpu(Some(cpu::processor_id())).ok_or(ENODEV)?;
    let mut r = Reading::Unavailable;
    let dom = &*e.dom;
    cpu::call_on_cpu(c, || {
        r = read_local(arch, mon, dom, rmids.iter().copied(), evt);
    })?;
    Ok(r)
}

/// Updates the running totals of every bandwidth event of `rmids` in the
/// domain of `e`: the overflow worker's pass, so that no counter wraps twice
/// between two reads. Hold off CPU hotplug.
pub(crate) fn update(arch: &dyn Arch, e: &OnlineDomain, rmids: &[u32]) -> Result {
    let mon = arch.l3_mon().ok_or(ENODEV)?;
    let c = e.cpu(Some(cpu::processor_id())).ok_or(ENODEV)?;
    let dom = &*e.dom;
    cpu::call_on_cpu(c, || {
        for evt in [Event::MbmTotal, Event::MbmLocal] {
            if mon.has(evt) {
                read_local(arch, mon, dom, rmids.iter().copied(), evt);
            }
        }
    })
}

/// Starts the bandwidth totals of `rmid` over from zero in the domain of
/// `e`, from what its counters hold now: a new group counts from its
/// creation. Hold off CPU hotplug.
pub(crate) fn reset(arch: &dyn Arch, e: &OnlineDomain, rmid: u32) -> Result {
    e.dom.with_mbm(|w: &mut MbmWriter<'_>| w.reset(rmid));
    update(arch, e, &[rmid])
}

/// Sets the event bits of bandwidth event `evt` (BMEC) in the domain of
/// `e`, on a CPU of it: the hardware clears every bandwidth counter of the
/// domain, and the totals start over from zero with them, in one write of
/// the domain's accounting, so no lockless reader (perf) sees the cleared
/// counters against the old totals. Hold off CPU hotplug.
pub(crate) fn set_evt_cfg(arch: &dyn Arch, e: &OnlineDomain, evt: Event, bits: u32) -> Result {
    let c = e.cpu(Some(cpu::processor_id())).ok_or(ENODEV)?;
    let dom = &*e.dom;
    let mut r = Ok(());
    cpu::call_on_cpu(c, || {
        r = dom.with_mbm(|w: &mut MbmWriter<'_>| {
            arch.set_evt_cfg(evt, bits)?;
            w.restart_all();
            Ok(())
        });
    })?;
    r
}

/// Starts the bandwidth totals of `rmid`, a new group's, over from zero in
/// every domain of `doms`. Hold off CPU hotplug.
pub(crate) fn reset_new(arch: &dyn Arch, doms: &DomainList, rmid: u32) -> Result {
    for e in doms.iter() {
        reset(arch, e, rmid)?;
    }
    Ok(())
}

/// The occupancy of each of `rmids` in the domain of `e`, in bytes; `None`
/// where the hardware gave no value. Hold off CPU hotplug.
pub(crate) fn occupancy(
    arch: &dyn Arch,
    e: &OnlineDomain,
    rmids: &[u32],
) -> Result<KVec<Option<u64>>> {
    let mon = arch.l3_mon().ok_or(ENODEV)?;
    let mut out = KVec::from_elem(None, rmids.len(), GFP_KERNEL)?;
    let c = e.cpu(Some(cpu::processor_id())).ok_or(ENODEV)?;
    cpu::call_on_cpu(c, || {
        for (o, &rmid) in out.iter_mut().zip(rmids) {
            *o = arch
                .rmid_read(rmid, Event::LlcOccupancy)
                .ok()
                .map(|raw| raw * mon.scale as u64);
        }
    })?;
    Ok(out)
}
