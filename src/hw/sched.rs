// SPDX-License-Identifier: GPL-2.0

//! What the context-switch hook does: load the next task's CLOSID and RMID,
//! or the CPU's where the task has none, into the CPU. The hook
//! ([`crate::kapi::sched`]) calls [`sched_in`] once the hardware is probed,
//! while resctrl is mounted and for a second after (when every task and CPU
//! has CLOSID 0 and RMID 0).

use crate::{
    hw::probe,
    kapi::{sched, task::Task},
};
use kernel::prelude::*;

/// Loads the IDs of `next`, on this CPU, with interrupts off.
fn sched_in(next: &Task) {
    if let Some(arch) = probe::arch() {
        let (closid, rmid) = next.ids();
        arch.sched_in(closid, rmid, next.is_idle());
    }
}

/// Makes the hook call [`sched_in`], once the hardware is probed.
pub(crate) fn init() -> Result {
    sched::set_hook(sched_in)
}
