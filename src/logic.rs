// SPDX-License-Identifier: GPL-2.0

//! Pure logic: no kernel types, so the host's `cargo test` builds and
//! property-tests these modules too (`hosttests/`). Modules here refer to
//! each other with `super::`, which works in both builds.

pub(crate) mod alloc_policy;
pub(crate) mod cpumask;
pub(crate) mod ctrlval;
pub(crate) mod evt_cfg;
pub(crate) mod fixed_point;
pub(crate) mod io_alloc_cbm;
pub(crate) mod mba_sc;
pub(crate) mod mbm_assign;
// The host tests exercise the whole API of these; the kernel uses part.
#[allow(dead_code)]
pub(crate) mod ids;
#[allow(dead_code)]
pub(crate) mod mbm;
pub(crate) mod mount_opts;
pub(crate) mod perf_count;
#[allow(dead_code)]
pub(crate) mod rmid_set;
pub(crate) mod schemata;
pub(crate) mod seqcount;
