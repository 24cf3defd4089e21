// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: loadable resctrl drivers (seeds 003, 004), with the C sample
 * driver resctrl_sample_c.ko: a package-scoped resource CPKG with the event
 * rmid_tag (RMID * 1000 + package id), a file sample_c_ids in CTRL_MON
 * groups and info/CPKG/sample_c_state ("groups=G domains=D", what the
 * driver heard of).
 *
 * The Rust sample driver resctrl_sample_rust.ko (kernel::resctrl) adds a
 * package-scoped resource PKG with the event pkg_bytes, whose per-RMID
 * values info/PKG/pkg_values sets ("RMID VALUE"), and pkg_weight (1-100)
 * in CTRL_MON groups.
 *
 * QEMU guest: 4 CPUs, packages 0 = CPUs 0-1 and 1 = CPUs 2-3.
 *
 * RESCTRL_MODULES names the directory holding the sample modules (the
 * tests skip without it); RESCTRL_DRIVER_CYCLES the load/unload cycles of
 * the cycles test (default 30).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_module.h"
#include "resctrl_perf.h"
#include "resctrl_util.h"

#define SAMPLE_C "resctrl_sample_c"
#define SAMPLE_RUST "resctrl_sample_rust"

/* The value of event file @fmt...; -1 if unreadable. */
static long long val(const char *group, int dom)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_data/mon_CPKG_%02d/rmid_tag", group, dom);
	return num(path);
}

static int has_cpkg(const char *group, int dom)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_data/mon_CPKG_%02d/rmid_tag", group, dom);
	return exists(path);
}

static int state_is(int groups, int domains)
{
	char want[64];

	snprintf(want, sizeof(want), "groups=%d domains=%d\n", groups, domains);
	return is(MNT "/info/CPKG/sample_c_state", want);
}

FIXTURE(drv) {
};

FIXTURE_SETUP(drv)
{
	if (!getenv("RESCTRL_MODULES"))
		SKIP(return, "RESCTRL_MODULES not set");
	umount(MNT);
	unload_module(SAMPLE_C);
	unload_module(SAMPLE_RUST);
	all_online();
}

FIXTURE_TEARDOWN(drv)
{
	umount(MNT);
	unload_module(SAMPLE_C);
	unload_module(SAMPLE_RUST);
	all_online();
}

static long long pkg(const char *group, int dom)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/mon_data/mon_PKG_%02d/pkg_bytes", group, dom);
	return num(path);
}

/* The Rust sample: its event, its info/ and group files, their checks. */
TEST_F_TIMEOUT(drv, rust_sample, 300)
{
	char buf[128];
	int rg, rm, fd;

	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	EXPECT_TRUE(log_has("driver sample_rust registered"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	rg = rmid_of(MNT "/g");
	rm = rmid_of(MNT "/g/mon_groups/m");
	EXPECT_TRUE(is(MNT "/pkg_weight", "50\n"));
	EXPECT_TRUE(is(MNT "/g/pkg_weight", "50\n"));
	EXPECT_FALSE(exists(MNT "/g/mon_groups/m/pkg_weight"));
	EXPECT_EQ(0, pkg(MNT "/g", 0));

	/* The control file checks what it takes. */
	EXPECT_EQ(0, wr(MNT "/g/pkg_weight", "70\n"));
	EXPECT_TRUE(is(MNT "/g/pkg_weight", "70\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/pkg_weight", "50\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/pkg_weight", "0\n"));
	EXPECT_STREQ("pkg_weight: must be 1 to 100\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/pkg_weight", "abc"));
	EXPECT_STREQ("pkg_weight: must be 1 to 100\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/pkg_weight", "70\n"));

	/* The event shows the values set, summed over a group's RMIDs. */
	EXPECT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 1234\n", rg));
	EXPECT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 100\n", rm));
	for (int d = 0; d < 2; d++) {
		EXPECT_EQ(1334, pkg(MNT "/g", d));
		EXPECT_EQ(100, pkg(MNT "/g/mon_groups/m", d));
		EXPECT_EQ(0, pkg(MNT, d));
	}
	snprintf(buf, sizeof(buf), "%d=%d\n%d=%d\n", rg < rm ? rg : rm,
		 rg < rm ? 1234 : 100, rg < rm ? rm : rg, rg < rm ? 100 : 1234);
	EXPECT_TRUE(is(MNT "/info/PKG/pkg_values", buf));
	EXPECT_EQ(-EINVAL, wr(MNT "/info/PKG/pkg_values", "99999 1\n"));
	EXPECT_STREQ("pkg_values: RMID 99999 out of range\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/info/PKG/pkg_values", "x\n"));
	EXPECT_STREQ("pkg_values: want \"RMID VALUE\"\n", last_cmd());

	/* Its domains follow hotplug too. */
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_EQ(-1, pkg(MNT "/g", 1));
	ASSERT_EQ(0, set_online(2, 1));
	EXPECT_EQ(1334, pkg(MNT "/g", 1));

	/* With the C sample beside it; unloading it leaves the other be. */
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(has_cpkg(MNT "/g", 0));
	fd = open(MNT "/g/pkg_weight", O_RDWR);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, unload_module(SAMPLE_RUST));
	EXPECT_EQ(-1, write(fd, "60\n", 3));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(0, close(fd));
	EXPECT_FALSE(exists(MNT "/info/PKG"));
	EXPECT_EQ(-1, pkg(MNT "/g", 0));
	EXPECT_EQ(rg * 1000 + rm * 1000, val(MNT "/g", 0));
	/* A new instance starts afresh. */
	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	EXPECT_TRUE(is(MNT "/g/pkg_weight", "50\n"));
	EXPECT_EQ(0, pkg(MNT "/g", 0));
}

static void sampling(struct perf_event_attr *a) { a->sample_period = 1000; }

/*
 * perf counts drivers' events from their mon_data files: a count from its
 * start, never backwards, MON groups joining and leaving; a level as it is.
 * With the drivers gone, the events keep their last value.
 */
TEST_F_TIMEOUT(drv, perf_counts_driver_events, 300)
{
	int rg, rm, rn, fdc, fdl, evc, evl;
	long long lvl;

	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	rg = rmid_of(MNT "/g");
	rm = rmid_of(MNT "/g/mon_groups/m");
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 1000\n", rg));
	fdc = open(MNT "/g/mon_data/mon_PKG_00/pkg_bytes", O_RDONLY);
	fdl = open(MNT "/g/mon_data/mon_CPKG_01/rmid_tag", O_RDONLY);
	ASSERT_GE(fdc, 0);
	ASSERT_GE(fdl, 0);

	/* CPU-bound in the file's domain; the file names the event. */
	EXPECT_EQ(-EINVAL, open_ev(fdc, 0, -1, 2, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(fdc, 2, -1, 0, NULL, -1));
	EXPECT_EQ(-EINVAL, open_ev(fdc, 0, getpid(), -1, NULL, -1));
	EXPECT_EQ(-EOPNOTSUPP, open_ev(fdc, 0, -1, 0, sampling, -1));
	EXPECT_EQ(-EINVAL, open_ev(fdl, 0, -1, 1, NULL, -1));

	evc = open_ev(fdc, 0, -1, 1, NULL, -1);
	ASSERT_GE(evc, 0);
	EXPECT_EQ(0, count(evc));
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 1500\n", rg));
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 300\n", rm));
	EXPECT_EQ(800, count(evc));
	/* A MON group made while counting counts from when perf sees it. */
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/n", 0755));
	rn = rmid_of(MNT "/g/mon_groups/n");
	EXPECT_EQ(800, count(evc));
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 700\n", rn));
	EXPECT_EQ(1500, count(evc));
	/* Never backwards: a value set lower counts nothing, and a MON group
	 * that goes takes nothing along. */
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 100\n", rg));
	EXPECT_EQ(1500, count(evc));
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 200\n", rg));
	EXPECT_EQ(1600, count(evc));
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/n"));
	EXPECT_EQ(1600, count(evc));
	/* The file reader is not disturbed. */
	EXPECT_EQ(200 + 300, pkg(MNT "/g", 0));

	/* A level, the C sample's, in package 1: the sum now. */
	evl = open_ev(fdl, 0, -1, 3, NULL, -1);
	ASSERT_GE(evl, 0);
	lvl = (long long)rg * 1000 + 1 + (long long)rm * 1000 + 1;
	EXPECT_EQ(lvl, count(evl));

	/* The drivers go: their events keep their last value, and their
	 * files name nothing any more. */
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 900\n", rg));
	ASSERT_EQ(0, unload_module(SAMPLE_RUST));
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	EXPECT_EQ(1600, count(evc));
	EXPECT_EQ(lvl, count(evl));
	EXPECT_EQ(-ENOENT, open_ev(fdc, 0, -1, 0, NULL, -1));
	EXPECT_EQ(0, close(evc));
	EXPECT_EQ(0, close(evl));
	EXPECT_EQ(0, close(fdc));
	EXPECT_EQ(0, close(fdl));
	/* A new instance's event counts afresh. */
	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	fdc = open(MNT "/g/mon_data/mon_PKG_01/pkg_bytes", O_RDONLY);
	ASSERT_GE(fdc, 0);
	evc = open_ev(fdc, 0, -1, 2, NULL, -1);
	ASSERT_GE(evc, 0);
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 42\n", rg));
	EXPECT_EQ(42, count(evc));
	/* Unmounted, the event keeps its value too. */
	EXPECT_EQ(0, close(fdc));
	ASSERT_EQ(0, umount(MNT));
	EXPECT_EQ(42, count(evc));
	EXPECT_EQ(0, close(evc));
}

#define PERF_OUT "/tmp/resctrl_driver_perf.out"

/*
 * Runs the stock "perf stat -e resctrl/fd=3/ -C @cpu" with fd 3 on @file,
 * around "sh -c @cmd"; returns the count it printed, or -1.
 */
static long long perf_stat(const char *file, int cpu, const char *cmd)
{
	char cpus[16], line[512];
	long long v = -1;
	int st;
	FILE *f;
	pid_t pid;

	snprintf(cpus, sizeof(cpus), "%d", cpu);
	pid = fork();
	if (!pid) {
		int fd = open(file, O_RDONLY), null = open("/dev/null", O_WRONLY);

		if (fd < 0 || null < 0 || dup2(fd, 3) < 0 || dup2(null, 1) < 0)
			_exit(126);
		execlp("perf", "perf", "stat", "-x,", "-o", PERF_OUT, "-e",
		       "resctrl/fd=3/", "-C", cpus, "--", "sh", "-c", cmd, NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return -1;
	f = fopen(PERF_OUT, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "resctrl/fd=3/") && line[0] >= '0' && line[0] <= '9')
			v = atoll(line);
	fclose(f);
	return v;
}

/* The stock perf tool counts the Rust sample's event while a command sets
 * it, and the count agrees with the file's delta. */
TEST_F_TIMEOUT(drv, perf_stat_counts_a_driver_event, 600)
{
	char cmd[256];
	int rg;

	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	rg = rmid_of(MNT "/g");
	ASSERT_EQ(0, wrf(MNT "/info/PKG/pkg_values", "%d 1000\n", rg));
	snprintf(cmd, sizeof(cmd), "echo '%d 5096' >" MNT "/info/PKG/pkg_values", rg);
	EXPECT_EQ(4096, perf_stat(MNT "/g/mon_data/mon_PKG_00/pkg_bytes", 0, cmd));
	EXPECT_EQ(5096, pkg(MNT "/g", 0));
	snprintf(cmd, sizeof(cmd), "echo '%d 6000' >" MNT "/info/PKG/pkg_values", rg);
	EXPECT_EQ(904, perf_stat(MNT "/g/mon_data/mon_PKG_01/pkg_bytes", 3, cmd));
	EXPECT_EQ(6000, pkg(MNT "/g", 1));
}

/*
 * Load, mount, the driver's files and event in every group; unload while
 * they are open (ENODEV, release once), reload; the callbacks stay balanced.
 */
TEST_F_TIMEOUT(drv, load_mount_unload_reload, 300)
{
	static const char *groups[] = { MNT, MNT "/g", MNT "/g/mon_groups/m",
					MNT "/mon_groups/r" };
	int fd_ids, fd_evt, fd_state, rg, rm, rr;
	char buf[128];

	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(log_has("driver sample_c registered"));
	ASSERT_EQ(-EEXIST, load_module(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/r", 0755));
	rg = rmid_of(MNT "/g");
	rm = rmid_of(MNT "/g/mon_groups/m");
	rr = rmid_of(MNT "/mon_groups/r");
	for (int d = 0; d < 2; d++) {
		for (int i = 0; i < 4; i++)
			EXPECT_TRUE(has_cpkg(groups[i], d));
		/* A CTRL_MON group sums its MON groups' RMIDs, as for L3. */
		EXPECT_EQ(0 * 1000 + d + rr * 1000 + d, val(MNT, d));
		EXPECT_EQ(rg * 1000 + d + rm * 1000 + d, val(MNT "/g", d));
		EXPECT_EQ(rm * 1000 + d, val(MNT "/g/mon_groups/m", d));
		EXPECT_EQ(rr * 1000 + d, val(MNT "/mon_groups/r", d));
	}
	EXPECT_TRUE(is(MNT "/sample_c_ids", "closid=0 rmid=0\n"));
	snprintf(buf, sizeof(buf), "closid=%lld rmid=%d\n", num(MNT "/g/ctrl_hw_id"), rg);
	EXPECT_TRUE(is(MNT "/g/sample_c_ids", buf));
	EXPECT_FALSE(exists(MNT "/g/mon_groups/m/sample_c_ids"));
	EXPECT_FALSE(exists(MNT "/mon_groups/r/sample_c_ids"));
	EXPECT_TRUE(state_is(4, 2));
	EXPECT_EQ(-EACCES, wr(MNT "/g/sample_c_ids", "1\n"));
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/r"));
	EXPECT_TRUE(state_is(3, 2));

	/* Unload with its files open: they fail with ENODEV, then close. */
	fd_ids = open(MNT "/g/sample_c_ids", O_RDONLY);
	fd_evt = open(MNT "/g/mon_data/mon_CPKG_01/rmid_tag", O_RDONLY);
	fd_state = open(MNT "/info/CPKG/sample_c_state", O_RDONLY);
	ASSERT_GE(fd_ids, 0);
	ASSERT_GE(fd_evt, 0);
	ASSERT_GE(fd_state, 0);
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	EXPECT_TRUE(log_has("driver sample_c unregistered"));
	for (int i = 0; i < 3; i++) {
		int fd = i == 0 ? fd_ids : i == 1 ? fd_evt : fd_state;

		EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
		EXPECT_EQ(ENODEV, errno);
		EXPECT_EQ(0, close(fd));
	}
	EXPECT_FALSE(exists(MNT "/g/sample_c_ids"));
	EXPECT_FALSE(exists(MNT "/info/CPKG"));
	EXPECT_FALSE(has_cpkg(MNT "/g/mon_groups/m", 0));
	EXPECT_FALSE(has_cpkg(MNT, 1));
	/* The core goes on without it. */
	EXPECT_EQ(0, mkdir(MNT "/h", 0755));
	EXPECT_FALSE(exists(MNT "/h/sample_c_ids"));

	/* Reload: back in every group, hearing of each once. */
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(4, 2));
	EXPECT_TRUE(exists(MNT "/h/sample_c_ids"));
	EXPECT_EQ(rm * 1000 + 1, val(MNT "/g/mon_groups/m", 1));
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(state_is(1, 2));
	EXPECT_TRUE(has_cpkg(MNT, 0));
}

/*
 * A module that goes without unregistering its driver (forget=1): the core
 * unregisters it as the module goes, calls none of its callbacks, and its
 * open files and perf events behave as after a normal unregistration.
 */
TEST_F_TIMEOUT(drv, forgotten_registration_is_dropped, 300)
{
	char buf[128];
	int fd, fe, ev;
	long long v;

	ASSERT_EQ(0, load_module(SAMPLE_C, "forget=1"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	fd = open(MNT "/g/sample_c_ids", O_RDONLY);
	fe = open(MNT "/g/mon_data/mon_CPKG_00/rmid_tag", O_RDONLY);
	ASSERT_GE(fd, 0);
	ASSERT_GE(fe, 0);
	ev = open_ev(fe, 0, -1, 0, NULL, -1);
	ASSERT_GE(ev, 0);
	v = count(ev);
	EXPECT_EQ(val(MNT "/g", 0), v);
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	EXPECT_TRUE(log_has("driver sample_c: its module went without unregistering it; unregistered"));
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(v, count(ev));
	EXPECT_FALSE(exists(MNT "/g/sample_c_ids"));
	EXPECT_FALSE(exists(MNT "/info/CPKG"));
	EXPECT_EQ(0, close(ev));
	EXPECT_EQ(0, close(fe));
	EXPECT_EQ(0, close(fd));
	/* Loaded again, it registers afresh. */
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(2, 2));
}

/* A driver that arrives while mounted shows in every group at once. */
TEST_F_TIMEOUT(drv, register_while_mounted, 300)
{
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	EXPECT_FALSE(exists(MNT "/info/CPKG"));
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(3, 2));
	EXPECT_TRUE(exists(MNT "/sample_c_ids"));
	EXPECT_TRUE(exists(MNT "/g/sample_c_ids"));
	for (int d = 0; d < 2; d++) {
		EXPECT_TRUE(has_cpkg(MNT, d));
		EXPECT_TRUE(has_cpkg(MNT "/g", d));
		EXPECT_TRUE(has_cpkg(MNT "/g/mon_groups/m", d));
	}
	ASSERT_EQ(0, mkdir(MNT "/h", 0755));
	EXPECT_TRUE(exists(MNT "/h/sample_c_ids"));
	EXPECT_TRUE(has_cpkg(MNT "/h", 1));
	EXPECT_TRUE(state_is(4, 2));
	ASSERT_EQ(0, rmdir(MNT "/g"));
	EXPECT_TRUE(state_is(2, 2));
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	EXPECT_FALSE(exists(MNT "/h/sample_c_ids"));
	EXPECT_FALSE(has_cpkg(MNT "/h", 0));
	EXPECT_TRUE(exists(MNT "/h/mon_data/mon_L3_00/llc_occupancy"));
}

/* The driver's package domains follow CPU hotplug, mounted or not. */
TEST_F_TIMEOUT(drv, package_domains_follow_hotplug, 300)
{
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_TRUE(has_cpkg(MNT "/g", 1));
	EXPECT_TRUE(state_is(2, 2));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_FALSE(has_cpkg(MNT "/g", 1));
	EXPECT_FALSE(has_cpkg(MNT, 1));
	EXPECT_TRUE(has_cpkg(MNT "/g", 0));
	EXPECT_TRUE(state_is(2, 1));
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(has_cpkg(MNT "/g", 1));
	EXPECT_TRUE(state_is(2, 2));
	EXPECT_EQ(1, val(MNT, 1));
	/* Unmounted, the list is kept all the same. */
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_FALSE(has_cpkg(MNT, 1));
	EXPECT_TRUE(state_is(1, 1));
	ASSERT_EQ(0, set_online(2, 1));
	EXPECT_TRUE(has_cpkg(MNT, 1));
	EXPECT_TRUE(state_is(1, 2));
	/* A driver that arrives with a package offline sees one domain. */
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(state_is(1, 1));
	EXPECT_FALSE(has_cpkg(MNT, 1));
}

/* A driver that programs a core resource: refused while a mount shows it,
 * else the resource is left out of the next mount. */
TEST_F_TIMEOUT(drv, conflicts, 300)
{
	char buf[512];

	ASSERT_EQ(-EINVAL, load_module(SAMPLE_C, "conflicts=XX"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_TRUE(exists(MNT "/info/L3"));
	ASSERT_EQ(-EBUSY, load_module(SAMPLE_C, "conflicts=L3"));
	EXPECT_TRUE(log_has("driver sample_c: refused, a mount shows resource L3"));
	ASSERT_EQ(0, umount(MNT));

	ASSERT_EQ(0, load_module(SAMPLE_C, "conflicts=L3"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_FALSE(exists(MNT "/info/L3"));
	EXPECT_TRUE(exists(MNT "/info/MB"));
	EXPECT_TRUE(exists(MNT "/info/CPKG/sample_c_state"));
	ASSERT_GT(rd(MNT "/schemata", buf, sizeof(buf)), 0);
	EXPECT_EQ(NULL, strstr(buf, "L3:"));
	EXPECT_NE(NULL, strstr(buf, "MB:"));
	EXPECT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_GT(rd(MNT "/g/schemata", buf, sizeof(buf)), 0);
	EXPECT_EQ(NULL, strstr(buf, "L3:"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L3:0=f\n"));
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(exists(MNT "/info/L3"));
}

/*
 * A driver's group file may not take a name the core uses in a group's
 * directory (EINVAL), nor one another driver's group file has (EEXIST):
 * either would make every mount or mkdir fail.
 */
TEST_F_TIMEOUT(drv, file_names_checked, 300)
{
	static const char *core[] = {
		"tasks", "cpus", "cpus_list", "schemata", "mode", "size",
		"ctrl_hw_id", "mon_hw_id", "mon_groups", "mon_data", "info",
	};
	char p[64];

	for (unsigned int i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		snprintf(p, sizeof(p), "ids_file=%s", core[i]);
		EXPECT_EQ(-EINVAL, load_module(SAMPLE_C, p));
	}
	ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
	EXPECT_EQ(-EEXIST, load_module(SAMPLE_C, "ids_file=pkg_weight"));
	ASSERT_EQ(0, load_module(SAMPLE_C, "ids_file=c_ids"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(exists(MNT "/g/c_ids"));
	EXPECT_TRUE(exists(MNT "/g/pkg_weight"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

/*
 * A driver's resource with fewer RMIDs than the core's (the C sample with
 * num_rmids=8): info/CPKG_MON/ shows its count and its events; while it is
 * registered no group gets RMID 8 or above ("Out of RMIDs", as upstream
 * limits groups by the smaller num_rmids); it cannot register while a
 * group has one. Without a count, info/CPKG_MON/num_rmids is the core's.
 */
TEST_F_TIMEOUT(drv, resource_num_rmids, 300)
{
	char core[32], p[64];
	int made = 0, err = 0;

	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_GT(rd(MNT "/info/L3_MON/num_rmids", core, sizeof(core)), 0);
	EXPECT_TRUE(is(MNT "/info/CPKG_MON/num_rmids", core));
	EXPECT_TRUE(is(MNT "/info/CPKG_MON/mon_features", "rmid_tag\n"));
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	EXPECT_FALSE(exists(MNT "/info/CPKG_MON"));

	/* MON groups (no CLOSID needed) until one has an RMID of 8 or above: refused. */
	for (int i = 0; i < 12 && made < 12; i++) {
		snprintf(p, sizeof(p), MNT "/mon_groups/m%d", i);
		ASSERT_EQ(0, mkdir(p, 0755));
		made++;
		if (rmid_of(p) >= 8)
			break;
	}
	EXPECT_EQ(-EBUSY, load_module(SAMPLE_C, "num_rmids=8"));
	EXPECT_TRUE(log_has("driver sample_c: refused, a group has an RMID at or above its 8 RMIDs"));
	for (int i = 0; i < made; i++) {
		snprintf(p, sizeof(p), MNT "/mon_groups/m%d", i);
		ASSERT_EQ(0, rmdir(p));
	}
	EXPECT_EQ(-EINVAL, load_module(SAMPLE_C, "num_rmids=1025"));
	ASSERT_EQ(0, load_module(SAMPLE_C, "num_rmids=8"));
	EXPECT_TRUE(is(MNT "/info/CPKG_MON/num_rmids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/num_rmids", core));

	/* At most RMIDs 1 to 7: the rest are refused, or wait in limbo. */
	made = 0;
	for (int i = 0; i < 12; i++) {
		snprintf(p, sizeof(p), MNT "/mon_groups/m%d", i);
		if (mkdir(p, 0755)) {
			err = errno;
			break;
		}
		made++;
		EXPECT_LT(rmid_of(p), 8);
	}
	EXPECT_LE(made, 7);
	EXPECT_TRUE(err == ENOSPC || err == EBUSY);
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Out of RMIDs\n"));

	/* Without the driver, groups take RMIDs beyond again. */
	ASSERT_EQ(0, unload_module(SAMPLE_C));
	for (int i = made; i < 12; i++) {
		snprintf(p, sizeof(p), MNT "/mon_groups/m%d", i);
		ASSERT_EQ(0, mkdir(p, 0755));
	}
	for (int i = 0; i < 12; i++) {
		snprintf(p, sizeof(p), MNT "/mon_groups/m%d", i);
		EXPECT_EQ(0, rmdir(p));
	}
}

/*
 * An event in fixed point (the C sample with frac_bits=4): its file shows
 * the value in decimal, two places for four bits, rounded to nearest, as
 * upstream shows its telemetry; more than 27 bits are refused.
 */
TEST_F_TIMEOUT(drv, fixed_point_event, 300)
{
	char want[32];
	int r;

	EXPECT_EQ(-EINVAL, load_module(SAMPLE_C, "frac_bits=28"));
	ASSERT_EQ(0, load_module(SAMPLE_C, "frac_bits=4"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	r = rmid_of(MNT "/g");
	ASSERT_GT(r, 0);
	/* rmid_tag of package 1 is RMID * 1000 + 1, in sixteenths. */
	snprintf(want, sizeof(want), "%d.%02d\n", (r * 1000 + 1) / 16,
		 (((r * 1000 + 1) % 16) * 100 + 8) / 16);
	EXPECT_TRUE(is(MNT "/g/mon_data/mon_CPKG_01/rmid_tag", want));
}

/*
 * Load and unload cycles of both samples while a reader loop hammers their
 * files, and perf events on their event files on every CPU, groups are made
 * and removed, and domain 1's CPUs go offline and online, all at once: no
 * kernel report (the C sample WARNs on any callback the header forbids),
 * no leak.
 */
/* The harness' limit is for the soak (scripts/soak.sh); test.sh's own per
 * program limit holds the short run. */
TEST_F_TIMEOUT(drv, load_unload_cycles, 86400)
{
	const char *env = getenv("RESCTRL_DRIVER_CYCLES");
	int cycles = env ? atoi(env) : 30;
	pid_t reader, maker, hotplug;
	char buf[128];
	int status;

	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	reader = fork();
	ASSERT_GE(reader, 0);
	if (!reader) {
		static const char *paths[] = {
			MNT "/sample_c_ids", MNT "/info/CPKG/sample_c_state",
			MNT "/mon_data/mon_CPKG_00/rmid_tag",
			MNT "/g/mon_data/mon_CPKG_01/rmid_tag", MNT "/g/sample_c_ids",
			MNT "/x/sample_c_ids", MNT "/x/mon_data/mon_CPKG_01/rmid_tag",
			MNT "/g/pkg_weight", MNT "/info/PKG/pkg_values",
			MNT "/g/mon_data/mon_PKG_00/pkg_bytes",
			MNT "/x/mon_groups/y/mon_data/mon_PKG_01/pkg_bytes",
		};

		for (int n = 0;; n++) {
			for (unsigned int i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
				int fd = open(paths[i], O_RDONLY), ev;

				if (fd < 0)
					continue;
				/* An event on what is an event file, on each CPU
				 * in turn: those outside its domain are refused. */
				ev = open_ev(fd, 0, -1, n % 4, NULL, -1);
				(void)!read(fd, buf, sizeof(buf));
				usleep(100);
				(void)!pread(fd, buf, sizeof(buf), 0);
				if (ev >= 0) {
					(void)!read(ev, buf, sizeof(buf));
					close(ev);
				}
				close(fd);
			}
		}
	}
	/* Domain 1 (CPUs 2 and 3) goes offline and comes back meanwhile. */
	hotplug = fork();
	ASSERT_GE(hotplug, 0);
	if (!hotplug) {
		for (;;) {
			set_online(3, 0);
			set_online(2, 0);
			usleep(3000);
			set_online(2, 1);
			set_online(3, 1);
			usleep(3000);
		}
	}
	maker = fork();
	ASSERT_GE(maker, 0);
	if (!maker) {
		for (;;) {
			mkdir(MNT "/x", 0755);
			mkdir(MNT "/x/mon_groups/y", 0755);
			usleep(2000);
			rmdir(MNT "/x");
		}
	}
	for (int i = 0; i < cycles; i++) {
		ASSERT_EQ(0, load_module(SAMPLE_C, ""));
		ASSERT_EQ(0, load_module(SAMPLE_RUST, ""));
		usleep(5000);
		/* In the order they came, or the other one. */
		ASSERT_EQ(0, unload_module(i % 2 ? SAMPLE_C : SAMPLE_RUST));
		ASSERT_EQ(0, unload_module(i % 2 ? SAMPLE_RUST : SAMPLE_C));
		if ((i + 1) % 100 == 0)
			ksft_print_msg("%d of %d cycles\n", i + 1, cycles);
	}
	kill(reader, SIGKILL);
	kill(maker, SIGKILL);
	kill(hotplug, SIGKILL);
	waitpid(reader, &status, 0);
	waitpid(maker, &status, 0);
	waitpid(hotplug, &status, 0);
	all_online();
	rmdir(MNT "/x");
	/* Balanced: a last load hears of exactly the groups there are. */
	ASSERT_EQ(0, load_module(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(2, 2));
	ksft_print_msg("%d load/unload cycles\n", cycles);
}

TEST_HARNESS_MAIN
