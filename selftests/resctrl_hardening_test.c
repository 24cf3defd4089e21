// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: what a distribution-like kernel (JUMP_LABEL, preempt=full,
 * hung-task and soft-lockup detectors) exposes.
 *
 *  - A task's CLOSID and RMID live in their own fields of task_struct: a
 *    move does not change what a tracer's PTRACE_GETEVENTMSG returns, and a
 *    ptrace event moves no task out of its group.
 *  - mkdir in a directory that CPU hotplug or a driver's unregistration
 *    removes (mon_data/mon_L3_01, info/<RES>, a driver's mon_<RES>_NN) is
 *    refused at once and never waits for their locks: nothing hangs.
 *  - mount and unmount against CPU hotplug (the context-switch static key
 *    is flipped under the hotplug lock): lockdep stays clean.
 *  - A CPU online that fails (fail_function) at any step is undone whole.
 *
 * QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1 and 1 = CPUs 2-3.
 * RESCTRL_STRESS_CYCLES sets the cycles of the loops (default 40);
 * RESCTRL_MODULES the directory of the sample driver modules.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_module.h"
#include "resctrl_util.h"

static int cycles(void)
{
	const char *s = getenv("RESCTRL_STRESS_CYCLES");

	return s ? atoi(s) : 40;
}

/* Forks a process that runs @fn until killed; returns its PID. */
static pid_t spawn(void (*fn)(int), int arg)
{
	pid_t p = fork();

	if (p == 0) {
		for (;;)
			fn(arg);
	}
	return p;
}

static void stop(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/* One offline/online cycle of the CPUs of domain 1 (2 and 3). */
static void toggle_domain1(int unused)
{
	set_online(3, 0);
	set_online(2, 0);
	usleep(2000);
	set_online(2, 1);
	set_online(3, 1);
	usleep(2000);
}

/* One offline/online cycle of CPU @cpu. */
static void toggle_cpu(int cpu)
{
	set_online(cpu, 0);
	usleep(1000);
	set_online(cpu, 1);
	usleep(1000);
}

/* One load/unload cycle of the C sample driver. */
static void cycle_driver(int unused)
{
	load_module("resctrl_sample_c", "");
	usleep(2000);
	unload_module("resctrl_sample_c");
	usleep(1000);
}

FIXTURE(hard) {};

FIXTURE_SETUP(hard)
{
	umount(MNT);
	all_online();
	mkdir(MNT, 0755);
	if (access(EMUL, F_OK))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

static void disarm_fault(void);

FIXTURE_TEARDOWN(hard)
{
	/* A failed assertion may have left fail_function armed. */
	disarm_fault();
	umount(MNT);
	unload_module("resctrl_sample_c");
	all_online();
}

/* Tracee: stops for its tracer, then forks once when continued. */
static void tracee(void)
{
	pid_t c;

	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL))
		_exit(1);
	raise(SIGSTOP);
	c = fork();
	if (c == 0) {
		pause();
		_exit(0);
	}
	pause();
	_exit(0);
}

/*
 * A tracer's PTRACE_GETEVENTMSG (the forked child's PID) survives a move of
 * the tracee into a group, and the fork event leaves the tracee in its
 * group: the IDs and ptrace_message are different fields.
 */
TEST_F_TIMEOUT(hard, ptrace_eventmsg_and_task_ids, 120)
{
	unsigned long msg = 0;
	int status;
	pid_t t, grandchild;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g2", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g2/mon_groups/m", 0755));

	t = fork();
	if (t == 0)
		tracee();
	ASSERT_EQ(t, waitpid(t, &status, 0));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(0, ptrace(PTRACE_SETOPTIONS, t, NULL, (void *)PTRACE_O_TRACEFORK));

	/* In a group before the fork event: the event must not move it. */
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", t));
	ASSERT_TRUE(has_pid(MNT "/g1/tasks", t));
	ASSERT_EQ(0, ptrace(PTRACE_CONT, t, NULL, NULL));
	ASSERT_EQ(t, waitpid(t, &status, 0));
	ASSERT_EQ(SIGTRAP | (PTRACE_EVENT_FORK << 8), status >> 8);
	ASSERT_EQ(0, ptrace(PTRACE_GETEVENTMSG, t, NULL, &msg));
	grandchild = (pid_t)msg;
	ASSERT_GT(grandchild, 0);
	EXPECT_TRUE(has_pid(MNT "/g1/tasks", t));
	EXPECT_FALSE(has_pid(MNT "/tasks", t));

	/* A move while stopped at the event leaves the event's message. */
	ASSERT_EQ(0, wrf(MNT "/g2/tasks", "%d\n", t));
	ASSERT_EQ(0, wrf(MNT "/g2/mon_groups/m/tasks", "%d\n", t));
	EXPECT_TRUE(has_pid(MNT "/g2/mon_groups/m/tasks", t));
	msg = 0;
	ASSERT_EQ(0, ptrace(PTRACE_GETEVENTMSG, t, NULL, &msg));
	EXPECT_EQ(grandchild, (pid_t)msg);

	/* The child inherited the tracee's IDs of the fork: g1's. */
	EXPECT_TRUE(has_pid(MNT "/g1/tasks", grandchild));

	kill(grandchild, SIGKILL);
	kill(t, SIGKILL);
	waitpid(t, NULL, 0);
	waitpid(grandchild, NULL, __WALL);
}

/*
 * Tries mkdir of @dir/x: it must fail with EPERM, or with ENOENT or ENODEV
 * (kernfs' answer for a directory being removed) if @dir is going or gone.
 */
static int mkdir_refused(const char *dir, int *refused)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/x", dir);
	if (!mkdir(path, 0755)) {
		fprintf(stderr, "# mkdir %s succeeded\n", path);
		rmdir(path);
		return 0;
	}
	if (errno != EPERM && errno != ENOENT && errno != ENODEV) {
		fprintf(stderr, "# mkdir %s: %s\n", path, strerror(errno));
		return 0;
	}
	*refused += errno == EPERM;
	return 1;
}

/*
 * mkdir in the directories CPU hotplug removes under its locks while
 * domain 1's CPUs go offline and online: each is refused, none waits.
 */
TEST_F_TIMEOUT(hard, mkdir_in_hotplug_dirs, 600)
{
	const char *dirs[] = {
		MNT "/mon_data/mon_L3_01", MNT "/g/mon_data/mon_L3_01",
		MNT "/mon_data/mon_L3_00", MNT "/mon_data", MNT "/info",
		MNT "/info/L3", MNT "/info/MB", MNT "/info/L3_MON", MNT "/g/mon_data",
	};
	int n = cycles() * 10, refused = 0, ok = 1;
	pid_t p;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	p = spawn(toggle_domain1, 0);
	for (int i = 0; i < n && ok; i++)
		for (unsigned int d = 0; d < sizeof(dirs) / sizeof(dirs[0]) && ok; d++)
			ok = mkdir_refused(dirs[d], &refused);
	stop(p);
	all_online();
	EXPECT_TRUE(ok);
	EXPECT_GT(refused, 0);
	/* The hierarchy still works: domain 1 is back in every group. */
	EXPECT_EQ(0, access(MNT "/g/mon_data/mon_L3_01/llc_occupancy", R_OK));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

/*
 * mkdir in a driver's directories (info/CPKG, mon_data/mon_CPKG_NN) while
 * the driver is loaded and unloaded: each is refused, none waits.
 */
TEST_F_TIMEOUT(hard, mkdir_in_driver_dirs, 600)
{
	const char *dirs[] = {
		MNT "/info/CPKG", MNT "/mon_data/mon_CPKG_00", MNT "/mon_data/mon_CPKG_01",
		MNT "/g/mon_data/mon_CPKG_00",
	};
	int n = cycles() * 10, refused = 0, ok = 1;
	pid_t p;

	if (!getenv("RESCTRL_MODULES"))
		SKIP(return, "RESCTRL_MODULES not set");
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	/* The driver loads, so the loop below races real directories. */
	ASSERT_EQ(0, load_module("resctrl_sample_c", ""));
	ASSERT_EQ(0, access(MNT "/info/CPKG", F_OK));
	ASSERT_EQ(0, unload_module("resctrl_sample_c"));
	p = spawn(cycle_driver, 0);
	for (int i = 0; i < n && ok; i++)
		for (unsigned int d = 0; d < sizeof(dirs) / sizeof(dirs[0]) && ok; d++)
			ok = mkdir_refused(dirs[d], &refused);
	stop(p);
	EXPECT_TRUE(ok);
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

/*
 * Mount and unmount, which flip the context-switch static key, while CPU 1
 * goes offline and online: no recursive hotplug lock (lockdep), no hang.
 */
TEST_F_TIMEOUT(hard, mount_umount_against_hotplug, 600)
{
	int n = cycles();
	pid_t p;

	p = spawn(toggle_cpu, 1);
	for (int i = 0; i < n; i++) {
		ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
		ASSERT_EQ(0, umount(MNT));
	}
	stop(p);
	all_online();
}

/*
 * Upstream parses what is written as a C string: cpus, cpus_list, mode and
 * schemata end at an embedded NUL. An empty line in schemata (a write
 * ending in "\n\n") is a line without ':', as upstream's strsep() loop
 * finds.
 */
TEST_F(hard, writes_end_at_nul_as_upstream)
{
	static const char list[] = "1\0garbage";
	static const char mask[] = "4\0zz\n";
	static const char mode[] = "exclusive\0junk\n";
	static const char sch[] = "L3:0=f;1=f\0MB:0=x\n";
	char cbm[32], want[64];
	int w;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wrn(MNT "/g/cpus_list", list, sizeof(list) - 1));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "1\n"));
	EXPECT_EQ(0, wrn(MNT "/g/cpus", mask, sizeof(mask) - 1));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "2\n"));
	EXPECT_EQ(0, wrn(MNT "/g/schemata", sch, sizeof(sch) - 1));
	/* Shown zero-padded to the width of cbm_mask, as upstream. */
	ASSERT_LT(1, rd(MNT "/info/L3/cbm_mask", cbm, sizeof(cbm)));
	w = (int)strlen(cbm) - 1;
	snprintf(want, sizeof(want), "    L3:0=%0*x;1=%0*x", w, 0xf, w, 0xf);
	EXPECT_TRUE(has_line(MNT "/g/schemata", want));
	/*
	 * Exclusive needs masks no other group shares, the default's in L3
	 * and in L2 (the emulated Intel part has both).
	 */
	ASSERT_EQ(0, wr(MNT "/schemata", "L3:0=7f0;1=7f0\n"));
	if (!access(MNT "/info/L2", F_OK)) {
		ASSERT_EQ(0, wr(MNT "/schemata", "L2:0=f0;1=f0;2=f0;3=f0\n"));
		ASSERT_EQ(0, wr(MNT "/g/schemata", "L2:0=f;1=f;2=f;3=f\n"));
	}
	EXPECT_EQ(0, wrn(MNT "/g/mode", mode, sizeof(mode) - 1));
	EXPECT_TRUE(is(MNT "/g/mode", "exclusive\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L3:0=3\n\n"));
	EXPECT_TRUE(has_line(MNT "/info/last_cmd_status", "Missing ':'"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

/* Forks children that sleep, writing each one's PID to @fd, until killed. */
static void forker(int fd)
{
	pid_t c = fork();

	if (c == 0) {
		usleep(300000);
		_exit(0);
	}
	if (c > 0 && write(fd, &c, sizeof(c)) != sizeof(c))
		_exit(1);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * rmdir of a group whose task forks all the while: every child, however
 * its fork raced the move of the group's tasks, ends up in the default
 * group, none keeps the removed group's IDs.
 */
TEST_F_TIMEOUT(hard, rmdir_races_fork, 600)
{
	int n = cycles(), lost = 0, seen = 0;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	for (int i = 0; i < n; i++) {
		int p[2];
		pid_t f, c;

		ASSERT_EQ(0, pipe(p));
		ASSERT_EQ(0, mkdir(MNT "/g", 0755));
		f = spawn(forker, p[1]);
		ASSERT_EQ(0, wrf(MNT "/g/tasks", "%d\n", f));
		usleep(20000);
		ASSERT_EQ(0, rmdir(MNT "/g"));
		usleep(20000);
		kill(f, SIGSTOP);
		close(p[1]);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		while (read(p[0], &c, sizeof(c)) == sizeof(c)) {
			if (kill(c, 0))
				continue;
			seen++;
			/* (A child that exited meanwhile is in no list.) */
			if (!has_pid(MNT "/tasks", c) && !kill(c, 0)) {
				fprintf(stderr, "# child %d of a removed group is in no group\n", c);
				lost++;
			}
		}
		close(p[0]);
		stop(f);
	}
	EXPECT_EQ(0, lost);
	ksft_print_msg("%d children checked\n", seen);
}

#define FEI "/sys/kernel/debug/fail_function"
#define FEI_FN "rust_helper_resctrl_rs_inject_domain_online"

/* No function of fail_function's fails any more. */
static void disarm_fault(void)
{
	wr(FEI "/inject", "\n");
}

/*
 * Arms fail_function: of the calls of resctrl-rs's domain-online injection
 * point from now on, the @nth fails with -ENOMEM, once, quietly (a stack
 * dump would fail the kernel log check).
 */
static int arm_fault(int nth)
{
	disarm_fault();
	return wr(FEI "/inject", FEI_FN "\n") ?:
	       wr(FEI "/" FEI_FN "/retval", "0xfffffffffffffff4\n") ?:
	       wr(FEI "/verbose", "0\n") ?: wr(FEI "/probability", "100\n") ?:
	       wr(FEI "/interval", "1\n") ?: wrf(FEI "/space", "%d\n", nth) ?:
	       wr(FEI "/times", "1\n");
}

/*
 * A CPU whose online callback fails is undone whole: the hotplug core never
 * calls offline for it. fail_function fails step N of bringing domain 1
 * online with CPU 2: N = 1 the domain itself, 2 to 4 the mon_data/mon_L3_01
 * of each of the three groups. Each time the online fails with the error,
 * and no group keeps a mon_L3_01. Then CPU 2 comes online without a fault,
 * with the domain whole: every group's mon_L3_01 and counters that count.
 * The C sample, which WARNs on domain callbacks that do not pair, is
 * loaded throughout.
 */
TEST_F_TIMEOUT(hard, failed_online_is_undone, 300)
{
	static const char *const groups[] = { MNT, MNT "/g", MNT "/g/mon_groups/m" };
	cpu_set_t set, old;
	char path[256];
	long long before;

	ASSERT_EQ(0, access(FEI "/inject", W_OK)) TH_LOG("no fail_function in debugfs");
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	if (getenv("RESCTRL_MODULES"))
		ASSERT_EQ(0, load_module("resctrl_sample_c", ""));
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, set_online(2, 0));
	for (int nth = 1; nth <= 4; nth++) {
		ASSERT_EQ(0, arm_fault(nth));
		EXPECT_EQ(-ENOMEM, set_online(2, 1)) TH_LOG("fault at step %d", nth);
		disarm_fault();
		EXPECT_TRUE(is("/sys/devices/system/cpu/cpu2/online", "0\n"));
		for (int g = 0; g < 3; g++) {
			snprintf(path, sizeof(path), "%s/mon_data/mon_L3_01", groups[g]);
			EXPECT_NE(0, access(path, F_OK)) TH_LOG("%s after a fault at step %d", path, nth);
		}
	}
	ASSERT_EQ(0, set_online(2, 1));
	ASSERT_EQ(0, set_online(3, 1));
	for (int g = 0; g < 3; g++) {
		/*
		 * With counter assignment (the AMD part), a domain that comes
		 * back has every counter free: the groups take theirs.
		 */
		if (is_amd()) {
			snprintf(path, sizeof(path), "%s/mbm_L3_assignments", groups[g]);
			EXPECT_EQ(0, wr(path, "mbm_total_bytes:1=e\n"));
		}
		snprintf(path, sizeof(path), "%s/mon_data/mon_L3_01/mbm_total_bytes", groups[g]);
		EXPECT_LE(0, num(path)) TH_LOG("%s", path);
	}
	/* This task, in the root group, runs on CPU 2: the counter moves. */
	before = num(MNT "/mon_data/mon_L3_01/mbm_total_bytes");
	CPU_ZERO(&set);
	CPU_SET(2, &set);
	ASSERT_EQ(0, sched_getaffinity(0, sizeof(old), &old));
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(set), &set));
	for (volatile long i = 0; i < 20000000; i++)
		;
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(old), &old));
	EXPECT_LT(before, num(MNT "/mon_data/mon_L3_01/mbm_total_bytes"));
	/* And the domain goes and comes back as any other. */
	EXPECT_EQ(0, set_online(3, 0));
	EXPECT_EQ(0, set_online(2, 0));
	EXPECT_EQ(0, set_online(2, 1));
	EXPECT_EQ(0, access(MNT "/g/mon_groups/m/mon_data/mon_L3_01", F_OK));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_HARNESS_MAIN
