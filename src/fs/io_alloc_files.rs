// SPDX-License-Identifier: GPL-2.0

//! The files of io_alloc, as upstream 6.19 (AMD's SDCIAE), in every cache
//! schema's `info/` directory where L3 has it, with upstream's formats,
//! errnos and `last_cmd_status` texts:
//!
//! - `io_alloc`: `enabled`, `disabled`, or `not supported` (a cache other
//!   than L3). Writable as `kstrtobool()` takes it: turning it on takes the
//!   highest CLOSID (see [`crate::model::group::io_alloc`]), refused with
//!   `ENOSPC` while a group has it.
//! - `io_alloc_cbm`: `<id>=<cbm>` per domain, the masks I/O devices' cache
//!   injection is limited to; writable as `schemata` masks are, `*` for
//!   every domain. Both refuse without io_alloc on.
//!
//! Unmounting turns io_alloc off, as it puts every allocation back.

use super::{
    files::{bool_of, line_of, IoAllocFile},
    tree::Tree,
};
use crate::{
    hw::arch::{Res, SchemaId},
    kapi::{cpu::CpusHeld, seq_file::SeqFile},
    model::{
        domain::DomainList,
        group::{io_alloc::EnableError, Groups},
        last_cmd::LastCmd,
    },
};
use core::fmt::Write;
use kernel::prelude::*;

/// Whether schema `s` has io_alloc: L3 on a part with SDCIAE.
fn capable(fs: &Groups, s: SchemaId) -> bool {
    s.res == Res::L3 && fs.arch.alloc(Res::L3).is_some_and(|r| r.io_alloc_capable)
}

/// `ENODEV` or `EINVAL`, saying why, unless io_alloc is on for `s`.
fn need_on(fs: &Groups, s: SchemaId, log: &mut LastCmd) -> Result<u32> {
    if !capable(fs, s) {
        let _ = writeln!(log, "io_alloc is not supported on {}", s.name());
        return Err(ENODEV);
    }
    fs.io_alloc().ok_or_else(|| {
        let _ = writeln!(log, "io_alloc is not enabled on {}", s.name());
        EINVAL
    })
}

/// Shows file `f`.
pub(crate) fn show(
    f: IoAllocFile,
    log: &mut LastCmd,
    fs: &Groups,
    doms: &DomainList,
    m: &mut SeqFile<'_>,
) -> Result {
    match f {
        IoAllocFile::Switch(s) => {
            let state = match (capable(fs, s), fs.io_alloc()) {
                (false, _) => "not supported",
                (true, Some(_)) => "enabled",
                (true, None) => "disabled",
            };
            writeln!(m, "{state}")?;
        }
        IoAllocFile::Cbm(s) => {
            log.clear();
            let closid = need_on(fs, s, log)?;
            let c = fs.arch.alloc(s.res).and_then(|r| r.cache()).ok_or(ENODEV)?;
            let w = c.cbm_len.div_ceil(4) as usize;
            for (d, id) in doms.ids_of(s.res).iter().enumerate() {
                let sep = if d == 0 { "" } else { ";" };
                write!(m, "{sep}{id}={:0w$x}", doms.ctrl(s, d, closid))?;
            }
            writeln!(m)?;
        }
    }
    Ok(())
}

/// The text of a write of file `f`, as far as it is checked without
/// resctrl's mutex: `io_alloc` takes what `kstrtobool()` does;
/// `io_alloc_cbm` needs a final newline (which the text is without) and,
/// as upstream reads a C string, ends at a NUL.
pub(crate) fn parse(f: IoAllocFile, buf: &[u8]) -> Result<&str> {
    match f {
        IoAllocFile::Switch(_) => bool_of(buf),
        IoAllocFile::Cbm(_) => line_of(buf),
    }
}

/// Takes a write of `text` (from [`parse`]) to file `f`.
pub(crate) fn write(
    f: IoAllocFile,
    text: &str,
    fs: &mut Groups,
    doms: &mut DomainList,
    tree: &Tree,
    log: &mut LastCmd,
    cpus: &CpusHeld,
) -> Result {
    match f {
        IoAllocFile::Switch(s) => {
            if !capable(fs, s) {
                let _ = writeln!(log, "io_alloc is not supported on {}", s.name());
                return Err(ENODEV);
            }
            match fs.set_io_alloc(doms, s, text == "1", log, cpus) {
                Ok(()) => Ok(()),
                Err(EnableError::NotAvailable(c)) => {
                    let _ = writeln!(log, "io_alloc CLOSID (ctrl_hw_id) {c} is not available");
                    Err(EINVAL)
                }
                Err(EnableError::Used(c, slot)) => {
                    let mut buf = [0u8; 256];
                    let name = tree.group_name(slot, &mut buf).unwrap_or("another");
                    let _ = writeln!(
                        log,
                        "CLOSID (ctrl_hw_id) {c} for io_alloc is used by {name} group"
                    );
                    Err(ENOSPC)
                }
                Err(EnableError::Failed(e)) => Err(e),
            }
        }
        IoAllocFile::Cbm(s) => {
            need_on(fs, s, log)?;
            fs.set_io_alloc_cbm(doms, s, text, log)
        }
    }
}
