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
