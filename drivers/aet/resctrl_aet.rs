// SPDX-License-Identifier: GPL-2.0

//! Package telemetry (Intel's Application Energy Telemetry) as a resctrl
//! driver: the resource `PERF_PKG` of upstream 7.0, package scoped, with
//! `info/PERF_PKG_MON/{num_rmids,mon_features}` and in every group
//! `mon_data/mon_PERF_PKG_<id>/` with upstream's events: `core_energy` and
//! `activity` in fixed point (six decimals), the rest integers.
//!
//! Upstream builds this into the core; here it is a loadable module
//! through `kernel::resctrl`. It reads the aggregators' counters through a
//! [`TelemetrySource`] and knows the layouts of the "energy" and "perf"
//! features ([`telemetry`]). A feature is enabled, as upstream's default,
//! where it has aggregators of the layout's size (others are skipped and
//! logged) and each tracks all of the layout's RMIDs; the resource counts
//! as many RMIDs as the enabled layouts have, and groups are limited by the
//! smaller of that and the core's count.
//!
//! The source is the resctrl-rs emulation's ([`emul`]): 6.12 has no PMT
//! discovery of these aggregators (`intel_pmt_get_regions_by_feature()`),
//! so a hardware source, MMIO regions read with `readq()`, waits for it.
//! Without a source the module does not load (`ENODEV`).

mod emul;
mod telemetry;

use core::sync::atomic::{AtomicBool, Ordering};
use kernel::{
    c_str,
    prelude::*,
    resctrl::{self, Event},
    str::CStr,
};
use telemetry::{EventGroup, EventId, Fit, TelemetrySource, GROUPS};

module! {
    type: AetModule,
    name: "resctrl_aet",
    author: "resctrl-rs developers",
    description: "resctrl-rs package telemetry (PERF_PKG)",
    license: "GPL",
}

/// The file name of an event, as upstream's.
fn file_name(e: EventId) -> &'static CStr {
    match e {
        EventId::CoreEnergy => c_str!("core_energy"),
        EventId::Activity => c_str!("activity"),
        EventId::StallsLlcHit => c_str!("stalls_llc_hit"),
        EventId::C1Res => c_str!("c1_res"),
        EventId::UnhaltedCoreCycles => c_str!("unhalted_core_cycles"),
        EventId::StallsLlcMiss => c_str!("stalls_llc_miss"),
        EventId::C6Res => c_str!("c6_res"),
        EventId::UnhaltedRefCycles => c_str!("unhalted_ref_cycles"),
        EventId::UopsRetired => c_str!("uops_retired"),
    }
}

/// An enabled event: where its counter is.
struct EnabledEvent {
    /// Its layout, in [`GROUPS`].
    group: usize,
    /// Its index in the layout.
    idx: usize,
}

/// A counter beyond a layout was read: logged once, as upstream's
/// `pr_warn_once()`.
static WARNED: AtomicBool = AtomicBool::new(false);

/// The driver, reading source `S`.
struct Aet<S> {
    source: S,
    /// The events registered, and where each is counted.
    events: KVec<Event>,
    enabled: KVec<EnabledEvent>,
    /// Per layout, the aggregators it is read from (none: not enabled).
    regions: [KVec<usize>; GROUPS.len()],
    num_rmids: u32,
}

impl<S: TelemetrySource> Aet<S> {
    /// The aggregators of `group` that `source` has and the driver can
    /// read, if they serve all of the layout's RMIDs ([`telemetry::enabled`]).
    /// An aggregator of another size is skipped, as upstream skips it.
    fn usable(source: &S, group: &EventGroup) -> Result<KVec<usize>> {
        let fits = || source.regions().iter().map(|r| group.fit(r));
        for r in source
            .regions()
            .iter()
            .filter(|r| group.fit(r) == Fit::WrongSize)
        {
            pr_warn!(
                "MMIO space wrong size ({} bytes) for guid 0x{:x}. Expected {} bytes.\n",
                r.size,
                group.guid,
                group.mmio_size()
            );
        }
        let mut usable = KVec::new();
        if fits().any(|f| f == Fit::TooFewRmids) {
            pr_info!(
                "PERF_PKG {}:0x{:x} monitoring not enabled due to insufficient RMIDs\n",
                group.name,
                group.guid
            );
        }
        if !telemetry::enabled(fits()) {
            return Ok(usable);
        }
        for (i, f) in fits().enumerate() {
            if f == Fit::Usable {
                usable.push(i, GFP_KERNEL)?;
            }
        }
        pr_info!(
            "PERF_PKG {}:0x{:x} monitoring detected\n",
            group.name,
            group.guid
        );
        Ok(usable)
    }

    /// Enables the layouts `source`'s aggregators serve in full, and their
    /// events; `ENODEV` if none.
    fn new(source: S) -> Result<Self> {
        let mut regions = [const { KVec::new() }; GROUPS.len()];
        for (r, group) in regions.iter_mut().zip(GROUPS) {
            *r = Self::usable(&source, group)?;
        }
        let num_rmids = GROUPS
            .iter()
            .zip(regions.iter())
            .filter(|(_, r)| !r.is_empty())
            .map(|(g, _)| g.num_rmid)
            .min()
            .ok_or(ENODEV)?;
        let (mut events, mut enabled) = (KVec::new(), KVec::new());
        for e in EventId::ALL {
            // The first enabled layout that counts it.
            let Some((g, idx)) = GROUPS.iter().enumerate().find_map(|(g, group)| {
                let idx = group.events.iter().position(|&x| x == e)?;
                (!regions[g].is_empty()).then_some((g, idx))
            }) else {
                continue;
            };
            let ev = Event::count(file_name(e)).fixed_point(e.frac_bits());
            events.push(ev, GFP_KERNEL)?;
            enabled.push(EnabledEvent { group: g, idx }, GFP_KERNEL)?;
        }
        Ok(Self {
            source,
            events,
            enabled,
            regions,
            num_rmids,
        })
    }
}

impl<S: TelemetrySource + 'static> resctrl::Driver for Aet<S> {
    const NAME: &'static CStr = c_str!("resctrl_aet");
    const RESOURCE: Option<&'static CStr> = Some(c_str!("PERF_PKG"));
    const SCOPE: resctrl::Scope = resctrl::Scope::Package;

    fn events(&self) -> &[Event] {
        &self.events
    }

    fn num_rmids(&self) -> u32 {
        self.num_rmids
    }

    /// The sum over the package's aggregators of the layout that have
    /// valid data for `rmid`; `EAGAIN` ("Unavailable") if none has, `EIO`
    /// ("Error") for a counter beyond the layout.
    fn read_event(&self, event: usize, dom: u32, rmid: u32) -> Result<u64> {
        let e = self.enabled.get(event).ok_or(EINVAL)?;
        let group = GROUPS[e.group];
        let offset = group.offset(rmid, e.idx);
        if rmid >= group.num_rmid {
            if !WARNED.swap(true, Ordering::Relaxed) {
                pr_warn!("MMIO index {} out of range\n", offset / 8);
            }
            return Err(EIO);
        }
        let words = self.regions[e.group]
            .iter()
            .filter(|&&i| self.source.regions().get(i).map(|r| r.package) == Some(dom))
            .map(|&i| self.source.readq(i, offset));
        telemetry::sum_valid(words).ok_or(EAGAIN)
    }
}

struct AetModule {
    _reg: Pin<KBox<resctrl::Registration<Aet<emul::EmulSource>>>>,
}

impl kernel::Module for AetModule {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let source = emul::EmulSource::new().inspect_err(|_| {
            pr_info!(
                "no telemetry source: no PMT discovery in this kernel, no emulated aggregators\n"
            );
        })?;
        let aet = Aet::new(source)?;
        // Unregistered when the module object is dropped, at unload.
        Ok(Self {
            _reg: resctrl::Registration::new(aet, module)?,
        })
    }
}
