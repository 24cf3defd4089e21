// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: loadable resctrl drivers (seeds 003, 004), with the C sample
 * driver resctrl_sample_c.ko: a package-scoped resource CPKG with the event
 * rmid_tag (RMID * 1000 + package id), a file sample_c_ids in CTRL_MON
 * groups and info/CPKG/sample_c_state ("groups=G domains=D", what the
 * driver heard of).
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
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

#define SAMPLE_C "resctrl_sample_c"

/* Loads module @name from $RESCTRL_MODULES with @params; 0 or -errno. */
static int load(const char *name, const char *params)
{
	const char *dir = getenv("RESCTRL_MODULES");
	char path[512];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s.ko", dir ? dir : ".", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		r = -errno;
	close(fd);
	return r;
}

/* Unloads module @name; 0 or -errno. */
static int unload(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

static int exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

/* Whether the kernel log has a line containing @s. */
static int in_log(const char *s)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "dmesg | grep -qF '%s'", s);
	return system(cmd) == 0;
}

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
	unload(SAMPLE_C);
	all_online();
}

FIXTURE_TEARDOWN(drv)
{
	umount(MNT);
	unload(SAMPLE_C);
	all_online();
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

	ASSERT_EQ(0, load(SAMPLE_C, ""));
	EXPECT_TRUE(in_log("driver sample_c registered"));
	ASSERT_EQ(-EEXIST, load(SAMPLE_C, ""));
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
	ASSERT_EQ(0, unload(SAMPLE_C));
	EXPECT_TRUE(in_log("driver sample_c unregistered"));
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
	ASSERT_EQ(0, load(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(4, 2));
	EXPECT_TRUE(exists(MNT "/h/sample_c_ids"));
	EXPECT_EQ(rm * 1000 + 1, val(MNT "/g/mon_groups/m", 1));
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(state_is(1, 2));
	EXPECT_TRUE(has_cpkg(MNT, 0));
}

/* A driver that arrives while mounted shows in every group at once. */
TEST_F_TIMEOUT(drv, register_while_mounted, 300)
{
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	EXPECT_FALSE(exists(MNT "/info/CPKG"));
	ASSERT_EQ(0, load(SAMPLE_C, ""));
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
	ASSERT_EQ(0, unload(SAMPLE_C));
	EXPECT_FALSE(exists(MNT "/h/sample_c_ids"));
	EXPECT_FALSE(has_cpkg(MNT "/h", 0));
	EXPECT_TRUE(exists(MNT "/h/mon_data/mon_L3_00/llc_occupancy"));
}

/* The driver's package domains follow CPU hotplug, mounted or not. */
TEST_F_TIMEOUT(drv, package_domains_follow_hotplug, 300)
{
	ASSERT_EQ(0, load(SAMPLE_C, ""));
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
	ASSERT_EQ(0, unload(SAMPLE_C));
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, load(SAMPLE_C, ""));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(state_is(1, 1));
	EXPECT_FALSE(has_cpkg(MNT, 1));
}

/* A driver that programs a core resource: refused while a mount shows it,
 * else the resource is left out of the next mount. */
TEST_F_TIMEOUT(drv, conflicts, 300)
{
	char buf[512];

	ASSERT_EQ(-EINVAL, load(SAMPLE_C, "conflicts=XX"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_TRUE(exists(MNT "/info/L3"));
	ASSERT_EQ(-EBUSY, load(SAMPLE_C, "conflicts=L3"));
	EXPECT_TRUE(in_log("driver sample_c: refused, a mount shows resource L3"));
	ASSERT_EQ(0, umount(MNT));

	ASSERT_EQ(0, load(SAMPLE_C, "conflicts=L3"));
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
	ASSERT_EQ(0, unload(SAMPLE_C));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(exists(MNT "/info/L3"));
}

/*
 * Load and unload cycles while a reader loop hammers the driver's files and
 * groups are made and removed: no kernel report, no leak.
 */
TEST_F_TIMEOUT(drv, load_unload_cycles, 1500)
{
	const char *env = getenv("RESCTRL_DRIVER_CYCLES");
	int cycles = env ? atoi(env) : 30;
	pid_t reader, maker;
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
		};

		for (;;) {
			for (unsigned int i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
				int fd = open(paths[i], O_RDONLY);

				if (fd < 0)
					continue;
				(void)!read(fd, buf, sizeof(buf));
				usleep(100);
				(void)!pread(fd, buf, sizeof(buf), 0);
				close(fd);
			}
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
		ASSERT_EQ(0, load(SAMPLE_C, ""));
		usleep(5000);
		ASSERT_EQ(0, unload(SAMPLE_C));
	}
	kill(reader, SIGKILL);
	kill(maker, SIGKILL);
	waitpid(reader, &status, 0);
	waitpid(maker, &status, 0);
	rmdir(MNT "/x");
	/* Balanced: a last load hears of exactly the groups there are. */
	ASSERT_EQ(0, load(SAMPLE_C, ""));
	EXPECT_TRUE(state_is(2, 2));
	ksft_print_msg("%d load/unload cycles\n", cycles);
}

TEST_HARNESS_MAIN
