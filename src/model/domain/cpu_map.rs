// SPDX-License-Identifier: GPL-2.0

//! Which domain each CPU is in, for code that may take neither resctrl's
//! mutex nor the CPU hotplug lock: perf's `event_init`, which perf may call
//! under its context mutex (CPU hotplug takes that mutex inside the hotplug
//! lock), and the PMU's `cpumask`. The hotplug callbacks keep it current,
//! under the mutex; readers take only its raw spinlock.

use super::Domain;
use crate::{
    kapi::{
        cpu,
        global::Global,
        kref::Kref,
        sync::{new_raw_spinlock_irq, RawSpinLockIrq},
    },
    logic::cpumask::CpuSet,
};
use kernel::prelude::*;

type Map = RawSpinLockIrq<KVec<Option<Kref<Domain>>>>;

static MAP: Global<Map> = Global::new();

/// Sets up the map, empty; before the hotplug state fills it.
pub(crate) fn init() -> Result {
    let v = KVec::from_elem(None, cpu::nr_cpu_ids() as usize, GFP_KERNEL)?;
    MAP.set_pinned(KBox::pin_init(
        new_raw_spinlock_irq!(v, "resctrl_cpu_domains"),
        GFP_KERNEL,
    )?)
}

/// Records that `c` is in `dom` (`None`: in none, as when offline).
pub(crate) fn set(c: u32, dom: Option<Kref<Domain>>) {
    let Some(m) = MAP.get() else {
        return;
    };
    let old = m
        .lock()
        .get_mut(c as usize)
        .map(|slot| core::mem::replace(slot, dom));
    // A last reference is dropped here, outside the lock.
    drop(old);
}

/// The domain CPU `c` is in, with a reference.
pub(crate) fn get(c: u32) -> Option<Kref<Domain>> {
    MAP.get()?.lock().get(c as usize)?.clone()
}

/// The lowest CPU other than `c` in the domain `c` is in.
pub(crate) fn sibling(c: u32) -> Option<u32> {
    let m = MAP.get()?.lock();
    let id = m.get(c as usize)?.as_ref()?.id;
    let i = m
        .iter()
        .enumerate()
        .position(|(o, d)| o != c as usize && d.as_ref().is_some_and(|d| d.id == id))?;
    Some(i as u32)
}

/// One CPU of each domain, the lowest: what `perf` opens a system-wide
/// event of the `resctrl` PMU on.
pub(crate) fn first_cpus() -> CpuSet {
    let mut set = CpuSet::new();
    let Some(m) = MAP.get() else {
        return set;
    };
    let m = m.lock();
    for (c, d) in m.iter().enumerate() {
        let Some(d) = d else { continue };
        let first = m
            .iter()
            .position(|o| o.as_ref().is_some_and(|o| o.id == d.id));
        if first == Some(c) {
            set.insert(c as u32);
        }
    }
    set
}
