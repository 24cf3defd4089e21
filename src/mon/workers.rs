// SPDX-License-Identifier: GPL-2.0

//! The workers of an L3 domain, while resctrl is mounted: the MBM overflow
//! worker reads every group's bandwidth counters once a second, so no
//! counter wraps twice between two reads; the limbo worker checks the
//! domain's RMIDs in limbo once a second while there are any.
//!
//! Seed 002: a queued worker holds a reference to its domain. Nothing ever
//! cancels one. When the CPU it is queued on goes offline, its target is
//! marked [`Target::Invalid`] (the workqueue core still runs it, elsewhere);
//! when it runs it only re-targets to a CPU of the domain. A worker whose
//! domain went offline, or that finds resctrl unmounted or (limbo) nothing
//! left to do, drops its reference instead of queueing itself again.

use crate::{
    hw::probe,
    kapi::{
        cpu,
        kref::Kref,
        workqueue::{impl_has_delayed_work, DelayedWork, DelayedWorkItem},
    },
    model::domain::{Domain, DomainList, OnlineDomain, Target},
    mon::{counters, limbo, mba_sc},
    state::{self, ResctrlInner},
};

/// How often the workers run, as upstream (`MBM_OVERFLOW_INTERVAL`,
/// `CQM_LIMBOCHECK_INTERVAL`).
pub(crate) const INTERVAL_MS: u32 = 1000;

/// One of a domain's workers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Worker {
    /// The MBM overflow worker.
    Overflow,
    /// The limbo worker.
    Limbo,
}

impl DelayedWorkItem<0> for Domain {
    fn run(this: Kref<Self>) {
        run(this, Worker::Overflow);
    }
}

impl DelayedWorkItem<1> for Domain {
    fn run(this: Kref<Self>) {
        run(this, Worker::Limbo);
    }
}

impl_has_delayed_work!(Domain, 0, overflow_work);
impl_has_delayed_work!(Domain, 1, limbo_work);

fn target(e: &mut OnlineDomain, w: Worker) -> &mut Target {
    match w {
        Worker::Overflow => &mut e.overflow,
        Worker::Limbo => &mut e.limbo,
    }
}

/// Queues worker `w` on a CPU of `dom`, giving it `dom`; the reference comes
/// back if the worker is queued already.
fn queue(dom: Kref<Domain>, cpu: u32, w: Worker) -> Result<(), Kref<Domain>> {
    match w {
        Worker::Overflow => DelayedWork::<Domain, 0>::schedule_on(dom, cpu, INTERVAL_MS),
        Worker::Limbo => DelayedWork::<Domain, 1>::schedule_on(dom, cpu, INTERVAL_MS),
    }
}

/// Queues worker `w` of the domain at `i`, with a reference of its own,
/// unless it is queued already. Under resctrl's mutex and the hotplug lock.
pub(crate) fn start(doms: &mut DomainList, i: usize, w: Worker) {
    let e = doms.at_mut(i);
    let dom = e.dom.clone();
    requeue(e, dom, w);
}

/// Queues `dom`, the domain of `e`, on the first CPU of the domain.
fn requeue(e: &mut OnlineDomain, dom: Kref<Domain>, w: Worker) {
    let Some(cpu) = e.cpu(None) else {
        *target(e, w) = Target::Idle;
        return;
    };
    // Already queued: the queued one goes on; our reference is dropped.
    if queue(dom, cpu, w).is_ok() {
        *target(e, w) = Target::Cpu(cpu);
    }
}

/// Queues the limbo worker of every domain with RMIDs in limbo whose
/// worker is idle: RMIDs just freed into limbo ([`limbo::free`]) start it
/// where it was not running. One that is queued or running goes on, and
/// finds them when it runs. Under resctrl's mutex and the hotplug lock.
pub(crate) fn start_limbo(doms: &mut DomainList) {
    for i in 0..doms.len() {
        let e = doms.at(i);
        if !e.busy.is_empty() && e.limbo == Target::Idle {
            start(doms, i, Worker::Limbo);
        }
    }
}

/// `cpu` is going offline: the workers queued on it are re-targeted when
/// they run.
pub(crate) fn cpu_offline(e: &mut OnlineDomain, cpu: u32) {
    for w in [Worker::Overflow, Worker::Limbo] {
        if *target(e, w) == Target::Cpu(cpu) {
            *target(e, w) = Target::Invalid;
        }
    }
}

fn run(this: Kref<Domain>, w: Worker) {
    let Some(arch) = probe::arch() else {
        return;
    };
    // Offline for good: no need for the lock to know it.
    if !this.is_online() {
        return;
    }
    let Ok(mut st) = state::lock() else {
        return;
    };
    let ResctrlInner {
        doms,
        mount,
        threshold,
        ..
    } = &mut *st;
    // Offline: the list no longer has it. Drop the reference.
    let Some(i) = doms.index_of(&this) else {
        return;
    };
    let Some(fs) = mount.as_mut().map(|m| &mut *m.groups) else {
        *target(doms.at_mut(i), w) = Target::Idle;
        return;
    };
    // An invalid target only moves the worker.
    let valid = matches!(*target(doms.at_mut(i), w), Target::Cpu(_));
    match w {
        Worker::Overflow => {
            if valid {
                let start = cpu::clock_ns();
                if let Ok(rmids) = fs.rmids_in_use() {
                    let updated = counters::update(arch, doms.at(i), &rmids);
                    if updated.is_ok() && fs.mba_sc() {
                        mba_sc::pass(arch, doms, i, fs, &rmids);
                    }
                }
                doms.at_mut(i).overflow_pass_ns = cpu::clock_ns().saturating_sub(start);
            }
        }
        Worker::Limbo => {
            if valid {
                let thr = limbo::threshold(*threshold, doms, arch);
                limbo::check(Some(fs), doms, thr, i, false);
            }
            if doms.at(i).busy.is_empty() {
                *target(doms.at_mut(i), w) = Target::Idle;
                return;
            }
        }
    }
    requeue(doms.at_mut(i), this, w);
}
