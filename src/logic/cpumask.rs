// SPDX-License-Identifier: GPL-2.0

//! Sets of CPUs and their two text forms: the hexadecimal mask of `cpus`
//! (`cpumask_parse()`, `%*pb`) and the range list of `cpus_list`
//! (`cpulist_parse()`, `%*pbl`), with the kernel's syntax and errors.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use core::fmt;

/// The most CPUs a [`CpuSet`] holds.
pub(crate) const MAX_CPUS: usize = 512;
const WORDS: usize = MAX_CPUS / 64;

/// A set of CPU numbers below [`MAX_CPUS`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CpuSet {
    bits: [u64; WORDS],
}

/// Why a CPU mask or list did not parse; the errnos the kernel's parsers
/// return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParseError {
    /// Bad syntax (`EINVAL`).
    Invalid,
    /// A number or mask too big for the number of CPUs (`EOVERFLOW`).
    Overflow,
    /// A range past the last CPU (`ERANGE`).
    Range,
}

impl CpuSet {
    /// The empty set.
    pub(crate) const fn new() -> Self {
        Self { bits: [0; WORDS] }
    }

    /// Whether `cpu` is in the set.
    pub(crate) fn contains(&self, cpu: u32) -> bool {
        let cpu = cpu as usize;
        cpu < MAX_CPUS && self.bits[cpu / 64] & (1 << (cpu % 64)) != 0
    }

    /// Adds `cpu` (ignored past [`MAX_CPUS`]).
    pub(crate) fn insert(&mut self, cpu: u32) {
        let cpu = cpu as usize;
        if cpu < MAX_CPUS {
            self.bits[cpu / 64] |= 1 << (cpu % 64);
        }
    }

    /// Removes `cpu`.
    pub(crate) fn remove(&mut self, cpu: u32) {
        let cpu = cpu as usize;
        if cpu < MAX_CPUS {
            self.bits[cpu / 64] &= !(1 << (cpu % 64));
        }
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.bits.iter().all(|&w| w == 0)
    }

    /// The CPUs in both sets.
    pub(crate) fn and(&self, o: &Self) -> Self {
        let mut r = *self;
        r.bits.iter_mut().zip(o.bits).for_each(|(a, b)| *a &= b);
        r
    }

    /// The CPUs in either set.
    pub(crate) fn or(&self, o: &Self) -> Self {
        let mut r = *self;
        r.bits.iter_mut().zip(o.bits).for_each(|(a, b)| *a |= b);
        r
    }

    /// The CPUs of `self` not in `o`.
    pub(crate) fn andnot(&self, o: &Self) -> Self {
        let mut r = *self;
        r.bits.iter_mut().zip(o.bits).for_each(|(a, b)| *a &= !b);
        r
    }

    /// The CPUs in the set, in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        (0..MAX_CPUS as u32).filter(|&c| self.contains(c))
    }

    /// Parses a hexadecimal mask as `cpumask_parse()` does for `nbits`
    /// CPUs: 32-bit groups separated by commas, most significant first;
    /// parsing stops at a newline; an empty string is the empty set.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// assert_eq!(CpuSet::parse_mask("3\n", 4).unwrap().iter().count(), 2);
    /// assert_eq!(CpuSet::parse_mask("1f", 4), Err(ParseError::Overflow));
    /// ```
    pub(crate) fn parse_mask(s: &str, nbits: u32) -> Result<Self, ParseError> {
        let nbits = nbits.min(MAX_CPUS as u32);
        let s = s.as_bytes();
        let s = &s[..s.iter().position(|&c| c == b'\n').unwrap_or(s.len())];
        let sep = |c: u8| c.is_ascii_whitespace() || c == b',';
        let mut set = Self::new();
        let mut chunks = nbits.div_ceil(32);
        let mut end = s.len();
        let mut chunk = 0usize;
        loop {
            while end > 0 && sep(s[end - 1]) {
                end -= 1;
            }
            if end == 0 {
                break;
            }
            if chunks == 0 {
                return Err(ParseError::Overflow);
            }
            chunks -= 1;
            // Up to eight hex digits, read backwards.
            let mut val = 0u32;
            let mut i = 0;
            loop {
                let d = (s[end - 1] as char)
                    .to_digit(16)
                    .ok_or(ParseError::Invalid)?;
                val |= d << (4 * i);
                end -= 1;
                i += 1;
                if end == 0 || sep(s[end - 1]) {
                    break;
                }
                if i == 8 {
                    if (s[end - 1] as char).is_ascii_hexdigit() {
                        return Err(ParseError::Overflow);
                    }
                    return Err(ParseError::Invalid);
                }
            }
            set.bits[chunk / 2] |= (val as u64) << (32 * (chunk % 2));
            chunk += 1;
        }
        if set.iter().any(|c| c >= nbits) {
            return Err(ParseError::Overflow);
        }
        Ok(set)
    }

    /// Parses a range list as `cpulist_parse()` does for `nbits` CPUs:
    /// `0-3,8,10-15:2/4`, `all`, `N` for the last CPU; parsing stops at a
    /// newline or NUL.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let s = CpuSet::parse_list("0,2-3\n", 4).unwrap();
    /// assert_eq!(s.iter().count(), 3);
    /// ```
    pub(crate) fn parse_list(s: &str, nbits: u32) -> Result<Self, ParseError> {
        let nbits = nbits.min(MAX_CPUS as u32);
        let last = nbits.wrapping_sub(1);
        let s = s.as_bytes();
        let at = |i: usize| s.get(i).copied().unwrap_or(0);
        let end_of_str = |c: u8| c == 0 || c == b'\n';
        let sep = |c: u8| c.is_ascii_whitespace() || c == b',';
        let end_of_region = |c: u8| sep(c) || end_of_str(c);
        let getnum = |i: &mut usize| -> Result<u32, ParseError> {
            if at(*i) == b'N' {
                *i += 1;
                return Ok(last);
            }
            let start = *i;
            let mut n: u64 = 0;
            let mut overflow = false;
            while at(*i).is_ascii_digit() {
                n = match n
                    .checked_mul(10)
                    .and_then(|n| n.checked_add((at(*i) - b'0') as u64))
                {
                    Some(n) => n,
                    None => {
                        overflow = true;
                        0
                    }
                };
                *i += 1;
            }
            if *i == start {
                return Err(ParseError::Invalid);
            }
            if overflow || n > u32::MAX as u64 {
                return Err(ParseError::Overflow);
            }
            Ok(n as u32)
        };
        let mut set = Self::new();
        let mut i = 0;
        loop {
            while sep(at(i)) {
                i += 1;
            }
            if end_of_str(at(i)) {
                return Ok(set);
            }
            let (start, end, off, group);
            if s.len() >= i + 3 && s[i..i + 3].eq_ignore_ascii_case(b"all") {
                i += 3;
                start = 0;
                end = last;
            } else {
                start = getnum(&mut i)?;
                if end_of_region(at(i)) {
                    end = start;
                } else {
                    if at(i) != b'-' {
                        return Err(ParseError::Invalid);
                    }
                    i += 1;
                    end = getnum(&mut i)?;
                }
            }
            if end_of_region(at(i)) {
                off = end.wrapping_add(1);
                group = end.wrapping_add(1);
            } else {
                if at(i) != b':' {
                    return Err(ParseError::Invalid);
                }
                i += 1;
                off = getnum(&mut i)?;
                if at(i) != b'/' {
                    return Err(ParseError::Invalid);
                }
                i += 1;
                group = getnum(&mut i)?;
            }
            if start > end || group == 0 || off > group {
                return Err(ParseError::Invalid);
            }
            if end >= nbits {
                return Err(ParseError::Range);
            }
            let mut base = start;
            while base <= end {
                let n = off.min(end - base + 1);
                (base..base + n).for_each(|c| set.insert(c));
                match base.checked_add(group) {
                    Some(b) => base = b,
                    None => break,
                }
            }
        }
    }

    /// Shows the set as `%*pb` does for `nbits` CPUs: 32-bit groups of hex
    /// digits, comma-separated, the first one only as wide as needed.
    pub(crate) fn fmt_mask(&self, f: &mut impl fmt::Write, nbits: u32) -> fmt::Result {
        let nbits = nbits.clamp(1, MAX_CPUS as u32);
        let mut chunksz = nbits % 32;
        if chunksz == 0 {
            chunksz = 32;
        }
        let mut i = nbits.div_ceil(32) * 32;
        let mut first = true;
        while i >= 32 {
            i -= 32;
            let word = self.bits[(i / 64) as usize] >> (i % 64);
            let val = word & ((1u64 << chunksz) - 1);
            if !first {
                f.write_char(',')?;
            }
            first = false;
            let w = chunksz.div_ceil(4) as usize;
            write!(f, "{val:0w$x}")?;
            chunksz = 32;
        }
        Ok(())
    }

    /// Shows the set as `%*pbl` does: ascending ranges, `0-3,5`.
    pub(crate) fn fmt_list(&self, f: &mut impl fmt::Write) -> fmt::Result {
        let mut sep = "";
        let mut it = self.iter().peekable();
        while let Some(start) = it.next() {
            let mut end = start;
            while it.peek() == Some(&(end + 1)) {
                end += 1;
                it.next();
            }
            if start == end {
                write!(f, "{sep}{start}")?;
            } else {
                write!(f, "{sep}{start}-{end}")?;
            }
            sep = ",";
        }
        Ok(())
    }
}
