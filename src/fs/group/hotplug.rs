// SPDX-License-Identifier: GPL-2.0

//! What CPU hotplug changes in a mounted hierarchy: the CPUs of groups and
//! the `mon_data/mon_L3_<id>` directories of domains that come and go.

use super::{collect, FsState, DEFAULT};
use crate::{
    domain::DomainList,
    fs::{mon_data, mount::ResctrlFs},
    kapi::{fault, kernfs::Dir, vec::KVecExt},
};
use kernel::prelude::*;

impl FsState {
    /// `cpu` went offline: it leaves its group, as upstream's
    /// `resctrl_offline_cpu()`.
    pub(crate) fn cpu_offline(&mut self, cpu: u32) {
        for g in self.groups.iter_mut().flatten() {
            g.cpus.remove(cpu);
        }
    }

    /// `cpu` came online: it joins the default group, with its IDs.
    pub(crate) fn cpu_online(&mut self, cpu: u32) {
        self.at_mut(DEFAULT).cpus.insert(cpu);
        self.arch.set_cpu_defaults(cpu, 0, 0);
    }

    /// The domain at `i` came online: every group gets its
    /// `mon_data/mon_L3_<id>` directory, counting from zero.
    pub(crate) fn domain_online(&mut self, doms: &DomainList, i: usize) -> Result {
        let Some(mon) = self.arch.l3_mon() else {
            return Ok(());
        };
        let id = doms.ids()[i];
        let slots: KVec<usize> = collect(self.slots())?;
        for &s in slots.iter() {
            let g = self.at_mut(s);
            let Some(md) = g.mon_data.as_ref() else {
                continue;
            };
            fault::domain_online_step()?;
            let d = mon_data::create_domain(md, &g.rg, id, mon)?;
            g.mon_doms.push((id, d), GFP_KERNEL)?;
        }
        Ok(())
    }

    /// The domain `id` went offline: every group's `mon_data/mon_L3_<id>`
    /// directory goes to `dirs`, for the caller to remove; without memory
    /// to list one, it is removed at once (under the caller's locks, which
    /// file callbacks never hold while kernfs waits for them). Every group
    /// loses it either way, so the domain can come back.
    pub(crate) fn domain_offline(&mut self, id: u32, dirs: &mut KVec<Dir<ResctrlFs>>) {
        for g in self.groups.iter_mut().flatten() {
            if let Some(k) = g.mon_doms.iter().position(|(d, _)| *d == id) {
                let (_, d) = g.mon_doms.remove_at(k);
                // On failure `push` drops `d`, which removes it now.
                let _ = dirs.push(d, GFP_KERNEL);
            }
        }
    }
}
