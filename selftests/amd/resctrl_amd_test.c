// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs on the emulated AMD part (booted resctrl_rs.emulate=amd; QEMU
 * guest: 4 CPUs, L3 domains 0 = CPUs 0-1, 1 = CPUs 2-3): L3 masks that may
 * be sparse or empty, MBA and SMBA in 1/8 GB/s units, L3 CDP with a
 * per-CPU switch, bandwidth event configuration (BMEC), 44-bit counters,
 * and upstream 6.12's files, values and messages for them. They run in
 * the default mode of counter assignment, where BMEC's files are (see
 * resctrl_abmc_test for the mbm_event mode, on by default).
 *
 * scripts/test.sh runs it in a boot of its own; on another part it fails
 * at once, saying so.
 */
#define _GNU_SOURCE
#include <errno.h>
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
#include "../resctrl_module.h"
#include "../resctrl_util.h"

FIXTURE(amd) {};

FIXTURE_SETUP(amd)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_TRUE(is(EMUL "/flavour", "amd\n")) {
		TH_LOG("not the emulated AMD part: boot with resctrl_rs.emulate=amd");
	}
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, wr(MNT "/info/L3_MON/mbm_assign_mode", "default\n"));
}

FIXTURE_TEARDOWN(amd)
{
	wr(MNT "/info/L3_MON/mbm_assign_mode", "mbm_event\n");
	umount(MNT);
}

TEST_F(amd, info_tree)
{
	struct stat st;

	EXPECT_TRUE(is(MNT "/info/L3/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/info/L3/cbm_mask", "ffff\n"));
	EXPECT_TRUE(is(MNT "/info/L3/min_cbm_bits", "0\n"));
	EXPECT_TRUE(is(MNT "/info/L3/shareable_bits", "0\n"));
	EXPECT_TRUE(is(MNT "/info/L3/sparse_masks", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=SSSSSSSSSSSSSSSS;1=SSSSSSSSSSSSSSSS\n"));
	/* MB and SMBA: raw bandwidth, 0 to 1 << BW_LEN, no throttle mode. */
	EXPECT_TRUE(is(MNT "/info/MB/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/info/MB/min_bandwidth", "0\n"));
	EXPECT_TRUE(is(MNT "/info/MB/bandwidth_gran", "1\n"));
	EXPECT_TRUE(is(MNT "/info/MB/delay_linear", "0\n"));
	EXPECT_EQ(-1, stat(MNT "/info/MB/thread_throttle_mode", &st));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_TRUE(is(MNT "/info/SMBA/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/info/SMBA/min_bandwidth", "0\n"));
	EXPECT_TRUE(is(MNT "/info/SMBA/bandwidth_gran", "1\n"));
	EXPECT_TRUE(is(MNT "/info/SMBA/delay_linear", "0\n"));
	EXPECT_EQ(-1, stat(MNT "/info/SMBA/thread_throttle_mode", &st));
	/* With BMEC, each bandwidth event's configuration follows it. */
	EXPECT_TRUE(is(MNT "/info/L3_MON/mon_features",
		       "llc_occupancy\nmbm_total_bytes\nmbm_total_bytes_config\n"
		       "mbm_local_bytes\nmbm_local_bytes_config\n"));
	/* 24 + 20 bits: leaf 0xF reports no offset, as AMD parts. */
	EXPECT_TRUE(is(EMUL "/width", "44\n"));
}

TEST_F(amd, default_values)
{
	char buf[256];
	long l3;

	/*
	 * Upstream's order (SMBA, MB, L3), names right-aligned to the width
	 * of "L3CODE": L3 can have CDP.
	 */
	EXPECT_TRUE(is(MNT "/schemata",
		       "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=ffff;1=ffff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 0 ffff"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 15 2048"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 SMBA 15 2048"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=ffff;1=ffff\n"));
	/* size: the cache in bytes, bandwidth values as they are. */
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index3/size", buf, sizeof(buf)));
	l3 = atol(buf) * 1024;
	snprintf(buf, sizeof(buf), "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=%ld;1=%ld\n",
		 l3 / 16 * 16, l3 / 16 * 16);
	EXPECT_TRUE(is(MNT "/g/size", buf));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(amd, bandwidth)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	/* 2 GB/s is 16 units of 1/8 GB/s; 0 is allowed. */
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:1=16\n"));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "SMBA:0=0;1=100\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "  SMBA:0=   0;1= 100\n    MB:0=2048;1=  16\n    L3:0=ffff;1=ffff\n"));
	/* The MSRs hold the values as they are, no delay conversion. */
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 1 16"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 SMBA 1 0"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 SMBA 1 100"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 MB 1 2048"));

	struct { const char *in, *msg; } bad[] = {
		{ "MB:0=2049\n", "MB value 2049 out of range [0,2048]\nLine 1: MB:0=2049\n" },
		{ "MB:0=x\n", "Invalid MB value x\nLine 1: MB:0=x\n" },
		{ "MB:0=0x10\n", "Invalid MB value 0x10\nLine 1: MB:0=0x10\n" },
		/* SMBA is parsed as MB is: upstream's messages say "MB". */
		{ "SMBA:1=4096\n", "MB value 4096 out of range [0,2048]\nLine 1: SMBA:1=4096\n" },
		{ "SMBA:1=-1\n", "Invalid MB value -1\nLine 1: SMBA:1=-1\n" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", bad[i].in));
		EXPECT_STREQ(bad[i].msg, last_cmd());
	}
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "  SMBA:0=   0;1= 100\n    MB:0=2048;1=  16\n    L3:0=ffff;1=ffff\n"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	/* A new group in the same CLOSID starts unthrottled again. */
	ASSERT_EQ(0, mkdir(MNT "/h", 0755));
	EXPECT_TRUE(is(MNT "/h/schemata",
		       "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=ffff;1=ffff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 1 2048"));
	EXPECT_EQ(0, rmdir(MNT "/h"));
	/* The software controller needs linear MBA, which AMD's is not. */
	umount(MNT);
	EXPECT_EQ(-1, mount("resctrl", MNT, "resctrl", 0, "mba_MBps"));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
}

TEST_F(amd, sparse_and_empty_masks)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3:0=f0f;1=0\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=0f0f;1=0000\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 1 f0f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 1 0"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L3:0=10000\n"));
	EXPECT_STREQ("Mask out of range\nLine 1: L3:0=10000\n", last_cmd());
	/* An exclusive group with a sparse mask; overlaps are still refused. */
	EXPECT_EQ(0, wr(MNT "/schemata", "L3:0=00f0;1=ffff\n"));
	EXPECT_EQ(0, wr(MNT "/g/mode", "exclusive\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/schemata", "L3:0=0100\n"));
	EXPECT_STREQ("Overlaps with exclusive group\nLine 1: L3:0=0100\n", last_cmd());
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=0000EEEESSSSEEEE;1=SSSSSSSSSSSSSSSS\n"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(amd, hotplug_keeps_values)
{
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "MB:1=16\nSMBA:1=8\n"));
	/* Domain 1 goes away with its last CPU and comes back at defaults. */
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_TRUE(is(MNT "/g/schemata", "  SMBA:0=2048\n    MB:0=2048\n    L3:0=ffff\n"));
	ASSERT_EQ(0, set_online(2, 1));
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n    L3:0=ffff;1=ffff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 MB 1 2048"));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "SMBA:1=8\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 SMBA 1 8"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	all_online();
}

TEST_F(amd, cdp_per_cpu)
{
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L3", 0));
	/* This part has no L2 allocation, so no L2 CDP. */
	EXPECT_EQ(-1, mount("resctrl", MNT, "resctrl", 0, "cdpl2"));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp"));
	/* AMD's switch is per CPU: every CPU has it on. */
	EXPECT_TRUE(qos_cfg_all("L3", 1));
	EXPECT_TRUE(is(MNT "/info/L3CODE/num_closids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/sparse_masks", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/min_cbm_bits", "0\n"));
	/* MB and SMBA keep all their CLOSIDs. */
	EXPECT_TRUE(is(MNT "/info/MB/num_closids", "16\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3CODE:0=f0f;1=0\n"));
	EXPECT_TRUE(is(MNT "/g/schemata", "  SMBA:0=2048;1=2048\n    MB:0=2048;1=2048\n"
		       "L3DATA:0=ffff;1=ffff\nL3CODE:0=0f0f;1=0000\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 3 f0f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 3 0"));
	/* A CPU that comes back gets the switch on. */
	ASSERT_EQ(0, set_online(1, 0));
	ASSERT_EQ(0, set_online(1, 1));
	EXPECT_TRUE(qos_cfg_all("L3", 1));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L3", 0));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 3 ffff"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
}

/* The number in @path, or -2 if it reads "Unavailable". */
static long long num_or_unavailable(const char *path)
{
	if (is(path, "Unavailable\n"))
		return -2;
	return num(path);
}

TEST_F(amd, event_configuration)
{
	const char *total = MNT "/g/mon_data/mon_L3_00/mbm_total_bytes";
	const char *local = MNT "/g/mon_data/mon_L3_00/mbm_local_bytes";
	long long before, after, t, l;
	pid_t p;

	/* The hardware's defaults: all traffic, and local traffic. */
	EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x7f;1=0x7f\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_local_bytes_config", "0=0x15;1=0x15\n"));

	struct { const char *in, *msg; } bad[] = {
		{ "0=0x80\n", "Invalid event configuration: max valid mask is 0x7f\n" },
		{ "x=1\n", "Missing '=' or non-numeric domain id\n" },
		{ "0\n", "Non-numeric event configuration value\n" },
		{ "0=zz\n", "Non-numeric event configuration value\n" },
		/* An unknown domain: no message, as upstream. */
		{ "5=1\n", "ok\n" },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, wr(MNT "/info/L3_MON/mbm_total_bytes_config", bad[i].in));
		EXPECT_STREQ(bad[i].msg, last_cmd());
	}
	EXPECT_EQ(-EINVAL, wr(MNT "/info/L3_MON/mbm_total_bytes_config", "0=1"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x7f;1=0x7f\n"));

	/* A spinning group's count starts over when its domain's bits change. */
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	p = spawn_spinner(1);
	ASSERT_LT(0, p);
	ASSERT_EQ(0, wrf(MNT "/g/tasks", "%d\n", p));
	usleep(500000);
	before = num(total);
	EXPECT_LT(0, before);
	/* Local reads only: a quarter of the traffic; applied as parsed. */
	EXPECT_EQ(0, wr(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x1;1=7f\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x01;1=0x7f\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 EVT_CFG 0 1"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 EVT_CFG 1 15"));
	/* The next read is unavailable (unless the overflow worker read first). */
	after = num_or_unavailable(total);
	EXPECT_TRUE(after == -2 || (after >= 0 && after < before)) {
		TH_LOG("before %lld after %lld", before, after);
	}
	num_or_unavailable(local);
	usleep(1000000);
	/*
	 * Both count from the change, as the hardware cleared them: local
	 * (0x15, half the traffic) about twice total (0x1, a quarter).
	 */
	t = num(total);
	l = num(local);
	EXPECT_LT(0, t);
	EXPECT_LT(t * 3 / 2, l) {
		TH_LOG("total %lld local %lld", t, l);
	}
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	/* Writing the same bits changes nothing. */
	EXPECT_EQ(0, wr(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x01\n"));
	EXPECT_EQ(0, wr(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x7f;\n"));
	EXPECT_TRUE(is(MNT "/info/L3_MON/mbm_total_bytes_config", "0=0x7f;1=0x7f\n"));
	/* As upstream, a write ends at a NUL as at its newline. */
	EXPECT_EQ(0, wrn(MNT "/info/L3_MON/mbm_local_bytes_config", "1=0x15\0junk\n", 12));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	/* The next program finds no counter waiting to read Unavailable. */
	EXPECT_EQ(0, wr(EMUL "/counters", "clear\n"));
}

TEST_F(amd, wide_counters)
{
	const char *path = MNT "/g/mon_data/mon_L3_00/mbm_total_bytes";
	long long a, b;
	int rmid;

	umount(MNT);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	rmid = rmid_of(MNT "/g");
	ASSERT_LT(0, rmid);
	/*
	 * A step of 2^30 units: a driver that took the counter for 24 bits
	 * wide would see it modulo 2^24, that is not at all.
	 */
	ASSERT_EQ(0, emul_set(0, rmid, 2, 1000));
	a = num(path);
	ASSERT_EQ(0, emul_set(0, rmid, 2, 1000 + (1ULL << 30)));
	b = num(path);
	EXPECT_EQ((1LL << 30) * 64, b - a) {
		TH_LOG("a %lld b %lld", a, b);
	}
	/* And across the 44-bit wrap, no overflow is lost or invented. */
	ASSERT_EQ(0, emul_set(0, rmid, 2, (1ULL << 44) - 1000));
	a = num(path);
	ASSERT_EQ(0, emul_set(0, rmid, 2, 24));
	b = num(path);
	EXPECT_EQ(1024LL * 64, b - a);
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

/*
 * AMD's hardware has no package telemetry (Intel's PERF_PKG): neither has
 * the emulated part, and resctrl_aet does not load.
 */
TEST_F(amd, no_package_telemetry)
{
	if (!getenv("RESCTRL_MODULES"))
		SKIP(return, "RESCTRL_MODULES not set");
	EXPECT_EQ(-ENODEV, load_module("resctrl_aet", ""));
	EXPECT_TRUE(log_has("resctrl_aet: no telemetry source"));
}

TEST_HARNESS_MAIN
