// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: wrappers for the inline functions and macros it calls, and the
 * static key of its context-switch hook. The overlay copies this file to
 * rust/helpers/ and includes it from rust/helpers/helpers.c.
 */

#include <linux/cacheinfo.h>
#include <linux/cpu.h>
#include <linux/init.h>
#include <linux/jump_label.h>
#include <linux/kernfs.h>
#include <linux/perf_event.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/topology.h>
#include <linux/user_namespace.h>
#include <linux/workqueue.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/resctrl.h>

enum kernfs_node_type rust_helper_kernfs_type(struct kernfs_node *kn)
{
	return kernfs_type(kn);
}

struct user_namespace *rust_helper_get_user_ns(struct user_namespace *ns)
{
	return get_user_ns(ns);
}

void rust_helper_put_user_ns(struct user_namespace *ns)
{
	put_user_ns(ns);
}

#ifdef CONFIG_RESCTRL_RS

DEFINE_STATIC_KEY_FALSE(resctrl_rs_sched_key);

void rust_helper_resctrl_rs_sched_key_enable(void)
{
	static_branch_enable(&resctrl_rs_sched_key);
}

void rust_helper_resctrl_rs_sched_key_disable(void)
{
	static_branch_disable(&resctrl_rs_sched_key);
}

unsigned int rust_helper_resctrl_rs_processor_id(void)
{
	return raw_smp_processor_id();
}

u64 rust_helper_resctrl_rs_clock(void)
{
	return local_clock();
}

void rust_helper_resctrl_rs_cpuid(u32 leaf, u32 subleaf, u32 *regs)
{
	cpuid_count(leaf, subleaf, &regs[0], &regs[1], &regs[2], &regs[3]);
}

int rust_helper_resctrl_rs_rdmsr(u32 msr, u64 *val)
{
	return rdmsrl_safe(msr, val);
}

int rust_helper_resctrl_rs_wrmsr(u32 msr, u64 val)
{
	return wrmsrl_safe(msr, val);
}

/*
 * The L3 cache id and size of @cpu; false if cacheinfo has no L3 with an id.
 * The caller holds off CPU hotplug: it holds cpus_read_lock() or runs in a
 * hotplug callback, where the lock is held by the task driving the operation
 * (so lockdep_assert_cpus_held() would not see it).
 */
bool rust_helper_resctrl_rs_l3_info(unsigned int cpu, u32 *id, u32 *size)
{
	struct cacheinfo *ci;

	ci = get_cpu_cacheinfo_level(cpu, 3);
	if (!ci)
		return false;
	*id = ci->id;
	*size = ci->size;
	return true;
}

/*
 * The id of @cpu's domain of a resctrl driver's @scope (a cache level, or
 * 16 for the package); false if it has none. Same locking as above.
 */
bool rust_helper_resctrl_rs_scope_id(unsigned int cpu, int scope, u32 *id)
{
	struct cacheinfo *ci;

	if (scope == 16) {
		*id = topology_physical_package_id(cpu);
		return true;
	}
	ci = get_cpu_cacheinfo_level(cpu, scope);
	if (!ci)
		return false;
	*id = ci->id;
	return true;
}

unsigned int rust_helper_resctrl_rs_task_cpu(struct task_struct *t)
{
	return task_cpu(t);
}

/* The task with PID @pid in the caller's namespace, with a reference. */
struct task_struct *rust_helper_resctrl_rs_get_task_by_vpid(pid_t pid)
{
	struct task_struct *t;

	rcu_read_lock();
	t = find_task_by_vpid(pid);
	if (t)
		get_task_struct(t);
	rcu_read_unlock();
	return t;
}

/*
 * Calls @fn on every thread under RCU until it returns false. @fn must not
 * sleep.
 */
void rust_helper_resctrl_rs_for_each_thread(bool (*fn)(struct task_struct *, void *),
					    void *data)
{
	struct task_struct *p, *t;

	rcu_read_lock();
	for_each_process_thread(p, t) {
		if (!fn(t, data))
			goto out;
	}
out:
	rcu_read_unlock();
}

/* Whether the caller may move @t: the check of upstream's tasks file. */
bool rust_helper_resctrl_rs_may_move_task(struct task_struct *t)
{
	const struct cred *tcred = get_task_cred(t);
	const struct cred *cred = current_cred();
	bool ok = uid_eq(cred->euid, GLOBAL_ROOT_UID) ||
		  uid_eq(cred->euid, tcred->uid) ||
		  uid_eq(cred->euid, tcred->suid);

	put_cred(tcred);
	return ok;
}

void rust_helper_resctrl_rs_raw_spin_lock_init(raw_spinlock_t *lock,
					       const char *name,
					       struct lock_class_key *key)
{
#ifdef CONFIG_DEBUG_SPINLOCK
	__raw_spin_lock_init(lock, name, key, LD_WAIT_SPIN);
#else
	raw_spin_lock_init(lock);
#endif
}

unsigned long rust_helper_resctrl_rs_raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	return flags;
}

void rust_helper_resctrl_rs_raw_spin_unlock_irqrestore(raw_spinlock_t *lock,
						       unsigned long flags)
{
	raw_spin_unlock_irqrestore(lock, flags);
}

/*
 * resctrl-rs' work that needs cacheinfo, which built-in code only has from
 * the device initcall level on, runs at late_initcall time (src/kapi/init.rs).
 */
int resctrl_rs_late_init(void);

static int __init resctrl_rs_late(void)
{
	return resctrl_rs_late_init();
}
late_initcall(resctrl_rs_late);

#endif /* CONFIG_RESCTRL_RS */

/* perf: an event's count is a local64_t, updated by its PMU. */
void rust_helper_resctrl_rs_perf_count_add(struct perf_event *event, u64 delta)
{
	local64_add(delta, &event->count);
}

void rust_helper_resctrl_rs_perf_count_set(struct perf_event *event, u64 value)
{
	local64_set(&event->count, value);
}

/* perf: a PMU callback interrupted by an NMI that reads the same event. */
bool rust_helper_resctrl_rs_in_nmi(void)
{
	return in_nmi();
}
