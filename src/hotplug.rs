// SPDX-License-Identifier: GPL-2.0

//! CPU hotplug: the first CPU of an L3 brings its domain online, the last
//! one takes it offline, whether or not resctrl is mounted; L2 domains
//! (L2 cache allocation) follow their CPUs the same way. While mounted,
//! an offline CPU also leaves its group and an online one joins the default
//! group, as upstream's `resctrl_offline_cpu()`/`resctrl_online_cpu()`; a
//! new domain gets `mon_data/mon_L3_<id>` in every group and an overflow
//! worker, an offline one loses both and its RMIDs in limbo are forced
//! clean.
//!
//! The callbacks run with the hotplug lock held for the operation and take
//! resctrl's mutex inside it, as every other path does. They remove
//! directories with both held: every file callback breaks its active
//! protection before taking them, so the removal never waits for one.

use crate::{
    driver,
    hw::{
        arch::{Arch, Res},
        probe,
    },
    kapi::{
        cpu::{self, CpusHeld},
        cpuhp, fault,
    },
    model::domain::cpu_map,
    mon::{
        limbo,
        workers::{self, Worker},
    },
    state::{self, Mount, ResctrlInner},
};
use kernel::prelude::*;

/// The callbacks of resctrl's hotplug state.
pub(crate) struct Hotplug;

impl cpuhp::Callbacks for Hotplug {
    fn online(c: u32, held: &CpusHeld) -> Result {
        let Some(arch) = probe::arch() else {
            return Ok(());
        };
        let mut st = state::lock_in_hotplug(held)?;
        // Runs on `c` itself: its hotplug thread is bound to it.
        cpu::call_on_cpu(c, || arch.cpu_online(c))?;
        let r = join(&mut st, arch, c, held);
        if r.is_err() {
            // The hotplug core does not call `offline` for a CPU whose
            // `online` failed: undo what was done, the domain included if
            // it was new, so a retry starts clean.
            leave(&mut st, arch, c);
        }
        r
    }

    fn offline(c: u32, held: &CpusHeld) -> Result {
        let Some(arch) = probe::arch() else {
            return Ok(());
        };
        let mut st = state::lock_in_hotplug(held)?;
        leave(&mut st, arch, c);
        Ok(())
    }
}

/// CPU `c`, online, joins its drivers' domains and its L3 domain, which
/// comes online (directories, overflow worker) if it is the first.
fn join(st: &mut ResctrlInner, arch: &'static dyn Arch, c: u32, held: &CpusHeld) -> Result {
    let ResctrlInner {
        doms,
        drivers,
        mount,
        ..
    } = st;
    let (groups, mut tree) = Mount::parts(mount);
    driver::domains::cpu_online(drivers, tree.as_deref_mut(), c, held);
    // As upstream, a CPU whose L2 domain cannot be set up still comes
    // online, without L2 allocation.
    if arch.alloc(Res::L2).is_some() {
        match held.cache_info(c, Res::L2.level()) {
            Some((id, size)) => {
                if let Err(e) = doms.l2_join(arch, id, size, c) {
                    pr_warn!("CPU {c}: L2 domain {id} not set up ({e:?}); left out of it\n");
                }
            }
            None => pr_warn!("CPU {c} has no L2 cache id; left out of L2 domains\n"),
        }
    }
    let Some((id, size)) = held.l3_info(c) else {
        pr_warn!("CPU {c} has no L3 cache id; left out of all domains\n");
        return Ok(());
    };
    let (i, new) = match doms.find(id) {
        Some(i) => {
            doms.at_mut(i).cpus.insert(c);
            (i, false)
        }
        None => {
            fault::domain_online_step()?;
            (doms.add(arch, id, size, c)?, true)
        }
    };
    cpu_map::set(c, Some(doms.at(i).dom.clone()));
    if let (Some(groups), Some(tree)) = (groups, tree) {
        groups.cpu_online(c);
        if new {
            if let Some(mon) = arch.l3_mon() {
                tree.domain_online(doms.ids()[i], mon)?;
            }
            workers::start(doms, i, Worker::Overflow);
        }
    }
    Ok(())
}

/// CPU `c` leaves its group, its drivers' domains and its L3 domain, which
/// goes offline if `c` was its last CPU. Undoes [`join`], or as much of it
/// as was done.
fn leave(st: &mut ResctrlInner, arch: &'static dyn Arch, c: u32) {
    let ResctrlInner {
        doms,
        threshold,
        drivers,
        mount,
        ..
    } = st;
    let (mut groups, mut tree) = Mount::parts(mount);
    if let Some(groups) = groups.as_deref_mut() {
        groups.cpu_offline(c);
    }
    driver::domains::cpu_offline(drivers, tree.as_deref_mut(), c);
    doms.l2_leave(c);
    cpu_map::set(c, None);
    let Some(i) = doms.of_cpu(c) else {
        return;
    };
    let e = doms.at_mut(i);
    e.cpus.remove(c);
    workers::cpu_offline(e, c);
    if !e.cpus.is_empty() {
        return;
    }
    // The domain's last CPU: it goes offline.
    let id = e.dom.id;
    let thr = limbo::threshold(*threshold, doms, arch);
    limbo::check(groups, doms, thr, i, true);
    let mut dirs = KVec::new();
    if let Some(tree) = tree {
        tree.domain_offline(id, &mut dirs);
    }
    drop(dirs);
    // The list's reference; queued workers still hold theirs.
    drop(doms.take(i));
}

/// Sets up the hotplug state: its online callback runs now for every online
/// CPU, building the domain list.
pub(crate) fn init() -> Result {
    cpu_map::init()?;
    cpuhp::setup_dyn::<Hotplug>(kernel::c_str!("resctrl_rs:online"))?;
    Ok(())
}
