// SPDX-License-Identifier: GPL-2.0

//! The MBA software controller (`-o mba_MBps`): once a second, per domain
//! and CTRL_MON group, the bandwidth the group used over the last second is
//! compared with the bandwidth it is to stay under, and its throttle moves
//! one granule toward it. Upstream's `mbm_bw_count()` and
//! `update_mba_bw()`.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

/// The bandwidth limit of a group nobody set one for: none (upstream's
/// `MBA_MAX_MBPS`).
pub(crate) const MBA_MAX_MBPS: u32 = u32::MAX;

/// The largest throttle, in percent: no throttling (upstream's
/// `MAX_MBA_BW`).
pub(crate) const MAX_MBA_BW: u32 = 100;

/// One RMID's bandwidth over the controller's last interval, from the bytes
/// its counter totals (upstream's `mbm_state::prev_bw_bytes` and
/// `prev_bw`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct BwSample {
    /// The total at the previous sample.
    prev_bytes: u64,
    /// Which reset of the counter that total counted from.
    born: u64,
    /// Whether `prev_bytes` holds a sample to measure from.
    primed: bool,
    /// MBps over the last interval.
    prev_bw: u32,
}

impl BwSample {
    /// Takes the counter's `total` bytes, counted since its reset number
    /// `born`, `elapsed_ns` after the previous sample: the bandwidth is the
    /// MiB since then (since the reset, when the counter was reset in
    /// between; none, when there was no sample to measure from), per
    /// second. Upstream takes the interval to be one second; it is, unless
    /// a pass was late or missed.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let mut s = BwSample::default();
    /// s.sample(3 << 20, 0, NSEC_PER_SEC);
    /// s.sample(5 << 20, 0, NSEC_PER_SEC);
    /// assert_eq!(s.mbps(), 2);
    /// ```
    pub(crate) fn sample(&mut self, total: u64, born: u64, elapsed_ns: u64) {
        let bytes = if born != self.born {
            total
        } else if self.primed {
            total.wrapping_sub(self.prev_bytes)
        } else {
            0
        };
        let ms = (elapsed_ns / 1_000_000).max(1);
        let mbps = (bytes >> 20).saturating_mul(1000) / ms;
        *self = Self {
            prev_bytes: total,
            born,
            primed: true,
            prev_bw: u32::try_from(mbps).unwrap_or(u32::MAX),
        };
    }

    /// Starts over: the next sample only takes the total to measure from.
    pub(crate) fn restart(&mut self) {
        self.primed = false;
        self.prev_bw = 0;
    }

    /// The bandwidth over the last interval, in MBps (MiB/s).
    pub(crate) fn mbps(&self) -> u32 {
        self.prev_bw
    }
}

/// Nanoseconds in a second.
pub(crate) const NSEC_PER_SEC: u64 = 1_000_000_000;

/// What the throttle of a group becomes: `cur` percent now, `cur_bw` MBps
/// used, `user_bw` MBps allowed, throttles from `min_bw` to [`MAX_MBA_BW`]
/// in steps of `gran`. One step down when over the limit; one step up when
/// one more step would likely stay under it (the bandwidth scaled by
/// `(cur + min_bw) / cur`, as upstream, so it does not thrash); else
/// `None`, no change.
///
/// # Examples
///
/// ```ignore
/// assert_eq!(step(100, 500, 100, 10, 10), Some(90));
/// assert_eq!(step(50, 100, 1000, 10, 10), Some(60));
/// assert_eq!(step(50, 100, 110, 10, 10), None);
/// ```
pub(crate) fn step(cur: u32, cur_bw: u32, user_bw: u32, min_bw: u32, gran: u32) -> Option<u32> {
    if cur > min_bw && user_bw < cur_bw {
        return Some(cur.saturating_sub(gran).max(min_bw));
    }
    if cur < MAX_MBA_BW
        && cur > 0
        && u64::from(user_bw) > u64::from(cur_bw) * u64::from(cur + min_bw) / u64::from(cur)
    {
        return Some((cur + gran).min(MAX_MBA_BW));
    }
    None
}
