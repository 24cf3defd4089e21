// SPDX-License-Identifier: GPL-2.0

//! The model's `CPUID`, as the CPUs' capabilities: user space (`pqos`,
//! upstream's selftests) reads resource control's features from
//! `/proc/cpuinfo`, which the kernel filled at boot from the `CPUID` of the
//! CPU underneath. On a CPU without RDT, the model publishes the features
//! its own `CPUID` reports, as the kernel derives them from a real part's
//! (`arch/x86/kernel/cpu/scattered.c` and leaf 7's word): the same bits,
//! leaves beyond the maximum left out, and what `clearcpuid=` turned off
//! kept off. On RDT hardware (the model forced with `resctrl_rs.emulate=`)
//! the CPUs keep showing what they have.

use super::Emul;
use crate::{
    hw::rdt_access::Access,
    kapi::{
        cpu::CpusHeld,
        x86::{cpu_cap_cleared, cpu_has, force_cpu_cap, Feature},
    },
};

/// A feature, and where `CPUID` reports it: leaf, sub-leaf, register
/// (`EAX` 0 to `EDX` 3) and bit.
struct CpuidBit(Feature, u32, u32, usize, u32);

/// Resource control's features, as the kernel reads them from `CPUID`.
const FEATURES: [CpuidBit; 15] = [
    CpuidBit(Feature::CQM, 7, 0, 1, 12),
    CpuidBit(Feature::RDT_A, 7, 0, 1, 15),
    CpuidBit(Feature::CQM_LLC, 0xf, 0, 3, 1),
    CpuidBit(Feature::CQM_OCCUP_LLC, 0xf, 1, 3, 0),
    CpuidBit(Feature::CQM_MBM_TOTAL, 0xf, 1, 3, 1),
    CpuidBit(Feature::CQM_MBM_LOCAL, 0xf, 1, 3, 2),
    CpuidBit(Feature::CAT_L3, 0x10, 0, 1, 1),
    CpuidBit(Feature::CAT_L2, 0x10, 0, 1, 2),
    CpuidBit(Feature::CDP_L3, 0x10, 1, 2, 2),
    CpuidBit(Feature::CDP_L2, 0x10, 2, 2, 2),
    CpuidBit(Feature::MBA, 0x10, 0, 1, 3),
    CpuidBit(Feature::PER_THREAD_MBA, 0x10, 3, 2, 0),
    CpuidBit(Feature::MBA, 0x8000_0008, 0, 1, 6),
    CpuidBit(Feature::SMBA, 0x8000_0020, 0, 1, 2),
    CpuidBit(Feature::BMEC, 0x8000_0020, 0, 1, 3),
];

/// Gives the CPUs each feature the model's `CPUID` reports, unless they
/// have RDT of their own.
pub(super) fn publish(cpus: &CpusHeld, m: &Emul) {
    if cpu_has(Feature::RDT_A) || cpu_has(Feature::CQM) {
        return;
    }
    for CpuidBit(f, leaf, sub, reg, bit) in FEATURES {
        // As scattered.c: the leaf is within its range's maximum.
        let max = m.cpuid(leaf & 0xffff_0000, 0)[0];
        if max < leaf || max > (leaf | 0xffff) || cpu_cap_cleared(f) {
            continue;
        }
        if m.cpuid(leaf, sub)[reg] & (1 << bit) != 0 {
            force_cpu_cap(cpus, f);
        }
    }
}
