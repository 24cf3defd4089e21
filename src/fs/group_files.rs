// SPDX-License-Identifier: GPL-2.0

//! The files of a group: `tasks`, `cpus`, `cpus_list`, `schemata`, `mode`
//! and `size`, with upstream's syntax, errnos and `last_cmd_status` texts.

use super::files::GroupFile;
use crate::{
    hw::arch::{Event, SchemaId},
    kapi::{cpu, seq_file::SeqFile, task, vec::collect},
    logic::{
        alloc_policy::{self, Sharing},
        cpumask::{CpuSet, ParseError},
        ctrlval::parse_int_auto,
        schemata::{self, Mode, Others, Staged, STAGED_LEN},
    },
    model::{
        domain::DomainList,
        group::{GroupHandle, Groups, Kind, DEFAULT},
        last_cmd::LastCmd,
    },
};
use core::fmt::Write;
use kernel::prelude::*;

/// Shows file `f` of group `h` (`None`: the default group).
pub(crate) fn show(
    f: GroupFile,
    h: Option<&GroupHandle>,
    fs: &Groups,
    doms: &DomainList,
    m: &mut SeqFile<'_>,
) -> Result {
    let slot = fs.slot_of(h).ok_or(ENOENT)?;
    let g = fs.at(slot);
    match f {
        GroupFile::Tasks => {
            task::for_each_thread(|t| {
                if fs.task_in(t, slot) {
                    let pid = t.pid_vnr();
                    if pid != 0 {
                        let _ = writeln!(m, "{pid}");
                    }
                }
                true
            });
        }
        GroupFile::Cpus => {
            g.cpus.fmt_mask(m, cpu::nr_cpu_ids())?;
            writeln!(m)?;
        }
        GroupFile::CpusList => {
            g.cpus.fmt_list(m)?;
            writeln!(m)?;
        }
        GroupFile::Schemata => {
            let closid = fs.closid_of(slot);
            let schemas = fs.schemas(doms)?;
            let list: KVec<_> = collect(schemas.iter().map(|(_, s)| *s))?;
            let w = fs.name_width();
            schemata::render(m, &list, w, |s, d| {
                fs.shown_ctrl(doms, schemas[s].0, d, closid)
            })?;
        }
        GroupFile::Mode => {
            let text = match g.kind {
                Kind::Ctrl {
                    mode: Sharing::Exclusive,
                    ..
                } => "exclusive",
                _ => "shareable",
            };
            writeln!(m, "{text}")?;
        }
        GroupFile::Size => show_size(fs, doms, slot, m)?,
        GroupFile::CtrlHwId => writeln!(m, "{}", fs.closid_of(slot))?,
        GroupFile::MonHwId => writeln!(m, "{}", g.rmid)?,
        GroupFile::MbaMbpsEvent => match g.mba_mbps_event {
            Some(e) => writeln!(m, "{}", e.name())?,
            None => return Err(EINVAL),
        },
    }
    Ok(())
}

/// `size`: `schemata` with cache masks turned into bytes.
fn show_size(fs: &Groups, doms: &DomainList, slot: usize, m: &mut SeqFile<'_>) -> Result {
    let closid = fs.closid_of(slot);
    let schemas = fs.schemas(doms)?;
    let w = fs.name_width();
    for (sid, s) in schemas.iter() {
        write!(m, "{:>w$}:", s.name)?;
        for (d, id) in s.domain_ids.iter().enumerate() {
            let sep = if d == 0 { "" } else { ";" };
            let v = fs.shown_ctrl(doms, *sid, d, closid);
            // A cache's share in bytes; a bandwidth value as it is.
            let size = match fs.arch.alloc(sid.res).and_then(|r| r.cache()) {
                Some(c) => doms.cache_size(sid.res, d) / c.cbm_len * v.count_ones(),
                None => v,
            };
            write!(m, "{sep}{id}={size}")?;
        }
        writeln!(m)?;
    }
    Ok(())
}

/// The text of a write of file `f`, checked as far as it can be without
/// resctrl's mutex.
pub(crate) fn parse(f: GroupFile, buf: &mut [u8]) -> Result<&str> {
    // `mode`, `schemata` and `mba_MBps_event` take one command ending in
    // a newline.
    let one_line = matches!(
        f,
        GroupFile::Mode | GroupFile::Schemata | GroupFile::MbaMbpsEvent
    );
    if one_line && buf.last() != Some(&b'\n') {
        return Err(EINVAL);
    }
    // Upstream parses a C string: what follows a NUL is not read. Such a
    // one-line write ends at its first NUL as if at its final newline.
    let buf = match buf.iter().position(|&b| b == 0) {
        Some(z) if one_line => {
            buf[z] = b'\n';
            &buf[..=z]
        }
        Some(z) => &buf[..z],
        None => buf,
    };
    core::str::from_utf8(buf).map_err(|_| EINVAL)
}

/// Takes a write of `text` (from [`parse`]) to file `f` of group `h`
/// (`None`: the default group).
pub(crate) fn write(
    f: GroupFile,
    h: Option<&GroupHandle>,
    fs: &mut Groups,
    doms: &mut DomainList,
    last_cmd: &mut LastCmd,
    text: &str,
) -> Result {
    let slot = fs.slot_of(h).ok_or(ENOENT)?;
    match f {
        GroupFile::Tasks => write_tasks(fs, slot, text, last_cmd)?,
        GroupFile::Cpus | GroupFile::CpusList => {
            let nbits = cpu::nr_cpu_ids();
            let parsed = if f == GroupFile::Cpus {
                CpuSet::parse_mask(text, nbits)
            } else {
                CpuSet::parse_list(text, nbits)
            };
            let new = parsed.map_err(|e| {
                let _ = writeln!(last_cmd, "Bad CPU list/mask");
                match e {
                    ParseError::Invalid => EINVAL,
                    ParseError::Overflow => {
                        Error::from_errno(-(kernel::bindings::EOVERFLOW as i32))
                    }
                    ParseError::Range => ERANGE,
                }
            })?;
            if new.iter().any(|c| !cpu::online(c)) {
                let _ = writeln!(last_cmd, "Can only assign online CPUs");
                return Err(EINVAL);
            }
            fs.set_cpus(slot, new, last_cmd)?;
        }
        GroupFile::Schemata => write_schemata(fs, doms, slot, text, last_cmd)?,
        GroupFile::Mode => write_mode(fs, doms, slot, &text[..text.len() - 1], last_cmd)?,
        GroupFile::MbaMbpsEvent => {
            let name = &text[..text.len() - 1];
            let evt = Event::ALL.into_iter().find(|e| e.name() == name);
            if evt
                .and_then(|e| fs.set_mba_mbps_event(slot, e).ok())
                .is_none()
            {
                let _ = writeln!(last_cmd, "Unsupported event id '{name}'");
                return Err(EINVAL);
            }
        }
        GroupFile::Size | GroupFile::CtrlHwId | GroupFile::MonHwId => return Err(EINVAL),
    }
    Ok(())
}

/// `tasks`: comma-separated PIDs, 0 for the writer; stops at the first
/// error, as upstream.
fn write_tasks(fs: &Groups, slot: usize, text: &str, log: &mut LastCmd) -> Result {
    let mut rest = Some(text);
    while let Some(r) = rest {
        if r.is_empty() || r.starts_with('\n') || r.starts_with('\0') {
            break;
        }
        let (item, tail) = match r.split_once(',') {
            Some((a, b)) => (a, Some(b)),
            None => (r, None),
        };
        rest = tail;
        let item = item.trim_matches(|c: char| c.is_ascii_whitespace());
        let Some(pid) = parse_int_auto(item) else {
            let _ = writeln!(log, "Task list parsing error pid {item}");
            return Err(EINVAL);
        };
        if pid < 0 {
            let _ = writeln!(log, "Invalid pid {pid}");
            return Err(EINVAL);
        }
        move_one(fs, slot, pid, log).inspect_err(|_| {
            let _ = writeln!(log, "Error while processing task {pid}");
        })?;
    }
    Ok(())
}

fn move_one(fs: &Groups, slot: usize, pid: i32, log: &mut LastCmd) -> Result {
    let t = if pid == 0 {
        task::TaskRef::current()
    } else {
        task::TaskRef::from_vpid(pid).ok_or_else(|| {
            let _ = writeln!(log, "No task {pid}");
            ESRCH
        })?
    };
    if !t.may_be_moved_by_current() {
        let _ = writeln!(log, "No permission to move task {}", t.pid());
        return Err(EPERM);
    }
    fs.move_task(&t, slot, log)
}

/// The other groups' masks, for the schemata parser.
struct OthersOf<'a> {
    fs: &'a Groups,
    doms: &'a DomainList,
    closid: u32,
    ids: &'a [SchemaId],
}

impl Others for OthersOf<'_> {
    fn cbm_overlaps(&self, schema: usize, dom: usize, cbm: u32, exclusive_only: bool) -> bool {
        let id = self.ids[schema];
        let Some(props) = self.fs.arch.alloc(id.res).and_then(|r| r.cache()) else {
            return false;
        };
        alloc_policy::cbm_overlaps(
            cbm,
            props,
            self.fs.others(self.doms, id, dom, Some(self.closid)),
            exclusive_only,
        )
    }
}

fn write_schemata(
    fs: &mut Groups,
    doms: &mut DomainList,
    slot: usize,
    text: &str,
    log: &mut LastCmd,
) -> Result {
    let Kind::Ctrl { closid, mode } = fs.at(slot).kind else {
        return Err(EINVAL);
    };
    let mode = match mode {
        Sharing::Shareable | Sharing::Hardware => Mode::Shareable,
        Sharing::Exclusive => Mode::Exclusive,
    };
    let mut staged = Staged::new(KVec::from_elem(None, STAGED_LEN, GFP_KERNEL)?);
    {
        let schemas = fs.schemas(doms)?;
        let list = collect(schemas.iter().map(|(_, s)| *s))?;
        let ids = collect(schemas.iter().map(|(r, _)| *r))?;
        let others = OthersOf {
            fs,
            doms,
            closid,
            ids: &ids,
        };
        if let Err(e) = schemata::parse(text, &list, closid, mode, &others, &mut staged) {
            let _ = writeln!(log, "{e}");
            return Err(EINVAL);
        }
    }
    fs.apply_schemata(doms, closid, &staged)
}

fn write_mode(
    fs: &mut Groups,
    doms: &DomainList,
    slot: usize,
    word: &str,
    log: &mut LastCmd,
) -> Result {
    let Kind::Ctrl { closid, mode } = fs.at(slot).kind else {
        return Err(EINVAL);
    };
    let new = match word {
        "shareable" => Sharing::Shareable,
        "exclusive" => Sharing::Exclusive,
        "pseudo-locksetup" => {
            // Upstream's rdtgroup_locksetup_enter(), in its order.
            let why = if slot == DEFAULT {
                "Cannot pseudo-lock default group"
            } else if fs.cdp_on() {
                "CDP enabled"
            } else {
                "Pseudo-locking not supported"
            };
            let _ = writeln!(log, "{why}");
            return Err(EINVAL);
        }
        _ => {
            let _ = writeln!(log, "Unknown or unsupported mode");
            return Err(EINVAL);
        }
    };
    if new == mode {
        return Ok(());
    }
    if new == Sharing::Exclusive {
        // Upstream's rdtgroup_mode_test_exclusive(): in every cache schema
        // (each CDP half against both halves of the others), no overlap
        // with any other group or with the bits hardware shares, and only
        // with a cache schema.
        let mut has_cache = false;
        for id in fs.schema_ids() {
            let Some(props) = fs.arch.alloc(id.res).and_then(|r| r.cache()) else {
                continue;
            };
            has_cache = true;
            for dom in 0..doms.len_of(id.res) {
                let cbm = doms.ctrl(id, dom, closid);
                let others = fs.others(doms, id, dom, Some(closid));
                if alloc_policy::cbm_overlaps(cbm, props, others, false) {
                    let _ = writeln!(log, "Schemata overlaps");
                    return Err(EINVAL);
                }
            }
        }
        if !has_cache {
            let _ = writeln!(log, "Cannot be exclusive without CAT/CDP");
            return Err(EINVAL);
        }
    }
    fs.set_mode(slot, new);
    Ok(())
}
