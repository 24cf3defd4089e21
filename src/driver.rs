// SPDX-License-Identifier: GPL-2.0

//! resctrl drivers (seeds 003 and 004): code outside the core, loadable or
//! built in, in C or Rust, that adds a resource with its own domain scope,
//! monitoring events on it and files to every group and to `info/`,
//! through the C ABI of `include/linux/resctrl_driver.h`
//! ([`crate::kapi::resctrl_driver`]).
//!
//! - [`registry`]: the C ABI's entry points: registration and
//!   unregistration, under resctrl's mutex.
//! - [`attach`]: what a driver does to a mount: its nodes in every group,
//!   and its callbacks for groups made and removed.
//! - [`domains`]: the domains of a driver's resource, kept current by the
//!   core's CPU hotplug callbacks.
//!
//! The registered drivers are in the model ([`crate::model::driver`]); what
//! a driver shows in the file system, its files and their reads and writes,
//! in [`crate::fs::driver_files`].
//!
//! Every callback but `read_event` runs with resctrl's mutex held and the
//! driver listed; unregistration unlists it under the mutex, calls its last
//! callbacks, then removes its files (kernfs drains them; their `release`
//! is the core's) and only then returns. So once it returns, no code of the
//! driver runs or can run, and its module may go.

pub(crate) mod attach;
pub(crate) mod domains;
pub(crate) mod registry;
