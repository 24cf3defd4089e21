// SPDX-License-Identifier: GPL-2.0

//! kernfs, the pseudo file system library behind sysfs, cgroup and resctrl.
//!
//! A kernfs hierarchy is a [`Root`] with a tree of [`Node`]s (directories,
//! files, symlinks). The [`Root`] is owned: dropping it destroys the whole
//! hierarchy. Nodes are reference counted ([`ARef<Node>`]); a reference keeps
//! the `struct kernfs_node` in memory, not in the tree.
//!
//! C header: [`include/linux/kernfs.h`](srctree/include/linux/kernfs.h)

use core::ptr::{self, NonNull};
use kernel::{
    bindings,
    error::from_err_ptr,
    prelude::*,
    str::CStr,
    types::{ARef, AlwaysRefCounted, Opaque},
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

    /// The `struct kernfs_node` pointer, for the C calls of this layer.
    pub(crate) fn as_raw(&self) -> *mut bindings::kernfs_node {
        self.0.get()
    }

    /// Creates the directory `name` below `self`, owned by root, with
    /// permissions `mode`.
    ///
    /// Returns a reference of the caller's own; the tree holds another until
    /// the [`Root`] is destroyed.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let root = Root::new(flags::CREATE_DEACTIVATED)?;
    /// let info = root.node().create_dir(c_str!("info"), 0o555)?;
    /// root.activate();
    /// ```
    pub(crate) fn create_dir(&self, name: &CStr, mode: u16) -> Result<ARef<Node>> {
        let root_uid = bindings::kuid_t { val: 0 };
        let root_gid = bindings::kgid_t { val: 0 };
        // SAFETY: `self` is live (type invariant) and `name` NUL-terminated;
        // kernfs copies the name. A NULL `priv` and namespace tag are allowed.
        let kn = from_err_ptr(unsafe {
            bindings::kernfs_create_dir_ns(
                self.as_raw(),
                name.as_char_ptr(),
                mode,
                root_uid,
                root_gid,
                ptr::null_mut(),
                ptr::null(),
            )
        })?;
        // SAFETY: on success `kn` is a live node whose reference belongs to
        // the tree, which keeps it until the root is destroyed; the root
        // outlives `self`, so it is live while we take our own reference.
        let node = unsafe { Node::from_raw(kn) };
        Ok(node.into())
    }
}

/// A kernfs hierarchy: `struct kernfs_root`. Destroyed when dropped.
///
/// # Invariants
///
/// `ptr` points to a root made by `kernfs_create_root()` that this object
/// alone destroys.
pub(crate) struct Root {
    ptr: NonNull<bindings::kernfs_root>,
}

// SAFETY: kernfs roots may be used and destroyed from any thread in process
// context.
unsafe impl Send for Root {}
// SAFETY: as for `Send`; `&Root` only gives `&Node` and `activate`, both safe
// to call concurrently.
unsafe impl Sync for Root {}

impl Root {
    /// Creates an empty hierarchy with `flags` (see [`flags`]).
    pub(crate) fn new(flags: u32) -> Result<Self> {
        // SAFETY: a NULL `scops` means the hierarchy refuses mkdir, rmdir and
        // rename; a NULL `priv` is allowed.
        let ptr = from_err_ptr(unsafe {
            bindings::kernfs_create_root(ptr::null_mut(), flags, ptr::null_mut())
        })?;
        // `from_err_ptr` never returns NULL on success: `kernfs_create_root`
        // returns a valid pointer or an error pointer.
        let ptr = NonNull::new(ptr).ok_or(ENOMEM)?;
        Ok(Self { ptr })
    }

    /// The root directory of the hierarchy.
    pub(crate) fn node(&self) -> &Node {
        // SAFETY: `self.ptr` is live (type invariant) and the root node lives
        // as long as the root, which outlives the returned borrow.
        unsafe { Node::from_raw(bindings::kernfs_root_to_node(self.ptr.as_ptr())) }
    }

    /// Makes every node created so far visible.
    pub(crate) fn activate(&self) {
        // SAFETY: the root node is live (see `node`).
        unsafe { bindings::kernfs_activate(self.node().as_raw()) };
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
    /// `ptr` must come from [`Root::into_raw`], and no other [`Root`] may own
    /// it.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::kernfs_root) -> Self {
        // INVARIANT: the caller hands back the sole ownership of a live root.
        Self {
            // SAFETY: `into_raw` only ever returns the non-NULL `self.ptr`.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
        }
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        // SAFETY: by the type invariant this object alone destroys the root.
        unsafe { bindings::kernfs_destroy_root(self.ptr.as_ptr()) };
    }
}
