// SPDX-License-Identifier: GPL-2.0

//! What drivers do to a mount (seed 003): a driver registered while
//! resctrl is mounted shows in every group and hears of each
//! (`group_created`); every group made later shows its drivers' files and
//! their domains' directories, and its drivers hear of it; every group
//! removed, by `rmdir` or unmount, is heard of (`group_removed`). The nodes
//! themselves are the tree's ([`crate::fs::tree`]).

use crate::{
    fs::tree::Tree,
    kapi::{resctrl_driver::GroupInfo, vec::collect},
    model::{
        driver::{DriverEntry, DriverList},
        group::Groups,
    },
};
use kernel::prelude::*;

/// Shows driver `e` in the mounted hierarchy (`tree`, `groups`): its `info/` files, its
/// files and domain directories in every group, then `group_created` for
/// each group. Undone on failure: its events revoked first (perf may have
/// found its files), then `group_removed` for the groups it heard of.
pub(crate) fn attach_all(tree: &mut Tree, groups: &Groups, e: &DriverEntry) -> Result {
    let slots = groups.live_slots()?;
    let r = (|| {
        tree.driver_attach_info(e)?;
        for &s in slots.iter() {
            tree.driver_attach(groups, e, s)?;
        }
        Ok(())
    })();
    if let Err(err) = r {
        e.desc.source().revoke();
        tree.driver_detach(e.slot());
        return Err(err);
    }
    for (n, &s) in slots.iter().enumerate() {
        if let Err(err) = e.desc.group_created(groups.group_info(s)) {
            e.desc.source().revoke();
            for &t in slots[..n].iter() {
                e.desc.group_removed(groups.group_info(t));
            }
            tree.driver_detach(e.slot());
            return Err(err);
        }
    }
    Ok(())
}

/// A group was made: every driver shows in it and hears of it. On failure,
/// the error and how many drivers heard: the caller removes the group and
/// then tells them ([`groups_removed`]).
pub(crate) fn group_created(
    tree: &mut Tree,
    groups: &Groups,
    drivers: &DriverList,
    slot: usize,
) -> Result<(), (Error, usize)> {
    for (n, e) in drivers.iter().enumerate() {
        let r = tree
            .driver_attach(groups, e, slot)
            .and_then(|()| e.desc.group_created(groups.group_info(slot)));
        if let Err(err) = r {
            return Err((err, n));
        }
    }
    Ok(())
}

/// What drivers see of the groups of `slots`, for [`groups_removed`] once
/// they are gone.
pub(crate) fn infos(groups: &Groups, slots: &[usize]) -> Result<KVec<GroupInfo>> {
    collect(slots.iter().map(|&s| groups.group_info(s)))
}

/// The groups `gone` went: out of the model, their handles marked deleted
/// and their RMIDs out of their parents'. Once no perf reader that may
/// not have seen that is still reading a driver (each driver's event
/// source taken once), the drivers `drivers` hear of them: none is read
/// for a group it heard is gone.
pub(crate) fn groups_removed<'a>(
    drivers: impl IntoIterator<Item = &'a DriverEntry>,
    gone: &[GroupInfo],
) {
    for e in drivers {
        e.desc.source().quiesce();
        for &g in gone {
            e.desc.group_removed(g);
        }
    }
}

/// Unmount: every group of `groups` is marked deleted; as
/// [`groups_removed`] for all of them, without allocating, so that no
/// driver misses one.
pub(crate) fn all_groups_removed(groups: &Groups, drivers: &DriverList) {
    for e in drivers.iter() {
        e.desc.source().quiesce();
        for s in groups.slots() {
            e.desc.group_removed(groups.group_info(s));
        }
    }
}
