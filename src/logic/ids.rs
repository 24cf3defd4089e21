// SPDX-License-Identifier: GPL-2.0

//! CLOSID and RMID allocation.
//!
//! CLOSID 0 and RMID 0 belong to the default group and are never handed out.
//! Free RMIDs are reused oldest-first; a freed RMID whose cache occupancy is
//! still above the threshold in some domains waits in limbo until each of
//! those domains reports it clean, as upstream.
//!
//! Pure logic, no kernel types: the host's `cargo test` builds it too.

use core::ops::DerefMut;

/// Why no ID could be handed out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AllocError {
    /// All IDs are in use: `ENOSPC`.
    NoSpace,
    /// None is free, but some wait in limbo and will be: `EBUSY`.
    Busy,
}

/// The most CLOSIDs this allocator handles; hardware has 4 to 16.
pub(crate) const MAX_CLOSIDS: u32 = 64;

/// The most RMIDs handed out: `IA32_PQR_ASSOC` has ten bits for them.
pub(crate) const MAX_RMIDS: u32 = 1024;

/// CLOSIDs, lowest free first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ClosidAllocator {
    /// Bit `i` set: CLOSID `i` is free.
    free: u64,
    len: u32,
}

impl ClosidAllocator {
    /// An allocator of CLOSIDs `1..num_closid` (at most [`MAX_CLOSIDS`]).
    pub(crate) fn new(num_closid: u32) -> Self {
        let len = num_closid.min(MAX_CLOSIDS);
        let all = if len == 64 {
            u64::MAX
        } else {
            (1u64 << len) - 1
        };
        Self {
            free: all & !1,
            len,
        }
    }

    /// How many CLOSIDs there are, the default group's included.
    pub(crate) fn len(&self) -> u32 {
        self.len
    }

    /// Hands out the lowest free CLOSID.
    pub(crate) fn alloc(&mut self) -> Result<u32, AllocError> {
        if self.free == 0 {
            return Err(AllocError::NoSpace);
        }
        let closid = self.free.trailing_zeros();
        self.free &= !(1u64 << closid);
        Ok(closid)
    }

    /// Takes `closid` if it is free (for a purpose of its own, such as
    /// io_alloc's): upstream's `closid_alloc_fixed()`.
    pub(crate) fn alloc_fixed(&mut self, closid: u32) -> bool {
        if closid >= self.len || self.free & (1u64 << closid) == 0 {
            return false;
        }
        self.free &= !(1u64 << closid);
        true
    }

    /// Gives `closid` back. Freeing CLOSID 0, one out of range or one not
    /// handed out is a bug of the caller and ignored.
    pub(crate) fn free(&mut self, closid: u32) {
        if closid != 0 && closid < self.len {
            self.free |= 1u64 << closid;
        }
    }

    /// Whether `closid` is handed out (CLOSID 0 always is).
    pub(crate) fn is_allocated(&self, closid: u32) -> bool {
        closid < self.len && self.free & (1u64 << closid) == 0
    }
}

/// Where an RMID is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum RmidState {
    /// On the free list.
    #[default]
    Free,
    /// Handed out.
    Allocated,
    /// Freed, but still dirty in `busy` domains.
    Limbo {
        /// The domains that have yet to report it clean.
        busy: u32,
    },
}

/// One RMID's bookkeeping; the allocator's storage is a slice of these.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct RmidEntry {
    state: RmidState,
    /// The next RMID on the free list, if this one is on it.
    next: Option<u32>,
}

/// RMIDs, oldest-freed first, with limbo.
///
/// `S` is the storage, one [`RmidEntry`] per RMID: a `KVec` in the kernel, a
/// `Vec` on the host.
///
/// # Examples
///
/// ```ignore
/// let mut rmids = RmidAllocator::new(vec![RmidEntry::default(); 4]);
/// let a = rmids.alloc()?;                // 1
/// rmids.free(a, 2);                      // dirty in two domains
/// rmids.limbo_clean(a);
/// rmids.limbo_clean(a);                  // now free again
/// ```
pub(crate) struct RmidAllocator<S> {
    entries: S,
    head: Option<u32>,
    tail: Option<u32>,
    free: u32,
    limbo: u32,
}

impl<S: DerefMut<Target = [RmidEntry]>> RmidAllocator<S> {
    /// An allocator of RMIDs `1..entries.len()`, all free, in order.
    pub(crate) fn new(mut entries: S) -> Self {
        entries.fill(RmidEntry::default());
        let n = entries.len() as u32;
        let mut a = Self {
            entries,
            head: None,
            tail: None,
            free: 0,
            limbo: 0,
        };
        if n > 0 {
            a.entries[0].state = RmidState::Allocated;
        }
        for rmid in 1..n {
            a.push_free(rmid);
        }
        a
    }

    /// How many RMIDs there are, the default group's included.
    pub(crate) fn len(&self) -> u32 {
        self.entries.len() as u32
    }

    /// How many are free; how many wait in limbo.
    pub(crate) fn counts(&self) -> (u32, u32) {
        (self.free, self.limbo)
    }

    /// The state of `rmid`, if it exists.
    pub(crate) fn state(&self, rmid: u32) -> Option<RmidState> {
        self.entries.get(rmid as usize).map(|e| e.state)
    }

    fn push_free(&mut self, rmid: u32) {
        self.entries[rmid as usize] = RmidEntry {
            state: RmidState::Free,
            next: None,
        };
        match self.tail {
            Some(t) => self.entries[t as usize].next = Some(rmid),
            None => self.head = Some(rmid),
        }
        self.tail = Some(rmid);
        self.free += 1;
    }

    /// Hands out the RMID freed longest ago.
    pub(crate) fn alloc(&mut self) -> Result<u32, AllocError> {
        self.alloc_below(u32::MAX)
    }

    /// Hands out the RMID below `cap` freed longest ago: a resource with
    /// fewer RMIDs than the others (a driver's) caps what groups may take.
    /// `Busy` if none is free but one below `cap` waits in limbo.
    pub(crate) fn alloc_below(&mut self, cap: u32) -> Result<u32, AllocError> {
        let (mut prev, mut cur) = (None, self.head);
        while let Some(rmid) = cur {
            if rmid < cap {
                break;
            }
            prev = cur;
            cur = self.entries[rmid as usize].next;
        }
        let Some(rmid) = cur else {
            let limbo = |e: &RmidEntry| matches!(e.state, RmidState::Limbo { .. });
            let below = self.entries.iter().take(cap as usize);
            return Err(if below.into_iter().any(limbo) {
                AllocError::Busy
            } else {
                AllocError::NoSpace
            });
        };
        let next = self.entries[rmid as usize].next;
        match prev {
            Some(p) => self.entries[p as usize].next = next,
            None => self.head = next,
        }
        if self.tail == Some(rmid) {
            self.tail = prev;
        }
        self.entries[rmid as usize] = RmidEntry {
            state: RmidState::Allocated,
            next: None,
        };
        self.free -= 1;
        Ok(rmid)
    }

    /// Gives back `rmid`, still dirty in `busy` domains: free at once if
    /// none, else in limbo. Freeing RMID 0 or one not handed out is a bug of
    /// the caller and ignored.
    pub(crate) fn free(&mut self, rmid: u32, busy: u32) {
        if rmid == 0 || self.state(rmid) != Some(RmidState::Allocated) {
            return;
        }
        if busy == 0 {
            self.push_free(rmid);
        } else {
            self.entries[rmid as usize].state = RmidState::Limbo { busy };
            self.limbo += 1;
        }
    }

    /// One domain found `rmid`, in limbo, clean. Returns whether that made it
    /// free.
    pub(crate) fn limbo_clean(&mut self, rmid: u32) -> bool {
        let Some(RmidState::Limbo { busy }) = self.state(rmid) else {
            return false;
        };
        if busy > 1 {
            self.entries[rmid as usize].state = RmidState::Limbo { busy: busy - 1 };
            return false;
        }
        self.limbo -= 1;
        self.push_free(rmid);
        true
    }
}
