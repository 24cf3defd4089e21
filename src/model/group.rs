// SPDX-License-Identifier: GPL-2.0

//! Resource groups: the default group, CTRL_MON groups (a CLOSID and an
//! RMID each) and MON groups (an RMID, the parent's CLOSID); their IDs,
//! CPUs and tasks, and the CLOSID and RMID allocators.
//!
//! A group ([`RdtGroup`]) lives in a slot of [`Groups`], under resctrl's
//! mutex. What holds a group from outside the mutex (its directory, its open
//! files, perf events) holds an `Arc<GroupHandle>` ([`handle`]) naming the
//! slot and a generation, never a pointer into the slots: once the group is
//! removed, they still hold valid memory and find the group gone
//! (`ENOENT`).
//!
//! Control values live in the domains ([`DomainList`]); functions that need
//! them take the list, which the same mutex protects. The file system that
//! shows the groups is [`crate::fs::tree`]; it follows the slots.

mod alloc;
mod cpus;
mod handle;
pub(crate) mod io_alloc;
mod reparent;
mod tasks;

pub(crate) use handle::GroupHandle;

use crate::{
    hw::arch::{Arch, Event, Res, SchemaId, NUM_RES},
    kapi::{
        cpu,
        resctrl_driver::{GroupInfo, GroupType},
        sched,
        vec::collect,
    },
    logic::{
        alloc_policy::{self, Sharing},
        cpumask::CpuSet,
        ids::{AllocError, ClosidAllocator, RmidAllocator, RmidEntry},
        mba_sc::MBA_MAX_MBPS,
    },
    model::{domain::DomainList, driver::DriverList, last_cmd::LastCmd},
};
use core::fmt::Write;
use kernel::{prelude::*, sync::Arc};

/// The most groups of a hierarchy.
pub(crate) const MAX_GROUPS: usize = 512;

/// The default group's slot.
pub(crate) const DEFAULT: usize = 0;

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

/// Whether the hardware lets the MBA software controller run: a bandwidth
/// event to measure with and linear MBA to throttle with, both per L3
/// domain (here they always are).
pub(crate) fn mba_sc_capable(arch: &dyn Arch) -> bool {
    let linear = arch
        .alloc(Res::Mb)
        .and_then(|r| r.mb())
        .is_some_and(|m| m.delay_linear);
    linear && mba_mbps_default_event(arch).is_some()
}

/// The bandwidth event the MBA software controller measures a new CTRL_MON
/// group by: local bandwidth if the hardware counts it, else total
/// (upstream's `mba_mbps_default_event`); `None` without either.
pub(crate) fn mba_mbps_default_event(arch: &dyn Arch) -> Option<Event> {
    let mon = arch.l3_mon()?;
    [Event::MbmLocal, Event::MbmTotal]
        .into_iter()
        .find(|&e| mon.has(e))
}

/// A group, in its slot: upstream's `struct rdtgroup` without its kernfs
/// nodes.
pub(crate) struct RdtGroup {
    gen: u64,
    /// Its kind.
    pub(crate) kind: Kind,
    /// Its RMID (0 without monitoring).
    pub(crate) rmid: u32,
    /// The CPUs assigned to it.
    pub(crate) cpus: CpuSet,
    /// What its directory, files and perf events hold.
    pub(crate) handle: Arc<GroupHandle>,
    /// With the MBA software controller (`-o mba_MBps`), a CTRL_MON
    /// group's input: the bandwidth event it keeps under its limit
    /// (`mba_MBps_event`).
    pub(crate) mba_mbps_event: Option<Event>,
}

/// The groups of the mounted hierarchy, their IDs and allocators.
pub(crate) struct Groups {
    /// The hardware.
    pub(crate) arch: &'static dyn Arch,
    slots: KVec<Option<RdtGroup>>,
    next_gen: u64,
    closids: ClosidAllocator,
    rmids: Option<RmidAllocator<KVec<RmidEntry>>>,
    /// New groups take RMIDs below this: the smallest `num_rmids` of the
    /// registered drivers' resources ([`DriverList::rmid_cap`]).
    rmid_cap: u32,
    /// Per core resource ([`Res::index`]), whether the mount leaves it out
    /// because a driver that programs the same hardware was registered.
    hidden: [bool; NUM_RES],
    /// Per core resource, whether the mount has code and data
    /// prioritisation on (`-o cdp`, `-o cdpl2`).
    cdp: [bool; NUM_RES],
    /// Whether the MBA software controller is on (`-o mba_MBps`): then
    /// `MB` values are MBps limits, see [`crate::mon::mba_sc`].
    mba_sc: bool,
    /// io_alloc's CLOSID while it is on (see [`io_alloc`]).
    io_alloc: Option<u32>,
}

impl Groups {
    /// The groups of a new mount: the default group owns every online CPU,
    /// every task and CLOSID 0 with full allocations in every domain.
    /// Core resources a registered driver conflicts with are left out.
    /// `cdp` asks for code and data prioritisation per resource: `EINVAL`
    /// where the mount shows no such resource or it has none; the caller
    /// turns it on in the hardware ([`Groups::switch_cdp`]). `mba_sc` asks
    /// for the MBA software controller: `EINVAL` where
    /// [`Groups::supports_mba_sc`] says no.
    pub(crate) fn new(
        arch: &'static dyn Arch,
        doms: &mut DomainList,
        drivers: &DriverList,
        cdp: [bool; NUM_RES],
        mba_sc: bool,
    ) -> Result<KBox<Self>> {
        let hidden = Res::ALL.map(|r| drivers.owns(r));
        if mba_sc && !Self::supports_mba_sc(arch, drivers) {
            return Err(EINVAL);
        }
        for r in Res::ALL.into_iter().filter(|r| cdp[r.index()]) {
            let capable = arch.alloc(r).is_some_and(|a| a.cdp_capable);
            if !capable || hidden[r.index()] {
                return Err(EINVAL);
            }
        }
        // The fewest CLOSIDs of any schema the mount shows (upstream's
        // closid_init()): with CDP, half the resource's.
        let num_closid = Res::ALL
            .iter()
            .filter(|r| !hidden[r.index()])
            .filter_map(|&r| Some((r, arch.alloc(r)?)))
            .map(|(r, a)| a.num_closid / if cdp[r.index()] { 2 } else { 1 })
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
        let mut slots = KVec::with_capacity(MAX_GROUPS, GFP_KERNEL)?;
        for _ in 0..MAX_GROUPS {
            slots.push(None, GFP_KERNEL)?;
        }
        slots[DEFAULT] = Some(RdtGroup {
            gen: 0,
            kind: Kind::Ctrl {
                closid: 0,
                mode: Sharing::Shareable,
            },
            rmid: 0,
            cpus: online_cpus(),
            handle: GroupHandle::new(DEFAULT, 0, 0)?,
            mba_mbps_event: mba_mbps_default_event(arch).filter(|_| mba_sc),
        });
        // CLOSID 0, the default group's, is never handed out.
        let closids = ClosidAllocator::new(num_closid);
        let groups = KBox::new(
            Self {
                arch,
                slots,
                next_gen: 1,
                closids,
                rmids,
                rmid_cap: drivers.rmid_cap(),
                hidden,
                cdp,
                mba_sc,
                io_alloc: None,
            },
            GFP_KERNEL,
        )?;
        doms.reset_all_ctrls(arch)?;
        for i in 0..doms.len() {
            doms.at_mut(i).mba_sc.reset();
        }
        Ok(groups)
    }

    /// Whether the MBA software controller can run (upstream's
    /// `supports_mba_mbps()`, 6.14): see [`mba_sc_capable`], and MBA not
    /// left to a driver.
    pub(crate) fn supports_mba_sc(arch: &dyn Arch, drivers: &DriverList) -> bool {
        mba_sc_capable(arch) && !drivers.owns(Res::Mb)
    }

    /// Whether the MBA software controller is on.
    pub(crate) fn mba_sc(&self) -> bool {
        self.mba_sc
    }

    /// The default group's handle.
    pub(crate) fn default_group(&self) -> &Arc<GroupHandle> {
        &self.at(DEFAULT).handle
    }

    /// Whether allocation (any resource) is available.
    pub(crate) fn alloc_capable(&self) -> bool {
        Res::ALL.iter().any(|&r| self.arch.alloc(r).is_some())
    }

    /// Whether monitoring is available.
    pub(crate) fn mon_capable(&self) -> bool {
        self.rmids.is_some()
    }

    /// Whether the mount shows core resource `res`: the hardware has it and
    /// no driver that programs the same hardware was registered at mount.
    pub(crate) fn shows(&self, res: Res) -> bool {
        self.arch.alloc(res).is_some() && !self.hidden[res.index()]
    }

    /// The group `h` names, unless it was removed; `None` names the default
    /// group.
    pub(crate) fn group(&self, h: Option<&GroupHandle>) -> Option<&RdtGroup> {
        match h {
            None => self.slots[DEFAULT].as_ref(),
            Some(h) => self.slots.get(h.slot)?.as_ref().filter(|g| g.gen == h.gen),
        }
    }

    /// The slot of the group `h` names, unless it was removed.
    pub(crate) fn slot_of(&self, h: Option<&GroupHandle>) -> Option<usize> {
        self.group(h)?;
        Some(h.map_or(DEFAULT, |h| h.slot))
    }

    /// The group in `slot`.
    pub(crate) fn at(&self, slot: usize) -> &RdtGroup {
        // Callers pass slots they found in the groups under the same lock.
        self.slots[slot].as_ref().expect("live slot")
    }

    fn at_mut(&mut self, slot: usize) -> &mut RdtGroup {
        self.slots[slot].as_mut().expect("live slot")
    }

    /// The CLOSID tasks and CPUs of the group in `slot` run with.
    pub(crate) fn closid_of(&self, slot: usize) -> u32 {
        match self.at(slot).kind {
            Kind::Ctrl { closid, .. } => closid,
            Kind::Mon { parent } => self.closid_of(parent),
        }
    }

    /// The slots of live groups, the default group first.
    pub(crate) fn slots(&self) -> impl Iterator<Item = usize> + '_ {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, g)| g.is_some())
            .map(|(i, _)| i)
    }

    /// The slots of live groups, in a vector.
    pub(crate) fn live_slots(&self) -> Result<KVec<usize>> {
        collect(self.slots())
    }

    /// The slots of the MON groups of the CTRL_MON group in `slot`.
    fn children(&self, slot: usize) -> impl Iterator<Item = usize> + '_ {
        self.slots()
            .filter(move |&s| self.at(s).kind == Kind::Mon { parent: slot })
    }

    /// The group in `slot` and, for a CTRL_MON group, its MON groups,
    /// without allocating.
    pub(crate) fn members(&self, slot: usize) -> impl Iterator<Item = usize> + '_ {
        Iterator::chain(core::iter::once(slot), self.children(slot))
    }

    /// The group in `slot` and, for a CTRL_MON group, its MON groups.
    pub(crate) fn subtree(&self, slot: usize) -> Result<KVec<usize>> {
        let mut v = collect(self.children(slot))?;
        v.push(slot, GFP_KERNEL)?;
        Ok(v)
    }

    /// What a driver sees of the group in `slot`.
    pub(crate) fn group_info(&self, slot: usize) -> GroupInfo {
        let g = self.at(slot);
        GroupInfo {
            ty: match g.kind {
                Kind::Ctrl { .. } => GroupType::CtrlMon,
                Kind::Mon { .. } => GroupType::Mon,
            },
            closid: self.closid_of(slot),
            rmid: g.rmid,
        }
    }

    fn free_slot(&self) -> Option<usize> {
        self.slots.iter().position(|g| g.is_none())
    }

    fn next_gen(&mut self) -> u64 {
        let gen = self.next_gen;
        self.next_gen += 1;
        gen
    }

    /// Allocates the RMID of a new group; the caller frees it on failure.
    fn alloc_rmid(&mut self, log: &mut LastCmd) -> Result<u32> {
        let Some(rmids) = self.rmids.as_mut() else {
            return Ok(0);
        };
        rmids.alloc_below(self.rmid_cap).map_err(|e| {
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

    /// Drivers came or went: new groups take RMIDs below `cap`.
    pub(crate) fn set_rmid_cap(&mut self, cap: u32) {
        self.rmid_cap = cap;
    }

    /// The RMIDs of all groups.
    pub(crate) fn rmids_in_use(&self) -> Result<KVec<u32>> {
        collect(self.slots().map(|s| self.at(s).rmid))
    }

    /// Adds a CTRL_MON group: allocates its IDs and allocations, then lets
    /// `present` show it (given its handle and the domains), then sets its
    /// allocations in the hardware. Upstream's `rdtgroup_mkdir_ctrl_mon()`.
    /// Returns its slot and what `present` made.
    pub(crate) fn add_ctrl_group<T>(
        &mut self,
        doms: &mut DomainList,
        log: &mut LastCmd,
        present: impl FnOnce(&Arc<GroupHandle>, &DomainList) -> Result<T>,
    ) -> Result<(usize, T)> {
        let slot = self.free_slot().ok_or(ENOSPC)?;
        let closid = self.closids.alloc().map_err(|_| {
            let _ = writeln!(log, "Out of CLOSIDs");
            ENOSPC
        })?;
        let r = self.add_ctrl_group_with(doms, log, slot, closid, present);
        if r.is_err() {
            self.closids.free(closid);
        }
        r.map(|t| (slot, t))
    }

    fn add_ctrl_group_with<T>(
        &mut self,
        doms: &mut DomainList,
        log: &mut LastCmd,
        slot: usize,
        closid: u32,
        present: impl FnOnce(&Arc<GroupHandle>, &DomainList) -> Result<T>,
    ) -> Result<T> {
        let rmid = self.alloc_rmid(log)?;
        let r = (|| {
            // The initial allocations: what upstream's rdtgroup_init_alloc()
            // gives, per cache schema (each CDP half on its own) and domain.
            let mut masks: KVec<(SchemaId, usize, u32)> = KVec::new();
            for id in self.schema_ids() {
                let Some(c) = self.arch.alloc(id.res).and_then(|r| r.cache()) else {
                    continue;
                };
                for (dom, &dom_id) in doms.ids_of(id.res).iter().enumerate() {
                    let others = self.others(doms, id, dom, Some(closid));
                    let Some(cbm) = alloc_policy::new_group_cbm(c, others) else {
                        let _ = writeln!(log, "No space on {}:{}", id.name(), dom_id);
                        return Err(ENOSPC);
                    };
                    masks.push((id, dom, cbm), GFP_KERNEL)?;
                }
            }
            let gen = self.next_gen();
            let handle = GroupHandle::new(slot, gen, rmid)?;
            let shown = present(&handle, doms)?;
            let arch = self.arch;
            let hidden = self.hidden;
            let mba_sc = self.mba_sc;
            let init = |doms: &mut DomainList| -> Result {
                for &(id, dom, cbm) in masks.iter() {
                    doms.set_ctrl(arch, id, dom, closid, cbm)?;
                }
                // Bandwidth resources start unthrottled.
                for res in [Res::Mb, Res::Smba] {
                    let Some(r) = arch.alloc(res).filter(|_| !hidden[res.index()]) else {
                        continue;
                    };
                    for dom in 0..doms.len_of(res) {
                        // With the software controller, without a limit;
                        // the throttle stays the controller's (upstream's
                        // rdtgroup_init_mba()).
                        if mba_sc && res == Res::Mb {
                            doms.at_mut(dom).mba_sc.set_mbps_val(closid, MBA_MAX_MBPS);
                            continue;
                        }
                        doms.set_ctrl(arch, SchemaId::whole(res), dom, closid, r.default_ctrl())?;
                    }
                }
                Ok(())
            };
            init(doms).inspect_err(|_| {
                let _ = writeln!(log, "Failed to initialize allocations");
            })?;
            self.slots[slot] = Some(RdtGroup {
                gen,
                kind: Kind::Ctrl {
                    closid,
                    mode: Sharing::Shareable,
                },
                rmid,
                cpus: CpuSet::new(),
                handle,
                mba_mbps_event: mba_mbps_default_event(arch).filter(|_| mba_sc),
            });
            Ok(shown)
        })();
        if r.is_err() {
            self.free_rmid(rmid, 0);
        }
        r
    }

    /// Adds a MON group below the CTRL_MON group in `parent`, once
    /// `present` showed it (given its handle). Upstream's
    /// `rdtgroup_mkdir_mon()`. Returns its slot and what `present` made.
    pub(crate) fn add_mon_group<T>(
        &mut self,
        log: &mut LastCmd,
        parent: usize,
        present: impl FnOnce(&Arc<GroupHandle>) -> Result<T>,
    ) -> Result<(usize, T)> {
        let slot = self.free_slot().ok_or(ENOSPC)?;
        let rmid = self.alloc_rmid(log)?;
        let gen = self.next_gen();
        let r = GroupHandle::new(slot, gen, rmid).and_then(|h| Ok((present(&h)?, h)));
        match r {
            Ok((shown, handle)) => {
                self.at(parent).handle.mon_rmids.insert(rmid);
                self.slots[slot] = Some(RdtGroup {
                    gen,
                    kind: Kind::Mon { parent },
                    rmid,
                    cpus: CpuSet::new(),
                    handle,
                    mba_mbps_event: None,
                });
                Ok((slot, shown))
            }
            Err(e) => {
                self.free_rmid(rmid, 0);
                Err(e)
            }
        }
    }

    /// Removes the group in `slot` (not the default group): its tasks and
    /// CPUs go to its parent (MON group) or the default group (CTRL_MON
    /// group, with its MON groups), its CLOSID is freed. Its RMIDs (its MON
    /// groups' too) go to `rmids`, for the caller to free through limbo;
    /// returns the slots that were emptied.
    pub(crate) fn remove_group(
        &mut self,
        slot: usize,
        rmids: &mut KVec<u32>,
    ) -> Result<KVec<usize>> {
        let to = match self.at(slot).kind {
            Kind::Mon { parent } => parent,
            Kind::Ctrl { .. } => DEFAULT,
        };
        // Every allocation first: once tasks move, nothing fails.
        let mut gone: KVec<usize> = collect(self.children(slot))?;
        gone.push(slot, GFP_KERNEL)?;
        rmids.reserve(gone.len(), GFP_KERNEL)?;
        // Tasks: of the group and, for a CTRL_MON group, of its MON groups.
        let running = gone
            .iter()
            .fold(CpuSet::new(), |m, &c| m.or(&self.move_tasks(Some(c), to)));
        // CPUs.
        let cpus = gone
            .iter()
            .fold(CpuSet::new(), |m, &c| m.or(&self.at(c).cpus));
        let t = self.at_mut(to);
        t.cpus = t.cpus.or(&cpus);
        for c in cpus.iter() {
            self.arch
                .set_cpu_defaults(c, self.closid_of(to), self.at(to).rmid);
        }
        resched(&running.or(&cpus));
        if let Kind::Mon { parent } = self.at(slot).kind {
            self.at(parent).handle.mon_rmids.remove(self.at(slot).rmid);
        }
        // IDs.
        for &c in gone.iter() {
            let g = self.slots[c].take().expect("live slot");
            g.handle.set_deleted();
            if g.rmid != 0 {
                // Room was reserved above.
                let _ = rmids.push(g.rmid, GFP_KERNEL);
            }
            if let Kind::Ctrl { closid, .. } = g.kind {
                self.closids.free(closid);
            }
        }
        Ok(gone)
    }

    /// Marks every group removed, as at unmount.
    pub(crate) fn mark_all_deleted(&self) {
        for g in self.slots.iter().flatten() {
            g.handle.set_deleted();
        }
    }
}

/// The online CPUs.
fn online_cpus() -> CpuSet {
    let mut online = CpuSet::new();
    (0..cpu::nr_cpu_ids())
        .filter(|&c| cpu::online(c))
        .for_each(|c| online.insert(c));
    online
}

/// Reloads the IDs on the CPUs of `mask` for what runs there now.
fn resched(mask: &CpuSet) {
    for c in mask.iter().filter(|&c| cpu::online(c)) {
        // An offline CPU reloads at its next switch anyway.
        let _ = cpu::call_on_cpu(c, sched::resched_current);
    }
}
