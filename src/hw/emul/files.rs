// SPDX-License-Identifier: GPL-2.0

//! The emulated part's debugfs directory, `resctrl_rs_emul/`: what its
//! registers hold, and its counters to set.

use super::{Emul, Flavour, EVENTS, MODEL, SCALE};
use crate::kapi::{cpu, debugfs, seq_file::SeqFile};
use core::{fmt::Write, sync::atomic::Ordering};
use kernel::{c_str, prelude::*};

/// The debugfs files of the model, in `/sys/kernel/debug/resctrl_rs_emul/`.
///
/// - `masks` (read): `domain <id> L3 <closid> <mask hex>` and
///   `domain <id> MB <closid> <value>` lines, one per CLOSID, the value as
///   the MSR holds it (Intel: the delay; AMD: the bandwidth); on AMD
///   `domain <id> SMBA <closid> <value>` and `domain <id> EVT_CFG <0|1>
///   <bits hex>` (BMEC's total and local event bits) lines, on Intel
///   `domain <L2 id> L2 <index> <mask hex>` lines.
/// - `flavour` (read): `intel` or `amd`.
/// - `qos_cfg` (read): `cpu <n> L3 <value>`, `IA32_L3_QOS_CFG` as each CPU
///   sees it (per domain on Intel, per CPU on AMD), and on Intel
///   `cpu <n> L2 <value>`, its L2's `IA32_L2_QOS_CFG`; on AMD
///   `cpu <n> EXT <value>`, its `L3_QOS_EXT_CFG` (bit 0 ABMC, bit 1
///   SDCIAE).
/// - `cpus` (read): `cpu <n> domain <id> closid <c> rmid <r>`, what each
///   CPU's `IA32_PQR_ASSOC` holds.
/// - `counters` (read): `<domain id> <rmid> <event> <units> <flags>` for
///   every counter that is not zero or has a flag; (write) lines
///   `set <domain id> <rmid> <event> <units>`, `error|unavailable|ok <domain
///   id> <rmid> <event>`, `clear`. `<event>` is 1 (occupancy), 2 (total)
///   or 3 (local), as in `IA32_QM_EVTSEL`; units are before width masking.
///   With ABMC on, `set` also sets the assignable counter that counts the
///   RMID with the event's bits, and a counter reads the flags of the
///   RMID's event it counts as.
/// - `width` (read): the counter width in bits.
/// - `decay_ms` (read, write): the half-life of the occupancy of an RMID
///   that runs nowhere in its domain; 0 turns decay off.
pub(crate) static DEBUGFS: [debugfs::File; 7] = [
    debugfs::File {
        name: c_str!("qos_cfg"),
        show: show_qos_cfg,
        write: None,
    },
    debugfs::File {
        name: c_str!("flavour"),
        show: show_flavour,
        write: None,
    },
    debugfs::File {
        name: c_str!("masks"),
        show: show_masks,
        write: None,
    },
    debugfs::File {
        name: c_str!("cpus"),
        show: show_cpus,
        write: None,
    },
    debugfs::File {
        name: c_str!("counters"),
        show: show_counters,
        write: Some(write_counters),
    },
    debugfs::File {
        name: c_str!("width"),
        show: show_width,
        write: None,
    },
    debugfs::File {
        name: c_str!("decay_ms"),
        show: show_decay,
        write: Some(write_decay),
    },
];

fn model() -> Result<&'static Emul> {
    MODEL.get().ok_or(ENODEV)
}

fn show_masks(m: &mut SeqFile<'_>) -> Result {
    let e = model()?;
    for d in e.doms.iter() {
        for (i, v) in d.l3_mask.iter().enumerate() {
            writeln!(
                m,
                "domain {} L3 {} {:x}",
                d.id,
                i,
                v.load(Ordering::Relaxed)
            )?;
        }
        let n = e.flavour.mba_closids() as usize;
        for (i, v) in d.mba.iter().take(n).enumerate() {
            writeln!(m, "domain {} MB {} {}", d.id, i, v.load(Ordering::Relaxed))?;
        }
        if e.flavour == Flavour::Amd {
            for (i, v) in d.smba.iter().enumerate() {
                writeln!(
                    m,
                    "domain {} SMBA {} {}",
                    d.id,
                    i,
                    v.load(Ordering::Relaxed)
                )?;
            }
        }
    }
    for d in e.doms.iter().filter(|_| e.flavour == Flavour::Amd) {
        for (i, v) in d.evt_cfg.iter().enumerate() {
            writeln!(
                m,
                "domain {} EVT_CFG {} {:x}",
                d.id,
                i,
                v.load(Ordering::Relaxed)
            )?;
        }
    }
    for d in e.l2doms.iter() {
        for (i, v) in d.mask.iter().enumerate() {
            writeln!(
                m,
                "domain {} L2 {} {:x}",
                d.id,
                i,
                v.load(Ordering::Relaxed)
            )?;
        }
    }
    Ok(())
}

fn show_cpus(m: &mut SeqFile<'_>) -> Result {
    let e = model()?;
    for (n, c) in e.cpus.iter().enumerate() {
        let Some(d) = e.doms.get(c.dom.load(Ordering::Relaxed) as usize) else {
            continue;
        };
        let pqr = c.pqr.load(Ordering::Relaxed);
        writeln!(
            m,
            "cpu {} domain {} closid {} rmid {}",
            n,
            d.id,
            pqr >> 32,
            pqr & 0x3ff
        )?;
    }
    Ok(())
}

fn show_counters(m: &mut SeqFile<'_>) -> Result {
    let e = model()?;
    for d in e.doms.iter() {
        for (rmid, ctr) in d.counters.iter().enumerate() {
            for ev in 0..EVENTS {
                let v = ctr.bytes[ev].load(Ordering::Relaxed) / SCALE as u64;
                let err = ctr.error[ev].load(Ordering::Relaxed);
                let una = ctr.unavailable[ev].load(Ordering::Relaxed);
                if v == 0 && !err && !una {
                    continue;
                }
                let flags = match (err, una) {
                    (true, _) => "error",
                    (false, true) => "unavailable",
                    _ => "ok",
                };
                writeln!(m, "{} {} {} {} {}", d.id, rmid, ev + 1, v, flags)?;
            }
        }
    }
    Ok(())
}

fn write_counters(buf: &[u8]) -> Result {
    let e = model()?;
    let text = core::str::from_utf8(buf).map_err(|_| EINVAL)?;
    for line in text.lines() {
        let mut w = line.split_ascii_whitespace();
        let Some(cmd) = w.next() else { continue };
        if cmd == "clear" {
            for d in e.doms.iter() {
                for ctr in d.counters.iter() {
                    for ev in 0..EVENTS {
                        ctr.bytes[ev].store(0, Ordering::Relaxed);
                        ctr.error[ev].store(false, Ordering::Relaxed);
                        ctr.unavailable[ev].store(false, Ordering::Relaxed);
                        ctr.fresh[ev].store(false, Ordering::Relaxed);
                    }
                    ctr.evicted.store(false, Ordering::Relaxed);
                }
                d.abmc.clear_counts();
            }
            continue;
        }
        let mut num = || -> Result<u64> { w.next().and_then(|s| s.parse().ok()).ok_or(EINVAL) };
        let (id, rmid, ev) = (num()?, num()?, num()?);
        let d = e.doms.iter().find(|d| d.id as u64 == id).ok_or(EINVAL)?;
        let ctr = d.counters.get(rmid as usize).ok_or(EINVAL)?;
        if !(1..=EVENTS as u64).contains(&ev) {
            return Err(EINVAL);
        }
        let ev = ev as usize - 1;
        match cmd {
            "set" => {
                let bytes = num()?.checked_mul(SCALE as u64).ok_or(EINVAL)?;
                ctr.bytes[ev].store(bytes, Ordering::Relaxed);
                // With ABMC, the counter assigned to the RMID and event.
                if let Some(cfg) = d.evt_cfg.get(ev.wrapping_sub(1)) {
                    if d.abmc.is_on() {
                        d.abmc.set(rmid as u32, cfg.load(Ordering::Relaxed), bytes);
                    }
                }
                ctr.occ_stamp.store(cpu::clock_ns(), Ordering::Relaxed);
            }
            "error" => ctr.error[ev].store(true, Ordering::Relaxed),
            "unavailable" => ctr.unavailable[ev].store(true, Ordering::Relaxed),
            "ok" => {
                ctr.error[ev].store(false, Ordering::Relaxed);
                ctr.unavailable[ev].store(false, Ordering::Relaxed);
                ctr.fresh[ev].store(false, Ordering::Relaxed);
            }
            _ => return Err(EINVAL),
        }
    }
    Ok(())
}

fn show_qos_cfg(m: &mut SeqFile<'_>) -> Result {
    let e = model()?;
    for (n, c) in e.cpus.iter().enumerate() {
        let Some(d) = e.doms.get(c.dom.load(Ordering::Relaxed) as usize) else {
            continue;
        };
        writeln!(
            m,
            "cpu {} L3 {}",
            n,
            e.qos_cfg(c, d).load(Ordering::Relaxed)
        )?;
        if let Some(l2) = e.l2_of(c) {
            writeln!(m, "cpu {} L2 {}", n, l2.qos_cfg.load(Ordering::Relaxed))?;
        }
        if e.flavour == Flavour::Amd {
            writeln!(m, "cpu {} EXT {}", n, c.ext_cfg.load(Ordering::Relaxed))?;
        }
    }
    Ok(())
}

fn show_flavour(m: &mut SeqFile<'_>) -> Result {
    let name = match model()?.flavour {
        Flavour::Intel => "intel",
        Flavour::Amd => "amd",
    };
    writeln!(m, "{name}")?;
    Ok(())
}

fn show_width(m: &mut SeqFile<'_>) -> Result {
    writeln!(m, "{}", model()?.width.load(Ordering::Relaxed))?;
    Ok(())
}

fn show_decay(m: &mut SeqFile<'_>) -> Result {
    writeln!(m, "{}", model()?.decay_ms.load(Ordering::Relaxed))?;
    Ok(())
}

fn write_decay(buf: &[u8]) -> Result {
    let text = core::str::from_utf8(buf).map_err(|_| EINVAL)?;
    let ms = text.trim().parse::<u32>().map_err(|_| EINVAL)?;
    model()?.decay_ms.store(ms, Ordering::Relaxed);
    Ok(())
}
