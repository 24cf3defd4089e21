// SPDX-License-Identifier: GPL-2.0

//! The domains of drivers' resources: sets of CPUs that share the
//! resource's scope (a cache level or the package), built at registration
//! from the online CPUs and kept current by the core's CPU hotplug
//! callbacks, as the core's own L3 domains are. The first CPU of a domain
//! brings it online (`domain_online`, then a `mon_<RES>_<id>` directory in
//! every group); its last CPU takes it offline again.

use crate::{
    fs::tree::Tree,
    kapi::{cpu, cpu::CpusHeld, vec::KVecExt},
    logic::cpumask::CpuSet,
    model::driver::{DriverEntry, DriverList, DrvDomain},
};
use kernel::prelude::*;

/// Builds the domain list of a new driver `e` from the online CPUs, and
/// tells the driver of each domain.
pub(crate) fn build(e: &mut DriverEntry, held: &CpusHeld) -> Result {
    if e.desc.resource().is_none() {
        return Ok(());
    }
    let scope = e.desc.scope();
    for c in (0..cpu::nr_cpu_ids()).filter(|&c| cpu::online(c)) {
        let Some(id) = held.scope_id(c, scope) else {
            continue;
        };
        match e.doms.iter().position(|d| d.id >= id) {
            Some(i) if e.doms[i].id == id => e.doms[i].cpus.insert(c),
            at => {
                let mut cpus = CpuSet::new();
                cpus.insert(c);
                e.doms.insert_at(
                    at.unwrap_or(e.doms.len()),
                    DrvDomain { id, cpus },
                    GFP_KERNEL,
                )?;
            }
        }
    }
    for d in e.doms.iter() {
        e.desc.domain_event(true, d.id, &d.cpus);
        for c in d.cpus.iter() {
            e.desc.source().set_cpu_domain(c, Some(d.id));
        }
    }
    Ok(())
}

/// Tells a driver that is going that its domains are gone.
pub(crate) fn tear_down(e: &DriverEntry) {
    for d in e.doms.iter() {
        e.desc.domain_event(false, d.id, &d.cpus);
    }
}

/// CPU `c` came online: it joins its domain of each driver's resource,
/// which comes online if it is the first. In a CPU hotplug callback, under
/// resctrl's mutex.
pub(crate) fn cpu_online(
    drivers: &mut DriverList,
    mut tree: Option<&mut Tree>,
    c: u32,
    held: &CpusHeld,
) {
    for e in drivers.iter_mut() {
        if e.desc.resource().is_none() {
            continue;
        }
        let Some(id) = held.scope_id(c, e.desc.scope()) else {
            continue;
        };
        let at = e.doms.iter().position(|d| d.id >= id);
        if let Some(i) = at.filter(|&i| e.doms[i].id == id) {
            e.doms[i].cpus.insert(c);
            e.desc.source().set_cpu_domain(c, Some(id));
            continue;
        }
        let mut cpus = CpuSet::new();
        cpus.insert(c);
        let at = at.unwrap_or(e.doms.len());
        if e.doms
            .insert_at(at, DrvDomain { id, cpus }, GFP_KERNEL)
            .is_err()
        {
            pr_warn!("driver {}: no memory for domain {id}\n", e.desc.name());
            continue;
        }
        e.desc.domain_event(true, id, &cpus);
        e.desc.source().set_cpu_domain(c, Some(id));
        if let Some(tree) = tree.as_deref_mut() {
            if tree.driver_domain_online(e, id).is_err() {
                pr_warn!(
                    "driver {}: mon_data for domain {id} incomplete\n",
                    e.desc.name()
                );
            }
        }
    }
}

/// CPU `c` is going offline: it leaves its domains; a domain it was the
/// last CPU of goes offline, and its directories with it.
pub(crate) fn cpu_offline(drivers: &mut DriverList, mut tree: Option<&mut Tree>, c: u32) {
    for e in drivers.iter_mut() {
        let Some(i) = e.doms.iter().position(|d| d.cpus.contains(c)) else {
            continue;
        };
        // Readers without the mutex no longer reach the domain from `c`.
        e.desc.source().set_cpu_domain(c, None);
        // The driver hears of the domain's last CPU as its CPUs.
        let last = e.doms[i].cpus;
        e.doms[i].cpus.remove(c);
        if !e.doms[i].cpus.is_empty() {
            continue;
        }
        let d = e.doms.remove_at(i);
        if let Some(tree) = tree.as_deref_mut() {
            tree.driver_domain_offline(e.slot(), d.id);
        }
        e.desc.domain_event(false, d.id, &last);
    }
}
