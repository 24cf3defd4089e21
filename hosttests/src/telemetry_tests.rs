// SPDX-License-Identifier: GPL-2.0

//! `resctrl_aet`'s telemetry layouts and how it judges and reads
//! aggregators, against upstream 7.0's `intel_aet.c`.

use crate::telemetry::*;
use proptest::prelude::*;

fn region(guid: u32, package: u32, num_rmids: u32, size: usize) -> Region {
    Region {
        guid,
        package,
        num_rmids,
        size,
    }
}

#[test]
fn layouts_as_upstream() {
    // Clearwater Forest: 576 RMIDs, three status registers after the
    // counters ("MMIO offset:0x2400 AGG_DATA_LOSS_COUNT" for energy).
    assert_eq!(ENERGY.mmio_size(), 0x2418);
    assert_eq!(PERF.mmio_size(), 0x7e18);
    assert_eq!(ENERGY.offset(0, 1), 0x8);
    assert_eq!(ENERGY.offset(1, 0), 0x10);
    assert_eq!(ENERGY.offset(575, 1), 0x23f8);
    assert_eq!(PERF.offset(2, 3), (2 * 7 + 3) * 8);
    // mon_features' order is upstream's enum order, and each event is in
    // exactly one layout.
    for e in EventId::ALL {
        let n = GROUPS.iter().filter(|g| g.events.contains(&e)).count();
        assert_eq!(n, 1, "{e:?}");
    }
    assert_eq!(EventId::CoreEnergy.frac_bits(), 18);
    assert_eq!(EventId::UopsRetired.frac_bits(), 0);
}

#[test]
fn which_aggregators_enable_a_layout() {
    let ok = region(ENERGY.guid, 0, 576, ENERGY.mmio_size());
    let small = region(ENERGY.guid, 1, 575, ENERGY.mmio_size());
    let wrong = region(ENERGY.guid, 1, 576, 0x2410);
    let perf = region(PERF.guid, 0, 576, PERF.mmio_size());
    assert_eq!(ENERGY.fit(&ok), Fit::Usable);
    assert_eq!(ENERGY.fit(&small), Fit::TooFewRmids);
    assert_eq!(ENERGY.fit(&wrong), Fit::WrongSize);
    assert_eq!(ENERGY.fit(&perf), Fit::Other);
    let on = |rs: &[Region]| enabled(rs.iter().map(|r| ENERGY.fit(r)));
    assert!(on(&[ok]));
    // A region of the wrong size is skipped; the layout stays on.
    assert!(on(&[ok, wrong]));
    assert!(!on(&[wrong]));
    // One that tracks too few RMIDs turns it off (upstream without rdt=).
    assert!(!on(&[ok, small]));
    assert!(!on(&[perf]));
    assert!(!on(&[]));
}

proptest! {
    /// A package's value sums the aggregators with valid data; none valid
    /// is Unavailable.
    #[test]
    fn sums_valid_counters(words in proptest::collection::vec((any::<bool>(), 0u64..1 << 40), 0..6)) {
        let raw = words.iter().map(|&(v, c)| if v { DATA_VALID | c } else { c });
        let want = words.iter().any(|w| w.0).then(|| words.iter().filter(|w| w.0).map(|w| w.1).sum::<u64>());
        prop_assert_eq!(sum_valid(raw), want);
    }
}
