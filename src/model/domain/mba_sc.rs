// SPDX-License-Identifier: GPL-2.0

//! What the MBA software controller (`-o mba_MBps`) keeps per L3 domain: the
//! bandwidth each CLOSID is to stay under, in MBps, as `schemata` shows it
//! (upstream's `rdt_ctrl_domain::mbps_val`), and each RMID's bandwidth over
//! the controller's last interval, per bandwidth event (upstream's
//! `mbm_state::prev_bw`). The controller is [`crate::mon::mba_sc`].

use crate::logic::{
    ids::MAX_CLOSIDS,
    mba_sc::{BwSample, MBA_MAX_MBPS, NSEC_PER_SEC},
};
use kernel::prelude::*;

/// See the module documentation.
pub(crate) struct MbaScState {
    mbps_val: [u32; MAX_CLOSIDS as usize],
    /// Per RMID, the samples of the total (0) and local (1) events.
    bw: KVec<[BwSample; 2]>,
    /// When the last pass began (0: none yet).
    last_pass_ns: u64,
    /// How long before the last pass the one before it began.
    elapsed_ns: u64,
}

impl MbaScState {
    /// No limits, no bandwidth yet, for `num_rmid` RMIDs.
    pub(super) fn new(num_rmid: u32) -> Result<Self> {
        Ok(Self {
            mbps_val: [MBA_MAX_MBPS; MAX_CLOSIDS as usize],
            bw: KVec::from_elem([BwSample::default(); 2], num_rmid as usize, GFP_KERNEL)?,
            last_pass_ns: 0,
            elapsed_ns: NSEC_PER_SEC,
        })
    }

    /// The limit of `closid`, in MBps.
    pub(crate) fn mbps_val(&self, closid: u32) -> u32 {
        self.mbps_val
            .get(closid as usize)
            .copied()
            .unwrap_or(MBA_MAX_MBPS)
    }

    /// Sets the limit of `closid`, in MBps.
    pub(crate) fn set_mbps_val(&mut self, closid: u32, val: u32) {
        if let Some(v) = self.mbps_val.get_mut(closid as usize) {
            *v = val;
        }
    }

    /// Lifts every CLOSID's limit (upstream's `set_mba_sc()`), and starts
    /// the samples over, as at a new mount: bandwidth is measured from the
    /// next pass on.
    pub(crate) fn reset(&mut self) {
        self.mbps_val.fill(MBA_MAX_MBPS);
        self.bw.iter_mut().flatten().for_each(BwSample::restart);
        self.last_pass_ns = 0;
    }

    /// A pass of the controller begins at `now` (nanoseconds): the samples
    /// it takes cover the time since the previous pass (a second if none).
    pub(crate) fn start_pass(&mut self, now: u64) {
        self.elapsed_ns = match self.last_pass_ns {
            0 => NSEC_PER_SEC,
            last => now.saturating_sub(last),
        };
        self.last_pass_ns = now;
    }

    /// Takes the total bytes of `rmid`'s bandwidth event `slot` (0 total, 1
    /// local), counted since its reset number `born`.
    pub(crate) fn sample(&mut self, rmid: u32, slot: usize, total: u64, born: u64) {
        if let Some(s) = self.bw.get_mut(rmid as usize).and_then(|p| p.get_mut(slot)) {
            s.sample(total, born, self.elapsed_ns);
        }
    }

    /// `rmid`'s bandwidth of event `slot` over the last interval, in MBps.
    pub(crate) fn mbps(&self, rmid: u32, slot: usize) -> u32 {
        self.bw
            .get(rmid as usize)
            .and_then(|p| p.get(slot))
            .map_or(0, |s| s.mbps())
    }
}
