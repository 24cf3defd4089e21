// SPDX-License-Identifier: GPL-2.0
/*
 * resctrl-rs: rename(2) of MON groups, as upstream's rdtgroup_rename(): a MON
 * group is renamed in its mon_groups or moved to another CTRL_MON group's,
 * with its tasks (which take the new CLOSID), its RMID and its counts; every
 * other rename is refused with upstream's errno and message.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "resctrl_util.h"

static int put_pid(const char *tasks, pid_t pid)
{
	char s[32];

	snprintf(s, sizeof(s), "%d\n", pid);
	return wr(tasks, s);
}

/* rename(2) that fails with @err and leaves @msg in last_cmd_status. */
#define EXPECT_REFUSED(from, to, err, msg) do {				\
	EXPECT_EQ(-1, rename(from, to));				\
	EXPECT_EQ(err, errno);						\
	if (msg)							\
		EXPECT_STREQ(msg, last_cmd());				\
} while (0)

FIXTURE(ren) {
	pid_t kid;
};

FIXTURE_SETUP(ren)
{
	umount(MNT);
	emul_debugfs();
	ASSERT_EQ(0, wr(EMUL "/decay_ms", "0\n"));
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	ASSERT_EQ(0, mount("resctrl", MNT, "resctrl", 0, "debug"));
	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g2", 0755));
	ASSERT_EQ(0, mkdir(MNT "/g1/mon_groups/m", 0755));
	self->kid = fork();
	if (!self->kid) {
		pause();
		_exit(0);
	}
	ASSERT_LT(0, self->kid);
	/*
	 * Moved only once asleep in pause(): it never runs in m, so m's
	 * counters hold exactly what the test sets.
	 */
	ASSERT_TRUE(asleep(self->kid));
	ASSERT_EQ(0, put_pid(MNT "/g1/tasks", self->kid));
	ASSERT_EQ(0, put_pid(MNT "/g1/mon_groups/m/tasks", self->kid));
}

FIXTURE_TEARDOWN(ren)
{
	kill(self->kid, SIGKILL);
	waitpid(self->kid, NULL, 0);
	umount(MNT);
	wr(EMUL "/decay_ms", "20\n");
}

TEST_F(ren, rename_in_place)
{
	long long rmid = num(MNT "/g1/mon_groups/m/mon_hw_id");

	ASSERT_EQ(0, rename(MNT "/g1/mon_groups/m", MNT "/g1/mon_groups/n"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "ok\n"));
	EXPECT_EQ(rmid, num(MNT "/g1/mon_groups/n/mon_hw_id"));
	EXPECT_TRUE(has_pid(MNT "/g1/mon_groups/n/tasks", self->kid));
	EXPECT_TRUE(has_pid(MNT "/g1/tasks", self->kid));
	EXPECT_EQ(-1, access(MNT "/g1/mon_groups/m", F_OK));
	/* The same name is nothing to do. */
	EXPECT_EQ(0, rename(MNT "/g1/mon_groups/n", MNT "/g1/mon_groups/n"));
	/* A group made under the old name is a new one. */
	ASSERT_EQ(0, mkdir(MNT "/g1/mon_groups/m", 0755));
	EXPECT_NE(rmid, num(MNT "/g1/mon_groups/m/mon_hw_id"));
}

TEST_F(ren, move_takes_tasks_counts_and_open_files)
{
	long long rmid = num(MNT "/g1/mon_groups/m/mon_hw_id");
	char buf[64];
	int fd;

	ASSERT_LT(0, rmid);
	/* 1000 units of 64 bytes of bandwidth in domain 0 for m. */
	ASSERT_EQ(0, wr(EMUL "/counters", "clear\n"));
	snprintf(buf, sizeof(buf), "set 0 %lld 2 1000\n", rmid);
	ASSERT_EQ(0, wr(EMUL "/counters", buf));
	EXPECT_EQ(64000, num(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes"));
	fd = open(MNT "/g1/mon_groups/m/mon_data/mon_L3_00/mbm_total_bytes", O_RDONLY);
	ASSERT_LE(0, fd);

	ASSERT_EQ(0, rename(MNT "/g1/mon_groups/m", MNT "/g2/mon_groups/m2"));
	EXPECT_TRUE(is(MNT "/info/last_cmd_status", "ok\n"));
	/* The tasks take g2's CLOSID and keep their RMID. */
	EXPECT_TRUE(has_pid(MNT "/g2/tasks", self->kid));
	EXPECT_FALSE(has_pid(MNT "/g1/tasks", self->kid));
	EXPECT_TRUE(has_pid(MNT "/g2/mon_groups/m2/tasks", self->kid));
	EXPECT_EQ(rmid, num(MNT "/g2/mon_groups/m2/mon_hw_id"));
	/* Its counts go with it: out of g1's sum, into g2's. */
	EXPECT_EQ(64000, num(MNT "/g2/mon_groups/m2/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_EQ(64000, num(MNT "/g2/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_EQ(0, num(MNT "/g1/mon_data/mon_L3_00/mbm_total_bytes"));
	/* A file opened before the move reads the same group. */
	EXPECT_LT(0, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(64000, atoll(buf));
	/* A task of its new parent may join it. */
	EXPECT_EQ(0, put_pid(MNT "/g2/mon_groups/m2/tasks", self->kid));

	/* Into the default group's mon_groups: the default CLOSID. */
	ASSERT_EQ(0, rename(MNT "/g2/mon_groups/m2", MNT "/mon_groups/m3"));
	EXPECT_TRUE(has_pid(MNT "/tasks", self->kid));
	EXPECT_FALSE(has_pid(MNT "/g2/tasks", self->kid));
	EXPECT_TRUE(has_pid(MNT "/mon_groups/m3/tasks", self->kid));
	/* The default group's sum also has RMID 0, which this test runs with. */
	EXPECT_LE(64000, num(MNT "/mon_data/mon_L3_00/mbm_total_bytes"));
	EXPECT_EQ(64000, num(MNT "/mon_groups/m3/mon_data/mon_L3_00/mbm_total_bytes"));

	/* Removing its old parents leaves it; removing it works as before. */
	ASSERT_EQ(0, rmdir(MNT "/g1"));
	ASSERT_EQ(0, rmdir(MNT "/g2"));
	EXPECT_EQ(0, access(MNT "/mon_groups/m3/tasks", F_OK));
	EXPECT_LT(0, pread(fd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, rmdir(MNT "/mon_groups/m3"));
	EXPECT_TRUE(has_pid(MNT "/tasks", self->kid));
	EXPECT_EQ(-1, pread(fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);

	/* A MON group moved into a CTRL_MON group goes when that one goes. */
	ASSERT_EQ(0, mkdir(MNT "/g1", 0755));
	ASSERT_EQ(0, mkdir(MNT "/mon_groups/x", 0755));
	ASSERT_EQ(0, rename(MNT "/mon_groups/x", MNT "/g1/mon_groups/x"));
	ASSERT_EQ(0, rmdir(MNT "/g1"));
	EXPECT_EQ(-1, access(MNT "/mon_groups/x", F_OK));
}

TEST_F(ren, refused)
{
	EXPECT_REFUSED(MNT "/g1", MNT "/g3", EPERM, "Source must be a MON group\n");
	EXPECT_REFUSED(MNT "/g1", MNT "/g2/mon_groups/g1", EPERM,
		       "Source must be a MON group\n");
	EXPECT_REFUSED(MNT "/g1/mon_data", MNT "/g1/mon_groups/d", EPERM,
		       "Source must be a MON group\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups", MNT "/g2/mon_groups/x", EPERM,
		       "Source must be a MON group\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups/m/mon_data/mon_L3_00", MNT "/g1/mon_groups/d",
		       EPERM, "Source must be a MON group\n");
	EXPECT_REFUSED(MNT "/g1/tasks", MNT "/g1/mon_groups/t", EPERM,
		       "Source and destination must be directories\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/m", EPERM,
		       "Destination must be a mon_groups subdirectory\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/m", EPERM,
		       "Destination must be a mon_groups subdirectory\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/mon_data/m", EPERM,
		       "Destination must be a mon_groups subdirectory\n");
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/mon_groups/mon_groups", EPERM,
		       "Destination must be a mon_groups subdirectory\n");
	/* info/ is no group's: ENOENT, as upstream. */
	EXPECT_REFUSED(MNT "/info/L3_MON", MNT "/g1/mon_groups/i", ENOENT, NULL);
	EXPECT_REFUSED(MNT "/info/last_cmd_status", MNT "/g1/mon_groups/i", ENOENT, NULL);
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/info/m", ENOENT, NULL);
	/* A name that is taken, or that has a newline. */
	ASSERT_EQ(0, mkdir(MNT "/g2/mon_groups/taken", 0755));
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/mon_groups/taken", EEXIST, NULL);
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/mon_groups/a\nb", EINVAL, NULL);
	/* RENAME_NOREPLACE and friends: kernfs takes no flags. */
	EXPECT_EQ(-1, renameat2(AT_FDCWD, MNT "/g1/mon_groups/m", AT_FDCWD,
				MNT "/g2/mon_groups/n", RENAME_NOREPLACE));
	EXPECT_EQ(EINVAL, errno);

	/* A MON group that monitors CPUs stays with its parent. */
	ASSERT_EQ(0, wr(MNT "/g1/cpus_list", "1\n"));
	ASSERT_EQ(0, wr(MNT "/g1/mon_groups/m/cpus_list", "1\n"));
	EXPECT_REFUSED(MNT "/g1/mon_groups/m", MNT "/g2/mon_groups/m", EPERM,
		       "Cannot move a MON group that monitors CPUs\n");
	EXPECT_EQ(0, rename(MNT "/g1/mon_groups/m", MNT "/g1/mon_groups/k"));
	EXPECT_TRUE(is(MNT "/g1/mon_groups/k/cpus_list", "1\n"));
	/* Nothing refused moved anything. */
	EXPECT_TRUE(has_pid(MNT "/g1/mon_groups/k/tasks", self->kid));
	EXPECT_TRUE(has_pid(MNT "/g1/tasks", self->kid));
	EXPECT_EQ(0, access(MNT "/g1/mon_data", F_OK));
	EXPECT_EQ(0, access(MNT "/g1/tasks", F_OK));
	EXPECT_EQ(0, access(MNT "/info/L3_MON", F_OK));
}

TEST_HARNESS_MAIN
