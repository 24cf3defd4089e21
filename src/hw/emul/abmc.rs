// SPDX-License-Identifier: GPL-2.0

//! The AMD part's bandwidth counters, of which a domain has fewer than it
//! has RMIDs (`resctrl_rs.emulate_cntrs=`, 32 by default, 0 for none and no
//! ABMC; `CPUID` 0x80000020 sub-leaf 5).
//!
//! - **Default mode:** the domain's counters follow the RMIDs that ran
//!   there most recently, one each. An RMID that runs while all are taken
//!   takes the one whose RMID ran longest ago; that RMID's bandwidth reads
//!   are unavailable until it runs again and gets one back, which counts
//!   from 0 and whose first read is unavailable too, as a counter the
//!   hardware hands out again. Nothing is counted while it has none.
//! - **ABMC** (`L3_QOS_EXT_CFG` bit 0, written on every CPU of the domain;
//!   the first write that changes the domain's state clears every bandwidth
//!   counter of the domain, assignable or not, and their configurations; a
//!   domain all of whose CPUs went offline has it off):
//!   software assigns each counter to an RMID and a set of event bits
//!   through `L3_QOS_ABMC_CFG` (which clears the counter), and reads it
//!   through `IA32_QM_EVTSEL` with the extended event id and the counter id.
//!   A counter counts its RMID's traffic of its event bits (see
//!   [`traffic_share`]), wherever the RMID runs in the domain; the
//!   RMIDs' own bandwidth counters stop. An RMID's bandwidth event read
//!   through `IA32_QM_EVTSEL` as before gives the lowest counter that counts
//!   it with the event's `MSR_IA32_EVT_CFG_n` bits, else is unavailable.
//!   `L3_QOS_ABMC_CFG` and the extended read need ABMC on in the CPU (#GP
//!   and the error bit otherwise); an unconfigured counter reads the error
//!   bit.

use super::{CpuModel, DomModel, Emul, EVENTS, SCALE};
use crate::{hw::rdt_access::*, kapi::cpu};
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use kernel::prelude::*;

/// No RMID.
const NONE: u32 = u32::MAX;

/// The bits of `L3_QOS_ABMC_CFG` the model takes: `CfgEn`, `CtrEn`, the
/// counter id (52:48), the RMID (43:32) and the event bits.
const ABMC_CFG_VALID: u64 =
    ABMC_CFG_EN | ABMC_CNTR_EN | (0x1f << 48) | (0xfff << 32) | EVT_CFG_BITS as u64;

/// One counter.
struct Cntr {
    /// Its configuration (`L3_QOS_ABMC_CFG` as last applied to it), 0 for
    /// none.
    cfg: AtomicU64,
    /// What it counted, in bytes.
    bytes: AtomicU64,
    /// Default mode: the RMID it follows, [`NONE`] if none.
    owner: AtomicU32,
    /// Default mode: when its RMID last ran.
    last_ns: AtomicU64,
}

impl Cntr {
    /// The RMID and event bits it counts, if configured to count.
    fn counts(&self) -> Option<(u32, u64)> {
        let cfg = self.cfg.load(Ordering::Relaxed);
        (cfg & ABMC_CNTR_EN != 0)
            .then_some((((cfg >> 32) & 0xfff) as u32, cfg & EVT_CFG_BITS as u64))
    }
}

/// A domain's bandwidth counters.
pub(super) struct DomCntrs {
    /// Whether ABMC is on in the domain.
    on: AtomicBool,
    cntrs: KVec<Cntr>,
}

impl DomCntrs {
    /// `n` counters, ABMC off.
    pub(super) fn new(n: u32) -> Result<Self> {
        let mut cntrs = KVec::with_capacity(n as usize, GFP_KERNEL)?;
        for _ in 0..n {
            cntrs.push(
                Cntr {
                    cfg: AtomicU64::new(0),
                    bytes: AtomicU64::new(0),
                    owner: AtomicU32::new(NONE),
                    last_ns: AtomicU64::new(0),
                },
                GFP_KERNEL,
            )?;
        }
        Ok(Self {
            on: AtomicBool::new(false),
            cntrs,
        })
    }

    /// How many counters the domain has.
    pub(super) fn len(&self) -> u32 {
        self.cntrs.len() as u32
    }

    /// Whether ABMC is on in the domain.
    pub(super) fn is_on(&self) -> bool {
        self.on.load(Ordering::Relaxed)
    }

    /// A CPU of the domain set its ABMC switch to `on`: if that changes
    /// the domain's state, every counter is cleared and freed, and the
    /// caller clears the RMIDs' bandwidth counters (returns `true`).
    pub(super) fn switch(&self, on: bool) -> bool {
        if self.on.swap(on, Ordering::Relaxed) == on {
            return false;
        }
        for c in self.cntrs.iter() {
            c.cfg.store(0, Ordering::Relaxed);
            c.bytes.store(0, Ordering::Relaxed);
            c.owner.store(NONE, Ordering::Relaxed);
        }
        true
    }

    /// A write of `val` to `L3_QOS_ABMC_CFG`: with `CfgEn`, the counter it
    /// names takes the configuration and starts over from zero. `EIO` (#GP)
    /// for reserved bits or a counter the domain does not have.
    pub(super) fn configure(&self, val: u64) -> Result {
        if val & !ABMC_CFG_VALID != 0 {
            return Err(EIO);
        }
        let c = self.cntrs.get(((val >> 48) & 0x1f) as usize).ok_or(EIO)?;
        if val & ABMC_CFG_EN != 0 {
            c.cfg.store(val, Ordering::Relaxed);
            c.bytes.store(0, Ordering::Relaxed);
        }
        Ok(())
    }

    /// With ABMC on: `bw` bytes of `rmid`'s memory traffic go to every
    /// counter that counts `rmid`, as much as its event bits select.
    pub(super) fn charge(&self, rmid: u32, bw: u64) {
        for c in self.cntrs.iter() {
            if let Some((r, bits)) = c.counts() {
                if r == rmid {
                    c.bytes
                        .fetch_add(bw * traffic_share(bits) / 16, Ordering::Relaxed);
                }
            }
        }
    }

    /// Default mode: `rmid` runs at `now`, so it holds a counter: its own,
    /// else a free one, else the one whose RMID ran longest ago. Returns
    /// the RMID that lost its counter, if one did and holds no other.
    pub(super) fn hold(&self, rmid: u32, now: u64) -> Option<u32> {
        if let Some(c) = self.held_by(rmid) {
            c.last_ns.store(now, Ordering::Relaxed);
            return None;
        }
        let victim = self
            .cntrs
            .iter()
            .min_by_key(|c| match c.owner.load(Ordering::Relaxed) {
                NONE => 0,
                _ => c.last_ns.load(Ordering::Relaxed).max(1),
            })?;
        victim.last_ns.store(now, Ordering::Relaxed);
        // CPUs that race here may each take a counter; the loser of a
        // counter is then marked below only if it holds no other.
        let lost = victim.owner.swap(rmid, Ordering::Relaxed);
        (lost != NONE && lost != rmid && self.held_by(lost).is_none()).then_some(lost)
    }

    /// Default mode: whether the domain has fewer counters than RMIDs, so
    /// they are handed out.
    pub(super) fn limited(&self, num_rmid: u32) -> bool {
        !self.cntrs.is_empty() && self.len() < num_rmid
    }

    fn held_by(&self, rmid: u32) -> Option<&Cntr> {
        self.cntrs
            .iter()
            .find(|c| c.owner.load(Ordering::Relaxed) == rmid)
    }

    /// With ABMC on, counter `cntr`'s RMID and event bits, if it is
    /// configured to count.
    pub(super) fn counts(&self, cntr: u32) -> Option<(u32, u64)> {
        self.cntrs.get(cntr as usize)?.counts()
    }

    /// Zeroes what every counter counted (debugfs `clear`).
    pub(super) fn clear_counts(&self) {
        for c in self.cntrs.iter() {
            c.bytes.store(0, Ordering::Relaxed);
        }
    }

    /// With ABMC on, sets what the lowest counter that counts `rmid` with
    /// the event bits `bits` counted (debugfs); whether there is one.
    pub(super) fn set(&self, rmid: u32, bits: u64, bytes: u64) -> bool {
        let c = self.cntrs.iter().find(|c| c.counts() == Some((rmid, bits)));
        c.inspect(|c| c.bytes.store(bytes, Ordering::Relaxed))
            .is_some()
    }

    /// With ABMC on, what counter `cntr` counted, in bytes; `None` (the
    /// error bit) for a counter that does not count.
    pub(super) fn read(&self, cntr: u32) -> Option<u64> {
        let c = self.cntrs.get(cntr as usize)?;
        c.counts()?;
        Some(c.bytes.load(Ordering::Relaxed))
    }

    /// With ABMC on, what the lowest counter that counts `rmid` with the
    /// event bits `bits` counted, in bytes, if one does.
    pub(super) fn find(&self, rmid: u32, bits: u64) -> Option<u64> {
        self.cntrs
            .iter()
            .find(|c| c.counts() == Some((rmid, bits)))
            .map(|c| c.bytes.load(Ordering::Relaxed))
    }
}

/// The share, in sixteenths, of a busy CPU's memory traffic that the BMEC
/// event bits `cfg` count. The traffic is split over the seven kinds as
/// 4 (local reads), 4 (remote reads), 2 (local non-temporal writes), 2
/// (remote non-temporal writes), 2 (local slow-memory reads), 1 (remote
/// slow-memory reads) and 1 (dirty victims): the default configurations,
/// 0x7f for total and 0x15 for local, count all and half of it.
pub(super) fn traffic_share(cfg: u64) -> u64 {
    const WEIGHTS: [u64; 7] = [4, 4, 2, 2, 2, 1, 1];
    WEIGHTS
        .iter()
        .enumerate()
        .filter(|(bit, _)| cfg & (1 << bit) != 0)
        .map(|(_, w)| w)
        .sum()
}

impl Emul {
    /// The bits of `L3_QOS_EXT_CFG` (AMD): SDCIAE, and ABMC with counters.
    fn ext_cfg_bits(&self) -> u64 {
        EXT_CFG_SDCIAE | if self.num_cntrs > 0 { EXT_CFG_ABMC } else { 0 }
    }

    /// A write of `val` to `L3_QOS_EXT_CFG` or `L3_QOS_ABMC_CFG` on CPU `c`
    /// of domain `d` (AMD): `EIO` where the hardware raises #GP.
    pub(super) fn write_ext(&self, c: &CpuModel, d: &DomModel, msr: u32, val: u64) -> Result {
        if msr == MSR_L3_QOS_EXT_CFG {
            if val & !self.ext_cfg_bits() != 0 {
                return Err(EIO);
            }
            c.ext_cfg.store(val, Ordering::Relaxed);
            if d.abmc.switch(val & EXT_CFG_ABMC != 0) {
                // The RMIDs' bandwidth counters start over too.
                for ctr in d.counters.iter() {
                    for e in 1..EVENTS {
                        ctr.bytes[e].store(0, Ordering::Relaxed);
                    }
                    ctr.evicted.store(false, Ordering::Relaxed);
                }
            }
            return Ok(());
        }
        if c.ext_cfg.load(Ordering::Relaxed) & EXT_CFG_ABMC == 0 {
            return Err(EIO);
        }
        // What ran until now goes to the counters as they were.
        let now = cpu::clock_ns();
        for o in d.cpus.iter().filter_map(|&o| self.cpus.get(o as usize)) {
            self.charge(o, d, now);
        }
        d.abmc.configure(val)
    }

    /// `IA32_QM_CTR` with an assignable counter selected (ABMC): its bytes
    /// in counter units, the error bit without ABMC on in the CPU or for a
    /// counter that does not count.
    pub(super) fn read_assigned(&self, c: &CpuModel, d: &DomModel) -> u64 {
        let sel = c.evtsel.load(Ordering::Relaxed);
        let cntr = ((sel >> 32) & 0xfff) as u32;
        if c.ext_cfg.load(Ordering::Relaxed) & EXT_CFG_ABMC == 0 || sel & 0xff != 1 {
            return QM_CTR_ERROR;
        }
        let Some((rmid, bits)) = d.abmc.counts(cntr) else {
            return QM_CTR_ERROR;
        };
        self.catch_up(d, rmid as usize, cpu::clock_ns());
        // The flags debugfs set on the RMID's event the counter counts as.
        let evt = (0..2).find(|&i| d.evt_cfg[i].load(Ordering::Relaxed) == bits);
        if let (Some(i), Some(ctr)) = (evt, d.counters.get(rmid as usize)) {
            if ctr.error[i + 1].load(Ordering::Relaxed) {
                return QM_CTR_ERROR;
            }
            if ctr.unavailable[i + 1].load(Ordering::Relaxed) {
                return QM_CTR_UNAVAILABLE;
            }
        }
        match d.abmc.read(cntr) {
            Some(b) => (b / SCALE as u64) & self.width_mask(),
            None => QM_CTR_ERROR,
        }
    }
}
