// SPDX-License-Identifier: GPL-2.0

//! io_alloc (upstream 6.19; AMD's SDCIAE): I/O devices' L3 cache injection
//! limited to a mask per domain, the highest CLOSID's (of the halves, with
//! CDP), which no group may have meanwhile. Its mask is hardware's for the
//! other groups (see [`Sharing::Hardware`]); with CDP both halves of the
//! CLOSID hold it.

use super::{Groups, Kind};
use crate::{
    hw::arch::{Res, SchemaId},
    kapi::cpu::CpusHeld,
    logic::{
        alloc_policy::{self, Sharing},
        io_alloc_cbm,
    },
    model::{domain::DomainList, last_cmd::LastCmd},
};
use core::fmt::Write;
use kernel::prelude::*;

/// Why io_alloc could not be turned on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EnableError {
    /// Its CLOSID is beyond those every schema has (`EINVAL`).
    NotAvailable(u32),
    /// A group has its CLOSID (`ENOSPC`): the group's slot.
    Used(u32, usize),
    /// The hardware failed, or there was no room: said in the log.
    Failed(Error),
}

impl Groups {
    /// The CLOSID io_alloc uses: L3's highest, of the halves with CDP
    /// (upstream's `resctrl_io_alloc_closid()`).
    pub(crate) fn io_alloc_closid(&self) -> u32 {
        let n = self.arch.alloc(Res::L3).map_or(0, |r| r.num_closid);
        let n = if self.cdp[Res::L3.index()] { n / 2 } else { n };
        n.saturating_sub(1)
    }

    /// io_alloc's CLOSID while it is on.
    pub(crate) fn io_alloc(&self) -> Option<u32> {
        self.io_alloc
    }

    /// io_alloc's CLOSID and mask kind, while it is on and is not `except`:
    /// one of the CLOSIDs whose masks the groups' masks are checked and
    /// made against.
    pub(crate) fn io_alloc_other(&self, except: Option<u32>) -> Option<(u32, Sharing)> {
        self.io_alloc
            .filter(|&c| Some(c) != except)
            .map(|c| (c, Sharing::Hardware))
    }

    /// Turns io_alloc on (`on`) or off, as upstream's
    /// `resctrl_io_alloc_write()`: on, it takes its CLOSID, whose mask in
    /// each domain of schema `s` (and its other half) starts as a new
    /// group's would, then the hardware's switch on every CPU; off, it
    /// gives the CLOSID back. Nothing to do if it is as asked.
    pub(crate) fn set_io_alloc(
        &mut self,
        doms: &mut DomainList,
        s: SchemaId,
        on: bool,
        log: &mut LastCmd,
        cpus: &CpusHeld,
    ) -> core::result::Result<(), EnableError> {
        if self.io_alloc.is_some() == on {
            return Ok(());
        }
        let closid = self.io_alloc_closid();
        if closid >= self.closids.len() {
            return Err(EnableError::NotAvailable(closid));
        }
        if !on {
            self.io_alloc = None;
            self.closids.free(closid);
            return self
                .switch_io_alloc(doms, false, cpus)
                .map_err(EnableError::Failed);
        }
        if !self.closids.alloc_fixed(closid) {
            let slot = self
                .slots()
                .find(|&s| matches!(self.at(s).kind, Kind::Ctrl { closid: c, .. } if c == closid));
            return Err(EnableError::Used(closid, slot.unwrap_or(usize::MAX)));
        }
        let r = self.init_io_alloc(doms, s, closid, log).inspect_err(|_| {
            let _ = writeln!(log, "Failed to initialize io_alloc allocations");
        });
        let r = r.and_then(|()| {
            self.switch_io_alloc(doms, true, cpus).inspect_err(|_| {
                let _ = writeln!(log, "Failed to enable io_alloc feature");
                // The CPUs that took it give it up again.
                let _ = self.switch_io_alloc(doms, false, cpus);
            })
        });
        match r {
            Ok(()) => {
                self.io_alloc = Some(closid);
                Ok(())
            }
            Err(e) => {
                self.closids.free(closid);
                Err(EnableError::Failed(e))
            }
        }
    }

    /// Turns io_alloc off if it is on, as at unmount.
    pub(crate) fn release_io_alloc(&mut self, doms: &DomainList, cpus: &CpusHeld) -> Result {
        let Some(closid) = self.io_alloc.take() else {
            return Ok(());
        };
        self.closids.free(closid);
        self.switch_io_alloc(doms, false, cpus)
    }

    /// The hardware's switch on every CPU of every L3 domain.
    fn switch_io_alloc(&self, doms: &DomainList, on: bool, _cpus: &CpusHeld) -> Result {
        for e in doms.iter() {
            for c in e.cpus.iter() {
                self.arch.set_io_alloc(c, on)?;
            }
        }
        Ok(())
    }

    /// Gives `closid` in every domain of `s` (and its other half) the mask
    /// a new group would get (upstream's `rdtgroup_init_cat()`).
    fn init_io_alloc(
        &self,
        doms: &mut DomainList,
        s: SchemaId,
        closid: u32,
        log: &mut LastCmd,
    ) -> Result {
        let c = self
            .arch
            .alloc(s.res)
            .and_then(|r| r.cache())
            .ok_or(ENODEV)?;
        let mut masks = KVec::new();
        for (d, &id) in doms.ids_of(s.res).iter().enumerate() {
            let Some(cbm) = alloc_policy::new_group_cbm(c, self.others(doms, s, d, Some(closid)))
            else {
                let _ = writeln!(log, "No space on {}:{}", s.name(), id);
                return Err(ENOSPC);
            };
            masks.push(cbm, GFP_KERNEL)?;
        }
        self.set_io_masks(doms, s, closid, masks.iter().map(|&m| Some(m)))
    }

    /// Sets io_alloc's masks in schema `s`'s domains, by index (`None`
    /// leaves one as it is), in both halves with CDP.
    fn set_io_masks(
        &self,
        doms: &mut DomainList,
        s: SchemaId,
        closid: u32,
        masks: impl Iterator<Item = Option<u32>>,
    ) -> Result {
        for (d, m) in masks.enumerate() {
            let Some(m) = m else {
                continue;
            };
            for id in Iterator::chain(core::iter::once(s), s.peer()) {
                doms.set_ctrl(self.arch, id, d, closid, m)?;
            }
        }
        Ok(())
    }

    /// Takes a write of `io_alloc_cbm` of schema `s` (`text`, without its
    /// final newline) while io_alloc is on: every mask checked first, as a
    /// shareable group's `schemata`, then set.
    pub(crate) fn set_io_alloc_cbm(
        &self,
        doms: &mut DomainList,
        s: SchemaId,
        text: &str,
        log: &mut LastCmd,
    ) -> Result {
        let closid = self.io_alloc.ok_or(EINVAL)?;
        let c = self
            .arch
            .alloc(s.res)
            .and_then(|r| r.cache())
            .ok_or(ENODEV)?;
        let ids = doms.ids_of(s.res);
        let mut staged = KVec::from_elem(None, ids.len(), GFP_KERNEL)?;
        let overlaps = |d: usize, cbm: u32| {
            alloc_policy::cbm_overlaps(cbm, c, self.others(doms, s, d, Some(closid)), true)
        };
        if let Err(e) = io_alloc_cbm::parse(text, ids, c, overlaps, &mut staged) {
            let _ = writeln!(log, "{e}");
            return Err(EINVAL);
        }
        self.set_io_masks(doms, s, closid, staged.iter().copied())
    }
}
