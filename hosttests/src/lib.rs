// SPDX-License-Identifier: GPL-2.0

//! Host build of resctrl-rs's pure-logic modules, for `cargo test`.
//!
//! The modules are the kernel crate's own files, included by path: what is
//! tested here is exactly what the kernel builds.

#![cfg_attr(not(test), no_std)]
// The kernel crate uses these items; this crate only tests them.
#![allow(dead_code)]

#[path = "../../src/logic/alloc_policy.rs"]
mod alloc_policy;
#[path = "../../src/logic/cpumask.rs"]
mod cpumask;
#[path = "../../src/logic/ctrlval.rs"]
mod ctrlval;
#[path = "../../src/logic/evt_cfg.rs"]
mod evt_cfg;
#[path = "../../src/logic/fixed_point.rs"]
mod fixed_point;
#[path = "../../src/logic/ids.rs"]
mod ids;
#[path = "../../src/logic/io_alloc_cbm.rs"]
mod io_alloc_cbm;
#[path = "../../src/logic/mba_sc.rs"]
mod mba_sc;
#[path = "../../src/logic/mbm.rs"]
mod mbm;
#[path = "../../src/logic/mbm_assign.rs"]
mod mbm_assign;
#[path = "../../src/logic/mount_opts.rs"]
mod mount_opts;
#[path = "../../src/logic/perf_count.rs"]
mod perf_count;
#[path = "../../src/logic/rmid_set.rs"]
mod rmid_set;
#[path = "../../src/logic/schemata.rs"]
mod schemata;
#[path = "../../src/logic/seqcount.rs"]
mod seqcount;
// resctrl_aet's telemetry layouts, pure logic too.
#[path = "../../drivers/aet/telemetry.rs"]
mod telemetry;

#[cfg(test)]
mod alloc_policy_tests;
#[cfg(test)]
mod cpumask_tests;
#[cfg(test)]
mod ctrlval_tests;
#[cfg(test)]
mod evt_cfg_tests;
#[cfg(test)]
mod fixed_point_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod ids_tests;
#[cfg(test)]
mod io_alloc_cbm_tests;
#[cfg(test)]
mod mba_sc_tests;
#[cfg(test)]
mod mbm_assign_tests;
#[cfg(test)]
mod mbm_tests;
#[cfg(test)]
mod mount_opts_tests;
#[cfg(test)]
mod perf_count_tests;
#[cfg(test)]
mod rmid_set_tests;
#[cfg(test)]
mod schemata_tests;
#[cfg(test)]
mod seqcount_tests;
#[cfg(test)]
mod telemetry_tests;
