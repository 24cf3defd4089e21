// SPDX-License-Identifier: GPL-2.0

//! Delayed work on a chosen CPU (`schedule_delayed_work_on()`), for objects
//! held by [`Kref`]: the queued work owns one reference, so the object cannot
//! be freed while the work is pending or running. Later kernels have the
//! same shape as `kernel::workqueue::DelayedWork` for `Arc`.
//!
//! Nothing here cancels work: the work function gets the reference back and
//! decides whether to queue itself again or drop it.
//!
//! C header: [`include/linux/workqueue.h`](srctree/include/linux/workqueue.h)

use super::kref::Kref;
use core::marker::PhantomData;
use kernel::{bindings, init::PinInit, prelude::*, str::CStr, types::Opaque};

/// A lockdep class key in static memory, for [`DelayedWork::new`].
pub(crate) struct ClassKey(Opaque<bindings::lock_class_key>);

// SAFETY: only lockdep touches the key, with its own locking.
unsafe impl Sync for ClassKey {}

impl ClassKey {
    /// A key; lockdep wants it in static memory, unused until registered.
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zeroes is an unused static lockdep key.
        Self(Opaque::new(unsafe { core::mem::zeroed() }))
    }
}

/// A `struct delayed_work` in a `T`, the `ID`-th of its kind.
#[repr(transparent)]
pub(crate) struct DelayedWork<T, const ID: u64 = 0> {
    dwork: Opaque<bindings::delayed_work>,
    _p: PhantomData<T>,
}

// SAFETY: the workqueue core serialises all access to the structure.
unsafe impl<T, const ID: u64> Send for DelayedWork<T, ID> {}
// SAFETY: as for `Send`.
unsafe impl<T, const ID: u64> Sync for DelayedWork<T, ID> {}

/// What runs when the `ID`-th delayed work of a `T` fires.
pub(crate) trait DelayedWorkItem<const ID: u64 = 0>: Sized + Send + Sync + 'static {
    /// Runs in process context on a workqueue thread; may sleep. `this` is
    /// the reference the work held.
    fn run(this: Kref<Self>);
}

/// Where the `ID`-th [`DelayedWork`] sits in a `T`.
///
/// # Safety
///
/// `OFFSET` is the offset of a field of type `DelayedWork<Self, ID>`;
/// implement it with [`impl_has_delayed_work!`].
pub(crate) unsafe trait HasDelayedWork<const ID: u64>: DelayedWorkItem<ID> {
    /// The field's offset in bytes.
    const OFFSET: usize;
}

/// Implements [`HasDelayedWork`] for a field.
///
/// # Examples
///
/// ```ignore
/// impl_has_delayed_work!(Domain, 0, overflow_work);
/// ```
macro_rules! impl_has_delayed_work {
    ($t:ty, $id:literal, $field:ident) => {
        // SAFETY: the offset is that of the named field, whose type the
        // assertion below checks.
        unsafe impl $crate::kapi::workqueue::HasDelayedWork<$id> for $t {
            const OFFSET: usize = {
                const fn check(_: &$crate::kapi::workqueue::DelayedWork<$t, $id>) {}
                let _ = |x: &$t| check(&x.$field);
                core::mem::offset_of!($t, $field)
            };
        }
    };
}
pub(crate) use impl_has_delayed_work;

impl<T: HasDelayedWork<ID>, const ID: u64> DelayedWork<T, ID> {
    /// An initialiser; `name` and the keys label the work and its timer for
    /// lockdep.
    pub(crate) fn new(
        name: &'static CStr,
        work_key: &'static ClassKey,
        timer_key: &'static ClassKey,
    ) -> impl PinInit<Self> {
        // SAFETY: `ffi_init` hands a valid slot; the work function and the
        // timer function match what the workqueue core expects, and `name`
        // and the keys are static.
        unsafe {
            kernel::init::pin_init_from_closure(move |slot: *mut Self| {
                let dw = Opaque::raw_get(core::ptr::addr_of!((*slot).dwork));
                bindings::init_work_with_key(
                    core::ptr::addr_of_mut!((*dw).work),
                    Some(Self::run),
                    false,
                    name.as_char_ptr(),
                    work_key.0.get(),
                );
                bindings::init_timer_key(
                    core::ptr::addr_of_mut!((*dw).timer),
                    Some(bindings::delayed_work_timer_fn),
                    bindings::TIMER_IRQSAFE,
                    name.as_char_ptr(),
                    timer_key.0.get(),
                );
                Ok(())
            })
        }
    }

    /// The work function.
    ///
    /// # Safety
    ///
    /// Called by the workqueue core with the `work_struct` of a
    /// `DelayedWork<T, ID>` queued by [`DelayedWork::schedule_on`].
    unsafe extern "C" fn run(work: *mut bindings::work_struct) {
        // `work` is the first field of `delayed_work`, which is the only
        // field of `Self`, which sits `T::OFFSET` bytes into a `T`.
        let t = work.cast::<u8>().wrapping_sub(T::OFFSET).cast::<T>();
        // SAFETY: `schedule_on` gave up a reference with `into_raw` for this
        // queueing, and the core runs the function once per queueing.
        T::run(unsafe { Kref::from_raw(t) });
    }

    /// Queues the work of `this` to run on `cpu` after `delay_ms`
    /// milliseconds, handing it the reference. If it is already pending the
    /// reference comes back as the error.
    ///
    /// `cpu` must be online and stay so until the call returns (hold the CPU
    /// hotplug lock): a timer queued on an offline CPU never fires.
    pub(crate) fn schedule_on(this: Kref<T>, cpu: u32, delay_ms: u32) -> Result<(), Kref<T>> {
        let raw = Kref::into_raw(this);
        // The work sits `T::OFFSET` bytes into the object.
        let dw = raw.cast::<u8>().wrapping_add(T::OFFSET).cast::<Self>();
        // SAFETY: `dw` is the `DelayedWork<T, ID>` of the object (the
        // promise of `HasDelayedWork`), live as long as the reference the
        // work now holds; `system_wq` is set up at boot.
        let queued = unsafe {
            bindings::queue_delayed_work_on(
                cpu as i32,
                bindings::system_wq,
                (*dw).dwork.get(),
                bindings::__msecs_to_jiffies(delay_ms),
            )
        };
        if queued {
            Ok(())
        } else {
            // SAFETY: not queued, so the reference is still ours.
            Err(unsafe { Kref::from_raw(raw) })
        }
    }
}
