// SPDX-License-Identifier: GPL-2.0

use crate::evt_cfg::*;
use proptest::prelude::*;

/// The entries up to and including the first bad one, as the caller
/// applies them.
fn all(body: &str, mask: u32) -> Vec<Result<(u64, u32), String>> {
    let mut v = Vec::new();
    for r in entries(body, mask) {
        let bad = r.is_err();
        v.push(r.map_err(|e| e.to_string()));
        if bad {
            break;
        }
    }
    v
}

#[test]
fn upstream_syntax() {
    assert_eq!(all("0=0x33;1=7f", 0x7f), vec![Ok((0, 0x33)), Ok((1, 0x7f))]);
    // Base 16 with or without 0x; 0 is allowed; a trailing ';' ends it.
    assert_eq!(all("1=0;", 0x7f), vec![Ok((1, 0))]);
    assert_eq!(all("", 0x7f), vec![]);
    // Spaces around an entry are trimmed, inside it they are not.
    assert_eq!(all(" 0=15 ", 0x7f), vec![Ok((0, 0x15))]);
    assert_eq!(
        all("0= 15", 0x7f),
        vec![Err("Non-numeric event configuration value".into())]
    );
    assert_eq!(
        all("0", 0x7f),
        vec![Err("Non-numeric event configuration value".into())]
    );
    assert_eq!(
        all("x=1", 0x7f),
        vec![Err("Missing '=' or non-numeric domain id".into())]
    );
    assert_eq!(
        all(";0=1", 0x7f),
        vec![Err("Missing '=' or non-numeric domain id".into())]
    );
    assert_eq!(
        all("0=80", 0x7f),
        vec![Err(
            "Invalid event configuration: max valid mask is 0x7f".into()
        )]
    );
    assert_eq!(
        all("0=10", 0x0f),
        vec![Err(
            "Invalid event configuration: max valid mask is 0x0f".into()
        )]
    );
}

proptest! {
    /// Every valid entry list round-trips, in order.
    #[test]
    fn round_trip(v in proptest::collection::vec((0u64..1000, 0u32..0x80), 0..6)) {
        let body: Vec<String> = v.iter().map(|(d, c)| format!("{d}={c:#x}")).collect();
        let body = body.join(";");
        let got: Vec<_> = entries(&body, 0x7f).collect();
        let want: Vec<_> = v.iter().map(|&(d, c)| Ok((d, c))).collect();
        prop_assert_eq!(got, want);
    }

    /// No input panics.
    #[test]
    fn arbitrary(body in "[0-9a-fx=; ]{0,30}", mask in 0u32..0x80) {
        let _ = entries(&body, mask).count();
    }
}
