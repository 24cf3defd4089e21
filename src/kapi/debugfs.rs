// SPDX-License-Identifier: GPL-2.0

//! debugfs: files for tests and developers, not an ABI.
//!
//! A file is a static [`File`] with a `show` function and, if writable, a
//! `write` function that gets the whole written buffer (at most a page).
//!
//! C header: [`include/linux/debugfs.h`](srctree/include/linux/debugfs.h)

use super::seq_file::SeqFile;
use core::{ffi::c_void, ptr};
use kernel::{
    bindings,
    error::from_result,
    ffi::{c_char, c_int},
    prelude::*,
    uaccess::UserSlice,
};

/// One debugfs file.
pub(crate) struct File {
    /// Its name.
    pub(crate) name: &'static CStr,
    /// Writes its content.
    pub(crate) show: fn(&mut SeqFile<'_>) -> Result,
    /// Takes a write of it, if it is writable.
    pub(crate) write: Option<fn(&[u8]) -> Result>,
}

/// A debugfs directory; removed with its files when dropped.
pub(crate) struct Dir(*mut bindings::dentry);

// SAFETY: debugfs entries may be created and removed from any thread.
unsafe impl Send for Dir {}
// SAFETY: `&Dir` only allows creating files, which debugfs serialises.
unsafe impl Sync for Dir {}

/// The operations of every file: seq_file reads, whole-buffer writes.
struct Fops(bindings::file_operations);

// SAFETY: the table is never written after initialisation; its `owner`
// pointer is NULL (built in).
unsafe impl Sync for Fops {}

static FOPS: Fops = Fops({
    // SAFETY: all-zeroes is a valid `file_operations`: no callbacks.
    let mut f: bindings::file_operations = unsafe { core::mem::zeroed() };
    f.open = Some(open);
    f.read = Some(bindings::seq_read);
    f.llseek = Some(bindings::seq_lseek);
    f.release = Some(bindings::single_release);
    f.write = Some(write);
    f
});

impl Dir {
    /// Creates the directory `name` at the top of debugfs. Failing to is not
    /// an error: debugfs may be disabled, and its functions accept the error.
    pub(crate) fn new(name: &CStr) -> Self {
        // SAFETY: `name` is NUL-terminated; a NULL parent is the debugfs root.
        Self(unsafe { bindings::debugfs_create_dir(name.as_char_ptr(), ptr::null_mut()) })
    }

    /// Creates `file` in this directory, with mode 0600 or, if read-only,
    /// 0400.
    pub(crate) fn create_file(&self, file: &'static File) {
        let mode = if file.write.is_some() { 0o600 } else { 0o400 };
        // SAFETY: `file` is static and becomes the inode's private data;
        // `FOPS` is static. An error parent makes this a no-op.
        unsafe {
            bindings::debugfs_create_file(
                file.name.as_char_ptr(),
                mode,
                self.0,
                ptr::from_ref(file).cast_mut().cast(),
                &FOPS.0,
            )
        };
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        // SAFETY: removing what `new` made; debugfs waits for running
        // callbacks.
        unsafe { bindings::debugfs_remove(self.0) };
    }
}

/// # Safety
///
/// `m` is the seq_file of an open debugfs file made by `create_file`.
unsafe extern "C" fn show(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
    from_result(|| {
        // SAFETY: `single_open` stored the inode's private data, our
        // `&'static File`, in `private`; `m` is ours for the call.
        let (file, mut seq) = unsafe { (&*(*m).private.cast::<File>(), SeqFile::from_raw(m)) };
        (file.show)(&mut seq)?;
        Ok(0)
    })
}

/// # Safety
///
/// Called by the VFS on an inode of a file made by `create_file`.
unsafe extern "C" fn open(inode: *mut bindings::inode, file: *mut bindings::file) -> c_int {
    // SAFETY: the inode's private data is our `&'static File`.
    unsafe { bindings::single_open(file, Some(show), (*inode).i_private) }
}

/// # Safety
///
/// Called by the VFS on a file opened by `open`, with a user buffer of
/// `len` bytes.
unsafe extern "C" fn write(
    file: *mut bindings::file,
    buf: *const c_char,
    len: usize,
    _pos: *mut bindings::loff_t,
) -> isize {
    let r = from_result(|| {
        // SAFETY: `single_open` made `private_data` a seq_file whose
        // `private` is our `&'static File`.
        let desc = unsafe {
            &*(*(*file).private_data.cast::<bindings::seq_file>())
                .private
                .cast::<File>()
        };
        let w = desc.write.ok_or(EINVAL)?;
        if len > bindings::PAGE_SIZE {
            return Err(E2BIG);
        }
        let mut data = KVec::new();
        UserSlice::new(buf as usize, len).read_all(&mut data, GFP_KERNEL)?;
        w(&data)?;
        Ok(len as c_int)
    });
    r as isize
}
