// SPDX-License-Identifier: GPL-2.0

use crate::ids::*;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[test]
fn closids_lowest_first_zero_reserved() {
    let mut c = ClosidAllocator::new(4);
    assert!(c.is_allocated(0));
    assert_eq!((c.alloc(), c.alloc(), c.alloc()), (Ok(1), Ok(2), Ok(3)));
    assert_eq!(c.alloc(), Err(AllocError::NoSpace));
    c.free(2);
    c.free(0);
    assert_eq!(c.alloc(), Ok(2));
    assert_eq!(c.alloc(), Err(AllocError::NoSpace));
}

#[test]
fn rmids_oldest_first_with_limbo() {
    let mut r = RmidAllocator::new(vec![RmidEntry::default(); 4]);
    assert_eq!((r.alloc(), r.alloc(), r.alloc()), (Ok(1), Ok(2), Ok(3)));
    assert_eq!(r.alloc(), Err(AllocError::NoSpace));
    r.free(2, 2);
    assert_eq!(r.alloc(), Err(AllocError::Busy));
    r.free(1, 0);
    assert!(!r.limbo_clean(2));
    assert!(r.limbo_clean(2));
    // 1 was freed before 2 came out of limbo.
    assert_eq!((r.alloc(), r.alloc()), (Ok(1), Ok(2)));
    assert_eq!(r.counts(), (0, 0));
}

#[derive(Clone, Debug)]
enum Op {
    Alloc,
    AllocBelow(u32),
    Free(usize, u32),
    Clean(u32),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    proptest::collection::vec(
        prop_oneof![
            3 => Just(Op::Alloc),
            2 => (0u32..22).prop_map(Op::AllocBelow),
            2 => (any::<usize>(), 0u32..3).prop_map(|(i, b)| Op::Free(i, b)),
            2 => (0u32..20).prop_map(Op::Clean),
        ],
        0..200,
    )
}

proptest! {
    /// The allocator behaves as a FIFO free list plus a limbo map.
    #[test]
    fn rmids_match_model(n in 1u32..20, ops in ops()) {
        let mut r = RmidAllocator::new(vec![RmidEntry::default(); n as usize]);
        let mut free: VecDeque<u32> = (1..n).collect();
        let mut limbo: BTreeMap<u32, u32> = BTreeMap::new();
        let mut held: Vec<u32> = Vec::new();
        for op in ops {
            match op {
                Op::Alloc => {
                    let want = match free.pop_front() {
                        Some(x) => Ok(x),
                        None if limbo.is_empty() => Err(AllocError::NoSpace),
                        None => Err(AllocError::Busy),
                    };
                    let got = r.alloc();
                    prop_assert_eq!(got, want);
                    if let Ok(x) = got { held.push(x); }
                }
                Op::AllocBelow(cap) => {
                    // The oldest free RMID below the cap; Busy if one
                    // below it waits in limbo.
                    let want = match free.iter().position(|&x| x < cap) {
                        Some(i) => Ok(free.remove(i).unwrap()),
                        None if limbo.keys().any(|&x| x < cap) => Err(AllocError::Busy),
                        None => Err(AllocError::NoSpace),
                    };
                    let got = r.alloc_below(cap);
                    prop_assert_eq!(got, want);
                    if let Ok(x) = got { held.push(x); }
                }
                Op::Free(i, busy) if !held.is_empty() => {
                    let x = held.swap_remove(i % held.len());
                    r.free(x, busy);
                    if busy == 0 { free.push_back(x); } else { limbo.insert(x, busy); }
                }
                Op::Free(..) => {}
                Op::Clean(x) => {
                    let want = match limbo.get_mut(&x) {
                        Some(b) if *b > 1 => { *b -= 1; false }
                        Some(_) => { limbo.remove(&x); free.push_back(x); true }
                        None => false,
                    };
                    prop_assert_eq!(r.limbo_clean(x), want);
                }
            }
            prop_assert_eq!(r.counts(), (free.len() as u32, limbo.len() as u32));
        }
        // Every RMID is in exactly one place.
        let all: BTreeSet<u32> = free.iter().chain(limbo.keys()).chain(held.iter()).copied().collect();
        prop_assert_eq!(all.len() as u32, n - 1);
    }

    #[test]
    fn closids_never_double_allocate(n in 1u32..70, frees in proptest::collection::vec(any::<u32>(), 0..100)) {
        let mut c = ClosidAllocator::new(n);
        let mut held = BTreeSet::new();
        for f in frees {
            match c.alloc() {
                Ok(x) => { prop_assert!(x != 0 && x < n.min(MAX_CLOSIDS)); prop_assert!(held.insert(x)); }
                Err(e) => { prop_assert_eq!(e, AllocError::NoSpace); prop_assert_eq!(held.len() as u32, c.len() - 1); }
            }
            if f % 2 == 0 && !held.is_empty() {
                let x = *held.iter().nth(f as usize % held.len()).unwrap();
                held.remove(&x);
                c.free(x);
                prop_assert!(!c.is_allocated(x));
            }
        }
    }
}
