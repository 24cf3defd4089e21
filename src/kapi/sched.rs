// SPDX-License-Identifier: GPL-2.0

//! The context-switch hook.
//!
//! resctrl-rs' core-kernel patch makes `resctrl_sched_in()`, which
//! `__switch_to()` calls for the next task, call [`resctrl_rs_sched_in`]
//! while the static key `resctrl_rs_sched_key` is on. It runs with
//! interrupts disabled and must not sleep or take sleeping locks.
//!
//! C header: [`arch/x86/include/asm/resctrl.h`](srctree/arch/x86/include/asm/resctrl.h)

use super::{cpu::CpusHeld, task::Task};
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::{bindings, prelude::*};

/// What the hook calls, as an address: 0 until [`set_hook`], then a
/// `fn(&Task)`, for good. One load on the context-switch path.
static HOOK: AtomicUsize = AtomicUsize::new(0);

/// Makes `f` what the context-switch hook calls for the next task, on its
/// CPU, with interrupts off: it must not sleep or take sleeping locks. Set
/// it before the hook is first turned on; `EBUSY` if one is set already.
///
/// # Examples
///
/// ```ignore
/// kapi::sched::set_hook(sched_in)?;
/// ```
pub(crate) fn set_hook(f: fn(&Task)) -> Result {
    HOOK.compare_exchange(0, f as usize, Ordering::AcqRel, Ordering::Acquire)
        .map(|_| ())
        .map_err(|_| EBUSY)
}

/// Runs the hook, if set, for `t`.
fn run_hook(t: &Task) {
    let f = HOOK.load(Ordering::Acquire);
    if f != 0 {
        // SAFETY: only `set_hook` stores a non-zero value, the address of a
        // `fn(&Task)`; function pointers and `usize` have the same size.
        let f = unsafe { core::mem::transmute::<usize, fn(&Task)>(f) };
        f(t);
    }
}

/// Turns the hook on: every context switch from now on calls the function
/// of [`set_hook`]. May sleep. The caller holds off CPU
/// hotplug (`held`): patching the code of a static key needs that, and
/// taking it again here would be a recursive read of the hotplug lock.
pub(crate) fn enable(_held: &CpusHeld) {
    if HOOK.load(Ordering::Relaxed) == 0 {
        pr_warn!("context-switch hook turned on before it was set: IDs are not loaded\n");
    }
    // SAFETY: process context, as `static_key_slow_inc_cpuslocked()` needs;
    // `_held` proves the hotplug lock it asserts is held.
    unsafe { bindings::resctrl_rs_sched_key_enable_cpuslocked() };
}

/// Turns the hook off, as far as this caller goes: each [`enable`] needs
/// one, and the last one turns it off a second later (the drop is
/// deferred), so mounting and unmounting in a loop patches the context switch
/// once, not each time; meanwhile the hook runs on. Context switches in
/// progress may still be in it. As [`enable`], with CPU hotplug held off.
pub(crate) fn disable(_held: &CpusHeld) {
    // SAFETY: as for `enable`.
    unsafe { bindings::resctrl_rs_sched_key_disable_cpuslocked() };
}

/// Called by `resctrl_sched_in()` at every context switch while the key is
/// on.
///
/// # Safety
///
/// `tsk` is the task being switched to, on this CPU, with interrupts off.
#[no_mangle]
pub(crate) unsafe extern "C" fn resctrl_rs_sched_in(tsk: *mut bindings::task_struct) {
    // SAFETY: the next task is live while it is being switched to.
    run_hook(unsafe { Task::from_raw(tsk) });
}

/// Runs the hook for the task current on this CPU, as if it had just been
/// switched to: after its IDs or the CPU's defaults changed. Call with
/// interrupts disabled, e.g. from [`super::cpu::call_on_cpu`].
pub(crate) fn resched_current() {
    // SAFETY: `current` is live while it runs this code.
    run_hook(unsafe { Task::from_raw(bindings::get_current()) });
}
