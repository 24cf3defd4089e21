// SPDX-License-Identifier: GPL-2.0

//! RMID limbo. An RMID freed while its cache occupancy in some domain is
//! above `info/L3_MON/max_threshold_occupancy` could not give a new group a
//! clean count there, so it waits in limbo: each such domain marks it busy,
//! and the domain's limbo worker reads its occupancy every second until it
//! is under the threshold. Clean in every domain, it is free again. A
//! domain going offline forces its busy RMIDs clean, as upstream.
//!
//! The counting (how many domains still hold an RMID) is
//! [`crate::logic::ids::RmidAllocator`]'s; the bits per domain are in the
//! [`OnlineDomain`]s.

use crate::{
    hw::arch::{Arch, Event},
    kapi::vec::collect,
    model::{
        domain::{DomainList, OnlineDomain},
        group::Groups,
    },
    mon::counters,
};

/// The threshold in bytes: what was written to `max_threshold_occupancy`
/// (`written`), else upstream's default, the L3 size over the RMIDs; a whole
/// number of counter units either way.
pub(crate) fn threshold(written: Option<u32>, doms: &DomainList, arch: &dyn Arch) -> u32 {
    let Some(mon) = arch.l3_mon() else {
        return 0;
    };
    let t = written.unwrap_or_else(|| limit(doms) / mon.num_rmid.max(1));
    t / mon.scale.max(1) * mon.scale.max(1)
}

/// The largest threshold: the L3 size.
pub(crate) fn limit(doms: &DomainList) -> u32 {
    doms.iter().next().map_or(0, |e| e.dom.l3_size)
}

/// Frees the RMIDs `rmids` of removed groups: each waits in limbo in every
/// domain where its occupancy is above the threshold (`written`, see
/// [`threshold`]). The caller then starts the limbo worker of each domain
/// with RMIDs in limbo.
pub(crate) fn free(fs: &mut Groups, doms: &DomainList, written: Option<u32>, rmids: &[u32]) {
    let arch = fs.arch;
    let thr = threshold(written, doms, arch);
    for &rmid in rmids {
        let mut busy = 0;
        if arch.l3_mon().is_some_and(|m| m.has(Event::LlcOccupancy)) {
            for e in doms.iter() {
                let occ = counters::occupancy(arch, e, &[rmid]);
                // No value, or none to be had: nothing to wait for.
                if matches!(occ.as_deref(), Ok([Some(b)]) if *b > thr as u64) {
                    e.busy.insert(rmid);
                    busy += 1;
                }
            }
        }
        fs.free_rmid(rmid, busy);
    }
}

/// Checks the RMIDs in limbo in the domain at `i`: those under `thr` bytes
/// (all of them if `force`) are clean there.
pub(crate) fn check(
    mut fs: Option<&mut Groups>,
    doms: &DomainList,
    thr: u32,
    i: usize,
    force: bool,
) {
    let e: &OnlineDomain = doms.at(i);
    let Ok(rmids) = collect(e.busy.iter()) else {
        return;
    };
    let occ = match (&fs, force) {
        (Some(fs), false) => counters::occupancy(fs.arch, e, &rmids).ok(),
        _ => None,
    };
    for (k, &rmid) in rmids.iter().enumerate() {
        let clean = force
            || occ
                .as_ref()
                .and_then(|o| o[k])
                .is_some_and(|b| b <= thr as u64);
        if clean {
            e.busy.remove(rmid);
            if let Some(fs) = fs.as_deref_mut() {
                fs.limbo_clean(rmid);
            }
        }
    }
}
