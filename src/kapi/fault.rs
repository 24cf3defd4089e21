// SPDX-License-Identifier: GPL-2.0

//! Error injection points: functions marked `ALLOW_ERROR_INJECTION` in C
//! (`helpers/resctrl_rs.c`), which succeed unless the kernel's
//! `fail_function` (debugfs `fail_function/`, see
//! `Documentation/fault-injection/fault-injection.rst`) makes one fail. A
//! test fails the step of its choice and checks that the steps before it
//! are undone.

use kernel::{bindings, error::to_result, prelude::*};

/// Before each step of bringing an L3 monitoring domain online (the domain
/// itself, then each group's `mon_data/mon_L3_<id>`): the error that
/// `fail_function` injects into `rust_helper_resctrl_rs_inject_domain_online`,
/// if it is armed.
pub(crate) fn domain_online_step() -> Result {
    // SAFETY: the C function takes no argument and only returns a number
    // (0, or the errno `fail_function` sets as its return value).
    to_result(unsafe { bindings::resctrl_rs_inject_domain_online() })
}
