// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: monitoring (mon_data, bandwidth accounting with wrap, the
 * overflow and limbo workers, files that hold their group) and CPU hotplug
 * (domains, group CPUs, allocation), against the emulated hardware.
 *
 * QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3. CPUs 1-3 can
 * go offline; taking 2 and 3 takes domain 1 away.
 *
 * RESCTRL_HOTPLUG_CYCLES sets the cycles of the storm test (default 50).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
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

#define DOMS "/sys/kernel/debug/resctrl_rs/domains"

static long long numf(const char *fmt, ...)
{
	char path[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return num(path);
}

/*
 * The value of @field on the line of domain @dom in the debugfs domains file,
 * into @out; 0 if the domain is not listed.
 */
static int dom_field(int dom, const char *field, char *out, size_t len)
{
	static char buf[4096];
	char *s, *save, head[32];

	if (rd(DOMS, buf, sizeof(buf)) < 0)
		return 0;
	snprintf(head, sizeof(head), "domain %d ", dom);
	for (s = strtok_r(buf, "\n", &save); s; s = strtok_r(NULL, "\n", &save)) {
		char *f;

		if (strncmp(s, head, strlen(head)))
			continue;
		f = strstr(s, field);
		if (!f)
			return 0;
		sscanf(f + strlen(field), " %31s", out);
		(void)len;
		return 1;
	}
	return 0;
}

static int alive(void)
{
	static char buf[4096];
	char *a;

	if (rd(DOMS, buf, sizeof(buf)) < 0)
		return -1;
	a = strstr(buf, "alive ");
	return a ? atoi(a + 6) : -1;
}

/* Waits up to @ms for @cond; returns whether it held. */
#define WAIT_FOR(cond, ms) ({						\
	int __ok = 0;							\
	for (int __i = 0; __i < (ms) / 50; __i++) {			\
		if (cond) { __ok = 1; break; }				\
		usleep(50000);						\
	}								\
	__ok || (cond);							\
})

FIXTURE(mon) {};

FIXTURE_SETUP(mon)
{
	umount(MNT);
	all_online();
	emul_debugfs();
	/* Exact values: no decay, counters from zero. */
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "0\n"));
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
}

FIXTURE_TEARDOWN(mon)
{
	umount(MNT);
	all_online();
	wr(EMUL "/decay_ms", "20\n");
}

TEST_F_TIMEOUT(mon, layout_and_debug_files, 120)
{
	static const char *groups[] = { MNT, MNT "/g", MNT "/g/mon_groups/m",
					MNT "/mon_groups/r" };
	static const char *evts[] = { "llc_occupancy", "mbm_total_bytes",
				      "mbm_local_bytes" };
	char path[256], buf[4096];

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/r", 0755));
	/*
	 * The AMD part has BMEC, but its configuration files (and their lines
	 * here) are there only in the default mode of counter assignment, and
	 * mbm_event is on by default (resctrl_amd_test has them).
	 */
	EXPECT_TRUE(is(MNT "/info/L3_MON/mon_features",
		       "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n"));
	/*
	 * Counter assignment (upstream 6.18): the AMD part has it, on; the
	 * Intel part has only the default mode, and none of its other files
	 * (resctrl_abmc_test has the rest). io_alloc (6.19) is AMD's too.
	 */
	if (is_amd()) {
		EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_assign_mode", "[mbm_event]\ndefault\n"));
	} else {
		struct stat st;

		EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_assign_mode", "[default]\n"));
		EXPECT_EQ(-EINVAL, wr(MNT "/info/L3_MON/mbm_assign_mode", "mbm_event\n"));
		EXPECT_TRUE(is(MNT "/info/last_cmd_status", "mbm_event mode is not supported\n"));
		EXPECT_EQ(0, wr(MNT "/info/L3_MON/mbm_assign_mode", "default\n"));
		EXPECT_EQ(-1, stat(MNT "/info/L3_MON/num_mbm_cntrs", &st));
		EXPECT_EQ(-1, stat(MNT "/info/L3_MON/event_configs", &st));
		EXPECT_EQ(-1, stat(MNT "/mbm_L3_assignments", &st));
		EXPECT_EQ(-1, stat(MNT "/info/L3/io_alloc", &st));
	}
	for (int g = 0; g < 4; g++)
		for (int d = 0; d < 2; d++)
			for (int e = 0; e < 3; e++) {
				snprintf(path, sizeof(path), "%s/mon_data/mon_L3_%02d/%s",
					 groups[g], d, evts[e]);
				EXPECT_LE(0, num(path)) TH_LOG("%s", path);
			}
	/* -o debug: the IDs, and /proc/mounts says so. */
	EXPECT_EQ(0, num(MNT "/ctrl_hw_id"));
	EXPECT_EQ(0, num(MNT "/mon_hw_id"));
	EXPECT_LT(0, num(MNT "/g/ctrl_hw_id"));
	EXPECT_LT(0, rmid_of(MNT "/g/mon_groups/m"));
	EXPECT_NE(rmid_of(MNT "/g"), rmid_of(MNT "/g/mon_groups/m"));
	EXPECT_FALSE(exists(MNT "/g/mon_groups/m/ctrl_hw_id"));
	ASSERT_LT(0, rd("/proc/mounts", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "resctrl " MNT " resctrl rw,relatime,debug"));
	/* Not writable, and not there without -o debug. */
	EXPECT_EQ(-EACCES, wr(MNT "/g/mon_data/mon_L3_00/llc_occupancy", "1\n"));
	EXPECT_EQ(0, rmdir(MNT "/mon_groups/r"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_FALSE(exists(MNT "/mon_hw_id"));
	ASSERT_LT(0, rd("/proc/mounts", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "resctrl " MNT " resctrl rw,relatime 0 0"));
}

TEST_F_TIMEOUT(mon, values_sums_and_flags, 120)
{
	int rg, rm;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	rg = rmid_of(MNT "/g");
	rm = rmid_of(MNT "/g/mon_groups/m");
	ASSERT_LT(0, rg);
	ASSERT_LT(0, rm);
	for (int d = 0; d < 2; d++) {
		ASSERT_EQ(0, emul_set(d, rg, 1, 100 + d));
		ASSERT_EQ(0, emul_set(d, rm, 1, 23));
		ASSERT_EQ(0, emul_set(d, rg, 2, 500));
		ASSERT_EQ(0, emul_set(d, rm, 2, 1000 * (d + 1)));
		ASSERT_EQ(0, emul_set(d, rm, 3, 7));
	}
	for (int d = 0; d < 2; d++) {
		/* Bytes: 64 per unit. A CTRL_MON group adds its MON groups. */
		EXPECT_EQ(23 * 64, numf(MNT "/g/mon_groups/m/mon_data/mon_L3_%02d/llc_occupancy", d));
		EXPECT_EQ((123 + d) * 64, numf(MNT "/g/mon_data/mon_L3_%02d/llc_occupancy", d));
		EXPECT_EQ(1000 * (d + 1) * 64,
			  numf(MNT "/g/mon_groups/m/mon_data/mon_L3_%02d/mbm_total_bytes", d));
		EXPECT_EQ((500 + 1000 * (d + 1)) * 64,
			  numf(MNT "/g/mon_data/mon_L3_%02d/mbm_total_bytes", d));
		EXPECT_EQ(7 * 64, numf(MNT "/g/mon_groups/m/mon_data/mon_L3_%02d/mbm_local_bytes", d));
	}
	/* The hardware's Error and Unavailable bits. */
	ASSERT_EQ(0, wrf(EMUL "/counters", "error 0 %d 2\n", rm));
	ASSERT_EQ(0, wrf(EMUL "/counters", "unavailable 1 %d 1\n", rm));
	EXPECT_TRUE(is(MNT "/g/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes", "Error\n"));
	EXPECT_TRUE(is(MNT "/g/mon_groups/m/mon_data/mon_L3_01/llc_occupancy", "Unavailable\n"));
	/* A sum leaves out the RMIDs that failed, as upstream. */
	EXPECT_EQ(500 * 64, num(MNT "/g/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_EQ(101 * 64, num(MNT "/g/mon_data/mon_L3_01/llc_occupancy"));
	ASSERT_EQ(0, wrf(EMUL "/counters", "ok 0 %d 2\nok 1 %d 1\n", rm, rm));
	EXPECT_EQ(1000 * 64, num(MNT "/g/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes"));
	/* Removing the MON group takes its counts out of the parent's. */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	EXPECT_EQ(500 * 64, num(MNT "/g/mon_data/mon_L3_01/mbm_total_bytes"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F_TIMEOUT(mon, wrap_counted_once, 120)
{
	long long width = num(EMUL "/width"), v0, v1, v2;
	unsigned long long top;
	int r;

	ASSERT_LE(24, width);
	top = 1ULL << width;
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/m", 0755));
	r = rmid_of(MNT "/mon_groups/m");
	/* Just below the width, then past it: the value grows by the advance. */
	ASSERT_EQ(0, emul_set(1, r, 2, top - 10));
	v0 = num(MNT "/mon_groups/m/mon_data/mon_L3_01/mbm_total_bytes");
	EXPECT_EQ((long long)(top - 10) * 64, v0);
	ASSERT_EQ(0, emul_set(1, r, 2, 5));
	v1 = num(MNT "/mon_groups/m/mon_data/mon_L3_01/mbm_total_bytes");
	EXPECT_EQ(15 * 64, v1 - v0);
	/*
	 * Two reads further apart than a wrap: the overflow worker's pass in
	 * between counts the wrap. 2.5 s between steps: the worker runs every
	 * second.
	 */
	ASSERT_EQ(0, emul_set(1, r, 2, 5 + top / 2));
	sleep(3);
	ASSERT_EQ(0, emul_set(1, r, 2, top - 1));
	sleep(3);
	ASSERT_EQ(0, emul_set(1, r, 2, 105));
	sleep(3);
	v2 = num(MNT "/mon_groups/m/mon_data/mon_L3_01/mbm_total_bytes");
	EXPECT_EQ((long long)(top + 100) * 64, v2 - v1);
	EXPECT_EQ(0, rmdir(MNT "/mon_groups/m"));
}

TEST_F_TIMEOUT(mon, files_hold_their_group, 120)
{
	char buf[64];
	int fd, fd2;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g/mon_groups/m", 0755));
	fd = open(MNT "/g/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes", O_RDONLY);
	fd2 = open(MNT "/g/mon_data/mon_L3_01/llc_occupancy", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	EXPECT_LT(0, pread(fd, buf, sizeof(buf), 0));
	/* Removed: reads fail with ENODEV, closing frees (kmemleak checks). */
	ASSERT_EQ(0, rmdir(MNT "/g/mon_groups/m"));
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	ASSERT_EQ(0, rmdir(MNT "/g"));
	EXPECT_EQ(-1, pread(fd2, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	close(fd2);
	/* Unmounted: a file still open keeps the hierarchy until closed. */
	fd = open(MNT "/mon_data/mon_L3_00/mbm_local_bytes", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, umount2(MNT, MNT_DETACH));
	EXPECT_LT(0, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(-1, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
	EXPECT_TRUE(WAIT_FOR(!mount("resctrl", MNT, "resctrl", 0, NULL), 2000));
}

TEST_F_TIMEOUT(mon, hotplug_cpus_leave_and_join, 120)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	ASSERT_EQ(0, wr(MNT "/g/cpus_list", "3\n"));
	EXPECT_TRUE(is(MNT "/cpus_list", "0-2\n"));
	ASSERT_EQ(0, set_online(3, 0));
	/* An offline CPU leaves its group. */
	EXPECT_TRUE(is(MNT "/g/cpus_list", "\n"));
	EXPECT_TRUE(is(MNT "/cpus_list", "0-2\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/cpus_list", "2-3\n"));
	EXPECT_STREQ("Can only assign online CPUs\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/cpus", "8\n"));
	/* Back online: in the default group, with its IDs. */
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(is(MNT "/cpus_list", "0-3\n"));
	EXPECT_TRUE(is(MNT "/g/cpus_list", "\n"));
	EXPECT_TRUE(has_line(EMUL "/cpus", "cpu 3 domain 1 closid 0 rmid 0"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F_TIMEOUT(mon, hotplug_domain_goes_and_comes_back, 180)
{
	char cpu[32], line[64];
	int closid;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	closid = (int)num(MNT "/g/ctrl_hw_id");
	ASSERT_EQ(0, wr(MNT "/g/schemata", "L3:0=3;1=f\n"));
	EXPECT_TRUE(dom_field(1, "overflow", cpu, sizeof(cpu)));
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, set_online(2, 0));
	/* Domain 1 is gone: from schemata, from mon_data, from debugfs. */
	if (is_amd()) {
		EXPECT_TRUE(has_line(MNT "/g/schemata", "  SMBA:0=2048"));
	} else {
		EXPECT_TRUE(is(MNT "/g/schemata",
			       "    MB:0=100\n    L2:0=0ff;1=0ff\n    L3:0=003\n"));
		EXPECT_TRUE(is(MNT "/schemata",
			       "    MB:0=100\n    L2:0=0ff;1=0ff\n    L3:0=7ff\n"));
	}
	EXPECT_TRUE(has_line(MNT "/g/schemata", l3_line(0x3, -1)));
	EXPECT_TRUE(has_line(MNT "/schemata", l3_line(l3_full(), -1)));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L3:1=3\n"));
	EXPECT_NE(0, strcmp(last_cmd(), "ok\n"));
	EXPECT_FALSE(exists(MNT "/g/mon_data/mon_L3_01"));
	EXPECT_FALSE(exists(MNT "/mon_data/mon_L3_01"));
	EXPECT_TRUE(exists(MNT "/g/mon_data/mon_L3_00/llc_occupancy"));
	EXPECT_FALSE(dom_field(1, "cpus", cpu, sizeof(cpu)));
	/* Its workers drop their references and it is freed. */
	EXPECT_TRUE(WAIT_FOR(alive() == 1, 5000));
	/* Groups can still be made; they see only domain 0. */
	ASSERT_EQ(0, mkdir(MNT "/g2", 0755));
	EXPECT_TRUE(exists(MNT "/g2/mon_data/mon_L3_00"));
	EXPECT_FALSE(exists(MNT "/g2/mon_data/mon_L3_01"));
	/* One CPU back: a new domain, with default controls and fresh counts. */
	ASSERT_EQ(0, set_online(2, 1));
	EXPECT_EQ(2, alive());
	EXPECT_TRUE(dom_field(1, "cpus", cpu, sizeof(cpu)));
	EXPECT_STREQ("2", cpu);
	if (!is_amd())
		EXPECT_TRUE(is(MNT "/g/schemata",
			       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff\n    L3:0=003;1=7ff\n"));
	EXPECT_TRUE(has_line(MNT "/g/schemata", l3_line(0x3, l3_full())));
	snprintf(line, sizeof(line), "domain 1 L3 %d %x", closid, l3_full());
	EXPECT_TRUE(has_line(EMUL "/masks", line));
	/* With counter assignment (AMD), nobody has a counter there yet. */
	EXPECT_TRUE(is(MNT "/g2/mon_data/mon_L3_01/mbm_total_bytes",
		       is_amd() ? "Unassigned\n" : "0\n"));
	EXPECT_TRUE(is(MNT "/g/mon_data/mon_L3_01/mbm_total_bytes",
		       is_amd() ? "Unassigned\n" : "0\n"));
	EXPECT_TRUE(dom_field(1, "overflow", cpu, sizeof(cpu)));
	EXPECT_STREQ("2", cpu);
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_EQ(0, rmdir(MNT "/g2"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F_TIMEOUT(mon, worker_moves_off_an_offline_cpu, 120)
{
	char cpu[32], refs[32];
	int c;

	ASSERT_TRUE(dom_field(1, "overflow", cpu, sizeof(cpu)));
	c = atoi(cpu);
	ASSERT_TRUE(c == 2 || c == 3);
	ASSERT_EQ(0, set_online(c, 0));
	/* Never cancelled: it moves when it next runs. */
	EXPECT_TRUE(WAIT_FOR(dom_field(1, "overflow", cpu, sizeof(cpu)) &&
			     atoi(cpu) == 5 - c, 4000));
	/* The list's, the worker's and the CPU map's for the CPU left. */
	EXPECT_TRUE(dom_field(1, "refs", refs, sizeof(refs)));
	EXPECT_STREQ("3", refs);
	ASSERT_EQ(0, set_online(c, 1));
}

TEST_F_TIMEOUT(mon, limbo, 400)
{
	char buf[32], path[64];
	long long thr = num(MNT "/info/L3_MON/max_threshold_occupancy");
	int n, r, busy_ms = 0;

	ASSERT_LT(0, thr);
	/* Every RMID but the default group's. */
	for (n = 0;; n++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", n);
		if (mkdir(path, 0755))
			break;
	}
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_STREQ("Out of RMIDs\n", last_cmd());
	ASSERT_LT(100, n);
	/* Dirty in domain 0: into limbo; mkdir says EBUSY meanwhile. */
	r = rmid_of(MNT "/mon_groups/m0");
	ASSERT_EQ(0, emul_set(0, r, 1, 1ULL << 20));
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/m0"));
	EXPECT_TRUE(dom_field(0, "limbo_rmids", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	EXPECT_TRUE(dom_field(0, "limbo", buf, sizeof(buf)));
	EXPECT_STRNE("none", buf);
	EXPECT_EQ(-1, mkdir(MNT "/mon_groups/x", 0755));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_STREQ("Out of RMIDs\n", last_cmd());
	/* Decaying (halving every 300 ms), it leaves limbo on its own. */
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "300\n"));
	while (mkdir(MNT "/mon_groups/x", 0755) && busy_ms < 20000) {
		ASSERT_EQ(EBUSY, errno);
		usleep(100000);
		busy_ms += 100;
	}
	EXPECT_LT(busy_ms, 20000);
	EXPECT_LT(1000, busy_ms) TH_LOG("reused before it decayed");
	EXPECT_EQ(r, rmid_of(MNT "/mon_groups/x"));
	EXPECT_TRUE(WAIT_FOR(dom_field(0, "limbo", buf, sizeof(buf)) &&
			     !strcmp(buf, "none"), 3000));
	/* Dirty in domain 1, which goes offline: forced clean, as upstream. */
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "0\n"));
	r = rmid_of(MNT "/mon_groups/m1");
	ASSERT_EQ(0, emul_set(1, r, 1, 1ULL << 20));
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/m1"));
	EXPECT_TRUE(dom_field(1, "limbo_rmids", buf, sizeof(buf)));
	EXPECT_STREQ("1", buf);
	EXPECT_EQ(-1, mkdir(MNT "/mon_groups/y", 0755));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_EQ(0, mkdir(MNT "/mon_groups/y", 0755));
	all_online();
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof(path), MNT "/mon_groups/m%d", i);
		rmdir(path);
	}
	rmdir(MNT "/mon_groups/x");
	rmdir(MNT "/mon_groups/y");
}

/* Reads every mon_data file below @dir's groups until killed. */
static void reader(void)
{
	char path[128], buf[64];
	unsigned int seed = getpid();

	for (;;) {
		int g = rand_r(&seed) % 8, m = rand_r(&seed) % 9, d = rand_r(&seed) % 2;
		const char *e = rand_r(&seed) % 2 ? "mbm_total_bytes" : "llc_occupancy";

		if (m == 8)
			snprintf(path, sizeof(path), MNT "/c%d/mon_data/mon_L3_%02d/%s", g, d, e);
		else
			snprintf(path, sizeof(path), MNT "/c%d/mon_groups/m%d/mon_data/mon_L3_%02d/%s",
				 g, m, d, e);
		rd(path, buf, sizeof(buf));
	}
}

/* Makes and removes a MON group, dirty so that it goes through limbo. */
static void churner(void)
{
	for (int i = 0;; i++) {
		int r;

		if (mkdir(MNT "/mon_groups/churn", 0755))
			continue;
		r = rmid_of(MNT "/mon_groups/churn");
		emul_set(i % 2, r, 1, 1ULL << 16);
		rmdir(MNT "/mon_groups/churn");
	}
}

/* The harness' limit is for the soak (scripts/soak.sh); test.sh's own per
 * program limit holds the short run. */
TEST_F_TIMEOUT(mon, hotplug_storm, 86400)
{
	const char *env = getenv("RESCTRL_HOTPLUG_CYCLES");
	int cycles = env ? atoi(env) : 50, groups = 1;
	pid_t kids[3];
	char path[128];
	unsigned int seed = 0x5eed2026;
	time_t start = time(NULL);

	ASSERT_EQ(0, wr(EMUL "/decay_ms", "20\n"));
	/* 64 groups: the default, 7 CTRL_MON groups with 8 MON groups each. */
	for (int g = 0; g < 7; g++) {
		snprintf(path, sizeof(path), MNT "/c%d", g);
		ASSERT_EQ(0, mkdir(path, 0755));
		groups++;
		for (int m = 0; m < 8; m++) {
			snprintf(path, sizeof(path), MNT "/c%d/mon_groups/m%d", g, m);
			ASSERT_EQ(0, mkdir(path, 0755));
			groups++;
		}
	}
	ASSERT_EQ(64, groups);
	for (int k = 0; k < 3; k++) {
		kids[k] = fork();
		if (!kids[k]) {
			if (k < 2)
				reader();
			churner();
		}
	}
	for (int i = 0; i < cycles; i++) {
		int c = 1 + rand_r(&seed) % 3;

		ASSERT_EQ(0, set_online(c, 0)) TH_LOG("cycle %d: offline %d", i, c);
		if (rand_r(&seed) % 2) {
			int c2 = 1 + (c % 3);

			set_online(c2, 0);
			usleep(rand_r(&seed) % 200000);
			ASSERT_EQ(0, set_online(c2, 1));
		}
		usleep(rand_r(&seed) % 200000);
		ASSERT_EQ(0, set_online(c, 1)) TH_LOG("cycle %d: online %d", i, c);
		if ((i + 1) % 100 == 0)
			fprintf(stderr, "# %d of %d cycles, %ld s\n", i + 1, cycles,
				(long)(time(NULL) - start));
	}
	for (int k = 0; k < 3; k++) {
		kill(kids[k], SIGKILL);
		waitpid(kids[k], NULL, 0);
	}
	fprintf(stderr, "# %d hotplug cycles in %ld s\n", cycles, (long)(time(NULL) - start));
	EXPECT_TRUE(is(MNT "/cpus_list", "0-3\n"));
	EXPECT_TRUE(exists(MNT "/c6/mon_groups/m7/mon_data/mon_L3_01/llc_occupancy"));
	EXPECT_TRUE(WAIT_FOR(alive() == 2, 5000));
	rmdir(MNT "/mon_groups/churn");
	for (int g = 0; g < 7; g++) {
		snprintf(path, sizeof(path), MNT "/c%d", g);
		EXPECT_EQ(0, rmdir(path));
	}
}

TEST_HARNESS_MAIN
