// SPDX-License-Identifier: GPL-2.0

//! The syntax of counter assignment's files (upstream 6.18): the memory
//! transactions of `info/L3_MON/event_configs/<event>/event_filter` and
//! the entries of a group's `mbm_L3_assignments` lines, parsed as upstream
//! parses them (`resctrl_parse_mem_transactions()`,
//! `resctrl_parse_mbm_assignment()`).
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use super::ctrlval::{parse_unsigned, strim};
use core::fmt::{self, Write};

/// The memory transactions an event can count, by name, in upstream's
/// order, with their event bits (as BMEC's).
pub(crate) const TRANSACTIONS: [(&str, u32); 7] = [
    ("local_reads", 1 << 0),
    ("remote_reads", 1 << 1),
    ("local_non_temporal_writes", 1 << 2),
    ("remote_non_temporal_writes", 1 << 3),
    ("local_reads_slow_memory", 1 << 4),
    ("remote_reads_slow_memory", 1 << 5),
    ("dirty_victim_writes_all", 1 << 6),
];

/// Writes the transactions of `bits` as `event_filter` shows them: their
/// names, joined by commas, in [`TRANSACTIONS`]' order.
///
/// # Examples
///
/// ```ignore
/// let mut s = String::new();
/// fmt_filter(&mut s, 0x15).unwrap();
/// assert_eq!(s, "local_reads,local_non_temporal_writes,local_reads_slow_memory");
/// ```
pub(crate) fn fmt_filter(w: &mut impl Write, bits: u32) -> fmt::Result {
    let mut sep = "";
    for (name, _) in TRANSACTIONS.iter().filter(|(_, b)| bits & b != 0) {
        write!(w, "{sep}{name}")?;
        sep = ",";
    }
    Ok(())
}

/// Parses a write of `event_filter` (`text`, without its final newline):
/// transaction names separated by commas, white space around each
/// ignored; nothing at all, or nothing after a last comma, ends it. `Err`
/// with the first name that is not a transaction (upstream's "Invalid
/// memory transaction type").
///
/// # Examples
///
/// ```ignore
/// assert_eq!(parse_filter("local_reads, remote_reads"), Ok(3));
/// assert_eq!(parse_filter("local_reads,,remote_reads"), Err(""));
/// ```
pub(crate) fn parse_filter(text: &str) -> Result<u32, &str> {
    let mut bits = 0;
    let mut rest = Some(text);
    while let Some(t) = rest.filter(|t| !t.is_empty()) {
        let (tok, r) = match t.split_once(',') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        rest = r;
        let name = strim(tok);
        let (_, b) = TRANSACTIONS.iter().find(|(n, _)| *n == name).ok_or(name)?;
        bits |= b;
    }
    Ok(bits)
}

/// Which domains an entry of a `mbm_L3_assignments` line names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// `*`: every domain; the entry ends the line.
    All,
    /// A domain id.
    Dom(u64),
    /// Neither `*` nor a number (upstream's "Missing domain id").
    Missing,
}

/// An entry `<domain>=<state>` of a `mbm_L3_assignments` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    /// The domains.
    pub(crate) target: Target,
    /// What follows the `=`, `None` without one.
    pub(crate) state: Option<&'a str>,
}

/// What an entry's state asks: `Some(true)` to assign (`e`), `Some(false)`
/// to unassign (`_`), `None` for anything else.
pub(crate) fn assign_state(state: Option<&str>) -> Option<bool> {
    match state {
        Some("e") => Some(true),
        Some("_") => Some(false),
        _ => None,
    }
}

/// Splits a `mbm_L3_assignments` line into its event name and its
/// entries, as upstream: the name is what comes before the first `:`.
pub(crate) fn split_line(line: &str) -> (&str, Option<&str>) {
    match line.split_once(':') {
        Some((e, rest)) => (e, Some(rest)),
        None => (line, None),
    }
}

/// The entries of a line's `rest` (what follows its `:`), separated by
/// `;` and trimmed: nothing at all, or nothing after a last `;`, ends it.
/// The caller stops after a [`Target::All`] entry, as upstream.
///
/// # Examples
///
/// ```ignore
/// let mut e = entries(Some("0=e; 1=_"));
/// assert_eq!(e.next().map(|e| e.target), Some(Target::Dom(0)));
/// assert_eq!(e.next().map(|e| e.state), Some(Some("_")));
/// assert_eq!(e.next(), None);
/// ```
pub(crate) fn entries(rest: Option<&str>) -> impl Iterator<Item = Entry<'_>> {
    let mut rest = rest;
    core::iter::from_fn(move || {
        let t = rest.filter(|t| !t.is_empty())?;
        let (tok, r) = match t.split_once(';') {
            Some((a, b)) => (a, Some(b)),
            None => (t, None),
        };
        rest = r;
        let tok = strim(tok);
        let (id, state) = match tok.split_once('=') {
            Some((i, s)) => (i, Some(s)),
            None => (tok, None),
        };
        let target = if id.starts_with('*') {
            Target::All
        } else {
            parse_unsigned(id, 10).map_or(Target::Missing, Target::Dom)
        };
        Some(Entry { target, state })
    })
}

/// `kstrtobool()`: the truth of `s` by its first characters (`y`, `t`,
/// `1`, `on`; `n`, `f`, `0`, `off`; either case), `None` for anything else.
pub(crate) fn parse_bool(s: &[u8]) -> Option<bool> {
    match s {
        [b'y' | b'Y' | b't' | b'T' | b'1', ..] => Some(true),
        [b'n' | b'N' | b'f' | b'F' | b'0', ..] => Some(false),
        [b'o' | b'O', b'n' | b'N', ..] => Some(true),
        [b'o' | b'O', b'f' | b'F', ..] => Some(false),
        _ => None,
    }
}
