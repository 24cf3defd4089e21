// SPDX-License-Identifier: GPL-2.0

use crate::ctrlval::CacheProps;
use crate::io_alloc_cbm::*;

const AMD_L3: CacheProps = CacheProps {
    cbm_len: 16,
    min_cbm_bits: 0,
    sparse_masks: true,
    shareable_bits: 0,
};

/// Parses `text` for domains 0 and 1, with an exclusive group's `excl` in
/// both; the staged masks, or upstream's message.
fn parse2(text: &str, excl: u32) -> Result<[Option<u32>; 2], String> {
    let mut staged = [None; 2];
    parse(
        text,
        &[0, 1],
        &AMD_L3,
        |_, cbm| cbm & excl != 0,
        &mut staged,
    )
    .map(|()| staged)
    .map_err(|e| e.to_string())
}

#[test]
fn upstream_syntax() {
    assert_eq!(parse2("0=ff", 0), Ok([Some(0xff), None]));
    assert_eq!(parse2("0=ff;1= f0 ", 0), Ok([Some(0xff), Some(0xf0)]));
    assert_eq!(parse2("*=f", 0), Ok([Some(0xf), Some(0xf)]));
    assert_eq!(parse2("", 0), Ok([None, None]));
    assert_eq!(parse2("1=1;", 0), Ok([None, Some(1)]));
    // Sparse and empty masks, as the AMD part takes them.
    assert_eq!(parse2("0=0;1=f0f", 0), Ok([Some(0), Some(0xf0f)]));
}

#[test]
fn upstream_messages() {
    let err = |t: &str, excl| parse2(t, excl).unwrap_err();
    assert_eq!(err("*=f;0=ff", 0), "Configurations after global '*'");
    assert_eq!(err("x=ff", 0), "Missing '=' or non-numeric domain");
    assert_eq!(err("0", 0), "Missing '=' or non-numeric domain");
    assert_eq!(err(" 0=ff", 0), "Missing '=' or non-numeric domain");
    assert_eq!(err("*", 0), "Missing '=' or non-numeric domain");
    assert_eq!(err("5=ff", 0), "Invalid domain 5");
    assert_eq!(err("0=xyz", 0), "Non-hex character in the mask xyz");
    assert_eq!(err("0=1ffff", 0), "Mask out of range");
    assert_eq!(err("0=f;0=f", 0), "Duplicate domain 0");
    assert_eq!(err("0=f;*=f", 0), "Duplicate domain 0");
    assert_eq!(err("1=ff", 0x1), "Overlaps with exclusive group");
}
