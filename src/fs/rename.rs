// SPDX-License-Identifier: GPL-2.0

//! `rename(2)` in the hierarchy, as upstream's `rdtgroup_rename()`: a MON
//! group may be renamed within its `mon_groups` or moved into another
//! CTRL_MON group's `mon_groups`, taking its tasks along (they take the new
//! CLOSID) and keeping its RMID and counts. Nothing else moves.
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

use crate::{
    fs::{
        group::{Kind, RdtGroup},
        mount::{DirPriv, ResctrlFs},
    },
    kapi::kernfs::{Active, DirRef, Entry, Unprotected},
    state,
};
use core::fmt::Write;
use kernel::{prelude::*, str::CStr, sync::Arc};

/// Whether `dir` is `info/` or below it.
fn in_info(dir: DirRef<'_, ResctrlFs>) -> bool {
    matches!(dir.data(), Some(DirPriv::Info))
}

/// The `rename` callback of the hierarchy.
pub(crate) fn rename<'a>(
    node: Active<'a, ResctrlFs>,
    new_parent: Active<'a, ResctrlFs>,
    new_name: &CStr,
) -> Result {
    let entry = node.entry();
    let (Entry::Dir(dir) | Entry::File(dir, _)) = entry;
    if in_info(dir) || new_parent.dir().map_or(true, in_info) {
        return Err(ENOENT);
    }
    let is_file = matches!(entry, Entry::File(..));
    let src = match (&entry, dir.data()) {
        (Entry::Dir(_), Some(DirPriv::Group(rg))) => Some(rg.clone()),
        _ => None,
    };
    // Renaming waits for no active reference, but hotplug removes
    // directories under the lock: hold none while waiting for it.
    node.unprotected(|node| {
        new_parent.unprotected(|new_parent| rename_locked(node, is_file, src, new_parent, new_name))
    })
}

/// The rename of `node` (a file if `is_file`, else the directory of group
/// `src` if it is one), no longer protected, under resctrl's lock.
fn rename_locked(
    node: Unprotected<'_, ResctrlFs>,
    is_file: bool,
    src: Option<Arc<RdtGroup>>,
    new_parent: Unprotected<'_, ResctrlFs>,
    new_name: &CStr,
) -> Result {
    let mut st = state::lock()?;
    let state::State { last_cmd, fs, .. } = &mut *st;
    last_cmd.clear();
    let fs = fs.as_deref_mut().ok_or(ENODEV)?;
    if is_file {
        let _ = writeln!(last_cmd, "Source and destination must be directories");
        return Err(EPERM);
    }
    let slot = match src {
        Some(rg) => fs.slot_of(Some(&rg)).ok_or(ENOENT)?,
        None => {
            let _ = writeln!(last_cmd, "Source must be a MON group");
            return Err(EPERM);
        }
    };
    let Kind::Mon { parent } = fs.at(slot).kind else {
        let _ = writeln!(last_cmd, "Source must be a MON group");
        return Err(EPERM);
    };
    let to = fs
        .mon_groups_owner(new_parent.node())
        .filter(|_| new_name.as_bytes() != b"mon_groups");
    let Some(to) = to else {
        let _ = writeln!(last_cmd, "Destination must be a mon_groups subdirectory");
        return Err(EPERM);
    };
    if to != parent && !fs.at(slot).cpus.is_empty() {
        let _ = writeln!(last_cmd, "Cannot move a MON group that monitors CPUs");
        return Err(EPERM);
    }
    if new_name.as_bytes().contains(&b'\n') {
        return Err(EINVAL);
    }
    // Everything that can fail is checked: once kernfs moved the directory,
    // the state follows without failing.
    node.rename(new_parent, new_name)?;
    fs.reparent_mon(slot, to);
    Ok(())
}
