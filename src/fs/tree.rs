// SPDX-License-Identifier: GPL-2.0

//! The kernfs nodes of the mounted hierarchy: per group its directory, its
//! `mon_groups`, `mon_data` and `mon_data/mon_L3_<id>` directories and what
//! drivers add ([`drivers`]); `info/`. Built from the model
//! ([`crate::model::group`]) at mount and kept in step with it: a group's
//! nodes are in the slot of the group.
//!
//! Every node is owned here as a [`Dir`] (or a driver's [`DrvNode`]):
//! dropping it removes it from kernfs and waits for the callbacks in it. So
//! what the tree gives up goes to a list that the caller drops once
//! resctrl's mutex is released, as callbacks may be waiting for the mutex.

mod drivers;

use super::{
    driver_files::DrvNode,
    files::{
        info_files, io_alloc_files, DirPriv, RfType, CTRL_FILES, CTRL_HW_ID, EVENT_FILTER,
        INFO_ASSIGN_MODE, INFO_CNTRS, INFO_L3_MON, INFO_MBM_CONFIG, INFO_MB_THROTTLE,
        LAST_CMD_STATUS, MBA_MBPS_EVENT, MBM_L3_ASSIGNMENTS, MON_FILES, MON_HW_ID,
    },
    mon_data, ResctrlFs,
};
use crate::{
    hw::arch::{L3Mon, Res},
    kapi::{
        fault,
        kernfs::{Dir, DirHandle, DirRef, File, Node, Unprotected},
        vec::{collect, KVecExt},
    },
    logic::mount_opts::MountOptions,
    model::{
        domain::DomainList,
        group::{GroupHandle, Groups, DEFAULT, MAX_GROUPS},
    },
};
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::{
    c_str,
    prelude::*,
    str::{CStr, CString},
    sync::Arc,
};

/// The options of the mount (bits of [`opt`]), for the readers that take no
/// lock: the files of a new group, `/proc/mounts`; and whether groups have
/// `mbm_L3_assignments`.
static IN_FORCE: AtomicU8 = AtomicU8::new(0);

/// The bits of [`IN_FORCE`].
mod opt {
    pub(super) const CDP_L3: u8 = 1 << 0;
    pub(super) const CDP_L2: u8 = 1 << 1;
    pub(super) const MBA_MBPS: u8 = 1 << 2;
    pub(super) const DEBUG: u8 = 1 << 3;
    /// Not an option: the hardware has assignable counters.
    pub(super) const CNTRS: u8 = 1 << 4;
}

/// The mount options in force, as `/proc/mounts` shows them after the
/// file system's type and source, in upstream's order (`rdt_show_options()`):
/// `,cdp`, `,cdpl2`, `,mba_MBps`, `,debug`.
pub(crate) fn shown_options() -> impl Iterator<Item = &'static str> {
    let bits = IN_FORCE.load(Ordering::Relaxed);
    [
        (opt::CDP_L3, ",cdp"),
        (opt::CDP_L2, ",cdpl2"),
        (opt::MBA_MBPS, ",mba_MBps"),
        (opt::DEBUG, ",debug"),
    ]
    .into_iter()
    .filter(move |&(b, _)| bits & b != 0)
    .map(|(_, s)| s)
}

/// The files the mount's options add to a group that has a CLOSID (`ctrl`)
/// and an RMID (`mon`): with `-o debug` the debugging files, with
/// `-o mba_MBps` a CTRL_MON group's `mba_MBps_event`; where the hardware
/// has assignable counters, `mbm_L3_assignments`.
fn option_files(ctrl: bool, mon: bool) -> impl Iterator<Item = &'static RfType> {
    let bits = IN_FORCE.load(Ordering::Relaxed);
    let debug = bits & opt::DEBUG != 0;
    let mba_sc = bits & opt::MBA_MBPS != 0;
    let cntrs = bits & opt::CNTRS != 0;
    [
        (debug && ctrl, &CTRL_HW_ID),
        (debug && mon, &MON_HW_ID),
        (mba_sc && ctrl && mon, &MBA_MBPS_EVENT),
        (cntrs && mon, &MBM_L3_ASSIGNMENTS),
    ]
    .into_iter()
    .filter(|(want, _)| *want)
    .map(|(_, rf)| rf)
}

/// The kernfs nodes of one group.
pub(crate) struct GroupNodes {
    /// What its directories carry.
    handle: Arc<GroupHandle>,
    /// Its directory; `None` for the default group (the root).
    dir: Option<Dir<ResctrlFs>>,
    /// Its `mon_groups` directory, for CTRL_MON groups with monitoring.
    mon_groups: Option<Dir<ResctrlFs>>,
    /// Its `mon_data` directory, with monitoring.
    mon_data: Option<Dir<ResctrlFs>>,
    /// Its `mon_data/mon_L3_<id>` directories, by domain id.
    mon_doms: mon_data::DomainDirs,
    /// The files and `mon_data` directories of drivers.
    drv: KVec<DrvNode>,
}

impl GroupNodes {
    fn new(handle: &Arc<GroupHandle>, dir: Option<Dir<ResctrlFs>>) -> Self {
        Self {
            handle: handle.clone(),
            dir,
            mon_groups: None,
            mon_data: None,
            mon_doms: KVec::new(),
            drv: KVec::new(),
        }
    }

    /// The directory of a new CTRL_MON group `name` in the root `parent`,
    /// deactivated, with its files and, with monitoring (`mon`), its
    /// `mon_groups`.
    pub(crate) fn ctrl_group(
        parent: Unprotected<'_, ResctrlFs>,
        name: &CStr,
        mode: u16,
        handle: &Arc<GroupHandle>,
        mon: bool,
    ) -> Result<Self> {
        let data = KBox::new(DirPriv::Group(handle.clone()), GFP_KERNEL)?;
        let dir = parent.create_dir(name, mode, Some(data))?;
        for rf in Iterator::chain(CTRL_FILES.iter(), option_files(true, mon)) {
            dir.create_file(rf.name, rf.mode, rf)?;
        }
        let mut n = Self::new(handle, Some(dir));
        if mon {
            let data = KBox::new(DirPriv::MonGroups, GFP_KERNEL)?;
            let dir = n.dir.as_ref().ok_or(ENODEV)?;
            n.mon_groups = Some(dir.create_dir(c_str!("mon_groups"), 0o755, Some(data))?);
        }
        Ok(n)
    }

    /// The directory of a new MON group `name` in the `mon_groups`
    /// directory `parent`, deactivated, with its files.
    pub(crate) fn mon_group(
        parent: Unprotected<'_, ResctrlFs>,
        name: &CStr,
        mode: u16,
        handle: &Arc<GroupHandle>,
    ) -> Result<Self> {
        let data = KBox::new(DirPriv::Group(handle.clone()), GFP_KERNEL)?;
        let dir = parent.create_dir(name, mode, Some(data))?;
        for rf in Iterator::chain(MON_FILES.iter(), option_files(false, true)) {
            dir.create_file(rf.name, rf.mode, rf)?;
        }
        Ok(Self::new(handle, Some(dir)))
    }

    /// Gives the group its `mon_data` directory, with a `mon_L3_<id>`
    /// directory per online domain.
    pub(crate) fn add_mon_data(&mut self, doms: &DomainList, mon: &L3Mon) -> Result {
        let Some(dir) = self.dir.as_ref() else {
            return Ok(());
        };
        let (md, list) = mon_data::create(dir, &self.handle, doms, mon)?;
        self.mon_data = Some(md);
        self.mon_doms = list;
        Ok(())
    }

    /// Every directory of the group, to `out`; one that finds no room there
    /// is removed at once (under the caller's locks, which file callbacks
    /// never hold while kernfs waits for them).
    fn take_dirs(&mut self, out: &mut KVec<Dir<ResctrlFs>>) {
        let doms = core::iter::from_fn(|| self.mon_doms.pop_last().map(|(_, d)| d));
        let own = [
            self.dir.take(),
            self.mon_groups.take(),
            self.mon_data.take(),
        ];
        for d in Iterator::chain(doms, own.into_iter().flatten()) {
            // On failure `push` drops `d`, which removes it now.
            let _ = out.push(d, GFP_KERNEL);
        }
    }
}

/// The kernfs nodes of the mounted hierarchy.
pub(crate) struct Tree {
    /// The root directory, the default group's.
    root: DirHandle<ResctrlFs>,
    /// `info/`.
    info: Dir<ResctrlFs>,
    /// The resources' directories in `info/`, held to be removed with the
    /// tree.
    _info_dirs: KVec<Dir<ResctrlFs>>,
    /// BMEC's files in `info/L3_MON/`, while they are there.
    bmec: KVec<File<ResctrlFs>>,
    /// `info/L3_MON/`, with monitoring.
    l3_mon: Option<Dir<ResctrlFs>>,
    /// The drivers' `info/` directories, by driver slot.
    drv_info: KVec<(usize, Dir<ResctrlFs>)>,
    /// Per group slot, the group's nodes.
    nodes: KVec<Option<GroupNodes>>,
}

/// Creates the files `rfs` in `dir`.
fn add_files(dir: DirRef<'_, ResctrlFs>, rfs: &'static [RfType]) -> Result {
    for rf in rfs {
        dir.create_file(rf.name, rf.mode, rf)?;
    }
    Ok(())
}

impl Tree {
    /// Builds the tree of a new mount with the options `opts` in the root
    /// directory `top`: the default group's files, `mon_groups` and
    /// `mon_data`, and `info/`.
    pub(crate) fn build(
        top: DirRef<'_, ResctrlFs>,
        groups: &Groups,
        doms: &DomainList,
        opts: &MountOptions,
    ) -> Result<KBox<Self>> {
        let arch = groups.arch;
        let cntrs = arch.l3_mon().is_some_and(|m| m.cntrs.is_some());
        let bits = [
            (opts.cdp_l3, opt::CDP_L3),
            (opts.cdp_l2, opt::CDP_L2),
            (opts.mba_mbps, opt::MBA_MBPS),
            (opts.debug, opt::DEBUG),
            (cntrs, opt::CNTRS),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .fold(0, |a, (_, b)| a | b);
        IN_FORCE.store(bits, Ordering::Relaxed);
        if groups.alloc_capable() {
            add_files(top, &CTRL_FILES)?;
        } else {
            add_files(top, &MON_FILES)?;
        }
        for rf in option_files(groups.alloc_capable(), groups.mon_capable()) {
            top.create_file(rf.name, rf.mode, rf)?;
        }
        let info_data = || KBox::new(DirPriv::Info, GFP_KERNEL);
        let info = top.create_dir(c_str!("info"), 0o555, Some(info_data()?))?;
        info.create_file(LAST_CMD_STATUS.name, LAST_CMD_STATUS.mode, &LAST_CMD_STATUS)?;
        let sub = |name: &CStr, rfs: &'static [RfType]| -> Result<Dir<ResctrlFs>> {
            let d = info.create_dir(name, 0o555, Some(info_data()?))?;
            for rf in rfs {
                d.create_file(rf.name, rf.mode, rf)?;
            }
            Ok(d)
        };
        let mut info_dirs = KVec::new();
        let io_alloc = arch.alloc(Res::L3).is_some_and(|r| r.io_alloc_capable);
        // One directory per schema, named as it is.
        for id in groups.schema_ids() {
            let name = CString::try_from_fmt(kernel::fmt!("{}", id.name()))?;
            let d = sub(&name, info_files(id))?;
            if io_alloc {
                for rf in io_alloc_files(id) {
                    d.create_file(rf.name, rf.mode, rf)?;
                }
            }
            if id.res == Res::Mb
                && arch
                    .alloc(id.res)
                    .is_some_and(|r| r.throttle_mode.is_some())
            {
                let rf = &INFO_MB_THROTTLE;
                d.create_file(rf.name, rf.mode, rf)?;
            }
            info_dirs.push(d, GFP_KERNEL)?;
        }
        let mut l3_mon = None;
        if let Some(mon) = arch.l3_mon() {
            let d = sub(c_str!("L3_MON"), &INFO_L3_MON)?;
            let rf = &INFO_ASSIGN_MODE;
            d.create_file(rf.name, rf.mode, rf)?;
            if cntrs {
                for rf in INFO_CNTRS.iter() {
                    d.create_file(rf.name, rf.mode, rf)?;
                }
                let ec = d.create_dir(c_str!("event_configs"), 0o555, Some(info_data()?))?;
                for (evt, rf) in crate::mon::cntrs::MBM_EVENTS
                    .iter()
                    .zip(EVENT_FILTER.iter())
                {
                    if mon.has(*evt) {
                        let name = CString::try_from_fmt(kernel::fmt!("{}", evt.name()))?;
                        let e = ec.create_dir(&name, 0o555, Some(info_data()?))?;
                        e.create_file(rf.name, rf.mode, rf)?;
                        info_dirs.push(e, GFP_KERNEL)?;
                    }
                }
                info_dirs.push(ec, GFP_KERNEL)?;
            }
            l3_mon = Some(d);
        }
        let mut default = GroupNodes::new(groups.default_group(), None);
        if let Some(mon) = arch.l3_mon() {
            let mg = KBox::new(DirPriv::MonGroups, GFP_KERNEL)?;
            default.mon_groups = Some(top.create_dir(c_str!("mon_groups"), 0o755, Some(mg))?);
            let md = top.create_dir(c_str!("mon_data"), 0o555, None)?;
            default.mon_doms = mon_data::create_domains(&md, groups.default_group(), doms, mon)?;
            default.mon_data = Some(md);
        }
        let mut nodes = KVec::with_capacity(MAX_GROUPS, GFP_KERNEL)?;
        for _ in 0..MAX_GROUPS {
            nodes.push(None, GFP_KERNEL)?;
        }
        nodes[DEFAULT] = Some(default);
        Ok(KBox::new(
            Self {
                root: DirHandle::new(top),
                info,
                _info_dirs: info_dirs,
                bmec: KVec::new(),
                l3_mon,
                drv_info: KVec::new(),
                nodes,
            },
            GFP_KERNEL,
        )?)
    }

    /// The name of the group in `slot`, in `buf`; `None` for the default
    /// group (the root) or an empty slot.
    pub(crate) fn group_name<'b>(&self, slot: usize, buf: &'b mut [u8]) -> Option<&'b str> {
        let dir = self.nodes.get(slot)?.as_ref()?.dir.as_ref()?;
        Some(dir.node().name(buf))
    }

    /// BMEC's files in `info/L3_MON/` are there (`show`) or not: they go
    /// while counter assignment is on, as upstream hides them.
    pub(crate) fn show_bmec(&mut self, show: bool) -> Result {
        if !show {
            self.bmec = KVec::new();
            return Ok(());
        }
        let Some(d) = self.l3_mon.as_ref() else {
            return Ok(());
        };
        if self.bmec.len() == INFO_MBM_CONFIG.len() {
            return Ok(());
        }
        // All of them, or none: a half-made set starts over.
        self.bmec = KVec::new();
        for rf in INFO_MBM_CONFIG.iter() {
            let f = d.create_removable_file(rf.name, rf.mode, rf)?;
            self.bmec.push(f, GFP_KERNEL)?;
        }
        Ok(())
    }

    /// The nodes of the new group in `slot` are `n`: its directory shows.
    pub(crate) fn insert(&mut self, slot: usize, n: GroupNodes) {
        if let Some(d) = n.dir.as_ref() {
            d.activate();
        }
        self.nodes[slot] = Some(n);
    }

    /// The nodes of the groups in `slots` go to `dirs`, for removal once the
    /// mutex is dropped (each is removed at once if `dirs` has no room).
    pub(crate) fn remove(&mut self, slots: &[usize], dirs: &mut KVec<Dir<ResctrlFs>>) {
        for &s in slots {
            if let Some(mut n) = self.nodes.get_mut(s).and_then(Option::take) {
                n.take_dirs(dirs);
            }
        }
    }

    /// Every group's nodes go to `dirs`, as at unmount; the tree keeps
    /// `info/` and the root's files, which go with it.
    pub(crate) fn take_dirs(&mut self, dirs: &mut KVec<Dir<ResctrlFs>>) {
        for n in self.nodes.iter_mut().flatten() {
            n.take_dirs(dirs);
        }
    }

    /// The slot of the CTRL_MON group whose `mon_groups` directory is
    /// `node`.
    pub(crate) fn mon_groups_owner(&self, node: &Node) -> Option<usize> {
        self.nodes.iter().position(|n| {
            n.as_ref()
                .and_then(|n| n.mon_groups.as_ref())
                .is_some_and(|d| core::ptr::eq(d.node(), node))
        })
    }

    /// The domain `id` came online: every group with `mon_data` gets its
    /// `mon_data/mon_L3_<id>` directory.
    pub(crate) fn domain_online(&mut self, id: u32, mon: &L3Mon) -> Result {
        let slots = collect(
            self.nodes
                .iter()
                .enumerate()
                .filter_map(|(s, n)| n.as_ref().map(|_| s)),
        )?;
        for &s in slots.iter() {
            let Some(n) = self.nodes[s].as_mut() else {
                continue;
            };
            let Some(md) = n.mon_data.as_ref() else {
                continue;
            };
            fault::domain_online_step()?;
            let d = mon_data::create_domain(md, &n.handle, id, mon)?;
            n.mon_doms.push((id, d), GFP_KERNEL)?;
        }
        Ok(())
    }

    /// The domain `id` went offline: every group's `mon_data/mon_L3_<id>`
    /// directory goes to `dirs`, for the caller to remove; without memory
    /// to list one, it is removed at once (under the caller's locks, which
    /// file callbacks never hold while kernfs waits for them). Every group
    /// loses it either way, so the domain can come back.
    pub(crate) fn domain_offline(&mut self, id: u32, dirs: &mut KVec<Dir<ResctrlFs>>) {
        for n in self.nodes.iter_mut().flatten() {
            if let Some(k) = n.mon_doms.iter().position(|(d, _)| *d == id) {
                let (_, d) = n.mon_doms.remove_at(k);
                // On failure `push` drops `d`, which removes it now.
                let _ = dirs.push(d, GFP_KERNEL);
            }
        }
    }
}
