// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: wrappers for the inline functions and macros it calls, and the
 * static key of its context-switch hook. The overlay copies this file to
 * rust/helpers/ and includes it from rust/helpers/helpers.c.
 */

#include <linux/cacheinfo.h>
#include <linux/cpu.h>
#include <linux/error-injection.h>
#include <linux/fs_context.h>
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

/*
 * Bitfields, whose layout the Rust bindings cannot be checked against
 * (include/linux/resctrl_rs_layout.h checks the other fields the crate uses).
 */
void rust_helper_resctrl_rs_fc_set_global(struct fs_context *fc)
{
	fc->global = true;
}

enum fs_value_type rust_helper_resctrl_rs_fs_param_type(const struct fs_parameter *param)
{
	return param->type;
}

#ifdef CONFIG_RESCTRL_RS

DEFINE_STATIC_KEY_FALSE(resctrl_rs_sched_key);

/*
 * The key counts mounts, and the unmounts' drops come a second after the
 * last unmount (as a deferred static key's, which would change the key's
 * type in the header of patches/0002): mounting and unmounting in a loop,
 * with less than a second unmounted at a time, patches __switch_to() at the
 * first mount and once after the last, not each time.
 */
static atomic_t resctrl_rs_sched_key_drops = ATOMIC_INIT(0);

static void resctrl_rs_sched_key_drop(struct work_struct *work)
{
	int n = atomic_xchg(&resctrl_rs_sched_key_drops, 0);

	/* Each takes cpus_read_lock() itself. */
	while (n-- > 0)
		static_branch_dec(&resctrl_rs_sched_key);
}

static DECLARE_DELAYED_WORK(resctrl_rs_sched_key_work, resctrl_rs_sched_key_drop);

/*
 * The key is taken and dropped under resctrl's lock, which holds
 * cpus_read_lock(): the _cpuslocked increment does not take it again (a
 * recursive read lock that deadlocks against a waiting hotplug writer);
 * the drop only queues the work, which takes the lock itself.
 */
void rust_helper_resctrl_rs_sched_key_enable_cpuslocked(void)
{
	static_key_slow_inc_cpuslocked(&resctrl_rs_sched_key.key);
}

void rust_helper_resctrl_rs_sched_key_disable_cpuslocked(void)
{
	atomic_inc(&resctrl_rs_sched_key_drops);
	/* A second from the last unmount: a pending drop waits again. */
	mod_delayed_work(system_wq, &resctrl_rs_sched_key_work, HZ);
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

/*
 * Gives every CPU capability @bit, as the boot CPU's identification does for
 * what CPUID reports: on each CPU's cpuinfo (what /proc/cpuinfo shows) and in
 * cpu_caps_set, which identify_cpu() applies again to a CPU coming online.
 * Not setup_force_cpu_cap(), which warns once alternatives are patched: that
 * matters only for a feature that patched code tests, and the RDT features
 * are tested by resctrl alone. The caller holds CPU hotplug off, so no CPU is
 * identified meanwhile.
 */
void rust_helper_resctrl_rs_force_cpu_cap(unsigned int bit)
{
	int cpu;

	set_bit(bit, (unsigned long *)cpu_caps_set);
	set_cpu_cap(&boot_cpu_data, bit);
	for_each_possible_cpu(cpu)
		set_cpu_cap(&cpu_data(cpu), bit);
}

/* Whether the boot CPU has capability @bit. */
bool rust_helper_resctrl_rs_cpu_has(unsigned int bit)
{
	return boot_cpu_has(bit);
}

/* Whether capability @bit was turned off (clearcpuid=, or a dependency's). */
bool rust_helper_resctrl_rs_cpu_cap_cleared(unsigned int bit)
{
	return test_bit(bit, (unsigned long *)cpu_caps_cleared);
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
 * The id and size of @cpu's cache of @level (2 or 3); false if cacheinfo has
 * no such cache with an id. The caller holds off CPU hotplug: it holds
 * cpus_read_lock() or runs in a hotplug callback, where the lock is held by
 * the task driving the operation (so lockdep_assert_cpus_held() would not
 * see it).
 */
bool rust_helper_resctrl_rs_cache_info(unsigned int cpu, int level, u32 *id, u32 *size)
{
	struct cacheinfo *ci;

	ci = get_cpu_cacheinfo_level(cpu, level);
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

/*
 * A task's fields are read and written here, with C's layout of struct
 * task_struct, never through the Rust bindings' idea of it: bindgen lays out
 * an empty but cacheline-aligned member (struct sched_statistics without
 * CONFIG_SCHEDSTATS) with no alignment, so every later field is misplaced.
 *
 * The IDs: CLOSID in the high half, RMID in the low half. The context-switch
 * hook reads them without a lock, hence READ_ONCE()/WRITE_ONCE().
 */
u64 rust_helper_resctrl_rs_task_ids(struct task_struct *t)
{
	return (u64)READ_ONCE(t->closid) << 32 | READ_ONCE(t->rmid);
}

/*
 * Sets @t's IDs, then orders the stores before the caller's check whether @t
 * is running (task_curr()); this pairs with the full barrier between the
 * scheduler's rq->curr update and the context-switch hook.
 */
void rust_helper_resctrl_rs_task_set_ids(struct task_struct *t, u32 closid, u32 rmid)
{
	WRITE_ONCE(t->closid, closid);
	WRITE_ONCE(t->rmid, rmid);
	smp_mb();
}

bool rust_helper_resctrl_rs_task_is_idle(struct task_struct *t)
{
	return is_idle_task(t);
}

pid_t rust_helper_resctrl_rs_task_pid(struct task_struct *t)
{
	return task_pid_nr(t);
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
 * Calls @fn on every thread until it returns false, under RCU (@locked
 * false: a listing, which may miss a task that joins meanwhile) or holding
 * tasklist_lock for reading (@locked true: a walk that moves tasks, as
 * upstream's rdt_move_group_tasks(); no task joins the list meanwhile, and
 * one that joins later takes its IDs under the lock's write side,
 * patches/0005, so after the walk). @fn must not sleep.
 */
void rust_helper_resctrl_rs_for_each_thread(bool (*fn)(struct task_struct *, void *),
					    void *data, bool locked)
{
	struct task_struct *p, *t;

	if (locked)
		read_lock(&tasklist_lock);
	else
		rcu_read_lock();
	for_each_process_thread(p, t) {
		if (!fn(t, data))
			goto out;
	}
out:
	if (locked)
		read_unlock(&tasklist_lock);
	else
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

/*
 * How deep this CPU is in resctrl-rs code that runs with interrupts off and
 * that no PMU callback may interrupt: a PMU callback itself, or a section
 * holding one of resctrl-rs' raw spinlocks (a domain's counter totals and
 * their sequence counter, a driver's event source, the per-CPU domain map).
 *
 * Only code that ignores the interrupt mask can get in: an NMI, or a BPF
 * program (on a kprobe, fentry or tracepoint in that code) calling
 * bpf_perf_event_read_value(), which calls the PMU's read through
 * perf_event_read_local(). A callback that finds the mark set returns at
 * once (the count stays at its last value): it would otherwise deadlock on
 * a lock this CPU holds, spin forever on a sequence counter this CPU is
 * writing, or alias the event's data with the callback it interrupted.
 */
static DEFINE_PER_CPU(unsigned int, resctrl_rs_busy);

/* Enters a PMU callback: false, and nothing marked, if this CPU is busy. */
bool rust_helper_resctrl_rs_busy_try_enter(void)
{
	if (this_cpu_inc_return(resctrl_rs_busy) == 1)
		return true;
	this_cpu_dec(resctrl_rs_busy);
	return false;
}

void rust_helper_resctrl_rs_busy_exit(void)
{
	this_cpu_dec(resctrl_rs_busy);
}

/*
 * A busy section: interrupts off and the mark set, for code a PMU callback
 * must not interrupt (a counter's select-then-read of per-CPU registers).
 */
unsigned long rust_helper_resctrl_rs_busy_enter_irqsave(void)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
	this_cpu_inc(resctrl_rs_busy);
	return flags;
}

/*
 * Preemption is enabled last, with interrupts back on, as
 * raw_spin_unlock_irqrestore() does: a reschedule asked for inside the
 * section happens then.
 */
void rust_helper_resctrl_rs_busy_exit_irqrestore(unsigned long flags)
{
	this_cpu_dec(resctrl_rs_busy);
	local_irq_restore(flags);
	preempt_enable();
}

/*
 * The raw spinlocks are busy sections: the mark is set before the lock is
 * taken and cleared after it is given back, so a probe anywhere inside the
 * lock's own code finds it set.
 */
unsigned long rust_helper_resctrl_rs_raw_spin_lock_irqsave(raw_spinlock_t *lock)
{
	unsigned long flags = rust_helper_resctrl_rs_busy_enter_irqsave();

	raw_spin_lock(lock);
	return flags;
}

void rust_helper_resctrl_rs_raw_spin_unlock_irqrestore(raw_spinlock_t *lock,
						       unsigned long flags)
{
	raw_spin_unlock(lock);
	rust_helper_resctrl_rs_busy_exit_irqrestore(flags);
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

/*
 * An error injection point: 0, unless fail_function makes it fail
 * (Documentation/fault-injection/fault-injection.rst). Bringing an L3
 * monitoring domain online calls it before each step, so a test can fail
 * any one step and see the steps before it undone (src/kapi/fault.rs).
 */
noinline int rust_helper_resctrl_rs_inject_domain_online(void)
{
	return 0;
}
ALLOW_ERROR_INJECTION(rust_helper_resctrl_rs_inject_domain_online, ERRNO);

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
