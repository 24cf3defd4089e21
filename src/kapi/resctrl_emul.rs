// SPDX-License-Identifier: GPL-2.0

//! The emulated RDT part's C ABI for modules:
//! `resctrl_rs_emul_rmid_time()`, the run time it charged to an RMID in a
//! package, from which an emulated device of a driver (the telemetry of
//! `resctrl_aet`) makes its counters. Without emulation it fails with
//! `ENODEV`.
//!
//! C header: [`include/linux/resctrl_rs_emul.h`](srctree/include/linux/resctrl_rs_emul.h)

use super::global::Global;
use core::ffi::c_int;
use kernel::prelude::*;

/// What answers `resctrl_rs_emul_rmid_time()`: the nanoseconds package
/// `pkg`'s CPUs ran with `rmid`, up to now (`true`) or as last charged,
/// charging nothing (`false`). Runs in any context but NMI, interrupts off
/// included: it must not sleep nor take a lock.
pub(crate) type RmidTimeFn = fn(u32, u32, bool) -> Result<u64>;

static RMID_TIME: Global<RmidTimeFn> = Global::new();

/// Plugs in the emulation, once.
pub(crate) fn set_rmid_time(f: &'static RmidTimeFn) -> Result {
    RMID_TIME.set(f)
}

/// `resctrl_rs_emul_rmid_time()`: see the C header.
///
/// # Safety
///
/// `ns` is NULL or valid for a write of a `u64`.
#[no_mangle]
pub(crate) unsafe extern "C" fn resctrl_rs_emul_rmid_time(
    pkg: u32,
    rmid: u32,
    ns: *mut u64,
) -> c_int {
    let Some(f) = RMID_TIME.get() else {
        return ENODEV.to_errno();
    };
    match f(pkg, rmid, !ns.is_null()) {
        Ok(v) => {
            if !ns.is_null() {
                // SAFETY: not NULL, so valid for the write (the caller's
                // promise).
                unsafe { ns.write(v) };
            }
            0
        }
        Err(e) => e.to_errno(),
    }
}
