// SPDX-License-Identifier: GPL-2.0

//! The sequence counter, and bandwidth totals read through it without the
//! writers' lock while a writer updates them.

use crate::mbm::{MbmCell, MbmState};
use crate::seqcount::SeqCount;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

#[test]
fn peek_is_update_without_storing() {
    let mut s = MbmState::default();
    assert_eq!(s.peek(100, 24), 0);
    s.update(100, 24);
    assert_eq!(s.peek(130, 24), 30);
    assert_eq!(s.peek(0x10, 24), 0x100_0000 + 0x10 - 100);
    assert_eq!(s.total(), 0);
    assert_eq!(s.update(130, 24), 30);
}

#[test]
fn cell_round_trips() {
    let c = MbmCell::default();
    let mut s = MbmState::default();
    s.reset_at(7);
    s.update(5, 24);
    s.update(9, 24);
    c.store(s);
    assert_eq!(c.load(), s);
}

/// A pair the writer keeps equal: a reader never sees them differ.
#[test]
fn readers_never_see_a_torn_write() {
    let seq = Arc::new(SeqCount::new());
    let pair = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
    let stop = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (seq, pair, stop) = (seq.clone(), pair.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut last = 0;
                while !stop.load(Relaxed) {
                    let (a, b) = seq.read(|| (pair.0.load(Relaxed), pair.1.load(Relaxed)));
                    assert_eq!(a, b);
                    assert!(a >= last);
                    last = a;
                }
            })
        })
        .collect();
    for i in 1..=200_000u64 {
        seq.write_begin();
        pair.0.store(i, Relaxed);
        pair.1.store(i, Relaxed);
        seq.write_end();
    }
    stop.store(true, Relaxed);
    readers.into_iter().for_each(|r| r.join().unwrap());
}

/// A 24-bit counter that a writer advances and reads into the totals while
/// readers peek with their own later hardware read: each reader's total is
/// exactly what the counter counted since it was primed, and never goes
/// backwards.
#[test]
fn peeking_readers_count_exactly() {
    const W: u32 = 24;
    let mask = (1u64 << W) - 1;
    let seq = Arc::new(SeqCount::new());
    let cell = Arc::new(MbmCell::default());
    let hw = Arc::new(AtomicU64::new(0xff_f000));
    let stop = Arc::new(AtomicBool::new(false));
    let h0 = hw.load(Relaxed);
    let mut s = MbmState::default();
    s.update(h0 & mask, W);
    cell.store(s);
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let (seq, cell, hw, stop) = (seq.clone(), cell.clone(), hw.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut last = 0;
                while !stop.load(Relaxed) {
                    let (total, h) = seq.read(|| {
                        let s = cell.load();
                        let h = hw.load(Relaxed);
                        (s.peek(h & mask, W), h)
                    });
                    assert_eq!(total, h - h0);
                    assert!(total >= last);
                    last = total;
                }
            })
        })
        .collect();
    let mut x = 12345u64;
    for _ in 0..200_000 {
        // Steps below a quarter of the range: at most two between a
        // reader's load of the state and its hardware read.
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let h = hw.fetch_add((x >> 44) & 0x3_ffff, Relaxed) + ((x >> 44) & 0x3_ffff);
        seq.write_begin();
        let mut s = cell.load();
        s.update(h & mask, W);
        cell.store(s);
        seq.write_end();
    }
    stop.store(true, Relaxed);
    readers.into_iter().for_each(|r| r.join().unwrap());
}
