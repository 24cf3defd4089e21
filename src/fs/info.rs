// SPDX-License-Identifier: GPL-2.0

//! The `info/` directory: what the hardware offers, and what the last
//! command said.

use super::files::InfoFile;
use crate::{
    hw::arch::{Event, Res},
    logic::{alloc_policy, ctrlval::parse_unsigned},
    model::{domain::DomainList, group::Groups, last_cmd::LastCmd},
    mon::limbo,
};
use core::fmt::Write;
use kernel::prelude::*;

/// Shows `info/` file `f`; `threshold` is what was written to
/// `max_threshold_occupancy`, `fs` the groups if mounted.
pub(crate) fn show(
    f: InfoFile,
    last_cmd: &LastCmd,
    threshold: Option<u32>,
    fs: Option<&Groups>,
    doms: &DomainList,
    m: &mut impl Write,
) -> Result {
    if f == InfoFile::LastCmdStatus {
        let s = last_cmd.as_str();
        if s.is_empty() {
            writeln!(m, "ok")?;
        } else {
            write!(m, "{s}")?;
        }
        return Ok(());
    }
    let fs = fs.ok_or(ENODEV)?;
    let arch = fs.arch;
    let l3 = arch.l3_alloc();
    let mb = arch.mb_alloc();
    let mon = arch.l3_mon();
    match f {
        InfoFile::LastCmdStatus => {}
        InfoFile::NumClosids(Res::L3) => writeln!(m, "{}", l3.ok_or(ENODEV)?.num_closid)?,
        InfoFile::NumClosids(Res::Mb) => writeln!(m, "{}", mb.ok_or(ENODEV)?.num_closid)?,
        InfoFile::CbmMask => writeln!(m, "{:x}", l3.ok_or(ENODEV)?.props.full_mask())?,
        InfoFile::MinCbmBits => writeln!(m, "{}", l3.ok_or(ENODEV)?.props.min_cbm_bits)?,
        InfoFile::ShareableBits => writeln!(m, "{:x}", l3.ok_or(ENODEV)?.props.shareable_bits)?,
        InfoFile::SparseMasks => writeln!(m, "{}", l3.ok_or(ENODEV)?.props.sparse_masks as u32)?,
        InfoFile::BitUsage => {
            let l3 = l3.ok_or(ENODEV)?;
            for (d, &id) in doms.ids().iter().enumerate() {
                if d > 0 {
                    write!(m, ";")?;
                }
                alloc_policy::fmt_bit_usage(m, id, &l3.props, fs.others(doms, Res::L3, d, None))?;
            }
            writeln!(m)?;
        }
        InfoFile::MinBandwidth => writeln!(m, "{}", mb.ok_or(ENODEV)?.props.min_bw)?,
        InfoFile::BandwidthGran => writeln!(m, "{}", mb.ok_or(ENODEV)?.props.bw_gran)?,
        InfoFile::DelayLinear => writeln!(m, "{}", mb.ok_or(ENODEV)?.props.delay_linear as u32)?,
        InfoFile::ThrottleMode => writeln!(m, "max")?,
        InfoFile::NumRmids => writeln!(m, "{}", mon.ok_or(ENODEV)?.num_rmid)?,
        InfoFile::MonFeatures => {
            let mon = mon.ok_or(ENODEV)?;
            for (e, _) in Event::ALL.iter().zip(mon.events).filter(|(_, on)| *on) {
                writeln!(m, "{}", e.name())?;
            }
        }
        InfoFile::MaxThresholdOccupancy => {
            mon.ok_or(ENODEV)?;
            writeln!(m, "{}", limbo::threshold(threshold, doms, arch))?
        }
    }
    Ok(())
}

/// The value of a write of `info/` file `f`: only
/// `max_threshold_occupancy` takes one, a number of bytes.
pub(crate) fn parse(f: InfoFile, buf: &[u8]) -> Result<u64> {
    if f != InfoFile::MaxThresholdOccupancy {
        return Err(EINVAL);
    }
    let text = core::str::from_utf8(buf).map_err(|_| EINVAL)?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    parse_unsigned(text, 10).ok_or(EINVAL)
}

/// Takes `bytes` (from [`parse`]) as `max_threshold_occupancy`: at most
/// the L3 size, rounded down to the counter's unit.
pub(crate) fn write_threshold(
    bytes: u64,
    threshold: &mut Option<u32>,
    fs: &Groups,
    doms: &DomainList,
) -> Result {
    if bytes > limbo::limit(doms) as u64 {
        return Err(EINVAL);
    }
    let scale = fs.arch.l3_mon().ok_or(ENODEV)?.scale;
    *threshold = Some(bytes as u32 / scale * scale);
    Ok(())
}
