// SPDX-License-Identifier: GPL-2.0

//! A late initcall for built-in code: work that needs what other built-in
//! code sets up at the device initcall level (cacheinfo, for one) runs at
//! `late_initcall` time. The C side (`helpers/resctrl_rs.c`) declares the
//! initcall, which calls [`resctrl_rs_late_init`].

use super::global::Global;
use kernel::{error::from_result, ffi::c_int, prelude::*};

static LATE: Global<fn() -> Result> = Global::new();

/// Makes `*f` run at `late_initcall` time. Call it from the module's
/// initialisation, which runs earlier; `EBUSY` if one is set already.
///
/// # Examples
///
/// ```ignore
/// static LATE_INIT: fn() -> Result = late_init;
/// kapi::init::set_late_init(&LATE_INIT)?;
/// ```
pub(crate) fn set_late_init(f: &'static fn() -> Result) -> Result {
    LATE.set(f)
}

/// Called once by the late initcall of `helpers/resctrl_rs.c`.
#[no_mangle]
pub(crate) extern "C" fn resctrl_rs_late_init() -> c_int {
    let Some(f) = LATE.get() else {
        return 0;
    };
    from_result(|| {
        f()?;
        Ok(0)
    })
}
