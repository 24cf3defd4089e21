// SPDX-License-Identifier: GPL-2.0

//! Resource properties the tests share: an 11-bit L3 and a percentage MB,
//! as on many Intel parts; a 16-bit L3 and raw-bandwidth MB, as on AMD
//! parts.

use crate::ctrlval::{CacheProps, MbProps};

pub(crate) const L3: CacheProps = CacheProps {
    cbm_len: 11,
    min_cbm_bits: 1,
    sparse_masks: false,
    shareable_bits: 0,
};

pub(crate) const MB: MbProps = MbProps {
    min_bw: 10,
    bw_gran: 10,
    max_bw: 100,
    delay_linear: true,
    arch_needs_linear: true,
    mba_sc: false,
};

pub(crate) const AMD_L3: CacheProps = CacheProps {
    cbm_len: 16,
    min_cbm_bits: 0,
    sparse_masks: true,
    shareable_bits: 0,
};

pub(crate) const AMD_MB: MbProps = MbProps {
    min_bw: 0,
    bw_gran: 1,
    max_bw: 2048,
    delay_linear: false,
    arch_needs_linear: false,
    mba_sc: false,
};
