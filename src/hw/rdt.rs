// SPDX-License-Identifier: GPL-2.0

//! x86 RDT: resources enumerated from `CPUID` leaves 0x7, 0xF and 0x10
//! (and AMD's 0x80000008 and 0x80000020), and driven through the PQR,
//! mask, bandwidth and QM MSRs, all through an [`Access`], real or
//! emulated. What differs between Intel's RDT and AMD's PQoS is in
//! [`intel`] and [`amd`]; the rest is common.

mod amd;
mod intel;

use crate::{
    hw::arch::{AllocRes, Arch, AssignableCntrs, Event, L3Mon, Res, Vendor, NUM_RES},
    hw::rdt_access::*,
    kapi::{cpu, sync},
    logic::{ctrlval::CacheProps, schemata::Ctrl},
};
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::prelude::*;

/// What a CPU has loaded and what it falls back to.
struct PqrState {
    default_closid: AtomicU32,
    default_rmid: AtomicU32,
    cur_closid: AtomicU32,
    cur_rmid: AtomicU32,
}

impl PqrState {
    const fn new() -> Self {
        Self {
            default_closid: AtomicU32::new(0),
            default_rmid: AtomicU32::new(0),
            cur_closid: AtomicU32::new(0),
            cur_rmid: AtomicU32::new(0),
        }
    }
}

/// The RDT driver.
pub(crate) struct Rdt {
    access: &'static dyn Access,
    vendor: Vendor,
    alloc: [Option<AllocRes>; NUM_RES],
    /// Whether any of `alloc` is there: tasks' CLOSIDs count at context
    /// switch.
    alloc_capable: bool,
    pub(crate) mon: Option<L3Mon>,
    pqr: KVec<PqrState>,
    /// Per resource, whether CDP is on: what CPUs coming online set.
    cdp: [AtomicBool; NUM_RES],
    /// Whether counter assignment (ABMC) is on: what CPUs coming online set.
    cntr_assign: AtomicBool,
    /// Whether io_alloc (SDCIAE) is on: what CPUs coming online set.
    io_alloc: AtomicBool,
}

/// The vendor `CPUID` leaf 0 names, and whether it is Hygon; `None` for a
/// vendor without RDT.
fn vendor_of(access: &dyn Access) -> Option<(Vendor, bool)> {
    let [_, ebx, ecx, edx] = access.cpuid(0, 0);
    let mut id = [0u8; 12];
    for (chunk, reg) in id.chunks_exact_mut(4).zip([ebx, edx, ecx]) {
        chunk.copy_from_slice(&reg.to_le_bytes());
    }
    match &id {
        b"GenuineIntel" => Some((Vendor::Intel, false)),
        b"AuthenticAMD" => Some((Vendor::Amd, false)),
        b"HygonGenuine" => Some((Vendor::Amd, true)),
        _ => None,
    }
}

/// The resources `access` reports; `None` if it reports no RDT at all.
pub(crate) fn probe(access: &'static dyn Access) -> Result<Option<Rdt>> {
    let Some((vendor, hygon)) = vendor_of(access) else {
        return Ok(None);
    };
    let ebx7 = access.cpuid(7, 0)[1];
    let (has_a, has_m) = (ebx7 & (1 << 15) != 0, ebx7 & (1 << 12) != 0);
    let mut alloc: [Option<AllocRes>; NUM_RES] = [None; NUM_RES];
    if has_a {
        // L3 and L2 CAT: the same leaves on both vendors (0x10 sub-leaves 1
        // and 2); what the masks may be differs.
        let caps = access.cpuid(0x10, 0)[1];
        for (res, bit, subleaf) in [(Res::L3, 1, 1), (Res::L2, 2, 2)] {
            if caps & (1 << bit) == 0 {
                continue;
            }
            let [eax, ebx, ecx, edx] = access.cpuid(0x10, subleaf);
            let (min_cbm_bits, sparse_masks) = match vendor {
                Vendor::Intel => intel::cache_rules(ecx),
                Vendor::Amd => amd::cache_rules(),
            };
            let mut props = CacheProps {
                cbm_len: (eax & 0x1f) + 1,
                min_cbm_bits,
                sparse_masks,
                shareable_bits: 0,
            };
            props.shareable_bits = ebx & props.full_mask();
            alloc[res.index()] = Some(AllocRes {
                ctrl: Ctrl::Cache(props),
                num_closid: (edx & 0xffff) + 1,
                throttle_mode: None,
                // CDP halves the CLOSIDs: it needs two at least.
                cdp_capable: ecx & (1 << 2) != 0 && edx & 0xffff != 0,
                io_alloc_capable: res == Res::L3
                    && vendor == Vendor::Amd
                    && amd::probe_sdciae(access),
            });
        }
        match vendor {
            Vendor::Intel => alloc[Res::Mb.index()] = intel::probe_mba(access),
            Vendor::Amd => {
                alloc[Res::Mb.index()] = amd::probe_bw(access, Res::Mb);
                if !hygon {
                    alloc[Res::Smba.index()] = amd::probe_bw(access, Res::Smba);
                }
            }
        }
    }
    let mut mon = None;
    if has_m && access.cpuid(0xf, 0)[3] & (1 << 1) != 0 {
        let [eax, ebx, ecx, edx] = access.cpuid(0xf, 1);
        let events = [edx & 1 != 0, edx & 2 != 0, edx & 4 != 0];
        // The counter width is 24 bits plus an offset; parts that report
        // none have 24 (Intel), 44 (AMD) or 32 (Hygon) bits.
        let offset = match (eax & 0xff, vendor) {
            (0, Vendor::Amd) if hygon => amd::MBM_WIDTH_OFFSET_HYGON,
            (0, Vendor::Amd) => amd::MBM_WIDTH_OFFSET,
            (o, _) if o <= 62 - 24 => o,
            (o, _) => {
                pr_warn!("ignoring impossible MBM counter offset {o}\n");
                0
            }
        };
        // BMEC needs both bandwidth events.
        let bmec = match vendor {
            Vendor::Amd if events[1] && events[2] => amd::probe_bmec(access),
            _ => None,
        };
        let cntrs = match vendor {
            Vendor::Amd => amd::probe_abmc(access, events[1] || events[2]),
            Vendor::Intel => None,
        }
        .map(|(num, evt_bits)| AssignableCntrs { num, evt_bits });
        if events.iter().any(|&e| e) {
            mon = Some(L3Mon {
                // RMIDs past what resctrl-rs tracks are left unused.
                num_rmid: ecx.saturating_add(1).min(crate::logic::ids::MAX_RMIDS),
                events,
                scale: ebx.max(1),
                width: 24 + offset,
                bmec,
                cntrs,
            });
        }
    }
    if alloc.iter().all(Option::is_none) && mon.is_none() {
        return Ok(None);
    }
    let mut pqr = KVec::new();
    for _ in 0..cpu::nr_cpu_ids() {
        pqr.push(PqrState::new(), GFP_KERNEL)?;
    }
    // Caps from the fixed-size tables of the file system.
    for r in alloc.iter_mut().flatten() {
        r.num_closid = r.num_closid.min(crate::logic::ids::MAX_CLOSIDS);
    }
    Ok(Some(Rdt {
        access,
        vendor,
        alloc_capable: alloc.iter().any(Option::is_some),
        alloc,
        mon,
        pqr,
        cdp: [const { AtomicBool::new(false) }; NUM_RES],
        // On from the start where the hardware has it, as upstream; CPUs
        // turn it on as they come online.
        cntr_assign: AtomicBool::new(mon.is_some_and(|m| m.cntrs.is_some())),
        io_alloc: AtomicBool::new(false),
    }))
}

impl Rdt {
    /// The MSR and its value that set `val` for `closid` of `res`.
    fn msr_of(&self, res: Res, closid: u32, val: u32) -> Result<(u32, u64)> {
        match (res, self.vendor) {
            (Res::L3, _) => Ok((MSR_L3_MASK_BASE + closid, val as u64)),
            (Res::L2, _) => Ok((MSR_L2_MASK_BASE + closid, val as u64)),
            (Res::Mb, Vendor::Intel) => Ok(intel::mba_msr(closid, val)),
            (Res::Mb | Res::Smba, Vendor::Amd) => Ok(amd::bw_msr(res, closid, val)),
            (Res::Smba, Vendor::Intel) => Err(EINVAL),
        }
    }

    /// Selects `sel` in `IA32_QM_EVTSEL` and reads `IA32_QM_CTR`: the value
    /// masked to the counter width, `EIO` on the error bit, `EAGAIN` on the
    /// unavailable bit.
    fn qm_read(&self, sel: u64) -> Result<u64> {
        let mon = self.mon.as_ref().ok_or(ENODEV)?;
        // The select and the read use this CPU's registers: nothing may
        // select another counter in between, not even a perf read that a
        // BPF program runs on a probe here (the busy mark refuses it).
        let raw = sync::busy(|| {
            self.access.wrmsr(MSR_QM_EVTSEL, sel)?;
            self.access.rdmsr(MSR_QM_CTR)
        })?;
        if raw & QM_CTR_ERROR != 0 {
            return Err(EIO);
        }
        if raw & QM_CTR_UNAVAILABLE != 0 {
            return Err(EAGAIN);
        }
        let width_mask = if mon.width >= 62 {
            (1u64 << 62) - 1
        } else {
            (1u64 << mon.width) - 1
        };
        Ok(raw & width_mask)
    }

    /// Writes this CPU's `L3_QOS_EXT_CFG` as [`Rdt::cntr_assign`] and
    /// [`Rdt::io_alloc`] have it, where the part has ABMC or SDCIAE.
    fn apply_ext_cfg(&self) -> Result {
        let abmc = self.mon.is_some_and(|m| m.cntrs.is_some());
        let sdciae = self.alloc(Res::L3).is_some_and(|r| r.io_alloc_capable);
        if !abmc && !sdciae {
            return Ok(());
        }
        let v = self.access.rdmsr(MSR_L3_QOS_EXT_CFG)?;
        let mut new = v;
        for (has, bit, on) in [
            (abmc, EXT_CFG_ABMC, &self.cntr_assign),
            (sdciae, EXT_CFG_SDCIAE, &self.io_alloc),
        ] {
            if has {
                match on.load(Ordering::Relaxed) {
                    true => new |= bit,
                    false => new &= !bit,
                }
            }
        }
        if new == v {
            return Ok(());
        }
        self.access.wrmsr(MSR_L3_QOS_EXT_CFG, new)
    }

    /// Sets `flag` (one of [`Rdt::apply_ext_cfg`]'s) to `on`, and
    /// `L3_QOS_EXT_CFG` on `cpu` (on `cpu`) as the flags have it.
    fn set_ext_cfg(&self, cpu: u32, flag: &AtomicBool, on: bool) -> Result {
        flag.store(on, Ordering::Relaxed);
        let mut r = Ok(());
        cpu::call_on_cpu(cpu, || r = self.apply_ext_cfg())?;
        r
    }

    /// The CDP switch MSR of cache `res`.
    fn qos_cfg_msr(res: Res) -> Option<u32> {
        match res {
            Res::L3 => Some(MSR_L3_QOS_CFG),
            Res::L2 => Some(MSR_L2_QOS_CFG),
            Res::Mb | Res::Smba => None,
        }
    }
}

impl Arch for Rdt {
    fn vendor(&self) -> Vendor {
        self.vendor
    }

    fn alloc(&self, res: Res) -> Option<&AllocRes> {
        self.alloc[res.index()].as_ref()
    }

    fn l3_mon(&self) -> Option<&L3Mon> {
        self.mon.as_ref()
    }

    fn write_ctrl(&self, cpu: u32, res: Res, closid: u32, val: u32) -> Result {
        let (msr, v) = self.msr_of(res, closid, val)?;
        let access = self.access;
        let mut r = Ok(());
        cpu::call_on_cpu(cpu, || r = access.wrmsr(msr, v))?;
        r
    }

    fn set_cdp(&self, cpu: u32, res: Res, on: bool) -> Result {
        let msr = Self::qos_cfg_msr(res).ok_or(EINVAL)?;
        if !self.alloc(res).is_some_and(|r| r.cdp_capable) {
            return Err(EINVAL);
        }
        self.cdp[res.index()].store(on, Ordering::Relaxed);
        let access = self.access;
        let mut r = Ok(());
        // The whole MSR: bit 0 is its only bit.
        cpu::call_on_cpu(cpu, || r = access.wrmsr(msr, on as u64))?;
        r
    }

    fn cdp_per_cpu(&self) -> bool {
        self.vendor == Vendor::Amd
    }

    fn evt_cfg(&self, cpu: u32, evt: Event) -> Result<u32> {
        self.mon.and_then(|m| m.bmec).ok_or(ENODEV)?;
        let msr = MSR_AMD_EVT_CFG_BASE + evt.config_index().ok_or(EINVAL)?;
        let access = self.access;
        let mut r = Ok(0);
        cpu::call_on_cpu(cpu, || r = access.rdmsr(msr))?;
        Ok(r? as u32 & EVT_CFG_BITS)
    }

    fn set_evt_cfg(&self, evt: Event, bits: u32) -> Result {
        self.mon.and_then(|m| m.bmec).ok_or(ENODEV)?;
        let msr = MSR_AMD_EVT_CFG_BASE + evt.config_index().ok_or(EINVAL)?;
        self.access.wrmsr(msr, bits as u64)
    }

    fn set_cntr_assign(&self, cpu: u32, on: bool) -> Result {
        self.mon.and_then(|m| m.cntrs).ok_or(ENODEV)?;
        self.set_ext_cfg(cpu, &self.cntr_assign, on)
    }

    fn set_io_alloc(&self, cpu: u32, on: bool) -> Result {
        if !self.alloc(Res::L3).is_some_and(|r| r.io_alloc_capable) {
            return Err(ENODEV);
        }
        self.set_ext_cfg(cpu, &self.io_alloc, on)
    }

    fn cntr_assign_enabled(&self) -> bool {
        self.mon.is_some_and(|m| m.cntrs.is_some()) && self.cntr_assign.load(Ordering::Relaxed)
    }

    fn config_cntr(&self, cntr: u32, rmid: u32, bits: Option<u32>) -> Result {
        let n = self.mon.and_then(|m| m.cntrs).ok_or(ENODEV)?.num;
        if cntr >= n {
            return Err(EINVAL);
        }
        self.access
            .wrmsr(MSR_L3_QOS_ABMC_CFG, abmc_cfg(cntr, rmid, bits))
    }

    fn cntr_read(&self, cntr: u32) -> Result<u64> {
        self.qm_read(((cntr as u64) << 32) | QM_EVT_ABMC)
    }

    fn set_cpu_defaults(&self, cpu: u32, closid: u32, rmid: u32) {
        if let Some(st) = self.pqr.get(cpu as usize) {
            st.default_closid.store(closid, Ordering::Relaxed);
            st.default_rmid.store(rmid, Ordering::Relaxed);
        }
    }

    fn sched_in(&self, closid: u32, rmid: u32, next_is_idle: bool) {
        let Some(st) = self.pqr.get(cpu::processor_id() as usize) else {
            return;
        };
        let alloc = self.alloc_capable;
        let closid = if alloc && closid != 0 {
            closid
        } else {
            st.default_closid.load(Ordering::Relaxed)
        };
        let rmid = if rmid != 0 && self.mon.is_some() {
            rmid
        } else {
            st.default_rmid.load(Ordering::Relaxed)
        };
        self.access.context_switch(next_is_idle);
        if closid != st.cur_closid.load(Ordering::Relaxed)
            || rmid != st.cur_rmid.load(Ordering::Relaxed)
        {
            st.cur_closid.store(closid, Ordering::Relaxed);
            st.cur_rmid.store(rmid, Ordering::Relaxed);
            // Nothing to do on failure here: the IDs were range-checked when
            // they were handed out.
            let _ = self
                .access
                .wrmsr(MSR_PQR_ASSOC, ((closid as u64) << 32) | rmid as u64);
        }
    }

    fn start(&self) {
        self.access.start();
    }

    fn cpu_online(&self, cpu: u32) {
        self.access.cpu_online();
        if let Some(st) = self.pqr.get(cpu as usize) {
            for a in [
                &st.default_closid,
                &st.default_rmid,
                &st.cur_closid,
                &st.cur_rmid,
            ] {
                a.store(0, Ordering::Relaxed);
            }
            // As after a reset: CLOSID 0, RMID 0.
            let _ = self.access.wrmsr(MSR_PQR_ASSOC, 0);
        }
        // Its caches' CDP switches, as the mount has them: per CPU on AMD;
        // on Intel the first CPU of a domain sets it for the domain, and
        // later ones write the same value again.
        for res in Res::ALL {
            if let Some(msr) = Self::qos_cfg_msr(res) {
                if self.alloc(res).is_some_and(|r| r.cdp_capable) {
                    let on = self.cdp[res.index()].load(Ordering::Relaxed);
                    let _ = self.access.wrmsr(msr, on as u64);
                }
            }
        }
        // And counter assignment and io_alloc, as on every other CPU.
        if self.apply_ext_cfg().is_err() {
            pr_warn!("CPU {cpu}: L3_QOS_EXT_CFG not set\n");
        }
    }

    fn rmid_read(&self, rmid: u32, evt: Event) -> Result<u64> {
        let id = match evt {
            Event::LlcOccupancy => 1u64,
            Event::MbmTotal => 2,
            Event::MbmLocal => 3,
        };
        self.qm_read(((rmid as u64) << 32) | id)
    }
}
