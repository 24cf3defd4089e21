// SPDX-License-Identifier: GPL-2.0

//! The kernfs callbacks of the hierarchy: `mkdir`, `rmdir` and `rename` of
//! groups, `open` and `release` of files (seed 000), and `show` and `write`,
//! which hand each file to its kind.
//!
//! Every callback that takes resctrl's locks first refuses what it can
//! without them, then breaks its node's active protection, as upstream's
//! `rdtgroup_kn_lock_live()` does: CPU hotplug and a driver's unregistration
//! remove directories while they hold those locks, and that removal waits
//! for active references. Nodes are then only looked up again under the
//! lock, where a removed group or directory is found gone (`ENOENT`).
//!
//! Seed 000: a file of a group, monitoring files included, takes a
//! reference to the group's [`GroupHandle`] at `open`, which `release` (the
//! drop of the [`OpenFile`]) gives back, at close or when kernfs drains the
//! file at removal. While it is held the group's memory stays; once the
//! group is removed the file's callbacks find it gone.
//!
//! `rename(2)`, as upstream's `rdtgroup_rename()`: a MON group may be renamed
//! within its `mon_groups` or moved into another CTRL_MON group's
//! `mon_groups`, taking its tasks along (they take the new CLOSID) and
//! keeping its RMID and counts. Nothing else moves.
//!
//! | case | errno | `last_cmd_status` |
//! | --- | --- | --- |
//! | source or destination in `info/` | `ENOENT` | |
//! | the source is a file | `EPERM` | `Source and destination must be directories` |
//! | the source group was removed | `ENOENT` | |
//! | the source is not a MON group | `EPERM` | `Source must be a MON group` |
//! | the destination is not in a `mon_groups` | `EPERM` | `Destination must be a mon_groups subdirectory` |
//! | a move of a group that has CPUs | `EPERM` | `Cannot move a MON group that monitors CPUs` |
//! | the name is taken | `EEXIST` | |
//! | a newline in the name (as `mkdir`) | `EINVAL` | |

use super::{
    cntr_files, driver_files,
    files::{
        CntrFile, DirPriv, DrvFile, DrvKind, FileKind, GroupFile, InfoFile, IoAllocFile, OpenFile,
        RfType,
    },
    group_files, info, io_alloc_files, mon_data,
    tree::{self, GroupNodes},
    ResctrlFs,
};
use crate::{
    driver::attach,
    kapi::{
        kernfs::{Active, Dir, DirOps, DirRef, Entry, FileOps, Hierarchy, OpenRef, Unprotected},
        seq_file::SeqFile,
    },
    model::{
        domain::DomainList,
        driver,
        group::{GroupHandle, Kind, DEFAULT},
    },
    mon::{cntrs, counters, limbo, workers},
    state::{self, Mounted, ResctrlInner},
};
use core::fmt::Write;
use kernel::{prelude::*, str::CStr, sync::Arc};

static FILE_OPS: FileOps<ResctrlFs> = FileOps::new();
static DIR_OPS: DirOps<ResctrlFs> = DirOps::new();

impl Hierarchy for ResctrlFs {
    type DirData = KBox<DirPriv>;
    type FileDesc = RfType;
    type Open = OpenFile;
    const FILE_OPS: &'static FileOps<Self> = &FILE_OPS;
    const DIR_OPS: &'static DirOps<Self> = &DIR_OPS;

    /// The options in force, for `/proc/mounts`, as upstream's
    /// `rdt_show_options()`.
    fn show_options(m: &mut SeqFile<'_>) -> Result {
        for o in tree::shown_options() {
            m.write_str(o)?;
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
        let h = match dir.dir().and_then(|d| d.data()) {
            Some(DirPriv::Group(h)) => h.clone(),
            _ => return Err(EPERM),
        };
        // Removing the directory waits for active references, ours included.
        dir.unprotected(|_| rmdir_group(h))
    }

    fn rename<'a>(node: Active<'a, Self>, new_parent: Active<'a, Self>, new_name: &CStr) -> Result {
        let entry = node.entry();
        let (Entry::Dir(dir) | Entry::File(dir, _)) = entry;
        if in_info(dir) || new_parent.dir().map_or(true, in_info) {
            return Err(ENOENT);
        }
        let is_file = matches!(entry, Entry::File(..));
        let src = match (&entry, dir.data()) {
            (Entry::Dir(_), Some(DirPriv::Group(h))) => Some(h.clone()),
            _ => None,
        };
        // Renaming waits for no active reference, but hotplug removes
        // directories under the lock: hold none while waiting for it.
        node.unprotected(|node| {
            new_parent
                .unprotected(|new_parent| rename_locked(node, is_file, src, new_parent, new_name))
        })
    }

    /// Seed 000 (see the module documentation). A driver's file also
    /// records which driver it belongs to.
    fn open(desc: &'static RfType, dir: DirRef<'_, Self>) -> Result<OpenFile> {
        let (group, dom_id) = match dir.data() {
            Some(DirPriv::Group(h)) => (Some(h.clone()), 0),
            Some(DirPriv::MonDomain { group, dom_id, .. }) => (Some(group.clone()), *dom_id),
            // info/.
            _ => (None, 0),
        };
        let reg = match desc.kind {
            FileKind::Driver(f) => driver::reg_of(f.slot as usize),
            _ => 0,
        };
        Ok(OpenFile { group, dom_id, reg })
    }

    fn show(desc: &'static RfType, file: OpenRef<'_, Self>, m: &mut SeqFile<'_>) -> Result {
        let OpenFile { group, dom_id, reg } = file.get();
        let (group, dom_id, reg) = (group.clone(), *dom_id, *reg);
        let group = group.as_deref();
        file.unprotected(|| {
            // A read that raced with the removal of the group or the domain.
            if matches!(desc.kind, FileKind::Mon(_)) && group.map_or(true, |g| g.is_deleted()) {
                return Err(if group.is_some() { ENOENT } else { ENODEV });
            }
            let mut st = state::lock()?;
            let ResctrlInner {
                last_cmd,
                threshold,
                doms,
                cntr_cfg,
                drivers,
                mount,
            } = &mut *st;
            let groups = mount.as_ref().map(|m| &*m.groups);
            if let FileKind::Info(f) = desc.kind {
                return info::show(f, last_cmd, *threshold, groups, doms, m);
            }
            let groups = groups.ok_or(ENODEV)?;
            match desc.kind {
                FileKind::Group(f) => group_files::show(f, group, groups, doms, m),
                FileKind::Mon(evt) => {
                    mon_data::show(evt, group.ok_or(ENODEV)?, dom_id, groups, doms, m)
                }
                FileKind::Driver(f) => {
                    driver_files::show(f, reg, group, dom_id, groups, drivers, m)
                }
                FileKind::Cntr(f) => {
                    cntr_files::show(f, group, last_cmd, cntr_cfg, groups, doms, m)
                }
                FileKind::IoAlloc(f) => io_alloc_files::show(f, last_cmd, groups, doms, m),
                FileKind::Info(_) => Err(EINVAL),
            }
        })
    }

    fn write(desc: &'static RfType, file: OpenRef<'_, Self>, buf: &mut [u8]) -> Result<usize> {
        let (group, reg) = (file.get().group.clone(), file.get().reg);
        let group = group.as_deref();
        let n = buf.len();
        file.unprotected(|| {
            // What can be checked without resctrl's mutex is, first.
            let parsed = match desc.kind {
                FileKind::Group(f) => Parsed::Group(f, group_files::parse(f, buf)?),
                FileKind::Info(f) => Parsed::Info(f, info::parse(f, buf)?),
                FileKind::Driver(f) if f.kind == DrvKind::File => Parsed::Driver(f, buf),
                FileKind::Cntr(f) => Parsed::Cntr(f, cntr_files::parse(f, buf)?),
                FileKind::IoAlloc(f) => Parsed::IoAlloc(f, io_alloc_files::parse(f, buf)?),
                FileKind::Mon(_) | FileKind::Driver(_) => return Err(EINVAL),
            };
            let mut st = state::lock()?;
            let (st, cpus) = st.split();
            let m = st.mounted()?;
            match parsed {
                Parsed::Group(f, text) => {
                    group_files::write(f, group, m.groups, m.doms, m.last_cmd, text)?
                }
                Parsed::Info(f, text) => {
                    info::write(f, text, m.threshold, m.groups, m.doms, m.last_cmd)?
                }
                Parsed::Driver(f, buf) => {
                    driver_files::write(f, reg, group, m.groups, m.drivers, m.last_cmd, buf)?
                }
                Parsed::Cntr(f, text) => {
                    let mut c = cntr_files::Mounted {
                        last_cmd: m.last_cmd,
                        doms: m.doms,
                        cntr_cfg: m.cntr_cfg,
                        groups: m.groups,
                        tree: m.tree,
                    };
                    cntr_files::write(f, group, &mut c, text)?
                }
                Parsed::IoAlloc(f, text) => {
                    io_alloc_files::write(f, text, m.groups, m.doms, m.tree, m.last_cmd, cpus)?
                }
            }
            Ok(n)
        })
    }
}

/// A write, as far as it is checked without resctrl's mutex.
enum Parsed<'a> {
    /// The text for a group's file.
    Group(GroupFile, &'a str),
    /// The text for a writable file of `info/`.
    Info(InfoFile, &'a str),
    /// The bytes for a driver's declared file.
    Driver(DrvFile, &'a [u8]),
    /// The text for a file of counter assignment, and the bytes.
    Cntr(CntrFile, &'a str),
    /// The text for a file of io_alloc.
    IoAlloc(IoAllocFile, &'a str),
}

/// `mkdir` in `parent`, a root or a `mon_groups` that may be removed
/// meanwhile, under resctrl's lock.
fn mkdir_locked(parent: Unprotected<'_, ResctrlFs>, name: &CStr, mode: u16) -> Result {
    let mut st = state::lock()?;
    let mut m = st.mounted()?;
    let arch = m.groups.arch;
    // What the new group shows: its directory and, with monitoring, its
    // `mon_data`, counting from zero.
    let mon_data = |n: &mut GroupNodes, h: &GroupHandle, doms: &DomainList| -> Result {
        if let Some(mon) = arch.l3_mon() {
            counters::reset_new(arch, doms, h.rmid)?;
            n.add_mon_data(doms, mon)?;
        }
        Ok(())
    };
    let (slot, nodes) = if parent.is_root() && m.groups.alloc_capable() {
        let mon = m.groups.mon_capable();
        m.groups.add_ctrl_group(m.doms, m.last_cmd, |h, doms| {
            let mut n = GroupNodes::ctrl_group(parent, name, mode, h, mon)?;
            mon_data(&mut n, h, doms)?;
            Ok(n)
        })?
    } else {
        let owner = m.tree.mon_groups_owner(parent.node());
        match owner {
            Some(owner) if m.groups.mon_capable() && name.as_bytes() != b"mon_groups" => {
                let doms = &*m.doms;
                m.groups.add_mon_group(m.last_cmd, owner, |h| {
                    let mut n = GroupNodes::mon_group(parent, name, mode, h)?;
                    mon_data(&mut n, h, doms)?;
                    Ok(n)
                })?
            }
            _ => return Err(EPERM),
        }
    };
    m.tree.insert(slot, nodes);
    // The drivers show in the new group and hear of it; if one cannot, the
    // group goes again, and then those that heard are told.
    if let Err((e, heard)) = attach::group_created(m.tree, m.groups, m.drivers, slot) {
        let gone = [m.groups.group_info(slot)];
        let mut dirs = KVec::new();
        remove_group(&mut m, slot, &mut dirs)?;
        attach::groups_removed(m.drivers.iter().take(heard), &gone);
        drop(st);
        drop(dirs);
        return Err(e);
    }
    // Counters for its events, as many as there are; the group is made
    // either way, as upstream.
    let rmid = m.groups.at(slot).rmid;
    cntrs::assign_new(arch, m.doms, m.cntr_cfg, rmid, m.last_cmd);
    Ok(())
}

/// `rmdir` of the group `h`, whose directory is no longer protected: it
/// goes with its MON groups, their RMIDs through limbo, then the drivers
/// hear of them.
fn rmdir_group(h: Arc<GroupHandle>) -> Result {
    let mut dirs = KVec::new();
    {
        let mut st = state::lock()?;
        let mut m = st.mounted()?;
        let slot = m.groups.slot_of(Some(&h)).ok_or(ENOENT)?;
        if slot == DEFAULT {
            return Err(EPERM);
        }
        let gone = attach::infos(m.groups, &m.groups.subtree(slot)?)?;
        remove_group(&mut m, slot, &mut dirs)?;
        attach::groups_removed(m.drivers.iter(), &gone);
    }
    // Outside the lock: removal waits for the callbacks in the group,
    // which may be waiting for the lock; they will find it gone.
    drop(dirs);
    Ok(())
}

/// Removes the group in `slot` and its MON groups: from the model, their
/// nodes to `dirs` (to be dropped once the mutex is), their RMIDs through
/// limbo.
fn remove_group(m: &mut Mounted<'_>, slot: usize, dirs: &mut KVec<Dir<ResctrlFs>>) -> Result {
    let mut rmids = KVec::new();
    let gone = m.groups.remove_group(slot, &mut rmids)?;
    m.tree.remove(&gone, dirs);
    cntrs::unassign_rmids(m.groups.arch, m.doms, &rmids);
    limbo::free(m.groups, m.doms, *m.threshold, &rmids);
    workers::start_limbo(m.doms);
    Ok(())
}

/// Whether `dir` is `info/` or below it.
fn in_info(dir: DirRef<'_, ResctrlFs>) -> bool {
    matches!(dir.data(), Some(DirPriv::Info))
}

/// The rename of `node` (a file if `is_file`, else the directory of group
/// `src` if it is one), no longer protected, under resctrl's lock.
fn rename_locked(
    node: Unprotected<'_, ResctrlFs>,
    is_file: bool,
    src: Option<Arc<GroupHandle>>,
    new_parent: Unprotected<'_, ResctrlFs>,
    new_name: &CStr,
) -> Result {
    let mut st = state::lock()?;
    let Mounted {
        last_cmd,
        groups,
        tree,
        ..
    } = st.mounted()?;
    if is_file {
        let _ = writeln!(last_cmd, "Source and destination must be directories");
        return Err(EPERM);
    }
    let slot = match src {
        Some(h) => groups.slot_of(Some(&h)).ok_or(ENOENT)?,
        None => {
            let _ = writeln!(last_cmd, "Source must be a MON group");
            return Err(EPERM);
        }
    };
    let Kind::Mon { parent } = groups.at(slot).kind else {
        let _ = writeln!(last_cmd, "Source must be a MON group");
        return Err(EPERM);
    };
    let to = tree
        .mon_groups_owner(new_parent.node())
        .filter(|_| new_name.as_bytes() != b"mon_groups");
    let Some(to) = to else {
        let _ = writeln!(last_cmd, "Destination must be a mon_groups subdirectory");
        return Err(EPERM);
    };
    if to != parent && !groups.at(slot).cpus.is_empty() {
        let _ = writeln!(last_cmd, "Cannot move a MON group that monitors CPUs");
        return Err(EPERM);
    }
    if new_name.as_bytes().contains(&b'\n') {
        return Err(EINVAL);
    }
    // Everything that can fail is checked: once kernfs moved the directory,
    // the model follows without failing.
    node.rename(new_parent, new_name)?;
    groups.reparent_mon(slot, to);
    Ok(())
}
