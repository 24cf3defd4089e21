// SPDX-License-Identifier: GPL-2.0

//! The bandwidth counter arithmetic: narrow counters into 64-bit totals.

use crate::mbm::{wrap_delta, MbmState};
use proptest::prelude::*;

#[test]
fn delta_examples() {
    assert_eq!(wrap_delta(10, 25, 24), 15);
    assert_eq!(wrap_delta(0xff_fff0, 0x10, 24), 0x20);
    assert_eq!(wrap_delta(5, 5, 24), 0);
    assert_eq!(wrap_delta(u64::MAX, 0, 64), 1);
    // Bits above the width are ignored.
    assert_eq!(wrap_delta(0x100_0000, 0x100_0001, 24), 1);
}

#[test]
fn restart_counts_from_the_hardware_clear() {
    let mut s = MbmState::default();
    s.update(1000, 24);
    assert_eq!(s.update(1500, 24), 500);
    // The hardware cleared the counter: the next read counts from 0.
    s.restart_at(7);
    assert_eq!(s.born(), 7);
    assert_eq!(s.total(), 0);
    assert_eq!(s.peek(40, 24), 40);
    assert_eq!(s.update(40, 24), 40);
    assert_eq!(s.update(100, 24), 100);
}

#[test]
fn first_read_primes_reset_starts_over() {
    let mut s = MbmState::default();
    assert_eq!(s.update(1000, 24), 0);
    assert_eq!(s.update(1500, 24), 500);
    s.reset_at(1);
    assert_eq!(s.update(7, 24), 0);
    assert_eq!(s.update(10, 24), 3);
}

proptest! {
    /// Reads at least once per wrap (widths of real parts: 24 to 48 bits, so
    /// 200 steps stay within 64): the total is exactly what the
    /// hardware counted, and never goes backwards.
    #[test]
    fn total_is_exact(width in 24u32..=48, start in any::<u64>(),
                      steps in prop::collection::vec(any::<u64>(), 1..200)) {
        let mask = (1u64 << width) - 1;
        let mut s = MbmState::default();
        let mut hw = start & mask;
        s.update(hw, width);
        let mut counted = 0u64;
        let mut last = 0u64;
        for step in steps {
            let step = step % (mask + 1);
            counted += step;
            hw = (hw + step) & mask;
            let t = s.update(hw, width);
            prop_assert_eq!(t, counted);
            prop_assert!(t >= last);
            last = t;
        }
    }

    /// The delta undoes the wrap-around addition of any advance below the
    /// width.
    #[test]
    fn delta_inverts_addition(width in 1u32..=64, prev in any::<u64>(), adv in any::<u64>()) {
        let mask = if width == 64 { u64::MAX } else { (1u64 << width) - 1 };
        let adv = adv & mask;
        let cur = prev.wrapping_add(adv) & mask;
        prop_assert_eq!(wrap_delta(prev & mask, cur, width), adv);
    }
}
