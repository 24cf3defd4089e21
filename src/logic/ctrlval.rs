// SPDX-License-Identifier: GPL-2.0

//! Control values: cache bit masks (CBMs) and memory bandwidth (MB) values,
//! parsed and checked against what a resource supports.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too. The
//! messages are upstream's `info/last_cmd_status` texts.

use core::fmt;

/// What a cache resource (L3, L2) accepts as a bit mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CacheProps {
    /// Number of bits in a mask (1 to 32).
    pub(crate) cbm_len: u32,
    /// Fewest set bits a mask may have.
    pub(crate) min_cbm_bits: u32,
    /// Whether the set bits may be non-contiguous.
    pub(crate) sparse_masks: bool,
    /// Bits other agents (I/O, other CPUs) may use too.
    pub(crate) shareable_bits: u32,
}

impl CacheProps {
    /// The mask with all `cbm_len` bits set: the default and the largest.
    pub(crate) fn full_mask(&self) -> u32 {
        if self.cbm_len >= 32 {
            u32::MAX
        } else {
            (1u32 << self.cbm_len) - 1
        }
    }
}

/// What a memory bandwidth resource (MB) accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct MbProps {
    /// Smallest percentage.
    pub(crate) min_bw: u32,
    /// Granularity: values round up to a multiple of it.
    pub(crate) bw_gran: u32,
    /// Largest value, and the default (100 for percentages).
    pub(crate) max_bw: u32,
    /// Whether the throttle values are linear percentages.
    pub(crate) delay_linear: bool,
    /// Whether only linear values are supported (Intel).
    pub(crate) arch_needs_linear: bool,
    /// The software controller (`mba_MBps`) is on: values are MB/s, any size.
    pub(crate) mba_sc: bool,
}

/// Why a control value was refused; `Display` gives upstream's message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CtrlValError<'a> {
    /// Not a hexadecimal number that fits in a mask.
    NonHex(&'a str),
    /// Zero where bits are needed, or bits beyond the mask length.
    MaskOutOfRange,
    /// Holes in a mask on hardware that needs contiguous masks.
    NonConsecutive(u64),
    /// Fewer than `min_cbm_bits` bits.
    TooFewBits(u32),
    /// Not a decimal number that fits in 32 bits.
    InvalidMb(&'a str),
    /// Outside `[min_bw, max_bw]`.
    MbOutOfRange {
        /// The value given.
        val: u32,
        /// The smallest accepted.
        min: u32,
        /// The largest accepted.
        max: u32,
    },
    /// Non-linear MB hardware, which is not supported.
    NonLinearMb,
}

impl fmt::Display for CtrlValError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NonHex(s) => write!(f, "Non-hex character in the mask {s}"),
            Self::MaskOutOfRange => write!(f, "Mask out of range"),
            Self::NonConsecutive(v) => write!(f, "The mask {v:x} has non-consecutive 1-bits"),
            Self::TooFewBits(n) => write!(f, "Need at least {n} bits in the mask"),
            Self::InvalidMb(s) => write!(f, "Invalid MB value {s}"),
            Self::MbOutOfRange { val, min, max } => {
                write!(f, "MB value {val} out of range [{min},{max}]")
            }
            Self::NonLinearMb => write!(f, "No support for non-linear MB domains"),
        }
    }
}

/// The kernel's `strim()`: without leading and trailing white space.
pub(crate) fn strim(s: &str) -> &str {
    s.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'))
}

/// Parses an unsigned number as the kernel's `kstrtoull()` does: an optional
/// `+`, for base 16 an optional `0x`, at least one digit, nothing after and
/// no overflow.
pub(crate) fn parse_unsigned(s: &str, radix: u32) -> Option<u64> {
    let s = s.strip_prefix('+').unwrap_or(s);
    let s = if radix == 16 {
        s.strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s)
    } else {
        s
    };
    if s.is_empty() {
        return None;
    }
    let mut val: u64 = 0;
    for c in s.chars() {
        let d = c.to_digit(radix)?;
        val = val.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    Some(val)
}

/// Parses and checks the hexadecimal cache bit mask `s`.
///
/// # Examples
///
/// ```ignore
/// let l3 = CacheProps { cbm_len: 11, min_cbm_bits: 1, sparse_masks: false, shareable_bits: 0 };
/// assert_eq!(parse_cbm("7f0", &l3), Ok(0x7f0));
/// assert_eq!(parse_cbm("f0f", &l3), Err(CtrlValError::NonConsecutive(0xf0f)));
/// ```
pub(crate) fn parse_cbm<'a>(s: &'a str, r: &CacheProps) -> Result<u32, CtrlValError<'a>> {
    let val = parse_unsigned(s, 16).ok_or(CtrlValError::NonHex(s))?;
    if (r.min_cbm_bits > 0 && val == 0) || val > r.full_mask() as u64 {
        return Err(CtrlValError::MaskOutOfRange);
    }
    let val = val as u32;
    if val == 0 {
        // Only reachable with min_cbm_bits == 0: an empty mask is allowed.
        return Ok(0);
    }
    let first = val.trailing_zeros();
    // The first run of ones, and whatever is left above it.
    let shifted = val >> first;
    let run = shifted.trailing_ones();
    let rest = shifted.checked_shr(run).unwrap_or(0);
    if !r.sparse_masks && rest != 0 {
        return Err(CtrlValError::NonConsecutive(val as u64));
    }
    if run < r.min_cbm_bits {
        return Err(CtrlValError::TooFewBits(r.min_cbm_bits));
    }
    Ok(val)
}

/// Parses and checks the decimal bandwidth value `s`; returns it rounded up
/// to the granularity.
///
/// # Examples
///
/// ```ignore
/// let mb = MbProps { min_bw: 10, bw_gran: 10, max_bw: 100, delay_linear: true,
///                    arch_needs_linear: true, mba_sc: false };
/// assert_eq!(parse_mb("45", &mb), Ok(50));
/// ```
pub(crate) fn parse_mb<'a>(s: &'a str, r: &MbProps) -> Result<u32, CtrlValError<'a>> {
    if !r.delay_linear && r.arch_needs_linear {
        return Err(CtrlValError::NonLinearMb);
    }
    let bw = parse_unsigned(s, 10)
        .and_then(|v| u32::try_from(v).ok())
        .ok_or(CtrlValError::InvalidMb(s))?;
    if r.mba_sc {
        return Ok(bw);
    }
    if bw < r.min_bw || bw > r.max_bw {
        return Err(CtrlValError::MbOutOfRange {
            val: bw,
            min: r.min_bw,
            max: r.max_bw,
        });
    }
    let gran = r.bw_gran.max(1);
    Ok(bw.div_ceil(gran) * gran)
}

/// Parses a signed number as the kernel's `kstrtoint(s, 0)` does: an
/// optional sign, the base from the prefix (`0x` hexadecimal, `0` octal,
/// else decimal), an optional trailing newline, and a value that fits.
///
/// # Examples
///
/// ```ignore
/// assert_eq!(parse_int_auto("0x10"), Some(16));
/// assert_eq!(parse_int_auto("-010\n"), Some(-8));
/// ```
pub(crate) fn parse_int_auto(s: &str) -> Option<i32> {
    let s = s.strip_suffix('\n').unwrap_or(s);
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let s = s.strip_prefix('+').unwrap_or(s);
    let b = s.as_bytes();
    let (radix, digits) =
        if b.len() > 2 && b[0] == b'0' && (b[1] | 0x20) == b'x' && b[2].is_ascii_hexdigit() {
            // `get`, not indexing: no panic path (byte 2 is a boundary, as
            // the two bytes before it are ASCII).
            (16, s.get(2..).unwrap_or(""))
        } else if b.first() == Some(&b'0') {
            (8, s)
        } else {
            (10, s)
        };
    if digits.is_empty() {
        return None;
    }
    let mut val: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        val = val.checked_mul(radix as u64)?.checked_add(d as u64)?;
    }
    if neg {
        (val <= 1 << 31).then(|| (val as i64).wrapping_neg() as i32)
    } else {
        i32::try_from(val).ok()
    }
}
