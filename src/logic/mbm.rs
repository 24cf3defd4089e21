// SPDX-License-Identifier: GPL-2.0

//! Memory bandwidth counters narrower than 64 bits, made into 64-bit totals
//! that never go backwards: each read adds the distance the hardware counter
//! moved since the previous read of the same counter, modulo its width.
//! Upstream's `mbm_overflow_count()` and `struct arch_mbm_state`.
//!
//! A wrap is counted once as long as some read happens at least once per
//! wrap period, which the overflow worker guarantees.
//!
//! An [`MbmCell`] holds a state where readers without the writers' lock
//! can load it (under a [`super::seqcount::SeqCount`]) and
//! [`MbmState::peek`] what a read now would give, without storing it.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

/// How far a `width`-bit counter moved from `prev` to `cur`, wrapping once
/// at most.
///
/// # Examples
///
/// ```ignore
/// assert_eq!(wrap_delta(0xff_fff0, 0x10, 24), 0x20);
/// ```
pub(crate) fn wrap_delta(prev: u64, cur: u64, width: u32) -> u64 {
    let shift = 64 - width.clamp(1, 64);
    (cur << shift).wrapping_sub(prev << shift) >> shift
}

use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The running total of one (domain, RMID, event) counter, in counter units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MbmState {
    /// The raw value at the previous read.
    prev: u64,
    /// Units counted since the counter was reset.
    total: u64,
    /// Whether `prev` holds a read (after a reset it does not).
    primed: bool,
    /// When the counter was last reset, in the domain's reset sequence.
    born: u64,
}

impl MbmState {
    /// Takes a raw read of a `width`-bit counter; returns the total.
    pub(crate) fn update(&mut self, raw: u64, width: u32) -> u64 {
        if self.primed {
            self.total = self.total.wrapping_add(wrap_delta(self.prev, raw, width));
        }
        self.prev = raw;
        self.primed = true;
        self.total
    }

    /// Starts counting over from zero, stamped with `born`, the domain's
    /// reset sequence number for this reset; the next read only primes.
    pub(crate) fn reset_at(&mut self, born: u64) {
        *self = Self {
            born,
            ..Self::default()
        };
    }

    /// Starts counting over from zero, stamped with `born`, for a counter
    /// the hardware itself just cleared: the next read counts from 0, so
    /// nothing counted since the clear is lost (upstream's
    /// `resctrl_arch_reset_rmid_all()`).
    pub(crate) fn restart_at(&mut self, born: u64) {
        *self = Self {
            born,
            primed: true,
            ..Self::default()
        };
    }

    /// The hardware counter starts over from 0 (it was unavailable: taken
    /// away, and given back cleared): the next read counts from 0, the
    /// total stays.
    pub(crate) fn rezero(&mut self) {
        self.prev = 0;
        self.primed = true;
    }

    /// The reset sequence number of the last reset (0 if none).
    pub(crate) fn born(&self) -> u64 {
        self.born
    }

    /// The total so far, without reading.
    pub(crate) fn total(&self) -> u64 {
        self.total
    }

    /// The total a read of `raw` would give, leaving the state as it is:
    /// for a reader that may not store. `raw` must be read after the state
    /// was (so it is not older than `prev`).
    pub(crate) fn peek(&self, raw: u64, width: u32) -> u64 {
        if self.primed {
            self.total.wrapping_add(wrap_delta(self.prev, raw, width))
        } else {
            self.total
        }
    }
}

/// An [`MbmState`] in atomics: writers, serialised among themselves, store
/// it whole inside a write of the sequence counter that guards it; readers
/// load it inside a read of that counter.
#[derive(Debug, Default)]
pub(crate) struct MbmCell {
    prev: AtomicU64,
    total: AtomicU64,
    primed: AtomicBool,
    born: AtomicU64,
    /// Set by any reader, the lockless ones included, that found the
    /// hardware counter unavailable: it counts from 0 once back, so `prev`
    /// is taken as 0 until the writer's next update ([`MbmState::rezero`]).
    rezero: AtomicBool,
}

impl MbmCell {
    /// The state (torn if a write overlapped: read under the counter).
    pub(crate) fn load(&self) -> MbmState {
        MbmState {
            prev: self.prev.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
            primed: self.primed.load(Ordering::Relaxed),
            born: self.born.load(Ordering::Relaxed),
        }
    }

    /// The state as a reader that stores nothing uses it: with a pending
    /// [`MbmCell::mark_rezero`] applied.
    pub(crate) fn load_for_read(&self) -> MbmState {
        let mut s = self.load();
        if self.rezero.load(Ordering::Relaxed) {
            s.rezero();
        }
        s
    }

    /// The state for the writer's update, taking a pending
    /// [`MbmCell::mark_rezero`] into it.
    pub(crate) fn take(&self) -> MbmState {
        let mut s = self.load();
        if self.rezero.swap(false, Ordering::Relaxed) {
            s.rezero();
        }
        s
    }

    /// A read found the hardware counter unavailable (see `rezero`). Any
    /// reader may call it, with or without the writers' lock.
    pub(crate) fn mark_rezero(&self) {
        self.rezero.store(true, Ordering::Relaxed);
    }

    /// Drops a pending [`MbmCell::mark_rezero`]: the counter was reset.
    pub(crate) fn clear_rezero(&self) {
        self.rezero.store(false, Ordering::Relaxed);
    }

    /// Stores `s`; for the writer, inside its write of the counter.
    pub(crate) fn store(&self, s: MbmState) {
        self.prev.store(s.prev, Ordering::Relaxed);
        self.total.store(s.total, Ordering::Relaxed);
        self.primed.store(s.primed, Ordering::Relaxed);
        self.born.store(s.born, Ordering::Relaxed);
    }
}
