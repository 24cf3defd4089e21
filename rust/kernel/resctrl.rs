// SPDX-License-Identifier: GPL-2.0

//! resctrl drivers: code outside the resctrl core that adds a resource with
//! its own domain scope, monitoring events on it, and files to every group
//! and to `info/`.
//!
//! A driver implements [`Driver`] and registers with [`Registration::new`].
//! The registration lasts as long as the returned object: dropping it
//! unregisters the driver, and that returns only once no callback of the
//! driver runs or can run again. A module that keeps its registration in
//! its module object therefore cannot forget to unregister, nor be unloaded
//! while called; and should a registration outlive its module (leaked),
//! the core unregisters it as the module goes, without calling it back.
//!
//! The core calls the driver back and passes it what it may see: a group's
//! type, CLOSID and RMID ([`GroupInfo`]) and a domain's id. Every callback
//! but [`Driver::read_event`] runs in process context with resctrl's mutex
//! held: it may sleep but must not register or unregister a driver.
//! [`Driver::read_event`] runs on a CPU of the domain with interrupts off.
//!
//! C header: [`include/linux/resctrl_driver.h`](srctree/include/linux/resctrl_driver.h)
//!
//! # Examples
//!
//! ```ignore
//! struct Counter;
//!
//! impl resctrl::Driver for Counter {
//!     const NAME: &'static CStr = c_str!("counter");
//!     const RESOURCE: Option<&'static CStr> = Some(c_str!("CNT"));
//!     const SCOPE: resctrl::Scope = resctrl::Scope::Package;
//!     const EVENTS: &'static [resctrl::Event] = &[resctrl::Event::count(c_str!("ticks"))];
//!
//!     fn read_event(&self, _event: usize, _dom: u32, rmid: u32) -> Result<u64> {
//!         Ok(rmid as u64)
//!     }
//! }
//!
//! let reg = resctrl::Registration::new(Counter, module)?;
//! ```

use crate::{
    alloc::{flags::GFP_KERNEL, KBox, KVec},
    bindings,
    error::{from_result, to_result, Result},
    ffi::{c_char, c_int, c_uint, c_void},
    prelude::*,
    str::CStr,
};
use core::{fmt, marker::PhantomPinned, pin::Pin};

/// What a driver resource's domains follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// CPUs sharing an L2 cache.
    L2,
    /// CPUs sharing an L3 cache.
    L3,
    /// CPUs of one physical package.
    Package,
}

/// The type of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupType {
    /// A CTRL_MON group, or the default group.
    CtrlMon,
    /// A MON group.
    Mon,
}

/// What a driver sees of a group.
#[derive(Clone, Copy, Debug)]
pub struct GroupInfo {
    /// Its type.
    pub ty: GroupType,
    /// The CLOSID its tasks run with.
    pub closid: u32,
    /// Its RMID.
    pub rmid: u32,
}

impl GroupInfo {
    /// # Safety
    ///
    /// `p` is NULL or points to a valid `struct resctrl_group_info`.
    unsafe fn from_raw(p: *const bindings::resctrl_group_info) -> Option<Self> {
        // SAFETY: the caller's promise.
        let g = unsafe { p.as_ref() }?;
        Some(Self {
            ty: if g.type_ == bindings::resctrl_group_type_RESCTRL_GROUP_MON {
                GroupType::Mon
            } else {
                GroupType::CtrlMon
            },
            closid: g.closid,
            rmid: g.rmid,
        })
    }
}

/// A monitoring event: `mon_data/mon_<RES>_<id>/<name>` in every group, and
/// a line of `info/<RES>_MON/mon_features`.
pub struct Event {
    name: &'static CStr,
    level: bool,
    frac_bits: u32,
}

impl Event {
    /// The most bits [`Event::fixed_point`] takes.
    pub const MAX_FRAC_BITS: u32 = bindings::RESCTRL_DRIVER_MAX_FRAC_BITS;

    /// An event whose value is a level, such as an occupancy.
    pub const fn level(name: &'static CStr) -> Self {
        Self {
            name,
            level: true,
            frac_bits: 0,
        }
    }

    /// An event whose value is a count that only grows.
    pub const fn count(name: &'static CStr) -> Self {
        Self {
            name,
            level: false,
            frac_bits: 0,
        }
    }

    /// The event, its value in binary fixed point with `bits` (at most
    /// [`Event::MAX_FRAC_BITS`]) bits below the point: its file shows it
    /// in decimal, as upstream shows `core_energy`; perf counts it in units
    /// of `2^-bits`.
    pub const fn fixed_point(self, bits: u32) -> Self {
        Self {
            frac_bits: bits,
            ..self
        }
    }
}

/// Where a driver's file goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// Every CTRL_MON group, the default group too.
    CtrlMon,
    /// Every MON group.
    Mon,
    /// `info/<resource or driver name>/`.
    Info,
}

/// A file a driver adds.
pub struct File {
    name: &'static CStr,
    writable: bool,
    place: Place,
}

impl File {
    /// A file that can only be read (mode 0444).
    pub const fn read_only(name: &'static CStr, place: Place) -> Self {
        Self {
            name,
            writable: false,
            place,
        }
    }

    /// A file that can be read and written (mode 0644).
    pub const fn read_write(name: &'static CStr, place: Place) -> Self {
        Self {
            name,
            writable: true,
            place,
        }
    }
}

/// A bounded text buffer a callback writes into with [`core::fmt::Write`];
/// what does not fit is cut off.
pub struct TextBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> TextBuf<'a> {
    fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, len: 0 }
    }
}

impl fmt::Write for TextBuf<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// A resctrl driver.
///
/// File and event callbacks get the index of the file or event in
/// [`Driver::FILES`] or [`Driver::events`].
pub trait Driver: Send + Sync + Sized + 'static {
    /// The driver's name, unique among drivers.
    const NAME: &'static CStr;
    /// The name of its resource (`mon_<RES>_<id>`, `info/<RES>/`,
    /// `info/<RES>_MON/`), if any.
    const RESOURCE: Option<&'static CStr> = None;
    /// The scope of its resource's domains.
    const SCOPE: Scope = Scope::Package;
    /// A core resource (`L3` or `MB`) whose hardware it programs too.
    const CONFLICTS: Option<&'static CStr> = None;
    /// Its monitoring events (at most 16), on its resource.
    const EVENTS: &'static [Event] = &[];
    /// Its files (at most 16).
    const FILES: &'static [File] = &[];

    /// The events it registers with: [`Driver::EVENTS`] unless it finds
    /// out at load which it has.
    fn events(&self) -> &[Event] {
        Self::EVENTS
    }

    /// How many RMIDs its resource's events count, 1 to 1024, or 0 for as
    /// many as the core's; asked once, at registration. With fewer than
    /// the core's, groups are limited to as many while it is registered
    /// (and registration fails with `EBUSY` while a group has one beyond).
    fn num_rmids(&self) -> u32 {
        0
    }

    /// A group was made (or exists as the driver registers). An error fails
    /// the `mkdir` (or the registration).
    fn group_created(&self, _group: &GroupInfo) -> Result {
        Ok(())
    }

    /// A group is going (or the driver is).
    fn group_removed(&self, _group: &GroupInfo) {}

    /// Domain `id` of the resource came online (or exists as the driver
    /// registers).
    fn domain_online(&self, _id: u32) {}

    /// Domain `id` went offline (or the driver is going).
    fn domain_offline(&self, _id: u32) {}

    /// The value of `event` for `rmid` in domain `dom`. Runs on a CPU of the
    /// domain with interrupts off, under a raw spinlock (perf calls it from
    /// its callbacks): must not sleep nor take a `SpinLock` or `Mutex`;
    /// atomics are fine.
    fn read_event(&self, _event: usize, _dom: u32, _rmid: u32) -> Result<u64> {
        Err(EINVAL)
    }

    /// The content of `file` of `group` (`None` for `info/`).
    fn show(&self, _file: usize, _group: Option<&GroupInfo>, _out: &mut TextBuf<'_>) -> Result {
        Err(EINVAL)
    }

    /// A write of `data` to `file` of `group` (`None` for `info/`); a
    /// message for `info/last_cmd_status` goes to `status`.
    fn write(
        &self,
        _file: usize,
        _group: Option<&GroupInfo>,
        _data: &[u8],
        _status: &mut TextBuf<'_>,
    ) -> Result {
        Err(EINVAL)
    }
}

/// A registered driver; dropping it unregisters the driver.
///
/// # Invariants
///
/// `raw` is registered with the resctrl core while `registered` is true,
/// which it is from the end of a successful `new` until `drop`; its `priv`
/// points to this object, its arrays to `events` and `files`.
pub struct Registration<T: Driver> {
    raw: bindings::resctrl_driver,
    registered: bool,
    events: KVec<bindings::resctrl_driver_event>,
    files: KVec<bindings::resctrl_driver_file>,
    data: T,
    _pin: PhantomPinned,
}

// SAFETY: the raw description is only read by the core while registered,
// and `T` is `Send`.
unsafe impl<T: Driver> Send for Registration<T> {}
// SAFETY: `&Registration` only gives `&T`, and `T` is `Sync`.
unsafe impl<T: Driver> Sync for Registration<T> {}

fn opt_ptr(s: Option<&'static CStr>) -> *const c_char {
    s.map_or(core::ptr::null(), |s| s.as_char_ptr())
}

impl<T: Driver> Registration<T> {
    /// Registers `data` as a resctrl driver of `module`. See
    /// `resctrl_driver_register()` for the errors.
    pub fn new(data: T, module: &'static ThisModule) -> Result<Pin<KBox<Self>>> {
        let mut events = KVec::with_capacity(data.events().len(), GFP_KERNEL)?;
        for e in data.events() {
            events.push(
                bindings::resctrl_driver_event {
                    name: e.name.as_char_ptr(),
                    level: e.level,
                    frac_bits: e.frac_bits,
                },
                GFP_KERNEL,
            )?;
        }
        let mut files = KVec::with_capacity(T::FILES.len(), GFP_KERNEL)?;
        for f in T::FILES {
            files.push(
                bindings::resctrl_driver_file {
                    name: f.name.as_char_ptr(),
                    mode: if f.writable { 0o644 } else { 0o444 },
                    flags: match f.place {
                        Place::CtrlMon => bindings::RESCTRL_FILE_CTRL_MON,
                        Place::Mon => bindings::RESCTRL_FILE_MON,
                        Place::Info => bindings::RESCTRL_FILE_INFO,
                    },
                },
                GFP_KERNEL,
            )?;
        }
        let raw = bindings::resctrl_driver {
            name: T::NAME.as_char_ptr(),
            resource: opt_ptr(T::RESOURCE),
            scope: match T::SCOPE {
                Scope::L2 => bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L2,
                Scope::L3 => bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_L3,
                Scope::Package => bindings::resctrl_driver_scope_RESCTRL_DRIVER_SCOPE_PACKAGE,
            },
            conflicts: opt_ptr(T::CONFLICTS),
            events: events.as_ptr(),
            nr_events: events.len() as c_uint,
            files: files.as_ptr(),
            nr_files: files.len() as c_uint,
            num_rmids: data.num_rmids(),
            group_created: Some(group_created::<T>),
            group_removed: Some(group_removed::<T>),
            domain_online: Some(domain_online::<T>),
            domain_offline: Some(domain_offline::<T>),
            read_event: Some(read_event::<T>),
            show: Some(show::<T>),
            write: Some(write::<T>),
            priv_: core::ptr::null_mut(),
        };
        let mut this = KBox::new(
            Self {
                raw,
                registered: false,
                events,
                files,
                data,
                _pin: PhantomPinned,
            },
            GFP_KERNEL,
        )?;
        // The vectors' buffers did not move with the box.
        this.raw.events = this.events.as_ptr();
        this.raw.files = this.files.as_ptr();
        this.raw.priv_ = core::ptr::from_ref::<Self>(&*this)
            .cast_mut()
            .cast::<c_void>();
        // SAFETY: the box keeps `raw`, what it points to and `priv` at fixed
        // addresses until `drop`, which unregisters first (the pin below
        // keeps the object from moving out).
        to_result(unsafe { bindings::__resctrl_driver_register(&this.raw, module.as_ptr()) })?;
        this.registered = true;
        Ok(Pin::from(this))
    }

    /// The driver's data.
    pub fn data(&self) -> &T {
        &self.data
    }
}

impl<T: Driver> Drop for Registration<T> {
    fn drop(&mut self) {
        // A registration that failed in `new` is dropped there, with nothing
        // to unregister.
        if !self.registered {
            return;
        }
        // SAFETY: `raw` is registered (type invariant, `registered`); when
        // this returns no callback runs or will run, so `self` may go.
        unsafe { bindings::resctrl_driver_unregister(&self.raw) };
    }
}

/// # Safety
///
/// `drv` is the `raw` of a live `Registration<T>`.
unsafe fn data<'a, T: Driver>(drv: *const bindings::resctrl_driver) -> &'a T {
    // SAFETY: `priv` points to the registration (type invariant), live
    // while the core calls its callbacks.
    unsafe { &(*(*drv).priv_.cast::<Registration<T>>()).data }
}

/// The C callback `group_created`: group `grp` was made.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn group_created<T: Driver>(
    drv: *const bindings::resctrl_driver,
    grp: *const bindings::resctrl_group_info,
) -> c_int {
    from_result(|| {
        // SAFETY: the core passes a registered driver and a valid group.
        let (d, g) = unsafe { (data::<T>(drv), GroupInfo::from_raw(grp)) };
        d.group_created(&g.ok_or(EINVAL)?)?;
        Ok(0)
    })
}

/// The C callback `group_removed`: group `grp` is going.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn group_removed<T: Driver>(
    drv: *const bindings::resctrl_driver,
    grp: *const bindings::resctrl_group_info,
) {
    // SAFETY: as in `group_created`.
    let (d, g) = unsafe { (data::<T>(drv), GroupInfo::from_raw(grp)) };
    if let Some(g) = g {
        d.group_removed(&g);
    }
}

/// The C callback `domain_online`: domain `dom` came online.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn domain_online<T: Driver>(
    drv: *const bindings::resctrl_driver,
    dom: *const bindings::resctrl_domain_info,
) {
    // SAFETY: the core passes a registered driver and a valid domain.
    unsafe { data::<T>(drv).domain_online((*dom).id) };
}

/// The C callback `domain_offline`: domain `dom` went offline.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn domain_offline<T: Driver>(
    drv: *const bindings::resctrl_driver,
    dom: *const bindings::resctrl_domain_info,
) {
    // SAFETY: as in `domain_online`.
    unsafe { data::<T>(drv).domain_offline((*dom).id) };
}

/// The C callback `read_event`: the value of `event` for `rmid` in domain `dom`, into `val`.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn read_event<T: Driver>(
    drv: *const bindings::resctrl_driver,
    event: c_uint,
    dom: u32,
    rmid: u32,
    val: *mut u64,
) -> c_int {
    from_result(|| {
        // SAFETY: the core passes a registered driver.
        let v = unsafe { data::<T>(drv) }.read_event(event as usize, dom, rmid)?;
        // SAFETY: `val` is writable (the C contract).
        unsafe { *val = v };
        Ok(0)
    })
}

/// The C callback `show`: the content of `file` of `grp` (NULL for `info/`), into `buf`.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn show<T: Driver>(
    drv: *const bindings::resctrl_driver,
    file: c_uint,
    grp: *const bindings::resctrl_group_info,
    buf: *mut c_char,
    size: usize,
) -> isize {
    // SAFETY: the core passes a registered driver, NULL or a valid group,
    // and `size` writable bytes at `buf`.
    let (d, g, b) = unsafe {
        (
            data::<T>(drv),
            GroupInfo::from_raw(grp),
            core::slice::from_raw_parts_mut(buf.cast::<u8>(), size),
        )
    };
    let mut out = TextBuf::new(b);
    match d.show(file as usize, g.as_ref(), &mut out) {
        Ok(()) => out.len as isize,
        Err(e) => e.to_errno() as isize,
    }
}

/// The C callback `write`: `len` bytes at `buf` written to `file` of `grp`; a message into `status`.
///
/// # Safety
///
/// The core calls it as `include/linux/resctrl_driver.h` says: `drv` is the
/// `raw` of a live [`Registration<T>`], and the other pointers are valid
/// for the call, as the header describes them.
unsafe extern "C" fn write<T: Driver>(
    drv: *const bindings::resctrl_driver,
    file: c_uint,
    grp: *const bindings::resctrl_group_info,
    buf: *const c_char,
    len: usize,
    status: *mut c_char,
) -> c_int {
    // SAFETY: the core passes a registered driver, NULL or a valid group,
    // `len` readable bytes at `buf` and a status buffer of
    // `RESCTRL_DRIVER_STATUS_LEN` bytes.
    let (d, g, data, st) = unsafe {
        (
            data::<T>(drv),
            GroupInfo::from_raw(grp),
            core::slice::from_raw_parts(buf.cast::<u8>(), len),
            core::slice::from_raw_parts_mut(
                status.cast::<u8>(),
                bindings::RESCTRL_DRIVER_STATUS_LEN as usize - 1,
            ),
        )
    };
    let mut out = TextBuf::new(st);
    let r = d.write(file as usize, g.as_ref(), data, &mut out);
    let end = out.len;
    // The core reads the status up to a NUL; the slice left room for it.
    // SAFETY: `end` is below the buffer's size.
    unsafe { *status.add(end) = 0 };
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The emulated RDT part of resctrl-rs (`resctrl_rs.emulate=`, for machines
/// without RDT), as a device model a driver's emulated device builds on.
///
/// C header: [`include/linux/resctrl_rs_emul.h`](srctree/include/linux/resctrl_rs_emul.h)
pub mod emul {
    use crate::{
        bindings,
        error::{to_result, Result},
    };

    /// The nanoseconds the CPUs of package `pkg` ran tasks with RMID `rmid`
    /// while resctrl's context-switch hook ran (from a mount until a second
    /// after the unmount); it never goes back. `ENODEV` without
    /// emulation or on the emulated AMD part (no telemetry), `EINVAL` for a
    /// package the part did not have at boot or an RMID it does not have.
    /// Takes no lock: callable in [`super::Driver::read_event`].
    pub fn rmid_time(pkg: u32, rmid: u32) -> Result<u64> {
        let mut ns = 0u64;
        // SAFETY: `ns` is valid for a write for the call.
        to_result(unsafe { bindings::resctrl_rs_emul_rmid_time(pkg, rmid, &mut ns) })?;
        Ok(ns)
    }

    /// Whether the emulated part has package `pkg`, charging nothing: the
    /// errors of [`rmid_time`] for RMID 0.
    pub fn has_package(pkg: u32) -> Result {
        // SAFETY: `ns` may be NULL (the C contract): then it asks only
        // whether the package is there, and writes nothing.
        to_result(unsafe { bindings::resctrl_rs_emul_rmid_time(pkg, 0, core::ptr::null_mut()) })
    }
}
