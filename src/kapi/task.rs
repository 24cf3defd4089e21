// SPDX-License-Identifier: GPL-2.0

//! Tasks as resctrl sees them: their CLOSID and RMID, PIDs, and where they
//! run.
//!
//! The `closid` and `rmid` fields of `struct task_struct` are the ones
//! upstream resctrl uses; resctrl-rs' core-kernel patch enables them. Writers
//! hold resctrl's mutex; the context-switch hook reads them locklessly, hence
//! `READ_ONCE()`/`WRITE_ONCE()`.
//!
//! Every field of a task is read and written by a C helper, never through
//! `bindings::task_struct`: bindgen misplaces every field after an empty,
//! cacheline-aligned member (`struct sched_statistics` without
//! `CONFIG_SCHEDSTATS`), so the generated struct is not C's.
//!
//! C header: [`include/linux/sched.h`](srctree/include/linux/sched.h)

use core::{ffi::c_void, ptr::NonNull};
use kernel::{bindings, types::Opaque};

/// A task: `struct task_struct`.
///
/// # Invariants
///
/// A `&Task` points to a live task for the lifetime of the borrow.
#[repr(transparent)]
pub(crate) struct Task(Opaque<bindings::task_struct>);

impl Task {
    /// # Safety
    ///
    /// `ptr` is a live task for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::task_struct) -> &'a Task {
        // SAFETY: `Task` is transparent over `task_struct`; liveness is the
        // caller's promise.
        unsafe { &*ptr.cast() }
    }

    fn as_raw(&self) -> *mut bindings::task_struct {
        self.0.get()
    }

    /// The task's CLOSID and RMID (0: none, use the CPU's).
    pub(crate) fn ids(&self) -> (u32, u32) {
        // SAFETY: the task is live (type invariant); the helper reads the
        // fields with C's layout and `READ_ONCE()`.
        let ids = unsafe { bindings::resctrl_rs_task_ids(self.as_raw()) };
        ((ids >> 32) as u32, ids as u32)
    }

    /// The task's CLOSID (0: none, use the CPU's).
    pub(crate) fn closid(&self) -> u32 {
        self.ids().0
    }

    /// The task's RMID (0: none, use the CPU's).
    pub(crate) fn rmid(&self) -> u32 {
        self.ids().1
    }

    /// Sets the task's IDs, then orders the stores before the caller's check
    /// whether the task is running ([`Task::running_on`]); this pairs with
    /// the full barrier between the scheduler's `rq->curr` update and the
    /// context-switch hook.
    pub(crate) fn set_ids(&self, closid: u32, rmid: u32) {
        // SAFETY: the task is live (type invariant); the helper writes the
        // fields with C's layout and `WRITE_ONCE()`, as the lockless reader
        // in the context-switch hook expects.
        unsafe { bindings::resctrl_rs_task_set_ids(self.as_raw(), closid, rmid) };
    }

    /// The CPU the task is running on right now, if it is.
    pub(crate) fn running_on(&self) -> Option<u32> {
        // SAFETY: the task is live.
        if unsafe { bindings::task_curr(self.as_raw()) } == 0 {
            return None;
        }
        // SAFETY: the task is live.
        Some(unsafe { bindings::resctrl_rs_task_cpu(self.as_raw()) })
    }

    /// Whether this is a CPU's idle task.
    pub(crate) fn is_idle(&self) -> bool {
        // SAFETY: the task is live (type invariant); `is_idle_task()` reads
        // `flags`, where `PF_IDLE` never changes once set.
        unsafe { bindings::resctrl_rs_task_is_idle(self.as_raw()) }
    }

    /// The task's PID in the caller's PID namespace; 0 if it has none there.
    pub(crate) fn pid_vnr(&self) -> i32 {
        // SAFETY: the task is live; a NULL namespace means the caller's.
        unsafe {
            bindings::__task_pid_nr_ns(
                self.as_raw(),
                bindings::pid_type_PIDTYPE_PID,
                core::ptr::null_mut(),
            )
        }
    }

    /// The task's PID in the initial namespace.
    pub(crate) fn pid(&self) -> i32 {
        // SAFETY: the task is live and `pid` never changes; the helper reads
        // it with C's layout.
        unsafe { bindings::resctrl_rs_task_pid(self.as_raw()) }
    }

    /// Whether the caller may move the task to another group: it is root or
    /// owns the task, as upstream's `tasks` file checks.
    pub(crate) fn may_be_moved_by_current(&self) -> bool {
        // SAFETY: the task is live.
        unsafe { bindings::resctrl_rs_may_move_task(self.as_raw()) }
    }
}

/// A reference on a task: `get_task_struct()`/`put_task_struct()`.
pub(crate) struct TaskRef(NonNull<bindings::task_struct>);

// SAFETY: task references may be dropped from any thread.
unsafe impl Send for TaskRef {}

impl TaskRef {
    /// The task with PID `pid` in the caller's PID namespace.
    pub(crate) fn from_vpid(pid: i32) -> Option<Self> {
        // SAFETY: the helper takes a reference under RCU, which `Drop` puts.
        NonNull::new(unsafe { bindings::resctrl_rs_get_task_by_vpid(pid) }).map(Self)
    }

    /// The calling task.
    pub(crate) fn current() -> Self {
        // SAFETY: `current` is live; we take a reference of our own.
        unsafe {
            let t = bindings::get_current();
            bindings::get_task_struct(t);
            Self(NonNull::new_unchecked(t))
        }
    }
}

impl core::ops::Deref for TaskRef {
    type Target = Task;

    fn deref(&self) -> &Task {
        // SAFETY: we hold a reference on the task.
        unsafe { Task::from_raw(self.0.as_ptr()) }
    }
}

impl Drop for TaskRef {
    fn drop(&mut self) {
        // SAFETY: we own the reference taken when `self` was made.
        unsafe { bindings::put_task_struct(self.0.as_ptr()) };
    }
}

/// Calls `f` on every thread of the system until it returns `false`, in an
/// RCU read-side critical section, for listings: a task that forks
/// meanwhile may or may not be seen. `f` must not sleep.
pub(crate) fn for_each_thread<F: FnMut(&Task) -> bool>(f: F) {
    walk(f, false);
}

/// Calls `f` on every thread of the system until it returns `false`,
/// holding `tasklist_lock` for reading, for walks that move tasks: a task
/// that forks meanwhile is on the list before the walk, or its child copies
/// the parent's IDs under the lock's write side after it (`patches/0005`),
/// so a walk that moves every task of a group misses none. `f` must not
/// sleep.
pub(crate) fn for_each_thread_locked<F: FnMut(&Task) -> bool>(f: F) {
    walk(f, true);
}

fn walk<F: FnMut(&Task) -> bool>(mut f: F, locked: bool) {
    /// # Safety
    ///
    /// `data` is a `&mut F` that outlives the call; `t` is live for it.
    unsafe extern "C" fn tramp<F: FnMut(&Task) -> bool>(
        t: *mut bindings::task_struct,
        data: *mut c_void,
    ) -> bool {
        // SAFETY: `data` is the `&mut F` passed below, live during the walk,
        // and the walk holds RCU or `tasklist_lock`, either of which keeps
        // `t` live during the call.
        unsafe { (*data.cast::<F>())(Task::from_raw(t)) }
    }
    // SAFETY: `tramp::<F>` matches the helper's callback type and `f`
    // outlives the call.
    unsafe {
        bindings::resctrl_rs_for_each_thread(
            Some(tramp::<F>),
            core::ptr::from_mut(&mut f).cast(),
            locked,
        )
    };
}
