// SPDX-License-Identifier: GPL-2.0

//! Event values in binary fixed point, shown in decimal as upstream 7.0
//! shows its telemetry events (`print_event_value()`): the integer part, a
//! point, and the fraction rounded to nearest with `ceil(bits * log10(2))`
//! digits (at least one), so that every binary fraction has its own
//! decimal one.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use core::fmt;

/// The most fraction bits a value may have, as upstream (`MAX_BINARY_BITS`):
/// the fraction times its power of ten then fits 64 bits.
pub(crate) const MAX_FRAC_BITS: u32 = 27;

/// The decimal digits of a fraction of `bits` bits: the fewest `d >= 1`
/// with `10^d >= 2^bits`.
pub(crate) const fn decimal_places(bits: u32) -> u32 {
    let (mut d, mut p) = (1, 10u64);
    while p < (1u64 << bits) {
        d += 1;
        p *= 10;
    }
    d
}

/// A value with `frac_bits` (at most [`MAX_FRAC_BITS`]) bits below the
/// binary point, shown in decimal.
///
/// # Examples
///
/// ```ignore
/// // 1.5 with 18 fraction bits.
/// assert_eq!(format!("{}", FixedPoint::new(3 << 17, 18)), "1.500000");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FixedPoint {
    val: u64,
    frac_bits: u32,
}

impl FixedPoint {
    /// `val` in units of `2^-frac_bits`; more than [`MAX_FRAC_BITS`] are
    /// taken as that many.
    pub(crate) const fn new(val: u64, frac_bits: u32) -> Self {
        let frac_bits = if frac_bits > MAX_FRAC_BITS {
            MAX_FRAC_BITS
        } else {
            frac_bits
        };
        Self { val, frac_bits }
    }
}

impl fmt::Display for FixedPoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.frac_bits;
        let places = decimal_places(b);
        let frac = if b == 0 {
            0
        } else {
            // Below 2^27 times below 10^9: no overflow. Adding half a unit
            // of the last binary place rounds to nearest, and the result
            // stays below 10^places (10^places / 2^b >= 1).
            let bits = self.val & ((1u64 << b) - 1);
            (bits * 10u64.pow(places) + (1u64 << (b - 1))) >> b
        };
        write!(f, "{}.{:0w$}", self.val >> b, frac, w = places as usize)
    }
}
