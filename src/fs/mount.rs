// SPDX-License-Identifier: GPL-2.0

//! Mounting and unmounting the resctrl file system.
//!
//! As upstream, there is one resctrl hierarchy at a time: a second mount while
//! one is up fails with `EBUSY`. Each mount builds the hierarchy afresh and the
//! end of its superblock tears all of it down.

use super::{cntr_files, files::DirPriv, tree::Tree, ResctrlFs};
use crate::{
    driver::attach,
    hw::{arch::Res, probe},
    kapi::{
        fs_context::{KernfsFileSystem, MountLog},
        kernfs::{flags, Root},
        sched,
    },
    logic::mount_opts::{MountOptions, ParamError},
    model::group::{mba_sc_capable, Groups, DEFAULT},
    mon::{
        cntrs,
        workers::{self, Worker},
    },
    state::{self, Mount, ResctrlInner},
};
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{bindings, c_str, ffi::c_ulong, fmt, prelude::*, str::CStr};

/// Whether a resctrl hierarchy exists, from the start of a successful
/// `get_tree` to the end of its superblock.
static MOUNTED: AtomicBool = AtomicBool::new(false);

impl KernfsFileSystem for ResctrlFs {
    const NAME: &'static CStr = c_str!("resctrl");
    const MAGIC: c_ulong = bindings::RDTGROUP_SUPER_MAGIC as c_ulong;
    type Options = MountOptions;
    type Hierarchy = ResctrlFs;

    fn parse_param(
        opts: &mut MountOptions,
        log: &MountLog,
        key: &CStr,
        value: Option<&CStr>,
    ) -> Result {
        match opts.parse(key.as_bytes(), value.map(CStr::as_bytes)) {
            // Refused as it is parsed, as upstream: before a mount that is
            // there already makes it EBUSY.
            Ok(()) if opts.mba_mbps && !probe::arch().is_some_and(mba_sc_capable) => {
                log.error(fmt!("{MBA_SC_UNSUPPORTED}"));
                Err(EINVAL)
            }
            Ok(()) => Ok(()),
            Err(ParamError::Unknown) => Err(ENOPARAM),
            Err(ParamError::UnexpectedValue) => {
                log.error(fmt!("Unexpected value for '{}'", key));
                Err(EINVAL)
            }
        }
    }

    fn get_tree(opts: &MountOptions, log: &MountLog) -> Result<Root<ResctrlFs>> {
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

    fn kill_sb(root: Root<ResctrlFs>) {
        let mut dirs = KVec::new();
        let taken = state::lock().map(|mut st| {
            let (st, cpus) = st.split();
            let ResctrlInner {
                doms,
                drivers,
                mount,
                ..
            } = st;
            let mut mount = mount.take();
            if let Some(Mount { groups, tree }) = mount.as_mut() {
                sched::disable(cpus);
                // Every counter is free again, as upstream; io_alloc goes
                // with the allocations.
                cntrs::unassign_all(groups.arch, doms);
                if groups.release_io_alloc(doms, cpus).is_err() {
                    pr_warn!("turning io_alloc off at unmount failed\n");
                }
                if groups.reset_all(doms).is_err() {
                    pr_warn!("resetting the hardware at unmount failed\n");
                }
                // The RMIDs go with the mount; so does their limbo.
                doms.iter().for_each(|e| e.busy.clear());
                groups.mark_all_deleted();
                attach::all_groups_removed(groups, drivers);
                tree.take_dirs(&mut dirs);
            }
            mount
        });
        // Directories go first, outside the lock: removing them waits for
        // callbacks, which may be waiting for the lock.
        drop(dirs);
        drop(taken);
        drop(root);
        MOUNTED.store(false, Ordering::Release);
    }
}

/// Why `-o mba_MBps` was refused: upstream 6.14's text (6.12 asked for
/// local MBM).
const MBA_SC_UNSUPPORTED: &str = "mba_MBps requires MBM and linear scale MBA at L3 scope";

/// Builds the hierarchy of a new mount: the default group at the root,
/// `info/`, and what drivers add.
fn new_hierarchy(opts: &MountOptions, log: &MountLog) -> Result<Root<ResctrlFs>> {
    let arch = probe::arch().ok_or(ENODEV)?;
    let mut st = state::lock()?;
    let (st, cpus) = st.split();
    let ResctrlInner {
        doms,
        last_cmd,
        cntr_cfg,
        drivers,
        mount,
        ..
    } = st;
    // Upstream 6.14's test; the hardware's part was checked as the option
    // was parsed.
    if opts.mba_mbps && !Groups::supports_mba_sc(arch, drivers) {
        log.error(fmt!("{MBA_SC_UNSUPPORTED}"));
        return Err(EINVAL);
    }
    let cdp = Res::ALL.map(|r| match r {
        Res::L3 => opts.cdp_l3,
        Res::L2 => opts.cdp_l2,
        Res::Mb | Res::Smba => false,
    });
    let groups = Groups::new(arch, doms, drivers, cdp, opts.mba_mbps).inspect_err(|&e| {
        if (opts.cdp_l3 || opts.cdp_l2) && e == EINVAL {
            log.error(fmt!("CDP is not supported by the cache asked for"));
        }
    })?;
    // CDP first, as upstream: the schemas and their files follow it.
    groups.switch_cdp(doms, true)?;
    let built = (|| -> Result<_> {
        // The root directory is the default group's, as a group directory
        // is its group's: a file descriptor of it names the group (seed
        // 001).
        let root_data = KBox::new(DirPriv::Group(groups.default_group().clone()), GFP_KERNEL)?;
        let root = Root::<ResctrlFs>::new(
            flags::CREATE_DEACTIVATED | flags::EXTRA_OPEN_PERM_CHECK,
            Some(root_data),
        )?;
        let mut tree = Tree::build(root.dir(), &groups, doms, opts)?;
        cntr_files::show_bmec(&mut tree, arch, !arch.cntr_assign_enabled())?;
        // The drivers' info/ directories and their files and domain
        // directories in the default group, which they then hear of.
        for e in drivers.iter() {
            tree.driver_attach_info(e)?;
        }
        // The tree is not active yet: nobody reads the default group, and
        // those that heard of it are told it is gone at once.
        if let Err((e, heard)) = attach::group_created(&mut tree, &groups, drivers, DEFAULT) {
            let gone = [groups.group_info(DEFAULT)];
            attach::groups_removed(drivers.iter().take(heard), &gone);
            return Err(e);
        }
        Ok((root, tree))
    })();
    let (root, tree) = built.inspect_err(|_| {
        let _ = groups.switch_cdp(doms, false);
    })?;
    last_cmd.clear();
    // The default group's events get counters, as a new group's.
    let rmid = groups.at(DEFAULT).rmid;
    cntrs::assign_new(arch, doms, cntr_cfg, rmid, last_cmd);
    arch.start();
    *mount = Some(Mount { groups, tree });
    for i in 0..doms.len() {
        workers::start(doms, i, Worker::Overflow);
    }
    sched::enable(cpus);
    root.activate();
    Ok(root)
}
