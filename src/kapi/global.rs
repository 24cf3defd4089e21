// SPDX-License-Identifier: GPL-2.0

//! Objects set once and then live until the kernel stops: the built-in
//! code's global state.

use core::{
    pin::Pin,
    ptr,
    sync::atomic::{AtomicPtr, Ordering},
};
use kernel::prelude::*;

/// A `&'static T` set at most once, for a `static`.
///
/// # Invariants
///
/// The pointer is NULL or comes from a `&'static T`.
pub(crate) struct Global<T: 'static>(AtomicPtr<T>);

impl<T: Sync + 'static> Global<T> {
    /// Nothing set yet.
    pub(crate) const fn new() -> Self {
        Self(AtomicPtr::new(ptr::null_mut()))
    }

    /// Sets the object; `EBUSY` if one is set already.
    pub(crate) fn set(&self, v: &'static T) -> Result {
        self.0
            .compare_exchange(
                ptr::null_mut(),
                ptr::from_ref(v).cast_mut(),
                Ordering::AcqRel,
                Ordering::Acquire,
            )
            .map(|_| ())
            .map_err(|_| EBUSY)
    }

    /// Leaks `b`, which never moves again, and sets it; `EBUSY` (and `b`
    /// leaked all the same) if one is set already.
    pub(crate) fn set_pinned(&self, b: Pin<KBox<T>>) -> Result {
        // SAFETY: the box is leaked, so its content never moves nor is
        // dropped, which is all `Pin` asks.
        let r: &'static T = KBox::leak(unsafe { Pin::into_inner_unchecked(b) });
        self.set(r)
    }

    /// The object, if set.
    pub(crate) fn get(&self) -> Option<&'static T> {
        let p = self.0.load(Ordering::Acquire);
        // SAFETY: by the type invariant `p` is NULL or a `&'static T`.
        unsafe { p.as_ref() }
    }
}
