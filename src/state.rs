// SPDX-License-Identifier: GPL-2.0

//! resctrl's mutex and what it protects ([`ResctrlInner`]): the model
//! ([`crate::model`]) and the mounted tree ([`crate::fs::tree`]).
//!
//! As upstream, one mutex serialises everything that changes groups, IDs,
//! CPU assignments, domains and control values, and it is taken inside the
//! CPU hotplug lock. The CPU hotplug state set up at `late_initcall` time
//! builds and keeps the domain list.

use crate::{
    fs::tree::Tree,
    kapi::{
        cpu::{CpusHeld, CpusReadGuard},
        global::Global,
    },
    model::{
        domain::{cntrs::AssignConfig, DomainList},
        driver::DriverList,
        group::Groups,
        last_cmd::LastCmd,
    },
};
use kernel::{
    new_mutex,
    prelude::*,
    sync::{lock::mutex::MutexBackend, lock::Guard, Mutex},
};

/// What resctrl's mutex protects: reached only through [`Locked`], the
/// guard of [`lock`] and its variants.
pub(crate) struct ResctrlInner {
    /// `info/last_cmd_status`.
    pub(crate) last_cmd: LastCmd,
    /// `info/L3_MON/max_threshold_occupancy` once written; kept across
    /// mounts as upstream.
    pub(crate) threshold: Option<u32>,
    /// The online L3 domains.
    pub(crate) doms: DomainList,
    /// Counter assignment's settings; kept across mounts as upstream.
    pub(crate) cntr_cfg: AssignConfig,
    /// The registered drivers.
    pub(crate) drivers: DriverList,
    /// The mounted hierarchy, if any.
    pub(crate) mount: Option<Mount>,
}

/// A mounted hierarchy: its groups, and the kernfs nodes built from them.
/// (The tree is dropped first, as it was built last.)
pub(crate) struct Mount {
    /// The kernfs nodes.
    pub(crate) tree: KBox<Tree>,
    /// The groups.
    pub(crate) groups: KBox<Groups>,
}

impl Mount {
    /// The groups and the tree of `mount`, each `None` when nothing is
    /// mounted, for code that also runs without a mount.
    pub(crate) fn parts(mount: &mut Option<Mount>) -> (Option<&mut Groups>, Option<&mut Tree>) {
        match mount {
            Some(m) => (Some(&mut m.groups), Some(&mut m.tree)),
            None => (None, None),
        }
    }
}

/// What a callback of the mounted hierarchy works on: every part of
/// [`ResctrlInner`], the mount's included.
pub(crate) struct Mounted<'a> {
    /// `info/last_cmd_status`.
    pub(crate) last_cmd: &'a mut LastCmd,
    /// `max_threshold_occupancy`, once written.
    pub(crate) threshold: &'a mut Option<u32>,
    /// The online L3 domains.
    pub(crate) doms: &'a mut DomainList,
    /// Counter assignment's settings.
    pub(crate) cntr_cfg: &'a mut AssignConfig,
    /// The registered drivers.
    pub(crate) drivers: &'a mut DriverList,
    /// The groups.
    pub(crate) groups: &'a mut Groups,
    /// The kernfs nodes.
    pub(crate) tree: &'a mut Tree,
}

impl ResctrlInner {
    /// The mounted hierarchy's parts, with `info/last_cmd_status` cleared
    /// for the command at hand; `ENODEV` if nothing is mounted.
    pub(crate) fn mounted(&mut self) -> Result<Mounted<'_>> {
        self.last_cmd.clear();
        let Some(Mount { groups, tree }) = self.mount.as_mut() else {
            return Err(ENODEV);
        };
        Ok(Mounted {
            last_cmd: &mut self.last_cmd,
            threshold: &mut self.threshold,
            doms: &mut self.doms,
            cntr_cfg: &mut self.cntr_cfg,
            drivers: &mut self.drivers,
            groups,
            tree,
        })
    }
}

static STATE: Global<Mutex<ResctrlInner>> = Global::new();

/// Sets up the mutex and what it protects, at initialisation.
pub(crate) fn init() -> Result {
    let m = KBox::pin_init(
        new_mutex!(ResctrlInner {
            last_cmd: LastCmd::new(),
            threshold: None,
            doms: DomainList::new(),
            cntr_cfg: AssignConfig::new(0),
            drivers: DriverList::new(),
            mount: None,
        }),
        GFP_KERNEL,
    )?;
    STATE.set_pinned(m)
}

/// How a [`Locked`] holds off CPU hotplug.
enum CpusBy<'a> {
    /// Its own `cpus_read_lock()`, dropped after the mutex.
    Own(CpusReadGuard),
    /// The caller's: a hotplug callback, or a holder of the lock.
    Caller(&'a CpusHeld),
}

/// resctrl's mutex, held inside the CPU hotplug lock.
pub(crate) struct Locked<'a> {
    // Dropped first: the mutex is taken inside the hotplug lock.
    st: Guard<'static, ResctrlInner, MutexBackend>,
    cpus: CpusBy<'a>,
}

impl Locked<'_> {
    /// The state, and the proof that CPU hotplug is held off while it is
    /// locked, for what must not take `cpus_read_lock()` again (the
    /// `_cpuslocked` calls).
    pub(crate) fn split(&mut self) -> (&mut ResctrlInner, &CpusHeld) {
        let cpus = match &self.cpus {
            CpusBy::Own(g) => g.held(),
            CpusBy::Caller(h) => *h,
        };
        (&mut self.st, cpus)
    }
}

impl core::ops::Deref for Locked<'_> {
    type Target = ResctrlInner;
    fn deref(&self) -> &ResctrlInner {
        &self.st
    }
}

impl core::ops::DerefMut for Locked<'_> {
    fn deref_mut(&mut self) -> &mut ResctrlInner {
        &mut self.st
    }
}

/// Takes the CPU hotplug lock, then resctrl's mutex. May sleep.
pub(crate) fn lock() -> Result<Locked<'static>> {
    let m = STATE.get().ok_or(ENODEV)?;
    let cpus = CpusReadGuard::new();
    Ok(Locked {
        st: m.lock(),
        cpus: CpusBy::Own(cpus),
    })
}

/// Takes resctrl's mutex in a CPU hotplug callback, where the hotplug lock
/// is already held for the operation. May sleep.
pub(crate) fn lock_in_hotplug(held: &CpusHeld) -> Result<Locked<'_>> {
    lock_held(held)
}

/// Takes resctrl's mutex where CPU hotplug is already held off (`held`).
/// May sleep.
pub(crate) fn lock_held(held: &CpusHeld) -> Result<Locked<'_>> {
    let m = STATE.get().ok_or(ENODEV)?;
    Ok(Locked {
        st: m.lock(),
        cpus: CpusBy::Caller(held),
    })
}
