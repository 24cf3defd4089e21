// SPDX-License-Identifier: GPL-2.0

use crate::fixed_point::*;
use proptest::prelude::*;

#[test]
fn decimal_places_as_upstream_table() {
    // Upstream's decplaces[] for 0..=27.
    let want = [
        1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 7, 8, 8, 8, 9,
    ];
    for (b, &d) in want.iter().enumerate() {
        assert_eq!(decimal_places(b as u32), d, "bits {b}");
    }
}

#[test]
fn telemetry_values() {
    assert_eq!(FixedPoint::new(0, 18).to_string(), "0.000000");
    assert_eq!(FixedPoint::new(3 << 17, 18).to_string(), "1.500000");
    assert_eq!(FixedPoint::new((7 << 18) | 1, 18).to_string(), "7.000004");
    assert_eq!(FixedPoint::new((1 << 18) - 1, 18).to_string(), "0.999996");
    assert_eq!(FixedPoint::new(5, 0).to_string(), "5.0");
    assert_eq!(
        FixedPoint::new(u64::MAX, 18).to_string(),
        format!("{}.999996", u64::MAX >> 18)
    );
}

proptest! {
    /// The decimal shown is the binary value rounded to nearest, within
    /// half a unit of the last decimal place, and never shows as 10^d.
    #[test]
    fn rounds_to_nearest(val in any::<u64>(), bits in 1u32..=27) {
        let s = FixedPoint::new(val, bits).to_string();
        let (int, frac) = s.split_once('.').unwrap();
        prop_assert_eq!(int.parse::<u64>().unwrap(), val >> bits);
        let d = decimal_places(bits);
        prop_assert_eq!(frac.len() as u32, d);
        let shown = frac.parse::<u128>().unwrap();
        let exact = (val & ((1u64 << bits) - 1)) as u128 * 10u128.pow(d);
        let twice_err = (2 * (shown << bits)).abs_diff(2 * exact);
        prop_assert!(twice_err <= 1u128 << bits);
    }
}
