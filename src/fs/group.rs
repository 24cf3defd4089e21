// SPDX-License-Identifier: GPL-2.0

//! Resource groups: the default group at the root, CTRL_MON groups (a CLOSID
//! and an RMID each) and MON groups (an RMID, the parent's CLOSID); their
//! CPUs and tasks, and the control values of their CLOSIDs.
//!
//! A group lives in a slot of [`FsState`], under resctrl's mutex. Its kernfs
//! directory and open files hold an `Arc<RdtGroup>` naming the slot and a
//! generation, never a pointer into the state: once the group is removed,
//! they still hold valid memory and find the group gone (`ENOENT`). The
//! `RdtGroup` also carries what reading the group's counters needs without
//! the mutex: its RMID, its MON groups' RMIDs, and whether it was removed.
//!
//! Control values live in the domains ([`DomainList`]); functions that need
//! them take the list, which the same mutex protects.

mod drivers;
mod hotplug;
mod rdtgroup;
mod reparent;

pub(crate) use rdtgroup::RdtGroup;

use crate::{
    domain::DomainList,
    driver::{nodes::DrvNode, registry::DriverList},
    fs::{mon_data, mount::ResctrlFs},
    hw::arch::{Arch, Res},
    kapi::{
        cpu,
        kernfs::{Dir, DirHandle},
        sched, task,
    },
    logic::{
        alloc_policy::{self, Sharing},
        cpumask::CpuSet,
        ids::{AllocError, ClosidAllocator, RmidAllocator, RmidEntry},
        schemata::{self, Ctrl, Schema},
    },
    mon::counters,
    state::LastCmd,
};
use core::{fmt::Write, sync::atomic::Ordering};
use kernel::{prelude::*, sync::Arc};

/// The most groups of a hierarchy.
pub(crate) const MAX_GROUPS: usize = 512;

/// The kind of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A CTRL_MON group, or the default group.
    Ctrl {
        /// Its CLOSID.
        closid: u32,
        /// How it shares its cache allocation.
        mode: Sharing,
    },
    /// A MON group in the `mon_groups` of the CTRL_MON group in slot
    /// `parent`.
    Mon {
        /// The parent's slot.
        parent: usize,
    },
}

/// A group, in its slot.
pub(crate) struct Group {
    gen: u64,
    /// Its kind.
    pub(crate) kind: Kind,
    /// Its RMID (0 without monitoring).
    pub(crate) rmid: u32,
    /// The CPUs assigned to it.
    pub(crate) cpus: CpuSet,
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
    /// The reference its directory and files hold.
    rg: Arc<RdtGroup>,
}

/// A mounted hierarchy: its groups, IDs and control values.
pub(crate) struct FsState {
    /// The hardware.
    pub(crate) arch: &'static dyn Arch,
    groups: KVec<Option<Group>>,
    next_gen: u64,
    closids: ClosidAllocator,
    rmids: Option<RmidAllocator<KVec<RmidEntry>>>,
    /// The `info` tree and the default group's `mon_groups`.
    pub(crate) dirs: KVec<Dir<ResctrlFs>>,
    /// The default group's `mon_groups` directory.
    root_mon_groups: Option<Dir<ResctrlFs>>,
    /// The root directory, the default group's.
    root: Option<DirHandle<ResctrlFs>>,
    /// `info/`.
    info: Option<Dir<ResctrlFs>>,
    /// The drivers' `info/` directories, by driver slot.
    drv_info: KVec<(usize, Dir<ResctrlFs>)>,
    /// Per core resource ([`crate::domain::res_index`]), whether the mount leaves it out
    /// because a driver that programs the same hardware was registered.
    hidden: [bool; 2],
}

/// The default group's slot.
pub(crate) const DEFAULT: usize = 0;

impl FsState {
    /// The state of a new mount: the default group owns every online CPU,
    /// every task and CLOSID 0 with full allocations in every domain.
    /// Core resources a registered driver conflicts with are left out.
    pub(crate) fn new(
        arch: &'static dyn Arch,
        doms: &mut DomainList,
        drivers: &DriverList,
    ) -> Result<KBox<Self>> {
        let num_closid = [
            arch.l3_alloc().map(|r| r.num_closid),
            arch.mb_alloc().map(|r| r.num_closid),
        ]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(1);
        let rmids = match arch.l3_mon() {
            Some(mon) => Some(RmidAllocator::new(KVec::from_elem(
                RmidEntry::default(),
                mon.num_rmid as usize,
                GFP_KERNEL,
            )?)),
            None => None,
        };
        let mut groups = KVec::with_capacity(MAX_GROUPS, GFP_KERNEL)?;
        for _ in 0..MAX_GROUPS {
            groups.push(None, GFP_KERNEL)?;
        }
        let mut online = CpuSet::new();
        (0..cpu::nr_cpu_ids())
            .filter(|&c| cpu::online(c))
            .for_each(|c| online.insert(c));
        groups[DEFAULT] = Some(Group {
            gen: 0,
            kind: Kind::Ctrl {
                closid: 0,
                mode: Sharing::Shareable,
            },
            rmid: 0,
            cpus: online,
            dir: None,
            mon_groups: None,
            mon_data: None,
            mon_doms: KVec::new(),
            drv: KVec::new(),
            rg: RdtGroup::new(DEFAULT, 0, 0)?,
        });
        // CLOSID 0, the default group's, is never handed out.
        let closids = ClosidAllocator::new(num_closid);
        let fs = KBox::new(
            Self {
                arch,
                groups,
                next_gen: 1,
                closids,
                rmids,
                dirs: KVec::new(),
                root_mon_groups: None,
                root: None,
                info: None,
                drv_info: KVec::new(),
                hidden: [drivers.owns(Res::L3), drivers.owns(Res::Mb)],
            },
            GFP_KERNEL,
        )?;
        for i in 0..doms.len() {
            doms.reset_ctrls(arch, i)?;
        }
        Ok(fs)
    }

    /// The default group's reference.
    pub(crate) fn default_group(&self) -> &Arc<RdtGroup> {
        &self.at(DEFAULT).rg
    }

    /// Whether allocation (any resource) is available.
    pub(crate) fn alloc_capable(&self) -> bool {
        self.arch.l3_alloc().is_some() || self.arch.mb_alloc().is_some()
    }

    /// Whether monitoring is available.
    pub(crate) fn mon_capable(&self) -> bool {
        self.rmids.is_some()
    }

    /// The group `rg` names, unless it was removed.
    pub(crate) fn group(&self, rg: Option<&RdtGroup>) -> Option<&Group> {
        match rg {
            None => self.groups[DEFAULT].as_ref(),
            Some(rg) => self
                .groups
                .get(rg.slot)?
                .as_ref()
                .filter(|g| g.gen == rg.gen),
        }
    }

    /// The slot of the group `rg` names, unless it was removed.
    pub(crate) fn slot_of(&self, rg: Option<&RdtGroup>) -> Option<usize> {
        self.group(rg)?;
        Some(rg.map_or(DEFAULT, |rg| rg.slot))
    }

    /// The group in `slot`.
    pub(crate) fn at(&self, slot: usize) -> &Group {
        // Callers pass slots they found in the state under the same lock.
        self.groups[slot].as_ref().expect("live slot")
    }

    fn at_mut(&mut self, slot: usize) -> &mut Group {
        self.groups[slot].as_mut().expect("live slot")
    }

    /// The CLOSID tasks and CPUs of the group in `slot` run with.
    pub(crate) fn closid_of(&self, slot: usize) -> u32 {
        match self.at(slot).kind {
            Kind::Ctrl { closid, .. } => closid,
            Kind::Mon { parent } => self.closid_of(parent),
        }
    }

    /// The slots of live groups.
    pub(crate) fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_some())
            .map(|(i, _)| i)
    }

    /// The slots of the MON groups of the CTRL_MON group in `slot`.
    fn children(&self, slot: usize) -> impl Iterator<Item = usize> + '_ {
        self.slots()
            .filter(move |&s| self.at(s).kind == Kind::Mon { parent: slot })
    }

    /// The CLOSIDs in use, with their cache mode, except `except`.
    fn ctrl_groups_except(&self, except: Option<u32>) -> impl Iterator<Item = (u32, Sharing)> + '_ {
        self.slots().filter_map(move |s| match self.at(s).kind {
            Kind::Ctrl { closid, mode } if Some(closid) != except => Some((closid, mode)),
            _ => None,
        })
    }

    /// The masks and modes of the other CLOSIDs of `res` in domain `dom`.
    pub(crate) fn others<'a>(
        &'a self,
        doms: &'a DomainList,
        res: Res,
        dom: usize,
        closid: Option<u32>,
    ) -> impl Iterator<Item = (u32, Sharing)> + 'a {
        self.ctrl_groups_except(closid)
            .map(move |(c, m)| (doms.at(dom).ctrl(res, c), m))
    }

    /// The schemas of the `schemata` file, over the online domains.
    pub(crate) fn schemas<'a>(&self, doms: &'a DomainList) -> Result<KVec<(Res, Schema<'a>)>> {
        let mut v = KVec::new();
        if let Some(l3) = self.arch.l3_alloc().filter(|_| self.shows(Res::L3)) {
            let s = Schema {
                name: "L3",
                ctrl: Ctrl::Cache(l3.props),
                num_closid: l3.num_closid,
                domain_ids: doms.ids(),
            };
            v.push((Res::L3, s), GFP_KERNEL)?;
        }
        if let Some(mb) = self.arch.mb_alloc().filter(|_| self.shows(Res::Mb)) {
            let s = Schema {
                name: "MB",
                ctrl: Ctrl::Mb(mb.props),
                num_closid: mb.num_closid,
                domain_ids: doms.ids(),
            };
            v.push((Res::Mb, s), GFP_KERNEL)?;
        }
        Ok(v)
    }

    /// Takes every directory out of the state, for removal once the lock is
    /// dropped.
    pub(crate) fn take_dirs(&mut self, out: &mut KVec<Dir<ResctrlFs>>) {
        for g in self.groups.iter_mut().flatten() {
            g.rg.deleted.store(true, Ordering::Release);
            while let Some((_, d)) = crate::kapi::vec::KVecExt::pop_last(&mut g.mon_doms) {
                let _ = out.push(d, GFP_KERNEL);
            }
            for d in [g.dir.take(), g.mon_groups.take(), g.mon_data.take()]
                .into_iter()
                .flatten()
            {
                // Out of memory: the directory is removed here, under the
                // lock. Only reachable at unmount, where nobody can be in a
                // callback waiting for the lock.
                let _ = out.push(d, GFP_KERNEL);
            }
        }
    }

    /// The default group's `mon_groups` directory is `mon_groups`.
    pub(crate) fn set_root_mon_groups(&mut self, d: Dir<ResctrlFs>) {
        self.root_mon_groups = Some(d);
    }

    /// The CTRL_MON group whose `mon_groups` directory is `node`.
    pub(crate) fn mon_groups_owner(&self, node: &crate::kapi::kernfs::Node) -> Option<usize> {
        if self
            .root_mon_groups
            .as_ref()
            .is_some_and(|d| core::ptr::eq(d.node(), node))
        {
            return Some(DEFAULT);
        }
        self.slots().find(|&s| {
            self.at(s)
                .mon_groups
                .as_ref()
                .is_some_and(|d| core::ptr::eq(d.node(), node))
        })
    }

    fn free_slot(&self) -> Option<usize> {
        self.groups.iter().position(|g| g.is_none())
    }

    /// Makes the CPUs of `mask` run with the IDs of the group in `slot` when
    /// their tasks have none, now.
    pub(crate) fn update_cpus(&self, mask: &CpuSet, slot: usize) {
        let (closid, rmid) = (self.closid_of(slot), self.at(slot).rmid);
        for c in mask.iter() {
            self.arch.set_cpu_defaults(c, closid, rmid);
        }
        resched(mask);
    }

    /// Moves the tasks of the group in `from` (all tasks if `None`) to the
    /// group in `to`, and returns the CPUs they are running on.
    fn move_tasks(&self, from: Option<usize>, to: usize) -> CpuSet {
        let (closid, rmid) = (self.closid_of(to), self.at(to).rmid);
        let mut running = CpuSet::new();
        task::for_each_thread_locked(|t| {
            if from.map_or(true, |f| self.task_in(t, f)) {
                t.set_ids(closid, rmid);
                if let Some(c) = t.running_on() {
                    running.insert(c);
                }
            }
            true
        });
        running
    }

    /// Whether the `tasks` file of the group in `slot` lists `t`: a
    /// CTRL_MON group lists the tasks of its CLOSID, a MON group those of
    /// its RMID.
    pub(crate) fn task_in(&self, t: &task::Task, slot: usize) -> bool {
        match self.at(slot).kind {
            Kind::Ctrl { closid, .. } => self.alloc_capable() && t.closid() == closid,
            Kind::Mon { .. } => self.mon_capable() && t.rmid() == self.at(slot).rmid,
        }
    }

    /// Moves task `t` to the group in `slot`, as upstream's
    /// `__rdtgroup_move_task()`.
    pub(crate) fn move_task(&self, t: &task::Task, slot: usize, log: &mut LastCmd) -> Result {
        let (closid, rmid) = (self.closid_of(slot), self.at(slot).rmid);
        if t.closid() == closid && t.rmid() == rmid {
            return Ok(());
        }
        if matches!(self.at(slot).kind, Kind::Mon { .. }) && t.closid() != closid {
            let _ = writeln!(log, "Can't move task to different control group");
            return Err(EINVAL);
        }
        t.set_ids(closid, rmid);
        if let Some(c) = t.running_on() {
            let mut m = CpuSet::new();
            m.insert(c);
            resched(&m);
        }
        Ok(())
    }

    /// Allocates the RMID of a new group; the caller frees it on failure.
    fn alloc_rmid(&mut self, log: &mut LastCmd) -> Result<u32> {
        let Some(rmids) = self.rmids.as_mut() else {
            return Ok(0);
        };
        rmids.alloc().map_err(|e| {
            let _ = writeln!(log, "Out of RMIDs");
            match e {
                AllocError::NoSpace => ENOSPC,
                AllocError::Busy => EBUSY,
            }
        })
    }

    /// Gives back `rmid`, still dirty in `busy` domains (see
    /// [`crate::mon::limbo`]).
    pub(crate) fn free_rmid(&mut self, rmid: u32, busy: u32) {
        if let Some(r) = self.rmids.as_mut() {
            r.free(rmid, busy);
        }
    }

    /// One domain found `rmid`, in limbo, clean.
    pub(crate) fn limbo_clean(&mut self, rmid: u32) {
        if let Some(r) = self.rmids.as_mut() {
            r.limbo_clean(rmid);
        }
    }

    /// The RMIDs of all groups.
    pub(crate) fn rmids_in_use(&self) -> Result<KVec<u32>> {
        collect(self.slots().map(|s| self.at(s).rmid))
    }

    /// Gives a new group with RMID `rmid` its `mon_data` directory in `dir`,
    /// its counters starting from zero.
    fn add_mon_data(&self, doms: &DomainList, g: &mut Group) -> Result {
        let Some(mon) = self.arch.l3_mon() else {
            return Ok(());
        };
        let Some(dir) = g.dir.as_ref() else {
            return Ok(());
        };
        for i in 0..doms.len() {
            counters::reset(self.arch, doms.at(i), g.rmid)?;
        }
        let (md, list) = mon_data::create(dir, &g.rg, doms, mon)?;
        g.mon_data = Some(md);
        g.mon_doms = list;
        Ok(())
    }

    /// The default group's `mon_data` directory and its domain directories,
    /// made at mount.
    pub(crate) fn set_default_mon_data(&mut self, md: Dir<ResctrlFs>, list: mon_data::DomainDirs) {
        let g = self.at_mut(DEFAULT);
        g.mon_data = Some(md);
        g.mon_doms = list;
    }

    /// Adds a CTRL_MON group: allocates its IDs and allocations, then lets
    /// `make_dirs` create its directories (given its `RdtGroup`). Upstream's
    /// `rdtgroup_mkdir_ctrl_mon()`.
    pub(crate) fn add_ctrl_group(
        &mut self,
        doms: &mut DomainList,
        log: &mut LastCmd,
        make_dirs: impl FnOnce(&Arc<RdtGroup>) -> Result<(Dir<ResctrlFs>, Option<Dir<ResctrlFs>>)>,
    ) -> Result<usize> {
        let slot = self.free_slot().ok_or(ENOSPC)?;
        let closid = self.closids.alloc().map_err(|_| {
            let _ = writeln!(log, "Out of CLOSIDs");
            ENOSPC
        })?;
        let r = self.add_ctrl_group_with(doms, log, slot, closid, make_dirs);
        if r.is_err() {
            self.closids.free(closid);
        }
        r.map(|()| slot)
    }

    fn add_ctrl_group_with(
        &mut self,
        doms: &mut DomainList,
        log: &mut LastCmd,
        slot: usize,
        closid: u32,
        make_dirs: impl FnOnce(&Arc<RdtGroup>) -> Result<(Dir<ResctrlFs>, Option<Dir<ResctrlFs>>)>,
    ) -> Result {
        let rmid = self.alloc_rmid(log)?;
        let r = (|| {
            // The initial allocations: what upstream's rdtgroup_init_alloc()
            // gives.
            let mut l3 = KVec::new();
            if let Some(c) = self.arch.l3_alloc().filter(|_| self.shows(Res::L3)) {
                for dom in 0..doms.len() {
                    let Some(cbm) = alloc_policy::new_group_cbm(
                        &c.props,
                        self.others(doms, Res::L3, dom, Some(closid)),
                    ) else {
                        let _ = writeln!(log, "No space on L3:{}", doms.ids()[dom]);
                        return Err(ENOSPC);
                    };
                    l3.push(cbm, GFP_KERNEL)?;
                }
            }
            let gen = self.next_gen;
            self.next_gen += 1;
            let rg = RdtGroup::new(slot, gen, rmid)?;
            let (dir, mon_groups) = make_dirs(&rg)?;
            let mut g = Group {
                gen,
                kind: Kind::Ctrl {
                    closid,
                    mode: Sharing::Shareable,
                },
                rmid,
                cpus: CpuSet::new(),
                dir: Some(dir),
                mon_groups,
                mon_data: None,
                mon_doms: KVec::new(),
                drv: KVec::new(),
                rg,
            };
            self.add_mon_data(doms, &mut g)?;
            let arch = self.arch;
            let mb = arch.mb_alloc().is_some() && self.shows(Res::Mb);
            let init = |doms: &mut DomainList| -> Result {
                for (dom, &cbm) in l3.iter().enumerate() {
                    doms.set_ctrl(arch, Res::L3, dom, closid, cbm)?;
                }
                if mb {
                    let def = arch.default_ctrl(Res::Mb);
                    for dom in 0..doms.len() {
                        doms.set_ctrl(arch, Res::Mb, dom, closid, def)?;
                    }
                }
                Ok(())
            };
            init(doms).inspect_err(|_| {
                let _ = writeln!(log, "Failed to initialize allocations");
            })?;
            if let Some(d) = g.dir.as_ref() {
                d.activate();
            }
            self.groups[slot] = Some(g);
            Ok(())
        })();
        if r.is_err() {
            self.free_rmid(rmid, 0);
        }
        r
    }

    /// Adds a MON group below the CTRL_MON group in `parent`. Upstream's
    /// `rdtgroup_mkdir_mon()`.
    pub(crate) fn add_mon_group(
        &mut self,
        doms: &DomainList,
        log: &mut LastCmd,
        parent: usize,
        make_dir: impl FnOnce(&Arc<RdtGroup>) -> Result<Dir<ResctrlFs>>,
    ) -> Result<usize> {
        let slot = self.free_slot().ok_or(ENOSPC)?;
        let rmid = self.alloc_rmid(log)?;
        let gen = self.next_gen;
        self.next_gen += 1;
        let r = (|| {
            let rg = RdtGroup::new(slot, gen, rmid)?;
            let dir = make_dir(&rg)?;
            let mut g = Group {
                gen,
                kind: Kind::Mon { parent },
                rmid,
                cpus: CpuSet::new(),
                dir: Some(dir),
                mon_groups: None,
                mon_data: None,
                mon_doms: KVec::new(),
                drv: KVec::new(),
                rg,
            };
            self.add_mon_data(doms, &mut g)?;
            Ok(g)
        })();
        match r {
            Ok(g) => {
                if let Some(d) = g.dir.as_ref() {
                    d.activate();
                }
                self.at(parent).rg.mon_rmids.insert(rmid);
                self.groups[slot] = Some(g);
                Ok(slot)
            }
            Err(e) => {
                self.free_rmid(rmid, 0);
                Err(e)
            }
        }
    }

    /// Removes the group in `slot` (not the default group): its tasks and
    /// CPUs go to its parent (MON group) or the default group (CTRL_MON
    /// group, with its MON groups), its CLOSID is freed. Its directories go
    /// to `dirs`, to be removed once the lock is dropped; its RMIDs (its MON
    /// groups' too) to `rmids`, for the caller to free through limbo.
    pub(crate) fn remove_group(
        &mut self,
        slot: usize,
        dirs: &mut KVec<Dir<ResctrlFs>>,
        rmids: &mut KVec<u32>,
    ) -> Result {
        let to = match self.at(slot).kind {
            Kind::Mon { parent } => parent,
            Kind::Ctrl { .. } => DEFAULT,
        };
        // Tasks: of the group and, for a CTRL_MON group, of its MON groups.
        let mut running = self.move_tasks(Some(slot), to);
        let children: KVec<usize> = collect(self.children(slot))?;
        for &c in children.iter() {
            running = running.or(&self.move_tasks(Some(c), to));
        }
        // CPUs.
        let cpus = self.at(slot).cpus;
        let cpus = children.iter().fold(cpus, |m, &c| m.or(&self.at(c).cpus));
        let t = self.at_mut(to);
        t.cpus = t.cpus.or(&cpus);
        for c in cpus.iter() {
            self.arch
                .set_cpu_defaults(c, self.closid_of(to), self.at(to).rmid);
        }
        resched(&running.or(&cpus));
        if let Kind::Mon { parent } = self.at(slot).kind {
            self.at(parent).rg.mon_rmids.remove(self.at(slot).rmid);
        }
        // IDs and directories.
        for &c in Iterator::chain(children.iter(), core::iter::once(&slot)) {
            let mut g = self.groups[c].take().expect("live slot");
            g.rg.deleted.store(true, Ordering::Release);
            if g.rmid != 0 {
                rmids.push(g.rmid, GFP_KERNEL)?;
            }
            if let Kind::Ctrl { closid, .. } = g.kind {
                self.closids.free(closid);
            }
            while let Some((_, d)) = crate::kapi::vec::KVecExt::pop_last(&mut g.mon_doms) {
                dirs.push(d, GFP_KERNEL)?;
            }
            for d in [g.dir, g.mon_groups, g.mon_data].into_iter().flatten() {
                dirs.push(d, GFP_KERNEL)?;
            }
        }
        Ok(())
    }

    /// Puts every task and CPU back to the default group's IDs, and every
    /// control value to its default, as at unmount.
    pub(crate) fn reset_all(&mut self, doms: &mut DomainList) -> Result {
        let running = self.move_tasks(None, DEFAULT);
        let mut all = CpuSet::new();
        (0..cpu::nr_cpu_ids())
            .filter(|&c| cpu::online(c))
            .for_each(|c| all.insert(c));
        for c in all.iter() {
            self.arch.set_cpu_defaults(c, 0, 0);
        }
        resched(&running.or(&all));
        for i in 0..doms.len() {
            doms.reset_ctrls(self.arch, i)?;
        }
        Ok(())
    }

    /// Sets the mode of the group in `slot`.
    pub(crate) fn set_mode(&mut self, slot: usize, mode: Sharing) {
        if let Kind::Ctrl { mode: m, .. } = &mut self.at_mut(slot).kind {
            *m = mode;
        }
    }

    /// Applies the values of a parsed `schemata` write for `closid`.
    pub(crate) fn apply_schemata(
        &self,
        doms: &mut DomainList,
        closid: u32,
        staged: &schemata::Staged,
    ) -> Result {
        let res: KVec<Res> = collect(self.schemas(doms)?.iter().map(|(r, _)| *r))?;
        for (s, &r) in res.iter().enumerate() {
            for dom in 0..doms.len() {
                if let Some(v) = staged.get(s, dom) {
                    if doms.at(dom).ctrl(r, closid) != v {
                        doms.set_ctrl(self.arch, r, dom, closid, v)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Assigns `new` to the group in `slot`, as upstream's `cpus_ctrl_write()`
    /// and `cpus_mon_write()`.
    pub(crate) fn set_cpus(&mut self, slot: usize, new: CpuSet, log: &mut LastCmd) -> Result {
        let cur = self.at(slot).cpus;
        match self.at(slot).kind {
            Kind::Mon { parent } => {
                if !new.andnot(&self.at(parent).cpus).is_empty() {
                    let _ = writeln!(log, "Can only add CPUs to mongroup that belong to parent");
                    return Err(EINVAL);
                }
                let dropped = cur.andnot(&new);
                if !dropped.is_empty() {
                    self.update_cpus(&dropped, parent);
                }
                let added = new.andnot(&cur);
                if !added.is_empty() {
                    let siblings: KVec<usize> = collect(self.children(parent))?;
                    for &s in siblings.iter().filter(|&&s| s != slot) {
                        let g = self.at_mut(s);
                        g.cpus = g.cpus.andnot(&added);
                    }
                    self.update_cpus(&added, slot);
                }
                self.at_mut(slot).cpus = new;
            }
            Kind::Ctrl { .. } => {
                let dropped = cur.andnot(&new);
                if !dropped.is_empty() {
                    if slot == DEFAULT {
                        let _ = writeln!(log, "Can't drop CPUs from default group");
                        return Err(EINVAL);
                    }
                    let d = self.at_mut(DEFAULT);
                    d.cpus = d.cpus.or(&dropped);
                    self.update_cpus(&dropped, DEFAULT);
                }
                let added = new.andnot(&cur);
                if !added.is_empty() {
                    let all: KVec<usize> = collect(self.slots())?;
                    for &s in all.iter().filter(|&&s| s != slot) {
                        let g = self.at_mut(s);
                        g.cpus = g.cpus.andnot(&added);
                    }
                    self.update_cpus(&added, slot);
                }
                self.at_mut(slot).cpus = new;
                // The MON groups start over with the new parent mask; the
                // CPUs they had run with the parent's RMID again.
                let children: KVec<usize> = collect(self.children(slot))?;
                for &c in children.iter() {
                    let lost = new.and(&self.at(c).cpus);
                    self.at_mut(c).cpus = CpuSet::new();
                    if !lost.is_empty() {
                        self.update_cpus(&lost, slot);
                    }
                }
            }
        }
        Ok(())
    }
}

/// The items of `it`, in a vector.
pub(crate) fn collect<T>(it: impl Iterator<Item = T>) -> Result<KVec<T>> {
    let mut v = KVec::new();
    for x in it {
        v.push(x, GFP_KERNEL)?;
    }
    Ok(v)
}

/// Reloads the IDs on the CPUs of `mask` for what runs there now.
fn resched(mask: &CpuSet) {
    for c in mask.iter().filter(|&c| cpu::online(c)) {
        // An offline CPU reloads at its next switch anyway.
        let _ = cpu::call_on_cpu(c, sched::resched_current);
    }
}
