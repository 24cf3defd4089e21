// SPDX-License-Identifier: GPL-2.0

//! A raw spinlock that disables interrupts while it is held
//! (`raw_spin_lock_irqsave()`), for data shared with code that runs with
//! interrupts off: IPI handlers and perf callbacks. perf calls a PMU under
//! its own raw `ctx->lock`, inside which only raw spinlocks may be taken
//! (a `spinlock_t` sleeps on PREEMPT_RT). Hold it briefly.
//!
//! While one is held, this CPU's busy mark is set (from before the lock is
//! taken until after it is given back): a perf callback that a BPF program
//! or an NMI runs inside the section returns at once, instead of spinning
//! on the lock or on a sequence counter the section writes ([`super::perf`]).
//! [`busy`] sets the mark, with interrupts off, around code that holds no
//! lock but uses per-CPU state a callback would change.
//!
//! C header: [`include/linux/spinlock.h`](srctree/include/linux/spinlock.h)

use kernel::{
    bindings,
    ffi::{c_char, c_ulong},
    sync::lock::{Backend, Lock},
};

/// Creates a [`RawSpinLockIrq`] initialiser with its own lockdep class.
///
/// # Examples
///
/// ```ignore
/// #[pin_data]
/// struct Counters {
///     #[pin]
///     n: RawSpinLockIrq<u64>,
/// }
/// let c = KBox::pin_init(pin_init!(Counters { n <- new_raw_spinlock_irq!(0, "counters") }), GFP_KERNEL)?;
/// *c.n.lock() += 1;
/// ```
macro_rules! new_raw_spinlock_irq {
    ($inner:expr, $name:literal) => {
        kernel::sync::lock::Lock::<_, $crate::kapi::sync::RawSpinLockIrqBackend>::new(
            $inner,
            kernel::c_str!($name),
            kernel::static_lock_class!(),
        )
    };
}
pub(crate) use new_raw_spinlock_irq;

/// A raw spinlock taken with interrupts disabled; see the module
/// documentation.
pub(crate) type RawSpinLockIrq<T> = Lock<T, RawSpinLockIrqBackend>;

/// The backend of [`RawSpinLockIrq`].
pub(crate) struct RawSpinLockIrqBackend;

// SAFETY: `raw_spin_lock_irqsave()` makes the caller the only owner until
// `raw_spin_unlock_irqrestore()`; `relock` uses the default, which calls
// `lock`, the same method.
unsafe impl Backend for RawSpinLockIrqBackend {
    type State = bindings::raw_spinlock_t;
    type GuardState = c_ulong;

    unsafe fn init(ptr: *mut Self::State, name: *const c_char, key: *mut bindings::lock_class_key) {
        // SAFETY: the caller passes a valid `ptr` and static `name` and `key`.
        unsafe { bindings::resctrl_rs_raw_spin_lock_init(ptr, name, key) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: the caller promises `init` ran on `ptr`.
        unsafe { bindings::resctrl_rs_raw_spin_lock_irqsave(ptr) }
    }

    unsafe fn unlock(ptr: *mut Self::State, guard_state: &Self::GuardState) {
        // SAFETY: the caller owns the lock; `guard_state` holds the flags its
        // `lock` saved.
        unsafe { bindings::resctrl_rs_raw_spin_unlock_irqrestore(ptr, *guard_state) }
    }
}

/// Runs `f` with interrupts off and this CPU's busy mark set: a perf
/// callback that a BPF program (on a probe inside `f`) or an NMI runs on
/// this CPU meanwhile returns at once ([`super::perf`]). For sections that
/// use per-CPU state such a callback would change, such as a counter read
/// that selects the counter in one register and reads it from another.
/// `f` must not sleep.
///
/// # Examples
///
/// ```ignore
/// let v = busy(|| { select(rmid); read() });
/// ```
pub(crate) fn busy<R>(f: impl FnOnce() -> R) -> R {
    // SAFETY: callable from any context; the flags go back to the exit.
    let flags = unsafe { bindings::resctrl_rs_busy_enter_irqsave() };
    let r = f();
    // SAFETY: pairs with the enter above, on this CPU (interrupts are off
    // in between, so the task has not moved).
    unsafe { bindings::resctrl_rs_busy_exit_irqrestore(flags) };
    r
}
