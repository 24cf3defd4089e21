// SPDX-License-Identifier: GPL-2.0

//! A sequence counter: readers take a consistent snapshot of data that
//! writers update in place, without the writers' lock, and retry when a
//! write overlapped their read. The kernel's `seqcount_t`, read as with
//! `raw_read_seqcount_begin()` and `read_seqcount_retry()`.
//!
//! Writers serialise among themselves (a lock the caller holds) and must not
//! be interrupted by a reader on their CPU, which would spin forever: hold
//! the writers' lock with interrupts off and read with interrupts off or
//! from process context. The data is made of atomics, loaded and stored
//! `Relaxed`; the counter's fences order them (the pattern of Boehm's
//! "Can seqlocks get along with programming language memory models?").
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use core::sync::atomic::{fence, AtomicU32, Ordering};

/// A sequence counter; see the module documentation.
#[derive(Debug, Default)]
pub(crate) struct SeqCount {
    seq: AtomicU32,
}

impl SeqCount {
    /// A counter with no write in progress.
    pub(crate) const fn new() -> Self {
        Self {
            seq: AtomicU32::new(0),
        }
    }

    /// A writer starts: readers that overlap it will retry.
    pub(crate) fn write_begin(&self) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s.wrapping_add(1), Ordering::Relaxed);
        // The odd count before any store of the data.
        fence(Ordering::Release);
    }

    /// The writer is done.
    pub(crate) fn write_end(&self) {
        let s = self.seq.load(Ordering::Relaxed);
        self.seq.store(s.wrapping_add(1), Ordering::Release);
    }

    /// A reader starts: waits out a write in progress, returns the count to
    /// hand to [`SeqCount::read_retry`].
    pub(crate) fn read_begin(&self) -> u32 {
        loop {
            let s = self.seq.load(Ordering::Acquire);
            if s & 1 == 0 {
                return s;
            }
            core::hint::spin_loop();
        }
    }

    /// Whether a write overlapped the read that began at `start`: then what
    /// it loaded may be torn and it must start over.
    pub(crate) fn read_retry(&self, start: u32) -> bool {
        // The data's loads before the count's.
        fence(Ordering::Acquire);
        self.seq.load(Ordering::Relaxed) != start
    }

    /// Runs `f` until no write overlapped it; returns its last result. `f`
    /// may run more than once, so it must only load.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let snapshot = seq.read(|| (a.load(Relaxed), b.load(Relaxed)));
    /// ```
    pub(crate) fn read<R>(&self, mut f: impl FnMut() -> R) -> R {
        loop {
            let s = self.read_begin();
            let r = f();
            if !self.read_retry(s) {
                return r;
            }
        }
    }
}
