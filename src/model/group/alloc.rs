// SPDX-License-Identifier: GPL-2.0

//! The allocations of groups: the schemas a mount shows, the masks and modes
//! of the other CLOSIDs, code and data prioritisation, and applying a
//! `schemata` write. With the MBA software controller, `MB` values are the
//! domains' MBps limits, not the hardware's throttles.

use super::{Groups, Kind};
use crate::{
    hw::arch::{ConfType, Event, Res, SchemaId},
    kapi::vec::collect,
    logic::{
        alloc_policy::Sharing,
        schemata::{self, Ctrl, Schema},
    },
    model::domain::DomainList,
};
use kernel::prelude::*;

impl Groups {
    /// The CLOSIDs in use, with their cache mode, except `except`.
    /// io_alloc's CLOSID counts as one, its mask hardware's.
    fn ctrl_groups_except(&self, except: Option<u32>) -> impl Iterator<Item = (u32, Sharing)> + '_ {
        let groups = self.slots().filter_map(move |s| match self.at(s).kind {
            Kind::Ctrl { closid, mode } if Some(closid) != except => Some((closid, mode)),
            _ => None,
        });
        Iterator::chain(groups, self.io_alloc_other(except))
    }

    /// The masks and modes of the CLOSIDs other than `closid` in schema `s`
    /// of domain `dom` and, with CDP, in its other half too: what a mask of
    /// `s` may not overlap (upstream's `rdtgroup_cbm_overlaps()`) and what a
    /// new group's mask is made from.
    pub(crate) fn others<'a>(
        &'a self,
        doms: &'a DomainList,
        s: SchemaId,
        dom: usize,
        closid: Option<u32>,
    ) -> impl Iterator<Item = (u32, Sharing)> + 'a {
        let peer = s.peer();
        self.ctrl_groups_except(closid).flat_map(move |(c, m)| {
            [
                Some(doms.ctrl(s, dom, c)),
                peer.map(|p| doms.ctrl(p, dom, c)),
            ]
            .into_iter()
            .flatten()
            .map(move |v| (v, m))
        })
    }

    /// The masks and modes of every CLOSID in schema `s` of domain `dom`,
    /// its own half only: what `bit_usage` shows.
    pub(crate) fn masks_of<'a>(
        &'a self,
        doms: &'a DomainList,
        s: SchemaId,
        dom: usize,
    ) -> impl Iterator<Item = (u32, Sharing)> + 'a {
        self.ctrl_groups_except(None)
            .map(move |(c, m)| (doms.ctrl(s, dom, c), m))
    }

    /// The schemas of the mount, in upstream's order: the reverse of
    /// [`Res::ALL`] (upstream adds each schema at the head of its list, a
    /// CDP resource's code half before its data half), so `SMBA`, `MB`,
    /// `L2DATA`, `L2CODE` (or `L2`), `L3DATA`, `L3CODE` (or `L3`).
    pub(crate) fn schema_ids(&self) -> impl Iterator<Item = SchemaId> + '_ {
        Res::ALL
            .iter()
            .rev()
            .filter(|&&r| self.shows(r))
            .flat_map(move |&res| {
                let (first, second) = if self.cdp[res.index()] {
                    (ConfType::Data, Some(ConfType::Code))
                } else {
                    (ConfType::Both, None)
                };
                Iterator::chain(core::iter::once(first), second).map(move |ty| SchemaId { res, ty })
            })
    }

    /// The CLOSIDs a schema has: half the resource's with CDP.
    pub(crate) fn schema_closids(&self, s: SchemaId) -> u32 {
        let n = self.arch.alloc(s.res).map_or(0, |r| r.num_closid);
        match s.ty {
            ConfType::Both => n,
            ConfType::Code | ConfType::Data => n / 2,
        }
    }

    /// The schemas of the `schemata` file, over the online domains.
    pub(crate) fn schemas<'a>(&self, doms: &'a DomainList) -> Result<KVec<(SchemaId, Schema<'a>)>> {
        let mut v = KVec::new();
        for id in self.schema_ids() {
            let Some(r) = self.arch.alloc(id.res) else {
                continue;
            };
            let mut ctrl = r.ctrl;
            if let Ctrl::Mb(m) = &mut ctrl {
                m.mba_sc = self.is_mba_sc(id.res);
            }
            let s = Schema {
                name: id.name(),
                ctrl,
                num_closid: self.schema_closids(id),
                domain_ids: doms.ids_of(id.res),
            };
            v.push((id, s), GFP_KERNEL)?;
        }
        Ok(v)
    }

    /// How wide `schemata` and `size` print schema names: the longest name
    /// of a shown resource, a CDP-capable one's counted with its `CODE` or
    /// `DATA`, whether CDP is on or not, as upstream.
    pub(crate) fn name_width(&self) -> usize {
        Res::ALL
            .iter()
            .filter(|&&r| self.shows(r))
            .filter_map(|&r| Some((r, self.arch.alloc(r)?)))
            .map(|(r, a)| r.name().len() + if a.cdp_capable { 4 } else { 0 })
            .max()
            .unwrap_or(0)
    }

    /// Whether CDP is on for any resource.
    pub(crate) fn cdp_on(&self) -> bool {
        self.cdp.iter().any(|&c| c)
    }

    /// Turns the mount's CDP on in the hardware (`on`), or off; turning it
    /// on, a failure turns it off again.
    pub(crate) fn switch_cdp(&self, doms: &DomainList, on: bool) -> Result {
        for res in Res::ALL.into_iter().filter(|r| self.cdp[r.index()]) {
            if let Err(e) = doms.set_cdp(self.arch, res, on) {
                if on {
                    let _ = self.switch_cdp(doms, false);
                }
                return Err(e);
            }
        }
        Ok(())
    }

    /// Sets the mode of the group in `slot`.
    pub(crate) fn set_mode(&mut self, slot: usize, mode: Sharing) {
        if let Kind::Ctrl { mode: m, .. } = &mut self.at_mut(slot).kind {
            *m = mode;
        }
    }

    /// Whether `res`'s values are the software controller's MBps limits
    /// (upstream's `is_mba_sc()`): `MB` with `-o mba_MBps`.
    fn is_mba_sc(&self, res: Res) -> bool {
        self.mba_sc && res == Res::Mb
    }

    /// The value `schemata` shows for `closid` in schema `id`'s domain at
    /// `dom`: the control value, or with the software controller `MB`'s
    /// limit.
    pub(crate) fn shown_ctrl(
        &self,
        doms: &DomainList,
        id: SchemaId,
        dom: usize,
        closid: u32,
    ) -> u32 {
        if self.is_mba_sc(id.res) {
            return doms.at(dom).mba_sc.mbps_val(closid);
        }
        doms.ctrl(id, dom, closid)
    }

    /// Sets the software controller's input event of the CTRL_MON group in
    /// `slot`: `EINVAL` if the hardware does not count it, or the group has
    /// none (a MON group, or the controller is off).
    pub(crate) fn set_mba_mbps_event(&mut self, slot: usize, evt: Event) -> Result {
        let counted = self.arch.l3_mon().is_some_and(|m| m.has(evt));
        let g = self.at_mut(slot);
        match &mut g.mba_mbps_event {
            Some(e) if counted && evt != Event::LlcOccupancy => {
                *e = evt;
                Ok(())
            }
            _ => Err(EINVAL),
        }
    }

    /// Applies the values of a parsed `schemata` write for `closid`.
    pub(crate) fn apply_schemata(
        &self,
        doms: &mut DomainList,
        closid: u32,
        staged: &schemata::Staged<KVec<Option<u32>>>,
    ) -> Result {
        let ids: KVec<SchemaId> = collect(self.schema_ids())?;
        for (s, &id) in ids.iter().enumerate() {
            for dom in 0..doms.len_of(id.res) {
                if let Some(v) = staged.get(s, dom) {
                    if self.is_mba_sc(id.res) {
                        doms.at_mut(dom).mba_sc.set_mbps_val(closid, v);
                    } else if doms.ctrl(id, dom, closid) != v {
                        doms.set_ctrl(self.arch, id, dom, closid, v)?;
                    }
                }
            }
        }
        Ok(())
    }
}
