// SPDX-License-Identifier: GPL-2.0

//! Mounting and unmounting the resctrl file system.
//!
//! As upstream, there is one resctrl hierarchy at a time: a second mount while
//! one is up fails with `EBUSY`. Each mount builds the hierarchy afresh and the
//! end of its superblock tears all of it down.

use crate::{
    kapi::{
        fs_context::{FileSystemType, KernfsFileSystem, MountLog},
        kernfs::{flags, Root},
    },
    mount_opts::{MountOptions, ParamError},
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{bindings, c_str, ffi::c_ulong, fmt, prelude::*};

/// The `resctrl` file system type.
pub(crate) static RESCTRL_FS: FileSystemType<ResctrlFs> = FileSystemType::new();

/// Whether a resctrl hierarchy exists, from the start of a successful
/// `get_tree` to the end of its superblock.
static MOUNTED: AtomicBool = AtomicBool::new(false);

/// The resctrl file system.
pub(crate) struct ResctrlFs;

impl KernfsFileSystem for ResctrlFs {
    const NAME: &'static CStr = c_str!("resctrl");
    const MAGIC: c_ulong = bindings::RDTGROUP_SUPER_MAGIC as c_ulong;
    type Options = MountOptions;

    fn parse_param(
        opts: &mut MountOptions,
        log: &MountLog,
        key: &CStr,
        value: Option<&CStr>,
    ) -> Result {
        match opts.parse(key.as_bytes(), value.map(CStr::as_bytes)) {
            Ok(()) => Ok(()),
            Err(ParamError::Unknown) => Err(ENOPARAM),
            Err(ParamError::UnexpectedValue) => {
                log.error(fmt!("Unexpected value for '{}'", key));
                Err(EINVAL)
            }
        }
    }

    fn get_tree(opts: &MountOptions, log: &MountLog) -> Result<Root> {
        if MOUNTED
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Err(EBUSY);
        }
        let root = new_hierarchy(opts, log);
        if root.is_err() {
            MOUNTED.store(false, Ordering::Release);
        }
        root
    }

    fn kill_sb(root: Root) {
        drop(root);
        MOUNTED.store(false, Ordering::Release);
    }
}

/// Builds the hierarchy of a new mount: the default group at the root and
/// the `info` directory.
fn new_hierarchy(opts: &MountOptions, log: &MountLog) -> Result<Root> {
    // No resource supports these yet; refuse them as upstream does on
    // hardware without the feature.
    if opts.cdp_l3 || opts.cdp_l2 {
        log.error(fmt!("CDP is not supported by any resource"));
        return Err(EINVAL);
    }
    if opts.mba_mbps {
        log.error(fmt!(
            "mba_MBps requires local MBM and linear scale MBA at L3 scope"
        ));
        return Err(EINVAL);
    }
    let root = Root::new(flags::CREATE_DEACTIVATED | flags::EXTRA_OPEN_PERM_CHECK)?;
    root.node().create_dir(c_str!("info"), 0o555)?;
    root.activate();
    Ok(root)
}
