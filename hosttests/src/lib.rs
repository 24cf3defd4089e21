// SPDX-License-Identifier: GPL-2.0

//! Host build of resctrl-rs's pure-logic modules, for `cargo test`.
//!
//! The modules are the kernel crate's own files, included by path: what is
//! tested here is exactly what the kernel builds.

#![cfg_attr(not(test), no_std)]
// The kernel crate uses these items; this crate only tests them.
#![allow(dead_code)]

#[path = "../../src/alloc_policy.rs"]
mod alloc_policy;
#[path = "../../src/cpumask.rs"]
mod cpumask;
#[path = "../../src/ctrlval.rs"]
mod ctrlval;
#[path = "../../src/ids.rs"]
mod ids;
#[path = "../../src/mount_opts.rs"]
mod mount_opts;
#[path = "../../src/schemata.rs"]
mod schemata;

#[cfg(test)]
mod alloc_policy_tests;
#[cfg(test)]
mod cpumask_tests;
#[cfg(test)]
mod ctrlval_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod ids_tests;
#[cfg(test)]
mod mount_opts_tests;
#[cfg(test)]
mod schemata_tests;
