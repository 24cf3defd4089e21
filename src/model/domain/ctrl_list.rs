// SPDX-License-Identifier: GPL-2.0

//! Control domains of the L2 cache: the CPUs that share one L2 and the
//! masks of each hardware index there. L2 has allocation only, so these
//! are plain entries under resctrl's mutex: no monitoring, no reference
//! counting. The L3 domains, which monitoring shares, are
//! [`super::OnlineDomain`]s.

use crate::{
    kapi::vec::KVecExt,
    logic::{cpumask::CpuSet, ids::MAX_CLOSIDS},
};
use kernel::prelude::*;

/// One L2 cache's domain.
pub(crate) struct CtrlDomain {
    /// The cache size in bytes.
    pub(crate) size: u32,
    /// Its online CPUs.
    pub(crate) cpus: CpuSet,
    /// Control values by hardware index.
    pub(super) ctrl: [u32; MAX_CLOSIDS as usize],
}

/// The online L2 domains by ascending id.
pub(crate) struct CtrlList {
    entries: KVec<CtrlDomain>,
    /// The cache ids of `entries`, in the same order, as `schemata` names
    /// them.
    ids: KVec<u32>,
}

impl CtrlList {
    /// No domain.
    pub(crate) const fn new() -> Self {
        Self {
            entries: KVec::new(),
            ids: KVec::new(),
        }
    }

    /// Their ids, by index.
    pub(crate) fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// The domains.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &CtrlDomain> {
        self.entries.iter()
    }

    /// The domain at `i`, if there is one.
    pub(crate) fn get(&self, i: usize) -> Option<&CtrlDomain> {
        self.entries.get(i)
    }

    /// The domain at `i`, if there is one.
    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut CtrlDomain> {
        self.entries.get_mut(i)
    }

    /// The index of the domain with id `id`.
    pub(crate) fn find(&self, id: u32) -> Option<usize> {
        self.ids.iter().position(|&d| d == id)
    }

    /// The index of the domain `cpu` is in.
    pub(crate) fn of_cpu(&self, cpu: u32) -> Option<usize> {
        self.entries.iter().position(|e| e.cpus.contains(cpu))
    }

    /// Adds domain `id` of a cache of `size` bytes, whose first CPU is
    /// `cpu`, its values all zero until the caller resets them; returns its
    /// index.
    pub(super) fn insert(&mut self, id: u32, size: u32, cpu: u32) -> Result<usize> {
        let mut cpus = CpuSet::new();
        cpus.insert(cpu);
        let i = self
            .ids
            .iter()
            .position(|&d| d > id)
            .unwrap_or(self.ids.len());
        self.ids.insert_at(i, id, GFP_KERNEL)?;
        let d = CtrlDomain {
            size,
            cpus,
            ctrl: [0; MAX_CLOSIDS as usize],
        };
        if let Err(e) = self.entries.insert_at(i, d, GFP_KERNEL) {
            self.ids.remove_at(i);
            return Err(e);
        }
        Ok(i)
    }

    /// Takes the domain at `i` out of the list.
    pub(super) fn remove(&mut self, i: usize) {
        self.ids.remove_at(i);
        self.entries.remove_at(i);
    }
}
