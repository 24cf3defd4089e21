// SPDX-License-Identifier: GPL-2.0

//! CPUs: which are online, which one runs us, their caches, running code on
//! a given one, and the clock.
//!
//! C headers: [`include/linux/cpumask.h`](srctree/include/linux/cpumask.h),
//! [`include/linux/smp.h`](srctree/include/linux/smp.h),
//! [`include/linux/cacheinfo.h`](srctree/include/linux/cacheinfo.h)

use core::ffi::c_void;
use kernel::{bindings, error::to_result, prelude::*};

/// Upper bound of CPU numbers of this kernel (`NR_CPUS`).
pub(crate) const NR_CPUS: usize = bindings::NR_CPUS as usize;

/// The number of possible CPU ids (`nr_cpu_ids`).
pub(crate) fn nr_cpu_ids() -> u32 {
    // SAFETY: set once during boot, read-only afterwards.
    unsafe { bindings::nr_cpu_ids }
}

/// Whether `cpu` is online. Stable only under a [`CpusReadGuard`].
pub(crate) fn online(cpu: u32) -> bool {
    let word = (cpu / 64) as usize;
    // SAFETY: the online mask is a static bitmap of `NR_CPUS` bits, updated
    // with atomic bit operations; a word read is a snapshot.
    let bits = unsafe {
        core::ptr::read_volatile(core::ptr::addr_of!(bindings::__cpu_online_mask.bits[word]))
    };
    (cpu as usize) < NR_CPUS && (bits as u64) & (1u64 << (cpu % 64)) != 0
}

/// The CPU running the caller. Stable only with preemption disabled.
pub(crate) fn processor_id() -> u32 {
    // SAFETY: always allowed; the raw variant does not check preemption.
    unsafe { bindings::resctrl_rs_processor_id() }
}

/// `local_clock()`: nanoseconds, monotonic on one CPU.
pub(crate) fn clock_ns() -> u64 {
    // SAFETY: callable from any context.
    unsafe { bindings::resctrl_rs_clock() }
}

/// A set of CPUs that share something: a cache level, or the package.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// A cache level (2 or 3): CPUs sharing that cache.
    Cache(u32),
    /// The physical package.
    Package,
}

/// Proof that CPU hotplug is held off: the holder has `cpus_read_lock()`
/// (see [`CpusReadGuard::held`]) or runs in a CPU hotplug callback (see
/// [`super::cpuhp`]). Only this layer makes one.
pub(crate) struct CpusHeld(());

impl CpusHeld {
    /// For the hotplug callbacks of [`super::cpuhp`], which run while the
    /// task driving the operation holds the hotplug lock.
    pub(super) fn hotplug() -> Self {
        Self(())
    }

    /// The id and size in bytes of the cache of `level` (2 or 3) of `cpu`,
    /// from cacheinfo; `None` for a CPU without one or without cacheinfo
    /// (offline).
    pub(crate) fn cache_info(&self, cpu: u32, level: u32) -> Option<(u32, u32)> {
        let (mut id, mut size) = (0u32, 0u32);
        let level = i32::try_from(level).ok()?;
        // SAFETY: hotplug is held off (type invariant), which keeps the
        // CPU's cacheinfo from being freed under the lookup.
        unsafe { bindings::resctrl_rs_cache_info(cpu, level, &mut id, &mut size) }
            .then_some((id, size))
    }

    /// The id and size in bytes of the L3 cache of `cpu`; see
    /// [`CpusHeld::cache_info`].
    pub(crate) fn l3_info(&self, cpu: u32) -> Option<(u32, u32)> {
        self.cache_info(cpu, 3)
    }

    /// The id of `cpu`'s domain of `scope`: its package's id, or its cache's
    /// of that level; `None` without one (or offline).
    pub(crate) fn scope_id(&self, cpu: u32, scope: Scope) -> Option<u32> {
        let level = match scope {
            Scope::Cache(l) => l as i32,
            Scope::Package => 16,
        };
        let mut id = 0u32;
        // SAFETY: hotplug is held off (type invariant), as for `l3_info`.
        unsafe { bindings::resctrl_rs_scope_id(cpu, level, &mut id) }.then_some(id)
    }
}

/// CPU hotplug held off: `cpus_read_lock()` until dropped.
pub(crate) struct CpusReadGuard(CpusHeld);

impl CpusReadGuard {
    /// Takes the CPU hotplug lock for reading. May sleep.
    pub(crate) fn new() -> Self {
        // SAFETY: process context; `Drop` unlocks.
        unsafe { bindings::cpus_read_lock() };
        Self(CpusHeld(()))
    }

    /// The proof that hotplug is held off.
    pub(crate) fn held(&self) -> &CpusHeld {
        &self.0
    }
}

impl Drop for CpusReadGuard {
    fn drop(&mut self) {
        // SAFETY: taken in `new`.
        unsafe { bindings::cpus_read_unlock() };
    }
}

/// Runs `f` on `cpu` with interrupts disabled and waits for it. `f` must not
/// sleep. May sleep; not from atomic context.
pub(crate) fn call_on_cpu<F: FnMut() + Send>(cpu: u32, mut f: F) -> Result {
    /// # Safety
    ///
    /// `data` is a `&mut F` that outlives the call.
    unsafe extern "C" fn tramp<F: FnMut()>(data: *mut c_void) {
        // SAFETY: `data` is the `&mut F` below, live until the waiting call
        // returns, and only this CPU runs it.
        unsafe { (*data.cast::<F>())() };
    }
    // SAFETY: `wait` is 1, so `f` outlives its use on the other CPU.
    to_result(unsafe {
        bindings::smp_call_function_single(
            cpu as i32,
            Some(tramp::<F>),
            core::ptr::from_mut(&mut f).cast(),
            1,
        )
    })
}
