// SPDX-License-Identifier: GPL-2.0

//! What code outside resctrl's mutex holds of a group: its directory, its
//! open files (seed 000) and perf events (seed 001).

use crate::logic::rmid_set::RmidSet;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{prelude::*, sync::Arc};

/// A reference to a group for holders outside resctrl's mutex: which slot
/// and generation it is (so a removed group is found gone, never mistaken
/// for a later one in its slot), what reading its counters needs without
/// the mutex, and whether it was removed.
pub(crate) struct GroupHandle {
    pub(super) slot: usize,
    pub(super) gen: u64,
    /// Its RMID (0 without monitoring); fixed for the group's life.
    pub(crate) rmid: u32,
    /// For a CTRL_MON group (and the default group): the RMIDs of its MON
    /// groups, as they come and go.
    pub(crate) mon_rmids: RmidSet,
    pub(super) deleted: AtomicBool,
}

impl GroupHandle {
    pub(super) fn new(slot: usize, gen: u64, rmid: u32) -> Result<Arc<Self>> {
        Ok(Arc::new(
            Self {
                slot,
                gen,
                rmid,
                mon_rmids: RmidSet::new(),
                deleted: AtomicBool::new(false),
            },
            GFP_KERNEL,
        )?)
    }

    /// Whether the group was removed.
    pub(crate) fn is_deleted(&self) -> bool {
        self.deleted.load(Ordering::Acquire)
    }

    /// Marks the group removed.
    pub(super) fn set_deleted(&self) {
        self.deleted.store(true, Ordering::Release);
    }

    /// The RMIDs whose counts are the group's: its own and, for a CTRL_MON
    /// group, its MON groups'.
    pub(crate) fn rmids(&self) -> impl Iterator<Item = u32> + '_ {
        Iterator::chain(core::iter::once(self.rmid), self.mon_rmids.iter())
    }
}
