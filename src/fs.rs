// SPDX-License-Identifier: GPL-2.0

//! The resctrl file system: the presentation of the model
//! ([`crate::model`]).
//!
//! - [`mount`]: the `fs_context` callbacks: mounting builds the tree,
//!   unmounting tears it down;
//! - [`hierarchy`]: the kernfs callbacks: `mkdir`, `rmdir`, `rename`, and
//!   `open`/`release` of files (seed 000), `show` and `write`;
//! - [`tree`]: the kernfs nodes of the mounted hierarchy, per group, per
//!   domain and per driver, built from the model;
//! - the file kinds: [`files`] (the file table), [`group_files`] (a
//!   group's), [`mon_data`] (monitoring), [`info`] (`info/`),
//!   [`cntr_files`] (counter assignment's), [`io_alloc_files`] and
//!   [`driver_files`] (drivers');
//! - [`from_fd`]: from a file descriptor to a group, for perf (seed 001).

pub(crate) mod cntr_files;
pub(crate) mod driver_files;
pub(crate) mod files;
pub(crate) mod from_fd;
pub(crate) mod group_files;
pub(crate) mod hierarchy;
pub(crate) mod info;
pub(crate) mod io_alloc_files;
pub(crate) mod mon_data;
pub(crate) mod mount;
pub(crate) mod tree;

use crate::kapi::fs_context::FileSystemType;

/// The resctrl file system: its `fs_context` callbacks are in [`mount`],
/// its kernfs callbacks in [`hierarchy`].
pub(crate) struct ResctrlFs;

/// The `resctrl` file system type.
pub(crate) static RESCTRL_FS: FileSystemType<ResctrlFs> = FileSystemType::new();
