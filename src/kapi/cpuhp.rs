// SPDX-License-Identifier: GPL-2.0

//! CPU hotplug states: callbacks run as each CPU comes online and before it
//! goes offline.
//!
//! The callbacks run with CPU hotplug held off for everyone else (the
//! hotplug lock is held by the task driving the operation), so they must not
//! take `cpus_read_lock()`; they get a [`CpusHeld`] token instead.
//!
//! C header: [`include/linux/cpuhotplug.h`](srctree/include/linux/cpuhotplug.h)

use super::cpu::CpusHeld;
use kernel::{bindings, error::from_result, ffi::c_int, prelude::*, str::CStr};

/// The callbacks of a hotplug state.
pub(crate) trait Callbacks {
    /// `cpu` is online (or was, when the state was set up). May sleep.
    fn online(cpu: u32, held: &CpusHeld) -> Result;
    /// `cpu` is about to go offline; it still runs this callback's thread.
    /// May sleep.
    fn offline(cpu: u32, held: &CpusHeld) -> Result;
}

/// Sets up a dynamic state (`CPUHP_AP_ONLINE_DYN`) named `name` and runs its
/// online callback for every CPU already online. The state stays for the
/// life of the kernel: built-in code is never unloaded. Returns the state.
///
/// Takes the CPU hotplug lock: do not hold it.
pub(crate) fn setup_dyn<C: Callbacks>(name: &'static CStr) -> Result<i32> {
    /// # Safety
    ///
    /// Called by the hotplug core for `cpu`, holding off other hotplug
    /// operations.
    unsafe extern "C" fn online<C: Callbacks>(cpu: u32) -> c_int {
        from_result(|| {
            C::online(cpu, &CpusHeld::hotplug())?;
            Ok(0)
        })
    }
    /// # Safety
    ///
    /// As for `online`.
    unsafe extern "C" fn offline<C: Callbacks>(cpu: u32) -> c_int {
        from_result(|| {
            C::offline(cpu, &CpusHeld::hotplug())?;
            Ok(0)
        })
    }
    // SAFETY: `name` is static; the callbacks are plain functions that stay
    // for the life of the kernel.
    let r = unsafe {
        bindings::__cpuhp_setup_state(
            bindings::cpuhp_state_CPUHP_AP_ONLINE_DYN,
            name.as_char_ptr(),
            true,
            Some(online::<C>),
            Some(offline::<C>),
            false,
        )
    };
    kernel::error::to_result(r)?;
    Ok(r)
}
