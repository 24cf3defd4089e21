// SPDX-License-Identifier: GPL-2.0

//! The MBA software controller (`-o mba_MBps`): upstream's `mbm_bw_count()`
//! and `update_mba_bw()`. Each pass of an L3 domain's overflow worker, once
//! a second, first samples the bandwidth each RMID in use moved since the
//! previous pass, then compares each CTRL_MON group's (its own and its MON
//! groups', of the event it chose in `mba_MBps_event`) with its limit there
//! and moves its MBA throttle in that domain one granule toward it (see
//! [`crate::logic::mba_sc::step`]). MBA and monitoring share the L3
//! domains here, as the controller needs.

use crate::{
    hw::arch::{Arch, Event, Res, SchemaId},
    kapi::cpu,
    logic::mba_sc::step,
    model::{
        domain::DomainList,
        group::{Groups, Kind},
    },
    mon::counters::mbm_slot,
};

/// The controller's pass in the domain at `i`, after the overflow worker
/// brought the totals of `rmids` up to date there.
pub(crate) fn pass(arch: &dyn Arch, doms: &mut DomainList, i: usize, fs: &Groups, rmids: &[u32]) {
    let (Some(mon), Some(mb)) = (arch.l3_mon(), arch.alloc(Res::Mb).and_then(|r| r.mb())) else {
        return;
    };
    let (min_bw, gran) = (mb.min_bw, mb.bw_gran);
    let e = doms.at_mut(i);
    e.mba_sc.start_pass(cpu::clock_ns());
    for &rmid in rmids {
        for evt in [Event::MbmTotal, Event::MbmLocal] {
            let Some(slot) = mbm_slot(evt).filter(|_| mon.has(evt)) else {
                continue;
            };
            if let Some((units, born)) = e.dom.mbm_total(rmid, slot) {
                let bytes = units.wrapping_mul(u64::from(mon.scale));
                e.mba_sc.sample(rmid, slot, bytes, born);
            }
        }
    }
    let mb = SchemaId::whole(Res::Mb);
    for g in fs.slots() {
        let (Kind::Ctrl { closid, .. }, Some(evt)) = (fs.at(g).kind, fs.at(g).mba_mbps_event)
        else {
            continue;
        };
        let Some(slot) = mbm_slot(evt) else {
            continue;
        };
        let e = doms.at(i);
        let cur_bw = fs
            .members(g)
            .map(|m| e.mba_sc.mbps(fs.at(m).rmid, slot))
            .fold(0u32, u32::saturating_add);
        let user_bw = e.mba_sc.mbps_val(closid);
        let cur = doms.ctrl(mb, i, closid);
        if let Some(new) = step(cur, cur_bw, user_bw, min_bw, gran) {
            // A failed write leaves the throttle as it was; the next pass
            // tries again.
            let _ = doms.set_ctrl(arch, mb, i, closid, new);
        }
    }
}
