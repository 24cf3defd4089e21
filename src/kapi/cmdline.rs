// SPDX-License-Identifier: GPL-2.0

//! The kernel command line, for the boot parameters of built-in code.

use kernel::{bindings, str::CStr};

/// The value of `name=value` on the kernel command line (the last one if it
/// appears more than once), or `Some("")` for a bare `name`.
///
/// # Examples
///
/// ```ignore
/// // Booted with "resctrl_rs.emulate=force":
/// assert_eq!(param("resctrl_rs.emulate"), Some("force"));
/// ```
pub(crate) fn param(name: &str) -> Option<&'static str> {
    // SAFETY: `saved_command_line` is set before any initcall, NUL-terminated
    // and never freed or changed afterwards.
    let line = unsafe { CStr::from_char_ptr(bindings::saved_command_line) };
    let line = core::str::from_utf8(line.as_bytes()).ok()?;
    let mut found = None;
    for word in line.split_ascii_whitespace() {
        match word.split_once('=') {
            Some((k, v)) if k == name => found = Some(v),
            None if word == name => found = Some(""),
            _ => {}
        }
    }
    found
}
