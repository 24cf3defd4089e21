// SPDX-License-Identifier: GPL-2.0

//! resctrl-rs: the resctrl file system (`mount -t resctrl`) in Rust.
//!
//! Resource groups with cache and memory bandwidth allocation and monitoring,
//! with the user ABI of upstream resctrl
//! (`Documentation/arch/x86/resctrl.rst`).
//!
//! Layout, top to bottom (`scripts/check-layers.py` checks that arrows
//! point down):
//! - the entry points, the only code that takes [`state`]'s mutex: the
//!   callbacks of [`fs::mount`] and [`fs::hierarchy`], [`hotplug`],
//!   [`debugfs`], [`mon::workers`] and [`driver::registry`];
//! - [`state`]: resctrl's mutex and what it protects;
//! - [`fs`] (the tree of kernfs nodes and the file kinds), [`driver`] (what
//!   drivers add to a mount) and [`perf`] (the PMU `resctrl`);
//! - [`mon`]: counter reads and accounting, limbo;
//! - [`model`]: groups, IDs, domains and drivers, with no kernfs and no
//!   mutex of its own;
//! - [`hw`]: the hardware behind one trait, x86 RDT real or emulated;
//! - [`kapi`]: safe abstractions over the C interfaces (all of the crate's
//!   `unsafe`);
//! - [`logic`]: pure logic, also tested on the host.
//!
//! Where each seed's mechanism is:
//! - seed 000 (open files hold their group): [`fs::hierarchy`];
//! - seed 001 (a group from a file descriptor, for perf): [`fs::from_fd`];
//! - seed 002 (domains' workers re-target or drop their reference):
//!   [`mon::workers`];
//! - seed 003 (drivers add resources, events and files): [`driver::attach`];
//! - seed 004 (release never calls code that went): [`driver::registry`].

use kernel::{c_str, prelude::*};

mod debugfs;
mod driver;
mod fs;
mod hotplug;
mod hw;
mod kapi;
mod logic;
mod model;
mod mon;
mod perf;
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
        kapi::init::set_late_init(&LATE_INIT)?;
        let mount_point = kapi::sysfs::MountPoint::new(c_str!("resctrl"))?;
        let fs = fs::RESCTRL_FS.register()?;
        pr_info!("file system registered (resctrl-rs)\n");
        Ok(Self {
            _fs: fs,
            _mount_point: mount_point,
        })
    }
}

static LATE_INIT: fn() -> Result = late_init;

/// At `late_initcall` time, once cacheinfo is ready: the hardware, then the
/// domains through the CPU hotplug state, their debugfs file and the perf
/// PMU; then drivers may register. Without it, mounting fails with
/// `ENODEV` and registering a driver too.
fn late_init() -> Result {
    let arch = match hw::probe::probe() {
        Ok(a) => a,
        Err(e) => {
            // `probe` said why (no RDT, or too many CPUs).
            pr_info!("not available: mounting and driver registration fail with ENODEV\n");
            return if e == ENODEV || e == E2BIG {
                Ok(())
            } else {
                Err(e)
            };
        }
    };
    if let Some(c) = arch.l3_mon().and_then(|m| m.cntrs) {
        state::lock()?.cntr_cfg = model::domain::cntrs::AssignConfig::new(c.evt_bits);
    }
    hw::sched::init()?;
    hotplug::init()?;
    debugfs::init();
    perf::init()?;
    driver::registry::init()?;
    Ok(())
}
