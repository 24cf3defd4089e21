// SPDX-License-Identifier: GPL-2.0

//! Writes of `info/L3_MON/mbm_{total,local}_bytes_config` (AMD's bandwidth
//! event configuration, BMEC): `<domain id>=<event bits>;...`, as
//! upstream's `mon_config_write()` parses them.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too. The
//! messages are upstream's `info/last_cmd_status` texts.

use super::ctrlval::{parse_unsigned, strim};
use core::fmt;

/// Why an entry was refused; `Display` gives upstream's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EvtCfgError {
    /// No `=`, or the domain id is not a decimal number.
    BadDomain,
    /// The value is not a hexadecimal number.
    BadValue,
    /// The value has bits beyond those the hardware can count (the mask).
    Invalid(u32),
}

impl fmt::Display for EvtCfgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadDomain => write!(f, "Missing '=' or non-numeric domain id"),
            Self::BadValue => write!(f, "Non-numeric event configuration value"),
            Self::Invalid(mask) => {
                write!(
                    f,
                    "Invalid event configuration: max valid mask is {mask:#04x}"
                )
            }
        }
    }
}

/// The entries of a write without its final newline, in order: each a
/// domain id and event bits within `mask`, or why it is bad. As upstream,
/// the caller applies each as it comes and stops at the first bad one; an
/// empty write, or one ending in `;`, ends there.
///
/// # Examples
///
/// ```ignore
/// let mut e = entries("0=0x33;1=7f", 0x7f);
/// assert_eq!(e.next(), Some(Ok((0, 0x33))));
/// assert_eq!(e.next(), Some(Ok((1, 0x7f))));
/// assert_eq!(e.next(), None);
/// ```
pub(crate) fn entries(
    body: &str,
    mask: u32,
) -> impl Iterator<Item = Result<(u64, u32), EvtCfgError>> + '_ {
    let mut rest = Some(body);
    core::iter::from_fn(move || {
        let tok = rest.filter(|t| !t.is_empty())?;
        let (entry, after) = match tok.split_once(';') {
            Some((a, b)) => (a, Some(b)),
            None => (tok, None),
        };
        rest = after;
        Some(parse_entry(strim(entry), mask))
    })
}

/// One `<id>=<bits>` entry.
fn parse_entry(entry: &str, mask: u32) -> Result<(u64, u32), EvtCfgError> {
    let (id, val) = match entry.split_once('=') {
        Some((a, b)) => (a, Some(b)),
        None => (entry, None),
    };
    let id = parse_unsigned(id, 10).ok_or(EvtCfgError::BadDomain)?;
    let val = val
        .and_then(|v| parse_unsigned(v, 16))
        .ok_or(EvtCfgError::BadValue)?;
    if val & mask as u64 != val {
        return Err(EvtCfgError::Invalid(mask));
    }
    Ok((id, val as u32))
}
