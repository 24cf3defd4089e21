// SPDX-License-Identifier: GPL-2.0

//! Reading monitoring counters of a domain.
//!
//! Everything here runs on a CPU of the domain with interrupts off (the
//! hardware counters are read through MSRs of that CPU), and updates the
//! domain's bandwidth accounting under the domain's own IRQ-safe lock: the
//! hardware read and the update of the running total happen together, so
//! file readers, the overflow worker and perf never interleave on a
//! counter. No mutex is taken and nothing sleeps, so perf can call
//! [`read_local`] from its `read` callback.

use crate::{
    domain::{DomEntry, Domain, MbmTable},
    hw::arch::{Arch, Event, L3Mon},
    kapi::cpu,
    logic::perf_count::{Baseline, EventCount, Now},
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
}

/// Which accounting slot of an RMID an MBM event uses.
fn mbm_slot(evt: Event) -> Option<usize> {
    match evt {
        Event::LlcOccupancy => None,
        Event::MbmTotal => Some(0),
        Event::MbmLocal => Some(1),
    }
}

/// Reads `evt` for each of `rmids` on this CPU, which is one of `dom`'s,
/// with interrupts off, and sums them as upstream does for a CTRL_MON group:
/// RMIDs that fail are left out unless all fail. Bandwidth events return the
/// running totals, updated.
pub(crate) fn read_local(
    arch: &dyn Arch,
    mon: &L3Mon,
    dom: &Domain,
    rmids: impl Iterator<Item = u32>,
    evt: Event,
) -> Reading {
    let slot = mbm_slot(evt);
    let (mut sum, mut ok, mut err) = (0u64, false, None);
    dom.with_mbm(|table| {
        for rmid in rmids {
            match arch.rmid_read(rmid, evt) {
                Ok(raw) => {
                    let units = match (slot, table.rmids.get_mut(rmid as usize)) {
                        (Some(s), Some(st)) => st[s].update(raw, mon.width),
                        _ => raw,
                    };
                    sum = sum.wrapping_add(units);
                    ok = true;
                }
                Err(e) => err = Some(e),
            }
        }
    });
    match (ok, err) {
        (false, Some(e)) if e == EAGAIN => Reading::Unavailable,
        (false, Some(_)) => Reading::Error,
        _ => Reading::Bytes(sum.wrapping_mul(mon.scale as u64)),
    }
}

/// A perf event's count of the bandwidth event `evt` of `rmids` (a group's,
/// now) in `dom`, read on this CPU, one of `dom`'s, with interrupts off:
/// takes the baseline when `start`, else returns the bytes counted since the
/// previous call (see [`crate::logic::perf_count`]). RMIDs that fail are
/// left out. No mutex, no sleeping.
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
    dom.with_mbm(|t| {
        let resets = t.resets;
        let now = rmids.filter_map(|rmid| {
            let raw = arch.rmid_read(rmid, evt).ok()?;
            let st = &mut t.rmids.get_mut(rmid as usize)?[slot];
            let total = st.update(raw, mon.width);
            Some(Now {
                rmid,
                total,
                born: st.born(),
            })
        });
        if start {
            count.start(resets, now);
            0
        } else {
            count.delta(now).wrapping_mul(mon.scale as u64)
        }
    })
}

/// Reads `evt` for `rmids` in the domain of `e`, from this CPU if it is one
/// of the domain's, else through an IPI. May sleep (waits for the IPI); hold
/// off CPU hotplug.
pub(crate) fn read(arch: &dyn Arch, e: &DomEntry, rmids: &[u32], evt: Event) -> Result<Reading> {
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
pub(crate) fn update(arch: &dyn Arch, e: &DomEntry, rmids: &[u32]) -> Result {
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
pub(crate) fn reset(arch: &dyn Arch, e: &DomEntry, rmid: u32) -> Result {
    e.dom.with_mbm(|t: &mut MbmTable| {
        t.resets += 1;
        let born = t.resets;
        if let Some(st) = t.rmids.get_mut(rmid as usize) {
            st.iter_mut().for_each(|s| s.reset_at(born));
        }
    });
    update(arch, e, &[rmid])
}

/// The occupancy of each of `rmids` in the domain of `e`, in bytes; `None`
/// where the hardware gave no value. Hold off CPU hotplug.
pub(crate) fn occupancy(arch: &dyn Arch, e: &DomEntry, rmids: &[u32]) -> Result<KVec<Option<u64>>> {
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
