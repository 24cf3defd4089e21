/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl-rs selftests: opening and reading events of the perf PMU
 * "resctrl" with perf_event_open().
 */
#ifndef RESCTRL_PERF_H
#define RESCTRL_PERF_H

#include <errno.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "resctrl_util.h"

#define PMU "/sys/bus/event_source/devices/resctrl"

static inline int pmu_type(void)
{
	return (int)num(PMU "/type");
}

/*
 * perf_event_open() of the resctrl PMU on resctrl fd @fd, with event id
 * @config1, for @pid on @cpu, changed by @tweak (if not NULL), in the group
 * of @group_fd; returns the event's fd or -errno.
 */
static inline int open_ev(int fd, unsigned long long config1, int pid, int cpu,
			  void (*tweak)(struct perf_event_attr *), int group_fd)
{
	struct perf_event_attr a = { 0 };
	int r;

	a.size = sizeof(a);
	a.type = pmu_type();
	a.config = (unsigned int)fd;
	a.config1 = config1;
	a.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED;
	if (tweak)
		tweak(&a);
	r = syscall(SYS_perf_event_open, &a, pid, cpu, group_fd, 0);
	return r < 0 ? -errno : r;
}

/* The count of event @ev (opened by open_ev() without a tweak), or -errno. */
static inline long long count(int ev)
{
	unsigned long long v[2];

	if (read(ev, v, sizeof(v)) != sizeof(v))
		return -errno;
	return (long long)v[0];
}

#endif /* RESCTRL_PERF_H */
