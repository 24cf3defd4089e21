// SPDX-License-Identifier: GPL-2.0

//! Safe abstractions over the C interfaces resctrl-rs uses.
//!
//! Everything `unsafe` in the crate lives below this module, written as if for
//! `rust/kernel/`: each file wraps one C interface, and the code above it is
//! safe Rust.

pub(crate) mod cmdline;
pub(crate) mod cpu;
pub(crate) mod cpuhp;
pub(crate) mod debugfs;
pub(crate) mod fault;
pub(crate) mod file;
pub(crate) mod fs_context;
pub(crate) mod global;
pub(crate) mod init;
pub(crate) mod kernfs;
pub(crate) mod kref;
mod layout;
pub(crate) mod module;
pub(crate) mod perf;
pub(crate) mod resctrl_driver;
pub(crate) mod resctrl_emul;
pub(crate) mod sched;
pub(crate) mod seq_file;
pub(crate) mod sync;
pub(crate) mod sysfs;
pub(crate) mod task;
pub(crate) mod vec;
pub(crate) mod workqueue;
pub(crate) mod x86;
