// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: the MBA software controller (mount -o mba_MBps, upstream 6.12,
 * with 6.14's mba_MBps_event) on the emulated Intel part (QEMU guest: 4
 * CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3; linear MBA in steps of 10%;
 * a busy CPU moves 250 MB/s, half of it local, times its CLOSID's
 * throttle): MB values in MBps, the mba_MBps_event file, and a limit the
 * controller brings a busy group's bandwidth to.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

#define MAX_MBPS "4294967295"

FIXTURE(mba_sc) {};

FIXTURE_SETUP(mba_sc)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "mba_MBps,debug"));
}

FIXTURE_TEARDOWN(mba_sc)
{
	umount(MNT);
	all_online();
}

/* The throttle (percent) of @closid in domain @dom, from the MSR's delay. */
static int throttle(int dom, int closid)
{
	char path[] = EMUL "/masks", buf[65536], want[64], *p;
	int n;

	if (rd(path, buf, sizeof(buf)) < 0)
		return -1;
	n = snprintf(want, sizeof(want), "domain %d MB %d ", dom, closid);
	for (p = buf; (p = strstr(p, want)); p++)
		if (p == buf || p[-1] == '\n')
			return 100 - atoi(p + n);
	return -1;
}

/* MBps of @file (a bandwidth counter) over @secs seconds. */
static long long mbps_of(const char *file, int secs)
{
	long long a = num(file), b;

	sleep(secs);
	b = num(file);
	return a < 0 || b < 0 ? -1 : (b - a) / secs / (1 << 20);
}

TEST_F(mba_sc, schemata_in_mbps)
{
	EXPECT_TRUE(is(MNT "/schemata", "    MB:0=" MAX_MBPS ";1=" MAX_MBPS "\n"
		       "    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=7ff;1=7ff\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(has_line(MNT "/g/schemata", "    MB:0=" MAX_MBPS ";1=" MAX_MBPS));
	/* Any 32-bit number: no range, no granularity; the hardware untouched. */
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=5;1=123456\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(has_line(MNT "/g/schemata", "    MB:0=  5;1=123456"));
	EXPECT_TRUE(has_line(MNT "/g/size", "    MB:0=5;1=123456"));
	EXPECT_EQ(100, throttle(1, (int)num(MNT "/g/ctrl_hw_id")));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "MB:0=4294967296\n"));
	EXPECT_STREQ("Invalid MB value 4294967296\nLine 1: MB:0=4294967296\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "MB:0=-1\n"));
	EXPECT_STREQ("Invalid MB value -1\nLine 1: MB:0=-1\n", last_cmd());
	/* A new group in the same CLOSID starts without a limit. */
	EXPECT_EQ(0, rmdir(MNT "/g"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(has_line(MNT "/g/schemata", "    MB:0=" MAX_MBPS ";1=" MAX_MBPS));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(mba_sc, mba_mbps_event)
{
	struct stat st;

	EXPECT_TRUE(is(MNT "/mba_MBps_event", "mbm_local_bytes\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	EXPECT_TRUE(is(MNT "/g/mba_MBps_event", "mbm_local_bytes\n"));
	/* CTRL_MON groups only. */
	EXPECT_EQ(-1, stat(MNT "/g/mon_groups/m/mba_MBps_event", &st));
	EXPECT_EQ(0, wr(MNT "/g/mba_MBps_event", "mbm_total_bytes\n"));
	EXPECT_TRUE(is(MNT "/g/mba_MBps_event", "mbm_total_bytes\n"));
	EXPECT_TRUE(is(MNT "/mba_MBps_event", "mbm_local_bytes\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mba_MBps_event", "llc_occupancy\n"));
	EXPECT_STREQ("Unsupported event id 'llc_occupancy'\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mba_MBps_event", "bogus\n"));
	EXPECT_STREQ("Unsupported event id 'bogus'\n", last_cmd());
	/* Without its newline: refused, the status untouched. */
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mba_MBps_event", "mbm_local_bytes"));
	EXPECT_STREQ("Unsupported event id 'bogus'\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/mba_MBps_event", "mbm_total_bytes\n"));
	EXPECT_EQ(0, wr(MNT "/g/mba_MBps_event", "mbm_local_bytes\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_EQ(0, rmdir(MNT "/g"));
	/* Not without the option. */
	umount(MNT);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_EQ(-1, stat(MNT "/mba_MBps_event", &st));
	EXPECT_TRUE(has_line(MNT "/schemata", "    MB:0=100;1=100"));
}

/*
 * The controller brings a busy group under its limit and keeps it near:
 * CPU 1 busy in group g, limited to 60 MBps of local bandwidth in domain 0.
 * A busy CPU moves about 119 MBps local at 100%, so the throttle settles
 * where the next step up would pass the limit (40% to 50%, as much of the
 * CPU as the spinner gets under QEMU); measured over 3 s, the bandwidth is
 * at most the limit plus 20% and at least half of it (the controller stops
 * at most one granule short: at least cur / (cur + 10) of the limit).
 * Lifting the limit brings the throttle back to 100%.
 */
TEST_F_TIMEOUT(mba_sc, controller_converges, 180)
{
	long long bw = -1;
	int closid, t = -1, prev, same = 0, i;
	pid_t spin;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	closid = (int)num(MNT "/g/ctrl_hw_id");
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=60\n"));
	spin = spawn_spinner(1);
	ASSERT_LT(0, spin);
	EXPECT_EQ(0, wrf(MNT "/g/tasks", "%d\n", spin));
	/* Down 10% a second at most: settled when unchanged for 4 s. */
	for (i = 0; i < 40 && same < 4; i++) {
		sleep(1);
		prev = t;
		t = throttle(0, closid);
		same = t == prev && t < 100 ? same + 1 : 0;
	}
	bw = mbps_of(MNT "/g/mon_data/mon_L3_00/mbm_local_bytes", 3);
	TH_LOG("throttle %d%%, local bandwidth %lld MBps (limit 60)", t, bw);
	EXPECT_GT(100, t);
	EXPECT_LE(bw, 72);
	EXPECT_GE(bw, 30);
	/* Domain 1 runs nothing of g's: untouched. */
	EXPECT_EQ(100, throttle(1, closid));
	/* The limit lifted: up 10% a second. */
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=100000\n"));
	for (i = 0; i < 30 && t < 100; i++) {
		sleep(1);
		t = throttle(0, closid);
	}
	EXPECT_EQ(100, t);
	/* Throttled again; unmounting puts the throttle back (no delay). */
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=1\n"));
	for (i = 0; i < 30 && t == 100; i++) {
		sleep(1);
		t = throttle(0, closid);
	}
	EXPECT_GT(100, t);
	kill(spin, SIGKILL);
	waitpid(spin, NULL, 0);
	umount(MNT);
	EXPECT_EQ(100, throttle(0, closid));
}

/* A domain that comes back starts without limits, as upstream's. */
TEST_F(mba_sc, hotplug)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:0=300;1=400\n"));
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_TRUE(has_line(MNT "/g/schemata", "    MB:0=300"));
	ASSERT_EQ(0, set_online(3, 1));
	ASSERT_EQ(0, set_online(2, 1));
	EXPECT_TRUE(has_line(MNT "/g/schemata", "    MB:0=300;1=" MAX_MBPS));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(mba_sc, mount_options)
{
	FILE *f = fopen("/proc/mounts", "r");
	char line[512];
	int found = 0;

	while (f && fgets(line, sizeof(line), f))
		found |= !!strstr(line, " " MNT " resctrl rw,relatime,mba_MBps,debug ");
	if (f)
		fclose(f);
	EXPECT_TRUE(found);
	umount(MNT);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp,mba_MBps"));
	EXPECT_TRUE(has_line(MNT "/schemata", "    MB:0=" MAX_MBPS ";1=" MAX_MBPS));
}

TEST_HARNESS_MAIN
