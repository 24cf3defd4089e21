// SPDX-License-Identifier: GPL-2.0

//! A resctrl driver in Rust, through `kernel::resctrl`: a package-scoped
//! resource `PKG` with one monitoring event, whose per-RMID values a test
//! sets, and a control file in every CTRL_MON group with its own checks.
//!
//! - `mon_data/mon_PKG_<id>/pkg_bytes`: a count; per RMID, what was last
//!   written to `info/PKG/pkg_values` for it (the same in every package),
//!   0 when a group takes the RMID.
//! - `info/PKG/pkg_values`: `RMID VALUE` sets an RMID's count; reading
//!   lists the RMIDs with a count, one `RMID=VALUE` per line.
//! - `<group>/pkg_weight`: the group's weight, 1 to 100, 50 in a new group.
//!
//! Bad writes fail with `EINVAL` and say why in `info/last_cmd_status`.

use core::{
    fmt::Write,
    sync::atomic::{AtomicU32, AtomicU64, Ordering},
};
use kernel::{
    c_str,
    prelude::*,
    resctrl::{self, Event, File, GroupInfo, GroupType, Place, TextBuf},
    str::CStr,
};

module! {
    type: SampleModule,
    name: "resctrl_sample_rust",
    author: "resctrl-rs developers",
    description: "resctrl-rs sample driver in Rust",
    license: "GPL",
}

/// The RMIDs and CLOSIDs the sample keeps values for.
const MAX_RMID: usize = 512;
const MAX_CLOSID: usize = 64;
const DEFAULT_WEIGHT: u32 = 50;

const FILE_VALUES: usize = 0;
const FILE_WEIGHT: usize = 1;

struct PkgSample {
    values: [AtomicU64; MAX_RMID],
    weights: [AtomicU32; MAX_CLOSID],
}

/// Two unsigned numbers separated by blanks, with an optional newline.
fn parse_pair(data: &[u8]) -> Option<(u64, u64)> {
    let text = core::str::from_utf8(data).ok()?.trim_end_matches('\n');
    let mut it = text.split_ascii_whitespace();
    let a = it.next()?.parse().ok()?;
    let b = it.next()?.parse().ok()?;
    it.next().is_none().then_some((a, b))
}

impl resctrl::Driver for PkgSample {
    const NAME: &'static CStr = c_str!("sample_rust");
    const RESOURCE: Option<&'static CStr> = Some(c_str!("PKG"));
    const SCOPE: resctrl::Scope = resctrl::Scope::Package;
    const EVENTS: &'static [Event] = &[Event::count(c_str!("pkg_bytes"))];
    const FILES: &'static [File] = &[
        File::read_write(c_str!("pkg_values"), Place::Info),
        File::read_write(c_str!("pkg_weight"), Place::CtrlMon),
    ];

    fn group_created(&self, g: &GroupInfo) -> Result {
        // A new group's count starts at 0, also on an RMID used before.
        self.values
            .get(g.rmid as usize)
            .ok_or(ENOSPC)?
            .store(0, Ordering::Relaxed);
        if g.ty == GroupType::CtrlMon {
            let w = self.weights.get(g.closid as usize).ok_or(ENOSPC)?;
            w.store(DEFAULT_WEIGHT, Ordering::Relaxed);
        }
        Ok(())
    }

    fn read_event(&self, _event: usize, _dom: u32, rmid: u32) -> Result<u64> {
        let v = self.values.get(rmid as usize).ok_or(EINVAL)?;
        Ok(v.load(Ordering::Relaxed))
    }

    fn show(&self, file: usize, g: Option<&GroupInfo>, out: &mut TextBuf<'_>) -> Result {
        match (file, g) {
            (FILE_VALUES, None) => {
                for (rmid, v) in self.values.iter().enumerate() {
                    let v = v.load(Ordering::Relaxed);
                    if v != 0 {
                        writeln!(out, "{rmid}={v}")?;
                    }
                }
            }
            (FILE_WEIGHT, Some(g)) => {
                let w = self.weights.get(g.closid as usize).ok_or(EINVAL)?;
                writeln!(out, "{}", w.load(Ordering::Relaxed))?;
            }
            _ => return Err(EINVAL),
        }
        Ok(())
    }

    fn write(
        &self,
        file: usize,
        g: Option<&GroupInfo>,
        data: &[u8],
        status: &mut TextBuf<'_>,
    ) -> Result {
        match (file, g) {
            (FILE_VALUES, None) => {
                let Some((rmid, v)) = parse_pair(data) else {
                    writeln!(status, "pkg_values: want \"RMID VALUE\"")?;
                    return Err(EINVAL);
                };
                let Some(slot) = self.values.get(rmid as usize) else {
                    writeln!(status, "pkg_values: RMID {rmid} out of range")?;
                    return Err(EINVAL);
                };
                slot.store(v, Ordering::Relaxed);
            }
            (FILE_WEIGHT, Some(g)) => {
                let text = core::str::from_utf8(data).map_err(|_| EINVAL)?;
                let w = match text.trim_end_matches('\n').parse::<u32>() {
                    Ok(w @ 1..=100) => w,
                    _ => {
                        writeln!(status, "pkg_weight: must be 1 to 100")?;
                        return Err(EINVAL);
                    }
                };
                let slot = self.weights.get(g.closid as usize).ok_or(EINVAL)?;
                slot.store(w, Ordering::Relaxed);
            }
            _ => return Err(EINVAL),
        }
        Ok(())
    }
}

struct SampleModule {
    _reg: Pin<KBox<resctrl::Registration<PkgSample>>>,
}

impl kernel::Module for SampleModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let data = PkgSample {
            values: [const { AtomicU64::new(0) }; MAX_RMID],
            weights: [const { AtomicU32::new(DEFAULT_WEIGHT) }; MAX_CLOSID],
        };
        // Unregistered when the module object is dropped, at unload.
        Ok(Self {
            _reg: resctrl::Registration::new(data, module)?,
        })
    }
}
