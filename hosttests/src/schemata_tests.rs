// SPDX-License-Identifier: GPL-2.0

use crate::ctrlval::CacheProps;
use crate::fixtures::{AMD_L3, AMD_MB, L3, MB};
use crate::schemata::*;
use proptest::prelude::*;

const DOMS: [u32; 2] = [0, 1];

fn schemas() -> [Schema<'static>; 2] {
    [
        Schema {
            name: "L3",
            ctrl: Ctrl::Cache(L3),
            num_closid: 16,
            domain_ids: &DOMS,
        },
        Schema {
            name: "MB",
            ctrl: Ctrl::Mb(MB),
            num_closid: 8,
            domain_ids: &DOMS,
        },
    ]
}

/// Other groups: one exclusive group holding 0x600 in every L3 domain, one
/// shareable group holding 0x00f.
struct Others2;
impl Others for Others2 {
    fn cbm_overlaps(&self, _s: usize, _d: usize, cbm: u32, exclusive_only: bool) -> bool {
        cbm & 0x600 != 0 || (!exclusive_only && cbm & 0x00f != 0)
    }
}
struct NoOthers;
impl Others for NoOthers {
    fn cbm_overlaps(&self, _: usize, _: usize, _: u32, _: bool) -> bool {
        false
    }
}

fn try_parse(buf: &str, closid: u32, mode: Mode) -> Result<Staged<Vec<Option<u32>>>, String> {
    let mut st = Staged::new(vec![None; STAGED_LEN]);
    parse(buf, &schemas(), closid, mode, &Others2, &mut st).map_err(|e| e.to_string())?;
    Ok(st)
}

#[test]
fn good_writes() {
    let st = try_parse("L3:0=1f0;1=f0\nMB:1=45\n", 1, Mode::Shareable).unwrap();
    assert_eq!(
        (st.get(0, 0), st.get(0, 1), st.get(1, 0), st.get(1, 1)),
        (Some(0x1f0), Some(0xf0), None, Some(50))
    );
    // White space around names and values, and a trailing ';', as upstream.
    let st = try_parse(" L3 :0= 70 ;\n", 1, Mode::Shareable).unwrap();
    assert_eq!(st.get(0, 0), Some(0x70));
    // Shareable groups may overlap shareable ones.
    assert!(try_parse("L3:0=01f\n", 1, Mode::Shareable).is_ok());
}

#[test]
fn bad_writes_name_upstream_message_and_line() {
    let cases: &[(&str, u32, Mode, &str)] = &[
        (
            "L3:0=ff",
            1,
            Mode::Shareable,
            "Input must end with a newline",
        ),
        ("\n", 1, Mode::Shareable, "Missing ':'\nLine 1: "),
        (
            "L3:0=70\nL3\n",
            1,
            Mode::Shareable,
            "Missing ':'\nLine 2: L3",
        ),
        (
            "L3:\n",
            1,
            Mode::Shareable,
            "Missing 'L3' value\nLine 1: L3:",
        ),
        (
            "L2:0=1\n",
            1,
            Mode::Shareable,
            "Unknown or unsupported resource name 'L2'\nLine 1: L2:0=1",
        ),
        (
            "MB:0=50\n",
            9,
            Mode::Shareable,
            "Unknown or unsupported resource name 'MB'\nLine 1: MB:0=50",
        ),
        (
            "L3:0ff\n",
            1,
            Mode::Shareable,
            "Missing '=' or non-numeric domain\nLine 1: L3:0ff",
        ),
        (
            "L3: 0=ff\n",
            1,
            Mode::Shareable,
            "Missing '=' or non-numeric domain\nLine 1: L3: 0=ff",
        ),
        (
            "L3:0=70;;1=70\n",
            1,
            Mode::Shareable,
            "Missing '=' or non-numeric domain\nLine 1: L3:0=70;;1=70",
        ),
        (
            "L3:7=ff\n",
            1,
            Mode::Shareable,
            "Unknown domain 7\nLine 1: L3:7=ff",
        ),
        (
            "L3:0=70;0=70\n",
            1,
            Mode::Shareable,
            "Duplicate domain 0\nLine 1: L3:0=70;0=70",
        ),
        (
            "L3:0=70\nL3:0=70\n",
            1,
            Mode::Shareable,
            "Duplicate domain 0\nLine 2: L3:0=70",
        ),
        (
            "L3:0=xyz\n",
            1,
            Mode::Shareable,
            "Non-hex character in the mask xyz\nLine 1: L3:0=xyz",
        ),
        (
            "L3:1=70f\n",
            1,
            Mode::Shareable,
            "The mask 70f has non-consecutive 1-bits\nLine 1: L3:1=70f",
        ),
        (
            "MB:0=5\n",
            1,
            Mode::Shareable,
            "MB value 5 out of range [10,100]\nLine 1: MB:0=5",
        ),
        (
            "L3:0=600\n",
            1,
            Mode::Shareable,
            "Overlaps with exclusive group\nLine 1: L3:0=600",
        ),
        (
            "L3:0=0f0\nL3:1=01f\n",
            1,
            Mode::Exclusive,
            "Overlaps with other group\nLine 2: L3:1=01f",
        ),
    ];
    for (buf, closid, mode, want) in cases {
        assert_eq!(
            try_parse(buf, *closid, *mode).unwrap_err(),
            *want,
            "write {buf:?}"
        );
    }
}

#[test]
fn render_like_upstream() {
    let mut out = String::new();
    render(
        &mut out,
        &schemas(),
        0,
        |s, _| if s == 0 { 0x7ff } else { 100 },
    )
    .unwrap();
    assert_eq!(out, "L3:0=7ff;1=7ff\nMB:0=100;1=100\n");
    // Wider masks pad every value, bandwidth with spaces.
    let wide = CacheProps { cbm_len: 20, ..L3 };
    let s = [
        Schema {
            name: "L3CODE",
            ctrl: Ctrl::Cache(wide),
            num_closid: 8,
            domain_ids: &[0],
        },
        Schema {
            name: "MB",
            ctrl: Ctrl::Mb(MB),
            num_closid: 8,
            domain_ids: &[0],
        },
    ];
    out.clear();
    render(&mut out, &s, 0, |i, _| if i == 0 { 0xff } else { 10 }).unwrap();
    assert_eq!(out, "L3CODE:0=000ff\n    MB:0=   10\n");
    // Upstream pads names to the longest a CDP-capable resource could
    // have, whether CDP is on or not.
    out.clear();
    render(&mut out, &s[1..], 6, |_, _| 100).unwrap();
    assert_eq!(out, "    MB:0=100\n");
}

#[test]
fn amd_values_like_upstream() {
    let s = [
        Schema {
            name: "SMBA",
            ctrl: Ctrl::Mb(AMD_MB),
            num_closid: 16,
            domain_ids: &DOMS,
        },
        Schema {
            name: "MB",
            ctrl: Ctrl::Mb(AMD_MB),
            num_closid: 16,
            domain_ids: &DOMS,
        },
        Schema {
            name: "L3",
            ctrl: Ctrl::Cache(AMD_L3),
            num_closid: 16,
            domain_ids: &DOMS,
        },
    ];
    // Four digits for bandwidth as for a 16-bit mask; names right-aligned.
    let mut out = String::new();
    render(&mut out, &s, 0, |i, d| match (i, d) {
        (2, 0) => 0xf0f,
        (2, _) => 0,
        (1, 1) => 16,
        _ => 2048,
    })
    .unwrap();
    assert_eq!(
        out,
        "SMBA:0=2048;1=2048\n  MB:0=2048;1=  16\n  L3:0=0f0f;1=0000\n"
    );
    let mut staged = Staged::new(vec![None; STAGED_LEN]);
    parse(
        "MB:0=0;1=2048\nSMBA:1=16\nL3:0=f0f;1=0\n",
        &s,
        1,
        Mode::Shareable,
        &NoOthers,
        &mut staged,
    )
    .unwrap();
    assert_eq!(staged.get(1, 0), Some(0));
    assert_eq!(staged.get(1, 1), Some(2048));
    assert_eq!(staged.get(0, 1), Some(16));
    assert_eq!(staged.get(2, 0), Some(0xf0f));
    assert_eq!(staged.get(2, 1), Some(0));
    for (buf, msg) in [
        (
            "MB:0=2049\n",
            "MB value 2049 out of range [0,2048]\nLine 1: MB:0=2049",
        ),
        ("SMBA:1=x\n", "Invalid MB value x\nLine 1: SMBA:1=x"),
        ("L3:0=10000\n", "Mask out of range\nLine 1: L3:0=10000"),
    ] {
        let mut staged = Staged::new(vec![None; STAGED_LEN]);
        let e = parse(buf, &s, 1, Mode::Shareable, &NoOthers, &mut staged).unwrap_err();
        assert_eq!(e.to_string(), msg);
    }
}

proptest! {
    /// What a read shows, written back, stages exactly the values shown.
    #[test]
    fn read_back_round_trips(l3 in proptest::collection::vec((0u32..11, 1u32..=11), 2),
                             mb in proptest::collection::vec(1u32..=10, 2)) {
        let masks: Vec<u32> = l3.iter().map(|&(s, n)| (((1u64 << n.min(11 - s)) - 1) << s) as u32).collect();
        let mut out = String::new();
        render(&mut out, &schemas(), 0, |s, d| if s == 0 { masks[d] } else { mb[d] * 10 }).unwrap();
        let mut st = Staged::new(vec![None; STAGED_LEN]);
        parse(&out, &schemas(), 1, Mode::Exclusive, &NoOthers, &mut st).unwrap();
        for d in 0..2 {
            prop_assert_eq!(st.get(0, d), Some(masks[d]));
            prop_assert_eq!(st.get(1, d), Some(mb[d] * 10));
        }
    }

    /// Arbitrary writes never panic, and a refused one names a line of the
    /// write (or the whole write).
    #[test]
    fn arbitrary_writes(buf in "([LM3B:;=0-9a-fx \n]){0,40}") {
        let mut st = Staged::new(vec![None; STAGED_LEN]);
        if let Err(e) = parse(&buf, &schemas(), 1, Mode::Shareable, &Others2, &mut st) {
            let lines = buf.split('\n').count();
            prop_assert!(e.line <= lines);
            prop_assert!(!e.to_string().is_empty());
        }
    }
}
