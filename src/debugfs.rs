// SPDX-License-Identifier: GPL-2.0

//! debugfs `resctrl_rs/domains`: one line per online domain,
//!
//! ```text
//! domain <id> cpus <list> refs <n> overflow <cpu|none|invalid> limbo <cpu|none|invalid> limbo_rmids <n> overflow_pass_ns <n>
//! ```
//!
//! (`overflow_pass_ns`: how long the overflow worker's last pass took.)
//!
//! then `alive <n>`: how many domain objects exist, online or not, so a
//! test sees an offline domain freed once its workers let go.

use crate::{
    kapi::{debugfs, kref::Kref, seq_file::SeqFile},
    model::domain::{alive, Target},
    state,
};
use core::fmt::Write;
use kernel::{c_str, prelude::*};

static FILES: [debugfs::File; 1] = [debugfs::File {
    name: c_str!("domains"),
    show,
    write: None,
}];

struct Shown(Target);

impl core::fmt::Display for Shown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Target::Idle => write!(f, "none"),
            Target::Cpu(c) => write!(f, "{c}"),
            Target::Invalid => write!(f, "invalid"),
        }
    }
}

fn show(m: &mut SeqFile<'_>) -> Result {
    let st = state::lock()?;
    for e in st.doms.iter() {
        write!(m, "domain {} cpus ", e.dom.id)?;
        e.cpus.fmt_list(m)?;
        writeln!(
            m,
            " refs {} overflow {} limbo {} limbo_rmids {} overflow_pass_ns {}",
            Kref::count(&e.dom),
            Shown(e.overflow),
            Shown(e.limbo),
            e.busy.len(),
            e.overflow_pass_ns
        )?;
    }
    writeln!(m, "alive {}", alive())?;
    Ok(())
}

/// Creates `resctrl_rs/` in debugfs; it stays for the life of the kernel.
pub(crate) fn init() {
    let dir = debugfs::Dir::new(c_str!("resctrl_rs"));
    for f in FILES.iter() {
        dir.create_file(f);
    }
    core::mem::forget(dir);
}
