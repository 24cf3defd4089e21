// SPDX-License-Identifier: GPL-2.0

//! The entry points of the driver ABI: what registering and unregistering
//! a driver does, under resctrl's mutex. The drivers themselves are in the
//! model ([`crate::model::driver`]).
//!
//! Seed 004: no file's `release`, and no callback of any kind, calls a
//! driver's code once its unregistration returned. Its files' callbacks are
//! the core's; unregistration unlists the driver, revokes its events for
//! perf, calls its last callbacks and then removes its files, which kernfs
//! drains (running each open file's `release`, the core's) before the
//! removal returns. A file opened before remembers the driver's
//! registration number, never reused, and finds its driver gone.

use super::attach;
use crate::{
    hw::arch::Res,
    kapi::{
        cpu::CpusReadGuard,
        module::ModuleId,
        resctrl_driver::{self, Backend, DriverDesc, DriverId, FileDecl, FilePlace},
    },
    model::driver::{DriverEntry, DriverList, SlotLease},
    state::{self, Mount, ResctrlInner},
};
use kernel::{c_str, prelude::*, str::CStr};

/// The core plugged into the C ABI.
pub(crate) static BACKEND: Backend = Backend {
    register,
    unregister,
    module_going,
};

/// Names of `info/` a driver's directories may not take: the core's
/// resources' (with CDP's), and `info/`'s own entries.
const RESERVED: [&[u8]; 10] = [
    b"L3",
    b"L3CODE",
    b"L3DATA",
    b"L2",
    b"L2CODE",
    b"L2DATA",
    b"MB",
    b"SMBA",
    b"L3_MON",
    b"last_cmd_status",
];

/// Whether `name` is `<res>_MON`, the `info/` directory of a monitoring
/// resource `res`.
fn is_mon_dir(name: &[u8], res: &[u8]) -> bool {
    name.len() == res.len() + 4 && name.starts_with(res) && name.ends_with(b"_MON")
}

/// The resource whose `info/<RES>_MON/` driver `d` makes: its own, if it
/// has events.
fn mon_res(d: &DriverDesc) -> Option<&[u8]> {
    d.resource()
        .filter(|_| d.nr_events() > 0)
        .map(|r| r.as_bytes())
}

/// Whether drivers `a` and `b` would make the same directory of `info/`:
/// their files' (resource or name) or their monitoring's (`<RES>_MON`).
fn same_info_dir(a: &DriverDesc, b: &DriverDesc) -> bool {
    let mon_clash =
        |x: &DriverDesc, y| mon_res(y).is_some_and(|r| is_mon_dir(x.info_name().as_bytes(), r));
    a.info_name().as_bytes() == b.info_name().as_bytes() || mon_clash(a, b) || mon_clash(b, a)
}

/// What the core puts in a group's directory (the default group's, the
/// root, also has `info`): no driver file may take these names.
const GROUP_ENTRIES: [&[u8]; 13] = [
    b"tasks",
    b"cpus",
    b"cpus_list",
    b"schemata",
    b"mode",
    b"size",
    b"ctrl_hw_id",
    b"mon_hw_id",
    b"mba_MBps_event",
    b"mbm_L3_assignments",
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
        b"L2" => Ok(Res::L2),
        b"MB" => Ok(Res::Mb),
        b"SMBA" => Ok(Res::Smba),
        _ => Err(EINVAL),
    }
}

/// Checks that `desc` can join `list`: names unique and valid, the
/// conflicting resource known.
fn check(list: &DriverList, desc: &DriverDesc) -> Result<Option<Res>> {
    let conflict = desc.conflicts().map(core_res).transpose()?;
    let valid = |n: &CStr| !n.is_empty() && !n.as_bytes().iter().any(|&b| b == b'/' || b == b'\n');
    let info = desc.info_name();
    if !valid(desc.name()) || !valid(info) || RESERVED.contains(&info.as_bytes()) {
        return Err(EINVAL);
    }
    for i in 0..desc.nr_events() {
        // Two events of one name would be one file, and one line of
        // mon_features twice.
        let name = desc.event(i).name;
        if !valid(name) || (0..i).any(|j| desc.event(j).name.as_bytes() == name.as_bytes()) {
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
        if e.desc.name().as_bytes() == desc.name().as_bytes() || same_info_dir(&e.desc, desc) {
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
    if let (Some(res), Some(fs)) = (conflict, st.mount.as_ref().map(|m| &*m.groups)) {
        if fs.shows(res) {
            pr_warn!(
                "driver {}: refused, a mount shows resource {}, which it also programs; unmount first\n",
                desc.name(),
                desc.conflicts().unwrap_or(c_str!("?"))
            );
            return Err(EBUSY);
        }
    }
    // Upstream limits groups by the smallest num_rmids: a mounted group
    // beyond this driver's could not be counted.
    if let (Some(cap), Some(fs)) = (desc.num_rmids(), st.mount.as_ref().map(|m| &*m.groups)) {
        if fs.rmids_in_use()?.iter().any(|&r| r >= cap) {
            pr_warn!(
                "driver {}: refused, a group has an RMID at or above its {} RMIDs; remove it or unmount first\n",
                desc.name(),
                cap
            );
            return Err(EBUSY);
        }
    }
    // Pushing the entry at the end then cannot fail.
    let reg = st.drivers.reserve()?;
    let lease = SlotLease::take(reg).ok_or(ENOSPC)?;
    let mut e = DriverEntry {
        desc,
        lease,
        reg,
        conflict,
        doms: KVec::new(),
    };
    super::domains::build(&mut e, cpus.held())?;
    let ResctrlInner {
        drivers,
        doms,
        mount,
        ..
    } = &mut *st;
    if let Some(Mount { groups, tree }) = mount {
        if let Err(err) = attach::attach_all(tree, groups, &e) {
            super::domains::tear_down(&e);
            return Err(err);
        }
    }
    if let Some(res) = conflict {
        doms.set_driver_owned(res, true);
    }
    pr_info!("driver {} registered\n", e.desc.name());
    drivers.push(e)?;
    if let Some(Mount { groups, .. }) = mount {
        groups.set_rmid_cap(drivers.rmid_cap());
    }
    Ok(())
}

/// `resctrl_driver_unregister()`: unlists the driver under the mutex, tells
/// it its groups and domains are gone, removes its files, and gives its
/// handle back.
fn unregister(id: DriverId) -> Option<DriverDesc> {
    let mut st = state::lock().ok()?;
    let i = st.drivers.position(|e| e.desc.id() == id)?;
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
    let owned_by = |st: &ResctrlInner| st.drivers.iter().position(|e| e.desc.owner() == Some(m));
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
fn take_out(st: &mut ResctrlInner, i: usize, call_back: bool) -> DriverDesc {
    let e = {
        let ResctrlInner {
            drivers,
            doms,
            mount,
            ..
        } = st;
        let e = drivers.remove_at(i);
        // perf's readers, which take no mutex, stop first: none may call
        // `read_event` once the driver hears its domains are offline.
        e.desc.source().revoke();
        if let Some(res) = e.conflict {
            doms.set_driver_owned(res, drivers.owns(res));
        }
        if let Some(Mount { groups, tree }) = mount {
            groups.set_rmid_cap(drivers.rmid_cap());
            if let (true, Ok(slots)) = (call_back, groups.live_slots()) {
                for &s in slots.iter() {
                    e.desc.group_removed(groups.group_info(s));
                }
            }
            // kernfs drains the files here, under the mutex: their callbacks
            // break active protection before taking it, so none is waited
            // for, and any that waits for the mutex finds the driver gone.
            tree.driver_detach(e.slot());
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

/// Plugs the registry into the C ABI, once resctrl's state and domains are
/// up.
pub(crate) fn init() -> Result {
    resctrl_driver::set_backend(&BACKEND)
}
