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
 * forget=1 makes its exit forget to unregister; ids_file=NAME renames its
 * group file.
 *
 * It also checks, with a WARN, every promise the header makes it: no
 * read_event for a domain it was not told is online, or from a CPU outside
 * that domain, or with interrupts on; group_created and group_removed
 * paired, once per group; domain_online and domain_offline paired; and no
 * callback at all once resctrl_driver_unregister() returned. The tests run
 * it under load, so a broken promise fails them.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/resctrl_driver.h>
#include <linux/sprintf.h>

static char conflicts[8];
module_param_string(conflicts, conflicts, sizeof(conflicts), 0444);
MODULE_PARM_DESC(conflicts, "the core resource to conflict with: L3 or MB");

static atomic_t groups = ATOMIC_INIT(0);
static atomic_t domains = ATOMIC_INIT(0);

/*
 * What the core told: the live groups and the online domains. A CTRL_MON
 * group is known by its CLOSID, a MON group by its RMID (without
 * monitoring every group has RMID 0).
 */
#define MAX_IDS 4096
#define MAX_DOMS 64
static DECLARE_BITMAP(live_ctrl, MAX_IDS);
static DECLARE_BITMAP(live_mon, MAX_IDS);
static DECLARE_BITMAP(online_doms, MAX_DOMS);

/* The bit that stands for @grp, or NULL if its id is too high to track. */
static unsigned long *group_bits(const struct resctrl_group_info *grp, u32 *id)
{
	*id = grp->type == RESCTRL_GROUP_MON ? grp->rmid : grp->closid;
	if (*id >= MAX_IDS)
		return NULL;
	return grp->type == RESCTRL_GROUP_MON ? live_mon : live_ctrl;
}
/* Set once resctrl_driver_unregister() returned: no callback may follow. */
static bool unregistered;

static void check_registered(const char *what)
{
	WARN(READ_ONCE(unregistered), "sample_c: %s after unregistration\n", what);
}

static int sample_group_created(const struct resctrl_driver *drv,
				const struct resctrl_group_info *grp)
{
	unsigned long *bits;
	u32 id;

	check_registered("group_created");
	bits = group_bits(grp, &id);
	if (bits)
		WARN(test_and_set_bit(id, bits), "sample_c: group_created twice for %s %u\n",
		     grp->type == RESCTRL_GROUP_MON ? "RMID" : "CLOSID", id);
	atomic_inc(&groups);
	return 0;
}

static void sample_group_removed(const struct resctrl_driver *drv,
				 const struct resctrl_group_info *grp)
{
	unsigned long *bits;
	u32 id;

	check_registered("group_removed");
	bits = group_bits(grp, &id);
	if (bits)
		WARN(!test_and_clear_bit(id, bits), "sample_c: group_removed of %s %u, never created\n",
		     grp->type == RESCTRL_GROUP_MON ? "RMID" : "CLOSID", id);
	atomic_dec(&groups);
}

static void sample_domain_online(const struct resctrl_driver *drv,
				 const struct resctrl_domain_info *dom)
{
	check_registered("domain_online");
	if (dom->id < MAX_DOMS)
		WARN(test_and_set_bit(dom->id, online_doms),
		     "sample_c: domain %u online twice\n", dom->id);
	atomic_inc(&domains);
}

static void sample_domain_offline(const struct resctrl_driver *drv,
				  const struct resctrl_domain_info *dom)
{
	check_registered("domain_offline");
	if (dom->id < MAX_DOMS)
		WARN(!test_and_clear_bit(dom->id, online_doms),
		     "sample_c: domain %u offline, never online\n", dom->id);
	atomic_dec(&domains);
}

/* Interrupts are off here, on a CPU of the domain: nothing that sleeps. */
static int sample_read_event(const struct resctrl_driver *drv,
			     unsigned int event, u32 dom_id, u32 rmid, u64 *val)
{
	unsigned int cpu = raw_smp_processor_id();

	check_registered("read_event");
	WARN_ONCE(!irqs_disabled(), "sample_c: read_event with interrupts on\n");
	WARN_ONCE(dom_id >= MAX_DOMS || !test_bit(dom_id, online_doms),
		  "sample_c: read_event for domain %u, which is not online\n", dom_id);
	WARN_ONCE(topology_physical_package_id(cpu) != dom_id,
		  "sample_c: read_event for domain %u on CPU %u of package %d\n",
		  dom_id, cpu, topology_physical_package_id(cpu));
	*val = (u64)rmid * 1000 + dom_id;
	return 0;
}

static ssize_t sample_show(const struct resctrl_driver *drv, unsigned int file,
			   const struct resctrl_group_info *grp, char *buf,
			   size_t size)
{
	check_registered("show");
	if (!grp)
		return scnprintf(buf, size, "groups=%d domains=%d\n",
				 atomic_read(&groups), atomic_read(&domains));
	return scnprintf(buf, size, "closid=%u rmid=%u\n", grp->closid,
			 grp->rmid);
}

static struct resctrl_driver_event sample_events[] = {
	{ .name = "rmid_tag", .level = true },
};

static char ids_file[32] = "sample_c_ids";
module_param_string(ids_file, ids_file, sizeof(ids_file), 0444);
MODULE_PARM_DESC(ids_file, "for the tests: the name of the group file");

static const struct resctrl_driver_file sample_files[] = {
	{ .name = ids_file, .mode = 0444, .flags = RESCTRL_FILE_CTRL_MON },
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

static unsigned int num_rmids;
module_param(num_rmids, uint, 0444);
MODULE_PARM_DESC(num_rmids, "for the tests: the RMIDs of CPKG, 0 for the core's");

static unsigned int frac_bits;
module_param(frac_bits, uint, 0444);
MODULE_PARM_DESC(frac_bits, "for the tests: rmid_tag's fraction bits, 0 for an integer");

static int __init sample_init(void)
{
	sample.num_rmids = num_rmids;
	sample_events[0].frac_bits = frac_bits;
	return resctrl_driver_register(&sample);
}
module_init(sample_init);

static void __exit sample_exit(void)
{
	if (forget)
		return;
	resctrl_driver_unregister(&sample);
	WRITE_ONCE(unregistered, true);
	/* Unregistration removed every group and domain it had heard of. */
	WARN(!bitmap_empty(live_ctrl, MAX_IDS) || !bitmap_empty(live_mon, MAX_IDS),
	     "sample_c: groups left at exit\n");
	WARN(!bitmap_empty(online_doms, MAX_DOMS), "sample_c: domains left at exit\n");
}
module_exit(sample_exit);

MODULE_DESCRIPTION("resctrl-rs sample driver in C");
MODULE_LICENSE("GPL");
