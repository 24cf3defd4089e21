// SPDX-License-Identifier: GPL-2.0

//! Intel's RDT: what its cache masks may be, and memory bandwidth
//! allocation as linear throttling (`CPUID` leaf 0x10 sub-leaf 3,
//! `IA32_MBA_THRTL_n`).

use crate::{
    hw::{
        arch::AllocRes,
        rdt_access::{Access, MSR_MBA_THRTL_BASE},
    },
    logic::{ctrlval::MbProps, schemata::Ctrl},
};

/// What a cache's masks may be, from `ECX` of `CPUID` leaf 0x10 sub-leaf 1
/// (L3) or 2 (L2): `min_cbm_bits` and `sparse_masks`. At least one bit,
/// non-contiguous ones if bit 3 says so.
pub(super) fn cache_rules(ecx: u32) -> (u32, bool) {
    (1, ecx & (1 << 3) != 0)
}

/// Memory bandwidth allocation, if leaf 0x10 reports it linear.
pub(super) fn probe_mba(access: &dyn Access) -> Option<AllocRes> {
    if access.cpuid(0x10, 0)[1] & (1 << 3) == 0 {
        return None;
    }
    let [eax, _, ecx, edx] = access.cpuid(0x10, 3);
    let max_delay = (eax & 0xfff) + 1;
    // Non-linear throttling needs a delay table, which no part with
    // resctrl-rs' users has: report MBA only when linear.
    if ecx & (1 << 2) == 0 || max_delay >= 100 {
        return None;
    }
    Some(AllocRes {
        ctrl: Ctrl::Mb(MbProps {
            min_bw: 100 - max_delay,
            bw_gran: 100 - max_delay,
            max_bw: 100,
            delay_linear: true,
            arch_needs_linear: true,
            mba_sc: false,
        }),
        num_closid: (edx & 0xffff) + 1,
        // Per-thread throttling where `ECX` bit 0 says so, else the
        // maximum of a core's threads.
        throttle_mode: Some(if ecx & 1 != 0 { "per-thread" } else { "max" }),
        cdp_capable: false,
        io_alloc_capable: false,
    })
}

/// The throttle MSR of `closid` and the delay that gives bandwidth `bw`
/// (percent): linear, 100 minus the bandwidth.
pub(super) fn mba_msr(closid: u32, bw: u32) -> (u32, u64) {
    (
        MSR_MBA_THRTL_BASE + closid,
        100u64.saturating_sub(bw as u64),
    )
}
