// SPDX-License-Identifier: GPL-2.0

//! Sequential files: the buffer a read callback fills.
//!
//! C header: [`include/linux/seq_file.h`](srctree/include/linux/seq_file.h)

use core::{fmt, marker::PhantomData};
use kernel::bindings;

/// The `struct seq_file` of one read callback. Writing more than fits is not
/// an error here: the seq_file core retries the callback with a bigger buffer.
///
/// # Invariants
///
/// `ptr` is a live `seq_file` that the current callback alone writes to for
/// `'a`.
pub(crate) struct SeqFile<'a> {
    ptr: *mut bindings::seq_file,
    _p: PhantomData<&'a mut bindings::seq_file>,
}

impl SeqFile<'_> {
    /// # Safety
    ///
    /// `ptr` is live and written to by nobody else while the result lives.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::seq_file) -> Self {
        // INVARIANT: the caller's promise.
        Self {
            ptr,
            _p: PhantomData,
        }
    }
}

impl fmt::Write for SeqFile<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: `ptr` is live and ours (type invariant); `seq_write` copies
        // `s`. An overflow is recorded in the seq_file, which retries.
        unsafe { bindings::seq_write(self.ptr, s.as_ptr().cast(), s.len()) };
        Ok(())
    }
}
