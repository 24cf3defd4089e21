// SPDX-License-Identifier: GPL-2.0

//! The `info/` directory: what the hardware offers, and what the last
//! command said.

use crate::{
    fs::files::InfoFile,
    hw::arch::{Event, Res},
    logic::alloc_policy,
    logic::ctrlval::parse_unsigned,
    mon::limbo,
    state,
};
use core::fmt::Write;
use kernel::prelude::*;

/// Shows `info/` file `f`.
pub(crate) fn show(f: InfoFile, m: &mut impl Write) -> Result {
    let st = state::lock()?;
    if f == InfoFile::LastCmdStatus {
        let s = st.last_cmd.as_str();
        if s.is_empty() {
            writeln!(m, "ok")?;
        } else {
            write!(m, "{s}")?;
        }
        return Ok(());
    }
    let fs = st.fs.as_deref().ok_or(ENODEV)?;
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
            for (d, &id) in st.doms.ids().iter().enumerate() {
                if d > 0 {
                    write!(m, ";")?;
                }
                alloc_policy::fmt_bit_usage(
                    m,
                    id,
                    &l3.props,
                    fs.others(&st.doms, Res::L3, d, None),
                )?;
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
            writeln!(m, "{}", limbo::threshold(st.threshold, &st.doms, arch))?
        }
    }
    Ok(())
}

/// Takes a write of `info/` file `f`.
pub(crate) fn write(f: InfoFile, buf: &mut [u8]) -> Result<usize> {
    let n = buf.len();
    if f != InfoFile::MaxThresholdOccupancy {
        return Err(EINVAL);
    }
    let text = core::str::from_utf8(buf).map_err(|_| EINVAL)?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    let bytes = parse_unsigned(text, 10).ok_or(EINVAL)?;
    let mut st = state::lock()?;
    st.last_cmd.clear();
    st.fs.as_deref().ok_or(ENODEV)?;
    if bytes > limbo::limit(&st.doms) as u64 {
        return Err(EINVAL);
    }
    let scale = st
        .fs
        .as_deref()
        .and_then(|fs| fs.arch.l3_mon())
        .ok_or(ENODEV)?
        .scale;
    st.threshold = Some(bytes as u32 / scale * scale);
    Ok(n)
}
