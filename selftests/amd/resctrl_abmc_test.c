// SPDX-License-Identifier: GPL-2.0
/*
 * Counter assignment (upstream 6.18's "mbm_event" mode, AMD's ABMC) on the
 * emulated AMD part (booted resctrl_rs.emulate=amd; QEMU guest: 4 CPUs, L3
 * domains 0 = CPUs 0-1, 1 = CPUs 2-3; 32 assignable counters per domain,
 * 128 RMIDs): upstream's files, formats, errnos and last_cmd_status texts;
 * counters given at mkdir and mount, freed at rmdir, dropped with a domain
 * that goes offline; the default mode's counters taken from RMIDs that ran
 * longest ago; perf counts kept while a counter is unassigned.
 *
 * The mode outlives mounts: every test leaves it at mbm_event, the default.
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
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "../resctrl_perf.h"

#define L3MON MNT "/info/L3_MON"
#define ASSIGN MNT "/mbm_L3_assignments"
#define TOTAL_FILTER L3MON "/event_configs/mbm_total_bytes/event_filter"
#define LOCAL_FILTER L3MON "/event_configs/mbm_local_bytes/event_filter"
#define ALL_E "mbm_total_bytes:0=e;1=e\nmbm_local_bytes:0=e;1=e\n"
#define ALL_UNASSIGNED "mbm_total_bytes:0=_;1=_\nmbm_local_bytes:0=_;1=_\n"
#define NOT_ENABLED "mbm_event counter assignment mode is not enabled\n"

FIXTURE(abmc) {};

FIXTURE_SETUP(abmc)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_TRUE(is(EMUL "/flavour", "amd\n")) {
		TH_LOG("not the emulated AMD part: boot with resctrl_rs.emulate=amd");
	}
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "mbm_event\n"));
}

FIXTURE_TEARDOWN(abmc)
{
	all_online();
	/* What outlives the mount, back to its defaults (a switch resets them). */
	wr(L3MON "/mbm_assign_mode", "default\n");
	wr(L3MON "/mbm_assign_mode", "mbm_event\n");
	umount(MNT);
}

/* The number @path shows, -1 for anything else (Unassigned, ...). */
static long long bytes(const char *path)
{
	return num(path);
}

/* Runs this process on CPU @cpu. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Moves this process into the group at @dir and runs it there a little. */
static void run_in(const char *dir)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/tasks", dir);
	wr(path, "0\n");
	for (int n = 0; n < 20; n++) {
		for (volatile int i = 0; i < 20000; i++)
			;
		usleep(50);
	}
}

TEST_F(abmc, files_and_defaults)
{
	struct stat st;

	EXPECT_TRUE(is(L3MON "/mbm_assign_mode", "[mbm_event]\ndefault\n"));
	EXPECT_TRUE(is(L3MON "/num_mbm_cntrs", "0=32;1=32\n"));
	/* The default group has its two events in each domain. */
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=30;1=30\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "1\n"));
	EXPECT_TRUE(is(TOTAL_FILTER, "local_reads,remote_reads,local_non_temporal_writes,"
		       "remote_non_temporal_writes,local_reads_slow_memory,"
		       "remote_reads_slow_memory,dirty_victim_writes_all\n"));
	EXPECT_TRUE(is(LOCAL_FILTER,
		       "local_reads,local_non_temporal_writes,local_reads_slow_memory\n"));
	EXPECT_TRUE(is(ASSIGN, ALL_E));
	/* BMEC's files go while counters are assigned, and their lines. */
	EXPECT_TRUE(is(L3MON "/mon_features",
		       "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n"));
	EXPECT_EQ(-1, stat(L3MON "/mbm_total_bytes_config", &st));
	EXPECT_EQ(-1, stat(L3MON "/mbm_local_bytes_config", &st));

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments", ALL_E));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=28;1=28\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "ok\n"));
	ASSERT_EQ(0, mkdir(MNT "/g1/mon_groups/m1", 0755));
	EXPECT_TRUE(is(MNT "/g1/mon_groups/m1/mbm_L3_assignments", ALL_E));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=26;1=26\n"));
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/m2", 0755));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=24;1=24\n"));
	/* rmdir frees them, the MON groups' with their CTRL_MON group's. */
	ASSERT_EQ(0, rmdir(MNT "/g1"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=28;1=28\n"));
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/m2"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=30;1=30\n"));
	/* The mode is kept across mounts; each mount's default group counts. */
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=30;1=30\n"));
	EXPECT_TRUE(is(ASSIGN, ALL_E));
}

TEST_F(abmc, reads_and_assignments)
{
	long long a, b;
	pid_t p;

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g1/mon_groups/m1", 0755));
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", p));
	usleep(200000);
	a = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	usleep(200000);
	b = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_LT(0, a);
	EXPECT_LT(a, b);
	EXPECT_LT(0, bytes(MNT "/g1/mon_data/mon_L3_00/mbm_local_bytes"));

	/* Unassigned in domain 0: that file reads Unassigned, the rest count. */
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:0=_\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments",
		       "mbm_total_bytes:0=_;1=e\nmbm_local_bytes:0=e;1=e\n"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=27;1=26\n"));
	/* The CTRL_MON group's file shows its MON group's count... */
	EXPECT_LE(0, bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes"));
	ASSERT_EQ(0, wr(MNT "/g1/mon_groups/m1/mbm_L3_assignments", "mbm_total_bytes:0=_\n"));
	/* ... and Unassigned once neither has a counter. */
	EXPECT_TRUE(is(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes", "Unassigned\n"));
	EXPECT_TRUE(is(MNT "/g1/mon_groups/m1/mon_data/mon_L3_00/mbm_total_bytes",
		       "Unassigned\n"));
	EXPECT_LT(0, bytes(MNT "/g1/mon_data/mon_L3_00/mbm_local_bytes"));
	EXPECT_LE(0, bytes(MNT "/g1/mon_data/mon_L3_01/mbm_total_bytes"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "ok\n"));

	/* Assigned again on every domain, it counts from zero. */
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:*=e\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments", ALL_E));
	a = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_LE(0, a);
	EXPECT_GT(b, a);
	usleep(200000);
	EXPECT_LT(a, bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes"));
	/* Assigning what is assigned does nothing. */
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:0=e\n"));
	/* Several lines, each applied. */
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments",
			"mbm_total_bytes:0=_;1=_\nmbm_local_bytes:1=_\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments",
		       "mbm_total_bytes:0=_;1=_\nmbm_local_bytes:0=e;1=_\n"));
	/* The filter: a total event that counts local reads only. */
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:*=e\n"));
	ASSERT_EQ(0, wr(TOTAL_FILTER, "local_reads\n"));
	usleep(300000);
	a = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	b = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_local_bytes");
	/* Local reads are 4 of the local event's 8 sixteenths: about half. */
	EXPECT_LT(0, a);
	EXPECT_LT(a, b);
	ASSERT_EQ(0, wr(TOTAL_FILTER, "local_reads,remote_reads,local_non_temporal_writes,"
			"remote_non_temporal_writes,local_reads_slow_memory,"
			"remote_reads_slow_memory,dirty_victim_writes_all\n"));
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

TEST_F(abmc, errors)
{
	static const struct {
		const char *in, *status;
		int err;
	} bad[] = {
		{ "foo:0=e\n", "Invalid event foo\n", -ENOENT },
		{ "llc_occupancy:0=e\n", "Invalid event llc_occupancy\n", -ENOENT },
		{ "\n", "Invalid event \n", -ENOENT },
		{ "mbm_total_bytes:x=e\n", "Missing domain id\n", -EINVAL },
		{ "mbm_total_bytes:;0=e\n", "Missing domain id\n", -EINVAL },
		{ "mbm_total_bytes:7=e\n", "Invalid domain id 7\n", -EINVAL },
		{ "mbm_total_bytes:0=x\n",
		  "Assign operation 'mbm_total_bytes:0=x' failed\n", -EINVAL },
		{ "mbm_total_bytes:0\n",
		  "Assign operation 'mbm_total_bytes:0=(null)' failed\n", -EINVAL },
		{ "mbm_total_bytes:*=ee\n",
		  "Assign operation 'mbm_total_bytes:*=ee' failed\n", -EINVAL },
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(bad[i].err, wr(ASSIGN, bad[i].in)) {
			TH_LOG("writing \"%s\"", bad[i].in);
		}
		EXPECT_TRUE(is(MNT "/info/last_cmd_status", bad[i].status));
	}
	EXPECT_TRUE(is(ASSIGN, ALL_E));
	/* Without a final newline: EINVAL. */
	EXPECT_EQ(-EINVAL, wr(ASSIGN, "mbm_total_bytes:0=_"));
	/* Entries before an error stay applied; "*" ends its line. */
	EXPECT_EQ(-EINVAL, wr(ASSIGN, "mbm_total_bytes:1=_;5=_\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Invalid domain id 5\n"));
	EXPECT_EQ(0, wr(ASSIGN, "mbm_total_bytes:*=e;junk\n"));
	EXPECT_TRUE(is(ASSIGN, ALL_E));
	EXPECT_EQ(0, wr(ASSIGN, "mbm_total_bytes:\n"));

	EXPECT_EQ(-EINVAL, wr(TOTAL_FILTER, "bogus\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status",
		       "Invalid memory transaction type bogus\n"));
	EXPECT_EQ(-EINVAL, wr(TOTAL_FILTER, "local_reads"));
	EXPECT_EQ(0, wr(LOCAL_FILTER, " local_reads , remote_reads\n"));
	EXPECT_TRUE(is(LOCAL_FILTER, "local_reads,remote_reads\n"));
	EXPECT_EQ(0, wr(LOCAL_FILTER,
			"local_reads,local_non_temporal_writes,local_reads_slow_memory\n"));

	EXPECT_EQ(-EINVAL, wr(L3MON "/mbm_assign_mode", "foo\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Unsupported assign mode\n"));
	EXPECT_EQ(-EINVAL, wr(L3MON "/mbm_assign_mode", "default"));
	EXPECT_EQ(-EACCES, wr(L3MON "/num_mbm_cntrs", "0=1\n"));
	EXPECT_EQ(-EINVAL, wr(L3MON "/mbm_assign_on_mkdir", "x\n"));

	/* Without mbm_assign_on_mkdir, a new group has no counter. */
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_on_mkdir", "0\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "0\n"));
	ASSERT_EQ(0, mkdir(MNT "/g2", 0755));
	EXPECT_TRUE(is(MNT "/g2/mbm_L3_assignments", ALL_UNASSIGNED));
	EXPECT_TRUE(is(MNT "/g2/mon_data/mon_L3_00/mbm_local_bytes", "Unassigned\n"));
	/* Occupancy needs no counter. */
	EXPECT_LE(0, bytes(MNT "/g2/mon_data/mon_L3_00/llc_occupancy"));
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_on_mkdir", "y\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "1\n"));
	EXPECT_EQ(-1, stat(MNT "/g2/mon_data/mon_L3_00/mbm_total_bytes_config", &st));
}

TEST_F(abmc, more_of_upstreams_rules)
{
	long long own;
	pid_t p;

	/* kstrtobool: "true", "false". */
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_on_mkdir", "false\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "0\n"));
	/* The filters and mbm_assign_on_mkdir outlive the mount. */
	ASSERT_EQ(0, wr(LOCAL_FILTER, "local_reads\n"));
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "0\n"));
	EXPECT_TRUE(is(LOCAL_FILTER, "local_reads\n"));
	/* Without mbm_assign_on_mkdir, the mount's default group has none. */
	EXPECT_TRUE(is(ASSIGN, ALL_UNASSIGNED));
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_on_mkdir", "true\n"));
	ASSERT_EQ(0, wr(ASSIGN, "mbm_total_bytes:*=e\nmbm_local_bytes:*=e\n"));
	/* An empty filter counts nothing. */
	ASSERT_EQ(0, wr(LOCAL_FILTER, "\n"));
	EXPECT_TRUE(is(LOCAL_FILTER, "\n"));
	ASSERT_EQ(0, wr(LOCAL_FILTER,
			"local_reads,local_non_temporal_writes,local_reads_slow_memory\n"));

	/* A later line that fails leaves the earlier ones applied. */
	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g1/mon_groups/m1", 0755));
	EXPECT_EQ(-ENOENT, wr(MNT "/g1/mbm_L3_assignments",
			      "mbm_local_bytes:0=_\nbogus:0=_\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Invalid event bogus\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments",
		       "mbm_total_bytes:0=e;1=e\nmbm_local_bytes:0=_;1=e\n"));
	/* A CTRL_MON group with a counter, its MON group without: its own. */
	ASSERT_EQ(0, wr(MNT "/g1/mon_groups/m1/mbm_L3_assignments", "mbm_total_bytes:*=_\n"));
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", p));
	ASSERT_EQ(0, wrf(MNT "/g1/mon_groups/m1/tasks", "%d\n", p));
	usleep(300000);
	own = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_LE(0, own);
	/* The spinner runs in the MON group, which has no counter. */
	EXPECT_GT(250000000LL * 3 / 10 / 2, own);
	EXPECT_TRUE(is(MNT "/g1/mon_groups/m1/mon_data/mon_L3_00/mbm_total_bytes",
		       "Unassigned\n"));
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

TEST_F(abmc, out_of_counters)
{
	char path[128];
	int i;

	/* 30 free counters per domain: 15 MON groups take them all. */
	for (i = 0; i < 15; i++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=0;1=0\n"));
	/* The next group is made, without counters, saying so. */
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/last", 0755));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status",
		       "Failed to allocate counter for mbm_total_bytes in domain 0\n"
		       "Failed to allocate counter for mbm_local_bytes in domain 0\n"));
	EXPECT_TRUE(is(MNT "/mon_groups/last/mbm_L3_assignments", ALL_UNASSIGNED));
	EXPECT_TRUE(is(MNT "/mon_groups/last/mon_data/mon_L3_01/mbm_total_bytes",
		       "Unassigned\n"));
	EXPECT_EQ(-ENOSPC, wr(MNT "/mon_groups/last/mbm_L3_assignments",
			      "mbm_total_bytes:1=e\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status",
		       "Failed to allocate counter for mbm_total_bytes in domain 1\n"
		       "Assign operation 'mbm_total_bytes:1=e' failed\n"));
	/* One freed in domain 1 only: it takes that one. */
	ASSERT_EQ(0, wr(MNT "/mon_groups/m0/mbm_L3_assignments", "mbm_total_bytes:1=_\n"));
	EXPECT_EQ(-ENOSPC, wr(MNT "/mon_groups/last/mbm_L3_assignments",
			      "mbm_total_bytes:*=e\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status",
		       "Failed to allocate counter for mbm_total_bytes in domain 0\n"
		       "Assign operation 'mbm_total_bytes:*=e' failed\n"));
	EXPECT_EQ(0, wr(MNT "/mon_groups/last/mbm_L3_assignments", "mbm_total_bytes:1=e\n"));
	EXPECT_TRUE(is(MNT "/mon_groups/last/mbm_L3_assignments",
		       "mbm_total_bytes:0=_;1=e\nmbm_local_bytes:0=_;1=_\n"));
	EXPECT_LE(0, bytes(MNT "/mon_groups/last/mon_data/mon_L3_01/mbm_total_bytes"));
	/* rmdir gives them back. */
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/m1"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=2;1=2\n"));
	for (i = 0; i < 15; i++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", i);
		rmdir(path);
	}
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/last"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=30;1=30\n"));
}

TEST_F(abmc, mode_switch)
{
	long long a;
	pid_t p;

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, wr(TOTAL_FILTER, "local_reads\n"));
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_on_mkdir", "0\n"));
	/* Writing the mode in force changes nothing. */
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "mbm_event\n"));
	EXPECT_TRUE(is(ASSIGN, ALL_E));

	ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "default\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_mode", "[default]\nmbm_event\n"));
	EXPECT_TRUE(is(L3MON "/num_mbm_cntrs", "0=32;1=32\n"));
	EXPECT_TRUE(is(L3MON "/mbm_total_bytes_config", "0=0x7f;1=0x7f\n"));
	EXPECT_TRUE(is(L3MON "/mon_features",
		       "llc_occupancy\nmbm_total_bytes\nmbm_total_bytes_config\n"
		       "mbm_local_bytes\nmbm_local_bytes_config\n"));
	static const char *const refuse[] = {
		L3MON "/available_mbm_cntrs", L3MON "/mbm_assign_on_mkdir",
		TOTAL_FILTER, ASSIGN, MNT "/g1/mbm_L3_assignments",
	};
	char buf[256];

	for (size_t i = 0; i < sizeof(refuse) / sizeof(refuse[0]); i++) {
		EXPECT_EQ(-EINVAL, rd(refuse[i], buf, sizeof(buf))) {
			TH_LOG("reading %s", refuse[i]);
		}
		EXPECT_TRUE(is(MNT "/info/last_cmd_status", NOT_ENABLED));
	}
	EXPECT_EQ(-EINVAL, wr(ASSIGN, "mbm_total_bytes:0=e\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "mbm_event mode is not enabled\n"));
	EXPECT_EQ(-EINVAL, wr(L3MON "/mbm_assign_on_mkdir", "1\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", NOT_ENABLED));
	EXPECT_EQ(-EINVAL, wr(TOTAL_FILTER, "local_reads\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", NOT_ENABLED));
	/* Groups count per RMID again. */
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", p));
	usleep(300000);
	a = bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_LT(0, a);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);

	/* Back: nobody has a counter, the filters and mbm_assign_on_mkdir
	 * are back to their defaults, BMEC's files are gone again. */
	ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "mbm_event\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_mode", "[mbm_event]\ndefault\n"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=32;1=32\n"));
	EXPECT_TRUE(is(ASSIGN, ALL_UNASSIGNED));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments", ALL_UNASSIGNED));
	EXPECT_TRUE(is(MNT "/mon_data/mon_L3_00/mbm_total_bytes", "Unassigned\n"));
	EXPECT_TRUE(is(L3MON "/mbm_assign_on_mkdir", "1\n"));
	EXPECT_TRUE(is(TOTAL_FILTER, "local_reads,remote_reads,local_non_temporal_writes,"
		       "remote_non_temporal_writes,local_reads_slow_memory,"
		       "remote_reads_slow_memory,dirty_victim_writes_all\n"));
	EXPECT_EQ(-ENOENT, rd(L3MON "/mbm_total_bytes_config", buf, sizeof(buf)));
	ASSERT_EQ(0, wr(ASSIGN, "mbm_total_bytes:*=e\nmbm_local_bytes:*=e\n"));
}

/*
 * The default mode: 32 counters follow the RMIDs that ran last. With 33
 * groups run in turn (and the default group's RMID running all along), the
 * first group's counter is taken: it reads Unavailable until it runs again.
 */
TEST_F(abmc, default_mode_takes_counters)
{
	char path[128];
	int i;

	ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "default\n"));
	pin(0);
	for (i = 0; i < 33; i++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
		run_in(path);
	}
	wr(MNT "/tasks", "0\n");
	EXPECT_TRUE(is(MNT "/mon_groups/m0/mon_data/mon_L3_00/mbm_total_bytes",
		       "Unavailable\n"));
	EXPECT_TRUE(is(MNT "/mon_groups/m0/mon_data/mon_L3_00/mbm_local_bytes",
		       "Unavailable\n"));
	EXPECT_LT(0, bytes(MNT "/mon_groups/m32/mon_data/mon_L3_00/mbm_total_bytes"));
	/* Occupancy is not a counter the hardware hands out. */
	EXPECT_LE(0, bytes(MNT "/mon_groups/m0/mon_data/mon_L3_00/llc_occupancy"));
	run_in(MNT "/mon_groups/m0");
	wr(MNT "/tasks", "0\n");
	/*
	 * A counter handed back counts from 0, and its first read is
	 * Unavailable (unless the overflow worker read first): the total
	 * keeps what was counted before, and goes on from there.
	 */
	bytes(MNT "/mon_groups/m0/mon_data/mon_L3_00/mbm_total_bytes");
	EXPECT_LT(0, bytes(MNT "/mon_groups/m0/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_GT(250000000LL, bytes(MNT "/mon_groups/m0/mon_data/mon_L3_00/mbm_total_bytes"));
	for (i = 0; i < 33; i++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", i);
		rmdir(path);
	}
}

TEST_F(abmc, hotplug)
{
	char buf[64];

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	/* Domain 1 goes: its counters go with it... */
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_TRUE(is(L3MON "/num_mbm_cntrs", "0=32\n"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=28\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments",
		       "mbm_total_bytes:0=e\nmbm_local_bytes:0=e\n"));
	/* ... and it comes back with all of them free. */
	ASSERT_EQ(0, set_online(2, 1));
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=28;1=32\n"));
	EXPECT_TRUE(is(MNT "/g1/mbm_L3_assignments",
		       "mbm_total_bytes:0=e;1=_\nmbm_local_bytes:0=e;1=_\n"));
	EXPECT_TRUE(is(MNT "/g1/mon_data/mon_L3_01/mbm_total_bytes", "Unassigned\n"));
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:1=e\n"));
	EXPECT_LE(0, bytes(MNT "/g1/mon_data/mon_L3_01/mbm_total_bytes"));
	/* A CPU that comes back has counter assignment on: reads on it work. */
	ASSERT_EQ(0, set_online(1, 0));
	ASSERT_EQ(0, set_online(1, 1));
	pin(1);
	EXPECT_LE(0, bytes(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_LE(0, bytes(MNT "/mon_data/mon_L3_00/mbm_local_bytes"));
	pin(0);
	ASSERT_EQ(0, rmdir(MNT "/g1"));
	EXPECT_TRUE(is(L3MON "/available_mbm_cntrs", "0=30;1=32\n"));
	EXPECT_LT(0, rd(L3MON "/num_mbm_cntrs", buf, sizeof(buf)));
}

/* A perf count of an event whose counter goes and comes back. */
TEST_F(abmc, perf_keeps_count)
{
	long long c1, c2, c3, c4;
	int g, ev;
	pid_t p;

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", p));
	g = open(MNT "/g1", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, g);
	/* mbm_total_bytes (2) of domain 0, through CPU 1. */
	ev = open_ev(g, 2, -1, 1, NULL, -1);
	ASSERT_LE(0, ev);
	usleep(300000);
	c1 = count(ev);
	EXPECT_LT(0, c1);
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:0=_\n"));
	c2 = count(ev);
	usleep(300000);
	c3 = count(ev);
	EXPECT_LE(c1, c2);
	EXPECT_EQ(c2, c3);
	ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:0=e\n"));
	usleep(300000);
	c4 = count(ev);
	EXPECT_LT(c3, c4);
	close(ev);
	close(g);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
}

/*
 * Counters assigned, unassigned, refiltered and the mode switched, over and
 * over, under a perf event and a file reader: the count never goes back,
 * never jumps, and never counts more than the group's task made (a busy
 * CPU: 250 MB/s in the emulation). RESCTRL_ABMC_CHURN sets the rounds.
 */
TEST_F_TIMEOUT(abmc, churn_under_readers, 3600)
{
	const char *env = getenv("RESCTRL_ABMC_CHURN");
	int rounds = env ? atoi(env) : 150, g, ev, i;
	static const char *const ops[] = {
		"mbm_total_bytes:0=_\n", "mbm_total_bytes:0=e\n",
		"mbm_total_bytes:*=_\nmbm_total_bytes:*=e\n",
	};
	long long prev = 0, c;
	struct timespec t0, t1;
	pid_t p, reader;
	double secs;

	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g1/tasks", "%d\n", p));
	reader = fork();
	if (!reader) {
		char buf[64];

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (;;)
			rd(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes", buf, sizeof(buf));
	}
	g = open(MNT "/g1", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, g);
	ev = open_ev(g, 2, -1, 1, NULL, -1);
	ASSERT_LE(0, ev);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++) {
		if (i % 50 == 49) {
			/* The mode, both ways; then the group's counters back. */
			ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "default\n"));
			usleep(2000);
			ASSERT_EQ(0, wr(L3MON "/mbm_assign_mode", "mbm_event\n"));
			ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", "mbm_total_bytes:*=e\n"));
		} else if (i % 10 == 9) {
			ASSERT_EQ(0, wr(TOTAL_FILTER, i % 20 == 19 ? "local_reads\n" :
					"local_reads,remote_reads,local_non_temporal_writes,"
					"remote_non_temporal_writes,local_reads_slow_memory,"
					"remote_reads_slow_memory,dirty_victim_writes_all\n"));
		} else {
			ASSERT_EQ(0, wr(MNT "/g1/mbm_L3_assignments", ops[i % 3]));
		}
		usleep(1000);
		c = count(ev);
		ASSERT_LE(prev, c) {
			TH_LOG("round %d: the count went back from %lld to %lld", i, prev, c);
		}
		prev = c;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	c = count(ev);
	/* At most what one busy CPU moves (250 MB/s), with a margin. */
	EXPECT_GT((long long)(250e6 * (secs + 0.5) * 1.2), c) {
		TH_LOG("%lld bytes in %.2f s: counted twice", c, secs);
	}
	EXPECT_LT(0, c);
	kill(reader, SIGKILL);
	waitpid(reader, NULL, 0);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	close(ev);
	close(g);
}

TEST_HARNESS_MAIN
