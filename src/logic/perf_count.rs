// SPDX-License-Identifier: GPL-2.0

//! What a perf event counts of a group's memory bandwidth in one domain:
//! the bytes of the group's RMIDs from when the event starts, summed over
//! the RMIDs that belong to the group at each read. The count never goes
//! backwards, also while MON groups of a CTRL_MON group come and go.
//!
//! Each read feeds the running totals of the group's RMIDs (see
//! [`super::mbm`]) with the domain's reset sequence number of their last
//! reset (`born`). The event remembers, per RMID, the total at its previous
//! read. An RMID it saw at its previous read with the same `born` counts the
//! distance since; one it did not (a MON group made or moved in since) counts
//! from its reset if that came after the event started (a new group: all its
//! bytes are the group's) and from now otherwise (one that left and came
//! back with no reset in between too); one reset since the
//! previous read (removed and its RMID reused) counts from its reset. An RMID
//! that leaves simply stops counting. An RMID whose read fails counts
//! nothing then and keeps its baseline, so the next read that works counts
//! from it (or from its reset, if one came since): nothing is counted twice.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use core::ops::DerefMut;

/// What an event remembers of one RMID.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Baseline {
    total: u64,
    born: u64,
    /// The read that saw it; 0 for never.
    read: u32,
}

/// One RMID's accounting at a read: its running total and when it was last
/// reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Now {
    /// The RMID.
    pub(crate) rmid: u32,
    /// Its running total; `None` if its read failed.
    pub(crate) total: Option<u64>,
    /// The domain's reset sequence number of its last reset.
    pub(crate) born: u64,
}

/// The counting state of one event, over a table of [`Baseline`]s indexed
/// by RMID.
#[derive(Debug)]
pub(crate) struct EventCount<V> {
    base: V,
    read: u32,
    started_after: u64,
}

impl<V: DerefMut<Target = [Baseline]>> EventCount<V> {
    /// A stopped event with room for the RMIDs `base` indexes.
    pub(crate) fn new(base: V) -> Self {
        Self {
            base,
            read: 0,
            started_after: 0,
        }
    }

    fn next_read(&mut self) -> u32 {
        self.read = self.read.wrapping_add(1).max(1);
        self.read
    }

    /// The event starts: the group's RMIDs, `members`, count from their
    /// totals now. `resets` is the domain's reset sequence number now.
    pub(crate) fn start(&mut self, resets: u64, members: impl Iterator<Item = Now>) {
        let read = self.next_read();
        self.started_after = resets;
        let base = &mut *self.base;
        for n in members {
            if let (Some(b), Some(total)) = (base.get_mut(n.rmid as usize), n.total) {
                *b = Baseline {
                    total,
                    born: n.born,
                    read,
                };
            }
        }
    }

    /// A read: how much `members`, the group's RMIDs now, counted since the
    /// previous read or the start.
    pub(crate) fn delta(&mut self, members: impl Iterator<Item = Now>) -> u64 {
        let prev = self.read;
        let read = self.next_read();
        let started_after = self.started_after;
        let base = &mut *self.base;
        let mut sum = 0u64;
        for n in members {
            let Some(b) = base.get_mut(n.rmid as usize) else {
                continue;
            };
            // Whether the event knew the RMID since its last reset, and
            // whether at its previous read.
            let known = b.read != 0 && b.born == n.born;
            let seen = known && b.read == prev;
            let Some(total) = n.total else {
                // Nothing to count now: the baseline stays, or is the reset
                // (from 0) if one came since; otherwise the next read that
                // works counts from then.
                if seen {
                    b.read = read;
                } else if !known && n.born > started_after {
                    *b = Baseline {
                        total: 0,
                        born: n.born,
                        read,
                    };
                }
                continue;
            };
            // One that was away and is back counts from now: what it
            // counted meanwhile was another group's.
            let from = if seen {
                b.total
            } else if !known && n.born > started_after {
                0
            } else {
                total
            };
            sum = sum.wrapping_add(total.saturating_sub(from));
            *b = Baseline {
                total,
                born: n.born,
                read,
            };
        }
        sum
    }
}
