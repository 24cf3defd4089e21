// SPDX-License-Identifier: GPL-2.0

//! kernfs, the pseudo file system library behind sysfs, cgroup and resctrl.
//!
//! A kernfs hierarchy is a [`Root`] with a tree of [`Node`]s (directories,
//! files, symlinks). The [`Root`] is owned: dropping it destroys the whole
//! hierarchy. Nodes are reference counted ([`ARef<Node>`]); a reference keeps
//! the `struct kernfs_node` in memory, not in the tree.
//!
//! A file system describes its hierarchy with [`Hierarchy`]: what its
//! directories carry ([`Hierarchy::DirData`], owned by a [`Dir`] and freed only
//! after kernfs removed the directory), what its files are
//! ([`Hierarchy::FileDesc`]), what an open file holds ([`Hierarchy::Open`]),
//! and its callbacks. Callbacks see directories as [`DirRef`]s, which kernfs
//! keeps from being removed while the callback runs.
//!
//! C header: [`include/linux/kernfs.h`](srctree/include/linux/kernfs.h)

mod active;
mod ops;

pub(crate) use active::{Active, Unprotected};
pub(crate) use ops::{DirOps, FileOps};

use super::seq_file::SeqFile;
use core::{
    ffi::c_void,
    marker::PhantomData,
    ptr::{self, NonNull},
};
use kernel::{
    bindings,
    error::from_err_ptr,
    prelude::*,
    str::CStr,
    types::{ARef, AlwaysRefCounted, ForeignOwnable, Opaque},
};

/// Flags for [`Root::new`].
pub(crate) mod flags {
    /// The hierarchy stays invisible until [`super::Root::activate`], so it
    /// can be populated without anyone seeing it half-built.
    pub(crate) const CREATE_DEACTIVATED: u32 =
        kernel::bindings::kernfs_root_flag_KERNFS_ROOT_CREATE_DEACTIVATED;
    /// Check the permission of every open again, not only at lookup.
    pub(crate) const EXTRA_OPEN_PERM_CHECK: u32 =
        kernel::bindings::kernfs_root_flag_KERNFS_ROOT_EXTRA_OPEN_PERM_CHECK;
}

/// A node of a kernfs hierarchy: `struct kernfs_node`.
///
/// # Invariants
///
/// A `&Node` always points to a live `struct kernfs_node` on which someone
/// holds a reference for at least the lifetime of the borrow.
#[repr(transparent)]
pub(crate) struct Node(Opaque<bindings::kernfs_node>);

// SAFETY: `kernfs_get()` and `kernfs_put()` are atomic and may be called from
// any context that may sleep; `kernfs_put()` frees the node on the last put.
unsafe impl AlwaysRefCounted for Node {
    fn inc_ref(&self) {
        // SAFETY: by the type invariant the node is live.
        unsafe { bindings::kernfs_get(self.as_raw()) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        // SAFETY: the caller owns a reference, which this gives back.
        unsafe { bindings::kernfs_put(obj.cast().as_ptr()) };
    }
}

// SAFETY: a kernfs node may be referenced, created under and removed from any
// thread; kernfs serialises tree changes with its own locks.
unsafe impl Send for Node {}
// SAFETY: as for `Send`; all methods taking `&self` are safe concurrently.
unsafe impl Sync for Node {}

impl Node {
    /// # Safety
    ///
    /// `ptr` must point to a live `struct kernfs_node` on which the caller
    /// holds a reference for all of `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::kernfs_node) -> &'a Node {
        // SAFETY: `Node` is a transparent wrapper of `kernfs_node`; liveness
        // is the caller's promise.
        unsafe { &*ptr.cast() }
    }

    /// Runs `f` with the node's active protection broken, and restores it.
    ///
    /// # Safety
    ///
    /// The caller holds an active reference on the node (a kernfs callback
    /// on it), as `kernfs_break_active_protection()` needs, and the node
    /// stays in memory until this returns.
    unsafe fn without_active_protection<R>(&self, f: impl FnOnce() -> R) -> R {
        // SAFETY: the caller's promise: an active reference to break.
        unsafe { bindings::kernfs_break_active_protection(self.as_raw()) };
        let r = f();
        // SAFETY: pairs with the break above; the node is in memory (the
        // caller's promise).
        unsafe { bindings::kernfs_unbreak_active_protection(self.as_raw()) };
        r
    }

    /// The `struct kernfs_node` pointer, for the C calls of this layer.
    pub(crate) fn as_raw(&self) -> *mut bindings::kernfs_node {
        self.0.get()
    }

    /// The node's name, in `buf` (cut to fit; the root's is `/`):
    /// `kernfs_name()`.
    pub(crate) fn name<'b>(&self, buf: &'b mut [u8]) -> &'b str {
        if buf.is_empty() {
            return "";
        }
        // SAFETY: `self` is a live node (our reference); `buf` is writable
        // for its length, and `kernfs_name()` writes at most that many
        // bytes, NUL included, under its own lock against renames.
        // Its result (the length, or `-E2BIG` when cut) is not needed: the
        // name ends at the NUL it always writes.
        let _ = unsafe { bindings::kernfs_name(self.as_raw(), buf.as_mut_ptr().cast(), buf.len()) };
        let n = buf.iter().position(|&b| b == 0).unwrap_or(0);
        let bytes = &buf[..n];
        // kernfs names are bytes: one that is not UTF-8 is cut at its first
        // byte that is not.
        match core::str::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => core::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or(""),
        }
    }
}

/// A kernfs hierarchy of one file system: what its nodes carry and what its
/// callbacks do.
///
/// Every directory of the hierarchy carries either nothing or one
/// [`Hierarchy::DirData`]; every file carries a `&'static`
/// [`Hierarchy::FileDesc`]. All callbacks may sleep.
pub(crate) trait Hierarchy: Sized + 'static {
    /// What a directory carries, e.g. an `Arc` of the object it shows.
    type DirData: ForeignOwnable + Send + Sync;
    /// What describes a file: its name, mode and what it shows.
    type FileDesc: Sync + 'static;
    /// What an open file holds from `open` to `release`.
    type Open: Send + Sync;

    /// The callback tables, declared as `static`s of the file system.
    const FILE_OPS: &'static FileOps<Self>;
    /// See [`Hierarchy::FILE_OPS`].
    const DIR_OPS: &'static DirOps<Self>;

    /// The mount options in force, for `/proc/mounts`: each as `,name`.
    fn show_options(m: &mut SeqFile<'_>) -> Result;
    /// `mkdir` of `name` in `parent`. Refuse a parent that can hold no new
    /// directory before waiting for anything, and give up its protection
    /// ([`Active::unprotected`]) before waiting for anything that removing
    /// it may wait for.
    fn mkdir(parent: Active<'_, Self>, name: &CStr, mode: u16) -> Result;
    /// `rmdir` of `dir`. To remove it, give up its protection first
    /// ([`Active::unprotected`]).
    fn rmdir(dir: Active<'_, Self>) -> Result;
    /// `rename(2)` of `node` to `new_name` in `new_parent`. To move a
    /// directory, call [`Unprotected::rename`]. Give up both protections
    /// before waiting for anything that removing either may wait for.
    fn rename<'a>(node: Active<'a, Self>, new_parent: Active<'a, Self>, new_name: &CStr) -> Result;
    /// A file `desc` in `dir` is being opened.
    fn open(desc: &'static Self::FileDesc, dir: DirRef<'_, Self>) -> Result<Self::Open>;
    /// A read of a file: writes its whole content into `m`.
    fn show(desc: &'static Self::FileDesc, file: OpenRef<'_, Self>, m: &mut SeqFile<'_>) -> Result;
    /// A write of `buf` (at most a page, NUL-terminated behind the slice) to a
    /// file; returns how many bytes it consumed.
    fn write(
        desc: &'static Self::FileDesc,
        file: OpenRef<'_, Self>,
        buf: &mut [u8],
    ) -> Result<usize>;
}

/// A directory of a hierarchy of `H`, seen by a callback or from its [`Root`].
///
/// # Invariants
///
/// For `'a`, kernfs does not finish removing the node or any of its
/// ancestors: a callback holds an active reference on it or on a descendant,
/// or the borrowed [`Root`] owns it. Hence the [`Hierarchy::DirData`] of the
/// node and of its ancestors, dropped only after their removal finished, are
/// live for `'a`.
pub(crate) struct DirRef<'a, H: Hierarchy> {
    node: &'a Node,
    _p: PhantomData<H>,
}

impl<H: Hierarchy> Clone for DirRef<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: Hierarchy> Copy for DirRef<'_, H> {}

/// A node of a hierarchy, as a callback or an [`ActiveNode`] sees it. This
/// layer only makes directories and files, never symlinks.
pub(crate) enum Entry<'a, H: Hierarchy> {
    /// A directory.
    Dir(DirRef<'a, H>),
    /// A file, in this directory, with its description.
    File(DirRef<'a, H>, &'static H::FileDesc),
}

impl<'a, H: Hierarchy> Entry<'a, H> {
    /// # Safety
    ///
    /// `kn` is a node of a hierarchy of `H` on which the caller holds an
    /// active reference for `'a`.
    unsafe fn from_raw(kn: *mut bindings::kernfs_node) -> Self {
        // SAFETY: the caller's promise: `kn` is live.
        let flags = unsafe { (*kn).flags };
        if flags & bindings::KERNFS_TYPE_MASK as u16 == bindings::kernfs_node_type_KERNFS_DIR as u16
        {
            // SAFETY: an active directory satisfies the invariant of
            // `DirRef` for `'a`.
            Entry::Dir(unsafe { DirRef::from_raw(kn) })
        } else {
            // SAFETY: the only other nodes of `H` are files made by
            // `create_file`, whose `priv` is their description. The active
            // reference on the file keeps its directory from removal, and
            // files never move, so `parent` is stable.
            unsafe { Entry::File(DirRef::from_raw((*kn).parent), FileOps::<H>::desc_of(kn)) }
        }
    }
}

/// A node of a hierarchy of `H` reached from outside its callbacks (through a
/// file descriptor, say), with an active reference: until this is dropped,
/// kernfs does not finish removing it or its ancestors, so what they carry
/// stays valid. Hold it briefly: removing the node waits for it.
pub(crate) struct ActiveNode<'a, H: Hierarchy> {
    node: &'a Node,
    _p: PhantomData<H>,
}

impl<'a, H: Hierarchy> ActiveNode<'a, H> {
    /// The node of `dentry`, unless it is being removed:
    /// `kernfs_get_active()`.
    ///
    /// # Safety
    ///
    /// `dentry` is a dentry of a mounted hierarchy of `H` that stays live for
    /// `'a`.
    pub(crate) unsafe fn from_dentry(dentry: *mut bindings::dentry) -> Option<Self> {
        // SAFETY: the caller's promise: a live kernfs dentry, which holds a
        // reference on its node for `'a`.
        let kn = unsafe { bindings::kernfs_node_from_dentry(dentry) };
        if kn.is_null() {
            return None;
        }
        // SAFETY: `kn` is live (above); NULL means it is being removed.
        if unsafe { bindings::kernfs_get_active(kn) }.is_null() {
            return None;
        }
        Some(Self {
            // SAFETY: as above, the node is live for `'a`.
            node: unsafe { Node::from_raw(kn) },
            _p: PhantomData,
        })
    }

    /// What the node is.
    pub(crate) fn entry(&self) -> Entry<'_, H> {
        // SAFETY: we hold an active reference on a node of `H` for the
        // borrow of `self`.
        unsafe { Entry::from_raw(self.node.as_raw()) }
    }
}

impl<H: Hierarchy> Drop for ActiveNode<'_, H> {
    fn drop(&mut self) {
        // SAFETY: pairs with the `kernfs_get_active()` of `from_dentry`.
        unsafe { bindings::kernfs_put_active(self.node.as_raw()) };
    }
}

impl<'a, H: Hierarchy> DirRef<'a, H> {
    /// # Safety
    ///
    /// `kn` is a directory of a hierarchy of `H` satisfying the type
    /// invariant for `'a`.
    unsafe fn from_raw(kn: *mut bindings::kernfs_node) -> Self {
        Self {
            // SAFETY: the caller's promise keeps the node, hence a reference
            // on it, for `'a`.
            node: unsafe { Node::from_raw(kn) },
            _p: PhantomData,
        }
    }

    /// The node of the directory.
    pub(crate) fn node(&self) -> &'a Node {
        self.node
    }

    /// What the directory carries, if anything.
    pub(crate) fn data(&self) -> Option<<H::DirData as ForeignOwnable>::Borrowed<'a>> {
        // SAFETY: the node is live (type invariant); `priv` is written only
        // when the node is created.
        let p = unsafe { (*self.node.as_raw()).priv_ };
        if p.is_null() {
            return None;
        }
        // SAFETY: a non-NULL `priv` of a directory of `H` comes from
        // `H::DirData::into_foreign` in `create_dir`, and the owning `Dir`
        // gives it back only after the node is removed, which the type
        // invariant rules out for `'a`.
        Some(unsafe { H::DirData::borrow(p) })
    }

    /// Whether this is the root directory of its hierarchy.
    pub(crate) fn is_root(&self) -> bool {
        // SAFETY: the node is live. Only the root has no parent: a rename
        // moves a node to another directory, never to none, and kernfs
        // refuses to move the root. So the null-ness of `parent` never
        // changes, though the pointer may while a rename runs.
        unsafe { ptr::read_volatile(ptr::addr_of!((*self.node.as_raw()).parent)) }.is_null()
    }

    /// Creates the directory `name` with permissions `mode`, carrying `data`.
    /// The directory stays until the returned [`Dir`] is dropped.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let info = root.dir().create_dir(c_str!("info"), 0o555, None)?;
    /// ```
    pub(crate) fn create_dir(
        &self,
        name: &CStr,
        mode: u16,
        data: Option<H::DirData>,
    ) -> Result<Dir<H>> {
        let raw = data.map_or(ptr::null(), ForeignOwnable::into_foreign);
        // Gives the data back if creating the node fails.
        let guard = DataGuard::<H>(raw, PhantomData);
        // SAFETY: `self.node` is live (type invariant) and `name`
        // NUL-terminated; kernfs copies the name. `raw` is NULL or owned by
        // the node from here on.
        let kn = from_err_ptr(unsafe {
            bindings::kernfs_create_dir_ns(
                self.node.as_raw(),
                name.as_char_ptr(),
                mode,
                GLOBAL_ROOT_UID,
                GLOBAL_ROOT_GID,
                raw.cast_mut(),
                ptr::null(),
            )
        })?;
        core::mem::forget(guard);
        // SAFETY: on success `kn` is a live node holding the tree's
        // reference; we take our own before anyone can remove it, since
        // removal of a new node needs a `Dir`, which we are making.
        let node = ARef::from(unsafe { Node::from_raw(kn) });
        Ok(Dir {
            node,
            data: raw,
            _p: PhantomData,
        })
    }

    /// Creates the file `name` with permissions `mode`, described by `desc`.
    /// Files go away with their directory.
    pub(crate) fn create_file(&self, name: &CStr, mode: u16, desc: &'static H::FileDesc) -> Result {
        let ops = H::FILE_OPS.0.get();
        // The lockdep class of the files' active references: lockdep then
        // checks that no callback waits for what removing a file holds.
        let key = H::FILE_OPS.2.get();
        // SAFETY: `self.node` is live and `name` NUL-terminated; `ops`,
        // `key` (in static, writable memory as lockdep wants) and `desc` are
        // static.
        from_err_ptr(unsafe {
            bindings::__kernfs_create_file(
                self.node.as_raw(),
                name.as_char_ptr(),
                mode | bindings::S_IFREG as u16,
                GLOBAL_ROOT_UID,
                GLOBAL_ROOT_GID,
                0,
                ops,
                ptr::from_ref(desc).cast_mut().cast(),
                ptr::null(),
                key,
            )
        })?;
        Ok(())
    }
}

impl<'a, H: Hierarchy> DirRef<'a, H> {
    /// Creates the file `name` like [`DirRef::create_file`], visible at once
    /// (in an active directory), which stays until the returned [`File`] is
    /// dropped (or its directory goes).
    pub(crate) fn create_removable_file(
        &self,
        name: &CStr,
        mode: u16,
        desc: &'static H::FileDesc,
    ) -> Result<File<H>> {
        self.create_file(name, mode, desc)?;
        // SAFETY: `self.node` is live and `name` NUL-terminated.
        let kn = unsafe {
            bindings::kernfs_find_and_get_ns(self.node.as_raw(), name.as_char_ptr(), ptr::null())
        };
        // The file was just created; only a concurrent removal of the
        // directory takes it away, and then there is nothing to remove.
        let node = NonNull::new(kn).ok_or(ENOENT)?;
        // SAFETY: we hold a reference on the node (above).
        unsafe { bindings::kernfs_activate(node.as_ptr()) };
        Ok(File {
            // SAFETY: `kernfs_find_and_get_ns()` returned a reference, which
            // the `ARef` owns from here on.
            node: unsafe { ARef::from_raw(node.cast()) },
            _p: PhantomData,
        })
    }
}

/// A file made by [`DirRef::create_removable_file`]. Dropping it removes
/// the file: kernfs waits for the callbacks running on it and releases its
/// open instances, whose later reads and writes fail with `ENODEV`.
pub(crate) struct File<H: Hierarchy> {
    node: ARef<Node>,
    _p: PhantomData<H>,
}

impl<H: Hierarchy> Drop for File<H> {
    fn drop(&mut self) {
        // SAFETY: we hold a reference on the node; removing a node already
        // removed with its directory does nothing.
        unsafe { bindings::kernfs_remove(self.node.as_raw()) };
    }
}

/// A directory this code does not own, such as the root of a hierarchy,
/// kept by reference for creating entries in it later. Creating in a
/// removed directory fails cleanly.
pub(crate) struct DirHandle<H: Hierarchy> {
    node: ARef<Node>,
    _p: PhantomData<H>,
}

impl<H: Hierarchy> DirHandle<H> {
    /// A handle on the directory `dir`.
    pub(crate) fn new(dir: DirRef<'_, H>) -> Self {
        Self {
            node: dir.node().into(),
            _p: PhantomData,
        }
    }

    /// Creates a file in this directory: [`DirRef::create_removable_file`].
    pub(crate) fn create_removable_file(
        &self,
        name: &CStr,
        mode: u16,
        desc: &'static H::FileDesc,
    ) -> Result<File<H>> {
        self.as_parent().create_removable_file(name, mode, desc)
    }

    /// A view for creating children only, as [`Dir::as_parent`].
    fn as_parent(&self) -> DirRef<'_, H> {
        // INVARIANT: used only for `create_*`, which read neither the data
        // nor the ancestors.
        DirRef {
            node: &self.node,
            _p: PhantomData,
        }
    }
}

const GLOBAL_ROOT_UID: bindings::kuid_t = bindings::kuid_t { val: 0 };
const GLOBAL_ROOT_GID: bindings::kgid_t = bindings::kgid_t { val: 0 };

/// Gives back directory data that no node took.
struct DataGuard<H: Hierarchy>(*const c_void, PhantomData<H>);

impl<H: Hierarchy> Drop for DataGuard<H> {
    fn drop(&mut self) {
        if !self.0.is_null() {
            // SAFETY: the pointer came from `into_foreign` and no node owns it.
            drop(unsafe { H::DirData::from_foreign(self.0) });
        }
    }
}

/// An open file of `H` during a `show` or `write` callback, which holds an
/// active reference on the file: until [`OpenRef::unprotected`], kernfs
/// neither removes the file nor runs its `release`.
pub(crate) struct OpenRef<'a, H: Hierarchy> {
    of: *mut bindings::kernfs_open_file,
    _p: PhantomData<(&'a H::Open, H)>,
}

impl<'a, H: Hierarchy> OpenRef<'a, H> {
    /// What `open` made for this file. Borrowed from `self`, so it cannot be
    /// used once protection is broken.
    pub(crate) fn get(&self) -> &H::Open {
        // SAFETY: `open` succeeded, so `priv` holds our box; `release` does
        // not run while the callback holds its active reference, which it
        // does as long as `self` exists.
        unsafe { &*(*self.of).priv_.cast::<H::Open>() }
    }

    /// Runs `f` with the file's active protection broken: kernfs may
    /// remove the file, and run its `release`, while `f` runs. Needed before
    /// waiting for anything that removing the file may wait for, such as a
    /// lock its remover holds. Take what is needed from [`OpenRef::get`]
    /// first: it is unreachable from `f`. The protection is back when this
    /// returns; there is no guard to forget.
    pub(crate) fn unprotected<R>(self, f: impl FnOnce() -> R) -> R {
        // SAFETY: the open file holds a reference on its node (`of->kn`)
        // until it is closed, so the node outlives the callback.
        let node = unsafe { Node::from_raw((*self.of).kn) };
        // SAFETY: the callback that made `self` holds an active reference
        // on the file, which stays in memory (above).
        unsafe { node.without_active_protection(f) }
    }
}

/// A directory this code created, and the data it carries. Dropping it
/// removes the directory with everything below it, waits for the callbacks
/// running on them, and only then drops the data.
pub(crate) struct Dir<H: Hierarchy> {
    node: ARef<Node>,
    data: *const c_void,
    _p: PhantomData<H>,
}

// SAFETY: the data is `Send` and the node may be removed from any thread.
unsafe impl<H: Hierarchy> Send for Dir<H> {}
// SAFETY: `&Dir` only gives access to the node, which is `Sync`.
unsafe impl<H: Hierarchy> Sync for Dir<H> {}

impl<H: Hierarchy> Dir<H> {
    /// Creates the directory `name` below this one. See [`DirRef::create_dir`].
    pub(crate) fn create_dir(
        &self,
        name: &CStr,
        mode: u16,
        data: Option<H::DirData>,
    ) -> Result<Dir<H>> {
        self.as_parent().create_dir(name, mode, data)
    }

    /// Creates the file `name` in this directory. See [`DirRef::create_file`].
    pub(crate) fn create_file(&self, name: &CStr, mode: u16, desc: &'static H::FileDesc) -> Result {
        self.as_parent().create_file(name, mode, desc)
    }

    /// Creates a file in this directory: [`DirRef::create_removable_file`].
    pub(crate) fn create_removable_file(
        &self,
        name: &CStr,
        mode: u16,
        desc: &'static H::FileDesc,
    ) -> Result<File<H>> {
        self.as_parent().create_removable_file(name, mode, desc)
    }

    /// Makes the directory and everything below it visible, in a hierarchy
    /// created with [`flags::CREATE_DEACTIVATED`].
    pub(crate) fn activate(&self) {
        // SAFETY: we hold a reference on the node.
        unsafe { bindings::kernfs_activate(self.node.as_raw()) };
    }

    /// The node of the directory.
    pub(crate) fn node(&self) -> &Node {
        &self.node
    }

    /// A view for creating children only: creating below a removed node fails
    /// cleanly, and this view is never handed out, so its data and parent are
    /// never read once the node could be removed.
    fn as_parent(&self) -> DirRef<'_, H> {
        // INVARIANT: used only for `create_*`, which read neither the data
        // nor the ancestors.
        DirRef {
            node: &self.node,
            _p: PhantomData,
        }
    }
}

impl<H: Hierarchy> Drop for Dir<H> {
    fn drop(&mut self) {
        // SAFETY: we hold a reference on the node. Removing an already
        // removed node (its ancestor went first) does nothing. On return no
        // callback runs on the subtree any more, and none will.
        unsafe { bindings::kernfs_remove(self.node.as_raw()) };
        if !self.data.is_null() {
            // SAFETY: `data` came from `into_foreign` in `create_dir`, and
            // nothing can borrow it now that the node is removed.
            drop(unsafe { H::DirData::from_foreign(self.data) });
        }
    }
}

/// A kernfs hierarchy of `H`: `struct kernfs_root`. Destroyed when dropped.
///
/// # Invariants
///
/// `ptr` points to a root made by `kernfs_create_root()` with `H`'s callbacks
/// that this object alone destroys.
pub(crate) struct Root<H: Hierarchy> {
    ptr: NonNull<bindings::kernfs_root>,
    _p: PhantomData<H>,
}

// SAFETY: kernfs roots may be used and destroyed from any thread in process
// context.
unsafe impl<H: Hierarchy> Send for Root<H> {}
// SAFETY: as for `Send`; `&Root` only gives `DirRef` and `activate`, both
// safe to use concurrently.
unsafe impl<H: Hierarchy> Sync for Root<H> {}

impl<H: Hierarchy> Root<H> {
    /// Creates an empty hierarchy with `flags` (see [`flags`]) whose root
    /// directory carries `data`.
    pub(crate) fn new(flags: u32, data: Option<H::DirData>) -> Result<Self> {
        let raw = data.map_or(ptr::null(), ForeignOwnable::into_foreign);
        // Gives the data back if creating the root fails.
        let guard = DataGuard::<H>(raw, PhantomData);
        // SAFETY: the syscall ops are static; `raw` is NULL or owned by the
        // root node from here on, and `drop` gives it back.
        let ptr = from_err_ptr(unsafe {
            bindings::kernfs_create_root(H::DIR_OPS.0.get(), flags, raw.cast_mut())
        })?;
        // `from_err_ptr` never returns NULL on success: `kernfs_create_root`
        // returns a valid pointer or an error pointer.
        let ptr = NonNull::new(ptr).ok_or(ENOMEM)?;
        core::mem::forget(guard);
        Ok(Self {
            ptr,
            _p: PhantomData,
        })
    }

    /// The root directory of the hierarchy.
    pub(crate) fn dir(&self) -> DirRef<'_, H> {
        // SAFETY: `self.ptr` is live (type invariant), and the root node
        // lives, with its data, until the root is destroyed.
        unsafe { DirRef::from_raw(bindings::kernfs_root_to_node(self.ptr.as_ptr())) }
    }

    /// Makes every node created so far visible.
    pub(crate) fn activate(&self) {
        // SAFETY: the root node is live (see `dir`).
        unsafe { bindings::kernfs_activate(self.dir().node().as_raw()) };
    }

    /// Gives up ownership, for a C caller that will hand it back to
    /// [`Root::from_raw`].
    pub(crate) fn into_raw(self) -> *mut bindings::kernfs_root {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// Takes back ownership of a root given up by [`Root::into_raw`].
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`Root::into_raw`] of a `Root<H>`, and no other
    /// [`Root`] may own it.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::kernfs_root) -> Self {
        // INVARIANT: the caller hands back the sole ownership of a live root.
        Self {
            // SAFETY: `into_raw` only ever returns the non-NULL `self.ptr`.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
            _p: PhantomData,
        }
    }
}

impl<H: Hierarchy> Drop for Root<H> {
    fn drop(&mut self) {
        // SAFETY: the root node lives until the root is destroyed; its
        // `priv` is the data `new` gave it, or NULL.
        let data = unsafe { (*bindings::kernfs_root_to_node(self.ptr.as_ptr())).priv_ };
        // SAFETY: by the type invariant this object alone destroys the root.
        // On return no callback runs on the hierarchy any more.
        unsafe { bindings::kernfs_destroy_root(self.ptr.as_ptr()) };
        // Nothing can borrow the data now; it came from `into_foreign`.
        drop(DataGuard::<H>(data, PhantomData));
    }
}
