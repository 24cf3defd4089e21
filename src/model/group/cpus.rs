// SPDX-License-Identifier: GPL-2.0

//! The CPUs of groups: assigning them (`cpus`, `cpus_list`), CPUs coming
//! and going, and putting everything back at unmount.

use super::{online_cpus, resched, Groups, Kind, DEFAULT};
use crate::{
    kapi::vec::collect,
    logic::cpumask::CpuSet,
    model::{domain::DomainList, last_cmd::LastCmd},
};
use core::fmt::Write;
use kernel::prelude::*;

impl Groups {
    /// Makes the CPUs of `mask` run with the IDs of the group in `slot` when
    /// their tasks have none, now.
    pub(crate) fn update_cpus(&self, mask: &CpuSet, slot: usize) {
        let (closid, rmid) = (self.closid_of(slot), self.at(slot).rmid);
        for c in mask.iter() {
            self.arch.set_cpu_defaults(c, closid, rmid);
        }
        resched(mask);
    }

    /// Assigns `new` to the group in `slot`, as upstream's `cpus_ctrl_write()`
    /// and `cpus_mon_write()`.
    pub(crate) fn set_cpus(&mut self, slot: usize, new: CpuSet, log: &mut LastCmd) -> Result {
        let cur = self.at(slot).cpus;
        match self.at(slot).kind {
            Kind::Mon { parent } => {
                if !new.andnot(&self.at(parent).cpus).is_empty() {
                    let _ = writeln!(log, "Can only add CPUs to mongroup that belong to parent");
                    return Err(EINVAL);
                }
                let dropped = cur.andnot(&new);
                if !dropped.is_empty() {
                    self.update_cpus(&dropped, parent);
                }
                let added = new.andnot(&cur);
                if !added.is_empty() {
                    let siblings: KVec<usize> = collect(self.children(parent))?;
                    for &s in siblings.iter().filter(|&&s| s != slot) {
                        let g = self.at_mut(s);
                        g.cpus = g.cpus.andnot(&added);
                    }
                    self.update_cpus(&added, slot);
                }
                self.at_mut(slot).cpus = new;
            }
            Kind::Ctrl { .. } => {
                let dropped = cur.andnot(&new);
                if !dropped.is_empty() {
                    if slot == DEFAULT {
                        let _ = writeln!(log, "Can't drop CPUs from default group");
                        return Err(EINVAL);
                    }
                    let d = self.at_mut(DEFAULT);
                    d.cpus = d.cpus.or(&dropped);
                    self.update_cpus(&dropped, DEFAULT);
                }
                let added = new.andnot(&cur);
                if !added.is_empty() {
                    let all: KVec<usize> = collect(self.slots())?;
                    for &s in all.iter().filter(|&&s| s != slot) {
                        let g = self.at_mut(s);
                        g.cpus = g.cpus.andnot(&added);
                    }
                    self.update_cpus(&added, slot);
                }
                self.at_mut(slot).cpus = new;
                // The MON groups start over with the new parent mask; the
                // CPUs they had run with the parent's RMID again.
                let children: KVec<usize> = collect(self.children(slot))?;
                for &c in children.iter() {
                    let lost = new.and(&self.at(c).cpus);
                    self.at_mut(c).cpus = CpuSet::new();
                    if !lost.is_empty() {
                        self.update_cpus(&lost, slot);
                    }
                }
            }
        }
        Ok(())
    }

    /// `cpu` went offline: it leaves its group, as upstream's
    /// `resctrl_offline_cpu()`.
    pub(crate) fn cpu_offline(&mut self, cpu: u32) {
        for g in self.slots.iter_mut().flatten() {
            g.cpus.remove(cpu);
        }
    }

    /// `cpu` came online: it joins the default group, with its IDs.
    pub(crate) fn cpu_online(&mut self, cpu: u32) {
        self.at_mut(DEFAULT).cpus.insert(cpu);
        self.arch.set_cpu_defaults(cpu, 0, 0);
    }

    /// Puts every task and CPU back to the default group's IDs, CDP off
    /// and every control value to its default, as at unmount.
    pub(crate) fn reset_all(&mut self, doms: &mut DomainList) -> Result {
        let running = self.move_tasks(None, DEFAULT);
        let all = online_cpus();
        for c in all.iter() {
            self.arch.set_cpu_defaults(c, 0, 0);
        }
        resched(&running.or(&all));
        // CDP off first, then every value back to its default, as
        // upstream's rdt_kill_sb().
        let cdp = self.switch_cdp(doms, false);
        doms.reset_all_ctrls(self.arch)?;
        cdp
    }
}
