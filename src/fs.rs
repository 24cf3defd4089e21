// SPDX-License-Identifier: GPL-2.0

//! The resctrl file system: mounting ([`mount`]), the groups
//! ([`group`]), their files ([`files`], [`group_files`], [`mon_data`]) and
//! the `info/` tree ([`info`]); `rename(2)` of MON groups ([`rename`]).

pub(crate) mod files;
pub(crate) mod from_fd;
pub(crate) mod group;
pub(crate) mod group_files;
pub(crate) mod info;
pub(crate) mod mon_data;
pub(crate) mod mount;
pub(crate) mod rename;
