// SPDX-License-Identifier: GPL-2.0

//! The registered drivers, under resctrl's mutex, and what registering and
//! unregistering one does.
//!
//! A driver gets a slot (see [`super::nodes`]) and a registration number
//! that is never reused: an open file remembers the number, so a file of a
//! driver that went never reaches a driver that came later in its slot.

use super::{
    domains::DrvDomain,
    nodes::{self, SlotLease},
};
use crate::kapi::cpu::CpusReadGuard;
use crate::{
    fs::group::FsState,
    hw::arch::Res,
    kapi::{
        module::ModuleId,
        resctrl_driver::{self, Backend, DriverDesc, DriverId, FileDecl, FilePlace},
    },
    state::{self, State},
};
use kernel::{c_str, prelude::*, str::CStr};

/// A registered driver.
pub(crate) struct DriverEntry {
    /// Its description and callbacks.
    pub(crate) desc: DriverDesc,
    /// Its slot of file types, held until its files are gone.
    pub(crate) lease: SlotLease,
    /// Its registration number.
    pub(crate) reg: u64,
    /// The core resource it conflicts with.
    pub(crate) conflict: Option<Res>,
    /// Its resource's online domains, by ascending id (none without a
    /// resource).
    pub(crate) doms: KVec<DrvDomain>,
}

impl DriverEntry {
    /// Its slot.
    pub(crate) fn slot(&self) -> usize {
        self.lease.slot()
    }

    /// The name of its `info/` directory: its resource's, else its own.
    pub(crate) fn info_name(&self) -> &CStr {
        self.desc.resource().unwrap_or(self.desc.name())
    }
}

/// The registered drivers.
pub(crate) struct DriverList {
    entries: KVec<DriverEntry>,
    next_reg: u64,
}

impl DriverList {
    /// None.
    pub(crate) const fn new() -> Self {
        Self {
            entries: KVec::new(),
            next_reg: 1,
        }
    }

    /// The drivers, in registration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &DriverEntry> {
        self.entries.iter()
    }

    /// The drivers, in registration order.
    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut DriverEntry> {
        self.entries.iter_mut()
    }

    /// The driver in `slot` with registration number `reg`, if still there.
    pub(crate) fn find(&self, slot: usize, reg: u64) -> Option<&DriverEntry> {
        self.entries
            .iter()
            .find(|e| e.slot() == slot && e.reg == reg)
    }

    /// Whether a registered driver conflicts with `res`.
    pub(crate) fn owns(&self, res: Res) -> bool {
        self.entries.iter().any(|e| e.conflict == Some(res))
    }
}

/// The core plugged into the C ABI.
pub(crate) static BACKEND: Backend = Backend {
    register,
    unregister,
    module_going,
};

/// Names a driver's resource may not take: the core's, and `info/`'s own.
const RESERVED: [&[u8]; 4] = [b"L3", b"MB", b"L3_MON", b"last_cmd_status"];

/// What the core puts in a group's directory (the default group's, the
/// root, also has `info`): no driver file may take these names.
const GROUP_ENTRIES: [&[u8]; 11] = [
    b"tasks",
    b"cpus",
    b"cpus_list",
    b"schemata",
    b"mode",
    b"size",
    b"ctrl_hw_id",
    b"mon_hw_id",
    b"mon_groups",
    b"mon_data",
    b"info",
];

/// Whether files `a` and `b` would be one entry: same name, and both in
/// the same directory (a driver's `info/` files are in its own).
fn same_place(a: FileDecl<'_>, b: FileDecl<'_>) -> bool {
    a.name.as_bytes() == b.name.as_bytes() && a.place == b.place
}

/// The core resource `name` names.
fn core_res(name: &CStr) -> Result<Res> {
    match name.as_bytes() {
        b"L3" => Ok(Res::L3),
        b"MB" => Ok(Res::Mb),
        _ => Err(EINVAL),
    }
}

/// Checks that `desc` can join `list`: names unique and valid, the
/// conflicting resource known.
fn check(list: &DriverList, desc: &DriverDesc) -> Result<Option<Res>> {
    let conflict = desc.conflicts().map(core_res).transpose()?;
    let valid = |n: &CStr| !n.is_empty() && !n.as_bytes().iter().any(|&b| b == b'/' || b == b'\n');
    let info = desc.resource().unwrap_or(desc.name());
    if !valid(desc.name()) || !valid(info) || RESERVED.contains(&info.as_bytes()) {
        return Err(EINVAL);
    }
    for i in 0..desc.nr_events() {
        if !valid(desc.event(i).name) {
            return Err(EINVAL);
        }
    }
    for i in 0..desc.nr_files() {
        let f = desc.file(i);
        if !valid(f.name) {
            return Err(EINVAL);
        }
        // A group file named like the core's own entries of a group
        // directory, or twice, would make every mount or mkdir fail.
        let in_groups = !matches!(f.place, FilePlace::Info);
        if in_groups && GROUP_ENTRIES.contains(&f.name.as_bytes()) {
            return Err(EINVAL);
        }
        if (0..i).any(|j| same_place(desc.file(j), f)) {
            return Err(EINVAL);
        }
    }
    for e in list.iter() {
        if e.desc.name().as_bytes() == desc.name().as_bytes()
            || e.info_name().as_bytes() == info.as_bytes()
        {
            return Err(EEXIST);
        }
        // Another driver's file of that name in the same groups.
        for i in 0..desc.nr_files() {
            let f = desc.file(i);
            let theirs = (0..e.desc.nr_files()).map(|j| e.desc.file(j));
            if !matches!(f.place, FilePlace::Info) && theirs.into_iter().any(|t| same_place(t, f)) {
                return Err(EEXIST);
            }
        }
    }
    Ok(conflict)
}

/// `resctrl_driver_register()`: see the module and C header documentation.
fn register(desc: DriverDesc) -> Result {
    let cpus = CpusReadGuard::new();
    let mut st = state::lock_held(cpus.held())?;
    let conflict = check(&st.drivers, &desc)?;
    if let (Some(res), Some(fs)) = (conflict, st.fs.as_deref()) {
        if fs.shows(res) {
            pr_warn!(
                "driver {}: refused, a mount shows resource {}, which it also programs; unmount first\n",
                desc.name(),
                desc.conflicts().unwrap_or(c_str!("?"))
            );
            return Err(EBUSY);
        }
    }
    // Pushing the entry at the end then cannot fail.
    st.drivers.entries.reserve(1, GFP_KERNEL)?;
    let reg = st.drivers.next_reg;
    st.drivers.next_reg += 1;
    let lease = nodes::SlotLease::take(reg).ok_or(ENOSPC)?;
    let mut e = DriverEntry {
        desc,
        lease,
        reg,
        conflict,
        doms: KVec::new(),
    };
    super::domains::build(&mut e, cpus.held())?;
    let State {
        fs, drivers, doms, ..
    } = &mut *st;
    if let Some(fs) = fs.as_deref_mut() {
        if let Err(err) = attach_all(fs, &e) {
            super::domains::tear_down(&e);
            return Err(err);
        }
    }
    if let Some(res) = conflict {
        doms.set_driver_owned(res, true);
    }
    pr_info!("driver {} registered\n", e.desc.name());
    drivers.entries.push(e, GFP_KERNEL)?;
    Ok(())
}

/// Shows driver `e` in the mounted hierarchy `fs`: its `info/` files, its
/// files and domain directories in every group, then `group_created` for
/// each group. Undone on failure.
fn attach_all(fs: &mut FsState, e: &DriverEntry) -> Result {
    let slots = fs.live_slots()?;
    let r = (|| {
        fs.driver_attach_info(e)?;
        for &s in slots.iter() {
            fs.driver_attach(e, s)?;
        }
        Ok(())
    })();
    if let Err(err) = r {
        fs.driver_detach(e.slot());
        return Err(err);
    }
    for (n, &s) in slots.iter().enumerate() {
        if let Err(err) = e.desc.group_created(fs.group_info(s)) {
            for &t in slots[..n].iter() {
                e.desc.group_removed(fs.group_info(t));
            }
            fs.driver_detach(e.slot());
            return Err(err);
        }
    }
    Ok(())
}

/// `resctrl_driver_unregister()`: unlists the driver under the mutex, tells
/// it its groups and domains are gone, removes its files, and gives its
/// handle back.
fn unregister(id: DriverId) -> Option<DriverDesc> {
    let mut st = state::lock().ok()?;
    let i = st.drivers.entries.iter().position(|e| e.desc.id() == id)?;
    let desc = take_out(&mut st, i, true);
    drop(st);
    pr_info!("driver {} unregistered\n", desc.name());
    Some(desc)
}

/// A module went with drivers still registered: they are unregistered
/// without being called back (their module's exit ran; what their callbacks
/// use may be gone), before the module's memory is freed.
fn module_going(m: ModuleId) {
    let Ok(mut st) = state::lock() else {
        return;
    };
    let owned_by = |st: &State| st.drivers.iter().position(|e| e.desc.owner() == Some(m));
    while let Some(i) = owned_by(&st) {
        let desc = take_out(&mut st, i, false);
        pr_warn!(
            "driver {}: its module went without unregistering it; unregistered\n",
            desc.name()
        );
        // Given back at once: that revokes its events for perf.
        drop(desc);
    }
}

/// Takes driver `i` out of the list, out of the hierarchy and out of its
/// domains, telling it (`call_back`) that its groups and domains are gone,
/// and returns its handle.
fn take_out(st: &mut State, i: usize, call_back: bool) -> DriverDesc {
    let e = {
        let State {
            fs, drivers, doms, ..
        } = st;
        let e = crate::kapi::vec::KVecExt::remove_at(&mut drivers.entries, i);
        // perf's readers, which take no mutex, stop first: none may call
        // `read_event` once the driver hears its domains are offline.
        e.desc.source().revoke();
        if let Some(res) = e.conflict {
            doms.set_driver_owned(res, drivers.owns(res));
        }
        if let Some(fs) = fs.as_deref_mut() {
            if let (true, Ok(slots)) = (call_back, fs.live_slots()) {
                for &s in slots.iter() {
                    e.desc.group_removed(fs.group_info(s));
                }
            }
            // kernfs drains the files here, under the mutex: their callbacks
            // break active protection before taking it, so none is waited
            // for, and any that waits for the mutex finds the driver gone.
            fs.driver_detach(e.slot());
        }
        if call_back {
            super::domains::tear_down(&e);
        }
        e
    };
    let DriverEntry { desc, lease, .. } = e;
    // The files are gone: the slot may serve another driver.
    drop(lease);
    desc
}

/// A group was made: every driver shows in it and hears of it. On failure
/// the drivers that heard are told it is gone again; the caller removes it.
pub(crate) fn group_created(fs: &mut FsState, drivers: &DriverList, slot: usize) -> Result {
    for (n, e) in drivers.iter().enumerate() {
        let r = fs
            .driver_attach(e, slot)
            .and_then(|()| e.desc.group_created(fs.group_info(slot)));
        if let Err(err) = r {
            for e in drivers.iter().take(n) {
                e.desc.group_removed(fs.group_info(slot));
            }
            return Err(err);
        }
    }
    Ok(())
}

/// The groups of `slots` are going: every driver hears of it.
pub(crate) fn groups_removed(fs: &FsState, drivers: &DriverList, slots: &[usize]) {
    for e in drivers.iter() {
        for &s in slots {
            e.desc.group_removed(fs.group_info(s));
        }
    }
}

/// Plugs the registry into the C ABI, once resctrl's state and domains are
/// up.
pub(crate) fn init() -> Result {
    resctrl_driver::set_backend(&BACKEND)
}
