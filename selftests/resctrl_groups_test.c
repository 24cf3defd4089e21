// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: groups, their files, the info tree and the emulated hardware
 * behind them (QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3).
 *
 * Every test mounts a fresh hierarchy and unmounts it at the end.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

static void reap(pid_t p)
{
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

FIXTURE(rdt) {};

FIXTURE_SETUP(rdt)
{
	struct stat st;

	umount(MNT);
	if (stat("/sys/kernel/debug/tracing", &st) && stat(EMUL, &st))
		mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
}

FIXTURE_TEARDOWN(rdt)
{
	umount(MNT);
}

TEST_F(rdt, info_tree)
{
	char buf[256];
	long l3;

	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "ok\n"));
	EXPECT_TRUE(is(MNT "/info/L3/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/info/L3/cbm_mask", "7ff\n"));
	EXPECT_TRUE(is(MNT "/info/L3/min_cbm_bits", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L3/shareable_bits", "600\n"));
	EXPECT_TRUE(is(MNT "/info/L3/sparse_masks", "0\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage", "0=XXSSSSSSSSS;1=XXSSSSSSSSS\n"));
	EXPECT_TRUE(is(MNT "/info/L2/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/info/L2/cbm_mask", "ff\n"));
	EXPECT_TRUE(is(MNT "/info/L2/min_cbm_bits", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L2/shareable_bits", "0\n"));
	EXPECT_TRUE(is(MNT "/info/L2/sparse_masks", "0\n"));
	EXPECT_TRUE(is(MNT "/info/L2/bit_usage", "0=SSSSSSSS;1=SSSSSSSS;2=SSSSSSSS;3=SSSSSSSS\n"));
	EXPECT_TRUE(is(MNT "/info/MB/num_closids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/MB/min_bandwidth", "10\n"));
	EXPECT_TRUE(is(MNT "/info/MB/bandwidth_gran", "10\n"));
	EXPECT_TRUE(is(MNT "/info/MB/delay_linear", "1\n"));
	EXPECT_TRUE(is(MNT "/info/MB/thread_throttle_mode", "max\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/num_rmids", "128\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/mon_features",
		       "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n"));
	/* L3 size / RMIDs, in 64-byte units. */
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index3/size", buf, sizeof(buf)));
	l3 = atol(buf) * 1024;
	snprintf(buf, sizeof(buf), "%ld\n", l3 / 128 / 64 * 64);
	EXPECT_TRUE(is(MNT "/info/L3_MON/max_threshold_occupancy", buf));
	EXPECT_EQ(0, wr(MNT "/info/L3_MON/max_threshold_occupancy", "1000\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/max_threshold_occupancy", "960\n"));
	snprintf(buf, sizeof(buf), "%ld\n", l3 + 1);
	EXPECT_EQ(-EINVAL, wr(MNT "/info/L3_MON/max_threshold_occupancy", buf));
	EXPECT_EQ(-EACCES, wr(MNT "/info/L3/cbm_mask", "1\n"));
}

TEST_F(rdt, default_group)
{
	EXPECT_TRUE(is(MNT "/schemata", "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=7ff;1=7ff\n"));
	EXPECT_TRUE(is(MNT "/mode", "shareable\n"));
	EXPECT_TRUE(is(MNT "/cpus", "f\n"));
	EXPECT_TRUE(is(MNT "/cpus_list", "0-3\n"));
	EXPECT_TRUE(has_pid(MNT "/tasks", getpid()));
	EXPECT_TRUE(has_pid(MNT "/tasks", 1));
	EXPECT_EQ(-EINVAL, wr(MNT "/cpus", "1\n"));
	EXPECT_STREQ("Can't drop CPUs from default group\n", last_cmd());
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 0 7ff"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 0 0"));
}

TEST_F(rdt, schemata)
{
	char buf[512];
	long l3, l2;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(is(MNT "/g/schemata", "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=7ff;1=7ff\n"));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3:0=f;1=f0\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=50;1=75\n"));
	EXPECT_TRUE(is(MNT "/g/schemata", "    MB:0= 50;1= 80\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=00f;1=0f0\n"));
	/* Every domain's MSRs got the values. */
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 1 f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 1 f0"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 MB 1 50"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 1 20"));
	/* size: bytes per mask bit times bits. */
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index3/size", buf, sizeof(buf)));
	l3 = atol(buf) * 1024;
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index2/size", buf, sizeof(buf)));
	l2 = atol(buf) * 1024;
	snprintf(buf, sizeof(buf), "    MB:0=50;1=80\n    L2:0=%ld;1=%ld;2=%ld;3=%ld\n    L3:0=%ld;1=%ld\n",
		 l2, l2, l2, l2, l3 / 11 * 4, l3 / 11 * 4);
	EXPECT_TRUE(is(MNT "/g/size", buf));

	/* Bad writes: EINVAL, a message naming the line, nothing changed. */
	struct { const char *in, *msg; } bad[] = {
		{ "L3:0=3\nL3:1=f0f\n", "Mask out of range\nLine 2: L3:1=f0f\n" },
		{ "L3:0=505\n", "The mask 505 has non-consecutive 1-bits\nLine 1: L3:0=505\n" },
		{ "L3:0=0\n", "Mask out of range\nLine 1: L3:0=0\n" },
		{ "L3:0=xyz\n", "Non-hex character in the mask xyz\nLine 1: L3:0=xyz\n" },
		{ "L3:5=f\n", "Unknown domain 5\nLine 1: L3:5=f\n" },
		{ "L3:0=f;0=f\n", "Duplicate domain 0\nLine 1: L3:0=f;0=f\n" },
		{ "L3:0f\n", "Missing '=' or non-numeric domain\nLine 1: L3:0f\n" },
		{ "L3\n", "Missing ':'\nLine 1: L3\n" },
		{ "L3:\n", "Missing 'L3' value\nLine 1: L3:\n" },
		{ "L4:0=f\n", "Unknown or unsupported resource name 'L4'\nLine 1: L4:0=f\n" },
		{ "SMBA:0=8\n", "Unknown or unsupported resource name 'SMBA'\nLine 1: SMBA:0=8\n" },
		{ "MB:0=5\n", "MB value 5 out of range [10,100]\nLine 1: MB:0=5\n" },
		{ "MB:0=101\n", "MB value 101 out of range [10,100]\nLine 1: MB:0=101\n" },
		{ "MB:0=x\n", "Invalid MB value x\nLine 1: MB:0=x\n" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", bad[i].in));
		EXPECT_STREQ(bad[i].msg, last_cmd());
	}
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L3:0=1"));
	EXPECT_TRUE(is(MNT "/g/schemata", "    MB:0= 50;1= 80\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=00f;1=0f0\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 1 f"));
}

TEST_F(rdt, mode)
{
	ASSERT_EQ(0, mkdir(MNT "/a", 0755));
	ASSERT_EQ(0, mkdir(MNT "/b", 0755));
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "exclusive"));
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "exclusive\n"));
	EXPECT_STREQ("Schemata overlaps\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "pseudo-locksetup\n"));
	EXPECT_STREQ("Pseudo-locking not supported\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "pseudo-locked\n"));
	EXPECT_STREQ("Unknown or unsupported mode\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "bogus\n"));
	EXPECT_STREQ("Unknown or unsupported mode\n", last_cmd());

	/*
	 * Make room in every cache: in L3 the others keep bits 0-7, a takes
	 * bit 8; in L2 the others keep bits 0-3, a takes 4-7.
	 */
	EXPECT_EQ(0, wr(MNT "/schemata", "L3:0=ff;1=ff\nL2:0=f;1=f;2=f;3=f\n"));
	EXPECT_EQ(0, wr(MNT "/b/schemata", "L3:0=ff;1=ff\nL2:0=f;1=f;2=f;3=f\n"));
	EXPECT_EQ(0, wr(MNT "/a/schemata", "L3:0=100;1=100\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/a/mode", "exclusive\n"));
	EXPECT_STREQ("Schemata overlaps\n", last_cmd());
	EXPECT_EQ(0, wr(MNT "/a/schemata", "L2:0=f0;1=f0;2=f0;3=f0\n"));
	EXPECT_EQ(0, wr(MNT "/a/mode", "exclusive\n"));
	EXPECT_TRUE(is(MNT "/a/mode", "exclusive\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage", "0=HHESSSSSSSS;1=HHESSSSSSSS\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/b/schemata", "L3:0=180\n"));
	EXPECT_STREQ("Overlaps with exclusive group\nLine 1: L3:0=180\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/a/schemata", "L3:0=180\n"));
	EXPECT_STREQ("Overlaps with other group\nLine 1: L3:0=180\n", last_cmd());
	EXPECT_EQ(0, wr(MNT "/a/mode", "shareable\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage", "0=HHSSSSSSSSS;1=HHSSSSSSSSS\n"));
}

TEST_F(rdt, tasks)
{
	pid_t child = fork();
	char buf[160];

	if (!child) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	snprintf(buf, sizeof(buf), "%d\n", child);
	/* A task joins a MON group only from the group's parent. */
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mon_groups/m/tasks", buf));
	snprintf(buf, sizeof(buf), "Can't move task to different control group\n"
		 "Error while processing task %d\n", child);
	EXPECT_STREQ(buf, last_cmd());
	snprintf(buf, sizeof(buf), "%d\n", child);
	EXPECT_EQ(0, wr(MNT "/g/tasks", buf));
	EXPECT_TRUE(has_pid(MNT "/g/tasks", child));
	EXPECT_FALSE(has_pid(MNT "/tasks", child));
	EXPECT_EQ(0, wr(MNT "/g/mon_groups/m/tasks", buf));
	EXPECT_TRUE(has_pid(MNT "/g/mon_groups/m/tasks", child));
	EXPECT_TRUE(has_pid(MNT "/g/tasks", child));

	EXPECT_EQ(-ESRCH, wr(MNT "/g/tasks", "999999\n"));
	EXPECT_STREQ("No task 999999\nError while processing task 999999\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/tasks", "abc\n"));
	EXPECT_STREQ("Task list parsing error pid abc\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/tasks", "-5\n"));
	EXPECT_STREQ("Invalid pid -5\n", last_cmd());

	/* 0 is the writer; forks inherit the group. */
	EXPECT_EQ(0, wr(MNT "/g/tasks", "0\n"));
	EXPECT_TRUE(has_pid(MNT "/g/tasks", getpid()));
	pid_t kid = fork();
	if (!kid) {
		pause();
		_exit(0);
	}
	usleep(10000);
	EXPECT_TRUE(has_pid(MNT "/g/tasks", kid));
	reap(kid);
	EXPECT_EQ(0, wr(MNT "/tasks", "0\n"));
	EXPECT_FALSE(has_pid(MNT "/g/tasks", getpid()));

	/* rmdir hands the tasks back: MON group to parent, group to default. */
	EXPECT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	EXPECT_TRUE(has_pid(MNT "/g/tasks", child));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	EXPECT_TRUE(has_pid(MNT "/tasks", child));
	reap(child);
}

TEST_F(rdt, context_switch_loads_ids)
{
	pid_t spin = spawn_spinner(1);
	char buf[64];
	int i, seen = 0;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	snprintf(buf, sizeof(buf), "%d\n", spin);
	ASSERT_EQ(0, wr(MNT "/g/tasks", buf));
	/* First group: CLOSID 1, RMID 1. The spinner owns CPU 1. */
	for (i = 0; i < 100 && !seen; i++) {
		seen = has_line(EMUL "/cpus", "cpu 1 domain 0 closid 1 rmid 1");
		usleep(20000);
	}
	EXPECT_TRUE(seen);
	/* Its run time is charged to RMID 1 in domain 0. */
	EXPECT_EQ(0, wr(EMUL "/counters", "clear\n"));
	usleep(200000);
	ASSERT_LT(0, rd(EMUL "/counters", status, sizeof(status)));
	EXPECT_NE(NULL, strstr(status, "0 1 2 "));
	EXPECT_EQ(0, wr(MNT "/tasks", buf));
	for (i = 0, seen = 0; i < 100 && !seen; i++) {
		seen = has_line(EMUL "/cpus", "cpu 1 domain 0 closid 0 rmid 0");
		usleep(20000);
	}
	EXPECT_TRUE(seen);
	reap(spin);
}

TEST_F(rdt, cpus)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	EXPECT_EQ(0, wr(MNT "/g/cpus", "6\n"));
	EXPECT_TRUE(is(MNT "/g/cpus", "6\n"));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "1-2\n"));
	EXPECT_TRUE(is(MNT "/cpus_list", "0,3\n"));
	/* An idle CPU runs with its group's IDs. */
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 2 domain 1 closid 1 rmid 1"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mon_groups/m/cpus_list", "0\n"));
	EXPECT_STREQ("Can only add CPUs to mongroup that belong to parent\n", last_cmd());
	EXPECT_EQ(0, wr(MNT "/g/mon_groups/m/cpus_list", "2\n"));
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 2 domain 1 closid 1 rmid 2"));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "1-2\n"));
	/* Moving CPU 2 to the default group takes it from g and m. */
	EXPECT_EQ(0, wr(MNT "/cpus_list", "0,2-3\n"));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "1\n"));
	EXPECT_TRUE(is(MNT "/g/mon_groups/m/cpus_list", "\n"));
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 2 domain 1 closid 0 rmid 0"));

	EXPECT_EQ(-EINVAL, wr(MNT "/g/cpus", "xyz\n"));
	EXPECT_STREQ("Bad CPU list/mask\n", last_cmd());
	EXPECT_EQ(-EOVERFLOW, wr(MNT "/g/cpus", "1f\n"));
	EXPECT_EQ(-ERANGE, wr(MNT "/g/cpus_list", "0-9\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/cpus_list", "3-1\n"));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "1\n"));

	/* rmdir gives the CPUs back to the default group. */
	EXPECT_EQ(0, rmdir(MNT "/g"));
	EXPECT_TRUE(is(MNT "/cpus", "f\n"));
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 1 domain 0 closid 0 rmid 0"));
}

TEST_F(rdt, placement_and_exhaustion)
{
	char path[128];
	int i, made = 0;

	EXPECT_EQ(-1, mkdir(MNT "/info/x", 0755));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mkdir(MNT "/info/L3/x", 0755));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(-1, mkdir(MNT "/g/x", 0755));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mkdir(MNT "/g/mon_groups/mon_groups", 0755));
	EXPECT_EQ(-1, rmdir(MNT "/info"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rmdir(MNT "/g/mon_groups"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, mkdir(MNT "/g", 0755));
	EXPECT_EQ(EEXIST, errno);

	/* 8 CLOSIDs (MBA has 8): the default group and 7 more. */
	for (i = 2; i <= 7; i++) {
		snprintf(path, sizeof(path), MNT "/c%d", i);
		EXPECT_EQ(0, mkdir(path, 0755));
	}
	EXPECT_EQ(-1, mkdir(MNT "/c8", 0755));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_STREQ("Out of CLOSIDs\n", last_cmd());
	EXPECT_EQ(0, rmdir(MNT "/c4"));
	EXPECT_EQ(0, mkdir(MNT "/c8", 0755));

	/* 128 RMIDs: 0 and 7 groups' are taken. */
	for (i = 0; i < 200; i++) {
		snprintf(path, sizeof(path), MNT "/g/mon_groups/m%d", i);
		if (mkdir(path, 0755))
			break;
		made++;
	}
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(128 - 1 - 7, made);
	EXPECT_STREQ("Out of RMIDs\n", last_cmd());
	EXPECT_EQ(0, rmdir(MNT "/g/mon_groups/m5"));
	EXPECT_EQ(0, mkdir(MNT "/g/mon_groups/again", 0755));
	/* rmdir of a group with MON groups frees them all. */
	EXPECT_EQ(0, rmdir(MNT "/g"));
	EXPECT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
}

TEST_F(rdt, removed_group_open_file)
{
	int fd, sfd;
	char buf[64];

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	fd = open(MNT "/g/schemata", O_RDWR);
	sfd = open(MNT "/g/tasks", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, rmdir(MNT "/g"));
	EXPECT_EQ(-1, write(fd, "L3:0=f\n", 7));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, read(sfd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	close(sfd);
}

TEST_F(rdt, unmount_resets)
{
	pid_t child = fork();
	char buf[32];

	if (!child) {
		pause();
		_exit(0);
	}
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	snprintf(buf, sizeof(buf), "%d\n", child);
	ASSERT_EQ(0, wr(MNT "/g/tasks", buf));
	ASSERT_EQ(0, wr(MNT "/g/schemata", "L3:0=3\n"));
	ASSERT_EQ(0, wr(MNT "/g/cpus_list", "3\n"));
	ASSERT_EQ(0, umount(MNT));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 1 7ff"));
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 3 domain 1 closid 0 rmid 0"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(has_pid(MNT "/tasks", child));
	EXPECT_TRUE(is(MNT "/cpus", "f\n"));
	EXPECT_EQ(-1, access(MNT "/g", F_OK));
	reap(child);
}

TEST_HARNESS_MAIN
