// SPDX-License-Identifier: GPL-2.0

//! The C callback tables of a kernfs [`Hierarchy`]: `struct kernfs_ops` for
//! its files and `struct kernfs_syscall_ops` for its directories, each
//! entry a trampoline into the hierarchy's safe callbacks.

use super::{Active, DirRef, Hierarchy, Node, OpenRef};
use crate::kapi::seq_file::SeqFile;
use core::{ffi::c_void, marker::PhantomData};
use kernel::{
    bindings,
    error::from_result,
    ffi::{c_char, c_int},
    prelude::*,
    str::CStr,
    types::Opaque,
};

/// The file callbacks of `H` (`struct kernfs_ops`), to be declared as a
/// `static` and named by [`Hierarchy::FILE_OPS`]; lockdep wants the key it
/// contains in static, writable memory.
///
/// # Examples
///
/// ```ignore
/// static FILE_OPS: FileOps<ResctrlFs> = FileOps::new();
/// ```
pub(crate) struct FileOps<H: Hierarchy>(
    pub(super) Opaque<bindings::kernfs_ops>,
    PhantomData<H>,
    pub(super) Opaque<bindings::lock_class_key>,
);

// SAFETY: after `new` only kernfs and lockdep touch the structure.
unsafe impl<H: Hierarchy> Sync for FileOps<H> {}

impl<H: Hierarchy> FileOps<H> {
    /// The table for `H`.
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zeroes is a valid `kernfs_ops`: no callbacks, zero
        // sizes, an unused lockdep key.
        let mut ops: bindings::kernfs_ops = unsafe { core::mem::zeroed() };
        ops.open = Some(Self::open);
        ops.release = Some(Self::release);
        ops.seq_show = Some(Self::seq_show);
        ops.write = Some(Self::write);
        // A write is one command: longer than a page is `E2BIG`, never split.
        ops.atomic_write_len = bindings::PAGE_SIZE;
        // SAFETY: all-zeroes is an unused static lockdep key.
        let key: bindings::lock_class_key = unsafe { core::mem::zeroed() };
        Self(Opaque::new(ops), PhantomData, Opaque::new(key))
    }

    /// # Safety
    ///
    /// `of` is an open file of a file of `H` whose callback is running.
    unsafe fn desc(of: *mut bindings::kernfs_open_file) -> &'static H::FileDesc {
        // SAFETY: the open file's node is a file of `H`, live while its
        // callback runs.
        unsafe { Self::desc_of((*of).kn) }
    }

    /// # Safety
    ///
    /// `kn` is a live file of a hierarchy of `H`.
    pub(super) unsafe fn desc_of(kn: *mut bindings::kernfs_node) -> &'static H::FileDesc {
        // SAFETY: `create_file` set `priv` of every file of `H` to a
        // `&'static H::FileDesc`, and nothing changes it.
        unsafe { &*(*kn).priv_.cast::<H::FileDesc>() }
    }

    /// `kernfs_ops::open`.
    ///
    /// # Safety
    ///
    /// Called by kernfs on a file of `H`, holding an active reference on it.
    unsafe extern "C" fn open(of: *mut bindings::kernfs_open_file) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' promise; the active reference on the file keeps
            // its directory and that directory's ancestors from removal, and
            // files never move, so `parent` is stable.
            let (desc, dir) = unsafe { (Self::desc(of), DirRef::from_raw((*(*of).kn).parent)) };
            let open = KBox::new(H::open(desc, dir)?, GFP_KERNEL)?;
            // SAFETY: `of` is ours until `release`, which takes this back.
            unsafe { (*of).priv_ = KBox::into_raw(open).cast() };
            Ok(0)
        })
    }

    /// `kernfs_ops::release`: at the last close, or when kernfs removes the
    /// file while it is open.
    ///
    /// # Safety
    ///
    /// Called by kernfs once per successful `open`.
    unsafe extern "C" fn release(of: *mut bindings::kernfs_open_file) {
        // SAFETY: `open` stored a `KBox<H::Open>`; kernfs calls this once.
        let p = unsafe { core::mem::take(&mut (*of).priv_) };
        if !p.is_null() {
            // SAFETY: as above.
            drop(unsafe { KBox::from_raw(p.cast::<H::Open>()) });
        }
    }

    /// `kernfs_ops::seq_show`.
    ///
    /// # Safety
    ///
    /// Called by kernfs for a read of an open file of `H`.
    unsafe extern "C" fn seq_show(sf: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' seq_file `private` is the open file.
            let of = unsafe { (*sf).private.cast::<bindings::kernfs_open_file>() };
            // SAFETY: kernfs holds an active reference while showing.
            let desc = unsafe { Self::desc(of) };
            // SAFETY: `sf` is live and ours for the call.
            let mut m = unsafe { SeqFile::from_raw(sf) };
            H::show(
                desc,
                OpenRef {
                    of,
                    _p: PhantomData,
                },
                &mut m,
            )?;
            Ok(0)
        })
    }

    /// `kernfs_ops::write`.
    ///
    /// # Safety
    ///
    /// Called by kernfs for a write to an open file of `H` with a kernel
    /// buffer of `nbytes` bytes (plus a NUL).
    unsafe extern "C" fn write(
        of: *mut bindings::kernfs_open_file,
        buf: *mut c_char,
        nbytes: usize,
        _off: bindings::loff_t,
    ) -> isize {
        // SAFETY: kernfs holds an active reference while writing.
        let desc = unsafe { Self::desc(of) };
        // SAFETY: kernfs copied the user data into `buf`, which is ours for
        // the call.
        let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), nbytes) };
        match H::write(
            desc,
            OpenRef {
                of,
                _p: PhantomData,
            },
            buf,
        ) {
            Ok(n) => n as isize,
            Err(e) => e.to_errno() as isize,
        }
    }
}

/// The directory callbacks of `H` (`struct kernfs_syscall_ops`), to be
/// declared as a `static` and named by [`Hierarchy::DIR_OPS`].
pub(crate) struct DirOps<H: Hierarchy>(
    pub(super) Opaque<bindings::kernfs_syscall_ops>,
    PhantomData<H>,
);

// SAFETY: after `new` only kernfs reads the structure.
unsafe impl<H: Hierarchy> Sync for DirOps<H> {}

impl<H: Hierarchy> DirOps<H> {
    /// The table for `H`.
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zeroes is a valid `kernfs_syscall_ops`: no callbacks.
        let mut ops: bindings::kernfs_syscall_ops = unsafe { core::mem::zeroed() };
        ops.show_options = Some(Self::show_options);
        ops.mkdir = Some(Self::mkdir);
        ops.rmdir = Some(Self::rmdir);
        ops.rename = Some(Self::rename);
        Self(Opaque::new(ops), PhantomData)
    }

    /// `kernfs_syscall_ops::show_options`.
    ///
    /// # Safety
    ///
    /// Called by kernfs with the seq_file of a `/proc/<pid>/mounts`-like
    /// read, ours for the call.
    unsafe extern "C" fn show_options(
        sf: *mut bindings::seq_file,
        _root: *mut bindings::kernfs_root,
    ) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' promise.
            let mut m = unsafe { SeqFile::from_raw(sf) };
            H::show_options(&mut m)?;
            Ok(0)
        })
    }

    /// `kernfs_syscall_ops::mkdir`.
    ///
    /// # Safety
    ///
    /// Called by kernfs with an active reference on `parent`, a directory of
    /// a hierarchy of `H`, and a NUL-terminated `name`.
    unsafe extern "C" fn mkdir(
        parent: *mut bindings::kernfs_node,
        name: *const c_char,
        mode: bindings::umode_t,
    ) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' promise, for the duration of the call; the
            // dentry kernfs works on keeps the node in memory.
            let (parent, name) = unsafe { (Node::from_raw(parent), CStr::from_char_ptr(name)) };
            // SAFETY: kernfs holds the active reference for the call.
            H::mkdir(unsafe { Active::new(parent) }, name, mode)?;
            Ok(0)
        })
    }

    /// `kernfs_syscall_ops::rmdir`.
    ///
    /// # Safety
    ///
    /// Called by kernfs with an active reference on `kn`, a directory of a
    /// hierarchy of `H`.
    unsafe extern "C" fn rmdir(kn: *mut bindings::kernfs_node) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' promise, for the duration of the call; the
            // dentry being removed keeps the node in memory.
            let node = unsafe { Node::from_raw(kn) };
            // SAFETY: kernfs holds the active reference for the call.
            H::rmdir(unsafe { Active::new(node) })?;
            Ok(0)
        })
    }

    /// `kernfs_syscall_ops::rename`.
    ///
    /// # Safety
    ///
    /// Called by kernfs with active references on `kn`, a node of a
    /// hierarchy of `H`, and on `new_parent`, a directory of it, and a
    /// NUL-terminated `new_name`.
    unsafe extern "C" fn rename(
        kn: *mut bindings::kernfs_node,
        new_parent: *mut bindings::kernfs_node,
        new_name: *const c_char,
    ) -> c_int {
        from_result(|| {
            // SAFETY: kernfs' promise, for the duration of the call; the
            // dentries renamed keep the nodes in memory.
            let (node, new_parent, new_name) = unsafe {
                (
                    Node::from_raw(kn),
                    Node::from_raw(new_parent),
                    CStr::from_char_ptr(new_name),
                )
            };
            // SAFETY: kernfs holds both active references for the call.
            let (node, new_parent) = unsafe { (Active::new(node), Active::new(new_parent)) };
            H::rename(node, new_parent, new_name)?;
            Ok(0)
        })
    }
}
