// SPDX-License-Identifier: GPL-2.0

use crate::cpumask::*;
use proptest::prelude::*;

fn set(cpus: &[u32]) -> CpuSet {
    let mut s = CpuSet::new();
    cpus.iter().for_each(|&c| s.insert(c));
    s
}

fn mask(s: &CpuSet, n: u32) -> String {
    let mut o = String::new();
    s.fmt_mask(&mut o, n).unwrap();
    o
}

fn list(s: &CpuSet) -> String {
    let mut o = String::new();
    s.fmt_list(&mut o).unwrap();
    o
}

#[test]
fn mask_forms() {
    assert_eq!(CpuSet::parse_mask("6\n", 4), Ok(set(&[1, 2])));
    assert_eq!(CpuSet::parse_mask("\n", 4), Ok(CpuSet::new()));
    assert_eq!(CpuSet::parse_mask("", 4), Ok(CpuSet::new()));
    assert_eq!(CpuSet::parse_mask("1f", 4), Err(ParseError::Overflow));
    assert_eq!(CpuSet::parse_mask("xyz", 4), Err(ParseError::Invalid));
    assert_eq!(CpuSet::parse_mask("1,00000001", 64), Ok(set(&[0, 32])));
    assert_eq!(
        CpuSet::parse_mask("1,00000001", 8),
        Err(ParseError::Overflow)
    );
    assert_eq!(
        CpuSet::parse_mask("123456789", 64),
        Err(ParseError::Overflow)
    );
    assert_eq!(mask(&set(&[0, 1, 2, 3]), 4), "f");
    assert_eq!(mask(&set(&[0, 1]), 8), "03");
    assert_eq!(mask(&set(&[0, 40]), 64), "00000100,00000001");
    assert_eq!(mask(&CpuSet::new(), 36), "0,00000000");
}

#[test]
fn list_forms() {
    assert_eq!(CpuSet::parse_list("0,2-3\n", 4), Ok(set(&[0, 2, 3])));
    assert_eq!(CpuSet::parse_list("", 4), Ok(CpuSet::new()));
    assert_eq!(CpuSet::parse_list("all", 4), Ok(set(&[0, 1, 2, 3])));
    assert_eq!(CpuSet::parse_list("N", 4), Ok(set(&[3])));
    assert_eq!(CpuSet::parse_list("0-7:2/4", 8), Ok(set(&[0, 1, 4, 5])));
    assert_eq!(CpuSet::parse_list("0-9", 4), Err(ParseError::Range));
    assert_eq!(CpuSet::parse_list("3-1", 4), Err(ParseError::Invalid));
    assert_eq!(CpuSet::parse_list("1x", 4), Err(ParseError::Invalid));
    assert_eq!(CpuSet::parse_list("0-3:0/2", 4), Ok(CpuSet::new()));
    assert_eq!(CpuSet::parse_list("0-3:3/2", 4), Err(ParseError::Invalid));
    assert_eq!(
        CpuSet::parse_list("99999999999", 4),
        Err(ParseError::Overflow)
    );
    assert_eq!(list(&set(&[0, 2, 3, 5])), "0,2-3,5");
    assert_eq!(list(&CpuSet::new()), "");
}

proptest! {
    /// What is shown parses back to the same set, in both forms.
    #[test]
    fn round_trip(cpus in proptest::collection::vec(0u32..96, 0..20)) {
        let s = set(&cpus);
        prop_assert_eq!(CpuSet::parse_mask(&mask(&s, 96), 96), Ok(s));
        prop_assert_eq!(CpuSet::parse_list(&list(&s), 96), Ok(s));
    }

    /// Arbitrary input never panics and never yields a CPU past the limit.
    #[test]
    fn never_panics(s in "[0-9a-fA-FxN,:/ \\-\\n]{0,24}", n in 1u32..80) {
        for r in [CpuSet::parse_mask(&s, n), CpuSet::parse_list(&s, n)] {
            if let Ok(set) = r {
                prop_assert!(set.iter().all(|c| c < n));
            }
        }
    }
}
