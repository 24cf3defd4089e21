// SPDX-License-Identifier: GPL-2.0

//! Mounting and unmounting the resctrl file system.
//!
//! As upstream, there is one resctrl hierarchy at a time: a second mount while
//! one is up fails with `EBUSY`. Each mount builds the hierarchy afresh and the
//! end of its superblock tears all of it down.

use crate::{
    driver::{nodes as driver_nodes, registry},
    fs::{
        files::{
            self, FileKind, OpenFile, RfType, CTRL_FILES, CTRL_HW_ID, INFO_L3, INFO_L3_MON,
            INFO_MB, LAST_CMD_STATUS, MON_FILES, MON_HW_ID,
        },
        group::{FsState, RdtGroup, DEFAULT},
        mon_data, rename,
    },
    hw::arch::Res,
    kapi::{
        fs_context::{FileSystemType, KernfsFileSystem, MountLog},
        kernfs::{
            flags, Active, Dir, DirOps, DirRef, FileOps, Hierarchy, OpenRef, Root, Unprotected,
        },
        resctrl_driver::EventSource,
        sched,
        seq_file::SeqFile,
    },
    logic::mount_opts::{MountOptions, ParamError},
    mon::{limbo, workers},
    state,
};
use core::{
    fmt::Write,
    sync::atomic::{AtomicBool, Ordering},
};
use kernel::{bindings, c_str, ffi::c_ulong, fmt, prelude::*, str::CStr, sync::Arc};

/// The `resctrl` file system type.
pub(crate) static RESCTRL_FS: FileSystemType<ResctrlFs> = FileSystemType::new();
static FILE_OPS: FileOps<ResctrlFs> = FileOps::new();
static DIR_OPS: DirOps<ResctrlFs> = DirOps::new();

/// Whether a resctrl hierarchy exists, from the start of a successful
/// `get_tree` to the end of its superblock.
static MOUNTED: AtomicBool = AtomicBool::new(false);

/// Whether the hierarchy was mounted with `-o debug`.
static DEBUG: AtomicBool = AtomicBool::new(false);

/// The debugging files (`-o debug`) of a group that has a CLOSID (`ctrl`)
/// and an RMID (`mon`).
fn debug_files(ctrl: bool, mon: bool) -> impl Iterator<Item = &'static RfType> {
    let on = DEBUG.load(Ordering::Relaxed);
    [(ctrl, &CTRL_HW_ID), (mon, &MON_HW_ID)]
        .into_iter()
        .filter(move |(want, _)| on && *want)
        .map(|(_, rf)| rf)
}

/// The resctrl file system.
pub(crate) struct ResctrlFs;

/// What a directory of the hierarchy carries.
pub(crate) enum DirPriv {
    /// A group's directory.
    Group(Arc<RdtGroup>),
    /// `info/` and its subdirectories.
    Info,
    /// A `mon_groups` directory, where MON groups are made.
    MonGroups,
    /// A group's `mon_data/mon_<RES>_<id>` directory.
    MonDomain {
        /// The group.
        group: Arc<RdtGroup>,
        /// The domain id.
        dom_id: u32,
        /// Whose domain it is.
        res: MonRes,
    },
}

/// The resource of a `mon_data/mon_<RES>_<id>` directory.
pub(crate) enum MonRes {
    /// The core's L3 monitoring.
    L3,
    /// A driver's resource: its events, for perf.
    Driver(Arc<EventSource>),
}

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
        let fs = state::lock().map(|mut st| {
            let (st, cpus) = st.split();
            let state::State {
                fs, doms, drivers, ..
            } = st;
            let fs = fs.take();
            if let Some(mut fs) = fs {
                if let Ok(slots) = fs.live_slots() {
                    registry::groups_removed(&fs, drivers, &slots);
                }
                sched::disable(cpus);
                if fs.reset_all(doms).is_err() {
                    pr_warn!("resetting the hardware at unmount failed\n");
                }
                // The RMIDs go with the mount; so does their limbo.
                doms.iter().for_each(|e| e.busy.clear());
                fs.take_dirs(&mut dirs);
                Some(fs)
            } else {
                None
            }
        });
        // Directories go first, outside the lock: removing them waits for
        // callbacks, which may be waiting for the lock.
        drop(dirs);
        drop(fs);
        drop(root);
        MOUNTED.store(false, Ordering::Release);
    }
}

/// Creates the files `rfs` in `dir`.
fn add_files(dir: DirRef<'_, ResctrlFs>, rfs: &'static [RfType]) -> Result {
    for rf in rfs {
        dir.create_file(rf.name, rf.mode, rf)?;
    }
    Ok(())
}

/// Builds the hierarchy of a new mount: the default group at the root and
/// the `info` directory.
fn new_hierarchy(opts: &MountOptions, log: &MountLog) -> Result<Root<ResctrlFs>> {
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
    let arch = state::arch().ok_or(ENODEV)?;
    let mut st = state::lock()?;
    let (st, cpus) = st.split();
    let state::State {
        doms,
        fs: fs_slot,
        last_cmd,
        drivers,
        ..
    } = st;
    let mut fs = FsState::new(arch, doms, drivers)?;
    // The root directory is the default group's, as a group directory is its
    // group's: a file descriptor of it names the group (seed 001).
    let root_data = KBox::new(DirPriv::Group(fs.default_group().clone()), GFP_KERNEL)?;
    let root = Root::<ResctrlFs>::new(
        flags::CREATE_DEACTIVATED | flags::EXTRA_OPEN_PERM_CHECK,
        Some(root_data),
    )?;
    let top = root.dir();
    fs.set_root(top);
    DEBUG.store(opts.debug, Ordering::Relaxed);
    if fs.alloc_capable() {
        add_files(top, &CTRL_FILES)?;
    } else {
        add_files(top, &MON_FILES)?;
    }
    for rf in debug_files(fs.alloc_capable(), fs.mon_capable()) {
        top.create_file(rf.name, rf.mode, rf)?;
    }
    let info_data = || KBox::new(DirPriv::Info, GFP_KERNEL);
    let info = top.create_dir(c_str!("info"), 0o555, Some(info_data()?))?;
    info.create_file(LAST_CMD_STATUS.name, LAST_CMD_STATUS.mode, &LAST_CMD_STATUS)?;
    let sub = |name: &CStr, rfs: &'static [RfType]| -> Result<Dir<ResctrlFs>> {
        let d = info.create_dir(name, 0o555, Some(info_data()?))?;
        for rf in rfs {
            d.create_file(rf.name, rf.mode, rf)?;
        }
        Ok(d)
    };
    let mut dirs = KVec::new();
    if fs.shows(Res::L3) {
        dirs.push(sub(c_str!("L3"), &INFO_L3)?, GFP_KERNEL)?;
    }
    if fs.shows(Res::Mb) {
        dirs.push(sub(c_str!("MB"), &INFO_MB)?, GFP_KERNEL)?;
    }
    if arch.l3_mon().is_some() {
        dirs.push(sub(c_str!("L3_MON"), &INFO_L3_MON)?, GFP_KERNEL)?;
    }
    fs.dirs = dirs;
    fs.set_info(info);
    if let Some(mon) = arch.l3_mon() {
        let mg = KBox::new(DirPriv::MonGroups, GFP_KERNEL)?;
        fs.set_root_mon_groups(top.create_dir(c_str!("mon_groups"), 0o755, Some(mg))?);
        let md = top.create_dir(c_str!("mon_data"), 0o555, None)?;
        let list = mon_data::create_domains(&md, fs.default_group(), doms, mon)?;
        fs.set_default_mon_data(md, list);
    }
    // The drivers' info/ directories and their files and domain
    // directories in the default group, which they then hear of.
    for e in drivers.iter() {
        fs.driver_attach_info(e)?;
    }
    registry::group_created(&mut fs, drivers, DEFAULT)?;
    last_cmd.clear();
    arch.start();
    *fs_slot = Some(fs);
    for i in 0..doms.len() {
        workers::start(doms, i, workers::Worker::Overflow);
    }
    sched::enable(cpus);
    root.activate();
    Ok(root)
}

impl Hierarchy for ResctrlFs {
    type DirData = KBox<DirPriv>;
    type FileDesc = RfType;
    type Open = OpenFile;
    const FILE_OPS: &'static FileOps<Self> = &FILE_OPS;
    const DIR_OPS: &'static DirOps<Self> = &DIR_OPS;

    /// The options in force, for `/proc/mounts`, as upstream's
    /// `rdt_show_options()`: only `debug` can be in force here.
    fn show_options(m: &mut SeqFile<'_>) -> Result {
        if DEBUG.load(Ordering::Relaxed) {
            m.write_str(",debug")?;
        }
        Ok(())
    }

    fn mkdir(parent: Active<'_, Self>, name: &CStr, mode: u16) -> Result {
        let name_bytes = name.as_bytes();
        // A newline in a name would make `tasks`-style listings ambiguous.
        if name_bytes.contains(&b'\n') {
            return Err(EINVAL);
        }
        // Groups are made only in the root and in a `mon_groups`; any other
        // parent is refused before waiting for a lock, as upstream. Such a
        // directory (`info/`, a `mon_data` domain's, a driver's) may be
        // removed by CPU hotplug or a driver's unregistration while they
        // hold the locks, and its removal would wait for this callback.
        let dir = parent.dir().ok_or(ENOTDIR)?;
        let in_mon_groups = matches!(dir.data(), Some(DirPriv::MonGroups));
        if !(dir.is_root() || in_mon_groups && name_bytes != b"mon_groups") {
            return Err(EPERM);
        }
        // The parent may still go (a `mon_groups` with its group): wait for
        // the lock without holding it active. Creating in a removed parent
        // fails with `ENOENT`; the group is looked up under the lock.
        parent.unprotected(|parent| mkdir_locked(parent, name, mode))
    }

    fn rmdir(dir: Active<'_, Self>) -> Result {
        let rg = match dir.dir().and_then(|d| d.data()) {
            Some(DirPriv::Group(rg)) => rg.clone(),
            _ => return Err(EPERM),
        };
        // Removing the directory waits for active references, ours included.
        dir.unprotected(|_| rmdir_group(rg))
    }

    fn rename<'a>(node: Active<'a, Self>, new_parent: Active<'a, Self>, new_name: &CStr) -> Result {
        rename::rename(node, new_parent, new_name)
    }

    /// Seed 000: a file of a group, monitoring files included, takes a
    /// reference to the group, which `release` (the drop of the
    /// [`OpenFile`]) gives back, at close or when kernfs drains the file.
    /// A driver's file also records which driver it belongs to.
    fn open(desc: &'static RfType, dir: DirRef<'_, Self>) -> Result<OpenFile> {
        let (group, dom_id) = match dir.data() {
            Some(DirPriv::Group(rg)) => (Some(rg.clone()), 0),
            Some(DirPriv::MonDomain { group, dom_id, .. }) => (Some(group.clone()), *dom_id),
            // info/.
            _ => (None, 0),
        };
        let reg = match desc.kind {
            FileKind::Driver(f) => driver_nodes::reg_of(f),
            _ => 0,
        };
        Ok(OpenFile { group, dom_id, reg })
    }

    fn show(desc: &'static RfType, file: OpenRef<'_, Self>, m: &mut SeqFile<'_>) -> Result {
        files::show(desc, file, m)
    }

    fn write(desc: &'static RfType, file: OpenRef<'_, Self>, buf: &mut [u8]) -> Result<usize> {
        files::write(desc, file, buf)
    }
}

/// `mkdir` in `parent`, a root or a `mon_groups` that may be removed
/// meanwhile, under resctrl's lock.
fn mkdir_locked(parent: Unprotected<'_, ResctrlFs>, name: &CStr, mode: u16) -> Result {
    let mut st = state::lock()?;
    let state::State {
        last_cmd,
        fs,
        doms,
        drivers,
        threshold,
    } = &mut *st;
    last_cmd.clear();
    let fs = fs.as_deref_mut().ok_or(ENODEV)?;
    let slot = add_group(fs, doms, last_cmd, parent, name, mode)?;
    // The drivers show in the new group and hear of it; if one cannot, the
    // group goes again.
    if let Err(e) = registry::group_created(fs, drivers, slot) {
        let mut dirs = KVec::new();
        let mut rmids = KVec::new();
        fs.remove_group(slot, &mut dirs, &mut rmids)?;
        let thr = limbo::threshold(*threshold, doms, fs.arch);
        for &r in rmids.iter() {
            limbo::free(fs, doms, thr, r);
        }
        drop(st);
        drop(dirs);
        return Err(e);
    }
    Ok(())
}

/// Makes a CTRL_MON group in the root, or a MON group in a `mon_groups`
/// directory; returns its slot.
fn add_group(
    fs: &mut FsState,
    doms: &mut crate::domain::DomainList,
    last_cmd: &mut state::LastCmd,
    parent: Unprotected<'_, ResctrlFs>,
    name: &CStr,
    mode: u16,
) -> Result<usize> {
    let name_bytes = name.as_bytes();
    let data = |rg: &Arc<RdtGroup>| KBox::new(DirPriv::Group(rg.clone()), GFP_KERNEL);
    if parent.is_root() && fs.alloc_capable() {
        let mon = fs.mon_capable();
        return fs.add_ctrl_group(doms, last_cmd, |rg| {
            let dir = parent.create_dir(name, mode, Some(data(rg)?))?;
            for rf in Iterator::chain(CTRL_FILES.iter(), debug_files(true, mon)) {
                dir.create_file(rf.name, rf.mode, rf)?;
            }
            let mg = if mon {
                let data = KBox::new(DirPriv::MonGroups, GFP_KERNEL)?;
                Some(dir.create_dir(c_str!("mon_groups"), 0o755, Some(data))?)
            } else {
                None
            };
            Ok((dir, mg))
        });
    }
    if fs.mon_capable() && name_bytes != b"mon_groups" {
        if let Some(owner) = fs.mon_groups_owner(parent.node()) {
            return fs.add_mon_group(doms, last_cmd, owner, |rg| {
                let dir = parent.create_dir(name, mode, Some(data(rg)?))?;
                for rf in Iterator::chain(MON_FILES.iter(), debug_files(false, true)) {
                    dir.create_file(rf.name, rf.mode, rf)?;
                }
                Ok(dir)
            });
        }
    }
    Err(EPERM)
}

/// `rmdir` of the group `rg`, whose directory is no longer protected: its
/// drivers hear of it and of its MON groups, then it goes, its RMIDs
/// through limbo.
fn rmdir_group(rg: Arc<RdtGroup>) -> Result {
    let mut dirs = KVec::new();
    {
        let mut st = state::lock()?;
        let state::State {
            last_cmd,
            fs,
            doms,
            threshold,
            drivers,
        } = &mut *st;
        last_cmd.clear();
        let fs = fs.as_deref_mut().ok_or(ENODEV)?;
        let slot = fs.slot_of(Some(&rg)).ok_or(ENOENT)?;
        if slot == DEFAULT {
            return Err(EPERM);
        }
        registry::groups_removed(fs, drivers, &fs.subtree(slot)?);
        let mut rmids = KVec::new();
        fs.remove_group(slot, &mut dirs, &mut rmids)?;
        let thr = limbo::threshold(*threshold, doms, fs.arch);
        for &r in rmids.iter() {
            limbo::free(fs, doms, thr, r);
        }
    }
    // Outside the lock: removal waits for the callbacks in the group,
    // which may be waiting for the lock; they will find it gone.
    drop(dirs);
    Ok(())
}
