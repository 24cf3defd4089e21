// SPDX-License-Identifier: GPL-2.0

//! A late initcall for built-in code: work that needs what other built-in
//! code sets up at the device initcall level (cacheinfo, for one) runs at
//! `late_initcall` time. The C side (`helpers/resctrl_rs.c`) declares the
//! initcall, which calls [`resctrl_rs_late_init`].

use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::{error::from_result, ffi::c_int, prelude::*};

static LATE: AtomicUsize = AtomicUsize::new(0);

/// Makes `f` run at `late_initcall` time. Call it from the module's
/// initialisation, which runs earlier.
pub(crate) fn set_late_init(f: fn() -> Result) {
    LATE.store(f as usize, Ordering::Release);
}

/// Called once by the late initcall of `helpers/resctrl_rs.c`.
#[no_mangle]
pub(crate) extern "C" fn resctrl_rs_late_init() -> c_int {
    let p = LATE.load(Ordering::Acquire);
    if p == 0 {
        return 0;
    }
    // SAFETY: the only non-zero value ever stored is a `fn() -> Result`.
    let f: fn() -> Result = unsafe { core::mem::transmute::<usize, fn() -> Result>(p) };
    from_result(|| {
        f()?;
        Ok(0)
    })
}
