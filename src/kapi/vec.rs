// SPDX-License-Identifier: GPL-2.0

//! What later kernels' `KVec` has and 6.12's lacks: `insert`, `remove`,
//! `pop` and `retain`; and a `collect` that reports allocation failure.

use kernel::{alloc::Flags, prelude::*};

/// `insert`/`remove`/`pop` for [`KVec`].
pub(crate) trait KVecExt<T> {
    /// Inserts `v` at `i` (at most the length), shifting the rest up.
    fn insert_at(&mut self, i: usize, v: T, flags: Flags) -> Result;
    /// Removes and returns the element at `i`, shifting the rest down.
    fn remove_at(&mut self, i: usize) -> T;
    /// Removes and returns the last element.
    fn pop_last(&mut self) -> Option<T>;
    /// Drops the elements for which `keep` is false, in order, keeping the
    /// order of the rest.
    fn retain_by(&mut self, keep: impl FnMut(&T) -> bool);
}

impl<T> KVecExt<T> for KVec<T> {
    fn insert_at(&mut self, i: usize, v: T, flags: Flags) -> Result {
        if i > self.len() {
            return Err(EINVAL);
        }
        self.push(v, flags)?;
        self.as_mut_slice()[i..].rotate_right(1);
        Ok(())
    }

    fn remove_at(&mut self, i: usize) -> T {
        self.as_mut_slice()[i..].rotate_left(1);
        self.pop_last().expect("index in bounds")
    }

    fn retain_by(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let mut i = 0;
        while i < self.len() {
            if keep(&self[i]) {
                i += 1;
            } else {
                drop(self.remove_at(i));
            }
        }
    }

    fn pop_last(&mut self) -> Option<T> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        // SAFETY: element `len - 1` is initialised; shrinking the length
        // first makes the vector forget it, so it is read out exactly once.
        unsafe {
            self.set_len(len - 1);
            Some(core::ptr::read(self.as_ptr().add(len - 1)))
        }
    }
}

/// The items of `it`, in a new vector; what `Iterator::collect` would do if
/// allocation could not fail.
pub(crate) fn collect<T>(it: impl Iterator<Item = T>) -> Result<KVec<T>> {
    let mut v = KVec::new();
    for x in it {
        v.push(x, GFP_KERNEL)?;
    }
    Ok(v)
}
