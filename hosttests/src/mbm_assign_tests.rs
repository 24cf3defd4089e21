// SPDX-License-Identifier: GPL-2.0

use crate::mbm_assign::*;
use proptest::prelude::*;

fn filter(bits: u32) -> String {
    let mut s = String::new();
    fmt_filter(&mut s, bits).unwrap();
    s
}

#[test]
fn filter_names_as_upstream() {
    assert_eq!(
        filter(0x7f),
        "local_reads,remote_reads,local_non_temporal_writes,remote_non_temporal_writes,\
         local_reads_slow_memory,remote_reads_slow_memory,dirty_victim_writes_all"
    );
    assert_eq!(
        filter(0x15),
        "local_reads,local_non_temporal_writes,local_reads_slow_memory"
    );
    assert_eq!(filter(0), "");
}

#[test]
fn filter_parsing_as_upstream() {
    assert_eq!(parse_filter("local_reads, remote_reads"), Ok(3));
    assert_eq!(parse_filter(" dirty_victim_writes_all "), Ok(0x40));
    // Nothing, or nothing after a last comma, ends it.
    assert_eq!(parse_filter(""), Ok(0));
    assert_eq!(parse_filter("local_reads,"), Ok(1));
    // An empty name in the middle, or only spaces, is not a transaction.
    assert_eq!(parse_filter("local_reads,,remote_reads"), Err(""));
    assert_eq!(parse_filter("  "), Err(""));
    assert_eq!(parse_filter("local_reads,bogus"), Err("bogus"));
    assert_eq!(parse_filter("Local_reads"), Err("Local_reads"));
}

fn all(rest: Option<&str>) -> Vec<Entry<'_>> {
    entries(rest).collect()
}

#[test]
fn assignment_entries_as_upstream() {
    let e = |target, state| Entry { target, state };
    assert_eq!(
        all(Some("0=e; 1=_")),
        vec![e(Target::Dom(0), Some("e")), e(Target::Dom(1), Some("_"))]
    );
    assert_eq!(
        all(Some("*=e;0=_")),
        vec![e(Target::All, Some("e")), e(Target::Dom(0), Some("_"))]
    );
    assert_eq!(all(None), vec![]);
    assert_eq!(all(Some("")), vec![]);
    assert_eq!(all(Some("0=e;")), vec![e(Target::Dom(0), Some("e"))]);
    assert_eq!(
        all(Some(";0=e")),
        vec![e(Target::Missing, None), e(Target::Dom(0), Some("e"))]
    );
    assert_eq!(all(Some("0")), vec![e(Target::Dom(0), None)]);
    assert_eq!(all(Some("x=e")), vec![e(Target::Missing, Some("e"))]);
    assert_eq!(all(Some("0 =e")), vec![e(Target::Missing, Some("e"))]);
    assert_eq!(all(Some("+7=ee")), vec![e(Target::Dom(7), Some("ee"))]);
    assert_eq!(
        split_line("mbm_total_bytes:0=e"),
        ("mbm_total_bytes", Some("0=e"))
    );
    assert_eq!(split_line(""), ("", None));
    assert_eq!(assign_state(Some("e")), Some(true));
    assert_eq!(assign_state(Some("_")), Some(false));
    assert_eq!(assign_state(Some("e ")), None);
    assert_eq!(assign_state(None), None);
}

#[test]
fn kstrtobool() {
    for (s, v) in [
        ("1", true),
        ("y\n", true),
        ("Yes", true),
        ("on", true),
        ("ON", true),
    ] {
        assert_eq!(parse_bool(s.as_bytes()), Some(v), "{s}");
    }
    for (s, v) in [
        ("0\n", false),
        ("n", false),
        ("off", false),
        ("oF", false),
        ("False", false),
    ] {
        assert_eq!(parse_bool(s.as_bytes()), Some(v), "{s}");
    }
    for s in ["", "o", "x", "2", " 1"] {
        assert_eq!(parse_bool(s.as_bytes()), None, "{s:?}");
    }
}

proptest! {
    /// Any set of transactions shows as names that parse back to it.
    #[test]
    fn filter_round_trip(bits in 0u32..0x80) {
        let shown = filter(bits);
        prop_assert_eq!(parse_filter(&shown), Ok(bits));
    }

    /// Parsing never panics, and what it takes is a set of transactions.
    #[test]
    fn filter_parse_total(s in ".{0,80}") {
        if let Ok(b) = parse_filter(&s) {
            prop_assert_eq!(b & !0x7f, 0);
        }
    }
}
