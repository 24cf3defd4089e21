// SPDX-License-Identifier: GPL-2.0

use crate::ctrlval::*;
use crate::fixtures::{L3, MB};
use proptest::prelude::*;

fn l3(cbm_len: u32, min: u32, sparse: bool) -> CacheProps {
    CacheProps {
        cbm_len,
        min_cbm_bits: min,
        sparse_masks: sparse,
        ..L3
    }
}

fn mb() -> MbProps {
    MB
}

/// Upstream's `cbm_validate()`, bit by bit, for `val` that parsed.
fn reference(val: u64, r: &CacheProps) -> Result<u32, &'static str> {
    let len = r.cbm_len as u64;
    if (r.min_cbm_bits > 0 && val == 0) || val > (1u64 << len) - 1 {
        return Err("range");
    }
    let bit = |i: u64| i < len && val & (1 << i) != 0;
    let first = (0..len).find(|&i| bit(i)).unwrap_or(len);
    let zero = (first..len).find(|&i| !bit(i)).unwrap_or(len);
    if !r.sparse_masks && (zero..len).any(bit) {
        return Err("holes");
    }
    if zero - first < r.min_cbm_bits as u64 {
        return Err("few");
    }
    Ok(val as u32)
}

#[test]
fn cbm_examples_and_messages() {
    let r = l3(11, 1, false);
    assert_eq!(parse_cbm("7ff", &r), Ok(0x7ff));
    assert_eq!(parse_cbm("0x70", &r), Ok(0x70));
    assert_eq!(parse_cbm("+1", &r), Ok(1));
    let e = parse_cbm("fg", &r).unwrap_err();
    assert_eq!(e.to_string(), "Non-hex character in the mask fg");
    assert_eq!(parse_cbm("", &r), Err(CtrlValError::NonHex("")));
    assert_eq!(parse_cbm(" f", &r), Err(CtrlValError::NonHex(" f")));
    assert_eq!(
        parse_cbm("0", &r).unwrap_err().to_string(),
        "Mask out of range"
    );
    assert_eq!(
        parse_cbm("800", &r).unwrap_err().to_string(),
        "Mask out of range"
    );
    assert_eq!(
        parse_cbm("70f", &r).unwrap_err().to_string(),
        "The mask 70f has non-consecutive 1-bits"
    );
    assert_eq!(parse_cbm("70f", &l3(11, 1, true)), Ok(0x70f));
    assert_eq!(
        parse_cbm("4", &l3(11, 2, false)).unwrap_err().to_string(),
        "Need at least 2 bits in the mask"
    );
    assert_eq!(parse_cbm("0", &l3(11, 0, false)), Ok(0));
    assert_eq!(parse_cbm("ffffffff", &l3(32, 1, false)), Ok(u32::MAX));
    assert_eq!(
        parse_cbm("1ffffffffffffffff", &l3(32, 1, false)),
        Err(CtrlValError::NonHex("1ffffffffffffffff"))
    );
}

#[test]
fn mb_examples_and_messages() {
    assert_eq!(parse_mb("100", &mb()), Ok(100));
    assert_eq!(parse_mb("45", &mb()), Ok(50));
    assert_eq!(
        parse_mb("9", &mb()).unwrap_err().to_string(),
        "MB value 9 out of range [10,100]"
    );
    assert_eq!(
        parse_mb("101", &mb()).unwrap_err().to_string(),
        "MB value 101 out of range [10,100]"
    );
    assert_eq!(
        parse_mb("1x", &mb()).unwrap_err().to_string(),
        "Invalid MB value 1x"
    );
    assert_eq!(
        parse_mb("4294967296", &mb()),
        Err(CtrlValError::InvalidMb("4294967296"))
    );
    assert_eq!(
        parse_mb(
            "5000",
            &MbProps {
                mba_sc: true,
                ..mb()
            }
        ),
        Ok(5000)
    );
    assert_eq!(
        parse_mb(
            "50",
            &MbProps {
                delay_linear: false,
                ..mb()
            }
        )
        .unwrap_err()
        .to_string(),
        "No support for non-linear MB domains"
    );
}

proptest! {
    #[test]
    fn cbm_matches_upstream(val in any::<u64>(), shift in 0u32..40, len in 1u32..=32,
                            min in 0u32..4, sparse in any::<bool>()) {
        let val = val >> shift;
        let r = l3(len, min, sparse);
        let text = format!("{val:x}");
        let got = parse_cbm(&text, &r);
        match reference(val, &r) {
            Ok(v) => prop_assert_eq!(got, Ok(v)),
            Err(_) => prop_assert!(got.is_err()),
        }
    }

    #[test]
    fn parse_unsigned_matches_std(val in any::<u64>()) {
        prop_assert_eq!(parse_unsigned(&val.to_string(), 10), Some(val));
        prop_assert_eq!(parse_unsigned(&format!("{val:x}"), 16), Some(val));
        prop_assert_eq!(parse_unsigned(&format!("0x{val:X}"), 16), Some(val));
    }

    #[test]
    fn parse_never_panics(s in ".{0,24}") {
        let _ = parse_cbm(&s, &l3(20, 1, false));
        let _ = parse_mb(&s, &mb());
    }

    #[test]
    fn mb_rounds_up_within_range(bw in 10u32..=100, gran in 1u32..=10) {
        let r = MbProps { bw_gran: gran, ..mb() };
        let v = parse_mb(&bw.to_string(), &r).unwrap();
        prop_assert!(v >= bw && v < bw + gran && v % gran == 0);
    }
}
