// SPDX-License-Identifier: GPL-2.0

//! Hearing that a loadable module goes: a module notifier
//! (`register_module_notifier()`) called at `MODULE_STATE_GOING`, once the
//! module's exit ran (or its init failed) and before its memory is freed.
//! Built-in code that modules register with uses it to drop what a module
//! left registered, so nothing calls the module's code once it is gone.
//!
//! C header: [`include/linux/module.h`](srctree/include/linux/module.h)

use super::global::Global;
use core::{cell::UnsafeCell, ffi::c_void};
use kernel::{bindings, error::to_result, ffi::c_int, ffi::c_ulong, prelude::*};

/// A module's identity: the address of its `struct module`, never
/// dereferenced. Built-in code has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ModuleId(usize);

impl ModuleId {
    /// The module `owner` points to (`THIS_MODULE`), or `None` for built-in
    /// code (NULL).
    pub(crate) fn from_ptr(owner: *const bindings::module) -> Option<Self> {
        (!owner.is_null()).then_some(Self(owner as usize))
    }
}

/// The notifier block, in static memory as the notifier chain wants it.
struct Block(UnsafeCell<bindings::notifier_block>);

// SAFETY: the block is only written by the notifier chain, under its own
// lock, once registered.
unsafe impl Sync for Block {}

static BLOCK: Block = Block(UnsafeCell::new(bindings::notifier_block {
    notifier_call: Some(notify),
    next: core::ptr::null_mut(),
    priority: 0,
}));

static GOING: Global<fn(ModuleId)> = Global::new();

/// # Safety
///
/// Called by the module notifier chain, with `data` the `struct module`
/// whose state changes to `action`.
unsafe extern "C" fn notify(
    _nb: *mut bindings::notifier_block,
    action: c_ulong,
    data: *mut c_void,
) -> c_int {
    if action == bindings::module_state_MODULE_STATE_GOING as c_ulong {
        if let (Some(f), Some(m)) = (GOING.get(), ModuleId::from_ptr(data.cast())) {
            f(m);
        }
    }
    bindings::NOTIFY_DONE as c_int
}

/// Calls `*going` in process context for every module that goes, from now
/// on for the kernel's life; `EBUSY` if set already.
pub(crate) fn on_module_going(going: &'static fn(ModuleId)) -> Result {
    GOING.set(going)?;
    // SAFETY: `BLOCK` is static and registered once (`GOING` is set once),
    // never unregistered; its callback is `notify`.
    to_result(unsafe { bindings::register_module_notifier(BLOCK.0.get()) })
}
