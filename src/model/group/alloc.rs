// SPDX-License-Identifier: GPL-2.0

//! The allocations of groups: the schemas a mount shows, the masks and modes
//! of the other CLOSIDs, and applying a `schemata` write.

use super::{Groups, Kind};
use crate::{
    hw::arch::Res,
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
    fn ctrl_groups_except(&self, except: Option<u32>) -> impl Iterator<Item = (u32, Sharing)> + '_ {
        self.slots().filter_map(move |s| match self.at(s).kind {
            Kind::Ctrl { closid, mode } if Some(closid) != except => Some((closid, mode)),
            _ => None,
        })
    }

    /// The masks and modes of the other CLOSIDs of `res` in domain `dom`.
    pub(crate) fn others<'a>(
        &'a self,
        doms: &'a DomainList,
        res: Res,
        dom: usize,
        closid: Option<u32>,
    ) -> impl Iterator<Item = (u32, Sharing)> + 'a {
        self.ctrl_groups_except(closid)
            .map(move |(c, m)| (doms.at(dom).ctrl(res, c), m))
    }

    /// The schemas of the `schemata` file, over the online domains.
    pub(crate) fn schemas<'a>(&self, doms: &'a DomainList) -> Result<KVec<(Res, Schema<'a>)>> {
        let mut v = KVec::new();
        if let Some(l3) = self.arch.l3_alloc().filter(|_| self.shows(Res::L3)) {
            let s = Schema {
                name: "L3",
                ctrl: Ctrl::Cache(l3.props),
                num_closid: l3.num_closid,
                domain_ids: doms.ids(),
            };
            v.push((Res::L3, s), GFP_KERNEL)?;
        }
        if let Some(mb) = self.arch.mb_alloc().filter(|_| self.shows(Res::Mb)) {
            let s = Schema {
                name: "MB",
                ctrl: Ctrl::Mb(mb.props),
                num_closid: mb.num_closid,
                domain_ids: doms.ids(),
            };
            v.push((Res::Mb, s), GFP_KERNEL)?;
        }
        Ok(v)
    }

    /// Sets the mode of the group in `slot`.
    pub(crate) fn set_mode(&mut self, slot: usize, mode: Sharing) {
        if let Kind::Ctrl { mode: m, .. } = &mut self.at_mut(slot).kind {
            *m = mode;
        }
    }

    /// Applies the values of a parsed `schemata` write for `closid`.
    pub(crate) fn apply_schemata(
        &self,
        doms: &mut DomainList,
        closid: u32,
        staged: &schemata::Staged,
    ) -> Result {
        let res: KVec<Res> = collect(self.schemas(doms)?.iter().map(|(r, _)| *r))?;
        for (s, &r) in res.iter().enumerate() {
            for dom in 0..doms.len() {
                if let Some(v) = staged.get(s, dom) {
                    if doms.at(dom).ctrl(r, closid) != v {
                        doms.set_ctrl(self.arch, r, dom, closid, v)?;
                    }
                }
            }
        }
        Ok(())
    }
}
