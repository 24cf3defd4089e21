// SPDX-License-Identifier: GPL-2.0

//! The `info/` directory: what the hardware offers, and what the last
//! command said.

use super::files::InfoFile;
use crate::{
    hw::arch::{Event, SchemaId},
    logic::{alloc_policy, ctrlval::parse_unsigned, evt_cfg},
    model::{domain::DomainList, group::Groups, last_cmd::LastCmd},
    mon::{counters, limbo},
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
    let mon = arch.l3_mon();
    let alloc = |s: SchemaId| arch.alloc(s.res).ok_or(ENODEV);
    let cache = |s: SchemaId| alloc(s)?.cache().ok_or(ENODEV);
    let bw = |s: SchemaId| alloc(s)?.mb().ok_or(ENODEV);
    match f {
        InfoFile::LastCmdStatus => {}
        InfoFile::NumClosids(r) => writeln!(m, "{}", fs.schema_closids(r))?,
        InfoFile::CbmMask(r) => writeln!(m, "{:x}", cache(r)?.full_mask())?,
        InfoFile::MinCbmBits(r) => writeln!(m, "{}", cache(r)?.min_cbm_bits)?,
        InfoFile::ShareableBits(r) => writeln!(m, "{:x}", cache(r)?.shareable_bits)?,
        InfoFile::SparseMasks(r) => writeln!(m, "{}", cache(r)?.sparse_masks as u32)?,
        InfoFile::BitUsage(r) => {
            let props = cache(r)?;
            for (d, &id) in doms.ids_of(r.res).iter().enumerate() {
                if d > 0 {
                    write!(m, ";")?;
                }
                alloc_policy::fmt_bit_usage(m, id, props, fs.masks_of(doms, r, d))?;
            }
            writeln!(m)?;
        }
        InfoFile::MinBandwidth(r) => writeln!(m, "{}", bw(r)?.min_bw)?,
        InfoFile::BandwidthGran(r) => writeln!(m, "{}", bw(r)?.bw_gran)?,
        InfoFile::DelayLinear(r) => writeln!(m, "{}", bw(r)?.delay_linear as u32)?,
        InfoFile::ThrottleMode(r) => writeln!(m, "{}", alloc(r)?.throttle_mode.ok_or(ENODEV)?)?,
        InfoFile::NumRmids => writeln!(m, "{}", mon.ok_or(ENODEV)?.num_rmid)?,
        InfoFile::MonFeatures => {
            let mon = mon.ok_or(ENODEV)?;
            for (e, _) in Event::ALL.iter().zip(mon.events).filter(|(_, on)| *on) {
                writeln!(m, "{}", e.name())?;
                // With BMEC, each bandwidth event's configuration follows
                // it, as upstream lists them, but while counter assignment
                // is on (when the files are not there).
                let bmec = mon.bmec.is_some() && !arch.cntr_assign_enabled();
                if bmec && e.config_index().is_some() {
                    writeln!(m, "{}_config", e.name())?;
                }
            }
        }
        InfoFile::MaxThresholdOccupancy => {
            mon.ok_or(ENODEV)?;
            writeln!(m, "{}", limbo::threshold(threshold, doms, arch))?
        }
        InfoFile::MbmConfig(evt) => {
            // `<id>=0x<bits>` per domain, read from the hardware.
            for (d, e) in doms.iter().enumerate() {
                let cpu = e.cpu(None).ok_or(ENODEV)?;
                let bits = arch.evt_cfg(cpu, evt)?;
                let sep = if d == 0 { "" } else { ";" };
                write!(m, "{sep}{}={bits:#04x}", e.dom.id)?;
            }
            writeln!(m)?;
        }
    }
    Ok(())
}

/// The text of a write of `info/` file `f`, if it is a writable one:
/// `max_threshold_occupancy`, or an event configuration (which must end
/// with a newline, as upstream). As upstream reads a C string, the text
/// ends at a NUL, if there is one, as at a newline.
pub(crate) fn parse(f: InfoFile, buf: &[u8]) -> Result<&str> {
    match f {
        InfoFile::MaxThresholdOccupancy => {}
        InfoFile::MbmConfig(_) if buf.last() == Some(&b'\n') => {}
        _ => return Err(EINVAL),
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    let text = core::str::from_utf8(&buf[..end]).map_err(|_| EINVAL)?;
    Ok(text.strip_suffix('\n').unwrap_or(text))
}

/// Takes a write of `text` (from [`parse`]) to `info/` file `f`.
pub(crate) fn write(
    f: InfoFile,
    text: &str,
    threshold: &mut Option<u32>,
    fs: &Groups,
    doms: &DomainList,
    last_cmd: &mut LastCmd,
) -> Result {
    match f {
        InfoFile::MbmConfig(evt) => write_mbm_config(evt, text, fs, doms, last_cmd),
        _ => {
            let bytes = parse_unsigned(text, 10).ok_or(EINVAL)?;
            write_threshold(bytes, threshold, fs, doms)
        }
    }
}

/// Takes `bytes` as `max_threshold_occupancy`: at most the L3 size,
/// rounded down to the counter's unit.
fn write_threshold(
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

/// Takes a write of `mbm_{total,local}_bytes_config` (`body`, without its
/// final newline), upstream's `mon_config_write()`: each `<id>=<bits>`
/// entry is applied as it is read, to a domain whose bits change: the
/// hardware starts its bandwidth counters over, and so do their totals.
fn write_mbm_config(
    evt: Event,
    body: &str,
    fs: &Groups,
    doms: &DomainList,
    log: &mut LastCmd,
) -> Result {
    log.clear();
    let arch = fs.arch;
    let mask = arch.l3_mon().and_then(|m| m.bmec).ok_or(ENODEV)?;
    // A write that raced with the switch to counter assignment, which
    // took the file away.
    if arch.cntr_assign_enabled() {
        return Err(ENODEV);
    }
    for entry in evt_cfg::entries(body, mask) {
        let (id, bits) = entry
            .inspect_err(|e| {
                let _ = writeln!(log, "{e}");
            })
            .map_err(|_| EINVAL)?;
        // An unknown domain: EINVAL without a message, as upstream.
        let i = u32::try_from(id)
            .ok()
            .and_then(|id| doms.find(id))
            .ok_or(EINVAL)?;
        let e = doms.at(i);
        let cpu = e.cpu(None).ok_or(ENODEV)?;
        if arch.evt_cfg(cpu, evt)? == bits {
            continue;
        }
        counters::set_evt_cfg(arch, e, evt, bits)?;
    }
    Ok(())
}
