// SPDX-License-Identifier: GPL-2.0

//! What the directory callbacks (`mkdir`, `rmdir`, `rename`) get: their
//! nodes with kernfs' active reference ([`Active`]), and the view of a node
//! whose protection was given up ([`Unprotected`]).

use super::{Dir, DirRef, Entry, Hierarchy, Node};
use core::{marker::PhantomData, ptr};
use kernel::{bindings, error::to_result, prelude::*, str::CStr};

/// A node a directory callback (`mkdir`, `rmdir`, `rename`) works on, with
/// the active reference kernfs holds on it for the call. While it holds it,
/// removing the node would wait for the callback, so the callback must not
/// wait for anything the remover may hold (resctrl's locks) before letting
/// go with [`Active::unprotected`].
///
/// What the node carries is reachable only through a borrow of this value
/// ([`Active::dir`], [`Active::entry`]), so none of it can be used once the
/// protection is given up: the node may be removed then, and its data
/// freed.
pub(crate) struct Active<'a, H: Hierarchy> {
    node: &'a Node,
    _p: PhantomData<H>,
}

impl<'a, H: Hierarchy> Active<'a, H> {
    /// # Safety
    ///
    /// The caller (a kernfs directory callback) holds an active reference on
    /// `node`, a node of a hierarchy of `H`, for `'a`, and gives this value
    /// the right to break it.
    pub(super) unsafe fn new(node: &'a Node) -> Self {
        Self {
            node,
            _p: PhantomData,
        }
    }

    /// What the node is, and what it carries.
    pub(crate) fn entry(&self) -> Entry<'_, H> {
        // SAFETY: the active reference (type invariant) is held for the
        // borrow of `self`.
        unsafe { Entry::from_raw(self.node.as_raw()) }
    }

    /// The node as a directory (`mkdir`'s parent, `rmdir`'s directory,
    /// `rename`'s new parent); `None` for a file (`rename`'s node may be
    /// one).
    pub(crate) fn dir(&self) -> Option<DirRef<'_, H>> {
        match self.entry() {
            Entry::Dir(d) => Some(d),
            Entry::File(..) => None,
        }
    }

    /// Runs `f` with the node's active protection broken: kernfs may remove
    /// the node meanwhile (and, after `f`, drop what it carries), so `f`
    /// gets only what needs no protection ([`Unprotected`]). The protection
    /// is back when this returns; there is no guard to forget.
    pub(crate) fn unprotected<R>(self, f: impl FnOnce(Unprotected<'a, H>) -> R) -> R {
        let node = self.node;
        // SAFETY: the callback that made `self` holds an active reference on
        // the node, and its caller a reference for `'a`.
        unsafe {
            node.without_active_protection(|| {
                f(Unprotected {
                    node,
                    _p: PhantomData,
                })
            })
        }
    }
}

/// A node of a directory callback whose active protection is broken
/// ([`Active::unprotected`]): it may be removed at any time, so nothing it
/// carries is reachable, only what kernfs checks itself.
pub(crate) struct Unprotected<'a, H: Hierarchy> {
    node: &'a Node,
    _p: PhantomData<H>,
}

impl<H: Hierarchy> Clone for Unprotected<'_, H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H: Hierarchy> Copy for Unprotected<'_, H> {}

impl<'a, H: Hierarchy> Unprotected<'a, H> {
    /// The node, to compare with the nodes of directories one owns.
    pub(crate) fn node(&self) -> &'a Node {
        self.node
    }

    /// A view for what reads neither the data nor the ancestors.
    fn as_parent(&self) -> DirRef<'_, H> {
        // INVARIANT: used only for `is_root` and `create_dir`, which read
        // neither the data nor the ancestors, and which kernfs refuses on a
        // removed node.
        DirRef {
            node: self.node,
            _p: PhantomData,
        }
    }

    /// Whether this is the root directory of its hierarchy.
    pub(crate) fn is_root(&self) -> bool {
        self.as_parent().is_root()
    }

    /// Creates a directory in this one, as [`DirRef::create_dir`]; fails
    /// with `ENOENT` if this one was removed.
    pub(crate) fn create_dir(
        &self,
        name: &CStr,
        mode: u16,
        data: Option<H::DirData>,
    ) -> Result<Dir<H>> {
        self.as_parent().create_dir(name, mode, data)
    }

    /// Moves this directory into `new_parent` as `new_name`:
    /// `kernfs_rename()`. Fails with `ENOENT` when either was removed, and
    /// with `EEXIST` when `new_parent` has an entry `new_name`. Files never
    /// move (`EPERM`): this layer moves only directories.
    pub(crate) fn rename(&self, new_parent: Unprotected<'_, H>, new_name: &CStr) -> Result {
        // SAFETY: the node is in memory (the callback's caller holds a
        // reference); its type never changes.
        if unsafe { bindings::kernfs_type(self.node.as_raw()) }
            != bindings::kernfs_node_type_KERNFS_DIR
        {
            return Err(EPERM);
        }
        // SAFETY: both nodes are in memory for the call (the callback's
        // caller holds references), and `new_name` is NUL-terminated;
        // kernfs copies it and takes its own locks. A removed node is
        // refused, not touched.
        to_result(unsafe {
            bindings::kernfs_rename_ns(
                self.node.as_raw(),
                new_parent.node.as_raw(),
                new_name.as_char_ptr(),
                ptr::null(),
            )
        })
    }
}
