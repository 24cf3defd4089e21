// SPDX-License-Identifier: GPL-2.0

//! How cache allocations of groups relate: overlap checks, the masks of new
//! groups and `bit_usage`, as upstream resctrl decides them.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use super::ctrlval::CacheProps;
use core::fmt;

/// How a group shares its cache allocation, as far as masks care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sharing {
    /// May overlap other shareable groups.
    Shareable,
    /// Overlaps nobody.
    Exclusive,
    /// Not a group's: io_alloc's mask, used by I/O devices and shared with
    /// software. A new group's mask avoids it, an exclusive group may not
    /// overlap it, and `bit_usage` shows it as hardware's.
    Hardware,
}

/// Whether `cbm` overlaps the masks `others` (the masks and modes of the
/// other allocated CLOSIDs in one domain): with `exclusive_only` the masks of
/// exclusive groups only, otherwise any mask and the bits hardware shares.
/// Upstream's `__rdtgroup_cbm_overlaps()`.
///
/// # Examples
///
/// ```ignore
/// let others = [(0x0f0, Sharing::Exclusive)];
/// assert!(cbm_overlaps(0x030, &l3, others.into_iter(), true));
/// ```
pub(crate) fn cbm_overlaps(
    cbm: u32,
    r: &CacheProps,
    mut others: impl Iterator<Item = (u32, Sharing)>,
    exclusive_only: bool,
) -> bool {
    if !exclusive_only && cbm & r.shareable_bits != 0 {
        return true;
    }
    others.any(|(ctrl, mode)| cbm & ctrl != 0 && (!exclusive_only || mode == Sharing::Exclusive))
}

/// The mask a new group gets in one domain: every bit no other group uses
/// plus the bits of shareable groups and of hardware, reduced to its lowest
/// contiguous run. `None` if that is below `min_cbm_bits` (upstream: "No
/// space on L3:<id>"). Upstream's `__init_one_rdt_domain()`.
pub(crate) fn new_group_cbm(
    r: &CacheProps,
    others: impl Iterator<Item = (u32, Sharing)>,
) -> Option<u32> {
    let full = r.full_mask();
    let mut used = r.shareable_bits;
    let mut new = r.shareable_bits;
    for (ctrl, mode) in others {
        used |= ctrl;
        if mode == Sharing::Shareable {
            new |= ctrl;
        }
    }
    new |= !used & full;
    let new = lowest_run(new & full);
    (new.count_ones() >= r.min_cbm_bits).then_some(new)
}

/// The lowest contiguous run of ones of `v`.
fn lowest_run(v: u32) -> u32 {
    if v == 0 {
        return 0;
    }
    let first = v.trailing_zeros();
    let run = (v >> first).trailing_ones();
    let ones = if run >= 32 {
        u32::MAX
    } else {
        (1u32 << run) - 1
    };
    ones << first
}

/// One domain's line part of `info/<res>/bit_usage`: `<id>=` and a character
/// per bit, most significant first. `X` bits are used by hardware and
/// shareable groups, `H` by hardware only, `S` by shareable groups only, `E`
/// by an exclusive group, `0` by nobody. `groups` are the masks and modes of
/// all allocated CLOSIDs; hardware's are the shareable bits and
/// [`Sharing::Hardware`] masks.
pub(crate) fn fmt_bit_usage(
    f: &mut impl fmt::Write,
    id: u32,
    r: &CacheProps,
    groups: impl Iterator<Item = (u32, Sharing)>,
) -> fmt::Result {
    let (mut sw, mut excl, mut hw) = (0u32, 0u32, r.shareable_bits);
    for (ctrl, mode) in groups {
        match mode {
            Sharing::Shareable => sw |= ctrl,
            Sharing::Exclusive => excl |= ctrl,
            Sharing::Hardware => hw |= ctrl,
        }
    }
    write!(f, "{id}=")?;
    for i in (0..r.cbm_len).rev() {
        let bit = |m: u32| m & (1 << i) != 0;
        let c = match (bit(hw), bit(sw)) {
            (true, true) => 'X',
            (true, false) => 'H',
            (false, true) => 'S',
            _ if bit(excl) => 'E',
            _ => '0',
        };
        f.write_char(c)?;
    }
    Ok(())
}
