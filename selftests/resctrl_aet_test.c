// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: package telemetry, the resource PERF_PKG of Linux 7.0, as the
 * loadable Rust driver resctrl_aet.ko reading the emulated aggregators.
 *
 * Upstream's layout: info/PERF_PKG_MON/{num_rmids,mon_features} and in every
 * group mon_data/mon_PERF_PKG_<package>/ with nine events; core_energy and
 * activity in fixed point with six decimals, the rest integers. The
 * emulation counts from the time it charges each RMID in a package: a busy
 * CPU makes 2 core cycles, 1 reference cycle and 3 micro-operations a
 * nanosecond, a fifth and a twentieth of its time stalls on LLC hits and
 * misses, 1.5 W and 2 nF a nanosecond (18 fraction bits), C1/C6 residency 0.
 *
 * QEMU guest: 4 CPUs, packages 0 = CPUs 0-1 and 1 = CPUs 2-3. The emulated
 * Intel part only: the AMD part has no telemetry (resctrl_amd_test).
 * RESCTRL_MODULES names the directory with the modules (the tests skip
 * without it); RESCTRL_AET_CYCLES the load/unload cycles (default 20).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_module.h"
#include "resctrl_perf.h"
#include "resctrl_util.h"

#define AET "resctrl_aet"

static const char *const events[] = {
	"core_energy", "activity", "stalls_llc_hit", "c1_res",
	"unhalted_core_cycles", "stalls_llc_miss", "c6_res",
	"unhalted_ref_cycles", "uops_retired",
};
#define NR_EVENTS (sizeof(events) / sizeof(events[0]))

/* The text of event @evt of @group in package @pkg, into @buf. */
static int evt_text(const char *group, int pkg, const char *evt, char *buf, size_t len)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_data/mon_PERF_PKG_%02d/%s", group, pkg, evt);
	return rd(path, buf, len);
}

/* The integer value of event @evt of @group in package @pkg; -1 if none. */
static long long evt(const char *group, int pkg, const char *evt)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_data/mon_PERF_PKG_%02d/%s", group, pkg, evt);
	return num(path);
}

/* Moves task @pid into @group, through its CTRL_MON group if a MON group. */
static int join(const char *group, pid_t pid)
{
	const char *mon = strstr(group, "/mon_groups/");
	char path[256];

	if (mon) {
		snprintf(path, sizeof(path), "%.*s/tasks", (int)(mon - group), group);
		if (wrf(path, "%d\n", pid))
			return -1;
	}
	snprintf(path, sizeof(path), "%s/tasks", group);
	return wrf(path, "%d\n", pid);
}

/*
 * A task of @group busy on @cpu for @ms milliseconds. It is moved in while
 * it sleeps, so that no time of it is charged to another group (a MON
 * group's task goes through its parent), and once it is gone its last
 * switch has been charged too: the group's counts stand still.
 */
static int spin_in(const char *group, int cpu, int ms)
{
	int go[2], r;
	pid_t p;

	if (pipe(go))
		return -1;
	p = fork();
	if (!p) {
		struct timespec t0, t;
		cpu_set_t set;
		char c;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		do
			clock_gettime(CLOCK_MONOTONIC, &t);
		while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
		_exit(0);
	}
	r = p < 0 || !asleep(p) ? -1 : join(group, p);
	if (p > 0) {
		if (write(go[1], "x", 1) != 1)
			r = -1;
		waitpid(p, NULL, 0);
	}
	close(go[0]);
	close(go[1]);
	/* Its exit's last switch is charged after waitpid() may return. */
	usleep(150 * 1000);
	return r;
}

/* How the emulation shows @ns nanoseconds of a busy CPU at @milli_w
 * thousandths per second, in fixed point with 18 bits and six decimals. */
static void fixed(char *buf, size_t len, unsigned long long ns, unsigned int milli_w)
{
	unsigned long long raw = (unsigned long long)((unsigned __int128)ns * milli_w *
						      (1 << 18) / 1000000000000ULL);
	unsigned long long frac = ((raw & ((1 << 18) - 1)) * 1000000ULL + (1 << 17)) >> 18;

	snprintf(buf, len, "%llu.%06llu\n", raw >> 18, frac);
}

FIXTURE(aet) {
};

FIXTURE_SETUP(aet)
{
	if (!getenv("RESCTRL_MODULES"))
		SKIP(return, "RESCTRL_MODULES not set");
	umount(MNT);
	unload_module(AET);
	all_online();
}

FIXTURE_TEARDOWN(aet)
{
	umount(MNT);
	unload_module(AET);
	all_online();
}

/* Upstream's files: info/PERF_PKG_MON only, the events in every group. */
TEST_F_TIMEOUT(aet, layout, 300)
{
	const char *groups[] = { MNT, MNT "/g", MNT "/g/mon_groups/m", MNT "/mon_groups/n" };
	char feats[512] = "", path[256];

	ASSERT_EQ(0, load_module(AET, ""));
	EXPECT_TRUE(log_has("PERF_PKG energy:0x26696143 monitoring detected"));
	EXPECT_TRUE(log_has("PERF_PKG perf:0x26557651 monitoring detected"));
	EXPECT_EQ(-EEXIST, load_module(AET, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/n", 0755));

	EXPECT_TRUE(is(MNT "/info/PERF_PKG_MON/num_rmids", "576\n"));
	for (unsigned int i = 0; i < NR_EVENTS; i++) {
		strcat(feats, events[i]);
		strcat(feats, "\n");
	}
	EXPECT_TRUE(is(MNT "/info/PERF_PKG_MON/mon_features", feats));
	EXPECT_FALSE(exists(MNT "/info/PERF_PKG"));
	for (unsigned int g = 0; g < 4; g++)
		for (int pkg = 0; pkg < 2; pkg++)
			for (unsigned int i = 0; i < NR_EVENTS; i++) {
				snprintf(path, sizeof(path), "%s/mon_data/mon_PERF_PKG_%02d/%s",
					 groups[g], pkg, events[i]);
				EXPECT_TRUE(exists(path)) TH_LOG("%s", path);
			}
	EXPECT_FALSE(exists(MNT "/mon_data/mon_PERF_PKG_02"));

	/* Unloaded, all of it goes; the groups stay. */
	ASSERT_EQ(0, unload_module(AET));
	EXPECT_FALSE(exists(MNT "/info/PERF_PKG_MON"));
	EXPECT_FALSE(exists(MNT "/g/mon_data/mon_PERF_PKG_00"));
	EXPECT_TRUE(exists(MNT "/g/mon_data/mon_L3_00"));
}

/*
 * The values: a group that ran in package 0 counts there. Once its
 * task is gone its counts stand still, and all come from one run time: the
 * cycles, micro-operations and stalls in their ratios, the energy and
 * activity in fixed point with six decimals, rounded to nearest.
 */
TEST_F_TIMEOUT(aet, values, 300)
{
	long long ref, ref2, core_c, uops;
	char buf[64], want[64];

	ASSERT_EQ(0, load_module(AET, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ref = evt(MNT "/g", 0, "unhalted_ref_cycles");
	if (ref < 0)
		ref = 0;
	ASSERT_EQ(0, spin_in(MNT "/g", 1, 300));
	ref2 = evt(MNT "/g", 0, "unhalted_ref_cycles");
	EXPECT_GT(ref2, ref + 50 * 1000 * 1000);
	/* Standing still: nothing of the group runs. */
	usleep(200 * 1000);
	ref = evt(MNT "/g", 0, "unhalted_ref_cycles");
	EXPECT_EQ(ref2, ref);
	core_c = evt(MNT "/g", 0, "unhalted_core_cycles");
	uops = evt(MNT "/g", 0, "uops_retired");
	EXPECT_EQ(2 * ref, core_c);
	EXPECT_EQ(3 * ref, uops);
	EXPECT_EQ(ref / 5, evt(MNT "/g", 0, "stalls_llc_hit"));
	EXPECT_EQ(ref / 20, evt(MNT "/g", 0, "stalls_llc_miss"));
	EXPECT_EQ(0, evt(MNT "/g", 0, "c1_res"));
	EXPECT_EQ(0, evt(MNT "/g", 0, "c6_res"));
	ASSERT_GT(evt_text(MNT "/g", 0, "core_energy", buf, sizeof(buf)), 0);
	fixed(want, sizeof(want), ref, 1500);
	EXPECT_STREQ(want, buf);
	ASSERT_GT(evt_text(MNT "/g", 0, "activity", buf, sizeof(buf)), 0);
	fixed(want, sizeof(want), ref, 2000);
	EXPECT_STREQ(want, buf);

	/* The CTRL_MON group sums its MON groups. */
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	ref2 = evt(MNT "/g/mon_groups/m", 0, "unhalted_ref_cycles");
	ASSERT_EQ(0, spin_in(MNT "/g/mon_groups/m", 0, 200));
	EXPECT_GT(evt(MNT "/g/mon_groups/m", 0, "unhalted_ref_cycles"), (ref2 > 0 ? ref2 : 0));
	EXPECT_EQ(evt(MNT "/g", 0, "unhalted_ref_cycles"),
		  ref + evt(MNT "/g/mon_groups/m", 0, "unhalted_ref_cycles"));
}

/*
 * perf counts a telemetry event like any driver's: from when it starts,
 * the increase of the file's value (raw units for fixed point).
 */
TEST_F_TIMEOUT(aet, perf_counts, 300)
{
	long long before, after;
	int fd, ev;

	ASSERT_EQ(0, load_module(AET, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	fd = open(MNT "/g/mon_data/mon_PERF_PKG_00/uops_retired", O_RDONLY);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(-EINVAL, open_ev(fd, 0, -1, 2, NULL, -1));
	/* The group ran in package 0: its value there is valid. */
	ASSERT_EQ(0, spin_in(MNT "/g", 1, 50));
	ev = open_ev(fd, 0, -1, 0, NULL, -1);
	ASSERT_GE(ev, 0);
	before = evt(MNT "/g", 0, "uops_retired");
	ASSERT_GT(before, 0);
	EXPECT_EQ(0, count(ev));
	ASSERT_EQ(0, spin_in(MNT "/g", 1, 200));
	after = evt(MNT "/g", 0, "uops_retired");
	EXPECT_GT(after, before);
	EXPECT_EQ(after - before, count(ev));
	/* The driver goes: the event keeps its count. */
	ASSERT_EQ(0, unload_module(AET));
	EXPECT_EQ(after - before, count(ev));
	EXPECT_EQ(0, close(ev));
	EXPECT_EQ(0, close(fd));
}

/*
 * The package's directory follows its CPUs: it goes with the last one and
 * comes back with the first.
 */
TEST_F_TIMEOUT(aet, package_follows_hotplug, 300)
{
	ASSERT_EQ(0, load_module(AET, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_TRUE(exists(MNT "/g/mon_data/mon_PERF_PKG_01/core_energy"));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_FALSE(exists(MNT "/g/mon_data/mon_PERF_PKG_01"));
	EXPECT_TRUE(exists(MNT "/g/mon_data/mon_PERF_PKG_00/core_energy"));
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(exists(MNT "/g/mon_data/mon_PERF_PKG_01/core_energy"));
	EXPECT_TRUE(exists(MNT "/mon_data/mon_PERF_PKG_01/uops_retired"));
}

/* Reads every telemetry file of the mount, and perf events, until killed. */
static void reader(void)
{
	char path[256], buf[64];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		for (int pkg = 0; pkg < 2; pkg++)
			for (unsigned int i = 0; i < NR_EVENTS; i++) {
				int fd, ev;

				snprintf(path, sizeof(path),
					 MNT "/g/mon_data/mon_PERF_PKG_%02d/%s", pkg, events[i]);
				fd = open(path, O_RDONLY);
				if (fd < 0)
					continue;
				ev = open_ev(fd, 0, -1, pkg * 2, NULL, -1);
				if (read(fd, buf, sizeof(buf)) < 0 && errno != ENODEV &&
				    errno != ENOENT)
					_exit(1);
				if (ev >= 0) {
					count(ev);
					close(ev);
				}
				close(fd);
			}
		rd(MNT "/info/PERF_PKG_MON/mon_features", buf, sizeof(buf));
	}
}

/*
 * Load and unload cycles while readers hammer the files and perf events,
 * a task of the group spins and CPU 3 goes offline and online: no kernel
 * report, no leak (the harness checks the logs).
 */
TEST_F_TIMEOUT(aet, load_unload_cycles, 86400)
{
	const char *env = getenv("RESCTRL_AET_CYCLES");
	int cycles = env ? atoi(env) : 20;
	pid_t readers[2], spinner;
	int st;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	spinner = spawn_spinner(1);
	ASSERT_EQ(0, join(MNT "/g", spinner));
	for (int i = 0; i < 2; i++) {
		readers[i] = fork();
		if (!readers[i])
			reader();
	}
	for (int i = 0; i < cycles; i++) {
		ASSERT_EQ(0, load_module(AET, ""));
		usleep(20 * 1000);
		if (i % 4 == 1)
			ASSERT_EQ(0, set_online(3, i % 8 == 1 ? 0 : 1));
		ASSERT_EQ(0, unload_module(AET));
	}
	all_online();
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ(0, waitpid(readers[i], &st, WNOHANG));
		kill(readers[i], SIGKILL);
		waitpid(readers[i], NULL, 0);
	}
	kill(spinner, SIGKILL);
	waitpid(spinner, NULL, 0);
}

TEST_HARNESS_MAIN
