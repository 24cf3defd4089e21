// SPDX-License-Identifier: GPL-2.0
/*
 * io_alloc (upstream 6.19, AMD's SDCIAE) on the emulated AMD part (booted
 * resctrl_rs.emulate=amd; QEMU guest: 4 CPUs, L3 domains 0 = CPUs 0-1,
 * 1 = CPUs 2-3; 16 CLOSIDs, 16-bit masks): upstream's files, formats,
 * errnos and last_cmd_status texts; the highest CLOSID reserved while it is
 * on; its mask as hardware's in bit_usage and for the groups' masks; both
 * halves under CDP; L3_QOS_EXT_CFG bit 1 on every CPU, CPUs that come back
 * included; off again at unmount.
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
#include "../resctrl_util.h"

#define IO MNT "/info/L3/io_alloc"
#define CBM MNT "/info/L3/io_alloc_cbm"

FIXTURE(io) {};

FIXTURE_SETUP(io)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_TRUE(is(EMUL "/flavour", "amd\n")) {
		TH_LOG("not the emulated AMD part: boot with resctrl_rs.emulate=amd");
	}
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
}

FIXTURE_TEARDOWN(io)
{
	all_online();
	umount(MNT);
}

/* Whether every CPU's L3_QOS_EXT_CFG has SDCIAE (bit 1) as @on. */
static int sdciae_all(int on)
{
	char buf[4096], *p;
	int n = 0;

	if (rd(EMUL "/qos_cfg", buf, sizeof(buf)) < 0)
		return 0;
	for (p = strstr(buf, " EXT "); p; p = strstr(p + 1, " EXT ")) {
		if (((strtol(p + 5, NULL, 10) >> 1) & 1) != on)
			return 0;
		n++;
	}
	return n == 4;
}

TEST_F(io, switch_and_masks)
{
	static const struct {
		const char *in, *status;
	} bad[] = {
		{ "*=f;0=ff\n", "Configurations after global '*'\n" },
		{ "x=ff\n", "Missing '=' or non-numeric domain\n" },
		{ "0\n", "Missing '=' or non-numeric domain\n" },
		{ "5=ff\n", "Invalid domain 5\n" },
		{ "0=xyz\n", "Non-hex character in the mask xyz\n" },
		{ "0=1ffff\n", "Mask out of range\n" },
		{ "0=f;0=f\n", "Duplicate domain 0\n" },
	};
	char buf[64];

	EXPECT_TRUE(is(IO, "disabled\n"));
	EXPECT_EQ(-EINVAL, rd(CBM, buf, sizeof(buf)));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "io_alloc is not enabled on L3\n"));
	EXPECT_EQ(-EINVAL, wr(CBM, "0=ff\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "io_alloc is not enabled on L3\n"));
	EXPECT_EQ(-EINVAL, wr(IO, "x\n"));
	EXPECT_TRUE(sdciae_all(0));

	ASSERT_EQ(0, wr(IO, "1\n"));
	EXPECT_TRUE(is(IO, "enabled\n"));
	EXPECT_TRUE(sdciae_all(1));
	/* All of each cache: the default group's mask is shareable. */
	EXPECT_TRUE(is(CBM, "0=ffff;1=ffff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 15 ffff"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=XXXXXXXXXXXXXXXX;1=XXXXXXXXXXXXXXXX\n"));
	ASSERT_EQ(0, wr(CBM, "0=ff\n"));
	EXPECT_TRUE(is(CBM, "0=00ff;1=ffff\n"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 15 ff"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=SSSSSSSSXXXXXXXX;1=XXXXXXXXXXXXXXXX\n"));
	ASSERT_EQ(0, wr(CBM, "*= f0 \n"));
	EXPECT_TRUE(is(CBM, "0=00f0;1=00f0\n"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, wr(CBM, bad[i].in)) {
			TH_LOG("writing \"%s\"", bad[i].in);
		}
		EXPECT_TRUE(is(MNT "/info/last_cmd_status", bad[i].status));
	}
	EXPECT_EQ(-EINVAL, wr(CBM, "0=ff"));
	EXPECT_TRUE(is(CBM, "0=00f0;1=00f0\n"));
	/* Writing the state in force does nothing. */
	EXPECT_EQ(0, wr(IO, "y\n"));
	EXPECT_TRUE(is(CBM, "0=00f0;1=00f0\n"));

	ASSERT_EQ(0, wr(IO, "0\n"));
	EXPECT_TRUE(is(IO, "disabled\n"));
	EXPECT_TRUE(sdciae_all(0));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=SSSSSSSSSSSSSSSS;1=SSSSSSSSSSSSSSSS\n"));
}

TEST_F(io, highest_closid)
{
	char path[64];
	int i;

	ASSERT_EQ(0, wr(IO, "1\n"));
	/* CLOSIDs 1-14 are the groups'; 15 is io_alloc's. */
	for (i = 1; i <= 14; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	EXPECT_EQ(-1, mkdir(MNT "/g15", 0755));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Out of CLOSIDs\n"));
	ASSERT_EQ(0, wr(IO, "0\n"));
	ASSERT_EQ(0, mkdir(MNT "/g15", 0755));
	EXPECT_EQ(-ENOSPC, wr(IO, "1\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status",
		       "CLOSID (ctrl_hw_id) 15 for io_alloc is used by g15 group\n"));
	EXPECT_TRUE(is(IO, "disabled\n"));
	EXPECT_TRUE(sdciae_all(0));
	ASSERT_EQ(0, rmdir(MNT "/g15"));
	EXPECT_EQ(0, wr(IO, "1\n"));
	EXPECT_TRUE(is(IO, "enabled\n"));
	for (i = 1; i <= 14; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		rmdir(path);
	}
}

/* Its mask is hardware's: exclusive groups may not overlap it, new groups avoid it. */
TEST_F(io, against_groups)
{
	ASSERT_EQ(0, wr(MNT "/schemata", "L3:0=0ff0;1=0ff0\n"));
	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, wr(MNT "/g1/schemata", "L3:0=000f;1=000f\n"));
	ASSERT_EQ(0, wr(IO, "1\n"));
	EXPECT_TRUE(is(CBM, "0=ffff;1=ffff\n"));
	EXPECT_EQ(-EINVAL, wr(MNT "/g1/mode", "exclusive\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Schemata overlaps\n"));
	ASSERT_EQ(0, wr(CBM, "*=f000\n"));
	ASSERT_EQ(0, wr(MNT "/g1/mode", "exclusive\n"));
	EXPECT_EQ(-EINVAL, wr(CBM, "0=000f\n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "Overlaps with exclusive group\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=HHHHSSSSSSSSEEEE;1=HHHHSSSSSSSSEEEE\n"));
	/* A shareable group's mask may overlap it. */
	ASSERT_EQ(0, mkdir(MNT "/g2", 0755));
	EXPECT_TRUE(has_line(MNT "/g2/schemata", l3_line(0x0ff0, 0x0ff0)));
	ASSERT_EQ(0, wr(MNT "/g2/schemata", "L3:0=ff00\n"));
	EXPECT_TRUE(is(MNT "/info/L3/bit_usage",
		       "0=XXXXSSSSSSSSEEEE;1=HHHHSSSSSSSSEEEE\n"));
}

TEST_F(io, cdp_halves)
{
	char path[64];
	int i;

	ASSERT_EQ(0, umount(MNT));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "cdp"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/io_alloc", "disabled\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/io_alloc", "disabled\n"));
	ASSERT_EQ(0, wr(MNT "/info/L3CODE/io_alloc", "1\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/io_alloc", "enabled\n"));
	EXPECT_TRUE(is(MNT "/info/L3DATA/io_alloc_cbm", "0=ffff;1=ffff\n"));
	ASSERT_EQ(0, wr(MNT "/info/L3DATA/io_alloc_cbm", "0=ff\n"));
	EXPECT_TRUE(is(MNT "/info/L3CODE/io_alloc_cbm", "0=00ff;1=ffff\n"));
	/* CLOSID 7 of 8: data at index 14, code at 15. */
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 14 ff"));
	EXPECT_TRUE(has_line(EMUL "/masks", "domain 0 L3 15 ff"));
	for (i = 1; i <= 6; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	EXPECT_EQ(-1, mkdir(MNT "/g7", 0755));
	for (i = 1; i <= 6; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		rmdir(path);
	}
}

TEST_F(io, hotplug_and_unmount)
{
	char path[64];
	int i;

	ASSERT_EQ(0, wr(IO, "1\n"));
	ASSERT_EQ(0, wr(CBM, "*=ff\n"));
	/* A CPU that comes back has SDCIAE on again. */
	ASSERT_EQ(0, set_online(1, 0));
	ASSERT_EQ(0, set_online(1, 1));
	EXPECT_TRUE(sdciae_all(1));
	/* A domain that comes back has every mask at its default. */
	ASSERT_EQ(0, set_online(3, 0));
	ASSERT_EQ(0, set_online(2, 0));
	EXPECT_TRUE(is(CBM, "0=00ff\n"));
	ASSERT_EQ(0, set_online(2, 1));
	ASSERT_EQ(0, set_online(3, 1));
	EXPECT_TRUE(is(CBM, "0=00ff;1=ffff\n"));
	EXPECT_TRUE(sdciae_all(1));
	/* Unmounting turns it off, with the allocations. */
	ASSERT_EQ(0, umount(MNT));
	EXPECT_TRUE(sdciae_all(0));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, NULL));
	EXPECT_TRUE(is(IO, "disabled\n"));
	/* CLOSID 15 is the groups' again. */
	for (i = 1; i <= 15; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
	}
	for (i = 1; i <= 15; i++) {
		snprintf(path, sizeof(path), MNT "/g%d", i);
		rmdir(path);
	}
}

TEST_HARNESS_MAIN
