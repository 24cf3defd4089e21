// SPDX-License-Identifier: GPL-2.0

//! resctrl's global state and its lock, and `info/last_cmd_status`.
//!
//! As upstream, one mutex serialises everything that changes groups, IDs,
//! CPU assignments, domains and control values, and it is taken inside the
//! CPU hotplug lock. The hardware layer is probed at `late_initcall` time
//! (cacheinfo is not ready when built-in code initialises) and stays; the
//! CPU hotplug state set up then builds and keeps the domain list.

use crate::logic::cpumask::MAX_CPUS;
use crate::{
    domain::DomainList,
    driver::registry::DriverList,
    fs::group::FsState,
    hw::{
        arch::Arch,
        emul,
        rdt::{self, Rdt},
        rdt_access::Native,
    },
    kapi::{
        cmdline,
        cpu::{CpusHeld, CpusReadGuard},
        global::Global,
    },
};
use core::fmt;
use kernel::{
    new_mutex,
    prelude::*,
    sync::{lock::mutex::MutexBackend, lock::Guard, Mutex},
};

/// Size of the `last_cmd_status` buffer, as upstream.
const LAST_CMD_LEN: usize = 512;

/// The text of `info/last_cmd_status`: what the last command said.
pub(crate) struct LastCmd {
    buf: [u8; LAST_CMD_LEN],
    len: usize,
}

impl LastCmd {
    const fn new() -> Self {
        Self {
            buf: [0; LAST_CMD_LEN],
            len: 0,
        }
    }

    /// Forgets the last command's text.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// The text; empty if the last command said nothing.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for LastCmd {
    /// Appends, truncating at the buffer size (on a character boundary).
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = LAST_CMD_LEN - 1 - self.len;
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Everything the mutex protects.
pub(crate) struct State {
    /// `info/last_cmd_status`.
    pub(crate) last_cmd: LastCmd,
    /// `info/L3_MON/max_threshold_occupancy` once written; kept across
    /// mounts as upstream.
    pub(crate) threshold: Option<u32>,
    /// The online L3 domains.
    pub(crate) doms: DomainList,
    /// The mounted hierarchy, if any.
    pub(crate) fs: Option<KBox<FsState>>,
    /// The registered drivers.
    pub(crate) drivers: DriverList,
}

static STATE: Global<Mutex<State>> = Global::new();
static ARCH: Global<Rdt> = Global::new();
static NATIVE: Native = Native;

/// Sets up the state, at initialisation.
pub(crate) fn init() -> Result {
    let m = KBox::pin_init(
        new_mutex!(State {
            last_cmd: LastCmd::new(),
            threshold: None,
            doms: DomainList::new(),
            fs: None,
            drivers: DriverList::new(),
        }),
        GFP_KERNEL,
    )?;
    STATE.set_pinned(m)
}

/// How a [`Locked`] holds off CPU hotplug.
enum CpusBy<'a> {
    /// Its own `cpus_read_lock()`, dropped after the mutex.
    Own(CpusReadGuard),
    /// The caller's: a hotplug callback, or a holder of the lock.
    Caller(&'a CpusHeld),
}

/// The state, locked inside the CPU hotplug lock.
pub(crate) struct Locked<'a> {
    // Dropped first: the mutex is taken inside the hotplug lock.
    st: Guard<'static, State, MutexBackend>,
    cpus: CpusBy<'a>,
}

impl Locked<'_> {
    /// The state, and the proof that CPU hotplug is held off while it is
    /// locked, for what must not take `cpus_read_lock()` again (the
    /// `_cpuslocked` calls).
    pub(crate) fn split(&mut self) -> (&mut State, &CpusHeld) {
        let cpus = match &self.cpus {
            CpusBy::Own(g) => g.held(),
            CpusBy::Caller(h) => *h,
        };
        (&mut self.st, cpus)
    }
}

impl core::ops::Deref for Locked<'_> {
    type Target = State;
    fn deref(&self) -> &State {
        &self.st
    }
}

impl core::ops::DerefMut for Locked<'_> {
    fn deref_mut(&mut self) -> &mut State {
        &mut self.st
    }
}

/// Takes the CPU hotplug lock, then resctrl's mutex. May sleep.
pub(crate) fn lock() -> Result<Locked<'static>> {
    let m = STATE.get().ok_or(ENODEV)?;
    let cpus = CpusReadGuard::new();
    Ok(Locked {
        st: m.lock(),
        cpus: CpusBy::Own(cpus),
    })
}

/// Takes resctrl's mutex in a CPU hotplug callback, where the hotplug lock
/// is already held for the operation. May sleep.
pub(crate) fn lock_in_hotplug(held: &CpusHeld) -> Result<Locked<'_>> {
    lock_held(held)
}

/// Takes resctrl's mutex where CPU hotplug is already held off (`held`).
/// May sleep.
pub(crate) fn lock_held(held: &CpusHeld) -> Result<Locked<'_>> {
    let m = STATE.get().ok_or(ENODEV)?;
    Ok(Locked {
        st: m.lock(),
        cpus: CpusBy::Caller(held),
    })
}

/// The hardware layer, once probed.
pub(crate) fn arch() -> Option<&'static dyn Arch> {
    ARCH.get().map(|a| a as &dyn Arch)
}

/// Probes the hardware layer, at `late_initcall` time: native RDT if the
/// CPU has it, else the emulation. The boot parameter `resctrl_rs.emulate=`
/// `force` (or `1`) uses the emulation even on RDT hardware; `off` (or `0`)
/// never uses it.
pub(crate) fn probe_arch() -> Result<&'static dyn Arch> {
    // CPU sets (groups' `cpus`, domains' CPUs) hold `MAX_CPUS` CPUs: on a
    // machine with more possible CPUs, refuse at once, saying so, rather
    // than leave the higher ones out of every group and domain.
    let possible = crate::kapi::cpu::nr_cpu_ids();
    if possible as usize > MAX_CPUS {
        pr_err!(
            "CPU numbers up to {}, more than the {} resctrl-rs supports: not available\n",
            possible - 1,
            MAX_CPUS
        );
        return Err(E2BIG);
    }
    let cpus = CpusReadGuard::new();
    let mode = cmdline::param("resctrl_rs.emulate").unwrap_or("auto");
    let force = matches!(mode, "force" | "1" | "on");
    let never = matches!(mode, "off" | "0");
    let native = if force { None } else { rdt::probe(&NATIVE)? };
    let (rdt, what) = match native {
        Some(r) => (r, "RDT hardware"),
        None if never => {
            pr_info!("no RDT and emulation is off (resctrl_rs.emulate=off)\n");
            return Err(ENODEV);
        }
        None => {
            let model = emul::get_or_init(cpus.held())?;
            (rdt::probe(model)?.ok_or(ENODEV)?, "emulated RDT")
        }
    };
    pr_info!(
        "{}: L3 CAT {}, MBA {}, L3 monitoring {} ({} RMIDs)\n",
        what,
        rdt.l3.is_some(),
        rdt.mb.is_some(),
        rdt.mon.is_some(),
        rdt.mon.map_or(0, |m| m.num_rmid)
    );
    ARCH.set_pinned(KBox::pin(rdt, GFP_KERNEL)?)?;
    arch().ok_or(ENODEV)
}
