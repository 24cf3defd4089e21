// SPDX-License-Identifier: GPL-2.0

//! A perf event's count of a group's bandwidth while MON groups come and go.

use crate::perf_count::{Baseline, EventCount, Now};
use proptest::prelude::*;

const RMIDS: usize = 6;

/// The domain's accounting of a few RMIDs, and which belong to the group.
struct Model {
    total: [u64; RMIDS],
    born: [u64; RMIDS],
    resets: u64,
    member: [bool; RMIDS],
    /// Bytes since the previous read, per RMID, that count if the RMID is
    /// still a member at the next read.
    pending: [u64; RMIDS],
    expected: u64,
}

impl Model {
    fn now(&self) -> impl Iterator<Item = Now> + '_ {
        (0..RMIDS).filter(|&r| self.member[r]).map(|r| Now {
            rmid: r as u32,
            total: Some(self.total[r]),
            born: self.born[r],
        })
    }
}

#[derive(Clone, Debug)]
enum Op {
    Traffic(usize, u64),
    /// A MON group made with this RMID (reset, then a member).
    Make(usize),
    /// A MON group removed.
    Remove(usize),
    Read,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1..RMIDS, 0u64..1 << 40).prop_map(|(r, b)| Op::Traffic(r, b)),
        1 => (1..RMIDS).prop_map(Op::Make),
        1 => (1..RMIDS).prop_map(Op::Remove),
        2 => Just(Op::Read),
    ]
}

proptest! {
    /// The count is exactly the bytes of the RMIDs that are members at each
    /// read, counted from the start or from their MON group's creation, and
    /// it never goes backwards. RMID 0 is the CTRL_MON group's own.
    #[test]
    fn counts_members_exactly(ops in prop::collection::vec(op(), 1..300)) {
        let mut m = Model {
            total: [1000; RMIDS],
            born: [0; RMIDS],
            resets: 0,
            member: [true, true, false, false, false, false],
            pending: [0; RMIDS],
            expected: 0,
        };
        let mut ev = EventCount::new(vec![Baseline::default(); RMIDS]);
        ev.start(m.resets, m.now());
        let mut count = 0u64;
        for o in ops {
            match o {
                Op::Traffic(r, b) => {
                    m.total[r] += b;
                    m.pending[r] += b;
                }
                Op::Make(r) if !m.member[r] => {
                    m.resets += 1;
                    m.total[r] = 0;
                    m.born[r] = m.resets;
                    m.pending[r] = 0;
                    m.member[r] = true;
                }
                Op::Remove(r) => m.member[r] = false,
                Op::Read => {
                    let before = count;
                    count += ev.delta(m.now());
                    for r in 0..RMIDS {
                        if m.member[r] {
                            m.expected += m.pending[r];
                        }
                        m.pending[r] = 0;
                    }
                    prop_assert!(count >= before);
                    prop_assert_eq!(count, m.expected);
                }
                Op::Make(_) => {}
            }
        }
    }
}

#[test]
fn moved_in_counts_from_its_first_read() {
    let mut ev = EventCount::new(vec![Baseline::default(); 4]);
    let own = |t| Now {
        rmid: 0,
        total: Some(t),
        born: 0,
    };
    ev.start(5, [own(100)].into_iter());
    // RMID 2, reset before the event started (born 3), moved in with history.
    let moved = |t| Now {
        rmid: 2,
        total: Some(t),
        born: 3,
    };
    assert_eq!(ev.delta([own(150), moved(9000)].into_iter()), 50);
    assert_eq!(ev.delta([own(150), moved(9100)].into_iter()), 100);
    // Moved away: it stops counting, nothing goes back.
    assert_eq!(ev.delta([own(160)].into_iter()), 10);
}

#[test]
fn a_failed_read_counts_nothing_twice() {
    let mut ev = EventCount::new(vec![Baseline::default(); 4]);
    let at = |rmid, t: Option<u64>, born| Now {
        rmid,
        total: t,
        born,
    };
    ev.start(5, [at(0, Some(100), 0)].into_iter());
    // RMID 1's counter assigned after the start (reset 6): counts from 0.
    assert_eq!(
        ev.delta([at(0, Some(100), 0), at(1, Some(40), 6)].into_iter()),
        40
    );
    // Its read fails once (its counter taken away): nothing, nothing lost.
    assert_eq!(
        ev.delta([at(0, Some(110), 0), at(1, None, 6)].into_iter()),
        10
    );
    assert_eq!(
        ev.delta([at(0, Some(110), 0), at(1, None, 6)].into_iter()),
        0
    );
    // Back with the same reset: from where it was, not from 0 again.
    assert_eq!(
        ev.delta([at(0, Some(110), 0), at(1, Some(70), 6)].into_iter()),
        30
    );
    // Reset (a counter assigned again) while its read fails: from 0.
    assert_eq!(ev.delta([at(1, None, 7)].into_iter()), 0);
    assert_eq!(ev.delta([at(1, Some(25), 7)].into_iter()), 25);
}

#[test]
fn away_and_back_counts_from_its_return() {
    let mut ev = EventCount::new(vec![Baseline::default(); 4]);
    let at = |rmid, t: u64, born| Now {
        rmid,
        total: Some(t),
        born,
    };
    ev.start(5, [at(0, 100, 0)].into_iter());
    // A MON group made after the start (born 6): all of its bytes.
    assert_eq!(ev.delta([at(0, 100, 0), at(1, 10, 6)].into_iter()), 10);
    // Moved to another CTRL_MON group: it stops counting here...
    assert_eq!(ev.delta([at(0, 100, 0)].into_iter()), 0);
    // ... and moved back, with 40 more counted elsewhere: not those.
    assert_eq!(ev.delta([at(0, 100, 0), at(1, 50, 6)].into_iter()), 0);
    assert_eq!(ev.delta([at(0, 100, 0), at(1, 60, 6)].into_iter()), 10);
}
