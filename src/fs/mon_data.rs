// SPDX-License-Identifier: GPL-2.0

//! `mon_data/`: in every group, a `mon_L3_<id>` directory per online L3
//! domain with a file per event the hardware counts (`llc_occupancy`,
//! `mbm_total_bytes`, `mbm_local_bytes`). A file shows bytes: for a CTRL_MON
//! group its own RMID's count plus its MON groups', as upstream; `Error` or
//! `Unavailable` when the hardware says so.
//!
//! An open file holds a reference to its group (seed 000): the group's
//! memory stays until the file is closed, and once the group is removed
//! kernfs fails reads with `ENODEV`.

use super::{
    files::{rf, DirPriv, FileKind, MonRes, RfType},
    ResctrlFs,
};
use crate::{
    hw::arch::{Event, L3Mon},
    kapi::{kernfs::Dir, seq_file::SeqFile, vec::collect},
    model::{
        domain::DomainList,
        group::{GroupHandle, Groups},
    },
    mon::counters,
};
use core::fmt::Write;
use kernel::{c_str, fmt, prelude::*, str::CString, sync::Arc};

/// A group's `mon_L3_<id>` directories, by domain id.
pub(crate) type DomainDirs = KVec<(u32, Dir<ResctrlFs>)>;

/// The event files, in [`Event::ALL`]'s order.
pub(crate) static EVENT_FILES: [RfType; 3] = [
    rf(
        c_str!("llc_occupancy"),
        0o444,
        FileKind::Mon(Event::LlcOccupancy),
    ),
    rf(
        c_str!("mbm_total_bytes"),
        0o444,
        FileKind::Mon(Event::MbmTotal),
    ),
    rf(
        c_str!("mbm_local_bytes"),
        0o444,
        FileKind::Mon(Event::MbmLocal),
    ),
];

/// Creates `mon_data/` in `group_dir`, with a directory per online domain.
pub(crate) fn create(
    group_dir: &Dir<ResctrlFs>,
    h: &Arc<GroupHandle>,
    doms: &DomainList,
    mon: &L3Mon,
) -> Result<(Dir<ResctrlFs>, DomainDirs)> {
    let md = group_dir.create_dir(c_str!("mon_data"), 0o555, None)?;
    let list = create_domains(&md, h, doms, mon)?;
    Ok((md, list))
}

/// Creates a `mon_L3_<id>` directory in `md` per online domain.
pub(crate) fn create_domains(
    md: &Dir<ResctrlFs>,
    h: &Arc<GroupHandle>,
    doms: &DomainList,
    mon: &L3Mon,
) -> Result<DomainDirs> {
    let mut list = KVec::new();
    for &id in doms.ids() {
        let d = create_domain(md, h, id, mon)?;
        list.push((id, d), GFP_KERNEL)?;
    }
    Ok(list)
}

/// Creates `mon_L3_<id>` in `md`, with the files of the events `mon` has,
/// visible at once.
pub(crate) fn create_domain(
    md: &Dir<ResctrlFs>,
    h: &Arc<GroupHandle>,
    id: u32,
    mon: &L3Mon,
) -> Result<Dir<ResctrlFs>> {
    let name = CString::try_from_fmt(fmt!("mon_L3_{:02}", id))?;
    let data = KBox::new(
        DirPriv::MonDomain {
            group: h.clone(),
            dom_id: id,
            res: MonRes::L3,
        },
        GFP_KERNEL,
    )?;
    let d = md.create_dir(&name, 0o555, Some(data))?;
    for f in EVENT_FILES.iter() {
        if let FileKind::Mon(evt) = f.kind {
            if mon.has(evt) {
                d.create_file(f.name, f.mode, f)?;
            }
        }
    }
    d.activate();
    Ok(d)
}

/// Shows event `evt` of group `h` in domain `dom_id`.
pub(crate) fn show(
    evt: Event,
    h: &GroupHandle,
    dom_id: u32,
    fs: &Groups,
    doms: &DomainList,
    m: &mut SeqFile<'_>,
) -> Result {
    // A read that raced with the removal of the group or the domain.
    fs.slot_of(Some(h)).ok_or(ENOENT)?;
    let i = doms.find(dom_id).ok_or(ENODEV)?;
    let rmids = collect(h.rmids())?;
    let reading = counters::read(fs.arch, doms.at(i), &rmids, evt)?;
    writeln!(m, "{reading}")?;
    Ok(())
}
