// SPDX-License-Identifier: GPL-2.0

//! Reference-counted objects whose count can be read: the Rust shape of a C
//! structure with a `struct kref`. Like [`kernel::sync::Arc`], but
//! [`Kref::count`] tells how many references exist, which tests and debugfs
//! use to check who still holds an object.
//!
//! C header: [`include/linux/refcount.h`](srctree/include/linux/refcount.h)

use core::{
    marker::PhantomData,
    ops::Deref,
    pin::Pin,
    ptr::NonNull,
    sync::atomic::{AtomicI32, Ordering},
};
use kernel::{bindings, init::PinInit, prelude::*, types::Opaque};

#[pin_data]
#[repr(C)]
struct KrefInner<T> {
    refcount: Opaque<bindings::refcount_t>,
    #[pin]
    data: T,
}

/// A counted reference to a pinned `T`; the last one dropped frees it.
///
/// # Invariants
///
/// `ptr` points to a live `KrefInner<T>` allocated by [`Kref::pin_init`] on
/// which this object owns one reference.
///
/// # Examples
///
/// ```ignore
/// let a = Kref::pin_init(pin_init!(Foo { .. }), GFP_KERNEL)?;
/// let b = a.clone();
/// assert_eq!(Kref::count(&a), 2);
/// ```
pub(crate) struct Kref<T> {
    ptr: NonNull<KrefInner<T>>,
    _p: PhantomData<KrefInner<T>>,
}

// SAFETY: references may be dropped on any thread, which may free `T`: `T`
// must be `Send`; they share `&T` across threads: `T` must be `Sync`.
unsafe impl<T: Send + Sync> Send for Kref<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: Send + Sync> Sync for Kref<T> {}

impl<T> Kref<T> {
    /// Allocates and initialises a `T` in place, with one reference.
    pub(crate) fn pin_init(
        init: impl PinInit<T, Error>,
        flags: kernel::alloc::Flags,
    ) -> Result<Self> {
        let inner = KBox::pin_init(
            try_pin_init!(KrefInner {
                refcount: Opaque::new(bindings::refcount_t {
                    refs: bindings::atomic_t { counter: 1 },
                }),
                data <- init,
            }? Error),
            flags,
        )?;
        // SAFETY: the object is never moved out of the allocation: it is only
        // reached through the pointer until `drop` frees it in place.
        let raw = KBox::into_raw(unsafe { Pin::into_inner_unchecked(inner) });
        // INVARIANT: a fresh allocation with a count of one, ours.
        Ok(Self {
            // SAFETY: `KBox::into_raw` never returns NULL.
            ptr: unsafe { NonNull::new_unchecked(raw) },
            _p: PhantomData,
        })
    }

    /// How many references exist right now.
    pub(crate) fn count(this: &Self) -> u32 {
        // SAFETY: the object is live (type invariant); `refs.counter` is an
        // aligned `int` the refcount API only touches atomically.
        let c = unsafe {
            AtomicI32::from_ptr(core::ptr::addr_of_mut!(
                (*(*this.ptr.as_ptr()).refcount.get()).refs.counter
            ))
        };
        c.load(Ordering::Relaxed).max(0) as u32
    }

    /// Whether `a` and `b` refer to the same object.
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }

    /// Gives up the reference as a pointer to the `T`, for C code that will
    /// hand it back to [`Kref::from_raw`].
    pub(crate) fn into_raw(this: Self) -> *const T {
        // SAFETY: the object is live; taking a field address reads nothing.
        let p = unsafe { core::ptr::addr_of!((*this.ptr.as_ptr()).data) };
        core::mem::forget(this);
        p
    }

    /// Takes back a reference given up by [`Kref::into_raw`].
    ///
    /// # Safety
    ///
    /// `ptr` comes from [`Kref::into_raw`] of a `Kref<T>`, and each such
    /// pointer is handed back once.
    pub(crate) unsafe fn from_raw(ptr: *const T) -> Self {
        let off = core::mem::offset_of!(KrefInner<T>, data);
        // SAFETY: `ptr` is the `data` field of a `KrefInner<T>` (the
        // caller's promise), which is `repr(C)`, so it sits `off` bytes in.
        let inner = unsafe { ptr.cast::<u8>().sub(off).cast::<KrefInner<T>>() };
        // INVARIANT: the reference given up by `into_raw` is ours again.
        Self {
            // SAFETY: derived from a non-NULL allocation.
            ptr: unsafe { NonNull::new_unchecked(inner.cast_mut()) },
            _p: PhantomData,
        }
    }
}

impl<T> Clone for Kref<T> {
    fn clone(&self) -> Self {
        // SAFETY: we own a reference, so the count is at least one.
        unsafe { bindings::refcount_inc((*self.ptr.as_ptr()).refcount.get()) };
        // INVARIANT: the reference just taken is the new object's.
        Self {
            ptr: self.ptr,
            _p: PhantomData,
        }
    }
}

impl<T> Deref for Kref<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the object is live while we hold a reference.
        unsafe { &(*self.ptr.as_ptr()).data }
    }
}

impl<T> Drop for Kref<T> {
    fn drop(&mut self) {
        // SAFETY: we own a reference and give it back.
        let last = unsafe { bindings::refcount_dec_and_test((*self.ptr.as_ptr()).refcount.get()) };
        if last {
            // SAFETY: the count reached zero, so nobody else can reach the
            // object; it was allocated by `KBox` in `pin_init`.
            drop(unsafe { KBox::from_raw(self.ptr.as_ptr()) });
        }
    }
}
