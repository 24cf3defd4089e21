// SPDX-License-Identifier: GPL-2.0

//! resctrl-rs: the resctrl file system (`mount -t resctrl`) in Rust.
//!
//! Resource groups with cache and memory bandwidth allocation and monitoring,
//! with the user ABI of upstream resctrl
//! (`Documentation/arch/x86/resctrl.rst`).
//!
//! Layout: [`kapi`] holds the safe abstractions over the C interfaces (all of
//! the crate's `unsafe`); the modules above it are safe Rust, one concept
//! each. Modules documented as pure logic use no kernel types and are also
//! tested on the host.

use kernel::{c_str, prelude::*};

mod alloc_policy;
mod arch;
mod cpumask;
mod ctrlval;
mod emul;
mod files;
mod group;
mod group_files;
// The limbo half of the RMID allocator serves monitoring, which comes next.
#[allow(dead_code)]
mod ids;
mod info;
mod kapi;
mod mount;
mod mount_opts;
mod rdt;
mod rdt_access;
mod sched;
mod schemata;
mod state;

module! {
    type: Resctrl,
    name: "resctrl",
    author: "resctrl-rs developers",
    description: "resctrl file system",
    license: "GPL",
}

struct Resctrl {
    // Dropped in this order: no new mounts, then no mount point.
    _fs: kapi::fs_context::Registration,
    _mount_point: kapi::sysfs::MountPoint,
}

impl kernel::Module for Resctrl {
    fn init(_module: &'static ThisModule) -> Result<Self> {
        state::init()?;
        let mount_point = kapi::sysfs::MountPoint::new(c_str!("resctrl"))?;
        let fs = mount::RESCTRL_FS.register()?;
        pr_info!("file system registered (resctrl-rs)\n");
        Ok(Self {
            _fs: fs,
            _mount_point: mount_point,
        })
    }
}
