// SPDX-License-Identifier: GPL-2.0

//! Emulated RDT: a software model of an RDT part behind [`Access`], for
//! machines without RDT (QEMU). The driver cannot tell it from hardware.
//!
//! Two parts ([`Flavour`], `resctrl_rs.emulate=intel|amd`), which answer
//! `CPUID` and the MSRs as their vendor's hardware does, #GP (`EIO`)
//! included:
//! - **Intel:** L3 CAT with an 11-bit mask, bits 10:9 shared with other
//!   agents, contiguous masks of at least one bit, 16 CLOSIDs; linear MBA
//!   with 8 CLOSIDs, a maximum delay of 90 and steps of 10 (`IA32_MBA_THRTL_n`
//!   holds the delay); L2 CAT per L2 cache with an 8-bit mask and 16
//!   CLOSIDs (`IA32_L2_MASK_n`); a 24-bit counter.
//! - **AMD** (`CPUID` says `AuthenticAMD`): L3 CAT with a 16-bit mask that
//!   may be sparse or empty, 16 CLOSIDs; MBA and SMBA with 16 CLOSIDs each,
//!   in units of 1/8 GB/s up to 2048 (`BW_LEN` 11; `MSR_IA32_MBA_BW_n` and
//!   `MSR_IA32_SMBA_BW_n` refuse more); bandwidth event configuration
//!   (BMEC: `MSR_IA32_EVT_CFG_n`, 7 event bits, per domain; a change starts
//!   the domain's bandwidth counters over, each next read unavailable); a
//!   44-bit counter, which leaf 0xF does not report, as on AMD parts; fewer
//!   bandwidth counters than RMIDs, assignable through ABMC ([`abmc`]);
//!   SDCIAE (`L3_QOS_EXT_CFG` bit 1, kept per CPU). The Intel MSRs it lacks
//!   raise #GP.
//!
//! Both: L3 monitoring of occupancy, total and local bandwidth with 128
//! RMIDs (`resctrl_rs.emulate_rmids=` sets 1..=1024), 64 bytes per counter
//! unit (`resctrl_rs.emulate_width=` sets the counter width, 24..=62).
//! Masks and bandwidth values live per domain, as on hardware;
//! `IA32_PQR_ASSOC` and `IA32_QM_EVTSEL` per CPU. The CPUs' capabilities
//! (`/proc/cpuinfo`) gain the features the model's `CPUID` reports
//! ([`cpucaps`]); the guest's own `CPUID` and vendor stay the CPU's (see
//! `scripts/boot.sh`).
//!
//! Counters are driven by what runs: the time a task runs is charged to the
//! RMID loaded on its CPU, in the CPU's domain: one byte of total bandwidth
//! per 4 ns (250 MB/s per busy CPU, so a 24-bit counter of a domain of four
//! busy CPUs wraps no sooner than the overflow worker reads it) scaled by the
//! MBA throttle of the CPU's CLOSID (see [`Emul::mba_percent`]), half of it
//! local (under BMEC, the share the event bits select: see
//! [`traffic_share`]), and one byte of occupancy per nanosecond, capped at
//! the L3 size.
//! Time is charged at each context switch and, to an RMID that runs at that
//! moment on CPUs of the domain, at each read of its counters (at most once
//! every 10 microseconds per CPU). The idle task is not charged. The
//! occupancy of an RMID that runs nowhere in its domain decays, halving
//! every `decay_ms` milliseconds (20 by default, 0 for never), so freed
//! RMIDs leave limbo on their own.
//!
//! debugfs `resctrl_rs_emul/` shows and sets the model, see
//! [`files::DEBUGFS`].

mod abmc;
mod cpucaps;
mod cpuid;
mod files;
mod runtime;

use crate::{
    hw::rdt_access::*,
    kapi::{
        cpu::{self, CpusHeld},
        debugfs,
    },
};
use abmc::traffic_share;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel::{c_str, prelude::*};

/// Which vendor's part the model is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// Intel RDT.
    Intel,
    /// AMD PQoS.
    Amd,
}

impl Flavour {
    /// L3 mask length.
    const fn cbm_len(self) -> u32 {
        match self {
            Flavour::Intel => 11,
            Flavour::Amd => 16,
        }
    }

    /// L3 bits shared with other agents.
    const fn shareable_bits(self) -> u32 {
        match self {
            Flavour::Intel => 0x600,
            Flavour::Amd => 0,
        }
    }

    /// MBA CLOSIDs.
    const fn mba_closids(self) -> u32 {
        match self {
            Flavour::Intel => 8,
            Flavour::Amd => 16,
        }
    }

    /// The full L3 mask.
    const fn full_mask(self) -> u64 {
        (1u64 << self.cbm_len()) - 1
    }

    /// What the MBA (and SMBA) MSRs hold after a reset: no delay (Intel),
    /// all the bandwidth (AMD).
    const fn bw_default(self) -> u64 {
        match self {
            Flavour::Intel => 0,
            Flavour::Amd => AMD_BW_MAX,
        }
    }
}

/// L3 CLOSIDs, of both parts; also the size of the model's MSR tables.
pub(crate) const L3_CLOSIDS: u32 = 16;
/// Intel MBA maximum delay.
pub(crate) const MBA_MAX_DELAY: u32 = 90;
/// AMD's `BW_LEN`: bandwidth values go up to `1 << AMD_BW_LEN`.
const AMD_BW_LEN: u32 = 11;
/// AMD's largest bandwidth value: unthrottled.
const AMD_BW_MAX: u64 = 1 << AMD_BW_LEN;
/// AMD SMBA CLOSIDs.
const SMBA_CLOSIDS: u32 = 16;
/// L2 mask length of the Intel part.
const L2_CBM_LEN: u32 = 8;
/// L2 CLOSIDs of the Intel part.
const L2_CLOSIDS: u32 = 16;
/// Counter width of the AMD part (24 + 20, not reported in leaf 0xF).
const AMD_WIDTH: u32 = 44;
/// RMIDs, unless `resctrl_rs.emulate_rmids=` says otherwise.
pub(crate) const NUM_RMID: u32 = 128;
/// Default half-life of the occupancy of an RMID that runs nowhere.
const DECAY_MS: u32 = 20;
/// Bytes per counter unit.
pub(crate) const SCALE: u32 = 64;
/// Nanoseconds of a busy CPU per byte of total bandwidth: 250 MB/s, so that
/// the 24-bit counter of a domain with four busy CPUs wraps after 1.07 s at
/// the soonest, later than the 1 s overflow worker reads it.
const NS_PER_BYTE: u64 = 4;

/// A counter read charges the running time of a CPU that runs its RMID only
/// if the CPU's last charge is this old: what ran since is charged at the
/// next read or context switch, so nothing is lost, and counters move in
/// steps of at most 2.5 KB per busy CPU, as hardware counters move in steps
/// too.
const READ_GRAIN_NS: u64 = 10_000;

const EVENTS: usize = 3;

struct CpuModel {
    dom: AtomicU32,
    pqr: AtomicU64,
    evtsel: AtomicU64,
    last_ns: AtomicU64,
    idle: AtomicBool,
    /// `IA32_L3_QOS_CFG` of the AMD part, which has one per CPU.
    qos_cfg: AtomicU64,
    /// Its L2 domain, an index into [`Emul::l2doms`] (Intel).
    l2dom: AtomicU32,
    /// `L3_QOS_EXT_CFG` (AMD), per CPU: bit 0 turns ABMC on.
    ext_cfg: AtomicU64,
}

impl CpuModel {
    /// The RMID loaded on the CPU: `IA32_PQR_ASSOC` bits 9:0.
    fn rmid(&self) -> usize {
        (self.pqr.load(Ordering::Relaxed) & 0x3ff) as usize
    }

    /// The CLOSID loaded on the CPU: `IA32_PQR_ASSOC` bits 63:32.
    fn closid(&self) -> usize {
        (self.pqr.load(Ordering::Relaxed) >> 32) as usize
    }
}

struct Counter {
    bytes: [AtomicU64; EVENTS],
    /// When the occupancy was last charged, set or decayed.
    occ_stamp: AtomicU64,
    error: [AtomicBool; EVENTS],
    unavailable: [AtomicBool; EVENTS],
    /// Started over by an event configuration change (BMEC): the next
    /// read is unavailable.
    fresh: [AtomicBool; EVENTS],
    /// Default mode (AMD): its hardware counter was taken by another RMID,
    /// so its bandwidth reads are unavailable until it runs again.
    evicted: AtomicBool,
    /// The nanoseconds CPUs of the domain ran tasks with this RMID; never
    /// reset ([`runtime`]).
    run_ns: AtomicU64,
}

struct DomModel {
    id: u32,
    /// The package its CPUs are in.
    pkg: u32,
    l3_size: u64,
    l3_mask: [AtomicU64; L3_CLOSIDS as usize],
    /// Intel: the throttle delay; AMD: the bandwidth.
    mba: [AtomicU64; L3_CLOSIDS as usize],
    /// AMD: the slow-memory bandwidth.
    smba: [AtomicU64; SMBA_CLOSIDS as usize],
    /// `IA32_L3_QOS_CFG` of the Intel part, which has one per domain.
    qos_cfg: AtomicU64,
    /// The event bits of the total and local bandwidth events (BMEC's
    /// `MSR_IA32_EVT_CFG_n`, AMD; fixed on Intel).
    evt_cfg: [AtomicU64; 2],
    counters: KVec<Counter>,
    /// The bandwidth counters of the AMD part, fewer than its RMIDs
    /// (ABMC).
    abmc: abmc::DomCntrs,
    /// The domain's CPUs, indices into [`Emul::cpus`].
    cpus: KVec<u32>,
}

/// One L2 cache of the Intel part: its masks and its CDP switch.
struct L2Model {
    id: u32,
    mask: [AtomicU64; L2_CLOSIDS as usize],
    qos_cfg: AtomicU64,
}

/// The emulated part.
pub(crate) struct Emul {
    flavour: Flavour,
    cpus: KVec<CpuModel>,
    doms: KVec<DomModel>,
    l2doms: KVec<L2Model>,
    width: AtomicU32,
    num_rmid: u32,
    /// Bandwidth counters per domain (AMD; 0 for none, and no ABMC).
    num_cntrs: u32,
    decay_ms: AtomicU32,
}

static MODEL: crate::kapi::global::Global<Emul> = crate::kapi::global::Global::new();

/// Builds the model of a `flavour` part for the online CPUs, once, and its
/// debugfs directory.
pub(crate) fn get_or_init(cpus: &CpusHeld, flavour: Flavour) -> Result<&'static Emul> {
    if let Some(m) = MODEL.get() {
        return Ok(m);
    }
    let num_rmid = crate::kapi::cmdline::param("resctrl_rs.emulate_rmids")
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|n| (1..=crate::logic::ids::MAX_RMIDS).contains(n))
        .unwrap_or(NUM_RMID);
    let num_cntrs = match flavour {
        Flavour::Intel => 0,
        Flavour::Amd => crate::kapi::cmdline::param("resctrl_rs.emulate_cntrs")
            .and_then(|w| w.parse::<u32>().ok())
            .filter(|&n| n <= ABMC_MAX_CNTRS)
            .unwrap_or(ABMC_MAX_CNTRS),
    };
    let mut doms: KVec<DomModel> = KVec::new();
    let mut model_cpus = KVec::new();
    for _ in 0..cpu::nr_cpu_ids() {
        model_cpus.push(
            CpuModel {
                dom: AtomicU32::new(u32::MAX),
                pqr: AtomicU64::new(0),
                evtsel: AtomicU64::new(0),
                last_ns: AtomicU64::new(0),
                idle: AtomicBool::new(true),
                qos_cfg: AtomicU64::new(0),
                l2dom: AtomicU32::new(u32::MAX),
                ext_cfg: AtomicU64::new(0),
            },
            GFP_KERNEL,
        )?;
    }
    // The Intel part has L2 CAT, per L2 cache.
    let mut l2doms: KVec<L2Model> = KVec::new();
    for c in (0..cpu::nr_cpu_ids()).filter(|_| flavour == Flavour::Intel) {
        let Some((id, _)) = cpus.cache_info(c, 2) else {
            continue;
        };
        let i = match l2doms.iter().position(|d| d.id == id) {
            Some(i) => i,
            None => {
                const FULL: u64 = (1u64 << L2_CBM_LEN) - 1;
                l2doms.push(
                    L2Model {
                        id,
                        mask: [const { AtomicU64::new(FULL) }; L2_CLOSIDS as usize],
                        qos_cfg: AtomicU64::new(0),
                    },
                    GFP_KERNEL,
                )?;
                l2doms.len() - 1
            }
        };
        model_cpus[c as usize]
            .l2dom
            .store(i as u32, Ordering::Relaxed);
    }
    for c in 0..cpu::nr_cpu_ids() {
        let Some((id, size)) = cpus.l3_info(c) else {
            continue;
        };
        let i = match doms.iter().position(|d| d.id == id) {
            Some(i) => i,
            None => {
                let mut counters = KVec::with_capacity(num_rmid as usize, GFP_KERNEL)?;
                for _ in 0..num_rmid {
                    counters.push(
                        Counter {
                            bytes: [const { AtomicU64::new(0) }; EVENTS],
                            occ_stamp: AtomicU64::new(0),
                            error: [const { AtomicBool::new(false) }; EVENTS],
                            unavailable: [const { AtomicBool::new(false) }; EVENTS],
                            fresh: [const { AtomicBool::new(false) }; EVENTS],
                            evicted: AtomicBool::new(false),
                            run_ns: AtomicU64::new(0),
                        },
                        GFP_KERNEL,
                    )?;
                }
                doms.push(
                    DomModel {
                        id,
                        pkg: cpus.scope_id(c, cpu::Scope::Package).unwrap_or(0),
                        l3_size: size as u64,
                        l3_mask: [const { AtomicU64::new(0) }; L3_CLOSIDS as usize],
                        mba: [const { AtomicU64::new(0) }; L3_CLOSIDS as usize],
                        smba: [const { AtomicU64::new(0) }; SMBA_CLOSIDS as usize],
                        qos_cfg: AtomicU64::new(0),
                        evt_cfg: [AtomicU64::new(0x7f), AtomicU64::new(0x15)],
                        counters,
                        abmc: abmc::DomCntrs::new(num_cntrs)?,
                        cpus: KVec::new(),
                    },
                    GFP_KERNEL,
                )?;
                let d = &doms[doms.len() - 1];
                let full = flavour.full_mask();
                d.l3_mask
                    .iter()
                    .for_each(|m| m.store(full, Ordering::Relaxed));
                for m in Iterator::chain(d.mba.iter(), d.smba.iter()) {
                    m.store(flavour.bw_default(), Ordering::Relaxed);
                }
                doms.len() - 1
            }
        };
        model_cpus[c as usize]
            .dom
            .store(i as u32, Ordering::Relaxed);
        doms[i].cpus.push(c, GFP_KERNEL)?;
    }
    let width = crate::kapi::cmdline::param("resctrl_rs.emulate_width")
        .and_then(|w| w.parse::<u32>().ok())
        .filter(|w| (24..=62).contains(w))
        .unwrap_or(match flavour {
            Flavour::Intel => 24,
            Flavour::Amd => AMD_WIDTH,
        });
    let m = KBox::pin(
        Emul {
            flavour,
            cpus: model_cpus,
            doms,
            l2doms,
            width: AtomicU32::new(width),
            num_rmid,
            num_cntrs,
            decay_ms: AtomicU32::new(DECAY_MS),
        },
        GFP_KERNEL,
    )?;
    MODEL.set_pinned(m)?;
    runtime::export()?;
    let dir = debugfs::Dir::new(c_str!("resctrl_rs_emul"));
    for f in files::DEBUGFS.iter() {
        dir.create_file(f);
    }
    // The model lives as long as the kernel, and so does its directory.
    core::mem::forget(dir);
    MODEL.get().ok_or(EINVAL)
}

impl Emul {
    /// Shows the part's features in the CPUs' capabilities
    /// (`/proc/cpuinfo`), once the driver has taken it: see [`cpucaps`].
    pub(crate) fn publish_features(&self, cpus: &CpusHeld) {
        cpucaps::publish(cpus, self);
    }

    fn this_cpu(&self) -> Option<(&CpuModel, &DomModel)> {
        let c = self.cpus.get(cpu::processor_id() as usize)?;
        let d = self.doms.get(c.dom.load(Ordering::Relaxed) as usize)?;
        Some((c, d))
    }

    fn width_mask(&self) -> u64 {
        (1u64 << self.width.load(Ordering::Relaxed)) - 1
    }

    /// Charges CPU `c` in domain `d` for what ran there from its last charge
    /// to `now`: to the RMID loaded there, unless it was idle.
    fn charge(&self, c: &CpuModel, d: &DomModel, now: u64) {
        let mut last = c.last_ns.load(Ordering::Relaxed);
        loop {
            if last == 0 || now <= last {
                // Before the first switch after mounting, or a clock read
                // on another CPU that is a little behind: nothing to charge.
                if last == 0 {
                    let _ =
                        c.last_ns
                            .compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
                }
                return;
            }
            match c
                .last_ns
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => break,
                Err(l) => last = l,
            }
        }
        if c.idle.load(Ordering::Relaxed) {
            return;
        }
        let bytes = now - last;
        // Bandwidth at one byte per `NS_PER_BYTE`, without losing remainders
        // (the sum over consecutive charges telescopes), less what the
        // throttle holds back (at most a byte lost per charge).
        let bw = (now / NS_PER_BYTE - last / NS_PER_BYTE) * self.mba_percent(c, d) / 100;
        let Some(ctr) = d.counters.get(c.rmid()) else {
            return;
        };
        if d.abmc.is_on() {
            d.abmc.charge(c.rmid() as u32, bw);
        } else {
            if d.abmc.limited(self.num_rmid) {
                if let Some(lost) = d.abmc.hold(c.rmid() as u32, now) {
                    // Its counter is another RMID's now: it reads
                    // unavailable, and counts from 0 when it gets one back.
                    if let Some(l) = d.counters.get(lost as usize) {
                        l.evicted.store(true, Ordering::Relaxed);
                        l.bytes[1].store(0, Ordering::Relaxed);
                        l.bytes[2].store(0, Ordering::Relaxed);
                    }
                }
                // Given one back, it counts from 0, and its first read is
                // unavailable, as the hardware's.
                if ctr.evicted.swap(false, Ordering::Relaxed) {
                    ctr.fresh[1].store(true, Ordering::Relaxed);
                    ctr.fresh[2].store(true, Ordering::Relaxed);
                }
            }
            for (e, cfg) in [(1, &d.evt_cfg[0]), (2, &d.evt_cfg[1])] {
                let share = traffic_share(cfg.load(Ordering::Relaxed));
                ctr.bytes[e].fetch_add(bw * share / 16, Ordering::Relaxed);
            }
        }
        ctr.run_ns.fetch_add(bytes, Ordering::Relaxed);
        let occ = ctr.bytes[0].load(Ordering::Relaxed);
        ctr.bytes[0].store(occ.saturating_add(bytes).min(d.l3_size), Ordering::Relaxed);
        ctr.occ_stamp.store(now, Ordering::Relaxed);
    }

    /// How much of a busy CPU's bandwidth the MBA throttle of its CLOSID in
    /// `d` lets through, in percent: on Intel 100 less the delay the MSR
    /// holds; on AMD the bandwidth it holds, in 1/8 GB/s, against the busy
    /// CPU's 250 MB/s (two units).
    fn mba_percent(&self, c: &CpuModel, d: &DomModel) -> u64 {
        let Some(v) = d.mba.get(c.closid()).map(|v| v.load(Ordering::Relaxed)) else {
            return 100;
        };
        match self.flavour {
            Flavour::Intel => 100u64.saturating_sub(v),
            Flavour::Amd => v.saturating_mul(50).min(100),
        }
    }

    /// Brings the counters of `rmid` in domain `d` up to `now`: charges the
    /// CPUs that run it there (those charged less than [`READ_GRAIN_NS`] ago
    /// are left for later) and decays its occupancy if it runs nowhere there.
    /// A CPU that runs another RMID, or is idle, is charged at its next
    /// context switch or read of its RMID's counters: reading one counter
    /// costs only what the counter needs.
    fn catch_up(&self, d: &DomModel, rmid: usize, now: u64) {
        let running = self.charge_running(d, rmid, now);
        let half = self.decay_ms.load(Ordering::Relaxed) as u64 * 1_000_000;
        let Some(ctr) = d.counters.get(rmid) else {
            return;
        };
        let stamp = ctr.occ_stamp.load(Ordering::Relaxed);
        if running || half == 0 || now <= stamp {
            if running {
                ctr.occ_stamp.store(now, Ordering::Relaxed);
            }
            return;
        }
        let n = (now - stamp) / half;
        if n > 0 {
            let occ = ctr.bytes[0].load(Ordering::Relaxed);
            ctr.bytes[0].store(occ >> n.min(63), Ordering::Relaxed);
            ctr.occ_stamp.store(stamp + n * half, Ordering::Relaxed);
        }
    }
}

/// Whether the hardware takes mask `v` of a cache of `len` bits: any bits
/// of the mask on AMD; on Intel one contiguous run of at least one bit.
fn valid_cbm(flavour: Flavour, len: u32, v: u64) -> bool {
    if v >> len != 0 {
        return false;
    }
    if flavour == Flavour::Amd {
        return true;
    }
    if v == 0 {
        return false;
    }
    let run = v >> v.trailing_zeros();
    run & (run + 1) == 0
}

impl Emul {
    /// CPU `c`'s L2 cache (Intel).
    fn l2_of(&self, c: &CpuModel) -> Option<&L2Model> {
        self.l2doms.get(c.l2dom.load(Ordering::Relaxed) as usize)
    }

    /// BMEC's event configuration register `msr` of domain `d`, if the
    /// part has it (AMD).
    fn evt_cfg<'a>(&self, d: &'a DomModel, msr: u32) -> Option<&'a AtomicU64> {
        if self.flavour != Flavour::Amd {
            return None;
        }
        d.evt_cfg
            .get(msr.checked_sub(MSR_AMD_EVT_CFG_BASE)? as usize)
    }

    /// The L2 mask register `msr` of CPU `c`'s L2, if the part has it.
    fn l2_mask(&self, c: &CpuModel, msr: u32) -> Option<&AtomicU64> {
        let i = msr.checked_sub(MSR_L2_MASK_BASE)?;
        self.l2_of(c)?.mask.get(i as usize)
    }

    /// `IA32_L3_QOS_CFG` as CPU `c` of domain `d` sees it: the domain's on
    /// Intel, the CPU's own on AMD.
    fn qos_cfg<'a>(&self, c: &'a CpuModel, d: &'a DomModel) -> &'a AtomicU64 {
        match self.flavour {
            Flavour::Intel => &d.qos_cfg,
            Flavour::Amd => &c.qos_cfg,
        }
    }

    /// The MBA (or SMBA) table and index of `msr`, if the part has it.
    fn bw_reg<'a>(&self, d: &'a DomModel, msr: u32) -> Option<&'a AtomicU64> {
        let f = self.flavour;
        let in_range = |base: u32, n: u32| (base..base + n).contains(&msr).then(|| msr - base);
        let (table, i) = match f {
            Flavour::Intel => (&d.mba, in_range(MSR_MBA_THRTL_BASE, f.mba_closids())?),
            Flavour::Amd => match in_range(MSR_AMD_MBA_BW_BASE, f.mba_closids()) {
                Some(i) => (&d.mba, i),
                None => (&d.smba, in_range(MSR_AMD_SMBA_BW_BASE, SMBA_CLOSIDS)?),
            },
        };
        table.get(i as usize)
    }
}

impl Access for Emul {
    fn cpuid(&self, leaf: u32, subleaf: u32) -> [u32; 4] {
        self.cpuid_of(leaf, subleaf)
    }

    fn rdmsr(&self, msr: u32) -> Result<u64> {
        let (c, d) = self.this_cpu().ok_or(EIO)?;
        match msr {
            MSR_PQR_ASSOC => Ok(c.pqr.load(Ordering::Relaxed)),
            MSR_QM_EVTSEL => Ok(c.evtsel.load(Ordering::Relaxed)),
            MSR_L3_QOS_CFG => Ok(self.qos_cfg(c, d).load(Ordering::Relaxed)),
            MSR_QM_CTR if c.evtsel.load(Ordering::Relaxed) & QM_EVT_ABMC == QM_EVT_ABMC => {
                Ok(self.read_assigned(c, d))
            }
            MSR_QM_CTR => {
                let sel = c.evtsel.load(Ordering::Relaxed);
                let (evt, rmid) = ((sel & 0xff) as usize, (sel >> 32) as usize);
                let Some(ctr) = (1..=EVENTS)
                    .contains(&evt)
                    .then(|| d.counters.get(rmid))
                    .flatten()
                else {
                    return Ok(QM_CTR_ERROR);
                };
                let e = evt - 1;
                self.catch_up(d, rmid, cpu::clock_ns());
                if ctr.error[e].load(Ordering::Relaxed) {
                    return Ok(QM_CTR_ERROR);
                }
                if ctr.unavailable[e].load(Ordering::Relaxed)
                    || ctr.fresh[e].swap(false, Ordering::Relaxed)
                    || (e > 0 && ctr.evicted.load(Ordering::Relaxed) && !d.abmc.is_on())
                {
                    return Ok(QM_CTR_UNAVAILABLE);
                }
                let bytes = match (e, d.abmc.is_on()) {
                    // With ABMC, a bandwidth event reads the counter that
                    // counts the RMID with the event's bits, if one does.
                    (1 | 2, true) => {
                        let bits = d.evt_cfg[e - 1].load(Ordering::Relaxed);
                        match d.abmc.find(rmid as u32, bits) {
                            Some(b) => b,
                            None => return Ok(QM_CTR_UNAVAILABLE),
                        }
                    }
                    _ => ctr.bytes[e].load(Ordering::Relaxed),
                };
                Ok((bytes / SCALE as u64) & self.width_mask())
            }
            m if (MSR_L3_MASK_BASE..MSR_L3_MASK_BASE + L3_CLOSIDS).contains(&m) => {
                Ok(d.l3_mask[(m - MSR_L3_MASK_BASE) as usize].load(Ordering::Relaxed))
            }
            MSR_L2_QOS_CFG => Ok(self.l2_of(c).ok_or(EIO)?.qos_cfg.load(Ordering::Relaxed)),
            MSR_L3_QOS_EXT_CFG if self.flavour == Flavour::Amd => {
                Ok(c.ext_cfg.load(Ordering::Relaxed))
            }
            m if self.evt_cfg(d, m).is_some() => {
                Ok(self.evt_cfg(d, m).ok_or(EIO)?.load(Ordering::Relaxed))
            }
            m if self.l2_mask(c, m).is_some() => {
                Ok(self.l2_mask(c, m).ok_or(EIO)?.load(Ordering::Relaxed))
            }
            m => Ok(self.bw_reg(d, m).ok_or(EIO)?.load(Ordering::Relaxed)),
        }
    }

    fn wrmsr(&self, msr: u32, val: u64) -> Result {
        let (c, d) = self.this_cpu().ok_or(EIO)?;
        match msr {
            MSR_PQR_ASSOC => {
                if (val >> 32) >= L3_CLOSIDS as u64
                    || val & 0xffff_fc00 != 0
                    || (val & 0x3ff) >= self.num_rmid as u64
                {
                    return Err(EIO);
                }
                c.pqr.store(val, Ordering::Relaxed);
            }
            MSR_QM_EVTSEL => c.evtsel.store(val, Ordering::Relaxed),
            MSR_L3_QOS_EXT_CFG | MSR_L3_QOS_ABMC_CFG if self.flavour == Flavour::Amd => {
                self.write_ext(c, d, msr, val)?
            }
            // Bit 0, CDP, is the only bit.
            MSR_L3_QOS_CFG if val & !1 == 0 => self.qos_cfg(c, d).store(val, Ordering::Relaxed),
            m if self.evt_cfg(d, m).is_some() => {
                if val & !(EVT_CFG_BITS as u64) != 0 {
                    return Err(EIO);
                }
                let reg = self.evt_cfg(d, m).ok_or(EIO)?;
                if reg.swap(val, Ordering::Relaxed) != val {
                    // Every bandwidth counter of the domain starts over,
                    // its next read unavailable.
                    for ctr in d.counters.iter() {
                        for e in 1..EVENTS {
                            ctr.bytes[e].store(0, Ordering::Relaxed);
                            ctr.fresh[e].store(true, Ordering::Relaxed);
                        }
                    }
                }
            }
            MSR_L2_QOS_CFG if val & !1 == 0 => self
                .l2_of(c)
                .ok_or(EIO)?
                .qos_cfg
                .store(val, Ordering::Relaxed),
            m if self.l2_mask(c, m).is_some() => {
                if !valid_cbm(self.flavour, L2_CBM_LEN, val) {
                    return Err(EIO);
                }
                self.l2_mask(c, m).ok_or(EIO)?.store(val, Ordering::Relaxed);
            }
            m if (MSR_L3_MASK_BASE..MSR_L3_MASK_BASE + L3_CLOSIDS).contains(&m) => {
                // The hardware refuses masks that are empty, too wide or not
                // contiguous.
                if !valid_cbm(self.flavour, self.flavour.cbm_len(), val) {
                    return Err(EIO);
                }
                d.l3_mask[(m - MSR_L3_MASK_BASE) as usize].store(val, Ordering::Relaxed);
            }
            m => {
                let reg = self.bw_reg(d, m).ok_or(EIO)?;
                // A delay beyond the maximum (Intel), a bandwidth beyond
                // 1 << BW_LEN (AMD).
                let max = match self.flavour {
                    Flavour::Intel => MBA_MAX_DELAY as u64,
                    Flavour::Amd => AMD_BW_MAX,
                };
                if val > max {
                    return Err(EIO);
                }
                reg.store(val, Ordering::Relaxed);
            }
        }
        Ok(())
    }

    fn context_switch(&self, next_is_idle: bool) {
        let Some((c, d)) = self.this_cpu() else {
            return;
        };
        // The task switched out ran until now, as the idle flag says.
        self.charge(c, d, cpu::clock_ns());
        c.idle.store(next_is_idle, Ordering::Relaxed);
    }

    fn cpu_online(&self) {
        // A CPU that was offline comes back with its own registers reset,
        // and so does the CDP switch of a cache none of whose CPUs was
        // online: the driver must set them again. (Masks are kept, so
        // tests see the driver put them back to their defaults.)
        let this = cpu::processor_id();
        let Some(c) = self.cpus.get(this as usize) else {
            return;
        };
        for r in [&c.pqr, &c.evtsel, &c.qos_cfg, &c.ext_cfg] {
            r.store(0, Ordering::Relaxed);
        }
        let alone = |sel: &dyn Fn(&CpuModel) -> u32| {
            let mine = sel(c);
            !self
                .cpus
                .iter()
                .enumerate()
                .any(|(n, o)| n as u32 != this && sel(o) == mine && cpu::online(n as u32))
        };
        if let Some(d) = self.doms.get(c.dom.load(Ordering::Relaxed) as usize) {
            if alone(&|o| o.dom.load(Ordering::Relaxed)) {
                d.qos_cfg.store(0, Ordering::Relaxed);
                // ABMC is off in a domain whose CPUs all went.
                if d.abmc.switch(false) {
                    for ctr in d.counters.iter() {
                        ctr.bytes[1].store(0, Ordering::Relaxed);
                        ctr.bytes[2].store(0, Ordering::Relaxed);
                    }
                }
            }
        }
        if let Some(l2) = self.l2_of(c) {
            if alone(&|o| o.l2dom.load(Ordering::Relaxed)) {
                l2.qos_cfg.store(0, Ordering::Relaxed);
            }
        }
    }

    fn start(&self) {
        // Time before the mount is nobody's, and what a CPU runs is known
        // again from its next switch: until then it counts as idle, not as
        // what it ran when the hook went off, a second after the last
        // unmount (else an idle CPU would charge its RMID as busy).
        for c in self.cpus.iter() {
            c.last_ns.store(0, Ordering::Relaxed);
            c.idle.store(true, Ordering::Relaxed);
        }
    }
}
