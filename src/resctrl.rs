// SPDX-License-Identifier: GPL-2.0

//! resctrl-rs: the resctrl file system (`mount -t resctrl`) in Rust.
//!
//! Resource groups with cache and memory bandwidth allocation and monitoring,
//! with the user ABI of upstream resctrl
//! (`Documentation/arch/x86/resctrl.rst`).
//!
//! Layout, top to bottom:
//! - [`fs`]: the file system: mount, groups, their files, `info/`;
//! - [`perf`]: the perf PMU `resctrl`, counting a group's events;
//! - [`driver`]: loadable drivers that add resources, events and files;
//! - [`mon`]: monitoring: counter reads and accounting, limbo, workers;
//! - [`domain`]: the L3 domains, kept current by CPU hotplug;
//! - [`hw`]: the hardware behind one trait, x86 RDT real or emulated;
//! - [`logic`]: pure logic, also tested on the host;
//! - [`kapi`]: safe abstractions over the C interfaces (all of the crate's
//!   `unsafe`).
//!
//! [`state`] holds the mutex everything above [`hw`] works under.

use kernel::{c_str, prelude::*};

mod domain;
mod driver;
mod fs;
mod hw;
mod kapi;
mod logic;
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
        let fs = fs::mount::RESCTRL_FS.register()?;
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
    if let Err(e) = state::probe_arch() {
        // `probe_arch` said why (no RDT, or too many CPUs).
        pr_info!("not available: mounting and driver registration fail with ENODEV\n");
        return if e == ENODEV || e == E2BIG {
            Ok(())
        } else {
            Err(e)
        };
    }
    domain::hotplug::init()?;
    domain::debugfs::init();
    perf::pmu::register()?;
    driver::registry::init()?;
    Ok(())
}
