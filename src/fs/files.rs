// SPDX-License-Identifier: GPL-2.0

//! What the nodes of the hierarchy carry. Every file's kernfs node carries a
//! static [`RfType`], as upstream's `struct rftype`: what the file is called,
//! its mode and what it is; every directory a [`DirPriv`]; every open file
//! an [`OpenFile`].

use crate::{
    hw::arch::{ConfType, Event, Res, SchemaId},
    kapi::resctrl_driver::EventSource,
    logic::mbm_assign::parse_bool,
    model::group::GroupHandle,
};
use kernel::{c_str, prelude::*, str::CStr, sync::Arc};

/// The files of a group directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupFile {
    /// `tasks`.
    Tasks,
    /// `cpus`.
    Cpus,
    /// `cpus_list`.
    CpusList,
    /// `schemata`.
    Schemata,
    /// `mode`.
    Mode,
    /// `size`.
    Size,
    /// `ctrl_hw_id` (mounted with `-o debug`): the CLOSID.
    CtrlHwId,
    /// `mon_hw_id` (mounted with `-o debug`): the RMID.
    MonHwId,
    /// `mba_MBps_event` (mounted with `-o mba_MBps`): the bandwidth event
    /// the software controller keeps under the group's limit.
    MbaMbpsEvent,
}

/// What an `info/` file shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InfoFile {
    /// `last_cmd_status`.
    LastCmdStatus,
    /// `<schema>/num_closids`.
    NumClosids(SchemaId),
    /// `<cache>/cbm_mask`.
    CbmMask(SchemaId),
    /// `<cache>/min_cbm_bits`.
    MinCbmBits(SchemaId),
    /// `<cache>/shareable_bits`.
    ShareableBits(SchemaId),
    /// `<cache>/bit_usage`.
    BitUsage(SchemaId),
    /// `<cache>/sparse_masks`.
    SparseMasks(SchemaId),
    /// `<bandwidth>/min_bandwidth`.
    MinBandwidth(SchemaId),
    /// `<bandwidth>/bandwidth_gran`.
    BandwidthGran(SchemaId),
    /// `<bandwidth>/delay_linear`.
    DelayLinear(SchemaId),
    /// `MB/thread_throttle_mode` (Intel).
    ThrottleMode(SchemaId),
    /// `L3_MON/num_rmids`.
    NumRmids,
    /// `L3_MON/mon_features`.
    MonFeatures,
    /// `L3_MON/max_threshold_occupancy`.
    MaxThresholdOccupancy,
    /// `L3_MON/mbm_{total,local}_bytes_config` (AMD's BMEC).
    MbmConfig(Event),
}

/// The files of counter assignment (upstream 6.18), in `info/L3_MON/` and
/// in groups: see [`super::cntr_files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CntrFile {
    /// `info/L3_MON/mbm_assign_mode`.
    AssignMode,
    /// `info/L3_MON/num_mbm_cntrs`.
    NumCntrs,
    /// `info/L3_MON/available_mbm_cntrs`.
    AvailableCntrs,
    /// `info/L3_MON/mbm_assign_on_mkdir`.
    AssignOnMkdir,
    /// `info/L3_MON/event_configs/<event>/event_filter`.
    EventFilter(Event),
    /// A group's `mbm_L3_assignments`.
    Assignments,
}

/// The files of io_alloc (upstream 6.19) in a cache schema's `info/`
/// directory: see [`super::io_alloc_files`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IoAllocFile {
    /// `io_alloc`.
    Switch(SchemaId),
    /// `io_alloc_cbm`.
    Cbm(SchemaId),
}

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// A file of a group.
    Group(GroupFile),
    /// A file of `info/`.
    Info(InfoFile),
    /// An event file of `mon_data/mon_L3_<id>/`.
    Mon(Event),
    /// A file or event of a driver (see [`super::driver_files`]).
    Driver(DrvFile),
    /// A file of counter assignment.
    Cntr(CntrFile),
    /// A file of io_alloc.
    IoAlloc(IoAllocFile),
}

/// The text of a write that ends with a newline, without it, up to its
/// first NUL (upstream reads a C string); `EINVAL` without the newline or
/// for bytes that are not UTF-8.
pub(crate) fn line_of(buf: &[u8]) -> Result<&str> {
    let text = buf.strip_suffix(b"\n").ok_or(EINVAL)?;
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    core::str::from_utf8(&text[..end]).map_err(|_| EINVAL)
}

/// A write as `kstrtobool()` takes it: `"1"` or `"0"`; `EINVAL` for
/// anything else.
pub(crate) fn bool_of(buf: &[u8]) -> Result<&'static str> {
    match parse_bool(buf).ok_or(EINVAL)? {
        true => Ok("1"),
        false => Ok("0"),
    }
}

/// A file type: upstream's `struct rftype`.
#[derive(Clone, Copy)]
pub(crate) struct RfType {
    /// The file name.
    pub(crate) name: &'static CStr,
    /// Its permissions.
    pub(crate) mode: u16,
    /// What it is.
    pub(crate) kind: FileKind,
}

pub(crate) const fn rf(name: &'static CStr, mode: u16, kind: FileKind) -> RfType {
    RfType { name, mode, kind }
}

use FileKind::{Group as G, Info as I};

/// The files of a CTRL_MON group (and of the default group).
pub(crate) static CTRL_FILES: [RfType; 6] = [
    rf(c_str!("tasks"), 0o644, G(GroupFile::Tasks)),
    rf(c_str!("cpus"), 0o644, G(GroupFile::Cpus)),
    rf(c_str!("cpus_list"), 0o644, G(GroupFile::CpusList)),
    rf(c_str!("schemata"), 0o644, G(GroupFile::Schemata)),
    rf(c_str!("mode"), 0o644, G(GroupFile::Mode)),
    rf(c_str!("size"), 0o444, G(GroupFile::Size)),
];

/// The files of a MON group, and of a CTRL_MON group without allocation.
pub(crate) static MON_FILES: [RfType; 3] = [
    rf(c_str!("tasks"), 0o644, G(GroupFile::Tasks)),
    rf(c_str!("cpus"), 0o644, G(GroupFile::Cpus)),
    rf(c_str!("cpus_list"), 0o644, G(GroupFile::CpusList)),
];

/// `ctrl_hw_id`, in CTRL_MON groups when mounted with `-o debug`.
pub(crate) static CTRL_HW_ID: RfType = rf(c_str!("ctrl_hw_id"), 0o444, G(GroupFile::CtrlHwId));

/// `mon_hw_id`, in every group with an RMID when mounted with `-o debug`.
pub(crate) static MON_HW_ID: RfType = rf(c_str!("mon_hw_id"), 0o444, G(GroupFile::MonHwId));

/// `mba_MBps_event`, in CTRL_MON groups when mounted with `-o mba_MBps`.
pub(crate) static MBA_MBPS_EVENT: RfType =
    rf(c_str!("mba_MBps_event"), 0o644, G(GroupFile::MbaMbpsEvent));

/// `info/last_cmd_status`.
pub(crate) static LAST_CMD_STATUS: RfType =
    rf(c_str!("last_cmd_status"), 0o444, I(InfoFile::LastCmdStatus));

/// The files of a cache schema's `info/` directory.
const fn info_cache(r: SchemaId) -> [RfType; 6] {
    [
        rf(c_str!("num_closids"), 0o444, I(InfoFile::NumClosids(r))),
        rf(c_str!("cbm_mask"), 0o444, I(InfoFile::CbmMask(r))),
        rf(c_str!("min_cbm_bits"), 0o444, I(InfoFile::MinCbmBits(r))),
        rf(
            c_str!("shareable_bits"),
            0o444,
            I(InfoFile::ShareableBits(r)),
        ),
        rf(c_str!("bit_usage"), 0o444, I(InfoFile::BitUsage(r))),
        rf(c_str!("sparse_masks"), 0o444, I(InfoFile::SparseMasks(r))),
    ]
}

/// The files of a bandwidth resource's `info/` directory.
const fn info_bw(r: SchemaId) -> [RfType; 4] {
    [
        rf(c_str!("num_closids"), 0o444, I(InfoFile::NumClosids(r))),
        rf(c_str!("min_bandwidth"), 0o444, I(InfoFile::MinBandwidth(r))),
        rf(
            c_str!("bandwidth_gran"),
            0o444,
            I(InfoFile::BandwidthGran(r)),
        ),
        rf(c_str!("delay_linear"), 0o444, I(InfoFile::DelayLinear(r))),
    ]
}

/// `info/L3/`.
static INFO_L3: [RfType; 6] = info_cache(SchemaId::whole(Res::L3));
/// `info/L3CODE/`.
static INFO_L3CODE: [RfType; 6] = info_cache(SchemaId {
    res: Res::L3,
    ty: ConfType::Code,
});
/// `info/L3DATA/`.
static INFO_L3DATA: [RfType; 6] = info_cache(SchemaId {
    res: Res::L3,
    ty: ConfType::Data,
});
/// `info/L2/`.
static INFO_L2: [RfType; 6] = info_cache(SchemaId::whole(Res::L2));
/// `info/L2CODE/`.
static INFO_L2CODE: [RfType; 6] = info_cache(SchemaId {
    res: Res::L2,
    ty: ConfType::Code,
});
/// `info/L2DATA/`.
static INFO_L2DATA: [RfType; 6] = info_cache(SchemaId {
    res: Res::L2,
    ty: ConfType::Data,
});
/// `info/MB/`, but for `thread_throttle_mode`.
static INFO_MB: [RfType; 4] = info_bw(SchemaId::whole(Res::Mb));
/// `info/SMBA/`.
static INFO_SMBA: [RfType; 4] = info_bw(SchemaId::whole(Res::Smba));

/// The files of schema `s`'s `info/` directory, but for
/// [`INFO_MB_THROTTLE`].
pub(crate) fn info_files(s: SchemaId) -> &'static [RfType] {
    match (s.res, s.ty) {
        (Res::L3, ConfType::Both) => &INFO_L3,
        (Res::L3, ConfType::Code) => &INFO_L3CODE,
        (Res::L3, ConfType::Data) => &INFO_L3DATA,
        (Res::L2, ConfType::Both) => &INFO_L2,
        (Res::L2, ConfType::Code) => &INFO_L2CODE,
        (Res::L2, ConfType::Data) => &INFO_L2DATA,
        (Res::Mb, _) => &INFO_MB,
        (Res::Smba, _) => &INFO_SMBA,
    }
}

/// The io_alloc files of a cache schema's `info/` directory.
const fn info_io_alloc(r: SchemaId) -> [RfType; 2] {
    [
        rf(
            c_str!("io_alloc"),
            0o644,
            FileKind::IoAlloc(IoAllocFile::Switch(r)),
        ),
        rf(
            c_str!("io_alloc_cbm"),
            0o644,
            FileKind::IoAlloc(IoAllocFile::Cbm(r)),
        ),
    ]
}

/// The io_alloc files of each cache schema, in [`info_files`]' order.
static IO_ALLOC: [[RfType; 2]; 6] = [
    info_io_alloc(SchemaId::whole(Res::L3)),
    info_io_alloc(SchemaId {
        res: Res::L3,
        ty: ConfType::Code,
    }),
    info_io_alloc(SchemaId {
        res: Res::L3,
        ty: ConfType::Data,
    }),
    info_io_alloc(SchemaId::whole(Res::L2)),
    info_io_alloc(SchemaId {
        res: Res::L2,
        ty: ConfType::Code,
    }),
    info_io_alloc(SchemaId {
        res: Res::L2,
        ty: ConfType::Data,
    }),
];

/// The io_alloc files of cache schema `s`'s `info/` directory, where L3
/// has io_alloc (every cache's, as upstream: others say `not supported`).
pub(crate) fn io_alloc_files(s: SchemaId) -> &'static [RfType] {
    let i = match (s.res, s.ty) {
        (Res::L3, ConfType::Both) => 0,
        (Res::L3, ConfType::Code) => 1,
        (Res::L3, ConfType::Data) => 2,
        (Res::L2, ConfType::Both) => 3,
        (Res::L2, ConfType::Code) => 4,
        (Res::L2, ConfType::Data) => 5,
        (Res::Mb | Res::Smba, _) => return &[],
    };
    &IO_ALLOC[i]
}

/// `info/MB/thread_throttle_mode`, where the hardware has a throttle mode
/// (Intel).
pub(crate) static INFO_MB_THROTTLE: RfType = rf(
    c_str!("thread_throttle_mode"),
    0o444,
    I(InfoFile::ThrottleMode(SchemaId::whole(Res::Mb))),
);

/// `info/L3_MON/`.
pub(crate) static INFO_L3_MON: [RfType; 3] = [
    rf(c_str!("num_rmids"), 0o444, I(InfoFile::NumRmids)),
    rf(c_str!("mon_features"), 0o444, I(InfoFile::MonFeatures)),
    rf(
        c_str!("max_threshold_occupancy"),
        0o644,
        I(InfoFile::MaxThresholdOccupancy),
    ),
];

/// `info/L3_MON/`'s event configuration files, with BMEC.
pub(crate) static INFO_MBM_CONFIG: [RfType; 2] = [
    rf(
        c_str!("mbm_total_bytes_config"),
        0o644,
        I(InfoFile::MbmConfig(Event::MbmTotal)),
    ),
    rf(
        c_str!("mbm_local_bytes_config"),
        0o644,
        I(InfoFile::MbmConfig(Event::MbmLocal)),
    ),
];

/// `info/L3_MON/mbm_assign_mode`, wherever there is L3 monitoring.
pub(crate) static INFO_ASSIGN_MODE: RfType = rf(
    c_str!("mbm_assign_mode"),
    0o644,
    FileKind::Cntr(CntrFile::AssignMode),
);

/// `info/L3_MON/`'s files of counter assignment, where the hardware has
/// assignable counters.
pub(crate) static INFO_CNTRS: [RfType; 3] = [
    rf(
        c_str!("num_mbm_cntrs"),
        0o444,
        FileKind::Cntr(CntrFile::NumCntrs),
    ),
    rf(
        c_str!("available_mbm_cntrs"),
        0o444,
        FileKind::Cntr(CntrFile::AvailableCntrs),
    ),
    rf(
        c_str!("mbm_assign_on_mkdir"),
        0o644,
        FileKind::Cntr(CntrFile::AssignOnMkdir),
    ),
];

/// `event_filter` in `info/L3_MON/event_configs/<event>/`, per bandwidth
/// event, in [`crate::mon::cntrs::MBM_EVENTS`]' order.
pub(crate) static EVENT_FILTER: [RfType; 2] = [
    rf(
        c_str!("event_filter"),
        0o644,
        FileKind::Cntr(CntrFile::EventFilter(Event::MbmTotal)),
    ),
    rf(
        c_str!("event_filter"),
        0o644,
        FileKind::Cntr(CntrFile::EventFilter(Event::MbmLocal)),
    ),
];

/// `mbm_L3_assignments`, in every group with an RMID where the hardware
/// has assignable counters.
pub(crate) static MBM_L3_ASSIGNMENTS: RfType = rf(
    c_str!("mbm_L3_assignments"),
    0o644,
    FileKind::Cntr(CntrFile::Assignments),
);

/// A driver's file or event, as its kernfs file type names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DrvFile {
    /// The driver's slot.
    pub(crate) slot: u8,
    /// The index of the file or event in the driver's description, or of
    /// the file of `info/<RES>_MON/`.
    pub(crate) idx: u8,
    /// What it is.
    pub(crate) kind: DrvKind,
}

/// What a driver's file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DrvKind {
    /// A file the driver declared: the driver shows it and takes writes.
    File,
    /// An event of `mon_data/mon_<RES>_<id>/`.
    Event,
    /// A file of `info/<RES>_MON/`: `num_rmids` (0) or `mon_features` (1),
    /// which the core shows from the description.
    MonInfo,
}

/// What a directory of the hierarchy carries.
pub(crate) enum DirPriv {
    /// A group's directory.
    Group(Arc<GroupHandle>),
    /// `info/` and its subdirectories.
    Info,
    /// A `mon_groups` directory, where MON groups are made.
    MonGroups,
    /// A group's `mon_data/mon_<RES>_<id>` directory.
    MonDomain {
        /// The group.
        group: Arc<GroupHandle>,
        /// The domain id.
        dom_id: u32,
        /// Whose domain it is.
        res: MonRes,
    },
}

/// The resource of a `mon_data/mon_<RES>_<id>` directory.
pub(crate) enum MonRes {
    /// The core's L3 monitoring.
    L3,
    /// A driver's resource: its events, for perf.
    Driver(Arc<EventSource>),
}

/// What an open file holds from `open` to `release`: for a group or
/// monitoring file, a reference to the group (the default group's too; `None`
/// for the files of `info/`); for a monitoring file, the domain id; for a
/// driver's file, the registration number of its driver. Seed 000: see
/// [`super::hierarchy`].
pub(crate) struct OpenFile {
    pub(crate) group: Option<Arc<GroupHandle>>,
    pub(crate) dom_id: u32,
    pub(crate) reg: u64,
}
