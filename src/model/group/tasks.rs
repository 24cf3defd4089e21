// SPDX-License-Identifier: GPL-2.0

//! The tasks of groups: which group's `tasks` lists a task, and moving
//! tasks between groups; a walk that moves tasks holds `tasklist_lock`, so
//! no thread cloned meanwhile keeps old IDs ([`crate::kapi::task`]).

use super::{resched, Groups, Kind};
use crate::{kapi::task, logic::cpumask::CpuSet, model::last_cmd::LastCmd};
use core::fmt::Write;
use kernel::prelude::*;

impl Groups {
    /// Moves the tasks of the group in `from` (all tasks if `None`) to the
    /// group in `to`, and returns the CPUs they are running on.
    pub(super) fn move_tasks(&self, from: Option<usize>, to: usize) -> CpuSet {
        let (closid, rmid) = (self.closid_of(to), self.at(to).rmid);
        let mut running = CpuSet::new();
        task::for_each_thread_locked(|t| {
            if from.map_or(true, |f| self.task_in(t, f)) {
                t.set_ids(closid, rmid);
                if let Some(c) = t.running_on() {
                    running.insert(c);
                }
            }
            true
        });
        running
    }

    /// Whether the `tasks` file of the group in `slot` lists `t`: a
    /// CTRL_MON group lists the tasks of its CLOSID, a MON group those of
    /// its RMID.
    pub(crate) fn task_in(&self, t: &task::Task, slot: usize) -> bool {
        match self.at(slot).kind {
            Kind::Ctrl { closid, .. } => self.alloc_capable() && t.closid() == closid,
            Kind::Mon { .. } => self.mon_capable() && t.rmid() == self.at(slot).rmid,
        }
    }

    /// Moves task `t` to the group in `slot`, as upstream's
    /// `__rdtgroup_move_task()`.
    pub(crate) fn move_task(&self, t: &task::Task, slot: usize, log: &mut LastCmd) -> Result {
        let (closid, rmid) = (self.closid_of(slot), self.at(slot).rmid);
        if t.closid() == closid && t.rmid() == rmid {
            return Ok(());
        }
        if matches!(self.at(slot).kind, Kind::Mon { .. }) && t.closid() != closid {
            let _ = writeln!(log, "Can't move task to different control group");
            return Err(EINVAL);
        }
        t.set_ids(closid, rmid);
        if let Some(c) = t.running_on() {
            let mut m = CpuSet::new();
            m.insert(c);
            resched(&m);
        }
        Ok(())
    }
}
