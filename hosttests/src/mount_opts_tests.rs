// SPDX-License-Identifier: GPL-2.0

use crate::mount_opts::{MountOptions, ParamError};
use proptest::prelude::*;

const KNOWN: [&[u8]; 4] = [b"cdp", b"cdpl2", b"mba_MBps", b"debug"];

#[test]
fn each_flag_sets_its_field() {
    let mut o = MountOptions::default();
    o.parse(b"cdp", None).unwrap();
    assert_eq!(
        o,
        MountOptions {
            cdp_l3: true,
            ..Default::default()
        }
    );
    o.parse(b"cdpl2", None).unwrap();
    o.parse(b"mba_MBps", None).unwrap();
    o.parse(b"debug", None).unwrap();
    assert_eq!(
        o,
        MountOptions {
            cdp_l3: true,
            cdp_l2: true,
            mba_mbps: true,
            debug: true
        }
    );
}

#[test]
fn names_are_case_sensitive_as_upstream() {
    let mut o = MountOptions::default();
    assert_eq!(o.parse(b"mba_mbps", None), Err(ParamError::Unknown));
    assert_eq!(o.parse(b"CDP", None), Err(ParamError::Unknown));
    assert_eq!(o, MountOptions::default());
}

#[test]
fn flags_take_no_value() {
    let mut o = MountOptions::default();
    assert_eq!(
        o.parse(b"debug", Some(b"1")),
        Err(ParamError::UnexpectedValue)
    );
    assert_eq!(
        o.parse(b"debug", Some(b"")),
        Err(ParamError::UnexpectedValue)
    );
    assert_eq!(o, MountOptions::default());
}

proptest! {
    /// Anything but the four names is unknown and changes nothing.
    #[test]
    fn unknown_keys_change_nothing(key in proptest::collection::vec(any::<u8>(), 0..16),
                                   value in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..8))) {
        prop_assume!(!KNOWN.contains(&key.as_slice()));
        let mut o = MountOptions::default();
        prop_assert_eq!(o.parse(&key, value.as_deref()), Err(ParamError::Unknown));
        prop_assert_eq!(o, MountOptions::default());
    }

    /// Parsing is order-independent and idempotent: the result is the set of
    /// flags named.
    #[test]
    fn result_is_the_set_of_flags(keys in proptest::collection::vec(0usize..4, 0..12)) {
        let mut o = MountOptions::default();
        for &k in &keys {
            prop_assert_eq!(o.parse(KNOWN[k], None), Ok(()));
        }
        let want = MountOptions {
            cdp_l3: keys.contains(&0),
            cdp_l2: keys.contains(&1),
            mba_mbps: keys.contains(&2),
            debug: keys.contains(&3),
        };
        prop_assert_eq!(o, want);
    }
}
