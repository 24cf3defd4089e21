// SPDX-License-Identifier: GPL-2.0

//! `info/last_cmd_status`: what the last command said, as upstream's
//! `rdt_last_cmd_*()` buffer.

use core::fmt;

/// Size of the `last_cmd_status` buffer, as upstream.
const LAST_CMD_LEN: usize = 512;

/// The text of `info/last_cmd_status`: what the last command said.
pub(crate) struct LastCmd {
    buf: [u8; LAST_CMD_LEN],
    len: usize,
}

impl LastCmd {
    /// Empty.
    pub(crate) const fn new() -> Self {
        Self {
            buf: [0; LAST_CMD_LEN],
            len: 0,
        }
    }

    /// Forgets the last command's text.
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    /// The text; empty if the last command said nothing.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for LastCmd {
    /// Appends, truncating at the buffer size (on a character boundary).
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = LAST_CMD_LEN - 1 - self.len;
        let mut n = s.len().min(room);
        while !s.is_char_boundary(n) {
            n -= 1;
        }
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}
