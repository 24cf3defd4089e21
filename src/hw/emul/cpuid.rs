// SPDX-License-Identifier: GPL-2.0

//! The part's `CPUID`: the leaves of resource control, and on AMD the
//! vendor and the extended leaves, over the CPU's own.

use super::{
    Emul, Flavour, AMD_BW_LEN, AMD_WIDTH, L2_CBM_LEN, L2_CLOSIDS, L3_CLOSIDS, MBA_MAX_DELAY, SCALE,
    SMBA_CLOSIDS,
};
use crate::hw::rdt_access::EVT_CFG_BITS;
use core::sync::atomic::Ordering;

impl Emul {
    /// `CPUID` as the part answers it: the CPU's own, with the part's
    /// vendor, its RDT leaves and its features.
    pub(super) fn cpuid_of(&self, leaf: u32, subleaf: u32) -> [u32; 4] {
        let mut r = crate::kapi::x86::cpuid(leaf, subleaf);
        let amd = self.flavour == Flavour::Amd;
        let f = self.flavour;
        match (leaf, subleaf) {
            // The part has leaf 0x10 (and, on AMD, 0x80000020).
            (0, _) if amd => {
                let [ebx, edx, ecx] = vendor_regs(b"AuthenticAMD");
                r = [r[0].max(0x10), ebx, ecx, edx];
            }
            (0, _) => r[0] = r[0].max(0x10),
            (0x8000_0000, _) if amd => r[0] = r[0].max(0x8000_0020),
            (0x8000_0008, 0) if amd => r[1] |= 1 << 6,
            // Sub-leaf 0: SMBA (bit 2), BMEC (bit 3), with counters ABMC
            // (bit 5), and SDCIAE (bit 6); 1 and 2: MBA and SMBA, BW_LEN in EAX and the
            // highest CLOSID in EDX; 3: the event bits in ECX; 5: the
            // highest counter id in EBX.
            (0x8000_0020, 0) if amd => {
                let abmc = if self.num_cntrs > 0 { 1 << 5 } else { 0 };
                r = [0, (1 << 2) | (1 << 3) | abmc | (1 << 6), 0, 0]
            }
            (0x8000_0020, 3) if amd => r = [0, 0, EVT_CFG_BITS, 0],
            (0x8000_0020, 5) if amd && self.num_cntrs > 0 => r = [0, self.num_cntrs - 1, 0, 0],
            (0x8000_0020, 1) if amd => r = [AMD_BW_LEN, 0, 0, f.mba_closids() - 1],
            (0x8000_0020, 2) if amd => r = [AMD_BW_LEN, 0, 0, SMBA_CLOSIDS - 1],
            (0x8000_0020, _) if amd => r = [0; 4],
            (7, 0) => r[1] |= (1 << 12) | (1 << 15),
            (0xf, 0) => r = [0, self.num_rmid - 1, 0, 1 << 1],
            (0xf, 1) => {
                let w = self.width.load(Ordering::Relaxed);
                r = [
                    // AMD parts with 44-bit counters report no offset.
                    if amd && w == AMD_WIDTH { 0 } else { w - 24 },
                    SCALE,
                    self.num_rmid - 1,
                    0b111,
                ]
            }
            (0xf, _) => r = [0; 4],
            // L3 CAT (bit 1) on both; L2 CAT (bit 2, sub-leaf 2) and MBA
            // (bit 3, sub-leaf 3) on Intel; AMD's MBA is in the extended
            // leaves.
            (0x10, 0) => {
                r = [
                    0,
                    (1 << 1) | if amd { 0 } else { (1 << 2) | (1 << 3) },
                    0,
                    0,
                ]
            }
            (0x10, 2) if !amd => r = [L2_CBM_LEN - 1, 0, 1 << 2, L2_CLOSIDS - 1],
            // ECX bit 2: L3 CDP.
            (0x10, 1) => r = [f.cbm_len() - 1, f.shareable_bits(), 1 << 2, L3_CLOSIDS - 1],
            (0x10, 3) if !amd => r = [MBA_MAX_DELAY - 1, 0, 1 << 2, f.mba_closids() - 1],
            (0x10, _) => r = [0; 4],
            _ => {}
        }
        r
    }
}

/// `CPUID` leaf 0's vendor registers (`EBX`, `EDX`, `ECX`) for `id`.
fn vendor_regs(id: &[u8; 12]) -> [u32; 3] {
    let w = |i: usize| u32::from_le_bytes([id[i], id[i + 1], id[i + 2], id[i + 3]]);
    [w(0), w(4), w(8)]
}
