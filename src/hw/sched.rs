// SPDX-License-Identifier: GPL-2.0

//! What the context-switch hook does: load the next task's CLOSID and RMID,
//! or the CPU's where the task has none, into the CPU. The hook is on only
//! while resctrl is mounted ([`crate::kapi::sched`]).

use crate::{kapi::task::Task, state};

/// Loads the IDs of `next`, on this CPU, with interrupts off.
pub(crate) fn sched_in(next: &Task) {
    if let Some(arch) = state::arch() {
        let (closid, rmid) = next.ids();
        arch.sched_in(closid, rmid, next.is_idle());
    }
}
