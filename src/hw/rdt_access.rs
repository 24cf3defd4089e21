// SPDX-License-Identifier: GPL-2.0

//! How the RDT driver reaches the hardware: `CPUID` and the MSRs of the CPU
//! running the caller. [`Native`] executes the instructions; the emulation
//! ([`crate::hw::emul`]) answers them from a software model, so the driver is
//! the same code on both.

use crate::kapi::x86;
use kernel::prelude::*;

/// `IA32_PQR_ASSOC`: RMID in bits 9:0, CLOSID in bits 63:32.
pub(crate) const MSR_PQR_ASSOC: u32 = 0xc8f;
/// `IA32_L3_QOS_CFG`: bit 0 turns L3 code and data prioritisation on; per
/// domain on Intel, per CPU on AMD.
pub(crate) const MSR_L3_QOS_CFG: u32 = 0xc81;
/// `IA32_L2_QOS_CFG`: bit 0 turns L2 code and data prioritisation on.
pub(crate) const MSR_L2_QOS_CFG: u32 = 0xc82;
/// `IA32_L2_MASK_0`; index n at `+ n`.
pub(crate) const MSR_L2_MASK_BASE: u32 = 0xd10;
/// `IA32_QM_EVTSEL`: event id in bits 7:0, RMID in bits 41:32.
pub(crate) const MSR_QM_EVTSEL: u32 = 0xc8d;
/// `IA32_QM_CTR`: the selected counter.
pub(crate) const MSR_QM_CTR: u32 = 0xc8e;
/// `IA32_L3_MASK_0`; CLOSID n at `+ n`.
pub(crate) const MSR_L3_MASK_BASE: u32 = 0xc90;
/// `IA32_MBA_THRTL_0` (Intel); CLOSID n at `+ n`.
pub(crate) const MSR_MBA_THRTL_BASE: u32 = 0xd50;
/// `MSR_IA32_MBA_BW_BASE` (AMD): the bandwidth of CLOSID n at `+ n`.
pub(crate) const MSR_AMD_MBA_BW_BASE: u32 = 0xc000_0200;
/// `MSR_IA32_SMBA_BW_BASE` (AMD): the slow-memory bandwidth of CLOSID n at
/// `+ n`.
pub(crate) const MSR_AMD_SMBA_BW_BASE: u32 = 0xc000_0280;
/// `MSR_IA32_EVT_CFG_BASE` (AMD's BMEC): the event bits of the total
/// (`+ 0`) and local (`+ 1`) bandwidth events, per domain.
pub(crate) const MSR_AMD_EVT_CFG_BASE: u32 = 0xc000_0400;
/// The event bits BMEC knows of.
pub(crate) const EVT_CFG_BITS: u32 = 0x7f;
/// `IA32_QM_CTR` bit: the event or RMID is not supported.
pub(crate) const QM_CTR_ERROR: u64 = 1 << 63;
/// `IA32_QM_CTR` bit: no data is available (yet).
pub(crate) const QM_CTR_UNAVAILABLE: u64 = 1 << 62;

/// Access to RDT's instructions on the CPU running the caller, with
/// preemption (or interrupts) disabled.
pub(crate) trait Access: Sync {
    /// `CPUID`: `[eax, ebx, ecx, edx]`.
    fn cpuid(&self, leaf: u32, subleaf: u32) -> [u32; 4];
    /// `RDMSR`; `EIO` where the hardware would raise #GP.
    fn rdmsr(&self, msr: u32) -> Result<u64>;
    /// `WRMSR`; `EIO` where the hardware would raise #GP.
    fn wrmsr(&self, msr: u32, val: u64) -> Result;
    /// Every context switch on this CPU while resctrl is mounted, before the
    /// new IDs are loaded: for a model that accounts run time. Interrupts
    /// are off.
    fn context_switch(&self, _next_is_idle: bool) {}
    /// Mount time: context switches start being reported.
    fn start(&self) {}
    /// This CPU came online, interrupts off, before the driver sets it up:
    /// for a model whose CPU registers are lost while a CPU is offline.
    fn cpu_online(&self) {}
}

/// The CPU's own instructions.
pub(crate) struct Native;

impl Access for Native {
    fn cpuid(&self, leaf: u32, subleaf: u32) -> [u32; 4] {
        x86::cpuid(leaf, subleaf)
    }

    fn rdmsr(&self, msr: u32) -> Result<u64> {
        x86::rdmsr(msr)
    }

    fn wrmsr(&self, msr: u32, val: u64) -> Result {
        x86::wrmsr(msr, val)
    }
}
