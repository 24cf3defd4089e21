// SPDX-License-Identifier: GPL-2.0

//! The `resctrl` PMU: its events, their checks, and their counting.

use crate::{
    fs::from_fd::{self, FdTarget, MonTarget},
    hw::{
        arch::{Arch, Event, L3Mon},
        probe,
    },
    kapi::{
        cpu,
        global::Global,
        kref::Kref,
        perf::{
            eopnotsupp, AttrGroup, AttrList, CpumaskAttr, Event as PerfEvent, EventInit, GroupList,
            PmuOps, Registration, StrAttr,
        },
        resctrl_driver::EventSource,
    },
    logic::perf_count::{Baseline, EventCount, Now},
    model::{
        domain::{cpu_map, Domain},
        group::GroupHandle,
    },
    mon::counters::{self, Reading},
};
use core::{fmt, pin::Pin};
use kernel::{c_str, prelude::*, sync::Arc};

/// The `resctrl` PMU.
pub(crate) struct ResctrlPmu;

/// What an event counts: an L3 event of the core, or a driver's event.
enum Source {
    /// An L3 event in a domain of the core, and the hardware that counts
    /// it (which lives as long as the kernel).
    L3 {
        dom: Kref<Domain>,
        evt: Event,
        arch: &'static dyn Arch,
        mon: &'static L3Mon,
    },
    /// Event `idx` of a driver's resource, in domain `dom_id`.
    Driver {
        src: Arc<EventSource>,
        dom_id: u32,
        idx: usize,
    },
}

/// What an event of the PMU holds.
pub(crate) struct ResctrlEvent {
    group: Arc<GroupHandle>,
    src: Source,
    /// Per RMID, where the event's count stands. Only the event's callbacks
    /// use it, which perf never runs two at a time: no lock.
    count: EventCount<KVec<Baseline>>,
}

// Nothing is pinned inline: the group, the domain and the source are
// reference-counted objects elsewhere, so moving the event moves pointers.
impl Unpin for ResctrlEvent {}

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
        let num_rmid = probe::arch()
            .and_then(|a| a.l3_mon())
            .map_or(1, |m| m.num_rmid);
        let src = match mon {
            Some(MonTarget::Driver { src, dom_id, idx }) => {
                // A driver's event has no id; its file names it.
                if ev.config1() != 0 || src.cpu_domain(ev.cpu() as u32) != Some(dom_id) {
                    return Err(EINVAL);
                }
                Source::Driver { src, dom_id, idx }
            }
            mon => l3_source(ev, mon)?,
        };
        let base = KVec::from_elem(Baseline::default(), num_rmid as usize, GFP_KERNEL)?;
        Ok(ResctrlEvent {
            group,
            src,
            count: EventCount::new(base),
        })
    }

    fn start(ev: &PerfEvent<'_>, data: Pin<&mut ResctrlEvent>) {
        update(ev, data.get_mut(), true);
    }

    fn read(ev: &PerfEvent<'_>, data: Pin<&mut ResctrlEvent>) {
        update(ev, data.get_mut(), false);
    }

    fn cpumask(w: &mut dyn fmt::Write) -> fmt::Result {
        cpu_map::first_cpus().fmt_list(&mut { w })
    }
}

/// The L3 event and domain an event of a group directory (`mon` is `None`)
/// or of a `mon_data/mon_L3_<id>/` file counts.
fn l3_source(ev: &EventInit<'_>, mon: Option<MonTarget>) -> Result<Source> {
    let file = match mon {
        Some(MonTarget::L3(id, e)) => Some((id, e)),
        _ => None,
    };
    let want = match ev.config1() {
        0 => None,
        id => Some(event_of_id(id).ok_or(EINVAL)?),
    };
    let evt = match (file, want) {
        (Some((_, e)), Some(w)) if e != w => return Err(EINVAL),
        (Some((_, e)), _) | (None, Some(e)) => e,
        (None, None) => return Err(EINVAL),
    };
    let arch = probe::arch().ok_or(EINVAL)?;
    let mon = arch.l3_mon().ok_or(EINVAL)?;
    if !mon.has(evt) {
        return Err(EINVAL);
    }
    // The event's CPU decides the domain; a file names it too.
    let dom = cpu_map::get(ev.cpu() as u32).ok_or(EINVAL)?;
    if file.is_some_and(|(id, _)| id != dom.id) {
        return Err(EINVAL);
    }
    Ok(Source::L3 {
        dom,
        evt,
        arch,
        mon,
    })
}

/// Brings the count of `ev` up to date (or, on `start`, takes its baseline):
/// on the event's CPU, a CPU of its domain, with interrupts off. A group that
/// is gone or a domain that went offline leaves the count as it is.
fn update(ev: &PerfEvent<'_>, d: &mut ResctrlEvent, start: bool) {
    if d.group.is_deleted() {
        return;
    }
    let (group, count) = (&*d.group, &mut d.count);
    match &d.src {
        Source::L3 {
            dom,
            evt,
            arch,
            mon,
        } => update_l3(ev, group, count, (*arch, mon, dom), *evt, start),
        Source::Driver { src, dom_id, idx } => {
            update_driver(ev, group, count, src, *dom_id, *idx, start)
        }
    }
}

fn update_l3(
    ev: &PerfEvent<'_>,
    group: &GroupHandle,
    count: &mut EventCount<KVec<Baseline>>,
    (arch, mon, dom): (&dyn Arch, &L3Mon, &Domain),
    evt: Event,
    start: bool,
) {
    if !dom.is_online() {
        return;
    }
    match evt {
        Event::LlcOccupancy => {
            if let Reading::Bytes(b) = counters::read_local(arch, mon, dom, group.rmids(), evt) {
                ev.set_count(b);
            }
        }
        evt => {
            let bytes = counters::count_local(arch, mon, dom, group.rmids(), evt, count, start);
            ev.add_count(bytes);
        }
    }
}

/// A driver's event: read through its source, which refuses once the
/// driver is gone or the domain is not this CPU's, leaving the count as it
/// is. A level shows the sum now; a count adds what the group's RMIDs grew
/// by since the previous read, as for the core's bandwidth.
fn update_driver(
    ev: &PerfEvent<'_>,
    group: &GroupHandle,
    count: &mut EventCount<KVec<Baseline>>,
    src: &EventSource,
    dom_id: u32,
    idx: usize,
    start: bool,
) {
    // Checked again under the source's lock: a group's removal takes the
    // lock once before its drivers hear of it (`attach::groups_removed`).
    let reader = || {
        let rd = src.reader(cpu::processor_id(), dom_id).ok()?;
        (!group.is_deleted()).then_some(rd)
    };
    if src.is_level(idx) {
        let Some(rd) = reader() else {
            return;
        };
        let (mut sum, mut ok) = (0u64, false);
        for rmid in group.rmids() {
            if let Ok(v) = rd.read(idx, rmid) {
                sum = sum.wrapping_add(v);
                ok = true;
            }
        }
        if ok {
            ev.set_count(sum);
        }
        return;
    }
    let Some(rd) = reader() else {
        return;
    };
    // A driver's values have no resets the core knows of: `born` is 0, so
    // an RMID that joins counts from its value then.
    let now = group.rmids().map(|rmid| Now {
        rmid,
        total: rd.read(idx, rmid).ok(),
        born: 0,
    });
    if start {
        count.start(0, now);
    } else {
        ev.add_count(count.delta(now));
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

/// Registers the PMU, for the kernel's life.
pub(crate) fn register() -> Result {
    let reg = KBox::new(Registration::new(c_str!("resctrl"), &GROUPS)?, GFP_KERNEL)?;
    PMU.set(KBox::leak(reg))
}

/// Moves the events on CPU `from` to CPU `to`, of the same domain.
pub(crate) fn migrate(from: u32, to: u32) {
    if let Some(pmu) = PMU.get() {
        pmu.migrate_context(from, to);
    }
}
