// SPDX-License-Identifier: GPL-2.0

//! Sets of RMIDs as bitmaps: which RMIDs a CTRL_MON group's MON groups use,
//! which RMIDs a domain still finds dirty. Updates are atomic so that a
//! reader without resctrl's mutex (perf) sees every RMID either in or out.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use super::ids::MAX_RMIDS;
use core::sync::atomic::{AtomicU64, Ordering};

const WORDS: usize = MAX_RMIDS as usize / 64;

/// A set of RMIDs below [`MAX_RMIDS`]. Writers serialise among themselves;
/// readers need no lock.
#[derive(Debug, Default)]
pub(crate) struct RmidSet {
    words: [AtomicU64; WORDS],
}

impl RmidSet {
    /// The empty set.
    pub(crate) const fn new() -> Self {
        Self {
            words: [const { AtomicU64::new(0) }; WORDS],
        }
    }

    /// Adds `rmid` (ignored past [`MAX_RMIDS`]); returns whether it was new.
    pub(crate) fn insert(&self, rmid: u32) -> bool {
        let Some(w) = self.words.get(rmid as usize / 64) else {
            return false;
        };
        let bit = 1u64 << (rmid % 64);
        w.fetch_or(bit, Ordering::Relaxed) & bit == 0
    }

    /// Removes `rmid`; returns whether it was there.
    pub(crate) fn remove(&self, rmid: u32) -> bool {
        let Some(w) = self.words.get(rmid as usize / 64) else {
            return false;
        };
        let bit = 1u64 << (rmid % 64);
        w.fetch_and(!bit, Ordering::Relaxed) & bit != 0
    }

    /// Whether `rmid` is in the set.
    pub(crate) fn contains(&self, rmid: u32) -> bool {
        self.words
            .get(rmid as usize / 64)
            .is_some_and(|w| w.load(Ordering::Relaxed) & (1u64 << (rmid % 64)) != 0)
    }

    /// How many RMIDs the set holds.
    pub(crate) fn len(&self) -> u32 {
        self.words
            .iter()
            .map(|w| w.load(Ordering::Relaxed).count_ones())
            .sum()
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Empties the set.
    pub(crate) fn clear(&self) {
        self.words
            .iter()
            .for_each(|w| w.store(0, Ordering::Relaxed));
    }

    /// The RMIDs in the set, ascending (a snapshot word by word).
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, w)| {
            let mut bits = w.load(Ordering::Relaxed);
            core::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros();
                bits &= bits - 1;
                Some(i as u32 * 64 + b)
            })
        })
    }
}
