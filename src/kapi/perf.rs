// SPDX-License-Identifier: GPL-2.0

//! perf PMUs for counting events bound to a CPU: `struct pmu`,
//! `perf_pmu_register()`, and the sysfs attributes the `perf` tool reads
//! (`format/`, `events/`, `cpumask`).
//!
//! A PMU implements [`PmuOps`]. Its `event_init` runs in process context and
//! builds the event's [`PmuOps::Data`], which the event owns until perf
//! destroys it. `start`, `read` and the stop-with-update run on the event's
//! CPU with interrupts off (perf holds its raw `ctx->lock`, or calls from an
//! IPI): they must not sleep, allocate or take anything but raw spinlocks.
//! Perf never runs two callbacks of one event at once, so they get the
//! event's data as `Pin<&mut Data>` and need no lock of their own for it.
//! This layer makes that hold also against code that ignores the interrupt
//! mask: a read from NMI context, and a BPF program that runs inside a
//! callback (on a kprobe, fentry or tracepoint there) and reads an event
//! with `bpf_perf_event_read_value()`, which calls `read` through
//! `perf_event_read_local()`. A per-CPU busy mark, set by every callback
//! and by every section holding one of resctrl-rs' raw spinlocks
//! ([`super::sync`]), refuses such a re-entered callback: the count stays
//! at its last value, and no callback waits for a lock, or a sequence
//! counter's writer, on its own CPU.
//! This layer keeps the `PERF_HES_*` state: `read` is never called on a
//! stopped event, so a PMU counts only while its event is enabled.
//!
//! C header: [`include/linux/perf_event.h`](srctree/include/linux/perf_event.h)

use core::{fmt, marker::PhantomData, pin::Pin, ptr};
use kernel::{
    bindings,
    error::{from_result, to_result},
    ffi::{c_char, c_int},
    init::PinInit,
    prelude::*,
    str::CStr,
    types::Opaque,
};

/// `EOPNOTSUPP`, which 6.12's `kernel::error::code` lacks: what perf
/// expects from a PMU that cannot sample.
pub(crate) fn eopnotsupp() -> Error {
    Error::from_errno(-(bindings::EOPNOTSUPP as i32))
}

/// What a PMU does with its events.
pub(crate) trait PmuOps: Sized + 'static {
    /// What an event holds from `event_init` until it is destroyed.
    type Data: Send + Sync;

    /// Checks a new event of this PMU and builds what it holds. Process
    /// context; may sleep.
    fn event_init(ev: &EventInit<'_>) -> Result<impl PinInit<Self::Data, Error>>;
    /// The event starts counting: take the baseline. Interrupts off; `data`
    /// is what `event_init` built, no other callback of the event runs.
    fn start(ev: &Event<'_>, data: Pin<&mut Self::Data>);
    /// Brings the event's count up to date. As `start`.
    fn read(ev: &Event<'_>, data: Pin<&mut Self::Data>);
    /// Writes the `cpumask` attribute: the CPUs `perf` opens events on.
    fn cpumask(w: &mut dyn fmt::Write) -> fmt::Result;
}

/// An event being initialised.
pub(crate) struct EventInit<'a> {
    ev: *mut bindings::perf_event,
    _p: PhantomData<&'a bindings::perf_event>,
}

impl EventInit<'_> {
    fn attr(&self) -> &bindings::perf_event_attr {
        // SAFETY: perf passes a live event to `event_init` and does not
        // change its attributes during the call.
        unsafe { &(*self.ev).attr }
    }

    /// `attr.config`.
    pub(crate) fn config(&self) -> u64 {
        self.attr().config
    }

    /// `attr.config1`.
    pub(crate) fn config1(&self) -> u64 {
        // SAFETY: every member of the union is a `u64`.
        unsafe { self.attr().__bindgen_anon_3.config1 }
    }

    /// The CPU the event is bound to; negative if none.
    pub(crate) fn cpu(&self) -> i32 {
        // SAFETY: as in `attr`.
        unsafe { (*self.ev).cpu }
    }

    /// Whether the event follows a task (`pid != -1`).
    pub(crate) fn is_task_bound(&self) -> bool {
        // SAFETY: as in `attr`.
        let state = unsafe { (*self.ev).attach_state };
        state & bindings::PERF_ATTACH_TASK != 0
    }

    /// Whether the event samples (`sample_period` or `sample_freq` set).
    pub(crate) fn is_sampling(&self) -> bool {
        // SAFETY: both members of the union are `u64`.
        unsafe { self.attr().__bindgen_anon_1.sample_period != 0 }
    }
}

/// An initialised event, in a callback that runs with interrupts off on the
/// event's CPU: its count. The callback gets the event's data beside it.
pub(crate) struct Event<'a> {
    ev: *mut bindings::perf_event,
    _p: PhantomData<&'a bindings::perf_event>,
}

impl Event<'_> {
    /// Adds `delta` to the event's count.
    pub(crate) fn add_count(&self, delta: u64) {
        // SAFETY: the event is live; perf serialises its PMU callbacks.
        unsafe { bindings::resctrl_rs_perf_count_add(self.ev, delta) };
    }

    /// Sets the event's count, for events that show a level, not a sum.
    pub(crate) fn set_count(&self, value: u64) {
        // SAFETY: as in `add_count`.
        unsafe { bindings::resctrl_rs_perf_count_set(self.ev, value) };
    }
}

/// A registered PMU; unregistered when dropped.
pub(crate) struct Registration<T: PmuOps> {
    pmu: KBox<Opaque<bindings::pmu>>,
    _p: PhantomData<T>,
}

// SAFETY: perf may use and unregister the PMU from any thread.
unsafe impl<T: PmuOps> Send for Registration<T> {}
// SAFETY: `&Registration` gives nothing but its type.
unsafe impl<T: PmuOps> Sync for Registration<T> {}

impl<T: PmuOps> Registration<T> {
    /// Registers the PMU `name` with a dynamic type and the sysfs `groups`.
    ///
    /// # Examples
    ///
    /// ```ignore
    /// let reg = Registration::<ResctrlPmu>::new(c_str!("resctrl"), &GROUPS)?;
    /// ```
    pub(crate) fn new<const N: usize>(
        name: &'static CStr,
        groups: &'static GroupList<N>,
    ) -> Result<Self> {
        // SAFETY: all-zeroes is a valid `struct pmu` to fill in.
        let mut p: bindings::pmu = unsafe { core::mem::zeroed() };
        p.attr_groups = groups.0.as_ptr().cast_mut();
        p.task_ctx_nr = bindings::perf_event_task_context_perf_invalid_context;
        p.capabilities =
            (bindings::PERF_PMU_CAP_NO_INTERRUPT | bindings::PERF_PMU_CAP_NO_EXCLUDE) as c_int;
        p.event_init = Some(Self::event_init);
        p.add = Some(Self::add);
        p.del = Some(Self::del);
        p.start = Some(Self::start);
        p.stop = Some(Self::stop);
        p.read = Some(Self::read);
        let pmu = KBox::new(Opaque::new(p), GFP_KERNEL)?;
        // SAFETY: the boxed `pmu` stays at its address until `drop`
        // unregisters it; `name` and `groups` are static.
        to_result(unsafe { bindings::perf_pmu_register(pmu.get(), name.as_char_ptr(), -1) })?;
        Ok(Self {
            pmu,
            _p: PhantomData,
        })
    }

    /// Runs `f` with the count of `ev` and its data, unless it would
    /// interrupt resctrl-rs' own interrupts-off code on this CPU, or runs in
    /// NMI context; returns whether it ran.
    ///
    /// # Safety
    ///
    /// `ev` is an event perf handed to a callback of this PMU (not
    /// `event_init` or `destroy`), after a successful `event_init`, with
    /// interrupts off.
    unsafe fn with_event(
        ev: *mut bindings::perf_event,
        f: impl FnOnce(&Event<'_>, Pin<&mut T::Data>),
    ) -> bool {
        // SAFETY: `in_nmi()` only reads this CPU's preempt count, which any
        // context may do.
        if unsafe { bindings::resctrl_rs_in_nmi() } {
            return false;
        }
        // SAFETY: interrupts are off (the caller's promise), so this CPU
        // stays the same until the matching exit below.
        if !unsafe { bindings::resctrl_rs_busy_try_enter() } {
            // Re-entered: a BPF program that runs inside a callback or a
            // busy section of ours on this CPU reads an event.
            return false;
        }
        // SAFETY: `event_init` stored a pinned `KBox<T::Data>`, which
        // `destroy` frees only after the last callback. The reference is
        // unique: perf calls `add`, `del`, `start`, `stop` and `read` of an
        // event only on the CPU it is active on, with interrupts off (under
        // `ctx->lock`, in an IPI to that CPU, or in
        // `perf_event_read_local()`), and an event is active on one CPU at a
        // time (`perf_pmu_migrate_context()` removes it on the old CPU, by
        // IPI, before installing it on the new one). So only code that
        // ignores the interrupt mask could run a callback of the same event
        // inside this one: an NMI, refused above, or a BPF program in this
        // callback, which finds this CPU's busy mark set (taken above) and
        // returns. Nothing else takes a reference to the data.
        let data = unsafe { Pin::new_unchecked(&mut *(*ev).pmu_private.cast::<T::Data>()) };
        f(
            &Event {
                ev,
                _p: PhantomData,
            },
            data,
        );
        // SAFETY: pairs with the successful enter above, on the same CPU.
        unsafe { bindings::resctrl_rs_busy_exit() };
        true
    }

    /// # Safety
    ///
    /// `ev` is live and in a callback of this PMU.
    unsafe fn state(ev: *mut bindings::perf_event) -> *mut c_int {
        // SAFETY: the caller's promise.
        unsafe { ptr::addr_of_mut!((*ev).hw.state) }
    }

    /// `pmu::event_init`.
    ///
    /// # Safety
    ///
    /// Called by perf with a live event whose `pmu` is this one.
    unsafe extern "C" fn event_init(ev: *mut bindings::perf_event) -> c_int {
        from_result(|| {
            // SAFETY: perf passes a live event whose `pmu` is this one.
            if unsafe { (*ev).attr.type_ as c_int != (*(*ev).pmu).type_ } {
                return Err(ENOENT);
            }
            let init = EventInit {
                ev,
                _p: PhantomData,
            };
            let data = KBox::pin_init(T::event_init(&init)?, GFP_KERNEL)?;
            // SAFETY: the event is ours to set up; `destroy` takes the box
            // back, and nothing moves the data out of it.
            unsafe {
                (*ev).pmu_private = KBox::into_raw(Pin::into_inner_unchecked(data)).cast();
                (*ev).destroy = Some(Self::destroy);
            }
            Ok(0)
        })
    }

    /// `perf_event::destroy`.
    ///
    /// # Safety
    ///
    /// Called by perf once, after the last callback, on an event whose
    /// `event_init` succeeded.
    unsafe extern "C" fn destroy(ev: *mut bindings::perf_event) {
        // SAFETY: perf calls this once, after the last callback; the box
        // came from `event_init`.
        unsafe {
            let p = core::mem::take(&mut (*ev).pmu_private);
            if !p.is_null() {
                drop(KBox::from_raw(p.cast::<T::Data>()));
            }
        }
    }

    /// `pmu::add`.
    ///
    /// # Safety
    ///
    /// Called by perf on the event's CPU, interrupts off, for an event whose
    /// `event_init` succeeded; so are the callbacks below.
    unsafe extern "C" fn add(ev: *mut bindings::perf_event, flags: c_int) -> c_int {
        // SAFETY: perf's callback on a live, initialised event.
        unsafe {
            *Self::state(ev) = (bindings::PERF_HES_STOPPED | bindings::PERF_HES_UPTODATE) as c_int;
            if flags as u32 & bindings::PERF_EF_START != 0 {
                Self::start(ev, bindings::PERF_EF_RELOAD as c_int);
            }
        }
        0
    }

    /// `pmu::del`.
    ///
    /// # Safety
    ///
    /// See `add`.
    unsafe extern "C" fn del(ev: *mut bindings::perf_event, _flags: c_int) {
        // SAFETY: perf's callback on a live, initialised event.
        unsafe { Self::stop(ev, bindings::PERF_EF_UPDATE as c_int) };
    }

    /// `pmu::start`.
    ///
    /// # Safety
    ///
    /// See `add`.
    unsafe extern "C" fn start(ev: *mut bindings::perf_event, _flags: c_int) {
        // SAFETY: perf's callback on a live, initialised event.
        unsafe {
            // Only `read` can be re-entered (`perf_event_read_local()`); a
            // refused start would leave the event stopped, never running
            // without its baseline.
            if Self::with_event(ev, T::start) {
                *Self::state(ev) = 0;
            }
        }
    }

    /// `pmu::stop`.
    ///
    /// # Safety
    ///
    /// See `add`.
    unsafe extern "C" fn stop(ev: *mut bindings::perf_event, flags: c_int) {
        // SAFETY: perf's callback on a live, initialised event.
        unsafe {
            let st = Self::state(ev);
            if *st & bindings::PERF_HES_STOPPED as c_int == 0 {
                if flags as u32 & bindings::PERF_EF_UPDATE != 0 {
                    Self::with_event(ev, T::read);
                }
                *st |= (bindings::PERF_HES_STOPPED | bindings::PERF_HES_UPTODATE) as c_int;
            }
        }
    }

    /// `pmu::read`.
    ///
    /// # Safety
    ///
    /// See `add`.
    unsafe extern "C" fn read(ev: *mut bindings::perf_event) {
        // SAFETY: perf's callback on a live, initialised event.
        unsafe {
            if *Self::state(ev) & bindings::PERF_HES_STOPPED as c_int == 0 {
                // Refused, the count stays at its last value.
                Self::with_event(ev, T::read);
            }
        }
    }
}

impl<T: PmuOps> Registration<T> {
    /// Moves the events of this PMU on CPU `src` to CPU `dst`, online
    /// (`perf_pmu_migrate_context()`): what a PMU whose events count
    /// something several CPUs share does when `src` is going offline. Each
    /// event is stopped (with a last update) on `src` and started on `dst`.
    /// Groups led by another PMU's event stay.
    ///
    /// Sleeps, and takes perf's context mutexes of both CPUs: call it from a
    /// CPU hotplug callback, holding nothing a callback of the PMU takes.
    pub(crate) fn migrate_context(&self, src: u32, dst: u32) {
        // SAFETY: the PMU is registered while `self` lives; perf's per-CPU
        // contexts exist for every possible CPU, which the callers' CPU ids
        // are.
        unsafe { bindings::perf_pmu_migrate_context(self.pmu.get(), src as c_int, dst as c_int) };
    }
}

impl<T: PmuOps> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: `new` registered this PMU.
        unsafe { bindings::perf_pmu_unregister(self.pmu.get()) };
    }
}

/// A sysfs attribute of a PMU with a fixed text, such as an entry of
/// `format/` (`config:0-31`) or `events/` (`event=0x02`): a
/// `struct perf_pmu_events_attr` shown by `perf_event_sysfs_show()`.
pub(crate) struct StrAttr(Opaque<bindings::perf_pmu_events_attr>);

// SAFETY: after `new`, only sysfs reads it.
unsafe impl Sync for StrAttr {}

impl StrAttr {
    /// The read-only attribute `name` showing `text` and a newline.
    pub(crate) const fn new(name: &'static CStr, text: &'static CStr) -> Self {
        // SAFETY: all-zeroes is a valid attribute: no callbacks, no key.
        let mut a: bindings::perf_pmu_events_attr = unsafe { core::mem::zeroed() };
        a.attr.attr.name = name.as_char_ptr();
        a.attr.attr.mode = 0o444;
        a.attr.show = Some(bindings::perf_event_sysfs_show);
        a.event_str = text.as_char_ptr();
        Self(Opaque::new(a))
    }

    /// The `struct attribute` for an [`AttrList`].
    pub(crate) const fn attr(&'static self) -> Attr {
        // `attr.attr` is the first member: the pointers are the same.
        Attr(self.0.get().cast())
    }
}

/// The `cpumask` attribute of a PMU, shown by [`PmuOps::cpumask`].
pub(crate) struct CpumaskAttr<T: PmuOps>(Opaque<bindings::device_attribute>, PhantomData<T>);

// SAFETY: after `new`, only sysfs reads it.
unsafe impl<T: PmuOps> Sync for CpumaskAttr<T> {}

impl<T: PmuOps> CpumaskAttr<T> {
    /// The read-only attribute `cpumask`.
    pub(crate) const fn new() -> Self {
        // SAFETY: all-zeroes is a valid attribute: no callbacks, no key.
        let mut a: bindings::device_attribute = unsafe { core::mem::zeroed() };
        a.attr.name = kernel::c_str!("cpumask").as_char_ptr();
        a.attr.mode = 0o444;
        a.show = Some(Self::show);
        Self(Opaque::new(a), PhantomData)
    }

    /// The `struct attribute` for an [`AttrList`].
    pub(crate) const fn attr(&'static self) -> Attr {
        // `attr` is the first member: the pointers are the same.
        Attr(self.0.get().cast())
    }

    /// `device_attribute::show`.
    ///
    /// # Safety
    ///
    /// Called by sysfs with a page-sized buffer of its own.
    unsafe extern "C" fn show(
        _dev: *mut bindings::device,
        _attr: *mut bindings::device_attribute,
        buf: *mut c_char,
    ) -> isize {
        let (buf, len) = (buf.cast::<u8>(), bindings::PAGE_SIZE);
        // SAFETY: sysfs hands a show callback a zeroed page of its own.
        let page = unsafe { core::slice::from_raw_parts_mut(buf, len) };
        let mut w = PageWriter { page, len: 0 };
        match T::cpumask(&mut w).and_then(|()| fmt::Write::write_str(&mut w, "\n")) {
            Ok(()) => w.len as isize,
            Err(_) => EINVAL.to_errno() as isize,
        }
    }
}

/// Writes into a sysfs page, failing when it is full.
struct PageWriter<'a> {
    page: &'a mut [u8],
    len: usize,
}

impl fmt::Write for PageWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        // Room for the NUL sysfs expects after the text.
        if end >= self.page.len() {
            return Err(fmt::Error);
        }
        self.page[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// A `struct attribute` pointer, for an [`AttrList`].
#[derive(Clone, Copy)]
pub(crate) struct Attr(*mut bindings::attribute);

/// A NULL-terminated list of `N - 1` attributes.
pub(crate) struct AttrList<const N: usize>([*mut bindings::attribute; N]);

// SAFETY: the list and the attributes are static, and only sysfs reads them.
unsafe impl<const N: usize> Sync for AttrList<N> {}

impl<const N: usize> AttrList<N> {
    /// The list of `attrs`, the last of which must be `None`.
    pub(crate) const fn new(attrs: [Option<Attr>; N]) -> Self {
        let mut l = [ptr::null_mut(); N];
        let mut i = 0;
        while i < N {
            if let Some(a) = attrs[i] {
                l[i] = a.0;
            }
            i += 1;
        }
        assert!(N > 0 && attrs[N - 1].is_none(), "the list ends with None");
        Self(l)
    }
}

/// A sysfs attribute group: `struct attribute_group`.
pub(crate) struct AttrGroup(Opaque<bindings::attribute_group>);

// SAFETY: after `new`, only sysfs reads it.
unsafe impl Sync for AttrGroup {}

impl AttrGroup {
    /// The group of `attrs`, in the directory `name` (`None`: the PMU's own).
    pub(crate) const fn new<const N: usize>(
        name: Option<&'static CStr>,
        attrs: &'static AttrList<N>,
    ) -> Self {
        // SAFETY: all-zeroes is a valid, empty group.
        let mut g: bindings::attribute_group = unsafe { core::mem::zeroed() };
        if let Some(n) = name {
            g.name = n.as_char_ptr();
        }
        g.attrs = attrs.0.as_ptr().cast_mut();
        Self(Opaque::new(g))
    }
}

/// A NULL-terminated list of attribute groups, for [`Registration::new`].
pub(crate) struct GroupList<const N: usize>([*const bindings::attribute_group; N]);

// SAFETY: the list and the groups are static, and only sysfs reads them.
unsafe impl<const N: usize> Sync for GroupList<N> {}

impl<const N: usize> GroupList<N> {
    /// The list of `groups` and a final NULL; `N` counts the NULL.
    pub(crate) const fn new(groups: [Option<&'static AttrGroup>; N]) -> Self {
        let mut l = [ptr::null(); N];
        let mut i = 0;
        while i < N {
            if let Some(g) = groups[i] {
                l[i] = g.0.get().cast_const();
            }
            i += 1;
        }
        assert!(N > 0 && groups[N - 1].is_none(), "the list ends with None");
        Self(l)
    }
}
