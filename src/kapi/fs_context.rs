// SPDX-License-Identifier: GPL-2.0

//! File system types backed by kernfs, mounted through `fs_context`.
//!
//! A file system implements [`KernfsFileSystem`] and declares one `static`
//! [`FileSystemType`] for it; [`FileSystemType::register`] makes it mountable.
//! Each mount builds a fresh kernfs [`Root`] in [`KernfsFileSystem::get_tree`];
//! the superblock owns it from then on and hands it back to
//! [`KernfsFileSystem::kill_sb`] when it dies.
//!
//! C headers: [`include/linux/fs_context.h`](srctree/include/linux/fs_context.h),
//! [`include/linux/kernfs.h`](srctree/include/linux/kernfs.h)

use super::{
    file::FileRef,
    kernfs::{ActiveNode, Hierarchy, Root},
};
use core::{fmt, marker::PhantomData, mem, ptr};
use kernel::{
    bindings, c_str,
    error::{from_result, to_result},
    ffi::{c_int, c_ulong},
    prelude::*,
    str::{CStr, CString},
    types::Opaque,
};

/// The log of one mount attempt (`struct fc_log`): what `mount` reports and,
/// with the legacy `mount(2)` call, the kernel log shows.
pub(crate) struct MountLog {
    fc: *mut bindings::fs_context,
}

impl MountLog {
    /// Logs an error of this mount, prefixed with the file system name, like
    /// the C `errorf()`.
    pub(crate) fn error(&self, args: fmt::Arguments<'_>) {
        let Ok(msg) = CString::try_from_fmt(args) else {
            return;
        };
        // SAFETY: `self.fc` is the context of the callback that made this
        // log, live for its duration; `logfc` copies what it formats.
        unsafe {
            bindings::logfc(
                (*self.fc).log.log,
                (*self.fc).log.prefix,
                b'e',
                c_str!("%s").as_char_ptr(),
                msg.as_char_ptr(),
            )
        };
    }
}

/// A file system whose hierarchy is a kernfs [`Root`].
pub(crate) trait KernfsFileSystem: Sized + 'static {
    /// The name `mount -t` takes.
    const NAME: &'static CStr;
    /// The superblock magic number, as `statfs()` reports it.
    const MAGIC: c_ulong;
    /// What one mount attempt collects from its parameters.
    type Options: Default + Send;
    /// The kernfs hierarchy a mount shows.
    type Hierarchy: Hierarchy;

    /// Records one mount parameter: `key` alone for a flag, with `value` for
    /// `key=value`. [`ENOPARAM`] means "not mine": the VFS then tries its own
    /// and, failing that, refuses the mount with `EINVAL`.
    fn parse_param(
        opts: &mut Self::Options,
        log: &MountLog,
        key: &CStr,
        value: Option<&CStr>,
    ) -> Result;

    /// Builds the hierarchy to mount.
    fn get_tree(opts: &Self::Options, log: &MountLog) -> Result<Root<Self::Hierarchy>>;

    /// Takes back a hierarchy [`KernfsFileSystem::get_tree`] built, once the
    /// superblock on it is gone (or when mounting it failed). Called exactly
    /// once for every [`Root`] that `get_tree` returned.
    fn kill_sb(root: Root<Self::Hierarchy>);
}

/// What `fc->fs_private` points to: the `kernfs_fs_context` that
/// `kernfs_get_tree()` expects first, then the file system's options.
#[repr(C)]
struct Context<T: KernfsFileSystem> {
    kfc: bindings::kernfs_fs_context,
    opts: T::Options,
}

/// A `struct file_system_type` for `T`, to be declared as a `static`.
///
/// # Examples
///
/// ```ignore
/// static RESCTRL_FS: FileSystemType<ResctrlFs> = FileSystemType::new();
/// let registration = RESCTRL_FS.register()?;
/// ```
pub(crate) struct FileSystemType<T: KernfsFileSystem> {
    fst: Opaque<bindings::file_system_type>,
    _p: PhantomData<T>,
}

// SAFETY: after `new` the VFS alone writes to the structure, under its own
// locks (`file_systems_lock`, the per-type superblock list).
unsafe impl<T: KernfsFileSystem> Sync for FileSystemType<T> {}

impl<T: KernfsFileSystem> FileSystemType<T> {
    const CONTEXT_OPS: bindings::fs_context_operations = bindings::fs_context_operations {
        free: Some(Self::free),
        dup: None,
        parse_param: Some(Self::parse_param),
        parse_monolithic: None,
        get_tree: Some(Self::get_tree),
        reconfigure: None,
    };

    /// The C structure for `T`. Built in (no owning module): kernfs is not
    /// available to modules.
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zeroes is a valid `file_system_type`: NULL pointers,
        // `None` callbacks, zero flags and unused lockdep keys.
        let mut fst: bindings::file_system_type = unsafe { mem::zeroed() };
        fst.name = T::NAME.as_char_ptr();
        fst.init_fs_context = Some(Self::init_fs_context);
        fst.kill_sb = Some(Self::kill_sb);
        Self {
            fst: Opaque::new(fst),
            _p: PhantomData,
        }
    }

    /// The kernfs node `file` shows, with an active reference (see
    /// [`ActiveNode`]): `EBADF` if `file` is not on a mount of this type,
    /// `ENOENT` if the node is being removed.
    pub(crate) fn active_node<'a>(
        &self,
        file: &'a FileRef,
    ) -> Result<ActiveNode<'a, T::Hierarchy>> {
        // SAFETY: `file` is live for `'a`, and so are the dentry of its path
        // and that dentry's superblock, which the file pins.
        let (dentry, s_type) = unsafe {
            let dentry = (*file.as_raw()).f_path.dentry;
            (dentry, (*(*dentry).d_sb).s_type)
        };
        if !ptr::eq(s_type, self.fst.get()) {
            return Err(EBADF);
        }
        // SAFETY: every superblock of this type is a mount of a hierarchy of
        // `T::Hierarchy` (`get_tree`), and the file keeps the dentry for `'a`.
        unsafe { ActiveNode::from_dentry(dentry) }.ok_or(ENOENT)
    }

    /// Makes the file system mountable until the [`Registration`] is dropped.
    pub(crate) fn register(&'static self) -> Result<Registration> {
        // SAFETY: `self.fst` is a fully built `file_system_type` in static
        // memory (lockdep keys must be), registered at most once as the
        // `Registration` unregisters it.
        to_result(unsafe { bindings::register_filesystem(self.fst.get()) })?;
        Ok(Registration {
            fst: self.fst.get(),
        })
    }

    /// # Safety
    ///
    /// `fc` is a context of this file system type whose `fs_private` was set
    /// by `init_fs_context`, live and not used by anyone else for `'a`.
    unsafe fn context<'a>(fc: *mut bindings::fs_context) -> &'a mut Context<T> {
        // SAFETY: the caller's promise; `init_fs_context` stored a
        // `KBox<Context<T>>` there.
        unsafe { &mut *(*fc).fs_private.cast::<Context<T>>() }
    }

    /// `file_system_type::init_fs_context`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with a new `fc` of this type, owned by the caller.
    unsafe extern "C" fn init_fs_context(fc: *mut bindings::fs_context) -> c_int {
        from_result(|| {
            // SAFETY: all-zeroes is a valid `kernfs_fs_context` (NULL root
            // and namespace tag, no superblock created yet).
            let mut kfc: bindings::kernfs_fs_context = unsafe { mem::zeroed() };
            kfc.magic = T::MAGIC;
            let ctx = KBox::new(
                Context::<T> {
                    kfc,
                    opts: T::Options::default(),
                },
                GFP_KERNEL,
            )?;
            // SAFETY: the VFS calls this with a new context it owns for the
            // whole call; `free` gives `fs_private` back to `KBox`. The
            // superblock belongs to the initial user namespace like every
            // global kernfs mount.
            unsafe {
                (*fc).fs_private = KBox::into_raw(ctx).cast();
                (*fc).ops = &Self::CONTEXT_OPS;
                bindings::resctrl_rs_fc_set_global(fc);
                bindings::put_user_ns((*fc).user_ns);
                (*fc).user_ns = bindings::get_user_ns(ptr::addr_of_mut!(bindings::init_user_ns));
            }
            Ok(0)
        })
    }

    /// `fs_context_operations::free`.
    ///
    /// # Safety
    ///
    /// Called by the VFS once, when `fc` (set up by `init_fs_context`) dies.
    unsafe extern "C" fn free(fc: *mut bindings::fs_context) {
        // SAFETY: `free` is only installed by `init_fs_context`, after it set
        // `fs_private`; the VFS calls it once, when the context dies.
        unsafe {
            bindings::kernfs_free_fs_context(fc);
            drop(KBox::from_raw((*fc).fs_private.cast::<Context<T>>()));
        }
    }

    /// `fs_context_operations::parse_param`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with `fc` set up by `init_fs_context` and a live
    /// `param`.
    unsafe extern "C" fn parse_param(
        fc: *mut bindings::fs_context,
        param: *mut bindings::fs_parameter,
    ) -> c_int {
        from_result(|| {
            // SAFETY: the VFS passes our context (see `context`) and a live
            // parameter, both for the duration of this call.
            let (ctx, param_ref) = unsafe { (Self::context(fc), &*param) };
            // SAFETY: `key` is a NUL-terminated string owned by `param`.
            let key = unsafe { CStr::from_char_ptr(param_ref.key) };
            // SAFETY: as above; a bitfield, read by a C helper.
            let value = match unsafe { bindings::resctrl_rs_fs_param_type(param) } {
                bindings::fs_value_type_fs_value_is_flag => None,
                bindings::fs_value_type_fs_value_is_string => {
                    // SAFETY: for a string parameter `string` is the live,
                    // NUL-terminated member of the union.
                    let string = unsafe { param_ref.__bindgen_anon_1.string };
                    // SAFETY: as above, owned by `param` for this call.
                    Some(unsafe { CStr::from_char_ptr(string) })
                }
                _ => return Err(EINVAL),
            };
            T::parse_param(&mut ctx.opts, &MountLog { fc }, key, value)?;
            Ok(0)
        })
    }

    /// `fs_context_operations::get_tree`.
    ///
    /// # Safety
    ///
    /// Called by the VFS with `fc` set up by `init_fs_context`.
    unsafe extern "C" fn get_tree(fc: *mut bindings::fs_context) -> c_int {
        from_result(|| {
            // Raw access only: `kernfs_get_tree` reads the same memory.
            // SAFETY: `get_tree` is only installed by `init_fs_context`,
            // after it set `fs_private` to a `Context<T>`.
            let ctx = unsafe { (*fc).fs_private.cast::<Context<T>>() };
            // SAFETY: `ctx` is live for the call; the borrow ends before C
            // looks at the context again.
            let root = T::get_tree(unsafe { &(*ctx).opts }, &MountLog { fc })?;
            // SAFETY: as above. `fs_private` starts with the
            // `kernfs_fs_context` that `kernfs_get_tree` reads.
            let (ret, raw_root, new_sb) = unsafe {
                (*ctx).kfc.root = root.into_raw();
                (*ctx).kfc.new_sb_created = false;
                let ret = bindings::kernfs_get_tree(fc);
                let raw_root = mem::take(&mut (*ctx).kfc.root);
                (ret, raw_root, (*ctx).kfc.new_sb_created)
            };
            // Once a superblock was created on the root it owns the root, and
            // `kill_sb` gives it back, even when filling the superblock failed.
            // Success always means a new superblock: `kernfs_get_tree` reuses
            // one only for the same root, and every call passes a new one.
            if ret < 0 && !new_sb {
                // SAFETY: `raw_root` came from `into_raw` above, and with no
                // superblock created nobody else took it.
                T::kill_sb(unsafe { Root::from_raw(raw_root) });
            }
            to_result(ret)?;
            Ok(0)
        })
    }

    /// `file_system_type::kill_sb`.
    ///
    /// # Safety
    ///
    /// Called by the VFS once for each superblock of this type, all of them
    /// made by `kernfs_get_tree` in `get_tree`.
    unsafe extern "C" fn kill_sb(sb: *mut bindings::super_block) {
        // SAFETY: the VFS calls this once for each superblock of this type,
        // and every one was made by `kernfs_get_tree` in `get_tree`.
        let raw_root = unsafe { bindings::kernfs_root_from_sb(sb) };
        // SAFETY: as above; the superblock is not used after this.
        unsafe { bindings::kernfs_kill_sb(sb) };
        if !raw_root.is_null() {
            // SAFETY: the root of a superblock of ours came from `into_raw`
            // in `get_tree`, and the superblock that owned it is gone.
            T::kill_sb(unsafe { Root::from_raw(raw_root) });
        }
    }
}

/// A registered file system type; unregistered when dropped.
pub(crate) struct Registration {
    fst: *mut bindings::file_system_type,
}

// SAFETY: unregistering may happen from any thread.
unsafe impl Send for Registration {}
// SAFETY: `&Registration` gives no access to anything.
unsafe impl Sync for Registration {}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: `register` registered `self.fst`, which is static.
        unsafe { bindings::unregister_filesystem(self.fst) };
    }
}
