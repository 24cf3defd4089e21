// SPDX-License-Identifier: GPL-2.0

//! sysfs mount points.
//!
//! C header: [`include/linux/sysfs.h`](srctree/include/linux/sysfs.h)

use kernel::{bindings, error::to_result, prelude::*, str::CStr};

/// An empty directory under `/sys/fs` on which a file system is mounted, such
/// as `/sys/fs/resctrl`. Removed again when dropped.
///
/// # Examples
///
/// ```ignore
/// let mount_point = MountPoint::new(c_str!("resctrl"))?;
/// ```
pub(crate) struct MountPoint {
    name: &'static CStr,
}

impl MountPoint {
    /// Creates `/sys/fs/<name>`.
    pub(crate) fn new(name: &'static CStr) -> Result<Self> {
        // SAFETY: `fs_kobj` is created by `mnt_init()` before any initcall
        // runs and is never freed; `name` is NUL-terminated and `'static`.
        to_result(unsafe {
            bindings::sysfs_create_mount_point(bindings::fs_kobj, name.as_char_ptr())
        })?;
        Ok(Self { name })
    }
}

impl Drop for MountPoint {
    fn drop(&mut self) {
        // SAFETY: `new` created this mount point under `fs_kobj`, which is
        // never freed; nothing else removes it.
        unsafe { bindings::sysfs_remove_mount_point(bindings::fs_kobj, self.name.as_char_ptr()) };
    }
}
