// SPDX-License-Identifier: GPL-2.0

//! The C ABI of resctrl drivers: `resctrl_driver_register()` (the macro of
//! `__resctrl_driver_register()`) and `resctrl_driver_unregister()`,
//! exported to modules, and a safe handle on a registered
//! `struct resctrl_driver` through which the core reads the description and
//! calls the driver back.
//!
//! The core plugs in with [`set_backend`]. A [`DriverDesc`] exists from
//! registration until the backend gives it back at unregistration; the
//! exported `resctrl_driver_unregister()` returns only after that, so the
//! driver's memory and code are used only while it is registered. A module
//! that goes with a driver still registered has it unregistered then, by a
//! module notifier, before its memory is freed.
//!
//! C header: [`include/linux/resctrl_driver.h`](srctree/include/linux/resctrl_driver.h)

use super::{
    cpu::Scope,
    global::Global,
    module::{on_module_going, ModuleId},
    sync::{new_raw_spinlock_irq, RawSpinLockIrq, RawSpinLockIrqBackend},
};
use crate::logic::cpumask::{CpuSet, MAX_CPUS};

/// Bits in a word of a `struct cpumask`.
const BITS_PER_WORD: usize = 8 * core::mem::size_of::<core::ffi::c_ulong>();
/// Words of a CPU mask of [`MAX_CPUS`] CPUs, as passed to drivers.
const MASK_WORDS: usize = MAX_CPUS.div_ceil(BITS_PER_WORD);

// Without `CPUMASK_OFFSTACK`, C reads `NR_CPUS` bits of a mask.
#[cfg(not(CONFIG_CPUMASK_OFFSTACK))]
const _: () = assert!(super::cpu::NR_CPUS <= MAX_CPUS);
use core::{ffi::c_int, ptr::NonNull};
use kernel::{
    bindings,
    prelude::*,
    str::CStr,
    sync::{lock::Guard, Arc},
};

/// The most events and files one driver may declare.
pub(crate) const MAX_ITEMS: usize = bindings::RESCTRL_DRIVER_MAX_ITEMS as usize;

/// The most fraction bits of an event's value.
const MAX_FRAC_BITS: u32 = bindings::RESCTRL_DRIVER_MAX_FRAC_BITS;
const _: () = assert!(MAX_FRAC_BITS == crate::logic::fixed_point::MAX_FRAC_BITS);

/// The most RMIDs a driver's resource may count.
const MAX_RMIDS: u32 = crate::logic::ids::MAX_RMIDS;

/// The type of a group, as a driver sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum GroupType {
    /// A CTRL_MON group or the default group.
    CtrlMon,
    /// A MON group.
    Mon,
}

/// What a driver sees of a group: `struct resctrl_group_info`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GroupInfo {
    /// The type.
    pub(crate) ty: GroupType,
    /// The CLOSID its tasks run with.
    pub(crate) closid: u32,
    /// Its RMID.
    pub(crate) rmid: u32,
}

impl GroupInfo {
    fn to_c(self) -> bindings::resctrl_group_info {
        bindings::resctrl_group_info {
            type_: match self.ty {
                GroupType::CtrlMon => bindings::resctrl_group_type_RESCTRL_GROUP_CTRL_MON,
                GroupType::Mon => bindings::resctrl_group_type_RESCTRL_GROUP_MON,
            },
            closid: self.closid,
            rmid: self.rmid,
        }
    }
}

/// Where a driver's file goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FilePlace {
    /// CTRL_MON groups, the default group too.
    CtrlMon,
    /// MON groups.
    Mon,
    /// `info/<resource or driver name>/`.
    Info,
}

/// A file a driver declares.
#[derive(Clone, Copy)]
pub(crate) struct FileDecl<'a> {
    /// Its name.
    pub(crate) name: &'a CStr,
    /// Its permissions: `0o444` or `0o644`.
    pub(crate) mode: u16,
    /// Where it goes.
    pub(crate) place: FilePlace,
}

/// An event a driver declares.
#[derive(Clone, Copy)]
pub(crate) struct EventDecl<'a> {
    /// Its name.
    pub(crate) name: &'a CStr,
    /// Its value's bits below the binary point (0: an integer).
    pub(crate) frac_bits: u32,
}

/// A registered driver: a `struct resctrl_driver` the core may read and
/// call back until it gives this handle back to `resctrl_driver_unregister()`.
///
/// # Invariants
///
/// `ptr` points to a `struct resctrl_driver` that stays valid and unchanged,
/// and whose code stays loaded, while this handle exists (the C contract
/// of registration, and `resctrl_driver_unregister()` waits for the handle).
/// Its strings are NUL-terminated; `events` and `files` hold `nr_events` and
/// `nr_files` (at most [`MAX_ITEMS`]) valid entries; each event has at most
/// [`MAX_FRAC_BITS`] fraction bits, each file exactly one place and a mode
/// of `0o444` or `0o644`; `num_rmids` is at most [`MAX_RMIDS`], and 0
/// without events.
pub(crate) struct DriverDesc {
    ptr: NonNull<bindings::resctrl_driver>,
    owner: Option<ModuleId>,
    source: Arc<EventSource>,
}

// SAFETY: a registered driver's description is immutable and its callbacks
// may run on any thread (the C contract).
unsafe impl Send for DriverDesc {}
// SAFETY: as for `Send`; every method takes `&self`.
unsafe impl Sync for DriverDesc {}

/// A driver's identity for unregistration: the address of its description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DriverId(usize);

/// # Safety
///
/// `p` is NULL or a NUL-terminated string valid for `'a`.
unsafe fn opt_str<'a>(p: *const kernel::ffi::c_char) -> Option<&'a CStr> {
    // SAFETY: the caller's promise.
    (!p.is_null()).then(|| unsafe { CStr::from_char_ptr(p) })
}

impl DriverDesc {
    /// Checks a description handed to `resctrl_driver_register()`.
    ///
    /// # Safety
    ///
    /// `ptr` is NULL or points to a `struct resctrl_driver` that, with what
    /// it points to, stays valid and unchanged until the returned handle is
    /// dropped.
    unsafe fn from_raw(
        ptr: *const bindings::resctrl_driver,
        owner: Option<ModuleId>,
    ) -> Result<Self> {
        let ptr = NonNull::new(ptr.cast_mut()).ok_or(EINVAL)?;
        // SAFETY: the caller's promise: valid to read.
        let d = unsafe { ptr.as_ref() };
        if d.name.is_null()
            || d.nr_events as usize > MAX_ITEMS
            || d.nr_files as usize > MAX_ITEMS
            || (d.nr_events > 0 && (d.events.is_null() || d.resource.is_null()))
            || (d.nr_files > 0 && d.files.is_null())
            || d.num_rmids > MAX_RMIDS
            || (d.num_rmids > 0 && d.nr_events == 0)
        {
            return Err(EINVAL);
        }
        for i in 0..d.nr_events as usize {
            // SAFETY: `events` holds `nr_events` entries (the C contract).
            let e = unsafe { &*d.events.add(i) };
            if e.name.is_null() || e.frac_bits > MAX_FRAC_BITS {
                return Err(EINVAL);
            }
        }
        for i in 0..d.nr_files as usize {
            // SAFETY: `files` holds `nr_files` entries (the C contract).
            let f = unsafe { &*d.files.add(i) };
            let one_place = matches!(
                f.flags,
                bindings::RESCTRL_FILE_CTRL_MON
                    | bindings::RESCTRL_FILE_MON
                    | bindings::RESCTRL_FILE_INFO
            );
            if f.name.is_null() || !one_place || !matches!(f.mode, 0o444 | 0o644) {
                return Err(EINVAL);
            }
        }
        match d.scope {
            bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L2
            | bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L3
            | bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_PACKAGE => {}
            _ => return Err(EINVAL),
        }
        // SAFETY: checked above, and valid to read (the caller's promise).
        let source = unsafe { EventSource::new(ptr) }?;
        // INVARIANT: checked above; lifetime and immutability are the
        // caller's promise.
        Ok(Self { ptr, owner, source })
    }

    /// The module it belongs to, `None` for built-in code.
    pub(crate) fn owner(&self) -> Option<ModuleId> {
        self.owner
    }

    /// Its events for readers that hold none of the core's locks; revoked
    /// when this handle goes.
    pub(crate) fn source(&self) -> &Arc<EventSource> {
        &self.source
    }

    fn raw(&self) -> &bindings::resctrl_driver {
        // SAFETY: valid while `self` exists (type invariant).
        unsafe { self.ptr.as_ref() }
    }

    /// Its identity.
    pub(crate) fn id(&self) -> DriverId {
        DriverId(self.ptr.as_ptr() as usize)
    }

    /// The driver's name.
    pub(crate) fn name(&self) -> &CStr {
        // SAFETY: non-NULL and NUL-terminated (type invariant).
        unsafe { CStr::from_char_ptr(self.raw().name) }
    }

    /// The name of its resource, if it has one.
    pub(crate) fn resource(&self) -> Option<&CStr> {
        // SAFETY: NULL or NUL-terminated (type invariant).
        unsafe { opt_str(self.raw().resource) }
    }

    /// The directory of `info/` with its files: its resource's name, else
    /// its own.
    pub(crate) fn info_name(&self) -> &CStr {
        self.resource().unwrap_or(self.name())
    }

    /// The core resource it conflicts with, by name (NULL or empty: none).
    pub(crate) fn conflicts(&self) -> Option<&CStr> {
        // SAFETY: NULL or NUL-terminated (type invariant).
        unsafe { opt_str(self.raw().conflicts) }.filter(|s| !s.is_empty())
    }

    /// Its resource's domain scope.
    pub(crate) fn scope(&self) -> Scope {
        match self.raw().scope {
            bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L2 => Scope::Cache(2),
            bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L3 => Scope::Cache(3),
            _ => Scope::Package,
        }
    }

    /// How many events it declares.
    pub(crate) fn nr_events(&self) -> usize {
        self.raw().nr_events as usize
    }

    /// Event `i`, below [`DriverDesc::nr_events`].
    pub(crate) fn event(&self, i: usize) -> EventDecl<'_> {
        assert!(i < self.nr_events());
        // SAFETY: `events` holds `nr_events` entries with names (invariant).
        let e = unsafe { &*self.raw().events.add(i) };
        EventDecl {
            // SAFETY: as above.
            name: unsafe { CStr::from_char_ptr(e.name) },
            frac_bits: e.frac_bits,
        }
    }

    /// How many RMIDs its resource counts, if it says (else as many as the
    /// core has).
    pub(crate) fn num_rmids(&self) -> Option<u32> {
        Some(self.raw().num_rmids).filter(|&n| n > 0)
    }

    /// How many files it declares.
    pub(crate) fn nr_files(&self) -> usize {
        self.raw().nr_files as usize
    }

    /// File `i`, below [`DriverDesc::nr_files`].
    pub(crate) fn file(&self, i: usize) -> FileDecl<'_> {
        assert!(i < self.nr_files());
        // SAFETY: `files` holds `nr_files` checked entries (invariant).
        let f = unsafe { &*self.raw().files.add(i) };
        FileDecl {
            // SAFETY: as above.
            name: unsafe { CStr::from_char_ptr(f.name) },
            mode: f.mode,
            place: match f.flags {
                bindings::RESCTRL_FILE_CTRL_MON => FilePlace::CtrlMon,
                bindings::RESCTRL_FILE_MON => FilePlace::Mon,
                _ => FilePlace::Info,
            },
        }
    }

    /// `group_created`: a group was made (or exists as the driver arrives).
    pub(crate) fn group_created(&self, g: GroupInfo) -> Result {
        let Some(f) = self.raw().group_created else {
            return Ok(());
        };
        let c = g.to_c();
        // SAFETY: a callback of a registered driver (type invariant), with
        // its own description and a live argument; may sleep, as here.
        kernel::error::to_result(unsafe { f(self.ptr.as_ptr(), &c) })
    }

    /// `group_removed`: a group is going (or the driver is).
    pub(crate) fn group_removed(&self, g: GroupInfo) {
        if let Some(f) = self.raw().group_removed {
            let c = g.to_c();
            // SAFETY: as in `group_created`.
            unsafe { f(self.ptr.as_ptr(), &c) };
        }
    }

    /// `domain_online` (`online`) or `domain_offline`, for domain `id` with
    /// the CPUs `cpus`.
    pub(crate) fn domain_event(&self, online: bool, id: u32, cpus: &CpuSet) {
        let raw = self.raw();
        let Some(f) = (if online {
            raw.domain_online
        } else {
            raw.domain_offline
        }) else {
            return;
        };
        // The mask's bits, not a whole `struct cpumask`, which is 1 KiB with
        // `NR_CPUS` 8192: too much for the stack. C reads a mask up to
        // `nr_cpu_ids` bits (with `CPUMASK_OFFSTACK`) or `NR_CPUS` (without
        // it, where x86 allows at most 512), and the probe refuses a machine
        // with more than `MAX_CPUS` (512) possible CPUs: these words cover
        // every bit C may read.
        let mut mask = [0 as core::ffi::c_ulong; MASK_WORDS];
        for c in cpus.iter() {
            let (w, b) = (c as usize / BITS_PER_WORD, c as usize % BITS_PER_WORD);
            if let Some(word) = mask.get_mut(w) {
                *word |= 1 << b;
            }
        }
        let info = bindings::resctrl_domain_info {
            id,
            cpus: mask.as_ptr().cast::<bindings::cpumask>(),
        };
        // SAFETY: as in `group_created`; `info` and `mask` outlive the call,
        // and `mask` holds every bit of a `struct cpumask` that C reads
        // (above).
        unsafe { f(self.ptr.as_ptr(), &info) };
    }

    /// `show`: the content of file `file` of `grp` (`None` for `info/`)
    /// into `buf`; returns its length.
    pub(crate) fn show(
        &self,
        file: usize,
        grp: Option<GroupInfo>,
        buf: &mut [u8],
    ) -> Result<usize> {
        let f = self.raw().show.ok_or(EINVAL)?;
        let c = grp.map(GroupInfo::to_c);
        let cp = c.as_ref().map_or(core::ptr::null(), |c| c as *const _);
        // SAFETY: as in `group_created`; `buf` is writable for its length.
        let n = unsafe {
            f(
                self.ptr.as_ptr(),
                file as u32,
                cp,
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        if n < 0 {
            return Err(Error::from_errno(n as i32));
        }
        Ok((n as usize).min(buf.len()))
    }

    /// `write`: `buf` (NUL-terminated just behind the slice) written to
    /// file `file` of `grp`; the driver's message goes to `status`, which
    /// comes back NUL-terminated.
    pub(crate) fn write(
        &self,
        file: usize,
        grp: Option<GroupInfo>,
        buf: &[u8],
        status: &mut [u8; bindings::RESCTRL_DRIVER_STATUS_LEN as usize],
    ) -> Result {
        let f = self.raw().write.ok_or(EINVAL)?;
        let c = grp.map(GroupInfo::to_c);
        let cp = c.as_ref().map_or(core::ptr::null(), |c| c as *const _);
        status.fill(0);
        // SAFETY: as in `group_created`; `buf` is NUL-terminated behind its
        // length (kernfs' write buffer) and `status` has the room the header
        // promises.
        let r = unsafe {
            f(
                self.ptr.as_ptr(),
                file as u32,
                cp,
                buf.as_ptr().cast(),
                buf.len(),
                status.as_mut_ptr().cast(),
            )
        };
        if let Some(last) = status.last_mut() {
            *last = 0;
        }
        kernel::error::to_result(r)
    }
}

impl Drop for DriverDesc {
    fn drop(&mut self) {
        // The handle goes back to the driver: its events go with it.
        self.source.revoke();
    }
}

/// Per CPU, no domain.
const NO_DOMAIN: u32 = u32::MAX;

/// What [`EventSource`]'s lock guards.
struct SourceState {
    /// The driver, until revoked.
    drv: Option<NonNull<bindings::resctrl_driver>>,
    /// Per CPU, the id of the online domain of the driver's resource it is
    /// in, or [`NO_DOMAIN`].
    cpu_dom: KVec<u32>,
}

/// A registered driver's `read_event` for readers that take none of the
/// core's locks: perf's callbacks, which run with interrupts off. It lives
/// as long as its last holder (a perf event, a `mon_data` directory), but
/// reaches the driver only until the driver's handle, [`DriverDesc`], is
/// given back: that revokes it, after which reads fail with `ENODEV` and
/// none is still running. It also knows which domain each CPU is in, as
/// the core tells it, so that the driver is never asked to read a domain
/// it was told is offline.
///
/// The lock is a raw spinlock: readers run under perf's raw `ctx->lock`.
#[pin_data]
pub(crate) struct EventSource {
    #[pin]
    state: RawSpinLockIrq<SourceState>,
    /// Bit `i`: event `i` is a level (else a count that only grows).
    levels: u32,
}

// SAFETY: the driver pointer is only used under the lock, while the driver
// is registered (see `DriverDesc`'s invariants), and a registered driver's
// callbacks may run on any CPU (the C contract).
unsafe impl Send for EventSource {}
// SAFETY: as for `Send`; all access goes through the lock.
unsafe impl Sync for EventSource {}

impl EventSource {
    /// # Safety
    ///
    /// `ptr` is a checked description (see [`DriverDesc::from_raw`]).
    unsafe fn new(ptr: NonNull<bindings::resctrl_driver>) -> Result<Arc<Self>> {
        // SAFETY: the caller's promise: `events` holds `nr_events` entries.
        let d = unsafe { ptr.as_ref() };
        let mut levels = 0u32;
        for i in 0..d.nr_events as usize {
            // SAFETY: as above.
            if unsafe { (*d.events.add(i)).level } {
                levels |= 1 << i;
            }
        }
        let cpu_dom = KVec::from_elem(NO_DOMAIN, super::cpu::nr_cpu_ids() as usize, GFP_KERNEL)?;
        let state = SourceState {
            drv: Some(ptr),
            cpu_dom,
        };
        Arc::pin_init(
            pin_init!(Self {
                state <- new_raw_spinlock_irq!(state, "resctrl_driver_source"),
                levels,
            }),
            GFP_KERNEL,
        )
    }

    /// Whether event `idx` is a level, such as an occupancy (else a count
    /// that only grows).
    pub(crate) fn is_level(&self, idx: usize) -> bool {
        idx < 32 && self.levels & (1 << idx) != 0
    }

    /// CPU `cpu` is in the online domain `dom` of the driver's resource,
    /// or (`None`) in none.
    pub(crate) fn set_cpu_domain(&self, cpu: u32, dom: Option<u32>) {
        if let Some(d) = self.state.lock().cpu_dom.get_mut(cpu as usize) {
            *d = dom.unwrap_or(NO_DOMAIN);
        }
    }

    /// The domain CPU `cpu` is in, if any.
    pub(crate) fn cpu_domain(&self, cpu: u32) -> Option<u32> {
        let d = *self.state.lock().cpu_dom.get(cpu as usize)?;
        (d != NO_DOMAIN).then_some(d)
    }

    /// A reader of domain `dom` for `cpu`, the caller's CPU, if the driver
    /// is still registered and `cpu` is in that domain; else `ENODEV`. It
    /// holds a raw spinlock, with interrupts off: call on `cpu` (a perf
    /// callback, or a function run there by IPI), read, and drop it.
    pub(crate) fn reader(&self, cpu: u32, dom: u32) -> Result<EventReader<'_>> {
        let st = self.state.lock();
        let drv = st.drv.ok_or(ENODEV)?;
        if st.cpu_dom.get(cpu as usize) != Some(&dom) {
            return Err(ENODEV);
        }
        // SAFETY: `drv` is not revoked, so the driver is registered and its
        // description valid (`DriverDesc` revokes before it goes).
        let read = unsafe { drv.as_ref() }.read_event.ok_or(EINVAL)?;
        // INVARIANT: `st` is held for the reader's life.
        Ok(EventReader {
            _st: st,
            drv,
            read,
            dom,
        })
    }

    /// Waits for the reader that holds the lock, if any: one that takes it
    /// later sees what was stored before this, such as a group marked
    /// deleted.
    pub(crate) fn quiesce(&self) {
        drop(self.state.lock());
    }

    /// Stops all reads: once this returns none runs and none will. The
    /// core revokes before it tells a going driver that its domains are
    /// offline, so no read follows `domain_offline`; dropping the
    /// [`DriverDesc`] revokes too.
    pub(crate) fn revoke(&self) {
        self.state.lock().drv = None;
    }
}

/// Reads a driver's events in one domain while it is registered; see
/// [`EventSource::reader`].
///
/// # Invariants
///
/// The source's lock is held and `drv` was not revoked when it was taken,
/// so the driver stays registered while this exists.
pub(crate) struct EventReader<'a> {
    _st: Guard<'a, SourceState, RawSpinLockIrqBackend>,
    drv: NonNull<bindings::resctrl_driver>,
    read: ReadEventFn,
    dom: u32,
}

/// The type of `struct resctrl_driver`'s `read_event`.
type ReadEventFn = unsafe extern "C" fn(
    *const bindings::resctrl_driver,
    core::ffi::c_uint,
    u32,
    u32,
    *mut u64,
) -> c_int;

impl EventReader<'_> {
    /// Event `event`'s value for `rmid` in the reader's domain.
    pub(crate) fn read(&self, event: usize, rmid: u32) -> Result<u64> {
        let mut val = 0u64;
        // SAFETY: the driver is registered (type invariant); `read_event`
        // may not sleep (the C contract) and runs with interrupts off, on a
        // CPU of the domain; `val` outlives the call.
        let r = unsafe { (self.read)(self.drv.as_ptr(), event as u32, self.dom, rmid, &mut val) };
        kernel::error::to_result(r).map(|()| val)
    }
}

/// What the core does with registrations.
pub(crate) struct Backend {
    /// Registers a checked driver.
    pub(crate) register: fn(DriverDesc) -> Result,
    /// Unregisters the driver `id`, giving back its handle, or `None` if it
    /// is not registered. When it returns, nothing of the core may call the
    /// driver any more.
    pub(crate) unregister: fn(DriverId) -> Option<DriverDesc>,
    /// Module `m` went, its exit done: unregisters, without calling them
    /// back, the drivers it left registered, dropping their handles.
    pub(crate) module_going: fn(ModuleId),
}

static BACKEND: Global<Backend> = Global::new();

/// Drops what a module that goes left registered.
fn module_going(m: ModuleId) {
    if let Some(b) = BACKEND.get() {
        (b.module_going)(m);
    }
}

static MODULE_GOING: fn(ModuleId) = module_going;

/// Plugs in the core; before this, registration fails with `ENODEV`.
pub(crate) fn set_backend(b: &'static Backend) -> Result {
    BACKEND.set(b)?;
    on_module_going(&MODULE_GOING)
}

/// `resctrl_driver_register()`, for the module `owner` (`THIS_MODULE`).
///
/// # Safety
///
/// `drv` is NULL or a `struct resctrl_driver` that, with all it points to,
/// stays valid and unchanged until `resctrl_driver_unregister(drv)`
/// returns, or until `owner`, if not NULL, goes (the contract of
/// `include/linux/resctrl_driver.h`; the module notifier unregisters what
/// a going module left).
#[no_mangle]
pub(crate) unsafe extern "C" fn __resctrl_driver_register(
    drv: *const bindings::resctrl_driver,
    owner: *mut bindings::module,
) -> c_int {
    let Some(b) = BACKEND.get() else {
        return ENODEV.to_errno();
    };
    // SAFETY: the caller's promise, which lasts until unregistration or
    // until the module goes, and the backend gives the handle back before
    // either returns.
    match unsafe { DriverDesc::from_raw(drv, ModuleId::from_ptr(owner)) }.and_then(b.register) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// `resctrl_driver_unregister()`: returns once the core gave back the
/// driver's handle, so nothing calls the driver any more.
#[no_mangle]
pub(crate) extern "C" fn resctrl_driver_unregister(drv: *const bindings::resctrl_driver) {
    if let Some(b) = BACKEND.get() {
        // Once the backend gave the handle back, nothing holds the driver.
        let _given_back = (b.unregister)(DriverId(drv as usize));
    }
}
