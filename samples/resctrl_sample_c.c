// SPDX-License-Identifier: GPL-2.0
/*
 * A resctrl driver in C: a package-scoped resource CPKG with one monitoring
 * event, a file in every CTRL_MON group and one in info/CPKG/. It proves
 * the C interface of <linux/resctrl_driver.h> and serves the tests.
 *
 *  - mon_data/mon_CPKG_<id>/rmid_tag: RMID * 1000 + package id, a level.
 *  - <group>/sample_c_ids: "closid=C rmid=R", as the core passed them.
 *  - info/CPKG/sample_c_state: how many groups and domains the driver
 *    heard of and has not heard the end of.
 *
 * Module parameter conflicts=L3 (or MB) makes it claim that core resource;
 * forget=1 makes its exit forget to unregister.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/resctrl_driver.h>
#include <linux/sprintf.h>

static char conflicts[8];
module_param_string(conflicts, conflicts, sizeof(conflicts), 0444);
MODULE_PARM_DESC(conflicts, "the core resource to conflict with: L3 or MB");

static atomic_t groups = ATOMIC_INIT(0);
static atomic_t domains = ATOMIC_INIT(0);

static int sample_group_created(const struct resctrl_driver *drv,
				const struct resctrl_group_info *grp)
{
	atomic_inc(&groups);
	return 0;
}

static void sample_group_removed(const struct resctrl_driver *drv,
				 const struct resctrl_group_info *grp)
{
	atomic_dec(&groups);
}

static void sample_domain_online(const struct resctrl_driver *drv,
				 const struct resctrl_domain_info *dom)
{
	atomic_inc(&domains);
}

static void sample_domain_offline(const struct resctrl_driver *drv,
				  const struct resctrl_domain_info *dom)
{
	atomic_dec(&domains);
}

/* Interrupts are off here: nothing that sleeps. */
static int sample_read_event(const struct resctrl_driver *drv,
			     unsigned int event, u32 dom_id, u32 rmid, u64 *val)
{
	*val = (u64)rmid * 1000 + dom_id;
	return 0;
}

static ssize_t sample_show(const struct resctrl_driver *drv, unsigned int file,
			   const struct resctrl_group_info *grp, char *buf,
			   size_t size)
{
	if (!grp)
		return scnprintf(buf, size, "groups=%d domains=%d\n",
				 atomic_read(&groups), atomic_read(&domains));
	return scnprintf(buf, size, "closid=%u rmid=%u\n", grp->closid,
			 grp->rmid);
}

static const struct resctrl_driver_event sample_events[] = {
	{ .name = "rmid_tag", .level = true },
};

static const struct resctrl_driver_file sample_files[] = {
	{ .name = "sample_c_ids", .mode = 0444, .flags = RESCTRL_FILE_CTRL_MON },
	{ .name = "sample_c_state", .mode = 0444, .flags = RESCTRL_FILE_INFO },
};

static struct resctrl_driver sample = {
	.name = "sample_c",
	.resource = "CPKG",
	.scope = RESCTRL_DRIVER_SCOPE_PACKAGE,
	.conflicts = conflicts,
	.events = sample_events,
	.nr_events = ARRAY_SIZE(sample_events),
	.files = sample_files,
	.nr_files = ARRAY_SIZE(sample_files),
	.group_created = sample_group_created,
	.group_removed = sample_group_removed,
	.domain_online = sample_domain_online,
	.domain_offline = sample_domain_offline,
	.read_event = sample_read_event,
	.show = sample_show,
};

/*
 * A driver writes module_resctrl_driver(sample). This one spells it out for
 * its test knob: with forget=1 its exit leaves the driver registered, as a
 * buggy driver would, and the core unregisters it as the module goes.
 */
static bool forget;
module_param(forget, bool, 0444);
MODULE_PARM_DESC(forget, "for the tests: do not unregister at exit");

static int __init sample_init(void)
{
	return resctrl_driver_register(&sample);
}
module_init(sample_init);

static void __exit sample_exit(void)
{
	if (!forget)
		resctrl_driver_unregister(&sample);
}
module_exit(sample_exit);

MODULE_DESCRIPTION("resctrl-rs sample driver in C");
MODULE_LICENSE("GPL");
