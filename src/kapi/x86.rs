// SPDX-License-Identifier: GPL-2.0

//! The x86 instructions RDT is driven with: `CPUID`, `RDMSR`, `WRMSR`, on the
//! CPU that runs the caller.
//!
//! C header: [`arch/x86/include/asm/msr.h`](srctree/arch/x86/include/asm/msr.h)

use kernel::{bindings, error::to_result, prelude::*};

/// `CPUID` leaf `leaf`, subleaf `subleaf`: `[eax, ebx, ecx, edx]`.
pub(crate) fn cpuid(leaf: u32, subleaf: u32) -> [u32; 4] {
    let mut regs = [0u32; 4];
    // SAFETY: `regs` has room for the four registers.
    unsafe { bindings::resctrl_rs_cpuid(leaf, subleaf, regs.as_mut_ptr()) };
    regs
}

/// Reads MSR `msr` of this CPU; `EIO` if it faults. Call with preemption
/// disabled so "this CPU" means something.
pub(crate) fn rdmsr(msr: u32) -> Result<u64> {
    let mut v = 0u64;
    // SAFETY: the safe variant catches the #GP of a missing MSR.
    to_result(unsafe { bindings::resctrl_rs_rdmsr(msr, &mut v) }).map_err(|_| EIO)?;
    Ok(v)
}

/// Writes MSR `msr` of this CPU; `EIO` if it faults.
pub(crate) fn wrmsr(msr: u32, val: u64) -> Result {
    // SAFETY: the safe variant catches the #GP of a missing MSR or a
    // reserved bit. The MSRs resctrl writes only steer cache allocation,
    // bandwidth throttling and monitoring.
    to_result(unsafe { bindings::resctrl_rs_wrmsr(msr, val) }).map_err(|_| EIO)
}

/// An x86 CPU capability (`X86_FEATURE_*`) of resource control, by the name
/// `/proc/cpuinfo` shows.
///
/// C header: [`arch/x86/include/asm/cpufeatures.h`](srctree/arch/x86/include/asm/cpufeatures.h)
#[derive(Clone, Copy)]
pub(crate) struct Feature(u32);

impl Feature {
    /// `rdt_a`: resource allocation.
    pub(crate) const RDT_A: Self = Self(bindings::X86_FEATURE_RDT_A);
    /// `cqm`: resource monitoring.
    pub(crate) const CQM: Self = Self(bindings::X86_FEATURE_CQM);
    /// `cqm_llc`: L3 monitoring.
    pub(crate) const CQM_LLC: Self = Self(bindings::X86_FEATURE_CQM_LLC);
    /// `cqm_occup_llc`: L3 occupancy.
    pub(crate) const CQM_OCCUP_LLC: Self = Self(bindings::X86_FEATURE_CQM_OCCUP_LLC);
    /// `cqm_mbm_total`: total memory bandwidth.
    pub(crate) const CQM_MBM_TOTAL: Self = Self(bindings::X86_FEATURE_CQM_MBM_TOTAL);
    /// `cqm_mbm_local`: local memory bandwidth.
    pub(crate) const CQM_MBM_LOCAL: Self = Self(bindings::X86_FEATURE_CQM_MBM_LOCAL);
    /// `cat_l3`: L3 cache allocation.
    pub(crate) const CAT_L3: Self = Self(bindings::X86_FEATURE_CAT_L3);
    /// `cat_l2`: L2 cache allocation.
    pub(crate) const CAT_L2: Self = Self(bindings::X86_FEATURE_CAT_L2);
    /// `cdp_l3`: L3 code and data prioritisation.
    pub(crate) const CDP_L3: Self = Self(bindings::X86_FEATURE_CDP_L3);
    /// `cdp_l2`: L2 code and data prioritisation.
    pub(crate) const CDP_L2: Self = Self(bindings::X86_FEATURE_CDP_L2);
    /// `mba`: memory bandwidth allocation.
    pub(crate) const MBA: Self = Self(bindings::X86_FEATURE_MBA);
    /// Slow-memory bandwidth allocation (AMD; no name in `/proc/cpuinfo`).
    pub(crate) const SMBA: Self = Self(bindings::X86_FEATURE_SMBA);
    /// Per-thread memory bandwidth allocation (no name in `/proc/cpuinfo`).
    pub(crate) const PER_THREAD_MBA: Self = Self(bindings::X86_FEATURE_PER_THREAD_MBA);
    /// Bandwidth event configuration (AMD; no name in `/proc/cpuinfo`).
    pub(crate) const BMEC: Self = Self(bindings::X86_FEATURE_BMEC);
}

/// Whether the CPUs have the capability `f` (the boot CPU's view).
pub(crate) fn cpu_has(f: Feature) -> bool {
    // SAFETY: `f.0` is an `X86_FEATURE_*` number (the type's constants);
    // the helper only tests a bit of `boot_cpu_data`.
    unsafe { bindings::resctrl_rs_cpu_has(f.0) }
}

/// Whether the capability `f` was turned off for good: by `clearcpuid=`, or
/// with one it depends on.
pub(crate) fn cpu_cap_cleared(f: Feature) -> bool {
    // SAFETY: as for `cpu_has`; `cpu_caps_cleared` has room for every
    // capability word.
    unsafe { bindings::resctrl_rs_cpu_cap_cleared(f.0) }
}

/// Gives every CPU, and every CPU that comes online later, the capability
/// `f`, as if its `CPUID` had reported it.
///
/// Only for what `CPUID` would report but the CPU underneath does not (an
/// emulated part): user space then sees in `/proc/cpuinfo` the part that
/// resctrl drives. Holding `_cpus` keeps CPUs from being identified
/// meanwhile.
pub(crate) fn force_cpu_cap(_cpus: &super::cpu::CpusHeld, f: Feature) {
    // SAFETY: `f.0` is an `X86_FEATURE_*` number (the type's constants),
    // within the capability words the helper writes; hotplug is held off,
    // so no CPU's capabilities are rewritten by its identification
    // meanwhile. Only resctrl tests these features; no patched code
    // (alternatives) does.
    unsafe { bindings::resctrl_rs_force_cpu_cap(f.0) }
}
