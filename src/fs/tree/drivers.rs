// SPDX-License-Identifier: GPL-2.0

//! What drivers add to the tree: their `info/` directories, and in each
//! group their files and `mon_data/mon_<RES>_<id>` directories.

use super::{GroupNodes, Tree, DEFAULT};
use crate::{
    fs::{
        driver_files::{self, DrvNode},
        files::DirPriv,
    },
    kapi::{
        resctrl_driver::{FilePlace, GroupType},
        vec::KVecExt,
    },
    model::{driver::DriverEntry, group::Groups},
};
use kernel::{fmt, prelude::*, str::CString};

impl Tree {
    /// Creates `info/<RES or name>/` with driver `e`'s `info/` files, if it
    /// has any, and `info/<RES>_MON/` if it has events.
    pub(crate) fn driver_attach_info(&mut self, e: &DriverEntry) -> Result {
        if let (Some(res), 1..) = (e.desc.resource(), e.desc.nr_events()) {
            let name = CString::try_from_fmt(fmt!("{}_MON", res))?;
            let data = KBox::new(DirPriv::Info, GFP_KERNEL)?;
            let d = self.info.create_dir(&name, 0o555, Some(data))?;
            for (i, f) in driver_files::MON_INFO_FILES.iter().enumerate() {
                d.create_file(f, 0o444, driver_files::mon_info_type(e.slot(), i))?;
            }
            d.activate();
            self.drv_info.push((e.slot(), d), GFP_KERNEL)?;
        }
        let files = (0..e.desc.nr_files()).filter(|&i| e.desc.file(i).place == FilePlace::Info);
        if files.clone().next().is_none() {
            return Ok(());
        }
        let data = KBox::new(DirPriv::Info, GFP_KERNEL)?;
        let d = self
            .info
            .create_dir(e.desc.info_name(), 0o555, Some(data))?;
        for i in files {
            let f = e.desc.file(i);
            d.create_file(f.name, f.mode, driver_files::file_type(e.slot(), i))?;
        }
        d.activate();
        self.drv_info.push((e.slot(), d), GFP_KERNEL)?;
        Ok(())
    }

    /// Gives the group in `slot` driver `e`'s files for its type, and a
    /// `mon_<RES>_<id>` directory per domain of its resource. On failure
    /// what was made stays, for [`Tree::driver_detach`] to remove.
    pub(crate) fn driver_attach(
        &mut self,
        groups: &Groups,
        e: &DriverEntry,
        slot: usize,
    ) -> Result {
        let place = match groups.group_info(slot).ty {
            GroupType::CtrlMon => FilePlace::CtrlMon,
            GroupType::Mon => FilePlace::Mon,
        };
        let root = &self.root;
        let n: &mut GroupNodes = self.nodes[slot].as_mut().ok_or(ENODEV)?;
        let mut made = KVec::new();
        for i in (0..e.desc.nr_files()).filter(|&i| e.desc.file(i).place == place) {
            let f = e.desc.file(i);
            let desc = driver_files::file_type(e.slot(), i);
            let file = match (n.dir.as_ref(), slot) {
                (Some(d), _) => d.create_removable_file(f.name, f.mode, desc),
                (None, DEFAULT) => root.create_removable_file(f.name, f.mode, desc),
                _ => Err(ENODEV),
            };
            made.push(DrvNode::file(e.slot(), file?), GFP_KERNEL)?;
        }
        let r = (|| {
            if e.desc.nr_events() > 0 {
                if let Some(md) = n.mon_data.as_ref() {
                    for d in e.doms.iter() {
                        made.push(
                            driver_files::create_mon_dir(md, &n.handle, e, d.id)?,
                            GFP_KERNEL,
                        )?;
                    }
                }
            }
            Ok(())
        })();
        while let Some(d) = made.pop_last() {
            n.drv.push(d, GFP_KERNEL)?;
        }
        r
    }

    /// Removes everything of the driver in slot `drv` from the tree. Open
    /// files of it fail with `ENODEV` from now on.
    pub(crate) fn driver_detach(&mut self, drv: usize) {
        for n in self.nodes.iter_mut().flatten() {
            n.drv.retain_by(|d| d.slot != drv);
        }
        self.drv_info.retain_by(|(s, _)| *s != drv);
    }

    /// Domain `id` of driver `e` came online: every group with `mon_data`
    /// gets its `mon_<RES>_<id>` directory.
    pub(crate) fn driver_domain_online(&mut self, e: &DriverEntry, id: u32) -> Result {
        if e.desc.nr_events() == 0 {
            return Ok(());
        }
        for n in self.nodes.iter_mut().flatten() {
            if let Some(md) = n.mon_data.as_ref() {
                let d = driver_files::create_mon_dir(md, &n.handle, e, id)?;
                n.drv.push(d, GFP_KERNEL)?;
            }
        }
        Ok(())
    }

    /// Domain `id` of the driver in slot `drv` went offline: its
    /// directories go.
    pub(crate) fn driver_domain_offline(&mut self, drv: usize, id: u32) {
        for n in self.nodes.iter_mut().flatten() {
            n.drv.retain_by(|d| d.slot != drv || d.dom != Some(id));
        }
    }
}
