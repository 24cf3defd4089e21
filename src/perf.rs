// SPDX-License-Identifier: GPL-2.0

//! The perf PMU `resctrl`: counting a group's monitoring events from a
//! resctrl file descriptor (seed 001), with `perf_event_open()` or the stock
//! `perf` tool.
//!
//! `attr.config` carries the fd in its low 32 bits. An fd of a
//! `mon_data/mon_L3_<id>/<event>` file names group, domain and event; an fd
//! of a group directory names the group, `attr.config1` the event (1
//! `llc_occupancy`, 2 `mbm_total_bytes`, 3 `mbm_local_bytes`) and the
//! event's CPU the domain. Events are counting-only and bound to a CPU of
//! their domain. Bandwidth events count bytes while enabled, through the
//! domain's accounting that file reads and the overflow worker share;
//! `llc_occupancy` shows the occupancy now.
//!
//! An event holds its group and its domain. Once the group is removed (or
//! resctrl unmounted), or the domain goes offline, reads keep the last
//! count. An event whose CPU goes offline while others of its domain stay
//! moves to one of them and counts on.

pub(crate) mod hotplug;
pub(crate) mod pmu;

use kernel::prelude::*;

/// Registers the PMU, then its CPU hotplug state, which moves events off
/// CPUs going offline; both for the kernel's life.
pub(crate) fn init() -> Result {
    pmu::register()?;
    hotplug::init()
}
