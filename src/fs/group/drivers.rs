// SPDX-License-Identifier: GPL-2.0

//! What drivers add to a mounted hierarchy: their `info/` directories, and
//! in each group their files and `mon_data/mon_<RES>_<id>` directories; and
//! what a driver is told of a group.

use super::{collect, FsState, Kind, DEFAULT};
use crate::{
    domain::res_index,
    driver::{
        nodes::{self, DrvNode},
        registry::DriverEntry,
    },
    fs::mount::{DirPriv, ResctrlFs},
    hw::arch::Res,
    kapi::{
        kernfs::{Dir, DirHandle, DirRef},
        resctrl_driver::{FilePlace, GroupInfo, GroupType},
        vec::KVecExt,
    },
};
use kernel::prelude::*;

impl FsState {
    /// The root directory is `top`.
    pub(crate) fn set_root(&mut self, top: DirRef<'_, ResctrlFs>) {
        self.root = Some(DirHandle::new(top));
    }

    /// `info/` is `dir`.
    pub(crate) fn set_info(&mut self, dir: Dir<ResctrlFs>) {
        self.info = Some(dir);
    }

    /// Whether the mount shows core resource `res`: the hardware has it and
    /// no driver that programs the same hardware was registered at mount.
    pub(crate) fn shows(&self, res: Res) -> bool {
        let has = match res {
            Res::L3 => self.arch.l3_alloc().is_some(),
            Res::Mb => self.arch.mb_alloc().is_some(),
        };
        has && !self.hidden[res_index(res)]
    }

    /// The slots of the live groups, the default group first.
    pub(crate) fn live_slots(&self) -> Result<KVec<usize>> {
        collect(self.slots())
    }

    /// The group in `slot` and, for a CTRL_MON group, its MON groups.
    pub(crate) fn subtree(&self, slot: usize) -> Result<KVec<usize>> {
        let mut v = collect(self.children(slot))?;
        v.push(slot, GFP_KERNEL)?;
        Ok(v)
    }

    /// What a driver sees of the group in `slot`.
    pub(crate) fn group_info(&self, slot: usize) -> GroupInfo {
        let g = self.at(slot);
        GroupInfo {
            ty: match g.kind {
                Kind::Ctrl { .. } => GroupType::CtrlMon,
                Kind::Mon { .. } => GroupType::Mon,
            },
            closid: self.closid_of(slot),
            rmid: g.rmid,
        }
    }

    /// Creates `info/<RES or name>/` with driver `e`'s `info/` files, if it
    /// has any.
    pub(crate) fn driver_attach_info(&mut self, e: &DriverEntry) -> Result {
        let files = (0..e.desc.nr_files()).filter(|&i| e.desc.file(i).place == FilePlace::Info);
        if files.clone().next().is_none() {
            return Ok(());
        }
        let info = self.info.as_ref().ok_or(ENODEV)?;
        let data = KBox::new(DirPriv::Info, GFP_KERNEL)?;
        let d = info.create_dir(e.info_name(), 0o555, Some(data))?;
        for i in files {
            let f = e.desc.file(i);
            d.create_file(f.name, f.mode, nodes::file_type(e.slot(), i))?;
        }
        d.activate();
        self.drv_info.push((e.slot(), d), GFP_KERNEL)?;
        Ok(())
    }

    /// Gives the group in `slot` driver `e`'s files for its type, and a
    /// `mon_<RES>_<id>` directory per domain of its resource. On failure
    /// what was made stays, for [`FsState::driver_detach`] to remove.
    pub(crate) fn driver_attach(&mut self, e: &DriverEntry, slot: usize) -> Result {
        let place = match self.at(slot).kind {
            Kind::Ctrl { .. } => FilePlace::CtrlMon,
            Kind::Mon { .. } => FilePlace::Mon,
        };
        let mut made = KVec::new();
        for i in (0..e.desc.nr_files()).filter(|&i| e.desc.file(i).place == place) {
            let f = e.desc.file(i);
            let desc = nodes::file_type(e.slot(), i);
            let file = match (self.at(slot).dir.as_ref(), slot, self.root.as_ref()) {
                (Some(d), _, _) => d.create_removable_file(f.name, f.mode, desc),
                (None, DEFAULT, Some(root)) => root.create_removable_file(f.name, f.mode, desc),
                _ => Err(ENODEV),
            };
            made.push(DrvNode::file(e.slot(), file?), GFP_KERNEL)?;
        }
        let r = (|| {
            if e.desc.nr_events() > 0 {
                let g = self.at(slot);
                if let Some(md) = g.mon_data.as_ref() {
                    for d in e.doms.iter() {
                        made.push(nodes::create_mon_dir(md, &g.rg, e, d.id)?, GFP_KERNEL)?;
                    }
                }
            }
            Ok(())
        })();
        let g = self.at_mut(slot);
        while let Some(n) = made.pop_last() {
            g.drv.push(n, GFP_KERNEL)?;
        }
        r
    }

    /// Removes everything of the driver in slot `drv` from the hierarchy.
    /// Open files of it fail with `ENODEV` from now on.
    pub(crate) fn driver_detach(&mut self, drv: usize) {
        for g in self.groups.iter_mut().flatten() {
            g.drv.retain_by(|n| n.slot != drv);
        }
        self.drv_info.retain_by(|(s, _)| *s != drv);
    }

    /// Domain `id` of driver `e` came online: every group with `mon_data`
    /// gets its `mon_<RES>_<id>` directory.
    pub(crate) fn driver_domain_online(&mut self, e: &DriverEntry, id: u32) -> Result {
        if e.desc.nr_events() == 0 {
            return Ok(());
        }
        for s in self.live_slots()?.iter() {
            let g = self.at_mut(*s);
            if let Some(md) = g.mon_data.as_ref() {
                let n = nodes::create_mon_dir(md, &g.rg, e, id)?;
                g.drv.push(n, GFP_KERNEL)?;
            }
        }
        Ok(())
    }

    /// Domain `id` of the driver in slot `drv` went offline: its
    /// directories go.
    pub(crate) fn driver_domain_offline(&mut self, drv: usize, id: u32) {
        for g in self.groups.iter_mut().flatten() {
            g.drv.retain_by(|n| n.slot != drv || n.dom != Some(id));
        }
    }
}
