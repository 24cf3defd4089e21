// SPDX-License-Identifier: GPL-2.0

//! From a file descriptor to a group: seed 001's `rdtgroup_get_from_fd()`,
//! in the spirit of `cgroup_get_from_fd()`, for the perf PMU.
//!
//! The fd must be open on a resctrl mount (else `EBADF`), on a group
//! directory (the root is the default group's) or on a monitoring file of
//! one (`mon_data/mon_<RES>_<id>/<event>`, the core's L3 or a driver's
//! resource, which also names a domain and an event); anything else, `info/` included, is `EBADF`. A group that is
//! being removed, or was, gives `ENOENT`. No group can be in a pseudo-lock
//! mode here (no hardware for it is supported), so that `EINVAL` of seed 001
//! cannot arise.
//!
//! Neither resctrl's mutex nor the CPU hotplug lock is taken: perf calls
//! `event_init` of a group's sibling under its context mutex, which CPU
//! hotplug takes inside its own lock. kernfs' active reference on the node
//! keeps what its directory carries valid while the group reference is
//! taken; the reference then keeps the group's memory valid until dropped.

use super::{
    files::{DirPriv, DrvKind, FileKind, MonRes},
    RESCTRL_FS,
};
use crate::{
    hw::arch::Event,
    kapi::{file::FileRef, kernfs::Entry, resctrl_driver::EventSource},
    model::group::GroupHandle,
};
use kernel::{prelude::*, sync::Arc};

/// The monitoring file a resctrl file descriptor names.
pub(crate) enum MonTarget {
    /// `mon_data/mon_L3_<id>/<event>`: domain `id` and an L3 event.
    L3(u32, Event),
    /// `mon_data/mon_<RES>_<id>/<event>` of a driver's resource.
    Driver {
        /// The driver's events.
        src: Arc<EventSource>,
        /// The domain.
        dom_id: u32,
        /// The event's index in the driver's description.
        idx: usize,
    },
}

/// What a resctrl file descriptor names.
pub(crate) struct FdTarget {
    /// The group.
    pub(crate) group: Arc<GroupHandle>,
    /// For a monitoring file: its domain and event.
    pub(crate) mon: Option<MonTarget>,
}

/// The group (and, for a monitoring file, domain and event) that `fd` of
/// the current process names, with a reference.
pub(crate) fn group_from_fd(fd: u32) -> Result<FdTarget> {
    let file = FileRef::fget_raw(fd)?;
    let node = RESCTRL_FS.active_node(&file)?;
    let t = match node.entry() {
        Entry::Dir(d) => match d.data() {
            Some(DirPriv::Group(h)) => FdTarget {
                group: h.clone(),
                mon: None,
            },
            _ => return Err(EBADF),
        },
        Entry::File(d, desc) => match (desc.kind, d.data()) {
            (
                FileKind::Mon(evt),
                Some(DirPriv::MonDomain {
                    group,
                    dom_id,
                    res: MonRes::L3,
                }),
            ) => FdTarget {
                group: group.clone(),
                mon: Some(MonTarget::L3(*dom_id, evt)),
            },
            (
                FileKind::Driver(f),
                Some(DirPriv::MonDomain {
                    group,
                    dom_id,
                    res: MonRes::Driver(src),
                }),
            ) if f.kind == DrvKind::Event => FdTarget {
                group: group.clone(),
                mon: Some(MonTarget::Driver {
                    src: src.clone(),
                    dom_id: *dom_id,
                    idx: f.idx as usize,
                }),
            },
            _ => return Err(EBADF),
        },
    };
    drop(node);
    if t.group.is_deleted() {
        return Err(ENOENT);
    }
    Ok(t)
}
