// SPDX-License-Identifier: GPL-2.0

//! The files of counter assignment, as upstream 6.18 (`mbm_event` mode;
//! AMD's ABMC), with its formats, errnos and `last_cmd_status` texts:
//!
//! - `info/L3_MON/mbm_assign_mode`, wherever there is L3 monitoring:
//!   `[mbm_event]` or `[default]` for the mode on, then the other mode if
//!   the hardware has assignable counters. Writable: `mbm_event` or
//!   `default`, with a newline. A change clears every assignment, starts
//!   every total over, puts the event filters back to their defaults and,
//!   to `mbm_event`, turns `mbm_assign_on_mkdir` on; BMEC's
//!   `mbm_*_bytes_config` files are there only in the `default` mode.
//! - With assignable counters: `info/L3_MON/num_mbm_cntrs` (`<id>=<n>` per
//!   domain), `available_mbm_cntrs` (the free ones), `mbm_assign_on_mkdir`
//!   (`0` or `1`), `event_configs/<event>/event_filter` (the memory
//!   transactions the event's counters count), and in every group with an
//!   RMID `mbm_L3_assignments` (`<event>:<id>=e|_;...` per bandwidth event;
//!   writable per line, `*` for every domain). All but `mbm_assign_mode`
//!   and `num_mbm_cntrs` refuse reads and writes in the `default` mode.
//!
//! An event file of an event without a counter reads `Unassigned` (see
//! [`crate::mon::counters`]).

use super::{
    files::{bool_of, line_of, CntrFile},
    tree::Tree,
};
use crate::{
    hw::arch::{Arch, Event},
    kapi::seq_file::SeqFile,
    logic::mbm_assign::{self, Target},
    model::{
        domain::{cntrs::AssignConfig, DomainList},
        group::{GroupHandle, Groups},
        last_cmd::LastCmd,
    },
    mon::{cntrs, counters::mbm_slot},
};
use core::fmt::Write;
use kernel::prelude::*;

/// Why a file refuses to be read, or written, in the `default` mode.
const NOT_ENABLED: &str = "mbm_event counter assignment mode is not enabled";

/// `EINVAL`, saying `msg`, unless counter assignment is on.
fn need_mode(arch: &dyn Arch, log: &mut LastCmd, msg: &str) -> Result {
    if arch.cntr_assign_enabled() {
        return Ok(());
    }
    let _ = writeln!(log, "{msg}");
    Err(EINVAL)
}

/// The bandwidth events the hardware counts, in upstream's order.
fn mbm_events(arch: &dyn Arch) -> impl Iterator<Item = Event> + '_ {
    cntrs::MBM_EVENTS
        .into_iter()
        .filter(move |&e| arch.l3_mon().is_some_and(|m| m.has(e)))
}

/// Shows file `f` (of group `h` for `mbm_L3_assignments`).
pub(crate) fn show(
    f: CntrFile,
    h: Option<&GroupHandle>,
    log: &mut LastCmd,
    cfg: &AssignConfig,
    fs: &Groups,
    doms: &DomainList,
    m: &mut SeqFile<'_>,
) -> Result {
    let arch = fs.arch;
    let has = arch.l3_mon().and_then(|m| m.cntrs).is_some();
    let on = arch.cntr_assign_enabled();
    // Each but the mode and the counter numbers says why it refuses.
    if !matches!(f, CntrFile::AssignMode | CntrFile::NumCntrs) {
        log.clear();
        need_mode(arch, log, NOT_ENABLED)?;
    }
    let per_domain = |m: &mut SeqFile<'_>, n: &dyn Fn(usize) -> u32| -> Result {
        for (i, &id) in doms.ids().iter().enumerate() {
            let sep = if i == 0 { "" } else { ";" };
            write!(m, "{sep}{id}={}", n(i))?;
        }
        writeln!(m)?;
        Ok(())
    };
    match f {
        CntrFile::AssignMode => match (has, on) {
            (true, true) => write!(m, "[mbm_event]\ndefault\n")?,
            (true, false) => write!(m, "[default]\nmbm_event\n")?,
            (false, _) => writeln!(m, "[default]")?,
        },
        CntrFile::NumCntrs => per_domain(m, &|i| doms.at(i).dom.cntrs.len())?,
        CntrFile::AvailableCntrs => per_domain(m, &|i| doms.at(i).dom.cntrs.available())?,
        CntrFile::AssignOnMkdir => writeln!(m, "{}", cfg.on_mkdir as u32)?,
        CntrFile::EventFilter(evt) => {
            mbm_assign::fmt_filter(m, cfg.filter_of(evt).ok_or(EINVAL)?)?;
            writeln!(m)?;
        }
        CntrFile::Assignments => {
            let rmid = fs.group(h).ok_or(ENOENT)?.rmid;
            for evt in mbm_events(arch) {
                let slot = mbm_slot(evt).ok_or(EINVAL)?;
                write!(m, "{}:", evt.name())?;
                for (i, e) in doms.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ";" };
                    let st = if e.dom.cntrs.of(rmid, slot).is_some() {
                        'e'
                    } else {
                        '_'
                    };
                    write!(m, "{sep}{}={st}", e.dom.id)?;
                }
                writeln!(m)?;
            }
        }
    }
    Ok(())
}

/// The text of a write of file `f`, as far as it is checked without
/// resctrl's mutex: `mbm_assign_on_mkdir` takes what `kstrtobool()` does,
/// as `"1"` or `"0"`;
/// the rest need a final newline (which the text is without) and, as
/// upstream reads a C string, end at a NUL.
pub(crate) fn parse(f: CntrFile, buf: &[u8]) -> Result<&str> {
    match f {
        CntrFile::NumCntrs | CntrFile::AvailableCntrs => Err(EINVAL),
        CntrFile::AssignOnMkdir => bool_of(buf),
        _ => line_of(buf),
    }
}

/// What a write works on: the parts of the mounted state it needs.
pub(crate) struct Mounted<'a> {
    /// `info/last_cmd_status`.
    pub(crate) last_cmd: &'a mut LastCmd,
    /// The online L3 domains.
    pub(crate) doms: &'a DomainList,
    /// Counter assignment's settings.
    pub(crate) cntr_cfg: &'a mut AssignConfig,
    /// The groups.
    pub(crate) groups: &'a Groups,
    /// The kernfs nodes.
    pub(crate) tree: &'a mut Tree,
}

/// Takes a write of `text` (from [`parse`]) to file `f` (of group `h` for
/// `mbm_L3_assignments`).
pub(crate) fn write(
    f: CntrFile,
    h: Option<&GroupHandle>,
    m: &mut Mounted<'_>,
    text: &str,
) -> Result {
    let arch = m.groups.arch;
    if f == CntrFile::AssignMode {
        return write_mode(arch, text, m);
    }
    let (log, cfg, doms) = (&mut *m.last_cmd, &mut *m.cntr_cfg, m.doms);
    match f {
        CntrFile::AssignMode => Err(EINVAL),
        CntrFile::AssignOnMkdir => {
            need_mode(arch, log, NOT_ENABLED)?;
            cfg.on_mkdir = text == "1";
            Ok(())
        }
        CntrFile::EventFilter(evt) => {
            need_mode(arch, log, NOT_ENABLED)?;
            let bits = mbm_assign::parse_filter(text).map_err(|name| {
                let _ = writeln!(log, "Invalid memory transaction type {name}");
                EINVAL
            })?;
            let i = evt.config_index().ok_or(EINVAL)? as usize;
            if cfg.filter[i] != bits {
                cfg.filter[i] = bits;
                cntrs::refilter(arch, doms, evt, bits)?;
            }
            Ok(())
        }
        CntrFile::Assignments => {
            let rmid = m.groups.group(h).ok_or(ENOENT)?.rmid;
            need_mode(arch, log, "mbm_event mode is not enabled")?;
            text.split('\n')
                .try_for_each(|line| write_assignments(arch, doms, cfg, rmid, line, log))
        }
        CntrFile::NumCntrs | CntrFile::AvailableCntrs => Err(EINVAL),
    }
}

/// `mbm_assign_mode`: `text` is `mbm_event` or `default`.
fn write_mode(arch: &dyn Arch, text: &str, m: &mut Mounted<'_>) -> Result {
    let Some(hw) = arch.l3_mon().and_then(|m| m.cntrs) else {
        return match text {
            "default" => Ok(()),
            "mbm_event" => Err(say(m.last_cmd, "mbm_event mode is not supported")),
            _ => Err(say(m.last_cmd, "Unsupported assign mode")),
        };
    };
    let on = match text {
        "default" => false,
        "mbm_event" => true,
        _ => return Err(say(m.last_cmd, "Unsupported assign mode")),
    };
    if on == arch.cntr_assign_enabled() {
        return Ok(());
    }
    let r = cntrs::set_mode(arch, m.doms, on);
    // The rest follows the mode in force, whatever failed.
    let on = arch.cntr_assign_enabled();
    let on_mkdir = on || m.cntr_cfg.on_mkdir;
    *m.cntr_cfg = AssignConfig::new(hw.evt_bits);
    m.cntr_cfg.on_mkdir = on_mkdir;
    r.and(show_bmec(m.tree, arch, !on))
}

/// BMEC's `mbm_*_bytes_config` files are there only in the `default` mode.
pub(crate) fn show_bmec(tree: &mut Tree, arch: &dyn Arch, show: bool) -> Result {
    tree.show_bmec(arch.l3_mon().is_some_and(|m| m.bmec.is_some()) && show)
}

/// Writes `msg` to `log`; `EINVAL`.
fn say(log: &mut LastCmd, msg: &str) -> Error {
    let _ = writeln!(log, "{msg}");
    EINVAL
}

/// One line of a `mbm_L3_assignments` write for the group with `rmid`, as
/// upstream's `resctrl_parse_mbm_assignment()`: each entry is applied as it
/// is read, so those before an error stay applied; `*` ends the line.
fn write_assignments(
    arch: &dyn Arch,
    doms: &DomainList,
    cfg: &AssignConfig,
    rmid: u32,
    line: &str,
    log: &mut LastCmd,
) -> Result {
    let (name, rest) = mbm_assign::split_line(line);
    let Some(evt) = mbm_events(arch).find(|e| e.name() == name) else {
        let _ = writeln!(log, "Invalid event {name}");
        return Err(ENOENT);
    };
    let apply = |only: Option<usize>, state: Option<&str>, log: &mut LastCmd| {
        match mbm_assign::assign_state(state) {
            Some(true) => cntrs::assign_event(arch, doms, only, rmid, evt, cfg, log),
            Some(false) => cntrs::unassign_event(arch, doms, only, rmid, evt),
            None => Err(EINVAL),
        }
    };
    for e in mbm_assign::entries(rest) {
        let st = e.state.unwrap_or("(null)");
        match e.target {
            Target::All => {
                return apply(None, e.state, log).inspect_err(|_| {
                    let _ = writeln!(log, "Assign operation '{name}:*={st}' failed");
                });
            }
            Target::Missing => return Err(say(log, "Missing domain id")),
            Target::Dom(id) => {
                let Some(i) = u32::try_from(id).ok().and_then(|id| doms.find(id)) else {
                    let _ = writeln!(log, "Invalid domain id {id}");
                    return Err(EINVAL);
                };
                apply(Some(i), e.state, log).inspect_err(|_| {
                    let _ = writeln!(log, "Assign operation '{name}:{id}={st}' failed");
                })?;
            }
        }
    }
    Ok(())
}
