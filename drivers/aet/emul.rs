// SPDX-License-Identifier: GPL-2.0

//! An emulated telemetry source, for machines without the hardware (QEMU):
//! per package one aggregator of each known layout, whose counters advance
//! with the time the resctrl-rs emulation charges to each RMID
//! ([`kernel::resctrl::emul::rmid_time`]).
//!
//! A busy emulated CPU runs at 2 GHz (1 GHz reference clock), retires 3
//! micro-operations per nanosecond, stalls on an LLC hit a fifth and on a
//! miss a twentieth of its time, uses 1.5 W and switches 2 nF a nanosecond.
//! The idle task is not charged, so C1 and C6 residency stay 0. An RMID
//! that never ran in a package has no valid data there.

use crate::telemetry::{EventId, Region, TelemetrySource, DATA_BITS, DATA_VALID, GROUPS};
use kernel::{prelude::*, resctrl::emul};

/// The packages the emulation is asked about.
const MAX_PACKAGES: u32 = 64;

/// The emulated aggregators.
pub(crate) struct EmulSource {
    regions: KVec<Region>,
    /// Per region, its layout in [`GROUPS`].
    layout: KVec<usize>,
}

impl EmulSource {
    /// The aggregators of the packages the emulation has; `ENODEV` without
    /// the emulation.
    pub(crate) fn new() -> Result<Self> {
        let (mut regions, mut layout) = (KVec::new(), KVec::new());
        for pkg in 0..MAX_PACKAGES {
            match emul::has_package(pkg) {
                Ok(()) => {}
                Err(e) if e == ENODEV => return Err(ENODEV),
                Err(_) => continue,
            }
            for (g, group) in GROUPS.iter().enumerate() {
                let r = Region {
                    guid: group.guid,
                    package: pkg,
                    num_rmids: group.num_rmid,
                    size: group.mmio_size(),
                };
                regions.push(r, GFP_KERNEL)?;
                layout.push(g, GFP_KERNEL)?;
            }
        }
        Ok(Self { regions, layout })
    }
}

/// What a busy emulated CPU counts of `event` in `ns` nanoseconds.
fn count(event: EventId, ns: u64) -> u64 {
    // Joules and Farads with 18 fraction bits: `per_s` units a second,
    // floor(ns * per_s / 10^9) without 128-bit division.
    const NS_PER_S: u64 = 1_000_000_000;
    let fixed = |per_s: u64| (ns / NS_PER_S) * per_s + (ns % NS_PER_S) * per_s / NS_PER_S;
    match event {
        // 1.5 J and 2 F a second.
        EventId::CoreEnergy => fixed(3 << 17),
        EventId::Activity => fixed(2 << 18),
        EventId::StallsLlcHit => ns / 5,
        EventId::C1Res | EventId::C6Res => 0,
        EventId::UnhaltedCoreCycles => ns.saturating_mul(2),
        EventId::StallsLlcMiss => ns / 20,
        EventId::UnhaltedRefCycles => ns,
        EventId::UopsRetired => ns.saturating_mul(3),
    }
}

impl TelemetrySource for EmulSource {
    fn regions(&self) -> &[Region] {
        &self.regions
    }

    fn readq(&self, region: usize, offset: usize) -> u64 {
        let (Some(r), Some(&g)) = (self.regions.get(region), self.layout.get(region)) else {
            return 0;
        };
        let events = GROUPS[g].events;
        let (rmid, idx) = (offset / 8 / events.len(), offset / 8 % events.len());
        // The status registers after the counters read 0.
        if rmid >= GROUPS[g].num_rmid as usize {
            return 0;
        }
        match emul::rmid_time(r.package, rmid as u32) {
            Ok(ns) if ns > 0 => DATA_VALID | (count(events[idx], ns) & DATA_BITS),
            _ => 0,
        }
    }
}
