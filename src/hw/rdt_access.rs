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
/// `L3_QOS_ABMC_CFG` (AMD's ABMC): configures one assignable bandwidth
/// counter of the CPU's domain, see [`abmc_cfg`]. #GP unless the CPU has
/// ABMC on.
pub(crate) const MSR_L3_QOS_ABMC_CFG: u32 = 0xc000_03fd;
/// `L3_QOS_EXT_CFG` (AMD), per CPU: bit 0 turns ABMC on ([`EXT_CFG_ABMC`]),
/// bit 1 SDCIAE ([`EXT_CFG_SDCIAE`]).
pub(crate) const MSR_L3_QOS_EXT_CFG: u32 = 0xc000_03ff;
/// `L3_QOS_EXT_CFG` bit 0: ABMC on.
pub(crate) const EXT_CFG_ABMC: u64 = 1 << 0;
/// `L3_QOS_EXT_CFG` bit 1: SDCIAE on (io_alloc).
pub(crate) const EXT_CFG_SDCIAE: u64 = 1 << 1;
/// `IA32_QM_EVTSEL` event of an assignable counter: `ExtendedEvtID` (bit
/// 31) with `EvtID` 1; the counter id goes where the RMID goes.
pub(crate) const QM_EVT_ABMC: u64 = (1 << 31) | 1;
/// `L3_QOS_ABMC_CFG` bit 63 (`CfgEn`): apply the configuration, which
/// clears the counter.
pub(crate) const ABMC_CFG_EN: u64 = 1 << 63;
/// `L3_QOS_ABMC_CFG` bit 62 (`CtrEn`): the counter counts.
pub(crate) const ABMC_CNTR_EN: u64 = 1 << 62;
/// The most assignable counters a domain has: `CtrID` is 5 bits.
pub(crate) const ABMC_MAX_CNTRS: u32 = 32;

/// The `L3_QOS_ABMC_CFG` value that sets assignable counter `cntr` to count
/// the event bits `bits` of `rmid`, or (`None`) to stop counting: counter id
/// in bits 52:48, RMID (`BwSrc`) in 43:32, event bits (`BwType`) in 31:0.
pub(crate) fn abmc_cfg(cntr: u32, rmid: u32, bits: Option<u32>) -> u64 {
    let on = bits.map_or(0, |_| ABMC_CNTR_EN);
    ABMC_CFG_EN
        | on
        | ((cntr as u64 & 0x1f) << 48)
        | ((rmid as u64 & 0xfff) << 32)
        | bits.unwrap_or(0) as u64
}

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
