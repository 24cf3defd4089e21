// SPDX-License-Identifier: GPL-2.0

//! A spinlock that disables interrupts while it is held
//! (`spin_lock_irqsave()`), for data shared with code that runs with
//! interrupts off: IPI handlers and perf callbacks. Later kernels have it as
//! `kernel::sync::SpinLockIrq`.
//!
//! C header: [`include/linux/spinlock.h`](srctree/include/linux/spinlock.h)

use kernel::{
    bindings,
    ffi::{c_char, c_ulong},
    sync::lock::{Backend, Lock},
};

/// Creates a [`SpinLockIrq`] initialiser with its own lockdep class.
///
/// # Examples
///
/// ```ignore
/// #[pin_data]
/// struct Counters {
///     #[pin]
///     n: SpinLockIrq<u64>,
/// }
/// let c = KBox::pin_init(pin_init!(Counters { n <- new_spinlock_irq!(0, "counters") }), GFP_KERNEL)?;
/// *c.n.lock() += 1;
/// ```
macro_rules! new_spinlock_irq {
    ($inner:expr, $name:literal) => {
        kernel::sync::lock::Lock::<_, $crate::kapi::sync::SpinLockIrqBackend>::new(
            $inner,
            kernel::c_str!($name),
            kernel::static_lock_class!(),
        )
    };
}
pub(crate) use new_spinlock_irq;

/// A spinlock taken with interrupts disabled; see the module documentation.
pub(crate) type SpinLockIrq<T> = Lock<T, SpinLockIrqBackend>;

/// The backend of [`SpinLockIrq`].
pub(crate) struct SpinLockIrqBackend;

// SAFETY: `spin_lock_irqsave()` makes the caller the only owner until
// `spin_unlock_irqrestore()`; `relock` uses the default, which calls `lock`,
// the same method.
unsafe impl Backend for SpinLockIrqBackend {
    type State = bindings::spinlock_t;
    type GuardState = c_ulong;

    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key) {
        // SAFETY: the caller passes a valid `ptr` and static `name` and `key`.
        unsafe { bindings::__spin_lock_init(ptr, name, key) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: the caller promises `init` ran on `ptr`.
        unsafe { bindings::resctrl_rs_spin_lock_irqsave(ptr) }
    }

    unsafe fn unlock(ptr: *mut Self::State, guard_state: &Self::GuardState) {
        // SAFETY: the caller owns the lock; `guard_state` holds the flags its
        // `lock` saved.
        unsafe { bindings::resctrl_rs_spin_unlock_irqrestore(ptr, *guard_state) }
    }
}
