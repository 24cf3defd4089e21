// SPDX-License-Identifier: GPL-2.0

//! L3 domains: the CPUs that share one L3 cache. Cache and bandwidth
//! allocation and L3 monitoring all work per domain.
//!
//! A [`Domain`] is reference counted ([`Kref`]): the list of online domains
//! holds one reference, the per-CPU map ([`cpu_map`]) one per online CPU of
//! the domain, each queued worker one, and each perf event one. It holds
//! what code without resctrl's mutex reads: its id, whether it is still
//! online, the bandwidth accounting ([`MbmTable`]) and the counters
//! assigned to RMIDs ([`cntrs`]). The rest (its CPUs,
//! control values, limbo RMIDs and where its workers run) is in its
//! [`OnlineDomain`] in the [`DomainList`], under the mutex.
//!
//! The CPU hotplug state of [`crate::hotplug`] keeps the list current whether or
//! not resctrl is mounted. A domain whose last CPU goes offline leaves the
//! list; it is freed when its last reference goes. A domain that comes back
//! is a new object.

pub(crate) mod cntrs;
pub(crate) mod cpu_map;
pub(crate) mod ctrl_list;
pub(crate) mod mba_sc;

use cntrs::{CntrTable, ReadMode};
use ctrl_list::CtrlList;
use mba_sc::MbaScState;

use crate::{
    hw::arch::{Arch, Res, SchemaId, NUM_RES},
    kapi::{
        kref::Kref,
        sync::{new_raw_spinlock_irq, RawSpinLockIrq},
        vec::KVecExt,
        workqueue::{ClassKey, DelayedWork},
    },
    logic::{
        cpumask::CpuSet, ids::MAX_CLOSIDS, mbm::MbmCell, rmid_set::RmidSet, seqcount::SeqCount,
    },
};
use core::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use kernel::{c_str, prelude::*};

/// Bandwidth accounting of one RMID: total and local.
pub(crate) type MbmPair = [MbmCell; 2];

/// Domain objects in memory, online or not: what debugfs reports as
/// `alive`, so tests see offline domains being freed.
static ALIVE: AtomicUsize = AtomicUsize::new(0);

/// A domain's bandwidth accounting.
///
/// Writers (file reads, the overflow worker, resets) hold the domain's lock
/// across the hardware read and the update, so two writers never interleave
/// on a counter; they go through [`MbmWriter`]. Perf reads without the
/// lock ([`Domain::peek_mbm`]): they store nothing, and load the state
/// under the sequence counter, so they never see a torn update.
pub(crate) struct MbmTable {
    seq: SeqCount,
    /// How many resets there were: each reset stamps the counters it starts
    /// over with the new count, so perf sees which RMIDs started over.
    resets: AtomicU64,
    /// Per RMID, the running totals of the total and local counters.
    rmids: KVec<MbmPair>,
}

/// A writer of an [`MbmTable`], and of what lockless readers find in the
/// domain's [`CntrTable`]: made by [`Domain::with_mbm`], with the domain's
/// lock held and the sequence counter's write begun.
pub(crate) struct MbmWriter<'a>(&'a MbmTable, &'a CntrTable);

impl MbmWriter<'_> {
    fn cell(&self, rmid: u32, slot: usize) -> Option<&MbmCell> {
        self.0.rmids.get(rmid as usize)?.get(slot)
    }

    /// A new reset sequence number, for the counters a reset starts over.
    fn next_born(&mut self) -> u64 {
        let born = self.0.resets.load(Ordering::Relaxed) + 1;
        self.0.resets.store(born, Ordering::Relaxed);
        born
    }

    /// Feeds a raw read of `rmid`'s `width`-bit counter `slot` (0 total, 1
    /// local) into its running total; returns the total, `None` if there
    /// is no such counter.
    pub(crate) fn update(&mut self, rmid: u32, slot: usize, raw: u64, width: u32) -> Option<u64> {
        let c = self.cell(rmid, slot)?;
        let mut s = c.take();
        let total = s.update(raw, width);
        c.store(s);
        Some(total)
    }

    /// Starts both counters of `rmid` over, stamped with a new reset
    /// sequence number.
    pub(crate) fn reset(&mut self, rmid: u32) {
        let born = self.next_born();
        self.reset_at(rmid, born);
    }

    /// Starts both counters of every RMID over from zero, stamped with one
    /// new reset sequence number, as the hardware just cleared them (a
    /// change of the event configuration): the next reads count from 0.
    pub(crate) fn restart_all(&mut self) {
        let born = self.next_born();
        for cell in self.0.rmids.iter().flat_map(|pair| pair.iter()) {
            let mut s = cell.load();
            s.restart_at(born);
            cell.store(s);
            cell.clear_rezero();
        }
    }

    /// Starts `rmid`'s counter `slot` over from zero, stamped with a new
    /// reset sequence number, as the hardware just cleared it (a counter
    /// assigned or unassigned).
    pub(crate) fn restart(&mut self, rmid: u32, slot: usize) {
        let born = self.next_born();
        if let Some(c) = self.cell(rmid, slot) {
            let mut s = c.load();
            s.restart_at(born);
            c.store(s);
            c.clear_rezero();
        }
    }

    /// Readers find assignable counter `cntr` (or none) as `rmid`'s for
    /// event slot `slot` (see [`CntrTable`]).
    pub(crate) fn publish_cntr(&mut self, rmid: u32, slot: usize, cntr: Option<u32>) {
        self.1.publish(rmid, slot, cntr);
    }

    /// Readers read the domain's bandwidth events in `mode`, every counter
    /// assignment forgotten.
    pub(crate) fn set_read_mode(&mut self, mode: ReadMode) {
        self.1.clear();
        self.1.set_mode(mode);
    }

    fn reset_at(&mut self, rmid: u32, born: u64) {
        for slot in 0..2 {
            if let Some(c) = self.cell(rmid, slot) {
                let mut s = c.load();
                s.reset_at(born);
                c.store(s);
                c.clear_rezero();
            }
        }
    }
}

/// An L3 domain; see the module documentation.
#[pin_data(PinnedDrop)]
pub(crate) struct Domain {
    /// The cache id, as `schemata` and `mon_L3_<id>` name it.
    pub(crate) id: u32,
    /// The L3 size in bytes.
    pub(crate) l3_size: u32,
    online: AtomicBool,
    /// Serialises the writers of `mbm`.
    #[pin]
    mbm_lock: RawSpinLockIrq<()>,
    /// The bandwidth accounting.
    mbm: MbmTable,
    /// The assignable counters (counter assignment), if any.
    pub(crate) cntrs: CntrTable,
    /// The MBM overflow worker.
    #[pin]
    pub(crate) overflow_work: DelayedWork<Domain, 0>,
    /// The limbo worker.
    #[pin]
    pub(crate) limbo_work: DelayedWork<Domain, 1>,
}

static OVERFLOW_KEYS: [ClassKey; 2] = [ClassKey::new(), ClassKey::new()];
static LIMBO_KEYS: [ClassKey; 2] = [ClassKey::new(), ClassKey::new()];

impl Domain {
    /// A new online domain with accounting for `num_rmid` RMIDs, and
    /// `cntrs` assignable counters read in `mode`.
    fn new(id: u32, l3_size: u32, num_rmid: u32, cntrs: u32, mode: ReadMode) -> Result<Kref<Self>> {
        let cntrs = CntrTable::new(cntrs, num_rmid, mode)?;
        let mut table = KVec::with_capacity(num_rmid as usize, GFP_KERNEL)?;
        for _ in 0..num_rmid {
            table.push(MbmPair::default(), GFP_KERNEL)?;
        }
        let d = Kref::pin_init(
            try_pin_init!(Self {
                id,
                l3_size,
                online: AtomicBool::new(true),
                mbm_lock <- new_raw_spinlock_irq!((), "resctrl_domain_mbm"),
                mbm: MbmTable {
                    seq: SeqCount::new(),
                    resets: AtomicU64::new(0),
                    rmids: table,
                },
                cntrs,
                overflow_work <- DelayedWork::new(
                    c_str!("resctrl_mbm_overflow"),
                    &OVERFLOW_KEYS[0],
                    &OVERFLOW_KEYS[1]
                ),
                limbo_work <- DelayedWork::new(
                    c_str!("resctrl_limbo"),
                    &LIMBO_KEYS[0],
                    &LIMBO_KEYS[1]
                ),
            }),
            GFP_KERNEL,
        )?;
        ALIVE.fetch_add(1, Ordering::Relaxed);
        Ok(d)
    }

    /// Whether the domain is still online (in the list).
    pub(crate) fn is_online(&self) -> bool {
        self.online.load(Ordering::Acquire)
    }

    /// Runs `f` as the writer of the bandwidth accounting: under the
    /// domain's lock, within a write of its sequence counter. Interrupts
    /// are off meanwhile: keep it short and never sleep.
    pub(crate) fn with_mbm<R>(&self, f: impl FnOnce(&mut MbmWriter<'_>) -> R) -> R {
        let _guard = self.mbm_lock.lock();
        self.mbm.seq.write_begin();
        let r = f(&mut MbmWriter(&self.mbm, &self.cntrs));
        self.mbm.seq.write_end();
        r
    }

    /// What `rmid`'s counter `slot` totals (in counter units) as of the
    /// last read that stored, and its reset sequence number.
    pub(crate) fn mbm_total(&self, rmid: u32, slot: usize) -> Option<(u64, u64)> {
        let cell = self.mbm.rmids.get(rmid as usize)?.get(slot)?;
        self.mbm.seq.read(|| {
            let s = cell.load();
            Some((s.total(), s.born()))
        })
    }

    /// The domain's reset sequence number now.
    pub(crate) fn mbm_resets(&self) -> u64 {
        // One word: no torn read to guard against.
        self.mbm.resets.load(Ordering::Relaxed)
    }

    /// What `rmid`'s counter `slot` totals now (`None` if `read` gives
    /// nothing), and its reset sequence number, for a reader that takes no
    /// lock and stores nothing (perf): loads the state, then calls `read`
    /// for the hardware counter (a `width`-bit one), again if a writer
    /// overlapped. `None` if there is no such counter.
    ///
    /// Interrupts must be off, on a CPU of the domain (so no writer runs
    /// on this CPU meanwhile): the hardware read comes after the writer's
    /// that the state holds, so it is not older than `prev`.
    pub(crate) fn peek_mbm(
        &self,
        rmid: u32,
        slot: usize,
        width: u32,
        mut read: impl FnMut() -> Option<u64>,
    ) -> Option<(Option<u64>, u64)> {
        let cell = self.mbm.rmids.get(rmid as usize)?.get(slot)?;
        Some(self.mbm.seq.read(|| {
            let s = cell.load_for_read();
            (read().map(|raw| s.peek(raw, width)), s.born())
        }))
    }

    /// A read of `rmid`'s hardware counter `slot` found it unavailable: see
    /// [`MbmCell::mark_rezero`]. Any reader may call it.
    pub(crate) fn mark_rezero(&self, rmid: u32, slot: usize) {
        if let Some(c) = self.mbm.rmids.get(rmid as usize).and_then(|p| p.get(slot)) {
            c.mark_rezero();
        }
    }
}

#[pinned_drop]
impl PinnedDrop for Domain {
    fn drop(self: Pin<&mut Self>) {
        ALIVE.fetch_sub(1, Ordering::Relaxed);
    }
}

/// Domain objects in memory (see [`ALIVE`]).
pub(crate) fn alive() -> usize {
    ALIVE.load(Ordering::Relaxed)
}

/// Where a domain's worker is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Not queued: it holds no reference.
    Idle,
    /// Queued to run on this CPU.
    Cpu(u32),
    /// Queued, but its CPU went offline: when it runs it picks another CPU
    /// of the domain or, if none is left, drops its reference.
    Invalid,
}

/// A domain in the list, with what resctrl's mutex protects.
pub(crate) struct OnlineDomain {
    /// The domain.
    pub(crate) dom: Kref<Domain>,
    /// Its online CPUs.
    pub(crate) cpus: CpuSet,
    /// Control values by resource and hardware index (the CLOSID, or with
    /// CDP [`SchemaId::hw_index`]).
    ctrl: [[u32; MAX_CLOSIDS as usize]; NUM_RES],
    /// The RMIDs in limbo still dirty here.
    pub(crate) busy: RmidSet,
    /// The overflow worker.
    pub(crate) overflow: Target,
    /// The limbo worker.
    pub(crate) limbo: Target,
    /// How long the overflow worker's last pass took, in nanoseconds.
    pub(crate) overflow_pass_ns: u64,
    /// The MBA software controller's limits and bandwidths here.
    pub(crate) mba_sc: MbaScState,
}

impl OnlineDomain {
    /// A CPU of the domain to run on: `prefer` if it is one, else the first.
    pub(crate) fn cpu(&self, prefer: Option<u32>) -> Option<u32> {
        prefer
            .filter(|&c| self.cpus.contains(c))
            .or_else(|| self.cpus.iter().next())
    }
}

/// The online domains by ascending id, under resctrl's mutex.
pub(crate) struct DomainList {
    entries: KVec<OnlineDomain>,
    /// The ids of `entries`, in the same order, for the schemata parser.
    ids: KVec<u32>,
    /// Per resource, whether a registered driver programs its hardware, so
    /// the core leaves it alone.
    driver_owned: [bool; NUM_RES],
    /// The L2 domains, for [`Res::L2`]; the rest of the resources are
    /// controlled per L3 domain (`entries`).
    l2: CtrlList,
}

impl DomainList {
    /// No domain.
    pub(crate) const fn new() -> Self {
        Self {
            entries: KVec::new(),
            ids: KVec::new(),
            driver_owned: [false; NUM_RES],
            l2: CtrlList::new(),
        }
    }

    /// The ids of `res`'s domains, by index: its cache level's.
    pub(crate) fn ids_of(&self, res: Res) -> &[u32] {
        match res {
            Res::L2 => self.l2.ids(),
            _ => &self.ids,
        }
    }

    /// How many domains `res` has.
    pub(crate) fn len_of(&self, res: Res) -> usize {
        self.ids_of(res).len()
    }

    /// The size in bytes of the cache of `res`'s domain at `d`.
    pub(crate) fn cache_size(&self, res: Res, d: usize) -> u32 {
        match res {
            Res::L2 => self.l2.get(d).map_or(0, |e| e.size),
            _ => self.entries.get(d).map_or(0, |e| e.dom.l3_size),
        }
    }

    /// The control value of `closid` in schema `s` of `s.res`'s domain at
    /// `d`.
    pub(crate) fn ctrl(&self, s: SchemaId, d: usize, closid: u32) -> u32 {
        let i = s.hw_index(closid) as usize;
        let v = match s.res {
            Res::L2 => self.l2.get(d).and_then(|e| e.ctrl.get(i)),
            r => self.entries.get(d).and_then(|e| e.ctrl[r.index()].get(i)),
        };
        v.copied().unwrap_or(0)
    }

    /// Whether a registered driver programs `res`, which the core then
    /// leaves alone (see [`DomainList::set_ctrl`]).
    pub(crate) fn set_driver_owned(&mut self, res: Res, owned: bool) {
        self.driver_owned[res.index()] = owned;
    }

    /// How many domains are online.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Their ids, by index.
    pub(crate) fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The domain at `i`.
    pub(crate) fn at(&self, i: usize) -> &OnlineDomain {
        &self.entries[i]
    }

    /// The domain at `i`.
    pub(crate) fn at_mut(&mut self, i: usize) -> &mut OnlineDomain {
        &mut self.entries[i]
    }

    /// The domains.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &OnlineDomain> {
        self.entries.iter()
    }

    /// The index of the domain with id `id`.
    pub(crate) fn find(&self, id: u32) -> Option<usize> {
        self.ids.iter().position(|&d| d == id)
    }

    /// The index of `dom`, if it is still in the list.
    pub(crate) fn index_of(&self, dom: &Kref<Domain>) -> Option<usize> {
        self.entries.iter().position(|e| Kref::ptr_eq(&e.dom, dom))
    }

    /// The index of the domain `cpu` is in.
    pub(crate) fn of_cpu(&self, cpu: u32) -> Option<usize> {
        self.entries.iter().position(|e| e.cpus.contains(cpu))
    }

    /// Adds a new domain `id` whose first CPU is `cpu`, with every CLOSID of
    /// every resource at its default, in the hardware too; returns its index.
    pub(crate) fn add(
        &mut self,
        arch: &dyn Arch,
        id: u32,
        l3_size: u32,
        cpu: u32,
    ) -> Result<usize> {
        let num_rmid = arch.l3_mon().map_or(0, |m| m.num_rmid);
        let num_cntrs = arch.l3_mon().and_then(|m| m.cntrs).map_or(0, |c| c.num);
        // A domain that comes online has every counter free, as upstream.
        let mode = match arch.cntr_assign_enabled() {
            true => ReadMode::Cntr,
            false => ReadMode::Rmid,
        };
        let dom = Domain::new(id, l3_size, num_rmid, num_cntrs, mode)?;
        let mba_sc = MbaScState::new(num_rmid)?;
        let mut cpus = CpuSet::new();
        cpus.insert(cpu);
        let i = self.ids.iter().position(|&d| d > id).unwrap_or(self.len());
        self.ids.insert_at(i, id, GFP_KERNEL)?;
        let r = self.entries.insert_at(
            i,
            OnlineDomain {
                dom,
                cpus,
                ctrl: [[0; MAX_CLOSIDS as usize]; NUM_RES],
                busy: RmidSet::new(),
                overflow: Target::Idle,
                limbo: Target::Idle,
                overflow_pass_ns: 0,
                mba_sc,
            },
            GFP_KERNEL,
        );
        if let Err(e) = r {
            self.ids.remove_at(i);
            return Err(e);
        }
        self.reset_ctrls(arch, i)?;
        Ok(i)
    }

    /// Takes the domain at `i` out of the list: it is offline from now on.
    pub(crate) fn take(&mut self, i: usize) -> OnlineDomain {
        self.ids.remove_at(i);
        let e = self.entries.remove_at(i);
        e.dom.online.store(false, Ordering::Release);
        e
    }

    /// Sets the control value of `closid` in schema `s` of `s.res`'s domain
    /// at `i`, in the hardware first; nothing for a resource a driver
    /// programs.
    pub(crate) fn set_ctrl(
        &mut self,
        arch: &dyn Arch,
        s: SchemaId,
        i: usize,
        closid: u32,
        val: u32,
    ) -> Result {
        self.set_hw_ctrl(arch, s.res, i, s.hw_index(closid), val)
    }

    /// Sets the control value at hardware index `index` of `res` in its
    /// domain at `i`.
    fn set_hw_ctrl(&mut self, arch: &dyn Arch, res: Res, i: usize, index: u32, val: u32) -> Result {
        if self.driver_owned[res.index()] {
            return Ok(());
        }
        let (cpus, table) = match res {
            Res::L2 => {
                let e = self.l2.get_mut(i).ok_or(EINVAL)?;
                (&e.cpus, &mut e.ctrl)
            }
            r => {
                let e = self.entries.get_mut(i).ok_or(EINVAL)?;
                (&e.cpus, &mut e.ctrl[r.index()])
            }
        };
        let slot = table.get_mut(index as usize).ok_or(EINVAL)?;
        let cpu = cpus.iter().next().ok_or(ENODEV)?;
        arch.write_ctrl(cpu, res, index, val)?;
        *slot = val;
        Ok(())
    }

    /// Turns CDP of cache `res` on or off in each of its domains: on every
    /// CPU where the switch is per CPU, else on one CPU of each domain.
    pub(crate) fn set_cdp(&self, arch: &dyn Arch, res: Res, on: bool) -> Result {
        let set = |cpus: &CpuSet| -> Result {
            let n = if arch.cdp_per_cpu() { usize::MAX } else { 1 };
            cpus.iter()
                .take(n)
                .try_for_each(|cpu| arch.set_cdp(cpu, res, on))
        };
        match res {
            Res::L2 => self.l2.iter().try_for_each(|e| set(&e.cpus)),
            _ => self.entries.iter().try_for_each(|e| set(&e.cpus)),
        }
    }

    /// CPU `cpu`, online, joins the L2 domain `id` (a cache of `size`
    /// bytes), which is added, with every value at its default, if `cpu`
    /// is its first.
    pub(crate) fn l2_join(&mut self, arch: &dyn Arch, id: u32, size: u32, cpu: u32) -> Result {
        if let Some(i) = self.l2.find(id) {
            if let Some(e) = self.l2.get_mut(i) {
                e.cpus.insert(cpu);
            }
            return Ok(());
        }
        let i = self.l2.insert(id, size, cpu)?;
        let r = self.reset_res(arch, Res::L2, i);
        if r.is_err() {
            self.l2.remove(i);
        }
        r
    }

    /// CPU `cpu` leaves its L2 domain, which goes if `cpu` was its last.
    pub(crate) fn l2_leave(&mut self, cpu: u32) {
        let Some(i) = self.l2.of_cpu(cpu) else {
            return;
        };
        if let Some(e) = self.l2.get_mut(i) {
            e.cpus.remove(cpu);
            if e.cpus.is_empty() {
                self.l2.remove(i);
            }
        }
    }

    /// Puts every value of `res` in its domain at `i` back to its default.
    fn reset_res(&mut self, arch: &dyn Arch, res: Res, i: usize) -> Result {
        let Some(r) = arch.alloc(res) else {
            return Ok(());
        };
        for index in 0..r.num_closid {
            self.set_hw_ctrl(arch, res, i, index, r.default_ctrl())?;
        }
        Ok(())
    }

    /// Puts every value of every resource of every domain back to its
    /// default.
    pub(crate) fn reset_all_ctrls(&mut self, arch: &dyn Arch) -> Result {
        for i in 0..self.len() {
            self.reset_ctrls(arch, i)?;
        }
        for i in 0..self.l2.ids().len() {
            self.reset_res(arch, Res::L2, i)?;
        }
        Ok(())
    }

    /// Puts every value of every resource controlled per L3 domain (all
    /// but [`Res::L2`]) of the L3 domain at `i` back to its default.
    pub(crate) fn reset_ctrls(&mut self, arch: &dyn Arch, i: usize) -> Result {
        for res in Res::ALL.into_iter().filter(|&r| r != Res::L2) {
            self.reset_res(arch, res, i)?;
        }
        Ok(())
    }
}
