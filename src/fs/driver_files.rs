// SPDX-License-Identifier: GPL-2.0

//! What drivers show in the file system, and the reads and writes of it.
//!
//! A kernfs file carries a `&'static` file type ([`RfType`]). Driver files
//! come and go, so they use a static pool: each registered driver leases a
//! slot ([`crate::model::driver::SlotLease`]) with a file type per declared file and per event,
//! and gives it back only once its files are removed. An open file records
//! the registration number of its slot's driver at `open`, when kernfs
//! keeps the file from removal, so a stale file never reaches a later
//! driver of the same slot; it finds its own driver gone (`ENODEV`).

use super::{
    files::{DirPriv, DrvFile, DrvKind, FileKind, MonRes, RfType},
    ResctrlFs,
};
use crate::{
    kapi::{
        cpu,
        kernfs::{Dir, File},
        resctrl_driver::MAX_ITEMS,
        seq_file::SeqFile,
        vec::collect,
    },
    logic::fixed_point::FixedPoint,
    model::{
        driver::{DriverEntry, DriverList, MAX_DRIVERS},
        group::{GroupHandle, Groups},
        last_cmd::LastCmd,
    },
    mon::counters::Reading,
};
use core::fmt::Write;
use kernel::{bindings, c_str, fmt, prelude::*, str::CString, sync::Arc};

const fn table<const N: usize>(kind: DrvKind) -> [[RfType; N]; MAX_DRIVERS] {
    let blank = RfType {
        name: c_str!(""),
        mode: 0,
        kind: FileKind::Driver(DrvFile {
            slot: 0,
            idx: 0,
            kind,
        }),
    };
    let mut t = [[blank; N]; MAX_DRIVERS];
    let mut s = 0;
    while s < MAX_DRIVERS {
        let mut i = 0;
        while i < N {
            t[s][i].kind = FileKind::Driver(DrvFile {
                slot: s as u8,
                idx: i as u8,
                kind,
            });
            i += 1;
        }
        s += 1;
    }
    t
}

/// The file types of drivers' declared files, by slot and index. Names and
/// modes come from the description when the files are made.
static FILE_TYPES: [[RfType; MAX_ITEMS]; MAX_DRIVERS] = table(DrvKind::File);
/// The file types of drivers' events.
static EVENT_TYPES: [[RfType; MAX_ITEMS]; MAX_DRIVERS] = table(DrvKind::Event);
/// The file types of `info/<RES>_MON/`, by [`MON_INFO_FILES`] index.
static MON_INFO_TYPES: [[RfType; 2]; MAX_DRIVERS] = table(DrvKind::MonInfo);

/// The files of `info/<RES>_MON/`, as upstream's for a monitoring resource.
pub(crate) const MON_INFO_FILES: [&CStr; 2] = [c_str!("num_rmids"), c_str!("mon_features")];

/// The file type of a driver's file `idx`.
pub(crate) fn file_type(slot: usize, idx: usize) -> &'static RfType {
    &FILE_TYPES[slot][idx]
}

/// The file type of file `idx` of [`MON_INFO_FILES`] for the driver in
/// `slot`.
pub(crate) fn mon_info_type(slot: usize, idx: usize) -> &'static RfType {
    &MON_INFO_TYPES[slot][idx]
}

/// Something a driver shows in a group, removed when dropped.
pub(crate) struct DrvNode {
    /// The driver's slot.
    pub(crate) slot: usize,
    /// The domain of a `mon_<RES>_<id>` directory.
    pub(crate) dom: Option<u32>,
    _node: NodeHandle,
}

/// Held only for its `Drop`, which removes the node.
#[allow(dead_code)]
enum NodeHandle {
    File(File<ResctrlFs>),
    Dir(Dir<ResctrlFs>),
}

impl DrvNode {
    /// A file of driver slot `slot`.
    pub(crate) fn file(slot: usize, f: File<ResctrlFs>) -> Self {
        Self {
            slot,
            dom: None,
            _node: NodeHandle::File(f),
        }
    }
}

/// Creates `mon_<RES>_<id>` in `md` (a group's `mon_data`) for domain `id`
/// of driver `e`, with a file per event, visible at once.
pub(crate) fn create_mon_dir(
    md: &Dir<ResctrlFs>,
    h: &Arc<GroupHandle>,
    e: &DriverEntry,
    id: u32,
) -> Result<DrvNode> {
    let res = e.desc.resource().ok_or(EINVAL)?;
    let name = CString::try_from_fmt(fmt!("mon_{}_{:02}", res, id))?;
    let data = KBox::new(
        DirPriv::MonDomain {
            group: h.clone(),
            dom_id: id,
            res: MonRes::Driver(e.desc.source().clone()),
        },
        GFP_KERNEL,
    )?;
    let d = md.create_dir(&name, 0o555, Some(data))?;
    let types = EVENT_TYPES[e.slot()].iter().take(e.desc.nr_events());
    for (i, rf) in types.enumerate() {
        d.create_file(e.desc.event(i).name, 0o444, rf)?;
    }
    d.activate();
    Ok(DrvNode {
        slot: e.slot(),
        dom: Some(id),
        _node: NodeHandle::Dir(d),
    })
}

/// Shows driver file `f` of `h` (`None` for `info/`), opened while the
/// driver with registration number `reg` held its slot; for an event, of
/// domain `dom_id`.
pub(crate) fn show(
    f: DrvFile,
    reg: u64,
    h: Option<&GroupHandle>,
    dom_id: u32,
    fs: &Groups,
    drivers: &DriverList,
    m: &mut SeqFile<'_>,
) -> Result {
    let e = drivers.find(f.slot as usize, reg).ok_or(ENODEV)?;
    let grp = match h {
        Some(h) => Some(fs.group_info(fs.slot_of(Some(h)).ok_or(ENOENT)?)),
        None => None,
    };
    match f.kind {
        DrvKind::Event => return show_event(e, f.idx as usize, h.ok_or(ENODEV)?, dom_id, m),
        DrvKind::MonInfo => return show_mon_info(e, f.idx as usize, fs, m),
        DrvKind::File => {}
    }
    let mut buf = KVec::from_elem(0u8, bindings::PAGE_SIZE, GFP_KERNEL)?;
    let n = e.desc.show(f.idx as usize, grp, &mut buf)?;
    m.write_str(core::str::from_utf8(&buf[..n]).map_err(|_| EIO)?)?;
    Ok(())
}

/// Shows file `idx` of [`MON_INFO_FILES`] of driver `e`: its resource's
/// RMIDs (the core's if it did not say), or its events, a line each.
fn show_mon_info(e: &DriverEntry, idx: usize, fs: &Groups, m: &mut SeqFile<'_>) -> Result {
    if idx == 0 {
        let core = fs.arch.l3_mon().map_or(1, |mon| mon.num_rmid);
        writeln!(m, "{}", e.desc.num_rmids().unwrap_or(core))?;
    } else {
        for i in 0..e.desc.nr_events() {
            writeln!(m, "{}", e.desc.event(i).name)?;
        }
    }
    Ok(())
}

/// Shows event `idx` of driver `e` for group `h` in domain `dom_id`: the
/// sum over the group's RMIDs, read on a CPU of the domain, as the core's
/// L3 events (RMIDs that fail are left out unless all fail).
fn show_event(
    e: &DriverEntry,
    idx: usize,
    h: &GroupHandle,
    dom_id: u32,
    m: &mut SeqFile<'_>,
) -> Result {
    let d = e.doms.iter().find(|d| d.id == dom_id).ok_or(ENODEV)?;
    let c = d.cpus.iter().next().ok_or(ENODEV)?;
    let rmids = collect(h.rmids())?;
    let (mut sum, mut ok, mut err) = (0u64, false, None);
    let src = e.desc.source();
    let mut r = Ok(());
    cpu::call_on_cpu(c, || {
        r = src.reader(c, dom_id).map(|rd| {
            for &rmid in rmids.iter() {
                match rd.read(idx, rmid) {
                    Ok(v) => {
                        sum = sum.wrapping_add(v);
                        ok = true;
                    }
                    Err(x) => err = Some(x),
                }
            }
        });
    })?;
    r?;
    let reading = match (ok, err) {
        (false, Some(x)) if x == EAGAIN => Reading::Unavailable,
        (false, Some(_)) => Reading::Error,
        _ => Reading::Bytes(sum),
    };
    match (reading, e.desc.event(idx).frac_bits) {
        (Reading::Bytes(v), bits @ 1..) => writeln!(m, "{}", FixedPoint::new(v, bits))?,
        _ => writeln!(m, "{reading}")?,
    }
    Ok(())
}

/// Takes a write of driver file `f` (a declared file, not an event) of
/// `h` (`None` for `info/`), opened while the driver with registration
/// number `reg` held its slot; the driver's message goes to
/// `info/last_cmd_status`.
pub(crate) fn write(
    f: DrvFile,
    reg: u64,
    h: Option<&GroupHandle>,
    fs: &Groups,
    drivers: &DriverList,
    last_cmd: &mut LastCmd,
    buf: &[u8],
) -> Result {
    let e = drivers.find(f.slot as usize, reg).ok_or(ENODEV)?;
    let grp = match h {
        Some(h) => Some(fs.group_info(fs.slot_of(Some(h)).ok_or(ENOENT)?)),
        None => None,
    };
    let mut status = [0u8; bindings::RESCTRL_DRIVER_STATUS_LEN as usize];
    let r = e.desc.write(f.idx as usize, grp, buf, &mut status);
    let len = status.iter().position(|&b| b == 0).unwrap_or(status.len());
    if let Ok(msg) = core::str::from_utf8(&status[..len]) {
        if !msg.is_empty() {
            let _ = last_cmd.write_str(msg);
            if !msg.ends_with('\n') {
                let _ = last_cmd.write_str("\n");
            }
        }
    }
    r
}
