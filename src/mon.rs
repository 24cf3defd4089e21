// SPDX-License-Identifier: GPL-2.0

//! Monitoring: reading a group's counters in a domain with the per-domain
//! bandwidth accounting ([`counters`]), counter assignment ([`cntrs`]),
//! RMID limbo ([`limbo`]), the MBA
//! software controller ([`mba_sc`]), and the overflow and limbo workers of
//! each domain ([`workers`]).

pub(crate) mod cntrs;
pub(crate) mod counters;
pub(crate) mod limbo;
pub(crate) mod mba_sc;
pub(crate) mod workers;
