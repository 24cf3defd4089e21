// SPDX-License-Identifier: GPL-2.0

//! The syntax of `info/<cache>/io_alloc_cbm` writes (upstream 6.19's
//! `resctrl_io_alloc_parse_line()`): `<id>=<cbm>` entries separated by `;`,
//! or `*=<cbm>` for every domain, after which nothing may follow. Each mask
//! is checked as a `schemata` mask of a shareable group is.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use super::ctrlval::{parse_cbm, parse_unsigned, strim, CacheProps, CtrlValError};
use core::fmt;

/// Why a write was refused; `Display` gives upstream's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Error<'a> {
    /// An entry after `*=`.
    AfterGlobal,
    /// An entry without `=`, or whose domain is not a number.
    MissingDomain,
    /// A domain id that is not one of the resource's.
    InvalidDomain(u64),
    /// A domain given twice.
    DuplicateDomain(u32),
    /// A mask the resource does not take.
    Cbm(CtrlValError<'a>),
    /// A mask that overlaps an exclusive group's.
    OverlapsExclusive,
}

impl fmt::Display for Error<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AfterGlobal => write!(f, "Configurations after global '*'"),
            Self::MissingDomain => write!(f, "Missing '=' or non-numeric domain"),
            Self::InvalidDomain(id) => write!(f, "Invalid domain {id}"),
            Self::DuplicateDomain(id) => write!(f, "Duplicate domain {id}"),
            Self::Cbm(e) => write!(f, "{e}"),
            Self::OverlapsExclusive => write!(f, "Overlaps with exclusive group"),
        }
    }
}

/// Parses `text` (a write without its final newline) for the domains
/// `ids` of a cache with `props` into `staged` (a mask per domain, by
/// index); `overlaps(dom, cbm)` says whether `cbm` overlaps an exclusive
/// group's mask in the domain at `dom`.
///
/// # Examples
///
/// ```ignore
/// let mut staged = [None, None];
/// parse("1=ff", &[0, 1], &l3, |_, _| false, &mut staged)?;
/// assert_eq!(staged, [None, Some(0xff)]);
/// ```
pub(crate) fn parse<'a>(
    text: &'a str,
    ids: &[u32],
    props: &CacheProps,
    overlaps: impl Fn(usize, u32) -> bool,
    staged: &mut [Option<u32>],
) -> Result<(), Error<'a>> {
    let mut rest = Some(text);
    let mut all = false;
    while let Some(t) = rest.filter(|t| !t.is_empty()) {
        if all {
            return Err(Error::AfterGlobal);
        }
        let (tok, r) = match t.split_once(';') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        rest = r;
        let (id, val) = match tok.split_once('=') {
            Some((i, v)) => (i, strim(v)),
            None => return Err(Error::MissingDomain),
        };
        let one = if id == "*" {
            all = true;
            None
        } else {
            Some(parse_unsigned(id, 10).ok_or(Error::MissingDomain)?)
        };
        let mut found = false;
        for (d, &dom_id) in ids.iter().enumerate() {
            if one.is_some_and(|o| o != u64::from(dom_id)) {
                continue;
            }
            found = true;
            let slot = staged
                .get_mut(d)
                .ok_or(Error::InvalidDomain(dom_id.into()))?;
            if slot.is_some() {
                return Err(Error::DuplicateDomain(dom_id));
            }
            let cbm = parse_cbm(val, props).map_err(Error::Cbm)?;
            if overlaps(d, cbm) {
                return Err(Error::OverlapsExclusive);
            }
            *slot = Some(cbm);
        }
        if let (Some(o), false) = (one, found) {
            return Err(Error::InvalidDomain(o));
        }
    }
    Ok(())
}
