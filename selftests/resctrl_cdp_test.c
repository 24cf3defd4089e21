// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: code and data prioritisation (mount -o cdp, -o cdpl2) and L2
 * CAT on the emulated Intel part (QEMU guest: 4 CPUs, L3 domains 0 = CPUs
 * 0-1, 1 = CPUs 2-3, one L2 per CPU with the CPU's number as its id): the
 * CODE and DATA schemas, their info directories, half the CLOSIDs, masks at
 * MSRs 2n (data) and 2n+1 (code), the enable bits of IA32_L3_QOS_CFG and
 * IA32_L2_QOS_CFG, the overlap rules across the two halves, and L2 domains
 * that follow CPU hotplug.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

FIXTURE(cdp) {};

FIXTURE_SETUP(cdp)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_TRUE(qos_cfg_all("L3", 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp"));
}

FIXTURE_TEARDOWN(cdp)
{
	umount(MNT);
	all_online();
}

TEST_F(cdp, schemas_and_info)
{
	struct stat st;

	EXPECT_TRUE(qos_cfg_all("L3", 1));
	EXPECT_EQ(-1, stat(MNT "/info/L3", &st));
	EXPECT_TRUE(is(MNT "/info/L3CODE/num_closids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/num_closids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/cbm_mask", "7ff\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/shareable_bits", "600\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/min_cbm_bits", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/sparse_masks", "0\n"));
	EXPECT_TRUE(is(MNT "/info/MB/num_closids", "8\n"));
	/* Data before code, as upstream lists them. */
	EXPECT_TRUE(is(MNT "/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\nL3DATA:0=7ff;1=7ff\nL3CODE:0=7ff;1=7ff\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/schemata", "L3:0=f\n"));
	EXPECT_STREQ("Unknown or unsupported resource name 'L3'\nLine 1: L3:0=f\n", last_cmd());
	/* Unmounting turns CDP off and resets every mask. */
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L3", 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(is(MNT "/info/L3/num_closids", "16\n"));
	EXPECT_EQ(-1, stat(MNT "/info/L3CODE", &st));
	EXPECT_TRUE(is(MNT "/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\n    L3:0=7ff;1=7ff\n"));
}

TEST_F(cdp, masks_at_2n_and_2n_plus_1)
{
	char buf[256];
	long l3, l2;

	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\nL3DATA:0=7ff;1=7ff\nL3CODE:0=7ff;1=7ff\n"));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3DATA:0=f;1=3\nL3CODE:0=f0\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\nL3DATA:0=00f;1=003\nL3CODE:0=0f0;1=7ff\n"));
	/* CLOSID 1: data at index 2, code at 3. */
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 2 f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 3 f0"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 2 3"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 3 7ff"));
	/* size: each half's mask in bytes. */
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index3/size", buf, sizeof(buf)));
	l3 = atol(buf) * 1024;
	ASSERT_LT(0, rd("/sys/devices/system/cpu/cpu0/cache/index2/size", buf, sizeof(buf)));
	l2 = atol(buf) * 1024;
	snprintf(buf, sizeof(buf),
		 "    MB:0=100;1=100\n    L2:0=%ld;1=%ld;2=%ld;3=%ld\n"
		 "L3DATA:0=%ld;1=%ld\nL3CODE:0=%ld;1=%ld\n",
		 l2, l2, l2, l2, l3 / 11 * 4, l3 / 11 * 2, l3 / 11 * 4, l3 / 11 * 11);
	EXPECT_TRUE(is(MNT "/g/size", buf));
	/* bit_usage: each half on its own. */
	EXPECT_TRUE(is(MNT "/info/L3DATA/bit_usage", "0=XXSSSSSSSSS;1=XXSSSSSSSSS\n"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/bit_usage", "0=XXSSSSSSSSS;1=XXSSSSSSSSS\n"));
	EXPECT_EQ(0, wr(MNT "/schemata", "L3CODE:0=100\n"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/bit_usage", "0=HHSSSSS0000;1=XXSSSSSSSSS\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/bit_usage", "0=XXSSSSSSSSS;1=XXSSSSSSSSS\n"));
	/* Pseudo-locking is refused with CDP on, saying so. */
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mode", "pseudo-locksetup\n"));
	EXPECT_STREQ("CDP enabled\n", last_cmd());
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(cdp, exclusive_across_halves)
{
	ASSERT_EQ(0, wr(MNT "/schemata", "L3DATA:0=700;1=700\nL3CODE:0=700;1=700\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	/* A new group gets, per half, what no one else holds. */
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\nL3DATA:0=7ff;1=7ff\nL3CODE:0=7ff;1=7ff\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mode", "exclusive\n"));
	EXPECT_STREQ("Schemata overlaps\n", last_cmd());
	ASSERT_EQ(0, wr(MNT "/g/schemata", "L3DATA:0=f;1=f\nL3CODE:0=f0;1=f0\n"));
	/* Room in L2 too: exclusive holds for every cache. */
	ASSERT_EQ(0, wr(MNT "/schemata", "L2:0=f;1=f;2=f;3=f\n"));
	ASSERT_EQ(0, wr(MNT "/g/schemata", "L2:0=f0;1=f0;2=f0;3=f0\n"));
	EXPECT_EQ(0, wr(MNT "/g/mode", "exclusive\n"));
	/* The default group's code may not take g's data bits (0-3). */
	EXPECT_EQ(-EINVAL, wr(MNT "/schemata", "L3CODE:0=3\n"));
	EXPECT_STREQ("Overlaps with exclusive group\nLine 1: L3CODE:0=3\n", last_cmd());
	EXPECT_EQ(0, wr(MNT "/schemata", "L3CODE:0=700\n"));
	/* An exclusive group's halves may overlap each other. */
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3CODE:0=f\n"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(cdp, hotplug_keeps_cdp)
{
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, set_online(3, 0));
	EXPECT_TRUE(is(MNT "/schemata", "    MB:0=100\n    L2:0=0ff;1=0ff\nL3DATA:0=7ff\nL3CODE:0=7ff\n"));
	ASSERT_EQ(0, set_online(3, 1));
	ASSERT_EQ(0, set_online(2, 1));
	/* The domain comes back with CDP on and every mask at its default. */
	EXPECT_TRUE(qos_cfg_all("L3", 1));
	EXPECT_TRUE(is(MNT "/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=0ff\nL3DATA:0=7ff;1=7ff\nL3CODE:0=7ff;1=7ff\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L3CODE:1=3\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L3 3 3"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
}

TEST_F(cdp, mount_options)
{
	/* Already mounted: EBUSY. */
	EXPECT_EQ(-1, mount("resctrl", "/mnt", "resctrl", 0, "cdp"));
	EXPECT_EQ(EBUSY, errno);
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L3", 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp"));
	EXPECT_TRUE(qos_cfg_all("L3", 1));
}

/*
 * L2 CAT: one domain per L2 cache (here one per CPU, ids 0-3, as cacheinfo
 * has them), following CPU hotplug as the L3 domains do.
 */
TEST_F(cdp, l2_domains)
{
	umount(MNT);
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L2:1=f;3=3c\n"));
	EXPECT_STREQ("ok\n", last_cmd());
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=00f;2=0ff;3=03c\n    L3:0=7ff;1=7ff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L2 1 f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 3 L2 1 3c"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L2:0=1ff\n"));
	EXPECT_STREQ("Mask out of range\nLine 1: L2:0=1ff\n", last_cmd());
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L2:0=81\n"));
	EXPECT_STREQ("The mask 81 has non-consecutive 1-bits\nLine 1: L2:0=81\n", last_cmd());
	EXPECT_TRUE(is(MNT "/info/L2/bit_usage", "0=SSSSSSSS;1=SSSSSSSS;2=SSSSSSSS;3=SSSSSSSS\n"));
	/* CPU 1 takes its L2 with it; it comes back at its defaults. */
	ASSERT_EQ(0, set_online(1, 0));
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;2=0ff;3=03c\n    L3:0=7ff;1=7ff\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g/schemata", "L2:1=f\n"));
	ASSERT_EQ(0, set_online(1, 1));
	EXPECT_TRUE(is(MNT "/g/schemata",
		       "    MB:0=100;1=100\n    L2:0=0ff;1=0ff;2=0ff;3=03c\n    L3:0=7ff;1=7ff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 1 L2 1 ff"));
	/* An exclusive group's L2 masks overlap no one's. */
	EXPECT_EQ(-EINVAL, wr(MNT "/g/mode", "exclusive\n"));
	EXPECT_STREQ("Schemata overlaps\n", last_cmd());
	EXPECT_EQ(0, rmdir(MNT "/g"));
	umount(MNT);
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 3 L2 1 ff"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp"));
}

TEST_F(cdp, cdpl2)
{
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L2", 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdpl2"));
	EXPECT_TRUE(qos_cfg_all("L2", 1));
	EXPECT_TRUE(qos_cfg_all("L3", 0));
	EXPECT_TRUE(is(MNT "/info/L2CODE/num_closids", "8\n"));
	EXPECT_TRUE(is(MNT "/info/L2DATA/cbm_mask", "ff\n"));
	EXPECT_TRUE(is(MNT "/info/L3/num_closids", "16\n"));
	EXPECT_TRUE(is(MNT "/schemata", "    MB:0=100;1=100\n"
		       "L2DATA:0=0ff;1=0ff;2=0ff;3=0ff\nL2CODE:0=0ff;1=0ff;2=0ff;3=0ff\n"
		       "    L3:0=7ff;1=7ff\n"));
	ASSERT_EQ(0, mkdir(MNT "/g", 0755));
	EXPECT_EQ(0, wr(MNT "/g/schemata", "L2CODE:2=f0\nL2DATA:2=f\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 2 L2 2 f"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 2 L2 3 f0"));
	/* A CPU whose L2 comes back gets the switch on. */
	ASSERT_EQ(0, set_online(2, 0));
	ASSERT_EQ(0, set_online(2, 1));
	EXPECT_TRUE(qos_cfg_all("L2", 1));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 2 L2 3 ff"));
	EXPECT_EQ(0, rmdir(MNT "/g"));
	/* Both levels at once. */
	umount(MNT);
	EXPECT_TRUE(qos_cfg_all("L2", 0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp,cdpl2"));
	EXPECT_TRUE(qos_cfg_all("L2", 1));
	EXPECT_TRUE(qos_cfg_all("L3", 1));
	EXPECT_TRUE(is(MNT "/schemata", "    MB:0=100;1=100\n"
		       "L2DATA:0=0ff;1=0ff;2=0ff;3=0ff\nL2CODE:0=0ff;1=0ff;2=0ff;3=0ff\n"
		       "L3DATA:0=7ff;1=7ff\nL3CODE:0=7ff;1=7ff\n"));
}

TEST_HARNESS_MAIN
