// SPDX-License-Identifier: GPL-2.0

//! Files a process has open: `fget_raw()` and `fput()`. Later kernels have
//! this as `kernel::fs::File`.
//!
//! C header: [`include/linux/file.h`](srctree/include/linux/file.h)

use core::ptr::NonNull;
use kernel::{bindings, prelude::*};

/// A reference to a `struct file`, dropped with `fput()`.
///
/// # Invariants
///
/// `self.0` points to a file on which this object owns a reference.
pub(crate) struct FileRef(NonNull<bindings::file>);

impl FileRef {
    /// The file open as `fd` in the current process, `O_PATH` files
    /// included: `fget_raw()`. `EBADF` if there is none.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let file = FileRef::fget_raw(3)?;
    /// ```
    pub(crate) fn fget_raw(fd: u32) -> Result<Self> {
        // SAFETY: any fd may be looked up; on success we own a reference.
        let f = unsafe { bindings::fget_raw(fd) };
        // INVARIANT: a non-NULL result carries a reference for us.
        NonNull::new(f).map(Self).ok_or(EBADF)
    }

    /// The `struct file`, for the C calls of this layer.
    pub(crate) fn as_raw(&self) -> *mut bindings::file {
        self.0.as_ptr()
    }
}

impl Drop for FileRef {
    fn drop(&mut self) {
        // SAFETY: by the type invariant we own a reference.
        unsafe { bindings::fput(self.0.as_ptr()) };
    }
}
