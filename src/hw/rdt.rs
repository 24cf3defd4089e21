// SPDX-License-Identifier: GPL-2.0

//! x86 RDT: resources enumerated from `CPUID` leaves 0x7, 0xF and 0x10, and
//! driven through the PQR, mask, throttle and QM MSRs, all through an
//! [`Access`], real or emulated.

use crate::{
    hw::arch::{Arch, CacheAlloc, Event, L3Mon, MbAlloc, Res},
    hw::rdt_access::*,
    kapi::{cpu, sync},
    logic::ctrlval::{CacheProps, MbProps},
};
use core::sync::atomic::{AtomicU32, Ordering};
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
    pub(crate) l3: Option<CacheAlloc>,
    pub(crate) mb: Option<MbAlloc>,
    pub(crate) mon: Option<L3Mon>,
    pqr: KVec<PqrState>,
}

/// The resources `access` reports; `None` if it reports no RDT at all.
pub(crate) fn probe(access: &'static dyn Access) -> Result<Option<Rdt>> {
    let ebx7 = access.cpuid(7, 0)[1];
    let (has_a, has_m) = (ebx7 & (1 << 15) != 0, ebx7 & (1 << 12) != 0);
    let mut l3 = None;
    let mut mb = None;
    let mut mon = None;
    if has_a {
        let caps = access.cpuid(0x10, 0)[1];
        if caps & (1 << 1) != 0 {
            let [eax, ebx, ecx, edx] = access.cpuid(0x10, 1);
            l3 = Some(CacheAlloc {
                props: CacheProps {
                    cbm_len: (eax & 0x1f) + 1,
                    min_cbm_bits: 1,
                    sparse_masks: ecx & (1 << 3) != 0,
                    shareable_bits: ebx,
                },
                num_closid: (edx & 0xffff) + 1,
            });
        }
        if caps & (1 << 3) != 0 {
            let [eax, _, ecx, edx] = access.cpuid(0x10, 3);
            let max_delay = (eax & 0xfff) + 1;
            // Non-linear throttling needs a delay table, which no part with
            // resctrl-rs' users has: report MBA only when linear.
            if ecx & (1 << 2) != 0 && max_delay < 100 {
                mb = Some(MbAlloc {
                    props: MbProps {
                        min_bw: 100 - max_delay,
                        bw_gran: 100 - max_delay,
                        max_bw: 100,
                        delay_linear: true,
                        arch_needs_linear: true,
                        mba_sc: false,
                    },
                    num_closid: (edx & 0xffff) + 1,
                });
            }
        }
    }
    if has_m && access.cpuid(0xf, 0)[3] & (1 << 1) != 0 {
        let [eax, ebx, ecx, edx] = access.cpuid(0xf, 1);
        let events = [edx & 1 != 0, edx & 2 != 0, edx & 4 != 0];
        if events.iter().any(|&e| e) {
            mon = Some(L3Mon {
                // RMIDs past what resctrl-rs tracks are left unused.
                num_rmid: ecx.saturating_add(1).min(crate::logic::ids::MAX_RMIDS),
                events,
                scale: ebx.max(1),
                width: 24 + (eax & 0xff),
            });
        }
    }
    if l3.is_none() && mb.is_none() && mon.is_none() {
        return Ok(None);
    }
    let mut pqr = KVec::new();
    for _ in 0..cpu::nr_cpu_ids() {
        pqr.push(PqrState::new(), GFP_KERNEL)?;
    }
    // Caps from the fixed-size tables of the file system.
    let cap = |n: u32| n.min(crate::logic::ids::MAX_CLOSIDS);
    if let Some(l3) = &mut l3 {
        l3.num_closid = cap(l3.num_closid);
    }
    if let Some(mb) = &mut mb {
        mb.num_closid = cap(mb.num_closid);
    }
    Ok(Some(Rdt {
        access,
        l3,
        mb,
        mon,
        pqr,
    }))
}

impl Rdt {
    /// The MSR value of `val` for `res`.
    fn msr_of(&self, res: Res, closid: u32, val: u32) -> (u32, u64) {
        match res {
            Res::L3 => (MSR_L3_MASK_BASE + closid, val as u64),
            // Linear MBA: the MSR holds the delay, 100 minus the bandwidth.
            Res::Mb => (
                MSR_MBA_THRTL_BASE + closid,
                100u64.saturating_sub(val as u64),
            ),
        }
    }
}

impl Arch for Rdt {
    fn l3_alloc(&self) -> Option<&CacheAlloc> {
        self.l3.as_ref()
    }

    fn mb_alloc(&self) -> Option<&MbAlloc> {
        self.mb.as_ref()
    }

    fn l3_mon(&self) -> Option<&L3Mon> {
        self.mon.as_ref()
    }

    fn write_ctrl(&self, cpu: u32, res: Res, closid: u32, val: u32) -> Result {
        let (msr, v) = self.msr_of(res, closid, val);
        let access = self.access;
        let mut r = Ok(());
        cpu::call_on_cpu(cpu, || r = access.wrmsr(msr, v))?;
        r
    }

    fn default_ctrl(&self, res: Res) -> u32 {
        match res {
            Res::L3 => self.l3.map_or(0, |l3| l3.props.full_mask()),
            Res::Mb => 100,
        }
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
        let alloc = self.l3.is_some() || self.mb.is_some();
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
    }

    fn rmid_read(&self, rmid: u32, evt: Event) -> Result<u64> {
        let mon = self.mon.as_ref().ok_or(ENODEV)?;
        let id = match evt {
            Event::LlcOccupancy => 1u64,
            Event::MbmTotal => 2,
            Event::MbmLocal => 3,
        };
        // The select and the read use this CPU's registers: nothing may
        // select another counter in between, not even a perf read that a
        // BPF program runs on a probe here (the busy mark refuses it).
        let raw = sync::busy(|| {
            self.access
                .wrmsr(MSR_QM_EVTSEL, ((rmid as u64) << 32) | id)?;
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
}
