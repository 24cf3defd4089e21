// SPDX-License-Identifier: GPL-2.0

//! Sets of RMIDs as bitmaps: which RMIDs a CTRL_MON group's MON groups use,
//! which RMIDs a domain still finds dirty. Updates are atomic so that a
//! reader without resctrl's mutex (perf) sees every RMID either in or out.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use super::ids::MAX_RMIDS;
use core::sync::atomic::{AtomicU64, Ordering};

const WORDS: usize = MAX_RMIDS as usize / 64;
const _: () = assert!(WORDS <= 64, "one bit of `used` per word");

/// A set of RMIDs below [`MAX_RMIDS`]. Writers serialise among themselves;
/// readers need no lock.
#[derive(Debug, Default)]
pub(crate) struct RmidSet {
    /// Bit `i` is set while word `i` may be non-empty: readers skip the
    /// others, so a set of few RMIDs is walked in a load or two.
    used: AtomicU64,
    words: [AtomicU64; WORDS],
}

impl RmidSet {
    /// The empty set.
    pub(crate) const fn new() -> Self {
        Self {
            used: AtomicU64::new(0),
            words: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// Adds `rmid` (ignored past [`MAX_RMIDS`]); returns whether it was new.
    pub(crate) fn insert(&self, rmid: u32) -> bool {
        let i = rmid as usize / 64;
        let Some(w) = self.words.get(i) else {
            return false;
        };
        let bit = 1u64 << (rmid % 64);
        let new = w.fetch_or(bit, Ordering::Relaxed) & bit == 0;
        self.used.fetch_or(1 << i, Ordering::Relaxed);
        new
    }

    /// Removes `rmid`; returns whether it was there.
    pub(crate) fn remove(&self, rmid: u32) -> bool {
        let i = rmid as usize / 64;
        let Some(w) = self.words.get(i) else {
            return false;
        };
        let bit = 1u64 << (rmid % 64);
        let old = w.fetch_and(!bit, Ordering::Relaxed);
        if old & !bit == 0 {
            // Writers serialise: nobody refills the word meanwhile.
            self.used.fetch_and(!(1 << i), Ordering::Relaxed);
        }
        old & bit != 0
    }

    /// Whether `rmid` is in the set.
    pub(crate) fn contains(&self, rmid: u32) -> bool {
        self.words
            .get(rmid as usize / 64)
            .is_some_and(|w| w.load(Ordering::Relaxed) & (1u64 << (rmid % 64)) != 0)
    }

    /// How many RMIDs the set holds.
    pub(crate) fn len(&self) -> u32 {
        self.iter_words().map(|(_, w)| w.count_ones()).sum()
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the set.
    pub(crate) fn clear(&self) {
        self.used.store(0, Ordering::Relaxed);
        self.words
            .iter()
            .for_each(|w| w.store(0, Ordering::Relaxed));
    }

    /// The RMIDs in the set, ascending (a snapshot word by word).
    pub(crate) fn iter(&self) -> Iter<'_> {
        Iter {
            set: self,
            used: self.used.load(Ordering::Relaxed),
            base: 0,
            bits: 0,
        }
    }

    /// The words that may be non-empty, with their index.
    fn iter_words(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        let mut used = self.used.load(Ordering::Relaxed);
        core::iter::from_fn(move || {
            if used == 0 {
                return None;
            }
            let i = used.trailing_zeros() as usize;
            used &= used - 1;
            Some((i, self.words[i].load(Ordering::Relaxed)))
        })
    }
}

/// The iterator of [`RmidSet::iter`]: the words that may be non-empty, bit
/// by bit.
pub(crate) struct Iter<'a> {
    set: &'a RmidSet,
    /// The words still to load.
    used: u64,
    /// The first RMID of the word in `bits`.
    base: u32,
    /// What is left of the current word.
    bits: u64,
}

impl Iterator for Iter<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        while self.bits == 0 {
            if self.used == 0 {
                return None;
            }
            let i = self.used.trailing_zeros();
            self.used &= self.used - 1;
            self.base = i * 64;
            self.bits = self.set.words[i as usize].load(Ordering::Relaxed);
        }
        let b = self.bits.trailing_zeros();
        self.bits &= self.bits - 1;
        Some(self.base + b)
    }
}
