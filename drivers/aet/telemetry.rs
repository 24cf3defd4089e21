// SPDX-License-Identifier: GPL-2.0

//! Intel's per-RMID telemetry as its aggregators lay it out, the layout
//! upstream 7.0 reads (`arch/x86/kernel/cpu/resctrl/intel_aet.c`), and the
//! trait over where the aggregators' counters come from.
//!
//! Each CPU sends its counts to an aggregator of its package. An
//! aggregator has one feature type, named by a GUID, whose layout says
//! which events it counts, in which order, and for how many RMIDs: the
//! counter of event `idx` for `rmid` is the `u64` at
//! `(rmid * num_events + idx) * 8`, and three status registers follow the
//! counters. Bit 63 of a counter says its data is valid (the aggregator
//! received records for the RMID); bits 62:0 are the count, which never
//! wraps nor is reset. A package may have several aggregators of a GUID:
//! its value is their sum.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

/// Bit 63 of a counter: the aggregator has data for the RMID.
pub(crate) const DATA_VALID: u64 = 1 << 63;
/// Bits 62:0 of a counter: the count.
pub(crate) const DATA_BITS: u64 = DATA_VALID - 1;
/// The status registers after the counters.
const STATUS_REGS: usize = 3;

/// One aggregator: an MMIO region of counters.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    /// The GUID of its layout.
    pub(crate) guid: u32,
    /// The package whose CPUs report to it.
    pub(crate) package: u32,
    /// How many RMIDs its hardware counters track at once; fewer than its
    /// layout's registers means an RMID's counts may be lost.
    pub(crate) num_rmids: u32,
    /// The region's size in bytes.
    pub(crate) size: usize,
}

/// Where the aggregators' counters come from: the hardware's MMIO regions
/// (found through PMT discovery) or an emulation. The driver reads every
/// source the same way.
pub(crate) trait TelemetrySource: Send + Sync {
    /// The aggregators, in an order that does not change.
    fn regions(&self) -> &[Region];

    /// The `u64` at byte `offset` of aggregator `region`, which the caller
    /// keeps inside the region. Runs with interrupts off (in the driver's
    /// `read_event`): it must not sleep nor take a lock.
    fn readq(&self, region: usize, offset: usize) -> u64;
}

/// An event, as upstream names it and shows its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EventId {
    CoreEnergy,
    Activity,
    StallsLlcHit,
    C1Res,
    UnhaltedCoreCycles,
    StallsLlcMiss,
    C6Res,
    UnhaltedRefCycles,
    UopsRetired,
}

impl EventId {
    /// Every event, in upstream's order (its `enum resctrl_event_id`),
    /// which is the order of `mon_features`.
    pub(crate) const ALL: [EventId; 9] = [
        Self::CoreEnergy,
        Self::Activity,
        Self::StallsLlcHit,
        Self::C1Res,
        Self::UnhaltedCoreCycles,
        Self::StallsLlcMiss,
        Self::C6Res,
        Self::UnhaltedRefCycles,
        Self::UopsRetired,
    ];

    /// The bits of its value below the binary point: 18 for the energy
    /// group's (Joules, Farads), 0 for the integers.
    pub(crate) const fn frac_bits(self) -> u32 {
        match self {
            Self::CoreEnergy | Self::Activity => 18,
            _ => 0,
        }
    }
}

/// The events one feature type's layout counts, in its order.
pub(crate) struct EventGroup {
    /// Its feature name, as upstream's log and `rdt=` say it.
    pub(crate) name: &'static str,
    /// The GUID of its layout.
    pub(crate) guid: u32,
    /// The RMIDs its layout has registers for.
    pub(crate) num_rmid: u32,
    /// Its events, by index in the layout.
    pub(crate) events: &'static [EventId],
}

impl EventGroup {
    /// The size of an aggregator of this layout, in bytes.
    pub(crate) const fn mmio_size(&self) -> usize {
        (self.num_rmid as usize * self.events.len() + STATUS_REGS) * 8
    }

    /// The byte offset of event `idx`'s counter for `rmid`.
    pub(crate) const fn offset(&self, rmid: u32, idx: usize) -> usize {
        (rmid as usize * self.events.len() + idx) * 8
    }

    /// What aggregator `r` is to this layout.
    pub(crate) fn fit(&self, r: &Region) -> Fit {
        if r.guid != self.guid {
            Fit::Other
        } else if r.size != self.mmio_size() {
            Fit::WrongSize
        } else if r.num_rmids < self.num_rmid {
            Fit::TooFewRmids
        } else {
            Fit::Usable
        }
    }
}

/// What an aggregator is to a layout, as upstream judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Another layout's (GUID).
    Other,
    /// Of the layout, but not of its size: skipped, logged.
    WrongSize,
    /// Of the layout, tracking fewer RMIDs than it has registers: the
    /// layout is not enabled.
    TooFewRmids,
    /// Read for the layout.
    Usable,
}

/// Whether a layout whose aggregators fit as `fits` says is enabled: it
/// has a usable one and none that tracks too few RMIDs.
pub(crate) fn enabled(fits: impl IntoIterator<Item = Fit>) -> bool {
    let mut usable = false;
    for f in fits {
        match f {
            Fit::TooFewRmids => return false,
            Fit::Usable => usable = true,
            Fit::Other | Fit::WrongSize => {}
        }
    }
    usable
}

/// The sum of the counters `words` read that have valid data; `None` if
/// none has (the file shows `Unavailable`).
pub(crate) fn sum_valid(words: impl IntoIterator<Item = u64>) -> Option<u64> {
    let valid = words.into_iter().filter(|w| w & DATA_VALID != 0);
    valid.fold(None, |sum, w| {
        Some(sum.unwrap_or(0u64).wrapping_add(w & DATA_BITS))
    })
}

/// Clearwater Forest's "energy" feature.
pub(crate) const ENERGY: EventGroup = EventGroup {
    name: "energy",
    guid: 0x2669_6143,
    num_rmid: 576,
    events: &[EventId::CoreEnergy, EventId::Activity],
};

/// Clearwater Forest's "perf" feature.
pub(crate) const PERF: EventGroup = EventGroup {
    name: "perf",
    guid: 0x2655_7651,
    num_rmid: 576,
    events: &[
        EventId::StallsLlcHit,
        EventId::C1Res,
        EventId::UnhaltedCoreCycles,
        EventId::StallsLlcMiss,
        EventId::C6Res,
        EventId::UnhaltedRefCycles,
        EventId::UopsRetired,
    ],
};

/// The feature types the driver knows.
pub(crate) const GROUPS: [&EventGroup; 2] = [&ENERGY, &PERF];
