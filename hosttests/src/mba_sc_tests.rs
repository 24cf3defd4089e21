// SPDX-License-Identifier: GPL-2.0

//! The MBA software controller: bandwidth samples and throttle steps.

use crate::mba_sc::{step, BwSample, MAX_MBA_BW, NSEC_PER_SEC};
use proptest::prelude::*;

#[test]
fn sample_examples() {
    let s1 = NSEC_PER_SEC;
    let mut s = BwSample::default();
    // The first sample only takes the total to measure from.
    s.sample(3 << 20, 0, s1);
    assert_eq!(s.mbps(), 0);
    s.sample(5 << 20, 0, s1);
    assert_eq!(s.mbps(), 2);
    // Less than a MiB is 0.
    s.sample((5 << 20) + 1000, 0, s1);
    assert_eq!(s.mbps(), 0);
    // A reset in between: counted from 0.
    s.sample(1 << 20, 1, s1);
    assert_eq!(s.mbps(), 1);
    // Two seconds (a pass missed): per second.
    s.sample(9 << 20, 1, 2 * s1);
    assert_eq!(s.mbps(), 4);
    // Started over (a new mount): primes again.
    s.restart();
    s.sample(20 << 20, 1, s1);
    assert_eq!(s.mbps(), 0);
}

#[test]
fn step_examples() {
    // Over the limit: one step down, not below the minimum.
    assert_eq!(step(100, 500, 100, 10, 10), Some(90));
    assert_eq!(step(10, 500, 100, 10, 10), None);
    // Under it with room: one step up, not above 100.
    assert_eq!(step(50, 100, 1000, 10, 10), Some(60));
    assert_eq!(step(100, 0, 1000, 10, 10), None);
    // Under it, but a step up would likely go over: stay.
    assert_eq!(step(50, 100, 110, 10, 10), None);
    assert_eq!(step(50, 100, 121, 10, 10), Some(60));
}

proptest! {
    /// The throttle stays within [min_bw, 100], moves one granule at most,
    /// and moves only toward the limit.
    #[test]
    fn step_stays_in_range(
        cur in 10u32..=100,
        cur_bw in any::<u32>(),
        user_bw in any::<u32>(),
    ) {
        let cur = cur / 10 * 10;
        if let Some(n) = step(cur, cur_bw, user_bw, 10, 10) {
            prop_assert!((10..=MAX_MBA_BW).contains(&n));
            prop_assert!(n.abs_diff(cur) == 10);
            if n < cur {
                prop_assert!(user_bw < cur_bw);
            } else {
                prop_assert!(user_bw > cur_bw);
            }
        }
    }

    /// A group at a steady bandwidth proportional to its throttle settles
    /// within one granule of its limit and then stays.
    #[test]
    fn step_converges(full in 100u32..10_000, limit_pct in 10u32..=100) {
        let user_bw = full * limit_pct / 100;
        let mut cur = 100;
        let mut seen = Vec::new();
        for _ in 0..40 {
            let bw = full * cur / 100;
            if let Some(n) = step(cur, bw, user_bw, 10, 10) {
                cur = n;
            }
            seen.push(cur);
        }
        let last = &seen[30..];
        prop_assert!(last.iter().all(|&c| c == last[0]), "{seen:?}");
        prop_assert!(full * last[0] / 100 <= user_bw || last[0] == 10, "{seen:?}");
        prop_assert!(full * (last[0] + 10) / 100 > user_bw || last[0] == 100, "{seen:?}");
    }
}
