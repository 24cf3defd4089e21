// SPDX-License-Identifier: GPL-2.0

//! Moving a MON group to another CTRL_MON group: upstream's
//! `mongrp_reparent()`, the model side of a `rename(2)`.

use super::{resched, Groups, Kind};

impl Groups {
    /// Makes the MON group in `slot` a child of the CTRL_MON group in `to`:
    /// its tasks take `to`'s CLOSID now, its RMID and counts stay, and its
    /// RMID counts for `to`'s sums from here on. The caller checked that
    /// the group monitors no CPUs unless `to` is already its parent.
    pub(crate) fn reparent_mon(&mut self, slot: usize, to: usize) {
        let Kind::Mon { parent } = self.at(slot).kind else {
            return;
        };
        if parent == to {
            return;
        }
        let rmid = self.at(slot).rmid;
        // A reader summing either parent without the mutex sees the RMID
        // in one of them, or briefly in both; never in neither for long.
        self.at(to).handle.mon_rmids.insert(rmid);
        self.at(parent).handle.mon_rmids.remove(rmid);
        self.at_mut(slot).kind = Kind::Mon { parent: to };
        // `tasks` of a MON group are those with its RMID: give them the
        // new parent's CLOSID.
        let running = self.move_tasks(Some(slot), slot);
        resched(&running);
    }
}
