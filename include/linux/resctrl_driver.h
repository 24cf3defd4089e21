/* SPDX-License-Identifier: GPL-2.0 */
/*
 * resctrl drivers: code outside the resctrl core, loadable or built in,
 * in C or in Rust (kernel::resctrl), that adds a resource with its own
 * domain scope, monitoring events on it, and files to every group and to
 * info/. Seed 003; resctrl-rs's Documentation/resctrl-rs-drivers.rst.
 *
 * A driver describes itself in a const struct resctrl_driver and registers
 * it. The core calls it back; the driver never calls into the core but to
 * register and unregister, never takes resctrl's locks, and sees of the
 * core only what its callbacks are passed: a group's type, CLOSID and RMID,
 * a domain's id and CPUs.
 *
 * Lifetimes (seed 004): resctrl_driver_unregister() returns only once no
 * callback of the driver runs or can run again. Its files and monitoring
 * directories leave every group first; open ones then fail with ENODEV and
 * their release, which is the core's, runs once. A module ties both calls
 * to its life with module_resctrl_driver(), so it cannot forget the second.
 *
 * Callback contexts:
 *  - group_created, group_removed, domain_online, domain_offline, show and
 *    write: process context, may sleep; resctrl's mutex is held, so they
 *    must not register or unregister. domain_* run inside CPU hotplug.
 *  - read_event: on a CPU of the domain, interrupts off, under a raw
 *    spinlock of the core: it must not sleep nor take a spinlock_t (perf
 *    calls it from its callbacks, under its raw ctx->lock). It is never
 *    called for a domain after its domain_offline, for a group's RMID
 *    after its group_removed, nor after resctrl_driver_unregister()
 *    returned, also for perf events that outlive the driver: they keep
 *    their last value.
 */
#ifndef _LINUX_RESCTRL_DRIVER_H
#define _LINUX_RESCTRL_DRIVER_H

#include <linux/cpumask.h>
#include <linux/device/driver.h>
#include <linux/module.h>
#include <linux/types.h>

/* What a driver resource's domains follow: a cache level or the package. */
enum resctrl_driver_scope {
	RESCTRL_DRIVER_SCOPE_L2 = 2,
	RESCTRL_DRIVER_SCOPE_L3 = 3,
	RESCTRL_DRIVER_SCOPE_PACKAGE = 16,
};

/* The type of a group. */
enum resctrl_group_type {
	/* A CTRL_MON group, or the default group: a CLOSID and an RMID. */
	RESCTRL_GROUP_CTRL_MON = 0,
	/* A MON group: its parent's CLOSID and an RMID of its own. */
	RESCTRL_GROUP_MON = 1,
};

/* What a driver sees of a group. */
struct resctrl_group_info {
	enum resctrl_group_type type;
	u32 closid;
	u32 rmid;
};

/* What a driver sees of one of its resource's domains. */
struct resctrl_domain_info {
	u32 id;
	const struct cpumask *cpus;
};

/*
 * A monitoring event: mon_data/mon_<resource>_<id>/<name> in every group,
 * and a line of info/<resource>_MON/mon_features.
 */
struct resctrl_driver_event {
	const char *name;
	/*
	 * true: a level, as llc_occupancy: perf shows the value now. false: a
	 * count that only grows: perf counts its increase while enabled.
	 */
	bool level;
	/*
	 * Bits of the value below the binary point: 0 for an integer, at most
	 * RESCTRL_DRIVER_MAX_FRAC_BITS. The core's file shows a fixed-point
	 * value in decimal, "%llu.%0*llu" with ceil(frac_bits * log10(2))
	 * places (at least one), rounded to nearest, as upstream shows its
	 * telemetry events; perf counts it in units of 2^-frac_bits.
	 */
	unsigned int frac_bits;
};

#define RESCTRL_DRIVER_MAX_FRAC_BITS 27

/* Where a file goes (struct resctrl_driver_file.flags). */
#define RESCTRL_FILE_CTRL_MON	0x1	/* CTRL_MON groups, the default one too */
#define RESCTRL_FILE_MON	0x2	/* MON groups */
#define RESCTRL_FILE_INFO	0x4	/* info/<resource or driver name>/ */

/* The most events, and the most files, one driver may declare. */
#define RESCTRL_DRIVER_MAX_ITEMS 16

struct resctrl_driver_file {
	const char *name;
	umode_t mode;		/* 0444, or 0644 with a write callback */
	unsigned int flags;	/* RESCTRL_FILE_*: exactly one place */
};

/* Room for a write's message to info/last_cmd_status, NUL included. */
#define RESCTRL_DRIVER_STATUS_LEN 128

struct resctrl_driver {
	const char *name;
	/* The resource's name ("PKG"), or NULL for none: files only. */
	const char *resource;
	enum resctrl_driver_scope scope;
	/*
	 * A core resource ("L3" or "MB") this driver programs too; NULL or ""
	 * for none.
	 */
	const char *conflicts;
	const struct resctrl_driver_event *events;
	unsigned int nr_events;
	const struct resctrl_driver_file *files;
	unsigned int nr_files;
	/*
	 * How many RMIDs the resource's events count, 0 and 1 to 1024: as many
	 * as the core's (0 for a driver without events). A driver with events
	 * gets info/<resource>_MON/ with num_rmids (this, or the core's for 0)
	 * and mon_features; with a number below the core's, while the driver
	 * is registered no group gets an RMID of that number or above (mkdir
	 * fails "Out of RMIDs"), as upstream limits groups by the smallest
	 * num_rmids, and registration fails with -EBUSY while a group has one.
	 */
	u32 num_rmids;

	/* Each callback may be NULL. */
	int (*group_created)(const struct resctrl_driver *drv,
			     const struct resctrl_group_info *grp);
	void (*group_removed)(const struct resctrl_driver *drv,
			      const struct resctrl_group_info *grp);
	void (*domain_online)(const struct resctrl_driver *drv,
			      const struct resctrl_domain_info *dom);
	void (*domain_offline)(const struct resctrl_driver *drv,
			       const struct resctrl_domain_info *dom);
	/* Event @event's value for @rmid in domain @dom_id: 0 or -errno. */
	int (*read_event)(const struct resctrl_driver *drv, unsigned int event,
			  u32 dom_id, u32 rmid, u64 *val);
	/*
	 * The content of file @file, of group @grp (NULL for an info/ file),
	 * into @buf of @size bytes: the length written, or -errno.
	 */
	ssize_t (*show)(const struct resctrl_driver *drv, unsigned int file,
			const struct resctrl_group_info *grp, char *buf,
			size_t size);
	/*
	 * A write of @len bytes (NUL-terminated) to file @file: 0 or -errno,
	 * with a message for info/last_cmd_status in @status, which starts
	 * empty.
	 */
	int (*write)(const struct resctrl_driver *drv, unsigned int file,
		     const struct resctrl_group_info *grp, const char *buf,
		     size_t len, char *status);

	/* The driver's own. */
	void *priv;
};

/*
 * Registers @drv for the module @owner (THIS_MODULE: call it through
 * resctrl_driver_register()); @drv stays valid and unchanged until
 * unregistered. -EBUSY if a mount shows the resource it conflicts with,
 * -EEXIST if a driver of that name or resource is registered (or would
 * take a directory of info/ another one has), -EBUSY if a group holds an
 * RMID at or above @drv->num_rmids, -ENOSPC if too many drivers are,
 * -EINVAL for a bad description, or what a callback returned.
 *
 * Should a module go (its exit done, or its init failed) with @drv still
 * registered, the core unregisters it then, without calling it back, and
 * says so in the kernel log: a driver that forgets to unregister is never
 * called after it is gone.
 */
int __resctrl_driver_register(const struct resctrl_driver *drv, struct module *owner);
#define resctrl_driver_register(drv) __resctrl_driver_register(drv, THIS_MODULE)
/* Unregisters @drv: when this returns, no callback runs or will run. */
void resctrl_driver_unregister(const struct resctrl_driver *drv);

/* A module whose init and exit only register and unregister @__drv. */
#define module_resctrl_driver(__drv) \
	module_driver(__drv, resctrl_driver_register, resctrl_driver_unregister)

#endif /* _LINUX_RESCTRL_DRIVER_H */
