// SPDX-License-Identifier: GPL-2.0

//! The model: what resctrl knows, without the file system that presents it
//! and without a mutex of its own. Everything here is reached through
//! resctrl's mutex ([`crate::state`]), except what a type says readers
//! without it may use: a domain's accounting, the per-CPU domain map, and
//! which driver holds each slot (read at `open`).
//!
//! - [`domain`]: the L3 domains, reference counted, their list and the
//!   per-CPU map;
//! - [`driver`]: the registered drivers and their resources' domains;
//! - [`group`]: the groups of the mounted hierarchy, their IDs and CPUs;
//! - [`last_cmd`]: the text of `info/last_cmd_status`.

pub(crate) mod domain;
pub(crate) mod driver;
pub(crate) mod group;
pub(crate) mod last_cmd;
