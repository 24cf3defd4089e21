// SPDX-License-Identifier: GPL-2.0

//! Mount options of the resctrl file system.
//!
//! The same four flags upstream resctrl takes (`cdp`, `cdpl2`, `mba_MBps`,
//! `debug`). This module is pure logic with no kernel types, so the host's
//! `cargo test` builds and tests it too.

/// The options one `mount -t resctrl` asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct MountOptions {
    /// `cdp`: code and data prioritisation on the L3 cache.
    pub(crate) cdp_l3: bool,
    /// `cdpl2`: code and data prioritisation on the L2 cache.
    pub(crate) cdp_l2: bool,
    /// `mba_MBps`: memory bandwidth allocation in MiB/s (software controller).
    pub(crate) mba_mbps: bool,
    /// `debug`: show the files that only help debugging resctrl itself.
    pub(crate) debug: bool,
}

/// Why a mount parameter was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ParamError {
    /// Not a resctrl option. The VFS then tries its own (`source`) and
    /// otherwise fails the mount with `EINVAL`, "Unknown parameter".
    Unknown,
    /// A flag was given a value, as in `cdp=1`.
    UnexpectedValue,
}

impl MountOptions {
    /// Records the parameter `key` (with `value` for `key=value`).
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let mut opts = MountOptions::default();
    /// opts.parse(b"cdp", None)?;
    /// assert!(opts.cdp_l3);
    /// assert_eq!(opts.parse(b"cdp", Some(b"1")), Err(ParamError::UnexpectedValue));
    /// assert_eq!(opts.parse(b"bogus", None), Err(ParamError::Unknown));
    /// ```
    pub(crate) fn parse(&mut self, key: &[u8], value: Option<&[u8]>) -> Result<(), ParamError> {
        let flag = match key {
            b"cdp" => &mut self.cdp_l3,
            b"cdpl2" => &mut self.cdp_l2,
            b"mba_MBps" => &mut self.mba_mbps,
            b"debug" => &mut self.debug,
            _ => return Err(ParamError::Unknown),
        };
        if value.is_some() {
            return Err(ParamError::UnexpectedValue);
        }
        *flag = true;
        Ok(())
    }
}
