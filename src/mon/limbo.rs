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
//! [`DomEntry`]s.

use crate::{
    domain::{DomEntry, DomainList},
    fs::group::{collect, FsState},
    hw::arch::{Arch, Event},
    mon::{
        counters,
        workers::{self, Worker},
    },
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

/// Frees `rmid` of a removed group: it waits in limbo in every domain where
/// its occupancy is above `thr` bytes.
pub(crate) fn free(fs: &mut FsState, doms: &mut DomainList, thr: u32, rmid: u32) {
    let arch = fs.arch;
    let mut busy = 0;
    if arch.l3_mon().is_some_and(|m| m.has(Event::LlcOccupancy)) {
        for i in 0..doms.len() {
            let occ = counters::occupancy(arch, doms.at(i), &[rmid]);
            // No value, or none to be had: nothing to wait for.
            let dirty = matches!(occ.as_deref(), Ok([Some(b)]) if *b > thr as u64);
            if dirty {
                let e = doms.at(i);
                let first = e.busy.is_empty();
                e.busy.insert(rmid);
                busy += 1;
                if first {
                    workers::start(doms, i, Worker::Limbo);
                }
            }
        }
    }
    fs.free_rmid(rmid, busy);
}

/// Checks the RMIDs in limbo in the domain at `i`: those under `thr` bytes
/// (all of them if `force`) are clean there.
pub(crate) fn check(
    mut fs: Option<&mut FsState>,
    doms: &DomainList,
    thr: u32,
    i: usize,
    force: bool,
) {
    let e: &DomEntry = doms.at(i);
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
