// SPDX-License-Identifier: GPL-2.0

//! A group's `schemata` file: the text a write is parsed from and a read shows.
//!
//! A write is parsed and checked whole into [`Staged`] values; the caller
//! applies them only if the whole write was good, so a bad line changes
//! nothing. Pure logic, no kernel types: the host's `cargo test` builds it
//! too. The messages are upstream's `info/last_cmd_status` texts, followed by
//! the line they are about.

use super::ctrlval::{
    parse_cbm, parse_mb, parse_unsigned, strim, CacheProps, CtrlValError, MbProps,
};
use core::{fmt, ops::DerefMut};

/// The most schemata lines (resources, or their CDP halves) of one system:
/// `SMBA`, `MB`, `L2DATA`, `L2CODE`, `L3DATA`, `L3CODE`.
pub(crate) const MAX_SCHEMAS: usize = 6;
/// The most control domains of one resource: one per CPU at most (L2 caches
/// can be that many), as [`super::cpumask::MAX_CPUS`].
pub(crate) const MAX_DOMAINS: usize = super::cpumask::MAX_CPUS;

/// What kind of values a schema takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctrl {
    /// Cache bit masks, shown in hexadecimal.
    Cache(CacheProps),
    /// Memory bandwidth values, shown in decimal.
    Mb(MbProps),
}

impl Ctrl {
    /// How many characters a value takes when shown.
    fn data_width(&self) -> usize {
        match self {
            Self::Cache(c) => c.cbm_len.div_ceil(4) as usize,
            // Three digits for percentages (Intel), four for AMD's
            // bandwidth units (at most 2048 on current parts), as
            // upstream's `data_width`.
            Self::Mb(m) => {
                let mut w = 1;
                let mut v = m.max_bw;
                while v >= 10 {
                    v /= 10;
                    w += 1;
                }
                w.max(3)
            }
        }
    }
}

/// One line of the schemata file: a resource and its control domains.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Schema<'a> {
    /// The name the line starts with (`L3`, `MB`, `L3CODE`...).
    pub(crate) name: &'a str,
    /// The values it takes.
    pub(crate) ctrl: Ctrl,
    /// CLOSIDs the resource has: groups with a higher one cannot use it.
    pub(crate) num_closid: u32,
    /// The ids of its control domains, in the order the file lists them.
    pub(crate) domain_ids: &'a [u32],
}

/// The mode of the group written to, as far as parsing cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Its masks may overlap those of other shareable groups.
    Shareable,
    /// Its masks may overlap no other group's.
    Exclusive,
}

/// What the parser needs to know of the other groups.
pub(crate) trait Others {
    /// Whether `cbm` overlaps, in domain index `dom` of schema index `schema`,
    /// the mask of another CLOSID: with `exclusive_only` of an exclusive
    /// group only; otherwise of any group, or the bits other agents share.
    fn cbm_overlaps(&self, schema: usize, dom: usize, cbm: u32, exclusive_only: bool) -> bool;
}

/// How many values [`Staged`] holds: one per domain of each schema.
pub(crate) const STAGED_LEN: usize = MAX_SCHEMAS * MAX_DOMAINS;

/// The values a write asks for, by schema index and domain index, in `S`:
/// [`STAGED_LEN`] entries (a heap allocation: 24 KB is too much for a
/// kernel stack), all `None` to start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Staged<S> {
    vals: S,
}

impl<S: DerefMut<Target = [Option<u32>]>> Staged<S> {
    /// Nothing staged yet, in `vals`: [`STAGED_LEN`] `None`s.
    pub(crate) fn new(vals: S) -> Self {
        Self { vals }
    }

    fn slot(&mut self, schema: usize, dom: usize) -> Option<&mut Option<u32>> {
        if dom >= MAX_DOMAINS {
            return None;
        }
        self.vals.get_mut(schema * MAX_DOMAINS + dom)
    }

    /// The new value for domain index `dom` of schema index `schema`, if the
    /// write named it.
    pub(crate) fn get(&self, schema: usize, dom: usize) -> Option<u32> {
        if dom >= MAX_DOMAINS {
            return None;
        }
        self.vals.get(schema * MAX_DOMAINS + dom).copied().flatten()
    }
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorKind<'a> {
    /// The write did not end with a newline.
    NoNewline,
    /// A line has no `:`.
    MissingColon,
    /// A line has nothing after the `:`.
    MissingValue(&'a str),
    /// No schema of that name, or not for this group's CLOSID.
    UnknownResource(&'a str),
    /// A domain entry has no `=` or its id is not a decimal number.
    BadDomain,
    /// No domain of that id.
    UnknownDomain(u64),
    /// The same domain twice.
    DuplicateDomain(u32),
    /// A bad value.
    Value(CtrlValError<'a>),
    /// A mask overlaps that of an exclusive group.
    OverlapsExclusive,
    /// An exclusive group's mask overlaps that of another group.
    OverlapsOther,
}

impl fmt::Display for ErrorKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoNewline => write!(f, "Input must end with a newline"),
            Self::MissingColon => write!(f, "Missing ':'"),
            Self::MissingValue(r) => write!(f, "Missing '{r}' value"),
            Self::UnknownResource(r) => write!(f, "Unknown or unsupported resource name '{r}'"),
            Self::BadDomain => write!(f, "Missing '=' or non-numeric domain"),
            Self::UnknownDomain(id) => write!(f, "Unknown domain {id}"),
            Self::DuplicateDomain(id) => write!(f, "Duplicate domain {id}"),
            Self::Value(e) => e.fmt(f),
            Self::OverlapsExclusive => write!(f, "Overlaps with exclusive group"),
            Self::OverlapsOther => write!(f, "Overlaps with other group"),
        }
    }
}

/// A refused write: what is wrong, and in which line (counted from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SchemataError<'a> {
    /// What is wrong.
    pub(crate) kind: ErrorKind<'a>,
    /// The line number, from 1; 0 when about the whole write.
    pub(crate) line: usize,
    /// The line's text.
    pub(crate) text: &'a str,
}

impl fmt::Display for SchemataError<'_> {
    /// Upstream's message on one line, then the line it is about.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}\nLine {}: {}", self.kind, self.line, self.text)
        }
    }
}

/// Parses a write of `buf` to the `schemata` file of a group with `closid`
/// and `mode`, into `staged`.
///
/// # Examples
///
/// ```ignore
/// let mut staged = Staged::new(vec![None; STAGED_LEN]);
/// parse("L3:0=ff;1=f0\n", &schemas, 1, Mode::Shareable, &others, &mut staged)?;
/// assert_eq!(staged.get(0, 1), Some(0xf0));
/// ```
pub(crate) fn parse<'a>(
    buf: &'a str,
    schemas: &[Schema<'_>],
    closid: u32,
    mode: Mode,
    others: &impl Others,
    staged: &mut Staged<impl DerefMut<Target = [Option<u32>]>>,
) -> Result<(), SchemataError<'a>> {
    let body = buf.strip_suffix('\n').ok_or(SchemataError {
        kind: ErrorKind::NoNewline,
        line: 0,
        text: "",
    })?;
    for (n, text) in body.split('\n').enumerate() {
        let err = |kind| SchemataError {
            kind,
            line: n + 1,
            text,
        };
        let (name, values) = text.split_once(':').ok_or(err(ErrorKind::MissingColon))?;
        let name = strim(name);
        if values.is_empty() {
            return Err(err(ErrorKind::MissingValue(name)));
        }
        let s = schemas
            .iter()
            .take(MAX_SCHEMAS)
            .position(|s| s.name == name && closid < s.num_closid)
            .ok_or(err(ErrorKind::UnknownResource(name)))?;
        parse_line(values, s, &schemas[s], mode, others, staged).map_err(err)?;
    }
    Ok(())
}

/// Parses the `id=value;id=value...` part of a line of schema index `s`.
fn parse_line<'a>(
    values: &'a str,
    s: usize,
    schema: &Schema<'_>,
    mode: Mode,
    others: &impl Others,
    staged: &mut Staged<impl DerefMut<Target = [Option<u32>]>>,
) -> Result<(), ErrorKind<'a>> {
    let mut entries = values.split(';').peekable();
    while let Some(entry) = entries.next() {
        // As upstream, a trailing ';' is fine ("L3:0=ff;"), an empty entry
        // elsewhere is not.
        if entry.is_empty() && entries.peek().is_none() {
            return Ok(());
        }
        let (id, val) = entry.split_once('=').ok_or(ErrorKind::BadDomain)?;
        let id = parse_unsigned(id, 10).ok_or(ErrorKind::BadDomain)?;
        let val = strim(val);
        let d = schema
            .domain_ids
            .iter()
            .take(MAX_DOMAINS)
            .position(|&d| d as u64 == id)
            .ok_or(ErrorKind::UnknownDomain(id))?;
        let slot = staged.slot(s, d).ok_or(ErrorKind::UnknownDomain(id))?;
        if slot.is_some() {
            return Err(ErrorKind::DuplicateDomain(schema.domain_ids[d]));
        }
        let v = match &schema.ctrl {
            Ctrl::Cache(c) => {
                let cbm = parse_cbm(val, c).map_err(ErrorKind::Value)?;
                if others.cbm_overlaps(s, d, cbm, true) {
                    return Err(ErrorKind::OverlapsExclusive);
                }
                if mode == Mode::Exclusive && others.cbm_overlaps(s, d, cbm, false) {
                    return Err(ErrorKind::OverlapsOther);
                }
                cbm
            }
            Ctrl::Mb(m) => parse_mb(val, m).map_err(ErrorKind::Value)?,
        };
        if let Some(slot) = staged.slot(s, d) {
            *slot = Some(v);
        }
    }
    Ok(())
}

/// Writes the `schemata` file of a group as upstream shows it: one line per
/// schema, names right-aligned to `name_w` (at least the longest name),
/// values zero-padded (masks, hexadecimal) or space-padded (bandwidth) to a
/// common width. `value(s, d)` gives the current value of domain index `d`
/// of schema index `s`.
///
/// # Examples
///
/// ```ignore
/// render(&mut out, &schemas, 0, |s, _| [100, 0x7ff][s])?;  // "MB:0=100;1=100\nL3:0=7ff;1=7ff\n"
/// ```
pub(crate) fn render(
    out: &mut impl fmt::Write,
    schemas: &[Schema<'_>],
    name_w: usize,
    value: impl Fn(usize, usize) -> u32,
) -> fmt::Result {
    let longest = schemas.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let name_w = name_w.max(longest);
    let data_w = schemas
        .iter()
        .map(|s| s.ctrl.data_width())
        .max()
        .unwrap_or(0);
    for (i, s) in schemas.iter().enumerate() {
        write!(out, "{:>name_w$}:", s.name)?;
        for (d, id) in s.domain_ids.iter().enumerate() {
            let sep = if d == 0 { "" } else { ";" };
            let v = value(i, d);
            match s.ctrl {
                Ctrl::Cache(_) => write!(out, "{sep}{id}={v:0data_w$x}")?,
                Ctrl::Mb(_) => write!(out, "{sep}{id}={v:data_w$}")?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}
