// SPDX-License-Identifier: GPL-2.0

//! Counter assignment (upstream 6.18's `mbm_event` mode, AMD's ABMC):
//! assigning domains' counters to groups' RMIDs and bandwidth events and
//! freeing them, changing the mode, and changing what an event's counters
//! count. All under resctrl's mutex with CPU hotplug held off.
//!
//! The hardware is written on a CPU of the domain as the domain's MBM
//! writer: an assigned or unassigned counter starts over from zero, and the
//! RMID's accounting with it, in one write that lockless readers (perf) see
//! whole (see [`crate::model::domain::cntrs`]). A mode change first stops
//! readers, then turns the hardware's switch on every CPU (which clears
//! every counter), then starts every total over.

use crate::{
    hw::arch::{Arch, Event},
    kapi::cpu,
    model::{
        domain::{
            cntrs::{AssignConfig, ReadMode},
            DomainList, MbmWriter, OnlineDomain,
        },
        last_cmd::LastCmd,
    },
    mon::counters::mbm_slot,
};
use core::fmt::Write;
use kernel::prelude::*;

/// The bandwidth events, which counters count.
pub(crate) const MBM_EVENTS: [Event; 2] = [Event::MbmTotal, Event::MbmLocal];

/// Runs `f` as the MBM writer of the domain of `e`, on a CPU of it: `Err`
/// if it could not run, else what it returned.
fn on_domain(
    e: &OnlineDomain,
    f: impl FnOnce(&mut MbmWriter<'_>) -> Result + Send,
) -> Result<Result> {
    let c = e.cpu(Some(cpu::processor_id())).ok_or(ENODEV)?;
    let dom = &*e.dom;
    let mut f = Some(f);
    let mut r = Ok(());
    cpu::call_on_cpu(c, || {
        if let Some(f) = f.take() {
            r = dom.with_mbm(f);
        }
    })?;
    Ok(r)
}

/// Sets counter `cntr` of the domain of `e` to count `rmid`'s event `slot`
/// with the event bits `bits`, or (`None`) to stop: the hardware clears
/// it, its RMID's total starts over, and readers find it as the RMID's only
/// if it now counts. `Err` if nothing was done; else what the hardware
/// said.
fn program(
    arch: &dyn Arch,
    e: &OnlineDomain,
    cntr: u32,
    rmid: u32,
    slot: usize,
    bits: Option<u32>,
) -> Result<Result> {
    on_domain(e, |w| {
        let r = arch.config_cntr(cntr, rmid, bits);
        w.restart(rmid, slot);
        let found = bits.filter(|_| r.is_ok()).map(|_| cntr);
        w.publish_cntr(rmid, slot, found);
        r
    })
}

/// Assigns a free counter of the domain of `e` to `rmid`'s event `evt`,
/// counting the event bits `bits`, unless it has one; it counts from zero.
/// `ENOSPC` if every counter is taken.
pub(crate) fn assign(
    arch: &dyn Arch,
    e: &OnlineDomain,
    rmid: u32,
    evt: Event,
    bits: u32,
) -> Result {
    let slot = mbm_slot(evt).ok_or(EINVAL)?;
    let t = &e.dom.cntrs;
    if t.of(rmid, slot).is_some() {
        return Ok(());
    }
    let cntr = t.alloc(rmid, slot).ok_or(ENOSPC)?;
    program(arch, e, cntr, rmid, slot, Some(bits))
        .and_then(|hw| hw)
        .inspect_err(|_| t.free(cntr))
}

/// Frees the counter of `rmid`'s event `evt` in the domain of `e`, if it
/// has one.
pub(crate) fn unassign(arch: &dyn Arch, e: &OnlineDomain, rmid: u32, evt: Event) -> Result {
    let slot = mbm_slot(evt).ok_or(EINVAL)?;
    let t = &e.dom.cntrs;
    let Some(cntr) = t.of(rmid, slot) else {
        return Ok(());
    };
    // Free once readers no longer find it, so no two RMIDs share it.
    let hw = program(arch, e, cntr, rmid, slot, None)?;
    t.free(cntr);
    hw
}

/// Assigns counters to `rmid`'s event `evt` in the domain at `only`, or in
/// every domain, as upstream's `rdtgroup_assign_cntr_event()`: the first
/// domain without a free counter ends it, saying so in `log`, with the
/// event assigned in the domains before it.
pub(crate) fn assign_event(
    arch: &dyn Arch,
    doms: &DomainList,
    only: Option<usize>,
    rmid: u32,
    evt: Event,
    cfg: &AssignConfig,
    log: &mut LastCmd,
) -> Result {
    let bits = cfg.filter_of(evt).ok_or(EINVAL)?;
    for (_, e) in doms
        .iter()
        .enumerate()
        .filter(|(i, _)| only.map_or(true, |o| o == *i))
    {
        assign(arch, e, rmid, evt, bits).inspect_err(|&err| {
            if err == ENOSPC {
                let name = evt.name();
                let _ = writeln!(
                    log,
                    "Failed to allocate counter for {name} in domain {}",
                    e.dom.id
                );
            }
        })?;
    }
    Ok(())
}

/// Frees the counters of `rmid`'s event `evt` in the domain at `only`, or
/// in every domain.
pub(crate) fn unassign_event(
    arch: &dyn Arch,
    doms: &DomainList,
    only: Option<usize>,
    rmid: u32,
    evt: Event,
) -> Result {
    for (_, e) in doms
        .iter()
        .enumerate()
        .filter(|(i, _)| only.map_or(true, |o| o == *i))
    {
        unassign(arch, e, rmid, evt)?;
    }
    Ok(())
}

/// A new group's RMID `rmid` gets a counter for each bandwidth event in
/// every domain, with counter assignment on and `mbm_assign_on_mkdir`, as
/// upstream's `rdtgroup_assign_cntrs()`: as many as there are, saying in
/// `log` where there were none; the group is made either way.
pub(crate) fn assign_new(
    arch: &dyn Arch,
    doms: &DomainList,
    cfg: &AssignConfig,
    rmid: u32,
    log: &mut LastCmd,
) {
    let Some(mon) = arch.l3_mon() else {
        return;
    };
    if !arch.cntr_assign_enabled() || !cfg.on_mkdir {
        return;
    }
    for evt in MBM_EVENTS.into_iter().filter(|&e| mon.has(e)) {
        let _ = assign_event(arch, doms, None, rmid, evt, cfg, log);
    }
}

/// The counters of `rmids` (removed groups') are free again, in every
/// domain.
pub(crate) fn unassign_rmids(arch: &dyn Arch, doms: &DomainList, rmids: &[u32]) {
    if !arch.cntr_assign_enabled() {
        return;
    }
    for &rmid in rmids {
        for evt in MBM_EVENTS {
            if unassign_event(arch, doms, None, rmid, evt).is_err() {
                pr_warn!("freeing the counter of RMID {rmid} failed\n");
            }
        }
    }
}

/// Every counter of every domain is free again, as at unmount.
pub(crate) fn unassign_all(arch: &dyn Arch, doms: &DomainList) {
    for e in doms.iter() {
        for (cntr, rmid, slot) in e.dom.cntrs.assigned() {
            match program(arch, e, cntr, rmid, slot, None) {
                Ok(hw) => {
                    e.dom.cntrs.free(cntr);
                    if hw.is_err() {
                        pr_warn!("stopping counter {cntr} of domain {} failed\n", e.dom.id);
                    }
                }
                Err(_) => pr_warn!("freeing counter {cntr} of domain {} failed\n", e.dom.id),
            }
        }
    }
}

/// The counters of event `evt` count the event bits `bits` from now on:
/// each assigned one is set again, and starts over.
pub(crate) fn refilter(arch: &dyn Arch, doms: &DomainList, evt: Event, bits: u32) -> Result {
    let want = mbm_slot(evt).ok_or(EINVAL)?;
    for e in doms.iter() {
        for (cntr, rmid, slot) in e.dom.cntrs.assigned().filter(|&(_, _, s)| s == want) {
            program(arch, e, cntr, rmid, slot, Some(bits))??;
        }
    }
    Ok(())
}

/// Turns counter assignment on or off, as upstream's
/// `resctrl_arch_mbm_cntr_assign_set()`: every domain forgets its
/// assignments and every bandwidth total starts over, as the hardware
/// clears the counters; no group has a counter afterwards. Whatever fails,
/// every domain is read as the hardware layer's switch says at the end.
pub(crate) fn set_mode(arch: &dyn Arch, doms: &DomainList, on: bool) -> Result {
    // Readers stop reading first: the hardware clears counters under them.
    let mut r = doms.iter().try_for_each(|e| {
        on_domain(e, |w| {
            w.set_read_mode(ReadMode::Switching);
            Ok(())
        })?
    });
    if r.is_ok() {
        r = doms
            .iter()
            .try_for_each(|e| e.cpus.iter().try_for_each(|c| arch.set_cntr_assign(c, on)));
    }
    let mode = match arch.cntr_assign_enabled() {
        true => ReadMode::Cntr,
        false => ReadMode::Rmid,
    };
    for e in doms.iter() {
        let done = on_domain(e, |w| {
            w.restart_all();
            w.set_read_mode(mode);
            Ok(())
        });
        r = r.and(done.and_then(|d| d));
    }
    r
}
