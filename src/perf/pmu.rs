// SPDX-License-Identifier: GPL-2.0

//! The `resctrl` PMU: its events, their checks, and their counting.

use crate::{
    domain::{cpu_map, Domain},
    fs::{
        from_fd::{self, FdTarget},
        group::RdtGroup,
    },
    hw::arch::Event,
    kapi::{
        global::Global,
        kref::Kref,
        perf::{
            eopnotsupp, AttrGroup, AttrList, CpumaskAttr, Event as PerfEvent, EventInit, GroupList,
            PmuOps, Registration, StrAttr,
        },
        sync::{new_raw_spinlock_irq, RawSpinLockIrq},
    },
    logic::perf_count::{Baseline, EventCount},
    mon::counters::{self, Reading},
    state,
};
use core::fmt;
use kernel::{c_str, prelude::*, sync::Arc};

/// The `resctrl` PMU.
pub(crate) struct ResctrlPmu;

/// What an event of the PMU holds.
#[pin_data]
pub(crate) struct ResctrlEvent {
    group: Arc<RdtGroup>,
    dom: Kref<Domain>,
    evt: Event,
    /// Per RMID, where the event's count stands; taken inside the callbacks
    /// only (interrupts off), before the domain's lock.
    #[pin]
    count: RawSpinLockIrq<EventCount<KVec<Baseline>>>,
}

/// The event ids of `attr.config1` and `events/`, upstream's
/// `QOS_L3_*_EVENT_ID`.
fn event_of_id(id: u64) -> Option<Event> {
    match id {
        1 => Some(Event::LlcOccupancy),
        2 => Some(Event::MbmTotal),
        3 => Some(Event::MbmLocal),
        _ => None,
    }
}

impl PmuOps for ResctrlPmu {
    type Data = ResctrlEvent;

    fn event_init(ev: &EventInit<'_>) -> Result<impl PinInit<ResctrlEvent, Error>> {
        if ev.is_sampling() {
            return Err(eopnotsupp());
        }
        if ev.is_task_bound() || ev.cpu() < 0 {
            return Err(EINVAL);
        }
        let fd = ev.config() as u32 as i32;
        if fd < 0 {
            return Err(EINVAL);
        }
        let FdTarget { group, mon } = from_fd::group_from_fd(fd as u32)?;
        let want = match ev.config1() {
            0 => None,
            id => Some(event_of_id(id).ok_or(EINVAL)?),
        };
        let evt = match (mon, want) {
            (Some((_, e)), Some(w)) if e != w => return Err(EINVAL),
            (Some((_, e)), _) | (None, Some(e)) => e,
            (None, None) => return Err(EINVAL),
        };
        let hw = state::arch().and_then(|a| a.l3_mon()).ok_or(EINVAL)?;
        if !hw.has(evt) {
            return Err(EINVAL);
        }
        // The event's CPU decides the domain; a file names it too.
        let dom = cpu_map::get(ev.cpu() as u32).ok_or(EINVAL)?;
        if mon.is_some_and(|(id, _)| id != dom.id) {
            return Err(EINVAL);
        }
        let base = KVec::from_elem(Baseline::default(), hw.num_rmid as usize, GFP_KERNEL)?;
        Ok(try_pin_init!(ResctrlEvent {
            group,
            dom,
            evt,
            count <- new_raw_spinlock_irq!(EventCount::new(base), "resctrl_perf_event"),
        }))
    }

    fn start(ev: &PerfEvent<'_, Self>) {
        update(ev, true);
    }

    fn read(ev: &PerfEvent<'_, Self>) {
        update(ev, false);
    }

    fn cpumask(w: &mut dyn fmt::Write) -> fmt::Result {
        cpu_map::first_cpus().fmt_list(&mut { w })
    }
}

/// Brings the count of `ev` up to date (or, on `start`, takes its baseline):
/// on the event's CPU, a CPU of its domain, with interrupts off. A group that
/// is gone or a domain that went offline leaves the count as it is.
fn update(ev: &PerfEvent<'_, ResctrlPmu>, start: bool) {
    let d = ev.data();
    if d.group.is_deleted() || !d.dom.is_online() {
        return;
    }
    let Some(arch) = state::arch() else {
        return;
    };
    let Some(mon) = arch.l3_mon() else {
        return;
    };
    match d.evt {
        Event::LlcOccupancy => {
            if let Reading::Bytes(b) =
                counters::read_local(arch, mon, &d.dom, d.group.rmids(), d.evt)
            {
                ev.set_count(b);
            }
        }
        evt => {
            let mut c = d.count.lock();
            let bytes =
                counters::count_local(arch, mon, &d.dom, d.group.rmids(), evt, &mut c, start);
            ev.add_count(bytes);
        }
    }
}

static FORMAT_FD: StrAttr = StrAttr::new(c_str!("fd"), c_str!("config:0-31"));
static FORMAT_EVENT: StrAttr = StrAttr::new(c_str!("event"), c_str!("config1:0-7"));
static FORMAT_ATTRS: AttrList<3> =
    AttrList::new([Some(FORMAT_FD.attr()), Some(FORMAT_EVENT.attr()), None]);
static FORMAT: AttrGroup = AttrGroup::new(Some(c_str!("format")), &FORMAT_ATTRS);

static EVENT_OCCUPANCY: StrAttr = StrAttr::new(c_str!("llc_occupancy"), c_str!("event=0x01"));
static EVENT_TOTAL: StrAttr = StrAttr::new(c_str!("mbm_total_bytes"), c_str!("event=0x02"));
static EVENT_LOCAL: StrAttr = StrAttr::new(c_str!("mbm_local_bytes"), c_str!("event=0x03"));
static EVENTS_ATTRS: AttrList<4> = AttrList::new([
    Some(EVENT_OCCUPANCY.attr()),
    Some(EVENT_TOTAL.attr()),
    Some(EVENT_LOCAL.attr()),
    None,
]);
static EVENTS: AttrGroup = AttrGroup::new(Some(c_str!("events")), &EVENTS_ATTRS);

static CPUMASK: CpumaskAttr<ResctrlPmu> = CpumaskAttr::new();
static CPUMASK_ATTRS: AttrList<2> = AttrList::new([Some(CPUMASK.attr()), None]);
static CPUMASK_GROUP: AttrGroup = AttrGroup::new(None, &CPUMASK_ATTRS);

static GROUPS: GroupList<4> =
    GroupList::new([Some(&FORMAT), Some(&EVENTS), Some(&CPUMASK_GROUP), None]);

static PMU: Global<Registration<ResctrlPmu>> = Global::new();

/// Registers the PMU, for the kernel's life, and its hotplug state.
pub(crate) fn register() -> Result {
    let reg = KBox::new(Registration::new(c_str!("resctrl"), &GROUPS)?, GFP_KERNEL)?;
    PMU.set(KBox::leak(reg))?;
    super::hotplug::init()
}

/// Moves the events on CPU `from` to CPU `to`, of the same domain.
pub(crate) fn migrate(from: u32, to: u32) {
    if let Some(pmu) = PMU.get() {
        pmu.migrate_context(from, to);
    }
}
