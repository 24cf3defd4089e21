// SPDX-License-Identifier: GPL-2.0

//! AMD's PQoS: cache masks that may be sparse or empty, and memory and
//! slow-memory bandwidth allocation (MBA, SMBA) in raw bandwidth units of
//! 1/8 GB/s (`CPUID` leaves 0x80000008 and 0x80000020,
//! `MSR_IA32_MBA_BW_n` and `MSR_IA32_SMBA_BW_n`).

use crate::{
    hw::{
        arch::{AllocRes, Res},
        rdt_access::{
            Access, ABMC_MAX_CNTRS, EVT_CFG_BITS, MSR_AMD_MBA_BW_BASE, MSR_AMD_SMBA_BW_BASE,
        },
    },
    logic::{ctrlval::MbProps, schemata::Ctrl},
};

/// The counter width offset of AMD parts whose `CPUID` leaf 0xF sub-leaf 1
/// reports none: 24 + 20 = 44 bits.
pub(super) const MBM_WIDTH_OFFSET: u32 = 20;
/// The same for Hygon parts: 24 + 8 = 32 bits.
pub(super) const MBM_WIDTH_OFFSET_HYGON: u32 = 8;

/// What a cache's masks may be: `min_cbm_bits` and `sparse_masks`. Any
/// bits, none included (upstream's `rdt_init_res_defs_amd()`).
pub(super) fn cache_rules() -> (u32, bool) {
    (0, true)
}

/// Whether the extended `CPUID` leaf `leaf` exists.
fn has_ext_leaf(access: &dyn Access, leaf: u32) -> bool {
    access.cpuid(0x8000_0000, 0)[0] >= leaf
}

/// [`Res::Mb`] (`CPUID` 0x80000008 `EBX` bit 6, sizes in 0x80000020
/// sub-leaf 1) or [`Res::Smba`] (0x80000020 sub-leaf 0 `EBX` bit 2, sizes in
/// sub-leaf 2), if the part has it.
pub(super) fn probe_bw(access: &dyn Access, res: Res) -> Option<AllocRes> {
    let (present, subleaf) = match res {
        Res::Mb => (
            has_ext_leaf(access, 0x8000_0008) && access.cpuid(0x8000_0008, 0)[1] & (1 << 6) != 0,
            1,
        ),
        Res::Smba => (
            has_ext_leaf(access, 0x8000_0020) && access.cpuid(0x8000_0020, 0)[1] & (1 << 2) != 0,
            2,
        ),
        Res::L3 | Res::L2 => (false, 0),
    };
    if !present || !has_ext_leaf(access, 0x8000_0020) {
        return None;
    }
    let [bw_len, _, _, cos_max] = access.cpuid(0x8000_0020, subleaf);
    // The largest value, and the default, is 1 << BW_LEN: unthrottled.
    let max_bw = 1u32.checked_shl(bw_len).filter(|&m| m > 1)?;
    Some(AllocRes {
        ctrl: Ctrl::Mb(MbProps {
            min_bw: 0,
            bw_gran: 1,
            max_bw,
            delay_linear: false,
            arch_needs_linear: false,
            mba_sc: false,
        }),
        num_closid: cos_max.saturating_add(1),
        throttle_mode: None,
        cdp_capable: false,
        io_alloc_capable: false,
    })
}

/// Whether `CPUID` 0x80000020 sub-leaf 0 `EBX` has `bit`.
fn has_qos_ext(access: &dyn Access, bit: u32) -> bool {
    has_ext_leaf(access, 0x8000_0020) && access.cpuid(0x8000_0020, 0)[1] & (1 << bit) != 0
}

/// The event bits the part's bandwidth counters can count (sub-leaf 3
/// `ECX`), where it has them configurable (BMEC or ABMC); else none.
fn event_bits(access: &dyn Access) -> u32 {
    access.cpuid(0x8000_0020, 3)[2] & EVT_CFG_BITS
}

/// Bandwidth event configuration (BMEC, `CPUID` 0x80000020 sub-leaf 0
/// `EBX` bit 3): the event bits the part can count.
pub(super) fn probe_bmec(access: &dyn Access) -> Option<u32> {
    has_qos_ext(access, 3).then(|| event_bits(access))
}

/// L3 Smart Data Cache Injection Allocation Enforcement (SDCIAE, sub-leaf
/// 0 `EBX` bit 6): I/O devices' cache injection limited to the mask of the
/// highest CLOSID (upstream's io_alloc).
pub(super) fn probe_sdciae(access: &dyn Access) -> bool {
    has_qos_ext(access, 6)
}

/// Assignable bandwidth monitoring counters (ABMC, sub-leaf 0 `EBX` bit
/// 5), on a part that counts a bandwidth event (`has_mbm`), so that the
/// default mode is there to go back to, as upstream's
/// `rdt_get_mon_l3_config()`: how many counters a domain has (sub-leaf 5
/// `EBX` bits 15:0, plus one; at most [`ABMC_MAX_CNTRS`], the counter id
/// being 5 bits) and the event bits they can count.
pub(super) fn probe_abmc(access: &dyn Access, has_mbm: bool) -> Option<(u32, u32)> {
    if !has_mbm || !has_qos_ext(access, 5) {
        return None;
    }
    let n = (access.cpuid(0x8000_0020, 5)[1] & 0xffff) + 1;
    Some((n.min(ABMC_MAX_CNTRS), event_bits(access)))
}

/// The bandwidth MSR of `closid` for `res` ([`Res::Mb`] or [`Res::Smba`])
/// and its value: `bw` itself.
pub(super) fn bw_msr(res: Res, closid: u32, bw: u32) -> (u32, u64) {
    let base = match res {
        Res::Smba => MSR_AMD_SMBA_BW_BASE,
        _ => MSR_AMD_MBA_BW_BASE,
    };
    (base + closid, bw as u64)
}
