// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: the perf PMU "resctrl" (seed 001). perf_event_open() on a
 * resctrl fd: every rule and errno, counting against the emulated counters
 * (exact), group reads, concurrent perf and file readers, and races with
 * rmdir, CPU hotplug and unmount.
 *
 * QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3.
 * RESCTRL_PERF_CYCLES sets the open/close cycles of the churn test (10000).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_perf.h"
#include "resctrl_util.h"

#define UNIT 64ULL /* bytes per emulated counter unit */

static void sampling(struct perf_event_attr *a) { a->sample_period = 1000; }
static void freq(struct perf_event_attr *a) { a->freq = 1; a->sample_freq = 100; }
static void excl_kernel(struct perf_event_attr *a) { a->exclude_kernel = 1; }
static void excl_idle(struct perf_event_attr *a) { a->exclude_idle = 1; }
static void group_read(struct perf_event_attr *a) { a->read_format = PERF_FORMAT_GROUP; }

FIXTURE(pmu) {};

FIXTURE_SETUP(pmu)
{
	umount(MNT);
	all_online();
	emul_debugfs();
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "0\n"));
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
}

FIXTURE_TEARDOWN(pmu)
{
	umount(MNT);
	all_online();
	wr(EMUL "/decay_ms", "20\n");
}

TEST_F(pmu, sysfs)
{
	ASSERT_LT(0, pmu_type());
	EXPECT_TRUE(is(PMU "/format/fd", "config:0-31\n"));
	EXPECT_TRUE(is(PMU "/format/event", "config1:0-7\n"));
	EXPECT_TRUE(is(PMU "/events/llc_occupancy", "event=0x01\n"));
	EXPECT_TRUE(is(PMU "/events/mbm_total_bytes", "event=0x02\n"));
	EXPECT_TRUE(is(PMU "/events/mbm_local_bytes", "event=0x03\n"));
	/* One CPU per domain, kept current on hotplug. */
	EXPECT_TRUE(is(PMU "/cpumask", "0,2\n"));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_TRUE(is(PMU "/cpumask", "0,3\n"));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_TRUE(is(PMU "/cpumask", "0\n"));
	all_online();
	EXPECT_TRUE(is(PMU "/cpumask", "0,2\n"));
}

TEST_F(pmu, errnos)
{
	int g = open(MNT "/g", O_RDONLY | O_DIRECTORY);
	int f = open(MNT "/g/mon_data/mon_L3_00/mbm_total_bytes", O_RDONLY);
	int tasks = open(MNT "/g/tasks", O_RDONLY);
	int info = open(MNT "/info/L3_MON", O_RDONLY | O_DIRECTORY);
	int status = open(MNT "/info/last_cmd_status", O_RDONLY);
	int md = open(MNT "/g/mon_data", O_RDONLY | O_DIRECTORY);
	int mdd = open(MNT "/g/mon_data/mon_L3_00", O_RDONLY | O_DIRECTORY);
	int proc = open("/proc/self/status", O_RDONLY);
	int ev;

	ASSERT_LE(0, g);
	ASSERT_LE(0, f);
	/* The good cases first. */
	ev = open_ev(g, 2, -1, 0, NULL, -1);
	EXPECT_LE(0, ev);
	close(ev);
	ev = open_ev(f, 0, -1, 1, NULL, -1);
	EXPECT_LE(0, ev);
	close(ev);
	ev = open_ev(f, 2, -1, 1, NULL, -1);
	EXPECT_LE(0, ev);
	close(ev);
	/* Not a group directory or a monitoring file of one: EBADF. */
	EXPECT_EQ(-EBADF, open_ev(tasks, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(info, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(status, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(md, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(mdd, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(proc, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EBADF, open_ev(1000, 2, -1, 0, NULL, -1));
	/* A negative fd, a task, a CPU outside the file's domain: EINVAL. */
	EXPECT_EQ(-EINVAL, open_ev(-1, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(g, 2, 0, -1, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(g, 2, 0, 0, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(f, 0, -1, 2, NULL, -1));
	/* No event, an unknown one, one the file contradicts: EINVAL. */
	EXPECT_EQ(-EINVAL, open_ev(g, 0, -1, 0, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(g, 4, -1, 0, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(f, 1, -1, 0, NULL, -1));
	/* Sampling: EOPNOTSUPP; exclude bits: EINVAL. */
	EXPECT_EQ(-EOPNOTSUPP, open_ev(g, 2, -1, 0, sampling, -1));
	EXPECT_EQ(-EOPNOTSUPP, open_ev(g, 2, -1, 0, freq, -1));
	EXPECT_EQ(-EINVAL, open_ev(g, 2, -1, 0, excl_kernel, -1));
	EXPECT_EQ(-EINVAL, open_ev(g, 2, -1, 0, excl_idle, -1));
	/* A group that is gone: ENOENT. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	ASSERT_EQ(0, rmdir(MNT "/g"));
	EXPECT_EQ(-ENOENT, open_ev(g, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-ENOENT, open_ev(f, 0, -1, 0, NULL, -1));
	close(g);
	close(f);
	close(tasks);
	close(info);
	close(status);
	close(md);
	close(mdd);
	close(proc);
	/* The default group is the root directory. */
	g = open(MNT, O_RDONLY | O_DIRECTORY);
	ev = open_ev(g, 1, -1, 2, NULL, -1);
	EXPECT_LE(0, ev);
	close(ev);
	close(g);
}

TEST_F(pmu, counts_exactly)
{
	int rg = rmid_of(MNT "/g"), rm = rmid_of(MNT "/g/mon_groups/m"), rn;
	int g = open(MNT "/g", O_RDONLY | O_DIRECTORY);
	int occ = open(MNT "/g/mon_groups/m/mon_data/mon_L3_01/llc_occupancy", O_RDONLY);
	int ev, evo;

	ASSERT_LE(0, g);
	ASSERT_EQ(0, emul_set(0, rg, 2, 1000));
	ASSERT_EQ(0, emul_set(0, rm, 2, 2000));
	ev = open_ev(g, 2, -1, 1, NULL, -1);
	ASSERT_LE(0, ev);
	/* From when it is enabled: nothing yet. */
	EXPECT_EQ(0, count(ev));
	ASSERT_EQ(0, emul_set(0, rg, 2, 1100));
	ASSERT_EQ(0, emul_set(0, rm, 2, 2050));
	EXPECT_EQ(150 * UNIT, count(ev));
	/* Only while enabled. */
	ASSERT_EQ(0, ioctl(ev, PERF_EVENT_IOC_DISABLE, 0));
	ASSERT_EQ(0, emul_set(0, rg, 2, 1500));
	ASSERT_EQ(0, ioctl(ev, PERF_EVENT_IOC_ENABLE, 0));
	EXPECT_EQ(150 * UNIT, count(ev));
	ASSERT_EQ(0, emul_set(0, rg, 2, 1510));
	EXPECT_EQ(160 * UNIT, count(ev));
	/* A MON group made while it runs counts from its creation... */
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/n", 0755));
	rn = rmid_of(MNT "/g/mon_groups/n");
	ASSERT_EQ(0, emul_set(0, rn, 2, 40));
	EXPECT_EQ(200 * UNIT, count(ev));
	/* ...and one removed takes nothing back. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	EXPECT_EQ(200 * UNIT, count(ev));
	ASSERT_EQ(0, emul_set(0, rg, 2, 1520));
	EXPECT_EQ(210 * UNIT, count(ev));
	/* The file reads the same accounting: g's 1520 units and n's 40. */
	EXPECT_EQ((1520 + 40) * UNIT,
		  (unsigned long long)num(MNT "/g/mon_data/mon_L3_00/mbm_total_bytes"));
	/* Occupancy is a level, from a file fd that names its domain. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/n"));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	close(occ);
	occ = open(MNT "/g/mon_groups/m/mon_data/mon_L3_01/llc_occupancy", O_RDONLY);
	rm = rmid_of(MNT "/g/mon_groups/m");
	ASSERT_EQ(0, emul_set(1, rm, 1, 77));
	evo = open_ev(occ, 0, -1, 3, NULL, -1);
	ASSERT_LE(0, evo);
	EXPECT_EQ(77 * UNIT, count(evo));
	ASSERT_EQ(0, emul_set(1, rm, 1, 5));
	EXPECT_EQ(5 * UNIT, count(evo));
	close(evo);
	close(ev);
	close(occ);
	close(g);
}

TEST_F(pmu, last_value_after_rmdir_offline_unmount)
{
	int rg = rmid_of(MNT "/g");
	int g = open(MNT "/g", O_RDONLY | O_DIRECTORY);
	int ev0, ev1;

	ASSERT_EQ(0, emul_set(0, rg, 2, 100));
	ASSERT_EQ(0, emul_set(1, rg, 2, 100));
	ev0 = open_ev(g, 2, -1, 0, NULL, -1);
	ev1 = open_ev(g, 2, -1, 2, NULL, -1);
	ASSERT_LE(0, ev0);
	ASSERT_LE(0, ev1);
	ASSERT_EQ(0, emul_set(0, rg, 2, 110));
	ASSERT_EQ(0, emul_set(1, rg, 2, 120));
	EXPECT_EQ(10 * UNIT, count(ev0));
	EXPECT_EQ(20 * UNIT, count(ev1));
	/*
	 * Domain 1 goes CPU by CPU: the event moves from CPU 2 to CPU 3 and
	 * counts on; once the domain is gone it keeps its value, also once the
	 * domain is back.
	 */
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_EQ(20 * UNIT, count(ev1));
	ASSERT_EQ(0, emul_set(1, rg, 2, 130));
	EXPECT_EQ(30 * UNIT, count(ev1));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_EQ(30 * UNIT, count(ev1));
	all_online();
	ASSERT_EQ(0, emul_set(1, rg, 2, 500));
	EXPECT_EQ(30 * UNIT, count(ev1));
	/* The group goes: the same. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	ASSERT_EQ(0, rmdir(MNT "/g"));
	ASSERT_EQ(0, emul_set(0, rg, 2, 900));
	EXPECT_EQ(10 * UNIT, count(ev0));
	close(ev0);
	close(ev1);
	close(g);
	/*
	 * Unmounted with an event open on the default group (RMID 0, which
	 * this test runs with, so it counts), then mounted again.
	 */
	g = open(MNT, O_RDONLY | O_DIRECTORY);
	ev0 = open_ev(g, 2, -1, 0, NULL, -1);
	ASSERT_LE(0, ev0);
	close(g);
	{
		long long v = count(ev0);

		EXPECT_LE(0, v);
		ASSERT_EQ(0, umount(MNT));
		v = count(ev0);
		usleep(10000);
		EXPECT_EQ(v, count(ev0));
		ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
		EXPECT_EQ(v, count(ev0));
	}
	close(ev0);
}

TEST_F(pmu, group_read_with_cpu_clock)
{
	struct perf_event_attr a = { 0 };
	int g = open(MNT "/g", O_RDONLY | O_DIRECTORY);
	int rg = rmid_of(MNT "/g"), lead, ev;
	unsigned long long v[3];

	a.size = sizeof(a);
	a.type = PERF_TYPE_SOFTWARE;
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	a.read_format = PERF_FORMAT_GROUP;
	lead = syscall(SYS_perf_event_open, &a, -1, 0, -1, 0);
	ASSERT_LE(0, lead);
	ev = open_ev(g, 2, -1, 0, group_read, lead);
	ASSERT_LE(0, ev);
	ASSERT_EQ(0, emul_set(0, rg, 2, 33));
	ASSERT_EQ(sizeof(v), read(lead, v, sizeof(v)));
	EXPECT_EQ(2, v[0]);
	EXPECT_LT(0, v[1]);
	EXPECT_EQ(33 * UNIT, v[2]);
	close(ev);
	close(lead);
	close(g);
}

/* A perf reader and a file reader on one counter leave both totals right. */
TEST_F_TIMEOUT(pmu, perf_and_file_readers, 300)
{
	int rm = rmid_of(MNT "/g/mon_groups/m");
	int fd = open(MNT "/g/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes", O_RDONLY);
	unsigned long long units = 0;
	pid_t kid;
	int ev;

	ASSERT_LE(0, fd);
	ev = open_ev(fd, 0, -1, 0, NULL, -1);
	ASSERT_LE(0, ev);
	kid = fork();
	if (!kid) {
		char buf[64];

		for (;;)
			pread(fd, buf, sizeof(buf), 0);
	}
	for (int i = 0; i < 2000; i++) {
		units += 1000;
		ASSERT_EQ(0, emul_set(0, rm, 2, units));
		ASSERT_EQ(units * UNIT, (unsigned long long)count(ev));
	}
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	EXPECT_EQ(units * UNIT, (unsigned long long)num(
		  MNT "/g/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes"));
	close(ev);
	close(fd);
}

/* Races: reads while groups go, domains go and come, and churn. */
TEST_F_TIMEOUT(pmu, races, 900)
{
	const char *env = getenv("RESCTRL_PERF_CYCLES");
	int cycles = env ? atoi(env) : 10000;
	int g = open(MNT "/g", O_RDONLY | O_DIRECTORY), ev[4];
	pid_t kid;

	ASSERT_LE(0, g);
	for (int c = 0; c < 4; c++) {
		ev[c] = open_ev(g, 2 + (c & 1), -1, c, NULL, -1);
		ASSERT_LE(0, ev[c]);
	}
	/* A reader of all four while CPUs 1-3 go and come. */
	kid = fork();
	if (!kid) {
		for (;;)
			for (int c = 0; c < 4; c++)
				count(ev[c]);
	}
	for (int i = 0; i < 20; i++) {
		int c = 1 + i % 3;

		ASSERT_EQ(0, set_online(c, 0));
		ASSERT_EQ(0, set_online(c, 1));
	}
	/* The group goes while they are read. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	ASSERT_EQ(0, rmdir(MNT "/g"));
	usleep(100000);
	kill(kid, SIGKILL);
	waitpid(kid, NULL, 0);
	for (int c = 0; c < 4; c++)
		close(ev[c]);
	close(g);
	/* Open and close events on files of groups made and removed. */
	for (int i = 0; i < cycles; i++) {
		char path[128];
		int f, e;

		if (i % 100 == 0) {
			rmdir(MNT "/h/mon_groups/x");
			rmdir(MNT "/h");
			ASSERT_EQ(0, mkdir(MNT "/h", 0755));
			ASSERT_EQ(0, mkdir(MNT "/h/mon_groups/x", 0755));
		}
		snprintf(path, sizeof(path), MNT "/h/%smon_data/mon_L3_0%d/mbm_total_bytes",
			 i & 1 ? "mon_groups/x/" : "", (i >> 1) & 1);
		f = open(path, O_RDONLY);
		ASSERT_LE(0, f);
		e = open_ev(f, 0, -1, (i >> 1) & 1 ? 2 : 0, NULL, -1);
		ASSERT_LE(0, e);
		count(e);
		if (i % 100 == 99)
			rmdir(MNT "/h/mon_groups/x");
		count(e);
		close(f);
		close(e);
	}
	ksft_print_msg("%d open/close cycles\n", cycles);
}

TEST_HARNESS_MAIN
