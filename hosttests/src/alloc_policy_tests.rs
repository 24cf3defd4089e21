// SPDX-License-Identifier: GPL-2.0

use crate::alloc_policy::*;
use crate::ctrlval::{parse_int_auto, CacheProps};
use proptest::prelude::*;

const L3: CacheProps = CacheProps {
    cbm_len: 11,
    min_cbm_bits: 1,
    sparse_masks: false,
    shareable_bits: 0x600,
};

fn usage(groups: &[(u32, Sharing)]) -> String {
    let mut s = String::new();
    fmt_bit_usage(&mut s, 0, &L3, groups.iter().copied()).unwrap();
    s
}

#[test]
fn overlaps() {
    let others = [(0x0ff, Sharing::Shareable), (0x100, Sharing::Exclusive)];
    assert!(cbm_overlaps(0x180, &L3, others.into_iter(), true));
    assert!(!cbm_overlaps(0x080, &L3, others.into_iter(), true));
    assert!(cbm_overlaps(0x080, &L3, others.into_iter(), false));
    assert!(cbm_overlaps(0x200, &L3, [].into_iter(), false));
    assert!(!cbm_overlaps(0x200, &L3, [].into_iter(), true));
}

#[test]
fn new_group_masks() {
    assert_eq!(
        new_group_cbm(&L3, [(0x7ff, Sharing::Shareable)].into_iter()),
        Some(0x7ff)
    );
    // Bits of an exclusive group are left out; the lowest run is kept.
    assert_eq!(
        new_group_cbm(&L3, [(0x0f0, Sharing::Exclusive)].into_iter()),
        Some(0x00f)
    );
    let all = [(0x1ff, Sharing::Exclusive)];
    assert_eq!(new_group_cbm(&L3, all.into_iter()), Some(0x600));
    let none = CacheProps {
        shareable_bits: 0,
        ..L3
    };
    assert_eq!(
        new_group_cbm(&none, [(0x7ff, Sharing::Exclusive)].into_iter()),
        None
    );
}

#[test]
fn bit_usage() {
    assert_eq!(usage(&[(0x7ff, Sharing::Shareable)]), "0=XXSSSSSSSSS");
    assert_eq!(
        usage(&[(0x0ff, Sharing::Shareable), (0x100, Sharing::Exclusive)]),
        "0=HHESSSSSSSS"
    );
    assert_eq!(usage(&[(0x003, Sharing::Shareable)]), "0=HH0000000SS");
}

#[test]
fn ints() {
    assert_eq!(parse_int_auto("42"), Some(42));
    assert_eq!(parse_int_auto("0x10"), Some(16));
    assert_eq!(parse_int_auto("010\n"), Some(8));
    assert_eq!(parse_int_auto("-5"), Some(-5));
    assert_eq!(parse_int_auto("-2147483648"), Some(i32::MIN));
    assert_eq!(parse_int_auto("2147483648"), None);
    assert_eq!(parse_int_auto("0x"), None);
    assert_eq!(parse_int_auto("09"), None);
    assert_eq!(parse_int_auto(""), None);
    assert_eq!(parse_int_auto("abc"), None);
}

proptest! {
    /// A new group's mask is valid: contiguous, within the resource, and
    /// clear of exclusive groups.
    #[test]
    fn new_mask_is_valid(groups in proptest::collection::vec((1u32..0x800, any::<bool>()), 0..6)) {
        let g: Vec<(u32, Sharing)> = groups
            .iter()
            .map(|&(m, e)| (m, if e { Sharing::Exclusive } else { Sharing::Shareable }))
            .collect();
        if let Some(m) = new_group_cbm(&L3, g.iter().copied()) {
            prop_assert!(m != 0 && m <= 0x7ff);
            let run = m >> m.trailing_zeros();
            prop_assert_eq!(run & (run + 1), 0);
            let excl = g.iter().filter(|x| x.1 == Sharing::Exclusive).fold(0, |a, x| a | x.0);
            prop_assert_eq!(m & excl & !L3.shareable_bits & !g.iter().filter(|x| x.1 == Sharing::Shareable).fold(0, |a, x| a | x.0), 0);
        }
    }

    /// Decimal numbers round-trip.
    #[test]
    fn int_round_trip(v in any::<i32>()) {
        prop_assert_eq!(parse_int_auto(&v.to_string()), Some(v));
    }
}
